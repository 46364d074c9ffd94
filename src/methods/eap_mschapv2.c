/*
 * EAP-MSCHAPv2, server side (draft-kamath-pppext-eap-mschapv2-02; the MS-CHAPv2 computations
 * of RFC 2759 come from methods/mschap.h). One conversation:
 *
 *	Challenge (OpCode 1) -> Response (2), checked with the user's NT hash
 *	  match:    Success request (3, "S=<auth response> M=Welcome") -> Success response (3)
 *	  mismatch: Failure request (4, "E=691 R=0 C=<hex> V=3 M=...") -> Failure response (4)
 *
 * An unknown user gets the same E=691 answer as a wrong password, so that the peer cannot tell
 * the two apart; only the reason (for the log) differs. No password change, no retry (R=0).
 */
#include "methods/eap_mschapv2.h"

#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "eap/eap.h"
#include "methods/mschap.h"
#include "util/cursor.h"
#include "util/hex.h"

#define MSCHAPV2_HDR_LEN 4		/* OpCode, MS-CHAPv2-ID, MS-Length */
#define MSCHAPV2_RESPONSE_VALUE_LEN 49	/* Peer-Challenge 16, Reserved 8, NT-Response 24, Flags */
#define SERVER_NAME "latchd"
#define OUT_CAP 128			/* our longest request: the Failure message (~80 octets) */

enum mschapv2_phase {
	PHASE_CHALLENGE_SENT,
	PHASE_SUCCESS_SENT,
	PHASE_FAILURE_SENT,
};

struct mschapv2_state {
	struct eap_mschapv2_conf const *conf;
	char *identity;			/* the inner EAP identity: the users-file key */
	enum mschapv2_phase phase;
	uint8_t ms_id;			/* MS-CHAPv2-ID of our requests */
	uint8_t challenge[MSCHAP_V2_CHALLENGE_LEN];
	uint8_t master_key[MSCHAP_V2_MASTER_KEY_LEN];
	bool authenticated;		/* the peer accepted our Success request */
	enum eap_mschapv2_reason reason;	/* why the Failure request was sent */
	char why[200];
	uint8_t out[OUT_CAP];
};

static char const *const reason_names[MSCHAPV2_REASON_MAX] = {
	[MSCHAPV2_OK] = "ok",
	[MSCHAPV2_WRONG_PASSWORD] = "wrong password (MS-CHAPv2)",
	[MSCHAPV2_UNKNOWN_USER] = "unknown user",
	[MSCHAPV2_USER_REJECTED] = "user rejected (Auth-Type := Reject)",
	[MSCHAPV2_NO_PASSWORD] = "no NT-Password or Cleartext-Password for the user",
	[MSCHAPV2_CRYPTO] = "MS-CHAPv2 crypto unavailable",
	[MSCHAPV2_MALFORMED] = "malformed MS-CHAPv2 packet",
	[MSCHAPV2_BAD_ID] = "MS-CHAPv2-ID mismatch",
	[MSCHAPV2_UNEXPECTED] = "unexpected MS-CHAPv2 OpCode",
	[MSCHAPV2_PEER_REFUSED] = "peer refused our MS-CHAPv2 authenticator response",
};

char const *eap_mschapv2_reason_name(enum eap_mschapv2_reason r)
{
	return (unsigned)r < MSCHAPV2_REASON_MAX ? reason_names[r] : "unknown reason";
}

static int state_destructor(struct mschapv2_state *st)
{
	mem_wipe(st->master_key, sizeof(st->master_key));
	mem_wipe(st->out, sizeof(st->out));
	return 0;
}

/* End with FAILURE now (no Failure request): for peers that broke the protocol. */
static int fail_now(struct mschapv2_state *st, struct eap_method_result *res,
		    enum eap_mschapv2_reason r, char const *detail)
{
	if (detail)
		snprintf(st->why, sizeof(st->why), "%s: %s", eap_mschapv2_reason_name(r), detail);
	else
		snprintf(st->why, sizeof(st->why), "%s", eap_mschapv2_reason_name(r));
	res->status = EAP_METHOD_FAILURE;
	res->reason = (int)r;
	res->reason_name = st->why;
	return 0;
}

/* A request: OpCode, MS-CHAPv2-ID, MS-Length (= the whole Type-Data), then body. */
static int send_request(struct mschapv2_state *st, struct eap_method_result *res, uint8_t op,
			uint8_t const *body, size_t body_len)
{
	size_t len = MSCHAPV2_HDR_LEN + body_len;

	if (len > sizeof(st->out)) return -1;
	st->out[0] = op;
	st->out[1] = st->ms_id;
	put_u16(st->out + 2, (uint16_t)len);
	memcpy(st->out + MSCHAPV2_HDR_LEN, body, body_len);
	res->status = EAP_METHOD_CONTINUE;
	res->req_data = st->out;
	res->req_len = len;
	return 0;
}

