/*
 * inkan/dns.h: the resolver every check in inkan goes through.
 *
 * A struct inkan_resolver answers lookup(name, type) with the records, or
 * one of NXDOMAIN, NODATA, SERVFAIL or TIMEOUT, plus the DNSSEC secure bit.
 * Three backends share the one interface:
 *
 * - unbound: live DNS through libunbound: DNSSEC-validating, caching,
 *   thread-safe, with a per-query timeout.
 * - zone: answers only from RFC 1035 zone files and records added through
 *   the API, with faults (TIMEOUT, SERVFAIL) injected for tests and what-if
 *   runs. Used by the tests and by `inkan --zone FILE`.
 * - overlay: one resolver (usually a zone) in front of another (usually
 *   unbound): "what if I publish this record?".
 *
 * Usage:
 *
 *	struct inkan_resolver *r = NULL;
 *	struct inkan_dns_answer *a = NULL;
 *	struct inkan_zone_error zerr;
 *	struct inkan_buf txt;
 *	size_t i;
 *
 *	if (inkan_resolver_new_zone(NULL, &r) != INKAN_OK)
 *		goto out;
 *	if (inkan_resolver_zone_load_file(r, "demo.zone", &zerr) != INKAN_OK) {
 *		fprintf(stderr, "demo.zone:%zu: %s\n", zerr.line, zerr.message);
 *		goto out;
 *	}
 *	if (inkan_resolver_lookup(r, "example.com", INKAN_DNS_TXT, &a) !=
 *	    INKAN_OK)
 *		goto out;		// invalid name, or out of memory
 *	if (a->rcode == INKAN_DNS_NOERROR) {
 *		inkan_buf_init(&txt, 65536);
 *		for (i = 0; i < a->count; i++) {
 *			inkan_buf_reset(&txt);
 *			if (inkan_dns_txt_join(&a->records[i], &txt) == 0)
 *				puts(inkan_buf_cstr(&txt));
 *		}
 *		inkan_buf_clear(&txt);
 *	}
 * out:
 *	inkan_dns_answer_free(&a);
 *	inkan_resolver_free(&r);
 *
 * Names. Callers pass names as text; the resolver splits them on '.' into
 * labels itself and never interprets backslash escapes, because names come
 * from untrusted places (an SPF macro expansion can put any byte into a
 * label). A trailing dot is optional; "." is the root. Matching is ASCII
 * case-insensitive (RFC 4343).
 *
 * Names in answers are lowercase presentation form without the trailing
 * dot ("mx1.example.com"; the root is "."). A byte that is not printable
 * ASCII, or is a space, is written \DDD (decimal), and the characters
 * . \ " ( ) ; @ $ inside a label are written with a backslash before them
 * (RFC 1035 5.1), so every name in an answer reads back unambiguously.
 */
#ifndef INKAN_DNS_H
#define INKAN_DNS_H

#include <inkan/common.h>
#include <inkan/limits.h>
#include <inkan/util.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Record types (RFC 1035 3.2.2 and later). Any other data type may be
 * passed as its number, e.g. (enum inkan_dns_type)257 for CAA: its records
 * come back as raw rdata. Meta and query types (0, OPT 41, 128-255 such as
 * ANY and AXFR; RFC 6895 3.1) are refused by inkan_resolver_lookup().
 */
enum inkan_dns_type {
	INKAN_DNS_A = 1,
	INKAN_DNS_NS = 2,
	INKAN_DNS_CNAME = 5,
	INKAN_DNS_SOA = 6,
	INKAN_DNS_PTR = 12,
	INKAN_DNS_MX = 15,
	INKAN_DNS_TXT = 16,
	INKAN_DNS_AAAA = 28,
	INKAN_DNS_TLSA = 52,
	INKAN_DNS_SPF = 99,
};

/*
 * Parses a type mnemonic ("TXT", case-insensitive) or the RFC 3597 generic
 * form "TYPE257" into *type_r. Returns INKAN_ERR_SYNTAX for an unknown
 * name and INKAN_ERR_INVAL for a meta or query type such as ANY.
 */
INKAN_API enum inkan_status inkan_dns_type_from_name(
    const char *name, enum inkan_dns_type *type_r);

