/*
 * worker: poll, claim, render, deliver, acknowledge, with a pool of
 * delivery threads.  The delivery guarantee is written in worker.h.
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "log.h"
#include "mono.h"
#include "render.h"
#include "spool.h"
#include "webhook.h"
#include "worker.h"

#define MAX_RECIPIENTS	100	/* the server's ack takes 100 ids */
#define MAX_IDS		100	/* Message-IDs in one ack or fail */
#define ERR_MAX		2048
#define PAUSE_MAX	30	/* seconds between polls after errors */
#define QUEUE_MAX	500	/* ids of one poll (limit <= 500) */
#define WAIT_MS		200	/* how often waiters look at stop */

/* One rendered message. */
struct out {
	char			 msgid[RENDER_MSGID_MAX];
	char			*text;		/* owned */
	char			 rcpt[RENDER_ADDR_MAX + 1];
	enum mail_status	 status;
};

/* The ids handed from the polling thread to the delivery threads. */
struct pool {
	struct worker	*w;
	pthread_mutex_t	 lock;
	pthread_cond_t	 work;		/* an id was queued, or done set */
	pthread_cond_t	 drained;	/* an id was taken, or finished */
	int64_t		 queue[QUEUE_MAX];
	size_t		 head, len;
	int64_t		*busy;		/* per thread: the id in hand, or 0 */
	unsigned	 errors;	/* failed alerts since the last poll */
	int		 done;		/* no more ids will come */
};

struct thread {
	struct pool	*pool;
	size_t		 idx;
	pthread_t	 tid;
};

/* Sleep up to secs, waking early when stopped. */
static void
pause_for(struct worker *w, int secs)
{
	struct timespec ts = { 1, 0 };

	while (secs-- > 0 && !*w->stop)
		(void)nanosleep(&ts, NULL);
}

/* Wait on cond (from mono_cond_init()) for at most WAIT_MS (so that
 * *stop is seen). */
static void
wait_a_little(pthread_cond_t *cond, pthread_mutex_t *lock)
{
	struct timespec ts = mono_ts(mono_ms() + WAIT_MS);

	(void)pthread_cond_timedwait(cond, lock, &ts);
}

/* err cleaned to one line of valid UTF-8 for JSON and logs. */
static void
clean_error(char *dst, size_t len, const char *err)
{
	struct buf b;

	buf_init(&b, len - 1);
	if (render_clean(&b, err, len - 1) == -1 || b.len == 0)
		snprintf(dst, len, "unknown error");
	else
		snprintf(dst, len, "%s", buf_str(&b));
	buf_release(&b);
}

/* Report a failed attempt with the Message-IDs accepted so far (ids,
 * borrowed). */
static void
report_failure(struct client *c, int64_t id, const char *sid,
    const char *why, int permanent, json_t *ids)
{
	char msg[ERR_MAX], nids[16];

	clean_error(msg, sizeof(msg), why);
	snprintf(nids, sizeof(nids), "%zu", json_array_size(ids));
	log_event(permanent ? LOG_ERROR : LOG_WARN, "delivery failed",
	    "alert", sid, "permanent", permanent ? "true" : "false",
	    "error", msg, "accepted", nids, NULL);
	(void)client_fail(c, id, msg, permanent, ids);
}

/* 1 if the array list holds the string s, else 0. */
static int
in_list(json_t *list, const char *s)
{
	json_t *v;
	size_t i;

	json_array_foreach(list, i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), s) == 0)
			return (1);
	return (0);
}

/*
 * Render the message of every recipient with a usable address whose
 * Message-ID is not in delivered (borrowed; NULL: none) into outs, *n
 * of them.  0, or -1 (a malformed alert).
 */
static int
render_all(struct worker *w, json_t *alert, json_t *delivered, int64_t now,
    struct out *outs, size_t *n)
{
	json_t *rcpts = json_object_get(alert, "recipients");
	char msgid[RENDER_MSGID_MAX];
	struct buf b;
	const char *email;
	size_t i;
	int rc;

