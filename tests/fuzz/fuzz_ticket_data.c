// sources: src/tls/tls_server.c src/tls/tls_conn.c src/tls/tls_verify.c src/tls/tls_keys.c src/tls/tls_ticket.c src/tls/tls_ticket_cipher.c src/tls/tls_resume.c src/cert/leaf.c src/cert/print.c src/cert/verdict.c src/util/cursor.c src/util/err.c src/util/hex.c src/util/log.c
// seeds: tests/vectors/ticket_data.txt
/*
 * libFuzzer target for what latchd reads back out of a session ticket (src/tls): the
 * authorization in the ticket's application data (tls_resume_decode, formats 1 to 4) and the
 * DER walk that leaves the peer certificate out of a serialized session
 * (tls_ticket_strip_peer). Both only ever see data sealed by the ticket key's HMAC, so this is
 * defence in depth: no read or write out of bounds, NUL-terminated texts, bounded counts; a
 * stripped copy is shorter than its input and strips to nothing further.
 * Built and run by tests/fuzz/run.
 */
#include "tls/tls_int.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(uint8_t const *data, size_t size);

static void check_text(char const *s, size_t cap)
{
	if (!memchr(s, '\0', cap)) abort();
}

int LLVMFuzzerTestOneInput(uint8_t const *data, size_t size)
{
	static struct tls_resume r;
	uint8_t *out = malloc(size ? size : 1);
	size_t n;

	if (!out) abort();
	if (tls_resume_decode(&r, data, size) == 0) {
		if (r.n_certs > TLS_RESUME_CHAIN_MAX) abort();
		if (r.method == 13 && r.n_certs < 1) abort();
		for (unsigned i = 0; i < r.n_certs; i++)
			if (r.certs[i].issuer_len > sizeof(r.certs[i].issuer) ||
			    r.certs[i].serial_len > sizeof(r.certs[i].serial)) abort();
		if (r.anchor_name_len > sizeof(r.anchor_name)) abort();
		if (!r.has_trust && r.anchor_name_len) abort();
		check_text(r.identity, sizeof(r.identity));
		check_text(r.inner, sizeof(r.inner));
		check_text(r.warning_detail, sizeof(r.warning_detail));
		check_text(r.peer.subject, sizeof(r.peer.subject));
		check_text(r.peer.sans, sizeof(r.peer.sans));
		check_text(r.peer.san_name, sizeof(r.peer.san_name));
	}
	n = tls_ticket_strip_peer(data, size, out, size);
	if (n >= size && n != 0) abort();
	if (n && tls_ticket_strip_peer(out, n, out, n) != 0) {
		/* the copy holds no peer element: stripping it again must find none */
		abort();
	}
	free(out);
	return 0;
}
