/* client: the notifier API over libcurl (see client.h). */
#include <curl/curl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "client.h"
#include "log.h"

#define URL_MAX		1024
#define ERROR_MAX	2000

struct client {
	CURL			*h;
	struct curl_slist	*headers;	/* holds the token */
	char			*base;
	char			*worker;
	volatile sig_atomic_t	*stop;
	int			 interruptible;	/* set during a poll */
};

static size_t
on_body(char *p, size_t size, size_t n, void *arg)
{
	struct buf *b = arg;

	if (n != 0 && size > SIZE_MAX / n)
		return (0);
	if (buf_add(b, p, size * n) == -1)
		return (0);	/* over the cap: curl fails the transfer */
	return (size * n);
}

static int
on_progress(void *arg, curl_off_t dt, curl_off_t dn, curl_off_t ut,
    curl_off_t un)
{
	struct client *c = arg;

	(void)dt, (void)dn, (void)ut, (void)un;
	return (c->interruptible && *c->stop ? 1 : 0);
}

struct client *
client_new(const char *base, const char *token, const char *worker,
    volatile sig_atomic_t *stop)
{
	struct client *c;
	struct buf auth;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return (NULL);
	c->stop = stop;
	buf_init(&auth, 8192);
	buf_printf(&auth, "Authorization: Bearer %s", token);
	if ((c->h = curl_easy_init()) == NULL || auth.err ||
	    (c->base = strdup(base)) == NULL ||
	    (c->worker = strdup(worker)) == NULL)
		goto err;
	/* Strip trailing slashes so paths join cleanly. */
	for (size_t n = strlen(c->base); n > 0 && c->base[n - 1] == '/'; n--)
		c->base[n - 1] = '\0';
	if ((c->headers = curl_slist_append(NULL, buf_str(&auth))) == NULL ||
	    curl_slist_append(c->headers, "Content-Type: application/json")
	    == NULL || curl_slist_append(c->headers,
	    "Accept: application/json") == NULL)
		goto err;
	explicit_bzero(auth.data, auth.len);
	buf_release(&auth);
	return (c);
err:
	if (auth.data != NULL)
		explicit_bzero(auth.data, auth.len);
	buf_release(&auth);
	client_free(c);
	return (NULL);
}

void
client_free(struct client *c)
{
	struct curl_slist *s;

	if (c == NULL)
		return;
	if (c->h != NULL)
		curl_easy_cleanup(c->h);
	for (s = c->headers; s != NULL; s = s->next)
		explicit_bzero(s->data, strlen(s->data));
	curl_slist_free_all(c->headers);
	free(c->base);
	free(c->worker);
	free(c);
}

/*
 * One request: method and path (below base), a JSON body (borrowed, may
 * be NULL), a total timeout.  Store the HTTP status in *status and the
 * parsed JSON response (new reference, or NULL if the body is empty or
 * not JSON) in *out.  0, or -1 (transport failure, logged).
 */
