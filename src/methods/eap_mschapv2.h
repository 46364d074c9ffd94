/*
 * EAP-MSCHAPv2 (draft-kamath-pppext-eap-mschapv2-02, RFC 2759) as an EAP method, server side.
 * Used inside a tunnel (PEAPv0, later TTLS): the peer's password is checked against the
 * users file through an inner lookup (methods/inner.h).
 */
#ifndef LATCHD_METHODS_EAP_MSCHAPV2_H
#define LATCHD_METHODS_EAP_MSCHAPV2_H

#include <stdint.h>

#include "eap/eap_method.h"
#include "methods/inner.h"

/* The method's `conf`. test_challenge (16 octets) replaces the random Authenticator
 * Challenge: for tests with RFC 2759 9.2 vectors only; NULL in the server. */
struct eap_mschapv2_conf {
	struct inner_lookup const *inner;
	uint8_t const *test_challenge;
};

/* Failure reasons (eap_method_result.reason); the names are in eap_mschapv2_reason_name(). */
enum eap_mschapv2_reason {
	MSCHAPV2_OK = 0,
	MSCHAPV2_WRONG_PASSWORD,	/* "wrong password (MS-CHAPv2)" */
	MSCHAPV2_UNKNOWN_USER,		/* "unknown user" */
	MSCHAPV2_USER_REJECTED,		/* Auth-Type := Reject */
	MSCHAPV2_NO_PASSWORD,		/* neither NT-Password nor Cleartext-Password */
	MSCHAPV2_CRYPTO,		/* MD4/DES unavailable (legacy provider missing) */
	MSCHAPV2_MALFORMED,		/* a Response we cannot parse */
	MSCHAPV2_BAD_ID,		/* MS-CHAPv2-ID does not match our request */
	MSCHAPV2_UNEXPECTED,		/* an OpCode that does not fit the conversation */
	MSCHAPV2_PEER_REFUSED,		/* the peer did not accept our authenticator response */
	MSCHAPV2_REASON_MAX
};

char const *eap_mschapv2_reason_name(enum eap_mschapv2_reason r);

/* OpCodes (draft-kamath 2). */
#define MSCHAPV2_OP_CHALLENGE 1
#define MSCHAPV2_OP_RESPONSE 2
#define MSCHAPV2_OP_SUCCESS 3
#define MSCHAPV2_OP_FAILURE 4
#define MSCHAPV2_OP_CHANGE_PASSWORD 7

extern struct eap_method const eap_mschapv2_method;

#endif
