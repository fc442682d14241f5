#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "config.h"
#include "conns.h"
#include "http.h"
#include "log.h"
#include "metrics.h"
#include "mono.h"
#include "parse.h"
#include "router.h"
#include "store.h"
#include "store_api.h"

#define GRACE_SECONDS 10
#define STATIC_PATH_MAX 256
#define STREAM_BLOCK (32 * 1024)

#define CSP_API "default-src 'none'; frame-ancestors 'none'"
#define CSP_WEB "default-src 'self'; script-src 'self'; style-src 'self'; " \
	"img-src 'self' data:; connect-src 'self'; object-src 'none'; " \
	"base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

#define MAX_WAITERS 1024
#define HTTP_RETRY_AFTER 10      /* seconds, of a 503 */

/*
 * Limits on clients (README, "Limits").  Connections: at most
 * HTTP_CONN_MAX (fewer when the file descriptor limit is lower), at most
 * HTTP_CONN_PER_IP from one address.  A connection idle for
 * HTTP_IDLE_SECONDS is closed, and each request must arrive whole within
 * HTTP_REQUEST_SECONDS (conns.h).  A request line and headers over
 * HTTP_HEADER_MAX bytes get 431; libmicrohttpd refuses (with its own 431)
 * what does not fit its HTTP_CONN_MEMORY bytes of buffer per connection.
 */
#define HTTP_CONN_MAX 4096u
#define HTTP_CONN_PER_IP 256u
#define HTTP_IDLE_SECONDS 30u
#define HTTP_REQUEST_SECONDS 15
#define HTTP_HEADER_MAX (8 * 1024)
#define HTTP_CONN_MEMORY ((size_t)64 * 1024)

/* A parked long-poll request and when its wait ends. */
struct waiter {
	struct MHD_Connection *conn;
	int64_t until;
};

struct http {
	struct MHD_Daemon *d;
	const struct config *cfg;
	uint16_t port;
	atomic_int inflight;

	/* Long-polls: parked requests, and the thread that wakes them when
	 * an alert falls due, their wait ends, or the server stops. */
	pthread_mutex_t wlock;
	pthread_cond_t wcond;
	struct waiter waiters[MAX_WAITERS];
	size_t nwaiters;
	atomic_bool stopping;      /* set under wlock; read without it */
	bool waker_started;
	pthread_t waker;
	char base_url[CONFIG_VALUE_MAX + 16]; /* http://host:bound-port */
	struct store *wstore;      /* the waker's own connection */
	struct conns *conns;       /* request deadlines */
};

/* Per-request state, from the first call of the access handler to the
 * completion callback. */
struct conn_state {
	char *body;
	size_t len;
	bool too_big;
	bool headers_too_big;
	const char *ambiguous;     /* framing or credentials: the header */
	const char *ambiguous_why; /* and a sentence for the client */
	struct timespec start;
	int64_t wait_until;        /* a parked long-poll's deadline */
};

static void
add_common_headers(struct MHD_Response *resp, bool api)
{
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Content-Security-Policy",
	    api ? CSP_API : CSP_WEB);
	MHD_add_response_header(resp, "Cache-Control",
	    api ? "no-store" : "no-cache");
}

static void
log_request(const struct req *r, int status, const struct conn_state *cs)
{
	struct timespec end;
	char st[8], ms[32];
	long long us;

	clock_gettime(CLOCK_MONOTONIC, &end);
	us = (long long)(end.tv_sec - cs->start.tv_sec) * 1000000 +
	    (end.tv_nsec - cs->start.tv_nsec) / 1000;
	if (us < 0)
		us = 0;
	metrics_observe(r->route, status, (double)us / 1e6);
	snprintf(st, sizeof(st), "%d", status);
	/* Milliseconds to the microsecond, without printf's floating
	 * point (it showed in the profile of a read). */
	snprintf(ms, sizeof(ms), "%lld.%03lld", us / 1000, us % 1000);
	log_event(status >= 500 ? LOG_ERROR : LOG_INFO, "request",
	    "method", r->method, "path", r->path, "status", st, "ms", ms,
	    "user", r->who.name[0] != '\0' ? r->who.name : "-", NULL);
}

