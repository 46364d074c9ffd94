/*
 * The eap { } section of latchd.conf and its tls { } subsection -> struct conf_eap: limits of
 * the EAP layer (RFC 3748, RFC 3579), EAP-TLS (RFC 5216, RFC 9190) and the struct
 * tls_settings the server hands to tls_server_new(). Certificate, key, CA and CRL paths are
 * resolved against confdir and opened here, so a wrong path is reported with its file:line
 * instead of an OpenSSL error later. Nothing here links OpenSSL.
 */
#include "conf/conf.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf/cf.h"
#include "util/err.h"

#define EAP_VERIFY_DEPTH_MAX 32

enum tls_key_kind {
	TLS_KEY_FILE,	/* a path to a readable regular file */
	TLS_KEY_DIR,	/* a path to a readable directory */
	TLS_KEY_TEXT,	/* a string handed to OpenSSL as is */
};

/* The string keys of tls { } and the struct tls_settings field each one fills. */
static struct {
	char const *name;
	size_t off;
	enum tls_key_kind kind;
} const tls_strings[] = {
	{ "certificate_file", offsetof(struct tls_settings, certificate_file), TLS_KEY_FILE },
	{ "private_key_file", offsetof(struct tls_settings, private_key_file), TLS_KEY_FILE },
	{ "certificate_file_ecdsa", offsetof(struct tls_settings, certificate_file_ecdsa),
	  TLS_KEY_FILE },
	{ "private_key_file_ecdsa", offsetof(struct tls_settings, private_key_file_ecdsa),
	  TLS_KEY_FILE },
	{ "ca_file", offsetof(struct tls_settings, ca_file), TLS_KEY_FILE },
	{ "ca_path", offsetof(struct tls_settings, ca_path), TLS_KEY_DIR },
	{ "crl_file", offsetof(struct tls_settings, crl_file), TLS_KEY_FILE },
	{ "crl_path", offsetof(struct tls_settings, crl_path), TLS_KEY_DIR },
	{ "check_cert_issuer", offsetof(struct tls_settings, check_cert_issuer), TLS_KEY_TEXT },
	{ "cipher_list", offsetof(struct tls_settings, cipher_list), TLS_KEY_TEXT },
	{ "ciphersuites", offsetof(struct tls_settings, ciphersuites), TLS_KEY_TEXT },
	{ "groups", offsetof(struct tls_settings, groups), TLS_KEY_TEXT },
	{ "ticket_key_file", offsetof(struct tls_settings, ticket_key_file), TLS_KEY_FILE },
};

#define N_TLS_STRINGS (sizeof(tls_strings) / sizeof(tls_strings[0]))

static char const **tls_field(struct tls_settings *s, size_t i)
{
	return (char const **)(void *)((char *)s + tls_strings[i].off);
}

void conf_eap_defaults(struct conf_eap *eap)
{
	memset(eap, 0, sizeof(*eap));
	eap->default_method = "tls";
	eap->session_timeout = CONF_EAP_SESSION_TIMEOUT_DEFAULT;
	eap->max_sessions = CONF_EAP_MAX_SESSIONS_DEFAULT;
	eap->max_rounds = 50;
	eap->fragment_size = 1400;
	eap->max_message = 65536;
	eap->user_name = CONF_EAP_USER_NAME_IDENTITY;
	/* The documented tls_settings_default(), which lives in the OpenSSL-linked src/tls. */
	eap->tls.require_client_eku = true;
	eap->tls.check_crl = CERT_CRL_NONE;
	eap->tls.identity_binding = CERT_BIND_NONE;
	eap->tls.resumption = true;
	eap->tls.ticket_lifetime = 3600;
	eap->tls.ticket_key_rotation = 86400;
}

/* ---- eap { } keys ------------------------------------------------------------------ */

static int eap_numbers_parse(struct conf_eap *eap, struct cf_item const *cs)
{
	static struct {
		char const *name;
		unsigned min, max;
		size_t off;
	} const nums[] = {
		{ "session_timeout", 1, 600, offsetof(struct conf_eap, session_timeout) },
		{ "max_sessions", 16, 1000000, offsetof(struct conf_eap, max_sessions) },
		{ "max_rounds", 4, 1000, offsetof(struct conf_eap, max_rounds) },
		{ "fragment_size", 100, 4000, offsetof(struct conf_eap, fragment_size) },
		{ "max_message", 1024, 65536, offsetof(struct conf_eap, max_message) },
	};
	struct cf_item const *cp;
	size_t i;

	for (i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
		unsigned *out = (unsigned *)(void *)((char *)eap + nums[i].off);

		if ((cp = cf_pair_find(cs, nums[i].name)) &&
		    cf_pair_uint(cp, nums[i].min, nums[i].max, out) < 0)
			return -1;
	}
	return 0;
}

