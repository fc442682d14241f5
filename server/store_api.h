/*
 * store_api: the data functions of the store, one group per table.
 * Conventions: 0 on success, -1 on a database error (logged once, here),
 * and 1 where the comment says so (not found, stale, duplicate).  JSON
 * values handed back through json_t ** are new references the caller
 * frees; JSON passed in is borrowed.  Writes must run inside
 * store_begin()/store_commit().
 */
#ifndef BREACHCLOCK_STORE_API_H
#define BREACHCLOCK_STORE_API_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "req.h"
#include "rules.h"

struct store;

/* An instant as a JSON string "YYYY-MM-DDTHH:MM:SSZ", or null for
 * INT64_MIN; a new reference. */
json_t *store_json_time(int64_t t);

/* --- users and tokens (store_users.c) --- */

/* Add a user (tz NULL: Europe/London); 1 if the name is taken.  *id gets
 * the new id. */
int store_user_add(struct store *s, const char *name, const char *role,
    const char *email, const char *tz, int64_t now, int64_t *id);
/* Look a user up by name into *out; 1 if there is none. */
int store_user_get(struct store *s, const char *name, struct principal *out);
/* Every user as API JSON, by name: [{id, name, role, email, tz,
 * created_at, disabled, has_password}]. */
int store_user_list(struct store *s, json_t **items);
/* One user as API JSON (as store_user_list) into *out, a new reference;
 * 1 (and *out NULL) if there is no such user. */
int store_user_json(struct store *s, int64_t id, json_t **out);
/* Write a user's role, email (NULL: none) and tz, and set disabled_at to
 * now when disabled (kept if set already) or clear it. */
int store_user_update(struct store *s, int64_t id, const char *role,
    const char *email, const char *tz, bool disabled, int64_t now);
/* A page of tokens (of user_id, or everyone's when 0), newest first, as
 * API JSON [{id, user: {id, name}, created_at, expires_at, revoked_at}]
 * into *items; cursor 0 starts from the newest, else ids below it; *next
 * gets the cursor of the next page or 0 at the end. */
int store_token_list(struct store *s, int64_t user_id, int64_t cursor,
    int64_t limit, json_t **items, int64_t *next);
/* Store a token hash; expires_at INT64_MIN for never.  *id: token id. */
int store_token_add(struct store *s, int64_t user_id,
    const unsigned char hash[32], int64_t now, int64_t expires_at,
    int64_t *id);
/* The user of a live token into *who; 1 if unknown, expired, revoked. */
int store_token_auth(struct store *s, const unsigned char hash[32],
    int64_t now, struct principal *who);
/* Revoke a token; 1 if there is no such token.  Revoking twice is 0. */
int store_token_revoke(struct store *s, int64_t id, int64_t now);

/* --- calendar feed (store_calendar.c) --- */

/* Set user_id's calendar feed token hash, replacing any earlier one. */
int store_calendar_token_put(struct store *s, int64_t user_id,
    const unsigned char hash[32], int64_t now);
/* When user_id's feed token was made into *created_at; 1 if none. */
int store_calendar_token_get(struct store *s, int64_t user_id,
    int64_t *created_at);
/* Forget user_id's feed token; 1 if there was none. */
int store_calendar_token_delete(struct store *s, int64_t user_id);
/* The active user whose feed token has this hash into *who; 1 if none. */
int store_calendar_token_auth(struct store *s, const unsigned char hash[32],
    struct principal *who);
/* This installation's id for event UIDs into buf[len]. */
int store_calendar_instance(struct store *s, char *buf, size_t len);
/* The pending obligations of open incidents, soonest first, at most
 * limit, into a new array *items of {obligation_id, incident_id,
 * revision, due_at, created_at, updated_at (integers), target (bool),
 * ref, title, regime_name, phase_name, recipient, basis}. */
int store_calendar_events(struct store *s, int64_t limit, json_t **items);

/* --- metrics gauges (store_metrics.c) --- */

