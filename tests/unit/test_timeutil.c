/*
 * Unit tests for server/timeutil.c: RFC 3339 parsing and formatting and
 * the civil-date arithmetic under them.  Expected instants are worked out
 * by hand (days since 1970-01-01 times 86400 plus the time of day).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "timeutil.h"

/* 9999-12-31T23:59:59Z: day 2932896 since the epoch. */
#define T_MAX	(INT64_C(2932896) * 86400 + 86399)

struct good {
	const char *in;
	int64_t want;
};

static const struct good goods[] = {
	{ "1970-01-01T00:00:00Z", 0 },
	{ "1970-01-01T00:00:01Z", 1 },
	{ "1970-01-02T00:00:00Z", 86400 },
	/* 2000-01-01 is day 10957. */
	{ "2000-01-01T00:00:00Z", INT64_C(946684800) },
	/* 2026-03-01 is day 20513. */
	{ "2026-03-01T10:00:00Z", INT64_C(20513) * 86400 + 36000 },
	{ "2026-03-01T11:00:00+01:00", INT64_C(20513) * 86400 + 36000 },
	{ "2026-03-01T05:00:00-05:00", INT64_C(20513) * 86400 + 36000 },
	{ "2026-03-01T15:30:00+05:30", INT64_C(20513) * 86400 + 36000 },
	{ "2026-03-01T10:00:00-00:00", INT64_C(20513) * 86400 + 36000 },
	{ "2026-03-01T10:00:00+00:00", INT64_C(20513) * 86400 + 36000 },
	/* Fractions are dropped, never rounded. */
	{ "2026-03-01T10:00:00.999999999Z", INT64_C(20513) * 86400 + 36000 },
	{ "2026-03-01T10:00:00.5Z", INT64_C(20513) * 86400 + 36000 },
	{ "2026-03-01T11:00:00.123+01:00", INT64_C(20513) * 86400 + 36000 },
	/* RFC 3339 §5.6 allows lower-case t and z. */
	{ "2026-03-01t10:00:00z", INT64_C(20513) * 86400 + 36000 },
	/* Offsets carry across day, month and year boundaries. */
	{ "2027-01-01T00:30:00+01:00", INT64_C(20818) * 86400 + 84600 },
	{ "2026-12-31T20:30:00-03:00", INT64_C(20818) * 86400 + 84600 },
	{ "1970-01-01T01:00:00+01:00", 0 },
	{ "1970-01-01T00:00:00-23:59", 86340 },
	/* Leap days: 2028-02-29 is day 21243, 2000-02-29 is day 11016. */
	{ "2028-02-29T12:00:00Z", INT64_C(21243) * 86400 + 43200 },
	{ "2000-02-29T00:00:00Z", INT64_C(11016) * 86400 },
	{ "2026-02-28T23:59:59Z", INT64_C(20513) * 86400 - 1 },
	{ "2026-12-31T23:59:59Z", INT64_C(20819) * 86400 - 1 },
	{ "9999-12-31T23:59:59Z", T_MAX },
	{ "9999-12-31T23:59:59+01:00", T_MAX - 3600 },
};

static const char *const bads[] = {
	"",
	"2026",
	"2026-03-01",
	"2026-03-01T10:00",
	"2026-03-01T10:00:00",		/* missing offset */
	"2026-03-01 10:00:00Z",		/* space for T */
	"2026-03-01T10:00:00ZZ",	/* trailing garbage */
	"2026-03-01T10:00:00Z ",
	" 2026-03-01T10:00:00Z",
	"2026-03-01T10:00:00+01:00x",
	"2026-03-01T10:00:00+0100",
	"2026-03-01T10:00:00+01",
	"2026-03-01T10:00:00+1:00",
	"2026-03-01T10:00:00+24:00",	/* offset hours > 23 */
	"2026-03-01T10:00:00+01:60",	/* offset minutes > 59 */
	"2026-03-01T10:00:00.Z",	/* empty fraction */
	"2026-03-01T10:00:00.1234567890Z", /* fraction > 9 digits */
	"2026-03-01T10:00:00,5Z",
	"2026-13-01T10:00:00Z",		/* month 13 */
	"2026-00-01T10:00:00Z",
	"2026-03-00T10:00:00Z",
	"2026-02-30T10:00:00Z",		/* Feb 30 */
	"2026-02-29T10:00:00Z",		/* not a leap year */
	"2100-02-29T10:00:00Z",		/* century, not a leap year */
	"2026-04-31T10:00:00Z",
	"2026-03-32T10:00:00Z",
	"2026-03-01T24:00:00Z",		/* hour 24 */
	"2026-03-01T10:60:00Z",
	"2026-03-01T10:00:60Z",		/* leap second */
	"2026-3-01T10:00:00Z",
	"2026-03-1T10:00:00Z",
	"26-03-01T10:00:00Z",
	"+2026-03-01T10:00:00Z",
	"20260-03-01T10:00:00Z",
	"2026/03/01T10:00:00Z",
	"2026-03-01T10:00:00.5",
	"1969-12-31T23:59:59Z",		/* before the epoch */
	"1970-01-01T00:30:00+01:00",	/* before the epoch after the offset */
	"0000-01-01T00:00:00Z",
	"9999-12-31T23:59:59-00:01",	/* past 9999 after the offset */
	"2026-03-01T1a:00:00Z",
	"2026-03-01T10:00:00\xef\xbc\xba", /* full-width Z */
};

