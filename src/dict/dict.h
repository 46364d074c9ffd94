/*
 * RADIUS dictionary: attribute, value and vendor definitions loaded from files in the
 * FreeRADIUS dictionary format, so that vendors' files work unchanged.
 */
#ifndef LATCHD_DICT_DICT_H
#define LATCHD_DICT_DICT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <talloc.h>

enum dict_type {
	DICT_TYPE_STRING,
	DICT_TYPE_OCTETS,
	DICT_TYPE_IPADDR,	/* IPv4, 4 octets */
	DICT_TYPE_IPV6ADDR,	/* 16 octets */
	DICT_TYPE_IPV6PREFIX,	/* reserved, prefix-length, prefix (2..18 octets) */
	DICT_TYPE_IPV4PREFIX,	/* reserved, prefix-length, 4 octets */
	DICT_TYPE_INTEGER,	/* 4 octets, unsigned */
	DICT_TYPE_SIGNED,	/* 4 octets, signed */
	DICT_TYPE_BYTE,		/* 1 octet */
	DICT_TYPE_SHORT,	/* 2 octets */
	DICT_TYPE_INTEGER64,	/* 8 octets */
	DICT_TYPE_DATE,		/* 4 octets, seconds since 1970 */
	DICT_TYPE_ETHER,	/* 6 octets */
	DICT_TYPE_IFID,		/* 8 octets */
	DICT_TYPE_COMBO_IP,	/* 4 or 16 octets */
	DICT_TYPE_TLV,		/* structured; kept as octets */
	DICT_TYPE_VSA,		/* Vendor-Specific (26) */
	DICT_TYPE_EXTENDED,	/* RFC 6929 241..246: skipped, kept as octets */
	DICT_TYPE_ABINARY,	/* Ascend filters: octets */
	DICT_TYPE_MAX
};

/* "string", "octets", ... ; NULL for out-of-range. */
char const *dict_type_name(enum dict_type type);

struct dict_vendor {
	char const *name;
	uint32_t pen;		/* Private Enterprise Number */
	uint8_t type_size;	/* octets of the sub-attribute type: 1, 2 or 4 (format=T,L) */
	uint8_t length_size;	/* octets of the sub-attribute length: 0, 1 or 2 */
	bool continuation;	/* format=...,c (WiMAX) */
};

struct dict_attr {
	char const *name;
	uint32_t vendor;	/* 0 for standard attributes, else the vendor's PEN */
	uint32_t attr;		/* attribute number (the vendor's sub-attribute number for VSAs) */
	enum dict_type type;
	bool has_tag;		/* RFC 2868 tag octet */
	bool concat;		/* long values split over consecutive attributes (EAP-Message) */
	uint8_t encrypt;	/* 0 none, 1 User-Password (RFC 2865 5.2), 2 Tunnel-Password /
				 * MS-MPPE keys (RFC 2868 3.5, RFC 2548 2.4.2), 3 Ascend-Send-Secret */
	char const *file;	/* where it was defined, for messages */
	int line;
	/* Added by the dict layer (additive): */
	bool array;		/* several fixed-size values packed in one attribute */
	bool internal;		/* virtual, internal or vendor 0 above 255: not on the wire */
	bool nested;		/* inside a TLV or an RFC 6929 extended attribute (dotted
				 * number, BEGIN-TLV, BEGIN-VENDOR format=...): found by name
				 * only, not by number, and not encodable yet; attr is the last
				 * component of its number */
	uint8_t length;		/* octets[N] / string[N]: fixed length N, else 0 */
};

struct dict_value {
	char const *name;
	uint64_t value;
	struct dict_attr const *da;
};

struct dict;

/*
 * Load a dictionary file and everything it $INCLUDEs (paths relative to the including file).
 * Returns the dictionary, owned by ctx, or NULL with err_msg() saying "file:line: what".
 */
struct dict *dict_load(TALLOC_CTX *ctx, char const *path);

/* Lookups; NULL when not defined. Attribute names are case-insensitive, as in FreeRADIUS. */
struct dict_attr const *dict_attr_by_name(struct dict const *dict, char const *name);
struct dict_attr const *dict_attr_by_num(struct dict const *dict, uint32_t vendor, uint32_t attr);
struct dict_vendor const *dict_vendor_by_name(struct dict const *dict, char const *name);
struct dict_vendor const *dict_vendor_by_pen(struct dict const *dict, uint32_t pen);
struct dict_value const *dict_value_by_name(struct dict const *dict, struct dict_attr const *da,
					    char const *name);
struct dict_value const *dict_value_by_num(struct dict const *dict, struct dict_attr const *da,
					   uint64_t value);

/* Counts, for tests and the startup log. */
size_t dict_num_attrs(struct dict const *dict);
size_t dict_num_vendors(struct dict const *dict);
size_t dict_num_values(struct dict const *dict);

#endif
