/*
 * taglist.c: the tag=value list of RFC 6376 3.2, which the DKIM-Signature
 * field, the DNS key record and ARC's fields are written in.
 *
 *	tag-list  =  tag-spec *( ";" tag-spec ) [ ";" ]
 *	tag-spec  =  [FWS] tag-name [FWS] "=" [FWS] tag-value [FWS]
 *	tag-name  =  ALPHA *ALNUMPUNC
 *	tag-value =  [ tval *( 1*(WSP / FWS) tval ) ]
 *	tval      =  1*VALCHAR          VALCHAR = %x21-3A / %x3C-7E
 */
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "dkim/dkim_impl.h"

/* inkan_view_make() inline, for views into what the parser holds. */
static inline struct inkan_view
view_of(const uint8_t *p, size_t n)
{
	return (struct inkan_view){ p, n };
}

/*
 * Skips FWS (RFC 6376 2.8: [*WSP CRLF] 1*WSP, read loosely as any mix of
 * WSP and CRLF-followed-by-WSP). Returns false at a CR or LF that is not
 * folding: a line break in the middle of a value.
 */
static bool
skip_fws_run(const uint8_t *p, size_t n, size_t *pos)
{
	size_t i = *pos;

	for (;;) {
		while (i < n && (p[i] == ' ' || p[i] == '\t'))
			i++;
		if (i < n && (p[i] == '\r' || p[i] == '\n')) {
			if (p[i] == '\r' && i + 1 < n && p[i + 1] == '\n')
				i++;
			else if (p[i] == '\r')
				return false;
			i++;
			if (i >= n || (p[i] != ' ' && p[i] != '\t'))
				return false;
			continue;
		}
		break;
	}
	*pos = i;
	return true;
}

/*
 * Most places where FWS may be hold none, or one SP (after each ';' of a
 * signature written on one line): those without a call.
 */
static inline bool
skip_fws(const uint8_t *p, size_t n, size_t *pos)
{
	size_t i = *pos;

	if (i < n && p[i] == ' ')
		i++;
	if (i < n && p[i] > ' ') {
		*pos = i;
		return true;
	}
	return skip_fws_run(p, n, pos);
}

/* Byte classes inside a tag value. */
enum { V_BAD = 0, V_CHAR, V_FWS, V_END };

/*
 * The class of every byte in a tag value: RFC 6376 3.2 VALCHAR
 * (%x21-3A / %x3C-7E) and 8-bit bytes (RFC 8616: UTF-8 in i= and d=) are
 * C, FWS bytes F, the ';' that ends a value E, anything else B.
 */
#define B V_BAD
#define C V_CHAR
#define F V_FWS
#define E V_END
/* clang-format off */
static const uint8_t value_class[256] = {
	B, B, B, B, B, B, B, B, B, F, F, B, B, F, B, B,
	B, B, B, B, B, B, B, B, B, B, B, B, B, B, B, B,
	F, C, C, C, C, C, C, C, C, C, C, C, C, C, C, C,
	C, C, C, C, C, C, C, C, C, C, C, E, C, C, C, C,
	C, C, C, C, C, C, C, C, C, C, C, C, C, C, C, C,
	C, C, C, C, C, C, C, C, C, C, C, C, C, C, C, C,
	C, C, C, C, C, C, C, C, C, C, C, C, C, C, C, C,
	C, C, C, C, C, C, C, C, C, C, C, C, C, C, C, B,
	C, C, C, C, C, C, C, C, C, C, C, C, C, C, C, C,
	C, C, C, C, C, C, C, C, C, C, C, C, C, C, C, C,
	C, C, C, C, C, C, C, C, C, C, C, C, C, C, C, C,
	C, C, C, C, C, C, C, C, C, C, C, C, C, C, C, C,
	C, C, C, C, C, C, C, C, C, C, C, C, C, C, C, C,
	C, C, C, C, C, C, C, C, C, C, C, C, C, C, C, C,
	C, C, C, C, C, C, C, C, C, C, C, C, C, C, C, C,
	C, C, C, C, C, C, C, C, C, C, C, C, C, C, C, C,
};
/* clang-format on */
#undef B
#undef C
#undef F
#undef E

