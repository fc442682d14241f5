/*
 * req: one HTTP request as the handlers see it, and what they hand back.
 *
 * Handler contract (STYLE.md 3): int handler(struct req *r) returns an HTTP
 * status.  On success it may set r->out to a new JSON value that the
 * dispatcher then owns and frees, and r->location / r->etag.  On failure it
 * fills r->problem (problem_set) and returns that status; only the
 * dispatcher writes the body.  Authentication and roles are checked before
 * a handler runs.
 */
#ifndef BREACHCLOCK_REQ_H
#define BREACHCLOCK_REQ_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "problem.h"

struct MHD_Connection;
struct store;
struct config;

enum role {
	ROLE_REPORTER = 1 << 0,
	ROLE_HANDLER = 1 << 1,
	ROLE_DPO = 1 << 2,
	ROLE_VIEWER = 1 << 3,
	ROLE_ADMIN = 1 << 4,
	ROLE_NOTIFIER = 1 << 5,
};

/* The authenticated caller. */
struct principal {
	int64_t user_id;
	char name[72];
	enum role role;
	char email[256];
	char tz[64];               /* IANA zone for times shown to them */
};

/*
 * A streamed response body.  read(arg, buf, max) writes up to max bytes
 * into buf and returns how many (> 0), 0 at the end of the body, or -1 on
 * an error (the connection is then closed, so the client sees a body cut
 * short, never a complete-looking one).  It is called on the thread that
 * serves the connection, one call at a time.  free(arg) is called exactly
 * once: when the body has been sent, when the client went away mid-way, or
 * when the response could not be queued; it must release everything arg
 * holds (a database statement included).  Once a handler sets read, the
 * dispatcher owns the stream, also when the handler then fails.
 */
struct req_stream {
	ssize_t (*read)(void *arg, char *buf, size_t max);
	void (*free)(void *arg);
	void *arg;
};

#define REQ_MAX_IDS 3

struct req {
	struct MHD_Connection *conn;
	const char *method;
	const char *path;
	int64_t ids[REQ_MAX_IDS];  /* numeric path parameters, in order */
	char slug[65];             /* a name path parameter ([a-z0-9_-]) */
	json_t *body;              /* parsed request body (borrowed), or NULL */
	struct principal who;      /* valid unless the route is public */
	bool own_only;             /* reporter: only their own incidents */
	size_t route;              /* 1 + index of the matched route in
	                            * router.c's table (metrics); 0: none */
	int64_t session_id;        /* > 0: signed in by the session cookie */
	char csrf[48];             /* that session's CSRF token */
	struct store *store;       /* this thread's connection */
	const struct config *cfg;
	int64_t now;               /* request time, seconds since the epoch */

	/* Long-poll: a handler that has nothing to answer yet returns 0 with
	 * suspend_until set; the request is parked (no thread held) and run
	 * again when woken, with wait_until = the first suspend_until. */
	int64_t wait_until;        /* mono_ms(); 0 on the first run */
	bool stopping;             /* the server is shutting down: answer now */
	int64_t suspend_until;     /* mono_ms() */
	const char *base_url;      /* this server, e.g. http://127.0.0.1:8072 */

	/* Filled by the handler. */
	json_t *out;               /* response body; owned by the dispatcher */
	char location[128];
	char etag[32];
	char set_cookie[160];      /* a Set-Cookie value, or "" */
	int64_t retry_after;       /* > 0: a Retry-After in seconds */
	bool close;                /* close the connection after the answer */
	struct problem problem;

	/* Or a body that is not JSON (a notice draft): text_len bytes of
	 * text (malloc'd; the dispatcher frees it, also on an error) sent
	 * with text_type, and, when set, text_csp as its
	 * Content-Security-Policy, disposition as Content-Disposition and
	 * incident_version as X-Incident-Version.  Takes precedence over
	 * out. */
	char *text;
	size_t text_len;
	const char *text_type;     /* static string */
	const char *text_csp;      /* static string, or NULL: the API's */
	char disposition[160];
	int64_t incident_version;  /* > 0: sent */

	/* Or a streamed body of unknown length (a large export), sent
	 * chunked with text_type, text_csp and disposition as for text; see
	 * struct req_stream.  Takes precedence over text and out. */
	struct req_stream stream;
};

/* The wall clock in milliseconds since the epoch. */
int64_t req_now_ms(void);

/* A query-string value, or NULL (borrowed from the connection). */
const char *req_query(struct req *r, const char *name);

/* A cookie's value, or NULL (borrowed from the connection). */
const char *req_cookie(struct req *r, const char *name);

/* The peer's address as text into buf[len] ("" when unknown). */
void req_peer(struct req *r, char *buf, size_t len);

/* A request header, or NULL (borrowed from the connection). */
const char *req_header(struct req *r, const char *name);

/*
 * Does If-None-Match name etag (a strong "..." tag)?  Its value is "*" or
 * a comma-separated list of tags, weak (W/) ones too (RFC 9110 13.1.2
 * compares them weakly); all its field lines count.  False without the
 * header.
 */
bool req_none_match(struct req *r, const char *etag);

/*
 * Does If-Match name etag (a strong "..." tag), the current one of a
 * resource that exists?  Its value is "*" (any) or a comma-separated list
 * of tags, any of which may match; RFC 9110 13.1.1 compares them
 * strongly, so a weak (W/) tag never matches.  All its field lines count.
 * False without the header (the caller tells 428 from 412).
 */
bool req_if_match(struct req *r, const char *etag);

/* Role name <-> bit. */
const char *req_role_name(enum role role);
int req_role_parse(const char *s, enum role *out);

#endif
