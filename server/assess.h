/*
 * assess: the severity of a personal data breach, after ENISA's
 * "Recommendations for a methodology of the assessment of severity of
 * personal data breaches" (working document v1.0, December 2013), and the
 * decision it suggests once the mitigating factors that the EDPB (Guidelines
 * 9/2022, the update of WP250, and its annex of examples) and the ICO name
 * are taken into account.
 *
 *	SE = DPC x EI + CB
 *
 * DPC, the Data Processing Context, is the base score of the data type
 * (simple 1, behavioural 2, financial 3, sensitive 4) moved up or down by
 * the context (volume, the controller, vulnerable people, public or stale
 * data); ENISA lets any data type end anywhere from 1 to 4, so the
 * adjustment must keep the sum in 1..4.  EI, the Ease of Identification,
 * is 0.25, 0.50, 0.75 or 1.  CB, the Circumstances of the Breach, adds
 * 0, 0.25 or 0.50 for each of the losses of confidentiality, integrity and
 * availability and 0.50 for malicious intent.  Levels: low (SE < 2),
 * medium (2 <= SE < 3), high (3 <= SE < 4), very high (SE >= 4).
 *
 * Every score is kept in integer hundredths (0.25 is 25), so bands compare
 * exactly.
 *
 * Pure: structs in, results out; no I/O, no allocation, no clock.  The
 * engine suggests; a person decides (DESIGN.md, "Risk decision").
 */
#ifndef BREACHCLOCK_ASSESS_H
#define BREACHCLOCK_ASSESS_H

#include <stdbool.h>
#include <stddef.h>

/* The data type; the value is ENISA's base DPC score. */
enum assess_data_type {
	ASSESS_SIMPLE = 1,
	ASSESS_BEHAVIOURAL = 2,
	ASSESS_FINANCIAL = 3,
	ASSESS_SENSITIVE = 4,
};

/* Ease of Identification: 0.25, 0.50, 0.75, 1. */
enum assess_ei {
	ASSESS_EI_NEGLIGIBLE,
	ASSESS_EI_LIMITED,
	ASSESS_EI_SIGNIFICANT,
	ASSESS_EI_MAXIMUM,
};

/* Loss of confidentiality: 0 (exposed with no evidence that anyone
 * processed the data unlawfully, or not exposed), +0.25 (a number of known
 * recipients), +0.50 (an unknown number of recipients). */
enum assess_confidentiality {
	ASSESS_CONF_NONE,
	ASSESS_CONF_KNOWN_RECIPIENTS,
	ASSESS_CONF_UNKNOWN_RECIPIENTS,
};

/* Loss of integrity: 0, +0.25 (altered, can be recovered), +0.50
 * (altered, cannot be recovered). */
enum assess_integrity {
	ASSESS_INTEGRITY_NONE,
	ASSESS_INTEGRITY_RECOVERABLE,
	ASSESS_INTEGRITY_IRRECOVERABLE,
};

/* Loss of availability: 0 (recoverable without difficulty), +0.25
 * (temporary), +0.50 (permanent: neither the controller nor the people
 * can provide the data again). */
enum assess_availability {
	ASSESS_AVAIL_NONE,
	ASSESS_AVAIL_TEMPORARY,
	ASSESS_AVAIL_PERMANENT,
};

enum assess_level {
	ASSESS_LOW,
	ASSESS_MEDIUM,
	ASSESS_HIGH,
	ASSESS_VERY_HIGH,
};

/* The suggested decision, in the words of risk_decisions.level. */
enum assess_suggestion {
	ASSESS_UNLIKELY, /* unlikely to result in a risk (Art. 33(1)) */
	ASSESS_RISK,     /* a risk: tell the regulator */
	ASSESS_HIGH_RISK, /* a high risk: tell the people too (Art. 34) */
};

