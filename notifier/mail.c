/* mail: SMTP through libesmtp, or SMTPS through libcurl (see mail.h). */
#include <curl/curl.h>
#include <openssl/ssl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <auth-client.h>
#include <libesmtp.h>

#include "log.h"
#include "mail.h"

struct creds {
	const char	*user;
	const char	*password;
};

void
mail_global_init(void)
{
	auth_client_init();
}

/* libesmtp asks for the user and password through this callback. */
static int
on_auth(auth_client_request_t req, char **result, int fields, void *arg)
{
	struct creds *c = arg;
	int i;

	for (i = 0; i < fields; i++) {
		if (req[i].flags & AUTH_USER)
			result[i] = (char *)(uintptr_t)c->user;
		else if (req[i].flags & AUTH_PASS)
			result[i] = (char *)(uintptr_t)c->password;
		else
			return (0);
	}
	return (1);
}

/* Reject bad certificates: libesmtp asks through events. */
static void
on_event(smtp_session_t s, int event, void *arg, ...)
{
	const char **why = arg;
	va_list ap;
	int *ok;

	(void)s;
	va_start(ap, arg);
	switch (event) {
	case SMTP_EV_INVALID_PEER_CERTIFICATE:
		(void)va_arg(ap, long);
		ok = va_arg(ap, int *);
		*ok = 0;
		*why = "TLS: the server's certificate is not trusted "
		    "(see --smtp-ca-file)";
		break;
	case SMTP_EV_NO_PEER_CERTIFICATE:
	case SMTP_EV_WRONG_PEER_CERTIFICATE:
		ok = va_arg(ap, int *);
		*ok = 0;
		*why = event == SMTP_EV_NO_PEER_CERTIFICATE ? "TLS: the "
		    "server sent no certificate" : "TLS: the server's "
		    "certificate does not match the host name";
		break;
	default:
		break;
	}
	va_end(ap);
}

