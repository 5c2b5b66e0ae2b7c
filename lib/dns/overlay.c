/*
 * overlay.c: one resolver in front of another ("what if I publish this?").
 *
 * upper's answer stands when it has records or failed (an injected fault,
 * a CNAME loop). A chain in upper that ends in NXDOMAIN or NODATA goes on
 * at its end through the overlay, so a zone's CNAME may point into live
 * DNS; a plain NXDOMAIN or NODATA from upper is asked of lower.
 */
#include <stdlib.h>
#include <string.h>

#include "dns/dns_impl.h"

struct overlay {
	struct inkan_resolver *upper;
	struct inkan_resolver *lower;
};

static enum inkan_status
append_chain(struct inkan_dns_answer *dst, struct inkan_dns_answer *src)
{
	struct inkan_dns_record *p;
	size_t n, sz;

	/* dst's chain first, then src's; src's records move over. */
	if (!inkan_size_add(dst->chain_count, src->chain_count, &n) ||
	    !inkan_size_mul(n, sizeof(*p), &sz))
		return INKAN_ERR_NOMEM;
	if (n == dst->chain_count)
		return INKAN_OK;
	if ((p = realloc(dst->chain, sz)) == NULL)
		return INKAN_ERR_NOMEM;
	memcpy(p + dst->chain_count, src->chain, src->chain_count * sizeof(*p));
	dst->chain = p;
	dst->chain_count = n;
	free(src->chain);
	src->chain = NULL;
	src->chain_count = 0;
	return INKAN_OK;
}

/*
 * Answers q through the overlay; links counts the CNAMEs followed so far
 * across upper's chains.
 */
static enum inkan_status
overlay_resolve(struct inkan_resolver *r, struct overlay *o,
    const struct dns_query *q, size_t links, struct inkan_dns_answer **answer_r)
{
	struct inkan_dns_answer *a = NULL, *rest = NULL;
	struct dns_query next;
	enum inkan_status st;
	size_t i;

	*answer_r = NULL;
	if ((st = dns_lookup_query(o->upper, q, &a)) != INKAN_OK)
		return st;
	if (a->rcode != INKAN_DNS_NXDOMAIN && a->rcode != INKAN_DNS_NODATA) {
		*answer_r = a;
		return INKAN_OK;
	}
	if (a->chain_count == 0) {
		/* Nothing of upper's here: lower answers. */
		inkan_dns_answer_free(&a);
		return dns_lookup_query(o->lower, q, answer_r);
	}
	/* RFC 1034 3.6.2: the chain goes on at its target. */
	links += a->chain_count;
	if (links > r->limits.dns_cname_max) {
		a->rcode = INKAN_DNS_SERVFAIL;
		st = dns_answer_set_why(a,
		    "CNAME chain longer than "
		    "dns_cname_max links");
		goto done;
	}
	if ((st = dns_query_from_presentation(
		 a->canonical_name, q->type, &next)) != INKAN_OK ||
	    (st = overlay_resolve(r, o, &next, links, &rest)) != INKAN_OK ||
	    (st = append_chain(a, rest)) != INKAN_OK)
		goto done;
	/* rest's verdict, records and name replace upper's. */
	a->rcode = rest->rcode;
	a->secure = a->secure && rest->secure;
	a->ttl = rest->ttl;
	free(a->canonical_name);
	a->canonical_name = rest->canonical_name;
	rest->canonical_name = NULL;
	free(a->why);
	a->why = rest->why;
	rest->why = NULL;
	a->records = rest->records;
	a->count = rest->count;
	rest->records = NULL;
	rest->count = 0;
	for (i = 0; i < a->chain_count && a->count > 0; i++)
		if (a->chain[i].ttl < a->ttl)
			a->ttl = a->chain[i].ttl;
done:
	inkan_dns_answer_free(&rest);
	if (st != INKAN_OK) {
		inkan_dns_answer_free(&a);
		return st;
	}
	*answer_r = a;
	return INKAN_OK;
}

static enum inkan_status
overlay_lookup(struct inkan_resolver *r, void *impl, const struct dns_query *q,
    struct inkan_dns_answer **answer_r)
{
	return overlay_resolve(r, impl, q, 0, answer_r);
}

static void
overlay_free(void *impl)
{
	struct overlay *o = impl;

	if (o == NULL)
		return;
	inkan_resolver_free(&o->upper);
	inkan_resolver_free(&o->lower);
	free(o);
}

static const struct dns_backend_ops overlay_ops = {
	.name = "overlay",
	.lookup = overlay_lookup,
	.free = overlay_free,
};

enum inkan_status
inkan_resolver_new_overlay(struct inkan_resolver *upper,
    struct inkan_resolver *lower, const struct inkan_limits *limits,
    struct inkan_resolver **r_r)
{
	struct overlay *o;

	if (r_r != NULL)
		*r_r = NULL;
	if (upper == NULL || lower == NULL || r_r == NULL || upper == lower) {
		if (upper != lower)
			inkan_resolver_free(&upper);
		inkan_resolver_free(&lower);
		return INKAN_ERR_INVAL;
	}
	if ((o = calloc(1, sizeof(*o))) == NULL) {
		inkan_resolver_free(&upper);
		inkan_resolver_free(&lower);
		return INKAN_ERR_NOMEM;
	}
	o->upper = upper;
	o->lower = lower;
	return dns_resolver_new(&overlay_ops, o, limits, r_r);
}
