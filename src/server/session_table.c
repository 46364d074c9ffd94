/*
 * Sharded, bounded EAP session table (see session_table.h). Each shard has a chained hash
 * on the State and two LRU lists (new, progressed), each ordered by last use, oldest first.
 */
#include "server/session_table.h"
#include "radius/radius.h"

#include <pthread.h>
#include <string.h>

#define SHARDS 16
#define BUCKETS_PER_SHARD 1024
/* Sessions freed per shard by one expiry pass, so that the pass after a flood does not hold
 * a shard's lock (and the worker running it) for tens of milliseconds; the rest go at the
 * next pass (checkout already treats them as expired). */
#define EXPIRE_PER_SHARD 256

enum sess_list {
	LIST_NEW,
	LIST_PROGRESSED,
	LIST_COUNT
};

struct sess {
	uint8_t state[SESSION_STATE_LEN];
	struct session_owner owner;
	double last_used;
	void *data;
	struct sess *hnext;		/* hash chain */
	struct sess *prev, *next;	/* LRU list */
	enum sess_list list;
	bool busy;
	struct shard *shard;
};

struct lru {
	struct sess *head, *tail;	/* head = least recently used */
};

struct shard {
	pthread_mutex_t lock;
	struct sess *buckets[BUCKETS_PER_SHARD];
	struct lru lists[LIST_COUNT];
	size_t count;
	size_t max;
	uint64_t evictions;
	TALLOC_CTX *ctx;
};

struct session_table {
	struct shard shards[SHARDS];
	double idle;
};

static char const *const miss_names[] = {
	[SESSION_FOUND] = "found",
	[SESSION_UNKNOWN] = "unknown or expired State",
	[SESSION_BUSY] = "session busy in another worker",
	[SESSION_BAD_STATE] = "State of the wrong length",
	[SESSION_OTHER_OWNER] = "State of a conversation another NAS (source address) started",
};

char const *session_miss_name(enum session_miss m)
{
	return (unsigned)m <= SESSION_OTHER_OWNER ? miss_names[m] : "?";
}

/* The State is random, so its octets are a good hash; the shard comes from another octet. */
static struct shard *shard_of(struct session_table *t, uint8_t const *state)
{
	return &t->shards[state[0] % SHARDS];
}

static unsigned bucket_of(uint8_t const *state)
{
	return (unsigned)((state[1] | (state[2] << 8)) % BUCKETS_PER_SHARD);
}

static void lru_unlink(struct shard *sh, struct sess *s)
{
	struct lru *l = &sh->lists[s->list];

	if (s->prev) s->prev->next = s->next; else l->head = s->next;
	if (s->next) s->next->prev = s->prev; else l->tail = s->prev;
	s->prev = s->next = NULL;
}

static void lru_append(struct shard *sh, struct sess *s, enum sess_list list)
{
	struct lru *l = &sh->lists[list];

	s->list = list;
	s->prev = l->tail;
	s->next = NULL;
	if (l->tail) l->tail->next = s; else l->head = s;
	l->tail = s;
}

static struct sess *hash_find(struct shard *sh, uint8_t const *state)
{
	struct sess *s = sh->buckets[bucket_of(state)];

	while (s && memcmp(s->state, state, SESSION_STATE_LEN) != 0) s = s->hnext;
	return s;
}

/* Unlink from hash and list and free the session with its data. Caller holds the lock. */
static void sess_destroy(struct shard *sh, struct sess *s)
{
	struct sess **link = &sh->buckets[bucket_of(s->state)];

	while (*link && *link != s) link = &(*link)->hnext;
	if (*link) *link = s->hnext;
	lru_unlink(sh, s);
	sh->count--;
	talloc_free(s);
}

static int table_destructor(struct session_table *t)
{
	unsigned i;

	for (i = 0; i < SHARDS; i++) pthread_mutex_destroy(&t->shards[i].lock);
	return 0;
}

struct session_table *session_table_new(TALLOC_CTX *ctx, size_t max, double idle)
{
	struct session_table *t;
	unsigned i;

	if (max == 0) return NULL;
	t = talloc_zero(ctx, struct session_table);
	if (!t) return NULL;
	t->idle = idle;
	talloc_set_destructor(t, table_destructor);
	for (i = 0; i < SHARDS; i++) {
		struct shard *sh = &t->shards[i];

		pthread_mutex_init(&sh->lock, NULL);
		/* Each shard gets its share of the cap, at least one. */
		sh->max = max / SHARDS + (i < max % SHARDS ? 1 : 0);
		if (sh->max == 0) sh->max = 1;
		/* Sessions hang off their shard's own context: talloc is not thread-safe, and
		 * each shard's children are only touched under that shard's lock. */
		sh->ctx = talloc_new(t);
		if (!sh->ctx) {
			talloc_free(t);
			return NULL;
		}
	}
	return t;
}

/* The least recently used session of a list that no worker holds, or NULL. */
static struct sess *oldest_idle(struct lru const *l)
{
	struct sess *s;

	for (s = l->head; s && s->busy; s = s->next)
		;
	return s;
}

/*
 * Make room for one more session (see session_table.h for the policy). Caller holds the
 * lock. false if everything is busy.
 */
