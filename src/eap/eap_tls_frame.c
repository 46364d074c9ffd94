/*
 * EAP-TLS-style framing (RFC 5216 2.1.5 fragmentation, 3.1 Flags and TLS Message Length;
 * RFC 5281 9.1 and PEAP: version in the low Flags bits; RFC 9190 for TLS 1.3): reassembly
 * of incoming fragments and fragmentation of outgoing TLS messages, each an explicit state
 * machine with a named reason for every error. The Reserved Flags bits are ignored on
 * receipt (RFC 5216 sends them as zero; being liberal here costs nothing).
 */
#include "eap/eap_tls_frame.h"

#include "eap/eap.h"
#include "util/cursor.h"
#include "util/err.h"

#include <string.h>

static char const *const reason_names[EAP_TLS_FRAME_REASON_MAX] = {
	[EAP_TLS_FRAME_OK] = "ok",
	[EAP_TLS_FRAME_ERR_NO_FLAGS] = "no-flags",
	[EAP_TLS_FRAME_ERR_TRUNCATED_LENGTH] = "truncated-length",
	[EAP_TLS_FRAME_ERR_ZERO_LENGTH] = "zero-length",
	[EAP_TLS_FRAME_ERR_TOO_LONG] = "too-long",
	[EAP_TLS_FRAME_ERR_FIRST_WITHOUT_L] = "first-without-l",
	[EAP_TLS_FRAME_ERR_EMPTY_FRAGMENT] = "empty-fragment",
	[EAP_TLS_FRAME_ERR_BEYOND_DECLARED] = "beyond-declared",
	[EAP_TLS_FRAME_ERR_MORE_AFTER_COMPLETE] = "more-after-complete",
	[EAP_TLS_FRAME_ERR_SHORT] = "short",
	[EAP_TLS_FRAME_ERR_LENGTH_CHANGED] = "length-changed",
	[EAP_TLS_FRAME_ERR_UNEXPECTED_START] = "unexpected-start",
	[EAP_TLS_FRAME_ERR_START_WITH_DATA] = "start-with-data",
	[EAP_TLS_FRAME_ERR_UNEXPECTED_ACK] = "unexpected-ack",
	[EAP_TLS_FRAME_ERR_FAILED_STATE] = "failed-state",
	[EAP_TLS_FRAME_ERR_BAD_STATE] = "bad-state",
	[EAP_TLS_FRAME_ERR_MTU_TOO_SMALL] = "mtu-too-small",
	[EAP_TLS_FRAME_ERR_NO_SPACE] = "no-space",
	[EAP_TLS_FRAME_ERR_NO_MEMORY] = "no-memory",
};

char const *eap_tls_frame_reason_name(enum eap_tls_frame_reason r)
{
	if ((unsigned)r >= EAP_TLS_FRAME_REASON_MAX || !reason_names[r]) return "unknown-reason";
	return reason_names[r];
}

/* ---- incoming ---- */

struct eap_tls_rx {
	enum eap_tls_rx_state state;
	enum eap_tls_frame_reason reason;
	size_t max_len;	 /* cap on one message */
	size_t total;	 /* declared TLS Message Length of the message in progress */
	size_t got;	 /* octets stored so far */
	size_t cap;	 /* allocated size of buf */
	uint8_t *buf;	 /* child of rx; grows with the data actually received */
	uint8_t flags;	 /* of the last accepted frame */
};

/* One parsed frame: Flags, optional TLS Message Length, fragment. */
struct frame {
	uint8_t flags;
	bool has_len;
	uint32_t tls_len;
	uint8_t const *frag;
	size_t frag_len;
};

struct eap_tls_rx *eap_tls_rx_new(TALLOC_CTX *ctx, size_t max_len)
{
	struct eap_tls_rx *rx = talloc_zero(ctx, struct eap_tls_rx);

	if (!rx) {
		err_set("eap-tls: out of memory");
		return NULL;
	}
	rx->max_len = max_len ? max_len : EAP_TLS_MAX_MESSAGE_DEFAULT;
	return rx;
}

void eap_tls_rx_reset(struct eap_tls_rx *rx)
{
	TALLOC_FREE(rx->buf);
	rx->cap = rx->got = rx->total = 0;
	rx->state = EAP_TLS_RX_IDLE;
	rx->reason = EAP_TLS_FRAME_OK;
	rx->flags = 0;
}

