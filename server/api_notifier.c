/* api_notifier: the outbox as the notifier sees it (long-poll, claim with
 * a lease, acknowledge, fail, release), the outbox for admins, and the
 * escalation settings. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alerts.h"
#include "audit.h"
#include "api.h"
#include "config.h"
#include "escalation.h"
#include "mono.h"
#include "parse.h"
#include "store.h"
#include "store_api.h"
#include "timeutil.h"

#define WAIT_MAX 60
#define LIMIT_DEFAULT 100
#define LIMIT_MAX 500
#define LEASE_DEFAULT 60
#define BACKOFF_BASE 30
#define BACKOFF_CAP 3600

static int
bad_query(struct req *r, const char *name, const char *why)
{
	return (problem_set(&r->problem, 400, "invalid-query", name, "%s: %s",
	    name, why));
}

int
api_notifier_poll(struct req *r)
{
	const char *v;
	json_t *items;
	int64_t wait = 0, limit = LIMIT_DEFAULT;

	if ((v = req_query(r, "wait")) != NULL &&
	    parse_int64(v, 0, WAIT_MAX, &wait) == -1)
		return (bad_query(r, "wait", "must be 0 to 60 seconds"));
	if ((v = req_query(r, "limit")) != NULL &&
	    parse_int64(v, 1, LIMIT_MAX, &limit) == -1)
		return (bad_query(r, "limit", "must be 1 to 500"));
	if (r->wait_until == 0) {
		/* First pass: the leadership digest falls due by the clock,
		 * not by any change; queue it here. */
		if (store_begin(r->store) == -1)
			return (api_internal(r, "begin"));
		if (alerts_digest(r->store, r->now) == -1 ||
		    store_commit(r->store) == -1) {
			store_rollback(r->store);
			return (api_internal(r, "digest"));
		}
	}
	if (store_alert_due(r->store, r->now, limit, &items) == -1)
		return (api_internal(r, "alert due"));
	if (json_array_size(items) == 0 && !r->stopping) {
		int64_t now_ms = mono_ms();
		int64_t until = r->wait_until != 0 ? r->wait_until :
		    now_ms + wait * 1000;

		if (now_ms < until) {
			/* Nothing due: park the request (no thread held)
			 * until an alert falls due or the wait ends. */
			json_decref(items);
			r->suspend_until = until;
			return (0);
		}
	}
	r->out = json_pack("{s:o, s:o}", "items", items, "now",
	    store_json_time(r->now));
	return (r->out != NULL ? 200 : api_internal(r, "alert due"));
}

/* The worker name of a lease body, whose nulls api_not_null() has
 * refused: NULL when absent; 400 if malformed or empty (AlertWorker: 1 to
 * 100 characters). */
static int
worker_of(struct req *r, const char **worker)
{
	int status;

	if ((status = api_string(r, "worker", 100, false, worker)) != 0)
		return (status);
	if (*worker != NULL && **worker == '\0')
		return (problem_set(&r->problem, 400, "invalid-field",
		    "worker", "worker: must not be empty"));
	return (0);
}

static int
not_claimable(struct req *r, int64_t id)
{
	json_t *a;

	if (store_alert_get(r->store, id, &a) == -1)
		return (api_internal(r, "alert get"));
	if (a == NULL)
		return (problem_set(&r->problem, 404, "not-found", NULL,
		    "There is no alert %lld.", (long long)id));
	json_decref(a);
	return (problem_set(&r->problem, 409, "conflict", NULL, "Alert %lld "
	    "is not yours to change (another worker holds it, or it is done).",
	    (long long)id));
}

int
api_notifier_claim(struct req *r)
{
	static const char *const fields[] = { "lease_seconds", "worker", NULL };
	const char *worker;
	json_t *lease, *a = NULL;
	int64_t secs = LEASE_DEFAULT;
	int status, rc;

	if ((status = api_only_fields(r, fields)) != 0 ||
	    (status = api_not_null(r, fields)) != 0 ||
	    (status = worker_of(r, &worker)) != 0)
		return (status);
	if ((lease = json_object_get(r->body, "lease_seconds")) != NULL) {
		if (!json_is_integer(lease) || json_integer_value(lease) < 5 ||
		    json_integer_value(lease) > 600)
			return (problem_set(&r->problem, 400, "invalid-field",
			    "lease_seconds", "lease_seconds: must be 5 to 600"));
		secs = json_integer_value(lease);
	}
	if (worker == NULL)
		worker = r->who.name;

	if (store_begin(r->store) == -1)
		return (api_internal(r, "begin"));
	if ((rc = store_alert_claim(r->store, r->ids[0], worker,
	    r->now + secs, r->now)) != 0) {
		store_rollback(r->store);
		return (rc == 1 ? not_claimable(r, r->ids[0]) :
		    api_internal(r, "claim"));
	}
	if (store_alert_get(r->store, r->ids[0], &a) == -1 || a == NULL ||
	    alerts_view(r->store, a, r->base_url, r->now, &r->out) == -1 ||
	    store_commit(r->store) == -1) {
		store_rollback(r->store);
		json_decref(a);
		json_decref(r->out);
		r->out = NULL;
		return (api_internal(r, "claim"));
	}
	json_decref(a);
	return (200);
}

