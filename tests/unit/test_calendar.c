/*
 * Unit tests for server/calendar.c: zone names, local dates, the end of a
 * local day across DST changes, gaps and overlaps, argument checks, the
 * TZ variable left as found, and conversions from many threads at once.
 * The deadline scenarios themselves are data: tests/unit/calendar/.
 * Expected instants were worked out by hand from the offsets named in
 * each comment (and cross-checked with another tz implementation).
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "calendar.h"
#include "timeutil.h"

#define DAY(y, m, d)	timeutil_days_from_civil((y), (m), (d))
#define T_MAX		(INT64_C(2932896) * 86400 + 86399)

static int64_t
utc(int64_t y, unsigned mo, unsigned d, int h, int mi, int s)
{
	return (DAY(y, mo, d) * 86400 + h * 3600 + mi * 60 + s);
}

static void
test_zone_valid(void **state)
{
	static const char *const good[] = { "Europe/London",
		"America/New_York", "America/Sao_Paulo", "Australia/Sydney",
		"America/Argentina/Buenos_Aires", "Etc/GMT+5", "UTC",
		"Pacific/Apia", "Australia/Lord_Howe" };
	static const char *const bad[] = { "", "Europe/Nowhere",
		"Mars/Olympus_Mons", "../../etc/passwd", "/etc/localtime",
		"Europe/../Europe/London", "Europe//London", "Europe/London/",
		"right/Europe/London", "posix/Europe/London", "localtime",
		"posixrules", "zone.tab", "tzdata.zi", "Europe", "America",
		"Europe/London ", "Europe\\London", "europe/london%00",
		"Aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/B" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_int_equal(calendar_zone_valid(good[i]), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (calendar_zone_valid(bad[i]) != -1)
			fail_msg("zone \"%s\" accepted", bad[i]);
	}
	assert_int_equal(calendar_zone_valid(NULL), -1);
}

static void
test_local_date(void **state)
{
	int64_t day = 42;

	(void)state;
	/* 2026-07-01 03:59Z is 23:59 EDT on 30 June. */
	assert_int_equal(calendar_local_date("America/New_York",
	    utc(2026, 7, 1, 3, 59, 0), &day), 0);
	assert_int_equal(day, DAY(2026, 6, 30));
	/* 2026-07-01 23:00Z is 00:00 BST on 2 July. */
	assert_int_equal(calendar_local_date("Europe/London",
	    utc(2026, 7, 1, 23, 0, 0), &day), 0);
	assert_int_equal(day, DAY(2026, 7, 2));
	/* 2026-01-01 22:59:59Z is 22:59:59 GMT: still 1 January. */
	assert_int_equal(calendar_local_date("Europe/London",
	    utc(2026, 1, 1, 22, 59, 59), &day), 0);
	assert_int_equal(day, DAY(2026, 1, 1));
	/* 1970-01-01T00:00Z is 19:00 EST on 31 December 1969: day -1. */
	assert_int_equal(calendar_local_date("America/New_York", 0, &day), 0);
	assert_int_equal(day, -1);
	/* Sydney, 2026-04-04 13:00Z = 00:00 AEDT on Sunday 5 April. */
	assert_int_equal(calendar_local_date("Australia/Sydney",
	    utc(2026, 4, 4, 13, 0, 0), &day), 0);
	assert_int_equal(day, DAY(2026, 4, 5));

	/* Errors leave *day alone. */
	day = 42;
	assert_int_equal(calendar_local_date("Nowhere/Land", 0, &day), -1);
	assert_int_equal(calendar_local_date("Europe/London", -1, &day), -1);
	assert_int_equal(calendar_local_date("Europe/London", T_MAX + 1,
	    &day), -1);
	assert_int_equal(calendar_local_date(NULL, 0, &day), -1);
	assert_int_equal(day, 42);
	assert_int_equal(calendar_local_date("Europe/London", 0, NULL), -1);
}

struct eod {
	const char	*tz;
	int64_t		 day;
	int64_t		 want;
};

