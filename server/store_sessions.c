/* store_sessions: browser sessions, passwords and sign-in failures. */
#include <stdio.h>
#include <string.h>

#include "store.h"
#include "store_api.h"

int
store_session_add(struct store *s, int64_t user_id,
    const unsigned char hash[32], const char *csrf, int64_t now,
    int64_t expires_at)
{
	sqlite3_stmt *st;

	if ((st = store_stmt(s, STORE_SQL_SESSION_INSERT)) == NULL ||
	    store_bind_int(st, ":user_id", user_id) == -1 ||
	    store_bind_blob(st, ":hash", hash, 32) == -1 ||
	    store_bind_text(st, ":csrf", csrf) == -1 ||
	    store_bind_int(st, ":now", now) == -1 ||
	    store_bind_int(st, ":expires_at", expires_at) == -1)
		return (-1);
	return (store_exec_stmt(st));
}

int
store_session_auth(struct store *s, const unsigned char hash[32],
    struct principal *who, struct store_session *out)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = store_stmt(s, STORE_SQL_SESSION_AUTH)) == NULL ||
	    store_bind_blob(st, ":hash", hash, 32) == -1)
		return (-1);
	if ((rc = store_row(s, st, "session auth")) != 0)
		return (rc);
	store_user_principal(st, 8, who);
	out->id = sqlite3_column_int64(st, 4);
	snprintf(out->csrf, sizeof(out->csrf), "%s", store_col_text(st, 5));
	out->created_at = sqlite3_column_int64(st, 6);
	out->expires_at = sqlite3_column_int64(st, 7);
	sqlite3_reset(st);
	return (0);
}

int
store_session_touch(struct store *s, int64_t id, int64_t expires_at)
{
	sqlite3_stmt *st;

	if ((st = store_stmt(s, STORE_SQL_SESSION_TOUCH)) == NULL ||
	    store_bind_int(st, ":id", id) == -1 ||
	    store_bind_int(st, ":expires_at", expires_at) == -1)
		return (-1);
	return (store_exec_stmt(st));
}

int
store_session_delete(struct store *s, int64_t id)
{
	sqlite3_stmt *st;

	if ((st = store_stmt(s, STORE_SQL_SESSION_DELETE)) == NULL ||
	    store_bind_int(st, ":id", id) == -1)
		return (-1);
	return (store_exec_stmt(st));
}

int
store_session_delete_user(struct store *s, int64_t user_id, int64_t keep)
{
	sqlite3_stmt *st;

	if ((st = store_stmt(s, STORE_SQL_SESSION_DELETE_USER)) == NULL ||
	    store_bind_int(st, ":user_id", user_id) == -1 ||
	    store_bind_int(st, ":keep", keep) == -1)
		return (-1);
	return (store_exec_stmt(st));
}

int
store_session_expire(struct store *s, int64_t now)
{
	sqlite3_stmt *st;

	if ((st = store_stmt(s, STORE_SQL_SESSION_EXPIRE)) == NULL ||
	    store_bind_int(st, ":now", now) == -1)
		return (-1);
	return (store_exec_stmt(st));
}

/* Copy column col (text or NULL) of the current row into buf[len]. */
static void
copy_hash(sqlite3_stmt *st, int col, char *buf, size_t len)
{
	const char *v = store_col_text(st, col);

	snprintf(buf, len, "%s", v != NULL ? v : "");
}

int
store_password_get(struct store *s, const char *name, int64_t *user_id,
    char *hash, size_t len)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = store_stmt(s, STORE_SQL_PASSWORD_GET)) == NULL ||
	    store_bind_text(st, ":name", name) == -1)
		return (-1);
	if ((rc = store_row(s, st, "password get")) != 0)
		return (rc);
	*user_id = sqlite3_column_int64(st, 0);
	copy_hash(st, 1, hash, len);
	sqlite3_reset(st);
	return (0);
}

int
store_password_by_id(struct store *s, int64_t id, char *hash, size_t len)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = store_stmt(s, STORE_SQL_PASSWORD_BY_ID)) == NULL ||
	    store_bind_int(st, ":id", id) == -1)
		return (-1);
	if ((rc = store_row(s, st, "password by id")) != 0)
		return (rc);
	copy_hash(st, 0, hash, len);
	sqlite3_reset(st);
	return (0);
}

int
store_password_set(struct store *s, int64_t id, const char *hash)
{
	sqlite3_stmt *st;

	if ((st = store_stmt(s, STORE_SQL_PASSWORD_SET)) == NULL ||
	    store_bind_int(st, ":id", id) == -1 ||
	    store_bind_text(st, ":hash", hash) == -1)
		return (-1);
	if (store_exec_stmt(st) == -1)
		return (-1);
	return (sqlite3_changes(store_db(s)) == 1 ? 0 : 1);
}

int
store_login_failure_get(struct store *s, const char *key,
    struct store_login_failure *out)
{
	sqlite3_stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((st = store_stmt(s, STORE_SQL_LOGIN_FAILURE_GET)) == NULL ||
	    store_bind_text(st, ":key", key) == -1)
		return (-1);
	if ((rc = store_row(s, st, "login failure get")) != 0)
		return (rc);
	out->failures = sqlite3_column_int64(st, 0);
	out->last_at = sqlite3_column_int64(st, 1);
	out->locked_until = sqlite3_column_int64(st, 2);
	sqlite3_reset(st);
	return (0);
}

int
store_login_failure_put(struct store *s, const char *key,
    const struct store_login_failure *f)
{
	sqlite3_stmt *st;

	if ((st = store_stmt(s, STORE_SQL_LOGIN_FAILURE_PUT)) == NULL ||
	    store_bind_text(st, ":key", key) == -1 ||
	    store_bind_int(st, ":failures", f->failures) == -1 ||
	    store_bind_int(st, ":now", f->last_at) == -1 ||
	    store_bind_int(st, ":locked", f->locked_until) == -1)
		return (-1);
	return (store_exec_stmt(st));
}

int
store_login_failure_clear(struct store *s, const char *key)
{
	sqlite3_stmt *st;

	if ((st = store_stmt(s, STORE_SQL_LOGIN_FAILURE_CLEAR)) == NULL ||
	    store_bind_text(st, ":key", key) == -1)
		return (-1);
	return (store_exec_stmt(st));
}
