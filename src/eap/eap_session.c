/*
 * Server side of one EAP conversation (RFC 3748): see eap_session.h.
 * Identifiers: each Request gets the next Identifier; a Response must carry the Identifier of
 * the last Request or it is discarded (RFC 3748 4.1). Success/Failure carry the Identifier of
 * the Response they answer (RFC 3748 4.2).
 */
#include "eap/eap_session.h"

#include <stdarg.h>
#include <stdio.h>
#include <sys/random.h>
#include <string.h>

#define EAP_DEFAULT_MAX_ROUNDS 50

enum eap_phase {
	PHASE_IDENTITY,		/* waiting for the Identity Response */
	PHASE_METHOD,		/* a method runs */
	PHASE_DONE,		/* Success or Failure sent */
};

struct eap_session {
	struct eap_server_conf const *conf;
	size_t max_eap_size;
	enum eap_phase phase;
	uint8_t last_id;		/* Identifier of the last Request sent */
	bool sent_request;
	char *identity;
	struct eap_method_entry const *entry;	/* running method */
	void *mstate;
	unsigned method_rounds;		/* Responses handled by the running method */
	unsigned rounds;
	uint8_t *out;			/* the packet handed out last */
	size_t out_len;
	char reason[256];
};

static int eap_session_destructor(struct eap_session *s)
{
	if (s->entry && s->mstate && s->entry->method->free) s->entry->method->free(s->mstate);
	return 0;
}

struct eap_session *eap_session_new(TALLOC_CTX *ctx, struct eap_server_conf const *conf,
				    size_t max_eap_size)
{
	struct eap_session *s = talloc_zero(ctx, struct eap_session);

	if (!s) return NULL;
	s->conf = conf;
	s->max_eap_size = max_eap_size;
	s->identity = talloc_strdup(s, "");
	/* Start from a random Identifier so that stale Responses rarely match (RFC 3748 4.1). */
	if (!s->identity || getrandom(&s->last_id, 1, 0) != 1) {
		talloc_free(s);
		return NULL;
	}
	talloc_set_destructor(s, eap_session_destructor);
	return s;
}

static void set_reason(struct eap_session *s, char const *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void set_reason(struct eap_session *s, char const *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->reason, sizeof(s->reason), fmt, ap);
	va_end(ap);
}

/* Put a packet into s->out. Returns 0 or -1. */
static int emit(struct eap_session *s, struct eap_packet const *p)
{
	size_t cap = EAP_HEADER_LEN + 1 + p->data_len;
	enum eap_reason why;
	ssize_t n;

	talloc_free(s->out);
	s->out = talloc_array(s, uint8_t, cap);
	if (!s->out) return -1;
	n = eap_packet_encode(s->out, cap, p, &why);
	if (n < 0) return -1;
	s->out_len = (size_t)n;
	return 0;
}

static enum eap_session_result finish(struct eap_session *s, bool success, uint8_t id)
{
	struct eap_packet p = {.code = success ? EAP_CODE_SUCCESS : EAP_CODE_FAILURE, .id = id};

	s->phase = PHASE_DONE;
	if (emit(s, &p) < 0) {
		set_reason(s, "cannot encode EAP Success/Failure");
		return EAP_SESSION_DROP;
	}
	return success ? EAP_SESSION_SUCCESS : EAP_SESSION_FAILURE;
}

static enum eap_session_result send_request(struct eap_session *s, uint8_t type,
					    uint8_t const *data, size_t len)
{
	struct eap_packet p = {
		.code = EAP_CODE_REQUEST,
		.id = (uint8_t)(s->last_id + 1),
		.type = type,
		.data = data,
		.data_len = len,
	};

	if (emit(s, &p) < 0) {
		set_reason(s, "cannot encode the EAP Request");
		return finish(s, false, s->last_id);
	}
	s->last_id = p.id;
	s->sent_request = true;
	return EAP_SESSION_CONTINUE;
}

