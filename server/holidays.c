/*
 * holidays: the GOV.UK bank-holidays.json import (see holidays.h).
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "holidays.h"
#include "timeutil.h"

/* GOV.UK division names and the holiday set ids they become. */
static const struct {
	const char *division;
	const char *set;
} divisions[] = {
	{ "england-and-wales",	"gb-eaw" },
	{ "scotland",		"gb-sct" },
	{ "northern-ireland",	"gb-ni" },
};
#define NDIVISIONS	(sizeof(divisions) / sizeof(divisions[0]))

/* One parsed event, for sorting and the duplicate check. */
struct event {
	int64_t		 day;
	size_t		 idx;	/* index in "events" */
	json_t		*date;	/* borrowed */
	json_t		*title;	/* borrowed */
};

static void	seterr(char *, size_t, const char *, ...)
		    __attribute__((format(printf, 3, 4)));

static void
seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	(void)vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static int
digits(const char *s, size_t n, unsigned *out)
{
	unsigned v = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return (-1);
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	*out = v;
	return (0);
}

int
holidays_parse_day(const char *s, int64_t *day)
{
	unsigned y, m, d;

	if (s == NULL || strnlen(s, 11) != 10 || s[4] != '-' || s[7] != '-')
		return (-1);
	if (digits(s, 4, &y) == -1 || digits(s + 5, 2, &m) == -1 ||
	    digits(s + 8, 2, &d) == -1)
		return (-1);
	if (y < HOLIDAYS_YEAR_MIN || y > HOLIDAYS_YEAR_MAX || m < 1 ||
	    m > 12 || d < 1 || d > timeutil_days_in_month(y, m))
		return (-1);
	*day = timeutil_days_from_civil(y, m, d);
	return (0);
}

/* Number of UTF-8 code points in s (jansson has checked the encoding). */
static size_t
utf8_len(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return (n);
}

static int
event_cmp(const void *a, const void *b)
{
	const struct event *x = a, *y = b;

	if (x->day != y->day)
		return ((x->day > y->day) - (x->day < y->day));
	return ((x->idx > y->idx) - (x->idx < y->idx));
}

const char *
holidays_division_set(const char *division)
{
	for (size_t i = 0; i < NDIVISIONS; i++)
		if (strcmp(division, divisions[i].division) == 0)
			return (divisions[i].set);
	return (NULL);
}

int
holidays_parse_events(const char *prefix, const char *key,
    json_t *events, bool strict, json_t **list, char *err,
    size_t errlen)
{
	struct event *ev = NULL;
	json_t *e, *arr = NULL;
	char at[128];
	size_t n, i;

	snprintf(at, sizeof(at), "%s%s%s", prefix != NULL ? prefix : "",
	    prefix != NULL ? ": " : "", key);
	if (!json_is_array(events)) {
		seterr(err, errlen, "%s: must be an array", at);
		goto err0;
	}
	if ((n = json_array_size(events)) > HOLIDAYS_MAX_EVENTS) {
		seterr(err, errlen, "%s%s%zu %s, more than %d",
		    prefix != NULL ? prefix : "", prefix != NULL ? ": " : "",
		    n, key, HOLIDAYS_MAX_EVENTS);
		goto err0;
	}
	if (n > 0 && (ev = calloc(n, sizeof(*ev))) == NULL) {
		seterr(err, errlen, "%s: out of memory", at);
		goto err0;
	}
	json_array_foreach(events, i, e) {
		json_t *date, *title, *notes, *bunting, *v;
		const char *k;
		size_t tl;

		if (!json_is_object(e)) {
			seterr(err, errlen, "%s[%zu]: not an object", at, i);
			goto err1;
		}
		if (strict) {
			json_object_foreach(e, k, v) {
				if (strcmp(k, "date") != 0 &&
				    strcmp(k, "title") != 0) {
					seterr(err, errlen, "%s[%zu]: unknown "
					    "member \"%.64s\"", at, i, k);
					goto err1;
				}
			}
		}
		date = json_object_get(e, "date");
		title = json_object_get(e, "title");
		notes = json_object_get(e, "notes");
		bunting = json_object_get(e, "bunting");
		if (!json_is_string(date)) {
			seterr(err, errlen, "%s[%zu]: date is missing or not a "
			    "string", at, i);
			goto err1;
		}
		if (holidays_parse_day(json_string_value(date),
		    &ev[i].day) == -1) {
			seterr(err, errlen, "%s[%zu]: date \"%.20s\" is not a "
			    "real date YYYY-MM-DD in %d..%d", at, i,
			    json_string_value(date), HOLIDAYS_YEAR_MIN,
			    HOLIDAYS_YEAR_MAX);
			goto err1;
		}
		if (!json_is_string(title) ||
		    (tl = utf8_len(json_string_value(title))) == 0 ||
		    tl > HOLIDAYS_MAX_TITLE) {
			seterr(err, errlen, "%s[%zu]: title must be a string "
			    "of 1 to %d characters", at, i, HOLIDAYS_MAX_TITLE);
			goto err1;
		}
		if (notes != NULL && !json_is_string(notes)) {
			seterr(err, errlen, "%s[%zu]: notes must be a string",
			    at, i);
			goto err1;
		}
		if (bunting != NULL && !json_is_boolean(bunting)) {
			seterr(err, errlen, "%s[%zu]: bunting must be a "
			    "boolean", at, i);
			goto err1;
		}
		ev[i].idx = i;
		ev[i].date = date;
		ev[i].title = title;
	}
	/* Sort by day; a repeated date is then adjacent. */
	if (n > 1)
		qsort(ev, n, sizeof(*ev), event_cmp);
	for (i = 1; i < n; i++) {
		if (ev[i - 1].day == ev[i].day) {
			size_t a = ev[i - 1].idx, b = ev[i].idx;

			seterr(err, errlen, "%s[%zu]: date \"%s\" repeats "
			    "%s[%zu]", at, a > b ? a : b,
			    json_string_value(ev[i].date), key, a < b ? a : b);
			goto err1;
		}
	}
	if ((arr = json_array()) == NULL)
		goto nomem;
	for (i = 0; i < n; i++) {
		json_t *o = json_pack("{s:O,s:O}", "day", ev[i].date, "title",
		    ev[i].title);

		if (o == NULL || json_array_append_new(arr, o) == -1)
			goto nomem;
	}
	free(ev);
	*list = arr;
	return (0);
nomem:
	seterr(err, errlen, "%s: out of memory", at);
	json_decref(arr);
err1:
	free(ev);
err0:
	return (-1);
}

