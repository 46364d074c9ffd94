/*
 * Unit tests for src/methods/mschap.c and legacy_crypto.c: RFC 2759 9.2 (MS-CHAPv2 hash
 * example), RFC 3079 3.5.3 (128-bit MPPE keys), RFC 2433 B.2 (MS-CHAPv1), CHAP, UTF-8
 * passwords, DOMAIN\user names, the RFC 2548 attribute layouts, and that MD4/DES stay out
 * of OpenSSL's default library context. Vectors not printed in an RFC were computed
 * independently with the openssl command line (legacy provider) and python3.
 */
#include "methods/legacy_crypto.h"
#include "methods/mschap.h"

#include <check.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <talloc.h>
#include <unistd.h>

#include "util/err.h"
#include "util/hex.h"

static TALLOC_CTX *ctx;

static void setup(void)
{
	ctx = talloc_new(NULL);
	ck_assert_ptr_nonnull(ctx);
}

static void teardown(void)
{
	ck_assert_uint_eq(talloc_total_blocks(ctx), 1); /* no children left: no leak */
	talloc_free(ctx);
}

/* Hex (spaces allowed) -> octets owned by ctx; asserts the length. */
static uint8_t *unhex(char const *text, size_t want)
{
	char *compact = talloc_strdup(ctx, text);
	uint8_t *out = talloc_zero_size(ctx, want ? want : 1);
	size_t o = 0;

	for (char const *p = text; *p; p++)
		if (*p != ' ') compact[o++] = *p;
	compact[o] = '\0';
	ck_assert_int_eq(hex_decode(out, want, compact, o), (ssize_t)want);
	talloc_free(compact);
	return out;
}

static void assert_hex(uint8_t const *got, size_t len, char const *want)
{
	uint8_t *w = unhex(want, len);

	ck_assert_msg(memcmp(got, w, len) == 0, "bytes differ from %s", want);
	talloc_free(w);
}

/* RFC 2759 9.2 / RFC 3079 3.5.3 inputs. */
#define AUTH_CHAL "5B 5D 7C 7D 7B 3F 2F 3E 3C 2C 60 21 32 26 26 28"
#define PEER_CHAL "21 40 23 24 25 5E 26 2A 28 29 5F 2B 3A 33 7C 7E"
#define NT_HASH "44 EB BA 8D 53 12 B8 D6 11 47 44 11 F5 69 89 AE"
#define NT_RESP "82 30 9E CD 8D 70 8B 5E A0 8F AA 39 81 CD 83 54 42 33 11 4A 3D 85 D6 DF"
#define AUTH_RESP "S=407A5589115FD0D6209F510FE9C04566932CDA56"
#define MASTER_KEY "FD EC E3 71 7A 8C 83 8C B3 88 E5 27 AE 3C DD 31"
#define SEND_START_KEY "8B 7C DC 14 9B 99 3A 1B A1 18 CB 15 3F 56 DC CB"

struct v2 {
	uint8_t *auth, *peer, *nt_hash, *nt_resp;
	struct mschapv2_exchange x;
};

static void v2_load(struct v2 *v, char const *user)
{
	v->auth = unhex(AUTH_CHAL, 16);
	v->peer = unhex(PEER_CHAL, 16);
	v->nt_hash = unhex(NT_HASH, 16);
	v->nt_resp = unhex(NT_RESP, 24);
	v->x = (struct mschapv2_exchange){v->auth, v->peer, user, strlen(user)};
}

static void v2_free(struct v2 *v)
{
	talloc_free(v->auth);
	talloc_free(v->peer);
	talloc_free(v->nt_hash);
	talloc_free(v->nt_resp);
}

