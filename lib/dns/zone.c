/*
 * zone.c: the zone backend: records from zone files and the API, looked up
 * with the semantics of an authoritative server seen through a recursive
 * resolver, plus injected faults and SECURE marks.
 *
 * Storage is a hash table of nodes keyed by lowercase wire name. A node
 * holds the RRsets of its name (ldns records), its faults, whether a name
 * with records lies below it (so it exists as an empty non-terminal) and
 * whether it is marked SECURE. Adding records to a name marks all of its
 * ancestors up to the root, so "does this name exist" is one lookup.
 *
 * Loading parses into a fresh table first and merges it under the write
 * lock only when the whole text parsed, so a load is all or nothing.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dns/dns_impl.h"

struct zone_rrset {
	unsigned type;
	size_t n;
	size_t cap;
	ldns_rr **rrs;
};

struct zone_fault {
	unsigned type; /* 0: every type */
	enum inkan_dns_rcode rcode;
};

struct zone_node {
	struct zone_node *next; /* hash chain */
	uint32_t hash;
	bool has_below; /* a name with records lies below: exists */
	bool secure; /* ;! SECURE: this name and everything below */
	struct zone_rrset *sets;
	size_t nsets;
	struct zone_fault *faults;
	size_t nfaults;
	size_t len;
	uint8_t wire[]; /* lowercase */
};

struct zone_table {
	struct zone_node **buckets;
	size_t nbuckets;
	size_t nnodes;
};

struct zone {
	pthread_rwlock_t lock;
	struct zone_table *table;
};

/* ---- the table -------------------------------------------------------- */

/* FNV-1a over the lowercase wire name. */
static uint32_t
wire_hash(const uint8_t *wire, size_t len)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= inkan_ascii_lower(wire[i]);
		h *= 16777619u;
	}
	return h;
}

enum inkan_status
zone_table_new(struct zone_table **t_r)
{
	struct zone_table *t;

	*t_r = NULL;
	if ((t = calloc(1, sizeof(*t))) == NULL)
		return INKAN_ERR_NOMEM;
	t->nbuckets = 64;
	if ((t->buckets = calloc(t->nbuckets, sizeof(*t->buckets))) == NULL) {
		free(t);
		return INKAN_ERR_NOMEM;
	}
	*t_r = t;
	return INKAN_OK;
}

static void
node_free(struct zone_node *n)
{
	size_t i, j;

	for (i = 0; i < n->nsets; i++) {
		for (j = 0; j < n->sets[i].n; j++)
			ldns_rr_free(n->sets[i].rrs[j]);
		free(n->sets[i].rrs);
	}
	free(n->sets);
	free(n->faults);
	free(n);
}

void
zone_table_free(struct zone_table **tp)
{
	struct zone_table *t;
	size_t i;

	if (tp == NULL || (t = *tp) == NULL)
		return;
	for (i = 0; i < t->nbuckets; i++) {
		struct zone_node *n = t->buckets[i], *next;

		for (; n != NULL; n = next) {
			next = n->next;
			node_free(n);
		}
	}
	free(t->buckets);
	free(t);
	*tp = NULL;
}

static struct zone_node *
node_find(const struct zone_table *t, const uint8_t *wire, size_t len)
{
	uint32_t h = wire_hash(wire, len);
	struct zone_node *n;

	for (n = t->buckets[h & (t->nbuckets - 1)]; n != NULL; n = n->next)
		if (n->hash == h && dns_wire_eq(n->wire, n->len, wire, len))
			return n;
	return NULL;
}

static void
table_grow(struct zone_table *t)
{
	struct zone_node **nb;
	size_t nn, i;

	if (!inkan_size_mul(t->nbuckets, 2, &nn) ||
	    (nb = calloc(nn, sizeof(*nb))) == NULL)
		return; /* longer chains, still correct */
	for (i = 0; i < t->nbuckets; i++) {
		struct zone_node *n = t->buckets[i], *next;

		for (; n != NULL; n = next) {
			next = n->next;
			n->next = nb[n->hash & (nn - 1)];
			nb[n->hash & (nn - 1)] = n;
		}
	}
	free(t->buckets);
	t->buckets = nb;
	t->nbuckets = nn;
}

