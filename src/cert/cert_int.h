/*
 * Private helpers shared by the files of src/cert (not for other layers).
 */
#ifndef LATCHD_CERT_CERT_INT_H
#define LATCHD_CERT_CERT_INT_H

#include <openssl/x509v3.h>

/*
 * The kind and value of a subjectAltName entry: "email", "DNS", "URI", "UPN" (Microsoft
 * otherName 1.3.6.1.4.1.311.20.2.3 holding a UTF8String) with *s set to the string, "IP" with
 * *s set to the 4 or 16 address octets, or "other" with *s NULL.
 */
char const *cert_san_get(GENERAL_NAME const *g, ASN1_STRING const **s);

#endif
