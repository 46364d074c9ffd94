/*
 * Diameter AVP codec for EAP-TTLS (RFC 5281 10 and 10.1, RFC 6733 4.1): strict decode of a
 * buffer of AVPs with named rejection reasons, the mandatory-AVP check, EAP-Message joining
 * (as RFC 3579 3.1) and a bounded encoder. Every octet comes from inside a TLS tunnel whose
 * peer is not yet authenticated: each length is checked before it is used.
 */
#include "methods/ttls_avp.h"

#include "util/cursor.h"
#include "util/err.h"

#include <string.h>

static char const *const reason_names[TTLS_AVP_REASON_MAX] = {
	[TTLS_AVP_OK] = "ok",
	[TTLS_AVP_ERR_TRUNCATED_HEADER] = "truncated-header",
	[TTLS_AVP_ERR_LENGTH_ZERO] = "length-zero",
	[TTLS_AVP_ERR_LENGTH_TOO_SHORT] = "length-too-short",
	[TTLS_AVP_ERR_VENDOR_TOO_SHORT] = "vendor-too-short",
	[TTLS_AVP_ERR_LENGTH_EXCEEDS_DATA] = "length-exceeds-data",
	[TTLS_AVP_ERR_PADDING_TRUNCATED] = "padding-truncated",
	[TTLS_AVP_ERR_TOO_MANY] = "too-many",
	[TTLS_AVP_ERR_TOO_LONG] = "too-long",
	[TTLS_AVP_ERR_UNKNOWN_MANDATORY] = "unknown-mandatory",
	[TTLS_AVP_ERR_JOIN_NONE] = "join-none",
	[TTLS_AVP_ERR_JOIN_TOO_LONG] = "join-too-long",
	[TTLS_AVP_ERR_ENCODE_TOO_LONG] = "encode-too-long",
	[TTLS_AVP_ERR_ENCODE_NO_SPACE] = "encode-no-space",
	[TTLS_AVP_ERR_NO_MEMORY] = "no-memory",
};

char const *ttls_avp_reason_name(enum ttls_avp_reason r)
{
	if ((unsigned)r >= TTLS_AVP_REASON_MAX || !reason_names[r]) return "unknown-reason";
	return reason_names[r];
}

/* Record a failure: reason out-parameter (may be NULL) and the thread's error text. */
static void fail(enum ttls_avp_reason *reason, enum ttls_avp_reason r, size_t offset)
{
	if (reason) *reason = r;
	err_set("ttls-avp: %s (offset %zu)", ttls_avp_reason_name(r), offset);
}

/* Octets of padding after an AVP of AVP Length n (RFC 6733 4.1: to a multiple of 4). */
static size_t pad_len(size_t n)
{
	return (4 - (n & 3)) & 3;
}

/*
 * Decode the AVP at the start of buf (len octets left). On success fills *out and returns
 * the octets used, padding included; *unpadded tells the padding was missing at the very
 * end of the buffer. Returns 0 with *r set on failure (an AVP is never 0 octets long).
 */
static size_t avp_decode_one(struct ttls_avp *out, uint8_t const *buf, size_t len,
			     bool *unpadded, enum ttls_avp_reason *r)
{
	size_t avp_len, hdr = TTLS_AVP_HDR_LEN, pad;

	*unpadded = false;
	if (len < TTLS_AVP_HDR_LEN) {
		*r = TTLS_AVP_ERR_TRUNCATED_HEADER;
		return 0;
	}
	out->code = get_u32(buf);
	out->flags = buf[4];
	avp_len = ((size_t)buf[5] << 16) | ((size_t)buf[6] << 8) | buf[7];
	if (out->flags & TTLS_AVP_FLAG_V) hdr = TTLS_AVP_HDR_LEN_VENDOR;
	if (avp_len == 0) {
		*r = TTLS_AVP_ERR_LENGTH_ZERO;
	} else if (avp_len < TTLS_AVP_HDR_LEN) {
		*r = TTLS_AVP_ERR_LENGTH_TOO_SHORT;
	} else if (avp_len < hdr) {
		*r = TTLS_AVP_ERR_VENDOR_TOO_SHORT;
	} else if (avp_len > len) {
		*r = TTLS_AVP_ERR_LENGTH_EXCEEDS_DATA;
	} else {
		*r = TTLS_AVP_OK;
	}
	if (*r != TTLS_AVP_OK) return 0;

	out->vendor = hdr == TTLS_AVP_HDR_LEN_VENDOR ? get_u32(buf + 8) : 0;
	out->data = buf + hdr;
	out->len = avp_len - hdr;
	pad = pad_len(avp_len);
	if (len - avp_len >= pad) return avp_len + pad;
	if (len == avp_len) { /* last AVP, padding left out: tolerated (see ttls_avp.h) */
		*unpadded = true;
		return avp_len;
	}
	*r = TTLS_AVP_ERR_PADDING_TRUNCATED;
	return 0;
}

