/*
 * MD4 (RFC 1320) and single DES in ECB mode (FIPS 46-3) for MS-CHAP, taken from OpenSSL 3's
 * legacy provider loaded into a private library context that TLS never sees.
 */
#ifndef LATCHD_METHODS_LEGACY_CRYPTO_H
#define LATCHD_METHODS_LEGACY_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Load the legacy provider (once per process, thread-safe). Returns 0, or -1 with err_msg()
 * naming what is missing. Every function below calls it; calling it early (at start-up)
 * turns a missing provider into a configuration error instead of a failed login.
 */
int legacy_crypto_init(void);

/* out = MD4(in). Returns 0 or -1 with err_msg() set. */
int legacy_md4(uint8_t out[16], uint8_t const *in, size_t len);

/*
 * out = DES-ECB(key, clear) where the 56 key bits are given as 7 octets and spread into an
 * 8-octet DES key (the parity bits are ignored by DES). RFC 2759 8.6 DesEncrypt(),
 * RFC 2433 A.6. Returns 0 or -1 with err_msg() set.
 */
int legacy_des_encrypt(uint8_t out[8], uint8_t const key7[7], uint8_t const clear[8]);

#endif
