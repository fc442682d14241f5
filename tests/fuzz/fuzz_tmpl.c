/*
 * fuzz_tmpl: the notice template language (server/tmpl.c), which admins
 * edit and which renders every incident's facts.  The input is a template,
 * then optionally a NUL byte and a JSON context (else a fixed one with
 * hostile values).  Each template that parses is rendered in all three
 * formats.  Oracles: output of the reported length within the cap; where
 * the template itself has none, HTML output has no markup but the
 * engine's own (<br>, the "not yet known" marker) and text output no
 * control characters but newline and tab (values cannot inject them).
 */
#include <stdbool.h>
#include <string.h>

#include <jansson.h>

#include "fuzz.h"
#include "tmpl.h"

#define OUT_MAX (256 * 1024)

static json_t *fixed_ctx;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fixed_ctx = json_pack("{s:s, s:s, s:i, s:b, s:n, s:[s, s, {s:s}], "
	    "s:{s:s, s:{s:s}}, s:s, s:[]}",
	    "title", "<script>alert(1)</script> & \"q\" 'a'",
	    "md", "# h\n* item [x](javascript:1) ![i](x) `c` <b>\n    code",
	    "count", 42, "flag", 1, "none",
	    "list", "a\x01\x1b[31m", "b\tc\r\n", "k", "{{title}}",
	    "obj", "name", "n", "inner", "deep", "&lt;",
	    "empty", "", "nothing");
	return (fixed_ctx != NULL ? 0 : -1);
}

static bool
has_markup(const char *s, size_t n)
{
	return (memchr(s, '<', n) != NULL || memchr(s, '>', n) != NULL);
}

static bool
has_controls(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
			return (true);
	}
	return (false);
}

/* Is s free of markup once the engine's own (line breaks and the "not
 * yet known" marker) is taken out? */
static bool
html_clean(const char *s)
{
	static const char *const own[] = { "<br>",
		"<em class=\"unknown\">Not yet known</em>" };

	while (*s != '\0') {
		size_t skip = 0;

		for (size_t i = 0; i < sizeof(own) / sizeof(own[0]); i++)
			if (strncmp(s, own[i], strlen(own[i])) == 0)
				skip = strlen(own[i]);
		if (skip > 0) {
			s += skip;
			continue;
		}
		if (*s == '<' || *s == '>')
			return (false);
		s++;
	}
	return (true);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum tmpl_format formats[] = { TMPL_TEXT, TMPL_MARKDOWN,
		TMPL_HTML };
	const char *src = (const char *)data;
	const uint8_t *nul = memchr(data, '\0', size);
	size_t srclen = nul != NULL ? (size_t)(nul - data) : size;
	json_t *ctx = NULL;
	struct tmpl *t;
	char err[TMPL_ERR_MAX], *out;
	size_t outlen;

	if (nul != NULL)
		ctx = json_loadb((const char *)nul + 1, size - srclen - 1,
		    JSON_DECODE_ANY, NULL);
	memset(err, 'x', sizeof(err));
	if ((t = tmpl_parse(src, srclen, err, sizeof(err))) == NULL) {
		FUZZ_CHECK(memchr(err, '\0', sizeof(err)) != NULL);
		json_decref(ctx);
		return (0);
	}
	for (size_t i = 0; i < 3; i++) {
		out = NULL;
		if (tmpl_render(t, ctx != NULL ? ctx : fixed_ctx, formats[i],
		    OUT_MAX, &out, &outlen, err, sizeof(err)) == -1) {
			FUZZ_CHECK(memchr(err, '\0', sizeof(err)) != NULL);
			continue;
		}
		FUZZ_CHECK(out != NULL && strlen(out) == outlen);
		FUZZ_CHECK(outlen <= OUT_MAX);
		if (formats[i] == TMPL_HTML && !has_markup(src, srclen))
			FUZZ_CHECK(html_clean(out));
		if (formats[i] == TMPL_TEXT && !has_controls(src, srclen))
			FUZZ_CHECK(!has_controls(out, outlen));
		free(out);
	}
	tmpl_free(t);
	json_decref(ctx);
	return (0);
}
