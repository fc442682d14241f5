/*
 * mail: hand rendered messages to an SMTP server.
 *
 * none and starttls go through libesmtp (STARTTLS required when asked
 * for).  On STARTTLS OpenSSL checks the server's certificate during the
 * handshake: its chain against the system CAs or smtp-ca-file, and its
 * name against the host (X509_VERIFY_PARAM_set1_host, or set1_ip_asc when
 * the host is an IP address literal, matched against the iPAddress
 * names).  libesmtp's own name check compares DNS names only, so its
 * "wrong certificate" event is overruled when OpenSSL has verified the
 * name itself; a handshake OpenSSL refuses never reaches it.  libesmtp
 * 1.1 has no implicit TLS, so tls (SMTPS, port 465) goes through
 * libcurl's smtps:// with the same checks.  AUTH PLAIN/LOGIN when a user
 * is set.
 *
 * Outcomes, per message: MAIL_SENT when the server accepted it (250
 * after DATA); MAIL_PERMFAIL when the recipient, the sender or the data
 * was refused with a 5xx reply; MAIL_TEMPFAIL for everything else (4xx,
 * refused connection, timeout, TLS failure, or never tried because the
 * session ended), which is worth retrying.
 *
 * Thread safety: mail_send may run in several threads at once with the
 * same struct mail (read only); each call has its own session.
 */
#ifndef NOTIFIER_MAIL_H
#define NOTIFIER_MAIL_H

#include <stddef.h>

#include "config.h"

#define MAIL_ERR_MAX	1024

enum mail_status { MAIL_SENT, MAIL_TEMPFAIL, MAIL_PERMFAIL };

/* One message: envelope recipient and the full RFC 5322 text (CRLF). */
struct mail_msg {
	const char		*rcpt;		/* borrowed addr-spec */
	const char		*text;		/* borrowed, NUL-terminated */
	enum mail_status	 status;	/* out: set by mail_send */
};

/* What a transport needs; every string is borrowed. */
struct mail {
	const char	*host;
	int		 port;
	enum config_tls	 tls;
	const char	*user;		/* NULL or "": no AUTH */
	const char	*password;	/* NULL when user is unset */
	const char	*ca_file;	/* NULL or "": system CAs */
	int		 timeout;	/* seconds per protocol step */
};

/*
 * Send n messages from the envelope sender from in one SMTP session (one
 * connection per message for SMTPS) and set each msgs[i].status as
 * described above.  Returns 0 if all were accepted, else -1 with the
 * first refusal (the server's reply, or the connection or TLS error) in
 * err (at most errlen bytes).  Nothing is kept between calls.
 */
int	mail_send(const struct mail *m, const char *from,
	    struct mail_msg *msgs, size_t n, char *err, size_t errlen);

/* Once per process, before any thread: libesmtp's SASL and OpenSSL. */
void	mail_global_init(void);

#endif
