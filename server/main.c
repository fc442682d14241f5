/*
 * breachclockd: the breach register service, and its admin commands.
 *
 *   breachclockd [options]                 serve the API
 *   breachclockd migrate                   create or upgrade the database
 *   breachclockd user add --name N --role R [--email ADDR]
 *                    [--password-file F]
 *   breachclockd user password --name N --password-file F
 *   breachclockd token create --user N [--expires-days D]
 *   breachclockd audit verify
 *
 * Settings come from defaults, then --config FILE (or BREACHCLOCK_CONFIG),
 * then BREACHCLOCK_* variables, then flags: later ones win.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "api.h"
#include "audit.h"
#include "auth.h"
#include "calendar.h"
#include "config.h"
#include "holidays.h"
#include "http.h"
#include "incident.h"
#include "iso3166.h"
#include "log.h"
#include "notices.h"
#include "obligations.h"
#include "parse.h"
#include "retention.h"
#include "store.h"
#include "store_api.h"
#include "store_backup.h"
#include "timeutil.h"

#define EXIT_USAGE 2

static const char usage_text[] =
"usage: breachclockd [--config FILE] [--listen HOST:PORT] [--db PATH]\n"
"                    [--web-root DIR] [--template-dir DIR]\n"
"                    [--log-level debug|info|warn|error]\n"
"                    [--threads N] [--art34-target-hours H]\n"
"                    [--default-jurisdictions GB,IE]\n"
"                    [--retention 2190d|off] [--retention-interval S]\n"
"                    [--allow-internal-webhooks]\n"
"       breachclockd migrate [--db PATH]\n"
"       breachclockd user add --name NAME --role ROLE [--email ADDR] [--tz ZONE]\n"
"                    [--password-file FILE|-] [--db PATH]\n"
"       breachclockd user password --name NAME --password-file FILE|- [--db PATH]\n"
"       breachclockd token create --user NAME [--expires-days D] [--db PATH]\n"
"       breachclockd audit verify [--db PATH]\n"
"       breachclockd holidays import --file bank-holidays.json [--db PATH]\n"
"       breachclockd backup --to FILE [--db PATH]\n"
"       breachclockd restore --from FILE [--db PATH]\n"
"       breachclockd retention run [--retention 2190d] [--now TIME] [--db PATH]\n"
"roles: reporter, handler, dpo, viewer, admin, notifier\n";

/* Options of the subcommands, kept apart from the settings. */
struct cli {
	const char *name, *role, *email, *user, *file, *tz, *password_file;
	int64_t expires_days;
	const char *to, *from, *now;     /* backup, restore, retention */
};

enum { OPT_CONFIG = 256, OPT_NAME, OPT_ROLE, OPT_EMAIL, OPT_USER,
	OPT_EXPIRES, OPT_SETTING, OPT_FILE, OPT_TZ, OPT_PASSWORD_FILE,
	OPT_TO, OPT_FROM, OPT_NOW, OPT_ALLOW_INTERNAL };

static const struct option options[] = {
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "listen", required_argument, NULL, OPT_SETTING },
	{ "db", required_argument, NULL, OPT_SETTING },
	{ "web-root", required_argument, NULL, OPT_SETTING },
	{ "template-dir", required_argument, NULL, OPT_SETTING },
	{ "log-level", required_argument, NULL, OPT_SETTING },
	{ "threads", required_argument, NULL, OPT_SETTING },
	{ "art34-target-hours", required_argument, NULL, OPT_SETTING },
	{ "default-jurisdictions", required_argument, NULL, OPT_SETTING },
	{ "retention", required_argument, NULL, OPT_SETTING },
	{ "retention-interval", required_argument, NULL, OPT_SETTING },
	{ "allow-internal-webhooks", no_argument, NULL, OPT_ALLOW_INTERNAL },
	{ "to", required_argument, NULL, OPT_TO },
	{ "from", required_argument, NULL, OPT_FROM },
	{ "now", required_argument, NULL, OPT_NOW },
	{ "name", required_argument, NULL, OPT_NAME },
	{ "role", required_argument, NULL, OPT_ROLE },
	{ "email", required_argument, NULL, OPT_EMAIL },
	{ "user", required_argument, NULL, OPT_USER },
	{ "expires-days", required_argument, NULL, OPT_EXPIRES },
	{ "file", required_argument, NULL, OPT_FILE },
	{ "tz", required_argument, NULL, OPT_TZ },
	{ "password-file", required_argument, NULL, OPT_PASSWORD_FILE },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static int
