/*
 * More src/tls tests with both lab PKIs of scripts/pki: ECDSA handshakes and an RSA+ECDSA
 * server picked by the client's signature algorithms, version range, identity binding
 * (RFC 9190 5.2), check_cert_issuer, an expired CRL (fail closed vs allowed), settings errors
 * and hostile input.
 */
#include "pki_suite.h"
#include "util/err.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>

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

/* Handshake a client made from cctx (freed here) against settings s; conn owned by ctx. */
static enum hs_result run_cctx(struct tls_settings const *s, SSL_CTX *cctx,
			       struct tls_conn **out, SSL **cli_out)
{
	struct tls_server *srv = tls_server_new(ctx, s);
	SSL *cli;
	enum hs_result r;

	ck_assert_msg(srv != NULL, "tls_server_new: %s", err_msg());
	*out = tls_conn_new(ctx, srv);
	ck_assert_ptr_nonnull(*out);
	cli = client_new(cctx);
	SSL_CTX_free(cctx);
	r = handshake(cli, *out, NULL);
	if (cli_out)
		*cli_out = cli;
	else
		SSL_free(cli);
	return r;
}

static enum hs_result run_id(struct tls_settings const *s, char const *alg, char const *name,
			     int v, char const *identity, struct tls_conn **out)
{
	struct tls_server *srv = tls_server_new(ctx, s);
	SSL *cli;
	enum hs_result r;

	ck_assert_msg(srv != NULL, "tls_server_new: %s", err_msg());
	*out = tls_conn_new(ctx, srv);
	if (identity)
		ck_assert_int_eq(tls_conn_set_identity(*out, identity, strlen(identity)), 0);
	{
		SSL_CTX *cctx = client_ctx_new(ctx, alg, name, v);

		cli = client_new(cctx);
		SSL_CTX_free(cctx);
	}
	r = handshake(cli, *out, NULL);
	SSL_free(cli);
	return r;
}

START_TEST(test_ecdsa)
{
	struct tls_settings s;
	struct tls_conn *c;
	struct tls_peer_info info;
	uint8_t msk[64], emsk[64], sid[TLS_SESSION_ID_LEN];
	size_t sid_len = sizeof(sid);

	pki_settings(ctx, &s, "ecdsa");
	ck_assert_int_eq(run_id(&s, "ecdsa", "good", versions[_i], NULL, &c), HS_DONE);
	ck_assert_int_eq(tls_conn_version(c), versions[_i]);
	ck_assert_int_eq(tls_conn_export_eap_keys(c, 13, msk, emsk, sid, &sid_len), 0);
	ck_assert_int_eq(tls_conn_peer_info(c, &info), 0);
	ck_assert_str_eq(info.issuer, "CN=latchd lab intermediate ecdsa,O=latchd lab");
	talloc_free_children(ctx);
	pki_settings(ctx, &s, "ecdsa");
	s.check_crl = CERT_CRL_LEAF;
	s.crl_file = pki_path(ctx, "ecdsa", "crl.pem");
	ck_assert_int_eq(run_id(&s, "ecdsa", "revoked", versions[_i], NULL, &c), HS_SERVER_FAILED);
	ck_assert_int_eq(tls_conn_verdict(c)->reason, CERT_REVOKED);
	talloc_free_children(ctx);
	pki_settings(ctx, &s, "ecdsa");
	ck_assert_int_eq(run_id(&s, "ecdsa", "expired", versions[_i], NULL, &c), HS_SERVER_FAILED);
	ck_assert_int_eq(tls_conn_verdict(c)->reason, CERT_EXPIRED);
	talloc_free_children(ctx);
}
END_TEST

/* One context with an RSA and an ECDSA server certificate: the client's signature algorithms
 * decide which one it gets. */
START_TEST(test_dual_certificates)
{
	static char const *const algs[] = {"ecdsa", "rsa"};
	static char const *const sigalgs[] = {"ECDSA+SHA256", "RSA-PSS+SHA256:RSA+SHA256"};
	static int const key_types[] = {EVP_PKEY_EC, EVP_PKEY_RSA};

	for (size_t k = 0; k < 2; k++) {
		struct tls_settings s;
		struct tls_conn *c;
		SSL_CTX *cctx = client_ctx_new(ctx, algs[k], "good", versions[_i]);
		SSL *cli;
		char *other = pki_path(ctx, algs[1 - k], "ca.pem");

		ck_assert_int_eq(SSL_CTX_load_verify_locations(cctx, other, NULL), 1);
		ck_assert_int_eq(SSL_CTX_set1_sigalgs_list(cctx, sigalgs[k]), 1);
		pki_settings(ctx, &s, "rsa");
		s.certificate_file_ecdsa = pki_path(ctx, "ecdsa", "server-chain.pem");
		s.private_key_file_ecdsa = pki_path(ctx, "ecdsa", "server.key");
		s.ca_file = talloc_asprintf(ctx, "%s/both-ca.pem", pki_dir());
		ck_assert_int_eq(run_cctx(&s, cctx, &c, &cli), HS_DONE);
		ck_assert_int_eq(
			EVP_PKEY_get_base_id(X509_get0_pubkey(SSL_get0_peer_certificate(cli))),
			key_types[k]);
		SSL_free(cli);
		talloc_free_children(ctx);
	}
}
END_TEST

