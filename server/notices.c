/* notices: the view of an incident that the notice templates read, and the
 * rendering of a draft from a template file. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "notices.h"
#include "parse.h"
#include "regime.h"
#include "store.h"
#include "store_api.h"
#include "timeutil.h"

#define REGIME_ICO "uk_gdpr_art33_ico"
#define REGIME_PROCESSOR "uk_gdpr_art33_2_processor"
#define REGIME_ART34_UK "uk_gdpr_art34_individuals"
#define REGIME_ART34_EU "eu_gdpr_art34_ds"

static char template_dir[1024];

static const char *const kinds[] = { "ico_report", "art34_letter",
	"controller_notice", "regulator_notice", NULL };

/* Fact values and the words the drafts use for them (the ICO's tick-list
 * wording where the form has one). */
struct label {
	const char *value, *text;
};

static const struct label data_labels[] = {
	{ "basic_identifiers", "Basic personal identifiers" },
	{ "contact_details", "Contact details" },
	{ "identification_documents", "Official documents" },
	{ "credentials", "Identification data (usernames, passwords)" },
	{ "financial", "Economic and financial data" },
	{ "location", "Location data" },
	{ "communications", "Communications content" },
	{ "children", "Data about children" },
	{ "other", "Other" },
	{ NULL, NULL },
};

/* Special category data (Art. 9) and criminal offence data (Art. 10). */
static const struct label special_labels[] = {
	{ "health", "Health data" },
	{ "genetic", "Genetic data" },
	{ "biometric", "Biometric data" },
	{ "racial_ethnic_origin", "Racial or ethnic origin" },
	{ "political_opinions", "Political opinions" },
	{ "religious_beliefs", "Religious or philosophical beliefs" },
	{ "trade_union", "Trade union membership" },
	{ "sex_life_orientation", "Sex life or sexual orientation" },
	{ "criminal_offence", "Criminal convictions and offences" },
	{ NULL, NULL },
};

static const struct label subject_labels[] = {
	{ "employees", "Employees" },
	{ "customers", "Customers" },
	{ "prospective_customers", "Prospective customers" },
	{ "children", "Children" },
	{ "vulnerable_adults", "Vulnerable adults" },
	{ "patients", "Patients" },
	{ "students", "Students or pupils" },
	{ "users", "Users" },
	{ "members", "Members or supporters" },
	{ "suppliers", "Suppliers" },
	{ "other", "Other" },
	{ "unknown", "Not yet known" },
	{ NULL, NULL },
};

static const struct label encryption_labels[] = {
	{ "none", "Not encrypted" },
	{ "key_safe", "Encrypted; the key was not compromised" },
	{ "key_compromised", "Encrypted, but the key was compromised" },
	{ NULL, NULL },
};

/* Art. 34(3) conditions. */
static const struct label exemption_labels[] = {
	{ "a", "Art. 34(3)(a): the controller had implemented appropriate "
	    "technical and organisational protection measures, applied to the "
	    "personal data affected, that render it unintelligible to anyone "
	    "not authorised to access it, such as encryption" },
	{ "b", "Art. 34(3)(b): the controller has taken subsequent measures "
	    "which ensure that the high risk to the rights and freedoms of the "
	    "people affected is no longer likely to materialise" },
	{ "c", "Art. 34(3)(c): telling each person would involve "
	    "disproportionate effort; a public communication or similar "
	    "measure informs them in an equally effective manner instead" },
	{ NULL, NULL },
};

/*
 * The laws a draft can cite for the people affected (Art. 34) and for a
 * processor (Art. 33(2)), UK GDPR or EU GDPR: the regime of the duty, the
 * jurisdiction entry where it applies (regime_code_matches()), the words
 * the drafts cite it by, and its flag in the view (the templates hold the
 * complaint route that goes with each flag).
 */
struct law {
	const char *regime, *place, *cite, *flag;
};

static const struct law art34_laws[] = {
	{ REGIME_ART34_UK, "GB", "UK GDPR Art. 34(3)", "uk" },
	{ REGIME_ART34_EU, "EEA", "GDPR Art. 34(3)", "eu" },
	{ NULL, NULL, NULL, NULL },
};

static const struct law processor_laws[] = {
	{ REGIME_PROCESSOR, "GB", "UK GDPR Art. 33(2)", "uk" },
	{ "eu_gdpr_art33_2_processor", "EEA", "GDPR Art. 33(2)", "eu" },
	{ NULL, NULL, NULL, NULL },
};

