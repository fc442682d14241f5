/*
 * catalog: the regimes in force and their holiday calendars, parsed once
 * and shared read-only by every thread.  A change to the regimes or the
 * holidays (through this server) invalidates the cached copy; the next
 * catalog_get() loads a fresh one while readers keep the old one.
 */
#ifndef BREACHCLOCK_CATALOG_H
#define BREACHCLOCK_CATALOG_H

#include <stddef.h>

#include "calendar.h"
#include "regime.h"

struct store;

struct catalog_entry {
	struct regime regime;
	char recipient[256];          /* who is told */
	struct calendar calendar;     /* tz and holidays (borrowed from the
	                               * catalog) */
};

struct catalog {
	struct catalog_entry *entries;
	size_t n;
	/* private */
	int refs;
	char stamp[64];               /* store_catalog_stamp() when loaded */
	int64_t *days;                /* every holiday, grouped by set */
};

/* A reference to the current catalog, loaded through s if needed; release
 * it with catalog_put().  NULL on error (logged). */
struct catalog *catalog_get(struct store *s);

/* A new catalog read through s, bypassing the cache: inside a transaction
 * that changes regimes it sees the uncommitted rows.  Release it with
 * catalog_put().  NULL on error (logged). */
struct catalog *catalog_load(struct store *s);

/* Drop a reference.  NULL is a no-op. */
void catalog_put(struct catalog *c);

/* Forget the cached catalog (after regimes or holidays change). */
void catalog_invalidate(void);

#endif
