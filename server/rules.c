/*
 * rules: the deadline engine.
 *
 * A regime (regime.h) is data: conditions on the incident, a calendar and
 * one or more phases, each with a clock start and a period.  This file
 * applies one regime to the facts of one incident.  Where the law leaves
 * room, the engine takes the conservative reading:
 *
 * - A clock starts as early as the facts allow and, once started, the
 *   obligation stays on record even when a later fact lifts it (then it is
 *   "not required", with the reason).
 * - A notice is owed until a recorded fact says it is not: no risk decision
 *   yet means a regime with a risk threshold is owed; an unknown number of
 *   people affected meets a "at least N people" threshold.
 * - Hours are exact elapsed time: 72 h across a DST change is still 72 real
 *   hours, and weekends and bank holidays count.
 * - Day and month periods follow Regulation (EEC, Euratom) No 1182/71
 *   Art. 3: the day of the event is not counted and the period ends at the
 *   end (23:59:59) of its last day, in the regime's time zone; business
 *   days skip Saturdays, Sundays and the regime's holidays.
 * - "Without undue delay" and other periods without a number get the
 *   organisation's target, flagged as a target, never a legal deadline.
 *
 * Pure: structs in, results out; no I/O, no clock reads, no allocation.
 */
#include <stdio.h>
#include <string.h>

#include "rules.h"

#define SECS_PER_HOUR INT64_C(3600)

int
rules_add_hours(int64_t start, int64_t hours, int64_t *out)
{
	int64_t secs;

	if (start == RULES_NO_TIME || hours < 0 ||
	    hours > INT64_MAX / SECS_PER_HOUR)
		return (-1);
	secs = hours * SECS_PER_HOUR;
	if (start > INT64_MAX - secs)
		return (-1);
	*out = start + secs;
	return (0);
}

/* The jurisdictions of the incident, or the configured default. */
static size_t
places(const struct rules_facts *f, const struct rules_config *c,
    const char **codes, int64_t *counts, size_t max)
{
	size_t n = 0;

	if (f->nplaces > 0) {
		for (size_t i = 0; i < f->nplaces && n < max; i++) {
			codes[n] = f->places[i].code;
			counts[n++] = f->places[i].subjects;
		}
		return (n);
	}
	for (size_t i = 0; c->default_jurisdictions != NULL &&
	    c->default_jurisdictions[i] != NULL && n < max; i++) {
		codes[n] = c->default_jurisdictions[i];
		counts[n++] = -1;
	}
	return (n);
}

/*
 * Does the incident fall within a's jurisdictions?  *count gets the largest
 * known number of people in the matching jurisdictions (-1 if none known);
 * it is left as it is when a has no jurisdiction condition.
 */
static bool
in_jurisdiction(const struct regime_applies *a, const struct rules_facts *f,
    const struct rules_config *c, int64_t *count)
{
	const char *codes[RULES_MAX_CODES];
	int64_t counts[RULES_MAX_CODES];
	size_t n;
	bool match = false;

	/* No jurisdiction condition (a phase's extra condition): keep the
	 * count of the jurisdictions the regime matched. */
	if (a->ncodes == 0)
		return (true);
	n = places(f, c, codes, counts, RULES_MAX_CODES);
	*count = -1;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < a->ncodes; j++)
			if (regime_code_matches(a->codes[j], codes[i])) {
				match = true;
				if (counts[i] > *count)
					*count = counts[i];
			}
	return (match);
}

static int64_t
determination_at(const struct rules_facts *f, const char *kind)
{
	for (size_t i = 0; i < f->ndeterminations; i++)
		if (strcmp(f->determinations[i].kind, kind) == 0)
			return (f->determinations[i].at);
	return (RULES_NO_TIME);
}

/* The conditions that make a regime concern an incident at all. */
static bool
concerns(const struct regime_applies *a, const struct rules_facts *f,
    const struct rules_config *c, int64_t *count)
{
	if (!in_jurisdiction(a, f, c, count))
		return (false);
	if (a->sectors_any != 0 && (f->sectors & a->sectors_any) == 0)
		return (false);
	if ((f->sectors & a->sectors_none) != 0)
		return (false);
	if (a->role != REGIME_ANY_ROLE && a->role != f->role)
		return (false);
	if (a->determination[0] != '\0' &&
	    determination_at(f, a->determination) == RULES_NO_TIME)
		return (false);
	return (true);
}

/*
 * The conditions under which a notice is owed; on false, *why gets the
 * reason.  A notice for at least subjects_min people in a jurisdiction
 * is not owed when fewer than that are affected in all, whatever the
 * jurisdiction's own count (unknown, or more than everyone).
 */
