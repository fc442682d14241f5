#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "escalation.h"
#include "parse.h"

#define MAX_BEFORE_HOURS (24 * 366)

int
escalation_step_parse(const char *name, struct escalation_step *out)
{
	char digits[8];
	size_t n = strlen(name);
	int64_t v;

	memset(out, 0, sizeof(*out));
	if (n == 0 || n >= ESCALATION_STEP_MAX)
		return (-1);
	snprintf(out->name, sizeof(out->name), "%s", name);
	if (strcmp(name, "applies") == 0) {
		out->kind = STEP_APPLIES;
		return (0);
	}
	if (strcmp(name, "half") == 0) {
		out->kind = STEP_HALF;
		return (0);
	}
	if (strcmp(name, "overdue") == 0) {
		out->kind = STEP_OVERDUE;
		return (0);
	}
	/* t-<N>h or t-<N>m */
	if (n < 4 || strncmp(name, "t-", 2) != 0 || n - 3 >= sizeof(digits) ||
	    (name[n - 1] != 'h' && name[n - 1] != 'm'))
		return (-1);
	memcpy(digits, name + 2, n - 3);
	digits[n - 3] = '\0';
	if (parse_int64(digits, 1, name[n - 1] == 'h' ? MAX_BEFORE_HOURS :
	    MAX_BEFORE_HOURS * 60, &v) == -1)
		return (-1);
	out->kind = STEP_BEFORE;
	out->before = v * (name[n - 1] == 'h' ? 3600 : 60);
	return (0);
}

static int
bad(struct problem *p, const char *member, const char *why)
{
	problem_set(p, 400, "invalid-field", member, "%s: %s", member, why);
	return (-1);
}

static int
check_ladder(json_t *l, const char *member, struct problem *p)
{
	struct escalation_step s;
	json_t *v;
	size_t i;

	if (!json_is_array(l) || json_array_size(l) == 0 ||
	    json_array_size(l) > ESCALATION_MAX_STEPS)
		return (bad(p, member, "must be an array of 1 to 16 steps"));
	json_array_foreach(l, i, v)
		if (!json_is_string(v) ||
		    escalation_step_parse(json_string_value(v), &s) == -1)
			return (bad(p, member, "steps are applies, half, "
			    "overdue, t-<N>h or t-<N>m"));
	return (0);
}

static int
check_emails(json_t *l, const char *member, struct problem *p)
{
	json_t *v;
	size_t i;

	if (!json_is_array(l) || json_array_size(l) > 100)
		return (bad(p, member, "must be an array of at most 100 "
		    "e-mail addresses"));
	json_array_foreach(l, i, v) {
		const char *s = json_is_string(v) ? json_string_value(v) : "";
		const char *at = strchr(s, '@');

		if (at == NULL || at == s || at[1] == '\0' ||
		    strlen(s) > 254 || strpbrk(s, " <>\"\\,;\r\n\t") != NULL)
			return (bad(p, member, "has an item that is not an "
			    "e-mail address"));
	}
	return (0);
}

static int
check_int(json_t *doc, const char *member, int64_t min, int64_t max,
    struct problem *p)
{
	json_t *v = json_object_get(doc, member);

	if (!json_is_integer(v) || json_integer_value(v) < min ||
	    json_integer_value(v) > max)
		return (bad(p, member, "must be a whole number in range"));
	return (0);
}

static bool
url_ok(const char *s, bool allow_empty)
{
	if (*s == '\0')
		return (allow_empty);
	if (strncmp(s, "http://", 7) != 0 && strncmp(s, "https://", 8) != 0)
		return (false);
	return (strlen(s) <= 2000 && strpbrk(s, " <>\"\r\n\t") == NULL);
}