/*
 * Walk buf once; with avp == NULL only count. Returns the count or -1 with *r and the
 * failing offset in *where.
 */
static ssize_t avp_walk(struct ttls_avp_list *l, uint8_t const *buf, size_t len,
			enum ttls_avp_reason *r, size_t *where)
{
	size_t off = 0, n = 0;

	while (off < len) {
		struct ttls_avp a;
		bool unpadded;
		size_t used;

		if (n == TTLS_AVP_MAX_COUNT) {
			*r = TTLS_AVP_ERR_TOO_MANY;
			*where = off;
			return -1;
		}
		used = avp_decode_one(&a, buf + off, len - off, &unpadded, r);
		if (!used) {
			*where = off;
			return -1;
		}
		if (a.flags & TTLS_AVP_FLAG_RESERVED) l->reserved_flags = true;
		if (unpadded) l->unpadded_last = true;
		if (l->avp) l->avp[n] = a;
		n++;
		off += used;
	}
	return (ssize_t)n;
}

struct ttls_avp_list *ttls_avp_decode(TALLOC_CTX *ctx, uint8_t const *buf, size_t len,
				      enum ttls_avp_reason *reason)
{
	struct ttls_avp_list *l;
	enum ttls_avp_reason r = TTLS_AVP_OK;
	size_t where = 0;
	ssize_t n;

	if (len > TTLS_AVP_MAX_TOTAL) {
		fail(reason, TTLS_AVP_ERR_TOO_LONG, 0);
		return NULL;
	}
	if (!buf && len) {
		fail(reason, TTLS_AVP_ERR_TRUNCATED_HEADER, 0);
		return NULL;
	}
	l = talloc_zero(ctx, struct ttls_avp_list);
	if (!l) {
		fail(reason, TTLS_AVP_ERR_NO_MEMORY, 0);
		return NULL;
	}
	/* First pass validates and counts, second fills an array of exactly that size. */
	n = avp_walk(l, buf, len, &r, &where);
	if (n > 0) {
		l->avp = talloc_array(l, struct ttls_avp, (size_t)n);
		if (!l->avp) {
			r = TTLS_AVP_ERR_NO_MEMORY;
			n = -1;
		} else {
			n = avp_walk(l, buf, len, &r, &where);
		}
	}
	if (n < 0) {
		talloc_free(l);
		fail(reason, r, where);
		return NULL;
	}
	l->count = (size_t)n;
	if (reason) *reason = TTLS_AVP_OK;
	return l;
}

struct ttls_avp const *ttls_avp_find(struct ttls_avp_list const *l, uint32_t code,
				     uint32_t vendor)
{
	for (size_t i = 0; l && i < l->count; i++) {
		if (l->avp[i].code == code && l->avp[i].vendor == vendor) return &l->avp[i];
	}
	return NULL;
}

static bool id_known(struct ttls_avp const *a, struct ttls_avp_id const *known, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (known[i].code == a->code && known[i].vendor == a->vendor) return true;
	}
	return false;
}

int ttls_avp_check_mandatory(struct ttls_avp_list const *l, struct ttls_avp_id const *known,
			     size_t n, struct ttls_avp const **bad)
{
	if (bad) *bad = NULL;
	for (size_t i = 0; l && i < l->count; i++) {
		struct ttls_avp const *a = &l->avp[i];

		if (!ttls_avp_is_mandatory(a) || id_known(a, known, n)) continue;
		if (bad) *bad = a;
		err_set("ttls-avp: %s: AVP %u vendor %u (index %zu)",
			ttls_avp_reason_name(TTLS_AVP_ERR_UNKNOWN_MANDATORY), a->code, a->vendor,
			i);
		return -1;
	}
	return 0;
}

