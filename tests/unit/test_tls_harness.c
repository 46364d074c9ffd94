/*
 * Test harness for the tls and cert suites: makes the lab PKI with scripts/pki once per
 * program and runs in-memory TLS handshakes between an OpenSSL client and a tls_conn.
 */
#include "test_tls_harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <openssl/err.h>

static char pki_root[64];

void pki_make(char const *alg)
{
	char const *top = getenv("top_srcdir");
	char cmd[1024];
	int rc;

	snprintf(pki_root, sizeof(pki_root), "/tmp/latchd-tls-XXXXXX");
	if (!mkdtemp(pki_root)) {
		perror("mkdtemp");
		exit(99);
	}
	snprintf(cmd, sizeof(cmd), "'%s/scripts/pki' '%s' %s >'%s/pki.log' 2>&1",
		 top && *top ? top : ".", pki_root, alg, pki_root);
	rc = system(cmd);
	if (rc != 0) {
		fprintf(stderr, "scripts/pki failed (%d); see %s/pki.log\n", rc, pki_root);
		exit(99);
	}
}

void pki_remove(void)
{
	char cmd[128];

	if (!pki_root[0])
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", pki_root);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", pki_root);
}

char const *pki_dir(void)
{
	return pki_root;
}

char *pki_path(TALLOC_CTX *ctx, char const *alg, char const *name)
{
	return talloc_asprintf(ctx, "%s/%s/%s", pki_root, alg, name);
}

void pki_settings(TALLOC_CTX *ctx, struct tls_settings *s, char const *alg)
{
	tls_settings_default(s);
	s->certificate_file = pki_path(ctx, alg, "server-chain.pem");
	s->private_key_file = pki_path(ctx, alg, "server.key");
	s->ca_file = pki_path(ctx, alg, "ca.pem");
}

SSL_CTX *client_ctx_new(TALLOC_CTX *ctx, char const *alg, char const *name, int max_version)
{
	SSL_CTX *cctx = SSL_CTX_new(TLS_client_method());
	char *ca = pki_path(ctx, alg, "ca.pem");

	if (!cctx)
		abort();
	if (SSL_CTX_load_verify_locations(cctx, ca, NULL) != 1)
		abort();
	SSL_CTX_set_verify(cctx, SSL_VERIFY_PEER, NULL);
	if (name) {
		char *chain = talloc_asprintf(ctx, "%s/%s/%s-chain.pem", pki_root, alg, name);
		char *key = talloc_asprintf(ctx, "%s/%s/%s.key", pki_root, alg, name);

		if (SSL_CTX_use_certificate_chain_file(cctx, chain) != 1 ||
		    SSL_CTX_use_PrivateKey_file(cctx, key, SSL_FILETYPE_PEM) != 1)
			abort();
		talloc_free(chain);
		talloc_free(key);
	}
	if (max_version)
		SSL_CTX_set_max_proto_version(cctx, max_version);
	SSL_CTX_set_session_cache_mode(cctx, SSL_SESS_CACHE_OFF);
	talloc_free(ca);
	return cctx;
}

SSL *client_new(SSL_CTX *cctx)
{
	SSL *cli = SSL_new(cctx);

	if (!cli)
		abort();
	SSL_set_bio(cli, BIO_new(BIO_s_mem()), BIO_new(BIO_s_mem()));
	SSL_set_connect_state(cli);
	return cli;
}

static long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

/* Client output -> server input; returns octets moved (server time added to *cpu). */
static size_t pump_to_server(SSL *cli, struct tls_conn *srv, long *cpu)
{
	BIO *out = SSL_get_wbio(cli);
	uint8_t buf[4096];
	size_t moved = 0;
	int n;

	while ((n = BIO_read(out, buf, sizeof(buf))) > 0) {
		long t0 = now_ns();

		if (tls_conn_input(srv, buf, (size_t)n) != 0)
			abort();
		*cpu += now_ns() - t0;
		moved += (size_t)n;
	}
	return moved;
}

void pump_to_client(struct tls_conn *srv, SSL *cli)
{
	uint8_t buf[4096];
	size_t n;

	while ((n = tls_conn_output_read(srv, buf, sizeof(buf))) > 0)
		BIO_write(SSL_get_rbio(cli), buf, (int)n);
}

static bool client_failed(SSL *cli, int r)
{
	int e = SSL_get_error(cli, r);

	return r != 1 && e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE;
}

enum hs_result handshake(SSL *cli, struct tls_conn *srv, long *cpu_ns)
{
	long cpu = 0;
	enum hs_result res = HS_STUCK;

	for (int round = 0; round < 12; round++) {
		int r = SSL_do_handshake(cli);
		enum tls_step step;
		long t0;

		if (client_failed(cli, r)) {
			res = HS_CLIENT_FAILED;
			break;
		}
		pump_to_server(cli, srv, &cpu);
		t0 = now_ns();
		step = tls_conn_step(srv);
		cpu += now_ns() - t0;
		if (step == TLS_STEP_FAILED) {
			res = HS_SERVER_FAILED;
			break;
		}
		pump_to_client(srv, cli);
		if (step == TLS_STEP_DONE) {
			r = SSL_do_handshake(cli);
			res = r == 1 ? HS_DONE : HS_CLIENT_FAILED;
			break;
		}
	}
	ERR_clear_error();
	if (cpu_ns)
		*cpu_ns = cpu;
	return res;
}

int client_alert(SSL *cli, struct tls_conn *srv)
{
	uint8_t buf[64];
	unsigned long e;
	int reason;

	pump_to_client(srv, cli);
	ERR_clear_error();
	if (SSL_read(cli, buf, sizeof(buf)) > 0)
		return -1;
	e = ERR_peek_error();
	reason = ERR_GET_REASON(e);
	ERR_clear_error();
	if (ERR_GET_LIB(e) != ERR_LIB_SSL || reason < SSL_AD_REASON_OFFSET)
		return -1;
	return reason - SSL_AD_REASON_OFFSET;
}
