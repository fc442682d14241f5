/*
 * spool: the transport when no SMTP host is set.  Each message becomes
 * DIR/NAME.eml, written atomically: DIR/tmp/NAME.eml is written and
 * fsync'd, renamed into DIR and the directory fsync'd, so a reader never
 * sees half a file and an accepted message survives a crash.  Writing
 * the same name again (a retried alert) replaces the file whole.
 */
#ifndef NOTIFIER_SPOOL_H
#define NOTIFIER_SPOOL_H

#include <stddef.h>

/* Create dir and dir/tmp (mode 0700) if missing.  0, or -1 (logged). */
int	spool_init(const char *dir);

/*
 * Write len bytes of text as dir/NAME.eml where NAME is name with every
 * character outside [A-Za-z0-9._-] dropped.  0, or -1 with a message in
 * err (errlen bytes).
 */
int	spool_write(const char *dir, const char *name, const char *text,
	    size_t len, char *err, size_t errlen);

#endif
