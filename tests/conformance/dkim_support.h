/*
 * dkim_support.h: what the DKIM conformance drivers (dkim_*.c) share
 * beyond suite.h (counting, reporting, suite files): line-ending
 * conversion, one-call verification and result sets. Static functions:
 * each driver is one program.
 */
#ifndef INKAN_TESTS_DKIM_SUPPORT_H
#define INKAN_TESTS_DKIM_SUPPORT_H

#include <stdio.h>
#include <string.h>

#include <inkan/inkan.h>

#include "suite.h"

/* Appends p[0..n) to out with every bare LF made CRLF. */
static inline enum inkan_status
dkim_to_crlf(const uint8_t *p, size_t n, struct inkan_buf *out)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (p[i] == '\n' && (i == 0 || p[i - 1] != '\r'))
			inkan_buf_append_byte(out, '\r');
		inkan_buf_append_byte(out, p[i]);
	}
	return out->err;
}

/*
 * Verifies p[0..n) with dkim, fed in chunks of chunk bytes (0: at once),
 * and leaves the verifier in *v_r (free it). Returns feed's or finish's
 * status.
 */
static inline enum inkan_status
dkim_verify_bytes(struct inkan_dkim *dkim, const uint8_t *p, size_t n,
    unsigned flags, size_t chunk, struct inkan_dkim_verify **v_r)
{
	enum inkan_status st;
	size_t off = 0, k;

	if ((st = inkan_dkim_verify_new(dkim, flags, v_r)) != INKAN_OK)
		return st;
	if (chunk == 0)
		chunk = n > 0 ? n : 1;
	while (off < n) {
		k = n - off < chunk ? n - off : chunk;
		if ((st = inkan_dkim_verify_feed(*v_r, p + off, k)) != INKAN_OK)
			return st;
		off += k;
	}
	return inkan_dkim_verify_finish(*v_r);
}

/* A set of results, for checks whose RFC allows more than one. */
#define DKIM_R(r) (1u << (unsigned)(r))

/* "pass|fail" for a set, into buf. */
static inline const char *
dkim_result_set_name(unsigned set, char *buf, size_t size)
{
	size_t len = 0;
	unsigned r;

	buf[0] = '\0';
	for (r = INKAN_DKIM_NONE; r <= INKAN_DKIM_PERMERROR; r++) {
		if ((set & DKIM_R(r)) == 0)
			continue;
		len += (size_t)snprintf(buf + len, size - len, "%s%s",
		    len > 0 ? "|" : "",
		    inkan_dkim_result_name((enum inkan_dkim_result)r));
		if (len >= size)
			break;
	}
	return buf;
}

#endif
