/*
 * Hex encoding/decoding and secret wiping (see hex.h).
 */
#include "util/hex.h"

#include <string.h>

size_t hex_encode(char *out, size_t cap, uint8_t const *in, size_t len)
{
	static char const digits[] = "0123456789abcdef";
	size_t i;

	if (cap == 0) return 0;
	if (len > (cap - 1) / 2) len = (cap - 1) / 2;
	for (i = 0; i < len; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 0x0f];
	}
	out[2 * len] = '\0';
	return 2 * len;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

ssize_t hex_decode(uint8_t *out, size_t cap, char const *in, size_t len)
{
	size_t i;

	if (len % 2 || len / 2 > cap) return -1;
	for (i = 0; i < len / 2; i++) {
		int hi = hex_digit(in[2 * i]);
		int lo = hex_digit(in[2 * i + 1]);

		if (hi < 0 || lo < 0) return -1;
		out[i] = (uint8_t)((hi << 4) | lo);
	}
	return (ssize_t)(len / 2);
}

void mem_wipe(void *p, size_t len)
{
#ifdef HAVE_EXPLICIT_BZERO
	explicit_bzero(p, len);
#else
	volatile uint8_t *v = p;

	while (len--) *v++ = 0;
#endif
}
