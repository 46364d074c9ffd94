/*
 * Duplicate-request cache (RFC 5080 2.2.2), see dupcache.h. Entries live in a ring in
 * insertion order (all share one ttl, so the ring is also expiry order) and in a chained hash
 * table indexed by a seeded hash of the key.
 */
#include "server/dupcache.h"

#include <netinet/in.h>
#include <openssl/rand.h>
#include <string.h>

#define DUP_NONE UINT32_MAX

struct dup_entry {
	struct dup_key key;
	double expires;
	uint8_t *reply;
	size_t len;
	uint32_t next;		/* next entry in the same hash bucket */
	uint32_t bucket;
};

struct dupcache {
	struct dup_entry *ring;
	size_t cap;
	size_t head;		/* oldest entry */
	size_t count;
	uint32_t *buckets;
	size_t n_buckets;	/* power of two */
	unsigned ttl;
	uint64_t seed;
};

void dup_key_init(struct dup_key *key, struct sockaddr const *src, uint8_t listener, uint8_t id,
		  uint8_t const *vector)
{
	memset(key, 0, sizeof(*key));
	if (src->sa_family == AF_INET) {
		struct sockaddr_in const *sin = (struct sockaddr_in const *)src;

		key->addr[10] = 0xff;
		key->addr[11] = 0xff;
		memcpy(key->addr + 12, &sin->sin_addr, 4);
		key->port = sin->sin_port;
	} else if (src->sa_family == AF_INET6) {
		struct sockaddr_in6 const *sin6 = (struct sockaddr_in6 const *)src;

		memcpy(key->addr, &sin6->sin6_addr, 16);
		key->port = sin6->sin6_port;
	}
	key->id = id;
	key->listener = listener;
	memcpy(key->vector, vector, 16);
}

static uint64_t dup_hash(struct dupcache const *dc, struct dup_key const *key)
{
	uint8_t const *p = (uint8_t const *)key;
	uint64_t h = dc->seed;
	size_t i;

	/* FNV-1a over the key with a random seed, then a final avalanche (splitmix64). */
	for (i = 0; i < sizeof(*key); i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebULL;
	h ^= h >> 31;
	return h;
}

struct dupcache *dupcache_new(TALLOC_CTX *ctx, size_t cap, unsigned ttl)
{
	struct dupcache *dc;
	size_t i;

	if (cap == 0 || cap > (1u << 24)) return NULL;
	dc = talloc_zero(ctx, struct dupcache);
	if (!dc) return NULL;
	dc->cap = cap;
	dc->ttl = ttl;
	dc->ring = talloc_zero_array(dc, struct dup_entry, cap);
	for (dc->n_buckets = 16; dc->n_buckets < cap; dc->n_buckets <<= 1)
		;
	dc->buckets = talloc_array(dc, uint32_t, dc->n_buckets);
	if (!dc->ring || !dc->buckets || RAND_bytes((uint8_t *)&dc->seed, sizeof(dc->seed)) != 1) {
		talloc_free(dc);
		return NULL;
	}
	for (i = 0; i < dc->n_buckets; i++) dc->buckets[i] = DUP_NONE;
	return dc;
}

static void dupcache_unlink(struct dupcache *dc, uint32_t idx)
{
	struct dup_entry *e = &dc->ring[idx];
	uint32_t *link = &dc->buckets[e->bucket];

	while (*link != DUP_NONE && *link != idx) link = &dc->ring[*link].next;
	if (*link == idx) *link = e->next;
	talloc_free(e->reply);
	e->reply = NULL;
}

static void dupcache_pop_oldest(struct dupcache *dc)
{
	dupcache_unlink(dc, (uint32_t)dc->head);
	dc->head = (dc->head + 1) % dc->cap;
	dc->count--;
}

void dupcache_expire(struct dupcache *dc, double now)
{
	while (dc->count > 0 && dc->ring[dc->head].expires <= now) dupcache_pop_oldest(dc);
}

uint8_t const *dupcache_find(struct dupcache *dc, struct dup_key const *key, double now,
			     size_t *len)
{
	uint32_t idx = dc->buckets[dup_hash(dc, key) & (dc->n_buckets - 1)];

	for (; idx != DUP_NONE; idx = dc->ring[idx].next) {
		struct dup_entry const *e = &dc->ring[idx];

		if (e->expires > now && memcmp(&e->key, key, sizeof(*key)) == 0) {
			*len = e->len;
			return e->reply;
		}
	}
	return NULL;
}

int dupcache_insert(struct dupcache *dc, struct dup_key const *key, uint8_t const *reply,
		    size_t len, double now)
{
	struct dup_entry *e;
	uint32_t idx;
	uint8_t *copy;

	dupcache_expire(dc, now);
	if (dc->count == dc->cap) dupcache_pop_oldest(dc);
	copy = talloc_memdup(dc, reply, len);
	if (!copy) return -1;
	idx = (uint32_t)((dc->head + dc->count) % dc->cap);
	e = &dc->ring[idx];
	e->key = *key;
	e->expires = now + dc->ttl;
	e->reply = copy;
	e->len = len;
	e->bucket = (uint32_t)(dup_hash(dc, key) & (dc->n_buckets - 1));
	e->next = dc->buckets[e->bucket];
	dc->buckets[e->bucket] = idx;
	dc->count++;
	return 0;
}

size_t dupcache_count(struct dupcache const *dc)
{
	return dc->count;
}
