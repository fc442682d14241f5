/*
 * render: alerts to RFC 5322 messages (see render.h).
 *
 * The body is built once as a small document (a title, rows of label and
 * value, paragraphs, lists, a link) written to a plain-text and an HTML
 * buffer side by side, so the two parts always say the same thing.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "render.h"
#include "timeutil.h"
#include "zone.h"

#define PART_MAX	(1024 * 1024)	/* each of the two body parts */
#define FOLD_AT		78		/* header lines are folded here */
#define EW_BYTES	39		/* UTF-8 bytes per encoded-word */
#define QP_LINE		76
#define FIELD_MAX	20000		/* one incident field in a body */

static const char *const wdays[] = { "Sun", "Mon", "Tue", "Wed", "Thu",
	"Fri", "Sat" };
static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May",
	"Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

/* The two parts of a body, written together. */
struct doc {
	struct buf	text;
	struct buf	html;
	int		in_table;
};

/* ---- JSON helpers (all borrowed) ---- */

static const char *
jstr(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return (json_is_string(v) ? json_string_value(v) : NULL);
}

static int
jtime(json_t *o, const char *key, int64_t *t)
{
	const char *s = jstr(o, key);

	return (s != NULL ? timeutil_parse(s, t) : -1);
}

/* ---- UTF-8 ---- */

/*
 * Decode one UTF-8 sequence at s (n bytes left).  Store the code point
 * in *cp and return its length, or return 0 for an invalid sequence
 * (overlong, surrogate, out of range, truncated).
 */
static size_t
utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
	uint32_t c;
	size_t len, i;

	if (n == 0)
		return (0);
	if (s[0] < 0x80) {
		*cp = s[0];
		return (1);
	}
	if ((s[0] & 0xe0) == 0xc0) {
		len = 2;
		c = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3;
		c = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		len = 4;
		c = s[0] & 0x07;
	} else
		return (0);
	if (len > n)
		return (0);
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return (0);
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((len == 2 && c < 0x80) || (len == 3 && c < 0x800) ||
	    (len == 4 && c < 0x10000) || c > 0x10ffff ||
	    (c >= 0xd800 && c <= 0xdfff))
		return (0);
	*cp = c;
	return (len);
}

/* Control characters, C1 controls and the Unicode line separators. */
static int
is_control(uint32_t cp)
{
	return (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) ||
	    cp == 0x2028 || cp == 0x2029);
}

int
render_clean(struct buf *out, const char *s, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), used = 0, len;
	int space = 0, bad;
	uint32_t cp;

	while (n > 0) {
		bad = 0;
		if ((len = utf8_next(p, n, &cp)) == 0) {
			bad = 1;	/* one invalid byte becomes "?" */
			len = 1;
			cp = '?';
		}
		if (is_control(cp) || cp == ' ') {
			space = used > 0;
		} else {
			size_t w = bad ? 1 : len;

			if (used + (size_t)space + w > max)
				break;
			if (space)
				buf_putc(out, ' ');
			used += (size_t)space;
			space = 0;
			if (bad)
				buf_putc(out, '?');
			else
				buf_add(out, p, len);
			used += w;
		}
		p += len;
		n -= len;
	}
	return (out->err ? -1 : 0);
}

/* Body text: keep newlines and tabs, drop CR and other controls, and
 * replace invalid UTF-8; at most max bytes. */
static int
clean_text(struct buf *out, const char *s, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), used = 0, len;
	uint32_t cp;

	while (n > 0 && used < max) {
		if ((len = utf8_next(p, n, &cp)) == 0) {
			buf_putc(out, '?');
			used++;
			p++;
			n--;
			continue;
		}
		if (cp == '\n' || cp == '\t' || !is_control(cp)) {
			if (used + len > max)
				break;
			buf_add(out, p, len);
			used += len;
		} else if (cp != '\r')
			buf_putc(out, ' ');
		p += len;
		n -= len;
	}
	return (out->err ? -1 : 0);
}

/* ---- headers ---- */

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static int
base64(struct buf *out, const unsigned char *p, size_t n)
{
	char q[4];
	size_t i;

	for (i = 0; i + 2 < n; i += 3) {
		q[0] = b64[p[i] >> 2];
		q[1] = b64[((p[i] & 3) << 4) | (p[i + 1] >> 4)];
		q[2] = b64[((p[i + 1] & 15) << 2) | (p[i + 2] >> 6)];
		q[3] = b64[p[i + 2] & 63];
		buf_add(out, q, 4);
	}
	if (n - i == 1) {
		q[0] = b64[p[i] >> 2];
		q[1] = b64[(p[i] & 3) << 4];
		q[2] = q[3] = '=';
		buf_add(out, q, 4);
	} else if (n - i == 2) {
		q[0] = b64[p[i] >> 2];
		q[1] = b64[((p[i] & 3) << 4) | (p[i + 1] >> 4)];
		q[2] = b64[(p[i + 1] & 15) << 2];
		q[3] = '=';
		buf_add(out, q, 4);
	}
	return (out->err ? -1 : 0);
}

static int
needs_encoding(const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p >= 0x80)
			return (1);
	return (strstr(s, "=?") != NULL);
}

/*
 * Append s (already cleaned) as RFC 2047 "B" encoded-words of at most
 * EW_BYTES bytes each, split between characters; col is the current
 * column, updated.  Words after the first go on continuation lines.
 */
