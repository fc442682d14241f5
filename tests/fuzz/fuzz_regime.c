/*
 * fuzz_regime: the regime rule parser (server/regime.c, behind
 * POST/PATCH /api/v1/regimes), then the deadline engine (server/rules.c)
 * on whatever it accepts, for a controller and a processor incident.
 * Oracles: a refusal is a 400 naming "rule"; an accepted rule has 1 to
 * REGIME_MAX_PHASES phases with earlier-phase references pointing back;
 * a computed deadline is never before its clock starts (unless a cap
 * ends first).
 */
#include <stdbool.h>
#include <string.h>

#include <jansson.h>

#include "calendar.h"
#include "fuzz.h"
#include "regime.h"
#include "rules.h"
#include "timeutil.h"

/* 2026-03-02T09:30:00Z, a Monday */
#define T0 1772443800LL

static const char *const default_codes[] = { "GB", NULL };

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return (calendar_global_init());
}

static void
facts_init(struct rules_facts *f, bool processor)
{
	memset(f, 0, sizeof(*f));
	f->status = processor ? RULES_INVESTIGATING : RULES_CONFIRMED;
	f->role = processor ? REGIME_PROCESSOR : REGIME_CONTROLLER;
	f->discovered_at = T0;
	f->aware_at = processor ? RULES_NO_TIME : T0 + 3600;
	f->risk = processor ? RULES_RISK_NONE : RULES_RISK_HIGH;
	f->risk_run_at = f->high_run_at = f->first_risk_at =
	    f->first_high_at = processor ? RULES_NO_TIME : T0 + 7200;
	f->controller_notice_hours = 24;
	f->sectors = processor ? 0 : 0xffffffffu;
	f->subjects = processor ? -1 : 1000000;
	snprintf(f->places[0].code, sizeof(f->places[0].code), "GB");
	f->places[0].subjects = 600000;
	snprintf(f->places[1].code, sizeof(f->places[1].code), "US-CA");
	f->places[1].subjects = 400000;
	snprintf(f->places[2].code, sizeof(f->places[2].code), "DE");
	f->places[2].subjects = -1;
	f->nplaces = 3;
	for (size_t i = 0; regime_determinations[i] != NULL &&
	    i < RULES_MAX_DETERMINATIONS; i++) {
		snprintf(f->determinations[i].kind,
		    sizeof(f->determinations[i].kind), "%s",
		    regime_determinations[i]);
		f->determinations[i].at = T0 + 86400 * (int64_t)i;
		f->ndeterminations = i + 1;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct regime g;
	static struct rules_obligation out[REGIME_MAX_PHASES];
	static struct rules_facts f;
	struct rules_config c = { 72, default_codes };
	struct calendar cal;
	struct problem p;
	json_t *rule;
	char name[128];

	if ((rule = json_loadb((const char *)data, size,
	    JSON_REJECT_DUPLICATES, NULL)) == NULL)
		return (0);
	memset(&p, 0, sizeof(p));
	if (regime_parse("fuzz_regime", "Fuzz Act s. 1", rule, &g, &p) == -1) {
		FUZZ_CHECK(p.status == 400);
		FUZZ_CHECK(memchr(p.detail, '\0', sizeof(p.detail)) != NULL);
		json_decref(rule);
		return (0);
	}
	FUZZ_CHECK(g.nphases >= 1 && g.nphases <= REGIME_MAX_PHASES);
	for (size_t i = 0; i < g.nphases; i++) {
		if (g.phases[i].clock.start == START_PHASE)
			FUZZ_CHECK(g.phases[i].clock.phase_ref < i);
		regime_start_name(&g, &g.phases[i].clock, name, sizeof(name));
		FUZZ_CHECK(memchr(name, '\0', sizeof(name)) != NULL);
	}
	cal.tz = g.tz;
	cal.holidays = NULL;
	cal.nholidays = 0;
	for (int proc = 0; proc < 2; proc++) {
		facts_init(&f, proc != 0);
		(void)rules_relevant(&g, &f, &c);
		memset(out, 0, sizeof(out));
		if (rules_compute(&g, &cal, &f, &c, out) == -1)
			continue;
		for (size_t i = 0; i < g.nphases; i++) {
			FUZZ_CHECK(memchr(out[i].basis, '\0',
			    sizeof(out[i].basis)) != NULL);
			/* A cap (DORA: 24 h after awareness at most) may
			 * end before a late clock starts; nothing else may. */
			if (out[i].exists && !g.phases[i].has_cap &&
			    out[i].due_at != RULES_NO_TIME &&
			    out[i].starts_at != RULES_NO_TIME)
				FUZZ_CHECK(out[i].due_at >= out[i].starts_at);
		}
	}
	json_decref(rule);
	return (0);
}
