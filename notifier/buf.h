/*
 * buf: a growable byte buffer with a hard cap.
 *
 * The contents are always NUL-terminated (the NUL is not counted in len).
 * Errors are sticky: once an append fails (the cap would be passed, or
 * memory ran out) the buffer keeps err set and refuses every later
 * append, so a caller may append many pieces and check once at the end.
 */
#ifndef NOTIFIER_BUF_H
#define NOTIFIER_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char	*data;		/* owned; NULL until the first append */
	size_t	 len;		/* bytes used, without the NUL */
	size_t	 cap;		/* bytes allocated */
	size_t	 max;		/* the most len may ever reach */
	int	 err;		/* nonzero after a failed append */
};

/* Fill b as an empty buffer that will hold at most max bytes. */
void	buf_init(struct buf *b, size_t max);

/* Free b's contents; b may be reused after buf_init.  NULL is a no-op. */
void	buf_release(struct buf *b);

/* Forget the contents but keep the memory and the cap; clears err. */
void	buf_reset(struct buf *b);

/* Append n bytes of p.  0, or -1 (over the cap, no memory, or err set). */
int	buf_add(struct buf *b, const void *p, size_t n);

/* Append the NUL-terminated string s.  0 or -1. */
int	buf_puts(struct buf *b, const char *s);

/* Append one byte.  0 or -1. */
int	buf_putc(struct buf *b, char c);

/* Append formatted text.  0 or -1. */
int	buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The contents as a C string: never NULL ("" when empty).  Borrowed. */
const char *buf_str(const struct buf *b);

/*
 * Hand the contents to the caller as a malloc'd NUL-terminated string
 * (free it with free()) and leave b empty.  NULL if b has err set or
 * memory runs out.
 */
char	*buf_detach(struct buf *b);

#endif
