/*
 * Data-driven tests for src/radius: every record of tests/vectors/radius_decode.txt is decoded
 * and checked (result, attributes, authenticators, Message-Authenticator), and every record of
 * tests/vectors/radius_hide.txt (known answers computed with python hashlib) is hidden and
 * unhidden. The formats are described at the top of each file.
 */
#include "radius/radius.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <talloc.h>

#include "util/hex.h"

#define MAX_FIELDS 24

struct vrec {
	char *name;
	char *key[MAX_FIELDS];
	char *val[MAX_FIELDS];
	size_t n;
	uint8_t hex[RAD_MAX_LEN + 64];
	size_t hex_len;
	bool has_hex;
};

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

static char const *vec_path(char const *file)
{
	static char path[4096];
	char const *top = getenv("top_srcdir");

	snprintf(path, sizeof(path), "%s/tests/vectors/%s", top ? top : ".", file);
	return path;
}

static char const *rec_get(struct vrec const *r, char const *key)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		if (strcmp(r->key[i], key) == 0) return r->val[i];
	}
	return NULL;
}

static size_t hex_field(uint8_t *out, size_t cap, char const *text)
{
	ssize_t n = hex_decode(out, cap, text, strlen(text));

	ck_assert_msg(n >= 0, "bad hex \"%s\"", text);
	return (size_t)n;
}

/* Read all records of a vector file; returns them in a talloc array owned by ctx. */
static struct vrec *read_records(char const *file, size_t *count)
{
	char line[1024];
	struct vrec *recs = talloc_array(ctx, struct vrec, 0), *r = NULL;
	FILE *f = fopen(vec_path(file), "r");

	ck_assert_msg(f != NULL, "cannot open %s (top_srcdir set?)", vec_path(file));
	*count = 0;
	while (fgets(line, sizeof(line), f)) {
		char *sp, *end = line + strlen(line);

		while (end > line && (end[-1] == '\n' || end[-1] == ' ')) *--end = '\0';
		if (line[0] == '#' || line[0] == '\0') continue;
		sp = strchr(line, ' ');
		if (sp) *sp++ = '\0';
		else sp = end;
		if (strcmp(line, "name") == 0) {
			recs = talloc_realloc(ctx, recs, struct vrec, *count + 1);
			r = &recs[(*count)++];
			memset(r, 0, sizeof(*r));
			r->name = talloc_strdup(recs, sp);
			continue;
		}
		ck_assert_msg(r != NULL, "%s: field before the first name", file);
		if (strcmp(line, "hex") == 0) {
			r->hex_len += hex_field(r->hex + r->hex_len, sizeof(r->hex) - r->hex_len, sp);
			r->has_hex = true;
			continue;
		}
		ck_assert_msg(r->n < MAX_FIELDS, "%s: too many fields", r->name);
		r->key[r->n] = talloc_strdup(recs, line);
		r->val[r->n++] = talloc_strdup(recs, sp);
	}
	fclose(f);
	return recs;
}

static void check_attr_line(struct vrec const *r, struct rad_packet const *pkt, char const *v)
{
	unsigned idx, vendor, type, len;

	ck_assert_msg(sscanf(v, "%u %u %u %u", &idx, &vendor, &type, &len) == 4, "%s: attr", r->name);
	ck_assert_msg(idx < pkt->n_attrs, "%s: attr %u missing", r->name, idx);
	ck_assert_msg(pkt->attrs[idx].vendor == vendor && pkt->attrs[idx].type == type &&
			      pkt->attrs[idx].len == len,
		      "%s: attr %u is %u/%u len %zu, want %u/%u len %u", r->name, idx,
		      (unsigned)pkt->attrs[idx].vendor, (unsigned)pkt->attrs[idx].type,
		      pkt->attrs[idx].len, vendor, type, len);
}

static void check_auth(struct vrec const *r, struct rad_packet const *pkt)
{
	char const *secret = rec_get(r, "secret"), *v;
	size_t slen = secret ? strlen(secret) : 0;
	uint8_t const *s = (uint8_t const *)secret;
	uint8_t reqv[RAD_VECTOR_LEN];
	char want[8];

	if ((v = rec_get(r, "request-auth")))
		ck_assert_msg(rad_request_auth_ok(pkt, s, slen) == (strcmp(v, "ok") == 0),
			      "%s: request-auth", r->name);
	if ((v = rec_get(r, "response-auth"))) {
		char hv[33];

		ck_assert(sscanf(v, "%32s %7s", hv, want) == 2);
		ck_assert_uint_eq(hex_field(reqv, sizeof(reqv), hv), 16);
		ck_assert_msg(rad_response_auth_ok(pkt, reqv, s, slen) == (strcmp(want, "ok") == 0),
			      "%s: response-auth", r->name);
	}
	if ((v = rec_get(r, "ma"))) {
		bool resp = rec_get(r, "response-auth") != NULL;
		enum rad_ma_status st = rad_packet_check_ma(pkt, s, slen, resp ? reqv : NULL);
		enum rad_ma_status exp = RAD_MA_ABSENT;

		if (strcmp(v, "valid") == 0) exp = RAD_MA_VALID;
		if (strcmp(v, "invalid") == 0) exp = RAD_MA_INVALID;
		ck_assert_msg(st == exp, "%s: MA status %d, want %s", r->name, st, v);
	}
}

