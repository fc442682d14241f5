/* api_incidents: create, list, read and change incidents. */
#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

#include "alerts.h"
#include "api.h"
#include "audit.h"
#include "config.h"
#include "incident.h"
#include "obligations.h"
#include "parse.h"
#include "regime.h"
#include "store.h"
#include "store_api.h"
#include "timeutil.h"

#define IDEMPOTENCY_KEY_MAX 200
#define QUERY_TEXT_MAX 200
#define LIST_LIMIT_DEFAULT 50
#define LIST_LIMIT_MAX 200

static void
set_location_etag(struct req *r, const json_t *incident, bool location)
{
	json_int_t id = json_integer_value(json_object_get(incident, "id"));
	json_int_t v = json_integer_value(json_object_get(incident, "version"));

	if (location)
		snprintf(r->location, sizeof(r->location),
		    "/api/v1/incidents/%lld", (long long)id);
	api_etag(r, v);
}

int
api_incidents_visible(struct req *r, int64_t id)
{
	json_t *inc;
	int64_t reporter;

	if (store_incident_get(r->store, id, &inc, &reporter) == -1)
		return (api_internal(r, "incident get"));
	json_decref(inc);
	if (inc == NULL || (r->own_only && reporter != r->who.user_id))
		return (problem_set(&r->problem, 404, "not-found", NULL,
		    "There is no incident %lld.", (long long)id));
	return (200);
}

int
api_incidents_load(struct req *r, json_t **inc)
{
	if (store_incident_get(r->store, r->ids[0], inc, NULL) == -1)
		return (api_internal(r, "incident get"));
	if (*inc == NULL)
		return (problem_set(&r->problem, 404, "not-found", NULL,
		    "There is no incident %lld.", (long long)r->ids[0]));
	return (200);
}

int
api_incidents_writable(struct req *r, json_t *inc)
{
	const char *status = json_string_value(json_object_get(inc, "status"));

	if (status == NULL)
		return (api_internal(r, "incident status"));
	if (strcmp(status, "closed") != 0 && strcmp(status, "not_a_breach") != 0)
		return (0);
	return (problem_set(&r->problem, 409, "conflict", NULL, "The incident "
	    "is %s; reopening is not supported.", status));
}

/*
 * Resolve facts.assignee to a user id in *id (0 for none).  When setting
 * (a create, or a patch that names assignee) the user must exist, be a
 * handler or DPO and not be disabled, else 422; an assignee kept from
 * before stays whatever has become of the user since.  0, 422 or 500.
 */
static int
resolve_assignee(struct req *r, const json_t *facts, bool setting,
    int64_t *id)
{
	json_t *v = json_object_get(facts, "assignee"), *user = NULL;
	struct principal p;
	int rc, status = 500;

	*id = 0;
	if (!json_is_string(v))
		return (0);
	if ((rc = store_user_get(r->store, json_string_value(v), &p)) == -1 ||
	    (rc == 1 && !setting))
		return (api_internal(r, "assignee"));
	if (rc == 0 && setting && store_user_json(r->store, p.user_id,
	    &user) != 0)
		return (api_internal(r, "assignee"));
	if (setting && (rc == 1 || (p.role != ROLE_HANDLER &&
	    p.role != ROLE_DPO)))
		status = problem_set(&r->problem, 422, "constraint-violation",
		    "assignee", "assignee: must be a handler or DPO user");
	else if (setting && json_is_true(json_object_get(user, "disabled")))
		status = problem_set(&r->problem, 422, "constraint-violation",
		    "assignee", "assignee: is a disabled user");
	else {
		*id = p.user_id;
		status = 0;
	}
	json_decref(user);
	return (status);
}

/* Idempotency-Key: 1..200 printable ASCII characters. */
static bool
idempotency_key_ok(const char *k)
{
	size_t n = strlen(k);

	if (n == 0 || n > IDEMPOTENCY_KEY_MAX)
		return (false);
	for (; *k != '\0'; k++)
		if (*k < 0x20 || *k > 0x7e)
			return (false);
	return (true);
}

/* The hash an Idempotency-Key keeps of a create: BLAKE2b-256 of the
 * normalised facts (borrowed), keys sorted.  0 or -1. */
