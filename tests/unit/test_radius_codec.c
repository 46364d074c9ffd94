/*
 * Unit tests for the RADIUS encoder, decoder and authenticators (src/radius/packet*.c,
 * auth.c, hide.c, names.c) without a dictionary: RFC 2865 7.1 built byte for byte, automatic
 * hiding, Message-Authenticator add/verify/tamper (RFC 3579 3.2), accounting and CoA request
 * authenticators (RFC 2866 3, RFC 5176), EAP-Message split/join, VSAs and encode errors.
 */
#include "radius/radius.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <talloc.h>

static TALLOC_CTX *ctx;
static uint8_t const secret[] = "xyzzy5461";
#define SECRET secret, sizeof(secret) - 1

static uint8_t const ra71[16] = {0x0f, 0x40, 0x3f, 0x94, 0x73, 0x97, 0x80, 0x57,
				 0xbd, 0x83, 0xd5, 0xcb, 0x98, 0xf4, 0x22, 0x7a};
static uint8_t const rfc71_request[56] = {
	0x01, 0x00, 0x00, 0x38, 0x0f, 0x40, 0x3f, 0x94, 0x73, 0x97, 0x80, 0x57, 0xbd, 0x83,
	0xd5, 0xcb, 0x98, 0xf4, 0x22, 0x7a, 0x01, 0x06, 0x6e, 0x65, 0x6d, 0x6f, 0x02, 0x12,
	0x0d, 0xbe, 0x70, 0x8d, 0x93, 0xd4, 0x13, 0xce, 0x31, 0x96, 0xe4, 0x3f, 0x78, 0x2a,
	0x0a, 0xee, 0x04, 0x06, 0xc0, 0xa8, 0x01, 0x10, 0x05, 0x06, 0x00, 0x00, 0x00, 0x03};
static uint8_t const rfc71_accept[38] = {
	0x02, 0x00, 0x00, 0x26, 0x86, 0xfe, 0x22, 0x0e, 0x76, 0x24, 0xba, 0x2a, 0x10,
	0x05, 0xf6, 0xbf, 0x9b, 0x55, 0xe0, 0xb2, 0x06, 0x06, 0x00, 0x00, 0x00, 0x01,
	0x0f, 0x06, 0x00, 0x00, 0x00, 0x00, 0x0e, 0x06, 0xc0, 0xa8, 0x01, 0x03};

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

static struct rad_packet *decode_ok(uint8_t const *buf, size_t len)
{
	enum rad_decode_error why;
	struct rad_packet *p = rad_packet_decode(ctx, NULL, buf, len, &why);

	ck_assert_msg(p != NULL, "decode: %s", rad_decode_error_name(why));
	return p;
}

START_TEST(test_rfc2865_71_request_encodes_exactly)
{
	struct rad_packet *p = rad_packet_new(ctx, NULL, RAD_ACCESS_REQUEST, 0);
	uint8_t nas_ip[4] = {192, 168, 1, 16}, port[4] = {0, 0, 0, 3}, buf[RAD_MAX_LEN];

	memcpy(p->vector, ra71, 16);
	ck_assert_int_eq(rad_attr_add(p, 0, RAD_ATTR_USER_NAME, "nemo", 4), 0);
	ck_assert_int_eq(rad_attr_add(p, 0, RAD_ATTR_USER_PASSWORD, "arctangent", 10), 0);
	ck_assert_int_eq(rad_attr_add(p, 0, RAD_ATTR_NAS_IP_ADDRESS, nas_ip, 4), 0);
	ck_assert_int_eq(rad_attr_add(p, 0, RAD_ATTR_NAS_PORT, port, 4), 0);
	ck_assert_int_eq(rad_packet_encode(p, buf, sizeof(buf), SECRET, NULL, 0), 56);
	ck_assert_mem_eq(buf, rfc71_request, 56);
	talloc_free(p);
}
END_TEST

