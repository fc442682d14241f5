/* store_reports: the breach register, a page at a time, and the report
 * figures, each an SQL aggregate. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "log.h"
#include "store.h"
#include "store_api.h"
#include "timeutil.h"

#define REGIME_ICO "uk_gdpr_art33_ico"

/* Columns of REGISTER_PAGE. */
enum {
	R_ID, R_DISCOVERED, R_REF, R_TITLE, R_STATUS, R_CAUSE, R_CYBER,
	R_AWARE, R_FROM, R_TO, R_CREATED, R_DESCRIPTION, R_HOW, R_ROLE,
	R_CONTROLLER, R_JURISDICTIONS, R_DATA, R_SUBJECTS, R_CONSEQUENCES,
	R_SUBJECTS_COUNT, R_RECORDS_COUNT, R_CONF, R_INTEG, R_AVAIL,
	R_ENCRYPTION, R_RISK, R_RATIONALE, R_DECIDED_AT, R_DECIDED_BY,
	R_NOT_A_BREACH, R_OBLIGATIONS, R_TAKEN, R_PROPOSED
};

static json_t *
text_or_null(sqlite3_stmt *st, int col)
{
	const char *s = store_col_text(st, col);

	return (s != NULL ? json_string(s) : json_null());
}

static json_t *
int_or_null(sqlite3_stmt *st, int col)
{
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return (json_null());
	return (json_integer(sqlite3_column_int64(st, col)));
}

static json_t *
json_column(sqlite3_stmt *st, int col)
{
	const char *s = store_col_text(st, col);

	return (s != NULL ? json_loads(s, 0, NULL) : NULL);
}

static int
obligation_cmp(const void *a, const void *b)
{
	const json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	json_int_t dx = json_integer_value(json_array_get(x, 3));
	json_int_t dy = json_integer_value(json_array_get(y, 3));
	int c;

	if (dx != dy)
		return (dx < dy ? -1 : 1);
	if ((c = strcmp(json_string_value(json_array_get(x, 0)),
	    json_string_value(json_array_get(y, 0)))) != 0)
		return (c);
	return (strcmp(json_string_value(json_array_get(x, 1)),
	    json_string_value(json_array_get(y, 1))));
}

/* The [regime, phase, recipient, due, state, met, ref] rows of the page's
 * subquery as RegisterObligation objects, in order of due_at. */
static json_t *
obligations(sqlite3_stmt *st)
{
	json_t *rows, *out = NULL, **v = NULL, *o;
	size_t n, i;

	if ((rows = json_column(st, R_OBLIGATIONS)) == NULL ||
	    !json_is_array(rows))
		goto out;
	n = json_array_size(rows);
	if (n > 0 && (v = calloc(n, sizeof(*v))) == NULL)
		goto out;
	for (i = 0; i < n; i++) {
		v[i] = json_array_get(rows, i);
		if (!json_is_array(v[i]) || json_array_size(v[i]) != 7 ||
		    !json_is_string(json_array_get(v[i], 0)) ||
		    !json_is_string(json_array_get(v[i], 1)) ||
		    !json_is_integer(json_array_get(v[i], 3)))
			goto out;
	}
	if (n > 1)
		qsort(v, n, sizeof(*v), obligation_cmp);
	if ((out = json_array()) == NULL)
		goto out;
	for (i = 0; i < n; i++) {
		json_t *met = json_array_get(v[i], 5);

		o = json_pack("{s:O, s:O, s:O, s:o, s:O, s:o, s:O}",
		    "regime_id", json_array_get(v[i], 0),
		    "phase", json_array_get(v[i], 1),
		    "recipient", json_array_get(v[i], 2),
		    "due_at", store_json_time(json_integer_value(
		    json_array_get(v[i], 3))),
		    "state", json_array_get(v[i], 4),
		    "met_at", json_is_integer(met) ? store_json_time(
		    json_integer_value(met)) : json_null(),
		    "reference", json_array_get(v[i], 6));
		if (o == NULL || json_array_append_new(out, o) == -1) {
			json_decref(out);
			out = NULL;
			goto out;
		}
	}
out:
	free(v);
	json_decref(rows);
	return (out);
}

