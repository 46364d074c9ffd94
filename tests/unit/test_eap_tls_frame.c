/*
 * Unit tests for src/eap/eap_tls_frame.c: EAP-TLS-style reassembly and fragmentation
 * (RFC 5216 2.1.5, 3.1), with hostile frames: huge L, endless M, data beyond the declared
 * length, truncated headers, zero lengths.
 */
#include "eap/eap_tls_frame.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <talloc.h>

static TALLOC_CTX *ctx;
static struct eap_tls_rx *rx;

static void setup(void)
{
	ctx = talloc_new(NULL);
	ck_assert_ptr_nonnull(ctx);
	rx = eap_tls_rx_new(ctx, 0);
	ck_assert_ptr_nonnull(rx);
}

static void teardown(void)
{
	talloc_free(rx);
	ck_assert_uint_eq(talloc_total_blocks(ctx), 1); /* no children left: no leak */
	talloc_free(ctx);
}

/* Build a frame: flags, optional 4-octet length, n octets of pattern data. */
static size_t frame(uint8_t *out, uint8_t flags, uint32_t tls_len, size_t n, uint8_t seed)
{
	size_t o = 0;

	out[o++] = flags;
	if (flags & EAP_TLS_FLAG_L) {
		out[o++] = (uint8_t)(tls_len >> 24);
		out[o++] = (uint8_t)(tls_len >> 16);
		out[o++] = (uint8_t)(tls_len >> 8);
		out[o++] = (uint8_t)tls_len;
	}
	for (size_t i = 0; i < n; i++) out[o++] = (uint8_t)(seed + i);
	return o;
}

static void feed_expect(uint8_t const *f, size_t len, enum eap_tls_rx_event want)
{
	enum eap_tls_rx_event ev = eap_tls_rx_feed(rx, f, len);

	ck_assert_msg(ev == want, "event %d want %d (reason %s)", ev, want,
		      eap_tls_frame_reason_name(eap_tls_rx_reason(rx)));
}

static void feed_fail(uint8_t const *f, size_t len, enum eap_tls_frame_reason want)
{
	ck_assert_int_eq(eap_tls_rx_feed(rx, f, len), EAP_TLS_RX_ERROR);
	ck_assert_msg(eap_tls_rx_reason(rx) == want, "reason %s want %s",
		      eap_tls_frame_reason_name(eap_tls_rx_reason(rx)),
		      eap_tls_frame_reason_name(want));
	ck_assert_int_eq(eap_tls_rx_state(rx), EAP_TLS_RX_FAILED);
	eap_tls_rx_reset(rx);
}

START_TEST(test_rx_single)
{
	uint8_t f[64];
	uint8_t const *m;
	size_t n = frame(f, 0, 0, 10, 1), ml;

	feed_expect(f, n, EAP_TLS_RX_COMPLETE);
	ck_assert_int_eq(eap_tls_rx_state(rx), EAP_TLS_RX_DONE);
	m = eap_tls_rx_message(rx, &ml);
	ck_assert_uint_eq(ml, 10);
	ck_assert_int_eq(memcmp(m, f + 1, 10), 0);

	/* L on an unfragmented message is allowed (RFC 5216 2.1.5). */
	n = frame(f, EAP_TLS_FLAG_L, 20, 20, 7);
	feed_expect(f, n, EAP_TLS_RX_COMPLETE);
	m = eap_tls_rx_message(rx, &ml);
	ck_assert_uint_eq(ml, 20);
	ck_assert_int_eq(memcmp(m, f + 5, 20), 0);
}
END_TEST

START_TEST(test_rx_fragmented)
{
	uint8_t f[64], want[30];
	uint8_t const *m;
	size_t n, ml;

	for (int i = 0; i < 30; i++) want[i] = (uint8_t)(100 + i);
	n = frame(f, EAP_TLS_FLAG_L | EAP_TLS_FLAG_M, 30, 10, 100);
	feed_expect(f, n, EAP_TLS_RX_NEED_MORE);
	ck_assert_int_eq(eap_tls_rx_state(rx), EAP_TLS_RX_MORE);
	ck_assert_ptr_null(eap_tls_rx_message(rx, &ml));
	/* L repeated with the same value is fine. */
	n = frame(f, EAP_TLS_FLAG_L | EAP_TLS_FLAG_M, 30, 10, 110);
	feed_expect(f, n, EAP_TLS_RX_NEED_MORE);
	n = frame(f, 0, 0, 10, 120);
	feed_expect(f, n, EAP_TLS_RX_COMPLETE);
	m = eap_tls_rx_message(rx, &ml);
	ck_assert_uint_eq(ml, 30);
	ck_assert_int_eq(memcmp(m, want, 30), 0);

	/* The next feed after DONE starts a new message. */
	n = frame(f, 0, 0, 3, 1);
	feed_expect(f, n, EAP_TLS_RX_COMPLETE);
	m = eap_tls_rx_message(rx, &ml);
	ck_assert_uint_eq(ml, 3);
}
END_TEST

