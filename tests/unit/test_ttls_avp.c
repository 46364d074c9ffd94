/*
 * Unit tests for src/methods/ttls_avp.c: the Diameter AVP codec of EAP-TTLS (RFC 5281 10,
 * RFC 6733 4.1). AVPs are built by hand here (not with the encoder) so the decoder and the
 * encoder are each checked against the wire format, then against each other; hostile
 * buffers cover every rejection reason.
 */
#include "methods/ttls_avp.h"

#include "util/err.h"

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

/*
 * Append one AVP by hand at out + off: avp_len is the AVP Length field as sent (may lie),
 * n octets of pattern data, pad octets of padding. Returns the new offset.
 */
static size_t put_avp(uint8_t *out, size_t off, uint32_t code, uint8_t flags, uint32_t vendor,
		      size_t avp_len, size_t n, size_t pad)
{
	out[off++] = (uint8_t)(code >> 24);
	out[off++] = (uint8_t)(code >> 16);
	out[off++] = (uint8_t)(code >> 8);
	out[off++] = (uint8_t)code;
	out[off++] = flags;
	out[off++] = (uint8_t)(avp_len >> 16);
	out[off++] = (uint8_t)(avp_len >> 8);
	out[off++] = (uint8_t)avp_len;
	if (flags & TTLS_AVP_FLAG_V) {
		out[off++] = (uint8_t)(vendor >> 24);
		out[off++] = (uint8_t)(vendor >> 16);
		out[off++] = (uint8_t)(vendor >> 8);
		out[off++] = (uint8_t)vendor;
	}
	for (size_t i = 0; i < n; i++) out[off++] = (uint8_t)('a' + i % 26);
	for (size_t i = 0; i < pad; i++) out[off++] = 0;
	return off;
}

/* A well-formed AVP of n data octets, with its padding. */
static size_t put_good(uint8_t *out, size_t off, uint32_t code, uint8_t flags, uint32_t vendor,
		       size_t n)
{
	size_t hdr = (flags & TTLS_AVP_FLAG_V) ? 12 : 8;

	return put_avp(out, off, code, flags, vendor, hdr + n, n, (4 - (hdr + n) % 4) % 4);
}

static void decode_fail(uint8_t const *buf, size_t len, enum ttls_avp_reason want)
{
	enum ttls_avp_reason r = TTLS_AVP_OK;
	struct ttls_avp_list *l = ttls_avp_decode(ctx, buf, len, &r);

	ck_assert_ptr_null(l);
	ck_assert_msg(r == want, "reason %s want %s", ttls_avp_reason_name(r),
		      ttls_avp_reason_name(want));
	ck_assert_ptr_nonnull(strstr(err_msg(), ttls_avp_reason_name(want)));
}

static struct ttls_avp_list *decode_ok(uint8_t const *buf, size_t len)
{
	enum ttls_avp_reason r = TTLS_AVP_ERR_NO_MEMORY;
	struct ttls_avp_list *l = ttls_avp_decode(ctx, buf, len, &r);

	ck_assert_msg(l != NULL, "decode failed: %s", err_msg());
	ck_assert_int_eq(r, TTLS_AVP_OK);
	return l;
}

START_TEST(test_decode_basic)
{
	uint8_t b[128];
	size_t n = put_good(b, 0, TTLS_AVP_USER_NAME, TTLS_AVP_FLAG_M, 0, 3);
	struct ttls_avp_list *l;

	ck_assert_uint_eq(n, 12); /* 8 + 3, padded to 12 */
	n = put_good(b, n, TTLS_AVP_EAP_MESSAGE, TTLS_AVP_FLAG_M, 0, 8);
	l = decode_ok(b, n);
	ck_assert_uint_eq(l->count, 2);
	ck_assert_uint_eq(l->avp[0].code, 1);
	ck_assert_uint_eq(l->avp[0].vendor, 0);
	ck_assert_uint_eq(l->avp[0].flags, TTLS_AVP_FLAG_M);
	ck_assert_uint_eq(l->avp[0].len, 3);
	ck_assert_ptr_eq(l->avp[0].data, b + 8);
	ck_assert_int_eq(memcmp(l->avp[0].data, "abc", 3), 0);
	ck_assert_uint_eq(l->avp[1].code, 79);
	ck_assert_uint_eq(l->avp[1].len, 8);
	ck_assert_ptr_eq(l->avp[1].data, b + 20);
	ck_assert(!l->reserved_flags);
	ck_assert(!l->unpadded_last);
	talloc_free(l);
}
END_TEST

