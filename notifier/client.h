/*
 * client: the notifier's side of the server's notifier API (libcurl):
 * long-poll for due alerts, claim one with a lease, acknowledge it with
 * its Message-IDs, report a failure, or give it back.
 *
 * One client is one curl handle (connections are reused) and is not
 * shared between threads: each delivery thread has its own.  The bearer token is kept in a request header
 * only; it is never logged and curl's verbose mode is never turned on.
 * Responses are capped at CLIENT_RESPONSE_MAX bytes; each request has a
 * connect timeout of 10 s and a total timeout (the poll's wait + 15 s,
 * else 30 s).  Only http and https are spoken, and redirects are not
 * followed.
 */
#ifndef NOTIFIER_CLIENT_H
#define NOTIFIER_CLIENT_H

#include <jansson.h>
#include <signal.h>
#include <stdint.h>

#define CLIENT_RESPONSE_MAX	(16 * 1024 * 1024)

struct client;

/*
 * A new client for the server at base ("http://127.0.0.1:8072"), the
 * service token token and the lease holder name worker; the strings are
 * copied.  A long poll is cut short when *stop becomes nonzero (stop is
 * borrowed and must outlive the client).  Free with client_free().
 * NULL if out of memory.
 */
struct client	*client_new(const char *base, const char *token,
		    const char *worker, volatile sig_atomic_t *stop);

/* Free c and its handle.  NULL is a no-op. */
void	client_free(struct client *c);

/*
 * GET /api/v1/notifier/alerts?wait=W&limit=N.  On success store the
 * "items" array (new reference, caller decrefs) in *items and return 0;
 * -1 on any failure (logged), including a poll cut short by *stop.
 */
int	client_poll(struct client *c, int wait, int limit, json_t **items);

/*
 * POST .../{id}/claim with the lease.  0 and the full alert in *alert
 * (new reference); 1 if the alert is not claimable (404 or 409: someone
 * else has it, or it is done); -1 on failure (logged).
 */
int	client_claim(struct client *c, int64_t id, int lease, json_t **alert);

/*
 * POST .../{id}/ack with message_ids (an array of strings, borrowed).
 * 0; 1 if the server refused (409: the lease was lost); -1 on failure.
 */
int	client_ack(struct client *c, int64_t id, json_t *message_ids);

/*
 * POST .../{id}/fail with the error text (cut to 2000 bytes), whether it
 * is permanent, and message_ids (an array of strings, borrowed; NULL or
 * empty: not sent): the Message-IDs the mail server already accepted
 * for this alert, which the server hands back as "delivered" on the next
 * claim.  0; 1 if refused (409); -1 on failure.
 */
int	client_fail(struct client *c, int64_t id, const char *error,
	    int permanent, json_t *message_ids);

/* POST .../{id}/release.  0; 1 if refused (409); -1 on failure. */
int	client_release(struct client *c, int64_t id);

#endif
