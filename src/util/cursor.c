/*
 * Bounded byte cursors (see cursor.h).
 */
#include "util/cursor.h"

#include <string.h>

bool rcursor_ref(struct rcursor *c, uint8_t const **out, size_t len)
{
	if (c->bad || rcursor_left(c) < len) {
		c->bad = true;
		return false;
	}
	*out = c->p;
	c->p += len;
	return true;
}

bool rcursor_bytes(struct rcursor *c, void *out, size_t len)
{
	uint8_t const *p;

	if (!rcursor_ref(c, &p, len)) return false;
	if (len) memcpy(out, p, len);
	return true;
}

bool rcursor_skip(struct rcursor *c, size_t len)
{
	uint8_t const *p;

	return rcursor_ref(c, &p, len);
}

bool rcursor_u8(struct rcursor *c, uint8_t *v)
{
	uint8_t const *p;

	if (!rcursor_ref(c, &p, 1)) return false;
	*v = p[0];
	return true;
}

bool rcursor_u16(struct rcursor *c, uint16_t *v)
{
	uint8_t const *p;

	if (!rcursor_ref(c, &p, 2)) return false;
	*v = get_u16(p);
	return true;
}

bool rcursor_u32(struct rcursor *c, uint32_t *v)
{
	uint8_t const *p;

	if (!rcursor_ref(c, &p, 4)) return false;
	*v = get_u32(p);
	return true;
}

uint8_t *wcursor_reserve(struct wcursor *c, size_t len)
{
	uint8_t *p;

	if (c->bad || wcursor_left(c) < len) {
		c->bad = true;
		return NULL;
	}
	p = c->p;
	c->p += len;
	return p;
}

bool wcursor_bytes(struct wcursor *c, void const *in, size_t len)
{
	uint8_t *p = wcursor_reserve(c, len);

	if (!p) return false;
	if (len) memcpy(p, in, len);
	return true;
}

bool wcursor_u8(struct wcursor *c, uint8_t v)
{
	return wcursor_bytes(c, &v, 1);
}

bool wcursor_u16(struct wcursor *c, uint16_t v)
{
	uint8_t b[2];

	put_u16(b, v);
	return wcursor_bytes(c, b, 2);
}

bool wcursor_u32(struct wcursor *c, uint32_t v)
{
	uint8_t b[4];

	put_u32(b, v);
	return wcursor_bytes(c, b, 4);
}
