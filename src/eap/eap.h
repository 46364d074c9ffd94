/*
 * EAP packets (RFC 3748 section 4): decode with full Length validation, bounded encode,
 * Identity and Nak helpers. Pure bytes in/bytes out: nothing here knows about RADIUS.
 */
#ifndef LATCHD_EAP_EAP_H
#define LATCHD_EAP_EAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <talloc.h>

/* RFC 3748 4: Code. 5 and 6 (RFC 6696 Initiate/Finish) are treated as unknown. */
enum eap_code {
	EAP_CODE_REQUEST = 1,
	EAP_CODE_RESPONSE = 2,
	EAP_CODE_SUCCESS = 3,
	EAP_CODE_FAILURE = 4,
};

/* RFC 3748 5 and the IANA registry: the Types latchd names. */
enum eap_type {
	EAP_TYPE_IDENTITY = 1,
	EAP_TYPE_NOTIFICATION = 2,
	EAP_TYPE_NAK = 3, /* Legacy Nak, Response only */
	EAP_TYPE_MD5 = 4,
	EAP_TYPE_GTC = 6,
	EAP_TYPE_TLS = 13,
	EAP_TYPE_TTLS = 21,
	EAP_TYPE_PEAP = 25,
	EAP_TYPE_MSCHAPV2 = 26,
	EAP_TYPE_EXPANDED = 254,
	EAP_TYPE_EXPERIMENTAL = 255,
};

#define EAP_HEADER_LEN 4	  /* Code, Identifier, Length */
#define EAP_MAX_LEN 65535	  /* Length is 16 bits */
#define EAP_EXPANDED_HDR_LEN 8 /* Type 254, Vendor-Id (3), Vendor-Type (4) */
#define EAP_VENDOR_IETF 0

/* Every reason a packet is rejected by decode or refused by encode. */
enum eap_reason {
	EAP_OK = 0,
	EAP_ERR_TRUNCATED_HEADER,	/* fewer than 4 octets */
	EAP_ERR_LENGTH_TOO_SHORT,	/* Length field < 4 */
	EAP_ERR_LENGTH_EXCEEDS_DATA,	/* Length field > octets received */
	EAP_ERR_UNKNOWN_CODE,		/* Code not 1..4 */
	EAP_ERR_MISSING_TYPE,		/* Request/Response without a Type octet */
	EAP_ERR_SUCCESS_FAILURE_LENGTH, /* Success/Failure with Length != 4 */
	EAP_ERR_TYPE_ZERO,		/* Type 0 is reserved */
	EAP_ERR_EXPANDED_TRUNCATED,	/* Type 254 without Vendor-Id and Vendor-Type */
	EAP_ERR_NAK_IN_REQUEST,		/* Nak is a Response-only Type (RFC 3748 5.3) */
	EAP_ERR_NAK_EMPTY,		/* Nak listing no Type */
	EAP_ERR_NAK_EXPANDED_FORMAT,	/* Expanded Nak entries not 8-octet Type-254 tuples */
	EAP_ERR_IDENTITY_NOT_IDENTITY,	/* identity helper given another Type */
	EAP_ERR_IDENTITY_NUL,		/* Identity containing a NUL octet */
	EAP_ERR_ENCODE_TOO_LONG,	/* packet would exceed 65535 octets */
	EAP_ERR_ENCODE_NO_SPACE,	/* output buffer too small */
	EAP_ERR_ENCODE_BAD_FIELDS,	/* code/type/data combination not encodable */
	EAP_ERR_NO_MEMORY,
	EAP_REASON_MAX
};

/* Stable short name for counters and logs ("length-exceeds-data"); never NULL. */
char const *eap_reason_name(enum eap_reason r);
char const *eap_code_name(uint8_t code);
/* "identity", "tls", ... or "unknown". */
char const *eap_type_name(uint8_t type);

/*
 * A decoded packet. Pointers refer into the decoded buffer (no copy): the packet is valid
 * as long as that buffer is. For encode, fill code, id, type (and vendor fields when
 * type == EAP_TYPE_EXPANDED), data and data_len; length and nak_count are ignored.
 */
struct eap_packet {
	uint8_t code;
	uint8_t id;
	uint16_t length;	   /* Length field (octets after it are link padding, ignored) */
	uint8_t type;		   /* 0 for Success/Failure */
	uint32_t vendor_id;	   /* Type 254 only: 24-bit Vendor-Id */
	uint32_t vendor_type;	   /* Type 254 only */
	uint8_t const *data;	   /* Type-Data (after the expanded header for Type 254) */
	size_t data_len;
	size_t nak_count;	   /* Legacy or expanded Nak: number of Types proposed */
};

/* A method named by its (vendor, type) pair; vendor 0 is the IETF space. */
struct eap_type_id {
	uint32_t vendor_id;
	uint32_t type;
};

/*
 * Decode one EAP packet from buf (RFC 3748 4.1). Octets beyond Length are link-layer
 * padding and ignored. Returns the Length (octets used) or -1 with *reason (may be NULL)
 * and err_set() describing why.
 */
ssize_t eap_packet_decode(struct eap_packet *out, uint8_t const *buf, size_t len,
			  enum eap_reason *reason);

/*
 * Encode p into buf (cap octets). Returns the octets written or -1 with *reason set
 * (buffer too small, > 65535 octets, or fields that do not make a valid packet).
 */
ssize_t eap_packet_encode(uint8_t *buf, size_t cap, struct eap_packet const *p,
			  enum eap_reason *reason);

/* True if p is a Nak (legacy Type 3, or expanded Type 254 vendor 0 type 3). */
bool eap_packet_is_nak(struct eap_packet const *p);

/* The i-th Type proposed by a Nak (i < nak_count). False if p is no Nak or i is past the end.
 * A legacy Nak entry of 0 means "no alternative" (RFC 3748 5.3.1). */
bool eap_packet_nak_get(struct eap_packet const *p, size_t i, struct eap_type_id *out);

/*
 * The Identity of an Identity Response as a NUL-terminated string owned by ctx. Rejects
 * an embedded NUL (the peer must not send one, RFC 3748 5.1). An empty identity is "".
 */
char *eap_identity_dup(TALLOC_CTX *ctx, struct eap_packet const *p, enum eap_reason *reason);

/* Encode an Identity Request (display text may be NULL or ""). Returns octets or -1. */
ssize_t eap_identity_request_encode(uint8_t *buf, size_t cap, uint8_t id, char const *display,
				    enum eap_reason *reason);

/* Encode a Legacy Nak Response proposing n Types (n >= 1). Returns octets or -1. */
ssize_t eap_nak_encode(uint8_t *buf, size_t cap, uint8_t id, uint8_t const *types, size_t n,
		       enum eap_reason *reason);

#endif
