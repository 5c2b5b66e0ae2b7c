/*
 * resolver.c: the resolver front end: names, types, dispatch to a backend,
 * counting, and freeing answers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns/dns_impl.h"

/* ---- types and rcodes ------------------------------------------------- */

bool
dns_type_is_meta(unsigned type)
{
	/* RFC 6895 3.1: 0 is reserved, 41 is OPT, 128-255 are meta and
	 * query types (TKEY, TSIG, IXFR, AXFR, ANY, ...). */
	return type == 0 || type == 41 || (type >= 128 && type <= 255) ||
	    type > 65535;
}

/* RFC 3597 5: "TYPE" followed by the decimal type number. */
static bool
parse_generic_type(const char *name, unsigned *type_r)
{
	struct inkan_view v = inkan_view_cstr(name);
	unsigned long n = 0;
	size_t i;

	if (!inkan_view_prefix_nocase(v, INKAN_VIEW_LIT("TYPE")) ||
	    v.len == 4 || v.len > 9)
		return false;
	for (i = 4; i < v.len; i++) {
		if (!inkan_cc_is(v.ptr[i], INKAN_CC_DIGIT))
			return false;
		n = n * 10 + (unsigned long)(v.ptr[i] - '0');
	}
	if (n > 65535)
		return false;
	*type_r = (unsigned)n;
	return true;
}

enum inkan_status
inkan_dns_type_from_name(const char *name, enum inkan_dns_type *type_r)
{
	unsigned type;
	size_t i;

	if (name == NULL || type_r == NULL)
		return INKAN_ERR_INVAL;
	if (inkan_view_prefix_nocase(
		inkan_view_cstr(name), INKAN_VIEW_LIT("TYPE"))) {
		/* Only our strict reading: ldns would take "TYPE1x" as 1. */
		if (!parse_generic_type(name, &type))
			return INKAN_ERR_SYNTAX;
	} else {
		/* ldns knows every mnemonic; only give it plain words. */
		for (i = 0; name[i] != '\0'; i++)
			if (!inkan_cc_is((uint8_t)name[i], INKAN_CC_ALNUM) &&
			    name[i] != '-')
				return INKAN_ERR_SYNTAX;
		if (i == 0 || i > 16)
			return INKAN_ERR_SYNTAX;
		type = ldns_get_rr_type_by_name(name);
		if (type == 0)
			return INKAN_ERR_SYNTAX;
	}
	if (dns_type_is_meta(type))
		return INKAN_ERR_INVAL;
	*type_r = (enum inkan_dns_type)type;
	return INKAN_OK;
}

const char *
inkan_dns_type_to_name(enum inkan_dns_type type)
{
	const ldns_rr_descriptor *d;

	if ((unsigned)type > 65535)
		return NULL;
	d = ldns_rr_descript((uint16_t)type);
	if (d == NULL || d->_name == NULL || strncmp(d->_name, "TYPE", 4) == 0)
		return NULL;
	return d->_name;
}

const char *
inkan_dns_rcode_to_name(enum inkan_dns_rcode rcode)
{
	switch (rcode) {
	case INKAN_DNS_NOERROR:
		return "NOERROR";
	case INKAN_DNS_NXDOMAIN:
		return "NXDOMAIN";
	case INKAN_DNS_NODATA:
		return "NODATA";
	case INKAN_DNS_SERVFAIL:
		return "SERVFAIL";
	case INKAN_DNS_TIMEOUT:
		return "TIMEOUT";
	}
	return "UNKNOWN";
}

/* ---- names ------------------------------------------------------------ */

enum inkan_status
dns_name_from_text(const char *name, uint8_t *wire, size_t *len_r)
{
	size_t n, i, start, out = 0;

	if (name == NULL)
		return INKAN_ERR_INVAL;
	n = strlen(name);
	if (n == 1 && name[0] == '.') {
		wire[0] = 0;
		*len_r = 1;
		return INKAN_OK;
	}
	if (n > 0 && name[n - 1] == '.')
		n--;
	/* RFC 1035 2.3.4: 255 octets in wire form are 253 characters. */
	if (n == 0 || n > INKAN_DNS_NAME_MAX - 2)
		return INKAN_ERR_INVAL;
	start = 0;
	for (i = 0; i <= n; i++) {
		size_t llen, j;

		if (i < n && name[i] != '.')
			continue;
		llen = i - start;
		if (llen == 0 || llen > INKAN_DNS_LABEL_MAX)
			return INKAN_ERR_INVAL;
		wire[out++] = (uint8_t)llen;
		for (j = start; j < i; j++)
			wire[out++] = inkan_ascii_lower((uint8_t)name[j]);
		start = i + 1;
	}
	wire[out++] = 0;
	*len_r = out;
	return INKAN_OK;
}

