/*
 * PEAPv0 (MS-PEAP; draft-josefsson-pppext-eap-tls-eap-05; RFC 9427 2 for TLS 1.3) on the
 * shared TLS engine, with EAP-MSCHAPv2 inside (methods/eap_mschapv2.h).
 *
 * Inside the tunnel PEAPv0 drops the inner EAP header (Code, Identifier, Length): requests
 * and responses travel as Type || Type-Data, except the Extensions packets (Type 33) that
 * carry the Result TLV, which keep their full header (MS-PEAP 3.1.5.6, 3.2.5.6), and the
 * Identity request (see tunnel_start):
 *
 *	TLS handshake (no client certificate) ... the peer's Finished arrives:
 *	  our Finished (TLS 1.2) and the inner Identity request in one flight
 *	{0x01, identity}          -> start EAP-MSCHAPv2 for that identity
 *	{26, MS-CHAPv2 ...}       <-> {26, ...} until the inner method ends
 *	Result TLV request (success or failure) -> the peer's Result TLV -> SUCCESS if both say
 *	success, else FAILURE with the inner method's reason.
 *
 * Sending the Identity request together with our Finished saves a round trip; with TLS 1.3
 * our Finished went out earlier and the Identity request goes out as soon as the peer's
 * Finished arrives (RFC 9427 2.1). Keys (RFC 9427 2.1.1 for TLS 1.3, and for TLS 1.2 the
 * "client EAP encryption" PRF as in EAP-TLS) come from tls_conn_export_eap_keys with Type 25.
 * No crypto binding: the PEAPv0 Crypto-Binding TLV is optional (MS-PEAP 3.2.5.5.2) and
 * peers that do not receive one use the TLS keys as above.
 *
 * The version bits stay 0: we offer v0 in the Start, and a peer proposing more is answered
 * in v0 anyway. The outer identity may be anonymous: the inner identity is the one checked,
 * and peer_name(EAP_PEER_NAME_INNER) hands it to the server for User-Name.
 */
#include "methods/peap.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "eap/eap.h"
#include "methods/eap_mschapv2.h"
#include "util/cursor.h"
#include "util/err.h"
#include "util/hex.h"

enum peap_phase {
	PEAP_HANDSHAKE,		/* TLS handshake under way */
	PEAP_IDENTITY,		/* inner Identity request sent */
	PEAP_INNER,		/* the inner method runs */
	PEAP_RESULT,		/* Result TLV request sent */
	PEAP_DONE,
};

struct peap_state {
	struct tls_engine engine;
	enum peap_phase phase;
	size_t max_eap_size;
	struct eap_mschapv2_conf inner_conf;
	struct eap_method const *inner_method;
	void *inner;			/* the inner method's state */
	char *inner_identity;		/* NULL until the inner Identity Response */
	uint8_t inner_id;		/* Identifier of the last inner request */
	bool inner_ok;			/* the inner method said SUCCESS */
	bool resumed_skip;		/* resumed: the ticket's inner identity stands */
	bool succeeded;
	unsigned rounds;
	size_t octets;
	char reason[256];
	uint8_t in[PEAP_INNER_MAX_PACKET + 1];	/* one more: to see a packet that is too large */
	uint8_t out[PEAP_INNER_MAX_PACKET];
};

ssize_t peap_result_request_encode(uint8_t *buf, size_t cap, uint8_t id, uint16_t result)
{
	struct wcursor w;

	wcursor_init(&w, buf, cap);
	wcursor_u8(&w, EAP_CODE_REQUEST);
	wcursor_u8(&w, id);
	wcursor_u16(&w, 11);
	wcursor_u8(&w, EAP_TYPE_PEAP_EXTENSIONS);
	wcursor_u16(&w, PEAP_TLV_MANDATORY | PEAP_TLV_RESULT);
	wcursor_u16(&w, 2);
	wcursor_u16(&w, result);
	return w.bad ? -1 : (ssize_t)wcursor_used(&w);
}