static int
request_hash(const json_t *facts, unsigned char hash[STORE_IDEM_HASH])
{
	char *text;
	int rc;

	if ((text = json_dumps(facts, JSON_COMPACT | JSON_SORT_KEYS)) == NULL)
		return (-1);
	rc = crypto_generichash(hash, STORE_IDEM_HASH,
	    (const unsigned char *)text, strlen(text), NULL, 0);
	free(text);
	return (rc == 0 ? 0 : -1);
}

/*
 * Answer with incident id as JSON text (store_incident_text(): no jansson
 * values in between), its ETag and, if asked, its Location.  With
 * visible, an incident the caller may not see is a 404 like a missing
 * one.
 */
static int
respond_text(struct req *r, int64_t id, int status, bool location,
    bool visible)
{
	int64_t version, reporter;
	char *text;
	size_t len;
	int rc;

	rc = store_incident_text(r->store, id, &text, &len, &version,
	    &reporter);
	if (rc == -1 || (rc == 1 && !visible))
		return (api_internal(r, "incident reload"));
	if (rc == 1 || (r->own_only && reporter != r->who.user_id)) {
		free(text);
		return (problem_set(&r->problem, 404, "not-found", NULL,
		    "There is no incident %lld.", (long long)id));
	}
	r->text = text;
	r->text_len = len;
	r->text_type = "application/json";
	if (location)
		snprintf(r->location, sizeof(r->location),
		    "/api/v1/incidents/%lld", (long long)id);
	api_etag(r, version);
	return (status);
}

/* Load incident id into the answer with its ETag (and Location). */
static int
respond_incident(struct req *r, int64_t id, int status, bool location)
{
	return (respond_text(r, id, status, location, false));
}

int
api_incidents_create(struct req *r)
{
	struct rules_config rc = api_rules_config(r);
	const char *key = req_header(r, "Idempotency-Key");
	unsigned char hash[STORE_IDEM_HASH], kept[STORE_IDEM_HASH];
	json_t *facts = NULL;
	int64_t id, assignee, event_id;
	int status = 500, found;
	bool hashed;

	if (key != NULL && !idempotency_key_ok(key))
		return (problem_set(&r->problem, 400, "invalid-field",
		    "Idempotency-Key", "Idempotency-Key: must be 1 to 200 "
		    "printable ASCII characters"));
	if (incident_validate(r->body, true, &facts, &r->problem) == -1)
		return (r->problem.status);
	if (incident_check(facts, r->now, &r->problem) == -1) {
		status = r->problem.status;
		goto out;
	}
	if (key != NULL && request_hash(facts, hash) == -1) {
		status = api_internal(r, "request hash");
		goto out;
	}
	if (store_begin(r->store) == -1) {
		status = api_internal(r, "begin");
		goto out;
	}
	/* Inside the write transaction, so that racing retries queue here
	 * and all but the first find the key. */
	if (key != NULL) {
		found = store_idempotency_get(r->store, r->who.user_id, key,
		    &id, kept, &hashed);
		if (found == -1)
			goto fail;
		if (found == 0 && hashed &&
		    sodium_memcmp(kept, hash, STORE_IDEM_HASH) != 0) {
			status = problem_set(&r->problem, 422,
			    "idempotency-key-reused", "Idempotency-Key",
			    "Idempotency-Key: was used for a different "
			    "incident; use a new key for a new request");
			goto rollback;
		}
		if (found == 0) {
			store_rollback(r->store);
			status = respond_incident(r, id, 200, true);
			goto out;
		}
	}
	if ((status = resolve_assignee(r, facts, true, &assignee)) != 0)
		goto rollback;
	if (store_incident_insert(r->store, facts, r->who.user_id, assignee,
	    r->now, &id) == -1 ||
	    audit_append(r->store, r->now, r->who.name, "incident.created", id,
	    facts, &event_id) == -1 ||
	    alerts_event(r->store, id, "incident.reported", event_id,
	    r->who.name, NULL, r->now) == -1 ||
	    (assignee != 0 && alerts_event(r->store, id, "incident.assigned",
	    event_id, r->who.name, NULL, r->now) == -1) ||
	    obligations_recompute(r->store, id, &rc, r->who.name, r->now) ==
	    -1 ||
	    (key != NULL && store_idempotency_put(r->store, r->who.user_id, key,
	    id, hash, r->now) == -1) ||
	    store_commit(r->store) == -1)
		goto fail;
	status = respond_incident(r, id, 201, true);
	goto out;
fail:
	status = api_internal(r, "incident create");
rollback:
	store_rollback(r->store);
out:
	json_decref(facts);
	return (status);
}

