/*
 * Attribute values from text (users file syntax, RFC 8044 data types) to wire octets.
 *
 * Tags (RFC 2868 3): for an attribute with has_tag, a leading "N:" (N = 0..31) is the tag,
 * e.g. Tunnel-Type = 1:VLAN or Tunnel-Password = 2:"secret". Without it the tag is 0 for
 * integers, absent for plain strings, and 0 for hidden strings (Tunnel-Password always carries
 * the tag octet). To keep a leading "1:" as data, quote the value: "1:abc". This is the form
 * value_print.c writes, so print and parse round-trip.
 */
#include "radius/radius_int.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/cursor.h"
#include "util/err.h"
#include "util/hex.h"

static int octal_digit(char c)
{
	return c >= '0' && c <= '7' ? c - '0' : -1;
}

/* "text" with \\ \" \n \r \t \xHH \ooo escapes, or bare text taken as is. Returns length. */
static ssize_t parse_string(uint8_t *out, char const *s)
{
	size_t n = 0, slen = strlen(s);
	uint8_t hx[1];

	if (s[0] != '"') {
		memcpy(out, s, slen);
		return (ssize_t)slen;
	}
	for (s++; *s && *s != '"'; s++) {
		if (*s != '\\') {
			out[n++] = (uint8_t)*s;
			continue;
		}
		s++;
		switch (*s) {
		case 'n': out[n++] = '\n'; break;
		case 'r': out[n++] = '\r'; break;
		case 't': out[n++] = '\t'; break;
		case '"': case '\\': case '\'': out[n++] = (uint8_t)*s; break;
		case 'x':
			if (!s[1] || !s[2] || hex_decode(hx, 1, s + 1, 2) != 1) return -1;
			out[n++] = hx[0];
			s += 2;
			break;
		default:
			if (octal_digit(s[0]) < 0 || !s[1] || octal_digit(s[1]) < 0 || !s[2] ||
			    octal_digit(s[2]) < 0 || octal_digit(s[0]) > 3)
				return -1;
			out[n++] = (uint8_t)(octal_digit(s[0]) * 64 + octal_digit(s[1]) * 8 +
					     octal_digit(s[2]));
			s += 2;
			break;
		}
	}
	if (*s != '"' || s[1] != '\0') return -1;	/* unterminated, or text after the quote */
	return (ssize_t)n;
}

static ssize_t parse_octets(uint8_t *out, size_t cap, char const *s)
{
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return hex_decode(out, cap, s + 2, strlen(s + 2));
	return parse_string(out, s);
}

/* Decimal or 0x hex, no sign, whole text, at most max. */
static bool parse_uint(char const *s, uint64_t max, uint64_t *v)
{
	char *end;

	if (!isdigit((unsigned char)s[0])) return false;
	errno = 0;
	*v = strtoull(s, &end, 0);
	return errno == 0 && *end == '\0' && *v <= max;
}

static bool parse_number(struct dict const *dict, struct dict_attr const *da, char const *s,
			 uint64_t max, uint64_t *v)
{
	struct dict_value const *dv = dict ? dict_value_by_name(dict, da, s) : NULL;

	if (dv) {
		*v = dv->value;
		return *v <= max;
	}
	return parse_uint(s, max, v);
}

static bool parse_prefix(char const *s, int af, uint8_t *addr, unsigned *plen)
{
	char tmp[INET6_ADDRSTRLEN + 8];
	char const *slash = strchr(s, '/');
	unsigned max = af == AF_INET ? 32 : 128;
	uint64_t v = max;
	size_t alen = slash ? (size_t)(slash - s) : strlen(s), i;

	if (alen >= sizeof(tmp)) return false;
	memcpy(tmp, s, alen);
	tmp[alen] = '\0';
	if (inet_pton(af, tmp, addr) != 1) return false;
	if (slash && !parse_uint(slash + 1, max, &v)) return false;
	*plen = (unsigned)v;
	/* RFC 8044 3.10/3.11: bits past the prefix length are zero. */
	for (i = 0; i < max / 8; i++) {
		if (i * 8 >= *plen) addr[i] = 0;
		else if (i * 8 + 8 > *plen) addr[i] &= (uint8_t)(0xff << (8 - (*plen - i * 8)));
	}
	return true;
}

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