#ifdef __SSE2__
/*
 * Which of p[0..16) are not V_CHAR (bit k for p[k]): up to SP, ';', DEL.
 * The base64 of b= and bh= is most of a DKIM-Signature: this takes it 16
 * bytes at a time, and finds where a shorter value ends without a loop
 * (SSE2 is in every x86-64 CPU; elsewhere the table loop does it all).
 */
static inline unsigned
notval16(const uint8_t *p)
{
	const __m128i vsp = _mm_set1_epi8(' '), vsemi = _mm_set1_epi8(';'),
		      vdel = _mm_set1_epi8(0x7f);
	__m128i w = _mm_loadu_si128((const __m128i *)(const void *)p);
	__m128i bad = _mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(w, vsp), w),
	    _mm_or_si128(_mm_cmpeq_epi8(w, vsemi), _mm_cmpeq_epi8(w, vdel)));

	return (unsigned)_mm_movemask_epi8(bad);
}
#endif

/*
 * The end of the run of V_CHAR bytes that starts at p[pos], pos < n: the
 * base64 of b= and bh= is most of a DKIM-Signature, and runs until a fold
 * or the ';'. 16 bytes at a time where SSE2 is; the last bytes of the
 * input (fewer than 16 after pos) are looked at through the 16 that end
 * the input, shifted so that bit 0 is p[pos]: that reads only bytes of
 * the input, and not one at a time.
 */
static inline size_t
value_run(const uint8_t *p, size_t n, size_t pos)
{
#ifdef __SSE2__
	unsigned bad;

	for (; n - pos >= 16; pos += 16)
		if ((bad = notval16(p + pos)) != 0)
			return pos + (size_t)__builtin_ctz(bad);
	if (n >= 16) {
		/* Bits for p[n-16..n); those for p[pos..n) down to bit 0,
		   and a bit for p[n] (the end stops the run too). */
		bad = (notval16(p + n - 16) | 1u << 16) >> (16 - (n - pos));
		return pos + (size_t)__builtin_ctz(bad);
	}
#endif
	while (pos < n && value_class[p[pos]] == V_CHAR)
		pos++;
	return pos;
}