static void
test_end_of_day(void **state)
{
	const struct eod cases[] = {
		/* GMT and BST, including both change days. */
		{ "Europe/London", DAY(2026, 1, 15),
		    utc(2026, 1, 15, 23, 59, 59) },
		{ "Europe/London", DAY(2026, 3, 28),
		    utc(2026, 3, 28, 23, 59, 59) },
		{ "Europe/London", DAY(2026, 3, 29),
		    utc(2026, 3, 29, 22, 59, 59) },
		{ "Europe/London", DAY(2026, 10, 24),
		    utc(2026, 10, 24, 22, 59, 59) },
		{ "Europe/London", DAY(2026, 10, 25),
		    utc(2026, 10, 25, 23, 59, 59) },
		/* EST -05:00, EDT -04:00; changes on 8 March, 1 November. */
		{ "America/New_York", DAY(2026, 3, 7),
		    utc(2026, 3, 8, 4, 59, 59) },
		{ "America/New_York", DAY(2026, 3, 8),
		    utc(2026, 3, 9, 3, 59, 59) },
		{ "America/New_York", DAY(2026, 11, 1),
		    utc(2026, 11, 2, 4, 59, 59) },
		/* Sao Paulo, no DST since 2019: -03:00. */
		{ "America/Sao_Paulo", DAY(2026, 1, 10),
		    utc(2026, 1, 11, 2, 59, 59) },
		/* 2018-02-17 23:59:59 happened at -02 and again at -03: the
		 * earlier.  2018-11-03 ended just before the midnight gap. */
		{ "America/Sao_Paulo", DAY(2018, 2, 17),
		    utc(2018, 2, 18, 1, 59, 59) },
		{ "America/Sao_Paulo", DAY(2018, 11, 3),
		    utc(2018, 11, 4, 2, 59, 59) },
		{ "America/Sao_Paulo", DAY(2018, 11, 4),
		    utc(2018, 11, 5, 1, 59, 59) },
		/* Sydney: AEDT +11 until 5 April, AEST +10, AEDT from 4 Oct. */
		{ "Australia/Sydney", DAY(2026, 4, 5),
		    utc(2026, 4, 5, 13, 59, 59) },
		{ "Australia/Sydney", DAY(2026, 10, 4),
		    utc(2026, 10, 4, 12, 59, 59) },
		{ "Australia/Sydney", DAY(2026, 1, 1),
		    utc(2026, 1, 1, 12, 59, 59) },
		/* Lord Howe moves by 30 minutes: +11 to +10:30 on 5 April. */
		{ "Australia/Lord_Howe", DAY(2026, 4, 5),
		    utc(2026, 4, 5, 13, 29, 59) },
		/* Havana changes at midnight: 8 March 2026 00:00 -> 01:00. */
		{ "America/Havana", DAY(2026, 3, 7),
		    utc(2026, 3, 8, 4, 59, 59) },
		{ "America/Havana", DAY(2026, 3, 8),
		    utc(2026, 3, 9, 3, 59, 59) },
		/* Half-hour and extreme offsets. */
		{ "Asia/Kolkata", DAY(2026, 1, 1),
		    utc(2026, 1, 1, 18, 29, 59) },
		{ "Pacific/Kiritimati", DAY(2026, 1, 1),
		    utc(2026, 1, 1, 9, 59, 59) },
		{ "Etc/GMT+12", DAY(2026, 1, 1),
		    utc(2026, 1, 2, 11, 59, 59) },
		/* Samoa skipped 30 December 2011 (-10 to +14 at 10:00Z):
		 * that day and the one before both end at 09:59:59Z. */
		{ "Pacific/Apia", DAY(2011, 12, 29),
		    utc(2011, 12, 30, 9, 59, 59) },
		{ "Pacific/Apia", DAY(2011, 12, 30),
		    utc(2011, 12, 30, 9, 59, 59) },
		{ "Pacific/Apia", DAY(2011, 12, 31),
		    utc(2011, 12, 31, 9, 59, 59) },
		/* Far future: the TZif footer's rule (BST in July 2200). */
		{ "Europe/London", DAY(2200, 7, 1),
		    utc(2200, 7, 1, 22, 59, 59) },
	};
	int64_t t;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		t = -5;
		if (calendar_end_of_day(cases[i].tz, cases[i].day, &t) != 0 ||
		    t != cases[i].want)
			fail_msg("case %zu (%s): got %lld, want %lld", i,
			    cases[i].tz, (long long)t,
			    (long long)cases[i].want);
	}
	t = -5;
	assert_int_equal(calendar_end_of_day("Nowhere/Land", 0, &t), -1);
	/* 1969-12-30 and 10000-01-01 are out of range; so is the end of
	 * 9999-12-31 in New York (10000-01-01T04:59:59Z). */
	assert_int_equal(calendar_end_of_day("UTC", -2, &t), -1);
	assert_int_equal(calendar_end_of_day("UTC", DAY(10000, 1, 1), &t),
	    -1);
	assert_int_equal(calendar_end_of_day("America/New_York",
	    DAY(9999, 12, 31), &t), -1);
	assert_int_equal(t, -5);
	assert_int_equal(calendar_end_of_day("UTC", DAY(9999, 12, 31), &t),
	    0);
	assert_int_equal(t, T_MAX);
	assert_int_equal(calendar_end_of_day("UTC", 0, NULL), -1);
}

