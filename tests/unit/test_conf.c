/*
 * Unit tests for src/conf: the default raddb/ and tests/unit/data/conf/good load, clients are
 * found by longest prefix (IPv4, IPv6, IPv4-mapped), users by name then DEFAULT, and reply
 * attributes carry the right wire octets (RFC 2868 tags, RFC 3580 VLAN attributes).
 */
#include <arpa/inet.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <talloc.h>

#include "conf/conf.h"
#include "dict/dict.h"
#include "util/err.h"

#include "conf_fixture.h"

static struct conf *load(char const *rel)
{
	char dir[4096];
	struct conf *conf;

	snprintf(dir, sizeof(dir), "%s/%s", srcdir(), rel);
	conf = conf_load(ctx, dir, dict);
	ck_assert_msg(conf != NULL, "conf_load(%s): %s", rel, err_msg());
	return conf;
}

static struct conf_client const *find4(struct conf const *conf, char const *ip)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(40000) };

	ck_assert_int_eq(inet_pton(AF_INET, ip, &sin.sin_addr), 1);
	return conf_client_find(conf, (struct sockaddr const *)&sin);
}

static struct conf_client const *find6(struct conf const *conf, char const *ip)
{
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6, .sin6_port = htons(40000) };

	ck_assert_int_eq(inet_pton(AF_INET6, ip, &sin6.sin6_addr), 1);
	return conf_client_find(conf, (struct sockaddr const *)&sin6);
}

static struct users_entry const *user(struct conf const *conf, char const *name)
{
	return conf_user_find(conf, name, strlen(name));
}

static void reply_is(struct users_entry const *e, size_t i, char const *attr, char const *hex)
{
	uint8_t want[64];
	size_t n = strlen(hex) / 2, k;

	ck_assert_uint_lt(i, e->n_reply);
	ck_assert_str_eq(e->reply[i].da->name, attr);
	for (k = 0; k < n; k++) {
		unsigned v;

		ck_assert_int_eq(sscanf(hex + 2 * k, "%2x", &v), 1);
		want[k] = (uint8_t)v;
	}
	ck_assert_uint_eq(e->reply[i].len, n);
	ck_assert_mem_eq(e->reply[i].value, want, n);
}

START_TEST(test_default_raddb)
{
	struct conf *conf = load("raddb");
	struct users_entry const *e;

	ck_assert_uint_eq(conf->workers, 0);
	ck_assert_uint_eq(conf->duplicate_ttl, 5);
	ck_assert_uint_eq(conf->max_requests, 65536);
	ck_assert_uint_eq(conf->n_listens, 2);
	ck_assert_int_eq(conf->listens[0].type, CONF_LISTEN_AUTH);
	ck_assert_int_eq(ntohs(((struct sockaddr_in *)&conf->listens[0].addr)->sin_port), 1812);
	ck_assert_int_eq(conf->listens[1].type, CONF_LISTEN_ACCT);
	ck_assert_int_eq(ntohs(((struct sockaddr_in *)&conf->listens[1].addr)->sin_port), 1813);
	ck_assert_uint_eq(conf->listens[0].addr_len, sizeof(struct sockaddr_in));
	ck_assert_str_eq(conf->detail_file, "/var/log/latchd/detail");
	ck_assert(!conf->detail_fsync);
	ck_assert_uint_eq(conf->n_clients, 2);
	ck_assert_str_eq(find4(conf, "127.0.0.1")->name, "localhost");
	ck_assert_str_eq(find6(conf, "::1")->name, "localhost6");
	ck_assert_uint_eq(find4(conf, "127.0.0.1")->secret_len, 10);
	ck_assert_mem_eq(find4(conf, "127.0.0.1")->secret, "testing123", 10);
	ck_assert(find4(conf, "127.0.0.1")->require_ma);
	ck_assert(find4(conf, "127.0.0.1")->limit_proxy_state);
	e = user(conf, "bob");
	ck_assert_ptr_nonnull(e);
	ck_assert_str_eq(e->cleartext, "hello");
	reply_is(e, 0, "Reply-Message", "48656c6c6f2c20626f62");
	ck_assert_ptr_null(user(conf, "nobody"));
	talloc_free(conf);
}
END_TEST

