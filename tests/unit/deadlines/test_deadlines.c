/*
 * Data-driven tests of the deadline engine (server/rules.c).
 *
 * Each scenario is one JSON file in tests/unit/deadlines/:
 *
 *   {"name": "...", "note": "optional: the reasoning",
 *    "facts": {"status": "confirmed", "role": "controller",
 *              "discovered_at": "...", "aware_at": "...",
 *              "risk": "none|unlikely|risk|high", "risk_decided_at": "...",
 *              "first_high_at": "...", "controller_notice_hours": 24},
 *    "config": {"art34_target_hours": 72},
 *    "expect": {"<regime id>": {"exists": true, "required": true,
 *                               "starts_at": "...Z", "due_at": "...Z",
 *                               "basis_contains": "Art. 33(1)"}, ...}}
 *
 * or "expect": {"error": true} when rules_compute must fail.  Times in
 * facts may carry any offset; expected instants are UTC strings compared
 * with the formatted result.  Missing facts are unknown (null), "role"
 * defaults to controller, "controller_notice_hours" to 24 and
 * "art34_target_hours" to 72.  Every regime must be stated in "expect",
 * and unknown keys are errors, so a typo cannot pass silently.
 *
 * Usage: test_deadlines [--count N] PATH
 * PATH is one scenario file or a directory whose *.json files are run in
 * sorted order.  With --count, a directory must hold exactly N scenarios
 * (meson registers each file as its own test; this catches a file that
 * was added but not registered).
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>
#include <jansson.h>

#include "rules.h"
#include "timeutil.h"

/* Check that obj has only keys from the NULL-terminated list allowed. */
static int
only_keys(const char *file, const char *what, json_t *obj,
    const char *const *allowed)
{
	const char *k;
	json_t *v;
	int bad = 0;

	json_object_foreach(obj, k, v) {
		size_t i;

		for (i = 0; allowed[i] != NULL; i++)
			if (strcmp(k, allowed[i]) == 0)
				break;
		if (allowed[i] == NULL) {
			print_error("%s: unknown key \"%s\" in %s\n", file, k,
			    what);
			bad++;
		}
	}
	return (bad);
}

/* Read an optional time; missing or null is RULES_NO_TIME. */
static int
get_time(const char *file, json_t *obj, const char *key, int64_t *out)
{
	json_t *v = json_object_get(obj, key);

	*out = RULES_NO_TIME;
	if (v == NULL || json_is_null(v))
		return (0);
	if (!json_is_string(v) || timeutil_parse(json_string_value(v),
	    out) == -1) {
		print_error("%s: facts.%s is not an RFC 3339 time\n", file,
		    key);
		return (1);
	}
	return (0);
}

/* Read an optional integer into *out (left unchanged when missing). */
static int
get_int(const char *file, json_t *obj, const char *key, int64_t *out)
{
	json_t *v = json_object_get(obj, key);

	if (v == NULL)
		return (0);
	if (!json_is_integer(v)) {
		print_error("%s: %s is not an integer\n", file, key);
		return (1);
	}
	*out = (int64_t)json_integer_value(v);
	return (0);
}

/* Map a string to its index in names; return the index or -1. */
static int
get_enum(const char *file, json_t *obj, const char *key, const char *dflt,
    const char *const *names, int n)
{
	json_t *v = json_object_get(obj, key);
	const char *s = dflt;

	if (v != NULL && !json_is_null(v)) {
		if (!json_is_string(v)) {
			print_error("%s: facts.%s is not a string\n", file,
			    key);
			return (-1);
		}
		s = json_string_value(v);
	}
	if (s == NULL) {
		print_error("%s: facts.%s is required\n", file, key);
		return (-1);
	}
	for (int i = 0; i < n; i++)
		if (strcmp(s, names[i]) == 0)
			return (i);
	print_error("%s: facts.%s: unknown value \"%s\"\n", file, key, s);
	return (-1);
}

static int
read_facts(const char *file, json_t *jf, json_t *jc, struct rules_facts *f,
    struct rules_config *c)
{
	static const char *const fact_keys[] = { "status", "role",
		"discovered_at", "aware_at", "risk", "risk_decided_at",
		"first_high_at", "controller_notice_hours", NULL };
	static const char *const config_keys[] = { "art34_target_hours",
		NULL };
	static const char *const statuses[] = { "suspected", "investigating",
		"confirmed", "not_a_breach", "contained", "closed" };
	static const char *const risks[] = { "none", "unlikely", "risk",
		"high" };
	static const char *const roles[] = { "controller", "processor" };
	int bad = 0, e;

	if (!json_is_object(jf) || (jc != NULL && !json_is_object(jc))) {
		print_error("%s: facts and config must be objects\n", file);
		return (1);
	}
	bad += only_keys(file, "facts", jf, fact_keys);
	if (jc != NULL)
		bad += only_keys(file, "config", jc, config_keys);

