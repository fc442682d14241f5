#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alerts.h"
#include "audit.h"
#include "catalog.h"
#include "log.h"
#include "obligations.h"
#include "store_api.h"

/* The state of the recompute of one incident. */
struct sync {
	struct store *s;
	int64_t incident_id;
	const char *actor;
	int64_t now;
	struct store_obligation *have;   /* stored obligations */
	size_t nhave;
	bool *seen;                      /* have[i] is still wanted */
};

/* Add {from, to} under key to changes when the two differ. */
static int
change_time(json_t *changes, const char *key, int64_t from, int64_t to)
{
	if (from == to)
		return (0);
	return (json_object_set_new(changes, key, json_pack("{s:o, s:o}",
	    "from", store_json_time(from), "to", store_json_time(to))));
}

static int
change_text(json_t *changes, const char *key, const char *from,
    const char *to)
{
	if (strcmp(from, to) == 0)
		return (0);
	return (json_object_set_new(changes, key, json_pack("{s:s, s:s}",
	    "from", from, "to", to)));
}

/* Write next over cur (a stored obligation) and log what moved. */
static int
update(struct sync *y, const struct store_obligation *cur,
    const struct store_obligation *next)
{
	json_t *changes, *ev = NULL;
	int rc = -1;

	if ((changes = json_object()) == NULL ||
	    change_text(changes, "state", cur->state, next->state) == -1 ||
	    change_time(changes, "starts_at", cur->starts_at,
	    next->starts_at) == -1 ||
	    change_time(changes, "due_at", cur->due_at, next->due_at) == -1 ||
	    change_text(changes, "recipient", cur->recipient,
	    next->recipient) == -1 ||
	    change_text(changes, "basis", cur->basis, next->basis) == -1)
		goto out;
	if (json_object_size(changes) == 0 && cur->target == next->target &&
	    strcmp(cur->phase_name, next->phase_name) == 0) {
		rc = 0;
		goto out;
	}
	if (store_obligation_update(y->s, next, y->now) == -1)
		goto out;
	ev = json_pack("{s:I, s:s, s:s, s:O}", "obligation_id",
	    (json_int_t)cur->id, "regime_id", cur->regime_id, "phase",
	    cur->phase, "changes", changes);
	if (ev == NULL || audit_append(y->s, y->now, y->actor,
	    "obligation.updated", y->incident_id, ev, NULL) == -1)
		goto out;
	rc = 0;
out:
	json_decref(changes);
	json_decref(ev);
	return (rc);
}

static struct store_obligation *
find(struct sync *y, const char *regime, const char *phase, size_t *idx)
{
	for (size_t i = 0; i < y->nhave; i++)
		if (strcmp(y->have[i].regime_id, regime) == 0 &&
		    strcmp(y->have[i].phase, phase) == 0) {
			*idx = i;
			return (&y->have[i]);
		}
	return (NULL);
}

/* Bring one computed phase into the store. */
static int
sync_one(struct sync *y, const struct catalog_entry *e,
    const struct rules_obligation *want, const char *controller)
{
	const struct regime_phase *ph = &e->regime.phases[want->phase];
	struct store_obligation next, *cur;
	json_t *ev;
	int64_t id;
	size_t idx;
	int rc;

	if (!want->exists)
		return (0);  /* a clock that no longer runs: see retire_unseen */
	cur = find(y, e->regime.id, ph->id, &idx);
	if (cur != NULL)
		y->seen[idx] = true;
	if (cur != NULL && (strcmp(cur->state, "met") == 0 ||
	    strcmp(cur->state, "waived") == 0))
		return (0);  /* done with: the record stands */
	memset(&next, 0, sizeof(next));
	snprintf(next.regime_id, sizeof(next.regime_id), "%s", e->regime.id);
	snprintf(next.phase, sizeof(next.phase), "%s", ph->id);
	snprintf(next.phase_name, sizeof(next.phase_name), "%s", ph->name);
	snprintf(next.state, sizeof(next.state), "%s",
	    want->required ? "pending" : "not_required");
	next.starts_at = want->starts_at;
	next.due_at = want->due_at;
	next.target = want->target;
	snprintf(next.basis, sizeof(next.basis), "%s", want->basis);
	/* A processor's controller is named on the incident. */
	snprintf(next.recipient, sizeof(next.recipient), "%s",
	    e->regime.applies.role == REGIME_PROCESSOR && controller[0] != '\0' ?
	    controller : e->recipient);
	if (cur != NULL) {
		next.id = cur->id;
		return (update(y, cur, &next));
	}
	if (store_obligation_insert(y->s, y->incident_id, &next, y->now,
	    &id) == -1)
		return (-1);
	ev = json_pack("{s:I, s:s, s:s, s:s, s:o, s:s}", "obligation_id",
	    (json_int_t)id, "regime_id", next.regime_id, "phase", next.phase,
	    "state", next.state, "due_at", store_json_time(next.due_at),
	    "basis", next.basis);
	rc = ev != NULL ? audit_append(y->s, y->now, y->actor,
	    "obligation.created", y->incident_id, ev, NULL) : -1;
	json_decref(ev);
	return (rc);
}

