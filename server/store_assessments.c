/* store_assessments: ENISA severity assessments (sql/004_assessments.sql). */
#include <stdio.h>
#include <stdlib.h>

#include "log.h"
#include "store.h"
#include "store_api.h"
#include "store_assessments.h"

int
store_assessment_add(struct store *s, int64_t incident_id,
    const json_t *inputs, int score, const char *level,
    const char *suggestion, const json_t *reasons, int64_t user_id,
    int64_t now, int64_t *id)
{
	sqlite3_stmt *st;
	char *in_text, *reasons_text = NULL;
	int rc = -1;

	if ((in_text = json_dumps(inputs, JSON_COMPACT | JSON_SORT_KEYS)) ==
	    NULL || (reasons_text = json_dumps(reasons, JSON_COMPACT)) ==
	    NULL) {
		log_event(LOG_ERROR, "encode error", "op", "assessment add",
		    NULL);
		goto out;
	}
	if ((st = store_stmt(s, STORE_SQL_ASSESSMENT_INSERT)) == NULL ||
	    store_bind_int(st, ":incident_id", incident_id) == -1 ||
	    store_bind_text(st, ":inputs", in_text) == -1 ||
	    store_bind_int(st, ":score", score) == -1 ||
	    store_bind_text(st, ":level", level) == -1 ||
	    store_bind_text(st, ":suggestion", suggestion) == -1 ||
	    store_bind_text(st, ":reasons", reasons_text) == -1 ||
	    store_bind_int(st, ":assessed_by", user_id) == -1 ||
	    store_bind_int(st, ":now", now) == -1)
		goto out;
	if (sqlite3_step(st) != SQLITE_ROW) {
		store_fail(s, st, "assessment add");
		goto out;
	}
	*id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	rc = 0;
out:
	free(in_text);
	free(reasons_text);
	return (rc);
}

int
store_assessment_list(struct store *s, int64_t incident_id,
    int64_t assessment_id, json_t **items)
{
	sqlite3_stmt *st;
	json_t *a, *o, *inputs, *reasons;
	int rc;

	if ((st = store_stmt(s, STORE_SQL_ASSESSMENT_LIST)) == NULL ||
	    store_bind_int(st, ":incident_id", incident_id) == -1 ||
	    (assessment_id != 0 ? store_bind_int(st, ":id", assessment_id) :
	    store_bind_null(st, ":id")) == -1)
		return (-1);
	if ((a = json_array()) == NULL)
		return (-1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		/* The table's CHECK (json_valid(...)) keeps these parseable;
		 * a NULL here is a fault, not bad input. */
		inputs = json_loads(store_col_text(st, 2), 0, NULL);
		reasons = json_loads(store_col_text(st, 6), 0, NULL);
		if (!json_is_object(inputs) || !json_is_array(reasons)) {
			json_decref(inputs);
			json_decref(reasons);
			log_event(LOG_ERROR, "stored JSON unreadable", "op",
			    "assessment list", NULL);
			goto err;
		}
		/* Scores are multiples of 0.25, exact in binary. */
		o = json_pack("{s:I, s:I, s:o, s:f, s:s, s:s, s:o, s:s, s:o}",
		    "id", (json_int_t)sqlite3_column_int64(st, 0),
		    "incident_id", (json_int_t)sqlite3_column_int64(st, 1),
		    "inputs", inputs,
		    "score", (double)sqlite3_column_int64(st, 3) / 100.0,
		    "level", store_col_text(st, 4),
		    "suggestion", store_col_text(st, 5),
		    "reasons", reasons,
		    "assessed_by", store_col_text(st, 7),
		    "assessed_at", store_json_time(sqlite3_column_int64(st, 8)));
		if (o == NULL || json_array_append_new(a, o) == -1)
			goto err;
	}
	if (rc != SQLITE_DONE) {
		store_log_error(s, "assessment list");
		goto err;
	}
	sqlite3_reset(st);
	*items = a;
	return (0);
err:
	sqlite3_reset(st);
	json_decref(a);
	return (-1);
}

int
store_assessment_latest(struct store *s, int64_t incident_id,
    char *suggestion, size_t len, int64_t *assessment_id)
{
	sqlite3_stmt *st;
	const char *v;
	int rc;

	if (len > 0)
		suggestion[0] = '\0';
	if ((st = store_stmt(s, STORE_SQL_ASSESSMENT_LATEST)) == NULL ||
	    store_bind_int(st, ":incident_id", incident_id) == -1)
		return (-1);
	if ((rc = sqlite3_step(st)) == SQLITE_DONE) {
		sqlite3_reset(st);
		return (1);
	}
	if (rc != SQLITE_ROW)
		return (store_fail(s, st, "assessment latest"));
	v = store_col_text(st, 0);
	if (v == NULL || (size_t)snprintf(suggestion, len, "%s", v) >= len) {
		sqlite3_reset(st);
		log_event(LOG_ERROR, "stored value unreadable", "op",
		    "assessment latest", NULL);
		return (-1);
	}
	if (assessment_id != NULL)
		*assessment_id = sqlite3_column_int64(st, 1);
	sqlite3_reset(st);
	return (0);
}
