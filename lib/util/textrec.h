/*
 * textrec.h: two readers shared by the parsers of the "name=value;"
 * TXT records of MTA-STS (RFC 8461 3.1) and TLS-RPT (RFC 8460 3), whose
 * grammars use the same white space and the same extension-name rule.
 * Private to lib/.
 */
#ifndef INKAN_UTIL_TEXTREC_H
#define INKAN_UTIL_TEXTREC_H

#include <stddef.h>
#include <stdint.h>

/* The index of the first byte at or after p[i] that is not SP or HTAB. */
size_t textrec_skip_wsp(const uint8_t *p, size_t i, size_t len);

/*
 * RFC 8461 3.1 sts-ext-name, 3.2 sts-policy-ext-name and RFC 8460 3
 * tlsrpt-ext-name: a letter or digit, then up to 31 more of letters,
 * digits, "_", "-" and ".". Returns the length of the name at p[i..), or
 * 0 when there is none or it is longer than 32.
 */
size_t textrec_ext_name(const uint8_t *p, size_t i, size_t len);

#endif
