/*
 * fuzz_timeutil: RFC 3339 instants (server/timeutil.c), the form of every
 * time in a request body or query, and civil dates (holidays_parse_day).
 * Oracles: what parses formats back and parses to the same instant, within
 * the documented years; the canonical form comes back unchanged; a civil
 * date survives the day-number round trip.
 */
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "fuzz.h"
#include "holidays.h"
#include "timeutil.h"

/* 9999-12-31T23:59:59Z */
#define LAST_INSTANT 253402300799LL

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
	char *s, buf[TIMEUTIL_RFC3339_LEN], day_text[16];
	int64_t t = -7, t2, day = -7, y;
	unsigned m, d;

	if ((s = fuzz_strndup(data, size)) == NULL)
		return (0);
	if (timeutil_parse(s, &t) == 0) {
		FUZZ_CHECK(t >= 0 && t <= LAST_INSTANT);
		FUZZ_CHECK(timeutil_format(t, buf, sizeof(buf)) == 0);
		FUZZ_CHECK(strlen(buf) == TIMEUTIL_RFC3339_LEN - 1);
		FUZZ_CHECK(timeutil_parse(buf, &t2) == 0 && t2 == t);
		/* The canonical form comes back (RFC 3339 5.6: "t" and "z"
		 * may be lower case). */
		if (strlen(s) == TIMEUTIL_RFC3339_LEN - 1 &&
		    (s[TIMEUTIL_RFC3339_LEN - 2] == 'Z' ||
		    s[TIMEUTIL_RFC3339_LEN - 2] == 'z'))
			FUZZ_CHECK(strcasecmp(buf, s) == 0);
	} else {
		FUZZ_CHECK(t == -7);
	}
	if (holidays_parse_day(s, &day) == 0) {
		timeutil_civil_from_days(day, &y, &m, &d);
		FUZZ_CHECK(y >= HOLIDAYS_YEAR_MIN && y <= HOLIDAYS_YEAR_MAX);
		FUZZ_CHECK(m >= 1 && m <= 12 &&
		    d >= 1 && d <= timeutil_days_in_month(y, m));
		FUZZ_CHECK(timeutil_days_from_civil(y, m, d) == day);
		snprintf(day_text, sizeof(day_text), "%04lld-%02u-%02u",
		    (long long)y, m, d);
		FUZZ_CHECK(strcmp(day_text, s) == 0);
	} else {
		FUZZ_CHECK(day == -7);
	}
	free(s);
	return (0);
}