usage(void)
{
	fputs(usage_text, stderr);
	return (EXIT_USAGE);
}

/*
 * Parse argv[first..] into cfg and cli, applying file, environment and
 * flags in that order.  0, or an exit status.
 */
static int
parse_args(int argc, char **argv, int first, struct config *cfg,
    struct cli *cli)
{
	const char *config_file = getenv("BREACHCLOCK_CONFIG");
	int c, idx;

	config_init(cfg);
	memset(cli, 0, sizeof(*cli));
	cli->expires_days = 0;
	/* First pass: only --config, so the file can be applied first. */
	optind = first;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "hV", options, &idx)) != -1)
		if (c == OPT_CONFIG)
			config_file = optarg;
	if (config_file != NULL && config_load_file(cfg, config_file) == -1)
		return (EXIT_FAILURE);
	if (config_load_env(cfg) == -1)
		return (EXIT_FAILURE);
	optind = first;
	opterr = 1;
	while ((c = getopt_long(argc, argv, "hV", options, &idx)) != -1) {
		switch (c) {
		case OPT_CONFIG:
			break;
		case OPT_SETTING:
			if (config_set(cfg, options[idx].name, optarg,
			    "command line") == -1)
				return (usage());
			break;
		case OPT_ALLOW_INTERNAL:
			if (config_set(cfg, "allow-internal-webhooks", "true",
			    "command line") == -1)
				return (usage());
			break;
		case OPT_NAME:
			cli->name = optarg;
			break;
		case OPT_ROLE:
			cli->role = optarg;
			break;
		case OPT_EMAIL:
			cli->email = optarg;
			break;
		case OPT_USER:
			cli->user = optarg;
			break;
		case OPT_FILE:
			cli->file = optarg;
			break;
		case OPT_TZ:
			cli->tz = optarg;
			break;
		case OPT_PASSWORD_FILE:
			cli->password_file = optarg;
			break;
		case OPT_TO:
			cli->to = optarg;
			break;
		case OPT_FROM:
			cli->from = optarg;
			break;
		case OPT_NOW:
			cli->now = optarg;
			break;
		case OPT_EXPIRES:
			if (parse_int64(optarg, 1, 3650, &cli->expires_days) ==
			    -1) {
				fprintf(stderr, "breachclockd: --expires-days "
				    "must be a whole number from 1 to 3650\n");
				return (EXIT_USAGE);
			}
			break;
		case 'h':
			fputs(usage_text, stdout);
			exit(EXIT_SUCCESS);
		case 'V':
			puts("breachclockd " BREACHCLOCK_VERSION);
			exit(EXIT_SUCCESS);
		default:
			return (usage());
		}
	}
	if (optind != argc) {
		fprintf(stderr, "breachclockd: unexpected argument '%s'\n",
		    argv[optind]);
		return (usage());
	}
	log_set_level(cfg->log_level);
	return (0);
}

/* Open and migrate the database of an admin command; NULL on error. */
static struct store *
open_db(const struct config *cfg)
{
	struct store *s;

	if ((s = store_open(cfg->db)) == NULL)
		return (NULL);
	if (store_migrate(s, NULL) == -1) {
		store_close(s);
		return (NULL);
	}
	return (s);
}

static int
cmd_migrate(const struct config *cfg)
{
	struct store *s;

	if ((s = open_db(cfg)) == NULL)
		return (EXIT_FAILURE);
	store_close(s);
	return (EXIT_SUCCESS);
}

/*
 * Read a password from the first line of path ("-": standard input) and
 * hash it into hash[AUTH_PW_HASH_LEN].  0, or -1 with a message.
 */
