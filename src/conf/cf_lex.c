/*
 * Reading configuration files and splitting them into tokens: bare words, "double" (with
 * \" \\ \n \t \r escapes) and 'single' quoted strings, operators, braces, commas, # comments.
 * Files are hostile input: size, line length and NUL octets are checked before lexing.
 */
#include "conf/cf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/err.h"
#include "util/hex.h"

static int secret_wipe(char *p)
{
	mem_wipe(p, talloc_get_size(p));
	return 0;
}

char *cf_secret_strndup(TALLOC_CTX *ctx, char const *s, size_t len)
{
	char *p = talloc_size(ctx, len + 1);

	if (!p) return NULL;
	talloc_set_name_const(p, "char");
	memcpy(p, s, len);
	p[len] = '\0';
	talloc_set_destructor(p, secret_wipe);
	return p;
}

char *cf_path_join(TALLOC_CTX *ctx, char const *base, bool base_is_dir, char const *path)
{
	size_t dlen;
	char const *slash;

	if (path[0] == '/' || !base) return talloc_strdup(ctx, path);
	if (base_is_dir) {
		dlen = strlen(base);
	} else {
		slash = strrchr(base, '/');
		if (!slash) return talloc_strdup(ctx, path);
		dlen = (size_t)(slash - base);
	}
	return talloc_asprintf(ctx, "%.*s/%s", (int)dlen, base, path);
}

/* Line length and NUL checks, so the lexer and messages can rely on them. */
static int text_check(char const *path, char const *buf, size_t len)
{
	size_t i, start = 0;
	int line = 1;

	for (i = 0; i < len; i++) {
		if (buf[i] == '\0') {
			err_set("%s:%d: NUL octet in a text file; remove it", path, line);
			return -1;
		}
		if (buf[i] == '\n') {
			if (i - start > CF_MAX_LINE) break;
			line++;
			start = i + 1;
		}
	}
	if (len - start > CF_MAX_LINE || i < len) {
		err_set("%s:%d: line longer than %d characters; split it", path, line, CF_MAX_LINE);
		return -1;
	}
	return 0;
}

static char *read_fd(TALLOC_CTX *ctx, int fd, char const *path, size_t size, size_t *len)
{
	char *buf = talloc_size(ctx, size + 1);
	size_t got = 0;

	if (!buf) {
		err_set("%s: out of memory", path);
		return NULL;
	}
	talloc_set_name_const(buf, "char");
	talloc_set_destructor(buf, secret_wipe);
	while (got < size) {
		ssize_t n = read(fd, buf + got, size - got);

		if (n < 0 && errno == EINTR) continue;
		if (n < 0) {
			err_set("%s: cannot read: %s", path, strerror(errno));
			talloc_free(buf);
			return NULL;
		}
		if (n == 0) break;	/* shrank while reading: use what is there */
		got += (size_t)n;
	}
	buf[got] = '\0';
	*len = got;
	return buf;
}

char *cf_file_read(TALLOC_CTX *ctx, char const *path, char const *err_where, size_t *len,
		   uint64_t *dev, uint64_t *ino)
{
	struct stat st;
	char *buf;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		err_set("%s%s%s: cannot open: %s; check the path and permissions",
			err_where ? err_where : "", err_where ? ": " : "", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		err_set("%s%s%s: not a regular file; name a file", err_where ? err_where : "",
			err_where ? ": " : "", path);
		close(fd);
		return NULL;
	}
	if ((uint64_t)st.st_size > CF_MAX_FILE) {
		err_set("%s: larger than %u octets; split it with $INCLUDE", path, CF_MAX_FILE);
		close(fd);
		return NULL;
	}
	buf = read_fd(ctx, fd, path, (size_t)st.st_size, len);
	close(fd);
	if (!buf) return NULL;
	if (text_check(path, buf, *len) < 0) {
		talloc_free(buf);
		return NULL;
	}
	if (dev) *dev = (uint64_t)st.st_dev;
	if (ino) *ino = (uint64_t)st.st_ino;
	return buf;
}

void cf_lex_init(struct cf_lex *lex, TALLOC_CTX *ctx, char const *file, char const *buf,
		 size_t len)
{
	memset(lex, 0, sizeof(*lex));
	lex->ctx = ctx;
	lex->file = file;
	lex->buf = buf;
	lex->len = len;
	lex->line = 1;
	lex->at_bol = true;
}

static struct cf_tok tok_error(struct cf_lex const *lex, int line, char const *what)
{
	struct cf_tok tok = { .type = CF_TOK_ERROR, .line = line };

	err_set("%s:%d: %s", lex->file, line, what);
	return tok;
}

static bool is_word_end(char c)
{
	return c == '\0' || c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '{' ||
	       c == '}' || c == '#' || c == '"' || c == '\'' || c == ',' || c == '=';
}

/* Skip blanks and comments; stop at a newline (consumed unless want_eol). */
static bool skip_space(struct cf_lex *lex)
{
	while (lex->pos < lex->len) {
		char c = lex->buf[lex->pos];

		if (c == ' ' || c == '\t' || c == '\r') {
			if (lex->at_bol) lex->line_indented = true;
			lex->pos++;
		} else if (c == '#') {
			while (lex->pos < lex->len && lex->buf[lex->pos] != '\n') lex->pos++;
		} else if (c == '\n') {
			bool had_tokens = !lex->at_bol;

			lex->pos++;
			lex->line++;
			lex->at_bol = true;
			lex->line_indented = false;
			if (lex->want_eol && had_tokens) return true;
		} else {
			return false;
		}
	}
	return false;
}

