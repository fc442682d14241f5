#include <stdlib.h>
#include <string.h>

#include "jbuf.h"
#include "timeutil.h"

void
jbuf_init(struct jbuf *b, size_t max)
{
	memset(b, 0, sizeof(*b));
	b->max = max;
}

void
jbuf_release(struct jbuf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

/* Room for n more bytes and a NUL: 0, or -1 (and failed). */
static int
reserve(struct jbuf *b, size_t n)
{
	size_t cap;
	char *p;

	if (b->failed)
		return (-1);
	if (n < b->cap - b->len)
		return (0);
	if (b->len + 1 > b->max || n > b->max - b->len - 1) {
		b->failed = true;
		return (-1);
	}
	cap = b->cap == 0 ? 1024 : b->cap;
	while (cap - b->len <= n)
		cap = cap > b->max / 2 ? b->max : cap * 2;
	if ((p = realloc(b->p, cap)) == NULL) {
		b->failed = true;
		return (-1);
	}
	b->p = p;
	b->cap = cap;
	return (0);
}

void
jbuf_raw(struct jbuf *b, const char *s, size_t n)
{
	if (reserve(b, n) == -1)
		return;
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

void
jbuf_lit(struct jbuf *b, const char *s)
{
	jbuf_raw(b, s, strlen(s));
}

void
jbuf_str(struct jbuf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *)s;
	size_t n, run;

	if (s == NULL) {
		jbuf_raw(b, "null", 4);
		return;
	}
	/* At worst six bytes out for each byte in. */
	n = strlen(s);
	if (n > (b->max / 6) || reserve(b, n * 6 + 2) == -1) {
		b->failed = true;
		return;
	}
	b->p[b->len++] = '"';
	while (*u != '\0') {
		for (run = 0; u[run] >= 0x20 && u[run] != '"' &&
		    u[run] != '\\'; run++)
			;
		memcpy(b->p + b->len, u, run);
		b->len += run;
		u += run;
		if (*u == '\0')
			break;
		b->p[b->len++] = '\\';
		switch (*u) {
		case '"':
		case '\\':
			b->p[b->len++] = (char)*u;
			break;
		case '\b':
			b->p[b->len++] = 'b';
			break;
		case '\f':
			b->p[b->len++] = 'f';
			break;
		case '\n':
			b->p[b->len++] = 'n';
			break;
		case '\r':
			b->p[b->len++] = 'r';
			break;
		case '\t':
			b->p[b->len++] = 't';
			break;
		default:
			b->p[b->len++] = 'u';
			b->p[b->len++] = '0';
			b->p[b->len++] = '0';
			b->p[b->len++] = hex[*u >> 4];
			b->p[b->len++] = hex[*u & 0xf];
			break;
		}
		u++;
	}
	b->p[b->len++] = '"';
}

void
jbuf_int(struct jbuf *b, int64_t v)
{
	char d[24];
	size_t i = sizeof(d);
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

	/* By hand, as snprintf() cost more than the rest of a field. */
	do {
		d[--i] = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (v < 0)
		d[--i] = '-';
	jbuf_raw(b, d + i, sizeof(d) - i);
}

void
jbuf_time(struct jbuf *b, int64_t t)
{
	char d[TIMEUTIL_RFC3339_LEN + 2];

	if (t == INT64_MIN || timeutil_format(t, d + 1,
	    TIMEUTIL_RFC3339_LEN) == -1) {
		jbuf_raw(b, "null", 4);
		return;
	}
	d[0] = '"';
	d[TIMEUTIL_RFC3339_LEN] = '"';
	jbuf_raw(b, d, TIMEUTIL_RFC3339_LEN + 1);
}

void
jbuf_key(struct jbuf *b, const char *k, bool first)
{
	size_t n = strlen(k);
	char *p;

	if (reserve(b, n + 4) == -1)
		return;
	p = b->p + b->len;
	if (!first)
		*p++ = ',';
	*p++ = '"';
	memcpy(p, k, n);
	p += n;
	*p++ = '"';
	*p++ = ':';
	b->len = (size_t)(p - b->p);
}

char *
jbuf_take(struct jbuf *b, size_t *len)
{
	char *p;

	if (b->failed || reserve(b, 0) == -1) {
		jbuf_release(b);
		return (NULL);
	}
	b->p[b->len] = '\0';
	p = b->p;
	*len = b->len;
	b->p = NULL;
	b->len = b->cap = 0;
	return (p);
}

json_t *
jbuf_take_json(struct jbuf *b)
{
	json_t *o;
	char *text;
	size_t len;

	if ((text = jbuf_take(b, &len)) == NULL)
		return (NULL);
	o = json_loadb(text, len, 0, NULL);
	free(text);
	return (o);
}
