/*
 * breachclock-notifier: delivers the alerts breachclockd decides on.
 * Settings (config.h), secrets from files, signals, then the loop
 * (worker.h, which states the delivery guarantee).
 */
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "calendar.h"
#include "client.h"
#include "config.h"
#include "log.h"
#include "mail.h"
#include "render.h"
#include "spool.h"
#include "worker.h"

#ifndef BREACHCLOCK_VERSION
#define BREACHCLOCK_VERSION "dev"
#endif

#define SECRET_MAX	4096

extern char **environ;

static volatile sig_atomic_t stopping;

static void
on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

/*
 * Read a secret (token or password) from path into buf: at most
 * SECRET_MAX bytes, surrounding white space dropped, printable ASCII
 * only.  0, or -1 (logged without the contents).
 */
static int
read_secret(const char *what, const char *path, char *buf, size_t len)
{
	ssize_t n;
	size_t got = 0, s, e;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		log_event(LOG_ERROR, "cannot open secret file", "what", what,
		    "path", path, "error", strerror(errno), NULL);
		return (-1);
	}
	while (got < len - 1 && (n = read(fd, buf + got, len - 1 - got)) > 0)
		got += (size_t)n;
	close(fd);
	buf[got] = '\0';
	for (s = 0; s < got && (buf[s] == ' ' || buf[s] == '\n' ||
	    buf[s] == '\r' || buf[s] == '\t'); s++)
		;
	for (e = got; e > s && (buf[e - 1] == ' ' || buf[e - 1] == '\n' ||
	    buf[e - 1] == '\r' || buf[e - 1] == '\t'); e--)
		;
	memmove(buf, buf + s, e - s);
	buf[e - s] = '\0';
	for (s = 0; buf[s] != '\0'; s++)
		if ((unsigned char)buf[s] < 0x20 ||
		    (unsigned char)buf[s] > 0x7e)
			break;
	if (buf[0] == '\0' || buf[s] != '\0' || got >= len - 1) {
		explicit_bzero(buf, len);
		log_event(LOG_ERROR, "secret file is empty, too long or not "
		    "one line of printable text", "what", what, "path", path,
		    NULL);
		return (-1);
	}
	return (0);
}

int
main(int argc, char *argv[])
{
	static char token[SECRET_MAX], password[SECRET_MAX];
	char err[CONFIG_ERR_MAX], host[256], fname[256];
	char faddr[RENDER_ADDR_MAX + 1], port[8], threads[8];
	struct config cfg;
	struct client *client = NULL;
	struct client *clients[CONFIG_CONCURRENCY_MAX] = { NULL };
	struct mail mail;
	struct worker w;
	struct sigaction sa;
	int rc, i;

	rc = config_load(&cfg, argc, (const char *const *)argv,
	    (const char *const *)environ, err, sizeof(err));
	if (rc == 1) {
		fprintf(stdout, "breachclock-notifier %s\n%s",
		    BREACHCLOCK_VERSION, config_usage);
		return (0);
	}
	if (rc == -1) {
		fprintf(stderr, "breachclock-notifier: %s\n%s", err,
		    config_usage);
		return (2);
	}
	log_set_level(cfg.log_level);
	if (cfg.token_file[0] == '\0') {
		log_event(LOG_ERROR, "no --token-file (a token of a user with "
		    "the notifier role)", NULL);
		return (2);
	}
	if (render_split_from(cfg.from, fname, sizeof(fname), faddr,
	    sizeof(faddr)) == -1) {
		log_event(LOG_ERROR, "--from is not an address", "from",
		    cfg.from, NULL);
		return (2);
	}
	if (read_secret("token", cfg.token_file, token, sizeof(token)) == -1)
		return (2);
	if (cfg.smtp_user[0] != '\0' && (cfg.smtp_password_file[0] == '\0' ||
	    read_secret("smtp password", cfg.smtp_password_file, password,
	    sizeof(password)) == -1)) {
		if (cfg.smtp_password_file[0] == '\0')
			log_event(LOG_ERROR, "--smtp-user needs "
			    "--smtp-password-file", NULL);
		return (2);
	}
	if (cfg.worker[0] == '\0') {
		if (gethostname(host, sizeof(host)) == -1)
			snprintf(host, sizeof(host), "localhost");
		host[sizeof(host) - 1] = '\0';
		snprintf(cfg.worker, sizeof(cfg.worker), "%.80s:%ld", host,
		    (long)getpid());
	}
	if (calendar_global_init() == -1 ||
	    curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
		log_event(LOG_ERROR, "cannot initialise", NULL);
		return (1);
	}
	mail_global_init();

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);

	memset(&mail, 0, sizeof(mail));
	if (cfg.smtp_host[0] != '\0') {
		mail.host = cfg.smtp_host;
		mail.port = config_smtp_port(&cfg);
		mail.tls = cfg.smtp_tls;
		mail.user = cfg.smtp_user;
		mail.password = password;
		mail.ca_file = cfg.smtp_ca_file;
		mail.timeout = cfg.smtp_timeout;
	} else if (spool_init(cfg.spool) == -1)
		return (1);
	/* One API client to poll, one per delivery thread. */
	rc = (client = client_new(cfg.server, token, cfg.worker,
	    &stopping)) == NULL ? -1 : 0;
	for (i = 0; rc == 0 && i < cfg.concurrency; i++)
		if ((clients[i] = client_new(cfg.server, token, cfg.worker,
		    &stopping)) == NULL)
			rc = -1;
	explicit_bzero(token, sizeof(token));
	if (rc == -1) {
		log_event(LOG_ERROR, "cannot create the API client", NULL);
		goto out;
	}
	/* jansson seeds its hash function once: before the threads. */
	json_object_seed(0);
	snprintf(port, sizeof(port), "%d", config_smtp_port(&cfg));
	snprintf(threads, sizeof(threads), "%d", cfg.concurrency);
	log_event(LOG_INFO, "started", "version", BREACHCLOCK_VERSION,
	    "server", cfg.server, "worker", cfg.worker, "transport",
	    cfg.smtp_host[0] != '\0' ? "smtp" : "spool", "smtp_host",
	    cfg.smtp_host, "smtp_port", cfg.smtp_host[0] != '\0' ? port : "",
	    "spool", cfg.smtp_host[0] == '\0' ? cfg.spool : "",
	    "concurrency", threads, NULL);

	w.cfg = &cfg;
	w.poller = client;
	w.clients = clients;
	w.mail = cfg.smtp_host[0] != '\0' ? &mail : NULL;
	w.from_addr = faddr;
	w.stop = &stopping;
	rc = worker_run(&w);
	if (rc == 0)
		log_event(LOG_INFO, "stopped", NULL);
out:
	client_free(client);
	for (i = 0; i < cfg.concurrency; i++)
		client_free(clients[i]);
	explicit_bzero(password, sizeof(password));
	curl_global_cleanup();
	return (rc == 0 ? 0 : 1);
}
