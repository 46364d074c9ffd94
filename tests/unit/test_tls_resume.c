/*
 * Unit tests for stateless session resumption (src/tls/tls_ticket.c, tls_resume.c): full then
 * resumed handshakes with TLS 1.2 (RFC 5077) and TLS 1.3 (RFC 8446 4.6.1), two servers
 * sharing a ticket key file, a foreign key file, the ticket lifetime, resumption off, a
 * certificate revoked between the full and the resumed handshake, CRLs loaded but unchecked
 * (check_crl = no), key rotation with a fake clock, identity binding, key file errors,
 * hostile ticket application data, and the peer certificate left out of tickets.
 */
#include "pki_suite.h"
#include "tls/tls_int.h"
#include "util/err.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <openssl/err.h>

static TALLOC_CTX *ctx;	/* servers and connections: must be empty at teardown */
static TALLOC_CTX *scratch; /* file names and settings strings */
static int const versions[] = {TLS1_2_VERSION, TLS1_3_VERSION};
static time_t fake_now;

static time_t fake_clock(void)
{
	return fake_now;
}

static void setup(void)
{
	ctx = talloc_new(NULL);
	scratch = talloc_new(NULL);
	ck_assert_ptr_nonnull(ctx);
	ck_assert_ptr_nonnull(scratch);
	fake_now = time(NULL);
}

static void teardown(void)
{
	ck_assert_uint_eq(talloc_total_blocks(ctx), 1);
	talloc_free(ctx);
	talloc_free(scratch);
}

/* A file in the PKI directory holding text (mode 0600). */
static char *write_file(char const *name, char const *text)
{
	char *path = talloc_asprintf(scratch, "%s/%s", pki_dir(), name);
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	chmod(path, 0600);
	return path;
}

static char const key1[] = "# latchd ticket key\n"
			   "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n";
static char const key2[] = "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100";

/* RSA lab settings with resumption from key file text (NULL: random key). */
static struct tls_server *server(struct tls_settings *s, char const *key, char const *name)
{
	struct tls_server *srv;

	if (key)
		s->ticket_key_file = write_file(name, key);
	srv = tls_server_new(ctx, s);
	ck_assert_msg(srv != NULL, "tls_server_new: %s", err_msg());
	tls_server_set_clock(srv, fake_clock);
	return srv;
}

/* One handshake of the "good" client (with session sess if not NULL) against srv; the
 * client's session afterwards (after reading a TLS 1.3 NewSessionTicket) in *sess_out. */
