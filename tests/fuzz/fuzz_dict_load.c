/*
 * libFuzzer target for the dictionary loader (src/dict): the input is a dictionary file
 * (which may $INCLUDE a fixed second file); dict_load() must give a dictionary or an error
 * naming file:line, never a crash or leak. Built and run by tests/fuzz/run.
 */
// sources: src/dict/*.c src/util/*.c
// seeds: tests/vectors/radius_hide.txt
// seed-files: dictionaries/dictionary.rfc2865 dictionaries/dictionary.microsoft dictionaries/dictionary.rfc6929
#include "dict/dict.h"
#include "util/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(uint8_t const *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char path[128];
	FILE *f;

	(void)argc;
	(void)argv;
	snprintf(dir, sizeof(dir), "/tmp/latchd-fuzz-dict.%d", (int)getpid());
	if (mkdir(dir, 0700) < 0 && access(dir, W_OK) < 0) abort();
	snprintf(path, sizeof(path), "%s/dictionary.inc", dir);
	f = fopen(path, "w");
	if (!f) abort();
	fputs("VENDOR Acme 9999 format=2,2\nBEGIN-VENDOR Acme\nATTRIBUTE Acme-X 1 string\n"
	      "END-VENDOR Acme\n", f);
	fclose(f);
	return 0;
}

int LLVMFuzzerTestOneInput(uint8_t const *data, size_t size)
{
	TALLOC_CTX *ctx = talloc_new(NULL);
	char path[128];
	struct dict *d;
	FILE *f;

	snprintf(path, sizeof(path), "%s/dictionary", dir);
	f = fopen(path, "w");
	if (!f) abort();
	if (size) fwrite(data, 1, size, f);
	fclose(f);
	err_clear();
	d = dict_load(ctx, path);
	if (!d && err_msg()[0] == '\0') abort(); /* a failure must say why */
	if (d) (void)dict_attr_by_name(d, "User-Name");
	talloc_free(ctx);
	return 0;
}
