/*
 * Dictionary storage and lookups: attributes by name (case-insensitive) and by (vendor,
 * number), vendors by name and PEN, values by (attribute, name) and (attribute, number).
 * Standard attributes (vendor 0, 0..255) sit in a plain array: the codec looks them up by
 * number for every attribute of every packet.
 */
#include "dict/dict_priv.h"

#include "util/err.h"

#include <strings.h>

static char const *const type_names[DICT_TYPE_MAX] = {
	[DICT_TYPE_STRING] = "string",
	[DICT_TYPE_OCTETS] = "octets",
	[DICT_TYPE_IPADDR] = "ipaddr",
	[DICT_TYPE_IPV6ADDR] = "ipv6addr",
	[DICT_TYPE_IPV6PREFIX] = "ipv6prefix",
	[DICT_TYPE_IPV4PREFIX] = "ipv4prefix",
	[DICT_TYPE_INTEGER] = "integer",
	[DICT_TYPE_SIGNED] = "signed",
	[DICT_TYPE_BYTE] = "byte",
	[DICT_TYPE_SHORT] = "short",
	[DICT_TYPE_INTEGER64] = "integer64",
	[DICT_TYPE_DATE] = "date",
	[DICT_TYPE_ETHER] = "ether",
	[DICT_TYPE_IFID] = "ifid",
	[DICT_TYPE_COMBO_IP] = "combo-ip",
	[DICT_TYPE_TLV] = "tlv",
	[DICT_TYPE_VSA] = "vsa",
	[DICT_TYPE_EXTENDED] = "extended",
	[DICT_TYPE_ABINARY] = "abinary",
};

char const *dict_type_name(enum dict_type type)
{
	if ((unsigned)type >= DICT_TYPE_MAX) return NULL;
	return type_names[type];
}

struct dict *dict_new(TALLOC_CTX *ctx)
{
	struct dict *dict = talloc_zero(ctx, struct dict);

	if (!dict) goto oom;
	if (dict_htable_init(dict, &dict->attr_by_name, 1024) < 0 ||
	    dict_htable_init(dict, &dict->attr_by_num, 1024) < 0 ||
	    dict_htable_init(dict, &dict->vendor_by_name, 64) < 0 ||
	    dict_htable_init(dict, &dict->vendor_by_pen, 64) < 0 ||
	    dict_htable_init(dict, &dict->value_by_name, 1024) < 0 ||
	    dict_htable_init(dict, &dict->value_by_num, 1024) < 0) goto oom;
	return dict;
oom:
	talloc_free(dict);
	err_set("out of memory");
	return NULL;
}

/* Match functions: the key is a struct of the same kind holding the fields to compare. */
static bool attr_name_match(void const *data, void const *key)
{
	return strcasecmp(((struct dict_attr const *)data)->name, key) == 0;
}

static bool attr_num_match(void const *data, void const *key)
{
	struct dict_attr const *a = data, *b = key;

	return a->vendor == b->vendor && a->attr == b->attr;
}

static bool vendor_name_match(void const *data, void const *key)
{
	return strcasecmp(((struct dict_vendor const *)data)->name, key) == 0;
}

static bool vendor_pen_match(void const *data, void const *key)
{
	return ((struct dict_vendor const *)data)->pen == *(uint32_t const *)key;
}

static bool value_name_match(void const *data, void const *key)
{
	struct dict_value const *a = data, *b = key;

	return a->da == b->da && strcasecmp(a->name, b->name) == 0;
}

static bool value_num_match(void const *data, void const *key)
{
	struct dict_value const *a = data, *b = key;

	return a->da == b->da && a->value == b->value;
}

static uint32_t value_name_hash(struct dict_attr const *da, char const *name)
{
	return dict_hash_name(name) ^ dict_hash_num((uintptr_t)da, 0);
}

static uint32_t value_num_hash(struct dict_attr const *da, uint64_t value)
{
	return dict_hash_num((uintptr_t)da, value);
}

struct dict_attr const *dict_attr_by_name(struct dict const *dict, char const *name)
{
	return dict_htable_find(&dict->attr_by_name, dict_hash_name(name), attr_name_match, name);
}

struct dict_attr const *dict_attr_by_num(struct dict const *dict, uint32_t vendor, uint32_t attr)
{
	struct dict_attr key = { .vendor = vendor, .attr = attr };

	if (vendor == 0 && attr < 256) return dict->std[attr];
	return dict_htable_find(&dict->attr_by_num, dict_hash_num(vendor, attr), attr_num_match,
				&key);
}

struct dict_vendor const *dict_vendor_by_name(struct dict const *dict, char const *name)
{
	return dict_htable_find(&dict->vendor_by_name, dict_hash_name(name), vendor_name_match,
				name);
}

struct dict_vendor const *dict_vendor_by_pen(struct dict const *dict, uint32_t pen)
{
	return dict_htable_find(&dict->vendor_by_pen, dict_hash_num(pen, 0), vendor_pen_match,
				&pen);
}

struct dict_value const *dict_value_by_name(struct dict const *dict, struct dict_attr const *da,
					    char const *name)
{
	struct dict_value key = { .name = name, .da = da };

	return dict_htable_find(&dict->value_by_name, value_name_hash(da, name),
				value_name_match, &key);
}

