/*
 * verify.c: the ARC context and chain validation (RFC 8617 5.2).
 *
 * The message streams in through lib/dkim's header store. When the header
 * section ends, every ARC header field is parsed and the ARC Sets are put
 * together by instance; the structure checks of 5.2 steps 1-3 need
 * nothing else, so they are decided then. Every usable AMS gets a body
 * hasher (shared between those that agree on canonicalisation, hash and
 * l=), and the body goes through them and is never kept. At the end the
 * signatures are checked: the newest AMS (step 4), every AS newest first
 * (step 6), then the older AMS for oldest-pass (step 5, which does not
 * change the status, last so that it cannot use up the key lookups the
 * others need). Each check is at most one key lookup through the DKIM
 * context's cache, arc_key_lookups_max per chain.
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arc/arc_impl.h"

const char *
inkan_arc_cv_name(enum inkan_arc_cv cv)
{
	switch (cv) {
	case INKAN_ARC_NONE:
		return "none";
	case INKAN_ARC_PASS:
		return "pass";
	case INKAN_ARC_FAIL:
		return "fail";
	}
	return "none";
}

enum inkan_status
inkan_arc_new(struct inkan_dkim *dkim, struct inkan_arc **arc_r)
{
	struct inkan_arc *arc;

	*arc_r = NULL;
	if (dkim == NULL)
		return INKAN_ERR_INVAL;
	if ((arc = calloc(1, sizeof(*arc))) == NULL)
		return INKAN_ERR_NOMEM;
	arc->dkim = dkim;
	*arc_r = arc;
	return INKAN_OK;
}

void
inkan_arc_free(struct inkan_arc **arc)
{
	if (arc == NULL || *arc == NULL)
		return;
	free(*arc);
	*arc = NULL;
}

/* ---- the verifier ------------------------------------------------------- */

enum inkan_status
arc_verify_start(struct inkan_arc *arc, unsigned flags, bool for_seal,
    struct inkan_arc_verify **v_r)
{
	struct inkan_arc_verify *v;
	const struct inkan_limits *lim;
	enum inkan_status st;
	size_t amax;

	*v_r = NULL;
	if (arc == NULL || (flags & ~(unsigned)INKAN_DKIM_ALLOW_LF) != 0)
		return INKAN_ERR_INVAL;
	if ((v = calloc(1, sizeof(*v))) == NULL)
		return INKAN_ERR_NOMEM;
	v->arc = arc;
	v->dkim = arc->dkim;
	v->flags = flags;
	v->for_seal = for_seal;
	v->seal_hasher = SIZE_MAX;
	lim = &v->dkim->lim;
	/* Its parsed ARC fields and the results (message.c keeps the
	   copies of the fields themselves); the limit is what it was when
	   they were copied here too. */
	if (!inkan_size_mul(lim->hdr_section_max, 3, &amax) ||
	    !inkan_size_add(amax, 1u << 20, &amax))
		amax = SIZE_MAX;
	inkan_arena_init(&v->arena, amax);
	st = dkim_msg_init(&v->msg, lim, (flags & INKAN_DKIM_ALLOW_LF) != 0);
	if (st != INKAN_OK) {
		inkan_arena_clear(&v->arena);
		free(v);
		return st;
	}
	inkan_buf_init(&v->tmp, lim->hdr_section_max + 4096);
	*v_r = v;
	return INKAN_OK;
}

enum inkan_status
inkan_arc_verify_new(
    struct inkan_arc *arc, unsigned flags, struct inkan_arc_verify **v_r)
{
	return arc_verify_start(arc, flags, false, v_r);
}

void
inkan_arc_verify_free(struct inkan_arc_verify **vp)
{
	struct inkan_arc_verify *v;
	size_t i;

	if (vp == NULL || (v = *vp) == NULL)
		return;
	for (i = 0; i < v->nhashers; i++)
		dkim_bodyhash_clear(&v->hashers[i]);
	free(v->hashers);
	dkim_msg_clear(&v->msg);
	inkan_arena_clear(&v->arena);
	inkan_buf_clear(&v->tmp);
	free(v);
	*vp = NULL;
}

static void
set_error(struct inkan_arc_verify *v, const char *msg)
{
	snprintf(v->error, sizeof(v->error), "%s", msg);
}