/* The headers a handler asked for: ETag, Set-Cookie, Retry-After. */
static void
add_req_headers(struct MHD_Response *resp, const struct req *r)
{
	char v[24];

	if (r->etag[0] != '\0')
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ETAG, r->etag);
	if (r->set_cookie[0] != '\0')
		MHD_add_response_header(resp, MHD_HTTP_HEADER_SET_COOKIE,
		    r->set_cookie);
	if (r->retry_after > 0) {
		snprintf(v, sizeof(v), "%lld", (long long)r->retry_after);
		MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, v);
	}
}

/* Queue a JSON body (json_t borrowed) with status and the extra headers
 * the request asked for. */
static enum MHD_Result
queue_json(struct req *r, int status, json_t *body, const char *ctype,
    const char *allow)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;
	char *text;

	if ((text = json_dumps(body, JSON_COMPACT)) == NULL)
		return (MHD_NO);
	resp = MHD_create_response_from_buffer(strlen(text), text,
	    MHD_RESPMEM_MUST_FREE);
	if (resp == NULL) {
		free(text);
		return (MHD_NO);
	}
	add_common_headers(resp, true);
	add_req_headers(resp, r);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
	if (r->location[0] != '\0')
		MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION,
		    r->location);
	if (allow != NULL && allow[0] != '\0')
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, allow);
	if (status == 401)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE,
		    "Bearer realm=\"breachclock\"");
	/* libmicrohttpd closes the connection after an answer that says
	 * so, and reads nothing more from it. */
	if (r->close)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION,
		    "close");
	ret = MHD_queue_response(r->conn, (unsigned)status, resp);
	MHD_destroy_response(resp);
	return (ret);
}

static enum MHD_Result
queue_problem(struct req *r, const char *allow)
{
	const struct problem *p = &r->problem;
	char type[128];
	json_t *body;
	enum MHD_Result ret;
	int status = p->status >= 400 && p->status <= 599 ? p->status : 500;

	snprintf(type, sizeof(type), PROBLEM_BASE "%s",
	    p->slug != NULL ? p->slug : "internal");
	body = json_pack("{s:s, s:s, s:i, s:s}", "type", type,
	    "title", problem_title(status), "status", status,
	    "detail", status >= 500 && status != 503 ? "The server could not "
	    "complete the request." : p->detail);
	if (body == NULL)
		return (MHD_NO);
	if (p->field[0] != '\0')
		json_object_set_new(body, "field", json_string(p->field));
	r->location[0] = r->etag[0] = '\0';
	ret = queue_json(r, status, body, "application/problem+json", allow);
	json_decref(body);
	return (ret);
}

/* Queue resp, a body that is not JSON (r->text or r->stream), with the
 * headers the handler asked for, and destroy our reference to it. */
static enum MHD_Result
queue_body(struct req *r, int status, struct MHD_Response *resp)
{
	enum MHD_Result ret;
	char v[24];

	add_common_headers(resp, true);
	add_req_headers(resp, r);
	if (r->text_csp != NULL) {
		MHD_del_response_header(resp, "Content-Security-Policy",
		    CSP_API);
		MHD_add_response_header(resp, "Content-Security-Policy",
		    r->text_csp);
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
	    r->text_type);
	if (r->location[0] != '\0')
		MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION,
		    r->location);
	if (r->disposition[0] != '\0')
		MHD_add_response_header(resp, "Content-Disposition",
		    r->disposition);
	if (r->incident_version > 0) {
		snprintf(v, sizeof(v), "%lld", (long long)r->incident_version);
		MHD_add_response_header(resp, "X-Incident-Version", v);
	}
	ret = MHD_queue_response(r->conn, (unsigned)status, resp);
	MHD_destroy_response(resp);
	return (ret);
}

/* Queue r->text (ownership passes to libmicrohttpd) with its headers. */
static enum MHD_Result
queue_text(struct req *r, int status)
{
	struct MHD_Response *resp;

	resp = MHD_create_response_from_buffer(r->text_len, r->text,
	    MHD_RESPMEM_MUST_FREE);
	if (resp == NULL)
		return (MHD_NO);
	r->text = NULL;
	return (queue_body(r, status, resp));
}

/* A streamed body (struct req_stream) read through libmicrohttpd's
 * content reader; libmicrohttpd calls it on the thread that serves the
 * connection and frees it when it is done with the response. */
