/*
 * tls_tcp_floor: the least a TLS server spends per full handshake when its clients are
 * separate, short-lived processes (as the eapol_test runs of the benchmarks are). A
 * single-threaded blocking server on 127.0.0.1:PORT (TCP): per connection SSL_new, the
 * handshake (TLS 1.2, the given chain, no client certificate asked for: what EAP-TTLS and
 * PEAP do), the "ttls keying material" export of RFC 5281 8, one application-data record
 * ("x\n"), SSL_free. No RADIUS, no EAP, no fragmentation, two round trips instead of five
 * or eight: whatever a TTLS or PEAP server does on top comes on top of this. Its CPU is read
 * from /proc by bench/eap_methods.sh (server "tlsfloor"); the clients are `openssl s_client`.
 * Benchmark tool, not part of the server or the tests.
 *
 * usage: tls_tcp_floor -c SERVER_CHAIN -k SERVER_KEY -p PORT [-n MAX_CONNECTIONS]
 * Serves at most MAX_CONNECTIONS (default 100000) connections, then exits; SIGTERM ends it
 * sooner. Prints "handshakes=N failed=M" on exit.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

static volatile sig_atomic_t stop;
static long handshakes, failed;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static void die(char const *what)
{
	fprintf(stderr, "tls_tcp_floor: %s\n", what);
	ERR_print_errors_fp(stderr);
	exit(1);
}

static SSL_CTX *server_ctx(char const *chain, char const *key)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());

	if (!ctx)
		die("SSL_CTX_new failed");
	if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1 ||
	    SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION) != 1)
		die("cannot set the TLS version");
	if (SSL_CTX_use_certificate_chain_file(ctx, chain) != 1 ||
	    SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1 ||
	    SSL_CTX_check_private_key(ctx) != 1)
		die("cannot load the server chain and key");
	/* As latchd's TTLS/PEAP without resumption: no tickets, no cache. */
	SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET | SSL_OP_NO_RENEGOTIATION |
					 SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_COMPRESSION);
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
	return ctx;
}

static int listen_on(int port)
{
	struct sockaddr_in a;
	int one = 1, fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0)
		die("socket failed");
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((unsigned short)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
	    bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0 || listen(fd, 64) != 0)
		die("cannot listen on 127.0.0.1 (port in use?)");
	return fd;
}

static void serve_one(SSL_CTX *ctx, int fd)
{
	static char const label[] = "ttls keying material";
	unsigned char keys[128];
	SSL *ssl = SSL_new(ctx);

	if (!ssl || SSL_set_fd(ssl, fd) != 1)
		die("out of memory");
	if (SSL_accept(ssl) == 1 &&
	    SSL_export_keying_material(ssl, keys, sizeof(keys), label, sizeof(label) - 1, NULL,
				       0, 0) == 1 &&
	    SSL_write(ssl, "x\n", 2) == 2)
		handshakes++;
	else
		failed++;
	ERR_clear_error();
	SSL_set_quiet_shutdown(ssl, 1);
	SSL_free(ssl);
}

int main(int argc, char **argv)
{
	char const *chain = NULL, *key = NULL;
	long port = 0, max = 100000, i;
	struct sigaction sa;
	SSL_CTX *ctx;
	int ch, lfd;

	while ((ch = getopt(argc, argv, "c:k:p:n:")) != -1) {
		switch (ch) {
		case 'c': chain = optarg; break;
		case 'k': key = optarg; break;
		case 'p': port = strtol(optarg, NULL, 10); break;
		case 'n': max = strtol(optarg, NULL, 10); break;
		default: port = -1;
		}
	}
	if (!chain || !key || port < 1 || port > 65535 || max < 1 || max > 10000000 ||
	    optind != argc) {
		fprintf(stderr, "usage: tls_tcp_floor -c SERVER_CHAIN -k SERVER_KEY -p PORT "
				"[-n MAX_CONNECTIONS]\n");
		return 2;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term; /* no SA_RESTART: accept() returns EINTR */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	ctx = server_ctx(chain, key);
	lfd = listen_on((int)port);
	for (i = 0; i < max && !stop; i++) {
		int fd = accept(lfd, NULL, NULL);

		if (fd < 0) {
			if (errno == EINTR)
				continue;
			die("accept failed");
		}
		serve_one(ctx, fd);
		close(fd);
	}
	printf("handshakes=%ld failed=%ld\n", handshakes, failed);
	close(lfd);
	SSL_CTX_free(ctx);
	return 0;
}
