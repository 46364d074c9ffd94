/*
 * Access-Requests that carry EAP (RFC 3579): the RADIUS side of an EAP conversation.
 * EAP-Message join is done by the codec; here: Message-Authenticator required (RFC 3579
 * 3.2), the session found by State or started, the EAP packet handed to eap/, and the answer
 * wrapped as Access-Challenge (with a fresh State), Access-Accept (EAP-Success, MS-MPPE keys
 * per RFC 2548 / RFC 5216 2.3, User-Name, EAP-Key-Name when asked, the users file's reply
 * attributes) or Access-Reject (EAP-Failure). One log line per decision.
 */
#include "server/server.h"

#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "eap/eap.h"
#include "eap/eap_session.h"
#include "util/hex.h"

/* The server's object for one conversation, kept in the session table. */
struct eap_conv {
	struct runtime *rt;		/* reference held: the conversation's configuration */
	struct eap_session *eap;
};

static int eap_conv_destructor(struct eap_conv *c)
{
	/* The EAP session (and its TLS connection) goes first, then the configuration. */
	TALLOC_FREE(c->eap);
	runtime_unref(c->rt);
	return 0;
}

static struct eap_conv *eap_conv_new(struct request *req, size_t max_eap_size)
{
	/* Not from the worker's pool: another thread may free it (session table rules). */
	struct eap_conv *c = talloc_zero(NULL, struct eap_conv);

	if (!c) return NULL;
	c->rt = runtime_ref(req->rt);
	talloc_set_destructor(c, eap_conv_destructor);
	c->eap = eap_session_new(c, &c->rt->eap_conf, max_eap_size);
	if (!c->eap) {
		talloc_free(c);
		return NULL;
	}
	return c;
}

/* Inner credentials for TTLS/PEAP from the users file (methods/inner.h). */
int eap_inner_lookup(void const *ctx, char const *user, size_t len, struct inner_creds *out)
{
	struct users_entry const *e = conf_user_find(ctx, user, len);

	memset(out, 0, sizeof(*out));
	if (!e || e->is_default) return -1; /* a DEFAULT entry holds no password for anyone */
	out->cleartext = e->cleartext;
	out->cleartext_len = e->cleartext_len;
	out->has_nt_hash = e->has_nt_hash;
	memcpy(out->nt_hash, e->nt_hash, sizeof(out->nt_hash));
	out->reject = e->auth_type == USERS_AUTH_REJECT;
	out->accept = e->auth_type == USERS_AUTH_ACCEPT;
	return 0;
}

/* Largest EAP packet for this NAS: our fragment_size, lowered to Framed-MTU (RFC 3579 2.2). */
static size_t eap_max_size(struct request const *req)
{
	struct rad_attr const *mtu = rad_attr_find(req->packet, 0, RAD_ATTR_FRAMED_MTU);
	size_t max = req->rt->conf->eap.fragment_size;

	if (mtu && mtu->len == 4) {
		uint32_t v = ((uint32_t)mtu->value[0] << 24) | ((uint32_t)mtu->value[1] << 16) |
			     ((uint32_t)mtu->value[2] << 8) | mtu->value[3];

		if (v >= 64 && v < max) max = v;
	}
	return max;
}

static int reply_add_eap(struct request *req, uint8_t const *eap, size_t len)
{
	return rad_attr_add(req->reply, 0, RAD_ATTR_EAP_MESSAGE, eap, len);
}

static void eap_reply_new(struct request *req, uint8_t code)
{
	req->reply = rad_packet_new(req->ctx, req->rt->dict, code, req->packet->id);
}

/* " station 02-00-00-00-00-01" from Calling-Station-Id (the supplicant's MAC), or "". */
static char const *eap_station(struct request const *req, char *buf, size_t cap)
{
	struct rad_attr const *a = rad_attr_find(req->packet, 0, RAD_ATTR_CALLING_STATION_ID);
	char esc[48];

	if (!a) return "";
	snprintf(buf, cap, " station %s", log_escape(esc, sizeof(esc), a->value, a->len));
	return buf;
}

