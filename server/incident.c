#include <stdio.h>
#include <string.h>

#include "incident.h"
#include "iso3166.h"
#include "parse.h"
#include "regime.h"
#include "timeutil.h"

#define TEXT_LONG 20000
#define TEXT_MID 4000
#define FUTURE_SLACK (5 * 60)
#define AWARENESS_GAP (24 * 3600)

static const char *const cyber_values[] = { "yes", "no", "unknown", NULL };
static const char *const role_values[] = { "controller", "processor", NULL };
static const char *const encryption_values[] = { "none", "key_safe",
	"key_compromised", "unknown", NULL };
static const char *const backup_values[] = { "none", "available",
	"restored", "unknown", NULL };
static const char *const data_values[] = { "basic_identifiers",
	"contact_details", "identification_documents", "credentials",
	"financial", "location", "health", "genetic", "biometric",
	"racial_ethnic_origin", "political_opinions", "religious_beliefs",
	"trade_union", "sex_life_orientation", "criminal_offence", "children",
	"communications", "other", NULL };
static const char *const subject_values[] = { "employees", "customers",
	"prospective_customers", "children", "vulnerable_adults", "patients",
	"students", "users", "members", "suppliers", "other", "unknown",
	NULL };
/* After the ICO's breach types; sql/011_reports.sql has the same list. */
static const char *const cause_values[] = { "phishing", "malware",
	"ransomware", "brute_force", "denial_of_service",
	"system_misconfiguration", "insecure_webpage", "unauthorised_access",
	"misdirected_email", "failure_to_use_bcc", "misdirected_post",
	"verbal_disclosure", "failure_to_redact", "alteration_of_data",
	"lost_or_stolen_device", "lost_or_stolen_paperwork",
	"insecure_disposal", "other", "unknown", NULL };
static const char *const status_values[] = { "suspected", "investigating",
	"confirmed", "not_a_breach", "contained", "closed", NULL };

/* The order matches INCIDENT_FACT_COLS in store_sql.h, then assignee. */
const struct incident_field incident_fields[] = {
	{ "title", F_TEXT, false, true, 1, 200, NULL, NULL },
	{ "description", F_TEXT, true, false, 0, TEXT_LONG, NULL, NULL },
	{ "cyber_incident", F_ENUM, false, false, 0, 0, cyber_values,
	    "\"unknown\"" },
	{ "how_discovered", F_TEXT, true, false, 0, TEXT_MID, NULL, NULL },
	{ "occurred_from", F_TIME, true, false, 0, 0, NULL, NULL },
	{ "occurred_to", F_TIME, true, false, 0, 0, NULL, NULL },
	{ "discovered_at", F_TIME, false, true, 0, 0, NULL, NULL },
	{ "aware_at", F_TIME, true, false, 0, 0, NULL, NULL },
	{ "awareness_justification", F_TEXT, true, false, 0, TEXT_MID, NULL,
	    NULL },
	{ "not_a_breach_reason", F_TEXT, true, false, 0, TEXT_MID, NULL,
	    NULL },
	{ "role", F_ENUM, false, false, 0, 0, role_values, "\"controller\"" },
	{ "controller_name", F_TEXT, true, false, 0, 200, NULL, NULL },
	{ "controller_notice_hours", F_INT, false, false, 1, 720, NULL,
	    "24" },
	{ "jurisdictions", F_CODES, false, false, 0, 300, NULL, "[]" },
	{ "data_categories", F_SET, false, false, 0, 64, data_values, "[]" },
	{ "subject_categories", F_SET, false, false, 0, 64, subject_values,
	    "[]" },
	{ "sector_flags", F_SET, false, false, 0, 64, regime_sectors, "[]" },
	{ "subjects_count", F_INT, true, false, 0, 1000000000000LL, NULL,
	    NULL },
	{ "records_count", F_INT, true, false, 0, 1000000000000LL, NULL,
	    NULL },
	{ "confidentiality_impact", F_BOOL, false, false, 0, 0, NULL,
	    "false" },
	{ "integrity_impact", F_BOOL, false, false, 0, 0, NULL, "false" },
	{ "availability_impact", F_BOOL, false, false, 0, 0, NULL, "false" },
	{ "encryption", F_ENUM, false, false, 0, 0, encryption_values,
	    "\"unknown\"" },
	{ "backups", F_ENUM, false, false, 0, 0, backup_values,
	    "\"unknown\"" },
	{ "likely_consequences", F_TEXT, true, false, 0, TEXT_LONG, NULL,
	    NULL },
	{ "measures_taken", F_TEXT, true, false, 0, TEXT_LONG, NULL, NULL },
	{ "measures_proposed", F_TEXT, true, false, 0, TEXT_LONG, NULL,
	    NULL },
	{ "dpo_contact", F_TEXT, true, false, 0, TEXT_LONG, NULL, NULL },
	{ "subjects_by_jurisdiction", F_COUNTS, false, false, 0,
	    1000000000000LL, NULL, "{}" },
	{ "determinations", F_DATES, false, false, 0, 0, regime_determinations,
	    "{}" },
	{ "cause", F_ENUM, true, false, 0, 0, cause_values, NULL },
	{ "assignee", F_USER, true, false, 0, 0, NULL, NULL },
};

