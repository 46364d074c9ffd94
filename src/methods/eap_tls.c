/*
 * EAP-TLS (RFC 5216, RFC 9190): drives a tls_conn with the peer's reassembled TLS messages
 * and fragments our flights, using the framing shared by the TLS-based methods
 * (eap/eap_tls_frame.h).
 *
 * Ending (RFC 5216 2.1.3, RFC 9190 2.1.1/2.5): when our last flight has gone out (TLS 1.2:
 * ChangeCipherSpec + Finished; TLS 1.3: the one-octet 0x00 commitment message as application
 * data) the peer answers with an empty EAP-TLS Response (an ACK), and only then do we
 * succeed. When the handshake fails, the alert OpenSSL produced goes to the peer first, and
 * the Failure follows its answer, so the supplicant can say why it was refused.
 */
#include "methods/eap_tls.h"

#include <stdio.h>
#include <string.h>

#include "eap/eap.h"
#include "eap/eap_tls_frame.h"
#include "util/hex.h"

enum tls_phase {
	PHASE_HANDSHAKE,
	PHASE_FINISHING,	/* our final flight is out; the peer's ACK means success */
	PHASE_FAILING,		/* an alert is out; whatever the peer says next means failure */
};

struct eap_tls_state {
	struct eap_tls_conf const *conf;
	struct tls_conn *tls;		/* NULL until the peer's first TLS message */
	char *identity;
	struct eap_tls_rx *rx;
	struct eap_tls_tx *tx;
	size_t max_eap_size;
	enum tls_phase phase;
	uint8_t *frag;			/* Type-Data of the Request handed out last */
	size_t frag_cap;
	char reason[256];
};

static int eap_tls_fail(struct eap_tls_state *st, struct eap_method_result *res,
			char const *why)
{
	if (why != st->reason) snprintf(st->reason, sizeof(st->reason), "%s", why);
	res->status = EAP_METHOD_FAILURE;
	res->reason_name = st->reason;
	return 0;
}

/* Hand out the current fragment of the queued flight. */
static int eap_tls_send_fragment(struct eap_tls_state *st, struct eap_method_result *res)
{
	ssize_t n = eap_tls_tx_fragment(st->tx, st->frag, st->frag_cap);

	if (n < 0)
		return eap_tls_fail(st, res, eap_tls_frame_reason_name(eap_tls_tx_reason(st->tx)));
	res->status = EAP_METHOD_CONTINUE;
	res->req_data = st->frag;
	res->req_len = (size_t)n;
	return 0;
}

/* Queue everything OpenSSL has to send and hand out its first fragment. */
static int eap_tls_send_flight(struct eap_tls_state *st, struct eap_method_result *res)
{
	size_t pending = tls_conn_output_pending(st->tls);
	uint8_t *buf = talloc_array(st, uint8_t, pending ? pending : 1);
	size_t n;
	int rc;

	if (!buf) return -1;
	n = tls_conn_output_read(st->tls, buf, pending);
	eap_tls_tx_reset(st->tx);
	rc = eap_tls_tx_start(st->tx, buf, n, st->max_eap_size, 0);
	talloc_free(buf);
	if (rc < 0)
		return eap_tls_fail(st, res, eap_tls_frame_reason_name(eap_tls_tx_reason(st->tx)));
	return eap_tls_send_fragment(st, res);
}

static int eap_tls_init(TALLOC_CTX *ctx, void const *conf, struct eap_method_peer const *peer,
			void **state, struct eap_method_result *res)
{
	struct eap_tls_conf const *c = conf;
	struct eap_tls_state *st = talloc_zero(ctx, struct eap_tls_state);
	ssize_t n;

	if (!st) return -1;
	*state = st;
	st->conf = c;
	st->max_eap_size = peer->max_eap_size;
	st->frag_cap = peer->max_eap_size > EAP_TLS_MIN_EAP_SIZE ? peer->max_eap_size : 4096;
	st->frag = talloc_array(st, uint8_t, st->frag_cap);
	st->identity = talloc_strdup(st, peer->identity);
	st->rx = eap_tls_rx_new(st, c->max_message);
	st->tx = eap_tls_tx_new(st);
	/* The TLS connection (~14 KB) is made when the ClientHello arrives, not here: a flood of
	 * EAP starts that never send one costs little memory. */
	if (!st->frag || !st->identity || !st->rx || !st->tx) return -1;
	/* EAP-TLS Start (RFC 5216 2.1.1). */
	n = eap_tls_start_encode(st->frag, st->frag_cap, 0);
	if (n < 0) return -1;
	res->status = EAP_METHOD_CONTINUE;
	res->req_data = st->frag;
	res->req_len = (size_t)n;
	return 0;
}

