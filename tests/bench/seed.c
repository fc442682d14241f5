/*
 * seed: fill a fresh breachclock database with many realistic incidents,
 * fast, for the benchmarks (tests/bench/run).  Not part of the server.
 *
 *   seed --db PATH [--incidents N] [--years Y] [--rng S] [--tokens FILE]
 *
 * It links the server's libraries: the schema comes from the real
 * migrations, users and tokens from the store's own functions, the facts
 * of each incident from reports that the real validation
 * (incident_validate()) normalised, and the deadlines from the real
 * engine (catalog + rules_compute()).  Incidents are spread over the
 * last Y years (ids in discovery order), with a realistic mix of
 * statuses (old ones closed or not a breach, recent ones still open),
 * risk decisions, obligations, notices sent and events.
 *
 * Two paths, so that a million incidents take a minute or two:
 *   - open incidents being worked on (suspected, investigating,
 *     confirmed: about 3 % of the total) go through the server's own
 *     obligations_recompute(), which stores their obligations, writes
 *     their obligation events with audit_append() and plans the
 *     escalation ladder in the alert outbox, exactly as the API does;
 *   - finished ones (contained, closed, not a breach) are written with
 *     plain INSERTs from the same engine's results: obligations met by a
 *     notice (one in ten late, with a reason), no ladder alerts (a real
 *     server would have sent or cancelled them by now).
 * Every event, on either path, is hash-chained with the server's own
 * audit_hash_v2(), so `breachclockd audit verify` passes on the result.
 * Not written: "event" alerts (reported, assigned, confirmed), notes,
 * assessments, notice texts.  Ladder steps already past when seeding
 * ends are marked sent, as a notifier that kept up would have left them.
 *
 * Unlike the server it runs with one connection, no fsync (synchronous
 * OFF, rollback journal in memory) and thousands of incidents per
 * transaction; the database is switched back to WAL at the end.  A crash
 * while seeding leaves a database to throw away.
 *
 * Users: reporter001.., handler01.., dpo1.., viewer1, bench-admin and
 * bench-notifier.  With --tokens, a token per role is written to FILE as
 * JSON {"viewer": "bc_...", "admin", "notifier", "handler", "dpo",
 * "reporter"}.
 */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alerts.h"
#include "audit.h"
#include "auth.h"
#include "catalog.h"
#include "incident.h"
#include "log.h"
#include "obligations.h"
#include "parse.h"
#include "rules.h"
#include "store.h"
#include "store_api.h"
#include "timeutil.h"

#define DAY 86400
#define BATCH 5000
#define NREPORTERS 200
#define NHANDLERS 25
#define NDPOS 3

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t
rnd(void)
{
	uint64_t x = rng_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return (rng_state = x);
}

/* Uniform in [lo, hi]. */
static int64_t
between(int64_t lo, int64_t hi)
{
	return (lo + (int64_t)(rnd() % (uint64_t)(hi - lo + 1)));
}

