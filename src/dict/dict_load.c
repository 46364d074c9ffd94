/*
 * Dictionary files in the FreeRADIUS format: read a file, split it into lines and fields,
 * follow $INCLUDE (relative to the including file, loops and depth > 16 refused) and hand
 * each keyword to dict_parse.c. Every error names the file and line.
 */
#include "dict/dict_priv.h"

#include "util/err.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

static int load_file(struct dict_loader *ld, struct dict_file const *from, char const *path,
		     bool optional);

int dict_file_error(struct dict_file const *df, char const *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vset_at(df->path, df->line, fmt, ap);
	va_end(ap);
	return -1;
}

/* Lines with these keywords are accepted and ignored (FreeRADIUS v4 syntax, mostly). */
static bool is_skipped_keyword(char const *kw)
{
	static char const *const skip[] = {
		"FLAGS", "PROTOCOL", "BEGIN-PROTOCOL", "END-PROTOCOL", "STRUCT", "MEMBER",
	};
	size_t i;

	for (i = 0; i < sizeof(skip) / sizeof(skip[0]); i++) {
		if (strcasecmp(kw, skip[i]) == 0) return true;
	}
	return false;
}

/* "$INCLUDE file": relative names are relative to the including file's directory. */
static int parse_include(struct dict_loader *ld, struct dict_file *df, char **argv, int argc)
{
	char path[PATH_MAX];
	char const *slash = strrchr(df->path, '/');
	bool optional = strcmp(argv[0], "$INCLUDE-") == 0;
	int n;

	if (argc != 2) return dict_file_error(df, "%s needs exactly one file name", argv[0]);
	if (argv[1][0] == '/' || !slash) {
		n = snprintf(path, sizeof(path), "%s", argv[1]);
	} else {
		n = snprintf(path, sizeof(path), "%.*s/%s", (int)(slash - df->path), df->path,
			     argv[1]);
	}
	if (n < 0 || (size_t)n >= sizeof(path)) {
		return dict_file_error(df, "$INCLUDE path too long");
	}
	return load_file(ld, df, path, optional);
}

static int parse_fields(struct dict_loader *ld, struct dict_file *df, char **argv, int argc)
{
	static const struct {
		char const *kw;
		int (*fn)(struct dict_loader *, struct dict_file *, char **, int);
	} handlers[] = {
		{ "ATTRIBUTE", dict_parse_attribute },
		{ "VALUE", dict_parse_value },
		{ "VENDOR", dict_parse_vendor },
		{ "BEGIN-VENDOR", dict_parse_begin_vendor },
		{ "END-VENDOR", dict_parse_end_vendor },
		{ "BEGIN-TLV", dict_parse_begin_tlv },
		{ "END-TLV", dict_parse_end_tlv },
		{ "$INCLUDE", parse_include },
		{ "$INCLUDE-", parse_include },
	};
	size_t i;

	for (i = 0; i < sizeof(handlers) / sizeof(handlers[0]); i++) {
		if (strcasecmp(argv[0], handlers[i].kw) == 0) {
			return handlers[i].fn(ld, df, argv, argc);
		}
	}
	if (is_skipped_keyword(argv[0])) return 0;
	return dict_file_error(df, "unknown keyword '%.64s'", argv[0]);
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\f' || c == '\v';
}

/* One line (no newline, NUL-terminated, writable): strip the comment, split, dispatch. */
static int parse_line(struct dict_loader *ld, struct dict_file *df, char *line, size_t len)
{
	char *argv[DICT_MAX_FIELDS];
	int argc = 0;
	size_t i;
	char *p;

	if (len > DICT_MAX_LINE) {
		return dict_file_error(df, "line too long (more than %d characters)",
				       DICT_MAX_LINE);
	}
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)line[i];

		if ((c < 0x20 && c != '\t' && c != '\f' && c != '\v') || c == 0x7f) {
			return dict_file_error(df, "invalid character 0x%02x", c);
		}
	}
	p = strchr(line, '#');
	if (p) *p = '\0';
	p = line;
	for (;;) {
		while (is_space(*p)) p++;
		if (!*p) break;
		if (argc == DICT_MAX_FIELDS) return dict_file_error(df, "too many fields");
		argv[argc++] = p;
		while (*p && !is_space(*p)) p++;
		if (*p) *p++ = '\0';
	}
	if (argc == 0) return 0;
	return parse_fields(ld, df, argv, argc);
}

/* Read a whole file (at most DICT_MAX_FILE bytes) into a NUL-terminated buffer. */
static char *read_all(TALLOC_CTX *ctx, FILE *fp, char const *path, size_t *lenp)
{
	struct stat st;
	char *buf;
	size_t len;

	if (fstat(fileno(fp), &st) < 0 || !S_ISREG(st.st_mode)) {
		err_set("%s: not a regular file", path);
		return NULL;
	}
	if ((uintmax_t)st.st_size > DICT_MAX_FILE) {
		err_set("%s: file too large (more than %u bytes)", path, DICT_MAX_FILE);
		return NULL;
	}
	buf = talloc_array(ctx, char, (size_t)st.st_size + 1);
	if (!buf) {
		err_set("out of memory");
		return NULL;
	}
	len = fread(buf, 1, (size_t)st.st_size, fp);
	if (ferror(fp)) {
		err_set("%s: read error", path);
		talloc_free(buf);
		return NULL;
	}
	buf[len] = '\0';
	*lenp = len;
	return buf;
}

