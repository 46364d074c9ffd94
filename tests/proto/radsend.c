/*
 * radsend: a tiny RADIUS client for protocol tests, for what radclient cannot do: send raw
 * (malformed) datagrams, send one request twice byte for byte, choose the source address,
 * leave out Message-Authenticator or add Proxy-State. Loopback only.
 *
 *   radsend raw  PORT HEX                      send a datagram, print "reply <hex>" or "no reply"
 *   radsend pap  PORT SECRET USER PASS [opts]  print the reply's code name or "no reply"
 *   radsend dup  PORT SECRET USER PASS [opts]  send the same request twice, print "identical"
 *   radsend junk PORT COUNT                    send COUNT random datagrams (1-600 octets, some
 *                                              with a plausible header), wait for nothing
 *   opts: noma  proxystate  src=127.0.0.N
 * Environment: top_srcdir (for dictionaries/dictionary).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/rand.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "radius/radius.h"
#include "util/err.h"
#include "util/hex.h"

struct opts {
	bool no_ma;
	bool proxy_state;
	char const *src;
};

static int udp_socket(char const *src, unsigned port, struct sockaddr_in *dst)
{
	struct sockaddr_in me = {.sin_family = AF_INET};
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0) return -1;
	if (src) {
		inet_pton(AF_INET, src, &me.sin_addr);
		if (bind(fd, (struct sockaddr *)&me, sizeof(me)) < 0) {
			perror("bind");
			close(fd);
			return -1;
		}
	}
	memset(dst, 0, sizeof(*dst));
	dst->sin_family = AF_INET;
	dst->sin_port = htons((uint16_t)port);
	inet_pton(AF_INET, "127.0.0.1", &dst->sin_addr);
	return fd;
}

/* Send and wait up to a second for one answer. Returns its length, or 0 when none came. */
static size_t exchange(int fd, struct sockaddr_in const *dst, uint8_t const *out, size_t len,
		       uint8_t *in, size_t cap)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	ssize_t n;

	if (sendto(fd, out, len, 0, (struct sockaddr const *)dst, sizeof(*dst)) < 0) return 0;
	if (poll(&p, 1, 1000) <= 0) return 0;
	n = recv(fd, in, cap, 0);
	return n > 0 ? (size_t)n : 0;
}

static int cmd_raw(unsigned port, char const *hex)
{
	uint8_t out[8192], in[RAD_MAX_LEN];
	char text[2 * RAD_MAX_LEN + 1];
	struct sockaddr_in dst;
	ssize_t len = hex_decode(out, sizeof(out), hex, strlen(hex));
	int fd = udp_socket(NULL, port, &dst);
	size_t got;

	if (len < 0 || fd < 0) {
		fprintf(stderr, "radsend: bad hex or no socket\n");
		return 2;
	}
	got = exchange(fd, &dst, out, (size_t)len, in, sizeof(in));
	close(fd);
	if (!got) {
		printf("no reply\n");
		return 0;
	}
	hex_encode(text, sizeof(text), in, got);
	printf("reply %s\n", text);
	return 0;
}

static int cmd_junk(unsigned port, unsigned count)
{
	struct sockaddr_in dst;
	int fd = udp_socket(NULL, port, &dst);
	uint8_t buf[600];
	unsigned i;

	if (fd < 0 || count > 100000) return 2;
	for (i = 0; i < count; i++) {
		uint16_t len;

		RAND_bytes((uint8_t *)&len, sizeof(len));
		len = (uint16_t)(len % sizeof(buf) + 1);
		RAND_bytes(buf, len);
		if (i % 2 && len >= 20) {
			/* A valid-looking header so the attribute walk gets exercised. */
			buf[0] = RAD_ACCESS_REQUEST;
			buf[2] = (uint8_t)(len >> 8);
			buf[3] = (uint8_t)len;
		}
		(void)sendto(fd, buf, len, 0, (struct sockaddr const *)&dst, sizeof(dst));
	}
	close(fd);
	printf("sent %u\n", count);
	return 0;
}

static ssize_t build_pap(TALLOC_CTX *ctx, struct dict const *dict, char **argv,
			 struct opts const *o, uint8_t *buf, size_t cap)
{
	char const *secret = argv[0], *user = argv[1], *pass = argv[2];
	uint8_t id;
	struct rad_packet *pkt;

