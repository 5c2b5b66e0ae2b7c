/*
 * inkan/bimi.h: Brand Indicators for Message Identification (BIMI,
 * draft-brand-indicators-for-message-identification; "the draft" below).
 *
 * A domain that takes part in BIMI publishes an assertion record as TXT at
 * <selector>._bimi.<domain> ("v=BIMI1; l=https://example.com/logo.svg;
 * a=https://example.com/vmc.pem"): l= says where its logo (the indicator,
 * an SVG Tiny Portable/Secure document) is, a= where the evidence
 * document (a Verified Mark Certificate) is. Both empty is a declination
 * to publish.
 *
 * This module parses the record, looks it up through a resolver (with the
 * draft's fallback to the organisational domain, which the caller
 * supplies), and checks an SVG against the Tiny PS profile. It does no
 * HTTPS: the caller (the auditor) fetches the logo and hands over bytes.
 *
 *	struct inkan_bimi_lookup look;
 *	struct inkan_bimi_svg_report *rep = NULL;
 *	size_t i;
 *
 *	if (inkan_bimi_record_lookup(r, NULL, "mail.example.com",
 *	    "example.com", NULL, &look) != INKAN_OK)
 *		return;			// not a domain name, or no memory
 *	if (look.status != INKAN_BIMI_LOOKUP_FOUND) {
 *		puts(look.err.message);	// none, invalid or temperror: why
 *		goto out;
 *	}
 *	if (look.record->declined)
 *		goto out;		// bimi=declined
 *	// fetch look.record->location (https), then:
 *	if (inkan_bimi_svg_check(svg, svg_len, NULL, &rep) != INKAN_OK)
 *		goto out;
 *	for (i = 0; i < rep->nfindings; i++)
 *		printf("%s %s: %s\n",
 *		    rep->findings[i].severity == INKAN_BIMI_ERROR ?
 *		    "error" : "warning",
 *		    inkan_bimi_svg_code_name(rep->findings[i].code),
 *		    rep->findings[i].message);
 *	inkan_bimi_svg_report_free(&rep);
 * out:
 *	inkan_bimi_lookup_clear(&look);
 */
#ifndef INKAN_BIMI_H
#define INKAN_BIMI_H

#include <inkan/common.h>
#include <inkan/dns.h>
#include <inkan/limits.h>
#include <inkan/util.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- the assertion record (draft: Assertion Record Definition) -------- */

/*
 * What is wrong with a record. A record may have several problems; each
 * has a bit (1u << code) in inkan_bimi_error.problems.
 */
enum inkan_bimi_record_problem {
	INKAN_BIMI_REC_OK = 0,
	INKAN_BIMI_REC_TOO_LONG, /* longer than limits->bimi_record_max */
	/* Not a tag-list (RFC 6376 3.2): a tag without "=", a bad tag name,
	   a control or 8-bit byte, an empty tag between two ";". */
	INKAN_BIMI_REC_SYNTAX,
	INKAN_BIMI_REC_DUPLICATE_TAG, /* RFC 6376 3.2: the record is invalid */
	INKAN_BIMI_REC_V_MISSING, /* no v= tag at all */
	INKAN_BIMI_REC_V_NOT_FIRST, /* v= present, but not the first tag */
	INKAN_BIMI_REC_V_EMPTY, /* "v=" */
	/* "v=bimi1": the draft says the value MUST match "BIMI1" precisely
	   and receivers MUST NOT fix capitalization. */
	INKAN_BIMI_REC_V_CASE,
	INKAN_BIMI_REC_V_INVALID, /* any other value */
	INKAN_BIMI_REC_L_MISSING, /* l= is REQUIRED (it may be empty) */
	INKAN_BIMI_REC_L_NOT_HTTPS, /* l= names another scheme */
	INKAN_BIMI_REC_L_BAD_URI, /* l= is not one https URI with a FQDN */
	INKAN_BIMI_REC_A_NOT_HTTPS, /* a= names another scheme */
	INKAN_BIMI_REC_A_BAD_URI, /* a= is not one https URI with a FQDN */
	INKAN_BIMI_REC_LPS_INVALID, /* lps= is not a list of prefixes */
	/* l= ends in another image format's suffix (.png, .jpg, ...): the
	   draft makes that a permanent error */
	INKAN_BIMI_REC_L_NOT_SVG,
};

