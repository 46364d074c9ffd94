/*
 * Unit tests for src/dict: the shipped dictionaries/dictionary (RFC attributes, flags,
 * values, the Microsoft vendor of RFC 2548), lookups, and a real FreeRADIUS vendor file.
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

/* No leaks: the test's context is empty (dict_load's scratch memory hangs off it too). */
static void teardown(void)
{
	ck_assert_uint_eq(talloc_total_blocks(ctx), 1);
	talloc_free(ctx);
}

static struct dict *load_shipped(void)
{
	char const *top = getenv("top_srcdir");
	char path[PATH_MAX];
	struct dict *dict;

	snprintf(path, sizeof(path), "%s/dictionaries/dictionary", top ? top : ".");
	dict = dict_load(ctx, path);
	ck_assert_msg(dict != NULL, "%s: %s", path, err_msg());
	return dict;
}

static struct dict_attr const *attr(struct dict const *dict, char const *name, uint32_t vendor,
				    uint32_t num, enum dict_type type)
{
	struct dict_attr const *da = dict_attr_by_name(dict, name);

	ck_assert_msg(da != NULL, "%s not defined", name);
	ck_assert_str_eq(da->name, name);
	ck_assert_uint_eq(da->vendor, vendor);
	ck_assert_uint_eq(da->attr, num);
	ck_assert_msg(da->type == type, "%s is %s", name, dict_type_name(da->type));
	ck_assert_ptr_eq(dict_attr_by_num(dict, vendor, num), da);
	return da;
}

static void value(struct dict const *dict, char const *attr_name, char const *name, uint64_t v)
{
	struct dict_attr const *da = dict_attr_by_name(dict, attr_name);
	struct dict_value const *dv;

	ck_assert_ptr_nonnull(da);
	dv = dict_value_by_name(dict, da, name);
	ck_assert_msg(dv != NULL, "%s %s not defined", attr_name, name);
	ck_assert_uint_eq(dv->value, v);
	ck_assert_ptr_eq(dv->da, da);
	ck_assert_ptr_eq(dict_value_by_num(dict, da, v), dv);
}

START_TEST(test_shipped_rfc2865)
{
	struct dict *dict = load_shipped();
	struct dict_attr const *da;

	attr(dict, "User-Name", 0, 1, DICT_TYPE_STRING);
	da = attr(dict, "User-Password", 0, 2, DICT_TYPE_STRING);
	ck_assert_uint_eq(da->encrypt, 1);
	ck_assert(!da->has_tag);
	attr(dict, "NAS-IP-Address", 0, 4, DICT_TYPE_IPADDR);
	attr(dict, "State", 0, 24, DICT_TYPE_OCTETS);
	attr(dict, "Vendor-Specific", 0, 26, DICT_TYPE_VSA);
	attr(dict, "Called-Station-Id", 0, 30, DICT_TYPE_STRING);
	attr(dict, "NAS-Port-Type", 0, 61, DICT_TYPE_INTEGER);
	value(dict, "Service-Type", "Framed-User", 2);
	value(dict, "Service-Type", "Authorize-Only", 17);
	value(dict, "NAS-Port-Type", "Ethernet", 15);
	value(dict, "NAS-Port-Type", "Wireless-802.11", 19);
	value(dict, "Framed-Protocol", "PPP", 1);
	ck_assert_ptr_null(dict_attr_by_num(dict, 0, 17));	/* unassigned */
	ck_assert_ptr_null(dict_attr_by_name(dict, "No-Such-Attribute"));
	talloc_free(dict);
}
END_TEST

