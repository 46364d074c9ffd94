/*
 * latchd-load: UDP RADIUS load generator for benchmarks. Pre-builds distinct PAP
 * Access-Requests (RFC 2865 4.1, User-Password hidden per RFC 2865 5.2, Message-Authenticator
 * per RFC 3579 3.2), keeps a window of them in flight with sendmmsg/recvmmsg, matches replies
 * by (socket, Identifier), checks Response Authenticators (RFC 2865 3), never retransmits, and
 * prints one machine-readable summary line. Loopback destinations only.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <talloc.h>

#include "radius/radius.h"
#include "util/err.h"

#define LOAD_MAX_COUNT 2000000u	/* pre-built requests live in memory: bound it */
#define LOAD_MAX_WINDOW 16384u
#define LOAD_MAX_SOCKETS 64u
#define LOAD_BATCH 64u		/* messages per sendmmsg/recvmmsg call */
#define LOAD_TIMEOUT_NS 1000000000ull	/* a request not answered in 1 s is a timeout */
#define LOAD_SCAN_NS 50000000ull	/* how often in-flight slots are scanned for timeouts */
#define LOAD_RCVBUF (4 * 1024 * 1024)
#define NS_PER_S 1000000000ull

struct load_opts {
	char const *secret;
	char const *user;
	char const *pass;
	unsigned long count;
	unsigned long window;
	unsigned long max_seconds;
	unsigned long nsock;
	unsigned long verify_every;	/* check every Nth reply's authenticators; 1 = all */
	struct sockaddr_storage dst;
	socklen_t dst_len;
};

/* One (socket, Identifier) pair: the request occupying it (index + 1, 0 = free). */
struct load_slot {
	uint32_t req;
	uint64_t sent_ns;
};

struct load_stats {
	uint64_t sent, answered, accept, reject, other, timeout, bad, stray, errors;
};

struct load {
	struct load_opts const *o;
	uint8_t *pkts;			/* count packets of stride octets each */
	size_t stride;
	size_t pkt_len;
	int *fds;
	struct load_slot *slots;	/* nsock * 256 */
	uint32_t *retry;		/* requests taken but not sent (EAGAIN), at most window */
	size_t n_retry;
	size_t next;			/* next request never taken */
	size_t inflight;
	struct load_stats st;
	uint64_t t_first, t_last;
	TALLOC_CTX *scratch;		/* reply decodes, freed after each check */
};

static volatile sig_atomic_t load_stop;

static void load_on_signal(int sig)
{
	(void)sig;
	load_stop = 1;
}

static uint64_t load_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NS_PER_S + (uint64_t)ts.tv_nsec;
}