START_TEST(test_rx_truncated_and_zero)
{
	uint8_t f[16] = {EAP_TLS_FLAG_L, 0, 0, 0, 0};

	feed_fail(f, 0, EAP_TLS_FRAME_ERR_NO_FLAGS);
	feed_fail(NULL, 5, EAP_TLS_FRAME_ERR_NO_FLAGS);
	for (size_t n = 1; n < 5; n++) feed_fail(f, n, EAP_TLS_FRAME_ERR_TRUNCATED_LENGTH);
	feed_fail(f, 5, EAP_TLS_FRAME_ERR_ZERO_LENGTH);
	f[0] = EAP_TLS_FLAG_L | EAP_TLS_FLAG_M;
	feed_fail(f, 5, EAP_TLS_FRAME_ERR_ZERO_LENGTH);
	/* L=10, M, no data: an empty fragment. */
	f[4] = 10;
	feed_fail(f, 5, EAP_TLS_FRAME_ERR_EMPTY_FRAGMENT);
	/* L=10 and no M, no data: the message is short. */
	f[0] = EAP_TLS_FLAG_L;
	feed_fail(f, 5, EAP_TLS_FRAME_ERR_SHORT);
}
END_TEST

START_TEST(test_rx_huge_l_rejected_without_allocation)
{
	uint8_t f[16];
	size_t n = frame(f, EAP_TLS_FLAG_L | EAP_TLS_FLAG_M, 16u << 20, 8, 0);

	ck_assert_int_eq(eap_tls_rx_feed(rx, f, n), EAP_TLS_RX_ERROR);
	ck_assert_int_eq(eap_tls_rx_reason(rx), EAP_TLS_FRAME_ERR_TOO_LONG);
	ck_assert_uint_eq(talloc_total_blocks(rx), 1); /* nothing allocated for it */
	eap_tls_rx_reset(rx);
	n = frame(f, EAP_TLS_FLAG_L, 0xffffffffu, 8, 0);
	feed_fail(f, n, EAP_TLS_FRAME_ERR_TOO_LONG);
	n = frame(f, EAP_TLS_FLAG_L | EAP_TLS_FLAG_M, 65537, 8, 0);
	feed_fail(f, n, EAP_TLS_FRAME_ERR_TOO_LONG);
	n = frame(f, EAP_TLS_FLAG_L | EAP_TLS_FLAG_M, 65536, 8, 0);
	feed_expect(f, n, EAP_TLS_RX_NEED_MORE); /* exactly the cap is fine */
	/* The buffer grows with the data received, not with the claim. */
	ck_assert_uint_lt(talloc_total_size(rx), 1024);
}
END_TEST

START_TEST(test_rx_custom_cap)
{
	struct eap_tls_rx *small = eap_tls_rx_new(ctx, 100);
	uint8_t f[256];
	size_t n;

	n = frame(f, 0, 0, 101, 0); /* unfragmented, no L, above the cap */
	ck_assert_int_eq(eap_tls_rx_feed(small, f, n), EAP_TLS_RX_ERROR);
	ck_assert_int_eq(eap_tls_rx_reason(small), EAP_TLS_FRAME_ERR_TOO_LONG);
	eap_tls_rx_reset(small);
	n = frame(f, 0, 0, 100, 0);
	ck_assert_int_eq(eap_tls_rx_feed(small, f, n), EAP_TLS_RX_COMPLETE);
	n = frame(f, EAP_TLS_FLAG_L, 101, 101, 0);
	ck_assert_int_eq(eap_tls_rx_feed(small, f, n), EAP_TLS_RX_ERROR);
	ck_assert_int_eq(eap_tls_rx_reason(small), EAP_TLS_FRAME_ERR_TOO_LONG);
	talloc_free(small);
}
END_TEST