START_TEST(test_shipped_tunnel_eap)
{
	struct dict *dict = load_shipped();
	struct dict_attr const *da;

	da = attr(dict, "Tunnel-Password", 0, 69, DICT_TYPE_STRING);
	ck_assert(da->has_tag);
	ck_assert_uint_eq(da->encrypt, 2);
	da = attr(dict, "Tunnel-Type", 0, 64, DICT_TYPE_INTEGER);
	ck_assert(da->has_tag);
	ck_assert(attr(dict, "Tunnel-Private-Group-Id", 0, 81, DICT_TYPE_STRING)->has_tag);
	ck_assert(attr(dict, "Tunnel-Medium-Type", 0, 65, DICT_TYPE_INTEGER)->has_tag);
	value(dict, "Tunnel-Type", "VLAN", 13);
	value(dict, "Tunnel-Type", "L2TP", 3);
	value(dict, "Tunnel-Medium-Type", "IEEE-802", 6);
	da = attr(dict, "EAP-Message", 0, 79, DICT_TYPE_OCTETS);
	ck_assert(da->concat);
	da = attr(dict, "Message-Authenticator", 0, 80, DICT_TYPE_OCTETS);
	ck_assert(!da->concat && da->encrypt == 0);
	value(dict, "Acct-Status-Type", "Interim-Update", 3);
	value(dict, "Acct-Status-Type", "Tunnel-Link-Reject", 14);
	value(dict, "Acct-Terminate-Cause", "Supplicant-Restart", 19);
	value(dict, "Acct-Terminate-Cause", "Port-Administratively-Disabled", 22);
	value(dict, "Error-Cause", "Session-Context-Not-Found", 503);
	attr(dict, "Event-Timestamp", 0, 55, DICT_TYPE_DATE);
	ck_assert_uint_eq(attr(dict, "ARAP-Password", 0, 70, DICT_TYPE_OCTETS)->length, 16);
	attr(dict, "Framed-IPv6-Prefix", 0, 97, DICT_TYPE_IPV6PREFIX);
	attr(dict, "Framed-Interface-Id", 0, 96, DICT_TYPE_IFID);
	attr(dict, "Delegated-IPv6-Prefix", 0, 123, DICT_TYPE_IPV6PREFIX);
	attr(dict, "Chargeable-User-Identity", 0, 89, DICT_TYPE_OCTETS);
	attr(dict, "Egress-VLANID", 0, 56, DICT_TYPE_INTEGER);
	attr(dict, "Operator-Name", 0, 126, DICT_TYPE_STRING);
	attr(dict, "Framed-IPv6-Address", 0, 168, DICT_TYPE_IPV6ADDR);
	attr(dict, "WLAN-RF-Band", 0, 190, DICT_TYPE_INTEGER);
	talloc_free(dict);
}
END_TEST

START_TEST(test_shipped_extended)
{
	struct dict *dict = load_shipped();
	struct dict_attr const *da;
	uint32_t n;

	for (n = 241; n <= 246; n++) {
		da = dict_attr_by_num(dict, 0, n);
		ck_assert_ptr_nonnull(da);
		ck_assert(da->type == DICT_TYPE_EXTENDED);
	}
	/* 241.1 is found by name only: by number, 1 is still User-Name. */
	da = dict_attr_by_name(dict, "Frag-Status");
	ck_assert_ptr_nonnull(da);
	ck_assert(da->nested);
	ck_assert_str_eq(dict_attr_by_num(dict, 0, 1)->name, "User-Name");
	value(dict, "Frag-Status", "More-Data-Pending", 2);
	talloc_free(dict);
}
END_TEST

START_TEST(test_shipped_microsoft)
{
	struct dict *dict = load_shipped();
	struct dict_vendor const *dv = dict_vendor_by_name(dict, "Microsoft");
	struct dict_attr const *da;

	ck_assert_ptr_nonnull(dv);
	ck_assert_uint_eq(dv->pen, 311);
	ck_assert_uint_eq(dv->type_size, 1);
	ck_assert_uint_eq(dv->length_size, 1);
	ck_assert(!dv->continuation);
	ck_assert_ptr_eq(dict_vendor_by_pen(dict, 311), dv);
	ck_assert_ptr_null(dict_vendor_by_pen(dict, 312));
	attr(dict, "MS-CHAP-Response", 311, 1, DICT_TYPE_OCTETS);
	attr(dict, "MS-CHAP-Challenge", 311, 11, DICT_TYPE_OCTETS);
	ck_assert_uint_eq(attr(dict, "MS-CHAP-MPPE-Keys", 311, 12, DICT_TYPE_OCTETS)->encrypt, 1);
	da = attr(dict, "MS-MPPE-Send-Key", 311, 16, DICT_TYPE_OCTETS);
	ck_assert_uint_eq(da->encrypt, 2);
	ck_assert_uint_eq(attr(dict, "MS-MPPE-Recv-Key", 311, 17, DICT_TYPE_OCTETS)->encrypt, 2);
	attr(dict, "MS-CHAP2-Response", 311, 25, DICT_TYPE_OCTETS);
	attr(dict, "MS-CHAP2-Success", 311, 26, DICT_TYPE_OCTETS);
	attr(dict, "MS-CHAP-Error", 311, 2, DICT_TYPE_STRING);
	value(dict, "MS-MPPE-Encryption-Policy", "Encryption-Required", 2);
	value(dict, "MS-MPPE-Encryption-Types", "RC4-40or128-bit-Allowed", 6);
	ck_assert_ptr_null(dict_attr_by_num(dict, 311, 200));
	ck_assert_ptr_null(dict_attr_by_num(dict, 9, 1));
	talloc_free(dict);
}
END_TEST