	memset(f, 0, sizeof(*f));
	if ((e = get_enum(file, jf, "status", NULL, statuses, 6)) == -1)
		bad++;
	else
		f->status = (enum rules_status)e;
	if ((e = get_enum(file, jf, "role", "controller", roles, 2)) == -1)
		bad++;
	else
		f->role = (enum rules_role)e;
	if ((e = get_enum(file, jf, "risk", "none", risks, 4)) == -1)
		bad++;
	else
		f->risk = (enum rules_risk)e;
	bad += get_time(file, jf, "discovered_at", &f->discovered_at);
	bad += get_time(file, jf, "aware_at", &f->aware_at);
	bad += get_time(file, jf, "risk_decided_at", &f->risk_decided_at);
	bad += get_time(file, jf, "first_high_at", &f->first_high_at);
	f->controller_notice_hours = 24;
	bad += get_int(file, jf, "controller_notice_hours",
	    &f->controller_notice_hours);
	c->art34_target_hours = 72;
	if (jc != NULL)
		bad += get_int(file, jc, "art34_target_hours",
		    &c->art34_target_hours);
	return (bad);
}

/* Compare one computed time with an expected UTC string, if one is given. */
static int
check_time(const char *file, const char *regime, const char *key,
    json_t *want, int64_t got)
{
	char buf[TIMEUTIL_RFC3339_LEN];
	const char *gs;

	if (want == NULL)
		return (0);
	if (!json_is_string(want)) {
		print_error("%s: expect.%s.%s is not a string\n", file, regime,
		    key);
		return (1);
	}
	if (got == RULES_NO_TIME)
		gs = "(none)";
	else if (timeutil_format(got, buf, sizeof(buf)) == -1)
		gs = "(out of range)";
	else
		gs = buf;
	if (strcmp(gs, json_string_value(want)) != 0) {
		print_error("%s: %s.%s: got %s, want %s\n", file, regime, key,
		    gs, json_string_value(want));
		return (1);
	}
	return (0);
}

static int
check_bool(const char *file, const char *regime, const char *key,
    json_t *want, bool got)
{
	if (!json_is_boolean(want)) {
		print_error("%s: expect.%s.%s must be a boolean\n", file,
		    regime, key);
		return (1);
	}
	if (json_is_true(want) != got) {
		print_error("%s: %s.%s: got %s, want %s\n", file, regime, key,
		    got ? "true" : "false", got ? "false" : "true");
		return (1);
	}
	return (0);
}

static int
check_obligation(const char *file, const char *regime, json_t *want,
    const struct rules_obligation *o)
{
	static const char *const keys[] = { "exists", "required",
		"starts_at", "due_at", "basis_contains", NULL };
	json_t *v;
	int bad;

	if (!json_is_object(want)) {
		print_error("%s: expect.%s must be an object\n", file, regime);
		return (1);
	}
	bad = only_keys(file, regime, want, keys);
	bad += check_bool(file, regime, "exists",
	    json_object_get(want, "exists"), o->exists);
	if (o->basis == NULL || o->basis[0] == '\0') {
		print_error("%s: %s: empty basis\n", file, regime);
		bad++;
	}
	if ((v = json_object_get(want, "basis_contains")) != NULL &&
	    (!json_is_string(v) || o->basis == NULL ||
	    strstr(o->basis, json_string_value(v)) == NULL)) {
		print_error("%s: %s: basis \"%s\" lacks the expected text\n",
		    file, regime, o->basis != NULL ? o->basis : "(null)");
		bad++;
	}
	if (!o->exists) {
		/* Nothing else may be claimed of an absent obligation. */
		if (json_object_get(want, "required") != NULL ||
		    json_object_get(want, "starts_at") != NULL ||
		    json_object_get(want, "due_at") != NULL) {
			print_error("%s: %s: expectations for an obligation "
			    "that does not exist\n", file, regime);
			bad++;
		}
		if (o->required) {
			print_error("%s: %s: required but does not exist\n",
			    file, regime);
			bad++;
		}
		return (bad);
	}
	if (json_object_get(want, "required") == NULL ||
	    json_object_get(want, "due_at") == NULL) {
		print_error("%s: expect.%s: an existing obligation must state "
		    "required and due_at\n", file, regime);
		bad++;
	}
	if ((v = json_object_get(want, "required")) != NULL)
		bad += check_bool(file, regime, "required", v, o->required);
	bad += check_time(file, regime, "starts_at",
	    json_object_get(want, "starts_at"), o->starts_at);
	bad += check_time(file, regime, "due_at",
	    json_object_get(want, "due_at"), o->due_at);
	return (bad);
}

