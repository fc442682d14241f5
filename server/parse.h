/* parse: checked conversions of untrusted text to numbers, its length in
 * characters, whether it says anything, and whether it is one of a list. */
#ifndef BREACHCLOCK_PARSE_H
#define BREACHCLOCK_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Parse a whole decimal integer (optional leading '-', no spaces, no '+',
 * no leading zeros beyond "0") within [min, max].  Return 0 and set *out,
 * or -1.
 */
int parse_int64(const char *s, int64_t min, int64_t max, int64_t *out);

/* The characters (code points) in the first bytes of s, which must be
 * valid UTF-8 (as jansson and the server's checks guarantee): the bytes
 * that do not continue a sequence. */
size_t parse_utf8_chars(const char *s, size_t bytes);

/* Whether s has nothing but spaces, tabs and line ends (or nothing). */
bool parse_blank(const char *s);

/* Whether s (NULL: no) is one of the strings of list, which NULL ends. */
bool parse_in_list(const char *const *list, const char *s);

#endif
