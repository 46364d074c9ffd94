/*
 * Unit tests for src/eap/eap_packet.c: EAP packet decode/encode (RFC 3748 4), Nak and
 * Identity helpers, including hostile Length fields and truncations.
 */
#include "eap/eap.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <talloc.h>

static TALLOC_CTX *ctx;

static void setup(void)
{
	ctx = talloc_new(NULL);
	ck_assert_ptr_nonnull(ctx);
}

static void teardown(void)
{
	ck_assert_uint_eq(talloc_total_blocks(ctx), 1); /* no children left: no leak */
	talloc_free(ctx);
}

/* Decode and expect failure with reason want. */
static void expect_bad(uint8_t const *buf, size_t len, enum eap_reason want)
{
	struct eap_packet p;
	enum eap_reason r = EAP_OK;

	ck_assert_int_eq(eap_packet_decode(&p, buf, len, &r), -1);
	ck_assert_msg(r == want, "reason %s, want %s", eap_reason_name(r), eap_reason_name(want));
}

START_TEST(test_decode_identity_response)
{
	uint8_t buf[] = {2, 7, 0, 10, 1, 'a', 'l', 'i', 'c', 'e'};
	struct eap_packet p;
	enum eap_reason r;

	ck_assert_int_eq(eap_packet_decode(&p, buf, sizeof(buf), &r), 10);
	ck_assert_int_eq(r, EAP_OK);
	ck_assert_uint_eq(p.code, EAP_CODE_RESPONSE);
	ck_assert_uint_eq(p.id, 7);
	ck_assert_uint_eq(p.length, 10);
	ck_assert_uint_eq(p.type, EAP_TYPE_IDENTITY);
	ck_assert_uint_eq(p.data_len, 5);
	ck_assert_ptr_eq(p.data, buf + 5);
	ck_assert_uint_eq(p.nak_count, 0);
	ck_assert(!eap_packet_is_nak(&p));
}
END_TEST

START_TEST(test_decode_padding_ignored)
{
	uint8_t buf[] = {1, 1, 0, 6, 13, 0x20, 0xde, 0xad, 0xbe, 0xef}; /* 4 padding octets */
	struct eap_packet p;

	ck_assert_int_eq(eap_packet_decode(&p, buf, sizeof(buf), NULL), 6);
	ck_assert_uint_eq(p.type, EAP_TYPE_TLS);
	ck_assert_uint_eq(p.data_len, 1);
	ck_assert_uint_eq(p.data[0], 0x20);
}
END_TEST

START_TEST(test_decode_truncated_header)
{
	uint8_t buf[] = {2, 1, 0, 4};

	expect_bad(NULL, 0, EAP_ERR_TRUNCATED_HEADER);
	expect_bad(buf, 0, EAP_ERR_TRUNCATED_HEADER);
	expect_bad(buf, 1, EAP_ERR_TRUNCATED_HEADER);
	expect_bad(buf, 3, EAP_ERR_TRUNCATED_HEADER);
}
END_TEST

START_TEST(test_decode_length_fields)
{
	uint8_t zero[] = {3, 1, 0, 0};
	uint8_t three[] = {3, 1, 0, 3, 0};
	uint8_t over[] = {2, 1, 0, 9, 1, 'x'};
	uint8_t huge[] = {2, 1, 0xff, 0xff, 1, 'x'};

	expect_bad(zero, sizeof(zero), EAP_ERR_LENGTH_TOO_SHORT);
	expect_bad(three, sizeof(three), EAP_ERR_LENGTH_TOO_SHORT);
	expect_bad(over, sizeof(over), EAP_ERR_LENGTH_EXCEEDS_DATA);
	expect_bad(huge, sizeof(huge), EAP_ERR_LENGTH_EXCEEDS_DATA);
}
END_TEST

START_TEST(test_decode_codes)
{
	uint8_t buf[] = {0, 1, 0, 4};
	static uint8_t const bad[] = {0, 5, 6, 7, 255};

	for (size_t i = 0; i < sizeof(bad); i++) {
		buf[0] = bad[i];
		expect_bad(buf, sizeof(buf), EAP_ERR_UNKNOWN_CODE);
	}
}
END_TEST

