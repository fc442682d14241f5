/*
 * notices: drafts of the notices an incident owes, rendered with tmpl.h
 * from template files and the incident's facts, obligations, regimes and
 * Art. 34(3) exemption.
 *
 * Kinds: ico_report (the answers in the order of the ICO's online breach
 * report form), art34_letter (the Art. 34(2) letter to the people
 * affected, or the record of the Art. 34(3) exemption relied on),
 * controller_notice (processor to controller, Art. 33(2)) and
 * regulator_notice (any other regime's recipient, with that regime's
 * fields).  One template file per kind and format in the template
 * directory: KIND.txt, KIND.md and KIND.html.  The files are read on every
 * render, so an admin's edit takes effect at once.
 */
#ifndef BREACHCLOCK_NOTICES_H
#define BREACHCLOCK_NOTICES_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tmpl.h"

#define NOTICES_OUT_MAX (512 * 1024)   /* one rendered draft */
#define NOTICES_FILENAME_MAX 128

struct store;

/* A rendered draft. */
struct notice {
	char *text;                /* NUL-terminated; freed by notice_release */
	size_t len;
	int64_t incident_version;  /* the version of the incident it came from */
	char filename[NOTICES_FILENAME_MAX]; /* BR-2026-0001-ico_report.txt */
};

/* Use the templates in dir from now on (copied; call before serving). */
void notices_set_dir(const char *dir);

/* The template directory in use (borrowed), "" if none was set. */
const char *notices_dir(void);

/* Is kind one of the four notice kinds? */
bool notices_kind_valid(const char *kind);

/*
 * The notice kind that fits an obligation of regime_id: ico_report,
 * art34_letter (for every notices_art34 regime), controller_notice, else
 * regulator_notice (static string).
 */
const char *notices_kind_for(const char *regime_id);

/* The regimes of the duty to tell the people affected, which Art. 34(3)
 * exempts from: UK GDPR first, then EU GDPR (the same text).  NULL
 * ends the list (static). */
extern const char *const notices_art34[];

/* Is regime_id one of notices_art34? */
bool notices_is_art34(const char *regime_id);

/*
 * Render the draft of kind (notices_kind_valid) for incident_id in format
 * f as of now.  regime_id names the regime of a regulator_notice (NULL for
 * the other kinds).  Return 0 with *n filled (release with
 * notice_release()); 1 when the incident or the regime does not exist (a
 * message in why, whylen bytes); -1 on a database or template error
 * (logged).
 */
int notices_render(struct store *s, int64_t incident_id, const char *kind,
    const char *regime_id, enum tmpl_format f, int64_t now, struct notice *n,
    char *why, size_t whylen);

/* Free the contents of n; a released or zeroed notice is a no-op. */
void notice_release(struct notice *n);

/*
 * The plain-text draft that goes with an obligation's alert, as a new
 * object {kind, format: "text", filename, body, incident_version} in *out;
 * NULL when it cannot be drafted (a database or template error, logged:
 * the alert goes without it).  ob is the obligation's API JSON (borrowed).
 * 0, or -1 when out of memory.
 */
int notices_for_obligation(struct store *s, int64_t incident_id,
    const json_t *ob, int64_t now, json_t **out);

#endif