START_TEST(test_version_range)
{
	struct tls_settings s;
	struct tls_conn *c;

	pki_settings(ctx, &s, "rsa");
	s.tls_min_version = "1.3";
	ck_assert_int_eq(run_id(&s, "rsa", "good", TLS1_2_VERSION, NULL, &c), HS_SERVER_FAILED);
	ck_assert_msg(strstr(tls_conn_failure(c), "no TLS version in common: server allows "
						  "1.3..1.3") != NULL,
		      "%s", tls_conn_failure(c));
	ck_assert_int_eq(tls_conn_verdict(c)->reason, CERT_OK);
	ck_assert_uint_gt(tls_conn_output_pending(c), 0); /* protocol_version alert */
	talloc_free_children(ctx);
	pki_settings(ctx, &s, "rsa");
	s.tls_max_version = "1.2";
	ck_assert_int_eq(run_id(&s, "rsa", "good", 0, NULL, &c), HS_DONE);
	ck_assert_int_eq(tls_conn_version(c), TLS_VERSION_1_2);
	talloc_free_children(ctx);
}
END_TEST

START_TEST(test_identity_binding)
{
	static char const *const ok[] = {"alice@example.test", "ALICE@Example.Test",
					 "alice.example.test", "host/alice.example.test"};
	struct tls_settings s;
	struct tls_conn *c;

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		pki_settings(ctx, &s, "rsa");
		s.identity_binding = CERT_BIND_SAN_OR_CN;
		ck_assert_msg(run_id(&s, "rsa", "good", versions[_i], ok[i], &c) == HS_DONE,
			      "%s: %s", ok[i], tls_conn_failure(c));
		talloc_free_children(ctx);
	}
	pki_settings(ctx, &s, "rsa");
	s.identity_binding = CERT_BIND_SAN_OR_CN;
	ck_assert_int_eq(run_id(&s, "rsa", "good", versions[_i], "bob@example.test", &c),
			 HS_SERVER_FAILED);
	ck_assert_int_eq(tls_conn_verdict(c)->reason, CERT_IDENTITY_MISMATCH);
	ck_assert_msg(strstr(tls_conn_failure(c), "identity mismatch: EAP identity "
						  "'bob@example.test' not in SAN/CN") != NULL,
		      "%s", tls_conn_failure(c));
	talloc_free_children(ctx);
	/* No identity given: mismatch, never a pass. */
	pki_settings(ctx, &s, "rsa");
	s.identity_binding = CERT_BIND_SAN_OR_CN;
	ck_assert_int_eq(run_id(&s, "rsa", "good", versions[_i], NULL, &c), HS_SERVER_FAILED);
	ck_assert_int_eq(tls_conn_verdict(c)->reason, CERT_IDENTITY_MISMATCH);
	talloc_free_children(ctx);
	/* Binding off: any identity. */
	pki_settings(ctx, &s, "rsa");
	ck_assert_int_eq(run_id(&s, "rsa", "good", versions[_i], "bob@example.test", &c),
			 HS_DONE);
	talloc_free_children(ctx);
}
END_TEST

START_TEST(test_identity_hostile)
{
	struct tls_settings s;
	struct tls_conn *c;
	char big[300];

	pki_settings(ctx, &s, "rsa");
	s.identity_binding = CERT_BIND_SAN_OR_CN;
	c = tls_conn_new(ctx, tls_server_new(ctx, &s));
	memset(big, 'a', sizeof(big));
	ck_assert_int_eq(tls_conn_set_identity(c, big, sizeof(big)), -1);
	/* An embedded NUL never matches, even with a matching prefix. */
	ck_assert_int_eq(tls_conn_set_identity(c, "alice@example.test\0x", 20), 0);
	{
		SSL_CTX *cctx = client_ctx_new(ctx, "rsa", "good", 0);
		SSL *cli = client_new(cctx);

		SSL_CTX_free(cctx);
		ck_assert_int_eq(handshake(cli, c, NULL), HS_SERVER_FAILED);
		SSL_free(cli);
	}
	ck_assert_int_eq(tls_conn_verdict(c)->reason, CERT_IDENTITY_MISMATCH);
	ck_assert_ptr_nonnull(strstr(tls_conn_failure(c), "'alice@example.test?x'"));
	talloc_free_children(ctx);
}
END_TEST