static enum inkan_status
node_get(struct zone_table *t, const uint8_t *wire, size_t len,
    struct zone_node **n_r)
{
	struct zone_node *n;
	size_t i;

	if ((n = node_find(t, wire, len)) != NULL) {
		*n_r = n;
		return INKAN_OK;
	}
	if (len == 0 || len > INKAN_DNS_NAME_MAX ||
	    (n = calloc(1, sizeof(*n) + len)) == NULL)
		return len == 0 ? INKAN_ERR_INVAL : INKAN_ERR_NOMEM;
	n->len = len;
	for (i = 0; i < len; i++)
		n->wire[i] = inkan_ascii_lower(wire[i]);
	n->hash = wire_hash(wire, len);
	if (t->nnodes >= t->nbuckets)
		table_grow(t);
	n->next = t->buckets[n->hash & (t->nbuckets - 1)];
	t->buckets[n->hash & (t->nbuckets - 1)] = n;
	t->nnodes++;
	*n_r = n;
	return INKAN_OK;
}

static bool
node_exists(const struct zone_node *n)
{
	return n != NULL && (n->nsets > 0 || n->has_below);
}

static struct zone_rrset *
node_set(const struct zone_node *n, unsigned type)
{
	size_t i;

	for (i = 0; n != NULL && i < n->nsets; i++)
		if (n->sets[i].type == type && n->sets[i].n > 0)
			return &n->sets[i];
	return NULL;
}

/* Length of the first label with its length byte: the parent's offset. */
static size_t
first_label(const uint8_t *wire)
{
	return (size_t)wire[0] + 1;
}

/* Marks every ancestor of wire as having a name below it. */
static enum inkan_status
mark_ancestors(struct zone_table *t, const uint8_t *wire, size_t len)
{
	struct zone_node *n;
	enum inkan_status st;

	while (wire[0] != 0) {
		len -= first_label(wire);
		wire += first_label(wire);
		if ((st = node_get(t, wire, len, &n)) != INKAN_OK)
			return st;
		if (n->has_below)
			break; /* its ancestors were marked with it */
		n->has_below = true;
	}
	return INKAN_OK;
}

static enum inkan_status
rrset_get(struct zone_node *n, unsigned type, struct zone_rrset **s_r)
{
	struct zone_rrset *s;
	size_t i, sz;

	for (i = 0; i < n->nsets; i++)
		if (n->sets[i].type == type) {
			*s_r = &n->sets[i];
			return INKAN_OK;
		}
	if (!inkan_size_add(n->nsets, 1, &sz) ||
	    !inkan_size_mul(sz, sizeof(*s), &sz) ||
	    (s = realloc(n->sets, sz)) == NULL)
		return INKAN_ERR_NOMEM;
	n->sets = s;
	s = &n->sets[n->nsets++];
	memset(s, 0, sizeof(*s));
	s->type = type;
	*s_r = s;
	return INKAN_OK;
}

/* True if set s holds a record identical to rr. */
static bool
rrset_has(const struct zone_rrset *s, const ldns_rr *rr)
{
	size_t i;

	for (i = 0; s != NULL && i < s->n; i++)
		if (ldns_rr_compare(s->rrs[i], rr) == 0)
			return true;
	return false;
}