uint8_t *ttls_avp_join(TALLOC_CTX *ctx, struct ttls_avp_list const *l, uint32_t code,
		       uint32_t vendor, size_t max, size_t *out_len, enum ttls_avp_reason *reason)
{
	size_t total = 0, found = 0, off = 0;
	uint8_t *out;

	*out_len = 0;
	for (size_t i = 0; l && i < l->count; i++) {
		if (l->avp[i].code != code || l->avp[i].vendor != vendor) continue;
		found++;
		if (l->avp[i].len > max - total) {
			fail(reason, TTLS_AVP_ERR_JOIN_TOO_LONG, i);
			return NULL;
		}
		total += l->avp[i].len;
	}
	if (!found) {
		fail(reason, TTLS_AVP_ERR_JOIN_NONE, 0);
		return NULL;
	}
	out = talloc_array(ctx, uint8_t, total ? total : 1);
	if (!out) {
		fail(reason, TTLS_AVP_ERR_NO_MEMORY, 0);
		return NULL;
	}
	for (size_t i = 0; i < l->count; i++) {
		struct ttls_avp const *a = &l->avp[i];

		if (a->code != code || a->vendor != vendor || !a->len) continue;
		memcpy(out + off, a->data, a->len);
		off += a->len;
	}
	*out_len = total;
	if (reason) *reason = TTLS_AVP_OK;
	return out;
}

uint8_t *ttls_avp_eap_message_join(TALLOC_CTX *ctx, struct ttls_avp_list const *l,
				   size_t *out_len, enum ttls_avp_reason *reason)
{
	return ttls_avp_join(ctx, l, TTLS_AVP_EAP_MESSAGE, 0, TTLS_AVP_EAP_MAX, out_len, reason);
}

size_t ttls_avp_encoded_len(uint32_t vendor, size_t len)
{
	size_t n = (vendor ? TTLS_AVP_HDR_LEN_VENDOR : TTLS_AVP_HDR_LEN);

	if (len > TTLS_AVP_LENGTH_MAX) return SIZE_MAX;
	n += len;
	return n + pad_len(n);
}

ssize_t ttls_avp_encode(uint8_t *buf, size_t cap, uint32_t code, uint32_t vendor,
			bool mandatory, uint8_t const *data, size_t len,
			enum ttls_avp_reason *reason)
{
	size_t hdr = vendor ? TTLS_AVP_HDR_LEN_VENDOR : TTLS_AVP_HDR_LEN;
	size_t avp_len, total;
	struct wcursor w;
	uint8_t flags = 0;

	if (len > TTLS_AVP_LENGTH_MAX - hdr) {
		fail(reason, TTLS_AVP_ERR_ENCODE_TOO_LONG, 0);
		return -1;
	}
	avp_len = hdr + len;
	total = avp_len + pad_len(avp_len);
	if (!buf || total > cap) {
		fail(reason, TTLS_AVP_ERR_ENCODE_NO_SPACE, 0);
		return -1;
	}
	if (vendor) flags |= TTLS_AVP_FLAG_V;
	if (mandatory) flags |= TTLS_AVP_FLAG_M;
	wcursor_init(&w, buf, cap);
	wcursor_u32(&w, code);
	wcursor_u8(&w, flags);
	wcursor_u8(&w, (uint8_t)(avp_len >> 16));
	wcursor_u16(&w, (uint16_t)avp_len);
	if (vendor) wcursor_u32(&w, vendor);
	if (len) wcursor_bytes(&w, data, len);
	while (wcursor_used(&w) < total) wcursor_u8(&w, 0);
	if (w.bad) { /* cannot happen after the size check; never write a partial AVP */
		fail(reason, TTLS_AVP_ERR_ENCODE_NO_SPACE, 0);
		return -1;
	}
	if (reason) *reason = TTLS_AVP_OK;
	return (ssize_t)total;
}

ssize_t ttls_avp_list_encode(uint8_t *buf, size_t cap, struct ttls_avp_list const *l,
			     enum ttls_avp_reason *reason)
{
	size_t off = 0;

	if (reason) *reason = TTLS_AVP_OK;
	for (size_t i = 0; l && i < l->count; i++) {
		struct ttls_avp const *a = &l->avp[i];
		ssize_t n = ttls_avp_encode(buf ? buf + off : NULL, cap - off, a->code, a->vendor,
					    ttls_avp_is_mandatory(a), a->data, a->len, reason);

		if (n < 0) {
			err_prefix("AVP %zu", i);
			return -1;
		}
		off += (size_t)n;
	}
	return (ssize_t)off;
}