START_TEST(test_decode_missing_type)
{
	uint8_t req[] = {1, 1, 0, 4, 1};
	uint8_t resp[] = {2, 1, 0, 4};

	expect_bad(req, sizeof(req), EAP_ERR_MISSING_TYPE); /* Type beyond Length: padding */
	expect_bad(resp, sizeof(resp), EAP_ERR_MISSING_TYPE);
}
END_TEST

START_TEST(test_decode_success_failure)
{
	uint8_t ok[] = {3, 9, 0, 4};
	uint8_t fail[] = {4, 9, 0, 4, 0, 0};
	uint8_t bad[] = {3, 9, 0, 5, 1};
	struct eap_packet p;

	ck_assert_int_eq(eap_packet_decode(&p, ok, sizeof(ok), NULL), 4);
	ck_assert_uint_eq(p.code, EAP_CODE_SUCCESS);
	ck_assert_uint_eq(p.type, 0);
	ck_assert_ptr_null(p.data);
	ck_assert_int_eq(eap_packet_decode(&p, fail, sizeof(fail), NULL), 4);
	ck_assert_uint_eq(p.code, EAP_CODE_FAILURE);
	expect_bad(bad, sizeof(bad), EAP_ERR_SUCCESS_FAILURE_LENGTH);
	bad[0] = 4;
	expect_bad(bad, sizeof(bad), EAP_ERR_SUCCESS_FAILURE_LENGTH);
}
END_TEST

START_TEST(test_decode_type_zero)
{
	uint8_t buf[] = {2, 1, 0, 5, 0};

	expect_bad(buf, sizeof(buf), EAP_ERR_TYPE_ZERO);
}
END_TEST

START_TEST(test_decode_expanded)
{
	uint8_t buf[] = {1, 2, 0, 14, 254, 0x00, 0x13, 0x7a, 0, 0, 0, 42, 'h', 'i'};
	struct eap_packet p;

	ck_assert_int_eq(eap_packet_decode(&p, buf, sizeof(buf), NULL), 14);
	ck_assert_uint_eq(p.type, EAP_TYPE_EXPANDED);
	ck_assert_uint_eq(p.vendor_id, 0x137a);
	ck_assert_uint_eq(p.vendor_type, 42);
	ck_assert_uint_eq(p.data_len, 2);
	ck_assert_int_eq(memcmp(p.data, "hi", 2), 0);
	/* Every shorter Length cuts into the 7 octets of Vendor-Id and Vendor-Type. */
	for (uint8_t l = 5; l < 12; l++) {
		buf[3] = l;
		expect_bad(buf, sizeof(buf), EAP_ERR_EXPANDED_TRUNCATED);
	}
	buf[3] = 12;
	ck_assert_int_eq(eap_packet_decode(&p, buf, sizeof(buf), NULL), 12);
	ck_assert_uint_eq(p.data_len, 0);
	ck_assert_ptr_null(p.data);
}
END_TEST

START_TEST(test_decode_legacy_nak)
{
	uint8_t buf[] = {2, 3, 0, 8, 3, 21, 25, 13};
	struct eap_packet p;
	struct eap_type_id t;

	ck_assert_int_eq(eap_packet_decode(&p, buf, sizeof(buf), NULL), 8);
	ck_assert(eap_packet_is_nak(&p));
	ck_assert_uint_eq(p.nak_count, 3);
	ck_assert(eap_packet_nak_get(&p, 0, &t));
	ck_assert_uint_eq(t.vendor_id, 0);
	ck_assert_uint_eq(t.type, 21);
	ck_assert(eap_packet_nak_get(&p, 2, &t));
	ck_assert_uint_eq(t.type, 13);
	ck_assert(!eap_packet_nak_get(&p, 3, &t));
	ck_assert(!eap_packet_nak_get(&p, (size_t)-1, &t));
}
END_TEST

START_TEST(test_decode_nak_hostile)
{
	uint8_t req[] = {1, 3, 0, 6, 3, 13};
	uint8_t empty[] = {2, 3, 0, 5, 3};
	uint8_t ok[] = {2, 3, 0, 6, 3, 0}; /* 0: no alternative */
	struct eap_packet p;
	struct eap_type_id t;

	expect_bad(req, sizeof(req), EAP_ERR_NAK_IN_REQUEST);
	expect_bad(empty, sizeof(empty), EAP_ERR_NAK_EMPTY);
	ck_assert_int_eq(eap_packet_decode(&p, ok, sizeof(ok), NULL), 6);
	ck_assert(eap_packet_nak_get(&p, 0, &t));
	ck_assert_uint_eq(t.type, 0);
}
END_TEST

