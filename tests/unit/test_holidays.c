/*
 * Unit tests for server/holidays.c: civil dates and the import of GOV.UK
 * bank-holidays.json.  The sample events are dates from the GOV.UK feed
 * (2026 and 2027, with the substitute days as GOV.UK lists them).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "holidays.h"
#include "timeutil.h"

#define EV(date, title) \
	"{\"title\": \"" title "\", \"date\": \"" date "\", " \
	"\"notes\": \"\", \"bunting\": true}"

/* Events as GOV.UK lists them (England and Wales, late 2026). */
#define EAW \
	EV("2026-12-25", "Christmas Day") ", " \
	"{\"title\": \"Boxing Day\", \"date\": \"2026-12-28\", " \
	"\"notes\": \"Substitute day\", \"bunting\": true}, " \
	EV("2026-08-31", "Summer bank holiday")
#define SCT \
	EV("2026-11-30", "St Andrew\\u2019s Day") ", " \
	EV("2027-01-04", "2nd January")
#define NI \
	EV("2026-07-13", "Battle of the Boyne (Orangemen\\u2019s Day)")

/* A feed with the three divisions and the given event lists; free it. */
static char *
feed(const char *eaw, const char *sct, const char *ni)
{
	char *s;

	if (asprintf(&s, "{\"england-and-wales\": {\"division\": "
	    "\"england-and-wales\", \"events\": [%s]}, "
	    "\"scotland\": {\"division\": \"scotland\", \"events\": [%s]}, "
	    "\"northern-ireland\": {\"division\": \"northern-ireland\", "
	    "\"events\": [%s]}}", eaw, sct, ni) == -1)
		return (NULL);
	return (s);
}

/* Parse s; return the result of holidays_parse_govuk. */
static int
parse(const char *s, json_t **out, char *err, size_t errlen)
{
	return (holidays_parse_govuk(s, strlen(s), out, err, errlen));
}

/* Parsing s must fail with a message that contains want. */
static void
expect_error(const char *s, const char *want)
{
	json_t *out = (json_t *)(uintptr_t)1;	/* must stay untouched */
	char err[256];

	assert_int_equal(parse(s, &out, err, sizeof(err)), -1);
	assert_ptr_equal(out, (json_t *)(uintptr_t)1);
	if (strstr(err, want) == NULL)
		fail_msg("error \"%s\" lacks \"%s\"", err, want);
}

static void
expect_error3(const char *eaw, const char *sct, const char *ni,
    const char *want)
{
	char *s = feed(eaw, sct, ni);

	assert_non_null(s);
	expect_error(s, want);
	free(s);
}

static void
test_parse_day(void **state)
{
	int64_t d = 7;

	(void)state;
	assert_int_equal(holidays_parse_day("1970-01-01", &d), 0);
	assert_int_equal(d, 0);
	assert_int_equal(holidays_parse_day("2028-02-29", &d), 0);
	assert_int_equal(d, timeutil_days_from_civil(2028, 2, 29));
	assert_int_equal(holidays_parse_day("2200-12-31", &d), 0);
	assert_int_equal(d, timeutil_days_from_civil(2200, 12, 31));

	d = 7;
	assert_int_equal(holidays_parse_day("2027-02-29", &d), -1);
	assert_int_equal(holidays_parse_day("2100-02-29", &d), -1);
	assert_int_equal(holidays_parse_day("2025-02-30", &d), -1);
	assert_int_equal(holidays_parse_day("2025-04-31", &d), -1);
	assert_int_equal(holidays_parse_day("2025-13-01", &d), -1);
	assert_int_equal(holidays_parse_day("2025-00-10", &d), -1);
	assert_int_equal(holidays_parse_day("2025-01-00", &d), -1);
	assert_int_equal(holidays_parse_day("1969-12-31", &d), -1);
	assert_int_equal(holidays_parse_day("2201-01-01", &d), -1);
	assert_int_equal(holidays_parse_day("2025-1-01", &d), -1);
	assert_int_equal(holidays_parse_day("2025-01-01T", &d), -1);
	assert_int_equal(holidays_parse_day("2025/01/01", &d), -1);
	assert_int_equal(holidays_parse_day("+025-01-01", &d), -1);
	assert_int_equal(holidays_parse_day("2025-01- 1", &d), -1);
	assert_int_equal(holidays_parse_day("", &d), -1);
	assert_int_equal(holidays_parse_day(NULL, &d), -1);
	assert_int_equal(d, 7);
}

