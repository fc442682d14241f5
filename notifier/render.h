/*
 * render: a claimed alert (the JSON the server returns from claim, see
 * /work/notifier-contract.md) and one of its recipients, turned into the
 * text of an RFC 5322 message, and into the short text of a chat
 * webhook.  Pure: no I/O, no clock reads (the current time is an
 * argument); the only outside state is the tz database read by zone.c.
 *
 * Messages are multipart/alternative (text/plain and text/html, UTF-8,
 * quoted-printable); when the alert carries a drafted notice ("notice":
 * {kind, format, filename, body}), that alternative is wrapped in a
 * multipart/mixed with the notice as a text/plain attachment (UTF-8,
 * quoted-printable, its file name cut to [A-Za-z0-9._-]).  Lines end
 * in CRLF and no line passes 78 characters except a header word that
 * cannot be folded (still under 998).  Every
 * header value is cleaned first (CR, LF and other control characters
 * become spaces, invalid UTF-8 becomes "?", the length is capped), then
 * written as RFC 2047 encoded-words when it is not plain ASCII, then
 * folded, so nothing from an incident can start a header or a MIME part.
 * Every incident field placed in the HTML part is HTML-escaped, and only
 * http(s) URLs become links.
 *
 * Message-ID: <alert-ID.N@breachclock> (N = the recipient's index in the
 * alert), stable across retries; In-Reply-To and References name the
 * thread root <THREAD_KEY@breachclock>, so every alert of an incident
 * threads together and a rare resend deduplicates in mail clients.
 */
#ifndef NOTIFIER_RENDER_H
#define NOTIFIER_RENDER_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define RENDER_MSG_MAX		(4 * 1024 * 1024)	/* one message */
#define RENDER_MSGID_MAX	128
#define RENDER_ADDR_MAX		254			/* RFC 5321 path */
#define RENDER_HEADER_MAX	900	/* a cleaned header value, bytes */
#define RENDER_ATTNAME_MAX	128	/* an attachment's file name */

/*
 * Return 1 if addr is a plain ASCII addr-spec we will put in an envelope
 * and a header (local@domain, printable, no spaces, brackets, quotes,
 * commas or control characters, at most RENDER_ADDR_MAX bytes), else 0.
 */
int	render_address_ok(const char *addr);

/*
 * Split a From setting, "addr" or "Display Name <addr>", into name (may
 * come out "") and addr, both caller buffers.  0, or -1 if the address
 * is not render_address_ok or a buffer is too small.
 */
int	render_split_from(const char *from, char *name, size_t nlen,
	    char *addr, size_t alen);

/*
 * The recipient idx of alert, or NULL.  Borrowed from alert.  *email is
 * set to its address when it has a usable one (render_address_ok), else
 * to NULL: such a recipient is skipped.
 */
json_t	*render_recipient(json_t *alert, size_t idx, const char **email);

/*
 * Write the Message-ID of recipient idx's message, with the angle
 * brackets ("<alert-17.0@breachclock>"), into msgid (msgidlen >=
 * RENDER_MSGID_MAX).  The same id render_message writes.  0, or -1 if
 * the alert has no integer id.
 */
int	render_message_id(json_t *alert, size_t idx, char *msgid,
	    size_t msgidlen);

/*
 * Append to out the whole message for recipient idx of alert, from the
 * From setting from, dated now, and write its Message-ID (with the angle
 * brackets) into msgid (msgidlen >= RENDER_MSGID_MAX).  alert is
 * borrowed and not changed.  Return 0; 1 if the recipient has no usable
 * address (nothing appended); -1 if the alert is malformed, from is not
 * a usable address or out's cap is reached (out's contents undefined).
 */
int	render_message(json_t *alert, size_t idx, const char *from,
	    int64_t now, struct buf *out, char *msgid, size_t msgidlen);

/*
 * Append to out the subject of alert as UTF-8 text (cleaned, not
 * encoded), with times in zone tz (NULL: UTC).  0 or -1.
 */
int	render_subject(json_t *alert, const char *tz, int64_t now,
	    struct buf *out);

/*
 * Append to out the text of a chat message (Slack or Teams "text"): the
 * subject in UTC, then the link to the incident if there is one.  0 or
 * -1.
 */
int	render_chat_text(json_t *alert, int64_t now, struct buf *out);

/*
 * The building blocks, exposed for the unit tests.
 *
 * render_header: append "Name: value\r\n", value cleaned, encoded when
 * not plain ASCII (or when it contains "=?"), folded.  0 or -1.
 *
 * render_clean: append s cleaned for a header (see above), at most max
 * bytes, never splitting a UTF-8 sequence.  0 or -1.
 *
 * render_qp: append n bytes of text (lines separated by "\n"; "\r" is
 * dropped) as quoted-printable with CRLF line ends, no line longer than
 * 76 characters.  0 or -1.
 *
 * render_html_escape: append s with &, <, >, " and ' escaped.  0 or -1.
 */
int	render_header(struct buf *out, const char *name, const char *value);
int	render_clean(struct buf *out, const char *s, size_t max);
int	render_qp(struct buf *out, const char *text, size_t n);
int	render_html_escape(struct buf *out, const char *s);

#endif
