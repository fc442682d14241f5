#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "calendar.h"
#include "iso3166.h"
#include "parse.h"
#include "regime.h"
#include "rules.h"
#include "timeutil.h"

/* The sector flags an incident may carry; bit i is regime_sectors[i]. */
const char *const regime_sectors[] = { "pecr_provider", "nis_entity",
	"nis2_entity", "dora_financial_entity", "hipaa_covered_entity",
	"hipaa_business_associate", "sec_registrant", "lgpd_small_agent",
	"trust_service_provider", "ny_dfs_covered_entity",
	"ftc_financial_institution", "circia_covered_entity", NULL };

/* Determinations a person can record on an incident. */
const char *const regime_determinations[] = { "sec_material", "dora_major",
	"sg_notifiable", "ny_dfs_reportable", "au_eligible", "nis_significant",
	"circia_covered", NULL };

static const char *const holiday_sets[] = { "gb-eaw", "gb-sct", "gb-ni",
	"br", "us", NULL };

static const char *const eu_members[] = { "AT", "BE", "BG", "HR", "CY",
	"CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV",
	"LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
	NULL };
static const char *const eea_only[] = { "IS", "LI", "NO", NULL };

uint32_t
regime_sector_bit(const char *name)
{
	for (uint32_t i = 0; regime_sectors[i] != NULL; i++)
		if (strcmp(regime_sectors[i], name) == 0)
			return (UINT32_C(1) << i);
	return (0);
}

bool
regime_determination_valid(const char *s)
{
	return (parse_in_list(regime_determinations, s));
}

bool
regime_id_valid(const char *id)
{
	size_t n = strlen(id);

	if (n == 0 || n >= REGIME_ID_MAX)
		return (false);
	for (; *id != '\0'; id++)
		if (!((*id >= 'a' && *id <= 'z') || (*id >= '0' && *id <= '9') ||
		    *id == '_'))
			return (false);
	return (true);
}

bool
regime_code_matches(const char *e, const char *code)
{
	char country[3];
	size_t n = strlen(e);

	memcpy(country, code, 2);
	country[2] = '\0';
	if (strcmp(e, "EU") == 0)
		return (parse_in_list(eu_members, country));
	if (strcmp(e, "EEA") == 0)
		return (parse_in_list(eu_members, country) ||
		    parse_in_list(eea_only, country));
	if (strcmp(e, code) == 0)
		return (true);
	/* A country entry matches its subdivisions: GB matches GB-SCT. */
	return (n == 2 && strncmp(e, code, 2) == 0 && code[2] == '-');
}

