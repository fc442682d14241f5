/* api_notices: drafted notices of an incident, and the Art. 34(3)
 * exemption relied on when the people affected are not written to. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "audit.h"
#include "notices.h"
#include "obligations.h"
#include "parse.h"
#include "store.h"
#include "store_api.h"

#define TEXT_REASON 4000
#define NOTICE_REGIME_ID_MAX 64
#define ART34_MAX 2	/* notices_art34[] */

/* HTML drafts are complete documents with their own <style>: no script,
 * no outside resource, inline styles only (every value in them is
 * escaped, so no style can come from an incident). */
#define CSP_NOTICE_HTML "default-src 'none'; style-src 'unsafe-inline'; " \
	"img-src 'none'; base-uri 'none'; form-action 'none'; " \
	"frame-ancestors 'none'"

static bool
regime_id_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > NOTICE_REGIME_ID_MAX)
		return (false);
	return (strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_") == n);
}

int
api_notices_get(struct req *r)
{
	static const char *const types[] = { "text/plain; charset=utf-8",
		"text/markdown; charset=utf-8", "text/html; charset=utf-8" };
	const char *fmt = req_query(r, "format");
	const char *regime_id = req_query(r, "regime_id");
	bool regulator = strcmp(r->slug, "regulator_notice") == 0;
	enum tmpl_format f = TMPL_TEXT;
	struct notice n;
	char why[160];
	int status, rc;

	if (!notices_kind_valid(r->slug))
		return (problem_set(&r->problem, 404, "not-found", NULL,
		    "There is no notice kind %s; the kinds are ico_report, "
		    "art34_letter, controller_notice and regulator_notice.",
		    r->slug));
	if (fmt != NULL && tmpl_format_parse(fmt, &f) == -1)
		return (problem_set(&r->problem, 400, "invalid-query",
		    "format", "format: must be text, markdown or html"));
	if (regulator && (regime_id == NULL || !regime_id_ok(regime_id)))
		return (problem_set(&r->problem, 400, "invalid-query",
		    "regime_id", "regime_id: a regulator_notice needs the id "
		    "of its regime"));
	if (!regulator && regime_id != NULL)
		return (problem_set(&r->problem, 400, "invalid-query",
		    "regime_id", "regime_id: only a regulator_notice takes a "
		    "regime"));
	if ((status = api_incidents_visible(r, r->ids[0])) != 200)
		return (status);
	rc = notices_render(r->store, r->ids[0], r->slug, regime_id, f,
	    r->now, &n, why, sizeof(why));
	if (rc == 1)
		return (problem_set(&r->problem, 404, "not-found", NULL, "%s",
		    why));
	if (rc == -1)
		return (api_internal(r, "notice render"));
	r->text = n.text;
	r->text_len = n.len;
	n.text = NULL;
	r->text_type = types[f];
	r->text_csp = f == TMPL_HTML ? CSP_NOTICE_HTML : NULL;
	r->incident_version = n.incident_version;
	snprintf(r->disposition, sizeof(r->disposition),
	    "inline; filename=\"%s\"", n.filename);
	status = api_text_etag(r, n.incident_version);
	notice_release(&n);
	return (status);
}

/* The pending Art. 34 obligations of an incident (UK and EU GDPR):
 * their ids and regimes in id[] and regime[], their number in *n. */
static int
art34_obligations(struct req *r, int64_t id[ART34_MAX],
    const char *regime[ART34_MAX], size_t *n)
{
	struct store_obligation *obs;
	size_t nobs;

	*n = 0;
	if (store_obligation_all(r->store, r->ids[0], &obs, &nobs) == -1)
		return (-1);
	for (size_t k = 0; k < ART34_MAX && notices_art34[k] != NULL; k++)
		for (size_t i = 0; i < nobs; i++)
			if (strcmp(obs[i].regime_id, notices_art34[k]) == 0 &&
			    strcmp(obs[i].state, "pending") == 0) {
				id[*n] = obs[i].id;
				regime[(*n)++] = notices_art34[k];
				break;
			}
	free(obs);
	return (0);
}

int
api_notices_exemption(struct req *r)
{
	static const char *const fields[] = { "exemption", "explanation",
		NULL };
	const char *exemption, *explanation;
	char reason[TEXT_REASON * 4 + 64];
	struct rules_config rc;
	const char *regime[ART34_MAX];
	json_t *ev = NULL, *out = NULL;
	int64_t oid[ART34_MAX];
	size_t nob = 0;
	int status, found;

	if ((status = api_only_fields(r, fields)) != 0 ||
	    (status = api_string(r, "exemption", 1, false, &exemption)) != 0 ||
	    (status = api_string(r, "explanation", TEXT_REASON, true,
	    &explanation)) != 0)
		return (status);
	if (exemption == NULL || strlen(exemption) != 1 ||
	    strchr("abc", exemption[0]) == NULL)
		return (problem_set(&r->problem, 400, "invalid-field",
		    "exemption", "exemption: must be a, b or c (the condition "
		    "of Art. 34(3) relied on)"));
	if (explanation == NULL || parse_blank(explanation))
		return (problem_set(&r->problem, 400, "invalid-field",
		    "explanation", "explanation: is required"));
	if ((status = api_incidents_visible(r, r->ids[0])) != 200)
		return (status);
	if (store_begin(r->store) == -1)
		return (api_internal(r, "begin"));
	if (art34_obligations(r, oid, regime, &nob) == -1)
		goto fail;
	if (nob == 0) {
		status = problem_set(&r->problem, 409, "conflict", NULL,
		    "Incident %lld has no pending Art. 34 obligation to rely "
		    "on an exemption for.", (long long)r->ids[0]);
		goto rollback;
	}
	if ((found = store_art34_exemption_add(r->store, r->ids[0],
	    exemption, explanation, r->who.user_id, r->now)) == -1)
		goto fail;
	if (found == 1) {
		status = problem_set(&r->problem, 409, "conflict", NULL,
		    "An Art. 34(3) exemption is already recorded for incident "
		    "%lld.", (long long)r->ids[0]);
		goto rollback;
	}
	snprintf(reason, sizeof(reason), "Art. 34(3)(%s): %s", exemption,
	    explanation);
	/* One exemption waives each pending Art. 34 obligation, with an
	 * event that names its regime. */
	for (size_t i = 0; i < nob; i++) {
		json_decref(ev);
		ev = json_pack("{s:I, s:s, s:s, s:s}", "obligation_id",
		    (json_int_t)oid[i], "regime_id", regime[i], "exemption",
		    exemption, "explanation", explanation);
		if (ev == NULL || store_obligation_waive(r->store, oid[i],
		    reason, r->now) != 0 || audit_append(r->store, r->now,
		    r->who.name, "art34.exemption", r->ids[0], ev, NULL) == -1)
			goto fail;
	}
	rc = api_rules_config(r);
	if (obligations_recompute(r->store, r->ids[0], &rc, r->who.name,
	    r->now) == -1 || store_commit(r->store) == -1)
		goto fail;
	if (store_art34_exemption_get(r->store, r->ids[0], &out) == -1 ||
	    out == NULL) {
		status = api_internal(r, "art34 exemption reload");
		goto out;
	}
	json_object_set_new(out, "obligation_id", json_integer(oid[0]));
	r->out = out;
	snprintf(r->location, sizeof(r->location),
	    "/api/v1/incidents/%lld/obligations/%lld", (long long)r->ids[0],
	    (long long)oid[0]);
	status = 201;
	goto out;
fail:
	status = api_internal(r, "art34 exemption");
rollback:
	store_rollback(r->store);
out:
	json_decref(ev);
	return (status);
}
