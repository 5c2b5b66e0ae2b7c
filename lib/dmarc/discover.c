/*
 * discover.c: the DNS Tree Walk (RFC 9989 4.10), DMARC Policy Discovery
 * (4.10.1), the Organizational Domain (4.10.2), the RFC 7489 way of doing
 * the same with a public suffix list (RFC 7489 3.2, 6.6.3), and the public
 * lookup, Organizational Domain and alignment functions built on them.
 */
#include <stdlib.h>
#include <string.h>

#include "dmarc/dmarc_impl.h"

/* "_dmarc." and the name, or false when that is too long for DNS. */
static bool
dmarc_qname(const char *name, char *out, size_t size)
{
	size_t n = strlen(name);

	/* RFC 1035 2.3.4: 253 characters in text form. */
	if (n + 7 > 253 || n + 8 > size)
		return false;
	memcpy(out, "_dmarc.", 7);
	memcpy(out + 7, name, n + 1);
	return true;
}

/* ---- the tree walk ----------------------------------------------------- */

void
dmarc_walk_init(struct dmarc_walk *w, const char *start)
{
	size_t x, cur;

	memset(w, 0, sizeof(*w));
	memcpy(w->start, start, strlen(start) + 1);
	w->names[w->nnames++] = w->start;
	x = dmarc_label_count(w->start);
	/* RFC 9989 4.10 step 4: one label less, or, from 8 labels up,
	   straight to 7 labels; then one label at a time (step 7) down to
	   the last one. So at most 8 queries. */
	cur = x >= INKAN_DMARC_TREE_WALK_MAX ? INKAN_DMARC_TREE_WALK_MAX - 1
					     : x - 1;
	while (cur >= 1 && w->nnames < INKAN_DMARC_TREE_WALK_MAX) {
		w->names[w->nnames++] = dmarc_domain_suffix(w->start, cur);
		cur--;
	}
}

void
dmarc_walk_clear(struct dmarc_walk *w)
{
	size_t i;

	for (i = 0; i < w->nfound; i++)
		inkan_dmarc_record_free(&w->found[i].rec);
	for (i = 0; i < INKAN_DMARC_TREE_WALK_MAX; i++) {
		free(w->texts[i]);
		w->texts[i] = NULL;
	}
	w->nfound = 0;
}

enum inkan_status
dmarc_walk_run(struct inkan_dmarc *d, struct dmarc_walk *w, struct dmarc_out *o,
    bool first_only)
{
	char qname[INKAN_DNS_NAME_MAX + 8];
	struct dmarc_fetch f;
	enum inkan_status st;

	while (!w->done && w->next < w->nnames) {
		const char *name = w->names[w->next++];

		if (!dmarc_qname(name, qname, sizeof(qname))) {
			/* A 247-253 character Author Domain: _dmarc. in
			   front does not fit in a DNS name, so nothing can
			   be published there. */
			memset(&f, 0, sizeof(f));
			f.outcome = INKAN_DMARC_STEP_NOT_DMARC;
			f.why = strdup("_dmarc. in front makes the name longer "
				       "than DNS allows (RFC 1035 2.3.4): not "
				       "queried");
			if (f.why == NULL)
				return INKAN_ERR_NOMEM;
			if (o != NULL)
				dmarc_out_step(o, "_dmarc.(too long)", &f);
			dmarc_fetch_clear(&f);
			if (first_only)
				break;
			continue;
		}
		if ((st = dmarc_fetch(d, qname, &f)) != INKAN_OK)
			return st;
		if (o != NULL)
			dmarc_out_step(o, qname, &f);
		if (f.outcome == INKAN_DMARC_STEP_TEMPERROR) {
			w->temperror = true;
			w->done = true;
			memcpy(w->temp_name, qname, strlen(qname) + 1);
			dmarc_fetch_clear(&f);
			return INKAN_OK;
		}
		if (f.outcome == INKAN_DMARC_STEP_RECORD) {
			struct dmarc_found *fd = &w->found[w->nfound];

			memcpy(fd->domain, name, strlen(name) + 1);
			fd->rec = f.rec;
			fd->text = f.text;
			w->texts[w->nfound] = f.text;
			f.rec = NULL;
			f.text = NULL;
			w->nfound++;
			/* RFC 9989 4.10 steps 2 and 6: psd=y or psd=n
			   stops the walk. */
			if (fd->rec->psd != INKAN_DMARC_PSD_U)
				w->done = true;
		}
		dmarc_fetch_clear(&f);
		if (first_only)
			break;
	}
	if (w->next == w->nnames)
		w->done = true;
	return INKAN_OK;
}

