#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alerts.h"
#include "escalation.h"
#include "feed.h"
#include "notices.h"
#include "parse.h"
#include "store_api.h"
#include "timeutil.h"

#define LADDER_EXPIRY (7 * 86400)      /* a step is useless a week late */
#define EVENT_EXPIRY (2 * 86400)

/* Who hears about each step: the closer the deadline, the wider. */
static json_t *
ladder_audience(const struct escalation_step *step, bool overdue)
{
	if (overdue)
		return (json_pack("[s, s, s, s]", "assignee", "dpo",
		    "security", "leadership"));
	if (step->kind == STEP_BEFORE && step->before <= 6 * 3600)
		return (json_pack("[s, s, s]", "assignee", "dpo", "security"));
	return (json_pack("[s, s]", "assignee", "dpo"));
}

static int
queue(struct store *s, const char *key, const char *kind, const char *step,
    int64_t incident_id, int64_t obligation_id, json_t *audience,
    json_t *data, int64_t send_at, int64_t expires_at, int64_t now)
{
	struct store_alert_new a;

	if (audience == NULL)
		return (-1);
	memset(&a, 0, sizeof(a));
	a.key = key;
	a.kind = kind;
	a.step = step;
	a.incident_id = incident_id;
	a.obligation_id = obligation_id;
	a.audience = audience;
	a.data = data;
	a.send_at = send_at;
	a.expires_at = expires_at;
	return (store_alert_insert(s, &a, now));
}

/*
 * Bring the ladder of one pending obligation into the outbox.  Future
 * steps are queued at their instant (moved when the deadline moves); of
 * the steps already past and not yet sent, only the latest is kept, due
 * now: a breach logged late gets one alert, not a burst.
 */
static int
sync_ladder(struct store *s, json_t *doc, int64_t incident_id,
    const struct store_obligation *o, int64_t now)
{
	struct escalation_step steps[ESCALATION_MAX_STEPS];
	struct {
		char key[640];
		int64_t at;        /* the step's instant */
		int found;         /* 0: an alert exists, 1: none yet */
		int64_t id;
		char state[16];
		int64_t send_at;
	} p[ESCALATION_MAX_STEPS];
	int64_t expires = o->due_at + LADDER_EXPIRY, latest_at = INT64_MIN;
	size_t n = escalation_ladder(doc, o->regime_id, steps);
	int latest = -1, rc;
	json_t *aud;

	/* Where each step stands; steps already sent, claimed or failed are
	 * done with.  Of the past steps still open, the latest wins. */
	for (size_t i = 0; i < n; i++) {
		p[i].at = escalation_step_at(&steps[i], o->starts_at, o->due_at);
		snprintf(p[i].key, sizeof(p[i].key), "obligation:%lld:%s",
		    (long long)o->id, steps[i].name);
		if ((p[i].found = store_alert_find(s, p[i].key, &p[i].id,
		    p[i].state, sizeof(p[i].state), &p[i].send_at)) == -1)
			return (-1);
		if (p[i].found == 0 && strcmp(p[i].state, "queued") != 0 &&
		    strcmp(p[i].state, "cancelled") != 0)
			p[i].found = -1;  /* done */
		else if (p[i].at <= now && p[i].at >= latest_at) {
			latest_at = p[i].at;
			latest = (int)i;
		}
	}
	for (size_t i = 0; i < n; i++) {
		int64_t at = p[i].at;
		bool queued = p[i].found == 0 &&
		    strcmp(p[i].state, "queued") == 0;

		if (p[i].found == -1)
			continue;
		if (at <= now && (int)i != latest) {
			/* superseded by a later past step */
			if (queued && store_alert_cancel(s, p[i].id, now) == -1)
				return (-1);
			continue;
		}
		if (at <= now)
			at = queued && p[i].send_at <= now ? p[i].send_at : now;
		if (p[i].found == 0) {
			if (store_alert_reschedule(s, p[i].id, at, expires,
			    now) == -1)
				return (-1);
			continue;
		}
		aud = ladder_audience(&steps[i], steps[i].kind ==
		    STEP_OVERDUE);
		rc = queue(s, p[i].key, "ladder", steps[i].name, incident_id,
		    o->id, aud, NULL, at, expires, now);
		json_decref(aud);
		if (rc == -1)
			return (-1);
	}
	return (0);
}

int
alerts_sync_incident(struct store *s, int64_t incident_id, int64_t now)
{
	struct store_obligation *obs;
	json_t *doc;
	size_t n;
	int rc = 0;

	if (store_setting_get(s, "escalation", &doc) == -1)
		return (-1);
	if (store_obligation_all(s, incident_id, &obs, &n) == -1) {
		json_decref(doc);
		return (-1);
	}
	for (size_t i = 0; i < n && rc == 0; i++) {
		if (strcmp(obs[i].state, "pending") != 0)
			rc = store_alert_cancel_obligation(s, obs[i].id, now);
		else
			rc = sync_ladder(s, doc, incident_id, &obs[i], now);
	}
	free(obs);
	json_decref(doc);
	return (rc);
}

