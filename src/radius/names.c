/*
 * Name tables (packet codes, decode errors) and the small facts about codes and attributes
 * the codec needs: which codes are responses (RFC 2865 3, RFC 2866 3, RFC 5176 3), and the
 * built-in properties of a few attributes so that the codec stays safe without a dictionary
 * (EAP-Message is concat, RFC 3579 3.1; User-Password, Tunnel-Password and MS-MPPE keys are
 * hidden, RFC 2865 5.2, RFC 2868 3.5, RFC 2548 2.4.2).
 */
#include "radius/radius_int.h"

char const *rad_code_name(unsigned code)
{
	switch (code) {
	case RAD_ACCESS_REQUEST: return "Access-Request";
	case RAD_ACCESS_ACCEPT: return "Access-Accept";
	case RAD_ACCESS_REJECT: return "Access-Reject";
	case RAD_ACCOUNTING_REQUEST: return "Accounting-Request";
	case RAD_ACCOUNTING_RESPONSE: return "Accounting-Response";
	case RAD_ACCESS_CHALLENGE: return "Access-Challenge";
	case RAD_STATUS_SERVER: return "Status-Server";
	case RAD_STATUS_CLIENT: return "Status-Client";
	case RAD_DISCONNECT_REQUEST: return "Disconnect-Request";
	case RAD_DISCONNECT_ACK: return "Disconnect-ACK";
	case RAD_DISCONNECT_NAK: return "Disconnect-NAK";
	case RAD_COA_REQUEST: return "CoA-Request";
	case RAD_COA_ACK: return "CoA-ACK";
	case RAD_COA_NAK: return "CoA-NAK";
	default: return "Unknown-Code";
	}
}

static char const *const decode_error_names[RAD_DECODE_MAX] = {
	[RAD_DECODE_OK] = "ok",
	[RAD_DECODE_TOO_SHORT] = "too-short",
	[RAD_DECODE_BAD_LENGTH] = "bad-length",
	[RAD_DECODE_TRUNCATED] = "truncated",
	[RAD_DECODE_UNKNOWN_CODE] = "unknown-code",
	[RAD_DECODE_ATTR_OVERFLOW] = "attr-overflow",
	[RAD_DECODE_ATTR_LENGTH] = "attr-length",
	[RAD_DECODE_MA_LENGTH] = "ma-length",
	[RAD_DECODE_DUP_MA] = "dup-ma",
	[RAD_DECODE_NO_MEMORY] = "no-memory",
};

char const *rad_decode_error_name(enum rad_decode_error e)
{
	if ((unsigned)e >= RAD_DECODE_MAX) return "unknown-error";
	return decode_error_names[e];
}

bool rad_code_is_known(unsigned code)
{
	return (code >= 1 && code <= 5) || (code >= 11 && code <= 13) ||
	       (code >= 40 && code <= 45);
}

bool rad_code_is_response(unsigned code)
{
	switch (code) {
	case RAD_ACCESS_ACCEPT:
	case RAD_ACCESS_REJECT:
	case RAD_ACCOUNTING_RESPONSE:
	case RAD_ACCESS_CHALLENGE:
	case RAD_DISCONNECT_ACK:
	case RAD_DISCONNECT_NAK:
	case RAD_COA_ACK:
	case RAD_COA_NAK:
		return true;
	default:
		return false;
	}
}

bool rad_code_has_computed_request_auth(unsigned code)
{
	return code == RAD_ACCOUNTING_REQUEST || code == RAD_DISCONNECT_REQUEST ||
	       code == RAD_COA_REQUEST;
}

bool rad_attr_is_concat(uint32_t vendor, uint32_t type, struct dict_attr const *da)
{
	if (vendor == 0 && type == RAD_ATTR_EAP_MESSAGE) return true;
	return da && da->concat;
}

uint8_t rad_attr_encrypt(uint32_t vendor, uint32_t type, struct dict_attr const *da)
{
	if (da) return da->encrypt;
	if (vendor == 0 && type == RAD_ATTR_USER_PASSWORD) return 1;
	if (vendor == 0 && type == RAD_ATTR_TUNNEL_PASSWORD) return 2;
	if (vendor == RAD_VENDOR_MICROSOFT &&
	    (type == RAD_MS_MPPE_SEND_KEY || type == RAD_MS_MPPE_RECV_KEY))
		return 2;
	return 0;
}

bool rad_attr_has_tag(uint32_t vendor, uint32_t type, struct dict_attr const *da)
{
	if (da) return da->has_tag;
	return vendor == 0 && type == RAD_ATTR_TUNNEL_PASSWORD;
}

void rad_vsa_format_get(struct dict const *dict, uint32_t pen, struct rad_vsa_format *fmt)
{
	struct dict_vendor const *dv = dict ? dict_vendor_by_pen(dict, pen) : NULL;

	fmt->type_size = 1;
	fmt->length_size = 1;
	fmt->continuation = false;
	if (!dv) return;
	if (dv->type_size == 1 || dv->type_size == 2 || dv->type_size == 4)
		fmt->type_size = dv->type_size;
	if (dv->length_size <= 2) fmt->length_size = dv->length_size;
	fmt->continuation = dv->continuation && fmt->length_size == 1;
}
