/*
 * config: the notifier's settings.  Later sources win:
 *   built-in defaults < config file (--config FILE, or
 *   BREACHCLOCK_NOTIFIER_CONFIG) < environment (BREACHCLOCK_NOTIFIER_*) <
 *   command-line flags.
 * The file holds "key = value" lines named like the long flags
 * (smtp-host = mail.example.com); "#" starts a comment line.  The
 * environment names are the flag names upper-cased with "-" as "_"
 * (BREACHCLOCK_NOTIFIER_SMTP_HOST).  Secrets are never values here:
 * only the paths of the files that hold them.
 */
#ifndef NOTIFIER_CONFIG_H
#define NOTIFIER_CONFIG_H

#include <limits.h>

#include "log.h"

#define CONFIG_VALUE_MAX	512
#define CONFIG_FILE_MAX		65536	/* bytes of a config file */
#define CONFIG_ERR_MAX		256
#define CONFIG_CONCURRENCY_MAX	64	/* delivery threads */

enum config_tls { CONFIG_TLS_NONE, CONFIG_TLS_STARTTLS, CONFIG_TLS_TLS };

struct config {
	char		 server[CONFIG_VALUE_MAX];	/* base URL */
	char		 token_file[PATH_MAX];
	char		 smtp_host[CONFIG_VALUE_MAX];	/* "" = spool */
	int		 smtp_port;		/* 0 = by smtp_tls */
	enum config_tls	 smtp_tls;
	char		 smtp_user[CONFIG_VALUE_MAX];
	char		 smtp_password_file[PATH_MAX];
	char		 smtp_ca_file[PATH_MAX];
	int		 smtp_timeout;		/* seconds per SMTP step */
	char		 from[CONFIG_VALUE_MAX];
	char		 spool[PATH_MAX];
	int		 poll_wait;		/* 0..60 s */
	int		 lease;			/* 5..600 s */
	int		 limit;			/* 1..500 per poll */
	int		 concurrency;		/* 1..64 delivery threads */
	int		 once;			/* one poll, then exit */
	int		 allow_internal_webhooks; /* see webhook.h */
	enum log_level	 log_level;
	char		 worker[101];		/* "" = host:pid */
};

/* Fill cfg with the built-in defaults. */
void	config_defaults(struct config *cfg);

/*
 * Set the setting called name (a long flag name without "--") from the
 * text value, checking its range.  0, or -1 with a message in err
 * (errlen bytes).
 */
int	config_set(struct config *cfg, const char *name, const char *value,
	    char *err, size_t errlen);

/*
 * Read "key = value" lines from path (at most CONFIG_FILE_MAX bytes) and
 * config_set each.  0, or -1 with a message in err naming the line.
 */
int	config_file(struct config *cfg, const char *path, char *err,
	    size_t errlen);

/*
 * Build the whole configuration in the order above: defaults, the file
 * named by --config (or by BREACHCLOCK_NOTIFIER_CONFIG in envp), every
 * BREACHCLOCK_NOTIFIER_* variable of envp (a NULL-terminated
 * "NAME=value" array, borrowed), then the flags of argv ("--name value"
 * or "--name=value"; "--once" takes no value).  Returns 0; 1 when
 * --help or --version was asked for (nothing else is done); -1 with a
 * message in err.
 */
int	config_load(struct config *cfg, int argc, const char *const argv[],
	    const char *const envp[], char *err, size_t errlen);

/* The port to use: smtp_port, else 25 / 587 (starttls) / 465 (tls). */
int	config_smtp_port(const struct config *cfg);

/* The usage text. */
extern const char config_usage[];

#endif
