/*
 * The checks on the client's own certificate that OpenSSL's chain validation does not do
 * for us: extendedKeyUsage clientAuth (RFC 5280 4.2.1.12, RFC 5216 5.3), the leaf's issuer
 * against a configured DN, and binding the EAP identity to the certificate's subjectAltName
 * or CN (RFC 5216 5.2, RFC 9190 5.2).
 */
#include "cert/cert_int.h"
#include "cert/cert_x509.h"

#include <string.h>

/* ASCII case-insensitive equality of two counted strings. */
static bool same_text(char const *a, size_t alen, char const *b, size_t blen)
{
	if (alen != blen)
		return false;
	for (size_t i = 0; i < alen; i++) {
		unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];

		if (x >= 'A' && x <= 'Z')
			x = (unsigned char)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = (unsigned char)(y - 'A' + 'a');
		if (x != y)
			return false;
	}
	return true;
}

/* Copy s into out dropping the spaces that follow a ',' (RFC 2253 printers differ there). */
static void dn_normalise(char const *s, char *out, size_t cap)
{
	size_t o = 0;
	bool after_comma = false;

	for (; *s && o + 1 < cap; s++) {
		if (*s == ' ' && after_comma)
			continue;
		after_comma = *s == ',';
		out[o++] = *s;
	}
	out[o] = '\0';
}

bool cert_name_matches(X509_NAME const *name, char const *want)
{
	char have[512], a[512], b[512];

	if (!name || !want)
		return false;
	if (want[0] == '/') {
		if (!X509_NAME_oneline(name, have, sizeof(have)))
			return false;
		return strcmp(have, want) == 0;
	}
	cert_name_print(name, have, sizeof(have));
	dn_normalise(have, a, sizeof(a));
	dn_normalise(want, b, sizeof(b));
	return strcmp(a, b) == 0;
}

static bool san_matches(X509 *x, char const *id, size_t len)
{
	GENERAL_NAMES *names = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
	bool found = false;

	for (int i = 0; names && !found && i < sk_GENERAL_NAME_num(names); i++) {
		ASN1_STRING const *s;
		char const *kind = cert_san_get(sk_GENERAL_NAME_value(names, i), &s);
		char const *v;
		size_t vlen;

		if (!s || strcmp(kind, "IP") == 0 || strcmp(kind, "URI") == 0)
			continue;
		v = (char const *)ASN1_STRING_get0_data(s);
		vlen = (size_t)ASN1_STRING_length(s);
		found = same_text(v, vlen, id, len);
		/* Machine authentication: "host/NAME" is bound to DNS:NAME. */
		if (!found && strcmp(kind, "DNS") == 0 && len > 5 && same_text(id, 5, "host/", 5))
			found = same_text(v, vlen, id + 5, len - 5);
	}
	GENERAL_NAMES_free(names);
	return found;
}

static bool cn_matches(X509 *x, char const *id, size_t len)
{
	X509_NAME *subject = X509_get_subject_name(x);
	int i = -1;

	while ((i = X509_NAME_get_index_by_NID(subject, NID_commonName, i)) >= 0) {
		ASN1_STRING *data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, i));
		unsigned char *utf8 = NULL;
		int n = data ? ASN1_STRING_to_UTF8(&utf8, data) : -1;
		bool ok = n >= 0 && same_text((char const *)utf8, (size_t)n, id, len);

		OPENSSL_free(utf8);
		if (ok)
			return true;
	}
	return false;
}

bool cert_identity_matches(X509 *x, char const *identity, size_t len)
{
	if (!x || !identity || len == 0 || memchr(identity, '\0', len))
		return false;
	return san_matches(x, identity, len) || cn_matches(x, identity, len);
}

static int check_eku(struct cert_verdict *v, X509 *leaf)
{
	uint32_t flags = X509_get_extension_flags(leaf);

	if (!(flags & EXFLAG_XKUSAGE)) {
		cert_verdict_set(v, CERT_NO_CLIENT_EKU, 0,
				 "client certificate has no extendedKeyUsage extension "
				 "(clientAuth required)");
		return -1;
	}
	if (!(X509_get_extended_key_usage(leaf) & XKU_SSL_CLIENT)) {
		cert_verdict_set(v, CERT_NO_CLIENT_EKU, 0,
				 "client certificate has no clientAuth EKU");
		return -1;
	}
	return 0;
}

/* The identity for a detail text: printable, bounded. */
static void identity_print(char const *id, size_t len, char *buf, size_t cap)
{
	size_t o = 0;

	for (size_t i = 0; id && i < len && o + 1 < cap; i++) {
		unsigned char c = (unsigned char)id[i];

		buf[o++] = (c < 0x20 || c >= 0x7f) ? '?' : (char)c;
	}
	buf[o] = '\0';
}

int cert_check_leaf(struct cert_verdict *v, X509 *leaf, struct cert_rules const *rules,
		    char const *identity, size_t len)
{
	char have[160], id[128];

	if (!leaf) {
		cert_verdict_set(v, CERT_NO_CERT, 0, "no client certificate");
		return -1;
	}
	if (rules->require_client_eku && check_eku(v, leaf) < 0)
		return -1;
	if (rules->issuer && !cert_name_matches(X509_get_issuer_name(leaf), rules->issuer)) {
		cert_name_print(X509_get_issuer_name(leaf), have, sizeof(have));
		cert_verdict_set(v, CERT_ISSUER_MISMATCH, 0,
				 "client certificate issuer %s is not check_cert_issuer %s", have,
				 rules->issuer);
		return -1;
	}
	if (rules->binding == CERT_BIND_SAN_OR_CN && !cert_identity_matches(leaf, identity, len)) {
		identity_print(identity, len, id, sizeof(id));
		cert_sans_print(leaf, have, sizeof(have));
		cert_verdict_set(v, CERT_IDENTITY_MISMATCH, 0,
				 "identity mismatch: EAP identity '%s' not in SAN/CN (SAN %s)", id,
				 have);
		return -1;
	}
	return 0;
}
