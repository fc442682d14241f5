/* config: defaults, file, environment and flags (see config.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"

#define ENV_PREFIX	"BREACHCLOCK_NOTIFIER_"

enum opt_type { OPT_STR, OPT_INT, OPT_TLS, OPT_LEVEL, OPT_FLAG };

struct opt {
	const char	*name;
	enum opt_type	 type;
	size_t		 off;
	size_t		 size;		/* OPT_STR: buffer size */
	long		 min, max;	/* OPT_INT */
};

#define S(f)	offsetof(struct config, f), sizeof(((struct config *)0)->f)
#define I(f)	offsetof(struct config, f), sizeof(int)

static const struct opt opts[] = {
	{ "server",		OPT_STR, S(server), 0, 0 },
	{ "token-file",		OPT_STR, S(token_file), 0, 0 },
	{ "smtp-host",		OPT_STR, S(smtp_host), 0, 0 },
	{ "smtp-port",		OPT_INT, I(smtp_port), 1, 65535 },
	{ "smtp-tls",		OPT_TLS, I(smtp_tls), 0, 0 },
	{ "smtp-user",		OPT_STR, S(smtp_user), 0, 0 },
	{ "smtp-password-file",	OPT_STR, S(smtp_password_file), 0, 0 },
	{ "smtp-ca-file",	OPT_STR, S(smtp_ca_file), 0, 0 },
	{ "smtp-timeout",	OPT_INT, I(smtp_timeout), 1, 600 },
	{ "from",		OPT_STR, S(from), 0, 0 },
	{ "spool",		OPT_STR, S(spool), 0, 0 },
	{ "poll-wait",		OPT_INT, I(poll_wait), 0, 60 },
	{ "lease",		OPT_INT, I(lease), 5, 600 },
	{ "limit",		OPT_INT, I(limit), 1, 500 },
	{ "concurrency",	OPT_INT, I(concurrency), 1,
	    CONFIG_CONCURRENCY_MAX },
	{ "once",		OPT_FLAG, I(once), 0, 1 },
	{ "allow-internal-webhooks", OPT_FLAG, I(allow_internal_webhooks),
	    0, 1 },
	{ "log-level",		OPT_LEVEL, I(log_level), 0, 0 },
	{ "worker",		OPT_STR, S(worker), 0, 0 },
};

const char config_usage[] =
    "usage: breachclock-notifier [--config FILE] [--server URL]\n"
    "           [--token-file FILE] [--smtp-host H] [--smtp-port P]\n"
    "           [--smtp-tls none|starttls|tls] [--smtp-user U]\n"
    "           [--smtp-password-file F] [--smtp-ca-file F]\n"
    "           [--smtp-timeout S] [--from ADDR] [--spool DIR]\n"
    "           [--poll-wait S] [--lease S] [--limit N] [--concurrency N]\n"
    "           [--worker NAME] [--allow-internal-webhooks]\n"
    "           [--log-level debug|info|warn|error] [--once]\n";

void
config_defaults(struct config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	snprintf(cfg->server, sizeof(cfg->server), "http://127.0.0.1:8072");
	snprintf(cfg->from, sizeof(cfg->from), "breachclock@localhost");
	snprintf(cfg->spool, sizeof(cfg->spool), "./var/spool");
	cfg->smtp_tls = CONFIG_TLS_NONE;
	cfg->smtp_timeout = 60;
	cfg->poll_wait = 30;
	cfg->lease = 60;
	cfg->limit = 100;
	cfg->concurrency = 8;
	cfg->log_level = LOG_INFO;
}

static const struct opt *
find_opt(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		if (strcmp(opts[i].name, name) == 0)
			return (&opts[i]);
	return (NULL);
}

/* Parse a decimal in [min, max] without atoi.  0 or -1. */
static int
parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	if (*s == '\0' || *s == '+' || *s == ' ')
		return (-1);
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return (-1);
	*out = v;
	return (0);
}