void
notices_set_dir(const char *dir)
{
	snprintf(template_dir, sizeof(template_dir), "%s", dir);
}

const char *
notices_dir(void)
{
	return (template_dir);
}

bool
notices_kind_valid(const char *kind)
{
	return (parse_in_list(kinds, kind));
}

const char *const notices_art34[] = { REGIME_ART34_UK, REGIME_ART34_EU,
	NULL };

bool
notices_is_art34(const char *regime_id)
{
	return (parse_in_list(notices_art34, regime_id));
}

const char *
notices_kind_for(const char *regime_id)
{
	if (regime_id != NULL && strcmp(regime_id, REGIME_ICO) == 0)
		return ("ico_report");
	if (notices_is_art34(regime_id))
		return ("art34_letter");
	if (regime_id != NULL && strcmp(regime_id, REGIME_PROCESSOR) == 0)
		return ("controller_notice");
	return ("regulator_notice");
}

void
notice_release(struct notice *n)
{
	free(n->text);
	memset(n, 0, sizeof(*n));
}

static const char *
label_of(const struct label *l, const char *value)
{
	for (; value != NULL && l->value != NULL; l++)
		if (strcmp(l->value, value) == 0)
			return (l->text);
	return (NULL);
}

/* "2026-03-01T14:05:00Z" as "2026-03-01 14:05 UTC", or null. */
static json_t *
when(const json_t *v)
{
	const char *s = json_string_value(v);
	char buf[32];

	if (s == NULL || strlen(s) != 20)
		return (json_null());
	snprintf(buf, sizeof(buf), "%.10s %.5s UTC", s, s + 11);
	return (json_string(buf));
}

/* The labels of the members of set that l names, as a new array. */
static json_t *
labels(const json_t *set, const struct label *l)
{
	json_t *a = json_array(), *e;
	const char *t;
	size_t i;

	json_array_foreach(set, i, e)
		if ((t = label_of(l, json_string_value(e))) != NULL)
			json_array_append_new(a, json_string(t));
	return (a);
}

static json_t *
string_or_null(const char *s)
{
	return (s != NULL ? json_string(s) : json_null());
}

/* A copy of member key of o, or null. */
static json_t *
copy(const json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return (v != NULL ? json_incref(v) : json_null());
}

/* Is s a member of the array set? */
static bool
member(const json_t *set, const char *s)
{
	const json_t *e;
	size_t i;

	json_array_foreach(set, i, e)
		if (strcmp(json_string_value(e), s) == 0)
			return (true);
	return (false);
}

/* The incident's facts as the templates read them. */
static json_t *
incident_view(const json_t *inc)
{
	static const char *const texts[] = { "id", "ref", "title",
		"description", "status", "risk", "role", "controller_name",
		"controller_notice_hours", "how_discovered",
		"awareness_justification", "subjects_count", "records_count",
		"likely_consequences", "measures_taken", "measures_proposed",
		"dpo_contact", "jurisdictions", "reporter", "assignee",
		"version", NULL };
	static const char *const times[] = { "occurred_from", "occurred_to",
		"discovered_at", "aware_at", NULL };
	const char *cyber = json_string_value(json_object_get(inc,
	    "cyber_incident"));
	json_t *v = json_object(), *impacts = json_array();

	for (size_t i = 0; texts[i] != NULL; i++)
		json_object_set_new(v, texts[i], copy(inc, texts[i]));
	for (size_t i = 0; times[i] != NULL; i++)
		json_object_set_new(v, times[i],
		    when(json_object_get(inc, times[i])));
	json_object_set_new(v, "cyber_incident", cyber == NULL ||
	    strcmp(cyber, "unknown") == 0 ? json_null() :
	    json_string(strcmp(cyber, "yes") == 0 ? "Yes" : "No"));
	json_object_set_new(v, "data_categories",
	    labels(json_object_get(inc, "data_categories"), data_labels));
	json_object_set_new(v, "special_categories",
	    labels(json_object_get(inc, "data_categories"), special_labels));
	json_object_set_new(v, "subject_categories",
	    labels(json_object_get(inc, "subject_categories"),
	    subject_labels));
	json_object_set_new(v, "encryption", string_or_null(label_of(
	    encryption_labels, json_string_value(json_object_get(inc,
	    "encryption")))));
	if (json_is_true(json_object_get(inc, "confidentiality_impact")))
		json_array_append_new(impacts, json_string("confidentiality "
		    "(disclosed to or accessed by someone not entitled to it)"));
	if (json_is_true(json_object_get(inc, "integrity_impact")))
		json_array_append_new(impacts, json_string("integrity "
		    "(altered)"));
	if (json_is_true(json_object_get(inc, "availability_impact")))
		json_array_append_new(impacts, json_string("availability "
		    "(lost, or access lost)"));
	json_object_set_new(v, "impacts", impacts);
	json_object_set_new(v, "credentials_involved", json_boolean(
	    member(json_object_get(inc, "data_categories"), "credentials")));
	json_object_set_new(v, "financial_involved", json_boolean(
	    member(json_object_get(inc, "data_categories"), "financial")));
	return (v);
}

