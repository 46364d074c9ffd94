/*
 * The cipher session tickets are encrypted with: AES-256-CBC (the RFC 5077 4 format), applied
 * to the session OpenSSL serialized, minus the client's certificate.
 *
 * Why: OpenSSL keeps the peer certificate in the session it encrypts into a ticket. With an
 * RSA leaf that makes an EAP-TLS ticket about 1.2 KB, so the ClientHello offering it no longer
 * fits one 1400-octet EAP fragment (one more round trip for every resumption), and every
 * resumption decodes the certificate again (d2i_X509, whose public key goes through
 * OSSL_DECODER in OpenSSL 3.0: 55 % of the server's CPU of a resumed TLS 1.2 handshake,
 * measured with callgrind). latchd does not need it: what a resumed session needs of the
 * certificate (issuer and serial for the revocation re-check, the printed names for the log
 * and the User-Name) travels in the ticket's application data (tls_resume.c). OpenSSL has no
 * switch to leave it out, but it hands the serialized session to the ticket's cipher; this
 * cipher drops the [3] peer element of the SSL_SESSION SEQUENCE and encrypts the rest with
 * OpenSSL's AES-256-CBC (an inner EVP_CIPHER_CTX). Decrypting is plain AES-256-CBC
 * (tls_ticket.c): the result is a session without a peer certificate, which d2i_SSL_SESSION
 * reads as such. A serialized session not in the expected shape is encrypted unchanged (the
 * ticket then still works, only larger).
 *
 * The cipher is made with EVP_CIPHER_meth_new: deprecated in OpenSSL 3.0 but present in every
 * 3.x, and the only way to hand SSL_CTX_set_tlsext_ticket_key_evp_cb a cipher of our own
 * short of writing a provider.
 */
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include "tls/tls_int.h"

#include <limits.h>
#include <pthread.h>
#include <string.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

/* SSL_SESSION_ASN1.peer: [3] EXPLICIT Certificate OPTIONAL (OpenSSL ssl/ssl_asn1.c). */
#define PEER_TAG 0xa3
#define DER_SEQUENCE 0x30

/* A DER length at p (n octets there). Returns the octets it takes, 0 if malformed or above
 * 2^32 - 1 (which no session reaches). */
static size_t der_length(uint8_t const *p, size_t n, size_t *len)
{
	size_t k, v = 0;

	if (n < 1)
		return 0;
	if (p[0] < 0x80) {
		*len = p[0];
		return 1;
	}
	k = p[0] & 0x7fu;
	if (k == 0 || k > 4 || n < 1 + k)
		return 0;
	for (size_t i = 0; i < k; i++)
		v = (v << 8) | p[1 + i];
	*len = v;
	return 1 + k;
}

/* A DER length for len into out (at least 5 octets). Returns the octets written. */
static size_t der_length_put(size_t len, uint8_t *out)
{
	size_t k = 0;

	if (len < 0x80) {
		out[0] = (uint8_t)len;
		return 1;
	}
	for (size_t v = len; v; v >>= 8)
		k++;
	out[0] = (uint8_t)(0x80 | k);
	for (size_t i = 0; i < k; i++)
		out[1 + i] = (uint8_t)(len >> (8 * (k - 1 - i)));
	return 1 + k;
}

size_t tls_ticket_strip_peer(uint8_t const *in, size_t inl, uint8_t *out, size_t cap)
{
	size_t hdr, body, start, drop_at = 0, drop_len = 0, w;

	if (inl < 2 || in[0] != DER_SEQUENCE)
		return 0;
	hdr = der_length(in + 1, inl - 1, &body);
	if (hdr == 0 || body != inl - 1 - hdr)
		return 0;
	start = 1 + hdr;
	for (size_t p = start; p < inl;) {
		size_t len = 0, h;

		if ((in[p] & 0x1f) == 0x1f || p + 1 >= inl)
			return 0; /* multi-octet tags never occur in a session */
		h = der_length(in + p + 1, inl - p - 1, &len);
		if (h == 0 || len > inl - p - 1 - h)
			return 0;
		if (in[p] == PEER_TAG) {
			if (drop_len)
				return 0;
			drop_at = p;
			drop_len = 1 + h + len;
		}
		p += 1 + h + len;
	}
	if (drop_len == 0 || cap < inl)
		return 0;
	out[0] = DER_SEQUENCE;
	w = 1 + der_length_put(body - drop_len, out + 1);
	memcpy(out + w, in + start, drop_at - start);
	w += drop_at - start;
	memcpy(out + w, in + drop_at + drop_len, inl - drop_at - drop_len);
	return w + inl - drop_at - drop_len;
}

