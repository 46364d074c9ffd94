/*
 * The authorization carried inside a session ticket (RFC 5077 4 leaves the ticket's content
 * to the server; RFC 9190 5.7 asks that a resumed EAP-TLS session keep the authorization of
 * the original one and that revocation be checked again). Encoded into the ticket's
 * application data when OpenSSL makes a ticket, decoded and checked when a peer offers one:
 * the verdict was ok, the full handshake is at most ticket_lifetime old, the certificate has
 * not expired since, the EAP identity is the same when bound, and (unless check_crl = no,
 * under which the full handshake read no CRL either) no current CRL of the server lists the
 * certificate (or, with check_crl = chain, its intermediates).
 *
 * Format (version 4), all integers big endian:
 *	u8 version, u8 EAP method Type (13 TLS, 21 TTLS, 25 PEAP), u8 verdict reason,
 *	u8 flags (1 = verdict warning), u8 n certs (1..6; 0 for TTLS/PEAP, which ask for none)
 *	u32 u32 auth_time, u32 u32 not_after (two's complement 64-bit unix times)
 *	n x (u16 len, DER issuer Name; u16 len, DER serial INTEGER): leaf first
 *	10 x (u16 len, text): EAP identity, verdict warning detail, inner identity (TTLS/PEAP:
 *	the one whose inner method succeeded before a TLS 1.3 ticket was sent, else empty), then
 *	the leaf's subject, issuer, serial, notAfter, SANs, CN and SAN name as tls_peer_info
 *	prints them (empty for TTLS/PEAP)
 *	(version 4 on) u16 len, DER subject of the trust anchor that verified the chain (empty
 *	for TTLS/PEAP); 32 octets SHA-256 of that anchor's certificate (zeros for TTLS/PEAP);
 *	32 octets SHA-256 of the server's certificate rules (tls_rules_digest)
 * A format 4 ticket resumes only while the server's rules (require_client_eku, the issuer
 * rule, identity binding) are those of its full handshake and, for EAP-TLS, while ca_file or
 * ca_path still holds that trust anchor: a CA taken out of the trust store, or a rule made
 * stricter, means a full handshake under the new configuration, not a resumption under the
 * old one (also between servers sharing a ticket key file but not their trust).
 * Versions 3, 2 (only the first 3 texts) and 1 (EAP-TLS only: no method octet, 2 texts)
 * are still read, so tickets issued before an upgrade keep resuming for the rest of their
 * lifetime, without the trust check: sessions of versions 1 and 2 carry the peer certificate,
 * which then supplies the names.
 * A ticket only resumes the method it was issued for: an EAP-TLS ticket offered in TTLS (or
 * the other way) means a full handshake.
 * From version 3 on the session inside the ticket holds no certificate (tls_ticket_cipher.c
 * leaves it out): the names above replace it, a few hundred octets instead of a DER
 * certificate, so a resumed ClientHello fits one 1400-octet EAP fragment and a resumption
 * decodes no certificate.
 */
#include "tls/tls_int.h"
#include "util/cursor.h"
#include "util/err.h"

#include <stdio.h>
#include <string.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509v3.h>

#define RESUME_VERSION_1 1 /* EAP-TLS only, read for old tickets */
#define RESUME_VERSION_2 2 /* 3 texts, the certificate in the session */
#define RESUME_VERSION_3 3 /* no trust anchor, no rules digest */
#define RESUME_VERSION 4
#define RESUME_FLAG_WARNING 0x01
#define CLOCK_SKEW_MAX 300 /* seconds a peer server's clock may be ahead */

#define N_TEXT 10
#define N_TEXT_V2 3
#define N_TEXT_V1 2

/* The text fields of a tls_resume, in format order. */
static void text_fields(struct tls_resume *r, char **f, size_t *cap)
{
	char *fields[] = {
		r->identity, r->warning_detail, r->inner, r->peer.subject, r->peer.issuer,
		r->peer.serial, r->peer.not_after, r->peer.sans, r->peer.cn, r->peer.san_name,
	};
	size_t const sizes[] = {
		sizeof(r->identity), sizeof(r->warning_detail), sizeof(r->inner),
		sizeof(r->peer.subject), sizeof(r->peer.issuer), sizeof(r->peer.serial),
		sizeof(r->peer.not_after), sizeof(r->peer.sans), sizeof(r->peer.cn),
		sizeof(r->peer.san_name),
	};

	_Static_assert(sizeof(fields) / sizeof(fields[0]) == N_TEXT, "one size per text");
	_Static_assert(sizeof(sizes) / sizeof(sizes[0]) == N_TEXT, "one size per text");
	memcpy(f, fields, sizeof(fields));
	memcpy(cap, sizes, sizeof(sizes));
}