int
api_incidents_get(struct req *r)
{
	return (respond_text(r, r->ids[0], 200, false, true));
}

static int
bad_query(struct req *r, const char *name, const char *why)
{
	return (problem_set(&r->problem, 400, "invalid-query", name, "%s: %s",
	    name, why));
}

static void
cursor_encode(int64_t id, char *out, size_t len)
{
	unsigned char raw[8];

	for (int i = 0; i < 8; i++)
		raw[i] = (unsigned char)((uint64_t)id >> (56 - 8 * i));
	sodium_bin2base64(out, len, raw, sizeof(raw),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

static int
cursor_decode(const char *s, int64_t *id)
{
	unsigned char raw[8];
	size_t n;
	uint64_t v = 0;

	if (strlen(s) != 11 || sodium_base642bin(raw, sizeof(raw), s,
	    strlen(s), NULL, &n, NULL,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 || n != 8)
		return (-1);
	for (int i = 0; i < 8; i++)
		v = v << 8 | raw[i];
	if (v == 0 || v > INT64_MAX)
		return (-1);
	*id = (int64_t)v;
	return (0);
}

int
api_incidents_assignee(struct req *r, int64_t *out)
{
	struct principal p;
	const char *v;
	int rc;

	*out = 0;
	if ((v = req_query(r, "assignee")) == NULL)
		return (0);
	if (strcmp(v, "me") == 0) {
		*out = r->who.user_id;
		return (0);
	}
	if (strcmp(v, "none") == 0) {
		*out = -1;
		return (0);
	}
	if ((v[0] >= '0' && v[0] <= '9' &&
	    parse_int64(v, 1, INT64_MAX, out) == -1) ||
	    !incident_user_name_valid(v))
		return (bad_query(r, "assignee", "must be a user id, me, none "
		    "or a user name"));
	if (*out > 0)
		return (0);
	if ((rc = store_user_get(r->store, v, &p)) == -1)
		return (api_internal(r, "assignee"));
	if (rc == 1)
		return (1);
	*out = p.user_id;
	return (0);
}

int
api_incidents_list(struct req *r)
{
	struct store_incident_filter f;
	char q[QUERY_TEXT_MAX * 4 + 1], cursor[16];
	const char *v;
	char *items = NULL;
	size_t len;
	int64_t next;
	int status;

	memset(&f, 0, sizeof(f));
	f.due_before = INT64_MIN;
	f.limit = LIST_LIMIT_DEFAULT;
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
	if ((v = req_query(r, "due_before")) != NULL &&
	    timeutil_parse(v, &f.due_before) == -1)
		return (bad_query(r, "due_before", timeutil_parse_why(v)));
	if ((v = req_query(r, "q")) != NULL) {
		size_t n = strlen(v), chars = parse_utf8_chars(v, n);

		if (n == 0 || chars > QUERY_TEXT_MAX || n >= sizeof(q))
			return (bad_query(r, "q", "must be 1 to 200 "
			    "characters"));
		for (size_t i = 0; i <= n; i++)
			q[i] = (char)tolower((unsigned char)v[i]);
		f.q = q;
	}
	if ((v = req_query(r, "limit")) != NULL &&
	    parse_int64(v, 1, LIST_LIMIT_MAX, &f.limit) == -1)
		return (bad_query(r, "limit", "must be a whole number from 1 "
		    "to 200"));
	if ((v = req_query(r, "cursor")) != NULL &&
	    cursor_decode(v, &f.cursor) == -1)
		return (bad_query(r, "cursor", "is not a cursor this server "
		    "gave"));
	if ((v = req_query(r, "regime_id")) != NULL) {
		if (!regime_id_valid(v))
			return (bad_query(r, "regime_id", "must be 1 to 64 of "
			    "a-z, 0-9 and '_'"));
		f.regime_id = v;
	}
	if (r->own_only)
		f.reporter_id = r->who.user_id;
	if ((status = api_incidents_assignee(r, &f.assignee)) > 1)
		return (status);
	if (status == 1) {
		/* No such user: nobody's incidents. */
		next = 0;
	} else if (store_incident_list(r->store, &f, &items, &len, &next) ==
	    -1)
		return (api_internal(r, "incident list"));
	if (next != 0)
		cursor_encode(next, cursor, sizeof(cursor));
	return (api_page(r, items, next != 0 ? cursor : NULL,
	    "incident list"));
}

/* The writable facts (and assignee) of an incident's API JSON. */
static json_t *
facts_of(const json_t *incident)
{
	json_t *facts = json_object();

	for (size_t i = 0; facts != NULL && i < incident_nfields; i++) {
		const char *name = incident_fields[i].name;
		json_t *v = json_object_get(incident, name);

		if (json_object_set(facts, name, v != NULL ? v :
		    json_null()) == -1) {
			json_decref(facts);
			return (NULL);
		}
	}
	return (facts);
}

/* {field: {from, to}} for every fact that differs. */
static json_t *
diff(json_t *before, json_t *after)
{
	json_t *changes = json_object(), *a, *b;
	const char *key;

	if (changes == NULL)
		return (NULL);
	json_object_foreach(after, key, a) {
		b = json_object_get(before, key);
		if (b != NULL && json_equal(a, b))
			continue;
		if (json_object_set_new(changes, key, json_pack("{s:O, s:O}",
		    "from", b != NULL ? b : json_null(), "to", a)) == -1) {
			json_decref(changes);
			return (NULL);
		}
	}
	return (changes);
}

/*
 * The risk facts among changes (borrowed) when the decision in force on
 * incident (borrowed) is "unlikely" and it stays open: a new array, empty
 * when there are none; NULL when out of memory.
 */
static json_t *
reassess_facts(const json_t *incident, const char *to, json_t *changes)
{
	const char *risk = json_string_value(json_object_get(incident,
	    "risk"));
	json_t *out = json_array(), *v;
	const char *key;

	if (out == NULL || risk == NULL || strcmp(risk, "unlikely") != 0 ||
	    strcmp(to, "closed") == 0 || strcmp(to, "not_a_breach") == 0)
		return (out);
	json_object_foreach(changes, key, v) {
		if (incident_risk_fact(key) &&
		    json_array_append_new(out, json_string(key)) == -1) {
			json_decref(out);
			return (NULL);
		}
	}
	return (out);
}

/*
 * The incident.updated event of changes (borrowed) from cur to after, and
 * its alerts: incident.assigned for a new assignee, risk.reassess for a
 * change to a fact an "unlikely" decision rests on.  0 or -1.
 */
static int
record_update(struct req *r, const json_t *cur, const json_t *after,
    const char *to, json_t *changes)
{
	int64_t event_id;
	json_t *reassess, *ev = NULL, *detail = NULL;
	int rc = -1;

	if ((reassess = reassess_facts(cur, to, changes)) == NULL)
		return (-1);
	ev = json_array_size(reassess) > 0 ? json_pack("{s:O, s:O}",
	    "changes", changes, "reassess", reassess) : json_pack("{s:O}",
	    "changes", changes);
	if (ev == NULL || audit_append(r->store, r->now, r->who.name,
	    "incident.updated", r->ids[0], ev, &event_id) == -1)
		goto out;
	if (json_object_get(changes, "assignee") != NULL &&
	    json_is_string(json_object_get(after, "assignee")) &&
	    alerts_event(r->store, r->ids[0], "incident.assigned", event_id,
	    r->who.name, NULL, r->now) == -1)
		goto out;
	if (json_array_size(reassess) > 0 && ((detail = json_pack("{s:O}",
	    "changed", reassess)) == NULL || alerts_event(r->store, r->ids[0],
	    "risk.reassess", event_id, r->who.name, detail, r->now) == -1))
		goto out;
	rc = 0;
out:
	json_decref(reassess);
	json_decref(ev);
	json_decref(detail);
	return (rc);
}

int
api_incidents_patch(struct req *r)
{
	struct rules_config rc = api_rules_config(r);
	json_t *patch = NULL, *cur = NULL, *before = NULL, *after = NULL;
	json_t *changes = NULL, *ev = NULL, *v;
	const char *key, *from, *to;
	int64_t version, assignee, event_id;
	int status = 500, rc2;

	/* Without If-Match there is nothing to check the body against. */
	if (req_header(r, MHD_HTTP_HEADER_IF_MATCH) == NULL)
		return (api_if_match(r, 0, "incident"));
	if (incident_validate(r->body, false, &patch, &r->problem) == -1)
		return (r->problem.status);
	if (store_begin(r->store) == -1) {
		status = api_internal(r, "begin");
		goto out;
	}
	if ((status = api_incidents_load(r, &cur)) != 200)
		goto rollback;
	version = json_integer_value(json_object_get(cur, "version"));
	if ((status = api_if_match(r, version, "incident")) != 0)
		goto rollback;
	if ((before = facts_of(cur)) == NULL ||
	    (after = json_deep_copy(before)) == NULL)
		goto fail;
	json_object_foreach(patch, key, v)
		if (strcmp(key, "status") != 0 &&
		    json_object_set(after, key, v) == -1)
			goto fail;
	from = json_string_value(json_object_get(cur, "status"));
	to = json_object_get(patch, "status") != NULL ?
	    json_string_value(json_object_get(patch, "status")) : from;
	/* What the status requires holds after every change, not only on
	 * the way in: a patch that stays must not undo it. */
	if ((strcmp(from, to) != 0 ? incident_transition(from, to, after,
	    &r->problem) : incident_status_check(to, after, &r->problem)) ==
	    -1 || incident_check(after, r->now, &r->problem) == -1) {
		status = r->problem.status;
		goto rollback;
	}
	if ((status = resolve_assignee(r, after, json_object_get(patch,
	    "assignee") != NULL, &assignee)) != 0)
		goto rollback;
	if ((changes = diff(before, after)) == NULL)
		goto fail;
	if (json_object_size(changes) == 0 && strcmp(from, to) == 0) {
		store_rollback(r->store);
		r->out = cur;
		cur = NULL;
		set_location_etag(r, r->out, false);
		status = 200;
		goto out;
	}
	rc2 = store_incident_update(r->store, r->ids[0], version, after, to,
	    assignee, r->now);
	if (rc2 == -1)
		goto fail;
	if (rc2 == 1) {
		status = problem_set(&r->problem, 412, "precondition-failed",
		    NULL, "The incident has changed since you read it.");
		goto rollback;
	}
	if (json_object_size(changes) > 0 &&
	    record_update(r, cur, after, to, changes) == -1)
		goto fail;
	if (strcmp(from, to) != 0) {
		ev = json_pack("{s:s, s:s}", "from", from, "to", to);
		if (ev == NULL || audit_append(r->store, r->now, r->who.name,
		    "incident.status_changed", r->ids[0], ev, &event_id) == -1)
			goto fail;
		if (strcmp(from, "suspected") == 0 &&
		    alerts_triaged(r->store, r->ids[0], r->now) == -1)
			goto fail;
		if (strcmp(to, "confirmed") == 0 && alerts_event(r->store,
		    r->ids[0], "incident.confirmed", event_id, r->who.name,
		    NULL, r->now) == -1)
			goto fail;
	}
	if (obligations_recompute(r->store, r->ids[0], &rc, r->who.name,
	    r->now) == -1 || store_commit(r->store) == -1)
		goto fail;
	status = respond_incident(r, r->ids[0], 200, false);
	goto out;
fail:
	status = api_internal(r, "incident patch");
rollback:
	store_rollback(r->store);
out:
	json_decref(patch);
	json_decref(cur);
	json_decref(before);
	json_decref(after);
	json_decref(changes);
	json_decref(ev);
	return (status);
}
