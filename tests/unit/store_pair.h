/*
 * store_pair: for the unit tests of the store, a migrated database in a new
 * temporary directory, opened as a worker thread's connection
 * (store_thread()) and as a second connection, as another process's (the
 * CLI's) would be.
 */
#ifndef BREACHCLOCK_STORE_PAIR_H
#define BREACHCLOCK_STORE_PAIR_H

struct store;

struct store_pair {
	char dir[64];
	char path[96];
	struct store *r;           /* the worker's connection */
	struct store *w;           /* the other connection */
};

/* Make /tmp/bc-<name>-XXXXXX and open both; 0 or -1. */
int store_pair_open(struct store_pair *p, const char *name);

/* Close both connections and remove the database and its directory. */
void store_pair_close(struct store_pair *p);

#endif