static bool
owed(const struct regime_applies *a, const struct rules_facts *f,
    int64_t count, char *why, size_t len)
{
	int64_t n = a->count_in_jurisdiction ? count : f->subjects;
	int64_t most = n;
	const char *where = a->count_in_jurisdiction ?
	    " in the jurisdiction" : "";

	if (a->count_in_jurisdiction && f->subjects >= 0 &&
	    (n < 0 || f->subjects < n)) {
		most = f->subjects;
		where = " in all";
	}

	if (a->min_risk == RULES_RISK_RISK && f->risk == RULES_RISK_UNLIKELY) {
		snprintf(why, len, "the breach was judged unlikely to result "
		    "in a risk to individuals");
		return (false);
	}
	if (a->min_risk == RULES_RISK_HIGH && f->risk != RULES_RISK_HIGH) {
		snprintf(why, len, "the breach is not judged high risk");
		return (false);
	}
	if (a->subjects_min >= 0 && most >= 0 && most < a->subjects_min) {
		snprintf(why, len, "%lld people are affected%s, fewer than "
		    "the %lld this notice needs", (long long)most, where,
		    (long long)a->subjects_min);
		return (false);
	}
	if (a->subjects_below >= 0 && n >= a->subjects_below) {
		snprintf(why, len, "%lld people are affected, at least %lld: "
		    "another rule applies", (long long)n,
		    (long long)a->subjects_below);
		return (false);
	}
	if (a->safe_harbor && f->key_safe) {
		snprintf(why, len, "the data were encrypted and the key was "
		    "not compromised (encryption safe harbour)");
		return (false);
	}
	return (true);
}

bool
rules_relevant(const struct regime *g, const struct rules_facts *f,
    const struct rules_config *c)
{
	int64_t count = -1, ref, day;

	if (!concerns(&g->applies, f, c, &count))
		return (false);
	if (g->effective_from == INT64_MIN && g->effective_to == INT64_MAX)
		return (true);
	/* Effective dates apply to the day the breach's clock started: the
	 * day of awareness, or of discovery while awareness is unknown. */
	ref = f->aware_at != RULES_NO_TIME ? f->aware_at : f->discovered_at;
	if (ref == RULES_NO_TIME)
		return (true);
	if (g->tz[0] == '\0' || calendar_local_date(g->tz, ref, &day) == -1)
		day = ref / 86400 - (ref % 86400 < 0);
	return (day >= g->effective_from && day <= g->effective_to);
}

/* When a clock starts, or RULES_NO_TIME if it has not. */
static int
clock_start(const struct regime *g, const struct regime_clock *k,
    const struct rules_facts *f, int64_t *out)
{
	const struct regime_phase *ref;

	*out = RULES_NO_TIME;
	switch (k->start) {
	case START_AWARE:
		*out = f->aware_at;
		/* A processor tells the controller of a breach it has found
		 * even before it is sure: discovery starts its clock. */
		if (*out == RULES_NO_TIME &&
		    g->applies.role == REGIME_PROCESSOR)
			*out = f->discovered_at;
		return (0);
	case START_DISCOVERED:
		*out = f->discovered_at;
		return (0);
	case START_DECISION:
		if (g->applies.min_risk == RULES_RISK_HIGH)
			*out = f->high_run_at != RULES_NO_TIME ?
			    f->high_run_at : f->first_high_at;
		else
			*out = f->risk_run_at != RULES_NO_TIME ?
			    f->risk_run_at : f->first_risk_at;
		return (0);
	case START_DETERMINATION:
		*out = determination_at(f, g->applies.determination);
		return (0);
	case START_PHASE:
		ref = &g->phases[k->phase_ref];
		for (size_t i = 0; i < f->nmet; i++)
			if (strcmp(f->met[i].regime_id, g->id) == 0 &&
			    strcmp(f->met[i].phase, ref->id) == 0)
				*out = f->met[i].met_at;
		return (0);
	case START_YEAR_END:
		if (f->discovered_at == RULES_NO_TIME)
			return (0);
		return (calendar_year_end(g->tz, f->discovered_at, out));
	}
	return (-1);
}

