/*
 * Data-driven tests of the calendar arithmetic (server/calendar.c).
 *
 * Each scenario is one JSON file in tests/unit/calendar/:
 *
 *   {"name": "...", "note": "the arithmetic, worked by hand",
 *    "tz": "Europe/London",
 *    "holidays": null | "gb-eaw" | ["2026-12-25", "2026-12-28"],
 *    "start": "2026-12-24T17:00:00Z", "from": "year_end" (optional),
 *    "n": 3, "unit": "hours|calendar_days|business_days|months",
 *    "expect_year_end": "...Z" (optional, with "from"),
 *    "expect": "2026-12-31T23:59:59Z" | "error"}
 *
 * "holidays" given as a set id is read from the seed data in
 * sql/003_holidays.sql, applied to an in-memory SQLite database, so the
 * scenarios also check that migration; an inline list must be sorted.
 * With "from": "year_end", the clock starts at calendar_year_end(tz,
 * start) (HIPAA: 60 days after the end of the calendar year of
 * discovery).  Expected instants are UTC strings compared with the
 * formatted result.  Unknown keys are errors, so a typo cannot pass.
 *
 * Usage: test_calendar_scenarios --sql FILE [--count N] PATH
 * PATH is one scenario file or a directory whose *.json files are run in
 * sorted order; with --count a directory must hold exactly N of them.
 */
#include <dirent.h>
#include <errno.h>
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
#include <sqlite3.h>

#include "calendar.h"
#include "holidays.h"
#include "scenarios.h"
#include "timeutil.h"

#define MAX_HOLIDAYS	1000

static sqlite3 *db;	/* the holiday seed data, shared by all scenarios */

static int
only_keys(const char *file, json_t *obj, const char *const *allowed)
{
	const char *k;
	json_t *v;
	int bad = 0;

	json_object_foreach(obj, k, v) {
		size_t i;

		for (i = 0; allowed[i] != NULL; i++)
			if (strcmp(k, allowed[i]) == 0)
				break;
		if (allowed[i] == NULL) {
			print_error("%s: unknown key \"%s\"\n", file, k);
			bad++;
		}
	}
	return (bad);
}

/* Load set id's days from the seed database into days[], *n of them;
 * return the number of problems. */
static int
load_set(const char *file, const char *id, int64_t *days, size_t *n)
{
	sqlite3_stmt *st;
	int rc, bad = 0;

	*n = 0;
	if (sqlite3_prepare_v2(db, "SELECT day FROM holidays WHERE "
	    "set_id = ?1 ORDER BY day", -1, &st, NULL) != SQLITE_OK) {
		print_error("%s: %s\n", file, sqlite3_errmsg(db));
		return (1);
	}
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *s = (const char *)sqlite3_column_text(st, 0);

		if (*n == MAX_HOLIDAYS ||
		    holidays_parse_day(s, &days[*n]) == -1) {
			print_error("%s: set %s: bad day %s\n", file, id, s);
			bad++;
			break;
		}
		(*n)++;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		print_error("%s: %s\n", file, sqlite3_errmsg(db));
		bad++;
	}
	sqlite3_finalize(st);
	if (bad == 0 && *n == 0) {
		print_error("%s: no holiday set \"%s\"\n", file, id);
		bad++;
	}
	return (bad);
}

static int
read_holidays(const char *file, json_t *v, int64_t *days, size_t *n)
{
	json_t *e;
	size_t i;

	*n = 0;
	if (v == NULL || json_is_null(v))
		return (0);
	if (json_is_string(v))
		return (load_set(file, json_string_value(v), days, n));
	if (!json_is_array(v) || json_array_size(v) > MAX_HOLIDAYS) {
		print_error("%s: holidays: a set id or a list of dates\n",
		    file);
		return (1);
	}
	json_array_foreach(v, i, e) {
		if (!json_is_string(e) ||
		    holidays_parse_day(json_string_value(e), &days[i]) == -1) {
			print_error("%s: holidays[%zu] is not YYYY-MM-DD\n",
			    file, i);
			return (1);
		}
	}
	*n = json_array_size(v);
	return (0);
}

static int
check_time(const char *file, const char *key, json_t *want, int64_t got)
{
	char buf[TIMEUTIL_RFC3339_LEN];

	if (!json_is_string(want)) {
		print_error("%s: %s must be a string\n", file, key);
		return (1);
	}
	if (timeutil_format(got, buf, sizeof(buf)) == -1)
		snprintf(buf, sizeof(buf), "(out of range)");
	if (strcmp(buf, json_string_value(want)) != 0) {
		print_error("%s: %s: got %s, want %s\n", file, key, buf,
		    json_string_value(want));
		return (1);
	}
	return (0);
}

