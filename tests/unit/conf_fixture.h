/*
 * Fixture shared by the configuration test suites: the shipped dictionary (from $top_srcdir)
 * and a talloc context that must have no children left at teardown (no leaks, including
 * after a failed load).
 */
#ifndef LATCHD_TESTS_CONF_FIXTURE_H
#define LATCHD_TESTS_CONF_FIXTURE_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <talloc.h>

#include "dict/dict.h"
#include "util/err.h"

static TALLOC_CTX *ctx;
static TALLOC_CTX *dict_ctx;
static struct dict *dict;

static char const *srcdir(void)
{
	char const *top = getenv("top_srcdir");

	return top ? top : ".";
}

static void setup(void)
{
	char path[4096];

	dict_ctx = talloc_new(NULL);
	snprintf(path, sizeof(path), "%s/dictionaries/dictionary", srcdir());
	dict = dict_load(dict_ctx, path);
	ck_assert_msg(dict != NULL, "dict_load: %s", err_msg());
	ctx = talloc_new(NULL);
}

static void teardown(void)
{
	ck_assert_int_eq(talloc_total_blocks(ctx), 1);	/* nothing left behind */
	talloc_free(ctx);
	talloc_free(dict_ctx);
}

#endif
