#include <sodium.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "store_api.h"

#define GENESIS "0000000000000000000000000000000000000000000000000000000000000000"
/* Marks the hash of a v2 event (data_hash set), so that no v1 event can
 * pass for one. */
#define V2_TAG "breachclock audit v2"

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

void
audit_data_hash(const char *data, char out[AUDIT_HASH_HEX])
{
	unsigned char md[32];

	crypto_generichash(md, sizeof(md), (const unsigned char *)data,
	    strlen(data), NULL, 0);
	sodium_bin2hex(out, AUDIT_HASH_HEX, md, sizeof(md));
}

void
audit_hash_v2(const char *prev_hash, int64_t id, int64_t at,
    const char *actor, const char *action, int64_t incident_id,
    const char *data_hash, char out[AUDIT_HASH_HEX])
{
	crypto_generichash_state h;
	unsigned char md[32];

	crypto_generichash_init(&h, NULL, 0, sizeof(md));
	put(&h, V2_TAG, strlen(V2_TAG));
	put(&h, prev_hash, strlen(prev_hash));
	put_int(&h, id);
	put_int(&h, at);
	put(&h, actor, strlen(actor));
	put(&h, action, strlen(action));
	put_int(&h, incident_id);
	put(&h, data_hash, strlen(data_hash));
	crypto_generichash_final(&h, md, sizeof(md));
	sodium_bin2hex(out, AUDIT_HASH_HEX, md, sizeof(md));
}

int
audit_append(struct store *s, int64_t at, const char *actor,
    const char *action, int64_t incident_id, const json_t *data,
    int64_t *event_id)
{
	char prev[AUDIT_HASH_HEX], hash[AUDIT_HASH_HEX];
	char data_hash[AUDIT_HASH_HEX];
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
	audit_data_hash(text, data_hash);
	audit_hash_v2(prev, id, at, actor, action, incident_id, data_hash,
	    hash);
	rc = store_event_insert(s, id, at, actor, action, incident_id, text,
	    data_hash, prev, hash);
	free(text);
	if (rc == 0 && event_id != NULL)
		*event_id = id;
	return (rc);
}

struct verify {
	char prev[AUDIT_HASH_HEX];
	int64_t count;
	int64_t broken_at;
	/* Redacted events not yet vouched for by a later anonymisation
	 * event (ids ascending), and the incidents they belong to. */
	int64_t *pending, *pending_incident;
	size_t npending, cap;
	int oom;
};

/* Remember a redacted event until an anonymisation event lists it. */
static int
pending_add(struct verify *v, int64_t id, int64_t incident_id)
{
	int64_t *p, *q;
	size_t cap;

	if (v->npending == v->cap) {
		cap = v->cap == 0 ? 64 : v->cap * 2;
		if (cap > SIZE_MAX / sizeof(*p) ||
		    (p = realloc(v->pending, cap * sizeof(*p))) == NULL)
			return (-1);
		v->pending = p;
		if ((q = realloc(v->pending_incident, cap * sizeof(*q))) ==
		    NULL)
			return (-1);
		v->pending_incident = q;
		v->cap = cap;
	}
	v->pending[v->npending] = id;
	v->pending_incident[v->npending++] = incident_id;
	return (0);
}

/*
 * An intact (not redacted) AUDIT_ANONYMISED event vouches for the
 * redacted events of its incident that it lists in "redacted_events".
 */
static void
pending_settle(struct verify *v, const struct store_event *e)
{
	json_t *data, *ids, *x;
	size_t i, j, k;

	if ((data = json_loads(e->data, 0, NULL)) == NULL)
		return;
	ids = json_object_get(data, "redacted_events");
	for (i = 0, k = 0; i < v->npending; i++) {
		bool listed = false;

		json_array_foreach(ids, j, x)
			if (json_is_integer(x) &&
			    json_integer_value(x) == v->pending[i])
				listed = true;
		if (listed && v->pending_incident[i] == e->incident_id)
			continue;
		v->pending[k] = v->pending[i];
		v->pending_incident[k++] = v->pending_incident[i];
	}
	v->npending = k;
	json_decref(data);
}

static int
verify_one(void *arg, const struct store_event *e)
{
	struct verify *v = arg;
	char hash[AUDIT_HASH_HEX], dh[AUDIT_HASH_HEX];
	bool ok;

	if (v->broken_at != 0)
		return (0);
	v->count++;
	if (e->data_hash == NULL) {
		/* v1: the hash covers the data itself. */
		audit_hash(v->prev, e->id, e->at, e->actor, e->action,
		    e->incident_id, e->data, hash);
		ok = !e->redacted;
	} else {
		/* v2: the hash covers the digest of the data as written;
		 * the data must still have it unless retention redacted it
		 * (vouched for by a later anonymisation event). */
		audit_hash_v2(v->prev, e->id, e->at, e->actor, e->action,
		    e->incident_id, e->data_hash, hash);
		audit_data_hash(e->data, dh);
		ok = e->redacted || strcmp(dh, e->data_hash) == 0;
		if (ok && e->redacted && pending_add(v, e->id,
		    e->incident_id) == -1)
			v->oom = 1;
		if (ok && !e->redacted &&
		    strcmp(e->action, AUDIT_ANONYMISED) == 0)
			pending_settle(v, e);
	}
	if (!ok || e->id != v->count || strcmp(e->prev_hash, v->prev) != 0 ||
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
	int rc = -1;

	memset(&v, 0, sizeof(v));
	snprintf(v.prev, sizeof(v.prev), "%s", GENESIS);
	if (store_event_scan(s, verify_one, &v) == -1 || v.oom)
		goto out;
	/* A redacted event that no anonymisation vouched for breaks the
	 * chain there. */
	if (v.npending > 0 && (v.broken_at == 0 ||
	    v.pending[0] < v.broken_at))
		v.broken_at = v.pending[0];
	*count = v.count;
	*broken_at = v.broken_at;
	rc = 0;
out:
	free(v.pending);
	free(v.pending_incident);
	return (rc);
}