static int64_t time_epoch(ASN1_TIME const *t)
{
	ASN1_TIME *zero = ASN1_TIME_set(NULL, 0);
	int day = 0, sec = 0;
	int ok = zero && t && ASN1_TIME_diff(&day, &sec, zero, t) == 1;

	ASN1_TIME_free(zero);
	return ok ? (int64_t)day * 86400 + sec : 0; /* 0: already expired, fails closed */
}

/* Issuer and serial of x as DER into slot i of r. Returns 0 or -1. */
static int cert_slot_fill(struct tls_resume *r, unsigned i, X509 *x)
{
	unsigned char *p = r->certs[i].issuer;
	int n = i2d_X509_NAME(X509_get_issuer_name(x), NULL);

	if (n <= 0 || (size_t)n > sizeof(r->certs[i].issuer))
		return -1;
	r->certs[i].issuer_len = (size_t)i2d_X509_NAME(X509_get_issuer_name(x), &p);
	n = i2d_ASN1_INTEGER(X509_get0_serialNumber(x), NULL);
	if (n <= 0 || (size_t)n > sizeof(r->certs[i].serial))
		return -1;
	p = r->certs[i].serial;
	r->certs[i].serial_len = (size_t)i2d_ASN1_INTEGER(X509_get0_serialNumber(x), &p);
	return 0;
}

int tls_rules_digest(struct cert_rules const *rules, uint8_t out[TLS_DIGEST_LEN])
{
	char head[96];
	char const *issuer = rules->issuer ? rules->issuer : "(any)";
	unsigned int len = 0;
	int n = snprintf(head, sizeof(head), "latchd ticket rules 1|eku=%d|binding=%d|issuer=",
			 rules->require_client_eku ? 1 : 0, (int)rules->binding);
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	int ok = md && n > 0 && (size_t)n < sizeof(head) &&
		 EVP_DigestInit_ex(md, EVP_sha256(), NULL) == 1 &&
		 EVP_DigestUpdate(md, head, (size_t)n) == 1 &&
		 EVP_DigestUpdate(md, issuer, strlen(issuer)) == 1 &&
		 EVP_DigestFinal_ex(md, out, &len) == 1 && len == TLS_DIGEST_LEN;

	EVP_MD_CTX_free(md);
	if (!ok) {
		err_set("tls: cannot digest the certificate rules (OpenSSL SHA-256 failed)");
		return -1;
	}
	return 0;
}

/* The trust anchor of a verified chain into r. Returns 0 or -1. */
static int anchor_fill(struct tls_resume *r, STACK_OF(X509) *chain)
{
	X509 *anchor = chain && sk_X509_num(chain) > 0 ? sk_X509_value(chain, sk_X509_num(chain) - 1)
						       : NULL;
	unsigned char *p = r->anchor_name;
	unsigned int len = 0;
	int n = anchor ? i2d_X509_NAME(X509_get_subject_name(anchor), NULL) : -1;

	if (n <= 0 || (size_t)n >= sizeof(r->anchor_name) || /* get_blob's limit */
	    X509_digest(anchor, EVP_sha256(), r->anchor_sha256, &len) != 1 ||
	    len != TLS_DIGEST_LEN)
		return -1;
	r->anchor_name_len = (size_t)i2d_X509_NAME(X509_get_subject_name(anchor), &p);
	return 0;
}

/* Does store still hold the trust anchor r names (same subject, same certificate)? Looks up
 * by subject, so ca_path's hashed directory is searched as for a full handshake. */
static bool anchor_trusted(X509_STORE *store, struct tls_resume const *r)
{
	unsigned char const *p = r->anchor_name;
	X509_NAME *name = d2i_X509_NAME(NULL, &p, (long)r->anchor_name_len);
	X509_STORE_CTX *sctx = name ? X509_STORE_CTX_new() : NULL;
	STACK_OF(X509) *certs = NULL;
	bool found = false;

	if (sctx && X509_STORE_CTX_init(sctx, store, NULL, NULL) == 1)
		certs = X509_STORE_CTX_get1_certs(sctx, name);
	for (int i = 0; certs && !found && i < sk_X509_num(certs); i++) {
		uint8_t md[TLS_DIGEST_LEN];
		unsigned int len = 0;

		found = X509_digest(sk_X509_value(certs, i), EVP_sha256(), md, &len) == 1 &&
			len == sizeof(md) && memcmp(md, r->anchor_sha256, sizeof(md)) == 0;
	}
	sk_X509_pop_free(certs, X509_free);
	X509_STORE_CTX_free(sctx);
	X509_NAME_free(name);
	ERR_clear_error();
	return found;
}

