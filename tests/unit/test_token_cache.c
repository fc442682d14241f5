/*
 * Unit tests for the bearer-token cache of a connection (store_token_auth()
 * and store_mark(), server/store_users.c and store.c): a token found live
 * is not looked up again while nothing has been committed, and any commit,
 * by this connection, through its transaction connection or by another
 * (the CLI), makes the next check read the database again; expiry is
 * checked on every use.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "auth.h"
#include "store.h"
#include "store_api.h"
#include "store_pair.h"

#define NOW INT64_C(1700000000)

static struct store_pair sp;
static struct store *r;   /* a worker's connection (store_thread()) */
static struct store *w;   /* another connection, as the CLI's would be */

static int
setup(void **state)
{
	(void)state;
	if (store_pair_open(&sp, "token-cache") == -1)
		return (-1);
	r = sp.r;
	w = sp.w;
	return (0);
}

static int
teardown(void **state)
{
	(void)state;
	store_pair_close(&sp);
	return (0);
}

/* A new user name with a new token (made on w); its ids and hash. */
static void
user_token(const char *name, const char *role, int64_t expires_at,
    int64_t *user, int64_t *token, unsigned char hash[AUTH_HASH_LEN])
{
	char text[AUTH_TOKEN_LEN + 1];

	assert_int_equal(store_user_add(w, name, role, NULL, NULL, NOW, user),
	    0);
	auth_token_new(text, hash);
	assert_int_equal(store_token_add(w, *user, hash, NOW, expires_at,
	    token), 0);
}

/* What a request of r sees: 0 (and *who) for a live token, else 1. */
static int
check(const unsigned char hash[AUTH_HASH_LEN], int64_t now,
    struct principal *who)
{
	int rc;

	store_read_begin(r);
	rc = store_token_auth(r, hash, now, who);
	store_read_end(r);
	assert_true(rc == 0 || rc == 1);
	return (rc);
}

static void
test_revoked_by_another(void **state)
{
	unsigned char h[AUTH_HASH_LEN];
	struct principal who;
	int64_t user, token;

	(void)state;
	user_token("ann", "handler", INT64_MIN, &user, &token, h);
	assert_int_equal(check(h, NOW, &who), 0);
	assert_int_equal(who.user_id, user);
	assert_string_equal(who.name, "ann");
	assert_int_equal(who.role, ROLE_HANDLER);
	assert_int_equal(check(h, NOW, &who), 0);
	assert_int_equal(store_token_revoke(w, token, NOW), 0);
	assert_int_equal(check(h, NOW, &who), 1);
	assert_int_equal(check(h, NOW, &who), 1);
}

static void
test_revoked_here(void **state)
{
	unsigned char h[AUTH_HASH_LEN];
	struct principal who;
	int64_t user, token;

	(void)state;
	user_token("bob", "viewer", INT64_MIN, &user, &token, h);
	assert_int_equal(check(h, NOW, &who), 0);
	assert_int_equal(check(h, NOW, &who), 0);
	/* On r itself, outside a transaction: its own write. */
	assert_int_equal(store_token_revoke(r, token, NOW), 0);
	assert_int_equal(check(h, NOW, &who), 1);
}

static void
test_revoked_in_transaction(void **state)
{
	unsigned char h[AUTH_HASH_LEN];
	struct principal who;
	int64_t user, token;

	(void)state;
	user_token("cat", "dpo", INT64_MIN, &user, &token, h);
	assert_int_equal(check(h, NOW, &who), 0);
	assert_int_equal(check(h, NOW, &who), 0);
	/* Through the connection r's transactions run on. */
	assert_int_equal(store_begin(r), 0);
	assert_int_equal(store_token_revoke(r, token, NOW), 0);
	assert_int_equal(store_commit(r), 0);
	assert_int_equal(check(h, NOW, &who), 1);
}

