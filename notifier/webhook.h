/*
 * webhook: POST an alert to a configured URL with libcurl.
 *
 * format "json" (generic): the alert as claimed, minus its recipients
 * (staff addresses stay out of third-party systems) and the webhook list
 * itself.  format "slack" (Slack, Teams and compatible): {"text": ...},
 * the subject in UTC and the incident's link (render_chat_text).
 * Only http and https, no redirects, 10 s to connect, 30 s in all,
 * response bodies discarded.  Any non-2xx answer or network error is a
 * failure, which the caller reports as a transient failure of the alert.
 * Unless allow_internal, every address curl connects to (after resolving
 * the host, for each address it tries) is checked with netaddr_internal():
 * an internal one (loopback, private, link-local, ...) is refused before
 * a socket is made, so a host name that resolves to one is no way around
 * the server's check of the host as written; the failure reads
 * "webhook: refused: <host> resolves to an internal address (<addr>)".
 */
#ifndef NOTIFIER_WEBHOOK_H
#define NOTIFIER_WEBHOOK_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/*
 * POST alert (borrowed) to url in format ("json" or "slack"; anything
 * else is "json"); to internal addresses only if allow_internal.  0, or
 * -1 with the reason in err (errlen bytes).
 */
int	webhook_post(const char *url, const char *format, json_t *alert,
	    int64_t now, int allow_internal, char *err, size_t errlen);

#endif
