/*
 * eapsend: a scripted EAP-over-RADIUS client (RFC 3579, RFC 3748, RFC 5216 framing) for the
 * hostile-input tests of latchd's EAP path. Loopback only. Every request carries
 * Message-Authenticator (except in `noma`) and the State of the last Access-Challenge; every
 * reply is verified (Identifier, Response Authenticator, Message-Authenticator). One try per
 * request, one second each; every loop and count is bounded.
 *
 *   eapsend PORT SECRET start            Identity round: "Access-Challenge eap=request type=13"
 *   eapsend PORT SECRET raw HEX          HEX as the EAP-Message, no State
 *   eapsend PORT SECRET after-start HEX  identity round, then HEX (its Identifier octet set to
 *                                        the server's last Request) with the State
 *   eapsend PORT SECRET bigL             after Start: EAP-TLS L = 16 MiB with M set
 *   eapsend PORT SECRET endless-m N [F]  after Start: up to N fragments of F octets (default
 *                                        1000) with M, L = 65536 on the first; stops at the
 *                                        first reply that is no ACK: "acked K final CODE"
 *   eapsend PORT SECRET beyond           after Start: L = 100 followed by 200 octets
 *   eapsend PORT SECRET state HEX        Identity Response with a made-up State
 *   eapsend PORT SECRET finished         start, a wrong Type to get a Reject, then that State
 *                                        again: "first CODE then CODE"
 *   eapsend PORT SECRET flood N          N Identity Responses from 64 source ports, as fast
 *                                        as possible, replies ignored: "sent N"
 *   eapsend PORT SECRET noma [SRC]       Identity Response without Message-Authenticator,
 *                                        from 127.0.0.1 or the loopback address SRC
 *   eapsend PORT SECRET hijack SRC       start from 127.0.0.1, then a Nak asking for TTLS
 *                                        with that State from the loopback address SRC
 *                                        (another NAS), then the same from 127.0.0.1:
 *                                        "other CODE then CODE"
 *
 * A reply prints as "CODE-NAME eap=request|response|success|failure|none [type=T flags=0xF]",
 * no reply as "none". Exit status 0 for any printed outcome, 1 for an unverifiable reply,
 * 2 for usage or local errors.
 */
#include <arpa/inet.h>
#include <errno.h>
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

#define IDENTITY "eapsend@example.test"
#define EAP_MAX_OUT 4000	/* fits one RADIUS packet with its attribute headers */
#define STATE_MAX 253
#define FLOOD_SOCKETS 64
#define FLOOD_MAX 1000000
#define ENDLESS_MAX 100000

enum { EAP_REQ = 1, EAP_RESP = 2, EAP_SUCC = 3, EAP_FAIL = 4 };
enum { T_IDENTITY = 1, T_MD5 = 4, T_TLS = 13 };
enum { F_L = 0x80, F_M = 0x40, F_S = 0x20 };

/* One conversation: socket, secret, the State and EAP Identifier to answer with. */
struct conv {
	int fd;
	char const *secret;
	uint8_t state[STATE_MAX];
	size_t state_len;
	uint8_t eap_id;		/* Identifier of the server's last EAP-Request */
	bool no_ma;
};

/* What came back. code 0: nothing (timeout). */
struct reply {
	unsigned code;
	uint8_t eap[4096];
	size_t eap_len;
};

/* A socket connected to 127.0.0.1:port, from src (a 127.x.y.z address) when not NULL. */
static int conv_open(struct conv *c, unsigned port, char const *secret, char const *src)
{
	struct sockaddr_in dst = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	struct sockaddr_in me = {.sin_family = AF_INET};

	memset(c, 0, sizeof(*c));
	c->secret = secret;
	inet_pton(AF_INET, "127.0.0.1", &dst.sin_addr);
	if (src && (inet_pton(AF_INET, src, &me.sin_addr) != 1 ||
		    (ntohl(me.sin_addr.s_addr) >> 24) != 127)) {
		fprintf(stderr, "eapsend: %s is not a loopback address\n", src);
		return -1;
	}
	c->fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (c->fd < 0) return -1;
	/* connect(): only datagrams from the server's address and port are received. */
	if ((src && bind(c->fd, (struct sockaddr *)&me, sizeof(me)) < 0) ||
	    connect(c->fd, (struct sockaddr *)&dst, sizeof(dst)) < 0) {
		close(c->fd);
		return -1;
	}
	return 0;
}

