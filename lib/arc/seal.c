/*
 * seal.c: ARC sealing (RFC 8617 5.1).
 *
 * A sealer is a verifier (verify.c) that also hashes the body relaxed with
 * SHA-256 for the new ARC-Message-Signature. At the end the chain the
 * message came with is validated, and the new ARC Set is built in the
 * order of 5.1 step 4: the ARC-Authentication-Results (from the message's
 * Authentication-Results for our authserv-id, or the caller's payload),
 * the ARC-Message-Signature (like a DKIM-Signature, RFC 6376 5, with i=
 * the instance), and the ARC-Seal over the whole chain (5.1.1), or over
 * the new set alone when the chain failed (5.1.2).
 *
 * Tags are written in alphabetical order, one SP (or a fold) after each
 * ';': the layout of the reference sealer the ARC test suite was made
 * with, so that the suite's expected signatures can be reproduced.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arc/arc_impl.h"

struct inkan_arc_seal {
	struct inkan_arc *arc;
	struct inkan_arc_verify *v;
	struct inkan_dkim_key *key;
	unsigned flags;
	struct inkan_arena arena; /* copies of the options */
	const char *domain, *selector, *authserv_id, *aar_results, *headers;
	int64_t timestamp;
	bool finished, added, failed;
	struct inkan_buf tmp; /* what is signed */
	struct inkan_buf aar, ams, as; /* the new fields, CRLF */
	char error[300];
};

void
inkan_arc_seal_options_init(struct inkan_arc_seal_options *o)
{
	memset(o, 0, sizeof(*o));
}

/* ---- options -------------------------------------------------------------
 */

/* A DNS name as d= and s= need it (LDH labels, '_', no empty label). */
static bool
dns_name_ok(const char *s)
{
	size_t i, label = 0;

	if (s == NULL || s[0] == '\0' || strlen(s) > 253)
		return false;
	for (i = 0; s[i] != '\0'; i++) {
		uint8_t c = (uint8_t)s[i];

		if (c == '.') {
			if (label == 0)
				return false;
			label = 0;
			continue;
		}
		if (!inkan_cc_is(c, INKAN_CC_LDH) && c != '_')
			return false;
		if (++label > 63)
			return false;
	}
	return label > 0;
}

/* Header text: printable ASCII, UTF-8, SP and HTAB; no CR, LF, NUL. */
static bool
header_text_ok(const char *s, bool semicolon_ok)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++) {
		uint8_t c = (uint8_t)s[i];

		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return false;
		if (c == ';' && !semicolon_ok)
			return false;
	}
	return i > 0;
}

/* The caller's h=: header names, none of them ARC or A-R. */
static bool
headers_ok(const char *h)
{
	struct inkan_view list = inkan_view_cstr(h), e;
	size_t i;

	if (!header_text_ok(h, false))
		return false;
	while (dkim_list_next(&list, &e)) {
		if (e.len == 0)
			return false;
		for (i = 0; i < e.len; i++)
			if (!inkan_cc_is(e.ptr[i], INKAN_CC_FTEXT))
				return false;
		/* RFC 8617 4.1.2: ARC fields and Authentication-Results
		   MUST NOT be signed by the AMS. */
		if (arc_field_kind(e) != ARC_NOT ||
		    inkan_view_eq_cstr_nocase(e, "authentication-results"))
			return false;
	}
	return true;
}

static const char *
dup_opt(struct inkan_arena *a, const char *s, bool *nomem)
{
	char *r;

	if (s == NULL)
		return NULL;
	if ((r = inkan_arena_strndup(a, s, strlen(s))) == NULL)
		*nomem = true;
	return r;
}