struct strip_state {
	EVP_CIPHER_CTX *aes;
};

static int strip_init(EVP_CIPHER_CTX *ctx, unsigned char const *key, unsigned char const *iv,
		      int enc)
{
	struct strip_state *st = EVP_CIPHER_CTX_get_cipher_data(ctx);

	if (!st || !enc)
		return 0; /* encryption only: tickets are decrypted with EVP_aes_256_cbc() */
	if (!st->aes)
		st->aes = EVP_CIPHER_CTX_new();
	return st->aes && EVP_EncryptInit_ex(st->aes, EVP_aes_256_cbc(), NULL, key, iv) == 1;
}

/* With EVP_CIPH_FLAG_CUSTOM_CIPHER: in != NULL is EVP_EncryptUpdate, in == NULL
 * EVP_EncryptFinal; returns the octets written to out, or -1. */
static int strip_do(EVP_CIPHER_CTX *ctx, unsigned char *out, unsigned char const *in,
		    size_t inl)
{
	struct strip_state *st = EVP_CIPHER_CTX_get_cipher_data(ctx);
	uint8_t *tmp;
	size_t m;
	int n = 0, ok;

	if (!st || !st->aes || inl > INT_MAX / 2)
		return -1;
	if (!in)
		return EVP_EncryptFinal_ex(st->aes, out, &n) == 1 ? n : -1;
	tmp = OPENSSL_malloc(inl ? inl : 1);
	if (!tmp)
		return -1;
	m = tls_ticket_strip_peer(in, inl, tmp, inl);
	ok = EVP_EncryptUpdate(st->aes, out, &n, m ? tmp : in, (int)(m ? m : inl)) == 1;
	OPENSSL_clear_free(tmp, inl ? inl : 1);
	return ok ? n : -1;
}

static int strip_cleanup(EVP_CIPHER_CTX *ctx)
{
	struct strip_state *st = EVP_CIPHER_CTX_get_cipher_data(ctx);

	if (st) {
		EVP_CIPHER_CTX_free(st->aes);
		st->aes = NULL;
	}
	return 1;
}

static EVP_CIPHER *strip_cipher;
static pthread_once_t strip_once = PTHREAD_ONCE_INIT;

static void strip_make(void)
{
	EVP_CIPHER *c = EVP_CIPHER_meth_new(NID_undef, 16, 32);

	if (c && EVP_CIPHER_meth_set_iv_length(c, 16) == 1 &&
	    EVP_CIPHER_meth_set_flags(c, EVP_CIPH_CBC_MODE | EVP_CIPH_FLAG_CUSTOM_CIPHER) == 1 &&
	    EVP_CIPHER_meth_set_init(c, strip_init) == 1 &&
	    EVP_CIPHER_meth_set_do_cipher(c, strip_do) == 1 &&
	    EVP_CIPHER_meth_set_cleanup(c, strip_cleanup) == 1 &&
	    EVP_CIPHER_meth_set_impl_ctx_size(c, sizeof(struct strip_state)) == 1) {
		strip_cipher = c; /* process lifetime, shared read-only by every thread */
		return;
	}
	EVP_CIPHER_meth_free(c);
}

EVP_CIPHER const *tls_ticket_cipher(void)
{
	pthread_once(&strip_once, strip_make);
	return strip_cipher ? strip_cipher : EVP_aes_256_cbc();
}
