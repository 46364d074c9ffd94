/*
 * EAP-MSCHAPv2 server method (src/methods/eap_mschapv2.c) driven by hand with the RFC 2759 9.2
 * vectors: the fixed Authenticator Challenge comes in through the conf's test hook and the
 * users through a fake inner lookup.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <talloc.h>

#include "eap/eap.h"
#include "methods/eap_mschapv2.h"

static TALLOC_CTX *ctx;

/* RFC 2759 9.2 */
static uint8_t const auth_challenge[16] = {0x5B, 0x5D, 0x7C, 0x7D, 0x7B, 0x3F, 0x2F, 0x3E,
					   0x3C, 0x2C, 0x60, 0x21, 0x32, 0x26, 0x26, 0x28};
static uint8_t const peer_challenge[16] = {0x21, 0x40, 0x23, 0x24, 0x25, 0x5E, 0x26, 0x2A,
					   0x28, 0x29, 0x5F, 0x2B, 0x3A, 0x33, 0x7C, 0x7E};
static uint8_t const nt_response[24] = {0x82, 0x30, 0x9E, 0xCD, 0x8D, 0x70, 0x8B, 0x5E,
					0xA0, 0x8F, 0xAA, 0x39, 0x81, 0xCD, 0x83, 0x54,
					0x42, 0x33, 0x11, 0x4A, 0x3D, 0x85, 0xD6, 0xDF};
static uint8_t const password_hash[16] = {0x44, 0xEB, 0xBA, 0x8D, 0x53, 0x12, 0xB8, 0xD6,
					  0x11, 0x47, 0x44, 0x11, 0xF5, 0x69, 0x89, 0xAE};
#define AUTH_RESPONSE "S=407A5589115FD0D6209F510FE9C04566932CDA56"

/* Users: "User" (clear password), "nt" (NT hash), "wrong" (another password), "rej"
 * (Auth-Type := Reject), "nopw" (Auth-Type := Accept only). */
static int fake_lookup(void const *lctx, char const *user, size_t len, struct inner_creds *out)
{
	(void)lctx;
	memset(out, 0, sizeof(*out));
	if (len == 4 && memcmp(user, "User", 4) == 0) {
		out->cleartext = "clientPass";
		out->cleartext_len = 10;
	} else if (len == 2 && memcmp(user, "nt", 2) == 0) {
		out->has_nt_hash = true;
		memcpy(out->nt_hash, password_hash, 16);
	} else if (len == 5 && memcmp(user, "wrong", 5) == 0) {
		out->cleartext = "serverPass";
		out->cleartext_len = 10;
	} else if (len == 3 && memcmp(user, "rej", 3) == 0) {
		out->reject = true;
		out->cleartext = "clientPass";
		out->cleartext_len = 10;
	} else if (len == 4 && memcmp(user, "nopw", 4) == 0) {
		out->accept = true;
	} else {
		return -1;
	}
	return 0;
}

static struct inner_lookup const lookup = {.lookup = fake_lookup, .ctx = NULL};
static struct eap_mschapv2_conf const conf = {.inner = &lookup, .test_challenge = auth_challenge};

static void setup(void)
{
	ctx = talloc_new(NULL);
}

static void teardown(void)
{
	ck_assert_int_eq(talloc_total_blocks(ctx), 1);
	talloc_free(ctx);
}

/* Start the method for identity; check the Challenge request. */
static void *start(char const *identity)
{
	struct eap_method_peer peer = {.identity = identity, .max_eap_size = 1400};
	struct eap_method_result res = {0};
	void *st = NULL;

	ck_assert_int_eq(eap_mschapv2_method.init(ctx, &conf, &peer, &st, &res), 0);
	ck_assert_ptr_nonnull(st);
	ck_assert_int_eq(res.status, EAP_METHOD_CONTINUE);
	ck_assert_uint_eq(res.req_len, 4 + 1 + 16 + 6);
	ck_assert_uint_eq(res.req_data[0], MSCHAPV2_OP_CHALLENGE);
	ck_assert_uint_eq(res.req_data[1], 0); /* MS-CHAPv2-ID (fixed with the test hook) */
	ck_assert_uint_eq(res.req_data[2], 0);
	ck_assert_uint_eq(res.req_data[3], 27); /* MS-Length */
	ck_assert_uint_eq(res.req_data[4], 16); /* Value-Size */
	ck_assert_mem_eq(res.req_data + 5, auth_challenge, 16);
	ck_assert_mem_eq(res.req_data + 21, "latchd", 6);
	return st;
}

