/*
 * EAP packet decode/encode (RFC 3748 4), Legacy and Expanded Nak (RFC 3748 5.3.1, 5.3.2)
 * and Identity (RFC 3748 5.1) helpers. Every octet is from the network: each field is
 * bounds-checked and every rejection has a named reason.
 */
#include "eap/eap.h"

#include "util/cursor.h"
#include "util/err.h"

#include <string.h>

static char const *const reason_names[EAP_REASON_MAX] = {
	[EAP_OK] = "ok",
	[EAP_ERR_TRUNCATED_HEADER] = "truncated-header",
	[EAP_ERR_LENGTH_TOO_SHORT] = "length-too-short",
	[EAP_ERR_LENGTH_EXCEEDS_DATA] = "length-exceeds-data",
	[EAP_ERR_UNKNOWN_CODE] = "unknown-code",
	[EAP_ERR_MISSING_TYPE] = "missing-type",
	[EAP_ERR_SUCCESS_FAILURE_LENGTH] = "success-failure-length",
	[EAP_ERR_TYPE_ZERO] = "type-zero",
	[EAP_ERR_EXPANDED_TRUNCATED] = "expanded-truncated",
	[EAP_ERR_NAK_IN_REQUEST] = "nak-in-request",
	[EAP_ERR_NAK_EMPTY] = "nak-empty",
	[EAP_ERR_NAK_EXPANDED_FORMAT] = "nak-expanded-format",
	[EAP_ERR_IDENTITY_NOT_IDENTITY] = "identity-not-identity",
	[EAP_ERR_IDENTITY_NUL] = "identity-nul",
	[EAP_ERR_ENCODE_TOO_LONG] = "encode-too-long",
	[EAP_ERR_ENCODE_NO_SPACE] = "encode-no-space",
	[EAP_ERR_ENCODE_BAD_FIELDS] = "encode-bad-fields",
	[EAP_ERR_NO_MEMORY] = "no-memory",
};

char const *eap_reason_name(enum eap_reason r)
{
	if ((unsigned)r >= EAP_REASON_MAX || !reason_names[r]) return "unknown-reason";
	return reason_names[r];
}

char const *eap_code_name(uint8_t code)
{
	switch (code) {
	case EAP_CODE_REQUEST: return "Request";
	case EAP_CODE_RESPONSE: return "Response";
	case EAP_CODE_SUCCESS: return "Success";
	case EAP_CODE_FAILURE: return "Failure";
	default: return "unknown";
	}
}

char const *eap_type_name(uint8_t type)
{
	switch (type) {
	case EAP_TYPE_IDENTITY: return "identity";
	case EAP_TYPE_NOTIFICATION: return "notification";
	case EAP_TYPE_NAK: return "nak";
	case EAP_TYPE_MD5: return "md5";
	case EAP_TYPE_GTC: return "gtc";
	case EAP_TYPE_TLS: return "tls";
	case EAP_TYPE_TTLS: return "ttls";
	case EAP_TYPE_PEAP: return "peap";
	case EAP_TYPE_MSCHAPV2: return "mschapv2";
	case EAP_TYPE_EXPANDED: return "expanded";
	case EAP_TYPE_EXPERIMENTAL: return "experimental";
	default: return "unknown";
	}
}

/* Record reason r (and its name as the error text); always returns -1. */
static int fail(enum eap_reason *reason, enum eap_reason r)
{
	if (reason) *reason = r;
	err_set("eap: %s", eap_reason_name(r));
	return -1;
}

bool eap_packet_is_nak(struct eap_packet const *p)
{
	if (p->type == EAP_TYPE_NAK) return true;
	return p->type == EAP_TYPE_EXPANDED && p->vendor_id == EAP_VENDOR_IETF &&
	       p->vendor_type == EAP_TYPE_NAK;
}

/* RFC 3748 5.3: Nak is only a Response; legacy lists 1-octet Types, expanded lists 8-octet
 * tuples each starting with 254. */
