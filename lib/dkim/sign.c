/*
 * sign.c: DKIM signing (RFC 6376 5), one DKIM-Signature per key.
 *
 * The message streams in as for verification: the header section is
 * kept, the body canonicalised and hashed as it comes (one hash for all
 * keys: rsa-sha256 and ed25519-sha256 both hash the body with SHA-256 and
 * share the canonicalisation). At the end each key signs the selected
 * header fields and its own DKIM-Signature with an empty b= (3.7), and
 * the field is written folded at 78 columns.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "dkim/dkim_impl.h"

struct inkan_dkim_sign {
	struct inkan_dkim *dkim;
	struct inkan_dkim_sign_options o; /* strings point into the arena */
	struct inkan_dkim_key **keys;
	const char **selectors; /* per key, in the arena */
	size_t nkeys;
	unsigned flags;
	struct inkan_arena arena;
	struct dkim_msg msg;
	struct dkim_bodyhash bh;
	bool bh_ready;
	bool finished, broken;
	struct inkan_buf tmp, hdr;
	char error[300];
};

void
inkan_dkim_sign_options_init(struct inkan_dkim_sign_options *o)
{
	memset(o, 0, sizeof(*o));
	o->header_canon = INKAN_DKIM_RELAXED;
	o->body_canon = INKAN_DKIM_RELAXED;
}

/* A value that can stand in a tag-list as it is: VALCHARs, no FWS. */
static bool
is_tag_value(const char *s)
{
	const uint8_t *p = (const uint8_t *)s;

	if (s == NULL || *s == '\0')
		return false;
	for (; *p != '\0'; p++)
		if (*p <= 0x20 || *p == 0x7f || *p == ';')
			return false;
	return true;
}

/* A colon-separated list of header names that includes From. */
static bool
is_header_list(const char *s)
{
	struct inkan_view list = inkan_view_cstr(s), e;
	bool from = false;
	size_t i;

	if (s == NULL)
		return false;
	while (dkim_list_next(&list, &e)) {
		if (e.len == 0)
			return false;
		for (i = 0; i < e.len; i++)
			if (!inkan_cc_is(e.ptr[i], INKAN_CC_FTEXT))
				return false;
		if (inkan_view_eq_cstr_nocase(e, "from"))
			from = true;
	}
	/* RFC 6376 5.4: "The From header field MUST be signed". */
	return from;
}

static bool
identity_ok(const char *id, const char *d)
{
	const char *at = id != NULL ? strrchr(id, '@') : NULL;
	size_t dl, l;

	if (at == NULL || !is_tag_value(id))
		return false;
	at++;
	dl = strlen(at);
	l = strlen(d);
	/* RFC 6376 3.5 i=: the domain is d= or a subdomain of it. */
	return dl >= l &&
	    inkan_view_eq_nocase(
		inkan_view_make(at + dl - l, l), inkan_view_make(d, l)) &&
	    (dl == l || at[dl - l - 1] == '.');
}

static char *
dup(struct inkan_arena *a, const char *s)
{
	return s != NULL ? inkan_arena_strndup(a, s, strlen(s)) : NULL;
}

