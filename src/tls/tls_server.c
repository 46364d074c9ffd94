/*
 * The TLS server context for EAP-TLS (RFC 5216, RFC 9190) and the tunnelled methods: server
 * certificates (an RSA and an ECDSA pair may share one context), the trust store with CRLs
 * (RFC 5280 6.3), protocol versions and ciphers. Built once per configuration; connections
 * take a reference to the SSL_CTX.
 */
#include "tls/tls_int.h"
#include "util/err.h"
#include "util/hex.h"

#include <stdio.h>
#include <string.h>
#include <openssl/err.h>
#include <openssl/pem.h>

void tls_settings_default(struct tls_settings *s)
{
	memset(s, 0, sizeof(*s));
	s->require_client_eku = true;
	s->check_crl = CERT_CRL_NONE;
	s->identity_binding = CERT_BIND_NONE;
	s->resumption = true;
	s->ticket_lifetime = 3600;
	s->ticket_key_rotation = 86400;
}

void tls_openssl_reason(char *buf, size_t cap)
{
	unsigned long e = ERR_peek_error();
	char const *r = e ? ERR_reason_error_string(e) : NULL;

	if (r)
		snprintf(buf, cap, "%s", r);
	else if (e)
		snprintf(buf, cap, "OpenSSL error %lu", e);
	else
		snprintf(buf, cap, "unknown error");
	ERR_clear_error();
}

/* err_set "WHAT FILE: OpenSSL reason (FIX)" and return -1. */
static int fail(char const *what, char const *file, char const *fix)
{
	char why[200];

	tls_openssl_reason(why, sizeof(why));
	err_set("tls: %s %s: %s (%s)", what, file ? file : "", why, fix);
	return -1;
}

static int parse_version(char const *text, int dflt, int *out)
{
	if (!text) {
		*out = dflt;
		return 0;
	}
	if (strcmp(text, "1.2") == 0)
		*out = TLS1_2_VERSION;
	else if (strcmp(text, "1.3") == 0)
		*out = TLS1_3_VERSION;
	else {
		err_set("tls: unsupported TLS version '%s' (use \"1.2\" or \"1.3\")", text);
		return -1;
	}
	return 0;
}

static int load_pair(SSL_CTX *ctx, char const *cert, char const *key)
{
	if (SSL_CTX_use_certificate_chain_file(ctx, cert) != 1)
		return fail("cannot load certificate chain", cert,
			    "check the file is PEM with the server certificate first");
	if (SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1) {
		if (ERR_GET_REASON(ERR_peek_error()) == X509_R_KEY_VALUES_MISMATCH)
			return fail("private key does not match the certificate", key,
				    "pair each key with its own certificate file");
		return fail("cannot load private key", key,
			    "check the file is an unencrypted PEM key readable by latchd");
	}
	if (SSL_CTX_check_private_key(ctx) != 1)
		return fail("private key does not match certificate", key,
			    "pair each key with its own certificate file");
	return 0;
}

static int load_certs(SSL_CTX *ctx, struct tls_settings const *s)
{
	if (!s->certificate_file || !s->private_key_file) {
		err_set("tls: certificate_file and private_key_file are required");
		return -1;
	}
	if (load_pair(ctx, s->certificate_file, s->private_key_file) < 0)
		return -1;
	if (!s->certificate_file_ecdsa != !s->private_key_file_ecdsa) {
		err_set("tls: certificate_file_ecdsa and private_key_file_ecdsa go together");
		return -1;
	}
	if (s->certificate_file_ecdsa &&
	    load_pair(ctx, s->certificate_file_ecdsa, s->private_key_file_ecdsa) < 0)
		return -1;
	return 0;
}

/* Every CRL in a PEM file (a bundle may hold the root's and the intermediate's). */
static int load_crl_file(X509_STORE *store, char const *file)
{
	BIO *bio = BIO_new_file(file, "r");
	X509_CRL *crl;
	int n = 0;

	if (!bio)
		return fail("cannot open crl_file", file, "check the path and permissions");
	while ((crl = PEM_read_bio_X509_CRL(bio, NULL, NULL, NULL)) != NULL) {
		int ok = X509_STORE_add_crl(store, crl);

		X509_CRL_free(crl);
		if (ok != 1) {
			BIO_free(bio);
			return fail("cannot add CRL from", file, "check the CRL");
		}
		n++;
	}
	BIO_free(bio);
	ERR_clear_error(); /* the end of the file reads as "no start line" */
	if (n == 0) {
		err_set("tls: crl_file %s holds no PEM CRL (expected -----BEGIN X509 CRL-----)",
			file);
		return -1;
	}
	return 0;
}