static uint64_t load_cpu_us(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (uint64_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000u +
	       (uint64_t)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
}

static void load_usage(void)
{
	fprintf(stderr,
		"usage: latchd-load -s SECRET [-u USER] [-p PASS] [-n COUNT] [-w WINDOW]\n"
		"                   [-t MAX_SECONDS] [-c SOCKETS] [-v VERIFY_EVERY] HOST:PORT\n"
		"  Sends COUNT (default 10000, max %u) distinct PAP Access-Requests to a RADIUS\n"
		"  server on the loopback (127.0.0.0/8 or [::1]), WINDOW (default 256) in flight,\n"
		"  for at most MAX_SECONDS (default 10). User/password default bench/benchpass.\n"
		"  SOCKETS defaults to WINDOW/256 rounded up, plus one. Every VERIFY_EVERY-th\n"
		"  reply (default 16; 1 = all) has its authenticators checked.\n"
		"  Prints: sent= answered= accept= reject= other= timeout= bad= stray= errors=\n"
		"          seconds= rps= client_cpu_us_per_req=\n"
		"  Exit status 0 when every request got a valid answer, 1 otherwise, 2 on errors.\n",
		LOAD_MAX_COUNT);
}

static int load_parse_ulong(char const *s, unsigned long min, unsigned long max,
			    unsigned long *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

/*
 * Parse HOST:PORT ([v6]:PORT) with numeric addresses only and refuse non-loopback.
 * Returns 0, -1 on a syntax error, -2 when a message was already printed.
 */
static int load_parse_dst(char const *arg, struct load_opts *o)
{
	char host[64];
	char const *colon;
	size_t hlen;
	unsigned long port;

	if (arg[0] == '[') {
		char const *rb = strchr(arg, ']');

		if (!rb || rb[1] != ':')
			return -1;
		hlen = (size_t)(rb - arg - 1);
		arg++;
		colon = rb + 1;
	} else {
		colon = strrchr(arg, ':');
		if (!colon)
			return -1;
		hlen = (size_t)(colon - arg);
	}
	if (hlen == 0 || hlen >= sizeof(host) || load_parse_ulong(colon + 1, 1, 65535, &port) < 0)
		return -1;
	memcpy(host, arg, hlen);
	host[hlen] = '\0';
	if (strcmp(host, "localhost") == 0)
		strcpy(host, "127.0.0.1");

	memset(&o->dst, 0, sizeof(o->dst));
	struct sockaddr_in *sin = (struct sockaddr_in *)&o->dst;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&o->dst;

	if (inet_pton(AF_INET, host, &sin->sin_addr) == 1) {
		if ((ntohl(sin->sin_addr.s_addr) >> 24) != 127)
			goto not_loopback;
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)port);
		o->dst_len = sizeof(*sin);
		return 0;
	}
	if (inet_pton(AF_INET6, host, &sin6->sin6_addr) == 1) {
		if (!IN6_IS_ADDR_LOOPBACK(&sin6->sin6_addr))
			goto not_loopback;
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)port);
		o->dst_len = sizeof(*sin6);
		return 0;
	}
	fprintf(stderr, "latchd-load: '%s' is not a numeric IPv4/IPv6 address\n", host);
	return -2;

not_loopback:
	fprintf(stderr, "latchd-load: refusing destination %s: only loopback addresses "
		"(127.0.0.0/8, ::1) are allowed\n", host);
	return -2;
}

static int load_parse_args(int argc, char **argv, struct load_opts *o)
{
	int c;

	*o = (struct load_opts){ .user = "bench", .pass = "benchpass", .count = 10000,
				 .window = 256, .max_seconds = 10, .verify_every = 16 };
	while ((c = getopt(argc, argv, "s:u:p:n:w:t:c:v:h")) != -1) {
		int bad = 0;

		switch (c) {
		case 's': o->secret = optarg; break;
		case 'u': o->user = optarg; break;
		case 'p': o->pass = optarg; break;
		case 'n': bad = load_parse_ulong(optarg, 1, LOAD_MAX_COUNT, &o->count); break;
		case 'w': bad = load_parse_ulong(optarg, 1, LOAD_MAX_WINDOW, &o->window); break;
		case 't': bad = load_parse_ulong(optarg, 1, 3600, &o->max_seconds); break;
		case 'c': bad = load_parse_ulong(optarg, 1, LOAD_MAX_SOCKETS, &o->nsock); break;
		case 'v': bad = load_parse_ulong(optarg, 1, 1000000, &o->verify_every); break;
		default: load_usage(); return -1;
		}
		if (bad) {
			fprintf(stderr, "latchd-load: bad value for -%c: '%s'\n", c, optarg);
			return -1;
		}
	}
	if (!o->secret || !o->secret[0] || optind != argc - 1) {
		load_usage();
		return -1;
	}
	if (strlen(o->user) > RAD_MAX_ATTR_VALUE || strlen(o->pass) > 128) {
		fprintf(stderr, "latchd-load: user name over 253 or password over 128 octets\n");
		return -1;
	}
	unsigned long need = (o->window + 255) / 256;

	if (o->nsock == 0)
		o->nsock = need + 1 <= LOAD_MAX_SOCKETS ? need + 1 : need;
	if (o->nsock < need) {
		fprintf(stderr, "latchd-load: window %lu needs at least %lu sockets (256 ids each)\n",
			o->window, need);
		return -1;
	}
	int r = load_parse_dst(argv[optind], o);

	if (r == -1)
		fprintf(stderr, "latchd-load: bad destination '%s': expected IPv4:PORT or [IPv6]:PORT "
			"on the loopback\n", argv[optind]);
	return r < 0 ? -1 : 0;
}

