/*
 * What the tunneled methods (EAP-TTLS, PEAP) need from the server to check inner credentials,
 * without depending on the configuration layer: a lookup callback that returns a user's
 * stored credentials (from the users file).
 */
#ifndef LATCHD_METHODS_INNER_H
#define LATCHD_METHODS_INNER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct inner_creds {
	char const *cleartext;		/* Cleartext-Password, or NULL */
	size_t cleartext_len;
	bool has_nt_hash;
	uint8_t nt_hash[16];		/* NT-Password */
	bool reject;			/* Auth-Type := Reject */
	bool accept;			/* Auth-Type := Accept (no password check) */
};

struct inner_lookup {
	/* Fill *out for the inner user name; 0 when the user is known, -1 when not. */
	int (*lookup)(void const *ctx, char const *user, size_t len, struct inner_creds *out);
	void const *ctx;
};

#endif