/* Seconds since the epoch, or "Mon DD YYYY HH:MM:SS [UTC]" (the form value_print writes). */
static bool parse_date(char const *s, uint32_t *out)
{
	static char const months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	unsigned mon = 0, day, year, hh, mm, ss, i;
	char name[4] = "", zone[8] = "";
	uint64_t v;
	int64_t t;
	int used = 0;

	if (parse_uint(s, UINT32_MAX, &v)) {
		*out = (uint32_t)v;
		return true;
	}
	if (sscanf(s, "%3s %u %u %u:%u:%u%n %7s%n", name, &day, &year, &hh, &mm, &ss, &used, zone,
		   &used) < 6)
		return false;
	if (s[used] != '\0' || (zone[0] && strcmp(zone, "UTC") != 0)) return false;
	for (i = 0; i < 12; i++) {
		if (strncasecmp(name, months + 3 * i, 3) == 0) mon = i + 1;
	}
	if (!mon || day < 1 || day > 31 || year < 1970 || year > 2106 || hh > 23 || mm > 59 ||
	    ss > 60)
		return false;
	t = days_from_civil(year, mon, day) * 86400 + hh * 3600 + mm * 60 + ss;
	if (t < 0 || t > (int64_t)UINT32_MAX) return false;
	*out = (uint32_t)t;
	return true;
}

/* n groups of g octets as 2*g hex digits, separated by one of seps. */
static bool parse_hex_groups(char const *s, unsigned n, unsigned g, char const *seps, uint8_t *out)
{
	unsigned i;

	for (i = 0; i < n; i++) {
		if (strnlen(s, 2 * g) < 2 * g) return false;
		if (hex_decode(out + i * g, g, s, 2 * g) != (ssize_t)g) return false;
		s += 2 * g;
		if (i + 1 < n) {
			if (!*s || !strchr(seps, *s)) return false;
			s++;
		}
	}
	return *s == '\0';
}

static ssize_t parse_integer(uint8_t *out, struct dict const *dict, struct dict_attr const *da,
			     char const *s, int tag)
{
	uint64_t v;
	char *end;
	long long sv;

	switch (da->type) {
	case DICT_TYPE_INTEGER:
		/* RFC 2868 3.1: a tagged integer keeps 24 bits after the tag octet */
		if (!parse_number(dict, da, s, tag >= 0 ? 0xffffff : UINT32_MAX, &v)) return -1;
		put_u32(out, (uint32_t)v);
		if (tag >= 0) out[0] = (uint8_t)tag;
		return 4;
	case DICT_TYPE_BYTE:
		if (!parse_number(dict, da, s, UINT8_MAX, &v)) return -1;
		out[0] = (uint8_t)v;
		return 1;
	case DICT_TYPE_SHORT:
		if (!parse_number(dict, da, s, UINT16_MAX, &v)) return -1;
		put_u16(out, (uint16_t)v);
		return 2;
	case DICT_TYPE_INTEGER64:
		if (!parse_number(dict, da, s, UINT64_MAX, &v)) return -1;
		put_u32(out, (uint32_t)(v >> 32));
		put_u32(out + 4, (uint32_t)v);
		return 8;
	default: /* DICT_TYPE_SIGNED */
		errno = 0;
		sv = strtoll(s, &end, 10);
		if (!*s || errno || *end || sv < INT32_MIN || sv > INT32_MAX) return -1;
		put_u32(out, (uint32_t)(int32_t)sv);
		return 4;
	}
}