static ssize_t
stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct req_stream *s = cls;
	ssize_t n;

	(void)pos;
	if ((n = s->read(s->arg, buf, max)) > 0)
		return (n);
	return (n == 0 ? MHD_CONTENT_READER_END_OF_STREAM :
	    MHD_CONTENT_READER_END_WITH_ERROR);
}

static void
stream_free(void *cls)
{
	struct req_stream *s = cls;

	s->free(s->arg);
	free(s);
}

/* Queue r->stream, chunked, with the headers of a text body; the stream
 * then belongs to the response (r->stream is cleared). */
static enum MHD_Result
queue_stream(struct req *r, int status)
{
	struct MHD_Response *resp;
	struct req_stream *s;

	if ((s = malloc(sizeof(*s))) == NULL)
		return (MHD_NO);
	*s = r->stream;
	resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN,
	    STREAM_BLOCK, stream_read, s, stream_free);
	if (resp == NULL) {
		free(s);
		return (MHD_NO);
	}
	memset(&r->stream, 0, sizeof(r->stream));
	return (queue_body(r, status, resp));
}

static enum MHD_Result
queue_empty(struct req *r, int status)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;

	resp = MHD_create_response_from_buffer(0, NULL,
	    MHD_RESPMEM_PERSISTENT);
	if (resp == NULL)
		return (MHD_NO);
	add_common_headers(resp, true);
	add_req_headers(resp, r);
	ret = MHD_queue_response(r->conn, (unsigned)status, resp);
	MHD_destroy_response(resp);
	return (ret);
}

static const char *
mime_type(const char *path)
{
	static const struct {
		const char *ext, *type;
	} types[] = {
		{ ".html", "text/html; charset=utf-8" },
		{ ".css", "text/css; charset=utf-8" },
		{ ".js", "text/javascript; charset=utf-8" },
		{ ".mjs", "text/javascript; charset=utf-8" },
		{ ".json", "application/json" },
		{ ".svg", "image/svg+xml" },
		{ ".png", "image/png" },
		{ ".ico", "image/x-icon" },
		{ ".txt", "text/plain; charset=utf-8" },
	};
	const char *dot = strrchr(path, '.');

	for (size_t i = 0; dot != NULL && i < sizeof(types) / sizeof(types[0]);
	    i++)
		if (strcmp(dot, types[i].ext) == 0)
			return (types[i].type);
	return ("application/octet-stream");
}

/* A request path that may name a file under the web root: letters,
 * digits, '.', '_', '-' and '/', no empty or dot-led segment. */
static bool
static_path_ok(const char *p)
{
	if (p[0] != '/' || strlen(p) >= STATIC_PATH_MAX)
		return (false);
	for (const char *s = p; *s != '\0'; s++) {
		if (*s == '/') {
			if (s[1] == '/' || s[1] == '.')
				return (false);
			continue;
		}
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '.' || *s == '_' ||
		    *s == '-'))
			return (false);
	}
	return (true);
}

/*
 * Serve a file from the web root (GET or HEAD); status into *status.  Its
 * ETag is its size and modification time, so a browser revalidating with
 * If-None-Match gets 304 and no body.
 */
static enum MHD_Result
queue_static(struct http *h, struct req *r, int *status)
{
	char file[CONFIG_VALUE_MAX + STATIC_PATH_MAX + 16], etag[64];
	struct MHD_Response *resp;
	enum MHD_Result ret;
	struct stat sb;
	const char *path = strcmp(r->path, "/") == 0 ? "/index.html" : r->path;
	int fd;

	if (h->cfg->web_root[0] == '\0' || !static_path_ok(path))
		goto notfound;
	snprintf(file, sizeof(file), "%s%s", h->cfg->web_root, path);
	if ((fd = open(file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1)
		goto notfound;
	if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode)) {
		close(fd);
		goto notfound;
	}
	snprintf(etag, sizeof(etag), "\"%llx-%llx.%lx\"",
	    (unsigned long long)sb.st_size,
	    (unsigned long long)sb.st_mtim.tv_sec,
	    (unsigned long)sb.st_mtim.tv_nsec);
	if (req_none_match(r, etag)) {
		close(fd);
		*status = 304;
		resp = MHD_create_response_from_buffer(0, NULL,
		    MHD_RESPMEM_PERSISTENT);
	} else {
		*status = 200;
		resp = MHD_create_response_from_fd((uint64_t)sb.st_size, fd);
		if (resp == NULL)
			close(fd);
	}
	if (resp == NULL)
		return (MHD_NO);
	add_common_headers(resp, false);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_ETAG, etag);
	if (*status == 200)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
		    mime_type(path));
	ret = MHD_queue_response(r->conn, (unsigned)*status, resp);
	MHD_destroy_response(resp);
	return (ret);