/* An obligation as the templates read it. */
static json_t *
obligation_view(const json_t *ob)
{
	const char *state = json_string_value(json_object_get(ob, "state"));

	return (json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, "
	    "s:o, s:b, s:b, s:b, s:b}",
	    "regime_name", copy(ob, "regime_name"),
	    "phase_name", copy(ob, "phase_name"),
	    "recipient", copy(ob, "recipient"),
	    "state", copy(ob, "state"),
	    "starts_at", when(json_object_get(ob, "starts_at")),
	    "due_at", when(json_object_get(ob, "due_at")),
	    "met_at", when(json_object_get(ob, "met_at")),
	    "reference", copy(ob, "reference"),
	    "delay_reason", copy(ob, "delay_reason"),
	    "waive_reason", copy(ob, "waive_reason"),
	    "met", state != NULL && strcmp(state, "met") == 0,
	    "waived", state != NULL && strcmp(state, "waived") == 0,
	    "pending", state != NULL && (strcmp(state, "pending") == 0 ||
	    strcmp(state, "missed") == 0),
	    "not_required", state != NULL && strcmp(state, "not_required") ==
	    0));
}

/* The first obligation of regime_id in obs (borrowed), or NULL. */
static const json_t *
find_obligation(const json_t *obs, const char *regime_id)
{
	const json_t *ob;
	size_t i;

	json_array_foreach(obs, i, ob)
		if (strcmp(json_string_value(json_object_get(ob, "regime_id")),
		    regime_id) == 0)
			return (ob);
	return (NULL);
}

/* Does one of the incident's jurisdictions fall within place? */
static bool
in_place(const json_t *inc, const char *place)
{
	const json_t *e;
	const char *code;
	size_t i;

	json_array_foreach(json_object_get(inc, "jurisdictions"), i, e)
		if ((code = json_string_value(e)) != NULL &&
		    strlen(code) >= 2 && regime_code_matches(place, code))
			return (true);
	return (false);
}

/*
 * The laws of table a draft cites, as a new object {cite: [...], uk: true,
 * eu: true} (a flag only for a law that applies): the laws of the
 * incident's obligations under table's regimes, else (no such obligation
 * yet) those where the people affected are; null when neither names one.
 */
static json_t *
law_view(const struct law *table, const json_t *obs, const json_t *inc)
{
	json_t *v = json_object(), *cite = json_array();
	const struct law *l;
	bool on;

	for (int pass = 0; pass < 2 && json_array_size(cite) == 0; pass++)
		for (l = table; l->regime != NULL; l++) {
			on = pass == 0 ? find_obligation(obs, l->regime) !=
			    NULL : in_place(inc, l->place);
			if (!on)
				continue;
			json_array_append_new(cite, json_string(l->cite));
			json_object_set_new(v, l->flag, json_true());
		}
	if (json_array_size(cite) == 0) {
		json_decref(cite);
		json_decref(v);
		return (json_null());
	}
	json_object_set_new(v, "cite", cite);
	return (v);
}

/* The ICO report's type, case reference and delay. */
static json_t *
report_view(const json_t *ico, int64_t now)
{
	const char *state = json_string_value(json_object_get(ico, "state"));
	int64_t due = INT64_MIN, met = INT64_MIN;
	bool follow_up = state != NULL && strcmp(state, "met") == 0;
	bool late;

	(void)timeutil_parse(json_string_value(json_object_get(ico, "due_at")),
	    &due);
	(void)timeutil_parse(json_string_value(json_object_get(ico, "met_at")),
	    &met);
	late = due != INT64_MIN && (follow_up ? met > due : now > due);
	return (json_pack("{s:s, s:b, s:o, s:b, s:o, s:o}",
	    "type", follow_up ? "Follow-up report" : "Initial report",
	    "follow_up", follow_up,
	    "case_reference", copy(ico, "reference"),
	    "late", late,
	    "delay_reason", copy(ico, "delay_reason"),
	    "due_at", when(json_object_get(ico, "due_at"))));
}

