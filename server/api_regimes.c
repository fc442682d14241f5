/* api_regimes: the notification regimes as data.  Everyone signed in can
 * read them; admins add, change and retire them.  Every change is an audit
 * event and recomputes the obligations of every open incident. */
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "audit.h"
#include "catalog.h"
#include "obligations.h"
#include "parse.h"
#include "regime.h"
#include "store.h"
#include "store_api.h"

#define REGIME_FIELD_MAX 4000

/* The text members of a regime and whether it needs them (a create must
 * give them, and no change may leave them blank). */
static const struct {
	const char *name;
	bool required;
} texts[] = {
	{ "name", true }, { "jurisdiction", true }, { "legal_source", true },
	{ "notify", true }, { "recipient", true }, { "clock_start", true },
	{ "deadline", true }, { "citation_url", true }, { "status", false },
	{ "notes", false },
};

#define NTEXTS (sizeof(texts) / sizeof(texts[0]))

int
api_regimes_list(struct req *r)
{
	json_t *items;

	if (store_regime_list(r->store, NULL, &items) == -1)
		return (api_internal(r, "regime list"));
	r->out = json_pack("{s:o}", "items", items);
	return (r->out != NULL ? 200 : api_internal(r, "regime list"));
}

/* The regime r->slug into *out: 200, 404 or 500. */
static int
load(struct req *r, json_t **out)
{
	json_t *items;

	*out = NULL;
	if (store_regime_list(r->store, r->slug, &items) == -1)
		return (api_internal(r, "regime get"));
	if (json_array_size(items) == 1)
		*out = json_incref(json_array_get(items, 0));
	json_decref(items);
	if (*out == NULL)
		return (problem_set(&r->problem, 404, "not-found", NULL,
		    "There is no regime %s.", r->slug));
	return (200);
}

int
api_regimes_get(struct req *r)
{
	int status = load(r, &r->out);

	if (status == 200)
		api_etag(r, json_integer_value(json_object_get(r->out,
		    "version")));
	return (status);
}

/*
 * Validate the members of body over base (a complete regime for a change,
 * an empty object for a create) into *out, a new complete regime.  Return
 * 0, or the status with the problem filled.
 */
static int
merge(struct req *r, json_t *base, bool create, json_t **out)
{
	static const char *const fields[] = { "id", "name", "jurisdiction",
		"legal_source", "notify", "recipient", "clock_start",
		"deadline", "citation_url", "status", "notes", "rule", NULL };
	struct regime g;
	const char *v;
	json_t *res, *rule;
	int status;

	*out = NULL;
	if ((status = api_only_fields(r, fields)) != 0)
		return (status);
	if (!create && json_object_get(r->body, "id") != NULL)
		return (problem_set(&r->problem, 400, "invalid-field", "id",
		    "id: cannot be changed; add a new regime and retire this "
		    "one"));
	if ((res = json_deep_copy(base)) == NULL)
		return (api_internal(r, "regime merge"));
	if (create) {
		if ((status = api_string(r, "id", REGIME_ID_MAX - 1, false,
		    &v)) != 0)
			goto err;
		if (v == NULL || !regime_id_valid(v)) {
			status = problem_set(&r->problem, 400, "invalid-field",
			    "id", "id: must be 1 to 64 of a-z, 0-9 and '_'");
			goto err;
		}
		json_object_set_new(res, "id", json_string(v));
		json_object_set_new(res, "status", json_string("unverified"));
		json_object_set_new(res, "notes", json_string(""));
	}
	for (size_t i = 0; i < NTEXTS; i++) {
		if (json_is_null(json_object_get(r->body, texts[i].name))) {
			status = problem_set(&r->problem, 400, "invalid-field",
			    texts[i].name, "%s: must be a string",
			    texts[i].name);
			goto err;
		}
		if ((status = api_string(r, texts[i].name, REGIME_FIELD_MAX,
		    true, &v)) != 0)
			goto err;
		if (v != NULL && texts[i].required && parse_blank(v)) {
			status = problem_set(&r->problem, 400, "invalid-field",
			    texts[i].name, "%s: must not be empty",
			    texts[i].name);
			goto err;
		}
		if (v != NULL)
			json_object_set_new(res, texts[i].name, json_string(v));
		else if (create && texts[i].required) {
			status = problem_set(&r->problem, 400, "invalid-field",
			    texts[i].name, "%s: is required", texts[i].name);
			goto err;
		}
	}
	if ((rule = json_object_get(r->body, "rule")) != NULL)
		json_object_set(res, "rule", rule);
	else if (create) {
		status = problem_set(&r->problem, 400, "invalid-field", "rule",
		    "rule: is required");
		goto err;
	}
	if (regime_parse(json_string_value(json_object_get(res, "id")),
	    json_string_value(json_object_get(res, "legal_source")),
	    json_object_get(res, "rule"), &g, &r->problem) == -1) {
		status = r->problem.status;
		goto err;
	}
	*out = res;
	return (0);
err:
	json_decref(res);
	return (status);
}

