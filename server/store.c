#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "migrations.h"
#include "store.h"

#define STORE_MAX_THREADS 512
#define STORE_BUSY_MS 10000
#define STORE_WAL_CHECKPOINT 1000  /* frames: SQLite's default */

/*
 * Group commit (issue 8: one fsync per create capped durable creates at
 * the disk's fsyncs per second).  A transaction commits with synchronous
 * NORMAL, so SQLite writes its WAL frames without an fsync; store_commit()
 * then waits until an fsync of the WAL that began after the commit has
 * finished.  One committer (the leader) syncs for every commit made so
 * far while the others wait for it, so writers that commit together share
 * one fsync instead of queueing for one each.  When store_commit()
 * returns 0 the transaction is on disk, as with synchronous FULL (a
 * checkpoint syncs the WAL before it copies frames and the database after,
 * and the WAL restarts only after a complete checkpoint).  Writes outside
 * store_begin() keep synchronous FULL.  One group per database file.
 */
#define SYNC_GROUPS 8

struct sync_group {
	char path[1024];           /* the database file; "" unused */
	uint64_t written;          /* commits counted so far */
	uint64_t synced;           /* commits known to be on disk */
	bool busy;                 /* a leader is syncing */
	/* Writers of this process take turns here, not in SQLite's busy
	 * handler, which sleeps 1, 2, 5, 10 ... ms between tries however
	 * soon the lock is free (a create holds it for well under one).
	 * Held from BEGIN to COMMIT or ROLLBACK, not during the fsync. */
	pthread_mutex_t writer;
	/* The connection that the worker threads' transactions run on, so
	 * that its page cache stays warm: SQLite drops a connection's whole
	 * cache when another connection has written, and with each thread
	 * writing through its own, every transaction began by reading its
	 * pages back (half of a create's CPU was the kernel copying pages).
	 * Opened on first use; used only by the holder of writer. */
	struct store *conn;
};

/* Transaction control, prepared once per connection (sqlite3_exec()
 * parsed each of them anew: a tenth of the cost of a create). */
enum tx_sql { TX_BEGIN, TX_COMMIT, TX_ROLLBACK, TX_SYNC_NORMAL,
	TX_SYNC_FULL, TX_READ, TX_N };
static const char *const tx_text[TX_N] = { "BEGIN IMMEDIATE", "COMMIT",
	"ROLLBACK", "PRAGMA synchronous = NORMAL", "PRAGMA synchronous = FULL",
	"BEGIN DEFERRED" };

struct store {
	sqlite3 *db;
	sqlite3_stmt *stmt[STORE_NSQL];
	sqlite3_stmt *tx[TX_N];
	bool in_tx;
	bool reading;              /* in store_read_begin() ... _end() */
	struct sync_group *group;  /* NULL: not found (no group commit) */
	bool pooled;               /* a worker's: writes through group->conn */
	struct store *via;         /* in a transaction: group->conn */
	/* Set by on_wal() while store_begin() ... store_commit() runs a
	 * transaction on this connection. */
	bool managed;
	bool wrote;                /* the commit wrote WAL frames */
	bool checkpoint;           /* and the WAL is due a checkpoint */
	struct store_token_cache tokens;
};

static pthread_mutex_t sync_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t sync_cond = PTHREAD_COND_INITIALIZER;
static struct sync_group sync_groups[SYNC_GROUPS];

static const char *const sql_text[STORE_NSQL] = {
#define X(name, text) [STORE_SQL_##name] = text,
	STORE_SQL_LIST(X)
#undef X
};

static char *db_path;
static pthread_mutex_t reg_lock = PTHREAD_MUTEX_INITIALIZER;
static struct store *registry[STORE_MAX_THREADS];
static size_t nregistry;
static _Thread_local struct store *thread_store;
static _Thread_local enum store_fault thread_fault;
static atomic_flag readonly_warned = ATOMIC_FLAG_INIT;