static int mschapv2_init(TALLOC_CTX *ctx, void const *conf, struct eap_method_peer const *peer,
			 void **state, struct eap_method_result *res)
{
	struct mschapv2_state *st = talloc_zero(ctx, struct mschapv2_state);
	uint8_t body[1 + MSCHAP_V2_CHALLENGE_LEN + sizeof(SERVER_NAME) - 1];

	if (!st) return -1;
	*state = st;
	talloc_set_destructor(st, state_destructor);
	st->conf = conf;
	st->identity = talloc_strdup(st, peer->identity);
	if (!st->identity) return -1;
	if (st->conf->test_challenge) {
		memcpy(st->challenge, st->conf->test_challenge, sizeof(st->challenge));
		st->ms_id = 0;
	} else if (getrandom(st->challenge, sizeof(st->challenge), 0) !=
			   (ssize_t)sizeof(st->challenge) ||
		   getrandom(&st->ms_id, 1, 0) != 1) {
		return -1;
	}
	/* Challenge: Value-Size 16, the Authenticator Challenge, our Name (draft-kamath 2.1). */
	body[0] = MSCHAP_V2_CHALLENGE_LEN;
	memcpy(body + 1, st->challenge, MSCHAP_V2_CHALLENGE_LEN);
	memcpy(body + 1 + MSCHAP_V2_CHALLENGE_LEN, SERVER_NAME, sizeof(SERVER_NAME) - 1);
	st->phase = PHASE_CHALLENGE_SENT;
	return send_request(st, res, MSCHAPV2_OP_CHALLENGE, body, sizeof(body));
}

/* Failure request (draft-kamath 2.5, RFC 2759 6) with a fresh challenge; remembers why. */
static int send_failure(struct mschapv2_state *st, struct eap_method_result *res,
			enum eap_mschapv2_reason r)
{
	uint8_t next[MSCHAP_V2_CHALLENGE_LEN], msg[OUT_CAP];
	ssize_t n;

	if (getrandom(next, sizeof(next), 0) != (ssize_t)sizeof(next)) return -1;
	/* mschapv2_error_encode writes the RADIUS form Ident || text: skip the Ident. */
	n = mschapv2_error_encode(msg, sizeof(msg), st->ms_id, 691, false, next,
				  "Authentication failed");
	if (n < 1) return -1;
	st->reason = r;
	snprintf(st->why, sizeof(st->why), "%s", eap_mschapv2_reason_name(r));
	st->phase = PHASE_FAILURE_SENT;
	return send_request(st, res, MSCHAPV2_OP_FAILURE, msg + 1, (size_t)n - 1);
}

/* The user's credential from the users file; a reason when there is none to check with. */
static enum eap_mschapv2_reason user_cred(struct mschapv2_state *st, struct inner_creds *ic,
					  struct mschap_cred *cred)
{
	struct inner_lookup const *in = st->conf->inner;

	memset(ic, 0, sizeof(*ic));
	memset(cred, 0, sizeof(*cred));
	if (!in || !in->lookup ||
	    in->lookup(in->ctx, st->identity, strlen(st->identity), ic) < 0)
		return MSCHAPV2_UNKNOWN_USER;
	if (ic->reject) return MSCHAPV2_USER_REJECTED;
	cred->cleartext = ic->cleartext;
	cred->cleartext_len = ic->cleartext_len;
	cred->nt_hash = ic->has_nt_hash ? ic->nt_hash : NULL;
	/* Auth-Type := Accept cannot help: the peer wants proof that we know its password. */
	if (!cred->cleartext && !cred->nt_hash) return MSCHAPV2_NO_PASSWORD;
	return MSCHAPV2_OK;
}

/* Response (draft-kamath 2.2): check the NT-Response and answer Success or Failure. */
static int handle_response(struct mschapv2_state *st, struct rcursor *c,
			   struct eap_method_result *res)
{
	uint8_t value_size, flags;
	uint8_t const *peer_challenge, *nt_response;
	struct inner_creds ic;
	struct mschap_cred cred;
	struct mschapv2_result ok;
	enum eap_mschapv2_reason r;
	enum mschap_verdict v;
	char body[MSCHAP_V2_AUTH_RESPONSE_LEN + sizeof(" M=Welcome")];

