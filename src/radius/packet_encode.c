/*
 * RADIUS packet encode (RFC 2865 3 and 5): header, attributes with automatic hiding
 * (RFC 2865 5.2, RFC 2868 3.5, RFC 2548 2.4.2), concat splitting (RFC 3579 3.1), Vendor-Specific
 * wrapping with the vendor's format (RFC 2865 5.26), Message-Authenticator (RFC 3579 3.2) and
 * the Request/Response Authenticator (RFC 2865 3, RFC 2866 3, RFC 5176 3.5). Anything that
 * does not fit is an error, never a silent truncation.
 */
#include "radius/radius_int.h"

#include <string.h>

#include "util/cursor.h"
#include "util/err.h"
#include "util/hex.h"

struct encoder {
	struct wcursor w;
	struct rad_packet const *pkt;
	uint8_t const *secret;
	size_t secret_len;
	uint8_t const *hide_vector;	/* authenticator the hidden attributes are keyed with */
	size_t n_salts;			/* salts used so far in this packet */
	uint16_t salts[RAD_MAX_LEN / 20];	/* a salted attribute takes >= 20 octets */
};

/*
 * A salt not used before in this packet (RFC 2548 2.4.2, RFC 2868 3.5: the salts of one
 * packet MUST differ; two equal salts would encrypt two values with the same key stream).
 */
static int unique_salt(struct encoder *e, uint16_t *salt)
{
	uint8_t r[2];
	size_t i;

	if (e->n_salts >= sizeof(e->salts) / sizeof(e->salts[0])) {
		err_set("radius: too many salted attributes in one packet");
		return -1;
	}
	for (;;) {
		if (rad_random(r, sizeof(r)) < 0) return -1;
		*salt = (uint16_t)(0x8000 | (r[0] << 8) | r[1]);
		for (i = 0; i < e->n_salts && e->salts[i] != *salt; i++)
			;
		if (i == e->n_salts) break;
	}
	e->salts[e->n_salts++] = *salt;
	return 0;
}

static int put_type(struct wcursor *w, uint32_t type, uint8_t size)
{
	if (size == 1 && type <= 0xff) return wcursor_u8(w, (uint8_t)type) ? 0 : -1;
	if (size == 2 && type <= 0xffff) return wcursor_u16(w, (uint16_t)type) ? 0 : -1;
	if (size == 4) return wcursor_u32(w, type) ? 0 : -1;
	err_set("radius: attribute number %u does not fit the vendor's %u-octet type",
		(unsigned)type, size);
	return -2;
}

/* One wire attribute holding value[0..len) (len already checked against the space). */
static int emit_one(struct encoder *e, struct rad_attr const *a, struct rad_vsa_format const *fmt,
		    uint8_t const *value, size_t len)
{
	struct wcursor *w = &e->w;
	size_t hdr;
	int r;

	if (a->vendor == 0) {
		if (!wcursor_u8(w, (uint8_t)a->type) || !wcursor_u8(w, (uint8_t)(len + 2)) ||
		    !wcursor_bytes(w, value, len))
			goto nospace;
		return 0;
	}
	hdr = (size_t)fmt->type_size + fmt->length_size + (fmt->continuation ? 1 : 0);
	if (!wcursor_u8(w, RAD_ATTR_VENDOR_SPECIFIC) || !wcursor_u8(w, (uint8_t)(2 + 4 + hdr + len)) ||
	    !wcursor_u32(w, a->vendor))
		goto nospace;
	r = put_type(w, a->type, fmt->type_size);
	if (r == -2) return -1;
	if (r == -1) goto nospace;
	if (fmt->length_size == 1 && !wcursor_u8(w, (uint8_t)(hdr + len))) goto nospace;
	if (fmt->length_size == 2 && !wcursor_u16(w, (uint16_t)(hdr + len))) goto nospace;
	if (fmt->continuation && !wcursor_u8(w, 0)) goto nospace;
	if (!wcursor_bytes(w, value, len)) goto nospace;
	return 0;

nospace:
	err_set("radius: packet full (%zu octets) while encoding attribute %u", wcursor_used(w),
		(unsigned)a->type);
	return -1;
}

