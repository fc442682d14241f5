#include "store.h"
#include "store_api.h"

int
store_decision_add(struct store *s, int64_t incident_id, const char *level,
    const char *rationale, int64_t user_id, int64_t now, int64_t *id)
{
	sqlite3_stmt *st;

	if ((st = store_stmt(s, STORE_SQL_DECISION_INSERT)) == NULL ||
	    store_bind_int(st, ":incident_id", incident_id) == -1 ||
	    store_bind_text(st, ":level", level) == -1 ||
	    store_bind_text(st, ":rationale", rationale) == -1 ||
	    store_bind_int(st, ":decided_by", user_id) == -1 ||
	    store_bind_int(st, ":now", now) == -1)
		return (-1);
	if (sqlite3_step(st) != SQLITE_ROW)
		return (store_fail(s, st, "decision add"));
	*id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return (0);
}

static json_t *
decision_row(sqlite3_stmt *st)
{
	return (json_pack("{s:I, s:I, s:s, s:s, s:s, s:o}",
	    "id", (json_int_t)sqlite3_column_int64(st, 0),
	    "incident_id", (json_int_t)sqlite3_column_int64(st, 1),
	    "level", store_col_text(st, 2),
	    "rationale", store_col_text(st, 3),
	    "decided_by", store_col_text(st, 4),
	    "decided_at", store_json_time(sqlite3_column_int64(st, 5))));
}

int
store_decision_list(struct store *s, int64_t incident_id, int64_t decision_id,
    json_t **items)
{
	sqlite3_stmt *st;

	if ((st = store_stmt(s, STORE_SQL_DECISION_LIST)) == NULL ||
	    store_bind_int(st, ":incident_id", incident_id) == -1 ||
	    (decision_id != 0 ? store_bind_int(st, ":id", decision_id) :
	    store_bind_null(st, ":id")) == -1)
		return (-1);
	return (store_rows(s, st, decision_row, 0, items, NULL,
	    "decision list"));
}