	if (!rcursor_u8(c, &value_size) || value_size != MSCHAPV2_RESPONSE_VALUE_LEN ||
	    !rcursor_ref(c, &peer_challenge, MSCHAP_V2_CHALLENGE_LEN) || !rcursor_skip(c, 8) ||
	    !rcursor_ref(c, &nt_response, MSCHAP_NT_RESPONSE_LEN) || !rcursor_u8(c, &flags))
		return fail_now(st, res, MSCHAPV2_MALFORMED, "Response shorter than 54 octets "
				"or Value-Size not 49");
	/* The rest is the Name: the user name hashed into ChallengeHash (RFC 2759 8.2). */
	struct mschapv2_exchange x = {
		.auth_challenge = st->challenge,
		.peer_challenge = peer_challenge,
		.user = (char const *)c->p,
		.user_len = rcursor_left(c),
	};
	if (x.user_len > MSCHAP_USER_NAME_MAX)
		return fail_now(st, res, MSCHAPV2_MALFORMED, "Name longer than 1024 octets");
	r = user_cred(st, &ic, &cred);
	if (r != MSCHAPV2_OK) {
		mem_wipe(&ic, sizeof(ic));
		return send_failure(st, res, r);
	}
	v = mschapv2_verify(&ok, &cred, &x, nt_response);
	mem_wipe(&ic, sizeof(ic));
	if (v == MSCHAP_ERROR) return send_failure(st, res, MSCHAPV2_CRYPTO);
	if (v != MSCHAP_MATCH) return send_failure(st, res, MSCHAPV2_WRONG_PASSWORD);
	memcpy(st->master_key, ok.master_key, sizeof(st->master_key));
	snprintf(body, sizeof(body), "%s M=Welcome", ok.auth_response);
	mem_wipe(&ok, sizeof(ok));
	st->phase = PHASE_SUCCESS_SENT;
	return send_request(st, res, MSCHAPV2_OP_SUCCESS, (uint8_t const *)body, strlen(body));
}

static int mschapv2_process(void *state, uint8_t const *data, size_t len,
			    struct eap_method_result *res)
{
	struct mschapv2_state *st = state;
	struct rcursor c;
	uint8_t op, id;
	uint16_t ms_len;

	rcursor_init(&c, data, len);
	if (!rcursor_u8(&c, &op))
		return fail_now(st, res, MSCHAPV2_MALFORMED, "empty Response");
	if (st->phase == PHASE_FAILURE_SENT) {
		/* Whatever the peer says now (a Failure response, draft-kamath 2.5), we failed. */
		res->status = EAP_METHOD_FAILURE;
		res->reason = (int)st->reason;
		res->reason_name = st->why;
		return 0;
	}
	if (st->phase == PHASE_SUCCESS_SENT) {
		/* Success response: the OpCode alone (draft-kamath 2.4). */
		if (op != MSCHAPV2_OP_SUCCESS)
			return fail_now(st, res, MSCHAPV2_PEER_REFUSED, NULL);
		st->authenticated = true;
		res->status = EAP_METHOD_SUCCESS;
		res->reason = MSCHAPV2_OK;
		return 0;
	}
	if (op != MSCHAPV2_OP_RESPONSE) {
		char d[48];

		snprintf(d, sizeof(d), "OpCode %u where a Response (2) was due", (unsigned)op);
		return fail_now(st, res, MSCHAPV2_UNEXPECTED, d);
	}
	if (!rcursor_u8(&c, &id) || !rcursor_u16(&c, &ms_len))
		return fail_now(st, res, MSCHAPV2_MALFORMED, "Response header truncated");
	if (id != st->ms_id) return fail_now(st, res, MSCHAPV2_BAD_ID, NULL);
	/* MS-Length bounds the packet when it fits; a larger one is ignored (some Windows peers
	 * count the EAP header too). */
	if (ms_len < MSCHAPV2_HDR_LEN)
		return fail_now(st, res, MSCHAPV2_MALFORMED, "MS-Length below 4");
	if (ms_len < len) c.end = data + ms_len;
	return handle_response(st, &c, res);
}

/* The MSK of EAP-MSCHAPv2 alone (RFC 3079 3.4 keys; not used by PEAPv0 without
 * crypto binding): MasterReceiveKey || MasterSendKey, zero padded to 64 octets. */
static int mschapv2_keys(void *state, struct eap_keys *out)
{
	struct mschapv2_state *st = state;

	if (!st->authenticated) return -1;
	memset(out, 0, sizeof(*out));
	return mschapv2_msk(out->msk, st->master_key);
}

static void mschapv2_describe(void *state, char *buf, size_t cap)
{
	struct mschapv2_state const *st = state;
	char name[64];
	size_t i;

	/* The identity came from the network: no control characters or quotes in the log. */
	for (i = 0; st->identity[i] && i + 1 < sizeof(name); i++) {
		unsigned char ch = (unsigned char)st->identity[i];

		name[i] = ch < 0x20 || ch == 0x7f || ch == '"' ? '?' : (char)ch;
	}
	name[i] = '\0';
	snprintf(buf, cap, "mschapv2 user=\"%s\"", name);
}

struct eap_method const eap_mschapv2_method = {
	.name = "mschapv2",
	.type = EAP_TYPE_MSCHAPV2,
	.init = mschapv2_init,
	.process = mschapv2_process,
	.keys = mschapv2_keys,
	.describe = mschapv2_describe,
};
