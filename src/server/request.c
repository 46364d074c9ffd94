/*
 * The life of one datagram: client lookup -> decode (RFC 2865 3) -> duplicate check (RFC 5080
 * 2.2.2) -> authenticator and Message-Authenticator checks with the BlastRADIUS rules
 * (CVE-2024-3596, RFC 3579 3.2, RFC 5997) -> dispatch by code -> encode and sign -> cache.
 */
#include "server/server.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/err.h"

void request_log(struct request const *req, enum log_level lvl, char const *fmt, ...)
{
	char msg[1024];
	char src[80];
	va_list ap;

	if (!log_enabled(lvl)) return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	sockaddr_print(src, sizeof(src), (struct sockaddr const *)&req->src);
	log_printf(lvl, "req %u.%llu client %s (%s)%s%s id %u: %s", req->worker->index,
		   (unsigned long long)req->number, req->client ? req->client->name : "-", src,
		   req->packet ? " " : "",
		   req->packet ? rad_code_name(req->packet->code) : "",
		   req->packet ? req->packet->id : 0, msg);
}

/* Datagrams that are dropped before a client is known: rate-limited by the caller's counter. */
static void request_drop(struct request *req, enum stat_id why, char const *detail)
{
	uint64_t n = stat_get(&req->worker->stats, why);

	stat_inc(&req->worker->stats, why);
	/* Log the first few of each kind per worker, then every 1000th, so a flood cannot
	 * drown the log; the counters always have the full count. */
	if (n < 10 || n % 1000 == 0)
		request_log(req, LOG_LVL_INFO, "dropped (%s): %s", stat_name(why), detail);
}

/* Authenticity checks. Returns false (and counts the drop) when the packet must be ignored. */
static bool request_verify(struct request *req)
{
	struct rad_packet const *pkt = req->packet;
	struct conf_client const *client = req->client;
	enum rad_ma_status ma;

	ma = rad_packet_check_ma(pkt, client->secret, client->secret_len, NULL);
	if (ma == RAD_MA_INVALID) {
		request_drop(req, STAT_MA_INVALID,
			     "Message-Authenticator does not verify; check the shared secret");
		return false;
	}
	if (pkt->code == RAD_ACCOUNTING_REQUEST) {
		if (!rad_request_auth_ok(pkt, client->secret, client->secret_len)) {
			request_drop(req, STAT_BAD_AUTHENTICATOR,
				     "Request Authenticator does not verify; check the shared secret");
			return false;
		}
		return true;
	}
	/* Access-Request and Status-Server (RFC 5997 3: Status-Server always needs it). */
	if (ma == RAD_MA_ABSENT) {
		if (pkt->code == RAD_STATUS_SERVER) {
			request_drop(req, STAT_MA_MISSING, "Status-Server without Message-Authenticator");
			return false;
		}
		if (client->require_ma) {
			request_drop(req, STAT_MA_MISSING,
				     "no Message-Authenticator and the client requires one "
				     "(require_message_authenticator)");
			return false;
		}
		if (pkt->has_proxy_state && client->limit_proxy_state) {
			request_drop(req, STAT_PROXY_STATE_NO_MA,
				     "Proxy-State without Message-Authenticator (limit_proxy_state)");
			return false;
		}
	}
	return true;
}

static void status_handle(struct request *req)
{
	uint8_t code = req->listen_type == CONF_LISTEN_AUTH ? RAD_ACCESS_ACCEPT
							   : RAD_ACCOUNTING_RESPONSE;

	stat_inc(&req->worker->stats, STAT_STATUS_SERVER);
	req->reply = rad_packet_new(req->ctx, req->rt->dict, code, req->packet->id);
	request_log(req, LOG_LVL_DEBUG, "answered with %s", rad_code_name(code));
}

/* Is this code served on this kind of port? Counts and logs when not. */
static bool request_code_allowed(struct request *req)
{
	uint8_t code = req->packet->code;
	bool auth = req->listen_type == CONF_LISTEN_AUTH;

	if (code == RAD_STATUS_SERVER) return true;
	if ((code == RAD_ACCESS_REQUEST && auth) || (code == RAD_ACCOUNTING_REQUEST && !auth))
		return true;
	if (code == RAD_ACCESS_REQUEST || code == RAD_ACCOUNTING_REQUEST ||
	    rad_code_is_response(code)) {
		request_drop(req, STAT_WRONG_PORT, "this code is not served on this port");
		return false;
	}
	request_drop(req, STAT_UNSUPPORTED_CODE, "this server does not handle this code");
	return false;
}

static void request_dispatch(struct request *req)
{
	switch (req->packet->code) {
	case RAD_ACCESS_REQUEST:
		access_handle(req);
		break;
	case RAD_ACCOUNTING_REQUEST:
		accounting_handle(req);
		break;
	case RAD_STATUS_SERVER:
		status_handle(req);
		break;
	default:
		break;
	}
}

