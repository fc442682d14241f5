#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "store_api.h"

#define GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

static void
put(crypto_generichash_state *h, const void *p, size_t n)
{
	unsigned char len[8];

	for (int i = 0; i < 8; i++)
		len[i] = (unsigned char)((uint64_t)n >> (56 - 8 * i));
	crypto_generichash_update(h, len, sizeof(len));
	crypto_generichash_update(h, p, n);
}

static void
put_int(crypto_generichash_state *h, int64_t v)
{
	char buf[24];
	int n = snprintf(buf, sizeof(buf), "%lld", (long long)v);

	put(h, buf, (size_t)n);
}

void
audit_hash(const char *prev_hash, int64_t id, int64_t at, const char *actor,
    const char *action, int64_t incident_id, const char *data,
    char out[AUDIT_HASH_HEX])
{
	crypto_generichash_state h;
	unsigned char md[32];

	crypto_generichash_init(&h, NULL, 0, sizeof(md));
	put(&h, prev_hash, strlen(prev_hash));
	put_int(&h, id);
	put_int(&h, at);
	put(&h, actor, strlen(actor));
	put(&h, action, strlen(action));
	put_int(&h, incident_id);
	put(&h, data, strlen(data));
	crypto_generichash_final(&h, md, sizeof(md));
	sodium_bin2hex(out, AUDIT_HASH_HEX, md, sizeof(md));
}

int
audit_append(struct store *s, int64_t at, const char *actor,
    const char *action, int64_t incident_id, const json_t *data,
    int64_t *event_id)
{
	char prev[AUDIT_HASH_HEX], hash[AUDIT_HASH_HEX];
	char *text;
	int64_t id;
	int rc;

	if ((text = json_dumps(data, JSON_COMPACT | JSON_SORT_KEYS)) == NULL)
		return (-1);
	if (store_event_last(s, &id, prev) == -1) {
		free(text);
		return (-1);
	}
	if (id == 0)
		snprintf(prev, sizeof(prev), "%s", GENESIS);
	id++;
	audit_hash(prev, id, at, actor, action, incident_id, text, hash);
	rc = store_event_insert(s, id, at, actor, action, incident_id, text,
	    prev, hash);
	free(text);
	if (rc == 0 && event_id != NULL)
		*event_id = id;
	return (rc);
}

struct verify {
	char prev[AUDIT_HASH_HEX];
	int64_t count;
	int64_t broken_at;
};

static int
verify_one(void *arg, const struct store_event *e)
{
	struct verify *v = arg;
	char hash[AUDIT_HASH_HEX];

	if (v->broken_at != 0)
		return (0);
	v->count++;
	audit_hash(v->prev, e->id, e->at, e->actor, e->action, e->incident_id,
	    e->data, hash);
	if (e->id != v->count || strcmp(e->prev_hash, v->prev) != 0 ||
	    strcmp(e->hash, hash) != 0) {
		v->broken_at = e->id;
		return (0);
	}
	snprintf(v->prev, sizeof(v->prev), "%s", e->hash);
	return (0);
}

int
audit_verify(struct store *s, int64_t *count, int64_t *broken_at)
{
	struct verify v;

	memset(&v, 0, sizeof(v));
	snprintf(v.prev, sizeof(v.prev), "%s", GENESIS);
	if (store_event_scan(s, verify_one, &v) == -1)
		return (-1);
	*count = v.count;
	*broken_at = v.broken_at;
	return (0);
}
