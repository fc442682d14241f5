#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "incident.h"
#include "jbuf.h"
#include "log.h"
#include "store.h"
#include "store_api.h"
#include "timeutil.h"

/* The largest incident and page of incidents as JSON text: five free
 * texts of 20,000 characters, each at worst escaped six bytes a byte. */
#define INCIDENT_TEXT_MAX (1024 * 1024)
#define LIST_TEXT_MAX (64 * 1024 * 1024)

/* Positions of the read-only columns of INCIDENT_SELECT. */
enum {
	C_ID, C_REF, C_STATUS, C_RISK, C_VERSION, C_CREATED, C_UPDATED,
	C_REPORTER, C_ASSIGNEE, C_NEXT_DUE, C_REPORTER_ID, C_ANONYMISED,
	C_FACTS
};

/* Bind every fact but the assignee (bound by the caller). */
static int
bind_facts(sqlite3_stmt *st, const json_t *facts)
{
	char param[80];
	char *text;
	json_t *v;
	int rc;

	for (size_t i = 0; i < incident_nfields; i++) {
		const struct incident_field *f = &incident_fields[i];

		if (f->type == F_USER)
			continue;
		snprintf(param, sizeof(param), ":%s", f->name);
		v = json_object_get(facts, f->name);
		if (v == NULL || json_is_null(v)) {
			rc = store_bind_null(st, param);
		} else {
			switch (f->type) {
			case F_TIME:
				rc = store_bind_time(st, param,
				    incident_time(facts, f->name));
				break;
			case F_INT:
				rc = store_bind_int(st, param,
				    json_integer_value(v));
				break;
			case F_BOOL:
				rc = store_bind_int(st, param,
				    json_is_true(v) ? 1 : 0);
				break;
			case F_SET:
			case F_CODES:
			case F_COUNTS:
			case F_DATES:
				if ((text = json_dumps(v, JSON_COMPACT |
				    JSON_SORT_KEYS)) ==
				    NULL)
					return (-1);
				rc = store_bind_text(st, param, text);
				free(text);
				break;
			default:
				rc = store_bind_text(st, param,
				    json_string_value(v));
				break;
			}
		}
		if (rc == -1)
			return (-1);
	}
	return (0);
}

/*
 * The current row of an INCIDENT_SELECT statement as the API shows it,
 * written as JSON text into b: the one place that shapes an incident for
 * the API.  Reads and lists send this text as it is (no jansson values in
 * between: building and dumping them was most of the cost of a read);
 * row_json() parses it for the callers that need values.  The JSON
 * columns hold compact JSON that the server wrote, copied as they are.
 * The statement's fact columns are checked to be in incident_fields'
 * order on its first row of its first run on this connection only: its
 * columns cannot change after that (checking every read showed in its
 * profile).
 */
