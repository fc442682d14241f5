/* buf: a growable byte buffer with a hard cap (see buf.h). */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

void
buf_init(struct buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
	b->err = 0;
}

void
buf_release(struct buf *b)
{
	if (b == NULL)
		return;
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
	b->err = 0;
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	b->err = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

/* Make room for n more bytes and the NUL.  0 or -1 (err set). */
static int
grow(struct buf *b, size_t n)
{
	size_t need, cap;
	char *p;

	if (b->err)
		return (-1);
	if (n > b->max || b->len > b->max - n) {
		b->err = 1;
		return (-1);
	}
	need = b->len + n + 1;
	if (need <= b->cap)
		return (0);
	cap = b->cap != 0 ? b->cap : 256;
	while (cap < need) {
		if (cap > SIZE_MAX / 2) {
			cap = need;
			break;
		}
		cap *= 2;
	}
	if (cap > b->max + 1)
		cap = b->max + 1;
	if ((p = realloc(b->data, cap)) == NULL) {
		b->err = 1;
		return (-1);
	}
	b->data = p;
	b->cap = cap;
	return (0);
}

int
buf_add(struct buf *b, const void *p, size_t n)
{
	if (grow(b, n) == -1)
		return (-1);
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return (0);
}

int
buf_puts(struct buf *b, const char *s)
{
	return (buf_add(b, s, strlen(s)));
}

int
buf_putc(struct buf *b, char c)
{
	return (buf_add(b, &c, 1));
}

int
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->err)
		return (-1);
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || grow(b, (size_t)n) == -1) {
		b->err = 1;
		return (-1);
	}
	va_start(ap, fmt);
	(void)vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return (0);
}

const char *
buf_str(const struct buf *b)
{
	return (b->data != NULL ? b->data : "");
}

char *
buf_detach(struct buf *b)
{
	char *s;

	if (b->err)
		return (NULL);
	if (b->data == NULL && grow(b, 0) == -1)
		return (NULL);
	if (b->data != NULL && b->len == 0)
		b->data[0] = '\0';
	s = b->data;
	b->data = NULL;
	b->len = b->cap = 0;
	return (s);
}