const size_t incident_nfields =
    sizeof(incident_fields) / sizeof(incident_fields[0]);

const struct incident_field *
incident_field_find(const char *name)
{
	for (size_t i = 0; i < incident_nfields; i++)
		if (strcmp(incident_fields[i].name, name) == 0)
			return (&incident_fields[i]);
	return (NULL);
}

static const char *const risk_facts[] = { "data_categories",
	"subject_categories", "subjects_count", "records_count",
	"confidentiality_impact", "integrity_impact", "availability_impact",
	"encryption", "backups", "likely_consequences", NULL };

bool
incident_risk_fact(const char *name)
{
	return (parse_in_list(risk_facts, name));
}

bool
incident_status_valid(const char *s)
{
	return (parse_in_list(status_values, s));
}

static bool
has_control(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return (true);
	return (false);
}

bool
incident_user_name_valid(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 64)
		return (false);
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		    *s == '.' || *s == '_' || *s == '-'))
			return (false);
	return (true);
}

static int
bad(struct problem *p, const struct incident_field *f, const char *why)
{
	problem_set(p, 400, "invalid-field", f->name, "%s: %s", f->name, why);
	return (-1);
}

/* A jurisdiction code (an item or a key of f) that iso-codes does not
 * list, with the ISO code when it is a common stand-in for one. */
static int
bad_code(struct problem *p, const struct incident_field *f, const char *code)
{
	const char *meant = iso3166_meant(code);

	if (meant != NULL)
		problem_set(p, 400, "invalid-field", f->name, "%s: \"%s\" is "
		    "not an ISO 3166 code; write %s", f->name, code, meant);
	else
		problem_set(p, 400, "invalid-field", f->name, "%s: \"%.16s\" "
		    "is not an ISO 3166 country or subdivision code such as GB, "
		    "DE or US-TX", f->name, code);
	return (-1);
}

/* Validate one value; on success return a new normalised value in *out. */
static int
validate_field(const struct incident_field *f, json_t *v, json_t **out,
    struct problem *p)
{
	char buf[TIMEUTIL_RFC3339_LEN];
	const char *s;
	int64_t t;
	size_t i, n;
	json_t *item;

