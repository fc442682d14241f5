#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
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

bool
req_none_match(struct req *r, const char *etag)
{
	const char *p = req_header(r, MHD_HTTP_HEADER_IF_NONE_MATCH);
	size_t n = strlen(etag), len;

	if (p == NULL || n == 0)
		return (false);
	for (;;) {
		p += strspn(p, " \t");
		if (*p == '*')
			return (true);
		if (strncmp(p, "W/", 2) == 0)
			p += 2;
		len = strcspn(p, ",");
		while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
			len--;
		if (len == n && memcmp(p, etag, n) == 0)
			return (true);
		if ((p = strchr(p, ',')) == NULL)
			return (false);
		p++;
	}
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
