/* retention: anonymise closed incidents after the retention period. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "log.h"
#include "mono.h"
#include "retention.h"
#include "store.h"
#include "store_api.h"

#define RETENTION_BATCH 64

const char *const retention_erased_keys[] = {
	/* incident facts (incident.c), in incident.created and the
	 * changes of incident.updated */
	"title", "description", "how_discovered", "awareness_justification",
	"not_a_breach_reason", "likely_consequences", "measures_taken",
	"measures_proposed", "dpo_contact",
	/* note.added, risk.decided, notification.recorded,
	 * obligation.waived, art34.exemption */
	"text", "rationale", "delay_reason", "reason", "waive_reason",
	"explanation",
	NULL,
};

static bool
erased_key(const char *key)
{
	for (size_t i = 0; retention_erased_keys[i] != NULL; i++)
		if (strcmp(retention_erased_keys[i], key) == 0)
			return (true);
	return (false);
}

/* Every string inside v (in place) becomes the mark. */
static int
mark_all(json_t *v, bool *changed)
{
	const char *k;
	json_t *x;
	size_t i;

	if (json_is_string(v)) {
		if (strcmp(json_string_value(v), RETENTION_MARK) != 0) {
			*changed = true;
			return (json_string_set(v, RETENTION_MARK));
		}
		return (0);
	}
	if (json_is_object(v)) {
		json_object_foreach(v, k, x)
			if (mark_all(x, changed) == -1)
				return (-1);
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, x)
			if (mark_all(x, changed) == -1)
				return (-1);
	}
	return (0);
}

/* Erase the values of erased keys anywhere in v (in place). */
static int
redact(json_t *v, bool *changed)
{
	const char *k;
	json_t *x;
	size_t i;

	if (json_is_object(v)) {
		json_object_foreach(v, k, x) {
			if (erased_key(k)) {
				if (mark_all(x, changed) == -1)
					return (-1);
			} else if (redact(x, changed) == -1)
				return (-1);
		}
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, x)
			if (redact(x, changed) == -1)
				return (-1);
	}
	return (0);
}

json_t *
retention_redact(const json_t *data, bool *changed)
{
	json_t *copy;

	*changed = false;
	if ((copy = json_deep_copy(data)) == NULL)
		return (NULL);
	if (redact(copy, changed) == -1) {
		json_decref(copy);
		return (NULL);
	}
	return (copy);
}

/*
 * Redact the events of incident id; their ids go into redacted, and
 * *legacy counts the v1 events that cannot be.  0 or -1.
 */
static int
redact_events(struct store *s, int64_t id, int64_t now, json_t *redacted,
    int64_t *legacy)
{
	json_t *items, *ev, *data = NULL, *out = NULL;
	char *text = NULL;
	bool changed;
	size_t i;
	int rc = -1;

	*legacy = 0;
	if (store_retention_events(s, id, &items) == -1)
		return (-1);
	json_array_foreach(items, i, ev) {
		json_int_t eid = json_integer_value(json_object_get(ev, "id"));

		if ((data = json_loads(json_string_value(json_object_get(ev,
		    "data")), 0, NULL)) == NULL) {
			log_event(LOG_ERROR, "retention: event data is not "
			    "JSON", NULL);
			goto out;
		}
		if ((out = retention_redact(data, &changed)) == NULL)
			goto out;
		if (changed && json_is_true(json_object_get(ev, "legacy"))) {
			(*legacy)++;
		} else if (changed) {
			if ((text = json_dumps(out, JSON_COMPACT |
			    JSON_SORT_KEYS)) == NULL ||
			    store_retention_event_redact(s, eid, text, now) !=
			    0 || json_array_append_new(redacted,
			    json_integer(eid)) == -1)
				goto out;
			free(text);
			text = NULL;
		}
		json_decref(data);
		json_decref(out);
		data = out = NULL;
	}
	rc = 0;
out:
	free(text);
	json_decref(data);
	json_decref(out);
	json_decref(items);
	return (rc);
}

/* Anonymise one incident in its own transaction: 0 done, 1 not
 * eligible any more, -1 error. */
