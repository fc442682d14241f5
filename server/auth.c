#include <sodium.h>
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
