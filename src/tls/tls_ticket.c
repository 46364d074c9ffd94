/*
 * Stateless session resumption: session tickets for TLS 1.2 (RFC 5077) and TLS 1.3
 * (RFC 8446 4.6.1), used by EAP-TLS as RFC 5216 2.1.3 and RFC 9190 2.1.2/2.1.3 describe.
 * Ticket keys are derived, not stored: HKDF-SHA256 (RFC 5869) of one secret (the
 * ticket_key_file, or a random one) and the number of the current key period, so servers
 * sharing the file agree on the keys without talking. Tickets are AES-256-CBC +
 * HMAC-SHA256 (the RFC 5077 4 recommended format, which OpenSSL builds), of the session
 * without the client's certificate (tls_ticket_cipher.c). The authorization of the full
 * handshake travels in the ticket's application data (tls_resume.c) and is checked again
 * before a ticket is used.
 */
#include "tls/tls_int.h"
#include "util/err.h"
#include "util/hex.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/rand.h>

#define TICKET_NAME_LEN 16
#define TICKET_AES_LEN 32
#define TICKET_HMAC_LEN 32
#define TICKET_KEY_FILE_MAX 4096
#define TICKET_LIFETIME_MAX 604800 /* RFC 8446 4.6.1: at most seven days */

struct ticket_keys {
	uint8_t name[TICKET_NAME_LEN];
	uint8_t aes[TICKET_AES_LEN];
	uint8_t hmac[TICKET_HMAC_LEN];
};

int64_t tls_ticket_now(struct tls_ticket_conf const *t)
{
	return (int64_t)(t->clock ? t->clock() : time(NULL));
}

/* keys = HKDF-SHA256(secret, info = "latchd ticket" || period (8 octets, big endian)). */
static int keys_hkdf(struct tls_ticket_conf const *t, int64_t period, struct ticket_keys *k)
{
	static char const label[] = "latchd ticket";
	uint8_t info[sizeof(label) - 1 + 8];
	uint8_t okm[sizeof(*k)];
	EVP_KDF *kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
	EVP_KDF_CTX *kctx = kdf ? EVP_KDF_CTX_new(kdf) : NULL;
	OSSL_PARAM params[4];
	int ok;

	memcpy(info, label, sizeof(label) - 1);
	for (int i = 0; i < 8; i++)
		info[sizeof(label) - 1 + i] = (uint8_t)((uint64_t)period >> (56 - 8 * i));
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *)"SHA256", 0);
	params[1] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, (void *)t->secret,
						      t->secret_len);
	params[2] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, info, sizeof(info));
	params[3] = OSSL_PARAM_construct_end();
	ok = kctx && EVP_KDF_derive(kctx, okm, sizeof(okm), params) == 1;
	EVP_KDF_CTX_free(kctx);
	EVP_KDF_free(kdf);
	if (ok) {
		memcpy(k->name, okm, TICKET_NAME_LEN);
		memcpy(k->aes, okm + TICKET_NAME_LEN, TICKET_AES_LEN);
		memcpy(k->hmac, okm + TICKET_NAME_LEN + TICKET_AES_LEN, TICKET_HMAC_LEN);
	}
	mem_wipe(okm, sizeof(okm));
	return ok ? 0 : -1;
}

/*
 * The keys of one period, remembered per thread: a resumption looks up to three periods and
 * every ticket made derives the current one, and HKDF through EVP_KDF costs more than the
 * rest of the ticket's crypto (measured: 4 % of the server's CPU in a resumption batch). A
 * slot is keyed by the whole secret and the period, so servers with other key files (a
 * reload, the tests' several servers in one thread) never share keys by mistake.
 */
#define KEY_CACHE_SLOTS 4
struct key_cache_slot {
	bool used;
	size_t secret_len;
	uint8_t secret[TLS_TICKET_SECRET_MAX];
	int64_t period;
	struct ticket_keys keys;
};
static _Thread_local struct key_cache_slot key_cache[KEY_CACHE_SLOTS];
static _Thread_local unsigned key_cache_next;