/* Parse s by the attribute's type into out (room for strlen(s) + 18 octets). */
static ssize_t parse_typed(uint8_t *out, size_t cap, struct dict const *dict,
			   struct dict_attr const *da, char const *s, int tag)
{
	unsigned plen;
	uint32_t t;

	switch (da->type) {
	case DICT_TYPE_STRING: return parse_string(out, s);
	case DICT_TYPE_IPADDR: return inet_pton(AF_INET, s, out) == 1 ? 4 : -1;
	case DICT_TYPE_IPV6ADDR: return inet_pton(AF_INET6, s, out) == 1 ? 16 : -1;
	case DICT_TYPE_COMBO_IP:
		if (inet_pton(AF_INET, s, out) == 1) return 4;
		return inet_pton(AF_INET6, s, out) == 1 ? 16 : -1;
	case DICT_TYPE_IPV6PREFIX:
		if (!parse_prefix(s, AF_INET6, out + 2, &plen)) return -1;
		out[0] = 0;
		out[1] = (uint8_t)plen;
		return 2 + (plen + 7) / 8;
	case DICT_TYPE_IPV4PREFIX:
		if (!parse_prefix(s, AF_INET, out + 2, &plen)) return -1;
		out[0] = 0;
		out[1] = (uint8_t)plen;
		return 6;
	case DICT_TYPE_INTEGER:
	case DICT_TYPE_SIGNED:
	case DICT_TYPE_BYTE:
	case DICT_TYPE_SHORT:
	case DICT_TYPE_INTEGER64:
		return parse_integer(out, dict, da, s, tag);
	case DICT_TYPE_DATE:
		if (!parse_date(s, &t)) return -1;
		put_u32(out, t);
		return 4;
	case DICT_TYPE_ETHER: return parse_hex_groups(s, 6, 1, ":-", out) ? 6 : -1;
	case DICT_TYPE_IFID: return parse_hex_groups(s, 4, 2, ":", out) ? 8 : -1;
	default:
		return parse_octets(out, cap, s);
	}
}

/* A leading "N:" tag (0..31) on an attribute with has_tag; -1 when there is none. */
static int parse_tag(struct dict_attr const *da, char const **s)
{
	char const *p = *s;
	unsigned tag = 0;

	if (!da->has_tag || !isdigit((unsigned char)*p)) return -1;
	while (isdigit((unsigned char)*p) && tag <= 31) tag = tag * 10 + (unsigned)(*p++ - '0');
	if (*p != ':' || tag > 31) return -1;
	*s = p + 1;
	return (int)tag;
}

uint8_t *rad_value_parse(TALLOC_CTX *ctx, struct dict const *dict, struct dict_attr const *da,
			 char const *text, size_t *len)
{
	size_t cap;
	uint8_t *out;
	ssize_t n;
	int tag;
	size_t tag_len = 0;

	if (!da || !text || !len) {
		err_set("radius: value parse: bad arguments");
		return NULL;
	}
	tag = parse_tag(da, &text);
	if (tag < 0 && da->has_tag && da->type == DICT_TYPE_INTEGER) tag = 0;
	if (tag < 0 && da->has_tag && da->encrypt == 2) tag = 0;
	cap = strlen(text) + 18;
	out = talloc_size(ctx, cap + 1);
	if (!out) {
		err_set("radius: out of memory (value)");
		return NULL;
	}
	/* Tagged strings carry the tag octet in front; tagged integers inside their value. */
	if (tag >= 0 && da->type != DICT_TYPE_INTEGER) {
		out[0] = (uint8_t)tag;
		tag_len = 1;
	}
	n = parse_typed(out + tag_len, cap - tag_len, dict, da, text, tag);
	if (n < 0) {
		err_set("radius: invalid %s value for %s: \"%.64s\"",
			dict_type_name(da->type) ? dict_type_name(da->type) : "?", da->name, text);
		talloc_free(out);
		return NULL;
	}
	*len = (size_t)n + tag_len;
	return out;
}
