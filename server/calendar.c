/*
 * calendar: deadline arithmetic in an IANA time zone (see calendar.h).
 *
 * Why glibc under a lock, not libical or ICU:
 * - glibc reads the system tz database (Debian's tzdata, kept current by
 *   stable updates), including the TZif v2+ POSIX footer, so it is right
 *   for any year a 64-bit time_t reaches.  libical 3.0.16 (Debian 12)
 *   converts each TZif file into a VTIMEZONE and expands its rules into a
 *   per-zone cache of changes, with years of coverage added on demand;
 *   that cache is shared, mutable state, and the extra dependency
 *   (libical-dev) would be only for this.  ICU 72 carries its own copy of
 *   the tz data, older than the system's.
 * - glibc converts only in the process's TZ, so every conversion sets TZ,
 *   calls tzset() and reads the wall clock with localtime_r() while
 *   holding calendar_lock, then puts TZ back.  This serialises the
 *   conversions, which is acceptable: deadlines are computed when an
 *   incident changes, not per request in a hot loop.
 * - Only localtime_r() is used: never mktime(), whose handling of times in
 *   a gap or an overlap is unspecified.  calendar_end_of_day() finds the
 *   instant itself, from the offsets on either side, so gaps and overlaps
 *   get a documented answer.
 * - TZ is set to ":" and the absolute path of the zone file that
 *   calendar_zone_valid() checked, so TZDIR cannot redirect it and an
 *   unknown name is never silently read as UTC.
 */
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "calendar.h"
#include "timeutil.h"

#ifndef CALENDAR_ZONEINFO
#define CALENDAR_ZONEINFO	"/usr/share/zoneinfo"
#endif

/* What glibc does when TZ is unset; restored instead of unsetting TZ. */
#define TZ_UNSET_VALUE		":/etc/localtime"

/* Instants: 1970-01-01T00:00:00Z .. 9999-12-31T23:59:59Z (day 2932896). */
#define T_MIN			INT64_C(0)
#define T_MAX			(INT64_C(2932896) * 86400 + 86399)
/* Civil dates whose end can fall in that range. */
#define DAY_MIN			INT64_C(-1)
#define DAY_MAX			INT64_C(2932896)

/* Wider than any UTC offset (real ones are within -12 h .. +14 h). */
#define WINDOW			(INT64_C(2) * 86400)

_Static_assert(sizeof(time_t) >= 8, "calendar needs a 64-bit time_t");

/* Held from setting TZ until it is put back; guards saved_tz too. */
static pthread_mutex_t	calendar_lock = PTHREAD_MUTEX_INITIALIZER;
static char		saved_tz[PATH_MAX];

static int	zone_path(const char *, char *, size_t);
static int	zone_enter(const char *);
static void	zone_leave(void);
static int	wall(int64_t, int64_t *);
static int	end_of_day_locked(int64_t, int64_t *);
static int	weekday(int64_t);
static int	is_holiday(const struct calendar *, int64_t);

/* Floor division by a positive divisor. */
static int64_t
floordiv(int64_t a, int64_t b)
{
	int64_t q = a / b;

	if (a % b != 0 && a < 0)
		q--;
	return (q);
}

/*
 * Check the syntax of tz and write the path of its zone file into buf.
 * Return 0 or -1.
 */
static int
zone_path(const char *tz, char *buf, size_t len)
{
	size_t n, i;
	int w;

	if (tz == NULL)
		return (-1);
	n = strnlen(tz, CALENDAR_TZ_MAX + 1);
	if (n == 0 || n > CALENDAR_TZ_MAX)
		return (-1);
	if (tz[0] == '/' || tz[n - 1] == '/')
		return (-1);
	for (i = 0; i < n; i++) {
		char ch = tz[i];

		if (ch == '/' && tz[i + 1] == '/')
			return (-1);
		if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
		    (ch >= '0' && ch <= '9') || ch == '/' || ch == '_' ||
		    ch == '-' || ch == '+')
			continue;
		return (-1);	/* no ".", so no ".." either */
	}
	/* Not zones: leap-second variants, links to the host's zone. */
	if (strncmp(tz, "posix/", 6) == 0 || strncmp(tz, "right/", 6) == 0 ||
	    strcmp(tz, "localtime") == 0 || strcmp(tz, "posixrules") == 0)
		return (-1);
	w = snprintf(buf, len, "%s/%s", CALENDAR_ZONEINFO, tz);
	if (w < 0 || (size_t)w >= len)
		return (-1);
	return (0);
}

