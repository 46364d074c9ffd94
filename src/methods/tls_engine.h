/*
 * The part of EAP-TLS, EAP-TTLS and PEAP that is the same (RFC 5216 2.1, RFC 5281 9,
 * MS-PEAP 3.2): the TLS connection, reassembly of the peer's fragments, fragmentation of our
 * flights with the ACK exchange, the handshake, the alert before Failure, and after the
 * handshake the tunnel's application data in both directions. A method drives one engine and
 * decides what the handshake's end and the tunnel's data mean.
 */
#ifndef LATCHD_METHODS_TLS_ENGINE_H
#define LATCHD_METHODS_TLS_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <talloc.h>

#include "eap/eap_method.h"
#include "methods/inner.h"
#include "tls/tls.h"

/* The configuration shared by the TLS-based methods (the `conf` of their entries). */
struct tls_method_conf {
	struct tls_server *tls;		/* built once per configuration */
	size_t max_message;		/* reassembly cap of one TLS message */
	struct inner_lookup const *inner; /* TTLS/PEAP: the users' stored credentials */
};

enum tls_engine_event {
	TLS_ENGINE_REPLY,	/* res holds the next Request (a fragment, an ACK): send it */
	TLS_ENGINE_DONE,	/* the handshake just completed: the method decides what follows
				 * (pending TLS output, e.g. our Finished, is not sent yet) */
	TLS_ENGINE_TUNNEL,	/* a TLS message arrived after the handshake: read it with
				 * tls_engine_read_app() */
	TLS_ENGINE_PEER_ACK,	/* the peer ACKed our whole last flight (nothing to say) */
	TLS_ENGINE_FAILED,	/* res holds the failure (reason set) */
};

struct tls_engine {
	struct tls_method_conf const *conf;
	struct tls_conn *tls;		/* NULL until the peer's first TLS message */
	char *identity;
	uint8_t version;		/* the Flags' version bits (TTLS/PEAP v0: 0) */
	bool tunnel;			/* TTLS/PEAP: no client certificate is asked for */
	uint8_t type;			/* TTLS/PEAP: their EAP Type, recorded in tickets */
	bool inner_required;		/* TTLS: resume only with the ticket's inner identity */
	struct eap_tls_rx *rx;
	struct eap_tls_tx *tx;
	size_t max_eap_size;
	bool handshake_done;
	bool failing;			/* an alert is out: whatever comes next means failure */
	uint8_t *frag;			/* Type-Data of the Request handed out last */
	size_t frag_cap;
	char reason[256];
};

/* Set up an engine in ctx (a method's state) and put the Start Request into res. */
int tls_engine_init(struct tls_engine *e, TALLOC_CTX *ctx, struct tls_method_conf const *conf,
		    struct eap_method_peer const *peer, uint8_t version,
		    struct eap_method_result *res);
/* TTLS/PEAP: call after init; the server then asks for no client certificate, and session
 * tickets record type (see tls_conn_tunnel_tickets for inner_required). */
static inline void tls_engine_set_tunnel(struct tls_engine *e, uint8_t type, bool inner_required)
{
	e->tunnel = true;
	e->type = type;
	e->inner_required = inner_required;
}

/*
 * TTLS/PEAP on a resumed session: may the inner method be skipped? True when
 * resume_skip_inner is on, the session is a resumed TLS 1.3 one whose ticket holds the inner
 * identity that succeeded, and that user still exists in the users file and is not
 * Auth-Type := Reject (conf->inner). Then buf holds the identity. Otherwise false: run the
 * inner method (which refuses a deleted or rejected user itself).
 */
bool tls_engine_resume_inner(struct tls_engine const *e, char *buf, size_t cap);

/* Handle the Type-Data of one Response. */
enum tls_engine_event tls_engine_process(struct tls_engine *e, uint8_t const *data, size_t len,
					 struct eap_method_result *res, int *rc);

/* Queue all pending TLS output (our flight, or records written with tls_conn_write_app) and
 * put its first fragment into res. Returns 0, or -1 on internal error. */
int tls_engine_send_flight(struct tls_engine *e, struct eap_method_result *res);

/* Fail with a reason (copied). Always returns 0 (a peer failure is not an internal error). */
int tls_engine_fail(struct tls_engine *e, struct eap_method_result *res, char const *why);

/* Keys of EAP-TLS-style methods (RFC 5216 2.3, RFC 9190 2.3; TTLS/PEAP use their own). */
int tls_engine_keys(struct tls_engine *e, uint8_t type, struct eap_keys *out);
void tls_engine_describe(struct tls_engine const *e, char *buf, size_t cap);
void tls_engine_peer_name(struct tls_engine const *e, enum eap_peer_name which, char *buf,
			  size_t cap);

#endif
