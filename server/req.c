#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#include <microhttpd.h>

#include "req.h"

static const struct {
	enum role role;
	const char *name;
} role_names[] = {
	{ ROLE_REPORTER, "reporter" },
	{ ROLE_HANDLER, "handler" },
	{ ROLE_DPO, "dpo" },
	{ ROLE_VIEWER, "viewer" },
	{ ROLE_ADMIN, "admin" },
	{ ROLE_NOTIFIER, "notifier" },
};

int64_t
req_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

const char *
req_query(struct req *r, const char *name)
{
	return (MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND,
	    name));
}

const char *
req_header(struct req *r, const char *name)
{
	return (MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name));
}

/*
 * Does the entity-tag list p ("*" or "tag, tag, ...", RFC 9110 8.8.3)
 * name etag (a strong "..." tag)?  A weak W/"..." tag in the list counts
 * only when weak is true.  Parsing stops, without a match, at the first
 * member that is not "*" or a tag.
 */
static bool
tag_listed(const char *p, const char *etag, bool weak)
{
	const char *q, *end;
	size_t n = strlen(etag);
	bool w;

	for (;;) {
		p += strspn(p, " \t,");
		if (*p == '\0')
			return (false);
		if ((w = strncmp(p, "W/", 2) == 0))
			p += 2;
		if (*p == '*' && !w)
			q = p + 1;
		else if (*p != '"' || (q = strchr(p + 1, '"')) == NULL)
			return (false);
		else
			q++;
		end = q + strspn(q, " \t");
		if (*end != ',' && *end != '\0')
			return (false);
		if (*p == '*' || ((!w || weak) && (size_t)(q - p) == n &&
		    memcmp(p, etag, n) == 0))
			return (true);
		p = end;
	}
}

/* A search of the field lines of one conditional header for a tag. */
struct tag_search {
	const char *header;
	const char *etag;
	bool weak;
	bool found;
};

static enum MHD_Result
tag_search(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *value)
{
	struct tag_search *ts = cls;

	if (value != NULL && strcasecmp(key, ts->header) == 0 &&
	    tag_listed(value, ts->etag, ts->weak))
		ts->found = true;
	return (ts->found ? MHD_NO : MHD_YES);
}

/* Does header name etag in any of its field lines?  (RFC 9110 5.3: they
 * make one list.) */
static bool
tag_in_header(struct req *r, const char *header, const char *etag,
    bool weak)
{
	struct tag_search ts = { header, etag, weak, false };

	if (etag[0] != '\0')
		MHD_get_connection_values(r->conn, MHD_HEADER_KIND,
		    tag_search, &ts);
	return (ts.found);
}

bool
req_none_match(struct req *r, const char *etag)
{
	return (tag_in_header(r, MHD_HTTP_HEADER_IF_NONE_MATCH, etag, true));
}

bool
req_if_match(struct req *r, const char *etag)
{
	return (tag_in_header(r, MHD_HTTP_HEADER_IF_MATCH, etag, false));
}

const char *
req_cookie(struct req *r, const char *name)
{
	return (MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name));
}

void
req_peer(struct req *r, char *buf, size_t len)
{
	const union MHD_ConnectionInfo *ci;
	const struct sockaddr *sa;

	buf[0] = '\0';
	ci = MHD_get_connection_info(r->conn,
	    MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci == NULL || (sa = ci->client_addr) == NULL)
		return;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)
		    (const void *)sa)->sin_addr, buf, (socklen_t)len);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)
		    (const void *)sa)->sin6_addr, buf, (socklen_t)len);
}

const char *
req_role_name(enum role role)
{
	for (size_t i = 0; i < sizeof(role_names) / sizeof(role_names[0]); i++)
		if (role_names[i].role == role)
			return (role_names[i].name);
	return ("unknown");
}

int
req_role_parse(const char *s, enum role *out)
{
	if (s == NULL)
		return (-1);
	for (size_t i = 0; i < sizeof(role_names) / sizeof(role_names[0]); i++)
		if (strcmp(role_names[i].name, s) == 0) {
			*out = role_names[i].role;
			return (0);
		}
	return (-1);
}