START_TEST(test_rfc2759_hashes)
{
	uint8_t h[16], hh[16], ch[8], resp[24];
	char ar[MSCHAP_V2_AUTH_RESPONSE_LEN + 1];
	struct v2 v;

	v2_load(&v, "User");
	ck_assert_int_eq(mschap_nt_hash(h, "clientPass", 10), 0);
	assert_hex(h, 16, NT_HASH);
	ck_assert_int_eq(mschap_nt_hash_hash(hh, h), 0);
	assert_hex(hh, 16, "41 C0 0C 58 4B D2 D9 1C 40 17 A2 A1 2F A5 9F 3F");
	ck_assert_int_eq(mschapv2_challenge_hash(ch, v.peer, v.auth, "User", 4), 0);
	assert_hex(ch, 8, "D0 2E 43 86 BC E9 12 26");
	ck_assert_int_eq(mschap_challenge_response(resp, ch, h), 0);
	assert_hex(resp, 24, NT_RESP);
	memset(resp, 0, sizeof(resp));
	ck_assert_int_eq(mschapv2_nt_response(resp, &v.x, h), 0);
	assert_hex(resp, 24, NT_RESP);
	ck_assert_int_eq(mschapv2_auth_response(ar, &v.x, h, resp), 0);
	ck_assert_str_eq(ar, AUTH_RESP);
	v2_free(&v);
}
END_TEST

START_TEST(test_verify_cleartext_and_nt_password)
{
	struct mschap_cred clear = {"clientPass", 10, NULL};
	struct mschapv2_result res;
	struct v2 v;

	v2_load(&v, "User");
	ck_assert_int_eq(mschapv2_verify(&res, &clear, &v.x, v.nt_resp), MSCHAP_MATCH);
	ck_assert_str_eq(res.auth_response, AUTH_RESP);
	assert_hex(res.master_key, 16, MASTER_KEY);

	/* NT-Password only: no clear text needed. */
	struct mschap_cred nt = {NULL, 0, v.nt_hash};

	mem_wipe(&res, sizeof(res));
	ck_assert_int_eq(mschapv2_verify(&res, &nt, &v.x, v.nt_resp), MSCHAP_MATCH);
	ck_assert_str_eq(res.auth_response, AUTH_RESP);
	mem_wipe(&res, sizeof(res));
	v2_free(&v);
}
END_TEST

START_TEST(test_verify_wrong_password)
{
	struct mschap_cred bad = {"clientPasS", 10, NULL};
	struct mschapv2_result res;
	uint8_t zero[sizeof(res)] = {0};
	struct v2 v;

	v2_load(&v, "User");
	ck_assert_int_eq(mschapv2_verify(&res, &bad, &v.x, v.nt_resp), MSCHAP_MISMATCH);
	ck_assert_mem_eq(&res, zero, sizeof(res));	/* nothing to leak on failure */
	ck_assert_ptr_nonnull(strstr(err_msg(), "does not match"));

	/* Right password, one flipped bit in the response. */
	struct mschap_cred good = {"clientPass", 10, NULL};

	v.nt_resp[23] ^= 0x01;
	ck_assert_int_eq(mschapv2_verify(&res, &good, &v.x, v.nt_resp), MSCHAP_MISMATCH);
	v.nt_resp[23] ^= 0x01;
	/* Someone else's user name changes the challenge hash. */
	v.x.user = "Usr";
	v.x.user_len = 3;
	ck_assert_int_eq(mschapv2_verify(&res, &good, &v.x, v.nt_resp), MSCHAP_MISMATCH);
	v2_free(&v);
}
END_TEST

START_TEST(test_domain_user_name)
{
	struct mschap_cred good = {"clientPass", 10, NULL};
	struct mschapv2_result res;
	uint8_t ch[8];
	struct v2 v;
	char const *n = "DOMAIN\\User";
	size_t len = strlen(n);

	mschap_user_name_strip(&n, &len);
	ck_assert_uint_eq(len, 4);
	ck_assert_int_eq(memcmp(n, "User", 4), 0);

	/* RFC 2759 8.2: the domain is not hashed, so the RFC vector still verifies. */
	v2_load(&v, "DOMAIN\\User");
	ck_assert_int_eq(mschapv2_challenge_hash(ch, v.peer, v.auth, v.x.user, v.x.user_len), 0);
	assert_hex(ch, 8, "D0 2E 43 86 BC E9 12 26");
	ck_assert_int_eq(mschapv2_verify(&res, &good, &v.x, v.nt_resp), MSCHAP_MATCH);
	ck_assert_str_eq(res.auth_response, AUTH_RESP);
	mem_wipe(&res, sizeof(res));

	/* Only up to the first backslash is the domain; an empty domain is fine too. */
	v.x.user = "\\User";
	v.x.user_len = 5;
	ck_assert_int_eq(mschapv2_verify(&res, &good, &v.x, v.nt_resp), MSCHAP_MATCH);
	v.x.user = "A\\B\\User";
	v.x.user_len = 8;
	ck_assert_int_eq(mschapv2_verify(&res, &good, &v.x, v.nt_resp), MSCHAP_MISMATCH);
	/* A user name that is all domain hashes as empty and so does not match. */
	v.x.user = "User\\";
	v.x.user_len = 5;
	ck_assert_int_eq(mschapv2_verify(&res, &good, &v.x, v.nt_resp), MSCHAP_MISMATCH);
	v2_free(&v);
}
END_TEST

