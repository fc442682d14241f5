#include <sodium.h>
#include <string.h>

#include "auth_feed.h"
#include "store_api.h"

void
auth_feed_token_new(char token[AUTH_FEED_TOKEN_LEN + 1],
    unsigned char hash[AUTH_HASH_LEN])
{
	unsigned char raw[32];

	randombytes_buf(raw, sizeof(raw));
	memcpy(token, "bcf_", 4);
	sodium_bin2base64(token + 4, AUTH_FEED_TOKEN_LEN + 1 - 4, raw,
	    sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
	auth_token_hash(token, AUTH_FEED_TOKEN_LEN, hash);
}

int
auth_feed_check(struct store *s, const char *token, struct principal *who)
{
	unsigned char hash[AUTH_HASH_LEN];

	if (token == NULL || strlen(token) != AUTH_FEED_TOKEN_LEN ||
	    strncmp(token, "bcf_", 4) != 0)
		return (1);
	auth_token_hash(token, AUTH_FEED_TOKEN_LEN, hash);
	return (store_calendar_token_auth(s, hash, who));
}
