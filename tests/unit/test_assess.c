/*
 * Unit tests for server/assess.c: the ENISA severity score (SE = DPC x EI
 * + CB), its bands, every factor and mitigating factor, invalid inputs,
 * and a table of worked examples whose scores are computed by hand in the
 * comments.  Scores are in hundredths (2.75 is 275).
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "assess.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* A breach with nothing but the data: maximum EI, no losses. */
static struct assess_input
base(enum assess_data_type t)
{
	struct assess_input in;

	memset(&in, 0, sizeof(in));
	in.data_type = t;
	in.ei = ASSESS_EI_MAXIMUM;
	in.confidentiality = ASSESS_CONF_NONE;
	in.integrity = ASSESS_INTEGRITY_NONE;
	in.availability = ASSESS_AVAIL_NONE;
	return (in);
}

static void
run(const struct assess_input *in, struct assess_result *out)
{
	struct assess_fault f = { NULL, NULL, false };

	assert_int_equal(assess_run(in, out, &f), 0);
	assert_null(f.field);
}

/* The field assess_run() refuses, and whether it is a conflict. */
static void
refused(const struct assess_input *in, const char *field, bool conflict)
{
	struct assess_result out;
	struct assess_fault f = { NULL, NULL, false };

	assert_int_equal(assess_check(in, &f), -1);
	assert_string_equal(f.field, field);
	assert_non_null(f.detail);
	assert_true(f.conflict == conflict);
	memset(&out, 0x5a, sizeof(out));
	assert_int_equal(assess_run(in, &out, NULL), -1);
	assert_int_equal(out.score, 0);
	assert_int_equal(out.nreasons, 0);
}

static bool
has_reason(const struct assess_result *r, const char *needle)
{
	size_t i;

	for (i = 0; i < r->nreasons; i++)
		if (strstr(r->reasons[i], needle) != NULL)
			return (true);
	return (false);
}

/* --- bands --- */

static void
test_level_of(void **state)
{
	(void)state;
	assert_int_equal(assess_level_of(0), ASSESS_LOW);
	assert_int_equal(assess_level_of(199), ASSESS_LOW);
	assert_int_equal(assess_level_of(200), ASSESS_MEDIUM);
	assert_int_equal(assess_level_of(299), ASSESS_MEDIUM);
	assert_int_equal(assess_level_of(300), ASSESS_HIGH);
	assert_int_equal(assess_level_of(399), ASSESS_HIGH);
	assert_int_equal(assess_level_of(400), ASSESS_VERY_HIGH);
	assert_int_equal(assess_level_of(600), ASSESS_VERY_HIGH);
}

/*
 * ENISA's scores are all multiples of 0.25, so no input scores 1.99, 2.99
 * or 3.99; the nearest below each boundary is x.75, and these inputs hit
 * both sides exactly.
 */
static void
test_band_boundaries(void **state)
{
	struct assess_input in;
	struct assess_result r;

	(void)state;
	/* 1 x 1.00 + 0.50 + 0.25 = 1.75: low, unlikely. */
	in = base(ASSESS_SIMPLE);
	in.confidentiality = ASSESS_CONF_UNKNOWN_RECIPIENTS;
	in.integrity = ASSESS_INTEGRITY_RECOVERABLE;
	run(&in, &r);
	assert_int_equal(r.score, 175);
	assert_int_equal(r.level, ASSESS_LOW);
	assert_int_equal(r.suggestion, ASSESS_UNLIKELY);
	/* (1 + 1) x 1.00 = 2.00: medium, risk. */
	in = base(ASSESS_SIMPLE);
	in.context_adjustment = 1;
	run(&in, &r);
	assert_int_equal(r.score, 200);
	assert_int_equal(r.level, ASSESS_MEDIUM);
	assert_int_equal(r.suggestion, ASSESS_RISK);
	/* 2 x 1.00 + 0.50 + 0.25 = 2.75: medium, risk. */
	in = base(ASSESS_BEHAVIOURAL);
	in.confidentiality = ASSESS_CONF_UNKNOWN_RECIPIENTS;
	in.availability = ASSESS_AVAIL_TEMPORARY;
	run(&in, &r);
	assert_int_equal(r.score, 275);
	assert_int_equal(r.level, ASSESS_MEDIUM);
	assert_int_equal(r.suggestion, ASSESS_RISK);
	/* 3 x 1.00 = 3.00: high, high. */
	in = base(ASSESS_FINANCIAL);
	run(&in, &r);
	assert_int_equal(r.score, 300);
	assert_int_equal(r.level, ASSESS_HIGH);
	assert_int_equal(r.suggestion, ASSESS_HIGH_RISK);
	/* 3 x 0.75 + 0.50 + 0.50 + 0.50 = 3.75: high. */
	in = base(ASSESS_FINANCIAL);
	in.ei = ASSESS_EI_SIGNIFICANT;
	in.confidentiality = ASSESS_CONF_UNKNOWN_RECIPIENTS;
	in.integrity = ASSESS_INTEGRITY_IRRECOVERABLE;
	in.malicious = true;
	run(&in, &r);
	assert_int_equal(r.score, 375);
	assert_int_equal(r.level, ASSESS_HIGH);
	assert_int_equal(r.suggestion, ASSESS_HIGH_RISK);
	/* 4 x 1.00 = 4.00: very high, high. */
	in = base(ASSESS_SENSITIVE);
	run(&in, &r);
	assert_int_equal(r.score, 400);
	assert_int_equal(r.level, ASSESS_VERY_HIGH);
	assert_int_equal(r.suggestion, ASSESS_HIGH_RISK);
	/* The maximum: 4 x 1.00 + 0.50 x 4 = 6.00. */
	in.confidentiality = ASSESS_CONF_UNKNOWN_RECIPIENTS;
	in.integrity = ASSESS_INTEGRITY_IRRECOVERABLE;
	in.availability = ASSESS_AVAIL_PERMANENT;
	in.malicious = true;
	run(&in, &r);
	assert_int_equal(r.score, 600);
	assert_int_equal(r.cb, 200);
	/* The minimum: 1 x 0.25 = 0.25. */
	in = base(ASSESS_SIMPLE);
	in.ei = ASSESS_EI_NEGLIGIBLE;
	run(&in, &r);
	assert_int_equal(r.score, 25);
	assert_int_equal(r.level, ASSESS_LOW);
}