/* The authorization of a full handshake that just verified c->peer. */
static int resume_from_peer(struct tls_conn const *c, struct tls_resume *r)
{
	STACK_OF(X509) *chain = SSL_get0_verified_chain(c->ssl);

	struct tls_peer_info info;

	r->method = c->method;
	r->has_trust = true;
	memcpy(r->rules_digest, c->tickets.rules_digest, sizeof(r->rules_digest));
	if (c->tunnel_tickets) {
		/* TTLS/PEAP: no certificate; the inner identity is added by the caller. */
		r->auth_time = tls_ticket_now(&c->tickets);
		r->not_after = INT64_MAX;
		return 0;
	}
	if (!c->peer || c->verdict.reason != CERT_OK || tls_conn_peer_info(c, &info) < 0)
		return -1;
	snprintf(r->identity, sizeof(r->identity), "%s", info.identity);
	r->peer = info;
	r->has_peer = true;
	r->auth_time = tls_ticket_now(&c->tickets);
	r->not_after = time_epoch(X509_get0_notAfter(c->peer));
	r->warning = c->verdict.warning;
	snprintf(r->warning_detail, sizeof(r->warning_detail), "%s", c->verdict.warning_detail);
	if (cert_slot_fill(r, 0, c->peer) < 0 || anchor_fill(r, chain) < 0)
		return -1;
	r->n_certs = 1;
	/* With check_crl = chain, the intermediates are re-checked too (not the anchor). */
	for (int i = 1; c->tickets.check_crl == CERT_CRL_CHAIN && chain &&
			i < sk_X509_num(chain) && r->n_certs < TLS_RESUME_CHAIN_MAX;
	     i++) {
		X509 *x = sk_X509_value(chain, i);

		if (X509_get_extension_flags(x) & EXFLAG_SS)
			break;
		if (cert_slot_fill(r, r->n_certs, x) < 0)
			return -1;
		r->n_certs++;
	}
	return 0;
}

static void put_i64(struct wcursor *w, int64_t v)
{
	wcursor_u32(w, (uint32_t)((uint64_t)v >> 32));
	wcursor_u32(w, (uint32_t)(uint64_t)v);
}

static void put_blob(struct wcursor *w, void const *p, size_t len)
{
	wcursor_u16(w, (uint16_t)len);
	wcursor_bytes(w, p, len);
}

static bool has_control(char const *text)
{
	for (; *text; text++)
		if ((unsigned char)*text < 0x20 || *text == 0x7f)
			return true;
	return false;
}

/* A text as decoding accepts it: control octets (which it refuses) written as '?', so that
 * an odd printed name or detail costs a character, not the whole ticket (the identities are
 * checked by the caller). */
static void put_text(struct wcursor *w, char const *text)
{
	size_t len = strlen(text);

	wcursor_u16(w, (uint16_t)len);
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)text[i];

		wcursor_u8(w, ch < 0x20 || ch == 0x7f ? '?' : ch);
	}
}