START_TEST(test_rfc2865_71_accept_authenticator)
{
	struct rad_packet *p = rad_packet_new(ctx, NULL, RAD_ACCESS_ACCEPT, 0);
	uint8_t st[4] = {0, 0, 0, 1}, ls[4] = {0}, host[4] = {192, 168, 1, 3}, buf[100];

	ck_assert_int_eq(rad_attr_add(p, 0, RAD_ATTR_SERVICE_TYPE, st, 4), 0);
	ck_assert_int_eq(rad_attr_add(p, 0, 15, ls, 4), 0);
	ck_assert_int_eq(rad_attr_add(p, 0, 14, host, 4), 0);
	ck_assert_int_eq(rad_packet_encode(p, buf, sizeof(buf), SECRET, ra71, 0), 38);
	ck_assert_mem_eq(buf, rfc71_accept, 38);
	ck_assert_mem_eq(p->vector, rfc71_accept + 4, 16);
	/* A response needs the request's authenticator. */
	ck_assert_int_eq(rad_packet_encode(p, buf, sizeof(buf), SECRET, NULL, 0), -1);
	talloc_free(p);

	p = decode_ok(rfc71_accept, sizeof(rfc71_accept));
	ck_assert(rad_response_auth_ok(p, ra71, SECRET));
	ck_assert(!rad_response_auth_ok(p, ra71, (uint8_t const *)"xyzzy5462", 9));
	ck_assert(!rad_request_auth_ok(p, SECRET));
	talloc_free(p);
}
END_TEST

START_TEST(test_rfc2865_71_unhide_password)
{
	struct rad_packet *p = decode_ok(rfc71_request, sizeof(rfc71_request));
	struct rad_attr const *a = rad_attr_find(p, 0, RAD_ATTR_USER_PASSWORD);
	uint8_t pw[128];

	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(rad_password_unhide(pw, sizeof(pw), a->value, a->len, SECRET, p->vector),
			 10);
	ck_assert_mem_eq(pw, "arctangent", 10);
	ck_assert_int_eq(p->ma_offset, -1);
	ck_assert_int_eq(rad_packet_check_ma(p, SECRET, NULL), RAD_MA_ABSENT);
	ck_assert_ptr_null(rad_attr_find(p, 0, RAD_ATTR_STATE));
	talloc_free(p);
}
END_TEST

START_TEST(test_password_hide_limits)
{
	uint8_t pw[200] = {0}, out[256];

	memset(pw, 'x', sizeof(pw));
	ck_assert_int_eq(rad_password_hide(out, sizeof(out), pw, 128, SECRET, ra71), 128);
	ck_assert_int_eq(rad_password_unhide(out, sizeof(out), out, 128, SECRET, ra71), 128);
	ck_assert_mem_eq(out, pw, 128);
	ck_assert_int_eq(rad_password_hide(out, sizeof(out), pw, 129, SECRET, ra71), -1);
	ck_assert_int_eq(rad_password_hide(out, 16, pw, 17, SECRET, ra71), -1);
	ck_assert_int_eq(rad_password_unhide(out, sizeof(out), pw, 0, SECRET, ra71), -1);
	ck_assert_int_eq(rad_password_unhide(out, sizeof(out), pw, 15, SECRET, ra71), -1);
	ck_assert_int_eq(rad_password_unhide(out, sizeof(out), pw, 144, SECRET, ra71), -1);
	ck_assert_int_eq(rad_password_unhide(out, 15, pw, 16, SECRET, ra71), -1);
}
END_TEST

START_TEST(test_salted_roundtrip_and_errors)
{
	uint8_t key[32], out[256], back[256];
	ssize_t n;
	size_t i;

	for (i = 0; i < sizeof(key); i++) key[i] = (uint8_t)(i * 13);
	/* salt 0: a random salt with the high bit set (RFC 2868 3.5) */
	n = rad_salted_hide(out, sizeof(out), key, sizeof(key), SECRET, ra71, 0);
	ck_assert_int_eq(n, 2 + 48);
	ck_assert(out[0] & 0x80);
	ck_assert_int_eq(rad_salted_unhide(back, sizeof(back), out, (size_t)n, SECRET, ra71), 32);
	ck_assert_mem_eq(back, key, 32);
	/* a salt without the high bit gets it */
	n = rad_salted_hide(out, sizeof(out), key, 15, SECRET, ra71, 0x0102);
	ck_assert_int_eq(n, 18);
	ck_assert_uint_eq(out[0], 0x81);
	ck_assert_uint_eq(out[1], 0x02);
	ck_assert_int_eq(rad_salted_unhide(back, 14, out, 18, SECRET, ra71), -1);	/* cap */
	ck_assert_int_eq(rad_salted_unhide(back, sizeof(back), out, 17, SECRET, ra71), -1);
	ck_assert_int_eq(rad_salted_unhide(back, sizeof(back), out, 2, SECRET, ra71), -1);
	ck_assert_int_eq(rad_salted_hide(out, 17, key, 15, SECRET, ra71, 1), -1);
	/* wrong secret: the length octet is garbage, usually too big */
	n = rad_salted_unhide(back, sizeof(back), out, 18, (uint8_t const *)"x", 1, ra71);
	ck_assert(n != 15 || memcmp(back, key, 15) != 0);
}
END_TEST