/*
 * For every day of 2016..2030 in zones with DST, the end of day d is on
 * local date d at 23:59:59 (none of them has a gap or an overlap at that
 * time), and one second later it is day d + 1.
 */
static void
test_end_of_day_sweep(void **state)
{
	static const char *const zones[] = { "Europe/London",
		"America/New_York", "Australia/Sydney", "America/Sao_Paulo",
		"Australia/Lord_Howe" };
	int64_t d, t, ld;
	size_t z;

	(void)state;
	for (z = 0; z < sizeof(zones) / sizeof(zones[0]); z++) {
		for (d = DAY(2016, 1, 1); d <= DAY(2030, 12, 31); d += 3) {
			assert_int_equal(calendar_end_of_day(zones[z], d, &t),
			    0);
			assert_int_equal(calendar_local_date(zones[z], t, &ld),
			    0);
			if (ld != d)
				fail_msg("%s day %lld ends on day %lld",
				    zones[z], (long long)d, (long long)ld);
			assert_int_equal(calendar_local_date(zones[z], t + 1,
			    &ld), 0);
			/* Sao Paulo 2016..2018 February overlaps: the
			 * earlier 23:59:59 is followed by 23:00 again. */
			if (ld != d + 1 && strcmp(zones[z],
			    "America/Sao_Paulo") != 0)
				fail_msg("%s day %lld: next second on %lld",
				    zones[z], (long long)d, (long long)ld);
		}
	}
}

