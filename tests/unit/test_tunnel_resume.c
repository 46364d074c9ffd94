/*
 * Unit tests for session resumption of the tunnelled methods (EAP-TTLS, PEAP): tickets of a
 * connection that asks for no client certificate (src/tls/tls_conn.c tls_conn_tunnel_tickets,
 * tls_conn_send_ticket, tls_conn_resume_inner; tls_resume.c format version 2), and the
 * method-side check before the inner method is skipped (methods/tls_engine.c
 * tls_engine_resume_inner). TLS 1.3: the ticket is sent after the inner success and carries
 * the inner identity; TLS 1.2: issued in the handshake, without one. A ticket of one EAP
 * method never resumes another; a user deleted or rejected since cannot skip the inner method.
 */
#include "methods/tls_engine.h"
#include "pki_suite.h"
#include "tls/tls_int.h"
#include "util/err.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <openssl/err.h>

#define TTLS 21
#define PEAP 25

static TALLOC_CTX *ctx;	    /* servers and connections: must be empty at teardown */
static TALLOC_CTX *scratch; /* file names and settings strings */
static int const versions[] = {TLS1_2_VERSION, TLS1_3_VERSION};

/* The users "file" of the inner lookup: bob (password), mallory (Auth-Type := Reject). */
static bool bob_deleted;

static int fake_lookup(void const *lctx, char const *user, size_t len, struct inner_creds *out)
{
	(void)lctx;
	memset(out, 0, sizeof(*out));
	if (len == 3 && memcmp(user, "bob", 3) == 0 && !bob_deleted) {
		out->cleartext = "hello";
		out->cleartext_len = 5;
		return 0;
	}
	if (len == 7 && memcmp(user, "mallory", 7) == 0) {
		out->reject = true;
		return 0;
	}
	return -1;
}

static struct inner_lookup const lookup = {.lookup = fake_lookup};

static void setup(void)
{
	ctx = talloc_new(NULL);
	scratch = talloc_new(NULL);
	ck_assert_ptr_nonnull(ctx);
	ck_assert_ptr_nonnull(scratch);
	bob_deleted = false;
}

static void teardown(void)
{
	ck_assert_uint_eq(talloc_total_blocks(ctx), 1);
	talloc_free(ctx);
	talloc_free(scratch);
}

static struct tls_server *server(bool skip_inner)
{
	struct tls_settings s;
	char *key = talloc_asprintf(scratch, "%s/tunnel.key", pki_dir());
	FILE *f = fopen(key, "w");
	struct tls_server *srv;

	ck_assert_ptr_nonnull(f);
	fputs("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n", f);
	fclose(f);
	chmod(key, 0600);
	pki_settings(scratch, &s, "rsa");
	s.ticket_key_file = key;
	s.resume_skip_inner = skip_inner;
	srv = tls_server_new(ctx, &s);
	ck_assert_msg(srv != NULL, "tls_server_new: %s", err_msg());
	return srv;
}

/*
 * One handshake of a client without a certificate (or with one: cert) against a connection
 * of EAP Type type (13: EAP-TLS; else a tunnel). After it, with TLS 1.3, the server sends a
 * ticket holding inner if inner is not NULL. The client's session ends in *sess_out.
 */
