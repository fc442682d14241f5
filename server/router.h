/*
 * router: the one static route table and the dispatcher that enforces it:
 * 404 when no path matches, 405 with Allow when only the method is wrong,
 * 401 without a live token, 403 without the role, 415 / 400 for a body that
 * is not a JSON object, 400 for an unknown query parameter, and only then
 * the handler.
 */
#ifndef BREACHCLOCK_ROUTER_H
#define BREACHCLOCK_ROUTER_H

#include <stddef.h>

#include "req.h"

/* What the dispatcher decided beyond r->out and r->problem. */
struct router_result {
	int status;
	char allow[64];      /* for 405 */
	int matched;         /* a route matched the path (0: try static) */
};

/*
 * Route and run one request.  body/len is the raw request body (may be
 * NULL/0).  r must have conn, method, path, store, cfg and now set.
 */
void router_dispatch(struct req *r, const char *body, size_t len,
    struct router_result *res);

/*
 * Does path match the route pattern?  In a pattern '#' stands for a
 * numeric id (1 to 15 digits, no leading zero) and '*' for a name (1 to 64
 * of [a-z0-9_-]); everything else must be equal.  1 on a match, with the
 * ids in order in ids[] and the (last) name in slug; else 0, with ids and
 * slug undefined.  The dispatcher's matcher, exposed for tests/fuzz.
 */
int router_match(const char *pattern, const char *path,
    int64_t ids[REQ_MAX_IDS], char slug[65]);

/* How many routes the table has, and the method and pattern (static
 * strings) of route i < router_nroutes(); for metrics.h's labels. */
size_t router_nroutes(void);
void router_route_info(size_t i, const char **method, const char **pattern);

#endif