/* --- every factor --- */

static void
test_dpc_base_scores(void **state)
{
	static const struct {
		enum assess_data_type t;
		int score;
	} cases[] = {
		{ ASSESS_SIMPLE, 100 },
		{ ASSESS_BEHAVIOURAL, 200 },
		{ ASSESS_FINANCIAL, 300 },
		{ ASSESS_SENSITIVE, 400 },
	};
	struct assess_input in;
	struct assess_result r;
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(cases); i++) {
		in = base(cases[i].t);
		run(&in, &r);
		assert_int_equal(r.dpc, (int)cases[i].t);
		assert_int_equal(r.score, cases[i].score);
		assert_int_equal(r.cb, 0);
	}
}

/* Each type's permitted adjustments end at DPC 1 and DPC 4 (ENISA
 * Assessment Table 1); one step further is refused. */
static void
test_dpc_adjustment_range(void **state)
{
	static const struct {
		enum assess_data_type t;
		int lo, hi;
	} cases[] = {
		{ ASSESS_SIMPLE, 0, 3 },
		{ ASSESS_BEHAVIOURAL, -1, 2 },
		{ ASSESS_FINANCIAL, -2, 1 },
		{ ASSESS_SENSITIVE, -3, 0 },
	};
	struct assess_input in;
	struct assess_result r;
	size_t i;
	int adj;

	(void)state;
	for (i = 0; i < NELEM(cases); i++) {
		for (adj = cases[i].lo; adj <= cases[i].hi; adj++) {
			in = base(cases[i].t);
			in.context_adjustment = adj;
			run(&in, &r);
			assert_int_equal(r.dpc, (int)cases[i].t + adj);
			assert_int_equal(r.score, r.dpc * 100);
		}
		in = base(cases[i].t);
		in.context_adjustment = cases[i].lo - 1;
		refused(&in, "context_adjustment", false);
		in.context_adjustment = cases[i].hi + 1;
		refused(&in, "context_adjustment", false);
	}
}

static void
test_ei(void **state)
{
	static const int want[] = { 100, 200, 300, 400 };
	struct assess_input in;
	struct assess_result r;
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(want); i++) {
		in = base(ASSESS_SENSITIVE);
		in.ei = (enum assess_ei)i;
		run(&in, &r);
		assert_int_equal(r.ei, (int)(i + 1) * 25);
		assert_int_equal(r.score, want[i]);
	}
}

static void
test_confidentiality(void **state)
{
	static const int cb[] = { 0, 25, 50 };
	struct assess_input in;
	struct assess_result r;
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(cb); i++) {
		in = base(ASSESS_SIMPLE);
		in.confidentiality = (enum assess_confidentiality)i;
		run(&in, &r);
		assert_int_equal(r.cb, cb[i]);
		assert_int_equal(r.score, 100 + cb[i]);
	}
	in = base(ASSESS_SIMPLE);
	in.confidentiality = ASSESS_CONF_UNKNOWN_RECIPIENTS;
	run(&in, &r);
	assert_true(has_reason(&r, "Loss of confidentiality: the data were "
	    "exposed to an unknown number of recipients (+0.50)."));
}