static void
test_govuk_ok(void **state)
{
	json_t *out = NULL, *eaw, *e;
	char err[256], *s;

	(void)state;
	s = feed(EAW, SCT, NI);
	assert_non_null(s);
	assert_int_equal(parse(s, &out, err, sizeof(err)), 0);
	assert_string_equal(err, "");
	assert_int_equal(json_object_size(out), 3);
	eaw = json_object_get(out, "gb-eaw");
	assert_int_equal(json_array_size(eaw), 3);
	/* Sorted by day; the substitute Boxing Day keeps its GOV.UK title. */
	e = json_array_get(eaw, 0);
	assert_int_equal(json_object_size(e), 2);
	assert_string_equal(json_string_value(json_object_get(e, "day")),
	    "2026-08-31");
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(eaw, 1), "day")), "2026-12-25");
	e = json_array_get(eaw, 2);
	assert_string_equal(json_string_value(json_object_get(e, "day")),
	    "2026-12-28");
	assert_string_equal(json_string_value(json_object_get(e, "title")),
	    "Boxing Day");
	e = json_array_get(json_object_get(out, "gb-sct"), 0);
	assert_string_equal(json_string_value(json_object_get(e, "title")),
	    "St Andrew\xe2\x80\x99s Day");
	assert_int_equal(json_array_size(json_object_get(out, "gb-ni")), 1);
	json_decref(out);
	free(s);

	/* Empty divisions are allowed; notes and bunting are optional and
	 * other members of an event are ignored. */
	s = feed("", "{\"title\": \"x\", \"date\": \"2026-01-02\", "
	    "\"colour\": \"red\"}", "");
	assert_non_null(s);
	assert_int_equal(parse(s, &out, NULL, 0), 0);
	assert_int_equal(json_array_size(json_object_get(out, "gb-eaw")), 0);
	assert_int_equal(json_array_size(json_object_get(out, "gb-sct")), 1);
	json_decref(out);
	free(s);
}

/* The text need not be NUL-terminated: only len bytes are read. */
static void
test_govuk_len(void **state)
{
	json_t *out = NULL;
	char *s, *buf;
	size_t n;

	(void)state;
	s = feed(EAW, SCT, NI);
	assert_non_null(s);
	n = strlen(s);
	buf = malloc(n + 5);
	assert_non_null(buf);
	memcpy(buf, s, n);
	memcpy(buf + n, "}}}}}", 5);	/* garbage after len, no NUL */
	assert_int_equal(holidays_parse_govuk(buf, n, &out, NULL, 0), 0);
	json_decref(out);
	out = NULL;
	assert_int_equal(holidays_parse_govuk(buf, n - 1, &out, NULL, 0), -1);
	assert_int_equal(holidays_parse_govuk(buf, HOLIDAYS_MAX_TEXT + 1, &out,
	    NULL, 0), -1);
	assert_int_equal(holidays_parse_govuk(NULL, 0, &out, NULL, 0), -1);
	assert_int_equal(holidays_parse_govuk(s, n, NULL, NULL, 0), -1);
	assert_null(out);
	free(buf);
	free(s);
}

static void
test_govuk_structure(void **state)
{
	(void)state;
	expect_error("[]", "not a JSON object");
	expect_error("{\"england-and-wales\": ", "not JSON");
	expect_error("{}", "england-and-wales: missing");
	expect_error("{\"wales\": {}}", "unknown division \"wales\"");
	expect_error("{\"england-and-wales\": 1}", "england-and-wales: not an "
	    "object");
	expect_error("{\"england-and-wales\": {\"division\": \"scotland\", "
	    "\"events\": []}}", "england-and-wales: \"division\" must be");
	expect_error("{\"england-and-wales\": {\"division\": "
	    "\"england-and-wales\", \"events\": {}}}", "\"events\" must be an "
	    "array");
	expect_error("{\"england-and-wales\": {\"division\": "
	    "\"england-and-wales\", \"events\": [], \"extra\": 1}}",
	    "unknown member \"extra\"");
	/* A key given twice is rejected, not last-one-wins. */
	expect_error("{\"scotland\": {}, \"scotland\": {}}", "not JSON");
	/* Scotland missing after a good England and Wales. */
	expect_error("{\"england-and-wales\": {\"division\": "
	    "\"england-and-wales\", \"events\": []}, \"northern-ireland\": "
	    "{\"division\": \"northern-ireland\", \"events\": []}}",
	    "scotland: missing");
}

