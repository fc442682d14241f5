#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tmpl.h"

enum node_type {
	N_TEXT,     /* src[off, off + len) as is */
	N_VAR,      /* {{name}} */
	N_SECTION,  /* {{#name}}; end: index of its N_END */
	N_INVERTED, /* {{^name}}; end: index of its N_END */
	N_END,      /* {{/name}} */
};

struct node {
	enum node_type type;
	size_t off, len;   /* the text, or the name */
	size_t end;        /* sections: the matching N_END */
};

struct tmpl {
	char *src;
	size_t len;
	struct node *nodes;
	size_t n;
};

/* A growable output buffer with a hard cap. */
struct out {
	char *data;
	size_t len, cap, max;
	bool toobig, nomem;
	unsigned long steps;
};

static const char unknown_text[] = "Not yet known";
static const char unknown_md[] = "_Not yet known_";
static const char unknown_html[] = "<em class=\"unknown\">Not yet known</em>";

static void seterr(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

int
tmpl_format_parse(const char *name, enum tmpl_format *f)
{
	if (name == NULL)
		return (-1);
	if (strcmp(name, "text") == 0)
		*f = TMPL_TEXT;
	else if (strcmp(name, "markdown") == 0)
		*f = TMPL_MARKDOWN;
	else if (strcmp(name, "html") == 0)
		*f = TMPL_HTML;
	else
		return (-1);
	return (0);
}

/* ---------------------------------------------------------------- parse */

static bool
name_ok(const char *s, size_t n)
{
	bool seg = false;

	if (n == 0 || n > TMPL_NAME_MAX)
		return (false);
	if (n == 1 && s[0] == '.')
		return (true);
	for (size_t i = 0; i < n; i++) {
		if ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9')
		    || s[i] == '_')
			seg = true;
		else if (s[i] == '.' && seg)
			seg = false;
		else
			return (false);
	}
	return (seg);
}

static int
add_node(struct tmpl *t, size_t *cap, enum node_type type, size_t off,
    size_t len)
{
	struct node *grown;

	if (t->n == *cap) {
		if (*cap >= 2 * TMPL_TAGS_MAX + 2)
			return (-1);
		*cap = *cap == 0 ? 32 : *cap * 2;
		if ((grown = reallocarray(t->nodes, *cap, sizeof(*grown))) ==
		    NULL)
			return (-1);
		t->nodes = grown;
	}
	t->nodes[t->n].type = type;
	t->nodes[t->n].off = off;
	t->nodes[t->n].len = len;
	t->nodes[t->n].end = 0;
	t->n++;
	return (0);
}

/*
 * Is the tag src[start, stop) alone on its line (blanks around it)?  Then
 * *left gets where the line's blanks begin (>= text_start) and *right
 * where the next line begins.
 */
static bool
standalone(const char *src, size_t len, size_t text_start, size_t start,
    size_t stop, size_t *left, size_t *right)
{
	size_t l = start, r = stop;

	while (l > text_start && (src[l - 1] == ' ' || src[l - 1] == '\t'))
		l--;
	if (l != 0 && src[l - 1] != '\n')
		return (false);
	while (r < len && (src[r] == ' ' || src[r] == '\t'))
		r++;
	if (r < len && src[r] == '\r' && r + 1 < len && src[r + 1] == '\n')
		r++;
	if (r < len && src[r] != '\n')
		return (false);
	*left = l;
	*right = r < len ? r + 1 : r;
	return (true);
}