/* True with probability pct %. */
static int
chance(int pct)
{
	return ((int)(rnd() % 100) < pct);
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

/*
 * Templates: realistic reports, each validated by the server's own
 * incident_validate(); weights in per cent.  Times and the title are set
 * per incident.
 */
static const struct {
	int weight;
	const char *body;
} templates[] = {
	{ 30, "{\"title\":\"Email sent to the wrong customer\","
	    "\"discovered_at\":\"2020-01-01T00:00:00Z\","
	    "\"description\":\"An account statement was emailed to the wrong "
	    "customer; the recipient has been asked to delete it.\","
	    "\"cyber_incident\":\"no\",\"cause\":\"misdirected_email\","
	    "\"jurisdictions\":[\"GB\"],\"data_categories\":"
	    "[\"basic_identifiers\",\"contact_details\",\"financial\"],"
	    "\"subject_categories\":[\"customers\"],\"subjects_count\":1,"
	    "\"records_count\":1,\"confidentiality_impact\":true,"
	    "\"encryption\":\"none\",\"backups\":\"available\"}" },
	{ 15, "{\"title\":\"Laptop with HR files stolen\","
	    "\"discovered_at\":\"2020-01-01T00:00:00Z\","
	    "\"description\":\"A laptop holding HR spreadsheets was stolen "
	    "from a car.\",\"cyber_incident\":\"no\","
	    "\"cause\":\"lost_or_stolen_device\",\"jurisdictions\":[\"GB\"],"
	    "\"data_categories\":[\"basic_identifiers\",\"health\"],"
	    "\"subject_categories\":[\"employees\"],\"subjects_count\":120,"
	    "\"records_count\":400,\"confidentiality_impact\":true,"
	    "\"encryption\":\"key_safe\",\"backups\":\"available\"}" },
	{ 12, "{\"title\":\"Phishing: mailbox of a support agent taken over\","
	    "\"discovered_at\":\"2020-01-01T00:00:00Z\","
	    "\"description\":\"Credentials phished; the attacker read the "
	    "mailbox for two days.\",\"cyber_incident\":\"yes\","
	    "\"cause\":\"phishing\",\"jurisdictions\":[\"GB\",\"IE\",\"DE\"],"
	    "\"data_categories\":[\"basic_identifiers\",\"contact_details\","
	    "\"communications\"],\"subject_categories\":[\"customers\"],"
	    "\"subjects_count\":2300,\"subjects_by_jurisdiction\":{\"GB\":1800,"
	    "\"IE\":300,\"DE\":200},\"confidentiality_impact\":true,"
	    "\"encryption\":\"none\",\"backups\":\"unknown\"}" },
	{ 10, "{\"title\":\"Ransomware on a file server\","
	    "\"discovered_at\":\"2020-01-01T00:00:00Z\","
	    "\"description\":\"Files encrypted and some exfiltrated before "
	    "detection.\",\"cyber_incident\":\"yes\",\"cause\":\"ransomware\","
	    "\"jurisdictions\":[\"GB\",\"US-CA\",\"US-TX\"],"
	    "\"data_categories\":[\"basic_identifiers\",\"financial\","
	    "\"identification_documents\"],\"subject_categories\":"
	    "[\"customers\",\"employees\"],\"subjects_count\":48000,"
	    "\"subjects_by_jurisdiction\":{\"GB\":30000,\"US-CA\":12000,"
	    "\"US-TX\":6000},\"confidentiality_impact\":true,"
	    "\"availability_impact\":true,\"encryption\":\"none\","
	    "\"backups\":\"restored\"}" },
	{ 10, "{\"title\":\"Client database exposed by a misconfigured "
	    "bucket\",\"discovered_at\":\"2020-01-01T00:00:00Z\","
	    "\"description\":\"A storage bucket of a client's service was "
	    "public for a week.\",\"cyber_incident\":\"yes\","
	    "\"cause\":\"system_misconfiguration\",\"role\":\"processor\","
	    "\"controller_name\":\"Northwind Retail Ltd\","
	    "\"controller_notice_hours\":24,\"jurisdictions\":[\"GB\"],"
	    "\"data_categories\":[\"basic_identifiers\",\"contact_details\"],"
	    "\"subject_categories\":[\"customers\"],\"subjects_count\":9000,"
	    "\"confidentiality_impact\":true,\"encryption\":\"none\","
	    "\"backups\":\"available\"}" },
	{ 8, "{\"title\":\"Letters posted to old addresses\","
	    "\"discovered_at\":\"2020-01-01T00:00:00Z\","
	    "\"cyber_incident\":\"no\",\"cause\":\"misdirected_post\","
	    "\"jurisdictions\":[\"GB\"],\"data_categories\":"
	    "[\"basic_identifiers\",\"financial\"],\"subject_categories\":"
	    "[\"customers\"],\"subjects_count\":35,"
	    "\"confidentiality_impact\":true,\"encryption\":\"none\","
	    "\"backups\":\"none\"}" },
	{ 5, "{\"title\":\"Payment provider outage exposed card data\","
	    "\"discovered_at\":\"2020-01-01T00:00:00Z\","
	    "\"cyber_incident\":\"yes\",\"cause\":\"unauthorised_access\","
	    "\"jurisdictions\":[\"DE\",\"FR\",\"NL\"],\"sector_flags\":"
	    "[\"dora_financial_entity\",\"nis2_entity\"],"
	    "\"data_categories\":[\"financial\",\"basic_identifiers\"],"
	    "\"subject_categories\":[\"customers\"],\"subjects_count\":15000,"
	    "\"confidentiality_impact\":true,\"integrity_impact\":true,"
	    "\"encryption\":\"key_compromised\",\"backups\":\"available\"}" },
	{ 5, "{\"title\":\"Patient records viewed without need\","
	    "\"discovered_at\":\"2020-01-01T00:00:00Z\","
	    "\"cyber_incident\":\"no\",\"cause\":\"unauthorised_access\","
	    "\"jurisdictions\":[\"US-NY\",\"US-FL\"],\"sector_flags\":"
	    "[\"hipaa_covered_entity\"],\"data_categories\":[\"health\","
	    "\"basic_identifiers\"],\"subject_categories\":[\"patients\"],"
	    "\"subjects_count\":640,\"subjects_by_jurisdiction\":"
	    "{\"US-NY\":600,\"US-FL\":40},\"confidentiality_impact\":true,"
	    "\"encryption\":\"none\",\"backups\":\"available\"}" },
	{ 5, "{\"title\":\"Telecoms customer records accessed\","
	    "\"discovered_at\":\"2020-01-01T00:00:00Z\","
	    "\"cyber_incident\":\"yes\",\"cause\":\"brute_force\","
	    "\"jurisdictions\":[\"GB\"],\"sector_flags\":[\"pecr_provider\"],"
	    "\"data_categories\":[\"basic_identifiers\",\"communications\"],"
	    "\"subject_categories\":[\"customers\",\"users\"],"
	    "\"subjects_count\":5200,\"confidentiality_impact\":true,"
	    "\"encryption\":\"none\",\"backups\":\"available\"}" },
};
#define NTEMPLATES (sizeof(templates) / sizeof(templates[0]))

struct users {
	int64_t reporter[NREPORTERS];
	char reporter_name[NREPORTERS][16];
	int64_t handler[NHANDLERS];
	char handler_name[NHANDLERS][16];
	int64_t dpo[NDPOS];
	char dpo_name[NDPOS][16];
};

static int
add_user(struct store *s, const char *name, const char *role, int64_t now,
    int64_t *id)
{
	char email[96];
	json_t *ev;
	int rc;

	snprintf(email, sizeof(email), "%s@bench.example", name);
	if (store_user_add(s, name, role, email, NULL, now, id) != 0)
		return (-1);
	ev = json_pack("{s:s, s:s}", "name", name, "role", role);
	rc = ev != NULL ? audit_append(s, now, "cli", "user.added", 0, ev,
	    NULL) : -1;
	json_decref(ev);
	return (rc);
}

static int
add_token(struct store *s, int64_t user, int64_t now, FILE *out,
    const char *key, int first)
{
	char token[AUTH_TOKEN_LEN + 1];
	unsigned char hash[AUTH_HASH_LEN];
	int64_t id;

	auth_token_new(token, hash);
	if (store_token_add(s, user, hash, now, INT64_MIN, &id) != 0)
		return (-1);
	if (out != NULL)
		fprintf(out, "%s\"%s\": \"%s\"", first ? "{" : ", ", key, token);
	return (0);
}

static int
seed_users(struct store *s, struct users *u, int64_t now, FILE *tokens)
{
	int64_t id;

	if (store_begin(s) == -1)
		return (-1);
	for (int i = 0; i < NREPORTERS; i++) {
		snprintf(u->reporter_name[i], sizeof(u->reporter_name[i]),
		    "reporter%03d", i + 1);
		if (add_user(s, u->reporter_name[i], "reporter", now,
		    &u->reporter[i]) == -1)
			goto fail;
	}
	for (int i = 0; i < NHANDLERS; i++) {
		snprintf(u->handler_name[i], sizeof(u->handler_name[i]),
		    "handler%02d", i + 1);
		if (add_user(s, u->handler_name[i], "handler", now,
		    &u->handler[i]) == -1)
			goto fail;
	}
	for (int i = 0; i < NDPOS; i++) {
		snprintf(u->dpo_name[i], sizeof(u->dpo_name[i]), "dpo%d",
		    i + 1);
		if (add_user(s, u->dpo_name[i], "dpo", now, &u->dpo[i]) == -1)
			goto fail;
	}
	if (add_user(s, "viewer1", "viewer", now, &id) == -1 ||
	    (tokens != NULL && add_token(s, id, now, tokens, "viewer", 1) ==
	    -1) ||
	    add_user(s, "bench-admin", "admin", now, &id) == -1 ||
	    (tokens != NULL && add_token(s, id, now, tokens, "admin", 0) ==
	    -1) ||
	    add_user(s, "bench-notifier", "notifier", now, &id) == -1 ||
	    (tokens != NULL && add_token(s, id, now, tokens, "notifier", 0) ==
	    -1))
		goto fail;
	if (tokens != NULL && (add_token(s, u->handler[0], now, tokens,
	    "handler", 0) == -1 || add_token(s, u->dpo[0], now, tokens,
	    "dpo", 0) == -1 || add_token(s, u->reporter[0], now, tokens,
	    "reporter", 0) == -1))
		goto fail;
	if (tokens != NULL)
		fprintf(tokens, "}\n");
	return (store_commit(s));
fail:
	store_rollback(s);
	return (-1);
}

/* The final status of an incident discovered age seconds ago. */
static const char *
pick_status(int64_t age)
{
	int64_t days = age / DAY;
	int p = (int)(rnd() % 100);

	if (days > 120)
		return (p < 80 ? "closed" : "not_a_breach");
	if (days > 30)
		return (p < 55 ? "closed" : p < 70 ? "not_a_breach" :
		    p < 85 ? "contained" : p < 95 ? "confirmed" :
		    "investigating");
	if (days > 3)
		return (p < 15 ? "closed" : p < 30 ? "not_a_breach" :
		    p < 50 ? "contained" : p < 75 ? "confirmed" :
		    p < 92 ? "investigating" : "suspected");
	return (p < 40 ? "suspected" : p < 75 ? "investigating" :
	    p < 95 ? "confirmed" : "not_a_breach");
}

static enum rules_status
status_enum(const char *s)
{
	static const char *const names[] = { "suspected", "investigating",
		"confirmed", "not_a_breach", "contained", "closed" };

	for (int i = 0; i < 6; i++)
		if (strcmp(s, names[i]) == 0)
			return ((enum rules_status)i);
	return (RULES_SUSPECTED);
}

/* Still being worked on, so its deadlines and ladder are live. */
static int
is_active(const char *status)
{
	return (strcmp(status, "suspected") == 0 ||
	    strcmp(status, "investigating") == 0 ||
	    strcmp(status, "confirmed") == 0);
}

/* The lifecycle hops from "suspected" to status. */
static int
hops(const char *status, const char *path[5])
{
	static const char *const full[] = { "investigating", "confirmed",
		"contained", "closed" };
	int n = 0;

	if (strcmp(status, "suspected") == 0)
		return (0);
	if (strcmp(status, "not_a_breach") == 0) {
		path[n++] = "investigating";
		path[n++] = "not_a_breach";
		return (n);
	}
	for (int i = 0; i < 4; i++) {
		path[n++] = full[i];
		if (strcmp(full[i], status) == 0)
			break;
	}
	return (n);
}

/* s as the inside of a JSON string into out[cap]. */
static void
esc(char *out, size_t cap, const char *s)
{
	size_t n = 0;

	for (; *s != '\0' && n + 7 < cap; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			out[n++] = '\\';
			out[n++] = (char)c;
		} else if (c < 0x20) {
			n += (size_t)snprintf(out + n, cap - n, "\\u%04x", c);
		} else {
			out[n++] = (char)c;
		}
	}
	out[n] = '\0';
}