START_TEST(test_decode_empty)
{
	struct ttls_avp_list *l = decode_ok(NULL, 0);

	ck_assert_uint_eq(l->count, 0);
	ck_assert_ptr_null(l->avp);
	ck_assert_ptr_null(ttls_avp_find(l, 1, 0));
	talloc_free(l);
}
END_TEST

START_TEST(test_decode_vendor)
{
	uint8_t b[128];
	size_t n = put_good(b, 0, TTLS_AVP_MS_CHAP2_RESPONSE, TTLS_AVP_FLAG_V | TTLS_AVP_FLAG_M,
			    TTLS_VENDOR_MICROSOFT, 50);
	struct ttls_avp_list *l;

	ck_assert_uint_eq(n, 64); /* 12 + 50 = 62, padded to 64 */
	n = put_good(b, n, TTLS_AVP_MS_CHAP_CHALLENGE, TTLS_AVP_FLAG_V, TTLS_VENDOR_MICROSOFT, 16);
	l = decode_ok(b, n);
	ck_assert_uint_eq(l->count, 2);
	ck_assert_uint_eq(l->avp[0].code, 25);
	ck_assert_uint_eq(l->avp[0].vendor, 311);
	ck_assert_uint_eq(l->avp[0].len, 50);
	ck_assert_ptr_eq(l->avp[0].data, b + 12);
	ck_assert(ttls_avp_is_mandatory(&l->avp[0]));
	ck_assert(!ttls_avp_is_mandatory(&l->avp[1]));
	ck_assert_uint_eq(l->avp[1].len, 16);
	/* Same code, other vendor space: not found. */
	ck_assert_ptr_null(ttls_avp_find(l, 25, 0));
	ck_assert_ptr_eq(ttls_avp_find(l, 25, 311), &l->avp[0]);
	ck_assert_ptr_eq(ttls_avp_find(l, 11, 311), &l->avp[1]);
	talloc_free(l);
}
END_TEST

/* Data lengths 0..7 cover every padding amount, without and with V. */
START_TEST(test_decode_padding)
{
	for (int v = 0; v < 2; v++) {
		uint8_t b[256];
		size_t n = 0;
		uint8_t flags = v ? TTLS_AVP_FLAG_V : 0;
		struct ttls_avp_list *l;

		for (size_t d = 0; d < 8; d++) n = put_good(b, n, 100 + (uint32_t)d, flags, 9, d);
		ck_assert_uint_eq(n % 4, 0);
		l = decode_ok(b, n);
		ck_assert_uint_eq(l->count, 8);
		for (size_t d = 0; d < 8; d++) {
			ck_assert_uint_eq(l->avp[d].code, 100 + d);
			ck_assert_uint_eq(l->avp[d].len, d);
			ck_assert_uint_eq(l->avp[d].vendor, v ? 9 : 0);
		}
		talloc_free(l);
	}
}
END_TEST

/* The last AVP may come without its padding (peers that do not pad); nonzero pad ignored. */
START_TEST(test_decode_unpadded_last)
{
	uint8_t b[64];
	size_t n = put_good(b, 0, 1, 0, 0, 5);
	struct ttls_avp_list *l;

	b[13] = 0xff; /* nonzero padding octet: ignored */
	n = put_avp(b, n, 18, 0, 0, 8 + 5, 5, 0);
	l = decode_ok(b, n);
	ck_assert_uint_eq(l->count, 2);
	ck_assert_uint_eq(l->avp[1].len, 5);
	ck_assert(l->unpadded_last);
	talloc_free(l);
}
END_TEST

