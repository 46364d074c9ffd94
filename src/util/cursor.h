/*
 * Bounded byte cursors for reading and writing wire formats. A read past the end or a
 * write past the capacity never touches memory: it fails and marks the cursor as bad, so a
 * parser can do a run of reads and check once.
 */
#ifndef LATCHD_UTIL_CURSOR_H
#define LATCHD_UTIL_CURSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct rcursor {
	uint8_t const *p;
	uint8_t const *end;
	bool bad;
};

struct wcursor {
	uint8_t *start;
	uint8_t *p;
	uint8_t *end;
	bool bad;
};

static inline void rcursor_init(struct rcursor *c, void const *buf, size_t len)
{
	c->p = buf;
	c->end = len ? c->p + len : c->p;	/* NULL + 0 is undefined in C */
	c->bad = false;
}

static inline size_t rcursor_left(struct rcursor const *c)
{
	return (size_t)(c->end - c->p);
}

/* Each returns false (and sets bad) when fewer octets are left than asked for. */
bool rcursor_u8(struct rcursor *c, uint8_t *v);
bool rcursor_u16(struct rcursor *c, uint16_t *v);
bool rcursor_u32(struct rcursor *c, uint32_t *v);
bool rcursor_bytes(struct rcursor *c, void *out, size_t len);
/* Point *out at the next len octets without copying. */
bool rcursor_ref(struct rcursor *c, uint8_t const **out, size_t len);
bool rcursor_skip(struct rcursor *c, size_t len);

static inline void wcursor_init(struct wcursor *c, void *buf, size_t cap)
{
	c->start = buf;
	c->p = buf;
	c->end = cap ? c->p + cap : c->p;	/* NULL + 0 is undefined in C */
	c->bad = false;
}

static inline size_t wcursor_used(struct wcursor const *c)
{
	return (size_t)(c->p - c->start);
}

static inline size_t wcursor_left(struct wcursor const *c)
{
	return (size_t)(c->end - c->p);
}

bool wcursor_u8(struct wcursor *c, uint8_t v);
bool wcursor_u16(struct wcursor *c, uint16_t v);
bool wcursor_u32(struct wcursor *c, uint32_t v);
bool wcursor_bytes(struct wcursor *c, void const *in, size_t len);
/* Reserve len octets and return a pointer to them (NULL if they do not fit). */
uint8_t *wcursor_reserve(struct wcursor *c, size_t len);

/* Big-endian helpers for code that already checked its bounds. */
static inline uint16_t get_u16(uint8_t const *p)
{
	return (uint16_t)((p[0] << 8) | p[1]);
}

static inline uint32_t get_u32(uint8_t const *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static inline void put_u16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void put_u32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

#endif
