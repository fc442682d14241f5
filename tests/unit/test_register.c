/* Unit tests of server/register.c: CSV fields, HTML escaping, the capped
 * buffer, and one entry in each format. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "register.h"

#define MAX (1024 * 1024)

/* s through f (a field writer) as a new NUL-terminated string. */
static char *
through(int (*f)(struct register_buf *, const char *), const char *s)
{
	struct register_buf b;
	char *out;

	register_buf_init(&b, MAX);
	assert_int_equal(f(&b, s), 0);
	assert_int_equal(register_buf_add(&b, "", 1), 0);
	out = strdup(b.p);
	register_buf_release(&b);
	return (out);
}

static void
check(int (*f)(struct register_buf *, const char *), const char *in,
    const char *want)
{
	char *got = through(f, in);

	assert_string_equal(got, want);
	free(got);
}

static void
test_csv_field(void **state)
{
	(void)state;
	check(register_csv_field, "", "");
	check(register_csv_field, "plain text", "plain text");
	check(register_csv_field, "a,b", "\"a,b\"");
	check(register_csv_field, "say \"hi\"", "\"say \"\"hi\"\"\"");
	check(register_csv_field, "two\nlines", "\"two\nlines\"");
	check(register_csv_field, "cr\rhere", "\"cr\rhere\"");
	check(register_csv_field, "2026-01-01T00:00:00Z",
	    "2026-01-01T00:00:00Z");
	check(register_csv_field, "a=b", "a=b");
}

static void
test_csv_neutralised(void **state)
{
	(void)state;
	check(register_csv_field, "=1+2", "'=1+2");
	check(register_csv_field, "+1", "'+1");
	check(register_csv_field, "-1", "'-1");
	check(register_csv_field, "@SUM(A1)", "'@SUM(A1)");
	check(register_csv_field, "\t=1", "'\t=1");
	check(register_csv_field, "\r=1", "\"'\r=1\"");
	check(register_csv_field, "=HYPERLINK(\"u\",\"x\")",
	    "\"'=HYPERLINK(\"\"u\"\",\"\"x\"\")\"");
	check(register_csv_field, " =1", " =1");
}

static void
test_html_escape(void **state)
{
	(void)state;
	check(register_html_escape, "", "");
	check(register_html_escape, "<script>alert('x') & \"y\"</script>",
	    "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script"
	    "&gt;");
	check(register_html_escape, "caf\xc3\xa9", "caf\xc3\xa9");
}

static void
test_buf_cap(void **state)
{
	struct register_buf b;

	(void)state;
	register_buf_init(&b, 10);
	assert_int_equal(register_buf_add(&b, "0123456789", 10), 0);
	assert_int_equal(register_buf_add(&b, "x", 1), -1);
	assert_int_equal(b.len, 10);
	b.len = 0;
	assert_int_equal(register_buf_add(&b, "abc", 3), 0);
	assert_memory_equal(b.p, "abc", 3);
	register_buf_release(&b);
	register_buf_init(&b, 5);
	assert_int_equal(register_html_escape(&b, "<<"), -1);
	register_buf_release(&b);
}

static const char ENTRY[] = "{\"id\": 7, \"ref\": \"BR-2026-0007\", "
    "\"title\": \"-x <b>\", \"status\": \"confirmed\", \"cause\": null, "
    "\"subjects_count\": 12, \"confidentiality_impact\": true, "
    "\"data_categories\": [\"health\", \"financial\"], "
    "\"obligations\": [{\"regime_id\": \"uk_gdpr_art33_ico\", "
    "\"phase\": \"notification\", \"state\": \"met\", "
    "\"due_at\": \"2026-01-04T00:00:00Z\", "
    "\"met_at\": \"2026-01-02T00:00:00Z\", \"reference\": null}]}";

/* The export of ENTRY alone in format f, as a new string. */
static char *
export(enum register_format f)
{
	struct register_buf b;
	json_t *e = json_loads(ENTRY, 0, NULL);
	char *out;

	assert_non_null(e);
	register_buf_init(&b, MAX);
	assert_int_equal(register_head(f, &b, "2026-01-01T00:00:00Z", NULL,
	    "2026-02-01T00:00:00Z"), 0);
	assert_int_equal(register_entry(f, &b, e, 0), 0);
	assert_int_equal(register_foot(f, &b, 1), 0);
	assert_int_equal(register_buf_add(&b, "", 1), 0);
	out = strdup(b.p);
	register_buf_release(&b);
	json_decref(e);
	return (out);
}

static void
test_entry_formats(void **state)
{
	char *s;
	json_t *j;

	(void)state;
	s = export(REGISTER_CSV);
	assert_non_null(strstr(s, "\r\n7,BR-2026-0007,'-x <b>,confirmed,,"));
	assert_non_null(strstr(s, ",12,,true,"));
	assert_non_null(strstr(s, "health; financial"));
	assert_non_null(strstr(s, ",\"uk_gdpr_art33_ico notification: met, "
	    "due 2026-01-04T00:00:00Z, met 2026-01-02T00:00:00Z\",,\r\n"));
	assert_int_equal(strncmp(s, "id,ref,title,", 13), 0);
	assert_int_equal(strcmp(s + strlen(s) - 2, "\r\n"), 0);
	free(s);

	s = export(REGISTER_HTML);
	assert_null(strstr(s, "<b>"));
	assert_non_null(strstr(s, "-x &lt;b&gt;"));
	assert_non_null(strstr(s, "from 2026-01-01T00:00:00Z to the last "
	    "record"));
	assert_non_null(strstr(s, "<footer><p>1 incident.</p></footer>"));
	free(s);

	s = export(REGISTER_JSON);
	j = json_loads(s, 0, NULL);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "from")),
	    "2026-01-01T00:00:00Z");
	assert_true(json_is_null(json_object_get(j, "to")));
	assert_int_equal(json_array_size(json_object_get(j, "items")), 1);
	json_decref(j);
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_field),
		cmocka_unit_test(test_csv_neutralised),
		cmocka_unit_test(test_html_escape),
		cmocka_unit_test(test_buf_cap),
		cmocka_unit_test(test_entry_formats),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
