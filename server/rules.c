/*
 * rules: the UK GDPR deadline engine.
 *
 * Each rule below says which reading of the law it takes.  Where the text
 * leaves room, the engine takes the conservative reading: the clock starts
 * as early as the facts allow, runs in exact elapsed hours, and a notice
 * is treated as owed until a recorded decision or status says it is not.
 *
 * Pure: structs in, results out; no I/O, no clock reads, no allocation.
 * Every basis string is static storage.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "rules.h"

#define SECS_PER_HOUR	INT64_C(3600)

static const char *const regime_ids[RULES_NREGIMES] = {
	[RULES_UK_GDPR_ART33_ICO] = "uk_gdpr_art33_ico",
	[RULES_UK_GDPR_ART34_INDIVIDUALS] = "uk_gdpr_art34_individuals",
	[RULES_UK_GDPR_ART33_2_PROCESSOR] = "uk_gdpr_art33_2_processor",
};

/* Basis sentences, one per outcome; shown to users and copied into notices. */
static const char BASIS_ART33_DUE[] =
    "UK GDPR Art. 33(1): notify the ICO without undue delay and, where "
    "feasible, not later than 72 hours after becoming aware of the breach.";
static const char BASIS_ART33_UNLIKELY[] =
    "UK GDPR Art. 33(1): notifying the ICO is not required: the breach is "
    "unlikely to result in a risk to the rights and freedoms of "
    "individuals; it is documented under Art. 33(5).";
static const char BASIS_ART33_NAB[] =
    "UK GDPR Art. 33(1): notifying the ICO is not required: the incident "
    "was assessed not to be a personal data breach; the assessment is kept "
    "on record.";
static const char BASIS_ART33_PROCESSOR[] =
    "UK GDPR Art. 33(1): notifying the ICO is the controller's duty; as "
    "processor, the organisation tells the controller (Art. 33(2)).";
static const char BASIS_ART33_NOT_AWARE[] =
    "UK GDPR Art. 33(1): the 72-hour clock starts when the controller "
    "becomes aware of the breach; no awareness time is recorded yet.";

static const char BASIS_ART34_DUE[] =
    "UK GDPR Art. 34(1): the breach is likely to result in a high risk to "
    "individuals; communicate it to the data subjects without undue delay "
    "(the organisation's target is counted from the high-risk decision).";
static const char BASIS_ART34_NOT_HIGH[] =
    "UK GDPR Art. 34(1): communicating the breach to data subjects is not "
    "required: the latest risk decision is no longer high risk.";
static const char BASIS_ART34_NAB[] =
    "UK GDPR Art. 34(1): communicating the breach to data subjects is not "
    "required: the incident was assessed not to be a personal data breach.";
static const char BASIS_ART34_PROCESSOR[] =
    "UK GDPR Art. 34(1): communicating the breach to data subjects is the "
    "controller's duty; as processor, the organisation tells the "
    "controller (Art. 33(2)).";
static const char BASIS_ART34_NO_HIGH[] =
    "UK GDPR Art. 34(1): applies once the breach is assessed as likely to "
    "result in a high risk; no high-risk decision is recorded.";

static const char BASIS_ART33_2_DUE[] =
    "UK GDPR Art. 33(2): as processor, notify the controller without undue "
    "delay after becoming aware of the breach, within the period the "
    "contract sets.";
static const char BASIS_ART33_2_NAB[] =
    "UK GDPR Art. 33(2): notifying the controller is not required: the "
    "incident was assessed not to be a personal data breach.";
static const char BASIS_ART33_2_CONTROLLER[] =
    "UK GDPR Art. 33(2): applies only when acting as a processor; the "
    "organisation acts as controller for this incident.";
static const char BASIS_ART33_2_NO_TIME[] =
    "UK GDPR Art. 33(2): the clock starts when the processor becomes aware "
    "of the breach; neither an awareness nor a discovery time is recorded.";

const char *
rules_regime_id(enum rules_regime r)
{
	if ((unsigned)r >= RULES_NREGIMES)
		return (NULL);
	return (regime_ids[r]);
}

int
rules_regime_parse(const char *id, enum rules_regime *out)
{
	if (id == NULL || out == NULL)
		return (-1);
	for (int i = 0; i < RULES_NREGIMES; i++) {
		if (strcmp(id, regime_ids[i]) == 0) {
			*out = (enum rules_regime)i;
			return (0);
		}
	}
	return (-1);
}

/*
 * Hours are elapsed time, not wall-clock time: the instant is a count of
 * UTC seconds, so a DST change in Europe/London neither adds nor removes
 * an hour, and weekends and bank holidays count like any other hour.
 */
int
rules_add_hours(int64_t start, int64_t hours, int64_t *out)
{
	int64_t secs;

	if (out == NULL || start == RULES_NO_TIME || hours < 0 ||
	    hours > INT64_MAX / SECS_PER_HOUR)
		return (-1);
	secs = hours * SECS_PER_HOUR;
	if (start > INT64_MAX - secs)
		return (-1);
	*out = start + secs;
	return (0);
}

static void
obligation_init(struct rules_obligation *o, enum rules_regime r,
    const char *basis)
{
	o->regime = r;
	o->exists = false;
	o->required = false;
	o->starts_at = RULES_NO_TIME;
	o->due_at = RULES_NO_TIME;
	o->basis = basis;
}