/* One register entry (RegisterEntry) from a REGISTER_PAGE row. */
static json_t *
register_row(sqlite3_stmt *st)
{
	json_t *e;

	e = json_pack("{s:I, s:s, s:s, s:s, s:o, s:s, s:o, s:o, s:o, s:o, "
	    "s:o, s:o, s:o, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:b, "
	    "s:b, s:b, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
	    "id", (json_int_t)sqlite3_column_int64(st, R_ID),
	    "ref", store_col_text(st, R_REF),
	    "title", store_col_text(st, R_TITLE),
	    "status", store_col_text(st, R_STATUS),
	    "cause", text_or_null(st, R_CAUSE),
	    "cyber_incident", store_col_text(st, R_CYBER),
	    "discovered_at", store_json_time(sqlite3_column_int64(st,
	    R_DISCOVERED)),
	    "aware_at", store_json_time(store_col_time(st, R_AWARE)),
	    "occurred_from", store_json_time(store_col_time(st, R_FROM)),
	    "occurred_to", store_json_time(store_col_time(st, R_TO)),
	    "reported_at", store_json_time(sqlite3_column_int64(st,
	    R_CREATED)),
	    "description", text_or_null(st, R_DESCRIPTION),
	    "how_discovered", text_or_null(st, R_HOW),
	    "role", store_col_text(st, R_ROLE),
	    "controller_name", text_or_null(st, R_CONTROLLER),
	    "jurisdictions", json_column(st, R_JURISDICTIONS),
	    "data_categories", json_column(st, R_DATA),
	    "subject_categories", json_column(st, R_SUBJECTS),
	    "likely_consequences", text_or_null(st, R_CONSEQUENCES),
	    "subjects_count", int_or_null(st, R_SUBJECTS_COUNT),
	    "records_count", int_or_null(st, R_RECORDS_COUNT),
	    "confidentiality_impact", sqlite3_column_int(st, R_CONF) != 0,
	    "integrity_impact", sqlite3_column_int(st, R_INTEG) != 0,
	    "availability_impact", sqlite3_column_int(st, R_AVAIL) != 0,
	    "encryption", store_col_text(st, R_ENCRYPTION),
	    "risk", text_or_null(st, R_RISK),
	    "risk_rationale", text_or_null(st, R_RATIONALE),
	    "risk_decided_at", store_json_time(store_col_time(st,
	    R_DECIDED_AT)),
	    "risk_decided_by", text_or_null(st, R_DECIDED_BY),
	    "not_a_breach_reason", text_or_null(st, R_NOT_A_BREACH),
	    "obligations", obligations(st),
	    "measures_taken", text_or_null(st, R_TAKEN),
	    "measures_proposed", text_or_null(st, R_PROPOSED));
	return (e);
}

int
store_register_scan(struct store *s, const struct store_register_query *q,
    store_register_fn fn, void *arg)
{
	sqlite3_stmt *st;
	json_t *e;
	int64_t n = 0;
	int rc;

	if ((st = store_stmt(s, STORE_SQL_REGISTER_PAGE)) == NULL ||
	    store_bind_int(st, ":from", q->from) == -1 ||
	    store_bind_int(st, ":to", q->to) == -1 ||
	    store_bind_int(st, ":now", q->now) == -1 ||
	    store_bind_int(st, ":after_at", q->after_at) == -1 ||
	    store_bind_int(st, ":after_id", q->after_id) == -1 ||
	    store_bind_int(st, ":limit", q->limit) == -1)
		return (-1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		n++;
		if ((e = register_row(st)) == NULL) {
			log_event(LOG_ERROR, "cannot build a register entry",
			    NULL);
			sqlite3_reset(st);
			return (-1);
		}
		rc = fn(arg, e, sqlite3_column_int64(st, R_DISCOVERED),
		    sqlite3_column_int64(st, R_ID));
		json_decref(e);
		if (rc != 0) {
			sqlite3_reset(st);
			return (rc == 1 ? 0 : -1);
		}
	}
	if (rc != SQLITE_DONE)
		return (store_fail(s, st, "register page"));
	sqlite3_reset(st);
	return (n < q->limit ? 1 : 0);
}

/* Bind the period (and now, when the statement has it). */
static int
bind_period(sqlite3_stmt *st, int64_t from, int64_t to, int64_t now)
{
	if (store_bind_int(st, ":from", from) == -1 ||
	    store_bind_int(st, ":to", to) == -1)
		return (-1);
	if (sqlite3_bind_parameter_index(st, ":now") != 0 &&
	    store_bind_int(st, ":now", now) == -1)
		return (-1);
	return (0);
}

/* [{key: <col 0>, "count": <col 1>}] from a grouping statement. */
static int
groups(struct store *s, enum store_sql id, const char *key, int64_t from,
    int64_t to, json_t *into, const char *name, int64_t *total)
{
	sqlite3_stmt *st;
	json_t *a, *o;
	int rc;

	if ((st = store_stmt(s, id)) == NULL ||
	    bind_period(st, from, to, 0) == -1 || (a = json_array()) == NULL)
		return (-1);
	if (total != NULL)
		*total = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (total != NULL)
			*total += sqlite3_column_int64(st, 1);
		o = json_pack("{s:s, s:I}", key, store_col_text(st, 0),
		    "count", (json_int_t)sqlite3_column_int64(st, 1));
		if (o == NULL || json_array_append_new(a, o) == -1) {
			sqlite3_reset(st);
			json_decref(a);
			return (-1);
		}
	}
	if (rc != SQLITE_DONE) {
		json_decref(a);
		return (store_fail(s, st, name));
	}
	sqlite3_reset(st);
	return (json_object_set_new(into, name, a));
}