static enum eap_tls_rx_event rx_fail(struct eap_tls_rx *rx, enum eap_tls_frame_reason r)
{
	TALLOC_FREE(rx->buf);
	rx->cap = rx->got = 0;
	rx->state = EAP_TLS_RX_FAILED;
	rx->reason = r;
	err_set("eap-tls: %s", eap_tls_frame_reason_name(r));
	return EAP_TLS_RX_ERROR;
}

/* Split Type-Data into a frame; RFC 5216 3.1: Flags, [TLS Message Length], TLS Data. */
static enum eap_tls_frame_reason frame_parse(struct frame *f, uint8_t const *data, size_t len)
{
	struct rcursor rc;

	memset(f, 0, sizeof(*f));
	if (!data) return EAP_TLS_FRAME_ERR_NO_FLAGS;
	rcursor_init(&rc, data, len);
	if (!rcursor_u8(&rc, &f->flags)) return EAP_TLS_FRAME_ERR_NO_FLAGS;
	if (f->flags & EAP_TLS_FLAG_L) {
		if (!rcursor_u32(&rc, &f->tls_len)) return EAP_TLS_FRAME_ERR_TRUNCATED_LENGTH;
		f->has_len = true;
	}
	f->frag_len = rcursor_left(&rc);
	f->frag = rc.p;
	return EAP_TLS_FRAME_OK;
}

/* Make room for frag_len more octets, never beyond limit (checked by the caller). */
static bool rx_grow(struct eap_tls_rx *rx, size_t frag_len, size_t limit)
{
	size_t need = rx->got + frag_len;
	size_t want;
	uint8_t *nb;

	if (need <= rx->cap) return true;
	want = rx->cap * 2 > need ? rx->cap * 2 : need;
	if (want > limit) want = limit;
	nb = talloc_realloc(rx, rx->buf, uint8_t, want);
	if (!nb) return false;
	rx->buf = nb;
	rx->cap = want;
	return true;
}

static enum eap_tls_rx_event rx_store(struct eap_tls_rx *rx, struct frame const *f,
				      size_t limit)
{
	if (f->frag_len) {
		if (!rx_grow(rx, f->frag_len, limit)) return rx_fail(rx, EAP_TLS_FRAME_ERR_NO_MEMORY);
		memcpy(rx->buf + rx->got, f->frag, f->frag_len);
		rx->got += f->frag_len;
	}
	rx->flags = f->flags;
	if (f->flags & EAP_TLS_FLAG_M) {
		rx->state = EAP_TLS_RX_MORE;
		return EAP_TLS_RX_NEED_MORE;
	}
	rx->state = EAP_TLS_RX_DONE;
	return EAP_TLS_RX_COMPLETE;
}

/* First (or only) frame of a message. */
static enum eap_tls_rx_event rx_first(struct eap_tls_rx *rx, struct frame const *f)
{
	bool more = f->flags & EAP_TLS_FLAG_M;

	if (f->flags & EAP_TLS_FLAG_S) {
		if (more || f->has_len || f->frag_len)
			return rx_fail(rx, EAP_TLS_FRAME_ERR_START_WITH_DATA);
		rx->flags = f->flags;
		return EAP_TLS_RX_START;
	}
	if (!f->has_len) {
		if (more) return rx_fail(rx, EAP_TLS_FRAME_ERR_FIRST_WITHOUT_L);
		if (f->frag_len == 0) {
			rx->flags = f->flags;
			return EAP_TLS_RX_ACK;
		}
		if (f->frag_len > rx->max_len) return rx_fail(rx, EAP_TLS_FRAME_ERR_TOO_LONG);
		rx->total = f->frag_len;
		return rx_store(rx, f, f->frag_len);
	}
	/* L present: check the declared length before allocating anything. */
	if (f->tls_len == 0) return rx_fail(rx, EAP_TLS_FRAME_ERR_ZERO_LENGTH);
	if (f->tls_len > rx->max_len) return rx_fail(rx, EAP_TLS_FRAME_ERR_TOO_LONG);
	if (more && f->frag_len == 0) return rx_fail(rx, EAP_TLS_FRAME_ERR_EMPTY_FRAGMENT);
	if (f->frag_len > f->tls_len) return rx_fail(rx, EAP_TLS_FRAME_ERR_BEYOND_DECLARED);
	if (more && f->frag_len == f->tls_len)
		return rx_fail(rx, EAP_TLS_FRAME_ERR_MORE_AFTER_COMPLETE);
	if (!more && f->frag_len < f->tls_len) return rx_fail(rx, EAP_TLS_FRAME_ERR_SHORT);
	rx->total = f->tls_len;
	return rx_store(rx, f, rx->total);
}