static void
row_text(sqlite3_stmt *st, struct jbuf *b, bool first_row)
{
	bool check = first_row &&
	    sqlite3_stmt_status(st, SQLITE_STMTSTATUS_RUN, 0) <= 1;
	int col = C_FACTS;

	jbuf_lit(b, "{");
	jbuf_key(b, "id", true);
	jbuf_int(b, sqlite3_column_int64(st, C_ID));
	jbuf_key(b, "ref", false);
	jbuf_str(b, store_col_text(st, C_REF));
	jbuf_key(b, "status", false);
	jbuf_str(b, store_col_text(st, C_STATUS));
	jbuf_key(b, "risk", false);
	jbuf_str(b, store_col_text(st, C_RISK));
	jbuf_key(b, "version", false);
	jbuf_int(b, sqlite3_column_int64(st, C_VERSION));
	jbuf_key(b, "created_at", false);
	jbuf_time(b, sqlite3_column_int64(st, C_CREATED));
	jbuf_key(b, "updated_at", false);
	jbuf_time(b, sqlite3_column_int64(st, C_UPDATED));
	jbuf_key(b, "reporter", false);
	jbuf_str(b, store_col_text(st, C_REPORTER));
	jbuf_key(b, "assignee", false);
	jbuf_str(b, store_col_text(st, C_ASSIGNEE));
	jbuf_key(b, "next_due_at", false);
	jbuf_time(b, store_col_time(st, C_NEXT_DUE));
	jbuf_key(b, "anonymised_at", false);
	jbuf_time(b, store_col_time(st, C_ANONYMISED));
	for (size_t i = 0; i < incident_nfields; i++) {
		const struct incident_field *f = &incident_fields[i];

		if (f->type == F_USER)
			continue;
		if (check && strcmp(sqlite3_column_name(st, col), f->name) !=
		    0) {
			log_event(LOG_ERROR, "incident columns out of order",
			    "field", f->name, NULL);
			b->failed = true;
			return;
		}
		jbuf_key(b, f->name, false);
		if (sqlite3_column_type(st, col) == SQLITE_NULL) {
			jbuf_lit(b, "null");
		} else {
			switch (f->type) {
			case F_TIME:
				jbuf_time(b, sqlite3_column_int64(st, col));
				break;
			case F_INT:
				jbuf_int(b, sqlite3_column_int64(st, col));
				break;
			case F_BOOL:
				jbuf_lit(b, sqlite3_column_int(st, col) ?
				    "true" : "false");
				break;
			case F_SET:
			case F_CODES:
			case F_COUNTS:
			case F_DATES:
				jbuf_raw(b, (const char *)sqlite3_column_blob(st,
				    col), (size_t)sqlite3_column_bytes(st, col));
				break;
			default:
				jbuf_str(b, store_col_text(st, col));
				break;
			}
		}
		col++;
	}
	jbuf_lit(b, "}");
}

/* The current row of an INCIDENT_SELECT statement as API JSON. */
static json_t *
row_json(sqlite3_stmt *st)
{
	struct jbuf b;

	jbuf_init(&b, INCIDENT_TEXT_MAX);
	row_text(st, &b, true);
	return (jbuf_take_json(&b));
}

static int
next_ref(struct store *s, int64_t now, char *ref, size_t len)
{
	sqlite3_stmt *st;
	int64_t y, seq;
	unsigned m, d;

	timeutil_civil_from_days(now / 86400, &y, &m, &d);
	if ((st = store_stmt(s, STORE_SQL_REF_NEXT)) == NULL ||
	    store_bind_int(st, ":year", y) == -1)
		return (-1);
	if (sqlite3_step(st) != SQLITE_ROW)
		return (store_fail(s, st, "ref next"));
	seq = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	snprintf(ref, len, "BR-%04lld-%04lld", (long long)y, (long long)seq);
	return (0);
}

int
store_incident_insert(struct store *s, const json_t *facts,
    int64_t reporter_id, int64_t assignee_id, int64_t now, int64_t *id)
{
	sqlite3_stmt *st;
	char ref[40];

	if (next_ref(s, now, ref, sizeof(ref)) == -1)
		return (-1);
	if ((st = store_stmt(s, STORE_SQL_INCIDENT_INSERT)) == NULL ||
	    store_bind_text(st, ":ref", ref) == -1 ||
	    store_bind_int(st, ":reporter_id", reporter_id) == -1 ||
	    (assignee_id != 0 ? store_bind_int(st, ":assignee_id",
	    assignee_id) : store_bind_null(st, ":assignee_id")) == -1 ||
	    store_bind_int(st, ":now", now) == -1 ||
	    bind_facts(st, facts) == -1)
		return (-1);
	if (sqlite3_step(st) != SQLITE_ROW)
		return (store_fail(s, st, "incident insert"));
	*id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return (0);
}

int
store_incident_get(struct store *s, int64_t id, json_t **out,
    int64_t *reporter_id)
{
	sqlite3_stmt *st;
	int rc;

	*out = NULL;
	if ((st = store_stmt(s, STORE_SQL_INCIDENT_GET)) == NULL ||
	    store_bind_int(st, ":id", id) == -1)
		return (-1);
	if ((rc = store_row(s, st, "incident get")) != 0)
		return (rc == 1 ? 0 : -1);
	if (reporter_id != NULL)
		*reporter_id = sqlite3_column_int64(st, C_REPORTER_ID);
	*out = row_json(st);
	sqlite3_reset(st);
	return (*out != NULL ? 0 : -1);
}

