/*
 * The latchd daemon's shared structures: the running configuration (swapped whole on
 * reload), the workers (one thread per core, each with its own SO_REUSEPORT sockets, event
 * loop, duplicate cache and counters: no lock on the hot path) and the per-datagram context.
 */
#ifndef LATCHD_SERVER_SERVER_H
#define LATCHD_SERVER_SERVER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "conf/conf.h"
#include "dict/dict.h"
#include "radius/radius.h"
#include "eap/eap_session.h"
#include "methods/eap_tls.h"
#include "methods/ttls.h"
#include "server/dupcache.h"
#include "server/session_table.h"
#include "server/stats.h"
#include "util/log.h"

#define SERVER_MAX_WORKERS 64
#define SERVER_MAX_LISTENS 16
#define SERVER_MAX_RETIRED 16	/* reloads whose old configuration a worker still uses */
#define SERVER_BATCH 32

/*
 * What a worker needs from the configuration; built per load and swapped as a whole.
 * Reference-counted: the server holds one reference for the current runtime and every EAP
 * conversation holds one for the runtime it started under, so a reload never frees a
 * configuration a conversation still uses. A top-level talloc context (no parent), since the
 * last reference may be dropped by any worker.
 */
struct runtime {
	_Atomic long refs;
	struct conf const *conf;
	struct dict const *dict;
	int detail_fd;			/* -1 when accounting writes no detail file */
	unsigned generation;
	struct tls_server *tls;		/* EAP-TLS server context, NULL without eap */
	struct tls_method_conf tls_conf;
	struct inner_lookup inner;
	struct eap_method_entry methods[3];
	struct eap_server_conf eap_conf;
};

struct runtime *runtime_ref(struct runtime *rt);
void runtime_unref(struct runtime *rt);

struct worker {
	unsigned index;
	pthread_t thread;
	int epoll_fd;
	int fds[SERVER_MAX_LISTENS];	/* one socket per listen section */
	size_t n_fds;
	TALLOC_CTX *ctx;		/* the worker's own allocations */
	TALLOC_CTX *pool;		/* per-request allocations come from here */
	struct dupcache *dups;
	struct stats stats;
	uint64_t next_request;		/* request numbers for log lines */
	_Atomic unsigned seen_generation;
	atomic_bool exited;		/* set by the thread as its last act */
	struct server *server;
};

struct server {
	_Atomic(struct runtime *) runtime;
	struct worker *workers;
	size_t n_workers;
	struct conf_listen const *listens;	/* from the first configuration (not reloaded) */
	size_t n_listens;
	atomic_bool stopping;
	struct session_table *sessions;		/* EAP conversations, all workers */
	unsigned session_max, session_timeout;	/* what the table was made with */
	/* Configurations replaced by a reload, still possibly used by a worker (main thread). */
	struct runtime *retired[SERVER_MAX_RETIRED];
	double retired_at[SERVER_MAX_RETIRED];
	size_t n_retired;
	bool retired_warned;
	bool debug;
};

/* One received datagram and what is known about it while it is handled. */
struct request {
	struct worker *worker;
	struct runtime *rt;
	TALLOC_CTX *ctx;
	uint64_t number;
	enum conf_listen_type listen_type;
	uint8_t listen_index;
	struct sockaddr_storage src;
	struct conf_client const *client;
	struct rad_packet *packet;
	struct rad_packet *reply;	/* NULL: no answer */
	double now;
};

/* listener.c: a bound UDP socket for one listen section (SO_REUSEPORT), or -1 with err_msg(). */
int listener_open(struct conf_listen const *listen);
void listener_describe(char *buf, size_t cap, struct conf_listen const *listen);
void sockaddr_print(char *buf, size_t cap, struct sockaddr const *sa);

/* worker.c */
int worker_start(struct server *srv, struct worker *w);
double server_now(void);

/* request.c: handle one datagram; returns the reply's length in out (0: no answer). */
size_t request_handle(struct worker *w, struct runtime *rt, unsigned listen_index,
		      struct sockaddr const *src, uint8_t const *data, size_t len, uint8_t *out,
		      size_t cap);

/* access.c: decide an Access-Request (PAP/CHAP against the users file); fills req->reply. */
void access_handle(struct request *req);

/* eap_access.c: an Access-Request carrying EAP-Message msg; fills req->reply or drops. */
void eap_access_handle(struct request *req, struct rad_attr const *msg);

/* eap_access.c: inner credentials from the users file (struct inner_lookup; ctx = conf). */
int eap_inner_lookup(void const *ctx, char const *user, size_t len, struct inner_creds *out);

/* accounting.c: write the detail record and fill req->reply, or leave it NULL on failure. */
void accounting_handle(struct request *req);

/* Log helpers that carry the request's ids. */
void request_log(struct request const *req, enum log_level lvl, char const *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
