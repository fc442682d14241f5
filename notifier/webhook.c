/* webhook: alerts as JSON to chat and other systems (see webhook.h). */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "render.h"
#include "webhook.h"

static size_t
discard(char *p, size_t size, size_t n, void *arg)
{
	(void)p, (void)arg;
	return (size * n);
}

int
webhook_post(const char *url, const char *format, json_t *alert,
    int64_t now, char *err, size_t errlen)
{
	char ebuf[CURL_ERROR_SIZE];
	struct curl_slist *hdr = NULL;
	struct buf text;
	json_t *body = NULL;
	char *payload = NULL;
	CURL *h = NULL;
	CURLcode cc;
	long code = 0;
	int rc = -1;

	buf_init(&text, 8192);
	if (strncmp(url, "https://", 8) != 0 && strncmp(url, "http://", 7)
	    != 0) {
		snprintf(err, errlen, "webhook: not an http(s) URL");
		goto out;
	}
	if (format != NULL && strcmp(format, "slack") == 0) {
		if (render_chat_text(alert, now, &text) == -1)
			goto nomem;
		body = json_pack("{s:s}", "text", buf_str(&text));
	} else {
		body = json_deep_copy(alert);
		json_object_del(body, "recipients");
		json_object_del(body, "webhooks");
	}
	if (body == NULL || (payload = json_dumps(body, JSON_COMPACT)) == NULL
	    || (h = curl_easy_init()) == NULL || (hdr = curl_slist_append(NULL,
	    "Content-Type: application/json")) == NULL)
		goto nomem;
	ebuf[0] = '\0';
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, payload);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 30L);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, ebuf);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "breachclock-notifier");
	if ((cc = curl_easy_perform(h)) != CURLE_OK) {
		snprintf(err, errlen, "webhook: %s", ebuf[0] != '\0' ? ebuf :
		    curl_easy_strerror(cc));
		goto out;
	}
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	if (code < 200 || code > 299) {
		snprintf(err, errlen, "webhook: HTTP %ld", code);
		goto out;
	}
	rc = 0;
	goto out;
nomem:
	snprintf(err, errlen, "webhook: out of memory");
out:
	curl_slist_free_all(hdr);
	if (h != NULL)
		curl_easy_cleanup(h);
	free(payload);
	json_decref(body);
	buf_release(&text);
	return (rc);
}
