/*
 * PEAPv0 (src/methods/peap.c) driven by an in-memory peer: an OpenSSL client whose records
 * are wrapped into PEAP Type-Data by hand, and an MS-CHAPv2 peer built from methods/mschap.h.
 * Covers the inner framing (compressed packets, the full-header Identity request and Result
 * TLV), success with keys equal to the client's, inner failure, Naks and bad inner packets,
 * with TLS 1.2 and 1.3; and the Result TLV codec alone.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <talloc.h>
#include <openssl/ssl.h>

#include "eap/eap.h"
#include "methods/eap_mschapv2.h"
#include "methods/mschap.h"
#include "methods/peap.h"
#include "test_tls_harness.h"

static TALLOC_CTX *ctx;
static TALLOC_CTX *root;
static struct tls_server *srv;
static SSL_CTX *cctx12, *cctx13;

static int fake_lookup(void const *lctx, char const *user, size_t len, struct inner_creds *out)
{
	(void)lctx;
	memset(out, 0, sizeof(*out));
	if (len != 4 || memcmp(user, "User", 4) != 0) return -1;
	out->cleartext = "clientPass";
	out->cleartext_len = 10;
	return 0;
}

static struct inner_lookup const lookup = {.lookup = fake_lookup};
static struct tls_method_conf tconf;

struct peer {
	SSL *cli;
	void *st;
	uint8_t inner[2048];	/* the last inner packet the client decrypted */
	size_t inner_len;
	uint8_t auth_challenge[16];
	uint8_t ms_id;
};

static uint8_t const peer_challenge[16] = "0123456789abcdef";

/* Hand Type-Data to the server; follow its fragments with ACKs, feeding the client. */
static enum eap_method_status send_td(struct peer *p, uint8_t const *td, size_t len,
				      struct eap_method_result *res)
{
	uint8_t const ack = 0x00;

	memset(res, 0, sizeof(*res));
	ck_assert_int_eq(peap_method.process(p->st, td, len, res), 0);
	while (res->status == EAP_METHOD_CONTINUE) {
		uint8_t flags = res->req_data[0];
		size_t off = 1 + ((flags & 0x80) ? 4 : 0);

		ck_assert_uint_eq(flags & 0x07, 0); /* version 0 */
		ck_assert_uint_ge(res->req_len, off);
		BIO_write(SSL_get_rbio(p->cli), res->req_data + off, (int)(res->req_len - off));
		if (!(flags & 0x40)) break;
		memset(res, 0, sizeof(*res));
		ck_assert_int_eq(peap_method.process(p->st, &ack, 1, res), 0);
	}
	return res->status;
}

/* Send what the client wrote as one unfragmented PEAP Response. */
static enum eap_method_status exchange(struct peer *p, struct eap_method_result *res)
{
	BIO *w = SSL_get_wbio(p->cli);
	size_t n = BIO_ctrl_pending(w);
	uint8_t *td = talloc_array(ctx, uint8_t, n + 1);
	enum eap_method_status s;

	ck_assert_uint_gt(n, 0);
	td[0] = 0x00;
	ck_assert_int_eq(BIO_read(w, td + 1, (int)n), (int)n);
	s = send_td(p, td, n + 1, res);
	talloc_free(td);
	return s;
}

/* Start PEAP and run the handshake until the client reads the inner Identity request. */
static void peer_start(struct peer *p, SSL_CTX *cctx)
{
	struct eap_method_peer mp = {.identity = "anonymous", .max_eap_size = 1020};
	struct eap_method_result res = {0};
	int i, n;

	memset(p, 0, sizeof(*p));
	ck_assert_int_eq(peap_method.init(ctx, &tconf, &mp, &p->st, &res), 0);
	ck_assert_uint_eq(res.req_len, 1);
	ck_assert_uint_eq(res.req_data[0], 0x20); /* Start, version 0 */
	p->cli = client_new(cctx);
	for (i = 0; i < 10; i++) {
		(void)SSL_do_handshake(p->cli);
		ck_assert_int_eq(exchange(p, &res), EAP_METHOD_CONTINUE);
		n = SSL_read(p->cli, p->inner, sizeof(p->inner));
		if (n > 0) {
			p->inner_len = (size_t)n;
			/* Identity request with its full header: 01 id 00 05 01 */
			ck_assert_uint_eq(p->inner_len, 5);
			ck_assert_uint_eq(p->inner[0], EAP_CODE_REQUEST);
			ck_assert_uint_eq(p->inner[3], 5);
			ck_assert_uint_eq(p->inner[4], EAP_TYPE_IDENTITY);
			return;
		}
	}
	ck_abort_msg("the inner Identity request never came");
}

/* One inner packet into the tunnel; the server's answer lands in p->inner. */
static enum eap_method_status inner_send(struct peer *p, uint8_t const *pkt, size_t len,
					 struct eap_method_result *res)
{
	enum eap_method_status s;
	int n;