static int fail(struct problem *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
fail(struct problem *p, const char *fmt, ...)
{
	char detail[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	problem_set(p, 400, "invalid-field", "rule", "rule: %s", detail);
	return (-1);
}

/* Copy a string member into buf (len); absent is "" unless required. */
static int
get_text(json_t *o, const char *key, char *buf, size_t len, bool required,
    struct problem *p)
{
	json_t *v = json_object_get(o, key);

	buf[0] = '\0';
	if (v == NULL || json_is_null(v)) {
		if (required)
			return (fail(p, "%s is required", key));
		return (0);
	}
	if (!json_is_string(v) || json_string_length(v) >= len)
		return (fail(p, "%s must be a string of at most %s characters",
		    key, len > 100 ? "200" : "32"));
	memcpy(buf, json_string_value(v), json_string_length(v) + 1);
	return (0);
}

static int
only(json_t *o, const char *what, const char *const *keys, struct problem *p)
{
	const char *k;
	json_t *v;

	if (!json_is_object(o))
		return (fail(p, "%s must be an object", what));
	json_object_foreach(o, k, v)
		if (!parse_in_list(keys, k))
			return (fail(p, "%s has an unknown member '%.40s'", what,
			    k));
	return (0);
}

static int
get_int(json_t *o, const char *key, int64_t min, int64_t max, int64_t dflt,
    int64_t *out, struct problem *p)
{
	json_t *v = json_object_get(o, key);

	*out = dflt;
	if (v == NULL)
		return (0);
	if (!json_is_integer(v) || json_integer_value(v) < min ||
	    json_integer_value(v) > max)
		return (fail(p, "%s must be a whole number in range", key));
	*out = json_integer_value(v);
	return (0);
}

static int
get_sectors(json_t *o, const char *key, uint32_t *mask, struct problem *p)
{
	json_t *v = json_object_get(o, key), *item;
	size_t i;
	uint32_t bit;

	*mask = 0;
	if (v == NULL)
		return (0);
	if (!json_is_array(v))
		return (fail(p, "%s must be an array", key));
	json_array_foreach(v, i, item) {
		if (!json_is_string(item) ||
		    (bit = regime_sector_bit(json_string_value(item))) == 0)
			return (fail(p, "%s has an unknown sector flag", key));
		*mask |= bit;
	}
	return (0);
}

bool
regime_code_valid(const char *s, bool groups)
{
	if (groups && (strcmp(s, "EU") == 0 || strcmp(s, "EEA") == 0))
		return (true);
	return (iso3166_valid(s));
}

static int
parse_applies(json_t *o, const char *what, struct regime_applies *a,
    struct problem *p)
{
	static const char *const keys[] = { "jurisdictions", "sectors_any",
		"sectors_none", "role", "min_risk", "subjects_min",
		"subjects_below", "count_in", "encryption_safe_harbor",
		"determination", NULL };
	char buf[REGIME_NAME_MAX];
	json_t *v, *item;
	size_t i;

	memset(a, 0, sizeof(*a));
	a->subjects_min = a->subjects_below = -1;
	if (o == NULL)
		return (0);
	if (only(o, what, keys, p) == -1)
		return (-1);
	if ((v = json_object_get(o, "jurisdictions")) != NULL) {
		if (!json_is_array(v) || json_array_size(v) > REGIME_MAX_CODES)
			return (fail(p, "%s.jurisdictions must be an array of "
			    "at most 64 codes", what));
		json_array_foreach(v, i, item) {
			if (!json_is_string(item))
				return (fail(p, "%s.jurisdictions must hold "
				    "strings", what));
			if (!regime_code_valid(json_string_value(item), true))
				return (fail(p, "%s.jurisdictions: \"%.16s\" is "
				    "not an ISO 3166 code, EU or EEA", what,
				    json_string_value(item)));
			snprintf(a->codes[a->ncodes++], sizeof(a->codes[0]),
			    "%s", json_string_value(item));
		}
	}
	if (get_sectors(o, "sectors_any", &a->sectors_any, p) == -1 ||
	    get_sectors(o, "sectors_none", &a->sectors_none, p) == -1)
		return (-1);
	if (get_text(o, "role", buf, sizeof(buf), false, p) == -1)
		return (-1);
	if (buf[0] != '\0') {
		if (strcmp(buf, "controller") == 0)
			a->role = REGIME_CONTROLLER;
		else if (strcmp(buf, "processor") == 0)
			a->role = REGIME_PROCESSOR;
		else
			return (fail(p, "%s.role must be controller or "
			    "processor", what));
	}
	if (get_text(o, "min_risk", buf, sizeof(buf), false, p) == -1)
		return (-1);
	if (buf[0] != '\0') {
		if (strcmp(buf, "risk") == 0)
			a->min_risk = RULES_RISK_RISK;
		else if (strcmp(buf, "high") == 0)
			a->min_risk = RULES_RISK_HIGH;
		else
			return (fail(p, "%s.min_risk must be risk or high",
			    what));
	}
	if (get_int(o, "subjects_min", 0, INT64_C(1000000000000), -1,
	    &a->subjects_min, p) == -1 ||
	    get_int(o, "subjects_below", 1, INT64_C(1000000000000), -1,
	    &a->subjects_below, p) == -1)
		return (-1);
	if (get_text(o, "count_in", buf, sizeof(buf), false, p) == -1)
		return (-1);
	if (buf[0] != '\0' && strcmp(buf, "total") != 0 &&
	    strcmp(buf, "jurisdiction") != 0)
		return (fail(p, "%s.count_in must be total or jurisdiction",
		    what));
	a->count_in_jurisdiction = strcmp(buf, "jurisdiction") == 0;
	if ((v = json_object_get(o, "encryption_safe_harbor")) != NULL) {
		if (!json_is_boolean(v))
			return (fail(p, "%s.encryption_safe_harbor must be "
			    "true or false", what));
		a->safe_harbor = json_is_true(v);
	}
	if (get_text(o, "determination", a->determination,
	    sizeof(a->determination), false, p) == -1)
		return (-1);
	if (a->determination[0] != '\0' &&
	    !regime_determination_valid(a->determination))
		return (fail(p, "%s.determination is not a known kind", what));
	return (0);
}

static int
find_phase(const struct regime *g, const char *id, size_t *out)
{
	for (size_t i = 0; i < g->nphases; i++)
		if (strcmp(g->phases[i].id, id) == 0) {
			*out = i;
			return (0);
		}
	return (-1);
}

static int
parse_clock(json_t *o, const char *what, struct regime *g,
    struct regime_clock *c, bool cap, struct problem *p)
{
	static const char *const phase_keys[] = { "id", "name", "start",
		"duration", "unit", "target_hours", "cap", "required_when",
		NULL };
	static const char *const cap_keys[] = { "start", "duration", "unit",
		NULL };
	static const char *const units[] = { "hours", "calendar_days",
		"business_days", "months", "none", NULL };
	char start[REGIME_TEXT_MAX], unit[REGIME_NAME_MAX];
	json_t *t;

	if (only(o, what, cap ? cap_keys : phase_keys, p) == -1 ||
	    get_text(o, "start", start, sizeof(start), true, p) == -1 ||
	    get_text(o, "unit", unit, sizeof(unit), true, p) == -1)
		return (-1);
	memset(c, 0, sizeof(*c));
	c->target_hours = TARGET_DEFAULT;
	if (strcmp(start, "aware_at") == 0)
		c->start = START_AWARE;
	else if (strcmp(start, "discovered_at") == 0)
		c->start = START_DISCOVERED;
	else if (strcmp(start, "decision") == 0)
		c->start = START_DECISION;
	else if (strcmp(start, "determination") == 0)
		c->start = START_DETERMINATION;
	else if (strcmp(start, "year_end:discovered_at") == 0)
		c->start = START_YEAR_END;
	else if (strncmp(start, "phase:", 6) == 0 &&
	    find_phase(g, start + 6, &c->phase_ref) == 0)
		c->start = START_PHASE;
	else
		return (fail(p, "%s.start '%.40s' is not a clock start (or "
		    "names a phase not defined before it)", what, start));
	if (c->start == START_DETERMINATION &&
	    g->applies.determination[0] == '\0')
		return (fail(p, "%s.start is determination but applies has "
		    "no determination", what));
	for (c->unit = 0; units[c->unit] != NULL; c->unit++)
		if (strcmp(units[c->unit], unit) == 0)
			break;
	if (units[c->unit] == NULL)
		return (fail(p, "%s.unit '%.40s' is not a unit", what, unit));
	if (get_int(o, "duration", 0, 100000, 0, &c->duration, p) == -1)
		return (-1);
	if (c->unit != UNIT_NONE && json_object_get(o, "duration") == NULL)
		return (fail(p, "%s.duration is required", what));
	if (c->unit == UNIT_NONE && cap)
		return (fail(p, "%s: a cap needs a fixed period", what));
	if ((t = json_object_get(o, "target_hours")) != NULL) {
		if (json_is_string(t) && strcmp(json_string_value(t),
		    "controller_notice_hours") == 0)
			c->target_hours = TARGET_CONTRACT;
		else if (get_int(o, "target_hours", 0, 24 * 3650,
		    TARGET_DEFAULT, &c->target_hours, p) == -1)
			return (-1);
	}
	if ((c->unit == UNIT_CALENDAR_DAYS || c->unit == UNIT_BUSINESS_DAYS ||
	    c->unit == UNIT_MONTHS || c->start == START_YEAR_END) &&
	    g->tz[0] == '\0')
		return (fail(p, "%s: day counts need calendar.tz", what));
	return (0);
}

static int
parse_day(json_t *o, const char *key, int64_t dflt, int64_t *out,
    struct problem *p)
{
	char buf[REGIME_NAME_MAX], full[64];
	int64_t t;

	*out = dflt;
	if (get_text(o, key, buf, sizeof(buf), false, p) == -1)
		return (-1);
	if (buf[0] == '\0')
		return (0);
	snprintf(full, sizeof(full), "%sT00:00:00Z", buf);
	if (strlen(buf) == 10 && timeutil_parse(full, &t) == -1 &&
	    strcmp(timeutil_parse_why(full), TIMEUTIL_WHY_RANGE) == 0)
		return (fail(p, "%s %s", key, TIMEUTIL_WHY_RANGE));
	if (strlen(buf) != 10 || timeutil_parse(full, &t) == -1)
		return (fail(p, "%s must be a date YYYY-MM-DD", key));
	*out = t / 86400;
	return (0);
}

int
regime_parse(const char *id, const char *legal_source, json_t *rule,
    struct regime *g, struct problem *p)
{
	static const char *const keys[] = { "applies", "effective_from",
		"effective_to", "calendar", "phases", NULL };
	static const char *const cal_keys[] = { "tz", "holidays", NULL };
	json_t *cal, *phases, *ph;
	char what[64];
	size_t i;

	memset(g, 0, sizeof(*g));
	if (!regime_id_valid(id))
		return (fail(p, "regime id '%.64s' is not ^[a-z0-9_]{1,64}$",
		    id));
	snprintf(g->id, sizeof(g->id), "%s", id);
	snprintf(g->legal_source, sizeof(g->legal_source), "%s",
	    legal_source != NULL ? legal_source : id);
	if (only(rule, "rule", keys, p) == -1 ||
	    parse_applies(json_object_get(rule, "applies"), "applies",
	    &g->applies, p) == -1 ||
	    parse_day(rule, "effective_from", INT64_MIN, &g->effective_from,
	    p) == -1 ||
	    parse_day(rule, "effective_to", INT64_MAX, &g->effective_to, p) ==
	    -1)
		return (-1);
	if (g->effective_from != INT64_MIN && g->effective_to != INT64_MAX &&
	    g->effective_from > g->effective_to)
		return (fail(p, "effective_from is after effective_to"));
	if ((cal = json_object_get(rule, "calendar")) != NULL &&
	    !json_is_null(cal)) {
		if (only(cal, "calendar", cal_keys, p) == -1 ||
		    get_text(cal, "tz", g->tz, sizeof(g->tz), true, p) == -1 ||
		    get_text(cal, "holidays", g->holidays, sizeof(g->holidays),
		    false, p) == -1)
			return (-1);
		if (calendar_zone_valid(g->tz) == -1)
			return (fail(p, "calendar.tz '%.60s' is not a known "
			    "time zone", g->tz));
		if (g->holidays[0] != '\0' &&
		    !parse_in_list(holiday_sets, g->holidays))
			return (fail(p, "calendar.holidays '%.15s' is not a "
			    "holiday set", g->holidays));
	}
	phases = json_object_get(rule, "phases");
	if (!json_is_array(phases) || json_array_size(phases) == 0 ||
	    json_array_size(phases) > REGIME_MAX_PHASES)
		return (fail(p, "phases must be an array of 1 to 8 phases"));
	json_array_foreach(phases, i, ph) {
		struct regime_phase *rp = &g->phases[i];
		size_t dup;

		snprintf(what, sizeof(what), "phases[%zu]", i);
		if (!json_is_object(ph))
			return (fail(p, "%s must be an object", what));
		if (get_text(ph, "id", rp->id, sizeof(rp->id), true, p) == -1 ||
		    get_text(ph, "name", rp->name, sizeof(rp->name), true, p) ==
		    -1)
			return (-1);
		if (!regime_id_valid(rp->id) || strlen(rp->id) > 32)
			return (fail(p, "%s.id must be ^[a-z0-9_]{1,32}$", what));
		if (find_phase(g, rp->id, &dup) == 0)
			return (fail(p, "%s.id '%s' is used twice", what,
			    rp->id));
		if (parse_clock(ph, what, g, &rp->clock, false, p) == -1)
			return (-1);
		if (json_object_get(ph, "cap") != NULL) {
			rp->has_cap = true;
			snprintf(what, sizeof(what), "phases[%zu].cap", i);
			if (parse_clock(json_object_get(ph, "cap"), what, g,
			    &rp->cap, true, p) == -1)
				return (-1);
		}
		if (json_object_get(ph, "required_when") != NULL) {
			rp->has_when = true;
			snprintf(what, sizeof(what),
			    "phases[%zu].required_when", i);
			if (parse_applies(json_object_get(ph, "required_when"),
			    what, &rp->when, p) == -1)
				return (-1);
		}
		g->nphases = i + 1;
	}
	return (0);
}

void
regime_start_name(const struct regime *g, const struct regime_clock *c,
    char *buf, size_t len)
{
	static const char *const names[] = { "awareness", "discovery",
		"the risk decision", "the determination", "", "the end of the "
		"calendar year of discovery" };

	if (c->start == START_PHASE)
		snprintf(buf, len, "the %s being filed",
		    g->phases[c->phase_ref].name);
	else if (c->start == START_DETERMINATION)
		snprintf(buf, len, "the determination (%s)",
		    g->applies.determination);
	else
		snprintf(buf, len, "%s", names[c->start]);
}
