/*
 * Unit tests for the EAP session table (src/server/session_table.c): lookup, busy sessions,
 * expiry, and the eviction policy that keeps progressed sessions through a flood of starts
 * and new ones through a table full of abandoned progressed conversations.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "server/session_table.h"

static TALLOC_CTX *ctx;
static int freed;
static int created;
static struct session_owner const nas = {{4, 0, 0, 0, 127, 0, 0, 1}};

static int data_destructor(int *p)
{
	freed++;
	return 0;
}

static void *new_data(void)
{
	int *p = talloc_zero(NULL, int);

	created++;

	talloc_set_destructor(p, data_destructor);
	return p;
}

static void setup(void)
{
	ctx = talloc_new(NULL);
	freed = 0;
	created = 0;
}

static void teardown(void)
{
	talloc_free(ctx);
	/* Every session's data was freed with the table: nothing leaked. */
	ck_assert_int_eq(freed, created);
}

START_TEST(test_add_checkout_checkin)
{
	struct session_table *t = session_table_new(ctx, 100, 30);
	uint8_t state[SESSION_STATE_LEN];
	enum session_miss why;
	void *d = new_data();

	ck_assert_int_eq(session_table_add(t, &nas, d, state, 1.0), 0);
	/* Checked out on creation: a second packet is told busy. */
	ck_assert_ptr_null(session_table_checkout(t, &nas, state, sizeof(state), 1.0, &why));
	ck_assert_int_eq(why, SESSION_BUSY);
	session_table_checkin(t, state, 1.0, false, false);
	ck_assert_ptr_eq(session_table_checkout(t, &nas, state, sizeof(state), 2.0, &why), d);
	ck_assert_int_eq(why, SESSION_FOUND);
	session_table_checkin(t, state, 2.0, true, false);
	ck_assert_ptr_null(session_table_checkout(t, &nas, state, 15, 2.0, &why));
	ck_assert_int_eq(why, SESSION_BAD_STATE);
	state[5] ^= 1;
	ck_assert_ptr_null(session_table_checkout(t, &nas, state, sizeof(state), 2.0, &why));
	ck_assert_int_eq(why, SESSION_UNKNOWN);
	state[5] ^= 1;
	/* Finished: freed at once, unknown afterwards. */
	ck_assert_ptr_nonnull(session_table_checkout(t, &nas, state, sizeof(state), 3.0, &why));
	session_table_checkin(t, state, 3.0, true, true);
	ck_assert_int_eq(freed, 1);
	ck_assert_ptr_null(session_table_checkout(t, &nas, state, sizeof(state), 3.0, &why));
	ck_assert_uint_eq(session_table_count(t), 0);
}
END_TEST

/* A session belongs to the NAS that started it: another owner's checkout is refused and
 * changes nothing (not busy, not refreshed), the owner carries on. */
START_TEST(test_owner)
{
	struct session_table *t = session_table_new(ctx, 100, 30);
	struct session_owner other = nas;
	uint8_t state[SESSION_STATE_LEN];
	enum session_miss why;
	void *d = new_data();

	other.b[7] = 2; /* 127.0.0.2 */
	ck_assert_int_eq(session_table_add(t, &nas, d, state, 1.0), 0);
	session_table_checkin(t, state, 1.0, true, false);
	ck_assert_ptr_null(session_table_checkout(t, &other, state, sizeof(state), 30.0, &why));
	ck_assert_int_eq(why, SESSION_OTHER_OWNER);
	ck_assert_str_eq(session_miss_name(why),
			 "State of a conversation another NAS (source address) started");
	ck_assert_ptr_eq(session_table_checkout(t, &nas, state, sizeof(state), 30.0, &why), d);
	session_table_checkin(t, state, 30.0, true, false);
	/* the other owner's tries do not keep it alive: idle 30 s after 30.0 */
	ck_assert_ptr_null(session_table_checkout(t, &other, state, sizeof(state), 59.0, &why));
	ck_assert_ptr_null(session_table_checkout(t, &nas, state, sizeof(state), 60.0, &why));
	ck_assert_int_eq(why, SESSION_UNKNOWN);
}
END_TEST