	ck_assert_int_eq(SSL_write(p->cli, pkt, (int)len), (int)len);
	s = exchange(p, res);
	p->inner_len = 0;
	if (s == EAP_METHOD_CONTINUE) {
		n = SSL_read(p->cli, p->inner, sizeof(p->inner));
		ck_assert_int_gt(n, 0);
		p->inner_len = (size_t)n;
	}
	return s;
}

static void peer_free(struct peer *p)
{
	SSL_free(p->cli);
	talloc_free(p->st);
}

/* Identity "User" (compressed) -> the compressed MS-CHAPv2 Challenge. */
static void send_identity(struct peer *p, bool full_header)
{
	uint8_t const compressed[] = {EAP_TYPE_IDENTITY, 'U', 's', 'e', 'r'};
	uint8_t const full[] = {EAP_CODE_RESPONSE, 0, 0, 9, EAP_TYPE_IDENTITY, 'U', 's', 'e', 'r'};
	struct eap_method_result res;

	if (full_header)
		ck_assert_int_eq(inner_send(p, full, sizeof(full), &res), EAP_METHOD_CONTINUE);
	else
		ck_assert_int_eq(inner_send(p, compressed, sizeof(compressed), &res),
				 EAP_METHOD_CONTINUE);
	ck_assert_uint_eq(p->inner_len, 1 + 4 + 1 + 16 + 6);
	ck_assert_uint_eq(p->inner[0], EAP_TYPE_MSCHAPV2);
	ck_assert_uint_eq(p->inner[1], MSCHAPV2_OP_CHALLENGE);
	p->ms_id = p->inner[2];
	memcpy(p->auth_challenge, p->inner + 6, 16);
}

/* The MS-CHAPv2 Response for password pw; the server's answer lands in p->inner. */
static void send_mschapv2(struct peer *p, char const *pw)
{
	uint8_t pkt[1 + 4 + 1 + 49 + 4], nt[16];
	struct mschapv2_exchange x = {p->auth_challenge, peer_challenge, "User", 4};
	struct eap_method_result res;

	pkt[0] = EAP_TYPE_MSCHAPV2;
	pkt[1] = MSCHAPV2_OP_RESPONSE;
	pkt[2] = p->ms_id;
	pkt[3] = 0;
	pkt[4] = sizeof(pkt) - 1;
	pkt[5] = 49;
	memcpy(pkt + 6, peer_challenge, 16);
	memset(pkt + 22, 0, 8);
	ck_assert_int_eq(mschap_nt_hash(nt, pw, strlen(pw)), 0);
	ck_assert_int_eq(mschapv2_nt_response(pkt + 30, &x, nt), 0);
	pkt[54] = 0;
	memcpy(pkt + 55, "User", 4);
	ck_assert_int_eq(inner_send(p, pkt, sizeof(pkt), &res), EAP_METHOD_CONTINUE);
}

/* The server's Result TLV request: check it and return its Identifier. */
static uint8_t expect_result_tlv(struct peer *p, uint8_t result)
{
	ck_assert_uint_eq(p->inner_len, 11);
	ck_assert_uint_eq(p->inner[0], EAP_CODE_REQUEST);
	ck_assert_uint_eq(p->inner[3], 11);
	ck_assert_uint_eq(p->inner[4], EAP_TYPE_PEAP_EXTENSIONS);
	ck_assert_uint_eq(p->inner[5], 0x80);
	ck_assert_uint_eq(p->inner[6], 0x03);
	ck_assert_uint_eq(p->inner[10], result);
	return p->inner[1];
}

static enum eap_method_status send_result(struct peer *p, uint8_t id, uint8_t result,
					  struct eap_method_result *res)
{
	uint8_t pkt[11] = {EAP_CODE_RESPONSE, id, 0, 11, 33, 0x80, 0x03, 0, 2, 0, result};

	return inner_send(p, pkt, sizeof(pkt), res);
}

