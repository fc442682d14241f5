/*
 * escalation: the escalation settings (ladder, recipient lists, digest,
 * webhooks) and the ladder plan of one obligation.  Pure: no I/O.
 */
#ifndef BREACHCLOCK_ESCALATION_H
#define BREACHCLOCK_ESCALATION_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "problem.h"

#define ESCALATION_MAX_STEPS 16
#define ESCALATION_STEP_MAX 16

enum escalation_kind {
	STEP_APPLIES,   /* when the obligation first applies */
	STEP_HALF,      /* half of the time from its start to its deadline */
	STEP_BEFORE,    /* a fixed time before the deadline */
	STEP_OVERDUE,   /* at the deadline; then every overdue_every */
};

struct escalation_step {
	char name[ESCALATION_STEP_MAX];   /* "t-6h" */
	enum escalation_kind kind;
	int64_t before;                   /* STEP_BEFORE: seconds */
};

/* One alert the plan wants: the step and when it falls due. */
struct escalation_planned {
	const struct escalation_step *step;
	int64_t at;
};

/*
 * Validate an escalation settings document (borrowed):
 *   {"ladder": [steps], "overdue_every_hours": 24,
 *    "regimes": {"<regime id>": {"ladder": [steps]}},
 *    "security_team": [emails], "leadership": [emails], "admins": [emails],
 *    "untriaged_hours": 4, "digest_hour_utc": 7,
 *    "webhooks": [{"url": "https://...", "format": "json"|"slack"}],
 *    "web_base_url": "https://breachclock.example"}
 * Steps are "applies", "half", "overdue", or "t-<N>h" / "t-<N>m", none
 * twice in a ladder; no e-mail address twice in a list; regime keys are
 * regime ids (whether they exist is the caller's check).  web_base_url is
 * "" or an absolute http(s) URL with a host and no userinfo, query or
 * fragment.  A webhook URL whose host is a literal loopback, link-local
 * or private address (or localhost) is refused unless allow_internal;
 * host names are not resolved here.  All members are required.  0, or -1
 * with p filled (400 naming the member).
 */
int escalation_check(json_t *doc, bool allow_internal, struct problem *p);

/* Is host (a URL's, IPv6 without brackets) localhost or a literal
 * internal address (netaddr.h: loopback, link-local, private, shared,
 * multicast, unspecified)?  The notifier checks resolved addresses. */
bool escalation_host_internal(const char *host);

/*
 * The ladder for a regime: the regime's own if the settings give one, else
 * the global ladder.  Fills steps[ESCALATION_MAX_STEPS]; returns how many
 * (0 if doc is malformed).
 */
size_t escalation_ladder(json_t *doc, const char *regime_id,
    struct escalation_step steps[ESCALATION_MAX_STEPS]);

/*
 * The nominal instant of a step for an obligation that runs from starts_at
 * to due_at ("applies" is starts_at).
 */
int64_t escalation_step_at(const struct escalation_step *s, int64_t starts_at,
    int64_t due_at);

/* Parse one step name; 0 or -1. */
int escalation_step_parse(const char *name, struct escalation_step *out);

#endif