ssize_t tls_resume_encode(struct tls_conn const *c, uint8_t *buf, size_t cap)
{
	/* The ticket's authorization only when OpenSSL resumed it: a ticket that passed the
	 * checks can still end in a full handshake, whose ticket describes the new peer. */
	struct tls_resume *r = SSL_session_reused(c->ssl) == 1 ? c->resumed : NULL, local;
	char *text[N_TEXT];
	size_t tcap[N_TEXT];
	struct wcursor w;

	if (!r) {
		memset(&local, 0, sizeof(local));
		if (resume_from_peer(c, &local) < 0)
			return 0;
		r = &local;
	} else if (!r->has_trust) {
		/* Resumed from a ticket of format 1-3 (no trust anchor to carry on): no new
		 * ticket. TLS 1.3 then needs a full handshake next time; a TLS 1.2 client keeps
		 * its old ticket, which resumes (without the trust check) until ticket_lifetime. */
		return 0;
	}
	wcursor_init(&w, buf, cap);
	wcursor_u8(&w, RESUME_VERSION);
	wcursor_u8(&w, c->method);
	wcursor_u8(&w, CERT_OK);
	wcursor_u8(&w, r->warning ? RESUME_FLAG_WARNING : 0);
	wcursor_u8(&w, (uint8_t)r->n_certs);
	put_i64(&w, r->auth_time); /* kept across renewals: lifetime counts from the full one */
	put_i64(&w, r->not_after);
	for (unsigned i = 0; i < r->n_certs; i++) {
		put_blob(&w, r->certs[i].issuer, r->certs[i].issuer_len);
		put_blob(&w, r->certs[i].serial, r->certs[i].serial_len);
	}
	text_fields(r, text, tcap);
	/* The inner identity is only ever the one of this connection's inner success. */
	text[2] = c->ticket_inner ? c->ticket_inner : (char *)"";
	/* The identities decide authorization on resumption: one with a control octet (which
	 * decoding refuses) gets no ticket rather than an altered name. */
	if (has_control(text[0]) || has_control(text[2]))
		return 0;
	for (int i = 0; i < N_TEXT; i++)
		put_text(&w, text[i]); /* names: "" for TTLS/PEAP */
	put_blob(&w, r->anchor_name, r->anchor_name_len);
	wcursor_bytes(&w, r->anchor_sha256, sizeof(r->anchor_sha256));
	wcursor_bytes(&w, r->rules_digest, sizeof(r->rules_digest));
	return w.bad ? -1 : (ssize_t)wcursor_used(&w);
}

static bool get_i64(struct rcursor *rc, int64_t *v)
{
	uint32_t hi = 0, lo = 0;
	bool ok = rcursor_u32(rc, &hi) && rcursor_u32(rc, &lo);

	*v = (int64_t)(((uint64_t)hi << 32) | lo);
	return ok;
}

/* A u16-length blob into out (cap octets); text adds a NUL and refuses NUL/control octets. */
static bool get_blob(struct rcursor *rc, void *out, size_t cap, size_t *len, bool text)
{
	uint16_t n = 0;
	uint8_t const *p;

	if (!rcursor_u16(rc, &n) || n >= cap || !rcursor_ref(rc, &p, n))
		return false;
	for (size_t i = 0; text && i < n; i++)
		if (p[i] < 0x20 || p[i] == 0x7f)
			return false;
	memcpy(out, p, n);
	if (text)
		((char *)out)[n] = '\0';
	if (len)
		*len = n;
	return true;
}

int tls_resume_decode(struct tls_resume *r, uint8_t const *data, size_t len)
{
	uint8_t version = 0, reason = 0xff, flags = 0, n = 0;
	int n_text;
	char *text[N_TEXT];
	size_t tcap[N_TEXT];
	struct rcursor rc;

	memset(r, 0, sizeof(*r));
	rcursor_init(&rc, data, data ? len : 0);
	r->method = TLS_EAP_TYPE_TLS;
	if (!rcursor_u8(&rc, &version) || version < RESUME_VERSION_1 || version > RESUME_VERSION ||
	    (version >= RESUME_VERSION_2 && !rcursor_u8(&rc, &r->method)) ||
	    !rcursor_u8(&rc, &reason) || reason != CERT_OK || !rcursor_u8(&rc, &flags) ||
	    !rcursor_u8(&rc, &n) || n > TLS_RESUME_CHAIN_MAX ||
	    (n < 1 && r->method == TLS_EAP_TYPE_TLS) || !get_i64(&rc, &r->auth_time) ||
	    !get_i64(&rc, &r->not_after))
		return -1;
	r->warning = flags & RESUME_FLAG_WARNING;
	r->n_certs = n;
	for (unsigned i = 0; i < n; i++)
		if (!get_blob(&rc, r->certs[i].issuer, sizeof(r->certs[i].issuer),
			      &r->certs[i].issuer_len, false) ||
		    !get_blob(&rc, r->certs[i].serial, sizeof(r->certs[i].serial),
			      &r->certs[i].serial_len, false))
			return -1;
	text_fields(r, text, tcap);
	n_text = version >= RESUME_VERSION_3 ? N_TEXT : version == RESUME_VERSION_2 ? N_TEXT_V2
										 : N_TEXT_V1;
	for (int i = 0; i < n_text; i++)
		if (!get_blob(&rc, text[i], tcap[i], NULL, true))
			return -1;
	r->has_peer = version >= RESUME_VERSION_3 && n > 0;
	if (version >= RESUME_VERSION) {
		uint8_t const *p;

		if (!get_blob(&rc, r->anchor_name, sizeof(r->anchor_name), &r->anchor_name_len,
			      false) ||
		    (r->anchor_name_len == 0) != (n == 0) ||
		    !rcursor_ref(&rc, &p, sizeof(r->anchor_sha256)))
			return -1;
		memcpy(r->anchor_sha256, p, sizeof(r->anchor_sha256));
		if (!rcursor_ref(&rc, &p, sizeof(r->rules_digest)))
			return -1;
		memcpy(r->rules_digest, p, sizeof(r->rules_digest));
		r->has_trust = true;
	}
	return rcursor_left(&rc) == 0 ? 0 : -1;
}