enum inkan_status
zone_table_add_rr(struct zone_table *t, ldns_rr *rr, size_t rr_max)
{
	const ldns_rdf *owner = ldns_rr_owner(rr);
	struct zone_node *n;
	struct zone_rrset *s;
	enum inkan_status st;
	bool had_data;

	if (owner == NULL ||
	    dns_wire_len(ldns_rdf_data(owner), ldns_rdf_size(owner)) !=
		ldns_rdf_size(owner)) {
		st = INKAN_ERR_INVAL;
		goto fail;
	}
	if ((st = node_get(t, ldns_rdf_data(owner), ldns_rdf_size(owner),
		 &n)) != INKAN_OK)
		goto fail;
	had_data = n->nsets > 0;
	if ((st = rrset_get(n, ldns_rr_get_type(rr), &s)) != INKAN_OK)
		goto fail;
	/* RFC 2181 5: an RRset holds each record once. */
	if (rrset_has(s, rr)) {
		ldns_rr_free(rr);
		return INKAN_OK;
	}
	if (s->n >= rr_max) {
		st = INKAN_ERR_LIMIT;
		goto fail;
	}
	if (s->n == s->cap) {
		size_t nc = s->cap ? s->cap * 2 : 4, sz;
		ldns_rr **p;

		if (!inkan_size_mul(nc, sizeof(*p), &sz) ||
		    (p = realloc(s->rrs, sz)) == NULL) {
			st = INKAN_ERR_NOMEM;
			goto fail;
		}
		s->rrs = p;
		s->cap = nc;
	}
	s->rrs[s->n++] = rr;
	if (!had_data)
		return mark_ancestors(t, n->wire, n->len);
	return INKAN_OK;
fail:
	ldns_rr_free(rr);
	return st;
}

enum inkan_status
zone_table_set_fault(struct zone_table *t, const uint8_t *wire, size_t len,
    unsigned type, enum inkan_dns_rcode rcode)
{
	struct zone_node *n;
	struct zone_fault *f;
	enum inkan_status st;
	size_t i, sz;

	if ((st = node_get(t, wire, len, &n)) != INKAN_OK)
		return st;
	for (i = 0; i < n->nfaults; i++) {
		if (n->faults[i].type != type)
			continue;
		if (rcode == INKAN_DNS_NOERROR)
			n->faults[i] = n->faults[--n->nfaults];
		else
			n->faults[i].rcode = rcode;
		return INKAN_OK;
	}
	if (rcode == INKAN_DNS_NOERROR)
		return INKAN_OK;
	if (!inkan_size_add(n->nfaults, 1, &sz) ||
	    !inkan_size_mul(sz, sizeof(*f), &sz) ||
	    (f = realloc(n->faults, sz)) == NULL)
		return INKAN_ERR_NOMEM;
	n->faults = f;
	n->faults[n->nfaults].type = type;
	n->faults[n->nfaults].rcode = rcode;
	n->nfaults++;
	return INKAN_OK;
}

enum inkan_status
zone_table_set_secure(struct zone_table *t, const uint8_t *wire, size_t len)
{
	struct zone_node *n;
	enum inkan_status st;

	if ((st = node_get(t, wire, len, &n)) != INKAN_OK)
		return st;
	n->secure = true;
	return INKAN_OK;
}

/*
 * Checks that merging src into dst stays within rr_max per RRset, so that
 * the merge itself fails only when memory runs out.
 */
static enum inkan_status
merge_check(
    const struct zone_table *dst, const struct zone_table *src, size_t rr_max)
{
	size_t b, i;

	for (b = 0; b < src->nbuckets; b++) {
		const struct zone_node *n;

		for (n = src->buckets[b]; n != NULL; n = n->next) {
			const struct zone_node *d =
			    node_find(dst, n->wire, n->len);

			for (i = 0; i < n->nsets; i++) {
				const struct zone_rrset *ds =
				    node_set(d, n->sets[i].type);

				size_t j, total = ds != NULL ? ds->n : 0;

				for (j = 0; j < n->sets[i].n; j++)
					if (!rrset_has(ds, n->sets[i].rrs[j]))
						total++;
				if (total > rr_max)
					return INKAN_ERR_LIMIT;
			}
		}
	}
	return INKAN_OK;
}

