/*
 * Private to src/conf: the reader, tokenizer and tree of the FreeRADIUS-like configuration
 * syntax (sections, "key = value" pairs, $INCLUDE, ${confdir}), plus the value helpers that
 * turn a pair into a number, a boolean or an address with a "file:line: ..." error.
 */
#ifndef LATCHD_CONF_CF_H
#define LATCHD_CONF_CF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <talloc.h>

#define CF_MAX_LINE 4096		/* octets per line, newline excluded */
#define CF_MAX_FILE (16u << 20)		/* octets per file */
#define CF_MAX_DEPTH 16			/* nested sections */
#define CF_MAX_INCLUDE_DEPTH 8		/* nested $INCLUDEs */
#define CF_MAX_FILES 256		/* files read for one tree */

/* ---- reading files ---------------------------------------------------------------- */

/*
 * Read a whole text file (regular file, at most CF_MAX_FILE octets, no NUL octets, no line
 * longer than CF_MAX_LINE). The buffer is NUL-terminated, owned by ctx and wiped when freed
 * (files hold secrets). err_where names the place to blame when the file cannot be opened
 * ("file:line" of the reference, or NULL for the file itself).
 */
char *cf_file_read(TALLOC_CTX *ctx, char const *path, char const *err_where, size_t *len,
		   uint64_t *dev, uint64_t *ino);

/* path when absolute, else dir(base) + "/" + path (base_is_dir: base is the directory). */
char *cf_path_join(TALLOC_CTX *ctx, char const *base, bool base_is_dir, char const *path);

/* A copy of len octets of s, NUL-terminated, wiped when freed. */
char *cf_secret_strndup(TALLOC_CTX *ctx, char const *s, size_t len);

/* ---- tokens ------------------------------------------------------------------------ */

enum cf_tok_type {
	CF_TOK_EOF,
	CF_TOK_EOL,		/* only with lex->want_eol */
	CF_TOK_WORD,		/* bare word */
	CF_TOK_STRING,		/* "double" or 'single' quoted, escapes done */
	CF_TOK_OP,		/* = := == += != >= <= =~ !~ */
	CF_TOK_LBRACE,
	CF_TOK_RBRACE,
	CF_TOK_COMMA,
	CF_TOK_ERROR,		/* err_msg() says why */
};

struct cf_tok {
	enum cf_tok_type type;
	char *text;		/* WORD, STRING, OP: NUL-terminated, owned by the lexer's ctx */
	size_t len;
	bool dquoted;		/* "double" quoted: ${confdir} is expanded */
	bool first;		/* first token of its line */
	bool indented;		/* its line starts with a space or tab */
	int line;
};

struct cf_lex {
	TALLOC_CTX *ctx;	/* token text is allocated here (wiped when freed) */
	char const *file;
	char const *buf;
	size_t len;
	size_t pos;
	int line;
	bool want_eol;		/* report ends of lines as CF_TOK_EOL */
	bool at_bol;
	bool line_indented;
};

void cf_lex_init(struct cf_lex *lex, TALLOC_CTX *ctx, char const *file, char const *buf,
		 size_t len);

/* The next token. On CF_TOK_ERROR err_msg() is "file:line: ...". */
struct cf_tok cf_lex_next(struct cf_lex *lex);

/* A printable name for a token, for messages ("'}'", "end of file", the word itself). */
char const *cf_tok_describe(struct cf_tok const *tok);

/* ---- tree -------------------------------------------------------------------------- */

struct cf_item {
	bool is_section;
	char const *name;		/* key, or the section's first name */
	char const *name2;		/* the section's second name, or NULL */
	char const *value;		/* pairs: the value, ${confdir} expanded */
	char const *file;
	int line;
	struct cf_item *parent;
	struct cf_item *next;		/* next item of the same section */
	struct cf_item *child;		/* sections: first item */
	struct cf_item *last;		/* sections: last item */
};

/*
 * Parse a file (and its $INCLUDEs) into a tree. The root is a section named "" whose items
 * are the file's top-level items. where ("file:line" that named this file, or NULL) prefixes
 * an error opening it. confdir is the value of ${confdir}. Returns the root, owned by ctx, or
 * NULL with err_msg() "file:line: ...".
 */
struct cf_item *cf_tree_parse(TALLOC_CTX *ctx, char const *path, char const *where,
			      char const *confdir);

/* "file:line: " + fmt, into err_set(). Always returns -1. */
int cf_error(struct cf_item const *item, char const *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Check that a section holds only pairs named in keys (NULL-terminated) and sections named
 * in sections (NULL-terminated, may be NULL), each pair at most once. Returns 0 or -1 with
 * an error naming the offending item's file:line.
 */
int cf_section_check(struct cf_item const *cs, char const *const *keys,
		     char const *const *sections);

/* The pair named key in cs, or NULL. */
struct cf_item const *cf_pair_find(struct cf_item const *cs, char const *key);

/* Value conversions: 0 or -1 with "file:line: key = value is ...; use ...". */
int cf_pair_uint(struct cf_item const *cp, unsigned min, unsigned max, unsigned *out);
int cf_pair_bool(struct cf_item const *cp, bool *out);

/* ---- addresses ----------------------------------------------------------------------- */

/*
 * Parse "192.0.2.1", "192.0.2.0/24", "::1", "2001:db8::/32" into ss (port 0) and *prefix.
 * Without "/N" the prefix is 32 or 128. IPv4-mapped IPv6 (::ffff:a.b.c.d/N>=96) becomes
 * IPv4. Host bits set beyond the prefix is an error. family: AF_UNSPEC, AF_INET or AF_INET6.
 * Returns 0, or -1 with err_msg() = what is wrong (no file:line).
 */
int cf_addr_parse(char const *text, int family, bool allow_prefix, struct sockaddr_storage *ss,
		  uint8_t *prefix);

/* Whether the first bits of a and b are equal. */
bool cf_addr_prefix_equal(uint8_t const *a, uint8_t const *b, unsigned bits);

/* ---- the parts of conf_load() ------------------------------------------------------ */

struct conf;
struct conf_eap;
struct dict;

/* Defaults of struct conf_eap (also when latchd.conf has no eap section). */
void conf_eap_defaults(struct conf_eap *eap);

/* Parse eap { ... tls { ... } } into conf->eap and check the files it names exist. */
int conf_eap_parse(struct conf *conf, struct cf_item const *cs);

/* Add the clients of a clients.conf (sorted, indexed). where: "file:line" that named it. */
int conf_clients_load(struct conf *conf, char const *path, char const *where);

/* Add the entries of a users file and build the name index. */
int conf_users_load(struct conf *conf, char const *path, char const *where,
		    struct dict const *dict);

#endif
