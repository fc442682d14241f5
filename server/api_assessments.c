/* api_assessments: ENISA severity assessments.  The engine (assess.c)
 * suggests; a person decides through risk-decisions. */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "api_assessments.h"
#include "assess.h"
#include "audit.h"
#include "store.h"
#include "store_api.h"
#include "store_assessments.h"

#define NAME_MAX_CHARS 32

int
api_assessments_list(struct req *r)
{
	json_t *items;
	int status;

	if ((status = api_incidents_visible(r, r->ids[0])) != 200)
		return (status);
	if (store_assessment_list(r->store, r->ids[0], 0, &items) == -1)
		return (api_internal(r, "assessment list"));
	r->out = json_pack("{s:o}", "items", items);
	return (r->out != NULL ? 200 : api_internal(r, "assessment list"));
}

/* A required string member naming one value of an enum: 0 with *out, or
 * 400 (problem filled).  parse is one of the assess_*_parse functions,
 * seen through an int so that one helper serves them all. */
static int
enum_field(struct req *r, const char *name, int (*parse)(const char *,
    int *), const char *choices, int *out)
{
	const char *s;
	int status;

	if ((status = api_string(r, name, NAME_MAX_CHARS, false, &s)) != 0)
		return (status);
	if (s == NULL)
		return (problem_set(&r->problem, 400, "invalid-field", name,
		    "%s: is required", name));
	if (parse(s, out) == -1)
		return (problem_set(&r->problem, 400, "invalid-field", name,
		    "%s: must be %s", name, choices));
	return (0);
}

static int
parse_data_type(const char *s, int *out)
{
	enum assess_data_type v;

	if (assess_data_type_parse(s, &v) == -1)
		return (-1);
	*out = (int)v;
	return (0);
}

static int
parse_ei(const char *s, int *out)
{
	enum assess_ei v;

	if (assess_ei_parse(s, &v) == -1)
		return (-1);
	*out = (int)v;
	return (0);
}

static int
parse_conf(const char *s, int *out)
{
	enum assess_confidentiality v;

	if (assess_confidentiality_parse(s, &v) == -1)
		return (-1);
	*out = (int)v;
	return (0);
}

static int
parse_integrity(const char *s, int *out)
{
	enum assess_integrity v;

	if (assess_integrity_parse(s, &v) == -1)
		return (-1);
	*out = (int)v;
	return (0);
}

static int
parse_avail(const char *s, int *out)
{
	enum assess_availability v;

	if (assess_availability_parse(s, &v) == -1)
		return (-1);
	*out = (int)v;
	return (0);
}

/* The optional list of mitigations into a bit mask: 0, or 400. */
static int
mitigations_field(struct req *r, unsigned int *mask)
{
	json_t *a = json_object_get(r->body, "mitigations"), *v;
	unsigned int bit;
	size_t i;

	*mask = 0;
	if (a == NULL || json_is_null(a))
		return (0);
	if (!json_is_array(a))
		return (problem_set(&r->problem, 400, "invalid-field",
		    "mitigations", "mitigations: must be an array of "
		    "strings"));
	json_array_foreach(a, i, v) {
		if (!json_is_string(v) ||
		    assess_mitigation_parse(json_string_value(v), &bit) == -1)
			return (problem_set(&r->problem, 400, "invalid-field",
			    "mitigations", "mitigations: each must be "
			    "encrypted_key_safe, restored_from_backup or "
			    "trusted_recipient_deleted"));
		if (*mask & bit)
			return (problem_set(&r->problem, 400, "invalid-field",
			    "mitigations", "mitigations: lists %s twice",
			    assess_mitigation_name(bit)));
		*mask |= bit;
	}
	return (0);
}

/* The body into *in: 0, or a 400 status (problem filled). */
static int
parse_input(struct req *r, struct assess_input *in)
{
	json_t *v;
	json_int_t adj;
	int e = 0, status;

	memset(in, 0, sizeof(*in));
	if ((status = enum_field(r, "data_type", parse_data_type,
	    "simple, behavioural, financial or sensitive", &e)) != 0)
		return (status);
	in->data_type = (enum assess_data_type)e;
	v = json_object_get(r->body, "context_adjustment");
	if (v != NULL && !json_is_null(v)) {
		if (!json_is_integer(v))
			return (problem_set(&r->problem, 400, "invalid-field",
			    "context_adjustment", "context_adjustment: must "
			    "be an integer"));
		adj = json_integer_value(v);
		/* assess_check() gives the real range; this keeps the
		 * value an int on the way there. */
		if (adj < INT_MIN / 2 || adj > INT_MAX / 2)
			adj = INT_MAX / 2;
		in->context_adjustment = (int)adj;
	}
	if ((status = enum_field(r, "ease_of_identification", parse_ei,
	    "negligible, limited, significant or maximum", &e)) != 0)
		return (status);
	in->ei = (enum assess_ei)e;
	if ((status = enum_field(r, "confidentiality", parse_conf,
	    "none, known_recipients or unknown_recipients", &e)) != 0)
		return (status);
	in->confidentiality = (enum assess_confidentiality)e;
	if ((status = enum_field(r, "integrity", parse_integrity,
	    "none, recoverable or irrecoverable", &e)) != 0)
		return (status);
	in->integrity = (enum assess_integrity)e;
	if ((status = enum_field(r, "availability", parse_avail,
	    "none, temporary or permanent", &e)) != 0)
		return (status);
	in->availability = (enum assess_availability)e;
	v = json_object_get(r->body, "malicious");
	if (v == NULL || json_is_null(v))
		return (problem_set(&r->problem, 400, "invalid-field",
		    "malicious", "malicious: is required"));
	if (!json_is_boolean(v))
		return (problem_set(&r->problem, 400, "invalid-field",
		    "malicious", "malicious: must be true or false"));
	in->malicious = json_is_true(v);
	return (mitigations_field(r, &in->mitigations));
}

