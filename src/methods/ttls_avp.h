/*
 * Diameter AVPs as carried inside the EAP-TTLS tunnel (RFC 5281 10, RFC 6733 4.1): a strict
 * decoder of a buffer of AVPs, the mandatory-AVP rule (RFC 5281 10.1), EAP-Message joining,
 * lookups and a bounded encoder for the server's tunneled replies. Bytes in, bytes out:
 * no OpenSSL, no RADIUS.
 *
 *   AVP Code (4) | Flags (1) | AVP Length (3) | [Vendor-ID (4), only with V] | Data | pad
 *
 * AVP Length counts the header and the Data but not the padding to a multiple of 4.
 */
#ifndef LATCHD_METHODS_TTLS_AVP_H
#define LATCHD_METHODS_TTLS_AVP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <talloc.h>

#define TTLS_AVP_FLAG_V 0x80	    /* Vendor-ID present */
#define TTLS_AVP_FLAG_M 0x40	    /* mandatory: fail if not understood (RFC 5281 10.1) */
#define TTLS_AVP_FLAG_RESERVED 0x3f /* sent as 0; ignored (but recorded) on receipt */
#define TTLS_AVP_HDR_LEN 8
#define TTLS_AVP_HDR_LEN_VENDOR 12
#define TTLS_AVP_LENGTH_MAX 0xffffffu /* AVP Length is 24 bits */

/* Decoder caps: a tunneled message with more AVPs or octets than this is refused. */
#define TTLS_AVP_MAX_COUNT 256
#define TTLS_AVP_MAX_TOTAL 65536 /* same as the default cap on one reassembled TLS message */
/* Joined EAP-Message AVPs must fit one EAP packet (16-bit Length, RFC 3748 4.1). */
#define TTLS_AVP_EAP_MAX 65535

/* RADIUS attributes carried as AVPs of the same code, vendor 0 (RFC 5281 10.2). */
enum ttls_avp_code {
	TTLS_AVP_USER_NAME = 1,
	TTLS_AVP_USER_PASSWORD = 2,
	TTLS_AVP_CHAP_PASSWORD = 3,
	TTLS_AVP_REPLY_MESSAGE = 18,
	TTLS_AVP_CHAP_CHALLENGE = 60,
	TTLS_AVP_EAP_MESSAGE = 79,
};

/* Microsoft vendor AVPs (RFC 2548), sent with V set and Vendor-ID 311 (RFC 5281 11.2.4). */
#define TTLS_VENDOR_MICROSOFT 311
enum ttls_avp_ms_code {
	TTLS_AVP_MS_CHAP_RESPONSE = 1,
	TTLS_AVP_MS_CHAP_ERROR = 2,
	TTLS_AVP_MS_CHAP_CHALLENGE = 11,
	TTLS_AVP_MS_CHAP2_RESPONSE = 25,
	TTLS_AVP_MS_CHAP2_SUCCESS = 26,
};

/* Every reason a buffer is rejected or an operation refused. */
enum ttls_avp_reason {
	TTLS_AVP_OK = 0,
	TTLS_AVP_ERR_TRUNCATED_HEADER,	  /* fewer than 8 octets left for an AVP header */
	TTLS_AVP_ERR_LENGTH_ZERO,	  /* AVP Length 0 */
	TTLS_AVP_ERR_LENGTH_TOO_SHORT,	  /* AVP Length below the 8-octet header */
	TTLS_AVP_ERR_VENDOR_TOO_SHORT,	  /* V set but AVP Length below the 12-octet header */
	TTLS_AVP_ERR_LENGTH_EXCEEDS_DATA, /* AVP Length past the end of the buffer */
	TTLS_AVP_ERR_PADDING_TRUNCATED,	  /* octets follow an AVP but not its whole padding */
	TTLS_AVP_ERR_TOO_MANY,		  /* more than TTLS_AVP_MAX_COUNT AVPs */
	TTLS_AVP_ERR_TOO_LONG,		  /* buffer above TTLS_AVP_MAX_TOTAL octets */
	TTLS_AVP_ERR_UNKNOWN_MANDATORY,	  /* an AVP with M set the caller does not know */
	TTLS_AVP_ERR_JOIN_NONE,		  /* no AVP of the code to join */
	TTLS_AVP_ERR_JOIN_TOO_LONG,	  /* joined data above the caller's maximum */
	TTLS_AVP_ERR_ENCODE_TOO_LONG,	  /* data does not fit a 24-bit AVP Length */
	TTLS_AVP_ERR_ENCODE_NO_SPACE,	  /* output buffer too small (padding included) */
	TTLS_AVP_ERR_NO_MEMORY,
	TTLS_AVP_REASON_MAX
};

