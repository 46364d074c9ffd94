/*
 * Unit tests for src/cert on the RSA lab PKI of scripts/pki, without TLS: the reason name
 * table, leaf checks (EKU, issuer, identity binding), printing, and chain errors mapped to
 * verdicts through a plain X509_verify_cert with the same callback shape as src/tls.
 */
#include "cert/cert_x509.h"
#include "pki_suite.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

static TALLOC_CTX *ctx;

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

static X509 *load(char const *name)
{
	char *path = pki_path(ctx, "rsa", name);
	FILE *f = fopen(path, "r");
	X509 *x;

	ck_assert_msg(f != NULL, "open %s", path);
	x = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	ck_assert_ptr_nonnull(x);
	talloc_free(path);
	return x;
}

START_TEST(test_reason_names)
{
	for (int r = 0; r < CERT_REASON_COUNT; r++) {
		ck_assert_str_ne(cert_reason_name((enum cert_reason)r), "invalid");
		for (int q = 0; q < r; q++)
			ck_assert_str_ne(cert_reason_name((enum cert_reason)r),
					 cert_reason_name((enum cert_reason)q));
	}
	ck_assert_str_eq(cert_reason_name(CERT_OK), "ok");
	ck_assert_str_eq(cert_reason_name(CERT_NO_CLIENT_EKU), "no_client_eku");
	ck_assert_str_eq(cert_reason_name(CERT_REASON_COUNT), "invalid");
	ck_assert_str_eq(cert_reason_name((enum cert_reason)-1), "invalid");
}
END_TEST

START_TEST(test_leaf_eku)
{
	struct cert_rules rules = {.require_client_eku = true};
	struct cert_verdict v;
	X509 *good = load("good.pem"), *noca = load("noclientauth.pem"), *root = load("ca.pem");

	cert_verdict_init(&v);
	ck_assert_int_eq(cert_check_leaf(&v, good, &rules, NULL, 0), 0);
	ck_assert_int_eq(v.reason, CERT_OK);
	ck_assert_int_eq(cert_check_leaf(&v, noca, &rules, NULL, 0), -1);
	ck_assert_int_eq(v.reason, CERT_NO_CLIENT_EKU);
	ck_assert_str_eq(v.detail, "client certificate has no clientAuth EKU");
	/* No EKU extension at all (the root has none) fails too. */
	cert_verdict_init(&v);
	ck_assert_int_eq(cert_check_leaf(&v, root, &rules, NULL, 0), -1);
	ck_assert_int_eq(v.reason, CERT_NO_CLIENT_EKU);
	ck_assert_ptr_nonnull(strstr(v.detail, "no extendedKeyUsage extension"));
	rules.require_client_eku = false;
	cert_verdict_init(&v);
	ck_assert_int_eq(cert_check_leaf(&v, root, &rules, NULL, 0), 0);
	ck_assert_int_eq(cert_check_leaf(&v, NULL, &rules, NULL, 0), -1);
	ck_assert_int_eq(v.reason, CERT_NO_CERT);
	X509_free(good);
	X509_free(noca);
	X509_free(root);
}
END_TEST

START_TEST(test_identity_and_issuer)
{
	X509 *good = load("good.pem");
	X509_NAME const *issuer = X509_get_issuer_name(good);

	ck_assert(cert_identity_matches(good, "alice@example.test", 18));
	ck_assert(cert_identity_matches(good, "Alice@EXAMPLE.test", 18));
	ck_assert(cert_identity_matches(good, "alice.example.test", 18));
	ck_assert(cert_identity_matches(good, "host/alice.example.test", 23));
	ck_assert(!cert_identity_matches(good, "host/alice@example.test", 23));
	ck_assert(!cert_identity_matches(good, "alice@example.tes", 17));
	ck_assert(!cert_identity_matches(good, "alice@example.test\0", 19));
	ck_assert(!cert_identity_matches(good, "", 0));
	ck_assert(!cert_identity_matches(good, NULL, 0));
	ck_assert(!cert_identity_matches(NULL, "alice@example.test", 18));
	ck_assert(cert_name_matches(issuer, "CN=latchd lab intermediate rsa,O=latchd lab"));
	ck_assert(cert_name_matches(issuer, "CN=latchd lab intermediate rsa,  O=latchd lab"));
	ck_assert(cert_name_matches(issuer, "/O=latchd lab/CN=latchd lab intermediate rsa"));
	ck_assert(!cert_name_matches(issuer, "CN=latchd lab intermediate rsa"));
	ck_assert(!cert_name_matches(issuer, "/CN=latchd lab intermediate rsa/O=latchd lab"));
	ck_assert(!cert_name_matches(issuer, NULL));
	X509_free(good);
}
END_TEST

