#include <stdarg.h>
#include <stdio.h>

#include "problem.h"

int
problem_set(struct problem *p, int status, const char *slug,
    const char *field, const char *fmt, ...)
{
	va_list ap;

	p->status = status;
	p->slug = slug;
	snprintf(p->field, sizeof(p->field), "%s", field != NULL ? field : "");
	va_start(ap, fmt);
	vsnprintf(p->detail, sizeof(p->detail), fmt, ap);
	va_end(ap);
	return (status);
}

const char *
problem_title(int status)
{
	switch (status) {
	case 400: return ("Bad Request");
	case 401: return ("Unauthorized");
	case 403: return ("Forbidden");
	case 404: return ("Not Found");
	case 405: return ("Method Not Allowed");
	case 409: return ("Conflict");
	case 412: return ("Precondition Failed");
	case 413: return ("Content Too Large");
	case 415: return ("Unsupported Media Type");
	case 422: return ("Unprocessable Content");
	case 428: return ("Precondition Required");
	case 429: return ("Too Many Requests");
	case 431: return ("Request Header Fields Too Large");
	case 503: return ("Service Unavailable");
	default: return ("Internal Server Error");
	}
}