static void
test_integrity(void **state)
{
	static const int cb[] = { 0, 25, 50 };
	struct assess_input in;
	struct assess_result r;
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(cb); i++) {
		in = base(ASSESS_SIMPLE);
		in.integrity = (enum assess_integrity)i;
		run(&in, &r);
		assert_int_equal(r.cb, cb[i]);
		assert_int_equal(r.score, 100 + cb[i]);
	}
	assert_true(has_reason(&r, "Loss of integrity: the data were altered "
	    "and the correct data cannot be recovered (+0.50)."));
}

static void
test_availability(void **state)
{
	static const int cb[] = { 0, 25, 50 };
	struct assess_input in;
	struct assess_result r;
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(cb); i++) {
		in = base(ASSESS_SIMPLE);
		in.availability = (enum assess_availability)i;
		run(&in, &r);
		assert_int_equal(r.cb, cb[i]);
		assert_int_equal(r.score, 100 + cb[i]);
	}
	assert_true(has_reason(&r, "Loss of availability: the data are lost "
	    "for good"));
}

static void
test_malicious(void **state)
{
	struct assess_input in;
	struct assess_result r;

	(void)state;
	in = base(ASSESS_SIMPLE);
	run(&in, &r);
	assert_int_equal(r.cb, 0);
	assert_true(has_reason(&r, "Malicious intent: no;"));
	in.malicious = true;
	run(&in, &r);
	assert_int_equal(r.cb, 50);
	assert_int_equal(r.score, 150);
	assert_true(has_reason(&r, "Malicious intent: yes; the breach was "
	    "deliberate (+0.50)."));
}

/* CB is the sum of its parts: 0.25 + 0.50 + 0.25 + 0.50 = 1.50. */
static void
test_cb_sum(void **state)
{
	struct assess_input in;
	struct assess_result r;

	(void)state;
	in = base(ASSESS_BEHAVIOURAL);
	in.ei = ASSESS_EI_LIMITED;
	in.confidentiality = ASSESS_CONF_KNOWN_RECIPIENTS;
	in.integrity = ASSESS_INTEGRITY_IRRECOVERABLE;
	in.availability = ASSESS_AVAIL_TEMPORARY;
	in.malicious = true;
	run(&in, &r);
	/* 2 x 0.50 + 1.50 = 2.50. */
	assert_int_equal(r.cb, 150);
	assert_int_equal(r.score, 250);
	assert_true(has_reason(&r, "Circumstances of the Breach: CB = 0.25 + "
	    "0.50 + 0.25 + 0.50 = 1.50."));
	assert_true(has_reason(&r, "Severity: SE = DPC × EI + CB = 2 × 0.50 + "
	    "1.50 = 2.50, which ENISA rates medium (2 ≤ SE < 3)."));
}

/* --- every mitigation --- */

/* EDPB: a stolen device encrypted to the state of the art, key safe. */
static void
test_mit_encrypted(void **state)
{
	struct assess_input in;
	struct assess_result r;

	(void)state;
	/* 4 x 1.00 + 0.50 + 0.50 = 5.00, very high. */
	in = base(ASSESS_SENSITIVE);
	in.confidentiality = ASSESS_CONF_UNKNOWN_RECIPIENTS;
	in.malicious = true;
	run(&in, &r);
	assert_int_equal(r.score, 500);
	assert_int_equal(r.suggestion, ASSESS_HIGH_RISK);
	in.mitigations = ASSESS_MIT_ENCRYPTED_KEY_SAFE;
	run(&in, &r);
	assert_int_equal(r.score, 500);
	assert_int_equal(r.level, ASSESS_VERY_HIGH);
	assert_int_equal(r.unmitigated, ASSESS_HIGH_RISK);
	assert_int_equal(r.suggestion, ASSESS_UNLIKELY);
	assert_int_equal(r.residual, 450);
	assert_int_equal(r.applied, ASSESS_MIT_ENCRYPTED_KEY_SAFE);
	assert_true(has_reason(&r, "state-of-the-art encryption"));
	assert_true(has_reason(&r, "(-0.50)"));
	assert_true(has_reason(&r, "Suggested decision: unlikely."));

	/* Lost, no evidence anyone read it: still answered. */
	in.confidentiality = ASSESS_CONF_NONE;
	run(&in, &r);
	assert_int_equal(r.score, 450);
	assert_int_equal(r.suggestion, ASSESS_UNLIKELY);
	assert_true(has_reason(&r, "this answers any exposure of the data"));

	/* Encrypted, but no backup: the permanent loss is not answered.
	 * 4 + 0.50 + 0.50 + 0.50 = 5.50; residual 5.00, still high. */
	in.confidentiality = ASSESS_CONF_UNKNOWN_RECIPIENTS;
	in.availability = ASSESS_AVAIL_PERMANENT;
	run(&in, &r);
	assert_int_equal(r.score, 550);
	assert_int_equal(r.residual, 500);
	assert_int_equal(r.suggestion, ASSESS_HIGH_RISK);
	assert_true(has_reason(&r, "the suggestion stays high"));
}