static int keys_derive(struct tls_ticket_conf const *t, int64_t period, struct ticket_keys *k)
{
	struct key_cache_slot *slot;

	for (unsigned i = 0; i < KEY_CACHE_SLOTS; i++) {
		slot = &key_cache[i];
		if (slot->used && slot->period == period && slot->secret_len == t->secret_len &&
		    CRYPTO_memcmp(slot->secret, t->secret, t->secret_len) == 0) {
			*k = slot->keys;
			return 0;
		}
	}
	if (keys_hkdf(t, period, k) < 0)
		return -1;
	slot = &key_cache[key_cache_next++ % KEY_CACHE_SLOTS];
	slot->used = true;
	slot->secret_len = t->secret_len;
	memcpy(slot->secret, t->secret, t->secret_len);
	slot->period = period;
	slot->keys = *k;
	return 0;
}

static int keys_use(struct ticket_keys *k, uint8_t const *iv, EVP_CIPHER_CTX *cctx,
		    EVP_MAC_CTX *hctx, int enc)
{
	OSSL_PARAM params[3];
	int ok;

	params[0] = OSSL_PARAM_construct_octet_string(OSSL_MAC_PARAM_KEY, k->hmac,
						      sizeof(k->hmac));
	params[1] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)"SHA256", 0);
	params[2] = OSSL_PARAM_construct_end();
	if (enc)
		ok = EVP_EncryptInit_ex(cctx, tls_ticket_cipher(), NULL, k->aes, iv) == 1;
	else
		ok = EVP_DecryptInit_ex(cctx, EVP_aes_256_cbc(), NULL, k->aes, iv) == 1;
	ok = ok && EVP_MAC_CTX_set_params(hctx, params) == 1;
	mem_wipe(k, sizeof(*k));
	return ok ? 1 : -1;
}

/*
 * OpenSSL's ticket key callback. Encrypting: the current period's key and a random IV.
 * Decrypting: find the key named in the ticket among the current, previous and next
 * periods (the next one covers a peer server whose clock is a little ahead); an older or
 * foreign ticket gets 0 and the handshake goes on as a full one. 2 asks for a new ticket.
 */
static int ticket_key_cb(SSL *s, unsigned char name[16], unsigned char iv[EVP_MAX_IV_LENGTH],
			 EVP_CIPHER_CTX *cctx, EVP_MAC_CTX *hctx, int enc)
{
	static int const deltas[] = {0, -1, 1};
	struct tls_conn *c = SSL_get_app_data(s);
	struct ticket_keys k;
	int64_t period;

	if (!c || !c->tickets.on || c->tickets.rotation == 0)
		return enc ? -1 : 0;
	period = tls_ticket_now(&c->tickets) / (int64_t)c->tickets.rotation;
	if (enc) {
		if (keys_derive(&c->tickets, period, &k) < 0)
			return -1;
		if (RAND_bytes(iv, 16) != 1) {
			mem_wipe(&k, sizeof(k));
			return -1;
		}
		memcpy(name, k.name, TICKET_NAME_LEN);
		return keys_use(&k, iv, cctx, hctx, 1);
	}
	for (size_t i = 0; i < sizeof(deltas) / sizeof(deltas[0]); i++) {
		int64_t p = period + deltas[i];

		if (keys_derive(&c->tickets, p, &k) < 0)
			return -1;
		if (CRYPTO_memcmp(name, k.name, TICKET_NAME_LEN) == 0)
			return keys_use(&k, iv, cctx, hctx, 0) < 0 ? -1 : p < period ? 2 : 1;
		mem_wipe(&k, sizeof(k));
	}
	return 0;
}

/* Before OpenSSL encrypts a ticket: attach the authorization to the session. */
static int ticket_gen_cb(SSL *s, void *arg)
{
	struct tls_conn *c = SSL_get_app_data(s);
	uint8_t buf[8192];
	ssize_t n;
	int ok = 1;

	(void)arg;
	if (!c)
		return 0;
	n = tls_resume_encode(c, buf, sizeof(buf));
	/* n == 0: no verified peer; the ticket then carries nothing and never resumes. */
	if (n > 0)
		ok = SSL_SESSION_set1_ticket_appdata(SSL_get0_session(s), buf, (size_t)n);
	mem_wipe(buf, n > 0 ? (size_t)n : 0);
	return n < 0 ? 0 : ok;
}