START_TEST(test_rfc3079_keys)
{
	uint8_t *mk = unhex(MASTER_KEY, 16), *hh = unhex("41C00C584BD2D91C4017A2A12FA59F3F", 16);
	uint8_t *resp = unhex(NT_RESP, 24);
	uint8_t got[16], send[16], recv[16], csend[16], crecv[16], msk[32];

	ck_assert_int_eq(mschapv2_master_key(got, hh, resp), 0);
	assert_hex(got, 16, MASTER_KEY);
	/* RFC 3079 3.5.3 SendStartKey128 is the authenticator's (server's) send key. */
	ck_assert_int_eq(mschapv2_mppe_keys(send, recv, mk), 0);
	assert_hex(send, 16, SEND_START_KEY);
	ck_assert_mem_ne(send, recv, 16);
	/* The peer's keys mirror ours. */
	ck_assert_int_eq(mschapv2_start_key(csend, mk, true, false), 0);
	ck_assert_int_eq(mschapv2_start_key(crecv, mk, false, false), 0);
	ck_assert_mem_eq(csend, recv, 16);
	ck_assert_mem_eq(crecv, send, 16);
	/* MSK = MasterReceiveKey || MasterSendKey (server view). */
	ck_assert_int_eq(mschapv2_msk(msk, mk), 0);
	ck_assert_mem_eq(msk, recv, 16);
	ck_assert_mem_eq(msk + 16, send, 16);
	talloc_free(mk);
	talloc_free(hh);
	talloc_free(resp);
}
END_TEST

START_TEST(test_rfc2433_mschapv1)
{
	uint8_t *chal = unhex("10 2D B5 DF 08 5D 30 41", 8);
	uint8_t *resp = unhex("4E 9D 3C 8F 9C FD 38 5D 5B F4 D3 24 67 91 95 6C "
			      "A4 C3 51 AB 40 9A 3D 61", 24);
	struct mschap_cred good = {"MyPw", 4, NULL}, bad = {"MyPW", 4, NULL};
	uint8_t h[16];

	ck_assert_int_eq(mschap_nt_hash(h, "MyPw", 4), 0);
	assert_hex(h, 16, "FC 15 6A F7 ED CD 6C 0E DD E3 33 7D 42 7F 4E AC");
	ck_assert_int_eq(mschapv1_verify(&good, chal, resp), MSCHAP_MATCH);
	ck_assert_int_eq(mschapv1_verify(&bad, chal, resp), MSCHAP_MISMATCH);
	struct mschap_cred nt = {NULL, 0, h};

	ck_assert_int_eq(mschapv1_verify(&nt, chal, resp), MSCHAP_MATCH);
	chal[0] ^= 0x80;
	ck_assert_int_eq(mschapv1_verify(&good, chal, resp), MSCHAP_MISMATCH);
	ck_assert_int_eq(mschapv1_verify(&good, NULL, resp), MSCHAP_MISMATCH);
	talloc_free(chal);
	talloc_free(resp);
}
END_TEST

