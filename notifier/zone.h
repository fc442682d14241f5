/*
 * zone: wall-clock time of an instant in an IANA time zone, for showing
 * times to a recipient ("Tue 14:30 GMT").  Deadline arithmetic stays in
 * server/calendar.c; this only reads the clock face.
 *
 * Same approach as calendar.c: glibc converts only in the process's TZ,
 * so zone_local() validates the name with calendar_zone_valid(), then
 * sets TZ, calls tzset() and localtime_r() under a lock.  Two caches keep
 * the tz database off the hot path (a message reads several times in
 * the recipient's zone): the names already validated (ZONE_CACHE_MAX of
 * them, each trusted for ZONE_CACHE_TTL seconds), and TZ itself, which is
 * left set to the last zone used, so consecutive conversions in one zone
 * neither call setenv() nor make glibc read the zone file again.  Nothing
 * else in the notifier reads the local time zone (log lines and Date
 * headers are UTC).  TZ always exists (calendar_global_init() sets it),
 * so setenv() replaces it in place and never moves environ under a
 * thread reading the environment (libcurl's getenv).  Call
 * calendar_global_init() before starting threads.  No allocation.
 */
#ifndef NOTIFIER_ZONE_H
#define NOTIFIER_ZONE_H

#include <stdint.h>

#define ZONE_ABBR_MAX	16
#define ZONE_CACHE_MAX	64	/* zone names remembered as valid */
#define ZONE_CACHE_TTL	300	/* seconds a validation is trusted */

struct zone_tm {
	int	year;			/* e.g. 2026 */
	int	mon;			/* 1..12 */
	int	mday;			/* 1..31 */
	int	hour;			/* 0..23 */
	int	min;			/* 0..59 */
	int	wday;			/* 0 = Sunday */
	long	gmtoff;			/* seconds east of UTC */
	char	abbr[ZONE_ABBR_MAX];	/* "GMT", "BST", "+03"; never empty */
};

/*
 * Fill *out with the wall clock of instant t in zone tz (NULL or "" means
 * "UTC").  Return 0, or -1 (unknown zone, t out of range) leaving *out
 * untouched.
 */
int	zone_local(const char *tz, int64_t t, struct zone_tm *out);

#endif
