/* store_backup: online backup and restore (see store_backup.h). */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "migrations.h"
#include "store_backup.h"

#define BUSY_MS 10000
#define BUSY_RETRIES 200 /* of 50 ms each, when a step finds a lock */

static void
fail(const char *msg, const char *path, sqlite3 *db)
{
	log_event(LOG_ERROR, msg, "path", path, "error", db != NULL ?
	    sqlite3_errmsg(db) : strerror(errno), NULL);
}

/* Run sql; with out, copy the first column of its first row there. */
static int
exec1(sqlite3 *db, const char *sql, char *out, size_t len)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return (sqlite3_errcode(db));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (out != NULL) {
			snprintf(out, len, "%s", sqlite3_column_text(st, 0) !=
			    NULL ? (const char *)sqlite3_column_text(st, 0) :
			    "");
			out = NULL;
		}
	sqlite3_finalize(st);
	return (rc == SQLITE_DONE ? SQLITE_OK : rc);
}

/* fsync a file, or the directory that holds it (dir == true). */
static int
sync_path(const char *path, bool dir)
{
	char copy[PATH_MAX];
	int fd, rc;

	snprintf(copy, sizeof(copy), "%s", path);
	if ((fd = open(dir ? dirname(copy) : path, (dir ? O_RDONLY |
	    O_DIRECTORY : O_RDWR) | O_CLOEXEC)) == -1)
		return (-1);
	rc = fsync(fd);
	close(fd);
	return (rc);
}

/* A new empty file beside path, named path.WHAT-XXXXXX, into tmp. */
static int
temp_beside(const char *path, const char *what, char *tmp, size_t len)
{
	int fd, w;

	w = snprintf(tmp, len, "%s.%s-XXXXXX", path, what);
	if (w < 0 || (size_t)w >= len) {
		log_event(LOG_ERROR, "path too long", "path", path, NULL);
		return (-1);
	}
	if ((fd = mkstemp(tmp)) == -1) {
		fail("cannot create a temporary file", tmp, NULL);
		return (-1);
	}
	close(fd);
	return (0);
}

void
store_backup_discard(const char *tmp)
{
	char p[PATH_MAX + 8];

	unlink(tmp);
	snprintf(p, sizeof(p), "%s-wal", tmp);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", tmp);
	unlink(p);
	snprintf(p, sizeof(p), "%s-journal", tmp);
	unlink(p);
}

/*
 * Copy every page of src into dst in steps, waiting out locks.  The
 * caller holds a read transaction on src, so the pages are one snapshot.
 */
static int
copy_pages(sqlite3 *dst, sqlite3 *src, const char *path, int64_t *pages)
{
	sqlite3_backup *b;
	int rc, waits = 0;

	if ((b = sqlite3_backup_init(dst, "main", src, "main")) == NULL) {
		fail("cannot start the backup", path, dst);
		return (-1);
	}
	for (;;) {
		rc = sqlite3_backup_step(b, STORE_BACKUP_STEP);
		if (rc == SQLITE_DONE)
			break;
		if (rc == SQLITE_OK)
			continue;
		if ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) &&
		    waits++ < BUSY_RETRIES) {
			sqlite3_sleep(50);
			continue;
		}
		break;
	}
	*pages = sqlite3_backup_pagecount(b);
	if (sqlite3_backup_finish(b) != SQLITE_OK || rc != SQLITE_DONE) {
		fail("backup step failed", path, dst);
		return (-1);
	}
	return (0);
}

/* Leave dst a single file in rollback-journal mode, checked; close it. */
static int
finish_copy(sqlite3 *dst, const char *path, struct store_backup_info *info)
{
	char mode[16] = "", check[64] = "", version[16] = "";

	if (exec1(dst, "PRAGMA journal_mode = DELETE", mode, sizeof(mode)) !=
	    SQLITE_OK || strcmp(mode, "delete") != 0 ||
	    exec1(dst, "PRAGMA quick_check", check, sizeof(check)) !=
	    SQLITE_OK || exec1(dst, "PRAGMA user_version", version,
	    sizeof(version)) != SQLITE_OK) {
		fail("cannot finish the copy", path, dst);
		sqlite3_close(dst);
		return (-1);
	}
	info->schema_version = (int)strtol(version, NULL, 10);
	if (sqlite3_close(dst) != SQLITE_OK) {
		fail("cannot close the copy", path, dst);
		return (-1);
	}
	if (strcmp(check, "ok") != 0) {
		log_event(LOG_ERROR, "the copy fails its check", "path", path,
		    "check", check, NULL);
		return (-1);
	}
	if (sync_path(path, false) == -1) {
		fail("cannot sync the copy", path, NULL);
		return (-1);
	}
	return (0);
}