/*
 * RFC 2868 3.5 / RFC 2548 2.4.2: the salts of one packet differ. 150 salted attributes per
 * packet, 100 packets: with independent random 15-bit salts a repeat would be near certain
 * (about one packet in three would have one).
 */
START_TEST(test_salts_unique_in_packet)
{
	uint8_t buf[RAD_MAX_LEN], tagged[2] = {1, 'k'};
	int round, i, repeats = 0, malformed = 0;

	for (round = 0; round < 100; round++) {
		struct rad_packet *p = rad_packet_new(ctx, NULL, RAD_ACCESS_ACCEPT, 1);
		uint8_t seen[32768 / 8] = {0};
		ssize_t n;
		size_t off = 20;

		ck_assert_ptr_nonnull(p);
		for (i = 0; i < 150; i++)
			ck_assert_int_eq(rad_attr_add(p, 0, RAD_ATTR_TUNNEL_PASSWORD, tagged, 2), 0);
		n = rad_packet_encode(p, buf, sizeof(buf), SECRET, ra71, 0);
		ck_assert_int_eq(n, 20 + 150 * 21);
		/* plain loops, one assertion at the end: Check's assertions are slow under ASan */
		for (i = 0; i < 150; i++) {	/* type, length, tag, salt(2), 16 octets */
			unsigned salt = (unsigned)((buf[off + 3] << 8) | buf[off + 4]) & 0x7fff;

			if (buf[off] != RAD_ATTR_TUNNEL_PASSWORD || buf[off + 1] != 21 ||
			    !(buf[off + 3] & 0x80))
				malformed++;
			if (seen[salt / 8] & (1u << (salt % 8)))
				repeats++;
			seen[salt / 8] |= (uint8_t)(1u << (salt % 8));
			off += 21;
		}
		talloc_free(p);
	}
	ck_assert_int_eq(malformed, 0);
	ck_assert_int_eq(repeats, 0);
}
END_TEST

/* rad_random: small requests from the per-thread buffer, large ones straight from OpenSSL. */
START_TEST(test_random)
{
	uint8_t a[16], b[16], big[200], zero[200] = {0};
	int i;

	for (i = 0; i < 100; i++) {	/* crosses several buffer refills */
		ck_assert_int_eq(rad_random(a, sizeof(a)), 0);
		ck_assert_int_eq(rad_random(b, sizeof(b)), 0);
		ck_assert(memcmp(a, b, sizeof(a)) != 0);
	}
	ck_assert_int_eq(rad_random(big, sizeof(big)), 0);
	ck_assert(memcmp(big, zero, sizeof(big)) != 0);
	ck_assert_int_eq(rad_random(big, 0), 0);
}
END_TEST