int
calendar_zone_valid(const char *tz)
{
	char path[PATH_MAX], magic[4];
	struct stat st;
	int fd, rc = -1;

	if (zone_path(tz, path, sizeof(path)) == -1)
		goto err0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		goto err0;
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode))
		goto err1;
	if (read(fd, magic, sizeof(magic)) != (ssize_t)sizeof(magic) ||
	    memcmp(magic, "TZif", sizeof(magic)) != 0)
		goto err1;
	rc = 0;
err1:
	close(fd);
err0:
	return (rc);
}

int
calendar_global_init(void)
{
	int rc = 0;

	if (pthread_mutex_lock(&calendar_lock) != 0)
		return (-1);
	if (getenv("TZ") == NULL && setenv("TZ", TZ_UNSET_VALUE, 1) == -1)
		rc = -1;
	tzset();
	pthread_mutex_unlock(&calendar_lock);
	return (rc);
}

/*
 * Validate tz, take calendar_lock and make tz the process's zone.  Return
 * 0 with the lock held, or -1 without it.
 */
static int
zone_enter(const char *tz)
{
	char val[PATH_MAX + 1];
	const char *old;
	int w;

	if (calendar_zone_valid(tz) == -1)
		return (-1);
	w = snprintf(val, sizeof(val), ":%s/%s", CALENDAR_ZONEINFO, tz);
	if (w < 0 || (size_t)w >= sizeof(val))
		return (-1);
	if (pthread_mutex_lock(&calendar_lock) != 0)
		return (-1);
	if ((old = getenv("TZ")) == NULL)
		old = TZ_UNSET_VALUE;
	w = snprintf(saved_tz, sizeof(saved_tz), "%s", old);
	if (w < 0 || (size_t)w >= sizeof(saved_tz))
		goto fail;
	if (setenv("TZ", val, 1) == -1)
		goto fail;
	tzset();
	return (0);
fail:
	pthread_mutex_unlock(&calendar_lock);
	return (-1);
}

/* Put TZ back as zone_enter found it and release calendar_lock. */
static void
zone_leave(void)
{
	/* Replacing an existing variable cannot fail for want of memory
	 * in a way we could handle better than leaving the zone set. */
	(void)setenv("TZ", saved_tz, 1);
	tzset();
	pthread_mutex_unlock(&calendar_lock);
}

/*
 * The local wall-clock reading of instant t, as seconds since 1970-01-01
 * 00:00:00 of the local calendar.  Caller holds calendar_lock.
 */
static int
wall(int64_t t, int64_t *w)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (localtime_r(&tt, &tm) == NULL)
		return (-1);
	*w = timeutil_days_from_civil((int64_t)tm.tm_year + 1900,
	    (unsigned)tm.tm_mon + 1, (unsigned)tm.tm_mday) * 86400 +
	    tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec;
	return (0);
}

int
calendar_local_date(const char *tz, int64_t t, int64_t *day)
{
	int64_t w;
	int rc;

	if (day == NULL || t < T_MIN || t > T_MAX)
		return (-1);
	if (zone_enter(tz) == -1)
		return (-1);
	rc = wall(t, &w);
	zone_leave();
	if (rc == -1)
		return (-1);
	*day = floordiv(w, 86400);
	return (0);
}

/*
 * The end of civil date day in the current zone (see calendar.h).  Caller
 * holds calendar_lock.
 *
 * Let L be the wall reading day 23:59:59.  Away from a change the offset
 * o is the same on both sides and the answer is L - o.  Around a change,
 * the offsets two days either side give the two candidates; each is a
 * solution only if its own offset agrees.  Two solutions: an overlap,
 * take the earlier.  None: a gap swallowed 23:59:59, so bisect for the
 * jump and take the last second before it.
 */