static void
fmt_time(int64_t t, char *buf, size_t len)
{
	if (timeutil_format(t, buf, len) == -1)
		snprintf(buf, len, "1970-01-01T00:00:00Z");
}

/* One column value of a template, ready to bind. */
struct colval {
	int type;                      /* SQLITE_NULL, _INTEGER or _TEXT */
	int64_t i;
	char *text;
};

/* A template made ready: its facts as column values, the text of its
 * "incident.created" event less the keys set per incident, and the
 * engine's view of it. */
struct tmpl {
	json_t *facts;                 /* validated, normalised */
	char *title;
	struct colval col[64];         /* per incident_fields[] entry */
	char *created_rest;            /* "{...," */
	struct rules_facts *rf;
	char controller[256];
};

struct ctx {
	struct store *s;
	sqlite3 *db;
	sqlite3_stmt *ins_incident, *ins_obligation, *ins_notification;
	sqlite3_stmt *ins_decision, *ins_event, *put_ref;
	struct catalog *cat;
	struct rules_config rc;
	struct users u;
	struct rules_facts *f;
	int64_t now;
	int64_t event_id;              /* the last event, and its hash */
	char prev[AUDIT_HASH_HEX];
	int64_t ref_seq[200];          /* per year since 1970 */
	size_t fcol[16];               /* column of fixed_fields[] */
	size_t ncols;                  /* fact columns */
	int64_t nactive;
};

