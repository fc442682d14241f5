/*
 * audit: the append-only, hash-chained event log that is also every
 * incident's timeline.  Each event's hash is BLAKE2b-256 over the previous
 * event's hash and this event's fields, each length-prefixed, so changing,
 * removing or reordering any event breaks every hash after it.
 *
 * Since migration 010 ("v2") the hash covers the BLAKE2b-256 digest of
 * the event's data (kept in events.data_hash) instead of the data text,
 * so that retention (retention.h) can erase personal free text from the
 * data of a closed incident's events without breaking the chain.  Such an
 * event is marked redacted; it verifies only when a later, intact
 * AUDIT_ANONYMISED event of the same incident lists its id in
 * "redacted_events".  Events from before 010 ("v1") keep their old hash.
 */
#ifndef BREACHCLOCK_AUDIT_H
#define BREACHCLOCK_AUDIT_H

#include <jansson.h>
#include <stdint.h>

#define AUDIT_HASH_HEX 65 /* 64 hex digits and a NUL */

/* The action of the event that records an anonymisation. */
#define AUDIT_ANONYMISED "incident.anonymised"

struct store;

/*
 * Append an event inside the caller's transaction.  incident_id 0 means
 * "not about an incident".  data (borrowed) must be a JSON object.  If
 * event_id is not NULL it gets the new event's id.  0 or -1.
 */
int audit_append(struct store *s, int64_t at, const char *actor,
    const char *action, int64_t incident_id, const json_t *data,
    int64_t *event_id);

/* The hash of one event given its fields and the previous hash. */
void audit_hash(const char *prev_hash, int64_t id, int64_t at,
    const char *actor, const char *action, int64_t incident_id,
    const char *data, char out[AUDIT_HASH_HEX]);

/* The v2 hash of one event: its fields, the previous hash and the digest
 * of its data (audit_data_hash()) instead of the data. */
void audit_hash_v2(const char *prev_hash, int64_t id, int64_t at,
    const char *actor, const char *action, int64_t incident_id,
    const char *data_hash, char out[AUDIT_HASH_HEX]);

/* The hex BLAKE2b-256 digest of an event's data text into out. */
void audit_data_hash(const char *data, char out[AUDIT_HASH_HEX]);

/*
 * Verify the whole chain.  Return 0 with *count events checked and
 * *broken_at 0 when intact, or *broken_at the first bad event id; -1 on a
 * database error.
 */
int audit_verify(struct store *s, int64_t *count, int64_t *broken_at);

#endif
