/* register: the breach register as CSV, HTML or JSON (see register.h). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "register.h"

#define BUF_MIN 4096

enum section {
	S_FACTS,
	S_EFFECTS,
	S_DECISIONS,
	S_REMEDIAL,
	S_NSECTIONS
};

/* The members of an entry, in order: the CSV columns and HTML fields. */
static const struct {
	const char *name;
	const char *label;
	enum section section;
} columns[] = {
	{ "id", "Id", S_FACTS },
	{ "ref", "Reference", S_FACTS },
	{ "title", "Title", S_FACTS },
	{ "status", "Status", S_FACTS },
	{ "cause", "Cause", S_FACTS },
	{ "cyber_incident", "Cyber incident", S_FACTS },
	{ "discovered_at", "Discovered", S_FACTS },
	{ "aware_at", "Aware", S_FACTS },
	{ "occurred_from", "Occurred from", S_FACTS },
	{ "occurred_to", "Occurred to", S_FACTS },
	{ "reported_at", "Reported", S_FACTS },
	{ "description", "Description", S_FACTS },
	{ "how_discovered", "How discovered", S_FACTS },
	{ "role", "Our role", S_FACTS },
	{ "controller_name", "Controller", S_FACTS },
	{ "jurisdictions", "Jurisdictions", S_FACTS },
	{ "data_categories", "Data categories", S_FACTS },
	{ "subject_categories", "Data subjects", S_FACTS },
	{ "likely_consequences", "Likely consequences", S_EFFECTS },
	{ "subjects_count", "People affected", S_EFFECTS },
	{ "records_count", "Records affected", S_EFFECTS },
	{ "confidentiality_impact", "Confidentiality lost", S_EFFECTS },
	{ "integrity_impact", "Integrity lost", S_EFFECTS },
	{ "availability_impact", "Availability lost", S_EFFECTS },
	{ "encryption", "Encryption", S_EFFECTS },
	{ "risk", "Risk decision", S_DECISIONS },
	{ "risk_rationale", "Risk rationale", S_DECISIONS },
	{ "risk_decided_at", "Risk decided", S_DECISIONS },
	{ "risk_decided_by", "Risk decided by", S_DECISIONS },
	{ "not_a_breach_reason", "Not a breach because", S_DECISIONS },
	{ "obligations", "Notifications", S_DECISIONS },
	{ "measures_taken", "Measures taken", S_REMEDIAL },
	{ "measures_proposed", "Measures proposed", S_REMEDIAL },
};

#define NCOLUMNS (sizeof(columns) / sizeof(columns[0]))

static const char *const section_titles[S_NSECTIONS] = {
	"Facts", "Effects", "Decisions", "Remedial action"
};

const char REGISTER_HTML_STYLE[] =
	"body{font:11pt/1.4 system-ui,sans-serif;margin:2em;color:#111}"
	"h1{font-size:18pt;margin:0 0 .2em}"
	"h2{font-size:13pt;margin:1.5em 0 .3em;border-bottom:1px solid #888}"
	"h3{font-size:10pt;margin:.8em 0 .2em;text-transform:uppercase;"
	"letter-spacing:.05em;color:#444}"
	"section{break-inside:avoid-page}"
	"dl{display:grid;grid-template-columns:12em 1fr;gap:.1em 1em;"
	"margin:0}"
	"dt{font-weight:600}dd{margin:0;white-space:pre-wrap}"
	"ul{margin:0;padding-left:1.2em}"
	".none{color:#777}"
	"@media print{body{margin:0}h2{break-after:avoid}}";

void
register_buf_init(struct register_buf *b, size_t max)
{
	b->p = NULL;
	b->len = b->cap = 0;
	b->max = max;
}

