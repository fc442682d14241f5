/* store_alerts: the escalation outbox, settings, and the lookups the
 * notifier's view of an alert needs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "store_api.h"

int
store_setting_get(struct store *s, const char *key, json_t **value)
{
	sqlite3_stmt *st;
	int rc;

	*value = NULL;
	if ((st = store_stmt(s, STORE_SQL_SETTING_GET)) == NULL ||
	    store_bind_text(st, ":key", key) == -1)
		return (-1);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		*value = json_loads(store_col_text(st, 0), 0, NULL);
	else if (rc != SQLITE_DONE)
		return (store_fail(s, st, "setting get"));
	sqlite3_reset(st);
	return (*value != NULL ? 0 : -1);
}

int
store_setting_put(struct store *s, const char *key, json_t *value,
    int64_t now)
{
	sqlite3_stmt *st;
	char *text;
	int rc;

	if ((text = json_dumps(value, JSON_COMPACT | JSON_SORT_KEYS)) == NULL)
		return (-1);
	rc = (st = store_stmt(s, STORE_SQL_SETTING_PUT)) == NULL ||
	    store_bind_text(st, ":key", key) == -1 ||
	    store_bind_text(st, ":value", text) == -1 ||
	    store_bind_int(st, ":now", now) == -1 ? -1 : store_exec_stmt(st);
	free(text);
	return (rc);
}

int
store_alert_find(struct store *s, const char *key, int64_t *id, char *state,
    size_t len, int64_t *send_at)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = store_stmt(s, STORE_SQL_ALERT_BY_KEY)) == NULL ||
	    store_bind_text(st, ":key", key) == -1)
		return (-1);
	if ((rc = store_row(s, st, "alert find")) != 0)
		return (rc);
	*id = sqlite3_column_int64(st, 0);
	snprintf(state, len, "%s", store_col_text(st, 1));
	*send_at = sqlite3_column_int64(st, 2);
	sqlite3_reset(st);
	return (0);
}

int
store_alert_insert(struct store *s, const struct store_alert_new *a,
    int64_t now)
{
	sqlite3_stmt *st;
	char *audience, *data;
	int rc = -1;

	audience = json_dumps(a->audience, JSON_COMPACT);
	data = a->data != NULL ? json_dumps(a->data, JSON_COMPACT |
	    JSON_SORT_KEYS) : strdup("{}");
	if (audience == NULL || data == NULL)
		goto out;
	if ((st = store_stmt(s, STORE_SQL_ALERT_INSERT)) == NULL ||
	    store_bind_text(st, ":key", a->key) == -1 ||
	    store_bind_text(st, ":kind", a->kind) == -1 ||
	    store_bind_text(st, ":step", a->step) == -1 ||
	    (a->incident_id != 0 ? store_bind_int(st, ":incident_id",
	    a->incident_id) : store_bind_null(st, ":incident_id")) == -1 ||
	    (a->obligation_id != 0 ? store_bind_int(st, ":obligation_id",
	    a->obligation_id) : store_bind_null(st, ":obligation_id")) == -1 ||
	    store_bind_text(st, ":audience", audience) == -1 ||
	    store_bind_text(st, ":data", data) == -1 ||
	    store_bind_int(st, ":send_at", a->send_at) == -1 ||
	    store_bind_int(st, ":expires_at", a->expires_at) == -1 ||
	    store_bind_int(st, ":now", now) == -1)
		goto out;
	rc = store_exec_stmt(st);
out:
	free(audience);
	free(data);
	return (rc);
}

static int
exec_id(struct store *s, enum store_sql q, int64_t id, int64_t now)
{
	sqlite3_stmt *st;

	if ((st = store_stmt(s, q)) == NULL ||
	    store_bind_int(st, ":id", id) == -1 ||
	    store_bind_int(st, ":now", now) == -1)
		return (-1);
	return (store_exec_stmt(st));
}

int
store_alert_reschedule(struct store *s, int64_t id, int64_t send_at,
    int64_t expires_at, int64_t now)
{
	sqlite3_stmt *st;

	if ((st = store_stmt(s, STORE_SQL_ALERT_RESCHEDULE)) == NULL ||
	    store_bind_int(st, ":id", id) == -1 ||
	    store_bind_int(st, ":send_at", send_at) == -1 ||
	    store_bind_int(st, ":expires_at", expires_at) == -1 ||
	    store_bind_int(st, ":now", now) == -1)
		return (-1);
	return (store_exec_stmt(st));
}

int
store_alert_cancel(struct store *s, int64_t id, int64_t now)
{
	return (exec_id(s, STORE_SQL_ALERT_CANCEL, id, now));
}

int
store_alert_cancel_obligation(struct store *s, int64_t obligation_id,
    int64_t now)
{
	sqlite3_stmt *st;

	if ((st = store_stmt(s, STORE_SQL_ALERT_CANCEL_OBLIGATION)) == NULL ||
	    store_bind_int(st, ":obligation_id", obligation_id) == -1 ||
	    store_bind_int(st, ":now", now) == -1)
		return (-1);
	return (store_exec_stmt(st));
}

int
store_alert_cancel_key(struct store *s, const char *key, int64_t now)
{
	sqlite3_stmt *st;

	if ((st = store_stmt(s, STORE_SQL_ALERT_CANCEL_KEY)) == NULL ||
	    store_bind_text(st, ":key", key) == -1 ||
	    store_bind_int(st, ":now", now) == -1)
		return (-1);
	return (store_exec_stmt(st));
}

static json_t *
due_row(sqlite3_stmt *st)
{
	return (json_pack("{s:I, s:s, s:s, s:o}",
	    "id", (json_int_t)sqlite3_column_int64(st, 0),
	    "key", store_col_text(st, 1),
	    "kind", store_col_text(st, 2),
	    "send_at", store_json_time(sqlite3_column_int64(st, 3))));
}

int
store_alert_due(struct store *s, int64_t now, int64_t limit, json_t **items)
{
	sqlite3_stmt *st;

	if ((st = store_stmt(s, STORE_SQL_ALERT_DUE)) == NULL ||
	    store_bind_int(st, ":now", now) == -1 ||
	    store_bind_int(st, ":limit", limit) == -1)
		return (-1);
	return (store_rows(s, st, due_row, 0, items, NULL, "alert due"));
}

int
store_alert_next_due(struct store *s, int64_t *t)
{
	sqlite3_stmt *st;

	*t = INT64_MIN;
	if ((st = store_stmt(s, STORE_SQL_ALERT_NEXT_DUE)) == NULL)
		return (-1);
	if (sqlite3_step(st) != SQLITE_ROW)
		return (store_fail(s, st, "alert next due"));
	*t = store_col_time(st, 0);
	sqlite3_reset(st);
	return (0);
}

/* The current row of ALERT_GET / ALERT_LIST as JSON (the stored view). */
static json_t *
alert_row(sqlite3_stmt *st)
{
	json_t *audience = json_loads(store_col_text(st, 6), 0, NULL);
	json_t *data = json_loads(store_col_text(st, 7), 0, NULL);
	const char *ids = store_col_text(st, 15);
	const char *err = store_col_text(st, 16);
	json_t *mids = ids != NULL ? json_loads(ids, 0, NULL) : NULL;

	return (json_pack("{s:I, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, "
	    "s:o, s:s, s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
	    "id", (json_int_t)sqlite3_column_int64(st, 0),
	    "key", store_col_text(st, 1),
	    "kind", store_col_text(st, 2),
	    "step", store_col_text(st, 3),
	    "incident_id", sqlite3_column_type(st, 4) == SQLITE_NULL ?
	    json_null() : json_integer(sqlite3_column_int64(st, 4)),
	    "obligation_id", sqlite3_column_type(st, 5) == SQLITE_NULL ?
	    json_null() : json_integer(sqlite3_column_int64(st, 5)),
	    "audience", audience != NULL ? audience : json_array(),
	    "data", data != NULL ? data : json_object(),
	    "send_at", store_json_time(sqlite3_column_int64(st, 8)),
	    "expires_at", store_json_time(sqlite3_column_int64(st, 9)),
	    "state", store_col_text(st, 10),
	    "attempts", (json_int_t)sqlite3_column_int64(st, 11),
	    "next_attempt_at", sqlite3_column_int64(st, 12) > 0 ?
	    store_json_time(sqlite3_column_int64(st, 12)) : json_null(),
	    "lease_owner", store_col_text(st, 13) != NULL ?
	    json_string(store_col_text(st, 13)) : json_null(),
	    "lease_until", store_json_time(store_col_time(st, 14)),
	    "message_ids", mids != NULL ? mids : json_array(),
	    "last_error", err != NULL ? json_string(err) : json_null(),
	    "created_at", store_json_time(sqlite3_column_int64(st, 17)),
	    "sent_at", store_json_time(store_col_time(st, 18))));
}