enum inkan_status
dkim_taglist_parse(struct inkan_view in, struct dkim_tag *tags, size_t cap,
    size_t *n_r, const char **why_r)
{
	const uint8_t *p = in.ptr, *vc = value_class;
	size_t n = in.len, pos = 0, count = 0, i;
	uint64_t seen1 = 0; /* the one-letter names so far */
	uint64_t seen2 = 0; /* a bit of each longer name so far */
	bool dup;

	*n_r = 0;
	*why_r = "";
	for (;;) {
		struct dkim_tag t;
		size_t start, vend;

		if (!skip_fws(p, n, &pos))
			goto bad_break;
		if (pos >= n)
			break;
		if (p[pos] == ';') {
			pos++;
			continue;
		}
		start = pos;
		if (!inkan_cc_is(p[pos], INKAN_CC_ALPHA)) {
			*why_r = "a tag name must start with a letter";
			return INKAN_ERR_SYNTAX;
		}
		while (pos < n &&
		    (inkan_cc_is(p[pos], INKAN_CC_ALNUM) || p[pos] == '_'))
			pos++;
		t.name = view_of(p + start, pos - start);
		if (!skip_fws(p, n, &pos))
			goto bad_break;
		if (pos >= n || p[pos] != '=') {
			*why_r = "a tag name must be followed by '='";
			return INKAN_ERR_SYNTAX;
		}
		pos++;
		if (!skip_fws(p, n, &pos))
			goto bad_break;
		start = vend = pos;
		while (pos < n) {
			uint8_t cl = vc[p[pos]];

			if (cl == V_CHAR) {
				/* The common case: a run of value bytes, to
				   the ';' or the end. */
				vend = pos = value_run(p, n, pos);
				if (pos >= n || p[pos] == ';')
					break;
				continue;
			}
			if (cl == V_END)
				break;
			if (cl == V_BAD) {
				*why_r = "a control character in a tag value";
				return INKAN_ERR_SYNTAX;
			}
			/* FWS; a fold of b= is CRLF and one SP, at once. */
			if (p[pos] == '\r' && n - pos >= 3 &&
			    p[pos + 1] == '\n' &&
			    (p[pos + 2] == ' ' || p[pos + 2] == '\t'))
				pos += 3;
			else if (!skip_fws_run(p, n, &pos))
				goto bad_break;
		}
		t.value = view_of(p + start, vend - start);
		/*
		 * RFC 6376 3.2: "Tags with duplicate names MUST NOT occur
		 * within a single tag-list". Names of one letter (most of
		 * them) are a bit each in seen1. Longer ones set a bit of
		 * seen2 chosen by their last letter and length: only when
		 * it was set already are they compared.
		 */
		if (t.name.len == 1) {
			uint64_t bit = UINT64_C(1) << (t.name.ptr[0] & 63);

			dup = (seen1 & bit) != 0;
			seen1 |= bit;
		} else {
			uint64_t bit = UINT64_C(1)
			    << ((t.name.ptr[t.name.len - 1] + t.name.len) & 63);

			dup = false;
			if ((seen2 & bit) != 0)
				for (i = 0; i < count && !dup; i++)
					dup = tags[i].name.len == t.name.len &&
					    memcmp(tags[i].name.ptr, t.name.ptr,
						t.name.len) == 0;
			seen2 |= bit;
		}
		if (dup) {
			*why_r = "a tag appears twice";
			return INKAN_ERR_SYNTAX;
		}
		if (count >= cap) {
			*why_r = "too many tags";
			return INKAN_ERR_LIMIT;
		}
		tags[count++] = t;
		if (pos < n)
			pos++; /* the ';' */
	}
	*n_r = count;
	return INKAN_OK;
bad_break:
	*why_r = "a line break that is not folding white space";
	return INKAN_ERR_SYNTAX;
}

const struct dkim_tag *
dkim_tag_find(const struct dkim_tag *tags, size_t n, const char *name)
{
	struct inkan_view v = inkan_view_cstr(name);
	size_t i;

	for (i = 0; i < n; i++)
		if (inkan_view_eq(tags[i].name, v))
			return &tags[i];
	return NULL;
}

bool
dkim_list_next(struct inkan_view *list, struct inkan_view *elem_r)
{
	const uint8_t *p = list->ptr, *colon = NULL;
	size_t n = list->len, start = 0, end;

	if (p == NULL)
		return false;
		/* Written out rather than with the view helpers: h= is split
		   once to check it and once to select the fields, on every
		   signature. Its names are short: most colons are in the next
		   16 bytes. */
#ifdef __SSE2__
	if (n >= 16) {
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
		    _mm_loadu_si128((const __m128i *)(const void *)p),
		    _mm_set1_epi8(':')));

		if (m != 0)
			colon = p + __builtin_ctz(m);
	}
#endif
	if (colon == NULL && n > 0)
		colon = memchr(p, ':', n);
	end = colon != NULL ? (size_t)(colon - p) : n;
	if (colon != NULL) {
		list->ptr = colon + 1;
		list->len = n - end - 1;
	} else {
		list->ptr = NULL;
		list->len = 0;
	}
	while (
	    start < end && inkan_cc_is(p[start], INKAN_CC_WSP | INKAN_CC_CTL))
		start++;
	while (
	    end > start && inkan_cc_is(p[end - 1], INKAN_CC_WSP | INKAN_CC_CTL))
		end--;
	elem_r->ptr = p + start;
	elem_r->len = end - start;
	return true;
}
