#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jbuf.h"
#include "store.h"
#include "store_api.h"

/* Caps on the JSON text of one obligation and of a dashboard page. */
#define OBLIGATION_TEXT_MAX (1024 * 1024)
#define DUE_TEXT_MAX (64 * 1024 * 1024)

int
store_obligation_all(struct store *s, int64_t incident_id,
    struct store_obligation **out, size_t *n)
{
	struct store_obligation *a = NULL, *grown, *o;
	size_t cap = 0;
	sqlite3_stmt *st;
	int rc;

	*out = NULL;
	*n = 0;
	if ((st = store_stmt(s, STORE_SQL_OBLIGATION_ALL)) == NULL ||
	    store_bind_int(st, ":incident_id", incident_id) == -1)
		return (-1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap == 0 ? 8 : cap * 2;
			if ((grown = realloc(a, cap * sizeof(*a))) == NULL) {
				sqlite3_reset(st);
				free(a);
				return (-1);
			}
			a = grown;
		}
		o = &a[(*n)++];
		memset(o, 0, sizeof(*o));
		o->id = sqlite3_column_int64(st, 0);
		snprintf(o->state, sizeof(o->state), "%s",
		    store_col_text(st, 1));
		o->starts_at = sqlite3_column_int64(st, 2);
		o->due_at = sqlite3_column_int64(st, 3);
		snprintf(o->basis, sizeof(o->basis), "%s",
		    store_col_text(st, 4));
		snprintf(o->recipient, sizeof(o->recipient), "%s",
		    store_col_text(st, 5));
		snprintf(o->regime_id, sizeof(o->regime_id), "%s",
		    store_col_text(st, 6));
		snprintf(o->phase, sizeof(o->phase), "%s",
		    store_col_text(st, 7));
		snprintf(o->phase_name, sizeof(o->phase_name), "%s",
		    store_col_text(st, 8));
		o->target = sqlite3_column_int(st, 9);
	}
	if (rc != SQLITE_DONE) {
		free(a);
		*n = 0;
		return (store_fail(s, st, "obligation all"));
	}
	sqlite3_reset(st);
	*out = a;
	return (0);
}

static int
bind_obligation(sqlite3_stmt *st, const struct store_obligation *o,
    int64_t now)
{
	if (store_bind_text(st, ":state", o->state) == -1 ||
	    store_bind_text(st, ":recipient", o->recipient) == -1 ||
	    store_bind_int(st, ":starts_at", o->starts_at) == -1 ||
	    store_bind_int(st, ":due_at", o->due_at) == -1 ||
	    store_bind_int(st, ":target", o->target) == -1 ||
	    store_bind_text(st, ":phase_name", o->phase_name) == -1 ||
	    store_bind_text(st, ":basis", o->basis) == -1 ||
	    store_bind_int(st, ":now", now) == -1)
		return (-1);
	return (0);
}

int
store_obligation_insert(struct store *s, int64_t incident_id,
    const struct store_obligation *o, int64_t now, int64_t *id)
{
	sqlite3_stmt *st;

	if ((st = store_stmt(s, STORE_SQL_OBLIGATION_INSERT)) == NULL ||
	    store_bind_int(st, ":incident_id", incident_id) == -1 ||
	    store_bind_text(st, ":regime_id", o->regime_id) == -1 ||
	    store_bind_text(st, ":phase", o->phase) == -1 ||
	    bind_obligation(st, o, now) == -1)
		return (-1);
	if (sqlite3_step(st) != SQLITE_ROW)
		return (store_fail(s, st, "obligation insert"));
	*id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return (0);
}

int
store_obligation_update(struct store *s, const struct store_obligation *o,
    int64_t now)
{
	sqlite3_stmt *st;

	if ((st = store_stmt(s, STORE_SQL_OBLIGATION_UPDATE)) == NULL ||
	    store_bind_int(st, ":id", o->id) == -1 ||
	    bind_obligation(st, o, now) == -1)
		return (-1);
	return (store_exec_stmt(st));
}

static json_t *
text_or_null(sqlite3_stmt *st, int col)
{
	const char *s = store_col_text(st, col);

	return (s != NULL ? json_string(s) : json_null());
}

/* The notice kept with a notification: {kind, incident_version, text}
 * or null. */
