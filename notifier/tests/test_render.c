/*
 * Unit tests of notifier/render.c: the message's structure is parsed
 * back (headers, boundaries, quoted-printable, RFC 2047), not matched as
 * substrings only.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "buf.h"
#include "calendar.h"
#include "render.h"
#include "timeutil.h"

#define FROM	"breachclock <breachclock@example.com>"

/* 2026-11-27T08:30:00Z, a Friday; due 14:30Z (GMT in London). */
static int64_t
t_now(void)
{
	int64_t t;

	assert_int_equal(timeutil_parse("2026-11-27T08:30:00Z", &t), 0);
	return (t);
}

static json_t *
ladder_alert(const char *title, const char *name, const char *tz,
    const char *due, const char *step)
{
	json_t *a = json_pack("{s:i, s:s, s:s, s:s, s:i, s:s, s:s, "
	    "s:s, s:{s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:i, "
	    "s:[s,s], s:[s]}, s:{s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:b, "
	    "s:s, s:s, s:s}, s:n, s:n, s:n, s:[{s:s, s:s, s:s, s:[s]}], "
	    "s:[]}",
	    "id", 17, "key", "obligation:5:t-6h", "kind", "ladder",
	    "step", step, "attempt", 1, "send_at", "2026-11-27T08:30:00Z",
	    "thread_key", "incident-3",
	    "web_url", "http://127.0.0.1:8072/incident.html?id=3",
	    "incident",
	    "id", 3, "ref", "BR-2026-0007", "title", title,
	    "status", "confirmed", "risk", "high", "assignee", "hana",
	    "description", "Line one\r\nLine <two> & \"three\"",
	    "subjects_count", 120,
	    "data_categories", "basic_identifiers", "health",
	    "jurisdictions", "GB",
	    "obligation",
	    "id", 5, "regime_id", "uk_gdpr_art33_ico",
	    "regime_name", "UK GDPR Art. 33", "phase", "initial",
	    "phase_name", "Notification to the ICO",
	    "recipient", "Information Commissioner's Office (ICO)",
	    "due_at", due, "target", 0, "state", "pending",
	    "legal_source", "UK GDPR Art. 33(1)",
	    "citation_url", "https://www.legislation.gov.uk/",
	    "event", "digest", "failure",
	    "recipients", "name", name, "email", "hana@example.com",
	    "tz", tz, "roles", "assignee",
	    "webhooks");

	assert_non_null(a);
	return (a);
}

/* A parsed message: the unfolded headers and the raw text. */
struct msg {
	char	*text;
	char	*raw;		/* the message as rendered */
	char	*hdr[64];	/* "Name: value", unfolded */
	size_t	 nhdr;
	char	*body;
};

static void
msg_free(struct msg *m)
{
	size_t i;

	for (i = 0; i < m->nhdr; i++)
		free(m->hdr[i]);
	free(m->text);
	free(m->raw);
}

/* Every line ends in CRLF, none is longer than max (without CRLF). */
static void
check_lines(const char *s, size_t max)
{
	const char *p = s, *nl;

	while (*p != '\0') {
		nl = strstr(p, "\r\n");
		assert_non_null(nl);
		assert_true((size_t)(nl - p) <= max);
		assert_null(memchr(p, '\n', (size_t)(nl - p)));
		assert_null(memchr(p, '\r', (size_t)(nl - p)));
		p = nl + 2;
	}
}

static void
parse(const char *text, struct msg *m)
{
	char *p, *end, *nl;

	memset(m, 0, sizeof(*m));
	m->text = strdup(text);
	m->raw = strdup(text);
	check_lines(m->text, 998);
	end = strstr(m->text, "\r\n\r\n");
	assert_non_null(end);
	m->body = end + 4;
	end[2] = '\0';
	for (p = m->text; *p != '\0'; p = nl + 2) {
		nl = strstr(p, "\r\n");
		*nl = '\0';
		if (*p == ' ' || *p == '\t') {
			char *prev;
			size_t n;

			assert_true(m->nhdr > 0);
			prev = m->hdr[m->nhdr - 1];
			n = strlen(prev) + strlen(p) + 1;
			prev = realloc(prev, n);
			assert_non_null(prev);
			memcpy(prev + strlen(prev), p, strlen(p) + 1);
			m->hdr[m->nhdr - 1] = prev;
		} else {
			assert_non_null(strchr(p, ':'));
			assert_true(m->nhdr < 64);
			m->hdr[m->nhdr++] = strdup(p);
		}
	}
}