/* Reject carrying EAP-Failure (RFC 3579 2.6.3). */
static void eap_reject(struct request *req, uint8_t const *eap, size_t len, char const *who,
		       char const *why, char const *peer)
{
	stat_inc(&req->worker->stats, STAT_ACCESS_REJECT);
	eap_reply_new(req, RAD_ACCESS_REJECT);
	if (req->reply && eap && reply_add_eap(req, eap, len) < 0) req->reply = NULL;
	char station[64];

	request_log(req, LOG_LVL_INFO, "Access-Reject for EAP identity \"%s\"%s: %s%s%s", who,
		    eap_station(req, station, sizeof(station)), why, peer && *peer ? "; " : "",
		    peer ? peer : "");
}

/* A Failure for a packet we cannot tie to a session: Identifier from the peer's Response. */
static void eap_reject_orphan(struct request *req, uint8_t const *eap, size_t len,
			      char const *why)
{
	uint8_t failure[4] = {EAP_CODE_FAILURE, len >= 2 ? eap[1] : 0, 0, 4};

	eap_reject(req, failure, sizeof(failure), "-", why, NULL);
}

static int eap_accept_keys(struct request *req, struct eap_session *eap)
{
	struct eap_keys keys;
	int rc = -1;

	if (eap_session_keys(eap, &keys) < 0) goto out;
	/* MS-MPPE-Recv-Key = MSK[0..31], MS-MPPE-Send-Key = MSK[32..63] (RFC 5216 2.3); the
	 * encoder hides them (RFC 2548 2.4.2). */
	if (rad_attr_add(req->reply, RAD_VENDOR_MICROSOFT, RAD_MS_MPPE_RECV_KEY, keys.msk, 32) < 0 ||
	    rad_attr_add(req->reply, RAD_VENDOR_MICROSOFT, RAD_MS_MPPE_SEND_KEY, keys.msk + 32,
			 32) < 0)
		goto out;
	/* EAP-Key-Name = Session-Id when the NAS asks for it (RFC 4072 6.2, RFC 5216 2.3). */
	if (rad_attr_find(req->packet, 0, RAD_ATTR_EAP_KEY_NAME) &&
	    rad_attr_add(req->reply, 0, RAD_ATTR_EAP_KEY_NAME, keys.session_id,
			 keys.session_id_len) < 0)
		goto out;
	rc = 0;
out:
	mem_wipe(&keys, sizeof(keys));
	return rc;
}

/*
 * The name the Accept carries in User-Name (eap { user_name }): the EAP identity, or a name
 * from the client certificate. Falls back to the identity when the certificate has none.
 */
static char const *eap_user_name(struct request const *req, struct eap_session const *eap,
				 char *buf, size_t cap)
{
	enum conf_eap_user_name how = req->rt->conf->eap.user_name;

	/* Tunneled methods: the inner identity decides, whatever the outer one said. */
	eap_session_peer_name(eap, EAP_PEER_NAME_INNER, buf, cap);
	if (buf[0]) return buf;
	if (how == CONF_EAP_USER_NAME_IDENTITY) return eap_session_identity(eap);
	eap_session_peer_name(eap, how == CONF_EAP_USER_NAME_CERT_CN ? EAP_PEER_NAME_CERT_CN
								     : EAP_PEER_NAME_CERT_SAN,
			      buf, cap);
	return buf[0] ? buf : eap_session_identity(eap);
}