static json_t *
notice_of(sqlite3_stmt *st)
{
	if (store_col_text(st, 9) == NULL)
		return (json_null());
	return (json_pack("{s:s, s:o, s:s}", "kind", store_col_text(st, 9),
	    "incident_version", sqlite3_column_type(st, 10) == SQLITE_NULL ?
	    json_null() : json_integer(sqlite3_column_int64(st, 10)),
	    "text", store_col_text(st, 11)));
}

static json_t *
notification_row(sqlite3_stmt *st)
{
	return (json_pack("{s:I, s:I, s:o, s:s, s:o, s:b, s:o, s:s, s:o, "
	    "s:o}",
	    "id", (json_int_t)sqlite3_column_int64(st, 0),
	    "obligation_id", (json_int_t)sqlite3_column_int64(st, 1),
	    "sent_at", store_json_time(sqlite3_column_int64(st, 2)),
	    "recipient", store_col_text(st, 3),
	    "reference", text_or_null(st, 4),
	    "follow_up", sqlite3_column_int(st, 5),
	    "delay_reason", text_or_null(st, 6),
	    "recorded_by", store_col_text(st, 7),
	    "recorded_at", store_json_time(sqlite3_column_int64(st, 8)),
	    "notice", notice_of(st)));
}

/* Notifications of an incident (only id if not 0), as API JSON. */
static int
notifications(struct store *s, int64_t incident_id, int64_t id,
    json_t **items)
{
	sqlite3_stmt *st;

	if ((st = store_stmt(s, STORE_SQL_NOTIFICATION_LIST)) == NULL ||
	    store_bind_int(st, ":incident_id", incident_id) == -1 ||
	    (id != 0 ? store_bind_int(st, ":id", id) :
	    store_bind_null(st, ":id")) == -1)
		return (-1);
	return (store_rows(s, st, notification_row, 0, items, NULL,
	    "notification list"));
}

int
store_notification_get(struct store *s, int64_t incident_id, int64_t id,
    json_t **out)
{
	json_t *items;

	*out = NULL;
	if (notifications(s, incident_id, id, &items) == -1)
		return (-1);
	if (json_array_size(items) == 1)
		*out = json_incref(json_array_get(items, 0));
	json_decref(items);
	return (0);
}

/*
 * The current row of OBLIGATION_LIST or of a dashboard plan (DUE_COLS:
 * the same first 19 columns) as API JSON text into b, with mine (JSON
 * text) as its notifications, and without the closing brace (the
 * dashboard adds its incident); a pending obligation past due reads
 * "missed".  The one place that shapes an obligation: obligation_row()
 * parses it.
 */
static void
obligation_text(struct jbuf *b, sqlite3_stmt *st, int64_t now,
    const char *mine)
{
	const char *state = store_col_text(st, 8);
	int64_t due = sqlite3_column_int64(st, 7);

	if (state != NULL && strcmp(state, "pending") == 0 && now > due)
		state = "missed";
	jbuf_lit(b, "{");
	jbuf_key(b, "id", true);
	jbuf_int(b, sqlite3_column_int64(st, 0));
	jbuf_key(b, "incident_id", false);
	jbuf_int(b, sqlite3_column_int64(st, 1));
	jbuf_key(b, "regime_id", false);
	jbuf_str(b, store_col_text(st, 2));
	jbuf_key(b, "regime_name", false);
	jbuf_str(b, store_col_text(st, 3));
	jbuf_key(b, "legal_source", false);
	jbuf_str(b, store_col_text(st, 17));
	jbuf_key(b, "citation_url", false);
	jbuf_str(b, store_col_text(st, 18));
	jbuf_key(b, "phase", false);
	jbuf_str(b, store_col_text(st, 14));
	jbuf_key(b, "phase_name", false);
	jbuf_str(b, store_col_text(st, 15));
	jbuf_key(b, "target", false);
	jbuf_lit(b, sqlite3_column_int(st, 16) ? "true" : "false");
	jbuf_key(b, "recipient", false);
	jbuf_str(b, store_col_text(st, 4));
	jbuf_key(b, "clock_start", false);
	jbuf_str(b, store_col_text(st, 5));
	jbuf_key(b, "starts_at", false);
	jbuf_time(b, sqlite3_column_int64(st, 6));
	jbuf_key(b, "due_at", false);
	jbuf_time(b, due);
	jbuf_key(b, "state", false);
	jbuf_str(b, state);
	jbuf_key(b, "met_at", false);
	jbuf_time(b, store_col_time(st, 9));
	jbuf_key(b, "reference", false);
	jbuf_str(b, store_col_text(st, 10));
	jbuf_key(b, "delay_reason", false);
	jbuf_str(b, store_col_text(st, 11));
	jbuf_key(b, "waive_reason", false);
	jbuf_str(b, store_col_text(st, 12));
	jbuf_key(b, "basis", false);
	jbuf_str(b, store_col_text(st, 13));
	jbuf_key(b, "notifications", false);
	jbuf_lit(b, mine);
}