	*n = 0;
	for (i = 0; i < json_array_size(rcpts) && *n < MAX_RECIPIENTS; i++) {
		struct out *o = &outs[*n];

		if (render_message_id(alert, i, msgid, sizeof(msgid)) == -1)
			return (-1);
		if (in_list(delivered, msgid))
			continue;	/* accepted on an earlier attempt */
		buf_init(&b, RENDER_MSG_MAX);
		rc = render_message(alert, i, w->cfg->from, now, &b,
		    o->msgid, sizeof(o->msgid));
		if (rc == 1) {
			buf_release(&b);
			continue;	/* no usable address: skipped */
		}
		if (rc == -1 || (o->text = buf_detach(&b)) == NULL) {
			buf_release(&b);
			return (-1);
		}
		(void)render_recipient(alert, i, &email);
		snprintf(o->rcpt, sizeof(o->rcpt), "%s", email);
		o->status = MAIL_TEMPFAIL;
		(*n)++;
	}
	return (0);
}

/*
 * Hand the messages to SMTP or the spool and set each one's status.  0
 * if all were accepted, else -1 with the first failure in err.
 */
static int
deliver(struct worker *w, struct out *outs, size_t n, char *err,
    size_t errlen)
{
	struct mail_msg msgs[MAX_RECIPIENTS];
	size_t i;
	int rc;

	if (w->mail != NULL) {
		for (i = 0; i < n; i++) {
			msgs[i].rcpt = outs[i].rcpt;
			msgs[i].text = outs[i].text;
			msgs[i].status = MAIL_TEMPFAIL;
		}
		rc = mail_send(w->mail, w->from_addr, msgs, n, err, errlen);
		for (i = 0; i < n; i++)
			outs[i].status = msgs[i].status;
		return (rc);
	}
	for (i = 0; i < n; i++) {
		/* "<alert-17.0@breachclock>" is spooled as alert-17.0.eml */
		char name[RENDER_MSGID_MAX];
		size_t k = strcspn(outs[i].msgid + 1, "@");

		snprintf(name, sizeof(name), "%.*s", (int)k,
		    outs[i].msgid + 1);
		if (spool_write(w->cfg->spool, name, outs[i].text,
		    strlen(outs[i].text), err, errlen) == -1)
			return (-1);	/* this one and the rest: TEMPFAIL */
		outs[i].status = MAIL_SENT;
	}
	return (0);
}

/* Append the string s to ids unless it holds MAX_IDS already.  0 or -1. */
static int
add_id(json_t *ids, const char *s, const char *sid)
{
	if (json_array_size(ids) >= MAX_IDS) {
		log_event(LOG_WARN, "too many Message-IDs to report; the rest "
		    "are left out", "alert", sid, NULL);
		return (0);
	}
	return (json_array_append_new(ids, json_string(s)));
}