/* Encode request k: its own Identifier (k mod 256) and a random Request Authenticator. */
static ssize_t load_build_one(TALLOC_CTX *ctx, struct load_opts const *o, size_t k,
			      uint8_t const *vector, uint8_t *out, size_t cap)
{
	uint8_t const *secret = (uint8_t const *)o->secret;
	size_t slen = strlen(o->secret);
	uint8_t nas_ip[4] = { 127, 0, 0, 1 };
	uint8_t nas_port[4] = { (uint8_t)(k >> 24), (uint8_t)(k >> 16), (uint8_t)(k >> 8),
				(uint8_t)k };
	struct rad_packet *pkt = rad_packet_new(ctx, NULL, RAD_ACCESS_REQUEST, (uint8_t)k);
	ssize_t len = -1;

	if (!pkt)
		return -1;
	memcpy(pkt->vector, vector, RAD_VECTOR_LEN);
	/*
	 * The encoder hides User-Password (RFC 2865 5.2) with pkt->vector and the secret; with
	 * no dictionary loaded it knows attribute 2 is hidden from its built-in table.
	 */
	if (rad_attr_add(pkt, 0, RAD_ATTR_USER_NAME, o->user, strlen(o->user)) < 0 ||
	    rad_attr_add(pkt, 0, RAD_ATTR_USER_PASSWORD, o->pass, strlen(o->pass)) < 0 ||
	    rad_attr_add(pkt, 0, RAD_ATTR_NAS_IP_ADDRESS, nas_ip, sizeof(nas_ip)) < 0 ||
	    rad_attr_add(pkt, 0, RAD_ATTR_NAS_PORT, nas_port, sizeof(nas_port)) < 0)
		goto out;
	len = rad_packet_encode(pkt, out, cap, secret, slen, NULL, RAD_ENC_ADD_MA);
out:
	talloc_free(pkt);
	return len;
}

/* Pre-build every request so that the timed loop only moves bytes. */
static int load_build_all(struct load *l)
{
	struct load_opts const *o = l->o;
	uint8_t buf[RAD_MAX_LEN];
	uint8_t vec[RAD_VECTOR_LEN];
	ssize_t len;

	for (size_t k = 0; k < o->count; k++) {
		if (getrandom(vec, sizeof(vec), 0) != (ssize_t)sizeof(vec)) {
			fprintf(stderr, "latchd-load: getrandom: %s\n", strerror(errno));
			return -1;
		}
		len = load_build_one(l->scratch, o, k, vec, buf, sizeof(buf));
		if (len < 0) {
			fprintf(stderr, "latchd-load: cannot encode request %zu: %s\n", k, err_msg());
			return -1;
		}
		if (k == 0) {
			l->pkt_len = (size_t)len;
			l->stride = ((size_t)len + 15) & ~(size_t)15;
			l->pkts = talloc_array(l->scratch, uint8_t, l->stride * o->count);
			if (!l->pkts) {
				fprintf(stderr, "latchd-load: out of memory for %lu requests\n",
					o->count);
				return -1;
			}
		} else if ((size_t)len != l->pkt_len) {
			fprintf(stderr, "latchd-load: request %zu has another length\n", k);
			return -1;
		}
		memcpy(l->pkts + k * l->stride, buf, (size_t)len);
	}
	return 0;
}