/* "too-long", "syntax", "duplicate-tag", ...: static, never NULL. */
INKAN_API const char *inkan_bimi_record_problem_name(
    enum inkan_bimi_record_problem p);

/* Why a record was refused or a lookup came to nothing. */
struct inkan_bimi_error {
	/* The first problem found (INKAN_BIMI_REC_OK for lookup reasons
	   that are not about a record's text: none, several, temperror). */
	enum inkan_bimi_record_problem code;
	unsigned problems; /* every problem found: bit (1u << code) */
	size_t offset; /* byte offset of the first problem in the record */
	char message[200]; /* one sentence; record bytes in it are escaped */
};

/* draft: avp= Avatar Preference. */
enum inkan_bimi_avp {
	INKAN_BIMI_AVP_BRAND = 0, /* absent or "brand" */
	INKAN_BIMI_AVP_PERSONAL, /* "personal" */
	/* another value: the draft says it MUST be ignored */
	INKAN_BIMI_AVP_UNKNOWN,
};

/*
 * A parsed record. Owned by the caller, freed with
 * inkan_bimi_record_free(); every string belongs to it.
 */
struct inkan_bimi_record {
	/* l= and a= without surrounding white space; "" when empty or, for
	   a=, absent. Each is one https URI with a FQDN host. */
	const char *location;
	const char *authority;
	/* Both empty: the domain declines to publish (draft: Declination to
	   Publish); the A-R result is bimi=declined. */
	bool declined;
	/* lps= (draft: Local-part Selectors): present, and its prefixes in
	   the order written (none: every local-part matches). */
	bool has_lps;
	size_t nlps;
	const char *const *lps;
	enum inkan_bimi_avp avp;
	unsigned unknown_tags; /* other tags seen (and ignored) */
};

/*
 * Parses one TXT record (its strings already joined) as a BIMI assertion
 * record: a tag-list (RFC 6376 3.2) whose first tag is v=BIMI1, with l=
 * required (empty, or one https URI not ending in another image format's
 * suffix such as .png), a= optional (same), lps= and avp=
 * checked, unknown tags ignored; white space around "=" and ";" is
 * allowed. limits (NULL: defaults) bounds the length (bimi_record_max).
 *
 * Returns INKAN_OK with *rec_r set (free it); INKAN_ERR_SYNTAX or, for a
 * record too long, INKAN_ERR_LIMIT, with *rec_r NULL and err_r (may be
 * NULL) saying the first problem, every problem found, and where;
 * INKAN_ERR_NOMEM.
 */
INKAN_API enum inkan_status inkan_bimi_record_parse(const void *text,
    size_t len, const struct inkan_limits *limits,
    struct inkan_bimi_record **rec_r, struct inkan_bimi_error *err_r);

/* Frees *rec and sets it to NULL. NULL is fine. */
INKAN_API void inkan_bimi_record_free(struct inkan_bimi_record **rec);

/*
 * True when a TXT record is meant as a BIMI record: it begins with "v",
 * optional white space, "=", optional white space, "BIMI1" (any case),
 * then its end, white space or ";" (draft: Assertion Record Discovery,
 * step 4). Leading white space and the case are left to the parser, so
 * that " v=bimi1" is reported as a wrong record rather than as none.
 */
INKAN_API bool inkan_bimi_record_is_bimi(const void *text, size_t len);

/* What looking for a domain's assertion record came to. */
enum inkan_bimi_lookup_status {
	/* No record at the author domain nor at the organisational domain:
	   bimi=none. */
	INKAN_BIMI_LOOKUP_NONE = 0,
	/* One record that parses: look.record. Declined or not. */
	INKAN_BIMI_LOOKUP_FOUND,
	/* Several records, or one that does not parse: BIMI MUST NOT be
	   applied (draft: Assertion Record Discovery); bimi=fail. */
	INKAN_BIMI_LOOKUP_INVALID,
	/* A lookup failed temporarily (SERVFAIL, timeout): bimi=temperror. */
	INKAN_BIMI_LOOKUP_TEMPERROR,
};