START_TEST(test_decode_reserved_flags)
{
	uint8_t b[64];
	size_t n = put_good(b, 0, 1, TTLS_AVP_FLAG_M | 0x21, 0, 4);
	struct ttls_avp_list *l = decode_ok(b, n);

	ck_assert(l->reserved_flags);
	ck_assert_uint_eq(l->avp[0].flags, TTLS_AVP_FLAG_M | 0x21); /* recorded as received */
	ck_assert_uint_eq(l->avp[0].len, 4);
	talloc_free(l);
}
END_TEST

START_TEST(test_reject_lengths)
{
	uint8_t b[128];
	size_t n;

	/* Fewer than 8 octets for a header, alone or after a good AVP. */
	decode_fail(b, put_avp(b, 0, 1, 0, 0, 8, 0, 0) - 1, TTLS_AVP_ERR_TRUNCATED_HEADER);
	n = put_good(b, 0, 1, 0, 0, 4);
	decode_fail(b, n + 4, TTLS_AVP_ERR_TRUNCATED_HEADER);
	/* AVP Length 0, and below the header. */
	decode_fail(b, put_avp(b, 0, 1, 0, 0, 0, 4, 0), TTLS_AVP_ERR_LENGTH_ZERO);
	decode_fail(b, put_avp(b, 0, 1, 0, 0, 7, 4, 0), TTLS_AVP_ERR_LENGTH_TOO_SHORT);
	decode_fail(b, put_avp(b, 0, 1, 0, 0, 1, 4, 0), TTLS_AVP_ERR_LENGTH_TOO_SHORT);
	/* V set with a length that has no room for the Vendor-ID. */
	for (size_t len = 8; len < 12; len++) {
		n = put_avp(b, 0, 25, TTLS_AVP_FLAG_V, 311, len, 8, 0);
		decode_fail(b, n, TTLS_AVP_ERR_VENDOR_TOO_SHORT);
	}
	/* V set, length fine, but the buffer ends inside the Vendor-ID. */
	put_avp(b, 0, 25, TTLS_AVP_FLAG_V, 311, 16, 4, 0);
	decode_fail(b, 10, TTLS_AVP_ERR_LENGTH_EXCEEDS_DATA);
	/* AVP Length one past the end, and the 24-bit maximum. */
	decode_fail(b, put_avp(b, 0, 1, 0, 0, 13, 4, 0), TTLS_AVP_ERR_LENGTH_EXCEEDS_DATA);
	decode_fail(b, put_avp(b, 0, 1, 0, 0, 0xffffff, 4, 0), TTLS_AVP_ERR_LENGTH_EXCEEDS_DATA);
}
END_TEST

/* Nested lengths that lie: a second AVP claiming more than what is left. */
START_TEST(test_reject_lying_nested)
{
	uint8_t b[128];
	size_t n = put_good(b, 0, 1, 0, 0, 4);
	enum ttls_avp_reason r;

	n = put_good(b, n, 2, 0, 0, 16);
	ck_assert_ptr_nonnull(ttls_avp_decode(ctx, b, n, &r));
	talloc_free_children(ctx);
	b[12 + 7] = 8 + 17; /* second AVP's AVP Length now one past the rest */
	decode_fail(b, n, TTLS_AVP_ERR_LENGTH_EXCEEDS_DATA);
	/* The first AVP claiming the whole buffer plus more. */
	b[7] = (uint8_t)(n + 1);
	decode_fail(b, n, TTLS_AVP_ERR_LENGTH_EXCEEDS_DATA);
	/* A first AVP swallowing the next one's header (length = whole buffer) is fine... */
	b[7] = (uint8_t)n;
	ck_assert_ptr_nonnull(ttls_avp_decode(ctx, b, n, &r));
	talloc_free_children(ctx);
}
END_TEST

