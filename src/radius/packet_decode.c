/*
 * RADIUS packet decode and validation (RFC 2865 3 and 5, RFC 3579 3.1/3.2, RFC 5080 2.2,
 * RFC 6929 2.8). Two cheap walks over the datagram: the first validates every length and
 * counts attributes, the second fills an attribute array sized once. Values point into one
 * copy of the packet; only joined concat values (EAP-Message) get their own buffer.
 */
#include "radius/radius_int.h"

#include <string.h>

#include "util/cursor.h"

struct vsa_sub {
	uint32_t type;
	uint8_t const *value;
	size_t len;
};

/*
 * Walk the sub-attributes of a Vendor-Specific value (Vendor-Id included) with the vendor's
 * format (RFC 2865 5.26). Calls out for each one when out != NULL. Returns the number of
 * sub-attributes, or 0 when the value does not parse (the VSA is then kept raw, RFC 6929 2.8).
 */
static size_t vsa_walk(struct dict const *dict, uint8_t const *p, size_t len, uint32_t *pen,
		       struct vsa_sub *out, size_t out_cap)
{
	struct rad_vsa_format fmt;
	size_t off = 4, n = 0, hdr;

	if (len < 5 || p[0] != 0) return 0;	/* high octet of the Vendor-Id is zero */
	*pen = get_u32(p);
	if (*pen == 0) return 0;
	rad_vsa_format_get(dict, *pen, &fmt);
	hdr = (size_t)fmt.type_size + fmt.length_size + (fmt.continuation ? 1 : 0);
	while (off < len) {
		size_t sublen;
		uint32_t type;

		if (len - off < hdr) return 0;
		if (fmt.type_size == 1) type = p[off];
		else if (fmt.type_size == 2) type = get_u16(p + off);
		else type = get_u32(p + off);
		if (fmt.length_size == 0) sublen = len - off;
		else if (fmt.length_size == 1) sublen = p[off + fmt.type_size];
		else sublen = get_u16(p + off + fmt.type_size);
		if (sublen < hdr || sublen > len - off) return 0;
		if (out) {
			if (n >= out_cap) return 0;
			out[n].type = type;
			out[n].value = p + off + hdr;
			out[n].len = sublen - hdr;
		}
		n++;
		off += sublen;
	}
	return n;
}

/*
 * First walk: check every attribute header against Length, the Message-Authenticator rules,
 * and count the attribute slots needed (VSA sub-attributes counted one by one).
 */
static enum rad_decode_error decode_scan(struct dict const *dict, uint8_t const *buf, size_t plen,
					 size_t *n_slots, ssize_t *ma_offset)
{
	size_t off = RAD_HDR_LEN, n = 0;

	*ma_offset = -1;
	while (off < plen) {
		uint8_t type, alen;
		uint32_t pen;
		size_t sub;

		if (plen - off < 2) return RAD_DECODE_ATTR_OVERFLOW;
		type = buf[off];
		alen = buf[off + 1];
		if (alen < 2) return RAD_DECODE_ATTR_LENGTH;
		if (alen > plen - off) return RAD_DECODE_ATTR_OVERFLOW;
		if (type == RAD_ATTR_MESSAGE_AUTHENTICATOR) {
			if (alen != 2 + RAD_VECTOR_LEN) return RAD_DECODE_MA_LENGTH;
			if (*ma_offset >= 0) return RAD_DECODE_DUP_MA;
			*ma_offset = (ssize_t)(off + 2);
		}
		sub = 0;
		if (type == RAD_ATTR_VENDOR_SPECIFIC)
			sub = vsa_walk(dict, buf + off + 2, alen - 2u, &pen, NULL, 0);
		n += sub ? sub : 1;
		off += alen;
	}
	*n_slots = n;
	return RAD_DECODE_OK;
}

static struct rad_attr *attr_append(struct rad_packet *pkt, uint32_t vendor, uint32_t type,
				    uint8_t const *value, size_t len)
{
	struct rad_attr *a = &pkt->attrs[pkt->n_attrs++];

	a->vendor = vendor;
	a->type = type;
	a->da = pkt->dict ? dict_attr_by_num(pkt->dict, vendor, type) : NULL;
	a->value = value;
	a->len = len;
	a->invalid = false;
	return a;
}