static const char *
header(const struct msg *m, const char *name)
{
	size_t i, n = strlen(name);
	const char *found = NULL;

	for (i = 0; i < m->nhdr; i++)
		if (strncasecmp(m->hdr[i], name, n) == 0 &&
		    m->hdr[i][n] == ':') {
			assert_null(found);	/* never twice */
			found = m->hdr[i] + n + 1;
			while (*found == ' ')
				found++;
		}
	return (found);
}

static int
b64val(int c)
{
	const char *t =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *p = c != 0 ? strchr(t, c) : NULL;

	return (p != NULL ? (int)(p - t) : -1);
}

/* Decode an unfolded header value made of RFC 2047 B words and ASCII. */
static void
decode_2047(const char *v, char *out, size_t len)
{
	size_t o = 0;
	int prev_ew = 0;

	while (*v != '\0') {
		if (strncmp(v, "=?UTF-8?B?", 10) == 0) {
			const char *e = strstr(v + 10, "?=");
			unsigned acc = 0;
			int bits = 0;
			const char *q;

			assert_non_null(e);
			assert_true(e + 2 - v <= 75);
			for (q = v + 10; q < e && *q != '='; q++) {
				int x = b64val(*q);

				assert_true(x >= 0);
				acc = (acc << 6) | (unsigned)x;
				bits += 6;
				if (bits >= 8) {
					bits -= 8;
					assert_true(o + 1 < len);
					out[o++] = (char)((acc >> bits) & 0xff);
				}
			}
			v = e + 2;
			prev_ew = 1;
		} else if (*v == ' ' && prev_ew) {
			/* Space between encoded-words is not text. */
			const char *s = v;

			while (*s == ' ')
				s++;
			if (strncmp(s, "=?", 2) != 0) {
				assert_true(o + 1 < len);
				out[o++] = ' ';
			}
			v = s;
		} else {
			assert_true(o + 1 < len);
			out[o++] = *v++;
			prev_ew = 0;
		}
	}
	out[o] = '\0';
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	if (c >= 'A' && c <= 'F')
		return (c - 'A' + 10);
	return (-1);
}

/* Decode a quoted-printable part, checking its line lengths. */
static char *
decode_qp(const char *s, size_t n)
{
	char *out = malloc(n + 1);
	size_t i, o = 0, col = 0;

	assert_non_null(out);
	for (i = 0; i < n; i++) {
		if (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n') {
			assert_true(col <= 76);
			col = 0;
			out[o++] = '\n';
			i++;
			continue;
		}
		col++;
		if (s[i] == '=') {
			assert_true(i + 1 < n);
			if (s[i + 1] == '\r') {
				assert_true(col <= 76);
				assert_true(s[i + 2] == '\n');
				i += 2;
				col = 0;
				continue;
			}
			assert_true(hexval(s[i + 1]) >= 0 &&
			    hexval(s[i + 2]) >= 0);
			out[o++] = (char)(hexval(s[i + 1]) * 16 +
			    hexval(s[i + 2]));
			i += 2;
			col += 2;
			continue;
		}
		assert_true((unsigned char)s[i] >= 32 &&
		    (unsigned char)s[i] < 127);
		out[o++] = s[i];
	}
	out[o] = '\0';
	return (out);
}

