/*
 * MS-CHAPv2 (RFC 2759 8) and MS-CHAPv1 (RFC 2433 A) response checks, the MS-CHAPv2 MPPE key
 * derivation (RFC 3079 3.3, 3.4), CHAP (RFC 1994 4.1), and the RFC 2548 attribute layouts
 * that carry them in RADIUS (and inside TTLS, RFC 5281 11.2).
 *
 * SHA1 and MD5 come from OpenSSL's default context through EVP; MD4 and DES come from the
 * private legacy context in legacy_crypto.c. Comparisons are constant time (CRYPTO_memcmp)
 * and every intermediate that depends on the password is wiped before returning.
 */
#include "methods/mschap.h"

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "methods/legacy_crypto.h"
#include "util/err.h"
#include "util/hex.h"

struct part {
	void const *p;
	size_t len;
};

static char const *const verdict_names[] = {
	[MSCHAP_MATCH] = "match",
	[MSCHAP_MISMATCH] = "mismatch",
	[MSCHAP_ERROR] = "error",
};

char const *mschap_verdict_name(enum mschap_verdict v)
{
	if ((unsigned)v >= sizeof(verdict_names) / sizeof(verdict_names[0])) return "?";
	return verdict_names[v];
}

/* SHA1 and MD5 fetched once: EVP_sha1() and EVP_md5() make EVP_DigestInit fetch each time. */
static pthread_once_t md_once = PTHREAD_ONCE_INIT;
static EVP_MD *sha1_fetched, *md5_fetched;

static void md_fetch(void)
{
	sha1_fetched = EVP_MD_fetch(NULL, "SHA1", NULL);
	md5_fetched = EVP_MD_fetch(NULL, "MD5", NULL);
	ERR_clear_error();
}

static EVP_MD const *md_sha1(void)
{
	pthread_once(&md_once, md_fetch);
	return sha1_fetched ? sha1_fetched : EVP_sha1();
}

static EVP_MD const *md_md5(void)
{
	pthread_once(&md_once, md_fetch);
	return md5_fetched ? md5_fetched : EVP_md5();
}

/* out = H(part 0 || part 1 || ...) through EVP in the default context. */
static int digest_parts(EVP_MD const *md, uint8_t *out, size_t out_len, struct part const *parts,
			size_t n)
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	unsigned int got = 0;
	int ok = c && EVP_DigestInit_ex2(c, md, NULL);

	for (size_t i = 0; ok && i < n; i++)
		if (parts[i].len) ok = EVP_DigestUpdate(c, parts[i].p, parts[i].len);
	ok = ok && EVP_DigestFinal_ex(c, out, &got) && got == out_len;
	EVP_MD_CTX_free(c);
	if (!ok) {
		ERR_clear_error();
		err_set("%s digest failed", md ? EVP_MD_get0_name(md) : "?");
		return -1;
	}
	return 0;
}

/* ---- NT password hash (RFC 2759 8.3, 8.4) ---- */

/*
 * Decode one UTF-8 sequence at in[*i] into a code point, refusing overlong forms,
 * surrogates and values above U+10FFFF (RFC 3629 3). Returns the code point or -1.
 */
