/* api_users: users and their API tokens (admin), and who am I. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "audit.h"
#include "auth.h"
#include "calendar.h"
#include "incident.h"
#include "parse.h"
#include "store.h"
#include "store_api.h"

#define EMAIL_MAX 254
#define TOKEN_DAYS_MAX 3650

int
api_users_list(struct req *r)
{
	json_t *items;

	if (store_user_list(r->store, &items) == -1)
		return (api_internal(r, "user list"));
	r->out = json_pack("{s:o}", "items", items);
	return (r->out != NULL ? 200 : api_internal(r, "user list"));
}

/* A plausible address: one '@', something on both sides, no spaces. */
static bool
email_ok(const char *s)
{
	const char *at = strchr(s, '@');

	return (at != NULL && at != s && at[1] != '\0' &&
	    strchr(at + 1, '@') == NULL && strpbrk(s, " <>\"\\,;") == NULL);
}

/*
 * Read and check a body's role, email and tz (NULL when absent; email
 * also when null).  For a new user (all) the role is required and tz
 * defaults to Europe/London; for a PATCH each is checked when given.
 * 0, or a 400 with the problem filled.
 */
static int
user_profile(struct req *r, bool all, const char **role, const char **email,
    const char **tz)
{
	enum role rl;
	int status;

	if ((status = api_string(r, "role", 16, false, role)) != 0 ||
	    (status = api_string(r, "email", EMAIL_MAX, false, email)) != 0 ||
	    (status = api_string(r, "tz", 64, false, tz)) != 0)
		return (status);
	if (all && *tz == NULL)
		*tz = "Europe/London";
	if ((all || json_object_get(r->body, "role") != NULL) &&
	    (*role == NULL || req_role_parse(*role, &rl) == -1))
		return (problem_set(&r->problem, 400, "invalid-field", "role",
		    "role: must be reporter, handler, dpo, viewer, admin or "
		    "notifier"));
	if (*email != NULL && !email_ok(*email))
		return (problem_set(&r->problem, 400, "invalid-field", "email",
		    "email: is not an e-mail address"));
	if ((all || json_object_get(r->body, "tz") != NULL) &&
	    (*tz == NULL || calendar_zone_valid(*tz) == -1))
		return (problem_set(&r->problem, 400, "invalid-field", "tz",
		    "tz: is not an IANA time zone such as Europe/London"));
	return (0);
}

int
api_users_create(struct req *r)
{
	static const char *const fields[] = { "name", "role", "email", "tz",
		"password", NULL };
	char hash[AUTH_PW_HASH_LEN];
	const char *name, *role, *email, *tz, *pw = NULL;
	json_t *ev = NULL;
	int64_t id;
	int status, rc;

	if ((status = api_only_fields(r, fields)) != 0 ||
	    (status = api_not_null(r, fields)) != 0 ||
	    (status = api_string(r, "name", 64, false, &name)) != 0 ||
	    (json_object_get(r->body, "password") != NULL &&
	    (status = api_session_password_field(r, "password", &pw)) != 0))
		return (status);
	if (name == NULL || !incident_user_name_valid(name))
		return (problem_set(&r->problem, 400, "invalid-field", "name",
		    "name: must be 1 to 64 of a-z, 0-9, '.', '_' and '-'"));
	if ((status = user_profile(r, true, &role, &email, &tz)) != 0)
		return (status);
	if (pw != NULL && auth_password_hash(pw, hash) == -1)
		return (api_internal(r, "password hash"));
	if (store_begin(r->store) == -1)
		return (api_internal(r, "begin"));
	if ((rc = store_user_add(r->store, name, role, email, tz, r->now,
	    &id)) == -1 || (rc == 0 && pw != NULL &&
	    store_password_set(r->store, id, hash) != 0))
		goto fail;
	if (rc == 1) {
		store_rollback(r->store);
		return (problem_set(&r->problem, 409, "conflict", "name",
		    "There is already a user called %s.", name));
	}
	ev = json_pack("{s:s, s:s, s:o, s:s}", "name", name, "role", role,
	    "email", email != NULL ? json_string(email) : json_null(), "tz", tz);
	if (ev == NULL || audit_append(r->store, r->now, r->who.name,
	    "user.added", 0, ev, NULL) == -1 || store_commit(r->store) == -1)
		goto fail;
	json_decref(ev);
	if (store_user_json(r->store, id, &r->out) != 0)
		return (api_internal(r, "user add"));
	snprintf(r->location, sizeof(r->location), "/api/v1/users/%lld",
	    (long long)id);
	return (201);
fail:
	store_rollback(r->store);
	json_decref(ev);
	return (api_internal(r, "user add"));
}