static struct cf_tok lex_quoted(struct cf_lex *lex, struct cf_tok tok)
{
	char q = lex->buf[lex->pos++];
	char *out = talloc_size(lex->ctx, CF_MAX_LINE + 1);
	size_t n = 0;

	if (!out) return tok_error(lex, tok.line, "out of memory");
	talloc_set_name_const(out, "char");
	while (lex->pos < lex->len && lex->buf[lex->pos] != '\n') {
		char c = lex->buf[lex->pos++];

		if (c == q) {
			tok.type = CF_TOK_STRING;
			tok.dquoted = q == '"';
			tok.text = cf_secret_strndup(lex->ctx, out, n);
			tok.len = n;
			mem_wipe(out, n);
			talloc_free(out);
			if (!tok.text) return tok_error(lex, tok.line, "out of memory");
			return tok;
		}
		if (c == '\\' && q == '"') {
			c = lex->pos < lex->len ? lex->buf[lex->pos++] : '\0';
			switch (c) {
			case '"': case '\\': case '\'': break;
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case 'r': c = '\r'; break;
			default:
				mem_wipe(out, n);
				talloc_free(out);
				return tok_error(lex, tok.line, "unknown escape in a \"string\"; "
						 "use \\\\ for a backslash, or 'single quotes'");
			}
		}
		out[n++] = c;	/* n <= line length <= CF_MAX_LINE */
	}
	mem_wipe(out, n);
	talloc_free(out);
	return tok_error(lex, tok.line, "unterminated string; close it on the same line");
}

static struct cf_tok lex_op(struct cf_lex *lex, struct cf_tok tok)
{
	static char const *const ops[] = { ":=", "==", "+=", "!=", ">=", "<=", "=~", "!~", "=" };
	size_t i;

	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		size_t n = strlen(ops[i]);

		if (lex->len - lex->pos >= n && memcmp(lex->buf + lex->pos, ops[i], n) == 0) {
			lex->pos += n;
			tok.type = CF_TOK_OP;
			tok.text = talloc_strdup(lex->ctx, ops[i]);
			tok.len = n;
			if (!tok.text) return tok_error(lex, tok.line, "out of memory");
			return tok;
		}
	}
	tok.type = CF_TOK_EOF;	/* not an operator */
	return tok;
}

static struct cf_tok lex_word(struct cf_lex *lex, struct cf_tok tok)
{
	size_t start = lex->pos;

	while (lex->pos < lex->len) {
		char c = lex->buf[lex->pos];

		if (c == '$' && lex->pos + 1 < lex->len && lex->buf[lex->pos + 1] == '{') {
			/* ${name}: keep it whole, expanded later */
			while (lex->pos < lex->len && lex->buf[lex->pos] != '}' &&
			       lex->buf[lex->pos] != '\n')
				lex->pos++;
			if (lex->pos >= lex->len || lex->buf[lex->pos] != '}')
				return tok_error(lex, tok.line,
						 "unterminated ${...}; close it with }");
			lex->pos++;
			continue;
		}
		if (is_word_end(c)) break;
		if (c == ':' && lex->pos + 1 < lex->len && lex->buf[lex->pos + 1] == '=') break;
		lex->pos++;
	}
	tok.type = CF_TOK_WORD;
	tok.len = lex->pos - start;
	tok.text = cf_secret_strndup(lex->ctx, lex->buf + start, tok.len);
	if (!tok.text) return tok_error(lex, tok.line, "out of memory");
	return tok;
}

struct cf_tok cf_lex_next(struct cf_lex *lex)
{
	struct cf_tok tok = { .type = CF_TOK_EOF };
	char c;

	if (skip_space(lex)) {
		tok.type = CF_TOK_EOL;
		tok.line = lex->line - 1;
		return tok;
	}
	tok.line = lex->line;
	if (lex->pos >= lex->len) {
		if (lex->want_eol && !lex->at_bol) {
			lex->at_bol = true;
			tok.type = CF_TOK_EOL;
		}
		return tok;
	}
	tok.first = lex->at_bol;
	tok.indented = lex->line_indented;
	lex->at_bol = false;
	c = lex->buf[lex->pos];
	switch (c) {
	case '{': lex->pos++; tok.type = CF_TOK_LBRACE; return tok;
	case '}': lex->pos++; tok.type = CF_TOK_RBRACE; return tok;
	case ',': lex->pos++; tok.type = CF_TOK_COMMA; return tok;
	case '"': case '\'': return lex_quoted(lex, tok);
	default: break;
	}
	if (strchr("=:+!<>", c)) {
		struct cf_tok op = lex_op(lex, tok);

		if (op.type != CF_TOK_EOF) return op;
	}
	if (c == '=') return tok_error(lex, tok.line, "unexpected '='");
	return lex_word(lex, tok);
}

char const *cf_tok_describe(struct cf_tok const *tok)
{
	switch (tok->type) {
	case CF_TOK_EOF: return "end of file";
	case CF_TOK_EOL: return "end of line";
	case CF_TOK_LBRACE: return "'{'";
	case CF_TOK_RBRACE: return "'}'";
	case CF_TOK_COMMA: return "','";
	case CF_TOK_STRING: return "a \"quoted string\"";
	case CF_TOK_WORD: case CF_TOK_OP: return tok->text;
	default: return "an error";
	}
}