static int
encode_words(struct buf *out, const char *s, size_t *col)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), take, len;
	uint32_t cp;
	int first = 1;

	while (n > 0) {
		take = 0;
		while (take < n) {
			if ((len = utf8_next(p + take, n - take, &cp)) == 0)
				len = 1;	/* cleaned: cannot happen */
			if (take + len > EW_BYTES)
				break;
			take += len;
		}
		if (take == 0)
			take = n < EW_BYTES ? n : EW_BYTES;
		if (!first) {
			buf_puts(out, "\r\n ");
			*col = 1;
		}
		buf_puts(out, "=?UTF-8?B?");
		base64(out, p, take);
		buf_puts(out, "?=");
		*col += 12 + (take + 2) / 3 * 4;
		first = 0;
		p += take;
		n -= take;
	}
	return (out->err ? -1 : 0);
}

/*
 * Append the cleaned ASCII text s folded at spaces from column *col;
 * start is the column just after "Name:", where the first word always
 * goes (after one space) without folding.
 */
static int
fold_words(struct buf *out, const char *s, size_t *col, size_t start)
{
	const char *w, *e;
	size_t wl;

	for (w = s; *w != '\0'; w = e) {
		while (*w == ' ')
			w++;
		if (*w == '\0')
			break;
		for (e = w; *e != '\0' && *e != ' '; e++)
			;
		wl = (size_t)(e - w);
		if (*col > start && *col + 1 + wl > FOLD_AT) {
			buf_puts(out, "\r\n ");
			*col = 1;
		} else {
			buf_putc(out, ' ');
			(*col)++;
		}
		buf_add(out, w, wl);
		*col += wl;
	}
	return (out->err ? -1 : 0);
}

/* Append a cleaned phrase (display name or text) at *col. */
static int
put_phrase(struct buf *out, const char *clean, size_t *col, size_t start)
{
	if (needs_encoding(clean)) {
		buf_putc(out, ' ');
		(*col)++;
		return (encode_words(out, clean, col));
	}
	return (fold_words(out, clean, col, start));
}

int
render_header(struct buf *out, const char *name, const char *value)
{
	struct buf v;
	size_t col, start;
	int rc = -1;

	buf_init(&v, RENDER_HEADER_MAX + 8);
	if (render_clean(&v, value, RENDER_HEADER_MAX) == -1)
		goto out;
	buf_printf(out, "%s:", name);
	col = start = strlen(name) + 1;
	if (put_phrase(out, buf_str(&v), &col, start) == -1)
		goto out;
	buf_puts(out, "\r\n");
	rc = out->err ? -1 : 0;
out:
	buf_release(&v);
	return (rc);
}

/* "Name: display <addr>\r\n"; a display name equal to addr is left out. */
static int
address_header(struct buf *out, const char *name, const char *display,
    const char *addr)
{
	struct buf v;
	const char *p;
	size_t col, start;
	int rc = -1;

	buf_init(&v, RENDER_HEADER_MAX + 8);
	if (display != NULL && strcmp(display, addr) != 0 &&
	    render_clean(&v, display, 200) == -1)
		goto out;
	buf_printf(out, "%s:", name);
	col = start = strlen(name) + 1;
	if (v.len > 0 && needs_encoding(buf_str(&v))) {
		put_phrase(out, buf_str(&v), &col, start);
	} else if (v.len > 0) {
		/* A quoted-string: quotes and backslashes escaped. */
		buf_puts(out, " \"");
		col += 2;
		for (p = buf_str(&v); *p != '\0'; p++, col++) {
			if (*p == '"' || *p == '\\') {
				buf_putc(out, '\\');
				col++;
			}
			buf_putc(out, *p);
		}
		buf_putc(out, '"');
		col++;
	}
	if (col > start && col + 3 + strlen(addr) > FOLD_AT) {
		buf_puts(out, "\r\n");
		col = 0;
	}
	buf_printf(out, " <%s>\r\n", addr);
	rc = out->err ? -1 : 0;
out:
	buf_release(&v);
	return (rc);
}

int
render_address_ok(const char *addr)
{
	const char *at = NULL, *p;
	size_t n;

	if (addr == NULL)
		return (0);
	n = strnlen(addr, RENDER_ADDR_MAX + 1);
	if (n == 0 || n > RENDER_ADDR_MAX)
		return (0);
	for (p = addr; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;

		if (c <= 0x20 || c >= 0x7f || strchr("<>()[]\\,;:\"", c))
			return (0);
		if (c == '@') {
			if (at != NULL)
				return (0);
			at = p;
		}
	}
	if (at == NULL || at == addr || at[1] == '\0' || at[1] == '.' ||
	    addr[n - 1] == '.')
		return (0);
	return (1);
}

int
render_split_from(const char *from, char *name, size_t nlen, char *addr,
    size_t alen)
{
	const char *lt, *gt;
	size_t nl, al;

	if (from == NULL || nlen == 0 || alen == 0)
		return (-1);
	name[0] = addr[0] = '\0';
	if ((lt = strrchr(from, '<')) == NULL) {
		if (strlen(from) >= alen)
			return (-1);
		snprintf(addr, alen, "%s", from);
		return (render_address_ok(addr) ? 0 : -1);
	}
	if ((gt = strchr(lt, '>')) == NULL || gt[1] != '\0')
		return (-1);
	al = (size_t)(gt - lt - 1);
	if (al >= alen)
		return (-1);
	memcpy(addr, lt + 1, al);
	addr[al] = '\0';
	while (lt > from && lt[-1] == ' ')
		lt--;
	if (*from == '"' && lt > from + 1 && lt[-1] == '"') {
		from++;
		lt--;
	}
	nl = (size_t)(lt - from);
	if (nl >= nlen)
		return (-1);
	memcpy(name, from, nl);
	name[nl] = '\0';
	return (render_address_ok(addr) ? 0 : -1);
}

