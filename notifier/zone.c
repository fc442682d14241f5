/* zone: wall-clock time in an IANA zone (see zone.h for the approach). */
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "calendar.h"
#include "zone.h"

#define ZONEINFO	"/usr/share/zoneinfo"
#define T_MAX		(INT64_C(2932896) * 86400 + 86399)

/* Guards TZ, tz_current and the cache. */
static pthread_mutex_t	zone_lock = PTHREAD_MUTEX_INITIALIZER;
/* The zone TZ was last set to by zone_local ("" = not yet). */
static char		tz_current[CALENDAR_TZ_MAX + 1];

static struct zone_name {
	char	name[CALENDAR_TZ_MAX + 1];
	time_t	checked;		/* when validated */
} zone_cache[ZONE_CACHE_MAX];
static size_t		zone_cache_next;	/* next slot to replace */

static void
fill(const struct tm *tm, struct zone_tm *out)
{
	int w;

	out->year = tm->tm_year + 1900;
	out->mon = tm->tm_mon + 1;
	out->mday = tm->tm_mday;
	out->hour = tm->tm_hour;
	out->min = tm->tm_min;
	out->wday = tm->tm_wday;
	out->gmtoff = tm->tm_gmtoff;
	w = snprintf(out->abbr, sizeof(out->abbr), "%s",
	    tm->tm_zone != NULL ? tm->tm_zone : "");
	if (w <= 0 || (size_t)w >= sizeof(out->abbr))
		snprintf(out->abbr, sizeof(out->abbr), "UTC%+ld",
		    tm->tm_gmtoff / 3600);
}

/*
 * Whether tz is a valid zone: from the cache when checked within
 * ZONE_CACHE_TTL seconds, else calendar_zone_valid() (and cached).  The
 * caller holds zone_lock.  0 or -1.
 */
static int
zone_valid_cached(const char *tz, time_t now)
{
	size_t i;

	if (strlen(tz) > CALENDAR_TZ_MAX)
		return (-1);
	for (i = 0; i < ZONE_CACHE_MAX; i++)
		if (strcmp(zone_cache[i].name, tz) == 0) {
			if (now - zone_cache[i].checked < ZONE_CACHE_TTL &&
			    now >= zone_cache[i].checked)
				return (0);
			break;
		}
	if (calendar_zone_valid(tz) == -1) {
		if (i < ZONE_CACHE_MAX)
			zone_cache[i].name[0] = '\0';
		return (-1);
	}
	if (i == ZONE_CACHE_MAX) {
		i = zone_cache_next;
		zone_cache_next = (zone_cache_next + 1) % ZONE_CACHE_MAX;
	}
	snprintf(zone_cache[i].name, sizeof(zone_cache[i].name), "%s", tz);
	zone_cache[i].checked = now;
	return (0);
}

int
zone_local(const char *tz, int64_t t, struct zone_tm *out)
{
	char val[PATH_MAX + 1];
	struct tm tm;
	time_t tt;
	int w, rc = -1;

	if (t < 0 || t > T_MAX)
		return (-1);
	tt = (time_t)t;
	if (tz == NULL || *tz == '\0' || strcmp(tz, "UTC") == 0) {
		if (gmtime_r(&tt, &tm) == NULL)
			return (-1);
		fill(&tm, out);
		snprintf(out->abbr, sizeof(out->abbr), "UTC");
		return (0);
	}
	if (pthread_mutex_lock(&zone_lock) != 0)
		return (-1);
	if (zone_valid_cached(tz, time(NULL)) == -1)
		goto out;
	if (strcmp(tz_current, tz) != 0) {
		w = snprintf(val, sizeof(val), ":%s/%s", ZONEINFO, tz);
		if (w < 0 || (size_t)w >= sizeof(val))
			goto out;
		/* Until TZ is known to be set, no zone is current. */
		tz_current[0] = '\0';
		if (setenv("TZ", val, 1) == -1)
			goto out;
		tzset();
		snprintf(tz_current, sizeof(tz_current), "%s", tz);
	}
	if (localtime_r(&tt, &tm) != NULL) {
		fill(&tm, out);
		rc = 0;
	}
out:
	pthread_mutex_unlock(&zone_lock);
	return (rc);
}
