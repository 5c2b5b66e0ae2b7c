/*
 * inkan/limits.h: every limit inkan enforces, in one place.
 *
 * Each limit is a named constant with the reason for its value, and a field
 * of struct inkan_limits, which parsers and checks take by pointer. Start
 * from the defaults and change what you must:
 *
 *	struct inkan_limits lim;
 *
 *	inkan_limits_default(&lim);
 *	lim.hdr_line_max = 998 + 2;	// reject anything RFC 5322 forbids
 *	inkan_hdr_parser_new(&lim, 0, &parser);
 *
 * A NULL limits pointer anywhere in the API means the defaults.
 */
#ifndef INKAN_LIMITS_H
#define INKAN_LIMITS_H

#include <inkan/common.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Message header section (lib/msg). RFC 5322 2.1.1 limits a line to 998
 * characters plus CRLF, but real mail breaks that; like Postfix's
 * line_length_limit and header_size_limit we accept more, then refuse
 * with a clear error instead of splitting or truncating a field (which
 * would break DKIM).
 */
#define INKAN_HDR_LINE_MAX 16384 /* one physical line, CRLF included */
#define INKAN_HDR_FIELD_MAX 102400 /* one field with all its folds */
#define INKAN_HDR_FIELDS_MAX 1000 /* fields in one header section */
#define INKAN_HDR_SECTION_MAX 1048576 /* whole header section, in bytes */

/* Address lists (RFC 5322 3.4) and SMTP paths (RFC 5321 4.1.2). */
#define INKAN_ADDR_LIST_MAX 1000 /* mailboxes in one address-list */
#define INKAN_ADDR_COMMENT_DEPTH 32 /* nesting of ( comments ) */
/* RFC 5321 4.5.3.1: local-part 64 octets, domain 255, path 256. */
#define INKAN_SMTP_LOCALPART_MAX 64
#define INKAN_SMTP_DOMAIN_MAX 255
#define INKAN_SMTP_PATH_MAX 256
/* RFC 1035 2.3.4: a name is at most 255 octets, a label 63. */
#define INKAN_DNS_NAME_MAX 255
#define INKAN_DNS_LABEL_MAX 63

/* DNS (lib/dns). */
/* Per query. RFC 7208 4.6.4 asks at least 20 s for a whole SPF check. */
#define INKAN_DNS_TIMEOUT_MS 5000
#define INKAN_DNS_CNAME_MAX 8 /* CNAME chain length before SERVFAIL */
#define INKAN_DNS_RR_MAX 1024 /* records in one answer */
/* One zone file for the zone backend (--zone, --overlay): far more than
   a what-if zone needs, small enough to hold in memory twice. */
#define INKAN_DNS_ZONE_FILE_MAX (64u * 1024 * 1024)

/* SPF (lib/spf). */
/* RFC 7208 4.6.4: at most 10 terms that query DNS (include a mx ptr exists
   redirect) per check_host() evaluation, nested levels included. */
#define INKAN_SPF_DNS_TERMS_MAX 10
/* RFC 7208 4.6.4: at most 10 MX names, and 10 PTR names, per lookup. */
#define INKAN_SPF_MX_NAMES_MAX 10
#define INKAN_SPF_PTR_NAMES_MAX 10
/* RFC 7208 4.6.4: at most 2 void lookups (NXDOMAIN or no answer). */
#define INKAN_SPF_VOID_MAX 2
/* One record (TXT strings joined). A TXT RRset rarely passes 4 KB; RFC
   7208 3.4 asks records to fit a 512-byte answer. */
#define INKAN_SPF_RECORD_MAX 8192
/* Terms in one record: every term takes at least 2 bytes with its SP. */
#define INKAN_SPF_TERMS_MAX 512
/* One macro expansion (an explanation is the longest: RFC 7208 6.2 text
   up to a TXT record's size). */
#define INKAN_SPF_EXPANSION_MAX 8192
/* include nesting; the 10-term limit already keeps it at 11 or less. */
#define INKAN_SPF_DEPTH_MAX 16
/* Parsed records (and "no record" answers) a context caches. */
#define INKAN_SPF_CACHE_MAX 4096
/* Seconds a "no SPF record" answer is cached when DNS gives no TTL. */
#define INKAN_SPF_NEGATIVE_TTL 60
/* DKIM (lib/dkim). */
/* DKIM-Signature fields checked per message; the rest get permerror
   "too many signatures". Each costs a key lookup and a verification, so
   an attacker must not be able to make a message cost a hundred. */