static void
test_user_changed(void **state)
{
	unsigned char h[AUTH_HASH_LEN];
	struct principal who;
	int64_t user, token;

	(void)state;
	user_token("dan", "reporter", INT64_MIN, &user, &token, h);
	assert_int_equal(check(h, NOW, &who), 0);
	assert_int_equal(who.role, ROLE_REPORTER);
	assert_int_equal(store_user_update(w, user, "admin", "dan@example.org",
	    "Europe/Paris", false, NOW), 0);
	assert_int_equal(check(h, NOW, &who), 0);
	assert_int_equal(who.role, ROLE_ADMIN);
	assert_string_equal(who.email, "dan@example.org");
	assert_string_equal(who.tz, "Europe/Paris");
	assert_int_equal(store_user_update(w, user, "admin", NULL,
	    "Europe/Paris", true, NOW), 0);
	assert_int_equal(check(h, NOW, &who), 1);
	assert_int_equal(store_user_update(w, user, "viewer", NULL,
	    "Europe/Paris", false, NOW), 0);
	assert_int_equal(check(h, NOW, &who), 0);
	assert_int_equal(who.role, ROLE_VIEWER);
}

static void
test_expiry(void **state)
{
	unsigned char h[AUTH_HASH_LEN];
	struct principal who;
	int64_t user, token;

	(void)state;
	user_token("eve", "handler", NOW + 60, &user, &token, h);
	assert_int_equal(check(h, NOW + 59, &who), 0);
	assert_int_equal(check(h, NOW + 59, &who), 0);   /* from the cache */
	assert_int_equal(check(h, NOW + 60, &who), 1);
	assert_int_equal(check(h, NOW + 59, &who), 0);
}

static void
test_each_token_its_user(void **state)
{
	unsigned char h[3 * STORE_TOKEN_CACHE][AUTH_HASH_LEN];
	int64_t user[3 * STORE_TOKEN_CACHE], token;
	struct principal who;
	char name[16];

	(void)state;
	for (int i = 0; i < 3 * STORE_TOKEN_CACHE; i++) {
		snprintf(name, sizeof(name), "many%02d", i);
		user_token(name, "viewer", INT64_MIN, &user[i], &token, h[i]);
	}
	/* More tokens than the cache holds, twice round, and one again
	 * and again. */
	for (int round = 0; round < 2; round++) {
		for (int i = 0; i < 3 * STORE_TOKEN_CACHE; i++) {
			snprintf(name, sizeof(name), "many%02d", i);
			assert_int_equal(check(h[i], NOW, &who), 0);
			assert_int_equal(who.user_id, user[i]);
			assert_string_equal(who.name, name);
			assert_int_equal(check(h[0], NOW, &who), 0);
			assert_int_equal(who.user_id, user[0]);
		}
	}
}

static void
test_unknown(void **state)
{
	unsigned char h[AUTH_HASH_LEN];
	char text[AUTH_TOKEN_LEN + 1];
	struct principal who;

	(void)state;
	auth_token_new(text, h);
	assert_int_equal(check(h, NOW, &who), 1);
	assert_int_equal(check(h, NOW, &who), 1);
}

static void
test_mark(void **state)
{
	struct store_mark a, b;
	int64_t id;

	(void)state;
	assert_int_equal(store_mark(r, &a), 0);
	assert_int_equal(store_mark(r, &b), 0);
	assert_memory_equal(&a, &b, sizeof(a));
	assert_int_equal(store_user_add(w, "fay", "viewer", NULL, NULL, NOW,
	    &id), 0);
	assert_int_equal(store_mark(r, &b), 0);
	assert_true(b.others != a.others);
	assert_int_equal(store_mark(r, &a), 0);
	assert_int_equal(store_user_add(r, "gus", "viewer", NULL, NULL, NOW,
	    &id), 0);
	assert_int_equal(store_mark(r, &b), 0);
	assert_true(b.own != a.own);
	/* No mark inside a transaction. */
	assert_int_equal(store_begin(r), 0);
	assert_int_equal(store_mark(r, &b), -1);
	store_rollback(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_revoked_by_another),
		cmocka_unit_test(test_revoked_here),
		cmocka_unit_test(test_revoked_in_transaction),
		cmocka_unit_test(test_user_changed),
		cmocka_unit_test(test_expiry),
		cmocka_unit_test(test_each_token_its_user),
		cmocka_unit_test(test_unknown),
		cmocka_unit_test(test_mark),
	};

	return (cmocka_run_group_tests(tests, setup, teardown));
}
