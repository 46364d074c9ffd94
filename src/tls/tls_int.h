/*
 * Private to src/tls: the server and connection structures shared by its files.
 */
#ifndef LATCHD_TLS_TLS_INT_H
#define LATCHD_TLS_TLS_INT_H

#include "cert/cert_x509.h"
#include "tls/tls.h"

#include <openssl/ssl.h>

struct tls_server {
	SSL_CTX *ctx;
	struct cert_rules rules; /* rules.issuer points into this struct's talloc children */
	int min_version, max_version;
};

struct tls_conn {
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
};

/* The SSL verify callback of every connection (tls_verify.c); the tls_conn is the SSL's
 * app data. */
int tls_verify_cb(int ok, X509_STORE_CTX *sctx);

/* OpenSSL's first queued error as text (and clear the queue), or "unknown error". */
void tls_openssl_reason(char *buf, size_t cap);

#endif