#define STORE_METRICS_STATES 4
#define STORE_METRICS_ALERT_STATES 3
/* The open incident statuses and the alert states counted, in the order
 * of struct store_metrics' arrays. */
extern const char *const store_metrics_incident_states[STORE_METRICS_STATES];
extern const char *const store_metrics_alert_states[STORE_METRICS_ALERT_STATES];

struct store_metrics {
	int64_t incidents[STORE_METRICS_STATES];
	int64_t alerts[STORE_METRICS_ALERT_STATES];
	int64_t due_24h;      /* pending, open incident, now <= due < now+24h */
	int64_t overdue;      /* pending, open incident, due < now */
	int64_t db_bytes;     /* page_count * page_size */
};

/* Count the gauges at time now into *m. */
int store_metrics_gauges(struct store *s, int64_t now, struct store_metrics *m);

/* --- sessions, passwords, sign-in failures (store_sessions.c) --- */

/* A browser session as the store keeps it. */
struct store_session {
	int64_t id;
	char csrf[64];             /* the token writes must echo */
	int64_t created_at;
	int64_t expires_at;
};

/* Consecutive failed sign-ins under one key ('user:NAME', 'addr:IP'). */
struct store_login_failure {
	int64_t failures;
	int64_t last_at;
	int64_t locked_until;
};

/* Store a new session for user_id under the hash of its cookie secret. */
int store_session_add(struct store *s, int64_t user_id,
    const unsigned char hash[32], const char *csrf, int64_t now,
    int64_t expires_at);
/* The user (*who) and session (*out) of a cookie hash; 1 if there is no
 * such session or its user is disabled.  Expiry is the caller's check. */
int store_session_auth(struct store *s, const unsigned char hash[32],
    struct principal *who, struct store_session *out);
/* Move a session's expiry. */
int store_session_touch(struct store *s, int64_t id, int64_t expires_at);
/* End one session. */
int store_session_delete(struct store *s, int64_t id);
/* End every session of user_id except session keep (0: none kept). */
int store_session_delete_user(struct store *s, int64_t user_id,
    int64_t keep);
/* Forget sessions that expired before now. */
int store_session_expire(struct store *s, int64_t now);
/* The id and argon2id string (into hash[len]; "" when the user has no
 * password) of the active user called name; 1 if there is none. */
int store_password_get(struct store *s, const char *name, int64_t *user_id,
    char *hash, size_t len);
/* The argon2id string of user id into hash[len] ("" for none); 1 if there
 * is no such user. */
int store_password_by_id(struct store *s, int64_t id, char *hash,
    size_t len);
/* Set user id's argon2id string; 1 if there is no such user. */
int store_password_set(struct store *s, int64_t id, const char *hash);
/* The failures recorded under key into *out (zeroed); 1 if none. */
int store_login_failure_get(struct store *s, const char *key,
    struct store_login_failure *out);
/* Record *f under key. */
int store_login_failure_put(struct store *s, const char *key,
    const struct store_login_failure *f);
/* Forget the failures under key. */
int store_login_failure_clear(struct store *s, const char *key);

/* --- incidents (store_incidents.c) --- */

/* Insert an incident from complete facts (incident.h); assignee_id 0 for
 * none.  Allocates the next BR-YYYY-NNNN ref.  *id: the new id. */
int store_incident_insert(struct store *s, const json_t *facts,
    int64_t reporter_id, int64_t assignee_id, int64_t now, int64_t *id);
/* The incident as API JSON into *out (NULL when there is none), and its
 * reporter's user id into *reporter_id (may be NULL). */
int store_incident_get(struct store *s, int64_t id, json_t **out,
    int64_t *reporter_id);
/* The same incident as API JSON text: a new NUL-terminated string *text
 * of *len bytes that the caller frees, its version into *version and its
 * reporter's user id into *reporter_id (either may be NULL); 1 (and
 * *text NULL) when there is none. */
int store_incident_text(struct store *s, int64_t id, char **text,
    size_t *len, int64_t *version, int64_t *reporter_id);
/* Write complete facts, status and assignee if version still matches and
 * bump the version; 1 when the version is stale. */