/* "none", "found", "invalid", "temperror": static, never NULL. */
INKAN_API const char *inkan_bimi_lookup_status_name(
    enum inkan_bimi_lookup_status s);

/* The outcome of inkan_bimi_record_lookup(); clear it when done. */
struct inkan_bimi_lookup {
	enum inkan_bimi_lookup_status status;
	struct inkan_bimi_record *record; /* FOUND only; owned by this */
	/* Where the last query went: the selector and the domain (lower
	   case, no trailing dot): on FOUND, header.selector and header.d of
	   the A-R entry. */
	char selector[INKAN_DNS_NAME_MAX + 1];
	char domain[INKAN_DNS_NAME_MAX + 1];
	bool org_fallback; /* domain is the organisational domain */
	uint32_t ttl; /* the TTL of the answer used; 0 when unknown */
	struct inkan_bimi_error err; /* why, unless FOUND */
};

/*
 * Looks up the assertion record for an author domain through r (draft:
 * Assertion Record Discovery): TXT at <selector>._bimi.<domain>, records
 * that do not begin with v=BIMI1 discarded; if none is left and org_domain
 * differs from domain, TXT at <selector>._bimi.<org_domain>. Several
 * records, or one that does not parse, is INVALID and stops (no fallback:
 * the set was not empty). A selector that has no record does NOT fall
 * back to "default": the draft's example "Subdomain and organizational
 * domain have no record for selector, but organization domain has a
 * default" gives bimi=none. Local-part selectors (lps=) are not followed:
 * they need the message's From local-part; record->lps says whether the
 * domain uses them.
 *
 * selector: NULL for "default", else one or more LDH labels. domain,
 * org_domain: host names, any case, one trailing dot allowed; org_domain
 * NULL means no fallback (the caller's DMARC code knows the
 * organisational domain). limits: NULL for defaults.
 *
 * Fills *look_r (clear it with inkan_bimi_lookup_clear(), also after an
 * error). Returns INKAN_OK whenever a status was produced;
 * INKAN_ERR_SYNTAX (look_r->err says why) when the selector, domain or
 * org_domain is not a name, or a query name would be too long;
 * INKAN_ERR_NOMEM; the resolver's errors.
 */
INKAN_API enum inkan_status inkan_bimi_record_lookup(struct inkan_resolver *r,
    const char *selector, const char *domain, const char *org_domain,
    const struct inkan_limits *limits, struct inkan_bimi_lookup *look_r);

/* Frees what look holds and zeroes it. */
INKAN_API void inkan_bimi_lookup_clear(struct inkan_bimi_lookup *look);

/* ---- the indicator: SVG Tiny Portable/Secure ------------------------- */

/*
 * What the SVG check found. The draft (Indicator Validation) defers the
 * profile to the BIMI SVG document (SVG Tiny 1.2 Portable/Secure); the
 * rules below follow it and the BIMI Group's SVG requirements.
 */