/* Moves everything in src into dst; src is left empty of records. */
static enum inkan_status
merge(struct zone_table *dst, struct zone_table *src, size_t rr_max)
{
	enum inkan_status st;
	size_t b, i, j;

	if ((st = merge_check(dst, src, rr_max)) != INKAN_OK)
		return st;
	for (b = 0; b < src->nbuckets; b++) {
		struct zone_node *n;

		for (n = src->buckets[b]; n != NULL; n = n->next) {
			for (i = 0; i < n->nsets; i++) {
				struct zone_rrset *s = &n->sets[i];

				size_t cnt = s->n;

				s->n = 0; /* the records move to dst */
				for (j = 0; j < cnt; j++) {
					st = zone_table_add_rr(
					    dst, s->rrs[j], rr_max);
					if (st != INKAN_OK) {
						for (j++; j < cnt; j++)
							ldns_rr_free(s->rrs[j]);
						return st;
					}
				}
			}
			for (i = 0; i < n->nfaults; i++)
				if ((st = zone_table_set_fault(dst, n->wire,
					 n->len, n->faults[i].type,
					 n->faults[i].rcode)) != INKAN_OK)
					return st;
			if (n->secure &&
			    (st = zone_table_set_secure(
				 dst, n->wire, n->len)) != INKAN_OK)
				return st;
		}
	}
	return INKAN_OK;
}

/* ---- lookups ---------------------------------------------------------- */

static const struct zone_fault *
fault_for(
    const struct zone_table *t, const uint8_t *wire, size_t len, unsigned type)
{
	const struct zone_node *n = node_find(t, wire, len);
	const struct zone_fault *any = NULL;
	size_t i;

	for (i = 0; n != NULL && i < n->nfaults; i++) {
		if (n->faults[i].type == type)
			return &n->faults[i];
		if (n->faults[i].type == 0)
			any = &n->faults[i];
	}
	return any;
}

static bool
is_secure(const struct zone_table *t, const uint8_t *wire, size_t len)
{
	for (;;) {
		const struct zone_node *n = node_find(t, wire, len);

		if (n != NULL && n->secure)
			return true;
		if (wire[0] == 0)
			return false;
		len -= first_label(wire);
		wire += first_label(wire);
	}
}

/*
 * RFC 4592 3.3.1: for a name that does not exist, the wildcard that may
 * answer is "*" under its closest encloser, the longest existing ancestor;
 * only that one. Returns it if it exists.
 */
static const struct zone_node *
wildcard_for(const struct zone_table *t, const uint8_t *wire, size_t len)
{
	uint8_t buf[INKAN_DNS_NAME_MAX];

	while (wire[0] != 0) {
		const struct zone_node *n;

		len -= first_label(wire);
		wire += first_label(wire);
		n = node_find(t, wire, len);
		if (!node_exists(n))
			continue;
		if (len + 2 > sizeof(buf))
			return NULL;
		buf[0] = 1;
		buf[1] = '*';
		memcpy(buf + 2, wire, len);
		n = node_find(t, buf, len + 2);
		return node_exists(n) ? n : NULL;
	}
	return NULL;
}

/* A copy of rr owned by cur (wildcard synthesis, RFC 4592 4.1). */
static enum inkan_status
synthesize(const ldns_rr *rr, const uint8_t *cur, size_t cur_len,
    ldns_rr_list *owned, const ldns_rr **rr_r)
{
	ldns_rr *c;
	ldns_rdf *o;

	if ((c = ldns_rr_clone(rr)) == NULL)
		return INKAN_ERR_NOMEM;
	if ((o = ldns_rdf_new_frm_data(LDNS_RDF_TYPE_DNAME, cur_len, cur)) ==
	    NULL) {
		ldns_rr_free(c);
		return INKAN_ERR_NOMEM;
	}
	ldns_rdf_deep_free(ldns_rr_owner(c));
	ldns_rr_set_owner(c, o);
	if (!ldns_rr_list_push_rr(owned, c)) {
		ldns_rr_free(c);
		return INKAN_ERR_NOMEM;
	}
	*rr_r = c;
	return INKAN_OK;
}

