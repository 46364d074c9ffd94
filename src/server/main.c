/*
 * latchd: a RADIUS server for 802.1X port authentication. This file: the command line,
 * start-up (dictionary, configuration, workers), signals (SIGTERM/SIGINT stop, SIGHUP
 * reload, SIGUSR1 counters) and shutdown.
 */
#include "server/server.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "methods/peap.h"
#include "util/err.h"

struct options {
	char const *confdir;
	char const *dictdir;
	bool debug;
	bool check_only;
};

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: latchd [-X] [-C] [-d CONFDIR] [-D DICTDIR]\n"
		"  -X          debug: log every request with its attributes and the decision\n"
		"  -C          check the configuration, print the first error, exit 0 or 1\n"
		"  -d CONFDIR  configuration directory (default %s)\n"
		"  -D DICTDIR  dictionary directory (default %s)\n"
		"Runs in the foreground. SIGTERM/SIGINT stop it, SIGHUP reloads clients and users,\n"
		"SIGUSR1 logs the counters.\n",
		LATCHD_CONFDIR, LATCHD_DICTDIR);
}

static int options_parse(struct options *opt, int argc, char **argv)
{
	int c;

	opt->confdir = LATCHD_CONFDIR;
	opt->dictdir = LATCHD_DICTDIR;
	while ((c = getopt(argc, argv, "XCd:D:h")) != -1) {
		switch (c) {
		case 'X': opt->debug = true; break;
		case 'C': opt->check_only = true; break;
		case 'd': opt->confdir = optarg; break;
		case 'D': opt->dictdir = optarg; break;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); return -1;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return -1;
	}
	return 0;
}

/* Create the directory that will hold path (one level), if missing. */
static void make_parent_dir(char const *path)
{
	char dir[PATH_MAX];
	char *slash;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (!slash || slash == dir) return;
	*slash = '\0';
	(void)mkdir(dir, 0750);
}

static int runtime_destructor(struct runtime *rt)
{
	if (rt->detail_fd >= 0) close(rt->detail_fd);
	return 0;
}

struct runtime *runtime_ref(struct runtime *rt)
{
	atomic_fetch_add(&rt->refs, 1);
	return rt;
}

void runtime_unref(struct runtime *rt)
{
	if (rt && atomic_fetch_sub(&rt->refs, 1) == 1) talloc_free(rt);
}

/* The enabled methods, the configured default first. Returns how many. */
static size_t eap_methods_fill(struct eap_method_entry *out, char const *first,
			       struct tls_method_conf const *conf)
{
	static struct eap_method const *const all[] = {&eap_tls_method, &ttls_method, &peap_method};
	size_t n = 0, i;

	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (strcmp(all[i]->name, first) == 0) out[n++] = (struct eap_method_entry){all[i], conf};
	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (strcmp(all[i]->name, first) != 0) out[n++] = (struct eap_method_entry){all[i], conf};
	return n;
}

/* EAP: the TLS context and the method table, built once per configuration. prev: the
 * runtime being replaced by a reload, or NULL at start. */
static int runtime_load_eap(struct runtime *rt, struct runtime const *prev)
{
	struct conf_eap const *eap = &rt->conf->eap;
	bool kept;

	if (!eap->enabled) return 0;
	rt->tls = tls_server_new(rt, &eap->tls);
	if (!rt->tls) {
		err_prefix("%s: eap { tls { } }", rt->conf->main_file);
		return -1;
	}
	/* Without ticket_key_file, a reload keeps the process's random ticket secret (and does
	 * not repeat the warning about it): outstanding tickets keep resuming. */
	kept = prev && prev->tls && tls_server_keep_random_key(rt->tls, prev->tls);
	if (tls_server_warning(rt->tls)[0] && !kept)
		log_warn("%s: eap { tls { } }: %s", rt->conf->main_file, tls_server_warning(rt->tls));
	rt->inner.lookup = eap_inner_lookup;
	rt->inner.ctx = rt->conf;
	rt->tls_conf.tls = rt->tls;
	rt->tls_conf.max_message = eap->max_message;
	rt->tls_conf.inner = &rt->inner;
	/* Every method is enabled; the default is offered first, a Nak picks another. */
	rt->eap_conf.methods = rt->methods;
	rt->eap_conf.n_methods = eap_methods_fill(rt->methods, eap->default_method, &rt->tls_conf);
	rt->eap_conf.max_rounds = eap->max_rounds;
	return 0;
}

