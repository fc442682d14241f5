/*
 * Unit tests for the read snapshot of a request (store_read_begin() and
 * store_read_end(), server/store.c): the reads between them see one
 * snapshot, and whatever writes ends it first, so that a write neither
 * starts from a stale snapshot (SQLITE_BUSY_SNAPSHOT) nor hides itself
 * and others' writes from the reads after it.
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

static struct store_pair sp;
static struct store *r;   /* a worker's connection (store_thread()) */
static struct store *w;   /* another writer, as another process would be */

static int
setup(void **state)
{
	(void)state;
	if (store_pair_open(&sp, "store-read") == -1)
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

static int
exists(struct store *s, const char *name)
{
	struct principal who;

	return (store_user_get(s, name, &who));   /* 0 found, 1 not */
}

static void
add(struct store *s, const char *name)
{
	int64_t id;

	assert_int_equal(store_user_add(s, name, "viewer", NULL, NULL,
	    1700000000, &id), 0);
}

static void
test_one_snapshot(void **state)
{
	(void)state;
	store_read_begin(r);
	assert_int_equal(exists(r, "ann"), 1);
	add(w, "ann");
	assert_int_equal(exists(r, "ann"), 1);   /* still the snapshot */
	store_read_end(r);
	assert_int_equal(exists(r, "ann"), 0);
	store_read_end(r);                         /* a no-op */
}

static void
test_write_ends_snapshot(void **state)
{
	(void)state;
	store_read_begin(r);
	assert_int_equal(exists(r, "bob"), 1);
	add(w, "bob");
	/* Outside a transaction, on the reading connection: from the stale
	 * snapshot SQLite would refuse it (SQLITE_BUSY_SNAPSHOT). */
	add(r, "cat");
	assert_int_equal(exists(r, "bob"), 0);
	assert_int_equal(exists(r, "cat"), 0);
	store_read_end(r);
	assert_int_equal(exists(w, "cat"), 0);
}

static void
test_begin_ends_snapshot(void **state)
{
	(void)state;
	store_read_begin(r);
	assert_int_equal(exists(r, "dan"), 1);
	add(w, "dan");
	assert_int_equal(store_begin(r), 0);
	add(r, "eve");
	assert_int_equal(store_commit(r), 0);
	assert_int_equal(exists(r, "dan"), 0);
	assert_int_equal(exists(r, "eve"), 0);
	store_read_end(r);
	assert_int_equal(exists(w, "eve"), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_snapshot),
		cmocka_unit_test(test_write_ends_snapshot),
		cmocka_unit_test(test_begin_ends_snapshot),
	};

	return (cmocka_run_group_tests(tests, setup, teardown));
}