	if (json_is_null(v)) {
		if (!f->nullable)
			return (bad(p, f, "must not be null"));
		*out = json_null();
		return (0);
	}
	switch (f->type) {
	case F_TEXT:
		if (!json_is_string(v))
			return (bad(p, f, "must be a string"));
		s = json_string_value(v);
		n = parse_utf8_chars(s, json_string_length(v));
		if ((int64_t)n > f->max)
			return (bad(p, f, "is too long"));
		if (f->min > 0 && parse_blank(s))
			return (bad(p, f, "must not be empty"));
		if (f->max <= 200 && has_control(s))
			return (bad(p, f, "must not contain control "
			    "characters"));
		*out = json_incref(v);
		return (0);
	case F_TIME:
		if (!json_is_string(v) ||
		    timeutil_parse(json_string_value(v), &t) == -1)
			return (bad(p, f, timeutil_parse_why(json_is_string(v) ?
			    json_string_value(v) : NULL)));
		if (timeutil_format(t, buf, sizeof(buf)) == -1)
			return (bad(p, f, "is out of range"));
		*out = json_string(buf);
		return (*out == NULL ? -1 : 0);
	case F_INT:
		if (!json_is_integer(v))
			return (bad(p, f, "must be an integer"));
		t = json_integer_value(v);
		if (t < f->min || t > f->max) {
			problem_set(p, 400, "invalid-field", f->name,
			    "%s: must be from %lld to %lld", f->name,
			    (long long)f->min, (long long)f->max);
			return (-1);
		}
		*out = json_incref(v);
		return (0);
	case F_BOOL:
		if (!json_is_boolean(v))
			return (bad(p, f, "must be true or false"));
		*out = json_incref(v);
		return (0);
	case F_ENUM:
		if (!json_is_string(v) || !parse_in_list(f->values,
		    json_string_value(v)))
			return (bad(p, f, "is not one of the allowed values"));
		*out = json_incref(v);
		return (0);
	case F_SET:
	case F_CODES:
		if (!json_is_array(v))
			return (bad(p, f, "must be an array"));
		if ((int64_t)json_array_size(v) > f->max)
			return (bad(p, f, "has too many items"));
		json_array_foreach(v, i, item) {
			if (!json_is_string(item))
				return (bad(p, f, "items must be strings"));
			s = json_string_value(item);
			if (f->type == F_SET && !parse_in_list(f->values, s))
				return (bad(p, f, "has an item that is not an "
				    "allowed value"));
			if (f->type == F_CODES && !regime_code_valid(s, false))
				return (bad_code(p, f, s));
			for (size_t j = 0; j < i; j++)
				if (strcmp(s, json_string_value(
				    json_array_get(v, j))) == 0)
					return (bad(p, f, "has a duplicate "
					    "item"));
		}
		*out = json_incref(v);
		return (0);
	case F_COUNTS:
		if (!json_is_object(v) || json_object_size(v) > 300)
			return (bad(p, f, "must be an object of at most 300 "
			    "{code: count} members"));
		json_object_foreach(v, s, item) {
			if (!regime_code_valid(s, false))
				return (bad_code(p, f, s));
			if (!json_is_integer(item) ||
			    json_integer_value(item) < 0 ||
			    json_integer_value(item) > f->max)
				return (bad(p, f, "values must be whole numbers "
				    "of people"));
		}
		*out = json_incref(v);
		return (0);
	case F_DATES:
		if (!json_is_object(v))
			return (bad(p, f, "must be an object {kind: "
			    "date-time}"));
		if ((*out = json_object()) == NULL)
			return (-1);
		json_object_foreach(v, s, item) {
			if (!parse_in_list(f->values, s)) {
				json_decref(*out);
				return (bad(p, f, "has an unknown determination "
				    "kind"));
			}
			if (!json_is_string(item) || timeutil_parse(
			    json_string_value(item), &t) == -1) {
				json_decref(*out);
				problem_set(p, 400, "invalid-field", f->name,
				    "%s: %.64s %s", f->name, s,
				    timeutil_parse_why(json_is_string(item) ?
				    json_string_value(item) : NULL));
				return (-1);
			}
			/* Cannot fail: timeutil_parse() takes only what it
			 * can write back. */
			(void)timeutil_format(t, buf, sizeof(buf));
			json_object_set_new(*out, s, json_string(buf));
		}
		return (0);
	case F_USER:
		if (!json_is_string(v) ||
		    !incident_user_name_valid(json_string_value(v)))
			return (bad(p, f, "must be a user name"));
		*out = json_incref(v);
		return (0);
	}
	return (bad(p, f, "is invalid"));
}

int
incident_validate(json_t *body, bool create, json_t **out,
    struct problem *p)
{
	const struct incident_field *f;
	const char *key;
	json_t *v, *nv = NULL, *res;

	if (!json_is_object(body)) {
		problem_set(p, 400, "invalid-json", NULL,
		    "The body must be a JSON object.");
		return (-1);
	}
	if ((res = json_object()) == NULL)
		goto fail;
	json_object_foreach(body, key, v) {
		if (!create && strcmp(key, "status") == 0) {
			if (!json_is_string(v) ||
			    !incident_status_valid(json_string_value(v))) {
				problem_set(p, 400, "invalid-field", "status",
				    "status: is not a lifecycle state");
				goto err;
			}
			if (json_object_set(res, key, v) == -1)
				goto fail;
			continue;
		}
		if ((f = incident_field_find(key)) == NULL) {
			problem_set(p, 400, "invalid-field", key, "%.64s: is not "
			    "a field that can be written", key);
			goto err;
		}
		if (validate_field(f, v, &nv, p) == -1)
			goto err;
		if (json_object_set_new(res, key, nv) == -1)
			goto fail;
	}
	if (create) {
		for (size_t i = 0; i < incident_nfields; i++) {
			f = &incident_fields[i];
			if (json_object_get(res, f->name) != NULL)
				continue;
			if (f->required) {
				problem_set(p, 400, "invalid-field", f->name,
				    "%s: is required", f->name);
				goto err;
			}
			nv = f->dflt != NULL ? json_loads(f->dflt, JSON_DECODE_ANY, NULL) :
			    json_null();
			if (nv == NULL ||
			    json_object_set_new(res, f->name, nv) == -1)
				goto fail;
		}
	}
	*out = res;
	return (0);
fail:
	problem_set(p, 500, "internal", NULL, "Out of memory.");
err:
	json_decref(res);
	return (-1);
}

