// sources: src/methods/ttls_avp.c src/util/cursor.c src/util/err.c
/*
 * libFuzzer target for the EAP-TTLS Diameter AVP decoder (RFC 5281 10, RFC 6733 4.1): the
 * input is a buffer of AVPs. A decoded list must point inside the input and respect the
 * caps; it is re-encoded, decoded again and must give the same AVPs; the mandatory check,
 * lookups and EAP-Message joining run on it; every allocation must be freed.
 * Built and run by tests/fuzz/run.
 */
#include "methods/ttls_avp.h"

#include <stdlib.h>
#include <string.h>
#include <talloc.h>

int LLVMFuzzerTestOneInput(uint8_t const *data, size_t size);

static void check_list(struct ttls_avp_list const *l, uint8_t const *buf, size_t len)
{
	if (l->count > TTLS_AVP_MAX_COUNT) abort();
	if (l->count && !l->avp) abort();
	for (size_t i = 0; i < l->count; i++) {
		struct ttls_avp const *a = &l->avp[i];

		if (a->data < buf || a->len > len || a->data + a->len > buf + len) abort();
		if (!(a->flags & TTLS_AVP_FLAG_V) && a->vendor) abort();
	}
}

/* Same AVPs, field by field (V with Vendor-ID 0 re-encodes without V, so flags differ). */
static void check_same(struct ttls_avp_list const *a, struct ttls_avp_list const *b)
{
	if (a->count != b->count) abort();
	for (size_t i = 0; i < a->count; i++) {
		struct ttls_avp const *x = &a->avp[i], *y = &b->avp[i];

		if (x->code != y->code || x->vendor != y->vendor || x->len != y->len) abort();
		if (ttls_avp_is_mandatory(x) != ttls_avp_is_mandatory(y)) abort();
		if (x->len && memcmp(x->data, y->data, x->len) != 0) abort();
		if (y->flags & TTLS_AVP_FLAG_RESERVED) abort();
	}
	if (b->reserved_flags || b->unpadded_last) abort();
}

static void check_reencode(TALLOC_CTX *ctx, struct ttls_avp_list const *l, size_t len)
{
	size_t cap = len + 3; /* only a missing last padding can make it longer */
	uint8_t *out = talloc_array(ctx, uint8_t, cap ? cap : 1);
	struct ttls_avp_list *again;
	ssize_t n;

	if (!out) abort();
	n = ttls_avp_list_encode(out, cap, l, NULL);
	if (n < 0 || (size_t)n > cap || n % 4) abort();
	if ((size_t)n > TTLS_AVP_MAX_TOTAL) { /* a padded last AVP may push it over the cap */
		talloc_free(out);
		return;
	}
	again = ttls_avp_decode(ctx, out, (size_t)n, NULL);
	if (!again) abort();
	check_same(l, again);
	talloc_free(again);
	talloc_free(out);
}

static void check_helpers(TALLOC_CTX *ctx, struct ttls_avp_list const *l)
{
	static struct ttls_avp_id const known[] = {
		{TTLS_AVP_USER_NAME, 0},
		{TTLS_AVP_EAP_MESSAGE, 0},
		{TTLS_AVP_MS_CHAP2_RESPONSE, TTLS_VENDOR_MICROSOFT},
	};
	struct ttls_avp const *bad, *first;
	size_t len, want = 0;
	uint8_t *m;

	if (ttls_avp_check_mandatory(l, known, 3, &bad) < 0) {
		if (!bad || !ttls_avp_is_mandatory(bad)) abort();
	} else if (bad) {
		abort();
	}
	first = ttls_avp_find(l, TTLS_AVP_EAP_MESSAGE, 0);
	for (size_t i = 0; i < l->count; i++) {
		struct ttls_avp const *a = &l->avp[i];

		if (a->code == TTLS_AVP_EAP_MESSAGE && !a->vendor) want += a->len;
	}
	m = ttls_avp_eap_message_join(ctx, l, &len, NULL);
	if (!first != !m) abort(); /* the input is capped below TTLS_AVP_EAP_MAX + headers */
	if (m && (len != want || (first->len && memcmp(m, first->data, first->len) != 0))) abort();
	talloc_free(m);
}

int LLVMFuzzerTestOneInput(uint8_t const *data, size_t size)
{
	TALLOC_CTX *ctx = talloc_new(NULL);
	enum ttls_avp_reason r = TTLS_AVP_OK;
	struct ttls_avp_list *l;

	if (!ctx) abort();
	l = ttls_avp_decode(ctx, data, size, &r);
	if (l) {
		if (r != TTLS_AVP_OK) abort();
		check_list(l, data, size);
		check_reencode(ctx, l, size);
		check_helpers(ctx, l);
		talloc_free(l);
	} else if (r == TTLS_AVP_OK || r >= TTLS_AVP_REASON_MAX) {
		abort();
	}
	if (talloc_total_blocks(ctx) != 1) abort(); /* leak */
	talloc_free(ctx);
	return 0;
}
