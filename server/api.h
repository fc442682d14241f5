/*
 * api: the REST handlers, one file per resource (api_<resource>.c).  Each
 * follows the contract in req.h and is reached only through the route
 * table in router.c, which has already checked the caller's role.
 */
#ifndef BREACHCLOCK_API_H
#define BREACHCLOCK_API_H

#include <stdbool.h>
#include <stddef.h>

#include "req.h"
#include "rules.h"

int api_health_get(struct req *r);

int api_incidents_create(struct req *r);
int api_incidents_list(struct req *r);
int api_incidents_get(struct req *r);
int api_incidents_patch(struct req *r);
/*
 * The "assignee" query parameter (a user id, "me", "none" or a user name)
 * into *out: 0 when absent (anyone's), -1 for "none", else a user id.
 * Return 0; 1 when it names no user (so nothing matches); or a 400 or 500
 * status with the problem filled.
 */
int api_incidents_assignee(struct req *r, int64_t *out);
/*
 * 200 if incident id exists and the caller may see it, 404 (problem
 * filled) if not, 500 on a database error.  Shared by the sub-resources.
 */
int api_incidents_visible(struct req *r, int64_t id);
/*
 * Load incident r->ids[0] inside the caller's transaction into *inc (a new
 * reference): 200, 404 (problem filled) or 500.
 */
int api_incidents_load(struct req *r, json_t **inc);
/* 0 when inc (borrowed) may still change, else 409 with the problem filled
 * (closed and not_a_breach incidents cannot be reopened). */
int api_incidents_writable(struct req *r, json_t *inc);

int api_risk_create(struct req *r);
int api_risk_list(struct req *r);

int api_obligations_list(struct req *r);
/* Obligations across incidents, soonest deadline first (the dashboard). */
int api_obligations_due(struct req *r);
int api_obligations_get(struct req *r);
int api_obligations_notify(struct req *r);
int api_obligations_waive(struct req *r);

/* A drafted notice (r->slug: the kind) as text, Markdown or HTML. */
int api_notices_get(struct req *r);
/* Record the Art. 34(3) exemption and waive the Art. 34 obligation. */
int api_notices_exemption(struct req *r);

int api_events_list(struct req *r);
int api_events_note(struct req *r);

int api_audit_verify(struct req *r);

int api_notifier_poll(struct req *r);
int api_notifier_claim(struct req *r);
int api_notifier_ack(struct req *r);
int api_notifier_fail(struct req *r);
int api_notifier_release(struct req *r);
int api_alerts_list(struct req *r);
int api_escalation_get(struct req *r);
int api_escalation_put(struct req *r);

int api_regimes_list(struct req *r);
int api_regimes_get(struct req *r);
int api_regimes_create(struct req *r);
int api_regimes_patch(struct req *r);
int api_regimes_retire(struct req *r);

int api_users_list(struct req *r);
int api_users_create(struct req *r);
int api_tokens_create(struct req *r);

/* api_session.c: sign-in, sign-out, passwords, who am I. */
int api_session_me(struct req *r);
int api_session_create(struct req *r);
int api_session_get(struct req *r);
int api_session_delete(struct req *r);
int api_session_password_own(struct req *r);
int api_session_password_set(struct req *r);
/* Check the new-password field of the body (AUTH_PW_MIN to AUTH_PW_MAX
 * characters; required) into *pw (borrowed): 0 or a problem status. */
int api_session_password_field(struct req *r, const char *field,
    const char **pw);
int api_tokens_revoke(struct req *r);

/* The calendar feed (text/calendar) and the caller's feed token. */
int api_calendar_get(struct req *r);
int api_calendar_token_get(struct req *r);
int api_calendar_token_create(struct req *r);
int api_calendar_token_revoke(struct req *r);

/* GET /metrics (text/plain, Prometheus); api_metrics_started() records
 * the process start time it reports. */
int api_metrics_get(struct req *r);
void api_metrics_started(int64_t now);
int api_users_get(struct req *r);
/* Change a user's role, email, tz or disabled flag. */
int api_users_patch(struct req *r);
/* A page of tokens, newest first, without their secrets. */
int api_tokens_list(struct req *r);
/* Holiday sets (api_holidays.c): list, one with its dates, replace. */
int api_holidays_list(struct req *r);
int api_holidays_get(struct req *r);
int api_holidays_put(struct req *r);

/*
 * api_reports.c: the breach register (Art. 33(5)), streamed as CSV, HTML
 * or JSON, and the report figures, computed by SQL aggregates.
 */
int api_reports_register(struct req *r);
int api_reports_get(struct req *r);

/* Body helpers for handlers: check that body has only the keys in
 * allowed[] (NULL-terminated); 0, or 400 invalid-field (problem filled). */
int api_only_fields(struct req *r, const char *const *allowed);
/* 0 unless a member of body named in names[] (NULL-terminated) is null,
 * which a field that cannot be null may not be: then 400 invalid-field
 * "<name>: must not be null" (as incidents answer; problem filled). */
int api_not_null(struct req *r, const char *const *names);
/* An optional string member of at most max characters, no control
 * characters unless multiline: 0 with *out borrowed (NULL if absent or
 * null), or a 400 status with the problem filled. */
int api_string(struct req *r, const char *name, size_t max, bool multiline,
    const char **out);
/* An optional RFC 3339 member: 0 with *out (INT64_MIN if absent), or 400. */
int api_time(struct req *r, const char *name, int64_t *out);
/* The deadline engine's settings from the server's configuration. */
struct rules_config api_rules_config(const struct req *r);
/*
 * A failure of the server, not of the request: log what, fill a bare 500
 * problem and return 500; or, when the store failed because the database
 * is locked, full, read-only or failing (store_fault()), a 503
 * "unavailable" problem with r->retry_after set, and return 503.
 */
int api_internal(struct req *r, const char *what);

/*
 * Optimistic concurrency for a write to a resource (what: "incident",
 * "regime") whose current version is current: 0 when the request's
 * If-Match names its ETag "\"<version>\"" or is "*" (req_if_match(): a
 * list, compared strongly), else 428 when If-Match is missing or 412 when
 * it is stale, weak or malformed, with the problem set.
 */
int api_if_match(struct req *r, int64_t current, const char *what);

/* Set r->etag to the ETag of version v. */
void api_etag(struct req *r, int64_t v);

/*
 * Set r->etag to a fingerprint of the answer in r->text (FNV-1a, 64
 * bits), after version when it is > 0: 200, or 304 with r->text freed
 * when the request's If-None-Match names that ETag.
 */
int api_text_etag(struct req *r, int64_t version);

/*
 * Answer a page of a list as the store wrote it: {"items": items,
 * "next_cursor": cursor or null} as JSON text in r->text, sent as it is (a
 * hot path: no jansson values in between).  items is the JSON text of an
 * array, NULL for none, and is freed here.  200, or api_internal(r, what).
 */
int api_page(struct req *r, char *items, const char *cursor,
    const char *what);

#endif
