/*
 * The users file (FreeRADIUS-like): `NAME  Check-Item := value, ...` on an unindented line,
 * then indented reply lines `Attr = value,` with a comma after every reply line but the last.
 * Check items: Cleartext-Password, NT-Password (MD4 of the UTF-16LE password, as MS-CHAP
 * uses: RFC 2433 A.2), Auth-Type := Accept|Reject. Reply values are parsed with the
 * dictionary into wire octets (rad_value_parse()), so a bad value fails at load, not later.
 */
#include "conf/conf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "conf/cf.h"
#include "radius/radius.h"
#include "util/err.h"
#include "util/hex.h"

#define USERS_MAX_REPLY 128
#define USERS_MAX_NAME 253

struct users_parse {
	struct conf *conf;
	struct dict const *dict;
	struct cf_lex lex;
	char const *file;		/* owned by conf */
	struct users_entry *cur;	/* entry being filled, or NULL */
	size_t reply_cap;
	bool want_more;			/* the last reply line ended with ',' */
	int last_reply_line;
	size_t max_users;
};

static int up_error(struct users_parse const *up, int line, char const *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int up_error(struct users_parse const *up, int line, char const *fmt, ...)
{
	char msg[ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	err_set("%s:%d: %s", up->file, line, msg);
	return -1;
}

static int users_wipe(struct users_entry *users)
{
	mem_wipe(users, talloc_get_size(users));
	return 0;
}

static int users_wipe_octets(uint8_t *p)
{
	mem_wipe(p, talloc_get_size(p));
	return 0;
}

/* Upper bound of entries: lines that start with something other than blank or comment. */
static size_t count_entry_lines(char const *buf, size_t len)
{
	size_t i, n = 0;
	bool bol = true;

	for (i = 0; i < len; i++) {
		if (bol && buf[i] != ' ' && buf[i] != '\t' && buf[i] != '\r' && buf[i] != '\n' &&
		    buf[i] != '#')
			n++;
		bol = buf[i] == '\n';
	}
	return n;
}

/* Attribute, operator and value: three tokens on one line. */
static int read_triple(struct users_parse *up, struct cf_tok const *attr, struct cf_tok *op,
		       struct cf_tok *val)
{
	if (attr->type != CF_TOK_WORD)
		return up_error(up, attr->line, "expected an attribute name, got %s; write "
				"'Attribute = value'", cf_tok_describe(attr));
	*op = cf_lex_next(&up->lex);
	if (op->type == CF_TOK_ERROR) return -1;
	if (op->type != CF_TOK_OP)
		return up_error(up, attr->line, "expected an operator after %s, got %s",
				attr->text, cf_tok_describe(op));
	*val = cf_lex_next(&up->lex);
	if (val->type == CF_TOK_ERROR) return -1;
	if (val->type != CF_TOK_WORD && val->type != CF_TOK_STRING)
		return up_error(up, attr->line, "%s %s has no value; put it on the same line",
				attr->text, op->text);
	return 0;
}

static int check_nt(struct users_parse *up, struct users_entry *e, struct cf_tok const *val)
{
	char const *hex = val->text;
	size_t len = val->len;

	if (len >= 2 && hex[0] == '0' && (hex[1] == 'x' || hex[1] == 'X')) {
		hex += 2;
		len -= 2;
	}
	if (len != 32 || hex_decode(e->nt_hash, sizeof(e->nt_hash), hex, len) != 16)
		return up_error(up, val->line, "NT-Password must be 32 hex digits (the MD4 of the "
				"UTF-16LE password), optionally with 0x");
	e->has_nt_hash = true;
	return 0;
}

static int check_item(struct users_parse *up, struct users_entry *e, struct cf_tok const *attr)
{
	struct cf_tok op, val;

	if (read_triple(up, attr, &op, &val) < 0) return -1;
	if (strcasecmp(attr->text, "Cleartext-Password") != 0 &&
	    strcasecmp(attr->text, "NT-Password") != 0 && strcasecmp(attr->text, "Auth-Type") != 0)
		return up_error(up, attr->line, "check item %s is not supported; use "
				"Cleartext-Password, NT-Password or Auth-Type", attr->text);
	if (strcmp(op.text, ":=") != 0)
		return up_error(up, attr->line, "check item %s uses '%s'; use ':='", attr->text,
				op.text);
	if (strcasecmp(attr->text, "Cleartext-Password") == 0) {
		if (e->cleartext) goto twice;
		e->cleartext = cf_secret_strndup(up->conf->users, val.text, val.len);
		e->cleartext_len = val.len;
		if (!e->cleartext) return up_error(up, attr->line, "out of memory");
		return 0;
	}
	if (strcasecmp(attr->text, "NT-Password") == 0) {
		if (e->has_nt_hash) goto twice;
		return check_nt(up, e, &val);
	}
	if (strcasecmp(attr->text, "Auth-Type") == 0) {
		if (e->auth_type != USERS_AUTH_DEFAULT) goto twice;
		if (strcasecmp(val.text, "Accept") == 0) e->auth_type = USERS_AUTH_ACCEPT;
		else if (strcasecmp(val.text, "Reject") == 0) e->auth_type = USERS_AUTH_REJECT;
		else return up_error(up, attr->line, "Auth-Type := %s is not supported; use "
				     "Accept or Reject", val.text);
	}
	return 0;
twice:
	return up_error(up, attr->line, "check item %s given twice; keep one", attr->text);
}

/* Attributes the server computes itself: never taken from the users file. */
static bool reply_forbidden(struct dict_attr const *da)
{
	if (da->vendor) return false;
	return da->attr == RAD_ATTR_USER_PASSWORD || da->attr == RAD_ATTR_CHAP_PASSWORD ||
	       da->attr == RAD_ATTR_EAP_MESSAGE || da->attr == RAD_ATTR_MESSAGE_AUTHENTICATOR ||
	       da->attr == RAD_ATTR_STATE || da->attr == RAD_ATTR_PROXY_STATE;
}

/*
 * The text for rad_value_parse(): an optional "N:" tag (RFC 2868 3), then a bare word as
 * written or a quoted string re-quoted, so a leading "1:" inside quotes stays data.
 */
static char *value_text(TALLOC_CTX *ctx, struct cf_tok const *val, int tag)
{
	char buf[2 * CF_MAX_LINE + 16];
	size_t n = 0, i;
	char *out;

	if (tag >= 0) n = (size_t)snprintf(buf, sizeof(buf), "%d:", tag);
	if (val->type == CF_TOK_WORD) {
		memcpy(buf + n, val->text, val->len);	/* len <= CF_MAX_LINE */
		n += val->len;
	} else {
		buf[n++] = '"';
		for (i = 0; i < val->len; i++) {
			char c = val->text[i];

			if (c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t') {
				buf[n++] = '\\';
				c = c == '\n' ? 'n' : c == '\r' ? 'r' : c == '\t' ? 't' : c;
			}
			buf[n++] = c;
		}
		buf[n++] = '"';
	}
	out = cf_secret_strndup(ctx, buf, n);
	mem_wipe(buf, n);
	return out;
}

/* "Name" or "Name:N" (FreeRADIUS's tag syntax): the attribute and the tag, or -1 for none. */
static struct dict_attr const *reply_attr(struct users_parse *up, struct cf_tok const *attr,
					  int *tag)
{
	char name[CF_MAX_LINE + 1];
	char const *colon = strrchr(attr->text, ':');
	struct dict_attr const *da;
	size_t nlen = attr->len;

	*tag = -1;
	if (colon && colon[1] && strspn(colon + 1, "0123456789") == strlen(colon + 1) &&
	    strlen(colon + 1) <= 2) {
		*tag = atoi(colon + 1);
		nlen = (size_t)(colon - attr->text);
	}
	memcpy(name, attr->text, nlen);
	name[nlen] = '\0';
	da = up->dict ? dict_attr_by_name(up->dict, name) : NULL;
	if (!da) {
		up_error(up, attr->line, "unknown attribute '%s'; check the spelling or add it to "
			 "the dictionary", name);
		return NULL;
	}
	if (*tag >= 0 && (!da->has_tag || *tag > 31)) {
		up_error(up, attr->line, "%s: %s; write %s = value", attr->text,
			 da->has_tag ? "tags are 0 to 31" : "this attribute has no tag", da->name);
		return NULL;
	}
	if (reply_forbidden(da)) {
		up_error(up, attr->line, "%s cannot be set in the users file; remove it", da->name);
		return NULL;
	}
	return da;
}

static int reply_grow(struct users_parse *up, struct users_entry *e, int line)
{
	struct users_reply *r;
	size_t cap;

	if (e->n_reply >= USERS_MAX_REPLY)
		return up_error(up, line, "more than %d reply items; use fewer", USERS_MAX_REPLY);
	if (e->n_reply < up->reply_cap) return 0;
	cap = up->reply_cap ? up->reply_cap * 2 : 4;
	r = talloc_realloc(up->conf->users, e->reply, struct users_reply, cap);
	if (!r) return up_error(up, line, "out of memory");
	e->reply = r;
	up->reply_cap = cap;
	return 0;
}

static int reply_item(struct users_parse *up, struct users_entry *e, struct cf_tok const *attr)
{
	struct cf_tok op, val;
	struct dict_attr const *da;
	uint8_t *value;
	size_t len = 0;
	char *text;
	int tag;

	if (read_triple(up, attr, &op, &val) < 0) return -1;
	if (strcmp(op.text, "=") != 0 && strcmp(op.text, ":=") != 0 && strcmp(op.text, "+=") != 0)
		return up_error(up, attr->line, "reply item %s uses '%s'; use '='", attr->text,
				op.text);
	da = reply_attr(up, attr, &tag);
	if (!da || reply_grow(up, e, attr->line) < 0) return -1;
	text = value_text(up->lex.ctx, &val, tag);
	if (!text) return up_error(up, attr->line, "out of memory");
	value = rad_value_parse(e->reply, up->dict, da, text, &len);
	if (!value) {
		err_prefix("%s:%d: %s = %s", up->file, attr->line, attr->text,
			   da->encrypt ? "<hidden>" : text);
		return -1;
	}
	if (da->encrypt) talloc_set_destructor(value, users_wipe_octets);
	e->reply[e->n_reply++] = (struct users_reply){ .da = da, .value = value, .len = len };
	return 0;
}

static int entry_start(struct users_parse *up, struct cf_tok const *name)
{
	struct users_entry *e;
	struct cf_tok t;

	if (name->type != CF_TOK_WORD && name->type != CF_TOK_STRING)
		return up_error(up, name->line, "unexpected %s; an entry starts with a user name",
				cf_tok_describe(name));
	if (name->len == 0 || name->len > USERS_MAX_NAME || memchr(name->text, '\0', name->len))
		return up_error(up, name->line, "user name must be 1 to %d characters",
				USERS_MAX_NAME);
	if (up->conf->n_users >= up->max_users)
		return up_error(up, name->line, "internal error: too many entries");
	e = &up->conf->users[up->conf->n_users++];
	e->name = talloc_strndup(up->conf->users, name->text, name->len);
	e->is_default = name->type == CF_TOK_WORD && strcmp(name->text, "DEFAULT") == 0;
	e->file = up->file;
	e->line = name->line;
	if (!e->name) return up_error(up, name->line, "out of memory");
	up->cur = e;
	up->reply_cap = 0;
	up->want_more = false;
	for (;;) {	/* check items, separated by commas, up to the end of the line */
		t = cf_lex_next(&up->lex);
		if (t.type == CF_TOK_ERROR) return -1;
		if (t.type == CF_TOK_EOL || t.type == CF_TOK_EOF) return 0;
		if (e->cleartext || e->has_nt_hash || e->auth_type != USERS_AUTH_DEFAULT) {
			if (t.type != CF_TOK_COMMA)
				return up_error(up, t.line, "expected ',' between check items, got "
						"%s", cf_tok_describe(&t));
			t = cf_lex_next(&up->lex);
			if (t.type == CF_TOK_ERROR) return -1;
		}
		if (check_item(up, e, &t) < 0) return -1;
	}
}

/* An indented line: reply items separated by commas; a trailing comma means more follow. */
static int reply_line(struct users_parse *up, struct cf_tok const *first)
{
	struct cf_tok t = *first;

	if (!up->cur)
		return up_error(up, t.line, "indented line before any entry; reply lines follow a "
				"'name check-items' line");
	if (up->cur->n_reply && !up->want_more)
		return up_error(up, t.line, "reply item after a line without a trailing ','; add "
				"',' at the end of line %d", up->last_reply_line);
	for (;;) {
		if (reply_item(up, up->cur, &t) < 0) return -1;
		up->last_reply_line = t.line;
		t = cf_lex_next(&up->lex);
		if (t.type == CF_TOK_ERROR) return -1;
		up->want_more = t.type == CF_TOK_COMMA;
		if (t.type == CF_TOK_EOL || t.type == CF_TOK_EOF) return 0;
		if (t.type != CF_TOK_COMMA)
			return up_error(up, t.line, "expected ',' or the end of the line, got %s",
					cf_tok_describe(&t));
		t = cf_lex_next(&up->lex);
		if (t.type == CF_TOK_ERROR) return -1;
		if (t.type == CF_TOK_EOL || t.type == CF_TOK_EOF) return 0;
	}
}

static int users_parse_buf(struct users_parse *up, char const *buf, size_t len,
			   TALLOC_CTX *tmp)
{
	cf_lex_init(&up->lex, NULL, up->file, buf, len);
	up->lex.want_eol = true;
	for (;;) {
		struct cf_tok t;
		int rcode;

		up->lex.ctx = talloc_new(tmp);	/* this line's tokens */
		if (!up->lex.ctx) return up_error(up, up->lex.line, "out of memory");
		t = cf_lex_next(&up->lex);
		if (t.type == CF_TOK_ERROR) rcode = -1;
		else if (t.type == CF_TOK_EOF) rcode = 1;
		else if (t.type == CF_TOK_EOL) rcode = 0;
		else if (!t.indented) rcode = entry_start(up, &t);
		else rcode = reply_line(up, &t);
		talloc_free(up->lex.ctx);
		up->lex.ctx = NULL;
		if (rcode) return rcode < 0 ? -1 : 0;
	}
}

/* ---- the name index ------------------------------------------------------------------ */

struct users_index {
	size_t mask;
	uint32_t *slots;		/* entry index + 1; 0 = empty */
	struct users_entry const *first_default;
};

static uint64_t name_hash(char const *name, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;	/* FNV-1a */
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (uint8_t)name[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

static int users_index_build(struct conf *conf)
{
	struct users_index *idx = talloc_zero(conf, struct users_index);
	size_t size = 16, i;

	if (!idx) goto oom;
	while (size < conf->n_users * 2) size *= 2;
	idx->mask = size - 1;
	idx->slots = talloc_zero_array(idx, uint32_t, size);
	if (!idx->slots) goto oom;
	conf->index = idx;
	for (i = 0; i < conf->n_users; i++) {
		struct users_entry const *e = &conf->users[i];
		size_t len = strlen(e->name), s;

		if (e->is_default) {
			if (!idx->first_default) idx->first_default = e;
			continue;
		}
		s = name_hash(e->name, len) & idx->mask;
		for (; idx->slots[s]; s = (s + 1) & idx->mask) {
			struct users_entry const *o = &conf->users[idx->slots[s] - 1];

			if (strcmp(o->name, e->name) == 0) {
				err_set("%s:%d: user '%s' is defined twice (first at %s:%d); merge "
					"the entries", e->file, e->line, e->name, o->file, o->line);
				return -1;
			}
		}
		idx->slots[s] = (uint32_t)(i + 1);
	}
	return 0;
oom:
	talloc_free(idx);
	err_set("out of memory building the users index");
	return -1;
}

struct users_entry const *conf_user_find(struct conf const *conf, char const *name, size_t len)
{
	struct users_index const *idx = conf->index;
	size_t s;

	if (!idx) return NULL;
	for (s = name_hash(name, len) & idx->mask; idx->slots[s]; s = (s + 1) & idx->mask) {
		struct users_entry const *e = &conf->users[idx->slots[s] - 1];

		if (strlen(e->name) == len && memcmp(e->name, name, len) == 0) return e;
	}
	return idx->first_default;
}

int conf_users_load(struct conf *conf, char const *path, char const *where,
		    struct dict const *dict)
{
	struct users_parse up = { .conf = conf, .dict = dict };
	TALLOC_CTX *tmp = talloc_new(conf);
	char *buf;
	size_t len;
	int rcode = -1;

	if (!tmp) return -1;
	up.file = talloc_strdup(conf, path);
	buf = cf_file_read(tmp, path, where, &len, NULL, NULL);
	if (!buf || !up.file) goto done;
	up.max_users = count_entry_lines(buf, len);
	conf->users = talloc_zero_array(conf, struct users_entry, up.max_users ? up.max_users : 1);
	if (!conf->users) goto done;
	talloc_set_destructor(conf->users, users_wipe);
	if (users_parse_buf(&up, buf, len, tmp) < 0) goto done;
	if (users_index_build(conf) < 0) goto done;
	rcode = 0;
done:
	talloc_free(tmp);
	return rcode;
}
