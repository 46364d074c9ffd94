/*
 * Unit tests for the dictionary file syntax (src/dict/dict_load.c, dict_parse.c): one
 * fixture per feature in tests/unit/data/dict/, and for each bad file the exact
 * "file:line:" of the error.
 */
#include "dict/dict.h"
#include "util/err.h"

#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static TALLOC_CTX *ctx;

static void setup(void)
{
	ctx = talloc_new(NULL);
}

static void teardown(void)
{
	ck_assert_uint_eq(talloc_total_blocks(ctx), 1);
	talloc_free(ctx);
}

static void fixture_path(char *buf, size_t size, char const *name)
{
	char const *top = getenv("top_srcdir");

	snprintf(buf, size, "%s/tests/unit/data/dict/%s", top ? top : ".", name);
}

static struct dict *load_fixture(char const *name)
{
	char path[PATH_MAX];
	struct dict *dict;

	fixture_path(path, sizeof(path), name);
	dict = dict_load(ctx, path);
	ck_assert_msg(dict != NULL, "%s: %s", path, err_msg());
	return dict;
}

static struct dict_attr const *attr(struct dict const *dict, char const *name)
{
	struct dict_attr const *da = dict_attr_by_name(dict, name);

	ck_assert_msg(da != NULL, "%s not defined", name);
	return da;
}

static uint64_t value(struct dict const *dict, char const *attr_name, char const *name)
{
	struct dict_value const *dv = dict_value_by_name(dict, attr(dict, attr_name), name);

	ck_assert_msg(dv != NULL, "%s %s not defined", attr_name, name);
	return dv->value;
}

START_TEST(test_good_syntax)
{
	struct dict *dict = load_fixture("good.dict");
	struct dict_attr const *da;

	ck_assert_uint_eq(attr(dict, "Hex-Number")->attr, 26);
	ck_assert_uint_eq(attr(dict, "Fixed-Octets")->length, 16);
	ck_assert(attr(dict, "Capital-Type")->type == DICT_TYPE_STRING);
	ck_assert(attr(dict, "Tagged")->has_tag);
	da = attr(dict, "Hidden");
	ck_assert(da->has_tag && da->encrypt == 2);
	ck_assert(attr(dict, "Joined")->concat);
	ck_assert(attr(dict, "Many")->array);
	ck_assert(attr(dict, "Server-Side")->internal);
	ck_assert_ptr_eq(dict_attr_by_num(dict, 0, 1000), attr(dict, "Server-Side"));
	/* Two names for 13: by number, the newest. */
	ck_assert_ptr_eq(dict_attr_by_num(dict, 0, 13), attr(dict, "Alias-Of-13"));
	ck_assert(attr(dict, "Ext-5")->type == DICT_TYPE_EXTENDED);
	da = attr(dict, "Ext-1-Child");
	ck_assert(da->nested && da->attr == 1 && da->type == DICT_TYPE_INTEGER);
	ck_assert_ptr_eq(dict_attr_by_num(dict, 0, 1), attr(dict, "Plain-String"));
	ck_assert(attr(dict, "Member")->nested);
	ck_assert(!attr(dict, "Container")->nested);
	ck_assert(attr(dict, "Ext-Evs")->type == DICT_TYPE_VSA);
	ck_assert_uint_eq(value(dict, "Late-Attr", "Early-Value"), 7);
	ck_assert_uint_eq(value(dict, "A-Byte", "Max"), 255);
	ck_assert_uint_eq(value(dict, "A-Byte", "Hex"), 0xfe);
	ck_assert_uint_eq(value(dict, "A-Signed", "Minus-One"), 0xffffffffu);
	ck_assert_uint_eq(value(dict, "A-Short", "Redefined"), 2);
	ck_assert_ptr_null(dict_value_by_num(dict, attr(dict, "A-Short"), 1));
	ck_assert_uint_eq(value(dict, "A-Int64", "Big"), UINT64_MAX);
	ck_assert_uint_eq(value(dict, "Ext-1-Child", "One"), 1);
	ck_assert_uint_eq(value(dict, "Plain-String", "Odd-But-Accepted"), 3);
	ck_assert_uint_eq(attr(dict, "Late-Attr")->line, 16);
	ck_assert_ptr_nonnull(strstr(attr(dict, "Late-Attr")->file, "good.dict"));
	talloc_free(dict);
}
END_TEST