static int
anonymise(struct store *s, const struct store_retention_due *d,
    int64_t period, int64_t judge_at, int64_t now, const char *actor)
{
	json_t *counts = NULL, *redacted = NULL, *ev = NULL;
	int64_t legacy;
	int rc;

	if (store_begin(s) == -1)
		return (-1);
	if ((rc = store_retention_erase(s, d->id, RETENTION_MARK, now,
	    &counts)) != 0)
		goto out;
	rc = -1;
	if ((redacted = json_array()) == NULL ||
	    redact_events(s, d->id, now, redacted, &legacy) == -1)
		goto out;
	ev = json_pack("{s:s, s:o, s:I, s:o, s:O, s:O, s:I}",
	    "ref", d->ref,
	    "closed_at", store_json_time(d->closed_at),
	    "retention_seconds", (json_int_t)period,
	    "judged_at", store_json_time(judge_at),
	    "erased", counts,
	    "redacted_events", redacted,
	    "legacy_events_kept", (json_int_t)legacy);
	if (ev == NULL || audit_append(s, now, actor, AUDIT_ANONYMISED, d->id,
	    ev, NULL) == -1 || store_commit(s) == -1)
		goto out;
	rc = 0;
out:
	if (rc != 0)
		store_rollback(s);
	json_decref(counts);
	json_decref(redacted);
	json_decref(ev);
	return (rc);
}

int
retention_run(struct store *s, int64_t period, int64_t judge_at,
    int64_t now, const char *actor, size_t *n)
{
	struct store_retention_due due[RETENTION_BATCH];
	int64_t after = 0;
	size_t got;
	int rc;

	*n = 0;
	if (period <= 0)
		return (0);
	do {
		if (store_retention_due(s, judge_at - period, after, due,
		    RETENTION_BATCH, &got) == -1)
			return (-1);
		for (size_t i = 0; i < got; i++) {
			after = due[i].id;
			if ((rc = anonymise(s, &due[i], period, judge_at, now,
			    actor)) == -1) {
				log_event(LOG_ERROR, "retention: cannot "
				    "anonymise", "ref", due[i].ref, NULL);
				return (-1);
			}
			if (rc == 0) {
				(*n)++;
				log_event(LOG_INFO, "anonymised", "ref",
				    due[i].ref, "actor", actor, NULL);
			}
		}
	} while (got == RETENTION_BATCH);
	return (0);
}

struct retention {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool stop;
	struct store *s;
	int64_t period, interval;
};

static void *
loop(void *arg)
{
	struct retention *r = arg;
	struct timespec until;
	char count[24];
	size_t n;

	pthread_mutex_lock(&r->lock);
	while (!r->stop) {
		pthread_mutex_unlock(&r->lock);
		if (r->period > 0) {
			int64_t now = (int64_t)time(NULL);

			if (retention_run(r->s, r->period, now, now, "system",
			    &n) == -1)
				log_event(LOG_ERROR, "retention pass failed",
				    NULL);
			snprintf(count, sizeof(count), "%zu", n);
			log_event(n > 0 ? LOG_INFO : LOG_DEBUG,
			    "retention pass", "anonymised", count, NULL);
		}
		until = mono_ts(mono_ms() + r->interval * 1000);
		pthread_mutex_lock(&r->lock);
		while (!r->stop && pthread_cond_timedwait(&r->cond, &r->lock,
		    &until) != ETIMEDOUT)
			;
	}
	pthread_mutex_unlock(&r->lock);
	return (NULL);
}

struct retention *
retention_start(struct store *s, int64_t period, int64_t interval)
{
	struct retention *r;

	if ((r = calloc(1, sizeof(*r))) == NULL) {
		store_close(s);
		return (NULL);
	}
	r->s = s;
	r->period = period;
	r->interval = interval;
	pthread_mutex_init(&r->lock, NULL);
	mono_cond_init(&r->cond);
	if (pthread_create(&r->thread, NULL, loop, r) != 0) {
		log_event(LOG_ERROR, "cannot start the retention thread", NULL);
		pthread_cond_destroy(&r->cond);
		pthread_mutex_destroy(&r->lock);
		store_close(s);
		free(r);
		return (NULL);
	}
	return (r);
}

void
retention_stop(struct retention *r)
{
	if (r == NULL)
		return;
	pthread_mutex_lock(&r->lock);
	r->stop = true;
	pthread_cond_signal(&r->cond);
	pthread_mutex_unlock(&r->lock);
	pthread_join(r->thread, NULL);
	pthread_cond_destroy(&r->cond);
	pthread_mutex_destroy(&r->lock);
	store_close(r->s);
	free(r);
}