/* Encode an Access-Request with EAP-Message eap (split by the encoder) and our State. */
static ssize_t request_encode(TALLOC_CTX *ctx, struct conv const *c, uint8_t const *eap,
			      size_t eap_len, uint8_t *buf, size_t cap, uint8_t vector[16])
{
	struct rad_packet *pkt;
	uint8_t id;
	ssize_t n;

	if (RAND_bytes(&id, 1) != 1) return -1;
	pkt = rad_packet_new(ctx, NULL, RAD_ACCESS_REQUEST, id);
	if (!pkt || RAND_bytes(pkt->vector, RAD_VECTOR_LEN) != 1) return -1;
	if (rad_attr_add(pkt, 0, RAD_ATTR_USER_NAME, IDENTITY, strlen(IDENTITY)) < 0 ||
	    rad_attr_add(pkt, 0, RAD_ATTR_EAP_MESSAGE, eap, eap_len) < 0 ||
	    (c->state_len && rad_attr_add(pkt, 0, RAD_ATTR_STATE, c->state, c->state_len) < 0))
		return -1;
	n = rad_packet_encode(pkt, buf, cap, (uint8_t const *)c->secret, strlen(c->secret),
			      NULL, c->no_ma ? 0 : RAD_ENC_ADD_MA);
	memcpy(vector, pkt->vector, RAD_VECTOR_LEN);
	talloc_free(pkt);
	return n;
}

/* Check and unpack a reply; keeps the State and the EAP Identifier. -1: not verifiable. */
static int reply_take(TALLOC_CTX *ctx, struct conv *c, uint8_t const *in, size_t len,
		      uint8_t req_id, uint8_t const vector[16], struct reply *r)
{
	enum rad_decode_error why;
	struct rad_packet *pkt = rad_packet_decode(ctx, NULL, in, len, &why);
	uint8_t const *secret = (uint8_t const *)c->secret;
	struct rad_attr const *a;
	int rc = -1;

	if (!pkt) {
		fprintf(stderr, "eapsend: reply does not decode: %s\n", rad_decode_error_name(why));
		return -1;
	}
	if (pkt->id != req_id || !rad_response_auth_ok(pkt, vector, secret, strlen(c->secret)) ||
	    rad_packet_check_ma(pkt, secret, strlen(c->secret), vector) != RAD_MA_VALID) {
		fprintf(stderr, "eapsend: reply with a wrong Identifier or authenticator\n");
		goto out;
	}
	r->code = pkt->code;
	if ((a = rad_attr_find(pkt, 0, RAD_ATTR_EAP_MESSAGE)) && a->len <= sizeof(r->eap)) {
		memcpy(r->eap, a->value, a->len);
		r->eap_len = a->len;
		if (a->len >= 2) c->eap_id = a->value[1];
	}
	if ((a = rad_attr_find(pkt, 0, RAD_ATTR_STATE)) && a->len <= sizeof(c->state)) {
		memcpy(c->state, a->value, a->len);
		c->state_len = a->len;
	}
	rc = 0;
out:
	talloc_free(pkt);
	return rc;
}

/* One round trip. Returns 0 (r->code 0 when no reply came within a second) or -1. */
static int exchange(TALLOC_CTX *ctx, struct conv *c, uint8_t const *eap, size_t eap_len,
		    struct reply *r)
{
	uint8_t out[RAD_MAX_LEN], in[RAD_MAX_LEN], vector[RAD_VECTOR_LEN];
	ssize_t n = request_encode(ctx, c, eap, eap_len, out, sizeof(out), vector);
	struct pollfd p = {.fd = c->fd, .events = POLLIN};
	int i;