static int nak_check(struct eap_packet *p, enum eap_reason *reason)
{
	if (p->code != EAP_CODE_RESPONSE) return fail(reason, EAP_ERR_NAK_IN_REQUEST);
	if (p->data_len == 0) return fail(reason, EAP_ERR_NAK_EMPTY);
	if (p->type == EAP_TYPE_NAK) {
		p->nak_count = p->data_len;
		return 0;
	}
	if (p->data_len % EAP_EXPANDED_HDR_LEN) return fail(reason, EAP_ERR_NAK_EXPANDED_FORMAT);
	for (size_t off = 0; off < p->data_len; off += EAP_EXPANDED_HDR_LEN) {
		if (p->data[off] != EAP_TYPE_EXPANDED)
			return fail(reason, EAP_ERR_NAK_EXPANDED_FORMAT);
	}
	p->nak_count = p->data_len / EAP_EXPANDED_HDR_LEN;
	return 0;
}

/* Type octet and Type-Data of a Request/Response; rc holds the octets after the header. */
static int type_decode(struct eap_packet *p, struct rcursor *rc, enum eap_reason *reason)
{
	if (!rcursor_u8(rc, &p->type)) return fail(reason, EAP_ERR_MISSING_TYPE);
	if (p->type == 0) return fail(reason, EAP_ERR_TYPE_ZERO);
	if (p->type == EAP_TYPE_EXPANDED) {
		uint8_t const *v;

		/* RFC 3748 5.7: Vendor-Id (3 octets) and Vendor-Type (4 octets). */
		if (!rcursor_ref(rc, &v, 7)) return fail(reason, EAP_ERR_EXPANDED_TRUNCATED);
		p->vendor_id = ((uint32_t)v[0] << 16) | ((uint32_t)v[1] << 8) | v[2];
		p->vendor_type = get_u32(v + 3);
	}
	p->data_len = rcursor_left(rc);
	p->data = p->data_len ? rc->p : NULL;
	if (eap_packet_is_nak(p)) return nak_check(p, reason);
	return 0;
}

ssize_t eap_packet_decode(struct eap_packet *out, uint8_t const *buf, size_t len,
			  enum eap_reason *reason)
{
	struct rcursor rc;

	memset(out, 0, sizeof(*out));
	if (reason) *reason = EAP_OK;
	if (!buf || len < EAP_HEADER_LEN) return fail(reason, EAP_ERR_TRUNCATED_HEADER);

	out->code = buf[0];
	out->id = buf[1];
	out->length = get_u16(buf + 2);
	if (out->length < EAP_HEADER_LEN) return fail(reason, EAP_ERR_LENGTH_TOO_SHORT);
	if (out->length > len) return fail(reason, EAP_ERR_LENGTH_EXCEEDS_DATA);

	switch (out->code) {
	case EAP_CODE_REQUEST:
	case EAP_CODE_RESPONSE:
		rcursor_init(&rc, buf + EAP_HEADER_LEN, out->length - EAP_HEADER_LEN);
		if (type_decode(out, &rc, reason) < 0) return -1;
		break;
	case EAP_CODE_SUCCESS:
	case EAP_CODE_FAILURE:
		/* RFC 3748 4.2: Success and Failure carry no data. */
		if (out->length != EAP_HEADER_LEN)
			return fail(reason, EAP_ERR_SUCCESS_FAILURE_LENGTH);
		break;
	default:
		return fail(reason, EAP_ERR_UNKNOWN_CODE);
	}
	return out->length;
}

bool eap_packet_nak_get(struct eap_packet const *p, size_t i, struct eap_type_id *out)
{
	if (!eap_packet_is_nak(p) || i >= p->nak_count || !p->data) return false;
	if (p->type == EAP_TYPE_NAK) {
		if (i >= p->data_len) return false;
		out->vendor_id = EAP_VENDOR_IETF;
		out->type = p->data[i];
		return true;
	}
	if ((i + 1) * EAP_EXPANDED_HDR_LEN > p->data_len) return false;
	uint8_t const *e = p->data + i * EAP_EXPANDED_HDR_LEN;
	out->vendor_id = ((uint32_t)e[1] << 16) | ((uint32_t)e[2] << 8) | e[3];
	out->type = get_u32(e + 4);
	return true;
}

