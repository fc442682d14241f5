#ifndef ISO3166_H
#define ISO3166_H

/*
 * iso3166: the codes a jurisdiction may be written as, a country (ISO
 * 3166-1 alpha-2, "GB") or a subdivision (ISO 3166-2, "US-TX"), as
 * Debian's iso-codes package lists them (its JSON files in ISO3166_DIR,
 * which meson reads from the package's pkg-config file).  The lists are
 * read once, on first use, and kept for the life of the process.
 */

#include <stdbool.h>

/* Read the lists, once (later calls return the first result): 0, or -1
 * with *why (static text) saying what is wrong.  Thread-safe. */
int iso3166_init(const char **why);

/* Is code a country or subdivision code?  False when the lists could not
 * be read. */
bool iso3166_valid(const char *code);

/* The code meant by a common non-ISO one ("UK" is "GB", "EL" is "GR",
 * as the EU writes them), or NULL. */
const char *iso3166_meant(const char *code);

#endif