int
store_alert_get(struct store *s, int64_t id, json_t **out)
{
	sqlite3_stmt *st;
	int rc;

	*out = NULL;
	if ((st = store_stmt(s, STORE_SQL_ALERT_GET)) == NULL ||
	    store_bind_int(st, ":id", id) == -1)
		return (-1);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = alert_row(st);
	else if (rc != SQLITE_DONE)
		return (store_fail(s, st, "alert get"));
	sqlite3_reset(st);
	return (rc == SQLITE_ROW && *out == NULL ? -1 : 0);
}

int
store_alert_list(struct store *s, const char *state, int64_t incident_id,
    int64_t cursor, int64_t limit, json_t **items, int64_t *next)
{
	sqlite3_stmt *st;

	if ((st = store_stmt(s, STORE_SQL_ALERT_LIST)) == NULL ||
	    store_bind_text(st, ":state", state) == -1 ||
	    (incident_id != 0 ? store_bind_int(st, ":incident_id",
	    incident_id) : store_bind_null(st, ":incident_id")) == -1 ||
	    (cursor != 0 ? store_bind_int(st, ":cursor", cursor) :
	    store_bind_null(st, ":cursor")) == -1 ||
	    store_bind_int(st, ":limit", limit + 1) == -1)
		return (-1);
	return (store_rows(s, st, alert_row, limit, items, next,
	    "alert list"));
}

