/*
 * incident: the fields of an incident as the API declares them, and their
 * validation.  Pure: JSON in, JSON or a problem out; no I/O.
 *
 * The "facts" of an incident are a JSON object with one member per entry of
 * incident_fields[], normalised: times as "YYYY-MM-DDTHH:MM:SSZ" strings,
 * absent optional values as null, lists as arrays of unique strings.
 */
#ifndef BREACHCLOCK_INCIDENT_H
#define BREACHCLOCK_INCIDENT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "problem.h"

enum incident_ftype {
	F_TEXT,   /* string of at most max characters */
	F_TIME,   /* RFC 3339 instant */
	F_INT,    /* integer in [min, max] */
	F_BOOL,
	F_ENUM,   /* one of values[] */
	F_SET,    /* array of unique members of values[], at most max */
	F_CODES,  /* array of unique ISO 3166-1/-2 codes, at most max */
	F_USER,   /* a user name (existence is checked by the store) */
	F_COUNTS, /* object {ISO 3166 code: integer 0..max} */
	F_DATES,  /* object {determination kind: RFC 3339 instant} */
};

struct incident_field {
	const char *name;
	enum incident_ftype type;
	bool nullable;
	bool required;             /* must be given on create */
	int64_t min, max;
	const char *const *values; /* F_ENUM, F_SET: NULL-terminated */
	const char *dflt;          /* create default as JSON text; NULL: null */
};

extern const struct incident_field incident_fields[];
extern const size_t incident_nfields;

/* The field named name, or NULL. */
const struct incident_field *incident_field_find(const char *name);

/*
 * Validate a create (create == true) or patch body.  On success return 0
 * and set *out to a new object the caller frees: for a create, the full
 * facts with defaults; for a patch, the normalised members given.  "status"
 * is accepted in a patch (a valid status name) and copied through.  On
 * error fill p (400 invalid-field naming the field) and return -1.
 */
int incident_validate(json_t *body, bool create, json_t **out,
    struct problem *p);

/*
 * Check the rules between fields of complete facts (borrowed): time order,
 * and no time (determinations included, named "determinations.<kind>")
 * more than 5 minutes after now.  0, or -1 with p filled (422).
 */
int incident_check(const json_t *facts, int64_t now, struct problem *p);

/*
 * Check that complete facts (borrowed) meet what status requires, for as
 * long as the incident is in it: from "confirmed" on (contained, closed)
 * aware_at, and a non-blank awareness_justification when aware_at is more
 * than 24 hours after discovered_at; in "not_a_breach" a non-blank
 * not_a_breach_reason.  0, or -1 with p filled (422 naming the field).
 */
int incident_status_check(const char *status, const json_t *facts,
    struct problem *p);

/*
 * Check a lifecycle transition from -> to against the facts after the
 * change: an allowed edge, then incident_status_check(to).  0, or -1 with
 * p filled (409 illegal-transition, or 422 naming the missing field).
 */
int incident_transition(const char *from, const char *to,
    const json_t *facts, struct problem *p);

/*
 * Is name a fact the risk decision rests on (what was exposed, of whom,
 * how many, how it was protected, what may follow)?  A change to one
 * after an "unlikely" decision asks for a new decision.
 */
bool incident_risk_fact(const char *name);

/* Is s a status name? */
bool incident_status_valid(const char *s);

/* A fact time (borrowed facts) as seconds, or INT64_MIN when null. */
int64_t incident_time(const json_t *facts, const char *name);

/* Is s a valid user name, ^[a-z0-9._-]{1,64}$? */
bool incident_user_name_valid(const char *s);

#endif
