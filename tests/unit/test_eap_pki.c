/*
 * Runs scripts/pki (the lab PKI for EAP-TLS tests) into a temporary directory: the script
 * checks its own certificates with openssl verify; this test checks it succeeds, writes the
 * documented layout and is idempotent. Skipped (exit 77) without the openssl program.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <talloc.h>
#include <unistd.h>

static TALLOC_CTX *ctx;
static char *dir;

static void setup(void)
{
	ctx = talloc_new(NULL);
	ck_assert_ptr_nonnull(ctx);
	dir = talloc_strdup(ctx, "/tmp/latchd-pki-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
	char *cmd = talloc_asprintf(ctx, "rm -rf '%s'", dir);

	ck_assert_int_eq(system(cmd), 0);
	talloc_free(cmd);
	talloc_free(dir);
	ck_assert_uint_eq(talloc_total_blocks(ctx), 1); /* no children left: no leak */
	talloc_free(ctx);
}

static char const *srcdir(void)
{
	char const *s = getenv("top_srcdir");

	return s && *s ? s : ".";
}

/* Run the script quietly; returns its exit status. */
static int run_pki(char const *alg)
{
	char *cmd = talloc_asprintf(ctx, "'%s/scripts/pki' '%s' %s >'%s/out.txt' 2>&1", srcdir(),
				    dir, alg, dir);
	int rc = system(cmd);

	talloc_free(cmd);
	return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static void assert_file(char const *alg, char const *name)
{
	char *p = talloc_asprintf(ctx, "%s/%s/%s", dir, alg, name);
	struct stat st;

	ck_assert_msg(stat(p, &st) == 0 && st.st_size > 0, "missing %s", p);
	talloc_free(p);
}

START_TEST(test_pki_both)
{
	static char const *const files[] = {
		"ca.pem", "ca.key", "intermediate.pem", "ca-chain.pem", "crl.pem",
		"crl-bundle.pem", "unknown-ca.pem", "server.key", "server.pem",
		"server-chain.pem", "good.key", "good.pem", "good-chain.pem", "expired.pem",
		"revoked.pem", "unknown.pem", "unknown-chain.pem", "noclientauth.pem",
		"ca-dir/root.pem",
	};
	static char const *const algs[] = {"rsa", "ecdsa"};

	ck_assert_int_eq(run_pki("both"), 0);
	for (size_t a = 0; a < 2; a++) {
		for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
			assert_file(algs[a], files[i]);
	}
	/* Idempotent: a second run skips and succeeds. */
	ck_assert_int_eq(run_pki("both"), 0);
	/* Bad usage fails. */
	ck_assert_int_ne(run_pki("dsa"), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("eap_pki");
	TCase *tc = tcase_create("script");
	SRunner *sr;
	int failed;

	if (system("openssl version >/dev/null 2>&1") != 0) return 77;
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_pki_both);
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