/* Split the multipart body at the boundary; return the decoded parts. */
static void
parts(const struct msg *m, char **plain, char **html)
{
	const char *ct = header(m, "Content-Type"), *b, *p, *q, *hend;
	char bnd[128], delim[140], close[140];
	size_t n;

	assert_non_null(ct);
	assert_non_null(strstr(ct, "multipart/alternative"));
	b = strstr(ct, "boundary=\"");
	assert_non_null(b);
	b += 10;
	n = strcspn(b, "\"");
	assert_true(n > 0 && n < sizeof(bnd));
	memcpy(bnd, b, n);
	bnd[n] = '\0';
	snprintf(delim, sizeof(delim), "\r\n--%s\r\n", bnd);
	snprintf(close, sizeof(close), "\r\n--%s--\r\n", bnd);
	p = strstr(m->body, delim);
	assert_non_null(p);
	for (int i = 0; i < 2; i++) {
		char **dst = i == 0 ? plain : html;

		p += strlen(delim);
		hend = strstr(p, "\r\n\r\n");
		assert_non_null(hend);
		assert_non_null(strstr(p, i == 0 ? "Content-Type: text/plain; "
		    "charset=UTF-8" : "Content-Type: text/html; charset=UTF-8"));
		assert_true(strstr(p, "Content-Transfer-Encoding: "
		    "quoted-printable") < hend);
		hend += 4;
		q = strstr(hend, i == 0 ? delim : close);
		assert_non_null(q);
		*dst = decode_qp(hend, (size_t)(q - hend) + 2);
		p = q;
	}
	/* The closing delimiter ends the message; nothing else follows. */
	assert_string_equal(p, close);
}

static void
render(json_t *a, size_t idx, struct msg *m, char *msgid)
{
	struct buf out;

	buf_init(&out, RENDER_MSG_MAX);
	assert_int_equal(render_message(a, idx, FROM, t_now(), &out, msgid,
	    RENDER_MSGID_MAX), 0);
	parse(buf_str(&out), m);
	buf_release(&out);
}

static void
test_structure(void **state)
{
	json_t *a = ladder_alert("Laptop stolen", "Hana Kowalski",
	    "Europe/London", "2026-11-27T14:30:00Z", "t-6h");
	char msgid[RENDER_MSGID_MAX], *plain, *html;
	struct msg m;

	(void)state;
	render(a, 0, &m, msgid);
	assert_string_equal(msgid, "<alert-17.0@breachclock>");
	assert_string_equal(header(&m, "Message-ID"), msgid);
	assert_string_equal(header(&m, "In-Reply-To"),
	    "<incident-3@breachclock>");
	assert_string_equal(header(&m, "References"),
	    "<incident-3@breachclock>");
	assert_string_equal(header(&m, "Date"),
	    "Fri, 27 Nov 2026 08:30:00 +0000");
	assert_string_equal(header(&m, "From"),
	    "\"breachclock\" <breachclock@example.com>");
	assert_string_equal(header(&m, "To"),
	    "\"Hana Kowalski\" <hana@example.com>");
	assert_string_equal(header(&m, "MIME-Version"), "1.0");
	assert_string_equal(header(&m, "Auto-Submitted"), "auto-generated");
	assert_string_equal(header(&m, "Subject"),
	    "BR-2026-0007: ICO notification due in 6 h (Fri 14:30 GMT)");
	/* "Name: value": one space after every colon. */
	for (size_t i = 0; i < m.nhdr; i++)
		assert_non_null(strstr(m.hdr[i], ": "));
	assert_non_null(strstr(m.raw, "\r\nSubject: BR-2026-0007: ICO"));
	parts(&m, &plain, &html);
	assert_non_null(strstr(plain, "Fri 27 Nov 2026 14:30 GMT"));
	assert_non_null(strstr(plain, "http://127.0.0.1:8072/incident.html?id=3"));
	assert_non_null(strstr(html,
	    "<a href=\"http://127.0.0.1:8072/incident.html?id=3\">"));
	free(plain);
	free(html);
	msg_free(&m);
	json_decref(a);
}

static void
test_zone_and_utc(void **state)
{
	/* Summer: London is BST; a New York reader sees EDT and UTC. */
	json_t *a = ladder_alert("x", "Ann", "America/New_York",
	    "2026-07-01T14:30:00Z", "t-6h");
	char msgid[RENDER_MSGID_MAX], *plain, *html;
	struct msg m;
	int64_t due;
	struct buf out;

	(void)state;
	assert_int_equal(timeutil_parse("2026-07-01T08:30:00Z", &due), 0);
	buf_init(&out, RENDER_MSG_MAX);
	assert_int_equal(render_message(a, 0, FROM, due, &out, msgid,
	    sizeof(msgid)), 0);
	parse(buf_str(&out), &m);
	buf_release(&out);
	assert_string_equal(header(&m, "Subject"),
	    "BR-2026-0007: ICO notification due in 6 h (Wed 10:30 EDT)");
	parts(&m, &plain, &html);
	assert_non_null(strstr(plain, "Wed 1 Jul 2026 10:30 EDT (14:30 UTC)"));
	free(plain);
	free(html);
	msg_free(&m);
	json_decref(a);
}