const char *
dmarc_walk_org(const struct dmarc_walk *w)
{
	size_t i;

	/* RFC 9989 4.10.2, over the records found, longest name first. */
	for (i = 0; i < w->nfound; i++) {
		const struct dmarc_found *f = &w->found[i];

		/* 1. psd=n: this is the Organizational Domain. */
		if (f->rec->psd == INKAN_DMARC_PSD_N)
			return f->domain;
		/* 2. psd=y, other than at the start: one label below. */
		if (f->rec->psd == INKAN_DMARC_PSD_Y &&
		    strcmp(f->domain, w->start) != 0)
			return dmarc_domain_suffix(
			    w->start, dmarc_label_count(f->domain) + 1);
	}
	/* 3. The record at the name with the fewest labels. */
	if (w->nfound > 0)
		return w->found[w->nfound - 1].domain;
	/* "If this process does not determine the Organizational Domain,
	   then the initial target domain is the Organizational Domain." */
	return w->start;
}

enum inkan_status
dmarc_org_domain(
    struct inkan_dmarc *d, const char *domain, char *org, struct dmarc_out *o)
{
	struct dmarc_walk *w;
	enum inkan_status st;
	const char *found;

	if (d->opt.mode == INKAN_DMARC_MODE_RFC7489)
		return dmarc_psl_org(
			   d->psl, domain, org, INKAN_DNS_NAME_MAX + 1)
		    ? INKAN_OK
		    : INKAN_ERR_NOTFOUND;
	if ((w = malloc(sizeof(*w))) == NULL)
		return INKAN_ERR_NOMEM;
	dmarc_walk_init(w, domain);
	st = dmarc_walk_run(d, w, o, false);
	if (st == INKAN_OK && w->temperror)
		st = INKAN_ERR_DNS;
	if (st == INKAN_OK) {
		found = dmarc_walk_org(w);
		memcpy(org, found, strlen(found) + 1);
	} else
		org[0] = '\0';
	dmarc_walk_clear(w);
	free(w);
	return st;
}

/* ---- policy discovery -------------------------------------------------- */

void
dmarc_policy_clear(struct dmarc_policy *p)
{
	inkan_dmarc_record_free(&p->rec);
	dmarc_walk_clear(&p->walk);
	dmarc_fetch_clear(&p->f1);
	dmarc_fetch_clear(&p->f2);
}

static void
policy_take(struct dmarc_policy *p, const char *domain,
    struct inkan_dmarc_record *rec, const char *text)
{
	p->status = INKAN_DMARC_LOOKUP_FOUND;
	memcpy(p->policy_domain, domain, strlen(domain) + 1);
	dmarc_record_ref(rec);
	p->rec = rec;
	p->text = text;
}

/* RFC 7489 6.6.3: the Author Domain, then its Organizational Domain. */
static enum inkan_status
discover_rfc7489(struct inkan_dmarc *d, const char *author,
    struct dmarc_policy *p, struct dmarc_out *o)
{
	char qname[INKAN_DNS_NAME_MAX + 8];
	enum inkan_status st;

