/*
 * rules: the deadline engine.  Given the facts of one incident that matter
 * to the clocks, it says which obligations exist and when each is due.
 *
 * Pure: structs in, results out; no I/O, no clock reads.  The conservative
 * reading of the law is documented next to each rule in rules.c.
 */
#ifndef BREACHCLOCK_RULES_H
#define BREACHCLOCK_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* "No instant": an unknown time. */
#define RULES_NO_TIME INT64_MIN

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

enum rules_role {
	RULES_CONTROLLER,
	RULES_PROCESSOR,
};

/* The inputs of the clocks.  Times are RULES_NO_TIME when unknown. */
struct rules_facts {
	enum rules_status status;
	enum rules_role role;
	int64_t discovered_at;
	int64_t aware_at;
	/* The latest risk decision, and when that level was first decided:
	 * the start of the latest unbroken run of decisions at this level
	 * (re-confirming a level does not restart its clock). */
	enum rules_risk risk;
	int64_t risk_decided_at;
	/* When the first "high" decision was made (RULES_NO_TIME if never). */
	int64_t first_high_at;
	/* Processor: hours the contract gives to tell the controller. */
	int64_t controller_notice_hours;
};

/* Settings of the organisation that the law leaves open. */
struct rules_config {
	/* Art. 34 "without undue delay": the organisation's target, in hours
	 * after the high-risk decision. */
	int64_t art34_target_hours;
};

enum rules_regime {
	RULES_UK_GDPR_ART33_ICO,
	RULES_UK_GDPR_ART34_INDIVIDUALS,
	RULES_UK_GDPR_ART33_2_PROCESSOR,
	RULES_NREGIMES
};

/* One regime applied to the facts. */
struct rules_obligation {
	enum rules_regime regime;
	/* The obligation exists at all (its clock has started). */
	bool exists;
	/* It exists but the facts say no notice is owed (e.g. risk unlikely). */
	bool required;
	int64_t starts_at; /* the instant the clock started */
	int64_t due_at;    /* the deadline instant */
	/* A fixed sentence explaining the rule applied; static storage. */
	const char *basis;
};

/* The stable id of a regime ("uk_gdpr_art33_ico"); static storage. */
const char *rules_regime_id(enum rules_regime r);

/* Parse a regime id; return 0 and set *out, or -1 if unknown. */
int rules_regime_parse(const char *id, enum rules_regime *out);

/*
 * Compute every regime for the facts into out[RULES_NREGIMES], indexed by
 * enum rules_regime.  Return 0, or -1 if an input is out of range (an
 * overflowing deadline); out is then unspecified.
 */
int rules_compute(const struct rules_facts *f, const struct rules_config *c,
    struct rules_obligation out[RULES_NREGIMES]);

/*
 * Add a number of hours of elapsed time to an instant: 72 h across a DST
 * change is still 72 real hours, and weekends and holidays count.
 * Return 0 and set *out, or -1 on overflow or a negative amount.
 */
int rules_add_hours(int64_t start, int64_t hours, int64_t *out);

#endif