enum inkan_status
inkan_dkim_sign_new(struct inkan_dkim *dkim,
    const struct inkan_dkim_sign_options *o, struct inkan_dkim_key *const *keys,
    size_t nkeys, unsigned flags, struct inkan_dkim_sign **s_r)
{
	struct inkan_dkim_sign *s;
	enum inkan_status st;
	size_t amax, i;

	*s_r = NULL;
	if (dkim == NULL || o == NULL || keys == NULL || nkeys == 0 ||
	    (flags & ~(unsigned)INKAN_DKIM_ALLOW_LF) != 0 ||
	    !is_tag_value(o->domain) || !is_tag_value(o->selector) ||
	    (o->identity != NULL && !identity_ok(o->identity, o->domain)) ||
	    (o->headers != NULL && !is_header_list(o->headers)) ||
	    nkeys > dkim->lim.dkim_signatures_max)
		return INKAN_ERR_INVAL;
	for (i = 0; i < nkeys; i++)
		if (keys[i] == NULL ||
		    (o->key_selectors != NULL && o->key_selectors[i] != NULL &&
			!is_tag_value(o->key_selectors[i])))
			return INKAN_ERR_INVAL;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return INKAN_ERR_NOMEM;
	s->dkim = dkim;
	s->flags = flags;
	s->nkeys = nkeys;
	if (!inkan_size_mul(dkim->lim.hdr_section_max, 2, &amax) ||
	    !inkan_size_add(amax, 1u << 20, &amax))
		amax = SIZE_MAX;
	inkan_arena_init(&s->arena, amax);
	inkan_buf_init(&s->tmp, dkim->lim.hdr_section_max + 65536);
	inkan_buf_init(&s->hdr, 65536);
	s->o = *o;
	s->o.domain = dup(&s->arena, o->domain);
	s->o.selector = dup(&s->arena, o->selector);
	s->o.identity = dup(&s->arena, o->identity);
	s->o.headers = dup(&s->arena, o->headers);
	s->o.key_selectors = NULL;
	s->keys = inkan_arena_calloc(&s->arena, nkeys, sizeof(*s->keys));
	s->selectors =
	    inkan_arena_calloc(&s->arena, nkeys, sizeof(*s->selectors));
	if (s->o.domain == NULL || s->o.selector == NULL || s->keys == NULL ||
	    s->selectors == NULL ||
	    (o->identity != NULL && s->o.identity == NULL) ||
	    (o->headers != NULL && s->o.headers == NULL)) {
		st = INKAN_ERR_NOMEM;
		goto fail;
	}
	for (i = 0; i < nkeys; i++) {
		s->keys[i] = keys[i];
		s->selectors[i] = s->o.selector;
		if (o->key_selectors != NULL && o->key_selectors[i] != NULL &&
		    (s->selectors[i] = dup(&s->arena, o->key_selectors[i])) ==
			NULL) {
			st = INKAN_ERR_NOMEM;
			goto fail;
		}
	}
	st = dkim_msg_init(
	    &s->msg, &dkim->lim, (flags & INKAN_DKIM_ALLOW_LF) != 0);
	if (st != INKAN_OK)
		goto fail;
	/* rsa-sha256 and ed25519-sha256 both hash the body with SHA-256. */
	st = dkim_bodyhash_init(&s->bh, o->body_canon,
	    (flags & INKAN_DKIM_ALLOW_LF) != 0, dkim->sha256, UINT64_MAX);
	if (st != INKAN_OK)
		goto fail;
	s->bh_ready = true;
	*s_r = s;
	return INKAN_OK;
fail:
	inkan_dkim_sign_free(&s);
	return st;
}

void
inkan_dkim_sign_free(struct inkan_dkim_sign **sp)
{
	struct inkan_dkim_sign *s;

	if (sp == NULL || (s = *sp) == NULL)
		return;
	if (s->bh_ready)
		dkim_bodyhash_clear(&s->bh);
	dkim_msg_clear(&s->msg);
	inkan_arena_clear(&s->arena);
	inkan_buf_clear(&s->tmp);
	inkan_buf_clear(&s->hdr);
	free(s);
	*sp = NULL;
}

const char *
inkan_dkim_sign_error(const struct inkan_dkim_sign *s)
{
	return s->error;
}

static enum inkan_status
sign_fail(struct inkan_dkim_sign *s, enum inkan_status st, const char *msg)
{
	s->broken = true;
	if (s->msg.err == INKAN_OK)
		s->msg.err = st;
	snprintf(s->error, sizeof(s->error), "%s", msg);
	return st;
}

enum inkan_status
inkan_dkim_sign_feed(struct inkan_dkim_sign *s, const void *data, size_t len)
{
	struct inkan_view body;
	enum inkan_status st;

	if (s->finished)
		return INKAN_ERR_STATE;
	if (s->broken)
		return s->msg.err;
	if (len == 0)
		return INKAN_OK;
	if (s->msg.state == DKIM_MSG_BODY) {
		dkim_bodyhash_feed(&s->bh, data, len);
		return INKAN_OK;
	}
	st = dkim_msg_feed_headers(&s->msg, data, len, false, &body);
	if (st != INKAN_OK)
		return sign_fail(s, st, s->msg.error);
	if (s->msg.state == DKIM_MSG_BODY)
		dkim_bodyhash_feed(&s->bh, body.ptr, body.len);
	return INKAN_OK;
}

/* ---- writing the field ------------------------------------------------- */

/* The field being written, with its column for folding. */
/*
 * Appends h= as given, folding between names when a line is full: at the
 * SP after a ':' if there is one (so the relaxed form does not change),
 * else by inserting FWS after the ':' (allowed around names, 3.5).
 */
