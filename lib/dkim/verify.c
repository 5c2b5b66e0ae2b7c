/*
 * verify.c: DKIM verification (RFC 6376 6); the context and its key cache
 * are in context.c.
 *
 * A message streams in: the header section is kept (in the arena, as
 * message.c stores it); when it ends, every DKIM-Signature is parsed and
 * validated (6.1.1) and gets a body hasher, one per distinct (body
 * canonicalisation, hash, l=), shared by the signatures that agree; the
 * body then goes through the hashers and is never kept. At the end each
 * usable signature's key is fetched (6.1.2; the cache first) and its
 * body hash and signature checked (6.1.3).
 *
 * Results use RFC 8601 words. RFC 6376 makes every signature it cannot
 * use a PERMFAIL, which we report as permerror, whatever the reason
 * (syntax, unsupported algorithm, expiry, key problems); fail is kept for
 * a body hash or signature that does not verify; temperror for a key
 * lookup that failed temporarily. neutral is not produced.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/rsa.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "dkim/dkim_impl.h"
#include "util/poison.h"

/* ---- per-message state ----------------------------------------------------
 */

/* A signature being verified. */
struct vsig {
	struct inkan_dkim_sig *out;
	size_t field;
	bool pending; /* parsed and valid: waits for the key check */
	const EVP_MD *md;
	unsigned hashbit;
	struct inkan_view h; /* h=, in the field copy */
	uint8_t *sig, *bh;
	size_t siglen, bhlen;
	size_t b_start, b_end; /* b='s value in the field's raw bytes */
	size_t hasher; /* index into v->hashers */
	const char *idomain; /* i='s domain */
	char *keyname;
};

struct inkan_dkim_verify {
	struct inkan_dkim *dkim;
	unsigned flags;
	struct inkan_arena arena;
	struct dkim_msg msg;
	bool finished;
	bool broken; /* feed failed */
	struct inkan_dkim_sig *results;
	struct vsig *sigs;
	size_t nsigs;
	/* hcap hashers, each one's md made or NULL; the first nhashers
	   are this message's. */
	struct dkim_bodyhash *hashers;
	size_t nhashers, hcap;
	struct inkan_buf tmp;
	/* Last: inkan_dkim_verify_new() zeroes the members before it. */
	char error[300];
};
/* Where the arena member ends (the part of a kept verifier not poisoned). */
#define ARENA_END                                    \
	(offsetof(struct inkan_dkim_verify, arena) + \
	    sizeof(((struct inkan_dkim_verify *)0)->arena))

_Static_assert(sizeof(struct inkan_dkim_verify) -
	    offsetof(struct inkan_dkim_verify, error) -
	    sizeof(((struct inkan_dkim_verify *)0)->error) <
	_Alignof(struct inkan_dkim_verify),
    "error[] is the last member");

/* ---- the parts kept between messages (struct dkim_vparts) ----------------
 */

/* A new verifier takes the parts its context holds. */
static void
vparts_take(struct inkan_dkim_verify *v)
{
	struct dkim_vparts *p = &v->dkim->spare;

	dkim_msg_init_reuse(
	    &v->msg, p->allow_lf, p->hp, p->fields, p->fields_cap, &p->text);
	v->hashers = p->hashers;
	v->hcap = p->hcap;
	v->tmp = p->tmp;
	inkan_buf_reset(&v->tmp);
	memset(p, 0, sizeof(*p));
}

/*
 * At the end of finish, the verifier gives its parts to the context,
 * unless it holds some already (another verifier's): then they stay and
 * go with the verifier.
 */
static void
vparts_give(struct inkan_dkim_verify *v)
{
	struct dkim_vparts *p = &v->dkim->spare;

	if (p->held || v->msg.hp == NULL)
		return;
	p->held = true;
	p->allow_lf = v->msg.allow_lf;
	p->hp = v->msg.hp;
	p->fields = v->msg.fields;
	p->fields_cap = v->msg.cap;
	p->text = v->msg.text;
	v->msg.hp = NULL;
	v->msg.fields = NULL;
	v->msg.nfields = v->msg.cap = 0;
	inkan_buf_init(&v->msg.text, 0);
	p->hashers = v->hashers;
	p->hcap = v->hcap;
	v->hashers = NULL;
	v->nhashers = v->hcap = 0;
	p->tmp = v->tmp;
	inkan_buf_init(&v->tmp, v->dkim->lim.hdr_section_max + 4096);
}

enum inkan_status
inkan_dkim_verify_new(
    struct inkan_dkim *dkim, unsigned flags, struct inkan_dkim_verify **v_r)
{
	struct inkan_dkim_verify *v;
	enum inkan_status st;
	size_t amax;
	bool allow_lf = (flags & INKAN_DKIM_ALLOW_LF) != 0;

	*v_r = NULL;
	if (dkim == NULL || (flags & ~(unsigned)INKAN_DKIM_ALLOW_LF) != 0)
		return INKAN_ERR_INVAL;
	/*
	 * Not calloc(), which glibc never serves from its per-thread cache:
	 * malloc(), then everything before error[] zeroed (a memset of the
	 * whole would be made a calloc() again by the compiler).
	 */
	if ((v = dkim->spare_verifier) != NULL) {
		/* A freed verifier's memory, its arena emptied but for one
		   chunk (inkan_arena_reset()). */
		struct inkan_arena kept;

		inkan_unpoison(v, sizeof(*v));
		kept = v->arena;
		dkim->spare_verifier = NULL;
		memset(v, 0, offsetof(struct inkan_dkim_verify, error));
		v->arena = kept;
	} else {
		if ((v = malloc(sizeof(*v))) == NULL)
			return INKAN_ERR_NOMEM;
		memset(v, 0, offsetof(struct inkan_dkim_verify, error));
		/*
		 * The per-signature state, copies of tags among it: at most
		 * hdr_section_max + 1 MiB. The fields are copied by
		 * message.c, outside the arena (at most 2 hdr_section_max +
		 * hdr_fields_max there); this is the room the signatures had
		 * when the fields took their share of a 2 hdr_section_max +
		 * 1 MiB arena, never less.
		 */
		if (!inkan_size_add(dkim->lim.hdr_section_max, 1u << 20, &amax))
			amax = SIZE_MAX;
		inkan_arena_init(&v->arena, amax);
	}
	v->error[0] = '\0';
	v->dkim = dkim;
	v->flags = flags;
	if (dkim->spare.held && dkim->spare.allow_lf == allow_lf) {
		vparts_take(v);
		*v_r = v;
		return INKAN_OK;
	}
	st = dkim_msg_init(&v->msg, &dkim->lim, allow_lf);
	if (st != INKAN_OK) {
		inkan_arena_clear(&v->arena);
		free(v);
		return st;
	}
	inkan_buf_init(&v->tmp, dkim->lim.hdr_section_max + 4096);
	*v_r = v;
	return INKAN_OK;
}

