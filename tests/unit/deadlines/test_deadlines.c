/*
 * Data-driven tests of the deadline engine (server/rules.c) against the
 * shipped regimes: an in-memory store is migrated (every embedded
 * migration, so every regime of sql/002_regimes.sql and every holiday set
 * of sql/003_holidays.sql), the catalog is loaded once, and each scenario
 * is run through rules_relevant() and rules_compute() for every regime.
 *
 * Each scenario is one JSON file in tests/unit/deadlines/:
 *
 *   {"name": "...", "note": "the arithmetic, by hand",
 *    "facts": {"status": "confirmed", "role": "controller",
 *              "discovered_at": "...", "aware_at": "...",
 *              "decisions": [{"level": "unlikely|risk|high", "at": "..."}],
 *              "controller_notice_hours": 24,
 *              "jurisdictions": ["GB", "US-TX"],
 *              "subjects_by_jurisdiction": {"US-TX": 250},
 *              "sector_flags": ["dora_financial_entity"],
 *              "encryption": "none|key_safe|key_compromised|unknown",
 *              "subjects_count": 1000,
 *              "determinations": {"dora_major": "..."},
 *              "met": [{"regime": "eu_nis2_art23",
 *                       "phase": "notification", "at": "..."}]},
 *    "config": {"art34_target_hours": 72, "default_jurisdictions": ["GB"]},
 *    "exactly": true,
 *    "expect": {"uk_gdpr_art33_ico": {"exists": true, "required": true,
 *                                     "starts_at": "...Z",
 *                                     "due_at": "...Z", "target": false,
 *                                     "basis_contains": "Art. 33(1)"},
 *               "eu_dora_art19/initial": {...}, ...}}
 *
 * A key of "expect" is "regime_id" (phase "notification") or
 * "regime_id/phase".  The decisions are in the order they were recorded;
 * the runner derives the latest risk and the four decision times from them
 * exactly as the RULES_FACTS statement of server/store_sql.h does.
 * With "exactly" (the default) the set of phases that exist must equal the
 * keys expected to exist, so a scenario also proves that no other
 * obligation appears.  "expect": {"error": "regime_id"} instead says that
 * rules_compute must fail for that regime.
 *
 * Times in facts may carry any offset; expected instants are UTC strings
 * compared with the formatted result.  Missing facts are unknown, "role"
 * defaults to controller, "controller_notice_hours" to 24,
 * "art34_target_hours" to 72 and "default_jurisdictions" to ["GB"].
 * Unknown keys, regimes, phases, sector flags and determination kinds are
 * errors, so a typo cannot pass silently.
 *
 * Usage: test_deadlines [--count N] PATH
 * PATH is one scenario file or a directory whose *.json files are run in
 * sorted order.  With --count, a directory must hold exactly N scenarios
 * (meson registers each file as its own test; this catches a file that
 * was added but not registered).
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>
#include <jansson.h>

#include "calendar.h"
#include "catalog.h"
#include "log.h"
#include "regime.h"
#include "rules.h"
#include "store.h"
#include "timeutil.h"
#include "scenarios.h"

#define MAX_DEFAULTS 16
#define MAX_DECISIONS 64
#define KEY_MAX (REGIME_ID_MAX + REGIME_NAME_MAX + 1)

/* The catalog of the shipped regimes, loaded once by main(). */
static struct catalog *catalog;

/* A scenario being read and checked. */
struct scenario {
	const char *file;
	struct rules_facts facts;
	struct rules_config config;
	const char *defaults[MAX_DEFAULTS + 1];
	bool exactly;
	int bad;
};

