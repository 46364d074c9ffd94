/*
 * EAP-TLS (RFC 5216; RFC 9190 for TLS 1.3) as an EAP method (eap/eap_method.h).
 */
#ifndef LATCHD_METHODS_EAP_TLS_H
#define LATCHD_METHODS_EAP_TLS_H

#include <stddef.h>

#include "eap/eap_method.h"
#include "tls/tls.h"

/* The method's configuration (the `conf` of its eap_method_entry). */
struct eap_tls_conf {
	struct tls_server *tls;		/* built once per configuration */
	size_t max_message;		/* reassembly cap of one TLS message */
};

extern struct eap_method const eap_tls_method;

#endif
