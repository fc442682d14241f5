/*
 * holidays: holiday sets, and the import of GOV.UK's bank-holidays.json.
 * Pure: no I/O; the caller fetches the text and stores the result.
 */
#ifndef BREACHCLOCK_HOLIDAYS_H
#define BREACHCLOCK_HOLIDAYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

/* Limits on an import. */
#define HOLIDAYS_MAX_TEXT	(4 * 1024 * 1024)	/* bytes of JSON */
#define HOLIDAYS_MAX_EVENTS	1000			/* per division */
#define HOLIDAYS_MAX_TITLE	200			/* characters */
#define HOLIDAYS_YEAR_MIN	1970
#define HOLIDAYS_YEAR_MAX	2200

/*
 * Parse a civil date "YYYY-MM-DD" (exactly that form, a real Gregorian
 * date, years HOLIDAYS_YEAR_MIN..HOLIDAYS_YEAR_MAX) into a day number
 * (days since 1970-01-01).  Return 0, or -1 leaving *day untouched.
 */
int holidays_parse_day(const char *s, int64_t *day);

/* The holiday set id of a GOV.UK division ("england-and-wales" ->
 * "gb-eaw", "scotland" -> "gb-sct", "northern-ireland" -> "gb-ni"), or
 * NULL; a static string. */
const char *holidays_division_set(const char *division);

/*
 * Check a list of holidays, events (borrowed): a JSON array of at most
 * HOLIDAYS_MAX_EVENTS objects, each with a "date" as holidays_parse_day
 * and a "title" of 1 to HOLIDAYS_MAX_TITLE characters (UTF-8 code
 * points), no date twice.  Not strict (GOV.UK's events): "notes" must be
 * a string and "bunting" a boolean when present, other members are
 * ignored; strict (the API's dates): no member but date and title.
 *
 * On success store in *list a new reference (the caller must json_decref
 * it) to [{"day": "YYYY-MM-DD", "title": ...}, ...] sorted by day, and
 * return 0.  On failure return -1, leave *list untouched and write into
 * err (as holidays_parse_govuk) a message that names where, as
 * "PREFIX: KEY[i]: ..." (or "KEY[i]: ..." when prefix is NULL), e.g.
 * "scotland: events[3]: date \"2025-02-30\" is not a real date".
 */
int holidays_parse_events(const char *prefix, const char *key,
    json_t *events, bool strict, json_t **list, char *err, size_t errlen);

/*
 * Check one GOV.UK division object div (borrowed), {"division": name,
 * "events": [...]} and nothing else, and parse its events as
 * holidays_parse_events(name, "events", ..., false, ...).  0 or -1 as
 * that function.
 */
int holidays_parse_division(const char *name, json_t *div, json_t **list,
    char *err, size_t errlen);

/*
 * Parse len bytes of GOV.UK bank-holidays.json (need not be
 * NUL-terminated):
 *   {"england-and-wales": {"division": "england-and-wales",
 *      "events": [{"title": ..., "date": "YYYY-MM-DD", "notes": ...,
 *                  "bunting": true}, ...]},
 *    "scotland": {...}, "northern-ireland": {...}}
 * All three divisions are required and no other key is allowed; each
 * "division" must repeat its key; at most HOLIDAYS_MAX_EVENTS events per
 * division, each with a date as holidays_parse_day and a title of 1 to
 * HOLIDAYS_MAX_TITLE characters (UTF-8 code points), no date twice in a
 * division.  "notes" must be a string and "bunting" a boolean when
 * present; other event members are ignored (holidays_parse_division).
 * Duplicate JSON keys are rejected.
 *
 * On success store in *out a new reference (the caller must json_decref
 * it) to {"gb-eaw": [{"day": "YYYY-MM-DD", "title": ...}, ...],
 * "gb-sct": [...], "gb-ni": [...]}, each list sorted by day, and return
 * 0.  On failure return -1, leave *out untouched and write a message
 * naming the division and event index, e.g. "scotland: events[3]: date
 * \"2025-02-30\" is not a real date", into err (truncated to errlen
 * bytes, always NUL-terminated when errlen > 0; err may be NULL).
 */
int holidays_parse_govuk(const char *json_text, size_t len, json_t **out,
    char *err, size_t errlen);

#endif
