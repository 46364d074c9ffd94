/*
 * CHAP verification for RADIUS (RFC 2865 2.2 and 5.3, RFC 1994 4.1): the response is
 * MD5(CHAP Ident || password || challenge), compared in constant time.
 */
#include "radius/radius_int.h"

#include <openssl/crypto.h>

#include "util/hex.h"

bool rad_chap_check(uint8_t const *chap_password, size_t chap_len, uint8_t const *challenge,
		    size_t challenge_len, uint8_t const *pw, size_t pw_len)
{
	struct rad_iov parts[3];
	uint8_t md[16];
	bool ok;

	if (!chap_password || chap_len != 1 + 16 || (challenge_len && !challenge) ||
	    (pw_len && !pw))
		return false;
	/* RFC 2865 5.3: CHAP-Challenge may be any length; an empty one is useless. */
	if (challenge_len == 0) return false;
	parts[0] = (struct rad_iov){chap_password, 1};
	parts[1] = (struct rad_iov){pw, pw_len};
	parts[2] = (struct rad_iov){challenge, challenge_len};
	if (rad_md5(md, parts, 3) < 0) return false;
	ok = CRYPTO_memcmp(md, chap_password + 1, 16) == 0;
	mem_wipe(md, sizeof(md));
	return ok;
}
