#include <string.h>
#include <strings.h>

#include <microhttpd.h>

#include "api.h"
#include "api_assessments.h"
#include "auth.h"
#include "auth_feed.h"
#include "config.h"
#include "log.h"
#include "metrics.h"
#include "router.h"

#define PUBLIC 0
#define R ROLE_REPORTER
#define H ROLE_HANDLER
#define D ROLE_DPO
#define V ROLE_VIEWER
#define A ROLE_ADMIN

/* Route flags. */
#define OWN 0x1  /* a reporter sees only incidents they reported */
#define BODY 0x2 /* takes a JSON object body */
#define FEED 0x4 /* GET only: also takes a calendar feed token (?token=),
                    auth_feed.h, instead of a bearer token or session */
#define SCRAPE 0x8 /* PUBLIC, but only to metrics scrapers (metrics.h) */

static const char *const no_query[] = { NULL };
static const char *const feed_query[] = { "token", NULL };
static const char *const poll_query[] = { "wait", "limit", NULL };
static const char *const alerts_query[] = { "state", "incident_id", "limit",
	"cursor", NULL };
static const char *const notice_query[] = { "format", "regime_id", NULL };
static const char *const list_query[] = { "status", "risk", "due_before",
	"q", "assignee", "regime_id", "limit", "cursor", NULL };
static const char *const due_query[] = { "state", "status", "risk",
	"regime_id", "assignee", "due_before", "limit", "cursor", NULL };
static const char *const report_query[] = { "from", "to", "tz", NULL };
static const char *const register_query[] = { "from", "to", "format",
	NULL };
static const char *const tokens_query[] = { "user_id", "limit", "cursor",
	NULL };

struct route {
	const char *method;
	const char *pattern;   /* '#' is a numeric id, '*' a name [a-z0-9_-] */
	int (*handler)(struct req *);
	unsigned roles;        /* PUBLIC or a mask of enum role */
	unsigned flags;
	const char *const *query;
};

