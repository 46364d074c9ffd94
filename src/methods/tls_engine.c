/*
 * The TLS engine shared by EAP-TLS, EAP-TTLS and PEAP (see tls_engine.h). Framing per RFC
 * 5216 2.1.5 through eap/eap_tls_frame.h; the TLS connection per tls/tls.h.
 */
#include "methods/tls_engine.h"

#include <stdio.h>
#include <string.h>

#include "eap/eap_tls_frame.h"

int tls_engine_fail(struct tls_engine *e, struct eap_method_result *res, char const *why)
{
	if (why != e->reason) snprintf(e->reason, sizeof(e->reason), "%s", why);
	res->status = EAP_METHOD_FAILURE;
	res->reason_name = e->reason;
	return 0;
}

/* Hand out the current fragment of the queued flight. */
static int engine_fragment(struct tls_engine *e, struct eap_method_result *res)
{
	ssize_t n = eap_tls_tx_fragment(e->tx, e->frag, e->frag_cap);

	if (n < 0)
		return tls_engine_fail(e, res, eap_tls_frame_reason_name(eap_tls_tx_reason(e->tx)));
	res->status = EAP_METHOD_CONTINUE;
	res->req_data = e->frag;
	res->req_len = (size_t)n;
	return 0;
}

int tls_engine_send_flight(struct tls_engine *e, struct eap_method_result *res)
{
	size_t pending = tls_conn_output_pending(e->tls);
	uint8_t *buf = talloc_array(e->frag, uint8_t, pending ? pending : 1);
	size_t n;
	int rc;

	if (!buf) return -1;
	n = tls_conn_output_read(e->tls, buf, pending);
	eap_tls_tx_reset(e->tx);
	rc = eap_tls_tx_start(e->tx, buf, n, e->max_eap_size, e->version);
	talloc_free(buf);
	if (rc < 0)
		return tls_engine_fail(e, res, eap_tls_frame_reason_name(eap_tls_tx_reason(e->tx)));
	return engine_fragment(e, res);
}

int tls_engine_init(struct tls_engine *e, TALLOC_CTX *ctx, struct tls_method_conf const *conf,
		    struct eap_method_peer const *peer, uint8_t version,
		    struct eap_method_result *res)
{
	ssize_t n;

	memset(e, 0, sizeof(*e));
	e->conf = conf;
	e->version = version;
	e->max_eap_size = peer->max_eap_size;
	e->frag_cap = peer->max_eap_size > EAP_TLS_MIN_EAP_SIZE ? peer->max_eap_size : 4096;
	e->frag = talloc_array(ctx, uint8_t, e->frag_cap);
	e->identity = talloc_strdup(ctx, peer->identity);
	e->rx = eap_tls_rx_new(ctx, conf->max_message);
	e->tx = eap_tls_tx_new(ctx);
	/* The TLS connection (~14 KB) is made when the ClientHello arrives, not here: a flood of
	 * EAP starts that never send one costs little memory. */
	if (!e->frag || !e->identity || !e->rx || !e->tx) return -1;
	/* Start (RFC 5216 2.1.1, RFC 5281 9.2.1). */
	n = eap_tls_start_encode(e->frag, e->frag_cap, version);
	if (n < 0) return -1;
	res->status = EAP_METHOD_CONTINUE;
	res->req_data = e->frag;
	res->req_len = (size_t)n;
	return 0;
}

/* A whole TLS message from the peer. */
static enum tls_engine_event engine_message(struct tls_engine *e, struct eap_method_result *res,
					    int *rc)
{
	size_t len;
	uint8_t const *msg = eap_tls_rx_message(e->rx, &len);

	if (e->failing) {
		*rc = tls_engine_fail(e, res, e->reason);
		return TLS_ENGINE_FAILED;
	}
	if (!e->tls) {
		e->tls = tls_conn_new(e->frag, e->conf->tls);
		if (!e->tls) {
			*rc = -1;
			return TLS_ENGINE_FAILED;
		}
		if (e->tunnel) {
			tls_conn_no_client_cert(e->tls);
			tls_conn_tunnel_tickets(e->tls, e->type, e->inner_required);
		} else
			(void)tls_conn_set_identity(e->tls, e->identity, strlen(e->identity));
	}
	if (!msg || tls_conn_input(e->tls, msg, len) < 0) {
		*rc = tls_engine_fail(e, res, "TLS message too large for the input buffer");
		return TLS_ENGINE_FAILED;
	}
	if (e->handshake_done) return TLS_ENGINE_TUNNEL;
	switch (tls_conn_step(e->tls)) {
	case TLS_STEP_CONTINUE:
		if (tls_conn_output_pending(e->tls) == 0) {
			*rc = tls_engine_fail(e, res, "peer's TLS message left nothing to answer");
			return TLS_ENGINE_FAILED;
		}
		*rc = tls_engine_send_flight(e, res);
		return res->status == EAP_METHOD_FAILURE ? TLS_ENGINE_FAILED : TLS_ENGINE_REPLY;
	case TLS_STEP_DONE:
		e->handshake_done = true;
		return TLS_ENGINE_DONE;
	case TLS_STEP_FAILED:
	default:
		snprintf(e->reason, sizeof(e->reason), "%s", tls_conn_failure(e->tls));
		if (tls_conn_output_pending(e->tls) == 0) {
			*rc = tls_engine_fail(e, res, e->reason);
			return TLS_ENGINE_FAILED;
		}
		/* The alert goes to the peer first; its answer then ends the conversation. */
		e->failing = true;
		*rc = tls_engine_send_flight(e, res);
		return TLS_ENGINE_REPLY;
	}
}

