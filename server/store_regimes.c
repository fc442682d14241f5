#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "store.h"
#include "store_api.h"
#include "timeutil.h"

int
store_regime_scan(struct store *s, bool all,
    int (*fn)(void *, const char *, const char *, const char *, const char *),
    void *arg)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = store_stmt(s, STORE_SQL_REGIME_SCAN)) == NULL ||
	    store_bind_int(st, ":all", all ? 1 : 0) == -1)
		return (-1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (fn(arg, store_col_text(st, 0), store_col_text(st, 1),
		    store_col_text(st, 2), store_col_text(st, 3)) != 0) {
			sqlite3_reset(st);
			return (-1);
		}
	if (rc != SQLITE_DONE)
		return (store_fail(s, st, "regime scan"));
	sqlite3_reset(st);
	return (0);
}

/* The text columns of a regime, in API order (after "id"). */
static const char *const regime_texts[] = { "name", "jurisdiction",
	"legal_source", "notify", "recipient", "clock_start", "deadline",
	"citation_url", "status", "notes", NULL };

static json_t *
regime_row(sqlite3_stmt *st)
{
	json_t *rule = json_loads(store_col_text(st, 9), 0, NULL);

	return (json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, "
	    "s:o, s:s, s:s, s:o, s:o, s:I}",
	    "id", store_col_text(st, 0),
	    "name", store_col_text(st, 1),
	    "jurisdiction", store_col_text(st, 2),
	    "legal_source", store_col_text(st, 3),
	    "notify", store_col_text(st, 4),
	    "recipient", store_col_text(st, 5),
	    "clock_start", store_col_text(st, 6),
	    "deadline", store_col_text(st, 7),
	    "citation_url", store_col_text(st, 8),
	    "rule", rule != NULL ? rule : json_object(),
	    "status", store_col_text(st, 10),
	    "notes", store_col_text(st, 11),
	    "retired_at", store_json_time(store_col_time(st, 12)),
	    "updated_at", store_json_time(sqlite3_column_int64(st, 13)),
	    "version", (json_int_t)sqlite3_column_int64(st, 14)));
}

int
store_regime_list(struct store *s, const char *id, json_t **items)
{
	sqlite3_stmt *st;

	if ((st = store_stmt(s, STORE_SQL_REGIME_LIST)) == NULL ||
	    store_bind_text(st, ":id", id) == -1)
		return (-1);
	return (store_rows(s, st, regime_row, 0, items, NULL, "regime list"));
}

int
store_regime_put(struct store *s, const json_t *regime, bool update,
    int64_t now)
{
	char param[32];
	sqlite3_stmt *st;
	char *rule;
	int rc;

	st = store_stmt(s, update ? STORE_SQL_REGIME_UPDATE :
	    STORE_SQL_REGIME_INSERT);
	if (st == NULL || store_bind_text(st, ":id", json_string_value(
	    json_object_get(regime, "id"))) == -1 ||
	    store_bind_int(st, ":now", now) == -1)
		return (-1);
	for (size_t i = 0; regime_texts[i] != NULL; i++) {
		snprintf(param, sizeof(param), ":%s", regime_texts[i]);
		if (store_bind_text(st, param, json_string_value(
		    json_object_get(regime, regime_texts[i]))) == -1)
			return (-1);
	}
	if ((rule = json_dumps(json_object_get(regime, "rule"),
	    JSON_COMPACT | JSON_SORT_KEYS)) == NULL)
		return (-1);
	rc = store_bind_text(st, ":rule", rule);
	free(rule);
	if (rc == -1)
		return (-1);
	rc = sqlite3_step(st);
	if (rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
		sqlite3_reset(st);
		return (1);
	}
	if (rc != SQLITE_DONE)
		return (store_fail(s, st, "regime put"));
	sqlite3_reset(st);
	return (sqlite3_changes(store_db(s)) == 1 ? 0 : 1);
}

int
store_regime_retire(struct store *s, const char *id, int64_t now)
{
	sqlite3_stmt *st;

	if ((st = store_stmt(s, STORE_SQL_REGIME_RETIRE)) == NULL ||
	    store_bind_text(st, ":id", id) == -1 ||
	    store_bind_int(st, ":now", now) == -1 ||
	    store_exec_stmt(st) == -1)
		return (-1);
	return (sqlite3_changes(store_db(s)) == 1 ? 0 : 1);
}

/* A "YYYY-MM-DD" text as a day number; -1 if malformed. */
static int
day_of(const char *text, int64_t *day)
{
	char full[40];
	int64_t t;

	if (text == NULL || strlen(text) != 10)
		return (-1);
	snprintf(full, sizeof(full), "%sT00:00:00Z", text);
	if (timeutil_parse(full, &t) == -1)
		return (-1);
	*day = t / 86400;
	return (0);
}

