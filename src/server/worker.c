/*
 * A worker thread: its own sockets (one per listen section), an epoll loop, and batched
 * receive/send with recvmmsg/sendmmsg. Each datagram is handled to completion in place, so
 * there is no queue and no lock between workers.
 */
#include "server/server.h"

#include <errno.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include "util/err.h"

/* Receive buffers are one octet larger than the biggest RADIUS packet to see oversize. */
#define RECV_BUF (RAD_MAX_LEN + 1)

struct batch {
	struct mmsghdr in[SERVER_BATCH];
	struct iovec in_iov[SERVER_BATCH];
	struct sockaddr_storage src[SERVER_BATCH];
	uint8_t in_buf[SERVER_BATCH][RECV_BUF];

	struct mmsghdr out[SERVER_BATCH];
	struct iovec out_iov[SERVER_BATCH];
	uint8_t out_buf[SERVER_BATCH][RAD_MAX_LEN];
};

double server_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void batch_prepare_receive(struct batch *b)
{
	unsigned i;

	for (i = 0; i < SERVER_BATCH; i++) {
		b->in_iov[i].iov_base = b->in_buf[i];
		b->in_iov[i].iov_len = RECV_BUF;
		memset(&b->in[i].msg_hdr, 0, sizeof(b->in[i].msg_hdr));
		b->in[i].msg_hdr.msg_name = &b->src[i];
		b->in[i].msg_hdr.msg_namelen = sizeof(b->src[i]);
		b->in[i].msg_hdr.msg_iov = &b->in_iov[i];
		b->in[i].msg_hdr.msg_iovlen = 1;
	}
}

static void batch_send(struct worker *w, int fd, struct batch *b, unsigned n)
{
	unsigned done = 0;

	while (done < n) {
		int sent = sendmmsg(fd, b->out + done, n - done, 0);

		if (sent < 0) {
			if (errno == EINTR) continue;
			/* Skip the datagram that failed and carry on with the rest. */
			stat_inc(&w->stats, STAT_SEND_FAILED);
			done++;
			continue;
		}
		done += (unsigned)sent;
	}
}

/* Drain one socket: receive a batch, answer it, until the socket is empty or a cap is hit. */
static void worker_drain(struct worker *w, unsigned listen_index, struct batch *b)
{
	int fd = w->fds[listen_index];
	unsigned rounds;

	for (rounds = 0; rounds < 64; rounds++) {
		struct runtime *rt = atomic_load(&w->server->runtime);
		unsigned n_out = 0;
		int n, i;

		batch_prepare_receive(b);
		n = recvmmsg(fd, b->in, SERVER_BATCH, MSG_DONTWAIT, NULL);
		if (n <= 0) return;
		for (i = 0; i < n; i++) {
			size_t len = b->in[i].msg_len;
			size_t reply_len;

			if (len > RAD_MAX_LEN) len = RAD_MAX_LEN; /* octets past 4096 are not ours */
			reply_len = request_handle(w, rt, listen_index,
						   (struct sockaddr const *)&b->src[i], b->in_buf[i],
						   len, b->out_buf[n_out], RAD_MAX_LEN);
			if (reply_len == 0) continue;
			b->out_iov[n_out].iov_base = b->out_buf[n_out];
			b->out_iov[n_out].iov_len = reply_len;
			memset(&b->out[n_out].msg_hdr, 0, sizeof(b->out[n_out].msg_hdr));
			b->out[n_out].msg_hdr.msg_name = &b->src[i];
			b->out[n_out].msg_hdr.msg_namelen = b->in[i].msg_hdr.msg_namelen;
			b->out[n_out].msg_hdr.msg_iov = &b->out_iov[n_out];
			b->out[n_out].msg_hdr.msg_iovlen = 1;
			n_out++;
		}
		if (n_out) batch_send(w, fd, b, n_out);
		atomic_store(&w->seen_generation, rt->generation);
		if (n < SERVER_BATCH) return;
	}
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct batch *b = talloc_zero(w->ctx, struct batch);
	struct epoll_event events[SERVER_MAX_LISTENS];
	double next_sweep = 0;

	if (!b) {
		log_error("worker %u: out of memory for its buffers", w->index);
		atomic_store(&w->exited, true);
		return NULL;
	}
	while (!atomic_load(&w->server->stopping)) {
		struct runtime const *rt;
		int n = epoll_wait(w->epoll_fd, events, SERVER_MAX_LISTENS, 250);
		int i;

		for (i = 0; i < n; i++) worker_drain(w, events[i].data.u32, b);
		double now = server_now();

		dupcache_expire(w->dups, now);
		/* Worker 0 frees idle EAP conversations about once a second (session_timeout). */
		if (w->index == 0 && w->server->sessions && now >= next_sweep) {
			session_table_expire(w->server->sessions, now);
			next_sweep = now + 1.0;
		}
		/* Tell a reload in progress that this worker no longer uses older trees. */
		rt = atomic_load(&w->server->runtime);
		atomic_store(&w->seen_generation, rt->generation);
	}
	talloc_free(b);
	atomic_store(&w->exited, true);
	return NULL;
}

int worker_start(struct server *srv, struct worker *w)
{
	struct runtime const *rt = atomic_load(&srv->runtime);
	size_t i;

	w->server = srv;
	w->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	if (w->epoll_fd < 0) {
		err_set("epoll_create1: %s", strerror(errno));
		return -1;
	}
	w->dups = dupcache_new(w->ctx, rt->conf->max_requests, rt->conf->duplicate_ttl);
	w->pool = talloc_pool(w->ctx, 256 * 1024);
	if (!w->dups || !w->pool) {
		err_set("worker %u: out of memory", w->index);
		return -1;
	}
	for (i = 0; i < srv->n_listens; i++) {
		struct epoll_event ev = {.events = EPOLLIN, .data.u32 = (uint32_t)i};

		w->fds[i] = listener_open(&srv->listens[i]);
		if (w->fds[i] < 0) return -1;
		w->n_fds = i + 1;
		if (epoll_ctl(w->epoll_fd, EPOLL_CTL_ADD, w->fds[i], &ev) < 0) {
			err_set("epoll_ctl: %s", strerror(errno));
			return -1;
		}
	}
	atomic_store(&w->seen_generation, rt->generation);
	if (pthread_create(&w->thread, NULL, worker_main, w) != 0) {
		err_set("worker %u: cannot start thread", w->index);
		return -1;
	}
	return 0;
}
