/*
 * inkan/dmarc.h: Domain-based Message Authentication, Reporting, and
 * Conformance (RFC 9989, "DMARCbis", which obsoletes RFC 7489).
 *
 * DMARC ties the domain a reader sees, the RFC 5322.From Author Domain, to
 * the domains SPF and DKIM authenticated: a message passes when one of them
 * passed for a domain aligned with the Author Domain (RFC 9989 4.4). The
 * Author Domain's owner publishes a DMARC Policy Record at _dmarc.<domain>
 * saying what to do with mail that fails (p=, sp=, np=) and where to send
 * reports (rua=, ruf=).
 *
 * inkan finds the record and the Organizational Domain with the DNS Tree
 * Walk of RFC 9989 4.10 by default, or with RFC 7489's public suffix list
 * (libpsl) when asked, and caches records by name for their TTL, so a warm
 * evaluation does no DNS.
 *
 * Usage (the pipeline has run SPF and DKIM, and found the From domains
 * with inkan_addr_from_domains() of inkan/msg.h):
 *
 *	struct inkan_dmarc *dmarc = NULL;
 *	struct inkan_dmarc_request req = { 0 };
 *	struct inkan_dmarc_verdict *v = NULL;
 *
 *	if (inkan_dmarc_new(resolver, NULL, NULL, &dmarc) != INKAN_OK)
 *		goto out;
 *	req.from = &from;			// NULL: no From field
 *	req.spf = spf_verdict;			// NULL: SPF not run
 *	req.dkim = sigs;			// inkan_dkim_verify_results()
 *	req.ndkim = nsigs;
 *	req.ip = client_ip;			// for the report record
 *	if (inkan_dmarc_evaluate(dmarc, &req, &v) != INKAN_OK)
 *		goto out;			// out of memory, bad argument
 *	printf("dmarc=%s (%s) header.from=%s\n",
 *	    inkan_dmarc_result_name(v->result), v->reason,
 *	    v->from_domain ? v->from_domain : "");
 *	if (v->disposition == INKAN_DMARC_DISP_REJECT)
 *		...				// 550 5.7.1, if local policy
 *agrees out: inkan_dmarc_verdict_free(&v); inkan_dmarc_free(&dmarc);
 *
 * What a record says can be asked without a message:
 *
 *	struct inkan_dmarc_lookup *lk = NULL;
 *
 *	if (inkan_dmarc_lookup(dmarc, "mail.example.com", &lk) == INKAN_OK &&
 *	    lk->status == INKAN_DMARC_LOOKUP_FOUND)
 *		printf("%s at %s, org domain %s\n", lk->record_text,
 *		    lk->policy_domain, lk->org_domain);
 *	inkan_dmarc_lookup_free(&lk);
 *
 * A struct inkan_dmarc is used by one thread at a time; it borrows the
 * resolver (thread-safe, shareable). Its cache holds, per lowercase query
 * name (_dmarc.<domain>, and <policy>._report._dmarc.<host>): the one DMARC
 * record found there (for the TXT answer's TTL), or "no record" (NXDOMAIN,
 * NODATA, no v=DMARC1 string, or several: for the answer's TTL but at most
 * limits->dmarc_negative_ttl, which is also used when DNS gives no TTL).
 * TTL 0 answers and temporary errors are never cached. At most
 * limits->dmarc_cache_max names are kept; when it is full, expired entries
 * go first, then all of them. Non-existence of an Author Domain (for np=)
 * is asked of DNS each time it matters and not cached.
 *
 * Limits (struct inkan_limits): dmarc_record_max bytes of one record
 * (a longer one is ignored as "not a DMARC record" with that reason),
 * dmarc_tags_max tags (more: the same), dmarc_uris_max URIs per rua= or
 * ruf= (the rest are dropped with a warning), dmarc_from_domains_max
 * Author Domains evaluated under INKAN_DMARC_MULTI_EACH. The tree walk's
 * 8 queries are RFC 9989 4.10's, not a setting (INKAN_DMARC_TREE_WALK_MAX).
 *
 * Every string in a record, lookup or verdict is NUL-terminated and has had
 * bytes outside printable ASCII escaped as \xNN (inkan_escape of util.h)
 * when it came from DNS, so it can be printed or logged as is.
 */
#ifndef INKAN_DMARC_H
#define INKAN_DMARC_H

#include <inkan/common.h>
#include <inkan/dkim.h>
#include <inkan/dns.h>
#include <inkan/limits.h>
#include <inkan/msg.h>
#include <inkan/spf.h>
#include <inkan/util.h>

