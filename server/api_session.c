/*
 * api_session: web sign-in.  A session is a cookie (HttpOnly,
 * SameSite=Strict, Secure behind TLS) plus a CSRF token that every write
 * echoes; passwords are argon2id (auth.c), checked only here.  Repeated
 * failures lock the user name and the peer address for a while.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "api.h"
#include "audit.h"
#include "auth.h"
#include "log.h"
#include "parse.h"
#include "store.h"
#include "store_api.h"

#define KEY_MAX 96

/* The signed-in user as GET /api/v1/me shows them; a new reference. */
static json_t *
user_json(const struct principal *p)
{
	return (json_pack("{s:I, s:s, s:s, s:o, s:s}", "id",
	    (json_int_t)p->user_id, "name", p->name, "role",
	    req_role_name(p->role), "email", p->email[0] != '\0' ?
	    json_string(p->email) : json_null(), "tz", p->tz));
}

int
api_session_me(struct req *r)
{
	r->out = user_json(&r->who);
	return (r->out != NULL ? 200 : api_internal(r, "me"));
}

/* Set (secret != NULL) or clear the session cookie. */
static void
set_cookie(struct req *r, const char *secret)
{
	const char *proto = req_header(r, "X-Forwarded-Proto");
	bool tls = proto != NULL && strcasecmp(proto, "https") == 0;

	snprintf(r->set_cookie, sizeof(r->set_cookie), "%s=%s; Path=/; "
	    "HttpOnly; SameSite=Strict; Max-Age=%d%s", AUTH_COOKIE,
	    secret != NULL ? secret : "", secret != NULL ? AUTH_SESSION_MAX :
	    0, tls ? "; Secure" : "");
}

/* The failures under key that still count at now into *f. */
static int
failures_load(struct req *r, const char *key, struct store_login_failure *f)
{
	int rc = store_login_failure_get(r->store, key, f);

	if (rc == 1 || (rc == 0 && f->last_at < r->now - AUTH_THROTTLE_WINDOW))
		memset(f, 0, sizeof(*f));
	return (rc == -1 ? -1 : 0);
}

/* Count one more failure under key, locking it past threshold. */
static int
failure_add(struct req *r, const char *key, int64_t threshold)
{
	struct store_login_failure f;
	int64_t lock;

	if (failures_load(r, key, &f) == -1)
		return (-1);
	f.failures++;
	f.last_at = r->now;
	if ((lock = auth_throttle_lock(f.failures, threshold)) > 0)
		f.locked_until = r->now + lock;
	return (store_login_failure_put(r->store, key, &f));
}

int
api_session_create(struct req *r)
{
	static const char *const fields[] = { "username", "password", NULL };
	char ukey[KEY_MAX], akey[KEY_MAX], addr[64];
	char stored[AUTH_PW_HASH_LEN], secret[AUTH_SECRET_LEN + 1];
	char csrf[AUTH_SECRET_LEN + 1];
	unsigned char hash[AUTH_HASH_LEN];
	struct store_login_failure fu, fa;
	struct principal p;
	const char *name, *pw;
	int64_t uid = 0, wait;
	int status, rc;

	if ((status = api_only_fields(r, fields)) != 0 ||
	    (status = api_string(r, "username", 64, false, &name)) != 0 ||
	    (status = api_string(r, "password", AUTH_PW_MAX, false, &pw)) != 0)
		return (status);
	if (name == NULL || name[0] == '\0')
		return (problem_set(&r->problem, 400, "invalid-field",
		    "username", "username: is required"));
	if (pw == NULL || pw[0] == '\0')
		return (problem_set(&r->problem, 400, "invalid-field",
		    "password", "password: is required"));
	req_peer(r, addr, sizeof(addr));
	snprintf(ukey, sizeof(ukey), "user:%s", name);
	snprintf(akey, sizeof(akey), "addr:%s", addr);
	if (failures_load(r, ukey, &fu) == -1 ||
	    failures_load(r, akey, &fa) == -1)
		return (api_internal(r, "sign-in"));
	wait = (fu.locked_until > fa.locked_until ? fu.locked_until :
	    fa.locked_until) - r->now;
	if (wait > 0) {
		r->retry_after = wait;
		return (problem_set(&r->problem, 429, "too-many-attempts",
		    NULL, "Too many failed sign-ins. Try again in %lld "
		    "seconds.", (long long)wait));
	}
	if ((rc = store_password_get(r->store, name, &uid, stored,
	    sizeof(stored))) == -1)
		return (api_internal(r, "sign-in"));
	if (auth_password_verify(rc == 0 ? stored : NULL, pw) != 0) {
		log_event(LOG_WARN, "sign-in failed", "user", name, "addr",
		    addr, NULL);
		if (store_begin(r->store) == -1)
			return (api_internal(r, "sign-in"));
		if (failure_add(r, ukey, AUTH_THROTTLE_USER) == -1 ||
		    failure_add(r, akey, AUTH_THROTTLE_ADDR) == -1 ||
		    store_commit(r->store) == -1) {
			store_rollback(r->store);
			return (api_internal(r, "sign-in"));
		}
		return (problem_set(&r->problem, 401, "invalid-credentials",
		    NULL, "The user name or password is wrong."));
	}
	auth_secret_new(secret);
	auth_secret_new(csrf);
	auth_token_hash(secret, AUTH_SECRET_LEN, hash);
	if (store_begin(r->store) == -1)
		return (api_internal(r, "sign-in"));
	if (store_login_failure_clear(r->store, ukey) == -1 ||
	    store_session_expire(r->store, r->now) == -1 ||
	    store_session_add(r->store, uid, hash, csrf, r->now,
	    r->now + AUTH_SESSION_IDLE) == -1 ||
	    (rc = store_user_get(r->store, name, &p)) != 0 ||
	    store_commit(r->store) == -1) {
		store_rollback(r->store);
		sodium_memzero(secret, sizeof(secret));
		return (api_internal(r, "sign-in"));
	}
	log_event(LOG_INFO, "signed in", "user", name, "addr", addr, NULL);
	set_cookie(r, secret);
	sodium_memzero(secret, sizeof(secret));
	r->out = json_pack("{s:o, s:s}", "user", user_json(&p), "csrf_token",
	    csrf);
	return (r->out != NULL ? 200 : api_internal(r, "sign-in"));
}