/* The current row as obligation_text() shapes it, as a new JSON object
 * with mine (a new reference, taken) as its notifications. */
static json_t *
obligation_row(sqlite3_stmt *st, int64_t now, json_t *mine)
{
	struct jbuf b;
	char *m;

	m = mine != NULL ? json_dumps(mine, JSON_COMPACT) : NULL;
	json_decref(mine);
	if (m == NULL)
		return (NULL);
	jbuf_init(&b, OBLIGATION_TEXT_MAX);
	obligation_text(&b, st, now, m);
	jbuf_lit(&b, "}");
	free(m);
	return (jbuf_take_json(&b));
}

int
store_obligation_list(struct store *s, int64_t incident_id,
    int64_t obligation_id, int64_t now, json_t **items)
{
	sqlite3_stmt *st;
	json_t *a, *o, *notes, *n;
	size_t i;
	int rc;

	if (notifications(s, incident_id, 0, &notes) == -1)
		return (-1);
	if ((st = store_stmt(s, STORE_SQL_OBLIGATION_LIST)) == NULL ||
	    store_bind_int(st, ":incident_id", incident_id) == -1 ||
	    (obligation_id != 0 ? store_bind_int(st, ":id", obligation_id) :
	    store_bind_null(st, ":id")) == -1 ||
	    (a = json_array()) == NULL) {
		json_decref(notes);
		return (-1);
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		json_t *mine = json_array();
		int64_t oid = sqlite3_column_int64(st, 0);

		json_array_foreach(notes, i, n)
			if (mine != NULL && json_integer_value(json_object_get(n,
			    "obligation_id")) == oid)
				json_array_append(mine, n);
		o = obligation_row(st, now, mine);
		if (o == NULL || json_array_append_new(a, o) == -1)
			goto err;
	}
	if (rc != SQLITE_DONE) {
		store_log_error(s, "obligation list");
		goto err;
	}
	sqlite3_reset(st);
	json_decref(notes);
	*items = a;
	return (0);
err:
	sqlite3_reset(st);
	json_decref(notes);
	json_decref(a);
	return (-1);
}

/* The notifications of one obligation as API JSON into *items. */
static int
obligation_notifications(struct store *s, int64_t obligation_id,
    json_t **items)
{
	sqlite3_stmt *st;

	if ((st = store_stmt(s, STORE_SQL_NOTIFICATION_OF_OBLIGATION)) ==
	    NULL || store_bind_int(st, ":obligation_id", obligation_id) == -1)
		return (-1);
	return (store_rows(s, st, notification_row, 0, items, NULL,
	    "obligation notifications"));
}

/* Up to how many incidents the dashboard starts from those that its
 * assignee or risk filter picks, and sorts their obligations, rather
 * than walk the obligations by deadline.  The walk reads the risk and
 * assignee from the index entries (migration 019), so it skips those of
 * other incidents cheaply: at a million incidents a walk that finds no
 * match among the 19,000 met obligations of open incidents took 7 ms,
 * and starting from 5,000 incidents 22 ms. */
#define DUE_FEW 1000

/*
 * Whether fewer than DUE_FEW incidents in statuses have f's assignee
 * (count is ASSIGNEE_INCIDENTS) or f's risk (RISK_INCIDENTS): 1 yes, 0
 * no, -1 error.
 */
