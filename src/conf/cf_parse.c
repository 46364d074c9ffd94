/*
 * The FreeRADIUS-like configuration syntax -> a tree of sections and pairs, each with its
 * file:line: `name [name2] { ... }`, `key = value`, `$INCLUDE path` (relative to the including
 * file, with loop, depth and file-count guards) and ${confdir} expansion. Plus the checks and
 * value conversions every section uses, so each error names the file:line to fix.
 */
#include "conf/cf.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "util/err.h"
#include "util/hex.h"

struct parse_state {
	TALLOC_CTX *ctx;		/* owns the tree */
	char const *confdir;
	unsigned n_files;
	int inc_depth;
	struct {
		uint64_t dev;
		uint64_t ino;
	} stack[CF_MAX_INCLUDE_DEPTH + 1];
};

static int parse_file(struct parse_state *ps, char const *path, char const *where,
		      struct cf_item *cs, int depth);

int cf_error(struct cf_item const *item, char const *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vset_at(item->file, item->line, fmt, ap);
	va_end(ap);
	return -1;
}

static int lex_error(struct cf_lex const *lex, int line, char const *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int lex_error(struct cf_lex const *lex, int line, char const *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vset_at(lex->file, line, fmt, ap);
	va_end(ap);
	return -1;
}

/* Find "${name}" at p: 1 for ${confdir}, 0 for no variable, -1 (error set) otherwise. */
static int find_var(struct cf_lex const *lex, int line, char const *p, char const **var)
{
	char const *end;

	*var = strstr(p, "${");
	if (!*var) return 0;
	end = strchr(*var, '}');
	if (end && (size_t)(end - *var + 1) == strlen("${confdir}") &&
	    memcmp(*var, "${confdir}", strlen("${confdir}")) == 0)
		return 1;
	return lex_error(lex, line, "unknown variable %.*s; only ${confdir} is defined",
			 end ? (int)(end - *var + 1) : (int)strlen(*var), *var);
}

/* ${confdir} expansion in bare words and "double" strings; the result is wiped when freed. */
static char *expand(struct parse_state *ps, struct cf_lex const *lex, struct cf_tok const *tok)
{
	size_t vlen = strlen("${confdir}"), dlen = strlen(ps->confdir), n = 0, total = 0;
	char const *p, *var;
	char *out;
	int r;

	if (tok->type == CF_TOK_STRING && !tok->dquoted)
		return cf_secret_strndup(ps->ctx, tok->text, tok->len);
	for (p = tok->text; (r = find_var(lex, tok->line, p, &var)) == 1; p = var + vlen)
		total += (size_t)(var - p) + dlen;
	if (r < 0) return NULL;
	total += strlen(p);
	if (total > CF_MAX_LINE * 2) {
		lex_error(lex, tok->line, "value too long after ${confdir} expansion; shorten it");
		return NULL;
	}
	out = talloc_size(ps->ctx, total + 1);
	if (!out) {
		lex_error(lex, tok->line, "out of memory");
		return NULL;
	}
	talloc_set_name_const(out, "char");
	for (p = tok->text; find_var(lex, tok->line, p, &var) == 1; p = var + vlen) {
		memcpy(out + n, p, (size_t)(var - p));
		n += (size_t)(var - p);
		memcpy(out + n, ps->confdir, dlen);
		n += dlen;
	}
	memcpy(out + n, p, strlen(p) + 1);
	p = cf_secret_strndup(ps->ctx, out, total);	/* same text, with the wiping destructor */
	mem_wipe(out, total);
	talloc_free(out);
	if (!p) lex_error(lex, tok->line, "out of memory");
	return (char *)p;
}

static struct cf_item *item_add(struct parse_state *ps, struct cf_lex const *lex,
				struct cf_item *cs, char const *name, int line)
{
	struct cf_item *ci = talloc_zero(ps->ctx, struct cf_item);

	if (!ci || !(ci->name = talloc_strdup(ci, name)) ||
	    !(ci->file = talloc_strdup(ci, lex->file))) {
		talloc_free(ci);
		lex_error(lex, line, "out of memory");
		return NULL;
	}
	ci->line = line;
	ci->parent = cs;
	if (cs->last) cs->last->next = ci;
	else cs->child = ci;
	cs->last = ci;
	return ci;
}

static bool is_value(struct cf_tok const *t)
{
	return (t->type == CF_TOK_WORD || t->type == CF_TOK_STRING) && !t->first;
}

static int parse_include(struct parse_state *ps, struct cf_lex *lex, struct cf_tok const *t,
			 struct cf_item *cs, int depth)
{
	struct cf_tok arg = cf_lex_next(lex);
	char *path, *where, *file;
	int rcode;

	if (arg.type == CF_TOK_ERROR) return -1;
	if (!is_value(&arg))
		return lex_error(lex, t->line, "$INCLUDE needs a file name on the same line");
	file = expand(ps, lex, &arg);
	if (!file) return -1;
	path = cf_path_join(ps->ctx, lex->file, false, file);
	where = talloc_asprintf(ps->ctx, "%s:%d", lex->file, t->line);
	talloc_free(file);
	if (!path || !where) {
		talloc_free(path);
		talloc_free(where);
		return lex_error(lex, t->line, "out of memory");
	}
	rcode = parse_file(ps, path, where, cs, depth);
	talloc_free(path);
	talloc_free(where);
	return rcode;
}

static int parse_block(struct parse_state *ps, struct cf_lex *lex, struct cf_item *cs,
		       int depth, bool in_section);

static int parse_section(struct parse_state *ps, struct cf_lex *lex, struct cf_item *cs,
			 struct cf_tok const *name, struct cf_tok const *name2, int depth)
{
	struct cf_item *sub;

	if (depth >= CF_MAX_DEPTH)
		return lex_error(lex, name->line, "sections nested deeper than %d; flatten them",
				 CF_MAX_DEPTH);
	sub = item_add(ps, lex, cs, name->text, name->line);
	if (!sub) return -1;
	sub->is_section = true;
	if (name2 && !(sub->name2 = talloc_strdup(sub, name2->text)))
		return lex_error(lex, name->line, "out of memory");
	return parse_block(ps, lex, sub, depth + 1, true);
}

/* One statement starting with the word t. */
static int parse_statement(struct parse_state *ps, struct cf_lex *lex, struct cf_item *cs,
			   struct cf_tok const *t, int depth)
{
	struct cf_tok t2, t3;
	struct cf_item *ci;

	if (strcmp(t->text, "$INCLUDE") == 0) return parse_include(ps, lex, t, cs, depth);
	t2 = cf_lex_next(lex);
	if (t2.type == CF_TOK_ERROR) return -1;
	if (t2.type == CF_TOK_LBRACE) return parse_section(ps, lex, cs, t, NULL, depth);
	if (t2.type == CF_TOK_OP && strcmp(t2.text, "=") == 0) {
		t3 = cf_lex_next(lex);
		if (t3.type == CF_TOK_ERROR) return -1;
		if (!is_value(&t3))
			return lex_error(lex, t->line, "'%s =' has no value; put one after '=' "
					 "on the same line", t->text);
		ci = item_add(ps, lex, cs, t->text, t->line);
		if (!ci) return -1;
		ci->value = expand(ps, lex, &t3);
		if (!ci->value) return -1;
		talloc_steal(ci, ci->value);
		return 0;
	}
	if ((t2.type == CF_TOK_WORD || t2.type == CF_TOK_STRING) && !t2.first) {
		t3 = cf_lex_next(lex);
		if (t3.type == CF_TOK_ERROR) return -1;
		if (t3.type == CF_TOK_LBRACE) return parse_section(ps, lex, cs, t, &t2, depth);
	}
	return lex_error(lex, t->line, "expected '=' or '{' after '%s'; write 'key = value' or "
			 "'name { ... }'", t->text);
}

/* Items until '}' (inside a section) or end of file (top level of a file). */
static int parse_block(struct parse_state *ps, struct cf_lex *lex, struct cf_item *cs,
		       int depth, bool in_section)
{
	TALLOC_CTX *outer = lex->ctx;
	int rcode = 0;

	for (;;) {
		struct cf_tok t;

		lex->ctx = talloc_new(outer);	/* this statement's tokens */
		if (!lex->ctx) {
			lex->ctx = outer;
			return lex_error(lex, lex->line, "out of memory");
		}
		t = cf_lex_next(lex);
		if (t.type == CF_TOK_ERROR) {
			rcode = -1;
		} else if (t.type == CF_TOK_EOF) {
			if (in_section)
				rcode = cf_error(cs, "section '%s' is not closed; add a '}'",
						 cs->name);
		} else if (t.type == CF_TOK_RBRACE) {
			if (!in_section)
				rcode = lex_error(lex, t.line, "'}' without a matching '{'; "
						  "remove it or add the section start");
		} else if (t.type == CF_TOK_WORD) {
			rcode = parse_statement(ps, lex, cs, &t, depth);
			talloc_free(lex->ctx);
			lex->ctx = outer;
			if (rcode < 0) return -1;
			continue;
		} else {
			rcode = lex_error(lex, t.line, "unexpected %s; expected a key or a section "
					  "name", cf_tok_describe(&t));
		}
		talloc_free(lex->ctx);
		lex->ctx = outer;
		return rcode;
	}
}

static int parse_file(struct parse_state *ps, char const *path, char const *where,
		      struct cf_item *cs, int depth)
{
	TALLOC_CTX *tmp;
	struct cf_lex lex;
	uint64_t dev, ino;
	size_t len;
	char *buf;
	int i, rcode;

	if (ps->inc_depth > CF_MAX_INCLUDE_DEPTH) {
		err_set("%s: $INCLUDE nested deeper than %d; flatten the includes", where,
			CF_MAX_INCLUDE_DEPTH);
		return -1;
	}
	if (++ps->n_files > CF_MAX_FILES) {
		err_set("%s: more than %d files included; use fewer files", where, CF_MAX_FILES);
		return -1;
	}
	tmp = talloc_new(ps->ctx);
	if (!tmp) return -1;
	buf = cf_file_read(tmp, path, where, &len, &dev, &ino);
	if (!buf) goto fail;
	for (i = 0; i < ps->inc_depth; i++) {
		if (ps->stack[i].dev == dev && ps->stack[i].ino == ino) {
			err_set("%s: $INCLUDE %s: include loop, that file is already being read; "
				"remove this $INCLUDE", where, path);
			goto fail;
		}
	}
	ps->stack[ps->inc_depth].dev = dev;
	ps->stack[ps->inc_depth].ino = ino;
	ps->inc_depth++;
	cf_lex_init(&lex, tmp, talloc_strdup(tmp, path), buf, len);
	rcode = lex.file ? parse_block(ps, &lex, cs, depth, false) : -1;
	ps->inc_depth--;
	talloc_free(tmp);
	return rcode;
fail:
	talloc_free(tmp);
	return -1;
}

/*
 * ${confdir} expands to an absolute path even when the directory was given relative (-d raddb):
 * a value such as "${confdir}/certs/x.pem" is later resolved against confdir again, and a
 * relative expansion would then name raddb/raddb/certs/x.pem.
 */
static char *confdir_absolute(TALLOC_CTX *ctx, char const *confdir)
{
	char cwd[4096];
	char *abs;

	if (confdir[0] == '/') {
		abs = talloc_strdup(ctx, confdir);
	} else if (!getcwd(cwd, sizeof(cwd))) {
		err_set("%s: cannot get the current directory to resolve it (%s); give the "
			"configuration directory as an absolute path", confdir, strerror(errno));
		return NULL;
	} else {
		abs = talloc_asprintf(ctx, "%s/%s", cwd, confdir);
	}
	if (!abs) err_set("out of memory");
	return abs;
}

struct cf_item *cf_tree_parse(TALLOC_CTX *ctx, char const *path, char const *where,
			      char const *confdir)
{
	struct parse_state ps = { 0 };
	struct cf_item *root = talloc_zero(ctx, struct cf_item);
	char *abs_confdir;

	if (!root) return NULL;
	root->is_section = true;
	root->name = "";
	ps.ctx = root;
	ps.confdir = abs_confdir = confdir_absolute(root, confdir);
	if (!abs_confdir || parse_file(&ps, path, where, root, 0) < 0) {
		talloc_free(root);
		return NULL;
	}
	talloc_free(abs_confdir);
	return root;
}

static bool name_in(char const *name, char const *const *list)
{
	for (; list && *list; list++)
		if (strcmp(name, *list) == 0) return true;
	return false;
}

static void names_join(char *buf, size_t cap, char const *const *list)
{
	size_t n = 0;

	buf[0] = '\0';
	for (; list && *list && n < cap; list++) {
		int m = snprintf(buf + n, cap - n, "%s%s", n ? ", " : "", *list);

		if (m < 0) break;
		n += (size_t)m;
	}
}

int cf_section_check(struct cf_item const *cs, char const *const *keys,
		     char const *const *sections)
{
	struct cf_item const *ci, *prev;
	char allowed[400];		/* tls { } has 19 keys */

	for (ci = cs->child; ci; ci = ci->next) {
		char const *kind = ci->is_section ? "section" : "key";
		char const *const *list = ci->is_section ? sections : keys;

		if (!name_in(ci->name, list)) {
			names_join(allowed, sizeof(allowed), list);
			return cf_error(ci, "unknown %s '%s'%s%s; %s%s", kind, ci->name,
					cs->name[0] ? " in " : "", cs->name,
					allowed[0] ? "expected one of: " : "remove it",
					allowed[0] ? allowed : "");
		}
		if (ci->is_section) continue;
		for (prev = cs->child; prev != ci; prev = prev->next) {
			if (!prev->is_section && strcmp(prev->name, ci->name) == 0)
				return cf_error(ci, "'%s' set twice (first at %s:%d); keep one",
						ci->name, prev->file, prev->line);
		}
	}
	return 0;
}

struct cf_item const *cf_pair_find(struct cf_item const *cs, char const *key)
{
	struct cf_item const *ci;

	for (ci = cs->child; ci; ci = ci->next)
		if (!ci->is_section && strcmp(ci->name, key) == 0) return ci;
	return NULL;
}

int cf_pair_uint(struct cf_item const *cp, unsigned min, unsigned max, unsigned *out)
{
	char const *v = cp->value;
	unsigned long long n = 0;

	if (!*v) goto bad;
	for (; *v; v++) {
		if (*v < '0' || *v > '9') goto bad;
		n = n * 10 + (unsigned)(*v - '0');
		if (n > max) goto range;
	}
	if (n < min) goto range;
	*out = (unsigned)n;
	return 0;
bad:
	return cf_error(cp, "%s = %s is not a number; use a whole number from %u to %u",
			cp->name, cp->value, min, max);
range:
	return cf_error(cp, "%s = %s is out of range; use a whole number from %u to %u",
			cp->name, cp->value, min, max);
}

int cf_pair_bool(struct cf_item const *cp, bool *out)
{
	static char const *const yes[] = { "yes", "true", "on", NULL };
	static char const *const no[] = { "no", "false", "off", NULL };
	int i;

	for (i = 0; yes[i]; i++) {
		if (strcasecmp(cp->value, yes[i]) == 0) {
			*out = true;
			return 0;
		}
		if (strcasecmp(cp->value, no[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	return cf_error(cp, "%s = %s is not a boolean; use yes or no", cp->name, cp->value);
}