/* EDPB/ICO: sent to a trusted recipient who confirmed deletion. */
static void
test_mit_trusted_recipient(void **state)
{
	struct assess_input in;
	struct assess_result r;

	(void)state;
	/* 2 x 1.00 + 0.25 = 2.25, medium, risk. */
	in = base(ASSESS_BEHAVIOURAL);
	in.confidentiality = ASSESS_CONF_KNOWN_RECIPIENTS;
	run(&in, &r);
	assert_int_equal(r.score, 225);
	assert_int_equal(r.suggestion, ASSESS_RISK);
	in.mitigations = ASSESS_MIT_TRUSTED_RECIPIENT;
	run(&in, &r);
	assert_int_equal(r.score, 225);
	assert_int_equal(r.residual, 200);
	assert_int_equal(r.suggestion, ASSESS_UNLIKELY);
	assert_int_equal(r.applied, ASSESS_MIT_TRUSTED_RECIPIENT);
	assert_true(has_reason(&r, "trusted recipient"));

	/* With encryption as well the loss is taken out once. */
	in.mitigations |= ASSESS_MIT_ENCRYPTED_KEY_SAFE;
	run(&in, &r);
	assert_int_equal(r.residual, 200);
	assert_true(has_reason(&r, "already answered"));

	/* An unknown number of recipients cannot all be trusted. */
	in.confidentiality = ASSESS_CONF_UNKNOWN_RECIPIENTS;
	in.mitigations = ASSESS_MIT_TRUSTED_RECIPIENT;
	refused(&in, "mitigations", true);
}

/* EDPB: ransomware, backup restored in good time, no exfiltration. */
static void
test_mit_restored(void **state)
{
	struct assess_input in;
	struct assess_result r;

	(void)state;
	/* 3 x 0.75 + 0.25 + 0.50 = 3.00, high. */
	in = base(ASSESS_FINANCIAL);
	in.ei = ASSESS_EI_SIGNIFICANT;
	in.availability = ASSESS_AVAIL_TEMPORARY;
	in.malicious = true;
	run(&in, &r);
	assert_int_equal(r.score, 300);
	assert_int_equal(r.suggestion, ASSESS_HIGH_RISK);
	in.mitigations = ASSESS_MIT_RESTORED_FROM_BACKUP;
	run(&in, &r);
	assert_int_equal(r.residual, 275);
	assert_int_equal(r.suggestion, ASSESS_UNLIKELY);
	assert_int_equal(r.applied, ASSESS_MIT_RESTORED_FROM_BACKUP);
	assert_true(has_reason(&r, "temporary loss of availability (-0.25)"));

	/* It answers a recoverable loss of integrity too. */
	in.integrity = ASSESS_INTEGRITY_RECOVERABLE;
	run(&in, &r);
	assert_int_equal(r.score, 325);
	assert_int_equal(r.residual, 275);
	assert_int_equal(r.suggestion, ASSESS_UNLIKELY);
	assert_true(has_reason(&r, "temporary loss of availability and the "
	    "recoverable loss of integrity (-0.50)"));

	/* Exfiltrated as well: the loss of confidentiality remains.
	 * 3 x 0.75 + 0.50 + 0.25 = 3.00; residual 2.75, lowered to risk. */
	in = base(ASSESS_FINANCIAL);
	in.ei = ASSESS_EI_SIGNIFICANT;
	in.confidentiality = ASSESS_CONF_UNKNOWN_RECIPIENTS;
	in.availability = ASSESS_AVAIL_TEMPORARY;
	in.mitigations = ASSESS_MIT_RESTORED_FROM_BACKUP;
	run(&in, &r);
	assert_int_equal(r.score, 300);
	assert_int_equal(r.residual, 275);
	assert_int_equal(r.unmitigated, ASSESS_HIGH_RISK);
	assert_int_equal(r.suggestion, ASSESS_RISK);
	assert_true(has_reason(&r, "lowered from high to risk"));

	/* Nothing for it to answer: noted, no change. */
	in = base(ASSESS_FINANCIAL);
	in.mitigations = ASSESS_MIT_RESTORED_FROM_BACKUP;
	run(&in, &r);
	assert_int_equal(r.applied, 0);
	assert_int_equal(r.residual, 300);
	assert_int_equal(r.suggestion, ASSESS_HIGH_RISK);
	assert_true(has_reason(&r, "changes nothing here"));

	/* An irrecoverable alteration stays: 2 x 1 + 0.50 + 0.25 = 2.75,
	 * residual 2.50, still risk. */
	in = base(ASSESS_BEHAVIOURAL);
	in.integrity = ASSESS_INTEGRITY_IRRECOVERABLE;
	in.availability = ASSESS_AVAIL_TEMPORARY;
	in.mitigations = ASSESS_MIT_RESTORED_FROM_BACKUP;
	run(&in, &r);
	assert_int_equal(r.score, 275);
	assert_int_equal(r.residual, 250);
	assert_int_equal(r.suggestion, ASSESS_RISK);

	/* Data restored from a backup were not lost for good. */
	in.availability = ASSESS_AVAIL_PERMANENT;
	refused(&in, "mitigations", true);
}

