/*
 * Duplicate-request cache (RFC 5080 2.2.2), see dupcache.h.
 *
 * Entries live in a ring of 64-octet slots in insertion order (all share one ttl, so the ring
 * is also expiry order: the oldest, at `head`, is the first to expire and the first evicted
 * when the ring is full). A slot is one cache line with everything a lookup or an eviction
 * reads (key, expiry, length, hash, where the reply is). The ring is allocated lazily in
 * chunks of DUP_CHUNK slots, the first time it reaches them.
 *
 * Replies are stored in an arena: a circular byte buffer of DUP_ARENA_PER_SLOT octets per
 * slot (at most DUP_ARENA_MAX), used in the same first-in first-out order as the ring, so a
 * reply takes its length rounded up to 16 octets and there is no allocation per reply. The
 * arena's pages are not written before use, and the arena wraps early (see dup_store), so
 * the memory touched follows the live replies' real sizes. A reply that does not fit (longer
 * than DUP_ARENA_REPLY, or the arena is full of bigger replies) gets a talloc copy instead:
 * the arena never causes an eviction, only cap and ttl do. An empty cache starts again at the
 * beginning of the ring and of the arena.
 *
 * The index is an open-addressing table (linear probing, at most half full, deletion by
 * backward shift, no tombstones) of 8-octet entries: the slot number and the low 32 bits of
 * the key's hash, so a probe rejects other keys without touching their slots. The hash is
 * SipHash-1-3 (words read in host byte order) under a random 128-bit key drawn per cache, so
 * a client cannot choose keys that collide. The index holds at most one entry per key: a
 * second insert of a live key points the entry at the new slot and the old slot, no longer
 * indexed, just waits for its turn to leave the ring.
 *
 * The hash of the last key looked up is remembered, so the usual find-then-insert of one
 * request hashes once.
 */
#include "server/dupcache.h"

#include <openssl/rand.h>
#include <stddef.h>
#include <string.h>

#include <netinet/in.h>

#define DUP_ARENA_PER_SLOT 128	/* arena octets per slot */
#define DUP_ARENA_MAX ((size_t)64 << 20)
#define DUP_ARENA_REPLY 1024	/* longer replies always get a talloc copy */
#define DUP_ALIGN 16
#define DUP_CHUNK_SHIFT 8
#define DUP_CHUNK ((size_t)1 << DUP_CHUNK_SHIFT)	/* slots per lazily allocated chunk */
#define DUP_LINE 64
#define DUP_EMPTY UINT32_MAX

struct dup_slot {
	double expires;
	union {
		uint8_t *big;	/* arena == 0: a talloc copy of the reply */
		uint32_t off;	/* arena > 0: where the reply is in the arena */
	} where;
	struct dup_key key;
	uint32_t len;
	uint32_t hash;		/* low 32 bits of the key's hash (the index position is in them) */
	uint32_t arena;		/* arena octets taken, skipped end of the buffer included; or 0 */
};

_Static_assert(sizeof(struct dup_slot) == DUP_LINE, "a slot is one cache line");
_Static_assert(sizeof(struct dup_key) == 36, "the key is 4 words of 8 octets and one of 4");

struct dup_ix {
	uint32_t hash;		/* low 32 bits of the key's hash */
	uint32_t slot;		/* ring position, DUP_EMPTY for a free entry */
};

struct dupcache {
	struct dup_slot **chunks;	/* chunks[i >> DUP_CHUNK_SHIFT], NULL until first used */
	size_t cap;
	size_t head;		/* oldest entry */
	size_t count;
	struct dup_ix *ix;
	uint8_t *arena;
	uint32_t arena_size;
	uint32_t arena_head;	/* where the next reply goes */
	uint32_t arena_free;	/* octets not taken by live entries */
	uint32_t ix_mask;	/* index size - 1, size a power of two >= 2 * cap */
	unsigned ttl;
	uint64_t k0, k1;	/* SipHash key */
	struct dup_key memo_key;	/* the last key hashed, and its hash */
	uint64_t memo_hash;
	int memo_valid;
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

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND \
	do { \
		v0 += v1; v1 = ROTL(v1, 13); v1 ^= v0; v0 = ROTL(v0, 32); \
		v2 += v3; v3 = ROTL(v3, 16); v3 ^= v2; \
		v0 += v3; v3 = ROTL(v3, 21); v3 ^= v0; \
		v2 += v1; v1 = ROTL(v1, 17); v1 ^= v2; v2 = ROTL(v2, 32); \
	} while (0)

/* SipHash-1-3 of the key (one round per word, three to finish). */
static uint64_t dup_siphash(struct dupcache const *dc, struct dup_key const *key)
{
	uint8_t const *p = (uint8_t const *)key;
	uint64_t v0 = dc->k0 ^ 0x736f6d6570736575ULL, v1 = dc->k1 ^ 0x646f72616e646f6dULL;
	uint64_t v2 = dc->k0 ^ 0x6c7967656e657261ULL, v3 = dc->k1 ^ 0x7465646279746573ULL;
	uint64_t m;
	uint32_t tail;
	size_t i;

	for (i = 0; i + 8 <= sizeof(*key); i += 8) {
		memcpy(&m, p + i, 8);
		v3 ^= m;
		SIPROUND;
		v0 ^= m;
	}
	memcpy(&tail, p + i, 4);
	m = ((uint64_t)sizeof(*key) << 56) | tail;
	v3 ^= m;
	SIPROUND;
	v0 ^= m;
	v2 ^= 0xff;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}

/* The hash of key, from the memo when key is the last one hashed. */
static uint64_t dup_hash(struct dupcache *dc, struct dup_key const *key)
{
	if (dc->memo_valid && memcmp(&dc->memo_key, key, sizeof(*key)) == 0) return dc->memo_hash;
	dc->memo_key = *key;
	dc->memo_hash = dup_siphash(dc, key);
	dc->memo_valid = 1;
	return dc->memo_hash;
}

static inline struct dup_slot *dup_slot_at(struct dupcache const *dc, size_t i)
{
	return &dc->chunks[i >> DUP_CHUNK_SHIFT][i & (DUP_CHUNK - 1)];
}

struct dupcache *dupcache_new(TALLOC_CTX *ctx, size_t cap, unsigned ttl)
{
	struct dupcache *dc;
	uint64_t key[2];
	size_t n_ix, i, arena;

