/*
 * register: the breach register (UK GDPR Art. 33(5)) as CSV, HTML or JSON.
 * Pure: register entries (JSON objects, see RegisterEntry in
 * docs/openapi.yaml) in, text appended to a capped buffer out; no I/O.
 *
 * An export is register_head(), then register_entry() once per incident,
 * then register_foot().  Every format shows the same members, in the
 * order of register_columns[].
 *
 * CSV is RFC 4180: CRLF after every record, a field in double quotes when
 * it holds a comma, a quote, CR or LF, quotes doubled.  A field that
 * begins with '=', '+', '-', '@', a tab or a CR is neutralised with a
 * leading single quote, so that no spreadsheet runs it as a formula.
 * HTML escapes every value (& < > " ') and has no script; its only style
 * is REGISTER_HTML_STYLE, which the page's CSP allows by hash.
 */
#ifndef BREACHCLOCK_REGISTER_H
#define BREACHCLOCK_REGISTER_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

enum register_format {
	REGISTER_JSON,
	REGISTER_CSV,
	REGISTER_HTML,
};

/* The text of the page's <style> element (its CSP hash is taken of it). */
extern const char REGISTER_HTML_STYLE[];

/* A growable text buffer that never holds more than max bytes. */
struct register_buf {
	char *p;
	size_t len;
	size_t cap;
	size_t max;
};

/* Empty b with a cap of max bytes (nothing is allocated yet). */
void register_buf_init(struct register_buf *b, size_t max);
/* Free b's memory and leave it empty; b may be reused. */
void register_buf_release(struct register_buf *b);
/* Append n bytes of s: 0, or -1 when that would pass the cap or memory
 * runs out (b is unchanged then). */
int register_buf_add(struct register_buf *b, const char *s, size_t n);

/* "json", "csv" or "html" to a format: 0, or -1. */
int register_format_parse(const char *s, enum register_format *out);

/* The Content-Type of a format (a static string). */
const char *register_content_type(enum register_format f);

/*
 * The opening of the export: the CSV header row, the HTML head and title
 * with the period (from and to are "YYYY-MM-DDTHH:MM:SSZ" or NULL when
 * open) and generated (same form), or the JSON object up to "items":[.
 * 0 or -1 (the buffer's cap).
 */
int register_head(enum register_format f, struct register_buf *b,
    const char *from, const char *to, const char *generated);

/* One incident (entry borrowed); n is how many entries came before it.
 * 0 or -1 (the buffer's cap, or no memory). */
int register_entry(enum register_format f, struct register_buf *b,
    const json_t *entry, int64_t n);

/* The close of the export after count entries.  0 or -1. */
int register_foot(enum register_format f, struct register_buf *b,
    int64_t count);

/* Append s as one CSV field (quoted and neutralised as above).  0 or -1. */
int register_csv_field(struct register_buf *b, const char *s);

/* Append s HTML-escaped.  0 or -1. */
int register_html_escape(struct register_buf *b, const char *s);

#endif