static struct tls_conn *run(struct tls_server *srv, int v, uint8_t type, bool inner_required,
			    char const *cert, SSL_SESSION *sess, char const *inner,
			    SSL_SESSION **sess_out)
{
	SSL_CTX *cctx = client_ctx_new(scratch, "rsa", cert, v);
	SSL *cli = client_new(cctx);
	struct tls_conn *c = tls_conn_new(ctx, srv);
	uint8_t b[16];

	SSL_CTX_free(cctx);
	ck_assert_ptr_nonnull(c);
	if (sess)
		ck_assert_int_eq(SSL_set_session(cli, sess), 1);
	if (type != 13) {
		tls_conn_no_client_cert(c);
		tls_conn_tunnel_tickets(c, type, inner_required);
	}
	ck_assert_int_eq(handshake(cli, c, NULL), HS_DONE);
	if (inner)
		ck_assert_int_ge(tls_conn_send_ticket(c, inner, strlen(inner)), 0);
	pump_to_client(c, cli);
	ck_assert_int_le(SSL_read(cli, b, sizeof(b)), 0); /* takes a ticket */
	ERR_clear_error();
	ck_assert_int_eq(SSL_session_reused(cli), tls_conn_resumed(c) ? 1 : 0);
	if (sess_out)
		*sess_out = SSL_get1_session(cli);
	SSL_set_shutdown(cli, SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
	SSL_free(cli);
	return c;
}

/* A method's engine over connection c, for tls_engine_resume_inner. */
static bool resume_inner(struct tls_conn *c, char *buf, size_t cap)
{
	struct tls_method_conf conf = {.inner = &lookup};
	struct tls_engine e;

	memset(&e, 0, sizeof(e));
	e.conf = &conf;
	e.tls = c;
	return tls_engine_resume_inner(&e, buf, cap);
}

/* PEAP: full handshake, then resumed; the inner identity only with TLS 1.3 and skip on. */
START_TEST(test_peap_resume)
{
	struct tls_server *srv = server(true);
	SSL_SESSION *sess = NULL;
	struct tls_conn *c;
	char name[64];
	int v = versions[_i];

	c = run(srv, v, PEAP, false, NULL, NULL, "bob", &sess);
	ck_assert(!tls_conn_resumed(c));
	ck_assert_ptr_null(tls_conn_resume_inner(c));
	/* a second ticket after the first one's inner success: nothing for TLS 1.2 */
	ck_assert_int_eq(tls_conn_send_ticket(c, "bob", 3), v == TLS1_3_VERSION ? 1 : 0);
	talloc_free(c);
	ck_assert(SSL_SESSION_is_resumable(sess));
	c = run(srv, v, PEAP, false, NULL, sess, NULL, NULL);
	ck_assert(tls_conn_resumed(c));
	ck_assert_str_eq(tls_conn_resume_refused(c), "");
	if (v == TLS1_3_VERSION) {
		ck_assert_str_eq(tls_conn_resume_inner(c), "bob");
		ck_assert(resume_inner(c, name, sizeof(name)));
		ck_assert_str_eq(name, "bob");
	} else {
		/* TLS 1.2: the ticket was issued before the inner method: run it again */
		ck_assert_ptr_null(tls_conn_resume_inner(c));
		ck_assert(!resume_inner(c, name, sizeof(name)));
		ck_assert_str_eq(name, "");
	}
	talloc_free(c);
	SSL_SESSION_free(sess);
	talloc_free(srv);
}
END_TEST

/*
 * A PEAP ticket holding an inner identity, offered with a suite its PSK does not fit (the
 * client's only suite hashes with SHA-256, the ticket's session with SHA-384): OpenSSL makes
 * it a full handshake, so the inner method must run; nothing of the ticket may skip it.
 */
START_TEST(test_unused_ticket_no_skip)
{
	struct tls_server *srv = server(true);
	SSL_SESSION *sess = NULL;
	struct tls_conn *c;
	SSL_CTX *cctx;
	SSL *cli;
	char name[64];

	c = run(srv, TLS1_3_VERSION, PEAP, false, NULL, NULL, "bob", &sess);
	talloc_free(c);
	ck_assert(SSL_SESSION_is_resumable(sess));
	cctx = client_ctx_new(scratch, "rsa", NULL, TLS1_3_VERSION);
	ck_assert_int_eq(SSL_CTX_set_ciphersuites(cctx, "TLS_AES_128_GCM_SHA256"), 1);
	cli = client_new(cctx);
	ck_assert_int_eq(SSL_set_session(cli, sess), 1);
	c = tls_conn_new(ctx, srv);
	ck_assert_ptr_nonnull(c);
	tls_conn_no_client_cert(c);
	tls_conn_tunnel_tickets(c, PEAP, false);
	ck_assert_int_eq(handshake(cli, c, NULL), HS_DONE);
	ck_assert(!tls_conn_resumed(c));
	ck_assert_ptr_null(tls_conn_resume_inner(c));
	ck_assert(!resume_inner(c, name, sizeof(name)));
	SSL_set_shutdown(cli, SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
	SSL_free(cli);
	SSL_CTX_free(cctx);
	talloc_free(c);
	SSL_SESSION_free(sess);
	talloc_free(srv);
}
END_TEST

/* resume_skip_inner = no: PEAP still resumes, but the inner method runs again. */
START_TEST(test_peap_no_skip)
{
	struct tls_server *srv = server(false);
	SSL_SESSION *sess = NULL;
	struct tls_conn *c;
	char name[64];

	c = run(srv, versions[_i], PEAP, false, NULL, NULL, "bob", &sess);
	talloc_free(c);
	c = run(srv, versions[_i], PEAP, false, NULL, sess, NULL, NULL);
	ck_assert(tls_conn_resumed(c));
	ck_assert_ptr_null(tls_conn_resume_inner(c));
	ck_assert(!resume_inner(c, name, sizeof(name)));
	talloc_free(c);
	SSL_SESSION_free(sess);
	talloc_free(srv);
}
END_TEST

/* TTLS (inner_required): only a TLS 1.3 ticket with the inner identity, and skip on. */
START_TEST(test_ttls_inner_required)
{
	struct tls_server *srv = server(true), *noskip = server(false);
	SSL_SESSION *sess = NULL;
	struct tls_conn *c;
	int v = versions[_i];

	c = run(srv, v, TTLS, true, NULL, NULL, "bob", &sess);
	talloc_free(c);
	c = run(srv, v, TTLS, true, NULL, sess, NULL, NULL);
	ck_assert(tls_conn_resumed(c) == (v == TLS1_3_VERSION));
	if (v == TLS1_3_VERSION)
		ck_assert_str_eq(tls_conn_resume_inner(c), "bob");
	else
		ck_assert_ptr_nonnull(strstr(tls_conn_resume_refused(c), "no inner identity"));
	talloc_free(c);
	SSL_SESSION_free(sess);
	/* TLS 1.3 without an inner success: no ticket at all */
	sess = NULL;
	c = run(srv, v, TTLS, true, NULL, NULL, NULL, &sess);
	talloc_free(c);
	ck_assert(v == TLS1_2_VERSION || !SSL_SESSION_is_resumable(sess));
	SSL_SESSION_free(sess);
	/* resume_skip_inner = no: TTLS gets no tickets */
	sess = NULL;
	c = run(noskip, v, TTLS, true, NULL, NULL, "bob", &sess);
	ck_assert_int_eq(tls_conn_send_ticket(c, "bob", 3), 0);
	talloc_free(c);
	ck_assert(!SSL_SESSION_is_resumable(sess));
	SSL_SESSION_free(sess);
	talloc_free(srv);
	talloc_free(noskip);
}
END_TEST

/* A ticket only resumes the EAP method it was issued for. */
START_TEST(test_method_mismatch)
{
	struct tls_server *srv = server(true);
	SSL_SESSION *tls = NULL, *peap = NULL;
	struct tls_conn *c;
	int v = versions[_i];

	c = run(srv, v, 13, false, "good", NULL, NULL, &tls);
	talloc_free(c);
	c = run(srv, v, PEAP, false, "good", NULL, "bob", &peap);
	talloc_free(c);
	/* EAP-TLS ticket in PEAP and in TTLS: full handshakes */
	c = run(srv, v, PEAP, false, "good", tls, NULL, NULL);
	ck_assert(!tls_conn_resumed(c));
	ck_assert_ptr_nonnull(strstr(tls_conn_resume_refused(c),
				     "method 13 offered to EAP method 25"));
	talloc_free(c);
	c = run(srv, v, TTLS, true, "good", tls, NULL, NULL);
	ck_assert(!tls_conn_resumed(c));
	talloc_free(c);
	/* PEAP ticket in TTLS and in EAP-TLS: full handshakes */
	c = run(srv, v, TTLS, true, "good", peap, NULL, NULL);
	ck_assert(!tls_conn_resumed(c));
	ck_assert_ptr_nonnull(strstr(tls_conn_resume_refused(c),
				     "method 25 offered to EAP method 21"));
	talloc_free(c);
	c = run(srv, v, 13, false, "good", peap, NULL, NULL);
	ck_assert(!tls_conn_resumed(c));
	ck_assert_int_eq(tls_conn_verdict(c)->reason, CERT_OK); /* full, certificate checked */
	talloc_free(c);
	/* and each still resumes its own */
	c = run(srv, v, 13, false, "good", tls, NULL, NULL);
	ck_assert(tls_conn_resumed(c));
	talloc_free(c);
	c = run(srv, v, PEAP, false, "good", peap, NULL, NULL);
	ck_assert(tls_conn_resumed(c));
	talloc_free(c);
	SSL_SESSION_free(tls);
	SSL_SESSION_free(peap);
	talloc_free(srv);
}
END_TEST

/* The ticket's inner user deleted, or rejected, since: the inner method must run. */
START_TEST(test_user_gone)
{
	struct tls_server *srv = server(true);
	SSL_SESSION *bob = NULL, *mallory = NULL;
	struct tls_conn *c;
	char name[64];

	c = run(srv, TLS1_3_VERSION, PEAP, false, NULL, NULL, "bob", &bob);
	talloc_free(c);
	c = run(srv, TLS1_3_VERSION, PEAP, false, NULL, NULL, "mallory", &mallory);
	talloc_free(c);
	c = run(srv, TLS1_3_VERSION, PEAP, false, NULL, bob, NULL, NULL);
	ck_assert(resume_inner(c, name, sizeof(name)));
	talloc_free(c);
	bob_deleted = true;
	c = run(srv, TLS1_3_VERSION, PEAP, false, NULL, bob, NULL, NULL);
	ck_assert(tls_conn_resumed(c));
	ck_assert(!resume_inner(c, name, sizeof(name)));
	ck_assert_str_eq(name, "");
	talloc_free(c);
	c = run(srv, TLS1_3_VERSION, PEAP, false, NULL, mallory, NULL, NULL);
	ck_assert_str_eq(tls_conn_resume_inner(c), "mallory");
	ck_assert(!resume_inner(c, name, sizeof(name))); /* Auth-Type := Reject */
	talloc_free(c);
	SSL_SESSION_free(bob);
	SSL_SESSION_free(mallory);
	talloc_free(srv);
}
END_TEST

/* Ticket application data of a tunnel: round trip, and what decoding refuses. */
START_TEST(test_appdata)
{
	struct tls_server *srv = server(true);
	struct tls_conn *c = run(srv, TLS1_3_VERSION, TTLS, true, NULL, NULL, NULL, NULL);
	struct tls_resume *r = talloc_zero(ctx, struct tls_resume);
	uint8_t buf[2048];
	ssize_t n;

	ck_assert_int_eq(tls_conn_send_ticket(c, "bob", 3), 1);
	ck_assert_int_eq(tls_conn_send_ticket(c, "b\0b", 3), -1); /* NUL: never in a ticket */
	ck_assert_int_eq(tls_conn_send_ticket(c, "carol@example.test", 18), 1);
	n = tls_resume_encode(c, buf, sizeof(buf));
	ck_assert_int_gt(n, 0);
	ck_assert_int_eq(tls_resume_decode(r, buf, (size_t)n), 0);
	ck_assert_uint_eq(r->method, TTLS);
	ck_assert_uint_eq(r->n_certs, 0);
	ck_assert_str_eq(r->inner, "carol@example.test");
	/* every truncation is refused */
	for (ssize_t i = 0; i < n; i++)
		ck_assert_int_eq(tls_resume_decode(r, buf, (size_t)i), -1);
	/* an EAP-TLS ticket without a certificate is refused */
	buf[1] = 13;
	ck_assert_int_eq(tls_resume_decode(r, buf, (size_t)n), -1);
	/* a control octet in the inner identity (the third text, after no certificates) */
	buf[1] = TTLS;
	{
		size_t p = 5 + 16;

		for (int i = 0; i < 2; i++)
			p += 2 + (size_t)(buf[p] << 8 | buf[p + 1]);
		ck_assert_uint_eq((size_t)(buf[p] << 8 | buf[p + 1]), 18);
		buf[p + 2] = 0x01;
	}
	ck_assert_int_eq(tls_resume_decode(r, buf, (size_t)n), -1);
	ck_assert_int_eq(tls_resume_encode(c, buf, 8), -1);
	/* an inner identity with a control octet decides authorization on resumption: no
	 * authorization goes into the ticket (it never resumes) rather than an altered name */
	ck_assert_int_ge(tls_conn_send_ticket(c, "tab\there", 8), 0);
	ck_assert_int_eq(tls_resume_encode(c, buf, sizeof(buf)), 0);
	talloc_free(r);
	talloc_free(c);
	talloc_free(srv);
}
END_TEST

static Suite *tunnel_resume_suite(void)
{
	Suite *s = suite_create("tunnel_resume");
	TCase *tc = tcase_create("resume");

	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_peap_resume, 0, 2);
	tcase_add_loop_test(tc, test_peap_no_skip, 0, 2);
	tcase_add_loop_test(tc, test_ttls_inner_required, 0, 2);
	tcase_add_loop_test(tc, test_method_mismatch, 0, 2);
	tcase_add_test(tc, test_user_gone);
	tcase_add_test(tc, test_unused_ticket_no_skip);
	tcase_add_test(tc, test_appdata);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return pki_run_suite(tunnel_resume_suite(), "rsa", NULL);
}
