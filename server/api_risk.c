/* api_risk: risk decisions.  The engine suggests; a person decides, and
 * every decision is kept. */
#include <stdio.h>
#include <string.h>

#include "alerts.h"
#include "api.h"
#include "audit.h"
#include "config.h"
#include "obligations.h"
#include "parse.h"
#include "store.h"
#include "store_api.h"
#include "store_assessments.h"

#define RATIONALE_MAX 20000

int
api_risk_list(struct req *r)
{
	json_t *items;
	int status;

	if ((status = api_incidents_visible(r, r->ids[0])) != 200)
		return (status);
	if (store_decision_list(r->store, r->ids[0], 0, &items) == -1)
		return (api_internal(r, "decision list"));
	r->out = json_pack("{s:o}", "items", items);
	return (r->out != NULL ? 200 : api_internal(r, "decision list"));
}

int
api_risk_create(struct req *r)
{
	static const char *const fields[] = { "level", "rationale", NULL };
	struct rules_config rc;
	const char *level, *rationale;
	char suggestion[16];
	json_t *inc = NULL, *items = NULL, *ev = NULL;
	int64_t id, event_id;
	int status;

	if ((status = api_only_fields(r, fields)) != 0 ||
	    (status = api_not_null(r, fields)) != 0 ||
	    (status = api_string(r, "level", 16, false, &level)) != 0 ||
	    (status = api_string(r, "rationale", RATIONALE_MAX, true,
	    &rationale)) != 0)
		return (status);
	if (level == NULL || (strcmp(level, "unlikely") != 0 &&
	    strcmp(level, "risk") != 0 && strcmp(level, "high") != 0))
		return (problem_set(&r->problem, 400, "invalid-field", "level",
		    "level: must be unlikely, risk or high"));
	if (strcmp(level, "unlikely") == 0 && (rationale == NULL ||
	    parse_blank(rationale)))
		return (problem_set(&r->problem, 422, "constraint-violation",
		    "rationale", "rationale: is required when the breach is "
		    "judged unlikely to result in a risk (Art. 33(5))"));
	status = 500;
	if (store_begin(r->store) == -1)
		return (api_internal(r, "begin"));
	if ((status = api_incidents_load(r, &inc)) != 200)
		goto rollback;
	status = 500;
	switch (store_assessment_latest(r->store, r->ids[0], suggestion,
	    sizeof(suggestion), NULL)) {
	case -1:
		goto fail;
	case 0:
		if (strcmp(suggestion, level) != 0 && (rationale == NULL ||
		    parse_blank(rationale))) {
			status = problem_set(&r->problem, 422,
			    "constraint-violation", "rationale", "rationale: is "
			    "required when the decision (%s) differs from the "
			    "assessment's suggestion (%s)", level, suggestion);
			goto rollback;
		}
		break;
	}
	if ((status = api_incidents_writable(r, inc)) != 0)
		goto rollback;
	rc = api_rules_config(r);
	if (store_decision_add(r->store, r->ids[0], level,
	    rationale != NULL ? rationale : "", r->who.user_id, r->now,
	    &id) == -1 ||
	    store_incident_set_risk(r->store, r->ids[0], level, r->now) ==
	    -1)
		goto fail;
	ev = json_pack("{s:I, s:s, s:s, s:o}", "decision_id", (json_int_t)id,
	    "level", level, "rationale", rationale != NULL ? rationale : "",
	    "previous", json_incref(json_object_get(inc, "risk")));
	if (ev == NULL || audit_append(r->store, r->now, r->who.name,
	    "risk.decided", r->ids[0], ev, &event_id) == -1 ||
	    alerts_event(r->store, r->ids[0], "risk.decided", event_id,
	    r->who.name, ev, r->now) == -1 ||
	    obligations_recompute(r->store, r->ids[0], &rc, r->who.name,
	    r->now) == -1 ||
	    store_commit(r->store) == -1)
		goto fail;
	if (store_decision_list(r->store, r->ids[0], id, &items) == -1 ||
	    json_array_size(items) != 1) {
		status = api_internal(r, "decision reload");
		goto out;
	}
	r->out = json_incref(json_array_get(items, 0));
	snprintf(r->location, sizeof(r->location),
	    "/api/v1/incidents/%lld/risk-decisions", (long long)r->ids[0]);
	status = 201;
	goto out;
fail:
	status = api_internal(r, "risk decision");
rollback:
	store_rollback(r->store);
out:
	json_decref(inc);
	json_decref(items);
	json_decref(ev);
	return (status);
}