void
inkan_dkim_verify_free(struct inkan_dkim_verify **vp)
{
	struct inkan_dkim_verify *v;
	size_t i;

	if (vp == NULL || (v = *vp) == NULL)
		return;
	for (i = 0; i < v->hcap; i++)
		dkim_bodyhash_clear(&v->hashers[i]);
	free(v->hashers);
	dkim_msg_clear(&v->msg);
	inkan_buf_clear(&v->tmp);
	*vp = NULL;
	/* The context keeps one freed verifier for the next message: no
	   malloc() for the struct or the arena's first chunk. */
	if (v->dkim->spare_verifier == NULL) {
		inkan_arena_reset(&v->arena);
		v->dkim->spare_verifier = v;
		/* A use of v after free still shows under ASan: all of it
		   but the arena, whose pointer to its chunk LeakSanitizer
		   must still see. */
		inkan_poison(v, offsetof(struct inkan_dkim_verify, arena));
		inkan_poison(
		    (const char *)v + ARENA_END, sizeof(*v) - ARENA_END);
		return;
	}
	inkan_arena_clear(&v->arena);
	free(v);
}

void
dkim_verify_spare_free(struct inkan_dkim *d)
{
	struct inkan_dkim_verify *v = d->spare_verifier;

	if (v != NULL) {
		inkan_unpoison(v, sizeof(*v));
		inkan_arena_clear(&v->arena);
		free(v);
		d->spare_verifier = NULL;
	}
}

static void
set_error(struct inkan_dkim_verify *v, const char *msg)
{
	snprintf(v->error, sizeof(v->error), "%s", msg);
}

/* ---- signature parsing (RFC 6376 3.5, 6.1.1) ------------------------------
 */

/*
 * Whether s is the n bytes of word, ASCII case-insensitively; word is
 * written in lowercase. Inline, the length first: most of what is
 * compared is not the word (each field's name against "DKIM-Signature").
 * Words of 8 bytes or more go 8 at a time, the last 8 overlapping.
 */
static inline bool
is_word(struct inkan_view s, const char *word, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) /* a programmer's error, not input's */
		assert(inkan_ascii_lower((uint8_t)word[i]) == (uint8_t)word[i]);
	if (s.len != n)
		return false;
	if (n >= 8) {
		for (i = 0; n - i > 8; i += 8)
			if (dkim_lower8(dkim_load8(s.ptr + i)) !=
			    dkim_load8(word + i))
				return false;
		return dkim_lower8(dkim_load8(s.ptr + n - 8)) ==
		    dkim_load8(word + n - 8);
	}
	for (i = 0; i < n; i++)
		if (inkan_ascii_lower(s.ptr[i]) != (uint8_t)word[i])
			return false;
	return true;
}

/* is_word() for a string literal. */
#define IS_WORD(s, lit) is_word((s), (lit), sizeof(lit) - 1)

/* What joins a selector and a domain into a key's name (RFC 6376 3.6.2.1). */
#define DOMAINKEY "._domainkey."

/* Whether f is a DKIM-Signature field. */
static bool
is_sig_field(const struct dkim_field *f)
{
	struct inkan_view name = { f->raw.ptr, f->name_len };

	return IS_WORD(name, "dkim-signature");
}

char *
dkim_arena_lower(struct inkan_arena *a, struct inkan_view s)
{
	char *r = inkan_arena_strndup(a, s.ptr, s.len);
	size_t i;

	if (r != NULL)
		for (i = 0; i < s.len; i++)
			r[i] = (char)inkan_ascii_lower((uint8_t)r[i]);
	return r;
}