int
config_set(struct config *cfg, const char *name, const char *value,
    char *err, size_t errlen)
{
	const struct opt *o = find_opt(name);
	char *base = (char *)cfg;
	enum log_level lvl;
	long v;
	int w;

	if (o == NULL) {
		snprintf(err, errlen, "unknown setting %s", name);
		return (-1);
	}
	switch (o->type) {
	case OPT_STR:
		w = snprintf(base + o->off, o->size, "%s", value);
		if (w < 0 || (size_t)w >= o->size) {
			snprintf(err, errlen, "%s: too long", name);
			return (-1);
		}
		return (0);
	case OPT_INT:
		if (parse_long(value, o->min, o->max, &v) == -1) {
			snprintf(err, errlen, "%s: must be %ld to %ld", name,
			    o->min, o->max);
			return (-1);
		}
		*(int *)(void *)(base + o->off) = (int)v;
		return (0);
	case OPT_FLAG:
		if (strcmp(value, "1") == 0 || strcmp(value, "true") == 0 ||
		    strcmp(value, "yes") == 0)
			v = 1;
		else if (strcmp(value, "0") == 0 ||
		    strcmp(value, "false") == 0 || strcmp(value, "no") == 0)
			v = 0;
		else {
			snprintf(err, errlen, "%s: must be true or false",
			    name);
			return (-1);
		}
		*(int *)(void *)(base + o->off) = (int)v;
		return (0);
	case OPT_TLS:
		if (strcmp(value, "none") == 0)
			cfg->smtp_tls = CONFIG_TLS_NONE;
		else if (strcmp(value, "starttls") == 0)
			cfg->smtp_tls = CONFIG_TLS_STARTTLS;
		else if (strcmp(value, "tls") == 0)
			cfg->smtp_tls = CONFIG_TLS_TLS;
		else {
			snprintf(err, errlen, "%s: must be none, starttls or "
			    "tls", name);
			return (-1);
		}
		return (0);
	case OPT_LEVEL:
		if (log_level_parse(value, &lvl) == -1) {
			snprintf(err, errlen, "%s: must be debug, info, warn "
			    "or error", name);
			return (-1);
		}
		cfg->log_level = lvl;
		return (0);
	}
	return (-1);
}

/* Trim spaces and tabs at both ends, in place. */
static char *
trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return (s);
}

int
config_file(struct config *cfg, const char *path, char *err, size_t errlen)
{
	char *text, *line, *next, *eq, msg[CONFIG_ERR_MAX];
	ssize_t n;
	size_t len = 0;
	int fd, lineno = 0, rc = -1;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return (-1);
	}
	if ((text = malloc(CONFIG_FILE_MAX + 1)) == NULL) {
		snprintf(err, errlen, "%s: out of memory", path);
		goto err0;
	}
	while ((n = read(fd, text + len, CONFIG_FILE_MAX + 1 - len)) > 0)
		if ((len += (size_t)n) > CONFIG_FILE_MAX)
			break;
	if (n == -1 || len > CONFIG_FILE_MAX) {
		snprintf(err, errlen, "%s: %s", path, n == -1 ?
		    strerror(errno) : "larger than 64 KiB");
		goto err1;
	}
	text[len] = '\0';
	if (memchr(text, '\0', len) != NULL) {
		snprintf(err, errlen, "%s: not a text file", path);
		goto err1;
	}
	for (line = text; line != NULL; line = next) {
		lineno++;
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		line = trim(line);
		if (*line == '\0' || *line == '#')
			continue;
		if ((eq = strchr(line, '=')) == NULL) {
			snprintf(err, errlen, "%s:%d: expected key = value",
			    path, lineno);
			goto err1;
		}
		*eq = '\0';
		if (strcmp(trim(line), "config") == 0 ||
		    config_set(cfg, trim(line), trim(eq + 1), msg,
		    sizeof(msg)) == -1) {
			snprintf(err, errlen, "%s:%d: %s", path, lineno,
			    strcmp(trim(line), "config") == 0 ?
			    "config cannot be set in a config file" : msg);
			goto err1;
		}
	}
	rc = 0;
err1:
	free(text);
err0:
	close(fd);
	return (rc);
}

