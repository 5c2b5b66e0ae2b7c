/*
 * parse.c: the ARC header fields (RFC 8617 4.1).
 *
 * ARC-Message-Signature and ARC-Seal are DKIM-style tag-lists, read with
 * lib/dkim's parser (RFC 6376 3.2); what differs is which tags there are
 * and what they may say. ARC-Authentication-Results is an "i=N;" prefix
 * (RFC 8617 4.1.1, the instance ABNF of 4.2.1) before an RFC 8601 payload,
 * read here by hand. Nothing here looks anything up: a field comes out
 * as usable, or with a reason.
 */
#include <stdio.h>
#include <string.h>

#include "arc/arc_impl.h"
#include "authres/authres_impl.h"

enum arc_kind
arc_field_kind(struct inkan_view name)
{
	if (inkan_view_eq_cstr_nocase(name, "ARC-Seal"))
		return ARC_AS;
	if (inkan_view_eq_cstr_nocase(name, "ARC-Message-Signature"))
		return ARC_AMS;
	if (inkan_view_eq_cstr_nocase(name, "ARC-Authentication-Results"))
		return ARC_AAR;
	return ARC_NOT;
}

struct inkan_view
arc_field_value(struct inkan_view raw, size_t name_len)
{
	size_t i = name_len;
	struct inkan_view v;

	while (i < raw.len && raw.ptr[i] != ':')
		i++;
	v = inkan_view_sub(raw, i + 1, raw.len);
	if (v.len >= 2 && v.ptr[v.len - 2] == '\r' && v.ptr[v.len - 1] == '\n')
		v.len -= 2;
	return v;
}

