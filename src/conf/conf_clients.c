/*
 * clients.conf in FreeRADIUS's syntax: `client NAME { ipaddr = ADDR[/LEN] secret = ... }`,
 * and the lookup of the client for a source address (longest prefix wins; IPv4-mapped IPv6
 * sources, RFC 4291 2.5.5.2, match IPv4 clients). Shared secrets: RFC 2865 3; Message-
 * Authenticator requirement: RFC 3579 3.2 and the BlastRADIUS mitigations (limit_proxy_state).
 */
#include "conf/conf.h"

#include <stdlib.h>
#include <string.h>

#include "conf/cf.h"
#include "util/err.h"
#include "util/hex.h"

#define CONF_MAX_CLIENTS 65536
#define CONF_MAX_SECRET 256

static int secret_wipe(uint8_t *p)
{
	mem_wipe(p, talloc_get_size(p));
	return 0;
}

static uint8_t const *addr_bytes(struct sockaddr_storage const *ss)
{
	if (ss->ss_family == AF_INET)
		return (uint8_t const *)&((struct sockaddr_in const *)ss)->sin_addr;
	return (uint8_t const *)&((struct sockaddr_in6 const *)ss)->sin6_addr;
}

static int client_addr(struct conf_client *c, struct cf_item const *cs)
{
	struct cf_item const *v4 = cf_pair_find(cs, "ipaddr");
	struct cf_item const *v6 = cf_pair_find(cs, "ipv6addr");
	struct cf_item const *cp = v4 ? v4 : v6;
	char const *text = cp ? cp->value : cs->name2;
	int family = v6 ? AF_INET6 : AF_UNSPEC;

	if (v4 && v6)
		return cf_error(v6, "client has both ipaddr and ipv6addr; use one client per "
				"network");
	if (cf_addr_parse(text, family, true, &c->net, &c->prefix_len) < 0) {
		if (cp) err_prefix("%s:%d: %s", cp->file, cp->line, cp->name);
		else err_prefix("%s:%d: client has no ipaddr and its name", cs->file, cs->line);
		return -1;
	}
	return 0;
}

static int client_secret(struct conf_client *c, struct cf_item const *cs, TALLOC_CTX *ctx)
{
	struct cf_item const *cp = cf_pair_find(cs, "secret");
	size_t len = cp ? strlen(cp->value) : 0;
	uint8_t *secret;

	if (!cp) return cf_error(cs, "client %s has no secret; add secret = ...", c->name);
	if (len == 0) return cf_error(cp, "client %s has an empty secret; set one", c->name);
	if (len > CONF_MAX_SECRET)
		return cf_error(cp, "client %s: secret longer than %d characters; shorten it",
				c->name, CONF_MAX_SECRET);
	secret = talloc_size(ctx, len);
	if (!secret) return cf_error(cp, "out of memory");
	talloc_set_name_const(secret, "secret");
	memcpy(secret, cp->value, len);
	talloc_set_destructor(secret, secret_wipe);
	c->secret = secret;
	c->secret_len = len;
	return 0;
}

static int client_parse(TALLOC_CTX *ctx, struct conf_client *c, struct cf_item const *cs)
{
	static char const *const keys[] = { "ipaddr", "ipv6addr", "secret",
		"require_message_authenticator", "limit_proxy_state", "shortname", "nas_type",
		NULL };
	struct cf_item const *cp;

	if (strcmp(cs->name, "client") != 0)
		return cf_error(cs, "unknown section '%s'; clients.conf holds client NAME { ... }",
				cs->name);
	if (!cs->name2) return cf_error(cs, "client without a name; write client NAME { ... }");
	if (cf_section_check(cs, keys, NULL) < 0) return -1;
	c->name = talloc_strdup(ctx, cs->name2);
	c->file = talloc_strdup(ctx, cs->file);
	c->line = cs->line;
	if (!c->name || !c->file) return cf_error(cs, "out of memory");
	c->require_ma = true;
	c->limit_proxy_state = true;
	if (client_addr(c, cs) < 0 || client_secret(c, cs, ctx) < 0) return -1;
	if ((cp = cf_pair_find(cs, "require_message_authenticator")) &&
	    cf_pair_bool(cp, &c->require_ma) < 0)
		return -1;
	if ((cp = cf_pair_find(cs, "limit_proxy_state")) &&
	    cf_pair_bool(cp, &c->limit_proxy_state) < 0)
		return -1;
	return 0;
}