/* Run one scenario file; return the number of failed checks. */
static int
run_scenario(const char *file)
{
	static const char *const keys[] = { "name", "note", "tz",
		"holidays", "start", "from", "n", "unit", "expect_year_end",
		"expect", NULL };
	static const char *const units[] = { "hours", "calendar_days",
		"business_days", "months" };
	static const enum calendar_unit unitv[] = { CALENDAR_HOURS,
		CALENDAR_DAYS, CALENDAR_BUSINESS_DAYS, CALENDAR_MONTHS };
	static int64_t days[MAX_HOLIDAYS];
	struct calendar cal;
	json_error_t jerr;
	json_t *root, *tz, *start, *n, *unit, *from, *expect, *ye;
	int64_t t, due = -1;
	size_t nh, u;
	int bad = 0, rc;

	if ((root = json_load_file(file, JSON_REJECT_DUPLICATES, &jerr)) ==
	    NULL) {
		print_error("%s:%d: %s\n", file, jerr.line, jerr.text);
		return (1);
	}
	if (!json_is_object(root)) {
		print_error("%s: not an object\n", file);
		json_decref(root);
		return (1);
	}
	bad += only_keys(file, root, keys);
	tz = json_object_get(root, "tz");
	start = json_object_get(root, "start");
	n = json_object_get(root, "n");
	unit = json_object_get(root, "unit");
	from = json_object_get(root, "from");
	expect = json_object_get(root, "expect");
	ye = json_object_get(root, "expect_year_end");
	if (!json_is_string(json_object_get(root, "name")) ||
	    !json_is_string(json_object_get(root, "note")) ||
	    !json_is_string(tz) || !json_is_string(start) ||
	    !json_is_integer(n) || !json_is_string(unit) ||
	    !json_is_string(expect)) {
		print_error("%s: needs name, note, tz, start, n, unit and "
		    "expect\n", file);
		bad++;
		goto done;
	}
	if (timeutil_parse(json_string_value(start), &t) == -1) {
		print_error("%s: start is not RFC 3339\n", file);
		bad++;
	}
	for (u = 0; u < sizeof(units) / sizeof(units[0]); u++)
		if (strcmp(json_string_value(unit), units[u]) == 0)
			break;
	if (u == sizeof(units) / sizeof(units[0])) {
		print_error("%s: unknown unit\n", file);
		bad++;
	}
	if (from != NULL && (!json_is_string(from) ||
	    strcmp(json_string_value(from), "year_end") != 0)) {
		print_error("%s: from must be \"year_end\"\n", file);
		bad++;
	}
	if (ye != NULL && from == NULL) {
		print_error("%s: expect_year_end needs from\n", file);
		bad++;
	}
	bad += read_holidays(file, json_object_get(root, "holidays"), days,
	    &nh);
	if (bad != 0)
		goto done;

	cal.tz = json_string_value(tz);
	cal.holidays = days;
	cal.nholidays = nh;
	rc = 0;
	if (from != NULL) {
		rc = calendar_year_end(cal.tz, t, &t);
		if (rc == 0 && ye != NULL)
			bad += check_time(file, "expect_year_end", ye, t);
	}
	if (rc == 0)
		rc = calendar_add(&cal, t, (int64_t)json_integer_value(n),
		    unitv[u], &due);
	if (strcmp(json_string_value(expect), "error") == 0) {
		if (rc != -1) {
			print_error("%s: succeeded, want an error\n", file);
			bad++;
		}
	} else if (rc != 0) {
		print_error("%s: calendar failed\n", file);
		bad++;
	} else
		bad += check_time(file, "expect", expect, due);
done:
	json_decref(root);
	return (bad);
}



/* Apply the migration file sql to a new in-memory database. */
static int
open_seed(const char *sql)
{
	char *text = NULL, *msg = NULL;
	FILE *fp;
	long len;
	int rc = -1;

	if ((fp = fopen(sql, "rb")) == NULL) {
		fprintf(stderr, "%s: %s\n", sql, strerror(errno));
		return (-1);
	}
	if (fseek(fp, 0, SEEK_END) == -1 || (len = ftell(fp)) < 0 ||
	    len > 4 * 1024 * 1024 || fseek(fp, 0, SEEK_SET) == -1 ||
	    (text = calloc(1, (size_t)len + 1)) == NULL ||
	    fread(text, 1, (size_t)len, fp) != (size_t)len) {
		fprintf(stderr, "%s: cannot read\n", sql);
		goto out;
	}
	if (sqlite3_open(":memory:", &db) != SQLITE_OK ||
	    sqlite3_exec(db, "PRAGMA foreign_keys = ON", NULL, NULL,
	    &msg) != SQLITE_OK ||
	    sqlite3_exec(db, text, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "%s: %s\n", sql, msg != NULL ? msg :
		    sqlite3_errmsg(db));
		goto out;
	}
	rc = 0;
out:
	sqlite3_free(msg);
	free(text);
	fclose(fp);
	return (rc);
}

static void
usage(void)
{
	fprintf(stderr, "usage: test_calendar_scenarios --sql FILE "
	    "[--count N] PATH\n");
	exit(2);
}

int
main(int argc, char *argv[])
{
	const char *sql = NULL;
	long count = -1;
	int i, rc;

	for (i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--sql") == 0)
			sql = argv[i + 1];
		else if (strcmp(argv[i], "--count") == 0) {
			if (scenarios_count(argv[i + 1], &count) == -1)
				usage();
		} else
			break;
	}
	if (sql == NULL || i != argc - 1)
		usage();
	if (open_seed(sql) == -1)
		return (1);
	rc = scenarios_main("calendar", argv[i], count, run_scenario);
	sqlite3_close(db);
	return (rc);
}
