/* iso3166: country and subdivision codes from iso-codes (iso3166.h). */
#include <jansson.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "iso3166.h"

#ifndef ISO3166_DIR
#define ISO3166_DIR "/usr/share/iso-codes/json"
#endif

#define CODE_MAX 8                     /* "US-TX" and the like, with NUL */

static pthread_once_t once = PTHREAD_ONCE_INIT;
static char (*codes)[CODE_MAX];        /* sorted */
static size_t ncodes;
static const char *load_why = "not read yet";

static int
cmp(const void *a, const void *b)
{
	return (strcmp(a, b));
}

/* Append the `member` string of every object of file's array `list`. */
static int
add_file(const char *file, const char *list, const char *member)
{
	json_t *doc, *arr, *item;
	const char *s;
	size_t i, n;
	void *grown;
	int rc = -1;

	if ((doc = json_load_file(file, 0, NULL)) == NULL) {
		load_why = "cannot read " ISO3166_DIR "/iso_3166-{1,2}.json "
		    "(Debian package iso-codes)";
		return (-1);
	}
	arr = json_object_get(doc, list);
	n = json_array_size(arr);
	if (n == 0 || (grown = realloc(codes, (ncodes + n) *
	    sizeof(*codes))) == NULL) {
		load_why = n == 0 ? "an iso-codes file has no codes" :
		    "out of memory";
		goto out;
	}
	codes = grown;
	json_array_foreach(arr, i, item) {
		s = json_string_value(json_object_get(item, member));
		if (s == NULL || strlen(s) >= CODE_MAX) {
			load_why = "an iso-codes file has a malformed code";
			goto out;
		}
		memcpy(codes[ncodes++], s, strlen(s) + 1);
	}
	rc = 0;
out:
	json_decref(doc);
	return (rc);
}

static void
load(void)
{
	if (add_file(ISO3166_DIR "/iso_3166-1.json", "3166-1", "alpha_2") ==
	    -1 || add_file(ISO3166_DIR "/iso_3166-2.json", "3166-2", "code") ==
	    -1) {
		free(codes);
		codes = NULL;
		ncodes = 0;
		return;
	}
	qsort(codes, ncodes, sizeof(*codes), cmp);
	load_why = NULL;
}

int
iso3166_init(const char **why)
{
	pthread_once(&once, load);
	*why = load_why;
	return (load_why == NULL ? 0 : -1);
}

bool
iso3166_valid(const char *code)
{
	const char *why;

	if (iso3166_init(&why) == -1 || strlen(code) >= CODE_MAX)
		return (false);
	return (bsearch(code, codes, ncodes, sizeof(*codes), cmp) != NULL);
}

const char *
iso3166_meant(const char *code)
{
	if (strcmp(code, "UK") == 0)
		return ("GB");
	if (strcmp(code, "EL") == 0)
		return ("GR");
	return (NULL);
}
