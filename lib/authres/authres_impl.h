/*
 * authres_impl.h: what parse.c and build.c share inside lib/authres.
 */
#ifndef INKAN_AUTHRES_IMPL_H
#define INKAN_AUTHRES_IMPL_H

#include <inkan/util.h>

/* RFC 2045 5.1 token character: any CHAR except SP, CTLs and tspecials. */
bool authres_is_token_char(uint8_t c);

#endif
