/*
 * assess: ENISA severity score and the suggested risk decision.  See
 * assess.h for the method; the sources of each number are named next to
 * the tables below.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "assess.h"

/*
 * ENISA 2013, section 3.1 and Annex A: base DPC scores.  Any data type may
 * end from 1 to 4 once the context is counted ("the DPC scoring of any
 * data type can always vary from 1 to 4"), which is the range Assessment
 * Table 1 gives per type: simple 0..+3, behavioural -1..+2, financial
 * -2..+1, sensitive -3..0.
 */
#define DPC_MIN 1
#define DPC_MAX 4

static const char *const data_type_names[] = {
	NULL, "simple", "behavioural", "financial", "sensitive",
};

static const char *const data_type_words[] = {
	NULL, "simple data", "behavioural data", "financial data",
	"sensitive data",
};

/* ENISA 2013, section 3.2 and Annex B: EI in hundredths. */
static const int ei_score[] = { 25, 50, 75, 100 };

static const char *const ei_names[] = {
	"negligible", "limited", "significant", "maximum",
};

static const char *const ei_words[] = {
	"it would be extremely difficult to match the data to a particular "
	    "person",
	"matching the data to a particular person is possible but takes "
	    "effort",
	"matching the data to a particular person is relatively easy",
	"the people can be identified directly from the data",
};

/* ENISA 2013, section 3.3 and Annex C: CB elements in hundredths. */
static const int cia_score[] = { 0, 25, 50 };
#define MALICIOUS_SCORE 50

static const char *const conf_names[] = {
	"none", "known_recipients", "unknown_recipients",
};

static const char *const conf_words[] = {
	"none recorded; the data were not exposed, or were exposed with no "
	    "evidence that anyone processed them unlawfully",
	"the data were exposed to a number of known recipients",
	"the data were exposed to an unknown number of recipients",
};

static const char *const integrity_names[] = {
	"none", "recoverable", "irrecoverable",
};

static const char *const integrity_words[] = {
	"none; the data were not altered",
	"the data were altered, but the correct data can be recovered",
	"the data were altered and the correct data cannot be recovered",
};

static const char *const avail_names[] = {
	"none", "temporary", "permanent",
};

static const char *const avail_words[] = {
	"none; the data can be recovered without difficulty",
	"the data are unavailable for a time",
	"the data are lost for good; neither the controller nor the people "
	    "can provide them again",
};

static const char *const level_names[] = {
	"low", "medium", "high", "very high",
};

static const char *const level_bands[] = {
	"SE < 2", "2 ≤ SE < 3", "3 ≤ SE < 4", "SE ≥ 4",
};

static const char *const suggestion_names[] = {
	"unlikely", "risk", "high",
};

static const char *const suggestion_words[] = {
	"the breach is unlikely to result in a risk to the people affected",
	"the breach is likely to result in a risk to the people affected, so "
	    "the regulator must be told (Art. 33)",
	"the breach is likely to result in a high risk to the people "
	    "affected, so the regulator and the people themselves must be "
	    "told (Arts. 33 and 34)",
};

