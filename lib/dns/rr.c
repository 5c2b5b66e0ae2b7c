/*
 * rr.c: ldns records to struct inkan_dns_record, and answers built from an
 * answer section. Both the zone and the unbound backend go through here,
 * so TXT strings, MX, TLSA and CNAME chains come out the same from both.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns/dns_impl.h"

static enum inkan_status
rdf_name(const ldns_rdf *rdf, char **str_r)
{
	if (ldns_rdf_get_type(rdf) != LDNS_RDF_TYPE_DNAME)
		return INKAN_ERR_SYNTAX;
	return dns_name_strdup(ldns_rdf_data(rdf), ldns_rdf_size(rdf), str_r);
}

static uint8_t *
memdup0(const void *p, size_t n)
{
	uint8_t *d;
	size_t sz;

	if (!inkan_size_add(n, 1, &sz) || (d = malloc(sz)) == NULL)
		return NULL;
	if (n > 0)
		memcpy(d, p, n);
	d[n] = 0;
	return d;
}

/* True when rr has exactly n rdata fields. */
static bool
rd_count_is(const ldns_rr *rr, size_t n)
{
	return ldns_rr_rd_count(rr) == n;
}

static bool
rdf_is(const ldns_rr *rr, size_t i, ldns_rdf_type type, size_t size)
{
	const ldns_rdf *f = ldns_rr_rdf(rr, i);

	return f != NULL && ldns_rdf_get_type(f) == type &&
	    (size == 0 || ldns_rdf_size(f) == size);
}

/* RFC 1035 3.3.14: one or more <character-string>s. */
static enum inkan_status
txt_from_ldns(const ldns_rr *rr, struct inkan_dns_record *rec)
{
	size_t n = ldns_rr_rd_count(rr), i;

	for (i = 0; i < n; i++) {
		const ldns_rdf *f = ldns_rr_rdf(rr, i);

		if (ldns_rdf_get_type(f) != LDNS_RDF_TYPE_STR ||
		    ldns_rdf_size(f) < 1 ||
		    (size_t)ldns_rdf_data(f)[0] + 1 != ldns_rdf_size(f))
			return INKAN_ERR_SYNTAX;
	}
	if (n == 0)
		return INKAN_ERR_SYNTAX;
	if ((rec->u.txt.strings = calloc(n, sizeof(*rec->u.txt.strings))) ==
	    NULL)
		return INKAN_ERR_NOMEM;
	for (i = 0; i < n; i++) {
		const ldns_rdf *f = ldns_rr_rdf(rr, i);
		struct inkan_dns_string *s = &rec->u.txt.strings[i];

		s->len = ldns_rdf_data(f)[0];
		if ((s->data = memdup0(ldns_rdf_data(f) + 1, s->len)) == NULL)
			return INKAN_ERR_NOMEM;
		rec->u.txt.count = i + 1;
	}
	return INKAN_OK;
}

/*
 * Fills rec's typed member; INKAN_ERR_SYNTAX when the rdata does not have
 * the type's shape (the caller then falls back to raw).
 */