static json_t *
event_audience(const char *name)
{
	if (strcmp(name, "incident.reported") == 0 ||
	    strcmp(name, "incident.untriaged") == 0)
		return (json_pack("[s, s]", "security", "dpo"));
	if (strcmp(name, "incident.confirmed") == 0)
		return (json_pack("[s, s, s, s]", "assignee", "dpo",
		    "security", "leadership"));
	if (strcmp(name, "risk.decided") == 0 ||
	    strcmp(name, "risk.reassess") == 0)
		return (json_pack("[s, s]", "assignee", "dpo"));
	return (json_pack("[s]", "assignee"));
}

int
alerts_event(struct store *s, int64_t incident_id, const char *name,
    int64_t event_id, const char *actor, json_t *detail, int64_t now)
{
	char key[160];
	json_t *aud, *data, *doc;
	int64_t hours;
	int rc;

	snprintf(key, sizeof(key), "event:%lld:%s:%lld",
	    (long long)incident_id, name, (long long)event_id);
	aud = event_audience(name);
	data = json_pack("{s:s, s:o, s:s, s:O}", "name", name, "at",
	    store_json_time(now), "actor", actor, "detail",
	    detail != NULL ? detail : json_null());
	rc = data != NULL ? queue(s, key, "event", name, incident_id, 0, aud,
	    data, now, now + EVENT_EXPIRY, now) : -1;
	json_decref(aud);
	json_decref(data);
	if (rc == -1 || strcmp(name, "incident.reported") != 0)
		return (rc);
	/* A suspected breach nobody has triaged after N hours. */
	if (store_setting_get(s, "escalation", &doc) == -1)
		return (-1);
	hours = json_integer_value(json_object_get(doc, "untriaged_hours"));
	json_decref(doc);
	snprintf(key, sizeof(key), "incident:%lld:untriaged",
	    (long long)incident_id);
	aud = event_audience("incident.untriaged");
	data = json_pack("{s:s, s:o, s:s, s:{s:I}}", "name",
	    "incident.untriaged", "at", store_json_time(now + hours * 3600),
	    "actor", "system", "detail", "hours", (json_int_t)hours);
	rc = data != NULL ? queue(s, key, "event", "incident.untriaged",
	    incident_id, 0, aud, data, now + hours * 3600,
	    now + hours * 3600 + EVENT_EXPIRY, now) : -1;
	json_decref(aud);
	json_decref(data);
	return (rc);
}

int
alerts_triaged(struct store *s, int64_t incident_id, int64_t now)
{
	char key[160];

	snprintf(key, sizeof(key), "incident:%lld:untriaged",
	    (long long)incident_id);
	return (store_alert_cancel_key(s, key, now));
}

int
alerts_digest(struct store *s, int64_t now)
{
	char key[64], day[TIMEUTIL_RFC3339_LEN];
	json_t *doc, *aud;
	int64_t start = now - now % 86400, at;
	int rc;

	if (store_setting_get(s, "escalation", &doc) == -1)
		return (-1);
	at = start + json_integer_value(json_object_get(doc,
	    "digest_hour_utc")) * 3600;
	rc = json_array_size(json_object_get(doc, "leadership")) == 0;
	json_decref(doc);
	if (rc || now < at)
		return (0);  /* nobody to tell, or not yet */
	if (timeutil_format(start, day, sizeof(day)) == -1)
		return (-1);
	day[10] = '\0';
	snprintf(key, sizeof(key), "digest:%s", day);
	aud = json_pack("[s]", "leadership");
	rc = queue(s, key, "digest", "digest", 0, 0, aud, NULL, at,
	    at + 86400, now);
	json_decref(aud);
	return (rc);
}

