/*
 * The OpenSSL-facing half of src/cert: turning an X509_STORE_CTX verification error into a
 * verdict, the extra leaf checks (EKU clientAuth, issuer, identity binding) and printing of
 * names, times, serials and SANs. Used by src/tls only; nothing above tls includes OpenSSL.
 */
#ifndef LATCHD_CERT_CERT_X509_H
#define LATCHD_CERT_CERT_X509_H

#include "cert/cert.h"

#include <stddef.h>
#include <openssl/x509.h>

/*
 * Called from the SSL verify callback when OpenSSL reports a failure (preverify_ok == 0):
 * fill v from X509_STORE_CTX_get_error() and the certificate at the error depth, with a
 * detail such as "client certificate expired at 2021-01-01T00:00:00Z".
 * Returns true if the rules tolerate the error and verification should continue: an expired
 * CRL with allow_expired_crl (v->warning is set, the reason stays as it was), or a leaf
 * without clientAuth purpose when require_client_eku is off.
 */
bool cert_verdict_from_store(struct cert_verdict *v, X509_STORE_CTX *sctx,
			     struct cert_rules const *rules);

/*
 * The extra checks on the leaf, run once OpenSSL has accepted the chain (depth 0, ok = 1):
 * EKU clientAuth when required (a certificate without an EKU extension fails too), the
 * issuer DN when rules->issuer is set, and the identity binding. identity may be NULL when
 * no binding is configured; it is compared as len octets (an embedded NUL never matches).
 * Returns 0 if the leaf passes, -1 with v set otherwise.
 */
int cert_check_leaf(struct cert_verdict *v, X509 *leaf, struct cert_rules const *rules,
		    char const *identity, size_t len);

/*
 * Does the DN match the configured text? Accepted forms: RFC 2253 as printed by
 * cert_name_print ("CN=latchd lab intermediate rsa,O=latchd lab"; spaces after commas are
 * ignored) or the OpenSSL one-line form ("/O=latchd lab/CN=latchd lab intermediate rsa").
 */
bool cert_name_matches(X509_NAME const *name, char const *want);

/* Does the EAP identity equal a SAN email/DNS/UPN entry or the CN? (ASCII case-insensitive;
 * "host/NAME" also matches DNS NAME.) */
bool cert_identity_matches(X509 *x, char const *identity, size_t len);

/* Printing for logs and details: always NUL-terminated, truncated with "..." if cap is small.
 * Names in RFC 2253 order with UTF-8 kept; times as 2024-01-01T00:00:00Z; serial as upper-case
 * hex; SANs as "email:a@b, DNS:c, UPN:d, IP:1.2.3.4, URI:u" (other kinds as "other"). */
void cert_name_print(X509_NAME const *name, char *buf, size_t cap);
void cert_time_print(ASN1_TIME const *t, char *buf, size_t cap);
void cert_serial_print(X509 const *x, char *buf, size_t cap);
void cert_sans_print(X509 const *x, char *buf, size_t cap);
/* The subject CN as UTF-8, or "" when absent, too long or holding control octets. */
void cert_cn_get(X509 const *x, char *buf, size_t cap);
/* The first SAN name usable as a user name: a UPN, else an email, else a DNS name; or "". */
void cert_san_name_get(X509 const *x, char *buf, size_t cap);

#endif
