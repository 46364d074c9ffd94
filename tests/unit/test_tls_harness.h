/*
 * Shared by the tls and cert unit tests: a lab PKI made once per test program by scripts/pki,
 * an OpenSSL client with memory BIOs, and a loop that shuttles records by hand between that
 * client and a server-side tls_conn.
 */
#ifndef LATCHD_TESTS_TLS_HARNESS_H
#define LATCHD_TESTS_TLS_HARNESS_H

#include "tls/tls.h"

#include <openssl/ssl.h>
#include <talloc.h>

/* Run scripts/pki (from $top_srcdir) into a new temporary directory for alg ("rsa", "ecdsa"
 * or "both"); exits the program with status 99 if that fails. */
void pki_make(char const *alg);
/* Remove the directory made by pki_make(). */
void pki_remove(void);
/* The PKI directory, and "DIR/ALG/NAME" owned by ctx. */
char const *pki_dir(void);
char *pki_path(TALLOC_CTX *ctx, char const *alg, char const *name);

/* Server settings for alg: server-chain.pem + server.key, ca_file ca.pem; strings owned by
 * ctx. */
void pki_settings(TALLOC_CTX *ctx, struct tls_settings *s, char const *alg);

/* A client context trusting alg's root, presenting NAME-chain.pem/NAME.key (name NULL: no
 * certificate), limited to max_version (0: no limit). Free with SSL_CTX_free. */
SSL_CTX *client_ctx_new(TALLOC_CTX *ctx, char const *alg, char const *name, int max_version);
/* A client SSL with its own memory BIOs. Free with SSL_free. */
SSL *client_new(SSL_CTX *cctx);

enum hs_result {
	HS_DONE,	  /* both sides finished */
	HS_SERVER_FAILED, /* tls_conn_step returned FAILED; its output is still pending */
	HS_CLIENT_FAILED, /* the OpenSSL client gave up */
	HS_STUCK,	  /* no progress */
};

/* Shuttle records between cli and srv until both are done or one fails. If cpu_ns is not
 * NULL it gets the thread CPU time spent in the server's calls only. */
enum hs_result handshake(SSL *cli, struct tls_conn *srv, long *cpu_ns);

/* Move pending server output to the client and read: the alert description the client
 * received (e.g. SSL_AD_CERTIFICATE_EXPIRED), or -1 if none. */
int client_alert(SSL *cli, struct tls_conn *srv);

/* Move all pending server output into the client's input BIO. */
void pump_to_client(struct tls_conn *srv, SSL *cli);

#endif