int
store_backup_copy(const char *db, const char *to,
    struct store_backup_info *info)
{
	sqlite3 *src = NULL, *dst = NULL;
	struct stat st;
	char tmp[PATH_MAX];
	int rc = -1;

	memset(info, 0, sizeof(*info));
	if (lstat(to, &st) == 0) {
		log_event(LOG_ERROR, "the backup file exists already; choose "
		    "a new name", "path", to, NULL);
		return (1);
	}
	if (sqlite3_open_v2(db, &src, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK) {
		fail("cannot open the database", db, src);
		sqlite3_close(src);
		return (-1);
	}
	sqlite3_busy_timeout(src, BUSY_MS);
	/* One read transaction for the whole copy: one snapshot. */
	if (exec1(src, "BEGIN", NULL, 0) != SQLITE_OK ||
	    exec1(src, "SELECT count(*) FROM sqlite_schema", NULL, 0) !=
	    SQLITE_OK) {
		fail("cannot read the database", db, src);
		goto out;
	}
	if (temp_beside(to, "tmp", tmp, sizeof(tmp)) == -1)
		goto out;
	if (sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK) {
		fail("cannot open the copy", tmp, dst);
		sqlite3_close(dst);
		goto discard;
	}
	if (copy_pages(dst, src, db, &info->pages) == -1) {
		sqlite3_close(dst);
		goto discard;
	}
	if (finish_copy(dst, tmp, info) == -1)
		goto discard;
	/* link() will not replace a file that appeared meanwhile. */
	if (link(tmp, to) == -1) {
		fail("cannot put the backup in place", to, NULL);
		goto discard;
	}
	unlink(tmp);
	if (sync_path(to, true) == -1) {
		fail("cannot sync the backup's directory", to, NULL);
		goto out;
	}
	rc = 0;
	goto out;
discard:
	store_backup_discard(tmp);
out:
	(void)exec1(src, "COMMIT", NULL, 0);
	sqlite3_close(src);
	return (rc);
}

/*
 * Open db (which must exist) and take an exclusive lock that keeps every
 * other process out: an exclusive transaction in exclusive locking mode,
 * which a WAL database grants only while no other connection has it open.
 * To install (replace), first take the database out of WAL mode, which
 * needs every other connection closed too and folds the WAL into the
 * file; without, nothing in the file changes.  *out gets the connection,
 * NULL when db does not exist.  0, 1 (in use) or -1.
 */
static int
lock_target(const char *db, bool replace, sqlite3 **out)
{
	char mode[16] = "", wal[PATH_MAX + 8];
	sqlite3 *t = NULL;
	struct stat st;
	int rc;

	*out = NULL;
	if (stat(db, &st) == -1 && errno == ENOENT)
		return (0);
	if (sqlite3_open_v2(db, &t, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK) {
		fail("cannot open the database", db, t);
		sqlite3_close(t);
		return (-1);
	}
	sqlite3_busy_timeout(t, 0);
	rc = exec1(t, "PRAGMA locking_mode = EXCLUSIVE", NULL, 0);
	if (rc == SQLITE_OK && replace) {
		rc = exec1(t, "PRAGMA journal_mode = DELETE", mode,
		    sizeof(mode));
		if (rc == SQLITE_OK && strcmp(mode, "delete") != 0)
			rc = SQLITE_BUSY;
	}
	if (rc == SQLITE_OK)
		rc = exec1(t, "BEGIN EXCLUSIVE", NULL, 0);
	snprintf(wal, sizeof(wal), "%s-wal", db);
	if (rc == SQLITE_OK && replace && stat(wal, &st) == 0)
		rc = SQLITE_BUSY;
	if (rc != SQLITE_OK) {
		if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED)
			fail("cannot lock the database", db, t);
		sqlite3_close(t);
		return ((rc & 0xff) == SQLITE_BUSY ||
		    (rc & 0xff) == SQLITE_LOCKED ? 1 : -1);
	}
	*out = t;
	return (0);
}

/* Let go of the lock of lock_target(). */
static void
unlock_target(sqlite3 *t)
{
	if (t == NULL)
		return;
	(void)exec1(t, "ROLLBACK", NULL, 0);
	sqlite3_close(t);
}

int
store_backup_in_use(const char *db)
{
	sqlite3 *t;
	int rc;

	if ((rc = lock_target(db, false, &t)) != 0)
		return (rc);
	unlock_target(t);
	return (0);
}

int
store_backup_stage(const char *from, const char *db, char *tmp, size_t len,
    struct store_backup_info *info)
{
	sqlite3 *src = NULL, *dst = NULL;
	char known[16], check[256] = "", version[16] = "", tables[16] = "";
	int rc = -1, v;