START_TEST(test_issuer_check)
{
	static char const *const ok[] = {"CN=latchd lab intermediate rsa,O=latchd lab",
					 "CN=latchd lab intermediate rsa, O=latchd lab",
					 "/O=latchd lab/CN=latchd lab intermediate rsa"};
	struct tls_settings s;
	struct tls_conn *c;

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		pki_settings(ctx, &s, "rsa");
		s.check_cert_issuer = ok[i];
		ck_assert_msg(run_id(&s, "rsa", "good", versions[_i], NULL, &c) == HS_DONE,
			      "%s: %s", ok[i], tls_conn_failure(c));
		talloc_free_children(ctx);
	}
	pki_settings(ctx, &s, "rsa");
	s.check_cert_issuer = "CN=latchd lab root rsa,O=latchd lab";
	ck_assert_int_eq(run_id(&s, "rsa", "good", versions[_i], NULL, &c), HS_SERVER_FAILED);
	ck_assert_int_eq(tls_conn_verdict(c)->reason, CERT_ISSUER_MISMATCH);
	ck_assert_ptr_nonnull(strstr(tls_conn_failure(c), "is not check_cert_issuer"));
	talloc_free_children(ctx);
}
END_TEST

START_TEST(test_expired_crl)
{
	struct tls_settings s;
	struct tls_conn *c;
	struct cert_verdict const *v;

	pki_settings(ctx, &s, "rsa");
	s.check_crl = CERT_CRL_LEAF;
	s.crl_file = pki_path(ctx, "rsa", "expired-crl.pem");
	ck_assert_int_eq(run_id(&s, "rsa", "good", versions[_i], NULL, &c), HS_SERVER_FAILED);
	v = tls_conn_verdict(c);
	ck_assert_int_eq(v->reason, CERT_CRL_EXPIRED);
	ck_assert_msg(strstr(tls_conn_failure(c), "expired at 2020-02-01T00:00:00Z") != NULL,
		      "%s", tls_conn_failure(c));
	talloc_free_children(ctx);

	pki_settings(ctx, &s, "rsa");
	s.check_crl = CERT_CRL_LEAF;
	s.crl_file = pki_path(ctx, "rsa", "expired-crl.pem");
	s.allow_expired_crl = true;
	ck_assert_int_eq(run_id(&s, "rsa", "good", versions[_i], NULL, &c), HS_DONE);
	v = tls_conn_verdict(c);
	ck_assert_int_eq(v->reason, CERT_OK);
	ck_assert(v->warning);
	ck_assert_ptr_nonnull(strstr(v->warning_detail, "expired at 2020-02-01T00:00:00Z"));
	talloc_free_children(ctx);

	/* The expired CRL still revokes. */
	pki_settings(ctx, &s, "rsa");
	s.check_crl = CERT_CRL_LEAF;
	s.crl_file = pki_path(ctx, "rsa", "expired-crl.pem");
	s.allow_expired_crl = true;
	ck_assert_int_eq(run_id(&s, "rsa", "revoked", versions[_i], NULL, &c), HS_SERVER_FAILED);
	ck_assert_int_eq(tls_conn_verdict(c)->reason, CERT_REVOKED);
	talloc_free_children(ctx);
}
END_TEST

/* A bad setting: NULL from tls_server_new and an error naming what to fix. */
static void bad_setting(struct tls_settings const *s, char const *want)
{
	err_clear();
	ck_assert_ptr_null(tls_server_new(ctx, s));
	ck_assert_msg(strstr(err_msg(), want) != NULL, "error '%s' lacks '%s'", err_msg(), want);
	talloc_free_children(ctx);
}