enum { F_TITLE, F_DISC, F_FROM, F_AWARE, F_NAB, F_SUBJECTS, F_NFIX };
static const char *const fixed_fields[F_NFIX] = { "title",
	"discovered_at", "occurred_from", "aware_at", "not_a_breach_reason",
	"subjects_count" };

static int
step_done(struct ctx *c, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		fprintf(stderr, "seed: %s: %s\n", what, sqlite3_errmsg(c->db));
		return (-1);
	}
	return (0);
}

/* Append an event to the chain, as audit_append() would. */
static int
event(struct ctx *c, int64_t at, const char *actor, const char *action,
    int64_t incident_id, const char *data)
{
	char dh[AUDIT_HASH_HEX], h[AUDIT_HASH_HEX];
	sqlite3_stmt *st = c->ins_event;
	int64_t id = c->event_id + 1;

	audit_data_hash(data, dh);
	audit_hash_v2(c->prev, id, at, actor, action, incident_id, dh, h);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, at);
	sqlite3_bind_text(st, 3, actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, action, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, incident_id);
	sqlite3_bind_text(st, 6, data, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, dh, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, c->prev, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, h, -1, SQLITE_STATIC);
	if (step_done(c, st, "event") == -1)
		return (-1);
	c->event_id = id;
	memcpy(c->prev, h, sizeof(c->prev));
	return (0);
}

/* Where the chain ends now (after the server's own audit_append()). */
static int
chain_sync(struct ctx *c)
{
	if (store_event_last(c->s, &c->event_id, c->prev) == -1)
		return (-1);
	if (c->event_id == 0)
		snprintf(c->prev, sizeof(c->prev), "%064d", 0);
	return (0);
}

static int
prepare(struct ctx *c, const char *sql, sqlite3_stmt **st)
{
	if (sqlite3_prepare_v2(c->db, sql, -1, st, NULL) != SQLITE_OK) {
		fprintf(stderr, "seed: %s: %s\n", sql, sqlite3_errmsg(c->db));
		return (-1);
	}
	return (0);
}

/* The INSERT of an incident: the read-only columns as ?1..?9, then every
 * fact as the store writes them (INCIDENT_FACT_COLS, _PARAMS), which SQLite
 * numbers ?10, ?11, ... in the order of incident_fields[] (checked). */
static int
prepare_all(struct ctx *c)
{
	static const char sql[] = "INSERT INTO incidents (id, ref, "
	    "reporter_id, assignee_id, status, risk, version, created_at, "
	    "updated_at, " INCIDENT_FACT_COLS ") VALUES (?1, ?2, ?3, ?4, ?5, "
	    "?6, ?7, ?8, ?9, " INCIDENT_FACT_PARAMS ")";
	char name[72];
	int k = 10;

	if (prepare(c, sql, &c->ins_incident) == -1)
		return (-1);
	for (size_t i = 0; i < incident_nfields; i++) {
		if (incident_fields[i].type == F_USER)
			continue;
		snprintf(name, sizeof(name), ":%s", incident_fields[i].name);
		if (sqlite3_bind_parameter_index(c->ins_incident, name) != k++) {
			fprintf(stderr, "seed: %s is not fact %d of "
			    "INCIDENT_FACT_COLS\n", name, k - 10);
			return (-1);
		}
	}
	if (sqlite3_bind_parameter_count(c->ins_incident) != k - 1) {
		fprintf(stderr, "seed: INCIDENT_FACT_COLS has facts that "
		    "incident_fields[] lacks\n");
		return (-1);
	}
	return (prepare(c, "INSERT INTO obligations (incident_id, regime_id, "
	    "phase, phase_name, recipient, starts_at, due_at, target, state, "
	    "basis, met_at, reference, delay_reason, created_at, updated_at) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
	    "?14, ?15)", &c->ins_obligation) == -1 ||
	    prepare(c, "INSERT INTO notifications (obligation_id, sent_at, "
	    "recipient, reference, follow_up, delay_reason, recorded_by, "
	    "recorded_at) VALUES (?1, ?2, ?3, ?4, 0, ?5, ?6, ?2)",
	    &c->ins_notification) == -1 ||
	    prepare(c, "INSERT INTO risk_decisions (incident_id, level, "
	    "rationale, decided_by, decided_at) VALUES (?1, ?2, ?3, ?4, ?5)",
	    &c->ins_decision) == -1 ||
	    prepare(c, "INSERT INTO events (id, at, actor, action, "
	    "incident_id, data, data_hash, prev_hash, hash) VALUES (?1, ?2, "
	    "?3, ?4, ?5, ?6, ?7, ?8, ?9)", &c->ins_event) == -1 ||
	    prepare(c, "INSERT INTO ref_seq (year, last) VALUES (?1, ?2) "
	    "ON CONFLICT (year) DO UPDATE SET last = excluded.last",
	    &c->put_ref) == -1 ? -1 : 0);
}

/* Turn validated facts into column values, the created event's text and
 * the engine's facts (as store_rules_facts() reads them back). */