static enum inkan_status
push_set(const struct zone_rrset *s, const struct zone_node *wild,
    const uint8_t *cur, size_t cur_len, ldns_rr_list *out, ldns_rr_list *owned)
{
	enum inkan_status st;
	size_t i;

	for (i = 0; i < s->n; i++) {
		const ldns_rr *rr = s->rrs[i];

		if (wild != NULL &&
		    (st = synthesize(rr, cur, cur_len, owned, &rr)) != INKAN_OK)
			return st;
		if (!ldns_rr_list_push_rr(out, (ldns_rr *)(uintptr_t)rr))
			return INKAN_ERR_NOMEM;
	}
	return INKAN_OK;
}

/* True if wire is the queried name or the owner of a CNAME already met. */
static bool
seen(const struct dns_query *q, const ldns_rr_list *out, const uint8_t *wire,
    size_t len)
{
	size_t i;

	if (dns_wire_eq(q->wire, q->wire_len, wire, len))
		return true;
	for (i = 0; i < ldns_rr_list_rr_count(out); i++) {
		const ldns_rdf *o = ldns_rr_owner(ldns_rr_list_rr(out, i));

		if (dns_wire_eq(ldns_rdf_data(o), ldns_rdf_size(o), wire, len))
			return true;
	}
	return false;
}

static void
why_name(char *why, size_t size, const char *what, const uint8_t *wire,
    size_t len, unsigned type)
{
	struct inkan_buf b;
	const char *tn = inkan_dns_type_to_name((enum inkan_dns_type)type);

	inkan_buf_init(&b, 4 * INKAN_DNS_NAME_MAX + 1);
	(void)dns_name_format(wire, len, &b);
	if (type == 0)
		snprintf(why, size, "%s %s", what, inkan_buf_cstr(&b));
	else if (tn != NULL)
		snprintf(why, size, "%s %s %s", what, inkan_buf_cstr(&b), tn);
	else
		snprintf(
		    why, size, "%s %s TYPE%u", what, inkan_buf_cstr(&b), type);
	inkan_buf_clear(&b);
}

struct walk {
	enum inkan_dns_rcode rcode;
	bool secure;
	char why[1200];
};

/* Follows the query through the table, collecting the answer section. */
static enum inkan_status
walk(const struct zone_table *t, const struct dns_query *q,
    const struct inkan_limits *lim, ldns_rr_list *out, ldns_rr_list *owned,
    struct walk *w)
{
	uint8_t cur[INKAN_DNS_NAME_MAX];
	size_t cur_len = q->wire_len, links = 0;
	unsigned type = (unsigned)q->type;
	enum inkan_status st;