static const struct {
	unsigned int bit;
	const char *name;
} mitigations[] = {
	{ ASSESS_MIT_ENCRYPTED_KEY_SAFE, "encrypted_key_safe" },
	{ ASSESS_MIT_RESTORED_FROM_BACKUP, "restored_from_backup" },
	{ ASSESS_MIT_TRUSTED_RECIPIENT, "trusted_recipient_deleted" },
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static int
parse(const char *s, const char *const *names, size_t n, size_t first,
    int *out)
{
	size_t i;

	if (s == NULL)
		return (-1);
	for (i = first; i < n; i++)
		if (strcmp(s, names[i]) == 0) {
			*out = (int)i;
			return (0);
		}
	return (-1);
}

int
assess_data_type_parse(const char *s, enum assess_data_type *out)
{
	int v;

	if (parse(s, data_type_names, NELEM(data_type_names), 1, &v) == -1)
		return (-1);
	*out = (enum assess_data_type)v;
	return (0);
}

const char *
assess_data_type_name(enum assess_data_type v)
{
	if (v < ASSESS_SIMPLE || v > ASSESS_SENSITIVE)
		return (NULL);
	return (data_type_names[v]);
}

int
assess_ei_parse(const char *s, enum assess_ei *out)
{
	int v;

	if (parse(s, ei_names, NELEM(ei_names), 0, &v) == -1)
		return (-1);
	*out = (enum assess_ei)v;
	return (0);
}

const char *
assess_ei_name(enum assess_ei v)
{
	if ((unsigned int)v >= NELEM(ei_names))
		return (NULL);
	return (ei_names[v]);
}

int
assess_confidentiality_parse(const char *s, enum assess_confidentiality *out)
{
	int v;

	if (parse(s, conf_names, NELEM(conf_names), 0, &v) == -1)
		return (-1);
	*out = (enum assess_confidentiality)v;
	return (0);
}

const char *
assess_confidentiality_name(enum assess_confidentiality v)
{
	if ((unsigned int)v >= NELEM(conf_names))
		return (NULL);
	return (conf_names[v]);
}

int
assess_integrity_parse(const char *s, enum assess_integrity *out)
{
	int v;

	if (parse(s, integrity_names, NELEM(integrity_names), 0, &v) == -1)
		return (-1);
	*out = (enum assess_integrity)v;
	return (0);
}

const char *
assess_integrity_name(enum assess_integrity v)
{
	if ((unsigned int)v >= NELEM(integrity_names))
		return (NULL);
	return (integrity_names[v]);
}

int
assess_availability_parse(const char *s, enum assess_availability *out)
{
	int v;

	if (parse(s, avail_names, NELEM(avail_names), 0, &v) == -1)
		return (-1);
	*out = (enum assess_availability)v;
	return (0);
}

const char *
assess_availability_name(enum assess_availability v)
{
	if ((unsigned int)v >= NELEM(avail_names))
		return (NULL);
	return (avail_names[v]);
}

int
assess_mitigation_parse(const char *s, unsigned int *bit)
{
	size_t i;

	if (s == NULL)
		return (-1);
	for (i = 0; i < NELEM(mitigations); i++)
		if (strcmp(s, mitigations[i].name) == 0) {
			*bit = mitigations[i].bit;
			return (0);
		}
	return (-1);
}

const char *
assess_mitigation_name(unsigned int bit)
{
	size_t i;

	for (i = 0; i < NELEM(mitigations); i++)
		if (mitigations[i].bit == bit)
			return (mitigations[i].name);
	return (NULL);
}

const char *
assess_level_name(enum assess_level v)
{
	if ((unsigned int)v >= NELEM(level_names))
		return (NULL);
	return (level_names[v]);
}

const char *
assess_suggestion_name(enum assess_suggestion v)
{
	if ((unsigned int)v >= NELEM(suggestion_names))
		return (NULL);
	return (suggestion_names[v]);
}

char *
assess_format(int hundredths, char *buf, size_t len)
{
	const char *sign = hundredths < 0 ? "-" : "";
	int a = hundredths < 0 ? -hundredths : hundredths;

	snprintf(buf, len, "%s%d.%02d", sign, a / 100, a % 100);
	return (buf);
}

/* ENISA 2013, section 3.4: the four severity levels. */
enum assess_level
assess_level_of(int score)
{
	if (score < 200)
		return (ASSESS_LOW);
	if (score < 300)
		return (ASSESS_MEDIUM);
	if (score < 400)
		return (ASSESS_HIGH);
	return (ASSESS_VERY_HIGH);
}

static enum assess_suggestion
suggest(enum assess_level level)
{
	switch (level) {
	case ASSESS_LOW:
		return (ASSESS_UNLIKELY);
	case ASSESS_MEDIUM:
		return (ASSESS_RISK);
	case ASSESS_HIGH:
	case ASSESS_VERY_HIGH:
		break;
	}
	return (ASSESS_HIGH_RISK);
}

static int
fault_set(struct assess_fault *f, const char *field, const char *detail,
    bool conflict)
{
	if (f != NULL) {
		f->field = field;
		f->detail = detail;
		f->conflict = conflict;
	}
	return (-1);
}

int
assess_check(const struct assess_input *in, struct assess_fault *f)
{
	int dpc;

	if (in->data_type < ASSESS_SIMPLE || in->data_type > ASSESS_SENSITIVE)
		return (fault_set(f, "data_type", "must be simple, "
		    "behavioural, financial or sensitive", false));
	/* Compare before adding, so no int can overflow. */
	if (in->context_adjustment < DPC_MIN - ASSESS_SENSITIVE ||
	    in->context_adjustment > DPC_MAX - ASSESS_SIMPLE)
		return (fault_set(f, "context_adjustment", "must be from -3 "
		    "to +3", false));
	dpc = (int)in->data_type + in->context_adjustment;
	if (dpc < DPC_MIN || dpc > DPC_MAX)
		return (fault_set(f, "context_adjustment", "must keep the "
		    "DPC score from 1 to 4 (ENISA): simple 0 to +3, "
		    "behavioural -1 to +2, financial -2 to +1, sensitive -3 "
		    "to 0", false));
	if ((unsigned int)in->ei >= NELEM(ei_score))
		return (fault_set(f, "ease_of_identification", "must be "
		    "negligible, limited, significant or maximum", false));
	if ((unsigned int)in->confidentiality >= NELEM(conf_names))
		return (fault_set(f, "confidentiality", "must be none, "
		    "known_recipients or unknown_recipients", false));
	if ((unsigned int)in->integrity >= NELEM(integrity_names))
		return (fault_set(f, "integrity", "must be none, recoverable "
		    "or irrecoverable", false));
	if ((unsigned int)in->availability >= NELEM(avail_names))
		return (fault_set(f, "availability", "must be none, temporary "
		    "or permanent", false));
	if ((in->mitigations & ~ASSESS_MIT_ALL) != 0)
		return (fault_set(f, "mitigations", "may hold only "
		    "encrypted_key_safe, restored_from_backup and "
		    "trusted_recipient_deleted", false));
	if ((in->mitigations & ASSESS_MIT_TRUSTED_RECIPIENT) != 0 &&
	    in->confidentiality == ASSESS_CONF_UNKNOWN_RECIPIENTS)
		return (fault_set(f, "mitigations", "trusted_recipient_deleted "
		    "contradicts confidentiality unknown_recipients: an "
		    "unknown number of recipients cannot all have confirmed "
		    "deletion", true));
	if ((in->mitigations & ASSESS_MIT_RESTORED_FROM_BACKUP) != 0 &&
	    in->availability == ASSESS_AVAIL_PERMANENT)
		return (fault_set(f, "mitigations", "restored_from_backup "
		    "contradicts availability permanent: data restored from "
		    "a backup were not lost for good", true));
	return (0);
}

/* Append one sentence to out->reasons.  The tables above keep every
 * sentence well under ASSESS_REASON_MAX; the unit tests check it. */
static void reason(struct assess_result *out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
reason(struct assess_result *out, const char *fmt, ...)
{
	va_list ap;

	if (out->nreasons >= ASSESS_MAX_REASONS)
		return;
	va_start(ap, fmt);
	vsnprintf(out->reasons[out->nreasons], ASSESS_REASON_MAX, fmt, ap);
	va_end(ap);
	out->nreasons++;
}

/* The factors' sentences, then SE and its level. */
static void
explain_score(const struct assess_input *in, struct assess_result *out)
{
	char ei[16], c[16], i[16], a[16], m[16], cb[16], se[16];

	if (in->context_adjustment == 0)
		reason(out, "Data Processing Context: %s (ENISA base score "
		    "%d), with no adjustment for the context of the "
		    "processing, so DPC = %d.",
		    data_type_words[in->data_type], (int)in->data_type,
		    out->dpc);
	else
		reason(out, "Data Processing Context: %s (ENISA base score "
		    "%d), adjusted by %+d for the context of the processing, "
		    "so DPC = %d.", data_type_words[in->data_type],
		    (int)in->data_type, in->context_adjustment, out->dpc);
	reason(out, "Ease of Identification: %s (EI = %s); %s.",
	    ei_names[in->ei], assess_format(out->ei, ei, sizeof(ei)),
	    ei_words[in->ei]);
	reason(out, "Loss of confidentiality: %s (+%s).",
	    conf_words[in->confidentiality],
	    assess_format(cia_score[in->confidentiality], c, sizeof(c)));
	reason(out, "Loss of integrity: %s (+%s).",
	    integrity_words[in->integrity],
	    assess_format(cia_score[in->integrity], i, sizeof(i)));
	reason(out, "Loss of availability: %s (+%s).",
	    avail_words[in->availability],
	    assess_format(cia_score[in->availability], a, sizeof(a)));
	if (in->malicious)
		reason(out, "Malicious intent: yes; the breach was deliberate "
		    "(+%s).", assess_format(MALICIOUS_SCORE, m, sizeof(m)));
	else
		reason(out, "Malicious intent: no; the breach came from an "
		    "error, an accident or a fault (+%s).",
		    assess_format(0, m, sizeof(m)));
	reason(out, "Circumstances of the Breach: CB = %s + %s + %s + %s = "
	    "%s.", c, i, a, m, assess_format(out->cb, cb, sizeof(cb)));
	reason(out, "Severity: SE = DPC × EI + CB = %d × %s + %s = %s, which "
	    "ENISA rates %s (%s).", out->dpc, ei, cb,
	    assess_format(out->score, se, sizeof(se)),
	    level_names[out->level], level_bands[out->level]);
	reason(out, "On the score alone, %s.", suggestion_words[out->unmitigated]);
}

/* A confidentiality mitigation: the words of what it answers, taking the
 * loss's points into *taken unless an earlier mitigation already did. */
static const char *
answer_conf(const struct assess_input *in, bool *conf_ok, int *taken,
    char *buf, size_t len)
{
	char n[16];

	if (in->confidentiality == ASSESS_CONF_NONE)
		return ("this answers any exposure of the data");
	if (*conf_ok)
		return ("the loss of confidentiality is already answered");
	*conf_ok = true;
	*taken += cia_score[in->confidentiality];
	snprintf(buf, len, "this answers the loss of confidentiality (-%s)",
	    assess_format(cia_score[in->confidentiality], n, sizeof(n)));
	return (buf);
}

/*
 * The mitigating factors.  Each answers one kind of loss:
 *
 * - encrypted_key_safe: the data are unintelligible to whoever has them,
 *   so the loss of confidentiality is answered, at any level (EDPB
 *   Guidelines 9/2022, annex: a stolen device encrypted with a
 *   state-of-the-art algorithm whose key is safe need not be notified).
 * - trusted_recipient_deleted: the exposure went only to a recipient the
 *   controller trusts, who confirmed deletion; answers confidentiality
 *   none or known_recipients (9/2022, "assessing risk": a trusted
 *   recipient may make the breach unlikely to result in a risk; ICO).
 * - restored_from_backup: answers a temporary loss of availability and a
 *   recoverable loss of integrity (9/2022, annex: ransomware with a backup
 *   restored in good time and no exfiltration need not be notified).
 *
 * When at least one mitigation applies and every loss the breach caused
 * (each of confidentiality, integrity and availability that is not
 * "none") is answered, the suggestion is "unlikely", as in those examples.
 * Otherwise the answered losses are taken out of SE and the suggestion is
 * that of the residual score, which can only be lower.  SE and its level
 * are ENISA's and never change.
 */
static void
mitigate(const struct assess_input *in, struct assess_result *out)
{
	bool conf_ok, int_ok, avail_ok;
	int taken = 0;
	char buf[64], res[16];

	conf_ok = in->confidentiality == ASSESS_CONF_NONE;
	int_ok = in->integrity == ASSESS_INTEGRITY_NONE;
	avail_ok = in->availability == ASSESS_AVAIL_NONE;

	if (in->mitigations & ASSESS_MIT_ENCRYPTED_KEY_SAFE) {
		out->applied |= ASSESS_MIT_ENCRYPTED_KEY_SAFE;
		reason(out, "Mitigating factor: the data were protected by "
		    "state-of-the-art encryption and the key was not "
		    "compromised, so whoever has them cannot read them; %s "
		    "(EDPB Guidelines 9/2022).", answer_conf(in, &conf_ok,
		    &taken, buf, sizeof(buf)));
	}
	if (in->mitigations & ASSESS_MIT_TRUSTED_RECIPIENT) {
		out->applied |= ASSESS_MIT_TRUSTED_RECIPIENT;
		reason(out, "Mitigating factor: the data went only to a "
		    "trusted recipient who has confirmed that they deleted "
		    "them, so the exposure is contained; %s (EDPB Guidelines "
		    "9/2022; ICO).", answer_conf(in, &conf_ok, &taken, buf,
		    sizeof(buf)));
	}
	if (in->mitigations & ASSESS_MIT_RESTORED_FROM_BACKUP) {
		int part = 0;

		if (!avail_ok) {
			part += cia_score[in->availability];
			avail_ok = true;
		}
		if (in->integrity == ASSESS_INTEGRITY_RECOVERABLE) {
			part += cia_score[in->integrity];
			int_ok = true;
		}
		if (part > 0) {
			out->applied |= ASSESS_MIT_RESTORED_FROM_BACKUP;
			taken += part;
			reason(out, "Mitigating factor: the data were restored "
			    "from a backup in good time; this answers the %s "
			    "(-%s) (EDPB Guidelines 9/2022).",
			    in->availability != ASSESS_AVAIL_NONE &&
			    in->integrity == ASSESS_INTEGRITY_RECOVERABLE ?
			    "temporary loss of availability and the "
			    "recoverable loss of integrity" :
			    in->availability != ASSESS_AVAIL_NONE ?
			    "temporary loss of availability" :
			    "recoverable loss of integrity",
			    assess_format(part, buf, sizeof(buf)));
		} else
			reason(out, "Restored from a backup: noted, but it "
			    "changes nothing here: no loss of availability "
			    "and no recoverable loss of integrity was "
			    "recorded%s.", in->integrity ==
			    ASSESS_INTEGRITY_IRRECOVERABLE ? ", and a backup "
			    "does not undo an alteration recorded as "
			    "irrecoverable" : "");
	}
	if (out->applied == 0)
		return;
	out->residual = out->score - taken;
	if (conf_ok && int_ok && avail_ok) {
		out->suggestion = ASSESS_UNLIKELY;
		reason(out, "Every loss the breach caused is answered by a "
		    "mitigating factor, so, as in the EDPB's examples (an "
		    "encrypted device whose key is safe, data restored from "
		    "a backup in good time, a trusted recipient who deleted "
		    "what they received), %s.",
		    suggestion_words[ASSESS_UNLIKELY]);
		return;
	}
	out->suggestion = suggest(assess_level_of(out->residual));
	assess_format(out->residual, res, sizeof(res));
	if (out->suggestion == out->unmitigated)
		reason(out, "Not every loss is answered by a mitigating "
		    "factor: with the answered ones taken out the score is "
		    "%s (%s), so the suggestion stays %s.", res,
		    level_names[assess_level_of(out->residual)],
		    suggestion_names[out->suggestion]);
	else
		reason(out, "Not every loss is answered by a mitigating "
		    "factor: with the answered ones taken out the score is "
		    "%s (%s), so the suggestion is lowered from %s to %s.",
		    res, level_names[assess_level_of(out->residual)],
		    suggestion_names[out->unmitigated],
		    suggestion_names[out->suggestion]);
}

int
assess_run(const struct assess_input *in, struct assess_result *out,
    struct assess_fault *fault)
{
	memset(out, 0, sizeof(*out));
	if (assess_check(in, fault) == -1)
		return (-1);
	out->dpc = (int)in->data_type + in->context_adjustment;
	out->ei = ei_score[in->ei];
	out->cb = cia_score[in->confidentiality] + cia_score[in->integrity] +
	    cia_score[in->availability] + (in->malicious ? MALICIOUS_SCORE : 0);
	out->score = out->dpc * out->ei + out->cb;
	out->residual = out->score;
	out->level = assess_level_of(out->score);
	out->unmitigated = suggest(out->level);
	out->suggestion = out->unmitigated;

	explain_score(in, out);
	mitigate(in, out);
	if (out->suggestion == ASSESS_UNLIKELY)
		reason(out, "Suggested decision: unlikely. A person decides; "
		    "if you agree, record why (Art. 33(5)) and reassess if "
		    "the facts change.");
	else
		reason(out, "Suggested decision: %s. A person decides; a "
		    "decision that differs from this suggestion needs a "
		    "rationale.", suggestion_names[out->suggestion]);
	return (0);
}