static int
tmpl_ready(struct ctx *c, struct tmpl *t)
{
	json_t *rest, *v, *cnt;
	const char *enc, *cn;
	char *text;
	size_t k = 0, i, j;

	for (i = 0; i < incident_nfields; i++) {
		const struct incident_field *fl = &incident_fields[i];
		struct colval *cv = &t->col[k];

		if (fl->type == F_USER)
			continue;
		k++;
		v = json_object_get(t->facts, fl->name);
		cv->type = SQLITE_NULL;
		if (v == NULL || json_is_null(v))
			continue;
		switch (fl->type) {
		case F_TIME:
			cv->type = SQLITE_INTEGER;
			cv->i = incident_time(t->facts, fl->name);
			break;
		case F_INT:
			cv->type = SQLITE_INTEGER;
			cv->i = json_integer_value(v);
			break;
		case F_BOOL:
			cv->type = SQLITE_INTEGER;
			cv->i = json_is_true(v);
			break;
		case F_SET:
		case F_CODES:
		case F_COUNTS:
		case F_DATES:
			cv->type = SQLITE_TEXT;
			cv->text = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
			break;
		default:
			cv->type = SQLITE_TEXT;
			cv->text = strdup(json_string_value(v));
			break;
		}
		if (cv->type == SQLITE_TEXT && cv->text == NULL)
			return (-1);
	}
	c->ncols = k;
	for (j = 0; j < F_NFIX; j++) {
		for (i = 0, k = 0; i < incident_nfields; i++) {
			if (incident_fields[i].type == F_USER)
				continue;
			if (strcmp(incident_fields[i].name, fixed_fields[j]) ==
			    0)
				break;
			k++;
		}
		if (i == incident_nfields)
			return (-1);
		c->fcol[j] = k;
	}
	if ((rest = json_deep_copy(t->facts)) == NULL)
		return (-1);
	for (j = 0; j < F_NFIX; j++)
		json_object_del(rest, fixed_fields[j]);
	json_object_del(rest, "assignee");
	text = json_dumps(rest, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(rest);
	if (text == NULL || strlen(text) < 3)
		return (-1);
	text[strlen(text) - 1] = ',';
	t->created_rest = text;

	if ((t->rf = calloc(1, sizeof(*t->rf))) == NULL)
		return (-1);
	t->rf->role = strcmp(json_string_value(json_object_get(t->facts,
	    "role")), "processor") == 0 ? REGIME_PROCESSOR : REGIME_CONTROLLER;
	t->rf->controller_notice_hours = json_integer_value(json_object_get(
	    t->facts, "controller_notice_hours"));
	cn = json_string_value(json_object_get(t->facts, "controller_name"));
	snprintf(t->controller, sizeof(t->controller), "%s", cn != NULL ? cn :
	    "");
	enc = json_string_value(json_object_get(t->facts, "encryption"));
	t->rf->key_safe = enc != NULL && strcmp(enc, "key_safe") == 0;
	json_array_foreach(json_object_get(t->facts, "jurisdictions"), i, v) {
		struct rules_place *pl = &t->rf->places[t->rf->nplaces++];

		snprintf(pl->code, sizeof(pl->code), "%s", json_string_value(v));
		cnt = json_object_get(json_object_get(t->facts,
		    "subjects_by_jurisdiction"), pl->code);
		pl->subjects = json_is_integer(cnt) ? json_integer_value(cnt) :
		    -1;
	}
	json_array_foreach(json_object_get(t->facts, "sector_flags"), i, v)
		t->rf->sectors |= regime_sector_bit(json_string_value(v));
	return (0);
}

static void
bind_col(sqlite3_stmt *st, int idx, const struct colval *cv)
{
	if (cv->type == SQLITE_INTEGER)
		sqlite3_bind_int64(st, idx, cv->i);
	else if (cv->type == SQLITE_TEXT)
		sqlite3_bind_text(st, idx, cv->text, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, idx);
}

/* One obligation that the engine computed for a finished incident:
 * stored, and met by a notice before its deadline (one in ten late). */
static int
finished_obligation(struct ctx *c, int64_t id, const struct catalog_entry *e,
    const struct rules_obligation *w, const char *controller,
    const char *actor, int64_t user, int64_t limit)
{
	const struct regime_phase *ph = &e->regime.phases[w->phase];
	sqlite3_stmt *st = c->ins_obligation;
	const char *recipient, *delay = NULL;
	char data[2048], basis[1100], rcp[600], due[32], sent_s[32], ref[40];
	int64_t oid, nid, sent = INT64_MIN, span;
	int met = w->required;

	recipient = e->regime.applies.role == REGIME_PROCESSOR &&
	    controller[0] != '\0' ? controller : e->recipient;
	if (met) {
		span = w->due_at - w->starts_at;
		sent = w->starts_at + (span > 0 ? between(span / 10, span) : 0);
		if (chance(10))
			sent += between(3600, 3 * DAY);
		if (sent > limit)
			sent = limit;
		if (sent < w->starts_at)
			sent = w->starts_at;
		if (sent > w->due_at)
			delay = "Facts still being established.";
		snprintf(ref, sizeof(ref), "REF-%lld-%s", (long long)id,
		    ph->id);
	}
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, e->regime.id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, ph->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, ph->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, recipient, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, w->starts_at);
	sqlite3_bind_int64(st, 7, w->due_at);
	sqlite3_bind_int(st, 8, w->target);
	sqlite3_bind_text(st, 9, met ? "met" : "not_required", -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(st, 10, w->basis, -1, SQLITE_STATIC);
	if (met) {
		sqlite3_bind_int64(st, 11, sent);
		sqlite3_bind_text(st, 12, ref, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 13, delay, -1, SQLITE_STATIC);
	} else {
		sqlite3_bind_null(st, 11);
		sqlite3_bind_null(st, 12);
		sqlite3_bind_null(st, 13);
	}
	sqlite3_bind_int64(st, 14, w->starts_at);
	sqlite3_bind_int64(st, 15, met ? sent : w->starts_at);
	if (step_done(c, st, "obligation") == -1)
		return (-1);
	oid = sqlite3_last_insert_rowid(c->db);
	esc(basis, sizeof(basis), w->basis);
	fmt_time(w->due_at, due, sizeof(due));
	snprintf(data, sizeof(data), "{\"basis\":\"%s\",\"due_at\":\"%s\","
	    "\"obligation_id\":%lld,\"phase\":\"%s\",\"regime_id\":\"%s\","
	    "\"state\":\"%s\"}", basis, due, (long long)oid, ph->id,
	    e->regime.id, met ? "pending" : "not_required");
	if (event(c, w->starts_at, actor, "obligation.created", id, data) ==
	    -1)
		return (-1);
	if (!met)
		return (0);
	st = c->ins_notification;
	sqlite3_bind_int64(st, 1, oid);
	sqlite3_bind_int64(st, 2, sent);
	sqlite3_bind_text(st, 3, recipient, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, ref, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, delay, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, user);
	if (step_done(c, st, "notification") == -1)
		return (-1);
	nid = sqlite3_last_insert_rowid(c->db);
	esc(rcp, sizeof(rcp), recipient);
	fmt_time(sent, sent_s, sizeof(sent_s));
	snprintf(data, sizeof(data), "{\"delay_reason\":%s%s%s,"
	    "\"follow_up\":false,\"notification_id\":%lld,"
	    "\"obligation_id\":%lld,\"recipient\":\"%s\",\"reference\":\"%s\","
	    "\"regime_id\":\"%s\",\"sent_at\":\"%s\"}", delay != NULL ? "\"" :
	    "", delay != NULL ? delay : "null", delay != NULL ? "\"" : "",
	    (long long)nid, (long long)oid, rcp, ref, e->regime.id, sent_s);
	return (event(c, sent, actor, "notification.recorded", id, data));
}

/* One incident, discovered at disc, as the API would have built it up
 * by now. */
static int
seed_one(struct ctx *c, struct tmpl *t, int64_t disc, int64_t id)
{
	const char *status = pick_status(c->now - disc), *path[5];
	const char *risk = NULL, *actor, *from, *nab = NULL;
	struct rules_obligation want[REGIME_MAX_PHASES];
	struct rules_facts *f = c->f;
	sqlite3_stmt *st = c->ins_incident;
	char title[240], ref[32], data[8192], ts[3][32];
	int64_t created, aware = INT64_MIN, at, decided = INT64_MIN, y;
	int64_t subjects = between(1, 50000), occurred, version = 1;
	int r = (int)(rnd() % NREPORTERS), h = (int)(rnd() % NHANDLERS);
	int nh = hops(status, path), p;
	unsigned mo, d;

	created = disc + between(300, 3 * 3600);
	if (created > c->now)
		created = c->now;
	occurred = disc - between(3600, 10 * DAY);
	snprintf(title, sizeof(title), "%s (%lld)", t->title, (long long)id);
	actor = nh > 0 ? c->u.handler_name[h] : c->u.reporter_name[r];
	if (strcmp(status, "not_a_breach") == 0)
		nab = "The data turned out to be synthetic test data.";
	else if (nh > 0 && (strcmp(status, "investigating") != 0 ||
	    chance(40)))
		aware = disc + between(1800, 20 * 3600);
	if (aware != INT64_MIN && (strcmp(status, "investigating") != 0 ||
	    chance(30))) {
		p = (int)(rnd() % 100);
		risk = p < 45 ? "unlikely" : p < 80 ? "risk" : "high";
		decided = aware + 3600;
		version++;
	}
	at = created + between(600, 4 * 3600);
	for (int i = 0; i < nh; i++)
		at += strcmp(path[i], "contained") == 0 ? between(5 * DAY,
		    40 * DAY) : between(3600, 2 * DAY);
	if (at > c->now)
		at = c->now;
	if (decided > at)
		decided = at;
	version += nh > 0;

	timeutil_civil_from_days(created / DAY, &y, &mo, &d);
	snprintf(ref, sizeof(ref), "BR-%04lld-%04lld", (long long)y,
	    (long long)++c->ref_seq[y - 1970]);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, ref, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, c->u.reporter[r]);
	if (nh > 0)
		sqlite3_bind_int64(st, 4, c->u.handler[h]);
	else
		sqlite3_bind_null(st, 4);
	sqlite3_bind_text(st, 5, status, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, risk, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, version);
	sqlite3_bind_int64(st, 8, created);
	sqlite3_bind_int64(st, 9, nh > 0 ? at : created);
	for (size_t k = 0; k < c->ncols; k++)
		bind_col(st, (int)k + 10, &t->col[k]);
	sqlite3_bind_text(st, (int)c->fcol[F_TITLE] + 10, title, -1,
	    SQLITE_STATIC);
	sqlite3_bind_int64(st, (int)c->fcol[F_DISC] + 10, disc);
	sqlite3_bind_int64(st, (int)c->fcol[F_FROM] + 10, occurred);
	if (aware != INT64_MIN)
		sqlite3_bind_int64(st, (int)c->fcol[F_AWARE] + 10, aware);
	else
		sqlite3_bind_null(st, (int)c->fcol[F_AWARE] + 10);
	sqlite3_bind_text(st, (int)c->fcol[F_NAB] + 10, nab, -1,
	    SQLITE_STATIC);
	sqlite3_bind_int64(st, (int)c->fcol[F_SUBJECTS] + 10, subjects);
	if (step_done(c, st, "incident") == -1)
		return (-1);

	/* Its timeline: reported, moved along, risk decided. */
	fmt_time(disc, ts[0], sizeof(ts[0]));
	fmt_time(occurred, ts[1], sizeof(ts[1]));
	snprintf(data, sizeof(data), "%s\"assignee\":null,\"aware_at\":null,"
	    "\"discovered_at\":\"%s\",\"not_a_breach_reason\":null,"
	    "\"occurred_from\":\"%s\",\"subjects_count\":%lld,"
	    "\"title\":\"%s\"}", t->created_rest, ts[0], ts[1],
	    (long long)subjects, title);
	if (event(c, created, c->u.reporter_name[r], "incident.created", id,
	    data) == -1)
		return (-1);
	from = "suspected";
	for (int i = 0; i < nh; i++) {
		int64_t hop = created + (at - created) * (i + 1) / (nh + 1);

		if (i == 0) {
			fmt_time(aware, ts[2], sizeof(ts[2]));
			snprintf(data, sizeof(data), "{\"changes\":{\"assignee\":"
			    "{\"from\":null,\"to\":\"%s\"}%s%s%s%s%s}}", actor,
			    aware != INT64_MIN ? ",\"aware_at\":{\"from\":null,"
			    "\"to\":\"" : "", aware != INT64_MIN ? ts[2] : "",
			    aware != INT64_MIN ? "\"}" : "", nab != NULL ?
			    ",\"not_a_breach_reason\":{\"from\":null,\"to\":\"" :
			    "", nab != NULL ? "The data turned out to be "
			    "synthetic test data.\"}" : "");
			if (event(c, hop, actor, "incident.updated", id, data) ==
			    -1)
				return (-1);
		}
		snprintf(data, sizeof(data), "{\"from\":\"%s\",\"to\":\"%s\"}",
		    from, path[i]);
		if (event(c, hop, actor, "incident.status_changed", id,
		    data) == -1)
			return (-1);
		from = path[i];
	}
	if (risk != NULL) {
		st = c->ins_decision;
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_text(st, 2, risk, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, "Assessed against the ENISA "
		    "methodology.", -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, c->u.handler[h]);
		sqlite3_bind_int64(st, 5, decided);
		if (step_done(c, st, "decision") == -1)
			return (-1);
		snprintf(data, sizeof(data), "{\"decision_id\":%lld,"
		    "\"level\":\"%s\",\"previous\":null,\"rationale\":"
		    "\"Assessed against the ENISA methodology.\"}",
		    (long long)sqlite3_last_insert_rowid(c->db), risk);
		if (event(c, decided, actor, "risk.decided", id, data) == -1)
			return (-1);
	}

	/* Live incidents: the server's own recompute stores obligations,
	 * their events and the escalation ladder. */
	if (is_active(status)) {
		c->nactive++;
		if (obligations_recompute(c->s, id, &c->rc, actor, c->now) ==
		    -1)
			return (-1);
		return (chain_sync(c));
	}

	/* Finished: the engine's obligations, met along the way. */
	memcpy(f, t->rf, sizeof(*f));
	f->status = status_enum(status);
	f->discovered_at = disc;
	f->aware_at = aware;
	f->subjects = subjects;
	f->risk = risk == NULL ? RULES_RISK_NONE : strcmp(risk, "unlikely") ==
	    0 ? RULES_RISK_UNLIKELY : strcmp(risk, "risk") == 0 ?
	    RULES_RISK_RISK : RULES_RISK_HIGH;
	f->risk_run_at = f->first_risk_at = f->risk >= RULES_RISK_RISK ?
	    decided : RULES_NO_TIME;
	f->high_run_at = f->first_high_at = f->risk == RULES_RISK_HIGH ?
	    decided : RULES_NO_TIME;
	for (size_t i = 0; i < c->cat->n; i++) {
		const struct catalog_entry *e = &c->cat->entries[i];

		if (!rules_relevant(&e->regime, f, &c->rc))
			continue;
		if (rules_compute(&e->regime, &e->calendar, f, &c->rc, want) ==
		    -1)
			return (-1);
		for (size_t j = 0; j < e->regime.nphases; j++)
			if (want[j].exists && finished_obligation(c, id, e,
			    &want[j], t->controller, actor, c->u.handler[h],
			    c->now) == -1)
				return (-1);
	}
	return (0);
}

