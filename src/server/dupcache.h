/*
 * Duplicate-request cache of one worker (RFC 5080 2.2.2): a retransmission, identified by
 * (client address, source port, Identifier, Request Authenticator), gets the reply it got
 * the first time, byte for byte, without being processed again. Bounded: at most `cap`
 * entries, each expiring `ttl` seconds after insertion; when full, the oldest goes first.
 * Single-threaded by design (SO_REUSEPORT sends one source's datagrams to one worker).
 */
#ifndef LATCHD_SERVER_DUPCACHE_H
#define LATCHD_SERVER_DUPCACHE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <talloc.h>

struct dupcache;

struct dup_key {
	uint8_t addr[16];	/* IPv4 addresses as IPv4-mapped IPv6 */
	uint16_t port;
	uint8_t id;
	uint8_t listener;	/* which listen section: auth and acct keep separate entries */
	uint8_t vector[16];
};

void dup_key_init(struct dup_key *key, struct sockaddr const *src, uint8_t listener, uint8_t id,
		  uint8_t const *vector);

/* A cache with room for cap entries of ttl seconds; owned by ctx. NULL on failure. */
struct dupcache *dupcache_new(TALLOC_CTX *ctx, size_t cap, unsigned ttl);

/* The cached reply for key, or NULL. `now` is a monotonic time in seconds. */
uint8_t const *dupcache_find(struct dupcache *dc, struct dup_key const *key, double now,
			     size_t *len);

/* Remember reply (copied) for key. Returns 0, or -1 when out of memory. */
int dupcache_insert(struct dupcache *dc, struct dup_key const *key, uint8_t const *reply,
		    size_t len, double now);

/* Drop expired entries. */
void dupcache_expire(struct dupcache *dc, double now);

size_t dupcache_count(struct dupcache const *dc);

#endif
