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
#define TZ_UNSET	":/etc/localtime"
#define T_MAX		(INT64_C(2932896) * 86400 + 86399)

static pthread_mutex_t	zone_lock = PTHREAD_MUTEX_INITIALIZER;

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

int
zone_local(const char *tz, int64_t t, struct zone_tm *out)
{
	char val[PATH_MAX + 1], saved[PATH_MAX];
	const char *old;
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
	if (calendar_zone_valid(tz) == -1)
		return (-1);
	w = snprintf(val, sizeof(val), ":%s/%s", ZONEINFO, tz);
	if (w < 0 || (size_t)w >= sizeof(val))
		return (-1);
	if (pthread_mutex_lock(&zone_lock) != 0)
		return (-1);
	if ((old = getenv("TZ")) == NULL)
		old = TZ_UNSET;
	w = snprintf(saved, sizeof(saved), "%s", old);
	if (w < 0 || (size_t)w >= sizeof(saved))
		goto out;
	if (setenv("TZ", val, 1) == -1)
		goto out;
	tzset();
	if (localtime_r(&tt, &tm) != NULL) {
		fill(&tm, out);
		rc = 0;
	}
	(void)setenv("TZ", saved, 1);
	tzset();
out:
	pthread_mutex_unlock(&zone_lock);
	return (rc);
}
