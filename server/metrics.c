#include <netinet/in.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "metrics.h"
#include "router.h"

/* Route slots: 0 for "no route", then the router table (checked against
 * router_nroutes() on every observation; a longer table shares slot 0). */
#define ROUTES_MAX 128

/* The status codes the server answers with, each its own label value;
 * any other code is counted under its class ("1xx" ... "5xx"). */
static const int codes[] = {
	200, 201, 204, 301, 302, 304, 400, 401, 403, 404, 405, 409, 410,
	412, 413, 415, 422, 428, 429, 500, 501, 502, 503, 504,
};
#define NCODES (sizeof(codes) / sizeof(codes[0]))
#define NCLASSES 5
#define NSTATUS (NCODES + NCLASSES)

/* Upper bounds of the latency buckets, in seconds (long-polls wait up
 * to 60 s); one more bucket above the last holds the rest (+Inf). */
static const double bounds[] = {
	0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
	10, 30, 60,
};
#define NBOUNDS (sizeof(bounds) / sizeof(bounds[0]))

static atomic_uint_fast64_t requests[ROUTES_MAX][NSTATUS];
static atomic_uint_fast64_t buckets[ROUTES_MAX][NBOUNDS + 1]; /* not cumulative */
static atomic_uint_fast64_t sum_us[ROUTES_MAX];

void
metrics_text_init(struct metrics_text *t)
{
	memset(t, 0, sizeof(*t));
}

void
metrics_text_release(struct metrics_text *t)
{
	free(t->p);
	memset(t, 0, sizeof(*t));
}

void
metrics_printf(struct metrics_text *t, const char *fmt, ...)
{
	va_list ap;
	size_t need, cap;
	char *np;
	int n;

	if (t->failed)
		return;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= METRICS_TEXT_MAX - t->len) {
		t->failed = true;
		return;
	}
	need = t->len + (size_t)n + 1;
	if (need > t->cap) {
		cap = t->cap == 0 ? 4096 : t->cap;
		while (cap < need)
			cap *= 2;
		if ((np = realloc(t->p, cap)) == NULL) {
			t->failed = true;
			return;
		}
		t->p = np;
		t->cap = cap;
	}
	va_start(ap, fmt);
	vsnprintf(t->p + t->len, t->cap - t->len, fmt, ap);
	va_end(ap);
	t->len += (size_t)n;
}

void
metrics_family(struct metrics_text *t, const char *name, const char *type,
    const char *help)
{
	metrics_printf(t, "# HELP %s %s\n# TYPE %s %s\n", name, help, name,
	    type);
}

void
metrics_label(struct metrics_text *t, const char *value)
{
	for (const char *s = value; *s != '\0'; s++) {
		if (*s == '\\')
			metrics_printf(t, "\\\\");
		else if (*s == '"')
			metrics_printf(t, "\\\"");
		else if (*s == '\n')
			metrics_printf(t, "\\n");
		else
			metrics_printf(t, "%c", *s);
	}
}

static size_t
status_slot(int status)
{
	for (size_t i = 0; i < NCODES; i++)
		if (codes[i] == status)
			return (i);
	if (status >= 100 && status <= 599)
		return (NCODES + (size_t)(status / 100 - 1));
	return (NCODES + NCLASSES - 1);  /* nonsense: count as 5xx */
}

void
metrics_observe(size_t route, int status, double seconds)
{
	size_t b = 0;

	if (route > router_nroutes() || route >= ROUTES_MAX)
		route = 0;
	if (seconds < 0)
		seconds = 0;
	while (b < NBOUNDS && seconds > bounds[b])
		b++;
	atomic_fetch_add_explicit(&requests[route][status_slot(status)], 1,
	    memory_order_relaxed);
	atomic_fetch_add_explicit(&buckets[route][b], 1,
	    memory_order_relaxed);
	atomic_fetch_add_explicit(&sum_us[route],
	    (uint_fast64_t)(seconds * 1e6 + 0.5), memory_order_relaxed);
}

/* The labels of a route slot: method="GET",route="/api/v1/..." */
static void
route_labels(struct metrics_text *t, size_t route)
{
	const char *method = "*", *pattern = "(other)";

	if (route > 0)
		router_route_info(route - 1, &method, &pattern);
	metrics_printf(t, "method=\"");
	metrics_label(t, method);
	metrics_printf(t, "\",route=\"");
	metrics_label(t, pattern);
	metrics_printf(t, "\"");
}