/* Hide value into out when the attribute is encrypted. Returns the length to send, or -1. */
static ssize_t encode_hide(struct encoder *e, struct rad_attr const *a, struct dict_attr const *da,
			   uint8_t *out, size_t cap)
{
	uint8_t enc = rad_attr_encrypt(a->vendor, a->type, da);
	size_t tag = 0;
	uint16_t salt;
	ssize_t n;

	switch (enc) {
	case 1:
		return rad_password_hide(out, cap, a->value, a->len, e->secret, e->secret_len,
					 e->hide_vector);
	case 2:
		/* RFC 2868 3.5: the tag octet stays in clear in front of the salt. */
		if (rad_attr_has_tag(a->vendor, a->type, da) && a->len >= 1) {
			out[0] = a->value[0];
			tag = 1;
		}
		if (unique_salt(e, &salt) < 0) return -1;
		n = rad_salted_hide(out + tag, cap - tag, a->value + tag, a->len - tag, e->secret,
				    e->secret_len, e->hide_vector, salt);
		return n < 0 ? -1 : n + (ssize_t)tag;
	default:
		err_set("radius: attribute %u: encryption method %u is not supported",
			(unsigned)a->type, enc);
		return -1;
	}
}

static int encode_attr(struct encoder *e, struct rad_attr const *a)
{
	struct dict const *dict = e->pkt->dict;
	struct dict_attr const *da = a->da;
	struct rad_vsa_format fmt = {1, 1, false};
	uint8_t hidden[RAD_MAX_ATTR_VALUE];
	uint8_t const *value = a->value;
	size_t len = a->len, max = RAD_MAX_ATTR_VALUE, off;
	int rc = 0;

	if (!da && dict) da = dict_attr_by_num(dict, a->vendor, a->type);
	if (a->vendor == 0 && a->type > 255) {
		err_set("radius: attribute number %u out of range", (unsigned)a->type);
		return -1;
	}
	if (a->vendor) {
		rad_vsa_format_get(dict, a->vendor, &fmt);
		max -= 4 + fmt.type_size + fmt.length_size + (fmt.continuation ? 1 : 0);
	}
	if (rad_attr_encrypt(a->vendor, a->type, da) && !a->invalid) {
		ssize_t n = encode_hide(e, a, da, hidden, max);

		if (n < 0) {
			err_prefix("radius: cannot hide attribute %u", (unsigned)a->type);
			return -1;
		}
		value = hidden;
		len = (size_t)n;
	}
	if (len > max && !rad_attr_is_concat(a->vendor, a->type, da)) {
		err_set("radius: attribute %u value of %zu octets exceeds %zu", (unsigned)a->type, len,
			max);
		rc = -1;
	}
	/* RFC 3579 3.1: long values go out as consecutive attributes of up to 253 octets. */
	for (off = 0; rc == 0 && (off < len || off == 0); off += max) {
		size_t piece = len - off < max ? len - off : max;

		rc = emit_one(e, a, &fmt, value + off, piece);
		if (len == 0) break;
	}
	mem_wipe(hidden, sizeof(hidden));
	return rc;
}

/* RFC 3579 3.2: HMAC-MD5 over the packet with the signature zeroed and the given vector. */
static int encode_sign_ma(uint8_t *buf, size_t len, uint8_t const *auth_field,
			  uint8_t const *secret, size_t secret_len)
{
	uint8_t mac[16];

	memcpy(buf + 4, auth_field, RAD_VECTOR_LEN);
	memset(buf + RAD_HDR_LEN + 2, 0, RAD_VECTOR_LEN);
	if (rad_hmac_md5(mac, secret, secret_len, buf, len) < 0) return -1;
	memcpy(buf + RAD_HDR_LEN + 2, mac, RAD_VECTOR_LEN);
	return 0;
}