/*
 * The civil date of instant t (>= 0) in zone tz (NULL: UTC) into *day,
 * and into *end the last second of that date's month there: the end of
 * its last day as calendar_end_of_day() reads it, or INT64_MAX past the
 * range calendar.h handles.  0, or -1 if t cannot be converted.
 */
static int
month_of(const char *tz, int64_t t, int64_t *day, int64_t *end)
{
	int64_t y, last;
	unsigned m, d;

	if (tz == NULL)
		*day = t / 86400;
	else if (calendar_local_date(tz, t, day) == -1)
		return (-1);
	timeutil_civil_from_days(*day, &y, &m, &d);
	last = timeutil_days_from_civil(y, m, timeutil_days_in_month(y, m));
	if (tz == NULL)
		*end = last * 86400 + 86399;
	else if (calendar_end_of_day(tz, last, end) == -1)
		*end = INT64_MAX;
	return (0);
}

/*
 * by_month: the incidents of [from, to] counted by the calendar month of
 * discovered_at in zone tz (NULL: UTC), in order, months with none left
 * out; their sum into *total.  Only months that have an incident are
 * visited, each with two bound range queries on the discovered_at index:
 * the first incident at or after the cursor, then the count from it to
 * the end of its local month; the cursor then moves past that end.  Where
 * a zone turned its clocks back at midnight, the repeated last hour of a
 * month lies after the month's end as calendar_end_of_day() reads it; an
 * incident there still has a local date in that month, so it is added to
 * the month's count (and the cursor moves at least one second a step).
 */
static int
by_month(struct store *s, const char *tz, int64_t from, int64_t to,
    json_t *into, int64_t *total)
{
	sqlite3_stmt *st;
	json_t *a, *o;
	int64_t t, day, end, n, y;
	unsigned m, d;
	char key[16], prev[16] = "";
	int rc;

	*total = 0;
	if ((a = json_array()) == NULL)
		return (-1);
	for (t = from; t <= to; t = end + 1) {
		if ((st = store_stmt(s, STORE_SQL_REPORT_FIRST)) == NULL ||
		    bind_period(st, t, to, 0) == -1 ||
		    (rc = store_row(s, st, "report month")) == -1)
			goto fail;
		if (rc == 1)
			break;
		t = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
		if (month_of(tz, t, &day, &end) == -1) {
			log_event(LOG_ERROR, "cannot find an incident's month",
			    NULL);
			goto fail;
		}
		if (end < t)
			end = t;
		if ((st = store_stmt(s, STORE_SQL_REPORT_COUNT)) == NULL ||
		    bind_period(st, t, end < to ? end : to, 0) == -1 ||
		    (n = store_count(s, st, "report month count")) == -1)
			goto fail;
		*total += n;
		timeutil_civil_from_days(day, &y, &m, &d);
		snprintf(key, sizeof(key), "%04lld-%02u", (long long)y, m);
		if (strcmp(key, prev) == 0) {
			o = json_array_get(a, json_array_size(a) - 1);
			if (json_object_set_new(o, "count", json_integer(
			    json_integer_value(json_object_get(o, "count")) +
			    n)) == -1)
				goto fail;
		} else {
			o = json_pack("{s:s, s:I}", "month", key, "count",
			    (json_int_t)n);
			if (o == NULL || json_array_append_new(a, o) == -1)
				goto fail;
			memcpy(prev, key, sizeof(prev));
		}
		if (end >= to)
			break;
	}
	return (json_object_set_new(into, "by_month", a));
fail:
	json_decref(a);
	return (-1);
}

/* Seconds as hours with two decimals, or null. */
static json_t *
hours(sqlite3_stmt *st, int col)
{
	int64_t secs, h;

	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return (json_null());
	secs = sqlite3_column_int64(st, col);
	/* Hundredths of an hour, rounded half away from zero. */
	h = secs >= 0 ? (secs * 100 + 1800) / 3600 :
	    -((-secs * 100 + 1800) / 3600);
	return (json_real((double)h / 100.0));
}

/* The notice-time samples grouped by regime (by_class false) or by the
 * regime's recipient class. */
