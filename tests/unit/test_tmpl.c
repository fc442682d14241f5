/* Unit tests of server/tmpl.c, the notice template language. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tmpl.h"

#define MAX (64 * 1024)

/* Render src with the JSON context text ctx in format f; a new string,
 * or NULL on an error (parse or render). */
static char *
run(const char *src, const char *ctx, enum tmpl_format f, size_t max)
{
	char err[TMPL_ERR_MAX], *out = NULL;
	struct tmpl *t;
	json_t *c;
	size_t len;

	c = json_loads(ctx, JSON_ALLOW_NUL, NULL);
	assert_non_null(c);
	if ((t = tmpl_parse(src, strlen(src), err, sizeof(err))) != NULL) {
		if (tmpl_render(t, c, f, max, &out, &len, err,
		    sizeof(err)) == 0)
			assert_int_equal(strlen(out), len);
		else
			out = NULL;
	}
	tmpl_free(t);
	json_decref(c);
	return (out);
}

static void
check(const char *src, const char *ctx, enum tmpl_format f,
    const char *want)
{
	char *got = run(src, ctx, f, MAX);

	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void
parse_fails(const char *src, const char *want_in_err)
{
	char err[TMPL_ERR_MAX] = "";
	struct tmpl *t = tmpl_parse(src, strlen(src), err, sizeof(err));

	assert_null(t);
	assert_non_null(strstr(err, want_in_err));
}

static void
test_values(void **state)
{
	(void)state;
	check("Ref {{ref}}: {{n}} people, cyber {{c}}, {{no}}.",
	    "{\"ref\": \"BR-1\", \"n\": 1200, \"c\": true, \"no\": false}",
	    TMPL_TEXT, "Ref BR-1: 1200 people, cyber Yes, No.");
	check("{{a.b.c}}", "{\"a\": {\"b\": {\"c\": \"deep\"}}}", TMPL_TEXT,
	    "deep");
	check("{{list}}", "{\"list\": [\"one\", \"two\", 3]}", TMPL_TEXT,
	    "one, two, 3");
}

static void
test_missing_facts(void **state)
{
	(void)state;
	check("[{{x}}][{{n}}][{{e}}][{{l}}][{{o}}]",
	    "{\"n\": null, \"e\": \"\", \"l\": [], \"o\": {}}", TMPL_TEXT,
	    "[Not yet known][Not yet known][Not yet known][Not yet known]"
	    "[Not yet known]");
	check("{{x}}", "{}", TMPL_MARKDOWN, "_Not yet known_");
	check("{{x}}", "{}", TMPL_HTML,
	    "<em class=\"unknown\">Not yet known</em>");
	check("{{^x}}unknown{{/x}}{{#x}}known{{/x}}", "{\"x\": null}",
	    TMPL_TEXT, "unknown");
	check("{{^x}}unknown{{/x}}{{#x}}known{{/x}}", "{\"x\": 0}",
	    TMPL_TEXT, "known");
	check("{{a.b}}", "{\"a\": \"str\"}", TMPL_TEXT, "Not yet known");
}

static void
test_sections(void **state)
{
	(void)state;
	check("{{#items}}- {{name}} ({{ref}})\n{{/items}}",
	    "{\"ref\": \"R\", \"items\": [{\"name\": \"a\"}, {\"name\": \"b\", "
	    "\"ref\": \"S\"}]}", TMPL_TEXT, "- a (R)\n- b (S)\n");
	check("{{#tags}}<{{.}}>{{/tags}}", "{\"tags\": [\"x\", \"y\"]}",
	    TMPL_TEXT, "<x><y>");
	check("{{#o}}{{k}}{{/o}}", "{\"o\": {\"k\": \"v\"}}", TMPL_TEXT, "v");
	check("{{#f}}no{{/f}}{{^f}}yes{{/f}}", "{\"f\": false}", TMPL_TEXT,
	    "yes");
}

static void
test_standalone_lines(void **state)
{
	(void)state;
	check("A\n{{#l}}\n* {{.}}\n{{/l}}\nB\n  {{! note }}  \nC\n",
	    "{\"l\": [\"1\", \"2\"]}", TMPL_TEXT, "A\n* 1\n* 2\nB\nC\n");
	/* not standalone: text on the line stays */
	check("x {{#l}}y{{/l}} z\n", "{\"l\": true}", TMPL_TEXT, "x y z\n");
	check("{{#l}}\r\nrow\r\n{{/l}}\r\nend", "{\"l\": true}", TMPL_TEXT,
	    "row\r\nend");
}

static void
test_escape_html(void **state)
{
	(void)state;
	check("<p>{{v}}</p>", "{\"v\": \"<script>alert('x')</script> & "
	    "\\\"q\\\"\"}", TMPL_HTML, "<p>&lt;script&gt;alert(&#39;x&#39;)"
	    "&lt;/script&gt; &amp; &quot;q&quot;</p>");
	check("<p>{{v}}</p>", "{\"v\": \"line 1\\nline 2\"}", TMPL_HTML,
	    "<p>line 1<br>\nline 2</p>");
	check("<a title=\"{{v}}\">", "{\"v\": \"\\\" onclick=\\\"x\"}",
	    TMPL_HTML, "<a title=\"&quot; onclick=&quot;x\">");
}

static void
test_escape_markdown(void **state)
{
	(void)state;
	check("{{v}}", "{\"v\": \"[click](javascript:alert(1))\"}",
	    TMPL_MARKDOWN, "\\[click\\]\\(javascript:alert\\(1\\)\\)");
	check("{{v}}", "{\"v\": \"![img](http://x/y.png) <b>hi</b>\"}",
	    TMPL_MARKDOWN, "\\!\\[img\\]\\(http://x/y.png\\) \\<b\\>hi\\</b\\>");
	check("{{v}}", "{\"v\": \"# h\\n    code\\n- item\\n1. one *em* "
	    "_u_ `c` a|b ~s~ &amp;\"}", TMPL_MARKDOWN,
	    "\\# h\ncode\n\\- item\n1\\. one \\*em\\* \\_u\\_ \\`c\\` a\\|b "
	    "\\~s\\~ \\&amp;");
	check("{{v}}", "{\"v\": \"back\\\\slash\"}", TMPL_MARKDOWN,
	    "back\\\\slash");
	/* plain text passes through */
	check("{{v}}", "{\"v\": \"<b>[x](y)</b>\"}", TMPL_TEXT,
	    "<b>[x](y)</b>");
}

static void
test_values_are_not_templates(void **state)
{
	(void)state;
	check("{{v}}", "{\"v\": \"{{secret}} {{#a}}x{{/a}}\", \"secret\": "
	    "\"S\", \"a\": true}", TMPL_TEXT, "{{secret}} {{#a}}x{{/a}}");
	check("{{v}}", "{\"v\": \"{{x}}\"}", TMPL_MARKDOWN,
	    "\\{\\{x\\}\\}");
}

static void
test_control_characters(void **state)
{
	(void)state;
	check("{{v}}", "{\"v\": \"a\\u0000b\\u001bc\\r\\nd\\te\\u007f\"}",
	    TMPL_TEXT, "abc\nd\te");
}

static void
test_non_ascii(void **state)
{
	(void)state;
	check("Dear {{name}},", "{\"name\": \"Zoë Ñúñez-Øyelaran 山田\"}",
	    TMPL_TEXT, "Dear Zoë Ñúñez-Øyelaran 山田,");
	check("{{name}}", "{\"name\": \"Zoë Ñúñez-Øyelaran\"}", TMPL_MARKDOWN,
	    "Zoë Ñúñez\\-Øyelaran");
	check("{{name}}", "{\"name\": \"Ångström <é>\"}", TMPL_HTML,
	    "Ångström &lt;é&gt;");
}

static void
test_parse_errors(void **state)
{
	(void)state;
	parse_fails("a {{b", "not closed");
	parse_fails("{{#a}}x", "is not closed");
	parse_fails("{{/a}}", "closes no section");
	parse_fails("{{#a}}{{/b}}", "closes {{#a}}");
	parse_fails("{{Bad}}", "segments");
	parse_fails("{{a..b}}", "segments");
	parse_fails("{{a.}}", "segments");
	parse_fails("{{}}", "segments");
	parse_fails("{{{raw}}}", "segments");
	parse_fails("{{&raw}}", "segments");
	parse_fails("{{a b}}", "segments");
}

static void
test_nesting_limit(void **state)
{
	char src[512] = "", *out;
	int i;

	(void)state;
	for (i = 0; i < TMPL_DEPTH_MAX; i++)
		snprintf(src + strlen(src), sizeof(src) - strlen(src),
		    "{{#a}}");
	snprintf(src + strlen(src), sizeof(src) - strlen(src), "{{v}}");
	for (i = 0; i < TMPL_DEPTH_MAX; i++)
		snprintf(src + strlen(src), sizeof(src) - strlen(src),
		    "{{/a}}");
	out = run(src, "{\"a\": true, \"v\": \"deep\"}", TMPL_TEXT, MAX);
	assert_non_null(out);
	assert_string_equal(out, "deep");
	free(out);
	snprintf(src, sizeof(src), "{{#a}}%s{{/a}}", "");
	src[0] = '\0';
	for (i = 0; i <= TMPL_DEPTH_MAX; i++)
		snprintf(src + strlen(src), sizeof(src) - strlen(src),
		    "{{#a}}");
	parse_fails(src, "nest more than");
}

static void
test_output_cap(void **state)
{
	char *out;

	(void)state;
	out = run("{{#l}}{{v}}{{/l}}", "{\"l\": [1, 2, 3, 4], \"v\": "
	    "\"0123456789\"}", TMPL_TEXT, 39);
	assert_null(out);
	out = run("{{#l}}{{v}}{{/l}}", "{\"l\": [1, 2, 3, 4], \"v\": "
	    "\"0123456789\"}", TMPL_TEXT, 40);
	assert_non_null(out);
	assert_int_equal(strlen(out), 40);
	free(out);
	/* escaping grows the output; the cap counts the escaped bytes */
	out = run("{{v}}", "{\"v\": \"<<<<\"}", TMPL_HTML, 15);
	assert_null(out);
	out = run("", "{}", TMPL_TEXT, 0);
	assert_non_null(out);
	assert_string_equal(out, "");
	free(out);
}

static void
test_steps_cap(void **state)
{
	char *out;
	json_t *c = json_object(), *l = json_array();
	struct tmpl *t;
	char err[TMPL_ERR_MAX];
	size_t len;
	const char *src = "{{#l}}{{#l}}{{#l}}{{/l}}{{/l}}{{/l}}";

	(void)state;
	/* 200^3 empty iterations: bounded by steps, not by output */
	for (int i = 0; i < 200; i++)
		json_array_append_new(l, json_true());
	json_object_set_new(c, "l", l);
	t = tmpl_parse(src, strlen(src), err, sizeof(err));
	assert_non_null(t);
	assert_int_equal(tmpl_render(t, c, TMPL_TEXT, MAX, &out, &len, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "steps"));
	tmpl_free(t);
	json_decref(c);
}

static void
test_format_parse(void **state)
{
	enum tmpl_format f;

	(void)state;
	assert_int_equal(tmpl_format_parse("text", &f), 0);
	assert_int_equal(f, TMPL_TEXT);
	assert_int_equal(tmpl_format_parse("markdown", &f), 0);
	assert_int_equal(f, TMPL_MARKDOWN);
	assert_int_equal(tmpl_format_parse("html", &f), 0);
	assert_int_equal(f, TMPL_HTML);
	assert_int_equal(tmpl_format_parse("pdf", &f), -1);
	assert_int_equal(tmpl_format_parse(NULL, &f), -1);
}

/* Every prefix of a template parses or fails cleanly (a cheap fuzz). */
static void
test_prefixes(void **state)
{
	const char *src = "A {{#l}}\n- {{x.y}} {{^z}}none{{/z}}\n{{/l}}"
	    "{{! c }}{{.}}";
	char err[TMPL_ERR_MAX], *out;
	size_t len;

	(void)state;
	for (size_t n = 0; n <= strlen(src); n++) {
		struct tmpl *t = tmpl_parse(src, n, err, sizeof(err));
		json_t *c = json_pack("{s:[{s:{s:s}}]}", "l", "x", "y", "v");

		if (t != NULL && tmpl_render(t, c, TMPL_HTML, MAX, &out, &len,
		    err, sizeof(err)) == 0)
			free(out);
		tmpl_free(t);
		json_decref(c);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_missing_facts),
		cmocka_unit_test(test_sections),
		cmocka_unit_test(test_standalone_lines),
		cmocka_unit_test(test_escape_html),
		cmocka_unit_test(test_escape_markdown),
		cmocka_unit_test(test_values_are_not_templates),
		cmocka_unit_test(test_control_characters),
		cmocka_unit_test(test_non_ascii),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_nesting_limit),
		cmocka_unit_test(test_output_cap),
		cmocka_unit_test(test_steps_cap),
		cmocka_unit_test(test_format_parse),
		cmocka_unit_test(test_prefixes),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
