/*
 * One server-side TLS connection driven through a pair of memory BIOs: the EAP method feeds
 * the peer's records in (the reassembled EAP-TLS payload, RFC 5216 2.1.5) and takes the
 * records to send out; the handshake is stepped until done or failed. Application data
 * carries the TLS 1.3 commitment message (RFC 9190 2.5) and, later, TTLS/PEAP inner traffic.
 */
#include "tls/tls_int.h"
#include "util/err.h"
#include "util/hex.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <openssl/err.h>

static int conn_free(struct tls_conn *c)
{
	X509_free(c->peer);
	SSL_free(c->ssl); /* frees both BIOs; OpenSSL cleanses its own secrets */
	mem_wipe(&c->tickets, sizeof(c->tickets));
	if (c->identity)
		mem_wipe(c->identity, c->identity_len);
	if (c->ticket_inner)
		mem_wipe(c->ticket_inner, strlen(c->ticket_inner));
	return 0;
}

struct tls_conn *tls_conn_new(TALLOC_CTX *ctx, struct tls_server *srv)
{
	struct tls_conn *c = talloc_zero(ctx, struct tls_conn);

	if (!c) {
		err_set("tls: out of memory");
		return NULL;
	}
	ERR_clear_error();
	c->ssl = SSL_new(srv->ctx);
	c->in = BIO_new(BIO_s_mem());
	c->out = BIO_new(BIO_s_mem());
	if (!c->ssl || !c->in || !c->out) {
		BIO_free(c->in);
		BIO_free(c->out);
		SSL_free(c->ssl);
		talloc_free(c);
		err_set("tls: cannot create a connection (out of memory)");
		return NULL;
	}
	SSL_set_bio(c->ssl, c->in, c->out);
	/* A conversation waits for the peer between rounds: OpenSSL's record buffers (~33 KB)
	 * need not wait with it (the table may hold tens of thousands of conversations). */
	SSL_set_mode(c->ssl, SSL_MODE_RELEASE_BUFFERS);
	talloc_set_destructor(c, conn_free);
	SSL_set_accept_state(c->ssl);
	SSL_set_app_data(c->ssl, c);
	c->rules = srv->rules;
	if (srv->rules.issuer && !(c->rules.issuer = talloc_strdup(c, srv->rules.issuer))) {
		talloc_free(c);
		err_set("tls: out of memory");
		return NULL;
	}
	c->min_version = srv->min_version;
	c->max_version = srv->max_version;
	c->tickets = srv->tickets;
	c->method = TLS_EAP_TYPE_TLS;
	c->state = TLS_STEP_CONTINUE;
	cert_verdict_init(&c->verdict);
	return c;
}

int tls_conn_set_identity(struct tls_conn *c, char const *eap_identity, size_t len)
{
	if (len > 253) { /* RFC 7542 2.2: an NAI fits in 253 octets */
		err_set("tls: EAP identity of %zu octets is too long", len);
		return -1;
	}
	if (c->identity) {
		mem_wipe(c->identity, c->identity_len);
		TALLOC_FREE(c->identity);
	}
	c->identity = talloc_size(c, len + 1);
	if (!c->identity) {
		err_set("tls: out of memory");
		return -1;
	}
	if (len > 0)
		memcpy(c->identity, eap_identity, len);
	c->identity[len] = '\0';
	c->identity_len = len;
	return 0;
}

int tls_conn_input(struct tls_conn *c, uint8_t const *data, size_t len)
{
	size_t pending = BIO_ctrl_pending(c->in);

	if (len == 0)
		return 0;
	if (len > TLS_INPUT_MAX || pending > TLS_INPUT_MAX - len) {
		err_set("tls: %zu octets of TLS input would exceed the %d octet limit",
			pending + len, TLS_INPUT_MAX);
		return -1;
	}
	if (BIO_write(c->in, data, (int)len) != (int)len) {
		err_set("tls: cannot buffer TLS input (out of memory)");
		return -1;
	}
	return 0;
}

static char const *version_name(int v)
{
	return v == TLS1_3_VERSION ? "1.3" : v == TLS1_2_VERSION ? "1.2" : "?";
}