int
holidays_parse_division(const char *name, json_t *div, json_t **list,
    char *err, size_t errlen)
{
	json_t *v;
	const char *k;

	if (!json_is_object(div)) {
		seterr(err, errlen, "%s: not an object", name);
		return (-1);
	}
	json_object_foreach(div, k, v) {
		if (strcmp(k, "division") != 0 && strcmp(k, "events") != 0) {
			seterr(err, errlen, "%s: unknown member \"%s\"", name,
			    k);
			return (-1);
		}
	}
	v = json_object_get(div, "division");
	if (!json_is_string(v) || strcmp(json_string_value(v), name) != 0) {
		seterr(err, errlen, "%s: \"division\" must be \"%s\"", name,
		    name);
		return (-1);
	}
	if (!json_is_array(json_object_get(div, "events"))) {
		seterr(err, errlen, "%s: \"events\" must be an array", name);
		return (-1);
	}
	return (holidays_parse_events(name, "events",
	    json_object_get(div, "events"), false, list, err, errlen));
}

int
holidays_parse_govuk(const char *json_text, size_t len, json_t **out,
    char *err, size_t errlen)
{
	json_error_t jerr;
	json_t *root, *res, *list, *v;
	const char *k;
	size_t i;

	seterr(err, errlen, "%s", "");
	if (json_text == NULL || out == NULL) {
		seterr(err, errlen, "no input");
		goto err0;
	}
	if (len > HOLIDAYS_MAX_TEXT) {
		seterr(err, errlen, "input is %zu bytes, more than %d", len,
		    HOLIDAYS_MAX_TEXT);
		goto err0;
	}
	/* Without JSON_ALLOW_NUL, jansson rejects "\u0000" in strings. */
	root = json_loadb(json_text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL) {
		seterr(err, errlen, "not JSON: line %d: %s", jerr.line,
		    jerr.text);
		goto err0;
	}
	if (!json_is_object(root)) {
		seterr(err, errlen, "not a JSON object");
		goto err1;
	}
	json_object_foreach(root, k, v) {
		for (i = 0; i < NDIVISIONS; i++)
			if (strcmp(k, divisions[i].division) == 0)
				break;
		if (i == NDIVISIONS) {
			seterr(err, errlen, "unknown division \"%.64s\"", k);
			goto err1;
		}
	}
	if ((res = json_object()) == NULL) {
		seterr(err, errlen, "out of memory");
		goto err1;
	}
	for (i = 0; i < NDIVISIONS; i++) {
		const char *name = divisions[i].division;

		if ((v = json_object_get(root, name)) == NULL) {
			seterr(err, errlen, "%s: missing", name);
			goto err2;
		}
		if (holidays_parse_division(name, v, &list, err,
		    errlen) == -1)
			goto err2;
		if (json_object_set_new(res, divisions[i].set, list) == -1) {
			seterr(err, errlen, "out of memory");
			goto err2;
		}
	}
	json_decref(root);
	*out = res;
	return (0);
err2:
	json_decref(res);
err1:
	json_decref(root);
err0:
	return (-1);
}
