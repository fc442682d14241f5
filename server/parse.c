#include <stddef.h>

#include "parse.h"

int
parse_int64(const char *s, int64_t min, int64_t max, int64_t *out)
{
	int neg = 0;
	uint64_t v = 0, limit;
	const char *p = s;

	if (s == NULL)
		return (-1);
	if (*p == '-') {
		neg = 1;
		p++;
	}
	if (*p < '0' || *p > '9')
		return (-1);
	if (*p == '0' && p[1] != '\0')
		return (-1);
	limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; *p != '\0'; p++) {
		unsigned d;

		if (*p < '0' || *p > '9')
			return (-1);
		d = (unsigned)(*p - '0');
		if (v > (limit - d) / 10)
			return (-1);
		v = v * 10 + d;
	}
	if (neg) {
		int64_t r = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN :
		    -(int64_t)v;

		if (r < min || r > max)
			return (-1);
		*out = r;
	} else {
		if ((int64_t)v < min || (int64_t)v > max)
			return (-1);
		*out = (int64_t)v;
	}
	return (0);
}

size_t
parse_utf8_chars(const char *s, size_t bytes)
{
	size_t n = 0;

	for (size_t i = 0; i < bytes; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			n++;
	return (n);
}

bool
parse_blank(const char *s)
{
	for (; *s != '\0'; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return (false);
	return (true);
}

bool
parse_in_list(const char *const *list, const char *s)
{
	for (; s != NULL && *list != NULL; list++)
		if (strcmp(*list, s) == 0)
			return (true);
	return (false);
}