/* Stable short name for counters and logs ("length-exceeds-data"); never NULL. */
char const *ttls_avp_reason_name(enum ttls_avp_reason r);

/*
 * One decoded AVP. data points into the decoded buffer (no copy). vendor is 0 when V is
 * clear; flags is the Flags octet as received (reserved bits included).
 */
struct ttls_avp {
	uint32_t code;
	uint32_t vendor;
	uint8_t flags;
	uint8_t const *data;
	size_t len;
};

/* An AVP named by its (code, vendor) pair; vendor 0 is the RADIUS/IETF space. */
struct ttls_avp_id {
	uint32_t code;
	uint32_t vendor;
};

/* The AVPs of one tunneled message, in order. avp is a talloc child of the list. */
struct ttls_avp_list {
	struct ttls_avp *avp;
	size_t count;
	bool reserved_flags;	 /* some AVP had reserved Flags bits set (ignored) */
	bool unpadded_last;	 /* the last AVP came without its padding (accepted) */
};

static inline bool ttls_avp_is_mandatory(struct ttls_avp const *a)
{
	return (a->flags & TTLS_AVP_FLAG_M) != 0;
}

/*
 * Decode every AVP of buf (len octets, at most TTLS_AVP_MAX_TOTAL) into a list owned by ctx.
 * The list points into buf and is valid as long as buf is. An empty buffer gives an empty
 * list. Each AVP must be followed by its padding to a multiple of 4, except the last one:
 * RFC 6733 4.1 says to pad, but some peers leave the final padding out, and nothing can be
 * misread when no octet follows, so that is accepted and noted in unpadded_last. Padding
 * octets are not checked for zero. A V flag with Vendor-ID 0 is taken as the IETF space.
 * Returns NULL with *reason (may be NULL) and err_set() on any malformed AVP.
 */
struct ttls_avp_list *ttls_avp_decode(TALLOC_CTX *ctx, uint8_t const *buf, size_t len,
				      enum ttls_avp_reason *reason);

/* The first AVP with this code and vendor, or NULL. */
struct ttls_avp const *ttls_avp_find(struct ttls_avp_list const *l, uint32_t code,
				     uint32_t vendor);

/*
 * RFC 5281 10.1: an AVP with M set that the receiver does not understand must fail the
 * conversation; unknown AVPs without M are ignored. known lists the n (code, vendor) pairs
 * the caller understands. Returns 0 if every M AVP is known, else -1 with err_set(), and
 * *bad (may be NULL) pointing at the first unknown mandatory AVP.
 */
int ttls_avp_check_mandatory(struct ttls_avp_list const *l, struct ttls_avp_id const *known,
			     size_t n, struct ttls_avp const **bad);

/*
 * Concatenate the data of every AVP with this code and vendor, in order (as RFC 3579 3.1
 * does for RADIUS EAP-Message), into a buffer owned by ctx. Fails with JOIN_NONE when there
 * is no such AVP, JOIN_TOO_LONG above max octets. Returns NULL with *reason on failure.
 * An AVP list of only empty AVPs gives a non-NULL buffer with *out_len 0.
 */
uint8_t *ttls_avp_join(TALLOC_CTX *ctx, struct ttls_avp_list const *l, uint32_t code,
		       uint32_t vendor, size_t max, size_t *out_len, enum ttls_avp_reason *reason);

/* ttls_avp_join() of the EAP-Message AVPs (79, vendor 0), at most TTLS_AVP_EAP_MAX octets. */
uint8_t *ttls_avp_eap_message_join(TALLOC_CTX *ctx, struct ttls_avp_list const *l,
				   size_t *out_len, enum ttls_avp_reason *reason);

/*
 * Encode one AVP into buf (cap octets): V and the Vendor-ID when vendor != 0, M when
 * mandatory, reserved bits 0, then data and zero padding to a multiple of 4. Returns the
 * octets written (padding included) or -1 with *reason (may be NULL) and err_set().
 */
ssize_t ttls_avp_encode(uint8_t *buf, size_t cap, uint32_t code, uint32_t vendor,
			bool mandatory, uint8_t const *data, size_t len,
			enum ttls_avp_reason *reason);

/* Octets ttls_avp_encode() writes for len octets of data (padding included). */
size_t ttls_avp_encoded_len(uint32_t vendor, size_t len);

/*
 * Encode every AVP of l in order (M as in each AVP's flags, V from its vendor) into buf.
 * Returns the octets written or -1 with *reason.
 */
ssize_t ttls_avp_list_encode(uint8_t *buf, size_t cap, struct ttls_avp_list const *l,
			     enum ttls_avp_reason *reason);

#endif
