/*
 * store: the SQLite database.  All SQL lives in the store_*.c files; the
 * rest of the server calls these functions and never sqlite3 itself.
 *
 * Each worker thread has its own connection (store_thread()), opened on
 * first use with WAL, synchronous=FULL and foreign keys on, and keeps its
 * statements prepared for the life of the connection.  Writes run inside
 * store_begin() ... store_commit(), BEGIN IMMEDIATE, so concurrent writers
 * queue on SQLite's lock instead of failing half-way.  store_commit()
 * returns once the transaction is on disk; transactions that commit
 * together share one fsync of the WAL (group commit, store.c).
 */
#ifndef BREACHCLOCK_STORE_H
#define BREACHCLOCK_STORE_H

#include <jansson.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "req.h"
#include "store_sql.h"

struct store;

/* Set SQLite up for this process; call first, before any thread. */
void store_global_init(void);

/* Open (creating if needed) the database at path.  NULL on error (logged).
 * Free with store_close(). */
struct store *store_open(const char *path);

/* Close the connection and finalize its statements.  NULL is a no-op. */
void store_close(struct store *s);

/* Remember the path used by store_thread(). Call once before serving. */
void store_set_path(const char *path);

/* This thread's connection, opened on first use; borrowed, NULL on error. */
struct store *store_thread(void);

/* Close every connection store_thread() opened.  Call after the worker
 * threads have stopped. */
void store_shutdown(void);

/*
 * Apply the embedded migrations the database has not seen yet, each in its
 * own transaction, tracked by PRAGMA user_version.  *applied (may be NULL)
 * gets how many were applied.  0 or -1 (a database newer than this binary
 * is an error).
 */
int store_migrate(struct store *s, int *applied);

/* Transactions: 0 or -1.  store_rollback() is safe when none is open. */
int store_begin(struct store *s);
int store_commit(struct store *s);
void store_rollback(struct store *s);

/*
 * One read snapshot from store_read_begin() to store_read_end() (a request
 * that only reads).  Anything that writes ends it early: store_begin(), or
 * a statement from store_stmt() that is not read-only.  Both are no-ops
 * when there is nothing to do.
 */
void store_read_begin(struct store *s);
void store_read_end(struct store *s);

/*
 * What this connection sees, as a mark that differs from an earlier one
 * once anything has been committed since: by another connection or
 * process (PRAGMA data_version) or by this one (sqlite3_total_changes64()).
 * Takes the read snapshot when one is open and not begun yet.  0, or -1
 * inside a transaction or on an error.
 */
struct store_mark {
	int64_t others, own;
};
int store_mark(struct store *s, struct store_mark *m);

/*
 * The bearer tokens this connection has found live (store_token_auth()),
 * valid while its mark holds.  Zeroed with the store; store_users.c's.
 */
#define STORE_TOKEN_CACHE 8
struct store_token_cache {
	struct store_mark mark;
	size_t n, next;
	struct store_token {
		unsigned char hash[32];
		int64_t expires_at;        /* INT64_MIN: never */
		struct principal who;
	} e[STORE_TOKEN_CACHE];
};
struct store_token_cache *store_token_cache(struct store *s);

/*
 * The prepared statement for id, reset and with its bindings cleared;
 * borrowed from the store (prepared on first use, kept until close).
 * NULL on error (logged).
 */
sqlite3_stmt *store_stmt(struct store *s, enum store_sql id);

/* Bind helpers by parameter name (":title"); a missing name is a
 * programming error, logged and returned as -1. */
int store_bind_text(sqlite3_stmt *st, const char *name, const char *v);
int store_bind_int(sqlite3_stmt *st, const char *name, int64_t v);
int store_bind_null(sqlite3_stmt *st, const char *name);
/* Bind n bytes at v (copied; n is small). */
int store_bind_blob(sqlite3_stmt *st, const char *name, const void *v,
    size_t n);
/* Bind v, or NULL when v == INT64_MIN. */
int store_bind_time(sqlite3_stmt *st, const char *name, int64_t v);

/* Step a statement that returns no row (or whose rows are ignored). */
int store_exec_stmt(sqlite3_stmt *st);

/* Fill *p from the current row: columns 0-3 are the user's id, name,
 * role and email, column tzcol their time zone (store_users.c). */
void store_user_principal(sqlite3_stmt *st, int tzcol, struct principal *p);

/* Log the connection's last error with a context message. */
void store_log_error(struct store *s, const char *what);

/*
 * Why the last store call on this thread failed, when the cause is the
 * database's storage and not the request or a bug (SQLite's primary
 * result code): STORE_FAULT_BUSY when still locked after the busy timeout
 * (SQLITE_BUSY), STORE_FAULT_STORAGE when the disk is full, the database
 * read-only, an I/O failed or the file cannot be opened (SQLITE_FULL,
 * SQLITE_READONLY, SQLITE_IOERR, SQLITE_CANTOPEN).  Every failure the
 * store logs records its class; store_fault_clear() (at the start of each
 * request) forgets it.  api_internal() answers these 503, not 500.
 */
enum store_fault {
	STORE_FAULT_NONE,
	STORE_FAULT_BUSY,
	STORE_FAULT_STORAGE,
};
enum store_fault store_fault(void);
void store_fault_clear(void);

/*
 * Step st once: 0 with a row to read, 1 when there is none (st reset),
 * -1 on an error (logged with what, st reset).
 */
int store_row(struct store *s, sqlite3_stmt *st, const char *what);

/* Step st, whose one row is one integer (a count), and reset it: the
 * integer, or -1 on an error (logged with what). */
int64_t store_count(struct store *s, sqlite3_stmt *st, const char *what);

/* A risk filter ("none" or a level) as the column holds it: NULL for
 * "none". */
const char *store_risk_is(const char *risk);

/*
 * Turn rows into a new JSON array *items: row(st) returns a new value for
 * the current row (NULL is an error).  With limit > 0, at most limit rows
 * are taken and *next gets the first column (the id) of the last one when
 * more rows follow, else 0 (next may be NULL when limit is 0).  st is
 * reset.  0 or -1 (logged with what).
 */
int store_rows(struct store *s, sqlite3_stmt *st, json_t *(*row)(sqlite3_stmt *),
    int64_t limit, json_t **items, int64_t *next, const char *what);

/* Log the error of a failed step, reset st and return -1. */
int store_fail(struct store *s, sqlite3_stmt *st, const char *what);

/* The connection (for store_*.c only). */
sqlite3 *store_db(struct store *s);

/* Column helpers: an INTEGER column or INT64_MIN when NULL; a TEXT column
 * or NULL (borrowed until the next step/reset). */
int64_t store_col_time(sqlite3_stmt *st, int col);
const char *store_col_text(sqlite3_stmt *st, int col);

#endif