	if (!dmarc_psl_org(d->psl, author, p->org, sizeof(p->org)) && o != NULL)
		dmarc_out_warn(o,
		    "%s is a public suffix: it is its own Organizational "
		    "Domain here (RFC 7489 3.2 names none)",
		    author);
	p->org_known = true;
	if (!dmarc_qname(author, qname, sizeof(qname))) {
		p->status = INKAN_DMARC_LOOKUP_NONE;
		return INKAN_OK;
	}
	if ((st = dmarc_fetch(d, qname, &p->f1)) != INKAN_OK)
		return st;
	if (o != NULL)
		dmarc_out_step(o, qname, &p->f1);
	if (p->f1.outcome == INKAN_DMARC_STEP_TEMPERROR) {
		p->status = INKAN_DMARC_LOOKUP_TEMPERROR;
		memcpy(p->temp_name, qname, strlen(qname) + 1);
		return INKAN_OK;
	}
	if (p->f1.outcome == INKAN_DMARC_STEP_RECORD) {
		policy_take(p, author, p->f1.rec, p->f1.text);
		p->own = true;
		return INKAN_OK;
	}
	if (strcmp(p->org, author) == 0 ||
	    !dmarc_qname(p->org, qname, sizeof(qname))) {
		p->status = INKAN_DMARC_LOOKUP_NONE;
		return INKAN_OK;
	}
	if ((st = dmarc_fetch(d, qname, &p->f2)) != INKAN_OK)
		return st;
	if (o != NULL)
		dmarc_out_step(o, qname, &p->f2);
	if (p->f2.outcome == INKAN_DMARC_STEP_TEMPERROR) {
		p->status = INKAN_DMARC_LOOKUP_TEMPERROR;
		memcpy(p->temp_name, qname, strlen(qname) + 1);
		return INKAN_OK;
	}
	if (p->f2.outcome == INKAN_DMARC_STEP_RECORD)
		policy_take(p, p->org, p->f2.rec, p->f2.text);
	else
		p->status = INKAN_DMARC_LOOKUP_NONE;
	return INKAN_OK;
}

enum inkan_status
dmarc_policy_org(
    struct inkan_dmarc *d, struct dmarc_policy *p, struct dmarc_out *o)
{
	enum inkan_status st;
	const char *org;

	if (p->org_known || p->org_temperror)
		return INKAN_OK;
	if ((st = dmarc_walk_run(d, &p->walk, o, false)) != INKAN_OK)
		return st;
	if (p->walk.temperror) {
		p->org_temperror = true;
		memcpy(p->temp_name, p->walk.temp_name,
		    strlen(p->walk.temp_name) + 1);
		return INKAN_OK;
	}
	org = dmarc_walk_org(&p->walk);
	memcpy(p->org, org, strlen(org) + 1);
	p->org_known = true;
	return INKAN_OK;
}

enum inkan_status
dmarc_policy_discover(struct inkan_dmarc *d, const char *author, bool need_org,
    struct dmarc_policy *p, struct dmarc_out *o)
{
	struct dmarc_walk *w = &p->walk;
	enum inkan_status st;
	size_t i;

	memset(p, 0, sizeof(*p));
	if (d->opt.mode == INKAN_DMARC_MODE_RFC7489)
		return discover_rfc7489(d, author, p, o);
	dmarc_walk_init(w, author);
	/* RFC 9989 4.10.1: first the Author Domain itself. */
	if ((st = dmarc_walk_run(d, w, o, true)) != INKAN_OK)
		return st;
	if (w->temperror) {
		p->status = INKAN_DMARC_LOOKUP_TEMPERROR;
		memcpy(p->temp_name, w->temp_name, strlen(w->temp_name) + 1);
		return INKAN_OK;
	}
	if (w->nfound > 0) {
		policy_take(p, author, w->found[0].rec, w->found[0].text);
		p->own = true;
		if (need_org)
			return dmarc_policy_org(d, p, o);
		return INKAN_OK;
	}
	/* Then the tree walk for the Organizational Domain or the Public
	   Suffix Domain, from the parent (or the 7-label name). */
	if ((st = dmarc_policy_org(d, p, o)) != INKAN_OK)
		return st;
	if (p->org_temperror) {
		p->status = INKAN_DMARC_LOOKUP_TEMPERROR;
		return INKAN_OK;
	}
	for (i = 0; i < w->nfound; i++)
		if (strcmp(w->found[i].domain, p->org) == 0) {
			policy_take(p, w->found[i].domain, w->found[i].rec,
			    w->found[i].text);
			return INKAN_OK;
		}
	/* The Organizational Domain has no record: the Public Suffix
	   Domain's (4.10.1 third place; it is the psd=y record that ended
	   the walk). */
	for (i = 0; i < w->nfound; i++)
		if (w->found[i].rec->psd == INKAN_DMARC_PSD_Y) {
			policy_take(p, w->found[i].domain, w->found[i].rec,
			    w->found[i].text);
			return INKAN_OK;
		}
	p->status = INKAN_DMARC_LOOKUP_NONE;
	return INKAN_OK;
}

