/*
 * Unit tests for src/tls with the RSA lab PKI of scripts/pki: in-memory EAP-TLS handshakes
 * (TLS 1.2 and 1.3) against an OpenSSL client, MSK/EMSK/Session-Id agreement (RFC 5216 2.3,
 * RFC 9190 2.3), the commitment message (RFC 9190 2.5), each refused client certificate with
 * its verdict and alert, and the server-side CPU cost of one handshake (printed).
 */
#include "pki_suite.h"
#include "util/err.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static TALLOC_CTX *ctx;
static int const versions[] = {TLS1_2_VERSION, TLS1_3_VERSION};

static void setup(void)
{
	ctx = talloc_new(NULL);
	ck_assert_ptr_nonnull(ctx);
}

static void teardown(void)
{
	ck_assert_uint_eq(talloc_total_blocks(ctx), 1);
	talloc_free(ctx);
}

/* One handshake of client NAME (max version) against settings s; the server conn is kept in
 * *out (owned by ctx) and the client SSL in *cli_out if not NULL. */
static enum hs_result run(struct tls_settings const *s, char const *name, int version,
			  struct tls_conn **out, SSL **cli_out)
{
	struct tls_server *srv = tls_server_new(ctx, s);
	SSL_CTX *cctx;
	SSL *cli;
	struct tls_conn *c;
	enum hs_result r;

	ck_assert_msg(srv != NULL, "tls_server_new: %s", err_msg());
	c = tls_conn_new(ctx, srv);
	ck_assert_ptr_nonnull(c);
	talloc_free(srv); /* the connection keeps the SSL_CTX alive */
	cctx = client_ctx_new(ctx, "rsa", name, version);
	cli = client_new(cctx);
	SSL_CTX_free(cctx);
	r = handshake(cli, c, NULL);
	*out = c;
	if (cli_out)
		*cli_out = cli;
	else
		SSL_free(cli);
	return r;
}

static void check_keys_12(struct tls_conn *c, SSL *cli)
{
	uint8_t msk[64], emsk[64], sid[TLS_SESSION_ID_LEN], km[128], rnd[32];
	size_t sid_len = sizeof(sid);

	ck_assert_int_eq(tls_conn_export_eap_keys(c, 13, msk, emsk, sid, &sid_len), 0);
	ck_assert_uint_eq(sid_len, 65);
	ck_assert_int_eq(SSL_export_keying_material(cli, km, 128, "client EAP encryption", 21,
						    NULL, 0, 0),
			 1);
	ck_assert_mem_eq(msk, km, 64);
	ck_assert_mem_eq(emsk, km + 64, 64);
	ck_assert_uint_eq(sid[0], 13);
	SSL_get_client_random(cli, rnd, 32);
	ck_assert_mem_eq(sid + 1, rnd, 32);
	SSL_get_server_random(cli, rnd, 32);
	ck_assert_mem_eq(sid + 33, rnd, 32);
}

static void check_keys_13(struct tls_conn *c, SSL *cli)
{
	uint8_t msk[64], emsk[64], sid[TLS_SESSION_ID_LEN], km[128], mid[64], type = 13;
	size_t sid_len = sizeof(sid);

	ck_assert_int_eq(tls_conn_export_eap_keys(c, 13, msk, emsk, sid, &sid_len), 0);
	ck_assert_int_eq(SSL_export_keying_material(cli, km, 128, "EXPORTER_EAP_TLS_Key_Material",
						    29, &type, 1, 1),
			 1);
	ck_assert_int_eq(SSL_export_keying_material(cli, mid, 64, "EXPORTER_EAP_TLS_Method-Id",
						    26, &type, 1, 1),
			 1);
	ck_assert_mem_eq(msk, km, 64);
	ck_assert_mem_eq(emsk, km + 64, 64);
	ck_assert_uint_eq(sid_len, 65);
	ck_assert_uint_eq(sid[0], 13);
	ck_assert_mem_eq(sid + 1, mid, 64);
	/* A different type code gives different keys (TTLS = 21). */
	ck_assert_int_eq(tls_conn_export_eap_keys(c, 21, msk, emsk, sid, &sid_len), 0);
	ck_assert_int_ne(memcmp(msk, km, 64), 0);
}

