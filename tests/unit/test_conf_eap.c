/*
 * Unit tests for src/conf/conf_eap.c: the eap { tls { } } section maps every key onto
 * struct conf_eap and struct tls_settings (paths resolved against confdir), defaults apply
 * with and without the section, and each error names the exact file:line to fix. Fixtures
 * are tests/unit/data/conf/eap-*; eap-certs/ holds dummy PEM-named files, since conf only
 * checks that they can be opened.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <talloc.h>
#include <unistd.h>

#include "conf/conf.h"
#include "dict/dict.h"
#include "util/err.h"

#include "conf_fixture.h"

static void fixture_dir(char *buf, size_t cap, char const *name)
{
	snprintf(buf, cap, "%s/tests/unit/data/conf/%s", srcdir(), name);
}

static struct conf *load(char const *name)
{
	char dir[4096];
	struct conf *conf;

	fixture_dir(dir, sizeof(dir), name);
	conf = conf_load(ctx, dir, dict);
	ck_assert_msg(conf != NULL, "conf_load(%s): %s", name, err_msg());
	return conf;
}

/* A path from the tree equals CONFDIR/rel (how cf_path_join resolves a relative path). */
static void path_is(struct conf const *conf, char const *got, char const *rel)
{
	char want[4200];

	ck_assert_ptr_nonnull(got);
	snprintf(want, sizeof(want), "%s/%s", conf->confdir, rel);
	ck_assert_str_eq(got, want);
}

static void eap_defaults_are(struct conf_eap const *eap)
{
	ck_assert_str_eq(eap->default_method, "tls");
	ck_assert_uint_eq(eap->session_timeout, 30);
	ck_assert_uint_eq(eap->max_sessions, 16384);
	ck_assert_uint_eq(eap->max_rounds, 50);
	ck_assert_uint_eq(eap->fragment_size, 1400);
	ck_assert_uint_eq(eap->max_message, 65536);
	ck_assert_int_eq(eap->user_name, CONF_EAP_USER_NAME_IDENTITY);
}

static void tls_optional_defaults_are(struct tls_settings const *s)
{
	ck_assert_ptr_null(s->certificate_file_ecdsa);
	ck_assert_ptr_null(s->private_key_file_ecdsa);
	ck_assert_ptr_null(s->ca_path);
	ck_assert_ptr_null(s->crl_file);
	ck_assert_ptr_null(s->crl_path);
	ck_assert_int_eq(s->check_crl, CERT_CRL_NONE);
	ck_assert(!s->allow_expired_crl);
	ck_assert(s->require_client_eku);
	ck_assert(!s->no_ca_names);
	ck_assert_ptr_null(s->check_cert_issuer);
	ck_assert_int_eq(s->identity_binding, CERT_BIND_NONE);
	ck_assert_ptr_null(s->tls_min_version);
	ck_assert_ptr_null(s->tls_max_version);
	ck_assert_ptr_null(s->cipher_list);
	ck_assert_ptr_null(s->ciphersuites);
	ck_assert_ptr_null(s->groups);
	ck_assert_int_eq(s->verify_depth, 0);
	ck_assert(s->resumption);
	ck_assert_uint_eq(s->ticket_lifetime, 3600);
	ck_assert_ptr_null(s->ticket_key_file);
	ck_assert_uint_eq(s->ticket_key_rotation, 86400);
	ck_assert(!s->resume_skip_inner);
}

START_TEST(test_full)
{
	struct conf *conf = load("eap-full");
	struct conf_eap const *eap = &conf->eap;
	struct tls_settings const *s = &eap->tls;

	ck_assert(eap->enabled);
	ck_assert_str_eq(eap->default_method, "tls");
	ck_assert_uint_eq(eap->session_timeout, 45);
	ck_assert_uint_eq(eap->max_sessions, 2000);
	ck_assert_uint_eq(eap->max_rounds, 40);
	ck_assert_uint_eq(eap->fragment_size, 1100);
	ck_assert_uint_eq(eap->max_message, 32768);
	ck_assert_int_eq(eap->user_name, CONF_EAP_USER_NAME_CERT_SAN);
	path_is(conf, s->certificate_file, "../eap-certs/server.pem");	/* via ${confdir} */
	path_is(conf, s->private_key_file, "../eap-certs/server.key");
	path_is(conf, s->certificate_file_ecdsa, "../eap-certs/server-ecdsa.pem");
	path_is(conf, s->private_key_file_ecdsa, "../eap-certs/server-ecdsa.key");
	path_is(conf, s->ca_file, "../eap-certs/ca.pem");
	path_is(conf, s->ca_path, "../eap-certs/cadir");
	path_is(conf, s->crl_file, "../eap-certs/crl.pem");
	path_is(conf, s->crl_path, "../eap-certs/crldir");
	ck_assert_int_eq(s->check_crl, CERT_CRL_CHAIN);
	ck_assert(s->allow_expired_crl);
	ck_assert(!s->require_client_eku);
	ck_assert(s->no_ca_names);
	ck_assert_str_eq(s->check_cert_issuer, "CN=latchd lab intermediate rsa,O=latchd lab");
	ck_assert_int_eq(s->identity_binding, CERT_BIND_SAN_OR_CN);
	ck_assert_str_eq(s->tls_min_version, "1.3");
	ck_assert_str_eq(s->tls_max_version, "1.3");
	ck_assert_str_eq(s->cipher_list, "ECDHE+AESGCM:!aNULL");
	ck_assert_str_eq(s->ciphersuites, "TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256");
	ck_assert_str_eq(s->groups, "X25519:P-256");
	ck_assert_int_eq(s->verify_depth, 3);
	ck_assert(s->resumption);
	ck_assert_uint_eq(s->ticket_lifetime, 7200);
	path_is(conf, s->ticket_key_file, "../eap-certs/ticket.key");
	ck_assert_uint_eq(s->ticket_key_rotation, 43200);
	/* the strings belong to the tree: freeing it frees them */
	ck_assert_ptr_eq(talloc_parent(s->certificate_file), conf);
	ck_assert_ptr_eq(talloc_parent(s->groups), conf);
	talloc_free(conf);
}
END_TEST