enum tls_engine_event tls_engine_process(struct tls_engine *e, uint8_t const *data, size_t len,
					 struct eap_method_result *res, int *rc)
{
	ssize_t n;

	*rc = 0;
	switch (eap_tls_rx_feed(e->rx, data, len)) {
	case EAP_TLS_RX_NEED_MORE:
		/* More fragments of the peer's message: ACK this one (RFC 5216 2.1.5). */
		n = eap_tls_ack_encode(e->frag, e->frag_cap, e->version);
		if (n < 0) {
			*rc = -1;
			return TLS_ENGINE_FAILED;
		}
		res->status = EAP_METHOD_CONTINUE;
		res->req_data = e->frag;
		res->req_len = (size_t)n;
		return TLS_ENGINE_REPLY;
	case EAP_TLS_RX_ACK:
		if (eap_tls_tx_state(e->tx) == EAP_TLS_TX_WAIT_ACK) {
			if (eap_tls_tx_ack(e->tx) < 0) {
				*rc = tls_engine_fail(e, res, "bad ACK");
				return TLS_ENGINE_FAILED;
			}
			*rc = engine_fragment(e, res);
			return res->status == EAP_METHOD_FAILURE ? TLS_ENGINE_FAILED
								 : TLS_ENGINE_REPLY;
		}
		if (e->failing) {
			*rc = tls_engine_fail(e, res, e->reason);
			return TLS_ENGINE_FAILED;
		}
		if (e->handshake_done) return TLS_ENGINE_PEER_ACK;
		*rc = tls_engine_fail(e, res, "unexpected ACK from the peer");
		return TLS_ENGINE_FAILED;
	case EAP_TLS_RX_COMPLETE:
		if (eap_tls_tx_state(e->tx) == EAP_TLS_TX_WAIT_ACK) {
			*rc = tls_engine_fail(e, res, "peer sent data while we waited for an ACK");
			return TLS_ENGINE_FAILED;
		}
		return engine_message(e, res, rc);
	case EAP_TLS_RX_START:
		*rc = tls_engine_fail(e, res, "peer sent a Start (S flag set in a Response)");
		return TLS_ENGINE_FAILED;
	case EAP_TLS_RX_ERROR:
	default:
		*rc = tls_engine_fail(e, res, eap_tls_frame_reason_name(eap_tls_rx_reason(e->rx)));
		return TLS_ENGINE_FAILED;
	}
}

int tls_engine_keys(struct tls_engine *e, uint8_t type, struct eap_keys *out)
{
	if (!e->tls) return -1;
	out->session_id_len = sizeof(out->session_id);
	return tls_conn_export_eap_keys(e->tls, type, out->msk, out->emsk, out->session_id,
					&out->session_id_len);
}

void tls_engine_describe(struct tls_engine const *e, char *buf, size_t cap)
{
	struct tls_peer_info info;
	int v = e->tls ? tls_conn_chosen_version(e->tls) : 0;
	char const *ver = v == TLS_VERSION_1_3 ? "1.3" : v == TLS_VERSION_1_2 ? "1.2" : "-";
	char const *refused = e->tls ? tls_conn_resume_refused(e->tls) : "";
	char how[200] = "";

	/* " resumed", or why a ticket the peer offered was not used (revoked since, ...). */
	if (e->tls && tls_conn_resumed(e->tls))
		snprintf(how, sizeof(how), " resumed");
	else if (refused && refused[0])
		snprintf(how, sizeof(how), " resume_refused=\"%.160s\"", refused);
	if (!e->tls || tls_conn_peer_info(e->tls, &info) < 0) {
		snprintf(buf, cap, "tls=%s%s cert=(none)", ver, how);
		return;
	}
	snprintf(buf, cap, "tls=%s%s subject=\"%s\" issuer=\"%s\" serial=%s not_after=%s", ver,
		 how, info.subject, info.issuer, info.serial, info.not_after);
}

void tls_engine_peer_name(struct tls_engine const *e, enum eap_peer_name which, char *buf,
			  size_t cap)
{
	struct tls_peer_info info;

	if (cap) buf[0] = '\0';
	if (!e->tls || tls_conn_peer_info(e->tls, &info) < 0) return;
	snprintf(buf, cap, "%s", which == EAP_PEER_NAME_CERT_CN ? info.cn : info.san_name);
}

bool tls_engine_resume_inner(struct tls_engine const *e, char *buf, size_t cap)
{
	struct inner_lookup const *il = e->conf->inner;
	char const *inner = e->tls ? tls_conn_resume_inner(e->tls) : NULL;
	struct inner_creds cred;

	if (cap) buf[0] = '\0';
	if (!inner || !il || strlen(inner) >= cap) return false;
	/* Authorization is re-applied: the user must still be there and not be refused. */
	if (il->lookup(il->ctx, inner, strlen(inner), &cred) < 0 || cred.reject) return false;
	snprintf(buf, cap, "%s", inner);
	return true;
}
