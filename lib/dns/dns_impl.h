/*
 * dns_impl.h: what the parts of lib/dns share and nobody else sees.
 *
 * resolver.c is the front end: it validates the name, turns it into wire
 * form, dispatches to a backend through struct dns_backend_ops and counts
 * the answers. rr.c turns ldns records into struct inkan_dns_record and
 * builds answers from an answer section; zone.c, zonefile.c, unbound.c and
 * overlay.c are the backends.
 */
#ifndef INKAN_DNS_IMPL_H
#define INKAN_DNS_IMPL_H

#include <stdatomic.h>

#include <ldns/ldns.h>

#include <inkan/dns.h>

/* A validated query: the name in lowercase wire form (RFC 1035 3.1). */
struct dns_query {
	uint8_t wire[INKAN_DNS_NAME_MAX];
	size_t wire_len;
	enum inkan_dns_type type;
};

struct dns_backend_ops {
	const char *name;
	/*
	 * Answers q; *answer_r is set on INKAN_OK. r is the front end,
	 * for backends that call back into the public API.
	 */
	enum inkan_status (*lookup)(struct inkan_resolver *r, void *impl,
	    const struct dns_query *q, struct inkan_dns_answer **answer_r);
	void (*free)(void *impl);
};

struct inkan_resolver {
	const struct dns_backend_ops *ops;
	void *impl;
	struct inkan_limits limits;
	_Atomic uint64_t queries;
	_Atomic uint64_t by_rcode[INKAN_DNS_TIMEOUT + 1];
};

/*
 * Wraps impl in a new front end; on failure calls ops->free(impl), so the
 * caller hands impl over in every case.
 */
enum inkan_status dns_resolver_new(const struct dns_backend_ops *ops,
    void *impl, const struct inkan_limits *limits, struct inkan_resolver **r_r);

/* r's backend state if r has backend ops, else NULL. */
void *dns_resolver_impl(
    struct inkan_resolver *r, const struct dns_backend_ops *ops);

/* Dispatches q to r's backend and counts the answer. */
enum inkan_status dns_lookup_query(struct inkan_resolver *r,
    const struct dns_query *q, struct inkan_dns_answer **answer_r);

/* q for a name in our presentation form (as answers carry it). */
enum inkan_status dns_query_from_presentation(
    const char *name, enum inkan_dns_type type, struct dns_query *q);

/* True for types a lookup may not ask for (RFC 6895 3.1). */
bool dns_type_is_meta(unsigned type);

/* ---- names (resolver.c) ------------------------------------------------ */

/*
 * Text name (no escapes interpreted, trailing dot optional, "." the root)
 * to lowercase wire form in wire[INKAN_DNS_NAME_MAX]. INKAN_ERR_INVAL for
 * an empty label, a label over 63 octets or a name over 253 characters.
 */
enum inkan_status dns_name_from_text(
    const char *name, uint8_t *wire, size_t *len_r);

/*
 * Appends the presentation form of wire name wire[0..len) as the public
 * header describes (lowercase, escaped, no trailing dot, root ".").
 * INKAN_ERR_SYNTAX if wire is not a well-formed uncompressed name.
 */
enum inkan_status dns_name_format(
    const uint8_t *wire, size_t len, struct inkan_buf *out);

/* A malloc'd presentation form of a wire name, or NULL (see status). */
enum inkan_status dns_name_strdup(
    const uint8_t *wire, size_t len, char **str_r);

/* ASCII case-insensitive equality of two wire names. */
bool dns_wire_eq(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen);

/* Length of the wire name at wire (up to max bytes), 0 if malformed. */
size_t dns_wire_len(const uint8_t *wire, size_t max);

/* ---- records and answers (rr.c) ---------------------------------------- */

/* Converts rr into *rec (owned by the caller; free with dns_record_clear). */
enum inkan_status dns_record_from_ldns(
    const ldns_rr *rr, struct inkan_dns_record *rec);
void dns_record_clear(struct inkan_dns_record *rec);

/* A new answer for q with no records. why may be NULL. */
enum inkan_status dns_answer_new(const struct dns_query *q,
    enum inkan_dns_rcode rcode, const char *why,
    struct inkan_dns_answer **answer_r);

/*
 * Builds the answer to q from an answer section: follows CNAMEs from the
 * queried name through rrs (at most limits->dns_cname_max of them) and
 * takes the records of q->type at the end of the chain, class IN only.
 * rcode is the server's (NOERROR or NXDOMAIN, or a failure); NOERROR
 * without records becomes NODATA. neg_ttl is the TTL for an answer without
 * records. More records than limits->dns_rr_max give SERVFAIL.
 */
enum inkan_status dns_answer_from_rrs(const struct dns_query *q,
    enum inkan_dns_rcode rcode, const ldns_rr_list *rrs, bool secure,
    uint32_t neg_ttl, const struct inkan_limits *limits,
    struct inkan_dns_answer **answer_r);

/* Sets a->why to a copy of why (replacing any). */
enum inkan_status dns_answer_set_why(
    struct inkan_dns_answer *a, const char *why);

/* ---- zone tables (zone.c) and zone text (zonefile.c) ------------------- */

struct zone_table;

enum inkan_status zone_table_new(struct zone_table **t_r);
void zone_table_free(struct zone_table **t);

/*
 * Adds rr to t, taking ownership of it in every case. Identical records
 * are kept once (RFC 2181 5); INKAN_ERR_LIMIT if the RRset would hold more
 * than rr_max records.
 */
enum inkan_status zone_table_add_rr(
    struct zone_table *t, ldns_rr *rr, size_t rr_max);

/* rcode NOERROR removes the fault. Type 0 is every type. */
enum inkan_status zone_table_set_fault(struct zone_table *t,
    const uint8_t *wire, size_t len, unsigned type, enum inkan_dns_rcode rcode);
enum inkan_status zone_table_set_secure(
    struct zone_table *t, const uint8_t *wire, size_t len);

/*
 * Parses zone text into t (a fresh table the caller merges afterwards).
 * single_rr: the text must hold exactly one record and no directives.
 */
enum inkan_status zone_text_parse(const uint8_t *text, size_t len,
    bool single_rr, const struct inkan_limits *limits, struct zone_table *t,
    struct inkan_zone_error *err_r);

#endif
