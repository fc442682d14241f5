/*
 * regime: one legal obligation to notify, as data.  A regime's rule is a
 * JSON document (docs/regimes.md describes it) parsed here into a struct
 * that the deadline engine (rules.h) reads.  Pure: no I/O.
 */
#ifndef BREACHCLOCK_REGIME_H
#define BREACHCLOCK_REGIME_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "problem.h"

#define REGIME_ID_MAX 65
#define REGIME_NAME_MAX 33
#define REGIME_TEXT_MAX 200
#define REGIME_MAX_PHASES 8
#define REGIME_MAX_CODES 64

enum regime_role { REGIME_ANY_ROLE, REGIME_CONTROLLER, REGIME_PROCESSOR };

enum regime_start {
	START_AWARE,        /* aware_at (a processor falls back to discovery) */
	START_DISCOVERED,   /* discovered_at */
	START_DECISION,     /* the risk decision that made it required */
	START_DETERMINATION,/* the regime's determination */
	START_PHASE,        /* an earlier phase was met */
	START_YEAR_END,     /* end of the calendar year of discovery */
};

enum regime_unit {
	UNIT_HOURS,
	UNIT_CALENDAR_DAYS,
	UNIT_BUSINESS_DAYS,
	UNIT_MONTHS,
	UNIT_NONE,          /* no fixed period: an organisation target */
};

/* target_hours of a "none" phase. */
#define TARGET_DEFAULT (-1)           /* the server's configured default */
#define TARGET_CONTRACT (-2)          /* the incident's controller_notice_hours */

struct regime_clock {
	enum regime_start start;
	size_t phase_ref;       /* START_PHASE: index of the earlier phase */
	int64_t duration;
	enum regime_unit unit;
	int64_t target_hours;   /* UNIT_NONE: hours, or TARGET_* */
};

/* Conditions on the incident; a zero value means "no condition". */
struct regime_applies {
	char codes[REGIME_MAX_CODES][8];  /* jurisdictions; EU and EEA groups */
	size_t ncodes;
	uint32_t sectors_any;
	uint32_t sectors_none;
	enum regime_role role;
	int min_risk;                     /* 0, or enum rules_risk RISK/HIGH */
	int64_t subjects_min;             /* -1: none */
	int64_t subjects_below;           /* -1: none */
	bool count_in_jurisdiction;
	bool safe_harbor;
	char determination[REGIME_NAME_MAX]; /* "" for none */
};

struct regime_phase {
	char id[REGIME_NAME_MAX];
	char name[REGIME_TEXT_MAX];
	struct regime_clock clock;
	bool has_cap;
	struct regime_clock cap;
	bool has_when;
	struct regime_applies when;       /* extra condition for this phase */
};

struct regime {
	char id[REGIME_ID_MAX];
	char legal_source[REGIME_TEXT_MAX];
	struct regime_applies applies;
	int64_t effective_from;           /* local day number, or INT64_MIN */
	int64_t effective_to;             /* local day number, or INT64_MAX */
	char tz[64];                      /* IANA zone */
	char holidays[16];                /* holiday set id, or "" */
	struct regime_phase phases[REGIME_MAX_PHASES];
	size_t nphases;
};

/*
 * Parse a rule (borrowed JSON object) for regime id into *g.  On error
 * fill p (400 invalid-field, field "rule", the detail naming the member at
 * fault) and return -1.
 */
int regime_parse(const char *id, const char *legal_source, json_t *rule,
    struct regime *g, struct problem *p);

/* Sector flag names (bit i is entry i) and determination kinds; both
 * NULL-terminated, static. */
extern const char *const regime_sectors[];
extern const char *const regime_determinations[];

/* The bit of a sector flag name, or 0 if it is not one. */
uint32_t regime_sector_bit(const char *name);

/* Is s a determination kind the engine knows? */
bool regime_determination_valid(const char *s);

/* Is id a valid regime id, ^[a-z0-9_]{1,64}$? */
bool regime_id_valid(const char *id);

/* Is s an ISO 3166-1 alpha-2 or ISO 3166-2 code that iso-codes lists (GB,
 * US-TX; iso3166.h), or with groups also EU or EEA? */
bool regime_code_valid(const char *s, bool groups);

/* Does incident jurisdiction code match regime entry e (EU/EEA groups,
 * a country matching its subdivisions)? */
bool regime_code_matches(const char *e, const char *code);

/* The name of a phase's start ("aware_at", "phase:initial", ...) into buf. */
void regime_start_name(const struct regime *g, const struct regime_clock *c,
    char *buf, size_t len);

#endif
