/*
 * Inner password checks for TTLS and PEAP: MS-CHAPv2 (RFC 2759) with its MPPE keys
 * (RFC 3079 3), MS-CHAPv1 NT-Response (RFC 2433) and CHAP (RFC 1994), plus the RADIUS
 * vendor attribute layouts that carry them (RFC 2548 2.1-2.3).
 *
 * Every function here is pure computation on caller buffers (no allocation, no logging).
 * Results that are secrets (NT hashes, master keys, MSKs) must be wiped by the caller with
 * mem_wipe() once used. MD4 and DES come from legacy_crypto.h; when OpenSSL's legacy
 * provider is missing, MS-CHAP functions fail (-1 / MSCHAP_ERROR) and err_msg() says so.
 */
#ifndef LATCHD_METHODS_MSCHAP_H
#define LATCHD_METHODS_MSCHAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define MSCHAP_NT_HASH_LEN 16		/* NtPasswordHash, NT-Password */
#define MSCHAP_V1_CHALLENGE_LEN 8	/* RFC 2433 challenge, RFC 2759 ChallengeHash */
#define MSCHAP_V2_CHALLENGE_LEN 16	/* RFC 2759 Authenticator- and Peer-Challenge */
#define MSCHAP_NT_RESPONSE_LEN 24
#define MSCHAP_V2_AUTH_RESPONSE_LEN 42	/* "S=" + 40 upper-case hex digits */
#define MSCHAP_V2_MASTER_KEY_LEN 16	/* RFC 3079 3.4 GetMasterKey */
#define MSCHAP_V2_MPPE_KEY_LEN 16	/* 128-bit start keys, RFC 3079 3.3 */
#define MSCHAP_V2_MSK_LEN 32		/* MasterReceiveKey || MasterSendKey */
#define MSCHAP_PASSWORD_MAX 256		/* RFC 2759 8.1: 0-to-256-unicode-char Password */
#define MSCHAP_USER_NAME_MAX 1024	/* octets; RFC 2759 says 256 chars, UTF-8 is longer */
#define CHAP_RESPONSE_LEN 16		/* MD5 output, RFC 1994 4.1 */

/* Outcome of a check: the peer's answer matched, did not, or we could not compute it. */
enum mschap_verdict {
	MSCHAP_MATCH,
	MSCHAP_MISMATCH,	/* wrong password (or a malformed answer) */
	MSCHAP_ERROR,		/* no usable credential, or crypto unavailable: err_msg() says */
};

char const *mschap_verdict_name(enum mschap_verdict v);

/*
 * The user's stored credential (from the users file): an NT hash (NT-Password), a clear
 * password (Cleartext-Password, UTF-8), or both. MS-CHAP prefers the NT hash and otherwise
 * computes it from the clear password; CHAP needs the clear password.
 */
struct mschap_cred {
	char const *cleartext;		/* NULL if none */
	size_t cleartext_len;
	uint8_t const *nt_hash;		/* MSCHAP_NT_HASH_LEN octets, or NULL if none */
};

/* --- Building blocks (RFC 2759 8, RFC 2433 A), exposed for tests and the peer side --- */

/* NtPasswordHash: MD4 of the UTF-8 password converted to UTF-16LE (RFC 2759 8.3). Invalid
 * UTF-8 or more than MSCHAP_PASSWORD_MAX UTF-16 units fail with -1. */
int mschap_nt_hash(uint8_t out[MSCHAP_NT_HASH_LEN], char const *pw, size_t pw_len);

/* HashNtPasswordHash: MD4 of the NT hash (RFC 2759 8.4). */
int mschap_nt_hash_hash(uint8_t out[MSCHAP_NT_HASH_LEN],
			uint8_t const nt_hash[MSCHAP_NT_HASH_LEN]);

/* The NT hash of a credential: the stored one, else computed from the clear password. */
int mschap_cred_nt_hash(uint8_t out[MSCHAP_NT_HASH_LEN], struct mschap_cred const *cred);

