/*
 * config: the server's settings, from defaults, a config file, the
 * environment (BREACHCLOCK_*) and command-line flags, later ones winning.
 */
#ifndef BREACHCLOCK_CONFIG_H
#define BREACHCLOCK_CONFIG_H

#include <stdint.h>

#include "log.h"

#define CONFIG_VALUE_MAX 1024
#define CONFIG_MAX_CODES 32
/* The database when none is configured: the state directory systemd
 * makes for the service (StateDirectory=breachclock). */
#define CONFIG_DEFAULT_DB "/var/lib/breachclock/breachclock.db"

struct config {
	char listen[CONFIG_VALUE_MAX];   /* HOST:PORT */
	char db[CONFIG_VALUE_MAX];       /* SQLite database path */
	char web_root[CONFIG_VALUE_MAX]; /* static files; "" serves none */
	/* Notice templates (notices.h); "" means the installed
	 * DATADIR/breachclock/templates if it exists, else server/templates
	 * of the source tree the binary was built from. */
	char template_dir[CONFIG_VALUE_MAX];
	enum log_level log_level;
	int64_t threads;                 /* libmicrohttpd worker threads */
	int64_t art34_target_hours;      /* Art. 34 organisation target */
	/* Jurisdictions assumed for an incident that names none: the text
	 * ("GB,IE") and the parsed, NULL-terminated list pointing into
	 * jurisdiction_codes. */
	char default_jurisdictions[CONFIG_VALUE_MAX];
	char jurisdiction_codes[CONFIG_MAX_CODES][8];
	const char *jurisdiction_list[CONFIG_MAX_CODES + 1];
	/* GET /metrics (metrics.h): the bearer token that may scrape ("":
	 * none), and whether a loopback peer may scrape without it. */
	char metrics_token[CONFIG_VALUE_MAX];
	int64_t metrics_allow_loopback;  /* 0 or 1 */
	/* 1: the calendar feed shows incident titles (api_calendar.c). */
	int64_t calendar_titles;
	/* 1: escalation webhooks may name loopback, link-local and private
	 * addresses (escalation.h); 0 refuses them. */
	int64_t allow_internal_webhooks;
	/* Retention (retention.h): seconds after an incident is closed (or
	 * found not a breach) before its personal free text is erased; 0
	 * keeps everything for ever.  Written as a number and a unit:
	 * "2190d", "12h", "30m", "90s"; "0" or "off".  The background pass
	 * runs every retention_interval seconds. */
	int64_t retention;
	int64_t retention_interval;
};

/* Fill c with the defaults. */
void config_init(struct config *c);

/*
 * Set one setting by its key (the long flag without "--", e.g. "listen",
 * "web-root").  "from" names the source for the error message.  Return 0,
 * or -1 after printing a message to stderr for an unknown key or a bad
 * value.
 */
int config_set(struct config *c, const char *key, const char *value,
    const char *from);

/*
 * Read a config file of "key = value" lines ('#' starts a comment).
 * Return 0, or -1 after printing a message naming the file and line.
 */
int config_load_file(struct config *c, const char *path);

/* Apply every BREACHCLOCK_* variable that names a setting. 0 or -1. */
int config_load_env(struct config *c);

#endif