/* A handshake error that is not about the certificate chain, from OpenSSL's error queue. */
static void ssl_failure(struct tls_conn *c, int ssl_err)
{
	unsigned long e = ERR_peek_error();
	int reason = ERR_GET_REASON(e);
	bool ssl_lib = e && ERR_GET_LIB(e) == ERR_LIB_SSL;
	char why[200];

	tls_openssl_reason(why, sizeof(why));
	if (ssl_lib && reason >= SSL_AD_REASON_OFFSET && reason < SSL_AD_REASON_OFFSET + 256) {
		snprintf(c->failure, sizeof(c->failure), "peer sent alert: %s",
			 SSL_alert_desc_string_long(reason - SSL_AD_REASON_OFFSET));
	} else if (ssl_lib && reason == SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE) {
		cert_verdict_set(&c->verdict, CERT_NO_CERT, 0, "no client certificate");
		snprintf(c->failure, sizeof(c->failure), "no client certificate");
	} else if (ssl_lib && reason == SSL_R_NO_SHARED_CIPHER) {
		snprintf(c->failure, sizeof(c->failure), "no shared cipher");
	} else if (ssl_lib && (reason == SSL_R_UNSUPPORTED_PROTOCOL ||
			       reason == SSL_R_VERSION_TOO_LOW ||
			       reason == SSL_R_VERSION_TOO_HIGH)) {
		snprintf(c->failure, sizeof(c->failure),
			 "no TLS version in common: server allows %s..%s (%s)",
			 version_name(c->min_version), version_name(c->max_version), why);
	} else if (e == 0) {
		snprintf(c->failure, sizeof(c->failure), "TLS handshake failed (SSL error %d)",
			 ssl_err);
	} else {
		snprintf(c->failure, sizeof(c->failure), "TLS handshake failed: %s", why);
	}
}

static enum tls_step conn_fail(struct tls_conn *c, int ssl_err)
{
	if (c->verdict.reason != CERT_OK) {
		snprintf(c->failure, sizeof(c->failure), "%s", c->verdict.detail);
		ERR_clear_error();
	} else {
		ssl_failure(c, ssl_err);
	}
	c->state = TLS_STEP_FAILED;
	return c->state;
}

/* A resumed handshake: the authorization comes from the ticket (checked when it was
 * decrypted, tls_resume.c); without one, fail closed. */
static enum tls_step resumed_done(struct tls_conn *c)
{
	if (c->tunnel_tickets) {
		/* TTLS/PEAP: nothing to re-check but the ticket's own checks (method, age). */
		if (!c->resumed) {
			snprintf(c->failure, sizeof(c->failure),
				 "resumed without a checked ticket");
			c->state = TLS_STEP_FAILED;
			return c->state;
		}
		c->state = TLS_STEP_DONE;
		return c->state;
	}
	if (!c->peer)
		c->peer = SSL_get1_peer_certificate(c->ssl); /* format 1/2 tickets only */
	if (!c->resumed || (!c->peer && !c->resumed->has_peer)) {
		cert_verdict_set(&c->verdict, CERT_OTHER, 0, "resumed without a checked ticket");
		return conn_fail(c, SSL_ERROR_NONE);
	}
	cert_verdict_init(&c->verdict);
	if (c->resumed->warning)
		cert_verdict_warn(&c->verdict, "%s", c->resumed->warning_detail);
	c->state = TLS_STEP_DONE;
	return c->state;
}

void tls_conn_no_client_cert(struct tls_conn *c)
{
	SSL_set_verify(c->ssl, SSL_VERIFY_NONE, NULL);
	/* No tickets either: resuming a tunnel would have to restore the inner result too. */
	SSL_set_num_tickets(c->ssl, 0);
	SSL_set_options(c->ssl, SSL_OP_NO_TICKET);
	c->no_client_cert = true;
}

void tls_conn_tunnel_tickets(struct tls_conn *c, uint8_t eap_type, bool inner_required)
{
	c->method = eap_type;
	c->inner_required = inner_required;
	if (!c->no_client_cert || !c->tickets.on || (inner_required && !c->tickets.skip_inner))
		return;
	c->tunnel_tickets = true;
	SSL_clear_options(c->ssl, SSL_OP_NO_TICKET);
	/* TLS 1.2 issues its ticket in the handshake (no inner identity in it); TLS 1.3 only
	 * when tls_conn_send_ticket() asks, after the inner method. */
	SSL_set_num_tickets(c->ssl, 0);
}