static int
read_password(const char *path, char hash[AUTH_PW_HASH_LEN])
{
	char buf[AUTH_PW_MAX * 4 + 3];
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	size_t n, chars;
	int rc = -1;

	if (f == NULL) {
		fprintf(stderr, "breachclockd: %s: %s\n", path, strerror(errno));
		return (-1);
	}
	if (fgets(buf, sizeof(buf), f) == NULL)
		buf[0] = '\0';
	n = strcspn(buf, "\r\n");
	buf[n] = '\0';
	chars = parse_utf8_chars(buf, n);
	if (chars < AUTH_PW_MIN || chars > AUTH_PW_MAX)
		fprintf(stderr, "breachclockd: the password must be %d to %d "
		    "characters\n", AUTH_PW_MIN, AUTH_PW_MAX);
	else if (auth_password_hash(buf, hash) == -1)
		fprintf(stderr, "breachclockd: out of memory hashing the "
		    "password\n");
	else
		rc = 0;
	sodium_memzero(buf, sizeof(buf));
	if (f != stdin)
		fclose(f);
	return (rc);
}

static int
cmd_user_password(const struct config *cfg, const struct cli *cli)
{
	char hash[AUTH_PW_HASH_LEN];
	struct principal p;
	struct store *s;
	json_t *ev = NULL;
	int64_t now = (int64_t)time(NULL);
	int rc, status = EXIT_FAILURE;

	if (cli->name == NULL || cli->password_file == NULL)
		return (usage());
	if (read_password(cli->password_file, hash) == -1)
		return (EXIT_USAGE);
	if ((s = open_db(cfg)) == NULL)
		return (EXIT_FAILURE);
	if (store_begin(s) == -1)
		goto out;
	if ((rc = store_user_get(s, cli->name, &p)) == 1)
		fprintf(stderr, "breachclockd: there is no user called %s\n",
		    cli->name);
	if (rc != 0)
		goto rollback;
	ev = json_pack("{s:I}", "user_id", (json_int_t)p.user_id);
	if (ev == NULL || store_password_set(s, p.user_id, hash) != 0 ||
	    store_session_delete_user(s, p.user_id, 0) == -1 ||
	    audit_append(s, now, "cli", "user.password_set", 0, ev, NULL) ==
	    -1 || store_commit(s) == -1)
		goto rollback;
	fprintf(stderr, "breachclockd: set the password of %s\n", cli->name);
	status = EXIT_SUCCESS;
	goto out;
rollback:
	store_rollback(s);
out:
	json_decref(ev);
	store_close(s);
	return (status);
}

static int
cmd_user_add(const struct config *cfg, const struct cli *cli)
{
	char hash[AUTH_PW_HASH_LEN];
	struct store *s;
	enum role role;
	json_t *ev = NULL;
	int64_t id, now = (int64_t)time(NULL);
	int rc, status = EXIT_FAILURE;

	if (cli->name == NULL || cli->role == NULL)
		return (usage());
	if (!incident_user_name_valid(cli->name)) {
		fprintf(stderr, "breachclockd: --name must be 1 to 64 of a-z, "
		    "0-9, '.', '_' and '-'\n");
		return (EXIT_USAGE);
	}
	if (req_role_parse(cli->role, &role) == -1) {
		fprintf(stderr, "breachclockd: unknown role '%s'\n",
		    cli->role);
		return (usage());
	}
	if (cli->email != NULL && (strchr(cli->email, '@') == NULL ||
	    strpbrk(cli->email, " <>\"\\,;\r\n") != NULL)) {
		fprintf(stderr, "breachclockd: --email is not an e-mail "
		    "address\n");
		return (EXIT_USAGE);
	}
	if (cli->tz != NULL && calendar_zone_valid(cli->tz) == -1) {
		fprintf(stderr, "breachclockd: --tz is not an IANA time zone "
		    "such as Europe/London\n");
		return (EXIT_USAGE);
	}
	if (cli->password_file != NULL &&
	    read_password(cli->password_file, hash) == -1)
		return (EXIT_USAGE);
	if ((s = open_db(cfg)) == NULL)
		return (EXIT_FAILURE);
	if (store_begin(s) == -1)
		goto out;
	rc = store_user_add(s, cli->name, cli->role, cli->email, cli->tz, now,
	    &id);
	if (rc == 0 && cli->password_file != NULL)
		rc = store_password_set(s, id, hash) == 0 ? 0 : -1;
	if (rc == 1)
		fprintf(stderr, "breachclockd: there is already a user called "
		    "%s\n", cli->name);
	if (rc != 0)
		goto rollback;
	ev = json_pack("{s:s, s:s, s:o}", "name", cli->name, "role",
	    cli->role, "email", cli->email != NULL ? json_string(cli->email) :
	    json_null());
	if (ev == NULL || audit_append(s, now, "cli", "user.added", 0, ev,
	    NULL) == -1 || store_commit(s) == -1)
		goto rollback;
	fprintf(stderr, "breachclockd: added user %s (%s)\n", cli->name,
	    cli->role);
	status = EXIT_SUCCESS;
	goto out;
rollback:
	store_rollback(s);
out:
	json_decref(ev);
	store_close(s);
	return (status);
}