int
alerts_after_sent(struct store *s, json_t *alert, int64_t now)
{
	const char *step = json_string_value(json_object_get(alert, "step"));
	json_int_t oid = json_integer_value(json_object_get(alert,
	    "obligation_id"));
	json_int_t iid = json_integer_value(json_object_get(alert,
	    "incident_id"));
	struct store_obligation *obs;
	struct escalation_step dummy;
	char key[640], next_step[32];
	json_t *doc, *aud;
	int64_t every, sent_at, n = 0;
	size_t nobs;
	int rc = 0, pending = 0;

	if (step == NULL || oid == 0 || strncmp(step, "overdue", 7) != 0)
		return (0);
	if (step[7] == '-' && parse_int64(step + 8, 1, 1000000, &n) == -1)
		return (0);
	if (store_obligation_all(s, iid, &obs, &nobs) == -1)
		return (-1);
	for (size_t i = 0; i < nobs; i++)
		if (obs[i].id == oid && strcmp(obs[i].state, "pending") == 0)
			pending = 1;
	free(obs);
	if (!pending)
		return (0);
	if (store_setting_get(s, "escalation", &doc) == -1)
		return (-1);
	every = json_integer_value(json_object_get(doc,
	    "overdue_every_hours")) * 3600;
	json_decref(doc);
	(void)timeutil_parse(json_string_value(json_object_get(alert,
	    "send_at")), &sent_at);
	snprintf(next_step, sizeof(next_step), "overdue-%lld",
	    (long long)n + 1);
	snprintf(key, sizeof(key), "obligation:%lld:%s", (long long)oid,
	    next_step);
	memset(&dummy, 0, sizeof(dummy));
	aud = ladder_audience(&dummy, true);
	rc = queue(s, key, "ladder", next_step, iid, oid, aud, NULL,
	    sent_at + every, sent_at + every + LADDER_EXPIRY, now);
	json_decref(aud);
	return (rc);
}

int
alerts_failed(struct store *s, json_t *alert, const char *error, int64_t now)
{
	char key[64];
	json_int_t id = json_integer_value(json_object_get(alert, "id"));
	json_t *aud, *data;
	int rc;

	if (strcmp(json_string_value(json_object_get(alert, "kind")),
	    "failure") == 0)
		return (0);  /* never a failure notice about a failure notice */
	snprintf(key, sizeof(key), "failure:%lld", (long long)id);
	aud = json_pack("[s]", "admins");
	data = json_pack("{s:I, s:s, s:O, s:s}", "alert_id", id, "key",
	    json_string_value(json_object_get(alert, "key")), "incident_id",
	    json_object_get(alert, "incident_id"), "error", error);
	rc = data != NULL ? queue(s, key, "failure", "alert.failed",
	    json_integer_value(json_object_get(alert, "incident_id")), 0,
	    aud, data, now, now + EVENT_EXPIRY, now) : -1;
	json_decref(aud);
	json_decref(data);
	return (rc);
}

/* Add people to recipients, merging by address and collecting roles. */
static int
add_people(json_t *recipients, json_t *people, const char *role)
{
	json_t *p, *r, *roles;
	size_t i, j;

	json_array_foreach(people, i, p) {
		const char *email = json_string_value(json_object_get(p,
		    "email"));

		if (email == NULL || *email == '\0')
			continue;
		roles = NULL;
		json_array_foreach(recipients, j, r)
			if (strcmp(json_string_value(json_object_get(r,
			    "email")), email) == 0)
				roles = json_object_get(r, "roles");
		if (roles == NULL) {
			r = json_pack("{s:O, s:s, s:O, s:[]}", "name",
			    json_object_get(p, "name"), "email", email, "tz",
			    json_object_get(p, "tz"), "roles");
			if (r == NULL || json_array_append_new(recipients, r) ==
			    -1)
				return (-1);
			roles = json_object_get(r, "roles");
		}
		if (json_array_append_new(roles, json_string(role)) == -1)
			return (-1);
	}
	return (0);
}

/* A settings list of addresses as people. */
static json_t *
list_people(json_t *doc, const char *member)
{
	json_t *out = json_array(), *v;
	size_t i;

	json_array_foreach(json_object_get(doc, member), i, v)
		json_array_append_new(out, json_pack("{s:O, s:O, s:s}", "name",
		    v, "email", v, "tz", "Europe/London"));
	return (out);
}

static int
recipients(struct store *s, json_t *doc, json_t *audience,
    json_t *incident, json_t **out)
{
	json_t *r = json_array(), *people, *role;
	const char *name;
	size_t i;
	int rc = 0;

	json_array_foreach(audience, i, role) {
		name = json_string_value(role);
		if ((people = json_array()) == NULL)
			return (-1);
		if (strcmp(name, "assignee") == 0) {
			const char *who = json_string_value(json_object_get(
			    incident, "assignee"));

			if (who != NULL)
				rc = store_user_contact(s, who, people);
		} else if (strcmp(name, "dpo") == 0) {
			rc = store_users_by_role(s, "dpo", people);
		} else if (strcmp(name, "admins") == 0) {
			json_decref(people);
			people = list_people(doc, "admins");
			rc = store_users_by_role(s, "admin", people);
		} else if (strcmp(name, "security") == 0) {
			json_decref(people);
			people = list_people(doc, "security_team");
		} else if (strcmp(name, "leadership") == 0) {
			json_decref(people);
			people = list_people(doc, "leadership");
		}
		if (rc == 0)
			rc = add_people(r, people, name);
		json_decref(people);
		if (rc == -1) {
			json_decref(r);
			return (-1);
		}
	}
	*out = r;
	return (0);
}

