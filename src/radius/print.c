/*
 * A decoded or built packet as text, one "\tName = value\n" line per attribute, for debug
 * logs and the capture tool. Secrets can be masked: hidden attributes (RFC 2865 5.2,
 * RFC 2868 3.5, RFC 2548 2.4.2), CHAP-Password (RFC 2865 5.3) and MS-CHAP responses
 * (RFC 2548 2.1.3, 2.3.2).
 */
#include "radius/radius_int.h"

#include <stdio.h>

#define MS_CHAP_RESPONSE 1
#define MS_CHAP_LM_ENC_PW 5
#define MS_CHAP_NT_ENC_PW 6
#define MS_CHAP2_RESPONSE 25

static bool attr_is_secret(struct rad_attr const *a)
{
	if (rad_attr_encrypt(a->vendor, a->type, a->da)) return true;
	if (a->vendor == 0) return a->type == RAD_ATTR_CHAP_PASSWORD;
	if (a->vendor != RAD_VENDOR_MICROSOFT) return false;
	return a->type == MS_CHAP_RESPONSE || a->type == MS_CHAP2_RESPONSE ||
	       a->type == MS_CHAP_LM_ENC_PW || a->type == MS_CHAP_NT_ENC_PW;
}

static char *append_name(char *out, struct rad_attr const *a)
{
	if (a->da && a->da->name) return talloc_asprintf_append_buffer(out, "\t%s = ", a->da->name);
	if (a->vendor == 0) return talloc_asprintf_append_buffer(out, "\tAttr-%u = ", (unsigned)a->type);
	return talloc_asprintf_append_buffer(out, "\tVendor-%u-Attr-%u = ", (unsigned)a->vendor,
					     (unsigned)a->type);
}

static char *append_value(char *out, struct dict const *dict, struct rad_attr const *a,
			  bool mask_secrets)
{
	char small[256];
	struct dict_attr const *da = a->da;
	size_t need;
	char *big;

	if (mask_secrets && attr_is_secret(a)) return talloc_strdup_append_buffer(out, "<hidden>\n");
	/* Hidden values are ciphertext without the secret: hex says so more honestly. */
	if (a->invalid || rad_attr_encrypt(a->vendor, a->type, da)) da = NULL;
	need = rad_value_print(small, sizeof(small), dict, da, a->value, a->len);
	if (need < sizeof(small)) return talloc_asprintf_append_buffer(out, "%s\n", small);
	big = talloc_size(out, need + 1);
	if (!big) return NULL;
	rad_value_print(big, need + 1, dict, da, a->value, a->len);
	out = talloc_asprintf_append_buffer(out, "%s\n", big);
	talloc_free(big);
	return out;
}

char *rad_packet_print(TALLOC_CTX *ctx, struct rad_packet const *pkt, bool mask_secrets)
{
	char *out = talloc_strdup(ctx, "");
	size_t i;

	if (!out || !pkt) return out;
	for (i = 0; i < pkt->n_attrs && out; i++) {
		struct rad_attr const *a = &pkt->attrs[i];
		char *next = append_name(out, a);

		if (next) next = append_value(next, pkt->dict, a, mask_secrets);
		if (!next) {
			talloc_free(out);
			return NULL;
		}
		out = next;
	}
	return out;
}