enum inkan_status
inkan_arc_seal_new(struct inkan_arc *arc,
    const struct inkan_arc_seal_options *o, struct inkan_dkim_key *key,
    unsigned flags, struct inkan_arc_seal **s_r)
{
	struct inkan_arc_seal *s;
	enum inkan_dkim_algorithm alg;
	enum inkan_status st;
	bool nomem = false;
	size_t max;

	*s_r = NULL;
	if (arc == NULL || o == NULL || key == NULL)
		return INKAN_ERR_INVAL;
	alg = inkan_dkim_key_algorithm(key);
	if (alg != INKAN_DKIM_RSA_SHA256 && alg != INKAN_DKIM_ED25519_SHA256)
		return INKAN_ERR_INVAL;
	if (!dns_name_ok(o->domain) || !dns_name_ok(o->selector))
		return INKAN_ERR_INVAL;
	if (o->authserv_id == NULL && o->aar_results == NULL)
		return INKAN_ERR_INVAL;
	if (o->authserv_id != NULL && !header_text_ok(o->authserv_id, false))
		return INKAN_ERR_INVAL;
	if (o->aar_results != NULL && !header_text_ok(o->aar_results, true))
		return INKAN_ERR_INVAL;
	if (o->headers != NULL && !headers_ok(o->headers))
		return INKAN_ERR_INVAL;
	if (o->timestamp < -1)
		return INKAN_ERR_INVAL;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return INKAN_ERR_NOMEM;
	s->arc = arc;
	s->key = key;
	s->flags = flags;
	s->timestamp = o->timestamp;
	inkan_arena_init(&s->arena, 1u << 20);
	s->domain = dup_opt(&s->arena, o->domain, &nomem);
	s->selector = dup_opt(&s->arena, o->selector, &nomem);
	s->authserv_id = dup_opt(&s->arena, o->authserv_id, &nomem);
	s->aar_results = dup_opt(&s->arena, o->aar_results, &nomem);
	s->headers = dup_opt(&s->arena, o->headers, &nomem);
	max = arc->dkim->lim.hdr_section_max + 65536;
	inkan_buf_init(&s->tmp, max);
	inkan_buf_init(&s->aar, max);
	inkan_buf_init(&s->ams, max);
	inkan_buf_init(&s->as, max);
	st =
	    nomem ? INKAN_ERR_NOMEM : arc_verify_start(arc, flags, true, &s->v);
	if (st != INKAN_OK) {
		inkan_arc_seal_free(&s);
		return st;
	}
	*s_r = s;
	return INKAN_OK;
}

void
inkan_arc_seal_free(struct inkan_arc_seal **sp)
{
	struct inkan_arc_seal *s;

	if (sp == NULL || (s = *sp) == NULL)
		return;
	inkan_arc_verify_free(&s->v);
	inkan_arena_clear(&s->arena);
	inkan_buf_clear(&s->tmp);
	inkan_buf_clear(&s->aar);
	inkan_buf_clear(&s->ams);
	inkan_buf_clear(&s->as);
	free(s);
	*sp = NULL;
}

const char *
inkan_arc_seal_error(const struct inkan_arc_seal *s)
{
	if (s->error[0] == '\0' && s->v != NULL)
		return inkan_arc_verify_error(s->v);
	return s->error;
}

bool
inkan_arc_seal_added(const struct inkan_arc_seal *s)
{
	return s->added;
}

const struct inkan_arc_result *
inkan_arc_seal_chain(const struct inkan_arc_seal *s)
{
	return s->finished ? inkan_arc_verify_result(s->v) : NULL;
}

enum inkan_status
inkan_arc_seal_feed(struct inkan_arc_seal *s, const void *data, size_t len)
{
	if (s->finished)
		return INKAN_ERR_STATE;
	return inkan_arc_verify_feed(s->v, data, len);
}

static enum inkan_status
seal_fail(struct inkan_arc_seal *s, enum inkan_status st, const char *msg)
{
	s->failed = true;
	snprintf(s->error, sizeof(s->error), "%s",
	    msg != NULL ? msg : inkan_strerror(st));
	return st;
}

/* ---- writing the fields ------------------------------------------------- */

static void
writer_start(struct dkim_writer *w, struct inkan_buf *b, const char *name)
{
	inkan_buf_reset(b);
	inkan_buf_append_cstr(b, name);
	inkan_buf_append_byte(b, ':');
	w->b = b;
	w->col = strlen(name) + 1;
}

/*
 * " b=<base64>;": an empty value while the field is being signed. With
 * fold, the base64 is folded (FWS inside b= is allowed, RFC 6376 3.5);
 * without, it is written in one piece on a line of its own (at most 700
 * bytes for a 4096-bit key, under RFC 5322 2.1.1's 998). The AMS is
 * written unfolded: the new ARC-Seal signs the AMS as it is written, FWS
 * inside b= included (relaxed canonicalisation keeps it as a SP), and the
 * reference sealer the ARC test suite was made with signs it unfolded.
 */