static int load_open_sockets(struct load *l)
{
	int rcvbuf = LOAD_RCVBUF;

	for (size_t s = 0; s < l->o->nsock; s++) {
		int fd = socket(l->o->dst.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

		l->fds[s] = fd;
		if (fd < 0 || connect(fd, (struct sockaddr const *)&l->o->dst, l->o->dst_len) < 0) {
			fprintf(stderr, "latchd-load: socket/connect: %s\n", strerror(errno));
			return -1;
		}
		/* Best effort: a bigger queue keeps a burst of replies from being dropped. */
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
		(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &rcvbuf, sizeof(rcvbuf));
	}
	return 0;
}

/* Per-socket batches for one round of sends, and the receive buffers. */
struct load_io {
	struct mmsghdr *smsg;		/* nsock * LOAD_BATCH */
	struct iovec *siov;
	uint32_t *sreq;
	size_t *scnt;			/* nsock */
	struct mmsghdr rmsg[LOAD_BATCH];
	struct iovec riov[LOAD_BATCH];
	uint8_t rbuf[LOAD_BATCH][RAD_MAX_LEN];
	struct pollfd *pfd;		/* nsock */
};

static void load_slot_release(struct load *l, struct load_slot *slot)
{
	slot->req = 0;
	l->inflight--;
}

/* A socket whose slot for this Identifier is free, starting from a per-request choice. */
static long load_pick_socket(struct load const *l, size_t k)
{
	size_t n = l->o->nsock, id = k & 0xff;

	for (size_t i = 0; i < n; i++) {
		size_t s = (k / 256 + i) % n;

		if (l->slots[s * 256 + id].req != 0)
			continue;
		return (long)s;
	}
	return -1;
}

/* Hand a socket's batch to the kernel; what it did not take goes back for a later round. */
static void load_send_batch(struct load *l, struct load_io *io, size_t s, uint64_t now)
{
	struct mmsghdr *m = io->smsg + s * LOAD_BATCH;
	uint32_t const *reqs = io->sreq + s * LOAD_BATCH;
	size_t n = io->scnt[s];
	int r = sendmmsg(l->fds[s], m, (unsigned)n, 0);

	if (r < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS || errno == EINTR) {
			r = 0;
		} else {
			/* e.g. ECONNREFUSED: nobody listens; these requests will time out. */
			l->st.errors++;
			r = (int)n;
		}
	}
	if (r > 0 && l->t_first == 0)
		l->t_first = now;
	l->st.sent += (uint64_t)r;
	for (size_t i = (size_t)r; i < n; i++) {
		load_slot_release(l, &l->slots[s * 256 + (reqs[i] & 0xff)]);
		l->retry[l->n_retry++] = reqs[i];
	}
	io->scnt[s] = 0;
}

/* Fill the window; returns true when a batch filled up and more could go at once. */
static bool load_fill(struct load *l, struct load_io *io, uint64_t now)
{
	bool more = false;

	while (l->inflight < l->o->window) {
		size_t k;

		if (l->n_retry)
			k = l->retry[l->n_retry - 1];
		else if (l->next < l->o->count)
			k = l->next;
		else
			break;
		long s = load_pick_socket(l, k);

		if (s < 0)
			break;	/* every socket still waits for this Identifier */
		if (io->scnt[s] == LOAD_BATCH) {
			more = true;
			break;
		}
		if (l->n_retry)
			l->n_retry--;
		else
			l->next++;
		l->slots[(size_t)s * 256 + (k & 0xff)] = (struct load_slot){ (uint32_t)k + 1, now };
		l->inflight++;
		size_t j = (size_t)s * LOAD_BATCH + io->scnt[s]++;

		io->siov[j] = (struct iovec){ l->pkts + k * l->stride, l->pkt_len };
		io->smsg[j] = (struct mmsghdr){ .msg_hdr = { .msg_iov = &io->siov[j], .msg_iovlen = 1 } };
		io->sreq[j] = (uint32_t)k;
	}
	for (size_t s = 0; s < l->o->nsock; s++)
		if (io->scnt[s])
			load_send_batch(l, io, s, now);
	return more;
}