START_TEST(test_chap)
{
	uint8_t chal[16], *resp = unhex("821643665b430359e52ac524d29c8f95", 16);
	struct mschap_cred good = {"secret", 6, NULL}, bad = {"secreT", 6, NULL};
	uint8_t nt[16] = {0};
	struct mschap_cred nt_only = {NULL, 0, nt};

	for (int i = 0; i < 16; i++) chal[i] = (uint8_t)i;
	ck_assert_int_eq(chap_verify(&good, 7, chal, 16, resp), MSCHAP_MATCH);
	ck_assert_int_eq(chap_verify(&bad, 7, chal, 16, resp), MSCHAP_MISMATCH);
	ck_assert_int_eq(chap_verify(&good, 8, chal, 16, resp), MSCHAP_MISMATCH);
	ck_assert_int_eq(chap_verify(&good, 7, chal, 15, resp), MSCHAP_MISMATCH);
	ck_assert_int_eq(chap_verify(&good, 7, chal, 0, resp), MSCHAP_MISMATCH);
	/* CHAP cannot work from an NT hash. */
	ck_assert_int_eq(chap_verify(&nt_only, 7, chal, 16, resp), MSCHAP_ERROR);
	ck_assert_ptr_nonnull(strstr(err_msg(), "Cleartext-Password"));
	talloc_free(resp);
}
END_TEST

START_TEST(test_no_credential)
{
	struct mschap_cred none = {NULL, 0, NULL};
	struct mschapv2_result res;
	struct v2 v;

	v2_load(&v, "User");
	ck_assert_int_eq(mschapv2_verify(&res, &none, &v.x, v.nt_resp), MSCHAP_ERROR);
	ck_assert_ptr_nonnull(strstr(err_msg(), "NT-Password"));
	ck_assert_int_eq(mschapv1_verify(NULL, v.auth, v.nt_resp), MSCHAP_ERROR);
	ck_assert_str_eq(mschap_verdict_name(MSCHAP_MATCH), "match");
	ck_assert_str_eq(mschap_verdict_name(MSCHAP_ERROR), "error");
	ck_assert_str_eq(mschap_verdict_name((enum mschap_verdict)99), "?");
	v2_free(&v);
}
END_TEST