int tls_conn_send_ticket(struct tls_conn *c, char const *inner, size_t len)
{
	size_t before;

	if (!c->tunnel_tickets || c->state != TLS_STEP_DONE ||
	    SSL_version(c->ssl) != TLS1_3_VERSION)
		return 0;
	if (len > 253 || memchr(inner, '\0', len)) {
		err_set("tls: inner identity of %zu octets cannot go into a ticket", len);
		return -1;
	}
	if (c->ticket_inner) {
		mem_wipe(c->ticket_inner, strlen(c->ticket_inner));
		TALLOC_FREE(c->ticket_inner);
	}
	c->ticket_inner = talloc_strndup(c, inner, len);
	if (!c->ticket_inner) {
		err_set("tls: out of memory");
		return -1;
	}
	before = BIO_ctrl_pending(c->out);
	ERR_clear_error();
	/* Queued, then written by the next handshake call (RFC 8446 4.6.1). */
	if (SSL_new_session_ticket(c->ssl) != 1 || SSL_do_handshake(c->ssl) != 1) {
		char why[200];

		tls_openssl_reason(why, sizeof(why));
		err_set("tls: cannot send a session ticket: %s", why);
		return -1;
	}
	return BIO_ctrl_pending(c->out) > before ? 1 : 0;
}

char const *tls_conn_resume_inner(struct tls_conn const *c)
{
	if (!c->tunnel_tickets || !c->tickets.skip_inner || c->state != TLS_STEP_DONE ||
	    !c->resumed || !c->resumed->inner[0] || SSL_version(c->ssl) != TLS1_3_VERSION ||
	    SSL_session_reused(c->ssl) != 1)
		return NULL;
	return c->resumed->inner;
}

enum tls_step tls_conn_step(struct tls_conn *c)
{
	int r, e;

	if (c->state != TLS_STEP_CONTINUE)
		return c->state;
	ERR_clear_error();
	r = SSL_do_handshake(c->ssl);
	if (r == 1 && SSL_session_reused(c->ssl) == 1)
		return resumed_done(c);
	/* A ticket can pass our checks (ticket_dec_cb) and still not be used by OpenSSL (a TLS
	 * 1.3 PSK whose hash does not fit the negotiated suite, a TLS 1.2 version mismatch):
	 * then this is a full handshake, and nothing of that ticket may count. */
	if (r == 1)
		TALLOC_FREE(c->resumed);
	if (r == 1 && c->no_client_cert) {
		/* TTLS/PEAP: no client certificate was asked for; the inner method decides. */
		c->state = TLS_STEP_DONE;
		return c->state;
	}
	if (r == 1) {
		/* VERIFY_FAIL_IF_NO_PEER_CERT makes this impossible; fail closed anyway. */
		if (!SSL_get0_peer_certificate(c->ssl) || c->verdict.reason != CERT_OK) {
			if (c->verdict.reason == CERT_OK)
				cert_verdict_set(&c->verdict, CERT_NO_CERT, 0,
						 "no client certificate");
			return conn_fail(c, SSL_ERROR_NONE);
		}
		c->state = TLS_STEP_DONE;
		return c->state;
	}
	e = SSL_get_error(c->ssl, r);
	if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
		ERR_clear_error();
		return TLS_STEP_CONTINUE;
	}
	return conn_fail(c, e);
}

size_t tls_conn_output_pending(struct tls_conn const *c)
{
	return BIO_ctrl_pending(c->out);
}

size_t tls_conn_output_read(struct tls_conn *c, uint8_t *buf, size_t cap)
{
	int n;

	if (cap == 0)
		return 0;
	n = BIO_read(c->out, buf, cap > INT_MAX ? INT_MAX : (int)cap);
	return n > 0 ? (size_t)n : 0;
}

int tls_conn_write_app(struct tls_conn *c, uint8_t const *data, size_t len)
{
	size_t done = 0;

	if (c->state != TLS_STEP_DONE) {
		err_set("tls: application data before the handshake is done");
		return -1;
	}
	ERR_clear_error();
	if (SSL_write_ex(c->ssl, data, len, &done) != 1 || done != len) {
		char why[200];

		tls_openssl_reason(why, sizeof(why));
		err_set("tls: cannot write application data: %s", why);
		return -1;
	}
	return 0;
}

ssize_t tls_conn_read_app(struct tls_conn *c, uint8_t *buf, size_t cap)
{
	size_t got = 0;
	int e;

	if (c->state != TLS_STEP_DONE) {
		err_set("tls: application data before the handshake is done");
		return -1;
	}
	ERR_clear_error();
	if (SSL_read_ex(c->ssl, buf, cap > SSIZE_MAX ? SSIZE_MAX : cap, &got) == 1)
		return (ssize_t)got;
	e = SSL_get_error(c->ssl, 0);
	if (e == SSL_ERROR_WANT_READ) {
		ERR_clear_error();
		return 0;
	}
	if (e == SSL_ERROR_ZERO_RETURN) {
		err_set("tls: the peer closed the TLS connection (close_notify)");
	} else {
		char why[200];

		tls_openssl_reason(why, sizeof(why));
		err_set("tls: cannot read application data: %s", why);
	}
	return -1;
}