	RAND_bytes(&id, 1);
	pkt = rad_packet_new(ctx, dict, RAD_ACCESS_REQUEST, id);
	if (!pkt) return -1;
	RAND_bytes(pkt->vector, RAD_VECTOR_LEN);
	rad_attr_add(pkt, 0, RAD_ATTR_USER_NAME, user, strlen(user));
	rad_attr_add(pkt, 0, RAD_ATTR_USER_PASSWORD, pass, strlen(pass));
	if (o->proxy_state) rad_attr_add(pkt, 0, RAD_ATTR_PROXY_STATE, "ps-1", 4);
	return rad_packet_encode(pkt, buf, cap, (uint8_t const *)secret, strlen(secret), NULL,
				 o->no_ma ? 0 : RAD_ENC_ADD_MA);
}

static int cmd_pap(TALLOC_CTX *ctx, struct dict const *dict, unsigned port, char **argv,
		   struct opts const *o, bool twice)
{
	char const *secret = argv[0];
	uint8_t out[RAD_MAX_LEN], in1[RAD_MAX_LEN], in2[RAD_MAX_LEN];
	struct sockaddr_in dst;
	ssize_t len = build_pap(ctx, dict, argv, o, out, sizeof(out));
	int fd = udp_socket(o->src, port, &dst);
	size_t got1, got2;
	struct rad_packet *reply;
	enum rad_decode_error why;

	if (len < 0 || fd < 0) {
		fprintf(stderr, "radsend: cannot build or send: %s\n", err_msg());
		return 2;
	}
	got1 = exchange(fd, &dst, out, (size_t)len, in1, sizeof(in1));
	got2 = twice ? exchange(fd, &dst, out, (size_t)len, in2, sizeof(in2)) : 0;
	close(fd);
	if (!got1) {
		printf("no reply\n");
		return 0;
	}
	reply = rad_packet_decode(ctx, dict, in1, got1, &why);
	if (!reply || !rad_response_auth_ok(reply, out + 4, (uint8_t const *)secret,
					    strlen(secret))) {
		printf("bad reply\n");
		return 1;
	}
	if (twice) {
		printf("%s\n", got1 == got2 && memcmp(in1, in2, got1) == 0 ? "identical" : "different");
		return 0;
	}
	printf("%s%s\n", rad_code_name(reply->code),
	       reply->n_attrs && reply->attrs[0].type == RAD_ATTR_MESSAGE_AUTHENTICATOR
		       ? " ma-first" : "");
	return 0;
}

int main(int argc, char **argv)
{
	char const *top = getenv("top_srcdir");
	char path[4096];
	TALLOC_CTX *ctx = talloc_new(NULL);
	struct dict *dict;
	struct opts o = {0};
	unsigned port;
	int i, rc;

	if (argc < 4) {
		fprintf(stderr, "usage: see the comment at the top of radsend.c\n");
		return 2;
	}
	port = (unsigned)atoi(argv[2]);
	if (strcmp(argv[1], "raw") == 0 || strcmp(argv[1], "junk") == 0) {
		rc = argv[1][0] == 'r' ? cmd_raw(port, argv[3])
				       : cmd_junk(port, (unsigned)atoi(argv[3]));
		talloc_free(ctx);
		return rc;
	}
	if (argc < 6) {
		talloc_free(ctx);
		return 2;
	}
	for (i = 6; i < argc; i++) {
		if (strcmp(argv[i], "noma") == 0) o.no_ma = true;
		else if (strcmp(argv[i], "proxystate") == 0) o.proxy_state = true;
		else if (strncmp(argv[i], "src=", 4) == 0) o.src = argv[i] + 4;
	}
	snprintf(path, sizeof(path), "%s/dictionaries/dictionary", top ? top : ".");
	dict = dict_load(ctx, path);
	if (!dict) {
		fprintf(stderr, "radsend: %s\n", err_msg());
		talloc_free(ctx);
		return 2;
	}
	rc = cmd_pap(ctx, dict, port, argv + 3, &o, strcmp(argv[1], "dup") == 0);
	talloc_free(ctx);
	return rc;
}