/* Remember the class of a failure with SQLite result code rc. */
static void
note_fault(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_BUSY:
		thread_fault = STORE_FAULT_BUSY;
		break;
	case SQLITE_FULL:
	case SQLITE_READONLY:
	case SQLITE_IOERR:
	case SQLITE_CANTOPEN:
		thread_fault = STORE_FAULT_STORAGE;
		break;
	default:
		break;
	}
}

enum store_fault
store_fault(void)
{
	return (thread_fault);
}

void
store_fault_clear(void)
{
	thread_fault = STORE_FAULT_NONE;
}

sqlite3 *
store_db(struct store *s)
{
	return (s->via != NULL ? s->via->db : s->db);
}

void
store_log_error(struct store *s, const char *what)
{
	note_fault(sqlite3_extended_errcode(store_db(s)));
	log_event(LOG_ERROR, "database error", "op", what, "error",
	    sqlite3_errmsg(store_db(s)), NULL);
}

int
store_fail(struct store *s, sqlite3_stmt *st, const char *what)
{
	store_log_error(s, what);
	sqlite3_reset(st);
	return (-1);
}

int
store_row(struct store *s, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW)
		return (0);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		return (1);
	}
	return (store_fail(s, st, what));
}

int64_t
store_count(struct store *s, sqlite3_stmt *st, const char *what)
{
	int64_t n;

	if (store_row(s, st, what) != 0)
		return (-1);
	n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return (n);
}

const char *
store_risk_is(const char *risk)
{
	return (strcmp(risk, "none") == 0 ? NULL : risk);
}

int
store_rows(struct store *s, sqlite3_stmt *st, json_t *(*row)(sqlite3_stmt *),
    int64_t limit, json_t **items, int64_t *next, const char *what)
{
	json_t *a, *o;
	int64_t n = 0, last = 0;
	int rc;

	*items = NULL;
	if (next != NULL)
		*next = 0;
	if ((a = json_array()) == NULL) {
		sqlite3_reset(st);
		return (-1);
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (limit > 0 && n == limit) {
			*next = last;
			break;
		}
		last = sqlite3_column_int64(st, 0);
		if ((o = row(st)) == NULL || json_array_append_new(a, o) == -1) {
			log_event(LOG_ERROR, "cannot build a row", "op", what,
			    NULL);
			sqlite3_reset(st);
			json_decref(a);
			return (-1);
		}
		n++;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		json_decref(a);
		return (store_fail(s, st, what));
	}
	sqlite3_reset(st);
	*items = a;
	return (0);
}

static int
exec(struct store *s, const char *sql)
{
	char *err = NULL;

	if (sqlite3_exec(store_db(s), sql, NULL, NULL, &err) != SQLITE_OK) {
		note_fault(sqlite3_extended_errcode(store_db(s)));
		log_event(LOG_ERROR, "database error", "op", sql, "error",
		    err != NULL ? err : sqlite3_errmsg(store_db(s)), NULL);
		sqlite3_free(err);
		return (-1);
	}
	return (0);
}

/* The group commit state of the database s has open. */
static struct sync_group *
sync_group(struct store *s)
{
	const char *path = sqlite3_db_filename(s->db, "main");
	struct sync_group *g = NULL;

	if (path == NULL || path[0] == '\0' ||
	    strlen(path) >= sizeof(g->path))
		return (NULL);
	pthread_mutex_lock(&sync_lock);
	for (size_t i = 0; i < SYNC_GROUPS && g == NULL; i++)
		if (strcmp(sync_groups[i].path, path) == 0)
			g = &sync_groups[i];
	for (size_t i = 0; i < SYNC_GROUPS && g == NULL; i++)
		if (sync_groups[i].path[0] == '\0') {
			g = &sync_groups[i];
			snprintf(g->path, sizeof(g->path), "%s", path);
			pthread_mutex_init(&g->writer, NULL);
		}
	pthread_mutex_unlock(&sync_lock);
	return (g);
}

/*
 * SQLite's WAL hook, after each commit that wrote frames, in place of its
 * own (which checkpoints past STORE_WAL_CHECKPOINT frames).  In a
 * transaction of store_begin() it only takes note: store_commit() syncs
 * only when something was written (a notifier's poll commits an empty
 * transaction), and checkpoints after it has let the next writer in.
 */