/* Fill in the Authenticator field (RFC 2865 3, RFC 2866 3, RFC 5176 3.5) after the MA. */
static int encode_authenticator(struct rad_packet *pkt, uint8_t *buf, size_t len,
				uint8_t const *secret, size_t secret_len, uint8_t const *req_vector)
{
	static uint8_t const zero[RAD_VECTOR_LEN];
	struct rad_iov parts[4];
	uint8_t md[16];

	if (rad_code_is_response(pkt->code) || rad_code_has_computed_request_auth(pkt->code)) {
		parts[0] = (struct rad_iov){buf, 4};
		parts[1] = (struct rad_iov){rad_code_is_response(pkt->code) ? req_vector : zero,
					    RAD_VECTOR_LEN};
		parts[2] = (struct rad_iov){buf + RAD_HDR_LEN, len - RAD_HDR_LEN};
		parts[3] = (struct rad_iov){secret, secret_len};
		if (rad_md5(md, parts, 4) < 0) return -1;
		memcpy(buf + 4, md, RAD_VECTOR_LEN);
	} else {
		memcpy(buf + 4, pkt->vector, RAD_VECTOR_LEN);
	}
	memcpy(pkt->vector, buf + 4, RAD_VECTOR_LEN);
	return 0;
}

/* The Authenticator field's content while the Message-Authenticator is computed. */
static uint8_t const *ma_auth_field(struct rad_packet const *pkt, uint8_t const *req_vector)
{
	static uint8_t const zero[RAD_VECTOR_LEN];

	if (rad_code_is_response(pkt->code)) return req_vector;
	if (rad_code_has_computed_request_auth(pkt->code)) return zero;
	return pkt->vector;
}

ssize_t rad_packet_encode(struct rad_packet *pkt, uint8_t *buf, size_t cap, uint8_t const *secret,
			  size_t secret_len, uint8_t const *req_vector, unsigned flags)
{
	struct encoder e;
	size_t i, len;
	bool add_ma = flags & RAD_ENC_ADD_MA;

	if (!pkt || !buf || (!secret && secret_len)) {
		err_set("radius: rad_packet_encode: bad arguments");
		return -1;
	}
	if (rad_code_is_response(pkt->code) && !req_vector) {
		err_set("radius: encoding a %s needs the request's authenticator",
			rad_code_name(pkt->code));
		return -1;
	}
	if (cap > RAD_MAX_LEN) cap = RAD_MAX_LEN;
	wcursor_init(&e.w, buf, cap);
	e.pkt = pkt;
	e.secret = secret;
	e.secret_len = secret_len;
	e.hide_vector = rad_code_is_response(pkt->code) ? req_vector : pkt->vector;
	e.n_salts = 0;

	if (!wcursor_u8(&e.w, pkt->code) || !wcursor_u8(&e.w, pkt->id) || !wcursor_u16(&e.w, 0) ||
	    !wcursor_bytes(&e.w, pkt->vector, RAD_VECTOR_LEN)) {
		err_set("radius: buffer of %zu octets cannot hold a RADIUS header", cap);
		return -1;
	}
	if (add_ma && (!wcursor_u8(&e.w, RAD_ATTR_MESSAGE_AUTHENTICATOR) ||
		       !wcursor_u8(&e.w, 2 + RAD_VECTOR_LEN) || !wcursor_reserve(&e.w, RAD_VECTOR_LEN))) {
		err_set("radius: no room for Message-Authenticator");
		return -1;
	}
	for (i = 0; i < pkt->n_attrs; i++) {
		struct rad_attr const *a = &pkt->attrs[i];

		if (add_ma && a->vendor == 0 && a->type == RAD_ATTR_MESSAGE_AUTHENTICATOR) continue;
		if (encode_attr(&e, a) < 0) return -1;
	}
	len = wcursor_used(&e.w);
	put_u16(buf + 2, (uint16_t)len);
	if (add_ma && encode_sign_ma(buf, len, ma_auth_field(pkt, req_vector), secret,
				     secret_len) < 0)
		return -1;
	if (encode_authenticator(pkt, buf, len, secret, secret_len, req_vector) < 0) return -1;
	return (ssize_t)len;
}
