/*
 * Certificate verdicts: the reason name table, and the mapping of OpenSSL's chain verification
 * errors (X509_V_ERR_*) to a reason with a precise detail for the log (RFC 5280 6 path
 * validation, CRLs per RFC 5280 5; EAP-TLS peer checks per RFC 5216 5.3 and RFC 9190 5).
 */
#include "cert/cert_x509.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static char const *const reason_names[CERT_REASON_COUNT] = {
	[CERT_OK] = "ok",
	[CERT_NO_CERT] = "no_cert",
	[CERT_EXPIRED] = "expired",
	[CERT_NOT_YET_VALID] = "not_yet_valid",
	[CERT_REVOKED] = "revoked",
	[CERT_UNKNOWN_CA] = "unknown_ca",
	[CERT_BAD_SIGNATURE] = "bad_signature",
	[CERT_CRL_MISSING] = "crl_missing",
	[CERT_CRL_EXPIRED] = "crl_expired",
	[CERT_NO_CLIENT_EKU] = "no_client_eku",
	[CERT_ISSUER_MISMATCH] = "issuer_mismatch",
	[CERT_IDENTITY_MISMATCH] = "identity_mismatch",
	[CERT_OTHER] = "other",
};

char const *cert_reason_name(enum cert_reason reason)
{
	if ((unsigned)reason >= CERT_REASON_COUNT)
		return "invalid";
	return reason_names[reason];
}

void cert_verdict_init(struct cert_verdict *v)
{
	memset(v, 0, sizeof(*v));
	v->reason = CERT_OK;
	v->depth = -1;
}

void cert_verdict_set(struct cert_verdict *v, enum cert_reason reason, int depth,
		      char const *fmt, ...)
{
	va_list ap;

	v->reason = reason;
	v->depth = depth;
	va_start(ap, fmt);
	vsnprintf(v->detail, sizeof(v->detail), fmt, ap);
	va_end(ap);
}

void cert_verdict_warn(struct cert_verdict *v, char const *fmt, ...)
{
	va_list ap;

	v->warning = true;
	va_start(ap, fmt);
	vsnprintf(v->warning_detail, sizeof(v->warning_detail), fmt, ap);
	va_end(ap);
}

/* "client certificate" for the leaf, "CA certificate <subject> (depth n)" above it. */
static void who_print(X509 *x, int depth, char *buf, size_t cap)
{
	char name[160] = "?";

	if (depth == 0) {
		snprintf(buf, cap, "client certificate");
		return;
	}
	if (x)
		cert_name_print(X509_get_subject_name(x), name, sizeof(name));
	snprintf(buf, cap, "CA certificate %s (depth %d)", name, depth);
}

static void crl_issuer_print(X509_CRL *crl, char *buf, size_t cap)
{
	if (crl)
		cert_name_print(X509_CRL_get_issuer(crl), buf, cap);
	else
		snprintf(buf, cap, "?");
}

static void set_revoked(struct cert_verdict *v, X509_STORE_CTX *sctx, X509 *x, int depth,
			char const *who)
{
	X509_CRL *crl = X509_STORE_CTX_get0_current_crl(sctx);
	X509_REVOKED *rev = NULL;
	char when[40] = "?", by[160];

	crl_issuer_print(crl, by, sizeof(by));
	if (crl && x && X509_CRL_get0_by_cert(crl, &rev, x) == 1 && rev)
		cert_time_print(X509_REVOKED_get0_revocationDate(rev), when, sizeof(when));
	cert_verdict_set(v, CERT_REVOKED, depth, "%s revoked at %s by CRL of %s", who, when, by);
}

/* The CRL errors; returns true if tolerated (expired CRL with allow_expired_crl). */
static bool set_crl_error(struct cert_verdict *v, X509_STORE_CTX *sctx, int err, int depth,
			  struct cert_rules const *rules)
{
	X509_CRL *crl = X509_STORE_CTX_get0_current_crl(sctx);
	char by[160], when[40] = "?";