/* Act on what a method said. */
static enum eap_session_result method_result(struct eap_session *s, int rc,
					     struct eap_method_result const *res, uint8_t resp_id)
{
	char const *name = s->entry->method->name;

	if (rc < 0) {
		set_reason(s, "%s: internal error", name);
		return finish(s, false, resp_id);
	}
	switch (res->status) {
	case EAP_METHOD_CONTINUE:
		return send_request(s, s->entry->method->type, res->req_data, res->req_len);
	case EAP_METHOD_SUCCESS:
		return finish(s, true, resp_id);
	case EAP_METHOD_FAILURE:
	default:
		set_reason(s, "%s: %s", name, res->reason_name ? res->reason_name : "failed");
		return finish(s, false, resp_id);
	}
}

static enum eap_session_result method_start(struct eap_session *s,
					    struct eap_method_entry const *entry, uint8_t resp_id)
{
	struct eap_method_peer peer = {.identity = s->identity, .max_eap_size = s->max_eap_size};
	struct eap_method_result res = {0};
	int rc;

	if (s->entry && s->mstate && s->entry->method->free) s->entry->method->free(s->mstate);
	talloc_free(s->mstate);
	s->mstate = NULL;
	s->entry = entry;
	s->method_rounds = 0;
	s->phase = PHASE_METHOD;
	rc = entry->method->init(s, entry->conf, &peer, &s->mstate, &res);
	return method_result(s, rc, &res, resp_id);
}

static struct eap_method_entry const *method_by_type(struct eap_session const *s, uint32_t type)
{
	size_t i;

	for (i = 0; i < s->conf->n_methods; i++)
		if (s->conf->methods[i].method->type == type) return &s->conf->methods[i];
	return NULL;
}

/* Legacy Nak (RFC 3748 5.3.1): switch to the first proposed Type we have, or fail. */
static enum eap_session_result handle_nak(struct eap_session *s, struct eap_packet const *p)
{
	char proposed[64] = "";
	size_t i, used = 0;

	if (s->method_rounds > 0) {
		set_reason(s, "Nak after the method started (RFC 3748 5.3)");
		return finish(s, false, p->id);
	}
	for (i = 0; i < p->nak_count; i++) {
		struct eap_type_id t;
		struct eap_method_entry const *e;

		if (!eap_packet_nak_get(p, i, &t)) break;
		if (t.vendor_id == EAP_VENDOR_IETF && (e = method_by_type(s, t.type)) &&
		    e != s->entry)
			return method_start(s, e, p->id);
		if (used < sizeof(proposed) - 8)
			used += (size_t)snprintf(proposed + used, sizeof(proposed) - used, "%s%u",
						 used ? "," : "", (unsigned)t.type);
	}
	set_reason(s, "peer refused %s and proposed only type(s) %s, none of them enabled",
		   s->entry->method->name, used ? proposed : "none");
	return finish(s, false, p->id);
}

static enum eap_session_result handle_identity(struct eap_session *s, struct eap_packet const *p)
{
	enum eap_reason why;
	char *id;

	if (p->type != EAP_TYPE_IDENTITY) {
		set_reason(s, "expected an Identity Response, got type %s", eap_type_name(p->type));
		return finish(s, false, p->id);
	}
	id = eap_identity_dup(s, p, &why);
	if (!id) {
		set_reason(s, "bad Identity: %s", eap_reason_name(why));
		return finish(s, false, p->id);
	}
	talloc_free(s->identity);
	s->identity = id;
	if (s->conf->n_methods == 0) {
		set_reason(s, "no EAP method is enabled");
		return finish(s, false, p->id);
	}
	return method_start(s, &s->conf->methods[0], p->id);
}