/* Whether c is FWS as dkim_arena_nofws() drops it: SP HTAB CR LF. */
static inline bool
is_fws_byte(uint8_t c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

#if defined(__x86_64__) && defined(__GNUC__)
/* AVX2 code in a function of its own (nofws_avx2()), used where the CPU
   has it; included here, next to its one user. */
#include <immintrin.h>
#define VERIFY_AVX2 1
#endif

/*
 * At s[*i_r], a byte up to SP: takes the run of such bytes there, FWS
 * dropped and the others kept (in r at *o_r), the usual fold (CRLF SP)
 * at once.
 */
static inline void
nofws_low_run(const uint8_t *s, size_t n, size_t *i_r, char *r, size_t *o_r)
{
	size_t i = *i_r, o = *o_r;

	if (n - i >= 3 && s[i] == '\r' && s[i + 1] == '\n' && s[i + 2] == ' ')
		i += 3;
	for (; i < n && s[i] <= ' '; i++)
		if (!is_fws_byte(s[i]))
			r[o++] = (char)s[i];
	*i_r = i;
	*o_r = o;
}

#ifdef VERIFY_AVX2
/* The SSE2 loop of dkim_arena_nofws() below with 32 bytes a step, while
   32 are left. */
__attribute__((target("avx2"))) static void
nofws_avx2(const uint8_t *s, size_t n, size_t *i_r, char *r, size_t *o_r)
{
	const __m256i vsp = _mm256_set1_epi8(' ');
	size_t i = *i_r, o = *o_r;

	while (n - i >= 32) {
		__m256i w =
		    _mm256_loadu_si256((const __m256i *)(const void *)(s + i));
		unsigned ws = (unsigned)_mm256_movemask_epi8(
		    _mm256_cmpeq_epi8(_mm256_min_epu8(w, vsp), w));

		_mm256_storeu_si256((__m256i *)(void *)(r + o), w);
		if (ws == 0) {
			o += 32;
			i += 32;
			continue;
		}
		o += (size_t)__builtin_ctz(ws);
		i += (size_t)__builtin_ctz(ws);
		nofws_low_run(s, n, &i, r, &o);
	}
	*i_r = i;
	*o_r = o;
}
#endif

char *
dkim_arena_nofws(struct inkan_arena *a, struct inkan_view s, size_t *len_r)
{
	char *r = inkan_arena_alloc(a, s.len + 1);
	size_t i = 0, o = 0;

	if (r == NULL)
		return NULL;
#ifdef VERIFY_AVX2
	if (s.len >= 64 && __builtin_cpu_supports("avx2"))
		nofws_avx2(s.ptr, s.len, &i, r, &o);
#endif
#ifdef __SSE2__
	/*
	 * b= is several hundred bytes of base64 with FWS only where it is
	 * folded: 16 bytes are stored at a time (o <= i, so r has the room),
	 * and those before the first byte up to SP kept; then the run of
	 * bytes up to SP there.
	 */
	const __m128i vsp = _mm_set1_epi8(' ');

	while (s.len - i >= 16) {
		__m128i w =
		    _mm_loadu_si128((const __m128i *)(const void *)(s.ptr + i));
		unsigned ws = (unsigned)_mm_movemask_epi8(
		    _mm_cmpeq_epi8(_mm_min_epu8(w, vsp), w));

		_mm_storeu_si128((__m128i *)(void *)(r + o), w);
		if (ws == 0) {
			o += 16;
			i += 16;
			continue;
		}
		o += (size_t)__builtin_ctz(ws);
		i += (size_t)__builtin_ctz(ws);
		nofws_low_run(s.ptr, s.len, &i, r, &o);
	}
	if (i < s.len && s.len >= 16) {
		/* The last s.len - i bytes: the 16 that end s, shifted so
		   that bit 0 is s[i]. Without a byte up to SP, one copy. */
		__m128i w = _mm_loadu_si128(
		    (const __m128i *)(const void *)(s.ptr + s.len - 16));
		unsigned ws = (unsigned)_mm_movemask_epi8(
				  _mm_cmpeq_epi8(_mm_min_epu8(w, vsp), w)) >>
		    (16 - (s.len - i));

		if (ws == 0) {
			memcpy(r + o, s.ptr + i, s.len - i);
			o += s.len - i;
			i = s.len;
		}
	}
#endif
	for (; i < s.len; i++)
		if (!is_fws_byte(s.ptr[i]))
			r[o++] = (char)s.ptr[i];
	r[o] = '\0';
	*len_r = o;
	return r;
}

/*
 * RFC 6376 2.11 dkim-quoted-printable (i=): "=XX" is the byte 0xXX. Other
 * bytes are copied; a malformed escape stays as it is.
 */
static char *
arena_qp(struct inkan_arena *a, struct inkan_view s)
{
	static const char hex[] = "0123456789ABCDEF";
	char *r = inkan_arena_alloc(a, s.len + 1);
	size_t i, o = 0;

	if (r == NULL)
		return NULL;
	for (i = 0; i < s.len; i++) {
		const char *h1, *h2;

		if (s.ptr[i] == '=' && i + 2 < s.len && s.ptr[i + 1] != 0 &&
		    s.ptr[i + 2] != 0 &&
		    (h1 = strchr(hex, inkan_ascii_upper(s.ptr[i + 1]))) !=
			NULL &&
		    (h2 = strchr(hex, inkan_ascii_upper(s.ptr[i + 2]))) !=
			NULL) {
			r[o++] = (char)((h1 - hex) * 16 + (h2 - hex));
			i += 2;
			continue;
		}
		if (!inkan_cc_is(s.ptr[i], INKAN_CC_WSP) && s.ptr[i] != '\r' &&
		    s.ptr[i] != '\n')
			r[o++] = (char)s.ptr[i];
	}
	r[o] = '\0';
	return r;
}

bool
dkim_parse_u64(struct inkan_view s, uint64_t *r)
{
	uint64_t n = 0;
	size_t i;

	if (s.len == 0 || s.len > 18)
		return false;
	for (i = 0; i < s.len; i++) {
		if (!inkan_cc_is(s.ptr[i], INKAN_CC_DIGIT))
			return false;
		n = n * 10 + (uint64_t)(s.ptr[i] - '0');
	}
	*r = n;
	return true;
}

/* Is dom equal to d, or a subdomain of it (ASCII case-insensitive)? */
static bool
domain_within(const char *dom, const char *d)
{
	size_t dl = strlen(dom), l = strlen(d);

	if (dl < l)
		return false;
	if (!inkan_view_eq_nocase(
		inkan_view_make(dom + dl - l, l), inkan_view_make(d, l)))
		return false;
	return dl == l || dom[dl - l - 1] == '.';
}

/*
 * A domain name as d= and s= are written (RFC 6376 3.5: d= is a
 * domain-name, s= is sub-domain *("." sub-domain), RFC 5321 4.1.2):
 * non-empty labels of letters, digits and hyphens; we also take '_' (seen
 * in selectors) and 8-bit bytes (RFC 8616 allows U-labels).
 */
static bool
is_dns_name(struct inkan_view v)
{
	size_t i;

	if (v.len == 0 || v.ptr[0] == '.' || v.ptr[v.len - 1] == '.')
		return false;
	for (i = 0; i < v.len; i++) {
		uint8_t c = v.ptr[i];

		/* A '.' is never first: v.ptr[i - 1] is there. */
		if (c == '.'
			? v.ptr[i - 1] == '.'
			: !inkan_cc_is(c, INKAN_CC_LDH) && c != '_' && c < 0x80)
			return false;
	}
	return true;
}

/*
 * The length of the run of RFC 5322 ftext (%x21-39 / %x3B-7E: a header
 * field name's bytes) at the start of p[0..n). h= names are short, so
 * where 16 bytes can be read the first non-ftext byte is found in one
 * step: ftext is the bytes above SP (as signed bytes, so 8-bit bytes are
 * below it) other than ':' and DEL.
 */
static inline size_t
ftext_run(const uint8_t *p, size_t n)
{
	size_t i = 0;

#ifdef __SSE2__
	while (n - i >= 16) {
		__m128i w =
		    _mm_loadu_si128((const __m128i *)(const void *)(p + i));
		__m128i no =
		    _mm_or_si128(_mm_cmpgt_epi8(_mm_set1_epi8(0x21), w),
			_mm_or_si128(_mm_cmpeq_epi8(w, _mm_set1_epi8(':')),
			    _mm_cmpeq_epi8(w, _mm_set1_epi8(0x7f))));
		unsigned m = (unsigned)_mm_movemask_epi8(no);

		if (m != 0)
			return i + (size_t)__builtin_ctz(m);
		i += 16;
	}
#endif
	while (i < n && inkan_cc_is(p[i], INKAN_CC_FTEXT))
		i++;
	return i;
}

/*
 * Checks h= (RFC 6376 3.5, 5.4, 6.1.1): a colon-separated list of header
 * field names, each with WSP and control bytes (FWS) around it trimmed,
 * none empty, all ftext, at most max of them, From among them. Returns
 * NULL if it is usable, else why not: for the first bad name, in order.
 *
 * One pass instead of dkim_list_next() and a loop per name: a name is
 * [trim] ftext* [trim] and then ':' or the end. Anything else after the
 * ftext is a byte that is neither (8-bit) or ftext after trimmed bytes
 * ("fr om"): either way the trimmed name holds a non-ftext byte.
 */
static const char *
check_h(struct inkan_view h, size_t max)
{
	const unsigned trim = INKAN_CC_WSP | INKAN_CC_CTL;
	const uint8_t *p = h.ptr;
	size_t n = h.len, i = 0, start, nh = 0;
	struct inkan_view name;
	bool from = false;

	for (;;) {
		if (i < n && !inkan_cc_is(p[i], INKAN_CC_FTEXT))
			while (i < n && inkan_cc_is(p[i], trim))
				i++;
		start = i;
		i += ftext_run(p + i, n - i);
		if (i == start)
			return i < n && p[i] != ':'
			    ? "h= has an invalid header name"
			    : "h= has an empty header name";
		name.ptr = p + start;
		name.len = i - start;
		if (IS_WORD(name, "from"))
			from = true;
		if (i < n && p[i] != ':') {
			while (i < n && inkan_cc_is(p[i], trim))
				i++;
			if (i < n && p[i] != ':')
				return "h= has an invalid header name";
		}
		if (++nh > max)
			return "h= names too many header fields";
		if (i == n)
			break;
		i++; /* the ':' */
	}
	return from ? NULL : "h= does not include From (RFC 6376 5.4)";
}

static void
permerror(struct vsig *s, const char *why)
{
	s->out->result = INKAN_DKIM_PERMERROR;
	s->out->reason = why;
	s->pending = false;
}

/* Decodes base64 with FWS into the arena; false if it is not base64. */
static bool
decode_b64(struct inkan_dkim_verify *v, struct inkan_view in, uint8_t **out,
    size_t *len)
{
	bool ok;

	inkan_buf_reset(&v->tmp);
	ok = inkan_base64_decode(
		 in.ptr, in.len, INKAN_BASE64_SKIP_FWS, &v->tmp) == INKAN_OK &&
	    v->tmp.len > 0;
	if (!ok)
		return false;
	*out = inkan_arena_alloc(&v->arena, v->tmp.len);
	if (*out == NULL)
		return false;
	memcpy(*out, v->tmp.data, v->tmp.len);
	*len = v->tmp.len;
	return true;
}

/* The DKIM-Signature tags of RFC 6376 3.5 that we read (z= is not). */
enum {
	TAG_V,
	TAG_A,
	TAG_B,
	TAG_BH,
	TAG_C,
	TAG_D,
	TAG_H,
	TAG_I,
	TAG_L,
	TAG_Q,
	TAG_S,
	TAG_T,
	TAG_X,
	TAG_COUNT
};

/* The TAG_* of a tag name (case-sensitive, RFC 6376 3.2), or -1. */
static int
tag_index(struct inkan_view name)
{
	if (name.len == 2)
		return name.ptr[0] == 'b' && name.ptr[1] == 'h' ? TAG_BH : -1;
	if (name.len != 1)
		return -1;
	switch (name.ptr[0]) {
	case 'v':
		return TAG_V;
	case 'a':
		return TAG_A;
	case 'b':
		return TAG_B;
	case 'c':
		return TAG_C;
	case 'd':
		return TAG_D;
	case 'h':
		return TAG_H;
	case 'i':
		return TAG_I;
	case 'l':
		return TAG_L;
	case 'q':
		return TAG_Q;
	case 's':
		return TAG_S;
	case 't':
		return TAG_T;
	case 'x':
		return TAG_X;
	default:
		return -1;
	}
}

/* Tags parse_sig() has room for without the arena (a signature has 13
   kinds, z= among them). */
#define SIG_TAGS_LOCAL 32

/* Fills s->out from the field's tags and decides whether it is usable. */
static void
parse_sig(struct inkan_dkim_verify *v, struct vsig *s)
{
	const struct inkan_limits *lim = &v->dkim->lim;
	struct dkim_field *f = &v->msg.fields[s->field];
	struct inkan_dkim_sig *o = s->out;
	struct inkan_view value, list, e;
	const struct dkim_tag *t, *tv, *ta, *tb, *tbh, *td, *th, *ts;
	const struct dkim_tag *tag[TAG_COUNT] = { NULL };
	struct dkim_tag *tags;
	struct dkim_tag local[SIG_TAGS_LOCAL];
	size_t n, i, cap, tmax, dlen, blen = 0;
	enum inkan_status st;
	const char *why;
	uint64_t u;

	o->timestamp = o->expiration = -1;
	o->offset = (size_t)f->offset;
	s->pending = false;
	/* The value: after the colon, without the final CRLF. */
	i = f->name_len;
	while (i < f->raw.len && f->raw.ptr[i] != ':')
		i++;
	i = i < f->raw.len ? i + 1 : f->raw.len;
	value.ptr = f->raw.ptr + i;
	value.len = f->raw.len - i;
	if (value.len >= 2 && value.ptr[value.len - 2] == '\r')
		value.len -= 2;
	/*
	 * The tags on the stack, room for more than any signature we know
	 * has; only a value with more is parsed again, with room for
	 * dkim_tags_max in the arena (zeroing room for 64 tags per
	 * signature was a measurable part of verifying a small message).
	 */
	tmax = lim->dkim_tags_max > 0 ? lim->dkim_tags_max : 1;
	cap = tmax < SIG_TAGS_LOCAL ? tmax : SIG_TAGS_LOCAL;
	tags = local;
	st = dkim_taglist_parse(value, tags, cap, &n, &why);
	if (st == INKAN_ERR_LIMIT && cap < tmax) {
		tags = inkan_arena_calloc(&v->arena, tmax, sizeof(*tags));
		if (tags == NULL) {
			permerror(s, "out of memory");
			return;
		}
		st = dkim_taglist_parse(value, tags, tmax, &n, &why);
	}
	if (st != INKAN_OK) {
		char *msg = inkan_arena_alloc(&v->arena, 128);

		if (msg != NULL)
			snprintf(msg, 128, "malformed tag-list: %s", why);
		permerror(s, msg != NULL ? msg : why);
		return;
	}
	for (i = 0; i < n; i++) {
		int k = tag_index(tags[i].name);

		if (k >= 0)
			tag[k] = &tags[i]; /* no duplicates: the parser saw */
	}
	tv = tag[TAG_V];
	ta = tag[TAG_A];
	tb = tag[TAG_B];
	tbh = tag[TAG_BH];
	td = tag[TAG_D];
	th = tag[TAG_H];
	ts = tag[TAG_S];
	/* What the report shows, as far as it can be read. */
	if (td != NULL)
		o->domain = dkim_arena_lower(&v->arena, td->value);
	if (ts != NULL)
		o->selector = inkan_arena_strndup(
		    &v->arena, ts->value.ptr, ts->value.len);
	if (tb != NULL)
		o->b = dkim_arena_nofws(&v->arena, tb->value, &blen);
	if (th != NULL)
		o->signed_headers = inkan_arena_strndup(
		    &v->arena, th->value.ptr, th->value.len);
	if (ta != NULL) {
		if (IS_WORD(ta->value, "rsa-sha256")) {
			o->algorithm = INKAN_DKIM_RSA_SHA256;
			s->md = v->dkim->sha256;
			s->hashbit = DKIM_HASH_SHA256;
		} else if (IS_WORD(ta->value, "rsa-sha1")) {
			o->algorithm = INKAN_DKIM_RSA_SHA1;
			s->md = v->dkim->sha1;
			s->hashbit = DKIM_HASH_SHA1;
		} else if (IS_WORD(ta->value, "ed25519-sha256")) {
			o->algorithm = INKAN_DKIM_ED25519_SHA256;
			s->md = v->dkim->sha256;
			s->hashbit = DKIM_HASH_SHA256;
		}
	}
	if ((t = tag[TAG_I]) != NULL)
		o->identity = arena_qp(&v->arena, t->value);
	else if (o->domain != NULL) {
		/* RFC 6376 3.5 i=: the default is "@" d=. (A value has no
		   NUL: td->value.len is the length of o->domain.) */
		char *id = inkan_arena_alloc(&v->arena, td->value.len + 2);

		if (id != NULL) {
			id[0] = '@';
			memcpy(id + 1, o->domain, td->value.len + 1);
		}
		o->identity = id;
	}
	if ((t = tag[TAG_C]) != NULL) {
		struct inkan_view c = t->value, hc = c, bc;
		size_t slash = 0;

		while (slash < c.len && c.ptr[slash] != '/')
			slash++;
		hc.len = slash;
		if (slash < c.len) {
			bc.ptr = c.ptr + slash + 1;
			bc.len = c.len - slash - 1;
		} else
			bc = INKAN_VIEW_LIT("simple");
		if (IS_WORD(hc, "relaxed"))
			o->header_canon = INKAN_DKIM_RELAXED;
		else if (!IS_WORD(hc, "simple")) {
			permerror(s, "unknown header canonicalization in c=");
			return;
		}
		if (IS_WORD(bc, "relaxed"))
			o->body_canon = INKAN_DKIM_RELAXED;
		else if (!IS_WORD(bc, "simple")) {
			permerror(s, "unknown body canonicalization in c=");
			return;
		}
	}
	if ((t = tag[TAG_L]) != NULL) {
		if (!dkim_parse_u64(t->value, &u)) {
			permerror(s, "l= is not a number");
			return;
		}
		o->has_length = true;
		o->length = u;
	}
	if ((t = tag[TAG_T]) != NULL) {
		if (!dkim_parse_u64(t->value, &u)) {
			permerror(s, "t= is not a number");
			return;
		}
		o->timestamp = (int64_t)u;
	}
	if ((t = tag[TAG_X]) != NULL) {
		if (!dkim_parse_u64(t->value, &u)) {
			permerror(s, "x= is not a number");
			return;
		}
		o->expiration = (int64_t)u;
	}

	/* RFC 6376 6.1.1: the checks, in order. */
	if (tv == NULL) {
		permerror(s, "the signature has no v= tag");
		return;
	}
	if (tv->value.len != 1 || tv->value.ptr[0] != '1') {
		permerror(s, "unsupported signature version (v= is not 1)");
		return;
	}
	if (ta == NULL || tb == NULL || tbh == NULL || td == NULL ||
	    th == NULL || ts == NULL) {
		permerror(s,
		    ta == NULL        ? "the signature has no a= tag"
			: tb == NULL  ? "the signature has no b= tag"
			: tbh == NULL ? "the signature has no bh= tag"
			: td == NULL  ? "the signature has no d= tag"
			: th == NULL  ? "the signature has no h= tag"
				      : "the signature has no s= tag");
		return;
	}
	if (o->algorithm == INKAN_DKIM_ALG_UNKNOWN) {
		permerror(s, "unknown signing algorithm in a=");
		return;
	}
	if (td->value.len == 0 || ts->value.len == 0) {
		permerror(
		    s, td->value.len == 0 ? "d= is empty" : "s= is empty");
		return;
	}
	if (!is_dns_name(td->value)) {
		permerror(s, "d= is not a domain name (RFC 6376 3.5)");
		return;
	}
	if (!is_dns_name(ts->value)) {
		permerror(s, "s= is not a selector (RFC 6376 3.1)");
		return;
	}
	/* b= without its FWS (which the tag-list parser checked) is
	   header.b: decoded from there, it takes the fast path only. */
	value = tb->value;
	if (o->b != NULL) {
		value.ptr = (const uint8_t *)o->b;
		value.len = blen;
	}
	if (!decode_b64(v, value, &s->sig, &s->siglen)) {
		permerror(s, "b= is empty or not base64");
		return;
	}
	if (!decode_b64(v, tbh->value, &s->bh, &s->bhlen)) {
		permerror(s, "bh= is empty or not base64");
		return;
	}
	/* h=: names, and From among them (RFC 6376 5.4, 6.1.1). */
	if ((why = check_h(th->value, lim->dkim_signed_headers_max)) != NULL) {
		permerror(s, why);
		return;
	}
	s->h = th->value;
	/* i=: "@" domain, within d= (RFC 6376 3.5). */
	if (o->identity == NULL || o->domain == NULL) {
		permerror(s, "out of memory");
		return;
	}
	if (tag[TAG_I] == NULL)
		s->idomain = o->identity + 1; /* "@" d=: d= is no '@' */
	else if ((s->idomain = strrchr(o->identity, '@')) == NULL) {
		permerror(s, "i= has no '@'");
		return;
	} else if (!domain_within(++s->idomain, o->domain)) {
		permerror(
		    s, "i= is not d= or a subdomain of it (RFC 6376 3.5)");
		return;
	}
	if ((t = tag[TAG_Q]) != NULL && !IS_WORD(t->value, "dns/txt")) {
		bool dns = false;

		list = t->value;
		while (dkim_list_next(&list, &e))
			/* "dns" is the form of the drafts before RFC 4871. */
			if (IS_WORD(e, "dns/txt") || IS_WORD(e, "dns"))
				dns = true;
		if (!dns) {
			permerror(
			    s, "q= has no query method we know (dns/txt)");
			return;
		}
	}
	if (o->timestamp >= 0 && o->expiration >= 0 &&
	    o->expiration < o->timestamp) {
		/* RFC 6376 3.5 x=: "MUST be greater than the value of t=". */
		permerror(s, "x= is before t= (RFC 6376 3.5)");
		return;
	}
	if (o->expiration >= 0 && !v->dkim->pol.ignore_expiry &&
	    dkim_now(v->dkim) > o->expiration) {
		/* RFC 6376 3.5 x=: verifiers MAY consider it invalid; an
		   expired signature is a PERMFAIL (6.1.1), so permerror. */
		permerror(s, "the signature has expired (x= is past)");
		return;
	}
	if (o->timestamp >= 0 &&
	    o->timestamp >
		dkim_now(v->dkim) + (int64_t)v->dkim->pol.future_skew) {
		/* RFC 6376 3.5 t=: verifiers MAY ignore such signatures. */
		permerror(s, "t= is in the future");
		return;
	}
	/* Where b='s value is, to empty it (RFC 6376 3.7): from after the
	   '=' to the end of the tag-spec, all surrounding FWS included. */
	s->b_start = (size_t)(tb->value.ptr - f->raw.ptr);
	while (s->b_start > 0 && f->raw.ptr[s->b_start - 1] != '=')
		s->b_start--;
	s->b_end = (size_t)(tb->value.ptr - f->raw.ptr) + tb->value.len;
	while (s->b_end < f->raw.len && f->raw.ptr[s->b_end] != ';' &&
	    !(f->raw.ptr[s->b_end] == '\r' && s->b_end + 2 == f->raw.len))
		s->b_end++;
	/* The key's DNS name (RFC 6376 3.6.2.1). */
	dlen = td->value.len; /* strlen(o->domain), as above */
	s->keyname = inkan_arena_alloc(
	    &v->arena, ts->value.len + sizeof(DOMAINKEY) + dlen);
	if (s->keyname == NULL) {
		permerror(s, "out of memory");
		return;
	}
	for (i = 0; i < ts->value.len; i++)
		s->keyname[i] = (char)inkan_ascii_lower(ts->value.ptr[i]);
	memcpy(s->keyname + i, DOMAINKEY, sizeof(DOMAINKEY) - 1);
	/* o->domain is lowercase already, and NUL-terminated. */
	memcpy(s->keyname + i + sizeof(DOMAINKEY) - 1, o->domain, dlen + 1);
	s->pending = true;
}

/* At the end of the header section: parse signatures, set up hashers. */
static enum inkan_status
start_body(struct inkan_dkim_verify *v)
{
	const struct inkan_limits *lim = &v->dkim->lim;
	struct dkim_msg *m = &v->msg;
	size_t i, j, k = 0, hbytes;
	enum inkan_status st;

	for (i = 0; i < m->nfields; i++)
		if (is_sig_field(&m->fields[i]))
			v->nsigs++;
	if (v->nsigs == 0)
		return INKAN_OK;
	v->results =
	    inkan_arena_calloc(&v->arena, v->nsigs, sizeof(*v->results));
	v->sigs = inkan_arena_calloc(&v->arena, v->nsigs, sizeof(*v->sigs));
	if (v->results == NULL || v->sigs == NULL)
		return INKAN_ERR_NOMEM;
	/*
	 * At most one hasher per signature. Not calloc(): each hasher holds
	 * an 8 KiB block; only md is set, and each is set up by
	 * dkim_bodyhash_restart() before it is used.
	 */
	if (v->nsigs > v->hcap) {
		struct dkim_bodyhash *nh;

		if (!inkan_size_mul(v->nsigs, sizeof(*nh), &hbytes) ||
		    (nh = realloc(v->hashers, hbytes)) == NULL)
			return INKAN_ERR_NOMEM;
		v->hashers = nh;
		for (i = v->hcap; i < v->nsigs; i++)
			v->hashers[i].md = NULL;
		v->hcap = v->nsigs;
	}
	for (i = 0; i < m->nfields; i++) {
		struct vsig *s;

		if (!is_sig_field(&m->fields[i]))
			continue;
		s = &v->sigs[k];
		s->out = &v->results[k];
		s->field = i;
		k++;
		if (k > lim->dkim_signatures_max) {
			s->out->timestamp = s->out->expiration = -1;
			s->out->offset = (size_t)m->fields[i].offset;
			permerror(s, "too many signatures in the message");
			continue;
		}
		parse_sig(v, s);
		if (!s->pending)
			continue;
		/* One hasher per (body canon, hash, l=), shared. */
		for (j = 0; j < v->nhashers; j++) {
			struct dkim_bodyhash *bh = &v->hashers[j];

			if (bh->canon.canon == s->out->body_canon &&
			    bh->alg == s->md &&
			    bh->limit ==
				(s->out->has_length ? s->out->length
						    : UINT64_MAX))
				break;
		}
		if (j == v->nhashers) {
			st = dkim_bodyhash_restart(&v->hashers[j],
			    s->out->body_canon,
			    (v->flags & INKAN_DKIM_ALLOW_LF) != 0, s->md,
			    s->out->has_length ? s->out->length : UINT64_MAX);
			if (st != INKAN_OK)
				return st;
			v->nhashers++;
		}
		s->hasher = j;
	}
	return INKAN_OK;
}

static void
feed_body(struct inkan_dkim_verify *v, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < v->nhashers; i++)
		dkim_bodyhash_feed(&v->hashers[i], p, n);
}

