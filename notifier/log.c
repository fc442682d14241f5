/* log: logfmt lines on stderr (see log.h). */
#include <stdarg.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "timeutil.h"

static enum log_level	 log_min = LOG_INFO;
static const char *const log_names[] = { "debug", "info", "warn", "error" };

int
log_level_parse(const char *s, enum log_level *out)
{
	size_t i;

	for (i = 0; i < sizeof(log_names) / sizeof(log_names[0]); i++)
		if (strcmp(s, log_names[i]) == 0) {
			*out = (enum log_level)i;
			return (0);
		}
	return (-1);
}

void
log_set_level(enum log_level level)
{
	log_min = level;
}

/* Append raw bytes, bounded, keeping room for the newline. */
static void
put(char *line, size_t *pos, const char *s, size_t n)
{
	if (n > LOG_LINE_MAX - 1 - *pos)
		n = LOG_LINE_MAX - 1 - *pos;
	memcpy(line + *pos, s, n);
	*pos += n;
}

/* Append a value, quoted if it needs to be. */
static void
put_value(char *line, size_t *pos, const char *s)
{
	const unsigned char *p;
	int quote = (*s == '\0');
	char esc[2];

	for (p = (const unsigned char *)s; *p != '\0' && !quote; p++)
		if (*p == ' ' || *p == '"' || *p == '=' || *p == '\\' ||
		    *p < 0x20 || *p == 0x7f)
			quote = 1;
	if (quote)
		put(line, pos, "\"", 1);
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*pos >= LOG_LINE_MAX - 4)
			break;
		if (*p == '"' || *p == '\\') {
			esc[0] = '\\';
			esc[1] = (char)*p;
			put(line, pos, esc, 2);
		} else if (*p == '\n') {
			put(line, pos, "\\n", 2);
		} else if (*p < 0x20 || *p == 0x7f) {
			put(line, pos, "?", 1);
		} else {
			put(line, pos, (const char *)p, 1);
		}
	}
	if (quote)
		put(line, pos, "\"", 1);
}

void
log_event(enum log_level level, const char *msg, ...)
{
	char line[LOG_LINE_MAX], ts[TIMEUTIL_RFC3339_LEN];
	const char *k, *v;
	size_t pos = 0;
	va_list ap;

	if (level < log_min)
		return;
	if (timeutil_format((int64_t)time(NULL), ts, sizeof(ts)) == -1)
		ts[0] = '\0';
	put(line, &pos, "ts=", 3);
	put(line, &pos, ts, strlen(ts));
	put(line, &pos, " level=", 7);
	put(line, &pos, log_names[level], strlen(log_names[level]));
	put(line, &pos, " msg=", 5);
	put_value(line, &pos, msg);
	va_start(ap, msg);
	while ((k = va_arg(ap, const char *)) != NULL) {
		v = va_arg(ap, const char *);
		put(line, &pos, " ", 1);
		put(line, &pos, k, strlen(k));
		put(line, &pos, "=", 1);
		put_value(line, &pos, v != NULL ? v : "");
	}
	va_end(ap);
	line[pos++] = '\n';
	(void)!write(STDERR_FILENO, line, pos);
}
