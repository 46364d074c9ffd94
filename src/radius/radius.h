/*
 * RADIUS wire codec (RFC 2865, 2866, 2869, 3579, 5080, 5997): packet decode with strict
 * validation, encode with bounds checking, authenticators, Message-Authenticator, attribute
 * hiding, value text conversion and a printer. Pure library: no sockets, no logging.
 */
#ifndef LATCHD_RADIUS_RADIUS_H
#define LATCHD_RADIUS_RADIUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <talloc.h>

#include "dict/dict.h"

#define RAD_HDR_LEN 20
#define RAD_MAX_LEN 4096
#define RAD_VECTOR_LEN 16
#define RAD_MAX_ATTR_VALUE 253

enum rad_code {
	RAD_ACCESS_REQUEST = 1,
	RAD_ACCESS_ACCEPT = 2,
	RAD_ACCESS_REJECT = 3,
	RAD_ACCOUNTING_REQUEST = 4,
	RAD_ACCOUNTING_RESPONSE = 5,
	RAD_ACCESS_CHALLENGE = 11,
	RAD_STATUS_SERVER = 12,
	RAD_STATUS_CLIENT = 13,
	RAD_DISCONNECT_REQUEST = 40,
	RAD_DISCONNECT_ACK = 41,
	RAD_DISCONNECT_NAK = 42,
	RAD_COA_REQUEST = 43,
	RAD_COA_ACK = 44,
	RAD_COA_NAK = 45,
};

/* "Access-Request", ...; "Unknown-Code" for anything else. */
char const *rad_code_name(unsigned code);

/* Is this code a response (Accept, Reject, Challenge, Accounting-Response, CoA/Disconnect
 * ACK/NAK)? */
bool rad_code_is_response(unsigned code);

/* Standard attribute numbers the code refers to by number. */
enum rad_attr_num {
	RAD_ATTR_USER_NAME = 1,
	RAD_ATTR_USER_PASSWORD = 2,
	RAD_ATTR_CHAP_PASSWORD = 3,
	RAD_ATTR_NAS_IP_ADDRESS = 4,
	RAD_ATTR_NAS_PORT = 5,
	RAD_ATTR_SERVICE_TYPE = 6,
	RAD_ATTR_FRAMED_MTU = 12,
	RAD_ATTR_REPLY_MESSAGE = 18,
	RAD_ATTR_STATE = 24,
	RAD_ATTR_CLASS = 25,
	RAD_ATTR_VENDOR_SPECIFIC = 26,
	RAD_ATTR_SESSION_TIMEOUT = 27,
	RAD_ATTR_CALLED_STATION_ID = 30,
	RAD_ATTR_CALLING_STATION_ID = 31,
	RAD_ATTR_NAS_IDENTIFIER = 32,
	RAD_ATTR_PROXY_STATE = 33,
	RAD_ATTR_ACCT_STATUS_TYPE = 40,
	RAD_ATTR_ACCT_SESSION_ID = 44,
	RAD_ATTR_EVENT_TIMESTAMP = 55,
	RAD_ATTR_CHAP_CHALLENGE = 60,
	RAD_ATTR_NAS_PORT_TYPE = 61,
	RAD_ATTR_TUNNEL_TYPE = 64,
	RAD_ATTR_TUNNEL_MEDIUM_TYPE = 65,
	RAD_ATTR_TUNNEL_PASSWORD = 69,
	RAD_ATTR_EAP_MESSAGE = 79,
	RAD_ATTR_MESSAGE_AUTHENTICATOR = 80,
	RAD_ATTR_TUNNEL_PRIVATE_GROUP_ID = 81,
	RAD_ATTR_NAS_IPV6_ADDRESS = 95,
	RAD_ATTR_EAP_KEY_NAME = 102,
};

#define RAD_VENDOR_MICROSOFT 311
#define RAD_MS_CHAP_CHALLENGE 11
#define RAD_MS_MPPE_SEND_KEY 16
#define RAD_MS_MPPE_RECV_KEY 17