struct tmpl *
tmpl_parse(const char *src, size_t len, char *err, size_t errlen)
{
	struct tmpl *t;
	size_t open[TMPL_DEPTH_MAX];
	size_t depth = 0, cap = 0, pos = 0, ntags = 0;

	if (len > TMPL_SRC_MAX) {
		seterr(err, errlen, "the template is larger than %d bytes",
		    TMPL_SRC_MAX);
		return (NULL);
	}
	if ((t = calloc(1, sizeof(*t))) == NULL ||
	    (t->src = malloc(len + 1)) == NULL)
		goto nomem;
	memcpy(t->src, src, len);
	t->src[len] = '\0';
	t->len = len;
	src = t->src;
	while (pos < len) {
		const char *p = memmem(src + pos, len - pos, "{{", 2);
		size_t start, stop, a, b, left, right;
		enum node_type type;
		char sigil;

		if (p == NULL) {
			if (add_node(t, &cap, N_TEXT, pos, len - pos) == -1)
				goto nomem;
			break;
		}
		start = (size_t)(p - src);
		if ((p = memmem(src + start + 2, len - start - 2, "}}", 2)) ==
		    NULL) {
			seterr(err, errlen, "byte %zu: \"{{\" is not closed",
			    start);
			goto fail;
		}
		stop = (size_t)(p - src) + 2;
		if (++ntags > TMPL_TAGS_MAX) {
			seterr(err, errlen, "more than %d tags", TMPL_TAGS_MAX);
			goto fail;
		}
		a = start + 2;
		b = stop - 2;
		sigil = a < b ? src[a] : '\0';
		if (sigil == '!' || sigil == '#' || sigil == '^' ||
		    sigil == '/')
			a++;
		while (a < b && src[a] == ' ')
			a++;
		while (b > a && src[b - 1] == ' ')
			b--;
		if (sigil != '!' && !name_ok(src + a, b - a)) {
			seterr(err, errlen, "byte %zu: a tag names [a-z0-9_] "
			    "segments joined by \".\", or \".\"", start);
			goto fail;
		}
		if (sigil != '\0' && strchr("!#^/", sigil) != NULL &&
		    standalone(src, len, pos, start, stop, &left, &right)) {
			if (left > pos && add_node(t, &cap, N_TEXT, pos,
			    left - pos) == -1)
				goto nomem;
		} else {
			if (start > pos && add_node(t, &cap, N_TEXT, pos,
			    start - pos) == -1)
				goto nomem;
			right = stop;
		}
		pos = right;
		if (sigil == '!')
			continue;
		type = sigil == '#' ? N_SECTION : sigil == '^' ? N_INVERTED :
		    sigil == '/' ? N_END : N_VAR;
		if (type == N_END) {
			struct node *o;

			if (depth == 0) {
				seterr(err, errlen, "byte %zu: {{/%.*s}} closes "
				    "no section", start, (int)(b - a), src + a);
				goto fail;
			}
			o = &t->nodes[open[depth - 1]];
			if (o->len != b - a || memcmp(src + o->off, src + a,
			    b - a) != 0) {
				seterr(err, errlen, "byte %zu: {{/%.*s}} closes "
				    "{{#%.*s}}", start, (int)(b - a), src + a,
				    (int)o->len, src + o->off);
				goto fail;
			}
			o->end = t->n;
			depth--;
		} else if (type != N_VAR && depth == TMPL_DEPTH_MAX) {
			seterr(err, errlen, "byte %zu: sections nest more than "
			    "%d deep", start, TMPL_DEPTH_MAX);
			goto fail;
		} else if (type != N_VAR)
			open[depth++] = t->n;
		if (add_node(t, &cap, type, a, b - a) == -1)
			goto nomem;
	}
	if (depth > 0) {
		struct node *o = &t->nodes[open[depth - 1]];

		seterr(err, errlen, "section {{#%.*s}} is not closed",
		    (int)o->len, src + o->off);
		goto fail;
	}
	return (t);
nomem:
	seterr(err, errlen, "out of memory");
fail:
	tmpl_free(t);
	return (NULL);
}

void
tmpl_free(struct tmpl *t)
{
	if (t == NULL)
		return;
	free(t->src);
	free(t->nodes);
	free(t);
}

/* --------------------------------------------------------------- render */