	memset(r, 0, sizeof(*r));
	if (n < 0) {
		fprintf(stderr, "eapsend: cannot encode: %s\n", err_msg());
		return -1;
	}
	if (send(c->fd, out, (size_t)n, 0) < 0) return -1;
	/* At most a few stray datagrams (e.g. a late answer) are skipped; then time out. */
	for (i = 0; i < 8; i++) {
		ssize_t got;

		if (poll(&p, 1, 1000) <= 0) return 0;
		got = recv(c->fd, in, sizeof(in), 0);
		if (got < RAD_HDR_LEN || in[1] != out[1]) continue;
		return reply_take(ctx, c, in, (size_t)got, out[1], vector, r);
	}
	return 0;
}

/* An EAP Response of type with data; returns its length (cap >= 5 + len). */
static size_t eap_response(uint8_t *buf, uint8_t id, uint8_t type, uint8_t const *data,
			   size_t len)
{
	size_t total = 5 + len;

	buf[0] = EAP_RESP;
	buf[1] = id;
	buf[2] = (uint8_t)(total >> 8);
	buf[3] = (uint8_t)total;
	buf[4] = type;
	if (len) memcpy(buf + 5, data, len);
	return total;
}

static char const *eap_code_text(struct reply const *r)
{
	static char const *const names[] = {"none", "request", "response", "success", "failure"};

	if (r->eap_len < 4) return "none";
	return r->eap[0] <= 4 ? names[r->eap[0]] : "unknown";
}

static void reply_print(char const *prefix, struct reply const *r)
{
	if (!r->code) {
		printf("%snone\n", prefix);
		return;
	}
	printf("%s%s eap=%s", prefix, rad_code_name(r->code), eap_code_text(r));
	if (r->eap_len >= 5 && r->eap[0] == EAP_REQ) printf(" type=%u", r->eap[4]);
	if (r->eap_len >= 6 && r->eap[0] == EAP_REQ && r->eap[4] == T_TLS)
		printf(" flags=0x%02x", r->eap[5]);
	printf("\n");
}

/* The identity round (EAP-Response/Identity, no State). Returns 0 or -1, like exchange(). */
static int identity_round(TALLOC_CTX *ctx, struct conv *c, struct reply *r)
{
	uint8_t eap[64];
	size_t n = eap_response(eap, 0, T_IDENTITY, (uint8_t const *)IDENTITY, strlen(IDENTITY));

	return exchange(ctx, c, eap, n, r);
}

static bool is_tls_start(struct reply const *r)
{
	return r->code == RAD_ACCESS_CHALLENGE && r->eap_len == 6 && r->eap[0] == EAP_REQ &&
	       r->eap[4] == T_TLS && (r->eap[5] & F_S);
}

static bool is_tls_ack(struct reply const *r)
{
	return r->code == RAD_ACCESS_CHALLENGE && r->eap_len == 6 && r->eap[0] == EAP_REQ &&
	       r->eap[4] == T_TLS && r->eap[5] == 0;
}

/* Identity round that must end in an EAP-TLS Start; prints and fails otherwise. */
static int to_start(TALLOC_CTX *ctx, struct conv *c)
{
	struct reply r;

	if (identity_round(ctx, c, &r) < 0) return -1;
	if (!is_tls_start(&r)) {
		reply_print("no EAP-TLS Start: ", &r);
		return -1;
	}
	return 0;
}

/* Type-Data of an EAP-TLS Response: flags, optional L, then len octets of filler. */
static size_t tls_data(uint8_t *buf, uint8_t flags, uint32_t l, size_t len)
{
	size_t off = 1;

	buf[0] = flags;
	if (flags & F_L) {
		buf[1] = (uint8_t)(l >> 24);
		buf[2] = (uint8_t)(l >> 16);
		buf[3] = (uint8_t)(l >> 8);
		buf[4] = (uint8_t)l;
		off = 5;
	}
	memset(buf + off, 0x16, len);
	return off + len;
}

/* After Start, one EAP-TLS Response (flags, L, n filler octets); prints the reply. */
static int cmd_tls_one(TALLOC_CTX *ctx, struct conv *c, uint8_t flags, uint32_t l, size_t n)
{
	uint8_t td[EAP_MAX_OUT], eap[EAP_MAX_OUT + 8];
	struct reply r;
	size_t len;

	if (n + 5 > sizeof(td) || to_start(ctx, c) < 0) return 2;
	len = tls_data(td, flags, l, n);
	if (exchange(ctx, c, eap, eap_response(eap, c->eap_id, T_TLS, td, len), &r) < 0) return 1;
	reply_print("", &r);
	return 0;
}

