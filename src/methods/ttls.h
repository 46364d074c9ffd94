/*
 * EAP-TTLSv0 (RFC 5281; RFC 9427 for TLS 1.3) as an EAP method, with inner PAP, CHAP,
 * MS-CHAP and MS-CHAPv2. Its configuration is a struct tls_method_conf.
 */
#ifndef LATCHD_METHODS_TTLS_H
#define LATCHD_METHODS_TTLS_H

#include "methods/tls_engine.h"

extern struct eap_method const ttls_method;

#endif
