/*
 * MD4 (RFC 1320) and DES-ECB for MS-CHAP (RFC 2759 8, RFC 2433 A) from OpenSSL 3's legacy
 * provider.
 *
 * Decision: the legacy provider is loaded into a PRIVATE library context (OSSL_LIB_CTX_new,
 * then OSSL_PROVIDER_load of "legacy" and "default" into that context), MD4 and DES-ECB are
 * fetched from it exactly once (pthread_once), and nothing is ever loaded into the default
 * context. TLS uses the default context, so MD4, DES, RC4 and friends stay invisible to it
 * whatever the peer offers. If the provider cannot be loaded, every MS-CHAP function fails
 * with an error naming the package that ships it (Debian: libssl3 / libssl3t64 carry
 * ossl-modules/legacy.so); there is deliberately no hand-rolled MD4 or DES fallback.
 */
#include "methods/legacy_crypto.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/provider.h>
#include <pthread.h>
#include <stdio.h>

#include "util/err.h"
#include "util/hex.h"

static pthread_once_t legacy_once = PTHREAD_ONCE_INIT;
static OSSL_LIB_CTX *legacy_libctx;	/* private: never the default context */
static OSSL_PROVIDER *legacy_prov;
static OSSL_PROVIDER *default_prov;
static EVP_MD *md4_md;
static EVP_CIPHER *des_ecb;
static char legacy_error[512];		/* why init failed; "" when it worked */

/* Remember why loading failed (with OpenSSL's reason) and drop the provider pieces. */
static void legacy_fail(char const *what)
{
	char const *data = NULL;
	int flags = 0;
	/* The first queued error is the useful one (e.g. the DSO error with the file name). */
	unsigned long e = ERR_peek_error_all(NULL, NULL, NULL, &data, &flags);
	char const *r = e ? ERR_reason_error_string(e) : NULL;

	if (!(flags & ERR_TXT_STRING)) data = NULL;
	snprintf(legacy_error, sizeof(legacy_error),
		 "MS-CHAP needs %s from OpenSSL's legacy provider, which could not be loaded "
		 "(%s%s%s); install the package that ships ossl-modules/legacy.so (Debian: libssl3 "
		 "or libssl3t64) or point OPENSSL_MODULES at its directory",
		 what, r ? r : "no reason given", data && *data ? ": " : "", data ? data : "");
	ERR_clear_error();
	EVP_MD_free(md4_md);
	EVP_CIPHER_free(des_ecb);
	md4_md = NULL;
	des_ecb = NULL;
	if (legacy_prov) OSSL_PROVIDER_unload(legacy_prov);
	if (default_prov) OSSL_PROVIDER_unload(default_prov);
	legacy_prov = default_prov = NULL;
	OSSL_LIB_CTX_free(legacy_libctx);
	legacy_libctx = NULL;
}

static void legacy_load(void)
{
	legacy_libctx = OSSL_LIB_CTX_new();
	if (!legacy_libctx) {
		legacy_fail("MD4 and DES (library context)");
		return;
	}
	legacy_prov = OSSL_PROVIDER_load(legacy_libctx, "legacy");
	default_prov = OSSL_PROVIDER_load(legacy_libctx, "default");
	if (!legacy_prov || !default_prov) {
		legacy_fail("MD4 and DES");
		return;
	}
	md4_md = EVP_MD_fetch(legacy_libctx, "MD4", NULL);
	if (!md4_md) {
		legacy_fail("MD4");
		return;
	}
	des_ecb = EVP_CIPHER_fetch(legacy_libctx, "DES-ECB", NULL);
	if (!des_ecb) {
		legacy_fail("DES-ECB");
		return;
	}
}

int legacy_crypto_init(void)
{
	if (pthread_once(&legacy_once, legacy_load) != 0) {
		err_set("MS-CHAP: cannot run the legacy provider initialisation");
		return -1;
	}
	if (!md4_md || !des_ecb) {
		err_set("%s", legacy_error);
		return -1;
	}
	return 0;
}

int legacy_md4(uint8_t out[16], uint8_t const *in, size_t len)
{
	unsigned int n = 0;

	if (legacy_crypto_init() < 0) return -1;
	if (!EVP_Digest(len ? in : (uint8_t const *)"", len, out, &n, md4_md, NULL) || n != 16) {
		ERR_clear_error();
		err_set("MD4 failed");
		return -1;
	}
	return 0;
}

/* Spread 56 key bits (7 octets, most significant first) over 8 octets, odd parity low bit. */
static void des_key_expand(uint8_t key8[8], uint8_t const key7[7])
{
	uint64_t v = 0;

	for (int i = 0; i < 7; i++) v = (v << 8) | key7[i];
	for (int i = 0; i < 8; i++) {
		uint8_t b = (uint8_t)(((v >> (49 - 7 * i)) & 0x7f) << 1);
		uint8_t ones = 0;

		for (uint8_t t = b; t; t &= (uint8_t)(t - 1)) ones++;
		key8[i] = (uint8_t)(b | ((ones & 1) ? 0 : 1));
	}
}

int legacy_des_encrypt(uint8_t out[8], uint8_t const key7[7], uint8_t const clear[8])
{
	EVP_CIPHER_CTX *c;
	uint8_t key8[8];
	int n = 0;
	int ok;

	if (legacy_crypto_init() < 0) return -1;
	c = EVP_CIPHER_CTX_new();
	if (!c) {
		err_set("DES: out of memory");
		return -1;
	}
	des_key_expand(key8, key7);
	ok = EVP_EncryptInit_ex2(c, des_ecb, key8, NULL, NULL) &&
	     EVP_CIPHER_CTX_set_padding(c, 0) && EVP_EncryptUpdate(c, out, &n, clear, 8) && n == 8;
	EVP_CIPHER_CTX_free(c);
	mem_wipe(key8, sizeof(key8));
	if (!ok) {
		ERR_clear_error();
		err_set("DES-ECB encryption failed");
		return -1;
	}
	return 0;
}