static void
status_label(struct metrics_text *t, size_t slot)
{
	if (slot < NCODES)
		metrics_printf(t, "%d", codes[slot]);
	else
		metrics_printf(t, "%zuxx", slot - NCODES + 1);
}

void
metrics_write_http(struct metrics_text *t)
{
	static const char reqs[] = "breachclock_http_requests_total";
	static const char dur[] = "breachclock_http_request_duration_seconds";
	uint_fast64_t v, counts[NBOUNDS + 1], total, sum;
	size_t nroutes = router_nroutes();

	if (nroutes >= ROUTES_MAX)
		nroutes = ROUTES_MAX - 1;
	metrics_family(t, reqs, "counter", "HTTP requests answered, by route "
	    "(the router's pattern; (other) for static files and unknown "
	    "paths) and status code.");
	for (size_t rt = 0; rt <= nroutes; rt++)
		for (size_t c = 0; c < NSTATUS; c++) {
			v = atomic_load_explicit(&requests[rt][c],
			    memory_order_relaxed);
			if (v == 0)
				continue;
			metrics_printf(t, "%s{", reqs);
			route_labels(t, rt);
			metrics_printf(t, ",code=\"");
			status_label(t, c);
			metrics_printf(t, "\"} %llu\n", (unsigned long long)v);
		}
	metrics_family(t, dur, "histogram", "Time from a request's first "
	    "byte to its answer, by route.");
	for (size_t rt = 0; rt <= nroutes; rt++) {
		total = 0;
		for (size_t b = 0; b <= NBOUNDS; b++) {
			counts[b] = atomic_load_explicit(&buckets[rt][b],
			    memory_order_relaxed);
			total += counts[b];
		}
		if (total == 0)
			continue;
		sum = atomic_load_explicit(&sum_us[rt], memory_order_relaxed);
		v = 0;
		for (size_t b = 0; b <= NBOUNDS; b++) {
			v += counts[b];
			metrics_printf(t, "%s_bucket{", dur);
			route_labels(t, rt);
			if (b < NBOUNDS)
				metrics_printf(t, ",le=\"%g\"} %llu\n",
				    bounds[b], (unsigned long long)v);
			else
				metrics_printf(t, ",le=\"+Inf\"} %llu\n",
				    (unsigned long long)v);
		}
		metrics_printf(t, "%s_sum{", dur);
		route_labels(t, rt);
		metrics_printf(t, "} %llu.%06llu\n",
		    (unsigned long long)(sum / 1000000),
		    (unsigned long long)(sum % 1000000));
		metrics_printf(t, "%s_count{", dur);
		route_labels(t, rt);
		metrics_printf(t, "} %llu\n", (unsigned long long)total);
	}
}

static bool
loopback(const struct sockaddr *sa)
{
	const struct sockaddr_in *in4;
	const struct sockaddr_in6 *in6;

	if (sa == NULL)
		return (false);
	if (sa->sa_family == AF_INET) {
		in4 = (const struct sockaddr_in *)(const void *)sa;
		return ((ntohl(in4->sin_addr.s_addr) >> 24) == 127);
	}
	if (sa->sa_family == AF_INET6) {
		in6 = (const struct sockaddr_in6 *)(const void *)sa;
		if (IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr))
			return (true);
		return (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr) &&
		    in6->sin6_addr.s6_addr[12] == 127);
	}
	return (false);
}

int
metrics_access(const char *token, bool allow_loopback,
    const struct sockaddr *peer, const char *authorization, bool forwarded)
{
	unsigned char want[32], got[32];
	const char *p;
	bool configured = token != NULL && token[0] != '\0';
	int ok;

	if (authorization != NULL) {
		if (!configured || strncasecmp(authorization, "Bearer ", 7) != 0)
			return (401);
		p = authorization + 7;
		while (*p == ' ')
			p++;
		/* Hash both sides so that the comparison takes the same
		 * time whatever the lengths and contents. */
		crypto_generichash(want, sizeof(want),
		    (const unsigned char *)token, strlen(token), NULL, 0);
		crypto_generichash(got, sizeof(got), (const unsigned char *)p,
		    strlen(p), NULL, 0);
		ok = sodium_memcmp(want, got, sizeof(want));
		sodium_memzero(want, sizeof(want));
		return (ok == 0 ? 0 : 401);
	}
	if (allow_loopback && !forwarded && loopback(peer))
		return (0);
	return (configured ? 401 : 403);
}