notfound:
	*status = problem_set(&r->problem, 404, "not-found", NULL,
	    "There is nothing at this path.");
	return (queue_problem(r, NULL));
}

/* Park a long-poll request until `until`; -1 if the server cannot. */
static int
park(struct http *h, struct MHD_Connection *conn, int64_t until)
{
	int rc = -1;

	pthread_mutex_lock(&h->wlock);
	if (!h->stopping && h->nwaiters < MAX_WAITERS) {
		h->waiters[h->nwaiters].conn = conn;
		h->waiters[h->nwaiters].until = until;
		h->nwaiters++;
		MHD_suspend_connection(conn);
		pthread_cond_signal(&h->wcond);
		rc = 0;
	}
	pthread_mutex_unlock(&h->wlock);
	return (rc);
}

/* Resume parked requests whose wait is over (all when due or stopping).
 * Called with wlock held. */
static void
wake(struct http *h, int64_t now, bool all)
{
	size_t i = 0;

	while (i < h->nwaiters) {
		if (all || h->waiters[i].until <= now) {
			MHD_resume_connection(h->waiters[i].conn);
			h->waiters[i] = h->waiters[--h->nwaiters];
		} else {
			i++;
		}
	}
}

/*
 * The waker: sleeps until the next alert falls due, the earliest parked
 * wait ends, or a change signals it (at most one second, so an alert
 * queued by another process is seen promptly), then resumes the requests
 * that have something to answer.
 */
static void *
waker_main(void *arg)
{
	struct http *h = arg;
	struct timespec ts;
	int64_t now, next, until;

	pthread_mutex_lock(&h->wlock);
	while (!h->stopping) {
		if (h->nwaiters == 0) {
			pthread_cond_wait(&h->wcond, &h->wlock);
			continue;
		}
		pthread_mutex_unlock(&h->wlock);
		if (store_alert_next_due(h->wstore, &next) == -1)
			next = INT64_MIN;
		pthread_mutex_lock(&h->wlock);
		/* Times in milliseconds on the monotonic clock, as the waits
		 * are; alerts fall due on whole seconds of the wall clock. */
		now = mono_ms();
		if (next != INT64_MIN)
			next = now + (next * 1000 - req_now_ms());
		wake(h, now, next != INT64_MIN && next <= now);
		until = now + 1000;
		for (size_t i = 0; i < h->nwaiters; i++)
			if (h->waiters[i].until < until)
				until = h->waiters[i].until;
		if (next != INT64_MIN && next > now && next < until)
			until = next;
		ts = mono_ts(until);
		if (h->nwaiters > 0)
			pthread_cond_timedwait(&h->wcond, &h->wlock, &ts);
	}
	wake(h, 0, true);
	pthread_mutex_unlock(&h->wlock);
	return (NULL);
}

static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	if (c >= 'a' && c <= 'f')
		return (c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (c - 'A' + 10);
	return (-1);
}

/*
 * Decode %HH in the path and query arguments in place, as libmicrohttpd
 * does, except %00: a NUL byte would end the C string early, so that
 * "/api/v1/incidents/1%00x" or "/index.html%00.js" would be read as a
 * shorter path.  It stays the three characters "%00" (no route or file
 * has a '%').  Return the new length.
 */
static size_t
unescape(void *cls, struct MHD_Connection *conn, char *s)
{
	char *r = s, *w = s;
	int hi, lo;

	while (*r != '\0') {
		if (r[0] == '%' && (hi = hex_value(r[1])) != -1 &&
		    (lo = hex_value(r[2])) != -1 && (hi | lo) != 0) {
			*w++ = (char)(hi << 4 | lo);
			r += 3;
		} else
			*w++ = *r++;
	}
	*w = '\0';
	return ((size_t)(w - s));
}

/* What the request line and headers hold: their size, and how many
 * field lines there are of the headers that may appear only once. */
