/*
 * EAP-TTLSv0 (RFC 5281, RFC 9427) on the shared TLS engine. After the handshake the peer
 * sends Diameter AVPs through the tunnel (RFC 5281 10, methods/ttls_avp.h): User-Name and
 * one of User-Password (PAP, 11.2.5), CHAP-Challenge + CHAP-Password (11.2.2),
 * MS-CHAP-Challenge + MS-CHAP-Response (11.2.3) or MS-CHAP-Challenge + MS-CHAP2-Response
 * (11.2.4), or EAP-Message AVPs with an inner EAP conversation (11.2.1; EAP-MSCHAPv2).
 * Challenges must equal the ones both sides derive from the TLS keys ("ttls
 * challenge"), so a recorded exchange cannot be replayed in another tunnel.
 */
#include "methods/ttls.h"

#include <openssl/crypto.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "eap/eap.h"
#include "eap/eap_session.h"
#include "methods/eap_mschapv2.h"
#include "methods/mschap.h"
#include "methods/ttls_avp.h"
#include "util/err.h"
#include "util/hex.h"

#define TTLS_CHALLENGE_LEN 17		/* 16 octets of challenge + 1 identifier (11.2.2) */
#define TTLS_MSCHAP2_RESPONSE_LEN 50	/* Ident, Flags, Peer-Challenge 16, Reserved 8, NT 24 */
#define TTLS_MSCHAP_RESPONSE_LEN 50	/* Ident, Flags, LM-Response 24, NT-Response 24 */

enum ttls_phase {
	TTLS_HANDSHAKE,
	TTLS_WAIT_AVPS,		/* tunnel up: the peer's credentials come next */
	TTLS_SUCCESS_SENT,	/* MS-CHAP2-Success is out: the peer's answer means success */
	TTLS_ERROR_SENT,	/* MS-CHAP-Error is out: the peer's answer means failure */
};

struct ttls_state {
	struct tls_engine engine;
	enum ttls_phase phase;
	/* Inner EAP (RFC 5281 11.2.1): a conversation of its own, EAP-MSCHAPv2 offered. */
	struct eap_session *inner_eap;
	struct eap_mschapv2_conf mschapv2_conf;
	struct eap_method_entry inner_methods[1];
	struct eap_server_conf inner_eap_conf;
	char inner[254];		/* the inner User-Name, for User-Name in the Accept */
	char const *how;		/* the inner method that ran, or "resumed" (log) */
	uint8_t challenge[TTLS_CHALLENGE_LEN];
	char reason[512];
};

static int ttls_init(TALLOC_CTX *ctx, void const *conf, struct eap_method_peer const *peer,
		     void **state, struct eap_method_result *res)
{
	struct ttls_state *st = talloc_zero(ctx, struct ttls_state);

	if (!st) return -1;
	*state = st;
	if (tls_engine_init(&st->engine, st, conf, peer, 0, res) < 0) return -1;
	/* TTLS peers skip the inner method when resuming (wpa_supplicant sends nothing):
	 * only a ticket with the inner identity may resume (tls.h "Tunnel tickets"). */
	tls_engine_set_tunnel(&st->engine, EAP_TYPE_TTLS, true);
	st->how = "none";
	return 0;
}