/* A session given back without a round (an ignored packet) is not refreshed. */
START_TEST(test_release)
{
	struct session_table *t = session_table_new(ctx, 100, 30);
	uint8_t state[SESSION_STATE_LEN];
	enum session_miss why;

	ck_assert_int_eq(session_table_add(t, &nas, new_data(), state, 1.0), 0);
	session_table_checkin(t, state, 1.0, true, false);
	ck_assert_ptr_nonnull(session_table_checkout(t, &nas, state, sizeof(state), 30.0, &why));
	session_table_release(t, state);
	ck_assert_ptr_null(session_table_checkout(t, &nas, state, sizeof(state), 31.0, &why));
	ck_assert_int_eq(why, SESSION_UNKNOWN); /* idle since 1.0 */
}
END_TEST

START_TEST(test_expiry)
{
	struct session_table *t = session_table_new(ctx, 100, 30);
	uint8_t a[SESSION_STATE_LEN], b[SESSION_STATE_LEN];
	enum session_miss why;

	session_table_add(t, &nas, new_data(), a, 0.0);
	session_table_checkin(t, a, 0.0, false, false);
	session_table_add(t, &nas, new_data(), b, 20.0);
	session_table_checkin(t, b, 20.0, false, false);
	ck_assert_ptr_null(session_table_checkout(t, &nas, a, sizeof(a), 31.0, &why));
	ck_assert_int_eq(why, SESSION_UNKNOWN);
	ck_assert_uint_eq(session_table_expire(t, 31.0), 1);
	ck_assert_int_eq(freed, 1);
	ck_assert_uint_eq(session_table_count(t), 1);
}
END_TEST

/* One expiry pass frees at most 256 sessions per shard; the next pass the rest. */
START_TEST(test_expiry_bounded)
{
	struct session_table *t = session_table_new(ctx, 16 * 1024, 30);
	uint8_t s[SESSION_STATE_LEN];
	enum session_miss why;
	size_t first, second;
	unsigned i;

	for (i = 0; i < 10000; i++) {
		ck_assert_int_eq(session_table_add(t, &nas, new_data(), s, 0.0), 0);
		session_table_checkin(t, s, 0.0, false, false);
	}
	first = session_table_expire(t, 31.0);
	ck_assert_uint_le(first, 16 * 256);
	ck_assert_uint_gt(first, 0);
	/* the ones left are expired for lookups already */
	ck_assert_ptr_null(session_table_checkout(t, &nas, s, sizeof(s), 31.0, &why));
	second = session_table_expire(t, 31.0);
	while (session_table_count(t) > 0 && second < 10000)
		second += session_table_expire(t, 31.0);
	ck_assert_uint_eq(first + second, 10000);
}
END_TEST

START_TEST(test_flood_keeps_progressed)
{
	/* 64 slots; 10 users get past their first round, then 20000 starts arrive. */
	struct session_table *t = session_table_new(ctx, 64, 30);
	uint8_t users[10][SESSION_STATE_LEN], s[SESSION_STATE_LEN];
	enum session_miss why;
	unsigned i;

	for (i = 0; i < 10; i++) {
		ck_assert_int_eq(session_table_add(t, &nas, new_data(), users[i], 1.0), 0);
		session_table_checkin(t, users[i], 1.0, true, false);
	}
	for (i = 0; i < 20000; i++) {
		ck_assert_int_eq(session_table_add(t, &nas, new_data(), s, 2.0), 0);
		session_table_checkin(t, s, 2.0, false, false);
		ck_assert_uint_le(session_table_count(t), 64);
	}
	for (i = 0; i < 10; i++) {
		ck_assert_ptr_nonnull(session_table_checkout(t, &nas, users[i], SESSION_STATE_LEN, 3.0, &why));
		session_table_checkin(t, users[i], 3.0, true, false);
	}
	ck_assert_uint_ge(session_table_evictions(t), 20000 - 64);
}
END_TEST