static int cmd_endless(TALLOC_CTX *ctx, struct conv *c, unsigned count, size_t frag)
{
	uint8_t td[EAP_MAX_OUT], eap[EAP_MAX_OUT + 8];
	struct reply r = {0};
	unsigned i, acked = 0;

	if (count > ENDLESS_MAX || frag == 0 || frag + 5 > sizeof(td)) return 2;
	if (to_start(ctx, c) < 0) return 2;
	for (i = 0; i < count; i++) {
		size_t len = tls_data(td, i == 0 ? F_L | F_M : F_M, 65536, frag);

		if (exchange(ctx, c, eap, eap_response(eap, c->eap_id, T_TLS, td, len), &r) < 0)
			return 1;
		if (!is_tls_ack(&r)) break;
		acked++;
	}
	printf("acked %u final ", acked);
	reply_print("", &r);
	return 0;
}

static int cmd_raw(TALLOC_CTX *ctx, struct conv *c, char const *hex, bool after_start)
{
	uint8_t eap[EAP_MAX_OUT];
	ssize_t n = hex_decode(eap, sizeof(eap), hex, strlen(hex));
	struct reply r;

	if (n < 0) {
		fprintf(stderr, "eapsend: bad hex\n");
		return 2;
	}
	if (after_start) {
		if (to_start(ctx, c) < 0) return 2;
		if (n >= 2) eap[1] = c->eap_id;
	}
	if (exchange(ctx, c, eap, (size_t)n, &r) < 0) return 1;
	reply_print("", &r);
	return 0;
}

static int cmd_state(TALLOC_CTX *ctx, struct conv *c, char const *hex)
{
	ssize_t n = hex_decode(c->state, sizeof(c->state), hex, strlen(hex));
	struct reply r;

	if (n <= 0) {
		fprintf(stderr, "eapsend: bad State hex\n");
		return 2;
	}
	c->state_len = (size_t)n;
	if (identity_round(ctx, c, &r) < 0) return 1;
	reply_print("", &r);
	return 0;
}

/* Start, get rejected (an MD5 Response where EAP-TLS runs), then replay that State. */
static int cmd_finished(TALLOC_CTX *ctx, struct conv *c)
{
	uint8_t eap[64], td[8], md5[17] = {16};
	uint8_t state[STATE_MAX];
	size_t state_len;
	struct reply r1, r2;

	if (to_start(ctx, c) < 0) return 2;
	memcpy(state, c->state, c->state_len);
	state_len = c->state_len;
	if (exchange(ctx, c, eap, eap_response(eap, c->eap_id, T_MD5, md5, sizeof(md5)), &r1) < 0)
		return 1;
	/* The Reject has no State: answer with the old one, as a confused NAS would. */
	memcpy(c->state, state, state_len);
	c->state_len = state_len;
	if (exchange(ctx, c, eap, eap_response(eap, c->eap_id, T_TLS, td, tls_data(td, 0, 0, 0)),
		     &r2) < 0)
		return 1;
	reply_print("first ", &r1);
	reply_print("then ", &r2);
	return 0;
}

/* Another NAS (src) answers a conversation 127.0.0.1 started, then the owner does. */
static int cmd_hijack(TALLOC_CTX *ctx, struct conv *c, unsigned port, char const *src)
{
	uint8_t eap[64], ttls = 21;
	struct conv other;
	struct reply r1, r2;
	int rc = 1;

	if (to_start(ctx, c) < 0) return 2;
	if (conv_open(&other, port, c->secret, src) < 0) return 2;
	memcpy(other.state, c->state, c->state_len);
	other.state_len = c->state_len;
	other.eap_id = c->eap_id;
	if (exchange(ctx, &other, eap, eap_response(eap, c->eap_id, 3, &ttls, 1), &r1) == 0 &&
	    exchange(ctx, c, eap, eap_response(eap, c->eap_id, 3, &ttls, 1), &r2) == 0) {
		reply_print("other ", &r1);
		reply_print("then ", &r2);
		rc = 0;
	}
	close(other.fd);
	return rc;
}