static int
on_wal(void *arg, sqlite3 *db, const char *name, int frames)
{
	struct store *s = arg;

	if (!s->managed) {
		if (frames >= STORE_WAL_CHECKPOINT)
			(void)sqlite3_wal_checkpoint_v2(db, name,
			    SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
		return (SQLITE_OK);
	}
	s->wrote = true;
	if (frames >= STORE_WAL_CHECKPOINT)
		s->checkpoint = true;
	return (SQLITE_OK);
}

/* fsync the WAL (or rollback journal) of s through SQLite's own handle. */
static int
wal_sync(struct store *s)
{
	sqlite3_file *f = NULL;
	int rc;

	if (sqlite3_file_control(s->db, "main", SQLITE_FCNTL_JOURNAL_POINTER,
	    &f) != SQLITE_OK || f == NULL || f->pMethods == NULL) {
		/* This connection has not opened the WAL: the writer has. */
		if (s->group != NULL && s->group->conn != NULL && s->pooled) {
			pthread_mutex_lock(&s->group->writer);
			rc = wal_sync(s->group->conn) == 0 ? SQLITE_OK :
			    SQLITE_IOERR_FSYNC;
			pthread_mutex_unlock(&s->group->writer);
			return (rc == SQLITE_OK ? 0 : -1);
		}
		rc = SQLITE_IOERR_FSYNC;
	} else {
		rc = f->pMethods->xSync(f, SQLITE_SYNC_NORMAL);
	}
	if (rc != SQLITE_OK) {
		note_fault(rc);
		log_event(LOG_ERROR, "database error", "op", "fsync of the WAL",
		    "error", sqlite3_errstr(rc), NULL);
		return (-1);
	}
	return (0);
}

/* Wait until the commit just made by s is on disk (see sync_group). */
static int
group_sync(struct store *s)
{
	struct sync_group *g = s->group;
	uint64_t mine, upto;
	int rc = 0;

	if (g == NULL)
		return (0);  /* not a file (or no group): committed with FULL */
	pthread_mutex_lock(&sync_lock);
	mine = ++g->written;
	while (g->synced < mine) {
		if (g->busy) {
			pthread_cond_wait(&sync_cond, &sync_lock);
			continue;
		}
		g->busy = true;
		upto = g->written;
		pthread_mutex_unlock(&sync_lock);
		rc = wal_sync(s);
		pthread_mutex_lock(&sync_lock);
		g->busy = false;
		if (rc == 0 && upto > g->synced)
			g->synced = upto;
		pthread_cond_broadcast(&sync_cond);
		if (rc == -1)
			break;
	}
	pthread_mutex_unlock(&sync_lock);
	return (rc);
}

struct store *
store_open(const char *path)
{
	struct store *s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return (NULL);
	if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		note_fault(SQLITE_CANTOPEN);
		log_event(LOG_ERROR, "cannot open database", "path", path,
		    "error", s->db != NULL ? sqlite3_errmsg(s->db) : "no memory",
		    NULL);
		goto err;
	}
	sqlite3_extended_result_codes(s->db, 1);
	if (sqlite3_busy_timeout(s->db, STORE_BUSY_MS) != SQLITE_OK ||
	    exec(s, "PRAGMA journal_mode = WAL") == -1 ||
	    exec(s, "PRAGMA synchronous = FULL") == -1 ||
	    exec(s, "PRAGMA foreign_keys = ON") == -1)
		goto err;
	s->group = sync_group(s);
	sqlite3_wal_hook(s->db, on_wal, s);
	/* SQLite opens a file it may not write read-only; all connections
	 * of the process then share one read-only WAL index, so writes stay
	 * refused (503) until a restart even once the file is writable. */
	if (sqlite3_db_readonly(s->db, "main") == 1 &&
	    !atomic_flag_test_and_set(&readonly_warned))
		log_event(LOG_WARN, "database is read-only: reads only, writes "
		    "are refused until it is writable and the server restarts",
		    "path", path, NULL);
	return (s);
err:
	sqlite3_close(s->db);
	free(s);
	return (NULL);
}