static const struct route routes[] = {
	{ "GET", "/healthz", api_health_get, PUBLIC, 0, no_query },
	{ "GET", "/metrics", api_metrics_get, PUBLIC, SCRAPE, no_query },
	{ "GET", "/api/v1/calendar.ics", api_calendar_get, H | D | V | A,
	    FEED, feed_query },
	{ "GET", "/api/v1/me/calendar-token", api_calendar_token_get,
	    H | D | V | A, 0, no_query },
	{ "POST", "/api/v1/me/calendar-token", api_calendar_token_create,
	    H | D | V | A, 0, no_query },
	{ "DELETE", "/api/v1/me/calendar-token", api_calendar_token_revoke,
	    H | D | V | A, 0, no_query },
	{ "GET", "/api/v1/me", api_session_me, R | H | D | V | A |
	    ROLE_NOTIFIER, 0, no_query },
	{ "PUT", "/api/v1/me/password", api_session_password_own,
	    R | H | D | V | A, BODY, no_query },
	{ "POST", "/api/v1/session", api_session_create, PUBLIC, BODY,
	    no_query },
	{ "GET", "/api/v1/session", api_session_get, R | H | D | V | A, 0,
	    no_query },
	{ "DELETE", "/api/v1/session", api_session_delete, R | H | D | V | A,
	    0, no_query },
	{ "POST", "/api/v1/incidents", api_incidents_create, R | H | D, BODY,
	    no_query },
	{ "GET", "/api/v1/incidents", api_incidents_list, R | H | D | V, OWN,
	    list_query },
	{ "GET", "/api/v1/incidents/#", api_incidents_get, R | H | D | V, OWN,
	    no_query },
	{ "PATCH", "/api/v1/incidents/#", api_incidents_patch, H | D, BODY,
	    no_query },
	{ "GET", "/api/v1/incidents/#/assessments", api_assessments_list,
	    R | H | D | V, OWN, no_query },
	{ "POST", "/api/v1/incidents/#/assessments", api_assessments_create,
	    H | D, BODY, no_query },
	{ "GET", "/api/v1/incidents/#/risk-decisions", api_risk_list,
	    R | H | D | V, OWN, no_query },
	{ "POST", "/api/v1/incidents/#/risk-decisions", api_risk_create,
	    H | D, BODY, no_query },
	{ "GET", "/api/v1/obligations", api_obligations_due, H | D | V, 0,
	    due_query },
	{ "GET", "/api/v1/incidents/#/obligations", api_obligations_list,
	    R | H | D | V, OWN, no_query },
	{ "GET", "/api/v1/incidents/#/obligations/#", api_obligations_get,
	    R | H | D | V, OWN, no_query },
	{ "POST", "/api/v1/incidents/#/obligations/#/notifications",
	    api_obligations_notify, H | D, BODY, no_query },
	{ "POST", "/api/v1/incidents/#/obligations/#/waive",
	    api_obligations_waive, D, BODY, no_query },
	{ "GET", "/api/v1/incidents/#/notices/*", api_notices_get,
	    R | H | D | V, OWN, notice_query },
	{ "POST", "/api/v1/incidents/#/art34-exemption",
	    api_notices_exemption, D, BODY, no_query },
	{ "GET", "/api/v1/incidents/#/events", api_events_list,
	    R | H | D | V, OWN, no_query },
	{ "POST", "/api/v1/incidents/#/notes", api_events_note, H | D, BODY,
	    no_query },
	{ "GET", "/api/v1/audit/verify", api_audit_verify, D | A, 0,
	    no_query },
	{ "GET", "/api/v1/notifier/alerts", api_notifier_poll, ROLE_NOTIFIER,
	    0, poll_query },
	{ "POST", "/api/v1/notifier/alerts/#/claim", api_notifier_claim,
	    ROLE_NOTIFIER, BODY, no_query },
	{ "POST", "/api/v1/notifier/alerts/#/ack", api_notifier_ack,
	    ROLE_NOTIFIER, BODY, no_query },
	{ "POST", "/api/v1/notifier/alerts/#/fail", api_notifier_fail,
	    ROLE_NOTIFIER, BODY, no_query },
	{ "POST", "/api/v1/notifier/alerts/#/release", api_notifier_release,
	    ROLE_NOTIFIER, BODY, no_query },
	{ "GET", "/api/v1/alerts", api_alerts_list, D | A, 0, alerts_query },
	{ "GET", "/api/v1/escalation", api_escalation_get, D | A, 0,
	    no_query },
	{ "PUT", "/api/v1/escalation", api_escalation_put, A, BODY,
	    no_query },
	{ "GET", "/api/v1/regimes", api_regimes_list,
	    R | H | D | V | A, 0, no_query },
	{ "POST", "/api/v1/regimes", api_regimes_create, A, BODY, no_query },
	{ "GET", "/api/v1/regimes/*", api_regimes_get, R | H | D | V | A, 0,
	    no_query },
	{ "PATCH", "/api/v1/regimes/*", api_regimes_patch, A, BODY,
	    no_query },
	{ "POST", "/api/v1/regimes/*/retire", api_regimes_retire, A, BODY,
	    no_query },
	{ "GET", "/api/v1/register", api_reports_register, H | D | V | A, 0,
	    register_query },
	{ "GET", "/api/v1/reports", api_reports_get, H | D | V | A, 0,
	    report_query },
	{ "GET", "/api/v1/users", api_users_list, A, 0, no_query },
	{ "POST", "/api/v1/users", api_users_create, A, BODY, no_query },
	{ "GET", "/api/v1/users/#", api_users_get, A, 0, no_query },
	{ "PATCH", "/api/v1/users/#", api_users_patch, A, BODY, no_query },
	{ "GET", "/api/v1/tokens", api_tokens_list, A, 0, tokens_query },
	{ "PUT", "/api/v1/users/#/password", api_session_password_set, A,
	    BODY, no_query },
	{ "POST", "/api/v1/tokens", api_tokens_create, A, BODY, no_query },
	{ "DELETE", "/api/v1/tokens/#", api_tokens_revoke, A, 0, no_query },
	{ "GET", "/api/v1/holiday-sets", api_holidays_list, R | H | D | V | A,
	    0, no_query },
	{ "GET", "/api/v1/holiday-sets/*", api_holidays_get,
	    R | H | D | V | A, 0, no_query },
	{ "PUT", "/api/v1/holiday-sets/*", api_holidays_put, A, BODY,
	    no_query },
};

#define NROUTES (sizeof(routes) / sizeof(routes[0]))
#define ID_MAX_DIGITS 15

int
router_match(const char *pattern, const char *path, int64_t ids[REQ_MAX_IDS],
    char slug[65])
{
	int nid = 0;

	while (*pattern != '\0' && *path != '\0') {
		if (*pattern == '*') {
			size_t n = 0;

			while ((*path >= 'a' && *path <= 'z') ||
			    (*path >= '0' && *path <= '9') || *path == '_' ||
			    *path == '-') {
				if (n == 64)
					return (0);
				slug[n++] = *path++;
			}
			if (n == 0)
				return (0);
			slug[n] = '\0';
			pattern++;
			continue;
		}
		if (*pattern == '#') {
			int64_t v = 0;
			int digits = 0;

			if (*path == '0')
				return (0);
			while (*path >= '0' && *path <= '9') {
				if (++digits > ID_MAX_DIGITS)
					return (0);
				v = v * 10 + (*path++ - '0');
			}
			if (digits == 0 || nid == REQ_MAX_IDS)
				return (0);
			ids[nid++] = v;
			pattern++;
			continue;
		}
		if (*pattern++ != *path++)
			return (0);
	}
	return (*pattern == '\0' && *path == '\0');
}