static void
put(struct out *o, const char *s, size_t n)
{
	size_t want;
	char *grown;

	if (o->toobig || o->nomem)
		return;
	if (n > o->max - o->len) {
		o->toobig = true;
		return;
	}
	if (o->len + n + 1 > o->cap) {
		want = o->cap == 0 ? 1024 : o->cap;
		while (want < o->len + n + 1)
			want = want > SIZE_MAX / 2 ? SIZE_MAX : want * 2;
		if (want > o->max + 1)
			want = o->max + 1;
		if ((grown = realloc(o->data, want)) == NULL) {
			o->nomem = true;
			return;
		}
		o->data = grown;
		o->cap = want;
	}
	memcpy(o->data + o->len, s, n);
	o->len += n;
	o->data[o->len] = '\0';
}

static void
puts_(struct out *o, const char *s)
{
	put(o, s, strlen(s));
}

/*
 * Markdown metacharacters: CommonMark lets any ASCII punctuation be
 * backslash-escaped; these are the ones that can start or end markup
 * (emphasis, code, links and images, autolinks and HTML, headings, lists,
 * block quotes, tables, thematic breaks, entities).  A "." or ")" after a
 * digit could end an ordered-list marker.
 */
static bool
md_meta(unsigned char c, unsigned char prev)
{
	if ((c == '.' || c == ')') && prev >= '0' && prev <= '9')
		return (true);
	return (c != '\0' && strchr("\\`*_{}[]()<>#+-|~=&!", c) != NULL);
}

static void
escape(struct out *o, const char *s, size_t n, enum tmpl_format f)
{
	bool line_start = false;
	unsigned char prev = '\0';

	for (size_t i = 0; i < n && !o->toobig && !o->nomem; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\r')
			continue;
		if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
			continue;
		if (f == TMPL_MARKDOWN && line_start && (c == ' ' ||
		    c == '\t'))
			continue;
		line_start = c == '\n';
		switch (f) {
		case TMPL_TEXT:
			put(o, s + i, 1);
			break;
		case TMPL_MARKDOWN:
			if (md_meta(c, prev))
				put(o, "\\", 1);
			put(o, s + i, 1);
			prev = c;
			break;
		case TMPL_HTML:
			switch (c) {
			case '&':
				puts_(o, "&amp;");
				break;
			case '<':
				puts_(o, "&lt;");
				break;
			case '>':
				puts_(o, "&gt;");
				break;
			case '"':
				puts_(o, "&quot;");
				break;
			case '\'':
				puts_(o, "&#39;");
				break;
			case '\n':
				puts_(o, "<br>\n");
				break;
			default:
				put(o, s + i, 1);
			}
			break;
		}
	}
}

static bool
empty(const json_t *v)
{
	return (v == NULL || json_is_null(v) || json_is_false(v) ||
	    (json_is_string(v) && json_string_length(v) == 0) ||
	    (json_is_array(v) && json_array_size(v) == 0));
}

/* A scalar into o; 0, or -1 if v is not a scalar. */
static int
scalar(struct out *o, const json_t *v, enum tmpl_format f)
{
	char num[32];

	if (json_is_string(v))
		escape(o, json_string_value(v), json_string_length(v), f);
	else if (json_is_integer(v)) {
		snprintf(num, sizeof(num), "%lld",
		    (long long)json_integer_value(v));
		puts_(o, num);
	} else if (json_is_real(v)) {
		snprintf(num, sizeof(num), "%.15g", json_real_value(v));
		escape(o, num, strlen(num), f);
	} else if (json_is_true(v))
		puts_(o, "Yes");
	else if (json_is_false(v))
		puts_(o, "No");
	else
		return (-1);
	return (0);
}

static void
value(struct out *o, const json_t *v, enum tmpl_format f)
{
	const json_t *e;
	size_t i, shown = 0;

	if (!empty(v) && json_is_array(v)) {
		json_array_foreach(v, i, e) {
			if (!json_is_string(e) && !json_is_number(e) &&
			    !json_is_boolean(e))
				continue;
			if (shown++ > 0)
				puts_(o, ", ");
			(void)scalar(o, e, f);
		}
		if (shown > 0)
			return;
	} else if ((json_is_false(v) || !empty(v)) && scalar(o, v, f) == 0)
		return;
	puts_(o, f == TMPL_TEXT ? unknown_text : f == TMPL_MARKDOWN ?
	    unknown_md : unknown_html);
}

