/* mail: SMTP through libesmtp, or SMTPS through libcurl (see mail.h). */
#include <arpa/inet.h>
#include <curl/curl.h>
#include <dirent.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
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

/* What the TLS checks found, for one session. */
struct tls_state {
	const char	*why;		/* NULL, or why the session was refused */
	int		 name_checked;	/* OpenSSL verifies the peer's name */
	int		 port;		/* the SMTP server's port */
	char		 detail[160];
};

/*
 * TCP_NODELAY on the session's socket.  Without it the last segment of
 * each message's data waits for the server's delayed ACK (Nagle's
 * algorithm): about 40 ms per message before the 250.  libesmtp does not
 * expose its socket, but it reports SMTP_EV_CONNECT from this thread
 * right after connect(), so the socket is among the process's TCP
 * sockets connected to the server's port: each of them gets TCP_NODELAY.
 * The others are other threads' SMTP sessions, which want it as well (or
 * at worst an HTTP connection on the same port, where libcurl sets it
 * anyway).  Best effort: failures are ignored.
 */
static void
set_nodelay(int port)
{
	struct sockaddr_storage ss;
	struct dirent *de;
	socklen_t len;
	DIR *d;
	char *end;
	long fd;
	int type, one = 1, p;

	if ((d = opendir("/proc/self/fd")) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		fd = strtol(de->d_name, &end, 10);
		if (*end != '\0' || end == de->d_name || fd < 0 ||
		    fd > INT_MAX || fd == dirfd(d))
			continue;
		len = sizeof(type);
		if (getsockopt((int)fd, SOL_SOCKET, SO_TYPE, &type, &len) ==
		    -1 || type != SOCK_STREAM)
			continue;
		len = sizeof(ss);
		if (getpeername((int)fd, (struct sockaddr *)&ss, &len) == -1)
			continue;
		if (ss.ss_family == AF_INET)
			p = ntohs(((struct sockaddr_in *)&ss)->sin_port);
		else if (ss.ss_family == AF_INET6)
			p = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
		else
			continue;
		if (p == port)
			(void)setsockopt((int)fd, IPPROTO_TCP, TCP_NODELAY,
			    &one, sizeof(one));
	}
	closedir(d);
}

/*
 * OpenSSL's verify callback: keep the result, remember why a certificate
 * was refused.  The tls_state is the SSL_CTX's app data.
 */
static int
on_verify(int ok, X509_STORE_CTX *x)
{
	SSL *ssl = X509_STORE_CTX_get_ex_data(x,
	    SSL_get_ex_data_X509_STORE_CTX_idx());
	struct tls_state *ts;
	int e;

	if (ok || ssl == NULL || (ts = SSL_CTX_get_app_data(
	    SSL_get_SSL_CTX(ssl))) == NULL || ts->why != NULL)
		return (ok);
	e = X509_STORE_CTX_get_error(x);
	if (e == X509_V_ERR_HOSTNAME_MISMATCH ||
	    e == X509_V_ERR_IP_ADDRESS_MISMATCH)
		ts->why = "TLS: the server's certificate does not match the "
		    "host name";
	else {
		snprintf(ts->detail, sizeof(ts->detail), "TLS: the server's "
		    "certificate is not trusted (%s; see --smtp-ca-file)",
		    X509_verify_cert_error_string(e));
		ts->why = ts->detail;
	}
	return (ok);
}

/*
 * libesmtp asks about certificates through events.  A certificate
 * OpenSSL refused never gets here (SSL_VERIFY_PEER ends the handshake);
 * libesmtp's own name check knows DNS names only, so its verdict is
 * overruled when OpenSSL has already checked the name (verify result
 * X509_V_OK with the host set on the context).
 */
static void
on_event(smtp_session_t s, int event, void *arg, ...)
{
	struct tls_state *ts = arg;
	va_list ap;
	SSL *ssl;
	int *ok;

	(void)s;
	va_start(ap, arg);
	switch (event) {
	case SMTP_EV_CONNECT:
		set_nodelay(ts->port);
		break;
	case SMTP_EV_INVALID_PEER_CERTIFICATE:
		(void)va_arg(ap, long);
		ok = va_arg(ap, int *);
		*ok = 0;
		if (ts->why == NULL)
			ts->why = "TLS: the server's certificate is not "
			    "trusted (see --smtp-ca-file)";
		break;
	case SMTP_EV_NO_PEER_CERTIFICATE:
		ok = va_arg(ap, int *);
		*ok = 0;
		ts->why = "TLS: the server sent no certificate";
		break;
	case SMTP_EV_WRONG_PEER_CERTIFICATE:
		ok = va_arg(ap, int *);
		(void)va_arg(ap, const char *);
		ssl = va_arg(ap, SSL *);
		if (ts->name_checked && ssl != NULL &&
		    SSL_get_verify_result(ssl) == X509_V_OK &&
		    SSL_get0_peer_certificate(ssl) != NULL)
			*ok = 1;
		else {
			*ok = 0;
			ts->why = "TLS: the server's certificate does not "
			    "match the host name";
		}
		break;
	default:
		break;
	}
	va_end(ap);
}