static int
cmd_token_create(const struct config *cfg, const struct cli *cli)
{
	char token[AUTH_TOKEN_LEN + 1];
	unsigned char hash[AUTH_HASH_LEN];
	struct principal p;
	struct store *s;
	json_t *ev = NULL;
	int64_t id, now = (int64_t)time(NULL), expires = INT64_MIN;
	int rc, status = EXIT_FAILURE;

	if (cli->user == NULL)
		return (usage());
	if (cli->expires_days > 0)
		expires = now + cli->expires_days * 86400;
	if ((s = open_db(cfg)) == NULL)
		return (EXIT_FAILURE);
	if (store_begin(s) == -1)
		goto out;
	if ((rc = store_user_get(s, cli->user, &p)) != 0) {
		if (rc == 1)
			fprintf(stderr, "breachclockd: there is no user called "
			    "%s\n", cli->user);
		goto rollback;
	}
	auth_token_new(token, hash);
	if (store_token_add(s, p.user_id, hash, now, expires, &id) == -1)
		goto rollback;
	ev = json_pack("{s:I, s:s, s:o}", "token_id", (json_int_t)id, "user",
	    cli->user, "expires_at", store_json_time(expires));
	if (ev == NULL || audit_append(s, now, "cli", "token.created", 0, ev,
	    NULL) == -1 || store_commit(s) == -1)
		goto rollback;
	printf("%s\n", token);
	sodium_memzero(token, sizeof(token));
	status = fflush(stdout) == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
	goto out;
rollback:
	store_rollback(s);
out:
	json_decref(ev);
	store_close(s);
	return (status);
}

static int
cmd_audit_verify(const struct config *cfg)
{
	struct store *s;
	int64_t count, broken;
	int status = EXIT_FAILURE;

	if ((s = open_db(cfg)) == NULL)
		return (EXIT_FAILURE);
	if (audit_verify(s, &count, &broken) == 0) {
		if (broken == 0) {
			printf("ok events=%lld\n", (long long)count);
			status = EXIT_SUCCESS;
		} else {
			printf("broken at event=%lld\n", (long long)broken);
		}
	}
	store_close(s);
	return (status);
}

/* Read a whole file of at most max bytes into a new buffer; NULL on
 * error (printed). */
static char *
read_file(const char *path, size_t max, size_t *len)
{
	FILE *f;
	char *buf;

	if ((f = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "breachclockd: %s: %s\n", path, strerror(errno));
		return (NULL);
	}
	if ((buf = malloc(max + 1)) == NULL) {
		fclose(f);
		return (NULL);
	}
	*len = fread(buf, 1, max + 1, f);
	if (ferror(f) || *len > max) {
		fprintf(stderr, "breachclockd: %s: %s\n", path, ferror(f) ?
		    "read error" : "file too large");
		free(buf);
		fclose(f);
		return (NULL);
	}
	fclose(f);
	return (buf);
}

