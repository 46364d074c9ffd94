/*
 * main() of the Check suites that need the lab PKI (tls, cert, resumption tests): make the
 * PKI, run the suite, remove the PKI. Header-only, so the Check-free users of
 * test_tls_harness.c (bench/tls_resume_cpu.c) do not need libcheck.
 */
#ifndef LATCHD_TESTS_PKI_SUITE_H
#define LATCHD_TESTS_PKI_SUITE_H

#include "test_tls_harness.h"

#include <check.h>
#include <stdlib.h>

/* Make alg's PKI ("rsa", "ecdsa", "both"), call prepare (NULL: none) to add files to it, run
 * suite s, remove the PKI. Returns main()'s exit status. */
static inline int pki_run_suite(Suite *s, char const *alg, void (*prepare)(void))
{
	SRunner *sr;
	int failed;

	pki_make(alg);
	if (prepare)
		prepare();
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	pki_remove();
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

#endif
