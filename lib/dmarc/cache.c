/*
 * cache.c: the DMARC context, its record cache, fetching the DMARC record
 * at one name, domain-name helpers, and the step and warning lists that
 * lookups and verdicts carry.
 *
 * The cache is a chained hash table keyed by query name. An entry is what
 * one TXT query came to (a record, NXDOMAIN, NODATA, no DMARC record,
 * several), kept for the answer's TTL (negative answers at most
 * dmarc_negative_ttl). Temporary failures are never kept.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dmarc/dmarc_impl.h"

/* ---- names ------------------------------------------------------------- */

bool
dmarc_domain_normalise(const char *in, char *out, size_t size)
{
	size_t n, i, label = 0;

	if (in == NULL || size < INKAN_DNS_NAME_MAX + 1)
		return false;
	n = strlen(in);
	if (n > 0 && in[n - 1] == '.')
		n--;
	/* RFC 1035 2.3.4 (253 characters in text form without the dot). */
	if (n == 0 || n > 253)
		return false;
	for (i = 0; i < n; i++) {
		uint8_t c = (uint8_t)in[i];

		if (c == '.') {
			if (label == 0)
				return false;
			label = 0;
		} else if (inkan_cc_is(c, INKAN_CC_LDH) || c == '_') {
			if (++label > INKAN_DNS_LABEL_MAX)
				return false;
		} else
			return false;
		out[i] = (char)inkan_ascii_lower(c);
	}
	if (label == 0)
		return false;
	out[n] = '\0';
	return true;
}

size_t
dmarc_label_count(const char *domain)
{
	size_t n = 1;

	for (; *domain != '\0'; domain++)
		if (*domain == '.')
			n++;
	return n;
}

const char *
dmarc_domain_suffix(const char *domain, size_t n)
{
	size_t total = dmarc_label_count(domain), skip;

	if (n >= total)
		return domain;
	for (skip = total - n; skip > 0; domain++)
		if (*domain == '.')
			skip--;
	return domain;
}

/* ---- the context ------------------------------------------------------- */

void
inkan_dmarc_options_init(struct inkan_dmarc_options *o)
{
	if (o == NULL)
		return;
	memset(o, 0, sizeof(*o));
	o->mode = INKAN_DMARC_MODE_TREEWALK;
	o->multi_from = INKAN_DMARC_MULTI_NONE;
}

void
dmarc_clock(struct inkan_dmarc *d)
{
	d->now = d->opt.now != NULL ? d->opt.now(d->opt.now_arg)
				    : (int64_t)time(NULL);
}

static void
entry_drop(struct ttl_entry *base)
{
	struct dmarc_cache_entry *e = (struct dmarc_cache_entry *)(void *)base;

	inkan_dmarc_record_free(&e->rec);
	free(e->text);
	free(e->why);
	free(e);
}

enum inkan_status
inkan_dmarc_new(struct inkan_resolver *resolver,
    const struct inkan_limits *limits,
    const struct inkan_dmarc_options *options, struct inkan_dmarc **dmarc_r)
{
	struct inkan_dmarc *d;
	enum inkan_status st;

	if (dmarc_r != NULL)
		*dmarc_r = NULL;
	if (resolver == NULL || dmarc_r == NULL)
		return INKAN_ERR_INVAL;
	if (options != NULL &&
	    ((unsigned)options->mode > INKAN_DMARC_MODE_RFC7489 ||
		(unsigned)options->multi_from > INKAN_DMARC_MULTI_REJECT))
		return INKAN_ERR_INVAL;
	if ((d = calloc(1, sizeof(*d))) == NULL)
		return INKAN_ERR_NOMEM;
	d->resolver = resolver;
	d->lim = limits != NULL ? *limits : *inkan_limits_defaults();
	if (options != NULL)
		d->opt = *options;
	else
		inkan_dmarc_options_init(&d->opt);
	d->opt.psl_file = NULL; /* read below, not kept */
	if (ttl_cache_init(&d->cache, d->lim.dmarc_cache_max, (size_t)1 << 16,
		entry_drop) != INKAN_OK) {
		free(d);
		return INKAN_ERR_NOMEM;
	}
	if (d->opt.mode == INKAN_DMARC_MODE_RFC7489) {
		st = dmarc_psl_load(
		    options != NULL ? options->psl_file : NULL, &d->psl);
		if (st != INKAN_OK) {
			inkan_dmarc_free(&d);
			return st;
		}
	}
	*dmarc_r = d;
	return INKAN_OK;
}

