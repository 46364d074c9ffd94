// sources: src/eap/eap_packet.c src/util/cursor.c src/util/err.c
/*
 * libFuzzer target for the EAP packet decoder (RFC 3748 4): any accepted packet must
 * re-encode to exactly its first Length octets, and Nak entries must be readable.
 */
#include "eap/eap.h"

#include <stdlib.h>
#include <string.h>
#include <talloc.h>

int LLVMFuzzerTestOneInput(uint8_t const *data, size_t size);

int LLVMFuzzerTestOneInput(uint8_t const *data, size_t size)
{
	static uint8_t out[EAP_MAX_LEN];
	struct eap_packet p;
	struct eap_type_id t;
	enum eap_reason r;
	ssize_t n = eap_packet_decode(&p, data, size, &r);

	if (n < 0) {
		if (r == EAP_OK || r >= EAP_REASON_MAX) abort();
		return 0;
	}
	if ((size_t)n > size || p.length != (size_t)n) abort();
	if (eap_packet_encode(out, sizeof(out), &p, &r) != n) abort();
	if (memcmp(out, data, (size_t)n) != 0) abort();
	for (size_t i = 0; i < p.nak_count; i++) {
		if (!eap_packet_nak_get(&p, i, &t)) abort();
	}
	if (p.type == EAP_TYPE_IDENTITY) {
		TALLOC_CTX *ctx = talloc_new(NULL);
		char *s = eap_identity_dup(ctx, &p, &r);

		if (s && strlen(s) != p.data_len) abort();
		talloc_free(ctx);
	}
	return 0;
}
