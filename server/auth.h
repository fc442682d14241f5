/*
 * auth: bearer tokens, browser sessions and passwords.
 *
 * Bearer tokens.  A token is "bc_" and 43 base64url characters (256
 * random bits from libsodium); the database keeps only its BLAKE2b-256
 * hash, which is right for a high-entropy secret and costs microseconds.
 */
#ifndef BREACHCLOCK_AUTH_H
#define BREACHCLOCK_AUTH_H

#include <stdbool.h>
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

/*
 * Browser sessions.  The cookie AUTH_COOKIE carries 256 random bits
 * (base64url, 43 characters); the database keeps only their BLAKE2b-256
 * hash.  A session ends AUTH_SESSION_IDLE seconds after its last use, and
 * at most AUTH_SESSION_MAX seconds after sign-in.  Writes made with a
 * session must echo its CSRF token (43 characters) in AUTH_CSRF_HEADER.
 */
#define AUTH_COOKIE "bc_session"
#define AUTH_CSRF_HEADER "X-CSRF-Token"
#define AUTH_SECRET_LEN 43
#define AUTH_SESSION_IDLE (8 * 3600)
#define AUTH_SESSION_MAX (24 * 3600)

/* A new random secret (NUL-terminated) into out[AUTH_SECRET_LEN+1]. */
void auth_secret_new(char out[AUTH_SECRET_LEN + 1]);

/*
 * Check a session cookie value (may be NULL) at time now.  Return 0 and
 * fill *who, *session_id and csrf[AUTH_SECRET_LEN+1] for a live session,
 * sliding its expiry; 1 when it is missing, unknown or expired; -1 on a
 * database error.
 */
int auth_session_check(struct store *s, const char *cookie, int64_t now,
    struct principal *who, int64_t *session_id,
    char csrf[AUTH_SECRET_LEN + 1]);

/* Whether a presented CSRF header (may be NULL) equals the session's
 * token, compared in constant time. */
bool auth_csrf_ok(const char *presented, const char *expected);

/*
 * Passwords: argon2id through libsodium, 2 passes over 19 MiB (OWASP's
 * minimum), at most AUTH_PW_PARALLEL at once so that sign-in bursts
 * cannot exhaust memory.  Checked only at sign-in, never per request.
 */
#define AUTH_PW_MIN 12
#define AUTH_PW_MAX 256
#define AUTH_PW_HASH_LEN 128       /* crypto_pwhash_STRBYTES */
#define AUTH_PW_PARALLEL 2

/* Hash a password into out[AUTH_PW_HASH_LEN]; -1 when out of memory. */
int auth_password_hash(const char *pw, char out[AUTH_PW_HASH_LEN]);

/* 0 when pw matches the stored argon2id string, 1 when it does not or
 * stored is empty (then a dummy hash is checked, so that an unknown user
 * costs as much time as a known one). */
int auth_password_verify(const char *stored, const char *pw);

/*
 * Sign-in throttling.  After threshold consecutive failures under one
 * key, each further failure locks the key for 30 s, doubling up to
 * 15 min; failures older than AUTH_THROTTLE_WINDOW are forgotten.
 * Return the seconds to lock after `failures' failures (0: none).
 */
#define AUTH_THROTTLE_WINDOW 900
#define AUTH_THROTTLE_USER 5
#define AUTH_THROTTLE_ADDR 20
int64_t auth_throttle_lock(int64_t failures, int64_t threshold);

#endif