/* FWS bytes: SP, HTAB, and the CR LF of a fold. */
static bool
is_fws(uint8_t c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/*
 * Skips CFWS (RFC 5322 3.2.2): FWS and comments, which nest (at most
 * depth_max deep) and may hold quoted pairs. false for a comment that
 * does not end or nests too deep.
 */
static bool
skip_cfws(struct inkan_cursor *c, size_t depth_max)
{
	size_t depth = 0;
	int ch;

	for (;;) {
		ch = inkan_cursor_peek(c);
		if (ch < 0)
			return depth == 0;
		if (depth == 0 && !is_fws((uint8_t)ch) && ch != '(')
			return true;
		inkan_cursor_skip(c, 1);
		if (ch == '(') {
			if (++depth > depth_max)
				return false;
		} else if (ch == ')' && depth > 0) {
			depth--;
		} else if (ch == '\\' && depth > 0) {
			if (inkan_cursor_get(c) < 0)
				return false;
		}
	}
}

/*
 * The instance value (RFC 8617 4.2.1: 1*2DIGIT, 1 to 50). Returns the
 * value, or 0 for something that is not a number from 1 on; *too_big_r
 * for a number past max.
 */
static unsigned
instance_value(struct inkan_view v, size_t max, bool *too_big_r)
{
	size_t i;
	unsigned n = 0;

	*too_big_r = false;
	if (v.len == 0 || v.len > 9)
		return 0;
	for (i = 0; i < v.len; i++) {
		if (!inkan_cc_is(v.ptr[i], INKAN_CC_DIGIT))
			return 0;
		n = n * 10 + (unsigned)(v.ptr[i] - '0');
	}
	if (n == 0)
		return 0;
	if (v.len > 2 || n > max) {
		*too_big_r = true;
		return 0;
	}
	return n;
}

void
arc_parse_aar(
    struct inkan_view value, const struct inkan_limits *lim, struct arc_aar *r)
{
	struct inkan_cursor c;
	struct inkan_view digits;
	size_t depth = lim->addr_comment_depth;

	memset(r, 0, sizeof(*r));
	if (value.len >= 2 && value.ptr[value.len - 2] == '\r' &&
	    value.ptr[value.len - 1] == '\n')
		value.len -= 2;
	inkan_cursor_init(&c, value.ptr, value.len);
	/* RFC 8617 4.1.1, 4.2.1: arc-info = instance [CFWS] ";"
	   authres-payload; instance = [CFWS] %s"i" [CFWS] "=" [CFWS]
	   1*2DIGIT [CFWS]. */
	if (!skip_cfws(&c, depth) || !inkan_cursor_accept(&c, 'i') ||
	    !skip_cfws(&c, depth) || !inkan_cursor_accept(&c, '=') ||
	    !skip_cfws(&c, depth)) {
		r->why = "the ARC-Authentication-Results does not start with "
			 "i= (RFC 8617 4.1.1)";
		return;
	}
	inkan_cursor_take_while(&c, INKAN_CC_DIGIT, &digits);
	r->instance = instance_value(
	    digits, lim->arc_instances_max, &r->instance_too_big);
	if (r->instance == 0) {
		r->why = r->instance_too_big
		    ? "the ARC-Authentication-Results instance is above "
		      "the limit (RFC 8617 4.2.1)"
		    : "the ARC-Authentication-Results i= is not a valid "
		      "instance (RFC 8617 4.2.1)";
		return;
	}
	if (!skip_cfws(&c, depth) || !inkan_cursor_accept(&c, ';')) {
		r->instance = 0;
		r->why = "no ';' after the ARC-Authentication-Results i= "
			 "(RFC 8617 4.1.1)";
		return;
	}
	r->payload = inkan_cursor_rest(&c);
	while (r->payload.len > 0 && is_fws(r->payload.ptr[0])) {
		r->payload.ptr++;
		r->payload.len--;
	}
	while (r->payload.len > 0 && is_fws(r->payload.ptr[r->payload.len - 1]))
		r->payload.len--;
}

enum inkan_status
arc_authserv_id(struct inkan_view value, struct inkan_buf *id_out,
    struct inkan_view *rest_r)
{
	enum inkan_status st;
	size_t rest = 0;

	*rest_r = inkan_view_make(NULL, 0);
	st = authres_read_head(value.ptr, value.len, 0, id_out, NULL, &rest);
	if (st == INKAN_OK)
		*rest_r = inkan_view_make(value.ptr + rest, value.len - rest);
	return st;
}

/* ---- ARC-Message-Signature and ARC-Seal --------------------------------- */

/* Decodes base64 with FWS (RFC 6376 3.5 b=, bh=) into the arena. false
   when it is empty or not base64; *nomem_r when the arena is full. */
static bool
decode_b64(struct inkan_arena *a, struct inkan_view in, uint8_t **out,
    size_t *len, bool *nomem_r)
{
	struct inkan_buf b;
	bool ok;

	inkan_buf_init(&b, in.len + 16);
	ok = inkan_base64_decode(in.ptr, in.len, INKAN_BASE64_SKIP_FWS, &b) ==
		INKAN_OK &&
	    b.len > 0;
	if (ok) {
		if ((*out = inkan_arena_alloc(a, b.len)) == NULL) {
			*nomem_r = true;
			ok = false;
		} else {
			memcpy(*out, b.data, b.len);
			*len = b.len;
		}
	}
	inkan_buf_clear(&b);
	return ok;
}

/*
 * d= and s= (RFC 6376 3.5, imported by RFC 8617 4.1.2 and 4.1.3):
 * non-empty labels of letters, digits, hyphens, '_' (selectors), and
 * 8-bit bytes (U-labels, RFC 8617 4.1.4).
 */
static bool
is_dns_name(struct inkan_view v)
{
	size_t i, label = 0;

	if (v.len == 0 || v.len > 253)
		return false;
	for (i = 0; i < v.len; i++) {
		uint8_t c = v.ptr[i];

		if (c == '.') {
			if (label == 0)
				return false;
			label = 0;
			continue;
		}
		if (!inkan_cc_is(c, INKAN_CC_LDH) && c != '_' && c < 0x80)
			return false;
		if (++label > 63)
			return false;
	}
	return label > 0;
}

/*
 * An empty tag-spec: a ';' with only FWS since the start or the last ';'.
 * lib/dkim's parser accepts these (as deployed DKIM verifiers do); the
 * ARC suite and RFC 6376 3.2's grammar (tag-list = tag-spec *( ";"
 * tag-spec ) [ ";" ]) do not, and ARC has no installed base to spare.
 */
static bool
has_empty_spec(struct inkan_view v)
{
	bool seen = false;
	size_t i;

	for (i = 0; i < v.len; i++) {
		if (v.ptr[i] == ';') {
			if (!seen)
				return true;
			seen = false;
		} else if (!is_fws(v.ptr[i])) {
			seen = true;
		}
	}
	return false;
}

/* The tags ARC reads (RFC 8617 4.1.2, 4.1.3); others are ignored. */
enum { T_A, T_B, T_BH, T_C, T_CV, T_D, T_H, T_I, T_L, T_Q, T_S, T_T, T_COUNT };

static int
tag_index(struct inkan_view name)
{
	static const char *const names[T_COUNT] = { "a", "b", "bh", "c", "cv",
		"d", "h", "i", "l", "q", "s", "t" };
	int k;

	for (k = 0; k < T_COUNT; k++)
		if (inkan_view_eq(name, inkan_view_cstr(names[k])))
			return k;
	return -1;
}

static enum inkan_dkim_algorithm
algorithm(struct inkan_view v)
{
	/* RFC 6376 3.5 a=; as written by every signer: lowercase. */
	if (inkan_view_eq(v, INKAN_VIEW_LIT("rsa-sha256")))
		return INKAN_DKIM_RSA_SHA256;
	if (inkan_view_eq(v, INKAN_VIEW_LIT("rsa-sha1")))
		return INKAN_DKIM_RSA_SHA1;
	if (inkan_view_eq(v, INKAN_VIEW_LIT("ed25519-sha256")))
		return INKAN_DKIM_ED25519_SHA256;
	return INKAN_DKIM_ALG_UNKNOWN;
}

/* c= of an AMS (RFC 6376 3.5): header[/body], simple by default. */
static bool
parse_canon(struct inkan_view c, struct arc_sig *s)
{
	size_t slash = inkan_view_find(c, '/');
	struct inkan_view hc = inkan_view_sub(c, 0, slash);
	struct inkan_view bc = slash < c.len
	    ? inkan_view_sub(c, slash + 1, c.len)
	    : INKAN_VIEW_LIT("simple");

	if (inkan_view_eq(hc, INKAN_VIEW_LIT("relaxed")))
		s->hcanon = INKAN_DKIM_RELAXED;
	else if (!inkan_view_eq(hc, INKAN_VIEW_LIT("simple")))
		return false;
	if (inkan_view_eq(bc, INKAN_VIEW_LIT("relaxed")))
		s->bcanon = INKAN_DKIM_RELAXED;
	else if (!inkan_view_eq(bc, INKAN_VIEW_LIT("simple")))
		return false;
	return true;
}

/* Checks an AMS h= (RFC 6376 3.5, RFC 8617 4.1.2). NULL when fine. */
static const char *
check_h(struct inkan_view h, const struct inkan_limits *lim)
{
	struct inkan_view e;
	size_t i, n = 0;

	while (dkim_list_next(&h, &e)) {
		/* An empty name selects nothing (the suite's
		   ams_fields_h_mis_hdr signs "from:to::date"). */
		for (i = 0; i < e.len; i++)
			if (!inkan_cc_is(e.ptr[i], INKAN_CC_FTEXT))
				return "h= has an invalid header name";
		if (++n > lim->dkim_signed_headers_max)
			return "h= names too many header fields";
		/*
		 * RFC 8617 4.1.2: ARC header fields MUST NOT be signed by
		 * the AMS. Only ARC-Seal is refused here: the suite (and
		 * every deployed sealer it was made with) signs
		 * ARC-Authentication-Results, and ams_fields_h_includes_ams
		 * passes; see the conformance driver's deviation list.
		 */
		if (inkan_view_eq_cstr_nocase(e, "arc-seal"))
			return "h= signs ARC-Seal (RFC 8617 4.1.2)";
	}
	return NULL;
}

/* Fills s from its tags; s->why is set when it is not usable. */
static enum inkan_status
sig_from_tags(enum arc_kind kind, const struct dkim_tag *const *tag,
    const struct inkan_limits *lim, struct inkan_arena *a, struct arc_sig *s)
{
	const struct dkim_tag *t;
	struct inkan_view list, e;
	bool nomem = false;
	uint64_t u;
	size_t blen;
	const char *why;

	if ((t = tag[T_D]) != NULL &&
	    (s->domain = dkim_arena_lower(a, t->value)) == NULL)
		return INKAN_ERR_NOMEM;
	if ((t = tag[T_S]) != NULL &&
	    (s->selector =
		    inkan_arena_strndup(a, t->value.ptr, t->value.len)) == NULL)
		return INKAN_ERR_NOMEM;
	if ((t = tag[T_B]) != NULL &&
	    (s->b = dkim_arena_nofws(a, t->value, &blen)) == NULL)
		return INKAN_ERR_NOMEM;
	if ((t = tag[T_A]) != NULL)
		s->alg = algorithm(t->value);
	if (kind == ARC_AMS && (t = tag[T_H]) != NULL) {
		s->h = t->value;
		s->headers = inkan_arena_strndup(a, t->value.ptr, t->value.len);
		if (s->headers == NULL)
			return INKAN_ERR_NOMEM;
	}
	if ((t = tag[T_T]) != NULL) {
		if (!dkim_parse_u64(t->value, &u)) {
			s->why = "t= is not a number";
			return INKAN_OK;
		}
		s->timestamp = (int64_t)u;
	}
	if (kind == ARC_AS && (t = tag[T_CV]) != NULL) {
		/* RFC 8617 4.1.3, 4.4: none, pass or fail. */
		s->cv_valid = true;
		if (inkan_view_eq(t->value, INKAN_VIEW_LIT("none")))
			s->cv = INKAN_ARC_NONE;
		else if (inkan_view_eq(t->value, INKAN_VIEW_LIT("pass")))
			s->cv = INKAN_ARC_PASS;
		else if (inkan_view_eq(t->value, INKAN_VIEW_LIT("fail")))
			s->cv = INKAN_ARC_FAIL;
		else
			s->cv_valid = false;
	}
	/* Required tags, in the order a reader expects the complaints. */
	if (tag[T_A] == NULL)
		why = "no a= tag";
	else if (tag[T_B] == NULL)
		why = "no b= tag";
	else if (kind == ARC_AMS && tag[T_BH] == NULL)
		why = "no bh= tag";
	else if (tag[T_D] == NULL)
		why = "no d= tag";
	else if (kind == ARC_AMS && tag[T_H] == NULL)
		why = "no h= tag";
	else if (tag[T_S] == NULL)
		why = "no s= tag";
	else if (kind == ARC_AS && tag[T_CV] == NULL)
		why = "no cv= tag (RFC 8617 4.1.3)";
	else
		why = NULL;
	if (why != NULL) {
		s->why = why;
		return INKAN_OK;
	}
	if (kind == ARC_AS && tag[T_H] != NULL) {
		/* RFC 8617 4.1.3: h= "MUST result in a cv status of fail". */
		s->why = "an ARC-Seal must not have h= (RFC 8617 4.1.3)";
		return INKAN_OK;
	}
	if (kind == ARC_AS && !s->cv_valid) {
		s->why = "cv= is not none, pass or fail (RFC 8617 4.1.3)";
		return INKAN_OK;
	}
	if (s->alg == INKAN_DKIM_ALG_UNKNOWN) {
		s->why = "unknown signing algorithm in a=";
		return INKAN_OK;
	}
	if (!is_dns_name(tag[T_D]->value)) {
		s->why = "d= is not a domain name (RFC 6376 3.5)";
		return INKAN_OK;
	}
	if (!is_dns_name(tag[T_S]->value)) {
		s->why = "s= is not a selector (RFC 6376 3.1)";
		return INKAN_OK;
	}
	if (!decode_b64(a, tag[T_B]->value, &s->sig, &s->siglen, &nomem)) {
		s->why = "b= is empty or not base64";
		return nomem ? INKAN_ERR_NOMEM : INKAN_OK;
	}
	if (kind == ARC_AMS) {
		if (!decode_b64(
			a, tag[T_BH]->value, &s->bh, &s->bhlen, &nomem)) {
			s->why = "bh= is empty or not base64";
			return nomem ? INKAN_ERR_NOMEM : INKAN_OK;
		}
		if ((t = tag[T_C]) != NULL && !parse_canon(t->value, s)) {
			s->why = "c= is not a known canonicalization";
			return INKAN_OK;
		}
		if ((t = tag[T_L]) != NULL) {
			if (!dkim_parse_u64(t->value, &u)) {
				s->why = "l= is not a number";
				return INKAN_OK;
			}
			s->has_length = true;
			s->length = u;
		}
		if ((t = tag[T_Q]) != NULL) {
			bool dns = false;

			list = t->value;
			while (dkim_list_next(&list, &e))
				if (inkan_view_eq_cstr_nocase(e, "dns/txt"))
					dns = true;
			if (!dns) {
				s->why = "q= has no query method we know "
					 "(dns/txt)";
				return INKAN_OK;
			}
		}
		if ((s->why = check_h(tag[T_H]->value, lim)) != NULL)
			return INKAN_OK;
	}
	return INKAN_OK;
}

enum inkan_status
arc_parse_sig(enum arc_kind kind, struct inkan_view raw, size_t name_len,
    const struct inkan_limits *lim, struct inkan_arena *a, struct arc_sig *s)
{
	struct inkan_view value = arc_field_value(raw, name_len);
	const struct dkim_tag *tag[T_COUNT] = { NULL };
	struct dkim_tag *tags;
	const uint8_t *semi, *rest, *end;
	const char *why;
	size_t cap, n, i, dl, sl;
	enum inkan_status st;
	char *msg;

	memset(s, 0, sizeof(*s));
	s->kind = kind;
	s->timestamp = -1;
	s->hcanon = s->bcanon = INKAN_DKIM_SIMPLE;
	/* Room for the tags there can be: one more than the ';'. */
	cap = 1;
	rest = value.ptr;
	end = value.ptr + value.len;
	while (cap < lim->dkim_tags_max && rest < end &&
	    (semi = memchr(rest, ';', (size_t)(end - rest))) != NULL) {
		cap++;
		rest = semi + 1;
	}
	if ((tags = inkan_arena_calloc(a, cap, sizeof(*tags))) == NULL)
		return INKAN_ERR_NOMEM;
	st = dkim_taglist_parse(value, tags, cap, &n, &why);
	if (st == INKAN_ERR_NOMEM)
		return st;
	if (st != INKAN_OK) {
		if ((msg = inkan_arena_alloc(a, 128)) == NULL)
			return INKAN_ERR_NOMEM;
		snprintf(msg, 128, "malformed tag-list: %s", why);
		s->why = msg;
		return INKAN_OK;
	}
	for (i = 0; i < n; i++) {
		int k = tag_index(tags[i].name);

		if (k >= 0)
			tag[k] = &tags[i]; /* the parser refused duplicates */
	}
	if (tag[T_I] != NULL)
		s->instance = instance_value(tag[T_I]->value,
		    lim->arc_instances_max, &s->instance_too_big);
	if (has_empty_spec(value)) {
		s->why =
		    "empty tag-spec (\";;\") in the tag-list (RFC 6376 3.2)";
		return INKAN_OK;
	}
	if (s->instance == 0) {
		s->why = tag[T_I] == NULL ? "no i= tag (RFC 8617 4.2.1)"
		    : s->instance_too_big
		    ? "i= is above the instance limit (RFC 8617 4.2.1)"
		    : "i= is not a valid instance (RFC 8617 4.2.1)";
		return INKAN_OK;
	}
	if ((st = sig_from_tags(kind, tag, lim, a, s)) != INKAN_OK ||
	    s->why != NULL)
		return st;
	/* Where b='s value is, to empty it (RFC 6376 3.7): from after the
	   '=' to the end of the tag-spec, the FWS around it included. */
	s->b_start = (size_t)(tag[T_B]->value.ptr - raw.ptr);
	while (s->b_start > 0 && raw.ptr[s->b_start - 1] != '=')
		s->b_start--;
	s->b_end =
	    (size_t)(tag[T_B]->value.ptr - raw.ptr) + tag[T_B]->value.len;
	while (s->b_end < raw.len && raw.ptr[s->b_end] != ';' &&
	    !(raw.ptr[s->b_end] == '\r' && s->b_end + 2 == raw.len))
		s->b_end++;
	/* The key's DNS name (RFC 6376 3.6.2.1). */
	dl = strlen(s->domain);
	sl = strlen(s->selector);
	if ((s->keyname = inkan_arena_alloc(a, sl + dl + 13)) == NULL)
		return INKAN_ERR_NOMEM;
	for (i = 0; i < sl; i++)
		s->keyname[i] =
		    (char)inkan_ascii_lower((uint8_t)s->selector[i]);
	memcpy(s->keyname + sl, "._domainkey.", 12);
	memcpy(s->keyname + sl + 12, s->domain, dl + 1);
	return INKAN_OK;
}

struct inkan_view
arc_without_b(
    struct inkan_arena *a, struct inkan_view raw, size_t b_start, size_t b_end)
{
	uint8_t *copy;
	size_t rest;

	if (b_start > b_end || b_end > raw.len)
		return inkan_view_make(NULL, 0);
	rest = raw.len - b_end;
	if ((copy = inkan_arena_alloc(a, b_start + rest + 1)) == NULL)
		return inkan_view_make(NULL, 0);
	memcpy(copy, raw.ptr, b_start);
	memcpy(copy + b_start, raw.ptr + b_end, rest);
	return inkan_view_make(copy, b_start + rest);
}