/* A Response (draft-kamath 2.2) with the RFC vectors and Name name; returns its length. */
static size_t response(uint8_t *buf, uint8_t id, char const *name)
{
	size_t len = 4 + 1 + 49 + strlen(name);

	buf[0] = MSCHAPV2_OP_RESPONSE;
	buf[1] = id;
	buf[2] = (uint8_t)(len >> 8);
	buf[3] = (uint8_t)len;
	buf[4] = 49;
	memcpy(buf + 5, peer_challenge, 16);
	memset(buf + 21, 0, 8);
	memcpy(buf + 29, nt_response, 24);
	buf[53] = 0; /* Flags */
	memcpy(buf + 54, name, strlen(name));
	return len;
}

static void expect_success(void *st, char const *name)
{
	struct eap_method_result res = {0};
	struct eap_keys keys;
	uint8_t buf[256], op = MSCHAPV2_OP_SUCCESS;
	size_t len = response(buf, 0, name);
	char const *want = AUTH_RESPONSE " M=Welcome";

	ck_assert_int_eq(eap_mschapv2_method.process(st, buf, len, &res), 0);
	ck_assert_int_eq(res.status, EAP_METHOD_CONTINUE);
	ck_assert_uint_eq(res.req_data[0], MSCHAPV2_OP_SUCCESS);
	ck_assert_uint_eq(res.req_len, 4 + strlen(want));
	ck_assert_uint_eq(res.req_data[3], res.req_len);
	ck_assert_mem_eq(res.req_data + 4, want, strlen(want));
	ck_assert_int_eq(eap_mschapv2_method.process(st, &op, 1, &res), 0);
	ck_assert_int_eq(res.status, EAP_METHOD_SUCCESS);
	ck_assert_int_eq(eap_mschapv2_method.keys(st, &keys), 0);
}

START_TEST(test_cleartext_user)
{
	void *st = start("User");

	expect_success(st, "User");
	talloc_free(st);
}
END_TEST

START_TEST(test_nt_hash_user)
{
	/* The lookup key is the inner identity; ChallengeHash uses the Response's Name. */
	void *st = start("nt");

	expect_success(st, "User");
	talloc_free(st);
}
END_TEST

START_TEST(test_domain_stripped)
{
	void *st = start("User");

	expect_success(st, "EXAMPLE\\User");
	talloc_free(st);
}
END_TEST

/* The Response fails: expect the E=691 Failure request, then FAILURE with reason. */
static void expect_failure(char const *identity, char const *reason)
{
	struct eap_method_result res = {0};
	uint8_t buf[256], op = MSCHAPV2_OP_FAILURE;
	size_t len;
	void *st = start(identity);
	char const *tail = " V=3 M=Authentication failed";

	len = response(buf, 0, "User");
	ck_assert_int_eq(eap_mschapv2_method.process(st, buf, len, &res), 0);
	ck_assert_int_eq(res.status, EAP_METHOD_CONTINUE);
	ck_assert_uint_eq(res.req_data[0], MSCHAPV2_OP_FAILURE);
	ck_assert_uint_eq(res.req_len, 4 + 12 + 32 + strlen(tail));
	ck_assert_mem_eq(res.req_data + 4, "E=691 R=0 C=", 12);
	ck_assert_mem_eq(res.req_data + 4 + 12 + 32, tail, strlen(tail));
	ck_assert_int_eq(eap_mschapv2_method.process(st, &op, 1, &res), 0);
	ck_assert_int_eq(res.status, EAP_METHOD_FAILURE);
	ck_assert_str_eq(res.reason_name, reason);
	talloc_free(st);
}

START_TEST(test_wrong_password)
{
	expect_failure("wrong", "wrong password (MS-CHAPv2)");
}
END_TEST

START_TEST(test_unknown_user)
{
	expect_failure("nobody", "unknown user");
}
END_TEST

START_TEST(test_rejected_user)
{
	expect_failure("rej", "user rejected (Auth-Type := Reject)");
}
END_TEST

START_TEST(test_no_password)
{
	expect_failure("nopw", "no NT-Password or Cleartext-Password for the user");
}
END_TEST