START_TEST(test_defaults)
{
	struct conf *conf = load("eap-defaults");

	ck_assert(conf->eap.enabled);
	eap_defaults_are(&conf->eap);
	path_is(conf, conf->eap.tls.certificate_file, "../eap-certs/server.pem");
	path_is(conf, conf->eap.tls.private_key_file, "../eap-certs/server.key");
	path_is(conf, conf->eap.tls.ca_file, "../eap-certs/ca.pem");
	tls_optional_defaults_are(&conf->eap.tls);
	talloc_free(conf);
}
END_TEST

START_TEST(test_no_eap_section)
{
	struct conf *conf = load("good");

	ck_assert(!conf->eap.enabled);
	eap_defaults_are(&conf->eap);
	ck_assert_ptr_null(conf->eap.tls.certificate_file);
	ck_assert_ptr_null(conf->eap.tls.private_key_file);
	ck_assert_ptr_null(conf->eap.tls.ca_file);
	tls_optional_defaults_are(&conf->eap.tls);
	talloc_free(conf);
}
END_TEST

/* -d raddb: ${confdir} becomes absolute, so "${confdir}/x" is not joined to confdir twice. */
START_TEST(test_relative_confdir)
{
	char dir[4096], cwd[4096], want[8400];
	struct conf *conf;

	ck_assert_ptr_nonnull(getcwd(cwd, sizeof(cwd)));
	fixture_dir(dir, sizeof(dir), "");
	ck_assert_int_eq(chdir(dir), 0);
	conf = conf_load(ctx, "eap-full", dict);
	ck_assert_msg(conf != NULL, "conf_load: %s", err_msg());
	ck_assert_ptr_nonnull(getcwd(dir, sizeof(dir)));
	snprintf(want, sizeof(want), "%s/eap-full/../eap-certs/server.pem", dir);
	ck_assert_str_eq(conf->eap.tls.certificate_file, want);	/* ${confdir}/... */
	ck_assert_str_eq(conf->eap.tls.private_key_file, "eap-full/../eap-certs/server.key");
	talloc_free(conf);
	ck_assert_int_eq(chdir(cwd), 0);
}
END_TEST

START_TEST(test_default_raddb)
{
	char dir[4096];
	struct conf *conf;

	snprintf(dir, sizeof(dir), "%s/raddb", srcdir());
	conf = conf_load(ctx, dir, dict);
	ck_assert_msg(conf != NULL, "raddb: %s", err_msg());
	ck_assert(!conf->eap.enabled);	/* the example eap section is commented out */
	talloc_free(conf);
}
END_TEST

/* Load NAME, expect failure blaming "DIR/WHERE: " with also in the message. */
static void expect_error(char const *name, char const *where, char const *also)
{
	char dir[4096], want[4200];
	char const *msg;

	fixture_dir(dir, sizeof(dir), name);
	err_clear();
	ck_assert_ptr_null(conf_load(ctx, dir, dict));
	msg = err_msg();
	snprintf(want, sizeof(want), "%s/%s: ", dir, where);
	ck_assert_msg(strncmp(msg, want, strlen(want)) == 0, "'%s' does not start with '%s'", msg,
		      want);
	ck_assert_msg(strstr(msg, also) != NULL, "'%s' lacks '%s'", msg, also);
	ck_assert_msg(strchr(msg, ';') != NULL, "'%s' does not say what to do", msg);
}

START_TEST(test_unknown_tls_key)
{
	expect_error("eap-unknown-key", "latchd.conf:9", "unknown key 'certifcate_file' in tls");
}
END_TEST