START_TEST(test_ma_access_request)
{
	struct rad_packet *p = rad_packet_new(ctx, NULL, RAD_ACCESS_REQUEST, 42), *d;
	uint8_t eap[] = {2, 1, 0, 9, 1, 'n', 'e', 'm', 'o'}, buf[RAD_MAX_LEN], save;
	ssize_t n;

	memcpy(p->vector, ra71, 16);
	ck_assert_int_eq(rad_attr_add(p, 0, RAD_ATTR_USER_NAME, "nemo", 4), 0);
	ck_assert_int_eq(rad_attr_add(p, 0, RAD_ATTR_EAP_MESSAGE, eap, sizeof(eap)), 0);
	n = rad_packet_encode(p, buf, sizeof(buf), SECRET, NULL, RAD_ENC_ADD_MA);
	ck_assert_int_eq(n, 20 + 18 + 6 + 11);
	ck_assert_uint_eq(buf[20], RAD_ATTR_MESSAGE_AUTHENTICATOR);	/* first attribute */
	ck_assert_mem_eq(buf + 4, ra71, 16);	/* Access-Request keeps its vector */
	d = decode_ok(buf, (size_t)n);
	ck_assert_int_eq(d->ma_offset, 22);
	ck_assert_uint_eq(d->n_attrs, 3);
	ck_assert_int_eq(rad_packet_check_ma(d, SECRET, NULL), RAD_MA_VALID);
	ck_assert_int_eq(rad_packet_check_ma(d, (uint8_t const *)"other", 5, NULL), RAD_MA_INVALID);
	/* tampering anywhere is detected: an attribute octet, the id, the authenticator */
	d->data[d->data_len - 1] ^= 1;
	ck_assert_int_eq(rad_packet_check_ma(d, SECRET, NULL), RAD_MA_INVALID);
	d->data[d->data_len - 1] ^= 1;
	save = d->data[1];
	d->data[1] = 43;
	ck_assert_int_eq(rad_packet_check_ma(d, SECRET, NULL), RAD_MA_INVALID);
	d->data[1] = save;
	d->data[10] ^= 0x80;
	ck_assert_int_eq(rad_packet_check_ma(d, SECRET, NULL), RAD_MA_INVALID);
	d->data[10] ^= 0x80;
	ck_assert_int_eq(rad_packet_check_ma(d, SECRET, NULL), RAD_MA_VALID);
	talloc_free(d);

	/* Re-encoding with ADD_MA replaces the old MA instead of adding a second one. */
	d = decode_ok(buf, (size_t)n);
	ck_assert_int_eq(rad_packet_encode(d, buf, sizeof(buf), SECRET, NULL, RAD_ENC_ADD_MA), n);
	talloc_free(d);
	talloc_free(p);
}
END_TEST

START_TEST(test_ma_response)
{
	struct rad_packet *p = rad_packet_new(ctx, NULL, RAD_ACCESS_CHALLENGE, 42), *d;
	uint8_t eap[] = {1, 2, 0, 6, 13, 0x20}, buf[RAD_MAX_LEN], other[16] = {1};
	ssize_t n;

	ck_assert_int_eq(rad_attr_add(p, 0, RAD_ATTR_EAP_MESSAGE, eap, sizeof(eap)), 0);
	ck_assert_int_eq(rad_attr_add(p, 0, RAD_ATTR_STATE, "st", 2), 0);
	n = rad_packet_encode(p, buf, sizeof(buf), SECRET, ra71, RAD_ENC_ADD_MA);
	ck_assert_int_gt(n, 0);
	d = decode_ok(buf, (size_t)n);
	ck_assert(rad_response_auth_ok(d, ra71, SECRET));
	ck_assert_int_eq(rad_packet_check_ma(d, SECRET, ra71), RAD_MA_VALID);
	ck_assert_int_eq(rad_packet_check_ma(d, SECRET, other), RAD_MA_INVALID);
	ck_assert_int_eq(rad_packet_check_ma(d, SECRET, NULL), RAD_MA_INVALID);
	ck_assert_mem_eq(d->vector, p->vector, 16);
	talloc_free(d);
	talloc_free(p);
}
END_TEST