enum inkan_bimi_svg_code {
	/* errors: the logo MUST NOT be shown */
	INKAN_BIMI_SVG_TOO_LARGE = 1, /* over limits->bimi_svg_max */
	INKAN_BIMI_SVG_COMPRESSED, /* gzip (SVGZ): the caller inflates */
	INKAN_BIMI_SVG_NOT_XML, /* empty, or not well-formed XML */
	INKAN_BIMI_SVG_ENTITY, /* declares entities (<!ENTITY): refused */
	INKAN_BIMI_SVG_LIMIT, /* deeper or more elements than limits allow */
	INKAN_BIMI_SVG_NOT_SVG, /* root is not <svg> in the SVG namespace */
	INKAN_BIMI_SVG_VERSION, /* root version is not "1.2" */
	INKAN_BIMI_SVG_BASE_PROFILE, /* root baseProfile is not "tiny-ps" */
	INKAN_BIMI_SVG_NO_TITLE, /* no <title> child of the root */
	INKAN_BIMI_SVG_ROOT_XY, /* x= or y= on the root */
	/* script, animation, foreignObject, image, ... (any case) */
	INKAN_BIMI_SVG_FORBIDDEN_ELEMENT,
	INKAN_BIMI_SVG_EVENT_ATTRIBUTE, /* onload=, onclick=, ... */
	/* href, xlink:href, url(...), @import or xml-stylesheet that is not
	   a "#id" in the document */
	INKAN_BIMI_SVG_EXTERNAL_REF,
	INKAN_BIMI_SVG_DATA_URI, /* a data: URI (an embedded image) */
	/* warnings: the logo may be shown, but should be fixed */
	INKAN_BIMI_SVG_NOT_SQUARE, /* viewBox (or width/height) not square */
	INKAN_BIMI_SVG_NO_VIEWBOX, /* no usable viewBox */
	INKAN_BIMI_SVG_EMPTY_TITLE, /* <title> without text */
	INKAN_BIMI_SVG_UNKNOWN_ELEMENT, /* SVG element outside SVG Tiny 1.2 */
	INKAN_BIMI_SVG_FOREIGN_ELEMENT, /* element of another namespace */
	INKAN_BIMI_SVG_DOCTYPE, /* a DOCTYPE (never loaded) */
};

/* "too-large", "not-xml", "forbidden-element", ...: static, never NULL. */
INKAN_API const char *inkan_bimi_svg_code_name(enum inkan_bimi_svg_code c);

enum inkan_bimi_severity {
	INKAN_BIMI_ERROR = 0,
	INKAN_BIMI_WARNING,
};

struct inkan_bimi_svg_finding {
	enum inkan_bimi_svg_code code;
	enum inkan_bimi_severity severity;
	unsigned line; /* 1-based line in the SVG, 0 when not about one */
	char message[200]; /* one sentence; document bytes in it escaped */
};

enum inkan_bimi_svg_verdict {
	INKAN_BIMI_SVG_PASS = 0, /* no finding */
	INKAN_BIMI_SVG_WARN, /* warnings only: usable */
	INKAN_BIMI_SVG_FAIL, /* at least one error: not usable */
};

/* Findings kept per report; further ones are only counted (omitted). */
#define INKAN_BIMI_SVG_FINDINGS_MAX 32

/* The result of a check; freed with inkan_bimi_svg_report_free(). */
struct inkan_bimi_svg_report {
	enum inkan_bimi_svg_verdict verdict;
	size_t nerrors, nwarnings; /* all of them, omitted ones included */
	size_t nfindings; /* <= INKAN_BIMI_SVG_FINDINGS_MAX */
	struct inkan_bimi_svg_finding *findings;
	size_t omitted; /* findings past the maximum, not kept */
};

/*
 * Checks svg[0..len) (an uncompressed document) against SVG Tiny PS:
 * size first (limits->bimi_svg_max), then a hardened parse with libxml2
 * (no network, no DTD loading, no entity substitution, and any entity
 * declaration refused before parsing), then the tree, depth and element
 * count bounded by limits. Checks the root (<svg> in the SVG namespace,
 * version="1.2", baseProfile="tiny-ps", no x/y, a <title>), every element
 * (no script, animation, foreignObject, image, ...), every attribute (no
 * event handlers; href and url() only to "#id"; no data: URIs), and the
 * aspect ratio (a warning when not square). limits: NULL for defaults.
 *
 * Returns INKAN_OK with *report_r set whenever the document was judged,
 * also when it fails; INKAN_ERR_NOMEM (*report_r NULL). libxml2's parser
 * is initialised on first use; a threaded program calls xmlInitParser()
 * (or this function) once before starting threads.
 */
INKAN_API enum inkan_status inkan_bimi_svg_check(const void *svg, size_t len,
    const struct inkan_limits *limits, struct inkan_bimi_svg_report **report_r);

/* Frees *rep and sets it to NULL. NULL is fine. */
INKAN_API void inkan_bimi_svg_report_free(struct inkan_bimi_svg_report **rep);

#ifdef __cplusplus
}
#endif

#endif
