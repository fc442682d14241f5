/*
 * worker: the notifier's loop, and its delivery guarantee.
 *
 * Guarantee: every alert the server queues is delivered at least once.
 * - An alert is claimed with a lease before anything is sent, so two
 *   notifiers never work on the same alert at the same time.
 * - It is acknowledged only after the mail server accepted every message
 *   (a 250 reply to DATA) or the spool file was renamed into place and
 *   the directory fsync'd, and after every webhook answered 2xx.  An
 *   alert is never acked before that, so it is never lost.
 * - If the notifier dies with an alert in hand (crash, SIGKILL, power
 *   cut), the lease expires and the server hands the alert out again:
 *   a message may then be sent twice.  Its Message-ID is derived from
 *   the alert id and the recipient's index, so a resend threads with
 *   and deduplicates against the first copy in mail clients.
 * - A transient failure (SMTP 4xx, refused or timed-out connection, TLS
 *   failure, a webhook's non-2xx) is reported with fail(permanent=false)
 *   and the server retries with backoff (base x attempts^2, capped)
 *   until the alert expires; a 5xx refusal is permanent and the server
 *   tells the admins.  The notifier itself never retries in a loop.
 * - SIGTERM/SIGINT: the alert being delivered is finished (its messages
 *   sent and acked); an alert claimed but not yet being sent is released
 *   unsent; then the loop returns.
 */
#ifndef NOTIFIER_WORKER_H
#define NOTIFIER_WORKER_H

#include <signal.h>

#include "client.h"
#include "config.h"
#include "mail.h"

struct worker {
	const struct config	*cfg;		/* borrowed */
	struct client		*client;	/* borrowed */
	const struct mail	*mail;		/* borrowed; NULL = spool */
	const char		*from_addr;	/* envelope sender, borrowed */
	volatile sig_atomic_t	*stop;		/* borrowed */
};

/*
 * Poll, claim, deliver and acknowledge until *w->stop is set (or after
 * one poll when cfg->once).  Server and transport failures are logged
 * and retried with a pause; they do not end the loop.  Returns 0.
 */
int	worker_run(struct worker *w);

/* Deliver one alert by id (claim .. ack/fail/release).  0 or -1. */
int	worker_alert(struct worker *w, int64_t id);

#endif
