/*
 * The SSL verify callback: OpenSSL validates the client's chain (RFC 5280 6, CRLs when
 * configured); each failure becomes a cert verdict, and once the chain is accepted the leaf
 * gets the EAP-TLS checks of src/cert (clientAuth EKU, issuer, identity binding; RFC 5216 5.3,
 * RFC 9190 5.2). Returning 0 makes OpenSSL send the matching alert.
 */
#include "tls/tls_int.h"

int tls_verify_cb(int ok, X509_STORE_CTX *sctx)
{
	SSL *ssl = X509_STORE_CTX_get_ex_data(sctx, SSL_get_ex_data_X509_STORE_CTX_idx());
	struct tls_conn *c = ssl ? SSL_get_app_data(ssl) : NULL;
	X509 *leaf = X509_STORE_CTX_get0_cert(sctx);

	if (!c)
		return 0; /* not one of ours: fail closed */
	if (!c->peer && leaf && X509_up_ref(leaf) == 1)
		c->peer = leaf; /* kept for tls_conn_peer_info(), even if verification fails */
	if (c->verdict.reason != CERT_OK)
		return 0; /* keep the first reason */
	if (!ok)
		return cert_verdict_from_store(&c->verdict, sctx, &c->rules) ? 1 : 0;
	if (X509_STORE_CTX_get_error_depth(sctx) != 0)
		return 1;
	if (cert_check_leaf(&c->verdict, leaf, &c->rules, c->identity, c->identity_len) < 0) {
		X509_STORE_CTX_set_error(sctx, c->verdict.reason == CERT_NO_CLIENT_EKU
						       ? X509_V_ERR_INVALID_PURPOSE
						       : X509_V_ERR_APPLICATION_VERIFICATION);
		return 0;
	}
	return 1;
}