/* Drop a "DOMAIN\" prefix (up to the first backslash) from a user name, as RFC 2759 8.2
 * requires for ChallengeHash. */
void mschap_user_name_strip(char const **name, size_t *len);

/* ChallengeHash: first 8 octets of SHA1(peer || auth || user name without domain). */
int mschapv2_challenge_hash(uint8_t out[MSCHAP_V1_CHALLENGE_LEN],
			    uint8_t const peer_challenge[MSCHAP_V2_CHALLENGE_LEN],
			    uint8_t const auth_challenge[MSCHAP_V2_CHALLENGE_LEN],
			    char const *user, size_t user_len);

/* ChallengeResponse: the 8-octet challenge DES-encrypted under the three 7-octet pieces of
 * the NT hash padded with zeros to 21 octets (RFC 2759 8.5, RFC 2433 A.5). */
int mschap_challenge_response(uint8_t out[MSCHAP_NT_RESPONSE_LEN],
			      uint8_t const challenge[MSCHAP_V1_CHALLENGE_LEN],
			      uint8_t const nt_hash[MSCHAP_NT_HASH_LEN]);

/* The inputs of one MS-CHAPv2 exchange. user is the name the peer sent (with or without
 * a DOMAIN\ prefix; the prefix is not hashed). */
struct mschapv2_exchange {
	uint8_t const *auth_challenge;	/* MSCHAP_V2_CHALLENGE_LEN, ours */
	uint8_t const *peer_challenge;	/* MSCHAP_V2_CHALLENGE_LEN, the peer's */
	char const *user;
	size_t user_len;
};

/* GenerateNTResponse (RFC 2759 8.1). */
int mschapv2_nt_response(uint8_t out[MSCHAP_NT_RESPONSE_LEN], struct mschapv2_exchange const *x,
			 uint8_t const nt_hash[MSCHAP_NT_HASH_LEN]);

/* GenerateAuthenticatorResponse (RFC 2759 8.7): "S=" + 40 upper-case hex + NUL into out. */
int mschapv2_auth_response(char out[MSCHAP_V2_AUTH_RESPONSE_LEN + 1],
			   struct mschapv2_exchange const *x,
			   uint8_t const nt_hash[MSCHAP_NT_HASH_LEN],
			   uint8_t const nt_response[MSCHAP_NT_RESPONSE_LEN]);

/* --- Verification (server side) --- */

/* What a successful MS-CHAPv2 check yields. Wipe it (mem_wipe) when done. */
struct mschapv2_result {
	char auth_response[MSCHAP_V2_AUTH_RESPONSE_LEN + 1];	/* for the Success message */
	uint8_t master_key[MSCHAP_V2_MASTER_KEY_LEN];		/* RFC 3079 3.4 */
};

/*
 * Check the peer's NT-Response (MSCHAP_NT_RESPONSE_LEN octets) against the credential in
 * constant time. On MSCHAP_MATCH, res holds the authenticator response and master key; on
 * anything else res is zeroed.
 */
enum mschap_verdict mschapv2_verify(struct mschapv2_result *res, struct mschap_cred const *cred,
				    struct mschapv2_exchange const *x, uint8_t const *nt_response);

/* MS-CHAPv1: check the NT-Response to our 8-octet challenge (RFC 2433 A.1). LM responses
 * are not supported. */
enum mschap_verdict mschapv1_verify(struct mschap_cred const *cred,
				    uint8_t const challenge[MSCHAP_V1_CHALLENGE_LEN],
				    uint8_t const *nt_response);

/* CHAP: response == MD5(ident || clear password || challenge) (RFC 1994 4.1). An empty
 * challenge is refused (MSCHAP_MISMATCH). Needs the clear password. */
enum mschap_verdict chap_verify(struct mschap_cred const *cred, uint8_t ident,
				uint8_t const *challenge, size_t challenge_len,
				uint8_t const response[CHAP_RESPONSE_LEN]);

/* --- Keys (RFC 3079 3.3, 3.4) --- */

