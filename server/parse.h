/* parse: checked conversions of untrusted text to numbers. */
#ifndef BREACHCLOCK_PARSE_H
#define BREACHCLOCK_PARSE_H

#include <stdint.h>

/*
 * Parse a whole decimal integer (optional leading '-', no spaces, no '+',
 * no leading zeros beyond "0") within [min, max].  Return 0 and set *out,
 * or -1.
 */
int parse_int64(const char *s, int64_t min, int64_t max, int64_t *out);

#endif