enum inkan_status
inkan_dkim_verify_feed(
    struct inkan_dkim_verify *v, const void *data, size_t len)
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
	if (st != INKAN_OK) {
		v->broken = true;
		set_error(v, v->msg.error);
		return st;
	}
	if (v->msg.state == DKIM_MSG_BODY) {
		if ((st = start_body(v)) != INKAN_OK) {
			v->broken = true;
			v->msg.err = st;
			set_error(v, inkan_strerror(st));
			return st;
		}
		feed_body(v, body.ptr, body.len);
	}
	return INKAN_OK;
}

/* ---- the checks (RFC 6376 6.1.2, 6.1.3) ------------------------------------
 */

/* Verifies s's signature over v->tmp (the canonical header data). */
static bool
crypto_verify(
    struct inkan_dkim_verify *v, struct vsig *s, struct dkim_pubkey *k)
{
	EVP_MD_CTX *ctx = v->dkim->md, *hctx = v->dkim->hmd;
	uint8_t digest[EVP_MAX_MD_SIZE];
	unsigned dlen = 0;
	bool ok = false;

	if (k->type == INKAN_DKIM_KEY_ED25519) {
		EVP_MD_CTX_reset(ctx);
		/* RFC 8463 3: Ed25519 signs the SHA-256 hash of the
		   canonicalised header data (PureEdDSA over the digest). */
		if (EVP_Digest(v->tmp.data, v->tmp.len, digest, &dlen,
			v->dkim->sha256, NULL) != 1)
			return false;
		ok =
		    EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, k->pkey) == 1 &&
		    EVP_DigestVerify(ctx, s->sig, s->siglen, digest, dlen) == 1;
		EVP_MD_CTX_reset(ctx);
		return ok;
	}
	/*
	 * RSASSA-PKCS1-v1_5 (RFC 6376 3.3.1) on the digest, through a
	 * context kept with the cached key: setting one up per message
	 * costs as much as the verification itself.
	 */
	if (EVP_DigestInit_ex(hctx, s->md, NULL) != 1 ||
	    EVP_DigestUpdate(hctx, v->tmp.data, v->tmp.len) != 1 ||
	    EVP_DigestFinal_ex(hctx, digest, &dlen) != 1)
		return false;
	if (k->vctx == NULL) {
		k->vctx = EVP_PKEY_CTX_new(k->pkey, NULL);
		if (k->vctx == NULL || EVP_PKEY_verify_init(k->vctx) != 1 ||
		    EVP_PKEY_CTX_set_rsa_padding(k->vctx, RSA_PKCS1_PADDING) !=
			1) {
			EVP_PKEY_CTX_free(k->vctx);
			k->vctx = NULL;
			return false;
		}
		k->vctx_md = NULL;
	}
	/* Setting the hash fetches it by name in the provider: only when
	   it changes (rsa-sha1 and rsa-sha256 under one key). */
	if (k->vctx_md != s->md) {
		if (EVP_PKEY_CTX_set_signature_md(k->vctx, s->md) != 1) {
			k->vctx_md = NULL;
			return false;
		}
		k->vctx_md = s->md;
	}
	return EVP_PKEY_verify(k->vctx, s->sig, s->siglen, digest, dlen) == 1;
}