static int
end_of_day_locked(int64_t day, int64_t *out)
{
	int64_t l, lo, hi, wlo, whi, w, t, best = -1;
	int64_t cand[2];
	int found = 0;

	l = day * 86400 + 86399;
	lo = l - WINDOW;
	hi = l + WINDOW;
	if (wall(lo, &wlo) == -1 || wall(hi, &whi) == -1)
		return (-1);
	if (wlo >= l || whi <= l)
		return (-1);	/* not a real zone: offsets over two days */
	cand[0] = l - (wlo - lo);
	cand[1] = l - (whi - hi);
	for (int i = 0; i < 2; i++) {
		if (wall(cand[i], &w) == -1)
			return (-1);
		if (w == l && (!found || cand[i] < best)) {
			best = cand[i];
			found = 1;
		}
	}
	if (!found) {
		/* wall(lo) < l < wall(hi) throughout. */
		while (hi - lo > 1) {
			t = lo + (hi - lo) / 2;
			if (wall(t, &w) == -1)
				return (-1);
			if (w < l)
				lo = t;
			else if (w == l) {
				lo = t;
				break;
			} else
				hi = t;
		}
		best = lo;
	}
	*out = best;
	return (0);
}

int
calendar_end_of_day(const char *tz, int64_t day, int64_t *t)
{
	int64_t r;
	int rc;

	if (t == NULL || day < DAY_MIN || day > DAY_MAX)
		return (-1);
	if (zone_enter(tz) == -1)
		return (-1);
	rc = end_of_day_locked(day, &r);
	zone_leave();
	if (rc == -1 || r < T_MIN || r > T_MAX)
		return (-1);
	*t = r;
	return (0);
}

/* 0 = Sunday .. 6 = Saturday; day 0 (1970-01-01) was a Thursday. */
static int
weekday(int64_t day)
{
	return ((int)((day % 7 + 7 + 4) % 7));
}

static int
is_holiday(const struct calendar *c, int64_t day)
{
	size_t lo = 0, hi = c->nholidays;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (c->holidays[mid] == day)
			return (1);
		if (c->holidays[mid] < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (0);
}

int
calendar_add(const struct calendar *c, int64_t start, int64_t n,
    enum calendar_unit unit, int64_t *due)
{
	int64_t d0, d, y, total, y2;
	unsigned m, dd, m2, dim;
	size_t i;

	if (due == NULL || n < 0 || n > CALENDAR_MAX_N || start < T_MIN ||
	    start > T_MAX)
		return (-1);
	switch (unit) {
	case CALENDAR_HOURS:
		/* n <= CALENDAR_MAX_N and start <= T_MAX: cannot overflow. */
		d = start + n * 3600;
		if (d > T_MAX)
			return (-1);
		*due = d;
		return (0);
	case CALENDAR_DAYS:
	case CALENDAR_BUSINESS_DAYS:
	case CALENDAR_MONTHS:
		break;
	default:
		return (-1);
	}
	if (c == NULL || (c->nholidays > 0 && c->holidays == NULL))
		return (-1);
	for (i = 1; i < c->nholidays; i++)
		if (c->holidays[i - 1] >= c->holidays[i])
			return (-1);
	if (calendar_local_date(c->tz, start, &d0) == -1)
		return (-1);

	switch (unit) {
	case CALENDAR_DAYS:
		d = d0 + n;
		break;
	case CALENDAR_BUSINESS_DAYS:
		/* Ends by DAY_MAX even if every day were a holiday. */
		for (d = d0; n > 0; ) {
			int wd;

			if (++d > DAY_MAX)
				return (-1);
			wd = weekday(d);
			if (wd != 0 && wd != 6 && !is_holiday(c, d))
				n--;
		}
		break;
	case CALENDAR_MONTHS:
	default:
		timeutil_civil_from_days(d0, &y, &m, &dd);
		total = (int64_t)(m - 1) + n;
		y2 = y + total / 12;
		m2 = (unsigned)(total % 12) + 1;
		if (y2 > 9999)
			return (-1);
		dim = timeutil_days_in_month(y2, m2);
		d = timeutil_days_from_civil(y2, m2, dd < dim ? dd : dim);
		break;
	}
	return (calendar_end_of_day(c->tz, d, due));
}

int
calendar_year_end(const char *tz, int64_t t, int64_t *out)
{
	int64_t day, y;
	unsigned m, d;

	if (out == NULL || calendar_local_date(tz, t, &day) == -1)
		return (-1);
	timeutil_civil_from_days(day, &y, &m, &d);
	return (calendar_end_of_day(tz, timeutil_days_from_civil(y, 12, 31),
	    out));
}
