/*
 * EAP-TLS (RFC 5216, RFC 9190) on the shared TLS engine (methods/tls_engine.h).
 *
 * Ending (RFC 5216 2.1.3, RFC 9190 2.1.1/2.5): when our last flight has gone out (TLS 1.2:
 * ChangeCipherSpec + Finished; TLS 1.3: the one-octet 0x00 commitment message as application
 * data) the peer answers with an empty EAP-TLS Response (an ACK), and only then do we
 * succeed. When the handshake fails, the alert goes to the peer first, and the Failure
 * follows its answer, so the supplicant can say why it was refused.
 */
#include "methods/eap_tls.h"

#include "eap/eap.h"

struct eap_tls_state {
	struct tls_engine engine;
	bool finishing;			/* our final flight is out; the peer's ACK means success */
};

static int eap_tls_init(TALLOC_CTX *ctx, void const *conf, struct eap_method_peer const *peer,
			void **state, struct eap_method_result *res)
{
	struct eap_tls_state *st = talloc_zero(ctx, struct eap_tls_state);

	if (!st) return -1;
	*state = st;
	return tls_engine_init(&st->engine, st, conf, peer, 0, res);
}

static int eap_tls_process(void *state, uint8_t const *data, size_t len,
			   struct eap_method_result *res)
{
	struct eap_tls_state *st = state;
	struct tls_engine *e = &st->engine;
	uint8_t const commitment = 0x00;
	int rc;

	switch (tls_engine_process(e, data, len, res, &rc)) {
	case TLS_ENGINE_DONE:
		if (tls_conn_version(e->tls) == TLS_VERSION_1_3 &&
		    tls_conn_write_app(e->tls, &commitment, 1) < 0) /* RFC 9190 2.5 */
			return -1;
		if (tls_conn_output_pending(e->tls) == 0) {
			res->status = EAP_METHOD_SUCCESS;
			return 0;
		}
		st->finishing = true;
		return tls_engine_send_flight(e, res);
	case TLS_ENGINE_PEER_ACK:
		if (!st->finishing) return tls_engine_fail(e, res, "unexpected ACK from the peer");
		res->status = EAP_METHOD_SUCCESS;
		return 0;
	case TLS_ENGINE_TUNNEL:
		return tls_engine_fail(e, res, "data after our Finished");
	case TLS_ENGINE_REPLY:
	case TLS_ENGINE_FAILED:
	default:
		return rc;
	}
}

static int eap_tls_keys(void *state, struct eap_keys *out)
{
	return tls_engine_keys(&((struct eap_tls_state *)state)->engine, EAP_TYPE_TLS, out);
}

static void eap_tls_describe(void *state, char *buf, size_t cap)
{
	tls_engine_describe(&((struct eap_tls_state *)state)->engine, buf, cap);
}

static void eap_tls_peer_name(void *state, enum eap_peer_name which, char *buf, size_t cap)
{
	tls_engine_peer_name(&((struct eap_tls_state *)state)->engine, which, buf, cap);
}

struct eap_method const eap_tls_method = {
	.name = "tls",
	.type = EAP_TYPE_TLS,
	.init = eap_tls_init,
	.process = eap_tls_process,
	.keys = eap_tls_keys,
	.describe = eap_tls_describe,
	.peer_name = eap_tls_peer_name,
};