/* A peer that keeps sending M fragments is stopped at the declared length, never later. */
START_TEST(test_rx_endless_more)
{
	uint8_t f[1100];
	size_t n, sent = 0;
	int rounds = 0;
	enum eap_tls_rx_event ev;

	n = frame(f, EAP_TLS_FLAG_L | EAP_TLS_FLAG_M, 65536, 1000, 0);
	feed_expect(f, n, EAP_TLS_RX_NEED_MORE);
	sent = 1000;
	n = frame(f, EAP_TLS_FLAG_M, 0, 1000, 0);
	for (;;) {
		ev = eap_tls_rx_feed(rx, f, n);
		rounds++;
		if (ev != EAP_TLS_RX_NEED_MORE) break;
		sent += 1000;
		ck_assert_uint_le(talloc_total_size(rx), 65536 + 1024);
		ck_assert_int_lt(rounds, 100);
	}
	ck_assert_int_eq(ev, EAP_TLS_RX_ERROR);
	ck_assert_int_eq(eap_tls_rx_reason(rx), EAP_TLS_FRAME_ERR_BEYOND_DECLARED);
	ck_assert_uint_eq(sent, 65000);
	ck_assert_uint_eq(talloc_total_blocks(rx), 1); /* buffer released on error */
	/* Sticky: a valid frame is refused until reset. */
	n = frame(f, 0, 0, 5, 0);
	ck_assert_int_eq(eap_tls_rx_feed(rx, f, n), EAP_TLS_RX_ERROR);
	ck_assert_int_eq(eap_tls_rx_reason(rx), EAP_TLS_FRAME_ERR_BEYOND_DECLARED);
	eap_tls_rx_reset(rx);
	feed_expect(f, n, EAP_TLS_RX_COMPLETE);
}
END_TEST

START_TEST(test_rx_more_after_complete)
{
	uint8_t f[64];
	size_t n;

	n = frame(f, EAP_TLS_FLAG_L | EAP_TLS_FLAG_M, 10, 10, 0);
	feed_fail(f, n, EAP_TLS_FRAME_ERR_MORE_AFTER_COMPLETE);
	n = frame(f, EAP_TLS_FLAG_L | EAP_TLS_FLAG_M, 10, 4, 0);
	feed_expect(f, n, EAP_TLS_RX_NEED_MORE);
	n = frame(f, EAP_TLS_FLAG_M, 0, 6, 0);
	feed_fail(f, n, EAP_TLS_FRAME_ERR_MORE_AFTER_COMPLETE);
}
END_TEST

START_TEST(test_rx_beyond_declared)
{
	uint8_t f[64];
	size_t n;

	n = frame(f, EAP_TLS_FLAG_L, 10, 11, 0);
	feed_fail(f, n, EAP_TLS_FRAME_ERR_BEYOND_DECLARED);
	n = frame(f, EAP_TLS_FLAG_L | EAP_TLS_FLAG_M, 10, 11, 0);
	feed_fail(f, n, EAP_TLS_FRAME_ERR_BEYOND_DECLARED);
	n = frame(f, EAP_TLS_FLAG_L | EAP_TLS_FLAG_M, 10, 4, 0);
	feed_expect(f, n, EAP_TLS_RX_NEED_MORE);
	n = frame(f, 0, 0, 7, 0);
	feed_fail(f, n, EAP_TLS_FRAME_ERR_BEYOND_DECLARED);
}
END_TEST

START_TEST(test_rx_short_and_changed)
{
	uint8_t f[64];
	size_t n;

	n = frame(f, EAP_TLS_FLAG_L, 10, 9, 0);
	feed_fail(f, n, EAP_TLS_FRAME_ERR_SHORT);
	n = frame(f, EAP_TLS_FLAG_L | EAP_TLS_FLAG_M, 10, 4, 0);
	feed_expect(f, n, EAP_TLS_RX_NEED_MORE);
	n = frame(f, 0, 0, 5, 0);
	feed_fail(f, n, EAP_TLS_FRAME_ERR_SHORT);

	n = frame(f, EAP_TLS_FLAG_L | EAP_TLS_FLAG_M, 10, 4, 0);
	feed_expect(f, n, EAP_TLS_RX_NEED_MORE);
	n = frame(f, EAP_TLS_FLAG_L, 11, 6, 0);
	feed_fail(f, n, EAP_TLS_FRAME_ERR_LENGTH_CHANGED);

	n = frame(f, EAP_TLS_FLAG_L | EAP_TLS_FLAG_M, 10, 4, 0);
	feed_expect(f, n, EAP_TLS_RX_NEED_MORE);
	n = frame(f, EAP_TLS_FLAG_L, 10, 0, 0);
	feed_fail(f, n, EAP_TLS_FRAME_ERR_SHORT);
}
END_TEST

