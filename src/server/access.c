/*
 * Access-Request decisions against the users file: PAP (RFC 2865 5.2) and CHAP (RFC 2865
 * 5.3). Every reject is logged with the reason an operator can act on.
 */
#include "server/server.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <string.h>

#include "util/hex.h"

struct access_ctx {
	struct request *req;
	char user[128];			/* User-Name, escaped for logs */
	struct rad_attr const *name;
};

static void access_reject(struct access_ctx *ac, char const *why)
{
	struct request *req = ac->req;

	stat_inc(&req->worker->stats, STAT_ACCESS_REJECT);
	req->reply = rad_packet_new(req->ctx, req->rt->dict, RAD_ACCESS_REJECT, req->packet->id);
	request_log(req, LOG_LVL_INFO, "Access-Reject for user \"%s\": %s", ac->user, why);
}

static void access_accept(struct access_ctx *ac, struct users_entry const *entry, char const *how)
{
	struct request *req = ac->req;
	size_t i;

	req->reply = rad_packet_new(req->ctx, req->rt->dict, RAD_ACCESS_ACCEPT, req->packet->id);
	if (!req->reply) return;
	for (i = 0; i < entry->n_reply; i++) {
		struct users_reply const *r = &entry->reply[i];

		if (rad_attr_add(req->reply, r->da->vendor, r->da->attr, r->value, r->len) < 0) {
			req->reply = NULL;
			request_log(req, LOG_LVL_ERROR, "cannot build the reply for \"%s\"", ac->user);
			return;
		}
	}
	stat_inc(&req->worker->stats, STAT_ACCESS_ACCEPT);
	request_log(req, LOG_LVL_DEBUG, "Access-Accept for user \"%s\": %s (%s:%d)", ac->user, how,
		    entry->file, entry->line);
}

static bool access_pap_ok(struct access_ctx *ac, struct rad_attr const *pw,
			  struct users_entry const *entry, char const **why)
{
	struct request *req = ac->req;
	struct conf_client const *client = req->client;
	uint8_t plain[RAD_MAX_ATTR_VALUE];
	ssize_t n;
	bool ok;

	if (!entry->cleartext) {
		*why = "PAP needs a Cleartext-Password for this user in the users file";
		return false;
	}
	n = rad_password_unhide(plain, sizeof(plain), pw->value, pw->len, client->secret,
				client->secret_len, req->packet->vector);
	if (n < 0) {
		*why = "malformed User-Password attribute";
		return false;
	}
	ok = (size_t)n == entry->cleartext_len &&
	     CRYPTO_memcmp(plain, entry->cleartext, (size_t)n) == 0;
	mem_wipe(plain, sizeof(plain));
	if (!ok) *why = "wrong password (PAP); if every user fails, check the shared secret";
	return ok;
}

static bool access_chap_ok(struct access_ctx *ac, struct rad_attr const *chap,
			   struct users_entry const *entry, char const **why)
{
	struct rad_packet const *pkt = ac->req->packet;
	struct rad_attr const *challenge = rad_attr_find(pkt, 0, RAD_ATTR_CHAP_CHALLENGE);
	uint8_t const *ch = challenge ? challenge->value : pkt->vector;
	size_t ch_len = challenge ? challenge->len : RAD_VECTOR_LEN;

	if (!entry->cleartext) {
		*why = "CHAP needs a Cleartext-Password for this user in the users file";
		return false;
	}
	if (chap->len != 17) {
		*why = "malformed CHAP-Password attribute (length is not 17)";
		return false;
	}
	if (!rad_chap_check(chap->value, chap->len, ch, ch_len, (uint8_t const *)entry->cleartext,
			    entry->cleartext_len)) {
		*why = "wrong password (CHAP)";
		return false;
	}
	return true;
}

void access_handle(struct request *req)
{
	struct rad_packet const *pkt = req->packet;
	struct access_ctx ac = {.req = req};
	struct users_entry const *entry;
	struct rad_attr const *pw, *chap, *eap;
	char const *why = NULL;

	if ((eap = rad_attr_find(pkt, 0, RAD_ATTR_EAP_MESSAGE))) {
		eap_access_handle(req, eap);
		return;
	}
	ac.name = rad_attr_find(pkt, 0, RAD_ATTR_USER_NAME);
	if (!ac.name) {
		snprintf(ac.user, sizeof(ac.user), "(none)");
		access_reject(&ac, "no User-Name in the request");
		return;
	}
	log_escape(ac.user, sizeof(ac.user), ac.name->value, ac.name->len);
	entry = conf_user_find(req->rt->conf, (char const *)ac.name->value, ac.name->len);
	if (!entry) {
		access_reject(&ac, "unknown user (no entry in the users file)");
		return;
	}
	if (entry->auth_type == USERS_AUTH_REJECT) {
		access_reject(&ac, "Auth-Type := Reject in the users file");
		return;
	}
	if (entry->auth_type == USERS_AUTH_ACCEPT) {
		access_accept(&ac, entry, "Auth-Type := Accept");
		return;
	}
	pw = rad_attr_find(pkt, 0, RAD_ATTR_USER_PASSWORD);
	chap = rad_attr_find(pkt, 0, RAD_ATTR_CHAP_PASSWORD);
	if (pw && access_pap_ok(&ac, pw, entry, &why))
		access_accept(&ac, entry, "PAP password matches");
	else if (!pw && chap && access_chap_ok(&ac, chap, entry, &why))
		access_accept(&ac, entry, "CHAP password matches");
	else
		access_reject(&ac, why ? why : "no User-Password or CHAP-Password in the request");
}
