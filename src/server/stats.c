/*
 * Counter names and the summary line (see stats.h).
 */
#include "server/stats.h"

#include <inttypes.h>
#include <stdio.h>

static char const *const stat_names[STAT_MAX] = {
	[STAT_RECEIVED] = "received",
	[STAT_UNKNOWN_CLIENT] = "unknown_client",
	[STAT_MALFORMED] = "malformed",
	[STAT_WRONG_PORT] = "wrong_port",
	[STAT_UNSUPPORTED_CODE] = "unsupported_code",
	[STAT_MA_MISSING] = "message_authenticator_missing",
	[STAT_MA_INVALID] = "message_authenticator_invalid",
	[STAT_PROXY_STATE_NO_MA] = "proxy_state_without_message_authenticator",
	[STAT_BAD_AUTHENTICATOR] = "bad_request_authenticator",
	[STAT_DUPLICATE] = "duplicate",
	[STAT_ACCESS_ACCEPT] = "access_accept",
	[STAT_ACCESS_REJECT] = "access_reject",
	[STAT_ACCESS_CHALLENGE] = "access_challenge",
	[STAT_EAP_DROPPED] = "eap_dropped",
	[STAT_ACCOUNTING_RESPONSE] = "accounting_response",
	[STAT_ACCOUNTING_FAILED] = "accounting_failed",
	[STAT_STATUS_SERVER] = "status_server",
	[STAT_ENCODE_FAILED] = "encode_failed",
	[STAT_SEND_FAILED] = "send_failed",
};

char const *stat_name(enum stat_id id)
{
	return (unsigned)id < STAT_MAX ? stat_names[id] : "unknown";
}

void stats_format(char *buf, size_t cap, struct stats *const *blocks, size_t n)
{
	size_t used = 0;
	unsigned i;

	if (cap == 0) return;
	buf[0] = '\0';
	for (i = 0; i < STAT_MAX; i++) {
		uint64_t sum = 0;
		size_t b;
		int m;

		for (b = 0; b < n; b++) sum += stat_get(blocks[b], (enum stat_id)i);
		if (sum == 0 && i != STAT_RECEIVED) continue;
		m = snprintf(buf + used, cap - used, "%s%s=%" PRIu64, used ? " " : "", stat_names[i],
			     sum);
		if (m < 0 || (size_t)m >= cap - used) break;
		used += (size_t)m;
	}
}
