/*
 * Unit tests for value text conversion and the packet printer (src/radius/value_parse.c,
 * value_print.c, print.c), plus dictionary-driven VSA formats (RFC 2865 5.26) in the codec.
 * Uses tests/unit/data/radius/dictionary and the shipped dictionaries/dictionary.
 */
#include "radius/radius.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <talloc.h>

#include "util/err.h"
#include "util/hex.h"

static TALLOC_CTX *ctx;
static struct dict *dict;
static uint8_t const secret[] = "s3cret";
#define SECRET secret, sizeof(secret) - 1

static char const *src_path(char const *rel)
{
	static char path[4096];
	char const *top = getenv("top_srcdir");

	snprintf(path, sizeof(path), "%s/%s", top ? top : ".", rel);
	return path;
}

static void setup(void)
{
	ctx = talloc_new(NULL);
	ck_assert_ptr_nonnull(ctx);
	dict = dict_load(ctx, src_path("tests/unit/data/radius/dictionary"));
	ck_assert_msg(dict != NULL, "dict_load: %s", err_msg());
}

static void teardown(void)
{
	talloc_free(dict);
	ck_assert_uint_eq(talloc_total_blocks(ctx), 1);
	talloc_free(ctx);
}

static struct dict_attr const *attr(char const *name)
{
	struct dict_attr const *da = dict_attr_by_name(dict, name);

	ck_assert_msg(da != NULL, "no attribute %s", name);
	return da;
}

struct value_case {
	char const *attr;
	char const *text;
	char const *hex;	/* wire octets */
	char const *printed;	/* NULL: same as text */
};

static struct value_case const good[] = {
	{"User-Name", "\"bob\"", "626f62", NULL},
	{"User-Name", "bob", "626f62", "\"bob\""},
	{"User-Name", "\"a\\\"b\\n\\001\\\\\"", "6122620a015c", NULL},
	{"User-Name", "\"\\x41\\303\\251\"", "41c3a9", "\"A\\303\\251\""},
	{"User-Name", "\"\"", "", NULL},
	{"Class", "0xdeadbeef", "deadbeef", NULL},
	{"Class", "0x", "", NULL},
	{"Class", "\"ab\"", "6162", "0x6162"},
	{"NAS-IP-Address", "192.0.2.1", "c0000201", NULL},
	{"NAS-IPv6-Address", "2001:db8::1", "20010db8000000000000000000000001", NULL},
	{"Framed-IPv6-Prefix", "2001:db8::/32", "002020010db8", NULL},
	{"Framed-IPv6-Prefix", "2001:db8:ffff::/33", "002120010db880", "2001:db8:8000::/33"},
	{"Framed-IPv6-Prefix", "::/0", "0000", NULL},
	{"Framed-IPv6-Prefix", "2001:db8::1", "008020010db8000000000000000000000001",
	 "2001:db8::1/128"},
	{"Test-IPv4-Prefix", "10.1.2.3/16", "00100a010000", "10.1.0.0/16"},
	{"Service-Type", "Framed-User", "00000002", NULL},
	{"Service-Type", "5", "00000005", NULL},
	{"Service-Type", "0x10", "00000010", "16"},
	{"Service-Type", "4294967295", "ffffffff", NULL},
	{"Test-Signed", "-5", "fffffffb", NULL},
	{"Test-Signed", "2147483647", "7fffffff", NULL},
	{"Test-Byte", "Small", "07", NULL},
	{"Test-Byte", "255", "ff", NULL},
	{"Test-Short", "65535", "ffff", NULL},
	{"Test-Integer64", "18446744073709551615", "ffffffffffffffff", NULL},
	{"Event-Timestamp", "0", "00000000", "Jan  1 1970 00:00:00 UTC"},
	{"Event-Timestamp", "Jan 12 2024 10:00:00 UTC", "65a10da0", NULL},
	{"Event-Timestamp", "1705053600", "65a10da0", "Jan 12 2024 10:00:00 UTC"},
	{"Test-Ether", "00:11:22:aa:bb:cc", "001122aabbcc", NULL},
	{"Test-Ether", "00-11-22-AA-BB-CC", "001122aabbcc", "00:11:22:aa:bb:cc"},
	{"Framed-Interface-Id", "0011:2233:4455:6677", "0011223344556677", NULL},
	{"Test-Combo", "192.0.2.1", "c0000201", NULL},
	{"Test-Combo", "::1", "00000000000000000000000000000001", NULL},
	{"Tunnel-Type", "1:VLAN", "0100000d", NULL},
	{"Tunnel-Type", "VLAN", "0000000d", NULL},
	{"Tunnel-Private-Group-Id", "2:\"vlan10\"", "02766c616e3130", NULL},
	{"Tunnel-Private-Group-Id", "100", "313030", "\"100\""},
	{"Tunnel-Private-Group-Id", "\"1:x\"", "313a78", NULL},
	{"Tunnel-Password", "\"pw\"", "007077", "0:\"pw\""},
	{"Tunnel-Password", "5:pw", "057077", "5:\"pw\""},
};

