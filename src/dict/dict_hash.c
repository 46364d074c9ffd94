/*
 * The dictionary's hash tables: chained, power-of-two sized, grown as entries are added.
 * Keys live in the stored objects; callers pass a hash and a match function.
 */
#include "dict/dict_priv.h"

#include <ctype.h>

/* FNV-1a over the lower-cased name: attribute and value names are case-insensitive. */
uint32_t dict_hash_name(char const *name)
{
	uint32_t h = 2166136261u;

	for (; *name; name++) {
		h ^= (uint32_t)tolower((unsigned char)*name);
		h *= 16777619u;
	}
	return h;
}

/* Mix two numbers (vendor and attribute, or a pointer and a value) into 32 bits. */
uint32_t dict_hash_num(uint64_t a, uint64_t b)
{
	uint64_t h = a * 0x9E3779B97F4A7C15ull ^ (b + 0x632BE59BD9B4E019ull);

	h ^= h >> 33;
	h *= 0xFF51AFD7ED558CCDull;
	h ^= h >> 33;
	h *= 0xC4CEB9FE1A85EC53ull;
	h ^= h >> 33;
	return (uint32_t)h;
}

int dict_htable_init(TALLOC_CTX *ctx, struct dict_htable *ht, size_t size)
{
	ht->buckets = talloc_zero_array(ctx, struct dict_hnode *, size);
	if (!ht->buckets) return -1;
	ht->size = size;
	ht->count = 0;
	return 0;
}

void const *dict_htable_find(struct dict_htable const *ht, uint32_t hash, dict_hmatch_fn match,
			     void const *key)
{
	struct dict_hnode const *n;

	for (n = ht->buckets[hash & (ht->size - 1)]; n; n = n->next) {
		if (n->hash == hash && match(n->data, key)) return n->data;
	}
	return NULL;
}

/* Double the bucket array when the table is fuller than one entry per bucket. */
static int htable_grow(TALLOC_CTX *ctx, struct dict_htable *ht)
{
	struct dict_hnode **nb;
	size_t nsize = ht->size * 2, i;

	nb = talloc_zero_array(ctx, struct dict_hnode *, nsize);
	if (!nb) return -1;
	for (i = 0; i < ht->size; i++) {
		struct dict_hnode *n = ht->buckets[i], *next;

		for (; n; n = next) {
			next = n->next;
			n->next = nb[n->hash & (nsize - 1)];
			nb[n->hash & (nsize - 1)] = n;
		}
	}
	talloc_free(ht->buckets);
	ht->buckets = nb;
	ht->size = nsize;
	return 0;
}

int dict_htable_set(TALLOC_CTX *ctx, struct dict_htable *ht, uint32_t hash, dict_hmatch_fn match,
		    void const *key, void const *data)
{
	struct dict_hnode *n, **head;

	head = &ht->buckets[hash & (ht->size - 1)];
	for (n = *head; n; n = n->next) {
		if (n->hash == hash && match(n->data, key)) {
			n->data = data;
			return 0;
		}
	}
	n = talloc(ctx, struct dict_hnode);
	if (!n) return -1;
	n->hash = hash;
	n->data = data;
	n->next = *head;
	*head = n;
	ht->count++;
	if (ht->count > ht->size && htable_grow(ctx, ht) < 0) return -1;
	return 0;
}

bool dict_htable_remove(struct dict_htable *ht, uint32_t hash, void const *data)
{
	struct dict_hnode **pp = &ht->buckets[hash & (ht->size - 1)];

	for (; *pp; pp = &(*pp)->next) {
		struct dict_hnode *n = *pp;

		if (n->data == data) {
			*pp = n->next;
			talloc_free(n);
			ht->count--;
			return true;
		}
	}
	return false;
}