/* Full check of a reply against its request: Response Authenticator, Message-Authenticator. */
static bool load_reply_valid(struct load *l, uint8_t const *req, uint8_t const *buf, size_t len)
{
	enum rad_decode_error why;
	uint8_t const *secret = (uint8_t const *)l->o->secret;
	size_t slen = strlen(l->o->secret);
	struct rad_packet *pkt = rad_packet_decode(l->scratch, NULL, buf, len, &why);
	bool ok;

	if (!pkt)
		return false;
	ok = pkt->id == req[1] && rad_response_auth_ok(pkt, req + 4, secret, slen);
	if (ok && pkt->ma_offset >= 0)
		ok = rad_packet_check_ma(pkt, secret, slen, req + 4) == RAD_MA_VALID;
	talloc_free(pkt);
	return ok;
}

static void load_on_reply(struct load *l, size_t s, uint8_t const *buf, size_t len, uint64_t now)
{
	struct load_slot *slot;
	uint8_t const *req;

	if (len < RAD_HDR_LEN) {
		l->st.stray++;
		return;
	}
	slot = &l->slots[s * 256 + buf[1]];
	if (slot->req == 0) {
		l->st.stray++;	/* late answer to a timed-out request, or a duplicate */
		return;
	}
	req = l->pkts + (size_t)(slot->req - 1) * l->stride;
	l->st.answered++;
	l->t_last = now;
	load_slot_release(l, slot);
	if (l->st.answered % l->o->verify_every == 0 && !load_reply_valid(l, req, buf, len)) {
		l->st.bad++;
		return;
	}
	if (buf[0] == RAD_ACCESS_ACCEPT)
		l->st.accept++;
	else if (buf[0] == RAD_ACCESS_REJECT)
		l->st.reject++;
	else
		l->st.other++;
}

static void load_recv(struct load *l, struct load_io *io, size_t s, uint64_t now)
{
	for (;;) {
		for (size_t i = 0; i < LOAD_BATCH; i++) {
			io->riov[i] = (struct iovec){ io->rbuf[i], sizeof(io->rbuf[i]) };
			io->rmsg[i] = (struct mmsghdr){ .msg_hdr = { .msg_iov = &io->riov[i],
								    .msg_iovlen = 1 } };
		}
		int r = recvmmsg(l->fds[s], io->rmsg, LOAD_BATCH, MSG_DONTWAIT, NULL);

		if (r < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
				l->st.errors++;
			return;
		}
		for (int i = 0; i < r; i++) {
			if (io->rmsg[i].msg_hdr.msg_flags & MSG_TRUNC)
				l->st.bad++;
			else
				load_on_reply(l, s, io->rbuf[i], io->rmsg[i].msg_len, now);
		}
		if (r < (int)LOAD_BATCH)
			return;
	}
}

static void load_scan_timeouts(struct load *l, uint64_t now)
{
	for (size_t i = 0; i < l->o->nsock * 256; i++) {
		struct load_slot *slot = &l->slots[i];

		if (slot->req && now - slot->sent_ns >= LOAD_TIMEOUT_NS) {
			l->st.timeout++;
			load_slot_release(l, slot);
		}
	}
}

