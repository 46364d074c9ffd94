/*
 * Client certificate verdicts for EAP-TLS (RFC 5216 5.3, RFC 9190 5): why a peer certificate
 * was accepted or refused, as a reason enum with a name table (for counters and tests) and a
 * detail text (for the log). No OpenSSL types here: the OpenSSL-facing checks that fill a
 * verdict are in cert_x509.h and are used only by src/tls.
 */
#ifndef LATCHD_CERT_CERT_H
#define LATCHD_CERT_CERT_H

#include <stdbool.h>

enum cert_reason {
	CERT_OK = 0,
	CERT_NO_CERT,		/* the peer sent no certificate */
	CERT_EXPIRED,		/* a certificate in the chain is past notAfter */
	CERT_NOT_YET_VALID,	/* ... or before notBefore */
	CERT_REVOKED,		/* listed in a CRL */
	CERT_UNKNOWN_CA,	/* no chain to a configured trust anchor */
	CERT_BAD_SIGNATURE,	/* a certificate or CRL signature does not verify */
	CERT_CRL_MISSING,	/* CRL checking is on and no CRL covers an issuer */
	CERT_CRL_EXPIRED,	/* the CRL is past nextUpdate (and allow_expired_crl is off) */
	CERT_NO_CLIENT_EKU,	/* no extendedKeyUsage clientAuth (RFC 5280 4.2.1.12) */
	CERT_ISSUER_MISMATCH,	/* the leaf's issuer is not the configured check_cert_issuer */
	CERT_IDENTITY_MISMATCH, /* the EAP identity is in neither SAN nor CN */
	CERT_OTHER,		/* anything else (detail says what) */
	CERT_REASON_COUNT
};

/* Which certificates of the chain must be covered by a valid CRL. */
enum cert_crl_check {
	CERT_CRL_NONE = 0,
	CERT_CRL_LEAF,	/* the leaf only (X509_V_FLAG_CRL_CHECK) */
	CERT_CRL_CHAIN, /* every certificate (X509_V_FLAG_CRL_CHECK_ALL) */
};

/* How the EAP identity (EAP-Response/Identity) is bound to the client certificate. */
enum cert_identity_binding {
	CERT_BIND_NONE = 0,
	CERT_BIND_SAN_OR_CN, /* identity must equal a SAN email/DNS/UPN entry or the subject CN */
};

/* The extra rules applied to the leaf after OpenSSL's own chain checks pass. */
struct cert_rules {
	bool require_client_eku; /* EKU clientAuth required; no EKU extension fails too */
	bool allow_expired_crl;	 /* accept an expired CRL, with verdict.warning set */
	char const *issuer;	 /* required issuer DN of the leaf, or NULL (see cert_x509.h) */
	enum cert_identity_binding binding;
};

#define CERT_DETAIL_MAX 256

struct cert_verdict {
	enum cert_reason reason;
	int depth;		      /* chain depth the reason is about (0 = leaf), -1 if none */
	bool warning;		      /* accepted despite a tolerated problem (expired CRL) */
	char detail[CERT_DETAIL_MAX]; /* human text, "" when OK without warning */
	char warning_detail[CERT_DETAIL_MAX];
};

/* Stable lower-case name of a reason ("ok", "expired", ...); "invalid" if out of range. */
char const *cert_reason_name(enum cert_reason reason);

/* Reset to OK, no warning, depth -1. */
void cert_verdict_init(struct cert_verdict *v);

/* Set reason, depth and detail (printf format). */
void cert_verdict_set(struct cert_verdict *v, enum cert_reason reason, int depth,
		      char const *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Set the warning flag and its text (printf format); the reason is unchanged. */
void cert_verdict_warn(struct cert_verdict *v, char const *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