START_TEST(test_utf8_passwords)
{
	uint8_t h[16];
	char longpw[MSCHAP_PASSWORD_MAX + 2];

	/* U+00E4 and U+00F6 (2-octet UTF-8, one UTF-16 unit each). */
	ck_assert_int_eq(mschap_nt_hash(h, "p\xc3\xa4ssw\xc3\xb6rd", 10), 0);
	assert_hex(h, 16, "0553152250ac01adb4213cb9938663e4");
	/* U+1F600 becomes a surrogate pair. */
	ck_assert_int_eq(mschap_nt_hash(h, "\xf0\x9f\x98\x80x", 5), 0);
	assert_hex(h, 16, "4239d4dcd7148a5ea8f750b376cfdbd6");
	/* The empty password has a hash too: MD4("") (RFC 1320 A.5). */
	ck_assert_int_eq(mschap_nt_hash(h, "", 0), 0);
	assert_hex(h, 16, "31d6cfe0d16ae931b73c59d7e0c089c0");

	/* Overlong, lone continuation, truncated, surrogate, above U+10FFFF, 0xFF. */
	static char const *const bad[] = {"\xc0\x80", "\x80", "a\xe2\x82", "\xed\xa0\x80",
					  "\xf4\x90\x80\x80", "\xff", "\xe0\x80\xaf"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(mschap_nt_hash(h, bad[i], strlen(bad[i])) == -1, "bad[%zu]", i);
	ck_assert_ptr_nonnull(strstr(err_msg(), "UTF-8"));

	/* RFC 2759: at most 256 unicode characters. */
	memset(longpw, 'a', sizeof(longpw));
	ck_assert_int_eq(mschap_nt_hash(h, longpw, MSCHAP_PASSWORD_MAX), 0);
	ck_assert_int_eq(mschap_nt_hash(h, longpw, MSCHAP_PASSWORD_MAX + 1), -1);
}
END_TEST

START_TEST(test_hostile_user_name)
{
	struct mschap_cred good = {"clientPass", 10, NULL};
	struct mschapv2_result res;
	char *big = talloc_zero_size(ctx, MSCHAP_USER_NAME_MAX + 1);
	struct v2 v;

	memset(big, 'u', MSCHAP_USER_NAME_MAX + 1);
	v2_load(&v, "User");
	v.x.user = big;
	v.x.user_len = MSCHAP_USER_NAME_MAX + 1;
	ck_assert_int_eq(mschapv2_verify(&res, &good, &v.x, v.nt_resp), MSCHAP_MISMATCH);
	ck_assert_ptr_nonnull(strstr(err_msg(), "too long"));
	v.x.user_len = MSCHAP_USER_NAME_MAX;
	ck_assert_int_eq(mschapv2_verify(&res, &good, &v.x, v.nt_resp), MSCHAP_MISMATCH);
	v.x.user = NULL;
	v.x.user_len = 4;
	ck_assert_int_eq(mschapv2_verify(&res, &good, &v.x, v.nt_resp), MSCHAP_MISMATCH);
	ck_assert_int_eq(mschapv2_verify(&res, &good, &v.x, NULL), MSCHAP_MISMATCH);
	talloc_free(big);
	v2_free(&v);
}
END_TEST

START_TEST(test_attribute_layouts)
{
	uint8_t val[50], out[80];
	struct mschapv2_response r2;
	struct mschapv1_response r1;
	char ar[] = AUTH_RESP;
	ssize_t n;

	for (int i = 0; i < 50; i++) val[i] = (uint8_t)i;
	ck_assert_int_eq(mschapv2_response_decode(&r2, val, 50), 0);
	ck_assert_uint_eq(r2.ident, 0);
	ck_assert_uint_eq(r2.flags, 1);
	ck_assert_uint_eq(r2.peer_challenge[0], 2);
	ck_assert_uint_eq(r2.nt_response[0], 26);	/* after 8 reserved octets */
	ck_assert_uint_eq(r2.nt_response[23], 49);
	ck_assert_int_eq(mschapv2_response_decode(&r2, val, 49), -1);
	ck_assert_int_eq(mschapv2_response_decode(&r2, NULL, 50), -1);

	ck_assert_int_eq(mschapv1_response_decode(&r1, val, 50), 0);
	ck_assert(r1.use_nt);
	ck_assert_uint_eq(r1.lm_response[0], 2);
	ck_assert_uint_eq(r1.nt_response[0], 26);
	ck_assert_int_eq(mschapv1_response_decode(&r1, val, 51), -1);

	n = mschapv2_success_encode(out, sizeof(out), 9, ar);
	ck_assert_int_eq(n, 43);
	ck_assert_uint_eq(out[0], 9);
	ck_assert_int_eq(memcmp(out + 1, AUTH_RESP, 42), 0);
	ck_assert_int_eq(mschapv2_success_encode(out, 42, 9, ar), -1);
	ar[10] = '\0';
	ck_assert_int_eq(mschapv2_success_encode(out, sizeof(out), 9, ar), -1);

	uint8_t chal[16];

	for (int i = 0; i < 16; i++) chal[i] = (uint8_t)(0xA0 + i);
	n = mschapv2_error_encode(out, sizeof(out), 3, 691, false, chal, "nope");
	ck_assert_int_eq(n, 1 + 55);
	ck_assert_uint_eq(out[0], 3);
	ck_assert_int_eq(memcmp(out + 1, "E=691 R=0 C=A0A1A2A3A4A5A6A7A8A9AAABACADAEAF V=3 M=nope",
				55), 0);
	n = mschapv2_error_encode(out, sizeof(out), 3, 648, true, NULL, NULL);
	ck_assert_int_eq(n, 1 + 13);
	ck_assert_int_eq(memcmp(out + 1, "E=648 R=1 V=3", 13), 0);
	ck_assert_int_eq(mschapv2_error_encode(out, 14, 3, 648, true, NULL, NULL), -1);
	ck_assert_int_eq(mschapv2_error_encode(out, 15, 3, 648, true, NULL, NULL), 14);
}
END_TEST

/* The decision in legacy_crypto.c: MD4/DES exist only in our private context. */
START_TEST(test_legacy_stays_private)
{
	EVP_MD *md4;
	EVP_CIPHER *des;

	ck_assert_int_eq(legacy_crypto_init(), 0);
	md4 = EVP_MD_fetch(NULL, "MD4", NULL);
	des = EVP_CIPHER_fetch(NULL, "DES-ECB", NULL);
	ck_assert_ptr_null(md4);
	ck_assert_ptr_null(des);
	EVP_MD_free(md4);
	EVP_CIPHER_free(des);
}
END_TEST

/*
 * Without the legacy provider, MS-CHAP fails with a message naming the package, and CHAP
 * (MD5 from the default context) still works. Runs in a child whose OPENSSL_MODULES points
 * nowhere; it is the suite's first test so that even with CK_FORK=no nothing has loaded
 * the provider before the fork.
 */
static int no_provider_child(void)
{
	struct mschap_cred good = {"secret", 6, NULL};
	uint8_t h[16], chal[8] = {0}, resp[24] = {0};

	if (setenv("OPENSSL_MODULES", "/nonexistent-latchd-test", 1) != 0) return 10;
	if (legacy_crypto_init() != -1) return 11;
	if (!strstr(err_msg(), "libssl3") || !strstr(err_msg(), "legacy")) return 12;
	if (mschap_nt_hash(h, "x", 1) != -1) return 13;
	if (!strstr(err_msg(), "legacy provider")) return 14;
	if (mschapv1_verify(&good, chal, resp) != MSCHAP_ERROR) return 15;
	if (chap_verify(&good, 1, chal, 1, resp) != MSCHAP_MISMATCH) return 16;
	return 0;
}

START_TEST(test_provider_missing)
{
	int status = 0;
	pid_t pid = fork();

	ck_assert_int_ne(pid, -1);
	if (pid == 0) _exit(no_provider_child());
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 0);
}
END_TEST