/* The TLVs of an Extensions packet (MS-PEAP 2.2.8): the Result TLV's value, or -1. */
static int result_tlvs(uint8_t const *data, size_t len, char const **why)
{
	struct rcursor c;
	int result = -1;

	rcursor_init(&c, data, len);
	while (rcursor_left(&c) > 0) {
		uint16_t t, l, v;

		if (!rcursor_u16(&c, &t) || !rcursor_u16(&c, &l) || l > rcursor_left(&c)) {
			*why = "truncated TLV in the peer's Extensions packet";
			return -1;
		}
		if ((t & 0x3fff) == PEAP_TLV_RESULT) {
			if (l != 2 || !rcursor_u16(&c, &v) ||
			    (v != PEAP_RESULT_SUCCESS && v != PEAP_RESULT_FAILURE)) {
				*why = "malformed Result TLV from the peer";
				return -1;
			}
			result = v;
			continue;
		}
		if (t & PEAP_TLV_MANDATORY) {
			*why = "peer sent an unknown mandatory TLV";
			return -1;
		}
		rcursor_skip(&c, l);
	}
	if (result < 0) *why = "peer's Extensions packet holds no Result TLV";
	return result;
}

int peap_result_response_parse(uint8_t const *buf, size_t len, uint8_t id, char const **why)
{
	struct eap_packet p;

	/* Some peers leave out the header here too: accept the compressed form. */
	if (len > 0 && buf[0] == EAP_TYPE_PEAP_EXTENSIONS)
		return result_tlvs(buf + 1, len - 1, why);
	if (eap_packet_decode(&p, buf, len, NULL) < 0 || p.code != EAP_CODE_RESPONSE) {
		*why = "peer's answer to the Result TLV is no EAP Response";
		return -1;
	}
	if (p.type != EAP_TYPE_PEAP_EXTENSIONS) {
		*why = "peer answered the Result TLV with another EAP Type";
		return -1;
	}
	if (p.id != id) {
		*why = "peer's Result TLV has the wrong Identifier";
		return -1;
	}
	return result_tlvs(p.data, p.data_len, why);
}

