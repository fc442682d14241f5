/*
 * api_reports: the breach register export (UK GDPR Art. 33(5)) and the
 * report figures.
 *
 * The register is streamed (struct req_stream): the handler writes the
 * head and the first page, and libmicrohttpd then pulls the rest through
 * register_read() a page of incidents at a time, so an export of any size
 * holds at most one page of rendered text (REGISTER_FILL, plus the entry
 * that passed it).  Each page is one store_register_scan() on the
 * connection of the thread that runs the read, and the scan resets its
 * statement before it returns: no statement or read transaction stays
 * open between pages, so nothing is left to finalize when the client goes
 * away mid-way, and a long export neither pins a WAL snapshot nor blocks
 * the other requests the same thread serves.  The position between pages
 * is the last (discovered_at, id) sent.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "api.h"
#include "calendar.h"
#include "log.h"
#include "register.h"
#include "store.h"
#include "store_api.h"
#include "timeutil.h"

#define REGISTER_PAGE_ROWS 64
#define REGISTER_FILL (64 * 1024)     /* a page stops once this is queued */
#define REGISTER_BUF_MAX (32 * 1024 * 1024) /* far above one entry */
#define DAY_LAST_SECOND 86399
#define MONTHS_FILL_MAX 1200          /* gaps in by_month filled up to this */

struct register_stream {
	enum register_format fmt;
	struct store_register_query q;
	enum { PHASE_HEAD, PHASE_ROWS, PHASE_FOOT, PHASE_DONE } phase;
	int64_t count;                 /* entries rendered so far */
	struct register_buf out;       /* rendered, not yet read */
	size_t off;                    /* how much of out was read */
	char from[TIMEUTIL_RFC3339_LEN], to[TIMEUTIL_RFC3339_LEN];
	char generated[TIMEUTIL_RFC3339_LEN];
	pthread_t thread;              /* the handler's thread */
	bool moved;                    /* a read ran on another thread */
};

/* The HTML register's CSP: its one <style> allowed by hash. */
static char html_csp[256];
static pthread_once_t html_csp_once = PTHREAD_ONCE_INIT;

static void
html_csp_init(void)
{
	unsigned char h[crypto_hash_sha256_BYTES];
	char b64[sodium_base64_ENCODED_LEN(crypto_hash_sha256_BYTES,
	    sodium_base64_VARIANT_ORIGINAL)];

	crypto_hash_sha256(h, (const unsigned char *)REGISTER_HTML_STYLE,
	    strlen(REGISTER_HTML_STYLE));
	sodium_bin2base64(b64, sizeof(b64), h, sizeof(h),
	    sodium_base64_VARIANT_ORIGINAL);
	snprintf(html_csp, sizeof(html_csp), "default-src 'none'; "
	    "style-src 'sha256-%s'; img-src 'none'; base-uri 'none'; "
	    "form-action 'none'; frame-ancestors 'none'", b64);
}

/* A bound of the period: RFC 3339, or YYYY-MM-DD meaning the first (from)
 * or the last (to) second of that day in zone tz (NULL: UTC).  In a zone,
 * the last second is calendar_end_of_day() of the day and the first is
 * one after that of the day before; a day the zone cannot place (at the
 * ends of 1970..9999) is read as the UTC day.  NULL, or why it is not
 * one. */
static const char *
parse_bound(const char *s, bool end, const char *tz, int64_t *out)
{
	const char *why;
	char buf[32];
	int64_t t;
	bool date = strlen(s) == 10 && strspn(s, "0123456789-") == 10 &&
	    s[4] == '-' && s[7] == '-';

	if (date) {
		snprintf(buf, sizeof(buf), "%sT00:00:00Z", s);
		s = buf;
	}
	if ((why = timeutil_parse_why(s)) != NULL)
		return (strcmp(why, TIMEUTIL_WHY_RANGE) == 0 ? why :
		    "must be an RFC 3339 date-time with an offset or a date "
		    "YYYY-MM-DD");
	(void)timeutil_parse(s, out);
	if (date && tz != NULL && calendar_end_of_day(tz, *out / 86400 -
	    (end ? 0 : 1), &t) == 0) {
		*out = end ? t : t + 1;
		return (NULL);
	}
	if (date && end)
		*out += DAY_LAST_SECOND;
	return (NULL);
}

/* The period of the query into [*from, *to] (INT64_MIN / INT64_MAX when
 * open), its dates read as days in zone tz (NULL: UTC): 0, or 400 with
 * the problem filled. */
static int
period(struct req *r, const char *tz, int64_t *from, int64_t *to)
{
	const char *f = req_query(r, "from"), *t = req_query(r, "to");
	const char *why;

	*from = INT64_MIN;
	*to = INT64_MAX;
	if (f != NULL && (why = parse_bound(f, false, tz, from)) != NULL)
		return (problem_set(&r->problem, 400, "invalid-query", "from",
		    "from: %s", why));
	if (t != NULL && (why = parse_bound(t, true, tz, to)) != NULL)
		return (problem_set(&r->problem, 400, "invalid-query", "to",
		    "to: %s", why));
	if (*from > *to)
		return (problem_set(&r->problem, 400, "invalid-query", "to",
		    "to: must not be before from"));
	return (0);
}