START_TEST(test_main_settings)
{
	struct conf *conf = load("tests/unit/data/conf/good");
	struct sockaddr_in6 const *s6;
	struct sockaddr_in const *s4;
	char want[4200];

	ck_assert_uint_eq(conf->workers, 4);
	ck_assert_uint_eq(conf->duplicate_ttl, 10);
	ck_assert_uint_eq(conf->max_requests, 1000);
	ck_assert_uint_eq(conf->n_listens, 3);
	s4 = (struct sockaddr_in const *)&conf->listens[0].addr;
	ck_assert_int_eq(s4->sin_family, AF_INET);
	ck_assert_uint_eq(s4->sin_addr.s_addr, htonl(INADDR_ANY));
	ck_assert_int_eq(ntohs(s4->sin_port), 1812);
	ck_assert_int_eq(conf->listens[0].line, 1);
	ck_assert(strstr(conf->listens[0].file, "good/listen.conf") != NULL);
	s6 = (struct sockaddr_in6 const *)&conf->listens[1].addr;
	ck_assert_int_eq(s6->sin6_family, AF_INET6);
	ck_assert(IN6_IS_ADDR_LOOPBACK(&s6->sin6_addr));
	ck_assert_int_eq(ntohs(s6->sin6_port), 11813);
	ck_assert_int_eq(conf->listens[1].type, CONF_LISTEN_ACCT);
	ck_assert_uint_eq(conf->listens[2].addr_len, sizeof(struct sockaddr_in6));
	snprintf(want, sizeof(want), "%s/tests/unit/data/conf/good/detail", srcdir());
	ck_assert_str_eq(conf->detail_file, want);
	ck_assert(conf->detail_fsync);
	talloc_free(conf);
}
END_TEST

START_TEST(test_client_lookup)
{
	struct conf *conf = load("tests/unit/data/conf/good");
	struct conf_client const *c;
	struct sockaddr sa = { .sa_family = AF_UNIX };
	size_t i;

	ck_assert_uint_eq(conf->n_clients, 6);
	for (i = 1; i < conf->n_clients; i++)	/* most specific first */
		ck_assert_uint_ge(conf->clients[i - 1].prefix_len, conf->clients[i].prefix_len);
	c = find4(conf, "192.0.2.10");	/* exact host beats its /24 */
	ck_assert_str_eq(c->name, "host10");
	ck_assert_uint_eq(c->prefix_len, 32);
	ck_assert_uint_eq(c->secret_len, strlen("host\\secret"));
	ck_assert_mem_eq(c->secret, "host\\secret", c->secret_len);
	ck_assert(!c->require_ma);
	ck_assert(!c->limit_proxy_state);
	c = find4(conf, "192.0.2.11");
	ck_assert_str_eq(c->name, "net24");
	ck_assert(c->require_ma && c->limit_proxy_state);
	ck_assert_mem_eq(c->secret, "net-secret", c->secret_len);
	ck_assert_str_eq(find4(conf, "198.51.100.255")->name, "198.51.100.0/24");
	ck_assert_ptr_null(find4(conf, "192.0.3.1"));
	ck_assert_ptr_null(find4(conf, "127.0.0.1"));
	ck_assert_str_eq(find6(conf, "2001:db8::5")->name, "v6host");
	ck_assert_str_eq(find6(conf, "2001:db8:ffff::1")->name, "v6net");
	ck_assert_ptr_null(find6(conf, "2001:db9::1"));
	ck_assert_ptr_null(find6(conf, "::1"));
	ck_assert_str_eq(find6(conf, "::ffff:192.0.2.10")->name, "host10");	/* v4-mapped */
	ck_assert_str_eq(find6(conf, "::ffff:192.0.2.99")->name, "net24");
	c = find4(conf, "203.0.113.7");	/* configured as ::ffff:203.0.113.0/120 */
	ck_assert_str_eq(c->name, "mapped");
	ck_assert_uint_eq(c->prefix_len, 24);
	ck_assert_ptr_null(conf_client_find(conf, &sa));
	talloc_free(conf);
}
END_TEST

