/*
 * inkan/spf.h: Sender Policy Framework (RFC 7208).
 *
 * SPF says whether a client IP address may send mail for a domain: the
 * MAIL FROM identity, or the HELO identity (RFC 7208 2.3, 2.4). inkan's
 * evaluator is check_host() of RFC 7208 section 4 with every mechanism,
 * modifier and macro, the lookup limits of 4.6.4, and a trace of every
 * lookup and term, so that a result can always be explained.
 *
 * Usage:
 *
 *	struct inkan_spf *spf = NULL;
 *	struct inkan_spf_request req = { 0 };
 *	struct inkan_spf_verdict *v = NULL;
 *
 *	if (inkan_spf_new(resolver, NULL, &spf) != INKAN_OK)
 *		goto out;
 *	if (inkan_spf_ip_parse("192.0.2.10", &req.ip) != INKAN_OK)
 *		goto out;			// not an address
 *	req.mail_from = "alice@example.com";	// "" for the null path
 *	req.helo = "mail.example.com";
 *	if (inkan_spf_check(spf, &req, INKAN_SPF_TRACE, &v) != INKAN_OK)
 *		goto out;			// out of memory, bad argument
 *	printf("%s: %s\n", inkan_spf_result_name(v->result), v->reason);
 * out:
 *	inkan_spf_verdict_free(&v);
 *	inkan_spf_free(&spf);
 *
 * A struct inkan_spf is used by one thread at a time; it borrows the
 * resolver (which is thread-safe and may be shared) and keeps a cache of
 * parsed records keyed by domain, each kept for its DNS TTL, so a warm
 * evaluation parses nothing. Several threads use several contexts.
 *
 * The record cache holds, per lowercase domain: a parsed record (for the
 * TXT answer's TTL; an answer with TTL 0 is not cached), "no SPF record"
 * (NXDOMAIN, NODATA or no v=spf1 string: for the answer's TTL but at most
 * limits->spf_negative_ttl, which is also used when DNS gives no TTL), or
 * a record that is a permerror (several records, a syntax error: for the
 * TTL, with the reason). Temporary errors are never cached. A cached
 * record used by include or redirect still counts toward the 10-term
 * limit of RFC 7208 4.6.4 (it counts terms, not queries). At most
 * limits->spf_cache_max entries are kept; when full, expired entries go
 * first, then all of them.
 *
 * Limits (struct inkan_limits, RFC 7208 4.6.4): spf_dns_terms_max terms
 * that query DNS (include a mx ptr exists redirect), spf_void_max void
 * lookups, spf_mx_names_max MX names (more is a permerror),
 * spf_ptr_names_max PTR names (the rest are ignored; also for %{p}),
 * spf_depth_max include nesting, spf_expansion_max bytes of one macro
 * expansion (more is a permerror; a domain is then cut to 253 characters
 * by RFC 7208 7.3), spf_record_max bytes and spf_terms_max terms of a
 * record (more is a permerror). None of them is ever reached by deep
 * recursion: evaluation keeps its own stack of include levels.
 *
 * The %{p} macro (RFC 7208 7.3) costs one PTR lookup and up to
 * spf_ptr_names_max address lookups, once per check; these are not
 * counted as terms. The exp= lookup is not counted either (4.6.4).
 */
#ifndef INKAN_SPF_H
#define INKAN_SPF_H

#include <sys/socket.h> /* AF_INET, AF_INET6 */

#include <inkan/common.h>
#include <inkan/dns.h>
#include <inkan/limits.h>
#include <inkan/util.h>