int
store_incident_text(struct store *s, int64_t id, char **text, size_t *len,
    int64_t *version, int64_t *reporter_id)
{
	sqlite3_stmt *st;
	struct jbuf b;
	int rc;

	*text = NULL;
	if ((st = store_stmt(s, STORE_SQL_INCIDENT_GET)) == NULL ||
	    store_bind_int(st, ":id", id) == -1)
		return (-1);
	if ((rc = store_row(s, st, "incident get")) != 0)
		return (rc);
	if (version != NULL)
		*version = sqlite3_column_int64(st, C_VERSION);
	if (reporter_id != NULL)
		*reporter_id = sqlite3_column_int64(st, C_REPORTER_ID);
	jbuf_init(&b, INCIDENT_TEXT_MAX);
	row_text(st, &b, true);
	sqlite3_reset(st);
	if ((*text = jbuf_take(&b, len)) == NULL) {
		log_event(LOG_ERROR, "cannot write an incident", NULL);
		return (-1);
	}
	return (0);
}

int
store_incident_update(struct store *s, int64_t id, int64_t version,
    const json_t *facts, const char *status, int64_t assignee_id,
    int64_t now)
{
	sqlite3_stmt *st;

	if ((st = store_stmt(s, STORE_SQL_INCIDENT_UPDATE)) == NULL ||
	    store_bind_int(st, ":id", id) == -1 ||
	    store_bind_int(st, ":version", version) == -1 ||
	    store_bind_text(st, ":status", status) == -1 ||
	    (assignee_id != 0 ? store_bind_int(st, ":assignee_id",
	    assignee_id) : store_bind_null(st, ":assignee_id")) == -1 ||
	    store_bind_int(st, ":now", now) == -1 ||
	    bind_facts(st, facts) == -1)
		return (-1);
	if (store_exec_stmt(st) == -1)
		return (-1);
	return (sqlite3_changes(store_db(s)) == 1 ? 0 : 1);
}

int
store_incident_set_risk(struct store *s, int64_t id, const char *risk,
    int64_t now)
{
	sqlite3_stmt *st;

	if ((st = store_stmt(s, STORE_SQL_INCIDENT_SET_RISK)) == NULL ||
	    store_bind_int(st, ":id", id) == -1 ||
	    store_bind_text(st, ":risk", risk) == -1 ||
	    store_bind_int(st, ":now", now) == -1)
		return (-1);
	return (store_exec_stmt(st));
}

/* Up to how many rows count_capped() counts. */
#define LIST_FEW 5000

/* The rows, up to LIST_FEW, that count (COUNT_ASSIGNEE, COUNT_RISK,
 * COUNT_REGIME, or one of their _STATUS forms) finds for f, or -1 on
 * error. */
static int64_t
count_capped(struct store *s, enum store_sql count,
    const struct store_incident_filter *f)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = store_stmt(s, count)) == NULL)
		return (-1);
	switch (count) {
	case STORE_SQL_COUNT_ASSIGNEE:
	case STORE_SQL_COUNT_ASSIGNEE_STATUS:
		rc = store_bind_int(st, ":assignee", f->assignee > 0 ?
		    f->assignee : 0);
		break;
	case STORE_SQL_COUNT_REGIME:
	case STORE_SQL_COUNT_REGIME_STATUS:
		rc = store_bind_text(st, ":regime_id", f->regime_id);
		break;
	default:
		rc = store_bind_text(st, ":risk_is", store_risk_is(f->risk));
		break;
	}
	if (rc == -1 || ((count == STORE_SQL_COUNT_ASSIGNEE_STATUS ||
	    count == STORE_SQL_COUNT_STATUS_RISK ||
	    count == STORE_SQL_COUNT_REGIME_STATUS) &&
	    store_bind_text(st, ":status", f->status) == -1) ||
	    store_bind_int(st, ":cap", LIST_FEW) == -1)
		return (-1);
	return (store_count(s, st, "list plan count"));
}