/* Run a lease-changing statement; 0 if it changed the row, 1 if not. */
static int
lease_change(struct store *s, sqlite3_stmt *st)
{
	if (store_exec_stmt(st) == -1)
		return (-1);
	return (sqlite3_changes(store_db(s)) == 1 ? 0 : 1);
}

int
store_alert_claim(struct store *s, int64_t id, const char *worker,
    int64_t lease_until, int64_t now)
{
	sqlite3_stmt *st;

	if ((st = store_stmt(s, STORE_SQL_ALERT_CLAIM)) == NULL ||
	    store_bind_int(st, ":id", id) == -1 ||
	    store_bind_text(st, ":worker", worker) == -1 ||
	    store_bind_int(st, ":lease_until", lease_until) == -1 ||
	    store_bind_int(st, ":now", now) == -1)
		return (-1);
	return (lease_change(s, st));
}

int
store_alert_ack(struct store *s, int64_t id, const char *worker,
    const char *message_ids, int64_t now)
{
	sqlite3_stmt *st;

	if ((st = store_stmt(s, STORE_SQL_ALERT_ACK)) == NULL ||
	    store_bind_int(st, ":id", id) == -1 ||
	    store_bind_text(st, ":worker", worker) == -1 ||
	    store_bind_text(st, ":message_ids", message_ids) == -1 ||
	    store_bind_int(st, ":now", now) == -1)
		return (-1);
	return (lease_change(s, st));
}

int
store_alert_retry(struct store *s, int64_t id, const char *worker,
    const char *state, int64_t next_attempt_at, const char *error,
    const char *message_ids, int64_t now)
{
	sqlite3_stmt *st;

	if ((st = store_stmt(s, STORE_SQL_ALERT_RETRY)) == NULL ||
	    store_bind_text(st, ":message_ids", message_ids) == -1 ||
	    store_bind_int(st, ":id", id) == -1 ||
	    store_bind_text(st, ":worker", worker) == -1 ||
	    store_bind_text(st, ":state", state) == -1 ||
	    store_bind_int(st, ":next_attempt_at", next_attempt_at) == -1 ||
	    store_bind_text(st, ":error", error) == -1 ||
	    store_bind_int(st, ":now", now) == -1)
		return (-1);
	return (lease_change(s, st));
}

