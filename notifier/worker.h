/*
 * worker: the notifier's loop, and its delivery guarantee.
 *
 * Guarantee: every alert the server queues is delivered at least once,
 * and a recipient whose message the mail server accepted is not sent it
 * again by a retry of the alert.
 * - An alert is claimed with a lease before anything is sent, so two
 *   notifiers (or two delivery threads) never work on the same alert at
 *   the same time.
 * - It is acknowledged only after the mail server accepted every message
 *   (a 250 reply to DATA) or the spool file was renamed into place and
 *   the directory fsync'd, and after every webhook answered 2xx.  An
 *   alert is never acked before that, so it is never lost.  The ack
 *   carries every Message-ID accepted for it, on this attempt or before.
 * - Partial failure: when some messages of an alert were accepted and
 *   others were not, the failure is reported with the accepted
 *   Message-IDs; the server keeps them and hands them back as
 *   "delivered" on the next claim, and those recipients are skipped.
 * - If the notifier dies with an alert in hand (crash, SIGKILL, power
 *   cut), the lease expires and the server hands the alert out again:
 *   a message may then be sent twice.  Its Message-ID is derived from
 *   the alert id and the recipient's index, so a resend threads with
 *   and deduplicates against the first copy in mail clients.
 * - A transient failure (SMTP 4xx, refused or timed-out connection, TLS
 *   failure, a webhook's non-2xx) is reported with fail(permanent=false)
 *   and the server retries with backoff (base x attempts^2, capped)
 *   until the alert expires.  A 5xx refusal is permanent: the other
 *   recipients are still sent to, then the alert is failed permanently
 *   (with the accepted Message-IDs) and the server tells the admins.
 *   When one recipient is refused permanently and another temporarily,
 *   the failure is reported as transient, so the second still gets the
 *   alert; the next attempt skips everyone already served, and once
 *   only permanent refusals remain the alert fails permanently.  The
 *   notifier itself never retries in a loop.
 * - Concurrency: one thread polls; cfg->concurrency delivery threads
 *   each take an alert id from the poll's result, claim it and deliver
 *   it with their own API client and SMTP session.  An id is queued once
 *   (ids already queued or in hand are skipped), and the next poll is
 *   made when the queue is empty.
 * - SIGTERM/SIGINT: each alert being delivered is finished (its messages
 *   sent and acked); an alert claimed but not yet being sent is released
 *   unsent; ids polled but not yet claimed are dropped (the server still
 *   has them queued); then the threads are joined and the loop returns.
 */
#ifndef NOTIFIER_WORKER_H
#define NOTIFIER_WORKER_H

#include <signal.h>

#include "client.h"
#include "config.h"
#include "mail.h"

struct worker {
	const struct config	*cfg;		/* borrowed */
	struct client		*poller;	/* borrowed; polls */
	struct client		**clients;	/* borrowed; one per thread,
						   cfg->concurrency of them */
	const struct mail	*mail;		/* borrowed; NULL = spool */
	const char		*from_addr;	/* envelope sender, borrowed */
	volatile sig_atomic_t	*stop;		/* borrowed */
};

/*
 * Start cfg->concurrency delivery threads, then poll and hand out alert
 * ids until *w->stop is set (or after one poll, once its alerts are
 * done, when cfg->once).  Server and transport failures are logged and
 * retried with a pause; they do not end the loop.  The threads are
 * started with SIGTERM and SIGINT blocked, so those signals reach the
 * calling thread.  Returns 0, or -1 if no thread could be started.
 */
int	worker_run(struct worker *w);

/*
 * Deliver one alert by id (claim .. ack/fail/release) with client c,
 * which no other thread uses meanwhile.  0, or -1 (the alert was not
 * delivered, or the server could not be told).
 */
int	worker_alert(struct worker *w, struct client *c, int64_t id);

#endif