static void
test_parse_good(void **state)
{
	int64_t t;

	for (size_t i = 0; i < sizeof(goods) / sizeof(goods[0]); i++) {
		t = -42;
		if (timeutil_parse(goods[i].in, &t) != 0)
			fail_msg("rejected %s", goods[i].in);
		if (t != goods[i].want)
			fail_msg("%s: got %lld, want %lld", goods[i].in,
			    (long long)t, (long long)goods[i].want);
	}
}

static void
test_parse_bad(void **state)
{
	int64_t t;

	for (size_t i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		t = -42;
		if (timeutil_parse(bads[i], &t) != -1)
			fail_msg("accepted \"%s\" as %lld", bads[i],
			    (long long)t);
		/* *out is left untouched on failure. */
		assert_int_equal(t, -42);
	}
	assert_int_equal(timeutil_parse(NULL, &t), -1);
	assert_int_equal(timeutil_parse("2026-03-01T10:00:00Z", NULL), -1);
}

static void
test_format(void **state)
{
	char buf[TIMEUTIL_RFC3339_LEN];
	char small[TIMEUTIL_RFC3339_LEN - 1];

	assert_int_equal(timeutil_format(0, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "1970-01-01T00:00:00Z");
	assert_int_equal(timeutil_format(INT64_C(20513) * 86400 + 36000, buf,
	    sizeof(buf)), 0);
	assert_string_equal(buf, "2026-03-01T10:00:00Z");
	assert_int_equal(timeutil_format(INT64_C(21243) * 86400 + 43200, buf,
	    sizeof(buf)), 0);
	assert_string_equal(buf, "2028-02-29T12:00:00Z");
	assert_int_equal(timeutil_format(INT64_C(20819) * 86400 - 1, buf,
	    sizeof(buf)), 0);
	assert_string_equal(buf, "2026-12-31T23:59:59Z");
	assert_int_equal(timeutil_format(T_MAX, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "9999-12-31T23:59:59Z");

	assert_int_equal(timeutil_format(-1, buf, sizeof(buf)), -1);
	assert_int_equal(timeutil_format(T_MAX + 1, buf, sizeof(buf)), -1);
	assert_int_equal(timeutil_format(INT64_MIN, buf, sizeof(buf)), -1);
	assert_int_equal(timeutil_format(INT64_MAX, buf, sizeof(buf)), -1);
	assert_int_equal(timeutil_format(0, small, sizeof(small)), -1);
	assert_int_equal(timeutil_format(0, NULL, 64), -1);
}

/* Every canonical string parses and formats back to itself. */
static void
test_round_trip_strings(void **state)
{
	static const char *const canon[] = {
		"1970-01-01T00:00:00Z",
		"1999-12-31T23:59:59Z",
		"2000-02-29T00:00:00Z",
		"2024-02-29T23:59:59Z",
		"2026-03-29T00:59:59Z",
		"2026-03-29T01:00:00Z",
		"2026-10-25T01:00:00Z",
		"2038-01-19T03:14:08Z",		/* past 32-bit time_t */
		"2100-03-01T00:00:00Z",
		"2400-02-29T12:34:56Z",
		"9999-12-31T23:59:59Z",
	};
	char buf[TIMEUTIL_RFC3339_LEN];
	int64_t t;

	for (size_t i = 0; i < sizeof(canon) / sizeof(canon[0]); i++) {
		assert_int_equal(timeutil_parse(canon[i], &t), 0);
		assert_int_equal(timeutil_format(t, buf, sizeof(buf)), 0);
		assert_string_equal(buf, canon[i]);
	}
}

/*
 * Every day from 1970 to 2500 (and a stride to 9999): the day count
 * formats to a date that parses back to the same count, and consecutive
 * days are consecutive dates.
 */
static void
test_round_trip_days(void **state)
{
	char buf[TIMEUTIL_RFC3339_LEN];
	int64_t t, y, py = 1969;
	unsigned m, d, pm = 12, pd = 31;

	for (int64_t z = 0; z <= INT64_C(2932896); z++) {
		if (z > 193000 && z % 97 != 0 && z != INT64_C(2932896))
			continue;
		timeutil_civil_from_days(z, &y, &m, &d);
		assert_int_equal(timeutil_days_from_civil(y, m, d), z);
		assert_true(m >= 1 && m <= 12);
		assert_true(d >= 1 && d <= timeutil_days_in_month(y, m));
		if (z <= 193000) {
			/* The day after (py, pm, pd). */
			if (pd < timeutil_days_in_month(py, pm)) {
				assert_int_equal(y, py);
				assert_int_equal(m, pm);
				assert_int_equal(d, pd + 1);
			} else if (pm < 12) {
				assert_int_equal(y, py);
				assert_int_equal(m, pm + 1);
				assert_int_equal(d, 1);
			} else {
				assert_int_equal(y, py + 1);
				assert_int_equal(m, 1);
				assert_int_equal(d, 1);
			}
			py = y;
			pm = m;
			pd = d;
		}
		t = z * 86400 + 86399;
		assert_int_equal(timeutil_format(t, buf, sizeof(buf)), 0);
		t = -1;
		assert_int_equal(timeutil_parse(buf, &t), 0);
		assert_int_equal(t, z * 86400 + 86399);
	}
}

static void
test_days_in_month(void **state)
{
	assert_int_equal(timeutil_days_in_month(2026, 1), 31);
	assert_int_equal(timeutil_days_in_month(2026, 2), 28);
	assert_int_equal(timeutil_days_in_month(2028, 2), 29);
	assert_int_equal(timeutil_days_in_month(2000, 2), 29);
	assert_int_equal(timeutil_days_in_month(1900, 2), 28);
	assert_int_equal(timeutil_days_in_month(2100, 2), 28);
	assert_int_equal(timeutil_days_in_month(2400, 2), 29);
	assert_int_equal(timeutil_days_in_month(2026, 4), 30);
	assert_int_equal(timeutil_days_in_month(2026, 12), 31);
	assert_int_equal(timeutil_days_in_month(2026, 0), 0);
	assert_int_equal(timeutil_days_in_month(2026, 13), 0);
}

static void
test_civil(void **state)
{
	int64_t y;
	unsigned m, d;

	assert_int_equal(timeutil_days_from_civil(1970, 1, 1), 0);
	assert_int_equal(timeutil_days_from_civil(1969, 12, 31), -1);
	assert_int_equal(timeutil_days_from_civil(2000, 3, 1), 11017);
	assert_int_equal(timeutil_days_from_civil(2026, 3, 29), 20541);
	assert_int_equal(timeutil_days_from_civil(10000, 1, 1), 2932897);
	timeutil_civil_from_days(-1, &y, &m, &d);
	assert_int_equal(y, 1969);
	assert_int_equal(m, 12);
	assert_int_equal(d, 31);
	timeutil_civil_from_days(21244, &y, &m, &d);
	assert_int_equal(y, 2028);
	assert_int_equal(m, 3);
	assert_int_equal(d, 1);
}

static void
test_parse_why(void **state)
{
	static const char *const range[] = { "1969-12-31T23:59:59Z",
		"0000-01-01T00:00:00Z", "1970-01-01T00:30:00+01:00",
		"9999-12-31T23:00:00-05:00", "10000-01-01T00:00:00Z",
		"123456-06-01T00:00:00.5+02:00", NULL };
	static const char *const form[] = { "", "soon", "1969-13-01T00:00:00Z",
		"1969-02-30T00:00:00Z", "1969-12-31 23:59:59Z",
		"10000-01-01", "12345-01-01T00:00:00", "99999", NULL };

	(void)state;
	assert_null(timeutil_parse_why("1970-01-01T00:00:00Z"));
	assert_null(timeutil_parse_why("9999-12-31T23:59:59Z"));
	for (size_t i = 0; range[i] != NULL; i++)
		assert_string_equal(timeutil_parse_why(range[i]),
		    TIMEUTIL_WHY_RANGE);
	for (size_t i = 0; form[i] != NULL; i++)
		assert_string_equal(timeutil_parse_why(form[i]),
		    TIMEUTIL_WHY_FORM);
	assert_string_equal(timeutil_parse_why(NULL), TIMEUTIL_WHY_FORM);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_good),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_round_trip_strings),
		cmocka_unit_test(test_round_trip_days),
		cmocka_unit_test(test_days_in_month),
		cmocka_unit_test(test_civil),
		cmocka_unit_test(test_parse_why),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