static int load_trust(SSL_CTX *ctx, struct tls_settings const *s)
{
	X509_STORE *store = SSL_CTX_get_cert_store(ctx);
	unsigned long flags = 0;

	if (!s->ca_file && !s->ca_path) {
		err_set("tls: ca_file or ca_path is required to verify client certificates");
		return -1;
	}
	if (SSL_CTX_load_verify_locations(ctx, s->ca_file, s->ca_path) != 1)
		return fail("cannot load trust anchors from", s->ca_file ? s->ca_file : s->ca_path,
			    "check ca_file is PEM and ca_path is a hashed directory");
	if (s->ca_file && !s->no_ca_names) {
		STACK_OF(X509_NAME) *names = SSL_load_client_CA_file(s->ca_file);

		if (names) /* advertised in CertificateRequest to help clients pick */
			SSL_CTX_set_client_CA_list(ctx, names);
		ERR_clear_error();
	}
	if (s->crl_file && load_crl_file(store, s->crl_file) < 0)
		return -1;
	if (s->crl_path) {
		X509_LOOKUP *lu = X509_STORE_add_lookup(store, X509_LOOKUP_hash_dir());

		if (!lu || X509_LOOKUP_add_dir(lu, s->crl_path, X509_FILETYPE_PEM) != 1)
			return fail("cannot use crl_path", s->crl_path,
				    "check it is a directory hashed with openssl rehash");
	}
	if (s->check_crl != CERT_CRL_NONE && !s->crl_file && !s->crl_path && !s->ca_path) {
		err_set("tls: check_crl is on but there is no crl_file, crl_path or ca_path");
		return -1;
	}
	if (s->check_crl == CERT_CRL_LEAF)
		flags = X509_V_FLAG_CRL_CHECK;
	else if (s->check_crl == CERT_CRL_CHAIN)
		flags = X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL;
	if (flags && X509_STORE_set_flags(store, flags) != 1)
		return fail("cannot enable CRL checking", NULL, "report this");
	if (s->verify_depth > 0)
		SSL_CTX_set_verify_depth(ctx, s->verify_depth);
	return 0;
}

static int set_protocol(SSL_CTX *ctx, struct tls_server *srv, struct tls_settings const *s)
{
	if (parse_version(s->tls_min_version, TLS1_2_VERSION, &srv->min_version) < 0 ||
	    parse_version(s->tls_max_version, TLS1_3_VERSION, &srv->max_version) < 0)
		return -1;
	if (srv->min_version > srv->max_version) {
		err_set("tls: tls_min_version %s is above tls_max_version %s", s->tls_min_version,
			s->tls_max_version);
		return -1;
	}
	if (SSL_CTX_set_min_proto_version(ctx, srv->min_version) != 1 ||
	    SSL_CTX_set_max_proto_version(ctx, srv->max_version) != 1)
		return fail("cannot set TLS versions", NULL, "report this");
	if (s->cipher_list && SSL_CTX_set_cipher_list(ctx, s->cipher_list) != 1)
		return fail("invalid cipher_list", s->cipher_list, "see openssl ciphers -v");
	if (s->ciphersuites && SSL_CTX_set_ciphersuites(ctx, s->ciphersuites) != 1)
		return fail("invalid ciphersuites", s->ciphersuites,
			    "use TLS 1.3 names such as TLS_AES_128_GCM_SHA256");
	if (s->groups && SSL_CTX_set1_groups_list(ctx, s->groups) != 1)
		return fail("invalid groups", s->groups, "use names such as X25519:P-256");
	/* Resumption is stateless (tickets, tls_ticket.c) or off: no server-side cache. */
	SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET | SSL_OP_NO_RENEGOTIATION |
					 SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_COMPRESSION);
	SSL_CTX_set_num_tickets(ctx, 0);
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
	if (tls_ticket_setup(srv, s) < 0)
		return -1;
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, tls_verify_cb);
	return 0;
}

static int server_free(struct tls_server *srv)
{
	SSL_CTX_free(srv->ctx);
	mem_wipe(&srv->tickets, sizeof(srv->tickets));
	return 0;
}

char const *tls_server_warning(struct tls_server const *srv)
{
	return srv->warning;
}

void tls_server_set_clock(struct tls_server *srv, time_t (*clock)(void))
{
	srv->tickets.clock = clock;
}

struct tls_server *tls_server_new(TALLOC_CTX *ctx, struct tls_settings const *s)
{
	struct tls_server *srv = talloc_zero(ctx, struct tls_server);

	if (!srv) {
		err_set("tls: out of memory");
		return NULL;
	}
	ERR_clear_error();
	srv->ctx = SSL_CTX_new(TLS_server_method());
	if (!srv->ctx) {
		fail("cannot create SSL_CTX", NULL, "check the OpenSSL installation");
		talloc_free(srv);
		return NULL;
	}
	talloc_set_destructor(srv, server_free);
	srv->rules.require_client_eku = s->require_client_eku;
	srv->rules.allow_expired_crl = s->allow_expired_crl;
	srv->rules.binding = s->identity_binding;
	if (s->check_cert_issuer) {
		srv->rules.issuer = talloc_strdup(srv, s->check_cert_issuer);
		if (!srv->rules.issuer) {
			err_set("tls: out of memory");
			talloc_free(srv);
			return NULL;
		}
	}
	if (set_protocol(srv->ctx, srv, s) < 0 || load_certs(srv->ctx, s) < 0 ||
	    load_trust(srv->ctx, s) < 0) {
		talloc_free(srv);
		return NULL;
	}
	return srv;
}
