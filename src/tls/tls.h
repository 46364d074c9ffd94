/*
 * TLS for EAP-TLS (RFC 5216), EAP-TLS with TLS 1.3 (RFC 9190) and later TTLS/PEAP: a server
 * context built once from settings, and a connection driven through memory buffers: the EAP
 * method feeds the peer's reassembled TLS records in, steps the handshake, and takes the
 * records to send out. No OpenSSL types are visible here.
 *
 * Typical use by the EAP-TLS method (one tls_conn per EAP session):
 *
 *	c = tls_conn_new(session_ctx, srv);
 *	tls_conn_set_identity(c, eap_identity, len);          (if identity binding is used)
 *	loop: tls_conn_input(c, payload, len);                 (reassembled EAP-TLS data)
 *	      step = tls_conn_step(c);
 *	      n = tls_conn_output_read(c, buf, cap) ...        (fragment into EAP-Requests)
 *	on TLS_STEP_DONE: if tls_conn_version(c) == TLS_VERSION_1_3, tls_conn_write_app(c, "\0", 1)
 *	      (RFC 9190 2.5 commitment message), send the pending output, then after the peer's
 *	      ACK: tls_conn_export_eap_keys(), EAP-Success.
 *	      With resumption on, the pending output at DONE already holds the NewSessionTicket
 *	      (TLS 1.3), so the commitment message written then follows it in the same flight
 *	      (RFC 9190 2.1.2, 2.5). A resumed TLS 1.2 handshake ends with the peer's Finished:
 *	      DONE with nothing pending, so EAP-Success goes out at once (RFC 5216 2.1.3).
 *	      tls_conn_resumed(c) tells the log; authorize from tls_conn_peer_info() and
 *	      tls_conn_verdict() in both cases.
 *	on TLS_STEP_FAILED: log tls_conn_failure(c) and tls_conn_verdict(c); send the pending
 *	      output (it holds OpenSSL's alert), then EAP-Failure.
 */
#ifndef LATCHD_TLS_TLS_H
#define LATCHD_TLS_TLS_H

#include "cert/cert.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <talloc.h>
#include <time.h>

/* Filled by the configuration layer. Start from tls_settings_default(). Strings are not
 * copied: they must outlive tls_server_new() only. */
struct tls_settings {
	char const *certificate_file;	    /* server chain PEM: leaf first, then intermediates */
	char const *private_key_file;	    /* its key (PEM, unencrypted) */
	char const *certificate_file_ecdsa; /* optional second pair (usually ECDSA): OpenSSL */
	char const *private_key_file_ecdsa; /* picks by the peer's signature algorithms */
	char const *ca_file;		    /* trust anchors for client certificates (PEM) */
	char const *ca_path;		    /* hashed directory (openssl rehash) */
	char const *crl_file;		    /* PEM, may hold several CRLs */
	char const *crl_path;		    /* hashed directory with CRLs (NAME.r0) */
	enum cert_crl_check check_crl;	    /* default CERT_CRL_NONE */
	bool allow_expired_crl;		    /* default false: an expired CRL fails closed */
	bool require_client_eku;	    /* default true */
	char const *check_cert_issuer;	    /* leaf issuer DN (see cert_name_matches) or NULL */
	enum cert_identity_binding identity_binding; /* default CERT_BIND_NONE */
	char const *tls_min_version;	    /* "1.2" or "1.3"; NULL = "1.2" */
	char const *tls_max_version;	    /* "1.2" or "1.3"; NULL = "1.3" */
	char const *cipher_list;	    /* TLS 1.2 cipher list, NULL = OpenSSL default */
	char const *ciphersuites;	    /* TLS 1.3 suites, NULL = OpenSSL default */
	char const *groups;		    /* e.g. "X25519:P-256", NULL = OpenSSL default */
	int verify_depth;		    /* max intermediates above the leaf; 0 = default */
	bool no_ca_names;		    /* send_ca_names = no: the CertificateRequest lists
					     * no CA names (a smaller first flight; clients with
					     * one certificate do not need them) */
	/* Stateless resumption with session tickets (TLS 1.2 RFC 5077, TLS 1.3 RFC 8446 4.6.1),
	 * see tls_ticket.c. Keys come from ticket_key_file (one shared secret: every server
	 * with the same file resumes the others' tickets) or, if NULL, from a random secret of
	 * this process only (tls_server_warning() says so). */
	bool resumption;		    /* default true */
	unsigned ticket_lifetime;	    /* seconds a session may be resumed after its full
					     * handshake: 1..604800, default 3600, and at most
					     * ticket_key_rotation */
	char const *ticket_key_file;	    /* format below; NULL = random per process */
	unsigned ticket_key_rotation;	    /* seconds per key period: 60..31536000, default
					     * 86400; the previous period's key is still accepted */
	bool resume_skip_inner;		    /* TTLS/PEAP: a resumed session skips the inner
					     * method (TLS 1.3 only, see "Tunnel tickets"); default
					     * false: the inner method runs again */
};