/* The query parameters of a request against its route's: the first bad
 * one (an empty name needs no why), and why it is bad. */
struct query_check {
	const char *const *allowed;
	const char *bad;
	const char *why;
	const char *seen[16];
	size_t nseen;
};

static enum MHD_Result
check_arg(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *value)
{
	struct query_check *q = cls;
	const char *const *a;

	q->bad = key;
	if (key[0] == '\0')
		return (MHD_NO);
	for (a = q->allowed; *a != NULL; a++)
		if (strcmp(*a, key) == 0)
			break;
	if (*a == NULL) {
		q->why = "is not a query parameter of this resource";
		return (MHD_NO);
	}
	if (value == NULL) {
		q->why = "needs a value (name=value)";
		return (MHD_NO);
	}
	for (size_t i = 0; i < q->nseen; i++)
		if (q->seen[i] == *a) {
			q->why = "is given twice";
			return (MHD_NO);
		}
	q->bad = NULL;
	if (q->nseen < sizeof(q->seen) / sizeof(q->seen[0]))
		q->seen[q->nseen++] = *a;
	return (MHD_YES);
}

static bool
json_content_type(const char *ct)
{
	size_t n = strlen("application/json");

	if (ct == NULL || strncasecmp(ct, "application/json", n) != 0)
		return (false);
	return (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

static bool
safe_method(const char *m)
{
	return (strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0);
}

/*
 * Who is calling: a bearer token when an Authorization header is given,
 * else the session cookie, whose writes must carry its CSRF token.  0 when
 * the caller may use a route open to roles, else the problem's status.
 */
static int
authenticate(struct req *r, unsigned roles)
{
	const char *authz = req_header(r, MHD_HTTP_HEADER_AUTHORIZATION);
	int a;

	if (authz != NULL)
		a = auth_check(r->store, authz, r->now, &r->who);
	else
		a = auth_session_check(r->store, req_cookie(r, AUTH_COOKIE),
		    r->now, &r->who, &r->session_id, r->csrf);
	if (a == -1)
		return (api_internal(r, "authentication"));
	if (a == 1)
		return (problem_set(&r->problem, 401, "unauthorized", NULL,
		    "A valid bearer token or signed-in session is required."));
	if ((roles & (unsigned)r->who.role) == 0)
		return (problem_set(&r->problem, 403, "forbidden", NULL,
		    "The %s role may not do this.",
		    req_role_name(r->who.role)));
	if (r->session_id > 0 && !safe_method(r->method) &&
	    !auth_csrf_ok(req_header(r, AUTH_CSRF_HEADER), r->csrf))
		return (problem_set(&r->problem, 403, "csrf", NULL,
		    "A write with a session needs its token in the "
		    AUTH_CSRF_HEADER " header."));
	return (0);
}

/*
 * A calendar feed token instead of a bearer token or session: taken only
 * on FEED routes (GET), and the token's user must still have the role.
 */
static int
authenticate_feed(struct req *r, unsigned roles)
{
	int a;

	if (!safe_method(r->method))
		return (problem_set(&r->problem, 401, "unauthorized", NULL,
		    "A calendar feed token only reads the feed."));
	if ((a = auth_feed_check(r->store, req_query(r, "token"), &r->who)) ==
	    -1)
		return (api_internal(r, "feed authentication"));
	if (a == 1)
		return (problem_set(&r->problem, 401, "unauthorized", NULL,
		    "The calendar feed token is not valid (it may have been "
		    "replaced or revoked)."));
	if ((roles & (unsigned)r->who.role) == 0)
		return (problem_set(&r->problem, 403, "forbidden", NULL,
		    "The %s role may not do this.",
		    req_role_name(r->who.role)));
	return (0);
}

/* A SCRAPE route: the metrics token, or a loopback peer (metrics.h). */
static int
authenticate_scrape(struct req *r)
{
	const union MHD_ConnectionInfo *ci;
	bool forwarded;
	int st;

	ci = MHD_get_connection_info(r->conn,
	    MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	forwarded = req_header(r, "Forwarded") != NULL ||
	    req_header(r, "X-Forwarded-For") != NULL;
	st = metrics_access(r->cfg->metrics_token,
	    r->cfg->metrics_allow_loopback != 0,
	    ci != NULL ? ci->client_addr : NULL,
	    req_header(r, MHD_HTTP_HEADER_AUTHORIZATION), forwarded);
	if (st == 401)
		return (problem_set(&r->problem, 401, "unauthorized", NULL,
		    "A valid metrics token is required."));
	if (st == 403)
		return (problem_set(&r->problem, 403, "forbidden", NULL,
		    "Metrics are open to loopback peers and to the metrics "
		    "token only."));
	return (0);
}

void
router_dispatch(struct req *r, const char *body, size_t len,
    struct router_result *res)
{
	const struct route *rt = NULL;
	struct query_check q;
	json_error_t jerr;
	int64_t ids[REQ_MAX_IDS];
	char slug[65];

	memset(res, 0, sizeof(*res));
	for (size_t i = 0; i < NROUTES; i++) {
		bool get = strcmp(routes[i].method, "GET") == 0;

		if (!router_match(routes[i].pattern, r->path, ids, slug))
			continue;
		res->matched = 1;
		/* RFC 9110 9.3.2: HEAD wherever GET, with its checks; the
		 * server sends the GET answer's headers and no body. */
		if (strcmp(routes[i].method, r->method) == 0 ||
		    (get && strcmp(r->method, "HEAD") == 0)) {
			rt = &routes[i];
			memcpy(r->ids, ids, sizeof(ids));
			memcpy(r->slug, slug, sizeof(slug));
			break;
		}
		if (strstr(res->allow, routes[i].method) == NULL)
			snprintf(res->allow + strlen(res->allow),
			    sizeof(res->allow) - strlen(res->allow), "%s%s%s",
			    res->allow[0] != '\0' ? ", " : "",
			    routes[i].method, get ? ", HEAD" : "");
	}
	if (!res->matched) {
		res->status = problem_set(&r->problem, 404, "not-found", NULL,
		    "There is nothing at this path.");
		return;
	}
	if (rt == NULL) {
		res->status = problem_set(&r->problem, 405,
		    "method-not-allowed", NULL, "This path takes %s.",
		    res->allow);
		return;
	}
	r->route = (size_t)(rt - routes) + 1;
	if ((rt->flags & SCRAPE) != 0 &&
	    (res->status = authenticate_scrape(r)) != 0)
		return;
	if ((rt->flags & FEED) != 0 && req_query(r, "token") != NULL) {
		if ((res->status = authenticate_feed(r, rt->roles)) != 0)
			return;
	} else if (rt->roles != PUBLIC) {
		if ((res->status = authenticate(r, rt->roles)) != 0)
			return;
		r->own_only = (rt->flags & OWN) != 0 &&
		    r->who.role == ROLE_REPORTER;
	}
	memset(&q, 0, sizeof(q));
	q.allowed = rt->query;
	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, check_arg, &q);
	if (q.bad != NULL) {
		res->status = q.bad[0] == '\0' ? problem_set(&r->problem, 400,
		    "invalid-query", NULL, "A query parameter has no name "
		    "(an '&' or '=' too many?).") : problem_set(&r->problem,
		    400, "invalid-query", q.bad, "%.64s: %s", q.bad, q.why);
		return;
	}
	if (rt->flags & BODY) {
		if (!json_content_type(req_header(r,
		    MHD_HTTP_HEADER_CONTENT_TYPE))) {
			res->status = problem_set(&r->problem, 415,
			    "unsupported-media-type", NULL,
			    "The body must be application/json.");
			return;
		}
		r->body = json_loadb(body != NULL ? body : "", len,
		    JSON_REJECT_DUPLICATES, &jerr);
		if (r->body == NULL) {
			res->status = problem_set(&r->problem, 400,
			    "invalid-json", NULL, "The body is not valid JSON "
			    "(line %d, column %d).", jerr.line, jerr.column);
			return;
		}
		if (!json_is_object(r->body)) {
			res->status = problem_set(&r->problem, 400,
			    "invalid-json", NULL, "The body must be a JSON "
			    "object.");
			return;
		}
	} else if (len > 0) {
		res->status = problem_set(&r->problem, 400, "invalid-json",
		    NULL, "This request takes no body.");
		return;
	}
	res->status = rt->handler(r);
}

size_t
router_nroutes(void)
{
	return (NROUTES);
}

void
router_route_info(size_t i, const char **method, const char **pattern)
{
	*method = i < NROUTES ? routes[i].method : "*";
	*pattern = i < NROUTES ? routes[i].pattern : "(other)";
}