void
store_close(struct store *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < STORE_NSQL; i++)
		sqlite3_finalize(s->stmt[i]);
	for (size_t i = 0; i < TX_N; i++)
		sqlite3_finalize(s->tx[i]);
	sqlite3_close(s->db);
	free(s);
}

void
store_global_init(void)
{
	/* SQLite's allocation statistics (sqlite3_memory_used(), never read
	 * here) take one process-wide mutex on every allocation, and the
	 * worker threads queued on it. */
	(void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

void
store_set_path(const char *path)
{
	free(db_path);
	db_path = strdup(path);
}

struct store *
store_thread(void)
{
	struct store *s;

	if (thread_store != NULL)
		return (thread_store);
	if (db_path == NULL || (s = store_open(db_path)) == NULL)
		return (NULL);
	s->pooled = true;
	pthread_mutex_lock(&reg_lock);
	if (nregistry == STORE_MAX_THREADS) {
		pthread_mutex_unlock(&reg_lock);
		store_close(s);
		log_event(LOG_ERROR, "too many database connections", NULL);
		return (NULL);
	}
	registry[nregistry++] = s;
	pthread_mutex_unlock(&reg_lock);
	thread_store = s;
	return (s);
}

void
store_shutdown(void)
{
	pthread_mutex_lock(&reg_lock);
	for (size_t i = 0; i < nregistry; i++)
		store_close(registry[i]);
	nregistry = 0;
	pthread_mutex_unlock(&reg_lock);
	pthread_mutex_lock(&sync_lock);
	for (size_t i = 0; i < SYNC_GROUPS; i++) {
		store_close(sync_groups[i].conn);
		sync_groups[i].conn = NULL;
	}
	pthread_mutex_unlock(&sync_lock);
	thread_store = NULL;
	free(db_path);
	db_path = NULL;
}

static int
user_version(struct store *s, int *v)
{
	sqlite3_stmt *st;
	int rc = -1;

	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) !=
	    SQLITE_OK)
		return (-1);
	if (sqlite3_step(st) == SQLITE_ROW) {
		*v = sqlite3_column_int(st, 0);
		rc = 0;
	}
	sqlite3_finalize(st);
	return (rc);
}

/* 0 when no row breaks a foreign key, else -1 (logged). */
static int
foreign_keys_ok(struct store *s)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(s->db, "PRAGMA foreign_key_check", -1, &st,
	    NULL) != SQLITE_OK)
		return (-1);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		log_event(LOG_ERROR, "migration breaks a foreign key", "table",
		    (const char *)sqlite3_column_text(st, 0), NULL);
	sqlite3_finalize(st);
	return (rc == SQLITE_DONE ? 0 : -1);
}

int
store_migrate(struct store *s, int *applied)
{
	char pragma[64];
	int v, n = 0;
	bool upgrade;

	if (applied != NULL)
		*applied = 0;
	if (user_version(s, &v) == -1) {
		store_log_error(s, "read user_version");
		return (-1);
	}
	if (v > migrations_count) {
		log_event(LOG_ERROR, "database is newer than this program",
		    "migrations", migrations[migrations_count - 1].name, NULL);
		return (-1);
	}
	/* Foreign keys are off while tables are rebuilt and checked before
	 * each commit (SQLite's documented steps for schema changes). */
	if (v < migrations_count && exec(s, "PRAGMA foreign_keys = OFF") == -1)
		return (-1);
	upgrade = v > 0;
	for (; v < migrations_count; v++) {
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d",
		    v + 1);
		/* A migration of a database with data in it can take a while
		 * (017: 21 s at a million incidents): say so before it. */
		if (upgrade)
			log_event(LOG_INFO, "migrating", "migration",
			    migrations[v].name, NULL);
		if (store_begin(s) == -1)
			goto fail;
		if (exec(s, migrations[v].sql) == -1 || exec(s, pragma) == -1 ||
		    foreign_keys_ok(s) == -1) {
			store_rollback(s);
			log_event(LOG_ERROR, "migration failed", "migration",
			    migrations[v].name, NULL);
			goto fail;
		}
		if (store_commit(s) == -1)
			goto fail;
		log_event(LOG_INFO, "migrated", "migration",
		    migrations[v].name, NULL);
		n++;
	}
	if (applied != NULL)
		*applied = n;
	return (exec(s, "PRAGMA foreign_keys = ON"));