/*
 * Whether a list filtered by regime should walk that regime's
 * obligations, of its status if it has one (1), rather than the
 * incidents of its assignee, or else of its risk, and status (0), or -1
 * on error: the walk over the smaller set checks fewer rows for a page,
 * if one regime's incidents are as likely as any to have that assignee
 * or risk.  Both walks read the assignee and the risk from the index
 * (migration 019).
 */
static int
by_regime(struct store *s, const struct store_incident_filter *f)
{
	bool status = f->status != NULL;
	enum store_sql other;
	int64_t walked, of_regime;

	if (f->assignee != 0)
		other = status ? STORE_SQL_COUNT_ASSIGNEE_STATUS :
		    STORE_SQL_COUNT_ASSIGNEE;
	else if (f->risk != NULL)
		other = status ? STORE_SQL_COUNT_STATUS_RISK :
		    STORE_SQL_COUNT_RISK;
	else
		return (1);
	if ((walked = count_capped(s, other, f)) == -1 ||
	    (of_regime = count_capped(s, status ?
	    STORE_SQL_COUNT_REGIME_STATUS : STORE_SQL_COUNT_REGIME, f)) == -1)
		return (-1);
	return (of_regime <= walked);
}

/* The list variant whose leading condition walks an index (store_sql.h)
 * into *id: 0, or -1 on error. */
static int
list_plan(struct store *s, const struct store_incident_filter *f,
    enum store_sql *id)
{
	int regime;

	if (f->due_before != INT64_MIN)
		*id = STORE_SQL_INCIDENT_LIST_DUE;
	else if (f->regime_id != NULL && (regime = by_regime(s, f)) != 0) {
		*id = f->status != NULL ?
		    STORE_SQL_INCIDENT_LIST_REGIME_STATUS :
		    STORE_SQL_INCIDENT_LIST_REGIME;
		return (regime == 1 ? 0 : -1);
	} else if (f->assignee != 0)
		*id = f->status != NULL ?
		    STORE_SQL_INCIDENT_LIST_ASSIGNEE_STATUS :
		    STORE_SQL_INCIDENT_LIST_ASSIGNEE;
	else if (f->status != NULL)
		*id = f->risk != NULL ? STORE_SQL_INCIDENT_LIST_STATUS_RISK :
		    STORE_SQL_INCIDENT_LIST_STATUS;
	else
		*id = f->risk != NULL ? STORE_SQL_INCIDENT_LIST_RISK :
		    STORE_SQL_INCIDENT_LIST;
	return (0);
}

int
store_incident_list(struct store *s, const struct store_incident_filter *f,
    char **items, size_t *len, int64_t *next)
{
	enum store_sql id;
	sqlite3_stmt *st;
	struct jbuf b;
	int64_t n = 0, last = 0;
	int rc;

	if (list_plan(s, f, &id) == -1 || (st = store_stmt(s, id)) == NULL ||
	    ((id == STORE_SQL_INCIDENT_LIST_RISK ||
	    id == STORE_SQL_INCIDENT_LIST_STATUS_RISK) &&
	    store_bind_text(st, ":risk_is", store_risk_is(f->risk)) == -1) ||
	    store_bind_text(st, ":status", f->status) == -1 ||
	    store_bind_text(st, ":risk", f->risk) == -1 ||
	    store_bind_text(st, ":q", f->q) == -1 ||
	    (id == STORE_SQL_INCIDENT_LIST_DUE &&
	    store_bind_time(st, ":due_before", f->due_before) == -1) ||
	    (f->reporter_id != 0 ? store_bind_int(st, ":reporter_id",
	    f->reporter_id) : store_bind_null(st, ":reporter_id")) == -1 ||
	    (f->assignee != 0 ? store_bind_int(st, ":assignee",
	    f->assignee > 0 ? f->assignee : 0) :
	    store_bind_null(st, ":assignee")) == -1 ||
	    store_bind_text(st, ":regime_id", f->regime_id) == -1 ||
	    store_bind_int(st, ":before", f->cursor != 0 ? f->cursor :
	    INT64_MAX) == -1 ||
	    store_bind_int(st, ":limit", f->limit + 1) == -1)
		return (-1);
	*items = NULL;
	*next = 0;
	jbuf_init(&b, LIST_TEXT_MAX);
	jbuf_lit(&b, "[");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == f->limit) {
			*next = last;
			break;
		}
		last = sqlite3_column_int64(st, C_ID);
		if (n++ > 0)
			jbuf_lit(&b, ",");
		row_text(st, &b, n == 1);
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		jbuf_release(&b);
		return (store_fail(s, st, "incident list"));
	}
	sqlite3_reset(st);
	jbuf_lit(&b, "]");
	if ((*items = jbuf_take(&b, len)) == NULL) {
		log_event(LOG_ERROR, "cannot write an incident list", NULL);
		return (-1);
	}
	return (0);
}