/* Copy Proxy-State attributes into the reply, in order (RFC 2865 5.33). */
static int request_copy_proxy_state(struct request *req)
{
	size_t i;

	if (!req->packet->has_proxy_state) return 0;
	for (i = 0; i < req->packet->n_attrs; i++) {
		struct rad_attr const *a = &req->packet->attrs[i];

		if (a->vendor == 0 && a->type == RAD_ATTR_PROXY_STATE &&
		    rad_attr_add(req->reply, 0, RAD_ATTR_PROXY_STATE, a->value, a->len) < 0)
			return -1;
	}
	return 0;
}

static size_t request_encode_reply(struct request *req, uint8_t *out, size_t cap)
{
	struct conf_client const *client = req->client;
	uint8_t code = req->reply->code;
	/* BlastRADIUS: Message-Authenticator first in every Access-* reply; also on answers to
	 * Status-Server and to requests that carried one. */
	unsigned flags = (code == RAD_ACCESS_ACCEPT || code == RAD_ACCESS_REJECT ||
			  code == RAD_ACCESS_CHALLENGE || req->packet->ma_offset >= 0)
				 ? RAD_ENC_ADD_MA
				 : 0;
	ssize_t len;

	if (request_copy_proxy_state(req) < 0) goto fail;
	len = rad_packet_encode(req->reply, out, cap, client->secret, client->secret_len,
				req->packet->vector, flags);
	if (len <= 0) goto fail;
	if (log_enabled(LOG_LVL_DEBUG)) {
		char *text = rad_packet_print(req->ctx, req->reply, true);

		request_log(req, LOG_LVL_DEBUG, "sending %s, %zd octets\n%s", rad_code_name(code),
			    len, text ? text : "");
	}
	return (size_t)len;
fail:
	stat_inc(&req->worker->stats, STAT_ENCODE_FAILED);
	request_log(req, LOG_LVL_ERROR, "cannot encode the reply: %s", err_msg());
	return 0;
}

static size_t request_run(struct request *req, uint8_t const *data, size_t len, uint8_t *out,
			  size_t cap)
{
	enum rad_decode_error why = RAD_DECODE_OK;
	struct dup_key key;
	uint8_t const *cached;
	size_t reply_len;

	req->client = conf_client_find(req->rt->conf, (struct sockaddr const *)&req->src);
	if (!req->client) {
		request_drop(req, STAT_UNKNOWN_CLIENT, "no client entry for this address");
		return 0;
	}
	req->packet = rad_packet_decode(req->ctx, req->rt->dict, data, len, &why);
	if (!req->packet) {
		request_drop(req, STAT_MALFORMED, rad_decode_error_name(why));
		return 0;
	}
	if (!request_code_allowed(req)) return 0;
	if (req->packet->code != RAD_STATUS_SERVER) {
		dup_key_init(&key, (struct sockaddr const *)&req->src, req->listen_index,
			     req->packet->id, req->packet->vector);
		cached = dupcache_find(req->worker->dups, &key, req->now, &reply_len);
		if (cached && reply_len <= cap) {
			stat_inc(&req->worker->stats, STAT_DUPLICATE);
			request_log(req, LOG_LVL_DEBUG, "retransmission: sending the cached reply");
			memcpy(out, cached, reply_len);
			return reply_len;
		}
	}
	if (!request_verify(req)) return 0;
	if (log_enabled(LOG_LVL_DEBUG)) {
		char *text = rad_packet_print(req->ctx, req->packet, true);

		request_log(req, LOG_LVL_DEBUG, "received, %zu octets\n%s", len, text ? text : "");
	}
	request_dispatch(req);
	if (!req->reply) return 0;
	reply_len = request_encode_reply(req, out, cap);
	if (reply_len && req->packet->code != RAD_STATUS_SERVER &&
	    dupcache_insert(req->worker->dups, &key, out, reply_len, req->now) < 0)
		request_log(req, LOG_LVL_WARN, "out of memory: reply not cached");
	return reply_len;
}

size_t request_handle(struct worker *w, struct runtime *rt, unsigned listen_index,
		      struct sockaddr const *src, uint8_t const *data, size_t len, uint8_t *out,
		      size_t cap)
{
	struct request req = {
		.worker = w,
		.rt = rt,
		.number = ++w->next_request,
		.listen_index = (uint8_t)listen_index,
		.listen_type = w->server->listens[listen_index].type,
		.now = server_now(),
	};
	size_t reply_len;

	stat_inc(&w->stats, STAT_RECEIVED);
	memcpy(&req.src, src, src->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
							 : sizeof(struct sockaddr_in));
	req.ctx = talloc_new(w->pool);
	if (!req.ctx) return 0;
	reply_len = request_run(&req, data, len, out, cap);
	talloc_free(req.ctx);
	return reply_len;
}
