/*
 * conf_load(): CONFDIR/latchd.conf -> struct conf. The main file holds server { },
 * listen { } (RADIUS auth on 1812, accounting on 1813: RFC 2865 3, RFC 2866 3),
 * accounting { }, eap { } (conf_eap.c) and the names of the clients and users files. Every
 * key is known: an unknown key or section is an error naming its file:line, so a typo is never
 * silently ignored.
 */
#include "conf/conf.h"

#include <arpa/inet.h>
#include <string.h>

#include "conf/cf.h"
#include "util/err.h"

#define CONF_MAX_WORKERS 1024
#define CONF_MAX_DUP_TTL 3600
#define CONF_MAX_REQUESTS (1u << 24)
#define CONF_MAX_LISTENS 64

static int server_parse(struct conf *conf, struct cf_item const *cs)
{
	static char const *const keys[] = { "workers", "duplicate_ttl", "max_requests", NULL };
	struct cf_item const *cp;

	if (cs->name2) return cf_error(cs, "'server %s {': server takes no name; remove it",
				       cs->name2);
	if (cf_section_check(cs, keys, NULL) < 0) return -1;
	if ((cp = cf_pair_find(cs, "workers")) &&
	    cf_pair_uint(cp, 0, CONF_MAX_WORKERS, &conf->workers) < 0)
		return -1;
	if ((cp = cf_pair_find(cs, "duplicate_ttl")) &&
	    cf_pair_uint(cp, 1, CONF_MAX_DUP_TTL, &conf->duplicate_ttl) < 0)
		return -1;
	if ((cp = cf_pair_find(cs, "max_requests")) &&
	    cf_pair_uint(cp, 16, CONF_MAX_REQUESTS, &conf->max_requests) < 0)
		return -1;
	return 0;
}

static int listen_addr(struct conf_listen *l, struct cf_item const *cs)
{
	struct cf_item const *v4 = cf_pair_find(cs, "ipaddr");
	struct cf_item const *v6 = cf_pair_find(cs, "ipv6addr");
	struct cf_item const *cp = v4 ? v4 : v6;
	uint8_t prefix;

	if (v4 && v6)
		return cf_error(v6, "listen has both ipaddr and ipv6addr; use one listen per "
				"address");
	if (!cp)
		return cf_error(cs, "listen has no address; add ipaddr = 127.0.0.1 (or * for "
				"any, or ipv6addr = ::1)");
	if (strcmp(cp->value, "*") == 0) {
		memset(&l->addr, 0, sizeof(l->addr));
		l->addr.ss_family = v4 ? AF_INET : AF_INET6;
		if (v6) ((struct sockaddr_in6 *)&l->addr)->sin6_addr = in6addr_any;
	} else if (cf_addr_parse(cp->value, v4 ? AF_UNSPEC : AF_INET6, false, &l->addr,
				 &prefix) < 0) {
		err_prefix("%s:%d: %s", cp->file, cp->line, cp->name);
		return -1;
	}
	l->addr_len = l->addr.ss_family == AF_INET ? sizeof(struct sockaddr_in)
						   : sizeof(struct sockaddr_in6);
	return 0;
}

static uint16_t listen_port(struct conf_listen const *l)
{
	if (l->addr.ss_family == AF_INET)
		return ntohs(((struct sockaddr_in const *)&l->addr)->sin_port);
	return ntohs(((struct sockaddr_in6 const *)&l->addr)->sin6_port);
}

static bool listen_same(struct conf_listen const *a, struct conf_listen const *b)
{
	if (a->addr.ss_family != b->addr.ss_family || listen_port(a) != listen_port(b))
		return false;
	if (a->addr.ss_family == AF_INET)
		return memcmp(&((struct sockaddr_in const *)&a->addr)->sin_addr,
			      &((struct sockaddr_in const *)&b->addr)->sin_addr, 4) == 0;
	return memcmp(&((struct sockaddr_in6 const *)&a->addr)->sin6_addr,
		      &((struct sockaddr_in6 const *)&b->addr)->sin6_addr, 16) == 0;
}

static int listen_parse(struct conf *conf, struct cf_item const *cs, struct conf_listen *l)
{
	static char const *const keys[] = { "type", "ipaddr", "ipv6addr", "port", NULL };
	struct cf_item const *cp;
	unsigned port = 0;
	size_t i;

	if (cs->name2) return cf_error(cs, "'listen %s {': listen takes no name; remove it",
				       cs->name2);
	if (cf_section_check(cs, keys, NULL) < 0) return -1;
	cp = cf_pair_find(cs, "type");
	if (!cp) return cf_error(cs, "listen has no type; add type = auth or type = acct");
	if (strcmp(cp->value, "auth") == 0) l->type = CONF_LISTEN_AUTH;
	else if (strcmp(cp->value, "acct") == 0) l->type = CONF_LISTEN_ACCT;
	else return cf_error(cp, "type = %s is not known; use auth or acct", cp->value);
	if (listen_addr(l, cs) < 0) return -1;
	if ((cp = cf_pair_find(cs, "port")) && cf_pair_uint(cp, 0, 65535, &port) < 0) return -1;
	if (port == 0) port = l->type == CONF_LISTEN_AUTH ? 1812 : 1813;
	if (l->addr.ss_family == AF_INET)
		((struct sockaddr_in *)&l->addr)->sin_port = htons((uint16_t)port);
	else
		((struct sockaddr_in6 *)&l->addr)->sin6_port = htons((uint16_t)port);
	l->file = talloc_strdup(conf, cs->file);
	l->line = cs->line;
	if (!l->file) return cf_error(cs, "out of memory");
	for (i = 0; i < conf->n_listens; i++) {
		if (listen_same(&conf->listens[i], l))
			return cf_error(cs, "listen on the same address and port as %s:%d; "
					"remove one", conf->listens[i].file, conf->listens[i].line);
	}
	return 0;
}

