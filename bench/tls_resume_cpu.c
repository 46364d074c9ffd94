/*
 * Server-side CPU of a full and of a resumed EAP-TLS handshake over tls_conn (src/tls), in
 * one process over memory BIOs, with the lab PKI of scripts/pki (RSA chain): isolates the
 * TLS cost from EAP/RADIUS round trips and scheduling. Each authentication: tls_conn_new,
 * the handshake (resumed ones offer the ticket of one earlier full handshake, RFC 5077 /
 * RFC 8446 4.6.1), the TLS 1.3 commitment message (RFC 9190 2.5), the RFC 5216 / RFC 9190
 * key export, and freeing the connection; CPU = CLOCK_THREAD_CPUTIME_ID around the server's
 * calls only. Not part of the tests; asserts no timing. Build and run from the source tree:
 *
 *	B=build; cc -O2 -g -Isrc -Itests/unit -I$B -o $B/tls_resume_cpu bench/tls_resume_cpu.c \
 *	    tests/unit/test_tls_harness.c $B/src/tls/libtls.a $B/src/cert/libcert.a \
 *	    $B/src/util/libutil.a -ltalloc -lssl -lcrypto
 *	top_srcdir=. $B/tls_resume_cpu [N [full|res|both [CRL [VERSION]]]]
 *
 * N rounds [300]; CRL 0 none, 1 check_crl = leaf (crl.pem), 2 chain (crl-bundle.pem);
 * VERSION 2 or 3 (default both). For instruction counts run it under
 *	valgrind --tool=callgrind --toggle-collect=tls_conn_step --toggle-collect=tls_conn_new
 *	    --toggle-collect=tls_conn_export_eap_keys --toggle-collect=conn_free ...
 */
#include "test_tls_harness.h"
#include "util/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <openssl/err.h>

static long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

/* One authentication; returns the server's CPU ns, *resumed, the client session in *out. */
static long auth(TALLOC_CTX *ctx, struct tls_server *srv, SSL_CTX *cctx, SSL_SESSION *sess,
		 SSL_SESSION **out, bool *resumed)
{
	SSL *cli = client_new(cctx);
	uint8_t msk[64], emsk[64], sid[TLS_SESSION_ID_LEN], b[16];
	size_t sid_len = sizeof(sid);
	struct tls_conn *c;
	long cpu, hs = 0, t0;

	if (sess && SSL_set_session(cli, sess) != 1)
		abort();
	t0 = now_ns();
	c = tls_conn_new(ctx, srv);
	if (!c || tls_conn_set_identity(c, "alice@example.test", 18) < 0)
		abort();
	cpu = now_ns() - t0;
	if (handshake(cli, c, &hs) != HS_DONE) {
		fprintf(stderr, "handshake failed: %s\n", tls_conn_failure(c));
		exit(1);
	}
	t0 = now_ns();
	if (tls_conn_version(c) == TLS_VERSION_1_3 &&
	    tls_conn_write_app(c, (uint8_t const *)"", 1) < 0)
		abort();
	if (tls_conn_export_eap_keys(c, 13, msk, emsk, sid, &sid_len) < 0)
		abort();
	cpu += now_ns() - t0 + hs;
	pump_to_client(c, cli);
	(void)SSL_read(cli, b, sizeof(b)); /* takes a TLS 1.3 ticket */
	ERR_clear_error();
	*resumed = tls_conn_resumed(c);
	*out = SSL_get1_session(cli);
	SSL_set_shutdown(cli, SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
	SSL_free(cli);
	t0 = now_ns();
	talloc_free(c);
	return cpu + now_ns() - t0;
}

static void run(TALLOC_CTX *ctx, int v, int n, char const *mode, int crl)
{
	SSL_CTX *cctx = client_ctx_new(ctx, "rsa", "good", v);
	SSL_SESSION *sess = NULL, *x = NULL;
	struct tls_settings s;
	struct tls_server *srv;
	long full = 0, res = 0;
	int nf = 0, nr = 0;
	bool r;

	pki_settings(ctx, &s, "rsa");
	if (crl == 1) {
		s.check_crl = CERT_CRL_LEAF;
		s.crl_file = pki_path(ctx, "rsa", "crl.pem");
	} else if (crl == 2) {
		s.check_crl = CERT_CRL_CHAIN;
		s.crl_file = pki_path(ctx, "rsa", "crl-bundle.pem");
	}
	srv = tls_server_new(ctx, &s);
	if (!srv) {
		fprintf(stderr, "%s\n", err_msg());
		exit(1);
	}
	auth(ctx, srv, cctx, NULL, &sess, &r);
	for (int i = 0; i < n; i++) {
		if (strcmp(mode, "res") != 0) {
			full += auth(ctx, srv, cctx, NULL, &x, &r);
			SSL_SESSION_free(x);
			nf++;
		}
		if (strcmp(mode, "full") != 0) {
			res += auth(ctx, srv, cctx, sess, &x, &r);
			SSL_SESSION_free(x);
			if (!r) {
				fprintf(stderr, "not resumed\n");
				exit(1);
			}
			nr++;
		}
	}
	printf("TLS 1.%d check_crl=%d: full %.1f us, resumed %.1f us, resumed/full %.3f\n",
	       v == TLS1_3_VERSION ? 3 : 2, crl, nf ? full / 1e3 / nf : 0.0,
	       nr ? res / 1e3 / nr : 0.0,
	       nf && nr ? ((double)res / nr) / ((double)full / nf) : 0.0);
	SSL_SESSION_free(sess);
	SSL_CTX_free(cctx);
	talloc_free(srv);
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 300;
	char const *mode = argc > 2 ? argv[2] : "both";
	int crl = argc > 3 ? atoi(argv[3]) : 0;
	int only = argc > 4 ? atoi(argv[4]) : 0;
	TALLOC_CTX *ctx = talloc_new(NULL);

	pki_make("rsa");
	if (only != 3)
		run(ctx, TLS1_2_VERSION, n, mode, crl);
	if (only != 2)
		run(ctx, TLS1_3_VERSION, n, mode, crl);
	pki_remove();
	talloc_free(ctx);
	return 0;
}