static void
test_overdue(void **state)
{
	json_t *a = ladder_alert("x", "Ann", "Europe/London",
	    "2026-11-27T05:30:00Z", "overdue");
	char msgid[RENDER_MSGID_MAX];
	struct msg m;

	(void)state;
	render(a, 0, &m, msgid);
	assert_string_equal(header(&m, "Subject"),
	    "BR-2026-0007: ICO notification overdue by 3 h (due Fri 05:30 "
	    "GMT)");
	msg_free(&m);
	json_decref(a);
}

static void
test_rfc2047_roundtrip(void **state)
{
	const char *title = "Fuite de données: Zoë’s laptop — 東京オフィス "
	    "and a rather long tail of words to force several encoded words";
	json_t *a = ladder_alert(title, "Zoë Åström", "Europe/Paris",
	    "2026-11-27T14:30:00Z", "t-6h");
	char msgid[RENDER_MSGID_MAX], dec[2048];
	struct msg m;
	json_t *ev;

	(void)state;
	/* Make it an event alert: the title is in the subject. */
	json_object_set_new(a, "kind", json_string("event"));
	ev = json_pack("{s:s, s:s, s:s, s:{}}", "name", "incident.reported",
	    "at", "2026-11-27T08:00:00Z", "actor", "zoë", "detail");
	json_object_set_new(a, "event", ev);
	render(a, 0, &m, msgid);
	assert_non_null(strstr(m.raw, "\r\nSubject: =?UTF-8?B?"));
	decode_2047(header(&m, "Subject"), dec, sizeof(dec));
	assert_string_equal(dec, "BR-2026-0007: suspected breach reported: "
	    "Fuite de données: Zoë’s laptop — 東京オフィス and a rather long "
	    "tail of words to force several encoded words");
	decode_2047(header(&m, "To"), dec, sizeof(dec));
	assert_string_equal(dec, "Zoë Åström <hana@example.com>");
	msg_free(&m);
	json_decref(a);
}

static void
test_reassess(void **state)
{
	json_t *a = ladder_alert("Backup tape lost", "Hana", "Europe/London",
	    "2026-11-27T14:30:00Z", "risk.reassess");
	char msgid[RENDER_MSGID_MAX], *plain, *html;
	struct msg m;

	(void)state;
	json_object_set_new(a, "kind", json_string("event"));
	json_object_set_new(a, "event", json_pack("{s:s, s:s, s:s, "
	    "s:{s:[s, s]}}", "name", "risk.reassess", "at",
	    "2026-11-27T08:00:00Z", "actor", "hank", "detail", "changed",
	    "subjects_count", "encryption"));
	render(a, 0, &m, msgid);
	assert_string_equal(header(&m, "Subject"), "BR-2026-0007: reassess "
	    "the risk: the facts changed after \"unlikely\": Backup tape "
	    "lost");
	parts(&m, &plain, &html);
	assert_non_null(strstr(plain, "changed          : subjects_count, "
	    "encryption\n"));
	assert_non_null(strstr(plain, "To do            : The decision in "
	    "force is \"unlikely\" and the facts it rests on have changed: "
	    "reassess the severity and record a new risk decision.\n"));
	assert_non_null(strstr(html, "<th align=\"left\" valign=\"top\">"
	    "changed</th><td>subjects_count, encryption</td>"));
	free(plain);
	free(html);
	msg_free(&m);
	json_decref(a);
}

