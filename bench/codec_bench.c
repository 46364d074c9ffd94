/*
 * codec_bench: nanoseconds per call of the RADIUS codec steps on latchd's PAP path, for a
 * typical Access-Request (Message-Authenticator first, RFC 3579 3.2; User-Name; User-Password
 * hidden per RFC 2865 5.2; NAS-IP-Address; NAS-Port) and its Access-Accept (Reply-Message,
 * Message-Authenticator, Response Authenticator, RFC 2865 3). Figures are this thread's CPU
 * time per call, averaged over ITERATIONS after a warm-up. Not a test: it asserts no timing.
 *
 * usage: codec_bench [-n ITERATIONS] [-D DICTIONARY_FILE]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <talloc.h>

#include "radius/radius.h"
#include "util/err.h"

#define BENCH_SECRET "benchsecret"
#define BENCH_PASS "benchpass"

struct bench {
	TALLOC_CTX *ctx;
	struct dict const *dict;
	uint8_t req[RAD_MAX_LEN];
	size_t req_len;
	struct rad_packet *pkt;		/* the request, decoded once */
	struct rad_attr const *pw;
	unsigned long n;
	volatile unsigned long sink;	/* keeps results alive */
};

/* This thread's CPU time: on a shared machine wall time would count other processes too. */
static uint64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void bench_die(char const *what)
{
	fprintf(stderr, "codec_bench: %s: %s\n", what, err_msg());
	exit(1);
}

/* The request as latchd-load sends it. */
static void bench_build_request(struct bench *b)
{
	struct rad_packet *p = rad_packet_new(b->ctx, b->dict, RAD_ACCESS_REQUEST, 42);
	uint8_t nas_ip[4] = {127, 0, 0, 1}, nas_port[4] = {0, 0, 0x30, 0x39};
	ssize_t n;
	size_t i;

	if (!p) bench_die("rad_packet_new");
	for (i = 0; i < RAD_VECTOR_LEN; i++) p->vector[i] = (uint8_t)(i * 37 + 11);
	if (rad_attr_add(p, 0, RAD_ATTR_USER_NAME, "bench", 5) < 0 ||
	    rad_attr_add(p, 0, RAD_ATTR_USER_PASSWORD, BENCH_PASS, strlen(BENCH_PASS)) < 0 ||
	    rad_attr_add(p, 0, RAD_ATTR_NAS_IP_ADDRESS, nas_ip, 4) < 0 ||
	    rad_attr_add(p, 0, RAD_ATTR_NAS_PORT, nas_port, 4) < 0)
		bench_die("rad_attr_add");
	n = rad_packet_encode(p, b->req, sizeof(b->req), (uint8_t const *)BENCH_SECRET,
			      strlen(BENCH_SECRET), NULL, RAD_ENC_ADD_MA);
	if (n < 0) bench_die("encode request");
	b->req_len = (size_t)n;
	talloc_free(p);
	b->pkt = rad_packet_decode(b->ctx, b->dict, b->req, b->req_len, NULL);
	if (!b->pkt) bench_die("decode request");
	b->pw = rad_attr_find(b->pkt, 0, RAD_ATTR_USER_PASSWORD);
	if (!b->pw) bench_die("no User-Password");
}

static void bench_decode(struct bench *b)
{
	struct rad_packet *p = rad_packet_decode(b->ctx, b->dict, b->req, b->req_len, NULL);

	if (!p) bench_die("decode");
	b->sink += p->n_attrs;
	talloc_free(p);
}

static void bench_verify(struct bench *b)
{
	enum rad_ma_status st = rad_packet_check_ma(b->pkt, (uint8_t const *)BENCH_SECRET,
						    strlen(BENCH_SECRET), NULL);

	if (st != RAD_MA_VALID) bench_die("Message-Authenticator");
	b->sink += st;
}

static void bench_unhide(struct bench *b)
{
	uint8_t plain[128];
	ssize_t n = rad_password_unhide(plain, sizeof(plain), b->pw->value, b->pw->len,
					(uint8_t const *)BENCH_SECRET, strlen(BENCH_SECRET),
					b->pkt->vector);

	if (n != (ssize_t)strlen(BENCH_PASS)) bench_die("unhide");
	b->sink += plain[0];
}

/* The reply as latchd builds it: a new packet, attributes added, encoded with MA. */
static void bench_encode(struct bench *b)
{
	static char const msg[] = "Hello, bench";
	uint8_t out[RAD_MAX_LEN];
	struct rad_packet *r = rad_packet_new(b->ctx, b->dict, RAD_ACCESS_ACCEPT, b->pkt->id);
	ssize_t n;

	if (!r || rad_attr_add(r, 0, RAD_ATTR_REPLY_MESSAGE, msg, sizeof(msg) - 1) < 0)
		bench_die("reply");
	n = rad_packet_encode(r, out, sizeof(out), (uint8_t const *)BENCH_SECRET,
			      strlen(BENCH_SECRET), b->pkt->vector, RAD_ENC_ADD_MA);
	if (n < 0) bench_die("encode");
	b->sink += out[4];
	talloc_free(r);
}

static void bench_all(struct bench *b)
{
	bench_decode(b);
	bench_verify(b);
	bench_unhide(b);
	bench_encode(b);
}

static void bench_run(struct bench *b, char const *name, void (*fn)(struct bench *))
{
	unsigned long i, warm = b->n / 10 + 1;
	uint64_t t0;

	for (i = 0; i < warm; i++) fn(b);
	t0 = bench_now_ns();
	for (i = 0; i < b->n; i++) fn(b);
	printf("%-28s %8.1f ns CPU\n", name, (double)(bench_now_ns() - t0) / (double)b->n);
}

int main(int argc, char **argv)
{
	struct bench b = {.n = 1000000};
	char const *dict_path = NULL;
	int c;

	while ((c = getopt(argc, argv, "n:D:")) != -1) {
		if (c == 'n') b.n = strtoul(optarg, NULL, 10);
		else if (c == 'D') dict_path = optarg;
		else {
			fprintf(stderr, "usage: codec_bench [-n ITERATIONS] [-D DICTIONARY_FILE]\n");
			return 2;
		}
	}
	if (b.n == 0) b.n = 1;
	b.ctx = talloc_new(NULL);
	if (dict_path) {
		b.dict = dict_load(b.ctx, dict_path);
		if (!b.dict) bench_die(dict_path);
	}
	bench_build_request(&b);
	printf("request %zu octets, %lu iterations, dictionary %s\n", b.req_len, b.n,
	       dict_path ? dict_path : "(none)");
	bench_run(&b, "decode", bench_decode);
	bench_run(&b, "verify (Message-Auth)", bench_verify);
	bench_run(&b, "unhide (User-Password)", bench_unhide);
	bench_run(&b, "encode reply (MA + RespAuth)", bench_encode);
	bench_run(&b, "all four", bench_all);
	talloc_free(b.ctx);
	return 0;
}