size_t
dns_wire_len(const uint8_t *wire, size_t max)
{
	size_t pos = 0;

	while (pos < max) {
		uint8_t l = wire[pos];

		if (l == 0)
			return pos + 1 <= INKAN_DNS_NAME_MAX ? pos + 1 : 0;
		if (l > INKAN_DNS_LABEL_MAX || max - pos - 1 < l)
			return 0;
		pos += 1 + (size_t)l;
	}
	return 0;
}

bool
dns_wire_eq(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	size_t i;

	if (alen != blen)
		return false;
	for (i = 0; i < alen; i++)
		if (inkan_ascii_lower(a[i]) != inkan_ascii_lower(b[i]))
			return false;
	return true;
}

/* RFC 1035 5.1: characters that need a backslash inside a label. */
static bool
needs_backslash(uint8_t c)
{
	return c == '.' || c == '\\' || c == '"' || c == '(' || c == ')' ||
	    c == ';' || c == '@' || c == '$';
}

enum inkan_status
dns_name_format(const uint8_t *wire, size_t len, struct inkan_buf *out)
{
	size_t pos = 0;

	if (dns_wire_len(wire, len) != len)
		return INKAN_ERR_SYNTAX;
	if (len == 1)
		return inkan_buf_append_byte(out, '.');
	while (wire[pos] != 0) {
		size_t l = wire[pos++], i;

		if (pos > 1)
			inkan_buf_append_byte(out, '.');
		for (i = 0; i < l; i++) {
			uint8_t c = inkan_ascii_lower(wire[pos + i]);

			if (c <= 0x20 || c >= 0x7f)
				inkan_buf_printf(out, "\\%03u", (unsigned)c);
			else if (needs_backslash(c)) {
				inkan_buf_append_byte(out, '\\');
				inkan_buf_append_byte(out, c);
			} else
				inkan_buf_append_byte(out, c);
		}
		pos += l;
	}
	return out->err;
}

enum inkan_status
dns_name_strdup(const uint8_t *wire, size_t len, char **str_r)
{
	struct inkan_buf b;
	enum inkan_status st;
	size_t n;

	*str_r = NULL;
	/* 255 octets, each at most 4 characters as \DDD. */
	inkan_buf_init(&b, 4 * INKAN_DNS_NAME_MAX + 1);
	if ((st = dns_name_format(wire, len, &b)) == INKAN_OK &&
	    (*str_r = (char *)inkan_buf_steal(&b, &n)) == NULL)
		st = INKAN_ERR_NOMEM;
	inkan_buf_clear(&b);
	return st;
}

/* ---- answers ---------------------------------------------------------- */

static void
records_free(struct inkan_dns_record *recs, size_t n)
{
	size_t i;

	if (recs == NULL)
		return;
	for (i = 0; i < n; i++)
		dns_record_clear(&recs[i]);
	free(recs);
}

void
inkan_dns_answer_free(struct inkan_dns_answer **ap)
{
	struct inkan_dns_answer *a;

	if (ap == NULL || (a = *ap) == NULL)
		return;
	records_free(a->records, a->count);
	records_free(a->chain, a->chain_count);
	free(a->name);
	free(a->canonical_name);
	free(a->why);
	free(a);
	*ap = NULL;
}

enum inkan_status
inkan_dns_txt_join(const struct inkan_dns_record *rr, struct inkan_buf *out)
{
	size_t i;

	if (rr == NULL || out == NULL || rr->is_raw ||
	    (rr->type != INKAN_DNS_TXT && rr->type != INKAN_DNS_SPF))
		return INKAN_ERR_INVAL;
	/* RFC 7208 3.3, RFC 6376 3.6.2.2: concatenate, add nothing. */
	for (i = 0; i < rr->u.txt.count; i++)
		inkan_buf_append(
		    out, rr->u.txt.strings[i].data, rr->u.txt.strings[i].len);
	return out->err;
}

/* ---- the front end ---------------------------------------------------- */

enum inkan_status
dns_resolver_new(const struct dns_backend_ops *ops, void *impl,
    const struct inkan_limits *limits, struct inkan_resolver **r_r)
{
	struct inkan_resolver *r;
	size_t i;

	*r_r = NULL;
	if ((r = calloc(1, sizeof(*r))) == NULL) {
		ops->free(impl);
		return INKAN_ERR_NOMEM;
	}
	r->ops = ops;
	r->impl = impl;
	r->limits = limits != NULL ? *limits : *inkan_limits_defaults();
	atomic_init(&r->queries, 0);
	for (i = 0; i <= INKAN_DNS_TIMEOUT; i++)
		atomic_init(&r->by_rcode[i], 0);
	*r_r = r;
	return INKAN_OK;
}

