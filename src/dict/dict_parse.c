/*
 * Dictionary keywords in the FreeRADIUS format: ATTRIBUTE (types, flags, dotted numbers of
 * RFC 6929 extended attributes and TLVs), VALUE, VENDOR (format=T,L[,c] of RFC 2865 5.26
 * style VSAs), BEGIN-/END-VENDOR and BEGIN-/END-TLV blocks.
 */
#include "dict/dict_priv.h"

#include "util/err.h"

#include <string.h>
#include <strings.h>

/* Add "path:line" in front of the error a lower function recorded. */
static int error_here(struct dict_file const *df)
{
	err_prefix("%s:%d", df->path, df->line);
	return -1;
}

/* Decimal or 0x-hexadecimal, no sign, no junk, at most max. */
static bool parse_uint(char const *s, uint64_t max, uint64_t *out)
{
	unsigned base = 10;
	uint64_t v = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!*s) return false;
	for (; *s; s++) {
		unsigned d;

		if (*s >= '0' && *s <= '9') d = (unsigned)(*s - '0');
		else if (base == 16 && *s >= 'a' && *s <= 'f') d = (unsigned)(*s - 'a' + 10);
		else if (base == 16 && *s >= 'A' && *s <= 'F') d = (unsigned)(*s - 'A' + 10);
		else return false;
		if (d > max || v > (max - d) / base) return false;
		v = v * base + d;
	}
	*out = v;
	return true;
}

/* Names: 1..DICT_MAX_NAME printable ASCII characters. */
static int check_name(struct dict_file const *df, char const *what, char const *name)
{
	size_t len = strlen(name), i;

	if (len > DICT_MAX_NAME) {
		return dict_file_error(df, "%s name too long (more than %d characters)", what,
				       DICT_MAX_NAME);
	}
	for (i = 0; i < len; i++) {
		if ((unsigned char)name[i] > 0x7e) {
			return dict_file_error(df, "invalid character in %s name '%.64s'", what,
					       name);
		}
	}
	return 0;
}

static const struct {
	char const *name;
	enum dict_type type;
} type_table[] = {
	{ "string", DICT_TYPE_STRING },		{ "octets", DICT_TYPE_OCTETS },
	{ "ipaddr", DICT_TYPE_IPADDR },		{ "ipv4addr", DICT_TYPE_IPADDR },
	{ "ipv6addr", DICT_TYPE_IPV6ADDR },	{ "ipv6prefix", DICT_TYPE_IPV6PREFIX },
	{ "ipv4prefix", DICT_TYPE_IPV4PREFIX },	{ "integer", DICT_TYPE_INTEGER },
	{ "uint32", DICT_TYPE_INTEGER },	{ "signed", DICT_TYPE_SIGNED },
	{ "int32", DICT_TYPE_SIGNED },		{ "byte", DICT_TYPE_BYTE },
	{ "uint8", DICT_TYPE_BYTE },		{ "short", DICT_TYPE_SHORT },
	{ "uint16", DICT_TYPE_SHORT },		{ "integer64", DICT_TYPE_INTEGER64 },
	{ "uint64", DICT_TYPE_INTEGER64 },	{ "date", DICT_TYPE_DATE },
	{ "ether", DICT_TYPE_ETHER },		{ "ifid", DICT_TYPE_IFID },
	{ "combo-ip", DICT_TYPE_COMBO_IP },	{ "combo-ipaddr", DICT_TYPE_COMBO_IP },
	{ "tlv", DICT_TYPE_TLV },		{ "vsa", DICT_TYPE_VSA },
	{ "evs", DICT_TYPE_VSA },		{ "extended", DICT_TYPE_EXTENDED },
	{ "long-extended", DICT_TYPE_EXTENDED },	{ "abinary", DICT_TYPE_ABINARY },
};

/* "integer", "octets[16]", ... Type names are case-insensitive ("String" occurs). */
static int parse_type(struct dict_file const *df, char *s, struct dict_attr *da)
{
	char *br = strchr(s, '[');
	size_t i;

	if (br) {
		size_t n = strlen(br);
		uint64_t len;

		if (n < 3 || br[n - 1] != ']') return dict_file_error(df, "bad type '%.64s'", s);
		br[n - 1] = '\0';
		if (!parse_uint(br + 1, 253, &len) || len == 0) {
			return dict_file_error(df, "bad length in type '%.64s]'", s);
		}
		*br = '\0';
		da->length = (uint8_t)len;
	}
	for (i = 0; i < sizeof(type_table) / sizeof(type_table[0]); i++) {
		if (strcasecmp(s, type_table[i].name) == 0) {
			da->type = type_table[i].type;
			if (br && da->type != DICT_TYPE_OCTETS && da->type != DICT_TYPE_STRING) {
				return dict_file_error(df, "type %s cannot have a length", s);
			}
			return 0;
		}
	}
	return dict_file_error(df, "unknown type '%.64s'", s);
}