/* A sentence in the arena; the fallback when the arena is full. */
static const char *say(struct inkan_arc_verify *v, const char *fallback,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static const char *
say(struct inkan_arc_verify *v, const char *fallback, const char *fmt, ...)
{
	char *msg = inkan_arena_alloc(&v->arena, 256);
	va_list ap;

	if (msg == NULL)
		return fallback;
	va_start(ap, fmt);
	vsnprintf(msg, 256, fmt, ap);
	va_end(ap);
	return msg;
}

static const char *
kind_name(enum arc_kind k)
{
	switch (k) {
	case ARC_AAR:
		return "ARC-Authentication-Results";
	case ARC_AMS:
		return "ARC-Message-Signature";
	case ARC_AS:
		return "ARC-Seal";
	case ARC_NOT:
		break;
	}
	return "header field";
}

/* The first structure problem found (RFC 8617 5.2 step 3) is kept. */
static void
structure_error(struct inkan_arc_verify *v, unsigned instance, const char *why)
{
	if (v->structure_why != NULL)
		return;
	v->structure_why = why;
	v->structure_instance = instance;
}

/* One ARC header field as found in the header section. */
struct found {
	enum arc_kind kind;
	size_t field;
	unsigned instance;
	bool too_big;
	struct arc_sig sig; /* AMS, AS */
	struct arc_aar aar; /* AAR */
};

/* Parses every ARC field into *found_r (the arena) and finds N. */
static enum inkan_status
collect(struct inkan_arc_verify *v, struct found **found_r, size_t *n_r)
{
	const struct inkan_limits *lim = &v->dkim->lim;
	struct dkim_msg *m = &v->msg;
	struct found *found;
	size_t i, n = 0;
	enum inkan_status st;

	*found_r = NULL;
	*n_r = 0;
	for (i = 0; i < m->nfields; i++)
		if (arc_field_kind(inkan_view_make(m->fields[i].raw.ptr,
			m->fields[i].name_len)) != ARC_NOT)
			n++;
	if (n == 0)
		return INKAN_OK;
	if ((found = inkan_arena_calloc(&v->arena, n, sizeof(*found))) == NULL)
		return INKAN_ERR_NOMEM;
	n = 0;
	for (i = 0; i < m->nfields; i++) {
		struct dkim_field *f = &m->fields[i];
		enum arc_kind kind =
		    arc_field_kind(inkan_view_make(f->raw.ptr, f->name_len));
		struct found *e;

		if (kind == ARC_NOT)
			continue;
		e = &found[n++];
		e->kind = kind;
		e->field = i;
		if (e->kind == ARC_AAR) {
			arc_parse_aar(
			    arc_field_value(f->raw, f->name_len), lim, &e->aar);
			e->instance = e->aar.instance;
			e->too_big = e->aar.instance_too_big;
		} else {
			st = arc_parse_sig(e->kind, f->raw, f->name_len, lim,
			    &v->arena, &e->sig);
			if (st != INKAN_OK)
				return st;
			e->instance = e->sig.instance;
			e->too_big = e->sig.instance_too_big;
		}
		if (e->instance > v->max_instance)
			v->max_instance = e->instance;
	}
	*found_r = found;
	*n_r = n;
	return INKAN_OK;
}

/* Structure (RFC 8617 5.2 steps 1-3): sets by instance, the checks. */
static enum inkan_status
assemble(struct inkan_arc_verify *v, struct found *found, size_t n)
{
	size_t i, k, *slot;
	unsigned newest_as = 0;

	/* Step 1: more than 50 sets (an instance past the limit). */
	for (i = 0; i < n; i++)
		if (found[i].too_big) {
			v->too_many = true;
			structure_error(v, 0,
			    say(v, "more ARC Sets than allowed",
				"an %s has an instance above %zu: more ARC "
				"Sets than allowed (RFC 8617 5.2 step 1)",
				kind_name(found[i].kind),
				v->dkim->lim.arc_instances_max));
			break;
		}
	/* Step 2: the newest seal says the chain failed (RFC 8617 5.2
	   step 2; 5.1 step 2 for a sealer). */
	for (i = 0; i < n; i++)
		if (found[i].kind == ARC_AS && found[i].instance > newest_as)
			newest_as = found[i].instance;
	for (i = 0; i < n; i++)
		if (found[i].kind == ARC_AS && newest_as > 0 &&
		    found[i].instance == newest_as && found[i].sig.cv_valid &&
		    found[i].sig.cv == INKAN_ARC_FAIL)
			v->newest_as_fail = true;
	if (v->newest_as_fail)
		structure_error(v, newest_as,
		    say(v, "the newest ARC-Seal says cv=fail",
			"the newest ARC-Seal (i=%u) says cv=fail (RFC 8617 "
			"5.2 step 2)",
			newest_as));
	/* Step 3: exactly one of each per instance, 1..N without gaps. */
	for (i = 0; i < n; i++)
		if (found[i].instance == 0 && !found[i].too_big) {
			const char *why = found[i].kind == ARC_AAR
			    ? found[i].aar.why
			    : found[i].sig.why;

			structure_error(v, 0,
			    say(v, "an ARC header field has no valid instance",
				"an %s has no valid instance: %s",
				kind_name(found[i].kind),
				why != NULL ? why : "i= is missing"));
		}
	v->n_info = v->max_instance;
	if (v->n_info == 0)
		return INKAN_OK;
	v->info = inkan_arena_calloc(&v->arena, v->n_info, sizeof(*v->info));
	if (v->info == NULL)
		return INKAN_ERR_NOMEM;
	for (k = 0; k < v->n_info; k++) {
		v->info[k].aar = v->info[k].ams = v->info[k].as = SIZE_MAX;
		v->info[k].hasher = SIZE_MAX;
	}
	for (i = 0; i < n; i++) {
		struct found *e = &found[i];
		struct arc_setinfo *si;

		if (e->instance == 0)
			continue;
		si = &v->info[e->instance - 1];
		slot = e->kind == ARC_AAR ? &si->aar
		    : e->kind == ARC_AMS  ? &si->ams
					  : &si->as;
		if (*slot != SIZE_MAX) {
			structure_error(v, e->instance,
			    say(v, "an ARC header field is given twice",
				"two %s fields with i=%u (RFC 8617 5.2 step "
				"3.1)",
				kind_name(e->kind), e->instance));
			continue;
		}
		*slot = e->field;
		if (e->kind == ARC_AAR)
			si->aar_parsed = e->aar;
		else if (e->kind == ARC_AMS)
			si->ams_sig = e->sig;
		else
			si->as_sig = e->sig;
	}
	for (k = 0; k < v->n_info; k++) {
		struct arc_setinfo *si = &v->info[k];
		unsigned inst = (unsigned)k + 1;

		if (si->aar == SIZE_MAX || si->ams == SIZE_MAX ||
		    si->as == SIZE_MAX) {
			structure_error(v, inst,
			    say(v, "an ARC Set is incomplete",
				"ARC Set i=%u has no %s (RFC 8617 5.2 step "
				"3.1-3.2)",
				inst,
				si->aar == SIZE_MAX       ? kind_name(ARC_AAR)
				    : si->ams == SIZE_MAX ? kind_name(ARC_AMS)
							  : kind_name(ARC_AS)));
			continue;
		}
		if (!si->as_sig.cv_valid) {
			structure_error(v, inst,
			    say(v, "an ARC-Seal has no valid cv=",
				"ARC-Seal i=%u: %s", inst,
				si->as_sig.why != NULL
				    ? si->as_sig.why
				    : "cv= is missing or invalid"));
			continue;
		}
		/* Step 3.3: cv=none for i=1, pass for the others. */
		if (inst == 1 && si->as_sig.cv != INKAN_ARC_NONE)
			structure_error(v, inst,
			    say(v, "the first ARC-Seal's cv= is not none",
				"ARC-Seal i=1 says cv=%s, not none (RFC 8617 "
				"5.2 step 3.3)",
				inkan_arc_cv_name(si->as_sig.cv)));
		else if (inst > 1 && si->as_sig.cv != INKAN_ARC_PASS)
			structure_error(v, inst,
			    say(v, "an ARC-Seal's cv= is not pass",
				"ARC-Seal i=%u says cv=%s, not pass (RFC 8617 "
				"5.2 step 3.3)",
				inst, inkan_arc_cv_name(si->as_sig.cv)));
	}
	return INKAN_OK;
}

/* The body hasher for (canon, md, limit), shared; SIZE_MAX on error. */
static size_t
hasher_for(struct inkan_arc_verify *v, enum inkan_dkim_canon canon,
    const EVP_MD *md, uint64_t limit, enum inkan_status *st)
{
	size_t j;

	for (j = 0; j < v->nhashers; j++) {
		struct dkim_bodyhash *bh = &v->hashers[j];

		if (bh->canon.canon == canon && bh->alg == md &&
		    bh->limit == limit)
			return j;
	}
	*st = dkim_bodyhash_init(&v->hashers[j], canon,
	    (v->flags & INKAN_DKIM_ALLOW_LF) != 0, md, limit);
	if (*st != INKAN_OK)
		return SIZE_MAX;
	v->nhashers++;
	return j;
}

/* Copies what the result reports of a parsed signature. */
static void
report_sig(struct inkan_arc_sig *o, const struct arc_sig *s, bool present)
{
	o->present = present;
	o->domain = s->domain;
	o->selector = s->selector;
	o->algorithm = s->alg;
	o->b = s->b;
	o->timestamp = s->timestamp;
	o->result = INKAN_DKIM_NONE;
	o->reason = "not checked";
}

/*
 * o->aar_authserv_id: the AAR's authserv-id, decoded, when one can be
 * read (NULL otherwise). INKAN_ERR_NOMEM is the only failure.
 */
static enum inkan_status
aar_authserv_id(struct inkan_arc_verify *v, const struct arc_aar *aar,
    struct inkan_arc_set *o)
{
	struct inkan_buf id;
	struct inkan_view rest;
	enum inkan_status st;

	/* The decoded id is never longer than the payload. */
	inkan_buf_init(&id, aar->payload.len + 1);
	st = arc_authserv_id(aar->payload, &id, &rest);
	if (st == INKAN_OK &&
	    (o->aar_authserv_id =
		    inkan_arena_strndup(&v->arena, id.data, id.len)) == NULL)
		st = INKAN_ERR_NOMEM;
	inkan_buf_clear(&id);
	return st == INKAN_ERR_NOMEM ? INKAN_ERR_NOMEM : INKAN_OK;
}

/* The result's sets, as far as they could be read. */
static enum inkan_status
report_sets(struct inkan_arc_verify *v)
{
	size_t k;

	if (v->n_info == 0)
		return INKAN_OK;
	v->sets = inkan_arena_calloc(&v->arena, v->n_info, sizeof(*v->sets));
	if (v->sets == NULL)
		return INKAN_ERR_NOMEM;
	for (k = 0; k < v->n_info; k++) {
		struct arc_setinfo *si = &v->info[k];
		struct inkan_arc_set *o = &v->sets[k];

		o->instance = (unsigned)k + 1;
		report_sig(&o->as, &si->as_sig, si->as != SIZE_MAX);
		report_sig(&o->ams, &si->ams_sig, si->ams != SIZE_MAX);
		o->as_cv = si->as_sig.cv_valid ? si->as_sig.cv : INKAN_ARC_NONE;
		o->ams_headers = si->ams_sig.headers;
		if (si->aar != SIZE_MAX) {
			o->aar = inkan_arena_strndup(&v->arena,
			    si->aar_parsed.payload.ptr,
			    si->aar_parsed.payload.len);
			if (o->aar == NULL)
				return INKAN_ERR_NOMEM;
			if (aar_authserv_id(v, &si->aar_parsed, o) != INKAN_OK)
				return INKAN_ERR_NOMEM;
		}
	}
	return INKAN_OK;
}

/* At the end of the header section: the chain's structure, hashers. */
static enum inkan_status
start_body(struct inkan_arc_verify *v)
{
	struct found *found;
	size_t n, k, nmax;
	enum inkan_status st = INKAN_OK;

	if ((st = collect(v, &found, &n)) != INKAN_OK)
		return st;
	v->any_arc = n > 0;
	if (n > 0 && (st = assemble(v, found, n)) != INKAN_OK)
		return st;
	if ((st = report_sets(v)) != INKAN_OK)
		return st;
	/* One hasher per usable AMS at most, and the sealer's. */
	nmax = v->structure_why == NULL ? v->n_info + 1 : 1;
	if ((v->hashers = calloc(nmax, sizeof(*v->hashers))) == NULL)
		return INKAN_ERR_NOMEM;
	if (v->structure_why == NULL)
		for (k = 0; k < v->n_info; k++) {
			struct arc_sig *s = &v->info[k].ams_sig;

			if (s->why != NULL)
				continue;
			v->info[k].hasher = hasher_for(v, s->bcanon,
			    s->alg == INKAN_DKIM_RSA_SHA1 ? v->dkim->sha1
							  : v->dkim->sha256,
			    s->has_length ? s->length : UINT64_MAX, &st);
			if (st != INKAN_OK)
				return st;
		}
	if (v->for_seal) {
		/* The new AMS: relaxed body, SHA-256 (rsa-sha256 and
		   ed25519-sha256 both hash the body with it). */
		v->seal_hasher = hasher_for(
		    v, INKAN_DKIM_RELAXED, v->dkim->sha256, UINT64_MAX, &st);
		if (st != INKAN_OK)
			return st;
	}
	return INKAN_OK;
}

static void
feed_body(struct inkan_arc_verify *v, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < v->nhashers; i++)
		dkim_bodyhash_feed(&v->hashers[i], p, n);
}