START_TEST(test_users)
{
	struct conf *conf = load("tests/unit/data/conf/good");
	static uint8_t const nt[16] = { 0x88, 0x46, 0xf7, 0xea, 0xee, 0x8f, 0xb1, 0x17,
					0xad, 0x06, 0xbd, 0xd8, 0x30, 0xb7, 0x58, 0x6c };
	struct users_entry const *e;

	ck_assert_uint_eq(conf->n_users, 5);
	e = user(conf, "bob");
	ck_assert_str_eq(e->cleartext, "hello");
	ck_assert_uint_eq(e->cleartext_len, 5);
	ck_assert(!e->has_nt_hash && !e->is_default);
	ck_assert_int_eq(e->auth_type, USERS_AUTH_DEFAULT);
	ck_assert_int_eq(e->line, 2);
	e = user(conf, "john doe");
	ck_assert_str_eq(e->cleartext, "a \"quoted\" pass");
	ck_assert_int_eq(e->auth_type, USERS_AUTH_ACCEPT);
	ck_assert_uint_eq(e->n_reply, 4);
	reply_is(e, 0, "Tunnel-Type", "0000000d");
	reply_is(e, 1, "Tunnel-Medium-Type", "00000006");
	reply_is(e, 2, "Tunnel-Private-Group-Id", "3130");
	reply_is(e, 3, "Session-Timeout", "00000e10");
	e = user(conf, "carol");
	ck_assert(e->has_nt_hash);
	ck_assert_ptr_null(e->cleartext);
	ck_assert_mem_eq(e->nt_hash, nt, 16);
	reply_is(e, 0, "Tunnel-Type", "0100000d");
	ck_assert_uint_eq(e->reply[1].len, 7);	/* tag octet + "s3cret", hidden only on encode */
	ck_assert_int_eq(e->reply[1].value[0], 1);
	ck_assert_mem_eq(e->reply[1].value + 1, "s3cret", 6);
	e = user(conf, "mallory");	/* first DEFAULT */
	ck_assert(e->is_default);
	ck_assert_int_eq(e->auth_type, USERS_AUTH_REJECT);
	ck_assert_int_eq(e->line, 14);
	reply_is(e, 0, "Reply-Message", "66697273742064656661756c74");
	ck_assert(conf_user_find(conf, "bobby", 3) == user(conf, "bob"));	/* uses len */
	ck_assert(conf_user_find(conf, "", 0) == e);
	talloc_free(conf);
}
END_TEST

/* A reload builds a second, independent tree while the first is in use. */
START_TEST(test_reload)
{
	struct conf *a = load("tests/unit/data/conf/good");
	struct conf *b = load("tests/unit/data/conf/good");
	struct conf_client const *ca = find4(a, "192.0.2.10");

	ck_assert_ptr_ne(a, b);
	talloc_free(b);
	ck_assert_str_eq(ca->name, "host10");
	ck_assert_str_eq(user(a, "bob")->cleartext, "hello");
	talloc_free(a);
}
END_TEST

static Suite *conf_suite(void)
{
	Suite *s = suite_create("conf");
	TCase *tc = tcase_create("load");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_default_raddb);
	tcase_add_test(tc, test_main_settings);
	tcase_add_test(tc, test_client_lookup);
	tcase_add_test(tc, test_users);
	tcase_add_test(tc, test_reload);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(conf_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