/* Comma-separated flags: has_tag, encrypt=1..3, concat, array, virtual, internal, secret. */
static int parse_flags(struct dict_file const *df, char *s, struct dict_attr *da)
{
	char *save = NULL, *f;

	if (s[0] == ',' || s[strlen(s) - 1] == ',' || strstr(s, ",,")) {
		return dict_file_error(df, "empty flag in '%.64s'", s);
	}
	for (f = strtok_r(s, ",", &save); f; f = strtok_r(NULL, ",", &save)) {
		uint64_t n;

		if (strcmp(f, "has_tag") == 0) da->has_tag = true;
		else if (strcmp(f, "concat") == 0) da->concat = true;
		else if (strcmp(f, "array") == 0) da->array = true;
		else if (strcmp(f, "virtual") == 0) da->internal = true;
		else if (strcmp(f, "internal") == 0) da->internal = true;
		else if (strcmp(f, "secret") == 0) continue;	/* FreeRADIUS: hide in logs */
		else if (strncmp(f, "encrypt=", 8) == 0) {
			if (!parse_uint(f + 8, 3, &n) || n == 0) {
				return dict_file_error(df, "bad flag '%.64s' (encrypt=1, 2 or 3)",
						       f);
			}
			da->encrypt = (uint8_t)n;
		} else {
			return dict_file_error(df, "unknown flag '%.64s'", f);
		}
	}
	return 0;
}

/* "26", "0x1a", "241.1", "186.11.2.1": sets da->attr to the last part; returns parts. */
static int parse_attr_number(struct dict_file const *df, char *s, struct dict_attr *da)
{
	char *save = NULL, *part;
	int parts = 0;
	uint64_t n = 0;

	if (s[0] == '.' || s[strlen(s) - 1] == '.' || strstr(s, "..")) {
		return dict_file_error(df, "bad attribute number '%.64s'", s);
	}
	for (part = strtok_r(s, ".", &save); part; part = strtok_r(NULL, ".", &save)) {
		if (++parts > DICT_MAX_TLV || !parse_uint(part, UINT32_MAX, &n)) {
			return dict_file_error(df, "bad attribute number '%.64s'", part);
		}
	}
	da->attr = (uint32_t)n;
	return parts;
}

/* Number ranges and type rules for a top-level (not nested) attribute. */
static int check_attr(struct dict_file const *df, struct dict_attr const *da,
		      struct dict_vendor const *dv)
{
	if (!dv && da->attr == 0) return dict_file_error(df, "attribute number 0 is not valid");
	if (dv && dv->type_size < 4 && da->attr >= (1u << (8 * dv->type_size))) {
		return dict_file_error(df, "attribute number %u too large for vendor %s",
				       (unsigned)da->attr, dv->name);
	}
	if (da->type == DICT_TYPE_EXTENDED && (dv || da->attr < 241 || da->attr > 246)) {
		return dict_file_error(df, "extended attributes are numbered 241..246");
	}
	return 0;
}

static int check_flags(struct dict_file const *df, struct dict_attr const *da)
{
	if (da->has_tag && da->type != DICT_TYPE_STRING && da->type != DICT_TYPE_OCTETS &&
	    da->type != DICT_TYPE_INTEGER) {
		return dict_file_error(df, "type %s cannot have has_tag", dict_type_name(da->type));
	}
	if (da->concat && da->type != DICT_TYPE_OCTETS) {
		return dict_file_error(df, "only octets attributes can have concat");
	}
	return 0;
}

/* ATTRIBUTE name number type [flags | vendor-name] */
int dict_parse_attribute(struct dict_loader *ld, struct dict_file *df, char **argv, int argc)
{
	struct dict_vendor const *dv = df->vendor;
	struct dict_attr da = { .type = DICT_TYPE_OCTETS };
	int parts;

	if (argc < 4) return dict_file_error(df, "ATTRIBUTE needs a name, a number and a type");
	if (argc > 5) return dict_file_error(df, "unexpected '%.64s' after ATTRIBUTE", argv[5]);
	if (check_name(df, "attribute", argv[1]) < 0) return -1;
	da.name = argv[1];
	parts = parse_attr_number(df, argv[2], &da);
	if (parts < 0 || parse_type(df, argv[3], &da) < 0) return -1;
	if (argc == 5) {
		struct dict_vendor const *old = strchr(argv[4], '=') ? NULL :
						dict_vendor_by_name(ld->dict, argv[4]);

		if (old) dv = old;	/* old style: the vendor's name as 5th field */
		else if (parse_flags(df, argv[4], &da) < 0) return -1;
	}
	da.vendor = dv ? dv->pen : 0;
	da.nested = parts > 1 || df->tlv_depth > 0 || df->vendor_nested;
	if (!da.nested && check_attr(df, &da, dv) < 0) return -1;
	if (check_flags(df, &da) < 0) return -1;
	if (!dv && da.attr > 255) da.internal = true;	/* FreeRADIUS server-side attributes */
	da.file = df->path;
	da.line = df->line;
	if (!dict_attr_add(ld->dict, &da)) return error_here(df);
	return 0;
}