static void
test_add_args(void **state)
{
	const int64_t sorted[] = { DAY(2026, 12, 25), DAY(2026, 12, 28) };
	const int64_t unsorted[] = { DAY(2026, 12, 28), DAY(2026, 12, 25) };
	const int64_t dup[] = { DAY(2026, 12, 25), DAY(2026, 12, 25) };
	struct calendar c = { "Europe/London", sorted, 2 };
	int64_t start = utc(2026, 12, 24, 17, 0, 0), due = -5;

	(void)state;
	/* Hours need no calendar; they are elapsed time. */
	assert_int_equal(calendar_add(NULL, start, 72, CALENDAR_HOURS, &due),
	    0);
	assert_int_equal(due, start + 72 * 3600);
	assert_int_equal(calendar_add(&c, start, CALENDAR_MAX_N,
	    CALENDAR_HOURS, &due), 0);
	assert_int_equal(due, start + INT64_C(100000) * 3600);
	assert_int_equal(calendar_add(&c, T_MAX - 3600, 1, CALENDAR_HOURS,
	    &due), 0);
	assert_int_equal(due, T_MAX);

	due = -5;
	assert_int_equal(calendar_add(&c, T_MAX - 3599, 1, CALENDAR_HOURS,
	    &due), -1);
	assert_int_equal(calendar_add(NULL, start, 1, CALENDAR_DAYS, &due),
	    -1);
	assert_int_equal(calendar_add(&c, start, 1, CALENDAR_DAYS, NULL), -1);
	assert_int_equal(calendar_add(&c, start, -1, CALENDAR_HOURS, &due),
	    -1);
	assert_int_equal(calendar_add(&c, start, CALENDAR_MAX_N + 1,
	    CALENDAR_DAYS, &due), -1);
	assert_int_equal(calendar_add(&c, start, INT64_MAX, CALENDAR_MONTHS,
	    &due), -1);
	assert_int_equal(calendar_add(&c, -1, 1, CALENDAR_DAYS, &due), -1);
	assert_int_equal(calendar_add(&c, start, 1, (enum calendar_unit)99,
	    &due), -1);
	c.holidays = unsorted;
	assert_int_equal(calendar_add(&c, start, 1, CALENDAR_BUSINESS_DAYS,
	    &due), -1);
	c.holidays = dup;
	assert_int_equal(calendar_add(&c, start, 1, CALENDAR_BUSINESS_DAYS,
	    &due), -1);
	c.holidays = NULL;
	assert_int_equal(calendar_add(&c, start, 1, CALENDAR_BUSINESS_DAYS,
	    &due), -1);
	c.nholidays = 0;
	c.tz = "Europe/Nowhere";
	assert_int_equal(calendar_add(&c, start, 1, CALENDAR_DAYS, &due), -1);
	/* Past 9999: 100000 months from 2026, and days at the far end. */
	c.tz = "UTC";
	assert_int_equal(calendar_add(&c, start, CALENDAR_MAX_N,
	    CALENDAR_MONTHS, &due), -1);
	assert_int_equal(calendar_add(&c, utc(9999, 12, 1, 0, 0, 0), 31,
	    CALENDAR_DAYS, &due), -1);
	assert_int_equal(calendar_add(&c, utc(9999, 12, 1, 0, 0, 0), 30,
	    CALENDAR_BUSINESS_DAYS, &due), -1);
	assert_int_equal(due, -5);

	/* The largest n is accepted: 100000 days from 2026-12-24 is day
	 * 20811 + 100000 = 120811. */
	assert_int_equal(calendar_add(&c, start, CALENDAR_MAX_N,
	    CALENDAR_DAYS, &due), 0);
	assert_int_equal(due, (DAY(2026, 12, 24) + 100000) * 86400 + 86399);
	/* 100000 business days with no holidays: 20000 weeks of 7 days. */
	assert_int_equal(calendar_add(&c, utc(2026, 12, 25, 12, 0, 0),
	    CALENDAR_MAX_N, CALENDAR_BUSINESS_DAYS, &due), 0);
	assert_int_equal(due, (DAY(2026, 12, 25) + 140000) * 86400 + 86399);
}

/* A long run of holidays is skipped, whatever its length. */
static void
test_add_all_holidays(void **state)
{
	int64_t *h, due = -5;
	struct calendar c;
	size_t i, n = 4000;

	(void)state;
	h = calloc(n, sizeof(*h));
	assert_non_null(h);
	for (i = 0; i < n; i++)
		h[i] = DAY(2026, 1, 1) + (int64_t)i;
	c.tz = "Europe/London";
	c.holidays = h;
	c.nholidays = n;
	/* 1 business day from Wed 2025-12-31: 2026-01-01 .. Sat
	 * 2036-12-13 (4000 days) are holidays, Sun 14 is a Sunday, so
	 * Mon 2036-12-15, in GMT. */
	assert_int_equal(calendar_add(&c, utc(2025, 12, 31, 12, 0, 0), 1,
	    CALENDAR_BUSINESS_DAYS, &due), 0);
	assert_int_equal(due, utc(2036, 12, 15, 23, 59, 59));
	free(h);
}

static void
test_year_end(void **state)
{
	int64_t t = -5;

	(void)state;
	/* 2028-06-01 in New York: 2028-12-31 23:59:59 EST. */
	assert_int_equal(calendar_year_end("America/New_York",
	    utc(2028, 6, 1, 14, 0, 0), &t), 0);
	assert_int_equal(t, utc(2029, 1, 1, 4, 59, 59));
	/* 2027-01-01 03:00Z is still 2026 in New York. */
	assert_int_equal(calendar_year_end("America/New_York",
	    utc(2027, 1, 1, 3, 0, 0), &t), 0);
	assert_int_equal(t, utc(2027, 1, 1, 4, 59, 59));
	/* ... and already 2027 in Sydney (14:00 AEDT). */
	assert_int_equal(calendar_year_end("Australia/Sydney",
	    utc(2027, 1, 1, 3, 0, 0), &t), 0);
	assert_int_equal(t, utc(2027, 12, 31, 12, 59, 59));
	t = -5;
	assert_int_equal(calendar_year_end("Nowhere/Land", 0, &t), -1);
	assert_int_equal(calendar_year_end("UTC", -1, &t), -1);
	assert_int_equal(t, -5);
	assert_int_equal(calendar_year_end("UTC", 0, NULL), -1);
}

