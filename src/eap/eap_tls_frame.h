/*
 * EAP-TLS-style framing shared by EAP-TLS, EAP-TTLS and PEAP (RFC 5216 2.1.5 and 3.1,
 * RFC 5281 9.1, RFC 9190): a Flags octet (L, M, S; TTLS and PEAP put a version in the
 * low bits), an optional 4-octet TLS Message Length, then a fragment of the TLS record
 * stream. Reassembly of incoming fragments (rx) and fragmentation of outgoing messages
 * (tx), with the ACK exchange between them. Bytes in, bytes out: no OpenSSL, no RADIUS.
 *
 * All buffers here are Type-Data: the octets after the EAP Type octet.
 */
#ifndef LATCHD_EAP_EAP_TLS_FRAME_H
#define LATCHD_EAP_EAP_TLS_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <talloc.h>

#define EAP_TLS_FLAG_L 0x80	/* TLS Message Length present */
#define EAP_TLS_FLAG_M 0x40	/* more fragments follow */
#define EAP_TLS_FLAG_S 0x20	/* EAP-TLS Start */
#define EAP_TLS_VERSION_MASK 0x07 /* TTLS/PEAP version bits (RFC 5281 9.1) */
#define EAP_TLS_LEN_FIELD 4

/* Default cap on one reassembled TLS message (RFC 5216 leaves it to the implementation). */
#define EAP_TLS_MAX_MESSAGE_DEFAULT 65536
/* EAP header (4) + Type (1) + Flags (1): overhead of every fragment. */
#define EAP_TLS_FRAME_OVERHEAD 6
/* Smallest usable max EAP packet size: overhead + length field + one octet of data. */
#define EAP_TLS_MIN_EAP_SIZE (EAP_TLS_FRAME_OVERHEAD + EAP_TLS_LEN_FIELD + 1)

/* Every reason a frame is rejected or an operation refused. */
enum eap_tls_frame_reason {
	EAP_TLS_FRAME_OK = 0,
	EAP_TLS_FRAME_ERR_NO_FLAGS,	     /* Type-Data empty: no Flags octet */
	EAP_TLS_FRAME_ERR_TRUNCATED_LENGTH,  /* L set but fewer than 4 octets follow */
	EAP_TLS_FRAME_ERR_ZERO_LENGTH,	     /* L set with a TLS Message Length of 0 */
	EAP_TLS_FRAME_ERR_TOO_LONG,	     /* declared or actual length above the cap */
	EAP_TLS_FRAME_ERR_FIRST_WITHOUT_L,   /* first of several fragments lacks L */
	EAP_TLS_FRAME_ERR_EMPTY_FRAGMENT,    /* M set on a fragment with no data */
	EAP_TLS_FRAME_ERR_BEYOND_DECLARED,   /* more data than the TLS Message Length */
	EAP_TLS_FRAME_ERR_MORE_AFTER_COMPLETE, /* M set although the declared length is reached */
	EAP_TLS_FRAME_ERR_SHORT,	     /* last fragment ends before the declared length */
	EAP_TLS_FRAME_ERR_LENGTH_CHANGED,    /* L repeated with a different value */
	EAP_TLS_FRAME_ERR_UNEXPECTED_START,  /* S outside the start of an exchange */
	EAP_TLS_FRAME_ERR_START_WITH_DATA,   /* S together with L, M or data */
	EAP_TLS_FRAME_ERR_UNEXPECTED_ACK,    /* ACK while fragments were expected, or unasked */
	EAP_TLS_FRAME_ERR_FAILED_STATE,	     /* a previous error; reset first */
	EAP_TLS_FRAME_ERR_BAD_STATE,	     /* call not valid in the current state */
	EAP_TLS_FRAME_ERR_MTU_TOO_SMALL,     /* max EAP packet size below EAP_TLS_MIN_EAP_SIZE */
	EAP_TLS_FRAME_ERR_NO_SPACE,	     /* output buffer too small */
	EAP_TLS_FRAME_ERR_NO_MEMORY,
	EAP_TLS_FRAME_REASON_MAX
};

char const *eap_tls_frame_reason_name(enum eap_tls_frame_reason r);

/* ---- incoming: reassembly ---- */