#ifdef __cplusplus
extern "C" {
#endif

/* RFC 7208 2.6: the results, in the RFC's own words. */
enum inkan_spf_result {
	INKAN_SPF_NONE = 0,
	INKAN_SPF_NEUTRAL,
	INKAN_SPF_PASS,
	INKAN_SPF_FAIL,
	INKAN_SPF_SOFTFAIL,
	INKAN_SPF_TEMPERROR,
	INKAN_SPF_PERMERROR,
};

/* "none", "neutral", "pass", ...: lowercase, static, never NULL. */
INKAN_API const char *inkan_spf_result_name(enum inkan_spf_result r);

/* RFC 7208 2.3, 2.4: which identity a verdict is about. */
enum inkan_spf_identity {
	INKAN_SPF_ID_MAILFROM = 0,
	INKAN_SPF_ID_HELO,
};

/* "mailfrom" or "helo", as Received-SPF's identity= writes them. */
INKAN_API const char *inkan_spf_identity_name(enum inkan_spf_identity id);

/* A client address. */
struct inkan_spf_ip {
	int family; /* AF_INET or AF_INET6 */
	uint8_t addr[16]; /* network byte order; 4 bytes used for AF_INET */
};

/*
 * Parses an IPv4 or IPv6 address in text form. An IPv4-mapped IPv6
 * address (::ffff:192.0.2.1) becomes AF_INET (RFC 7208 5.6). Returns
 * INKAN_ERR_SYNTAX for anything else.
 */
INKAN_API enum inkan_status inkan_spf_ip_parse(
    const char *text, struct inkan_spf_ip *ip_r);

/* What the SMTP session knows when SPF runs. */
struct inkan_spf_request {
	struct inkan_spf_ip ip;
	/* The HELO/EHLO name; NULL or "" when there was none. */
	const char *helo;
	/*
	 * The MAIL FROM reverse-path without angle brackets
	 * ("alice@example.com"); NULL, "" or "<>" for the null
	 * reverse-path, for which RFC 7208 2.4 checks postmaster@HELO.
	 */
	const char *mail_from;
	/* The receiving host's domain, for %{r}; NULL means "unknown". */
	const char *receiver;
	/* Seconds since the epoch, for %{t}; 0 means the context's clock. */
	int64_t now;
};

/* Options for the check functions. */
enum inkan_spf_flags {
	/* Record the trace (verdict->trace); off, nothing is recorded. */
	INKAN_SPF_TRACE = 1 << 0,
};

/* What one trace step is about. */
enum inkan_spf_step_kind {
	INKAN_SPF_STEP_RECORD, /* the SPF record found (or not) for domain */
	INKAN_SPF_STEP_DNS, /* a DNS lookup and its outcome */
	INKAN_SPF_STEP_TERM, /* a mechanism or modifier evaluated */
	INKAN_SPF_STEP_LIMIT, /* a limit of RFC 7208 4.6.4 was reached */
	INKAN_SPF_STEP_RESULT, /* check_host() for domain returned */
};

/* One line of the explanation trace. */
struct inkan_spf_step {
	enum inkan_spf_step_kind kind;
	unsigned depth; /* include/redirect nesting, 0 at the top */
	const char *domain; /* the domain check_host() was evaluating,
				lowercase, escaped like text */
	const char *text; /* one human-readable line, escaped */
};

/*
 * The outcome of one check. Owned by the caller, freed with
 * inkan_spf_verdict_free(); every string belongs to it.
 */
struct inkan_spf_verdict {
	enum inkan_spf_result result;
	enum inkan_spf_identity identity;
	/* The <domain> the top-level check_host() evaluated (may be NULL
	 * when none could be determined, e.g. no HELO for a null path). */
	const char *domain;
	/* The <sender>: mail_from, or postmaster@<helo> for a null path. */
	const char *sender;
	/*
	 * The term that decided, as written ("ip4:192.0.2.0/24", or
	 * "include:_spf.example.com" at the top level), or "default" when
	 * no mechanism matched; NULL for none, temperror and permerror.
	 */
	const char *mechanism;
	/*
	 * For fail: the exp= explanation (RFC 7208 6.2, macro-expanded,
	 * printable ASCII only), or the default one "%{c} is not one of
	 * %{d}'s designated mail servers." when there is no exp= or it
	 * cannot be used; else NULL.
	 */
	const char *explanation;
	/* One sentence saying why: "192.0.2.10 is permitted by
	 * ip4:192.0.2.0/24 in the SPF record of example.com", "... matched
	 * -all in ..., so the result is fail", or what the syntax error was
	 * and where, which limit was passed, which lookup timed out. */
	const char *reason;
	/* RFC 7208 4.6.4: DNS-querying terms counted, and void lookups. */
	unsigned dns_lookups;
	unsigned void_lookups;
	/* With INKAN_SPF_TRACE: every step in order (cut short only if the
	   trace passes 16 MB or memory runs out); else 0 and NULL. */
	size_t trace_count;
	const struct inkan_spf_step *trace;
};

INKAN_API void inkan_spf_verdict_free(struct inkan_spf_verdict **v);

/* ---- evaluation -------------------------------------------------------- */

/* Opaque evaluation context: resolver, limits, record cache, clock. */
struct inkan_spf;

/*
 * Creates a context that looks up through resolver (borrowed: it must
 * outlive the context) with limits (NULL: defaults; copied). Returns
 * INKAN_ERR_NOMEM or INKAN_ERR_INVAL.
 */
INKAN_API enum inkan_status inkan_spf_new(struct inkan_resolver *resolver,
    const struct inkan_limits *limits, struct inkan_spf **spf_r);

/* Frees *spf and its cache, sets *spf to NULL. NULL is fine. */
INKAN_API void inkan_spf_free(struct inkan_spf **spf);

/*
 * Replaces the clock the cache expires records by (and %{t} uses when the
 * request has no time): now(arg) returns seconds since the epoch. For
 * tests; the default is time(NULL).
 */
INKAN_API void inkan_spf_set_clock(
    struct inkan_spf *spf, int64_t (*now)(void *arg), void *arg);

/* Drops every cached record. */
INKAN_API void inkan_spf_cache_clear(struct inkan_spf *spf);

/*
 * The check a receiver runs at MAIL FROM (RFC 7208 2.3, 2.4): check_host()
 * for the MAIL FROM identity, or, for the null reverse-path, for
 * postmaster@<helo> as the HELO identity. Sets *verdict_r to a new
 * verdict. Returns INKAN_OK whenever a verdict was produced (any result,
 * temperror and permerror included); INKAN_ERR_INVAL for a request without
 * an address; INKAN_ERR_NOMEM.
 */
INKAN_API enum inkan_status inkan_spf_check(struct inkan_spf *spf,
    const struct inkan_spf_request *req, unsigned flags,
    struct inkan_spf_verdict **verdict_r);

/*
 * The separate HELO check of RFC 7208 2.3: check_host() with <domain> the
 * HELO name and <sender> postmaster@<helo>. A HELO that is not a domain
 * name (an address literal, no dot) gives none.
 */
INKAN_API enum inkan_status inkan_spf_check_helo(struct inkan_spf *spf,
    const struct inkan_spf_request *req, unsigned flags,
    struct inkan_spf_verdict **verdict_r);

/*
 * check_host(<ip>, <domain>, <sender>) itself (RFC 7208 4), for callers
 * that choose the identity themselves; helo fills %{h} (NULL: empty).
 * sender NULL or "" means postmaster@<domain>. identity is only recorded
 * in the verdict. Same statuses as inkan_spf_check().
 */
INKAN_API enum inkan_status inkan_spf_check_host(struct inkan_spf *spf,
    const struct inkan_spf_ip *ip, const char *domain, const char *sender,
    const char *helo, enum inkan_spf_identity identity, unsigned flags,
    struct inkan_spf_verdict **verdict_r);

/*
 * Appends a Received-SPF header field (RFC 7208 9.1), name included and
 * folded, without the final CRLF, to out:
 *   Received-SPF: pass (mx.example.net: 192.0.2.10 is permitted by
 *   ip4:192.0.2.0/24 in the SPF record of example.com)
 *   client-ip=192.0.2.10; envelope-from="alice@example.com";
 *   helo=mail.example.com; receiver=mx.example.net; identity=mailfrom;
 *   mechanism="ip4:192.0.2.0/24"
 * Untrusted values are quoted as the RFC's key-value-pair grammar needs
 * (a value that is not a dot-atom becomes a quoted-string), bytes that are
 * not printable ASCII become '?', and lines are folded at 78 columns where
 * there is a space to fold at. The comment names req->receiver (or the
 * domain) and the verdict's reason; problem= is added for temperror and
 * permerror, receiver= when req->receiver is set, mechanism= when the
 * verdict has one. Returns INKAN_OK; INKAN_ERR_INVAL for a NULL argument;
 * out's error (INKAN_ERR_LIMIT past its maximum), out then left as it was.
 */
INKAN_API enum inkan_status inkan_spf_received_spf(
    const struct inkan_spf_verdict *v, const struct inkan_spf_request *req,
    struct inkan_buf *out);

/* ---- records ------------------------------------------------------------ */

/* Where and why a record does not parse. */
struct inkan_spf_error {
	size_t offset; /* byte offset in the record */
	char message[160]; /* NUL-terminated, input bytes escaped */
};

/* A parsed SPF record (opaque). */
struct inkan_spf_record;

/*
 * Parses one SPF record (the joined TXT strings, starting "v=spf1").
 * RFC 7208 4.6: any syntax error makes the whole record invalid, so this
 * returns INKAN_ERR_SYNTAX with err_r filled (err_r may be NULL) for any
 * of them; INKAN_ERR_LIMIT past limits->spf_record_max or spf_terms_max.
 * The caller frees *rec_r with inkan_spf_record_free().
 */
INKAN_API enum inkan_status inkan_spf_record_parse(const void *text, size_t len,
    const struct inkan_limits *limits, struct inkan_spf_record **rec_r,
    struct inkan_spf_error *err_r);

INKAN_API void inkan_spf_record_free(struct inkan_spf_record **rec);

/* ---- the terms of a parsed record (for auditors) ----------------------- */

/* RFC 7208 5: the mechanisms. */
enum inkan_spf_mechanism {
	INKAN_SPF_MECH_ALL = 0,
	INKAN_SPF_MECH_INCLUDE,
	INKAN_SPF_MECH_A,
	INKAN_SPF_MECH_MX,
	INKAN_SPF_MECH_PTR,
	INKAN_SPF_MECH_IP4,
	INKAN_SPF_MECH_IP6,
	INKAN_SPF_MECH_EXISTS,
};

/* "all", "include", "a", "mx", "ptr", "ip4", "ip6", "exists"; static. */
INKAN_API const char *inkan_spf_mechanism_name(enum inkan_spf_mechanism m);

/* One mechanism of a parsed record, as written. Views borrow the record. */
struct inkan_spf_term_info {
	enum inkan_spf_mechanism mechanism;
	/* RFC 7208 4.6.2: the qualifier's result: "+" (or none) PASS, "-"
	   FAIL, "~" SOFTFAIL, "?" NEUTRAL. */
	enum inkan_spf_result qualifier;
	struct inkan_view text; /* the whole term, qualifier included */
	/* The domain-spec (len 0 when the term has none and means the
	   current domain); macro says it holds a macro-expand (RFC 7208
	   7), so it names no fixed domain. */
	struct inkan_view domain;
	bool macro;
};

/* The number of mechanisms in rec, in record order. */
INKAN_API size_t inkan_spf_record_nterms(const struct inkan_spf_record *rec);

/*
 * Fills *t_r with mechanism i (0-based, record order) of rec. Returns
 * false when i is past the last one. t_r's views point into rec.
 */
INKAN_API bool inkan_spf_record_term(const struct inkan_spf_record *rec,
    size_t i, struct inkan_spf_term_info *t_r);

/*
 * The redirect= (name "redirect") or exp= (name "exp") modifier of rec:
 * returns true and sets *domain_r (a view into rec) and *macro_r (may be
 * NULL) when present; false otherwise or for another name.
 */
INKAN_API bool inkan_spf_record_modifier(const struct inkan_spf_record *rec,
    const char *name, struct inkan_view *domain_r, bool *macro_r);

#ifdef __cplusplus
}
#endif

#endif