int store_incident_update(struct store *s, int64_t id, int64_t version,
    const json_t *facts, const char *status, int64_t assignee_id,
    int64_t now);
/* Record the latest risk level and bump the version. */
int store_incident_set_risk(struct store *s, int64_t id, const char *risk,
    int64_t now);

struct store_incident_filter {
	const char *status;   /* NULL: any */
	const char *risk;     /* unlikely | risk | high | none; NULL: any */
	const char *q;        /* lower-case substring; NULL: any */
	int64_t due_before;   /* INT64_MIN: any */
	int64_t reporter_id;  /* 0: anyone's */
	int64_t assignee;     /* 0: anyone's; -1: unassigned; > 0: user id */
	const char *regime_id; /* with an obligation of it; NULL: any */
	int64_t cursor;       /* 0: from the newest; else ids below it */
	int64_t limit;
};
/* A page of incidents, newest first, as the text of a JSON array: a new
 * NUL-terminated string *items of *len bytes that the caller frees; *next
 * gets the cursor for the next page, or 0 at the end. */
int store_incident_list(struct store *s, const struct store_incident_filter *f,
    char **items, size_t *len, int64_t *next);

/* Size of the request hash kept with an Idempotency-Key. */
#define STORE_IDEM_HASH 32
/*
 * The incident a user's Idempotency-Key made: 0 with *incident_id and
 * the hash of the request that made it copied into hash (*hashed false,
 * hash untouched, for a key kept before the hash was), 1 if none, -1.
 */
int store_idempotency_get(struct store *s, int64_t user_id, const char *key,
    int64_t *incident_id, unsigned char hash[STORE_IDEM_HASH], bool *hashed);
/* Remember that key (with the request's hash) made incident_id. */
int store_idempotency_put(struct store *s, int64_t user_id, const char *key,
    int64_t incident_id, const unsigned char hash[STORE_IDEM_HASH],
    int64_t now);

/* The facts the deadline engine needs; 1 if there is no such incident.
 * controller_name gets the processor's controller or "". */
int store_rules_facts(struct store *s, int64_t id, struct rules_facts *f,
    char *controller_name, size_t len);

/* Ids of the incidents still open (not closed, not "not a breach"), into
 * a new array *ids of *n entries the caller frees. */
int store_open_incidents(struct store *s, int64_t **ids, size_t *n);

/* --- risk decisions (store_decisions.c) --- */

int store_decision_add(struct store *s, int64_t incident_id,
    const char *level, const char *rationale, int64_t user_id, int64_t now,
    int64_t *id);
/* Decisions of an incident, oldest first (only decision_id if not 0). */
int store_decision_list(struct store *s, int64_t incident_id,
    int64_t decision_id, json_t **items);

/* --- obligations and notifications (store_obligations.c) --- */

struct store_obligation {
	int64_t id;
	char regime_id[65];
	char phase[33];
	char phase_name[200];
	char state[16];       /* pending | met | not_required | waived */
	int64_t starts_at;
	int64_t due_at;
	int target;           /* 1: due_at is an organisation target */
	char basis[512];
	char recipient[256];
};

/* Every obligation of an incident into a new array *out of *n entries
 * the caller frees. */
int store_obligation_all(struct store *s, int64_t incident_id,
    struct store_obligation **out, size_t *n);
int store_obligation_insert(struct store *s, int64_t incident_id,
    const struct store_obligation *o, int64_t now, int64_t *id);
/* Write state, recipient, starts_at, due_at, target, phase_name and
 * basis of o->id. */
int store_obligation_update(struct store *s, const struct store_obligation *o,
    int64_t now);
/* The obligations of an incident (only obligation_id if not 0) as API
 * JSON with their notifications; pending ones past due read "missed". */
int store_obligation_list(struct store *s, int64_t incident_id,
    int64_t obligation_id, int64_t now, json_t **items);