START_TEST(test_rx_first_without_l_and_empty_fragments)
{
	uint8_t f[64];
	size_t n;

	n = frame(f, EAP_TLS_FLAG_M, 0, 10, 0);
	feed_fail(f, n, EAP_TLS_FRAME_ERR_FIRST_WITHOUT_L);
	n = frame(f, EAP_TLS_FLAG_M, 0, 0, 0);
	feed_fail(f, n, EAP_TLS_FRAME_ERR_FIRST_WITHOUT_L);
	n = frame(f, EAP_TLS_FLAG_L | EAP_TLS_FLAG_M, 10, 4, 0);
	feed_expect(f, n, EAP_TLS_RX_NEED_MORE);
	n = frame(f, EAP_TLS_FLAG_M, 0, 0, 0);
	feed_fail(f, n, EAP_TLS_FRAME_ERR_EMPTY_FRAGMENT);
}
END_TEST

START_TEST(test_rx_ack_and_start)
{
	uint8_t f[64];
	size_t n;

	f[0] = 0;
	feed_expect(f, 1, EAP_TLS_RX_ACK);
	ck_assert_int_eq(eap_tls_rx_state(rx), EAP_TLS_RX_IDLE);
	f[0] = 0x01; /* TTLS version 1 ACK; reserved bits ignored */
	feed_expect(f, 1, EAP_TLS_RX_ACK);
	ck_assert_uint_eq(eap_tls_rx_flags(rx), 0x01);
	f[0] = EAP_TLS_FLAG_S | 0x01;
	feed_expect(f, 1, EAP_TLS_RX_START);
	ck_assert_uint_eq(eap_tls_rx_flags(rx) & EAP_TLS_VERSION_MASK, 1);
	n = frame(f, EAP_TLS_FLAG_S, 0, 3, 0);
	feed_fail(f, n, EAP_TLS_FRAME_ERR_START_WITH_DATA);
	n = frame(f, EAP_TLS_FLAG_S | EAP_TLS_FLAG_L, 3, 3, 0);
	feed_fail(f, n, EAP_TLS_FRAME_ERR_START_WITH_DATA);

	/* Inside a fragmented message, an ACK or a Start is a protocol error. */
	n = frame(f, EAP_TLS_FLAG_L | EAP_TLS_FLAG_M, 10, 4, 0);
	feed_expect(f, n, EAP_TLS_RX_NEED_MORE);
	f[0] = 0;
	feed_fail(f, 1, EAP_TLS_FRAME_ERR_UNEXPECTED_ACK);
	n = frame(f, EAP_TLS_FLAG_L | EAP_TLS_FLAG_M, 10, 4, 0);
	feed_expect(f, n, EAP_TLS_RX_NEED_MORE);
	f[0] = EAP_TLS_FLAG_S;
	feed_fail(f, 1, EAP_TLS_FRAME_ERR_UNEXPECTED_START);
}
END_TEST