/* After OpenSSL decrypted (or failed to decrypt) an offered ticket: use it only if the
 * authorization inside still holds; otherwise a full handshake (and a new ticket). */
static SSL_TICKET_RETURN ticket_dec_cb(SSL *s, SSL_SESSION *ss, unsigned char const *keyname,
				       size_t keyname_len, SSL_TICKET_STATUS status, void *arg)
{
	struct tls_conn *c = SSL_get_app_data(s);
	void const *data = NULL;
	size_t len = 0;
	X509_STORE *store = SSL_CTX_get_cert_store(SSL_get_SSL_CTX(s));

	(void)keyname, (void)keyname_len, (void)arg;
	if (!c)
		return SSL_TICKET_RETURN_ABORT;
	TALLOC_FREE(c->resumed); /* a second ClientHello (after HelloRetryRequest) */
	switch (status) {
	case SSL_TICKET_SUCCESS:
	case SSL_TICKET_SUCCESS_RENEW:
		break;
	case SSL_TICKET_FATAL_ERR_MALLOC:
	case SSL_TICKET_FATAL_ERR_OTHER:
		return SSL_TICKET_RETURN_ABORT;
	case SSL_TICKET_NO_DECRYPT:
		snprintf(c->resume_refused, sizeof(c->resume_refused),
			 "ticket key unknown (another key file, or older than the previous key "
			 "period)");
		return SSL_TICKET_RETURN_IGNORE_RENEW;
	default: /* no ticket offered */
		return SSL_TICKET_RETURN_IGNORE_RENEW;
	}
	c->resumed = talloc_zero(c, struct tls_resume);
	if (!c->resumed)
		return SSL_TICKET_RETURN_ABORT;
	if (SSL_SESSION_get0_ticket_appdata(ss, (void **)&data, &len) != 1 ||
	    tls_resume_decode(c->resumed, data, len) < 0) {
		snprintf(c->resume_refused, sizeof(c->resume_refused),
			 "ticket holds no usable authorization");
	} else if (tls_resume_allowed(c, c->resumed, SSL_SESSION_get0_peer(ss), store,
				      c->resume_refused, sizeof(c->resume_refused))) {
		c->resume_refused[0] = '\0';
		return status == SSL_TICKET_SUCCESS ? SSL_TICKET_RETURN_USE
						    : SSL_TICKET_RETURN_USE_RENEW;
	}
	TALLOC_FREE(c->resumed);
	return SSL_TICKET_RETURN_IGNORE_RENEW;
}

/* The secret of a key file (format in tls.h); -1 with err_set() naming the fix. */
static int key_file_read(struct tls_ticket_conf *t, char const *path, char *warn, size_t cap)
{
	char buf[TICKET_KEY_FILE_MAX + 1], *line, *save = NULL;
	FILE *f = fopen(path, "r");
	struct stat st;
	size_t n;
	int found = 0, rc = -1;

	if (!f) {
		err_set("tls: cannot open ticket_key_file %s (check the path and permissions)",
			path);
		return -1;
	}
	n = fread(buf, 1, sizeof(buf), f);
	if (fstat(fileno(f), &st) == 0 && (st.st_mode & 077))
		snprintf(warn, cap, "ticket_key_file %s is readable by group or others; "
			 "chmod 600 it (whoever reads it can decrypt session tickets)", path);
	fclose(f);
	if (n > TICKET_KEY_FILE_MAX) {
		err_set("tls: ticket_key_file %s is larger than %d octets (it holds one hex "
			"secret line)", path, TICKET_KEY_FILE_MAX);
		goto out;
	}
	buf[n] = '\0';
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		size_t len;
		ssize_t got;

		while (isspace((unsigned char)*line))
			line++;
		len = strlen(line);
		while (len > 0 && isspace((unsigned char)line[len - 1]))
			len--;
		if (len == 0 || line[0] == '#')
			continue;
		got = len % 2 ? -1 : hex_decode(t->secret, sizeof(t->secret), line, len);
		if (found++ || got < TLS_TICKET_SECRET_MIN) {
			err_set("tls: ticket_key_file %s must hold exactly one line of 64 to 128 "
				"hex digits (make one with: openssl rand -hex 32)", path);
			goto out;
		}
		t->secret_len = (size_t)got;
	}
	if (!found)
		err_set("tls: ticket_key_file %s holds no secret (make one with: openssl rand "
			"-hex 32)", path);
	else
		rc = 0;