static void
put_h(struct dkim_writer *w, const char *h)
{
	size_t total = strlen(h) + 3, i, next;

	if (w->col + 1 + total <= DKIM_FOLD_COLUMN || w->col <= 1) {
		dkim_put_tag(w, "h", h, false);
		return;
	}
	inkan_buf_append(w->b, "\r\n h=", 5);
	w->col = 3;
	for (i = 0; h[i] != '\0'; i++) {
		inkan_buf_append_byte(w->b, (uint8_t)h[i]);
		w->col++;
		if (h[i] != ':')
			continue;
		next = strcspn(h + i + 1, ":");
		if (w->col + next + 1 <= DKIM_FOLD_COLUMN)
			continue;
		if (h[i + 1] == ' ' || h[i + 1] == '\t') {
			inkan_buf_append(w->b, "\r\n", 2);
			w->col = 0;
		} else {
			inkan_buf_append(w->b, "\r\n ", 3);
			w->col = 1;
		}
	}
	inkan_buf_append_byte(w->b, ';');
	w->col++;
}

/* The h= list to sign: the caller's, or the recommended set oversigned. */
static const char *
signed_names(struct inkan_dkim_sign *s)
{
	struct inkan_buf h;
	char *r;

	if (s->o.headers != NULL)
		return s->o.headers;
	inkan_buf_init(&h, 65536);
	dkim_name_headers(&h, &s->msg, dkim_recommended, dkim_nrecommended, 1);
	r = h.err == INKAN_OK ? inkan_arena_strndup(&s->arena, h.data, h.len)
			      : NULL;
	inkan_buf_clear(&h);
	return r;
}

/* Signs the data in s->tmp with key; the signature in base64 into b64. */
static enum inkan_status
sign_data(struct inkan_dkim_sign *s, struct inkan_dkim_key *key,
    struct inkan_buf *b64)
{
	return dkim_sign_data(s->dkim, key, s->tmp.data, s->tmp.len, b64);
}

enum inkan_status
dkim_sign_data(struct inkan_dkim *d, struct inkan_dkim_key *key,
    const uint8_t *data, size_t len, struct inkan_buf *b64)
{
	EVP_MD_CTX *ctx = d->md;
	EVP_PKEY *pk = dkim_key_pkey(key);
	uint8_t digest[EVP_MAX_MD_SIZE];
	unsigned dlen = 0;
	unsigned char *sig = NULL;
	size_t siglen = 0;
	bool ed = inkan_dkim_key_algorithm(key) == INKAN_DKIM_ED25519_SHA256;
	enum inkan_status st = INKAN_ERR_INTERNAL;

	EVP_MD_CTX_reset(ctx);
	if (ed) {
		/* RFC 8463 3: Ed25519 over the SHA-256 hash of the data. */
		if (EVP_Digest(data, len, digest, &dlen, d->sha256, NULL) != 1)
			goto out;
		data = digest;
		len = dlen;
	}
	if (EVP_DigestSignInit(ctx, NULL, ed ? NULL : d->sha256, NULL, pk) !=
		1 ||
	    EVP_DigestSign(ctx, NULL, &siglen, data, len) != 1)
		goto out;
	if ((sig = OPENSSL_malloc(siglen)) == NULL) {
		st = INKAN_ERR_NOMEM;
		goto out;
	}
	if (EVP_DigestSign(ctx, sig, &siglen, data, len) != 1)
		goto out;
	st = inkan_base64_encode(sig, siglen, b64);
out:
	OPENSSL_free(sig);
	EVP_MD_CTX_reset(ctx);
	return st;
}