	memcpy(cur, q->wire, q->wire_len);
	w->secure = true;
	for (;;) {
		const struct zone_fault *f;
		const struct zone_node *n, *wild = NULL;
		const struct zone_rrset *s;
		const ldns_rr *cn;
		const ldns_rdf *target;

		if (!is_secure(t, cur, cur_len))
			w->secure = false;
		if ((f = fault_for(t, cur, cur_len, type)) != NULL) {
			w->rcode = f->rcode;
			why_name(w->why, sizeof(w->why),
			    f->rcode == INKAN_DNS_TIMEOUT
				? "injected TIMEOUT for"
				: "injected SERVFAIL for",
			    cur, cur_len, f->type);
			return INKAN_OK;
		}
		n = node_find(t, cur, cur_len);
		if (!node_exists(n)) {
			if ((wild = wildcard_for(t, cur, cur_len)) == NULL) {
				w->rcode = INKAN_DNS_NXDOMAIN;
				return INKAN_OK;
			}
			n = wild;
		}
		if ((s = node_set(n, type)) != NULL) {
			w->rcode = INKAN_DNS_NOERROR;
			return push_set(s, wild, cur, cur_len, out, owned);
		}
		if (type == INKAN_DNS_CNAME ||
		    (s = node_set(n, INKAN_DNS_CNAME)) == NULL) {
			w->rcode = INKAN_DNS_NODATA;
			return INKAN_OK;
		}
		/* RFC 1034 3.6.2: restart at the CNAME's target. */
		cn = s->rrs[0];
		if (wild != NULL &&
		    (st = synthesize(cn, cur, cur_len, owned, &cn)) != INKAN_OK)
			return st;
		target = ldns_rr_rdf(cn, 0);
		if (target == NULL ||
		    ldns_rdf_get_type(target) != LDNS_RDF_TYPE_DNAME ||
		    dns_wire_len(ldns_rdf_data(target),
			ldns_rdf_size(target)) != ldns_rdf_size(target)) {
			w->rcode = INKAN_DNS_SERVFAIL;
			why_name(w->why, sizeof(w->why), "bad CNAME at", cur,
			    cur_len, 0);
			return INKAN_OK;
		}
		if (links == lim->dns_cname_max) {
			w->rcode = INKAN_DNS_SERVFAIL;
			snprintf(w->why, sizeof(w->why),
			    "CNAME chain longer than %zu links",
			    lim->dns_cname_max);
			return INKAN_OK;
		}
		if (!ldns_rr_list_push_rr(out, (ldns_rr *)(uintptr_t)cn))
			return INKAN_ERR_NOMEM;
		if (seen(
			q, out, ldns_rdf_data(target), ldns_rdf_size(target))) {
			w->rcode = INKAN_DNS_SERVFAIL;
			why_name(w->why, sizeof(w->why), "CNAME loop at",
			    ldns_rdf_data(target), ldns_rdf_size(target), 0);
			return INKAN_OK;
		}
		cur_len = ldns_rdf_size(target);
		memcpy(cur, ldns_rdf_data(target), cur_len);
		links++;
	}
}

static enum inkan_status
zone_lookup(struct inkan_resolver *r, void *impl, const struct dns_query *q,
    struct inkan_dns_answer **answer_r)
{
	struct zone *z = impl;
	ldns_rr_list *out = ldns_rr_list_new(), *owned = ldns_rr_list_new();
	struct walk w;
	enum inkan_status st;

	if (out == NULL || owned == NULL) {
		st = INKAN_ERR_NOMEM;
		goto out;
	}
	memset(&w, 0, sizeof(w));
	pthread_rwlock_rdlock(&z->lock);
	st = walk(z->table, q, &r->limits, out, owned, &w);
	if (st == INKAN_OK) {
		if (w.rcode == INKAN_DNS_SERVFAIL ||
		    w.rcode == INKAN_DNS_TIMEOUT)
			st = dns_answer_new(q, w.rcode, w.why, answer_r);
		else
			st = dns_answer_from_rrs(
			    q, w.rcode, out, w.secure, 0, &r->limits, answer_r);
	}
	pthread_rwlock_unlock(&z->lock);
out:
	ldns_rr_list_free(out); /* borrowed records */
	ldns_rr_list_deep_free(owned);
	return st;
}

/* ---- the backend ------------------------------------------------------ */

static void
zone_free(void *impl)
{
	struct zone *z = impl;

	if (z == NULL)
		return;
	zone_table_free(&z->table);
	pthread_rwlock_destroy(&z->lock);
	free(z);
}

static const struct dns_backend_ops zone_ops = {
	.name = "zone",
	.lookup = zone_lookup,
	.free = zone_free,
};

enum inkan_status
inkan_resolver_new_zone(
    const struct inkan_limits *limits, struct inkan_resolver **r_r)
{
	struct zone *z;
	enum inkan_status st;

	if (r_r == NULL)
		return INKAN_ERR_INVAL;
	*r_r = NULL;
	if ((z = calloc(1, sizeof(*z))) == NULL)
		return INKAN_ERR_NOMEM;
	if (pthread_rwlock_init(&z->lock, NULL) != 0) {
		free(z);
		return INKAN_ERR_NOMEM;
	}
	if ((st = zone_table_new(&z->table)) != INKAN_OK) {
		zone_free(z);
		return st;
	}
	return dns_resolver_new(&zone_ops, z, limits, r_r);
}

