/*
 * http: the libmicrohttpd daemon.  Reads each request (body capped at
 * HTTP_BODY_MAX, 413 beyond), hands it to the router, and writes the
 * response: JSON, problem+json or a static file from the web root, always
 * with the security headers.  One log line per request.
 */
#ifndef BREACHCLOCK_HTTP_H
#define BREACHCLOCK_HTTP_H

#include <stdint.h>

#define HTTP_BODY_MAX (1024 * 1024)

struct config;
struct http;

/*
 * Start serving on cfg->listen with cfg->threads worker threads.  The
 * store path must have been set (store_set_path).  Return a new server, or
 * NULL after logging why.  cfg is borrowed for the server's life.
 */
struct http *http_start(const struct config *cfg);

/* The port actually bound (useful with port 0). */
uint16_t http_port(const struct http *h);

/*
 * Stop accepting connections, let in-flight requests finish (up to a
 * grace period), stop the worker threads and free h.  NULL is a no-op.
 */
void http_stop(struct http *h);

#endif