int
worker_alert(struct worker *w, struct client *c, int64_t id)
{
	struct out outs[MAX_RECIPIENTS];
	char sid[24], err[ERR_MAX], werr[ERR_MAX + 64], count[16], skip[16];
	json_t *alert = NULL, *ids = NULL, *delivered, *hook, *v;
	size_t n = 0, i, nfail = 0, ntemp = 0, nsent = 0;
	int rc = -1;
	int64_t now;

	memset(outs, 0, sizeof(outs));
	snprintf(sid, sizeof(sid), "%" PRId64, id);
	if ((rc = client_claim(c, id, w->cfg->lease, &alert)) != 0)
		return (rc == 1 ? 0 : -1);
	rc = -1;
	if (*w->stop) {
		/* Claimed but not started: give it back. */
		(void)client_release(c, id);
		log_event(LOG_INFO, "released", "alert", sid, NULL);
		rc = 0;
		goto out;
	}
	/* Message-IDs accepted on earlier attempts: not sent again. */
	if (!json_is_array(delivered = json_object_get(alert, "delivered")))
		delivered = NULL;
	if ((ids = json_array()) == NULL)
		goto out;
	json_array_foreach(delivered, i, v)
		if (json_is_string(v) && add_id(ids, json_string_value(v),
		    sid) == -1)
			goto out;
	now = (int64_t)time(NULL);
	if (render_all(w, alert, delivered, now, outs, &n) == -1) {
		report_failure(c, id, sid, "cannot render the alert "
		    "(malformed, or over the size cap)", 1, ids);
		goto out;
	}
	/* From here on the alert is in hand: finish it even if stopped. */
	if (n > 0)
		(void)deliver(w, outs, n, err, sizeof(err));
	for (i = 0; i < n; i++) {
		if (outs[i].status == MAIL_SENT) {
			nsent++;
			if (add_id(ids, outs[i].msgid, sid) == -1)
				goto out;
			continue;
		}
		nfail++;
		if (outs[i].status == MAIL_TEMPFAIL)
			ntemp++;
	}
	if (nfail > 0) {
		/*
		 * Transient if any refusal was: the next attempt skips
		 * everyone already served (see worker.h).
		 */
		if (json_array_size(ids) > 0)
			snprintf(werr, sizeof(werr), "%s (%zu of %zu messages "
			    "not accepted)", err, nfail, n);
		else
			snprintf(werr, sizeof(werr), "%s", err);
		report_failure(c, id, sid, werr, ntemp == 0, ids);
		goto out;
	}
	json_array_foreach(json_object_get(alert, "webhooks"), i, hook) {
		const char *url = json_string_value(json_object_get(hook,
		    "url"));

		if (url == NULL)
			continue;
		if (webhook_post(url, json_string_value(json_object_get(hook,
		    "format")), alert, now, w->cfg->allow_internal_webhooks,
		    err, sizeof(err)) == -1) {
			/* The URL may hold a secret: name it by index. */
			snprintf(werr, sizeof(werr), "webhook %zu: %s", i,
			    err);
			report_failure(c, id, sid, werr, 0, ids);
			goto out;
		}
	}
	if (client_ack(c, id, ids) != 0) {
		/* Sent but not acked: the lease expires and it is sent
		 * again (at-least-once). */
		log_event(LOG_WARN, "sent but not acknowledged", "alert", sid,
		    NULL);
		goto out;
	}
	snprintf(count, sizeof(count), "%zu", nsent);
	snprintf(skip, sizeof(skip), "%zu", json_array_size(delivered));
	log_event(LOG_INFO, "sent", "alert", sid, "key",
	    json_string_value(json_object_get(alert, "key")), "messages",
	    count, "already_delivered", skip, "transport", w->mail != NULL ?
	    "smtp" : "spool", NULL);
	rc = 0;
out:
	for (i = 0; i < n; i++)
		free(outs[i].text);
	json_decref(ids);
	json_decref(alert);
	return (rc);
}

/* A delivery thread: take ids from the queue until done or stopped. */
static void *
deliverer(void *arg)
{
	struct thread *t = arg;
	struct pool *p = t->pool;
	struct worker *w = p->w;
	int64_t id;
	int rc;

	pthread_mutex_lock(&p->lock);
	for (;;) {
		while (p->len == 0 && !p->done && !*w->stop)
			wait_a_little(&p->work, &p->lock);
		if (*w->stop || p->len == 0)
			break;
		id = p->queue[p->head];
		p->head = (p->head + 1) % QUEUE_MAX;
		p->len--;
		p->busy[t->idx] = id;
		pthread_cond_signal(&p->drained);
		pthread_mutex_unlock(&p->lock);

		rc = worker_alert(w, w->clients[t->idx], id);

		pthread_mutex_lock(&p->lock);
		p->busy[t->idx] = 0;
		if (rc == -1)
			p->errors++;
		pthread_cond_signal(&p->drained);
	}
	pthread_mutex_unlock(&p->lock);
	return (NULL);
}

