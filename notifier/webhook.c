/* webhook: alerts as JSON to chat and other systems (see webhook.h). */
#include <sys/socket.h>
#include <netinet/in.h>
#include <netdb.h>

#include <curl/curl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "netaddr.h"
#include "render.h"
#include "webhook.h"

/* The connect-time check of one transfer. */
struct guard {
	bool	allow_internal;
	bool	refused;		/* an address was refused */
	char	addr[64];		/* the last one refused */
};

static size_t
discard(char *p, size_t size, size_t n, void *arg)
{
	(void)p, (void)arg;
	return (size * n);
}

/*
 * CURLOPT_OPENSOCKETFUNCTION: called for every address curl is about to
 * connect to (each one a name resolved to, IPv4 and IPv6), so the check
 * is of the address actually used, not of the name in the URL.  An
 * internal one gets no socket; curl tries the next address, or fails.
 */
static curl_socket_t
open_checked(void *arg, curlsocktype purpose, struct curl_sockaddr *a)
{
	struct guard *g = arg;

	if (purpose != CURLSOCKTYPE_IPCXN || (!g->allow_internal &&
	    netaddr_internal(&a->addr))) {
		g->refused = true;
		if (getnameinfo(&a->addr, a->addrlen, g->addr,
		    sizeof(g->addr), NULL, 0, NI_NUMERICHOST) != 0)
			snprintf(g->addr, sizeof(g->addr), "?");
		return (CURL_SOCKET_BAD);
	}
	return (socket(a->family, a->socktype | SOCK_CLOEXEC, a->protocol));
}

/* The host of url for a message, or "the host" if it cannot be read. */
static void
url_host(const char *url, char *host, size_t len)
{
	CURLU *u;
	char *h = NULL;

	snprintf(host, len, "the host");
	if ((u = curl_url()) == NULL)
		return;
	if (curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &h, 0) == CURLUE_OK)
		snprintf(host, len, "%s", h);
	curl_free(h);
	curl_url_cleanup(u);
}

int
webhook_post(const char *url, const char *format, json_t *alert,
    int64_t now, int allow_internal, char *err, size_t errlen)
{
	struct guard g = { .allow_internal = allow_internal != 0 };
	char host[256];
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
	/* Never follow a redirect (curl's default, made explicit): the
	 * target of a Location is not checked here. */
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, open_checked);
	curl_easy_setopt(h, CURLOPT_OPENSOCKETDATA, &g);
	if ((cc = curl_easy_perform(h)) != CURLE_OK && g.refused) {
		url_host(url, host, sizeof(host));
		snprintf(err, errlen, "webhook: refused: %s resolves to an "
		    "internal address (%s); see allow-internal-webhooks",
		    host, g.addr);
		goto out;
	}
	if (cc != CURLE_OK) {
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