static void
put_b(struct dkim_writer *w, const struct inkan_buf *b64, bool fold)
{
	size_t n = b64 != NULL ? b64->len : 0;

	if (w->col + 3 > DKIM_FOLD_COLUMN || (!fold && n > 0)) {
		inkan_buf_append(w->b, "\r\n ", 3);
		w->col = 1;
	} else {
		inkan_buf_append_byte(w->b, ' ');
		w->col++;
	}
	inkan_buf_append(w->b, "b=", 2);
	w->col += 2;
	if (n > 0 && fold) {
		dkim_put_b64_folded(w, (const char *)b64->data, n);
	} else if (n > 0) {
		inkan_buf_append(w->b, b64->data, n);
		w->col += n;
	}
	inkan_buf_append_byte(w->b, ';');
	w->col++;
}

/* Appends text at its spaces folded (each fold replaces a SP, so the
   relaxed form does not change); folds already in text are kept. */
static void
put_folded(struct dkim_writer *w, struct inkan_view text)
{
	size_t i = 0, word;

	while (i < text.len) {
		uint8_t c = text.ptr[i];

		if (c == '\r' || c == '\n') {
			inkan_buf_append_byte(w->b, c);
			w->col = 0;
			i++;
			continue;
		}
		if (c == ' ' && w->col > 1) {
			for (word = i + 1; word < text.len &&
			     text.ptr[word] != ' ' && text.ptr[word] != '\r';
			     word++)
				;
			if (w->col + (word - i) > DKIM_FOLD_COLUMN) {
				inkan_buf_append(w->b, "\r\n", 2);
				w->col = 0;
			}
		}
		inkan_buf_append_byte(w->b, c);
		w->col++;
		i++;
	}
}

/* FWS and ';' trimmed from both ends (an A-R's resinfo list). */
static struct inkan_view
trim_results(struct inkan_view v)
{
	while (v.len > 0 &&
	    (inkan_cc_is(v.ptr[0], INKAN_CC_WSP) || v.ptr[0] == '\r' ||
		v.ptr[0] == '\n'))
		v = inkan_view_sub(v, 1, v.len);
	while (v.len > 0 &&
	    (inkan_cc_is(v.ptr[v.len - 1], INKAN_CC_WSP) ||
		v.ptr[v.len - 1] == '\r' || v.ptr[v.len - 1] == '\n' ||
		v.ptr[v.len - 1] == ';'))
		v.len--;
	return v;
}

/*
 * The AAR (RFC 8617 4.1.1): "i=N; " and the authres-payload, which
 * combines the results of every Authentication-Results field of our
 * authserv-id (RFC 8601 2.2: "none" when there are none).
 */
static enum inkan_status
build_aar(struct inkan_arc_seal *s, unsigned inst)
{
	struct dkim_msg *m = &s->v->msg;
	struct dkim_writer w;
	struct inkan_buf id;
	struct inkan_view rest;
	char num[32];
	size_t i, parts = 0;

	writer_start(&w, &s->aar, "ARC-Authentication-Results");
	snprintf(num, sizeof(num), " i=%u; ", inst);
	inkan_buf_append_cstr(w.b, num);
	w.col += strlen(num);
	if (s->aar_results != NULL) {
		put_folded(&w, inkan_view_cstr(s->aar_results));
		inkan_buf_append(w.b, "\r\n", 2);
		return w.b->err;
	}
	inkan_buf_append_cstr(w.b, s->authserv_id);
	w.col += strlen(s->authserv_id);
	inkan_buf_init(&id, strlen(s->authserv_id) + 1);
	for (i = 0; i < m->nfields; i++) {
		const struct dkim_field *f = &m->fields[i];

		if (!inkan_view_eq_cstr_nocase(
			inkan_view_make(f->raw.ptr, f->name_len),
			"Authentication-Results"))
			continue;
		/* Ours when the decoded authserv-id is ours (RFC 8601 2.2:
		   a value, token or quoted-string); a longer one does not
		   fit id. */
		inkan_buf_reset(&id);
		if (arc_authserv_id(arc_field_value(f->raw, f->name_len), &id,
			&rest) != INKAN_OK ||
		    !inkan_view_eq_cstr_nocase(
			inkan_buf_view(&id), s->authserv_id))
			continue;
		rest = trim_results(rest);
		if (rest.len == 0 || inkan_view_eq_cstr_nocase(rest, "none"))
			continue;
		inkan_buf_append(w.b, "; ", 2);
		w.col += 2;
		put_folded(&w, rest);
		parts++;
	}
	inkan_buf_clear(&id);
	if (parts == 0)
		inkan_buf_append_cstr(w.b, "; none");
	inkan_buf_append(w.b, "\r\n", 2);
	return w.b->err;
}

/*
 * The default AMS h=, in the arena: the header fields of RFC 6376 5.4.1's
 * recommended set, each named as often as it occurs in the message, and
 * the DKIM-Signature fields (RFC 8617 4.1.2: SHOULD be signed).
 */