static int
request(struct client *c, const char *method, const char *path,
    json_t *body, long timeout, long *status, json_t **out)
{
	char url[URL_MAX], errbuf[CURL_ERROR_SIZE];
	char *text = NULL;
	struct buf resp;
	CURLcode cc;
	int w, rc = -1;

	*out = NULL;
	*status = 0;
	w = snprintf(url, sizeof(url), "%s%s", c->base, path);
	if (w < 0 || (size_t)w >= sizeof(url))
		return (-1);
	if (body != NULL && (text = json_dumps(body, JSON_COMPACT)) == NULL)
		return (-1);
	buf_init(&resp, CLIENT_RESPONSE_MAX);
	errbuf[0] = '\0';
	curl_easy_reset(c->h);
	curl_easy_setopt(c->h, CURLOPT_URL, url);
	curl_easy_setopt(c->h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c->h, CURLOPT_HTTPHEADER, c->headers);
	curl_easy_setopt(c->h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c->h, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(c->h, CURLOPT_TIMEOUT, timeout);
	curl_easy_setopt(c->h, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c->h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c->h, CURLOPT_WRITEDATA, &resp);
	curl_easy_setopt(c->h, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(c->h, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(c->h, CURLOPT_XFERINFODATA, c);
	curl_easy_setopt(c->h, CURLOPT_USERAGENT, "breachclock-notifier");
	if (strcmp(method, "POST") == 0) {
		curl_easy_setopt(c->h, CURLOPT_POSTFIELDS,
		    text != NULL ? text : "{}");
	}
	if ((cc = curl_easy_perform(c->h)) != CURLE_OK) {
		if (!(cc == CURLE_ABORTED_BY_CALLBACK && *c->stop))
			log_event(LOG_WARN, "server request failed", "method",
			    method, "path", path, "error", errbuf[0] != '\0' ?
			    errbuf : curl_easy_strerror(cc), NULL);
		goto out;
	}
	curl_easy_getinfo(c->h, CURLINFO_RESPONSE_CODE, status);
	if (resp.len > 0)
		*out = json_loadb(buf_str(&resp), resp.len, 0, NULL);
	rc = 0;
out:
	free(text);
	buf_release(&resp);
	return (rc);
}

/* Log a refused call with the problem's title. */
static void
log_refused(const char *what, int64_t id, long status, json_t *problem)
{
	char sid[24], sst[8];
	const char *detail = json_string_value(json_object_get(problem,
	    "detail"));

	snprintf(sid, sizeof(sid), "%" PRId64, id);
	snprintf(sst, sizeof(sst), "%ld", status);
	log_event(status == 409 || status == 404 ? LOG_INFO : LOG_WARN, what,
	    "alert", sid, "status", sst, "detail", detail, NULL);
}

int
client_poll(struct client *c, int wait, int limit, json_t **items)
{
	char path[128];
	json_t *resp, *v;
	long status;
	int rc;

	*items = NULL;
	snprintf(path, sizeof(path), "/api/v1/notifier/alerts?wait=%d&limit=%d",
	    wait, limit);
	c->interruptible = 1;
	rc = request(c, "GET", path, NULL, wait + 15L, &status, &resp);
	c->interruptible = 0;
	if (rc == -1)
		return (-1);
	if (status != 200 || !json_is_array(v = json_object_get(resp,
	    "items"))) {
		char sst[8];

		snprintf(sst, sizeof(sst), "%ld", status);
		log_event(LOG_WARN, "poll refused", "status", sst, "detail",
		    json_string_value(json_object_get(resp, "detail")), NULL);
		json_decref(resp);
		return (-1);
	}
	*items = json_incref(v);
	json_decref(resp);
	return (0);
}

/* POST path with body; 0 on 200 (and *out if out), 1 on 404/409. */
static int
post(struct client *c, const char *what, int64_t id, const char *verb,
    json_t *body, json_t **out)
{
	char path[128];
	json_t *resp;
	long status;

	if (out != NULL)
		*out = NULL;
	snprintf(path, sizeof(path), "/api/v1/notifier/alerts/%" PRId64 "/%s",
	    id, verb);
	if (body == NULL || request(c, "POST", path, body, 30L, &status,
	    &resp) == -1) {
		json_decref(body);
		return (-1);
	}
	json_decref(body);
	if (status == 200 && json_is_object(resp)) {
		if (out != NULL)
			*out = resp;
		else
			json_decref(resp);
		return (0);
	}
	log_refused(what, id, status, resp);
	json_decref(resp);
	return (status == 404 || status == 409 ? 1 : -1);
}

int
client_claim(struct client *c, int64_t id, int lease, json_t **alert)
{
	return (post(c, "claim refused", id, "claim", json_pack("{s:i, s:s}",
	    "lease_seconds", lease, "worker", c->worker), alert));
}

int
client_ack(struct client *c, int64_t id, json_t *message_ids)
{
	return (post(c, "ack refused", id, "ack", json_pack("{s:O, s:s}",
	    "message_ids", message_ids, "worker", c->worker), NULL));
}

int
client_fail(struct client *c, int64_t id, const char *error, int permanent,
    json_t *message_ids)
{
	char msg[ERROR_MAX + 1];
	size_t n = strlen(error);
	json_t *body;

	/* Cut at a character boundary; the server takes 2000 bytes. */
	if (n > ERROR_MAX) {
		n = ERROR_MAX;
		while (n > 0 && ((unsigned char)error[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(msg, error, n);
	msg[n] = '\0';
	body = json_pack("{s:s, s:b, s:s}", "error", msg, "permanent",
	    permanent, "worker", c->worker);
	if (body != NULL && json_array_size(message_ids) > 0 &&
	    json_object_set(body, "message_ids", message_ids) == -1) {
		json_decref(body);
		body = NULL;
	}
	return (post(c, "fail refused", id, "fail", body, NULL));
}

int
client_release(struct client *c, int64_t id)
{
	return (post(c, "release refused", id, "release", json_pack("{s:s}",
	    "worker", c->worker), NULL));
}