static int
esmtp_send(const struct mail *m, const char *from, const struct mail_msg *msgs,
    size_t n, char *err, size_t errlen, int *permanent)
{
	char hostport[600], ebuf[256];
	smtp_session_t s;
	smtp_message_t *mm = NULL;
	smtp_recipient_t *rr = NULL;
	auth_context_t auth = NULL;
	SSL_CTX *ctx = NULL;
	struct creds creds = { m->user, m->password };
	const char *tls_why = NULL;
	const smtp_status_t *st;
	size_t i;
	int rc = -1, failed = 0, perm = 0;
	long to = (long)m->timeout * 1000L;

	*permanent = 0;
	snprintf(err, errlen, "smtp: cannot set up the session");
	if ((s = smtp_create_session()) == NULL)
		return (-1);
	if ((mm = calloc(n, sizeof(*mm))) == NULL ||
	    (rr = calloc(n, sizeof(*rr))) == NULL)
		goto out;
	snprintf(hostport, sizeof(hostport), "%s:%d", m->host, m->port);
	if (smtp_set_server(s, hostport) == 0)
		goto out;
	smtp_set_eventcb(s, on_event, &tls_why);
	smtp_set_timeout(s, Timeout_GREETING | Timeout_OVERRIDE_RFC2822_MINIMUM,
	    to);
	smtp_set_timeout(s, Timeout_ENVELOPE | Timeout_OVERRIDE_RFC2822_MINIMUM,
	    to);
	smtp_set_timeout(s, Timeout_DATA | Timeout_OVERRIDE_RFC2822_MINIMUM,
	    to);
	smtp_set_timeout(s, Timeout_TRANSFER | Timeout_OVERRIDE_RFC2822_MINIMUM,
	    to);
	smtp_set_timeout(s, Timeout_DATA2 | Timeout_OVERRIDE_RFC2822_MINIMUM,
	    to);
	if (m->tls == CONFIG_TLS_STARTTLS) {
		if ((ctx = SSL_CTX_new(TLS_client_method())) == NULL)
			goto out;
		/*
		 * TLS 1.2 only: libesmtp 1.1 stalls after a TLS 1.3
		 * handshake (it waits to read while the server's
		 * post-handshake session tickets are pending, seen against
		 * aiosmtpd), so 1.3 is not offered on STARTTLS.
		 */
		SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
		SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION);
		if (m->ca_file != NULL && *m->ca_file != '\0') {
			if (SSL_CTX_load_verify_locations(ctx, m->ca_file,
			    NULL) != 1) {
				snprintf(err, errlen, "smtp: cannot read CA "
				    "file %s", m->ca_file);
				goto out;
			}
		} else
			SSL_CTX_set_default_verify_paths(ctx);
		SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
		if (smtp_starttls_set_ctx(s, ctx) == 0 ||
		    smtp_starttls_enable(s, Starttls_REQUIRED) == 0)
			goto out;
	} else
		smtp_starttls_enable(s, Starttls_DISABLED);
	if (m->user != NULL && *m->user != '\0') {
		if ((auth = auth_create_context()) == NULL)
			goto out;
		auth_set_mechanism_flags(auth, AUTH_PLUGIN_PLAIN, 0);
		auth_set_interact_cb(auth, on_auth, &creds);
		smtp_auth_set_context(s, auth);
	}
	for (i = 0; i < n; i++) {
		if ((mm[i] = smtp_add_message(s)) == NULL ||
		    smtp_set_reverse_path(mm[i], from) == 0 ||
		    (rr[i] = smtp_add_recipient(mm[i], msgs[i].rcpt)) == NULL ||
		    smtp_set_message_str(mm[i], (void *)(uintptr_t)
		    msgs[i].text) == 0)
			goto out;
	}
	if (smtp_start_session(s) == 0) {
		smtp_strerror(smtp_errno(), ebuf, sizeof(ebuf));
		snprintf(err, errlen, "smtp %s: %s", hostport, ebuf);
		goto out;
	}
	/* Each message: the recipient and the data must both be taken. */
	err[0] = '\0';
	for (i = 0; i < n; i++) {
		const smtp_status_t *rs = smtp_recipient_status(rr[i]);

		st = smtp_message_transfer_status(mm[i]);
		if (st != NULL && st->code >= 200 && st->code < 300 &&
		    rs != NULL && rs->code >= 200 && rs->code < 300)
			continue;
		if (rs != NULL && (rs->code < 200 || rs->code >= 300) &&
		    rs->code != 0)
			st = rs;
		failed = 1;
		if (st != NULL && st->code >= 500 && st->code < 600)
			perm = 1;
		if (err[0] == '\0') {
			const smtp_status_t *ms = smtp_reverse_path_status(
			    mm[i]);

			if ((st == NULL || st->code == 0) && ms != NULL &&
			    ms->code >= 400) {
				st = ms;
				if (ms->code >= 500)
					perm = 1;
			}
			if (st != NULL && st->code != 0)
				snprintf(err, errlen, "%d %s", st->code,
				    st->text != NULL ? st->text : "");
			else if (tls_why != NULL)
				snprintf(err, errlen, "smtp %s: %s", hostport,
				    tls_why);
			else
				snprintf(err, errlen, "smtp %s: message not "
				    "sent (%s)", hostport, m->tls ==
				    CONFIG_TLS_STARTTLS ? "the TLS handshake "
				    "failed, or the connection was lost" :
				    "the connection was lost");
		}
	}
	if (!failed)
		rc = 0;
	*permanent = failed && perm;
out:
	/* Strip the server's line end from its reply. */
	for (i = strlen(err); i > 0 && (err[i - 1] == '\n' ||
	    err[i - 1] == '\r'); i--)
		err[i - 1] = '\0';
	smtp_destroy_session(s);
	if (auth != NULL)
		auth_destroy_context(auth);
	if (ctx != NULL)
		SSL_CTX_free(ctx);
	free(mm);
	free(rr);
	return (rc);
}