/* Accounting-, CoA- and Disconnect-Request: computed Request Authenticator, MA optional. */
START_TEST(test_computed_request_authenticators)
{
	static uint8_t const codes[] = {RAD_ACCOUNTING_REQUEST, RAD_COA_REQUEST,
					RAD_DISCONNECT_REQUEST};
	uint8_t buf[RAD_MAX_LEN], status[4] = {0, 0, 0, 1};
	unsigned flags;
	size_t i;

	for (i = 0; i < sizeof(codes); i++) {
		for (flags = 0; flags <= RAD_ENC_ADD_MA; flags++) {
			struct rad_packet *p = rad_packet_new(ctx, NULL, codes[i], (uint8_t)i), *d;
			ssize_t n;

			ck_assert_int_eq(rad_attr_add(p, 0, RAD_ATTR_USER_NAME, "bob", 3), 0);
			ck_assert_int_eq(rad_attr_add(p, 0, RAD_ATTR_ACCT_STATUS_TYPE, status, 4), 0);
			n = rad_packet_encode(p, buf, sizeof(buf), SECRET, NULL, flags);
			ck_assert_int_gt(n, 0);
			d = decode_ok(buf, (size_t)n);
			ck_assert(rad_request_auth_ok(d, SECRET));
			ck_assert(!rad_request_auth_ok(d, (uint8_t const *)"nope", 4));
			ck_assert_int_eq(rad_packet_check_ma(d, SECRET, NULL),
					 flags ? RAD_MA_VALID : RAD_MA_ABSENT);
			d->data[d->data_len - 1] ^= 1;
			ck_assert(!rad_request_auth_ok(d, SECRET));
			talloc_free(d);
			talloc_free(p);
		}
	}
}
END_TEST

START_TEST(test_status_server_and_acct_response)
{
	struct rad_packet *p = rad_packet_new(ctx, NULL, RAD_STATUS_SERVER, 7), *d;
	uint8_t buf[RAD_MAX_LEN];
	ssize_t n;

	memcpy(p->vector, ra71, 16);
	n = rad_packet_encode(p, buf, sizeof(buf), SECRET, NULL, RAD_ENC_ADD_MA);
	ck_assert_int_eq(n, 38);
	d = decode_ok(buf, (size_t)n);
	ck_assert_int_eq(rad_packet_check_ma(d, SECRET, NULL), RAD_MA_VALID);
	talloc_free(d);
	talloc_free(p);

	p = rad_packet_new(ctx, NULL, RAD_ACCOUNTING_RESPONSE, 7);
	n = rad_packet_encode(p, buf, sizeof(buf), SECRET, ra71, 0);
	ck_assert_int_eq(n, 20);
	d = decode_ok(buf, (size_t)n);
	ck_assert(rad_response_auth_ok(d, ra71, SECRET));
	talloc_free(d);
	talloc_free(p);
}
END_TEST

START_TEST(test_eap_message_split_and_join)
{
	struct rad_packet *p = rad_packet_new(ctx, NULL, RAD_ACCESS_CHALLENGE, 1), *d;
	uint8_t eap[1000], buf[RAD_MAX_LEN];
	struct rad_attr const *a;
	size_t i, off, pieces = 0;
	ssize_t n;

	for (i = 0; i < sizeof(eap); i++) eap[i] = (uint8_t)(i * 31 + 7);
	ck_assert_int_eq(rad_attr_add(p, 0, RAD_ATTR_EAP_MESSAGE, eap, sizeof(eap)), 0);
	ck_assert_int_eq(rad_attr_add(p, 0, RAD_ATTR_STATE, "s", 1), 0);
	n = rad_packet_encode(p, buf, sizeof(buf), SECRET, ra71, RAD_ENC_ADD_MA);
	ck_assert_int_eq(n, 20 + 18 + 4 * 2 + 1000 + 3);
	for (off = 38; off < (size_t)n; off += buf[off + 1]) {
		if (buf[off] != RAD_ATTR_EAP_MESSAGE) continue;
		pieces++;
		ck_assert_uint_eq(buf[off + 1], pieces < 4 ? 255 : 2 + 1000 - 3 * 253);
	}
	ck_assert_uint_eq(pieces, 4);
	d = decode_ok(buf, (size_t)n);
	ck_assert_uint_eq(d->n_attrs, 3);
	a = rad_attr_find(d, 0, RAD_ATTR_EAP_MESSAGE);
	ck_assert_ptr_nonnull(a);
	ck_assert_uint_eq(a->len, 1000);
	ck_assert_mem_eq(a->value, eap, 1000);
	ck_assert_int_eq(rad_packet_check_ma(d, SECRET, ra71), RAD_MA_VALID);
	/* and back out again, byte for byte */
	ck_assert_int_eq(rad_packet_encode(d, buf + 2048, 2048, SECRET, ra71, RAD_ENC_ADD_MA), n);
	ck_assert_mem_eq(buf, buf + 2048, (size_t)n);
	talloc_free(d);
	talloc_free(p);
}
END_TEST

