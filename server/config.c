#include <ctype.h>
#include <stddef.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "parse.h"
#include "regime.h"

enum kind { K_STRING, K_LEVEL, K_INT, K_CODES, K_DURATION, K_BOOL };

struct setting {
	const char *key;    /* flag and file key */
	const char *env;    /* environment variable */
	enum kind kind;
	size_t off;         /* offset in struct config */
	int64_t min, max;   /* K_INT range */
};

#define OFF(f) offsetof(struct config, f)
#define CONFIG_RETENTION_MAX (100 * 366 * 86400LL) /* a century */

static const struct setting settings[] = {
	{ "listen", "BREACHCLOCK_LISTEN", K_STRING, OFF(listen), 0, 0 },
	{ "db", "BREACHCLOCK_DB", K_STRING, OFF(db), 0, 0 },
	{ "web-root", "BREACHCLOCK_WEB_ROOT", K_STRING, OFF(web_root), 0, 0 },
	{ "template-dir", "BREACHCLOCK_TEMPLATE_DIR", K_STRING,
	    OFF(template_dir), 0, 0 },
	{ "log-level", "BREACHCLOCK_LOG_LEVEL", K_LEVEL, OFF(log_level), 0, 0 },
	{ "threads", "BREACHCLOCK_THREADS", K_INT, OFF(threads), 1, 256 },
	{ "art34-target-hours", "BREACHCLOCK_ART34_TARGET_HOURS", K_INT,
	    OFF(art34_target_hours), 1, 24 * 365 },
	{ "default-jurisdictions", "BREACHCLOCK_DEFAULT_JURISDICTIONS",
	    K_CODES, OFF(default_jurisdictions), 0, 0 },
	/* K_STRING's min is a minimum length. */
	{ "metrics-token", "BREACHCLOCK_METRICS_TOKEN", K_STRING,
	    OFF(metrics_token), 16, 0 },
	{ "metrics-allow-loopback", "BREACHCLOCK_METRICS_ALLOW_LOOPBACK",
	    K_BOOL, OFF(metrics_allow_loopback), 0, 0 },
	{ "calendar-titles", "BREACHCLOCK_CALENDAR_TITLES", K_BOOL,
	    OFF(calendar_titles), 0, 0 },
	{ "allow-internal-webhooks", "BREACHCLOCK_ALLOW_INTERNAL_WEBHOOKS",
	    K_BOOL, OFF(allow_internal_webhooks), 0, 0 },
	{ "retention", "BREACHCLOCK_RETENTION", K_DURATION, OFF(retention),
	    0, CONFIG_RETENTION_MAX },
	{ "retention-interval", "BREACHCLOCK_RETENTION_INTERVAL", K_INT,
	    OFF(retention_interval), 1, 86400 },
};

#define NSETTINGS (sizeof(settings) / sizeof(settings[0]))

void
config_init(struct config *c)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->listen, sizeof(c->listen), "127.0.0.1:8072");
	snprintf(c->db, sizeof(c->db), "%s", CONFIG_DEFAULT_DB);
	c->log_level = LOG_INFO;
	c->threads = 4;
	c->art34_target_hours = 72;
	c->metrics_allow_loopback = 1;
	c->retention = 0;
	c->retention_interval = 3600;
	(void)config_set(c, "default-jurisdictions", "GB", "default");
}

/*
 * Parse a duration: "0" or "off", or a whole number and a unit (d, h, m,
 * s) of at most max seconds, into *out seconds.  0 or -1.
 */
static int
parse_duration(const char *value, int64_t max, int64_t *out)
{
	char num[32];
	size_t n = strlen(value);
	int64_t v, unit;

	if (strcmp(value, "0") == 0 || strcmp(value, "off") == 0) {
		*out = 0;
		return (0);
	}
	if (n < 2 || n >= sizeof(num))
		return (-1);
	switch (value[n - 1]) {
	case 'd':
		unit = 86400;
		break;
	case 'h':
		unit = 3600;
		break;
	case 'm':
		unit = 60;
		break;
	case 's':
		unit = 1;
		break;
	default:
		return (-1);
	}
	memcpy(num, value, n - 1);
	num[n - 1] = '\0';
	if (parse_int64(num, 1, max / unit, &v) == -1)
		return (-1);
	*out = v * unit;
	return (0);
}

/* Parse "GB,IE" into c's list; -1 if a code is not ISO 3166. */
static int
set_codes(struct config *c, const char *value)
{
	char buf[CONFIG_VALUE_MAX], *p, *next;
	size_t n = 0;

	snprintf(buf, sizeof(buf), "%s", value);
	for (p = buf; p != NULL && *p != '\0'; p = next) {
		if ((next = strchr(p, ',')) != NULL)
			*next++ = '\0';
		if (n == CONFIG_MAX_CODES ||
		    strlen(p) >= sizeof(c->jurisdiction_codes[n]) ||
		    !regime_code_valid(p, false))
			return (-1);
		snprintf(c->jurisdiction_codes[n], sizeof(c->jurisdiction_codes[n]),
		    "%s", p);
		c->jurisdiction_list[n] = c->jurisdiction_codes[n];
		n++;
	}
	c->jurisdiction_list[n] = NULL;
	snprintf(c->default_jurisdictions, sizeof(c->default_jurisdictions),
	    "%s", value);
	return (0);
}