#define INKAN_DKIM_SIGNATURES_MAX 10
/* Key lookups (DNS queries) per message, cache hits not counted. */
#define INKAN_DKIM_KEY_LOOKUPS_MAX 10
/* Tags in one tag-list (RFC 6376 3.2): a signature uses at most 14. */
#define INKAN_DKIM_TAGS_MAX 64
/* Names in one h= list: oversigning doubles a long list. */
#define INKAN_DKIM_SIGNED_HEADERS_MAX 512
/* Key records considered from one TXT answer (RFC 6376 6.1.2). */
#define INKAN_DKIM_KEY_RECORDS_MAX 4
/* Decoded public keys cached per context, and their longest life in
   seconds whatever the DNS TTL says. */
#define INKAN_DKIM_KEY_CACHE_MAX 1024
#define INKAN_DKIM_KEY_CACHE_TTL_MAX 86400
/* Authentication-Results (lib/authres, RFC 8601). */
/* One field value: a busy receiver's field with a dozen results is under
   4 KB; the header parser already caps a field at hdr_field_max. */
#define INKAN_AUTHRES_FIELD_MAX 65536
/* Results (resinfo) in one field, and properties in one result: a DKIM
   result has five, RFC 8601 registers a handful per method. */
#define INKAN_AUTHRES_RESULTS_MAX 100
#define INKAN_AUTHRES_PROPS_MAX 32
/* Nesting of ( comments ) (RFC 5322 3.2.2): real fields nest none. */
#define INKAN_AUTHRES_COMMENT_DEPTH 16
/* ARC (lib/arc). RFC 8617 4.2.1: instance values range from 1 to 50; a
   chain with more ARC Sets fails (5.2 step 1), and a sealer cannot add a
   51st. */
#define INKAN_ARC_INSTANCES_MAX 50
/* Key lookups (DNS queries) for one chain, cache hits not counted. A chain
   of N sets has 2N signatures (RFC 8617 9.2 warns of the DNS load);
   sealers reuse their keys, so 20 covers ten distinct sealers each with
   separate seal and message keys. Checks past it fail. */
#define INKAN_ARC_KEY_LOOKUPS_MAX 20

/* DMARC (lib/dmarc). */
/* One DMARC Policy Record (TXT strings joined). RFC 9989 4.7 records are
   short; a few rua/ruf URIs fit in 1 KB. Longer is not a record. */
#define INKAN_DMARC_RECORD_MAX 4096
/* Tags in one record: RFC 9989 9.3 registers 14; the rest is padding. */
#define INKAN_DMARC_TAGS_MAX 64
/* URIs kept per rua= or ruf=; RFC 9990 2.1 expects a receiver to send to
   at least two, and a long list only multiplies outgoing mail. */
#define INKAN_DMARC_URIS_MAX 16
/* Parsed records (and "no record" answers) a context caches. */
#define INKAN_DMARC_CACHE_MAX 4096
/* Seconds a "no DMARC record" answer is cached when DNS gives no TTL, and
   the longest it is cached whatever DNS says. */
#define INKAN_DMARC_NEGATIVE_TTL 300
/* RFC 9989 11.5: Author Domains evaluated for one From field under
   INKAN_DMARC_MULTI_EACH ("limiting the number of Author Domains
   processed will avoid this risk"). Each costs up to 3 tree walks. */
#define INKAN_DMARC_FROM_DOMAINS_MAX 4

/* MTA-STS (lib/mtasts). RFC 8461 3.3 leaves the size to the sender; 64 KiB
   is what deployed senders (postfix-mta-sts-resolver, mox) allow, and far
   more than any real policy needs. */
#define INKAN_MTASTS_POLICY_MAX 65536
/* mx patterns in one policy: a policy lists a domain's MX hosts. */
#define INKAN_MTASTS_MX_MAX 256

/* TLS-RPT (lib/tlsrpt). One record, TXT strings joined. */
#define INKAN_TLSRPT_RECORD_MAX 4096
/* rua URIs in one record: RFC 8460 3 allows a list; more than a few is
   a mistake or an attack on the reporter. */
#define INKAN_TLSRPT_RUA_MAX 16