START_TEST(test_encode_errors)
{
	struct rad_packet *p = rad_packet_new(ctx, NULL, RAD_ACCESS_REQUEST, 1);
	uint8_t big[300] = {0}, buf[RAD_MAX_LEN];
	int i;

	ck_assert_int_eq(rad_attr_add(p, 0, RAD_ATTR_REPLY_MESSAGE, big, 254), 0);
	ck_assert_int_eq(rad_packet_encode(p, buf, sizeof(buf), SECRET, NULL, 0), -1);
	p->attrs[0].len = 253;
	ck_assert_int_eq(rad_packet_encode(p, buf, sizeof(buf), SECRET, NULL, 0), 20 + 255);
	/* does not fit the caller's buffer: an error, not a truncated packet */
	ck_assert_int_eq(rad_packet_encode(p, buf, 274, SECRET, NULL, 0), -1);
	ck_assert_int_eq(rad_packet_encode(p, buf, 19, SECRET, NULL, 0), -1);
	ck_assert_int_eq(rad_packet_encode(p, buf, 20 + 255 + 17, SECRET, NULL, RAD_ENC_ADD_MA), -1);
	/* nor 4096 octets */
	for (i = 0; i < 16; i++) ck_assert_int_eq(rad_attr_add(p, 0, 25, big, 253), 0);
	ck_assert_int_eq(rad_packet_encode(p, buf, sizeof(buf), SECRET, NULL, 0), -1);
	ck_assert_int_eq(rad_attr_add(p, 0, 256, big, 1), -1);
	ck_assert_int_eq(rad_attr_add(p, 0, 1, NULL, 1), -1);
	ck_assert_int_eq(rad_attr_add(p, 0, 1, big, RAD_MAX_LEN + 1), -1);
	talloc_free(p);

	/* User-Password over 128 octets cannot be hidden */
	p = rad_packet_new(ctx, NULL, RAD_ACCESS_REQUEST, 1);
	ck_assert_int_eq(rad_attr_add(p, 0, RAD_ATTR_USER_PASSWORD, big, 129), 0);
	ck_assert_int_eq(rad_packet_encode(p, buf, sizeof(buf), SECRET, NULL, 0), -1);
	talloc_free(p);
}
END_TEST

START_TEST(test_vsa_and_salted_attributes)
{
	struct rad_packet *p = rad_packet_new(ctx, NULL, RAD_ACCESS_ACCEPT, 9), *d;
	uint8_t key[32], tp[] = {3, 's', 'e', 'c', 'r', 'e', 't'}, buf[RAD_MAX_LEN], out[256];
	struct rad_attr const *a;
	size_t i;
	ssize_t n;

	for (i = 0; i < sizeof(key); i++) key[i] = (uint8_t)i;
	ck_assert_int_eq(rad_attr_add(p, RAD_VENDOR_MICROSOFT, RAD_MS_MPPE_SEND_KEY, key, 32), 0);
	ck_assert_int_eq(rad_attr_add(p, RAD_VENDOR_MICROSOFT, 26, "ok", 2), 0);
	ck_assert_int_eq(rad_attr_add(p, 0, RAD_ATTR_TUNNEL_PASSWORD, tp, sizeof(tp)), 0);
	ck_assert_int_eq(rad_attr_add(p, 12345, 300, "x", 1), 0);	/* 1,1 format: too big */
	ck_assert_int_eq(rad_packet_encode(p, buf, sizeof(buf), SECRET, ra71, RAD_ENC_ADD_MA), -1);
	p->n_attrs--;
	n = rad_packet_encode(p, buf, sizeof(buf), SECRET, ra71, RAD_ENC_ADD_MA);
	ck_assert_int_gt(n, 0);
	d = decode_ok(buf, (size_t)n);
	ck_assert_int_eq(rad_packet_check_ma(d, SECRET, ra71), RAD_MA_VALID);
	a = rad_attr_find(d, RAD_VENDOR_MICROSOFT, RAD_MS_MPPE_SEND_KEY);
	ck_assert_ptr_nonnull(a);
	ck_assert_uint_eq(a->len, 2 + 48);
	ck_assert(a->value[0] & 0x80);
	ck_assert_int_eq(rad_salted_unhide(out, sizeof(out), a->value, a->len, SECRET, ra71), 32);
	ck_assert_mem_eq(out, key, 32);
	a = rad_attr_find(d, RAD_VENDOR_MICROSOFT, 26);
	ck_assert(a && a->len == 2 && memcmp(a->value, "ok", 2) == 0);
	a = rad_attr_find(d, 0, RAD_ATTR_TUNNEL_PASSWORD);
	ck_assert_ptr_nonnull(a);
	ck_assert_uint_eq(a->value[0], 3);	/* tag in clear before the salt */
	ck_assert_int_eq(rad_salted_unhide(out, sizeof(out), a->value + 1, a->len - 1, SECRET, ra71),
			 6);
	ck_assert_mem_eq(out, "secret", 6);
	talloc_free(d);
	talloc_free(p);
}
END_TEST

