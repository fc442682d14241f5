/*
 * fuzz_incident: a request body as the API reads it (jansson, duplicate
 * keys refused, as router.c does) through incident validation
 * (server/incident.c): create or patch (the first byte's low bit), then on
 * success the rules between fields and every lifecycle transition.
 * Oracles: a refusal is a 400 or 422 problem with a slug and a bounded
 * field; what validation accepts is normalised, so validating its output
 * again gives the same output (the store keeps exactly that).
 */
#include <stdbool.h>
#include <string.h>

#include <jansson.h>

#include "fuzz.h"
#include "incident.h"

/* 2026-06-01T12:00:00Z */
#define NOW 1780315200LL

static const char *const statuses[] = { "suspected", "investigating",
	"confirmed", "not_a_breach", "contained", "closed" };
#define NSTATUS (sizeof(statuses) / sizeof(statuses[0]))

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return (0);
}

static void
check_problem(const struct problem *p, int a, int b)
{
	FUZZ_CHECK(p->status == a || p->status == b);
	FUZZ_CHECK(p->slug != NULL);
	FUZZ_CHECK(memchr(p->field, '\0', sizeof(p->field)) != NULL);
	FUZZ_CHECK(memchr(p->detail, '\0', sizeof(p->detail)) != NULL);
	FUZZ_CHECK(p->detail[0] != '\0');
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct problem p;
	json_error_t jerr;
	json_t *body, *out = NULL, *again = NULL;
	bool create;

	if (size == 0)
		return (0);
	create = (data[0] & 1) != 0;
	body = json_loadb((const char *)data + 1, size - 1,
	    JSON_REJECT_DUPLICATES, &jerr);
	if (body == NULL)
		return (0);
	memset(&p, 0, sizeof(p));
	if (incident_validate(body, create, &out, &p) == -1) {
		check_problem(&p, 400, 400);
		json_decref(body);
		return (0);
	}
	FUZZ_CHECK(json_is_object(out));
	memset(&p, 0, sizeof(p));
	FUZZ_CHECK(incident_validate(out, create, &again, &p) == 0);
	FUZZ_CHECK(json_equal(out, again));
	if (create) {
		memset(&p, 0, sizeof(p));
		if (incident_check(out, NOW, &p) == -1)
			check_problem(&p, 422, 422);
		for (size_t i = 0; i < NSTATUS; i++)
			for (size_t j = 0; j < NSTATUS; j++) {
				memset(&p, 0, sizeof(p));
				if (incident_transition(statuses[i],
				    statuses[j], out, &p) == -1)
					check_problem(&p, 409, 422);
			}
		for (size_t i = 0; i < incident_nfields; i++)
			if (incident_fields[i].type == F_TIME)
				(void)incident_time(out, incident_fields[i].name);
	}
	json_decref(again);
	json_decref(out);
	json_decref(body);
	return (0);
}
