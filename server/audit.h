/*
 * audit: the append-only, hash-chained event log that is also every
 * incident's timeline.  Each event's hash is BLAKE2b-256 over the previous
 * event's hash and this event's fields, each length-prefixed, so changing,
 * removing or reordering any event breaks every hash after it.
 */
#ifndef BREACHCLOCK_AUDIT_H
#define BREACHCLOCK_AUDIT_H

#include <jansson.h>
#include <stdint.h>

#define AUDIT_HASH_HEX 65 /* 64 hex digits and a NUL */

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

/*
 * Verify the whole chain.  Return 0 with *count events checked and
 * *broken_at 0 when intact, or *broken_at the first bad event id; -1 on a
 * database error.
 */
int audit_verify(struct store *s, int64_t *count, int64_t *broken_at);

#endif
