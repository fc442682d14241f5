#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "log.h"
#include "store_api.h"

#define MAX_REGIMES 1000
#define MAX_HOLIDAYS 20000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct catalog *current;
static unsigned long generation;

struct holiday_set {
	char id[16];
	size_t first, n;
};

struct loader {
	struct catalog *c;
	size_t cap;
	struct holiday_set sets[16];
	size_t nsets;
	size_t ndays;
	int failed;
};

static int
on_holiday(void *arg, const char *set, int64_t day)
{
	struct loader *l = arg;
	struct holiday_set *hs;

	if (l->ndays == MAX_HOLIDAYS)
		return (-1);
	if (l->nsets == 0 || strcmp(l->sets[l->nsets - 1].id, set) != 0) {
		if (l->nsets == sizeof(l->sets) / sizeof(l->sets[0]))
			return (-1);
		hs = &l->sets[l->nsets++];
		snprintf(hs->id, sizeof(hs->id), "%s", set);
		hs->first = l->ndays;
		hs->n = 0;
	}
	l->c->days[l->ndays++] = day;
	l->sets[l->nsets - 1].n++;
	return (0);
}

static int
on_regime(void *arg, const char *id, const char *legal_source,
    const char *recipient, const char *rule_text)
{
	struct loader *l = arg;
	struct catalog_entry *e, *grown;
	struct problem p;
	json_t *rule;
	int rc;

	if (l->c->n == l->cap) {
		if (l->cap == MAX_REGIMES)
			return (-1);
		l->cap = l->cap == 0 ? 64 : l->cap * 2;
		if ((grown = realloc(l->c->entries, l->cap *
		    sizeof(*grown))) == NULL)
			return (-1);
		l->c->entries = grown;
	}
	e = &l->c->entries[l->c->n];
	memset(e, 0, sizeof(*e));
	if ((rule = json_loads(rule_text, 0, NULL)) == NULL) {
		log_event(LOG_ERROR, "regime rule is not JSON", "regime", id,
		    NULL);
		return (-1);
	}
	rc = regime_parse(id, legal_source, rule, &e->regime, &p);
	json_decref(rule);
	if (rc == -1) {
		log_event(LOG_ERROR, "regime rule is invalid", "regime", id,
		    "detail", p.detail, NULL);
		return (-1);
	}
	snprintf(e->recipient, sizeof(e->recipient), "%s", recipient);
	l->c->n++;
	return (0);
}

static void
catalog_free(struct catalog *c)
{
	if (c == NULL)
		return;
	free(c->entries);
	free(c->days);
	free(c);
}

struct catalog *
catalog_load(struct store *s)
{
	struct loader l;
	struct catalog *c;

	memset(&l, 0, sizeof(l));
	if ((c = calloc(1, sizeof(*c))) == NULL ||
	    (c->days = calloc(MAX_HOLIDAYS, sizeof(*c->days))) == NULL) {
		catalog_free(c);
		return (NULL);
	}
	c->refs = 1;
	l.c = c;
	if (store_catalog_stamp(s, c->stamp, sizeof(c->stamp)) == -1 ||
	    store_holiday_scan(s, on_holiday, &l) == -1 ||
	    store_regime_scan(s, false, on_regime, &l) == -1) {
		log_event(LOG_ERROR, "cannot load the regimes", NULL);
		catalog_free(c);
		return (NULL);
	}
	for (size_t i = 0; i < c->n; i++) {
		struct catalog_entry *e = &c->entries[i];

		e->calendar.tz = e->regime.tz[0] != '\0' ? e->regime.tz :
		    "UTC";
		for (size_t j = 0; j < l.nsets; j++)
			if (strcmp(l.sets[j].id, e->regime.holidays) == 0) {
				e->calendar.holidays = c->days +
				    l.sets[j].first;
				e->calendar.nholidays = l.sets[j].n;
			}
	}
	return (c);
}

struct catalog *
catalog_get(struct store *s)
{
	struct catalog *c;
	unsigned long gen;
	char stamp[64];

	/* Another process (an admin command) may have changed the data. */
	if (store_catalog_stamp(s, stamp, sizeof(stamp)) == -1)
		return (NULL);
	pthread_mutex_lock(&lock);
	if (current != NULL && strcmp(current->stamp, stamp) != 0) {
		c = current;
		current = NULL;
		generation++;
		if (--c->refs == 0)
			catalog_free(c);
	}
	if ((c = current) != NULL)
		c->refs++;
	gen = generation;
	pthread_mutex_unlock(&lock);
	if (c != NULL)
		return (c);
	if ((c = catalog_load(s)) == NULL)
		return (NULL);
	pthread_mutex_lock(&lock);
	if (current == NULL && gen == generation) {
		current = c;
		c->refs++;
	}
	pthread_mutex_unlock(&lock);
	return (c);
}

void
catalog_put(struct catalog *c)
{
	int refs;

	if (c == NULL)
		return;
	pthread_mutex_lock(&lock);
	refs = --c->refs;
	pthread_mutex_unlock(&lock);
	if (refs == 0)
		catalog_free(c);
}

void
catalog_invalidate(void)
{
	struct catalog *old;

	pthread_mutex_lock(&lock);
	old = current;
	current = NULL;
	generation++;
	pthread_mutex_unlock(&lock);
	catalog_put(old);
}
