/* api_metrics: GET /metrics, Prometheus text exposition format 0.0.4. */
#include <stdio.h>
#include <stdlib.h>

#include "api.h"
#include "metrics.h"
#include "store_api.h"

#ifndef BREACHCLOCK_VERSION
#define BREACHCLOCK_VERSION "0"
#endif

/* When this process started, for breachclock_start_time_seconds. */
static int64_t started;

void
api_metrics_started(int64_t now)
{
	started = now;
}

static void
gauge(struct metrics_text *t, const char *name, const char *help,
    int64_t v)
{
	metrics_family(t, name, "gauge", help);
	metrics_printf(t, "%s %lld\n", name, (long long)v);
}

int
api_metrics_get(struct req *r)
{
	struct store_metrics m;
	struct metrics_text t;
	int status = 500;

	metrics_text_init(&t);
	if (store_metrics_gauges(r->store, r->now, &m) == -1)
		goto out;
	metrics_family(&t, "breachclock_build_info", "gauge",
	    "Always 1; the version label says which build runs.");
	metrics_printf(&t, "breachclock_build_info{version=\"");
	metrics_label(&t, BREACHCLOCK_VERSION);
	metrics_printf(&t, "\"} 1\n");
	gauge(&t, "breachclock_start_time_seconds", "When the server "
	    "started, in seconds since the epoch.", started);
	metrics_write_http(&t);
	metrics_family(&t, "breachclock_incidents_open", "gauge",
	    "Open incidents (not closed, not 'not a breach') by status.");
	for (size_t i = 0; i < STORE_METRICS_STATES; i++)
		metrics_printf(&t, "breachclock_incidents_open{status=\"%s\"} "
		    "%lld\n", store_metrics_incident_states[i],
		    (long long)m.incidents[i]);
	gauge(&t, "breachclock_obligations_due_24h", "Pending obligations "
	    "of open incidents due within the next 24 hours.", m.due_24h);
	gauge(&t, "breachclock_obligations_overdue", "Pending obligations "
	    "of open incidents past their deadline.", m.overdue);
	metrics_family(&t, "breachclock_alerts", "gauge",
	    "Escalation alerts in the outbox by state: queued (waiting to "
	    "be sent), claimed (a notifier holds it), failed (given up).");
	for (size_t i = 0; i < STORE_METRICS_ALERT_STATES; i++)
		metrics_printf(&t, "breachclock_alerts{state=\"%s\"} %lld\n",
		    store_metrics_alert_states[i], (long long)m.alerts[i]);
	gauge(&t, "breachclock_database_size_bytes", "Size of the SQLite "
	    "database (page_count * page_size), without its WAL.",
	    m.db_bytes);
	if (t.failed)
		goto out;
	r->text = t.p;
	r->text_len = t.len;
	r->text_type = "text/plain; version=0.0.4; charset=utf-8";
	t.p = NULL;
	status = 200;
out:
	metrics_text_release(&t);
	return (status == 200 ? status : api_internal(r, "metrics"));
}