/*
 * The mnemonic of type ("TXT"), a static string; NULL for a type that has
 * none (print it as "TYPE%u" then).
 */
INKAN_API const char *inkan_dns_type_to_name(enum inkan_dns_type type);

/* What a lookup came to. */
enum inkan_dns_rcode {
	INKAN_DNS_NOERROR = 0, /* records of the type are present */
	INKAN_DNS_NXDOMAIN, /* the name does not exist (RFC 8020) */
	INKAN_DNS_NODATA, /* the name exists, without that type */
	INKAN_DNS_SERVFAIL, /* the servers failed, or DNSSEC was bogus */
	INKAN_DNS_TIMEOUT, /* no answer within the timeout */
};

/* "NOERROR", "NXDOMAIN", "NODATA", "SERVFAIL", "TIMEOUT"; never NULL. */
INKAN_API const char *inkan_dns_rcode_to_name(enum inkan_dns_rcode rcode);

/*
 * One character-string of a TXT record (RFC 1035 3.3.14): up to 255 bytes,
 * any of which may be NUL. data is NUL-terminated for convenience (the NUL
 * is not counted in len).
 */
struct inkan_dns_string {
	size_t len;
	uint8_t *data;
};

/*
 * One resource record. owner and every name inside are in the form the
 * header comment describes. Which member of u is valid depends on type:
 * A, AAAA: addr (network byte order); MX: mx; CNAME, PTR, NS: target;
 * TXT, SPF: txt; TLSA: tlsa; anything else: raw (the rdata in wire form).
 * A record whose rdata does not have its type's shape also comes as raw.
 */
struct inkan_dns_record {
	char *owner;
	enum inkan_dns_type type;
	uint32_t ttl;
	bool is_raw; /* true when u.raw is the valid member */
	union {
		uint8_t addr[16]; /* 4 bytes for A, 16 for AAAA */
		struct {
			uint16_t preference;
			char *exchange;
		} mx;
		char *target;
		struct {
			size_t count;
			struct inkan_dns_string *strings;
		} txt;
		struct {
			uint8_t usage;
			uint8_t selector;
			uint8_t matching_type;
			size_t len;
			uint8_t *data;
		} tlsa;
		struct {
			size_t len;
			uint8_t *data;
		} raw;
	} u;
};

/*
 * The answer to one lookup. The caller owns it and frees it with
 * inkan_dns_answer_free(); everything it points to belongs to it. Treat it
 * as read-only.
 *
 * records holds the records of the queried type at canonical_name, in the
 * order the backend gave them; chain holds the CNAME records followed from
 * name to canonical_name (RFC 1034 3.6.2), in order. When type is CNAME no
 * chain is followed: records is the CNAME at name.
 */
struct inkan_dns_answer {
	char *name; /* the queried name, normalised */
	enum inkan_dns_type type;
	enum inkan_dns_rcode rcode;
	bool secure; /* every record was validated by DNSSEC (RFC 4035) */
	/*
	 * Why a SERVFAIL or TIMEOUT happened, when known (a DNSSEC bogus
	 * reason, a CNAME loop, an injected fault); otherwise NULL.
	 */
	char *why;
	char *canonical_name; /* name after following chain */
	/*
	 * Smallest TTL of records and chain; for NXDOMAIN and NODATA from
	 * live DNS the negative-caching TTL (RFC 2308); 0 when unknown.
	 */
	uint32_t ttl;
	size_t count;
	struct inkan_dns_record *records;
	size_t chain_count;
	struct inkan_dns_record *chain;
};

/* Frees *a and everything it owns, and sets *a to NULL. NULL is fine. */
INKAN_API void inkan_dns_answer_free(struct inkan_dns_answer **a);

/*
 * Appends the character-strings of a TXT (or SPF) record to out, joined
 * with nothing between them, as RFC 7208 3.3 and RFC 6376 3.6.2.2 ask.
 * Returns INKAN_ERR_INVAL if rr is not a TXT or SPF record, or the buffer's
 * error (INKAN_ERR_LIMIT past its maximum). The result may contain NUL.
 */