/* ---- bodies ---- */

int
render_qp(struct buf *out, const char *text, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i, col = 0;
	char rep[3];
	size_t rl;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)text[i];
		int last = (i + 1 == n || text[i + 1] == '\n' ||
		    (text[i + 1] == '\r' && (i + 2 == n ||
		    text[i + 2] == '\n')));

		if (c == '\r')
			continue;
		if (c == '\n') {
			buf_puts(out, "\r\n");
			col = 0;
			continue;
		}
		if ((c >= 33 && c <= 126 && c != '=' &&
		    !(c == '.' && col == 0)) ||
		    ((c == ' ' || c == '\t') && !last)) {
			rep[0] = (char)c;
			rl = 1;
		} else {
			rep[0] = '=';
			rep[1] = hex[c >> 4];
			rep[2] = hex[c & 15];
			rl = 3;
		}
		if (col + rl > QP_LINE - 1) {
			buf_puts(out, "=\r\n");
			col = 0;
		}
		buf_add(out, rep, rl);
		col += rl;
	}
	if (col > 0)
		buf_puts(out, "\r\n");
	return (out->err ? -1 : 0);
}

int
render_html_escape(struct buf *out, const char *s)
{
	const char *p, *run = s;

	for (p = s; *p != '\0'; p++) {
		const char *e = NULL;

		switch (*p) {
		case '&': e = "&amp;"; break;
		case '<': e = "&lt;"; break;
		case '>': e = "&gt;"; break;
		case '"': e = "&quot;"; break;
		case '\'': e = "&#39;"; break;
		default: continue;
		}
		buf_add(out, run, (size_t)(p - run));
		buf_puts(out, e);
		run = p + 1;
	}
	buf_add(out, run, (size_t)(p - run));
	return (out->err ? -1 : 0);
}

/* Escaped HTML of s cleaned as body text, newlines as <br>. */
static void
html_text(struct buf *out, const char *s)
{
	struct buf c;
	const char *p, *nl;

	buf_init(&c, FIELD_MAX + 8);
	if (clean_text(&c, s, FIELD_MAX) == -1) {
		out->err = 1;
		goto out;
	}
	for (p = buf_str(&c); ; p = nl + 1) {
		struct buf line;

		nl = strchr(p, '\n');
		buf_init(&line, FIELD_MAX + 8);
		buf_add(&line, p, nl != NULL ? (size_t)(nl - p) : strlen(p));
		render_html_escape(out, buf_str(&line));
		buf_release(&line);
		if (nl == NULL)
			break;
		buf_puts(out, "<br>\n");
	}
out:
	buf_release(&c);
}

static void
doc_init(struct doc *d)
{
	buf_init(&d->text, PART_MAX);
	buf_init(&d->html, PART_MAX);
	d->in_table = 0;
}

static void
doc_release(struct doc *d)
{
	buf_release(&d->text);
	buf_release(&d->html);
}

static void
doc_table_end(struct doc *d)
{
	if (d->in_table) {
		buf_puts(&d->html, "</table>\n");
		buf_putc(&d->text, '\n');
		d->in_table = 0;
	}
}

static void
doc_heading(struct doc *d, const char *s, int level)
{
	size_t n;

	doc_table_end(d);
	clean_text(&d->text, s, FIELD_MAX);
	buf_putc(&d->text, '\n');
	for (n = 0; n < 40 && n < strlen(s); n++)
		buf_putc(&d->text, level == 1 ? '~' : '-');
	buf_puts(&d->text, "\n\n");
	buf_printf(&d->html, "<h%d>", level + 1);
	html_text(&d->html, s);
	buf_printf(&d->html, "</h%d>\n", level + 1);
}

static void
doc_para(struct doc *d, const char *s)
{
	doc_table_end(d);
	clean_text(&d->text, s, FIELD_MAX);
	buf_puts(&d->text, "\n\n");
	buf_puts(&d->html, "<p>");
	html_text(&d->html, s);
	buf_puts(&d->html, "</p>\n");
}

/* One labelled value; nothing when value is NULL or empty. */
static void
doc_row(struct doc *d, const char *label, const char *value)
{
	if (value == NULL || *value == '\0')
		return;
	if (!d->in_table) {
		buf_puts(&d->html, "<table cellpadding=\"3\" "
		    "style=\"border-collapse:collapse\">\n");
		d->in_table = 1;
	}
	buf_printf(&d->text, "%-16s ", label);
	buf_putc(&d->text, ':');
	buf_putc(&d->text, ' ');
	clean_text(&d->text, value, FIELD_MAX);
	buf_putc(&d->text, '\n');
	buf_puts(&d->html, "<tr><th align=\"left\" valign=\"top\">");
	render_html_escape(&d->html, label);
	buf_puts(&d->html, "</th><td>");
	html_text(&d->html, value);
	buf_puts(&d->html, "</td></tr>\n");
}

static int
url_ok(const char *url)
{
	return (url != NULL && (strncmp(url, "https://", 8) == 0 ||
	    strncmp(url, "http://", 7) == 0) && strlen(url) < 2000 &&
	    strpbrk(url, " \t\r\n\"'<>\\") == NULL);
}