static void
test_govuk_events(void **state)
{
	(void)state;
	expect_error3("", EV("2026-01-01", "a") ", 7", "",
	    "scotland: events[1]: not an object");
	expect_error3(EV("2025-02-30", "x"), "", "",
	    "england-and-wales: events[0]: date \"2025-02-30\" is not a real "
	    "date");
	expect_error3("", "", EV("2026-01-01", "a") ", "
	    EV("2026-3-17", "St Patrick"), "northern-ireland: events[1]: "
	    "date \"2026-3-17\"");
	expect_error3(EV("1969-12-25", "x"), "", "", "events[0]: date");
	expect_error3(EV("2201-01-01", "x"), "", "", "events[0]: date");
	expect_error3("{\"title\": \"x\", \"date\": 20260101}", "", "",
	    "events[0]: date is missing or not a string");
	expect_error3("{\"title\": \"x\"}", "", "", "events[0]: date");
	expect_error3(EV("2026-01-01", ""), "", "",
	    "england-and-wales: events[0]: title");
	expect_error3("{\"date\": \"2026-01-01\"}", "", "",
	    "events[0]: title");
	expect_error3("{\"date\": \"2026-01-01\", \"title\": 5}", "", "",
	    "events[0]: title");
	/* An embedded NUL never reaches the title check. */
	expect_error3("{\"date\": \"2026-01-01\", \"title\": \"a\\u0000b\"}",
	    "", "", "not JSON");
	expect_error3("{\"date\": \"2026-01-01\", \"title\": \"a\", "
	    "\"notes\": 1}", "", "", "events[0]: notes");
	expect_error3("{\"date\": \"2026-01-01\", \"title\": \"a\", "
	    "\"bunting\": \"yes\"}", "", "", "events[0]: bunting");
	/* A repeated date names both events. */
	expect_error3("", EV("2026-11-30", "St Andrew") ", "
	    EV("2026-12-25", "Christmas Day") ", "
	    EV("2026-11-30", "St Andrew again"), "",
	    "scotland: events[2]: date \"2026-11-30\" repeats events[0]");
}

/* Titles: 1 to 200 characters, counted as code points, not bytes. */
static void
test_govuk_titles(void **state)
{
	char title[2 * 201 + 1], ev[600], *s;
	json_t *out;
	size_t i;

	(void)state;
	for (i = 0; i < 200; i++)
		memcpy(title + 2 * i, "\xc3\xa9", 2);	/* e acute */
	title[400] = '\0';
	snprintf(ev, sizeof(ev), "{\"date\": \"2026-01-01\", \"title\": "
	    "\"%s\"}", title);
	s = feed(ev, "", "");
	assert_non_null(s);
	assert_int_equal(parse(s, &out, NULL, 0), 0);
	json_decref(out);
	free(s);

	memcpy(title + 400, "\xc3\xa9", 2);
	title[402] = '\0';
	snprintf(ev, sizeof(ev), "{\"date\": \"2026-01-01\", \"title\": "
	    "\"%s\"}", title);
	expect_error3(ev, "", "", "events[0]: title must be a string of 1 to "
	    "200");
}

/* At most 1000 events in a division. */
static void
test_govuk_many(void **state)
{
	size_t cap = 1001 * 48, len;
	char *evs, *s;
	json_t *out;
	int64_t d0 = timeutil_days_from_civil(2026, 1, 1);

	(void)state;
	evs = malloc(cap);
	assert_non_null(evs);
	for (int pass = 0; pass < 2; pass++) {
		int n = pass == 0 ? 1000 : 1001;

		len = 0;
		evs[0] = '\0';
		for (int i = 0; i < n; i++) {
			int64_t y;
			unsigned m, d;
			int w;

			timeutil_civil_from_days(d0 + i, &y, &m, &d);
			w = snprintf(evs + len, cap - len, "%s{\"title\": "
			    "\"h\", \"date\": \"%04d-%02u-%02u\"}",
			    i == 0 ? "" : ",", (int)y, m, d);
			assert_true(w > 0 && (size_t)w < cap - len);
			len += (size_t)w;
		}
		s = feed("", "", evs);
		assert_non_null(s);
		if (pass == 0) {
			assert_int_equal(parse(s, &out, NULL, 0), 0);
			assert_int_equal(json_array_size(json_object_get(out,
			    "gb-ni")), 1000);
			json_decref(out);
		} else
			expect_error(s, "northern-ireland: 1001 events, more "
			    "than 1000");
		free(s);
	}
	free(evs);
}