/* The process's TZ is put back as it was, set or unset. */
static void
test_tz_restored(void **state)
{
	struct tm tm;
	time_t t0 = 0;
	int64_t day;

	(void)state;
	assert_int_equal(setenv("TZ", "Asia/Tokyo", 1), 0);
	tzset();
	assert_int_equal(calendar_local_date("America/New_York", 0, &day), 0);
	assert_string_equal(getenv("TZ"), "Asia/Tokyo");
	assert_non_null(localtime_r(&t0, &tm));
	assert_int_equal(tm.tm_hour, 9);	/* 1970-01-01 09:00 JST */

	assert_int_equal(unsetenv("TZ"), 0);
	tzset();
	assert_int_equal(calendar_local_date("America/New_York", 0, &day), 0);
	assert_string_equal(getenv("TZ"), ":/etc/localtime");
	/* A failed call leaves TZ alone too. */
	assert_int_equal(calendar_local_date("Nowhere/Land", 0, &day), -1);
	assert_string_equal(getenv("TZ"), ":/etc/localtime");
}

struct job {
	const char	*tz;
	int64_t		 day;
	int64_t		 want;
	int		 bad;
};

static void *
worker(void *arg)
{
	struct job *j = arg;
	int64_t t, d;

	for (int i = 0; i < 300; i++) {
		if (calendar_end_of_day(j->tz, j->day, &t) != 0 ||
		    t != j->want)
			j->bad++;
		if (calendar_local_date(j->tz, j->want, &d) != 0 ||
		    d != j->day)
			j->bad++;
	}
	return (NULL);
}

/* Conversions in different zones from several threads do not mix. */
static void
test_threads(void **state)
{
	struct job jobs[] = {
		{ "Europe/London", DAY(2026, 7, 1),
		    utc(2026, 7, 1, 22, 59, 59), 0 },
		{ "America/New_York", DAY(2026, 7, 1),
		    utc(2026, 7, 2, 3, 59, 59), 0 },
		{ "Australia/Sydney", DAY(2026, 7, 1),
		    utc(2026, 7, 1, 13, 59, 59), 0 },
		{ "America/Sao_Paulo", DAY(2026, 7, 1),
		    utc(2026, 7, 2, 2, 59, 59), 0 },
		{ "Asia/Kolkata", DAY(2026, 7, 1),
		    utc(2026, 7, 1, 18, 29, 59), 0 },
		{ "Pacific/Kiritimati", DAY(2026, 7, 1),
		    utc(2026, 7, 1, 9, 59, 59), 0 },
		{ "Etc/GMT+12", DAY(2026, 7, 1),
		    utc(2026, 7, 2, 11, 59, 59), 0 },
		{ "UTC", DAY(2026, 7, 1), utc(2026, 7, 1, 23, 59, 59), 0 },
	};
	enum { N = sizeof(jobs) / sizeof(jobs[0]) };
	pthread_t th[N];
	size_t i;

	(void)state;
	for (i = 0; i < N; i++)
		assert_int_equal(pthread_create(&th[i], NULL, worker,
		    &jobs[i]), 0);
	for (i = 0; i < N; i++) {
		assert_int_equal(pthread_join(th[i], NULL), 0);
		if (jobs[i].bad != 0)
			fail_msg("%s: %d wrong results", jobs[i].tz,
			    jobs[i].bad);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_zone_valid),
		cmocka_unit_test(test_local_date),
		cmocka_unit_test(test_end_of_day),
		cmocka_unit_test(test_end_of_day_sweep),
		cmocka_unit_test(test_add_args),
		cmocka_unit_test(test_add_all_holidays),
		cmocka_unit_test(test_year_end),
		cmocka_unit_test(test_tz_restored),
		cmocka_unit_test(test_threads),
	};

	/* Before any thread exists, as calendar.h asks. */
	if (calendar_global_init() != 0)
		return (1);
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
