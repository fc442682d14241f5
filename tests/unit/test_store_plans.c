/*
 * Unit test of the plans of the incident list and the dashboard
 * (server/store_sql.h): each variant that answers a page in index order
 * must walk its index in that order and stop at a page, never sort what
 * it walked.  A sort would read every row of a status or a regime for each
 * page: at a million incidents, half the dashboard's throughput (issue 8,
 * docs/benchmarks.md change 19), which no single query of the filter
 * sweep showed.  SQLite's EXPLAIN QUERY PLAN says "USE TEMP B-TREE" for a
 * sort.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "store.h"
#include "store_pair.h"

static struct store_pair sp;

static int
setup(void **state)
{
	(void)state;
	return (store_pair_open(&sp, "store-plans"));
}

static int
teardown(void **state)
{
	(void)state;
	store_pair_close(&sp);
	return (0);
}

/* The plan of statement id, one line per step, into buf. */
static void
plan_of(enum store_sql id, char *buf, size_t len)
{
	sqlite3_stmt *st, *eqp;
	char *sql;
	size_t n = 0;

	st = store_stmt(sp.r, id);
	assert_non_null(st);
	sql = sqlite3_mprintf("EXPLAIN QUERY PLAN %s", sqlite3_sql(st));
	assert_non_null(sql);
	assert_int_equal(sqlite3_prepare_v2(store_db(sp.r), sql, -1, &eqp,
	    NULL), SQLITE_OK);
	sqlite3_free(sql);
	buf[0] = '\0';
	while (sqlite3_step(eqp) == SQLITE_ROW && n < len)
		n += (size_t)snprintf(buf + n, len - n, "%s\n",
		    (const char *)sqlite3_column_text(eqp, 3));
	sqlite3_finalize(eqp);
}

static void
test_pages_walk_in_order(void **state)
{
	static const struct {
		enum store_sql id;
		const char *name, *index;
	} walks[] = {
		{ STORE_SQL_OBLIGATION_DUE_STATUS, "OBLIGATION_DUE_STATUS",
		    "obligations_state_status_due" },
		{ STORE_SQL_OBLIGATION_DUE_OPEN, "OBLIGATION_DUE_OPEN",
		    "obligations_state_status_due" },
		{ STORE_SQL_OBLIGATION_DUE_REGIME_STATUS,
		    "OBLIGATION_DUE_REGIME_STATUS",
		    "obligations_regime_state_status_due" },
		{ STORE_SQL_OBLIGATION_DUE_REGIME_OPEN,
		    "OBLIGATION_DUE_REGIME_OPEN",
		    "obligations_regime_state_status_due" },
		{ STORE_SQL_INCIDENT_LIST, "INCIDENT_LIST", "" },
		{ STORE_SQL_INCIDENT_LIST_STATUS, "INCIDENT_LIST_STATUS",
		    "incidents_status" },
		{ STORE_SQL_INCIDENT_LIST_RISK, "INCIDENT_LIST_RISK",
		    "incidents_risk" },
		{ STORE_SQL_INCIDENT_LIST_STATUS_RISK,
		    "INCIDENT_LIST_STATUS_RISK", "incidents_status_risk" },
		{ STORE_SQL_INCIDENT_LIST_ASSIGNEE, "INCIDENT_LIST_ASSIGNEE",
		    "incidents_assignee" },
		{ STORE_SQL_INCIDENT_LIST_ASSIGNEE_STATUS,
		    "INCIDENT_LIST_ASSIGNEE_STATUS",
		    "incidents_assignee_status" },
		{ STORE_SQL_INCIDENT_LIST_REGIME, "INCIDENT_LIST_REGIME",
		    "obligations_regime_incident" },
		{ STORE_SQL_INCIDENT_LIST_REGIME_STATUS,
		    "INCIDENT_LIST_REGIME_STATUS",
		    "obligations_regime_status_incident" },
	};
	char plan[4096];

	(void)state;
	for (size_t i = 0; i < sizeof(walks) / sizeof(walks[0]); i++) {
		plan_of(walks[i].id, plan, sizeof(plan));
		if (strstr(plan, "TEMP B-TREE") != NULL ||
		    strstr(plan, walks[i].index) == NULL)
			fail_msg("%s does not walk %s in order:\n%s",
			    walks[i].name, walks[i].index[0] != '\0' ?
			    walks[i].index : "the table", plan);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pages_walk_in_order),
	};

	return (cmocka_run_group_tests(tests, setup, teardown));
}
