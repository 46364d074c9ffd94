/*
 * EAP-TLS (RFC 5216; RFC 9190 for TLS 1.3) as an EAP method (eap/eap_method.h). Its
 * configuration is a struct tls_method_conf (methods/tls_engine.h).
 */
#ifndef LATCHD_METHODS_EAP_TLS_H
#define LATCHD_METHODS_EAP_TLS_H

#include "methods/tls_engine.h"

extern struct eap_method const eap_tls_method;

#endif