/* A bound as output: the instant, or null when open. */
static json_t *
bound_json(int64_t t)
{
	return (t == INT64_MIN || t == INT64_MAX ? json_null() :
	    store_json_time(t));
}

/* Is a q parameter of a media range zero ("q=0", "q=0.0", ...)? */
static bool
q_zero(const char *params, size_t n)
{
	const char *p = params, *end = params + n;

	while (p < end) {
		while (p < end && (*p == ';' || *p == ' ' || *p == '\t'))
			p++;
		if (end - p >= 3 && (p[0] == 'q' || p[0] == 'Q') &&
		    p[1] == '=' && p[2] == '0') {
			p += 3;
			if (p < end && *p == '.')
				p++;
			while (p < end && *p == '0')
				p++;
			while (p < end && (*p == ' ' || *p == '\t'))
				p++;
			return (p == end || *p == ';');
		}
		while (p < end && *p != ';')
			p++;
	}
	return (false);
}

/* The first of text/csv, text/html and application/json that Accept
 * names with a non-zero q; JSON when it names none. */
static enum register_format
accept_format(const char *accept)
{
	static const struct {
		const char *type;
		enum register_format f;
	} types[] = {
		{ "text/csv", REGISTER_CSV },
		{ "text/html", REGISTER_HTML },
		{ "application/json", REGISTER_JSON },
	};
	const char *p = accept, *end, *semi;
	size_t n, tn;

	while (p != NULL && *p != '\0') {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		end = strchr(p, ',');
		n = end != NULL ? (size_t)(end - p) : strlen(p);
		semi = memchr(p, ';', n);
		tn = semi != NULL ? (size_t)(semi - p) : n;
		while (tn > 0 && (p[tn - 1] == ' ' || p[tn - 1] == '\t'))
			tn--;
		for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
			if (strlen(types[i].type) == tn &&
			    strncasecmp(p, types[i].type, tn) == 0 &&
			    !(semi != NULL && q_zero(semi, n - (size_t)(semi -
			    p))))
				return (types[i].f);
		p = end;
	}
	return (REGISTER_JSON);
}

static int
register_on_entry(void *arg, json_t *entry, int64_t discovered_at,
    int64_t id)
{
	struct register_stream *st = arg;

	if (register_entry(st->fmt, &st->out, entry, st->count) == -1) {
		log_event(LOG_ERROR, "cannot render a register entry", NULL);
		return (-1);
	}
	st->count++;
	st->q.after_at = discovered_at;
	st->q.after_id = id;
	return (st->out.len >= REGISTER_FILL ? 1 : 0);
}

/* Render the next part of the export into st->out: 0 or -1. */
static int
register_fill(struct register_stream *st)
{
	struct store *s;
	int rc;

	switch (st->phase) {
	case PHASE_HEAD:
		st->phase = PHASE_ROWS;
		return (register_head(st->fmt, &st->out, st->from[0] != '\0' ?
		    st->from : NULL, st->to[0] != '\0' ? st->to : NULL,
		    st->generated));
	case PHASE_ROWS:
		if (!st->moved && !pthread_equal(st->thread, pthread_self())) {
			st->moved = true;
			log_event(LOG_WARN, "register stream read on another "
			    "thread", NULL);
		}
		if ((s = store_thread()) == NULL ||
		    (rc = store_register_scan(s, &st->q, register_on_entry,
		    st)) == -1)
			return (-1);
		if (rc == 1)
			st->phase = PHASE_FOOT;
		return (0);
	case PHASE_FOOT:
		st->phase = PHASE_DONE;
		return (register_foot(st->fmt, &st->out, st->count));
	case PHASE_DONE:
		break;
	}
	return (0);
}

static ssize_t
register_read(void *arg, char *buf, size_t max)
{
	struct register_stream *st = arg;
	size_t n;

	while (st->off == st->out.len) {
		if (st->phase == PHASE_DONE)
			return (0);
		st->out.len = st->off = 0;
		if (register_fill(st) == -1) {
			log_event(LOG_ERROR, "register export cut short", NULL);
			return (-1);
		}
	}
	n = st->out.len - st->off;
	if (n > max)
		n = max;
	memcpy(buf, st->out.p + st->off, n);
	st->off += n;
	return ((ssize_t)n);
}

static void
register_free(void *arg)
{
	struct register_stream *st = arg;

	register_buf_release(&st->out);
	free(st);
}

