#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "conns.h"
#include "log.h"
#include "mono.h"

#define REAP_EVERY_MS 500

/* One connection: on the list from its start to its close. */
struct conn {
	struct conn *prev, *next;
	MHD_socket fd;
	/* Written by the connection's thread without the lock (a lock
	 * taken twice a request by every worker: perf showed them queuing on
	 * it); since_ms before busy is cleared, so the reaper, reading busy
	 * first, sees the new clock with it. */
	_Atomic int64_t since_ms;  /* start of the current request's clock */
	atomic_bool busy;          /* being answered: no deadline */
	bool cut;                  /* shut down already (under the lock) */
};

struct conns {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct conn *head;
	int64_t deadline_ms;
	bool stopping;
	bool started;
	pthread_t reaper;
};

static void *
reaper_main(void *arg)
{
	struct conns *c = arg;
	struct timespec ts;
	char count[24];
	int64_t now;
	uint64_t n;

	pthread_mutex_lock(&c->lock);
	while (!c->stopping) {
		now = mono_ms();
		n = 0;
		for (struct conn *e = c->head; e != NULL; e = e->next) {
			if (atomic_load(&e->busy) || e->cut ||
			    now - atomic_load(&e->since_ms) < c->deadline_ms)
				continue;
			/* Registered, so the socket is still open: the
			 * close notification takes this lock first. */
			(void)shutdown(e->fd, SHUT_RDWR);
			e->cut = true;
			n++;
		}
		if (n > 0) {
			snprintf(count, sizeof(count), "%llu",
			    (unsigned long long)n);
			log_event(LOG_WARN, "cut off clients too slow to send a "
			    "request", "count", count, NULL);
		}
		ts = mono_ts(now + REAP_EVERY_MS);
		pthread_cond_timedwait(&c->cond, &c->lock, &ts);
	}
	pthread_mutex_unlock(&c->lock);
	return (NULL);
}

struct conns *
conns_new(int64_t seconds)
{
	struct conns *c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return (NULL);
	pthread_mutex_init(&c->lock, NULL);
	mono_cond_init(&c->cond);
	c->deadline_ms = seconds * 1000;
	if (pthread_create(&c->reaper, NULL, reaper_main, c) != 0) {
		log_event(LOG_ERROR, "cannot start the slow-client reaper",
		    NULL);
		pthread_mutex_destroy(&c->lock);
		pthread_cond_destroy(&c->cond);
		free(c);
		return (NULL);
	}
	c->started = true;
	return (c);
}

void
conns_free(struct conns *c)
{
	struct conn *e, *next;

	if (c == NULL)
		return;
	pthread_mutex_lock(&c->lock);
	c->stopping = true;
	pthread_cond_signal(&c->cond);
	pthread_mutex_unlock(&c->lock);
	if (c->started)
		pthread_join(c->reaper, NULL);
	for (e = c->head; e != NULL; e = next) {
		next = e->next;
		free(e);
	}
	pthread_mutex_destroy(&c->lock);
	pthread_cond_destroy(&c->cond);
	free(c);
}

void
conns_notify(void *cls, struct MHD_Connection *conn, void **socket_context,
    enum MHD_ConnectionNotificationCode toe)
{
	struct conns *c = cls;
	const union MHD_ConnectionInfo *ci;
	struct conn *e;

	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		ci = MHD_get_connection_info(conn,
		    MHD_CONNECTION_INFO_CONNECTION_FD);
		if (ci == NULL || (e = calloc(1, sizeof(*e))) == NULL)
			return;
		e->fd = ci->connect_fd;
		atomic_init(&e->since_ms, mono_ms());
		atomic_init(&e->busy, false);
		pthread_mutex_lock(&c->lock);
		e->next = c->head;
		if (c->head != NULL)
			c->head->prev = e;
		c->head = e;
		pthread_mutex_unlock(&c->lock);
		*socket_context = e;
		return;
	}
	if ((e = *socket_context) == NULL)
		return;
	pthread_mutex_lock(&c->lock);
	if (e->prev != NULL)
		e->prev->next = e->next;
	else
		c->head = e->next;
	if (e->next != NULL)
		e->next->prev = e->prev;
	pthread_mutex_unlock(&c->lock);
	free(e);
	*socket_context = NULL;
}

/* Our entry for conn, or NULL when it is not tracked. */
static struct conn *
entry(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci;

	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return (ci != NULL ? ci->socket_context : NULL);
}

void
conns_request_read(struct MHD_Connection *conn)
{
	struct conn *e = entry(conn);

	if (e != NULL)
		atomic_store(&e->busy, true);
}

void
conns_request_done(struct MHD_Connection *conn)
{
	struct conn *e = entry(conn);

	if (e == NULL)
		return;
	atomic_store(&e->since_ms, mono_ms());
	atomic_store(&e->busy, false);
}