START_TEST(test_tx_unfragmented)
{
	struct eap_tls_tx *tx = eap_tls_tx_new(ctx);
	uint8_t msg[95], out[128];

	memset(msg, 0xab, sizeof(msg));
	ck_assert_int_eq(eap_tls_tx_state(tx), EAP_TLS_TX_IDLE);
	ck_assert_int_eq(eap_tls_tx_fragment(tx, out, sizeof(out)), -1);
	ck_assert_int_eq(eap_tls_tx_reason(tx), EAP_TLS_FRAME_ERR_BAD_STATE);
	/* 94 + 6 = 100: exactly one packet, no L. */
	ck_assert_int_eq(eap_tls_tx_start(tx, msg, 94, 100, 0), 0);
	ck_assert_int_eq(eap_tls_tx_fragment(tx, out, sizeof(out)), 95);
	ck_assert_uint_eq(out[0], 0);
	ck_assert_int_eq(memcmp(out + 1, msg, 94), 0);
	ck_assert_int_eq(eap_tls_tx_state(tx), EAP_TLS_TX_SENT);
	/* Retransmission gives the same frame; an ACK now is refused, state kept. */
	ck_assert_int_eq(eap_tls_tx_fragment(tx, out, sizeof(out)), 95);
	ck_assert_int_eq(eap_tls_tx_ack(tx), -1);
	ck_assert_int_eq(eap_tls_tx_reason(tx), EAP_TLS_FRAME_ERR_UNEXPECTED_ACK);
	ck_assert_int_eq(eap_tls_tx_state(tx), EAP_TLS_TX_SENT);

	/* One octet more: two fragments, L on the first only. */
	ck_assert_int_eq(eap_tls_tx_start(tx, msg, 95, 100, 1), 0);
	ck_assert_int_eq(eap_tls_tx_fragment(tx, out, sizeof(out)), 100 - 4 - 1);
	ck_assert_uint_eq(out[0], EAP_TLS_FLAG_L | EAP_TLS_FLAG_M | 1);
	ck_assert_int_eq(memcmp(out + 1, "\0\0\0\x5f", 4), 0);
	ck_assert_int_eq(eap_tls_tx_state(tx), EAP_TLS_TX_WAIT_ACK);
	ck_assert_int_eq(eap_tls_tx_ack(tx), 0);
	ck_assert_int_eq(eap_tls_tx_fragment(tx, out, sizeof(out)), 1 + 5);
	ck_assert_uint_eq(out[0], 1);

	/* Empty message: Flags only. */
	ck_assert_int_eq(eap_tls_tx_start(tx, NULL, 0, 100, 0), 0);
	ck_assert_int_eq(eap_tls_tx_fragment(tx, out, sizeof(out)), 1);
	ck_assert_uint_eq(out[0], 0);
	talloc_free(tx);
}
END_TEST

START_TEST(test_tx_refusals)
{
	struct eap_tls_tx *tx = eap_tls_tx_new(ctx);
	uint8_t msg[300] = {0}, out[64];

	ck_assert_int_eq(eap_tls_tx_start(tx, msg, sizeof(msg), EAP_TLS_MIN_EAP_SIZE - 1, 0), -1);
	ck_assert_int_eq(eap_tls_tx_reason(tx), EAP_TLS_FRAME_ERR_MTU_TOO_SMALL);
	ck_assert_int_eq(eap_tls_tx_state(tx), EAP_TLS_TX_FAILED);
	ck_assert_int_eq(eap_tls_tx_start(tx, NULL, 5, 100, 0), -1);

	/* The smallest size: the first fragment carries L and one octet, later ones five. */
	ck_assert_int_eq(eap_tls_tx_start(tx, msg, 10, EAP_TLS_MIN_EAP_SIZE, 0), 0);
	ck_assert_int_eq(eap_tls_tx_fragment(tx, out, sizeof(out)), 6);
	ck_assert_uint_eq(out[0], EAP_TLS_FLAG_L | EAP_TLS_FLAG_M);
	ck_assert_int_eq(eap_tls_tx_ack(tx), 0);
	ck_assert_int_eq(eap_tls_tx_fragment(tx, out, sizeof(out)), 6);
	ck_assert_uint_eq(out[0], EAP_TLS_FLAG_M);
	ck_assert_int_eq(eap_tls_tx_ack(tx), 0);
	ck_assert_int_eq(eap_tls_tx_fragment(tx, out, sizeof(out)), 5);
	ck_assert_uint_eq(out[0], 0);
	ck_assert_int_eq(eap_tls_tx_state(tx), EAP_TLS_TX_SENT);

	/* Output buffer too small: refused, state kept, retry with room works. */
	ck_assert_int_eq(eap_tls_tx_start(tx, msg, 50, 100, 0), 0);
	ck_assert_int_eq(eap_tls_tx_fragment(tx, out, 50), -1);
	ck_assert_int_eq(eap_tls_tx_reason(tx), EAP_TLS_FRAME_ERR_NO_SPACE);
	ck_assert_int_eq(eap_tls_tx_state(tx), EAP_TLS_TX_READY);
	ck_assert_int_eq(eap_tls_tx_fragment(tx, NULL, 100), -1);
	ck_assert_int_eq(eap_tls_tx_fragment(tx, out, 51), 51);
	eap_tls_tx_reset(tx);
	ck_assert_int_eq(eap_tls_tx_state(tx), EAP_TLS_TX_IDLE);
	ck_assert_int_eq(eap_tls_tx_ack(tx), -1);

	ck_assert_int_eq(eap_tls_ack_encode(out, 1, 0x0f), 1);
	ck_assert_uint_eq(out[0], 0x07);
	ck_assert_int_eq(eap_tls_start_encode(out, 1, 0), 1);
	ck_assert_uint_eq(out[0], EAP_TLS_FLAG_S);
	ck_assert_int_eq(eap_tls_start_encode(out, 0, 0), -1);
	ck_assert_int_eq(eap_tls_ack_encode(NULL, 1, 0), -1);
	talloc_free(tx);
}
END_TEST