static enum inkan_status
typed_from_ldns(const ldns_rr *rr, struct inkan_dns_record *rec)
{
	switch ((unsigned)rec->type) {
	case INKAN_DNS_A:
		if (!rd_count_is(rr, 1) || !rdf_is(rr, 0, LDNS_RDF_TYPE_A, 4))
			return INKAN_ERR_SYNTAX;
		memcpy(rec->u.addr, ldns_rdf_data(ldns_rr_rdf(rr, 0)), 4);
		return INKAN_OK;
	case INKAN_DNS_AAAA:
		if (!rd_count_is(rr, 1) ||
		    !rdf_is(rr, 0, LDNS_RDF_TYPE_AAAA, 16))
			return INKAN_ERR_SYNTAX;
		memcpy(rec->u.addr, ldns_rdf_data(ldns_rr_rdf(rr, 0)), 16);
		return INKAN_OK;
	case INKAN_DNS_MX:
		if (!rd_count_is(rr, 2) ||
		    !rdf_is(rr, 0, LDNS_RDF_TYPE_INT16, 2))
			return INKAN_ERR_SYNTAX;
		rec->u.mx.preference =
		    ldns_rdf2native_int16(ldns_rr_rdf(rr, 0));
		return rdf_name(ldns_rr_rdf(rr, 1), &rec->u.mx.exchange);
	case INKAN_DNS_CNAME:
	case INKAN_DNS_PTR:
	case INKAN_DNS_NS:
		if (!rd_count_is(rr, 1))
			return INKAN_ERR_SYNTAX;
		return rdf_name(ldns_rr_rdf(rr, 0), &rec->u.target);
	case INKAN_DNS_TXT:
	case INKAN_DNS_SPF:
		return txt_from_ldns(rr, rec);
	case INKAN_DNS_TLSA: {
		const ldns_rdf *d;

		/* RFC 6698 2.1: usage, selector, matching type, data. */
		if (!rd_count_is(rr, 4) ||
		    ldns_rdf_size(ldns_rr_rdf(rr, 0)) != 1 ||
		    ldns_rdf_size(ldns_rr_rdf(rr, 1)) != 1 ||
		    ldns_rdf_size(ldns_rr_rdf(rr, 2)) != 1)
			return INKAN_ERR_SYNTAX;
		rec->u.tlsa.usage = ldns_rdf_data(ldns_rr_rdf(rr, 0))[0];
		rec->u.tlsa.selector = ldns_rdf_data(ldns_rr_rdf(rr, 1))[0];
		rec->u.tlsa.matching_type =
		    ldns_rdf_data(ldns_rr_rdf(rr, 2))[0];
		d = ldns_rr_rdf(rr, 3);
		rec->u.tlsa.len = ldns_rdf_size(d);
		if ((rec->u.tlsa.data =
			    memdup0(ldns_rdf_data(d), rec->u.tlsa.len)) == NULL)
			return INKAN_ERR_NOMEM;
		return INKAN_OK;
	}
	default:
		return INKAN_ERR_SYNTAX;
	}
}

static enum inkan_status
raw_from_ldns(const ldns_rr *rr, struct inkan_dns_record *rec)
{
	ldns_buffer *b;
	enum inkan_status st = INKAN_OK;

	rec->is_raw = true;
	if ((b = ldns_buffer_new(64)) == NULL)
		return INKAN_ERR_NOMEM;
	if (ldns_rr_rdata2buffer_wire(b, rr) != LDNS_STATUS_OK)
		st = INKAN_ERR_NOMEM;
	else {
		rec->u.raw.len = ldns_buffer_position(b);
		if ((rec->u.raw.data = memdup0(
			 ldns_buffer_begin(b), rec->u.raw.len)) == NULL)
			st = INKAN_ERR_NOMEM;
	}
	ldns_buffer_free(b);
	return st;
}

void
dns_record_clear(struct inkan_dns_record *rec)
{
	size_t i;

	free(rec->owner);
	if (rec->is_raw)
		free(rec->u.raw.data);
	else {
		switch ((unsigned)rec->type) {
		case INKAN_DNS_MX:
			free(rec->u.mx.exchange);
			break;
		case INKAN_DNS_CNAME:
		case INKAN_DNS_PTR:
		case INKAN_DNS_NS:
			free(rec->u.target);
			break;
		case INKAN_DNS_TXT:
		case INKAN_DNS_SPF:
			for (i = 0; i < rec->u.txt.count; i++)
				free(rec->u.txt.strings[i].data);
			free(rec->u.txt.strings);
			break;
		case INKAN_DNS_TLSA:
			free(rec->u.tlsa.data);
			break;
		default:
			break;
		}
	}
	memset(rec, 0, sizeof(*rec));
}