static void
test_header_injection(void **state)
{
	const char *title = "Evil\r\nBcc: victim@example.org\r\n\r\n"
	    "--=_breachclock_alert_17_0\r\nContent-Type: text/html\r\n\r\nx";
	json_t *a = ladder_alert(title, "Mallory\r\nBcc: x@y.z\n\"<a@b>\"",
	    "Europe/London", "2026-11-27T14:30:00Z", "t-6h");
	char msgid[RENDER_MSGID_MAX], dec[2048], *plain, *html;
	struct msg m;
	size_t i;
	json_t *ev;

	(void)state;
	json_object_set_new(a, "kind", json_string("event"));
	ev = json_pack("{s:s, s:s, s:s, s:{}}", "name", "incident.confirmed",
	    "at", "2026-11-27T08:00:00Z", "actor", "x", "detail");
	json_object_set_new(a, "event", ev);
	render(a, 0, &m, msgid);
	/* Exactly the headers we write, each once. */
	for (i = 0; i < m.nhdr; i++)
		assert_true(strncmp(m.hdr[i], "Bcc", 3) != 0);
	assert_null(header(&m, "Bcc"));
	decode_2047(header(&m, "Subject"), dec, sizeof(dec));
	assert_null(strchr(dec, '\r'));
	assert_null(strchr(dec, '\n'));
	assert_non_null(strstr(dec, "Evil Bcc: victim@example.org --="));
	/* The display name is a quoted-string with its quotes escaped. */
	assert_string_equal(header(&m, "To"),
	    "\"Mallory Bcc: x@y.z \\\"<a@b>\\\"\" <hana@example.com>");
	/* Still exactly two parts, whatever the title held. */
	parts(&m, &plain, &html);
	free(plain);
	free(html);
	msg_free(&m);
	json_decref(a);
}

static void
test_html_escaping(void **state)
{
	json_t *a = ladder_alert("<script>alert(1)</script> & \"co\"", "Ann",
	    "Europe/London", "2026-11-27T14:30:00Z", "t-6h");
	char msgid[RENDER_MSGID_MAX], *plain, *html;
	struct msg m;

	(void)state;
	json_object_set_new(a, "web_url",
	    json_string("javascript:alert(1)"));
	render(a, 0, &m, msgid);
	parts(&m, &plain, &html);
	assert_null(strstr(html, "<script>"));
	assert_non_null(strstr(html,
	    "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;co&quot;"));
	assert_non_null(strstr(html, "Line <two>") == NULL ? html : NULL);
	assert_non_null(strstr(html, "Line one<br>"));
	assert_non_null(strstr(html, "Line &lt;two&gt; &amp; &quot;three"));
	assert_null(strstr(html, "javascript:"));
	assert_non_null(strstr(plain, "<script>alert(1)</script>"));
	free(plain);
	free(html);
	msg_free(&m);
	json_decref(a);
}

static void
test_long_header_folding(void **state)
{
	struct buf out;
	char long_title[1200];
	struct msg m;
	size_t i;
	const char *p, *nl;

	(void)state;
	for (i = 0; i + 6 < sizeof(long_title) - 1; i += 6)
		memcpy(long_title + i, "alpha ", 6);
	long_title[i] = '\0';
	buf_init(&out, 65536);
	assert_int_equal(render_header(&out, "Subject", long_title), 0);
	assert_int_equal(buf_puts(&out, "\r\n"), 0);
	/* Folded lines of at most 78 characters. */
	for (p = buf_str(&out); *p != '\0'; p = nl + 2) {
		nl = strstr(p, "\r\n");
		assert_non_null(nl);
		assert_true(nl - p <= 78);
	}
	parse(buf_str(&out), &m);
	assert_int_equal(m.nhdr, 1);
	/* Capped at RENDER_HEADER_MAX, words kept whole. */
	assert_true(strlen(header(&m, "Subject")) <= RENDER_HEADER_MAX);
	assert_int_equal(strncmp(header(&m, "Subject"), "alpha alpha", 11), 0);
	msg_free(&m);
	buf_release(&out);
}

static void
test_qp_lines(void **state)
{
	struct buf in, out;
	char *dec;
	size_t i;

	(void)state;
	buf_init(&in, 65536);
	buf_init(&out, 262144);
	for (i = 0; i < 300; i++)
		buf_puts(&in, i % 7 == 0 ? "é=" : "word ");
	buf_puts(&in, "trailing space \n.dot line\nFrom me\n");
	for (i = 0; i < 200; i++)
		buf_putc(&in, 'x');
	assert_int_equal(render_qp(&out, buf_str(&in), in.len), 0);
	check_lines(buf_str(&out), 76);
	dec = decode_qp(buf_str(&out), out.len);
	/* Round trip (the decoder turns CRLF into LF). */
	buf_puts(&in, "\n");
	assert_string_equal(dec, buf_str(&in));
	/* A space before a line end is encoded, not left trailing. */
	assert_non_null(strstr(buf_str(&out), "space=20\r\n"));
	free(dec);
	buf_release(&in);
	buf_release(&out);
}

