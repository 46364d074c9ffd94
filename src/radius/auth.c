/*
 * Verifying authenticators of decoded packets: Response Authenticator (RFC 2865 3), Request
 * Authenticator of Accounting-Request (RFC 2866 3) and CoA/Disconnect-Request (RFC 5176 3.5),
 * and Message-Authenticator (RFC 3579 3.2, RFC 5176 3.4, RFC 5997 3). All comparisons are
 * constant time. (Signing happens in packet_encode.c.)
 */
#include "radius/radius_int.h"

#include <string.h>

#include <openssl/crypto.h>

#include "util/hex.h"

/* MD5(Code + Identifier + Length + vector + Attributes + Secret) == pkt->vector ? */
static bool auth_md5_ok(struct rad_packet const *pkt, uint8_t const *vector,
			uint8_t const *secret, size_t secret_len)
{
	struct rad_iov parts[4];
	uint8_t md[16];

	if (!pkt || !pkt->data || pkt->data_len < RAD_HDR_LEN || (secret_len && !secret))
		return false;
	parts[0] = (struct rad_iov){pkt->data, 4};
	parts[1] = (struct rad_iov){vector, RAD_VECTOR_LEN};
	parts[2] = (struct rad_iov){pkt->data + RAD_HDR_LEN, pkt->data_len - RAD_HDR_LEN};
	parts[3] = (struct rad_iov){secret, secret_len};
	if (rad_md5(md, parts, 4) < 0) return false;
	return CRYPTO_memcmp(md, pkt->data + 4, RAD_VECTOR_LEN) == 0;
}

bool rad_request_auth_ok(struct rad_packet const *pkt, uint8_t const *secret, size_t secret_len)
{
	static uint8_t const zero[RAD_VECTOR_LEN];

	if (!pkt || !rad_code_has_computed_request_auth(pkt->code)) return false;
	return auth_md5_ok(pkt, zero, secret, secret_len);
}

bool rad_response_auth_ok(struct rad_packet const *pkt, uint8_t const *req_vector,
			  uint8_t const *secret, size_t secret_len)
{
	if (!pkt || !req_vector || !rad_code_is_response(pkt->code)) return false;
	return auth_md5_ok(pkt, req_vector, secret, secret_len);
}

/*
 * RFC 3579 3.2: HMAC-MD5 over the packet with the Message-Authenticator value zeroed. The
 * Authenticator field holds the Request Authenticator for Access-Request and Status-Server,
 * the request's authenticator for responses, and zeros for Accounting-, CoA- and
 * Disconnect-Request, whose own authenticator is computed over the signed packet
 * (RFC 5176 3.4: the MA is computed before that authenticator; accounting does the same).
 */
enum rad_ma_status rad_packet_check_ma(struct rad_packet const *pkt, uint8_t const *secret,
				       size_t secret_len, uint8_t const *req_vector)
{
	uint8_t copy[RAD_MAX_LEN];
	uint8_t mac[16];
	size_t off;
	bool ok;

	if (!pkt || pkt->ma_offset < 0) return RAD_MA_ABSENT;
	off = (size_t)pkt->ma_offset;
	if (!pkt->data || pkt->data_len > sizeof(copy) || pkt->data_len < RAD_HDR_LEN ||
	    off > pkt->data_len || pkt->data_len - off < RAD_VECTOR_LEN)
		return RAD_MA_INVALID;
	if (rad_code_is_response(pkt->code) && !req_vector) return RAD_MA_INVALID;
	memcpy(copy, pkt->data, pkt->data_len);
	if (rad_code_is_response(pkt->code))
		memcpy(copy + 4, req_vector, RAD_VECTOR_LEN);
	else if (rad_code_has_computed_request_auth(pkt->code))
		memset(copy + 4, 0, RAD_VECTOR_LEN);
	memset(copy + off, 0, RAD_VECTOR_LEN);
	if (rad_hmac_md5(mac, secret, secret_len, copy, pkt->data_len) < 0) return RAD_MA_INVALID;
	ok = CRYPTO_memcmp(mac, pkt->data + off, RAD_VECTOR_LEN) == 0;
	return ok ? RAD_MA_VALID : RAD_MA_INVALID;
}