void
inkan_dmarc_cache_clear(struct inkan_dmarc *d)
{
	if (d != NULL)
		ttl_cache_empty(&d->cache);
}

void
inkan_dmarc_free(struct inkan_dmarc **dp)
{
	struct inkan_dmarc *d;

	if (dp == NULL || *dp == NULL)
		return;
	d = *dp;
	*dp = NULL;
	ttl_cache_clear(&d->cache);
	dmarc_psl_free(&d->psl);
	free(d);
}

/* Keeps f for key; failing to allocate only skips caching. */
static void
cache_put(struct inkan_dmarc *d, const char *key, size_t n, uint64_t h,
    const struct dmarc_fetch *f)
{
	struct dmarc_cache_entry *e;
	uint32_t ttl = f->ttl;
	size_t size;

	if (f->outcome == INKAN_DMARC_STEP_TEMPERROR)
		return;
	if (f->outcome != INKAN_DMARC_STEP_RECORD) {
		/* Negative answers: at most dmarc_negative_ttl, which is
		   also the TTL when DNS gave none. */
		if (ttl == 0 || ttl > d->lim.dmarc_negative_ttl)
			ttl = d->lim.dmarc_negative_ttl;
	}
	if (ttl == 0 || !ttl_cache_room(&d->cache, d->now))
		return;
	if (!inkan_size_add(sizeof(*e) + 1, n, &size) ||
	    (e = calloc(1, size)) == NULL)
		return;
	memcpy(e->key, key, n);
	e->ttl = ttl;
	e->outcome = f->outcome;
	if (f->why != NULL && (e->why = strdup(f->why)) == NULL) {
		entry_drop(&e->base);
		return;
	}
	if (f->text != NULL && (e->text = strdup(f->text)) == NULL) {
		entry_drop(&e->base);
		return;
	}
	if (f->rec != NULL) {
		dmarc_record_ref(f->rec);
		e->rec = f->rec;
	}
	ttl_cache_add(&d->cache, &e->base, e->key, n, h, d->now + ttl);
}

void
dmarc_fetch_clear(struct dmarc_fetch *f)
{
	inkan_dmarc_record_free(&f->rec);
	free(f->text);
	free(f->why);
	memset(f, 0, sizeof(*f));
}

