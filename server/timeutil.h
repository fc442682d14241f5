/*
 * timeutil: RFC 3339 instants as int64 seconds since the Unix epoch (UTC).
 * Pure functions: no clock reads, no time zone state.
 */
#ifndef BREACHCLOCK_TIMEUTIL_H
#define BREACHCLOCK_TIMEUTIL_H

#include <stddef.h>
#include <stdint.h>

/* Large enough for "YYYY-MM-DDTHH:MM:SSZ" and a NUL. */
#define TIMEUTIL_RFC3339_LEN 21

/*
 * Parse an RFC 3339 date-time with a mandatory offset ("Z" or "+hh:mm"),
 * an optional fraction of a second (dropped), years 1970..9999.  Impossible
 * dates (Feb 30, hour 24, second 60, month 13) are rejected.  On success
 * store the instant in *out and return 0; otherwise return -1 and leave
 * *out untouched.
 */
int timeutil_parse(const char *s, int64_t *out);

/* The two reasons timeutil_parse() refuses a text, as API problem details
 * put them after "<field>: ". */
#define TIMEUTIL_WHY_FORM "must be an RFC 3339 date-time with an " \
	"offset, e.g. 2026-03-01T09:30:00Z"
#define TIMEUTIL_WHY_RANGE "must be between 1970-01-01 and 9999-12-31 (UTC)"

/*
 * Why timeutil_parse() refuses s: TIMEUTIL_WHY_RANGE for a well-formed
 * date-time outside the years it takes (also a year of more than four
 * digits), else TIMEUTIL_WHY_FORM; NULL if it takes s.  The one source of
 * the API's message for a bad instant.
 */
const char *timeutil_parse_why(const char *s);

/*
 * Format t as "YYYY-MM-DDTHH:MM:SSZ" into buf (at least
 * TIMEUTIL_RFC3339_LEN bytes).  Return 0, or -1 if t is outside the years
 * 1970..9999.
 */
int timeutil_format(int64_t t, char *buf, size_t len);

/* Days since 1970-01-01 for a proleptic Gregorian civil date. */
int64_t timeutil_days_from_civil(int64_t y, unsigned m, unsigned d);

/* The civil date of a day count since 1970-01-01. */
void timeutil_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d);

/* Number of days in month m (1..12) of year y. */
unsigned timeutil_days_in_month(int64_t y, unsigned m);

#endif
