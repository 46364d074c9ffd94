/*
 * Printing certificate fields for logs and verdict details: distinguished names (RFC 2253
 * order, UTF-8 kept), times (ISO 8601 UTC), serial numbers (hex) and subjectAltNames
 * (RFC 5280 4.2.1.6). Everything read from a certificate is hostile: control octets are
 * replaced and output is bounded by the caller's buffer.
 */
#include "cert/cert_int.h"
#include "cert/cert_x509.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <openssl/bio.h>
#include <openssl/bn.h>

/* Append len octets of src at *pos (control octets as '?'); "..." marks truncation. */
static void append(char *buf, size_t cap, size_t *pos, char const *src, size_t len)
{
	if (cap == 0)
		return;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)src[i];

		if (*pos + 1 >= cap) {
			if (cap >= 4)
				memcpy(buf + cap - 4, "...", 3);
			break;
		}
		buf[(*pos)++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
	}
	buf[*pos < cap ? *pos : cap - 1] = '\0';
}

static void put_str(char *buf, size_t cap, char const *s)
{
	size_t pos = 0;

	if (cap == 0)
		return;
	buf[0] = '\0';
	append(buf, cap, &pos, s, strlen(s));
}

void cert_name_print(X509_NAME const *name, char *buf, size_t cap)
{
	BIO *bio;
	char *data = NULL;
	long len;
	size_t pos = 0;

	if (cap == 0)
		return;
	buf[0] = '\0';
	if (!(bio = BIO_new(BIO_s_mem())))
		return;
	/* RFC 2253 order, but keep UTF-8 as is (no backslash escapes of octets >= 0x80). */
	if (name &&
	    X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) >= 0) {
		len = BIO_get_mem_data(bio, &data);
		if (data && len > 0)
			append(buf, cap, &pos, data, (size_t)len);
	}
	BIO_free(bio);
}

void cert_time_print(ASN1_TIME const *t, char *buf, size_t cap)
{
	struct tm tm;

	if (cap == 0)
		return;
	memset(&tm, 0, sizeof(tm));
	if (!t || ASN1_TIME_to_tm(t, &tm) != 1 ||
	    strftime(buf, cap, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		put_str(buf, cap, "?");
}

void cert_serial_print(X509 const *x, char *buf, size_t cap)
{
	ASN1_INTEGER const *serial = x ? X509_get0_serialNumber(x) : NULL;
	BIGNUM *bn = serial ? ASN1_INTEGER_to_BN(serial, NULL) : NULL;
	char *hex = bn ? BN_bn2hex(bn) : NULL;

	put_str(buf, cap, hex ? hex : "?");
	OPENSSL_free(hex);
	BN_free(bn);
}

char const *cert_san_get(GENERAL_NAME const *g, ASN1_STRING const **s)
{
	*s = NULL;
	switch (g->type) {
	case GEN_EMAIL:
		*s = g->d.rfc822Name;
		return "email";
	case GEN_DNS:
		*s = g->d.dNSName;
		return "DNS";
	case GEN_URI:
		*s = g->d.uniformResourceIdentifier;
		return "URI";
	case GEN_IPADD:
		*s = g->d.iPAddress;
		return "IP";
	case GEN_OTHERNAME:
		if (OBJ_obj2nid(g->d.otherName->type_id) == NID_ms_upn &&
		    g->d.otherName->value->type == V_ASN1_UTF8STRING) {
			*s = g->d.otherName->value->value.utf8string;
			return "UPN";
		}
		return "other";
	default:
		return "other";
	}
}

/* One SAN as "kind:value" appended at *pos. */
static void san_append(GENERAL_NAME const *g, char *buf, size_t cap, size_t *pos)
{
	ASN1_STRING const *s;
	char const *kind = cert_san_get(g, &s);
	char ip[INET6_ADDRSTRLEN] = "?";

	append(buf, cap, pos, kind, strlen(kind));
	if (!s)
		return;
	append(buf, cap, pos, ":", 1);
	if (strcmp(kind, "IP") == 0) {
		int len = ASN1_STRING_length(s);

		if (len == 4 || len == 16)
			inet_ntop(len == 4 ? AF_INET : AF_INET6, ASN1_STRING_get0_data(s), ip,
				  sizeof(ip));
		append(buf, cap, pos, ip, strlen(ip));
		return;
	}
	append(buf, cap, pos, (char const *)ASN1_STRING_get0_data(s),
	       (size_t)ASN1_STRING_length(s));
}

void cert_sans_print(X509 const *x, char *buf, size_t cap)
{
	GENERAL_NAMES *names;
	size_t pos = 0;

	if (cap == 0)
		return;
	buf[0] = '\0';
	names = x ? X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL) : NULL;
	for (int i = 0; names && i < sk_GENERAL_NAME_num(names); i++) {
		if (i > 0)
			append(buf, cap, &pos, ", ", 2);
		san_append(sk_GENERAL_NAME_value(names, i), buf, cap, &pos);
	}
	GENERAL_NAMES_free(names);
}

/* Copy an ASN1 string into buf if it has no NUL or control octet (a name we can hand on). */
static bool name_copy(ASN1_STRING const *s, char *buf, size_t cap)
{
	int len = ASN1_STRING_length(s);
	unsigned char const *p = ASN1_STRING_get0_data(s);

	if (len <= 0 || (size_t)len >= cap) return false;
	for (int i = 0; i < len; i++)
		if (p[i] < 0x20 || p[i] == 0x7f) return false;
	memcpy(buf, p, (size_t)len);
	buf[len] = '\0';
	return true;
}

void cert_cn_get(X509 const *x, char *buf, size_t cap)
{
	X509_NAME const *name = x ? X509_get_subject_name(x) : NULL;
	int i = name ? X509_NAME_get_index_by_NID(name, NID_commonName, -1) : -1;

	if (cap) buf[0] = '\0';
	if (i < 0) return;
	/* The CN as UTF-8, for User-Name; refused if it holds control octets. */
	{
		unsigned char *utf8 = NULL;
		int len = ASN1_STRING_to_UTF8(
			&utf8, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i)));
		bool ok = len > 0 && (size_t)len < cap;

		for (int k = 0; ok && k < len; k++)
			if (utf8[k] < 0x20 || utf8[k] == 0x7f) ok = false;
		if (ok) {
			memcpy(buf, utf8, (size_t)len);
			buf[len] = '\0';
		}
		OPENSSL_free(utf8);
	}
}

void cert_san_name_get(X509 const *x, char *buf, size_t cap)
{
	static char const *const order[] = {"UPN", "email", "DNS"};
	GENERAL_NAMES *names;

	if (cap) buf[0] = '\0';
	names = x ? X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL) : NULL;
	for (size_t k = 0; names && k < sizeof(order) / sizeof(order[0]) && !buf[0]; k++) {
		for (int i = 0; i < sk_GENERAL_NAME_num(names); i++) {
			ASN1_STRING const *v;
			char const *kind = cert_san_get(sk_GENERAL_NAME_value(names, i), &v);

			if (v && strcmp(kind, order[k]) == 0 && name_copy(v, buf, cap)) break;
		}
	}
	GENERAL_NAMES_free(names);
}