static void check_decode_record(struct vrec const *r)
{
	enum rad_decode_error why = RAD_DECODE_MAX;
	char const *expect = rec_get(r, "expect"), *v;
	struct rad_packet *pkt;
	size_t i, invalid = 0;

	ck_assert_msg(expect && r->has_hex, "%s: needs expect and hex", r->name);
	pkt = rad_packet_decode(ctx, NULL, r->hex, r->hex_len, &why);
	ck_assert_msg(strcmp(rad_decode_error_name(why), expect) == 0, "%s: got %s, want %s",
		      r->name, rad_decode_error_name(why), expect);
	if (strcmp(expect, "ok") != 0) {
		ck_assert_ptr_null(pkt);
		return;
	}
	ck_assert_ptr_nonnull(pkt);
	if ((v = rec_get(r, "attrs")))
		ck_assert_msg(pkt->n_attrs == strtoul(v, NULL, 10), "%s: %zu attrs, want %s",
			      r->name, pkt->n_attrs, v);
	for (i = 0; i < pkt->n_attrs; i++) invalid += pkt->attrs[i].invalid;
	v = rec_get(r, "invalid");
	ck_assert_msg(invalid == (v ? strtoul(v, NULL, 10) : 0), "%s: %zu invalid", r->name, invalid);
	for (i = 0; i < r->n; i++) {
		if (strcmp(r->key[i], "attr") == 0) check_attr_line(r, pkt, r->val[i]);
	}
	v = rec_get(r, "proxy-state");
	ck_assert(pkt->has_proxy_state == (v && strcmp(v, "yes") == 0));
	if ((v = rec_get(r, "ma-offset"))) ck_assert_int_eq(pkt->ma_offset, atoi(v));
	check_auth(r, pkt);
	talloc_free(pkt);
}

START_TEST(test_decode_vectors)
{
	size_t n, i;
	struct vrec *recs = read_records("radius_decode.txt", &n);

	ck_assert_uint_ge(n, 30);
	for (i = 0; i < n; i++) check_decode_record(&recs[i]);
	talloc_free(recs);
}
END_TEST

/* Every decode error has a vector that produces it. */
START_TEST(test_every_error_has_a_vector)
{
	size_t n, i;
	struct vrec *recs = read_records("radius_decode.txt", &n);
	int e;

	for (e = RAD_DECODE_OK; e < RAD_DECODE_MAX; e++) {
		bool found = false;

		if (e == RAD_DECODE_NO_MEMORY) continue;
		for (i = 0; i < n && !found; i++) {
			char const *x = rec_get(&recs[i], "expect");

			found = x && strcmp(x, rad_decode_error_name(e)) == 0;
		}
		ck_assert_msg(found, "no vector for %s", rad_decode_error_name(e));
	}
	talloc_free(recs);
}
END_TEST

static void check_hide_record(struct vrec const *r)
{
	uint8_t vec[RAD_MAX_ATTR_VALUE], plain[256], hidden[256], out[256], salt_b[2];
	char const *kind = rec_get(r, "kind"), *secret = rec_get(r, "secret"), *salt;
	size_t vlen, plen, hlen, slen;
	ssize_t n;

	ck_assert_msg(kind && secret, "%s: kind/secret", r->name);
	slen = strlen(secret);
	vlen = hex_field(vec, sizeof(vec), rec_get(r, "vector"));
	plen = hex_field(plain, sizeof(plain), rec_get(r, "plain"));
	hlen = hex_field(hidden, sizeof(hidden), rec_get(r, "hidden"));
	if (strcmp(kind, "chap") == 0) {
		ck_assert_msg(rad_chap_check(hidden, hlen, vec, vlen, plain, plen), "%s", r->name);
		hidden[5] ^= 1;
		ck_assert(!rad_chap_check(hidden, hlen, vec, vlen, plain, plen));
		return;
	}
	ck_assert_uint_eq(vlen, RAD_VECTOR_LEN);
	if (strcmp(kind, "password") == 0) {
		n = rad_password_hide(out, sizeof(out), plain, plen, (uint8_t const *)secret, slen, vec);
		ck_assert_msg(n == (ssize_t)hlen && memcmp(out, hidden, hlen) == 0, "%s: hide", r->name);
		n = rad_password_unhide(out, sizeof(out), hidden, hlen, (uint8_t const *)secret, slen,
					vec);
	} else {
		salt = rec_get(r, "salt");
		ck_assert_uint_eq(hex_field(salt_b, 2, salt), 2);
		n = rad_salted_hide(out, sizeof(out), plain, plen, (uint8_t const *)secret, slen, vec,
				    (uint16_t)((salt_b[0] << 8) | salt_b[1]));
		ck_assert_msg(n == (ssize_t)hlen && memcmp(out, hidden, hlen) == 0, "%s: hide", r->name);
		n = rad_salted_unhide(out, sizeof(out), hidden, hlen, (uint8_t const *)secret, slen,
				      vec);
	}
	ck_assert_msg(n == (ssize_t)plen && memcmp(out, plain, plen) == 0, "%s: unhide", r->name);
}

START_TEST(test_hide_vectors)
{
	size_t n, i;
	struct vrec *recs = read_records("radius_hide.txt", &n);

	ck_assert_uint_ge(n, 10);
	for (i = 0; i < n; i++) check_hide_record(&recs[i]);
	talloc_free(recs);
}
END_TEST

static Suite *vectors_suite(void)
{
	Suite *s = suite_create("radius_vectors");
	TCase *tc = tcase_create("vectors");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_decode_vectors);
	tcase_add_test(tc, test_every_error_has_a_vector);
	tcase_add_test(tc, test_hide_vectors);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(vectors_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
