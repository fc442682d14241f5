/*
 * obligations: keep an incident's stored obligations in line with what the
 * deadline engine (rules.h) says the regimes in force require of its
 * facts.
 */
#ifndef BREACHCLOCK_OBLIGATIONS_H
#define BREACHCLOCK_OBLIGATIONS_H

#include <stddef.h>
#include <stdint.h>

#include "rules.h"

struct store;

/*
 * Recompute the obligations of one incident inside the caller's
 * transaction: create those whose clock has started, move deadlines, mark
 * those no longer owed not_required (and owed again pending).  Met and
 * waived obligations are left as they are.  Every change is an audit event
 * by actor.  0 or -1.
 */
int obligations_recompute(struct store *s, int64_t incident_id,
    const struct rules_config *cfg, const char *actor, int64_t now);

/*
 * The same for every open incident, reading the regimes through s (so a
 * transaction that changed them sees its own changes); *count gets how
 * many incidents were recomputed.  0 or -1.
 */
int obligations_recompute_open(struct store *s, const struct rules_config *cfg,
    const char *actor, int64_t now, size_t *count);

#endif