static void
doc_link(struct doc *d, const char *label, const char *url)
{
	if (!url_ok(url))
		return;
	doc_table_end(d);
	buf_printf(&d->text, "%s: %s\n\n", label, url);
	buf_puts(&d->html, "<p><a href=\"");
	render_html_escape(&d->html, url);
	buf_puts(&d->html, "\">");
	render_html_escape(&d->html, label);
	buf_puts(&d->html, "</a></p>\n");
}

static void
doc_list_begin(struct doc *d)
{
	doc_table_end(d);
	buf_puts(&d->html, "<ul>\n");
}

static void
doc_item(struct doc *d, const char *s)
{
	buf_puts(&d->text, "  - ");
	clean_text(&d->text, s, FIELD_MAX);
	buf_putc(&d->text, '\n');
	buf_puts(&d->html, "<li>");
	html_text(&d->html, s);
	buf_puts(&d->html, "</li>\n");
}

static void
doc_list_end(struct doc *d)
{
	buf_putc(&d->text, '\n');
	buf_puts(&d->html, "</ul>\n");
}

/* ---- times and durations ---- */

/* "Tue 27 Nov 2026 14:30 GMT" (long), "Tue 14:30 GMT" (short within
 * six days of now), else "Tue 3 Dec 14:30 GMT". */
static void
fmt_time(struct buf *out, const char *tz, int64_t t, int64_t now, int full)
{
	struct zone_tm z;

	if (zone_local(tz, t, &z) == -1 && zone_local("UTC", t, &z) == -1) {
		buf_puts(out, "?");
		return;
	}
	if (full)
		buf_printf(out, "%s %d %s %d %02d:%02d %s", wdays[z.wday],
		    z.mday, months[z.mon - 1], z.year, z.hour, z.min, z.abbr);
	else if (t - now < 6 * 86400 && now - t < 6 * 86400)
		buf_printf(out, "%s %02d:%02d %s", wdays[z.wday], z.hour,
		    z.min, z.abbr);
	else
		buf_printf(out, "%s %d %s %02d:%02d %s", wdays[z.wday], z.mday,
		    months[z.mon - 1], z.hour, z.min, z.abbr);
}

/* The instant in the recipient's zone and, unless that is UTC, in UTC. */
static void
fmt_both(struct buf *out, const char *tz, int64_t t)
{
	struct zone_tm z;

	fmt_time(out, tz, t, t, 1);
	if (zone_local(tz, t, &z) == 0 && strcmp(z.abbr, "UTC") != 0 &&
	    zone_local("UTC", t, &z) == 0)
		buf_printf(out, " (%02d:%02d UTC)", z.hour, z.min);
}

/* A duration for people: "45 min", "6 h", "5 h 30 min", "3 d 4 h". */
static void
fmt_dur(struct buf *out, int64_t secs)
{
	int64_t m, h;

	if (secs < 0)
		secs = -secs;
	m = (secs + 30) / 60;
	if (m < 60) {
		buf_printf(out, "%lld min", (long long)m);
		return;
	}
	if (m < 600) {
		m = (m + 2) / 5 * 5;
		if (m % 60 == 0)
			buf_printf(out, "%lld h", (long long)(m / 60));
		else
			buf_printf(out, "%lld h %lld min", (long long)(m / 60),
			    (long long)(m % 60));
		return;
	}
	h = (m + 30) / 60;
	if (h < 48) {
		buf_printf(out, "%lld h", (long long)h);
		return;
	}
	if (h % 24 == 0)
		buf_printf(out, "%lld d", (long long)(h / 24));
	else
		buf_printf(out, "%lld d %lld h", (long long)(h / 24),
		    (long long)(h % 24));
}

/* ---- what an alert says ---- */

/* "ICO notification", "CSIRT early warning": who is told, and what. */
static void
obligation_label(struct buf *out, json_t *ob)
{
	const char *rcpt = jstr(ob, "recipient"), *phase = jstr(ob, "phase");
	const char *pname = jstr(ob, "phase_name"), *lp, *rp, *p;
	struct buf who;
	int abbr = 0;

	buf_init(&who, 256);
	if (rcpt != NULL && (lp = strrchr(rcpt, '(')) != NULL &&
	    (rp = strchr(lp, ')')) != NULL && rp - lp - 1 >= 2 &&
	    rp - lp - 1 <= 12) {
		abbr = 1;
		for (p = lp + 1; p < rp; p++)
			if (!((*p >= 'A' && *p <= 'Z') || (*p >= '0' &&
			    *p <= '9') || *p == ' ' || *p == '-'))
				abbr = 0;
		if (abbr)
			buf_add(&who, lp + 1, (size_t)(rp - lp - 1));
	}
	if (!abbr && rcpt != NULL)
		render_clean(&who, rcpt, 60);
	else if (!abbr && jstr(ob, "regime_name") != NULL)
		render_clean(&who, jstr(ob, "regime_name"), 60);
	if (who.len == 0)
		buf_puts(&who, "obligation");
	buf_puts(out, buf_str(&who));
	buf_release(&who);
	if (phase == NULL || strcmp(phase, "initial") == 0 ||
	    strcmp(phase, "notification") == 0 || strcmp(phase, "single") == 0)
		buf_puts(out, " notification");
	else {
		buf_putc(out, ' ');
		render_clean(out, pname != NULL ? pname : phase, 60);
	}
	if (json_is_true(json_object_get(ob, "target")))
		buf_puts(out, " (target)");
}

