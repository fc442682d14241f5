/*
 * api_assessments: ENISA severity assessments of an incident, under
 * /api/v1/incidents/{id}/assessments.  Handlers follow the contract in
 * req.h and are reached only through the route table in router.c.
 */
#ifndef BREACHCLOCK_API_ASSESSMENTS_H
#define BREACHCLOCK_API_ASSESSMENTS_H

#include "req.h"

/*
 * POST: assess r->body (the fields of struct assess_input, by name) for
 * incident r->ids[0], store the result and append a risk.assessed audit
 * event, in one transaction.  201 with r->out a new object {id,
 * incident_id, inputs, score, level, suggestion, reasons, assessed_by,
 * assessed_at}; 400 invalid-field for an unknown, missing or malformed
 * field; 422 constraint-violation for a mitigation that contradicts the
 * facts; 404 for no such incident; 409 when the incident is closed or
 * not a breach.
 */
int api_assessments_create(struct req *r);

/* GET: the incident's assessments, oldest first: 200 with r->out a new
 * object {items}. */
int api_assessments_list(struct req *r);

#endif