/* The normalised inputs, as stored and returned; a new object or NULL. */
static json_t *
inputs_json(const struct assess_input *in)
{
	static const unsigned int bits[] = { ASSESS_MIT_ENCRYPTED_KEY_SAFE,
	    ASSESS_MIT_RESTORED_FROM_BACKUP, ASSESS_MIT_TRUSTED_RECIPIENT };
	json_t *o, *m;
	size_t i;

	if ((m = json_array()) == NULL)
		return (NULL);
	for (i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
		if ((in->mitigations & bits[i]) != 0 &&
		    json_array_append_new(m,
		    json_string(assess_mitigation_name(bits[i]))) == -1) {
			json_decref(m);
			return (NULL);
		}
	o = json_pack("{s:s, s:i, s:s, s:s, s:s, s:s, s:b, s:o}",
	    "data_type", assess_data_type_name(in->data_type),
	    "context_adjustment", in->context_adjustment,
	    "ease_of_identification", assess_ei_name(in->ei),
	    "confidentiality", assess_confidentiality_name(in->confidentiality),
	    "integrity", assess_integrity_name(in->integrity),
	    "availability", assess_availability_name(in->availability),
	    "malicious", in->malicious,
	    "mitigations", m);
	return (o);
}

/* The reasons as a new JSON array of strings, or NULL. */
static json_t *
reasons_json(const struct assess_result *res)
{
	json_t *a;
	size_t i;

	if ((a = json_array()) == NULL)
		return (NULL);
	for (i = 0; i < res->nreasons; i++)
		if (json_array_append_new(a, json_string(res->reasons[i])) ==
		    -1) {
			json_decref(a);
			return (NULL);
		}
	return (a);
}

int
api_assessments_create(struct req *r)
{
	static const char *const fields[] = { "data_type",
	    "context_adjustment", "ease_of_identification", "confidentiality",
	    "integrity", "availability", "malicious", "mitigations", NULL };
	struct assess_input in;
	struct assess_result res;
	struct assess_fault fault;
	const char *level, *suggestion;
	json_t *inc = NULL, *inputs = NULL, *reasons = NULL, *items = NULL;
	json_t *ev = NULL;
	int64_t id;
	int status;

	if ((status = api_only_fields(r, fields)) != 0 ||
	    (status = api_not_null(r, fields)) != 0 ||
	    (status = parse_input(r, &in)) != 0)
		return (status);
	if (assess_run(&in, &res, &fault) == -1)
		return (problem_set(&r->problem, fault.conflict ? 422 : 400,
		    fault.conflict ? "constraint-violation" : "invalid-field",
		    fault.field, "%s: %s", fault.field, fault.detail));
	level = assess_level_name(res.level);
	suggestion = assess_suggestion_name(res.suggestion);
	if ((inputs = inputs_json(&in)) == NULL ||
	    (reasons = reasons_json(&res)) == NULL) {
		status = api_internal(r, "assessment encode");
		goto out;
	}
	status = 500;
	if (store_begin(r->store) == -1) {
		status = api_internal(r, "begin");
		goto out;
	}
	if ((status = api_incidents_load(r, &inc)) != 200 ||
	    (status = api_incidents_writable(r, inc)) != 0)
		goto rollback;
	status = 500;
	if (store_assessment_add(r->store, r->ids[0], inputs, res.score,
	    level, suggestion, reasons, r->who.user_id, r->now, &id) == -1)
		goto fail;
	ev = json_pack("{s:I, s:f, s:s, s:s, s:O}", "assessment_id",
	    (json_int_t)id, "score", (double)res.score / 100.0, "level", level,
	    "suggestion", suggestion, "inputs", inputs);
	if (ev == NULL || audit_append(r->store, r->now, r->who.name,
	    "risk.assessed", r->ids[0], ev, NULL) == -1 ||
	    store_commit(r->store) == -1)
		goto fail;
	if (store_assessment_list(r->store, r->ids[0], id, &items) == -1 ||
	    json_array_size(items) != 1) {
		status = api_internal(r, "assessment reload");
		goto out;
	}
	r->out = json_incref(json_array_get(items, 0));
	snprintf(r->location, sizeof(r->location),
	    "/api/v1/incidents/%lld/assessments", (long long)r->ids[0]);
	status = 201;
	goto out;
fail:
	status = api_internal(r, "assessment");
rollback:
	store_rollback(r->store);
out:
	json_decref(inc);
	json_decref(inputs);
	json_decref(reasons);
	json_decref(items);
	json_decref(ev);
	return (status);
}