static enum inkan_status
broken(struct inkan_arc_verify *v, enum inkan_status st, const char *why)
{
	v->broken = true;
	if (v->msg.err == INKAN_OK)
		v->msg.err = st;
	set_error(v, why != NULL && why[0] != '\0' ? why : inkan_strerror(st));
	return st;
}

enum inkan_status
inkan_arc_verify_feed(struct inkan_arc_verify *v, const void *data, size_t len)
{
	struct inkan_view body;
	enum inkan_status st;

	if (v->finished)
		return INKAN_ERR_STATE;
	if (v->broken)
		return v->msg.err != INKAN_OK ? v->msg.err : INKAN_ERR_STATE;
	if (len == 0)
		return INKAN_OK;
	if (v->msg.state == DKIM_MSG_BODY) {
		feed_body(v, data, len);
		return INKAN_OK;
	}
	st = dkim_msg_feed_headers(&v->msg, data, len, false, &body);
	if (st != INKAN_OK)
		return broken(v, st, v->msg.error);
	if (v->msg.state == DKIM_MSG_BODY) {
		if ((st = start_body(v)) != INKAN_OK)
			return broken(v, st, NULL);
		feed_body(v, body.ptr, body.len);
	}
	return INKAN_OK;
}

/* ---- the checks ----------------------------------------------------------
 */