/* HTTPS (lib/https). RFC 8461 3.3 suggests a timeout of one minute for a
   policy fetch; every GET (lookup, connect, TLS, transfer) gets at most
   this long. */
#define INKAN_HTTPS_TIMEOUT_MS 60000u
/* The largest body a GET accepts unless the caller asks for less or more
   (an MTA-STS fetch asks for mtasts_policy_max): room for a BIMI SVG
   (draft-brand-indicators-for-message-identification asks for at most
   32 KiB) or a certificate chain, yet small enough to hold in memory. */
#define INKAN_HTTPS_BODY_MAX (1024u * 1024)
/* The longest URL fetched: more than any policy or BIMI URL needs. */
#define INKAN_HTTPS_URL_MAX 2048

/* BIMI (lib/bimi). One assertion record, TXT strings joined: two HTTPS
   URIs and an lps= list; URIs are rarely past 2000 bytes. */
#define INKAN_BIMI_RECORD_MAX 8192
/* One SVG indicator. The BIMI draft (Indicator Validation, step 1) leaves
   the maximum to "the BIMI SVG document"; the BIMI Group's SVG guidance
   sets 32 kilobytes, and receivers refuse larger logos. Checked before
   parsing, so nothing larger reaches the XML parser. */
#define INKAN_BIMI_SVG_MAX 32768
/* Element nesting in one SVG: logos nest groups a few levels; libxml2
   alone would allow 256. Bounds the checker's recursion. */
#define INKAN_BIMI_SVG_DEPTH_MAX 64
/* Elements in one SVG: 32 KB holds at most about 8000 empty elements;
   real logos have tens to a few hundred. */
#define INKAN_BIMI_SVG_ELEMENTS_MAX 4096

struct inkan_limits {
	/* lib/msg header parser */
	size_t hdr_line_max;
	size_t hdr_field_max;
	size_t hdr_fields_max;
	size_t hdr_section_max;
	/* lib/msg address and path parsers */
	size_t addr_list_max;
	size_t addr_comment_depth;
	size_t smtp_localpart_max;
	size_t smtp_domain_max;
	size_t smtp_path_max;
	/* lib/dns */
	unsigned dns_timeout_ms;
	size_t dns_cname_max;
	size_t dns_rr_max;
	size_t dns_zone_file_max;
	/* lib/spf */
	unsigned spf_dns_terms_max;
	unsigned spf_mx_names_max;
	unsigned spf_ptr_names_max;
	unsigned spf_void_max;
	size_t spf_record_max;
	size_t spf_terms_max;
	size_t spf_expansion_max;
	size_t spf_depth_max;
	size_t spf_cache_max;
	unsigned spf_negative_ttl;
	/* lib/dkim */
	size_t dkim_signatures_max;
	size_t dkim_key_lookups_max;
	size_t dkim_tags_max;
	size_t dkim_signed_headers_max;
	size_t dkim_key_records_max;
	size_t dkim_key_cache_max;
	unsigned dkim_key_cache_ttl_max;
	/* lib/mtasts */
	size_t mtasts_policy_max;
	size_t mtasts_mx_max;
	/* lib/tlsrpt */
	size_t tlsrpt_record_max;
	size_t tlsrpt_rua_max;
	/* lib/authres */
	size_t authres_field_max;
	size_t authres_results_max;
	size_t authres_props_max;
	size_t authres_comment_depth;
	/* lib/arc */
	size_t arc_instances_max;
	size_t arc_key_lookups_max;
	/* lib/dmarc */
	size_t dmarc_record_max;
	size_t dmarc_tags_max;
	size_t dmarc_uris_max;
	size_t dmarc_cache_max;
	unsigned dmarc_negative_ttl;
	size_t dmarc_from_domains_max;
	/* lib/https */
	unsigned https_timeout_ms;
	size_t https_body_max;
	size_t https_url_max;
	/* lib/bimi */
	size_t bimi_record_max;
	size_t bimi_svg_max;
	size_t bimi_svg_depth_max;
	size_t bimi_svg_elements_max;
};

/* Fills *lim with the defaults above. */
INKAN_API void inkan_limits_default(struct inkan_limits *lim);

/* The defaults, for callers that pass NULL. Never NULL. */
INKAN_API const struct inkan_limits *inkan_limits_defaults(void);

#ifdef __cplusplus
}
#endif

#endif