/* Stored pending obligations that no regime wants any more: keep them on
 * record as not required, with the reason. */
static int
retire_unseen(struct sync *y)
{
	struct store_obligation next;

	for (size_t i = 0; i < y->nhave; i++) {
		if (y->seen[i] || strcmp(y->have[i].state, "pending") != 0)
			continue;
		next = y->have[i];
		snprintf(next.state, sizeof(next.state), "not_required");
		snprintf(next.basis, sizeof(next.basis), "This obligation no "
		    "longer applies to the incident as now recorded (its "
		    "clock no longer runs, or the jurisdictions, sector, role "
		    "or dates changed, or the regime was retired).");
		if (update(y, &y->have[i], &next) == -1)
			return (-1);
	}
	return (0);
}

static int
recompute(struct store *s, const struct catalog *cat, int64_t incident_id,
    const struct rules_config *cfg, const char *actor, int64_t now)
{
	struct rules_obligation want[REGIME_MAX_PHASES];
	struct rules_facts *f;
	struct sync y;
	char controller[256];
	int rc = -1;

	memset(&y, 0, sizeof(y));
	y.s = s;
	y.incident_id = incident_id;
	y.actor = actor;
	y.now = now;
	/* The facts are large (every jurisdiction); keep them off the
	 * worker thread's stack. */
	if ((f = malloc(sizeof(*f))) == NULL)
		return (-1);
	if (store_rules_facts(s, incident_id, f, controller,
	    sizeof(controller)) != 0 ||
	    store_obligation_all(s, incident_id, &y.have, &y.nhave) == -1)
		goto out;
	if ((y.seen = calloc(y.nhave + 1, sizeof(*y.seen))) == NULL)
		goto out;
	for (size_t i = 0; i < cat->n; i++) {
		const struct catalog_entry *e = &cat->entries[i];

		if (!rules_relevant(&e->regime, f, cfg))
			continue;
		if (rules_compute(&e->regime, &e->calendar, f, cfg, want) ==
		    -1) {
			log_event(LOG_ERROR, "cannot compute a deadline",
			    "regime", e->regime.id, NULL);
			goto out;
		}
		for (size_t j = 0; j < e->regime.nphases; j++)
			if (sync_one(&y, e, &want[j], controller) == -1)
				goto out;
	}
	if ((rc = retire_unseen(&y)) == 0)
		rc = alerts_sync_incident(s, incident_id, now);
out:
	free(y.have);
	free(y.seen);
	free(f);
	return (rc);
}

int
obligations_recompute(struct store *s, int64_t incident_id,
    const struct rules_config *cfg, const char *actor, int64_t now)
{
	struct catalog *cat;
	int rc;

	if ((cat = catalog_get(s)) == NULL)
		return (-1);
	rc = recompute(s, cat, incident_id, cfg, actor, now);
	catalog_put(cat);
	return (rc);
}

int
obligations_recompute_open(struct store *s, const struct rules_config *cfg,
    const char *actor, int64_t now, size_t *count)
{
	struct catalog *cat;
	int64_t *ids;
	size_t n;
	int rc = 0;

	*count = 0;
	if ((cat = catalog_load(s)) == NULL)
		return (-1);
	if (store_open_incidents(s, &ids, &n) == -1) {
		catalog_put(cat);
		return (-1);
	}
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = recompute(s, cat, ids[i], cfg, actor, now);
	free(ids);
	catalog_put(cat);
	*count = n;
	return (rc);
}