enum eap_tls_rx_state {
	EAP_TLS_RX_IDLE = 0, /* waiting for the first (or only) fragment of a message */
	EAP_TLS_RX_MORE,     /* inside a fragmented message: the caller ACKs, peer sends more */
	EAP_TLS_RX_DONE,     /* a whole message is available; the next feed starts anew */
	EAP_TLS_RX_FAILED,   /* an error was seen; only reset leaves this state */
};

/* What one fed frame amounted to. */
enum eap_tls_rx_event {
	EAP_TLS_RX_ERROR = -1,	  /* rejected: see eap_tls_rx_reason() */
	EAP_TLS_RX_NEED_MORE = 0, /* fragment stored: answer with an ACK */
	EAP_TLS_RX_COMPLETE,	  /* message complete: eap_tls_rx_message() */
	EAP_TLS_RX_ACK,		  /* an ACK (no L/M/S, no data): the peer wants our next fragment */
	EAP_TLS_RX_START,	  /* a Start (S, no data) */
};

struct eap_tls_rx;

/* New reassembler owned by ctx; max_len caps one message (0 = the default 65536). */
struct eap_tls_rx *eap_tls_rx_new(TALLOC_CTX *ctx, size_t max_len);

/*
 * Feed the Type-Data of one received EAP-TLS/TTLS/PEAP packet. Never trusts the frame:
 * every rule of RFC 5216 2.1.5 is checked, the buffer grows only as data arrives and never
 * past max_len. After an error the state is FAILED until eap_tls_rx_reset().
 */
enum eap_tls_rx_event eap_tls_rx_feed(struct eap_tls_rx *rx, uint8_t const *data, size_t len);

/* The reassembled message (state DONE), valid until the next feed or reset; else NULL. */
uint8_t const *eap_tls_rx_message(struct eap_tls_rx const *rx, size_t *len);

/* Flags octet of the last accepted frame (for S and the TTLS/PEAP version bits). */
uint8_t eap_tls_rx_flags(struct eap_tls_rx const *rx);

enum eap_tls_rx_state eap_tls_rx_state(struct eap_tls_rx const *rx);
enum eap_tls_frame_reason eap_tls_rx_reason(struct eap_tls_rx const *rx);
/* Back to IDLE, dropping any partial message and error. */
void eap_tls_rx_reset(struct eap_tls_rx *rx);

/* ---- outgoing: fragmentation ---- */

enum eap_tls_tx_state {
	EAP_TLS_TX_IDLE = 0, /* nothing queued */
	EAP_TLS_TX_READY,    /* a fragment is ready to be sent */
	EAP_TLS_TX_WAIT_ACK, /* a fragment with M was handed out; waiting for the peer's ACK */
	EAP_TLS_TX_SENT,     /* the last fragment was handed out; the peer answers anew */
	EAP_TLS_TX_FAILED,
};

struct eap_tls_tx;

struct eap_tls_tx *eap_tls_tx_new(TALLOC_CTX *ctx);

/*
 * Queue one TLS message (len may be 0: a frame with no data) to be sent in packets of at
 * most max_eap_size octets (the whole EAP packet, header included; e.g. from Framed-MTU).
 * version goes into the low Flags bits (0 for EAP-TLS). The data is copied.
 *
 * L choice: L is sent on the first fragment of a fragmented message only (RFC 5216 2.1.5
 * requires it there and allows it elsewhere); an unfragmented message goes without L,
 * which every peer must accept.
 */
int eap_tls_tx_start(struct eap_tls_tx *tx, uint8_t const *data, size_t len,
		     size_t max_eap_size, uint8_t version);

/*
 * Write the Type-Data of the current fragment into out. Calling it again before the ACK
 * writes the same fragment (a retransmission). Returns octets written or -1.
 */
ssize_t eap_tls_tx_fragment(struct eap_tls_tx *tx, uint8_t *out, size_t cap);

/* The peer ACKed the fragment handed out last: advance. -1 if no ACK was awaited. */
int eap_tls_tx_ack(struct eap_tls_tx *tx);

enum eap_tls_tx_state eap_tls_tx_state(struct eap_tls_tx const *tx);
enum eap_tls_frame_reason eap_tls_tx_reason(struct eap_tls_tx const *tx);
void eap_tls_tx_reset(struct eap_tls_tx *tx);

/* Type-Data of an ACK (Flags = version only) and of a Start (S | version). 1 or -1. */
ssize_t eap_tls_ack_encode(uint8_t *out, size_t cap, uint8_t version);
ssize_t eap_tls_start_encode(uint8_t *out, size_t cap, uint8_t version);

#endif