struct reader {
	const char	*p;
	size_t		 left;
};

static size_t
on_read(char *dst, size_t size, size_t nmemb, void *arg)
{
	struct reader *r = arg;
	size_t n = size * nmemb;

	if (n > r->left)
		n = r->left;
	memcpy(dst, r->p, n);
	r->p += n;
	r->left -= n;
	return (n);
}

/* SMTPS (implicit TLS) through libcurl: one connection per message. */
static int
curl_send(const struct mail *m, const char *from, const struct mail_msg *msgs,
    size_t n, char *err, size_t errlen, int *permanent)
{
	char url[600], mfrom[300], rcpt[300], ebuf[CURL_ERROR_SIZE];
	struct curl_slist *rl = NULL;
	struct reader rd;
	CURL *h;
	CURLcode cc;
	long code = 0;
	size_t i;
	int rc = 0;

	*permanent = 0;
	if ((h = curl_easy_init()) == NULL) {
		snprintf(err, errlen, "smtps: out of memory");
		return (-1);
	}
	snprintf(url, sizeof(url), "smtps://%s:%d", m->host, m->port);
	snprintf(mfrom, sizeof(mfrom), "<%s>", from);
	for (i = 0; i < n && rc == 0; i++) {
		curl_easy_reset(h);
		snprintf(rcpt, sizeof(rcpt), "<%s>", msgs[i].rcpt);
		if ((rl = curl_slist_append(NULL, rcpt)) == NULL) {
			rc = -1;
			snprintf(err, errlen, "smtps: out of memory");
			break;
		}
		rd.p = msgs[i].text;
		rd.left = strlen(msgs[i].text);
		ebuf[0] = '\0';
		curl_easy_setopt(h, CURLOPT_URL, url);
		curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtps");
		curl_easy_setopt(h, CURLOPT_MAIL_FROM, mfrom);
		curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rl);
		curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
		curl_easy_setopt(h, CURLOPT_READFUNCTION, on_read);
		curl_easy_setopt(h, CURLOPT_READDATA, &rd);
		curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
		curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, (long)m->timeout);
		curl_easy_setopt(h, CURLOPT_TIMEOUT, 4L * m->timeout);
		curl_easy_setopt(h, CURLOPT_ERRORBUFFER, ebuf);
		curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
		curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
		if (m->ca_file != NULL && *m->ca_file != '\0')
			curl_easy_setopt(h, CURLOPT_CAINFO, m->ca_file);
		if (m->user != NULL && *m->user != '\0') {
			curl_easy_setopt(h, CURLOPT_USERNAME, m->user);
			curl_easy_setopt(h, CURLOPT_PASSWORD, m->password);
		}
		cc = curl_easy_perform(h);
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
		if (cc != CURLE_OK) {
			rc = -1;
			*permanent = code >= 500 && code < 600;
			if (code != 0)
				snprintf(err, errlen, "%ld %s", code,
				    ebuf[0] != '\0' ? ebuf :
				    curl_easy_strerror(cc));
			else
				snprintf(err, errlen, "smtps %s:%d: %s",
				    m->host, m->port, ebuf[0] != '\0' ? ebuf :
				    curl_easy_strerror(cc));
		}
		curl_slist_free_all(rl);
		rl = NULL;
	}
	curl_easy_cleanup(h);
	return (rc);
}

int
mail_send(const struct mail *m, const char *from, const struct mail_msg *msgs,
    size_t n, char *err, size_t errlen, int *permanent)
{
	*permanent = 0;
	if (n == 0)
		return (0);
	if (m->tls == CONFIG_TLS_TLS)
		return (curl_send(m, from, msgs, n, err, errlen, permanent));
	return (esmtp_send(m, from, msgs, n, err, errlen, permanent));
}