enum eap_session_result eap_session_process(struct eap_session *s, uint8_t const *pkt,
					    size_t len, uint8_t const **out, size_t *out_len)
{
	struct eap_packet p;
	enum eap_reason why;
	enum eap_session_result r;
	unsigned max = s->conf->max_rounds ? s->conf->max_rounds : EAP_DEFAULT_MAX_ROUNDS;

	s->reason[0] = '\0';
	if (s->phase == PHASE_DONE) {
		set_reason(s, "conversation already finished");
		return EAP_SESSION_DROP;
	}
	if (len == 0) {
		/* EAP-Start: only before anything else happened (RFC 3579 2.1), and once: a
		 * second one would re-send the Identity Request and keep the conversation alive
		 * without counting as a round (a lost answer comes back as a RADIUS
		 * retransmission, which the duplicate cache answers). */
		if (s->phase != PHASE_IDENTITY) {
			set_reason(s, "EAP-Start in the middle of a conversation");
			return EAP_SESSION_DROP;
		}
		if (s->sent_request) {
			set_reason(s, "second EAP-Start in one conversation");
			return EAP_SESSION_DROP;
		}
		struct eap_packet idreq = {.code = EAP_CODE_REQUEST, .id = (uint8_t)(s->last_id + 1),
					   .type = EAP_TYPE_IDENTITY};

		if (emit(s, &idreq) < 0) return EAP_SESSION_DROP;
		s->last_id = idreq.id;
		s->sent_request = true;
		r = EAP_SESSION_CONTINUE;
		goto done;
	}
	if (eap_packet_decode(&p, pkt, len, &why) < 0) {
		set_reason(s, "malformed EAP packet: %s", eap_reason_name(why));
		return EAP_SESSION_DROP;
	}
	if (p.code != EAP_CODE_RESPONSE) {
		set_reason(s, "EAP %s from the peer; only Responses are accepted",
			   eap_code_name(p.code));
		return EAP_SESSION_DROP;
	}
	if (s->sent_request && p.id != s->last_id) {
		set_reason(s, "EAP Identifier does not match the last Request");
		return EAP_SESSION_DROP;
	}
	if (++s->rounds > max) {
		set_reason(s, "too many rounds in one conversation (max_rounds)");
		r = finish(s, false, p.id);
		goto done;
	}
	if (s->phase == PHASE_IDENTITY) {
		r = handle_identity(s, &p);
	} else if (eap_packet_is_nak(&p)) {
		r = handle_nak(s, &p);
	} else if (p.type != s->entry->method->type) {
		set_reason(s, "peer answered %s with type %s", s->entry->method->name,
			   eap_type_name(p.type));
		r = finish(s, false, p.id);
	} else {
		struct eap_method_result res = {0};
		int rc = s->entry->method->process(s->mstate, p.data, p.data_len, &res);

		s->method_rounds++;
		r = method_result(s, rc, &res, p.id);
	}
done:
	if (r != EAP_SESSION_DROP) {
		*out = s->out;
		*out_len = s->out_len;
	}
	return r;
}

char const *eap_session_identity(struct eap_session const *s)
{
	return s->identity;
}

char const *eap_session_method_name(struct eap_session const *s)
{
	return s->entry ? s->entry->method->name : "";
}

char const *eap_session_reason(struct eap_session const *s)
{
	return s->reason;
}

unsigned eap_session_rounds(struct eap_session const *s)
{
	return s->rounds;
}

void eap_session_describe(struct eap_session const *s, char *buf, size_t cap)
{
	if (cap) buf[0] = '\0';
	if (s->entry && s->mstate && s->entry->method->describe)
		s->entry->method->describe(s->mstate, buf, cap);
}

void eap_session_peer_name(struct eap_session const *s, enum eap_peer_name which, char *buf,
			   size_t cap)
{
	if (cap) buf[0] = '\0';
	if (s->entry && s->mstate && s->entry->method->peer_name)
		s->entry->method->peer_name(s->mstate, which, buf, cap);
}

int eap_session_keys(struct eap_session *s, struct eap_keys *out)
{
	if (!s->entry || !s->mstate || s->phase != PHASE_DONE) return -1;
	return s->entry->method->keys(s->mstate, out);
}