/* The canonical header data of s into v->tmp (RFC 6376 3.7). */
static enum inkan_status
header_data(struct inkan_dkim_verify *v, struct vsig *s)
{
	struct dkim_field *f = &v->msg.fields[s->field];
	enum inkan_status st;
	size_t rest;
	uint8_t *copy;

	inkan_buf_reset(&v->tmp);
	st = dkim_msg_select(
	    &v->msg, s->h, s->out->header_canon, s->field, &v->tmp);
	if (st != INKAN_OK)
		return st;
	/* The signature field itself, b= emptied, without its CRLF. */
	rest = f->raw.len - s->b_end;
	copy = inkan_arena_alloc(&v->arena, s->b_start + rest + 1);
	if (copy == NULL)
		return INKAN_ERR_NOMEM;
	memcpy(copy, f->raw.ptr, s->b_start);
	memcpy(copy + s->b_start, f->raw.ptr + s->b_end, rest);
	return dkim_canon_header(s->out->header_canon,
	    inkan_view_make(copy, s->b_start + rest), f->name_len, true,
	    &v->tmp);
}

static void
check_sig(struct inkan_dkim_verify *v, struct vsig *s, size_t *lookups)
{
	struct inkan_dkim *d = v->dkim;
	struct inkan_dkim_sig *o = s->out;
	struct dkim_bodyhash *bh = &v->hashers[s->hasher];
	struct dkim_cache_entry *e;
	const char *why = NULL;
	bool owned, verified = false;
	size_t i;
	char *msg;

	o->body_length = bh->canon.total;
	e = dkim_get_keys(d, s->keyname, lookups, &owned);
	if (e == NULL) {
		o->result = INKAN_DKIM_TEMPERROR;
		o->reason = "out of memory";
		return;
	}
	if (e->nkeys == 0) {
		o->result = e->fail_result;
		o->reason = e->fail_reason;
		goto out;
	}
	o->key_bits = e->keys[0].bits;
	o->testing = e->keys[0].testing;
	/* RFC 6376 6.1.3 (and 3.4.5): l= longer than the body. */
	if (o->has_length && o->length > bh->canon.total) {
		o->result = INKAN_DKIM_PERMERROR;
		o->reason = "l= is larger than the canonical body";
		goto out;
	}
	if (bh->dlen != s->bhlen || memcmp(bh->digest, s->bh, s->bhlen) != 0) {
		o->result = INKAN_DKIM_FAIL;
		o->reason = "body hash mismatch";
		goto out;
	}
	if (header_data(v, s) != INKAN_OK) {
		o->result = INKAN_DKIM_TEMPERROR;
		o->reason = "out of memory";
		goto out;
	}
	for (i = 0; i < e->nkeys && !verified; i++) {
		struct dkim_pubkey *k = &e->keys[i];
		bool ed = o->algorithm == INKAN_DKIM_ED25519_SHA256;

		if ((k->type == INKAN_DKIM_KEY_ED25519) != ed) {
			/* RFC 6376 6.1.2, RFC 8463 4: k= must fit a=. */
			if (why == NULL)
				why = "the key type (k=) does not match a=";
			continue;
		}
		if (k->hashes != 0 && (k->hashes & s->hashbit) == 0) {
			/* RFC 6376 3.6.1 h=, 6.1.2. */
			if (why == NULL)
				why = "the key record's h= does not allow the "
				      "hash of a=";
			continue;
		}
		if (k->strict &&
		    !inkan_view_eq_nocase(inkan_view_cstr(s->idomain),
			inkan_view_cstr(o->domain))) {
			/* RFC 6376 3.6.1 t=s: no subdomains in i=. */
			if (why == NULL)
				why = "the key is strict (t=s) and i= is a "
				      "subdomain of d=";
			continue;
		}
		o->key_bits = k->bits;
		o->testing = k->testing;
		why = "";
		verified = crypto_verify(v, s, k);
	}
	if (!verified) {
		if (why != NULL && why[0] != '\0') {
			o->result = INKAN_DKIM_PERMERROR;
			o->reason = why;
		} else {
			o->result = INKAN_DKIM_FAIL;
			o->reason = "the signature does not verify";
		}
		goto out;
	}
	o->result = INKAN_DKIM_PASS;
	o->reason = "the signature verifies";
	/* Local policy on a signature that verifies. */
	if (o->algorithm == INKAN_DKIM_RSA_SHA1 && !d->pol.allow_rsa_sha1) {
		o->result = INKAN_DKIM_PERMERROR;
		o->reason = "rsa-sha1 is not allowed (RFC 8301 3.1); the "
			    "signature would otherwise verify";
	} else if (o->algorithm != INKAN_DKIM_ED25519_SHA256 &&
	    o->key_bits < d->pol.rsa_min_bits) {
		o->result = INKAN_DKIM_PERMERROR;
		msg = inkan_arena_alloc(&v->arena, 128);
		if (msg != NULL)
			snprintf(msg, 128,
			    "the RSA key has %u bits, under the %u allowed "
			    "(RFC 8301 3.2)",
			    o->key_bits, d->pol.rsa_min_bits);
		o->reason = msg != NULL ? msg : "the RSA key is too short";
	} else if (o->has_length && d->pol.length_fails) {
		o->result = INKAN_DKIM_POLICY;
		o->reason = "the signature verifies but covers only part of "
			    "the body (l=); local policy refuses it";
	} else if (o->has_length) {
		o->reason = "the signature verifies; it covers only part of "
			    "the body (l=)";
	}
out:
	if (owned)
		dkim_entry_free(e);
}