START_TEST(test_vendors)
{
	struct dict *dict = load_fixture("vendor.dict");
	struct dict_vendor const *dv;

	dv = dict_vendor_by_name(dict, "Two-Two");
	ck_assert(dv && dv->type_size == 2 && dv->length_size == 2 && !dv->continuation);
	dv = dict_vendor_by_name(dict, "Wimaxish");
	ck_assert(dv && dv->type_size == 1 && dv->length_size == 1 && dv->continuation);
	dv = dict_vendor_by_name(dict, "Four-Zero");
	ck_assert(dv && dv->type_size == 4 && dv->length_size == 0);
	ck_assert_ptr_eq(dict_vendor_by_pen(dict, 8888), dict_vendor_by_name(dict, "Plain"));
	ck_assert_ptr_nonnull(dict_vendor_by_name(dict, "Plain-Alias"));
	ck_assert_uint_eq(dict_num_vendors(dict), 6);

	ck_assert_ptr_eq(dict_attr_by_num(dict, 9999, 300), attr(dict, "Two-Big"));
	ck_assert_ptr_eq(dict_attr_by_num(dict, 9999, 1), attr(dict, "Two-Small"));
	ck_assert_ptr_eq(dict_attr_by_num(dict, 429, 0x10000), attr(dict, "Four-Huge"));
	ck_assert_ptr_eq(dict_attr_by_num(dict, 8888, 5), attr(dict, "Old-Style"));
	ck_assert_ptr_eq(dict_attr_by_num(dict, 0, 1), attr(dict, "Std-Attr"));
	/* After END-VENDOR, attributes are standard again. */
	ck_assert_ptr_eq(dict_attr_by_num(dict, 0, 2), attr(dict, "Std-Again"));
	ck_assert(attr(dict, "Evs-Attr")->nested);
	ck_assert_uint_eq(attr(dict, "Evs-Attr")->vendor, 7777);
	ck_assert_ptr_null(dict_attr_by_num(dict, 7777, 1));
	ck_assert_uint_eq(value(dict, "Two-Big", "Three-Hundred"), 300);
	talloc_free(dict);
}
END_TEST

START_TEST(test_include)
{
	struct dict *dict = load_fixture("inc_top.dict");
	char path[PATH_MAX];

	ck_assert_uint_eq(attr(dict, "Top-Attr")->attr, 1);
	ck_assert_uint_eq(attr(dict, "Mid-Attr")->attr, 3);
	ck_assert_uint_eq(attr(dict, "Leaf-Attr")->attr, 4);
	ck_assert_uint_eq(attr(dict, "Top-After")->attr, 2);
	ck_assert_uint_eq(value(dict, "Leaf-Attr", "From-Top"), 9);
	ck_assert_uint_eq(dict_num_attrs(dict), 4);
	fixture_path(path, sizeof(path), "inc/inc_leaf.dict");
	ck_assert_str_eq(attr(dict, "Leaf-Attr")->file, path);
	ck_assert_int_eq(attr(dict, "Leaf-Attr")->line, 1);
	talloc_free(dict);
}
END_TEST

static const struct {
	char const *load;	/* fixture to load */
	char const *file;	/* fixture the error names */
	int line;
	char const *text;	/* part of the message */
} bad[] = {
	{ "bad_type.dict", "bad_type.dict", 2, "unknown type 'integr'" },
	{ "bad_number.dict", "bad_number.dict", 4, "bad attribute number '12a'" },
	{ "bad_missing.dict", "bad_missing.dict", 2, "ATTRIBUTE needs a name, a number" },
	{ "bad_value_attr.dict", "bad_value_attr.dict", 3, "unknown attribute Not-Defined" },
	{ "bad_value_range.dict", "bad_value_range.dict", 2, "bad number '256'" },
	{ "bad_flag.dict", "bad_flag.dict", 1, "unknown flag 'unknown_flag'" },
	{ "bad_encrypt.dict", "bad_encrypt.dict", 1, "bad flag 'encrypt=9'" },
	{ "bad_keyword.dict", "bad_keyword.dict", 2, "unknown keyword 'FROBNICATE'" },
	{ "bad_dup.dict", "bad_dup.dict", 2, "already defined differently" },
	{ "bad_vendor_big.dict", "bad_vendor_big.dict", 4, "65536 too large for vendor Two" },
	{ "bad_vendor_format.dict", "bad_vendor_format.dict", 1, "bad vendor format" },
	{ "bad_vendor_open.dict", "bad_vendor_open.dict", 3, "One without END-VENDOR" },
	{ "bad_end_vendor.dict", "bad_end_vendor.dict", 2, "without BEGIN-VENDOR" },
	{ "bad_begin_vendor.dict", "bad_begin_vendor.dict", 1, "unknown vendor Nobody" },
	{ "bad_zero.dict", "bad_zero.dict", 2, "attribute number 0" },
	{ "bad_concat.dict", "bad_concat.dict", 1, "concat" },
	{ "bad_fields.dict", "bad_fields.dict", 2, "unexpected 'extra'" },
	{ "bad_long_line.dict", "bad_long_line.dict", 2, "line too long" },
	{ "bad_nul.dict", "bad_nul.dict", 2, "invalid character 0x00" },
	{ "bad_include_missing.dict", "bad_include_missing.dict", 3, "cannot open" },
	{ "bad_include_inner.dict", "inc/inc_bad.dict", 3, "unknown type 'notatype'" },
	{ "loop_a.dict", "loop_b.dict", 2, "$INCLUDE loop" },
};