/* A later fragment of a message whose total length is known. */
static enum eap_tls_rx_event rx_next(struct eap_tls_rx *rx, struct frame const *f)
{
	bool more = f->flags & EAP_TLS_FLAG_M;
	size_t left = rx->total - rx->got;

	if (f->flags & EAP_TLS_FLAG_S) return rx_fail(rx, EAP_TLS_FRAME_ERR_UNEXPECTED_START);
	if (f->has_len && f->tls_len != rx->total)
		return rx_fail(rx, EAP_TLS_FRAME_ERR_LENGTH_CHANGED);
	if (f->frag_len == 0) {
		if (more) return rx_fail(rx, EAP_TLS_FRAME_ERR_EMPTY_FRAGMENT);
		if (!f->has_len) return rx_fail(rx, EAP_TLS_FRAME_ERR_UNEXPECTED_ACK);
		return rx_fail(rx, EAP_TLS_FRAME_ERR_SHORT);
	}
	if (f->frag_len > left) return rx_fail(rx, EAP_TLS_FRAME_ERR_BEYOND_DECLARED);
	if (more && f->frag_len == left) return rx_fail(rx, EAP_TLS_FRAME_ERR_MORE_AFTER_COMPLETE);
	if (!more && f->frag_len < left) return rx_fail(rx, EAP_TLS_FRAME_ERR_SHORT);
	return rx_store(rx, f, rx->total);
}

enum eap_tls_rx_event eap_tls_rx_feed(struct eap_tls_rx *rx, uint8_t const *data, size_t len)
{
	struct frame f;
	enum eap_tls_frame_reason r;

	if (rx->state == EAP_TLS_RX_FAILED) {
		err_set("eap-tls: %s", eap_tls_frame_reason_name(EAP_TLS_FRAME_ERR_FAILED_STATE));
		return EAP_TLS_RX_ERROR;
	}
	if (rx->state == EAP_TLS_RX_DONE) eap_tls_rx_reset(rx);
	r = frame_parse(&f, data, len);
	if (r != EAP_TLS_FRAME_OK) return rx_fail(rx, r);
	if (rx->state == EAP_TLS_RX_IDLE) return rx_first(rx, &f);
	return rx_next(rx, &f);
}

uint8_t const *eap_tls_rx_message(struct eap_tls_rx const *rx, size_t *len)
{
	if (rx->state != EAP_TLS_RX_DONE) {
		*len = 0;
		return NULL;
	}
	*len = rx->got;
	return rx->buf;
}

uint8_t eap_tls_rx_flags(struct eap_tls_rx const *rx)
{
	return rx->flags;
}

enum eap_tls_rx_state eap_tls_rx_state(struct eap_tls_rx const *rx)
{
	return rx->state;
}

enum eap_tls_frame_reason eap_tls_rx_reason(struct eap_tls_rx const *rx)
{
	return rx->reason;
}

/* ---- outgoing ---- */

struct eap_tls_tx {
	enum eap_tls_tx_state state;
	enum eap_tls_frame_reason reason;
	uint8_t *data;	    /* child of tx: the whole message */
	size_t len;
	size_t off;	    /* first octet not yet ACKed */
	size_t cur;	    /* data octets in the fragment handed out last */
	size_t max_eap;	    /* max EAP packet size */
	uint8_t version;
};

struct eap_tls_tx *eap_tls_tx_new(TALLOC_CTX *ctx)
{
	struct eap_tls_tx *tx = talloc_zero(ctx, struct eap_tls_tx);

	if (!tx) err_set("eap-tls: out of memory");
	return tx;
}

void eap_tls_tx_reset(struct eap_tls_tx *tx)
{
	TALLOC_FREE(tx->data);
	tx->len = tx->off = tx->cur = 0;
	tx->state = EAP_TLS_TX_IDLE;
	tx->reason = EAP_TLS_FRAME_OK;
}

/* Record r; a failure that leaves the queued message unusable also sets FAILED. */
static int tx_fail(struct eap_tls_tx *tx, enum eap_tls_frame_reason r, bool fatal)
{
	tx->reason = r;
	if (fatal) {
		TALLOC_FREE(tx->data);
		tx->state = EAP_TLS_TX_FAILED;
	}
	err_set("eap-tls: %s", eap_tls_frame_reason_name(r));
	return -1;
}

