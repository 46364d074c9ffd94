/*
 * IPv4/IPv6 addresses and CIDR prefixes as written in clients.conf and listen sections
 * (RFC 4632 for IPv4 CIDR, RFC 4291 2.3 for IPv6 prefixes, 2.5.5.2 for IPv4-mapped).
 */
#include "conf/cf.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "util/err.h"

bool cf_addr_prefix_equal(uint8_t const *a, uint8_t const *b, unsigned bits)
{
	unsigned full = bits / 8, rest = bits % 8;
	uint8_t mask;

	if (memcmp(a, b, full) != 0) return false;
	if (!rest) return true;
	mask = (uint8_t)(0xff << (8 - rest));
	return ((a[full] ^ b[full]) & mask) == 0;
}

static bool host_bits_clear(uint8_t const *addr, unsigned len, unsigned bits)
{
	unsigned i;

	for (i = bits; i < len * 8; i++)
		if (addr[i / 8] & (0x80 >> (i % 8))) return false;
	return true;
}

static int parse_prefix_len(char const *s, unsigned max, unsigned *out)
{
	unsigned n = 0;

	if (!*s) return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9') return -1;
		n = n * 10 + (unsigned)(*s - '0');
		if (n > max) return -1;
	}
	*out = n;
	return 0;
}

static void store_v4(struct sockaddr_storage *ss, uint8_t const *a)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;

	memset(ss, 0, sizeof(*ss));
	sin->sin_family = AF_INET;
	memcpy(&sin->sin_addr, a, 4);
}

static void store_v6(struct sockaddr_storage *ss, uint8_t const *a)
{
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	sin6->sin6_family = AF_INET6;
	memcpy(&sin6->sin6_addr, a, 16);
}

int cf_addr_parse(char const *text, int family, bool allow_prefix, struct sockaddr_storage *ss,
		  uint8_t *prefix)
{
	static uint8_t const mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	char host[INET6_ADDRSTRLEN + 1];
	char const *slash = strchr(text, '/');
	size_t hlen = slash ? (size_t)(slash - text) : strlen(text);
	uint8_t a[16];
	unsigned bits;
	bool v6;

	if (slash && !allow_prefix) {
		err_set("'%s' has a /prefix; give a single address", text);
		return -1;
	}
	if (hlen == 0 || hlen >= sizeof(host)) goto bad;
	memcpy(host, text, hlen);
	host[hlen] = '\0';
	if (family != AF_INET6 && inet_pton(AF_INET, host, a) == 1) {
		v6 = false;
	} else if (family != AF_INET && inet_pton(AF_INET6, host, a) == 1) {
		v6 = true;
	} else {
		goto bad;
	}
	bits = v6 ? 128 : 32;
	if (slash && parse_prefix_len(slash + 1, bits, &bits) < 0) {
		err_set("'%s' has a bad prefix length; use /0 to /%u", text, v6 ? 128 : 32);
		return -1;
	}
	if (!host_bits_clear(a, v6 ? 16 : 4, bits)) {
		err_set("'%s' has bits set beyond the /%u prefix; give the network address",
			text, bits);
		return -1;
	}
	if (v6 && bits >= 96 && memcmp(a, mapped, sizeof(mapped)) == 0) {
		v6 = false;	/* ::ffff:a.b.c.d is the IPv4 address a.b.c.d */
		memmove(a, a + 12, 4);
		bits -= 96;
	}
	if (v6) store_v6(ss, a);
	else store_v4(ss, a);
	*prefix = (uint8_t)bits;
	return 0;
bad:
	err_set("'%s' is not an %s address; write e.g. %s", text,
		family == AF_INET ? "IPv4" : family == AF_INET6 ? "IPv6" : "IP",
		family == AF_INET6 ? "2001:db8::1" : allow_prefix ? "192.0.2.0/24" : "192.0.2.1");
	return -1;
}
