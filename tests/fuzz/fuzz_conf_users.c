/*
 * libFuzzer target for the configuration parser (src/conf): the input becomes the users file
 * of a fixed, valid latchd.conf, then clients.conf, then latchd.conf itself, each loaded with
 * conf_load(). Any input must give a tree or an error with file:line, never a crash or leak.
 * Built and run by tests/fuzz/run.
 */
// sources: src/conf/*.c src/radius/*.c src/dict/*.c src/util/*.c
// seeds: tests/vectors/radius_hide.txt
// seed-files: raddb/users raddb/clients.conf raddb/latchd.conf
#include "conf/conf.h"
#include "util/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static struct dict *fuzz_dict;
static char dir[64];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(uint8_t const *data, size_t size);

static void write_file(char const *name, void const *data, size_t len)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f) abort();
	if (len) fwrite(data, 1, len, f);
	fclose(f);
}

static char const main_conf[] =
	"listen {\n type = auth\n ipaddr = 127.0.0.1\n port = 1812\n}\n"
	"clients = clients.conf\nusers = users\n";
static char const clients_conf[] = "client lo {\n ipaddr = 127.0.0.1\n secret = x\n}\n";
static char const users[] = "bob Cleartext-Password := \"x\"\n";

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char const *top = getenv("LATCHD_TOP");
	char path[4096];

	(void)argc;
	(void)argv;
	snprintf(path, sizeof(path), "%s/dictionaries/dictionary", top ? top : ".");
	fuzz_dict = dict_load(NULL, path);
	snprintf(dir, sizeof(dir), "/tmp/latchd-fuzz-conf.%d", (int)getpid());
	if (mkdir(dir, 0700) < 0 && access(dir, W_OK) < 0) abort();
	return 0;
}

static void load_once(void)
{
	TALLOC_CTX *ctx = talloc_new(NULL);
	struct conf *conf;

	err_clear();
	conf = conf_load(ctx, dir, fuzz_dict);

	if (!conf && err_msg()[0] == '\0') abort(); /* a failure must say why */
	talloc_free(ctx);
}

int LLVMFuzzerTestOneInput(uint8_t const *data, size_t size)
{
	write_file("latchd.conf", main_conf, sizeof(main_conf) - 1);
	write_file("clients.conf", clients_conf, sizeof(clients_conf) - 1);
	write_file("users", data, size);
	load_once();
	write_file("users", users, sizeof(users) - 1);
	write_file("clients.conf", data, size);
	load_once();
	write_file("clients.conf", clients_conf, sizeof(clients_conf) - 1);
	write_file("latchd.conf", data, size);
	load_once();
	return 0;
}