/* A whole successful conversation; the MSK equals the client's own export. */
static void full_success(SSL_CTX *cctx, bool full_header)
{
	struct peer p;
	struct eap_method_result res;
	struct eap_keys keys;
	uint8_t km[128], nt[16], ntr[24], type = EAP_TYPE_PEAP;
	uint8_t const ok[] = {EAP_TYPE_MSCHAPV2, MSCHAPV2_OP_SUCCESS};
	char want[64], name[64];
	struct mschapv2_exchange x;

	peer_start(&p, cctx);
	send_identity(&p, full_header);
	send_mschapv2(&p, "clientPass");
	ck_assert_uint_eq(p.inner[0], EAP_TYPE_MSCHAPV2);
	ck_assert_uint_eq(p.inner[1], MSCHAPV2_OP_SUCCESS);
	/* The authenticator response proves the server knows the password. */
	x = (struct mschapv2_exchange){p.auth_challenge, peer_challenge, "User", 4};
	ck_assert_int_eq(mschap_nt_hash(nt, "clientPass", 10), 0);
	ck_assert_int_eq(mschapv2_nt_response(ntr, &x, nt), 0);
	ck_assert_int_eq(mschapv2_auth_response(want, &x, nt, ntr), 0);
	ck_assert_mem_eq(p.inner + 5, want, 42);
	ck_assert_int_eq(inner_send(&p, ok, sizeof(ok), &res), EAP_METHOD_CONTINUE);
	ck_assert_int_eq(send_result(&p, expect_result_tlv(&p, 1), 1, &res), EAP_METHOD_SUCCESS);
	ck_assert_int_eq(peap_method.keys(p.st, &keys), 0);
	if (SSL_version(p.cli) == TLS1_3_VERSION)
		ck_assert_int_eq(SSL_export_keying_material(p.cli, km, 128,
			"EXPORTER_EAP_TLS_Key_Material", 29, &type, 1, 1), 1);
	else
		ck_assert_int_eq(SSL_export_keying_material(p.cli, km, 128,
			"client EAP encryption", 21, NULL, 0, 0), 1);
	ck_assert_mem_eq(keys.msk, km, 64);
	ck_assert_mem_eq(keys.emsk, km + 64, 64);
	ck_assert_uint_eq(keys.session_id[0], EAP_TYPE_PEAP);
	peap_method.peer_name(p.st, EAP_PEER_NAME_INNER, name, sizeof(name));
	ck_assert_str_eq(name, "User");
	peer_free(&p);
}

START_TEST(test_success_tls12)
{
	full_success(cctx12, false);
}
END_TEST

START_TEST(test_success_tls13)
{
	full_success(cctx13, false);
}
END_TEST

START_TEST(test_success_full_header_identity)
{
	full_success(cctx12, true);
}
END_TEST

START_TEST(test_wrong_password)
{
	struct peer p;
	struct eap_method_result res;
	struct eap_keys keys;
	uint8_t const fail_resp[] = {EAP_TYPE_MSCHAPV2, MSCHAPV2_OP_FAILURE};

	peer_start(&p, cctx13);
	send_identity(&p, false);
	send_mschapv2(&p, "wrongPass");
	ck_assert_uint_eq(p.inner[1], MSCHAPV2_OP_FAILURE);
	ck_assert_int_eq(inner_send(&p, fail_resp, sizeof(fail_resp), &res), EAP_METHOD_CONTINUE);
	ck_assert_int_eq(send_result(&p, expect_result_tlv(&p, 2), 2, &res), EAP_METHOD_FAILURE);
	ck_assert_str_eq(res.reason_name, "wrong password (MS-CHAPv2)");
	ck_assert_int_eq(peap_method.keys(p.st, &keys), -1);
	peer_free(&p);
}
END_TEST

START_TEST(test_peer_result_failure)
{
	struct peer p;
	struct eap_method_result res;
	uint8_t const ok[] = {EAP_TYPE_MSCHAPV2, MSCHAPV2_OP_SUCCESS};

	peer_start(&p, cctx12);
	send_identity(&p, false);
	send_mschapv2(&p, "clientPass");
	ck_assert_int_eq(inner_send(&p, ok, sizeof(ok), &res), EAP_METHOD_CONTINUE);
	ck_assert_int_eq(send_result(&p, expect_result_tlv(&p, 1), 2, &res), EAP_METHOD_FAILURE);
	ck_assert_ptr_nonnull(strstr(res.reason_name, "Result TLV says failure"));
	peer_free(&p);
}
END_TEST

/* Bad inner packets after the Challenge end the conversation with a reason. */
static void bad_inner(uint8_t const *pkt, size_t len, char const *reason)
{
	struct peer p;
	struct eap_method_result res;

	peer_start(&p, cctx12);
	send_identity(&p, false);
	ck_assert_int_eq(inner_send(&p, pkt, len, &res), EAP_METHOD_FAILURE);
	ck_assert_msg(strstr(res.reason_name, reason) != NULL, "reason \"%s\"", res.reason_name);
	peer_free(&p);
}

START_TEST(test_inner_nak)
{
	uint8_t const nak[] = {EAP_TYPE_NAK, EAP_TYPE_GTC};

	bad_inner(nak, sizeof(nak), "Nak proposing type(s) 6");
}
END_TEST

START_TEST(test_inner_wrong_type)
{
	uint8_t const md5[] = {EAP_TYPE_MD5, 1, 2, 3};

	bad_inner(md5, sizeof(md5), "inner EAP Type 4 where 26 (mschapv2) was due");
}
END_TEST

