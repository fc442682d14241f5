#include <stdio.h>
#include <string.h>

#include "log.h"
#include "store.h"
#include "store_api.h"
#include "timeutil.h"

json_t *
store_json_time(int64_t t)
{
	char buf[TIMEUTIL_RFC3339_LEN];

	if (t == INT64_MIN || timeutil_format(t, buf, sizeof(buf)) == -1)
		return (json_null());
	return (json_string(buf));
}

int
store_user_add(struct store *s, const char *name, const char *role,
    const char *email, const char *tz, int64_t now, int64_t *id)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = store_stmt(s, STORE_SQL_USER_INSERT)) == NULL ||
	    store_bind_text(st, ":name", name) == -1 ||
	    store_bind_text(st, ":role", role) == -1 ||
	    store_bind_text(st, ":email", email) == -1 ||
	    store_bind_text(st, ":tz", tz != NULL ? tz : "Europe/London") ==
	    -1 || store_bind_int(st, ":now", now) == -1)
		return (-1);
	rc = sqlite3_step(st);
	if (rc == SQLITE_CONSTRAINT_UNIQUE) {
		sqlite3_reset(st);
		return (1);
	}
	if (rc != SQLITE_ROW)
		return (store_fail(s, st, "user add"));
	*id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return (0);
}

/* Fill *p from columns 0-3 (id, name, role, email) and tzcol (tz). */
void
store_user_principal(sqlite3_stmt *st, int tzcol, struct principal *p)
{
	const char *email = store_col_text(st, 3);
	const char *tz = store_col_text(st, tzcol);

	memset(p, 0, sizeof(*p));
	p->user_id = sqlite3_column_int64(st, 0);
	snprintf(p->name, sizeof(p->name), "%s", store_col_text(st, 1));
	if (req_role_parse(store_col_text(st, 2), &p->role) == -1)
		p->role = 0;
	snprintf(p->email, sizeof(p->email), "%s", email != NULL ? email : "");
	snprintf(p->tz, sizeof(p->tz), "%s", tz != NULL ? tz : "UTC");
}

int
store_user_get(struct store *s, const char *name, struct principal *out)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = store_stmt(s, STORE_SQL_USER_BY_NAME)) == NULL ||
	    store_bind_text(st, ":name", name) == -1)
		return (-1);
	if ((rc = store_row(s, st, "user get")) != 0)
		return (rc);
	store_user_principal(st, 5, out);
	sqlite3_reset(st);
	return (0);
}

/* A row of USER_SELECT as API JSON. */
static json_t *
user_row(sqlite3_stmt *st)
{
	const char *email = store_col_text(st, 3);

	return (json_pack("{s:I, s:s, s:s, s:o, s:s, s:o, s:b, s:b}",
	    "id", (json_int_t)sqlite3_column_int64(st, 0),
	    "name", store_col_text(st, 1),
	    "role", store_col_text(st, 2),
	    "email", email != NULL ? json_string(email) : json_null(),
	    "tz", store_col_text(st, 5),
	    "created_at", store_json_time(sqlite3_column_int64(st, 4)),
	    "disabled", sqlite3_column_type(st, 6) != SQLITE_NULL,
	    "has_password", sqlite3_column_int(st, 7) != 0));
}

int
store_user_json(struct store *s, int64_t id, json_t **out)
{
	sqlite3_stmt *st;
	int rc;

	*out = NULL;
	if ((st = store_stmt(s, STORE_SQL_USER_GET)) == NULL ||
	    store_bind_int(st, ":id", id) == -1)
		return (-1);
	if ((rc = store_row(s, st, "user get")) != 0)
		return (rc);
	*out = user_row(st);
	sqlite3_reset(st);
	return (*out != NULL ? 0 : -1);
}

int
store_user_update(struct store *s, int64_t id, const char *role,
    const char *email, const char *tz, bool disabled, int64_t now)
{
	sqlite3_stmt *st;

	if ((st = store_stmt(s, STORE_SQL_USER_UPDATE)) == NULL ||
	    store_bind_int(st, ":id", id) == -1 ||
	    store_bind_text(st, ":role", role) == -1 ||
	    store_bind_text(st, ":email", email) == -1 ||
	    store_bind_text(st, ":tz", tz) == -1 ||
	    store_bind_int(st, ":disabled", disabled ? 1 : 0) == -1 ||
	    store_bind_int(st, ":now", now) == -1)
		return (-1);
	return (store_exec_stmt(st));
}

static json_t *
token_row(sqlite3_stmt *st)
{
	return (json_pack("{s:I, s:{s:I, s:s}, s:o, s:o, s:o}",
	    "id", (json_int_t)sqlite3_column_int64(st, 0),
	    "user", "id", (json_int_t)sqlite3_column_int64(st, 1),
	    "name", store_col_text(st, 2),
	    "created_at", store_json_time(sqlite3_column_int64(st, 3)),
	    "expires_at", store_json_time(store_col_time(st, 4)),
	    "revoked_at", store_json_time(store_col_time(st, 5))));
}

