/* store_notices: the text of notices as sent, and Art. 34(3) exemptions. */
#include "store.h"
#include "store_api.h"

int
store_notice_text_add(struct store *s, int64_t notification_id,
    const char *kind, int64_t incident_version, const char *text)
{
	sqlite3_stmt *st;

	if ((st = store_stmt(s, STORE_SQL_NOTICE_TEXT_INSERT)) == NULL ||
	    store_bind_int(st, ":notification_id", notification_id) == -1 ||
	    store_bind_text(st, ":kind", kind) == -1 ||
	    (incident_version > 0 ? store_bind_int(st, ":incident_version",
	    incident_version) : store_bind_null(st, ":incident_version")) ==
	    -1 ||
	    store_bind_text(st, ":text", text) == -1)
		return (-1);
	return (store_exec_stmt(st));
}

int
store_art34_exemption_add(struct store *s, int64_t incident_id,
    const char *exemption, const char *explanation, int64_t user_id,
    int64_t now)
{
	sqlite3_stmt *st;

	if ((st = store_stmt(s, STORE_SQL_ART34_EXEMPTION_INSERT)) == NULL ||
	    store_bind_int(st, ":incident_id", incident_id) == -1 ||
	    store_bind_text(st, ":exemption", exemption) == -1 ||
	    store_bind_text(st, ":explanation", explanation) == -1 ||
	    store_bind_int(st, ":decided_by", user_id) == -1 ||
	    store_bind_int(st, ":now", now) == -1 ||
	    store_exec_stmt(st) == -1)
		return (-1);
	return (sqlite3_changes(store_db(s)) == 1 ? 0 : 1);
}

static json_t *
exemption_row(sqlite3_stmt *st)
{
	return (json_pack("{s:I, s:s, s:s, s:s, s:o}",
	    "incident_id", (json_int_t)sqlite3_column_int64(st, 0),
	    "exemption", store_col_text(st, 1),
	    "explanation", store_col_text(st, 2),
	    "decided_by", store_col_text(st, 3),
	    "decided_at", store_json_time(sqlite3_column_int64(st, 4))));
}

int
store_art34_exemption_get(struct store *s, int64_t incident_id,
    json_t **out)
{
	sqlite3_stmt *st;
	json_t *items;

	*out = NULL;
	if ((st = store_stmt(s, STORE_SQL_ART34_EXEMPTION_GET)) == NULL ||
	    store_bind_int(st, ":incident_id", incident_id) == -1 ||
	    store_rows(s, st, exemption_row, 0, &items, NULL,
	    "art34 exemption") == -1)
		return (-1);
	if (json_array_size(items) == 1)
		*out = json_incref(json_array_get(items, 0));
	json_decref(items);
	return (0);
}