#ifdef __cplusplus
extern "C" {
#endif

/* RFC 9989 4.10: a DNS Tree Walk makes at most 8 queries. */
#define INKAN_DMARC_TREE_WALK_MAX 8

/*
 * RFC 9989 9.2 (RFC 8601 2.7.x words): the dmarc method's results.
 * NONE: no DMARC Policy Record applies (none found, a record without a
 * usable policy, or no single Author Domain: RFC 9989 5.3.1, 5.3.2).
 * TEMPERROR: a DNS query needed for the answer failed temporarily (RFC
 * 9989 5.3.6: then neither pass nor fail can be said). PERMERROR: only
 * under INKAN_DMARC_MULTI_REJECT, for a From field without a usable
 * Author Domain (a record's syntax errors are not permerrors in RFC 9989:
 * 4.8 and 4.10.1 say what is used instead).
 */
enum inkan_dmarc_result {
	INKAN_DMARC_NONE = 0,
	INKAN_DMARC_PASS,
	INKAN_DMARC_FAIL,
	INKAN_DMARC_TEMPERROR,
	INKAN_DMARC_PERMERROR,
};

/* "none", "pass", "fail", "temperror", "permerror"; static, never NULL. */
INKAN_API const char *inkan_dmarc_result_name(enum inkan_dmarc_result r);

/* RFC 9989 4.7: p=, sp=, np= (dmarc-request); ABSENT when not given (or,
 * in a record's *_written fields, given but invalid: see the flags). */
enum inkan_dmarc_policy {
	INKAN_DMARC_POLICY_ABSENT = 0,
	INKAN_DMARC_POLICY_NONE,
	INKAN_DMARC_POLICY_QUARANTINE,
	INKAN_DMARC_POLICY_REJECT,
};

/* "absent", "none", "quarantine", "reject"; static, never NULL. */
INKAN_API const char *inkan_dmarc_policy_name(enum inkan_dmarc_policy p);

/* RFC 9989 4.7 adkim=, aspf= (dmarc-rors); 3.2.10.1, 3.2.10.2. */
enum inkan_dmarc_align {
	INKAN_DMARC_ALIGN_RELAXED = 0, /* "r", the default */
	INKAN_DMARC_ALIGN_STRICT, /* "s" */
};

/* "r" or "s", as the record and RFC 9990 reports write them. */
INKAN_API const char *inkan_dmarc_align_name(enum inkan_dmarc_align a);

/* RFC 9989 4.7 psd= (dmarc-psd). */
enum inkan_dmarc_psd {
	INKAN_DMARC_PSD_U = 0, /* "u", the default: decide by tree walk */
	INKAN_DMARC_PSD_Y, /* "y": a Public Suffix Domain */
	INKAN_DMARC_PSD_N, /* "n": an Organizational Domain */
};

/* "u", "y" or "n". */
INKAN_API const char *inkan_dmarc_psd_name(enum inkan_dmarc_psd p);

/*
 * What is done with the message, in RFC 9990's ActionDispositionType
 * words: NONE no action (policy none, or no policy), PASS no action for a
 * message that passed under an enforcing policy, QUARANTINE, REJECT.
 */
enum inkan_dmarc_disposition {
	INKAN_DMARC_DISP_NONE = 0,
	INKAN_DMARC_DISP_PASS,
	INKAN_DMARC_DISP_QUARANTINE,
	INKAN_DMARC_DISP_REJECT,
};

/* "none", "pass", "quarantine", "reject". */
INKAN_API const char *inkan_dmarc_disposition_name(
    enum inkan_dmarc_disposition d);

/* ---- records ----------------------------------------------------------- */

/* fo= options (RFC 9989 4.7 dmarc-fo), OR-ed. */
enum inkan_dmarc_fo {
	INKAN_DMARC_FO_0 = 1 << 0, /* all mechanisms failed to align */
	INKAN_DMARC_FO_1 = 1 << 1, /* any mechanism failed to align */
	INKAN_DMARC_FO_D = 1 << 2, /* a DKIM signature failed */
	INKAN_DMARC_FO_S = 1 << 3, /* SPF failed */
};

/* One reporting URI of rua= or ruf= (RFC 9989 4.6, 4.8 dmarc-urilist). */
struct inkan_dmarc_uri {
	/* The URI as written, without the obsolete "!size" and without
	   surrounding white space. */
	const char *uri;
	/* The scheme, lowercase ("mailto", "https", ...). */
	const char *scheme;
	/* For mailto: the addr-spec, %XX decoded ("dmarc@example.com");
	   NULL for other schemes. */
	const char *address;
	/* For mailto: the address's domain, lowercase, no trailing dot;
	   for a URI with an authority (https://host/...): the host;
	   else NULL. The destination RFC 9990 3 authorises. */
	const char *host;
	/* RFC 9989 4.8 obs-dmarc-report-size: "!10m" gives has_size and
	   size = 10485760 (k m g t are powers of 1024); obsolete, reported
	   for information only. size is UINT64_MAX when it overflows. */
	bool has_size;
	uint64_t size;
};

/* Flags of a parsed record: what was wrong with it and what was done. */
enum inkan_dmarc_record_flags {
	/* p= absent. */
	INKAN_DMARC_REC_P_ABSENT = 1 << 0,
	/* p= present with a value that is not none/quarantine/reject. */
	INKAN_DMARC_REC_P_INVALID = 1 << 1,
	/* sp= or np= present with an invalid value. */
	INKAN_DMARC_REC_SP_INVALID = 1 << 2,
	INKAN_DMARC_REC_NP_INVALID = 1 << 3,
	/* RFC 9989 4.10.1: the record had no valid p=, or an invalid sp=
	   or np=, but rua= holds a valid URI, so it is used as p=none
	   (and sp= np= as absent). */
	INKAN_DMARC_REC_AS_P_NONE = 1 << 4,
	/* RFC 9989 4.10.1: no valid p= (or an invalid sp=/np=) and no
	   valid rua= URI: "the Mail Receiver applies no DMARC processing
	   to this message". The record still counts for the tree walk
	   (4.10 steps 2 and 6 look only at v=), but gives result none. */
	INKAN_DMARC_REC_NOT_APPLIED = 1 << 5,
	/* pct=, rf= or ri= were present (RFC 9989 A.6, C: removed). */
	INKAN_DMARC_REC_OBSOLETE = 1 << 6,
};

/*
 * A parsed DMARC Policy Record. Owned by whoever returned it (the caller
 * of inkan_dmarc_record_parse(), or the lookup/verdict it belongs to).
 *
 * Parsing follows RFC 9989 4.7 and 4.8: v=DMARC1 must be the first tag,
 * case-sensitive; every other tag is name *WSP "=" *WSP value, tags
 * separated by *WSP ";" *WSP, an ending ";" allowed; tag names are matched
 * without regard to case; values of the known tags are matched without
 * regard to case (except v=). A known tag with an invalid value is
 * "discarded in favor of default values" (4.8) and named in warnings;
 * p=, sp= and np= are then handled by 4.10.1 (see the flags). An unknown
 * tag is ignored (4.7) and named in warnings, as are pct=, rf= and ri=
 * (whose values are still decoded below, for display). A tag given twice:
 * the first is used, the second named in warnings. fo= is ignored without
 * ruf= (4.7) but still reported.
 */
struct inkan_dmarc_record {
	/* The record text, as joined from its TXT strings (escaped). */
	const char *text;
	/* enum inkan_dmarc_record_flags */
	unsigned flags;
	/* The policies to apply, after 4.10.1's rules: p is never ABSENT
	   in a record that applies; sp and np are ABSENT when not given
	   (the fall-back to p, or to sp for np, is the evaluator's: 4.7). */
	enum inkan_dmarc_policy p, sp, np;
	/* As written: ABSENT when missing or invalid. */
	enum inkan_dmarc_policy p_written, sp_written, np_written;
	enum inkan_dmarc_psd psd;
	bool testing; /* t=y; t=n and absent give false */
	enum inkan_dmarc_align adkim, aspf;
	unsigned fo; /* enum inkan_dmarc_fo; INKAN_DMARC_FO_0 by default */
	const char *fo_text; /* fo= as written, or NULL */
	/* rua= and ruf=: the syntactically valid URIs, in order. */
	size_t nrua, nruf;
	const struct inkan_dmarc_uri *rua, *ruf;
	/* Obsolete tags, understood and reported only: pct= (0..100, -1
	   when absent or invalid), rf= and ri= as written (NULL if absent). */
	int pct;
	const char *rf;
	const char *ri;
	/* One line per thing the parser ignored or fixed, in order:
	   "unknown tag \"foo\" ignored (RFC 9989 4.7)", "obsolete tag
	   \"pct\" ignored (RFC 9989 A.6)", "invalid adkim=x, using r". */
	size_t nwarnings;
	const char *const *warnings;
};

/*
 * Parses text[0..len) (a TXT record's strings joined) as a DMARC Policy
 * Record with the default limits (lim NULL) or lim. Sets *rec_r to a new
 * record the caller frees with inkan_dmarc_record_free().
 *
 * Returns INKAN_OK for a DMARC record (whatever the warnings say: check
 * rec->flags for INKAN_DMARC_REC_NOT_APPLIED); INKAN_ERR_SYNTAX when it is
 * not one (no v=DMARC1 first, or a NUL byte: RFC 9989 4.7 "the entire
 * record MUST be ignored"; a malformed tag after v=DMARC1 is only a
 * warning, 4.8), with *err_r (if err_r is not
 * NULL) set to a static sentence saying why; INKAN_ERR_LIMIT past
 * dmarc_record_max bytes or dmarc_tags_max tags; INKAN_ERR_NOMEM;
 * INKAN_ERR_INVAL. *rec_r is NULL on any error.
 */
INKAN_API enum inkan_status inkan_dmarc_record_parse(const void *text,
    size_t len, const struct inkan_limits *lim,
    struct inkan_dmarc_record **rec_r, const char **err_r);

/* Frees *rec, sets it to NULL. NULL is fine. */
INKAN_API void inkan_dmarc_record_free(struct inkan_dmarc_record **rec);

/* ---- the context ------------------------------------------------------- */

/* How the policy record and Organizational Domains are found. */
enum inkan_dmarc_mode {
	/* RFC 9989 4.10: the DNS Tree Walk. The default. */
	INKAN_DMARC_MODE_TREEWALK = 0,
	/*
	 * RFC 7489 3.2 and 6.6.3: the Organizational Domain is the public
	 * suffix plus one label (libpsl, with the list at psl_file or
	 * Debian's /usr/share/publicsuffix/public_suffix_list.dat, ICANN
	 * and private sections); the record is looked up at the Author
	 * Domain, then at its Organizational Domain. psd= is ignored.
	 */
	INKAN_DMARC_MODE_RFC7489,
};

/* "treewalk" or "psl", RFC 9990's DiscoveryType words. */
INKAN_API const char *inkan_dmarc_mode_name(enum inkan_dmarc_mode m);

/*
 * What to do with a From field with several Author Domains (RFC 9989 5.3.1
 * says validation is then not possible but a receiver MAY go forward; 11.5
 * discusses both ways). A From field with no usable domain always gives
 * result none with a reason (5.3.1 "the process terminates"); the caller's
 * own policy may reject it as malformed (RFC 5322 3.6.2).
 */
enum inkan_dmarc_multi_from {
	/* 5.3.1: result none, "DMARC validation is not possible"; the
	   verdict's from_count and reason say so, and the caller decides.
	   The default. */
	INKAN_DMARC_MULTI_NONE = 0,
	/* 11.5, as RFC 7489 6.6.1 recommended: evaluate each Author Domain
	   (up to limits->dmarc_from_domains_max; with more, the result is
	   none, "too many Author Domains"), and report the strictest:
	   fail with the strictest disposition among those that fail, else
	   temperror if any is temperror, else pass if all with a record
	   pass, else none. Each domain's verdict is in parts[]. An author
	   without a usable domain (INKAN_ADDR_FROM_F_UNUSABLE) fails, with
	   disposition that of the strictest other domain's policy. */
	INKAN_DMARC_MULTI_EACH,
	/* 11.5 "a negative disposition decision ... prior to and instead of
	   DMARC processing": result fail, disposition reject, a report
	   reason of type local_policy; nothing is looked up. A From field
	   with no domain gives permerror, disposition reject. */
	INKAN_DMARC_MULTI_REJECT,
};

struct inkan_dmarc_options {
	enum inkan_dmarc_mode mode;
	enum inkan_dmarc_multi_from multi_from;
	/* RFC 7489 mode: a public suffix list file (the publicsuffix.org
	   .dat format, or a libpsl DAFSA); NULL for Debian's. Read once,
	   by inkan_dmarc_new(). */
	const char *psl_file;
	/* The clock the cache expires records by: seconds since the
	   epoch. NULL: time(NULL). For tests. */
	int64_t (*now)(void *arg);
	void *now_arg;
};

/* Fills *o with the defaults: tree walk, MULTI_NONE, Debian's list,
 * time(NULL). */
INKAN_API void inkan_dmarc_options_init(struct inkan_dmarc_options *o);

/* Opaque evaluation context: resolver, limits, options, record cache. */
struct inkan_dmarc;

/*
 * Creates a context that looks up through resolver (borrowed: it must
 * outlive the context) with limits (NULL: defaults; copied) and options
 * (NULL: defaults; copied, psl_file read now). Returns INKAN_ERR_NOMEM,
 * INKAN_ERR_INVAL (NULL resolver or out, a bad enum), INKAN_ERR_NOTFOUND
 * or INKAN_ERR_IO when the public suffix list cannot be loaded in RFC
 * 7489 mode.
 */
INKAN_API enum inkan_status inkan_dmarc_new(struct inkan_resolver *resolver,
    const struct inkan_limits *limits,
    const struct inkan_dmarc_options *options, struct inkan_dmarc **dmarc_r);

/* Frees *dmarc and its cache, sets *dmarc to NULL. NULL is fine. */
INKAN_API void inkan_dmarc_free(struct inkan_dmarc **dmarc);

/* Drops every cached record. */
INKAN_API void inkan_dmarc_cache_clear(struct inkan_dmarc *dmarc);

/* ---- discovery --------------------------------------------------------- */

/* What one DNS query of a tree walk or lookup came to. */
enum inkan_dmarc_step_outcome {
	INKAN_DMARC_STEP_RECORD = 0, /* one DMARC record: text is set */
	INKAN_DMARC_STEP_NXDOMAIN, /* the name does not exist */
	INKAN_DMARC_STEP_NODATA, /* no TXT records */
	INKAN_DMARC_STEP_NOT_DMARC, /* TXT, none a DMARC record */
	INKAN_DMARC_STEP_SEVERAL, /* several DMARC records: all discarded
				     (RFC 9989 4.10 step 2) */
	INKAN_DMARC_STEP_TEMPERROR, /* SERVFAIL, timeout */
};

/* "record", "nxdomain", "nodata", "not-dmarc", "several", "temperror". */
INKAN_API const char *inkan_dmarc_step_outcome_name(
    enum inkan_dmarc_step_outcome o);

/* One query of a walk, in the order made. */
struct inkan_dmarc_step {
	const char *name; /* "_dmarc.example.com" */
	enum inkan_dmarc_step_outcome outcome;
	bool cached; /* answered from the context's cache */
	uint32_t ttl; /* the answer's TTL, 0 if unknown */
	const char *text; /* the record (RECORD), else NULL */
	/* RECORD: the record's psd= value; else PSD_U. */
	enum inkan_dmarc_psd psd;
	/* One sentence: why this is or is not a record ("2 TXT records,
	   none starts with v=DMARC1", "SERVFAIL: <why>"). */
	const char *why;
};

enum inkan_dmarc_lookup_status {
	/* No DMARC Policy Record anywhere on the walk: RFC 9989 4.10.1
	   "Mail Receivers MUST NOT apply the DMARC mechanism". */
	INKAN_DMARC_LOOKUP_NONE = 0,
	INKAN_DMARC_LOOKUP_FOUND,
	/* A query failed temporarily before a record was found (4.10.1
	   leaves the handling to the receiver; evaluation says
	   temperror). */
	INKAN_DMARC_LOOKUP_TEMPERROR,
};

/*
 * The answer to inkan_dmarc_lookup(): owned by the caller, freed with
 * inkan_dmarc_lookup_free(); every string and array belongs to it.
 */
struct inkan_dmarc_lookup {
	enum inkan_dmarc_lookup_status status;
	enum inkan_dmarc_mode mode;
	/* The domain asked about, lowercase, without a trailing dot. */
	const char *domain;
	/* FOUND: where the record was found (the Author Domain, its
	   Organizational Domain, or its Public Suffix Domain); else NULL. */
	const char *policy_domain;
	const char *record_text;
	const struct inkan_dmarc_record *record;
	/* The Organizational Domain of domain (RFC 9989 4.10.2 selection
	   over the walk's records; without records: domain itself; RFC
	   7489 mode: PSL). NULL when a query needed for it failed
	   temporarily (status TEMPERROR, or FOUND with the record at the
	   domain itself and a later query of the walk failing). */
	const char *org_domain;
	/* Which policy tag applies to the Author Domain by 4.10.1: p when
	   the record is the Author Domain's own, else sp (np applies only
	   if the domain does not exist, which the evaluator checks). */
	bool author_is_policy_domain;
	/* One sentence summing up. */
	const char *reason;
	/* Every DNS query made for the policy and the Organizational
	   Domain, in order: at most 2 * INKAN_DMARC_TREE_WALK_MAX. */
	size_t nsteps;
	const struct inkan_dmarc_step *steps;
	/* The record's warnings, and what else was odd (a record found
	   but skipped, the PSL not knowing the suffix). */
	size_t nwarnings;
	const char *const *warnings;
};

/*
 * Policy discovery for domain (RFC 9989 4.10.1; RFC 7489 6.6.3 in RFC 7489
 * mode), and the Organizational Domain (4.10.2). domain is a host name,
 * A-labels, with or without a trailing dot, any case. Sets *lookup_r.
 * Returns INKAN_OK whenever an answer was produced (status NONE and
 * TEMPERROR included); INKAN_ERR_SYNTAX when domain is not a domain name
 * (empty, empty label, > 253 characters, a label > 63, a byte that is
 * not a letter, digit, hyphen or underscore); INKAN_ERR_NOMEM.
 */
INKAN_API enum inkan_status inkan_dmarc_lookup(struct inkan_dmarc *dmarc,
    const char *domain, struct inkan_dmarc_lookup **lookup_r);

/* Frees *lk, sets it to NULL. NULL is fine. */
INKAN_API void inkan_dmarc_lookup_free(struct inkan_dmarc_lookup **lk);

/*
 * The Organizational Domain of domain, for alignment (RFC 9989 4.10.2 by
 * tree walk; RFC 7489 3.2 by the PSL in RFC 7489 mode), written to
 * org_r[0..size) NUL-terminated, lowercase, no trailing dot; size must be
 * at least INKAN_DNS_NAME_MAX + 1. Returns INKAN_OK; INKAN_ERR_DNS when a
 * query of the walk failed temporarily (org_r is then ""); in RFC 7489
 * mode INKAN_ERR_NOTFOUND when domain is itself a public suffix (RFC 7489
 * 3.2 then names no Organizational Domain; org_r is domain, which is what
 * alignment uses); INKAN_ERR_SYNTAX for a domain that is not a domain
 * name; INKAN_ERR_INVAL; INKAN_ERR_NOMEM.
 */
INKAN_API enum inkan_status inkan_dmarc_org_domain(
    struct inkan_dmarc *dmarc, const char *domain, char *org_r, size_t size);

/* ---- evaluation -------------------------------------------------------- */

/* What the pipeline knows about the message. Everything is borrowed. */
struct inkan_dmarc_request {
	/* The From field's Author Domains (inkan_addr_from_domains());
	   NULL when the message has no From field. */
	const struct inkan_addr_from *from;
	/* The SPF verdict (its identity says MAIL FROM or HELO; .domain is
	   the domain checked); NULL when SPF was not run. RFC 9989 3.2.4,
	   4.4.2: only a pass for the MAIL FROM identity is an SPF Domain;
	   for a null reverse-path that is postmaster@<HELO> (RFC 7208 2.4),
	   which inkan_spf_check() reports with identity HELO. So a verdict
	   with identity HELO is used only when mail_from below is NULL, ""
	   or "<>"; the result of a separate HELO check is otherwise only
	   reported. */
	const struct inkan_spf_verdict *spf;
	/* The DKIM results; only pass counts (RFC 9989 4.4.1). */
	const struct inkan_dkim_sig *dkim;
	size_t ndkim;
	/* For the report record only (optional except ip): */
	struct inkan_spf_ip ip; /* the client; family 0 if unknown */
	const char *helo;
	const char *mail_from; /* the reverse-path, "" or NULL for null */
	const char *rcpt_to; /* one recipient (its domain is reported) */
};

/* RFC 9990 PolicyOverrideType. */
enum inkan_dmarc_override {
	INKAN_DMARC_OVERRIDE_LOCAL_POLICY = 0,
	INKAN_DMARC_OVERRIDE_MAILING_LIST,
	INKAN_DMARC_OVERRIDE_OTHER,
	INKAN_DMARC_OVERRIDE_POLICY_TEST_MODE,
	INKAN_DMARC_OVERRIDE_TRUSTED_FORWARDER,
};

/* "local_policy", "mailing_list", "other", "policy_test_mode",
 * "trusted_forwarder". */
INKAN_API const char *inkan_dmarc_override_name(enum inkan_dmarc_override o);

struct inkan_dmarc_override_reason {
	enum inkan_dmarc_override type;
	const char *comment; /* or NULL */
};

/* One DKIM signature in the report (RFC 9990 DKIMAuthResultType). */
struct inkan_dmarc_report_dkim {
	const char *domain; /* d= */
	const char *selector; /* s= */
	enum inkan_dkim_result result;
	const char *human_result; /* the signature's reason, or NULL */
};

/* The SPF result in the report (RFC 9990 SPFAuthResultType; the scope is
 * always mfrom in RFC 9990: a HELO check reports the HELO domain). */
struct inkan_dmarc_report_spf {
	const char *domain;
	enum inkan_spf_identity scope;
	enum inkan_spf_result result;
	const char *human_result;
};

/*
 * One message's row of an RFC 9990 aggregate report: the record, its
 * identifiers and auth_results. count is always 1; the report writer
 * merges identical rows.
 */
struct inkan_dmarc_report_record {
	/* row */
	struct inkan_spf_ip source_ip;
	enum inkan_dmarc_disposition disposition;
	bool dkim_aligned_pass; /* policy_evaluated/dkim: pass or fail */
	bool spf_aligned_pass; /* policy_evaluated/spf */
	size_t nreasons;
	const struct inkan_dmarc_override_reason *reasons;
	/* identifiers */
	const char *header_from;
	const char *envelope_from; /* domain of MAIL FROM, or HELO for a
				      null path; NULL if unknown */
	const char *envelope_to; /* domain of rcpt_to, or NULL */
	/* policy_published (defaults filled in; NULL strings if absent) */
	const char *policy_domain;
	enum inkan_dmarc_policy p, sp, np;
	enum inkan_dmarc_align adkim, aspf;
	enum inkan_dmarc_mode discovery_method;
	const char *fo;
	bool testing;
	/* auth_results */
	size_t ndkim;
	const struct inkan_dmarc_report_dkim *dkim;
	bool has_spf;
	struct inkan_dmarc_report_spf spf;
};

/* Which tag of the record the applied policy came from. */
enum inkan_dmarc_policy_tag {
	INKAN_DMARC_TAG_NONE = 0, /* no record applied */
	INKAN_DMARC_TAG_P,
	INKAN_DMARC_TAG_SP,
	INKAN_DMARC_TAG_NP,
};

/* "", "p", "sp", "np". */
INKAN_API const char *inkan_dmarc_policy_tag_name(
    enum inkan_dmarc_policy_tag t);

/*
 * The outcome of one evaluation: owned by the caller, freed with
 * inkan_dmarc_verdict_free(); every string and array belongs to it.
 */
struct inkan_dmarc_verdict {
	enum inkan_dmarc_result result;
	/* One sentence: why. */
	const char *reason;
	/* The Author Domain evaluated (lowercase), or NULL when there was
	   not exactly one and parts[] is empty. */
	const char *from_domain;
	/* From the request's From field (INKAN_ADDR_FROM_NONE when no
	   field). */
	enum inkan_addr_from_count from_count;
	/* Where the record was found, the Author Domain's Organizational
	   Domain, the record (NULL when none applied). org_domain is NULL
	   also when no walk for it was needed (the record is the Author
	   Domain's own and alignment was strict or the identifiers were
	   the Author Domain itself, RFC 9989 4.10.2) or it failed. */
	const char *policy_domain;
	const char *org_domain;
	const char *record_text;
	const struct inkan_dmarc_record *record;
	/*
	 * The Domain Owner Assessment Policy that applies (RFC 9989 4.10.1):
	 * p for the Author Domain's own record; for a record of its
	 * Organizational or Public Suffix Domain: np (else sp, else p) when
	 * the Author Domain does not exist (NXDOMAIN for an A, AAAA or MX
	 * query, 3.2.13), sp (else p) when it does. ABSENT with tag NONE
	 * when no record applies.
	 */
	enum inkan_dmarc_policy policy;
	enum inkan_dmarc_policy_tag policy_tag;
	bool author_exists; /* false only when found not to exist */
	/*
	 * What to do: for fail, the policy, lowered one step under t=y
	 * (RFC 9989 4.7 t: reject becomes quarantine, quarantine becomes
	 * none; none stays none) with an override reason
	 * policy_test_mode; for pass, PASS when the policy is quarantine
	 * or reject (RFC 9990 "no action, passing DMARC w/enforcing
	 * policy") else NONE; NONE for none and temperror (5.3.6: the
	 * policy cannot be applied). t=y changes nothing else: the result
	 * and the report stay as they are (4.7 "does not affect the
	 * generation of DMARC reports").
	 */
	enum inkan_dmarc_disposition disposition;
	bool testing; /* the record's t=y */
	/* RFC 9989 4.4: alignment. */
	enum inkan_dmarc_align adkim, aspf;
	bool dkim_aligned, spf_aligned;
	/* The d= of the first passing signature that aligned, and the SPF
	   domain when it passed and aligned; NULL otherwise. */
	const char *dkim_aligned_domain;
	const char *spf_aligned_domain;
	/* The steps of every walk made (policy discovery, then the
	   Organizational Domain walks for alignment), in order. */
	size_t nsteps;
	const struct inkan_dmarc_step *steps;
	size_t nwarnings;
	const char *const *warnings;
	/* The aggregate-report row (for the top-level verdict of a
	   multi-domain evaluation: that of the deciding part). */
	struct inkan_dmarc_report_record report;
	/* INKAN_DMARC_MULTI_EACH with several Author Domains: one verdict
	   per domain, in From order; else 0 and NULL. */
	size_t nparts;
	const struct inkan_dmarc_verdict *parts;
};

/*
 * Evaluates DMARC for one message (RFC 9989 5.3.1 to 5.3.6): finds the
 * Author Domain(s) in req->from, discovers the policy, checks alignment
 * of the SPF and DKIM passes (RFC 9989 4.4, 4.10.2), and fills the
 * verdict, the disposition and the report row. Sets *verdict_r to a new
 * verdict. Returns INKAN_OK whenever a verdict was produced (any result);
 * INKAN_ERR_INVAL for NULL arguments; INKAN_ERR_NOMEM.
 */
INKAN_API enum inkan_status inkan_dmarc_evaluate(struct inkan_dmarc *dmarc,
    const struct inkan_dmarc_request *req,
    struct inkan_dmarc_verdict **verdict_r);

/* Frees *v, sets it to NULL. NULL is fine. */
INKAN_API void inkan_dmarc_verdict_free(struct inkan_dmarc_verdict **v);

/*
 * Identifier alignment without DNS for strict mode, with the context's
 * Organizational Domain discovery for relaxed mode (RFC 9989 3.2.10):
 * sets *aligned_r. Returns INKAN_OK, INKAN_ERR_DNS on a temporary DNS
 * failure, INKAN_ERR_SYNTAX for an invalid name, INKAN_ERR_NOMEM.
 */
INKAN_API enum inkan_status inkan_dmarc_aligned(struct inkan_dmarc *dmarc,
    const char *author_domain, const char *identifier,
    enum inkan_dmarc_align mode, bool *aligned_r);

/* ---- external report destinations ------------------------------------- */

enum inkan_dmarc_external {
	/* <policy-domain>._report._dmarc.<host> has a v=DMARC1 record. */
	INKAN_DMARC_EXT_AUTHORISED = 0,
	/* It does not: reports must not be sent there. */
	INKAN_DMARC_EXT_NOT_AUTHORISED,
	/* The destination has the policy domain's Organizational Domain:
	   no check is needed (RFC 9990 3). */
	INKAN_DMARC_EXT_NOT_NEEDED,
	/* The query failed temporarily: try again later. */
	INKAN_DMARC_EXT_TEMPERROR,
};

/* "authorised", "not-authorised", "not-needed", "temperror". */
INKAN_API const char *inkan_dmarc_external_name(enum inkan_dmarc_external e);

/*
 * RFC 9990 3 (RFC 9989 11.6): may reports about policy_domain (where the
 * DMARC Policy Record was found) go to dest_host (the host of a rua= or
 * ruf= URI, struct inkan_dmarc_uri.host)?
 *
 * NOT_NEEDED when the Organizational Domains of the two are the same.
 * Otherwise queries TXT at <policy_domain>._report._dmarc.<dest_host>
 * (through the cache): AUTHORISED when at least one string set there
 * starts with v=DMARC1 (RFC 9990 3 steps 6 to 8); NOT_AUTHORISED when none
 * does, or when that name would be longer than DNS allows (step 4);
 * TEMPERROR when the query (or an Organizational Domain walk) failed
 * temporarily (step 5: the receiver may try again later).
 *
 * RFC 9990 3 step 9: when AUTHORISED and the record found there has a
 * rua= tag, *override_r (if override_r is not NULL) is set to that record
 * (the caller frees it with inkan_dmarc_record_free()); its rua URIs
 * replace the policy's, but only those whose host is dest_host may be
 * used. Else *override_r is NULL.
 *
 * Sets *ext_r, and *why_r (if not NULL) to a static sentence. Returns
 * INKAN_OK; INKAN_ERR_SYNTAX when policy_domain or dest_host is not a
 * domain name; INKAN_ERR_INVAL; INKAN_ERR_NOMEM.
 */
INKAN_API enum inkan_status inkan_dmarc_external_check(
    struct inkan_dmarc *dmarc, const char *policy_domain, const char *dest_host,
    enum inkan_dmarc_external *ext_r, const char **why_r,
    struct inkan_dmarc_record **override_r);

#ifdef __cplusplus
}
#endif

#endif
