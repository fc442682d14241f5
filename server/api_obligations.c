/* api_obligations: an incident's obligations, the notices recorded against
 * them, and waivers; and the obligations of every incident by deadline
 * (the dashboard). */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "audit.h"
#include "incident.h"
#include "notices.h"
#include "obligations.h"
#include "parse.h"
#include "regime.h"
#include "store.h"
#include "store_api.h"
#include "timeutil.h"

#define TEXT_SHORT 200
#define TEXT_REASON 4000
#define FUTURE_SLACK (5 * 60)
#define NOTICE_TEXT_MAX 200000
#define DUE_LIMIT_DEFAULT 50
#define DUE_LIMIT_MAX 200

int
api_obligations_list(struct req *r)
{
	json_t *items;
	int status;

	if ((status = api_incidents_visible(r, r->ids[0])) != 200)
		return (status);
	if (store_obligation_list(r->store, r->ids[0], 0, r->now, &items) ==
	    -1)
		return (api_internal(r, "obligation list"));
	r->out = json_pack("{s:o}", "items", items);
	return (r->out != NULL ? 200 : api_internal(r, "obligation list"));
}

/* The obligation r->ids[1] of incident r->ids[0] into *out: 200, 404 or
 * 500. */
static int
load(struct req *r, json_t **out)
{
	json_t *items;

	*out = NULL;
	if (store_obligation_list(r->store, r->ids[0], r->ids[1], r->now,
	    &items) == -1)
		return (api_internal(r, "obligation get"));
	if (json_array_size(items) == 1)
		*out = json_incref(json_array_get(items, 0));
	json_decref(items);
	if (*out == NULL)
		return (problem_set(&r->problem, 404, "not-found", NULL,
		    "There is no obligation %lld on incident %lld.",
		    (long long)r->ids[1], (long long)r->ids[0]));
	return (200);
}

int
api_obligations_get(struct req *r)
{
	int status;

	if ((status = api_incidents_visible(r, r->ids[0])) != 200)
		return (status);
	return (load(r, &r->out));
}

/*
 * The optional notice of a notification: notice_kind and text come
 * together; incident_version (optional, 1 or more) only with them.
 * *kind and *text are borrowed (NULL when absent), *version is 0 when not
 * given.  0, or 400 with the problem filled.
 */
static int
notice_fields(struct req *r, const char **kind, const char **text,
    int64_t *version)
{
	json_t *v = json_object_get(r->body, "incident_version");
	int status;

	*version = 0;
	if ((status = api_string(r, "notice_kind", 32, false, kind)) != 0 ||
	    (status = api_string(r, "text", NOTICE_TEXT_MAX, true, text)) !=
	    0)
		return (status);
	if (*kind != NULL && !notices_kind_valid(*kind))
		return (problem_set(&r->problem, 400, "invalid-field",
		    "notice_kind", "notice_kind: must be ico_report, "
		    "art34_letter, controller_notice or regulator_notice"));
	if ((*kind == NULL) != (*text == NULL))
		return (problem_set(&r->problem, 400, "invalid-field",
		    *kind == NULL ? "notice_kind" : "text", "%s: is required "
		    "with %s", *kind == NULL ? "notice_kind" : "text",
		    *kind == NULL ? "text" : "notice_kind"));
	if (v != NULL && *kind == NULL)
		return (problem_set(&r->problem, 400, "invalid-field",
		    "incident_version", "incident_version: only with "
		    "notice_kind and text"));
	if (v != NULL && (!json_is_integer(v) || json_integer_value(v) < 1))
		return (problem_set(&r->problem, 400, "invalid-field",
		    "incident_version", "incident_version: must be an integer "
		    "of 1 or more"));
	if (v != NULL)
		*version = json_integer_value(v);
	return (0);
}

/* Check *version (0: take the incident's current one) against the
 * incident: 0, 422 when it is newer than the incident, or 500. */
static int
notice_version(struct req *r, int64_t *version)
{
	json_t *inc;
	int64_t cur;

	if (store_incident_get(r->store, r->ids[0], &inc, NULL) == -1 ||
	    inc == NULL)
		return (api_internal(r, "incident version"));
	cur = json_integer_value(json_object_get(inc, "version"));
	json_decref(inc);
	if (*version > cur)
		return (problem_set(&r->problem, 422, "constraint-violation",
		    "incident_version", "incident_version: the incident is "
		    "at version %lld", (long long)cur));
	if (*version == 0)
		*version = cur;
	return (0);
}