enum inkan_status
arc_chain_data(
    struct inkan_arc_verify *v, unsigned count, struct inkan_buf *out)
{
	unsigned k;
	enum inkan_status st = INKAN_OK;

	/* RFC 8617 5.1.1: by instance, AAR, AMS, AS; relaxed (4.1.3). */
	for (k = 0; k < count && st == INKAN_OK; k++) {
		const struct arc_setinfo *si = &v->info[k];
		const size_t idx[3] = { si->aar, si->ams, si->as };
		size_t j;

		for (j = 0; j < 3 && st == INKAN_OK; j++) {
			const struct dkim_field *f = &v->msg.fields[idx[j]];

			st = dkim_canon_header(INKAN_DKIM_RELAXED, f->raw,
			    f->name_len, false, out);
		}
	}
	return st;
}

/* Records the outcome of checking one signature. */
static void
outcome(struct inkan_arc_sig *o, enum inkan_dkim_result r, const char *why,
    unsigned bits)
{
	o->result = r;
	o->verified = r == INKAN_DKIM_PASS;
	o->reason = why;
	o->key_bits = bits;
}

/*
 * Checks s's signature over v->tmp: dkim_verify_data() with the chain's
 * own key lookup budget (arc_key_lookups_max). lib/dkim refuses a lookup
 * when the counter it is given has reached its per-message limit, so the
 * counter passed is 0 while the budget lasts and at that limit after: a
 * key already in the cache is still used.
 */