int
api_session_get(struct req *r)
{
	r->out = json_pack("{s:o, s:o}", "user", user_json(&r->who),
	    "csrf_token", r->session_id > 0 ? json_string(r->csrf) :
	    json_null());
	return (r->out != NULL ? 200 : api_internal(r, "session"));
}

int
api_session_delete(struct req *r)
{
	if (r->session_id > 0 &&
	    store_session_delete(r->store, r->session_id) == -1)
		return (api_internal(r, "sign-out"));
	set_cookie(r, NULL);
	return (204);
}

int
api_session_password_field(struct req *r, const char *field,
    const char **out)
{
	int status;

	if ((status = api_string(r, field, AUTH_PW_MAX, false, out)) != 0)
		return (status);
	if (*out == NULL || parse_utf8_chars(*out, strlen(*out)) < AUTH_PW_MIN)
		return (problem_set(&r->problem, 400, "invalid-field", field,
		    "%s: must be %d to %d characters", field, AUTH_PW_MIN,
		    AUTH_PW_MAX));
	return (0);
}

/* Store hash as user uid's password, end their other sessions (all but
 * keep) and record it as done by actor.  A status. */
static int
password_store(struct req *r, int64_t uid, const char *hash, int64_t keep)
{
	json_t *ev;
	int rc;

	if ((ev = json_pack("{s:I}", "user_id", (json_int_t)uid)) == NULL ||
	    store_begin(r->store) == -1) {
		json_decref(ev);
		return (api_internal(r, "password"));
	}
	if ((rc = store_password_set(r->store, uid, hash)) == 1) {
		store_rollback(r->store);
		json_decref(ev);
		return (problem_set(&r->problem, 404, "not-found", NULL,
		    "There is no user %lld.", (long long)uid));
	}
	if (rc == -1 || store_session_delete_user(r->store, uid, keep) ==
	    -1 || audit_append(r->store, r->now, r->who.name,
	    "user.password_set", 0, ev, NULL) == -1 ||
	    store_commit(r->store) == -1) {
		store_rollback(r->store);
		json_decref(ev);
		return (api_internal(r, "password"));
	}
	json_decref(ev);
	return (204);
}

int
api_session_password_own(struct req *r)
{
	static const char *const fields[] = { "current_password",
		"new_password", NULL };
	char stored[AUTH_PW_HASH_LEN], hash[AUTH_PW_HASH_LEN];
	const char *cur, *pw;
	int status, rc;

	if ((status = api_only_fields(r, fields)) != 0 ||
	    (status = api_string(r, "current_password", AUTH_PW_MAX, false,
	    &cur)) != 0 ||
	    (status = api_session_password_field(r, "new_password", &pw)) != 0)
		return (status);
	if ((rc = store_password_by_id(r->store, r->who.user_id, stored,
	    sizeof(stored))) == -1)
		return (api_internal(r, "password"));
	if (cur == NULL || auth_password_verify(rc == 0 ? stored : NULL,
	    cur) != 0)
		return (problem_set(&r->problem, 400, "invalid-field",
		    "current_password", "current_password: is not your "
		    "current password"));
	if (auth_password_hash(pw, hash) == -1)
		return (api_internal(r, "password hash"));
	return (password_store(r, r->who.user_id, hash, r->session_id));
}

int
api_session_password_set(struct req *r)
{
	static const char *const fields[] = { "password", NULL };
	char hash[AUTH_PW_HASH_LEN];
	const char *pw;
	int status;

	if ((status = api_only_fields(r, fields)) != 0 ||
	    (status = api_session_password_field(r, "password", &pw)) != 0)
		return (status);
	if (auth_password_hash(pw, hash) == -1)
		return (api_internal(r, "password hash"));
	return (password_store(r, r->ids[0], hash, 0));
}