/* Unpack one Vendor-Specific attribute into its sub-attributes, or keep it raw and invalid. */
static void decode_vsa(struct rad_packet *pkt, uint8_t const *value, size_t len)
{
	struct vsa_sub subs[RAD_MAX_ATTR_VALUE / 2 + 1];
	uint32_t pen = 0;
	size_t n, i;

	n = vsa_walk(pkt->dict, value, len, &pen, subs, sizeof(subs) / sizeof(subs[0]));
	if (n == 0) {
		attr_append(pkt, 0, RAD_ATTR_VENDOR_SPECIFIC, value, len)->invalid = true;
		return;
	}
	for (i = 0; i < n; i++) attr_append(pkt, pen, subs[i].type, subs[i].value, subs[i].len);
}

/*
 * A run of consecutive attributes of a concat type starting at off (RFC 3579 3.1: EAP-Message
 * attributes are consecutive and in order). Joins them into one value; returns the offset
 * after the run, or 0 when out of memory.
 */
static size_t decode_concat_run(struct rad_packet *pkt, size_t off, struct rad_attr *a)
{
	uint8_t const *buf = pkt->data;
	size_t end = off, total = 0, pieces = 0;
	uint8_t *joined;

	while (end < pkt->data_len && buf[end] == a->type) {
		total += buf[end + 1] - 2u;
		end += buf[end + 1];
		pieces++;
	}
	if (pieces == 1) return end;
	joined = talloc_size(pkt, total ? total : 1);
	if (!joined) return 0;
	a->value = joined;
	a->len = total;
	for (; off < end; off += buf[off + 1]) {
		memcpy(joined, buf + off + 2, buf[off + 1] - 2u);
		joined += buf[off + 1] - 2u;
	}
	return end;
}

/* Second walk over an already validated packet: fill pkt->attrs. Returns false on ENOMEM. */
static bool decode_fill(struct rad_packet *pkt)
{
	uint8_t const *buf = pkt->data;
	size_t off = RAD_HDR_LEN;

	while (off < pkt->data_len) {
		uint8_t type = buf[off], alen = buf[off + 1];
		struct rad_attr *a;

		if (type == RAD_ATTR_PROXY_STATE) pkt->has_proxy_state = true;
		if (type == RAD_ATTR_VENDOR_SPECIFIC) {
			decode_vsa(pkt, buf + off + 2, alen - 2u);
			off += alen;
			continue;
		}
		a = attr_append(pkt, 0, type, buf + off + 2, alen - 2u);
		if (rad_attr_is_concat(0, type, a->da)) {
			off = decode_concat_run(pkt, off, a);
			if (off == 0) return false;
			continue;
		}
		off += alen;
	}
	return true;
}

struct rad_packet *rad_packet_decode(TALLOC_CTX *ctx, struct dict const *dict, uint8_t const *buf,
				     size_t len, enum rad_decode_error *why)
{
	enum rad_decode_error dummy, e;
	struct rad_packet *pkt;
	size_t plen, n_slots = 0;
	ssize_t ma_offset;

	if (!why) why = &dummy;
	*why = RAD_DECODE_OK;
	if (!buf || len < RAD_HDR_LEN) {
		*why = RAD_DECODE_TOO_SHORT;
		return NULL;
	}
	plen = get_u16(buf + 2);
	if (plen < RAD_HDR_LEN || plen > RAD_MAX_LEN) {
		*why = RAD_DECODE_BAD_LENGTH;
		return NULL;
	}
	if (plen > len) {	/* octets beyond Length are padding and ignored (RFC 2865 3) */
		*why = RAD_DECODE_TRUNCATED;
		return NULL;
	}
	if (!rad_code_is_known(buf[0])) {
		*why = RAD_DECODE_UNKNOWN_CODE;
		return NULL;
	}
	e = decode_scan(dict, buf, plen, &n_slots, &ma_offset);
	if (e != RAD_DECODE_OK) {
		*why = e;
		return NULL;
	}

	pkt = talloc_zero(ctx, struct rad_packet);
	if (!pkt) goto nomem;
	pkt->dict = dict;
	pkt->code = buf[0];
	pkt->id = buf[1];
	memcpy(pkt->vector, buf + 4, RAD_VECTOR_LEN);
	pkt->ma_offset = ma_offset;
	pkt->data_len = plen;
	pkt->data = talloc_memdup(pkt, buf, plen);
	if (!pkt->data) goto nomem;
	if (n_slots) {
		pkt->attrs = talloc_array(pkt, struct rad_attr, n_slots);
		if (!pkt->attrs) goto nomem;
	}
	if (!decode_fill(pkt)) goto nomem;
	return pkt;

nomem:
	talloc_free(pkt);
	*why = RAD_DECODE_NO_MEMORY;
	return NULL;
}
