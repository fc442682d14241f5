/* store_metrics: the gauges of GET /metrics, counted at scrape time. */
#include <string.h>

#include "store.h"
#include "store_api.h"

const char *const store_metrics_incident_states[STORE_METRICS_STATES] = {
	"suspected", "investigating", "confirmed", "contained",
};

const char *const store_metrics_alert_states[STORE_METRICS_ALERT_STATES] = {
	"queued", "claimed", "failed",
};

/* Add each (name, count) row of st to the slot of counts whose name in
 * names[n] matches; 0 or -1. */
static int
count_by_name(struct store *s, sqlite3_stmt *st, const char *const *names,
    size_t n, int64_t *counts, const char *what)
{
	const char *name;
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		name = store_col_text(st, 0);
		for (size_t i = 0; name != NULL && i < n; i++)
			if (strcmp(names[i], name) == 0)
				counts[i] += sqlite3_column_int64(st, 1);
	}
	if (rc != SQLITE_DONE)
		return (store_fail(s, st, what));
	sqlite3_reset(st);
	return (0);
}

int
store_metrics_gauges(struct store *s, int64_t now, struct store_metrics *m)
{
	sqlite3_stmt *st;
	int rc;

	memset(m, 0, sizeof(*m));
	if ((st = store_stmt(s, STORE_SQL_METRICS_INCIDENTS)) == NULL ||
	    count_by_name(s, st, store_metrics_incident_states,
	    STORE_METRICS_STATES, m->incidents, "metrics incidents") == -1)
		return (-1);
	if ((st = store_stmt(s, STORE_SQL_METRICS_ALERTS)) == NULL ||
	    count_by_name(s, st, store_metrics_alert_states,
	    STORE_METRICS_ALERT_STATES, m->alerts, "metrics alerts") == -1)
		return (-1);
	if ((st = store_stmt(s, STORE_SQL_METRICS_OBLIGATIONS)) == NULL ||
	    store_bind_int(st, ":now", now) == -1)
		return (-1);
	if ((rc = store_row(s, st, "metrics obligations")) == -1)
		return (-1);
	if (rc == 0) {
		m->overdue = sqlite3_column_int64(st, 0);
		m->due_24h = sqlite3_column_int64(st, 1);
		sqlite3_reset(st);
	}
	if ((st = store_stmt(s, STORE_SQL_METRICS_DB_SIZE)) == NULL)
		return (-1);
	if ((rc = store_row(s, st, "metrics database size")) == -1)
		return (-1);
	if (rc == 0) {
		m->db_bytes = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
	}
	return (0);
}