/*
 * The number of a VALUE, checked against the attribute's size. Signed values are stored
 * as their 32-bit two's complement (the bits on the wire); other types take any uint64.
 */
static int value_number(struct dict_attr const *da, char const *s, uint64_t *out)
{
	/* Other types: not meaningful, but vendors' files have them (octets in CableLabs). */
	uint64_t max = UINT64_MAX;

	switch (da->type) {
	case DICT_TYPE_BYTE: max = UINT8_MAX; break;
	case DICT_TYPE_SHORT: max = UINT16_MAX; break;
	case DICT_TYPE_INTEGER: case DICT_TYPE_DATE: max = UINT32_MAX; break;
	case DICT_TYPE_SIGNED:
		if (s[0] != '-') {
			max = INT32_MAX;
			break;
		}
		if (!parse_uint(s + 1, (uint64_t)INT32_MAX + 1, out)) goto bad;
		*out = (uint32_t)(0u - (uint32_t)*out);
		return 0;
	default: break;
	}
	if (parse_uint(s, max, out)) return 0;
bad:
	err_set("bad number '%.64s' for VALUE of %s (type %s)", s, da->name,
		dict_type_name(da->type));
	return -1;
}

static int value_add(struct dict_loader *ld, struct dict_attr const *da, char const *name,
		     char const *number)
{
	uint64_t v;

	if (value_number(da, number, &v) < 0) return -1;
	return dict_value_add(ld->dict, da, name, v);
}

/* VALUE attribute-name value-name number; deferred if the attribute comes later. */
int dict_parse_value(struct dict_loader *ld, struct dict_file *df, char **argv, int argc)
{
	struct dict_attr const *da;
	struct dict_pending *p;

	if (argc != 4) {
		return dict_file_error(df, "VALUE needs an attribute name, a name and a number");
	}
	if (check_name(df, "attribute", argv[1]) < 0 || check_name(df, "value", argv[2]) < 0) {
		return -1;
	}
	da = dict_attr_by_name(ld->dict, argv[1]);
	if (da) return value_add(ld, da, argv[2], argv[3]) < 0 ? error_here(df) : 0;
	if (ld->num_pending >= DICT_MAX_VALUES) return dict_file_error(df, "too many VALUEs");
	p = talloc_zero(ld->tmp, struct dict_pending);
	if (!p) return dict_file_error(df, "out of memory");
	p->file = df->path;
	p->line = df->line;
	p->attr = talloc_strdup(p, argv[1]);
	p->name = talloc_strdup(p, argv[2]);
	p->number = talloc_strdup(p, argv[3]);
	if (!p->attr || !p->name || !p->number) return dict_file_error(df, "out of memory");
	*ld->pending_tail = p;
	ld->pending_tail = &p->next;
	ld->num_pending++;
	return 0;
}

int dict_pending_resolve(struct dict_loader *ld)
{
	struct dict_pending const *p;

	for (p = ld->pending; p; p = p->next) {
		struct dict_file df = { .path = p->file, .line = p->line };
		struct dict_attr const *da = dict_attr_by_name(ld->dict, p->attr);

		if (!da) {
			return dict_file_error(&df, "VALUE %s for unknown attribute %s", p->name,
					       p->attr);
		}
		if (value_add(ld, da, p->name, p->number) < 0) return error_here(&df);
	}
	return 0;
}

/* format=T,L or format=T,L,c (RFC 2865 5.26 suggests 1,1; USR uses 4,0; WiMAX 1,1,c). */
static int parse_vendor_format(struct dict_file const *df, char const *s, struct dict_vendor *dv)
{
	char const *f = s + 7;

	if (strncmp(s, "format=", 7) != 0 || strlen(f) < 3 || f[1] != ',' ||
	    (f[0] != '1' && f[0] != '2' && f[0] != '4') || f[2] < '0' || f[2] > '2' ||
	    (f[3] && strcmp(f + 3, ",c") != 0)) {
		return dict_file_error(df, "bad vendor format '%.64s' (format=T,L[,c])", s);
	}
	dv->type_size = (uint8_t)(f[0] - '0');
	dv->length_size = (uint8_t)(f[2] - '0');
	dv->continuation = f[3] != '\0';
	if (dv->continuation && (dv->type_size != 1 || dv->length_size != 1)) {
		return dict_file_error(df, "format=...,c needs format=1,1,c");
	}
	return 0;
}