/* Subject text after "REF: " for a ladder alert. */
static void
ladder_subject(struct buf *out, json_t *alert, const char *tz, int64_t now)
{
	json_t *ob = json_object_get(alert, "obligation");
	const char *step = jstr(alert, "step");
	int64_t due;

	obligation_label(out, ob);
	if (jtime(ob, "due_at", &due) == -1) {
		buf_puts(out, " reminder");
		return;
	}
	if (due - now >= 60 && (step == NULL ||
	    strncmp(step, "overdue", 7) != 0)) {
		buf_puts(out, " due in ");
		fmt_dur(out, due - now);
		buf_puts(out, " (");
	} else if (now - due < 60) {
		buf_puts(out, " due now (");
	} else {
		buf_puts(out, " overdue by ");
		fmt_dur(out, now - due);
		buf_puts(out, " (due ");
	}
	fmt_time(out, tz, due, now, 0);
	buf_putc(out, ')');
}

static void
event_subject(struct buf *out, json_t *alert)
{
	json_t *ev = json_object_get(alert, "event");
	json_t *inc = json_object_get(alert, "incident");
	json_t *detail = json_object_get(ev, "detail");
	const char *name = jstr(ev, "name"), *v;

	if (name == NULL)
		name = jstr(alert, "step");
	if (name == NULL)
		name = "event";
	if (strcmp(name, "incident.reported") == 0)
		buf_puts(out, "suspected breach reported");
	else if (strcmp(name, "incident.confirmed") == 0)
		buf_puts(out, "breach confirmed");
	else if (strcmp(name, "risk.decided") == 0) {
		buf_puts(out, "risk decided");
		if ((v = jstr(detail, "level")) != NULL ||
		    (v = jstr(inc, "risk")) != NULL)
			buf_printf(out, ": %.20s", v);
	} else if (strcmp(name, "risk.reassess") == 0) {
		buf_puts(out, "reassess the risk: the facts changed after "
		    "\"unlikely\"");
	} else if (strcmp(name, "incident.assigned") == 0) {
		buf_puts(out, "assigned");
		if ((v = jstr(detail, "assignee")) != NULL ||
		    (v = jstr(inc, "assignee")) != NULL)
			buf_printf(out, " to %.100s", v);
	} else if (strcmp(name, "incident.untriaged") == 0) {
		json_t *h = json_object_get(detail, "hours");

		buf_puts(out, "suspected breach not triaged");
		if (json_is_integer(h))
			buf_printf(out, " after %lld h",
			    (long long)json_integer_value(h));
	} else
		buf_printf(out, "%.100s", name);
	if ((v = jstr(inc, "title")) != NULL) {
		buf_puts(out, ": ");
		render_clean(out, v, 200);
	}
}

static void
digest_subject(struct buf *out, json_t *alert, const char *tz, int64_t now)
{
	json_t *dg = json_object_get(alert, "digest");
	struct zone_tm z;

	buf_puts(out, "breachclock digest");
	if (zone_local(tz, now, &z) == 0 || zone_local("UTC", now, &z) == 0)
		buf_printf(out, " %s %d %s", wdays[z.wday], z.mday,
		    months[z.mon - 1]);
	buf_printf(out, ": %zu open, %zu due in 7 days, %zu overdue",
	    json_array_size(json_object_get(dg, "open_incidents")),
	    json_array_size(json_object_get(dg, "due_7d")),
	    json_array_size(json_object_get(dg, "overdue")));
}

int
render_subject(json_t *alert, const char *tz, int64_t now, struct buf *out)
{
	const char *kind = jstr(alert, "kind");
	const char *ref = jstr(json_object_get(alert, "incident"), "ref");
	struct buf s;
	int rc;

	if (kind == NULL)
		return (-1);
	buf_init(&s, 4096);
	if (strcmp(kind, "digest") == 0)
		digest_subject(&s, alert, tz, now);
	else {
		if (ref != NULL) {
			render_clean(&s, ref, 40);
			buf_puts(&s, ": ");
		}
		if (strcmp(kind, "ladder") == 0)
			ladder_subject(&s, alert, tz, now);
		else if (strcmp(kind, "event") == 0)
			event_subject(&s, alert);
		else if (strcmp(kind, "failure") == 0) {
			json_t *f = json_object_get(alert, "failure");
			json_t *id = json_object_get(f, "alert_id");

			if (ref == NULL)
				buf_puts(&s, "breachclock: ");
			buf_puts(&s, "alert ");
			if (json_is_integer(id))
				buf_printf(&s, "%lld ",
				    (long long)json_integer_value(id));
			buf_puts(&s, "failed permanently");
		} else
			buf_printf(&s, "%.40s alert", kind);
	}
	rc = s.err ? -1 : render_clean(out, buf_str(&s), RENDER_HEADER_MAX);
	buf_release(&s);
	return (rc);
}

/* A number or string field as text into a small buffer. */
static const char *
jtext(json_t *o, const char *key, char *tmp, size_t len)
{
	json_t *v = json_object_get(o, key);

	if (json_is_string(v))
		return (json_string_value(v));
	if (json_is_integer(v)) {
		snprintf(tmp, len, "%lld", (long long)json_integer_value(v));
		return (tmp);
	}
	if (json_is_true(v))
		return ("yes");
	if (json_is_false(v))
		return ("no");
	return (NULL);
}