static enum inkan_dkim_result
verify_sig(struct inkan_arc_verify *v, const struct arc_sig *s, unsigned *bits,
    const char **why)
{
	const struct inkan_limits *lim = &v->dkim->lim;
	bool budget = v->lookups < lim->arc_key_lookups_max;
	size_t n = budget ? 0 : lim->dkim_key_lookups_max;
	enum inkan_dkim_result r;

	r = dkim_verify_data(v->dkim, s->keyname, s->alg,
	    inkan_buf_view(&v->tmp), inkan_view_make(s->sig, s->siglen), &n,
	    bits, why);
	if (budget && n > 0)
		v->lookups++;
	return r;
}

/* RFC 8617 5.2 steps 4-5: the AMS of instance k (1-based). */
static bool
check_ams(struct inkan_arc_verify *v, unsigned k)
{
	struct arc_setinfo *si = &v->info[k - 1];
	struct inkan_arc_sig *o = &v->sets[k - 1].ams;
	struct arc_sig *s = &si->ams_sig;
	struct dkim_field *f = &v->msg.fields[si->ams];
	struct dkim_bodyhash *bh;
	struct inkan_view copy;
	enum inkan_dkim_result r;
	const char *why;
	unsigned bits = 0;

	if (s->why != NULL) {
		outcome(o, INKAN_DKIM_PERMERROR, s->why, 0);
		return false;
	}
	bh = &v->hashers[si->hasher];
	if (s->has_length && s->length > bh->canon.total) {
		outcome(o, INKAN_DKIM_PERMERROR,
		    "l= is larger than the canonical body", 0);
		return false;
	}
	if (bh->dlen != s->bhlen || memcmp(bh->digest, s->bh, s->bhlen) != 0) {
		outcome(o, INKAN_DKIM_FAIL, "body hash mismatch", 0);
		return false;
	}
	/* RFC 6376 3.7 as RFC 8617 4.1.2 imports it: the fields h= selects,
	   then the AMS itself with b= empty and without its CRLF. */
	inkan_buf_reset(&v->tmp);
	copy = arc_without_b(&v->arena, f->raw, s->b_start, s->b_end);
	if (copy.ptr == NULL ||
	    dkim_msg_select(&v->msg, s->h, s->hcanon, si->ams, &v->tmp) !=
		INKAN_OK ||
	    dkim_canon_header(s->hcanon, copy, f->name_len, true, &v->tmp) !=
		INKAN_OK) {
		outcome(o, INKAN_DKIM_TEMPERROR, "out of memory", 0);
		return false;
	}
	r = verify_sig(v, s, &bits, &why);
	outcome(o, r, why, bits);
	return r == INKAN_DKIM_PASS;
}