enum inkan_status
inkan_dkim_verify_finish(struct inkan_dkim_verify *v)
{
	struct inkan_view body;
	enum inkan_status st;
	size_t i, lookups = 0;

	if (v->finished)
		return INKAN_ERR_STATE;
	if (v->broken)
		return v->msg.err != INKAN_OK ? v->msg.err : INKAN_ERR_STATE;
	if (v->msg.state == DKIM_MSG_HEADERS) {
		st = dkim_msg_feed_headers(&v->msg, NULL, 0, true, &body);
		if (st == INKAN_OK && v->msg.state != DKIM_MSG_BODY)
			st = INKAN_ERR_INTERNAL;
		if (st == INKAN_OK)
			st = start_body(v);
		if (st != INKAN_OK) {
			v->broken = true;
			if (v->msg.err == INKAN_OK)
				v->msg.err = st;
			set_error(v,
			    v->msg.error[0] != '\0' ? v->msg.error
						    : inkan_strerror(st));
			return st;
		}
	}
	v->finished = true;
	for (i = 0; i < v->nhashers; i++)
		if (dkim_bodyhash_end(&v->hashers[i]) != INKAN_OK) {
			set_error(v, "hashing the body failed");
			return INKAN_ERR_INTERNAL;
		}
	for (i = 0; i < v->nsigs; i++)
		if (v->sigs[i].pending)
			check_sig(v, &v->sigs[i], &lookups);
	/* Only the results are needed from here on. */
	vparts_give(v);
	return INKAN_OK;
}