int64_t
incident_time(const json_t *facts, const char *name)
{
	json_t *v = json_object_get(facts, name);
	int64_t t;

	if (!json_is_string(v) || timeutil_parse(json_string_value(v), &t) ==
	    -1)
		return (INT64_MIN);
	return (t);
}

static int
order(struct problem *p, const char *field, const char *what)
{
	problem_set(p, 422, "constraint-violation", field, "%s: %s", field,
	    what);
	return (-1);
}

int
incident_check(const json_t *facts, int64_t now, struct problem *p)
{
	static const char *const times[] = { "occurred_from", "occurred_to",
		"discovered_at", "aware_at" };
	int64_t from = incident_time(facts, "occurred_from");
	int64_t to = incident_time(facts, "occurred_to");
	int64_t disc = incident_time(facts, "discovered_at");
	int64_t aware = incident_time(facts, "aware_at");
	json_t *dets = json_object_get(facts, "determinations");
	const char *kind;
	json_t *v;
	char field[sizeof(p->field)];
	int64_t t;

	for (size_t i = 0; i < sizeof(times) / sizeof(times[0]); i++) {
		t = incident_time(facts, times[i]);
		if (t != INT64_MIN && t > now + FUTURE_SLACK)
			return (order(p, times[i], "must not be in the "
			    "future"));
	}
	/* A determination is a decision already taken, so in the past too. */
	json_object_foreach(dets, kind, v) {
		if (!json_is_string(v) || timeutil_parse(json_string_value(v),
		    &t) == -1 || t <= now + FUTURE_SLACK)
			continue;
		snprintf(field, sizeof(field), "determinations.%s", kind);
		return (order(p, field, "must not be in the future"));
	}
	if (from != INT64_MIN && to != INT64_MIN && from > to)
		return (order(p, "occurred_to", "must not be before "
		    "occurred_from"));
	if (from != INT64_MIN && disc != INT64_MIN && from > disc)
		return (order(p, "occurred_from", "must not be after "
		    "discovered_at"));
	if (aware != INT64_MIN && disc != INT64_MIN && aware < disc)
		return (order(p, "aware_at", "must not be before "
		    "discovered_at"));
	return (0);
}

static bool
text_given(const json_t *facts, const char *name)
{
	json_t *v = json_object_get(facts, name);

	return (json_is_string(v) && !parse_blank(json_string_value(v)));
}

/*
 * The statuses at or past "confirmed": a breach is known, so the Art. 33
 * clock must have a start for as long as the incident is in one of them.
 */
static const char *const confirmed_values[] = { "confirmed", "contained",
	"closed", NULL };

int
incident_status_check(const char *status, const json_t *facts,
    struct problem *p)
{
	int64_t disc, aware;

	if (parse_in_list(confirmed_values, status)) {
		disc = incident_time(facts, "discovered_at");
		aware = incident_time(facts, "aware_at");
		if (aware == INT64_MIN)
			return (order(p, "aware_at", "is required once a breach "
			    "is confirmed (it starts the Art. 33 clock)"));
		if (disc != INT64_MIN && aware - disc > AWARENESS_GAP &&
		    !text_given(facts, "awareness_justification"))
			return (order(p, "awareness_justification", "is "
			    "required when aware_at is more than 24 hours "
			    "after discovered_at"));
	}
	if (strcmp(status, "not_a_breach") == 0 &&
	    !text_given(facts, "not_a_breach_reason"))
		return (order(p, "not_a_breach_reason", "is required to "
		    "close an incident as not a breach"));
	return (0);
}

int
incident_transition(const char *from, const char *to, const json_t *facts,
    struct problem *p)
{
	static const char *const edges[][2] = {
		{ "suspected", "investigating" },
		{ "investigating", "confirmed" },
		{ "investigating", "not_a_breach" },
		{ "confirmed", "contained" },
		{ "contained", "closed" },
	};

	for (size_t i = 0; i < sizeof(edges) / sizeof(edges[0]); i++)
		if (strcmp(edges[i][0], from) == 0 &&
		    strcmp(edges[i][1], to) == 0)
			return (incident_status_check(to, facts, p));
	problem_set(p, 409, "illegal-transition", "status",
	    "An incident cannot go from %s to %s.", from, to);
	return (-1);
}