/* A whole TLS message from the peer: feed it to OpenSSL and answer. */
static int eap_tls_message(struct eap_tls_state *st, struct eap_method_result *res)
{
	size_t len;
	uint8_t const *msg = eap_tls_rx_message(st->rx, &len);
	uint8_t const commitment = 0x00;

	if (st->phase == PHASE_FAILING) return eap_tls_fail(st, res, st->reason);
	if (st->phase == PHASE_FINISHING) return eap_tls_fail(st, res, "data after our Finished");
	if (!st->tls) {
		st->tls = tls_conn_new(st, st->conf->tls);
		if (!st->tls) return -1;
		(void)tls_conn_set_identity(st->tls, st->identity, strlen(st->identity));
	}
	if (!msg || tls_conn_input(st->tls, msg, len) < 0)
		return eap_tls_fail(st, res, "TLS message too large for the input buffer");
	switch (tls_conn_step(st->tls)) {
	case TLS_STEP_CONTINUE:
		if (tls_conn_output_pending(st->tls) == 0)
			return eap_tls_fail(st, res, "peer's TLS message left nothing to answer");
		return eap_tls_send_flight(st, res);
	case TLS_STEP_DONE:
		if (tls_conn_version(st->tls) == TLS_VERSION_1_3 &&
		    tls_conn_write_app(st->tls, &commitment, 1) < 0) /* RFC 9190 2.5 */
			return -1;
		if (tls_conn_output_pending(st->tls) == 0) {
			res->status = EAP_METHOD_SUCCESS;
			return 0;
		}
		st->phase = PHASE_FINISHING;
		return eap_tls_send_flight(st, res);
	case TLS_STEP_FAILED:
	default:
		snprintf(st->reason, sizeof(st->reason), "%s", tls_conn_failure(st->tls));
		if (tls_conn_output_pending(st->tls) == 0) return eap_tls_fail(st, res, st->reason);
		st->phase = PHASE_FAILING;
		return eap_tls_send_flight(st, res);
	}
}

static int eap_tls_process(void *state, uint8_t const *data, size_t len,
			   struct eap_method_result *res)
{
	struct eap_tls_state *st = state;
	ssize_t n;

	switch (eap_tls_rx_feed(st->rx, data, len)) {
	case EAP_TLS_RX_NEED_MORE:
		/* More fragments of the peer's message: ACK this one (RFC 5216 2.1.5). */
		n = eap_tls_ack_encode(st->frag, st->frag_cap, 0);
		if (n < 0) return -1;
		res->status = EAP_METHOD_CONTINUE;
		res->req_data = st->frag;
		res->req_len = (size_t)n;
		return 0;
	case EAP_TLS_RX_ACK:
		if (eap_tls_tx_state(st->tx) == EAP_TLS_TX_WAIT_ACK) {
			if (eap_tls_tx_ack(st->tx) < 0) return eap_tls_fail(st, res, "bad ACK");
			return eap_tls_send_fragment(st, res);
		}
		if (st->phase == PHASE_FINISHING) {
			res->status = EAP_METHOD_SUCCESS;
			return 0;
		}
		if (st->phase == PHASE_FAILING) return eap_tls_fail(st, res, st->reason);
		return eap_tls_fail(st, res, "unexpected ACK from the peer");
	case EAP_TLS_RX_COMPLETE:
		if (eap_tls_tx_state(st->tx) == EAP_TLS_TX_WAIT_ACK)
			return eap_tls_fail(st, res, "peer sent data while we waited for an ACK");
		return eap_tls_message(st, res);
	case EAP_TLS_RX_START:
		return eap_tls_fail(st, res, "peer sent an EAP-TLS Start");
	case EAP_TLS_RX_ERROR:
	default:
		return eap_tls_fail(st, res,
				    eap_tls_frame_reason_name(eap_tls_rx_reason(st->rx)));
	}
}

static int eap_tls_keys(void *state, struct eap_keys *out)
{
	struct eap_tls_state *st = state;

	if (!st->tls) return -1;
	out->session_id_len = sizeof(out->session_id);
	return tls_conn_export_eap_keys(st->tls, EAP_TYPE_TLS, out->msk, out->emsk,
					out->session_id, &out->session_id_len);
}

static void eap_tls_describe(void *state, char *buf, size_t cap)
{
	struct eap_tls_state *st = state;
	struct tls_peer_info info;
	int v = st->tls ? tls_conn_version(st->tls) : 0;
	char const *ver = v == TLS_VERSION_1_3 ? "1.3" : v == TLS_VERSION_1_2 ? "1.2" : "-";

	if (!st->tls || tls_conn_peer_info(st->tls, &info) < 0) {
		snprintf(buf, cap, "tls=%s cert=(none)", ver);
		return;
	}
	snprintf(buf, cap, "tls=%s subject=\"%s\" issuer=\"%s\" serial=%s not_after=%s", ver,
		 info.subject, info.issuer, info.serial, info.not_after);
}

static void eap_tls_peer_name(void *state, enum eap_peer_name which, char *buf, size_t cap)
{
	struct eap_tls_state *st = state;
	struct tls_peer_info info;

	if (cap) buf[0] = '\0';
	if (!st->tls || tls_conn_peer_info(st->tls, &info) < 0) return;
	snprintf(buf, cap, "%s", which == EAP_PEER_NAME_CERT_CN ? info.cn : info.san_name);
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