/* Who else has been told: met obligations other than skip and the duties
 * to tell the people affected. */
static json_t *
told_view(const json_t *obs, const char *skip)
{
	json_t *a = json_array();
	const json_t *ob;
	const char *id;
	size_t i;

	json_array_foreach(obs, i, ob) {
		id = json_string_value(json_object_get(ob, "regime_id"));
		if (strcmp(id, skip) == 0 || notices_is_art34(id) ||
		    strcmp(json_string_value(json_object_get(ob, "state")),
		    "met") != 0)
			continue;
		json_array_append_new(a, obligation_view(ob));
	}
	return (a);
}

/* The whole context of a draft into *out (new); 1 if the incident or the
 * regime does not exist. */
static int
build_view(struct store *s, int64_t incident_id, const char *kind,
    const char *regime_id, int64_t now, json_t **out, int64_t *version,
    char *ref, size_t reflen, char *why, size_t whylen)
{
	json_t *inc = NULL, *obs = NULL, *regimes = NULL, *ex = NULL, *v = NULL;
	const json_t *ico, *art34 = NULL, *proc = NULL, *mine = NULL;
	const json_t *reg = NULL;
	int rc = -1;

	*out = NULL;
	if (store_incident_get(s, incident_id, &inc, NULL) == -1)
		return (-1);
	if (inc == NULL) {
		snprintf(why, whylen, "There is no incident %lld.",
		    (long long)incident_id);
		return (1);
	}
	if (regime_id != NULL) {
		if (store_regime_list(s, regime_id, &regimes) == -1)
			goto out;
		if ((reg = json_array_get(regimes, 0)) == NULL) {
			snprintf(why, whylen, "There is no regime %.64s.",
			    regime_id);
			rc = 1;
			goto out;
		}
	}
	if (store_obligation_list(s, incident_id, 0, now, &obs) == -1 ||
	    store_art34_exemption_get(s, incident_id, &ex) == -1)
		goto out;
	ico = find_obligation(obs, REGIME_ICO);
	for (size_t i = 0; art34 == NULL && notices_art34[i] != NULL; i++)
		art34 = find_obligation(obs, notices_art34[i]);
	for (size_t i = 0; proc == NULL && processor_laws[i].regime != NULL;
	    i++)
		proc = find_obligation(obs, processor_laws[i].regime);
	if (regime_id != NULL)
		mine = find_obligation(obs, regime_id);
	if (ex != NULL) {
		json_object_set_new(ex, "condition", json_string(label_of(
		    exemption_labels, json_string_value(json_object_get(ex,
		    "exemption")))));
		json_object_set_new(ex, "decided_at",
		    when(json_object_get(ex, "decided_at")));
	}
	*version = json_integer_value(json_object_get(inc, "version"));
	snprintf(ref, reflen, "%s", json_string_value(json_object_get(inc,
	    "ref")));
	v = json_pack("{s:s, s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, "
	    "s:o, s:o, s:o, s:o, s:o}",
	    "kind", kind,
	    "incident_version", (json_int_t)*version,
	    "incident", incident_view(inc),
	    "report", report_view(ico, now),
	    "ico", ico != NULL ? obligation_view(ico) : json_null(),
	    "art34", art34 != NULL ? obligation_view(art34) : json_null(),
	    "processor", proc != NULL ? obligation_view(proc) : json_null(),
	    "others_told", told_view(obs, REGIME_ICO),
	    "exemption", ex != NULL ? json_incref(ex) : json_null(),
	    "regime", reg != NULL ? json_pack("{s:o, s:o, s:o, s:o, s:o, "
	    "s:o, s:o, s:o}", "id", copy(reg, "id"), "name", copy(reg, "name"),
	    "jurisdiction", copy(reg, "jurisdiction"),
	    "legal_source", copy(reg, "legal_source"),
	    "recipient", copy(reg, "recipient"),
	    "clock_start", copy(reg, "clock_start"),
	    "deadline", copy(reg, "deadline"),
	    "citation_url", copy(reg, "citation_url")) : json_null(),
	    "obligation", mine != NULL ? obligation_view(mine) : json_null(),
	    "people_told", art34 != NULL ? obligation_view(art34) :
	    json_null(),
	    "art34_law", law_view(art34_laws, obs, inc),
	    "processor_law", law_view(processor_laws, obs, inc));
	if (v == NULL)
		goto out;
	*out = v;
	rc = 0;
out:
	json_decref(inc);
	json_decref(obs);
	json_decref(regimes);
	json_decref(ex);
	return (rc);
}