static const char *
default_headers(struct inkan_arc_seal *s)
{
	static const char *const dkim_signature[] = { "dkim-signature" };
	struct inkan_buf h;
	char *r;

	inkan_buf_init(&h, 65536);
	dkim_name_headers(
	    &h, &s->v->msg, dkim_recommended, dkim_nrecommended, 0);
	dkim_name_headers(&h, &s->v->msg, dkim_signature, 1, 0);
	r = h.err == INKAN_OK ? inkan_arena_strndup(&s->arena, h.data, h.len)
			      : NULL;
	inkan_buf_clear(&h);
	return r;
}

/* Writes the AMS (RFC 8617 4.1.2) into s->ams, with b64 as b= (NULL:
   empty, for signing). Tags in alphabetical order. */
static enum inkan_status
write_ams(struct inkan_arc_seal *s, unsigned inst, const char *h,
    const char *bh64, const struct inkan_buf *b64)
{
	struct dkim_writer w;
	char num[32];

	writer_start(&w, &s->ams, "ARC-Message-Signature");
	dkim_put_tag(&w, "a",
	    inkan_dkim_algorithm_name(inkan_dkim_key_algorithm(s->key)), false);
	put_b(&w, b64, false);
	dkim_put_tag(&w, "bh", bh64, false);
	dkim_put_tag(&w, "c", "relaxed/relaxed", false);
	dkim_put_tag(&w, "d", s->domain, false);
	dkim_put_tag(&w, "h", h, false);
	snprintf(num, sizeof(num), "%u", inst);
	dkim_put_tag(&w, "i", num, false);
	dkim_put_tag(&w, "s", s->selector, s->timestamp < 0);
	if (s->timestamp >= 0) {
		snprintf(num, sizeof(num), "%lld", (long long)s->timestamp);
		dkim_put_tag(&w, "t", num, true);
	}
	inkan_buf_append(w.b, "\r\n", 2);
	return w.b->err;
}

/* Writes the AS (RFC 8617 4.1.3) into s->as, b= as for write_ams(). */
static enum inkan_status
write_as(struct inkan_arc_seal *s, unsigned inst, enum inkan_arc_cv cv,
    const struct inkan_buf *b64)
{
	struct dkim_writer w;
	char num[32];

	writer_start(&w, &s->as, "ARC-Seal");
	dkim_put_tag(&w, "a",
	    inkan_dkim_algorithm_name(inkan_dkim_key_algorithm(s->key)), false);
	put_b(&w, b64, true);
	dkim_put_tag(&w, "cv", inkan_arc_cv_name(cv), false);
	dkim_put_tag(&w, "d", s->domain, false);
	snprintf(num, sizeof(num), "%u", inst);
	dkim_put_tag(&w, "i", num, false);
	dkim_put_tag(&w, "s", s->selector, s->timestamp < 0);
	if (s->timestamp >= 0) {
		snprintf(num, sizeof(num), "%lld", (long long)s->timestamp);
		dkim_put_tag(&w, "t", num, true);
	}
	inkan_buf_append(w.b, "\r\n", 2);
	return w.b->err;
}

/* Relaxed form of a field we wrote (CRLF endings; name_len long name). */
static enum inkan_status
canon_own(const struct inkan_buf *field, size_t name_len, bool strip_eol,
    struct inkan_buf *out)
{
	return dkim_canon_header(INKAN_DKIM_RELAXED, inkan_buf_view(field),
	    name_len, strip_eol, out);
}

/* The AMS: sign the selected fields and the AMS with b= empty. */
static enum inkan_status
sign_ams(struct inkan_arc_seal *s, unsigned inst)
{
	struct dkim_bodyhash *bh = &s->v->hashers[s->v->seal_hasher];
	struct inkan_buf bh64, b64;
	enum inkan_status st;
	const char *h = s->headers;

	if (h == NULL && (h = default_headers(s)) == NULL)
		return INKAN_ERR_NOMEM;
	inkan_buf_init(&bh64, 256);
	inkan_buf_init(&b64, 8192);
	st = inkan_base64_encode(bh->digest, bh->dlen, &bh64);
	if (st == INKAN_OK)
		st = write_ams(s, inst, h, inkan_buf_cstr(&bh64), NULL);
	inkan_buf_reset(&s->tmp);
	if (st == INKAN_OK)
		st = dkim_msg_select(&s->v->msg, inkan_view_cstr(h),
		    INKAN_DKIM_RELAXED, SIZE_MAX, &s->tmp);
	if (st == INKAN_OK)
		st = canon_own(&s->ams, 21, true, &s->tmp);
	if (st == INKAN_OK)
		st = dkim_sign_data(
		    s->arc->dkim, s->key, s->tmp.data, s->tmp.len, &b64);
	if (st == INKAN_OK)
		st = write_ams(s, inst, h, inkan_buf_cstr(&bh64), &b64);
	inkan_buf_clear(&bh64);
	inkan_buf_clear(&b64);
	return st;
}