int
api_reports_register(struct req *r)
{
	static const char *const names[] = { "breach-register.json",
		"breach-register.csv", "breach-register.html" };
	struct register_stream *st;
	const char *fmt = req_query(r, "format");
	enum register_format f;
	int64_t from, to;
	int status;

	if ((status = period(r, NULL, &from, &to)) != 0)
		return (status);
	if (fmt != NULL && register_format_parse(fmt, &f) == -1)
		return (problem_set(&r->problem, 400, "invalid-query",
		    "format", "format: must be csv, json or html"));
	if (fmt == NULL)
		f = accept_format(req_header(r, "Accept"));
	if ((st = calloc(1, sizeof(*st))) == NULL)
		return (api_internal(r, "register"));
	st->fmt = f;
	st->q.from = from;
	st->q.to = to;
	st->q.after_at = INT64_MIN;
	st->q.limit = REGISTER_PAGE_ROWS;
	st->q.now = r->now;
	st->phase = PHASE_HEAD;
	st->thread = pthread_self();
	register_buf_init(&st->out, REGISTER_BUF_MAX);
	if (from != INT64_MIN)
		(void)timeutil_format(from, st->from, sizeof(st->from));
	if (to != INT64_MAX)
		(void)timeutil_format(to, st->to, sizeof(st->to));
	(void)timeutil_format(r->now, st->generated, sizeof(st->generated));
	/* The head and the first page now, so that a database error is
	 * still a 500 and not a body cut short. */
	if (register_fill(st) == -1 || register_fill(st) == -1) {
		register_free(st);
		return (api_internal(r, "register"));
	}
	r->stream.read = register_read;
	r->stream.free = register_free;
	r->stream.arg = st;
	r->text_type = register_content_type(f);
	if (f == REGISTER_HTML) {
		pthread_once(&html_csp_once, html_csp_init);
		r->text_csp = html_csp;
	}
	snprintf(r->disposition, sizeof(r->disposition),
	    "%s; filename=\"%s\"", f == REGISTER_CSV ? "attachment" : "inline",
	    names[f]);
	return (200);
}

/* by_month (borrowed, months in order) with the months between its first
 * and last filled in with zeros; a new array, or NULL. */
static json_t *
months_filled(json_t *by_month)
{
	json_t *out, *o;
	size_t n = json_array_size(by_month), i = 0;
	unsigned y0, m0, y1, m1;
	char key[8];

	if (n == 0 || sscanf(json_string_value(json_object_get(
	    json_array_get(by_month, 0), "month")), "%4u-%2u", &y0, &m0) != 2 ||
	    sscanf(json_string_value(json_object_get(json_array_get(by_month,
	    n - 1), "month")), "%4u-%2u", &y1, &m1) != 2 ||
	    (int64_t)(y1 * 12 + m1) - (int64_t)(y0 * 12 + m0) >=
	    MONTHS_FILL_MAX)
		return (json_incref(by_month));
	if ((out = json_array()) == NULL)
		return (NULL);
	for (unsigned y = y0, m = m0; y * 12 + m <= y1 * 12 + m1;) {
		snprintf(key, sizeof(key), "%04u-%02u", y, m);
		o = json_array_get(by_month, i);
		if (o != NULL && strcmp(json_string_value(json_object_get(o,
		    "month")), key) == 0) {
			json_array_append(out, o);
			i++;
		} else {
			json_array_append_new(out, json_pack("{s:s, s:i}",
			    "month", key, "count", 0));
		}
		if (++m == 13) {
			m = 1;
			y++;
		}
	}
	return (out);
}

int
api_reports_get(struct req *r)
{
	json_t *out = NULL, *res = NULL, *inc, *months;
	const char *tz = req_query(r, "tz");
	int64_t from, to;
	char *text;
	int status;

	if (tz != NULL && calendar_zone_valid(tz) == -1)
		return (problem_set(&r->problem, 400, "invalid-query", "tz",
		    "tz: is not an IANA time zone such as Europe/London"));
	if ((status = period(r, tz, &from, &to)) != 0)
		return (status);
	status = 500;
	if (store_report(r->store, tz, from, to, r->now, &out) == -1) {
		status = api_internal(r, "report");
		goto out;
	}
	inc = json_object_get(out, "incidents");
	res = json_pack("{s:o, s:o, s:o}", "from", bound_json(from), "to",
	    bound_json(to), "generated_at", store_json_time(r->now));
	if ((months = months_filled(json_object_get(inc, "by_month"))) ==
	    NULL || json_object_set_new(inc, "by_month", months) == -1 ||
	    res == NULL || json_object_update(res, out) == -1) {
		status = api_internal(r, "report");
		goto out;
	}
	/* Hours and shares print as 26.5, not 26.500000000000001. */
	if ((text = json_dumps(res, JSON_COMPACT | JSON_REAL_PRECISION(10))) ==
	    NULL) {
		status = api_internal(r, "report");
		goto out;
	}
	r->text = text;
	r->text_len = strlen(text);
	r->text_type = "application/json";
	status = 200;
out:
	json_decref(res);
	json_decref(out);
	return (status);
}