/*
 * A client context for STARTTLS to m->host: TLS 1.2, the CAs, and the
 * peer name checked by OpenSSL.  NULL with err set on failure.
 */
static SSL_CTX *
tls_context(const struct mail *m, struct tls_state *ts, char *err,
    size_t errlen)
{
	unsigned char addr[sizeof(struct in6_addr)];
	char host[300];
	X509_VERIFY_PARAM *vp;
	SSL_CTX *ctx;
	size_t n;

	if ((ctx = SSL_CTX_new(TLS_client_method())) == NULL)
		return (NULL);
	/*
	 * TLS 1.2 only: libesmtp 1.1 stalls after a TLS 1.3 handshake (it
	 * waits to read while the server's post-handshake session tickets
	 * are pending, seen against aiosmtpd), so 1.3 is not offered on
	 * STARTTLS.
	 */
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION);
	if (m->ca_file != NULL && *m->ca_file != '\0') {
		if (SSL_CTX_load_verify_locations(ctx, m->ca_file, NULL) !=
		    1) {
			snprintf(err, errlen, "smtp: cannot read CA file %s",
			    m->ca_file);
			goto err;
		}
	} else if (SSL_CTX_set_default_verify_paths(ctx) != 1)
		goto err;
	/* "[::1]" names an IPv6 address. */
	n = strlen(m->host);
	if (n >= 2 && m->host[0] == '[' && m->host[n - 1] == ']')
		snprintf(host, sizeof(host), "%.*s", (int)(n - 2),
		    m->host + 1);
	else
		snprintf(host, sizeof(host), "%s", m->host);
	vp = SSL_CTX_get0_param(ctx);
	X509_VERIFY_PARAM_set_hostflags(vp,
	    X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
	if (inet_pton(AF_INET, host, addr) == 1 ||
	    inet_pton(AF_INET6, host, addr) == 1) {
		if (X509_VERIFY_PARAM_set1_ip_asc(vp, host) != 1)
			goto err;
	} else if (X509_VERIFY_PARAM_set1_host(vp, host, 0) != 1)
		goto err;
	ts->name_checked = 1;
	SSL_CTX_set_app_data(ctx, ts);
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, on_verify);
	return (ctx);
err:
	SSL_CTX_free(ctx);
	return (NULL);
}

/*
 * The reply that refused message i (recipient, data or sender), or NULL
 * when there was none (the session ended first).
 */
static const smtp_status_t *
refusal(smtp_message_t mm, smtp_recipient_t rr)
{
	const smtp_status_t *rs = rr != NULL ? smtp_recipient_status(rr) :
	    NULL, *st = smtp_message_transfer_status(mm), *ms;

	if (rs != NULL && rs->code != 0 && (rs->code < 200 || rs->code >=
	    300))
		return (rs);
	if (st != NULL && st->code != 0 && (st->code < 200 || st->code >=
	    300))
		return (st);
	ms = smtp_reverse_path_status(mm);
	if (ms != NULL && ms->code >= 400)
		return (ms);
	return (NULL);
}

