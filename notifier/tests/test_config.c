/* Unit tests of notifier/config.c: defaults < file < environment < flags. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "config.h"

static char path[64];

static int
setup(void **state)
{
	const char *text =
	    "# notifier settings\n"
	    "server = http://file:1\n"
	    "smtp-host = file.example\n"
	    "smtp-tls = starttls\n"
	    "poll-wait = 10\n"
	    "  from =  File <file@example.com>  \n"
	    "\n"
	    "spool = /tmp/file-spool\n"
	    "concurrency = 16\n";
	int fd;

	(void)state;
	snprintf(path, sizeof(path), "/tmp/notifier-config-XXXXXX");
	if ((fd = mkstemp(path)) == -1)
		return (-1);
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
		close(fd);
		return (-1);
	}
	close(fd);
	return (0);
}

static int
teardown(void **state)
{
	(void)state;
	unlink(path);
	return (0);
}

static void
test_defaults(void **state)
{
	const char *argv[] = { "n", NULL };
	const char *envp[] = { "PATH=/bin", NULL };
	struct config c;
	char err[CONFIG_ERR_MAX];

	(void)state;
	assert_int_equal(config_load(&c, 1, argv, envp, err, sizeof(err)), 0);
	assert_string_equal(c.server, "http://127.0.0.1:8072");
	assert_string_equal(c.spool, "./var/spool");
	assert_string_equal(c.from, "breachclock@localhost");
	assert_string_equal(c.smtp_host, "");
	assert_int_equal(c.poll_wait, 30);
	assert_int_equal(c.lease, 60);
	assert_int_equal(c.concurrency, 8);
	assert_int_equal(c.smtp_tls, CONFIG_TLS_NONE);
	assert_int_equal(config_smtp_port(&c), 25);
	c.smtp_tls = CONFIG_TLS_STARTTLS;
	assert_int_equal(config_smtp_port(&c), 587);
	c.smtp_tls = CONFIG_TLS_TLS;
	assert_int_equal(config_smtp_port(&c), 465);
	c.smtp_port = 2525;
	assert_int_equal(config_smtp_port(&c), 2525);
}

static void
test_precedence(void **state)
{
	const char *argv[] = { "n", "--config", path, "--poll-wait", "5",
		"--smtp-port=2525", "--once", NULL };
	const char *envp[] = {
		"BREACHCLOCK_NOTIFIER_SMTP_HOST=env.example",
		"BREACHCLOCK_NOTIFIER_POLL_WAIT=20",
		"BREACHCLOCK_NOTIFIER_LOG_LEVEL=debug",
		"BREACHCLOCK_OTHER=ignored",
		NULL };
	struct config c;
	char err[CONFIG_ERR_MAX];

	(void)state;
	assert_int_equal(config_load(&c, 7, argv, envp, err, sizeof(err)), 0);
	assert_string_equal(c.server, "http://file:1");		/* file */
	assert_string_equal(c.from, "File <file@example.com>");	/* file */
	assert_string_equal(c.spool, "/tmp/file-spool");	/* file */
	assert_int_equal(c.smtp_tls, CONFIG_TLS_STARTTLS);	/* file */
	assert_string_equal(c.smtp_host, "env.example");	/* env > file */
	assert_int_equal(c.log_level, LOG_DEBUG);		/* env */
	assert_int_equal(c.poll_wait, 5);			/* flag > env */
	assert_int_equal(c.smtp_port, 2525);			/* flag */
	assert_int_equal(c.once, 1);
	assert_int_equal(c.lease, 60);				/* default */
	assert_int_equal(c.concurrency, 16);			/* file */
}

static void
test_config_from_env(void **state)
{
	const char *argv[] = { "n", NULL };
	char env[128];
	const char *envp[] = { env, NULL };
	struct config c;
	char err[CONFIG_ERR_MAX];

	(void)state;
	snprintf(env, sizeof(env), "BREACHCLOCK_NOTIFIER_CONFIG=%s", path);
	assert_int_equal(config_load(&c, 1, argv, envp, err, sizeof(err)), 0);
	assert_string_equal(c.smtp_host, "file.example");
}