START_TEST(test_reject_truncated_padding)
{
	uint8_t b[64];
	size_t n = put_good(b, 0, 1, 0, 0, 5); /* 13 + 3 padding */

	decode_fail(b, n - 1, TTLS_AVP_ERR_PADDING_TRUNCATED);
	decode_fail(b, n - 2, TTLS_AVP_ERR_PADDING_TRUNCATED);
	/* Padding left out before another AVP: its header is read 3 octets late. */
	n = put_avp(b, 0, 1, 0, 0, 13, 5, 0);
	n = put_good(b, n, 2, 0, 0, 4);
	ck_assert_ptr_null(ttls_avp_decode(ctx, b, n, NULL));
}
END_TEST

START_TEST(test_reject_caps)
{
	uint8_t *b = talloc_array(ctx, uint8_t, TTLS_AVP_MAX_TOTAL + 1);
	size_t n = 0;
	struct ttls_avp_list *l;

	ck_assert_ptr_nonnull(b);
	for (int i = 0; i < 300; i++) n = put_good(b, n, 1, 0, 0, 0);
	ck_assert_uint_eq(n, 300 * 8);
	decode_fail(b, n, TTLS_AVP_ERR_TOO_MANY);
	/* Exactly the cap is accepted. */
	l = decode_ok(b, TTLS_AVP_MAX_COUNT * 8);
	ck_assert_uint_eq(l->count, TTLS_AVP_MAX_COUNT);
	talloc_free(l);
	/* One octet above the size cap, even if well-formed. */
	memset(b, 0, TTLS_AVP_MAX_TOTAL + 1);
	decode_fail(b, TTLS_AVP_MAX_TOTAL + 1, TTLS_AVP_ERR_TOO_LONG);
	/* The size cap itself: one big AVP. */
	put_avp(b, 0, 79, 0, 0, TTLS_AVP_MAX_TOTAL, 0, 0);
	l = decode_ok(b, TTLS_AVP_MAX_TOTAL);
	ck_assert_uint_eq(l->avp[0].len, TTLS_AVP_MAX_TOTAL - 8);
	talloc_free(l);
	talloc_free(b);
}
END_TEST

START_TEST(test_mandatory)
{
	static struct ttls_avp_id const known[] = {
		{TTLS_AVP_USER_NAME, 0},
		{TTLS_AVP_MS_CHAP2_RESPONSE, TTLS_VENDOR_MICROSOFT},
	};
	uint8_t b[128];
	size_t n = put_good(b, 0, TTLS_AVP_USER_NAME, TTLS_AVP_FLAG_M, 0, 3);
	struct ttls_avp_list *l;
	struct ttls_avp const *bad = (void *)1;

	n = put_good(b, n, 4242, 0, 0, 2); /* unknown, not mandatory: ignored */
	n = put_good(b, n, 77, TTLS_AVP_FLAG_V, 99, 2); /* unknown vendor, not mandatory */
	n = put_good(b, n, 25, TTLS_AVP_FLAG_V | TTLS_AVP_FLAG_M, 311, 4);
	l = decode_ok(b, n);
	ck_assert_int_eq(ttls_avp_check_mandatory(l, known, 2, &bad), 0);
	ck_assert_ptr_null(bad);
	talloc_free(l);

	/* Known code in the wrong vendor space, with M: must fail; first one reported. */
	n = put_good(b, n, 25, TTLS_AVP_FLAG_M, 0, 4);
	n = put_good(b, n, 4243, TTLS_AVP_FLAG_M, 0, 4);
	l = decode_ok(b, n);
	ck_assert_int_eq(ttls_avp_check_mandatory(l, known, 2, &bad), -1);
	ck_assert_ptr_eq(bad, &l->avp[4]);
	ck_assert_uint_eq(bad->code, 25);
	ck_assert_uint_eq(bad->vendor, 0);
	ck_assert_ptr_nonnull(strstr(err_msg(), "unknown-mandatory"));
	ck_assert_int_eq(ttls_avp_check_mandatory(l, known, 2, NULL), -1);
	/* Knowing nothing: the first M AVP is reported. */
	ck_assert_int_eq(ttls_avp_check_mandatory(l, NULL, 0, &bad), -1);
	ck_assert_ptr_eq(bad, &l->avp[0]);
	talloc_free(l);
}
END_TEST