static int
cmd_holidays_import(const struct config *cfg, const struct cli *cli)
{
	struct rules_config rc;
	struct store *s;
	char err[256];
	const char *set;
	json_t *sets = NULL, *days, *ev = NULL, *counts = NULL;
	int64_t now = (int64_t)time(NULL);
	size_t len, n;
	char *text;
	int status = EXIT_FAILURE;

	if (cli->file == NULL)
		return (usage());
	if ((text = read_file(cli->file, HOLIDAYS_MAX_TEXT, &len)) == NULL)
		return (EXIT_FAILURE);
	if (holidays_parse_govuk(text, len, &sets, err, sizeof(err)) == -1) {
		fprintf(stderr, "breachclockd: %s: %s\n", cli->file, err);
		free(text);
		return (EXIT_FAILURE);
	}
	free(text);
	if ((s = open_db(cfg)) == NULL) {
		json_decref(sets);
		return (EXIT_FAILURE);
	}
	rc.art34_target_hours = cfg->art34_target_hours;
	rc.default_jurisdictions = cfg->jurisdiction_list;
	if (store_begin(s) == -1 || (counts = json_object()) == NULL)
		goto out;
	json_object_foreach(sets, set, days) {
		if (store_holiday_replace(s, set, days, "GOV.UK "
		    "bank-holidays.json import", now) != 0)
			goto rollback;
		json_object_set_new(counts, set,
		    json_integer((json_int_t)json_array_size(days)));
	}
	ev = json_pack("{s:s, s:O}", "file", cli->file, "days", counts);
	if (ev == NULL || audit_append(s, now, "cli", "holidays.imported", 0,
	    ev, NULL) == -1 ||
	    obligations_recompute_open(s, &rc, "cli", now, &n) == -1 ||
	    store_commit(s) == -1)
		goto rollback;
	json_object_foreach(counts, set, days)
		printf("%s=%lld ", set, (long long)json_integer_value(days));
	printf("incidents_recomputed=%zu\n", n);
	status = EXIT_SUCCESS;
	goto out;
rollback:
	store_rollback(s);
	fprintf(stderr, "breachclockd: import failed; nothing was changed\n");
out:
	json_decref(sets);
	json_decref(counts);
	json_decref(ev);
	store_close(s);
	return (status);
}

