/*
 * Building packets to encode: a new empty packet, appending attributes (values copied,
 * still plain), and finding an attribute (RFC 2865 5: attributes are an ordered list).
 */
#include "radius/radius_int.h"

#include <string.h>

#include "util/err.h"

struct rad_packet *rad_packet_new(TALLOC_CTX *ctx, struct dict const *dict, uint8_t code,
				  uint8_t id)
{
	struct rad_packet *pkt = talloc_zero(ctx, struct rad_packet);

	if (!pkt) {
		err_set("radius: out of memory (packet)");
		return NULL;
	}
	pkt->dict = dict;
	pkt->code = code;
	pkt->id = id;
	pkt->ma_offset = -1;
	return pkt;
}

/* Make room for one more attribute; the array capacity is its talloc length. */
static int attrs_grow(struct rad_packet *pkt)
{
	size_t cap = pkt->attrs ? talloc_array_length(pkt->attrs) : 0;
	struct rad_attr *n;

	if (pkt->n_attrs < cap) return 0;
	/* Nothing encodable holds more than RAD_MAX_LEN / 2 attributes. */
	if (cap >= RAD_MAX_LEN / 2) {
		err_set("radius: too many attributes (%zu)", cap);
		return -1;
	}
	cap = cap ? cap * 2 : 16;
	n = talloc_realloc(pkt, pkt->attrs, struct rad_attr, cap);
	if (!n) {
		err_set("radius: out of memory (attributes)");
		return -1;
	}
	pkt->attrs = n;
	return 0;
}

int rad_attr_add(struct rad_packet *pkt, uint32_t vendor, uint32_t type, void const *value,
		 size_t len)
{
	struct rad_attr *a;
	uint8_t *copy;

	if (!pkt || (len && !value)) {
		err_set("radius: rad_attr_add: bad arguments");
		return -1;
	}
	if (len > RAD_MAX_LEN) {
		err_set("radius: attribute value of %zu octets can never fit a packet", len);
		return -1;
	}
	if (vendor == 0 && type > 255) {
		err_set("radius: attribute number %u out of range", (unsigned)type);
		return -1;
	}
	if (attrs_grow(pkt) < 0) return -1;
	copy = talloc_size(pkt, len ? len : 1);
	if (!copy) {
		err_set("radius: out of memory (attribute value)");
		return -1;
	}
	if (len) memcpy(copy, value, len);
	a = &pkt->attrs[pkt->n_attrs++];
	a->vendor = vendor;
	a->type = type;
	a->da = pkt->dict ? dict_attr_by_num(pkt->dict, vendor, type) : NULL;
	a->value = copy;
	a->len = len;
	a->invalid = false;
	return 0;
}

struct rad_attr const *rad_attr_find(struct rad_packet const *pkt, uint32_t vendor, uint32_t type)
{
	size_t i;

	if (!pkt) return NULL;
	for (i = 0; i < pkt->n_attrs; i++) {
		struct rad_attr const *a = &pkt->attrs[i];

		if (a->vendor == vendor && a->type == type) return a;
	}
	return NULL;
}
