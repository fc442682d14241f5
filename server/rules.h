/*
 * rules: the deadline engine.  A regime is data (regime.h); given the facts
 * of one incident that matter to the clocks, the engine says for each phase
 * of each regime whether an obligation exists, whether a notice is owed,
 * and when it is due.
 *
 * Pure: structs in, results out; no I/O and no clock reads.  The
 * conservative reading of the law is documented next to each rule in
 * rules.c.
 */
#ifndef BREACHCLOCK_RULES_H
#define BREACHCLOCK_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "calendar.h"
#include "regime.h"

/* "No instant": an unknown time. */
#define RULES_NO_TIME INT64_MIN

#define RULES_MAX_CODES 300
#define RULES_MAX_DETERMINATIONS 16
#define RULES_MAX_MET 64
#define RULES_BASIS_MAX 512

enum rules_status {
	RULES_SUSPECTED,
	RULES_INVESTIGATING,
	RULES_CONFIRMED,
	RULES_NOT_A_BREACH,
	RULES_CONTAINED,
	RULES_CLOSED,
};

enum rules_risk {
	RULES_RISK_NONE, /* no decision recorded yet */
	RULES_RISK_UNLIKELY,
	RULES_RISK_RISK,
	RULES_RISK_HIGH,
};

/* A jurisdiction of the people affected, with how many of them live
 * there (-1: unknown). */
struct rules_place {
	char code[8];
	int64_t subjects;
};

/* A determination recorded on the incident (e.g. SEC materiality). */
struct rules_determination {
	char kind[REGIME_NAME_MAX];
	int64_t at;
};

/* A phase already met: its first notice was recorded at met_at. */
struct rules_met {
	char regime_id[REGIME_ID_MAX];
	char phase[REGIME_ID_MAX];
	int64_t met_at;
};

/* The inputs of the clocks.  Times are RULES_NO_TIME when unknown. */
struct rules_facts {
	enum rules_status status;
	enum regime_role role;
	int64_t discovered_at;
	int64_t aware_at;
	enum rules_risk risk;          /* the latest decision */
	/* Start of the latest unbroken run of decisions at or above "risk"
	 * and at "high" (RULES_NO_TIME when the latest decision is below). */
	int64_t risk_run_at;
	int64_t high_run_at;
	/* The first decision ever at or above "risk", and at "high". */
	int64_t first_risk_at;
	int64_t first_high_at;
	int64_t controller_notice_hours;
	uint32_t sectors;              /* bit mask of regime_sector_bit() */
	bool key_safe;                 /* encrypted, key not compromised */
	int64_t subjects;              /* total people affected, -1 unknown */
	struct rules_place places[RULES_MAX_CODES];
	size_t nplaces;
	struct rules_determination determinations[RULES_MAX_DETERMINATIONS];
	size_t ndeterminations;
	struct rules_met met[RULES_MAX_MET];
	size_t nmet;
};

/* Settings of the organisation that the law leaves open. */
struct rules_config {
	/* Target for a "none" phase without target_hours (GDPR Art. 34
	 * "without undue delay"), in hours after its clock starts. */
	int64_t art34_target_hours;
	/* Jurisdictions assumed when an incident names none; NULL-terminated
	 * list of codes, or NULL for none. */
	const char *const *default_jurisdictions;
};

/* One phase of one regime applied to the facts. */
struct rules_obligation {
	const struct regime *regime;   /* borrowed */
	size_t phase;                  /* index into regime->phases */
	bool exists;                   /* its clock has started */
	bool required;                 /* a notice is owed */
	bool target;                   /* due_at is an organisation target */
	int64_t starts_at;
	int64_t due_at;
	char basis[RULES_BASIS_MAX];   /* why, in words */
};

/*
 * Whether a regime concerns the incident at all (jurisdiction, sector,
 * role, effective dates, a required determination).  Obligations of
 * regimes that do not concern it are not kept.
 */
bool rules_relevant(const struct regime *g, const struct rules_facts *f,
    const struct rules_config *c);

/*
 * Compute every phase of regime g into out[0 .. g->nphases - 1].  cal is
 * the regime's calendar (its holidays loaded by the caller).  Return 0, or
 * -1 when a deadline cannot be computed (an unknown zone, an overflow).
 */
int rules_compute(const struct regime *g, const struct calendar *cal,
    const struct rules_facts *f, const struct rules_config *c,
    struct rules_obligation *out);

/* Add elapsed hours: 0 and *out, or -1 on overflow or a negative count. */
int rules_add_hours(int64_t start, int64_t hours, int64_t *out);

#endif