int
store_token_list(struct store *s, int64_t user_id, int64_t cursor,
    int64_t limit, json_t **items, int64_t *next)
{
	sqlite3_stmt *st;

	if ((st = store_stmt(s, STORE_SQL_TOKEN_LIST)) == NULL ||
	    (user_id != 0 ? store_bind_int(st, ":user_id", user_id) :
	    store_bind_null(st, ":user_id")) == -1 ||
	    (cursor != 0 ? store_bind_int(st, ":cursor", cursor) :
	    store_bind_null(st, ":cursor")) == -1 ||
	    store_bind_int(st, ":limit", limit + 1) == -1)
		return (-1);
	return (store_rows(s, st, token_row, limit, items, next,
	    "token list"));
}

int
store_user_list(struct store *s, json_t **items)
{
	sqlite3_stmt *st;

	if ((st = store_stmt(s, STORE_SQL_USER_LIST)) == NULL)
		return (-1);
	return (store_rows(s, st, user_row, 0, items, NULL, "user list"));
}

int
store_token_add(struct store *s, int64_t user_id, const unsigned char hash[32],
    int64_t now, int64_t expires_at, int64_t *id)
{
	sqlite3_stmt *st;

	if ((st = store_stmt(s, STORE_SQL_TOKEN_INSERT)) == NULL ||
	    store_bind_int(st, ":user_id", user_id) == -1 ||
	    store_bind_blob(st, ":hash", hash, 32) == -1 ||
	    store_bind_int(st, ":now", now) == -1 ||
	    store_bind_time(st, ":expires_at", expires_at) == -1)
		return (-1);
	if (sqlite3_step(st) != SQLITE_ROW)
		return (store_fail(s, st, "token add"));
	*id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return (0);
}

/* Whether a token that expires at expires (INT64_MIN: never) has expired
 * by now. */
static bool
expired(int64_t expires, int64_t now)
{
	return (expires != INT64_MIN && expires <= now);
}

/*
 * A live token found on this connection since the last commit anywhere, or
 * NULL (and the cache emptied when something has been committed since it
 * was filled).  The lookup was about 2 us of a read's 29 (issue 8); a token
 * revoked, a user disabled or changed, by this server or the CLI, is a
 * commit, and so seen by the next request as before.
 */
static struct store_token *
token_cached(struct store_token_cache *c, const struct store_mark *m,
    const unsigned char hash[32])
{
	if (c->mark.others != m->others || c->mark.own != m->own) {
		c->mark = *m;
		c->n = c->next = 0;
		return (NULL);
	}
	for (size_t i = 0; i < c->n; i++)
		if (memcmp(c->e[i].hash, hash, 32) == 0)
			return (&c->e[i]);
	return (NULL);
}

int
store_token_auth(struct store *s, const unsigned char hash[32], int64_t now,
    struct principal *who)
{
	struct store_token_cache *c = store_token_cache(s);
	struct store_token *t = NULL;
	struct store_mark m;
	sqlite3_stmt *st;
	int64_t expires, revoked;
	bool marked;
	int rc;

	if ((marked = store_mark(s, &m) == 0) &&
	    (t = token_cached(c, &m, hash)) != NULL) {
		if (expired(t->expires_at, now))
			return (1);
		*who = t->who;
		return (0);
	}
	if ((st = store_stmt(s, STORE_SQL_TOKEN_AUTH)) == NULL ||
	    store_bind_blob(st, ":hash", hash, 32) == -1)
		return (-1);
	if ((rc = store_row(s, st, "token auth")) != 0)
		return (rc);
	expires = store_col_time(st, 4);
	revoked = store_col_time(st, 5);
	store_user_principal(st, 6, who);
	sqlite3_reset(st);
	if (revoked != INT64_MIN || expired(expires, now) || who->role == 0)
		return (1);
	/* Read after the mark was taken: no older than it. */
	if (marked) {
		t = &c->e[c->next];
		memcpy(t->hash, hash, 32);
		t->expires_at = expires;
		t->who = *who;
		c->next = (c->next + 1) % STORE_TOKEN_CACHE;
		if (c->n < STORE_TOKEN_CACHE)
			c->n++;
	}
	return (0);
}

int
store_token_revoke(struct store *s, int64_t id, int64_t now)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = store_stmt(s, STORE_SQL_TOKEN_EXISTS)) == NULL ||
	    store_bind_int(st, ":id", id) == -1)
		return (-1);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return (1);
	if (rc != SQLITE_ROW)
		return (store_fail(s, st, "token lookup"));
	if ((st = store_stmt(s, STORE_SQL_TOKEN_REVOKE)) == NULL ||
	    store_bind_int(st, ":id", id) == -1 ||
	    store_bind_int(st, ":now", now) == -1)
		return (-1);
	return (store_exec_stmt(st));
}