void
inkan_dkim_verify_results(const struct inkan_dkim_verify *v,
    const struct inkan_dkim_sig **sigs_r, size_t *count_r)
{
	if (!v->finished) {
		*sigs_r = NULL;
		*count_r = 0;
		return;
	}
	*sigs_r = v->results;
	*count_r = v->nsigs;
}

const char *
inkan_dkim_verify_error(const struct inkan_dkim_verify *v)
{
	return v->error;
}

/* ---- a signature over given data, for lib/arc ----------------------------
 */

enum inkan_dkim_result
dkim_verify_data(struct inkan_dkim *d, const char *keyname,
    enum inkan_dkim_algorithm alg, struct inkan_view data,
    struct inkan_view sig, size_t *lookups, unsigned *bits_r,
    const char **reason_r)
{
	struct inkan_dkim_verify shim;
	struct vsig s;
	struct dkim_cache_entry *e;
	enum inkan_dkim_result r = INKAN_DKIM_FAIL;
	const char *why = NULL;
	bool owned, verified = false, ed = alg == INKAN_DKIM_ED25519_SHA256;
	size_t i;

	*bits_r = 0;
	*reason_r = "the signature does not verify";
	if (alg == INKAN_DKIM_ALG_UNKNOWN) {
		*reason_r = "unknown algorithm (a=)";
		return INKAN_DKIM_PERMERROR;
	}
	/* crypto_verify() reads the data from the verifier's tmp buffer and
	   the signature from a vsig: both are set up here, read-only. */
	memset(&shim, 0, sizeof(shim));
	memset(&s, 0, sizeof(s));
	shim.dkim = d;
	shim.tmp.data = (uint8_t *)(uintptr_t)data.ptr;
	shim.tmp.len = data.len;
	s.md = alg == INKAN_DKIM_RSA_SHA1 ? d->sha1 : d->sha256;
	s.hashbit =
	    alg == INKAN_DKIM_RSA_SHA1 ? DKIM_HASH_SHA1 : DKIM_HASH_SHA256;
	s.sig = (uint8_t *)(uintptr_t)sig.ptr;
	s.siglen = sig.len;
	if ((e = dkim_get_keys(d, keyname, lookups, &owned)) == NULL) {
		*reason_r = "out of memory";
		return INKAN_DKIM_TEMPERROR;
	}
	if (e->nkeys == 0) {
		r = e->fail_result;
		*reason_r = e->fail_reason;
		goto out;
	}
	for (i = 0; i < e->nkeys && !verified; i++) {
		struct dkim_pubkey *k = &e->keys[i];

		if ((k->type == INKAN_DKIM_KEY_ED25519) != ed) {
			if (why == NULL)
				why = "the key type (k=) does not match a=";
			continue;
		}
		if (k->hashes != 0 && (k->hashes & s.hashbit) == 0) {
			if (why == NULL)
				why = "the key record's h= does not allow the "
				      "hash of a=";
			continue;
		}
		*bits_r = k->bits;
		why = "";
		verified = crypto_verify(&shim, &s, k);
	}
	if (!verified) {
		if (why != NULL && why[0] != '\0') {
			r = INKAN_DKIM_PERMERROR;
			*reason_r = why;
		}
		goto out;
	}
	r = INKAN_DKIM_PASS;
	*reason_r = "the signature verifies";
	if (alg == INKAN_DKIM_RSA_SHA1 && !d->pol.allow_rsa_sha1) {
		r = INKAN_DKIM_PERMERROR;
		*reason_r = "rsa-sha1 is not allowed (RFC 8301 3.1)";
	} else if (!ed && *bits_r < d->pol.rsa_min_bits) {
		r = INKAN_DKIM_PERMERROR;
		*reason_r = "the RSA key is shorter than policy allows (RFC "
			    "8301 3.2)";
	}
out:
	if (owned)
		dkim_entry_free(e);
	return r;
}