START_TEST(test_settings_errors)
{
	struct tls_settings s;

	pki_settings(ctx, &s, "rsa");
	s.certificate_file = "/nonexistent/server.pem";
	bad_setting(&s, "cannot load certificate chain /nonexistent/server.pem");
	pki_settings(ctx, &s, "rsa");
	s.private_key_file = pki_path(ctx, "rsa", "good.key");
	bad_setting(&s, "does not match");
	pki_settings(ctx, &s, "rsa");
	s.tls_min_version = "1.1";
	bad_setting(&s, "unsupported TLS version '1.1'");
	pki_settings(ctx, &s, "rsa");
	s.tls_min_version = "1.3";
	s.tls_max_version = "1.2";
	bad_setting(&s, "is above tls_max_version");
	pki_settings(ctx, &s, "rsa");
	s.check_crl = CERT_CRL_LEAF;
	bad_setting(&s, "check_crl is on");
	pki_settings(ctx, &s, "rsa");
	s.crl_file = pki_path(ctx, "rsa", "ca.pem");
	bad_setting(&s, "holds no PEM CRL");
	pki_settings(ctx, &s, "rsa");
	s.cipher_list = "NO-SUCH-CIPHER";
	bad_setting(&s, "invalid cipher_list");
	pki_settings(ctx, &s, "rsa");
	s.ca_file = NULL;
	bad_setting(&s, "ca_file or ca_path is required");
	pki_settings(ctx, &s, "rsa");
	s.certificate_file_ecdsa = pki_path(ctx, "ecdsa", "server-chain.pem");
	bad_setting(&s, "go together");
}
END_TEST

START_TEST(test_hostile_input)
{
	struct tls_settings s;
	struct tls_conn *c;
	static uint8_t junk[TLS_INPUT_MAX];
	uint8_t buf[64];

	pki_settings(ctx, &s, "rsa");
	c = tls_conn_new(ctx, tls_server_new(ctx, &s));
	ck_assert_int_eq(tls_conn_input(c, junk, sizeof(junk)), 0);
	ck_assert_int_eq(tls_conn_input(c, junk, 1), -1); /* over the limit */
	ck_assert_int_eq(tls_conn_step(c), TLS_STEP_FAILED);
	ck_assert_ptr_nonnull(strstr(tls_conn_failure(c), "TLS handshake failed"));
	ck_assert_int_eq(tls_conn_read_app(c, buf, sizeof(buf)), -1);
	talloc_free_children(ctx);

	/* A record header that promises more: waits for more, then a bad ClientHello fails. */
	pki_settings(ctx, &s, "rsa");
	c = tls_conn_new(ctx, tls_server_new(ctx, &s));
	ck_assert_int_eq(tls_conn_input(c, (uint8_t const *)"\x16\x03\x01\x00\x08", 5), 0);
	ck_assert_int_eq(tls_conn_step(c), TLS_STEP_CONTINUE);
	ck_assert_int_eq(tls_conn_input(c, (uint8_t const *)"\x01\x00\x00\x04\x03\x03\x00\x00",
					8),
			 0);
	ck_assert_int_eq(tls_conn_step(c), TLS_STEP_FAILED);
	ck_assert_uint_gt(tls_conn_output_pending(c), 0); /* an alert */
	ck_assert_uint_eq(tls_conn_output_read(c, buf, sizeof(buf)), 7);
	ck_assert_uint_eq(buf[0], 21);
	talloc_free_children(ctx);
}
END_TEST

static Suite *tls_more_suite(void)
{
	Suite *s = suite_create("tls_more");
	TCase *tc = tcase_create("more");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_ecdsa, 0, 2);
	tcase_add_loop_test(tc, test_dual_certificates, 0, 2);
	tcase_add_test(tc, test_version_range);
	tcase_add_loop_test(tc, test_identity_binding, 0, 2);
	tcase_add_test(tc, test_identity_hostile);
	tcase_add_loop_test(tc, test_issuer_check, 0, 2);
	tcase_add_loop_test(tc, test_expired_crl, 0, 2);
	tcase_add_test(tc, test_settings_errors);
	tcase_add_test(tc, test_hostile_input);
	suite_add_tcase(s, tc);
	return s;
}

/* Extra files: a CRL of the RSA intermediate that expired in 2020, and both roots in one. */
static void extra_files(void)
{
	char cmd[2048];
	char const *d = pki_dir();

	snprintf(cmd, sizeof(cmd),
		 "OPENSSL_CONF=/dev/null openssl ca -batch -config '%s/rsa/db/openssl.cnf' "
		 "-name int_ca -gencrl -crl_lastupdate 20200101000000Z "
		 "-crl_nextupdate 20200201000000Z -out '%s/rsa/expired-crl.pem' 2>/dev/null && "
		 "cat '%s/rsa/ca.pem' '%s/ecdsa/ca.pem' > '%s/both-ca.pem'",
		 d, d, d, d, d);
	if (system(cmd) != 0) {
		fprintf(stderr, "cannot make the expired CRL\n");
		pki_remove();
		exit(99);
	}
}

int main(void)
{
	return pki_run_suite(tls_more_suite(), "both", extra_files);
}