/* err is always NUL-terminated, even when short. */
static void
test_govuk_errlen(void **state)
{
	json_t *out;
	char err[8];

	(void)state;
	memset(err, 'x', sizeof(err));
	assert_int_equal(parse("{\"nowhere\": {}}", &out, err, sizeof(err)),
	    -1);
	assert_int_equal(strlen(err), sizeof(err) - 1);
	assert_int_equal(parse("{\"nowhere\": {}}", &out, NULL, 0), -1);
}

/* The API's list of dates (strict) and one division on its own, through
 * the same checks as the whole feed. */
static void
test_events_strict(void **state)
{
	char err[256];
	json_t *in, *list = NULL;

	(void)state;
	in = json_loads("[{\"date\": \"2031-12-25\", \"title\": \"b\"}, "
	    "{\"date\": \"2031-01-01\", \"title\": \"a\"}]", 0, NULL);
	assert_non_null(in);
	assert_int_equal(holidays_parse_events(NULL, "dates", in, true, &list,
	    err, sizeof(err)), 0);
	assert_int_equal(json_array_size(list), 2);
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(list, 0), "day")), "2031-01-01");
	json_decref(list);
	json_decref(in);

	/* strict: only date and title; not strict: notes and bunting too */
	in = json_loads("[{\"date\": \"2031-01-01\", \"title\": \"a\", "
	    "\"bunting\": true}]", 0, NULL);
	assert_int_equal(holidays_parse_events(NULL, "dates", in, true, &list,
	    err, sizeof(err)), -1);
	assert_string_equal(err, "dates[0]: unknown member \"bunting\"");
	assert_int_equal(holidays_parse_events("x", "events", in, false,
	    &list, err, sizeof(err)), 0);
	json_decref(list);
	json_decref(in);

	in = json_loads("[{\"date\": \"2031-01-01\", \"title\": \"a\"}, "
	    "{\"date\": \"2031-02-29\", \"title\": \"b\"}]", 0, NULL);
	assert_int_equal(holidays_parse_events(NULL, "dates", in, true, &list,
	    err, sizeof(err)), -1);
	assert_non_null(strstr(err, "dates[1]: date \"2031-02-29\""));
	json_decref(in);

	in = json_loads("[{\"date\": \"2031-01-01\", \"title\": \"a\"}, "
	    "{\"date\": \"2031-01-01\", \"title\": \"b\"}]", 0, NULL);
	assert_int_equal(holidays_parse_events(NULL, "dates", in, true, &list,
	    err, sizeof(err)), -1);
	assert_string_equal(err,
	    "dates[1]: date \"2031-01-01\" repeats dates[0]");
	json_decref(in);

	in = json_loads("{}", 0, NULL);
	assert_int_equal(holidays_parse_events(NULL, "dates", in, true, &list,
	    err, sizeof(err)), -1);
	assert_string_equal(err, "dates: must be an array");
	json_decref(in);
}

static void
test_division(void **state)
{
	char err[256];
	json_t *in, *list = NULL;

	(void)state;
	assert_string_equal(holidays_division_set("scotland"), "gb-sct");
	assert_string_equal(holidays_division_set("england-and-wales"),
	    "gb-eaw");
	assert_string_equal(holidays_division_set("northern-ireland"),
	    "gb-ni");
	assert_null(holidays_division_set("wales"));
	in = json_loads("{\"division\": \"scotland\", \"events\": [" SCT
	    "]}", 0, NULL);
	assert_non_null(in);
	assert_int_equal(holidays_parse_division("scotland", in, &list, err,
	    sizeof(err)), 0);
	assert_int_equal(json_array_size(list), 2);
	json_decref(list);
	assert_int_equal(holidays_parse_division("northern-ireland", in,
	    &list, err, sizeof(err)), -1);
	assert_string_equal(err, "northern-ireland: \"division\" must be "
	    "\"northern-ireland\"");
	json_decref(in);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_day),
		cmocka_unit_test(test_govuk_ok),
		cmocka_unit_test(test_govuk_len),
		cmocka_unit_test(test_govuk_structure),
		cmocka_unit_test(test_govuk_events),
		cmocka_unit_test(test_govuk_titles),
		cmocka_unit_test(test_govuk_many),
		cmocka_unit_test(test_govuk_errlen),
		cmocka_unit_test(test_events_strict),
		cmocka_unit_test(test_division),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
