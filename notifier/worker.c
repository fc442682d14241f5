/*
 * worker: poll, claim, render, deliver, acknowledge.  The delivery
 * guarantee is written in worker.h.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "log.h"
#include "render.h"
#include "spool.h"
#include "webhook.h"
#include "worker.h"

#define MAX_RECIPIENTS	100	/* the server's ack takes 100 ids */
#define ERR_MAX		2048
#define PAUSE_MAX	30	/* seconds between polls after errors */

/* One rendered message. */
struct out {
	char	 msgid[RENDER_MSGID_MAX];
	char	*text;		/* owned */
	char	 rcpt[RENDER_ADDR_MAX + 1];
};

/* Sleep up to secs, waking early when stopped. */
static void
pause_for(struct worker *w, int secs)
{
	struct timespec ts = { 1, 0 };

	while (secs-- > 0 && !*w->stop)
		(void)nanosleep(&ts, NULL);
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

static void
report_failure(struct worker *w, int64_t id, const char *sid,
    const char *why, int permanent)
{
	char msg[ERR_MAX];

	clean_error(msg, sizeof(msg), why);
	log_event(permanent ? LOG_ERROR : LOG_WARN, "delivery failed",
	    "alert", sid, "permanent", permanent ? "true" : "false",
	    "error", msg, NULL);
	(void)client_fail(w->client, id, msg, permanent);
}

/* Render every deliverable recipient's message into outs.  The count,
 * or -1 (a malformed alert). */
static int
render_all(struct worker *w, json_t *alert, int64_t now, struct out *outs,
    size_t *n)
{
	json_t *rcpts = json_object_get(alert, "recipients");
	struct buf b;
	const char *email;
	size_t i;
	int rc;

	*n = 0;
	for (i = 0; i < json_array_size(rcpts) && *n < MAX_RECIPIENTS; i++) {
		struct out *o = &outs[*n];

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
		(*n)++;
	}
	return (0);
}

/* Hand the messages to SMTP or the spool.  0, or -1 with err and
 * *permanent set. */
static int
deliver(struct worker *w, struct out *outs, size_t n, char *err,
    size_t errlen, int *permanent)
{
	struct mail_msg msgs[MAX_RECIPIENTS];
	size_t i;

	*permanent = 0;
	if (w->mail != NULL) {
		for (i = 0; i < n; i++) {
			msgs[i].rcpt = outs[i].rcpt;
			msgs[i].text = outs[i].text;
		}
		return (mail_send(w->mail, w->from_addr, msgs, n, err,
		    errlen, permanent));
	}
	for (i = 0; i < n; i++) {
		/* "<alert-17.0@breachclock>" is spooled as alert-17.0.eml */
		char name[RENDER_MSGID_MAX];
		size_t k = strcspn(outs[i].msgid + 1, "@");

		snprintf(name, sizeof(name), "%.*s", (int)k,
		    outs[i].msgid + 1);
		if (spool_write(w->cfg->spool, name, outs[i].text,
		    strlen(outs[i].text), err, errlen) == -1)
			return (-1);
	}
	return (0);
}

int
worker_alert(struct worker *w, int64_t id)
{
	struct out outs[MAX_RECIPIENTS];
	char sid[24], err[ERR_MAX], count[16];
	json_t *alert = NULL, *ids = NULL, *hook;
	size_t n = 0, i;
	int permanent, rc = -1;
	int64_t now;

	memset(outs, 0, sizeof(outs));
	snprintf(sid, sizeof(sid), "%" PRId64, id);
	if ((rc = client_claim(w->client, id, w->cfg->lease, &alert)) != 0)
		return (rc == 1 ? 0 : -1);
	rc = -1;
	if (*w->stop) {
		/* Claimed but not started: give it back. */
		(void)client_release(w->client, id);
		log_event(LOG_INFO, "released", "alert", sid, NULL);
		goto out;
	}
	now = (int64_t)time(NULL);
	if (render_all(w, alert, now, outs, &n) == -1) {
		report_failure(w, id, sid, "cannot render the alert "
		    "(malformed, or over the size cap)", 1);
		goto out;
	}
	/* From here on the alert is in hand: finish it even if stopped. */
	if (n > 0 && deliver(w, outs, n, err, sizeof(err), &permanent) ==
	    -1) {
		report_failure(w, id, sid, err, permanent);
		goto out;
	}
	json_array_foreach(json_object_get(alert, "webhooks"), i, hook) {
		const char *url = json_string_value(json_object_get(hook,
		    "url"));

		if (url == NULL)
			continue;
		if (webhook_post(url, json_string_value(json_object_get(hook,
		    "format")), alert, now, err, sizeof(err)) == -1) {
			/* The URL may hold a secret: name it by index. */
			char werr[ERR_MAX + 32];

			snprintf(werr, sizeof(werr), "webhook %zu: %s", i,
			    err);
			report_failure(w, id, sid, werr, 0);
			goto out;
		}
	}
	if ((ids = json_array()) == NULL)
		goto out;
	for (i = 0; i < n; i++)
		if (json_array_append_new(ids, json_string(outs[i].msgid)) ==
		    -1)
			goto out;
	if (client_ack(w->client, id, ids) != 0) {
		/* Sent but not acked: the lease expires and it is sent
		 * again (at-least-once). */
		log_event(LOG_WARN, "sent but not acknowledged", "alert", sid,
		    NULL);
		goto out;
	}
	snprintf(count, sizeof(count), "%zu", n);
	log_event(LOG_INFO, "sent", "alert", sid, "key",
	    json_string_value(json_object_get(alert, "key")), "messages",
	    count, "transport", w->mail != NULL ? "smtp" : "spool", NULL);
	rc = 0;
out:
	for (i = 0; i < n; i++)
		free(outs[i].text);
	json_decref(ids);
	json_decref(alert);
	return (rc);
}

int
worker_run(struct worker *w)
{
	json_t *items, *it;
	size_t i;
	int pause = 0;

	while (!*w->stop) {
		if (pause > 0) {
			pause_for(w, pause);
			if (*w->stop)
				break;
		}
		if (client_poll(w->client, w->cfg->once ? 0 :
		    w->cfg->poll_wait, w->cfg->limit, &items) == -1) {
			if (w->cfg->once)
				return (0);
			pause = pause == 0 ? 1 : pause * 2;
			if (pause > PAUSE_MAX)
				pause = PAUSE_MAX;
			continue;
		}
		pause = 0;
		json_array_foreach(items, i, it) {
			json_t *id = json_object_get(it, "id");

			if (*w->stop)
				break;
			if (!json_is_integer(id))
				continue;
			if (worker_alert(w, json_integer_value(id)) == -1)
				pause = 1;
		}
		json_decref(items);
		if (w->cfg->once)
			break;
	}
	return (0);
}
