/*
 * store_assessments: the assessments table (sql/004_assessments.sql), the
 * ENISA severity assessments of an incident.  Same conventions as
 * store_api.h: 0 on success, -1 on a database error (logged once, here),
 * 1 where a comment says so; JSON handed back is a new reference the
 * caller frees, JSON passed in is borrowed; writes run inside
 * store_begin()/store_commit().
 */
#ifndef BREACHCLOCK_STORE_ASSESSMENTS_H
#define BREACHCLOCK_STORE_ASSESSMENTS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct store;

/* The longest suggestion name ("unlikely") and its NUL. */
#define STORE_SUGGESTION_MAX 16

/*
 * Add an assessment of incident_id.  inputs (the normalised request, an
 * object) and reasons (an array of strings) are borrowed and stored as
 * JSON text; score is SE in hundredths; level is low | medium | high |
 * very high and suggestion unlikely | risk | high.  *id gets the new id.
 */
int store_assessment_add(struct store *s, int64_t incident_id,
    const json_t *inputs, int score, const char *level,
    const char *suggestion, const json_t *reasons, int64_t user_id,
    int64_t now, int64_t *id);

/*
 * The assessments of an incident, oldest first (only assessment_id if it
 * is not 0), as a new JSON array of API objects: {id, incident_id,
 * inputs, score, level, suggestion, reasons, assessed_by (user name),
 * assessed_at}.
 */
int store_assessment_list(struct store *s, int64_t incident_id,
    int64_t assessment_id, json_t **items);

/*
 * The suggestion of the latest assessment of incident_id, copied into
 * suggestion (len bytes, at least STORE_SUGGESTION_MAX), and its id into
 * *assessment_id (may be NULL).  0, 1 if the incident has no assessment
 * (suggestion is then ""), -1 on error.
 */
int store_assessment_latest(struct store *s, int64_t incident_id,
    char *suggestion, size_t len, int64_t *assessment_id);

#endif