static void eap_accept(struct request *req, struct eap_session *eap, uint8_t const *out,
		       size_t out_len, char const *who, char const *peer)
{
	char namebuf[254];
	char const *identity = eap_user_name(req, eap, namebuf, sizeof(namebuf));
	struct users_entry const *entry =
		conf_user_find(req->rt->conf, identity, strlen(identity));
	size_t i;

	/* Authorization from the users file: an entry may refuse the identity or add reply
	 * attributes (a VLAN); no entry means the certificate alone decides. */
	if (entry && entry->auth_type == USERS_AUTH_REJECT) {
		uint8_t failure[4] = {EAP_CODE_FAILURE, out[1], 0, 4};

		eap_reject(req, failure, sizeof(failure), who,
			   "authenticated, but Auth-Type := Reject in the users file", peer);
		return;
	}
	eap_reply_new(req, RAD_ACCESS_ACCEPT);
	if (!req->reply || reply_add_eap(req, out, out_len) < 0 ||
	    rad_attr_add(req->reply, 0, RAD_ATTR_USER_NAME, identity, strlen(identity)) < 0 ||
	    eap_accept_keys(req, eap) < 0)
		goto fail;
	for (i = 0; entry && i < entry->n_reply; i++) {
		struct users_reply const *r = &entry->reply[i];

		if (rad_attr_add(req->reply, r->da->vendor, r->da->attr, r->value, r->len) < 0)
			goto fail;
	}
	stat_inc(&req->worker->stats, STAT_ACCESS_ACCEPT);
	char station[64];

	request_log(req, LOG_LVL_INFO,
		    "Access-Accept for EAP identity \"%s\"%s: EAP-%s in %u rounds; %s", who,
		    eap_station(req, station, sizeof(station)), eap_session_method_name(eap),
		    eap_session_rounds(eap), peer);
	return;
fail:
	req->reply = NULL;
	request_log(req, LOG_LVL_ERROR, "cannot build the Access-Accept for \"%s\"", who);
}

static void eap_challenge(struct request *req, uint8_t const *out, size_t out_len,
			  uint8_t const *state)
{
	eap_reply_new(req, RAD_ACCESS_CHALLENGE);
	if (!req->reply || reply_add_eap(req, out, out_len) < 0 ||
	    rad_attr_add(req->reply, 0, RAD_ATTR_STATE, state, SESSION_STATE_LEN) < 0) {
		req->reply = NULL;
		return;
	}
	stat_inc(&req->worker->stats, STAT_ACCESS_CHALLENGE);
}

/* Run one round and build the reply; returns whether the conversation is over. *dropped:
 * the packet was ignored (no round happened). */
static bool eap_round(struct request *req, struct eap_conv *conv, uint8_t const *state,
		      struct rad_attr const *msg, bool *dropped)
{
	uint8_t const *out = NULL;
	size_t out_len = 0;
	char who[128], peer[768];
	enum eap_session_result r = eap_session_process(conv->eap, msg->value, msg->len, &out,
							&out_len);

	log_escape(who, sizeof(who), eap_session_identity(conv->eap),
		   strlen(eap_session_identity(conv->eap)));
	*dropped = false;
	switch (r) {
	case EAP_SESSION_CONTINUE:
		eap_challenge(req, out, out_len, state);
		return false;
	case EAP_SESSION_SUCCESS:
		eap_session_describe(conv->eap, peer, sizeof(peer));
		eap_accept(req, conv->eap, out, out_len, who, peer);
		return true;
	case EAP_SESSION_FAILURE:
		eap_session_describe(conv->eap, peer, sizeof(peer));
		eap_reject(req, out, out_len, who, eap_session_reason(conv->eap), peer);
		return true;
	case EAP_SESSION_DROP:
	default:
		*dropped = true;
		stat_inc(&req->worker->stats, STAT_EAP_DROPPED);
		request_log(req, LOG_LVL_INFO, "EAP packet from \"%s\" ignored: %s", who,
			    eap_session_reason(conv->eap));
		return false;
	}
}

/*
 * A conversation opens with EAP-Start (empty EAP-Message) or an EAP-Response/Identity
 * (RFC 3579 2.1). Anything else without a State gets no session: malformed packets are
 * dropped, others rejected. Returns whether a session may be created.
 */
