/*
 * PEAPv0 (MS-PEAP, draft-josefsson-pppext-eap-tls-eap; RFC 9427 for TLS 1.3) with
 * EAP-MSCHAPv2 inside, as an EAP method (eap/eap_method.h). Its configuration is a struct
 * tls_method_conf (methods/tls_engine.h) whose inner lookup checks the users' passwords.
 */
#ifndef LATCHD_METHODS_PEAP_H
#define LATCHD_METHODS_PEAP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "methods/tls_engine.h"

extern struct eap_method const peap_method;

/* Limits on the conversation inside the tunnel. */
#define PEAP_INNER_MAX_ROUNDS 20	/* inner Responses per session */
#define PEAP_INNER_MAX_OCTETS 16384	/* inner octets received per session */
#define PEAP_INNER_MAX_PACKET 1024	/* one inner packet, either way */

/* The Extensions (Type 33) Result TLV (MS-PEAP 2.2.8.1): mandatory bit + type 3. */
#define PEAP_TLV_RESULT 0x0003
#define PEAP_TLV_MANDATORY 0x8000
#define PEAP_RESULT_SUCCESS 1
#define PEAP_RESULT_FAILURE 2
#define EAP_TYPE_PEAP_EXTENSIONS 33

/*
 * Exposed for tests. Encode the Result TLV request: a full EAP Request (Code 1, id, Type 33,
 * the Result TLV with value result). Returns octets written (11) or -1 if cap is too small.
 */
ssize_t peap_result_request_encode(uint8_t *buf, size_t cap, uint8_t id, uint16_t result);

/*
 * Parse the peer's answer to it: a full EAP Response, Type 33, Identifier id, holding a
 * Result TLV. Returns PEAP_RESULT_SUCCESS or PEAP_RESULT_FAILURE, or -1 with why (a static
 * string) when the packet is malformed, carries an unknown mandatory TLV or no Result TLV.
 */
int peap_result_response_parse(uint8_t const *buf, size_t len, uint8_t id, char const **why);

#endif
