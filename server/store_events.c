#include <stdio.h>
#include <string.h>

#include "store.h"
#include "store_api.h"

int
store_event_last(struct store *s, int64_t *id, char hash[65])
{
	sqlite3_stmt *st;
	int rc;

	if ((st = store_stmt(s, STORE_SQL_EVENT_LAST)) == NULL)
		return (-1);
	rc = sqlite3_step(st);
	*id = 0;
	hash[0] = '\0';
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		snprintf(hash, 65, "%s", store_col_text(st, 1));
	} else if (rc != SQLITE_DONE) {
		store_log_error(s, "event last");
		sqlite3_reset(st);
		return (-1);
	}
	sqlite3_reset(st);
	return (0);
}

int
store_event_insert(struct store *s, int64_t id, int64_t at, const char *actor,
    const char *action, int64_t incident_id, const char *data,
    const char *data_hash, const char *prev_hash, const char *hash)
{
	sqlite3_stmt *st;

	if ((st = store_stmt(s, STORE_SQL_EVENT_INSERT)) == NULL ||
	    store_bind_int(st, ":id", id) == -1 ||
	    store_bind_int(st, ":at", at) == -1 ||
	    store_bind_text(st, ":actor", actor) == -1 ||
	    store_bind_text(st, ":action", action) == -1 ||
	    (incident_id != 0 ? store_bind_int(st, ":incident_id",
	    incident_id) : store_bind_null(st, ":incident_id")) == -1 ||
	    store_bind_text(st, ":data", data) == -1 ||
	    store_bind_text(st, ":data_hash", data_hash) == -1 ||
	    store_bind_text(st, ":prev_hash", prev_hash) == -1 ||
	    store_bind_text(st, ":hash", hash) == -1)
		return (-1);
	return (store_exec_stmt(st));
}

int
store_event_scan(struct store *s,
    int (*fn)(void *, const struct store_event *), void *arg)
{
	sqlite3_stmt *st;
	struct store_event e;
	int rc;

	if ((st = store_stmt(s, STORE_SQL_EVENT_ALL)) == NULL)
		return (-1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		e.id = sqlite3_column_int64(st, 0);
		e.at = sqlite3_column_int64(st, 1);
		e.actor = store_col_text(st, 2);
		e.action = store_col_text(st, 3);
		e.incident_id = sqlite3_column_int64(st, 4);
		e.data = store_col_text(st, 5);
		e.prev_hash = store_col_text(st, 6);
		e.hash = store_col_text(st, 7);
		e.data_hash = store_col_text(st, 8);
		e.redacted = sqlite3_column_int(st, 9) != 0;
		if (e.actor == NULL || e.action == NULL || e.data == NULL ||
		    e.prev_hash == NULL || e.hash == NULL) {
			e.actor = e.actor ? e.actor : "";
			e.action = e.action ? e.action : "";
			e.data = e.data ? e.data : "";
			e.prev_hash = e.prev_hash ? e.prev_hash : "";
			e.hash = e.hash ? e.hash : "";
		}
		if (fn(arg, &e) != 0)
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_log_error(s, "event scan");
		sqlite3_reset(st);
		return (-1);
	}
	sqlite3_reset(st);
	return (0);
}

static json_t *
event_row(sqlite3_stmt *st)
{
	json_t *data = json_loads(store_col_text(st, 5), 0, NULL);

	return (json_pack("{s:I, s:o, s:s, s:s, s:I, s:o}",
	    "id", (json_int_t)sqlite3_column_int64(st, 0),
	    "at", store_json_time(sqlite3_column_int64(st, 1)),
	    "actor", store_col_text(st, 2),
	    "action", store_col_text(st, 3),
	    "incident_id", (json_int_t)sqlite3_column_int64(st, 4),
	    "data", data != NULL ? data : json_object()));
}

int
store_event_list(struct store *s, int64_t incident_id, int64_t event_id,
    json_t **items)
{
	sqlite3_stmt *st;

	if ((st = store_stmt(s, STORE_SQL_EVENT_LIST)) == NULL ||
	    store_bind_int(st, ":incident_id", incident_id) == -1 ||
	    (event_id != 0 ? store_bind_int(st, ":id", event_id) :
	    store_bind_null(st, ":id")) == -1)
		return (-1);
	return (store_rows(s, st, event_row, 0, items, NULL, "event list"));
}
