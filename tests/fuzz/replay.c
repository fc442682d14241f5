/*
 * replay: run a harness over files and directories of inputs, as the
 * normal test suite does with tests/fuzz/corpus/<name>/ (without libFuzzer,
 * so any compiler builds it).  Every directory given must hold at least one
 * input.  Exit 0 when every input ran; a failed oracle or a sanitizer stops
 * the program first.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

#define INPUT_MAX (16 * 1024 * 1024)

static int
run_file(const char *path)
{
	FILE *f;
	uint8_t *buf;
	size_t n;

	if ((f = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return (-1);
	}
	if ((buf = malloc(INPUT_MAX)) == NULL) {
		fclose(f);
		return (-1);
	}
	n = fread(buf, 1, INPUT_MAX, f);
	if (ferror(f) || !feof(f)) {
		fprintf(stderr, "%s: cannot read it whole\n", path);
		fclose(f);
		free(buf);
		return (-1);
	}
	fclose(f);
	/* An exact-size copy, so that reading past the input is caught. */
	{
		uint8_t *in = malloc(n > 0 ? n : 1);

		if (in == NULL) {
			free(buf);
			return (-1);
		}
		memcpy(in, buf, n);
		free(buf);
		LLVMFuzzerTestOneInput(in, n);
		free(in);
	}
	return (0);
}

static int
compare(const void *a, const void *b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

/* Run every regular file in dir, in name order: the count, or -1. */
static long
run_dir(const char *dir)
{
	char **names = NULL, path[4096];
	size_t n = 0, cap = 0;
	struct dirent *de;
	struct stat sb;
	long count = 0;
	DIR *d;

	if ((d = opendir(dir)) == NULL) {
		fprintf(stderr, "%s: %s\n", dir, strerror(errno));
		return (-1);
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (n == cap) {
			char **nn;

			cap = cap == 0 ? 64 : cap * 2;
			if ((nn = realloc(names, cap * sizeof(*nn))) == NULL)
				break;
			names = nn;
		}
		if ((names[n] = strdup(de->d_name)) == NULL)
			break;
		n++;
	}
	closedir(d);
	if (n > 0)
		qsort(names, n, sizeof(*names), compare);
	for (size_t i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode)) {
			if (run_file(path) == -1) {
				count = -1;
				break;
			}
			count++;
		}
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return (count);
}

int
main(int argc, char **argv)
{
	struct stat sb;
	long total = 0, c;

	LLVMFuzzerInitialize(&argc, &argv);
	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
		return (2);
	}
	for (int i = 1; i < argc; i++) {
		if (stat(argv[i], &sb) == -1) {
			fprintf(stderr, "%s: %s\n", argv[i], strerror(errno));
			return (1);
		}
		if (S_ISDIR(sb.st_mode)) {
			if ((c = run_dir(argv[i])) <= 0) {
				fprintf(stderr, "%s: no inputs\n", argv[i]);
				return (1);
			}
			total += c;
		} else {
			if (run_file(argv[i]) == -1)
				return (1);
			total++;
		}
	}
	printf("%ld inputs ran\n", total);
	return (0);
}