/* The deadline of a clock that started at start. */
static int
clock_due(const struct regime_clock *k, const struct calendar *cal,
    const struct rules_facts *f, const struct rules_config *c,
    int64_t start, int64_t *due, bool *target)
{
	int64_t hours;

	*target = false;
	switch (k->unit) {
	case UNIT_HOURS:
		return (rules_add_hours(start, k->duration, due));
	case UNIT_CALENDAR_DAYS:
		return (calendar_add(cal, start, k->duration, CALENDAR_DAYS,
		    due));
	case UNIT_BUSINESS_DAYS:
		return (calendar_add(cal, start, k->duration,
		    CALENDAR_BUSINESS_DAYS, due));
	case UNIT_MONTHS:
		return (calendar_add(cal, start, k->duration, CALENDAR_MONTHS,
		    due));
	case UNIT_NONE:
		*target = true;
		if (k->target_hours == TARGET_CONTRACT)
			hours = f->controller_notice_hours;
		else if (k->target_hours == TARGET_DEFAULT)
			hours = c->art34_target_hours;
		else
			hours = k->target_hours;
		return (rules_add_hours(start, hours, due));
	}
	return (-1);
}

static void
describe_period(const struct regime *g, const struct regime_clock *k,
    bool target, int64_t hours, char *buf, size_t len)
{
	static const char *const units[] = { "hours", "calendar days",
		"business days", "months", "" };
	char from[REGIME_TEXT_MAX + 32];

	regime_start_name(g, k, from, sizeof(from));
	if (target)
		snprintf(buf, len, "no fixed period in law (\"without undue "
		    "delay\"); the organisation's target is %lld hours after "
		    "%s", (long long)hours, from);
	else
		snprintf(buf, len, "due %lld %s after %s",
		    (long long)k->duration, units[k->unit], from);
}

int
rules_compute(const struct regime *g, const struct calendar *cal,
    const struct rules_facts *f, const struct rules_config *c,
    struct rules_obligation *out)
{
	char why[256], period[REGIME_TEXT_MAX * 2];
	int64_t count = -1, cap_start, cap_due, hours;
	bool cap_target;

	(void)concerns(&g->applies, f, c, &count);
	for (size_t i = 0; i < g->nphases; i++) {
		const struct regime_phase *ph = &g->phases[i];
		struct rules_obligation *o = &out[i];
		int64_t pcount = count;

		memset(o, 0, sizeof(*o));
		o->regime = g;
		o->phase = i;
		o->starts_at = o->due_at = RULES_NO_TIME;
		if (clock_start(g, &ph->clock, f, &o->starts_at) == -1)
			return (-1);
		/* A phase for another kind of organisation (a small agent's
		 * longer period, a processor's duty) does not exist here. */
		if (ph->has_when && !concerns(&ph->when, f, c, &pcount)) {
			snprintf(o->basis, sizeof(o->basis), "%s: %s does not "
			    "apply to this organisation.", g->legal_source,
			    ph->name);
			o->starts_at = RULES_NO_TIME;
			continue;
		}
		if (o->starts_at == RULES_NO_TIME) {
			snprintf(o->basis, sizeof(o->basis), "%s: %s: the "
			    "clock has not started.", g->legal_source,
			    ph->name);
			continue;
		}
		o->exists = true;
		if (clock_due(&ph->clock, cal, f, c, o->starts_at, &o->due_at,
		    &o->target) == -1)
			return (-1);
		hours = (o->due_at - o->starts_at) / SECS_PER_HOUR;
		describe_period(g, &ph->clock, o->target, hours, period,
		    sizeof(period));
		if (ph->has_cap) {
			if (clock_start(g, &ph->cap, f, &cap_start) == -1)
				return (-1);
			if (cap_start != RULES_NO_TIME) {
				if (clock_due(&ph->cap, cal, f, c, cap_start,
				    &cap_due, &cap_target) == -1)
					return (-1);
				if (cap_due < o->due_at) {
					o->due_at = cap_due;
					o->target = false;
				}
				snprintf(period + strlen(period),
				    sizeof(period) - strlen(period), ", and no "
				    "later than %lld %s after %s",
				    (long long)ph->cap.duration,
				    ph->cap.unit == UNIT_HOURS ? "hours" :
				    "days", ph->cap.start == START_AWARE ?
				    "awareness" : "discovery");
			}
		}
		why[0] = '\0';
		if (f->status == RULES_NOT_A_BREACH)
			snprintf(why, sizeof(why), "the incident was assessed "
			    "not to be a personal data breach");
		else if (!owed(&g->applies, f, count, why, sizeof(why)))
			;
		else if (ph->has_when)
			(void)owed(&ph->when, f, pcount, why, sizeof(why));
		o->required = why[0] == '\0';
		if (o->required)
			snprintf(o->basis, sizeof(o->basis), "%s: %s, %s.",
			    g->legal_source, ph->name, period);
		else
			snprintf(o->basis, sizeof(o->basis), "%s: %s is not "
			    "required: %s.", g->legal_source, ph->name, why);
	}
	return (0);
}
