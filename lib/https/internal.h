/*
 * lib/https/internal.h: what url.c and https.c share, not exported.
 */
#ifndef INKAN_HTTPS_INTERNAL_H
#define INKAN_HTTPS_INTERNAL_H

#include <inkan/https.h>

/* A resolve override split into its parts (views into the string). */
struct https_resolve {
	struct inkan_view host;
	struct inkan_view port;
	struct inkan_view address; /* "[...]" kept for IPv6 */
	struct inkan_view address_port; /* the port when it is absent */
};

/* Writes one sentence into reason (INKAN_HTTPS_REASON_MAX bytes), if not
   NULL; returns st. */
enum inkan_status https_reason(char *reason, enum inkan_status st,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Splits and checks "host:port:address[:port]"; INKAN_ERR_INVAL with
   reason set when it is malformed. */
enum inkan_status https_resolve_parse(
    const char *s, struct https_resolve *r, char *reason);

#endif