/* Read the template file of kind in format f into a new template. */
static struct tmpl *
load(const char *kind, enum tmpl_format f)
{
	static const char *const ext[] = { "txt", "md", "html" };
	char path[sizeof(template_dir) + 64], err[TMPL_ERR_MAX];
	char *src = NULL;
	struct tmpl *t = NULL;
	size_t n = 0;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s.%s", template_dir, kind, ext[f]);
	if ((fp = fopen(path, "r")) == NULL) {
		log_event(LOG_ERROR, "cannot open a notice template", "path",
		    path, "error", strerror(errno), NULL);
		return (NULL);
	}
	if ((src = malloc(TMPL_SRC_MAX + 1)) == NULL)
		goto out;
	n = fread(src, 1, TMPL_SRC_MAX + 1, fp);
	if (ferror(fp) || n > TMPL_SRC_MAX) {
		log_event(LOG_ERROR, "cannot read a notice template", "path",
		    path, "error", ferror(fp) ? "read error" : "too large",
		    NULL);
		goto out;
	}
	if ((t = tmpl_parse(src, n, err, sizeof(err))) == NULL)
		log_event(LOG_ERROR, "bad notice template", "path", path,
		    "error", err, NULL);
out:
	free(src);
	fclose(fp);
	return (t);
}

int
notices_render(struct store *s, int64_t incident_id, const char *kind,
    const char *regime_id, enum tmpl_format f, int64_t now, struct notice *n,
    char *why, size_t whylen)
{
	static const char *const ext[] = { "txt", "md", "html" };
	char ref[32], err[TMPL_ERR_MAX];
	struct tmpl *t = NULL;
	json_t *view = NULL;
	int rc;

	memset(n, 0, sizeof(*n));
	if (!notices_kind_valid(kind))
		return (-1);
	if ((rc = build_view(s, incident_id, kind, regime_id, now, &view,
	    &n->incident_version, ref, sizeof(ref), why, whylen)) != 0)
		return (rc);
	rc = -1;
	json_object_set_new(view, "format", json_string(f == TMPL_TEXT ?
	    "text" : f == TMPL_MARKDOWN ? "markdown" : "html"));
	if ((t = load(kind, f)) == NULL)
		goto out;
	if (tmpl_render(t, view, f, NOTICES_OUT_MAX, &n->text, &n->len, err,
	    sizeof(err)) == -1) {
		log_event(LOG_ERROR, "cannot render a notice", "kind", kind,
		    "error", err, NULL);
		goto out;
	}
	snprintf(n->filename, sizeof(n->filename), "%s-%s.%s", ref, kind,
	    ext[f]);
	rc = 0;
out:
	tmpl_free(t);
	json_decref(view);
	return (rc);
}

int
notices_for_obligation(struct store *s, int64_t incident_id,
    const json_t *ob, int64_t now, json_t **out)
{
	const char *regime_id = json_string_value(json_object_get(ob,
	    "regime_id"));
	const char *kind = notices_kind_for(regime_id);
	struct notice n;
	char why[128];
	int rc;

	*out = NULL;
	if (regime_id == NULL)
		return (0);
	rc = notices_render(s, incident_id, kind, strcmp(kind,
	    "regulator_notice") == 0 ? regime_id : NULL, TMPL_TEXT, now, &n,
	    why, sizeof(why));
	if (rc != 0)
		return (0);	/* logged; the alert goes without it */
	*out = json_pack("{s:s, s:s, s:s, s:s%, s:I}", "kind", kind,
	    "format", "text", "filename", n.filename, "body", n.text, n.len,
	    "incident_version", (json_int_t)n.incident_version);
	notice_release(&n);
	return (*out != NULL ? 0 : -1);
}
