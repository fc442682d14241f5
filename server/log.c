#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "timeutil.h"

#define LOG_LINE_MAX 4096

static enum log_level min_level = LOG_INFO;
static const char *const level_names[] = { "debug", "info", "warn", "error" };

int
log_level_parse(const char *s, enum log_level *out)
{
	for (size_t i = 0; i < sizeof(level_names) / sizeof(level_names[0]);
	    i++) {
		if (strcmp(s, level_names[i]) == 0) {
			*out = (enum log_level)i;
			return (0);
		}
	}
	return (-1);
}

void
log_set_level(enum log_level level)
{
	min_level = level;
}

/* Append s to buf at *pos, bounded; quoted and escaped if needed. */
static void
put_value(char *buf, size_t *pos, const char *s)
{
	bool quote = (*s == '\0');

	for (const char *p = s; *p != '\0' && !quote; p++)
		if (*p == ' ' || *p == '"' || *p == '=' || *p == '\\' ||
		    (unsigned char)*p < 0x20)
			quote = true;
	if (quote && *pos < LOG_LINE_MAX - 1)
		buf[(*pos)++] = '"';
	for (const char *p = s; *p != '\0' && *pos < LOG_LINE_MAX - 4; p++) {
		unsigned char c = (unsigned char)*p;

		if (c == '"' || c == '\\') {
			buf[(*pos)++] = '\\';
			buf[(*pos)++] = (char)c;
		} else if (c == '\n') {
			buf[(*pos)++] = '\\';
			buf[(*pos)++] = 'n';
		} else if (c < 0x20 || c == 0x7f) {
			buf[(*pos)++] = '?';
		} else {
			buf[(*pos)++] = (char)c;
		}
	}
	if (quote && *pos < LOG_LINE_MAX - 1)
		buf[(*pos)++] = '"';
}

static void
put_raw(char *buf, size_t *pos, const char *s)
{
	size_t n = strlen(s);

	if (n > LOG_LINE_MAX - 2 - *pos)
		n = LOG_LINE_MAX - 2 - *pos;
	memcpy(buf + *pos, s, n);
	*pos += n;
}

void
log_event(enum log_level level, const char *msg, ...)
{
	char buf[LOG_LINE_MAX], ts[TIMEUTIL_RFC3339_LEN];
	size_t pos = 0;
	va_list ap;
	const char *k, *v;

	if (level < min_level)
		return;
	if (timeutil_format((int64_t)time(NULL), ts, sizeof(ts)) == -1)
		ts[0] = '\0';
	put_raw(buf, &pos, "ts=");
	put_raw(buf, &pos, ts);
	put_raw(buf, &pos, " level=");
	put_raw(buf, &pos, level_names[level]);
	put_raw(buf, &pos, " msg=");
	put_value(buf, &pos, msg);
	va_start(ap, msg);
	while ((k = va_arg(ap, const char *)) != NULL) {
		v = va_arg(ap, const char *);
		put_raw(buf, &pos, " ");
		put_raw(buf, &pos, k);
		put_raw(buf, &pos, "=");
		put_value(buf, &pos, v != NULL ? v : "");
	}
	va_end(ap);
	buf[pos++] = '\n';
	(void)!write(STDERR_FILENO, buf, pos);
}