void *
dns_resolver_impl(struct inkan_resolver *r, const struct dns_backend_ops *ops)
{
	return r != NULL && r->ops == ops ? r->impl : NULL;
}

enum inkan_status
inkan_resolver_lookup(struct inkan_resolver *r, const char *name,
    enum inkan_dns_type type, struct inkan_dns_answer **answer_r)
{
	struct dns_query q;
	enum inkan_status st;

	if (answer_r == NULL)
		return INKAN_ERR_INVAL;
	*answer_r = NULL;
	if (r == NULL || dns_type_is_meta((unsigned)type))
		return INKAN_ERR_INVAL;
	memset(&q, 0, sizeof(q));
	if ((st = dns_name_from_text(name, q.wire, &q.wire_len)) != INKAN_OK)
		return st;
	q.type = type;
	return dns_lookup_query(r, &q, answer_r);
}

enum inkan_status
dns_lookup_query(struct inkan_resolver *r, const struct dns_query *q,
    struct inkan_dns_answer **answer_r)
{
	enum inkan_status st;

	*answer_r = NULL;
	if ((st = r->ops->lookup(r, r->impl, q, answer_r)) != INKAN_OK) {
		inkan_dns_answer_free(answer_r);
		return st;
	}
	atomic_fetch_add(&r->queries, 1);
	if ((unsigned)(*answer_r)->rcode <= INKAN_DNS_TIMEOUT)
		atomic_fetch_add(&r->by_rcode[(*answer_r)->rcode], 1);
	return INKAN_OK;
}

enum inkan_status
dns_query_from_presentation(
    const char *name, enum inkan_dns_type type, struct dns_query *q)
{
	char buf[4 * INKAN_DNS_NAME_MAX + 2];
	ldns_rdf *rdf;
	int n;

	memset(q, 0, sizeof(*q));
	q->type = type;
	/* Our names have no trailing dot; ldns wants one to see them whole. */
	n = snprintf(
	    buf, sizeof(buf), "%s%s", name, strcmp(name, ".") == 0 ? "" : ".");
	if (n < 0 || (size_t)n >= sizeof(buf))
		return INKAN_ERR_INVAL;
	if ((rdf = ldns_dname_new_frm_str(buf)) == NULL)
		return INKAN_ERR_INVAL;
	q->wire_len = ldns_rdf_size(rdf);
	if (dns_wire_len(ldns_rdf_data(rdf), q->wire_len) != q->wire_len) {
		ldns_rdf_deep_free(rdf);
		return INKAN_ERR_INVAL;
	}
	memcpy(q->wire, ldns_rdf_data(rdf), q->wire_len);
	ldns_rdf_deep_free(rdf);
	return INKAN_OK;
}

/* C17 atomic_load() takes a pointer to non-const; the counters are only
 * read here. */
static struct inkan_resolver *
unconst(const struct inkan_resolver *r)
{
	return (struct inkan_resolver *)(uintptr_t)r;
}

uint64_t
inkan_resolver_queries(const struct inkan_resolver *r)
{
	return r != NULL ? atomic_load(&unconst(r)->queries) : 0;
}

void
inkan_resolver_stats(
    const struct inkan_resolver *cr, struct inkan_resolver_stats *st)
{
	struct inkan_resolver *r = unconst(cr);

	if (st == NULL)
		return;
	memset(st, 0, sizeof(*st));
	if (r == NULL)
		return;
	st->queries = atomic_load(&r->queries);
	st->noerror = atomic_load(&r->by_rcode[INKAN_DNS_NOERROR]);
	st->nxdomain = atomic_load(&r->by_rcode[INKAN_DNS_NXDOMAIN]);
	st->nodata = atomic_load(&r->by_rcode[INKAN_DNS_NODATA]);
	st->servfail = atomic_load(&r->by_rcode[INKAN_DNS_SERVFAIL]);
	st->timeout = atomic_load(&r->by_rcode[INKAN_DNS_TIMEOUT]);
}

void
inkan_resolver_free(struct inkan_resolver **rp)
{
	struct inkan_resolver *r;

	if (rp == NULL || (r = *rp) == NULL)
		return;
	r->ops->free(r->impl);
	free(r);
	*rp = NULL;
}