/*
 * A NAS fills the table with conversations it took past their first round and abandoned;
 * later its new starts must evict those, not a user's new session (which the old policy,
 * "new sessions always first", did at the first start landing in the user's shard).
 */
START_TEST(test_abandoned_progressed_go_first)
{
	struct session_table *t = session_table_new(ctx, 16 * 64, 30);
	uint8_t user[SESSION_STATE_LEN], s[SESSION_STATE_LEN];
	enum session_miss why;
	unsigned i;

	for (i = 0; i < 16 * 64; i++) {
		ck_assert_int_eq(session_table_add(t, &nas, new_data(), s, 0.0), 0);
		session_table_checkin(t, s, 0.0, true, false);
	}
	ck_assert_int_eq(session_table_add(t, &nas, new_data(), user, 10.0), 0);
	session_table_checkin(t, user, 10.0, false, false);
	/* 200 more of the same, a few ms later: about 12 per shard, 63 stale ones in each. */
	for (i = 0; i < 200; i++) {
		ck_assert_int_eq(session_table_add(t, &nas, new_data(), s, 10.01), 0);
		session_table_checkin(t, s, 10.01, true, false);
	}
	ck_assert_ptr_nonnull(session_table_checkout(t, &nas, user, SESSION_STATE_LEN, 10.05, &why));
	session_table_checkin(t, user, 10.05, true, false);
	ck_assert_uint_le(session_table_count(t), 16 * 64);
}
END_TEST

/* Progressed sessions in use (rounds less than SESSION_STALE apart) keep their priority
 * through a long flood of starts. */
START_TEST(test_active_progressed_survive_long_flood)
{
	struct session_table *t = session_table_new(ctx, 64, 30);
	uint8_t users[10][SESSION_STATE_LEN], s[SESSION_STATE_LEN];
	enum session_miss why;
	unsigned i, u, sec;

	for (u = 0; u < 10; u++) {
		ck_assert_int_eq(session_table_add(t, &nas, new_data(), users[u], 0.0), 0);
		session_table_checkin(t, users[u], 0.0, true, false);
	}
	for (sec = 1; sec <= 10; sec++) {	/* 1000 starts a second; each user a round a second */
		for (i = 0; i < 1000; i++) {
			ck_assert_int_eq(session_table_add(t, &nas, new_data(), s, sec), 0);
			session_table_checkin(t, s, sec, false, false);
		}
		for (u = 0; u < 10; u++) {
			ck_assert_ptr_nonnull(session_table_checkout(t, &nas, users[u],
								     SESSION_STATE_LEN, sec + 0.5,
								     &why));
			session_table_checkin(t, users[u], sec + 0.5, true, false);
		}
	}
}
END_TEST

START_TEST(test_busy_not_evicted)
{
	struct session_table *t = session_table_new(ctx, 1, 30);
	uint8_t a[SESSION_STATE_LEN] = {0}, b[SESSION_STATE_LEN] = {0};

	/* Every shard has one slot; fill until an add fails because all are busy. */
	unsigned i, failed = 0;

	for (i = 0; i < 200; i++)
		if (session_table_add(t, &nas, new_data(), i % 2 ? a : b, 1.0) < 0) failed++;
	ck_assert_uint_gt(failed, 0);
	ck_assert_uint_le(session_table_count(t), 16);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("session_table");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_add_checkout_checkin);
	tcase_add_test(tc, test_owner);
	tcase_add_test(tc, test_release);
	tcase_add_test(tc, test_expiry);
	tcase_add_test(tc, test_expiry_bounded);
	tcase_add_test(tc, test_flood_keeps_progressed);
	tcase_add_test(tc, test_abandoned_progressed_go_first);
	tcase_add_test(tc, test_active_progressed_survive_long_flood);
	tcase_add_test(tc, test_busy_not_evicted);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
