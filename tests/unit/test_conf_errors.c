/*
 * Unit tests for src/conf errors: one fixture directory per error class under
 * tests/unit/data/conf/, each asserting the exact "file:line: " that err_msg() blames and
 * that a failed conf_load() leaves nothing allocated.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <talloc.h>

#include "conf/conf.h"
#include "dict/dict.h"
#include "util/err.h"

#include "conf_fixture.h"

/*
 * Load tests/unit/data/conf/NAME and expect failure with err_msg() starting with
 * "DIR/WHERE: " (WHERE = "file:line", the place to fix) and containing also (if not NULL).
 */
static void expect_error(char const *name, char const *where, char const *also)
{
	char dir[4096], want[4200];
	char const *msg;

	snprintf(dir, sizeof(dir), "%s/tests/unit/data/conf/%s", srcdir(), name);
	err_clear();
	ck_assert_ptr_null(conf_load(ctx, dir, dict));
	msg = err_msg();
	snprintf(want, sizeof(want), "%s/%s: ", dir, where);
	ck_assert_msg(strncmp(msg, want, strlen(want)) == 0, "'%s' does not start with '%s'", msg,
		      want);
	if (also) ck_assert_msg(strstr(msg, also) != NULL, "'%s' lacks '%s'", msg, also);
}

START_TEST(test_unknown_key)
{
	expect_error("unknown_key", "latchd.conf:3", "unknown key 'wrokers'");
}
END_TEST

START_TEST(test_unknown_section)
{
	expect_error("unknown_section", "latchd.conf:7", "unknown section 'listen_typo'");
}
END_TEST

START_TEST(test_bad_number)
{
	expect_error("bad_number", "latchd.conf:2", "out of range");
}
END_TEST

START_TEST(test_unterminated_string)
{
	expect_error("unterminated_string", "latchd.conf:6", "unterminated string");
}
END_TEST

START_TEST(test_unclosed_section)
{
	expect_error("unclosed_section", "latchd.conf:1", "section 'server' is not closed");
}
END_TEST

START_TEST(test_extra_brace)
{
	expect_error("extra_brace", "latchd.conf:5", "without a matching '{'");
}
END_TEST

START_TEST(test_include_loop)
{
	expect_error("include_loop", "b.conf:2", "loop");
}
END_TEST

START_TEST(test_missing_secret)
{
	expect_error("missing_secret", "clients.conf:5", "no secret");
}
END_TEST

START_TEST(test_bad_cidr)
{
	expect_error("bad_cidr", "clients.conf:2", "192.0.2.1/24");
}
END_TEST

START_TEST(test_duplicate_client)
{
	expect_error("duplicate_client", "clients.conf:5", "duplicate_client/clients.conf:1");
}
END_TEST

START_TEST(test_unknown_attr)
{
	expect_error("unknown_attr", "users:3", "unknown attribute 'Reply-Mesage'");
}
END_TEST

START_TEST(test_unsupported_check)
{
	expect_error("unsupported_check", "users:2",
		     "Cleartext-Password, NT-Password or Auth-Type");
}
END_TEST

START_TEST(test_duplicate_user)
{
	expect_error("duplicate_user", "users:4", "duplicate_user/users:1");
}
END_TEST

START_TEST(test_missing_comma)
{
	expect_error("missing_comma", "users:3", "end of line 2");
}
END_TEST

START_TEST(test_missing_dir)
{
	char dir[4096];

	snprintf(dir, sizeof(dir), "%s/tests/unit/data/conf/no-such-dir", srcdir());
	ck_assert_ptr_null(conf_load(ctx, dir, dict));
	ck_assert(strstr(err_msg(), "no-such-dir/latchd.conf: cannot open") != NULL);
	ck_assert_ptr_null(conf_load(ctx, NULL, dict));
}
END_TEST

static Suite *conf_errors_suite(void)
{
	Suite *s = suite_create("conf_errors");
	TCase *tc = tcase_create("errors");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_unknown_key);
	tcase_add_test(tc, test_unknown_section);
	tcase_add_test(tc, test_bad_number);
	tcase_add_test(tc, test_unterminated_string);
	tcase_add_test(tc, test_unclosed_section);
	tcase_add_test(tc, test_extra_brace);
	tcase_add_test(tc, test_include_loop);
	tcase_add_test(tc, test_missing_secret);
	tcase_add_test(tc, test_bad_cidr);
	tcase_add_test(tc, test_duplicate_client);
	tcase_add_test(tc, test_unknown_attr);
	tcase_add_test(tc, test_unsupported_check);
	tcase_add_test(tc, test_duplicate_user);
	tcase_add_test(tc, test_missing_comma);
	tcase_add_test(tc, test_missing_dir);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(conf_errors_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
