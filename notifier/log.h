/*
 * log: the notifier's log, one logfmt line per event on stderr:
 *   ts=2026-11-27T08:30:01Z level=info msg=sent alert=17 message_ids=2
 * One write(2) per line, lines capped at LOG_LINE_MAX bytes.  Secrets
 * (the service token, the SMTP password) are never passed here.
 */
#ifndef NOTIFIER_LOG_H
#define NOTIFIER_LOG_H

#define LOG_LINE_MAX	4096

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

/* Parse "debug" | "info" | "warn" | "error" into *out.  0 or -1. */
int	log_level_parse(const char *s, enum log_level *out);

/* Drop lines below level from now on.  The default is LOG_INFO. */
void	log_set_level(enum log_level level);

/*
 * Write one line: msg is the event name, then NULL-terminated pairs of
 * (const char *key, const char *value); values are quoted and escaped
 * as logfmt needs, control characters replaced.  A NULL value is "".
 * Nothing is allocated.
 */
void	log_event(enum log_level level, const char *msg, ...)
    __attribute__((sentinel));

#endif