/* Send len octets through tx at max_eap, feed every frame to rx; check sizes and content. */
static void roundtrip(size_t len, size_t max_eap)
{
	struct eap_tls_tx *tx = eap_tls_tx_new(ctx);
	uint8_t *msg = talloc_array(ctx, uint8_t, len ? len : 1);
	uint8_t *out = talloc_array(ctx, uint8_t, max_eap);
	uint8_t const *m;
	size_t ml, frags = 0;
	enum eap_tls_rx_event ev;

	for (size_t i = 0; i < len; i++) msg[i] = (uint8_t)(i * 7 + len);
	ck_assert_int_eq(eap_tls_tx_start(tx, msg, len, max_eap, 0), 0);
	do {
		ssize_t n = eap_tls_tx_fragment(tx, out, max_eap);

		ck_assert_int_gt(n, 0);
		ck_assert_uint_le((size_t)n + 5, max_eap); /* + EAP header and Type */
		ck_assert((out[0] & EAP_TLS_FLAG_L) ? frags == 0 : true);
		ev = eap_tls_rx_feed(rx, out, (size_t)n);
		frags++;
		if (ev == EAP_TLS_RX_NEED_MORE) ck_assert_int_eq(eap_tls_tx_ack(tx), 0);
	} while (ev == EAP_TLS_RX_NEED_MORE);
	if (len == 0) {
		ck_assert_int_eq(ev, EAP_TLS_RX_ACK); /* an empty message looks like an ACK */
	} else {
		ck_assert_int_eq(ev, EAP_TLS_RX_COMPLETE);
		m = eap_tls_rx_message(rx, &ml);
		ck_assert_uint_eq(ml, len);
		ck_assert_int_eq(memcmp(m, msg, len), 0);
	}
	ck_assert_int_eq(eap_tls_tx_state(tx), EAP_TLS_TX_SENT);
	talloc_free(tx);
	talloc_free(msg);
	talloc_free(out);
}

START_TEST(test_roundtrip)
{
	static size_t const lens[] = {0, 1, 100, 1000, 1013, 1014, 1015, 4000, 16384, 65536};
	static size_t const mtus[] = {EAP_TLS_MIN_EAP_SIZE, 64, 1020, 1400, 65535, 100000};

	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		for (size_t j = 0; j < sizeof(mtus) / sizeof(mtus[0]); j++) {
			if (lens[i] > 5000 && mtus[j] < 100) continue; /* slow, nothing new */
			roundtrip(lens[i], mtus[j]);
		}
	}
}
END_TEST

START_TEST(test_names)
{
	for (int i = 0; i < EAP_TLS_FRAME_REASON_MAX; i++) {
		char const *n = eap_tls_frame_reason_name((enum eap_tls_frame_reason)i);

		ck_assert_str_ne(n, "unknown-reason");
		for (int j = 0; j < i; j++)
			ck_assert_str_ne(n, eap_tls_frame_reason_name((enum eap_tls_frame_reason)j));
	}
	ck_assert_str_eq(eap_tls_frame_reason_name(EAP_TLS_FRAME_REASON_MAX), "unknown-reason");
}
END_TEST

static Suite *frame_suite(void)
{
	Suite *s = suite_create("eap_tls_frame");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_rx_single);
	tcase_add_test(tc, test_rx_fragmented);
	tcase_add_test(tc, test_rx_truncated_and_zero);
	tcase_add_test(tc, test_rx_huge_l_rejected_without_allocation);
	tcase_add_test(tc, test_rx_custom_cap);
	tcase_add_test(tc, test_rx_endless_more);
	tcase_add_test(tc, test_rx_more_after_complete);
	tcase_add_test(tc, test_rx_beyond_declared);
	tcase_add_test(tc, test_rx_short_and_changed);
	tcase_add_test(tc, test_rx_first_without_l_and_empty_fragments);
	tcase_add_test(tc, test_rx_ack_and_start);
	tcase_add_test(tc, test_tx_unfragmented);
	tcase_add_test(tc, test_tx_refusals);
	tcase_add_test(tc, test_roundtrip);
	tcase_add_test(tc, test_names);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(frame_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