/* DES key spreading: a known FIPS 81 ECB example with the parity bits stripped. */
START_TEST(test_des_seven_octet_key)
{
	/* Key 0123456789ABCDEF, plaintext "Now is t" -> 3FA40E8A984D4815 (FIPS 81 B.1); the
	 * 7-octet form is the 56 key bits with each octet's parity (low) bit dropped. */
	uint8_t key8[8] = {0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF}, key7[7] = {0};
	uint8_t out[8];
	unsigned bit = 0;

	for (int i = 0; i < 8; i++)
		for (int b = 7; b >= 1; b--, bit++)
			if (key8[i] >> b & 1) key7[bit / 8] |= (uint8_t)(0x80 >> (bit % 8));
	ck_assert_int_eq(legacy_des_encrypt(out, key7, (uint8_t const *)"Now is t"), 0);
	assert_hex(out, 8, "3FA40E8A984D4815");
}
END_TEST

static void *verify_thread(void *arg)
{
	struct mschap_cred good = {"clientPass", 10, NULL};
	struct mschapv2_exchange const *x = arg;
	uint8_t resp[24];
	uint8_t h[16];
	struct mschapv2_result res;
	intptr_t fails = 0;

	if (mschap_nt_hash(h, "clientPass", 10) < 0 || mschapv2_nt_response(resp, x, h) < 0)
		return (void *)1;
	for (int i = 0; i < 50; i++)
		if (mschapv2_verify(&res, &good, x, resp) != MSCHAP_MATCH) fails++;
	return (void *)fails;
}

START_TEST(test_threads)
{
	pthread_t t[4];
	struct v2 v;

	v2_load(&v, "User");
	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, verify_thread, &v.x), 0);
	for (int i = 0; i < 4; i++) {
		void *r;

		ck_assert_int_eq(pthread_join(t[i], &r), 0);
		ck_assert_ptr_null(r);
	}
	v2_free(&v);
}
END_TEST

static Suite *mschap_suite(void)
{
	Suite *s = suite_create("mschap");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_provider_missing);	/* first: see there */
	tcase_add_test(tc, test_legacy_stays_private);
	tcase_add_test(tc, test_rfc2759_hashes);
	tcase_add_test(tc, test_verify_cleartext_and_nt_password);
	tcase_add_test(tc, test_verify_wrong_password);
	tcase_add_test(tc, test_domain_user_name);
	tcase_add_test(tc, test_rfc3079_keys);
	tcase_add_test(tc, test_rfc2433_mschapv1);
	tcase_add_test(tc, test_chap);
	tcase_add_test(tc, test_no_credential);
	tcase_add_test(tc, test_utf8_passwords);
	tcase_add_test(tc, test_hostile_user_name);
	tcase_add_test(tc, test_attribute_layouts);
	tcase_add_test(tc, test_des_seven_octet_key);
	tcase_add_test(tc, test_threads);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(mschap_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