static long utf8_next(unsigned char const *in, size_t len, size_t *i)
{
	unsigned char b = in[(*i)++];
	long cp, min;
	int n;

	if (b < 0x80) return b;
	if (b >= 0xC2 && b <= 0xDF) {
		cp = b & 0x1F, n = 1, min = 0x80;
	} else if ((b & 0xF0) == 0xE0) {
		cp = b & 0x0F, n = 2, min = 0x800;
	} else if (b >= 0xF0 && b <= 0xF4) {
		cp = b & 0x07, n = 3, min = 0x10000;
	} else {
		return -1;
	}
	if ((size_t)n > len - *i) return -1;
	for (int k = 0; k < n; k++) {
		unsigned char c = in[(*i)++];

		if ((c & 0xC0) != 0x80) return -1;
		cp = (cp << 6) | (c & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return -1;
	return cp;
}

/* UTF-8 -> UTF-16LE into out (cap octets). Returns octets written or -1. */
static ssize_t utf8_to_utf16le(uint8_t *out, size_t cap, char const *in, size_t len)
{
	unsigned char const *s = (unsigned char const *)in;
	size_t i = 0, o = 0;

	while (i < len) {
		long cp = utf8_next(s, len, &i);
		unsigned units[2];
		int nu = 1;

		if (cp < 0) return -1;
		if (cp >= 0x10000) {
			cp -= 0x10000;
			units[0] = 0xD800 | (unsigned)(cp >> 10);
			units[1] = 0xDC00 | (unsigned)(cp & 0x3FF);
			nu = 2;
		} else {
			units[0] = (unsigned)cp;
		}
		if ((size_t)nu * 2 > cap - o) return -1;
		for (int k = 0; k < nu; k++) {
			out[o++] = (uint8_t)(units[k] & 0xFF);
			out[o++] = (uint8_t)(units[k] >> 8);
		}
	}
	return (ssize_t)o;
}

int mschap_nt_hash(uint8_t out[MSCHAP_NT_HASH_LEN], char const *pw, size_t pw_len)
{
	uint8_t u16[2 * MSCHAP_PASSWORD_MAX];
	ssize_t n;
	int rc;

	if (pw_len && !pw) {
		err_set("NT hash: no password");
		return -1;
	}
	n = utf8_to_utf16le(u16, sizeof(u16), pw, pw_len);
	if (n < 0) {
		mem_wipe(u16, sizeof(u16));
		err_set("NT hash: the password is not valid UTF-8 or is longer than %d UTF-16 "
			"characters (RFC 2759 8.1)", MSCHAP_PASSWORD_MAX);
		return -1;
	}
	rc = legacy_md4(out, u16, (size_t)n);
	mem_wipe(u16, sizeof(u16));
	return rc;
}

int mschap_nt_hash_hash(uint8_t out[MSCHAP_NT_HASH_LEN], uint8_t const nt_hash[MSCHAP_NT_HASH_LEN])
{
	return legacy_md4(out, nt_hash, MSCHAP_NT_HASH_LEN);
}

int mschap_cred_nt_hash(uint8_t out[MSCHAP_NT_HASH_LEN], struct mschap_cred const *cred)
{
	if (cred && cred->nt_hash) {
		memcpy(out, cred->nt_hash, MSCHAP_NT_HASH_LEN);
		return 0;
	}
	if (cred && cred->cleartext)
		return mschap_nt_hash(out, cred->cleartext, cred->cleartext_len);
	err_set("MS-CHAP needs an NT-Password or a Cleartext-Password for the user");
	return -1;
}

/* ---- MS-CHAPv2 response (RFC 2759 8.1, 8.2, 8.5, 8.7) ---- */

void mschap_user_name_strip(char const **name, size_t *len)
{
	char const *bs = *len ? memchr(*name, '\\', *len) : NULL;

	if (!bs) return;
	*len -= (size_t)(bs + 1 - *name);
	*name = bs + 1;
}

/* The exchange is usable: challenges present, user name bounded (hostile input). */
static bool exchange_ok(struct mschapv2_exchange const *x)
{
	if (!x || !x->auth_challenge || !x->peer_challenge || (x->user_len && !x->user)) {
		err_set("MS-CHAPv2: incomplete exchange");
		return false;
	}
	if (x->user_len > MSCHAP_USER_NAME_MAX) {
		err_set("MS-CHAPv2: user name of %zu octets is too long (at most %d)", x->user_len,
			MSCHAP_USER_NAME_MAX);
		return false;
	}
	return true;
}

int mschapv2_challenge_hash(uint8_t out[MSCHAP_V1_CHALLENGE_LEN],
			    uint8_t const peer_challenge[MSCHAP_V2_CHALLENGE_LEN],
			    uint8_t const auth_challenge[MSCHAP_V2_CHALLENGE_LEN],
			    char const *user, size_t user_len)
{
	uint8_t md[20];
	struct part parts[3];

	/* RFC 2759 8.2: only the user name, "excluding any prepended domain name". */
	mschap_user_name_strip(&user, &user_len);
	parts[0] = (struct part){peer_challenge, MSCHAP_V2_CHALLENGE_LEN};
	parts[1] = (struct part){auth_challenge, MSCHAP_V2_CHALLENGE_LEN};
	parts[2] = (struct part){user, user_len};
	if (digest_parts(md_sha1(), md, sizeof(md), parts, 3) < 0) return -1;
	memcpy(out, md, MSCHAP_V1_CHALLENGE_LEN);
	return 0;
}

static int exchange_challenge_hash(uint8_t out[MSCHAP_V1_CHALLENGE_LEN],
				   struct mschapv2_exchange const *x)
{
	return mschapv2_challenge_hash(out, x->peer_challenge, x->auth_challenge, x->user,
				       x->user_len);
}

int mschap_challenge_response(uint8_t out[MSCHAP_NT_RESPONSE_LEN],
			      uint8_t const challenge[MSCHAP_V1_CHALLENGE_LEN],
			      uint8_t const nt_hash[MSCHAP_NT_HASH_LEN])
{
	uint8_t z[21] = {0};	/* ZPasswordHash: the hash padded with zeros to 21 octets */
	int rc = 0;

	memcpy(z, nt_hash, MSCHAP_NT_HASH_LEN);
	for (int i = 0; i < 3 && rc == 0; i++)
		rc = legacy_des_encrypt(out + 8 * i, z + 7 * i, challenge);
	mem_wipe(z, sizeof(z));
	return rc;
}

int mschapv2_nt_response(uint8_t out[MSCHAP_NT_RESPONSE_LEN], struct mschapv2_exchange const *x,
			 uint8_t const nt_hash[MSCHAP_NT_HASH_LEN])
{
	uint8_t ch[MSCHAP_V1_CHALLENGE_LEN];

	if (!exchange_ok(x)) return -1;
	if (exchange_challenge_hash(ch, x) < 0) return -1;
	return mschap_challenge_response(out, ch, nt_hash);
}

int mschapv2_auth_response(char out[MSCHAP_V2_AUTH_RESPONSE_LEN + 1],
			   struct mschapv2_exchange const *x,
			   uint8_t const nt_hash[MSCHAP_NT_HASH_LEN],
			   uint8_t const nt_response[MSCHAP_NT_RESPONSE_LEN])
{
	static char const magic1[] = "Magic server to client signing constant";
	static char const magic2[] = "Pad to make it do more than one iteration";
	static char const digits[] = "0123456789ABCDEF";
	uint8_t hh[MSCHAP_NT_HASH_LEN], md[20], ch[MSCHAP_V1_CHALLENGE_LEN];
	struct part parts[3];
	int rc = -1;

	out[0] = '\0';
	if (!exchange_ok(x) || mschap_nt_hash_hash(hh, nt_hash) < 0) goto done;
	parts[0] = (struct part){hh, sizeof(hh)};
	parts[1] = (struct part){nt_response, MSCHAP_NT_RESPONSE_LEN};
	parts[2] = (struct part){magic1, sizeof(magic1) - 1};
	if (digest_parts(md_sha1(), md, sizeof(md), parts, 3) < 0) goto done;
	if (exchange_challenge_hash(ch, x) < 0) goto done;
	parts[0] = (struct part){md, sizeof(md)};
	parts[1] = (struct part){ch, sizeof(ch)};
	parts[2] = (struct part){magic2, sizeof(magic2) - 1};
	if (digest_parts(md_sha1(), md, sizeof(md), parts, 3) < 0) goto done;
	out[0] = 'S';
	out[1] = '=';
	for (size_t i = 0; i < sizeof(md); i++) {
		out[2 + 2 * i] = digits[md[i] >> 4];
		out[3 + 2 * i] = digits[md[i] & 0x0F];
	}
	out[MSCHAP_V2_AUTH_RESPONSE_LEN] = '\0';
	rc = 0;
done:
	mem_wipe(hh, sizeof(hh));
	mem_wipe(md, sizeof(md));
	return rc;
}

/* ---- Verification ---- */

enum mschap_verdict mschapv2_verify(struct mschapv2_result *res, struct mschap_cred const *cred,
				    struct mschapv2_exchange const *x, uint8_t const *nt_response)
{
	uint8_t nt_hash[MSCHAP_NT_HASH_LEN], hh[MSCHAP_NT_HASH_LEN];
	uint8_t want[MSCHAP_NT_RESPONSE_LEN];
	enum mschap_verdict v = MSCHAP_ERROR;

	memset(res, 0, sizeof(*res));
	if (!nt_response || !exchange_ok(x)) return MSCHAP_MISMATCH;
	if (mschap_cred_nt_hash(nt_hash, cred) < 0) goto done;
	if (mschapv2_nt_response(want, x, nt_hash) < 0) goto done;
	if (CRYPTO_memcmp(want, nt_response, sizeof(want)) != 0) {
		err_set("MS-CHAPv2: NT-Response does not match");
		v = MSCHAP_MISMATCH;
		goto done;
	}
	if (mschapv2_auth_response(res->auth_response, x, nt_hash, nt_response) < 0 ||
	    mschap_nt_hash_hash(hh, nt_hash) < 0 ||
	    mschapv2_master_key(res->master_key, hh, nt_response) < 0)
		goto done;
	v = MSCHAP_MATCH;
done:
	if (v != MSCHAP_MATCH) mem_wipe(res, sizeof(*res));
	mem_wipe(nt_hash, sizeof(nt_hash));
	mem_wipe(hh, sizeof(hh));
	mem_wipe(want, sizeof(want));
	return v;
}

enum mschap_verdict mschapv1_verify(struct mschap_cred const *cred,
				    uint8_t const challenge[MSCHAP_V1_CHALLENGE_LEN],
				    uint8_t const *nt_response)
{
	uint8_t nt_hash[MSCHAP_NT_HASH_LEN], want[MSCHAP_NT_RESPONSE_LEN];
	enum mschap_verdict v = MSCHAP_ERROR;

	if (!challenge || !nt_response) {
		err_set("MS-CHAP: missing challenge or response");
		return MSCHAP_MISMATCH;
	}
	/* RFC 2433 A.1 NtChallengeResponse = ChallengeResponse(Challenge, NtPasswordHash). */
	if (mschap_cred_nt_hash(nt_hash, cred) < 0) goto done;
	if (mschap_challenge_response(want, challenge, nt_hash) < 0) goto done;
	v = CRYPTO_memcmp(want, nt_response, sizeof(want)) == 0 ? MSCHAP_MATCH : MSCHAP_MISMATCH;
	if (v == MSCHAP_MISMATCH) err_set("MS-CHAP: NT-Response does not match");
done:
	mem_wipe(nt_hash, sizeof(nt_hash));
	mem_wipe(want, sizeof(want));
	return v;
}

enum mschap_verdict chap_verify(struct mschap_cred const *cred, uint8_t ident,
				uint8_t const *challenge, size_t challenge_len,
				uint8_t const response[CHAP_RESPONSE_LEN])
{
	uint8_t md[CHAP_RESPONSE_LEN];
	struct part parts[3];
	enum mschap_verdict v;

	if (!cred || !cred->cleartext) {
		err_set("CHAP needs a Cleartext-Password for the user");
		return MSCHAP_ERROR;
	}
	/* An empty challenge makes the response a replayable password hash. */
	if (!challenge || challenge_len == 0 || !response) {
		err_set("CHAP: missing challenge or response");
		return MSCHAP_MISMATCH;
	}
	parts[0] = (struct part){&ident, 1};
	parts[1] = (struct part){cred->cleartext, cred->cleartext_len};
	parts[2] = (struct part){challenge, challenge_len};
	if (digest_parts(md_md5(), md, sizeof(md), parts, 3) < 0) return MSCHAP_ERROR;
	v = CRYPTO_memcmp(md, response, sizeof(md)) == 0 ? MSCHAP_MATCH : MSCHAP_MISMATCH;
	if (v == MSCHAP_MISMATCH) err_set("CHAP: response does not match");
	mem_wipe(md, sizeof(md));
	return v;
}

/* ---- Keys (RFC 3079 3.3, 3.4) ---- */

int mschapv2_master_key(uint8_t out[MSCHAP_V2_MASTER_KEY_LEN],
			uint8_t const nt_hash_hash[MSCHAP_NT_HASH_LEN],
			uint8_t const nt_response[MSCHAP_NT_RESPONSE_LEN])
{
	static char const magic1[] = "This is the MPPE Master Key";
	struct part parts[3];
	uint8_t md[20];
	int rc;

	parts[0] = (struct part){nt_hash_hash, MSCHAP_NT_HASH_LEN};
	parts[1] = (struct part){nt_response, MSCHAP_NT_RESPONSE_LEN};
	parts[2] = (struct part){magic1, sizeof(magic1) - 1};
	rc = digest_parts(md_sha1(), md, sizeof(md), parts, 3);
	if (rc == 0) memcpy(out, md, MSCHAP_V2_MASTER_KEY_LEN);
	mem_wipe(md, sizeof(md));
	return rc;
}

int mschapv2_start_key(uint8_t out[MSCHAP_V2_MPPE_KEY_LEN],
		       uint8_t const master_key[MSCHAP_V2_MASTER_KEY_LEN], bool is_send,
		       bool is_server)
{
	static char const magic2[] = "On the client side, this is the send key; "
				     "on the server side, it is the receive key.";
	static char const magic3[] = "On the client side, this is the receive key; "
				     "on the server side, it is the send key.";
	static uint8_t const pad1[40] = {0};
	uint8_t pad2[40];
	char const *s = (is_send == is_server) ? magic3 : magic2;
	struct part parts[4];
	uint8_t md[20];
	int rc;

	memset(pad2, 0xF2, sizeof(pad2));
	parts[0] = (struct part){master_key, MSCHAP_V2_MASTER_KEY_LEN};
	parts[1] = (struct part){pad1, sizeof(pad1)};
	parts[2] = (struct part){s, sizeof(magic2) - 1};	/* both are 84 octets */
	parts[3] = (struct part){pad2, sizeof(pad2)};
	rc = digest_parts(md_sha1(), md, sizeof(md), parts, 4);
	if (rc == 0) memcpy(out, md, MSCHAP_V2_MPPE_KEY_LEN);
	mem_wipe(md, sizeof(md));
	return rc;
}

int mschapv2_mppe_keys(uint8_t send[MSCHAP_V2_MPPE_KEY_LEN], uint8_t recv[MSCHAP_V2_MPPE_KEY_LEN],
		       uint8_t const master_key[MSCHAP_V2_MASTER_KEY_LEN])
{
	if (mschapv2_start_key(send, master_key, true, true) < 0 ||
	    mschapv2_start_key(recv, master_key, false, true) < 0) {
		mem_wipe(send, MSCHAP_V2_MPPE_KEY_LEN);
		return -1;
	}
	return 0;
}

int mschapv2_msk(uint8_t out[MSCHAP_V2_MSK_LEN],
		 uint8_t const master_key[MSCHAP_V2_MASTER_KEY_LEN])
{
	return mschapv2_mppe_keys(out + MSCHAP_V2_MPPE_KEY_LEN, out, master_key);
}

/* ---- RFC 2548 attribute layouts ---- */

int mschapv1_response_decode(struct mschapv1_response *out, uint8_t const *val, size_t len)
{
	if (!val || len != MSCHAP_V1_RESPONSE_ATTR_LEN) {
		err_set("MS-CHAP-Response: length %zu, want %d (RFC 2548 2.1.3)", len,
			MSCHAP_V1_RESPONSE_ATTR_LEN);
		return -1;
	}
	out->ident = val[0];
	out->use_nt = (val[1] & 0x01) != 0;
	memcpy(out->lm_response, val + 2, MSCHAP_NT_RESPONSE_LEN);
	memcpy(out->nt_response, val + 2 + MSCHAP_NT_RESPONSE_LEN, MSCHAP_NT_RESPONSE_LEN);
	return 0;
}

int mschapv2_response_decode(struct mschapv2_response *out, uint8_t const *val, size_t len)
{
	if (!val || len != MSCHAP_V2_RESPONSE_ATTR_LEN) {
		err_set("MS-CHAP2-Response: length %zu, want %d (RFC 2548 2.3.2)", len,
			MSCHAP_V2_RESPONSE_ATTR_LEN);
		return -1;
	}
	out->ident = val[0];
	out->flags = val[1];
	memcpy(out->peer_challenge, val + 2, MSCHAP_V2_CHALLENGE_LEN);
	/* 8 reserved octets (RFC 2759 4: zero) are ignored, as peers differ. */
	memcpy(out->nt_response, val + 2 + MSCHAP_V2_CHALLENGE_LEN + 8, MSCHAP_NT_RESPONSE_LEN);
	return 0;
}

ssize_t mschapv2_success_encode(uint8_t *out, size_t cap, uint8_t ident,
				char const auth_response[MSCHAP_V2_AUTH_RESPONSE_LEN + 1])
{
	size_t alen = auth_response ? strnlen(auth_response, MSCHAP_V2_AUTH_RESPONSE_LEN + 1) : 0;

	if (!out || cap < 1 + MSCHAP_V2_AUTH_RESPONSE_LEN || alen != MSCHAP_V2_AUTH_RESPONSE_LEN) {
		err_set("MS-CHAP2-Success: no room or malformed authenticator response");
		return -1;
	}
	out[0] = ident;
	memcpy(out + 1, auth_response, MSCHAP_V2_AUTH_RESPONSE_LEN);
	return 1 + MSCHAP_V2_AUTH_RESPONSE_LEN;
}

ssize_t mschapv2_error_encode(uint8_t *out, size_t cap, uint8_t ident, unsigned error,
			      bool retry, uint8_t const *challenge, char const *message)
{
	char hex[2 * MSCHAP_V2_CHALLENGE_LEN + 1] = "";
	int n;

	if (!out || cap < 2) {
		err_set("MS-CHAP-Error: no room");
		return -1;
	}
	if (challenge) hex_encode(hex, sizeof(hex), challenge, MSCHAP_V2_CHALLENGE_LEN);
	for (char *p = hex; *p; p++)	/* RFC 2759 6 shows upper-case hex */
		if (*p >= 'a' && *p <= 'f') *p = (char)(*p - 'a' + 'A');
	out[0] = ident;
	/* snprintf writes a NUL we do not send, so it may use the whole buffer. */
	n = snprintf((char *)out + 1, cap - 1, "E=%u R=%d%s%s V=3%s%s", error, retry ? 1 : 0,
		     challenge ? " C=" : "", hex, message ? " M=" : "", message ? message : "");
	if (n < 0 || (size_t)n >= cap - 1) {
		err_set("MS-CHAP-Error: %zu octets are not enough", cap);
		return -1;
	}
	return 1 + n;
}