static void
test_mit_all(void **state)
{
	struct assess_input in;
	struct assess_result r;

	(void)state;
	/* 4 + 0.25 + 0.25 + 0.25 + 0.50 = 5.25; every loss answered. */
	in = base(ASSESS_SENSITIVE);
	in.confidentiality = ASSESS_CONF_KNOWN_RECIPIENTS;
	in.integrity = ASSESS_INTEGRITY_RECOVERABLE;
	in.availability = ASSESS_AVAIL_TEMPORARY;
	in.malicious = true;
	in.mitigations = ASSESS_MIT_ALL;
	run(&in, &r);
	assert_int_equal(r.score, 525);
	assert_int_equal(r.residual, 450);
	assert_int_equal(r.applied, ASSESS_MIT_ALL);
	assert_int_equal(r.suggestion, ASSESS_UNLIKELY);
}

/* --- invalid inputs --- */

static void
test_invalid(void **state)
{
	struct assess_input in;

	(void)state;
	in = base(ASSESS_SIMPLE);
	in.data_type = (enum assess_data_type)0;
	refused(&in, "data_type", false);
	in.data_type = (enum assess_data_type)5;
	refused(&in, "data_type", false);

	in = base(ASSESS_FINANCIAL);
	in.context_adjustment = INT_MAX;
	refused(&in, "context_adjustment", false);
	in.context_adjustment = INT_MIN;
	refused(&in, "context_adjustment", false);
	in.context_adjustment = 4;
	refused(&in, "context_adjustment", false);
	in.context_adjustment = -4;
	refused(&in, "context_adjustment", false);

	in = base(ASSESS_SIMPLE);
	in.ei = (enum assess_ei)4;
	refused(&in, "ease_of_identification", false);
	in.ei = (enum assess_ei)-1;
	refused(&in, "ease_of_identification", false);

	in = base(ASSESS_SIMPLE);
	in.confidentiality = (enum assess_confidentiality)3;
	refused(&in, "confidentiality", false);
	in = base(ASSESS_SIMPLE);
	in.integrity = (enum assess_integrity)3;
	refused(&in, "integrity", false);
	in = base(ASSESS_SIMPLE);
	in.availability = (enum assess_availability)3;
	refused(&in, "availability", false);
	in = base(ASSESS_SIMPLE);
	in.mitigations = 1u << 3;
	refused(&in, "mitigations", false);
}