/* The AS over the chain (RFC 8617 5.1.1), or the new set alone when
   the chain failed (5.1.2). */
static enum inkan_status
sign_as(struct inkan_arc_seal *s, unsigned inst, enum inkan_arc_cv cv)
{
	struct inkan_buf b64;
	enum inkan_status st;

	inkan_buf_init(&b64, 8192);
	st = write_as(s, inst, cv, NULL);
	inkan_buf_reset(&s->tmp);
	if (st == INKAN_OK && cv != INKAN_ARC_FAIL)
		st = arc_chain_data(s->v, inst - 1, &s->tmp);
	if (st == INKAN_OK)
		st = canon_own(&s->aar, 26, false, &s->tmp);
	if (st == INKAN_OK)
		st = canon_own(&s->ams, 21, false, &s->tmp);
	if (st == INKAN_OK)
		st = canon_own(&s->as, 8, true, &s->tmp);
	if (st == INKAN_OK)
		st = dkim_sign_data(
		    s->arc->dkim, s->key, s->tmp.data, s->tmp.len, &b64);
	if (st == INKAN_OK)
		st = write_as(s, inst, cv, &b64);
	inkan_buf_clear(&b64);
	return st;
}

/* Appends a field we wrote to out, in the caller's line endings. */
static enum inkan_status
emit(struct inkan_arc_seal *s, const struct inkan_buf *f, struct inkan_buf *out)
{
	size_t i, start = 0;

	if (!(s->flags & INKAN_DKIM_ALLOW_LF))
		return inkan_buf_append(out, f->data, f->len);
	for (i = 0; i < f->len; i++)
		if (f->data[i] == '\r') {
			inkan_buf_append(out, f->data + start, i - start);
			start = i + 1;
		}
	return inkan_buf_append(out, f->data + start, f->len - start);
}

enum inkan_status
inkan_arc_seal_finish(struct inkan_arc_seal *s, struct inkan_buf *out)
{
	const struct inkan_arc_result *chain;
	struct inkan_arc_verify *v = s->v;
	enum inkan_arc_cv cv;
	enum inkan_status st;
	unsigned inst;
	size_t mark = out->len;

	if (s->finished || s->failed)
		return INKAN_ERR_STATE;
	if ((st = inkan_arc_verify_finish(v)) != INKAN_OK)
		return seal_fail(s, st, inkan_arc_verify_error(v));
	s->finished = true;
	chain = inkan_arc_verify_result(v);
	/* RFC 8617 5.1 step 2: a chain whose newest seal says cv=fail is
	   not continued. */
	if (v->newest_as_fail)
		return INKAN_OK;
	/* Step 3: one more than the highest instance (RFC 8617 4.2.1: at
	   most 50). */
	if (v->too_many || v->max_instance >= v->dkim->lim.arc_instances_max)
		return seal_fail(s, INKAN_ERR_LIMIT,
		    "the message already has the most ARC Sets allowed (RFC "
		    "8617 4.2.1)");
	inst = v->max_instance + 1;
	cv = !v->any_arc ? INKAN_ARC_NONE : chain->cv;
	if (s->timestamp == 0)
		s->timestamp = dkim_now(v->dkim);
	/* Step 4: AAR, AMS, AS. */
	st = build_aar(s, inst);
	if (st == INKAN_OK)
		st = sign_ams(s, inst);
	if (st == INKAN_OK)
		st = sign_as(s, inst, cv);
	if (st == INKAN_OK)
		st = emit(s, &s->as, out);
	if (st == INKAN_OK)
		st = emit(s, &s->ams, out);
	if (st == INKAN_OK)
		st = emit(s, &s->aar, out);
	if (st != INKAN_OK) {
		if (out->err == INKAN_OK)
			inkan_buf_truncate(out, mark);
		return seal_fail(
		    s, st, st == INKAN_ERR_INTERNAL ? "signing failed" : NULL);
	}
	s->added = true;
	return INKAN_OK;
}
