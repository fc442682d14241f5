#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "scenarios.h"

/* The runner's check, for the cmocka test function below. */
static int (*run_one)(const char *file);

static void
test_scenario(void **state)
{
	const char *file = *state;

	assert_int_equal(run_one(file), 0);
}

static int
is_json(const struct dirent *de)
{
	size_t n = strlen(de->d_name);

	return (de->d_name[0] != '.' && n > 5 &&
	    strcmp(de->d_name + n - 5, ".json") == 0);
}

int
scenarios_count(const char *s, long *count)
{
	char *end;

	errno = 0;
	*count = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || *count < 0)
		return (-1);
	return (0);
}

int
scenarios_main(const char *group, const char *path, long count,
    int (*run)(const char *file))
{
	struct CMUnitTest *tests = NULL;
	struct dirent **names = NULL;
	struct stat sb;
	char **paths = NULL;
	int n = 0, rc = 1;

	run_one = run;
	if (stat(path, &sb) == -1) {
		fprintf(stderr, "%s: %s: %s\n", group, path, strerror(errno));
		return (1);
	}
	if (S_ISDIR(sb.st_mode)) {
		if ((n = scandir(path, &names, is_json, alphasort)) == -1) {
			fprintf(stderr, "%s: %s: %s\n", group, path,
			    strerror(errno));
			return (1);
		}
		if (count >= 0 && n != count) {
			fprintf(stderr, "%s: %s holds %d scenarios, %ld are "
			    "registered in meson.build\n", group, path, n,
			    count);
			goto out;
		}
	} else
		n = 1;
	if (n == 0) {
		fprintf(stderr, "%s: no scenarios in %s\n", group, path);
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
	rc = _cmocka_run_group_tests(group, tests, (size_t)n, NULL, NULL);
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