static int
incidents_few(struct store *s, enum store_sql count,
    const struct store_due_filter *f, const char *const statuses[4])
{
	sqlite3_stmt *st;
	int64_t n;

	if ((st = store_stmt(s, count)) == NULL ||
	    (count == STORE_SQL_ASSIGNEE_INCIDENTS ?
	    store_bind_int(st, ":assignee", f->assignee > 0 ?
	    f->assignee : 0) :
	    store_bind_text(st, ":risk_is", store_risk_is(f->risk))) == -1 ||
	    store_bind_text(st, ":s1", statuses[0]) == -1 ||
	    store_bind_text(st, ":s2", statuses[1]) == -1 ||
	    store_bind_text(st, ":s3", statuses[2]) == -1 ||
	    store_bind_text(st, ":s4", statuses[3]) == -1 ||
	    store_bind_int(st, ":cap", DUE_FEW) == -1 ||
	    (n = store_count(s, st, "incidents of a filter")) == -1)
		return (-1);
	return (n < DUE_FEW);
}

/*
 * The incident statuses a dashboard query wants into statuses[4] (the
 * one named, or the four open ones), and the plan for it into *plan
 * (store_sql.h, DUE_COLS): from the incidents of the assignee or of the
 * risk wanted when they are few, else by deadline in the obligations of
 * each wanted status (of the regime wanted, if one is).  0 or -1.
 */
static int
due_plan(struct store *s, const struct store_due_filter *f,
    const char *statuses[4], enum store_sql *plan)
{
	static const char *const open[4] = { "suspected", "investigating",
		"confirmed", "contained" };
	int few;

	for (int i = 0; i < 4; i++)
		statuses[i] = f->status != NULL ? f->status : open[i];
	if (f->assignee != 0 && (few = incidents_few(s,
	    STORE_SQL_ASSIGNEE_INCIDENTS, f, statuses)) != 0) {
		*plan = STORE_SQL_OBLIGATION_DUE_BY_ASSIGNEE;
		return (few == 1 ? 0 : -1);
	}
	if (f->risk != NULL && (few = incidents_few(s,
	    STORE_SQL_RISK_INCIDENTS, f, statuses)) != 0) {
		*plan = STORE_SQL_OBLIGATION_DUE_BY_RISK;
		return (few == 1 ? 0 : -1);
	}
	if (f->regime_id != NULL)
		*plan = f->status != NULL ?
		    STORE_SQL_OBLIGATION_DUE_REGIME_STATUS :
		    STORE_SQL_OBLIGATION_DUE_REGIME_OPEN;
	else
		*plan = f->status != NULL ? STORE_SQL_OBLIGATION_DUE_STATUS :
		    STORE_SQL_OBLIGATION_DUE_OPEN;
	return (0);
}

int
store_obligation_due(struct store *s, const struct store_due_filter *f,
    int64_t now, struct store_due_page *page)
{
	const char *statuses[4];
	enum store_sql id;
	sqlite3_stmt *st;
	struct jbuf b;
	json_t *mine;
	char *m;
	int64_t n = 0;
	int rc;

	memset(page, 0, sizeof(*page));
	if (due_plan(s, f, statuses, &id) == -1 ||
	    (st = store_stmt(s, id)) == NULL ||
	    store_bind_text(st, ":s1", statuses[0]) == -1 ||
	    (id != STORE_SQL_OBLIGATION_DUE_STATUS &&
	    id != STORE_SQL_OBLIGATION_DUE_REGIME_STATUS &&
	    (store_bind_text(st, ":s2", statuses[1]) == -1 ||
	    store_bind_text(st, ":s3", statuses[2]) == -1 ||
	    store_bind_text(st, ":s4", statuses[3]) == -1)) ||
	    store_bind_text(st, ":state", f->state) == -1 ||
	    store_bind_int(st, ":due_before", f->due_before) == -1 ||
	    store_bind_int(st, ":after_due", f->after_due) == -1 ||
	    store_bind_int(st, ":after_id", f->after_id) == -1 ||
	    store_bind_text(st, ":regime_id", f->regime_id) == -1 ||
	    store_bind_text(st, ":risk", f->risk) == -1 ||
	    (id == STORE_SQL_OBLIGATION_DUE_BY_RISK &&
	    store_bind_text(st, ":risk_is", store_risk_is(f->risk)) == -1) ||
	    (f->assignee != 0 ? store_bind_int(st, ":assignee",
	    f->assignee > 0 ? f->assignee : 0) :
	    store_bind_null(st, ":assignee")) == -1 ||
	    store_bind_int(st, ":limit", f->limit + 1) == -1)
		return (-1);
	jbuf_init(&b, DUE_TEXT_MAX);
	jbuf_lit(&b, "[");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n++ == f->limit) {
			page->more = true;
			break;
		}
		/* Pending obligations have no notifications: ask only when
		 * there are some (column 24). */
		m = NULL;
		if (sqlite3_column_int(st, 24) != 0) {
			if (obligation_notifications(s, sqlite3_column_int64(st,
			    0), &mine) == -1)
				goto err;
			m = json_dumps(mine, JSON_COMPACT);
			json_decref(mine);
			if (m == NULL)
				goto err;
		}
		if (n > 1)
			jbuf_lit(&b, ",");
		obligation_text(&b, st, now, m != NULL ? m : "[]");
		free(m);
		jbuf_key(&b, "incident", false);
		jbuf_lit(&b, "{");
		jbuf_key(&b, "id", true);
		jbuf_int(&b, sqlite3_column_int64(st, 1));
		jbuf_key(&b, "ref", false);
		jbuf_str(&b, store_col_text(st, 19));
		jbuf_key(&b, "title", false);
		jbuf_str(&b, store_col_text(st, 20));
		jbuf_key(&b, "status", false);
		jbuf_str(&b, store_col_text(st, 21));
		jbuf_key(&b, "risk", false);
		jbuf_str(&b, store_col_text(st, 22));
		jbuf_key(&b, "assignee", false);
		jbuf_str(&b, store_col_text(st, 23));
		jbuf_lit(&b, "}}");
		page->last_due = sqlite3_column_int64(st, 7);
		page->last_id = sqlite3_column_int64(st, 0);
	}
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		store_log_error(s, "due obligations");
		goto err;
	}
	sqlite3_reset(st);
	jbuf_lit(&b, "]");
	if ((page->items = jbuf_take(&b, &page->len)) == NULL)
		return (-1);
	return (0);