/* 1 if id is queued or in a thread's hands; the caller holds the lock. */
static int
pool_has(const struct pool *p, size_t nthreads, int64_t id)
{
	size_t i;

	for (i = 0; i < p->len; i++)
		if (p->queue[(p->head + i) % QUEUE_MAX] == id)
			return (1);
	for (i = 0; i < nthreads; i++)
		if (p->busy[i] == id)
			return (1);
	return (0);
}

/* Queue the ids of a poll's items that are not queued or in hand. */
static void
pool_add(struct pool *p, size_t nthreads, json_t *items)
{
	json_t *it, *id;
	size_t i;

	pthread_mutex_lock(&p->lock);
	json_array_foreach(items, i, it) {
		id = json_object_get(it, "id");
		if (!json_is_integer(id) || json_integer_value(id) <= 0 ||
		    p->len == QUEUE_MAX ||
		    pool_has(p, nthreads, json_integer_value(id)))
			continue;
		p->queue[(p->head + p->len) % QUEUE_MAX] =
		    json_integer_value(id);
		p->len++;
	}
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->lock);
}

int
worker_run(struct worker *w)
{
	struct pool p;
	struct thread *th = NULL;
	sigset_t block, old;
	json_t *items;
	size_t nthreads = (size_t)w->cfg->concurrency, started = 0, i;
	unsigned errors;
	int pause = 0, rc = -1;

	memset(&p, 0, sizeof(p));
	p.w = w;
	if (pthread_mutex_init(&p.lock, NULL) != 0)
		return (-1);
	if (mono_cond_init(&p.work) != 0)
		goto err0;
	if (mono_cond_init(&p.drained) != 0)
		goto err1;
	if ((p.busy = calloc(nthreads, sizeof(*p.busy))) == NULL ||
	    (th = calloc(nthreads, sizeof(*th))) == NULL) {
		log_event(LOG_ERROR, "out of memory", NULL);
		goto err2;
	}
	/* Signals go to this thread, never into a delivery's I/O. */
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	for (i = 0; i < nthreads; i++) {
		th[i].pool = &p;
		th[i].idx = i;
		if (pthread_create(&th[i].tid, NULL, deliverer, &th[i]) != 0)
			break;
		started++;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (started == 0) {
		log_event(LOG_ERROR, "cannot start a delivery thread", NULL);
		goto err2;
	}
	/* Threads past started never run: clients[started..] stay unused. */
	nthreads = started;

	while (!*w->stop) {
		/* Poll again once every queued id has been taken. */
		pthread_mutex_lock(&p.lock);
		while (p.len > 0 && !*w->stop)
			wait_a_little(&p.drained, &p.lock);
		errors = p.errors;
		p.errors = 0;
		pthread_mutex_unlock(&p.lock);
		if (errors > 0 && pause == 0)
			pause = 1;
		if (pause > 0) {
			pause_for(w, pause);
			if (*w->stop)
				break;
		}
		if (client_poll(w->poller, w->cfg->once ? 0 :
		    w->cfg->poll_wait, w->cfg->limit, &items) == -1) {
			if (w->cfg->once)
				break;
			pause = pause == 0 ? 1 : pause * 2;
			if (pause > PAUSE_MAX)
				pause = PAUSE_MAX;
			continue;
		}
		pause = 0;
		pool_add(&p, nthreads, items);
		json_decref(items);
		if (w->cfg->once)
			break;
	}
	/* No more ids: the threads finish what they hold (and, unless
	 * stopped, what is queued), then end. */
	pthread_mutex_lock(&p.lock);
	p.done = 1;
	pthread_cond_broadcast(&p.work);
	pthread_mutex_unlock(&p.lock);
	for (i = 0; i < started; i++)
		pthread_join(th[i].tid, NULL);
	rc = 0;
err2:
	free(th);
	free(p.busy);
	pthread_cond_destroy(&p.drained);
err1:
	pthread_cond_destroy(&p.work);
err0:
	pthread_mutex_destroy(&p.lock);
	return (rc);
}