static void
test_recipients(void **state)
{
	json_t *a = ladder_alert("x", "Ann", "Mars/Olympus",
	    "2026-11-27T14:30:00Z", "t-6h");
	json_t *r = json_array_get(json_object_get(a, "recipients"), 0);
	char msgid[RENDER_MSGID_MAX];
	struct buf out;
	struct msg m;

	(void)state;
	/* An unknown zone falls back to UTC. */
	render(a, 0, &m, msgid);
	assert_non_null(strstr(header(&m, "Subject"), "14:30 UTC"));
	msg_free(&m);
	buf_init(&out, RENDER_MSG_MAX);
	/* Without a usable address: skipped, nothing written. */
	json_object_set_new(r, "email", json_null());
	assert_int_equal(render_message(a, 0, FROM, t_now(), &out, msgid,
	    sizeof(msgid)), 1);
	json_object_set_new(r, "email", json_string("a@b.c\r\nBcc: d@e.f"));
	assert_int_equal(render_message(a, 0, FROM, t_now(), &out, msgid,
	    sizeof(msgid)), 1);
	assert_int_equal(out.len, 0);
	/* No such recipient, or a bad From. */
	assert_int_equal(render_message(a, 1, FROM, t_now(), &out, msgid,
	    sizeof(msgid)), -1);
	json_object_set_new(r, "email", json_string("a@b.c"));
	assert_int_equal(render_message(a, 0, "not an address", t_now(),
	    &out, msgid, sizeof(msgid)), -1);
	buf_release(&out);
	assert_true(render_address_ok("hana@example.com"));
	assert_false(render_address_ok("hana@"));
	assert_false(render_address_ok("@x"));
	assert_false(render_address_ok("a b@x"));
	assert_false(render_address_ok("a@b@c"));
	assert_false(render_address_ok("<a@b>"));
	assert_false(render_address_ok("zoë@example.com"));
	json_decref(a);
}

static void
test_digest_and_failure(void **state)
{
	json_t *a = json_pack("{s:i, s:s, s:s, s:s, s:i, s:s, s:s, s:n, "
	    "s:{s:[{s:i, s:s, s:s, s:s, s:s}], s:[{s:s, s:s, s:s, s:s, s:s, "
	    "s:s}], s:[]}, s:[{s:s, s:s, s:s, s:[s]}]}",
	    "id", 40, "key", "digest:2026-11-27", "kind", "digest", "step",
	    "digest", "attempt", 1, "thread_key", "digest", "web_url", "",
	    "incident", "digest",
	    "open_incidents", "id", 3, "ref", "BR-2026-0003", "title",
	    "<b>Stolen</b>", "status", "confirmed", "risk", "high",
	    "due_7d", "ref", "BR-2026-0003", "title", "Stolen", "regime_id",
	    "uk_gdpr_art33_ico", "phase_name", "Notification to the ICO",
	    "recipient", "ICO", "due_at", "2026-11-28T14:30:00Z",
	    "overdue",
	    "recipients", "name", "boss@example.com", "email",
	    "boss@example.com", "tz", "Europe/London", "roles", "leadership");
	char msgid[RENDER_MSGID_MAX], *plain, *html;
	struct msg m;

	(void)state;
	assert_non_null(a);
	render(a, 0, &m, msgid);
	assert_string_equal(header(&m, "Subject"), "breachclock digest Fri "
	    "27 Nov: 1 open, 1 due in 7 days, 0 overdue");
	assert_string_equal(header(&m, "To"), "<boss@example.com>");
	parts(&m, &plain, &html);
	assert_non_null(strstr(plain, "BR-2026-0003: Notification to the ICO "
	    "to ICO, due Sat 28 Nov 2026 14:30 GMT"));
	assert_non_null(strstr(html, "&lt;b&gt;Stolen&lt;/b&gt;"));
	free(plain);
	free(html);
	msg_free(&m);

	json_object_set_new(a, "kind", json_string("failure"));
	json_object_set_new(a, "failure", json_pack("{s:i, s:s, s:s}",
	    "alert_id", 12, "key", "obligation:5:t-1h", "error",
	    "550 5.1.1 <x@y>: mailbox unavailable"));
	render(a, 0, &m, msgid);
	assert_string_equal(header(&m, "Subject"),
	    "breachclock: alert 12 failed permanently");
	parts(&m, &plain, &html);
	assert_non_null(strstr(html, "550 5.1.1 &lt;x@y&gt;"));
	free(plain);
	free(html);
	msg_free(&m);
	json_decref(a);
}