	if (cap == 0 || cap > (1u << 24)) return NULL;
	dc = talloc_zero(ctx, struct dupcache);
	if (!dc) return NULL;
	dc->cap = cap;
	dc->ttl = ttl;
	for (n_ix = 16; n_ix < 2 * cap; n_ix <<= 1)
		;
	dc->ix_mask = (uint32_t)(n_ix - 1);
	dc->ix = talloc_array(dc, struct dup_ix, n_ix);
	dc->chunks = talloc_zero_array(dc, struct dup_slot *, (cap + DUP_CHUNK - 1) / DUP_CHUNK);
	arena = cap * DUP_ARENA_PER_SLOT;
	if (arena > DUP_ARENA_MAX) arena = DUP_ARENA_MAX;
	dc->arena_size = dc->arena_free = (uint32_t)arena;
	dc->arena = talloc_size(dc, arena);	/* not written: the kernel maps pages on use */
	if (!dc->ix || !dc->chunks || !dc->arena || RAND_bytes((uint8_t *)key, sizeof(key)) != 1) {
		talloc_free(dc);
		return NULL;
	}
	dc->k0 = key[0];
	dc->k1 = key[1];
	for (i = 0; i < n_ix; i++) dc->ix[i].slot = DUP_EMPTY;
	return dc;
}

/* Make sure the chunk holding ring position i exists. 0, or -1 when out of memory. */
static int dup_chunk_get(struct dupcache *dc, size_t i)
{
	size_t c = i >> DUP_CHUNK_SHIFT;
	size_t n = dc->cap - (c << DUP_CHUNK_SHIFT);
	uint8_t *raw;
	uintptr_t p;

	if (dc->chunks[c]) return 0;
	if (n > DUP_CHUNK) n = DUP_CHUNK;
	raw = talloc_size(dc, n * sizeof(struct dup_slot) + DUP_LINE - 1);
	if (!raw) return -1;
	p = ((uintptr_t)raw + DUP_LINE - 1) & ~(uintptr_t)(DUP_LINE - 1);
	dc->chunks[c] = (struct dup_slot *)(raw + (p - (uintptr_t)raw));
	return 0;
}

/* Remove index entry pos, shifting back the entries of its probe run that may move. */
static void dup_ix_delete(struct dupcache *dc, uint32_t pos)
{
	uint32_t mask = dc->ix_mask, hole = pos, j = pos;

	for (;;) {
		j = (j + 1) & mask;
		if (dc->ix[j].slot == DUP_EMPTY) break;
		/* Entry j may fill the hole unless its home lies cyclically in (hole, j]. */
		if (((j - (dc->ix[j].hash & mask)) & mask) >= ((j - hole) & mask)) {
			dc->ix[hole] = dc->ix[j];
			hole = j;
		}
	}
	dc->ix[hole].slot = DUP_EMPTY;
}

static void dupcache_pop_oldest(struct dupcache *dc)
{
	struct dup_slot *s = dup_slot_at(dc, dc->head);
	uint32_t pos = s->hash & dc->ix_mask;

	/* Not found when a newer insert of the same key took over the index entry. */
	for (; dc->ix[pos].slot != DUP_EMPTY; pos = (pos + 1) & dc->ix_mask) {
		if (dc->ix[pos].slot == (uint32_t)dc->head) {
			dup_ix_delete(dc, pos);
			break;
		}
	}
	if (s->arena) {
		dc->arena_free += s->arena;
	} else {
		talloc_free(s->where.big);
		s->where.big = NULL;
	}
	dc->head = dc->head + 1 == dc->cap ? 0 : dc->head + 1;
	if (--dc->count == 0) {	/* start again at the beginning: fewer pages in use */
		dc->head = 0;
		dc->arena_head = 0;
		dc->arena_free = dc->arena_size;
	}
}

void dupcache_expire(struct dupcache *dc, double now)
{
	while (dc->count > 0 && dup_slot_at(dc, dc->head)->expires <= now) dupcache_pop_oldest(dc);
}

uint8_t const *dupcache_find(struct dupcache *dc, struct dup_key const *key, double now,
			     size_t *len)
{
	uint32_t h = (uint32_t)dup_hash(dc, key);
	uint32_t pos = h & dc->ix_mask;

	for (; dc->ix[pos].slot != DUP_EMPTY; pos = (pos + 1) & dc->ix_mask) {
		struct dup_slot const *s;

		if (dc->ix[pos].hash != h) continue;
		s = dup_slot_at(dc, dc->ix[pos].slot);
		if (memcmp(&s->key, key, sizeof(*key)) != 0) continue;
		if (s->expires <= now) return NULL;	/* the only entry for this key */
		*len = s->len;
		return s->arena ? dc->arena + s->where.off : s->where.big;
	}
	return NULL;
}

/* Point the index at slot idx for its key: a new entry, or the live one of the same key. */
static void dup_ix_put(struct dupcache *dc, struct dup_slot const *s, uint32_t idx)
{
	uint32_t pos = s->hash & dc->ix_mask;

	for (; dc->ix[pos].slot != DUP_EMPTY; pos = (pos + 1) & dc->ix_mask) {
		if (dc->ix[pos].hash == s->hash &&
		    memcmp(&dup_slot_at(dc, dc->ix[pos].slot)->key, &s->key, sizeof(s->key)) == 0)
			break;
	}
	dc->ix[pos].hash = s->hash;
	dc->ix[pos].slot = idx;
}

/* Copy reply into the arena if it fits there, else into its own talloc block. 0 or -1. */
static int dup_store(struct dupcache *dc, struct dup_slot *s, uint8_t const *reply, size_t len)
{
	uint32_t need, gap, tail;
	int wrap;

	if (len <= DUP_ARENA_REPLY) {
		need = len ? (uint32_t)(len + DUP_ALIGN - 1) & ~(uint32_t)(DUP_ALIGN - 1) : DUP_ALIGN;
		/*
		 * Skip the end of the buffer and start again at 0 when there is no room before
		 * the end, or as soon as the oldest reply no longer holds the start: the memory
		 * in use then follows the live replies, not the size of the buffer.
		 */
		tail = (dc->arena_head + dc->arena_free) % dc->arena_size;
		wrap = dc->arena_size - dc->arena_head < need ||
		       (tail <= dc->arena_head && tail >= need);
		gap = wrap ? dc->arena_size - dc->arena_head : 0;
		if (need + gap <= dc->arena_free) {
			s->where.off = wrap ? 0 : dc->arena_head;
			s->arena = need + gap;
			dc->arena_free -= need + gap;
			dc->arena_head = s->where.off + need;
			if (len) memcpy(dc->arena + s->where.off, reply, len);
			return 0;
		}
	}
	s->arena = 0;
	s->where.big = talloc_memdup(dc, reply, len);
	return s->where.big ? 0 : -1;
}

/*
 * A full ring evicts its oldest entry at the next insert, which then reads two cold lines:
 * the slot at head (sequential, which the hardware prefetches) and the index entry it names.
 * Start fetching that entry now, so it arrives while the rest of a request is processed.
 */
static void dup_prefetch_next(struct dupcache const *dc)
{
	__builtin_prefetch(&dc->ix[dup_slot_at(dc, dc->head)->hash & dc->ix_mask]);
	__builtin_prefetch(dc->arena + dc->arena_head, 1);
}

int dupcache_insert(struct dupcache *dc, struct dup_key const *key, uint8_t const *reply,
		    size_t len, double now)
{
	struct dup_slot *s;
	size_t idx;

	if (len > UINT32_MAX - DUP_ALIGN) return -1;
	dupcache_expire(dc, now);
	if (dc->count == dc->cap) dupcache_pop_oldest(dc);
	idx = dc->head + dc->count;
	if (idx >= dc->cap) idx -= dc->cap;
	if (dup_chunk_get(dc, idx) < 0) return -1;
	s = dup_slot_at(dc, idx);
	if (dup_store(dc, s, reply, len) < 0) return -1;
	s->expires = now + dc->ttl;
	s->key = *key;
	s->len = (uint32_t)len;
	s->hash = (uint32_t)dup_hash(dc, key);
	dup_ix_put(dc, s, (uint32_t)idx);
	dc->count++;
	if (dc->count == dc->cap) dup_prefetch_next(dc);
	return 0;
}

size_t dupcache_count(struct dupcache const *dc)
{
	return dc->count;
}