START_TEST(test_decode_expanded_nak)
{
	uint8_t buf[] = {2, 4, 0, 28, 254, 0, 0, 0, 0, 0, 0, 3,
			 254, 0, 0, 0, 0, 0, 0, 13, 254, 0, 0x13, 0x7a, 0, 0, 1, 2};
	struct eap_packet p;
	struct eap_type_id t;

	ck_assert_int_eq(eap_packet_decode(&p, buf, sizeof(buf), NULL), 28);
	ck_assert(eap_packet_is_nak(&p));
	ck_assert_uint_eq(p.nak_count, 2);
	ck_assert(eap_packet_nak_get(&p, 0, &t));
	ck_assert_uint_eq(t.vendor_id, 0);
	ck_assert_uint_eq(t.type, 13);
	ck_assert(eap_packet_nak_get(&p, 1, &t));
	ck_assert_uint_eq(t.vendor_id, 0x137a);
	ck_assert_uint_eq(t.type, 0x102);
	ck_assert(!eap_packet_nak_get(&p, 2, &t));

	buf[3] = 27; /* not a multiple of 8 */
	expect_bad(buf, sizeof(buf), EAP_ERR_NAK_EXPANDED_FORMAT);
	buf[3] = 12; /* no entry */
	expect_bad(buf, sizeof(buf), EAP_ERR_NAK_EMPTY);
	buf[3] = 28;
	buf[20] = 13; /* entry not Type 254 */
	expect_bad(buf, sizeof(buf), EAP_ERR_NAK_EXPANDED_FORMAT);
	buf[20] = 254;
	buf[0] = 1;
	expect_bad(buf, sizeof(buf), EAP_ERR_NAK_IN_REQUEST);
}
END_TEST

/* Every prefix of every packet and every Length value: no crash, sane result. */
START_TEST(test_decode_all_prefixes)
{
	uint8_t buf[] = {2, 4, 0, 20, 254, 0, 0, 0, 0, 0, 0, 3, 254, 0, 0, 0, 0, 0, 0, 13};
	struct eap_packet p;

	for (size_t len = 0; len <= sizeof(buf); len++) {
		for (unsigned l = 0; l < 300; l++) {
			ssize_t n;

			buf[2] = (uint8_t)(l >> 8);
			buf[3] = (uint8_t)l;
			n = eap_packet_decode(&p, buf, len, NULL);
			ck_assert(n == -1 || ((size_t)n == l && l <= len));
		}
	}
}
END_TEST

START_TEST(test_encode_roundtrip)
{
	uint8_t out[64];
	uint8_t data[] = {0x80, 0, 0, 0, 3, 1, 2, 3};
	struct eap_packet in = {.code = EAP_CODE_REQUEST, .id = 200, .type = EAP_TYPE_TLS,
				.data = data, .data_len = sizeof(data)};
	struct eap_packet p;

	ck_assert_int_eq(eap_packet_encode(out, sizeof(out), &in, NULL), 13);
	ck_assert_int_eq(eap_packet_decode(&p, out, 13, NULL), 13);
	ck_assert_uint_eq(p.code, EAP_CODE_REQUEST);
	ck_assert_uint_eq(p.id, 200);
	ck_assert_uint_eq(p.type, EAP_TYPE_TLS);
	ck_assert_uint_eq(p.data_len, sizeof(data));
	ck_assert_int_eq(memcmp(p.data, data, sizeof(data)), 0);

	in = (struct eap_packet){.code = EAP_CODE_RESPONSE, .id = 1, .type = EAP_TYPE_EXPANDED,
				 .vendor_id = 0xabcdef, .vendor_type = 0x01020304,
				 .data = data, .data_len = 2};
	ck_assert_int_eq(eap_packet_encode(out, sizeof(out), &in, NULL), 14);
	ck_assert_int_eq(eap_packet_decode(&p, out, 14, NULL), 14);
	ck_assert_uint_eq(p.vendor_id, 0xabcdef);
	ck_assert_uint_eq(p.vendor_type, 0x01020304);
	ck_assert_uint_eq(p.data_len, 2);

	in = (struct eap_packet){.code = EAP_CODE_SUCCESS, .id = 5};
	ck_assert_int_eq(eap_packet_encode(out, sizeof(out), &in, NULL), 4);
	ck_assert_int_eq(memcmp(out, "\x03\x05\x00\x04", 4), 0);
}
END_TEST