/*
 * Load the configuration into a new runtime holding one reference (a top-level talloc
 * context: see struct runtime). NULL with err_msg() on failure.
 */
static struct runtime *runtime_load(struct options const *opt, struct dict const *dict,
				    unsigned generation, struct runtime const *prev)
{
	struct runtime *rt = talloc_zero(NULL, struct runtime);

	if (!rt) return NULL;
	atomic_store(&rt->refs, 1);
	rt->detail_fd = -1;
	talloc_set_destructor(rt, runtime_destructor);
	rt->dict = dict;
	rt->generation = generation;
	rt->conf = conf_load(rt, opt->confdir, dict);
	if (!rt->conf || runtime_load_eap(rt, prev) < 0) goto fail;
	if (rt->conf->detail_file) {
		make_parent_dir(rt->conf->detail_file);
		rt->detail_fd = open(rt->conf->detail_file,
				     O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
		if (rt->detail_fd < 0) {
			err_set("accounting detail file %s: %s; fix the path or its permissions",
				rt->conf->detail_file, strerror(errno));
			goto fail;
		}
	}
	return rt;
fail:
	talloc_free(rt);
	return NULL;
}

/* Refuse to share a port with another program: SO_REUSEPORT alone would let us. */
static int listens_probe(struct conf const *conf)
{
	size_t i;

	for (i = 0; i < conf->n_listens; i++) {
		struct conf_listen const *l = &conf->listens[i];
		int fd = socket(l->addr.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		int one = 1;
		char what[160];

		if (fd < 0) continue;
		if (l->addr.ss_family == AF_INET6)
			(void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
		if (bind(fd, (struct sockaddr const *)&l->addr, l->addr_len) < 0) {
			listener_describe(what, sizeof(what), l);
			err_set("listen %s: %s; is another server (latchd, freeradius) using the port?",
				what, strerror(errno));
			close(fd);
			return -1;
		}
		close(fd);
	}
	return 0;
}

static unsigned workers_wanted(struct conf const *conf)
{
	long n = conf->workers ? (long)conf->workers : sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 1) n = 1;
	if (n > SERVER_MAX_WORKERS) n = SERVER_MAX_WORKERS;
	return (unsigned)n;
}

static void server_log_stats(struct server *srv, char const *when)
{
	struct stats *blocks[SERVER_MAX_WORKERS];
	char line[2048];
	size_t i;

	for (i = 0; i < srv->n_workers; i++) blocks[i] = &srv->workers[i].stats;
	stats_format(line, sizeof(line), blocks, srv->n_workers);
	log_info("counters (%s): %s", when, line);
}

static bool listens_equal(struct server const *srv, struct conf const *c)
{
	size_t i;

	if (c->n_listens != srv->n_listens) return false;
	for (i = 0; i < c->n_listens; i++) {
		struct conf_listen const *a = &srv->listens[i], *b = &c->listens[i];

		if (a->type != b->type || a->addr_len != b->addr_len ||
		    memcmp(&a->addr, &b->addr, a->addr_len) != 0)
			return false;
	}
	return true;
}

/* A reload applies clients, users, the eap section's TLS and methods, and accounting; the
 * rest is fixed at start: say so for each such setting the new files change. */
static void reload_restart_warnings(struct server const *srv, struct conf const *old,
				    struct conf const *c)
{
	char what[256] = "";
	size_t n = 0;

#define RESTART_ONLY(changed, name)                                                          \
	do {                                                                                 \
		if ((changed) && n < sizeof(what))                                           \
			n += (size_t)snprintf(what + n, sizeof(what) - n, "%s%s", n ? ", " : "", \
					      name);                                         \
	} while (0)

	RESTART_ONLY(!listens_equal(srv, c), "listen sections");
	RESTART_ONLY(workers_wanted(c) != srv->n_workers, "server { workers }");
	RESTART_ONLY(c->max_requests != old->max_requests, "server { max_requests }");
	RESTART_ONLY(c->duplicate_ttl != old->duplicate_ttl, "server { duplicate_ttl }");
	RESTART_ONLY(c->eap.enabled && c->eap.max_sessions != srv->session_max,
		     "eap { max_sessions }");
	RESTART_ONLY(c->eap.enabled && c->eap.session_timeout != srv->session_timeout,
		     "eap { session_timeout }");
#undef RESTART_ONLY
	if (n)
		log_warn("reload: %s changed; that takes a restart (the running values stay)", what);
}

/*
 * Release the replaced configurations every worker has moved past (a worker reports the
 * generation it uses after each batch and at least every 250 ms). One that stays because a
 * worker is stuck (a write or fsync on the detail file that does not return) is said once.
 */
static void retired_sweep(struct server *srv)
{
	unsigned seen = UINT_MAX;
	double now = server_now();
	size_t i, k = 0;

	for (i = 0; i < srv->n_workers; i++) {
		unsigned g = atomic_load(&srv->workers[i].seen_generation);

		if (atomic_load(&srv->workers[i].exited)) continue; /* it uses no tree any more */
		if (g < seen) seen = g;
	}
	for (i = 0; i < srv->n_retired; i++) {
		struct runtime *r = srv->retired[i];

		if (r->generation < seen) {
			runtime_unref(r); /* EAP conversations may still hold it */
			continue;
		}
		if (now - srv->retired_at[i] >= 5.0 && !srv->retired_warned) {
			log_warn("reload: a worker has not moved to the new configuration for %.0f s "
				 "(blocked writing the detail file?); the old configuration is freed "
				 "when it does", now - srv->retired_at[i]);
			srv->retired_warned = true;
		}
		srv->retired[k] = r;
		srv->retired_at[k++] = srv->retired_at[i];
	}
	srv->n_retired = k;
	if (k == 0) srv->retired_warned = false;
}

static void server_reload(struct server *srv, struct options const *opt,
			  struct dict const *dict)
{
	struct runtime *old = atomic_load(&srv->runtime);
	struct runtime *rt;

	retired_sweep(srv);
	if (srv->n_retired == SERVER_MAX_RETIRED) {
		log_error("reload refused: %d older configurations are still used by a worker that "
			  "has not moved on (blocked writing the detail file?); reload again once "
			  "it has", SERVER_MAX_RETIRED);
		return;
	}
	rt = runtime_load(opt, dict, old->generation + 1, old);
	if (!rt) {
		log_error("reload failed, keeping the running configuration: %s", err_msg());
		return;
	}
	reload_restart_warnings(srv, old->conf, rt->conf);
	atomic_store(&srv->runtime, rt);
	/* Freed by retired_sweep once every worker has moved to the new tree: no waiting here,
	 * so a stuck worker neither stalls the signal loop nor keeps the old tree forever. */
	srv->retired[srv->n_retired] = old;
	srv->retired_at[srv->n_retired++] = server_now();
	log_info("reloaded %s: %zu clients, %zu users", rt->conf->main_file, rt->conf->n_clients,
		 rt->conf->n_users);
}

static int server_start(struct server *srv, TALLOC_CTX *ctx)
{
	struct runtime const *rt = atomic_load(&srv->runtime);
	size_t i;

	/* The sockets outlive any configuration tree (a reload keeps them): keep a copy. */
	srv->n_listens = rt->conf->n_listens;
	srv->listens = talloc_memdup(ctx, rt->conf->listens,
				     rt->conf->n_listens * sizeof(rt->conf->listens[0]));
	if (srv->n_listens && !srv->listens) return -1;
	for (i = 0; i < srv->n_listens; i++) {
		struct conf_listen *l = (struct conf_listen *)&srv->listens[i];

		l->file = talloc_strdup(srv->listens, l->file ? l->file : "?");
	}
	if (srv->n_listens == 0 || srv->n_listens > SERVER_MAX_LISTENS) {
		err_set("%s: %zu listen sections; give between 1 and %d", rt->conf->main_file,
			srv->n_listens, SERVER_MAX_LISTENS);
		return -1;
	}
	if (listens_probe(rt->conf) < 0) return -1;
	/* Also without an eap section, so that one added by a reload works. */
	srv->sessions = session_table_new(ctx, rt->conf->eap.enabled ? rt->conf->eap.max_sessions
								   : CONF_EAP_MAX_SESSIONS_DEFAULT,
					  rt->conf->eap.enabled ? rt->conf->eap.session_timeout
								: CONF_EAP_SESSION_TIMEOUT_DEFAULT);
	if (!srv->sessions) {
		err_set("cannot create the EAP session table");
		return -1;
	}
	srv->session_max = rt->conf->eap.enabled ? rt->conf->eap.max_sessions
						 : CONF_EAP_MAX_SESSIONS_DEFAULT;
	srv->session_timeout = rt->conf->eap.enabled ? rt->conf->eap.session_timeout
						     : CONF_EAP_SESSION_TIMEOUT_DEFAULT;
	srv->n_workers = workers_wanted(rt->conf);
	srv->workers = talloc_zero_array(ctx, struct worker, srv->n_workers);
	if (!srv->workers) return -1;
	for (i = 0; i < srv->n_workers; i++) {
		struct worker *w = &srv->workers[i];

		w->index = (unsigned)i;
		w->ctx = talloc_new(srv->workers);
		if (!w->ctx || worker_start(srv, w) < 0) {
			srv->n_workers = i;
			return -1;
		}
	}
	return 0;
}

/*
 * Stop the workers. They notice within 250 ms; one that does not stop within 5 s is stuck
 * (a write or fsync on the detail file that does not return): returns false, and the caller
 * exits without freeing what that worker may still touch.
 */
static bool server_stop(struct server *srv)
{
	struct timespec pause = {.tv_nsec = 10 * 1000 * 1000};
	size_t i, j, stuck = 0;
	int tries;

	atomic_store(&srv->stopping, true);
	for (tries = 0; tries < 500; tries++) {
		for (i = 0; i < srv->n_workers; i++)
			if (srv->workers[i].thread && !atomic_load(&srv->workers[i].exited)) break;
		if (i == srv->n_workers) break;
		nanosleep(&pause, NULL);
	}
	for (i = 0; i < srv->n_workers; i++) {
		struct worker *w = &srv->workers[i];

		if (w->thread && !atomic_load(&w->exited)) {
			log_error("worker %zu did not stop within 5 s (blocked writing the detail "
				  "file?); exiting without it", i);
			stuck++;
			continue;
		}
		if (w->thread) pthread_join(w->thread, NULL);
		for (j = 0; j < w->n_fds; j++) close(w->fds[j]);
		if (w->epoll_fd > 0) close(w->epoll_fd);
	}
	return stuck == 0;
}

static void server_log_ready(struct server const *srv)
{
	char what[160];
	size_t i;

	for (i = 0; i < srv->n_listens; i++) {
		listener_describe(what, sizeof(what), &srv->listens[i]);
		log_info("listening on %s", what);
	}
	log_info("ready: %zu workers", srv->n_workers);
}

/* The main thread only waits for signals; workers do all packet work. */
static void server_signal_loop(struct server *srv, TALLOC_CTX *ctx, struct options const *opt,
			       struct dict const *dict, sigset_t const *set)
{
	for (;;) {
		int sig = 0;

		if (srv->n_retired) { /* a reload's old tree to free: look again every 250 ms */
			struct timespec tick = {.tv_nsec = 250 * 1000 * 1000};

			sig = sigtimedwait(set, NULL, &tick);
			retired_sweep(srv);
			if (sig < 0) continue;
		} else if (sigwait(set, &sig) != 0) {
			continue;
		}
		if (sig == SIGHUP) {
			log_info("SIGHUP: reloading the configuration");
			server_reload(srv, opt, dict);
		} else if (sig == SIGUSR1) {
			server_log_stats(srv, "SIGUSR1");
		} else {
			log_info("signal %d: stopping", sig);
			return;
		}
	}
}

int main(int argc, char **argv)
{
	struct options opt = {0};
	TALLOC_CTX *root;
	struct dict *dict;
	struct runtime *rt = NULL;
	struct server srv;
	char path[PATH_MAX];
	sigset_t set;
	int rc = 1;

	memset(&srv, 0, sizeof(srv));
	/* First of all: a SIGHUP (a reload racing a restart) or SIGUSR1 while the dictionary and
	 * configuration load would otherwise kill the process; blocked, they wait for the signal
	 * loop. SIGTERM and SIGINT still stop a start-up that hangs (a detail FIFO without a
	 * reader); they are blocked too just before the workers start. Workers inherit the mask;
	 * only sigwait() in this thread sees these. */
	sigemptyset(&set);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	if (options_parse(&opt, argc, argv) < 0) return 2;
	if (opt.debug) log_threshold = LOG_LVL_DEBUG;
	log_debug("loading the dictionaries from %s and the configuration from %s", opt.dictdir,
		  opt.confdir);
	root = talloc_new(NULL);
	snprintf(path, sizeof(path), "%s/dictionary", opt.dictdir);
	dict = dict_load(root, path);
	if (!dict) {
		log_error("dictionary: %s", err_msg());
		goto out;
	}
	rt = runtime_load(&opt, dict, 1, NULL);
	if (!rt) {
		log_error("configuration: %s", err_msg());
		goto out;
	}
	if (opt.check_only) {
		printf("%s: configuration OK (%zu clients, %zu users, %zu listen sections)\n",
		       rt->conf->main_file, rt->conf->n_clients, rt->conf->n_users,
		       rt->conf->n_listens);
		rc = 0;
		goto out;
	}
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* A file size limit (ulimit -f, LimitFSIZE=) reached by the detail file makes write()
	 * fail with EFBIG, logged per record, instead of killing the server. */
	signal(SIGXFSZ, SIG_IGN);
	atomic_store(&srv.runtime, rt);
	srv.debug = opt.debug;
	if (server_start(&srv, root) < 0) {
		log_error("start-up failed: %s", err_msg());
		if (!server_stop(&srv)) _exit(1);
		goto out;
	}
	server_log_ready(&srv);
	server_signal_loop(&srv, root, &opt, dict, &set);
	if (!server_stop(&srv)) {
		/* A stuck worker may still use the runtime, the sessions, its sockets: free
		 * nothing, the process ends here. */
		server_log_stats(&srv, "exit");
		_exit(1);
	}
	server_log_stats(&srv, "exit");
	rc = 0;
out:
	/* Conversations first (they hold runtime references), then the runtimes. */
	TALLOC_FREE(srv.sessions);
	if (srv.runtime) runtime_unref(atomic_load(&srv.runtime));
	else if (rt) runtime_unref(rt);
	while (srv.n_retired) runtime_unref(srv.retired[--srv.n_retired]);
	talloc_free(root);
	return rc;
}