/*
 * Validate an optional message_ids member (ids, borrowed): 0 with *text a
 * new JSON array text the caller frees (NULL when absent), or a 400.
 */
static int
message_ids(struct req *r, json_t *ids, char **text)
{
	json_t *v;
	size_t i;

	*text = NULL;
	if (ids == NULL)
		return (0);
	if (!json_is_array(ids) || json_array_size(ids) > 100)
		return (problem_set(&r->problem, 400, "invalid-field",
		    "message_ids", "message_ids: must be an array of at most "
		    "100 Message-IDs"));
	json_array_foreach(ids, i, v)
		if (!json_is_string(v) || json_string_length(v) == 0 ||
		    json_string_length(v) > 998)
			return (problem_set(&r->problem, 400, "invalid-field",
			    "message_ids", "message_ids: items must be "
			    "Message-IDs of 1 to 998 characters"));
	if ((*text = json_dumps(ids, JSON_COMPACT)) == NULL)
		return (api_internal(r, "message ids"));
	return (0);
}

int
api_notifier_ack(struct req *r)
{
	static const char *const fields[] = { "message_ids", "worker", NULL };
	const char *worker;
	json_t *ids = json_object_get(r->body, "message_ids"), *a = NULL;
	char *text;
	int status, rc;

	if ((status = api_only_fields(r, fields)) != 0 ||
	    (status = api_not_null(r, fields)) != 0 ||
	    (status = worker_of(r, &worker)) != 0)
		return (status);
	if ((status = message_ids(r, ids, &text)) != 0)
		return (status);
	if (text == NULL)
		return (problem_set(&r->problem, 400, "invalid-field",
		    "message_ids", "message_ids: is required"));
	if (store_begin(r->store) == -1) {
		free(text);
		return (api_internal(r, "begin"));
	}
	rc = store_alert_ack(r->store, r->ids[0], worker, text, r->now);
	free(text);
	if (rc != 0) {
		store_rollback(r->store);
		return (rc == 1 ? not_claimable(r, r->ids[0]) :
		    api_internal(r, "ack"));
	}
	if (store_alert_get(r->store, r->ids[0], &a) == -1 || a == NULL ||
	    alerts_after_sent(r->store, a, r->now) == -1 ||
	    store_commit(r->store) == -1) {
		store_rollback(r->store);
		json_decref(a);
		return (api_internal(r, "ack"));
	}
	r->out = json_pack("{s:O, s:O, s:O}", "id", json_object_get(a, "id"),
	    "state", json_object_get(a, "state"), "sent_at",
	    json_object_get(a, "sent_at"));
	json_decref(a);
	return (r->out != NULL ? 200 : api_internal(r, "ack"));
}

int
api_notifier_fail(struct req *r)
{
	static const char *const fields[] = { "error", "permanent", "worker",
		"message_ids", NULL };
	const char *error, *worker, *state;
	json_t *perm = json_object_get(r->body, "permanent"), *a = NULL;
	int64_t expires, next, attempts;
	char *ids = NULL;
	int status, rc;

	if ((status = api_only_fields(r, fields)) != 0 ||
	    (status = api_not_null(r, fields)) != 0 ||
	    (status = worker_of(r, &worker)) != 0 ||
	    (status = api_string(r, "error", 2000, true, &error)) != 0)
		return (status);
	if (error == NULL)
		return (problem_set(&r->problem, 400, "invalid-field", "error",
		    "error: is required"));
	if (perm != NULL && !json_is_boolean(perm))
		return (problem_set(&r->problem, 400, "invalid-field",
		    "permanent", "permanent: must be true or false"));
	if ((status = message_ids(r, json_object_get(r->body, "message_ids"),
	    &ids)) != 0)
		return (status);
	if (store_begin(r->store) == -1) {
		free(ids);
		return (api_internal(r, "begin"));
	}
	if (store_alert_get(r->store, r->ids[0], &a) == -1)
		goto fail;
	if (a == NULL) {
		store_rollback(r->store);
		free(ids);
		return (not_claimable(r, r->ids[0]));
	}
	/* Backoff: base * attempts^2 seconds, capped; give up at expiry. */
	attempts = json_integer_value(json_object_get(a, "attempts"));
	next = BACKOFF_BASE * attempts * attempts;
	next = r->now + (next > BACKOFF_CAP ? BACKOFF_CAP : next);
	(void)timeutil_parse(json_string_value(json_object_get(a,
	    "expires_at")), &expires);
	state = json_is_true(perm) || next > expires ? "failed" : "queued";
	rc = store_alert_retry(r->store, r->ids[0], worker, state, next, error,
	    ids, r->now);
	free(ids);
	ids = NULL;
	if (rc != 0) {
		store_rollback(r->store);
		json_decref(a);
		return (rc == 1 ? not_claimable(r, r->ids[0]) :
		    api_internal(r, "fail"));
	}
	if ((strcmp(state, "failed") == 0 &&
	    alerts_failed(r->store, a, error, r->now) == -1) ||
	    store_commit(r->store) == -1)
		goto fail;
	json_decref(a);
	r->out = json_pack("{s:I, s:s, s:o}", "id", (json_int_t)r->ids[0],
	    "state", state, "next_attempt_at", strcmp(state, "queued") == 0 ?
	    store_json_time(next) : json_null());
	return (r->out != NULL ? 200 : api_internal(r, "fail"));
fail:
	store_rollback(r->store);
	json_decref(a);
	free(ids);
	return (api_internal(r, "fail"));
}