static void
test_clean(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 1024);
	assert_int_equal(render_clean(&b, "  a\r\n\tb\x01\x7f c \xff d  ",
	    100), 0);
	assert_string_equal(buf_str(&b), "a b c ? d");
	buf_reset(&b);
	/* Never split a UTF-8 sequence at the cap. */
	assert_int_equal(render_clean(&b, "ééé", 5), 0);
	assert_string_equal(buf_str(&b), "éé");
	buf_reset(&b);
	assert_int_equal(render_html_escape(&b, "<a href='x'>&</a>"), 0);
	assert_string_equal(buf_str(&b),
	    "&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;");
	buf_release(&b);
}

static void
test_chat_text(void **state)
{
	json_t *a = ladder_alert("x", "Ann", "Europe/London",
	    "2026-11-27T14:30:00Z", "t-6h");
	struct buf b;

	(void)state;
	buf_init(&b, 4096);
	assert_int_equal(render_chat_text(a, t_now(), &b), 0);
	assert_string_equal(buf_str(&b), "BR-2026-0007: ICO notification due "
	    "in 6 h (Fri 14:30 UTC)\nhttp://127.0.0.1:8072/incident.html?id=3");
	buf_release(&b);
	json_decref(a);
}

/* The unfolded value of header name in the part headers h (up to the
 * blank line), as a new string, or NULL. */
static char *
part_header(const char *h, const char *name)
{
	const char *end = strstr(h, "\r\n\r\n"), *p = h;
	size_t n = strlen(name), o = 0;
	char *out;

	assert_non_null(end);
	while (p < end) {
		const char *nl = strstr(p, "\r\n");

		if (strncmp(p, name, n) == 0 && p[n] == ':') {
			out = malloc((size_t)(end - p) + 1);
			assert_non_null(out);
			for (p += n + 2; p < end; p++) {
				if (p[0] == '\r' && p[1] == '\n' &&
				    (p[2] == ' ' || p[2] == '\t')) {
					p += 1;
					continue;
				}
				if (p[0] == '\r' && p[1] == '\n')
					break;
				out[o++] = *p;
			}
			out[o] = '\0';
			return (out);
		}
		p = nl + 2;
	}
	return (NULL);
}

/* The boundary="..." of a Content-Type value into bnd. */
static void
boundary_of(const char *ct, char *bnd, size_t len)
{
	const char *b = strstr(ct, "boundary=\"");
	size_t n;

	assert_non_null(b);
	b += 10;
	n = strcspn(b, "\"");
	assert_true(n > 0 && n < len);
	memcpy(bnd, b, n);
	bnd[n] = '\0';
}

