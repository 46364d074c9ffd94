/*
 * Unit tests for the duplicate-request cache (src/server/dupcache.c, RFC 5080 2.2.2).
 */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "server/dupcache.h"

static TALLOC_CTX *ctx;

static void setup(void)
{
	ctx = talloc_new(NULL);
}

static void teardown(void)
{
	ck_assert_uint_eq(talloc_total_blocks(ctx), 1);
	talloc_free(ctx);
}

static void key_for(struct dup_key *key, char const *ip, uint16_t port, uint8_t id, uint8_t v)
{
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons(port)};
	uint8_t vector[16];

	inet_pton(AF_INET, ip, &sin.sin_addr);
	memset(vector, v, sizeof(vector));
	dup_key_init(key, (struct sockaddr *)&sin, 0, id, vector);
}

START_TEST(test_find_insert)
{
	struct dupcache *dc = dupcache_new(ctx, 4, 5);
	struct dup_key k1, k2, k3;
	uint8_t const *r;
	size_t len;

	key_for(&k1, "127.0.0.1", 1000, 7, 1);
	key_for(&k2, "127.0.0.1", 1001, 7, 1);	/* other source port */
	key_for(&k3, "127.0.0.1", 1000, 7, 2);	/* other authenticator */
	ck_assert_int_eq(dupcache_insert(dc, &k1, (uint8_t const *)"reply1", 6, 100.0), 0);
	r = dupcache_find(dc, &k1, 101.0, &len);
	ck_assert_ptr_nonnull(r);
	ck_assert_uint_eq(len, 6);
	ck_assert_mem_eq(r, "reply1", 6);
	ck_assert_ptr_null(dupcache_find(dc, &k2, 101.0, &len));
	ck_assert_ptr_null(dupcache_find(dc, &k3, 101.0, &len));
	/* Expired after ttl. */
	ck_assert_ptr_null(dupcache_find(dc, &k1, 105.0, &len));
	dupcache_expire(dc, 105.0);
	ck_assert_uint_eq(dupcache_count(dc), 0);
	talloc_free(dc);
}
END_TEST

START_TEST(test_bounded)
{
	struct dupcache *dc = dupcache_new(ctx, 8, 5);
	struct dup_key k;
	size_t len;
	unsigned i;

	for (i = 0; i < 1000; i++) {
		key_for(&k, "10.0.0.1", 1000, (uint8_t)i, (uint8_t)(i >> 8));
		ck_assert_int_eq(dupcache_insert(dc, &k, (uint8_t const *)"x", 1, 1.0), 0);
		ck_assert_uint_le(dupcache_count(dc), 8);
	}
	/* The newest are there, the oldest were evicted. */
	ck_assert_ptr_nonnull(dupcache_find(dc, &k, 2.0, &len));
	key_for(&k, "10.0.0.1", 1000, 0, 0);
	ck_assert_ptr_null(dupcache_find(dc, &k, 2.0, &len));
	talloc_free(dc);
}
END_TEST

START_TEST(test_ipv6_keys_differ)
{
	struct sockaddr_in6 a = {.sin6_family = AF_INET6, .sin6_port = htons(5)};
	struct sockaddr_in b = {.sin_family = AF_INET, .sin_port = htons(5)};
	struct dup_key ka, kb;
	uint8_t v[16] = {0};

	inet_pton(AF_INET6, "::1", &a.sin6_addr);
	inet_pton(AF_INET, "127.0.0.1", &b.sin_addr);
	dup_key_init(&ka, (struct sockaddr *)&a, 0, 1, v);
	dup_key_init(&kb, (struct sockaddr *)&b, 0, 1, v);
	ck_assert(memcmp(&ka, &kb, sizeof(ka)) != 0);
	dup_key_init(&kb, (struct sockaddr *)&b, 1, 1, v);
	dup_key_init(&ka, (struct sockaddr *)&b, 0, 1, v);
	ck_assert(memcmp(&ka, &kb, sizeof(ka)) != 0); /* auth and acct listeners differ */
}
END_TEST

int main(void)
{
	Suite *s = suite_create("dupcache");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_find_insert);
	tcase_add_test(tc, test_bounded);
	tcase_add_test(tc, test_ipv6_keys_differ);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
