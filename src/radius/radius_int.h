/*
 * Internal helpers shared by the files of the RADIUS codec: cached OpenSSL algorithms
 * (MD5, HMAC-MD5), code classification and the fallback attribute properties used when the
 * dictionary is absent. Not part of the public API.
 */
#ifndef LATCHD_RADIUS_RADIUS_INT_H
#define LATCHD_RADIUS_RADIUS_INT_H

#include "radius/radius.h"

struct rad_iov {
	void const *p;
	size_t len;
};

/* MD5 over the concatenation of n parts. Returns 0, or -1 with err_msg(). */
int rad_md5(uint8_t out[16], struct rad_iov const *parts, size_t n);

/* HMAC-MD5 (RFC 2104) of data with key. Returns 0, or -1 with err_msg(). */
int rad_hmac_md5(uint8_t out[16], uint8_t const *key, size_t key_len, uint8_t const *data,
		 size_t len);

bool rad_code_is_known(unsigned code);
/* Access-Accept/-Reject/-Challenge, Accounting-Response, Disconnect/CoA-ACK/NAK. */
/* Accounting-, Disconnect- and CoA-Request: Request Authenticator is an MD5 (RFC 2866 3). */
bool rad_code_has_computed_request_auth(unsigned code);

/* Properties of an attribute, from the dictionary or the built-in fallback table. */
bool rad_attr_is_concat(uint32_t vendor, uint32_t type, struct dict_attr const *da);
uint8_t rad_attr_encrypt(uint32_t vendor, uint32_t type, struct dict_attr const *da);
bool rad_attr_has_tag(uint32_t vendor, uint32_t type, struct dict_attr const *da);

/* Vendor sub-attribute format (RFC 2865 5.26 default 1,1 when unknown). */
struct rad_vsa_format {
	uint8_t type_size;
	uint8_t length_size;
	bool continuation;
};
void rad_vsa_format_get(struct dict const *dict, uint32_t pen, struct rad_vsa_format *fmt);

#endif