START_TEST(test_shipped_lookups)
{
	struct dict *dict = load_shipped();
	struct dict_attr const *da = dict_attr_by_name(dict, "user-NAME");
	uint32_t n;

	ck_assert_ptr_nonnull(da);
	ck_assert_str_eq(da->name, "User-Name");
	ck_assert_ptr_nonnull(dict_vendor_by_name(dict, "microsoft"));
	ck_assert_ptr_nonnull(dict_value_by_name(dict, dict_attr_by_name(dict, "Tunnel-Type"),
						 "vlan"));
	ck_assert_ptr_null(dict_value_by_num(dict, da, 1));
	/* Every standard attribute found by number is the one of that name. */
	for (n = 0; n < 256; n++) {
		da = dict_attr_by_num(dict, 0, n);
		if (!da) continue;
		ck_assert_uint_eq(da->attr, n);
		ck_assert_ptr_eq(dict_attr_by_name(dict, da->name), da);
		ck_assert_ptr_nonnull(da->file);
		ck_assert_int_gt(da->line, 0);
	}
	ck_assert_uint_gt(dict_num_attrs(dict), 150);
	ck_assert_uint_eq(dict_num_vendors(dict), 1);
	ck_assert_uint_gt(dict_num_values(dict), 150);
	talloc_free(dict);
}
END_TEST

START_TEST(test_type_names)
{
	ck_assert_str_eq(dict_type_name(DICT_TYPE_STRING), "string");
	ck_assert_str_eq(dict_type_name(DICT_TYPE_COMBO_IP), "combo-ip");
	ck_assert_str_eq(dict_type_name(DICT_TYPE_ABINARY), "abinary");
	ck_assert_ptr_null(dict_type_name(DICT_TYPE_MAX));
	ck_assert_ptr_null(dict_type_name((enum dict_type)-1));
}
END_TEST

/* Copy src to dir/name; false if src cannot be read. */
static bool copy_file(char const *src, char const *dst)
{
	char buf[4096];
	size_t n;
	FILE *in = fopen(src, "r"), *out;

	if (!in) return false;
	out = fopen(dst, "w");
	ck_assert_ptr_nonnull(out);
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0) {
		ck_assert_uint_eq(fwrite(buf, 1, n, out), n);
	}
	fclose(in);
	ck_assert_int_eq(fclose(out), 0);
	return true;
}

/* A vendor's file in FreeRADIUS's format loads unchanged (if freeradius-common is here). */
START_TEST(test_real_vendor_file)
{
	char dir[] = "/tmp/test_dict.XXXXXX", path[PATH_MAX];
	struct dict_attr const *da;
	struct dict *dict;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/dictionary.cisco", dir);
	if (copy_file("/usr/share/freeradius/dictionary.cisco", path)) {
		dict = dict_load(ctx, path);
		ck_assert_msg(dict != NULL, "%s", err_msg());
		ck_assert_uint_eq(dict_vendor_by_name(dict, "Cisco")->pen, 9);
		da = dict_attr_by_name(dict, "Cisco-AVPair");
		ck_assert_ptr_nonnull(da);
		ck_assert_ptr_eq(dict_attr_by_num(dict, 9, 1), da);
		ck_assert(da->type == DICT_TYPE_STRING);
		ck_assert_uint_gt(dict_num_attrs(dict), 50);
		talloc_free(dict);
	} else {
		snprintf(path, sizeof(path), "%s/dictionary.wispr", dir);
		if (copy_file("/usr/share/freeradius/dictionary.wispr", path)) {
			dict = dict_load(ctx, path);
			ck_assert_msg(dict != NULL, "%s", err_msg());
			ck_assert_ptr_nonnull(dict_attr_by_num(dict, 14122, 1));
			talloc_free(dict);
		} else {
			fprintf(stderr, "test_real_vendor_file: skipped, no FreeRADIUS dictionary "
				"(Debian package freeradius-common)\n");
		}
	}
	unlink(path);
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

static Suite *dict_suite(void)
{
	Suite *s = suite_create("dict");
	TCase *tc = tcase_create("shipped");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_shipped_rfc2865);
	tcase_add_test(tc, test_shipped_tunnel_eap);
	tcase_add_test(tc, test_shipped_extended);
	tcase_add_test(tc, test_shipped_microsoft);
	tcase_add_test(tc, test_shipped_lookups);
	tcase_add_test(tc, test_type_names);
	tcase_add_test(tc, test_real_vendor_file);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr;
	int failed;

	sr = srunner_create(dict_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
