/*
 * Hex text <-> octets, and wiping memory that held secrets.
 */
#ifndef LATCHD_UTIL_HEX_H
#define LATCHD_UTIL_HEX_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Write 2*len hex digits plus NUL into out (cap >= 2*len+1). Returns digits written. */
size_t hex_encode(char *out, size_t cap, uint8_t const *in, size_t len);

/* Parse hex digits (no prefix, even count) into out. Returns octets or -1 if malformed/too long. */
ssize_t hex_decode(uint8_t *out, size_t cap, char const *in, size_t len);

/* Overwrite memory that held a secret; not optimised away. */
void mem_wipe(void *p, size_t len);

#endif
