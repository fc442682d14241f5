#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "auth.h"
#include "store.h"
#include "store_api.h"

void
auth_token_new(char token[AUTH_TOKEN_LEN + 1],
    unsigned char hash[AUTH_HASH_LEN])
{
	unsigned char raw[32];

	randombytes_buf(raw, sizeof(raw));
	memcpy(token, "bc_", 3);
	sodium_bin2base64(token + 3, AUTH_TOKEN_LEN + 1 - 3, raw, sizeof(raw),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
	auth_token_hash(token, AUTH_TOKEN_LEN, hash);
}

void
auth_token_hash(const char *token, size_t len,
    unsigned char hash[AUTH_HASH_LEN])
{
	crypto_generichash(hash, AUTH_HASH_LEN, (const unsigned char *)token,
	    len, NULL, 0);
}

int
auth_check(struct store *s, const char *header, int64_t now,
    struct principal *who)
{
	unsigned char hash[AUTH_HASH_LEN];
	const char *tok;
	size_t len;

	if (header == NULL || strncasecmp(header, "Bearer ", 7) != 0)
		return (1);
	tok = header + 7;
	while (*tok == ' ')
		tok++;
	len = strlen(tok);
	while (len > 0 && tok[len - 1] == ' ')
		len--;
	if (len != AUTH_TOKEN_LEN || strncmp(tok, "bc_", 3) != 0)
		return (1);
	auth_token_hash(tok, len, hash);
	return (store_token_auth(s, hash, now, who));
}

void
auth_secret_new(char out[AUTH_SECRET_LEN + 1])
{
	unsigned char raw[32];

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(out, AUTH_SECRET_LEN + 1, raw, sizeof(raw),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
}

int
auth_session_check(struct store *s, const char *cookie, int64_t now,
    struct principal *who, int64_t *session_id,
    char csrf[AUTH_SECRET_LEN + 1])
{
	unsigned char hash[AUTH_HASH_LEN];
	struct store_session ss;
	int64_t slid;
	int rc;

	if (cookie == NULL || strlen(cookie) != AUTH_SECRET_LEN)
		return (1);
	auth_token_hash(cookie, AUTH_SECRET_LEN, hash);
	if ((rc = store_session_auth(s, hash, who, &ss)) != 0)
		return (rc);
	if (ss.expires_at <= now || who->role == 0)
		return (1);
	/* Slide the idle expiry, writing at most every five minutes. */
	slid = now + AUTH_SESSION_IDLE;
	if (slid > ss.created_at + AUTH_SESSION_MAX)
		slid = ss.created_at + AUTH_SESSION_MAX;
	if (slid - ss.expires_at >= 300 &&
	    store_session_touch(s, ss.id, slid) == -1)
		return (-1);
	*session_id = ss.id;
	snprintf(csrf, AUTH_SECRET_LEN + 1, "%s", ss.csrf);
	return (0);
}

bool
auth_csrf_ok(const char *presented, const char *expected)
{
	if (presented == NULL || strlen(presented) != AUTH_SECRET_LEN ||
	    strlen(expected) != AUTH_SECRET_LEN)
		return (false);
	return (sodium_memcmp(presented, expected, AUTH_SECRET_LEN) == 0);
}

/* Argon2id cost: OWASP's minimum for argon2id (m = 19 MiB, t = 2). */
#define PW_OPS 2
#define PW_MEM (19u * 1024 * 1024)

static pthread_mutex_t pw_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pw_cond = PTHREAD_COND_INITIALIZER;
static int pw_running;
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static char dummy_hash[AUTH_PW_HASH_LEN];

static void
pw_enter(void)
{
	pthread_mutex_lock(&pw_lock);
	while (pw_running >= AUTH_PW_PARALLEL)
		pthread_cond_wait(&pw_cond, &pw_lock);
	pw_running++;
	pthread_mutex_unlock(&pw_lock);
}

static void
pw_leave(void)
{
	pthread_mutex_lock(&pw_lock);
	pw_running--;
	pthread_cond_signal(&pw_cond);
	pthread_mutex_unlock(&pw_lock);
}

int
auth_password_hash(const char *pw, char out[AUTH_PW_HASH_LEN])
{
	int rc;

	pw_enter();
	rc = crypto_pwhash_str_alg(out, pw, strlen(pw), PW_OPS, PW_MEM,
	    crypto_pwhash_ALG_ARGON2ID13);
	pw_leave();
	return (rc == 0 ? 0 : -1);
}

static void
dummy_init(void)
{
	char pw[AUTH_SECRET_LEN + 1];

	auth_secret_new(pw);
	if (auth_password_hash(pw, dummy_hash) == -1)
		dummy_hash[0] = '\0';
}

int
auth_password_verify(const char *stored, const char *pw)
{
	bool real = stored != NULL && stored[0] != '\0';
	int rc;

	if (!real) {
		pthread_once(&dummy_once, dummy_init);
		stored = dummy_hash;
	}
	pw_enter();
	rc = crypto_pwhash_str_verify(stored, pw, strlen(pw));
	pw_leave();
	return (real && rc == 0 ? 0 : 1);
}

int64_t
auth_throttle_lock(int64_t failures, int64_t threshold)
{
	int64_t n = failures - threshold, lock = 30;

	if (n < 0)
		return (0);
	while (n-- > 0 && lock < 900)
		lock *= 2;
	return (lock < 900 ? lock : 900);
}