static json_t *
incident_summary(json_t *inc)
{
	static const char *const keep[] = { "id", "ref", "title", "status",
		"risk", "assignee", "reporter", "description", "discovered_at",
		"aware_at", "subjects_count", "records_count",
		"data_categories", "subject_categories", "jurisdictions",
		"cyber_incident", "likely_consequences", "measures_taken",
		"dpo_contact", NULL };
	json_t *o = json_object();

	for (size_t i = 0; keep[i] != NULL; i++) {
		json_t *v = json_object_get(inc, keep[i]);

		json_object_set(o, keep[i], v != NULL ? v : json_null());
	}
	return (o);
}

int
alerts_view(struct store *s, json_t *alert, const char *web_base,
    int64_t now, json_t **out)
{
	const char *kind = json_string_value(json_object_get(alert, "kind"));
	json_int_t iid = json_integer_value(json_object_get(alert,
	    "incident_id"));
	json_int_t oid = json_integer_value(json_object_get(alert,
	    "obligation_id"));
	json_t *doc = NULL, *inc = NULL, *obs = NULL, *ob = NULL;
	json_t *digest = NULL, *rcpt = NULL, *notice = NULL, *v;
	char thread[64], url[1200];
	int rc = -1;

	*out = NULL;
	if (store_setting_get(s, "escalation", &doc) == -1)
		return (-1);
	if (iid != 0 && store_incident_get(s, iid, &inc, NULL) == -1)
		goto out;
	if (oid != 0 && store_obligation_list(s, iid, oid, now, &obs) == -1)
		goto out;
	if ((ob = json_array_get(obs, 0)) != NULL) {
		ob = json_deep_copy(ob);
		json_object_del(ob, "notifications");
	}
	if (strcmp(kind, "digest") == 0 && store_digest(s, now, &digest) == -1)
		goto out;
	/* The draft that the obligation owes, to attach to the e-mail. */
	if (strcmp(kind, "ladder") == 0 && ob != NULL &&
	    notices_for_obligation(s, iid, ob, now, &notice) == -1)
		goto out;
	if (recipients(s, doc, json_object_get(alert, "audience"),
	    inc, &rcpt) == -1)
		goto out;
	if (iid != 0)
		snprintf(thread, sizeof(thread), "incident-%lld",
		    (long long)iid);
	else
		snprintf(thread, sizeof(thread), "%s", kind);
	url[0] = '\0';
	v = json_object_get(doc, "web_base_url");
	if (json_string_length(v) > 0)
		web_base = json_string_value(v);
	if (iid != 0 && web_base != NULL && *web_base != '\0')
		(void)feed_incident_url(url, sizeof(url), web_base, iid);
	*out = json_pack("{s:O, s:O, s:O, s:O, s:O, s:O, s:O, s:O, s:s, s:s, "
	    "s:o, s:o, s:o, s:o, s:o, s:o, s:O, s:o}",
	    "id", json_object_get(alert, "id"),
	    "key", json_object_get(alert, "key"),
	    "kind", json_object_get(alert, "kind"),
	    "step", json_object_get(alert, "step"),
	    "attempt", json_object_get(alert, "attempts"),
	    "send_at", json_object_get(alert, "send_at"),
	    "expires_at", json_object_get(alert, "expires_at"),
	    "lease_until", json_object_get(alert, "lease_until"),
	    "thread_key", thread,
	    "web_url", url,
	    "incident", inc != NULL ? incident_summary(inc) : json_null(),
	    "obligation", ob != NULL ? ob : json_null(),
	    "event", strcmp(kind, "event") == 0 ?
	    json_incref(json_object_get(alert, "data")) : json_null(),
	    "digest", digest != NULL ? digest : json_null(),
	    "failure", strcmp(kind, "failure") == 0 ?
	    json_incref(json_object_get(alert, "data")) : json_null(),
	    "recipients", rcpt,
	    "webhooks", json_object_get(doc, "webhooks"),
	    "notice", notice != NULL ? notice : json_null());
	rc = *out != NULL ? 0 : -1;
	/* Recipients a partly failed attempt already reached. */
	if (rc == 0 && json_object_set(*out, "delivered",
	    json_object_get(alert, "message_ids")) == -1)
		rc = -1;
	ob = digest = rcpt = notice = NULL;
out:
	json_decref(doc);
	json_decref(inc);
	json_decref(obs);
	json_decref(ob);
	json_decref(digest);
	json_decref(rcpt);
	json_decref(notice);
	return (rc);
}
