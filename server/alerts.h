/*
 * alerts: what the server decides to tell people, and when.  It keeps the
 * escalation outbox in line with the obligations (one alert per obligation
 * and ladder step), queues event alerts, and builds the full view of an
 * alert that the notifier renders.
 *
 * Guarantee (with the notifier's leases, see notifier/): every alert is
 * materialised once under a unique key, so a restart neither loses nor
 * repeats it; steps already past when an obligation appears collapse into
 * one alert; met, waived or no longer required obligations cancel their
 * queued steps.
 */
#ifndef BREACHCLOCK_ALERTS_H
#define BREACHCLOCK_ALERTS_H

#include <jansson.h>
#include <stdint.h>

struct store;

/* Plan or re-plan the ladder alerts of every obligation of an incident,
 * inside the caller's transaction.  0 or -1. */
int alerts_sync_incident(struct store *s, int64_t incident_id, int64_t now);

/*
 * Queue an event alert (incident.reported, incident.confirmed,
 * risk.decided, risk.reassess, incident.assigned) for incident_id, keyed
 * by the audit event that caused it; detail is borrowed.
 * incident.reported also schedules incident.untriaged after the
 * configured hours.  0 or -1.
 */
int alerts_event(struct store *s, int64_t incident_id, const char *name,
    int64_t event_id, const char *actor, json_t *detail, int64_t now);

/* Cancel the untriaged reminder of an incident that left "suspected". */
int alerts_triaged(struct store *s, int64_t incident_id, int64_t now);

/* Queue today's leadership digest once its hour has come.  0 or -1. */
int alerts_digest(struct store *s, int64_t now);

/*
 * After an acknowledged overdue step of a still-pending obligation, queue
 * the next reminder.  alert is the stored row (borrowed).  0 or -1.
 */
int alerts_after_sent(struct store *s, json_t *alert, int64_t now);

/* After a permanent failure, tell the admins.  0 or -1. */
int alerts_failed(struct store *s, json_t *alert, const char *error,
    int64_t now);

/*
 * The full view of a claimed alert for the notifier (incident, obligation,
 * event, digest, recipients, webhooks, links, and for a ladder alert the
 * plain-text draft of the obligation's notice, see notices.h) as a new
 * object in *out.
 * web_base is the server's public URL for links ("" to omit).
 */
int alerts_view(struct store *s, json_t *alert, const char *web_base,
    int64_t now, json_t **out);

#endif
