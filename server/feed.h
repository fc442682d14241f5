/*
 * feed: the calendar feed of open obligations as an RFC 5545 iCalendar
 * object, built with libical so that escaping (',', ';', '\', newlines)
 * and line folding (75 octets, never inside a UTF-8 sequence) are right.
 * Pure: no I/O and no clock reads; the caller passes everything in.
 *
 * One VEVENT per obligation:
 *   UID       obligation-<id>@<instance>.breachclock (stable for the life
 *             of the obligation, unique across installations)
 *   SEQUENCE  how many times the deadline has moved (sql/009_feeds.sql)
 *   DTSTAMP   when the obligation last changed in the store (RFC 5545
 *             3.8.7.2, for an object without METHOD); also LAST-MODIFIED
 *   DTSTART   the deadline, UTC; DURATION 15 minutes, TRANSP TRANSPARENT
 *   SUMMARY   "<ref>: <phase> - <regime>" (the incident title only when
 *             the installation asks for it: see feed_calendar.titles)
 *   DESCRIPTION  deadline, recipient, regime, rule and the incident link
 *   URL       the incident page
 *   VALARM    DISPLAY 24 hours and 1 hour before the deadline
 */
#ifndef BREACHCLOCK_FEED_H
#define BREACHCLOCK_FEED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One open obligation; every string is borrowed for the call and must
 * not be NULL except title. */
struct feed_event {
	int64_t obligation_id;
	int64_t incident_id;
	int64_t revision;        /* times the deadline moved */
	int64_t due_at;          /* seconds since the epoch, UTC */
	int64_t created_at;
	int64_t updated_at;
	bool target;             /* due_at is the organisation's target */
	const char *ref;         /* BR-2026-0001 */
	const char *title;       /* the incident title, or NULL: not shown */
	const char *regime_name;
	const char *phase_name;
	const char *recipient;
	const char *basis;       /* the rule applied, in words */
};

/* The calendar as a whole; strings borrowed for the call. */
struct feed_calendar {
	const char *instance;    /* this installation's id: [0-9a-f]+ */
	const char *base_url;    /* web UI base, no trailing '/' */
	const char *version;     /* for PRODID */
};

/*
 * Render n events as one VCALENDAR.  On success return 0 with *out a new
 * NUL-terminated malloc'd text of *len bytes (CRLF line ends) that the
 * caller frees; -1 on an allocation or libical error (*out NULL).
 */
int feed_render(const struct feed_calendar *c, const struct feed_event *ev,
    size_t n, char **out, size_t *len);

/*
 * The web UI's page of incident id under base (borrowed; trailing '/'
 * ignored), "<base>/incident.html?id=<id>", written NUL-terminated into
 * buf of len bytes; the feed and the escalation e-mails both link there.
 * 0, or -1 when it does not fit (buf then holds "").
 */
int feed_incident_url(char *buf, size_t len, const char *base, int64_t id);

#endif