static int eap_method_parse(struct conf_eap *eap, struct cf_item const *cs)
{
	struct cf_item const *cp = cf_pair_find(cs, "default_method");

	if (!cp || strcmp(cp->value, "tls") == 0) return 0;	/* default_method stays "tls" */
	if (strcmp(cp->value, "ttls") == 0) {
		eap->default_method = "ttls";
		return 0;
	}
	if (strcmp(cp->value, "peap") == 0) {
		eap->default_method = "peap";
		return 0;
	}
	return cf_error(cp, "default_method = %s is not known; use tls, ttls or peap", cp->value);
}

static int eap_user_name_parse(struct conf_eap *eap, struct cf_item const *cs)
{
	struct cf_item const *cp = cf_pair_find(cs, "user_name");

	if (!cp) return 0;
	if (strcmp(cp->value, "identity") == 0) eap->user_name = CONF_EAP_USER_NAME_IDENTITY;
	else if (strcmp(cp->value, "cert_cn") == 0) eap->user_name = CONF_EAP_USER_NAME_CERT_CN;
	else if (strcmp(cp->value, "cert_san") == 0) eap->user_name = CONF_EAP_USER_NAME_CERT_SAN;
	else return cf_error(cp, "user_name = %s is not known; use identity, cert_cn or cert_san",
			     cp->value);
	return 0;
}

/* resume_skip_inner may sit in eap { } (it is about TTLS/PEAP) or in tls { } (with the other
 * resumption settings); once. */
static int eap_skip_inner_parse(struct conf_eap *eap, struct cf_item const *cs,
				struct cf_item const *tls)
{
	struct cf_item const *cp = cf_pair_find(cs, "resume_skip_inner");
	struct cf_item const *other = cf_pair_find(tls, "resume_skip_inner");

	if (!cp) return 0;
	if (other)
		return cf_error(cp, "resume_skip_inner is also set in tls { } at %s:%d; keep one",
				other->file, other->line);
	return cf_pair_bool(cp, &eap->tls.resume_skip_inner);
}

/* ---- tls { } keys ------------------------------------------------------------------ */

static int tls_strings_parse(struct conf *conf, struct cf_item const *cs)
{
	struct tls_settings *s = &conf->eap.tls;
	struct cf_item const *cp;
	size_t i;

	for (i = 0; i < N_TLS_STRINGS; i++) {
		char const **field = tls_field(s, i);

		cp = cf_pair_find(cs, tls_strings[i].name);
		if (!cp) continue;
		if (!cp->value[0])
			return cf_error(cp, "%s is empty; give a value or remove the line",
					cp->name);
		if (tls_strings[i].kind == TLS_KEY_TEXT)
			*field = talloc_strdup(conf, cp->value);
		else
			*field = cf_path_join(conf, conf->confdir, true, cp->value);
		if (!*field) return cf_error(cp, "out of memory");
	}
	return 0;
}

static int tls_version_parse(struct conf *conf, struct cf_item const *cp, char const **out)
{
	if (strcmp(cp->value, "1.2") != 0 && strcmp(cp->value, "1.3") != 0)
		return cf_error(cp, "%s = %s is not a TLS version latchd supports; use \"1.2\" "
				"or \"1.3\"", cp->name, cp->value);
	*out = talloc_strdup(conf, cp->value);
	if (!*out) return cf_error(cp, "out of memory");
	return 0;
}

