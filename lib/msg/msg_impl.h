/*
 * msg_impl.h: lexing shared by the RFC 5322 address parser (address.c)
 * and the RFC 5321 path parser (path.c). Private to lib/msg.
 *
 * The two grammars differ (RFC 5321 paths have no comments and no folding
 * white space, and a stricter domain), so only what is truly the same is
 * here: UTF-8 validation, the conversion of a domain to the lowercase
 * A-label form that DNS, SPF and DMARC use, and a byte count (also used by
 * from.c).
 */
#ifndef INKAN_MSG_IMPL_H
#define INKAN_MSG_IMPL_H

#include <string.h>

#include <inkan/util.h>

/* How many bytes b s[0..len) holds. */
static inline size_t
msg_count_byte(const uint8_t *s, size_t len, uint8_t b)
{
	const uint8_t *q, *end = s + len;
	size_t n = 0;

	while (s < end && (q = memchr(s, b, (size_t)(end - s))) != NULL) {
		n++;
		s = q + 1;
	}
	return n;
}

/*
 * Length (2 to 4) of the well-formed UTF8-non-ascii sequence (RFC 3629 4,
 * as RFC 6532 3.1 uses it) at p[0..n), or 0 if p[0] does not start one:
 * no overlong forms, no surrogates, nothing above U+10FFFF.
 */
size_t msg_lex_utf8_len(const uint8_t *p, size_t n);

/* Longest domain as written that msg_lex_domain_alabel() converts. */
#define MSG_LEX_DOMAIN_IN_MAX 1024

/* msg_lex_domain_alabel() found U-labels or xn-- A-labels. */
#define MSG_LEX_DOMAIN_IDN 1u

/*
 * Converts dom[0..len), a domain as written (labels of ASCII and UTF-8
 * separated by '.'), to its DNS form: ASCII letters lowercased, each label
 * letters, digits and hyphens with no hyphen at either end and at most 63
 * octets (RFC 1123 2.1, RFC 1035 2.3.4); if any label is non-ASCII or
 * starts with "xn--", the whole name goes through libidn2 (IDNA2008 with
 * TR46 non-transitional mapping) and its answer is checked the same way.
 *
 * Writes at most max (<= outcap - 1) octets and a NUL to out, sets
 * *outlen_r and ORs MSG_LEX_DOMAIN_IDN into *info_r when libidn2 was
 * needed. Returns INKAN_OK; INKAN_ERR_SYNTAX, or INKAN_ERR_LIMIT when the
 * result is longer than max, with *why_r a static English reason.
 * INKAN_ERR_NOMEM if libidn2 runs out of memory.
 */
enum inkan_status msg_lex_domain_alabel(const uint8_t *dom, size_t len,
    size_t max, char *out, size_t outcap, size_t *outlen_r, unsigned *info_r,
    const char **why_r);

#endif