/* ---- public: lookup, Organizational Domain, alignment ------------------ */

struct lookup_impl {
	struct inkan_dmarc_lookup pub;
	struct inkan_arena arena;
	struct dmarc_out out;
};

void
inkan_dmarc_lookup_free(struct inkan_dmarc_lookup **lkp)
{
	struct lookup_impl *l;

	if (lkp == NULL || *lkp == NULL)
		return;
	l = (struct lookup_impl *)*lkp;
	*lkp = NULL;
	dmarc_out_clear(&l->out);
	inkan_arena_clear(&l->arena);
	free(l);
}

/* The record's warnings, each prefixed with where it was found. */
static void
record_warnings(struct dmarc_out *o, const char *domain,
    const struct inkan_dmarc_record *rec)
{
	size_t i;

	for (i = 0; i < rec->nwarnings; i++)
		dmarc_out_warn(o, "_dmarc.%s: %s", domain, rec->warnings[i]);
}

static const char *
lookup_reason(
    struct dmarc_out *o, const struct dmarc_policy *p, const char *domain)
{
	const struct inkan_dmarc_record *rec = p->rec;
	const char *tail;

	switch (p->status) {
	case INKAN_DMARC_LOOKUP_NONE:
		return dmarc_out_printf(o,
		    "no DMARC record for %s or above it: DMARC does not "
		    "apply (RFC 9989 4.10.1)",
		    domain);
	case INKAN_DMARC_LOOKUP_TEMPERROR:
		return dmarc_out_printf(o,
		    "the query for %s failed temporarily, so the policy "
		    "cannot be known (RFC 9989 4.10.1)",
		    p->temp_name);
	case INKAN_DMARC_LOOKUP_FOUND:
		break;
	}
	tail = (rec->flags & INKAN_DMARC_REC_NOT_APPLIED)
	    ? "; it has no usable policy, so no DMARC processing is applied "
	      "(RFC 9989 4.10.1)"
	    : "";
	if (p->own)
		return dmarc_out_printf(o,
		    "%s publishes its own DMARC record (p=%s)%s", domain,
		    inkan_dmarc_policy_name(rec->p), tail);
	if (p->org_known && strcmp(p->policy_domain, p->org) == 0)
		return dmarc_out_printf(o,
		    "%s has no DMARC record; the record of its "
		    "Organizational Domain %s applies (sp=%s, np=%s, "
		    "p=%s)%s",
		    domain, p->policy_domain, inkan_dmarc_policy_name(rec->sp),
		    inkan_dmarc_policy_name(rec->np),
		    inkan_dmarc_policy_name(rec->p), tail);
	return dmarc_out_printf(o,
	    "%s has no DMARC record and neither has its Organizational "
	    "Domain %s; the record of the Public Suffix Domain %s applies "
	    "(sp=%s, np=%s, p=%s)%s",
	    domain, p->org, p->policy_domain, inkan_dmarc_policy_name(rec->sp),
	    inkan_dmarc_policy_name(rec->np), inkan_dmarc_policy_name(rec->p),
	    tail);
}

enum inkan_status
inkan_dmarc_lookup(struct inkan_dmarc *d, const char *domain,
    struct inkan_dmarc_lookup **lookup_r)
{
	char norm[INKAN_DNS_NAME_MAX + 1];
	struct lookup_impl *l = NULL;
	struct dmarc_policy *p = NULL;
	struct inkan_dmarc_lookup *pub;
	enum inkan_status st;

