/*
 * tls_floor: the OpenSSL floor for an EAP-TLS server (RFC 5216, RFC 9190). Performs N full
 * TLS handshakes in one process, a client SSL and a server SSL joined by memory BIOs, with
 * the certificates latchd uses (server chain, client chain, client certificate requested and
 * verified against the same CA, the same TLS version), and reports the server side's CPU
 * time per handshake: CLOCK_THREAD_CPUTIME_ID around the server-side calls only (SSL_new,
 * record copies in and out, SSL_do_handshake, the key export of RFC 5216 2.3 / RFC 9190 2.3,
 * SSL_free). No network, no EAP framing, no RADIUS: what any server must at least spend.
 * Benchmark tool for bench/eap_tls.sh; not part of the server or the tests.
 *
 * usage: tls_floor -c SERVER_CHAIN -k SERVER_KEY -a CA -C CLIENT_CHAIN -K CLIENT_KEY
 *                  [-v 1.2|1.3] [-n N] [-w WARMUP] [-N] [-M] [-p PAUSE_US] [-r]
 * -r adds, after each timed full handshake, a timed resumed one (OpenSSL's own stateless
 * ticket, from a session set up once without a client certificate, so that the ticket is
 * small and decoding it costs what a certificate-free latchd ticket costs; the server issues
 * a new ticket each time and the client uses the newest, as latchd and eapol_test do): the
 * least any OpenSSL server spends on a resumed handshake, and so the lowest resumed / full
 * ratio an EAP server built on it can reach (network round trips only add to both, to the
 * full handshake more), printed as resumed_ms=MEAN resumed_over_full=RATIO.
 * -N leaves the CA names out of the CertificateRequest, -M turns TLS 1.3's middlebox
 * compatibility ChangeCipherSpec off (both only to see what they cost in octets); -p sleeps
 * PAUSE_US between flights, as the network round trips of a real server do (other processes
 * then run and the caches cool down: CPU per handshake goes up).
 * prints: version=TLSv1.3 cipher=... group=... server_flights=OCTETS,... n=N
 *         server_ms=MEAN median_ms=M min_ms=M client_ms=MEAN
 * (server_flights: the TLS octets of each server flight, from the first handshake)
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#define MAX_N 100000
#define BUF_SIZE (64 * 1024)

struct opts {
	char const *cert, *key, *ca, *ccert, *ckey;
	int version;
	long n, warmup;
	int no_ca_names;	/* -N: no certificate_authorities / CA list in CertificateRequest */
	int no_compat;		/* -M: no TLS 1.3 middlebox-compatibility ChangeCipherSpec */
	long pause_us;		/* -p: sleep between flights, as a network round trip would */
	int resume;		/* -r: also time resumed handshakes */
};

static void die(char const *what)
{
	fprintf(stderr, "tls_floor: %s\n", what);
	ERR_print_errors_fp(stderr);
	exit(1);
}

static double now_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
		die("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* Both contexts get what latchd's tls_server_new sets: versions, no tickets, no cache. */
static void common_ctx(SSL_CTX *ctx, struct opts const *o, char const *cert, char const *key)
{
	if (SSL_CTX_set_min_proto_version(ctx, o->version) != 1 ||
	    SSL_CTX_set_max_proto_version(ctx, o->version) != 1)
		die("cannot set the TLS version");
	if (SSL_CTX_use_certificate_chain_file(ctx, cert) != 1)
		die("cannot load a certificate chain");
	if (SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1 ||
	    SSL_CTX_check_private_key(ctx) != 1)
		die("cannot load a private key");
	if (SSL_CTX_load_verify_locations(ctx, o->ca, NULL) != 1)
		die("cannot load the CA");
	SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET | SSL_OP_NO_RENEGOTIATION |
					 SSL_OP_NO_COMPRESSION);
	SSL_CTX_set_num_tickets(ctx, 0);
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
}