struct header_scan {
	size_t n;                  /* bytes */
	unsigned content_length;
	unsigned transfer_encoding;
	unsigned authorization;
};

static enum MHD_Result
header_scan(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *value)
{
	struct header_scan *hs = cls;

	hs->n += strlen(key) + (value != NULL ? strlen(value) : 0) + 4;
	if (kind != MHD_HEADER_KIND)
		return (MHD_YES);
	if (strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH) == 0)
		hs->content_length++;
	else if (strcasecmp(key, MHD_HTTP_HEADER_TRANSFER_ENCODING) == 0)
		hs->transfer_encoding++;
	else if (strcasecmp(key, MHD_HTTP_HEADER_AUTHORIZATION) == 0)
		hs->authorization++;
	return (MHD_YES);
}

/*
 * Is the request ambiguous?  libmicrohttpd takes the first of two
 * Content-Length lines, and the chunked body when Transfer-Encoding comes
 * with Content-Length, so a proxy that read the other length would see
 * the rest as a second request ("smuggling").  RFC 9112 6.1 and 6.3 want
 * such a request refused and its connection closed.  Two Authorization
 * lines name two callers, and the server would act as one of them.  Set
 * cs->ambiguous to the header at fault and return true.
 */
static bool
ambiguous(const struct header_scan *hs, struct conn_state *cs)
{
	if (hs->content_length > 1) {
		cs->ambiguous = MHD_HTTP_HEADER_CONTENT_LENGTH;
		cs->ambiguous_why = "Content-Length: sent more than once, so "
		    "the length of the body is ambiguous.";
	} else if (hs->content_length > 0 && hs->transfer_encoding > 0) {
		cs->ambiguous = MHD_HTTP_HEADER_TRANSFER_ENCODING;
		cs->ambiguous_why = "Transfer-Encoding: sent with "
		    "Content-Length, so the length of the body is ambiguous; "
		    "send one of them.";
	} else if (hs->authorization > 1) {
		cs->ambiguous = MHD_HTTP_HEADER_AUTHORIZATION;
		cs->ambiguous_why = "Authorization: sent more than once; send "
		    "one credential.";
	}
	return (cs->ambiguous != NULL);
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_size, void **con_cls)
{
	struct http *h = cls;
	struct conn_state *cs = *con_cls;
	struct router_result res;
	struct header_scan hs;
	struct req r;
	enum MHD_Result ret;
	const char *cl;
	int64_t n;
	int status;

	if (cs == NULL) {
		if ((cs = calloc(1, sizeof(*cs))) == NULL)
			return (MHD_NO);
		clock_gettime(CLOCK_MONOTONIC, &cs->start);
		*con_cls = cs;
		atomic_fetch_add(&h->inflight, 1);
		cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
		    MHD_HTTP_HEADER_CONTENT_LENGTH);
		memset(&hs, 0, sizeof(hs));
		hs.n = strlen(url) + strlen(method) + strlen(version);
		MHD_get_connection_values(conn, MHD_HEADER_KIND |
		    MHD_GET_ARGUMENT_KIND, header_scan, &hs);
		if (hs.n > HTTP_HEADER_MAX)
			cs->headers_too_big = true;
		else if (!ambiguous(&hs, cs)) {
			if (cl == NULL || (parse_int64(cl, 0, INT64_MAX, &n) ==
			    0 && n <= HTTP_BODY_MAX))
				return (MHD_YES);
			cs->too_big = true;
		}
	} else if (*upload_size > 0) {
		if (!cs->too_big && *upload_size > HTTP_BODY_MAX - cs->len) {
			cs->too_big = true;
			free(cs->body);
			cs->body = NULL;
		}
		if (!cs->too_big) {
			char *nb = realloc(cs->body, cs->len + *upload_size);

			if (nb == NULL)
				return (MHD_NO);
			memcpy(nb + cs->len, upload, *upload_size);
			cs->body = nb;
			cs->len += *upload_size;
		}
		*upload_size = 0;
		return (MHD_YES);
	}

	conns_request_read(conn);
	memset(&r, 0, sizeof(r));
	r.conn = conn;
	r.method = method;
	r.path = url;
	r.cfg = h->cfg;
	r.now = (int64_t)time(NULL);
	if (cs->headers_too_big) {
		status = problem_set(&r.problem, 431, "headers-too-large", NULL,
		    "The request line and headers are larger than %d bytes.",
		    HTTP_HEADER_MAX);
		ret = queue_problem(&r, NULL);
		log_request(&r, status, cs);
		return (ret);
	}
	if (cs->ambiguous != NULL) {
		status = problem_set(&r.problem, 400, "invalid-field",
		    cs->ambiguous, "%s", cs->ambiguous_why);
		r.close = true;
		ret = queue_problem(&r, NULL);
		log_request(&r, status, cs);
		return (ret);
	}
	if (cs->too_big) {
		status = problem_set(&r.problem, 413, "payload-too-large", NULL,
		    "The body is larger than %d bytes.", HTTP_BODY_MAX);
		ret = queue_problem(&r, NULL);
		log_request(&r, status, cs);
		return (ret);
	}
	store_fault_clear();
	if ((r.store = store_thread()) == NULL) {
		r.retry_after = HTTP_RETRY_AFTER;
		status = problem_set(&r.problem, 503, "unavailable", NULL,
		    "The database is not available.");
		ret = queue_problem(&r, NULL);
		log_request(&r, status, cs);
		return (ret);
	}
	r.wait_until = cs->wait_until;
	r.base_url = h->base_url;
	r.stopping = atomic_load(&h->stopping);
	store_read_begin(r.store);
	router_dispatch(&r, cs->body, cs->len, &res);
	store_read_end(r.store);
	status = res.status;
	if (status == 0 && r.suspend_until > 0 && park(h, conn, r.suspend_until)
	    == 0) {
		if (cs->wait_until == 0)
			cs->wait_until = r.suspend_until;
		json_decref(r.body);
		return (MHD_YES);
	}
	if (status == 0) {
		r.retry_after = 1;
		status = problem_set(&r.problem, 503, "unavailable", NULL,
		    "Too many requests are waiting; poll again.");
	}
	if (!res.matched && (strcmp(method, "GET") == 0 ||
	    strcmp(method, "HEAD") == 0) && strncmp(url, "/api/", 5) != 0)
		ret = queue_static(h, &r, &status);
	else if (status >= 400)
		ret = queue_problem(&r, res.allow);
	else if (r.stream.read != NULL)
		ret = queue_stream(&r, status);
	else if (r.text != NULL)
		ret = queue_text(&r, status);
	else if (r.out == NULL)
		ret = queue_empty(&r, status);
	else
		ret = queue_json(&r, status, r.out, "application/json", NULL);
	log_request(&r, status, cs);
	if (r.stream.free != NULL)
		r.stream.free(r.stream.arg);
	free(r.text);
	json_decref(r.out);
	json_decref(r.body);
	/* A change may have queued an alert that is due now. */
	if (strcmp(method, "GET") != 0 && status < 400)
		pthread_cond_signal(&h->wcond);
	return (ret);
}