	if (lookup_r != NULL)
		*lookup_r = NULL;
	if (d == NULL || domain == NULL || lookup_r == NULL)
		return INKAN_ERR_INVAL;
	if (!dmarc_domain_normalise(domain, norm, sizeof(norm)))
		return INKAN_ERR_SYNTAX;
	if ((l = calloc(1, sizeof(*l))) == NULL ||
	    (p = malloc(sizeof(*p))) == NULL) {
		free(l);
		return INKAN_ERR_NOMEM;
	}
	inkan_arena_init(&l->arena, DMARC_ARENA_MAX);
	dmarc_out_init(&l->out, &l->arena);
	dmarc_clock(d);
	st = dmarc_policy_discover(d, norm, true, p, &l->out);
	if (st != INKAN_OK)
		goto out;
	pub = &l->pub;
	pub->status = p->status;
	pub->mode = d->opt.mode;
	pub->domain = dmarc_out_str(&l->out, norm);
	if (p->status == INKAN_DMARC_LOOKUP_FOUND) {
		pub->policy_domain = dmarc_out_str(&l->out, p->policy_domain);
		pub->record = dmarc_out_hold(&l->out, p->rec);
		pub->record_text = dmarc_out_str(&l->out, p->text);
		pub->author_is_policy_domain = p->own;
		record_warnings(&l->out, p->policy_domain, p->rec);
	}
	if (p->org_known)
		pub->org_domain = dmarc_out_str(&l->out, p->org);
	else if (p->org_temperror)
		dmarc_out_warn(&l->out,
		    "the Organizational Domain is not known: the query for %s "
		    "failed temporarily",
		    p->temp_name);
	pub->reason = lookup_reason(&l->out, p, norm);
	if (!dmarc_out_finish(&l->out, &pub->steps, &pub->nsteps,
		&pub->warnings, &pub->nwarnings))
		st = INKAN_ERR_NOMEM;
out:
	dmarc_policy_clear(p);
	free(p);
	if (st != INKAN_OK) {
		struct inkan_dmarc_lookup *x = &l->pub;

		inkan_dmarc_lookup_free(&x);
		return st;
	}
	*lookup_r = &l->pub;
	return INKAN_OK;
}

enum inkan_status
inkan_dmarc_org_domain(
    struct inkan_dmarc *d, const char *domain, char *org_r, size_t size)
{
	char norm[INKAN_DNS_NAME_MAX + 1];

	if (d == NULL || domain == NULL || org_r == NULL ||
	    size < INKAN_DNS_NAME_MAX + 1)
		return INKAN_ERR_INVAL;
	org_r[0] = '\0';
	if (!dmarc_domain_normalise(domain, norm, sizeof(norm)))
		return INKAN_ERR_SYNTAX;
	dmarc_clock(d);
	return dmarc_org_domain(d, norm, org_r, NULL);
}

enum inkan_status
inkan_dmarc_aligned(struct inkan_dmarc *d, const char *author_domain,
    const char *identifier, enum inkan_dmarc_align mode, bool *aligned_r)
{
	char a[INKAN_DNS_NAME_MAX + 1], b[INKAN_DNS_NAME_MAX + 1];
	char oa[INKAN_DNS_NAME_MAX + 1], ob[INKAN_DNS_NAME_MAX + 1];
	enum inkan_status st;

	if (aligned_r != NULL)
		*aligned_r = false;
	if (d == NULL || author_domain == NULL || identifier == NULL ||
	    aligned_r == NULL)
		return INKAN_ERR_INVAL;
	if (!dmarc_domain_normalise(author_domain, a, sizeof(a)) ||
	    !dmarc_domain_normalise(identifier, b, sizeof(b)))
		return INKAN_ERR_SYNTAX;
	/* RFC 9989 3.2.10.2, 4.4: identical, compared without case. */
	if (strcmp(a, b) == 0) {
		*aligned_r = true;
		return INKAN_OK;
	}
	if (mode == INKAN_DMARC_ALIGN_STRICT)
		return INKAN_OK;
	/* 3.2.10.1: the same Organizational Domain. */
	dmarc_clock(d);
	st = dmarc_org_domain(d, a, oa, NULL);
	if (st != INKAN_OK && st != INKAN_ERR_NOTFOUND)
		return st;
	st = dmarc_org_domain(d, b, ob, NULL);
	if (st != INKAN_OK && st != INKAN_ERR_NOTFOUND)
		return st;
	*aligned_r = strcmp(oa, ob) == 0;
	return INKAN_OK;
}