/* Audit a regime change, recompute every open incident, commit, and
 * answer with the regime.  Called inside the transaction. */
static int
finish(struct req *r, const char *action, json_t *data, int status)
{
	struct rules_config rc = api_rules_config(r);
	size_t n;
	int ret;

	if (obligations_recompute_open(r->store, &rc, r->who.name, r->now,
	    &n) == -1 ||
	    json_object_set_new(data, "regime_id", json_string(r->slug)) ==
	    -1 ||
	    json_object_set_new(data, "incidents_recomputed",
	    json_integer((json_int_t)n)) == -1 ||
	    audit_append(r->store, r->now, r->who.name, action, 0, data,
	    NULL) == -1 ||
	    store_commit(r->store) == -1) {
		store_rollback(r->store);
		return (api_internal(r, action));
	}
	catalog_invalidate();
	if ((ret = load(r, &r->out)) != 200)
		return (ret);
	api_etag(r, json_integer_value(json_object_get(r->out, "version")));
	snprintf(r->location, sizeof(r->location), "/api/v1/regimes/%s",
	    r->slug);
	return (status);
}

int
api_regimes_create(struct req *r)
{
	json_t *base = json_object(), *g = NULL, *data = NULL;
	int status, rc;

	if (base == NULL)
		return (api_internal(r, "regime create"));
	if ((status = merge(r, base, true, &g)) != 0)
		goto out;
	snprintf(r->slug, sizeof(r->slug), "%s",
	    json_string_value(json_object_get(g, "id")));
	if (store_begin(r->store) == -1) {
		status = api_internal(r, "begin");
		goto out;
	}
	if ((rc = store_regime_put(r->store, g, false, r->now)) != 0) {
		store_rollback(r->store);
		status = rc == 1 ? problem_set(&r->problem, 409, "conflict",
		    "id", "There is already a regime %s.", r->slug) :
		    api_internal(r, "regime create");
		goto out;
	}
	data = json_pack("{s:O}", "regime", g);
	status = data != NULL ? finish(r, "regime.added", data, 201) :
	    api_internal(r, "regime create");
out:
	json_decref(base);
	json_decref(g);
	json_decref(data);
	return (status);
}

int
api_regimes_patch(struct req *r)
{
	json_t *cur = NULL, *g = NULL, *data = NULL, *changes = NULL, *v;
	const char *key;
	int status;

	if (store_begin(r->store) == -1)
		return (api_internal(r, "begin"));
	if ((status = load(r, &cur)) != 200 ||
	    (status = api_if_match(r, json_integer_value(json_object_get(cur,
	    "version")), "regime")) != 0)
		goto rollback;
	json_object_del(cur, "retired_at");
	json_object_del(cur, "updated_at");
	json_object_del(cur, "version");
	if ((status = merge(r, cur, false, &g)) != 0)
		goto rollback;
	if ((changes = json_object()) == NULL)
		goto fail;
	json_object_foreach(g, key, v)
		if (!json_equal(v, json_object_get(cur, key)))
			json_object_set_new(changes, key, json_pack("{s:O, s:O}",
			    "from", json_object_get(cur, key), "to", v));
	if (json_object_size(changes) == 0) {
		/* Nothing changes: no new version, event or recompute (as
		 * for an incident). */
		store_rollback(r->store);
		if ((status = load(r, &r->out)) == 200)
			api_etag(r, json_integer_value(json_object_get(r->out,
			    "version")));
		goto out;
	}
	if (store_regime_put(r->store, g, true, r->now) != 0)
		goto fail;
	data = json_pack("{s:O}", "changes", changes);
	status = data != NULL ? finish(r, "regime.changed", data, 200) :
	    api_internal(r, "regime change");
	goto out;
fail:
	status = api_internal(r, "regime change");
rollback:
	store_rollback(r->store);
out:
	json_decref(cur);
	json_decref(g);
	json_decref(data);
	json_decref(changes);
	return (status);
}

int
api_regimes_retire(struct req *r)
{
	static const char *const fields[] = { "reason", NULL };
	const char *reason;
	json_t *data;
	int status, rc;

	if ((status = api_only_fields(r, fields)) != 0 ||
	    (status = api_string(r, "reason", REGIME_FIELD_MAX, true,
	    &reason)) != 0)
		return (status);
	if (reason == NULL || parse_blank(reason))
		return (problem_set(&r->problem, 400, "invalid-field",
		    "reason", "reason: is required"));
	if (store_begin(r->store) == -1)
		return (api_internal(r, "begin"));
	if ((rc = store_regime_retire(r->store, r->slug, r->now)) != 0) {
		store_rollback(r->store);
		return (rc == 1 ? problem_set(&r->problem, 404, "not-found",
		    NULL, "There is no regime %s in force.", r->slug) :
		    api_internal(r, "regime retire"));
	}
	if ((data = json_pack("{s:s}", "reason", reason)) == NULL) {
		store_rollback(r->store);
		return (api_internal(r, "regime retire"));
	}
	status = finish(r, "regime.retired", data, 200);
	json_decref(data);
	return (status);
}
