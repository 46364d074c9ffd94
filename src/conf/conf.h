/*
 * latchd configuration: raddb/latchd.conf (main), clients.conf (FreeRADIUS client syntax)
 * and the users file, parsed into one immutable tree. A reload builds a new tree and the
 * server swaps it in; nothing in a tree changes after conf_load() returns.
 */
#ifndef LATCHD_CONF_CONF_H
#define LATCHD_CONF_CONF_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <talloc.h>

#include "dict/dict.h"
#include "tls/tls.h"

enum conf_listen_type {
	CONF_LISTEN_AUTH,
	CONF_LISTEN_ACCT,
};

struct conf_listen {
	enum conf_listen_type type;
	struct sockaddr_storage addr;	/* address and port to bind (IPv4 or IPv6) */
	socklen_t addr_len;
	char const *file;
	int line;
};

struct conf_client {
	char const *name;
	struct sockaddr_storage net;	/* network address (port ignored) */
	uint8_t prefix_len;		/* CIDR prefix: 32/128 for a single host */
	uint8_t const *secret;
	size_t secret_len;
	bool require_ma;		/* require_message_authenticator, default yes */
	bool limit_proxy_state;		/* drop Proxy-State without Message-Authenticator, default yes */
	char const *file;
	int line;
};

/* One reply attribute of a users entry: wire value, ready for rad_attr_add(). */
struct users_reply {
	struct dict_attr const *da;
	uint8_t const *value;
	size_t len;
};

enum users_auth_type {
	USERS_AUTH_DEFAULT,	/* check the password */
	USERS_AUTH_ACCEPT,	/* Auth-Type := Accept */
	USERS_AUTH_REJECT,	/* Auth-Type := Reject */
};

struct users_entry {
	char const *name;		/* "DEFAULT" entries match any user */
	bool is_default;
	char const *cleartext;		/* Cleartext-Password, or NULL */
	size_t cleartext_len;
	bool has_nt_hash;
	uint8_t nt_hash[16];		/* NT-Password */
	enum users_auth_type auth_type;
	struct users_reply *reply;
	size_t n_reply;
	char const *file;
	int line;
};

/* eap { user_name = ... }: what the Access-Accept's User-Name holds after EAP-TLS. */
enum conf_eap_user_name {
	CONF_EAP_USER_NAME_IDENTITY,	/* the EAP-Response/Identity (default) */
	CONF_EAP_USER_NAME_CERT_CN,	/* the client certificate's subject CN */
	CONF_EAP_USER_NAME_CERT_SAN,	/* a SAN (email/DNS/UPN) of that certificate */
};

/* eap { ... tls { ... } }: EAP-TLS (RFC 5216, RFC 9190). Defaults apply without a section. */
#define CONF_EAP_SESSION_TIMEOUT_DEFAULT 30
#define CONF_EAP_MAX_SESSIONS_DEFAULT 16384
struct conf_eap {
	bool enabled;			/* an eap section is present */
	char const *default_method;	/* "tls" (the only method so far) */
	unsigned session_timeout;	/* seconds idle, default 30, 1..600 */
	unsigned max_sessions;		/* default 16384, 16..1000000 */
	unsigned max_rounds;		/* default 50, 4..1000 */
	unsigned fragment_size;		/* largest EAP packet we send, default 1400, 100..4000;
					 * lowered per request to Framed-MTU */
	unsigned max_message;		/* reassembly cap of one TLS message, default 65536,
					 * 1024..65536 (what latchd buffers for OpenSSL) */
	enum conf_eap_user_name user_name;
	struct tls_settings tls;	/* from tls { }: paths resolved against confdir and
					 * checked readable at load time; strings owned by the
					 * tree. conf never builds the TLS context (the server
					 * calls tls_server_new with this). */
};

struct conf {
	char const *confdir;
	char const *main_file;
	unsigned generation;		/* set by the server when it swaps trees in */

	unsigned workers;		/* server { workers = N }: 0 = one per CPU */
	unsigned duplicate_ttl;		/* server { duplicate_ttl = S } seconds, default 5 */
	unsigned max_requests;		/* server { max_requests = N } dup-cache entries per worker */

	struct conf_listen *listens;
	size_t n_listens;

	struct conf_client *clients;	/* most specific prefix first */
	size_t n_clients;

	struct users_entry *users;	/* in file order */
	size_t n_users;

	char const *detail_file;	/* accounting { detail = PATH }, NULL = do not write */
	bool detail_fsync;		/* accounting { fsync = yes } */

	struct conf_eap eap;		/* eap { } */

	void *index;			/* private lookup structures */
};

/*
 * Load CONFDIR/latchd.conf and the files it names. Relative paths are resolved against
 * CONFDIR. Returns the tree owned by ctx, or NULL with err_msg() = "FILE:LINE: what is wrong;
 * what to do". dict is used to parse reply attributes and must outlive the tree.
 */
struct conf *conf_load(TALLOC_CTX *ctx, char const *confdir, struct dict const *dict);

/* The client for a source address (most specific prefix wins), or NULL. */
struct conf_client const *conf_client_find(struct conf const *conf, struct sockaddr const *src);

/* The users entry for a name (exact match first, then the first DEFAULT), or NULL. */
struct users_entry const *conf_user_find(struct conf const *conf, char const *name, size_t len);

#endif