int
api_tokens_create(struct req *r)
{
	static const char *const fields[] = { "user", "expires_in_days",
		NULL };
	char token[AUTH_TOKEN_LEN + 1];
	unsigned char hash[AUTH_HASH_LEN];
	struct principal p;
	const char *user;
	json_t *days, *ev = NULL;
	int64_t expires = INT64_MIN, id;
	int status, rc;

	if ((status = api_only_fields(r, fields)) != 0 ||
	    (status = api_not_null(r, fields)) != 0 ||
	    (status = api_string(r, "user", 64, false, &user)) != 0)
		return (status);
	if (user == NULL)
		return (problem_set(&r->problem, 400, "invalid-field", "user",
		    "user: is required"));
	days = json_object_get(r->body, "expires_in_days");
	if (days != NULL) {
		if (!json_is_integer(days) || json_integer_value(days) < 1 ||
		    json_integer_value(days) > TOKEN_DAYS_MAX)
			return (problem_set(&r->problem, 400, "invalid-field",
			    "expires_in_days", "expires_in_days: must be a "
			    "whole number from 1 to 3650"));
		expires = r->now + json_integer_value(days) * 86400;
	}
	if (store_begin(r->store) == -1)
		return (api_internal(r, "begin"));
	if ((rc = store_user_get(r->store, user, &p)) == -1)
		goto fail;
	if (rc == 1) {
		store_rollback(r->store);
		return (problem_set(&r->problem, 422, "constraint-violation",
		    "user", "user: there is no such user"));
	}
	auth_token_new(token, hash);
	if (store_token_add(r->store, p.user_id, hash, r->now, expires,
	    &id) == -1)
		goto fail;
	ev = json_pack("{s:I, s:s, s:o}", "token_id", (json_int_t)id, "user",
	    user, "expires_at", store_json_time(expires));
	if (ev == NULL || audit_append(r->store, r->now, r->who.name,
	    "token.created", 0, ev, NULL) == -1 ||
	    store_commit(r->store) == -1)
		goto fail;
	json_decref(ev);
	r->out = json_pack("{s:I, s:s, s:s, s:o}", "id", (json_int_t)id,
	    "user", user, "token", token, "expires_at",
	    store_json_time(expires));
	sodium_memzero(token, sizeof(token));
	return (r->out != NULL ? 201 : api_internal(r, "token create"));
fail:
	sodium_memzero(token, sizeof(token));
	store_rollback(r->store);
	json_decref(ev);
	return (api_internal(r, "token create"));
}

int
api_tokens_revoke(struct req *r)
{
	json_t *ev = NULL;
	int rc;

	if (store_begin(r->store) == -1)
		return (api_internal(r, "begin"));
	if ((rc = store_token_revoke(r->store, r->ids[0], r->now)) == -1)
		goto fail;
	if (rc == 1) {
		store_rollback(r->store);
		return (problem_set(&r->problem, 404, "not-found", NULL,
		    "There is no token %lld.", (long long)r->ids[0]));
	}
	ev = json_pack("{s:I}", "token_id", (json_int_t)r->ids[0]);
	if (ev == NULL || audit_append(r->store, r->now, r->who.name,
	    "token.revoked", 0, ev, NULL) == -1 ||
	    store_commit(r->store) == -1)
		goto fail;
	json_decref(ev);
	return (204);
fail:
	store_rollback(r->store);
	json_decref(ev);
	return (api_internal(r, "token revoke"));
}

int
api_users_get(struct req *r)
{
	int rc;

	if ((rc = store_user_json(r->store, r->ids[0], &r->out)) == -1)
		return (api_internal(r, "user get"));
	if (rc == 1)
		return (problem_set(&r->problem, 404, "not-found", NULL,
		    "There is no user %lld.", (long long)r->ids[0]));
	return (200);
}

/*
 * Check the members of a user PATCH body and merge them over cur (the
 * user as API JSON) into the new object *after.  0, or a 4xx status with
 * the problem filled.
 */
static int
user_merge(struct req *r, json_t *cur, json_t **after)
{
	static const char *const fields[] = { "role", "email", "tz",
		"disabled", NULL };
	/* email alone may be null: it clears the address. */
	static const char *const not_null[] = { "role", "tz", "disabled",
		NULL };
	const char *role, *email, *tz;
	json_t *dis, *res;
	int status;

	*after = NULL;
	if ((status = api_only_fields(r, fields)) != 0 ||
	    (status = api_not_null(r, not_null)) != 0 ||
	    (status = user_profile(r, false, &role, &email, &tz)) != 0)
		return (status);
	if (json_object_size(r->body) == 0)
		return (problem_set(&r->problem, 400, "invalid-field", NULL,
		    "The body must give at least one of role, email, tz and "
		    "disabled."));
	dis = json_object_get(r->body, "disabled");
	if (dis != NULL && !json_is_boolean(dis))
		return (problem_set(&r->problem, 400, "invalid-field",
		    "disabled", "disabled: must be true or false"));
	if (r->ids[0] == r->who.user_id && json_is_true(dis))
		return (problem_set(&r->problem, 409, "conflict", "disabled",
		    "An admin may not disable themselves."));
	if (r->ids[0] == r->who.user_id && role != NULL &&
	    strcmp(role, "admin") != 0)
		return (problem_set(&r->problem, 409, "conflict", "role",
		    "An admin may not change their own role."));
	if ((res = json_deep_copy(cur)) == NULL)
		return (api_internal(r, "user merge"));
	if ((role != NULL && json_object_set_new(res, "role",
	    json_string(role)) == -1) ||
	    (json_object_get(r->body, "email") != NULL &&
	    json_object_set_new(res, "email", email != NULL ?
	    json_string(email) : json_null()) == -1) ||
	    (tz != NULL && json_object_set_new(res, "tz", json_string(tz)) ==
	    -1) ||
	    (dis != NULL && json_object_set(res, "disabled", dis) == -1)) {
		json_decref(res);
		return (api_internal(r, "user merge"));
	}
	*after = res;
	return (0);
}