/* RFC 8617 5.2 step 6: the AS of instance k over sets 1..k. */
static bool
check_as(struct inkan_arc_verify *v, unsigned k)
{
	struct arc_setinfo *si = &v->info[k - 1];
	struct inkan_arc_sig *o = &v->sets[k - 1].as;
	struct arc_sig *s = &si->as_sig;
	struct dkim_field *f;
	struct inkan_view copy;
	enum inkan_dkim_result r;
	enum inkan_status st;
	const char *why;
	unsigned bits = 0;
	size_t j;

	if (s->why != NULL) {
		outcome(o, INKAN_DKIM_PERMERROR, s->why, 0);
		return false;
	}
	inkan_buf_reset(&v->tmp);
	st = arc_chain_data(v, k - 1, &v->tmp);
	for (j = 0; j < 2 && st == INKAN_OK; j++) {
		f = &v->msg.fields[j == 0 ? si->aar : si->ams];
		st = dkim_canon_header(
		    INKAN_DKIM_RELAXED, f->raw, f->name_len, false, &v->tmp);
	}
	f = &v->msg.fields[si->as];
	copy = arc_without_b(&v->arena, f->raw, s->b_start, s->b_end);
	if (st == INKAN_OK && copy.ptr == NULL)
		st = INKAN_ERR_NOMEM;
	if (st == INKAN_OK)
		st = dkim_canon_header(
		    INKAN_DKIM_RELAXED, copy, f->name_len, true, &v->tmp);
	if (st != INKAN_OK) {
		outcome(o, INKAN_DKIM_TEMPERROR, "out of memory", 0);
		return false;
	}
	r = verify_sig(v, s, &bits, &why);
	outcome(o, r, why, bits);
	return r == INKAN_DKIM_PASS;
}

