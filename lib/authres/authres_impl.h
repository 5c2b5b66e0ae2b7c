/*
 * authres_impl.h: what parse.c and build.c share inside lib/authres.
 */
#ifndef INKAN_AUTHRES_IMPL_H
#define INKAN_AUTHRES_IMPL_H

#include <inkan/util.h>

/* RFC 2045 5.1 token character: any CHAR except SP, CTLs and tspecials. */
bool authres_is_token_char(uint8_t c);

/*
 * inkan_authres_authserv_id() for a reader that also needs the results:
 * the value must go on (RFC 8601 2.2) [CFWS authres-version] [CFWS] ";",
 * and *rest_r is then the offset in input of what follows that ';' (the
 * resinfo list, or "none"). Used by lib/arc's sealer and verifier.
 */
enum inkan_status authres_read_head(const void *input, size_t len,
    unsigned flags, struct inkan_buf *id_out, unsigned *instance_r,
    size_t *rest_r);

#endif