/* An array of strings joined by ", " (or NULL when empty). */
static const char *
jjoin(json_t *o, const char *key, struct buf *tmp)
{
	json_t *v;
	size_t i;

	buf_reset(tmp);
	json_array_foreach(json_object_get(o, key), i, v) {
		if (!json_is_string(v))
			continue;
		if (tmp->len > 0)
			buf_puts(tmp, ", ");
		buf_puts(tmp, json_string_value(v));
	}
	return (tmp->len > 0 && !tmp->err ? buf_str(tmp) : NULL);
}

static void
time_row(struct doc *d, const char *label, json_t *o, const char *key,
    const char *tz)
{
	struct buf t;
	int64_t v;

	if (jtime(o, key, &v) == -1)
		return;
	buf_init(&t, 256);
	fmt_both(&t, tz, v);
	doc_row(d, label, buf_str(&t));
	buf_release(&t);
}

static void
incident_rows(struct doc *d, json_t *inc, const char *tz)
{
	struct buf tmp;
	char num[32];

	if (!json_is_object(inc))
		return;
	buf_init(&tmp, FIELD_MAX);
	doc_row(d, "Incident", jstr(inc, "ref"));
	doc_row(d, "Title", jstr(inc, "title"));
	doc_row(d, "Status", jstr(inc, "status"));
	doc_row(d, "Risk", jstr(inc, "risk"));
	doc_row(d, "Assignee", jstr(inc, "assignee"));
	time_row(d, "Discovered", inc, "discovered_at", tz);
	time_row(d, "Aware", inc, "aware_at", tz);
	doc_row(d, "People affected", jtext(inc, "subjects_count", num,
	    sizeof(num)));
	doc_row(d, "Records", jtext(inc, "records_count", num, sizeof(num)));
	doc_row(d, "Data", jjoin(inc, "data_categories", &tmp));
	doc_row(d, "Whose data", jjoin(inc, "subject_categories", &tmp));
	doc_row(d, "Jurisdictions", jjoin(inc, "jurisdictions", &tmp));
	doc_row(d, "Cyber incident", jtext(inc, "cyber_incident", num,
	    sizeof(num)));
	doc_row(d, "DPO contact", jstr(inc, "dpo_contact"));
	buf_release(&tmp);
	if (jstr(inc, "description") != NULL) {
		doc_heading(d, "What happened", 2);
		doc_para(d, jstr(inc, "description"));
	}
	if (jstr(inc, "likely_consequences") != NULL) {
		doc_heading(d, "Likely consequences", 2);
		doc_para(d, jstr(inc, "likely_consequences"));
	}
	if (jstr(inc, "measures_taken") != NULL) {
		doc_heading(d, "Measures taken", 2);
		doc_para(d, jstr(inc, "measures_taken"));
	}
}

static void
ladder_body(struct doc *d, json_t *alert, const char *tz, int64_t now)
{
	json_t *ob = json_object_get(alert, "obligation");
	struct buf t;
	int64_t due;

	buf_init(&t, 1024);
	if (jtime(ob, "due_at", &due) == 0) {
		time_row(d, "Due", ob, "due_at", tz);
		buf_reset(&t);
		fmt_dur(&t, due - now);
		doc_row(d, due >= now ? "Time left" : "Overdue by",
		    buf_str(&t));
	}
	doc_row(d, "Notify", jstr(ob, "recipient"));
	doc_row(d, "Obligation", jstr(ob, "regime_name"));
	doc_row(d, "Phase", jstr(ob, "phase_name"));
	doc_row(d, "State", jstr(ob, "state"));
	doc_row(d, "Legal source", jstr(ob, "legal_source"));
	if (url_ok(jstr(ob, "citation_url")))
		doc_row(d, "Citation", jstr(ob, "citation_url"));
	if (json_is_true(json_object_get(ob, "target")))
		doc_row(d, "Note", "This is a target, not a legal deadline.");
	buf_release(&t);
}

static void
event_body(struct doc *d, json_t *alert, const char *tz)
{
	json_t *ev = json_object_get(alert, "event"), *v;
	json_t *detail = json_object_get(ev, "detail");
	const char *k, *name = jstr(ev, "name");
	struct buf list;
	char num[32];

	doc_row(d, "Event", name);
	time_row(d, "At", ev, "at", tz);
	doc_row(d, "By", jstr(ev, "actor"));
	buf_init(&list, 4096);
	json_object_foreach(detail, k, v) {
		char label[64];

		snprintf(label, sizeof(label), "%s", k);
		doc_row(d, label, json_is_array(v) ? jjoin(detail, k, &list) :
		    jtext(detail, k, num, sizeof(num)));
	}
	buf_release(&list);
	if (name != NULL && strcmp(name, "risk.reassess") == 0)
		doc_row(d, "To do", "The decision in force is \"unlikely\" and "
		    "the facts it rests on have changed: reassess the severity "
		    "and record a new risk decision.");
}