START_TEST(test_eap_message_join)
{
	uint8_t b[256];
	size_t n = put_avp(b, 0, 79, TTLS_AVP_FLAG_M, 0, 8 + 5, 5, 3);
	size_t len;
	enum ttls_avp_reason r;
	struct ttls_avp_list *l;
	uint8_t *m;

	n = put_good(b, n, 1, 0, 0, 3);
	n = put_good(b, n, 79, TTLS_AVP_FLAG_V, 311, 7); /* vendor 311 code 79: not EAP */
	n = put_good(b, n, 79, TTLS_AVP_FLAG_M, 0, 0);	 /* empty piece */
	n = put_good(b, n, 79, TTLS_AVP_FLAG_M, 0, 30);
	l = decode_ok(b, n);
	m = ttls_avp_eap_message_join(ctx, l, &len, &r);
	ck_assert_ptr_nonnull(m);
	ck_assert_int_eq(r, TTLS_AVP_OK);
	ck_assert_uint_eq(len, 35);
	ck_assert_int_eq(memcmp(m, "abcde", 5), 0);
	ck_assert_int_eq(memcmp(m + 5, "abcdefghijklmnopqrstuvwxyzabcd", 30), 0);
	talloc_free(m);

	/* Over the caller's max. */
	ck_assert_ptr_null(ttls_avp_join(ctx, l, 79, 0, 34, &len, &r));
	ck_assert_int_eq(r, TTLS_AVP_ERR_JOIN_TOO_LONG);
	ck_assert_uint_eq(len, 0);
	m = ttls_avp_join(ctx, l, 79, 0, 35, &len, &r);
	ck_assert_ptr_nonnull(m);
	talloc_free(m);
	/* None of that code. */
	ck_assert_ptr_null(ttls_avp_join(ctx, l, 2, 0, 100, &len, &r));
	ck_assert_int_eq(r, TTLS_AVP_ERR_JOIN_NONE);
	talloc_free(l);

	/* Only an empty EAP-Message: a buffer of 0 octets. */
	n = put_good(b, 0, 79, TTLS_AVP_FLAG_M, 0, 0);
	l = decode_ok(b, n);
	m = ttls_avp_eap_message_join(ctx, l, &len, &r);
	ck_assert_ptr_nonnull(m);
	ck_assert_uint_eq(len, 0);
	talloc_free(m);
	talloc_free(l);
}
END_TEST

START_TEST(test_find_first)
{
	uint8_t b[128];
	size_t n = put_good(b, 0, 1, 0, 0, 3);
	struct ttls_avp_list *l;

	n = put_good(b, n, 1, 0, 0, 9);
	l = decode_ok(b, n);
	ck_assert_ptr_eq(ttls_avp_find(l, 1, 0), &l->avp[0]);
	ck_assert_uint_eq(ttls_avp_find(l, 1, 0)->len, 3);
	ck_assert_ptr_null(ttls_avp_find(l, 2, 0));
	ck_assert_ptr_null(ttls_avp_find(NULL, 1, 0));
	talloc_free(l);
}
END_TEST