static int
exec(struct store *s, const char *sql)
{
	char *err = NULL;

	if (sqlite3_exec(store_db(s), sql, NULL, NULL, &err) != SQLITE_OK) {
		fprintf(stderr, "seed: %s: %s\n", sql, err != NULL ? err :
		    "?");
		sqlite3_free(err);
		return (-1);
	}
	return (0);
}

/* The single number a `SELECT count(*)` answers, or -1. */
static int64_t
count(struct store *s, const char *sql)
{
	sqlite3_stmt *st;
	int64_t n = -1;

	if (sqlite3_prepare_v2(store_db(s), sql, -1, &st, NULL) != SQLITE_OK)
		return (-1);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return (n);
}

static int
put_refs(struct ctx *c)
{
	for (int i = 0; i < 200; i++) {
		if (c->ref_seq[i] == 0)
			continue;
		sqlite3_bind_int64(c->put_ref, 1, 1970 + i);
		sqlite3_bind_int64(c->put_ref, 2, c->ref_seq[i]);
		if (step_done(c, c->put_ref, "ref_seq") == -1)
			return (-1);
	}
	return (0);
}

static void
usage(void)
{
	fprintf(stderr, "usage: seed --db PATH [--incidents N] [--years Y] "
	    "[--rng S] [--tokens FILE]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "incidents", required_argument, NULL, 'n' },
		{ "years", required_argument, NULL, 'y' },
		{ "rng", required_argument, NULL, 'r' },
		{ "tokens", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
#define COUNT(t) { t, "SELECT count(*) FROM " t }
	static const struct {
		const char *name, *sql;
	} tables[] = { COUNT("incidents"), COUNT("obligations"),
		COUNT("notifications"), COUNT("risk_decisions"),
		COUNT("events"), COUNT("alerts"), { NULL, NULL } };
#undef COUNT
	static struct ctx c;
	struct tmpl tm[NTEMPLATES];
	struct problem p;
	const char *db = NULL, *tokens_path = NULL;
	FILE *tokens = NULL;
	int64_t n = 1000000, years = 4, v, span, rows = 0, tc;
	double t0, t1;
	int ch, applied;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			db = optarg;
			break;
		case 'n':
			if (parse_int64(optarg, 1, 100000000, &n) == -1)
				usage();
			break;
		case 'y':
			if (parse_int64(optarg, 1, 30, &years) == -1)
				usage();
			break;
		case 'r':
			if (parse_int64(optarg, 1, INT64_MAX, &v) == -1)
				usage();
			rng_state = (uint64_t)v;
			break;
		case 't':
			tokens_path = optarg;
			break;
		default:
			usage();
		}
	}
	if (db == NULL)
		usage();
	log_set_level(LOG_WARN);
	if ((c.s = store_open(db)) == NULL || store_migrate(c.s, &applied) ==
	    -1)
		return (1);
	c.db = store_db(c.s);
	if (count(c.s, "SELECT count(*) FROM incidents") != 0) {
		fprintf(stderr, "seed: %s already has incidents\n", db);
		return (1);
	}
	if (exec(c.s, "PRAGMA journal_mode = MEMORY") == -1 ||
	    exec(c.s, "PRAGMA synchronous = OFF") == -1 ||
	    exec(c.s, "PRAGMA cache_size = -1048576") == -1 ||
	    exec(c.s, "PRAGMA temp_store = MEMORY") == -1)
		return (1);
	c.now = (int64_t)time(NULL);
	c.rc.art34_target_hours = 72;
	c.rc.default_jurisdictions = NULL;
	if (tokens_path != NULL && (tokens = fopen(tokens_path, "w")) ==
	    NULL) {
		fprintf(stderr, "seed: %s: %s\n", tokens_path, strerror(errno));
		return (1);
	}
	if (seed_users(c.s, &c.u, c.now - years * 365 * DAY - DAY, tokens) ==
	    -1) {
		fprintf(stderr, "seed: cannot add users\n");
		return (1);
	}
	if (tokens != NULL && fclose(tokens) != 0)
		return (1);
	/* store_commit() (users) put back synchronous FULL. */
	if (exec(c.s, "PRAGMA synchronous = OFF") == -1 ||
	    prepare_all(&c) == -1 || chain_sync(&c) == -1 ||
	    (c.cat = catalog_load(c.s)) == NULL ||
	    (c.f = malloc(sizeof(*c.f))) == NULL)
		return (1);
	for (size_t i = 0; i < NTEMPLATES; i++) {
		json_t *body = json_loads(templates[i].body, 0, NULL);

		memset(&tm[i], 0, sizeof(tm[i]));
		if (body == NULL || incident_validate(body, true, &tm[i].facts,
		    &p) == -1 || tmpl_ready(&c, &tm[i]) == -1) {
			fprintf(stderr, "seed: template %zu: %s\n", i,
			    body == NULL ? "not JSON" : p.detail);
			return (1);
		}
		tm[i].title = strdup(json_string_value(json_object_get(body,
		    "title")));
		json_decref(body);
	}

	span = years * 365 * DAY;
	t0 = now_s();
	for (int64_t i = 0; i < n; i++) {
		int64_t disc = c.now - span + (int64_t)((double)span *
		    (double)i / (double)n) + between(0, 600);
		int w = (int)(rnd() % 100), k = 0;

		if (disc > c.now - 600)
			disc = c.now - 600;
		while (k < (int)NTEMPLATES - 1 && w >= templates[k].weight) {
			w -= templates[k].weight;
			k++;
		}
		if (i % BATCH == 0 && exec(c.s, "BEGIN") == -1)
			return (1);
		if (seed_one(&c, &tm[k], disc, i + 1) == -1) {
			fprintf(stderr, "seed: incident %lld failed\n",
			    (long long)i + 1);
			return (1);
		}
		if ((i + 1) % BATCH == 0 || i + 1 == n) {
			if (exec(c.s, "COMMIT") == -1)
				return (1);
			if ((i + 1) % (BATCH * 40) == 0)
				fprintf(stderr, "seed: %lld incidents, %.0f/s\n",
				    (long long)i + 1, (double)(i + 1) /
				    (now_s() - t0));
		}
	}
	/* The human ids handed out, and the ladder steps that a notifier
	 * would have delivered by now. */
	if (exec(c.s, "BEGIN") == -1 || put_refs(&c) == -1 ||
	    exec(c.s, "UPDATE alerts SET state = 'sent', sent_at = send_at, "
	    "message_ids = '[]' WHERE state = 'queued' "
	    "AND send_at < strftime('%s', 'now') - 600") == -1 ||
	    exec(c.s, "COMMIT") == -1)
		return (1);
	t1 = now_s();
	sqlite3_finalize(c.ins_incident);
	sqlite3_finalize(c.ins_obligation);
	sqlite3_finalize(c.ins_notification);
	sqlite3_finalize(c.ins_decision);
	sqlite3_finalize(c.ins_event);
	sqlite3_finalize(c.put_ref);
	if (exec(c.s, "PRAGMA journal_mode = WAL") == -1)
		return (1);
	printf("seed: %lld incidents (%lld live through the server's "
	    "recompute) in %.1f s: %.0f incidents/s\n", (long long)n,
	    (long long)c.nactive, t1 - t0, (double)n / (t1 - t0));
	for (int i = 0; tables[i].name != NULL; i++) {
		tc = count(c.s, tables[i].sql);
		rows += tc;
		printf("seed:   %-15s %10lld rows\n", tables[i].name,
		    (long long)tc);
	}
	printf("seed: %lld rows in %.1f s: %.0f rows/s\n", (long long)rows,
	    t1 - t0, (double)rows / (t1 - t0));
	catalog_put(c.cat);
	store_close(c.s);
	return (0);
}