enum inkan_status
dns_record_from_ldns(const ldns_rr *rr, struct inkan_dns_record *rec)
{
	const ldns_rdf *owner = ldns_rr_owner(rr);
	enum inkan_status st;

	memset(rec, 0, sizeof(*rec));
	if ((st = dns_name_strdup(ldns_rdf_data(owner), ldns_rdf_size(owner),
		 &rec->owner)) != INKAN_OK)
		return st;
	rec->type = (enum inkan_dns_type)ldns_rr_get_type(rr);
	rec->ttl = ldns_rr_ttl(rr);
	st = typed_from_ldns(rr, rec);
	if (st == INKAN_ERR_SYNTAX) {
		/* Not the type's shape: keep the bytes, typed fields go. */
		char *owner_str = rec->owner;

		rec->owner = NULL;
		dns_record_clear(rec);
		rec->owner = owner_str;
		rec->type = (enum inkan_dns_type)ldns_rr_get_type(rr);
		rec->ttl = ldns_rr_ttl(rr);
		st = raw_from_ldns(rr, rec);
	}
	if (st != INKAN_OK)
		dns_record_clear(rec);
	return st;
}

/* ---- answers ---------------------------------------------------------- */

enum inkan_status
dns_answer_set_why(struct inkan_dns_answer *a, const char *why)
{
	char *w = NULL;

	if (why != NULL) {
		size_t n = strlen(why);

		if ((w = (char *)memdup0(why, n)) == NULL)
			return INKAN_ERR_NOMEM;
	}
	free(a->why);
	a->why = w;
	return INKAN_OK;
}

enum inkan_status
dns_answer_new(const struct dns_query *q, enum inkan_dns_rcode rcode,
    const char *why, struct inkan_dns_answer **answer_r)
{
	struct inkan_dns_answer *a;
	enum inkan_status st;

	*answer_r = NULL;
	if ((a = calloc(1, sizeof(*a))) == NULL)
		return INKAN_ERR_NOMEM;
	a->type = q->type;
	a->rcode = rcode;
	if ((st = dns_name_strdup(q->wire, q->wire_len, &a->name)) !=
		INKAN_OK ||
	    (st = dns_name_strdup(q->wire, q->wire_len, &a->canonical_name)) !=
		INKAN_OK ||
	    (st = dns_answer_set_why(a, why)) != INKAN_OK) {
		inkan_dns_answer_free(&a);
		return st;
	}
	*answer_r = a;
	return INKAN_OK;
}

static bool
owner_is(const ldns_rr *rr, const uint8_t *wire, size_t len)
{
	const ldns_rdf *o = ldns_rr_owner(rr);

	return o != NULL && ldns_rr_get_class(rr) == LDNS_RR_CLASS_IN &&
	    dns_wire_eq(ldns_rdf_data(o), ldns_rdf_size(o), wire, len);
}

static const ldns_rr *
find_cname(const ldns_rr_list *rrs, const uint8_t *wire, size_t len)
{
	size_t i;

	for (i = 0; i < ldns_rr_list_rr_count(rrs); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(rrs, i);

		if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_CNAME &&
		    owner_is(rr, wire, len) && ldns_rr_rd_count(rr) == 1 &&
		    ldns_rdf_get_type(ldns_rr_rdf(rr, 0)) ==
			LDNS_RDF_TYPE_DNAME)
			return rr;
	}
	return NULL;
}

static enum inkan_status
append_record(struct inkan_dns_record **recs, size_t *n, const ldns_rr *rr)
{
	struct inkan_dns_record *p;
	size_t sz;
	enum inkan_status st;

	if (!inkan_size_add(*n, 1, &sz) ||
	    !inkan_size_mul(sz, sizeof(**recs), &sz))
		return INKAN_ERR_NOMEM;
	if ((p = realloc(*recs, sz)) == NULL)
		return INKAN_ERR_NOMEM;
	*recs = p;
	if ((st = dns_record_from_ldns(rr, &p[*n])) != INKAN_OK)
		return st;
	(*n)++;
	return INKAN_OK;
}

/* Turns a into a SERVFAIL without records, saying why. */
static enum inkan_status
answer_fail(struct inkan_dns_answer *a, const char *why)
{
	size_t i;

	for (i = 0; i < a->count; i++)
		dns_record_clear(&a->records[i]);
	a->count = 0;
	a->rcode = INKAN_DNS_SERVFAIL;
	a->ttl = 0;
	return dns_answer_set_why(a, why);
}