static void
zone_error(struct inkan_zone_error *err, size_t line, const char *msg)
{
	if (err == NULL)
		return;
	err->line = line;
	snprintf(err->message, sizeof(err->message), "%s", msg);
}

static enum inkan_status
load(struct inkan_resolver *r, const void *text, size_t len, bool single,
    struct inkan_zone_error *err)
{
	struct zone *z = dns_resolver_impl(r, &zone_ops);
	struct zone_table *t = NULL;
	enum inkan_status st;

	if (err != NULL)
		memset(err, 0, sizeof(*err));
	if (z == NULL || (text == NULL && len > 0))
		return INKAN_ERR_INVAL;
	if (len > r->limits.dns_zone_file_max) {
		zone_error(
		    err, 0, "zone text is larger than dns_zone_file_max");
		return INKAN_ERR_LIMIT;
	}
	if ((st = zone_table_new(&t)) != INKAN_OK)
		return st;
	st = zone_text_parse(text, len, single, &r->limits, t, err);
	if (st == INKAN_OK) {
		pthread_rwlock_wrlock(&z->lock);
		st = merge(z->table, t, r->limits.dns_rr_max);
		pthread_rwlock_unlock(&z->lock);
		if (st == INKAN_ERR_LIMIT)
			zone_error(err, 0,
			    "an RRset would hold more than dns_rr_max records");
	}
	zone_table_free(&t);
	return st;
}

enum inkan_status
inkan_resolver_zone_load_string(struct inkan_resolver *r, const void *text,
    size_t len, struct inkan_zone_error *err_r)
{
	return load(r, text, len, false, err_r);
}

enum inkan_status
inkan_resolver_zone_add_rr(
    struct inkan_resolver *r, const char *rr, struct inkan_zone_error *err_r)
{
	if (rr == NULL)
		return INKAN_ERR_INVAL;
	return load(r, rr, strlen(rr), true, err_r);
}

enum inkan_status
inkan_resolver_zone_load_file(
    struct inkan_resolver *r, const char *path, struct inkan_zone_error *err_r)
{
	FILE *f = NULL;
	struct stat sb;
	uint8_t *text = NULL;
	size_t len = 0;
	enum inkan_status st;

	if (err_r != NULL)
		memset(err_r, 0, sizeof(*err_r));
	if (path == NULL || dns_resolver_impl(r, &zone_ops) == NULL)
		return INKAN_ERR_INVAL;
	if ((f = fopen(path, "rb")) == NULL) {
		st = errno == ENOENT ? INKAN_ERR_NOTFOUND : INKAN_ERR_IO;
		zone_error(err_r, 0, strerror(errno));
		return st;
	}
	if (fstat(fileno(f), &sb) == -1 || !S_ISREG(sb.st_mode)) {
		zone_error(err_r, 0, "not a regular file");
		st = INKAN_ERR_IO;
		goto out;
	}
	if ((uint64_t)sb.st_size > r->limits.dns_zone_file_max) {
		zone_error(err_r, 0, "file is larger than dns_zone_file_max");
		st = INKAN_ERR_LIMIT;
		goto out;
	}
	/* One byte more than the size, to see a file that grew meanwhile. */
	if ((text = malloc((size_t)sb.st_size + 1)) == NULL) {
		st = INKAN_ERR_NOMEM;
		goto out;
	}
	len = fread(text, 1, (size_t)sb.st_size + 1, f);
	if (ferror(f) || len > (size_t)sb.st_size) {
		zone_error(err_r, 0, "read error or file changed while read");
		st = INKAN_ERR_IO;
		goto out;
	}
	st = load(r, text, len, false, err_r);
out:
	free(text);
	fclose(f);
	return st;
}