static int tls_choices_parse(struct tls_settings *s, struct cf_item const *cs)
{
	struct cf_item const *cp;

	if ((cp = cf_pair_find(cs, "check_crl"))) {
		if (strcmp(cp->value, "no") == 0) s->check_crl = CERT_CRL_NONE;
		else if (strcmp(cp->value, "leaf") == 0) s->check_crl = CERT_CRL_LEAF;
		else if (strcmp(cp->value, "chain") == 0) s->check_crl = CERT_CRL_CHAIN;
		else return cf_error(cp, "check_crl = %s is not known; use no, leaf or chain",
				     cp->value);
	}
	if ((cp = cf_pair_find(cs, "identity_binding"))) {
		if (strcmp(cp->value, "no") == 0) s->identity_binding = CERT_BIND_NONE;
		else if (strcmp(cp->value, "san_or_cn") == 0)
			s->identity_binding = CERT_BIND_SAN_OR_CN;
		else return cf_error(cp, "identity_binding = %s is not known; use no or "
				     "san_or_cn", cp->value);
	}
	if ((cp = cf_pair_find(cs, "allow_expired_crl")) &&
	    cf_pair_bool(cp, &s->allow_expired_crl) < 0)
		return -1;
	if ((cp = cf_pair_find(cs, "require_client_eku")) &&
	    cf_pair_bool(cp, &s->require_client_eku) < 0)
		return -1;
	if ((cp = cf_pair_find(cs, "send_ca_names"))) {
		bool send = true;

		if (cf_pair_bool(cp, &send) < 0) return -1;
		s->no_ca_names = !send;
	}
	return 0;
}

/* Session resumption (stateless tickets, see src/tls/tls.h for the key file). */
static int tls_resumption_parse(struct tls_settings *s, struct cf_item const *cs)
{
	struct cf_item const *cp, *life;

	if ((cp = cf_pair_find(cs, "resumption")) && cf_pair_bool(cp, &s->resumption) < 0)
		return -1;
	if ((life = cf_pair_find(cs, "ticket_lifetime")) &&
	    cf_pair_uint(life, 1, 604800, &s->ticket_lifetime) < 0)	/* RFC 8446 4.6.1 */
		return -1;
	if ((cp = cf_pair_find(cs, "ticket_key_rotation")) &&
	    cf_pair_uint(cp, 60, 31536000, &s->ticket_key_rotation) < 0)
		return -1;
	if ((cp = cf_pair_find(cs, "resume_skip_inner")) &&
	    cf_pair_bool(cp, &s->resume_skip_inner) < 0)
		return -1;
	if (s->resumption && s->ticket_lifetime > s->ticket_key_rotation)
		return cf_error(life ? life : cp, "ticket_lifetime = %u is above "
				"ticket_key_rotation = %u: tickets would outlive their keys; lower "
				"the lifetime or raise the rotation", s->ticket_lifetime,
				s->ticket_key_rotation);
	return 0;
}

static int tls_parse(struct conf *conf, struct cf_item const *cs)
{
	static char const *const keys[] = {
		"certificate_file", "private_key_file", "certificate_file_ecdsa",
		"private_key_file_ecdsa", "ca_file", "ca_path", "crl_file", "crl_path",
		"check_crl", "allow_expired_crl", "require_client_eku", "check_cert_issuer",
		"identity_binding", "tls_min_version", "tls_max_version", "cipher_list",
		"ciphersuites", "groups", "verify_depth", "resumption", "ticket_lifetime",
		"ticket_key_file", "ticket_key_rotation", "send_ca_names", "resume_skip_inner",
		NULL
	};
	struct tls_settings *s = &conf->eap.tls;
	struct cf_item const *cp;
	unsigned depth = 0;

	if (cs->name2) return cf_error(cs, "'tls %s {': tls takes no name; remove it", cs->name2);
	if (cf_section_check(cs, keys, NULL) < 0) return -1;
	if (tls_strings_parse(conf, cs) < 0) return -1;
	if (tls_choices_parse(s, cs) < 0) return -1;
	if (tls_resumption_parse(s, cs) < 0) return -1;
	if ((cp = cf_pair_find(cs, "tls_min_version")) &&
	    tls_version_parse(conf, cp, &s->tls_min_version) < 0)
		return -1;
	if ((cp = cf_pair_find(cs, "tls_max_version")) &&
	    tls_version_parse(conf, cp, &s->tls_max_version) < 0)
		return -1;
	if ((cp = cf_pair_find(cs, "verify_depth")) &&
	    cf_pair_uint(cp, 0, EAP_VERIFY_DEPTH_MAX, &depth) < 0)
		return -1;
	s->verify_depth = (int)depth;
	return 0;
}

/* ---- consistency and files --------------------------------------------------------- */