static SSL_CTX *server_ctx(struct opts const *o)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
	STACK_OF(X509_NAME) *names;

	if (!ctx)
		die("SSL_CTX_new failed");
	common_ctx(ctx, o, o->cert, o->key);
	SSL_CTX_set_options(ctx, SSL_OP_CIPHER_SERVER_PREFERENCE);
	names = o->no_ca_names ? NULL : SSL_load_client_CA_file(o->ca);
	if (names)
		SSL_CTX_set_client_CA_list(ctx, names);
	if (o->no_compat)
		SSL_CTX_clear_options(ctx, SSL_OP_ENABLE_MIDDLEBOX_COMPAT);
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
	return ctx;
}

static SSL_CTX *client_ctx(struct opts const *o)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());

	if (!ctx)
		die("SSL_CTX_new failed");
	common_ctx(ctx, o, o->ccert, o->ckey);
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	return ctx;
}

/* -r: a server that issues OpenSSL's stateless tickets and asks for no client certificate,
 * and a client without one that keeps its sessions. */
static SSL_CTX *resume_server_ctx(struct opts const *o)
{
	SSL_CTX *ctx = server_ctx(o);

	SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	SSL_CTX_clear_options(ctx, SSL_OP_NO_TICKET);
	SSL_CTX_set_num_tickets(ctx, 1);
	return ctx;
}

static SSL_CTX *resume_client_ctx(struct opts const *o)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());

	if (!ctx)
		die("SSL_CTX_new failed");
	if (SSL_CTX_set_min_proto_version(ctx, o->version) != 1 ||
	    SSL_CTX_set_max_proto_version(ctx, o->version) != 1 ||
	    SSL_CTX_load_verify_locations(ctx, o->ca, NULL) != 1)
		die("cannot set up the resuming client");
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	return ctx;
}

/* Move whatever 'from' wrote into 'to'. Returns the octets moved. */
static size_t pump(BIO *from, BIO *to, unsigned char *buf)
{
	size_t total = 0;
	int n;

	while ((n = BIO_read(from, buf, BUF_SIZE)) > 0) {
		if (BIO_write(to, buf, n) != n)
			die("BIO_write failed");
		total += (size_t)n;
	}
	return total;
}

/* One step of one side: 1 done, 0 wants more input, dies on error. */
static int step(SSL *ssl)
{
	int rc = SSL_do_handshake(ssl);

	if (rc == 1)
		return 1;
	if (SSL_get_error(ssl, rc) == SSL_ERROR_WANT_READ)
		return 0;
	die("handshake failed");
	return -1;
}

/* The server's step, kept out of line so that valgrind --tool=callgrind
 * --toggle-collect=server_step counts the server's handshake instructions alone. */
static __attribute__((noinline)) int server_step(SSL *ssl)
{
	return step(ssl);
}

struct sides {
	SSL *s, *c;
	BIO *s_in, *s_out, *c_in, *c_out;	/* BIOs owned by the SSLs */
};

static SSL *new_side(SSL_CTX *ctx, BIO **in, BIO **out)
{
	SSL *ssl = SSL_new(ctx);

	*in = BIO_new(BIO_s_mem());
	*out = BIO_new(BIO_s_mem());
	if (!ssl || !*in || !*out)
		die("out of memory");
	SSL_set_bio(ssl, *in, *out);
	return ssl;
}

/* One handshake; returns the server-side CPU ns, adds the client's to *client_ns. With
 * *session (-r): resumes it, must be resumed, and replaces it with the client's newest. */