START_TEST(test_good_handshake_and_keys)
{
	struct tls_settings s;
	struct tls_conn *c;
	struct tls_peer_info info;
	SSL *cli;
	int v = versions[_i];

	pki_settings(ctx, &s, "rsa");
	{
		/* Before the handshake: no version, no keys, no failure. */
		uint8_t k[64], sid[TLS_SESSION_ID_LEN];
		size_t sid_len = sizeof(sid);

		c = tls_conn_new(ctx, tls_server_new(ctx, &s));
		ck_assert_ptr_nonnull(c);
		ck_assert_int_eq(tls_conn_version(c), 0);
		ck_assert_str_eq(tls_conn_failure(c), "");
		ck_assert_int_eq(tls_conn_export_eap_keys(c, 13, k, k, sid, &sid_len), -1);
		talloc_free_children(ctx);
	}
	pki_settings(ctx, &s, "rsa");
	ck_assert_int_eq(run(&s, "good", v, &c, &cli), HS_DONE);
	ck_assert_int_eq(tls_conn_step(c), TLS_STEP_DONE); /* idempotent */
	ck_assert_int_eq(tls_conn_version(c), v);
	ck_assert(!tls_conn_resumed(c));
	ck_assert_str_eq(tls_conn_failure(c), "");
	ck_assert_int_eq(tls_conn_verdict(c)->reason, CERT_OK);
	ck_assert(!tls_conn_verdict(c)->warning);
	if (v == TLS1_3_VERSION) {
		uint8_t zero = 0, got[4] = {0xff};

		ck_assert_int_eq(tls_conn_write_app(c, &zero, 1), 0); /* RFC 9190 2.5 */
		ck_assert_uint_gt(tls_conn_output_pending(c), 0);
		pump_to_client(c, cli);
		ck_assert_int_eq(SSL_read(cli, got, sizeof(got)), 1);
		ck_assert_uint_eq(got[0], 0);
		check_keys_13(c, cli);
	} else {
		check_keys_12(c, cli);
	}
	/* Application data the other way (TTLS/PEAP later). */
	ck_assert_int_eq(SSL_write(cli, "ping", 4), 4);
	{
		uint8_t buf[4096], app[16];
		int n = BIO_read(SSL_get_wbio(cli), buf, sizeof(buf));

		ck_assert_int_gt(n, 0);
		ck_assert_int_eq(tls_conn_input(c, buf, (size_t)n), 0);
		ck_assert_int_eq(tls_conn_read_app(c, app, sizeof(app)), 4);
		ck_assert_mem_eq(app, "ping", 4);
		ck_assert_int_eq(tls_conn_read_app(c, app, sizeof(app)), 0);
	}
	ck_assert_int_eq(tls_conn_peer_info(c, &info), 0);
	ck_assert_str_eq(info.subject, "CN=alice@example.test,O=latchd lab");
	ck_assert_str_eq(info.issuer, "CN=latchd lab intermediate rsa,O=latchd lab");
	ck_assert_str_eq(info.sans, "email:alice@example.test, DNS:alice.example.test");
	ck_assert_uint_gt(strlen(info.serial), 0);
	ck_assert_uint_eq(strlen(info.not_after), 20);
	SSL_free(cli);
	talloc_free(c);
	talloc_free_children(ctx);
}
END_TEST

/* A refused client certificate: FAILED, reason, detail fragment, alert sent. */
static void refused(struct tls_settings const *s, char const *name, int v,
		    enum cert_reason reason, char const *detail, int alert)
{
	struct tls_conn *c;
	SSL *cli;
	int got;