static void
on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct http *h = cls;
	struct conn_state *cs = *con_cls;

	if (cs == NULL)
		return;
	free(cs->body);
	free(cs);
	*con_cls = NULL;
	atomic_fetch_sub(&h->inflight, 1);
	conns_request_done(conn);
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

static void
on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	char buf[512];
	size_t n;

	vsnprintf(buf, sizeof(buf), fmt, ap);
	n = strlen(buf);
	while (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	log_event(LOG_WARN, "http", "detail", buf, NULL);
}

/* Split "host:port" or "[v6]:port" and resolve it numerically. */
static int
resolve(const char *listen, struct sockaddr_storage *ss, socklen_t *sslen)
{
	char host[256];
	const char *colon = strrchr(listen, ':');
	const char *h = listen;
	struct addrinfo hints, *ai;
	size_t hl;
	int64_t port;

	if (colon == NULL || parse_int64(colon + 1, 0, 65535, &port) == -1)
		return (-1);
	hl = (size_t)(colon - listen);
	if (hl >= 2 && listen[0] == '[' && listen[hl - 1] == ']') {
		h++;
		hl -= 2;
	}
	if (hl == 0 || hl >= sizeof(host))
		return (-1);
	memcpy(host, h, hl);
	host[hl] = '\0';
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	if (getaddrinfo(host, colon + 1, &hints, &ai) != 0)
		return (-1);
	memcpy(ss, ai->ai_addr, ai->ai_addrlen);
	*sslen = ai->ai_addrlen;
	freeaddrinfo(ai);
	return (0);
}