/* Run one scenario file; return the number of failed checks. */
static int
run_scenario(const char *file)
{
	static const char *const top_keys[] = { "name", "note", "facts",
		"config", "expect", NULL };
	struct rules_obligation out[RULES_NREGIMES];
	struct rules_facts f;
	struct rules_config c;
	json_error_t jerr;
	json_t *root, *expect, *err;
	int bad = 0, rc;

	if ((root = json_load_file(file, JSON_REJECT_DUPLICATES, &jerr)) ==
	    NULL) {
		print_error("%s:%d: %s\n", file, jerr.line, jerr.text);
		return (1);
	}
	if (!json_is_object(root) ||
	    !json_is_string(json_object_get(root, "name")) ||
	    !json_is_object(expect = json_object_get(root, "expect"))) {
		print_error("%s: needs \"name\", \"facts\" and \"expect\"\n",
		    file);
		json_decref(root);
		return (1);
	}
	bad += only_keys(file, "the scenario", root, top_keys);
	bad += read_facts(file, json_object_get(root, "facts"),
	    json_object_get(root, "config"), &f, &c);
	if (bad != 0)
		goto done;

	rc = rules_compute(&f, &c, out);
	if ((err = json_object_get(expect, "error")) != NULL) {
		if (!json_is_true(err) || json_object_size(expect) != 1) {
			print_error("%s: \"error\" must be true and alone\n",
			    file);
			bad++;
		} else if (rc != -1) {
			print_error("%s: rules_compute succeeded, want -1\n",
			    file);
			bad++;
		}
		goto done;
	}
	if (rc != 0) {
		print_error("%s: rules_compute failed\n", file);
		bad++;
		goto done;
	}
	if (json_object_size(expect) != RULES_NREGIMES) {
		print_error("%s: expect must state all %d regimes\n", file,
		    RULES_NREGIMES);
		bad++;
	}
	for (int i = 0; i < RULES_NREGIMES; i++) {
		const char *id = rules_regime_id((enum rules_regime)i);
		json_t *want = json_object_get(expect, id);

		if (want == NULL) {
			print_error("%s: expect.%s is missing\n", file, id);
			bad++;
			continue;
		}
		if (out[i].regime != (enum rules_regime)i) {
			print_error("%s: out[%d] has regime %d\n", file, i,
			    (int)out[i].regime);
			bad++;
		}
		bad += check_obligation(file, id, want, &out[i]);
	}
done:
	json_decref(root);
	return (bad);
}

static void
test_scenario(void **state)
{
	const char *file = *state;

	assert_int_equal(run_scenario(file), 0);
}

static int
is_json(const struct dirent *de)
{
	size_t n = strlen(de->d_name);

	return (de->d_name[0] != '.' && n > 5 &&
	    strcmp(de->d_name + n - 5, ".json") == 0);
}

static void
usage(void)
{
	fprintf(stderr, "usage: test_deadlines [--count N] PATH\n");
	exit(2);
}

int
main(int argc, char *argv[])
{
	struct CMUnitTest *tests = NULL;
	struct dirent **names = NULL;
	struct stat sb;
	char **paths = NULL;
	const char *path;
	long count = -1;
	int n = 0, rc = 1;

	if (argc == 4 && strcmp(argv[1], "--count") == 0) {
		char *end;

		errno = 0;
		count = strtol(argv[2], &end, 10);
		if (errno != 0 || end == argv[2] || *end != '\0' || count < 0)
			usage();
		path = argv[3];
	} else if (argc == 2)
		path = argv[1];
	else
		usage();

	if (stat(path, &sb) == -1) {
		fprintf(stderr, "test_deadlines: %s: %s\n", path,
		    strerror(errno));
		return (1);
	}
	if (S_ISDIR(sb.st_mode)) {
		if ((n = scandir(path, &names, is_json, alphasort)) == -1) {
			fprintf(stderr, "test_deadlines: %s: %s\n", path,
			    strerror(errno));
			return (1);
		}
		if (count >= 0 && n != count) {
			fprintf(stderr, "test_deadlines: %s holds %d "
			    "scenarios, %ld are registered in meson.build\n",
			    path, n, count);
			goto out;
		}
	} else
		n = 1;
	if (n == 0) {
		fprintf(stderr, "test_deadlines: no scenarios in %s\n", path);
		goto out;
	}

	/* paths[i] and tests[] are owned here and freed at out. */
	if ((paths = calloc((size_t)n, sizeof(*paths))) == NULL ||
	    (tests = calloc((size_t)n, sizeof(*tests))) == NULL)
		goto out;
	for (int i = 0; i < n; i++) {
		if (names != NULL) {
			if (asprintf(&paths[i], "%s/%s", path,
			    names[i]->d_name) == -1) {
				paths[i] = NULL;
				goto out;
			}
		} else if ((paths[i] = strdup(path)) == NULL)
			goto out;
		tests[i].name = paths[i];
		tests[i].test_func = test_scenario;
		tests[i].initial_state = paths[i];
	}
	rc = _cmocka_run_group_tests("deadlines", tests, (size_t)n, NULL,
	    NULL);
out:
	for (int i = 0; paths != NULL && i < n; i++)
		free(paths[i]);
	free(paths);
	free(tests);
	for (int i = 0; names != NULL && i < n; i++)
		free(names[i]);
	free(names);
	return (rc != 0);
}
