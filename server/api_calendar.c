/*
 * api_calendar: the calendar feed of open obligations (feed.h) and the
 * caller's own feed token (auth_feed.h).
 *
 * What the feed tells: the incident's reference, the duty (phase and
 * regime), whom to tell, the deadline, the rule and a link to the
 * incident.  Subscribed calendars are copied to phones and calendar
 * providers, shown on lock screens and shared with assistants, so the
 * incident title, which is free text that often names people ("email
 * with J. Smith's payslip sent to the wrong address"), is left out unless
 * the installation sets calendar-titles; descriptions, people and counts
 * never go in.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

#include "api.h"
#include "audit.h"
#include "auth_feed.h"
#include "config.h"
#include "feed.h"
#include "store.h"
#include "store_api.h"

#ifndef BREACHCLOCK_VERSION
#define BREACHCLOCK_VERSION "0"
#endif

/* At most this many events, the soonest deadlines first. */
#define FEED_EVENTS_MAX 5000
#define BASE_URL_MAX 1100
#define HOST_MAX 255

/* A Host header that can only be a host name or address and a port. */
static bool
host_ok(const char *h)
{
	size_t n = strlen(h);

	if (n == 0 || n > HOST_MAX)
		return (false);
	for (; *h != '\0'; h++)
		if (!((*h >= 'a' && *h <= 'z') || (*h >= 'A' && *h <= 'Z') ||
		    (*h >= '0' && *h <= '9') || *h == '.' || *h == '-' ||
		    *h == ':' || *h == '[' || *h == ']'))
			return (false);
	return (true);
}

/*
 * The base of links the feed and the token's URL use: the escalation
 * settings' web_base_url when an admin set one (the public https address
 * behind a proxy), else http:// and the request's Host, else this
 * server's bound address.  0 or -1.
 */
static int
base_url(struct req *r, char *buf, size_t len)
{
	json_t *doc = NULL, *v;
	const char *host;
	size_t n;

	if (store_setting_get(r->store, "escalation", &doc) == -1)
		return (-1);
	v = json_object_get(doc, "web_base_url");
	if (json_string_length(v) > 0)
		snprintf(buf, len, "%s", json_string_value(v));
	else if ((host = req_header(r, MHD_HTTP_HEADER_HOST)) != NULL &&
	    host_ok(host))
		snprintf(buf, len, "http://%s", host);
	else
		snprintf(buf, len, "%s", r->base_url != NULL ? r->base_url :
		    "");
	json_decref(doc);
	n = strlen(buf);
	while (n > 0 && buf[n - 1] == '/')
		buf[--n] = '\0';
	return (0);
}

/* The JSON event (borrowed) as a feed_event borrowing its strings. */
static void
event_of(json_t *o, bool titles, struct feed_event *e)
{
	memset(e, 0, sizeof(*e));
	e->obligation_id = json_integer_value(json_object_get(o,
	    "obligation_id"));
	e->incident_id = json_integer_value(json_object_get(o, "incident_id"));
	e->revision = json_integer_value(json_object_get(o, "revision"));
	e->due_at = json_integer_value(json_object_get(o, "due_at"));
	e->created_at = json_integer_value(json_object_get(o, "created_at"));
	e->updated_at = json_integer_value(json_object_get(o, "updated_at"));
	e->target = json_is_true(json_object_get(o, "target"));
	e->ref = json_string_value(json_object_get(o, "ref"));
	e->title = titles ? json_string_value(json_object_get(o, "title")) :
	    NULL;
	e->regime_name = json_string_value(json_object_get(o, "regime_name"));
	e->phase_name = json_string_value(json_object_get(o, "phase_name"));
	e->recipient = json_string_value(json_object_get(o, "recipient"));
	e->basis = json_string_value(json_object_get(o, "basis"));
}

