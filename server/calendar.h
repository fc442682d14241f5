/*
 * calendar: deadline arithmetic in a regime's time zone and holiday set.
 *
 * Instants are int64 seconds since 1970-01-01T00:00:00Z; civil dates are
 * day numbers (days since 1970-01-01, as timeutil_days_from_civil).  Time
 * zones are IANA names resolved through the system tz database
 * (/usr/share/zoneinfo, the Debian tzdata package) by glibc; see calendar.c
 * for why, and for the lock that makes the conversions thread-safe.
 *
 * No clock reads and no allocation.  The only I/O is reading the zone's
 * TZif file (its magic, and glibc loading it).  Instants before 1970 or
 * after 9999-12-31T23:59:59Z are out of range (-1).
 *
 * Process-wide effect: each call sets the TZ environment variable for the
 * duration of the conversion under a lock and then restores it (an unset
 * TZ is restored as ":/etc/localtime", which glibc reads as unset, so the
 * variable is added to the environment only once).  Call
 * calendar_global_init() before starting threads, and use only UTC
 * conversions (gmtime_r, timegm) elsewhere in the process.
 */
#ifndef BREACHCLOCK_CALENDAR_H
#define BREACHCLOCK_CALENDAR_H

#include <stddef.h>
#include <stdint.h>

/* The largest n calendar_add accepts (about 274 years of days). */
#define CALENDAR_MAX_N		100000

/* Longest accepted zone name. */
#define CALENDAR_TZ_MAX		64

enum calendar_unit {
	CALENDAR_HOURS,		/* exact elapsed hours; the zone is unused */
	CALENDAR_DAYS,		/* calendar days, ending at 23:59:59 local */
	CALENDAR_BUSINESS_DAYS,	/* Mon-Fri that are not holidays */
	CALENDAR_MONTHS		/* same day-of-month, clamped */
};

/* A regime's calendar.  Borrowed by every function: nothing is copied. */
struct calendar {
	const char	*tz;		/* IANA zone, e.g. "Europe/London" */
	const int64_t	*holidays;	/* sorted, strictly increasing day
					 * numbers (local civil dates);
					 * NULL if nholidays is 0 */
	size_t		 nholidays;
};

/*
 * Make sure TZ is in the environment (set it to ":/etc/localtime", the
 * same as unset, if it is not), so that later calls only replace its
 * value and never grow environ while other threads may read it.  Call
 * once from main() before starting threads.  Return 0, or -1 if out of
 * memory.
 */
int calendar_global_init(void);

/*
 * Return 0 if tz names a zone in the system tz database, else -1.  Names
 * are IANA names ("Area/Location", letters, digits, "/", "_", "-", "+"),
 * at most CALENDAR_TZ_MAX bytes, no "." component and no "posix/" or
 * "right/" prefix; the file must be a TZif file.
 */
int calendar_zone_valid(const char *tz);

/*
 * Store in *day the local civil date of instant t in zone tz.  Return 0,
 * or -1 (bad zone, t out of range) leaving *day untouched.
 */
int calendar_local_date(const char *tz, int64_t t, int64_t *day);

/*
 * Store in *t the end of civil date day in zone tz: the first instant at
 * which the local clock reads 23:59:59 on that date.  If that wall time
 * occurs twice (a backward change at midnight, as in America/Sao_Paulo
 * until 2019) the earlier instant is used: the conservative reading.  If
 * it does not occur (a forward change skips it, as Pacific/Apia skipped
 * 2011-12-30) the last instant before the jump is used.  Return 0, or -1
 * (bad zone, result out of range) leaving *t untouched.
 */
int calendar_end_of_day(const char *tz, int64_t day, int64_t *t);

/*
 * Store in *due the deadline n units after instant start:
 * - CALENDAR_HOURS: start + n * 3600 (c may be NULL; the zone is unused);
 * - CALENDAR_DAYS: the day of start (local date in c->tz) is not counted;
 *   the end of the n-th following day;
 * - CALENDAR_BUSINESS_DAYS: as CALENDAR_DAYS counting only Monday to
 *   Friday dates that are not in c->holidays;
 * - CALENDAR_MONTHS: the same day of the month n months after the local
 *   date of start, clamped to that month's last day; the end of that day.
 * For every unit but hours, n = 0 gives the end of the start's own day
 * (even if that day is a weekend or holiday).  Return 0, or -1 (unknown
 * unit or zone, n < 0 or > CALENDAR_MAX_N, holidays not strictly
 * increasing, out of range) leaving *due untouched.
 */
int calendar_add(const struct calendar *c, int64_t start, int64_t n,
    enum calendar_unit unit, int64_t *due);

/*
 * Store in *out the end (23:59:59 local, as calendar_end_of_day) of
 * 31 December of the local year of instant t in zone tz.  HIPAA's "60
 * days after the end of the calendar year" is then calendar_add(c, *out,
 * 60, CALENDAR_DAYS, &due).  Return 0, or -1 leaving *out untouched.
 */
int calendar_year_end(const char *tz, int64_t t, int64_t *out);

#endif
