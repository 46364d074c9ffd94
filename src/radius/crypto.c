/*
 * MD5 and HMAC-MD5 for the RADIUS codec through OpenSSL 3 EVP (RFC 2865 3, RFC 3579 3.2).
 * The algorithms are fetched once per process (pthread_once). Each thread keeps its own MD5
 * EVP_MD_CTX and HMAC EVP_MAC_CTX and reuses them for every packet: creating and freeing a
 * context per call was most of the codec's cost. The HMAC context also remembers the last key:
 * RADIUS signs with one shared secret per client, so the next packet with the same secret
 * re-initialises the MAC without hashing the key pads again (EVP_MAC_init with a NULL key).
 * The per-thread state is freed by a pthread key destructor when the thread exits; the main
 * thread's stays reachable from its thread-local pointer until the process ends.
 * rad_random() hands out random octets from a per-thread buffer filled by RAND_bytes 256 at a
 * time: a State or a salt then costs a copy instead of a DRBG call (OpenSSL 3.0 takes locks,
 * calls getpid() and re-keys its AES context on every call). latchd never forks after start,
 * so no two processes hand out the same buffered octets; used octets are wiped.
 */
#include "radius/radius_int.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "util/err.h"

/* Keys up to this size are remembered; longer ones are passed to OpenSSL on every call. */
#define CRYPTO_KEY_CACHE 128

struct crypto_tls {
	EVP_MD_CTX *md5;
	EVP_MAC_CTX *hmac;
	bool key_valid;		/* hmac holds key[0..key_len) */
	size_t key_len;
	uint8_t key[CRYPTO_KEY_CACHE];
	size_t rnd_left;	/* unused octets at the end of rnd */
	uint8_t rnd[256];
};

static pthread_once_t crypto_once = PTHREAD_ONCE_INIT;
static EVP_MD *md5_md;
static EVP_MAC *hmac_mac;
static EVP_MAC_CTX *hmac_md5_tmpl;	/* HMAC with digest=MD5 set; duplicated per thread */
static pthread_key_t crypto_key;
static bool crypto_key_ok;
static _Thread_local struct crypto_tls *crypto_tls;

static void crypto_tls_free(void *p)
{
	struct crypto_tls *t = p;

	if (!t) return;
	EVP_MD_CTX_free(t->md5);
	EVP_MAC_CTX_free(t->hmac);
	OPENSSL_cleanse(t, sizeof(*t));
	free(t);
	crypto_tls = NULL;
}

static void crypto_fetch(void)
{
	OSSL_PARAM params[2];

	crypto_key_ok = pthread_key_create(&crypto_key, crypto_tls_free) == 0;
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

/* This thread's contexts, created on first use. NULL with err_set() on failure. */
static struct crypto_tls *crypto_tls_get(void)
{
	struct crypto_tls *t = crypto_tls;

	if (t) return t;
	pthread_once(&crypto_once, crypto_fetch);
	if (!md5_md || !hmac_md5_tmpl || !crypto_key_ok) {
		err_set("radius: MD5 or HMAC-MD5 is not available from OpenSSL");
		return NULL;
	}
	t = calloc(1, sizeof(*t));
	if (!t) goto nomem;
	t->md5 = EVP_MD_CTX_new();
	t->hmac = EVP_MAC_CTX_dup(hmac_md5_tmpl);
	if (!t->md5 || !t->hmac || pthread_setspecific(crypto_key, t) != 0) goto nomem;
	crypto_tls = t;
	return t;

nomem:
	crypto_tls_free(t);
	err_set("radius: out of memory (MD5/HMAC contexts)");
	return NULL;
}

int rad_md5(uint8_t out[16], struct rad_iov const *parts, size_t n)
{
	struct crypto_tls *t = crypto_tls_get();
	unsigned int olen = 0;
	int ok;
	size_t i;

	if (!t) return -1;
	ok = EVP_DigestInit_ex2(t->md5, md5_md, NULL);
	for (i = 0; ok && i < n; i++) {
		if (parts[i].len) ok = EVP_DigestUpdate(t->md5, parts[i].p, parts[i].len);
	}
	if (ok) ok = EVP_DigestFinal_ex(t->md5, out, &olen);
	if (!ok || olen != 16) {
		err_set("radius: MD5 failed");
		return -1;
	}
	return 0;
}

int rad_random(void *out, size_t len)
{
	struct crypto_tls *t = crypto_tls_get();
	uint8_t *o = out;

	if (!t) return -1;
	if (len > sizeof(t->rnd) / 4) { /* large requests go straight to the DRBG */
		if (RAND_bytes(o, (int)len) == 1) return 0;
		err_set("radius: no random octets from OpenSSL");
		return -1;
	}
	if (t->rnd_left < len) {
		if (RAND_bytes(t->rnd, (int)sizeof(t->rnd)) != 1) {
			t->rnd_left = 0;
			err_set("radius: no random octets from OpenSSL");
			return -1;
		}
		t->rnd_left = sizeof(t->rnd);
	}
	t->rnd_left -= len;
	memcpy(o, t->rnd + t->rnd_left, len);
	OPENSSL_cleanse(t->rnd + t->rnd_left, len);
	return 0;
}

/* Start an HMAC with key; the key pads are computed only when the key changed. */
static int hmac_start(struct crypto_tls *t, uint8_t const *key, size_t key_len)
{
	static uint8_t const empty_key[1];

	if (t->key_valid && t->key_len == key_len &&
	    (key_len == 0 || CRYPTO_memcmp(t->key, key, key_len) == 0))
		return EVP_MAC_init(t->hmac, NULL, 0, NULL);
	t->key_valid = false;
	/* An empty key is legal HMAC; OpenSSL wants a non-NULL pointer for it. */
	if (!EVP_MAC_init(t->hmac, key_len ? key : empty_key, key_len, NULL)) return 0;
	if (key_len <= sizeof(t->key)) {
		if (key_len) memcpy(t->key, key, key_len);
		t->key_len = key_len;
		t->key_valid = true;
	}
	return 1;
}

int rad_hmac_md5(uint8_t out[16], uint8_t const *key, size_t key_len, uint8_t const *data,
		 size_t len)
{
	struct crypto_tls *t = crypto_tls_get();
	size_t olen = 0;
	int ok;

	if (!t) return -1;
	ok = hmac_start(t, key, key_len);
	if (ok && len) ok = EVP_MAC_update(t->hmac, data, len);
	if (ok) ok = EVP_MAC_final(t->hmac, out, &olen, 16);
	if (!ok || olen != 16) {
		t->key_valid = false;
		err_set("radius: HMAC-MD5 failed");
		return -1;
	}
	return 0;
}