static char *fmt_alloc(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

static char *
fmt_alloc(const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	return strdup(line);
}

/*
 * RFC 9989 4.10 steps 2 and 6: of the TXT records at the name, those that
 * do not start with v=DMARC1 are discarded; several DMARC records are all
 * discarded; one is parsed.
 */
static enum inkan_status
fetch_dns(struct inkan_dmarc *d, const char *qname, struct dmarc_fetch *f)
{
	struct inkan_dns_answer *a = NULL;
	struct inkan_buf txt;
	enum inkan_status st;
	size_t i, ndmarc = 0, which = 0;
	const char *perr = NULL;

	inkan_buf_init(&txt, d->lim.dmarc_record_max + 1);
	d->dns_queries++;
	st = inkan_resolver_lookup(d->resolver, qname, INKAN_DNS_TXT, &a);
	if (st == INKAN_ERR_INVAL) {
		st = INKAN_ERR_SYNTAX;
		goto out;
	}
	if (st != INKAN_OK)
		goto out;
	f->ttl = a->ttl;
	switch (a->rcode) {
	case INKAN_DNS_NXDOMAIN:
		f->outcome = INKAN_DMARC_STEP_NXDOMAIN;
		f->why = fmt_alloc("NXDOMAIN: no such name");
		goto done;
	case INKAN_DNS_NODATA:
		f->outcome = INKAN_DMARC_STEP_NODATA;
		f->why = fmt_alloc("NODATA: no TXT records");
		goto done;
	case INKAN_DNS_SERVFAIL:
	case INKAN_DNS_TIMEOUT:
		f->outcome = INKAN_DMARC_STEP_TEMPERROR;
		/* The resolver's reason may quote what a server said. */
		if (a->why != NULL &&
		    inkan_escape(a->why, strlen(a->why), &txt) != INKAN_OK)
			inkan_buf_reset(&txt);
		f->why = fmt_alloc("%s%s%s", inkan_dns_rcode_to_name(a->rcode),
		    txt.len > 0 ? ": " : "", inkan_buf_cstr(&txt));
		goto done;
	case INKAN_DNS_NOERROR:
		break;
	}
	for (i = 0; i < a->count; i++) {
		const struct inkan_dns_record *rr = &a->records[i];
		size_t k, joined = 0;

		if (rr->type != INKAN_DNS_TXT || rr->is_raw)
			continue;
		/* Only the start is needed to tell a DMARC record. */
		inkan_buf_reset(&txt);
		for (k = 0; k < rr->u.txt.count && joined < 16; k++) {
			const struct inkan_dns_string *ds =
			    &rr->u.txt.strings[k];

			inkan_buf_append(&txt, ds->data, ds->len);
			joined += ds->len;
		}
		if (txt.err == INKAN_ERR_NOMEM) {
			st = INKAN_ERR_NOMEM;
			goto out;
		}
		if (dmarc_starts_with_version(txt.data, txt.len)) {
			ndmarc++;
			which = i;
		}
	}
	if (ndmarc == 0) {
		f->outcome = INKAN_DMARC_STEP_NOT_DMARC;
		f->why =
		    fmt_alloc("%zu TXT record%s, none starts with v=DMARC1",
			a->count, a->count == 1 ? "" : "s");
		goto done;
	}
	if (ndmarc > 1) {
		f->outcome = INKAN_DMARC_STEP_SEVERAL;
		f->why = fmt_alloc("%zu records start with v=DMARC1: all are "
				   "discarded (RFC 9989 4.10)",
		    ndmarc);
		goto done;
	}
	inkan_buf_reset(&txt);
	st = inkan_dns_txt_join(&a->records[which], &txt);
	if (st == INKAN_ERR_NOMEM)
		goto out;
	if (st != INKAN_OK) {
		f->outcome = INKAN_DMARC_STEP_NOT_DMARC;
		f->why = fmt_alloc("the record is longer than %zu bytes "
				   "(dmarc_record_max): ignored",
		    d->lim.dmarc_record_max);
		st = INKAN_OK;
		goto done;
	}
	st = inkan_dmarc_record_parse(
	    txt.data, txt.len, &d->lim, &f->rec, &perr);
	if (st == INKAN_ERR_NOMEM)
		goto out;
	if (st != INKAN_OK) {
		f->outcome = INKAN_DMARC_STEP_NOT_DMARC;
		f->why = fmt_alloc("not used: %s", perr);
		st = INKAN_OK;
		goto done;
	}
	f->outcome = INKAN_DMARC_STEP_RECORD;
	if ((f->text = strdup(f->rec->text)) == NULL) {
		st = INKAN_ERR_NOMEM;
		goto out;
	}
	f->why = fmt_alloc("a DMARC record%s",
	    f->rec->nwarnings > 0 ? " (with warnings)" : "");
done:
	if (f->why == NULL)
		st = INKAN_ERR_NOMEM;
out:
	inkan_dns_answer_free(&a);
	inkan_buf_clear(&txt);
	return st;
}

enum inkan_status
dmarc_fetch(struct inkan_dmarc *d, const char *qname, struct dmarc_fetch *f)
{
	struct dmarc_cache_entry *e;
	size_t n = strlen(qname);
	uint64_t h = ttl_cache_hash(qname, n);
	enum inkan_status st;

	memset(f, 0, sizeof(*f));
	e = (struct dmarc_cache_entry *)(void *)ttl_cache_find(
	    &d->cache, qname, n, h, d->now);
	if (e != NULL) {
		f->outcome = e->outcome;
		f->cached = true;
		f->ttl = (uint32_t)(e->base.expires - d->now);
		if (e->why != NULL && (f->why = strdup(e->why)) == NULL)
			goto nomem;
		if (e->text != NULL && (f->text = strdup(e->text)) == NULL)
			goto nomem;
		if (e->rec != NULL) {
			dmarc_record_ref(e->rec);
			f->rec = e->rec;
		}
		return INKAN_OK;
	}
	st = fetch_dns(d, qname, f);
	if (st != INKAN_OK) {
		dmarc_fetch_clear(f);
		return st;
	}
	cache_put(d, qname, n, h, f);
	return INKAN_OK;
nomem:
	dmarc_fetch_clear(f);
	return INKAN_ERR_NOMEM;
}

/* ---- output lists ------------------------------------------------------ */

void
dmarc_out_init(struct dmarc_out *o, struct inkan_arena *arena)
{
	memset(o, 0, sizeof(*o));
	o->arena = arena;
}

void
dmarc_out_clear(struct dmarc_out *o)
{
	size_t i;

	for (i = 0; i < o->nrecs; i++)
		inkan_dmarc_record_free(&o->recs[i]);
	free(o->recs);
	free(o->steps);
	free(o->warnings);
	o->recs = NULL;
	o->steps = NULL;
	o->warnings = NULL;
	o->nrecs = o->nsteps = o->nwarnings = 0;
	o->caprecs = o->capsteps = o->capwarnings = 0;
}

/* Makes room for one more element of size sz in *arr (count n, cap). */
static bool
grow(void **arr, size_t n, size_t *cap, size_t sz)
{
	size_t ncap, bytes;
	void *p;

	if (n < *cap)
		return true;
	ncap = *cap ? 2 * *cap : 8;
	if (!inkan_size_mul(ncap, sz, &bytes) ||
	    (p = realloc(*arr, bytes)) == NULL)
		return false;
	*arr = p;
	*cap = ncap;
	return true;
}

const char *
dmarc_out_str(struct dmarc_out *o, const char *s)
{
	char *c;

	if (s == NULL)
		return NULL;
	c = inkan_arena_strndup(o->arena, s, strlen(s));
	if (c == NULL)
		o->nomem = true;
	return c;
}

const char *
dmarc_out_printf(struct dmarc_out *o, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0) {
		o->nomem = true;
		return NULL;
	}
	return dmarc_out_str(o, line);
}