/* VENDOR name number [format=T,L[,c]] */
int dict_parse_vendor(struct dict_loader *ld, struct dict_file *df, char **argv, int argc)
{
	struct dict_vendor dv = { .type_size = 1, .length_size = 1 };
	uint64_t pen;

	if (argc < 3 || argc > 4) {
		return dict_file_error(df, "VENDOR needs a name, a number and maybe format=T,L");
	}
	if (check_name(df, "vendor", argv[1]) < 0) return -1;
	if (!parse_uint(argv[2], UINT32_MAX, &pen) || pen == 0) {
		return dict_file_error(df, "bad vendor number '%.64s'", argv[2]);
	}
	if (argc == 4 && parse_vendor_format(df, argv[3], &dv) < 0) return -1;
	dv.name = argv[1];
	dv.pen = (uint32_t)pen;
	if (!dict_vendor_add(ld->dict, &dv)) return error_here(df);
	return 0;
}

/* BEGIN-VENDOR name [format=Extended-Vendor-Specific-N] */
int dict_parse_begin_vendor(struct dict_loader *ld, struct dict_file *df, char **argv, int argc)
{
	struct dict_vendor const *dv;

	if (argc < 2 || argc > 3) return dict_file_error(df, "BEGIN-VENDOR needs a vendor name");
	if (df->vendor) {
		return dict_file_error(df, "BEGIN-VENDOR %.64s inside BEGIN-VENDOR %s", argv[1],
				       df->vendor->name);
	}
	if (df->tlv_depth > 0) return dict_file_error(df, "BEGIN-VENDOR inside BEGIN-TLV");
	dv = dict_vendor_by_name(ld->dict, argv[1]);
	if (!dv) return dict_file_error(df, "BEGIN-VENDOR of unknown vendor %.64s", argv[1]);
	df->vendor_nested = false;
	if (argc == 3) {
		struct dict_attr const *evs = NULL;

		if (strncmp(argv[2], "format=", 7) == 0) {
			evs = dict_attr_by_name(ld->dict, argv[2] + 7);
		}
		if (!evs || evs->type != DICT_TYPE_VSA || !evs->nested) {
			return dict_file_error(df, "bad BEGIN-VENDOR option '%.64s' (expected "
					       "format=<an evs attribute>)", argv[2]);
		}
		df->vendor_nested = true;	/* RFC 6929 2.4: inside 241..246.26 */
	}
	df->vendor = dv;
	df->vendor_line = df->line;
	return 0;
}

int dict_parse_end_vendor(struct dict_loader *ld, struct dict_file *df, char **argv, int argc)
{
	if (argc != 2) return dict_file_error(df, "END-VENDOR needs a vendor name");
	if (!df->vendor) {
		return dict_file_error(df, "END-VENDOR %.64s without BEGIN-VENDOR", argv[1]);
	}
	if (df->tlv_depth > 0) return dict_file_error(df, "END-VENDOR inside BEGIN-TLV");
	if (strcasecmp(argv[1], df->vendor->name) != 0) {
		return dict_file_error(df, "END-VENDOR %.64s does not match BEGIN-VENDOR %s",
				       argv[1], df->vendor->name);
	}
	df->vendor = NULL;
	df->vendor_nested = false;
	return 0;
}

/* BEGIN-TLV name: the following ATTRIBUTEs are members of that tlv attribute. */
int dict_parse_begin_tlv(struct dict_loader *ld, struct dict_file *df, char **argv, int argc)
{
	struct dict_attr const *da;

	if (argc != 2) return dict_file_error(df, "BEGIN-TLV needs an attribute name");
	da = dict_attr_by_name(ld->dict, argv[1]);
	if (!da || da->type != DICT_TYPE_TLV) {
		return dict_file_error(df, "BEGIN-TLV %.64s: not a tlv attribute", argv[1]);
	}
	if (df->tlv_depth >= DICT_MAX_TLV) {
		return dict_file_error(df, "BEGIN-TLV nested too deeply");
	}
	df->tlv[df->tlv_depth] = da;
	df->tlv_line[df->tlv_depth++] = df->line;
	return 0;
}

int dict_parse_end_tlv(struct dict_loader *ld, struct dict_file *df, char **argv, int argc)
{
	if (argc != 2) return dict_file_error(df, "END-TLV needs an attribute name");
	if (df->tlv_depth == 0) {
		return dict_file_error(df, "END-TLV %.64s without BEGIN-TLV", argv[1]);
	}
	if (strcasecmp(argv[1], df->tlv[df->tlv_depth - 1]->name) != 0) {
		return dict_file_error(df, "END-TLV %.64s does not match BEGIN-TLV %s", argv[1],
				       df->tlv[df->tlv_depth - 1]->name);
	}
	df->tlv_depth--;
	return 0;
}
