/*
 * libFuzzer target for the RADIUS codec (src/radius): decode the input with and without a
 * dictionary, print it, check its authenticators and Message-Authenticator, unhide hidden
 * attributes, re-encode it (which must then decode again), and parse the input as value text.
 * Everything is freed per input. Built and run by tests/fuzz/run.
 */
// sources: src/radius/*.c src/dict/*.c src/util/*.c
// seeds: tests/vectors/radius_decode.txt
#include "radius/radius.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct dict *fuzz_dict;
static uint8_t const secret[] = "fuzz-secret";

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(uint8_t const *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char const *top = getenv("LATCHD_TOP");
	char path[4096];

	(void)argc;
	(void)argv;
	snprintf(path, sizeof(path), "%s/dictionaries/dictionary", top ? top : ".");
	fuzz_dict = dict_load(NULL, path);	/* NULL is fine: then only the no-dict path runs */
	return 0;
}

static void exercise_attrs(struct rad_packet const *pkt)
{
	uint8_t out[RAD_MAX_LEN];
	char text[64];
	size_t i;

	for (i = 0; i < pkt->n_attrs; i++) {
		struct rad_attr const *a = &pkt->attrs[i];

		rad_value_print(text, sizeof(text), pkt->dict, a->da, a->value, a->len);
		if (a->vendor == 0 && a->type == RAD_ATTR_USER_PASSWORD)
			rad_password_unhide(out, sizeof(out), a->value, a->len, secret,
					    sizeof(secret) - 1, pkt->vector);
		if (a->vendor == RAD_VENDOR_MICROSOFT && a->type == RAD_MS_MPPE_SEND_KEY)
			rad_salted_unhide(out, sizeof(out), a->value, a->len, secret,
					  sizeof(secret) - 1, pkt->vector);
		if (a->vendor == 0 && a->type == RAD_ATTR_CHAP_PASSWORD)
			rad_chap_check(a->value, a->len, pkt->vector, RAD_VECTOR_LEN, secret,
				       sizeof(secret) - 1);
	}
}

static void exercise_packet(TALLOC_CTX *ctx, struct rad_packet *pkt)
{
	uint8_t buf[RAD_MAX_LEN], vector[RAD_VECTOR_LEN];
	struct rad_packet *again;
	enum rad_decode_error why;
	ssize_t n;

	talloc_free(rad_packet_print(ctx, pkt, false));
	talloc_free(rad_packet_print(ctx, pkt, true));
	rad_packet_check_ma(pkt, secret, sizeof(secret) - 1, pkt->vector);
	rad_packet_check_ma(pkt, secret, sizeof(secret) - 1, NULL);
	rad_request_auth_ok(pkt, secret, sizeof(secret) - 1);
	rad_response_auth_ok(pkt, pkt->vector, secret, sizeof(secret) - 1);
	rad_attr_find(pkt, 0, RAD_ATTR_EAP_MESSAGE);
	exercise_attrs(pkt);

	memcpy(vector, pkt->vector, sizeof(vector));
	n = rad_packet_encode(pkt, buf, sizeof(buf), secret, sizeof(secret) - 1, vector,
			      RAD_ENC_ADD_MA);
	if (n < 0) return;	/* e.g. a hidden value that grows past 253 octets */
	again = rad_packet_decode(ctx, pkt->dict, buf, (size_t)n, &why);
	if (!again) {
		fprintf(stderr, "re-encoded packet does not decode: %s\n", rad_decode_error_name(why));
		abort();
	}
	if (rad_packet_check_ma(again, secret, sizeof(secret) - 1, vector) != RAD_MA_VALID) {
		fprintf(stderr, "re-encoded packet has a bad Message-Authenticator\n");
		abort();
	}
	talloc_free(again);
}

static void exercise_value_text(TALLOC_CTX *ctx, uint8_t const *data, size_t size)
{
	static char const *const names[] = {
		"User-Name", "NAS-IP-Address", "Service-Type", "Framed-IPv6-Prefix",
		"Event-Timestamp", "Tunnel-Type", "Tunnel-Password", "Class", "NAS-IPv6-Address",
		"Framed-Interface-Id", "Tunnel-Private-Group-Id",
	};
	char *text;
	size_t i, len;

	if (!fuzz_dict || size > 512) return;
	text = talloc_strndup(ctx, (char const *)data, size);
	for (i = 0; text && i < sizeof(names) / sizeof(names[0]); i++) {
		struct dict_attr const *da = dict_attr_by_name(fuzz_dict, names[i]);
		uint8_t *v;
		char out[1200];

		if (!da) continue;
		v = rad_value_parse(ctx, fuzz_dict, da, text, &len);
		if (!v) continue;
		rad_value_print(out, sizeof(out), fuzz_dict, da, v, len);
		talloc_free(v);
	}
	talloc_free(text);
}

int LLVMFuzzerTestOneInput(uint8_t const *data, size_t size)
{
	TALLOC_CTX *ctx = talloc_new(NULL);
	struct dict const *dicts[2] = {NULL, fuzz_dict};
	size_t i;

	for (i = 0; i < 2; i++) {
		enum rad_decode_error why = RAD_DECODE_MAX;
		struct rad_packet *pkt;

		if (i == 1 && !fuzz_dict) break;
		pkt = rad_packet_decode(ctx, dicts[i], data, size, &why);
		if (!pkt) {
			if (why == RAD_DECODE_OK || why >= RAD_DECODE_MAX) abort();
			continue;
		}
		exercise_packet(ctx, pkt);
		talloc_free(pkt);
	}
	exercise_value_text(ctx, data, size);
	if (talloc_total_blocks(ctx) != 1) abort();	/* everything freed */
	talloc_free(ctx);
	return 0;
}