static int
notice_times(struct store *s, int64_t from, int64_t to, bool by_class,
    json_t **out)
{
	sqlite3_stmt *st;
	json_t *a, *o;
	int rc;

	if ((st = store_stmt(s, STORE_SQL_REPORT_NOTICE_TIMES)) == NULL ||
	    bind_period(st, from, to, 0) == -1 ||
	    store_bind_int(st, ":by_class", by_class) == -1 ||
	    (a = json_array()) == NULL)
		return (-1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		o = by_class ? json_object() : json_pack("{s:s}", "regime_id",
		    store_col_text(st, 0));
		if (o != NULL && json_object_update_new(o, json_pack(
		    "{s:s, s:I, s:o, s:o}", "notify", store_col_text(st, 1),
		    "count", (json_int_t)sqlite3_column_int64(st, 2),
		    "median_hours", hours(st, 3), "p90_hours", hours(st, 4))) ==
		    -1) {
			json_decref(o);
			o = NULL;
		}
		if (o == NULL || json_array_append_new(a, o) == -1) {
			sqlite3_reset(st);
			json_decref(a);
			return (-1);
		}
	}
	if (rc != SQLITE_DONE) {
		json_decref(a);
		return (store_fail(s, st, "notice times"));
	}
	sqlite3_reset(st);
	*out = a;
	return (0);
}

int
store_report(struct store *s, const char *tz, int64_t from, int64_t to,
    int64_t now, json_t **out)
{
	sqlite3_stmt *st;
	json_t *r, *inc, *ico = NULL, *by_regime = NULL, *by_class = NULL, *o;
	int64_t total, c[7], decided;
	size_t i;

	*out = NULL;
	if ((r = json_object()) == NULL || (inc = json_object()) == NULL ||
	    json_object_set_new(r, "incidents", inc) == -1)
		goto fail;
	if (by_month(s, tz, from, to, inc, &total) == -1 ||
	    json_object_set_new(inc, "total", json_integer(total)) == -1 ||
	    groups(s, STORE_SQL_REPORT_BY_CAUSE, "cause", from, to, inc,
	    "by_cause", NULL) == -1 ||
	    groups(s, STORE_SQL_REPORT_BY_RISK, "risk", from, to, inc,
	    "by_risk", NULL) == -1 ||
	    groups(s, STORE_SQL_REPORT_BY_STATUS, "status", from, to, inc,
	    "by_status", NULL) == -1)
		goto fail;

	if ((st = store_stmt(s, STORE_SQL_REPORT_PEOPLE)) == NULL ||
	    bind_period(st, from, to, now) == -1 ||
	    store_row(s, st, "report people") != 0)
		goto fail;
	o = json_pack("{s:I, s:I, s:I}",
	    "subjects_total", (json_int_t)sqlite3_column_int64(st, 0),
	    "incidents_with_count", (json_int_t)sqlite3_column_int64(st, 1),
	    "incidents_unknown_count", (json_int_t)sqlite3_column_int64(st, 2));
	sqlite3_reset(st);
	if (o == NULL || json_object_set_new(r, "people", o) == -1)
		goto fail;

	if ((st = store_stmt(s, STORE_SQL_REPORT_OBLIGATIONS)) == NULL ||
	    bind_period(st, from, to, now) == -1 ||
	    store_row(s, st, "report obligations") != 0)
		goto fail;
	for (i = 0; i < 7; i++)
		c[i] = sqlite3_column_int64(st, (int)i);
	sqlite3_reset(st);
	decided = c[1] + c[2] + c[3];
	o = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o}",
	    "total", (json_int_t)c[0], "met_on_time", (json_int_t)c[1],
	    "met_late", (json_int_t)c[2], "missed", (json_int_t)c[3],
	    "pending", (json_int_t)c[4], "waived", (json_int_t)c[5],
	    "not_required", (json_int_t)c[6], "met_on_time_share",
	    decided > 0 ? json_real((double)((c[1] * 20000 + decided) /
	    (2 * decided)) / 10000.0) : json_null());
	if (o == NULL || json_object_set_new(r, "obligations", o) == -1)
		goto fail;

	if (notice_times(s, from, to, false, &by_regime) == -1 ||
	    notice_times(s, from, to, true, &by_class) == -1)
		goto fail;
	json_array_foreach(by_regime, i, o)
		if (strcmp(json_string_value(json_object_get(o, "regime_id")),
		    REGIME_ICO) == 0)
			ico = json_pack("{s:O, s:O, s:O}", "count",
			    json_object_get(o, "count"), "median_hours",
			    json_object_get(o, "median_hours"), "p90_hours",
			    json_object_get(o, "p90_hours"));
	if (ico == NULL)
		ico = json_pack("{s:i, s:n, s:n}", "count", 0, "median_hours",
		    "p90_hours");
	o = json_pack("{s:o, s:o, s:o}", "ico", ico, "by_regime", by_regime,
	    "by_recipient_class", by_class);
	ico = by_regime = by_class = NULL;
	if (o == NULL || json_object_set_new(r, "notice_times", o) == -1)
		goto fail;
	*out = r;
	return (0);
fail:
	json_decref(ico);
	json_decref(by_regime);
	json_decref(by_class);
	json_decref(r);
	return (-1);
}