/* N Identity Responses, each a fresh conversation, from FLOOD_SOCKETS source ports. */
static int cmd_flood(TALLOC_CTX *ctx, char const *secret, unsigned port, unsigned count)
{
	struct conv c[FLOOD_SOCKETS];
	uint8_t eap[64], out[RAD_MAX_LEN], vector[RAD_VECTOR_LEN];
	size_t elen = eap_response(eap, 0, T_IDENTITY, (uint8_t const *)IDENTITY,
				   strlen(IDENTITY));
	unsigned i, sent = 0, nsock = 0;

	if (count > FLOOD_MAX) return 2;
	for (nsock = 0; nsock < FLOOD_SOCKETS; nsock++)
		if (conv_open(&c[nsock], port, secret, NULL) < 0) break;
	if (nsock == 0) return 2;
	for (i = 0; i < count; i++) {
		struct conv *s = &c[i % nsock];
		ssize_t n = request_encode(ctx, s, eap, elen, out, sizeof(out), vector);

		if (n < 0) break;
		/* A full local buffer is not an error here: count what the kernel took. */
		if (send(s->fd, out, (size_t)n, MSG_DONTWAIT) == n) sent++;
		else if (errno != EAGAIN && errno != ENOBUFS && errno != ECONNREFUSED) break;
	}
	for (i = 0; i < nsock; i++) close(c[i].fd);
	printf("sent %u\n", sent);
	return 0;
}

static int run(TALLOC_CTX *ctx, unsigned port, char const *secret, int argc, char **argv)
{
	char const *mode = argv[3], *arg = argc > 4 ? argv[4] : NULL;
	struct conv c;
	int rc;

	if (strcmp(mode, "flood") == 0)
		return arg ? cmd_flood(ctx, secret, port, (unsigned)strtoul(arg, NULL, 10)) : 2;
	if (conv_open(&c, port, secret, strcmp(mode, "noma") == 0 ? arg : NULL) < 0) return 2;
	if (strcmp(mode, "start") == 0 || strcmp(mode, "noma") == 0) {
		struct reply r;

		c.no_ma = mode[0] == 'n';
		rc = identity_round(ctx, &c, &r) < 0 ? 1 : 0;
		if (rc == 0) reply_print("", &r);
	} else if (strcmp(mode, "raw") == 0 || strcmp(mode, "after-start") == 0) {
		rc = arg ? cmd_raw(ctx, &c, arg, mode[0] == 'a') : 2;
	} else if (strcmp(mode, "bigL") == 0) {
		rc = cmd_tls_one(ctx, &c, F_L | F_M, 16u << 20, 1000);
	} else if (strcmp(mode, "beyond") == 0) {
		rc = cmd_tls_one(ctx, &c, F_L, 100, 200);
	} else if (strcmp(mode, "endless-m") == 0) {
		rc = arg ? cmd_endless(ctx, &c, (unsigned)strtoul(arg, NULL, 10),
				       argc > 5 ? strtoul(argv[5], NULL, 10) : 1000) : 2;
	} else if (strcmp(mode, "state") == 0) {
		rc = arg ? cmd_state(ctx, &c, arg) : 2;
	} else if (strcmp(mode, "finished") == 0) {
		rc = cmd_finished(ctx, &c);
	} else if (strcmp(mode, "hijack") == 0) {
		rc = arg ? cmd_hijack(ctx, &c, port, arg) : 2;
	} else {
		rc = 2;
	}
	close(c.fd);
	return rc;
}

int main(int argc, char **argv)
{
	TALLOC_CTX *ctx;
	unsigned long port;
	int rc;

	if (argc < 4) {
		fprintf(stderr, "usage: eapsend PORT SECRET MODE [args] (see eapsend.c)\n");
		return 2;
	}
	port = strtoul(argv[1], NULL, 10);
	if (port == 0 || port > 65535) return 2;
	ctx = talloc_new(NULL);
	if (!ctx) return 2;
	rc = run(ctx, (unsigned)port, argv[2], argc, argv);
	if (rc == 2) fprintf(stderr, "eapsend: usage error or local failure in mode %s\n", argv[3]);
	talloc_free(ctx);
	return rc;
}
