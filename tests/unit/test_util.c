/*
 * Unit tests for src/util: bounded cursors, hex, log escaping, error text.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "util/cursor.h"
#include "util/err.h"
#include "util/hex.h"
#include "util/log.h"

START_TEST(test_rcursor_bounds)
{
	uint8_t buf[] = {1, 2, 3, 4, 5};
	struct rcursor c;
	uint8_t b;
	uint16_t s;
	uint32_t l;

	rcursor_init(&c, buf, sizeof(buf));
	ck_assert(rcursor_u8(&c, &b));
	ck_assert_uint_eq(b, 1);
	ck_assert(rcursor_u16(&c, &s));
	ck_assert_uint_eq(s, 0x0203);
	ck_assert(!rcursor_u32(&c, &l));
	ck_assert(c.bad);
	/* A failed read consumes nothing, and the cursor stays bad. */
	ck_assert_uint_eq(rcursor_left(&c), 2);
	ck_assert(!rcursor_u8(&c, &b));
}
END_TEST

START_TEST(test_wcursor_bounds)
{
	uint8_t buf[6];
	struct wcursor c;

	wcursor_init(&c, buf, sizeof(buf));
	ck_assert(wcursor_u32(&c, 0x01020304));
	ck_assert(!wcursor_u32(&c, 5));
	ck_assert(c.bad);
	ck_assert_uint_eq(wcursor_used(&c), 4);
	ck_assert_uint_eq(get_u32(buf), 0x01020304);
}
END_TEST

START_TEST(test_hex)
{
	uint8_t out[4];
	char text[9];

	ck_assert_int_eq(hex_decode(out, sizeof(out), "0aFf10", 6), 3);
	ck_assert_uint_eq(out[1], 0xff);
	ck_assert_int_eq(hex_decode(out, sizeof(out), "0a1", 3), -1);
	ck_assert_int_eq(hex_decode(out, sizeof(out), "zz", 2), -1);
	ck_assert_int_eq(hex_decode(out, sizeof(out), "0102030405", 10), -1);
	ck_assert_uint_eq(hex_encode(text, sizeof(text), out, 3), 6);
	ck_assert_str_eq(text, "0aff10");
	/* Truncates to what fits, always terminated. */
	ck_assert_uint_eq(hex_encode(text, 4, out, 3), 2);
	ck_assert_str_eq(text, "0a");
}
END_TEST

START_TEST(test_log_escape)
{
	char out[32];

	ck_assert_str_eq(log_escape(out, sizeof(out), "bob", 3), "bob");
	ck_assert_str_eq(log_escape(out, sizeof(out), "a\nb\"", 4), "a\\x0ab\\x22");
	log_escape(out, 12, "0123456789abcdef", 16);
	ck_assert_int_le(strlen(out), 11);
	ck_assert(strstr(out, "...") != NULL);
}
END_TEST

START_TEST(test_err)
{
	err_set("inner %d", 1);
	err_prefix("outer");
	ck_assert_str_eq(err_msg(), "outer: inner 1");
	err_clear();
	ck_assert_str_eq(err_msg(), "");
}
END_TEST

static Suite *util_suite(void)
{
	Suite *s = suite_create("util");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_rcursor_bounds);
	tcase_add_test(tc, test_wcursor_bounds);
	tcase_add_test(tc, test_hex);
	tcase_add_test(tc, test_log_escape);
	tcase_add_test(tc, test_err);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(util_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
