/* api.c: helpers shared by the handlers, and the health check. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

#include "api.h"
#include "config.h"
#include "jbuf.h"
#include "log.h"
#include "store.h"
#include "timeutil.h"

/* Retry-After (seconds) of a 503 when the database is locked, and when
 * its storage fails (disk full, read-only, I/O error). */
#define API_RETRY_BUSY 1
#define API_RETRY_STORAGE 10

/* Cap on a list page's JSON text: the store's caps and a little more. */
#define PAGE_BODY_MAX (65 * 1024 * 1024)

int
api_health_get(struct req *r)
{
	r->out = json_pack("{s:s}", "status", "ok");
	return (r->out != NULL ? 200 : api_internal(r, "health"));
}

struct rules_config
api_rules_config(const struct req *r)
{
	struct rules_config c;

	c.art34_target_hours = r->cfg->art34_target_hours;
	c.default_jurisdictions = r->cfg->jurisdiction_list;
	return (c);
}

int
api_internal(struct req *r, const char *what)
{
	enum store_fault f = store_fault();

	if (f != STORE_FAULT_NONE) {
		/* The database's storage, not this request: retry later. */
		r->retry_after = f == STORE_FAULT_BUSY ? API_RETRY_BUSY :
		    API_RETRY_STORAGE;
		log_event(LOG_WARN, "database unavailable", "op", what, "path",
		    r->path, NULL);
		return (problem_set(&r->problem, 503, "unavailable", NULL,
		    f == STORE_FAULT_BUSY ? "The database is busy; try again "
		    "shortly." : "The database cannot take this request now "
		    "(its disk may be full or read-only); try again later."));
	}
	log_event(LOG_ERROR, "internal error", "op", what, "path", r->path,
	    NULL);
	return (problem_set(&r->problem, 500, "internal", NULL,
	    "The server could not complete the request."));
}

int
api_only_fields(struct req *r, const char *const *allowed)
{
	const char *key;
	const char *const *a;
	json_t *v;

	json_object_foreach(r->body, key, v) {
		for (a = allowed; *a != NULL; a++)
			if (strcmp(*a, key) == 0)
				break;
		if (*a == NULL)
			return (problem_set(&r->problem, 400, "invalid-field",
			    key, "%.64s: is not a field of this request", key));
	}
	return (0);
}

int
api_not_null(struct req *r, const char *const *names)
{
	for (; *names != NULL; names++)
		if (json_is_null(json_object_get(r->body, *names)))
			return (problem_set(&r->problem, 400, "invalid-field",
			    *names, "%s: must not be null", *names));
	return (0);
}

int
api_string(struct req *r, const char *name, size_t max, bool multiline,
    const char **out)
{
	json_t *v = json_object_get(r->body, name);
	const char *s;
	size_t n = 0;

	*out = NULL;
	if (v == NULL || json_is_null(v))
		return (0);
	if (!json_is_string(v))
		return (problem_set(&r->problem, 400, "invalid-field", name,
		    "%s: must be a string", name));
	s = json_string_value(v);
	for (const char *p = s; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;

		if ((c & 0xC0) != 0x80)
			n++;
		if ((c < 0x20 && !(multiline && (c == '\n' || c == '\t' ||
		    c == '\r'))) || c == 0x7f)
			return (problem_set(&r->problem, 400,
			    "invalid-field", name, "%s: must not contain "
			    "control characters", name));
	}
	if (n > max)
		return (problem_set(&r->problem, 400, "invalid-field", name,
		    "%s: must be at most %zu characters", name, max));
	*out = s;
	return (0);
}

int
api_time(struct req *r, const char *name, int64_t *out)
{
	json_t *v = json_object_get(r->body, name);

	*out = INT64_MIN;
	if (v == NULL || json_is_null(v))
		return (0);
	if (!json_is_string(v) || timeutil_parse(json_string_value(v), out) ==
	    -1) {
		*out = INT64_MIN;
		return (problem_set(&r->problem, 400, "invalid-field", name,
		    "%s: %s", name, timeutil_parse_why(json_is_string(v) ?
		    json_string_value(v) : NULL)));
	}
	return (0);
}

int
api_if_match(struct req *r, int64_t current, const char *what)
{
	char etag[24];

	if (req_header(r, MHD_HTTP_HEADER_IF_MATCH) == NULL)
		return (problem_set(&r->problem, 428, "precondition-required",
		    NULL, "Send If-Match with the ETag of the %s you read.",
		    what));
	snprintf(etag, sizeof(etag), "\"%lld\"", (long long)current);
	if (!req_if_match(r, etag))
		return (problem_set(&r->problem, 412, "precondition-failed",
		    NULL, "The %s has changed since you read it; read it "
		    "again and retry.", what));
	return (0);
}

void
api_etag(struct req *r, int64_t v)
{
	snprintf(r->etag, sizeof(r->etag), "\"%lld\"", (long long)v);
}

int
api_text_etag(struct req *r, int64_t version)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < r->text_len; i++) {
		h ^= (unsigned char)r->text[i];
		h *= 0x100000001b3ULL;
	}
	if (version > 0)
		snprintf(r->etag, sizeof(r->etag), "\"%lld-%016llx\"",
		    (long long)version, (unsigned long long)h);
	else
		snprintf(r->etag, sizeof(r->etag), "\"%016llx\"",
		    (unsigned long long)h);
	if (!req_none_match(r, r->etag))
		return (200);
	free(r->text);
	r->text = NULL;
	r->text_len = 0;
	return (304);
}

int
api_page(struct req *r, char *items, const char *cursor, const char *what)
{
	struct jbuf b;

	jbuf_init(&b, PAGE_BODY_MAX);
	jbuf_lit(&b, "{\"items\":");
	jbuf_lit(&b, items != NULL ? items : "[]");
	jbuf_key(&b, "next_cursor", false);
	jbuf_str(&b, cursor);
	jbuf_lit(&b, "}");
	free(items);
	if ((r->text = jbuf_take(&b, &r->text_len)) == NULL)
		return (api_internal(r, what));
	r->text_type = "application/json";
	return (200);
}