static bool eap_is_opening(struct request *req, struct rad_attr const *msg)
{
	struct eap_packet p;
	enum eap_reason why;

	if (msg->len == 0) return true;
	if (eap_packet_decode(&p, msg->value, msg->len, &why) < 0) {
		stat_inc(&req->worker->stats, STAT_EAP_DROPPED);
		request_log(req, LOG_LVL_INFO, "EAP packet ignored: malformed EAP packet: %s",
			    eap_reason_name(why));
		return false;
	}
	if (p.code != EAP_CODE_RESPONSE) {
		/* RFC 3748 4: a peer sends only Responses; anything else is discarded. */
		stat_inc(&req->worker->stats, STAT_EAP_DROPPED);
		request_log(req, LOG_LVL_INFO,
			    "EAP packet ignored: EAP %s from the peer; only Responses are accepted",
			    eap_code_name(p.code));
		return false;
	}
	if (p.type == EAP_TYPE_IDENTITY) return true;
	eap_reject_orphan(req, msg->value, msg->len,
			  "no State, and the EAP packet is neither EAP-Start nor an Identity "
			  "Response");
	return false;
}

/* The owner of the sessions this request starts or continues: the NAS's address family and
 * address, not its port (a NAS may send a conversation's rounds from several ports). */
static void nas_owner(struct request const *req, struct session_owner *o)
{
	struct sockaddr const *sa = (struct sockaddr const *)&req->src;

	memset(o, 0, sizeof(*o));
	o->b[0] = (uint8_t)sa->sa_family;
	if (sa->sa_family == AF_INET)
		memcpy(o->b + 4, &((struct sockaddr_in const *)sa)->sin_addr, 4);
	else if (sa->sa_family == AF_INET6)
		memcpy(o->b + 4, &((struct sockaddr_in6 const *)sa)->sin6_addr, 16);
}

void eap_access_handle(struct request *req, struct rad_attr const *msg)
{
	struct session_table *table = req->worker->server->sessions;
	struct rad_attr const *state_attr = rad_attr_find(req->packet, 0, RAD_ATTR_STATE);
	uint8_t state[SESSION_STATE_LEN];
	struct session_owner owner;
	enum session_miss miss;
	struct eap_conv *conv;
	bool over, dropped;

	if (req->packet->ma_offset < 0) {
		/* RFC 3579 3.2: an Access-Request with EAP-Message and no Message-Authenticator
		 * MUST be silently discarded, whatever the client's settings. */
		stat_inc(&req->worker->stats, STAT_MA_MISSING);
		request_log(req, LOG_LVL_INFO, "dropped: EAP-Message without Message-Authenticator");
		return;
	}
	if (!req->rt->conf->eap.enabled || !table) {
		eap_reject_orphan(req, msg->value, msg->len,
				  "EAP is not enabled (no eap section in latchd.conf)");
		return;
	}
	nas_owner(req, &owner);
	if (state_attr) {
		conv = session_table_checkout(table, &owner, state_attr->value, state_attr->len,
					      req->now, &miss);
		if (!conv) {
			if (miss == SESSION_BUSY) {
				stat_inc(&req->worker->stats, STAT_EAP_DROPPED);
				return; /* the NAS retransmits; the first copy is in progress */
			}
			eap_reject_orphan(req, msg->value, msg->len, session_miss_name(miss));
			return;
		}
		memcpy(state, state_attr->value, SESSION_STATE_LEN);
	} else {
		if (!eap_is_opening(req, msg)) return;
		conv = eap_conv_new(req, eap_max_size(req));
		if (!conv || session_table_add(table, &owner, conv, state, req->now) < 0) {
			eap_reject_orphan(req, msg->value, msg->len,
					  "cannot start an EAP session (out of memory or every "
					  "session busy)");
			return;
		}
	}
	over = eap_round(req, conv, state, msg, &dropped);
	if (dropped) /* an ignored packet (stale Identifier, ...) does not keep a session alive */
		session_table_release(table, state);
	else
		session_table_checkin(table, state, req->now, eap_session_rounds(conv->eap) > 1,
				      over);
}
