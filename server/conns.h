/*
 * conns: the connections breachclockd holds, and the time each has to send
 * its request.  libmicrohttpd's timeout counts from a connection's last
 * activity, so a client that sends a byte every few seconds ("slowloris")
 * would hold a connection for ever; here every request (its headers and
 * body) must arrive within a deadline counted from the connection's start
 * or the end of its previous request, else the connection is shut down.
 * A request being answered (including a parked long-poll) has no deadline.
 *
 * A reaper thread checks twice a second.  It only ever calls shutdown(2)
 * on a socket still registered here; libmicrohttpd then sees the end of
 * the stream and closes the connection itself.
 */
#ifndef BREACHCLOCK_CONNS_H
#define BREACHCLOCK_CONNS_H

#include <stdint.h>

#include <microhttpd.h>

struct conns;

/* Start tracking with a deadline of seconds per request.  A new set (and
 * its reaper thread) that conns_free() stops and frees, or NULL. */
struct conns *conns_new(int64_t seconds);

/* Stop the reaper and free c (after the daemon stopped).  NULL: no-op. */
void conns_free(struct conns *c);

/*
 * The MHD_OPTION_NOTIFY_CONNECTION callback (cls is the struct conns):
 * registers a connection when it starts (its *socket_context becomes
 * ours) and forgets it when it closes.
 */
void conns_notify(void *cls, struct MHD_Connection *conn,
    void **socket_context, enum MHD_ConnectionNotificationCode toe);

/* conn's request has arrived whole: its clock stops while it is answered. */
void conns_request_read(struct MHD_Connection *conn);

/* conn's request was answered: the clock of its next request starts. */
void conns_request_done(struct MHD_Connection *conn);

#endif
