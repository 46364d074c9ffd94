/*
 * Per-worker counters. Each worker writes only its own block (relaxed atomics, no lock
 * prefix); the main thread sums them for SIGUSR1 and at exit. Names come from one table so
 * logs, tests and the summary agree.
 */
#ifndef LATCHD_SERVER_STATS_H
#define LATCHD_SERVER_STATS_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

enum stat_id {
	STAT_RECEIVED,
	STAT_UNKNOWN_CLIENT,		/* datagram from an address with no client entry */
	STAT_MALFORMED,			/* failed rad_packet_decode() */
	STAT_WRONG_PORT,		/* e.g. Accounting-Request on the auth port */
	STAT_UNSUPPORTED_CODE,		/* a valid code this server does not serve */
	STAT_MA_MISSING,		/* client requires Message-Authenticator, none present */
	STAT_MA_INVALID,		/* Message-Authenticator does not verify (wrong secret?) */
	STAT_PROXY_STATE_NO_MA,		/* Proxy-State without Message-Authenticator */
	STAT_BAD_AUTHENTICATOR,		/* Accounting-Request authenticator wrong (wrong secret?) */
	STAT_DUPLICATE,			/* retransmission answered from the cache */
	STAT_ACCESS_ACCEPT,
	STAT_ACCESS_REJECT,
	STAT_ACCESS_CHALLENGE,
	STAT_EAP_DROPPED,		/* EAP packet ignored (busy session, bad Identifier, ...) */
	STAT_ACCOUNTING_RESPONSE,
	STAT_ACCOUNTING_FAILED,		/* detail record could not be written: not answered */
	STAT_STATUS_SERVER,
	STAT_ENCODE_FAILED,
	STAT_SEND_FAILED,
	STAT_MAX
};

struct stats {
	_Atomic uint64_t v[STAT_MAX];
};

char const *stat_name(enum stat_id id);

static inline void stat_inc(struct stats *s, enum stat_id id)
{
	atomic_store_explicit(&s->v[id], atomic_load_explicit(&s->v[id], memory_order_relaxed) + 1,
			      memory_order_relaxed);
}

static inline uint64_t stat_get(struct stats const *s, enum stat_id id)
{
	return atomic_load_explicit(&s->v[id], memory_order_relaxed);
}

/* "name=value name=value ..." for the non-zero counters of the sum of n blocks. */
void stats_format(char *buf, size_t cap, struct stats *const *blocks, size_t n);

#endif
