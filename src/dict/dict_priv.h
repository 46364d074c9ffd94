/*
 * Internals of the dictionary layer, shared by dict.c (storage and lookups), dict_hash.c
 * (the hash table), dict_load.c (files, lines, $INCLUDE) and dict_parse.c (keywords).
 * Not for use outside src/dict/.
 */
#ifndef LATCHD_DICT_DICT_PRIV_H
#define LATCHD_DICT_DICT_PRIV_H

#include "dict/dict.h"

#include <stdarg.h>
#include <sys/types.h>

/* Limits: every dictionary byte is input, so nothing grows without bound. */
#define DICT_MAX_LINE	1024		/* characters in one line, without newline */
#define DICT_MAX_FIELDS	8		/* whitespace-separated fields in one line */
#define DICT_MAX_NAME	128		/* characters in a name */
#define DICT_MAX_DEPTH	16		/* levels of $INCLUDE */
#define DICT_MAX_FILES	1024		/* files in one dictionary */
#define DICT_MAX_FILE	(8u << 20)	/* bytes in one file */
#define DICT_MAX_TLV	8		/* BEGIN-TLV nesting */
#define DICT_MAX_ATTRS	200000
#define DICT_MAX_VALUES	1000000
#define DICT_MAX_VENDORS 20000

/* A chained hash table of pointers; nodes and buckets are talloc children of the dict. */
struct dict_hnode {
	struct dict_hnode *next;
	void const *data;
	uint32_t hash;
};

struct dict_htable {
	struct dict_hnode **buckets;
	size_t size;		/* a power of two */
	size_t count;
};

typedef bool (*dict_hmatch_fn)(void const *data, void const *key);

int dict_htable_init(TALLOC_CTX *ctx, struct dict_htable *ht, size_t size);
void const *dict_htable_find(struct dict_htable const *ht, uint32_t hash, dict_hmatch_fn match,
			     void const *key);
/* Point the entry matching key at data, or add one. */
int dict_htable_set(TALLOC_CTX *ctx, struct dict_htable *ht, uint32_t hash, dict_hmatch_fn match,
		    void const *key, void const *data);
/* Remove the entry whose data is exactly data; false if there was none. */
bool dict_htable_remove(struct dict_htable *ht, uint32_t hash, void const *data);

uint32_t dict_hash_name(char const *name);	/* case-insensitive */
uint32_t dict_hash_num(uint64_t a, uint64_t b);

struct dict {
	struct dict_attr const *std[256];	/* vendor 0, attributes 0..255: O(1) by number */
	struct dict_htable attr_by_name;
	struct dict_htable attr_by_num;		/* vendors, and vendor 0 above 255 */
	struct dict_htable vendor_by_name;
	struct dict_htable vendor_by_pen;
	struct dict_htable value_by_name;
	struct dict_htable value_by_num;
	size_t num_attrs;
	size_t num_vendors;
	size_t num_values;
};

/* Building (dict.c); failures set err_msg() without a location, the loader adds it. */
struct dict *dict_new(TALLOC_CTX *ctx);
struct dict_vendor const *dict_vendor_add(struct dict *dict, struct dict_vendor const *tmpl);
struct dict_attr const *dict_attr_add(struct dict *dict, struct dict_attr const *tmpl);
int dict_value_add(struct dict *dict, struct dict_attr const *da, char const *name,
		   uint64_t value);

/* A VALUE seen before its ATTRIBUTE, resolved when all files are read. */
struct dict_pending {
	struct dict_pending *next;
	char const *file;
	int line;
	char *attr;
	char *name;
	char *number;
};

struct dict_file_id {
	dev_t dev;
	ino_t ino;
};

/* State of one dict_load() call. */
struct dict_loader {
	struct dict *dict;
	TALLOC_CTX *tmp;			/* freed when loading ends */
	struct dict_file_id stack[DICT_MAX_DEPTH + 1];	/* files being read, outer first */
	int depth;
	struct dict_file_id *seen;		/* every file read so far */
	size_t num_seen;
	struct dict_pending *pending;
	struct dict_pending **pending_tail;
	size_t num_pending;
};

/* State of one file: where we are and which blocks are open. */
struct dict_file {
	char const *path;			/* owned by the dict: attributes point at it */
	int line;
	struct dict_vendor const *vendor;	/* BEGIN-VENDOR block, or NULL */
	int vendor_line;
	bool vendor_nested;			/* format=Extended-Vendor-Specific-N */
	struct dict_attr const *tlv[DICT_MAX_TLV];	/* BEGIN-TLV blocks */
	int tlv_line[DICT_MAX_TLV];
	int tlv_depth;
};

/* err_set("path:line: message"); always returns -1. */
int dict_file_error(struct dict_file const *df, char const *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Keyword handlers (dict_parse.c); argv[0] is the keyword. */
int dict_parse_attribute(struct dict_loader *ld, struct dict_file *df, char **argv, int argc);
int dict_parse_value(struct dict_loader *ld, struct dict_file *df, char **argv, int argc);
int dict_parse_vendor(struct dict_loader *ld, struct dict_file *df, char **argv, int argc);
int dict_parse_begin_vendor(struct dict_loader *ld, struct dict_file *df, char **argv, int argc);
int dict_parse_end_vendor(struct dict_loader *ld, struct dict_file *df, char **argv, int argc);
int dict_parse_begin_tlv(struct dict_loader *ld, struct dict_file *df, char **argv, int argc);
int dict_parse_end_tlv(struct dict_loader *ld, struct dict_file *df, char **argv, int argc);
/* Resolve the VALUEs whose ATTRIBUTE came later. */
int dict_pending_resolve(struct dict_loader *ld);

#endif