/*
 * The ticket key file: text, '#' comment lines and blank lines ignored, exactly one line
 * holding the secret as 64 to 128 hex digits (32..64 octets), e.g. made with
 *	(umask 077; openssl rand -hex 32 > /etc/latchd/ticket.key)
 * Ticket keys are HKDF-SHA256(secret, info = "latchd ticket" || period as 8 octets big
 * endian), period = unix time / ticket_key_rotation; 80 octets = key name (16), AES-256-CBC
 * key (32), HMAC-SHA256 key (32). Servers that share the file compute the same keys without
 * talking to each other; tickets of the previous (and, for clock skew, the next) period
 * are accepted too.
 */
#define TLS_TICKET_SECRET_MIN 32
#define TLS_TICKET_SECRET_MAX 64

/* Defaults: everything NULL/0, require_client_eku = true, resumption = true,
 * ticket_lifetime = 3600, ticket_key_rotation = 86400. */
void tls_settings_default(struct tls_settings *s);

struct tls_server; /* one SSL_CTX; shared read-only by all connections */
struct tls_conn;   /* one SSL with its in/out buffers */

/*
 * Build the server context: certificates and keys, trust store, CRLs, versions, ciphers;
 * session tickets per s->resumption (no server-side session cache). Owned by ctx; freeing
 * it frees the SSL_CTX (connections hold a reference, so the order does not matter).
 * Returns NULL with err_set() naming the file or setting, OpenSSL's reason and the fix.
 */
struct tls_server *tls_server_new(TALLOC_CTX *ctx, struct tls_settings const *s);

/* Something the operator should see once at start-up (e.g. "ticket_key_file is not set:
 * ..."), or "" if all is well. Never NULL; owned by srv. */
char const *tls_server_warning(struct tls_server const *srv);

/* A reload without ticket_key_file: take over the random ticket secret of the server being
 * replaced, so that the tickets it issued keep resuming. Returns true if it did (both servers
 * issue tickets from a random secret), false otherwise (nothing changed). */
bool tls_server_keep_random_key(struct tls_server *srv, struct tls_server const *old);

/* For tests: the clock used for ticket key periods, ticket lifetime and the certificate and
 * CRL dates re-checked on resumption; NULL = time(). Applies to connections made after. */
void tls_server_set_clock(struct tls_server *srv, time_t (*clock)(void));

/* A new server-side connection, owned by ctx; freeing it frees the SSL and wipes state. */
struct tls_conn *tls_conn_new(TALLOC_CTX *ctx, struct tls_server *srv);

/* The EAP identity to bind to the client certificate (copied). Call before the handshake
 * completes; needed when identity_binding = san_or_cn. Returns 0, or -1 if too long (>253). */
int tls_conn_set_identity(struct tls_conn *c, char const *eap_identity, size_t len);

/* Do not ask the peer for a certificate (EAP-TTLS, PEAP: the inner method authenticates
 * the user). Call before the handshake. */
void tls_conn_no_client_cert(struct tls_conn *c);