static void
test_parse_names(void **state)
{
	static const char *const types[] = { "simple", "behavioural",
	    "financial", "sensitive" };
	static const char *const eis[] = { "negligible", "limited",
	    "significant", "maximum" };
	static const char *const confs[] = { "none", "known_recipients",
	    "unknown_recipients" };
	static const char *const ints[] = { "none", "recoverable",
	    "irrecoverable" };
	static const char *const avs[] = { "none", "temporary", "permanent" };
	static const char *const mits[] = { "encrypted_key_safe",
	    "restored_from_backup", "trusted_recipient_deleted" };
	static const char *const bad[] = { "", "Simple", "simple ",
	    " simple", "behavioral", "unknown", "NONE", "high" };
	enum assess_data_type t;
	enum assess_ei e;
	enum assess_confidentiality c;
	enum assess_integrity g;
	enum assess_availability a;
	unsigned int bit, seen = 0;
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(types); i++) {
		assert_int_equal(assess_data_type_parse(types[i], &t), 0);
		assert_int_equal(t, (int)i + 1);
		assert_string_equal(assess_data_type_name(t), types[i]);
	}
	for (i = 0; i < NELEM(eis); i++) {
		assert_int_equal(assess_ei_parse(eis[i], &e), 0);
		assert_string_equal(assess_ei_name(e), eis[i]);
	}
	for (i = 0; i < NELEM(confs); i++) {
		assert_int_equal(assess_confidentiality_parse(confs[i], &c), 0);
		assert_string_equal(assess_confidentiality_name(c), confs[i]);
	}
	for (i = 0; i < NELEM(ints); i++) {
		assert_int_equal(assess_integrity_parse(ints[i], &g), 0);
		assert_string_equal(assess_integrity_name(g), ints[i]);
	}
	for (i = 0; i < NELEM(avs); i++) {
		assert_int_equal(assess_availability_parse(avs[i], &a), 0);
		assert_string_equal(assess_availability_name(a), avs[i]);
	}
	for (i = 0; i < NELEM(mits); i++) {
		assert_int_equal(assess_mitigation_parse(mits[i], &bit), 0);
		assert_string_equal(assess_mitigation_name(bit), mits[i]);
		assert_int_equal(seen & bit, 0);
		seen |= bit;
	}
	assert_int_equal(seen, ASSESS_MIT_ALL);
	for (i = 0; i < NELEM(bad); i++) {
		assert_int_equal(assess_data_type_parse(bad[i], &t), -1);
		assert_int_equal(assess_ei_parse(bad[i], &e), -1);
		assert_int_equal(assess_confidentiality_parse(bad[i], &c),
		    -1);
		assert_int_equal(assess_integrity_parse(bad[i], &g), -1);
		assert_int_equal(assess_availability_parse(bad[i], &a), -1);
		assert_int_equal(assess_mitigation_parse(bad[i], &bit), -1);
	}
	assert_int_equal(assess_data_type_parse(NULL, &t), -1);
	assert_int_equal(assess_ei_parse(NULL, &e), -1);
	assert_int_equal(assess_confidentiality_parse(NULL, &c), -1);
	assert_int_equal(assess_integrity_parse(NULL, &g), -1);
	assert_int_equal(assess_availability_parse(NULL, &a), -1);
	assert_int_equal(assess_mitigation_parse(NULL, &bit), -1);

	assert_null(assess_data_type_name((enum assess_data_type)0));
	assert_null(assess_data_type_name((enum assess_data_type)5));
	assert_null(assess_ei_name((enum assess_ei)4));
	assert_null(assess_confidentiality_name(
	    (enum assess_confidentiality)3));
	assert_null(assess_integrity_name((enum assess_integrity)3));
	assert_null(assess_availability_name((enum assess_availability)3));
	assert_null(assess_mitigation_name(0));
	assert_null(assess_mitigation_name(ASSESS_MIT_ALL));
	assert_string_equal(assess_level_name(ASSESS_VERY_HIGH), "very high");
	assert_null(assess_level_name((enum assess_level)4));
	assert_string_equal(assess_suggestion_name(ASSESS_UNLIKELY),
	    "unlikely");
	assert_string_equal(assess_suggestion_name(ASSESS_RISK), "risk");
	assert_string_equal(assess_suggestion_name(ASSESS_HIGH_RISK), "high");
	assert_null(assess_suggestion_name((enum assess_suggestion)3));
}

static void
test_format(void **state)
{
	char buf[16];

	(void)state;
	assert_string_equal(assess_format(0, buf, sizeof(buf)), "0.00");
	assert_string_equal(assess_format(5, buf, sizeof(buf)), "0.05");
	assert_string_equal(assess_format(200, buf, sizeof(buf)), "2.00");
	assert_string_equal(assess_format(425, buf, sizeof(buf)), "4.25");
	assert_string_equal(assess_format(-25, buf, sizeof(buf)), "-0.25");
}

/* --- worked examples, SE computed by hand --- */

struct example {
	const char *what;
	struct assess_input in;
	int score;
	enum assess_level level;
	enum assess_suggestion suggestion;
};

