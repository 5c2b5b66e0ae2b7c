/*
 * inkan/mtasts.h: SMTP MTA Strict Transport Security (RFC 8461).
 *
 * A domain that publishes MTA-STS has two parts: a TXT record at
 * _mta-sts.<domain> ("v=STSv1; id=20260101T000000;") that says a policy
 * exists and which version of it is current, and the policy itself,
 * served over HTTPS at https://mta-sts.<domain>/.well-known/mta-sts.txt:
 *
 *	version: STSv1
 *	mode: enforce
 *	mx: mail.example.com
 *	mx: *.example.net
 *	max_age: 604800
 *
 * This module looks the record up, fetches the policy over HTTPS (through
 * lib/https, inkan_mtasts_policy_fetch()), parses both, and matches MX host
 * names against a policy. A caller that fetched the policy itself hands
 * the response to inkan_mtasts_policy_from_response().
 *
 *	struct inkan_mtasts_record rec;
 *	struct inkan_mtasts_policy *pol = NULL;
 *	struct inkan_mtasts_error err;
 *
 *	if (inkan_mtasts_record_parse(txt, txt_len, &rec, &err) != INKAN_OK)
 *		return;			// err.message says why: no MTA-STS
 *	if (inkan_mtasts_policy_from_response(http_status, content_type,
 *	    body, body_len, NULL, &pol, &err) != INKAN_OK)
 *		return;			// the policy cannot be used
 *	if (pol->mode == INKAN_MTASTS_ENFORCE &&
 *	    !inkan_mtasts_policy_matches(pol, "mx1.example.com"))
 *		...			// do not deliver to this MX
 *	inkan_mtasts_policy_free(&pol);
 */
#ifndef INKAN_MTASTS_H
#define INKAN_MTASTS_H

#include <inkan/common.h>
#include <inkan/dns.h>
#include <inkan/limits.h>
#include <inkan/util.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Why a record or a policy was refused: one sentence, and where. */
struct inkan_mtasts_error {
	size_t offset; /* byte offset in the input */
	char message[160];
};

/* ---- the _mta-sts TXT record (RFC 8461 3.1) --------------------------- */

/* RFC 8461 3.1: id is 1 to 32 letters and digits. */
#define INKAN_MTASTS_ID_MAX 32

struct inkan_mtasts_record {
	char id[INKAN_MTASTS_ID_MAX + 1]; /* NUL-terminated */
	unsigned extensions; /* other fields seen (and ignored) */
};

/*
 * Parses one TXT record (its strings already joined) as an MTA-STS
 * record: "v=STSv1" first, then ";"-separated fields, of which "id" is
 * required once; extension fields are checked against the grammar and
 * ignored. Returns INKAN_OK, or INKAN_ERR_SYNTAX with err (may be NULL)
 * saying what is wrong and where. Fills *rec_r only on success.
 */
INKAN_API enum inkan_status inkan_mtasts_record_parse(const void *text,
    size_t len, struct inkan_mtasts_record *rec_r,
    struct inkan_mtasts_error *err_r);

/*
 * True when a TXT record is meant as an MTA-STS record: it begins with
 * "v=STSv1;" (RFC 8461 3.1: of several TXT records, those that do not are
 * discarded; if not exactly one is left, the domain has no MTA-STS).
 */
INKAN_API bool inkan_mtasts_record_is_sts(const void *text, size_t len);

/*
 * What looking for a domain's MTA-STS record came to. For a sender,
 * SEVERAL and INVALID mean "no MTA-STS" exactly as NONE does (RFC 8461
 * 3.1: unless exactly one record is left and it parses, the domain has
 * no MTA-STS); they are told apart so that a checker can say what the
 * domain got wrong.
 */
enum inkan_mtasts_lookup_status {
	/* No record begins with "v=STSv1;" (or no TXT at all). */
	INKAN_MTASTS_LOOKUP_NONE = 0,
	INKAN_MTASTS_LOOKUP_FOUND,
	/* The lookup failed temporarily (SERVFAIL, timeout): a sender keeps
	   using a cached policy, if it has one (RFC 8461 5). */
	INKAN_MTASTS_LOOKUP_TEMPERROR,
	/* More than one record begins with "v=STSv1;": none counts. */
	INKAN_MTASTS_LOOKUP_SEVERAL,
	/* Exactly one does, and it does not parse (err_r says why). */
	INKAN_MTASTS_LOOKUP_INVALID,
};

/*
 * Looks up TXT at _mta-sts.<domain> through r and applies RFC 8461 3.1:
 * records that do not begin with "v=STSv1;" are discarded; exactly one
 * must be left, and it must parse. domain is a host name, any case, one
 * trailing dot allowed. Sets *status_r, and on FOUND *rec_r; err_r (may be
 * NULL) says why for every status but FOUND. Returns INKAN_OK whenever a
 * status was produced; INKAN_ERR_SYNTAX (err_r says why) when domain is
 * not a host name (empty, a leading dot, an empty label, too long);
 * INKAN_ERR_NOMEM; the resolver's errors.
 */
INKAN_API enum inkan_status inkan_mtasts_record_lookup(struct inkan_resolver *r,
    const char *domain, struct inkan_mtasts_record *rec_r,
    enum inkan_mtasts_lookup_status *status_r,
    struct inkan_mtasts_error *err_r);

/*
 * As inkan_mtasts_record_lookup(), and for FOUND and INVALID appends the
 * record's text (its strings joined, raw: it may hold any byte) to text
 * (may be NULL), so that a checker can show the record it judged; past
 * text's maximum nothing is appended (text's sticky error is set; the
 * status is not affected). Same returns.
 */
