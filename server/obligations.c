#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "obligations.h"
#include "store_api.h"

/* Whom each regime's notice goes to. */
static const char *
recipient(enum rules_regime r, const char *controller_name)
{
	switch (r) {
	case RULES_UK_GDPR_ART33_ICO:
		return ("Information Commissioner's Office (ICO)");
	case RULES_UK_GDPR_ART34_INDIVIDUALS:
		return ("affected data subjects");
	case RULES_UK_GDPR_ART33_2_PROCESSOR:
		return (controller_name[0] != '\0' ? controller_name :
		    "the controller");
	case RULES_NREGIMES:
		break;
	}
	return ("");
}

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

static int
sync_one(struct store *s, int64_t incident_id, const char *actor,
    int64_t now, const struct rules_obligation *want, const char *to)
{
	struct store_obligation cur, next;
	const char *regime = rules_regime_id(want->regime);
	json_t *ev = NULL, *changes = NULL;
	int64_t id;
	int found, rc = -1;

	if ((found = store_obligation_find(s, incident_id, regime, &cur)) ==
	    -1)
		return (-1);
	if (found == 1 && !want->exists)
		return (0);
	if (found == 0 && (strcmp(cur.state, "met") == 0 ||
	    strcmp(cur.state, "waived") == 0))
		return (0);

	memset(&next, 0, sizeof(next));
	if (want->exists) {
		snprintf(next.state, sizeof(next.state), "%s",
		    want->required ? "pending" : "not_required");
		next.starts_at = want->starts_at;
		next.due_at = want->due_at;
		snprintf(next.basis, sizeof(next.basis), "%s", want->basis);
	} else {
		/* The clock no longer runs (e.g. aware_at withdrawn): keep
		 * the last deadline for the record, but nothing is owed. */
		next = cur;
		snprintf(next.state, sizeof(next.state), "not_required");
		snprintf(next.basis, sizeof(next.basis), "%s",
		    want->basis != NULL ? want->basis :
		    "The clock of this obligation no longer runs.");
	}
	snprintf(next.recipient, sizeof(next.recipient), "%s", to);

	if (found == 1) {
		if (store_obligation_insert(s, incident_id, regime, &next, now,
		    &id) == -1)
			return (-1);
		ev = json_pack("{s:I, s:s, s:s, s:o, s:o}", "obligation_id",
		    (json_int_t)id, "regime_id", regime, "state", next.state,
		    "due_at", store_json_time(next.due_at), "basis",
		    json_string(next.basis));
		if (ev == NULL || audit_append(s, now, actor,
		    "obligation.created", incident_id, ev, NULL) == -1)
			goto out;
		rc = 0;
		goto out;
	}
	next.id = cur.id;
	if ((changes = json_object()) == NULL ||
	    change_text(changes, "state", cur.state, next.state) == -1 ||
	    change_time(changes, "starts_at", cur.starts_at,
	    next.starts_at) == -1 ||
	    change_time(changes, "due_at", cur.due_at, next.due_at) == -1 ||
	    change_text(changes, "recipient", cur.recipient,
	    next.recipient) == -1 ||
	    change_text(changes, "basis", cur.basis, next.basis) == -1)
		goto out;
	if (json_object_size(changes) == 0) {
		rc = 0;
		goto out;
	}
	if (store_obligation_update(s, &next, now) == -1)
		goto out;
	ev = json_pack("{s:I, s:s, s:O}", "obligation_id", (json_int_t)cur.id,
	    "regime_id", regime, "changes", changes);
	if (ev == NULL || audit_append(s, now, actor, "obligation.updated",
	    incident_id, ev, NULL) == -1)
		goto out;
	rc = 0;
out:
	json_decref(changes);
	json_decref(ev);
	return (rc);
}

int
obligations_recompute(struct store *s, int64_t incident_id,
    const struct rules_config *cfg, const char *actor, int64_t now)
{
	struct rules_facts f;
	struct rules_obligation want[RULES_NREGIMES];
	char controller[256];

	if (store_rules_facts(s, incident_id, &f, controller,
	    sizeof(controller)) != 0)
		return (-1);
	if (rules_compute(&f, cfg, want) == -1)
		return (-1);
	for (int i = 0; i < RULES_NREGIMES; i++)
		if (sync_one(s, incident_id, actor, now, &want[i],
		    recipient((enum rules_regime)i, controller)) == -1)
			return (-1);
	return (0);
}