/* The timed loop: send while allowed, then wait for what is in flight (at most 1 s more). */
static void load_run(struct load *l, struct load_io *io)
{
	uint64_t start = load_now_ns(), last_scan = start;
	uint64_t deadline = start + l->o->max_seconds * NS_PER_S;
	uint64_t hard_stop = deadline + LOAD_TIMEOUT_NS + LOAD_SCAN_NS * 2;

	for (size_t s = 0; s < l->o->nsock; s++)
		io->pfd[s] = (struct pollfd){ .fd = l->fds[s], .events = POLLIN };
	for (;;) {
		uint64_t now = load_now_ns();
		bool sending = !load_stop && now < deadline;
		bool more = sending && load_fill(l, io, now);

		if (!sending)
			l->n_retry = 0;	/* never sent: forget them */
		if (l->inflight == 0 && (!sending || (l->next == l->o->count && !l->n_retry)))
			break;
		if (now >= hard_stop)
			break;
		int n = poll(io->pfd, (nfds_t)l->o->nsock, more ? 0 : 10);

		now = load_now_ns();
		for (size_t s = 0; n > 0 && s < l->o->nsock; s++)
			if (io->pfd[s].revents & (POLLIN | POLLERR))
				load_recv(l, io, s, now);
		if (now - last_scan >= LOAD_SCAN_NS) {
			load_scan_timeouts(l, now);
			last_scan = now;
		}
	}
	if (!l->t_last)
		l->t_last = load_now_ns();
}

static void load_print(struct load const *l, uint64_t cpu_us)
{
	struct load_stats const *st = &l->st;
	double secs = l->t_last > l->t_first ? (double)(l->t_last - l->t_first) / 1e9 : 0.0;
	double rps = secs > 0 ? (double)st->answered / secs : 0.0;
	double cpu = st->answered ? (double)cpu_us / (double)st->answered : 0.0;

	printf("sent=%" PRIu64 " answered=%" PRIu64 " accept=%" PRIu64 " reject=%" PRIu64
	       " other=%" PRIu64 " timeout=%" PRIu64 " bad=%" PRIu64 " stray=%" PRIu64
	       " errors=%" PRIu64 " seconds=%.3f rps=%.0f client_cpu_us_per_req=%.2f\n",
	       st->sent, st->answered, st->accept, st->reject, st->other, st->timeout, st->bad,
	       st->stray, st->errors, secs, rps, cpu);
	fflush(stdout);
}

static int load_alloc(TALLOC_CTX *ctx, struct load *l, struct load_io **iop)
{
	size_t n = l->o->nsock;
	struct load_io *io = talloc_zero(ctx, struct load_io);

	l->scratch = talloc_new(ctx);
	l->fds = talloc_array(ctx, int, n);
	l->slots = talloc_zero_array(ctx, struct load_slot, n * 256);
	l->retry = talloc_array(ctx, uint32_t, l->o->window);
	if (!io || !l->scratch || !l->fds || !l->slots || !l->retry)
		return -1;
	for (size_t s = 0; s < n; s++)
		l->fds[s] = -1;
	io->smsg = talloc_array(io, struct mmsghdr, n * LOAD_BATCH);
	io->siov = talloc_array(io, struct iovec, n * LOAD_BATCH);
	io->sreq = talloc_array(io, uint32_t, n * LOAD_BATCH);
	io->scnt = talloc_zero_array(io, size_t, n);
	io->pfd = talloc_array(io, struct pollfd, n);
	*iop = io;
	return io->smsg && io->siov && io->sreq && io->scnt && io->pfd ? 0 : -1;
}

int main(int argc, char **argv)
{
	struct load_opts o;
	struct load l = { .o = &o };
	struct load_io *io = NULL;
	struct sigaction sa = { .sa_handler = load_on_signal };
	TALLOC_CTX *root;
	int rc = 2;

	if (load_parse_args(argc, argv, &o) < 0)
		return 2;
	root = talloc_new(NULL);
	if (!root || load_alloc(root, &l, &io) < 0) {
		fprintf(stderr, "latchd-load: out of memory\n");
		goto out;
	}
	if (load_build_all(&l) < 0 || load_open_sockets(&l) < 0)
		goto out;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	uint64_t cpu0 = load_cpu_us();

	load_run(&l, io);
	load_print(&l, load_cpu_us() - cpu0);
	rc = (l.st.answered == o.count && l.st.bad == 0) ? 0 : 1;
out:
	for (size_t s = 0; l.fds && s < o.nsock; s++)
		if (l.fds[s] >= 0)
			close(l.fds[s]);
	talloc_free(root);
	return rc;
}