static int accounting_parse(struct conf *conf, struct cf_item const *cs)
{
	static char const *const keys[] = { "detail", "fsync", NULL };
	struct cf_item const *cp;

	if (cs->name2) return cf_error(cs, "'accounting %s {': accounting takes no name; "
				       "remove it", cs->name2);
	if (cf_section_check(cs, keys, NULL) < 0) return -1;
	if ((cp = cf_pair_find(cs, "detail")) && cp->value[0]) {
		conf->detail_file = cf_path_join(conf, conf->confdir, true, cp->value);
		if (!conf->detail_file) return cf_error(cp, "out of memory");
	}
	if ((cp = cf_pair_find(cs, "fsync")) && cf_pair_bool(cp, &conf->detail_fsync) < 0)
		return -1;
	return 0;
}

/* server, accounting and eap at most once; every listen into conf->listens. */
static int sections_parse(struct conf *conf, struct cf_item const *root)
{
	struct cf_item const *ci, *server = NULL, *acct = NULL, *eap = NULL;

	for (ci = root->child; ci; ci = ci->next) {
		struct cf_item const **once = NULL;

		if (!ci->is_section) continue;
		if (strcmp(ci->name, "server") == 0) once = &server;
		else if (strcmp(ci->name, "accounting") == 0) once = &acct;
		else if (strcmp(ci->name, "eap") == 0) once = &eap;
		if (once && *once)
			return cf_error(ci, "second '%s' section (first at %s:%d); merge them",
					ci->name, (*once)->file, (*once)->line);
		if (once) *once = ci;
		if (ci == server && server_parse(conf, ci) < 0) return -1;
		if (ci == acct && accounting_parse(conf, ci) < 0) return -1;
		if (ci == eap && conf_eap_parse(conf, ci) < 0) return -1;
		if (strcmp(ci->name, "listen") != 0) continue;
		if (conf->n_listens >= CONF_MAX_LISTENS)
			return cf_error(ci, "more than %d listen sections; use fewer",
					CONF_MAX_LISTENS);
		if (listen_parse(conf, ci, &conf->listens[conf->n_listens]) < 0) return -1;
		conf->n_listens++;
	}
	if (conf->n_listens == 0) {
		err_set("%s:1: no listen section; add listen { type = auth  ipaddr = 127.0.0.1 }",
			conf->main_file);
		return -1;
	}
	return 0;
}

/* clients = FILE / users = FILE, relative to confdir, with defaults. */
static int file_load(struct conf *conf, struct cf_item const *root, char const *key,
		     char const *def, struct dict const *dict)
{
	struct cf_item const *cp = cf_pair_find(root, key);
	char *path, *where;
	int rcode;

	path = cf_path_join(conf, conf->confdir, true, cp ? cp->value : def);
	where = cp ? talloc_asprintf(conf, "%s:%d", cp->file, cp->line)
		   : talloc_asprintf(conf, "%s:1: %s (default)", conf->main_file, key);
	if (!path || !where) {
		talloc_free(path);
		talloc_free(where);
		err_set("%s: out of memory", conf->main_file);
		return -1;
	}
	if (strcmp(key, "clients") == 0) rcode = conf_clients_load(conf, path, where);
	else rcode = conf_users_load(conf, path, where, dict);
	talloc_free(path);
	talloc_free(where);
	return rcode;
}

static int conf_parse(struct conf *conf, struct cf_item const *root, struct dict const *dict)
{
	static char const *const keys[] = { "clients", "users", NULL };
	static char const *const sections[] = { "server", "listen", "accounting", "eap", NULL };

	if (cf_section_check(root, keys, sections) < 0) return -1;
	conf->listens = talloc_zero_array(conf, struct conf_listen, CONF_MAX_LISTENS);
	if (!conf->listens) {
		err_set("%s: out of memory", conf->main_file);
		return -1;
	}
	if (sections_parse(conf, root) < 0) return -1;
	if (file_load(conf, root, "clients", "clients.conf", dict) < 0) return -1;
	return file_load(conf, root, "users", "users", dict);
}

struct conf *conf_load(TALLOC_CTX *ctx, char const *confdir, struct dict const *dict)
{
	struct conf *conf;
	struct cf_item *root;

	if (!confdir || !*confdir) {
		err_set("no configuration directory given; pass one (e.g. -d /etc/latchd)");
		return NULL;
	}
	conf = talloc_zero(ctx, struct conf);
	if (!conf) {
		err_set("out of memory");
		return NULL;
	}
	talloc_set_name_const(conf, "struct conf");
	conf->confdir = talloc_strdup(conf, confdir);
	conf->main_file = cf_path_join(conf, confdir, true, "latchd.conf");
	conf->duplicate_ttl = 5;
	conf->max_requests = 65536;
	conf_eap_defaults(&conf->eap);
	if (!conf->confdir || !conf->main_file) {
		err_set("out of memory");
		goto fail;
	}
	root = cf_tree_parse(conf, conf->main_file, NULL, conf->confdir);
	if (!root) goto fail;
	if (conf_parse(conf, root, dict) < 0) goto fail;
	talloc_free(root);
	return conf;
fail:
	talloc_free(conf);
	return NULL;
}
