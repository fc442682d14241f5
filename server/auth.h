/*
 * auth: bearer tokens.  A token is "bc_" and 43 base64url characters (256
 * random bits from libsodium); the database keeps only its BLAKE2b-256
 * hash, which is right for a high-entropy secret and costs microseconds.
 */
#ifndef BREACHCLOCK_AUTH_H
#define BREACHCLOCK_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include "req.h"

#define AUTH_TOKEN_LEN 46   /* "bc_" + 43, without the NUL */
#define AUTH_HASH_LEN 32

struct store;

/* Write a new random token (NUL-terminated) into token[AUTH_TOKEN_LEN+1]
 * and its hash into hash[AUTH_HASH_LEN]. */
void auth_token_new(char token[AUTH_TOKEN_LEN + 1],
    unsigned char hash[AUTH_HASH_LEN]);

/* Hash a presented token of len bytes. */
void auth_token_hash(const char *token, size_t len,
    unsigned char hash[AUTH_HASH_LEN]);

/*
 * Check an Authorization header value ("Bearer <token>", may be NULL) at
 * time now.  Return 0 and fill *who for a live token of a known user, 1
 * when the token is missing, unknown, expired or revoked, -1 on a database
 * error.
 */
int auth_check(struct store *s, const char *header, int64_t now,
    struct principal *who);

#endif
