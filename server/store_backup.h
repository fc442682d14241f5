/*
 * store_backup: copy a live database and put such a copy back
 * (breachclockd backup and restore).
 *
 * A backup is taken with SQLite's online backup API inside one read
 * transaction on the source, so the copy is the database exactly as it was
 * at one instant although breachclockd goes on writing (WAL lets a reader
 * and the writer work at once).  Pages are copied in steps of
 * STORE_BACKUP_STEP.  The copy is a single file in rollback-journal mode,
 * written beside the target under a temporary name, synced, then linked
 * into place, so a crash never leaves half a backup under its name.
 *
 * A restore checks the copy (PRAGMA integrity_check, a breachclock schema
 * no newer than this program), stages it beside the target under a
 * temporary name, and renames it over the target while holding an
 * exclusive lock on the old database, which fails (the database is "in
 * use") while any other process, such as a running breachclockd, has it
 * open.
 */
#ifndef BREACHCLOCK_STORE_BACKUP_H
#define BREACHCLOCK_STORE_BACKUP_H

#include <stddef.h>
#include <stdint.h>

#define STORE_BACKUP_STEP 256 /* pages per sqlite3_backup_step() */

/* What a backup or a staged restore holds. */
struct store_backup_info {
	int64_t pages;        /* database pages copied */
	int schema_version;   /* PRAGMA user_version: migrations applied */
};

/*
 * Copy database db to the new file to (which must not exist: 1 if it
 * does).  *info gets what was copied.  0, 1 or -1 (logged).
 */
int store_backup_copy(const char *db, const char *to,
    struct store_backup_info *info);

/*
 * Is database db open in another process?  0 no (or it does not exist),
 * 1 yes, -1 on an error (logged).
 */
int store_backup_in_use(const char *db);

/*
 * Check the backup from and copy it to a new temporary file beside db,
 * whose path goes into tmp (len bytes).  Fails (-1, logged, nothing left
 * behind) when from is not a sound breachclock database whose schema this
 * program knows.  The caller migrates and verifies the staged copy, then
 * calls store_backup_install() or store_backup_discard().
 */
int store_backup_stage(const char *from, const char *db, char *tmp,
    size_t len, struct store_backup_info *info);

/*
 * Put the staged copy tmp in place of db atomically (rename), holding an
 * exclusive lock on the old database meanwhile.  1 (and nothing changed)
 * when db is in use; 0 or -1 (logged).  tmp is gone afterwards unless 1
 * or -1 is returned.  Run as root, it first gives tmp to the owner of
 * db's directory.
 */
int store_backup_install(const char *tmp, const char *db);

/* Remove a staged copy and its -wal and -shm files. */
void store_backup_discard(const char *tmp);

#endif