/* Why a datagram was not accepted as a RADIUS packet. Every value has a name. */
enum rad_decode_error {
	RAD_DECODE_OK = 0,
	RAD_DECODE_TOO_SHORT,		/* datagram shorter than the 20-octet header */
	RAD_DECODE_BAD_LENGTH,		/* header Length < 20 or > 4096 */
	RAD_DECODE_TRUNCATED,		/* header Length larger than the datagram */
	RAD_DECODE_UNKNOWN_CODE,	/* Code this server does not know */
	RAD_DECODE_ATTR_OVERFLOW,	/* an attribute header or value runs past Length */
	RAD_DECODE_ATTR_LENGTH,		/* an attribute Length below 2 */
	RAD_DECODE_MA_LENGTH,		/* Message-Authenticator not 16 octets (RFC 3579 3.2) */
	RAD_DECODE_DUP_MA,		/* more than one Message-Authenticator */
	RAD_DECODE_NO_MEMORY,
	RAD_DECODE_MAX
};

char const *rad_decode_error_name(enum rad_decode_error e);

/*
 * One attribute. VSAs are unpacked into their sub-attributes (vendor = PEN); a VSA whose
 * contents do not parse with the vendor's format is kept whole as vendor 0, type 26 with
 * invalid = true (RFC 6929 2.8). Values are as on the wire (still hidden, tag octet included);
 * consecutive attributes of a concat type (EAP-Message) are joined into one value.
 */
struct rad_attr {
	uint32_t vendor;
	uint32_t type;
	struct dict_attr const *da;	/* NULL when the dictionary does not know it */
	uint8_t const *value;		/* owned by the packet */
	size_t len;
	bool invalid;
};

struct rad_packet {
	struct dict const *dict;	/* may be NULL: then only EAP-Message is concat */
	uint8_t code;
	uint8_t id;
	uint8_t vector[RAD_VECTOR_LEN];	/* Request/Response Authenticator */
	struct rad_attr *attrs;		/* talloc array, n_attrs used */
	size_t n_attrs;
	uint8_t *data;			/* decoded: a copy of the wire octets (Length of them) */
	size_t data_len;
	ssize_t ma_offset;		/* decoded: offset of Message-Authenticator's value, or -1 */
	bool has_proxy_state;
};

/*
 * Decode and validate a datagram (RFC 2865 3, RFC 3579 3.2). Octets beyond the header Length
 * are ignored. Authenticators are not checked here (they need the secret). Returns the
 * packet, owned by ctx, or NULL with *why set.
 */
struct rad_packet *rad_packet_decode(TALLOC_CTX *ctx, struct dict const *dict, uint8_t const *buf,
				     size_t len, enum rad_decode_error *why);

/* A new empty packet to fill and encode; owned by ctx. */
struct rad_packet *rad_packet_new(TALLOC_CTX *ctx, struct dict const *dict, uint8_t code, uint8_t id);

/* Append an attribute (value copied; plain, not yet hidden). Returns 0, or -1 with err_msg(). */
int rad_attr_add(struct rad_packet *pkt, uint32_t vendor, uint32_t type, void const *value, size_t len);

/* First attribute with this vendor/type, or NULL. */
struct rad_attr const *rad_attr_find(struct rad_packet const *pkt, uint32_t vendor, uint32_t type);

/* rad_packet_encode() flags */
#define RAD_ENC_ADD_MA 0x1	/* add Message-Authenticator as the first attribute and sign it */

/*
 * Encode pkt into buf (cap octets). Attributes whose dictionary entry has encrypt=1 or 2 are
 * hidden with the secret (RFC 2865 5.2, RFC 2868 3.5, RFC 2548 2.4.2). Values over 253 octets
 * are split when the attribute is concat (EAP-Message), an error otherwise. VSAs are wrapped in
 * Vendor-Specific with the vendor's format.
 * Authenticator: for responses req_vector is the request's authenticator and the Response
 * Authenticator is computed (RFC 2865 3); for Access-Request and Status-Server pkt->vector is
 * used as is (caller fills it with random octets); for Accounting-, Disconnect- and
 * CoA-Request the Request Authenticator is computed (RFC 2866 3, RFC 5176 3.5).
 * Returns the encoded length, or -1 with err_msg(). On success pkt->vector holds the
 * authenticator that was sent.
 */