/* Split the buffer into lines and parse them; then check no block was left open. */
static int parse_buffer(struct dict_loader *ld, struct dict_file *df, char *buf, size_t len)
{
	char *p = buf, *end = buf + len;

	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		df->line++;
		if (n > 0 && p[n - 1] == '\r') n--;
		if (memchr(p, '\0', n)) return dict_file_error(df, "invalid character 0x00");
		p[n] = '\0';
		if (parse_line(ld, df, p, n) < 0) return -1;
		p = nl ? nl + 1 : end;
	}
	if (df->tlv_depth > 0) {
		df->line = df->tlv_line[df->tlv_depth - 1];
		return dict_file_error(df, "BEGIN-TLV %s without END-TLV",
				       df->tlv[df->tlv_depth - 1]->name);
	}
	if (df->vendor) {
		df->line = df->vendor_line;
		return dict_file_error(df, "BEGIN-VENDOR %s without END-VENDOR", df->vendor->name);
	}
	return 0;
}

static bool file_id_eq(struct dict_file_id const *a, struct dict_file_id const *b)
{
	return a->dev == b->dev && a->ino == b->ino;
}

/*
 * Check the file against the include stack (a loop is an error) and the files already
 * read (a second $INCLUDE of one file is skipped). Returns 1 to read it, 0 to skip, -1.
 * from is NULL for the top file, which is always read.
 */
static int file_admit(struct dict_loader *ld, struct dict_file const *from,
		      struct dict_file_id const *id, char const *path)
{
	struct dict_file_id *seen;
	size_t i;
	int d;

	if (from) {
		for (d = 0; d < ld->depth; d++) {
			if (file_id_eq(&ld->stack[d], id)) {
				return dict_file_error(from, "$INCLUDE loop: %s is already being "
						       "read", path);
			}
		}
		for (i = 0; i < ld->num_seen; i++) {
			if (file_id_eq(&ld->seen[i], id)) return 0;
		}
		if (ld->depth > DICT_MAX_DEPTH) {
			return dict_file_error(from, "$INCLUDE nested too deeply (more than %d "
					       "levels)", DICT_MAX_DEPTH);
		}
		if (ld->num_seen >= DICT_MAX_FILES) {
			return dict_file_error(from, "too many files (more than %d)",
					       DICT_MAX_FILES);
		}
	}
	seen = talloc_realloc(ld->tmp, ld->seen, struct dict_file_id, ld->num_seen + 1);
	if (!seen) {
		err_set("out of memory");
		return -1;
	}
	ld->seen = seen;
	ld->seen[ld->num_seen++] = *id;
	return 1;
}

static int load_file(struct dict_loader *ld, struct dict_file const *from, char const *path,
		     bool optional)
{
	struct dict_file df = { .path = NULL };
	struct dict_file_id id;
	struct stat st;
	char *buf;
	size_t len;
	FILE *fp;
	int rc;

	fp = fopen(path, "r");
	if (!fp) {
		if (optional && errno == ENOENT) return 0;
		if (from) return dict_file_error(from, "cannot open %s: %s", path, strerror(errno));
		err_set("cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fileno(fp), &st) < 0) {
		fclose(fp);
		err_set("%s: %s", path, strerror(errno));
		return -1;
	}
	id.dev = st.st_dev;
	id.ino = st.st_ino;
	rc = file_admit(ld, from, &id, path);
	if (rc <= 0) {
		fclose(fp);
		return rc;
	}
	buf = read_all(ld->tmp, fp, path, &len);
	fclose(fp);
	if (!buf) {
		if (from) err_prefix("%s:%d", from->path, from->line);
		return -1;
	}
	df.path = talloc_strdup(ld->dict, path);
	if (!df.path) {
		err_set("out of memory");
		return -1;
	}
	ld->stack[ld->depth++] = id;
	rc = parse_buffer(ld, &df, buf, len);
	ld->depth--;
	talloc_free(buf);
	return rc;
}

struct dict *dict_load(TALLOC_CTX *ctx, char const *path)
{
	struct dict_loader ld = { .depth = 0 };

	err_clear();
	ld.tmp = talloc_new(ctx);	/* under ctx, so leak checks of ctx see it */
	ld.dict = dict_new(ctx);
	if (!ld.tmp || !ld.dict) goto fail;
	ld.pending_tail = &ld.pending;
	if (load_file(&ld, NULL, path, false) < 0) goto fail;
	if (dict_pending_resolve(&ld) < 0) goto fail;
	talloc_free(ld.tmp);
	return ld.dict;
fail:
	if (!err_msg()[0]) err_set("out of memory");
	talloc_free(ld.tmp);
	talloc_free(ld.dict);
	return NULL;
}