int
store_idempotency_get(struct store *s, int64_t user_id, const char *key,
    int64_t *incident_id, unsigned char hash[STORE_IDEM_HASH], bool *hashed)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = store_stmt(s, STORE_SQL_IDEM_GET)) == NULL ||
	    store_bind_int(st, ":user_id", user_id) == -1 ||
	    store_bind_text(st, ":key", key) == -1)
		return (-1);
	if ((rc = store_row(s, st, "idempotency get")) != 0)
		return (rc);
	*incident_id = sqlite3_column_int64(st, 0);
	*hashed = sqlite3_column_bytes(st, 1) == STORE_IDEM_HASH;
	if (*hashed)
		memcpy(hash, sqlite3_column_blob(st, 1), STORE_IDEM_HASH);
	sqlite3_reset(st);
	return (0);
}

int
store_idempotency_put(struct store *s, int64_t user_id, const char *key,
    int64_t incident_id, const unsigned char hash[STORE_IDEM_HASH],
    int64_t now)
{
	sqlite3_stmt *st;

	if ((st = store_stmt(s, STORE_SQL_IDEM_INSERT)) == NULL ||
	    store_bind_int(st, ":user_id", user_id) == -1 ||
	    store_bind_text(st, ":key", key) == -1 ||
	    store_bind_int(st, ":incident_id", incident_id) == -1 ||
	    store_bind_blob(st, ":request_hash", hash, STORE_IDEM_HASH) ==
	    -1 || store_bind_int(st, ":now", now) == -1)
		return (-1);
	return (store_exec_stmt(st));
}

static int
parse_enum(const char *s, const char *const *names, int n, int dflt)
{
	if (s == NULL)
		return (dflt);
	for (int i = 0; i < n; i++)
		if (strcmp(s, names[i]) == 0)
			return (i);
	return (dflt);
}

/* Fill the jurisdiction, sector and determination facts from the JSON
 * columns; -1 if a stored value is malformed. */
static int
json_facts(struct rules_facts *f, const char *codes, const char *counts,
    const char *sectors, const char *determinations)
{
	json_t *jc = json_loads(codes, 0, NULL);
	json_t *jn = json_loads(counts, 0, NULL);
	json_t *js = json_loads(sectors, 0, NULL);
	json_t *jd = json_loads(determinations, 0, NULL);
	json_t *v, *cnt;
	const char *key;
	size_t i;
	int rc = -1;

	if (!json_is_array(jc) || !json_is_object(jn) || !json_is_array(js) ||
	    !json_is_object(jd))
		goto out;
	json_array_foreach(jc, i, v) {
		struct rules_place *pl;

		if (f->nplaces == RULES_MAX_CODES || !json_is_string(v))
			goto out;
		pl = &f->places[f->nplaces++];
		snprintf(pl->code, sizeof(pl->code), "%s",
		    json_string_value(v));
		cnt = json_object_get(jn, pl->code);
		pl->subjects = json_is_integer(cnt) ? json_integer_value(cnt) :
		    -1;
	}
	json_array_foreach(js, i, v)
		if (json_is_string(v))
			f->sectors |= regime_sector_bit(json_string_value(v));
	json_object_foreach(jd, key, v) {
		struct rules_determination *d;

		if (f->ndeterminations == RULES_MAX_DETERMINATIONS)
			goto out;
		d = &f->determinations[f->ndeterminations];
		snprintf(d->kind, sizeof(d->kind), "%s", key);
		if (!json_is_string(v) ||
		    timeutil_parse(json_string_value(v), &d->at) == -1)
			goto out;
		f->ndeterminations++;
	}
	rc = 0;
out:
	json_decref(jc);
	json_decref(jn);
	json_decref(js);
	json_decref(jd);
	return (rc);
}