void
register_buf_release(struct register_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

int
register_buf_add(struct register_buf *b, const char *s, size_t n)
{
	size_t cap;
	char *np;

	if (n > b->max - b->len)
		return (-1);
	if (n == 0)
		return (0);     /* b->p may still be NULL: no memcpy */
	if (n > b->cap - b->len) {
		cap = b->cap < BUF_MIN ? BUF_MIN : b->cap;
		while (cap - b->len < n)
			cap = cap > b->max / 2 ? b->max : cap * 2;
		if ((np = realloc(b->p, cap)) == NULL)
			return (-1);
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	return (0);
}

static int
add(struct register_buf *b, const char *s)
{
	return (register_buf_add(b, s, strlen(s)));
}

int
register_format_parse(const char *s, enum register_format *out)
{
	if (strcmp(s, "json") == 0)
		*out = REGISTER_JSON;
	else if (strcmp(s, "csv") == 0)
		*out = REGISTER_CSV;
	else if (strcmp(s, "html") == 0)
		*out = REGISTER_HTML;
	else
		return (-1);
	return (0);
}

const char *
register_content_type(enum register_format f)
{
	switch (f) {
	case REGISTER_CSV:
		return ("text/csv; charset=utf-8; header=present");
	case REGISTER_HTML:
		return ("text/html; charset=utf-8");
	case REGISTER_JSON:
		break;
	}
	return ("application/json");
}

int
register_csv_field(struct register_buf *b, const char *s)
{
	bool quote = strpbrk(s, ",\"\r\n") != NULL;
	const char *q;

	if (quote && add(b, "\"") == -1)
		return (-1);
	if (strchr("=+-@\t\r", s[0]) != NULL && s[0] != '\0' &&
	    add(b, "'") == -1)
		return (-1);
	while (quote && (q = strchr(s, '"')) != NULL) {
		if (register_buf_add(b, s, (size_t)(q - s) + 1) == -1 ||
		    add(b, "\"") == -1)
			return (-1);
		s = q + 1;
	}
	if (add(b, s) == -1 || (quote && add(b, "\"") == -1))
		return (-1);
	return (0);
}

int
register_html_escape(struct register_buf *b, const char *s)
{
	const char *run = s, *rep;

	for (; *s != '\0'; s++) {
		switch (*s) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '"':
			rep = "&quot;";
			break;
		case '\'':
			rep = "&#39;";
			break;
		default:
			continue;
		}
		if (register_buf_add(b, run, (size_t)(s - run)) == -1 ||
		    add(b, rep) == -1)
			return (-1);
		run = s + 1;
	}
	return (register_buf_add(b, run, (size_t)(s - run)));
}

/* One obligation as a line of text: "regime phase: state, due T[, met
 * T][, ref R]". */
static int
obligation_text(struct register_buf *b, const json_t *o)
{
	const char *met = json_string_value(json_object_get(o, "met_at"));
	const char *ref = json_string_value(json_object_get(o, "reference"));
	const char *parts[] = {
		json_string_value(json_object_get(o, "regime_id")), " ",
		json_string_value(json_object_get(o, "phase")), ": ",
		json_string_value(json_object_get(o, "state")), ", due ",
		json_string_value(json_object_get(o, "due_at")),
	};

	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		if (parts[i] == NULL || add(b, parts[i]) == -1)
			return (-1);
	if (met != NULL && (add(b, ", met ") == -1 || add(b, met) == -1))
		return (-1);
	if (ref != NULL && (add(b, ", ref ") == -1 || add(b, ref) == -1))
		return (-1);
	return (0);
}

/*
 * A member as plain text into t (emptied first): strings as they are,
 * numbers in decimal, booleans true/false, lists joined with "; ",
 * obligations one per line; null is empty.
 */
static int
cell_text(struct register_buf *t, const json_t *v)
{
	char num[32];
	size_t i;
	json_t *item;

	t->len = 0;
	if (v == NULL)
		return (register_buf_add(t, "", 1) == -1 ? -1 : 0);
	switch (json_typeof(v)) {
	case JSON_STRING:
		if (add(t, json_string_value(v)) == -1)
			return (-1);
		break;
	case JSON_INTEGER:
		snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		if (add(t, num) == -1)
			return (-1);
		break;
	case JSON_TRUE:
		if (add(t, "true") == -1)
			return (-1);
		break;
	case JSON_FALSE:
		if (add(t, "false") == -1)
			return (-1);
		break;
	case JSON_ARRAY:
		json_array_foreach(v, i, item) {
			if (i > 0 && add(t, json_is_object(item) ? "\n" :
			    "; ") == -1)
				return (-1);
			if (json_is_object(item) ? obligation_text(t, item) ==
			    -1 : add(t, json_string_value(item) != NULL ?
			    json_string_value(item) : "") == -1)
				return (-1);
		}
		break;
	default:
		break;
	}
	return (register_buf_add(t, "", 1) == -1 ? -1 : 0);
}

static int
csv_entry(struct register_buf *b, const json_t *entry)
{
	struct register_buf t;
	int rc = -1;

	register_buf_init(&t, b->max);
	for (size_t i = 0; i < NCOLUMNS; i++) {
		if (cell_text(&t, json_object_get(entry, columns[i].name)) ==
		    -1 || (i > 0 && add(b, ",") == -1) ||
		    register_csv_field(b, t.p) == -1)
			goto out;
	}
	rc = add(b, "\r\n");
out:
	register_buf_release(&t);
	return (rc);
}

/* A value for the page: text escaped, null as "Not recorded", booleans
 * as Yes/No, obligations as a list. */
static int
html_value(struct register_buf *b, struct register_buf *t, const json_t *v)
{
	size_t i;
	json_t *o;

	if (json_is_null(v) || v == NULL)
		return (add(b, "<span class=\"none\">Not recorded</span>"));
	if (json_is_boolean(v))
		return (add(b, json_is_true(v) ? "Yes" : "No"));
	if (json_is_array(v) && json_array_size(v) == 0)
		return (add(b, "<span class=\"none\">None</span>"));
	if (json_is_array(v) && json_is_object(json_array_get(v, 0))) {
		if (add(b, "<ul>") == -1)
			return (-1);
		json_array_foreach(v, i, o) {
			t->len = 0;
			if (obligation_text(t, o) == -1 ||
			    register_buf_add(t, "", 1) == -1 ||
			    add(b, "<li>") == -1 ||
			    register_html_escape(b, t->p) == -1 ||
			    add(b, "</li>") == -1)
				return (-1);
		}
		return (add(b, "</ul>"));
	}
	if (cell_text(t, v) == -1)
		return (-1);
	return (register_html_escape(b, t->p));
}

static int
html_entry(struct register_buf *b, const json_t *entry)
{
	const char *ref = json_string_value(json_object_get(entry, "ref"));
	const char *title = json_string_value(json_object_get(entry, "title"));
	struct register_buf t;
	int section = -1, rc = -1;

	register_buf_init(&t, b->max);
	if (ref == NULL || title == NULL)
		goto out;
	if (add(b, "<section>\n<h2>") == -1 ||
	    register_html_escape(b, ref) == -1 ||
	    add(b, " \xe2\x80\x94 ") == -1 ||
	    register_html_escape(b, title) == -1 || add(b, "</h2>\n") == -1)
		goto out;
	for (size_t i = 0; i < NCOLUMNS; i++) {
		if ((int)columns[i].section != section) {
			if ((section >= 0 && add(b, "</dl>\n") == -1) ||
			    add(b, "<h3>") == -1 ||
			    add(b, section_titles[columns[i].section]) == -1 ||
			    add(b, "</h3>\n<dl>\n") == -1)
				goto out;
			section = (int)columns[i].section;
		}
		if (add(b, "<dt>") == -1 || add(b, columns[i].label) == -1 ||
		    add(b, "</dt><dd>") == -1 || html_value(b, &t,
		    json_object_get(entry, columns[i].name)) == -1 ||
		    add(b, "</dd>\n") == -1)
			goto out;
	}
	rc = add(b, "</dl>\n</section>\n");
out:
	register_buf_release(&t);
	return (rc);
}

int
register_head(enum register_format f, struct register_buf *b,
    const char *from, const char *to, const char *generated)
{
	json_t *o;
	char *text;
	size_t n;
	int rc;

	switch (f) {
	case REGISTER_CSV:
		for (size_t i = 0; i < NCOLUMNS; i++)
			if ((i > 0 && add(b, ",") == -1) ||
			    add(b, columns[i].name) == -1)
				return (-1);
		return (add(b, "\r\n"));
	case REGISTER_HTML:
		if (add(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
		    "<meta charset=\"utf-8\">\n<title>Breach register</title>\n"
		    "<style>") == -1 || add(b, REGISTER_HTML_STYLE) == -1 ||
		    add(b, "</style>\n</head>\n<body>\n<header>\n"
		    "<h1>Breach register</h1>\n<p>Personal data breaches and "
		    "suspected breaches (UK GDPR Art. 33(5)): the facts, their "
		    "effects, the decisions taken and the remedial action. "
		    "Discovered from ") == -1 ||
		    register_html_escape(b, from != NULL ? from :
		    "the first record") == -1 || add(b, " to ") == -1 ||
		    register_html_escape(b, to != NULL ? to : "the last record")
		    == -1 || add(b, ". Generated ") == -1 ||
		    register_html_escape(b, generated) == -1 ||
		    add(b, ".</p>\n</header>\n<main>\n") == -1)
			return (-1);
		return (0);
	case REGISTER_JSON:
		break;
	}
	/* The envelope without its items, then reopened at "items":[. */
	o = json_pack("{s:o, s:o, s:s, s:[]}", "from", from != NULL ?
	    json_string(from) : json_null(), "to", to != NULL ? json_string(to) :
	    json_null(), "generated_at", generated, "items");
	if (o == NULL || (text = json_dumps(o, JSON_COMPACT)) == NULL) {
		json_decref(o);
		return (-1);
	}
	json_decref(o);
	n = strlen(text);
	/* text ends with "[]}"; keep it up to and including the '['. */
	rc = n >= 3 && strcmp(text + n - 3, "[]}") == 0 ?
	    register_buf_add(b, text, n - 2) : -1;
	free(text);
	return (rc);
}

int
register_entry(enum register_format f, struct register_buf *b,
    const json_t *entry, int64_t n)
{
	char *text;
	int rc;

	switch (f) {
	case REGISTER_CSV:
		return (csv_entry(b, entry));
	case REGISTER_HTML:
		return (html_entry(b, entry));
	case REGISTER_JSON:
		break;
	}
	if ((text = json_dumps(entry, JSON_COMPACT)) == NULL)
		return (-1);
	rc = (n > 0 && add(b, ",") == -1) || add(b, text) == -1 ? -1 : 0;
	free(text);
	return (rc);
}

int
register_foot(enum register_format f, struct register_buf *b,
    int64_t count)
{
	char line[96];

	switch (f) {
	case REGISTER_CSV:
		return (0);
	case REGISTER_HTML:
		snprintf(line, sizeof(line), "<footer><p>%lld incident%s.</p>"
		    "</footer>\n", (long long)count, count == 1 ? "" : "s");
		if (count == 0 && add(b, "<p>No incidents were discovered in "
		    "this period.</p>\n") == -1)
			return (-1);
		if (add(b, "</main>\n") == -1 || add(b, line) == -1)
			return (-1);
		return (add(b, "</body>\n</html>\n"));
	case REGISTER_JSON:
		break;
	}
	return (add(b, "]}"));
}