/*
 * Art. 33(1): the controller notifies the ICO "without undue delay and,
 * where feasible, not later than 72 hours after having become aware".
 *
 * Conservative reading: the clock starts at aware_at and runs whatever
 * the status (suspected and investigating included) and whatever the risk
 * decision, until a person records that the breach is unlikely to result
 * in a risk (then Art. 33(5) documentation is all that is owed) or that it
 * is not a breach at all.  No decision yet, or "risk", means notify.  72 h
 * is a hard outer limit; "without undue delay" can mean sooner.  The duty
 * is the controller's: when the organisation acts as processor the clock
 * is shown for reference but no notice to the ICO is owed by it.
 */
static int
rule_art33_ico(const struct rules_facts *f, struct rules_obligation *o)
{
	obligation_init(o, RULES_UK_GDPR_ART33_ICO, BASIS_ART33_NOT_AWARE);
	if (f->aware_at == RULES_NO_TIME)
		return (0);
	o->exists = true;
	o->starts_at = f->aware_at;
	if (rules_add_hours(f->aware_at, 72, &o->due_at) == -1)
		return (-1);
	if (f->status == RULES_NOT_A_BREACH) {
		o->basis = BASIS_ART33_NAB;
	} else if (f->role == RULES_PROCESSOR) {
		o->basis = BASIS_ART33_PROCESSOR;
	} else if (f->risk == RULES_RISK_UNLIKELY) {
		o->basis = BASIS_ART33_UNLIKELY;
	} else {
		o->required = true;
		o->basis = BASIS_ART33_DUE;
	}
	return (0);
}

/*
 * Art. 34(1): when a breach "is likely to result in a high risk", the
 * controller communicates it to the data subjects "without undue delay".
 * The law sets no hours; the organisation's target (config) does.
 *
 * The obligation exists once any "high" decision was made, and stays on
 * record after a later decision lowers the risk (then it is not required).
 * The clock starts at risk_decided_at when the latest decision is "high"
 * (the store passes the start of the latest unbroken run of "high"
 * decisions, so re-confirming high risk never moves the deadline later),
 * otherwise at the first "high" decision.  The first_high_at
 * fallback also covers a "high" decision whose time is unknown.  The risk
 * being high is what matters, not the status: a breach still under
 * investigation that is judged high risk owes the communication.
 */
static int
rule_art34_individuals(const struct rules_facts *f,
    const struct rules_config *c, struct rules_obligation *o)
{
	int64_t start;

	obligation_init(o, RULES_UK_GDPR_ART34_INDIVIDUALS,
	    BASIS_ART34_NO_HIGH);
	if (f->risk == RULES_RISK_HIGH && f->risk_decided_at != RULES_NO_TIME)
		start = f->risk_decided_at;
	else
		start = f->first_high_at;
	if (start == RULES_NO_TIME)
		return (0);
	o->exists = true;
	o->starts_at = start;
	if (rules_add_hours(start, c->art34_target_hours, &o->due_at) == -1)
		return (-1);
	if (f->status == RULES_NOT_A_BREACH) {
		o->basis = BASIS_ART34_NAB;
	} else if (f->role == RULES_PROCESSOR) {
		o->basis = BASIS_ART34_PROCESSOR;
	} else if (f->risk != RULES_RISK_HIGH) {
		o->basis = BASIS_ART34_NOT_HIGH;
	} else {
		o->required = true;
		o->basis = BASIS_ART34_DUE;
	}
	return (0);
}

/*
 * Art. 33(2): a processor notifies the controller "without undue delay
 * after becoming aware of a personal data breach".  The law sets no hours;
 * the contract's notice period (controller_notice_hours) does.
 *
 * Conservative reading: the clock starts at aware_at, or at discovered_at
 * while awareness is not yet recorded (a processor should tell the
 * controller even of a suspected breach, and the earlier instant gives the
 * earlier deadline).  It runs whatever the risk decision: assessing risk
 * is the controller's job, so only "not a breach" lifts it.  When the
 * organisation is the controller the obligation does not exist.
 */
static int
rule_art33_2_processor(const struct rules_facts *f,
    struct rules_obligation *o)
{
	int64_t start;

	obligation_init(o, RULES_UK_GDPR_ART33_2_PROCESSOR,
	    BASIS_ART33_2_CONTROLLER);
	if (f->role != RULES_PROCESSOR)
		return (0);
	start = f->aware_at != RULES_NO_TIME ? f->aware_at : f->discovered_at;
	if (start == RULES_NO_TIME) {
		o->basis = BASIS_ART33_2_NO_TIME;
		return (0);
	}
	o->exists = true;
	o->starts_at = start;
	if (rules_add_hours(start, f->controller_notice_hours,
	    &o->due_at) == -1)
		return (-1);
	if (f->status == RULES_NOT_A_BREACH) {
		o->basis = BASIS_ART33_2_NAB;
	} else {
		o->required = true;
		o->basis = BASIS_ART33_2_DUE;
	}
	return (0);
}

int
rules_compute(const struct rules_facts *f, const struct rules_config *c,
    struct rules_obligation out[RULES_NREGIMES])
{
	if (f == NULL || c == NULL || out == NULL)
		return (-1);
	if ((unsigned)f->status > RULES_CLOSED ||
	    (unsigned)f->risk > RULES_RISK_HIGH ||
	    (unsigned)f->role > RULES_PROCESSOR)
		return (-1);
	if (rule_art33_ico(f, &out[RULES_UK_GDPR_ART33_ICO]) == -1 ||
	    rule_art34_individuals(f, c,
	    &out[RULES_UK_GDPR_ART34_INDIVIDUALS]) == -1 ||
	    rule_art33_2_processor(f, &out[RULES_UK_GDPR_ART33_2_PROCESSOR]) ==
	    -1)
		return (-1);
	return (0);
}