static int fail(struct peap_state *st, struct eap_method_result *res, char const *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct peap_state *st, struct eap_method_result *res, char const *fmt, ...)
{
	char why[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	st->phase = PEAP_DONE;
	return tls_engine_fail(&st->engine, res, why);
}

/* Put len octets of st->out into the tunnel and send them (with any pending TLS output). */
static int tunnel_send(struct peap_state *st, size_t len, struct eap_method_result *res)
{
	if (tls_conn_write_app(st->engine.tls, st->out, len) < 0) return -1;
	return tls_engine_send_flight(&st->engine, res);
}

/*
 * The handshake is done: send the inner Identity request. Compressed it would be the one
 * octet 0x01, but wpa_supplicant drops inner packets shorter than an EAP header ("Too short
 * Phase 2 EAP frame") and accepts this one request with its full header, as FreeRADIUS sends
 * it; so do we: Code 1, Identifier, Length 5, Type 1.
 */
static int tunnel_start(struct peap_state *st, struct eap_method_result *res)
{
	st->phase = PEAP_IDENTITY;
	st->out[0] = EAP_CODE_REQUEST;
	st->out[1] = st->inner_id;
	put_u16(st->out + 2, EAP_HEADER_LEN + 1);
	st->out[4] = EAP_TYPE_IDENTITY;
	return tunnel_send(st, EAP_HEADER_LEN + 1, res);
}

/*
 * An inner Response normally arrives compressed (Type first). Accept one with its full
 * header too: it starts with Code 2, which no Type we expect here has, and its Length must
 * be the packet's. Returns the offset of the Type octet.
 */
static size_t inner_type_offset(uint8_t const *in, size_t len)
{
	if (len > EAP_HEADER_LEN && in[0] == EAP_CODE_RESPONSE && get_u16(in + 2) == len)
		return EAP_HEADER_LEN;
	return 0;
}

/* What the inner method said: pass its request on, or close with the Result TLV. */
static int inner_result(struct peap_state *st, int rc, struct eap_method_result const *ir,
			struct eap_method_result *res)
{
	ssize_t n;

	if (rc < 0) return -1;
	st->inner_id++;
	if (ir->status == EAP_METHOD_CONTINUE) {
		if (ir->req_len >= sizeof(st->out))
			return fail(st, res, "inner request of %zu octets is too large",
				    ir->req_len);
		st->out[0] = st->inner_method->type;
		memcpy(st->out + 1, ir->req_data, ir->req_len);
		return tunnel_send(st, ir->req_len + 1, res);
	}
	st->inner_ok = ir->status == EAP_METHOD_SUCCESS;
	if (!st->inner_ok)
		snprintf(st->reason, sizeof(st->reason), "%s",
			 ir->reason_name ? ir->reason_name : "inner method failed");
	n = peap_result_request_encode(st->out, sizeof(st->out), st->inner_id,
				       st->inner_ok ? PEAP_RESULT_SUCCESS : PEAP_RESULT_FAILURE);
	if (n < 0) return -1;
	/* TLS 1.3: the ticket recording the inner identity goes out before the Result TLV, in
	 * the same flight (tls.h "Tunnel tickets"); none after a failure. */
	if (st->inner_ok && st->inner_identity)
		(void)tls_conn_send_ticket(st->engine.tls, st->inner_identity,
					   strlen(st->inner_identity));
	st->phase = PEAP_RESULT;
	return tunnel_send(st, (size_t)n, res);
}

/*
 * Resumed with resume_skip_inner (TLS 1.3; tls_engine_resume_inner checked the user): like
 * MS-PEAP fast reconnect, the Result TLV success goes out at once (with a renewed ticket) and
 * the peer's Result TLV ends the conversation.
 */
static int tunnel_resumed(struct peap_state *st, char const *inner,
			  struct eap_method_result *res)
{
	struct eap_method_result ir = {.status = EAP_METHOD_SUCCESS};

	st->inner_identity = talloc_strdup(st, inner);
	if (!st->inner_identity) return -1;
	st->resumed_skip = true;
	return inner_result(st, 0, &ir, res);
}

/* The inner Identity Response: {0x01, identity}. Start EAP-MSCHAPv2 for it. */
static int inner_identity(struct peap_state *st, size_t len, struct eap_method_result *res)
{
	struct eap_method_result ir = {0};
	struct eap_method_peer peer;
	uint8_t const *in = st->in + inner_type_offset(st->in, len);
	int rc;

	len -= (size_t)(in - st->in);
	if (in[0] != EAP_TYPE_IDENTITY)
		return fail(st, res, "inner EAP Type %u where the Identity Response was due",
			    (unsigned)in[0]);
	if (len - 1 > 253 || memchr(in + 1, '\0', len - 1))
		return fail(st, res, "inner identity too long or holding a NUL octet");
	st->inner_identity = talloc_strndup(st, (char const *)in + 1, len - 1);
	if (!st->inner_identity) return -1;
	peer.identity = st->inner_identity;
	peer.max_eap_size = st->max_eap_size;
	st->phase = PEAP_INNER;
	rc = st->inner_method->init(st, &st->inner_conf, &peer, &st->inner, &ir);
	return inner_result(st, rc, &ir, res);
}

/* An inner Response {Type, Type-Data} for the running inner method. */
static int inner_response(struct peap_state *st, size_t len, struct eap_method_result *res)
{
	struct eap_method_result ir = {0};
	uint8_t const *in = st->in + inner_type_offset(st->in, len);
	uint8_t type = in[0];
	int rc;

	len -= (size_t)(in - st->in);
	if (type == EAP_TYPE_NAK) {
		char types[64] = "";
		size_t i, used = 0;

		for (i = 1; i < len && used + 5 < sizeof(types); i++)
			used += (size_t)snprintf(types + used, sizeof(types) - used, "%s%u",
						 i > 1 ? "," : "", (unsigned)in[i]);
		return fail(st, res, "peer refused inner EAP-%s (Nak proposing type(s) %s)",
			    st->inner_method->name, used ? types : "none");
	}
	if (type != st->inner_method->type)
		return fail(st, res, "inner EAP Type %u where %u (%s) was due", (unsigned)type,
			    (unsigned)st->inner_method->type, st->inner_method->name);
	rc = st->inner_method->process(st->inner, in + 1, len - 1, &ir);
	return inner_result(st, rc, &ir, res);
}

/* The peer's answer to our Result TLV ends the conversation. */
static int inner_final(struct peap_state *st, size_t len, struct eap_method_result *res)
{
	char const *why = NULL;
	int v = peap_result_response_parse(st->in, len, st->inner_id, &why);

	if (v < 0) return fail(st, res, "%s", why);
	if (!st->inner_ok) return fail(st, res, "%s", st->reason);
	if (v != PEAP_RESULT_SUCCESS)
		return fail(st, res, "peer's Result TLV says failure after inner success");
	st->phase = PEAP_DONE;
	st->succeeded = true;
	res->status = EAP_METHOD_SUCCESS;
	return 0;
}

/* One TLS message in the tunnel: one inner packet. */
static int tunnel_data(struct peap_state *st, struct eap_method_result *res)
{
	ssize_t n = tls_conn_read_app(st->engine.tls, st->in, sizeof(st->in));

	if (n < 0) return fail(st, res, "cannot read the tunnel: %s", err_msg());
	if (n == 0) return fail(st, res, "peer's TLS message carried no inner packet");
	if ((size_t)n > PEAP_INNER_MAX_PACKET)
		return fail(st, res, "inner packet larger than %d octets", PEAP_INNER_MAX_PACKET);
	st->octets += (size_t)n;
	if (++st->rounds > PEAP_INNER_MAX_ROUNDS || st->octets > PEAP_INNER_MAX_OCTETS)
		return fail(st, res, "too many inner rounds (%u) or octets (%zu)", st->rounds,
			    st->octets);
	switch (st->phase) {
	case PEAP_IDENTITY:
		return inner_identity(st, (size_t)n, res);
	case PEAP_INNER:
		return inner_response(st, (size_t)n, res);
	case PEAP_RESULT:
		return inner_final(st, (size_t)n, res);
	case PEAP_HANDSHAKE:
	case PEAP_DONE:
	default:
		return fail(st, res, "inner packet after the end of the conversation");
	}
}

static int peap_destructor(struct peap_state *st)
{
	if (st->inner && st->inner_method->free) st->inner_method->free(st->inner);
	mem_wipe(st->in, sizeof(st->in));
	mem_wipe(st->out, sizeof(st->out));
	return 0;
}

static int peap_init(TALLOC_CTX *ctx, void const *conf, struct eap_method_peer const *peer,
		     void **state, struct eap_method_result *res)
{
	struct tls_method_conf const *tconf = conf;
	struct peap_state *st = talloc_zero(ctx, struct peap_state);

	if (!st) return -1;
	*state = st;
	talloc_set_destructor(st, peap_destructor);
	st->max_eap_size = peer->max_eap_size;
	st->inner_method = &eap_mschapv2_method;
	st->inner_conf.inner = tconf->inner;
	if (tls_engine_init(&st->engine, st, tconf, peer, 0, res) < 0) return -1;
	/* no client certificate: the inner method decides */
	tls_engine_set_tunnel(&st->engine, EAP_TYPE_PEAP, false);
	return 0;
}

static int peap_process(void *state, uint8_t const *data, size_t len,
			struct eap_method_result *res)
{
	struct peap_state *st = state;
	char inner[254];
	int rc;

	switch (tls_engine_process(&st->engine, data, len, res, &rc)) {
	case TLS_ENGINE_DONE:
		if (tls_engine_resume_inner(&st->engine, inner, sizeof(inner)))
			return tunnel_resumed(st, inner, res);
		return tunnel_start(st, res);
	case TLS_ENGINE_TUNNEL:
		return tunnel_data(st, res);
	case TLS_ENGINE_PEER_ACK:
		return fail(st, res, "ACK where an inner Response was due");
	case TLS_ENGINE_REPLY:
	case TLS_ENGINE_FAILED:
	default:
		return rc;
	}
}

static int peap_keys(void *state, struct eap_keys *out)
{
	struct peap_state *st = state;

	if (!st->succeeded) return -1;
	return tls_engine_keys(&st->engine, EAP_TYPE_PEAP, out);
}

/* Printable copy of the inner identity (it came from the network). */
static void identity_print(char *buf, size_t cap, char const *id)
{
	size_t i;

	if (cap == 0) return;
	for (i = 0; id && id[i] && i + 1 < cap; i++) {
		unsigned char ch = (unsigned char)id[i];

		buf[i] = ch < 0x20 || ch == 0x7f || ch == '"' ? '?' : (char)ch;
	}
	buf[i] = '\0';
}

static void peap_describe(void *state, char *buf, size_t cap)
{
	struct peap_state *st = state;
	char tls[200], inner[80];

	tls_engine_describe(&st->engine, tls, sizeof(tls));
	identity_print(inner, sizeof(inner), st->inner_identity);
	snprintf(buf, cap, "%s inner=%s identity=\"%s\"", tls,
		 st->resumed_skip ? "resumed" : st->inner_method->name, inner);
}

static void peap_peer_name(void *state, enum eap_peer_name which, char *buf, size_t cap)
{
	struct peap_state *st = state;

	if (which != EAP_PEER_NAME_INNER) {
		tls_engine_peer_name(&st->engine, which, buf, cap);
		return;
	}
	if (cap) buf[0] = '\0';
	if (st->inner_identity) snprintf(buf, cap, "%s", st->inner_identity);
}

struct eap_method const peap_method = {
	.name = "peap",
	.type = EAP_TYPE_PEAP,
	.init = peap_init,
	.process = peap_process,
	.keys = peap_keys,
	.describe = peap_describe,
	.peer_name = peap_peer_name,
};
