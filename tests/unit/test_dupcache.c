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

/* Reply content that depends on the entry number, of a size that depends on it too. */
static size_t reply_for(uint8_t *buf, unsigned n)
{
	static size_t const sizes[] = {0, 1, 20, 62, 255, 256, 257, 300, 1000, 4096};
	size_t len = sizes[n % (sizeof(sizes) / sizeof(sizes[0]))], i;

	for (i = 0; i < len; i++) buf[i] = (uint8_t)(n * 31 + i);
	return len;
}

static void key_n(struct dup_key *key, unsigned n)
{
	struct sockaddr_in6 sin6 = {.sin6_family = AF_INET6, .sin6_port = htons((uint16_t)n)};
	uint8_t vector[16];
	unsigned i;

	for (i = 0; i < 16; i++) vector[i] = (uint8_t)((n >> (8 * (i % 4))) ^ (i * 17));
	sin6.sin6_addr.s6_addr[15] = (uint8_t)(n >> 16);
	dup_key_init(key, (struct sockaddr *)&sin6, (uint8_t)(n & 1), (uint8_t)(n >> 3), vector);
}

static void assert_cached(struct dupcache *dc, unsigned n, double now)
{
	uint8_t want[4096];
	size_t want_len = reply_for(want, n), len = 12345;
	struct dup_key k;
	uint8_t const *r;

	key_n(&k, n);
	r = dupcache_find(dc, &k, now, &len);
	ck_assert_msg(r != NULL, "entry %u missing", n);
	ck_assert_uint_eq(len, want_len);
	if (len) ck_assert_mem_eq(r, want, len);
}

static void assert_absent(struct dupcache *dc, unsigned n, double now)
{
	struct dup_key k;
	size_t len;

	key_n(&k, n);
	ck_assert_msg(dupcache_find(dc, &k, now, &len) == NULL, "entry %u still there", n);
}

static void insert_n(struct dupcache *dc, unsigned n, double now)
{
	uint8_t buf[4096];
	size_t len = reply_for(buf, n);
	struct dup_key k;

	key_n(&k, n);
	ck_assert_int_eq(dupcache_insert(dc, &k, buf, len, now), 0);
}

START_TEST(test_big_replies)
{
	struct dupcache *dc = dupcache_new(ctx, 16, 5);
	unsigned n;

	/* Every size class: empty, inline, exactly the inline size, one more, the maximum. */
	for (n = 0; n < 10; n++) insert_n(dc, n, 1.0);
	for (n = 0; n < 10; n++) assert_cached(dc, n, 2.0);
	ck_assert_uint_eq(dupcache_count(dc), 10);
	talloc_free(dc);
}
END_TEST

START_TEST(test_evictions_mixed_sizes)
{
	size_t const cap = 300;	/* more than one chunk of slots, the last one partial */
	struct dupcache *dc = dupcache_new(ctx, cap, 5);
	unsigned n, m;

	for (n = 0; n < 5000; n++) {
		insert_n(dc, n, 1.0);
		ck_assert_uint_eq(dupcache_count(dc), n + 1 < cap ? n + 1 : cap);
		assert_cached(dc, n, 1.5);
		if (n >= cap) {
			assert_absent(dc, n - (unsigned)cap, 1.5);	/* just evicted */
			assert_cached(dc, n - (unsigned)cap + 1, 1.5);	/* now the oldest */
		}
		if (n % 499 == 0)	/* every live entry, byte for byte */
			for (m = n + 1 > cap ? n + 1 - (unsigned)cap : 0; m <= n; m++)
				assert_cached(dc, m, 1.5);
		/* Evicted replies are freed: dc, index, arena, chunk table, 2 chunks, copies. */
		ck_assert_uint_le(talloc_total_blocks(dc), 6 + dupcache_count(dc));
	}
	talloc_free(dc);
}
END_TEST

START_TEST(test_ttl_order)
{
	struct dupcache *dc = dupcache_new(ctx, 64, 5);
	unsigned n;

	for (n = 0; n < 8; n++) insert_n(dc, n, 10.0 + n / 2.0);	/* expires at 15 + n/2 */
	/* A lookup honours the ttl before any expire() call. */
	assert_absent(dc, 0, 15.0);
	assert_cached(dc, 1, 15.0);
	ck_assert_uint_eq(dupcache_count(dc), 8);
	for (n = 0; n < 8; n++) {
		/* Drops exactly the entries up to n, oldest first. */
		dupcache_expire(dc, 15.0 + n / 2.0);
		ck_assert_uint_eq(dupcache_count(dc), 7 - n);
		assert_absent(dc, n, 14.9);
		if (n < 7) assert_cached(dc, n + 1, 15.0 + n / 2.0);
	}
	/* An insert expires what is due before taking a slot. */
	for (n = 0; n < 3; n++) insert_n(dc, 100 + n, 30.0 + n);
	insert_n(dc, 200, 36.0);
	ck_assert_uint_eq(dupcache_count(dc), 2);
	assert_absent(dc, 101, 35.5);
	assert_cached(dc, 102, 36.0);
	assert_cached(dc, 200, 36.0);
	talloc_free(dc);
}
END_TEST

START_TEST(test_same_key_twice)
{
	struct dupcache *dc = dupcache_new(ctx, 4, 5);
	struct dup_key k;
	uint8_t const *r;
	size_t len;

	key_for(&k, "192.0.2.1", 1812, 9, 3);
	ck_assert_int_eq(dupcache_insert(dc, &k, (uint8_t const *)"old", 3, 1.0), 0);
	ck_assert_int_eq(dupcache_insert(dc, &k, (uint8_t const *)"newer", 5, 2.0), 0);
	r = dupcache_find(dc, &k, 3.0, &len);
	ck_assert_ptr_nonnull(r);
	ck_assert_mem_eq(r, "newer", 5);
	/* Expiring the first copy leaves the second one. */
	dupcache_expire(dc, 6.0);
	ck_assert_uint_eq(dupcache_count(dc), 1);
	r = dupcache_find(dc, &k, 6.0, &len);
	ck_assert_ptr_nonnull(r);
	ck_assert_uint_eq(len, 5);
	dupcache_expire(dc, 7.0);
	ck_assert_ptr_null(dupcache_find(dc, &k, 6.5, &len));
	talloc_free(dc);
}
END_TEST

START_TEST(test_index_churn)
{
	/* A small index under heavy churn: every live key must stay findable. */
	size_t const cap = 100;
	struct dupcache *dc = dupcache_new(ctx, cap, 1000);
	unsigned n, m;

	for (n = 0; n < 20000; n++) {
		insert_n(dc, n * 7919u, 1.0);
		if (n % 97 == 0) {
			for (m = n + 1 > cap ? n + 1 - (unsigned)cap : 0; m <= n; m++)
				assert_cached(dc, m * 7919u, 2.0);
			if (n >= cap) assert_absent(dc, (n - (unsigned)cap) * 7919u, 2.0);
		}
	}
	talloc_free(dc);
}
END_TEST

START_TEST(test_bad_args)
{
	ck_assert_ptr_null(dupcache_new(ctx, 0, 5));
	ck_assert_ptr_null(dupcache_new(ctx, (1u << 24) + 1, 5));
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
	tcase_add_test(tc, test_big_replies);
	tcase_add_test(tc, test_evictions_mixed_sizes);
	tcase_add_test(tc, test_ttl_order);
	tcase_add_test(tc, test_same_key_twice);
	tcase_add_test(tc, test_index_churn);
	tcase_add_test(tc, test_bad_args);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