/* Most specific first; same prefix: IPv4 first, then by address, so equal networks are adjacent. */
static int client_cmp(void const *va, void const *vb)
{
	struct conf_client const *a = va, *b = vb;
	int r;

	if (a->prefix_len != b->prefix_len) return a->prefix_len > b->prefix_len ? -1 : 1;
	if (a->net.ss_family != b->net.ss_family) return a->net.ss_family == AF_INET ? -1 : 1;
	r = memcmp(addr_bytes(&a->net), addr_bytes(&b->net), a->net.ss_family == AF_INET ? 4 : 16);
	if (r) return r;
	r = strcmp(a->file, b->file);
	if (r) return r;
	return a->line < b->line ? -1 : a->line > b->line;
}

static int clients_sort(struct conf *conf)
{
	size_t i;

	qsort(conf->clients, conf->n_clients, sizeof(conf->clients[0]), client_cmp);
	for (i = 1; i < conf->n_clients; i++) {
		struct conf_client const *a = &conf->clients[i - 1], *b = &conf->clients[i];

		if (a->prefix_len == b->prefix_len && a->net.ss_family == b->net.ss_family &&
		    memcmp(addr_bytes(&a->net), addr_bytes(&b->net),
			   a->net.ss_family == AF_INET ? 4 : 16) == 0) {
			/* report the one defined later against the earlier one */
			err_set("%s:%d: client %s has the same network as client %s at %s:%d; "
				"remove one", b->file, b->line, b->name, a->name, a->file, a->line);
			return -1;
		}
	}
	return 0;
}

int conf_clients_load(struct conf *conf, char const *path, char const *where)
{
	struct cf_item *root;
	struct cf_item const *cs;
	size_t n = 0;
	int rcode = -1;

	root = cf_tree_parse(conf, path, where, conf->confdir);
	if (!root) return -1;
	for (cs = root->child; cs; cs = cs->next) {
		if (!cs->is_section) {
			cf_error(cs, "unknown key '%s'; clients.conf holds client NAME { ... }",
				 cs->name);
			goto done;
		}
		n++;
	}
	if (n > CONF_MAX_CLIENTS) {
		err_set("%s: more than %d clients; use CIDR networks", path, CONF_MAX_CLIENTS);
		goto done;
	}
	conf->clients = talloc_zero_array(conf, struct conf_client, n ? n : 1);
	if (!conf->clients) {
		err_set("%s: out of memory", path);
		goto done;
	}
	for (cs = root->child; cs; cs = cs->next) {
		if (client_parse(conf->clients, &conf->clients[conf->n_clients], cs) < 0) goto done;
		conf->n_clients++;
	}
	rcode = clients_sort(conf);
done:
	talloc_free(root);
	return rcode;
}

struct conf_client const *conf_client_find(struct conf const *conf, struct sockaddr const *src)
{
	static uint8_t const mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	uint8_t const *a;
	int family = src->sa_family;
	size_t i;

	if (family == AF_INET) {
		a = (uint8_t const *)&((struct sockaddr_in const *)src)->sin_addr;
	} else if (family == AF_INET6) {
		a = (uint8_t const *)&((struct sockaddr_in6 const *)src)->sin6_addr;
		if (memcmp(a, mapped, sizeof(mapped)) == 0) {
			family = AF_INET;
			a += 12;
		}
	} else {
		return NULL;
	}
	for (i = 0; i < conf->n_clients; i++) {
		struct conf_client const *c = &conf->clients[i];

		if (c->net.ss_family == family &&
		    cf_addr_prefix_equal(addr_bytes(&c->net), a, c->prefix_len))
			return c;
	}
	return NULL;
}