int
api_calendar_get(struct req *r)
{
	struct feed_calendar cal;
	struct feed_event *ev = NULL;
	json_t *items = NULL;
	char instance[64], base[BASE_URL_MAX], *text = NULL;
	size_t n = 0, len = 0;
	int status = 500;

	if (store_calendar_instance(r->store, instance, sizeof(instance)) ==
	    -1 || base_url(r, base, sizeof(base)) == -1 ||
	    store_calendar_events(r->store, FEED_EVENTS_MAX, &items) == -1)
		goto out;
	n = json_array_size(items);
	if ((ev = calloc(n + 1, sizeof(*ev))) == NULL)
		goto out;
	for (size_t i = 0; i < n; i++)
		event_of(json_array_get(items, i), r->cfg->calendar_titles != 0,
		    &ev[i]);
	cal.instance = instance;
	cal.base_url = base;
	cal.version = BREACHCLOCK_VERSION;
	if (feed_render(&cal, ev, n, &text, &len) == -1)
		goto out;
	r->text = text;
	r->text_len = len;
	r->text_type = "text/calendar; charset=utf-8";
	snprintf(r->disposition, sizeof(r->disposition),
	    "inline; filename=\"breachclock.ics\"");
	status = api_text_etag(r, 0);
out:
	free(ev);
	json_decref(items);
	return (status != 500 ? status : api_internal(r, "calendar feed"));
}

int
api_calendar_token_get(struct req *r)
{
	int64_t created;
	int rc;

	if ((rc = store_calendar_token_get(r->store, r->who.user_id,
	    &created)) == -1)
		return (api_internal(r, "calendar token"));
	if (rc == 1)
		return (problem_set(&r->problem, 404, "not-found", NULL,
		    "You have no calendar feed token."));
	r->out = json_pack("{s:o}", "created_at", store_json_time(created));
	return (r->out != NULL ? 200 : api_internal(r, "calendar token"));
}

int
api_calendar_token_create(struct req *r)
{
	char token[AUTH_FEED_TOKEN_LEN + 1], base[BASE_URL_MAX];
	char url[BASE_URL_MAX + 64];
	unsigned char hash[AUTH_HASH_LEN];
	json_t *ev = NULL;
	int status = 500;

	auth_feed_token_new(token, hash);
	if (base_url(r, base, sizeof(base)) == -1)
		goto out;
	snprintf(url, sizeof(url), "%s/api/v1/calendar.ics?token=%s", base,
	    token);
	if (store_begin(r->store) == -1)
		goto out;
	ev = json_pack("{s:s}", "user", r->who.name);
	if (ev == NULL || store_calendar_token_put(r->store, r->who.user_id,
	    hash, r->now) == -1 || audit_append(r->store, r->now, r->who.name,
	    "calendar_token.created", 0, ev, NULL) == -1 ||
	    store_commit(r->store) == -1) {
		store_rollback(r->store);
		goto out;
	}
	r->out = json_pack("{s:s, s:s, s:o}", "url", url, "token", token,
	    "created_at", store_json_time(r->now));
	if (r->out == NULL)
		goto out;
	snprintf(r->location, sizeof(r->location), "/api/v1/me/calendar-token");
	status = 201;
out:
	sodium_memzero(token, sizeof(token));
	sodium_memzero(url, sizeof(url));
	json_decref(ev);
	return (status == 201 ? status : api_internal(r, "calendar token"));
}

int
api_calendar_token_revoke(struct req *r)
{
	json_t *ev = NULL;
	int status = 500, rc;

	if (store_begin(r->store) == -1)
		goto out;
	if ((rc = store_calendar_token_delete(r->store, r->who.user_id)) ==
	    -1)
		goto fail;
	if (rc == 1) {
		store_rollback(r->store);
		status = problem_set(&r->problem, 404, "not-found", NULL,
		    "You have no calendar feed token.");
		goto out;
	}
	ev = json_pack("{s:s}", "user", r->who.name);
	if (ev == NULL || audit_append(r->store, r->now, r->who.name,
	    "calendar_token.revoked", 0, ev, NULL) == -1 ||
	    store_commit(r->store) == -1)
		goto fail;
	status = 204;
	goto out;
fail:
	store_rollback(r->store);
out:
	json_decref(ev);
	return (status != 500 ? status : api_internal(r, "calendar token"));
}
