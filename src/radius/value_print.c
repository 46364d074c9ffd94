/*
 * Attribute values as text, in the syntax the users file and logs use (RFC 8044 data types):
 * "quoted strings" with escapes, 0xhex octets, addresses and prefixes, integers or their VALUE
 * names, dates as UTC text, MAC addresses, interface ids. Anything that does not have the
 * length its type requires prints as 0xhex, so hostile input can always be shown safely.
 */
#include "radius/radius_int.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "util/cursor.h"

struct sbuf {
	char *p;
	size_t cap;
	size_t n;	/* length needed so far (may exceed cap) */
};

static void sb_putc(struct sbuf *sb, char c)
{
	if (sb->n + 1 < sb->cap) sb->p[sb->n] = c;
	sb->n++;
}

static void sb_puts(struct sbuf *sb, char const *s)
{
	while (*s) sb_putc(sb, *s++);
}

static void sb_printf(struct sbuf *sb, char const *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(struct sbuf *sb, char const *fmt, ...)
{
	char tmp[64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	sb_puts(sb, tmp);
}

static void print_hex(struct sbuf *sb, uint8_t const *v, size_t len)
{
	static char const digits[] = "0123456789abcdef";
	size_t i;

	sb_puts(sb, "0x");
	for (i = 0; i < len; i++) {
		sb_putc(sb, digits[v[i] >> 4]);
		sb_putc(sb, digits[v[i] & 0x0f]);
	}
}

/* Printable ASCII as is; quote, backslash and everything else escaped. */
static void print_string(struct sbuf *sb, uint8_t const *v, size_t len)
{
	size_t i;

	sb_putc(sb, '"');
	for (i = 0; i < len; i++) {
		uint8_t c = v[i];

		if (c == '"' || c == '\\') {
			sb_putc(sb, '\\');
			sb_putc(sb, (char)c);
		} else if (c == '\n') {
			sb_puts(sb, "\\n");
		} else if (c == '\r') {
			sb_puts(sb, "\\r");
		} else if (c == '\t') {
			sb_puts(sb, "\\t");
		} else if (c < 0x20 || c >= 0x7f) {
			sb_printf(sb, "\\%03o", c);
		} else {
			sb_putc(sb, (char)c);
		}
	}
	sb_putc(sb, '"');
}

static void print_number(struct sbuf *sb, struct dict const *dict, struct dict_attr const *da,
			 uint64_t v)
{
	struct dict_value const *dv = dict ? dict_value_by_num(dict, da, v) : NULL;

	if (dv) sb_puts(sb, dv->name);
	else sb_printf(sb, "%" PRIu64, v);
}

static bool print_addr(struct sbuf *sb, int af, uint8_t const *v)
{
	char tmp[INET6_ADDRSTRLEN];

	if (!inet_ntop(af, v, tmp, sizeof(tmp))) return false;
	sb_puts(sb, tmp);
	return true;
}

/* RFC 8044 3.10: reserved, prefix-length, up to 16 octets of prefix. */
static bool print_ipv6prefix(struct sbuf *sb, uint8_t const *v, size_t len)
{
	uint8_t addr[16] = {0};

	if (len < 2 || len > 18 || v[1] > 128 || (size_t)(v[1] + 7) / 8 > len - 2) return false;
	memcpy(addr, v + 2, len - 2);
	if (!print_addr(sb, AF_INET6, addr)) return false;
	sb_printf(sb, "/%u", v[1]);
	return true;
}

/* RFC 8044 3.11: reserved, 2 reserved bits + 6-bit prefix-length, 4 octets. */
static bool print_ipv4prefix(struct sbuf *sb, uint8_t const *v, size_t len)
{
	if (len != 6 || (v[1] & 0x3f) > 32) return false;
	if (!print_addr(sb, AF_INET, v + 2)) return false;
	sb_printf(sb, "/%u", v[1] & 0x3f);
	return true;
}

static bool print_date(struct sbuf *sb, uint8_t const *v)
{
	time_t t = (time_t)get_u32(v);
	struct tm tm;
	char tmp[64];

	if (!gmtime_r(&t, &tm)) return false;
	if (strftime(tmp, sizeof(tmp), "%b %e %Y %H:%M:%S UTC", &tm) == 0) return false;
	sb_puts(sb, tmp);
	return true;
}

/* Print by type; false when the length is wrong for the type (caller falls back to hex). */
static bool print_typed(struct sbuf *sb, struct dict const *dict, struct dict_attr const *da,
			uint8_t const *v, size_t len)
{
	switch (da->type) {
	case DICT_TYPE_STRING: print_string(sb, v, len); return true;
	case DICT_TYPE_IPADDR: return len == 4 && print_addr(sb, AF_INET, v);
	case DICT_TYPE_IPV6ADDR: return len == 16 && print_addr(sb, AF_INET6, v);
	case DICT_TYPE_COMBO_IP:
		if (len == 4) return print_addr(sb, AF_INET, v);
		return len == 16 && print_addr(sb, AF_INET6, v);
	case DICT_TYPE_IPV6PREFIX: return print_ipv6prefix(sb, v, len);
	case DICT_TYPE_IPV4PREFIX: return print_ipv4prefix(sb, v, len);
	case DICT_TYPE_INTEGER:
		if (len != 4) return false;
		print_number(sb, dict, da, get_u32(v));
		return true;
	case DICT_TYPE_SIGNED:
		if (len != 4) return false;
		sb_printf(sb, "%" PRId32, (int32_t)get_u32(v));
		return true;
	case DICT_TYPE_BYTE:
		if (len != 1) return false;
		print_number(sb, dict, da, v[0]);
		return true;
	case DICT_TYPE_SHORT:
		if (len != 2) return false;
		print_number(sb, dict, da, get_u16(v));
		return true;
	case DICT_TYPE_INTEGER64:
		if (len != 8) return false;
		print_number(sb, dict, da, ((uint64_t)get_u32(v) << 32) | get_u32(v + 4));
		return true;
	case DICT_TYPE_DATE: return len == 4 && print_date(sb, v);
	case DICT_TYPE_ETHER:
		if (len != 6) return false;
		sb_printf(sb, "%02x:%02x:%02x:%02x:%02x:%02x", v[0], v[1], v[2], v[3], v[4], v[5]);
		return true;
	case DICT_TYPE_IFID:
		if (len != 8) return false;
		sb_printf(sb, "%02x%02x:%02x%02x:%02x%02x:%02x%02x", v[0], v[1], v[2], v[3], v[4],
			  v[5], v[6], v[7]);
		return true;
	default:
		return false;	/* octets, tlv, vsa, extended, abinary: hex */
	}
}

/*
 * Tagged attributes (RFC 2868 3): integers carry the tag in their first octet; strings carry
 * one when it is 0x00..0x1f, and hidden ones (Tunnel-Password) always do. A tag prints as
 * "N:" in front of the value, the form value_parse.c reads back.
 */
static void print_tag(struct sbuf *sb, struct dict_attr const *da, uint8_t const **v, size_t *len)
{
	if (!da->has_tag || *len == 0) return;
	if (da->type == DICT_TYPE_INTEGER) {
		if (*len != 4 || (*v)[0] == 0) return;
		sb_printf(sb, "%u:", (*v)[0]);
		return;	/* the integer printer masks the tag octet below */
	}
	if (da->encrypt == 2 || (*v)[0] <= 0x1f) {
		sb_printf(sb, "%u:", (*v)[0]);
		(*v)++;
		(*len)--;
	}
}

size_t rad_value_print(char *buf, size_t cap, struct dict const *dict, struct dict_attr const *da,
		       uint8_t const *value, size_t len)
{
	struct sbuf sb = {buf, cap, 0};
	uint8_t untagged[4];

	if (!value) len = 0;
	if (!da) {
		print_hex(&sb, value, len);
	} else {
		size_t mark;

		print_tag(&sb, da, &value, &len);
		if (da->has_tag && da->type == DICT_TYPE_INTEGER && len == 4) {
			memcpy(untagged, value, 4);
			untagged[0] = 0;
			value = untagged;
		}
		mark = sb.n;
		if (!print_typed(&sb, dict, da, value, len)) {
			sb.n = mark;
			print_hex(&sb, value, len);
		}
	}
	if (cap > 0) buf[sb.n < cap ? sb.n : cap - 1] = '\0';
	return sb.n;
}
