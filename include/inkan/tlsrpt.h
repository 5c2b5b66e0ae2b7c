/*
 * inkan/tlsrpt.h: the SMTP TLS Reporting policy record (RFC 8460 3).
 *
 * A domain that wants reports about TLS failures of mail sent to it
 * publishes a TXT record at _smtp._tls.<domain>:
 *
 *	v=TLSRPTv1; rua=mailto:tls-reports@example.com,https://r.example/t
 *
 * This module looks it up and parses it.
 *
 *	struct inkan_tlsrpt_record *rec = NULL;
 *	struct inkan_tlsrpt_error err;
 *	size_t i;
 *
 *	if (inkan_tlsrpt_record_parse(txt, len, NULL, &rec, &err) != INKAN_OK)
 *		return;			// err.message says why
 *	for (i = 0; i < rec->nrua; i++)
 *		if (rec->rua[i].scheme == INKAN_TLSRPT_MAILTO)
 *			send_to(rec->rua[i].target);
 *	inkan_tlsrpt_record_free(&rec);
 */
#ifndef INKAN_TLSRPT_H
#define INKAN_TLSRPT_H

#include <inkan/common.h>
#include <inkan/dns.h>
#include <inkan/limits.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Why a record was refused: one sentence, and where. */
struct inkan_tlsrpt_error {
	size_t offset; /* byte offset in the record */
	char message[160];
};

/* RFC 8460 3: reports go by mail or by HTTPS POST. */
enum inkan_tlsrpt_scheme {
	INKAN_TLSRPT_OTHER = 0, /* a valid URI of another scheme: unusable */
	INKAN_TLSRPT_MAILTO,
	INKAN_TLSRPT_HTTPS,
};

struct inkan_tlsrpt_uri {
	const char *uri; /* as written */
	enum inkan_tlsrpt_scheme scheme;
	/* mailto: the address (percent-decoding left to the sender);
	   https: the host; other: the part after the scheme's ":". */
	const char *target;
	/* mailto: the address is local@domain; https: a host is present.
	   False marks a rua the reporter cannot use. */
	bool usable;
};

/*
 * A parsed record. Owned by the caller, freed with
 * inkan_tlsrpt_record_free(); every string belongs to it.
 */
struct inkan_tlsrpt_record {
	size_t nrua; /* at least 1 */
	const struct inkan_tlsrpt_uri *rua;
	unsigned extensions; /* other fields seen (and ignored) */
};

/*
 * True when a TXT record is meant as a TLS-RPT record: it begins with
 * "v=TLSRPTv1" and a ";" (RFC 8460 3: of several TXT records, those
 * that do not are discarded; if not exactly one is left, the domain has
 * no TLS-RPT).
 */
INKAN_API bool inkan_tlsrpt_record_is_tlsrpt(const void *text, size_t len);

/*
 * Parses one TXT record (strings joined): "v=TLSRPTv1" first, then
 * ";"-separated fields, of which "rua" is required once, holding one or
 * more URIs separated by ","; extension fields are checked against the
 * grammar and ignored. A URI of an unknown scheme parses (scheme
 * INKAN_TLSRPT_OTHER) so that a checker can name it. limits (NULL:
 * defaults) bounds the record (tlsrpt_record_max) and the URIs
 * (tlsrpt_rua_max). Returns INKAN_OK, INKAN_ERR_SYNTAX or INKAN_ERR_LIMIT
 * with err_r (may be NULL) saying why, or INKAN_ERR_NOMEM.
 */
INKAN_API enum inkan_status inkan_tlsrpt_record_parse(const void *text,
    size_t len, const struct inkan_limits *limits,
    struct inkan_tlsrpt_record **rec_r, struct inkan_tlsrpt_error *err_r);

INKAN_API void inkan_tlsrpt_record_free(struct inkan_tlsrpt_record **rec);

/*
 * What looking for a domain's TLS-RPT record came to. For a sender,
 * SEVERAL and INVALID mean "no TLS-RPT" exactly as NONE does (RFC 8460
 * 3: unless exactly one record is left and it parses, there is no policy
 * to report to); they are told apart so that a checker can say what the
 * domain got wrong.
 */
enum inkan_tlsrpt_lookup_status {
	/* No record begins with "v=TLSRPTv1;" (or no TXT at all). */
	INKAN_TLSRPT_LOOKUP_NONE = 0,
	INKAN_TLSRPT_LOOKUP_FOUND,
	INKAN_TLSRPT_LOOKUP_TEMPERROR, /* SERVFAIL, timeout */
	/* More than one record begins with "v=TLSRPTv1;": none counts. */
	INKAN_TLSRPT_LOOKUP_SEVERAL,
	/* Exactly one does, and it does not parse or is longer than
	   tlsrpt_record_max (err_r says why). */
	INKAN_TLSRPT_LOOKUP_INVALID,
};

/*
 * Looks up TXT at _smtp._tls.<domain> through r and applies RFC 8460 3:
 * records that do not begin with "v=TLSRPTv1;" are discarded; exactly one
 * must be left, and it must parse. Sets *status_r, and on FOUND *rec_r
 * (freed with inkan_tlsrpt_record_free()); err_r (may be NULL) says why
 * for every status but FOUND. Returns INKAN_OK whenever a status was
 * produced; INKAN_ERR_SYNTAX when domain is not a host name;
 * INKAN_ERR_NOMEM; the resolver's errors.
 */
INKAN_API enum inkan_status inkan_tlsrpt_record_lookup(struct inkan_resolver *r,
    const char *domain, const struct inkan_limits *limits,
    struct inkan_tlsrpt_record **rec_r,
    enum inkan_tlsrpt_lookup_status *status_r,
    struct inkan_tlsrpt_error *err_r);

/*
 * As inkan_tlsrpt_record_lookup(), and for FOUND and INVALID appends the
 * record's text (its strings joined, raw: it may hold any byte) to text
 * (may be NULL), so that a checker can show the record it judged; a
 * record longer than tlsrpt_record_max, or than text's maximum, is not
 * appended. Same returns.
 */
INKAN_API enum inkan_status inkan_tlsrpt_record_lookup_text(
    struct inkan_resolver *r, const char *domain,
    const struct inkan_limits *limits, struct inkan_tlsrpt_record **rec_r,
    enum inkan_tlsrpt_lookup_status *status_r, struct inkan_buf *text,
    struct inkan_tlsrpt_error *err_r);

#ifdef __cplusplus
}
#endif

#endif