struct dict_value const *dict_value_by_num(struct dict const *dict, struct dict_attr const *da,
					   uint64_t value)
{
	struct dict_value key = { .value = value, .da = da };

	return dict_htable_find(&dict->value_by_num, value_num_hash(da, value), value_num_match,
				&key);
}

size_t dict_num_attrs(struct dict const *dict)
{
	return dict->num_attrs;
}

size_t dict_num_vendors(struct dict const *dict)
{
	return dict->num_vendors;
}

size_t dict_num_values(struct dict const *dict)
{
	return dict->num_values;
}

/*
 * Add a vendor. The same name with the same PEN again is fine; another name for a known
 * PEN is an alias (lookups by PEN keep the first name).
 */
struct dict_vendor const *dict_vendor_add(struct dict *dict, struct dict_vendor const *tmpl)
{
	struct dict_vendor const *old = dict_vendor_by_name(dict, tmpl->name);
	struct dict_vendor *dv;

	if (old) {
		if (old->pen == tmpl->pen) return old;
		err_set("vendor %s is already defined with number %u", tmpl->name,
			(unsigned)old->pen);
		return NULL;
	}
	if (dict->num_vendors >= DICT_MAX_VENDORS) {
		err_set("too many vendors (more than %d)", DICT_MAX_VENDORS);
		return NULL;
	}
	dv = talloc(dict, struct dict_vendor);
	if (!dv) goto oom;
	*dv = *tmpl;
	dv->name = talloc_strdup(dv, tmpl->name);
	if (!dv->name) goto oom;
	if (dict_htable_set(dict, &dict->vendor_by_name, dict_hash_name(dv->name),
			    vendor_name_match, dv->name, dv) < 0) goto oom;
	if (!dict_vendor_by_pen(dict, dv->pen) &&
	    dict_htable_set(dict, &dict->vendor_by_pen, dict_hash_num(dv->pen, 0),
			    vendor_pen_match, &dv->pen, dv) < 0) goto oom;
	dict->num_vendors++;
	return dv;
oom:
	err_set("out of memory");
	return NULL;
}

/* Is b a harmless repetition of a? */
static bool attr_same(struct dict_attr const *a, struct dict_attr const *b)
{
	return a->vendor == b->vendor && a->attr == b->attr && a->type == b->type &&
	       a->nested == b->nested;
}

/*
 * Add an attribute (a copy of tmpl; the name is copied, tmpl->file must outlive the dict).
 * A second definition with the same name and number is fine. Another name for a known
 * number is an alias: lookups by number return the newest name, as in FreeRADIUS.
 */
struct dict_attr const *dict_attr_add(struct dict *dict, struct dict_attr const *tmpl)
{
	struct dict_attr const *old = dict_attr_by_name(dict, tmpl->name);
	struct dict_attr *da;

	if (old) {
		if (attr_same(old, tmpl)) return old;
		err_set("attribute %s is already defined differently at %s:%d", tmpl->name,
			old->file ? old->file : "?", old->line);
		return NULL;
	}
	if (dict->num_attrs >= DICT_MAX_ATTRS) {
		err_set("too many attributes (more than %d)", DICT_MAX_ATTRS);
		return NULL;
	}
	da = talloc(dict, struct dict_attr);
	if (!da) goto oom;
	*da = *tmpl;
	da->name = talloc_strdup(da, tmpl->name);
	if (!da->name) goto oom;
	if (dict_htable_set(dict, &dict->attr_by_name, dict_hash_name(da->name), attr_name_match,
			    da->name, da) < 0) goto oom;
	dict->num_attrs++;
	if (da->nested) return da;
	if (da->vendor == 0 && da->attr < 256) {
		dict->std[da->attr] = da;
		return da;
	}
	if (dict_htable_set(dict, &dict->attr_by_num, dict_hash_num(da->vendor, da->attr),
			    attr_num_match, da, da) < 0) goto oom;
	return da;
oom:
	err_set("out of memory");
	return NULL;
}

/*
 * Add or redefine a VALUE. A redefinition (same attribute, same name) takes the new number;
 * several names for one number are aliases, and lookups by number return the newest.
 */
int dict_value_add(struct dict *dict, struct dict_attr const *da, char const *name,
		   uint64_t value)
{
	struct dict_value *dv = (struct dict_value *)dict_value_by_name(dict, da, name);

	if (dv) {
		if (dv->value == value) return 0;
		dict_htable_remove(&dict->value_by_num, value_num_hash(da, dv->value), dv);
		dv->value = value;
	} else {
		if (dict->num_values >= DICT_MAX_VALUES) {
			err_set("too many values (more than %d)", DICT_MAX_VALUES);
			return -1;
		}
		dv = talloc(dict, struct dict_value);
		if (!dv) goto oom;
		dv->da = da;
		dv->value = value;
		dv->name = talloc_strdup(dv, name);
		if (!dv->name) goto oom;
		if (dict_htable_set(dict, &dict->value_by_name, value_name_hash(da, name),
				    value_name_match, dv, dv) < 0) goto oom;
		dict->num_values++;
	}
	if (dict_htable_set(dict, &dict->value_by_num, value_num_hash(da, value), value_num_match,
			    dv, dv) < 0) goto oom;
	return 0;
oom:
	err_set("out of memory");
	return -1;
}