/* Mitigating factors, a bit mask. */
#define ASSESS_MIT_ENCRYPTED_KEY_SAFE	(1u << 0)
#define ASSESS_MIT_RESTORED_FROM_BACKUP	(1u << 1)
#define ASSESS_MIT_TRUSTED_RECIPIENT	(1u << 2)
#define ASSESS_MIT_ALL			(ASSESS_MIT_ENCRYPTED_KEY_SAFE | \
    ASSESS_MIT_RESTORED_FROM_BACKUP | ASSESS_MIT_TRUSTED_RECIPIENT)

struct assess_input {
	enum assess_data_type data_type;
	int context_adjustment;       /* added to the base DPC score */
	enum assess_ei ei;
	enum assess_confidentiality confidentiality;
	enum assess_integrity integrity;
	enum assess_availability availability;
	bool malicious;
	unsigned int mitigations;     /* ASSESS_MIT_* */
};

/* Why an input was refused; the strings are static. */
struct assess_fault {
	const char *field;   /* the API field name, e.g. "context_adjustment" */
	const char *detail;  /* one sentence, without the field name */
	bool conflict;       /* valid alone, but contradicts another input */
};

#define ASSESS_MAX_REASONS 16
#define ASSESS_REASON_MAX 320

struct assess_result {
	int dpc;                      /* 1..4 */
	int ei;                       /* hundredths: 25, 50, 75, 100 */
	int cb;                       /* hundredths: 0..200 */
	int score;                    /* SE in hundredths */
	enum assess_level level;
	/* What the level alone suggests, and what is suggested once the
	 * mitigating factors are counted (never higher). */
	enum assess_suggestion unmitigated;
	enum assess_suggestion suggestion;
	/* The score left after the mitigated losses are taken out (equal to
	 * score when no mitigation applies), in hundredths. */
	int residual;
	/* Mitigations that changed something (ASSESS_MIT_*). */
	unsigned int applied;
	/* Plain-English sentences, in order, for the record. */
	size_t nreasons;
	char reasons[ASSESS_MAX_REASONS][ASSESS_REASON_MAX];
};

/*
 * Check every input: each enum within its range, the adjusted DPC in 1..4,
 * only known mitigation bits, and no mitigation that contradicts the facts
 * (a trusted recipient who deleted the data cannot be an unknown number of
 * recipients; data restored from a backup were not lost for good).
 * 0, or -1 with *fault filled.
 */
int assess_check(const struct assess_input *in, struct assess_fault *fault);

/*
 * Assess in and fill *out (owned by the caller; nothing is allocated).
 * 0, or -1 when assess_check() refuses the input (then *out is zeroed and
 * *fault, which may be NULL, is filled).
 */
int assess_run(const struct assess_input *in, struct assess_result *out,
    struct assess_fault *fault);

/* The level of a score in hundredths. */
enum assess_level assess_level_of(int score);

/* Name <-> value of each enum, in the words of the API.  The _parse
 * functions return 0, or -1 when s is NULL or not a name; the _name
 * functions return a static string, or NULL for a value out of range. */
int assess_data_type_parse(const char *s, enum assess_data_type *out);
const char *assess_data_type_name(enum assess_data_type v);
int assess_ei_parse(const char *s, enum assess_ei *out);
const char *assess_ei_name(enum assess_ei v);
int assess_confidentiality_parse(const char *s,
    enum assess_confidentiality *out);
const char *assess_confidentiality_name(enum assess_confidentiality v);
int assess_integrity_parse(const char *s, enum assess_integrity *out);
const char *assess_integrity_name(enum assess_integrity v);
int assess_availability_parse(const char *s, enum assess_availability *out);
const char *assess_availability_name(enum assess_availability v);
/* One mitigation name to its ASSESS_MIT_* bit. */
int assess_mitigation_parse(const char *s, unsigned int *bit);
const char *assess_mitigation_name(unsigned int bit);
const char *assess_level_name(enum assess_level v);
/* "unlikely", "risk" or "high". */
const char *assess_suggestion_name(enum assess_suggestion v);

/* Format hundredths as "4.25" into buf (len bytes); returns buf. */
char *assess_format(int hundredths, char *buf, size_t len);

#endif
