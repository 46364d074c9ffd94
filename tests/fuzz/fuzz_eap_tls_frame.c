// sources: src/eap/eap_tls_frame.c src/eap/eap_packet.c src/util/cursor.c src/util/err.c
/*
 * libFuzzer target for the EAP-TLS-style reassembler (RFC 5216 2.1.5): the input is a
 * configuration octet (message cap) then a sequence of frames, each a 2-octet big-endian
 * length and that many octets of Type-Data. Every complete message is sent back through
 * the fragmenter and a second reassembler and must come out identical; the invariants of
 * the state machine are checked after every frame.
 */
#include "eap/eap_tls_frame.h"

#include <stdlib.h>
#include <string.h>
#include <talloc.h>

int LLVMFuzzerTestOneInput(uint8_t const *data, size_t size);

/* Fragment msg at max_eap, reassemble it again, and compare. */
static void check_roundtrip(TALLOC_CTX *ctx, uint8_t const *msg, size_t len, size_t max_eap)
{
	struct eap_tls_tx *tx = eap_tls_tx_new(ctx);
	struct eap_tls_rx *rx = eap_tls_rx_new(ctx, len);
	uint8_t *out = talloc_array(ctx, uint8_t, max_eap);
	enum eap_tls_rx_event ev;
	uint8_t const *m;
	size_t ml;

	if (!tx || !rx || !out) abort();
	if (eap_tls_tx_start(tx, msg, len, max_eap, 0) < 0) abort();
	do {
		ssize_t n = eap_tls_tx_fragment(tx, out, max_eap);

		if (n <= 0 || (size_t)n + 5 > max_eap) abort();
		ev = eap_tls_rx_feed(rx, out, (size_t)n);
		if (ev == EAP_TLS_RX_NEED_MORE && eap_tls_tx_ack(tx) < 0) abort();
	} while (ev == EAP_TLS_RX_NEED_MORE);
	if (ev != EAP_TLS_RX_COMPLETE) abort();
	m = eap_tls_rx_message(rx, &ml);
	if (ml != len || memcmp(m, msg, len) != 0) abort();
	if (eap_tls_tx_state(tx) != EAP_TLS_TX_SENT) abort();
	talloc_free(tx);
	talloc_free(rx);
	talloc_free(out);
}

/* After every feed, the event and the state must agree. */
static void check_event(struct eap_tls_rx *rx, enum eap_tls_rx_event ev, size_t cap)
{
	enum eap_tls_rx_state st = eap_tls_rx_state(rx);
	size_t ml;

	switch (ev) {
	case EAP_TLS_RX_NEED_MORE:
		if (st != EAP_TLS_RX_MORE) abort();
		break;
	case EAP_TLS_RX_COMPLETE:
		if (st != EAP_TLS_RX_DONE || !eap_tls_rx_message(rx, &ml)) abort();
		if (ml == 0 || ml > cap) abort();
		break;
	case EAP_TLS_RX_ACK:
	case EAP_TLS_RX_START:
		if (st != EAP_TLS_RX_IDLE) abort();
		break;
	case EAP_TLS_RX_ERROR:
		if (st != EAP_TLS_RX_FAILED || eap_tls_rx_reason(rx) == EAP_TLS_FRAME_OK) abort();
		break;
	default:
		abort();
	}
}

int LLVMFuzzerTestOneInput(uint8_t const *data, size_t size)
{
	TALLOC_CTX *ctx;
	struct eap_tls_rx *rx;
	size_t cap, off = 1;

	if (size < 1) return 0;
	ctx = talloc_new(NULL);
	cap = data[0] ? (size_t)data[0] * 64 : 0; /* 0: the default 65536 */
	rx = eap_tls_rx_new(ctx, cap);
	if (!ctx || !rx) abort();
	if (!cap) cap = EAP_TLS_MAX_MESSAGE_DEFAULT;

	while (off + 2 <= size) {
		size_t n = ((size_t)data[off] << 8) | data[off + 1];
		enum eap_tls_rx_event ev;

		off += 2;
		if (n > size - off) n = size - off;
		ev = eap_tls_rx_feed(rx, data + off, n);
		off += n;
		check_event(rx, ev, cap);
		if (ev == EAP_TLS_RX_COMPLETE) {
			size_t ml;
			uint8_t const *m = eap_tls_rx_message(rx, &ml);

			check_roundtrip(ctx, m, ml, EAP_TLS_MIN_EAP_SIZE + (n % 1500));
		} else if (ev == EAP_TLS_RX_ERROR) {
			eap_tls_rx_reset(rx);
		}
		if (talloc_total_size(rx) > cap + 1024) abort(); /* bounded growth */
	}
	talloc_free(rx);
	if (talloc_total_blocks(ctx) != 1) abort(); /* leak */
	talloc_free(ctx);
	return 0;
}