enum inkan_status
inkan_resolver_zone_add_txt(struct inkan_resolver *r, const char *name,
    uint32_t ttl, const struct inkan_view *strings, size_t n)
{
	struct zone *z = dns_resolver_impl(r, &zone_ops);
	uint8_t wire[INKAN_DNS_NAME_MAX], sbuf[256];
	size_t wlen, i;
	ldns_rr *rr;
	ldns_rdf *f;
	enum inkan_status st;

	if (z == NULL || strings == NULL || n == 0)
		return INKAN_ERR_INVAL;
	if ((st = dns_name_from_text(name, wire, &wlen)) != INKAN_OK)
		return st;
	for (i = 0; i < n; i++)
		if (strings[i].len > 255 ||
		    (strings[i].len > 0 && strings[i].ptr == NULL))
			return INKAN_ERR_INVAL;
	if ((rr = ldns_rr_new()) == NULL)
		return INKAN_ERR_NOMEM;
	ldns_rr_set_type(rr, LDNS_RR_TYPE_TXT);
	ldns_rr_set_class(rr, LDNS_RR_CLASS_IN);
	ldns_rr_set_ttl(rr, ttl);
	if ((f = ldns_rdf_new_frm_data(LDNS_RDF_TYPE_DNAME, wlen, wire)) ==
	    NULL)
		goto nomem;
	ldns_rr_set_owner(rr, f);
	for (i = 0; i < n; i++) {
		/* RFC 1035 3.3: a length octet, then the bytes. */
		sbuf[0] = (uint8_t)strings[i].len;
		if (strings[i].len > 0)
			memcpy(sbuf + 1, strings[i].ptr, strings[i].len);
		if ((f = ldns_rdf_new_frm_data(
			 LDNS_RDF_TYPE_STR, strings[i].len + 1, sbuf)) == NULL)
			goto nomem;
		if (!ldns_rr_push_rdf(rr, f)) {
			ldns_rdf_deep_free(f);
			goto nomem;
		}
	}
	pthread_rwlock_wrlock(&z->lock);
	st = zone_table_add_rr(z->table, rr, r->limits.dns_rr_max);
	pthread_rwlock_unlock(&z->lock);
	return st;
nomem:
	ldns_rr_free(rr);
	return INKAN_ERR_NOMEM;
}

enum inkan_status
inkan_resolver_zone_inject(struct inkan_resolver *r, const char *name,
    enum inkan_dns_type type, enum inkan_dns_rcode rcode)
{
	struct zone *z = dns_resolver_impl(r, &zone_ops);
	uint8_t wire[INKAN_DNS_NAME_MAX];
	size_t wlen;
	enum inkan_status st;

	if (z == NULL ||
	    (rcode != INKAN_DNS_TIMEOUT && rcode != INKAN_DNS_SERVFAIL &&
		rcode != INKAN_DNS_NOERROR) ||
	    ((unsigned)type != 0 && dns_type_is_meta((unsigned)type)))
		return INKAN_ERR_INVAL;
	if ((st = dns_name_from_text(name, wire, &wlen)) != INKAN_OK)
		return st;
	pthread_rwlock_wrlock(&z->lock);
	st = zone_table_set_fault(z->table, wire, wlen, (unsigned)type, rcode);
	pthread_rwlock_unlock(&z->lock);
	return st;
}

enum inkan_status
inkan_resolver_zone_set_secure(struct inkan_resolver *r, const char *name)
{
	struct zone *z = dns_resolver_impl(r, &zone_ops);
	uint8_t wire[INKAN_DNS_NAME_MAX];
	size_t wlen;
	enum inkan_status st;

	if (z == NULL)
		return INKAN_ERR_INVAL;
	if ((st = dns_name_from_text(name, wire, &wlen)) != INKAN_OK)
		return st;
	pthread_rwlock_wrlock(&z->lock);
	st = zone_table_set_secure(z->table, wire, wlen);
	pthread_rwlock_unlock(&z->lock);
	return st;
}
