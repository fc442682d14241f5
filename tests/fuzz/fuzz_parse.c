/*
 * fuzz_parse: parse_int64 (server/parse.c), which every numeric query
 * parameter, path id and setting goes through, against a reference built
 * on strtoll: the same inputs accepted, the same values.  The first byte
 * picks the bounds, the rest is the text.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <string.h>

#include "fuzz.h"
#include "parse.h"

static const struct {
	int64_t min, max;
} bounds[] = {
	{ INT64_MIN, INT64_MAX },
	{ 0, INT64_MAX },
	{ 1, 500 },
	{ -10, 10 },
	{ 0, 65535 },
	{ 1, 1000000000000LL },
	{ INT64_MIN, -1 },
	{ 5, 5 },
};

/* ^-?(0|[1-9][0-9]*)$ */
static bool
well_formed(const char *s)
{
	if (*s == '-')
		s++;
	if (*s == '0')
		return (s[1] == '\0');
	if (*s < '1' || *s > '9')
		return (false);
	for (; *s != '\0'; s++)
		if (*s < '0' || *s > '9')
			return (false);
	return (true);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return (0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int64_t min, max, out = 42, again;
	long long ref = 0;
	char *s, *end, buf[32];
	bool want;
	int rc;

	if (size == 0)
		return (0);
	min = bounds[data[0] % (sizeof(bounds) / sizeof(bounds[0]))].min;
	max = bounds[data[0] % (sizeof(bounds) / sizeof(bounds[0]))].max;
	if ((s = fuzz_strndup(data + 1, size - 1)) == NULL)
		return (0);
	want = well_formed(s);
	if (want) {
		errno = 0;
		ref = strtoll(s, &end, 10);
		want = errno == 0 && *end == '\0' && ref >= min && ref <= max;
	}
	rc = parse_int64(s, min, max, &out);
	FUZZ_CHECK(rc == (want ? 0 : -1));
	if (rc == 0) {
		FUZZ_CHECK(out == ref);
		snprintf(buf, sizeof(buf), "%lld", (long long)out);
		FUZZ_CHECK(parse_int64(buf, min, max, &again) == 0);
		FUZZ_CHECK(again == out);
	} else {
		FUZZ_CHECK(out == 42);
	}
	free(s);
	return (0);
}