int
escalation_check(json_t *doc, struct problem *p)
{
	static const char *const members[] = { "ladder",
		"overdue_every_hours", "regimes", "security_team", "leadership",
		"admins", "untriaged_hours", "digest_hour_utc", "webhooks",
		"web_base_url", NULL };
	const char *key;
	json_t *v, *hooks, *url, *fmt;
	size_t i;

	if (!json_is_object(doc))
		return (bad(p, "escalation", "must be an object"));
	json_object_foreach(doc, key, v) {
		const char *const *m;

		for (m = members; *m != NULL; m++)
			if (strcmp(*m, key) == 0)
				break;
		if (*m == NULL) {
			problem_set(p, 400, "invalid-field", key, "%.64s: is "
			    "not an escalation setting", key);
			return (-1);
		}
	}
	for (const char *const *m = members; *m != NULL; m++)
		if (json_object_get(doc, *m) == NULL)
			return (bad(p, *m, "is required"));
	if (check_ladder(json_object_get(doc, "ladder"), "ladder", p) == -1 ||
	    check_int(doc, "overdue_every_hours", 1, 24 * 30, p) == -1 ||
	    check_int(doc, "untriaged_hours", 1, 24 * 30, p) == -1 ||
	    check_int(doc, "digest_hour_utc", 0, 23, p) == -1 ||
	    check_emails(json_object_get(doc, "security_team"),
	    "security_team", p) == -1 ||
	    check_emails(json_object_get(doc, "leadership"), "leadership",
	    p) == -1 ||
	    check_emails(json_object_get(doc, "admins"), "admins", p) == -1)
		return (-1);
	v = json_object_get(doc, "regimes");
	if (!json_is_object(v) || json_object_size(v) > 1000)
		return (bad(p, "regimes", "must be an object of per-regime "
		    "ladders"));
	json_object_foreach(v, key, url) {
		if (!json_is_object(url) || json_object_size(url) != 1 ||
		    check_ladder(json_object_get(url, "ladder"), "regimes",
		    p) == -1)
			return (bad(p, "regimes", "each member must be "
			    "{\"ladder\": [steps]}"));
	}
	hooks = json_object_get(doc, "webhooks");
	if (!json_is_array(hooks) || json_array_size(hooks) > 20)
		return (bad(p, "webhooks", "must be an array of at most 20"));
	json_array_foreach(hooks, i, v) {
		url = json_object_get(v, "url");
		fmt = json_object_get(v, "format");
		if (!json_is_object(v) || json_object_size(v) != 2 ||
		    !json_is_string(url) ||
		    !url_ok(json_string_value(url), false) ||
		    !json_is_string(fmt) ||
		    (strcmp(json_string_value(fmt), "json") != 0 &&
		    strcmp(json_string_value(fmt), "slack") != 0))
			return (bad(p, "webhooks", "each must be {\"url\": "
			    "\"http(s)://...\", \"format\": \"json\" or "
			    "\"slack\"}"));
	}
	v = json_object_get(doc, "web_base_url");
	if (!json_is_string(v) || !url_ok(json_string_value(v), true))
		return (bad(p, "web_base_url", "must be an http(s) URL or "
		    "empty"));
	return (0);
}

size_t
escalation_ladder(json_t *doc, const char *regime_id,
    struct escalation_step steps[ESCALATION_MAX_STEPS])
{
	json_t *l = json_object_get(json_object_get(json_object_get(doc,
	    "regimes"), regime_id), "ladder"), *v;
	size_t i, n = 0;

	if (!json_is_array(l))
		l = json_object_get(doc, "ladder");
	json_array_foreach(l, i, v) {
		if (n == ESCALATION_MAX_STEPS || !json_is_string(v) ||
		    escalation_step_parse(json_string_value(v), &steps[n]) ==
		    -1)
			return (0);
		n++;
	}
	return (n);
}

int64_t
escalation_step_at(const struct escalation_step *s, int64_t starts_at,
    int64_t due_at)
{
	switch (s->kind) {
	case STEP_APPLIES:
		return (starts_at);
	case STEP_HALF:
		return (starts_at + (due_at - starts_at) / 2);
	case STEP_BEFORE:
		return (due_at - s->before);
	case STEP_OVERDUE:
		return (due_at);
	}
	return (due_at);
}
