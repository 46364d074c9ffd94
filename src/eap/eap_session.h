/*
 * One EAP conversation on the server side (RFC 3748 2, 4, 5.1, 5.3): Identity, choice of
 * method (the configured default first, Legacy-Nak to another enabled method), Identifiers,
 * the cap on rounds, and the final Success/Failure. Knows nothing of RADIUS: bytes of EAP
 * packets in, bytes of EAP packets out.
 */
#ifndef LATCHD_EAP_EAP_SESSION_H
#define LATCHD_EAP_EAP_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <talloc.h>

#include "eap/eap.h"
#include "eap/eap_method.h"

/* An enabled method with its configuration. */
struct eap_method_entry {
	struct eap_method const *method;
	void const *conf;
};

struct eap_server_conf {
	struct eap_method_entry const *methods;	/* enabled, the first is offered first */
	size_t n_methods;
	unsigned max_rounds;			/* EAP Responses per conversation (default 50) */
};

enum eap_session_result {
	EAP_SESSION_CONTINUE,	/* out holds the next Request */
	EAP_SESSION_SUCCESS,	/* out holds Success; eap_session_keys() works */
	EAP_SESSION_FAILURE,	/* out holds Failure; eap_session_reason() says why */
	EAP_SESSION_DROP,	/* silently discard the packet (RFC 3748 4.1: wrong Identifier,
				 * malformed); nothing to send */
};

struct eap_session;

/* A new conversation, owned by ctx. conf must outlive it. max_eap_size: largest EAP packet. */
struct eap_session *eap_session_new(TALLOC_CTX *ctx, struct eap_server_conf const *conf,
				    size_t max_eap_size);

/*
 * Handle one EAP packet from the peer (len 0: EAP-Start, RFC 3579 2.1 - answered with an
 * Identity Request). On return out and out_len hold the packet to send (owned by the session,
 * valid until the next call), except for DROP.
 */
enum eap_session_result eap_session_process(struct eap_session *s, uint8_t const *pkt,
					    size_t len, uint8_t const **out, size_t *out_len);

/* The Identity the peer gave ("" before it did). */
char const *eap_session_identity(struct eap_session const *s);
/* The running method's name ("" before one started). */
char const *eap_session_method_name(struct eap_session const *s);
/* Why the last FAILURE or DROP happened ("" otherwise). */
char const *eap_session_reason(struct eap_session const *s);
/* Responses handled so far. */
unsigned eap_session_rounds(struct eap_session const *s);
/* Method's description of the peer (e.g. certificate) into buf; "" if none. */
void eap_session_describe(struct eap_session const *s, char *buf, size_t cap);
/* A name the method authenticated (certificate CN/SAN) into buf; "" if none. */
void eap_session_peer_name(struct eap_session const *s, enum eap_peer_name which, char *buf,
			   size_t cap);
/* Keys after SUCCESS. Returns 0, or -1. The caller wipes them. */
int eap_session_keys(struct eap_session *s, struct eap_keys *out);

#endif
