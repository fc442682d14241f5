/* store_retention: the SQL of retention (retention.h). */
#include <stdio.h>
#include <string.h>

#include "store.h"
#include "store_api.h"

int
store_retention_due(struct store *s, int64_t cutoff, int64_t after,
    struct store_retention_due *out, size_t max, size_t *n)
{
	sqlite3_stmt *st;
	int rc;

	*n = 0;
	if ((st = store_stmt(s, STORE_SQL_RETENTION_DUE)) == NULL ||
	    store_bind_int(st, ":cutoff", cutoff) == -1 ||
	    store_bind_int(st, ":after", after) == -1 ||
	    store_bind_int(st, ":limit", (int64_t)max) == -1)
		return (-1);
	while ((rc = store_row(s, st, "retention due")) == 0) {
		out[*n].id = sqlite3_column_int64(st, 0);
		snprintf(out[*n].ref, sizeof(out[*n].ref), "%s",
		    store_col_text(st, 1) != NULL ? store_col_text(st, 1) : "");
		out[*n].closed_at = sqlite3_column_int64(st, 2);
		if (++*n == max) {
			sqlite3_reset(st);
			return (0);
		}
	}
	return (rc == 1 ? 0 : -1);
}

/* Run one erasing UPDATE of incident id; the rows changed, or -1. */
static int64_t
erase(struct store *s, enum store_sql sql, int64_t id, const char *mark,
    int64_t now)
{
	sqlite3_stmt *st;

	if ((st = store_stmt(s, sql)) == NULL ||
	    store_bind_int(st, ":id", id) == -1 ||
	    store_bind_text(st, ":mark", mark) == -1 ||
	    (sqlite3_bind_parameter_index(st, ":now") != 0 &&
	    store_bind_int(st, ":now", now) == -1) ||
	    store_exec_stmt(st) == -1)
		return (-1);
	return ((int64_t)sqlite3_changes(store_db(s)));
}

int
store_retention_erase(struct store *s, int64_t id, const char *mark,
    int64_t now, json_t **counts)
{
	static const struct {
		const char *name;
		enum store_sql sql;
	} parts[] = {
		{ "risk_decisions", STORE_SQL_RETENTION_DECISIONS },
		{ "obligations", STORE_SQL_RETENTION_OBLIGATIONS },
		{ "notifications", STORE_SQL_RETENTION_NOTIFICATIONS },
		{ "notice_texts", STORE_SQL_RETENTION_NOTICE_TEXTS },
		{ "art34_exemptions", STORE_SQL_RETENTION_EXEMPTION },
	};
	int64_t n;

	*counts = NULL;
	if ((n = erase(s, STORE_SQL_RETENTION_INCIDENT, id, mark, now)) == -1)
		return (-1);
	if (n == 0)
		return (1);
	if ((*counts = json_object()) == NULL)
		return (-1);
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		if ((n = erase(s, parts[i].sql, id, mark, now)) == -1 ||
		    json_object_set_new(*counts, parts[i].name,
		    json_integer((json_int_t)n)) == -1) {
			json_decref(*counts);
			*counts = NULL;
			return (-1);
		}
	}
	return (0);
}

static json_t *
event_row(sqlite3_stmt *st)
{
	return (json_pack("{s:I, s:s, s:b}",
	    "id", (json_int_t)sqlite3_column_int64(st, 0),
	    "data", store_col_text(st, 1) != NULL ? store_col_text(st, 1) : "",
	    "legacy", sqlite3_column_int(st, 2)));
}

int
store_retention_events(struct store *s, int64_t incident_id, json_t **items)
{
	sqlite3_stmt *st;

	*items = NULL;
	if ((st = store_stmt(s, STORE_SQL_RETENTION_EVENTS)) == NULL ||
	    store_bind_int(st, ":id", incident_id) == -1)
		return (-1);
	return (store_rows(s, st, event_row, 0, items, NULL,
	    "retention events"));
}

int
store_retention_event_redact(struct store *s, int64_t event_id,
    const char *data, int64_t now)
{
	sqlite3_stmt *st;

	if ((st = store_stmt(s, STORE_SQL_RETENTION_EVENT_REDACT)) == NULL ||
	    store_bind_int(st, ":id", event_id) == -1 ||
	    store_bind_text(st, ":data", data) == -1 ||
	    store_bind_int(st, ":now", now) == -1 ||
	    store_exec_stmt(st) == -1)
		return (-1);
	return (sqlite3_changes(store_db(s)) == 1 ? 0 : 1);
}