static double handshake(SSL_CTX *sctx, SSL_CTX *cctx, unsigned char *buf, double *client_ns,
			char *info, size_t info_cap, long pause_us, SSL_SESSION **session)
{
	struct sides x;
	unsigned char keys[128];
	int s_done = 0, c_done = 0, rounds = 0;
	double t0, server = 0, client = 0;
	char flights[64] = "";
	size_t used = 0, sent;

	t0 = now_ns();
	x.c = new_side(cctx, &x.c_in, &x.c_out);
	SSL_set_connect_state(x.c);
	if (session && *session && SSL_set_session(x.c, *session) != 1)
		die("SSL_set_session failed");
	client += now_ns() - t0;
	t0 = now_ns();
	x.s = new_side(sctx, &x.s_in, &x.s_out);
	SSL_set_accept_state(x.s);
	server += now_ns() - t0;
	while (!(s_done && c_done)) {
		if (++rounds > 20)
			die("handshake does not finish in 20 rounds");
		if (pause_us > 0) {
			struct timespec ts = { .tv_sec = 0, .tv_nsec = pause_us * 1000 };

			nanosleep(&ts, NULL);
		}
		t0 = now_ns();
		if (!c_done)
			c_done = step(x.c);
		client += now_ns() - t0;
		t0 = now_ns();
		pump(x.c_out, x.s_in, buf);	/* the server reading the peer's records */
		if (!s_done)
			s_done = server_step(x.s);
		sent = pump(x.s_out, x.c_in, buf);	/* the server's records going out */
		server += now_ns() - t0;
		if (sent && used < sizeof(flights) - 12)
			used += (size_t)snprintf(flights + used, sizeof(flights) - used, "%s%zu",
						 used ? "," : "", sent);
	}
	t0 = now_ns();
	if (SSL_version(x.s) == TLS1_3_VERSION) {
		static unsigned char const type_tls = 0x0d;	/* RFC 9190 2.3 context */

		if (SSL_export_keying_material(x.s, keys, sizeof(keys),
					       "EXPORTER_EAP_TLS_Key_Material", 29, &type_tls,
					       1, 1) != 1)
			die("key export failed");
	} else if (SSL_export_keying_material(x.s, keys, sizeof(keys),
					      "client EAP encryption", 21, NULL, 0, 0) != 1) {
		die("key export failed");
	}
	if (!session && (SSL_get_verify_result(x.s) != X509_V_OK ||
			 !SSL_get0_peer_certificate(x.s)))
		die("client certificate not verified");
	if (session && *session && SSL_session_reused(x.s) != 1)
		die("the ticket was not resumed");
	if (info)
		snprintf(info, info_cap, "version=%s cipher=%s group=%s server_flights=%s",
			 SSL_get_version(x.s), SSL_get_cipher_name(x.s),
			 OBJ_nid2sn(SSL_get_negotiated_group(x.s) & ~TLSEXT_nid_unknown), flights);
	SSL_free(x.s);
	server += now_ns() - t0;
	t0 = now_ns();
	if (session) {
		/* TLS 1.3's ticket came after the handshake, in the last flight pumped above:
		 * reading makes the client take it into its session. */
		unsigned char byte;
		size_t got;

		if (SSL_read_ex(x.c, &byte, 1, &got) == 1)
			die("unexpected application data");
		/* Closed cleanly, or SSL_free would mark the session not resumable. */
		SSL_set_shutdown(x.c, SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
		SSL_SESSION_free(*session);
		*session = SSL_get1_session(x.c);
		if (!*session || !SSL_SESSION_is_resumable(*session))
			die("no resumable session from the server's ticket");
	}
	SSL_free(x.c);
	client += now_ns() - t0;
	*client_ns += client;
	return server;
}

static int cmp_double(void const *a, void const *b)
{
	double x = *(double const *)a, y = *(double const *)b;

	return x < y ? -1 : x > y;
}

static void usage(void)
{
	fprintf(stderr, "usage: tls_floor -c SERVER_CHAIN -k SERVER_KEY -a CA -C CLIENT_CHAIN "
			"-K CLIENT_KEY [-v 1.2|1.3] [-n N] [-w WARMUP] [-N] [-M] [-p PAUSE_US] "
			"[-r]\n");
	exit(2);
}

static void parse_args(int argc, char **argv, struct opts *o)
{
	int ch;

	memset(o, 0, sizeof(*o));
	o->version = TLS1_3_VERSION;
	o->n = 200;
	o->warmup = 10;
	while ((ch = getopt(argc, argv, "c:k:a:C:K:v:n:w:NMp:r")) != -1) {
		switch (ch) {
		case 'c': o->cert = optarg; break;
		case 'k': o->key = optarg; break;
		case 'a': o->ca = optarg; break;
		case 'C': o->ccert = optarg; break;
		case 'K': o->ckey = optarg; break;
		case 'v':
			if (strcmp(optarg, "1.2") == 0)
				o->version = TLS1_2_VERSION;
			else if (strcmp(optarg, "1.3") == 0)
				o->version = TLS1_3_VERSION;
			else
				usage();
			break;
		case 'n': o->n = strtol(optarg, NULL, 10); break;
		case 'w': o->warmup = strtol(optarg, NULL, 10); break;
		case 'N': o->no_ca_names = 1; break;
		case 'M': o->no_compat = 1; break;
		case 'p': o->pause_us = strtol(optarg, NULL, 10); break;
		case 'r': o->resume = 1; break;
		default: usage();
		}
	}
	if (!o->cert || !o->key || !o->ca || !o->ccert || !o->ckey || optind != argc ||
	    o->n < 1 || o->n > MAX_N || o->warmup < 0 || o->warmup > MAX_N ||
	    o->pause_us < 0 || o->pause_us > 999999)
		usage();
}

int main(int argc, char **argv)
{
	struct opts o;
	SSL_CTX *sctx, *cctx, *rsctx = NULL, *rcctx = NULL;
	SSL_SESSION *session = NULL;
	unsigned char *buf;
	double *t, sum = 0, rsum = 0, client = 0, dummy = 0;
	char info[200] = "";
	long i;

	parse_args(argc, argv, &o);
	sctx = server_ctx(&o);
	cctx = client_ctx(&o);
	buf = malloc(BUF_SIZE);
	t = calloc((size_t)o.n, sizeof(*t));
	if (!buf || !t)
		die("out of memory");
	if (o.resume) { /* the first session: a full handshake without a client certificate */
		rsctx = resume_server_ctx(&o);
		rcctx = resume_client_ctx(&o);
		handshake(rsctx, rcctx, buf, &dummy, NULL, 0, 0, &session);
	}
	for (i = 0; i < o.warmup; i++) {
		handshake(sctx, cctx, buf, &dummy, NULL, 0, o.pause_us, NULL);
		if (o.resume)
			handshake(rsctx, rcctx, buf, &dummy, NULL, 0, o.pause_us, &session);
	}
	for (i = 0; i < o.n; i++) {
		t[i] = handshake(sctx, cctx, buf, &client, i == 0 ? info : NULL, sizeof(info),
				 o.pause_us, NULL);
		sum += t[i];
		if (o.resume)
			rsum += handshake(rsctx, rcctx, buf, &dummy, NULL, 0, o.pause_us, &session);
	}
	qsort(t, (size_t)o.n, sizeof(*t), cmp_double);
	printf("%s n=%ld server_ms=%.3f median_ms=%.3f min_ms=%.3f client_ms=%.3f", info, o.n,
	       sum / (double)o.n / 1e6, t[o.n / 2] / 1e6, t[0] / 1e6,
	       client / (double)o.n / 1e6);
	if (o.resume)
		printf(" resumed_ms=%.3f resumed_over_full=%.3f", rsum / (double)o.n / 1e6,
		       rsum / sum);
	printf("\n");
	SSL_SESSION_free(session);
	SSL_CTX_free(rsctx);
	SSL_CTX_free(rcctx);
	free(t);
	free(buf);
	SSL_CTX_free(sctx);
	SSL_CTX_free(cctx);
	return 0;
}