START_TEST(test_bad_file)
{
	char path[PATH_MAX], want[PATH_MAX + 32];
	char const *msg;

	fixture_path(path, sizeof(path), bad[_i].load);
	ck_assert_ptr_null(dict_load(ctx, path));
	msg = err_msg();
	fixture_path(path, sizeof(path), bad[_i].file);
	snprintf(want, sizeof(want), "%s:%d: ", path, bad[_i].line);
	ck_assert_msg(strncmp(msg, want, strlen(want)) == 0, "%s: got \"%s\", want \"%s...\"",
		      bad[_i].load, msg, want);
	ck_assert_msg(strstr(msg, bad[_i].text) != NULL, "%s: got \"%s\", want \"%s\"",
		      bad[_i].load, msg, bad[_i].text);
}
END_TEST

START_TEST(test_missing_top_file)
{
	ck_assert_ptr_null(dict_load(ctx, "/nonexistent/dictionary"));
	ck_assert_ptr_nonnull(strstr(err_msg(), "cannot open /nonexistent/dictionary"));
}
END_TEST

/* Write dir/dN for N = 0..last, each including the next. */
static void write_chain(char const *dir, int last, int count)
{
	char path[PATH_MAX];
	int i;

	for (i = 0; i < count; i++) {
		FILE *fp;

		snprintf(path, sizeof(path), "%s/d%d", dir, i);
		fp = fopen(path, "w");
		ck_assert_ptr_nonnull(fp);
		if (i < last) fprintf(fp, "$INCLUDE d%d\n", i + 1);
		fprintf(fp, "ATTRIBUTE\tChain-%d\t%d\tinteger\n", i, i + 1);
		ck_assert_int_eq(fclose(fp), 0);
	}
}

/* 16 levels of $INCLUDE are fine; the 17th is refused, naming the file that asked. */
START_TEST(test_include_depth)
{
	char dir[] = "/tmp/test_dict_load.XXXXXX", path[PATH_MAX], want[PATH_MAX + 8];
	struct dict *dict;
	int i;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	write_chain(dir, 16, 18);
	snprintf(path, sizeof(path), "%s/d0", dir);
	dict = dict_load(ctx, path);
	ck_assert_msg(dict != NULL, "%s", err_msg());
	ck_assert_uint_eq(dict_num_attrs(dict), 17);
	talloc_free(dict);

	write_chain(dir, 17, 18);
	ck_assert_ptr_null(dict_load(ctx, path));
	snprintf(want, sizeof(want), "%s/d16:1: ", dir);
	ck_assert_msg(strncmp(err_msg(), want, strlen(want)) == 0, "got %s", err_msg());
	ck_assert_ptr_nonnull(strstr(err_msg(), "nested too deeply"));

	for (i = 0; i < 18; i++) {
		snprintf(path, sizeof(path), "%s/d%d", dir, i);
		unlink(path);
	}
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

static Suite *dict_load_suite(void)
{
	Suite *s = suite_create("dict_load");
	TCase *tc = tcase_create("syntax");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_good_syntax);
	tcase_add_test(tc, test_vendors);
	tcase_add_test(tc, test_include);
	tcase_add_loop_test(tc, test_bad_file, 0, (int)(sizeof(bad) / sizeof(bad[0])));
	tcase_add_test(tc, test_missing_top_file);
	tcase_add_test(tc, test_include_depth);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr;
	int failed;

	sr = srunner_create(dict_load_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