START_TEST(test_print)
{
	X509 *good = load("good.pem"), *expired = load("expired.pem");
	char buf[128], tiny[8];

	cert_name_print(X509_get_subject_name(good), buf, sizeof(buf));
	ck_assert_str_eq(buf, "CN=alice@example.test,O=latchd lab");
	cert_time_print(X509_get0_notAfter(expired), buf, sizeof(buf));
	ck_assert_str_eq(buf, "2021-01-01T00:00:00Z");
	cert_time_print(NULL, buf, sizeof(buf));
	ck_assert_str_eq(buf, "?");
	cert_serial_print(good, buf, sizeof(buf));
	ck_assert_str_eq(buf, "1002"); /* the second certificate of the intermediate (0x1001) */
	cert_sans_print(good, buf, sizeof(buf));
	ck_assert_str_eq(buf, "email:alice@example.test, DNS:alice.example.test");
	cert_sans_print(good, tiny, sizeof(tiny));
	ck_assert_str_eq(tiny, "emai...");
	cert_name_print(X509_get_subject_name(good), tiny, sizeof(tiny));
	ck_assert_str_eq(tiny, "CN=a...");
	cert_name_print(X509_get_subject_name(good), tiny, 0); /* no write at all */
	cert_sans_print(good, tiny, 0);
	X509_free(good);
	X509_free(expired);
}
END_TEST

/* Chain verification with the verdict callback, like tls_verify_cb without TLS. */
static struct cert_verdict cb_verdict;
static struct cert_rules cb_rules;

static int verify_cb(int ok, X509_STORE_CTX *sctx)
{
	if (cb_verdict.reason != CERT_OK)
		return 0;
	if (!ok)
		return cert_verdict_from_store(&cb_verdict, sctx, &cb_rules) ? 1 : 0;
	return 1;
}

static int verify(char const *leaf_name, bool crl)
{
	X509_STORE *store = X509_STORE_new();
	X509_STORE_CTX *sctx = X509_STORE_CTX_new();
	X509 *leaf = load(leaf_name), *inter = load("intermediate.pem");
	STACK_OF(X509) *untrusted = sk_X509_new_null();
	char *ca = pki_path(ctx, "rsa", "ca.pem"), *crlf = pki_path(ctx, "rsa", "crl.pem");
	int rc;

	ck_assert_int_eq(X509_STORE_load_file(store, ca), 1);
	if (crl) {
		X509_LOOKUP *lu = X509_STORE_add_lookup(store, X509_LOOKUP_file());

		ck_assert_int_eq(X509_load_crl_file(lu, crlf, X509_FILETYPE_PEM), 1);
		X509_STORE_set_flags(store, X509_V_FLAG_CRL_CHECK);
	}
	X509_STORE_set_verify_cb(store, verify_cb);
	sk_X509_push(untrusted, inter);
	ck_assert_int_eq(X509_STORE_CTX_init(sctx, store, leaf, untrusted), 1);
	X509_STORE_CTX_set_purpose(sctx, X509_PURPOSE_SSL_CLIENT);
	cert_verdict_init(&cb_verdict);
	rc = X509_verify_cert(sctx);
	X509_STORE_CTX_free(sctx);
	X509_STORE_free(store);
	sk_X509_pop_free(untrusted, X509_free);
	X509_free(leaf);
	talloc_free(ca);
	talloc_free(crlf);
	return rc;
}

START_TEST(test_chain_verdicts)
{
	cb_rules = (struct cert_rules){.require_client_eku = true};
	ck_assert_int_eq(verify("good.pem", true), 1);
	ck_assert_int_eq(cb_verdict.reason, CERT_OK);
	ck_assert_int_eq(cb_verdict.depth, -1);

	ck_assert_int_ne(verify("expired.pem", false), 1);
	ck_assert_int_eq(cb_verdict.reason, CERT_EXPIRED);
	ck_assert_int_eq(cb_verdict.depth, 0);
	ck_assert_str_eq(cb_verdict.detail, "client certificate expired at 2021-01-01T00:00:00Z");

	ck_assert_int_ne(verify("revoked.pem", true), 1);
	ck_assert_int_eq(cb_verdict.reason, CERT_REVOKED);
	ck_assert_msg(strstr(cb_verdict.detail, "client certificate revoked at 20") ==
			      cb_verdict.detail,
		      "%s", cb_verdict.detail);
	ck_assert_ptr_nonnull(strstr(cb_verdict.detail,
				     "Z by CRL of CN=latchd lab intermediate rsa,O=latchd lab"));

	ck_assert_int_ne(verify("unknown.pem", false), 1);
	ck_assert_int_eq(cb_verdict.reason, CERT_UNKNOWN_CA);
	ck_assert_ptr_nonnull(strstr(cb_verdict.detail, "unknown CA (issuer CN=unknown root rsa"));

	ck_assert_int_ne(verify("noclientauth.pem", false), 1);
	ck_assert_int_eq(cb_verdict.reason, CERT_NO_CLIENT_EKU);
	/* Tolerated when clientAuth is not required. */
	cb_rules.require_client_eku = false;
	ck_assert_int_eq(verify("noclientauth.pem", false), 1);
	ck_assert_int_eq(cb_verdict.reason, CERT_OK);
}
END_TEST

static Suite *cert_suite(void)
{
	Suite *s = suite_create("cert");
	TCase *tc = tcase_create("cert");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_reason_names);
	tcase_add_test(tc, test_leaf_eku);
	tcase_add_test(tc, test_identity_and_issuer);
	tcase_add_test(tc, test_print);
	tcase_add_test(tc, test_chain_verdicts);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return pki_run_suite(cert_suite(), "rsa", NULL);
}
