/* api_events: an incident's timeline (its audit events) and notes. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "audit.h"
#include "parse.h"
#include "store.h"
#include "store_api.h"

#define NOTE_MAX 20000

int
api_events_list(struct req *r)
{
	json_t *items;
	int status;

	if ((status = api_incidents_visible(r, r->ids[0])) != 200)
		return (status);
	if (store_event_list(r->store, r->ids[0], 0, &items) == -1)
		return (api_internal(r, "event list"));
	r->out = json_pack("{s:o}", "items", items);
	return (r->out != NULL ? 200 : api_internal(r, "event list"));
}

int
api_events_note(struct req *r)
{
	static const char *const fields[] = { "text", NULL };
	const char *text;
	json_t *ev = NULL, *items = NULL, *inc;
	int64_t id;
	bool anonymised;
	int status;

	if ((status = api_only_fields(r, fields)) != 0 ||
	    (status = api_string(r, "text", NOTE_MAX, true, &text)) != 0)
		return (status);
	if (text == NULL || parse_blank(text))
		return (problem_set(&r->problem, 400, "invalid-field", "text",
		    "text: is required"));
	if ((status = api_incidents_visible(r, r->ids[0])) != 200 ||
	    (status = api_incidents_load(r, &inc)) != 200)
		return (status);
	anonymised = !json_is_null(json_object_get(inc, "anonymised_at"));
	json_decref(inc);
	if (anonymised)
		return (problem_set(&r->problem, 409, "conflict", NULL, "The "
		    "incident was anonymised under the retention policy; it "
		    "takes no more notes."));
	status = 500;
	if (store_begin(r->store) == -1)
		return (api_internal(r, "begin"));
	if ((ev = json_pack("{s:s}", "text", text)) == NULL ||
	    audit_append(r->store, r->now, r->who.name, "note.added",
	    r->ids[0], ev, &id) == -1 || store_commit(r->store) == -1) {
		store_rollback(r->store);
		status = api_internal(r, "note");
		goto out;
	}
	if (store_event_list(r->store, r->ids[0], id, &items) == -1 ||
	    json_array_size(items) != 1) {
		status = api_internal(r, "note reload");
		goto out;
	}
	r->out = json_incref(json_array_get(items, 0));
	snprintf(r->location, sizeof(r->location),
	    "/api/v1/incidents/%lld/events", (long long)r->ids[0]);
	status = 201;
out:
	json_decref(ev);
	json_decref(items);
	return (status);
}