	memset(info, 0, sizeof(*info));
	tmp[0] = '\0';
	/* Read-only: a backup is never changed by being restored. */
	if (sqlite3_open_v2(from, &src, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK) {
		fail("cannot open the backup", from, src);
		sqlite3_close(src);
		return (-1);
	}
	sqlite3_busy_timeout(src, BUSY_MS);
	if (exec1(src, "PRAGMA integrity_check", check, sizeof(check)) !=
	    SQLITE_OK || strcmp(check, "ok") != 0) {
		log_event(LOG_ERROR, "the backup fails PRAGMA integrity_check",
		    "path", from, "check", check, "error", sqlite3_errmsg(src),
		    NULL);
		goto out;
	}
	if (exec1(src, "PRAGMA user_version", version, sizeof(version)) !=
	    SQLITE_OK || exec1(src, "SELECT count(*) FROM sqlite_schema "
	    "WHERE type = 'table' AND name IN ('users', 'incidents', "
	    "'events')", tables, sizeof(tables)) != SQLITE_OK) {
		fail("cannot read the backup", from, src);
		goto out;
	}
	v = (int)strtol(version, NULL, 10);
	if (strcmp(tables, "3") != 0 || v < 1) {
		log_event(LOG_ERROR, "the backup is not a breachclock "
		    "database", "path", from, NULL);
		goto out;
	}
	if (v > migrations_count) {
		snprintf(known, sizeof(known), "%d", migrations_count);
		log_event(LOG_ERROR, "the backup is newer than this program",
		    "path", from, "schema_version", version, "known", known,
		    NULL);
		goto out;
	}
	info->schema_version = v;
	if (temp_beside(db, "restore", tmp, len) == -1)
		goto out;
	if (sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK) {
		fail("cannot open the staged copy", tmp, dst);
		sqlite3_close(dst);
		goto discard;
	}
	if (exec1(src, "BEGIN", NULL, 0) != SQLITE_OK ||
	    copy_pages(dst, src, from, &info->pages) == -1) {
		sqlite3_close(dst);
		goto discard;
	}
	if (finish_copy(dst, tmp, info) == -1)
		goto discard;
	rc = 0;
	goto out;
discard:
	store_backup_discard(tmp);
	tmp[0] = '\0';
out:
	(void)exec1(src, "COMMIT", NULL, 0);
	sqlite3_close(src);
	return (rc);
}

int
store_backup_install(const char *tmp, const char *db)
{
	sqlite3 *t, *staged = NULL;
	char mode[16] = "", shm[PATH_MAX + 8], dir[PATH_MAX];
	struct stat st;
	int rc;

	/* The staged copy was migrated and verified, in WAL mode: fold its
	 * WAL back in and leave it a single file. */
	if (sqlite3_open_v2(tmp, &staged, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK || exec1(staged, "PRAGMA journal_mode = DELETE", mode,
	    sizeof(mode)) != SQLITE_OK || strcmp(mode, "delete") != 0) {
		fail("cannot finish the staged copy", tmp, staged);
		sqlite3_close(staged);
		return (-1);
	}
	if (sqlite3_close(staged) != SQLITE_OK || sync_path(tmp, false) ==
	    -1) {
		fail("cannot sync the staged copy", tmp, NULL);
		return (-1);
	}
	/* Run as root, give the new file to the owner of the directory
	 * (the service's user), as the old one most likely was. */
	snprintf(dir, sizeof(dir), "%s", db);
	if (geteuid() == 0 && (stat(dirname(dir), &st) == -1 ||
	    chown(tmp, st.st_uid, st.st_gid) == -1)) {
		fail("cannot give the staged copy to the directory's owner",
		    tmp, NULL);
		return (-1);
	}
	if ((rc = lock_target(db, true, &t)) != 0) {
		if (rc == 1)
			log_event(LOG_ERROR, "the database is in use; stop "
			    "breachclockd first", "path", db, NULL);
		return (rc);
	}
	/* The old database has no WAL now (lock_target), so nothing of it
	 * can be replayed into the new one; no other process uses it, so
	 * its shared-memory index can go too. */
	snprintf(shm, sizeof(shm), "%s-shm", db);
	unlink(shm);
	if (rename(tmp, db) == -1) {
		fail("cannot put the restored database in place", db, NULL);
		unlock_target(t);
		return (-1);
	}
	rc = sync_path(db, true);
	unlock_target(t);
	if (rc == -1) {
		fail("cannot sync the database's directory", db, NULL);
		return (-1);
	}
	return (0);
}
