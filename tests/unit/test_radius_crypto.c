/*
 * Unit tests for src/radius/crypto.c: MD5 (RFC 1321 A.5 test suite) and HMAC-MD5 (RFC 2202 2
 * test cases) through the per-thread reused contexts, the remembered HMAC key (alternating
 * keys, empty key, keys longer than the cache), and concurrent threads that exit (their
 * contexts are freed by the thread-exit destructor; ASan/LSan builds check that).
 */
#include "radius/radius_int.h"

#include <check.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "util/hex.h"

struct hmac_case {
	uint8_t key[200];
	size_t key_len;
	uint8_t data[100];
	size_t data_len;
	char const *hex;
};

static struct hmac_case cases[9];

static void fill(uint8_t *p, size_t *len, uint8_t byte, size_t n)
{
	memset(p, byte, n);
	*len = n;
}

static void text(uint8_t *p, size_t *len, char const *s)
{
	*len = strlen(s);
	memcpy(p, s, *len);
}

/* RFC 2202 2 cases 1-7, the empty key and message, and a 200-octet key (over the cache). */
static void cases_init(void)
{
	size_t i;

	fill(cases[0].key, &cases[0].key_len, 0x0b, 16);
	text(cases[0].data, &cases[0].data_len, "Hi There");
	cases[0].hex = "9294727a3638bb1c13f48ef8158bfc9d";
	text(cases[1].key, &cases[1].key_len, "Jefe");
	text(cases[1].data, &cases[1].data_len, "what do ya want for nothing?");
	cases[1].hex = "750c783e6ab0b503eaa86e310a5db738";
	fill(cases[2].key, &cases[2].key_len, 0xaa, 16);
	fill(cases[2].data, &cases[2].data_len, 0xdd, 50);
	cases[2].hex = "56be34521d144c88dbb8c733f0e8b3f6";
	for (i = 0; i < 25; i++) cases[3].key[i] = (uint8_t)(i + 1);
	cases[3].key_len = 25;
	fill(cases[3].data, &cases[3].data_len, 0xcd, 50);
	cases[3].hex = "697eaf0aca3a3aea3a75164746ffaa79";
	fill(cases[4].key, &cases[4].key_len, 0x0c, 16);
	text(cases[4].data, &cases[4].data_len, "Test With Truncation");
	cases[4].hex = "56461ef2342edc00f9bab995690efd4c";
	fill(cases[5].key, &cases[5].key_len, 0xaa, 80);
	text(cases[5].data, &cases[5].data_len,
	     "Test Using Larger Than Block-Size Key - Hash Key First");
	cases[5].hex = "6b1ab7fe4bd7bf8f0b62e6ce61b9d0cd";
	fill(cases[6].key, &cases[6].key_len, 0xaa, 80);
	text(cases[6].data, &cases[6].data_len,
	     "Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data");
	cases[6].hex = "6f630fad67cda0ee1fb1f562db3aa53e";
	cases[7].hex = "74e6f7298a9c2d168935f58c001bad88";
	for (i = 0; i < 200; i++) cases[8].key[i] = (uint8_t)i;
	cases[8].key_len = 200;
	fill(cases[8].data, &cases[8].data_len, 'x', 100);
	cases[8].hex = "34a0ce2b260df20a4b3b9f912e96fced";
}

static bool hmac_case_ok(struct hmac_case const *c)
{
	uint8_t mac[16], want[16];

	if (hex_decode(want, sizeof(want), c->hex, 32) != 16) return false;
	if (rad_hmac_md5(mac, c->key, c->key_len, c->data, c->data_len) < 0) return false;
	return memcmp(mac, want, 16) == 0;
}

START_TEST(test_md5_rfc1321)
{
	static char const *const msg[] = {"", "abc", "message digest",
		("1234567890123456789012345678901234567890123456789012345678901234567890"
		 "1234567890")};
	static char const *const hex[] = {"d41d8cd98f00b204e9800998ecf8427e",
		"900150983cd24fb0d6963f7d28e17f72", "f96b697d7cb7938d525a2f31aaf161d0",
		"57edf4a22be3c955ac49da2e2107b67a"};
	size_t i, len = strlen(msg[_i]);
	uint8_t md[16], want[16];
	struct rad_iov parts[3];

	ck_assert_int_eq(hex_decode(want, sizeof(want), hex[_i], 32), 16);
	/* Whole, then in three uneven parts (one empty): same digest, same context reused. */
	parts[0] = (struct rad_iov){msg[_i], len};
	ck_assert_int_eq(rad_md5(md, parts, 1), 0);
	ck_assert_mem_eq(md, want, 16);
	for (i = 0; i < 2; i++) {
		parts[0] = (struct rad_iov){msg[_i], len / 3};
		parts[1] = (struct rad_iov){NULL, 0};
		parts[2] = (struct rad_iov){msg[_i] + len / 3, len - len / 3};
		ck_assert_int_eq(rad_md5(md, parts, 3), 0);
		ck_assert_mem_eq(md, want, 16);
	}
}
END_TEST

START_TEST(test_hmac_md5_cases)
{
	ck_assert_msg(hmac_case_ok(&cases[_i]), "case %d", _i);
	/* Same key twice in a row: the remembered key is reused. */
	ck_assert_msg(hmac_case_ok(&cases[_i]), "case %d again", _i);
}
END_TEST

/* Keys alternating in every order, including equal-length keys that differ (cases 0, 2, 4). */
START_TEST(test_hmac_md5_alternating_keys)
{
	size_t n = sizeof(cases) / sizeof(cases[0]), i, j;

	for (i = 0; i < n; i++) {
		for (j = 0; j < n; j++) {
			ck_assert_msg(hmac_case_ok(&cases[i]), "case %zu after %zu", i, j);
			ck_assert_msg(hmac_case_ok(&cases[j]), "case %zu after %zu", j, i);
		}
	}
}
END_TEST

static void *thread_main(void *arg)
{
	size_t first = (size_t)(uintptr_t)arg, n = sizeof(cases) / sizeof(cases[0]), i;
	uint8_t md[16];
	struct rad_iov part = {"abc", 3};

	for (i = 0; i < 3000; i++) {
		if (!hmac_case_ok(&cases[(first + i / 7) % n])) return (void *)1;
		if (rad_md5(md, &part, 1) < 0 || md[0] != 0x90) return (void *)1;
	}
	return NULL;
}

START_TEST(test_threads)
{
	pthread_t t[4];
	void *rc;
	size_t i;

	for (i = 0; i < 4; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, thread_main, (void *)(uintptr_t)i), 0);
	for (i = 0; i < 4; i++) {
		ck_assert_int_eq(pthread_join(t[i], &rc), 0);
		ck_assert_ptr_null(rc);
	}
	ck_assert(hmac_case_ok(&cases[1]));
}
END_TEST

static Suite *crypto_suite(void)
{
	Suite *s = suite_create("radius_crypto");
	TCase *tc = tcase_create("crypto");

	tcase_add_loop_test(tc, test_md5_rfc1321, 0, 4);
	tcase_add_loop_test(tc, test_hmac_md5_cases, 0, 9);
	tcase_add_test(tc, test_hmac_md5_alternating_keys);
	tcase_add_test(tc, test_threads);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr;
	int failed;

	cases_init();
	sr = srunner_create(crypto_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