START_TEST(test_inner_too_large)
{
	uint8_t *big = talloc_zero_array(ctx, uint8_t, 1500);

	big[0] = EAP_TYPE_MSCHAPV2;
	bad_inner(big, 1500, "larger than");
	talloc_free(big);
}
END_TEST

START_TEST(test_identity_not_identity)
{
	struct peer p;
	struct eap_method_result res;
	uint8_t const pkt[] = {EAP_TYPE_MSCHAPV2, 2};

	peer_start(&p, cctx12);
	ck_assert_int_eq(inner_send(&p, pkt, sizeof(pkt), &res), EAP_METHOD_FAILURE);
	ck_assert_ptr_nonnull(strstr(res.reason_name, "Identity Response was due"));
	peer_free(&p);
}
END_TEST

START_TEST(test_result_codec)
{
	uint8_t buf[32];
	char const *why = NULL;
	uint8_t ok[] = {2, 7, 0, 11, 33, 0x80, 0x03, 0, 2, 0, 1};
	uint8_t const extra[] = {2, 7, 0, 15, 33, 0x00, 0x09, 0, 0, 0x80, 0x03, 0, 2, 0, 2};
	uint8_t const mand[] = {2, 7, 0, 15, 33, 0x80, 0x09, 0, 0, 0x80, 0x03, 0, 2, 0, 1};
	uint8_t const none[] = {2, 7, 0, 9, 33, 0x00, 0x09, 0, 0};
	uint8_t const compressed[] = {33, 0x80, 0x03, 0, 2, 0, 1};

	ck_assert_int_eq(peap_result_request_encode(buf, sizeof(buf), 7, 1), 11);
	ck_assert_mem_eq(buf, ((uint8_t[]){1, 7, 0, 11, 33, 0x80, 0x03, 0, 2, 0, 1}), 11);
	ck_assert_int_eq(peap_result_request_encode(buf, 10, 7, 1), -1);
	ck_assert_int_eq(peap_result_response_parse(ok, sizeof(ok), 7, &why), 1);
	ck_assert_int_eq(peap_result_response_parse(ok, sizeof(ok), 8, &why), -1);
	ck_assert_ptr_nonnull(strstr(why, "Identifier"));
	ck_assert_int_eq(peap_result_response_parse(extra, sizeof(extra), 7, &why), 2);
	ck_assert_int_eq(peap_result_response_parse(mand, sizeof(mand), 7, &why), -1);
	ck_assert_ptr_nonnull(strstr(why, "mandatory"));
	ck_assert_int_eq(peap_result_response_parse(none, sizeof(none), 7, &why), -1);
	ck_assert_ptr_nonnull(strstr(why, "no Result TLV"));
	ck_assert_int_eq(peap_result_response_parse(compressed, sizeof(compressed), 7, &why), 1);
	for (size_t i = 0; i < sizeof(ok); i++)
		ck_assert_int_eq(peap_result_response_parse(ok, i, 7, &why), -1);
	ok[10] = 3;
	ck_assert_int_eq(peap_result_response_parse(ok, sizeof(ok), 7, &why), -1);
	ok[10] = 1;
	ok[0] = 1; /* a Request */
	ck_assert_int_eq(peap_result_response_parse(ok, sizeof(ok), 7, &why), -1);
}
END_TEST

static void setup(void)
{
	ctx = talloc_new(NULL);
}

static void teardown(void)
{
	ck_assert_int_eq(talloc_total_blocks(ctx), 1);
	talloc_free(ctx);
}

static Suite *suite(void)
{
	Suite *s = suite_create("peap");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 30);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_success_tls12);
	tcase_add_test(tc, test_success_tls13);
	tcase_add_test(tc, test_success_full_header_identity);
	tcase_add_test(tc, test_wrong_password);
	tcase_add_test(tc, test_peer_result_failure);
	tcase_add_test(tc, test_inner_nak);
	tcase_add_test(tc, test_inner_wrong_type);
	tcase_add_test(tc, test_inner_too_large);
	tcase_add_test(tc, test_identity_not_identity);
	tcase_add_test(tc, test_result_codec);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	struct tls_settings set;
	SRunner *sr;
	int failed;

	pki_make("rsa");
	root = talloc_new(NULL);
	pki_settings(root, &set, "rsa");
	srv = tls_server_new(root, &set);
	if (!srv) abort();
	tconf = (struct tls_method_conf){.tls = srv, .max_message = 65536, .inner = &lookup};
	cctx12 = client_ctx_new(root, "rsa", NULL, TLS1_2_VERSION);
	cctx13 = client_ctx_new(root, "rsa", NULL, 0);
	sr = srunner_create(suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	SSL_CTX_free(cctx12);
	SSL_CTX_free(cctx13);
	talloc_free(root);
	pki_remove();
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
