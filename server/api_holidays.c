/* api_holidays: the holiday calendars that business-day deadlines skip.
 * Everyone signed in reads them; admins replace a set's dates, which is
 * an audit event and recomputes the obligations of every open incident,
 * as a regime change does (api_regimes.c). */
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "audit.h"
#include "catalog.h"
#include "holidays.h"
#include "obligations.h"
#include "store.h"
#include "store_api.h"

#define SET_NAME_MAX 200
#define SET_SOURCE_MAX 2000

int
api_holidays_list(struct req *r)
{
	json_t *items;

	if (store_holiday_set_list(r->store, NULL, &items) == -1)
		return (api_internal(r, "holiday sets"));
	r->out = json_pack("{s:o}", "items", items);
	return (r->out != NULL ? 200 : api_internal(r, "holiday sets"));
}

/* The set r->slug with its dates into *out: 200, 404 or 500. */
static int
load(struct req *r, json_t **out)
{
	json_t *items, *set, *days;

	*out = NULL;
	if (store_holiday_set_list(r->store, r->slug, &items) == -1)
		return (api_internal(r, "holiday set"));
	set = json_incref(json_array_get(items, 0));
	json_decref(items);
	if (set == NULL)
		return (problem_set(&r->problem, 404, "not-found", NULL,
		    "There is no holiday set %s.", r->slug));
	if (store_holiday_set_days(r->store, r->slug, &days) == -1 ||
	    json_object_set_new(set, "dates", days) == -1) {
		json_decref(set);
		return (api_internal(r, "holiday set"));
	}
	*out = set;
	return (200);
}

int
api_holidays_get(struct req *r)
{
	return (load(r, &r->out));
}

/*
 * The dates of a PUT body into *days ([{day, title}], new), its set name
 * (NULL: unchanged; borrowed) and where the dates come from into source.
 * 0, or a 400 with the problem filled.
 */
static int
parse_body(struct req *r, json_t **days, const char **name, char *source,
    size_t len)
{
	static const char *const govuk[] = { "division", "events", NULL };
	static const char *const simple[] = { "name", "source", "dates",
		NULL };
	char err[256];
	const char *division, *set, *src;
	json_t *v;
	int status;

	*days = NULL;
	*name = NULL;
	if ((v = json_object_get(r->body, "division")) != NULL) {
		if ((status = api_only_fields(r, govuk)) != 0)
			return (status);
		if (!json_is_string(v) || (set = holidays_division_set(
		    division = json_string_value(v))) == NULL)
			return (problem_set(&r->problem, 400, "invalid-field",
			    "division", "division: must be england-and-wales, "
			    "scotland or northern-ireland"));
		if (strcmp(set, r->slug) != 0)
			return (problem_set(&r->problem, 400, "invalid-field",
			    "division", "division: %s is the holiday set %s, "
			    "not %s", division, set, r->slug));
		if (holidays_parse_division(division, r->body, days, err,
		    sizeof(err)) == -1)
			return (problem_set(&r->problem, 400, "invalid-field",
			    "events", "%s", err));
		snprintf(source, len, "GOV.UK bank-holidays.json (%s), put "
		    "through the API by %s", division, r->who.name);
		return (0);
	}
	if ((status = api_only_fields(r, simple)) != 0 ||
	    (status = api_string(r, "name", SET_NAME_MAX, false, name)) != 0 ||
	    (status = api_string(r, "source", SET_SOURCE_MAX, false, &src)) !=
	    0)
		return (status);
	if (json_object_get(r->body, "name") != NULL &&
	    (*name == NULL || (*name)[0] == '\0'))
		return (problem_set(&r->problem, 400, "invalid-field", "name",
		    "name: must be 1 to %d characters", SET_NAME_MAX));
	if (json_object_get(r->body, "source") != NULL &&
	    (src == NULL || src[0] == '\0'))
		return (problem_set(&r->problem, 400, "invalid-field",
		    "source", "source: must be 1 to %d characters",
		    SET_SOURCE_MAX));
	if ((v = json_object_get(r->body, "dates")) == NULL)
		return (problem_set(&r->problem, 400, "invalid-field", "dates",
		    "dates: is required (or give a GOV.UK division with "
		    "events)"));
	if (holidays_parse_events(NULL, "dates", v, true, days, err,
	    sizeof(err)) == -1)
		return (problem_set(&r->problem, 400, "invalid-field", "dates",
		    "%s", err));
	if (src != NULL)
		snprintf(source, len, "%s", src);
	else
		snprintf(source, len, "put through the API by %s",
		    r->who.name);
	return (0);
}

int
api_holidays_put(struct req *r)
{
	struct rules_config rc = api_rules_config(r);
	char source[SET_SOURCE_MAX * 4 + 1];
	const char *name;
	json_t *days, *before = NULL, *ev = NULL;
	size_t n;
	int status;

	if ((status = parse_body(r, &days, &name, source,
	    sizeof(source))) != 0)
		return (status);
	if (store_begin(r->store) == -1) {
		json_decref(days);
		return (api_internal(r, "begin"));
	}
	if ((status = load(r, &before)) != 200)
		goto rollback;
	if ((name != NULL && store_holiday_set_rename(r->store, r->slug,
	    name) == -1) ||
	    store_holiday_replace(r->store, r->slug, days, source, r->now) !=
	    0 ||
	    obligations_recompute_open(r->store, &rc, r->who.name, r->now,
	    &n) == -1)
		goto fail;
	ev = json_pack("{s:s, s:O, s:O, s:I, s:s, s:I}", "set_id", r->slug,
	    "name_before", json_object_get(before, "name"),
	    "dates_before", json_object_get(before, "count"),
	    "dates", (json_int_t)json_array_size(days), "source", source,
	    "incidents_recomputed", (json_int_t)n);
	if (ev == NULL || (name != NULL && json_object_set_new(ev, "name",
	    json_string(name)) == -1) ||
	    audit_append(r->store, r->now, r->who.name, "holidays.replaced",
	    0, ev, NULL) == -1 || store_commit(r->store) == -1)
		goto fail;
	catalog_invalidate();
	status = load(r, &r->out);
	goto out;
fail:
	status = api_internal(r, "holiday set put");
rollback:
	store_rollback(r->store);
out:
	json_decref(days);
	json_decref(before);
	json_decref(ev);
	return (status);
}