START_TEST(test_encode_refusals)
{
	uint8_t out[16];
	uint8_t one = 1;
	enum eap_reason r;
	struct eap_packet p = {.code = EAP_CODE_SUCCESS, .data = &one, .data_len = 1};

	ck_assert_int_eq(eap_packet_encode(out, sizeof(out), &p, &r), -1);
	ck_assert_int_eq(r, EAP_ERR_ENCODE_BAD_FIELDS);
	p = (struct eap_packet){.code = 0, .type = 1};
	ck_assert_int_eq(eap_packet_encode(out, sizeof(out), &p, &r), -1);
	ck_assert_int_eq(r, EAP_ERR_ENCODE_BAD_FIELDS);
	p = (struct eap_packet){.code = EAP_CODE_REQUEST, .type = 0};
	ck_assert_int_eq(eap_packet_encode(out, sizeof(out), &p, &r), -1);
	ck_assert_int_eq(r, EAP_ERR_ENCODE_BAD_FIELDS);
	p = (struct eap_packet){.code = EAP_CODE_REQUEST, .type = 1, .data_len = 3};
	ck_assert_int_eq(eap_packet_encode(out, sizeof(out), &p, &r), -1); /* NULL data */
	ck_assert_int_eq(r, EAP_ERR_ENCODE_BAD_FIELDS);
	p = (struct eap_packet){.code = EAP_CODE_REQUEST, .type = 254, .vendor_id = 0x1000000};
	ck_assert_int_eq(eap_packet_encode(out, sizeof(out), &p, &r), -1);
	ck_assert_int_eq(r, EAP_ERR_ENCODE_BAD_FIELDS);

	/* 4 + 1 + 65531 = 65536 octets: one too many. */
	p = (struct eap_packet){.code = EAP_CODE_REQUEST, .type = 1, .data = out,
				.data_len = 65531};
	ck_assert_int_eq(eap_packet_encode(out, sizeof(out), &p, &r), -1);
	ck_assert_int_eq(r, EAP_ERR_ENCODE_TOO_LONG);
	p.data_len = (size_t)-1;
	ck_assert_int_eq(eap_packet_encode(out, sizeof(out), &p, &r), -1);
	ck_assert_int_eq(r, EAP_ERR_ENCODE_TOO_LONG);

	p = (struct eap_packet){.code = EAP_CODE_REQUEST, .type = 1, .data = out, .data_len = 5};
	for (size_t cap = 0; cap < 10; cap++) {
		ck_assert_int_eq(eap_packet_encode(out, cap, &p, &r), -1);
		ck_assert_int_eq(r, EAP_ERR_ENCODE_NO_SPACE);
	}
	ck_assert_int_eq(eap_packet_encode(NULL, 100, &p, &r), -1);
	ck_assert_int_eq(r, EAP_ERR_ENCODE_NO_SPACE);
}
END_TEST

START_TEST(test_encode_max_length)
{
	uint8_t *data = talloc_zero_array(ctx, uint8_t, 65530);
	uint8_t *out = talloc_array(ctx, uint8_t, 65535);
	struct eap_packet p = {.code = EAP_CODE_REQUEST, .type = 13, .data = data,
			       .data_len = 65530};
	struct eap_packet d;

	ck_assert_int_eq(eap_packet_encode(out, 65535, &p, NULL), 65535);
	ck_assert_int_eq(eap_packet_decode(&d, out, 65535, NULL), 65535);
	ck_assert_uint_eq(d.data_len, 65530);
	talloc_free(data);
	talloc_free(out);
}
END_TEST

