/*
 * jbuf: a JSON text written straight into a growable buffer, for the
 * responses that are too hot to build as jansson values first (an
 * incident, the incident list and the dashboard: store_incidents.c,
 * store_obligations.c, api_page()).  Each append
 * checks the size against the buffer's cap; past it, or when memory runs
 * out, the buffer is marked failed, later appends do nothing, and
 * jbuf_take() returns NULL.  Strings are escaped as jansson escapes them
 * (UTF-8 passed through, the caller's text must be valid UTF-8).
 */
#ifndef BREACHCLOCK_JBUF_H
#define BREACHCLOCK_JBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct jbuf {
	char *p;
	size_t len, cap, max;
	bool failed;
};

/* An empty buffer that may grow to max bytes; owns nothing yet. */
void jbuf_init(struct jbuf *b, size_t max);

/* Free the buffer's text (if not taken). */
void jbuf_release(struct jbuf *b);

/* Append n bytes of JSON text as they are. */
void jbuf_raw(struct jbuf *b, const char *s, size_t n);

/* Append a NUL-terminated piece of JSON text as it is. */
void jbuf_lit(struct jbuf *b, const char *s);

/* Append s as a JSON string, or null when s is NULL. */
void jbuf_str(struct jbuf *b, const char *s);

/* Append an integer. */
void jbuf_int(struct jbuf *b, int64_t v);

/* Append an instant as "YYYY-MM-DDTHH:MM:SSZ", or null for INT64_MIN or
 * an instant outside timeutil_format()'s years (as store_json_time()). */
void jbuf_time(struct jbuf *b, int64_t t);

/* Append the member name k ("k":), preceded by a comma unless first. */
void jbuf_key(struct jbuf *b, const char *k, bool first);

/* Hand the text over: a NUL-terminated string of *len bytes the caller
 * frees, or NULL if the buffer failed (then it is released).  The buffer
 * is empty afterwards. */
char *jbuf_take(struct jbuf *b, size_t *len);

/* Hand the text over parsed, for the callers that need values: a new
 * reference, or NULL if the buffer failed (then it is released).  The
 * buffer is empty afterwards. */
json_t *jbuf_take_json(struct jbuf *b);

#endif