out:
	mem_wipe(buf, sizeof(buf));
	return rc;
}

static int ticket_settings_check(struct tls_settings const *s)
{
	if (s->ticket_lifetime < 1 || s->ticket_lifetime > TICKET_LIFETIME_MAX) {
		err_set("tls: ticket_lifetime %u is out of range (1..%d seconds)",
			s->ticket_lifetime, TICKET_LIFETIME_MAX);
		return -1;
	}
	if (s->ticket_key_rotation < 60 || s->ticket_key_rotation > 31536000) {
		err_set("tls: ticket_key_rotation %u is out of range (60..31536000 seconds)",
			s->ticket_key_rotation);
		return -1;
	}
	if (s->ticket_lifetime > s->ticket_key_rotation) {
		err_set("tls: ticket_lifetime %u is above ticket_key_rotation %u: tickets would "
			"outlive their keys (lower the lifetime or raise the rotation)",
			s->ticket_lifetime, s->ticket_key_rotation);
		return -1;
	}
	return 0;
}

bool tls_server_keep_random_key(struct tls_server *srv, struct tls_server const *old)
{
	struct tls_ticket_conf *t = &srv->tickets;

	if (!old || !t->on || !t->random_secret || !old->tickets.on ||
	    !old->tickets.random_secret)
		return false;
	memcpy(t->secret, old->tickets.secret, old->tickets.secret_len);
	t->secret_len = old->tickets.secret_len;
	return true;
}

int tls_ticket_setup(struct tls_server *srv, struct tls_settings const *s)
{
	struct tls_ticket_conf *t = &srv->tickets;
	SSL_CTX *ctx = srv->ctx;

	t->check_crl = s->check_crl;
	t->allow_expired_crl = s->allow_expired_crl;
	t->binding = s->identity_binding;
	t->skip_inner = s->resume_skip_inner;
	if (tls_rules_digest(&srv->rules, t->rules_digest) < 0)
		return -1;
	if (!s->resumption) {
		SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
		SSL_CTX_set_num_tickets(ctx, 0);
		return 0;
	}
	if (ticket_settings_check(s) < 0)
		return -1;
	t->lifetime = s->ticket_lifetime;
	t->rotation = s->ticket_key_rotation;
	if (s->ticket_key_file) {
		if (key_file_read(t, s->ticket_key_file, srv->warning, sizeof(srv->warning)) < 0)
			return -1;
	} else {
		if (RAND_bytes(t->secret, TLS_TICKET_SECRET_MIN) != 1) {
			err_set("tls: cannot make a random ticket key (OpenSSL RAND failed)");
			return -1;
		}
		t->secret_len = TLS_TICKET_SECRET_MIN;
		t->random_secret = true;
		snprintf(srv->warning, sizeof(srv->warning),
			 "ticket_key_file is not set: session tickets use a random key of this "
			 "process, so only this process (until it restarts) can resume them; set "
			 "ticket_key_file to let servers behind the same NASes resume each other's "
			 "sessions");
	}
	t->on = true;
	/* The session id context must be set for resumption with client certificates; one
	 * constant, so that every latchd accepts the others' tickets. */
	if (SSL_CTX_set_session_id_context(ctx, (unsigned char const *)"latchd", 6) != 1 ||
	    SSL_CTX_set_tlsext_ticket_key_evp_cb(ctx, ticket_key_cb) != 1 ||
	    SSL_CTX_set_session_ticket_cb(ctx, ticket_gen_cb, ticket_dec_cb, NULL) != 1) {
		err_set("tls: cannot set up session tickets (OpenSSL)");
		return -1;
	}
	SSL_CTX_clear_options(ctx, SSL_OP_NO_TICKET);
	/* TLS 1.3: one NewSessionTicket after the client's Finished (RFC 9190 2.1.2). */
	SSL_CTX_set_num_tickets(ctx, 1);
	SSL_CTX_set_timeout(ctx, (long)t->lifetime); /* the lifetime hint clients see */
	return 0;
}