START_TEST(test_identity)
{
	uint8_t ok[] = {2, 1, 0, 9, 1, 'b', 'o', 'b', '!'};
	uint8_t empty[] = {2, 1, 0, 5, 1};
	uint8_t nul[] = {2, 1, 0, 9, 1, 'b', 0, 'b', '!'};
	uint8_t nak[] = {2, 1, 0, 6, 3, 13};
	struct eap_packet p;
	enum eap_reason r;
	char *s;

	ck_assert_int_gt(eap_packet_decode(&p, ok, sizeof(ok), NULL), 0);
	s = eap_identity_dup(ctx, &p, &r);
	ck_assert_str_eq(s, "bob!");
	talloc_free(s);
	ck_assert_int_gt(eap_packet_decode(&p, empty, sizeof(empty), NULL), 0);
	s = eap_identity_dup(ctx, &p, &r);
	ck_assert_str_eq(s, "");
	talloc_free(s);
	ck_assert_int_gt(eap_packet_decode(&p, nul, sizeof(nul), NULL), 0);
	ck_assert_ptr_null(eap_identity_dup(ctx, &p, &r));
	ck_assert_int_eq(r, EAP_ERR_IDENTITY_NUL);
	ck_assert_int_gt(eap_packet_decode(&p, nak, sizeof(nak), NULL), 0);
	ck_assert_ptr_null(eap_identity_dup(ctx, &p, &r));
	ck_assert_int_eq(r, EAP_ERR_IDENTITY_NOT_IDENTITY);
}
END_TEST

START_TEST(test_identity_request_and_nak_encode)
{
	uint8_t out[32];
	uint8_t types[] = {21, 25};
	enum eap_reason r;

	ck_assert_int_eq(eap_identity_request_encode(out, sizeof(out), 9, NULL, NULL), 5);
	ck_assert_int_eq(memcmp(out, "\x01\x09\x00\x05\x01", 5), 0);
	ck_assert_int_eq(eap_identity_request_encode(out, sizeof(out), 9, "hi", NULL), 7);
	ck_assert_int_eq(memcmp(out, "\x01\x09\x00\x07\x01hi", 7), 0);
	ck_assert_int_eq(eap_identity_request_encode(out, 6, 9, "hi", &r), -1);
	ck_assert_int_eq(r, EAP_ERR_ENCODE_NO_SPACE);

	ck_assert_int_eq(eap_nak_encode(out, sizeof(out), 4, types, 2, NULL), 7);
	ck_assert_int_eq(memcmp(out, "\x02\x04\x00\x07\x03\x15\x19", 7), 0);
	ck_assert_int_eq(eap_nak_encode(out, sizeof(out), 4, types, 0, &r), -1);
	ck_assert_int_eq(r, EAP_ERR_NAK_EMPTY);
}
END_TEST

START_TEST(test_names)
{
	for (int i = 0; i < EAP_REASON_MAX; i++) {
		char const *n = eap_reason_name((enum eap_reason)i);

		ck_assert_str_ne(n, "unknown-reason");
		for (int j = 0; j < i; j++) ck_assert_str_ne(n, eap_reason_name((enum eap_reason)j));
	}
	ck_assert_str_eq(eap_reason_name(EAP_REASON_MAX), "unknown-reason");
	ck_assert_str_eq(eap_reason_name((enum eap_reason)-1), "unknown-reason");
	ck_assert_str_eq(eap_code_name(1), "Request");
	ck_assert_str_eq(eap_code_name(5), "unknown");
	ck_assert_str_eq(eap_type_name(13), "tls");
	ck_assert_str_eq(eap_type_name(21), "ttls");
	ck_assert_str_eq(eap_type_name(25), "peap");
	ck_assert_str_eq(eap_type_name(99), "unknown");
}
END_TEST

static Suite *eap_packet_suite(void)
{
	Suite *s = suite_create("eap_packet");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_decode_identity_response);
	tcase_add_test(tc, test_decode_padding_ignored);
	tcase_add_test(tc, test_decode_truncated_header);
	tcase_add_test(tc, test_decode_length_fields);
	tcase_add_test(tc, test_decode_codes);
	tcase_add_test(tc, test_decode_missing_type);
	tcase_add_test(tc, test_decode_success_failure);
	tcase_add_test(tc, test_decode_type_zero);
	tcase_add_test(tc, test_decode_expanded);
	tcase_add_test(tc, test_decode_legacy_nak);
	tcase_add_test(tc, test_decode_nak_hostile);
	tcase_add_test(tc, test_decode_expanded_nak);
	tcase_add_test(tc, test_decode_all_prefixes);
	tcase_add_test(tc, test_encode_roundtrip);
	tcase_add_test(tc, test_encode_refusals);
	tcase_add_test(tc, test_encode_max_length);
	tcase_add_test(tc, test_identity);
	tcase_add_test(tc, test_identity_request_and_nak_encode);
	tcase_add_test(tc, test_names);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(eap_packet_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
