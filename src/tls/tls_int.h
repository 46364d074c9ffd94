/*
 * Private to src/tls: the server and connection structures shared by its files.
 */
#ifndef LATCHD_TLS_TLS_INT_H
#define LATCHD_TLS_TLS_INT_H

#include "cert/cert_x509.h"
#include "tls/tls.h"

#include <openssl/ssl.h>

/* What the ticket callbacks need; the server's copy is handed to each connection (the
 * callbacks run on the connection, which may outlive the tls_server). Wiped when freed. */
#define TLS_DIGEST_LEN 32	/* SHA-256 */
struct tls_ticket_conf {
	bool on;
	uint8_t secret[TLS_TICKET_SECRET_MAX];
	size_t secret_len;
	unsigned lifetime, rotation;
	time_t (*clock)(void);
	enum cert_crl_check check_crl;
	bool allow_expired_crl;
	enum cert_identity_binding binding;
	bool skip_inner;		/* resume_skip_inner (TTLS/PEAP, TLS 1.3 only) */
	bool random_secret;		/* no ticket_key_file: secret made by this process */
	uint8_t rules_digest[TLS_DIGEST_LEN];	/* of the certificate rules (tls_resume.c) */
};

struct tls_server {
	SSL_CTX *ctx;
	struct cert_rules rules; /* rules.issuer points into this struct's talloc children */
	int min_version, max_version;
	struct tls_ticket_conf tickets;
	char warning[512];
};

/* The authorization of a full handshake, as carried in a ticket (tls_resume.c). */
#define TLS_RESUME_CHAIN_MAX 6
#define TLS_EAP_TYPE_TLS 13		/* the EAP method of a connection unless told */
struct tls_resume {
	uint8_t method;			/* EAP Type the ticket was issued for (13, 21, 25) */
	char inner[254];		/* TTLS/PEAP: inner identity that succeeded, or "" */
	int64_t auth_time;		/* when the full handshake authenticated the peer */
	int64_t not_after;		/* the leaf's notAfter, unix time */
	bool warning;			/* the verdict carried a warning (expired CRL tolerated) */
	char warning_detail[CERT_DETAIL_MAX];
	char identity[254];		/* the EAP identity of the full handshake */
	unsigned n_certs;		/* leaf first, then intermediates (chain CRL checks);
					 * 0 for a tunnel (TTLS/PEAP: no client certificate) */
	bool has_peer;			/* format 3 on: peer below holds the leaf's names */
	struct tls_peer_info peer;	/* printed fields of the leaf (identity unused) */
	bool has_trust;			/* format 4: the three fields below */
	uint8_t rules_digest[TLS_DIGEST_LEN];	/* the server's certificate rules then */
	uint8_t anchor_name[512];	/* DER subject of the trust anchor that verified the
					 * chain (EAP-TLS; empty for TTLS/PEAP) */
	size_t anchor_name_len;
	uint8_t anchor_sha256[TLS_DIGEST_LEN];	/* that anchor's certificate */
	struct {
		uint8_t issuer[512];	/* DER X509_NAME */
		size_t issuer_len;
		uint8_t serial[64];	/* DER INTEGER */
		size_t serial_len;
	} certs[TLS_RESUME_CHAIN_MAX];
};

struct tls_conn {
	bool no_client_cert;	/* TTLS/PEAP: no client certificate asked for */
	bool tunnel_tickets;	/* TTLS/PEAP with tickets (tls_conn_tunnel_tickets) */
	bool inner_required;	/* resume only from a ticket holding an inner identity */
	uint8_t method;		/* EAP Type written into and required of tickets */
	char *ticket_inner;	/* inner identity for the next ticket (tls_conn_send_ticket) */
	SSL *ssl;
	BIO *in, *out; /* owned by ssl: peer records in, records to send out */
	struct cert_rules rules;
	int min_version, max_version;
	enum tls_step state;
	struct cert_verdict verdict;
	X509 *peer; /* the client's leaf, kept from the verify callback (reference held) */
	char *identity;
	size_t identity_len;
	char failure[320];
	struct tls_ticket_conf tickets;	/* copy of the server's */
	struct tls_resume *resumed;	/* from the ticket the peer offered, once accepted */
	char resume_refused[320];
};

/* The SSL verify callback of every connection (tls_verify.c); the tls_conn is the SSL's
 * app data. */
int tls_verify_cb(int ok, X509_STORE_CTX *sctx);

/* Set up tickets on srv->ctx from s (tls_ticket.c): keys, callbacks, lifetime, and
 * srv->warning when the key is random. Returns 0 or -1 with err_set(). */
int tls_ticket_setup(struct tls_server *srv, struct tls_settings const *s);

/* The ticket callbacks' time (tls_ticket.c). */
int64_t tls_ticket_now(struct tls_ticket_conf const *t);

/* Build the ticket application data of connection c (tls_resume.c): from the resumed ticket,
 * or from the verified peer. Returns octets written to buf, 0 if c has nothing to store
 * (no verified certificate), -1 if cap is too small. */
ssize_t tls_resume_encode(struct tls_conn const *c, uint8_t *buf, size_t cap);

/* Decode ticket application data into *r. Returns 0, or -1 (hostile or foreign data). */
int tls_resume_decode(struct tls_resume *r, uint8_t const *data, size_t len);

/* May the ticket's authorization r be used now by c? peer is the certificate in the
 * ticket's session (tickets of format 1 and 2; NULL from format 3 on) and must be the one r
 * describes. Checks the stored verdict, the lifetime, the certificate's notAfter, the EAP
 * identity (when bound), from format 4 on that the server's certificate rules are those of
 * the full handshake and that store still holds the trust anchor that verified the chain,
 * and revocation against store's current CRLs. Returns true, or false with why filled. */
bool tls_resume_allowed(struct tls_conn const *c, struct tls_resume const *r, X509 *peer,
			X509_STORE *store, char *why, size_t cap);

/* The digest of the rules a ticket must have been issued under (tls_resume.c), into out. */
int tls_rules_digest(struct cert_rules const *rules, uint8_t out[TLS_DIGEST_LEN]);

/* Print the names of certificate x into *out (all but out->identity). */
void tls_peer_print(X509 *x, struct tls_peer_info *out);

/* The cipher tickets are encrypted with (tls_ticket_cipher.c): AES-256-CBC of the serialized
 * session without its peer certificate. Decrypt with EVP_aes_256_cbc(). */
EVP_CIPHER const *tls_ticket_cipher(void);

/* Copy the DER SSL_SESSION in (inl octets) to out (cap octets) without its peer certificate
 * element. Returns the octets written, or 0 (nothing written) when in is not a well-formed
 * SEQUENCE holding exactly one such element, or cap is below inl. */
size_t tls_ticket_strip_peer(uint8_t const *in, size_t inl, uint8_t *out, size_t cap);

/* OpenSSL's first queued error as text (and clear the queue), or "unknown error". */
void tls_openssl_reason(char *buf, size_t cap);

#endif