static void
digest_obligations(struct doc *d, json_t *list, const char *title,
    const char *tz, int64_t now)
{
	json_t *o;
	struct buf line;
	size_t i;
	int64_t due;

	doc_heading(d, title, 2);
	if (json_array_size(list) == 0) {
		doc_para(d, "None.");
		return;
	}
	buf_init(&line, 4096);
	doc_list_begin(d);
	json_array_foreach(list, i, o) {
		buf_reset(&line);
		buf_printf(&line, "%.40s: ", jstr(o, "ref") != NULL ?
		    jstr(o, "ref") : "?");
		render_clean(&line, jstr(o, "phase_name") != NULL ?
		    jstr(o, "phase_name") : jstr(o, "regime_id") != NULL ?
		    jstr(o, "regime_id") : "obligation", 200);
		if (jstr(o, "recipient") != NULL) {
			buf_puts(&line, " to ");
			render_clean(&line, jstr(o, "recipient"), 200);
		}
		if (jtime(o, "due_at", &due) == 0) {
			buf_puts(&line, due > now ? ", due " : ", was due ");
			fmt_both(&line, tz, due);
		}
		if (jstr(o, "title") != NULL) {
			buf_puts(&line, " (");
			render_clean(&line, jstr(o, "title"), 200);
			buf_puts(&line, ")");
		}
		doc_item(d, buf_str(&line));
	}
	doc_list_end(d);
	buf_release(&line);
}

static void
digest_body(struct doc *d, json_t *alert, const char *tz, int64_t now)
{
	json_t *dg = json_object_get(alert, "digest"), *o;
	json_t *open = json_object_get(dg, "open_incidents");
	struct buf line;
	size_t i;

	digest_obligations(d, json_object_get(dg, "overdue"), "Overdue", tz,
	    now);
	digest_obligations(d, json_object_get(dg, "due_7d"),
	    "Due in the next 7 days", tz, now);
	doc_heading(d, "Open incidents", 2);
	if (json_array_size(open) == 0) {
		doc_para(d, "None.");
		return;
	}
	buf_init(&line, 4096);
	doc_list_begin(d);
	json_array_foreach(open, i, o) {
		buf_reset(&line);
		buf_printf(&line, "%.40s: ", jstr(o, "ref") != NULL ?
		    jstr(o, "ref") : "?");
		render_clean(&line, jstr(o, "title") != NULL ?
		    jstr(o, "title") : "", 200);
		buf_printf(&line, " (%.20s", jstr(o, "status") != NULL ?
		    jstr(o, "status") : "?");
		if (jstr(o, "risk") != NULL)
			buf_printf(&line, ", risk %.20s", jstr(o, "risk"));
		buf_putc(&line, ')');
		doc_item(d, buf_str(&line));
	}
	doc_list_end(d);
	buf_release(&line);
}

static void
failure_body(struct doc *d, json_t *alert)
{
	json_t *f = json_object_get(alert, "failure");
	char num[32];

	doc_para(d, "An alert could not be delivered and will not be "
	    "retried. Check the mail settings and the recipient, then "
	    "look at the outbox (GET /api/v1/alerts?state=failed).");
	doc_row(d, "Alert", jtext(f, "alert_id", num, sizeof(num)));
	doc_row(d, "Key", jstr(f, "key"));
	doc_row(d, "Error", jstr(f, "error"));
}

/* Build both parts of the body of alert for a reader in zone tz. */
static int
build_doc(struct doc *d, json_t *alert, const char *subject, const char *tz,
    int64_t now)
{
	const char *kind = jstr(alert, "kind");
	json_t *inc = json_object_get(alert, "incident");

	buf_puts(&d->html, "<!DOCTYPE html>\n<html><head><meta "
	    "charset=\"utf-8\"><title>");
	render_html_escape(&d->html, subject);
	buf_puts(&d->html, "</title></head>\n<body style=\"font-family:"
	    "sans-serif\">\n");
	doc_heading(d, subject, 1);
	if (strcmp(kind, "ladder") == 0)
		ladder_body(d, alert, tz, now);
	else if (strcmp(kind, "event") == 0)
		event_body(d, alert, tz);
	else if (strcmp(kind, "digest") == 0)
		digest_body(d, alert, tz, now);
	else if (strcmp(kind, "failure") == 0)
		failure_body(d, alert);
	if (strcmp(kind, "digest") != 0)
		incident_rows(d, inc, tz);
	doc_table_end(d);
	doc_link(d, "Open the incident in breachclock", jstr(alert,
	    "web_url"));
	buf_puts(&d->text, "-- \nSent by breachclock. Times are shown in ");
	buf_puts(&d->text, tz);
	buf_puts(&d->text, " and UTC.\n");
	buf_puts(&d->html, "<p style=\"color:#666\">Sent by breachclock. "
	    "Times are shown in ");
	render_html_escape(&d->html, tz);
	buf_puts(&d->html, " and UTC.</p>\n</body></html>\n");
	return (d->text.err || d->html.err ? -1 : 0);
}

/* A token for Message-IDs: letters, digits, ".", "-" and "_" only. */
static void
msgid_token(char *dst, size_t len, const char *s)
{
	size_t i = 0;

	for (; s != NULL && *s != '\0' && i + 1 < len; s++)
		if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '.' || *s == '-' ||
		    *s == '_')
			dst[i++] = *s;
	dst[i] = '\0';
}

json_t *
render_recipient(json_t *alert, size_t idx, const char **email)
{
	json_t *r = json_array_get(json_object_get(alert, "recipients"), idx);
	const char *e = jstr(r, "email");

	*email = render_address_ok(e) ? e : NULL;
	return (r);
}

int
render_message_id(json_t *alert, size_t idx, char *msgid, size_t msgidlen)
{
	json_t *id = json_object_get(alert, "id");
	int w;

	if (!json_is_integer(id) || msgidlen < RENDER_MSGID_MAX)
		return (-1);
	w = snprintf(msgid, msgidlen, "<alert-%lld.%zu@breachclock>",
	    (long long)json_integer_value(id), idx);
	if (w < 0 || (size_t)w >= msgidlen)
		return (-1);
	return (0);
}