/* Off by default; on by flag, by environment or in the file. */
static void
test_allow_internal_webhooks(void **state)
{
	const char *argv0[] = { "n", NULL };
	const char *argv1[] = { "n", "--allow-internal-webhooks", NULL };
	const char *argv2[] = { "n", "--allow-internal-webhooks=false",
	    NULL };
	const char *envp[] = {
	    "BREACHCLOCK_NOTIFIER_ALLOW_INTERNAL_WEBHOOKS=true", NULL };
	struct config c;
	char err[CONFIG_ERR_MAX];

	(void)state;
	assert_int_equal(config_load(&c, 1, argv0, NULL, err, sizeof(err)),
	    0);
	assert_int_equal(c.allow_internal_webhooks, 0);
	assert_int_equal(config_load(&c, 2, argv1, NULL, err, sizeof(err)),
	    0);
	assert_int_equal(c.allow_internal_webhooks, 1);
	assert_int_equal(config_load(&c, 1, argv0, envp, err, sizeof(err)),
	    0);
	assert_int_equal(c.allow_internal_webhooks, 1);
	assert_int_equal(config_load(&c, 2, argv2, envp, err, sizeof(err)),
	    0);
	assert_int_equal(c.allow_internal_webhooks, 0);
	config_defaults(&c);
	assert_int_equal(config_set(&c, "allow-internal-webhooks", "yes",
	    err, sizeof(err)), 0);
	assert_int_equal(c.allow_internal_webhooks, 1);
	assert_int_equal(config_set(&c, "allow-internal-webhooks", "maybe",
	    err, sizeof(err)), -1);
}

static void
test_concurrency(void **state)
{
	const char *flag[] = { "n", "--concurrency", "64", NULL };
	const char *low[] = { "n", "--concurrency", "0", NULL };
	const char *high[] = { "n", "--concurrency=65", NULL };
	const char *none[] = { "n", NULL };
	const char *envp[] = { "BREACHCLOCK_NOTIFIER_CONCURRENCY=3", NULL };
	const char *noenv[] = { NULL };
	struct config c;
	char err[CONFIG_ERR_MAX];

	(void)state;
	assert_int_equal(config_load(&c, 1, none, envp, err, sizeof(err)), 0);
	assert_int_equal(c.concurrency, 3);			/* env */
	assert_int_equal(config_load(&c, 3, flag, envp, err, sizeof(err)), 0);
	assert_int_equal(c.concurrency, 64);			/* flag > env */
	assert_int_equal(config_load(&c, 3, low, noenv, err, sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "concurrency: must be 1 to 64"));
	assert_int_equal(config_load(&c, 2, high, noenv, err, sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "concurrency"));
}

static void
test_errors(void **state)
{
	const char *bad_range[] = { "n", "--poll-wait", "61", NULL };
	const char *bad_num[] = { "n", "--lease", "10x", NULL };
	const char *unknown[] = { "n", "--smtp-password", "hunter2", NULL };
	const char *missing[] = { "n", "--server", NULL };
	const char *tls[] = { "n", "--smtp-tls", "ssl", NULL };
	const char *help[] = { "n", "--help", NULL };
	const char *envp[] = { "BREACHCLOCK_NOTIFIER_LEASE=1", NULL };
	const char *noenv[] = { NULL };
	struct config c;
	char err[CONFIG_ERR_MAX];

	(void)state;
	assert_int_equal(config_load(&c, 3, bad_range, noenv, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "poll-wait"));
	assert_int_equal(config_load(&c, 3, bad_num, noenv, err,
	    sizeof(err)), -1);
	assert_int_equal(config_load(&c, 3, unknown, noenv, err,
	    sizeof(err)), -1);
	/* The value of an unknown flag is never echoed (it may be a
	 * secret). */
	assert_null(strstr(err, "hunter2"));
	assert_int_equal(config_load(&c, 2, missing, noenv, err,
	    sizeof(err)), -1);
	assert_int_equal(config_load(&c, 3, tls, noenv, err, sizeof(err)),
	    -1);
	assert_int_equal(config_load(&c, 2, help, noenv, err, sizeof(err)),
	    1);
	assert_int_equal(config_load(&c, 1, help, envp, err, sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "BREACHCLOCK_NOTIFIER_LEASE"));
}

static void
test_bad_file(void **state)
{
	const char *argv[] = { "n", "--config", "/nonexistent/x.conf", NULL };
	const char *noenv[] = { NULL };
	struct config c;
	char err[CONFIG_ERR_MAX], p2[64];
	const char *text = "server = x\nnot a setting line\n";
	int fd;

	(void)state;
	assert_int_equal(config_load(&c, 3, argv, noenv, err, sizeof(err)),
	    -1);
	snprintf(p2, sizeof(p2), "/tmp/notifier-config-XXXXXX");
	assert_true((fd = mkstemp(p2)) != -1);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	config_defaults(&c);
	assert_int_equal(config_file(&c, p2, err, sizeof(err)), -1);
	assert_non_null(strstr(err, ":2:"));
	unlink(p2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_precedence),
		cmocka_unit_test(test_config_from_env),
		cmocka_unit_test(test_allow_internal_webhooks),
		cmocka_unit_test(test_concurrency),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_bad_file),
	};

	return (cmocka_run_group_tests(tests, setup, teardown));
}