/* Broken Responses end at once with a reason. */
static void expect_broken(uint8_t const *buf, size_t len, char const *prefix)
{
	struct eap_method_result res = {0};
	void *st = start("User");

	ck_assert_int_eq(eap_mschapv2_method.process(st, buf, len, &res), 0);
	ck_assert_int_eq(res.status, EAP_METHOD_FAILURE);
	ck_assert_ptr_nonnull(res.reason_name);
	ck_assert_msg(strncmp(res.reason_name, prefix, strlen(prefix)) == 0, "reason %s",
		      res.reason_name);
	talloc_free(st);
}

START_TEST(test_malformed)
{
	uint8_t buf[256];
	size_t len = response(buf, 0, "User");

	expect_broken(buf, 0, "malformed");
	expect_broken(buf, 3, "malformed");
	expect_broken(buf, 53, "malformed");
	buf[4] = 48;
	expect_broken(buf, len, "malformed");
	buf[4] = 49;
	buf[1] = 7;
	expect_broken(buf, len, "MS-CHAPv2-ID mismatch");
	buf[1] = 0;
	buf[0] = MSCHAPV2_OP_SUCCESS;
	expect_broken(buf, len, "unexpected MS-CHAPv2 OpCode");
	buf[0] = MSCHAPV2_OP_RESPONSE;
	buf[2] = 0;
	buf[3] = 2;
	expect_broken(buf, len, "malformed");
	/* MS-Length cutting into the fixed part. */
	buf[3] = 40;
	expect_broken(buf, len, "malformed");
}
END_TEST

START_TEST(test_every_truncation)
{
	uint8_t buf[256];
	size_t len = response(buf, 0, "User"), i;
	struct eap_method_result res;

	for (i = 0; i < len; i++) {
		void *st = start("User");
		uint8_t *copy = talloc_memdup(ctx, buf, i ? i : 1);

		memset(&res, 0, sizeof(res));
		ck_assert_int_eq(eap_mschapv2_method.process(st, copy, i, &res), 0);
		/* 54..57 octets: a shorter Name, still a well-formed Response. */
		if (i < 54) ck_assert_int_eq(res.status, EAP_METHOD_FAILURE);
		talloc_free(copy);
		talloc_free(st);
	}
}
END_TEST

START_TEST(test_peer_refuses_success)
{
	struct eap_method_result res = {0};
	uint8_t buf[256], op = MSCHAPV2_OP_FAILURE;
	size_t len = response(buf, 0, "User");
	void *st = start("User");
	struct eap_keys keys;

	ck_assert_int_eq(eap_mschapv2_method.process(st, buf, len, &res), 0);
	ck_assert_uint_eq(res.req_data[0], MSCHAPV2_OP_SUCCESS);
	ck_assert_int_eq(eap_mschapv2_method.process(st, &op, 1, &res), 0);
	ck_assert_int_eq(res.status, EAP_METHOD_FAILURE);
	ck_assert_str_eq(res.reason_name, "peer refused our MS-CHAPv2 authenticator response");
	ck_assert_int_eq(eap_mschapv2_method.keys(st, &keys), -1);
	talloc_free(st);
}
END_TEST

START_TEST(test_random_challenge)
{
	struct eap_mschapv2_conf rconf = {.inner = &lookup};
	struct eap_method_peer peer = {.identity = "User", .max_eap_size = 1400};
	struct eap_method_result res = {0};
	void *st = NULL;

	ck_assert_int_eq(eap_mschapv2_method.init(ctx, &rconf, &peer, &st, &res), 0);
	ck_assert_uint_eq(res.req_len, 27);
	ck_assert_mem_ne(res.req_data + 5, auth_challenge, 16);
	talloc_free(st);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("eap_mschapv2");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_cleartext_user);
	tcase_add_test(tc, test_nt_hash_user);
	tcase_add_test(tc, test_domain_stripped);
	tcase_add_test(tc, test_wrong_password);
	tcase_add_test(tc, test_unknown_user);
	tcase_add_test(tc, test_rejected_user);
	tcase_add_test(tc, test_no_password);
	tcase_add_test(tc, test_malformed);
	tcase_add_test(tc, test_every_truncation);
	tcase_add_test(tc, test_peer_refuses_success);
	tcase_add_test(tc, test_random_challenge);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
