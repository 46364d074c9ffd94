/*
 * MD5 and HMAC-MD5 for the RADIUS codec through OpenSSL 3 EVP (RFC 2865 3, RFC 3579 3.2).
 * The algorithms are fetched once per process (pthread_once) and shared read-only by all
 * threads: fetching per packet costs a provider lookup on the server's hot path.
 */
#include "radius/radius_int.h"

#include <pthread.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>

#include "util/err.h"

static pthread_once_t crypto_once = PTHREAD_ONCE_INIT;
static EVP_MD *md5_md;
static EVP_MAC *hmac_mac;
static EVP_MAC_CTX *hmac_md5_tmpl;	/* HMAC with digest=MD5 set; duplicated per call */

static void crypto_fetch(void)
{
	OSSL_PARAM params[2];

	md5_md = EVP_MD_fetch(NULL, "MD5", NULL);
	hmac_mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	if (!hmac_mac) return;
	hmac_md5_tmpl = EVP_MAC_CTX_new(hmac_mac);
	if (!hmac_md5_tmpl) return;
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)"MD5", 0);
	params[1] = OSSL_PARAM_construct_end();
	if (!EVP_MAC_CTX_set_params(hmac_md5_tmpl, params)) {
		EVP_MAC_CTX_free(hmac_md5_tmpl);
		hmac_md5_tmpl = NULL;
	}
}

int rad_md5(uint8_t out[16], struct rad_iov const *parts, size_t n)
{
	EVP_MD_CTX *ctx;
	unsigned int olen = 0;
	int ok;
	size_t i;

	pthread_once(&crypto_once, crypto_fetch);
	if (!md5_md) {
		err_set("radius: MD5 is not available from OpenSSL");
		return -1;
	}
	ctx = EVP_MD_CTX_new();
	if (!ctx) {
		err_set("radius: out of memory (MD5 context)");
		return -1;
	}
	ok = EVP_DigestInit_ex2(ctx, md5_md, NULL);
	for (i = 0; ok && i < n; i++) {
		if (parts[i].len) ok = EVP_DigestUpdate(ctx, parts[i].p, parts[i].len);
	}
	if (ok) ok = EVP_DigestFinal_ex(ctx, out, &olen);
	EVP_MD_CTX_free(ctx);
	if (!ok || olen != 16) {
		err_set("radius: MD5 failed");
		return -1;
	}
	return 0;
}

int rad_hmac_md5(uint8_t out[16], uint8_t const *key, size_t key_len, uint8_t const *data,
		 size_t len)
{
	static uint8_t const empty_key[1];
	EVP_MAC_CTX *ctx;
	size_t olen = 0;
	int ok;

	pthread_once(&crypto_once, crypto_fetch);
	if (!hmac_md5_tmpl) {
		err_set("radius: HMAC-MD5 is not available from OpenSSL");
		return -1;
	}
	ctx = EVP_MAC_CTX_dup(hmac_md5_tmpl);
	if (!ctx) {
		err_set("radius: out of memory (HMAC context)");
		return -1;
	}
	/* An empty key is legal HMAC; OpenSSL wants a non-NULL pointer for it. */
	ok = EVP_MAC_init(ctx, key_len ? key : empty_key, key_len, NULL);
	if (ok && len) ok = EVP_MAC_update(ctx, data, len);
	if (ok) ok = EVP_MAC_final(ctx, out, &olen, 16);
	EVP_MAC_CTX_free(ctx);
	if (!ok || olen != 16) {
		err_set("radius: HMAC-MD5 failed");
		return -1;
	}
	return 0;
}