static int
met_phases(struct store *s, int64_t id, struct rules_facts *f)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = store_stmt(s, STORE_SQL_RULES_MET)) == NULL ||
	    store_bind_int(st, ":incident_id", id) == -1)
		return (-1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct rules_met *m;

		if (f->nmet == RULES_MAX_MET)
			break;
		m = &f->met[f->nmet++];
		snprintf(m->regime_id, sizeof(m->regime_id), "%s",
		    store_col_text(st, 0));
		snprintf(m->phase, sizeof(m->phase), "%s",
		    store_col_text(st, 1));
		m->met_at = sqlite3_column_int64(st, 2);
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return (store_fail(s, st, "rules met"));
	sqlite3_reset(st);
	return (0);
}

int
store_rules_facts(struct store *s, int64_t id, struct rules_facts *f,
    char *controller_name, size_t len)
{
	static const char *const statuses[] = { "suspected", "investigating",
		"confirmed", "not_a_breach", "contained", "closed" };
	static const char *const risks[] = { "", "unlikely", "risk", "high" };
	sqlite3_stmt *st;
	const char *cn, *enc;
	int rc;

	if ((st = store_stmt(s, STORE_SQL_RULES_FACTS)) == NULL ||
	    store_bind_int(st, ":id", id) == -1)
		return (-1);
	if ((rc = store_row(s, st, "rules facts")) != 0)
		return (rc);
	memset(f, 0, sizeof(*f));
	f->status = (enum rules_status)parse_enum(store_col_text(st, 0),
	    statuses, 6, RULES_SUSPECTED);
	f->role = strcmp(store_col_text(st, 1), "processor") == 0 ?
	    REGIME_PROCESSOR : REGIME_CONTROLLER;
	f->discovered_at = store_col_time(st, 2);
	f->aware_at = store_col_time(st, 3);
	f->controller_notice_hours = sqlite3_column_int64(st, 4);
	cn = store_col_text(st, 5);
	snprintf(controller_name, len, "%s", cn != NULL ? cn : "");
	f->risk = (enum rules_risk)parse_enum(store_col_text(st, 6), risks, 4,
	    RULES_RISK_NONE);
	enc = store_col_text(st, 10);
	f->key_safe = enc != NULL && strcmp(enc, "key_safe") == 0;
	f->subjects = sqlite3_column_type(st, 11) == SQLITE_NULL ? -1 :
	    sqlite3_column_int64(st, 11);
	f->risk_run_at = store_col_time(st, 13);
	f->high_run_at = store_col_time(st, 14);
	f->first_risk_at = store_col_time(st, 15);
	f->first_high_at = store_col_time(st, 16);
	rc = json_facts(f, store_col_text(st, 7), store_col_text(st, 8),
	    store_col_text(st, 9), store_col_text(st, 12));
	sqlite3_reset(st);
	if (rc == -1) {
		log_event(LOG_ERROR, "stored incident facts are malformed",
		    NULL);
		return (-1);
	}
	return (met_phases(s, id, f));
}

int
store_open_incidents(struct store *s, int64_t **ids, size_t *n)
{
	sqlite3_stmt *st;
	int64_t *a = NULL, *grown;
	size_t cap = 0;
	int rc;

	*ids = NULL;
	*n = 0;
	if ((st = store_stmt(s, STORE_SQL_OPEN_INCIDENTS)) == NULL)
		return (-1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap == 0 ? 64 : cap * 2;
			if ((grown = realloc(a, cap * sizeof(*a))) == NULL) {
				free(a);
				sqlite3_reset(st);
				return (-1);
			}
			a = grown;
		}
		a[(*n)++] = sqlite3_column_int64(st, 0);
	}
	if (rc != SQLITE_DONE) {
		free(a);
		*n = 0;
		return (store_fail(s, st, "open incidents"));
	}
	sqlite3_reset(st);
	*ids = a;
	return (0);
}
