/*
 * EAP sessions of the whole server, keyed by the State attribute we hand out (RFC 2865 5.24,
 * RFC 3579 2.6.1). Sharded by State with one mutex per shard, since a NAS may send the rounds
 * of one conversation from different source ports and so to different workers.
 *
 * Bounded: at most `max` sessions, each expiring after `idle` seconds without a round.
 * Eviction under pressure, least recently used first within each class:
 * - sessions that have not progressed past their first round ("new", e.g. a flood of EAP
 *   starts) go before progressed ones, so a flood of starts cannot push out users who are in
 *   the middle of a handshake;
 * - except a progressed session idle for SESSION_STALE seconds or more, which goes before
 *   any new session used after it: otherwise a NAS that keeps the table full of
 *   conversations it took one round further and then abandoned would have every new user's
 *   session evicted by its next start (all new sessions evicted, none of its own).
 * So a conversation survives a flood of N new conversations per second as long as its
 * rounds are less than max / N seconds apart (or, once progressed, SESSION_STALE).
 *
 * A session in use by a worker is checked out (busy); a second packet for it in the meantime
 * is told BUSY and dropped (the NAS retransmits), and eviction and expiry skip it.
 *
 * Each session has an owner (the address of the NAS that started it): a checkout by another
 * owner is refused without touching the session, so a RADIUS client that sees another NAS's
 * State cannot continue, hijack, stall or keep alive that NAS's conversation.
 */
#ifndef LATCHD_SERVER_SESSION_TABLE_H
#define LATCHD_SERVER_SESSION_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <talloc.h>

#define SESSION_STATE_LEN 16
#define SESSION_OWNER_LEN 20
/* Seconds without a round after which a progressed session loses its eviction priority:
 * far longer than a round trip through a NAS and a supplicant, short enough that keeping the
 * table full of fresh abandoned conversations takes max / 2 new ones a second. */
#define SESSION_STALE 2.0

/* Who may continue a session: opaque octets compared as a whole (eap_access.c: the address
 * family and address of the NAS, without the port). */
struct session_owner {
	uint8_t b[SESSION_OWNER_LEN];
};

enum session_miss {
	SESSION_FOUND = 0,
	SESSION_UNKNOWN,	/* never issued, expired, evicted or finished */
	SESSION_BUSY,		/* being handled by another worker right now */
	SESSION_BAD_STATE,	/* State of the wrong length */
	SESSION_OTHER_OWNER,	/* a live session, but another NAS started it */
};

struct session_table;

/* A table for at most max sessions (>= 1) idle at most idle seconds; owned by ctx. */
struct session_table *session_table_new(TALLOC_CTX *ctx, size_t max, double idle);

/*
 * Add a session: the table takes data (a talloc pointer: talloc_steal; it must not come from
 * a talloc pool, since another thread may free it later) and writes a fresh
 * random State into state. The new session is returned checked out. Evicts one session when
 * full. Returns 0, or -1 (data is then freed).
 */
int session_table_add(struct session_table *t, struct session_owner const *owner, void *data,
		      uint8_t state[SESSION_STATE_LEN], double now);

/* Find and check out owner's session for a State. NULL with *why set when there is none (a
 * session of another owner is left as it was: not busy, not refreshed). */
void *session_table_checkout(struct session_table *t, struct session_owner const *owner,
			     uint8_t const *state, size_t len, double now,
			     enum session_miss *why);

/*
 * Give a checked-out session back after a round. progressed: it got past its first round.
 * finished: the conversation is over; the session is freed (its destructor runs).
 */
void session_table_checkin(struct session_table *t, uint8_t const state[SESSION_STATE_LEN],
			   double now, bool progressed, bool finished);

/* Give a checked-out session back without a round (its packet was ignored): neither its
 * idle time nor its place in the eviction order changes. */
void session_table_release(struct session_table *t, uint8_t const state[SESSION_STATE_LEN]);

/* Free sessions idle for longer than the timeout (not the busy ones), at most 256 per shard
 * (4096 in all) per call: the rest at the next call. Returns how many. */
size_t session_table_expire(struct session_table *t, double now);

size_t session_table_count(struct session_table *t);
/* Sessions evicted under pressure since the start. */
uint64_t session_table_evictions(struct session_table *t);

char const *session_miss_name(enum session_miss m);

#endif