#define IN(t, adj, ei, c, i, a, m, mit) \
	{ ASSESS_##t, adj, ASSESS_EI_##ei, ASSESS_CONF_##c, \
	  ASSESS_INTEGRITY_##i, ASSESS_AVAIL_##a, m, mit }

static const struct example examples[] = {
	/* 1 x 1.00 + 0.25 = 1.25 */
	{ "supermarket customer list e-mailed to one wrong customer",
	    IN(SIMPLE, 0, MAXIMUM, KNOWN_RECIPIENTS, NONE, NONE, false, 0),
	    125, ASSESS_LOW, ASSESS_UNLIKELY },
	/* (1 + 1) x 1.00 + 0.50 + 0.50 = 3.00 */
	{ "luxury-goods customer list stolen and published",
	    IN(SIMPLE, 1, MAXIMUM, UNKNOWN_RECIPIENTS, NONE, NONE, true, 0),
	    300, ASSESS_HIGH, ASSESS_HIGH_RISK },
	/* (2 + 1) x 0.75 + 0 = 2.25 */
	{ "a year of call records on an open server, no sign of access",
	    IN(BEHAVIOURAL, 1, SIGNIFICANT, NONE, NONE, NONE, false, 0),
	    225, ASSESS_MEDIUM, ASSESS_RISK },
	/* (3 + 1) x 1.00 + 0.25 = 4.25; trusted recipient answers it */
	{ "bank statements sent to another customer who deleted them",
	    IN(FINANCIAL, 1, MAXIMUM, KNOWN_RECIPIENTS, NONE, NONE, false,
	    ASSESS_MIT_TRUSTED_RECIPIENT),
	    425, ASSESS_VERY_HIGH, ASSESS_UNLIKELY },
	/* 4 x 1.00 + 0.50 + 0.50 = 5.00 */
	{ "hospital ransomware, test results lost, no backup",
	    IN(SENSITIVE, 0, MAXIMUM, NONE, NONE, PERMANENT, true, 0),
	    500, ASSESS_VERY_HIGH, ASSESS_HIGH_RISK },
	/* (4 - 1) x 0.25 + 0 = 0.75 */
	{ "pseudonymised study data misplaced, no sign of access",
	    IN(SENSITIVE, -1, NEGLIGIBLE, NONE, NONE, NONE, false, 0),
	    75, ASSESS_LOW, ASSESS_UNLIKELY },
	/* 3 x 1.00 + 0.25 + 0.50 = 3.75 */
	{ "payroll altered by an insider, correct data recoverable",
	    IN(FINANCIAL, 0, MAXIMUM, NONE, RECOVERABLE, NONE, true, 0),
	    375, ASSESS_HIGH, ASSESS_HIGH_RISK },
	/* (3 - 2) x 0.50 + 0.50 + 0.50 = 1.50 */
	{ "long-expired card numbers, partial names, posted online",
	    IN(FINANCIAL, -2, LIMITED, UNKNOWN_RECIPIENTS, NONE, NONE, true,
	    0),
	    150, ASSESS_LOW, ASSESS_UNLIKELY },
	/* (2 + 1) x 0.75 + 0.50 = 2.75 */
	{ "a year of travel-card journeys exposed to the internet",
	    IN(BEHAVIOURAL, 1, SIGNIFICANT, UNKNOWN_RECIPIENTS, NONE, NONE,
	    false, 0),
	    275, ASSESS_MEDIUM, ASSESS_RISK },
	/* 4 x 1.00 + 0.50 + 0.50 = 5.00; encrypted, key safe */
	{ "encrypted laptop with HR health files stolen, backup kept",
	    IN(SENSITIVE, 0, MAXIMUM, UNKNOWN_RECIPIENTS, NONE, NONE, true,
	    ASSESS_MIT_ENCRYPTED_KEY_SAFE),
	    500, ASSESS_VERY_HIGH, ASSESS_UNLIKELY },
	/* 1 x 1.00 + 0.25 + 0.50 = 1.75; restored from backup */
	{ "small-firm ransomware, restored from backup, no exfiltration",
	    IN(SIMPLE, 0, MAXIMUM, NONE, NONE, TEMPORARY, true,
	    ASSESS_MIT_RESTORED_FROM_BACKUP),
	    175, ASSESS_LOW, ASSESS_UNLIKELY },
	/* (2 - 1) x 0.50 + 0.25 + 0.25 = 1.00 */
	{ "helpdesk call log with public data altered by a bug",
	    IN(BEHAVIOURAL, -1, LIMITED, KNOWN_RECIPIENTS, RECOVERABLE, NONE,
	    false, 0),
	    100, ASSESS_LOW, ASSESS_UNLIKELY },
	/* (1 + 3) x 0.75 + 0.50 + 0.25 + 0.50 = 4.25 */
	{ "list of protected witnesses' addresses stolen and leaked",
	    IN(SIMPLE, 3, SIGNIFICANT, UNKNOWN_RECIPIENTS, NONE, TEMPORARY,
	    true, 0),
	    425, ASSESS_VERY_HIGH, ASSESS_HIGH_RISK },
	/* (3 + 1) x 0.50 + 0.50 + 0.25 = 2.75; restored answers 0.25,
	 * residual 2.50 stays medium */
	{ "card database copied and briefly encrypted, backup restored",
	    IN(FINANCIAL, 1, LIMITED, UNKNOWN_RECIPIENTS, NONE, TEMPORARY,
	    false, ASSESS_MIT_RESTORED_FROM_BACKUP),
	    275, ASSESS_MEDIUM, ASSESS_RISK },
};

static void
test_worked_examples(void **state)
{
	struct assess_result r;
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(examples); i++) {
		print_message("example %zu: %s\n", i + 1, examples[i].what);
		run(&examples[i].in, &r);
		assert_int_equal(r.score, examples[i].score);
		assert_int_equal(r.level, examples[i].level);
		assert_int_equal(r.suggestion, examples[i].suggestion);
		assert_int_equal(r.score, r.dpc * r.ei + r.cb);
	}
}

/* --- every valid input, checked against the definition --- */

