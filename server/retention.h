/*
 * retention: after the retention period, erase the personal free text of
 * incidents that were closed (or found not a breach), and keep the register
 * facts that UK GDPR Art. 33(5) asks a controller to document.
 *
 * Erased (every value that was set becomes RETENTION_MARK):
 *   - the incident's title, description, how_discovered,
 *     awareness_justification, not_a_breach_reason, likely_consequences,
 *     measures_taken, measures_proposed and dpo_contact;
 *   - the rationale of each risk decision, the delay and waiver reasons of
 *     its obligations and notifications, the exact text of each notice
 *     recorded as sent, and the Art. 34(3) exemption's explanation;
 *   - in the data of the incident's audit events, the values of the keys
 *     in retention_erased_keys[] (the same fields, a note's "text", a
 *     decision's "rationale", ...), wherever they occur; in a change
 *     record ({"from": ..., "to": ...}) both sides.
 * Kept: the ref, status, dates and times, role, controller_name, cause,
 * jurisdictions, data and subject categories, sector flags, counts,
 * impacts, encryption, backups, determinations, reporter and assignee
 * (staff acting in their role), risk decision levels, assessments (their
 * inputs are choices from fixed lists), obligations (regime, due and met
 * times, state, recipient, reference) and notifications (when, to whom,
 * the recipient's reference), and every audit event's time, actor and
 * action.
 *
 * Each anonymised incident gets one AUDIT_ANONYMISED event listing the
 * events whose data was redacted (audit.h explains why the chain still
 * verifies).  Events written before migration 010 cannot be redacted;
 * the event counts them as "legacy_events_kept".
 */
#ifndef BREACHCLOCK_RETENTION_H
#define BREACHCLOCK_RETENTION_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RETENTION_MARK "[anonymised]"

struct store;
struct retention;

/* The event data keys whose values retention erases; NULL-terminated. */
extern const char *const retention_erased_keys[];

/*
 * A copy of an event's data (borrowed) in which the value of every key of
 * retention_erased_keys[] is erased: a string becomes RETENTION_MARK, and
 * inside an object or array value every string does; null stays null.
 * *changed tells whether anything was erased.  A new reference, or NULL
 * when out of memory.
 */
json_t *retention_redact(const json_t *data, bool *changed);

/*
 * One pass: anonymise every incident closed (or found not a breach) at or
 * before judge_at - period.  now is the time written in the audit log;
 * actor names who ran it ("system", "cli").  Each incident is its own
 * transaction.  *n gets how many were anonymised.  0, or -1 on a database
 * error (logged; the incidents done so far stay done).
 */
int retention_run(struct store *s, int64_t period, int64_t judge_at,
    int64_t now, const char *actor, size_t *n);

/*
 * Start the background pass on a thread: once at once, then every
 * interval seconds, retention_run() with the given period on connection s,
 * which the thread takes over (and closes in retention_stop()).  With
 * period 0 the thread only keeps s open, so that another process (restore)
 * sees that the database is in use.  NULL on error (s is then closed).
 */
struct retention *retention_start(struct store *s, int64_t period,
    int64_t interval);

/* Stop the thread, close its connection and free r.  NULL is a no-op. */
void retention_stop(struct retention *r);

#endif