INKAN_API enum inkan_status inkan_dns_txt_join(
    const struct inkan_dns_record *rr, struct inkan_buf *out);

/* ---- the resolver ------------------------------------------------------ */

/* Opaque; create with one of the inkan_resolver_new_*() functions. */
struct inkan_resolver;

/*
 * Looks up name (see "Names" above) and type, and sets *answer_r to a new
 * answer the caller frees with inkan_dns_answer_free().
 *
 * Returns INKAN_OK whenever an answer was produced, whatever its rcode:
 * NXDOMAIN, SERVFAIL and TIMEOUT are answers. Otherwise *answer_r is NULL
 * and the status says why the call failed: INKAN_ERR_INVAL for an invalid
 * name (an empty label, a label longer than 63 octets, a name longer than
 * 253 characters without its trailing dot; RFC 1035 2.3.4) or a meta type,
 * INKAN_ERR_NOMEM, INKAN_ERR_DNS when live DNS could not be set up.
 *
 * Thread-safe: any number of threads may look up through one resolver.
 */
INKAN_API enum inkan_status inkan_resolver_lookup(struct inkan_resolver *r,
    const char *name, enum inkan_dns_type type,
    struct inkan_dns_answer **answer_r);

/*
 * The number of lookups r has answered (calls that returned INKAN_OK),
 * for enforcing and reporting lookup limits such as RFC 7208 4.6.4's.
 * An overlay counts its own lookups; the resolvers inside it count theirs.
 */
INKAN_API uint64_t inkan_resolver_queries(const struct inkan_resolver *r);

/* What inkan_dns_txt_pick() found. */
enum inkan_dns_txt_pick_result {
	INKAN_DNS_PICK_NONE =
	    0, /* NXDOMAIN, NODATA, or no record of the kind */
	INKAN_DNS_PICK_ONE, /* exactly one record of the kind */
	INKAN_DNS_PICK_SEVERAL, /* more than one: the protocols say none */
	INKAN_DNS_PICK_TEMPERROR, /* SERVFAIL or TIMEOUT */
};

/* "none", "one", "several", "temperror"; never NULL. */
INKAN_API const char *inkan_dns_txt_pick_name(enum inkan_dns_txt_pick_result r);

/*
 * The record-selection rule that SPF (RFC 7208 4.5), MTA-STS (RFC 8461
 * 3.1), TLS-RPT (RFC 8460 3) and DMARC share: look up TXT at
 * <prefix>.<domain> (prefix NULL: at domain), join each record's strings,
 * discard the records is_kind() says are not of the kind (it sees the
 * joined text, which may hold NUL), and use the record only when exactly
 * one is left. On INKAN_DNS_PICK_ONE the text is appended to out (bounded
 * by out's maximum: INKAN_ERR_LIMIT past it). *result_r says what was
 * found, *ttl_r (may be NULL) the answer's TTL (0 when unknown). Returns
 * INKAN_OK whenever a result was produced; INKAN_ERR_SYNTAX when domain is
 * not a domain name (empty, the root, a leading dot, an empty label, a
 * label over 63 or a query name over 253 characters); otherwise the
 * statuses of inkan_resolver_lookup().
 */
INKAN_API enum inkan_status inkan_dns_txt_pick(struct inkan_resolver *r,
    const char *prefix, const char *domain,
    bool (*is_kind)(const void *text, size_t len), struct inkan_buf *out,
    enum inkan_dns_txt_pick_result *result_r, uint32_t *ttl_r);

/* Counts of answered lookups by rcode. */
struct inkan_resolver_stats {
	uint64_t queries;
	uint64_t noerror;
	uint64_t nxdomain;
	uint64_t nodata;
	uint64_t servfail;
	uint64_t timeout;
};

/* Fills *stats_r with r's counters so far. */
INKAN_API void inkan_resolver_stats(
    const struct inkan_resolver *r, struct inkan_resolver_stats *stats_r);

/*
 * Frees *r (and, for an overlay, the two resolvers it owns) and sets *r to
 * NULL. NULL is fine. No lookup may be running on it.
 */
INKAN_API void inkan_resolver_free(struct inkan_resolver **r);

/* ---- zone backend ------------------------------------------------------ */

