/* migrations: the schema migrations embedded at build time (sql/). */
#ifndef BREACHCLOCK_MIGRATIONS_H
#define BREACHCLOCK_MIGRATIONS_H

struct migration {
	const char *name; /* "001_init.sql" */
	const char *sql;  /* the whole file */
};

/* migrations[i] brings the schema from user_version i to i + 1. */
extern const struct migration migrations[];
extern const int migrations_count;

#endif