static const char *
state_of(const json_t *o)
{
	const char *s = json_string_value(json_object_get(o, "state"));

	return (strcmp(s, "missed") == 0 ? "pending" : s);
}

int
api_obligations_notify(struct req *r)
{
	static const char *const fields[] = { "sent_at", "recipient",
		"reference", "follow_up", "delay_reason", "notice_kind", "text",
		"incident_version", NULL };
	const char *recipient, *reference, *delay, *state, *kind, *text;
	struct rules_config rc;
	json_t *ob = NULL, *inc = NULL, *ev = NULL, *fu;
	int64_t sent_at, due, discovered, met, id, version = 0;
	int follow_up, status;

	if ((status = api_only_fields(r, fields)) != 0 ||
	    (status = api_not_null(r, fields)) != 0 ||
	    (status = api_time(r, "sent_at", &sent_at)) != 0 ||
	    (status = api_string(r, "recipient", TEXT_SHORT, false,
	    &recipient)) != 0 ||
	    (status = api_string(r, "reference", TEXT_SHORT, false,
	    &reference)) != 0 ||
	    (status = api_string(r, "delay_reason", TEXT_REASON, true,
	    &delay)) != 0 ||
	    (status = notice_fields(r, &kind, &text, &version)) != 0)
		return (status);
	if (sent_at == INT64_MIN)
		return (problem_set(&r->problem, 400, "invalid-field",
		    "sent_at", "sent_at: is required"));
	fu = json_object_get(r->body, "follow_up");
	if (fu != NULL && !json_is_boolean(fu))
		return (problem_set(&r->problem, 400, "invalid-field",
		    "follow_up", "follow_up: must be true or false"));
	follow_up = json_is_true(fu);
	if (sent_at > r->now + FUTURE_SLACK)
		return (problem_set(&r->problem, 422, "constraint-violation",
		    "sent_at", "sent_at: must not be in the future"));
	if (delay != NULL && parse_blank(delay))
		delay = NULL;
	if ((status = api_incidents_visible(r, r->ids[0])) != 200)
		return (status);
	if (store_begin(r->store) == -1)
		return (api_internal(r, "begin"));
	if ((status = load(r, &ob)) != 200 ||
	    (kind != NULL && (status = notice_version(r, &version)) != 0))
		goto rollback;
	state = state_of(ob);
	if (strcmp(state, "not_required") == 0 ||
	    strcmp(state, "waived") == 0) {
		status = problem_set(&r->problem, 409, "conflict", NULL,
		    "This obligation is %s; no notice is owed.", state);
		goto rollback;
	}
	if (follow_up && strcmp(state, "met") != 0) {
		status = problem_set(&r->problem, 409, "conflict",
		    "follow_up", "Record the first notice before a follow-up.");
		goto rollback;
	}
	if (!follow_up && strcmp(state, "met") == 0) {
		status = problem_set(&r->problem, 409, "conflict",
		    "follow_up", "The first notice is already recorded; "
		    "record further information as a follow-up.");
		goto rollback;
	}
	/* No notice goes out before anyone knew of the breach. */
	if ((status = api_incidents_load(r, &inc)) != 200)
		goto rollback;
	if (timeutil_parse(json_string_value(json_object_get(inc,
	    "discovered_at")), &discovered) == -1)
		goto fail;
	if (sent_at < discovered) {
		status = problem_set(&r->problem, 422, "constraint-violation",
		    "sent_at", "sent_at: must not be before the incident was "
		    "discovered (%s)", json_string_value(json_object_get(inc,
		    "discovered_at")));
		goto rollback;
	}
	/* A follow-up adds to the first notice: it cannot precede it. */
	if (follow_up) {
		if (timeutil_parse(json_string_value(json_object_get(ob,
		    "met_at")), &met) == -1)
			goto fail;
		if (sent_at < met) {
			status = problem_set(&r->problem, 422,
			    "constraint-violation", "sent_at", "sent_at: a "
			    "follow-up must not be before the first notice "
			    "(%s)", json_string_value(json_object_get(ob,
			    "met_at")));
			goto rollback;
		}
	}
	if (recipient == NULL)
		recipient = json_string_value(json_object_get(ob, "recipient"));
	if (!follow_up) {
		if (timeutil_parse(json_string_value(json_object_get(ob,
		    "due_at")), &due) == -1)
			goto fail;
		if (sent_at > due && delay == NULL) {
			status = problem_set(&r->problem, 422,
			    "constraint-violation", "delay_reason",
			    "delay_reason: a notice sent after the deadline "
			    "must give the reasons for the delay "
			    "(Art. 33(1))");
			goto rollback;
		}
		if (store_obligation_meet(r->store, r->ids[1], sent_at,
		    reference, delay, r->now) != 0)
			goto fail;
	}
	if (store_notification_add(r->store, r->ids[1], sent_at, recipient,
	    reference, follow_up, delay, r->who.user_id, r->now, &id) == -1 ||
	    (kind != NULL && store_notice_text_add(r->store, id, kind,
	    version, text) == -1))
		goto fail;
	ev = json_pack("{s:I, s:I, s:s, s:o, s:s, s:o, s:b, s:o}",
	    "notification_id", (json_int_t)id,
	    "obligation_id", (json_int_t)r->ids[1],
	    "regime_id", json_string_value(json_object_get(ob, "regime_id")),
	    "sent_at", store_json_time(sent_at),
	    "recipient", recipient,
	    "reference", reference != NULL ? json_string(reference) :
	    json_null(),
	    "follow_up", follow_up,
	    "delay_reason", delay != NULL ? json_string(delay) : json_null());
	if (ev != NULL && kind != NULL)
		json_object_set_new(ev, "notice", json_pack("{s:s, s:I, s:I}",
		    "kind", kind, "incident_version", (json_int_t)version,
		    "text_bytes", (json_int_t)strlen(text)));
	rc = api_rules_config(r);
	if (ev == NULL || audit_append(r->store, r->now, r->who.name,
	    "notification.recorded", r->ids[0], ev, NULL) == -1 ||
	    obligations_recompute(r->store, r->ids[0], &rc, r->who.name,
	    r->now) == -1 || store_commit(r->store) == -1)
		goto fail;
	if (store_notification_get(r->store, r->ids[0], id, &r->out) == -1 ||
	    r->out == NULL) {
		status = api_internal(r, "notification reload");
		goto out;
	}
	snprintf(r->location, sizeof(r->location),
	    "/api/v1/incidents/%lld/obligations/%lld", (long long)r->ids[0],
	    (long long)r->ids[1]);
	status = 201;
	goto out;
fail:
	status = api_internal(r, "notification");
rollback:
	store_rollback(r->store);
out:
	json_decref(ob);
	json_decref(inc);
	json_decref(ev);
	return (status);
}

