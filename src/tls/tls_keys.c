/*
 * Keying material and facts about a finished connection: MSK, EMSK and Session-Id for EAP-TLS
 * with TLS 1.2 (RFC 5216 2.3) and TLS 1.3 (RFC 9190 2.3), the generic exporter (RFC 5705,
 * RFC 8446 7.5) for TTLS/PEAP, the negotiated version and the client certificate as text.
 */
#include "tls/tls_int.h"
#include "util/err.h"
#include "util/hex.h"

#include <string.h>
#include <openssl/err.h>

int tls_conn_export(struct tls_conn *c, char const *label, uint8_t const *context,
		    size_t clen, uint8_t *out, size_t len)
{
	char why[200];

	if (c->state != TLS_STEP_DONE) {
		err_set("tls: keys are only available after a successful handshake");
		return -1;
	}
	ERR_clear_error();
	if (SSL_export_keying_material(c->ssl, out, len, label, strlen(label), context, clen,
				       context != NULL) != 1) {
		tls_openssl_reason(why, sizeof(why));
		err_set("tls: key export with label %s failed: %s", label, why);
		return -1;
	}
	return 0;
}

int tls_conn_export_eap_keys(struct tls_conn *c, uint8_t type_code, uint8_t msk[64],
			     uint8_t emsk[64], uint8_t *session_id, size_t *session_id_len)
{
	uint8_t km[128];
	int rc;

	if (*session_id_len < TLS_SESSION_ID_LEN) {
		err_set("tls: Session-Id buffer of %zu octets, need %d", *session_id_len,
			TLS_SESSION_ID_LEN);
		return -1;
	}
	session_id[0] = type_code;
	if (tls_conn_version(c) == TLS_VERSION_1_3) {
		/* RFC 9190 2.3: the exporter with the Type-Code as context. */
		rc = tls_conn_export(c, "EXPORTER_EAP_TLS_Key_Material", &type_code, 1, km, 128);
		if (rc == 0)
			rc = tls_conn_export(c, "EXPORTER_EAP_TLS_Method-Id", &type_code, 1,
					     session_id + 1, 64);
	} else {
		/* RFC 5216 2.3: PRF(master, "client EAP encryption", client.random ||
		 * server.random), which is the RFC 5705 exporter without a context. */
		rc = tls_conn_export(c, "client EAP encryption", NULL, 0, km, 128);
		if (rc == 0 && (SSL_get_client_random(c->ssl, session_id + 1, 32) != 32 ||
				SSL_get_server_random(c->ssl, session_id + 33, 32) != 32)) {
			err_set("tls: cannot read the hello randoms");
			rc = -1;
		}
	}
	if (rc == 0) {
		memcpy(msk, km, 64);
		memcpy(emsk, km + 64, 64);
		*session_id_len = TLS_SESSION_ID_LEN;
	}
	mem_wipe(km, sizeof(km));
	return rc;
}

int tls_conn_version(struct tls_conn const *c)
{
	int v = SSL_version(c->ssl); /* the highest allowed one until negotiated */

	if (c->state != TLS_STEP_DONE)
		return 0;
	return v == TLS1_2_VERSION || v == TLS1_3_VERSION ? v : 0;
}

int tls_conn_chosen_version(struct tls_conn const *c)
{
	int v = SSL_version(c->ssl);

	if (c->state == TLS_STEP_DONE)
		return tls_conn_version(c);
	/* the cipher is chosen together with the version, before the ServerHello is written */
	if (!SSL_get_pending_cipher(c->ssl) && !SSL_get_current_cipher(c->ssl))
		return 0;
	return v == TLS1_2_VERSION || v == TLS1_3_VERSION ? v : 0;
}

bool tls_conn_resumed(struct tls_conn const *c)
{
	return c->state == TLS_STEP_DONE && c->resumed && SSL_session_reused(c->ssl) == 1;
}

char const *tls_conn_resume_refused(struct tls_conn const *c)
{
	return c->resume_refused;
}

char const *tls_conn_failure(struct tls_conn const *c)
{
	return c->state == TLS_STEP_FAILED ? c->failure : "";
}

struct cert_verdict const *tls_conn_verdict(struct tls_conn const *c)
{
	return &c->verdict;
}

/* The EAP identity for the log: control octets become '?', truncated to fit. */
static void identity_print(struct tls_conn const *c, char *buf, size_t cap)
{
	size_t i;

	for (i = 0; c->identity && i < c->identity_len && i + 1 < cap; i++) {
		unsigned char ch = (unsigned char)c->identity[i];

		buf[i] = ch < 0x20 || ch == 0x7f ? '?' : (char)ch;
	}
	buf[i] = '\0';
}

int tls_conn_peer_info(struct tls_conn const *c, struct tls_peer_info *out)
{
	memset(out, 0, sizeof(*out));
	if (c->resumed && SSL_session_reused(c->ssl) == 1) /* the full handshake's identity */
		snprintf(out->identity, sizeof(out->identity), "%s", c->resumed->identity);
	else
		identity_print(c, out->identity, sizeof(out->identity));
	if (c->resumed && c->resumed->has_peer && SSL_session_reused(c->ssl) == 1) {
		char identity[sizeof(out->identity)];

		/* the names the full handshake printed, from the ticket (tls_resume.c) */
		memcpy(identity, out->identity, sizeof(identity));
		*out = c->resumed->peer;
		memcpy(out->identity, identity, sizeof(identity));
		return 0;
	}
	if (!c->peer) {
		err_set("tls: the client sent no certificate");
		return -1;
	}
	tls_peer_print(c->peer, out);
	return 0;
}

void tls_peer_print(X509 *x, struct tls_peer_info *out)
{
	cert_name_print(X509_get_subject_name(x), out->subject, sizeof(out->subject));
	cert_name_print(X509_get_issuer_name(x), out->issuer, sizeof(out->issuer));
	cert_serial_print(x, out->serial, sizeof(out->serial));
	cert_time_print(X509_get0_notAfter(x), out->not_after, sizeof(out->not_after));
	cert_sans_print(x, out->sans, sizeof(out->sans));
	cert_cn_get(x, out->cn, sizeof(out->cn));
	cert_san_name_get(x, out->san_name, sizeof(out->san_name));
}
