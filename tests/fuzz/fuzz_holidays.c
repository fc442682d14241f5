/*
 * fuzz_holidays: the import of GOV.UK's bank-holidays.json
 * (holidays_parse_govuk, behind PUT /api/v1/holiday-sets and
 * `breachclockd holidays import`).  Oracles: success gives exactly the
 * three sets, each sorted by day without repeats, titles of 1 to
 * HOLIDAYS_MAX_TITLE characters; failure leaves the output alone and a
 * terminated message.
 */
#include <stdbool.h>
#include <string.h>

#include <jansson.h>

#include "fuzz.h"
#include "holidays.h"
#include "timeutil.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return (0);
}

static size_t
utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return (n);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const sets[] = { "gb-eaw", "gb-sct", "gb-ni" };
	json_t *out = (json_t *)&out, *list, *e;
	char err[200];
	int64_t day, prev;
	size_t i;

	memset(err, 'x', sizeof(err));
	if (holidays_parse_govuk((const char *)data, size, &out, err,
	    sizeof(err)) == -1) {
		FUZZ_CHECK(out == (json_t *)&out);
		FUZZ_CHECK(memchr(err, '\0', sizeof(err)) != NULL);
		FUZZ_CHECK(err[0] != '\0');
		return (0);
	}
	FUZZ_CHECK(json_is_object(out) && json_object_size(out) == 3);
	for (size_t s = 0; s < 3; s++) {
		list = json_object_get(out, sets[s]);
		FUZZ_CHECK(json_is_array(list));
		FUZZ_CHECK(json_array_size(list) <= HOLIDAYS_MAX_EVENTS);
		prev = INT64_MIN;
		json_array_foreach(list, i, e) {
			const char *d = json_string_value(json_object_get(e,
			    "day"));
			const char *t = json_string_value(json_object_get(e,
			    "title"));

			FUZZ_CHECK(d != NULL && t != NULL);
			FUZZ_CHECK(holidays_parse_day(d, &day) == 0);
			FUZZ_CHECK(day > prev);
			prev = day;
			FUZZ_CHECK(utf8_chars(t) >= 1 &&
			    utf8_chars(t) <= HOLIDAYS_MAX_TITLE);
		}
	}
	json_decref(out);
	return (0);
}