START_TEST(test_value_parse_print)
{
	struct value_case const *c = &good[_i];
	struct dict_attr const *da = attr(c->attr);
	uint8_t want[64];
	char out[128];
	ssize_t wlen = hex_decode(want, sizeof(want), c->hex, strlen(c->hex));
	size_t len = 99, n;
	uint8_t *v = rad_value_parse(ctx, dict, da, c->text, &len);

	ck_assert_msg(v != NULL, "%s = %s: %s", c->attr, c->text, err_msg());
	ck_assert_int_ge(wlen, 0);
	ck_assert_msg(len == (size_t)wlen && memcmp(v, want, len) == 0, "%s = %s: wrong octets",
		      c->attr, c->text);
	n = rad_value_print(out, sizeof(out), dict, da, v, len);
	ck_assert_str_eq(out, c->printed ? c->printed : c->text);
	ck_assert_uint_eq(n, strlen(out));
	talloc_free(v);
}
END_TEST

struct bad_case {
	char const *attr;
	char const *text;
};

static struct bad_case const bad[] = {
	{"NAS-IP-Address", "300.1.1.1"}, {"NAS-IP-Address", ""},
	{"NAS-IPv6-Address", "2001:db8::g"}, {"Framed-IPv6-Prefix", "2001:db8::/129"},
	{"Framed-IPv6-Prefix", "2001:db8::/"}, {"Test-IPv4-Prefix", "10.0.0.0/33"},
	{"Service-Type", "-1"}, {"Service-Type", "12abc"}, {"Service-Type", "No-Such-Value"},
	{"Service-Type", "4294967296"}, {"Test-Signed", "2147483648"}, {"Test-Signed", "x"},
	{"Test-Byte", "256"}, {"Test-Short", "65536"}, {"Test-Ether", "00:11"},
	{"Test-Ether", "00:11:22:33:44:55:66"}, {"Test-Ether", "0g:11:22:33:44:55"},
	{"Framed-Interface-Id", "xyz"}, {"Framed-Interface-Id", "0011:2233:4455:667"},
	{"Event-Timestamp", "Foo 1 2020 00:00:00"}, {"Event-Timestamp", "Jan 1 2020 25:00:00"},
	{"Event-Timestamp", "Jan 1 2020 00:00:00 CET"}, {"Event-Timestamp", "4294967296"},
	{"User-Name", "\"unterminated"}, {"User-Name", "\"a\"b"}, {"User-Name", "\"\\q\""},
	{"User-Name", "\"\\x4\""}, {"User-Name", "\"\\777\""}, {"Class", "0xabc"},
	{"Class", "0xzz"}, {"Tunnel-Type", "1:16777216"}, {"Test-Combo", "1.2.3"},
};

START_TEST(test_value_parse_rejects)
{
	size_t len = 0;

	err_clear();
	ck_assert_msg(rad_value_parse(ctx, dict, attr(bad[_i].attr), bad[_i].text, &len) == NULL,
		      "%s = %s accepted", bad[_i].attr, bad[_i].text);
	ck_assert_str_ne(err_msg(), "");
	ck_assert_ptr_null(rad_value_parse(ctx, dict, NULL, "x", &len));
}
END_TEST