static int tls_validate(struct tls_settings const *s, struct cf_item const *cs)
{
	struct cf_item const *min = cf_pair_find(cs, "tls_min_version");

	if (!s->certificate_file)
		return cf_error(cs, "tls has no certificate_file; add certificate_file = "
				"${confdir}/certs/server.pem (the server chain, leaf first)");
	if (!s->private_key_file)
		return cf_error(cs, "tls has no private_key_file; add private_key_file = "
				"${confdir}/certs/server.key (unencrypted PEM)");
	if (!s->certificate_file_ecdsa != !s->private_key_file_ecdsa)
		return cf_error(cs, "tls has only one of certificate_file_ecdsa and "
				"private_key_file_ecdsa; set both or neither");
	if (!s->ca_file && !s->ca_path)
		return cf_error(cs, "tls has neither ca_file nor ca_path; add ca_file = "
				"${confdir}/certs/ca.pem (the CA that issues client certificates)");
	if (min && s->tls_max_version && strcmp(s->tls_min_version, s->tls_max_version) > 0)
		return cf_error(min, "tls_min_version = %s is above tls_max_version = %s; lower "
				"the minimum or raise the maximum", s->tls_min_version,
				s->tls_max_version);
	if (s->check_crl != CERT_CRL_NONE && !s->crl_file && !s->crl_path && !s->ca_path)
		return cf_error(cf_pair_find(cs, "check_crl"), "check_crl = %s needs CRLs; add "
				"crl_file, crl_path or ca_path, or set check_crl = no",
				s->check_crl == CERT_CRL_LEAF ? "leaf" : "chain");
	return 0;
}

/* Open path (a file or a directory) to prove it is there and readable. */
static int path_check(struct cf_item const *cp, char const *path, bool is_dir)
{
	int flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | (is_dir ? O_DIRECTORY : 0);
	char const *fix = "fix the path (a relative one is relative to the configuration "
			  "directory) or the permissions";
	struct stat st;
	int fd, rcode = 0;

	fd = open(path, flags);
	if (fd < 0)
		return cf_error(cp, "%s = %s: cannot open %s (%s); %s", cp->name, cp->value, path,
				strerror(errno), fix);
	if (fstat(fd, &st) < 0)
		rcode = cf_error(cp, "%s = %s: cannot stat %s (%s); %s", cp->name, cp->value,
				 path, strerror(errno), fix);
	else if (!is_dir && !S_ISREG(st.st_mode))
		rcode = cf_error(cp, "%s = %s: %s is not a regular file; name a PEM file",
				 cp->name, cp->value, path);
	close(fd);
	return rcode;
}

static int tls_files_check(struct tls_settings *s, struct cf_item const *cs)
{
	size_t i;

	for (i = 0; i < N_TLS_STRINGS; i++) {
		char const *path = *tls_field(s, i);

		if (tls_strings[i].kind == TLS_KEY_TEXT || !path) continue;
		if (path_check(cf_pair_find(cs, tls_strings[i].name), path,
			       tls_strings[i].kind == TLS_KEY_DIR) < 0)
			return -1;
	}
	return 0;
}

/* The one tls { } of an eap section, or NULL with the error set. */
static struct cf_item const *tls_section_find(struct cf_item const *cs)
{
	struct cf_item const *ci, *tls = NULL;

	for (ci = cs->child; ci; ci = ci->next) {
		if (!ci->is_section || strcmp(ci->name, "tls") != 0) continue;
		if (tls) {
			cf_error(ci, "second 'tls' section in eap (first at %s:%d); merge them",
				 tls->file, tls->line);
			return NULL;
		}
		tls = ci;
	}
	if (!tls)
		cf_error(cs, "eap has no tls { } section; add one with certificate_file, "
			 "private_key_file and ca_file");
	return tls;
}

int conf_eap_parse(struct conf *conf, struct cf_item const *cs)
{
	static char const *const keys[] = { "default_method", "session_timeout", "max_sessions",
					    "max_rounds", "fragment_size", "max_message",
					    "user_name", "resume_skip_inner", NULL };
	static char const *const sections[] = { "tls", NULL };
	struct conf_eap *eap = &conf->eap;
	struct cf_item const *tls;

	if (cs->name2) return cf_error(cs, "'eap %s {': eap takes no name; remove it", cs->name2);
	if (cf_section_check(cs, keys, sections) < 0) return -1;
	if (eap_method_parse(eap, cs) < 0) return -1;
	if (eap_numbers_parse(eap, cs) < 0) return -1;
	if (eap_user_name_parse(eap, cs) < 0) return -1;
	tls = tls_section_find(cs);
	if (!tls) return -1;
	if (tls_parse(conf, tls) < 0) return -1;
	if (eap_skip_inner_parse(eap, cs, tls) < 0) return -1;
	if (tls_validate(&eap->tls, tls) < 0) return -1;
	if (tls_files_check(&eap->tls, tls) < 0) return -1;
	eap->enabled = true;
	return 0;
}