/* Does a current CRL list slot i? Sets *covered when a CRL for its issuer exists, *stale when
 * every such CRL is past nextUpdate. Returns 1 revoked, 0 not, -1 undecodable slot. */
static int slot_revoked(struct tls_resume const *r, unsigned i, X509_STORE_CTX *sctx,
			time_t now, bool *covered, bool *stale)
{
	unsigned char const *p = r->certs[i].issuer;
	X509_NAME *name = d2i_X509_NAME(NULL, &p, (long)r->certs[i].issuer_len);
	ASN1_INTEGER *serial = NULL;
	STACK_OF(X509_CRL) *crls = NULL;
	int revoked = -1;

	p = r->certs[i].serial;
	serial = name ? d2i_ASN1_INTEGER(NULL, &p, (long)r->certs[i].serial_len) : NULL;
	crls = serial ? X509_STORE_CTX_get1_crls(sctx, name) : NULL;
	if (serial)
		revoked = 0;
	*covered = crls && sk_X509_CRL_num(crls) > 0;
	*stale = *covered;
	for (int k = 0; crls && k < sk_X509_CRL_num(crls); k++) {
		X509_CRL *crl = sk_X509_CRL_value(crls, k);
		ASN1_TIME const *next = X509_CRL_get0_nextUpdate(crl);
		X509_REVOKED *rev = NULL;

		if (!next || X509_cmp_time(next, &now) > 0)
			*stale = false;
		if (X509_CRL_get0_by_serial(crl, &rev, serial) == 1)
			revoked = 1;
	}
	sk_X509_CRL_pop_free(crls, X509_CRL_free);
	ASN1_INTEGER_free(serial);
	X509_NAME_free(name);
	return revoked;
}

static bool revocation_ok(struct tls_conn const *c, struct tls_resume const *r,
			  X509_STORE *store, int64_t now, char const *serial, char *why, size_t cap)
{
	X509_STORE_CTX *sctx = X509_STORE_CTX_new();
	time_t t = (time_t)now;
	bool ok = sctx && X509_STORE_CTX_init(sctx, store, NULL, NULL) == 1;

	if (!ok)
		snprintf(why, cap, "cannot look up CRLs (out of memory)");
	for (unsigned i = 0; ok && i < r->n_certs; i++) {
		bool required = c->tickets.check_crl == CERT_CRL_CHAIN ||
				(c->tickets.check_crl == CERT_CRL_LEAF && i == 0);
		bool covered = false, stale = false;
		int rv = slot_revoked(r, i, sctx, t, &covered, &stale);
		char const *what = i == 0 ? "client certificate" : "intermediate CA";

		if (rv > 0) {
			ok = false;
			snprintf(why, cap, "%s serial %s is revoked by the current CRL", what,
				 i == 0 ? serial : "(intermediate)");
		} else if (rv < 0) {
			ok = false;
			snprintf(why, cap, "stored issuer/serial of the %s undecodable", what);
		} else if (required && !covered) {
			ok = false;
			snprintf(why, cap, "no CRL for the issuer of the %s any more", what);
		} else if (required && stale && !c->tickets.allow_expired_crl) {
			ok = false;
			snprintf(why, cap, "the CRL for the issuer of the %s has expired", what);
		}
	}
	X509_STORE_CTX_free(sctx);
	ERR_clear_error();
	return ok;
}

/* Is x the certificate of slot 0 (same issuer and serial)? */
static bool leaf_matches(struct tls_resume const *r, X509 *x)
{
	struct tls_resume mine;

	memset(&mine, 0, sizeof(mine));
	return cert_slot_fill(&mine, 0, x) == 0 &&
	       mine.certs[0].issuer_len == r->certs[0].issuer_len &&
	       mine.certs[0].serial_len == r->certs[0].serial_len &&
	       memcmp(mine.certs[0].issuer, r->certs[0].issuer, r->certs[0].issuer_len) == 0 &&
	       memcmp(mine.certs[0].serial, r->certs[0].serial, r->certs[0].serial_len) == 0;
}

