#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libical/ical.h>

#include "feed.h"
#include "timeutil.h"

#define EVENT_MINUTES 15
#define TEXT_MAX 8192
#define REFRESH_SECONDS (15 * 60)

/* When to remind, before the deadline. */
static const int alarm_seconds[] = { 24 * 3600, 3600 };

static pthread_once_t utc_once = PTHREAD_ONCE_INIT;

/* libical builds its UTC zone lazily; build it once before any thread
 * can race to it. */
static void
utc_init(void)
{
	(void)icaltimezone_get_utc_timezone();
}

static struct icaltimetype
utc_time(int64_t t)
{
	return (icaltime_from_timet_with_zone((time_t)t, 0,
	    icaltimezone_get_utc_timezone()));
}

/* Add p to comp; false (and p dropped) when p is NULL or ok already
 * false, so a chain of adds needs one check at the end. */
static bool
add(icalcomponent *comp, icalproperty *p, bool ok)
{
	if (p == NULL)
		return (false);
	if (!ok) {
		icalproperty_free(p);
		return (false);
	}
	icalcomponent_add_property(comp, p);
	return (true);
}

static icalcomponent *
alarm_new(int before, const char *summary)
{
	struct icaltriggertype tr;
	icalcomponent *a;
	bool ok = true;

	if ((a = icalcomponent_new(ICAL_VALARM_COMPONENT)) == NULL)
		return (NULL);
	memset(&tr, 0, sizeof(tr));
	tr.time = icaltime_null_time();
	tr.duration = icaldurationtype_from_int(-before);
	ok = add(a, icalproperty_new_action(ICAL_ACTION_DISPLAY), ok);
	ok = add(a, icalproperty_new_trigger(tr), ok);
	ok = add(a, icalproperty_new_description(summary), ok);
	if (!ok) {
		icalcomponent_free(a);
		return (NULL);
	}
	return (a);
}

int
feed_incident_url(char *buf, size_t len, const char *base, int64_t id)
{
	size_t n = strlen(base);
	int w;

	while (n > 0 && base[n - 1] == '/')
		n--;
	w = snprintf(buf, len, "%.*s/incident.html?id=%lld", (int)n, base,
	    (long long)id);
	if (w < 0 || (size_t)w >= len) {
		if (len > 0)
			buf[0] = '\0';
		return (-1);
	}
	return (0);
}

static icalcomponent *
event_new(const struct feed_calendar *c, const struct feed_event *e)
{
	char uid[160], summary[TEXT_MAX], desc[TEXT_MAX], url[1200];
	char due[TIMEUTIL_RFC3339_LEN];
	icalcomponent *v, *a;
	bool ok = true;

	if ((v = icalcomponent_new(ICAL_VEVENT_COMPONENT)) == NULL)
		return (NULL);
	if (timeutil_format(e->due_at, due, sizeof(due)) == -1)
		snprintf(due, sizeof(due), "?");
	snprintf(uid, sizeof(uid), "obligation-%lld@%s.breachclock",
	    (long long)e->obligation_id, c->instance);
	(void)feed_incident_url(url, sizeof(url), c->base_url,
	    e->incident_id);
	if (e->title != NULL)
		snprintf(summary, sizeof(summary), "%s %s: %s - %s", e->ref,
		    e->title, e->phase_name, e->regime_name);
	else
		snprintf(summary, sizeof(summary), "%s: %s - %s", e->ref,
		    e->phase_name, e->regime_name);
	snprintf(desc, sizeof(desc),
	    "%s%s%s"
	    "Deadline: %s (UTC)%s\n"
	    "Tell: %s\n"
	    "Regime: %s\n"
	    "Rule: %s\n"
	    "Incident: %s",
	    e->title != NULL ? "Incident title: " : "",
	    e->title != NULL ? e->title : "", e->title != NULL ? "\n" : "",
	    due, e->target ? ", the organisation's target: the law sets no "
	    "fixed period" : "", e->recipient, e->regime_name, e->basis, url);
	ok = add(v, icalproperty_new_uid(uid), ok);
	ok = add(v, icalproperty_new_sequence((int)(e->revision > 1000000 ?
	    1000000 : e->revision)), ok);
	ok = add(v, icalproperty_new_dtstamp(utc_time(e->updated_at)), ok);
	ok = add(v, icalproperty_new_created(utc_time(e->created_at)), ok);
	ok = add(v, icalproperty_new_lastmodified(utc_time(e->updated_at)), ok);
	ok = add(v, icalproperty_new_dtstart(utc_time(e->due_at)), ok);
	ok = add(v, icalproperty_new_duration(icaldurationtype_from_int(
	    EVENT_MINUTES * 60)), ok);
	ok = add(v, icalproperty_new_summary(summary), ok);
	ok = add(v, icalproperty_new_description(desc), ok);
	ok = add(v, icalproperty_new_url(url), ok);
	ok = add(v, icalproperty_new_status(ICAL_STATUS_CONFIRMED), ok);
	ok = add(v, icalproperty_new_transp(ICAL_TRANSP_TRANSPARENT), ok);
	ok = add(v, icalproperty_new_class(ICAL_CLASS_CONFIDENTIAL), ok);
	for (size_t i = 0; ok && i < sizeof(alarm_seconds) /
	    sizeof(alarm_seconds[0]); i++) {
		if ((a = alarm_new(alarm_seconds[i], summary)) == NULL)
			ok = false;
		else
			icalcomponent_add_component(v, a);
	}
	if (!ok) {
		icalcomponent_free(v);
		return (NULL);
	}
	return (v);
}

int
feed_render(const struct feed_calendar *c, const struct feed_event *ev,
    size_t n, char **out, size_t *len)
{
	char prodid[128];
	icalcomponent *cal, *v;
	icalproperty *name;
	bool ok = true;

	*out = NULL;
	*len = 0;
	pthread_once(&utc_once, utc_init);
	if ((cal = icalcomponent_new(ICAL_VCALENDAR_COMPONENT)) == NULL)
		return (-1);
	snprintf(prodid, sizeof(prodid), "-//breachclock//breachclock %s//EN",
	    c->version);
	ok = add(cal, icalproperty_new_version("2.0"), ok);
	ok = add(cal, icalproperty_new_prodid(prodid), ok);
	ok = add(cal, icalproperty_new_calscale("GREGORIAN"), ok);
	ok = add(cal, icalproperty_new_name("breachclock deadlines"), ok);
	ok = add(cal, icalproperty_new_refreshinterval(
	    icaldurationtype_from_int(REFRESH_SECONDS)), ok);
	/* The de facto names many clients still read instead of RFC 7986's
	 * (constant text, so libical's X-property escaping does not matter). */
	if ((name = icalproperty_new_x("breachclock deadlines")) != NULL)
		icalproperty_set_x_name(name, "X-WR-CALNAME");
	ok = add(cal, name, ok);
	if ((name = icalproperty_new_x("PT15M")) != NULL)
		icalproperty_set_x_name(name, "X-PUBLISHED-TTL");
	ok = add(cal, name, ok);
	for (size_t i = 0; ok && i < n; i++) {
		if ((v = event_new(c, &ev[i])) == NULL)
			ok = false;
		else
			icalcomponent_add_component(cal, v);
	}
	if (ok && (*out = icalcomponent_as_ical_string_r(cal)) == NULL)
		ok = false;
	icalcomponent_free(cal);
	if (!ok)
		return (-1);
	*len = strlen(*out);
	return (0);
}