int
render_message(json_t *alert, size_t idx, const char *from, int64_t now,
    struct buf *out, char *msgid, size_t msgidlen)
{
	char fname[256], faddr[RENDER_ADDR_MAX + 1], thread[64], bnd[80];
	char date[64], mixed[80], attname[RENDER_ATTNAME_MAX];
	const char *email, *tz, *kind = jstr(alert, "kind");
	json_t *rcpt, *id = json_object_get(alert, "id");
	json_t *notice = json_object_get(alert, "notice");
	const char *nbody = jstr(notice, "body");
	struct buf subj;
	struct doc d;
	struct tm tm;
	time_t tt = (time_t)now;
	int rc = -1;

	if ((rcpt = render_recipient(alert, idx, &email)) == NULL)
		return (-1);
	if (email == NULL)
		return (1);
	if (!json_is_integer(id) || kind == NULL || msgidlen <
	    RENDER_MSGID_MAX || render_split_from(from, fname,
	    sizeof(fname), faddr, sizeof(faddr)) == -1)
		return (-1);
	if ((tz = jstr(rcpt, "tz")) == NULL || zone_local(tz, now,
	    &(struct zone_tm){ 0 }) == -1)
		tz = "UTC";
	if (render_message_id(alert, idx, msgid, msgidlen) == -1)
		return (-1);
	snprintf(bnd, sizeof(bnd), "=_breachclock_alert_%lld_%zu",
	    (long long)json_integer_value(id), idx);
	/* Boundaries start "=_", which quoted-printable text never does. */
	snprintf(mixed, sizeof(mixed), "=_breachclock_mixed_%lld_%zu",
	    (long long)json_integer_value(id), idx);
	msgid_token(attname, sizeof(attname), jstr(notice, "filename"));
	if (attname[0] == '\0' || attname[0] == '.')
		snprintf(attname, sizeof(attname), "notice.txt");
	msgid_token(thread, sizeof(thread), jstr(alert, "thread_key"));
	if (gmtime_r(&tt, &tm) == NULL ||
	    strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000",
	    &tm) == 0)
		return (-1);

	buf_init(&subj, RENDER_HEADER_MAX + 8);
	doc_init(&d);
	if (render_subject(alert, tz, now, &subj) == -1 ||
	    build_doc(&d, alert, buf_str(&subj), tz, now) == -1)
		goto out;

	buf_printf(out, "Date: %s\r\n", date);
	address_header(out, "From", fname[0] != '\0' ? fname : "breachclock",
	    faddr);
	address_header(out, "To", jstr(rcpt, "name"), email);
	render_header(out, "Subject", buf_str(&subj));
	buf_printf(out, "Message-ID: %s\r\n", msgid);
	if (thread[0] != '\0') {
		buf_printf(out, "In-Reply-To: <%s@breachclock>\r\n", thread);
		buf_printf(out, "References: <%s@breachclock>\r\n", thread);
	}
	buf_puts(out, "MIME-Version: 1.0\r\n");
	if (nbody != NULL)
		buf_printf(out, "Content-Type: multipart/mixed;\r\n"
		    " boundary=\"%s\"\r\n", mixed);
	else
		buf_printf(out, "Content-Type: multipart/alternative;\r\n"
		    " boundary=\"%s\"\r\n", bnd);
	buf_puts(out, "Auto-Submitted: auto-generated\r\n");
	buf_puts(out, "X-Auto-Response-Suppress: All\r\n");
	if (jstr(alert, "key") != NULL)
		render_header(out, "X-Breachclock-Alert", jstr(alert, "key"));
	buf_puts(out, "\r\nThis is a multi-part message in MIME format.\r\n");
	if (nbody != NULL)
		buf_printf(out, "\r\n--%s\r\nContent-Type: "
		    "multipart/alternative;\r\n boundary=\"%s\"\r\n", mixed,
		    bnd);
	buf_printf(out, "\r\n--%s\r\n", bnd);
	buf_puts(out, "Content-Type: text/plain; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n\r\n");
	render_qp(out, d.text.data != NULL ? d.text.data : "", d.text.len);
	buf_printf(out, "\r\n--%s\r\n", bnd);
	buf_puts(out, "Content-Type: text/html; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n\r\n");
	render_qp(out, d.html.data != NULL ? d.html.data : "", d.html.len);
	buf_printf(out, "\r\n--%s--\r\n", bnd);
	if (nbody != NULL) {
		/* The drafted notice, as a text attachment. */
		buf_printf(out, "\r\n--%s\r\n", mixed);
		buf_printf(out, "Content-Type: text/plain; charset=UTF-8;\r\n"
		    " name=\"%s\"\r\n", attname);
		buf_printf(out, "Content-Disposition: attachment;\r\n"
		    " filename=\"%s\"\r\n", attname);
		buf_puts(out, "Content-Transfer-Encoding: quoted-printable\r\n"
		    "\r\n");
		render_qp(out, nbody, strlen(nbody));
		buf_printf(out, "\r\n--%s--\r\n", mixed);
	}
	rc = out->err ? -1 : 0;
out:
	buf_release(&subj);
	doc_release(&d);
	return (rc);
}

int
render_chat_text(json_t *alert, int64_t now, struct buf *out)
{
	const char *url = jstr(alert, "web_url");

	if (render_subject(alert, "UTC", now, out) == -1)
		return (-1);
	if (url_ok(url))
		buf_printf(out, "\n%s", url);
	return (out->err ? -1 : 0);
}