/* GetMasterKey: first 16 octets of SHA1(HashNtPasswordHash || NT-Response || Magic1). */
int mschapv2_master_key(uint8_t out[MSCHAP_V2_MASTER_KEY_LEN],
			uint8_t const nt_hash_hash[MSCHAP_NT_HASH_LEN],
			uint8_t const nt_response[MSCHAP_NT_RESPONSE_LEN]);

/* GetAsymmetricStartKey with a 16-octet (128-bit) session key. is_send/is_server select
 * the magic constant exactly as in RFC 3079 3.4. */
int mschapv2_start_key(uint8_t out[MSCHAP_V2_MPPE_KEY_LEN],
		       uint8_t const master_key[MSCHAP_V2_MASTER_KEY_LEN], bool is_send,
		       bool is_server);

/* The server's MS-MPPE-Send-Key and MS-MPPE-Recv-Key (RFC 2548 2.4.2, 2.4.3). */
int mschapv2_mppe_keys(uint8_t send[MSCHAP_V2_MPPE_KEY_LEN], uint8_t recv[MSCHAP_V2_MPPE_KEY_LEN],
		       uint8_t const master_key[MSCHAP_V2_MASTER_KEY_LEN]);

/* EAP-MSCHAPv2's own MSK: MasterReceiveKey || MasterSendKey, seen from the server (which
 * equals the peer's MasterSendKey || MasterReceiveKey). */
int mschapv2_msk(uint8_t out[MSCHAP_V2_MSK_LEN],
		 uint8_t const master_key[MSCHAP_V2_MASTER_KEY_LEN]);

/* --- RADIUS attribute layouts (RFC 2548 2.1-2.3); the values are vendor 311 attributes --- */

/* MS-CHAP-Response (RFC 2548 2.1.3): Ident, Flags, LM-Response[24], NT-Response[24]. */
struct mschapv1_response {
	uint8_t ident;
	bool use_nt;			/* Flags bit 0: the NT-Response is valid */
	uint8_t lm_response[MSCHAP_NT_RESPONSE_LEN];
	uint8_t nt_response[MSCHAP_NT_RESPONSE_LEN];
};

/* MS-CHAP2-Response (RFC 2548 2.3.2): Ident, Flags, Peer-Challenge[16], Reserved[8],
 * Response[24]. The same 49 octets after Ident form the MS-CHAPv2 Response packet's Value
 * (RFC 2759 4). */
struct mschapv2_response {
	uint8_t ident;
	uint8_t flags;
	uint8_t peer_challenge[MSCHAP_V2_CHALLENGE_LEN];
	uint8_t nt_response[MSCHAP_NT_RESPONSE_LEN];
};

#define MSCHAP_V1_RESPONSE_ATTR_LEN 50
#define MSCHAP_V2_RESPONSE_ATTR_LEN 50

/* Decode the attribute value; -1 with err_msg() if the length is not exactly 50. */
int mschapv1_response_decode(struct mschapv1_response *out, uint8_t const *val, size_t len);
int mschapv2_response_decode(struct mschapv2_response *out, uint8_t const *val, size_t len);

/* MS-CHAP2-Success (RFC 2548 2.3.3): Ident || "S=..." (43 octets). Returns the length, or -1
 * if cap is too small. */
ssize_t mschapv2_success_encode(uint8_t *out, size_t cap, uint8_t ident,
				char const auth_response[MSCHAP_V2_AUTH_RESPONSE_LEN + 1]);

/*
 * MS-CHAP-Error (RFC 2548 2.1.5) with the RFC 2759 6 failure text:
 * Ident || "E=691 R=0 C=<32 hex> V=3 M=<message>". challenge may be NULL (no C=), message
 * NULL (no M=). Returns the length (a trailing NUL is written but not counted), or -1 if
 * cap is too small.
 */
ssize_t mschapv2_error_encode(uint8_t *out, size_t cap, uint8_t ident, unsigned error,
			      bool retry, uint8_t const *challenge, char const *message);

#endif