/* Writes the DKIM-Signature for key into s->hdr (CRLF endings). */
static enum inkan_status
build_field(struct inkan_dkim_sign *s, struct inkan_dkim_key *key,
    const char *selector, const char *h, const char *bh64, int64_t now)
{
	struct dkim_writer w = { &s->hdr, 15 };
	struct inkan_buf b64;
	char num[32];
	enum inkan_status st;

	inkan_buf_reset(&s->hdr);
	inkan_buf_append_cstr(&s->hdr, "DKIM-Signature:");
	/* The order of RFC 8463 A.3's example (which the tests re-sign). */
	dkim_put_tag(&w, "v", "1", false);
	dkim_put_tag(&w, "a",
	    inkan_dkim_algorithm_name(inkan_dkim_key_algorithm(key)), false);
	snprintf(num, sizeof(num), "%s/%s",
	    s->o.header_canon == INKAN_DKIM_RELAXED ? "relaxed" : "simple",
	    s->o.body_canon == INKAN_DKIM_RELAXED ? "relaxed" : "simple");
	dkim_put_tag(&w, "c", num, false);
	dkim_put_tag(&w, "d", s->o.domain, false);
	if (s->o.identity != NULL)
		dkim_put_tag(&w, "i", s->o.identity, false);
	dkim_put_tag(&w, "q", "dns/txt", false);
	dkim_put_tag(&w, "s", selector, false);
	if (s->o.timestamp || s->o.expire_after > 0) {
		snprintf(num, sizeof(num), "%lld", (long long)now);
		dkim_put_tag(&w, "t", num, false);
	}
	if (s->o.expire_after > 0) {
		snprintf(num, sizeof(num), "%llu",
		    (unsigned long long)((uint64_t)now + s->o.expire_after));
		dkim_put_tag(&w, "x", num, false);
	}
	if (s->o.body_length) {
		snprintf(num, sizeof(num), "%llu",
		    (unsigned long long)s->bh.canon.total);
		dkim_put_tag(&w, "l", num, false);
	}
	put_h(&w, h);
	dkim_put_tag(&w, "bh", bh64, false);
	dkim_put_tag(&w, "b", "", true);
	if (s->hdr.err != INKAN_OK)
		return s->hdr.err;
	/* RFC 6376 3.7: the selected fields, then this field with b=
	   empty and without a final CRLF. */
	inkan_buf_reset(&s->tmp);
	st = dkim_msg_select(
	    &s->msg, inkan_view_cstr(h), s->o.header_canon, SIZE_MAX, &s->tmp);
	if (st == INKAN_OK)
		st = dkim_canon_header(s->o.header_canon,
		    inkan_buf_view(&s->hdr), 14, true, &s->tmp);
	if (st != INKAN_OK)
		return st;
	inkan_buf_init(&b64, 8192);
	st = sign_data(s, key, &b64);
	if (st == INKAN_OK) {
		dkim_put_b64_folded(&w, (const char *)b64.data, b64.len);
		inkan_buf_append(&s->hdr, "\r\n", 2);
		st = s->hdr.err;
	}
	inkan_buf_clear(&b64);
	return st;
}

enum inkan_status
inkan_dkim_sign_finish(struct inkan_dkim_sign *s, struct inkan_buf *out)
{
	struct inkan_view body;
	struct inkan_buf bh64;
	enum inkan_status st;
	const char *h;
	int64_t now;
	size_t i, j;

	if (s->finished)
		return INKAN_ERR_STATE;
	if (s->broken)
		return s->msg.err;
	if (s->msg.state == DKIM_MSG_HEADERS) {
		st = dkim_msg_feed_headers(&s->msg, NULL, 0, true, &body);
		if (st != INKAN_OK)
			return sign_fail(s, st, s->msg.error);
	}
	s->finished = true;
	if (dkim_msg_count(&s->msg, INKAN_VIEW_LIT("from")) == 0)
		/* RFC 6376 5.4: "The From header field MUST be signed"; a
		   message without one (RFC 5322 3.6 requires it) is not
		   signed at all. */
		return sign_fail(s, INKAN_ERR_SYNTAX,
		    "the message has no From header field (RFC 6376 5.4)");
	if (dkim_bodyhash_end(&s->bh) != INKAN_OK)
		return sign_fail(
		    s, INKAN_ERR_INTERNAL, "hashing the body failed");
	if ((h = signed_names(s)) == NULL)
		return sign_fail(s, INKAN_ERR_NOMEM, "out of memory");
	now = dkim_now(s->dkim);
	inkan_buf_init(&bh64, 256);
	st = inkan_base64_encode(s->bh.digest, s->bh.dlen, &bh64);
	for (i = 0; i < s->nkeys && st == INKAN_OK; i++) {
		st = build_field(s, s->keys[i], s->selectors[i], h,
		    inkan_buf_cstr(&bh64), now);
		if (st != INKAN_OK)
			break;
		if (s->flags & INKAN_DKIM_ALLOW_LF) {
			/* The caller's message uses LF: so does the field. */
			for (j = 0; j < s->hdr.len; j++)
				if (s->hdr.data[j] != '\r')
					inkan_buf_append_byte(
					    out, s->hdr.data[j]);
			st = out->err;
		} else {
			st = inkan_buf_append(out, s->hdr.data, s->hdr.len);
		}
	}
	inkan_buf_clear(&bh64);
	if (st != INKAN_OK)
		return sign_fail(s, st, inkan_strerror(st));
	return INKAN_OK;
}