/*
 * Creates an empty zone resolver. limits may be NULL for the defaults;
 * the resolver copies what it needs. Returns INKAN_ERR_NOMEM on failure.
 *
 * It answers like an authoritative server seen through a recursive
 * resolver: records of the type at the name give NOERROR; a CNAME at the
 * name is followed (up to limits->dns_cname_max links; a loop or a longer
 * chain gives SERVFAIL); a name that has records, or has names below it
 * (an empty non-terminal), gives NODATA; a name that does not exist may be
 * matched by a wildcard (RFC 4592, closest-encloser rule); anything else
 * is NXDOMAIN. An injected fault for the name (and type) overrides all of
 * this, also when met on a CNAME chain. Every ancestor of a name with
 * records exists (as an empty non-terminal at least).
 *
 * Answers are secure when every name on the way (the queried name and the
 * CNAME targets) is at or below a name marked SECURE; otherwise insecure.
 * Negative answers carry TTL 0.
 */
INKAN_API enum inkan_status inkan_resolver_new_zone(
    const struct inkan_limits *limits, struct inkan_resolver **r_r);

/* Where and why zone text was refused. */
struct inkan_zone_error {
	size_t line; /* 1-based line, 0 when not about one line */
	char message[256]; /* NUL-terminated; input bytes in it are escaped */
};

/*
 * Loads the RFC 1035 5 zone file at path into zone resolver r. Supports
 * $ORIGIN, $TTL (with BIND units such as 1h), parentheses, quoted strings,
 * "@", a blank owner meaning the previous one, and class IN only. Refuses
 * $INCLUDE (a zone named on a command line must not read other files) and
 * $GENERATE. Names must be absolute unless an $ORIGIN precedes them.
 *
 * Comments that start a line with ";!" are inkan's directives; other tools
 * read them as comments. Names in them follow $ORIGIN like records do:
 *
 *	;! TIMEOUT name [TYPE]	lookups of name (and TYPE, or every type)
 *				time out
 *	;! SERVFAIL name [TYPE]	lookups of name (and TYPE) fail
 *	;! SECURE name		answers for name and every name below it
 *				are DNSSEC-secure
 *
 * All or nothing: on error nothing of the file is added. Returns INKAN_OK;
 * INKAN_ERR_NOTFOUND if the file does not exist; INKAN_ERR_IO if it cannot
 * be read; INKAN_ERR_LIMIT if it is larger than limits->dns_zone_file_max
 * or an RRset would pass limits->dns_rr_max records; INKAN_ERR_SYNTAX with
 * *err_r filled (err_r may be NULL); INKAN_ERR_INVAL if r is not a zone
 * resolver; INKAN_ERR_NOMEM.
 */
INKAN_API enum inkan_status inkan_resolver_zone_load_file(
    struct inkan_resolver *r, const char *path, struct inkan_zone_error *err_r);

/*
 * Like inkan_resolver_zone_load_file() for zone text text[0..len) held in
 * memory (a NUL byte in it is a syntax error).
 */
INKAN_API enum inkan_status inkan_resolver_zone_load_string(
    struct inkan_resolver *r, const void *text, size_t len,
    struct inkan_zone_error *err_r);

/*
 * Adds one record given in zone-file presentation, e.g.
 * "mx.example.com. 300 IN A 192.0.2.25" (the name must be absolute; TTL
 * and class may be left out). Same statuses as load_string; more or less
 * than one record is INKAN_ERR_SYNTAX.
 */
INKAN_API enum inkan_status inkan_resolver_zone_add_rr(
    struct inkan_resolver *r, const char *rr, struct inkan_zone_error *err_r);

/*
 * Adds a TXT record at name (taken as lookups take names: no escapes)
 * with ttl and the character-strings strings[0..n), each at most 255
 * bytes, any bytes. n == 0 is refused (RFC 1035 3.3.14 needs one string).
 * Returns INKAN_ERR_INVAL for a bad name, an empty list or a too long
 * string; INKAN_ERR_LIMIT, INKAN_ERR_NOMEM.
 */
INKAN_API enum inkan_status inkan_resolver_zone_add_txt(
    struct inkan_resolver *r, const char *name, uint32_t ttl,
    const struct inkan_view *strings, size_t n);