/* Encoder output against the hand-built wire form. */
START_TEST(test_encode_wire)
{
	uint8_t want[64], got[64];
	uint8_t data[] = "abcdefgh";
	size_t wn;
	ssize_t n;

	memset(got, 0xee, sizeof(got));
	wn = put_good(want, 0, TTLS_AVP_REPLY_MESSAGE, TTLS_AVP_FLAG_M, 0, 5);
	n = ttls_avp_encode(got, sizeof(got), TTLS_AVP_REPLY_MESSAGE, 0, true, data, 5, NULL);
	ck_assert_int_eq(n, (ssize_t)wn);
	ck_assert_int_eq(memcmp(got, want, wn), 0);
	ck_assert_uint_eq(ttls_avp_encoded_len(0, 5), wn);
	ck_assert_uint_eq(got[wn], 0xee); /* nothing past the padding */

	wn = put_good(want, 0, TTLS_AVP_MS_CHAP2_SUCCESS, TTLS_AVP_FLAG_V, 311, 7);
	n = ttls_avp_encode(got, sizeof(got), 26, 311, false, data, 7, NULL);
	ck_assert_int_eq(n, (ssize_t)wn);
	ck_assert_uint_eq(wn, 20);
	ck_assert_int_eq(memcmp(got, want, wn), 0);
	ck_assert_uint_eq(ttls_avp_encoded_len(311, 7), 20);

	n = ttls_avp_encode(got, 8, 1, 0, false, NULL, 0, NULL); /* empty data */
	ck_assert_int_eq(n, 8);
	ck_assert_uint_eq(got[7], 8);
}
END_TEST

START_TEST(test_encode_errors)
{
	uint8_t got[64], data[8] = {0};
	enum ttls_avp_reason r = TTLS_AVP_OK;

	/* 8 + 5 = 13 fits 13 octets but not its padding. */
	ck_assert_int_eq(ttls_avp_encode(got, 15, 1, 0, true, data, 5, &r), -1);
	ck_assert_int_eq(r, TTLS_AVP_ERR_ENCODE_NO_SPACE);
	ck_assert_int_eq(ttls_avp_encode(got, 16, 1, 0, true, data, 5, &r), 16);
	ck_assert_int_eq(ttls_avp_encode(got, 15, 1, 311, true, data, 3, &r), -1);
	ck_assert_int_eq(r, TTLS_AVP_ERR_ENCODE_NO_SPACE);
	ck_assert_int_eq(ttls_avp_encode(NULL, 0, 1, 0, true, data, 0, &r), -1);
	/* Lengths beyond the 24-bit AVP Length, checked before any data is read. */
	ck_assert_int_eq(ttls_avp_encode(got, sizeof(got), 1, 0, true, data, 0xffffff - 7, &r),
			 -1);
	ck_assert_int_eq(r, TTLS_AVP_ERR_ENCODE_TOO_LONG);
	ck_assert_int_eq(ttls_avp_encode(got, sizeof(got), 1, 9, true, data, 0xffffff - 11, &r),
			 -1);
	ck_assert_int_eq(r, TTLS_AVP_ERR_ENCODE_TOO_LONG);
	ck_assert_ptr_nonnull(strstr(err_msg(), "encode-too-long"));
	ck_assert_uint_eq(ttls_avp_encoded_len(0, (size_t)0xffffff + 1), SIZE_MAX);
}
END_TEST