int
config_set(struct config *c, const char *key, const char *value,
    const char *from)
{
	const struct setting *s = NULL;
	char *field;

	for (size_t i = 0; i < NSETTINGS; i++)
		if (strcmp(settings[i].key, key) == 0)
			s = &settings[i];
	if (s == NULL) {
		fprintf(stderr, "breachclockd: %s: unknown setting '%s'\n",
		    from, key);
		return (-1);
	}
	field = (char *)c + s->off;
	switch (s->kind) {
	case K_STRING:
		if (strlen(value) >= CONFIG_VALUE_MAX) {
			fprintf(stderr, "breachclockd: %s: %s is too long\n",
			    from, key);
			return (-1);
		}
		if (strlen(value) < (size_t)s->min) {
			fprintf(stderr, "breachclockd: %s: %s must be at least "
			    "%lld characters\n", from, key, (long long)s->min);
			return (-1);
		}
		snprintf(field, CONFIG_VALUE_MAX, "%s", value);
		return (0);
	case K_LEVEL:
		if (log_level_parse(value, (enum log_level *)(void *)field) ==
		    -1) {
			fprintf(stderr, "breachclockd: %s: %s must be debug, "
			    "info, warn or error\n", from, key);
			return (-1);
		}
		return (0);
	case K_CODES:
		if (set_codes(c, value) == -1) {
			fprintf(stderr, "breachclockd: %s: %s must be ISO 3166 "
			    "codes separated by commas, e.g. GB,IE\n", from, key);
			return (-1);
		}
		return (0);
	case K_DURATION:
		if (parse_duration(value, s->max, (int64_t *)(void *)field) ==
		    -1) {
			fprintf(stderr, "breachclockd: %s: %s must be 0 (off) "
			    "or a whole number of days, hours, minutes or "
			    "seconds such as 2190d, 12h, 30m or 90s\n", from,
			    key);
			return (-1);
		}
		return (0);
	case K_BOOL:
		if (strcmp(value, "true") == 0 || strcmp(value, "yes") == 0 ||
		    strcmp(value, "1") == 0)
			*(int64_t *)(void *)field = 1;
		else if (strcmp(value, "false") == 0 ||
		    strcmp(value, "no") == 0 || strcmp(value, "0") == 0)
			*(int64_t *)(void *)field = 0;
		else {
			fprintf(stderr, "breachclockd: %s: %s must be true or "
			    "false\n", from, key);
			return (-1);
		}
		return (0);
	case K_INT:
		if (parse_int64(value, s->min, s->max,
		    (int64_t *)(void *)field) == -1) {
			fprintf(stderr, "breachclockd: %s: %s must be a whole "
			    "number from %lld to %lld\n", from, key,
			    (long long)s->min, (long long)s->max);
			return (-1);
		}
		return (0);
	}
	return (-1);
}

static char *
trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return (s);
}

int
config_load_file(struct config *c, const char *path)
{
	FILE *f;
	char line[CONFIG_VALUE_MAX + 128], from[CONFIG_VALUE_MAX + 32];
	char *eq, *key, *value;
	int lineno = 0, rc = 0;

	if ((f = fopen(path, "r")) == NULL) {
		fprintf(stderr, "breachclockd: %s: %s\n", path,
		    strerror(errno));
		return (-1);
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		lineno++;
		snprintf(from, sizeof(from), "%s:%d", path, lineno);
		if (strchr(line, '\n') == NULL && !feof(f)) {
			fprintf(stderr, "breachclockd: %s: line too long\n",
			    from);
			rc = -1;
			break;
		}
		if ((eq = strchr(line, '#')) != NULL)
			*eq = '\0';
		key = trim(line);
		if (*key == '\0')
			continue;
		if ((eq = strchr(key, '=')) == NULL) {
			fprintf(stderr, "breachclockd: %s: expected "
			    "'key = value'\n", from);
			rc = -1;
			break;
		}
		*eq = '\0';
		key = trim(key);
		value = trim(eq + 1);
		if (config_set(c, key, value, from) == -1) {
			rc = -1;
			break;
		}
	}
	if (ferror(f)) {
		fprintf(stderr, "breachclockd: %s: read error\n", path);
		rc = -1;
	}
	fclose(f);
	return (rc);
}

int
config_load_env(struct config *c)
{
	const char *v;

	for (size_t i = 0; i < NSETTINGS; i++) {
		if ((v = getenv(settings[i].env)) == NULL)
			continue;
		if (config_set(c, settings[i].key, v, settings[i].env) == -1)
			return (-1);
	}
	return (0);
}