/* The flag name of argv[i] ("--name" or "--name=value") and its value. */
static int
flag_at(int argc, const char *const argv[], int *i, char *name, size_t nlen,
    const char **value, char *err, size_t errlen)
{
	const char *a = argv[*i], *eq;
	const struct opt *o;
	size_t n;

	if (strncmp(a, "--", 2) != 0) {
		snprintf(err, errlen, "unexpected argument: %.100s", a);
		return (-1);
	}
	a += 2;
	n = (eq = strchr(a, '=')) != NULL ? (size_t)(eq - a) : strlen(a);
	if (n >= nlen) {
		snprintf(err, errlen, "unknown flag --%.100s", a);
		return (-1);
	}
	memcpy(name, a, n);
	name[n] = '\0';
	if (strcmp(name, "help") == 0 || strcmp(name, "version") == 0) {
		*value = NULL;
		return (0);
	}
	o = find_opt(name);
	if (o == NULL && strcmp(name, "config") != 0) {
		snprintf(err, errlen, "unknown flag --%.100s", name);
		return (-1);
	}
	if (eq != NULL)
		*value = eq + 1;
	else if (o != NULL && o->type == OPT_FLAG)
		*value = "true";
	else if (*i + 1 < argc)
		*value = argv[++*i];
	else {
		snprintf(err, errlen, "--%s needs a value", name);
		return (-1);
	}
	return (0);
}

int
config_load(struct config *cfg, int argc, const char *const argv[],
    const char *const envp[], char *err, size_t errlen)
{
	const char *file = NULL, *value;
	char name[64], key[64], msg[CONFIG_ERR_MAX];
	size_t i, plen = strlen(ENV_PREFIX);
	int a;

	config_defaults(cfg);
	for (i = 0; envp != NULL && envp[i] != NULL; i++)
		if (strncmp(envp[i], ENV_PREFIX "CONFIG=", plen + 7) == 0)
			file = envp[i] + plen + 7;
	/* First pass over the flags: --help, and which file to read. */
	for (a = 1; a < argc; a++) {
		if (flag_at(argc, argv, &a, name, sizeof(name), &value, err,
		    errlen) == -1)
			return (-1);
		if (value == NULL)
			return (1);
		if (strcmp(name, "config") == 0)
			file = value;
	}
	if (file != NULL && *file != '\0' &&
	    config_file(cfg, file, err, errlen) == -1)
		return (-1);
	for (i = 0; envp != NULL && envp[i] != NULL; i++) {
		const char *e = envp[i], *eq;
		size_t n, j;

		if (strncmp(e, ENV_PREFIX, plen) != 0 ||
		    (eq = strchr(e, '=')) == NULL)
			continue;
		n = (size_t)(eq - e) - plen;
		if (n >= sizeof(key))
			continue;
		for (j = 0; j < n; j++) {
			char c = e[plen + j];

			key[j] = c == '_' ? '-' : (c >= 'A' && c <= 'Z') ?
			    (char)(c - 'A' + 'a') : c;
		}
		key[n] = '\0';
		if (strcmp(key, "config") == 0)
			continue;
		if (config_set(cfg, key, eq + 1, msg, sizeof(msg)) == -1) {
			snprintf(err, errlen, "%.*s: %s", (int)(n + plen), e,
			    msg);
			return (-1);
		}
	}
	for (a = 1; a < argc; a++) {
		if (flag_at(argc, argv, &a, name, sizeof(name), &value, err,
		    errlen) == -1)
			return (-1);
		if (strcmp(name, "config") == 0)
			continue;
		if (config_set(cfg, name, value, msg, sizeof(msg)) == -1) {
			snprintf(err, errlen, "--%s", msg);
			return (-1);
		}
	}
	return (0);
}

int
config_smtp_port(const struct config *cfg)
{
	if (cfg->smtp_port != 0)
		return (cfg->smtp_port);
	switch (cfg->smtp_tls) {
	case CONFIG_TLS_STARTTLS:
		return (587);
	case CONFIG_TLS_TLS:
		return (465);
	default:
		return (25);
	}
}