static enum hs_result run(struct tls_server *srv, int v, char const *identity,
			  SSL_SESSION *sess, struct tls_conn **out, SSL_SESSION **sess_out)
{
	SSL_CTX *cctx = client_ctx_new(scratch, "rsa", "good", v);
	SSL *cli = client_new(cctx);
	enum hs_result r;
	uint8_t b[16];

	SSL_CTX_free(cctx);
	if (sess)
		ck_assert_int_eq(SSL_set_session(cli, sess), 1);
	*out = tls_conn_new(ctx, srv);
	ck_assert_ptr_nonnull(*out);
	if (identity)
		ck_assert_int_eq(tls_conn_set_identity(*out, identity, strlen(identity)), 0);
	r = handshake(cli, *out, NULL);
	if (r == HS_DONE) {
		pump_to_client(*out, cli);
		ck_assert_int_le(SSL_read(cli, b, sizeof(b)), 0); /* takes the ticket */
		ERR_clear_error();
		ck_assert_int_eq(SSL_session_reused(cli), tls_conn_resumed(*out) ? 1 : 0);
	}
	if (sess_out)
		*sess_out = SSL_get1_session(cli);
	/* without this, SSL_free marks the session not resumable ("bad session") */
	SSL_set_shutdown(cli, SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
	SSL_free(cli);
	return r;
}

/* A full handshake on srv: returns the client's session holding the ticket. */
static SSL_SESSION *full(struct tls_server *srv, int v, char const *identity)
{
	struct tls_conn *c;
	SSL_SESSION *sess = NULL;

	ck_assert_int_eq(run(srv, v, identity, NULL, &c, &sess), HS_DONE);
	ck_assert(!tls_conn_resumed(c));
	ck_assert_ptr_nonnull(sess);
	talloc_free(c);
	return sess;
}

static void peer_is_alice(struct tls_conn const *c, char const *identity)
{
	struct tls_peer_info info;

	ck_assert_int_eq(tls_conn_peer_info(c, &info), 0);
	ck_assert_str_eq(info.cn, "alice@example.test");
	ck_assert_str_eq(info.san_name, "alice@example.test");
	ck_assert_ptr_nonnull(strstr(info.subject, "CN=alice@example.test"));
	ck_assert_ptr_nonnull(strstr(info.issuer, "intermediate"));
	ck_assert_ptr_nonnull(strstr(info.sans, "DNS:alice.example.test"));
	ck_assert_uint_gt(strlen(info.serial), 0);
	ck_assert_uint_eq(strlen(info.not_after), 20);
	ck_assert_str_eq(info.identity, identity);
	ck_assert_int_eq(tls_conn_verdict(c)->reason, CERT_OK);
}

START_TEST(test_resume_same_server)
{
	struct tls_settings s;
	struct tls_server *srv;
	struct tls_conn *c;
	struct tls_peer_info before, after;
	SSL_SESSION *sess;
	uint8_t msk[64], emsk[64], sid[TLS_SESSION_ID_LEN];
	size_t sid_len = sizeof(sid);

	pki_settings(scratch, &s, "rsa");
	srv = server(&s, key1, "k1");
	ck_assert_str_eq(tls_server_warning(srv), "");
	sess = full(srv, versions[_i], "alice@example.test");
	ck_assert(SSL_SESSION_is_resumable(sess));
	{
		unsigned char const *tick;
		size_t tlen;

		SSL_SESSION_get0_ticket(sess, &tick, &tlen);
		fprintf(stderr, "tls_resume: TLS 1.%d ticket of %zu octets\n",
			versions[_i] == TLS1_2_VERSION ? 2 : 3, tlen);
		/* no certificate inside (the RSA leaf alone is 919 octets of DER), so the
		 * ClientHello offering it fits one 1400-octet EAP fragment */
		ck_assert_uint_lt(tlen, 700);
	}
	ck_assert_int_eq(run(srv, versions[_i], "alice@example.test", sess, &c, NULL), HS_DONE);
	ck_assert(tls_conn_resumed(c));
	ck_assert_str_eq(tls_conn_resume_refused(c), "");
	ck_assert_int_eq(tls_conn_version(c), versions[_i]);
	ck_assert_ptr_null(SSL_get0_peer_certificate(c->ssl)); /* the names come from the ticket */
	peer_is_alice(c, "alice@example.test");
	ck_assert_int_eq(tls_conn_export_eap_keys(c, 13, msk, emsk, sid, &sid_len), 0);
	ck_assert_int_eq(tls_conn_peer_info(c, &after), 0);
	talloc_free(c);
	/* the restored info equals what a full handshake shows */
	ck_assert_int_eq(run(srv, versions[_i], "alice@example.test", NULL, &c, NULL), HS_DONE);
	ck_assert_int_eq(tls_conn_peer_info(c, &before), 0);
	ck_assert_mem_eq(&before, &after, sizeof(before));
	talloc_free(c);
	SSL_SESSION_free(sess);
	talloc_free(srv);
}
END_TEST

START_TEST(test_two_servers)
{
	struct tls_settings s;
	struct tls_server *a, *b, *other;
	struct tls_conn *c;
	SSL_SESSION *sess;

	pki_settings(scratch, &s, "rsa");
	a = server(&s, key1, "k1");
	b = server(&s, key1, "k1b");
	other = server(&s, key2, "k2");
	sess = full(a, versions[_i], NULL);
	ck_assert_int_eq(run(b, versions[_i], NULL, sess, &c, NULL), HS_DONE);
	ck_assert(tls_conn_resumed(c));
	peer_is_alice(c, "");
	talloc_free(c);
	/* another key file: the ticket is not understood; a full handshake instead */
	ck_assert_int_eq(run(other, versions[_i], NULL, sess, &c, NULL), HS_DONE);
	ck_assert(!tls_conn_resumed(c));
	ck_assert_ptr_nonnull(strstr(tls_conn_resume_refused(c), "ticket key unknown"));
	peer_is_alice(c, "");
	talloc_free(c);
	SSL_SESSION_free(sess);
	talloc_free(a);
	talloc_free(b);
	talloc_free(other);
}
END_TEST

START_TEST(test_random_key)
{
	struct tls_settings s;
	struct tls_server *a, *b;
	struct tls_conn *c;
	SSL_SESSION *sess;

	pki_settings(scratch, &s, "rsa");
	a = server(&s, NULL, NULL);
	b = server(&s, NULL, NULL);
	ck_assert_ptr_nonnull(strstr(tls_server_warning(a), "ticket_key_file is not set"));
	sess = full(a, versions[_i], NULL);
	ck_assert_int_eq(run(a, versions[_i], NULL, sess, &c, NULL), HS_DONE);
	ck_assert(tls_conn_resumed(c));
	talloc_free(c);
	ck_assert_int_eq(run(b, versions[_i], NULL, sess, &c, NULL), HS_DONE);
	ck_assert(!tls_conn_resumed(c));
	talloc_free(c);
	/* a reload: the new server takes over the old one's random secret, and a's tickets
	 * resume on it (a server with a key file never takes one over) */
	ck_assert(tls_server_keep_random_key(b, a));
	ck_assert_int_eq(run(b, versions[_i], NULL, sess, &c, NULL), HS_DONE);
	ck_assert(tls_conn_resumed(c));
	talloc_free(c);
	{
		struct tls_server *k = server(&s, key1, "k1");

		ck_assert(!tls_server_keep_random_key(k, a));
		ck_assert(!tls_server_keep_random_key(b, k));
		talloc_free(k);
	}
	SSL_SESSION_free(sess);
	talloc_free(a);
	talloc_free(b);
}
END_TEST

START_TEST(test_lifetime)
{
	struct tls_settings s;
	struct tls_server *srv;
	struct tls_conn *c;
	SSL_SESSION *sess;

	pki_settings(scratch, &s, "rsa");
	s.ticket_lifetime = 600;
	s.ticket_key_rotation = 3600;
	fake_now = time(NULL) / 3600 * 3600 + 10;
	srv = server(&s, key1, "k1");
	sess = full(srv, versions[_i], NULL);
	fake_now += 600; /* just within */
	ck_assert_int_eq(run(srv, versions[_i], NULL, sess, &c, NULL), HS_DONE);
	ck_assert(tls_conn_resumed(c));
	talloc_free(c);
	fake_now += 1; /* one second too old, same key period */
	ck_assert_int_eq(run(srv, versions[_i], NULL, sess, &c, NULL), HS_DONE);
	ck_assert(!tls_conn_resumed(c));
	ck_assert_ptr_nonnull(strstr(tls_conn_resume_refused(c), "ticket_lifetime is 600"));
	talloc_free(c);
	SSL_SESSION_free(sess);
	talloc_free(srv);
}
END_TEST

START_TEST(test_resumption_off)
{
	struct tls_settings s;
	struct tls_server *srv;
	struct tls_conn *c;
	SSL_SESSION *sess;

	pki_settings(scratch, &s, "rsa");
	s.resumption = false;
	s.ticket_key_file = write_file("k1", key1);
	srv = tls_server_new(ctx, &s);
	ck_assert_ptr_nonnull(srv);
	ck_assert_int_eq(run(srv, versions[_i], NULL, NULL, &c, &sess), HS_DONE);
	talloc_free(c);
	ck_assert(!SSL_SESSION_has_ticket(sess));
	ck_assert_int_eq(run(srv, versions[_i], NULL, sess, &c, NULL), HS_DONE);
	ck_assert(!tls_conn_resumed(c));
	talloc_free(c);
	SSL_SESSION_free(sess);
	talloc_free(srv);
}
END_TEST

/* Revoked between the full and the resumed handshake: the new CRL refuses the ticket, and
 * the full handshake that follows fails on the revoked certificate. */
START_TEST(test_revoked_since)
{
	struct tls_settings s;
	struct tls_server *before, *after;
	struct tls_conn *c;
	SSL_SESSION *sess;

	pki_settings(scratch, &s, "rsa");
	s.check_crl = CERT_CRL_LEAF;
	s.crl_file = pki_path(scratch, "rsa", "crl.pem");
	before = server(&s, key1, "k1");
	s.crl_file = pki_path(scratch, "rsa", "crl-good-revoked.pem");
	after = server(&s, key1, "k1b");
	sess = full(before, versions[_i], NULL);
	ck_assert_int_eq(run(before, versions[_i], NULL, sess, &c, NULL), HS_DONE);
	ck_assert(tls_conn_resumed(c)); /* the old CRL still lets it resume */
	talloc_free(c);
	ck_assert_int_eq(run(after, versions[_i], NULL, sess, &c, NULL), HS_SERVER_FAILED);
	ck_assert(!tls_conn_resumed(c));
	ck_assert_ptr_nonnull(strstr(tls_conn_resume_refused(c), "revoked by the current CRL"));
	ck_assert_int_eq(tls_conn_verdict(c)->reason, CERT_REVOKED);
	talloc_free(c);
	SSL_SESSION_free(sess);
	talloc_free(before);
	talloc_free(after);
}
END_TEST

/*
 * A ticket that passes latchd's checks but that OpenSSL then does not use (TLS 1.3: the
 * client offers alice's SHA-384 ticket but only a SHA-256 suite, so the PSK does not fit and
 * the handshake is a full one) must leave nothing behind: the connection is carol's, and the
 * ticket data a full handshake writes (tls_resume_encode) describes carol, not alice.
 */
START_TEST(test_unused_ticket_forgotten)
{
	struct tls_settings s;
	struct tls_server *srv;
	struct tls_conn *c;
	struct tls_peer_info info;
	struct tls_resume *r = talloc_zero(scratch, struct tls_resume);
	SSL_SESSION *alice;
	SSL_CTX *cctx;
	SSL *cli;
	uint8_t buf[8192];
	ssize_t n;

	pki_settings(scratch, &s, "rsa");
	srv = server(&s, key1, "k1");
	alice = full(srv, TLS1_3_VERSION, NULL);
	ck_assert_str_eq(SSL_CIPHER_get_name(SSL_SESSION_get0_cipher(alice)),
			 "TLS_AES_256_GCM_SHA384");
	cctx = client_ctx_new(scratch, "rsa", "revoked", TLS1_3_VERSION); /* carol, CRL unchecked */
	ck_assert_int_eq(SSL_CTX_set_ciphersuites(cctx, "TLS_AES_128_GCM_SHA256"), 1);
	cli = client_new(cctx);
	ck_assert_int_eq(SSL_set_session(cli, alice), 1);
	c = tls_conn_new(ctx, srv);
	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(handshake(cli, c, NULL), HS_DONE);
	ck_assert(!tls_conn_resumed(c));
	ck_assert_ptr_null(c->resumed);
	ck_assert_int_eq(tls_conn_peer_info(c, &info), 0);
	ck_assert_str_eq(info.cn, "carol@example.test");
	n = tls_resume_encode(c, buf, sizeof(buf));
	ck_assert_int_gt(n, 0);
	ck_assert_int_eq(tls_resume_decode(r, buf, (size_t)n), 0);
	ck_assert_str_eq(r->peer.cn, "carol@example.test");
	SSL_set_shutdown(cli, SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
	SSL_free(cli);
	SSL_CTX_free(cctx);
	talloc_free(c);
	SSL_SESSION_free(alice);
	talloc_free(srv);
}
END_TEST

/* check_crl = no: CRLs loaded but not checked by the full handshake are not read on
 * resumption either (the same certificate gets the same answer both ways). */
START_TEST(test_crl_unchecked)
{
	struct tls_settings s;
	struct tls_server *srv;
	struct tls_conn *c;
	SSL_SESSION *sess;

	pki_settings(scratch, &s, "rsa");
	s.check_crl = CERT_CRL_NONE;
	s.crl_file = pki_path(scratch, "rsa", "crl-good-revoked.pem");
	srv = server(&s, key1, "k1");
	sess = full(srv, versions[_i], NULL); /* accepted: the CRL is not checked */
	ck_assert_int_eq(run(srv, versions[_i], NULL, sess, &c, NULL), HS_DONE);
	ck_assert(tls_conn_resumed(c));
	ck_assert_str_eq(tls_conn_resume_refused(c), "");
	talloc_free(c);
	SSL_SESSION_free(sess);
	talloc_free(srv);
}
END_TEST

/* check_crl = chain: the intermediate is stored too; a CRL that goes missing refuses. */
START_TEST(test_crl_gone)
{
	struct tls_settings s;
	struct tls_server *srv, *nocrl;
	struct tls_conn *c;
	SSL_SESSION *sess;

	pki_settings(scratch, &s, "rsa");
	s.check_crl = CERT_CRL_CHAIN;
	s.crl_file = pki_path(scratch, "rsa", "crl-bundle.pem");
	srv = server(&s, key1, "k1");
	s.check_crl = CERT_CRL_LEAF;
	s.crl_file = pki_path(scratch, "rsa", "expired-crl.pem");
	nocrl = server(&s, key1, "k1b");
	sess = full(srv, versions[_i], NULL);
	ck_assert_int_eq(run(srv, versions[_i], NULL, sess, &c, NULL), HS_DONE);
	ck_assert(tls_conn_resumed(c));
	talloc_free(c);
	/* a server whose only CRL for the issuer has expired: refuse, then fail closed */
	ck_assert_int_eq(run(nocrl, versions[_i], NULL, sess, &c, NULL), HS_SERVER_FAILED);
	ck_assert(!tls_conn_resumed(c));
	ck_assert_ptr_nonnull(strstr(tls_conn_resume_refused(c), "has expired"));
	talloc_free(c);
	SSL_SESSION_free(sess);
	talloc_free(srv);
	talloc_free(nocrl);
}
END_TEST

START_TEST(test_rotation)
{
	struct tls_settings s;
	struct tls_server *srv;
	struct tls_conn *c;
	SSL_SESSION *sess;
	time_t base = time(NULL) / 60 * 60;

	pki_settings(scratch, &s, "rsa");
	s.ticket_lifetime = 60;
	s.ticket_key_rotation = 60;
	srv = server(&s, key1, "k1");
	fake_now = base + 50; /* period P */
	sess = full(srv, versions[_i], NULL);
	fake_now = base + 65; /* period P + 1: the previous period's key still works */
	ck_assert_int_eq(run(srv, versions[_i], NULL, sess, &c, NULL), HS_DONE);
	ck_assert(tls_conn_resumed(c));
	talloc_free(c);
	fake_now = base - 10; /* period P - 1: a peer server whose clock is behind */
	ck_assert_int_eq(run(srv, versions[_i], NULL, sess, &c, NULL), HS_DONE);
	ck_assert(tls_conn_resumed(c));
	talloc_free(c);
	SSL_SESSION_free(sess);
	fake_now = base + 5; /* period P, ticket at its very start */
	sess = full(srv, versions[_i], NULL);
	fake_now = base + 125; /* period P + 2: that key is gone */
	ck_assert_int_eq(run(srv, versions[_i], NULL, sess, &c, NULL), HS_DONE);
	ck_assert(!tls_conn_resumed(c));
	ck_assert_ptr_nonnull(strstr(tls_conn_resume_refused(c), "ticket key unknown"));
	talloc_free(c);
	SSL_SESSION_free(sess);
	talloc_free(srv);
}
END_TEST

START_TEST(test_identity_binding)
{
	struct tls_settings s;
	struct tls_server *srv;
	struct tls_conn *c;
	SSL_SESSION *sess;

	pki_settings(scratch, &s, "rsa");
	s.identity_binding = CERT_BIND_SAN_OR_CN;
	srv = server(&s, key1, "k1");
	sess = full(srv, versions[_i], "alice@example.test");
	ck_assert_int_eq(run(srv, versions[_i], "alice@example.test", sess, &c, NULL), HS_DONE);
	ck_assert(tls_conn_resumed(c));
	talloc_free(c);
	/* another identity (also valid for the certificate): a full handshake decides */
	ck_assert_int_eq(run(srv, versions[_i], "alice.example.test", sess, &c, NULL), HS_DONE);
	ck_assert(!tls_conn_resumed(c));
	ck_assert_ptr_nonnull(strstr(tls_conn_resume_refused(c), "EAP identity differs"));
	talloc_free(c);
	SSL_SESSION_free(sess);
	talloc_free(srv);
}
END_TEST

/*
 * A ticket resumes only under the trust and rules of its full handshake: a server sharing
 * the key file but trusting another CA, or with a stricter issuer rule, makes it a full
 * handshake (which then applies its own trust and rules).
 */
START_TEST(test_trust_and_rules_changed)
{
	struct tls_settings s;
	struct tls_server *a, *other_ca, *strict, *same;
	struct tls_conn *c;
	SSL_SESSION *sess;

	pki_settings(scratch, &s, "rsa");
	a = server(&s, key1, "k1");
	same = server(&s, key1, "k1same");
	s.ca_file = pki_path(scratch, "rsa", "unknown-ca.pem");
	other_ca = server(&s, key1, "k1ca");
	pki_settings(scratch, &s, "rsa");
	s.check_cert_issuer = "CN=latchd lab intermediate rsa,O=latchd lab";
	strict = server(&s, key1, "k1strict");
	sess = full(a, versions[_i], "alice@example.test");
	/* the same configuration on another server: resumes */
	ck_assert_int_eq(run(same, versions[_i], "alice@example.test", sess, &c, NULL), HS_DONE);
	ck_assert(tls_conn_resumed(c));
	talloc_free(c);
	/* the root that verified alice is not trusted there: no resumption, and the full
	 * handshake fails on the unknown CA */
	ck_assert_int_ne(run(other_ca, versions[_i], "alice@example.test", sess, &c, NULL),
			 HS_DONE);
	ck_assert(!tls_conn_resumed(c));
	ck_assert_msg(strstr(tls_conn_resume_refused(c), "no longer in ca_file") != NULL, "%s",
		      tls_conn_resume_refused(c));
	talloc_free(c);
	/* an issuer rule added (alice still passes it): a full handshake, not a resumption */
	ck_assert_int_eq(run(strict, versions[_i], "alice@example.test", sess, &c, NULL), HS_DONE);
	ck_assert(!tls_conn_resumed(c));
	ck_assert_msg(strstr(tls_conn_resume_refused(c), "certificate rules") != NULL, "%s",
		      tls_conn_resume_refused(c));
	talloc_free(c);
	SSL_SESSION_free(sess);
	talloc_free(a);
	talloc_free(same);
	talloc_free(other_ca);
	talloc_free(strict);
}
END_TEST

/* RFC 9190 2.1.2/2.5: the NewSessionTicket comes out at DONE, so the commitment message the
 * method writes next follows it; both fit one 1400-octet EAP fragment with the RSA lab
 * certificate in the ticket. */
START_TEST(test_commitment_after_ticket)
{
	struct tls_settings s;
	struct tls_server *srv;
	struct tls_conn *c;
	SSL_CTX *cctx = client_ctx_new(scratch, "rsa", "good", TLS1_3_VERSION);
	SSL *cli = client_new(cctx);
	uint8_t const zero = 0;
	uint8_t b[8];
	size_t nst, flight;

	SSL_CTX_free(cctx);
	pki_settings(scratch, &s, "rsa");
	srv = server(&s, key1, "k1");
	c = tls_conn_new(ctx, srv);
	ck_assert_int_eq(handshake(cli, c, NULL), HS_DONE);
	nst = (size_t)BIO_ctrl_pending(SSL_get_rbio(cli)); /* sent at DONE, not read yet */
	ck_assert_int_eq(tls_conn_write_app(c, &zero, 1), 0);
	pump_to_client(c, cli);
	flight = (size_t)BIO_ctrl_pending(SSL_get_rbio(cli));
	fprintf(stderr, "tls_resume: TLS 1.3 final flight %zu octets (ticket %zu)\n", flight, nst);
	ck_assert_uint_gt(nst, 0);
	ck_assert_uint_lt(flight, 1400 - 10); /* EAP-TLS header with the length field */
	ck_assert(!SSL_SESSION_has_ticket(SSL_get0_session(cli)));
	ck_assert_int_eq(SSL_read(cli, b, sizeof(b)), 1); /* the ticket is read on the way */
	ck_assert_uint_eq(b[0], 0);
	ck_assert(SSL_SESSION_has_ticket(SSL_get0_session(cli)));
	SSL_free(cli);
	talloc_free(c);
	talloc_free(srv);
}
END_TEST

static void bad_server(struct tls_settings *s, char const *key, char const *want)
{
	if (key)
		s->ticket_key_file = write_file("kbad", key);
	err_clear();
	ck_assert_ptr_null(tls_server_new(ctx, s));
	ck_assert_msg(strstr(err_msg(), want) != NULL, "'%s' lacks '%s'", err_msg(), want);
}

START_TEST(test_settings_errors)
{
	struct tls_settings s;
	struct tls_server *srv;

	pki_settings(scratch, &s, "rsa");
	bad_server(&s, "0011", "64 to 128 hex digits");
	bad_server(&s, "zz112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n",
		   "64 to 128 hex digits");
	bad_server(&s, "# nothing\n\n", "holds no secret");
	s.ticket_key_file = pki_path(scratch, "rsa", "missing.key");
	bad_server(&s, NULL, "cannot open ticket_key_file");
	s.ticket_key_file = NULL;
	s.ticket_lifetime = 90000;
	bad_server(&s, NULL, "above ticket_key_rotation");
	s.ticket_lifetime = 0;
	bad_server(&s, NULL, "ticket_lifetime 0 is out of range");
	s.ticket_lifetime = 60;
	s.ticket_key_rotation = 59;
	bad_server(&s, NULL, "ticket_key_rotation 59 is out of range");
	/* a key file others can read works, with a warning */
	s.ticket_key_rotation = 86400;
	s.ticket_key_file = write_file("kopen", key2);
	chmod(s.ticket_key_file, 0644);
	srv = tls_server_new(ctx, &s);
	ck_assert_ptr_nonnull(srv);
	ck_assert_ptr_nonnull(strstr(tls_server_warning(srv), "chmod 600"));
	talloc_free(srv);
}
END_TEST

/* The ticket's application data: round trip, then every truncation and bit flip of it. */
/* Offset of the first text of format 3 application data (tls_resume.c) in buf. */
static size_t texts_at(uint8_t const *buf, size_t n)
{
	size_t p = 5 + 16;

	for (unsigned i = 0; i < 2u * buf[4]; i++) {
		ck_assert_uint_le(p + 2, n);
		p += 2 + (size_t)(buf[p] << 8 | buf[p + 1]);
	}
	return p;
}

/* Offset after k u16-length texts starting at p. */
static size_t skip_texts(uint8_t const *buf, size_t n, size_t p, int k)
{
	for (int i = 0; i < k; i++) {
		ck_assert_uint_le(p + 2, n);
		p += 2 + (size_t)(buf[p] << 8 | buf[p + 1]);
	}
	ck_assert_uint_le(p, n);
	return p;
}

START_TEST(test_appdata_hostile)
{
	struct tls_settings s;
	struct tls_server *srv;
	struct tls_conn *c;
	struct tls_resume *r = talloc_zero(ctx, struct tls_resume);
	uint8_t buf[8192], copy[8192];
	ssize_t n;
	SSL_SESSION *sess = NULL;

	pki_settings(scratch, &s, "rsa");
	s.check_crl = CERT_CRL_CHAIN;
	s.crl_file = pki_path(scratch, "rsa", "crl-bundle.pem");
	srv = server(&s, key1, "k1");
	ck_assert_int_eq(run(srv, versions[_i], "alice@example.test", NULL, &c, &sess), HS_DONE);
	n = tls_resume_encode(c, buf, sizeof(buf));
	ck_assert_int_gt(n, 0);
	ck_assert_int_eq(tls_resume_encode(c, buf, 10), -1);
	ck_assert_int_eq(tls_resume_decode(r, buf, (size_t)n), 0);
	ck_assert_uint_eq(r->n_certs, 2); /* leaf + intermediate with check_crl = chain */
	ck_assert_str_eq(r->identity, "alice@example.test");
	for (ssize_t len = 0; len < n; len++)
		ck_assert_int_eq(tls_resume_decode(r, buf, (size_t)len), -1);
	for (ssize_t i = 0; i < n; i++) {
		memcpy(copy, buf, (size_t)n);
		copy[i] ^= 0x80;
		(void)tls_resume_decode(r, copy, (size_t)n); /* must not crash or overrun */
	}
	ck_assert(r->has_peer);
	ck_assert_str_eq(r->peer.cn, "alice@example.test");
	/* format 2 (the certificate in the session, 3 texts) and format 1 (before TTLS/PEAP
	 * tickets: no method octet, 2 texts) still read, without the names */
	ck_assert(r->has_trust);
	ck_assert_uint_gt(r->anchor_name_len, 0);
	ck_assert_uint_eq(buf[0], 4);
	ck_assert_uint_eq(buf[1], 13);
	{
		size_t t = texts_at(buf, (size_t)n), t2 = skip_texts(buf, (size_t)n, t, 3);
		size_t t3 = skip_texts(buf, (size_t)n, t, 10);

		/* format 3: format 4 without the anchor and rules digest, read without them */
		memcpy(copy, buf, t3);
		copy[0] = 3;
		ck_assert_int_eq(tls_resume_decode(r, copy, t3), 0);
		ck_assert(r->has_peer);
		ck_assert(!r->has_trust);
		ck_assert_str_eq(r->peer.cn, "alice@example.test");
		ck_assert_int_eq(tls_resume_decode(r, buf, t3), -1); /* format 4 needs them */

		ck_assert_uint_gt(t2, t);
		memcpy(copy, buf, t2);
		copy[0] = 2;
		ck_assert_int_eq(tls_resume_decode(r, copy, t2), 0);
		ck_assert(!r->has_peer);
		ck_assert_str_eq(r->peer.cn, "");
		ck_assert_str_eq(r->identity, "alice@example.test");
		ck_assert_uint_eq(buf[t2 - 2], 0); /* empty inner identity */
		ck_assert_uint_eq(buf[t2 - 1], 0);
		copy[0] = 1;
		memcpy(copy + 1, buf + 2, t2 - 4);
		ck_assert_int_eq(tls_resume_decode(r, copy, t2 - 3), 0);
		ck_assert_uint_eq(r->method, 13);
		ck_assert(!r->has_peer);
		ck_assert_str_eq(r->identity, "alice@example.test");
		copy[0] = 5; /* a format from the future */
		ck_assert_int_eq(tls_resume_decode(r, copy, t2 - 3), -1);
	}
	buf[2] = CERT_REVOKED; /* a stored verdict that was not ok */
	ck_assert_int_eq(tls_resume_decode(r, buf, (size_t)n), -1);
	ck_assert_int_eq(tls_resume_decode(r, NULL, 0), -1);
	talloc_free(c);
	talloc_free(r);
	SSL_SESSION_free(sess);
	talloc_free(srv);
}
END_TEST

/* tls_ticket_strip_peer on hand-made DER: SEQUENCE { INTEGER 1, [3] { ... }, [4] { 07 } }. */
START_TEST(test_strip_peer)
{
	static uint8_t const in[] = {0x30, 0x0d, 0x02, 0x01, 0x01, 0xa3, 0x03, 0x04, 0x01, 0xaa,
				     0xa4, 0x03, 0x04, 0x01, 0x07};
	static uint8_t const want[] = {0x30, 0x08, 0x02, 0x01, 0x01, 0xa4, 0x03, 0x04, 0x01, 0x07};
	uint8_t big[300], out[300], bad[sizeof(in)];
	size_t n;

	n = tls_ticket_strip_peer(in, sizeof(in), out, sizeof(out));
	ck_assert_uint_eq(n, sizeof(want));
	ck_assert_mem_eq(out, want, sizeof(want));
	ck_assert_uint_eq(tls_ticket_strip_peer(in, sizeof(in), out, sizeof(in) - 1), 0);
	ck_assert_uint_eq(tls_ticket_strip_peer(want, sizeof(want), out, sizeof(out)), 0);
	for (size_t len = 0; len < sizeof(in); len++) /* truncated */
		ck_assert_uint_eq(tls_ticket_strip_peer(in, len, out, sizeof(out)), 0);
	for (size_t i = 0; i < sizeof(in); i++) /* any corruption: 0, or a smaller copy */
		for (unsigned bit = 0; bit < 8; bit++) {
			memcpy(bad, in, sizeof(in));
			bad[i] ^= (uint8_t)(1u << bit);
			ck_assert_uint_lt(tls_ticket_strip_peer(bad, sizeof(bad), out, sizeof(out)),
					  sizeof(in));
		}
	memcpy(bad, in, sizeof(in)); /* two peer elements */
	bad[10] = 0xa3;
	ck_assert_uint_eq(tls_ticket_strip_peer(bad, sizeof(bad), out, sizeof(out)), 0);
	/* long-form lengths: a 200-octet peer element, the outer length shrinks to short form */
	memset(big, 0, sizeof(big));
	big[0] = 0x30, big[1] = 0x81, big[2] = 3 + 3 + 200 + 5;
	big[3] = 0x02, big[4] = 0x01, big[5] = 0x01;
	big[6] = 0xa3, big[7] = 0x81, big[8] = 200;
	memcpy(big + 209, (uint8_t[]){0xa4, 0x03, 0x04, 0x01, 0x07}, 5);
	n = tls_ticket_strip_peer(big, 214, out, sizeof(out));
	ck_assert_uint_eq(n, sizeof(want));
	ck_assert_mem_eq(out, want, sizeof(want));
}
END_TEST

static Suite *tls_resume_suite(void)
{
	Suite *s = suite_create("tls_resume");
	TCase *tc = tcase_create("resume");

	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_resume_same_server, 0, 2);
	tcase_add_loop_test(tc, test_two_servers, 0, 2);
	tcase_add_loop_test(tc, test_random_key, 0, 2);
	tcase_add_loop_test(tc, test_lifetime, 0, 2);
	tcase_add_loop_test(tc, test_resumption_off, 0, 2);
	tcase_add_loop_test(tc, test_revoked_since, 0, 2);
	tcase_add_loop_test(tc, test_crl_unchecked, 0, 2);
	tcase_add_test(tc, test_unused_ticket_forgotten);
	tcase_add_loop_test(tc, test_crl_gone, 0, 2);
	tcase_add_loop_test(tc, test_rotation, 0, 2);
	tcase_add_loop_test(tc, test_identity_binding, 0, 2);
	tcase_add_loop_test(tc, test_trust_and_rules_changed, 0, 2);
	tcase_add_test(tc, test_commitment_after_ticket);
	tcase_add_test(tc, test_settings_errors);
	tcase_add_loop_test(tc, test_appdata_hostile, 0, 2);
	tcase_add_test(tc, test_strip_peer);
	suite_add_tcase(s, tc);
	return s;
}

/* Extra CRLs of the RSA intermediate: one that also revokes "good", one expired in 2020. */
static void extra_files(void)
{
	char cmd[2048];
	char const *d = pki_dir();

	snprintf(cmd, sizeof(cmd),
		 "export OPENSSL_CONF=/dev/null; C='%s/rsa/db/openssl.cnf'; "
		 "openssl ca -batch -config \"$C\" -name int_ca -gencrl "
		 "-crl_lastupdate 20200101000000Z -crl_nextupdate 20200201000000Z "
		 "-out '%s/rsa/expired-crl.pem' 2>/dev/null && "
		 "openssl ca -batch -config \"$C\" -name int_ca -revoke '%s/rsa/good.pem' "
		 "2>/dev/null && "
		 "openssl ca -batch -config \"$C\" -name int_ca -gencrl "
		 "-out '%s/rsa/crl-good-revoked.pem' 2>/dev/null",
		 d, d, d, d);
	if (system(cmd) != 0) {
		fprintf(stderr, "cannot make the extra CRLs\n");
		pki_remove();
		exit(99);
	}
}

int main(void)
{
	return pki_run_suite(tls_resume_suite(), "rsa", extra_files);
}
