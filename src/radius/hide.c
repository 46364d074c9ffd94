/*
 * Attribute hiding with the shared secret: User-Password (RFC 2865 5.2) and the salted scheme
 * of Tunnel-Password (RFC 2868 3.5) and MS-MPPE-Send/Recv-Key (RFC 2548 2.4.2). Both chain
 * MD5(secret || previous cipher block) over 16-octet blocks; the first block is keyed with the
 * Request Authenticator (and the salt). Intermediate keystream is wiped after use.
 */
#include "radius/radius_int.h"

#include <string.h>


#include "util/err.h"
#include "util/hex.h"

#define BLOCK 16

/* b = MD5(secret || a || s), s may be empty. */
static int hide_key(uint8_t b[BLOCK], uint8_t const *secret, size_t secret_len, uint8_t const *a,
		    size_t a_len, uint8_t const *s, size_t s_len)
{
	struct rad_iov parts[3] = {{secret, secret_len}, {a, a_len}, {s, s_len}};

	return rad_md5(b, parts, 3);
}

static void xor_block(uint8_t *out, uint8_t const *in, uint8_t const *b)
{
	size_t i;

	for (i = 0; i < BLOCK; i++) out[i] = in[i] ^ b[i];
}

/*
 * Encrypt len octets (a multiple of 16) in place: c(1) = p(1) ^ MD5(S + first + first2),
 * c(i) = p(i) ^ MD5(S + c(i-1)).
 */
static int chain_encrypt(uint8_t *buf, size_t len, uint8_t const *secret, size_t secret_len,
			 uint8_t const *vector, uint8_t const *salt, size_t salt_len)
{
	uint8_t b[BLOCK];
	size_t off;
	int rc = 0;

	for (off = 0; off < len && rc == 0; off += BLOCK) {
		if (off == 0)
			rc = hide_key(b, secret, secret_len, vector, RAD_VECTOR_LEN, salt, salt_len);
		else
			rc = hide_key(b, secret, secret_len, buf + off - BLOCK, BLOCK, NULL, 0);
		if (rc == 0) xor_block(buf + off, buf + off, b);
	}
	mem_wipe(b, sizeof(b));
	return rc;
}

/* The inverse; runs from the last block back so that in may equal out. */
static int chain_decrypt(uint8_t *out, uint8_t const *in, size_t len, uint8_t const *secret,
			 size_t secret_len, uint8_t const *vector, uint8_t const *salt,
			 size_t salt_len)
{
	uint8_t b[BLOCK];
	size_t off = len;
	int rc = 0;

	while (off > 0 && rc == 0) {
		off -= BLOCK;
		if (off == 0)
			rc = hide_key(b, secret, secret_len, vector, RAD_VECTOR_LEN, salt, salt_len);
		else
			rc = hide_key(b, secret, secret_len, in + off - BLOCK, BLOCK, NULL, 0);
		if (rc == 0) xor_block(out + off, in + off, b);
	}
	mem_wipe(b, sizeof(b));
	return rc;
}

ssize_t rad_password_hide(uint8_t *out, size_t cap, uint8_t const *pw, size_t len,
			  uint8_t const *secret, size_t secret_len, uint8_t const *vector)
{
	size_t padded = len ? (len + BLOCK - 1) / BLOCK * BLOCK : BLOCK;

	if (!out || !vector || (len && !pw) || (secret_len && !secret)) {
		err_set("radius: password hide: bad arguments");
		return -1;
	}
	if (len > 128) {	/* RFC 2865 5.2 */
		err_set("radius: password of %zu octets is longer than 128", len);
		return -1;
	}
	if (padded > cap) {
		err_set("radius: hidden password needs %zu octets, %zu available", padded, cap);
		return -1;
	}
	if (len) memmove(out, pw, len);
	memset(out + len, 0, padded - len);
	if (chain_encrypt(out, padded, secret, secret_len, vector, NULL, 0) < 0) return -1;
	return (ssize_t)padded;
}

ssize_t rad_password_unhide(uint8_t *out, size_t cap, uint8_t const *in, size_t len,
			    uint8_t const *secret, size_t secret_len, uint8_t const *vector)
{
	if (!out || !in || !vector || (secret_len && !secret)) {
		err_set("radius: password unhide: bad arguments");
		return -1;
	}
	if (len == 0 || len % BLOCK || len > 128) {
		err_set("radius: hidden password of %zu octets (want 16..128, multiple of 16)", len);
		return -1;
	}
	if (len > cap) {
		err_set("radius: unhidden password needs %zu octets, %zu available", len, cap);
		return -1;
	}
	if (chain_decrypt(out, in, len, secret, secret_len, vector, NULL, 0) < 0) return -1;
	while (len > 0 && out[len - 1] == 0) len--;
	return (ssize_t)len;
}

ssize_t rad_salted_hide(uint8_t *out, size_t cap, uint8_t const *in, size_t len,
			uint8_t const *secret, size_t secret_len, uint8_t const *vector, uint16_t salt)
{
	size_t padded = (len + 1 + BLOCK - 1) / BLOCK * BLOCK;

	if (!out || !vector || (len && !in) || (secret_len && !secret)) {
		err_set("radius: salted hide: bad arguments");
		return -1;
	}
	if (len > 255) {	/* the length octet in front of the value */
		err_set("radius: value of %zu octets too long to hide", len);
		return -1;
	}
	if (2 + padded > cap) {
		err_set("radius: salted value needs %zu octets, %zu available", 2 + padded, cap);
		return -1;
	}
	if (salt == 0) {
		uint8_t r[2];

		if (rad_random(r, sizeof(r)) < 0) return -1;
		salt = (uint16_t)((r[0] << 8) | r[1]);
	}
	salt |= 0x8000;	/* RFC 2868 3.5: the most significant bit of the salt is set */
	if (len) memmove(out + 3, in, len);
	out[0] = (uint8_t)(salt >> 8);
	out[1] = (uint8_t)salt;
	out[2] = (uint8_t)len;
	memset(out + 3 + len, 0, padded - 1 - len);
	if (chain_encrypt(out + 2, padded, secret, secret_len, vector, out, 2) < 0) return -1;
	return (ssize_t)(2 + padded);
}

ssize_t rad_salted_unhide(uint8_t *out, size_t cap, uint8_t const *in, size_t len,
			  uint8_t const *secret, size_t secret_len, uint8_t const *vector)
{
	uint8_t plain[RAD_MAX_ATTR_VALUE];
	size_t vlen;
	ssize_t rc = -1;

	if (!out || !in || !vector || (secret_len && !secret)) {
		err_set("radius: salted unhide: bad arguments");
		return -1;
	}
	if (len < 2 + BLOCK || (len - 2) % BLOCK || len - 2 > sizeof(plain)) {
		err_set("radius: salted value of %zu octets (want 2 + a multiple of 16)", len);
		return -1;
	}
	if (chain_decrypt(plain, in + 2, len - 2, secret, secret_len, vector, in, 2) < 0)
		goto out;
	vlen = plain[0];
	if (vlen > len - 3) {
		err_set("radius: salted value: length octet %zu exceeds the data", vlen);
		goto out;
	}
	if (vlen > cap) {
		err_set("radius: unhidden value needs %zu octets, %zu available", vlen, cap);
		goto out;
	}
	memcpy(out, plain + 1, vlen);
	rc = (ssize_t)vlen;
out:
	mem_wipe(plain, sizeof(plain));
	return rc;
}