int
api_notifier_release(struct req *r)
{
	static const char *const fields[] = { "worker", NULL };
	const char *worker;
	int status, rc;

	if ((status = api_only_fields(r, fields)) != 0 ||
	    (status = api_not_null(r, fields)) != 0 ||
	    (status = worker_of(r, &worker)) != 0)
		return (status);
	if (store_begin(r->store) == -1)
		return (api_internal(r, "begin"));
	if ((rc = store_alert_release(r->store, r->ids[0], worker, r->now)) !=
	    0 || store_commit(r->store) == -1) {
		store_rollback(r->store);
		return (rc == 1 ? not_claimable(r, r->ids[0]) :
		    api_internal(r, "release"));
	}
	r->out = json_pack("{s:I, s:s}", "id", (json_int_t)r->ids[0], "state",
	    "queued");
	return (r->out != NULL ? 200 : api_internal(r, "release"));
}

int
api_alerts_list(struct req *r)
{
	static const char *const states[] = { "queued", "claimed", "sent",
		"failed", "cancelled", NULL };
	const char *state = req_query(r, "state"), *v;
	int64_t incident = 0, limit = LIMIT_DEFAULT, cursor = 0, next;
	json_t *items;
	size_t i;

	if (state != NULL) {
		for (i = 0; states[i] != NULL; i++)
			if (strcmp(states[i], state) == 0)
				break;
		if (states[i] == NULL)
			return (bad_query(r, "state", "is not an alert state"));
	}
	if ((v = req_query(r, "incident_id")) != NULL &&
	    parse_int64(v, 1, INT64_MAX, &incident) == -1)
		return (bad_query(r, "incident_id", "must be an incident id"));
	if ((v = req_query(r, "limit")) != NULL &&
	    parse_int64(v, 1, LIMIT_MAX, &limit) == -1)
		return (bad_query(r, "limit", "must be 1 to 500"));
	if ((v = req_query(r, "cursor")) != NULL &&
	    parse_int64(v, 1, INT64_MAX, &cursor) == -1)
		return (bad_query(r, "cursor", "is not a cursor this server "
		    "gave"));
	if (store_alert_list(r->store, state, incident, cursor, limit, &items,
	    &next) == -1)
		return (api_internal(r, "alert list"));
	r->out = json_pack("{s:o, s:o}", "items", items, "next_cursor",
	    next != 0 ? json_sprintf("%lld", (long long)next) : json_null());
	return (r->out != NULL ? 200 : api_internal(r, "alert list"));
}

int
api_escalation_get(struct req *r)
{
	if (store_setting_get(r->store, "escalation", &r->out) == -1)
		return (api_internal(r, "escalation"));
	return (200);
}

/* Every per-regime ladder must name a regime this server has. */
static int
escalation_regimes_exist(struct req *r)
{
	const char *id;
	json_t *v, *items;
	size_t n;

	json_object_foreach(json_object_get(r->body, "regimes"), id, v) {
		if (store_regime_list(r->store, id, &items) == -1)
			return (api_internal(r, "escalation regimes"));
		n = json_array_size(items);
		json_decref(items);
		if (n == 0)
			return (problem_set(&r->problem, 400, "invalid-field",
			    "regimes", "regimes: there is no regime %s", id));
	}
	return (0);
}

int
api_escalation_put(struct req *r)
{
	json_t *ev;
	int status;

	if (escalation_check(r->body, r->cfg->allow_internal_webhooks != 0,
	    &r->problem) == -1)
		return (r->problem.status);
	if ((status = escalation_regimes_exist(r)) != 0)
		return (status);
	if (store_begin(r->store) == -1)
		return (api_internal(r, "begin"));
	ev = json_pack("{s:O}", "escalation", r->body);
	if (ev == NULL || store_setting_put(r->store, "escalation", r->body,
	    r->now) == -1 || audit_append(r->store, r->now, r->who.name,
	    "escalation.changed", 0, ev, NULL) == -1 ||
	    store_commit(r->store) == -1) {
		store_rollback(r->store);
		json_decref(ev);
		return (api_internal(r, "escalation"));
	}
	json_decref(ev);
	r->out = json_incref(r->body);
	return (200);
}
