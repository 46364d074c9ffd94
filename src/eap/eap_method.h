/*
 * The EAP method interface: what an EAP method (EAP-TLS, EAP-TTLS, PEAP, inner methods)
 * gives the EAP session layer. The session owns Identifiers, retransmission and the
 * Success/Failure packets (RFC 3748 4.2); a method only sees and produces Type-Data.
 */
#ifndef LATCHD_EAP_EAP_METHOD_H
#define LATCHD_EAP_EAP_METHOD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <talloc.h>

#define EAP_MSK_LEN 64	       /* RFC 5216 2.3, RFC 9190 2.3 */
#define EAP_EMSK_LEN 64
#define EAP_SESSION_ID_MAX 128 /* TLS-based methods use 65: Type || 64 (RFC 5216 2.3) */

/* Key material exported after success. The holder wipes it (mem_wipe) when done. */
struct eap_keys {
	uint8_t msk[EAP_MSK_LEN];
	uint8_t emsk[EAP_EMSK_LEN];
	uint8_t session_id[EAP_SESSION_ID_MAX];
	size_t session_id_len;
};

enum eap_method_status {
	EAP_METHOD_CONTINUE = 0, /* send a Request carrying req_data */
	EAP_METHOD_SUCCESS,	 /* authenticated: keys() may be called; session sends Success */
	EAP_METHOD_FAILURE,	 /* not authenticated: session sends Failure */
};

/*
 * What one call produced. req_data is the Type-Data of the next Request (without the EAP
 * header and Type octet), owned by the method state and valid until the next call on it.
 * A method may also return a final Request with SUCCESS/FAILURE left to a later round: it
 * then says CONTINUE. On FAILURE, reason is the method's own reason code and reason_name
 * its stable name ("cert-revoked"), for logs and counters.
 */
struct eap_method_result {
	enum eap_method_status status;
	uint8_t const *req_data;
	size_t req_len;
	int reason;
	char const *reason_name;
};

/* Names a method may have authenticated for the peer (eap_method.peer_name). */
enum eap_peer_name {
	EAP_PEER_NAME_CERT_CN,	/* the client certificate's subject CN */
	EAP_PEER_NAME_CERT_SAN,	/* its first UPN, email or DNS SAN */
	EAP_PEER_NAME_INNER,	/* the identity authenticated inside a tunnel (TTLS, PEAP) */
};

/* What a method learns about the peer when it starts. */
struct eap_method_peer {
	char const *identity; /* from the Identity Response; never NULL ("" if empty) */
	size_t max_eap_size;  /* largest EAP packet the path carries (Framed-MTU, config) */
};

/*
 * A method is one constant table of these. All functions are required except free.
 * A return of -1 means an internal error (err_set() says which; out of memory, bad
 * configuration): the session then fails. A peer that misbehaves is a FAILURE result, not -1.
 */
struct eap_method {
	char const *name; /* "tls", "ttls", "peap" */
	uint8_t type;	  /* enum eap_type: the Type octet this method answers to */

	/*
	 * Start a method for one session. The state is allocated as a child of ctx (the EAP
	 * session's context) and returned in *state; conf is the method's own configuration,
	 * opaque here. res gets the first Request (e.g. the EAP-TLS Start, RFC 5216 2.1.1).
	 */
	int (*init)(TALLOC_CTX *ctx, void const *conf, struct eap_method_peer const *peer,
		    void **state, struct eap_method_result *res);

	/* Handle the Type-Data of one Response of this Type and say what comes next. */
	int (*process)(void *state, uint8_t const *data, size_t len,
		       struct eap_method_result *res);

	/* Export MSK, EMSK and Session-Id; only after a SUCCESS result. -1 if none. */
	int (*keys)(void *state, struct eap_keys *out);

	/* Optional: describe the peer for the log (e.g. the client certificate's subject,
	 * issuer, serial and the TLS version). Writes a NUL-terminated line into buf. */
	void (*describe)(void *state, char *buf, size_t cap);

	/* Optional: a name the method authenticated for the peer, "" if none (buf NUL-ended). */
	void (*peer_name)(void *state, enum eap_peer_name which, char *buf, size_t cap);

	/* Release the state; NULL means talloc_free(state) is enough (use a destructor
	 * for anything talloc does not own). */
	void (*free)(void *state);
};

#endif