static int
cmd_backup(const struct config *cfg, const struct cli *cli)
{
	struct store_backup_info info;
	int rc;

	if (cli->to == NULL)
		return (usage());
	if ((rc = store_backup_copy(cfg->db, cli->to, &info)) != 0)
		return (rc == 1 ? EXIT_USAGE : EXIT_FAILURE);
	printf("ok pages=%lld schema_version=%d\n", (long long)info.pages,
	    info.schema_version);
	return (fflush(stdout) == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}

/*
 * Restore: refuse while the database is in use, stage the backup beside
 * it, bring it to this program's schema, verify its audit chain, then
 * rename it into place.
 */
static int
cmd_restore(const struct config *cfg, const struct cli *cli)
{
	struct store_backup_info info;
	struct store *s;
	char tmp[PATH_MAX];
	int64_t events, broken = 0;
	int rc, applied = 0;

	if (cli->from == NULL)
		return (usage());
	if ((rc = store_backup_in_use(cfg->db)) != 0) {
		if (rc == 1)
			fprintf(stderr, "breachclockd: %s is in use; stop "
			    "breachclockd before restoring\n", cfg->db);
		return (EXIT_FAILURE);
	}
	if (store_backup_stage(cli->from, cfg->db, tmp, sizeof(tmp), &info) ==
	    -1)
		return (EXIT_FAILURE);
	rc = -1;
	if ((s = store_open(tmp)) != NULL) {
		if (store_migrate(s, &applied) == 0 &&
		    audit_verify(s, &events, &broken) == 0)
			rc = broken == 0 ? 0 : 1;
		store_close(s);
	}
	if (rc == 1)
		fprintf(stderr, "breachclockd: the backup's audit chain is "
		    "broken at event %lld; not restored\n", (long long)broken);
	if (rc == 0 && (rc = store_backup_install(tmp, cfg->db)) == 1)
		fprintf(stderr, "breachclockd: %s is in use; stop "
		    "breachclockd before restoring\n", cfg->db);
	if (rc != 0) {
		store_backup_discard(tmp);
		return (EXIT_FAILURE);
	}
	printf("ok pages=%lld schema_version=%d migrated=%d events=%lld\n",
	    (long long)info.pages, info.schema_version, applied,
	    (long long)events);
	return (fflush(stdout) == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}

/* One retention pass now (or judged at --now), whatever the server does. */
static int
cmd_retention_run(const struct config *cfg, const struct cli *cli)
{
	struct store *s;
	int64_t now = (int64_t)time(NULL), judge_at = now;
	size_t n;
	int rc;

	if (cli->now != NULL && timeutil_parse(cli->now, &judge_at) == -1) {
		fprintf(stderr, "breachclockd: --now %s\n",
		    timeutil_parse_why(cli->now));
		return (EXIT_USAGE);
	}
	if (cfg->retention == 0) {
		fprintf(stderr, "breachclockd: retention is off (set "
		    "retention in the config file, or --retention)\n");
		printf("anonymised=0\n");
		return (EXIT_SUCCESS);
	}
	if ((s = open_db(cfg)) == NULL)
		return (EXIT_FAILURE);
	rc = retention_run(s, cfg->retention, judge_at, now, "cli", &n);
	store_close(s);
	printf("anonymised=%zu\n", n);
	return (rc == 0 && fflush(stdout) == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}

/*
 * The notice template directory: the setting, else the installed one if
 * it exists, else the source tree's (a build run in place).
 */
static const char *
template_dir(const struct config *cfg)
{
	struct stat st;

	if (cfg->template_dir[0] != '\0')
		return (cfg->template_dir);
	if (stat(BREACHCLOCK_TEMPLATE_DIR, &st) == 0 && S_ISDIR(st.st_mode))
		return (BREACHCLOCK_TEMPLATE_DIR);
	return (BREACHCLOCK_SOURCE_TEMPLATE_DIR);
}

static int
serve(const struct config *cfg)
{
	struct http *h;
	struct retention *ret;
	struct store *keep;
	sigset_t set;
	char url[CONFIG_VALUE_MAX + 32], port[8];
	const char *colon;
	int sig;

	if (cmd_migrate(cfg) != EXIT_SUCCESS)
		return (EXIT_FAILURE);
	store_set_path(cfg->db);
	notices_set_dir(template_dir(cfg));
	api_metrics_started((int64_t)time(NULL));
	/* Block the stop signals in every thread; this one waits for them. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* Past a file size limit (ulimit -f) a write fails with EFBIG, and
	 * the request with 503, instead of the signal killing the server. */
	signal(SIGXFSZ, SIG_IGN);
	/* The retention pass has a connection of its own, open for as long
	 * as the server runs (which also tells restore the database is in
	 * use). */
	if ((keep = store_open(cfg->db)) == NULL || (ret = retention_start(keep,
	    cfg->retention, cfg->retention_interval)) == NULL) {
		store_shutdown();
		return (EXIT_FAILURE);
	}
	if ((h = http_start(cfg)) == NULL) {
		retention_stop(ret);
		store_shutdown();
		return (EXIT_FAILURE);
	}
	colon = strrchr(cfg->listen, ':');
	snprintf(port, sizeof(port), "%u", (unsigned)http_port(h));
	snprintf(url, sizeof(url), "http://%.*s:%u",
	    (int)(colon - cfg->listen), cfg->listen, (unsigned)http_port(h));
	log_event(LOG_INFO, "listening", "url", url, "port", port, "db",
	    cfg->db, "templates", notices_dir(), NULL);
	while (sigwait(&set, &sig) != 0)
		;
	log_event(LOG_INFO, "stopping", "signal", sig == SIGTERM ? "TERM" :
	    "INT", NULL);
	http_stop(h);
	retention_stop(ret);
	store_shutdown();
	log_event(LOG_INFO, "stopped", NULL);
	return (EXIT_SUCCESS);
}

/*
 * A command line that names no command this program has: say which
 * commands (or which subcommands of a known command) there are.
 */
static int
unknown_command(const char *cmd, const char *sub)
{
	static const struct {
		const char *cmd, *subs;
	} cmds[] = {
		{ "migrate", NULL }, { "user", "add, password" },
		{ "token", "create" }, { "audit", "verify" },
		{ "holidays", "import" }, { "backup", NULL },
		{ "restore", NULL }, { "retention", "run" },
	};
	size_t i, n = sizeof(cmds) / sizeof(cmds[0]);

	for (i = 0; i < n; i++)
		if (strcmp(cmds[i].cmd, cmd) == 0 && cmds[i].subs != NULL) {
			if (sub[0] == '\0' || sub[0] == '-')
				fprintf(stderr, "breachclockd: '%s' needs a "
				    "subcommand: %s\n", cmd, cmds[i].subs);
			else
				fprintf(stderr, "breachclockd: unknown command "
				    "'%s %.64s'; '%s' takes: %s\n", cmd, sub,
				    cmd, cmds[i].subs);
			return (usage());
		}
	fprintf(stderr, "breachclockd: unknown command '%.64s'; the "
	    "commands are:", cmd);
	for (i = 0; i < n; i++)
		fprintf(stderr, "%s %s", i > 0 ? "," : "", cmds[i].cmd);
	fputs(" (or none, to serve)\n", stderr);
	return (usage());
}

int
main(int argc, char **argv)
{
	struct config cfg;
	struct cli cli;
	const char *cmd = argc > 1 ? argv[1] : "";
	const char *sub = argc > 2 ? argv[2] : "";
	const char *why;
	int rc;

	/* Before any thread: the zone conversions switch TZ under a lock. */
	calendar_global_init();
	store_global_init();
	if (sodium_init() < 0) {
		fprintf(stderr, "breachclockd: libsodium failed to start\n");
		return (EXIT_FAILURE);
	}
	if (iso3166_init(&why) == -1) {
		fprintf(stderr, "breachclockd: ISO 3166 codes: %s\n", why);
		return (EXIT_FAILURE);
	}
	if (strcmp(cmd, "migrate") == 0) {
		if ((rc = parse_args(argc, argv, 2, &cfg, &cli)) != 0)
			return (rc);
		return (cmd_migrate(&cfg));
	}
	if (strcmp(cmd, "user") == 0 && strcmp(sub, "add") == 0) {
		if ((rc = parse_args(argc, argv, 3, &cfg, &cli)) != 0)
			return (rc);
		return (cmd_user_add(&cfg, &cli));
	}
	if (strcmp(cmd, "user") == 0 && strcmp(sub, "password") == 0) {
		if ((rc = parse_args(argc, argv, 3, &cfg, &cli)) != 0)
			return (rc);
		return (cmd_user_password(&cfg, &cli));
	}
	if (strcmp(cmd, "token") == 0 && strcmp(sub, "create") == 0) {
		if ((rc = parse_args(argc, argv, 3, &cfg, &cli)) != 0)
			return (rc);
		return (cmd_token_create(&cfg, &cli));
	}
	if (strcmp(cmd, "audit") == 0 && strcmp(sub, "verify") == 0) {
		if ((rc = parse_args(argc, argv, 3, &cfg, &cli)) != 0)
			return (rc);
		return (cmd_audit_verify(&cfg));
	}
	if (strcmp(cmd, "holidays") == 0 && strcmp(sub, "import") == 0) {
		if ((rc = parse_args(argc, argv, 3, &cfg, &cli)) != 0)
			return (rc);
		return (cmd_holidays_import(&cfg, &cli));
	}
	if (strcmp(cmd, "backup") == 0 || strcmp(cmd, "restore") == 0) {
		if ((rc = parse_args(argc, argv, 2, &cfg, &cli)) != 0)
			return (rc);
		return (cmd[0] == 'b' ? cmd_backup(&cfg, &cli) :
		    cmd_restore(&cfg, &cli));
	}
	if (strcmp(cmd, "retention") == 0 && strcmp(sub, "run") == 0) {
		if ((rc = parse_args(argc, argv, 3, &cfg, &cli)) != 0)
			return (rc);
		return (cmd_retention_run(&cfg, &cli));
	}
	if (cmd[0] != '\0' && cmd[0] != '-')
		return (unknown_command(cmd, sub));
	if ((rc = parse_args(argc, argv, 1, &cfg, &cli)) != 0)
		return (rc);
	if (cli.name != NULL || cli.role != NULL || cli.user != NULL ||
	    cli.email != NULL || cli.expires_days != 0 || cli.file != NULL ||
	    cli.tz != NULL || cli.to != NULL || cli.from != NULL ||
	    cli.now != NULL) {
		fprintf(stderr, "breachclockd: that option belongs to a "
		    "subcommand\n");
		return (usage());
	}
	return (serve(&cfg));
}