/*
 * Tunnel tickets (EAP-TTLS, PEAP; RFC 9427 2.1.2 / 2.4, RFC 5077, RFC 8446 4.6.1). With
 * resumption on, call after tls_conn_no_client_cert(): tickets of this connection record
 * eap_type, and only a ticket of that same Type resumes it (an EAP-TLS ticket offered in
 * TTLS means a full handshake, and the other way round). tls_conn_no_client_cert() alone
 * sends no tickets.
 *
 * When is the ticket sent? The "skip the inner method" choice needs a ticket that knows the
 * inner identity that succeeded, so it must be issued after the inner method:
 *  - TLS 1.3: no ticket in the handshake; after the inner method succeeds the method calls
 *    tls_conn_send_ticket(c, inner_identity), which queues one NewSessionTicket holding
 *    that identity in the pending output, sent with the method's next Request (PEAP: the
 *    Result TLV; TTLS: MS-CHAP2-Success, or a Request of its own answered by an ACK).
 *  - TLS 1.2: the ticket is part of the handshake (RFC 5077 3.3), before any inner method,
 *    and TLS 1.2 has no later ticket (renegotiation is off). We keep no server-side state
 *    (servers sharing the ticket key would have to share it too), so TLS 1.2 tickets never
 *    carry an inner identity: a resumed TLS 1.2 tunnel always runs the inner method again,
 *    whatever resume_skip_inner says. Resumption then saves the certificate and key
 *    exchange work only.
 * eap_type: 21 (TTLS) or 25 (PEAP); EAP-TLS connections use 13 without calling this.
 *
 * inner_required: for methods whose peers never run the inner method again on a resumed
 * session (EAP-TTLS: RFC 5281 lets the server skip it, and wpa_supplicant then sends no
 * credentials at all). Such a session can only be authorized from the ticket's inner
 * identity, so: no tickets unless resume_skip_inner is on, and only a ticket that holds an
 * inner identity (TLS 1.3) resumes; anything else means a full handshake. PEAP peers answer
 * the inner Identity request on a resumed session, so PEAP passes false.
 */
void tls_conn_tunnel_tickets(struct tls_conn *c, uint8_t eap_type, bool inner_required);

/* After the inner method succeeded (or was skipped on resumption): queue a TLS 1.3
 * NewSessionTicket recording the inner identity (copied). Returns 1 when a ticket is now in
 * the pending output, 0 when none is due (TLS 1.2, resumption off, no tunnel tickets), -1
 * with err_set(). */
int tls_conn_send_ticket(struct tls_conn *c, char const *inner, size_t len);

/* On a resumed TLS 1.3 tunnel with resume_skip_inner on: the inner identity stored in the
 * ticket (it succeeded in the session resumed), which the method may accept without running
 * the inner method again, after checking the user still exists and is not rejected. NULL
 * otherwise (run the inner method). */
char const *tls_conn_resume_inner(struct tls_conn const *c);

/* Append the peer's TLS records. Returns 0, or -1 (err_set) if more than TLS_INPUT_MAX octets
 * would be buffered unread. */
#define TLS_INPUT_MAX (64 * 1024)
int tls_conn_input(struct tls_conn *c, uint8_t const *data, size_t len);

enum tls_step {
	TLS_STEP_CONTINUE, /* needs more input from the peer; output may be pending */
	TLS_STEP_DONE,	   /* handshake complete, client certificate accepted; output may be
			    * pending (TLS 1.2 server Finished) */
	TLS_STEP_FAILED,   /* see tls_conn_failure(); pending output holds the alert to send */
};

/* Drive the handshake with the input received so far. Calling it again after DONE or
 * FAILED returns the same result. */
enum tls_step tls_conn_step(struct tls_conn *c);

/* Octets waiting to be sent to the peer, and taking up to cap of them. */
size_t tls_conn_output_pending(struct tls_conn const *c);
size_t tls_conn_output_read(struct tls_conn *c, uint8_t *buf, size_t cap);

/*
 * Application data after the handshake. The EAP-TLS method must write the one octet 0x00
 * (the commitment message, RFC 9190 2.5) when tls_conn_version() is TLS_VERSION_1_3.
 * write_app returns 0 or -1; read_app returns octets read, 0 if none is available yet, or -1.
 */