static void
scenario_fail(struct scenario *sc, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
scenario_fail(struct scenario *sc, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	print_error("%s: %s\n", sc->file, msg);
	sc->bad++;
}

/* Check that obj has only keys from the NULL-terminated list allowed. */
static void
only_keys(struct scenario *sc, const char *what, json_t *obj,
    const char *const *allowed)
{
	const char *k;
	json_t *v;

	json_object_foreach(obj, k, v) {
		size_t i;

		for (i = 0; allowed[i] != NULL; i++)
			if (strcmp(k, allowed[i]) == 0)
				break;
		if (allowed[i] == NULL)
			scenario_fail(sc, "unknown key \"%s\" in %s", k, what);
	}
}

/* Parse an RFC 3339 time held in v; what names it in errors. */
static int64_t
parse_time(struct scenario *sc, const char *what, json_t *v)
{
	int64_t t;

	if (!json_is_string(v) || timeutil_parse(json_string_value(v),
	    &t) == -1) {
		scenario_fail(sc, "%s is not an RFC 3339 time", what);
		return (RULES_NO_TIME);
	}
	return (t);
}

/* An optional time; missing or null is RULES_NO_TIME. */
static int64_t
get_time(struct scenario *sc, json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	char what[64];

	if (v == NULL || json_is_null(v))
		return (RULES_NO_TIME);
	snprintf(what, sizeof(what), "facts.%s", key);
	return (parse_time(sc, what, v));
}

/* An optional integer; dflt when missing. */
static int64_t
get_int(struct scenario *sc, json_t *obj, const char *key, int64_t dflt)
{
	json_t *v = json_object_get(obj, key);

	if (v == NULL)
		return (dflt);
	if (!json_is_integer(v)) {
		scenario_fail(sc, "%s is not an integer", key);
		return (dflt);
	}
	return ((int64_t)json_integer_value(v));
}

/* Map an optional string to its index in names (n entries); dflt (an
 * index) when missing, -1 on error. */
static int
get_enum(struct scenario *sc, json_t *obj, const char *key, int dflt,
    const char *const *names, int n)
{
	json_t *v = json_object_get(obj, key);
	const char *s;

	if (v == NULL)
		return (dflt);
	if (!json_is_string(v)) {
		scenario_fail(sc, "%s is not a string", key);
		return (-1);
	}
	s = json_string_value(v);
	for (int i = 0; i < n; i++)
		if (strcmp(s, names[i]) == 0)
			return (i);
	scenario_fail(sc, "%s: unknown value \"%s\"", key, s);
	return (-1);
}

/*
 * The latest risk and the decision times, as the RULES_FACTS statement
 * derives them from the risk_decisions rows (in id order):
 * risk_run_at: the earliest non-unlikely decision after the last unlikely;
 * high_run_at: the earliest high decision after the last non-high;
 * first_risk_at, first_high_at: the earliest non-unlikely and high ones.
 */
static void
read_decisions(struct scenario *sc, json_t *ja)
{
	static const char *const levels[] = { "unlikely", "risk", "high" };
	static const char *const keys[] = { "level", "at", NULL };
	struct rules_facts *f = &sc->facts;
	enum rules_risk level[MAX_DECISIONS];
	int64_t at[MAX_DECISIONS];
	size_t n, last_unlikely = 0, last_not_high = 0, i;
	json_t *d;
	int e;

	f->risk = RULES_RISK_NONE;
	f->risk_run_at = f->high_run_at = RULES_NO_TIME;
	f->first_risk_at = f->first_high_at = RULES_NO_TIME;
	if (ja == NULL)
		return;
	if (!json_is_array(ja) || (n = json_array_size(ja)) > MAX_DECISIONS) {
		scenario_fail(sc, "facts.decisions must be an array of at most %d",
		    MAX_DECISIONS);
		return;
	}
	json_array_foreach(ja, i, d) {
		if (!json_is_object(d)) {
			scenario_fail(sc, "facts.decisions[%zu] is not an object", i);
			return;
		}
		only_keys(sc, "a decision", d, keys);
		if (json_object_get(d, "level") == NULL) {
			scenario_fail(sc, "facts.decisions[%zu] has no level", i);
			return;
		}
		if ((e = get_enum(sc, d, "level", -1, levels, 3)) == -1)
			return;
		level[i] = (enum rules_risk)(RULES_RISK_UNLIKELY + e);
		if ((at[i] = parse_time(sc, "a decision's at",
		    json_object_get(d, "at"))) == RULES_NO_TIME)
			return;
		/* Positions are 1-based so that 0 means "none". */
		if (level[i] == RULES_RISK_UNLIKELY)
			last_unlikely = i + 1;
		if (level[i] != RULES_RISK_HIGH)
			last_not_high = i + 1;
	}
	for (i = 0; i < n; i++) {
		if (level[i] != RULES_RISK_UNLIKELY) {
			if (f->first_risk_at == RULES_NO_TIME ||
			    at[i] < f->first_risk_at)
				f->first_risk_at = at[i];
			if (i + 1 > last_unlikely &&
			    (f->risk_run_at == RULES_NO_TIME ||
			    at[i] < f->risk_run_at))
				f->risk_run_at = at[i];
		}
		if (level[i] == RULES_RISK_HIGH) {
			if (f->first_high_at == RULES_NO_TIME ||
			    at[i] < f->first_high_at)
				f->first_high_at = at[i];
			if (i + 1 > last_not_high &&
			    (f->high_run_at == RULES_NO_TIME ||
			    at[i] < f->high_run_at))
				f->high_run_at = at[i];
		}
	}
	if (n > 0)
		f->risk = level[n - 1];
}

static void
read_places(struct scenario *sc, json_t *codes, json_t *counts)
{
	struct rules_facts *f = &sc->facts;
	const char *k;
	json_t *v;
	size_t i;

	if (codes != NULL && !json_is_array(codes)) {
		scenario_fail(sc, "facts.jurisdictions is not an array");
		return;
	}
	if (counts != NULL && !json_is_object(counts)) {
		scenario_fail(sc, "facts.subjects_by_jurisdiction is not an object");
		return;
	}
	json_array_foreach(codes, i, v) {
		struct rules_place *pl;

		if (f->nplaces == RULES_MAX_CODES || !json_is_string(v) ||
		    json_string_length(v) >= sizeof(pl->code)) {
			scenario_fail(sc, "facts.jurisdictions[%zu] is bad", i);
			return;
		}
		pl = &f->places[f->nplaces++];
		snprintf(pl->code, sizeof(pl->code), "%s",
		    json_string_value(v));
		v = json_object_get(counts, pl->code);
		pl->subjects = -1;
		if (v != NULL && !json_is_integer(v))
			scenario_fail(sc, "subjects_by_jurisdiction.%s is not an "
			    "integer", pl->code);
		else if (v != NULL)
			pl->subjects = (int64_t)json_integer_value(v);
	}
	/* A count for a jurisdiction not listed is a typo. */
	json_object_foreach(counts, k, v) {
		for (i = 0; i < f->nplaces; i++)
			if (strcmp(f->places[i].code, k) == 0)
				break;
		if (i == f->nplaces)
			scenario_fail(sc, "subjects_by_jurisdiction.%s: not in "
			    "facts.jurisdictions", k);
	}
}

static void
read_sectors(struct scenario *sc, json_t *ja)
{
	uint32_t bit;
	size_t i;
	json_t *v;

	if (ja != NULL && !json_is_array(ja)) {
		scenario_fail(sc, "facts.sector_flags is not an array");
		return;
	}
	json_array_foreach(ja, i, v) {
		if (!json_is_string(v) ||
		    (bit = regime_sector_bit(json_string_value(v))) == 0) {
			scenario_fail(sc, "facts.sector_flags[%zu] is not a sector "
			    "flag", i);
			continue;
		}
		sc->facts.sectors |= bit;
	}
}

static void
read_determinations(struct scenario *sc, json_t *jo)
{
	struct rules_facts *f = &sc->facts;
	const char *k;
	json_t *v;

	if (jo != NULL && !json_is_object(jo)) {
		scenario_fail(sc, "facts.determinations is not an object");
		return;
	}
	json_object_foreach(jo, k, v) {
		struct rules_determination *d;

		if (!regime_determination_valid(k) ||
		    f->ndeterminations == RULES_MAX_DETERMINATIONS) {
			scenario_fail(sc, "facts.determinations.%s: unknown kind", k);
			continue;
		}
		d = &f->determinations[f->ndeterminations++];
		snprintf(d->kind, sizeof(d->kind), "%s", k);
		d->at = parse_time(sc, "a determination", v);
	}
}

/* Find regime id in the catalog. */
static const struct catalog_entry *
find_regime(const char *id)
{
	for (size_t i = 0; i < catalog->n; i++)
		if (strcmp(catalog->entries[i].regime.id, id) == 0)
			return (&catalog->entries[i]);
	return (NULL);
}

/* The index of phase id in g, or -1. */
static int
find_phase(const struct regime *g, const char *id)
{
	for (size_t i = 0; i < g->nphases; i++)
		if (strcmp(g->phases[i].id, id) == 0)
			return ((int)i);
	return (-1);
}

static void
read_met(struct scenario *sc, json_t *ja)
{
	static const char *const keys[] = { "regime", "phase", "at", NULL };
	struct rules_facts *f = &sc->facts;
	const struct catalog_entry *e;
	const char *r, *p;
	size_t i;
	json_t *m;

	if (ja != NULL && !json_is_array(ja)) {
		scenario_fail(sc, "facts.met is not an array");
		return;
	}
	json_array_foreach(ja, i, m) {
		struct rules_met *out;

		if (!json_is_object(m) || f->nmet == RULES_MAX_MET) {
			scenario_fail(sc, "facts.met[%zu] is bad", i);
			continue;
		}
		only_keys(sc, "a met phase", m, keys);
		r = json_string_value(json_object_get(m, "regime"));
		p = json_string_value(json_object_get(m, "phase"));
		if (r == NULL || p == NULL || (e = find_regime(r)) == NULL ||
		    find_phase(&e->regime, p) == -1) {
			scenario_fail(sc, "facts.met[%zu]: no such regime and phase",
			    i);
			continue;
		}
		out = &f->met[f->nmet++];
		snprintf(out->regime_id, sizeof(out->regime_id), "%s", r);
		snprintf(out->phase, sizeof(out->phase), "%s", p);
		out->met_at = parse_time(sc, "a met phase's at",
		    json_object_get(m, "at"));
	}
}

static void
read_facts(struct scenario *sc, json_t *jf)
{
	static const char *const keys[] = { "status", "role",
		"discovered_at", "aware_at", "decisions",
		"controller_notice_hours", "jurisdictions",
		"subjects_by_jurisdiction", "sector_flags", "encryption",
		"subjects_count", "determinations", "met", NULL };
	static const char *const statuses[] = { "suspected", "investigating",
		"confirmed", "not_a_breach", "contained", "closed" };
	static const char *const roles[] = { "controller", "processor" };
	static const char *const encryptions[] = { "none", "key_safe",
		"key_compromised", "unknown" };
	struct rules_facts *f = &sc->facts;
	int e;

	if (!json_is_object(jf)) {
		scenario_fail(sc, "\"facts\" must be an object");
		return;
	}
	only_keys(sc, "facts", jf, keys);
	if (json_object_get(jf, "status") == NULL)
		scenario_fail(sc, "facts.status is required");
	if ((e = get_enum(sc, jf, "status", 0, statuses, 6)) != -1)
		f->status = (enum rules_status)e;
	if ((e = get_enum(sc, jf, "role", 0, roles, 2)) != -1)
		f->role = e == 0 ? REGIME_CONTROLLER : REGIME_PROCESSOR;
	f->discovered_at = get_time(sc, jf, "discovered_at");
	f->aware_at = get_time(sc, jf, "aware_at");
	read_decisions(sc, json_object_get(jf, "decisions"));
	f->controller_notice_hours = get_int(sc, jf,
	    "controller_notice_hours", 24);
	read_places(sc, json_object_get(jf, "jurisdictions"),
	    json_object_get(jf, "subjects_by_jurisdiction"));
	read_sectors(sc, json_object_get(jf, "sector_flags"));
	if ((e = get_enum(sc, jf, "encryption", 0, encryptions, 4)) != -1)
		f->key_safe = e == 1;
	f->subjects = get_int(sc, jf, "subjects_count", -1);
	read_determinations(sc, json_object_get(jf, "determinations"));
	read_met(sc, json_object_get(jf, "met"));
}

static void
read_config(struct scenario *sc, json_t *jc)
{
	static const char *const keys[] = { "art34_target_hours",
		"default_jurisdictions", NULL };
	json_t *ja, *v;
	size_t i;

	sc->config.art34_target_hours = 72;
	sc->defaults[0] = "GB";
	sc->defaults[1] = NULL;
	sc->config.default_jurisdictions = sc->defaults;
	if (jc == NULL)
		return;
	if (!json_is_object(jc)) {
		scenario_fail(sc, "\"config\" must be an object");
		return;
	}
	only_keys(sc, "config", jc, keys);
	sc->config.art34_target_hours = get_int(sc, jc, "art34_target_hours",
	    72);
	if ((ja = json_object_get(jc, "default_jurisdictions")) == NULL)
		return;
	if (!json_is_array(ja) || json_array_size(ja) > MAX_DEFAULTS) {
		scenario_fail(sc, "config.default_jurisdictions must be an array of "
		    "at most %d", MAX_DEFAULTS);
		return;
	}
	json_array_foreach(ja, i, v) {
		if ((sc->defaults[i] = json_string_value(v)) == NULL)
			scenario_fail(sc, "config.default_jurisdictions[%zu] is not a "
			    "string", i);
	}
	sc->defaults[json_array_size(ja)] = NULL;
}

/* The expectation key of a phase: "regime" for "notification". */
static void
phase_key(const struct regime *g, size_t phase, char *buf, size_t len)
{
	if (strcmp(g->phases[phase].id, "notification") == 0)
		snprintf(buf, len, "%s", g->id);
	else
		snprintf(buf, len, "%s/%s", g->id, g->phases[phase].id);
}

/* Split an expectation key into a catalog regime and phase index. */
static int
resolve_key(const char *key, const struct catalog_entry **e, int *phase)
{
	char id[REGIME_ID_MAX];
	const char *slash = strchr(key, '/'), *ph = "notification";
	size_t n = slash != NULL ? (size_t)(slash - key) : strlen(key);

	if (n >= sizeof(id))
		return (-1);
	memcpy(id, key, n);
	id[n] = '\0';
	if (slash != NULL) {
		ph = slash + 1;
		/* "regime/notification" must be written "regime". */
		if (strcmp(ph, "notification") == 0)
			return (-1);
	}
	if ((*e = find_regime(id)) == NULL ||
	    (*phase = find_phase(&(*e)->regime, ph)) == -1)
		return (-1);
	return (0);
}

/* Compare a computed time with an expected UTC string, if one is given. */
static void
check_time(struct scenario *sc, const char *key, const char *what,
    json_t *want, int64_t got)
{
	char buf[TIMEUTIL_RFC3339_LEN];
	const char *gs;

	if (want == NULL)
		return;
	if (!json_is_string(want)) {
		scenario_fail(sc, "expect.%s.%s is not a string", key, what);
		return;
	}
	if (got == RULES_NO_TIME)
		gs = "(none)";
	else if (timeutil_format(got, buf, sizeof(buf)) == -1)
		gs = "(out of range)";
	else
		gs = buf;
	if (strcmp(gs, json_string_value(want)) != 0)
		scenario_fail(sc, "%s.%s: got %s, want %s", key, what, gs,
		    json_string_value(want));
}

static void
check_bool(struct scenario *sc, const char *key, const char *what,
    json_t *want, bool got)
{
	if (want == NULL)
		return;
	if (!json_is_boolean(want)) {
		scenario_fail(sc, "expect.%s.%s must be a boolean", key, what);
		return;
	}
	if (json_is_true(want) != got)
		scenario_fail(sc, "%s.%s: got %s, want %s", key, what,
		    got ? "true" : "false", got ? "false" : "true");
}

/* Check one computed obligation (o, or NULL when its regime does not
 * concern the incident) against its expectation want. */
static void
check_obligation(struct scenario *sc, const char *key, json_t *want,
    const struct rules_obligation *o)
{
	static const char *const keys[] = { "exists", "required",
		"starts_at", "due_at", "target", "basis_contains", NULL };
	bool exists = o != NULL && o->exists;
	json_t *v;

	if (!json_is_object(want) ||
	    !json_is_boolean(json_object_get(want, "exists"))) {
		scenario_fail(sc, "expect.%s must be an object with \"exists\"", key);
		return;
	}
	only_keys(sc, key, want, keys);
	check_bool(sc, key, "exists", json_object_get(want, "exists"),
	    exists);
	if (o != NULL && o->basis[0] == '\0')
		scenario_fail(sc, "%s: empty basis", key);
	if ((v = json_object_get(want, "basis_contains")) != NULL &&
	    (!json_is_string(v) || o == NULL ||
	    strstr(o->basis, json_string_value(v)) == NULL))
		scenario_fail(sc, "%s: basis \"%s\" lacks \"%s\"", key,
		    o != NULL ? o->basis : "(regime not relevant)",
		    json_is_string(v) ? json_string_value(v) : "?");
	if (json_is_false(json_object_get(want, "exists"))) {
		/* Nothing else may be claimed of an absent obligation. */
		if (json_object_get(want, "required") != NULL ||
		    json_object_get(want, "starts_at") != NULL ||
		    json_object_get(want, "due_at") != NULL ||
		    json_object_get(want, "target") != NULL)
			scenario_fail(sc, "%s: expectations for an obligation that "
			    "does not exist", key);
		if (o != NULL && !o->exists && o->required)
			scenario_fail(sc, "%s: required but does not exist", key);
		return;
	}
	if (json_object_get(want, "required") == NULL ||
	    json_object_get(want, "due_at") == NULL)
		scenario_fail(sc, "expect.%s: an existing obligation must state "
		    "required and due_at", key);
	if (!exists)
		return;
	check_bool(sc, key, "required", json_object_get(want, "required"),
	    o->required);
	check_bool(sc, key, "target", json_object_get(want, "target"),
	    o->target);
	check_time(sc, key, "starts_at", json_object_get(want, "starts_at"),
	    o->starts_at);
	check_time(sc, key, "due_at", json_object_get(want, "due_at"),
	    o->due_at);
}

/* Run "expect": {"error": "regime_id"}. */
static void
check_error(struct scenario *sc, json_t *expect)
{
	const struct catalog_entry *e;
	struct rules_obligation out[REGIME_MAX_PHASES];
	const char *id = json_string_value(json_object_get(expect, "error"));

	if (id == NULL || json_object_size(expect) != 1) {
		scenario_fail(sc, "\"error\" must be a regime id and alone");
		return;
	}
	if ((e = find_regime(id)) == NULL) {
		scenario_fail(sc, "expect.error: no regime %s", id);
		return;
	}
	if (!rules_relevant(&e->regime, &sc->facts, &sc->config))
		scenario_fail(sc, "%s does not concern the incident", id);
	else if (rules_compute(&e->regime, &e->calendar, &sc->facts,
	    &sc->config, out) != -1)
		scenario_fail(sc, "rules_compute(%s) succeeded, want -1", id);
}

static void
check_expect(struct scenario *sc, json_t *expect)
{
	struct rules_obligation out[REGIME_MAX_PHASES];
	const struct catalog_entry *e;
	char key[KEY_MAX];
	const char *k;
	json_t *want;
	int phase;

	/* Every expected key names a shipped regime and phase. */
	json_object_foreach(expect, k, want) {
		if (resolve_key(k, &e, &phase) == -1)
			scenario_fail(sc, "expect.%s: no such regime/phase (write the "
			    "phase \"notification\" as the bare regime id)",
			    k);
	}
	for (size_t i = 0; i < catalog->n; i++) {
		const struct regime *g = &catalog->entries[i].regime;
		bool relevant;

		relevant = rules_relevant(g, &sc->facts, &sc->config);
		if (relevant && rules_compute(g, &catalog->entries[i].calendar,
		    &sc->facts, &sc->config, out) == -1) {
			scenario_fail(sc, "rules_compute(%s) failed", g->id);
			continue;
		}
		for (size_t j = 0; j < g->nphases; j++) {
			const struct rules_obligation *o = relevant ? &out[j] :
			    NULL;

			phase_key(g, j, key, sizeof(key));
			if ((want = json_object_get(expect, key)) != NULL)
				check_obligation(sc, key, want, o);
			else if (sc->exactly && o != NULL && o->exists) {
				char due[TIMEUTIL_RFC3339_LEN];

				if (timeutil_format(o->due_at, due,
				    sizeof(due)) == -1)
					snprintf(due, sizeof(due), "?");
				scenario_fail(sc, "%s exists (due %s, %s) but is not "
				    "expected", key, due, o->required ?
				    "required" : "not required");
			}
		}
	}
}

/* Run one scenario file; return the number of failed checks. */
static int
run_scenario(const char *file)
{
	static const char *const top_keys[] = { "name", "note", "facts",
		"config", "exactly", "expect", NULL };
	struct scenario *sc;
	json_error_t jerr;
	json_t *root, *expect, *v;
	int bad;

	if ((root = json_load_file(file, JSON_REJECT_DUPLICATES, &jerr)) ==
	    NULL) {
		print_error("%s:%d: %s\n", file, jerr.line, jerr.text);
		return (1);
	}
	/* The facts are large (every jurisdiction): keep them off the
	 * stack. */
	if ((sc = calloc(1, sizeof(*sc))) == NULL) {
		json_decref(root);
		return (1);
	}
	sc->file = file;
	sc->exactly = true;
	if (!json_is_object(root) ||
	    !json_is_string(json_object_get(root, "name")) ||
	    !json_is_object(expect = json_object_get(root, "expect"))) {
		scenario_fail(sc, "needs \"name\", \"facts\" and \"expect\"");
		goto done;
	}
	only_keys(sc, "the scenario", root, top_keys);
	if ((v = json_object_get(root, "exactly")) != NULL) {
		if (!json_is_boolean(v))
			scenario_fail(sc, "\"exactly\" must be a boolean");
		sc->exactly = json_is_true(v);
	}
	read_facts(sc, json_object_get(root, "facts"));
	read_config(sc, json_object_get(root, "config"));
	if (sc->bad != 0)
		goto done;
	if (json_object_get(expect, "error") != NULL)
		check_error(sc, expect);
	else
		check_expect(sc, expect);
done:
	bad = sc->bad;
	free(sc);
	json_decref(root);
	return (bad);
}



/* Load the shipped regimes: a migrated in-memory store. */
static struct catalog *
load_catalog(void)
{
	struct catalog *c = NULL;
	struct store *s;

	log_set_level(LOG_WARN);
	if (calendar_global_init() == -1 ||
	    (s = store_open(":memory:")) == NULL)
		return (NULL);
	if (store_migrate(s, NULL) == 0)
		c = catalog_load(s);
	store_close(s);
	return (c);
}

static void
usage(void)
{
	fprintf(stderr, "usage: test_deadlines [--count N] PATH\n");
	exit(2);
}

int
main(int argc, char *argv[])
{
	const char *path;
	long count = -1;
	int rc;

	if (argc == 4 && strcmp(argv[1], "--count") == 0) {
		if (scenarios_count(argv[2], &count) == -1)
			usage();
		path = argv[3];
	} else if (argc == 2)
		path = argv[1];
	else
		usage();
	if ((catalog = load_catalog()) == NULL) {
		fprintf(stderr, "test_deadlines: cannot load the shipped "
		    "regimes\n");
		return (1);
	}
	rc = scenarios_main("deadlines", path, count, run_scenario);
	catalog_put(catalog);
	return (rc);
}