static void
test_notice_attachment(void **state)
{
	const char *body = "PERSONAL DATA BREACH REPORT TO THE ICO - DRAFT\n"
	    "Incident BR-2026-0007: Zoë's <b>laptop</b> = stolen\n"
	    "--=_breachclock_mixed_17_0--\n"
	    "A very long line that goes on and on past the seventy-six "
	    "character limit of quoted-printable, so it must be soft-broken.\n";
	json_t *a = ladder_alert("Laptop stolen", "Hana Kowalski",
	    "Europe/London", "2026-11-27T14:30:00Z", "t-6h");
	char msgid[RENDER_MSGID_MAX], mixed[128], alt[128], delim[160];
	char close[160], *ct, *cd, *v, *text;
	const char *p, *att, *q;
	struct msg m;

	(void)state;
	json_object_set_new(a, "notice", json_pack("{s:s, s:s, s:s, s:s, "
	    "s:i}", "kind", "ico_report", "format", "text", "filename",
	    "BR-2026-0007-ico_report.txt", "body", body, "incident_version",
	    4));
	render(a, 0, &m, msgid);
	/* multipart/mixed at the top ... */
	assert_non_null(strstr(header(&m, "Content-Type"),
	    "multipart/mixed"));
	boundary_of(header(&m, "Content-Type"), mixed, sizeof(mixed));
	snprintf(delim, sizeof(delim), "\r\n--%s\r\n", mixed);
	snprintf(close, sizeof(close), "\r\n--%s--\r\n", mixed);
	/* ... whose first part is the multipart/alternative, intact ... */
	p = strstr(m.body, delim);
	assert_non_null(p);
	p += strlen(delim);
	ct = part_header(p, "Content-Type");
	assert_non_null(ct);
	assert_non_null(strstr(ct, "multipart/alternative"));
	boundary_of(ct, alt, sizeof(alt));
	assert_string_not_equal(alt, mixed);
	free(ct);
	q = strstr(p, delim);
	assert_non_null(q);
	snprintf(close, sizeof(close), "\r\n--%s--\r\n", alt);
	assert_non_null(strstr(p, close));
	assert_true(strstr(p, close) < q);
	assert_non_null(strstr(p, "Content-Type: text/plain; charset=UTF-8"));
	assert_non_null(strstr(p, "Content-Type: text/html; charset=UTF-8"));
	/* ... and the second the notice, as a text attachment. */
	att = q + strlen(delim);
	ct = part_header(att, "Content-Type");
	cd = part_header(att, "Content-Disposition");
	v = part_header(att, "Content-Transfer-Encoding");
	assert_string_equal(ct, "text/plain; charset=UTF-8; "
	    "name=\"BR-2026-0007-ico_report.txt\"");
	assert_string_equal(cd, "attachment; "
	    "filename=\"BR-2026-0007-ico_report.txt\"");
	assert_string_equal(v, "quoted-printable");
	free(ct);
	free(cd);
	free(v);
	snprintf(close, sizeof(close), "\r\n--%s--\r\n", mixed);
	p = strstr(att, "\r\n\r\n") + 4;
	q = strstr(p, close);
	assert_non_null(q);
	/* the closing delimiter ends the message */
	assert_string_equal(q, close);
	/* a boundary-like line in the notice cannot end the part early:
	 * quoted-printable writes its "=" as "=3D" */
	assert_true(strstr(p, "\r\n--=_breachclock_mixed_17_0--\r\n") == q);
	text = decode_qp(p, (size_t)(q - p));
	assert_string_equal(text, body);
	free(text);
	msg_free(&m);

	/* a hostile file name is cut down; without a notice, no mixed */
	json_object_set_new(json_object_get(a, "notice"), "filename",
	    json_string("../../etc/passwd\r\nX-Evil: 1"));
	render(a, 0, &m, msgid);
	assert_null(strstr(m.raw, "X-Evil"));
	assert_non_null(strstr(m.raw, "filename=\"notice.txt\""));
	msg_free(&m);
	json_object_set_new(a, "notice", json_null());
	render(a, 0, &m, msgid);
	assert_non_null(strstr(header(&m, "Content-Type"),
	    "multipart/alternative"));
	assert_null(strstr(m.raw, "multipart/mixed"));
	msg_free(&m);
	json_decref(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_structure),
		cmocka_unit_test(test_zone_and_utc),
		cmocka_unit_test(test_overdue),
		cmocka_unit_test(test_rfc2047_roundtrip),
		cmocka_unit_test(test_reassess),
		cmocka_unit_test(test_header_injection),
		cmocka_unit_test(test_html_escaping),
		cmocka_unit_test(test_long_header_folding),
		cmocka_unit_test(test_qp_lines),
		cmocka_unit_test(test_recipients),
		cmocka_unit_test(test_digest_and_failure),
		cmocka_unit_test(test_clean),
		cmocka_unit_test(test_chat_text),
		cmocka_unit_test(test_notice_attachment),
	};

	if (calendar_global_init() == -1)
		return (1);
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