ssize_t rad_packet_encode(struct rad_packet *pkt, uint8_t *buf, size_t cap, uint8_t const *secret,
			  size_t secret_len, uint8_t const *req_vector, unsigned flags);

enum rad_ma_status {
	RAD_MA_ABSENT,
	RAD_MA_VALID,
	RAD_MA_INVALID,
};

/*
 * Check the Message-Authenticator of a decoded packet (RFC 3579 3.2, RFC 5997 3). req_vector
 * is NULL for requests and the original request's authenticator for responses.
 */
enum rad_ma_status rad_packet_check_ma(struct rad_packet const *pkt, uint8_t const *secret,
				       size_t secret_len, uint8_t const *req_vector);

/* Request Authenticator of Accounting-, Disconnect- and CoA-Request (RFC 2866 3, RFC 5176). */
bool rad_request_auth_ok(struct rad_packet const *pkt, uint8_t const *secret, size_t secret_len);

/* Response Authenticator of a decoded response to a request with req_vector (RFC 2865 3). */
bool rad_response_auth_ok(struct rad_packet const *pkt, uint8_t const *req_vector,
			  uint8_t const *secret, size_t secret_len);

/*
 * User-Password hiding (RFC 2865 5.2). hide pads to a multiple of 16 (max 128 octets of
 * password); unhide strips trailing NULs. Return octets written, or -1 with err_msg().
 */
ssize_t rad_password_hide(uint8_t *out, size_t cap, uint8_t const *pw, size_t len,
			  uint8_t const *secret, size_t secret_len, uint8_t const *vector);
ssize_t rad_password_unhide(uint8_t *out, size_t cap, uint8_t const *in, size_t len,
			    uint8_t const *secret, size_t secret_len, uint8_t const *vector);

/*
 * Random octets from OpenSSL's DRBG through a per-thread buffer (cheap for the few octets of
 * a State or a salt). Returns 0, or -1 with err_msg().
 */
int rad_random(void *out, size_t len);

/*
 * Salted hiding of Tunnel-Password (RFC 2868 3.5) and MS-MPPE-Send/Recv-Key (RFC 2548 2.4.2):
 * out = salt(2, high bit set) || encrypted(length octet || value || padding). A salt of 0
 * means "pick a random one". unhide returns the value without the length octet or padding.
 */
ssize_t rad_salted_hide(uint8_t *out, size_t cap, uint8_t const *in, size_t len,
			uint8_t const *secret, size_t secret_len, uint8_t const *vector, uint16_t salt);
ssize_t rad_salted_unhide(uint8_t *out, size_t cap, uint8_t const *in, size_t len,
			  uint8_t const *secret, size_t secret_len, uint8_t const *vector);

/*
 * CHAP (RFC 2865 2.2, 5.3): chap_password is the 17-octet CHAP-Password value (ident ||
 * response); challenge is CHAP-Challenge or, when absent, the Request Authenticator.
 */
bool rad_chap_check(uint8_t const *chap_password, size_t chap_len, uint8_t const *challenge,
		    size_t challenge_len, uint8_t const *pw, size_t pw_len);

/*
 * Value text <-> wire octets for an attribute of the dictionary (the users file syntax:
 * "text", 0xhex, 192.0.2.1, 2001:db8::/32, integers or VALUE names, dates, MACs).
 * parse: returns octets owned by ctx and sets *len, or NULL with err_msg().
 * print: snprintf-like (returns the length it needed), always NUL-terminates when cap > 0.
 */
uint8_t *rad_value_parse(TALLOC_CTX *ctx, struct dict const *dict, struct dict_attr const *da,
			 char const *text, size_t *len);
size_t rad_value_print(char *buf, size_t cap, struct dict const *dict, struct dict_attr const *da,
		       uint8_t const *value, size_t len);

/*
 * The packet as text: a first line "Access-Request Id 12 from-or-to... length N" is NOT
 * included; one "\tName = value\n" line per attribute. Unknown attributes print as
 * Attr-N / Vendor-PEN-Attr-N = 0xhex. With mask_secrets, hidden attributes (encrypt != 0),
 * CHAP-Password and MS-CHAP responses print as "<hidden>".
 */
char *rad_packet_print(TALLOC_CTX *ctx, struct rad_packet const *pkt, bool mask_secrets);

#endif