struct store_due_filter {
	const char *state;      /* stored state: pending | met |
	                         * not_required | waived */
	const char *status;     /* incident status; NULL: the open ones */
	const char *risk;       /* unlikely | risk | high | none; NULL: any */
	const char *regime_id;  /* NULL: any */
	int64_t assignee;       /* 0: anyone's; -1: unassigned; > 0: user */
	int64_t due_before;     /* only due_at < this (INT64_MAX: any) */
	int64_t after_due;      /* keyset: only (due_at, id) after these */
	int64_t after_id;       /* (INT64_MIN, 0 for the first page) */
	int64_t limit;
};
/* A page of obligations across incidents, by due_at then id: items is
 * the JSON text of an array (NUL-terminated, len bytes, the caller frees)
 * of API objects (as store_obligation_list) each with an "incident"
 * summary {id, ref, title, status, risk, assignee}; more is true when more
 * follow, and last_due, last_id are the page's last (due_at, id). */
struct store_due_page {
	char *items;
	size_t len;
	bool more;
	int64_t last_due, last_id;
};
int store_obligation_due(struct store *s, const struct store_due_filter *f,
    int64_t now, struct store_due_page *page);
/* Mark a pending obligation met; 1 if it is not pending. */
int store_obligation_meet(struct store *s, int64_t id, int64_t met_at,
    const char *reference, const char *delay_reason, int64_t now);
/* Mark a pending obligation waived; 1 if it is not pending. */
int store_obligation_waive(struct store *s, int64_t id, const char *reason,
    int64_t now);
int store_notification_add(struct store *s, int64_t obligation_id,
    int64_t sent_at, const char *recipient, const char *reference,
    int follow_up, const char *delay_reason, int64_t user_id, int64_t now,
    int64_t *id);
/* One notification of an incident as API JSON into *out (NULL if none). */
int store_notification_get(struct store *s, int64_t incident_id, int64_t id,
    json_t **out);

/* --- notices (store_notices.c) --- */

/* Keep the exact text of the notice kind sent with notification_id, and
 * the incident version its draft came from (0: not known). */
int store_notice_text_add(struct store *s, int64_t notification_id,
    const char *kind, int64_t incident_version, const char *text);
/* Record the Art. 34(3) exemption ("a", "b" or "c") relied on for an
 * incident; 1 if one is recorded already. */
int store_art34_exemption_add(struct store *s, int64_t incident_id,
    const char *exemption, const char *explanation, int64_t user_id,
    int64_t now);
/* The exemption of an incident as API JSON {incident_id, exemption,
 * explanation, decided_by, decided_at} into *out (a new reference), or
 * NULL when none is recorded. */
int store_art34_exemption_get(struct store *s, int64_t incident_id,
    json_t **out);

/* --- regimes and holidays (store_regimes.c) --- */

/* Call fn(arg, id, legal_source, recipient, rule) for every regime (also
 * the retired ones when all); strings borrowed for the call.  fn returns
 * 0 to go on, -1 to stop with an error. */
int store_regime_scan(struct store *s, bool all,
    int (*fn)(void *, const char *, const char *, const char *, const char *),
    void *arg);
/* Regimes as API JSON (only id if not NULL) into *items. */
int store_regime_list(struct store *s, const char *id, json_t **items);
/* Insert (update == false; 1 if the id is taken) or update (1 if there
 * is no such regime) a regime from a complete API object. */
int store_regime_put(struct store *s, const json_t *regime, bool update,
    int64_t now);
/* Retire a regime; 1 if there is none in force with that id. */
int store_regime_retire(struct store *s, const char *id, int64_t now);
/* A text that changes whenever the regimes or holiday sets change, so
 * that a cached copy can tell it is stale (even after another process
 * changed them). */
int store_catalog_stamp(struct store *s, char *buf, size_t len);
/* Call fn(arg, set_id, day) for every holiday, by set then day. */
int store_holiday_scan(struct store *s,
    int (*fn)(void *, const char *, int64_t), void *arg);
/* Replace the days of a holiday set with days ([{day, title}]); 1 if the
 * set does not exist. */
int store_holiday_replace(struct store *s, const char *set_id,
    json_t *days, const char *source, int64_t now);
