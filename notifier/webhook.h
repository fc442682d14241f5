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
 */
#ifndef NOTIFIER_WEBHOOK_H
#define NOTIFIER_WEBHOOK_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/*
 * POST alert (borrowed) to url in format ("json" or "slack"; anything
 * else is "json").  0, or -1 with the reason in err (errlen bytes).
 */
int	webhook_post(const char *url, const char *format, json_t *alert,
	    int64_t now, char *err, size_t errlen);

#endif