fail:
	(void)exec(s, "PRAGMA foreign_keys = ON");
	return (-1);
}

/* Run transaction control statement id: 0 or -1 (logged). */
static int
tx(struct store *s, enum tx_sql id)
{
	sqlite3_stmt *st;
	int rc;

	if (s->via != NULL)
		s = s->via;
	st = s->tx[id];
	if (st == NULL && sqlite3_prepare_v3(s->db, tx_text[id], -1,
	    SQLITE_PREPARE_PERSISTENT, &s->tx[id], NULL) != SQLITE_OK)
		return (exec(s, tx_text[id]));
	st = s->tx[id];
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		note_fault(rc);
		log_event(LOG_ERROR, "database error", "op", tx_text[id],
		    "error", sqlite3_errmsg(s->db), NULL);
		return (-1);
	}
	return (0);
}

/* Let the next writer of this process in. */
static void
writer_done(struct store *s)
{
	if (s->group != NULL)
		pthread_mutex_unlock(&s->group->writer);
}

int
store_begin(struct store *s)
{
	struct store *t;

	if (s->in_tx) {
		log_event(LOG_ERROR, "database error", "op", "begin",
		    "error", "a transaction is open already", NULL);
		return (-1);
	}
	store_read_end(s);
	if (s->group != NULL)
		pthread_mutex_lock(&s->group->writer);
	if (s->pooled && s->group != NULL) {
		if (s->group->conn == NULL &&
		    (s->group->conn = store_open(s->group->path)) == NULL) {
			writer_done(s);
			return (-1);
		}
		s->via = s->group->conn;
	}
	/* store_commit() syncs (group commit, above); without a group (an
	 * in-memory database) the commit itself syncs, as FULL does. */
	if ((s->group != NULL && tx(s, TX_SYNC_NORMAL) == -1) ||
	    tx(s, TX_BEGIN) == -1) {
		(void)tx(s, TX_SYNC_FULL);
		s->via = NULL;
		writer_done(s);
		return (-1);
	}
	t = s->via != NULL ? s->via : s;
	t->managed = true;
	t->wrote = t->checkpoint = false;
	s->in_tx = true;
	return (0);
}