/*
 * Makes lookups of name (no escapes, as for lookups) and type fail with
 * rcode, which is INKAN_DNS_TIMEOUT or INKAN_DNS_SERVFAIL; type 0 means
 * every type. INKAN_DNS_NOERROR removes that fault again. A fault for one
 * type takes precedence over one for every type. May be called at any
 * time, also while other threads look up. Returns INKAN_ERR_INVAL for a
 * bad name or rcode or a resolver that is not a zone; INKAN_ERR_NOMEM.
 */
INKAN_API enum inkan_status inkan_resolver_zone_inject(struct inkan_resolver *r,
    const char *name, enum inkan_dns_type type, enum inkan_dns_rcode rcode);

/*
 * Marks answers for name and every name below it as DNSSEC-secure, like
 * the ";! SECURE" directive. Same statuses as inject.
 */
INKAN_API enum inkan_status inkan_resolver_zone_set_secure(
    struct inkan_resolver *r, const char *name);

/* ---- unbound backend --------------------------------------------------- */

/* Debian's dns-root-data trust anchor for the root zone. */
#define INKAN_DNS_ROOT_KEY "/usr/share/dns/root.key"

struct inkan_unbound_options {
	/*
	 * Trust anchor file in zone format (DS or DNSKEY records); NULL
	 * disables DNSSEC validation, so no answer is secure.
	 */
	const char *trust_anchor_file;
	/*
	 * Forward every query to these servers ("192.0.2.53",
	 * "2001:db8::53", "127.0.0.1@5353") instead of resolving from the
	 * root; nforwarders of them.
	 */
	const char *const *forwarders;
	size_t nforwarders;
	/* Forward to the nameservers of /etc/resolv.conf. */
	bool use_resolv_conf;
	/* Per-query timeout; 0 means limits->dns_timeout_ms. */
	unsigned timeout_ms;
};

/*
 * Fills *o with the defaults: the root trust anchor INKAN_DNS_ROOT_KEY,
 * full recursion from the root (no forwarders), limits' timeout.
 */
INKAN_API void inkan_unbound_options_init(struct inkan_unbound_options *o);

/*
 * Creates a live resolver on libunbound. o may be NULL for the defaults,
 * limits NULL for the default limits; both are copied. A lookup that has
 * no answer within the timeout is cancelled and answered TIMEOUT; an
 * answer that fails DNSSEC validation is SERVFAIL with the reason in why.
 * Returns INKAN_ERR_NOTFOUND if the trust anchor file is missing,
 * INKAN_ERR_SYNTAX for a forwarder that is not an address, INKAN_ERR_DNS
 * if libunbound cannot be set up, INKAN_ERR_NOMEM.
 */
INKAN_API enum inkan_status inkan_resolver_new_unbound(
    const struct inkan_unbound_options *o, const struct inkan_limits *limits,
    struct inkan_resolver **r_r);

/* ---- overlay backend --------------------------------------------------- */

/*
 * Creates a resolver that asks upper first and lower for the rest. Takes
 * ownership of both, also on failure: they are freed with the overlay, and
 * the caller must not free them (it may keep using upper, e.g. to inject
 * faults into a zone, until it frees the overlay).
 *
 * upper's answer is taken when it is NOERROR, SERVFAIL or TIMEOUT. When
 * upper says NXDOMAIN or NODATA at the end of a CNAME chain, the lookup
 * goes on at the chain's end through the overlay again (so a CNAME in a
 * zone may point into live DNS); a plain NXDOMAIN or NODATA is asked of
 * lower. So a zone in upper shadows exactly the names and types it has
 * records for, its CNAMEs, its wildcards' records and its faults. CNAME
 * chains found in lower are lower's own. An answer is secure only when
 * upper's part (its chain, and its denial of the chain's end) and lower's
 * part both were.
 */
INKAN_API enum inkan_status inkan_resolver_new_overlay(
    struct inkan_resolver *upper, struct inkan_resolver *lower,
    const struct inkan_limits *limits, struct inkan_resolver **r_r);

#ifdef __cplusplus
}
#endif

#endif