/* Holiday sets (only set_id if not NULL) as API JSON [{id, name, source,
 * updated_at, count, first_date, last_date}], by id, into *items. */
int store_holiday_set_list(struct store *s, const char *set_id,
    json_t **items);
/* The days of a set as API JSON [{date, title}], by date, into *items. */
int store_holiday_set_days(struct store *s, const char *set_id,
    json_t **items);
/* Rename a holiday set. */
int store_holiday_set_rename(struct store *s, const char *set_id,
    const char *name);

/* --- settings and the alert outbox (store_alerts.c) --- */

/* A settings document (new reference) by key. */
int store_setting_get(struct store *s, const char *key, json_t **value);
int store_setting_put(struct store *s, const char *key, json_t *value,
    int64_t now);

struct store_alert_new {
	const char *key;          /* unique: a second insert is a no-op */
	const char *kind;         /* ladder | event | digest | failure */
	const char *step;
	int64_t incident_id;      /* 0: none */
	int64_t obligation_id;    /* 0: none */
	json_t *audience;         /* borrowed JSON array of role names */
	json_t *data;             /* borrowed JSON object, or NULL */
	int64_t send_at;
	int64_t expires_at;
};

/* The alert with this key: 0 and its id, state, send_at; 1 if none. */
int store_alert_find(struct store *s, const char *key, int64_t *id,
    char *state, size_t len, int64_t *send_at);
/* Queue an alert unless its key exists already. */
int store_alert_insert(struct store *s, const struct store_alert_new *a,
    int64_t now);
/* Move a queued (or cancelled, which requeues it) alert. */
int store_alert_reschedule(struct store *s, int64_t id, int64_t send_at,
    int64_t expires_at, int64_t now);
/* Cancel queued alerts: one, every one of an obligation, or by key. */
int store_alert_cancel(struct store *s, int64_t id, int64_t now);
int store_alert_cancel_obligation(struct store *s, int64_t obligation_id,
    int64_t now);
int store_alert_cancel_key(struct store *s, const char *key, int64_t now);
/* Alerts due now, oldest first: [{id, key, kind, send_at}]. */
int store_alert_due(struct store *s, int64_t now, int64_t limit,
    json_t **items);
/* When the next alert falls due (INT64_MIN when none is waiting). */
int store_alert_next_due(struct store *s, int64_t *t);
/* One alert's stored row as JSON into *out (NULL if none). */
int store_alert_get(struct store *s, int64_t id, json_t **out);
/* A page of the outbox, newest first; *next: cursor or 0. */
int store_alert_list(struct store *s, const char *state, int64_t incident_id,
    int64_t cursor, int64_t limit, json_t **items, int64_t *next);
/* Lease changes: 0 when done, 1 when the alert is not in a state that
 * allows it (someone else holds it, it is sent, ...).  worker may be NULL
 * (any holder) except for a claim. */
int store_alert_claim(struct store *s, int64_t id, const char *worker,
    int64_t lease_until, int64_t now);
int store_alert_ack(struct store *s, int64_t id, const char *worker,
    const char *message_ids, int64_t now);
/* message_ids (JSON array text, or NULL to keep the stored ones): the
 * Message-IDs this attempt got accepted, skipped on the next one. */
int store_alert_retry(struct store *s, int64_t id, const char *worker,
    const char *state, int64_t next_attempt_at, const char *error,
    const char *message_ids, int64_t now);
int store_alert_release(struct store *s, int64_t id, const char *worker,
    int64_t now);
/* Append {name, email, tz} of users with the role (and an e-mail), or of
 * one user, to the array into. */
int store_users_by_role(struct store *s, const char *role, json_t *into);
int store_user_contact(struct store *s, const char *name, json_t *into);
/* The daily digest: {open_incidents, due_7d, overdue} (new reference). */
int store_digest(struct store *s, int64_t now, json_t **out);

/* --- retention (store_retention.c) --- */