int
store_commit(struct store *s)
{
	struct store *t = s->via != NULL ? s->via : s;
	bool wrote, checkpoint;
	int rc;

	if (tx(s, TX_COMMIT) == -1) {
		store_rollback(s);
		return (-1);
	}
	s->in_tx = false;
	wrote = t->wrote;
	checkpoint = t->checkpoint;
	t->managed = t->wrote = t->checkpoint = false;
	rc = tx(s, TX_SYNC_FULL);
	s->via = NULL;
	writer_done(s);
	/* Committed and visible; answer only once it is on disk. */
	if (rc == -1 || (wrote && group_sync(s) == -1))
		return (-1);
	/* On this thread's own connection: writers go on meanwhile. */
	if (checkpoint)
		(void)sqlite3_wal_checkpoint_v2(s->db, "main",
		    SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	return (0);
}

void
store_rollback(struct store *s)
{
	if (!s->in_tx)
		return;
	if (sqlite3_get_autocommit(store_db(s)) == 0)
		(void)tx(s, TX_ROLLBACK);
	s->in_tx = false;
	(s->via != NULL ? s->via : s)->managed = false;
	(void)tx(s, TX_SYNC_FULL);
	s->via = NULL;
	writer_done(s);
}

/*
 * One snapshot for the reads of a request: a deferred transaction on this
 * thread's connection, so that the request takes SQLite's read lock (a
 * WAL read mark: two fcntl() and a look at the file's size) once instead
 * of once a statement.  Whatever writes ends it first (store_begin(), and
 * store_stmt() for a statement that writes outside a transaction), so a
 * write never starts from a snapshot older than the database and the
 * reads after it see it.
 */
void
store_read_begin(struct store *s)
{
	if (s->in_tx || s->reading || s->via != NULL ||
	    sqlite3_get_autocommit(s->db) == 0)
		return;
	s->reading = tx(s, TX_READ) == 0;
}

void
store_read_end(struct store *s)
{
	if (!s->reading)
		return;
	s->reading = false;
	if (sqlite3_get_autocommit(s->db) == 0 && tx(s, TX_COMMIT) == -1)
		(void)tx(s, TX_ROLLBACK);
}

sqlite3_stmt *
store_stmt(struct store *s, enum store_sql id)
{
	struct store *t = s->via != NULL ? s->via : s;
	sqlite3_stmt *st = t->stmt[id];

	if (st == NULL) {
		if (sqlite3_prepare_v3(t->db, sql_text[id], -1,
		    SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
			store_log_error(t, sql_text[id]);
			return (NULL);
		}
		t->stmt[id] = st;
	} else {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
	}
	if (s->reading && !sqlite3_stmt_readonly(st))
		store_read_end(s);
	return (st);
}

int
store_mark(struct store *s, struct store_mark *m)
{
	sqlite3_stmt *st;

	if (s->in_tx || s->via != NULL ||
	    (st = store_stmt(s, STORE_SQL_DATA_VERSION)) == NULL)
		return (-1);
	if (sqlite3_step(st) != SQLITE_ROW)
		return (store_fail(s, st, "data version"));
	m->others = sqlite3_column_int64(st, 0);
	m->own = sqlite3_total_changes64(s->db);
	sqlite3_reset(st);
	return (0);
}

struct store_token_cache *
store_token_cache(struct store *s)
{
	return (&s->tokens);
}

static int
param(sqlite3_stmt *st, const char *name)
{
	int i = sqlite3_bind_parameter_index(st, name);

	if (i == 0)
		log_event(LOG_ERROR, "no such SQL parameter", "name", name,
		    "sql", sqlite3_sql(st), NULL);
	return (i);
}

int
store_bind_text(sqlite3_stmt *st, const char *name, const char *v)
{
	int i;

	if ((i = param(st, name)) == 0)
		return (-1);
	if (v == NULL)
		return (sqlite3_bind_null(st, i) == SQLITE_OK ? 0 : -1);
	return (sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT) ==
	    SQLITE_OK ? 0 : -1);
}

int
store_bind_int(sqlite3_stmt *st, const char *name, int64_t v)
{
	int i;

	if ((i = param(st, name)) == 0)
		return (-1);
	return (sqlite3_bind_int64(st, i, v) == SQLITE_OK ? 0 : -1);
}

int
store_bind_null(sqlite3_stmt *st, const char *name)
{
	int i;

	if ((i = param(st, name)) == 0)
		return (-1);
	return (sqlite3_bind_null(st, i) == SQLITE_OK ? 0 : -1);
}

int
store_bind_blob(sqlite3_stmt *st, const char *name, const void *v, size_t n)
{
	int i;

	if ((i = param(st, name)) == 0)
		return (-1);
	return (sqlite3_bind_blob(st, i, v, (int)n, SQLITE_TRANSIENT) ==
	    SQLITE_OK ? 0 : -1);
}

int
store_bind_time(sqlite3_stmt *st, const char *name, int64_t v)
{
	return (v == INT64_MIN ? store_bind_null(st, name) :
	    store_bind_int(st, name, v));
}

int
store_exec_stmt(sqlite3_stmt *st)
{
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		;
	if (rc != SQLITE_DONE) {
		note_fault(rc);
		log_event(LOG_ERROR, "database error", "op", sqlite3_sql(st),
		    "error", sqlite3_errmsg(sqlite3_db_handle(st)), NULL);
		sqlite3_reset(st);
		return (-1);
	}
	sqlite3_reset(st);
	return (0);
}

int64_t
store_col_time(sqlite3_stmt *st, int col)
{
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return (INT64_MIN);
	return (sqlite3_column_int64(st, col));
}

const char *
store_col_text(sqlite3_stmt *st, int col)
{
	return ((const char *)sqlite3_column_text(st, col));
}
