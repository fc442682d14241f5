/*
 * metrics: request counters and latency histograms for GET /metrics, in
 * the Prometheus text exposition format (version 0.0.4).
 *
 * The request path only does relaxed atomic additions into fixed tables
 * indexed by route (the router table's index, so a label is a route
 * pattern such as /api/v1/incidents/#, never a raw path) and by status
 * code; there is no lock and no allocation.  A scrape reads the tables
 * and writes text.  Each histogram's _count and +Inf bucket are the sum
 * of the same bucket reads, so they always agree and the buckets are
 * cumulative, even while requests complete during the scrape.
 */
#ifndef BREACHCLOCK_METRICS_H
#define BREACHCLOCK_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Largest text a scrape may produce. */
#define METRICS_TEXT_MAX (4u << 20)

/* A growing text of at most METRICS_TEXT_MAX bytes.  After a failed
 * append (no memory, or the cap) failed is set and later appends do
 * nothing. */
struct metrics_text {
	char *p;             /* NUL-terminated, malloc'd; owned */
	size_t len;
	size_t cap;
	bool failed;
};

/* Fill t (caller-owned) as empty.  Free the contents with
 * metrics_text_release(), or take t->p over and free() it. */
void metrics_text_init(struct metrics_text *t);
void metrics_text_release(struct metrics_text *t);

/* Append formatted text. */
void metrics_printf(struct metrics_text *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Append "# HELP name help" and "# TYPE name type". */
void metrics_family(struct metrics_text *t, const char *name,
    const char *type, const char *help);

/* Append a label value escaped for the exposition format (\\, \", \n). */
void metrics_label(struct metrics_text *t, const char *value);

/*
 * Count one answered request: route is 1 + its index in the router's
 * table, or 0 for a request no route took (static files, 404, 405, 413);
 * seconds is how long it took from the first byte to the answer.
 */
void metrics_observe(size_t route, int status, double seconds);

/* Append the request counter and latency histogram families. */
void metrics_write_http(struct metrics_text *t);

struct sockaddr;

/*
 * Who may scrape: a caller presenting "Authorization: Bearer <token>"
 * where token (may be NULL or "": none configured) is the configured
 * metrics token, compared in constant time; or, with no Authorization
 * header, a loopback peer when allow_loopback, unless the request carries
 * a Forwarded or X-Forwarded-For header (forwarded: a reverse proxy on
 * this host relays it from elsewhere).  Return 0 to allow, 401 when a
 * token is wrong or one is configured and missing, 403 when no token is
 * configured and the peer is not allowed.
 */
int metrics_access(const char *token, bool allow_loopback,
    const struct sockaddr *peer, const char *authorization, bool forwarded);

#endif