/* RFC 8617 5.2, after the structure: steps 4-7. */
static void
validate(struct inkan_arc_verify *v)
{
	struct inkan_arc_result *r = &v->result;
	unsigned n = (unsigned)v->n_info, k, oldest = 0;

	r->sets = v->sets;
	r->count = v->n_info;
	if (!v->any_arc) {
		r->cv = INKAN_ARC_NONE;
		r->reason = "the message has no ARC Sets";
		return;
	}
	r->cv = INKAN_ARC_FAIL;
	if (v->structure_why != NULL) {
		r->reason = v->structure_why;
		r->failed_instance = v->structure_instance;
		return;
	}
	/* Step 4: the newest AMS. */
	if (!check_ams(v, n)) {
		r->failed_instance = n;
		r->reason = say(v, "the newest ARC-Message-Signature fails",
		    "the newest ARC-Message-Signature (i=%u) does not verify: "
		    "%s (RFC 8617 5.2 step 4)",
		    n, v->sets[n - 1].ams.reason);
		return;
	}
	/*
	 * Step 6 before step 5: the result is the same (oldest-pass does
	 * not affect validity), and the key lookup budget goes first to
	 * the checks that decide it. Every AS, newest first.
	 */
	for (k = n; k >= 1; k--)
		if (!check_as(v, k)) {
			r->failed_instance = k;
			r->reason = say(v, "an ARC-Seal does not verify",
			    "ARC-Seal i=%u does not verify: %s (RFC 8617 5.2 "
			    "step 6)",
			    k, v->sets[k - 1].as.reason);
			return;
		}
	/* Step 5: oldest-pass, the older AMS newest first. */
	for (k = n - 1; k >= 1; k--)
		if (!check_ams(v, k)) {
			oldest = k + 1;
			break;
		}
	/* Step 7. */
	r->cv = INKAN_ARC_PASS;
	r->oldest_pass = oldest;
	r->reason = n == 1 ? "the chain of 1 ARC Set is valid"
			   : say(v, "the chain is valid",
				 "the chain of %u ARC Sets is valid", n);
}

enum inkan_status
inkan_arc_verify_finish(struct inkan_arc_verify *v)
{
	struct inkan_view body;
	enum inkan_status st;
	size_t i;

	if (v->finished)
		return INKAN_ERR_STATE;
	if (v->broken)
		return v->msg.err != INKAN_OK ? v->msg.err : INKAN_ERR_STATE;
	if (v->msg.state == DKIM_MSG_HEADERS) {
		st = dkim_msg_feed_headers(&v->msg, NULL, 0, true, &body);
		if (st != INKAN_OK)
			return broken(v, st, v->msg.error);
		if (v->msg.state != DKIM_MSG_BODY)
			return broken(v, INKAN_ERR_INTERNAL, NULL);
		if ((st = start_body(v)) != INKAN_OK)
			return broken(v, st, NULL);
	}
	for (i = 0; i < v->nhashers; i++)
		if (dkim_bodyhash_end(&v->hashers[i]) != INKAN_OK)
			return broken(
			    v, INKAN_ERR_INTERNAL, "hashing the body failed");
	v->finished = true;
	validate(v);
	return INKAN_OK;
}

const struct inkan_arc_result *
inkan_arc_verify_result(const struct inkan_arc_verify *v)
{
	return v->finished ? &v->result : NULL;
}

const char *
inkan_arc_verify_error(const struct inkan_arc_verify *v)
{
	return v->error;
}

enum inkan_status
inkan_arc_result_authres(const struct inkan_arc_result *r,
    const char *remote_ip, struct inkan_buf *out)
{
	uint8_t addr[16];

	if (r == NULL)
		return INKAN_ERR_INVAL;
	if (remote_ip != NULL && inet_pton(AF_INET, remote_ip, addr) != 1 &&
	    inet_pton(AF_INET6, remote_ip, addr) != 1)
		return INKAN_ERR_INVAL;
	/* RFC 8617 6, 10.1-10.2: the arc method, header.oldest-pass and
	   smtp.remote-ip. */
	inkan_buf_printf(out, "arc=%s", inkan_arc_cv_name(r->cv));
	if (r->cv == INKAN_ARC_PASS)
		inkan_buf_printf(out, " header.oldest-pass=%u", r->oldest_pass);
	if (remote_ip != NULL)
		inkan_buf_printf(out, " smtp.remote-ip=%s", remote_ip);
	return out->err;
}