START_TEST(test_value_print_edge_cases)
{
	uint8_t v[] = {1, 2, 3};
	char out[8];
	size_t n;

	n = rad_value_print(out, sizeof(out), dict, attr("NAS-IP-Address"), v, 3);
	ck_assert_uint_eq(n, 8);	/* wrong length: hex, "0x010203" needs 8 */
	ck_assert_str_eq(out, "0x01020");	/* truncated, NUL-terminated */
	ck_assert_uint_eq(rad_value_print(NULL, 0, dict, attr("NAS-IP-Address"), v, 3), 8);
	ck_assert_uint_eq(rad_value_print(out, sizeof(out), NULL, NULL, v, 2), 6);
	ck_assert_str_eq(out, "0x0102");
	v[1] = 200;	/* prefix length over 128 */
	ck_assert_uint_eq(rad_value_print(out, sizeof(out), dict, attr("Framed-IPv6-Prefix"), v, 3),
			  8);
	ck_assert_uint_eq(rad_value_print(out, 1, dict, attr("User-Name"), v, 3), 14);
	ck_assert_str_eq(out, "");
}
END_TEST

/* VSAs with format=2,2 and format=4,0 encode and decode with the vendor's sizes. */
START_TEST(test_vsa_formats_from_dict)
{
	struct rad_packet *p = rad_packet_new(ctx, dict, RAD_ACCESS_ACCEPT, 1), *d;
	uint8_t buf[RAD_MAX_LEN], req[16] = {0}, five[4] = {0, 0, 0, 5};
	static uint8_t const wide[] = {26, 13, 0, 0, 0x10, 0x92, 0x03, 0xe8, 0, 7, 'w', 'i', 'd'};
	static uint8_t const flat[] = {26, 14, 0, 0, 0x10, 0xf7, 0, 1, 0x11, 0x70, 0, 0, 0, 5};
	ssize_t n;

	ck_assert_int_eq(rad_attr_add(p, 4242, 1000, "wid", 3), 0);
	ck_assert_int_eq(rad_attr_add(p, 4343, 70000, five, 4), 0);
	n = rad_packet_encode(p, buf, sizeof(buf), SECRET, req, 0);
	ck_assert_int_eq(n, 20 + 13 + 14);
	ck_assert_mem_eq(buf + 20, wide, sizeof(wide));
	ck_assert_mem_eq(buf + 33, flat, sizeof(flat));
	d = rad_packet_decode(ctx, dict, buf, (size_t)n, NULL);
	ck_assert_ptr_nonnull(d);
	ck_assert_uint_eq(d->n_attrs, 2);
	ck_assert(d->attrs[0].vendor == 4242 && d->attrs[0].type == 1000 && d->attrs[0].len == 3);
	ck_assert(d->attrs[1].vendor == 4343 && d->attrs[1].type == 70000 && d->attrs[1].len == 4);
	ck_assert_str_eq(d->attrs[0].da->name, "Wide-Name");
	/* decoded without the dictionary the 2,2 VSA does not parse as 1,1: kept raw */
	talloc_free(d);
	d = rad_packet_decode(ctx, NULL, buf, (size_t)n, NULL);
	ck_assert_ptr_nonnull(d);
	ck_assert(d->attrs[0].invalid && d->attrs[0].vendor == 0 && d->attrs[0].type == 26);
	talloc_free(d);
	talloc_free(p);
}
END_TEST