int
store_alert_release(struct store *s, int64_t id, const char *worker,
    int64_t now)
{
	sqlite3_stmt *st;

	if ((st = store_stmt(s, STORE_SQL_ALERT_RELEASE)) == NULL ||
	    store_bind_int(st, ":id", id) == -1 ||
	    store_bind_text(st, ":worker", worker) == -1 ||
	    store_bind_int(st, ":now", now) == -1)
		return (-1);
	return (lease_change(s, st));
}

static int
contacts(struct store *s, sqlite3_stmt *st, json_t *into)
{
	json_t *o;
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (store_col_text(st, 1) == NULL)
			continue;
		o = json_pack("{s:s, s:s, s:s}", "name", store_col_text(st, 0),
		    "email", store_col_text(st, 1), "tz", store_col_text(st, 2));
		if (o == NULL || json_array_append_new(into, o) == -1) {
			rc = SQLITE_ERROR;
			break;
		}
	}
	if (rc != SQLITE_DONE)
		return (store_fail(s, st, "contacts"));
	sqlite3_reset(st);
	return (0);
}

int
store_users_by_role(struct store *s, const char *role, json_t *into)
{
	sqlite3_stmt *st;

	if ((st = store_stmt(s, STORE_SQL_USERS_BY_ROLE)) == NULL ||
	    store_bind_text(st, ":role", role) == -1)
		return (-1);
	return (contacts(s, st, into));
}

int
store_user_contact(struct store *s, const char *name, json_t *into)
{
	sqlite3_stmt *st;

	if ((st = store_stmt(s, STORE_SQL_USER_CONTACT)) == NULL ||
	    store_bind_text(st, ":name", name) == -1)
		return (-1);
	return (contacts(s, st, into));
}

int
store_digest(struct store *s, int64_t now, json_t **out)
{
	sqlite3_stmt *st;
	json_t *open = json_array(), *due = json_array(), *over = json_array();
	json_t *o;
	int rc;

	*out = NULL;
	if (open == NULL || due == NULL || over == NULL)
		goto err;
	if ((st = store_stmt(s, STORE_SQL_DIGEST_OPEN)) == NULL)
		goto err;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		o = json_pack("{s:I, s:s, s:s, s:s, s:o}",
		    "id", (json_int_t)sqlite3_column_int64(st, 0),
		    "ref", store_col_text(st, 1), "title", store_col_text(st, 2),
		    "status", store_col_text(st, 3), "risk",
		    store_col_text(st, 4) != NULL ?
		    json_string(store_col_text(st, 4)) : json_null());
		if (o == NULL || json_array_append_new(open, o) == -1)
			break;
	}
	if (rc != SQLITE_DONE) {
		store_fail(s, st, "digest open");
		goto err;
	}
	sqlite3_reset(st);
	for (int pass = 0; pass < 2; pass++) {
		json_t *into = pass == 0 ? over : due;

		if ((st = store_stmt(s, STORE_SQL_DIGEST_DUE)) == NULL ||
		    store_bind_int(st, ":from", pass == 0 ? 0 : now) == -1 ||
		    store_bind_int(st, ":to", pass == 0 ? now :
		    now + 7 * 86400) == -1)
			goto err;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o}",
			    "ref", store_col_text(st, 0),
			    "title", store_col_text(st, 1),
			    "regime_id", store_col_text(st, 2),
			    "phase_name", store_col_text(st, 3),
			    "recipient", store_col_text(st, 4),
			    "due_at", store_json_time(sqlite3_column_int64(st,
			    5)));
			if (o == NULL || json_array_append_new(into, o) == -1)
				break;
		}
		if (rc != SQLITE_DONE) {
			store_fail(s, st, "digest due");
			goto err;
		}
		sqlite3_reset(st);
	}
	*out = json_pack("{s:o, s:o, s:o}", "open_incidents", open, "due_7d",
	    due, "overdue", over);
	return (*out != NULL ? 0 : -1);
err:
	json_decref(open);
	json_decref(due);
	json_decref(over);
	return (-1);
}
