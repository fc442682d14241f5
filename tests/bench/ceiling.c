/*
 * ceiling: the fastest a libmicrohttpd server can answer on this machine,
 * for the benchmarks (tests/bench/run) to measure breachclockd against.
 *
 *   ceiling [--port P] [--threads N] [--body FILE]
 *
 * Every request gets 200 with a fixed JSON body (FILE, or a small
 * incident-like object) and the security headers breachclockd sends, from
 * a daemon started with breachclockd's own options (server/http.c: an
 * internal polling thread pool of N threads, auto poll/epoll, ITC,
 * suspend/resume allowed, 30 s idle timeout, 4096 connections, 256 per
 * address, 64 KiB of buffer per connection), on 127.0.0.1.  Prints
 * "port=P" on stdout once listening; runs until SIGTERM or SIGINT.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <microhttpd.h>

#define BODY_MAX (1024 * 1024)

static const char default_body[] = "{\"id\":1,\"ref\":\"BR-2026-0001\","
    "\"status\":\"investigating\",\"risk\":null,\"version\":2,"
    "\"created_at\":\"2026-01-01T00:00:00Z\","
    "\"updated_at\":\"2026-01-01T00:00:00Z\",\"reporter\":\"reporter001\","
    "\"assignee\":\"handler01\",\"next_due_at\":\"2026-01-04T00:00:00Z\","
    "\"title\":\"Email sent to the wrong customer\"}";

static struct MHD_Response *resp;
static volatile sig_atomic_t stop;
static int marker;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_size, void **con_cls)
{
	(void)cls;
	(void)url;
	(void)method;
	(void)version;
	(void)upload;
	if (*con_cls == NULL) {
		*con_cls = &marker;
		return (MHD_YES);
	}
	if (*upload_size > 0) {
		*upload_size = 0;   /* a body is read and ignored */
		return (MHD_YES);
	}
	return (MHD_queue_response(conn, MHD_HTTP_OK, resp));
}

static char *
read_body(const char *path, size_t *len)
{
	FILE *f;
	char *buf;

	if ((f = fopen(path, "rb")) == NULL || (buf = malloc(BODY_MAX)) ==
	    NULL)
		return (NULL);
	*len = fread(buf, 1, BODY_MAX, f);
	fclose(f);
	return (buf);
}

int
main(int argc, char **argv)
{
	struct sockaddr_in sin;
	struct MHD_Daemon *d;
	const union MHD_DaemonInfo *info;
	unsigned long port = 0, threads = 4;
	char *body = NULL, *end;
	size_t len = 0;
	int c;

	while ((c = getopt(argc, argv, "p:t:b:")) != -1) {
		switch (c) {
		case 'p':
			port = strtoul(optarg, &end, 10);
			if (*end != '\0' || port > 65535)
				return (2);
			break;
		case 't':
			threads = strtoul(optarg, &end, 10);
			if (*end != '\0' || threads < 1 || threads > 256)
				return (2);
			break;
		case 'b':
			if ((body = read_body(optarg, &len)) == NULL) {
				perror(optarg);
				return (1);
			}
			break;
		default:
			fprintf(stderr, "usage: ceiling [-p port] [-t threads] "
			    "[-b body.json]\n");
			return (2);
		}
	}
	resp = body != NULL ? MHD_create_response_from_buffer(len, body,
	    MHD_RESPMEM_MUST_FREE) : MHD_create_response_from_buffer(
	    sizeof(default_body) - 1, (void *)(uintptr_t)default_body,
	    MHD_RESPMEM_PERSISTENT);
	if (resp == NULL)
		return (1);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Content-Security-Policy",
	    "default-src 'none'; frame-ancestors 'none'");
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
	    "application/json");
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO |
	    MHD_USE_ITC | MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME,
	    (uint16_t)port, NULL, NULL, on_request, NULL,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sin,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned)threads,
	    MHD_OPTION_CONNECTION_TIMEOUT, 30u,
	    MHD_OPTION_CONNECTION_LIMIT, 4096u,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, 256u,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)64 * 1024,
	    MHD_OPTION_END);
	if (d == NULL) {
		fprintf(stderr, "ceiling: cannot listen\n");
		return (1);
	}
	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	printf("port=%u\n", info != NULL ? (unsigned)info->port : 0u);
	fflush(stdout);
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	while (!stop)
		pause();
	MHD_stop_daemon(d);
	MHD_destroy_response(resp);
	return (0);
}