static const json_t *
lookup(const struct tmpl *t, const struct node *nd, const json_t **stack,
    size_t depth)
{
	const char *name = t->src + nd->off, *dot, *end = name + nd->len;
	const json_t *v = NULL;
	char key[TMPL_NAME_MAX + 1];
	size_t n;

	if (nd->len == 1 && name[0] == '.')
		return (stack[depth]);
	dot = memchr(name, '.', nd->len);
	n = (size_t)((dot != NULL ? dot : end) - name);
	memcpy(key, name, n);
	key[n] = '\0';
	for (size_t i = depth + 1; i-- > 0;)
		if (json_is_object(stack[i]) &&
		    (v = json_object_get(stack[i], key)) != NULL)
			break;
	while (v != NULL && dot != NULL) {
		name = dot + 1;
		dot = memchr(name, '.', (size_t)(end - name));
		n = (size_t)((dot != NULL ? dot : end) - name);
		memcpy(key, name, n);
		key[n] = '\0';
		v = json_is_object(v) ? json_object_get(v, key) : NULL;
	}
	return (v);
}

/* Render nodes [from, to) with the context stack[0..depth]. */
static void
render(const struct tmpl *t, size_t from, size_t to, const json_t **stack,
    size_t depth, enum tmpl_format f, struct out *o)
{
	if (++o->steps > TMPL_STEPS_MAX) {
		o->toobig = true;
		return;
	}
	for (size_t i = from; i < to && !o->toobig && !o->nomem; i++) {
		const struct node *nd = &t->nodes[i];
		const json_t *v, *e;
		size_t k;

		if (++o->steps > TMPL_STEPS_MAX) {
			o->toobig = true;
			return;
		}
		switch (nd->type) {
		case N_TEXT:
			put(o, t->src + nd->off, nd->len);
			break;
		case N_VAR:
			value(o, lookup(t, nd, stack, depth), f);
			break;
		case N_SECTION:
			v = lookup(t, nd, stack, depth);
			if (empty(v) || depth + 1 > TMPL_DEPTH_MAX) {
				/* nothing */
			} else if (json_is_array(v)) {
				json_array_foreach(v, k, e) {
					stack[depth + 1] = e;
					render(t, i + 1, nd->end, stack,
					    depth + 1, f, o);
				}
			} else {
				stack[depth + 1] = v;
				render(t, i + 1, nd->end, stack, depth + 1, f,
				    o);
			}
			i = nd->end;
			break;
		case N_INVERTED:
			if (empty(lookup(t, nd, stack, depth)))
				render(t, i + 1, nd->end, stack, depth, f, o);
			i = nd->end;
			break;
		case N_END:
			break;
		}
	}
}

int
tmpl_render(const struct tmpl *t, const json_t *ctx, enum tmpl_format f,
    size_t max, char **out, size_t *outlen, char *err, size_t errlen)
{
	const json_t *stack[TMPL_DEPTH_MAX + 1];
	struct out o;

	memset(&o, 0, sizeof(o));
	o.max = max;
	stack[0] = ctx;
	put(&o, "", 0);
	render(t, 0, t->n, stack, 0, f, &o);
	if (o.toobig || o.nomem) {
		free(o.data);
		if (o.nomem)
			seterr(err, errlen, "out of memory");
		else if (o.steps > TMPL_STEPS_MAX)
			seterr(err, errlen, "more than %d steps",
			    TMPL_STEPS_MAX);
		else
			seterr(err, errlen, "the output is larger than %zu "
			    "bytes", max);
		return (-1);
	}
	if (o.data == NULL && (o.data = strdup("")) == NULL) {
		seterr(err, errlen, "out of memory");
		return (-1);
	}
	*out = o.data;
	*outlen = o.len;
	return (0);
}
