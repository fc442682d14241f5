/*
 * auth_feed: calendar feed tokens.  A feed token is "bcf_" and 43
 * base64url characters (256 random bits from libsodium), so that it can
 * never be mistaken for an API token ("bc_"); the database keeps only its
 * BLAKE2b-256 hash (auth.h), one per user.  It travels in the query
 * string (GET /api/v1/calendar.ics?token=...) because calendar apps
 * cannot send headers, and it grants only that feed, as its user: the
 * router accepts it only on routes flagged FEED, and still checks the
 * user's role there.
 */
#ifndef BREACHCLOCK_AUTH_FEED_H
#define BREACHCLOCK_AUTH_FEED_H

#include "auth.h"
#include "req.h"

#define AUTH_FEED_TOKEN_LEN 47   /* "bcf_" + 43, without the NUL */

struct store;

/* Write a new random feed token (NUL-terminated) into
 * token[AUTH_FEED_TOKEN_LEN+1] and its hash into hash[AUTH_HASH_LEN]. */
void auth_feed_token_new(char token[AUTH_FEED_TOKEN_LEN + 1],
    unsigned char hash[AUTH_HASH_LEN]);

/*
 * Check a presented feed token (may be NULL).  Return 0 and fill *who
 * for the current token of an active user, 1 when it is malformed,
 * unknown, replaced or revoked, -1 on a database error.
 */
int auth_feed_check(struct store *s, const char *token,
    struct principal *who);

#endif
