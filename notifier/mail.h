/*
 * mail: hand rendered messages to an SMTP server.
 *
 * none and starttls go through libesmtp (STARTTLS required when asked
 * for, the server's certificate checked against the system CAs or
 * smtp-ca-file, and its name against the host).  libesmtp 1.1 has no
 * implicit TLS, so tls (SMTPS, port 465) goes through libcurl's smtps://
 * with the same checks.  AUTH PLAIN/LOGIN when a user is set.
 *
 * Outcomes: 0 when the server accepted every message (250 after DATA);
 * else -1 with the server's reply (or the connection error) in err and
 * *permanent set: 1 when some message was refused with a 5xx reply, 0
 * for everything else (4xx, refused connection, timeout, TLS failure),
 * which is worth retrying.
 */
#ifndef NOTIFIER_MAIL_H
#define NOTIFIER_MAIL_H

#include <stddef.h>

#include "config.h"

#define MAIL_ERR_MAX	1024

/* One message: envelope recipient and the full RFC 5322 text (CRLF). */
struct mail_msg {
	const char	*rcpt;		/* borrowed addr-spec */
	const char	*text;		/* borrowed, NUL-terminated */
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
 * Send n messages from the envelope sender from in one SMTP session.
 * Returns 0 if all were accepted, else -1 as described above (err gets
 * at most errlen bytes).  Nothing is kept between calls.
 */
int	mail_send(const struct mail *m, const char *from,
	    const struct mail_msg *msgs, size_t n, char *err, size_t errlen,
	    int *permanent);

/* Once per process, before any thread: libesmtp's SASL and OpenSSL. */
void	mail_global_init(void);

#endif