/* An incident that retention may anonymise. */
struct store_retention_due {
	int64_t id;
	char ref[40];
	int64_t closed_at;    /* when it was closed or found not a breach */
};

/* Up to max incidents, with ids above after, in id order, closed or
 * found not a breach at or before cutoff and not anonymised yet, into
 * out[0..*n). */
int store_retention_due(struct store *s, int64_t cutoff, int64_t after,
    struct store_retention_due *out, size_t max, size_t *n);
/*
 * Erase the free text of closed incident id (title becomes mark, every
 * other free-text fact that is set becomes mark), of its risk decisions'
 * rationales, its obligations' delay and waiver reasons, its
 * notifications' delay reasons, the sent notice texts and the Art. 34(3)
 * explanation; set anonymised_at = now and bump the version.  *counts
 * gets a new object {table: rows changed} for the related tables.  1
 * (nothing changed) if the incident is not closed or already anonymised.
 */
int store_retention_erase(struct store *s, int64_t id, const char *mark,
    int64_t now, json_t **counts);
/* The events of an incident not redacted yet, oldest first, as a new
 * array of {id, data (text), legacy (true: a v1 event, audit.h)}. */
int store_retention_events(struct store *s, int64_t incident_id,
    json_t **items);
/* Replace the data of a v2 event once and mark it redacted; 1 if it is
 * a v1 event or redacted already. */
int store_retention_event_redact(struct store *s, int64_t event_id,
    const char *data, int64_t now);

/* --- events (store_events.c) --- */

struct store_event {
	int64_t id;
	int64_t at;
	int64_t incident_id;  /* 0: none */
	const char *actor;
	const char *action;
	const char *data;
	const char *data_hash;  /* NULL: a v1 event (audit.h) */
	bool redacted;          /* retention erased text from data */
	const char *prev_hash;
	const char *hash;
};

/* The last event's id (0 if none) and hash. */
int store_event_last(struct store *s, int64_t *id, char hash[65]);
int store_event_insert(struct store *s, int64_t id, int64_t at,
    const char *actor, const char *action, int64_t incident_id,
    const char *data, const char *data_hash, const char *prev_hash,
    const char *hash);
/* Call fn for every event in id order; the strings are borrowed for the
 * call.  fn returns 0 to go on. */
int store_event_scan(struct store *s,
    int (*fn)(void *, const struct store_event *), void *arg);
/* An incident's events, oldest first, as API JSON (only event_id if not
 * 0). */
int store_event_list(struct store *s, int64_t incident_id, int64_t event_id,
    json_t **items);

/* --- the breach register and the reports (store_reports.c) --- */

/* Which incidents a register page reads: discovered_at in [from, to],
 * after the position (after_at, after_id) in (discovered_at, id) order,
 * at most limit of them; now decides which pending obligations are
 * 'missed'. */
struct store_register_query {
	int64_t from, to;
	int64_t after_at, after_id;
	int64_t limit;
	int64_t now;
};
/* Called once per register entry (a RegisterEntry object, borrowed for
 * the call) with its position: 0 to go on, 1 to stop after this one, -1
 * to fail the scan. */
typedef int (*store_register_fn)(void *arg, json_t *entry,
    int64_t discovered_at, int64_t id);
/*
 * Read one page of the register and hand each entry to fn.  The statement
 * is reset before this returns, so nothing stays open between pages.  1
 * when the page ended before limit rows (the end of the register), 0 when
 * more may follow (limit reached, or fn stopped), -1 on an error.
 */
int store_register_scan(struct store *s, const struct store_register_query *q,
    store_register_fn fn, void *arg);
/*
 * The report figures (Report in docs/openapi.yaml, without from, to and
 * generated_at) over the incidents discovered in [from, to], as a new
 * object in *out.  by_month counts by the calendar month of discovered_at
 * in zone tz (an IANA name that calendar_zone_valid() accepted; NULL:
 * UTC) and lists only months with incidents.  tz is borrowed.
 */
int store_report(struct store *s, const char *tz, int64_t from, int64_t to,
    int64_t now, json_t **out);

#endif