int
store_holiday_scan(struct store *s, int (*fn)(void *, const char *, int64_t),
    void *arg)
{
	sqlite3_stmt *st;
	int64_t day;
	int rc;

	if ((st = store_stmt(s, STORE_SQL_HOLIDAY_SCAN)) == NULL)
		return (-1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (day_of(store_col_text(st, 1), &day) == -1 ||
		    fn(arg, store_col_text(st, 0), day) != 0) {
			sqlite3_reset(st);
			return (-1);
		}
	}
	if (rc != SQLITE_DONE)
		return (store_fail(s, st, "holiday scan"));
	sqlite3_reset(st);
	return (0);
}

int
store_holiday_replace(struct store *s, const char *set_id, json_t *days,
    const char *source, int64_t now)
{
	sqlite3_stmt *st;
	json_t *d;
	size_t i;

	if ((st = store_stmt(s, STORE_SQL_HOLIDAY_SET_TOUCH)) == NULL ||
	    store_bind_text(st, ":set_id", set_id) == -1 ||
	    store_bind_text(st, ":source", source) == -1 ||
	    store_bind_int(st, ":now", now) == -1 ||
	    store_exec_stmt(st) == -1)
		return (-1);
	if (sqlite3_changes(store_db(s)) != 1)
		return (1);
	if ((st = store_stmt(s, STORE_SQL_HOLIDAY_DELETE_SET)) == NULL ||
	    store_bind_text(st, ":set_id", set_id) == -1 ||
	    store_exec_stmt(st) == -1)
		return (-1);
	json_array_foreach(days, i, d) {
		if ((st = store_stmt(s, STORE_SQL_HOLIDAY_INSERT)) == NULL ||
		    store_bind_text(st, ":set_id", set_id) == -1 ||
		    store_bind_text(st, ":day", json_string_value(
		    json_object_get(d, "day"))) == -1 ||
		    store_bind_text(st, ":title", json_string_value(
		    json_object_get(d, "title"))) == -1 ||
		    store_exec_stmt(st) == -1)
			return (-1);
	}
	return (0);
}

int
store_catalog_stamp(struct store *s, char *buf, size_t len)
{
	sqlite3_stmt *st;

	if ((st = store_stmt(s, STORE_SQL_CATALOG_STAMP)) == NULL)
		return (-1);
	if (sqlite3_step(st) != SQLITE_ROW)
		return (store_fail(s, st, "catalog stamp"));
	snprintf(buf, len, "%s", store_col_text(st, 0));
	sqlite3_reset(st);
	return (0);
}

static json_t *
text_or_null(sqlite3_stmt *st, int col)
{
	const char *v = store_col_text(st, col);

	return (v != NULL ? json_string(v) : json_null());
}

static json_t *
holiday_set_row(sqlite3_stmt *st)
{
	return (json_pack("{s:s, s:s, s:s, s:o, s:I, s:o, s:o}",
	    "id", store_col_text(st, 0),
	    "name", store_col_text(st, 1),
	    "source", store_col_text(st, 2),
	    "updated_at", store_json_time(sqlite3_column_int64(st, 3)),
	    "count", (json_int_t)sqlite3_column_int64(st, 4),
	    "first_date", text_or_null(st, 5),
	    "last_date", text_or_null(st, 6)));
}

int
store_holiday_set_list(struct store *s, const char *set_id, json_t **items)
{
	sqlite3_stmt *st;

	if ((st = store_stmt(s, STORE_SQL_HOLIDAY_SET_LIST)) == NULL ||
	    store_bind_text(st, ":set_id", set_id) == -1)
		return (-1);
	return (store_rows(s, st, holiday_set_row, 0, items, NULL,
	    "holiday set list"));
}

static json_t *
holiday_day_row(sqlite3_stmt *st)
{
	return (json_pack("{s:s, s:s}", "date", store_col_text(st, 0),
	    "title", store_col_text(st, 1)));
}

int
store_holiday_set_days(struct store *s, const char *set_id, json_t **items)
{
	sqlite3_stmt *st;

	if ((st = store_stmt(s, STORE_SQL_HOLIDAY_SET_DAYS)) == NULL ||
	    store_bind_text(st, ":set_id", set_id) == -1)
		return (-1);
	return (store_rows(s, st, holiday_day_row, 0, items, NULL,
	    "holiday days"));
}

int
store_holiday_set_rename(struct store *s, const char *set_id,
    const char *name)
{
	sqlite3_stmt *st;

	if ((st = store_stmt(s, STORE_SQL_HOLIDAY_SET_RENAME)) == NULL ||
	    store_bind_text(st, ":set_id", set_id) == -1 ||
	    store_bind_text(st, ":name", name) == -1)
		return (-1);
	return (store_exec_stmt(st));
}