static int ttls_fail(struct ttls_state *st, struct eap_method_result *res, char const *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int ttls_fail(struct ttls_state *st, struct eap_method_result *res, char const *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(st->reason, sizeof(st->reason), fmt, ap);
	va_end(ap);
	return tls_engine_fail(&st->engine, res, st->reason);
}

/*
 * The inner method succeeded. TLS 1.3 with tickets: the NewSessionTicket recording the inner
 * identity must reach the peer before EAP-Success, so it goes out in a Request of its own and
 * the peer's answer (an ACK) ends the conversation; otherwise success now.
 */
static int ttls_success(struct ttls_state *st, struct eap_method_result *res)
{
	if (tls_conn_send_ticket(st->engine.tls, st->inner, strlen(st->inner)) <= 0) {
		res->status = EAP_METHOD_SUCCESS; /* no ticket due (or none possible): no harm */
		return 0;
	}
	st->phase = TTLS_SUCCESS_SENT;
	return tls_engine_send_flight(&st->engine, res);
}

/* Send one AVP through the tunnel (MS-CHAP2-Success, MS-CHAP-Error). */
static int ttls_send_avp(struct ttls_state *st, struct eap_method_result *res, uint32_t code,
			 uint8_t const *data, size_t len)
{
	uint8_t buf[256];
	ssize_t n = ttls_avp_encode(buf, sizeof(buf), code, TTLS_VENDOR_MICROSOFT, true, data,
				    len, NULL);

	if (n < 0 || tls_conn_write_app(st->engine.tls, buf, (size_t)n) < 0) return -1;
	return tls_engine_send_flight(&st->engine, res);
}

static int ttls_pap(struct ttls_state *st, struct ttls_avp const *pw,
		    struct inner_creds const *cred, struct eap_method_result *res)
{
	size_t len = pw->len;
	bool ok = false;

	/* RFC 5281 11.2.5: the password is padded with NULs to a multiple of 16. */
	while (len > 0 && pw->data[len - 1] == 0) len--;
	if (cred->cleartext) {
		ok = len == cred->cleartext_len &&
		     CRYPTO_memcmp(pw->data, cred->cleartext, len) == 0;
	} else if (cred->has_nt_hash && len <= MSCHAP_PASSWORD_MAX) {
		uint8_t h[MSCHAP_NT_HASH_LEN];

		ok = mschap_nt_hash(h, (char const *)pw->data, len) == 0 &&
		     CRYPTO_memcmp(h, cred->nt_hash, sizeof(h)) == 0;
		mem_wipe(h, sizeof(h));
	}
	if (!ok) return ttls_fail(st, res, "inner PAP: wrong password for %s", st->inner);
	return ttls_success(st, res);
}

/* The CHAP-Challenge / MS-CHAP-Challenge must be ours (RFC 5281 11.1). */
static bool ttls_challenge_ok(struct ttls_state const *st, struct ttls_avp const *c, size_t len)
{
	return c && c->len == len && CRYPTO_memcmp(c->data, st->challenge, len) == 0;
}

static int ttls_chap(struct ttls_state *st, struct ttls_avp_list const *l,
		     struct mschap_cred const *mc, struct eap_method_result *res)
{
	struct ttls_avp const *pw = ttls_avp_find(l, TTLS_AVP_CHAP_PASSWORD, 0);
	struct ttls_avp const *ch = ttls_avp_find(l, TTLS_AVP_CHAP_CHALLENGE, 0);

	if (!ttls_challenge_ok(st, ch, 16) || pw->len != 17 || pw->data[0] != st->challenge[16])
		return ttls_fail(st, res, "inner CHAP: challenge is not the one %s",
				 "derived from the tunnel (replay?)");
	if (chap_verify(mc, pw->data[0], st->challenge, 16, pw->data + 1) != MSCHAP_MATCH)
		return ttls_fail(st, res, "inner CHAP: wrong password for %s", st->inner);
	return ttls_success(st, res);
}

static int ttls_mschap(struct ttls_state *st, struct ttls_avp_list const *l,
		       struct mschap_cred const *mc, struct eap_method_result *res)
{
	struct ttls_avp const *ch = ttls_avp_find(l, TTLS_AVP_MS_CHAP_CHALLENGE,
						  TTLS_VENDOR_MICROSOFT);
	struct ttls_avp const *r = ttls_avp_find(l, TTLS_AVP_MS_CHAP_RESPONSE,
						 TTLS_VENDOR_MICROSOFT);

	uint8_t c9[9];

	/* RFC 5281 11.2.3: 9 octets of challenge material, the 9th is the identifier. Asked
	 * for separately: a TLS 1.3 exporter's output depends on the length asked for. */
	if (tls_conn_export(st->engine.tls, "ttls challenge", NULL, 0, c9, sizeof(c9)) < 0)
		return -1;
	if (!ch || ch->len != 8 || CRYPTO_memcmp(ch->data, c9, 8) != 0 ||
	    r->len != TTLS_MSCHAP_RESPONSE_LEN || r->data[0] != c9[8])
		return ttls_fail(st, res, "inner MS-CHAP: challenge is not the one %s",
				 "derived from the tunnel (replay?)");
	if (mschapv1_verify(mc, c9, r->data + 26) != MSCHAP_MATCH)
		return ttls_fail(st, res, "inner MS-CHAP: wrong password for %s", st->inner);
	return ttls_success(st, res);
}

static int ttls_mschapv2(struct ttls_state *st, struct ttls_avp_list const *l,
			 struct mschap_cred const *mc, struct eap_method_result *res)
{
	struct ttls_avp const *ch = ttls_avp_find(l, TTLS_AVP_MS_CHAP_CHALLENGE,
						  TTLS_VENDOR_MICROSOFT);
	struct ttls_avp const *r = ttls_avp_find(l, TTLS_AVP_MS_CHAP2_RESPONSE,
						 TTLS_VENDOR_MICROSOFT);
	struct ttls_avp const *un = ttls_avp_find(l, TTLS_AVP_USER_NAME, 0);
	struct mschapv2_result mr;
	struct mschapv2_exchange x = {.auth_challenge = st->challenge};
	uint8_t msg[1 + 128];
	int n, rc;

	if (!ttls_challenge_ok(st, ch, 16) || r->len != TTLS_MSCHAP2_RESPONSE_LEN ||
	    r->data[0] != st->challenge[16])
		return ttls_fail(st, res, "inner MS-CHAPv2: challenge is not the one %s",
				 "derived from the tunnel (replay?)");
	x.peer_challenge = r->data + 2;
	x.user = (char const *)un->data;	/* as received: mschapv2_verify strips DOMAIN\ */
	x.user_len = un->len;
	msg[0] = r->data[0];
	if (mschapv2_verify(&mr, mc, &x, r->data + 26) == MSCHAP_MATCH) {
		/* RFC 5281 11.2.4: MS-CHAP2-Success = Ident || "S=..." ; the peer's answer ends it. */
		memcpy(msg + 1, mr.auth_response, MSCHAP_V2_AUTH_RESPONSE_LEN);
		mem_wipe(&mr, sizeof(mr));
		st->phase = TTLS_SUCCESS_SENT;
		/* TLS 1.3: the ticket with the inner identity rides along (RFC 9427 2.1.2). */
		(void)tls_conn_send_ticket(st->engine.tls, st->inner, strlen(st->inner));
		return ttls_send_avp(st, res, TTLS_AVP_MS_CHAP2_SUCCESS, msg,
				     1 + MSCHAP_V2_AUTH_RESPONSE_LEN);
	}
	/* RFC 2759 6: E=691 (authentication failure), no retry; then the peer answers. */
	snprintf(st->reason, sizeof(st->reason), "inner MS-CHAPv2: wrong password for %s",
		 st->inner);
	n = snprintf((char *)msg + 1, sizeof(msg) - 1, "E=691 R=0 C=");
	hex_encode((char *)msg + 1 + n, sizeof(msg) - 1 - (size_t)n, st->challenge, 16);
	n += 32;
	n += snprintf((char *)msg + 1 + n, sizeof(msg) - 1 - (size_t)n, " V=3 M=Authentication failed");
	st->phase = TTLS_ERROR_SENT;
	rc = ttls_send_avp(st, res, TTLS_AVP_MS_CHAP_ERROR, msg, 1 + (size_t)n);
	return rc;
}

#define TTLS_INNER_EAP_ROUNDS 20

/* One EAP packet from the peer in EAP-Message AVPs: run the inner conversation. */
static int ttls_inner_eap(struct ttls_state *st, struct ttls_avp_list const *l,
			  struct eap_method_result *res)
{
	enum ttls_avp_reason why;
	size_t len, out_len = 0;
	uint8_t const *out = NULL;
	uint8_t *eap = ttls_avp_eap_message_join(st, l, &len, &why);
	uint8_t buf[4096];
	ssize_t n;
	enum eap_session_result r;

	if (!eap) return ttls_fail(st, res, "inner EAP: %s", ttls_avp_reason_name(why));
	if (!st->inner_eap) {
		st->mschapv2_conf.inner = st->engine.conf->inner;
		st->inner_methods[0] = (struct eap_method_entry){&eap_mschapv2_method,
								 &st->mschapv2_conf};
		st->inner_eap_conf = (struct eap_server_conf){st->inner_methods, 1,
							      TTLS_INNER_EAP_ROUNDS};
		st->inner_eap = eap_session_new(st, &st->inner_eap_conf, sizeof(buf) - 64);
		if (!st->inner_eap) return -1;
	}
	r = eap_session_process(st->inner_eap, eap, len, &out, &out_len);
	talloc_free(eap);
	snprintf(st->inner, sizeof(st->inner), "%s", eap_session_identity(st->inner_eap));
	switch (r) {
	case EAP_SESSION_CONTINUE:
		n = ttls_avp_encode(buf, sizeof(buf), TTLS_AVP_EAP_MESSAGE, 0, true, out, out_len,
				    NULL);
		if (n < 0 || tls_conn_write_app(st->engine.tls, buf, (size_t)n) < 0) return -1;
		return tls_engine_send_flight(&st->engine, res);
	case EAP_SESSION_SUCCESS:
		/* The inner method succeeded: the outer EAP-Success follows (RFC 5281 11.2.1). */
		return ttls_success(st, res);
	case EAP_SESSION_FAILURE:
	case EAP_SESSION_DROP:
	default:
		return ttls_fail(st, res, "inner EAP: %s", eap_session_reason(st->inner_eap));
	}
}

static struct ttls_avp_id const ttls_known[] = {
	{TTLS_AVP_USER_NAME, 0},
	{TTLS_AVP_USER_PASSWORD, 0},
	{TTLS_AVP_CHAP_PASSWORD, 0},
	{TTLS_AVP_CHAP_CHALLENGE, 0},
	{TTLS_AVP_MS_CHAP_CHALLENGE, TTLS_VENDOR_MICROSOFT},
	{TTLS_AVP_MS_CHAP_RESPONSE, TTLS_VENDOR_MICROSOFT},
	{TTLS_AVP_MS_CHAP2_RESPONSE, TTLS_VENDOR_MICROSOFT},
	{TTLS_AVP_EAP_MESSAGE, 0},
};

/* The peer's credentials: decide with the users file. */
static int ttls_credentials(struct ttls_state *st, struct ttls_avp_list const *l,
			    struct eap_method_result *res)
{
	struct inner_lookup const *il = st->engine.conf->inner;
	struct ttls_avp const *un = ttls_avp_find(l, TTLS_AVP_USER_NAME, 0);
	struct ttls_avp const *pw = ttls_avp_find(l, TTLS_AVP_USER_PASSWORD, 0);
	struct inner_creds cred;
	struct mschap_cred mc;

	if (ttls_avp_check_mandatory(l, ttls_known, sizeof(ttls_known) / sizeof(ttls_known[0]),
				     NULL) < 0)
		return ttls_fail(st, res, "inner: %s", err_msg());
	if (ttls_avp_find(l, TTLS_AVP_EAP_MESSAGE, 0)) {
		st->how = "eap";
		return ttls_inner_eap(st, l, res);
	}
	if (!un || un->len == 0 || un->len >= sizeof(st->inner) ||
	    memchr(un->data, 0, un->len))
		return ttls_fail(st, res, "inner: %s", "no usable User-Name AVP");
	memcpy(st->inner, un->data, un->len);
	st->inner[un->len] = '\0';
	if (!il || il->lookup(il->ctx, st->inner, un->len, &cred) < 0)
		return ttls_fail(st, res, "inner: unknown user %s", st->inner);
	if (cred.reject) return ttls_fail(st, res, "inner: %s has Auth-Type := Reject", st->inner);
	mc = (struct mschap_cred){.cleartext = cred.cleartext, .cleartext_len = cred.cleartext_len,
				  .nt_hash = cred.has_nt_hash ? cred.nt_hash : NULL};
	if (pw) {
		st->how = "pap";
		return ttls_pap(st, pw, &cred, res);
	}
	if (ttls_avp_find(l, TTLS_AVP_CHAP_PASSWORD, 0)) {
		st->how = "chap";
		return ttls_chap(st, l, &mc, res);
	}
	if (ttls_avp_find(l, TTLS_AVP_MS_CHAP2_RESPONSE, TTLS_VENDOR_MICROSOFT)) {
		st->how = "mschapv2";
		return ttls_mschapv2(st, l, &mc, res);
	}
	if (ttls_avp_find(l, TTLS_AVP_MS_CHAP_RESPONSE, TTLS_VENDOR_MICROSOFT)) {
		st->how = "mschap";
		return ttls_mschap(st, l, &mc, res);
	}
	return ttls_fail(st, res, "inner: no credentials from %s", st->inner);
}

/*
 * Read what the tunnel holds and act on it. Returns rc; res filled. solicit: right after a
 * TLS 1.3 handshake with nothing of ours to send; if the peer's Finished came without AVPs,
 * an empty Request asks for them (RFC 9427 2.1).
 */
static int ttls_tunnel(struct ttls_state *st, struct eap_method_result *res, bool solicit)
{
	uint8_t buf[TTLS_AVP_MAX_TOTAL];
	size_t used = 0;
	ssize_t n;
	struct ttls_avp_list *l;
	enum ttls_avp_reason why;
	int rc;

	while ((n = tls_conn_read_app(st->engine.tls, buf + used, sizeof(buf) - used)) > 0)
		used += (size_t)n;
	if (n < 0) return ttls_fail(st, res, "tunnel: %s", err_msg());
	if (st->phase == TTLS_SUCCESS_SENT) {
		res->status = EAP_METHOD_SUCCESS;
		return 0;
	}
	if (st->phase == TTLS_ERROR_SENT) return tls_engine_fail(&st->engine, res, st->reason);
	if (used == 0 && solicit) return tls_engine_send_flight(&st->engine, res);
	if (used == 0) return ttls_fail(st, res, "tunnel: %s", "the peer sent no credentials");
	l = ttls_avp_decode(st, buf, used, &why);
	if (!l) return ttls_fail(st, res, "inner AVPs: %s", ttls_avp_reason_name(why));
	rc = ttls_credentials(st, l, res);
	talloc_free(l);
	mem_wipe(buf, used);
	return rc;
}

/*
 * Resumed with resume_skip_inner (TLS 1.3; tls_engine_resume_inner checked the user): the
 * ticket's inner identity stands. AVPs the peer sent with its Finished end it at once;
 * otherwise a renewed ticket (or an empty Request) asks the peer to speak, and its answer,
 * AVPs or an ACK, ends it in success.
 */
static int ttls_resumed(struct ttls_state *st, struct eap_method_result *res)
{
	uint8_t buf[1024];
	ssize_t n;
	bool got = false;

	st->how = "resumed";
	while ((n = tls_conn_read_app(st->engine.tls, buf, sizeof(buf))) > 0) got = true;
	mem_wipe(buf, sizeof(buf));
	if (n < 0) return ttls_fail(st, res, "tunnel: %s", err_msg());
	if (got) {
		res->status = EAP_METHOD_SUCCESS;
		return 0;
	}
	(void)tls_conn_send_ticket(st->engine.tls, st->inner, strlen(st->inner));
	st->phase = TTLS_SUCCESS_SENT;
	return tls_engine_send_flight(&st->engine, res);
}

static int ttls_process(void *state, uint8_t const *data, size_t len,
			struct eap_method_result *res)
{
	struct ttls_state *st = state;
	struct tls_engine *e = &st->engine;
	int rc;

	switch (tls_engine_process(e, data, len, res, &rc)) {
	case TLS_ENGINE_DONE:
		if (tls_conn_export(e->tls, "ttls challenge", NULL, 0, st->challenge,
				    sizeof(st->challenge)) < 0)
			return -1;
		st->phase = TTLS_WAIT_AVPS;
		if (tls_engine_resume_inner(e, st->inner, sizeof(st->inner)))
			return ttls_resumed(st, res);
		/* TLS 1.3: the peer may have sent its AVPs with its Finished. */
		if (tls_conn_output_pending(e->tls) == 0) return ttls_tunnel(st, res, true);
		return tls_engine_send_flight(e, res);
	case TLS_ENGINE_TUNNEL:
		return ttls_tunnel(st, res, false);
	case TLS_ENGINE_PEER_ACK:
		if (st->phase == TTLS_SUCCESS_SENT) {
			res->status = EAP_METHOD_SUCCESS;
			return 0;
		}
		if (st->phase == TTLS_ERROR_SENT) return tls_engine_fail(e, res, st->reason);
		return tls_engine_fail(e, res, "the peer sent no credentials");
	case TLS_ENGINE_REPLY:
	case TLS_ENGINE_FAILED:
	default:
		return rc;
	}
}

/* RFC 5281 8: MSK||EMSK = PRF(master, "ttls keying material", randoms); RFC 9427 2.1 for
 * TLS 1.3 (the exporter with the Type as context, as EAP-TLS does with its own Type). */
static int ttls_keys(void *state, struct eap_keys *out)
{
	struct ttls_state *st = state;
	uint8_t km[128];

	if (tls_engine_keys(&st->engine, EAP_TYPE_TTLS, out) < 0) return -1;
	if (tls_conn_version(st->engine.tls) == TLS_VERSION_1_3) return 0;
	if (tls_conn_export(st->engine.tls, "ttls keying material", NULL, 0, km, sizeof(km)) < 0)
		return -1;
	memcpy(out->msk, km, 64);
	memcpy(out->emsk, km + 64, 64);
	mem_wipe(km, sizeof(km));
	return 0;
}

static void ttls_describe(void *state, char *buf, size_t cap)
{
	struct ttls_state *st = state;
	char tls[600];

	tls_engine_describe(&st->engine, tls, sizeof(tls));
	snprintf(buf, cap, "inner=\"%s\" inner_method=%s %s", st->inner, st->how, tls);
}

static void ttls_peer_name(void *state, enum eap_peer_name which, char *buf, size_t cap)
{
	struct ttls_state *st = state;

	if (which == EAP_PEER_NAME_INNER)
		snprintf(buf, cap, "%s", st->inner);
	else
		tls_engine_peer_name(&st->engine, which, buf, cap);
}

struct eap_method const ttls_method = {
	.name = "ttls",
	.type = EAP_TYPE_TTLS,
	.init = ttls_init,
	.process = ttls_process,
	.keys = ttls_keys,
	.describe = ttls_describe,
	.peer_name = ttls_peer_name,
};
