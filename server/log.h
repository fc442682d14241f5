/*
 * log: one line per event on stderr, in logfmt:
 *   ts=2026-11-27T06:20:56Z level=info msg=listening url=http://...
 * Thread-safe (one write(2) per line).
 */
#ifndef BREACHCLOCK_LOG_H
#define BREACHCLOCK_LOG_H

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

/* Parse "debug" | "info" | "warn" | "error"; 0 and *out, or -1. */
int log_level_parse(const char *s, enum log_level *out);

/* Lines below this level are dropped.  Default LOG_INFO. */
void log_set_level(enum log_level level);

/*
 * Write one line.  msg is the event name; the variadic part is NULL-
 * terminated pairs of (const char *key, const char *value), values quoted
 * and escaped as logfmt needs.  A NULL value is written as key=.
 */
void log_event(enum log_level level, const char *msg, ...)
    __attribute__((sentinel));

#endif