/* TTLS/PEAP: no certificate to re-check; the ticket's age, and that it holds none. */
static bool tunnel_allowed(struct tls_conn const *c, struct tls_resume const *r, int64_t now,
			   char *why, size_t cap)
{
	if (r->n_certs != 0) {
		snprintf(why, cap, "tunnel ticket holds a client certificate");
		return false;
	}
	if (c->inner_required && !r->inner[0]) {
		snprintf(why, cap, "ticket holds no inner identity (TLS 1.2 ticket, issued before "
			 "the inner method), and this method's peers skip the inner method when "
			 "resuming");
		return false;
	}
	if (now - r->auth_time > (int64_t)c->tickets.lifetime) {
		snprintf(why, cap, "full handshake %lld s ago, ticket_lifetime is %u",
			 (long long)(now - r->auth_time), c->tickets.lifetime);
		return false;
	}
	if (r->auth_time - now > CLOCK_SKEW_MAX) {
		snprintf(why, cap, "ticket issued %lld s in the future (check the clocks)",
			 (long long)(r->auth_time - now));
		return false;
	}
	return true;
}

bool tls_resume_allowed(struct tls_conn const *c, struct tls_resume const *r, X509 *peer,
			X509_STORE *store, char *why, size_t cap)
{
	int64_t now = tls_ticket_now(&c->tickets);
	bool bound = c->tickets.binding != CERT_BIND_NONE;
	char serial[80] = "?", not_after[24] = "?";

	if (r->method != c->method) {
		snprintf(why, cap, "ticket of EAP method %u offered to EAP method %u",
			 (unsigned)r->method, (unsigned)c->method);
		return false;
	}
	if (r->has_trust && CRYPTO_memcmp(r->rules_digest, c->tickets.rules_digest,
					  sizeof(r->rules_digest)) != 0) {
		snprintf(why, cap, "the certificate rules (require_client_eku, check_cert_issuer, "
			 "identity binding) changed since the full handshake");
		return false;
	}
	if (c->tunnel_tickets)
		return tunnel_allowed(c, r, now, why, cap);
	/* Format 3: no certificate in the session, the names are in r (both sealed by the
	 * ticket's HMAC). Formats 1 and 2: the session's certificate must be the one r names. */
	if (r->n_certs < 1 || (peer ? !leaf_matches(r, peer) : !r->has_peer)) {
		snprintf(why, cap, "ticket's certificate does not match its authorization");
		return false;
	}
	if (peer) {
		cert_serial_print(peer, serial, sizeof(serial));
		cert_time_print(X509_get0_notAfter(peer), not_after, sizeof(not_after));
	} else {
		snprintf(serial, sizeof(serial), "%s", r->peer.serial);
		snprintf(not_after, sizeof(not_after), "%s", r->peer.not_after);
	}

	if (now - r->auth_time > (int64_t)c->tickets.lifetime) {
		snprintf(why, cap, "full handshake %lld s ago, ticket_lifetime is %u",
			 (long long)(now - r->auth_time), c->tickets.lifetime);
		return false;
	}
	if (r->auth_time - now > CLOCK_SKEW_MAX) {
		snprintf(why, cap, "ticket issued %lld s in the future (check the clocks)",
			 (long long)(r->auth_time - now));
		return false;
	}
	if (r->not_after <= now) {
		snprintf(why, cap, "client certificate serial %s expired at %s", serial, not_after);
		return false;
	}
	if (r->has_trust && !anchor_trusted(store, r)) {
		snprintf(why, cap, "the CA that verified client certificate serial %s is no longer "
			 "in ca_file/ca_path", serial);
		return false;
	}
	if (bound && (!c->identity || strlen(r->identity) != c->identity_len ||
		      memcmp(r->identity, c->identity, c->identity_len) != 0)) {
		snprintf(why, cap, "EAP identity differs from the one of the full handshake");
		return false;
	}
	/* check_crl = no: the full handshake looked at no CRL, nor does its resumption. */
	if (c->tickets.check_crl == CERT_CRL_NONE)
		return true;
	return revocation_ok(c, r, store, now, serial, why, cap);
}
