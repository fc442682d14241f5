/*
 * problem: an RFC 9457 problem, filled where an error is first detected
 * and written as application/problem+json by the dispatcher only.
 */
#ifndef BREACHCLOCK_PROBLEM_H
#define BREACHCLOCK_PROBLEM_H

#define PROBLEM_BASE "https://breachclock.dev/problems/"

struct problem {
	int status;        /* HTTP status */
	const char *slug;  /* stable type, e.g. "invalid-field"; static */
	char field[64];    /* the field or parameter at fault, or "" */
	char detail[512];  /* one sentence for a person; no internals */
};

/*
 * Fill p and return its status, so a handler can say
 *     return (problem_set(p, 400, "invalid-field", "title", "..."));
 * field may be NULL.  detail is a printf format.
 */
int problem_set(struct problem *p, int status, const char *slug,
    const char *field, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* The title for a status code, e.g. "Bad Request"; static. */
const char *problem_title(int status);

#endif