/* Size of the encoded packet, or 0 if the fields cannot form one. */
static size_t encoded_len(struct eap_packet const *p)
{
	size_t n = EAP_HEADER_LEN;

	if (p->code == EAP_CODE_SUCCESS || p->code == EAP_CODE_FAILURE)
		return p->data_len || p->type ? 0 : n;
	if (p->code != EAP_CODE_REQUEST && p->code != EAP_CODE_RESPONSE) return 0;
	if (p->type == 0 || (p->data_len && !p->data)) return 0;
	if (p->type == EAP_TYPE_EXPANDED && p->vendor_id > 0xffffff) return 0;
	n += 1 + (p->type == EAP_TYPE_EXPANDED ? 7 : 0);
	if (p->data_len > EAP_MAX_LEN) return EAP_MAX_LEN + 1;
	return n + p->data_len;
}

ssize_t eap_packet_encode(uint8_t *buf, size_t cap, struct eap_packet const *p,
			  enum eap_reason *reason)
{
	struct wcursor wc;
	size_t n = encoded_len(p);

	if (reason) *reason = EAP_OK;
	if (n == 0) return fail(reason, EAP_ERR_ENCODE_BAD_FIELDS);
	if (n > EAP_MAX_LEN) return fail(reason, EAP_ERR_ENCODE_TOO_LONG);
	if (!buf || n > cap) return fail(reason, EAP_ERR_ENCODE_NO_SPACE);

	wcursor_init(&wc, buf, cap);
	wcursor_u8(&wc, p->code);
	wcursor_u8(&wc, p->id);
	wcursor_u16(&wc, (uint16_t)n);
	if (n > EAP_HEADER_LEN) {
		wcursor_u8(&wc, p->type);
		if (p->type == EAP_TYPE_EXPANDED) {
			wcursor_u8(&wc, (uint8_t)(p->vendor_id >> 16));
			wcursor_u16(&wc, (uint16_t)p->vendor_id);
			wcursor_u32(&wc, p->vendor_type);
		}
		if (p->data_len) wcursor_bytes(&wc, p->data, p->data_len);
	}
	if (wc.bad || wcursor_used(&wc) != n) return fail(reason, EAP_ERR_ENCODE_NO_SPACE);
	return (ssize_t)n;
}

char *eap_identity_dup(TALLOC_CTX *ctx, struct eap_packet const *p, enum eap_reason *reason)
{
	char *s;

	if (reason) *reason = EAP_OK;
	if (p->type != EAP_TYPE_IDENTITY) {
		fail(reason, EAP_ERR_IDENTITY_NOT_IDENTITY);
		return NULL;
	}
	if (p->data_len && memchr(p->data, 0, p->data_len)) {
		fail(reason, EAP_ERR_IDENTITY_NUL);
		return NULL;
	}
	s = talloc_strndup(ctx, p->data_len ? (char const *)p->data : "", p->data_len);
	if (!s) fail(reason, EAP_ERR_NO_MEMORY);
	return s;
}

ssize_t eap_identity_request_encode(uint8_t *buf, size_t cap, uint8_t id, char const *display,
				    enum eap_reason *reason)
{
	struct eap_packet p = {
		.code = EAP_CODE_REQUEST,
		.id = id,
		.type = EAP_TYPE_IDENTITY,
		.data = (uint8_t const *)display,
		.data_len = display ? strlen(display) : 0,
	};

	return eap_packet_encode(buf, cap, &p, reason);
}

ssize_t eap_nak_encode(uint8_t *buf, size_t cap, uint8_t id, uint8_t const *types, size_t n,
		       enum eap_reason *reason)
{
	struct eap_packet p = {
		.code = EAP_CODE_RESPONSE,
		.id = id,
		.type = EAP_TYPE_NAK,
		.data = types,
		.data_len = n,
	};

	if (n == 0 || !types) return fail(reason, EAP_ERR_NAK_EMPTY);
	return eap_packet_encode(buf, cap, &p, reason);
}