static bool shard_make_room(struct shard *sh, double now)
{
	struct sess *fresh, *old, *victim;

	if (sh->count < sh->max) return true;
	fresh = oldest_idle(&sh->lists[LIST_NEW]);
	old = oldest_idle(&sh->lists[LIST_PROGRESSED]);
	if (old && old->last_used + SESSION_STALE <= now &&
	    (!fresh || old->last_used <= fresh->last_used))
		victim = old;
	else
		victim = fresh ? fresh : old;
	if (!victim) return false;
	sess_destroy(sh, victim);
	sh->evictions++;
	return true;
}

int session_table_add(struct session_table *t, struct session_owner const *owner, void *data,
		      uint8_t state[SESSION_STATE_LEN], double now)
{
	struct shard *sh;
	struct sess *s;

	do {
		if (rad_random(state, SESSION_STATE_LEN) < 0) goto fail;
		sh = shard_of(t, state);
		pthread_mutex_lock(&sh->lock);
		if (!hash_find(sh, state)) break;
		pthread_mutex_unlock(&sh->lock); /* 2^-128: but never hand out a State twice */
	} while (1);
	if (!shard_make_room(sh, now)) goto fail_locked;
	s = talloc_zero(sh->ctx, struct sess);
	if (!s) goto fail_locked;
	memcpy(s->state, state, SESSION_STATE_LEN);
	s->owner = *owner;
	s->data = talloc_steal(s, data);
	s->last_used = now;
	s->busy = true;
	s->shard = sh;
	s->hnext = sh->buckets[bucket_of(state)];
	sh->buckets[bucket_of(state)] = s;
	lru_append(sh, s, LIST_NEW);
	sh->count++;
	pthread_mutex_unlock(&sh->lock);
	return 0;
fail_locked:
	pthread_mutex_unlock(&sh->lock);
fail:
	talloc_free(data);
	return -1;
}

void *session_table_checkout(struct session_table *t, struct session_owner const *owner,
			     uint8_t const *state, size_t len, double now,
			     enum session_miss *why)
{
	struct shard *sh;
	struct sess *s;
	void *data = NULL;

	if (len != SESSION_STATE_LEN) {
		*why = SESSION_BAD_STATE;
		return NULL;
	}
	sh = shard_of(t, state);
	pthread_mutex_lock(&sh->lock);
	s = hash_find(sh, state);
	if (!s || s->last_used + t->idle <= now) {
		*why = SESSION_UNKNOWN;
	} else if (memcmp(&s->owner, owner, sizeof(*owner)) != 0) {
		*why = SESSION_OTHER_OWNER;
	} else if (s->busy) {
		*why = SESSION_BUSY;
	} else {
		s->busy = true;
		data = s->data;
		*why = SESSION_FOUND;
	}
	pthread_mutex_unlock(&sh->lock);
	return data;
}

void session_table_checkin(struct session_table *t, uint8_t const state[SESSION_STATE_LEN],
			   double now, bool progressed, bool finished)
{
	struct shard *sh = shard_of(t, state);
	struct sess *s;

	pthread_mutex_lock(&sh->lock);
	s = hash_find(sh, state);
	if (s) {
		if (finished) {
			sess_destroy(sh, s);
		} else {
			s->busy = false;
			s->last_used = now;
			lru_unlink(sh, s);
			lru_append(sh, s, progressed || s->list == LIST_PROGRESSED ? LIST_PROGRESSED
										 : LIST_NEW);
		}
	}
	pthread_mutex_unlock(&sh->lock);
}

void session_table_release(struct session_table *t, uint8_t const state[SESSION_STATE_LEN])
{
	struct shard *sh = shard_of(t, state);
	struct sess *s;

	pthread_mutex_lock(&sh->lock);
	s = hash_find(sh, state);
	if (s)
		s->busy = false;
	pthread_mutex_unlock(&sh->lock);
}

size_t session_table_expire(struct session_table *t, double now)
{
	size_t freed = 0;
	unsigned i;

	for (i = 0; i < SHARDS; i++) {
		struct shard *sh = &t->shards[i];
		enum sess_list list;
		size_t here = 0;

		pthread_mutex_lock(&sh->lock);
		for (list = LIST_NEW; list < LIST_COUNT; list++) {
			struct sess *s = sh->lists[list].head;

			/* Lists are in last-use order: stop at the first one still fresh. */
			while (s && s->last_used + t->idle <= now && here < EXPIRE_PER_SHARD) {
				struct sess *next = s->next;

				if (!s->busy) {
					sess_destroy(sh, s);
					here++;
				}
				s = next;
			}
		}
		pthread_mutex_unlock(&sh->lock);
		freed += here;
	}
	return freed;
}

/* Sum one counter over the shards, each read under its lock. */
static uint64_t shards_sum(struct session_table *t, bool evictions)
{
	uint64_t n = 0;
	unsigned i;

	for (i = 0; i < SHARDS; i++) {
		pthread_mutex_lock(&t->shards[i].lock);
		n += evictions ? t->shards[i].evictions : t->shards[i].count;
		pthread_mutex_unlock(&t->shards[i].lock);
	}
	return n;
}

size_t session_table_count(struct session_table *t)
{
	return (size_t)shards_sum(t, false);
}

uint64_t session_table_evictions(struct session_table *t)
{
	return shards_sum(t, true);
}