static void
test_exhaustive(void **state)
{
	static const int ei[] = { 25, 50, 75, 100 };
	static const int cia[] = { 0, 25, 50 };
	struct assess_input in;
	struct assess_result r;
	int t, adj, e, c, g, a, m;
	unsigned int mit;
	size_t i, n = 0;

	(void)state;
	for (t = 1; t <= 4; t++)
	for (adj = 1 - t; adj <= 4 - t; adj++)
	for (e = 0; e < 4; e++)
	for (c = 0; c < 3; c++)
	for (g = 0; g < 3; g++)
	for (a = 0; a < 3; a++)
	for (m = 0; m < 2; m++)
	for (mit = 0; mit <= ASSESS_MIT_ALL; mit++) {
		in.data_type = (enum assess_data_type)t;
		in.context_adjustment = adj;
		in.ei = (enum assess_ei)e;
		in.confidentiality = (enum assess_confidentiality)c;
		in.integrity = (enum assess_integrity)g;
		in.availability = (enum assess_availability)a;
		in.malicious = m != 0;
		in.mitigations = mit;
		if ((mit & ASSESS_MIT_TRUSTED_RECIPIENT) && c == 2)
			continue;
		if ((mit & ASSESS_MIT_RESTORED_FROM_BACKUP) && a == 2)
			continue;
		run(&in, &r);
		n++;
		assert_int_equal(r.score, (t + adj) * ei[e] + cia[c] +
		    cia[g] + cia[a] + (m ? 50 : 0));
		assert_int_equal(r.score % 25, 0);
		assert_int_equal(r.level, assess_level_of(r.score));
		assert_true(r.residual <= r.score);
		assert_true(r.suggestion <= r.unmitigated);
		if (mit == 0) {
			assert_int_equal(r.suggestion, r.unmitigated);
			assert_int_equal(r.residual, r.score);
		}
		/* Every factor named; nothing cut short. */
		assert_true(r.nreasons >= 10);
		assert_true(r.nreasons < ASSESS_MAX_REASONS);
		for (i = 0; i < r.nreasons; i++)
			assert_true(strlen(r.reasons[i]) + 1 <
			    ASSESS_REASON_MAX);
		assert_true(has_reason(&r, "Data Processing Context:"));
		assert_true(has_reason(&r, "Ease of Identification:"));
		assert_true(has_reason(&r, "Loss of confidentiality:"));
		assert_true(has_reason(&r, "Loss of integrity:"));
		assert_true(has_reason(&r, "Loss of availability:"));
		assert_true(has_reason(&r, "Malicious intent:"));
		assert_true(has_reason(&r, "Suggested decision: "));
	}
	/* 10 (type, adjustment) pairs x 4 x 27 x 2 x 8 mitigation sets,
	 * less the contradictions. */
	assert_true(n > 10000);
}

/* The sentences a DPO pastes, for one case in full. */
static void
test_reasons_text(void **state)
{
	struct assess_input in;
	struct assess_result r;

	(void)state;
	in = base(ASSESS_FINANCIAL);
	in.context_adjustment = 1;
	in.ei = ASSESS_EI_SIGNIFICANT;
	in.confidentiality = ASSESS_CONF_KNOWN_RECIPIENTS;
	run(&in, &r);
	/* (3 + 1) x 0.75 + 0.25 = 3.25 */
	assert_string_equal(r.reasons[0], "Data Processing Context: "
	    "financial data (ENISA base score 3), adjusted by +1 for the "
	    "context of the processing, so DPC = 4.");
	assert_string_equal(r.reasons[1], "Ease of Identification: "
	    "significant (EI = 0.75); matching the data to a particular "
	    "person is relatively easy.");
	assert_string_equal(r.reasons[7], "Severity: SE = DPC × EI + CB = "
	    "4 × 0.75 + 0.25 = 3.25, which ENISA rates high (3 ≤ SE < 4).");
	assert_string_equal(r.reasons[r.nreasons - 1], "Suggested decision: "
	    "high. A person decides; a decision that differs from this "
	    "suggestion needs a rationale.");
	in.context_adjustment = 0;
	run(&in, &r);
	assert_true(has_reason(&r, "with no adjustment for the context"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_level_of),
		cmocka_unit_test(test_band_boundaries),
		cmocka_unit_test(test_dpc_base_scores),
		cmocka_unit_test(test_dpc_adjustment_range),
		cmocka_unit_test(test_ei),
		cmocka_unit_test(test_confidentiality),
		cmocka_unit_test(test_integrity),
		cmocka_unit_test(test_availability),
		cmocka_unit_test(test_malicious),
		cmocka_unit_test(test_cb_sum),
		cmocka_unit_test(test_mit_encrypted),
		cmocka_unit_test(test_mit_trusted_recipient),
		cmocka_unit_test(test_mit_restored),
		cmocka_unit_test(test_mit_all),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_parse_names),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_worked_examples),
		cmocka_unit_test(test_exhaustive),
		cmocka_unit_test(test_reasons_text),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