/* encode -> decode -> list_encode gives the same octets. */
START_TEST(test_roundtrip)
{
	static struct {
		uint32_t code, vendor;
		bool m;
		size_t len;
	} const in[] = {
		{TTLS_AVP_USER_NAME, 0, true, 5},
		{TTLS_AVP_EAP_MESSAGE, 0, true, 0},
		{TTLS_AVP_MS_CHAP_ERROR, TTLS_VENDOR_MICROSOFT, true, 11},
		{TTLS_AVP_MS_CHAP2_SUCCESS, TTLS_VENDOR_MICROSOFT, false, 42},
		{0xfffffffeu, 0xffffffffu, false, 1},
		{TTLS_AVP_CHAP_CHALLENGE, 0, false, 16},
	};
	uint8_t data[64], buf[512], again[512];
	size_t off = 0;
	ssize_t n;
	struct ttls_avp_list *l;

	for (size_t i = 0; i < sizeof(data); i++) data[i] = (uint8_t)(i * 7 + 1);
	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		n = ttls_avp_encode(buf + off, sizeof(buf) - off, in[i].code, in[i].vendor,
				    in[i].m, data, in[i].len, NULL);
		ck_assert_int_gt(n, 0);
		ck_assert_int_eq(n % 4, 0);
		off += (size_t)n;
	}
	l = decode_ok(buf, off);
	ck_assert_uint_eq(l->count, sizeof(in) / sizeof(in[0]));
	for (size_t i = 0; i < l->count; i++) {
		ck_assert_uint_eq(l->avp[i].code, in[i].code);
		ck_assert_uint_eq(l->avp[i].vendor, in[i].vendor);
		ck_assert_int_eq(ttls_avp_is_mandatory(&l->avp[i]), in[i].m);
		ck_assert_uint_eq(l->avp[i].len, in[i].len);
		if (in[i].len) ck_assert_int_eq(memcmp(l->avp[i].data, data, in[i].len), 0);
	}
	n = ttls_avp_list_encode(again, sizeof(again), l, NULL);
	ck_assert_int_eq(n, (ssize_t)off);
	ck_assert_int_eq(memcmp(again, buf, off), 0);
	/* One octet short of the whole list. */
	ck_assert_int_eq(ttls_avp_list_encode(again, off - 1, l, NULL), -1);
	talloc_free(l);
}
END_TEST

START_TEST(test_reason_names)
{
	for (int r = 0; r < TTLS_AVP_REASON_MAX; r++) {
		char const *name = ttls_avp_reason_name((enum ttls_avp_reason)r);

		ck_assert_str_ne(name, "unknown-reason");
		for (int s = 0; s < r; s++) {
			ck_assert_str_ne(name, ttls_avp_reason_name((enum ttls_avp_reason)s));
		}
	}
	ck_assert_str_eq(ttls_avp_reason_name(TTLS_AVP_REASON_MAX), "unknown-reason");
	ck_assert_str_eq(ttls_avp_reason_name((enum ttls_avp_reason)-1), "unknown-reason");
}
END_TEST

static Suite *ttls_avp_suite(void)
{
	Suite *s = suite_create("ttls_avp");
	TCase *dec = tcase_create("decode");
	TCase *rej = tcase_create("reject");
	TCase *use = tcase_create("use");
	TCase *enc = tcase_create("encode");

	tcase_add_checked_fixture(dec, setup, teardown);
	tcase_add_test(dec, test_decode_basic);
	tcase_add_test(dec, test_decode_empty);
	tcase_add_test(dec, test_decode_vendor);
	tcase_add_test(dec, test_decode_padding);
	tcase_add_test(dec, test_decode_unpadded_last);
	tcase_add_test(dec, test_decode_reserved_flags);
	suite_add_tcase(s, dec);

	tcase_add_checked_fixture(rej, setup, teardown);
	tcase_add_test(rej, test_reject_lengths);
	tcase_add_test(rej, test_reject_lying_nested);
	tcase_add_test(rej, test_reject_truncated_padding);
	tcase_add_test(rej, test_reject_caps);
	suite_add_tcase(s, rej);

	tcase_add_checked_fixture(use, setup, teardown);
	tcase_add_test(use, test_mandatory);
	tcase_add_test(use, test_eap_message_join);
	tcase_add_test(use, test_find_first);
	suite_add_tcase(s, use);

	tcase_add_checked_fixture(enc, setup, teardown);
	tcase_add_test(enc, test_encode_wire);
	tcase_add_test(enc, test_encode_errors);
	tcase_add_test(enc, test_roundtrip);
	tcase_add_test(enc, test_reason_names);
	suite_add_tcase(s, enc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(ttls_avp_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