int
api_users_patch(struct req *r)
{
	static const char *const keys[] = { "role", "email", "tz",
		"disabled" };
	json_t *cur = NULL, *after = NULL, *changes = NULL, *ev = NULL;
	int status, rc;

	if (store_begin(r->store) == -1)
		return (api_internal(r, "begin"));
	if ((rc = store_user_json(r->store, r->ids[0], &cur)) == -1)
		goto fail;
	if (rc == 1) {
		status = problem_set(&r->problem, 404, "not-found", NULL,
		    "There is no user %lld.", (long long)r->ids[0]);
		goto rollback;
	}
	if ((status = user_merge(r, cur, &after)) != 0)
		goto rollback;
	if ((changes = json_object()) == NULL)
		goto fail;
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		json_t *a = json_object_get(cur, keys[i]);
		json_t *b = json_object_get(after, keys[i]);

		if (!json_equal(a, b) && json_object_set_new(changes, keys[i],
		    json_pack("{s:O, s:O}", "from", a, "to", b)) == -1)
			goto fail;
	}
	if (json_object_size(changes) > 0) {
		const char *email = json_string_value(json_object_get(after,
		    "email"));

		ev = json_pack("{s:I, s:O, s:O}", "user_id",
		    (json_int_t)r->ids[0], "name", json_object_get(cur, "name"),
		    "changes", changes);
		if (ev == NULL || store_user_update(r->store, r->ids[0],
		    json_string_value(json_object_get(after, "role")), email,
		    json_string_value(json_object_get(after, "tz")),
		    json_is_true(json_object_get(after, "disabled")),
		    r->now) == -1 ||
		    (json_object_get(changes, "disabled") != NULL &&
		    json_is_true(json_object_get(after, "disabled")) &&
		    store_session_delete_user(r->store, r->ids[0], 0) == -1) ||
		    audit_append(r->store, r->now, r->who.name, "user.changed",
		    0, ev, NULL) == -1)
			goto fail;
	}
	if (store_commit(r->store) == -1)
		goto fail;
	json_decref(cur);
	cur = NULL;
	status = store_user_json(r->store, r->ids[0], &r->out) == 0 ? 200 :
	    api_internal(r, "user get");
	goto out;
fail:
	status = api_internal(r, "user change");
rollback:
	store_rollback(r->store);
out:
	json_decref(cur);
	json_decref(after);
	json_decref(changes);
	json_decref(ev);
	return (status);
}

int
api_tokens_list(struct req *r)
{
	int64_t user_id = 0, cursor = 0, limit = 50, next;
	char buf[24];
	const char *v;
	json_t *items;

	if ((v = req_query(r, "user_id")) != NULL &&
	    parse_int64(v, 1, INT64_MAX, &user_id) == -1)
		return (problem_set(&r->problem, 400, "invalid-query",
		    "user_id", "user_id: must be a user id"));
	if ((v = req_query(r, "limit")) != NULL &&
	    parse_int64(v, 1, 200, &limit) == -1)
		return (problem_set(&r->problem, 400, "invalid-query", "limit",
		    "limit: must be a whole number from 1 to 200"));
	if ((v = req_query(r, "cursor")) != NULL &&
	    parse_int64(v, 1, INT64_MAX, &cursor) == -1)
		return (problem_set(&r->problem, 400, "invalid-query",
		    "cursor", "cursor: is not a cursor this server gave"));
	if (store_token_list(r->store, user_id, cursor, limit, &items,
	    &next) == -1)
		return (api_internal(r, "token list"));
	snprintf(buf, sizeof(buf), "%lld", (long long)next);
	r->out = json_pack("{s:o, s:o}", "items", items, "next_cursor",
	    next != 0 ? json_string(buf) : json_null());
	return (r->out != NULL ? 200 : api_internal(r, "token list"));
}