static enum inkan_status
build(struct inkan_dns_answer *a, const struct dns_query *q,
    const ldns_rr_list *rrs, const struct inkan_limits *lim)
{
	const uint8_t *cur = q->wire;
	size_t cur_len = q->wire_len, links = 0, i;
	uint32_t ttl = UINT32_MAX;
	enum inkan_status st;
	char why[96];

	for (;;) {
		const ldns_rr *cn;
		bool have = false;

		for (i = 0; i < ldns_rr_list_rr_count(rrs) && !have; i++) {
			const ldns_rr *rr = ldns_rr_list_rr(rrs, i);

			have = (unsigned)ldns_rr_get_type(rr) ==
				(unsigned)q->type &&
			    owner_is(rr, cur, cur_len);
		}
		if (have || q->type == INKAN_DNS_CNAME ||
		    (cn = find_cname(rrs, cur, cur_len)) == NULL)
			break;
		/* RFC 1034 3.6.2: restart the query at the CNAME's target. */
		if (links == lim->dns_cname_max) {
			snprintf(why, sizeof(why),
			    "CNAME chain longer than %zu links",
			    lim->dns_cname_max);
			return answer_fail(a, why);
		}
		if ((st = append_record(&a->chain, &a->chain_count, cn)) !=
		    INKAN_OK)
			return st;
		if (cn != NULL && ldns_rr_ttl(cn) < ttl)
			ttl = ldns_rr_ttl(cn);
		cur = ldns_rdf_data(ldns_rr_rdf(cn, 0));
		cur_len = ldns_rdf_size(ldns_rr_rdf(cn, 0));
		links++;
	}
	if (links > 0) {
		free(a->canonical_name);
		a->canonical_name = NULL;
		if ((st = dns_name_strdup(cur, cur_len, &a->canonical_name)) !=
		    INKAN_OK)
			return st;
	}
	for (i = 0; i < ldns_rr_list_rr_count(rrs); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(rrs, i);

		if ((unsigned)ldns_rr_get_type(rr) != (unsigned)q->type ||
		    !owner_is(rr, cur, cur_len))
			continue;
		if (a->count == lim->dns_rr_max) {
			snprintf(why, sizeof(why),
			    "answer has more than %zu records",
			    lim->dns_rr_max);
			return answer_fail(a, why);
		}
		if ((st = append_record(&a->records, &a->count, rr)) !=
		    INKAN_OK)
			return st;
		if (ldns_rr_ttl(rr) < ttl)
			ttl = ldns_rr_ttl(rr);
	}
	if (a->count > 0) {
		a->rcode = INKAN_DNS_NOERROR;
		a->ttl = ttl;
	} else if (a->rcode == INKAN_DNS_NOERROR)
		a->rcode = INKAN_DNS_NODATA;
	return INKAN_OK;
}

enum inkan_status
dns_answer_from_rrs(const struct dns_query *q, enum inkan_dns_rcode rcode,
    const ldns_rr_list *rrs, bool secure, uint32_t neg_ttl,
    const struct inkan_limits *lim, struct inkan_dns_answer **answer_r)
{
	struct inkan_dns_answer *a;
	enum inkan_status st;

	if ((st = dns_answer_new(q, rcode, NULL, &a)) != INKAN_OK)
		return st;
	a->secure = secure;
	a->ttl = neg_ttl;
	if (rrs != NULL &&
	    (rcode == INKAN_DNS_NOERROR || rcode == INKAN_DNS_NXDOMAIN ||
		rcode == INKAN_DNS_NODATA) &&
	    (st = build(a, q, rrs, lim)) != INKAN_OK) {
		inkan_dns_answer_free(&a);
		return st;
	}
	if (rrs == NULL && rcode == INKAN_DNS_NOERROR)
		a->rcode = INKAN_DNS_NODATA;
	*answer_r = a;
	return INKAN_OK;
}