	crl_issuer_print(crl, by, sizeof(by));
	if (err == X509_V_ERR_CRL_NOT_YET_VALID) {
		if (crl)
			cert_time_print(X509_CRL_get0_lastUpdate(crl), when, sizeof(when));
		cert_verdict_set(v, CERT_OTHER, depth, "CRL of %s not valid before %s", by, when);
		return false;
	}
	if (crl && X509_CRL_get0_nextUpdate(crl))
		cert_time_print(X509_CRL_get0_nextUpdate(crl), when, sizeof(when));
	if (rules && rules->allow_expired_crl) {
		cert_verdict_warn(v, "CRL of %s expired at %s (accepted: allow_expired_crl)", by,
				  when);
		return true;
	}
	cert_verdict_set(v, CERT_CRL_EXPIRED, depth,
			 "CRL of %s expired at %s (nextUpdate); refresh the CRL or set "
			 "allow_expired_crl",
			 by, when);
	return false;
}

static bool is_unknown_ca(int err)
{
	switch (err) {
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
	case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
	case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
	case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
	case X509_V_ERR_CERT_UNTRUSTED:
	case X509_V_ERR_CERT_REJECTED:
		return true;
	default:
		return false;
	}
}

static bool is_bad_signature(int err)
{
	switch (err) {
	case X509_V_ERR_CERT_SIGNATURE_FAILURE:
	case X509_V_ERR_CRL_SIGNATURE_FAILURE:
	case X509_V_ERR_UNABLE_TO_DECRYPT_CERT_SIGNATURE:
	case X509_V_ERR_UNABLE_TO_DECRYPT_CRL_SIGNATURE:
	case X509_V_ERR_UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY:
		return true;
	default:
		return false;
	}
}

/* Errors that are about one certificate's validity period, unknown issuers or signatures. */
static void set_cert_error(struct cert_verdict *v, X509 *x, int err, int depth,
			   char const *who)
{
	char when[40] = "?", name[160] = "?";

	if (err == X509_V_ERR_CERT_HAS_EXPIRED) {
		if (x)
			cert_time_print(X509_get0_notAfter(x), when, sizeof(when));
		cert_verdict_set(v, CERT_EXPIRED, depth, "%s expired at %s", who, when);
	} else if (err == X509_V_ERR_CERT_NOT_YET_VALID) {
		if (x)
			cert_time_print(X509_get0_notBefore(x), when, sizeof(when));
		cert_verdict_set(v, CERT_NOT_YET_VALID, depth, "%s not valid before %s", who,
				 when);
	} else if (is_unknown_ca(err)) {
		if (x)
			cert_name_print(X509_get_issuer_name(x), name, sizeof(name));
		cert_verdict_set(v, CERT_UNKNOWN_CA, depth, "unknown CA (issuer %s): %s", name,
				 X509_verify_cert_error_string(err));
	} else if (is_bad_signature(err)) {
		cert_verdict_set(v, CERT_BAD_SIGNATURE, depth, "%s: %s", who,
				 X509_verify_cert_error_string(err));
	} else {
		cert_verdict_set(v, CERT_OTHER, depth, "%s: %s (X509 error %d)", who,
				 X509_verify_cert_error_string(err), err);
	}
}

bool cert_verdict_from_store(struct cert_verdict *v, X509_STORE_CTX *sctx,
			     struct cert_rules const *rules)
{
	int err = X509_STORE_CTX_get_error(sctx);
	int depth = X509_STORE_CTX_get_error_depth(sctx);
	X509 *x = X509_STORE_CTX_get_current_cert(sctx);
	char who[224];

	who_print(x, depth, who, sizeof(who));
	switch (err) {
	case X509_V_ERR_CERT_REVOKED:
		set_revoked(v, sctx, x, depth, who);
		return false;
	case X509_V_ERR_UNABLE_TO_GET_CRL:
	case X509_V_ERR_UNABLE_TO_GET_CRL_ISSUER: {
		char name[160] = "?";

		if (x)
			cert_name_print(X509_get_issuer_name(x), name, sizeof(name));
		cert_verdict_set(v, CERT_CRL_MISSING, depth,
				 "no CRL from %s for the %s (CRL checking is on)", name, who);
		return false;
	}
	case X509_V_ERR_CRL_HAS_EXPIRED:
	case X509_V_ERR_CRL_NOT_YET_VALID:
		return set_crl_error(v, sctx, err, depth, rules);
	case X509_V_ERR_INVALID_PURPOSE:
		if (depth == 0 && rules && !rules->require_client_eku)
			return true;
		cert_verdict_set(v, depth == 0 ? CERT_NO_CLIENT_EKU : CERT_OTHER, depth,
				 "%s not valid for TLS client authentication (no clientAuth EKU)",
				 who);
		return false;
	default:
		set_cert_error(v, x, err, depth, who);
		return false;
	}
}
