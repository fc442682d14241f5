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
#include <unistd.h>

#include <cmocka.h>

#include "auth.h"
#include "store.h"
#include "store_api.h"

static char dir[] = "/tmp/bc-store-read-XXXXXX";
static char path[sizeof(dir) + 16];
static struct store *r;   /* a worker's connection (store_thread()) */
static struct store *w;   /* another writer, as another process would be */

static int
setup(void **state)
{
	struct store *m;

	(void)state;
	if (mkdtemp(dir) == NULL)
		return (-1);
	snprintf(path, sizeof(path), "%s/t.db", dir);
	store_set_path(path);
	if ((m = store_open(path)) == NULL || store_migrate(m, NULL) == -1)
		return (-1);
	store_close(m);
	r = store_thread();
	w = store_open(path);
	return (r != NULL && w != NULL ? 0 : -1);
}

static int
teardown(void **state)
{
	char p[sizeof(path) + 8];

	(void)state;
	store_close(w);
	store_shutdown();
	unlink(path);
	snprintf(p, sizeof(p), "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", path);
	unlink(p);
	rmdir(dir);
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
