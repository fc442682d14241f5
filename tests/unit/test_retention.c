/*
 * Unit tests for retention_redact() (server/retention.c): what it erases
 * from an event's data and what it keeps, and that every free-text field
 * of an incident (incident.c) is either erased or kept on purpose.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "incident.h"
#include "retention.h"

/* Free-text incident fields that retention keeps, and why. */
static const char *const kept_text[] = {
	"controller_name",  /* names the organisation told under Art. 33(2) */
	NULL,
};

/* data (JSON text) redacted, compared with want (JSON text). */
static void
check(const char *data, const char *want, bool want_changed)
{
	json_t *in = json_loads(data, 0, NULL), *out, *exp, *orig;
	bool changed;

	assert_non_null(in);
	exp = json_loads(want, 0, NULL);
	assert_non_null(exp);
	out = retention_redact(in, &changed);
	assert_non_null(out);
	if (!json_equal(out, exp)) {
		char *got = json_dumps(out, JSON_SORT_KEYS);

		fail_msg("redacted %s\n got  %s\n want %s", data, got, want);
		free(got);
	}
	assert_int_equal(changed, want_changed);
	/* the input is not touched */
	orig = json_loads(data, 0, NULL);
	assert_true(json_equal(in, orig));
	json_decref(orig);
	json_decref(in);
	json_decref(out);
	json_decref(exp);
}

static void
test_created(void **state)
{
	(void)state;
	check("{\"title\": \"Mail to Jane\", \"description\": \"Jane\", "
	    "\"how_discovered\": null, \"subjects_count\": 3, "
	    "\"data_categories\": [\"health\"], \"controller_name\": \"Acme\", "
	    "\"discovered_at\": \"2026-01-01T00:00:00Z\"}",
	    "{\"title\": \"[anonymised]\", \"description\": \"[anonymised]\", "
	    "\"how_discovered\": null, \"subjects_count\": 3, "
	    "\"data_categories\": [\"health\"], \"controller_name\": \"Acme\", "
	    "\"discovered_at\": \"2026-01-01T00:00:00Z\"}", true);
}

static void
test_changes(void **state)
{
	(void)state;
	check("{\"changes\": {\"dpo_contact\": {\"from\": null, \"to\": "
	    "\"Jane\"}, \"status\": {\"from\": \"a\", \"to\": \"b\"}, "
	    "\"measures_taken\": {\"from\": \"x\", \"to\": \"y\"}}}",
	    "{\"changes\": {\"dpo_contact\": {\"from\": null, \"to\": "
	    "\"[anonymised]\"}, \"status\": {\"from\": \"a\", \"to\": \"b\"}, "
	    "\"measures_taken\": {\"from\": \"[anonymised]\", \"to\": "
	    "\"[anonymised]\"}}}", true);
}

static void
test_other_events(void **state)
{
	(void)state;
	check("{\"text\": \"Called Jane\"}", "{\"text\": \"[anonymised]\"}",
	    true);
	check("{\"decision_id\": 4, \"level\": \"high\", \"rationale\": \"J\", "
	    "\"previous\": null}", "{\"decision_id\": 4, \"level\": \"high\", "
	    "\"rationale\": \"[anonymised]\", \"previous\": null}", true);
	check("{\"obligation_id\": 1, \"reason\": \"told Jane\"}",
	    "{\"obligation_id\": 1, \"reason\": \"[anonymised]\"}", true);
	check("{\"sent_at\": \"2026-01-01T00:00:00Z\", \"reference\": \"IC-1\","
	    " \"delay_reason\": \"Jane\", \"notice\": {\"kind\": \"ico_report\"}}",
	    "{\"sent_at\": \"2026-01-01T00:00:00Z\", \"reference\": \"IC-1\","
	    " \"delay_reason\": \"[anonymised]\", \"notice\": {\"kind\": "
	    "\"ico_report\"}}", true);
	/* nothing to erase */
	check("{\"from\": \"contained\", \"to\": \"closed\"}",
	    "{\"from\": \"contained\", \"to\": \"closed\"}", false);
	/* erased already */
	check("{\"text\": \"[anonymised]\"}", "{\"text\": \"[anonymised]\"}",
	    false);
	/* nested in arrays */
	check("[{\"items\": [{\"title\": \"x\"}]}]",
	    "[{\"items\": [{\"title\": \"[anonymised]\"}]}]", true);
}

static bool
listed(const char *const *list, const char *name)
{
	for (size_t i = 0; list[i] != NULL; i++)
		if (strcmp(list[i], name) == 0)
			return (true);
	return (false);
}

/* A new free-text incident field needs a decision here and in
 * store_sql.h's RETENTION_INCIDENT. */
static void
test_every_text_field_decided(void **state)
{
	(void)state;
	for (size_t i = 0; i < incident_nfields; i++) {
		const struct incident_field *f = &incident_fields[i];

		if (f->type != F_TEXT)
			continue;
		if (listed(retention_erased_keys, f->name) ==
		    listed(kept_text, f->name))
			fail_msg("incident field %s: retention must either "
			    "erase it (retention_erased_keys) or keep it "
			    "(kept_text)", f->name);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_created),
		cmocka_unit_test(test_changes),
		cmocka_unit_test(test_other_events),
		cmocka_unit_test(test_every_text_field_decided),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
