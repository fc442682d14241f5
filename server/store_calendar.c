/* store_calendar: calendar feed tokens and the feed's open obligations. */
#include <stdio.h>
#include <string.h>

#include "store.h"
#include "store_api.h"

int
store_calendar_token_put(struct store *s, int64_t user_id,
    const unsigned char hash[32], int64_t now)
{
	sqlite3_stmt *st;

	if ((st = store_stmt(s, STORE_SQL_CALENDAR_TOKEN_PUT)) == NULL ||
	    store_bind_int(st, ":user_id", user_id) == -1 ||
	    store_bind_blob(st, ":hash", hash, 32) == -1 ||
	    store_bind_int(st, ":now", now) == -1)
		return (-1);
	return (store_exec_stmt(st));
}

int
store_calendar_token_get(struct store *s, int64_t user_id,
    int64_t *created_at)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = store_stmt(s, STORE_SQL_CALENDAR_TOKEN_GET)) == NULL ||
	    store_bind_int(st, ":user_id", user_id) == -1)
		return (-1);
	if ((rc = store_row(s, st, "calendar token get")) != 0)
		return (rc);
	*created_at = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return (0);
}

int
store_calendar_token_delete(struct store *s, int64_t user_id)
{
	sqlite3_stmt *st;

	if ((st = store_stmt(s, STORE_SQL_CALENDAR_TOKEN_DELETE)) == NULL ||
	    store_bind_int(st, ":user_id", user_id) == -1 ||
	    store_exec_stmt(st) == -1)
		return (-1);
	return (sqlite3_changes(store_db(s)) > 0 ? 0 : 1);
}

int
store_calendar_token_auth(struct store *s, const unsigned char hash[32],
    struct principal *who)
{
	sqlite3_stmt *st;
	const char *email;
	int rc;

	if ((st = store_stmt(s, STORE_SQL_CALENDAR_TOKEN_AUTH)) == NULL ||
	    store_bind_blob(st, ":hash", hash, 32) == -1)
		return (-1);
	if ((rc = store_row(s, st, "calendar token auth")) != 0)
		return (rc);
	memset(who, 0, sizeof(*who));
	who->user_id = sqlite3_column_int64(st, 0);
	snprintf(who->name, sizeof(who->name), "%s", store_col_text(st, 1));
	if (req_role_parse(store_col_text(st, 2), &who->role) == -1)
		who->role = 0;
	email = store_col_text(st, 3);
	snprintf(who->email, sizeof(who->email), "%s",
	    email != NULL ? email : "");
	sqlite3_reset(st);
	return (who->role == 0 ? 1 : 0);
}

int
store_calendar_instance(struct store *s, char *buf, size_t len)
{
	sqlite3_stmt *st;
	const char *v;
	int rc;

	if ((st = store_stmt(s, STORE_SQL_CALENDAR_INSTANCE)) == NULL)
		return (-1);
	if ((rc = store_row(s, st, "calendar instance")) == 1) {
		store_log_error(s, "calendar instance: no settings row");
		return (-1);
	}
	if (rc == -1)
		return (-1);
	v = store_col_text(st, 0);
	snprintf(buf, len, "%s", v != NULL ? v : "");
	sqlite3_reset(st);
	return (v != NULL ? 0 : -1);
}

static json_t *
event_row(sqlite3_stmt *st)
{
	return (json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:b, s:s, s:s, "
	    "s:s, s:s, s:s, s:s}",
	    "obligation_id", (json_int_t)sqlite3_column_int64(st, 0),
	    "incident_id", (json_int_t)sqlite3_column_int64(st, 1),
	    "revision", (json_int_t)sqlite3_column_int64(st, 2),
	    "due_at", (json_int_t)sqlite3_column_int64(st, 3),
	    "created_at", (json_int_t)sqlite3_column_int64(st, 4),
	    "updated_at", (json_int_t)sqlite3_column_int64(st, 5),
	    "target", sqlite3_column_int(st, 6),
	    "ref", store_col_text(st, 7),
	    "title", store_col_text(st, 8),
	    "regime_name", store_col_text(st, 9),
	    "phase_name", store_col_text(st, 10),
	    "recipient", store_col_text(st, 11),
	    "basis", store_col_text(st, 12)));
}

int
store_calendar_events(struct store *s, int64_t limit, json_t **items)
{
	sqlite3_stmt *st;

	*items = NULL;
	if ((st = store_stmt(s, STORE_SQL_CALENDAR_EVENTS)) == NULL ||
	    store_bind_int(st, ":limit", limit) == -1)
		return (-1);
	return (store_rows(s, st, event_row, 0, items, NULL,
	    "calendar events"));
}