	ck_assert_int_eq(run(s, name, v, &c, &cli), HS_SERVER_FAILED);
	ck_assert_int_eq(tls_conn_step(c), TLS_STEP_FAILED);
	ck_assert_msg(tls_conn_verdict(c)->reason == reason, "%s: reason %s, want %s (%s)",
		      name, cert_reason_name(tls_conn_verdict(c)->reason),
		      cert_reason_name(reason), tls_conn_failure(c));
	ck_assert_msg(strstr(tls_conn_failure(c), detail) != NULL, "failure '%s' lacks '%s'",
		      tls_conn_failure(c), detail);
	ck_assert_uint_gt(tls_conn_output_pending(c), 0);
	got = client_alert(cli, c);
	ck_assert_msg(got == alert, "%s: client got alert %d, want %d", name, got, alert);
	ck_assert_int_eq(tls_conn_write_app(c, (uint8_t const *)"x", 1), -1);
	SSL_free(cli);
	talloc_free_children(ctx);
}

START_TEST(test_expired)
{
	struct tls_settings s;

	pki_settings(ctx, &s, "rsa");
	refused(&s, "expired", versions[_i], CERT_EXPIRED,
		"client certificate expired at 2021-01-01T00:00:00Z", SSL_AD_CERTIFICATE_EXPIRED);
}
END_TEST

START_TEST(test_revoked)
{
	struct tls_settings s;
	struct tls_conn *c;

	pki_settings(ctx, &s, "rsa");
	/* Without CRL checking the revoked certificate passes. */
	ck_assert_int_eq(run(&s, "revoked", versions[_i], &c, NULL), HS_DONE);
	talloc_free_children(ctx);
	pki_settings(ctx, &s, "rsa");
	s.check_crl = CERT_CRL_LEAF;
	s.crl_file = pki_path(ctx, "rsa", "crl.pem");
	refused(&s, "revoked", versions[_i], CERT_REVOKED,
		"by CRL of CN=latchd lab intermediate rsa,O=latchd lab",
		SSL_AD_CERTIFICATE_REVOKED);
}
END_TEST

START_TEST(test_crl_chain)
{
	struct tls_settings s;
	struct tls_conn *c;

	pki_settings(ctx, &s, "rsa");
	s.check_crl = CERT_CRL_CHAIN;
	s.crl_file = pki_path(ctx, "rsa", "crl-bundle.pem");
	ck_assert_int_eq(run(&s, "good", versions[_i], &c, NULL), HS_DONE);
	talloc_free_children(ctx);
	/* Only the intermediate's CRL: nothing covers the intermediate itself. */
	pki_settings(ctx, &s, "rsa");
	s.check_crl = CERT_CRL_CHAIN;
	s.crl_file = pki_path(ctx, "rsa", "crl.pem");
	refused(&s, "good", versions[_i], CERT_CRL_MISSING, "no CRL from CN=latchd lab root rsa",
		SSL_AD_UNKNOWN_CA);
	/* The hashed directory holds both CRLs. */
	pki_settings(ctx, &s, "rsa");
	s.ca_file = NULL;
	s.ca_path = pki_path(ctx, "rsa", "ca-dir");
	s.check_crl = CERT_CRL_CHAIN;
	s.crl_path = s.ca_path;
	refused(&s, "revoked", versions[_i], CERT_REVOKED, "revoked at 20",
		SSL_AD_CERTIFICATE_REVOKED);
}
END_TEST

START_TEST(test_unknown_ca)
{
	struct tls_settings s;

	pki_settings(ctx, &s, "rsa");
	refused(&s, "unknown", versions[_i], CERT_UNKNOWN_CA,
		"unknown CA (issuer CN=unknown root rsa,O=latchd elsewhere)", SSL_AD_UNKNOWN_CA);
}
END_TEST

START_TEST(test_no_client_eku)
{
	struct tls_settings s;
	struct tls_conn *c;

	pki_settings(ctx, &s, "rsa");
	refused(&s, "noclientauth", versions[_i], CERT_NO_CLIENT_EKU, "no clientAuth EKU",
		SSL_AD_UNSUPPORTED_CERTIFICATE);
	pki_settings(ctx, &s, "rsa");
	s.require_client_eku = false;
	ck_assert_int_eq(run(&s, "noclientauth", versions[_i], &c, NULL), HS_DONE);
	talloc_free_children(ctx);
}
END_TEST