int eap_tls_tx_start(struct eap_tls_tx *tx, uint8_t const *data, size_t len,
		     size_t max_eap_size, uint8_t version)
{
	eap_tls_tx_reset(tx);
	if (max_eap_size < EAP_TLS_MIN_EAP_SIZE)
		return tx_fail(tx, EAP_TLS_FRAME_ERR_MTU_TOO_SMALL, true);
	if (len > UINT32_MAX) return tx_fail(tx, EAP_TLS_FRAME_ERR_TOO_LONG, true);
	if (len && !data) return tx_fail(tx, EAP_TLS_FRAME_ERR_BAD_STATE, true);
	if (len) {
		tx->data = talloc_memdup(tx, data, len);
		if (!tx->data) return tx_fail(tx, EAP_TLS_FRAME_ERR_NO_MEMORY, true);
	}
	tx->len = len;
	tx->max_eap = max_eap_size > EAP_MAX_LEN ? EAP_MAX_LEN : max_eap_size;
	tx->version = version & EAP_TLS_VERSION_MASK;
	tx->state = EAP_TLS_TX_READY;
	return 0;
}

ssize_t eap_tls_tx_fragment(struct eap_tls_tx *tx, uint8_t *out, size_t cap)
{
	struct wcursor wc;
	uint8_t flags = tx->version;
	size_t room, n;
	bool with_len;

	if (tx->state != EAP_TLS_TX_READY && tx->state != EAP_TLS_TX_WAIT_ACK &&
	    tx->state != EAP_TLS_TX_SENT)
		return tx_fail(tx, EAP_TLS_FRAME_ERR_BAD_STATE, false);
	/* max_eap >= EAP_TLS_MIN_EAP_SIZE (checked by start): room is at least 1 + L field. */
	room = tx->max_eap - EAP_TLS_FRAME_OVERHEAD;
	with_len = tx->len > room && tx->off == 0; /* fragmented, first fragment */
	if (with_len) room -= EAP_TLS_LEN_FIELD;
	n = tx->len - tx->off < room ? tx->len - tx->off : room;
	if (with_len) flags |= EAP_TLS_FLAG_L;
	if (tx->off + n < tx->len) flags |= EAP_TLS_FLAG_M;
	if (!out || cap < 1 + (with_len ? EAP_TLS_LEN_FIELD : 0) + n)
		return tx_fail(tx, EAP_TLS_FRAME_ERR_NO_SPACE, false);

	wcursor_init(&wc, out, cap);
	wcursor_u8(&wc, flags);
	if (with_len) wcursor_u32(&wc, (uint32_t)tx->len);
	if (n) wcursor_bytes(&wc, tx->data + tx->off, n);
	if (wc.bad) return tx_fail(tx, EAP_TLS_FRAME_ERR_NO_SPACE, false);
	tx->cur = n;
	tx->state = (flags & EAP_TLS_FLAG_M) ? EAP_TLS_TX_WAIT_ACK : EAP_TLS_TX_SENT;
	return (ssize_t)wcursor_used(&wc);
}

/*
 * An ACK is expected only after a fragment with M. An empty Response after the last
 * fragment is not an ACK but the peer's (empty) next message: the method decides; the
 * transmitter only refuses it and keeps its state.
 */
int eap_tls_tx_ack(struct eap_tls_tx *tx)
{
	if (tx->state != EAP_TLS_TX_WAIT_ACK)
		return tx_fail(tx, EAP_TLS_FRAME_ERR_UNEXPECTED_ACK, false);
	tx->off += tx->cur;
	tx->cur = 0;
	tx->state = EAP_TLS_TX_READY;
	return 0;
}

enum eap_tls_tx_state eap_tls_tx_state(struct eap_tls_tx const *tx)
{
	return tx->state;
}

enum eap_tls_frame_reason eap_tls_tx_reason(struct eap_tls_tx const *tx)
{
	return tx->reason;
}

static ssize_t flags_only(uint8_t *out, size_t cap, uint8_t flags)
{
	if (!out || cap < 1) {
		err_set("eap-tls: %s", eap_tls_frame_reason_name(EAP_TLS_FRAME_ERR_NO_SPACE));
		return -1;
	}
	out[0] = flags;
	return 1;
}

ssize_t eap_tls_ack_encode(uint8_t *out, size_t cap, uint8_t version)
{
	return flags_only(out, cap, version & EAP_TLS_VERSION_MASK);
}

ssize_t eap_tls_start_encode(uint8_t *out, size_t cap, uint8_t version)
{
	return flags_only(out, cap, EAP_TLS_FLAG_S | (version & EAP_TLS_VERSION_MASK));
}