START_TEST(test_invalid_vsa_reencodes_raw)
{
	uint8_t pkt[] = {2, 1, 0, 32, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
			 26, 12, 0, 0, 1, 55, 11, 9, 'a', 'b', 'c', 'd'};
	uint8_t buf[100];
	struct rad_packet *d = decode_ok(pkt, sizeof(pkt));

	ck_assert_uint_eq(d->n_attrs, 1);
	ck_assert(d->attrs[0].invalid);
	ck_assert_int_eq(rad_packet_encode(d, buf, sizeof(buf), SECRET, ra71, 0), 32);
	ck_assert_mem_eq(buf + 20, pkt + 20, 12);
	talloc_free(d);
}
END_TEST

START_TEST(test_names)
{
	int e;

	ck_assert_str_eq(rad_code_name(RAD_ACCESS_REQUEST), "Access-Request");
	ck_assert_str_eq(rad_code_name(RAD_COA_NAK), "CoA-NAK");
	ck_assert_str_eq(rad_code_name(RAD_STATUS_SERVER), "Status-Server");
	ck_assert_str_eq(rad_code_name(6), "Unknown-Code");
	ck_assert_str_eq(rad_code_name(1000), "Unknown-Code");
	for (e = 0; e < RAD_DECODE_MAX; e++) {
		int f;

		ck_assert_ptr_nonnull(rad_decode_error_name(e));
		for (f = 0; f < e; f++)
			ck_assert_str_ne(rad_decode_error_name(e), rad_decode_error_name(f));
	}
	ck_assert_str_eq(rad_decode_error_name(RAD_DECODE_MAX), "unknown-error");
	ck_assert_str_eq(rad_decode_error_name(RAD_DECODE_DUP_MA), "dup-ma");
}
END_TEST

START_TEST(test_chap_arguments)
{
	uint8_t cp[17] = {0};

	ck_assert(!rad_chap_check(cp, 16, ra71, 16, (uint8_t const *)"pw", 2));
	ck_assert(!rad_chap_check(cp, 17, ra71, 0, (uint8_t const *)"pw", 2));
	ck_assert(!rad_chap_check(NULL, 17, ra71, 16, (uint8_t const *)"pw", 2));
	ck_assert(!rad_chap_check(cp, 17, ra71, 16, (uint8_t const *)"pw", 2));
}
END_TEST

static Suite *codec_suite(void)
{
	Suite *s = suite_create("radius_codec");
	TCase *tc = tcase_create("codec");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_rfc2865_71_request_encodes_exactly);
	tcase_add_test(tc, test_rfc2865_71_accept_authenticator);
	tcase_add_test(tc, test_rfc2865_71_unhide_password);
	tcase_add_test(tc, test_password_hide_limits);
	tcase_add_test(tc, test_salted_roundtrip_and_errors);
	tcase_add_test(tc, test_salts_unique_in_packet);
	tcase_add_test(tc, test_random);
	tcase_add_test(tc, test_ma_access_request);
	tcase_add_test(tc, test_ma_response);
	tcase_add_test(tc, test_computed_request_authenticators);
	tcase_add_test(tc, test_status_server_and_acct_response);
	tcase_add_test(tc, test_eap_message_split_and_join);
	tcase_add_test(tc, test_encode_errors);
	tcase_add_test(tc, test_vsa_and_salted_attributes);
	tcase_add_test(tc, test_invalid_vsa_reencodes_raw);
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_chap_arguments);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(codec_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