int
api_obligations_waive(struct req *r)
{
	static const char *const fields[] = { "reason", NULL };
	const char *reason, *state;
	struct rules_config rc;
	json_t *ob = NULL, *ev = NULL;
	int status;

	if ((status = api_only_fields(r, fields)) != 0 ||
	    (status = api_not_null(r, fields)) != 0 ||
	    (status = api_string(r, "reason", TEXT_REASON, true, &reason)) !=
	    0)
		return (status);
	if (reason == NULL || parse_blank(reason))
		return (problem_set(&r->problem, 400, "invalid-field",
		    "reason", "reason: is required"));
	if ((status = api_incidents_visible(r, r->ids[0])) != 200)
		return (status);
	if (store_begin(r->store) == -1)
		return (api_internal(r, "begin"));
	if ((status = load(r, &ob)) != 200)
		goto rollback;
	state = state_of(ob);
	if (strcmp(state, "pending") != 0) {
		status = problem_set(&r->problem, 409, "conflict", NULL,
		    "Only a pending obligation can be waived; this one is %s.",
		    state);
		goto rollback;
	}
	ev = json_pack("{s:I, s:s, s:s}", "obligation_id",
	    (json_int_t)r->ids[1], "regime_id",
	    json_string_value(json_object_get(ob, "regime_id")), "reason",
	    reason);
	rc = api_rules_config(r);
	if (store_obligation_waive(r->store, r->ids[1], reason, r->now) != 0 ||
	    ev == NULL || audit_append(r->store, r->now, r->who.name,
	    "obligation.waived", r->ids[0], ev, NULL) == -1 ||
	    obligations_recompute(r->store, r->ids[0], &rc, r->who.name,
	    r->now) == -1 || store_commit(r->store) == -1)
		goto fail;
	json_decref(ob);
	ob = NULL;
	status = load(r, &r->out);
	goto out;
fail:
	status = api_internal(r, "waive");
rollback:
	store_rollback(r->store);
out:
	json_decref(ob);
	json_decref(ev);
	return (status);
}

