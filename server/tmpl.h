/*
 * tmpl: the small, logic-less template language of the notice drafts.
 * Pure: template text and a JSON context in, text out; no I/O.
 *
 *   {{name}}               name's value, escaped for the output format;
 *                          null, missing, "" and [] print the format's
 *                          "Not yet known" marker, so a fact that is not
 *                          known yet is never silently left out
 *   {{#name}}...{{/name}}  the block once per element of an array (the
 *                          element becomes the context), once with an
 *                          object as the context, once for any other
 *                          value that is not "empty" (false, null,
 *                          missing, "" or [])
 *   {{^name}}...{{/name}}  the block once when name is empty
 *   {{.}}                  the current context value
 *   {{! comment }}         nothing
 *
 * A name is "." or segments of [a-z0-9_] joined by "."; its first segment
 * is looked up from the innermost context outwards, the rest down through
 * objects.  A section, inverted section, close or comment tag alone on its
 * line takes the line with it.  There is no raw (unescaped) tag, and
 * values are never parsed as template text, so "{{" in a fact is text.
 *
 * Escaping: TMPL_TEXT drops control characters except newline and tab;
 * TMPL_MARKDOWN also puts a backslash before every Markdown metacharacter
 * (so no link, image, emphasis, heading, list or HTML can start from a
 * value) and trims the indentation of continuation lines (no code block);
 * TMPL_HTML escapes &, <, >, " and ' and turns newlines into <br>.
 *
 * Limits: the template is at most TMPL_SRC_MAX bytes with at most
 * TMPL_TAGS_MAX tags, sections nest at most TMPL_DEPTH_MAX deep, a render
 * does at most TMPL_STEPS_MAX steps, and the output is capped by the
 * caller.
 */
#ifndef BREACHCLOCK_TMPL_H
#define BREACHCLOCK_TMPL_H

#include <jansson.h>
#include <stddef.h>

#define TMPL_SRC_MAX (128 * 1024)
#define TMPL_TAGS_MAX 4096
#define TMPL_DEPTH_MAX 8
#define TMPL_NAME_MAX 64
#define TMPL_STEPS_MAX 1000000
#define TMPL_ERR_MAX 160

enum tmpl_format {
	TMPL_TEXT,
	TMPL_MARKDOWN,
	TMPL_HTML,
};

struct tmpl;

/*
 * Parse len bytes of src (need not be NUL-terminated; copied).  A new
 * template the caller frees with tmpl_free(), or NULL with a message
 * (naming the byte offset) in err (errlen bytes, may be 0).
 */
struct tmpl *tmpl_parse(const char *src, size_t len, char *err,
    size_t errlen);

/* Free a template; NULL is a no-op. */
void tmpl_free(struct tmpl *t);

/*
 * Render t with the context ctx (borrowed; usually an object) in format f.
 * On success return 0 and set *out to a new NUL-terminated string of *outlen
 * bytes (at most max) that the caller frees.  On error (output over max,
 * too many steps, no memory) return -1 with a message in err.
 */
int tmpl_render(const struct tmpl *t, const json_t *ctx, enum tmpl_format f,
    size_t max, char **out, size_t *outlen, char *err, size_t errlen);

/* The format named "text", "markdown" or "html": 0 with *f, or -1. */
int tmpl_format_parse(const char *name, enum tmpl_format *f);

#endif