START_TEST(test_packet_print_masking)
{
	struct rad_packet *p = rad_packet_new(ctx, dict, RAD_ACCESS_REQUEST, 1), *d;
	uint8_t buf[RAD_MAX_LEN], chap[17] = {1}, resp[50] = {0}, ip[4] = {10, 0, 0, 1};
	char *text;
	ssize_t n;

	ck_assert_int_eq(rad_attr_add(p, 0, RAD_ATTR_USER_NAME, "bob", 3), 0);
	ck_assert_int_eq(rad_attr_add(p, 0, RAD_ATTR_USER_PASSWORD, "hello", 5), 0);
	ck_assert_int_eq(rad_attr_add(p, 0, RAD_ATTR_CHAP_PASSWORD, chap, sizeof(chap)), 0);
	ck_assert_int_eq(rad_attr_add(p, RAD_VENDOR_MICROSOFT, 25, resp, sizeof(resp)), 0);
	ck_assert_int_eq(rad_attr_add(p, RAD_VENDOR_MICROSOFT, 16, "k", 1), 0);
	ck_assert_int_eq(rad_attr_add(p, 0, RAD_ATTR_NAS_IP_ADDRESS, ip, 4), 0);
	ck_assert_int_eq(rad_attr_add(p, 0, 199, "\x01\x02", 2), 0);
	ck_assert_int_eq(rad_attr_add(p, 99999, 7, "z", 1), 0);
	n = rad_packet_encode(p, buf, sizeof(buf), SECRET, NULL, RAD_ENC_ADD_MA);
	ck_assert_int_gt(n, 0);
	d = rad_packet_decode(ctx, dict, buf, (size_t)n, NULL);
	ck_assert_ptr_nonnull(d);
	text = rad_packet_print(ctx, d, true);
	ck_assert_ptr_nonnull(text);
	ck_assert_msg(strncmp(text, "\tMessage-Authenticator = 0x", 27) == 0, "%s", text);
	ck_assert_msg(strstr(text, "\tUser-Name = \"bob\"\n\tUser-Password = <hidden>\n"
				   "\tCHAP-Password = <hidden>\n\tMS-CHAP2-Response = <hidden>\n"
				   "\tMS-MPPE-Send-Key = <hidden>\n\tNAS-IP-Address = 10.0.0.1\n"
				   "\tAttr-199 = 0x0102\n\tVendor-99999-Attr-7 = 0x7a\n") != NULL,
		      "%s", text);
	talloc_free(text);
	text = rad_packet_print(ctx, d, false);
	ck_assert_ptr_nonnull(text);
	ck_assert(strstr(text, "<hidden>") == NULL);
	ck_assert(strstr(text, "\tUser-Password = 0x") != NULL);
	ck_assert(strstr(text, "hello") == NULL);
	talloc_free(text);
	talloc_free(d);
	talloc_free(p);
}
END_TEST

/* The shipped dictionaries decode and print the RFC 2865 7.1 example. */
START_TEST(test_print_rfc2865_71_with_shipped_dictionary)
{
	static uint8_t const req[56] = {
		0x01, 0x00, 0x00, 0x38, 0x0f, 0x40, 0x3f, 0x94, 0x73, 0x97, 0x80, 0x57, 0xbd, 0x83,
		0xd5, 0xcb, 0x98, 0xf4, 0x22, 0x7a, 0x01, 0x06, 0x6e, 0x65, 0x6d, 0x6f, 0x02, 0x12,
		0x0d, 0xbe, 0x70, 0x8d, 0x93, 0xd4, 0x13, 0xce, 0x31, 0x96, 0xe4, 0x3f, 0x78, 0x2a,
		0x0a, 0xee, 0x04, 0x06, 0xc0, 0xa8, 0x01, 0x10, 0x05, 0x06, 0x00, 0x00, 0x00, 0x03};
	struct dict *full = dict_load(ctx, src_path("dictionaries/dictionary"));
	struct rad_packet *d;
	char *text;

	ck_assert_msg(full != NULL, "%s", err_msg());
	d = rad_packet_decode(ctx, full, req, sizeof(req), NULL);
	ck_assert_ptr_nonnull(d);
	text = rad_packet_print(ctx, d, true);
	ck_assert_str_eq(text, "\tUser-Name = \"nemo\"\n\tUser-Password = <hidden>\n"
			       "\tNAS-IP-Address = 192.168.1.16\n\tNAS-Port = 3\n");
	talloc_free(text);
	talloc_free(d);
	talloc_free(full);
}
END_TEST

static Suite *value_suite(void)
{
	Suite *s = suite_create("radius_value");
	TCase *tc = tcase_create("value");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_value_parse_print, 0, sizeof(good) / sizeof(good[0]));
	tcase_add_loop_test(tc, test_value_parse_rejects, 0, sizeof(bad) / sizeof(bad[0]));
	tcase_add_test(tc, test_value_print_edge_cases);
	tcase_add_test(tc, test_vsa_formats_from_dict);
	tcase_add_test(tc, test_packet_print_masking);
	tcase_add_test(tc, test_print_rfc2865_71_with_shipped_dictionary);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(value_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