int tls_conn_write_app(struct tls_conn *c, uint8_t const *data, size_t len);
ssize_t tls_conn_read_app(struct tls_conn *c, uint8_t *buf, size_t cap);

#define TLS_VERSION_1_2 0x0303
#define TLS_VERSION_1_3 0x0304
/* The negotiated version (0x0303, 0x0304) once the handshake is DONE, else 0. */
int tls_conn_version(struct tls_conn const *c);

/* For logs: the version the server chose in its ServerHello, also when the handshake failed
 * afterwards (a rejected certificate); 0 if it never got that far. */
int tls_conn_chosen_version(struct tls_conn const *c);
/*
 * Was the session resumed from a ticket? Only true once DONE, and only after the ticket's
 * stored authorization passed the checks (verdict ok, certificate not expired, not revoked
 * by the server's current CRLs, within ticket_lifetime of the full handshake, same EAP
 * identity when identity_binding is on). tls_conn_peer_info() and tls_conn_verdict() then
 * describe the certificate of the original full handshake: the caller authorizes exactly as
 * after a full handshake (users entry, reply attributes).
 */
bool tls_conn_resumed(struct tls_conn const *c);

/* Why an offered ticket was not used ("ticket issued 7300 s ago, ticket_lifetime is 3600",
 * "client certificate serial 1001 is revoked by the current CRL of ..."), for the log; ""
 * when no ticket was refused. The handshake then went on as a full one. */
char const *tls_conn_resume_refused(struct tls_conn const *c);

/*
 * EAP keying material after DONE (RFC 5216 2.3 for TLS 1.2, RFC 9190 2.3 for TLS 1.3):
 * msk and emsk get 64 octets each; session_id gets type_code followed by 64 octets, so
 * *session_id_len must be >= TLS_SESSION_ID_LEN on entry and is set to the length used.
 * Returns 0, or -1 with err_set(). Callers wipe the keys with mem_wipe() when done.
 */
#define TLS_SESSION_ID_LEN 65
int tls_conn_export_eap_keys(struct tls_conn *c, uint8_t type_code, uint8_t msk[64],
			     uint8_t emsk[64], uint8_t *session_id, size_t *session_id_len);

/* RFC 5705 / RFC 8446 7.5 exporter with an optional context (context NULL: none; TLS 1.2
 * distinguishes "no context" from an empty one). For TTLS/PEAP. Returns 0 or -1. */
int tls_conn_export(struct tls_conn *c, char const *label, uint8_t const *context,
		    size_t clen, uint8_t *out, size_t len);

/* Why the handshake failed, for the log ("client certificate expired at ...", "peer sent
 * alert: bad certificate", "no shared cipher", ...); "" while not failed. */
char const *tls_conn_failure(struct tls_conn const *c);

/* The client certificate verdict (reason CERT_OK until a check fails). Check ->warning after
 * DONE: set when a problem was tolerated (expired CRL with allow_expired_crl) and must be
 * logged loudly. */
struct cert_verdict const *tls_conn_verdict(struct tls_conn const *c);

/* The client's leaf certificate, as text for the log. Strings are truncated with "..." and
 * never hold control characters. */
struct tls_peer_info {
	char subject[256];
	char issuer[256];
	char serial[80];     /* upper-case hex */
	char not_after[24];  /* 2024-01-01T00:00:00Z */
	char sans[512];	     /* "email:a@b, DNS:c.d" */
	char cn[254];	     /* subject CN (UTF-8), "" if none: for User-Name */
	char san_name[254];  /* first UPN, else email, else DNS SAN, "" if none */
	char identity[254];  /* the EAP identity of the full handshake (tls_conn_set_identity),
			      * "" if none was set */
};

/* Fill *out from the certificate the client sent (also after a failed verification), or,
 * when resumed, from the ticket. Returns 0, or -1 if the client sent none. */
int tls_conn_peer_info(struct tls_conn const *c, struct tls_peer_info *out);

#endif