/*
 * Raise the soft limit on open files to the hard limit (each connection
 * is one) and return how many connections fit, leaving room for the
 * database's files (three per thread) and the rest.
 */
static unsigned
connection_limit(const struct config *cfg)
{
	struct rlimit rl;
	rlim_t reserve = 64 + 4 * ((rlim_t)cfg->threads + 2);

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1)
		return (HTTP_CONN_MAX);
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) == -1)
			(void)getrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur == RLIM_INFINITY ||
	    rl.rlim_cur >= HTTP_CONN_MAX + reserve)
		return (HTTP_CONN_MAX);
	if (rl.rlim_cur <= reserve + 16)
		return (16);
	log_event(LOG_WARN, "few file descriptors: fewer connections", NULL);
	return ((unsigned)(rl.rlim_cur - reserve));
}

struct http *
http_start(const struct config *cfg)
{
	struct sockaddr_storage ss;
	socklen_t sslen;
	struct http *h;
	const union MHD_DaemonInfo *info;
	const char *colon;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO |
	    MHD_USE_ITC | MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME;

	if (resolve(cfg->listen, &ss, &sslen) == -1) {
		log_event(LOG_ERROR, "bad listen address", "listen",
		    cfg->listen, NULL);
		return (NULL);
	}
	if ((h = calloc(1, sizeof(*h))) == NULL)
		return (NULL);
	h->cfg = cfg;
	pthread_mutex_init(&h->wlock, NULL);
	mono_cond_init(&h->wcond);
	if ((h->wstore = store_open(cfg->db)) == NULL) {
		free(h);
		return (NULL);
	}
	if ((h->conns = conns_new(HTTP_REQUEST_SECONDS)) == NULL) {
		store_close(h->wstore);
		free(h);
		return (NULL);
	}
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	h->d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, h,
	    MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned)cfg->threads,
	    MHD_OPTION_CONNECTION_TIMEOUT, HTTP_IDLE_SECONDS,
	    MHD_OPTION_CONNECTION_LIMIT, connection_limit(cfg),
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, HTTP_CONN_PER_IP,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, HTTP_CONN_MEMORY,
	    MHD_OPTION_NOTIFY_CONNECTION, conns_notify, h->conns,
	    MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL,
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, h,
	    MHD_OPTION_END);
	if (h->d == NULL) {
		log_event(LOG_ERROR, "cannot listen", "listen", cfg->listen,
		    "error", strerror(errno), NULL);
		conns_free(h->conns);
		store_close(h->wstore);
		free(h);
		return (NULL);
	}
	if (pthread_create(&h->waker, NULL, waker_main, h) == 0)
		h->waker_started = true;
	else
		log_event(LOG_ERROR, "cannot start the long-poll waker", NULL);
	info = MHD_get_daemon_info(h->d, MHD_DAEMON_INFO_BIND_PORT);
	h->port = info != NULL ? info->port : 0;
	colon = strrchr(cfg->listen, ':');  /* resolve() checked it */
	snprintf(h->base_url, sizeof(h->base_url), "http://%.*s:%u",
	    (int)(colon - cfg->listen), cfg->listen, (unsigned)h->port);
	(void)sslen;
	return (h);
}

uint16_t
http_port(const struct http *h)
{
	return (h->port);
}

void
http_stop(struct http *h)
{
	MHD_socket fd;

	if (h == NULL)
		return;
	fd = MHD_quiesce_daemon(h->d);
	if (fd != MHD_INVALID_SOCKET)
		close(fd);
	/* Parked long-polls answer at once with what they have. */
	pthread_mutex_lock(&h->wlock);
	h->stopping = true;
	pthread_cond_broadcast(&h->wcond);
	if (!h->waker_started)
		wake(h, 0, true);
	pthread_mutex_unlock(&h->wlock);
	if (h->waker_started)
		pthread_join(h->waker, NULL);
	for (int i = 0; i < GRACE_SECONDS * 100 &&
	    atomic_load(&h->inflight) > 0; i++)
		usleep(10000);
	MHD_stop_daemon(h->d);
	conns_free(h->conns);
	store_close(h->wstore);
	pthread_mutex_destroy(&h->wlock);
	pthread_cond_destroy(&h->wcond);
	free(h);
}