static int
esmtp_send(const struct mail *m, const char *from, struct mail_msg *msgs,
    size_t n, char *err, size_t errlen)
{
	char hostport[600], ebuf[256], serr[MAIL_ERR_MAX];
	smtp_session_t s;
	smtp_message_t *mm = NULL;
	smtp_recipient_t *rr = NULL;
	auth_context_t auth = NULL;
	SSL_CTX *ctx = NULL;
	struct creds creds = { m->user, m->password };
	struct tls_state ts;
	const smtp_status_t *st, *rs;
	size_t i;
	int rc = -1, failed = 0;
	long to = (long)m->timeout * 1000L;

	memset(&ts, 0, sizeof(ts));
	ts.port = m->port;
	for (i = 0; i < n; i++)
		msgs[i].status = MAIL_TEMPFAIL;
	snprintf(err, errlen, "smtp: cannot set up the session");
	if ((s = smtp_create_session()) == NULL)
		return (-1);
	if ((mm = calloc(n, sizeof(*mm))) == NULL ||
	    (rr = calloc(n, sizeof(*rr))) == NULL)
		goto out;
	snprintf(hostport, sizeof(hostport), "%s:%d", m->host, m->port);
	if (smtp_set_server(s, hostport) == 0)
		goto out;
	smtp_set_eventcb(s, on_event, &ts);
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
		/* libesmtp takes its own reference to ctx. */
		if ((ctx = tls_context(m, &ts, err, errlen)) == NULL ||
		    smtp_starttls_set_ctx(s, ctx) == 0 ||
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
	/*
	 * The session may end early (connection lost, TLS refused): the
	 * messages accepted before that still count, so the statuses are
	 * read either way.
	 */
	serr[0] = '\0';
	if (smtp_start_session(s) == 0) {
		smtp_strerror(smtp_errno(), ebuf, sizeof(ebuf));
		snprintf(serr, sizeof(serr), "smtp %s: %s", hostport,
		    ts.why != NULL ? ts.why : ebuf);
	}
	err[0] = '\0';
	for (i = 0; i < n; i++) {
		rs = smtp_recipient_status(rr[i]);
		st = smtp_message_transfer_status(mm[i]);
		if (st != NULL && st->code >= 200 && st->code < 300 &&
		    rs != NULL && rs->code >= 200 && rs->code < 300) {
			msgs[i].status = MAIL_SENT;
			continue;
		}
		failed = 1;
		st = refusal(mm[i], rr[i]);
		msgs[i].status = st != NULL && st->code >= 500 &&
		    st->code < 600 ? MAIL_PERMFAIL : MAIL_TEMPFAIL;
		if (err[0] != '\0')
			continue;
		if (st != NULL)
			snprintf(err, errlen, "%d %s", st->code,
			    st->text != NULL ? st->text : "");
		else if (serr[0] != '\0')
			snprintf(err, errlen, "%s", serr);
		else if (ts.why != NULL)
			snprintf(err, errlen, "smtp %s: %s", hostport, ts.why);
		else
			snprintf(err, errlen, "smtp %s: message not sent (%s)",
			    hostport, m->tls == CONFIG_TLS_STARTTLS ? "the TLS "
			    "handshake failed, or the connection was lost" :
			    "the connection was lost");
	}
	if (!failed)
		rc = 0;
out:
	/* Strip the server's line end from its reply. */
	for (i = strlen(err); i > 0 && (err[i - 1] == '\n' ||
	    err[i - 1] == '\r'); i--)
		err[i - 1] = '\0';
	smtp_destroy_session(s);
	if (auth != NULL)
		auth_destroy_context(auth);
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

/*
 * SMTPS (implicit TLS) through libcurl: one connection per message.  A
 * refusal (a 4xx or 5xx reply) ends that message only; a connection or
 * TLS failure ends the rest too (they would fail the same way).
 */
static int
curl_send(const struct mail *m, const char *from, struct mail_msg *msgs,
    size_t n, char *err, size_t errlen)
{
	char url[600], mfrom[300], rcpt[300], ebuf[CURL_ERROR_SIZE];
	struct curl_slist *rl = NULL;
	struct reader rd;
	CURL *h;
	CURLcode cc;
	long code;
	size_t i;
	int rc = 0;

	err[0] = '\0';
	for (i = 0; i < n; i++)
		msgs[i].status = MAIL_TEMPFAIL;
	if ((h = curl_easy_init()) == NULL) {
		snprintf(err, errlen, "smtps: out of memory");
		return (-1);
	}
	snprintf(url, sizeof(url), "smtps://%s:%d", m->host, m->port);
	snprintf(mfrom, sizeof(mfrom), "<%s>", from);
	for (i = 0; i < n; i++) {
		curl_easy_reset(h);
		snprintf(rcpt, sizeof(rcpt), "<%s>", msgs[i].rcpt);
		if ((rl = curl_slist_append(NULL, rcpt)) == NULL) {
			rc = -1;
			if (err[0] == '\0')
				snprintf(err, errlen, "smtps: out of memory");
			break;
		}
		rd.p = msgs[i].text;
		rd.left = strlen(msgs[i].text);
		ebuf[0] = '\0';
		code = 0;
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
		curl_slist_free_all(rl);
		rl = NULL;
		if (cc == CURLE_OK) {
			msgs[i].status = MAIL_SENT;
			continue;
		}
		rc = -1;
		msgs[i].status = code >= 500 && code < 600 ? MAIL_PERMFAIL :
		    MAIL_TEMPFAIL;
		if (err[0] == '\0') {
			if (code != 0)
				snprintf(err, errlen, "%ld %s", code,
				    ebuf[0] != '\0' ? ebuf :
				    curl_easy_strerror(cc));
			else
				snprintf(err, errlen, "smtps %s:%d: %s",
				    m->host, m->port, ebuf[0] != '\0' ? ebuf :
				    curl_easy_strerror(cc));
		}
		if (code < 400)
			break;		/* no reply: the rest stay TEMPFAIL */
	}
	curl_easy_cleanup(h);
	return (rc);
}

int
mail_send(const struct mail *m, const char *from, struct mail_msg *msgs,
    size_t n, char *err, size_t errlen)
{
	if (n == 0)
		return (0);
	if (m->tls == CONFIG_TLS_TLS)
		return (curl_send(m, from, msgs, n, err, errlen));
	return (esmtp_send(m, from, msgs, n, err, errlen));
}