START_TEST(test_bad_check_crl)
{
	expect_error("eap-bad-crl", "latchd.conf:13", "check_crl = yes is not known");
}
END_TEST

START_TEST(test_missing_certificate_file)
{
	expect_error("eap-no-cert", "latchd.conf:8", "tls has no certificate_file");
}
END_TEST

START_TEST(test_missing_file_on_disk)
{
	expect_error("eap-missing-file", "latchd.conf:10",
		     "private_key_file = ../eap-certs/missing.key: cannot open");
	ck_assert(strstr(err_msg(), "No such file") != NULL);
}
END_TEST

START_TEST(test_min_above_max)
{
	expect_error("eap-min-max", "latchd.conf:12",
		     "tls_min_version = 1.3 is above tls_max_version = 1.2");
}
END_TEST

START_TEST(test_method_not_known)
{
	expect_error("eap-bad-method", "latchd.conf:8", "default_method = leap is not known");
	expect_error("eap-unknown-method", "latchd.conf:8", "default_method = md5 is not known");
}
END_TEST

START_TEST(test_crl_without_source)
{
	expect_error("eap-crl-no-source", "latchd.conf:12", "check_crl = leaf needs CRLs");
}
END_TEST

START_TEST(test_other_errors)
{
	expect_error("eap-no-ca", "latchd.conf:8", "neither ca_file nor ca_path");
	expect_error("eap-no-tls", "latchd.conf:7", "eap has no tls { } section");
	expect_error("eap-range", "latchd.conf:8", "fragment_size = 50 is out of range");
	expect_error("eap-range-message", "latchd.conf:8", "max_message = 131072 is out of range");
	expect_error("eap-not-a-file", "latchd.conf:11", "is not a regular file");
	expect_error("eap-ecdsa-half", "latchd.conf:8", "certificate_file_ecdsa");
	expect_error("eap-twice", "latchd.conf:14", "second 'eap' section");
}
END_TEST

/* resumption = no: the ticket settings are kept but not cross-checked. */
START_TEST(test_resumption_off)
{
	struct conf *conf = load("eap-ticket-off");

	ck_assert(!conf->eap.tls.resumption);
	ck_assert_uint_eq(conf->eap.tls.ticket_lifetime, 7200);
	talloc_free(conf);
}
END_TEST

/* resume_skip_inner (TTLS/PEAP resumption) in eap { } or in tls { }. */
START_TEST(test_skip_inner)
{
	struct conf *conf = load("eap-skip-inner-eap");

	ck_assert(conf->eap.tls.resume_skip_inner);
	talloc_free(conf);
	conf = load("eap-skip-inner-tls");
	ck_assert(conf->eap.tls.resume_skip_inner);
	talloc_free(conf);
}
END_TEST

START_TEST(test_skip_inner_errors)
{
	expect_error("eap-skip-inner-twice", "latchd.conf:8",
		     "resume_skip_inner is also set in tls { } at");
	expect_error("eap-skip-inner-bool", "latchd.conf:12", "resume_skip_inner");
}
END_TEST

START_TEST(test_ticket_errors)
{
	expect_error("eap-ticket-lifetime", "latchd.conf:13",
		     "ticket_lifetime = 7200 is above ticket_key_rotation = 3600");
	expect_error("eap-ticket-bool", "latchd.conf:12", "resumption");
	expect_error("eap-ticket-key-missing", "latchd.conf:12",
		     "ticket_key_file = ../eap-certs/missing-ticket.key: cannot open");
}
END_TEST

static Suite *conf_eap_suite(void)
{
	Suite *s = suite_create("conf_eap");
	TCase *ok = tcase_create("load");
	TCase *bad = tcase_create("errors");

	tcase_add_checked_fixture(ok, setup, teardown);
	tcase_add_test(ok, test_full);
	tcase_add_test(ok, test_defaults);
	tcase_add_test(ok, test_no_eap_section);
	tcase_add_test(ok, test_relative_confdir);
	tcase_add_test(ok, test_default_raddb);
	tcase_add_test(ok, test_resumption_off);
	tcase_add_test(ok, test_skip_inner);
	suite_add_tcase(s, ok);

	tcase_add_checked_fixture(bad, setup, teardown);
	tcase_add_test(bad, test_unknown_tls_key);
	tcase_add_test(bad, test_bad_check_crl);
	tcase_add_test(bad, test_missing_certificate_file);
	tcase_add_test(bad, test_missing_file_on_disk);
	tcase_add_test(bad, test_min_above_max);
	tcase_add_test(bad, test_method_not_known);
	tcase_add_test(bad, test_ticket_errors);
	tcase_add_test(bad, test_skip_inner_errors);
	tcase_add_test(bad, test_crl_without_source);
	tcase_add_test(bad, test_other_errors);
	suite_add_tcase(s, bad);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(conf_eap_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