INKAN_API enum inkan_status inkan_mtasts_record_lookup_text(
    struct inkan_resolver *r, const char *domain,
    struct inkan_mtasts_record *rec_r,
    enum inkan_mtasts_lookup_status *status_r, struct inkan_buf *text,
    struct inkan_mtasts_error *err_r);

/* ---- the policy file (RFC 8461 3.2) ------------------------------------ */

enum inkan_mtasts_mode {
	INKAN_MTASTS_NONE = 0, /* "none": the domain withdraws its policy */
	INKAN_MTASTS_TESTING, /* "testing": report failures, deliver anyway */
	INKAN_MTASTS_ENFORCE, /* "enforce": no delivery without valid TLS */
};

/* "none", "testing", "enforce": static, never NULL. */
INKAN_API const char *inkan_mtasts_mode_name(enum inkan_mtasts_mode m);

/* RFC 8461 3.2: max_age is at most 31557600 seconds (about a year). */
#define INKAN_MTASTS_MAX_AGE_MAX 31557600u

/*
 * A parsed policy. Owned by the caller, freed with
 * inkan_mtasts_policy_free(); every string belongs to it.
 */
struct inkan_mtasts_policy {
	enum inkan_mtasts_mode mode;
	uint32_t max_age; /* seconds, <= INKAN_MTASTS_MAX_AGE_MAX */
	/* The mx patterns in the order written, lowercase, without a
	   trailing dot: "mail.example.com" or "*.example.net". */
	size_t nmx;
	const char *const *mx;
	unsigned extensions; /* other fields seen (and ignored) */
};

/*
 * Parses a policy body: lines "key: value" ended by LF or CRLF (RFC 8461
 * 3.2, erratum 6253), in any order. version (STSv1), mode and max_age
 * are required exactly once; mx at least once unless the mode is none;
 * unknown fields are checked against the extension grammar and ignored.
 * limits (NULL: defaults) bounds the body (mtasts_policy_max) and the
 * number of mx patterns (mtasts_mx_max). Returns INKAN_OK,
 * INKAN_ERR_SYNTAX or INKAN_ERR_LIMIT with err_r (may be NULL) saying
 * why, or INKAN_ERR_NOMEM.
 */
INKAN_API enum inkan_status inkan_mtasts_policy_parse(const void *body,
    size_t len, const struct inkan_limits *limits,
    struct inkan_mtasts_policy **pol_r, struct inkan_mtasts_error *err_r);

/*
 * Checks an HTTPS response for the policy as RFC 8461 3.3 asks, then
 * parses its body: the status must be 200 (redirects are not followed,
 * so a 3xx fails too), the media type "text/plain" (parameters ignored;
 * content_type NULL when the response had none, which fails), and the
 * body no larger than mtasts_policy_max. Returns as
 * inkan_mtasts_policy_parse(), with INKAN_ERR_SYNTAX for a bad status or
 * media type.
 */
INKAN_API enum inkan_status inkan_mtasts_policy_from_response(int status,
    const char *content_type, const void *body, size_t len,
    const struct inkan_limits *limits, struct inkan_mtasts_policy **pol_r,
    struct inkan_mtasts_error *err_r);

INKAN_API void inkan_mtasts_policy_free(struct inkan_mtasts_policy **pol);

/*
 * RFC 8461 4.1: true if host (an MX host name, any case, one trailing dot
 * allowed) matches pattern: equal, or pattern is "*.<rest>" and host is
 * exactly one label followed by ".<rest>". "*.example.com" matches
 * "mx.example.com", not "example.com" nor "a.b.example.com".
 */
INKAN_API bool inkan_mtasts_mx_match(const char *pattern, const char *host);

/* True if host matches any of pol's mx patterns. */
INKAN_API bool inkan_mtasts_policy_matches(
    const struct inkan_mtasts_policy *pol, const char *host);

/* The policy's URL for domain, "https://mta-sts.<domain>/.well-known/
   mta-sts.txt", appended to out (RFC 8461 3.3). */
INKAN_API enum inkan_status inkan_mtasts_policy_url(
    const char *domain, struct inkan_buf *out);

/* ---- fetching the policy (RFC 8461 3.3) ------------------------------- */

struct inkan_https_options; /* inkan/https.h */

/*
 * Fetches domain's policy from https://mta-sts.<domain>/.well-known/
 * mta-sts.txt with inkan_https_get() (HTTPS only, a certificate valid for
 * mta-sts.<domain> chaining to a trusted root, no redirects, a total
 * timeout), then checks and parses the answer with
 * inkan_mtasts_policy_from_response(). domain is a host name in A-labels,
 * any case, one trailing dot allowed. https (NULL: the defaults of
 * inkan_https_options_init() with limits) gives the CA file, resolve
 * override, timeout and User-Agent; its body_max is replaced by
 * limits->mtasts_policy_max (limits NULL: the defaults). Blocks for at
 * most the timeout. On success *pol_r is the caller's (free it with
 * inkan_mtasts_policy_free()). Returns INKAN_OK; INKAN_ERR_INVAL when
 * domain is not a host name or the options are bad; INKAN_ERR_IO when
 * the fetch failed (DNS, connect, TLS, certificate, timeout, redirect);
 * INKAN_ERR_LIMIT for a policy over mtasts_policy_max; INKAN_ERR_SYNTAX
 * for a status other than 200, a media type other than text/plain or a
 * policy that does not parse; INKAN_ERR_NOMEM; INKAN_ERR_UNSUPPORTED when
 * libcurl cannot do HTTPS. err_r (may be NULL) says why in one sentence.
 */
INKAN_API enum inkan_status inkan_mtasts_policy_fetch(const char *domain,
    const struct inkan_https_options *https, const struct inkan_limits *limits,
    struct inkan_mtasts_policy **pol_r, struct inkan_mtasts_error *err_r);

#ifdef __cplusplus
}
#endif

#endif