START_TEST(test_no_client_cert)
{
	struct tls_settings s;
	struct tls_peer_info info;
	struct tls_conn *c;
	SSL *cli;
	int v = versions[_i];

	pki_settings(ctx, &s, "rsa");
	ck_assert_int_eq(run(&s, NULL, v, &c, &cli), HS_SERVER_FAILED);
	ck_assert_int_eq(tls_conn_verdict(c)->reason, CERT_NO_CERT);
	ck_assert_str_eq(tls_conn_failure(c), "no client certificate");
	ck_assert_int_eq(tls_conn_peer_info(c, &info), -1);
	ck_assert_int_eq(client_alert(cli, c), v == TLS1_3_VERSION ? SSL_AD_CERTIFICATE_REQUIRED
								  : SSL_AD_HANDSHAKE_FAILURE);
	SSL_free(cli);
	talloc_free_children(ctx);
}
END_TEST

/* Peer info is available after a refused certificate too (for the log). */
START_TEST(test_peer_info_after_failure)
{
	struct tls_settings s;
	struct tls_peer_info info;
	struct tls_conn *c;

	pki_settings(ctx, &s, "rsa");
	ck_assert_int_eq(run(&s, "expired", TLS1_3_VERSION, &c, NULL), HS_SERVER_FAILED);
	ck_assert_int_eq(tls_conn_peer_info(c, &info), 0);
	ck_assert_str_eq(info.subject, "CN=bob@example.test,O=latchd lab");
	ck_assert_str_eq(info.not_after, "2021-01-01T00:00:00Z");
	talloc_free_children(ctx);
}
END_TEST

/* Not asserted: the lead wants the server-side CPU floor of one RSA-2048 handshake. */
START_TEST(test_cpu_per_handshake)
{
	struct tls_settings s;
	struct tls_server *srv;
	SSL_CTX *cctx;
	enum { ROUNDS = 20 };

	pki_settings(ctx, &s, "rsa");
	srv = tls_server_new(ctx, &s);
	ck_assert_ptr_nonnull(srv);
	for (size_t vi = 0; vi < 2; vi++) {
		long best = -1, total = 0;

		cctx = client_ctx_new(ctx, "rsa", "good", versions[vi]);
		for (int i = 0; i < ROUNDS; i++) {
			struct tls_conn *c = tls_conn_new(ctx, srv);
			SSL *cli = client_new(cctx);
			long ns;

			ck_assert_int_eq(handshake(cli, c, &ns), HS_DONE);
			total += ns;
			if (best < 0 || ns < best)
				best = ns;
			SSL_free(cli);
			talloc_free(c);
		}
		SSL_CTX_free(cctx);
		printf("tls: server CPU per RSA-2048 handshake with client cert, TLS 1.%d: "
		       "min %.3f ms, mean %.3f ms (%d rounds)\n",
		       versions[vi] == TLS1_3_VERSION ? 3 : 2, best / 1e6,
		       total / 1e6 / ROUNDS, ROUNDS);
	}
	fflush(stdout);
	talloc_free_children(ctx);
}
END_TEST

static Suite *tls_suite(void)
{
	Suite *s = suite_create("tls");
	TCase *tc = tcase_create("handshake");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_good_handshake_and_keys, 0, 2);
	tcase_add_loop_test(tc, test_expired, 0, 2);
	tcase_add_loop_test(tc, test_revoked, 0, 2);
	tcase_add_loop_test(tc, test_crl_chain, 0, 2);
	tcase_add_loop_test(tc, test_unknown_ca, 0, 2);
	tcase_add_loop_test(tc, test_no_client_eku, 0, 2);
	tcase_add_loop_test(tc, test_no_client_cert, 0, 2);
	tcase_add_test(tc, test_peer_info_after_failure);
	tcase_add_test(tc, test_cpu_per_handshake);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return pki_run_suite(tls_suite(), "rsa", NULL);
}