static int
bad_query(struct req *r, const char *name, const char *why)
{
	return (problem_set(&r->problem, 400, "invalid-query", name, "%s: %s",
	    name, why));
}

/* The dashboard's cursor: the (due_at, id) of the last item, as 16 bytes
 * in base64url (22 characters). */
static void
due_cursor_encode(int64_t due, int64_t id, char *out, size_t len)
{
	unsigned char raw[16];

	for (int i = 0; i < 8; i++) {
		raw[i] = (unsigned char)((uint64_t)due >> (56 - 8 * i));
		raw[8 + i] = (unsigned char)((uint64_t)id >> (56 - 8 * i));
	}
	sodium_bin2base64(out, len, raw, sizeof(raw),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

static int
due_cursor_decode(const char *s, int64_t *due, int64_t *id)
{
	unsigned char raw[16];
	uint64_t d = 0, v = 0;
	size_t n;

	if (strlen(s) != 22 || sodium_base642bin(raw, sizeof(raw), s,
	    strlen(s), NULL, &n, NULL,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 || n != 16)
		return (-1);
	for (int i = 0; i < 8; i++) {
		d = d << 8 | raw[i];
		v = v << 8 | raw[8 + i];
	}
	if (v == 0 || v > INT64_MAX)
		return (-1);
	*due = (int64_t)d;
	*id = (int64_t)v;
	return (0);
}

int
api_obligations_due(struct req *r)
{
	static const char *const states[] = { "pending", "missed", "met",
		"not_required", "waived" };
	struct store_due_filter f;
	char cursor[32];
	const char *v;
	struct store_due_page page;
	int64_t t;
	size_t i;
	int status;

	memset(&f, 0, sizeof(f));
	f.state = "pending";
	f.due_before = INT64_MAX;
	f.after_due = INT64_MIN;
	f.limit = DUE_LIMIT_DEFAULT;
	if ((v = req_query(r, "state")) != NULL) {
		for (i = 0; i < sizeof(states) / sizeof(states[0]); i++)
			if (strcmp(v, states[i]) == 0)
				break;
		if (i == sizeof(states) / sizeof(states[0]))
			return (bad_query(r, "state", "must be pending, "
			    "missed, met, not_required or waived"));
		/* missed is stored as pending: those past due. */
		if (strcmp(v, "missed") == 0)
			f.due_before = r->now;
		else
			f.state = states[i];
	}
	if ((v = req_query(r, "status")) != NULL) {
		if (!incident_status_valid(v))
			return (bad_query(r, "status", "is not a lifecycle "
			    "state"));
		f.status = v;
	}
	if ((v = req_query(r, "risk")) != NULL) {
		if (strcmp(v, "unlikely") != 0 && strcmp(v, "risk") != 0 &&
		    strcmp(v, "high") != 0 && strcmp(v, "none") != 0)
			return (bad_query(r, "risk", "must be unlikely, risk, "
			    "high or none"));
		f.risk = v;
	}
	if ((v = req_query(r, "regime_id")) != NULL) {
		if (!regime_id_valid(v))
			return (bad_query(r, "regime_id", "must be 1 to 64 of "
			    "a-z, 0-9 and '_'"));
		f.regime_id = v;
	}
	if ((v = req_query(r, "due_before")) != NULL) {
		if (timeutil_parse(v, &t) == -1)
			return (bad_query(r, "due_before",
			    timeutil_parse_why(v)));
		if (t < f.due_before)
			f.due_before = t;
	}
	if ((v = req_query(r, "limit")) != NULL &&
	    parse_int64(v, 1, DUE_LIMIT_MAX, &f.limit) == -1)
		return (bad_query(r, "limit", "must be a whole number from 1 "
		    "to 200"));
	if ((v = req_query(r, "cursor")) != NULL &&
	    due_cursor_decode(v, &f.after_due, &f.after_id) == -1)
		return (bad_query(r, "cursor", "is not a cursor this server "
		    "gave"));
	if ((status = api_incidents_assignee(r, &f.assignee)) > 1)
		return (status);
	/* No such assignee (status 1): nothing matches. */
	memset(&page, 0, sizeof(page));
	if (status == 0 && store_obligation_due(r->store, &f, r->now, &page) ==
	    -1)
		return (api_internal(r, "due obligations"));
	if (page.more)
		due_cursor_encode(page.last_due, page.last_id, cursor,
		    sizeof(cursor));
	return (api_page(r, page.items, page.more ? cursor : NULL,
	    "due obligations"));
}