void
dmarc_out_step(
    struct dmarc_out *o, const char *qname, const struct dmarc_fetch *f)
{
	struct inkan_dmarc_step *s;

	if (!grow((void **)&o->steps, o->nsteps, &o->capsteps,
		sizeof(*o->steps))) {
		o->nomem = true;
		return;
	}
	s = &o->steps[o->nsteps++];
	memset(s, 0, sizeof(*s));
	s->name = dmarc_out_str(o, qname);
	s->outcome = f->outcome;
	s->cached = f->cached;
	s->ttl = f->ttl;
	s->text = dmarc_out_str(o, f->text);
	s->psd = f->rec != NULL ? f->rec->psd : INKAN_DMARC_PSD_U;
	s->why = dmarc_out_str(o, f->why != NULL ? f->why : "");
}

void
dmarc_out_warn(struct dmarc_out *o, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	int n;
	const char *c;
	size_t i;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0) {
		o->nomem = true;
		return;
	}
	/* The same warning twice (a record met on two walks) once. */
	for (i = 0; i < o->nwarnings; i++)
		if (strcmp(o->warnings[i], line) == 0)
			return;
	if (!grow((void **)&o->warnings, o->nwarnings, &o->capwarnings,
		sizeof(*o->warnings))) {
		o->nomem = true;
		return;
	}
	if ((c = dmarc_out_str(o, line)) != NULL)
		o->warnings[o->nwarnings++] = c;
}

const struct inkan_dmarc_record *
dmarc_out_hold(struct dmarc_out *o, struct inkan_dmarc_record *rec)
{
	if (rec == NULL)
		return NULL;
	if (!grow((void **)&o->recs, o->nrecs, &o->caprecs, sizeof(*o->recs))) {
		o->nomem = true;
		return NULL;
	}
	dmarc_record_ref(rec);
	o->recs[o->nrecs++] = rec;
	return rec;
}

void
dmarc_out_adopt(struct dmarc_out *to, struct dmarc_out *from)
{
	size_t i;

	for (i = 0; i < from->nrecs; i++) {
		if (!grow((void **)&to->recs, to->nrecs, &to->caprecs,
			sizeof(*to->recs))) {
			/* Keep the reference where it is released. */
			to->nomem = true;
			inkan_dmarc_record_free(&from->recs[i]);
			continue;
		}
		to->recs[to->nrecs++] = from->recs[i];
		from->recs[i] = NULL;
	}
	from->nrecs = 0;
	if (from->nomem)
		to->nomem = true;
}

bool
dmarc_out_finish(struct dmarc_out *o, const struct inkan_dmarc_step **steps_r,
    size_t *nsteps_r, const char *const **warnings_r, size_t *nwarnings_r)
{
	if (o->nsteps > 0) {
		struct inkan_dmarc_step *s =
		    inkan_arena_calloc(o->arena, o->nsteps, sizeof(*s));

		if (s == NULL)
			return false;
		memcpy(s, o->steps, o->nsteps * sizeof(*s));
		*steps_r = s;
		*nsteps_r = o->nsteps;
	}
	if (o->nwarnings > 0) {
		const char **w =
		    inkan_arena_calloc(o->arena, o->nwarnings, sizeof(*w));

		if (w == NULL)
			return false;
		memcpy(w, o->warnings, o->nwarnings * sizeof(*w));
		*warnings_r = w;
		*nwarnings_r = o->nwarnings;
	}
	return !o->nomem;
}