err:
	sqlite3_reset(st);
	jbuf_release(&b);
	return (-1);
}

int
store_obligation_meet(struct store *s, int64_t id, int64_t met_at,
    const char *reference, const char *delay_reason, int64_t now)
{
	sqlite3_stmt *st;

	if ((st = store_stmt(s, STORE_SQL_OBLIGATION_MEET)) == NULL ||
	    store_bind_int(st, ":id", id) == -1 ||
	    store_bind_int(st, ":met_at", met_at) == -1 ||
	    store_bind_text(st, ":reference", reference) == -1 ||
	    store_bind_text(st, ":delay_reason", delay_reason) == -1 ||
	    store_bind_int(st, ":now", now) == -1 ||
	    store_exec_stmt(st) == -1)
		return (-1);
	return (sqlite3_changes(store_db(s)) == 1 ? 0 : 1);
}

int
store_obligation_waive(struct store *s, int64_t id, const char *reason,
    int64_t now)
{
	sqlite3_stmt *st;

	if ((st = store_stmt(s, STORE_SQL_OBLIGATION_WAIVE)) == NULL ||
	    store_bind_int(st, ":id", id) == -1 ||
	    store_bind_text(st, ":reason", reason) == -1 ||
	    store_bind_int(st, ":now", now) == -1 ||
	    store_exec_stmt(st) == -1)
		return (-1);
	return (sqlite3_changes(store_db(s)) == 1 ? 0 : 1);
}

int
store_notification_add(struct store *s, int64_t obligation_id,
    int64_t sent_at, const char *recipient, const char *reference,
    int follow_up, const char *delay_reason, int64_t user_id, int64_t now,
    int64_t *id)
{
	sqlite3_stmt *st;

	if ((st = store_stmt(s, STORE_SQL_NOTIFICATION_INSERT)) == NULL ||
	    store_bind_int(st, ":obligation_id", obligation_id) == -1 ||
	    store_bind_int(st, ":sent_at", sent_at) == -1 ||
	    store_bind_text(st, ":recipient", recipient) == -1 ||
	    store_bind_text(st, ":reference", reference) == -1 ||
	    store_bind_int(st, ":follow_up", follow_up) == -1 ||
	    store_bind_text(st, ":delay_reason", delay_reason) == -1 ||
	    store_bind_int(st, ":recorded_by", user_id) == -1 ||
	    store_bind_int(st, ":now", now) == -1)
		return (-1);
	if (sqlite3_step(st) != SQLITE_ROW)
		return (store_fail(s, st, "notification add"));
	*id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return (0);
}
