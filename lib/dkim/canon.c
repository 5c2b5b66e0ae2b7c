/*
 * canon.c: DKIM canonicalisation (RFC 6376 3.4) as streaming state
 * machines, and the body hasher.
 *
 * The body canonicalisers take the body in chunks of any size and never
 * hold body bytes: they find runs of ordinary bytes (memchr or a class
 * table), copy each run whole into a block, and keep only counters for
 * what they cannot decide yet (line endings that may turn out to be
 * trailing empty lines, a WSP run that may be trailing white space, a CR
 * whose LF has not arrived). Full blocks go to the sink, usually
 * EVP_DigestUpdate, so the hash is fed large pieces.
 */
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && defined(__GNUC__)
/* AVX2 code in functions of its own, used where the CPU has it. */
#include <immintrin.h>
#define CANON_AVX2 1
#endif

#include "dkim/dkim_impl.h"

/* Runs at least this long go to the sink without a copy. */
#define DIRECT_MIN 512

/* Bytes the relaxed body canonicaliser must look at one by one. */
enum { SP_WSP = 1, SP_CR = 2, SP_LF = 4 };

static const uint8_t special[256] = {
	[' '] = SP_WSP,
	['\t'] = SP_WSP,
	['\r'] = SP_CR,
	['\n'] = SP_LF,
};

static const uint8_t crlfs[256] = "\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n"
				  "\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n"
				  "\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n"
				  "\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n"
				  "\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n"
				  "\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n"
				  "\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n"
				  "\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n"
				  "\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n"
				  "\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n"
				  "\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n"
				  "\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n"
				  "\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n"
				  "\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n"
				  "\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n"
				  "\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n";

void
dkim_canon_init(struct dkim_canon *c, enum inkan_dkim_canon canon,
    bool allow_lf, dkim_sink_fn *sink, void *sink_arg)
{
	c->canon = canon;
	c->allow_lf = allow_lf;
	c->cr_pending = false;
	c->wsp_pending = false;
	c->any_out = false;
	c->held_crlf = 0;
	c->total = 0;
	c->sink = sink;
	c->sink_arg = sink_arg;
	c->blen = 0;
}

static void
flush(struct dkim_canon *c)
{
	if (c->blen > 0) {
		c->sink(c->sink_arg, c->block, c->blen);
		c->blen = 0;
	}
}

static void
put(struct dkim_canon *c, const uint8_t *p, size_t n)
{
	c->total += n;
	if (n >= DIRECT_MIN) {
		/* A long run goes to the sink directly, not copied. */
		flush(c);
		c->sink(c->sink_arg, p, n);
		return;
	}
	if (n > DKIM_CANON_BLOCK - c->blen)
		flush(c);
	memcpy(c->block + c->blen, p, n);
	c->blen += n;
}

static void
put_byte(struct dkim_canon *c, uint8_t b)
{
	if (c->blen == DKIM_CANON_BLOCK)
		flush(c);
	c->block[c->blen++] = b;
	c->total++;
}

/* Writes the line endings held back: they were not trailing after all. */
static void
release_held(struct dkim_canon *c)
{
	while (c->held_crlf > 0) {
		uint64_t k = c->held_crlf;

		if (k > sizeof(crlfs) / 2)
			k = sizeof(crlfs) / 2;
		put(c, crlfs, (size_t)k * 2);
		c->held_crlf -= k;
	}
}

/*
 * RFC 6376 3.4.3 simple: the body as it is, except that trailing empty
 * lines are removed and a missing final CRLF is added.
 */
static void
simple_body(struct dkim_canon *c, const uint8_t *p, size_t n)
{
	size_t i = 0;

	while (i < n) {
		const uint8_t *q;
		size_t span;

		if (c->cr_pending) {
			c->cr_pending = false;
			if (p[i] == '\n') {
				c->held_crlf++;
				i++;
				continue;
			}
			/* A bare CR is body content. */
			release_held(c);
			put_byte(c, '\r');
			continue;
		}
		if (!c->allow_lf && n - i >= DIRECT_MIN) {
			/*
			 * CRLF mode changes nothing but trailing line endings:
			 * everything up to the run of CRLFs (and a CR) at the
			 * end of the chunk goes out as it is, in one piece.
			 */
			size_t j = n;

			if (p[j - 1] == '\r')
				j--;
			while (
			    j - i >= 2 && p[j - 1] == '\n' && p[j - 2] == '\r')
				j -= 2;
			if (j - i >= DIRECT_MIN) {
				release_held(c);
				put(c, p + i, j - i);
				i = j;
				continue;
			}
		}
		if (c->allow_lf) {
			span = 0;
			while (i + span < n &&
			    (special[p[i + span]] & (SP_CR | SP_LF)) == 0)
				span++;
		} else {
			q = memchr(p + i, '\r', n - i);
			span = q != NULL ? (size_t)(q - (p + i)) : n - i;
		}
		if (span > 0) {
			release_held(c);
			put(c, p + i, span);
			i += span;
			continue;
		}
		if (p[i] == '\r')
			c->cr_pending = true;
		else
			c->held_crlf++; /* LF taken as CRLF (allow_lf) */
		i++;
	}
}

/* Before a relaxed content byte: what was held back is not trailing. */
static void
relaxed_content(struct dkim_canon *c)
{
	release_held(c);
	if (c->wsp_pending) {
		put_byte(c, ' ');
		c->wsp_pending = false;
	}
	c->any_out = true;
}

/* 0x80 in each byte of w that equals the byte in pat (exact: no carry
   between bytes). */
static inline uint64_t
bytes_eq(uint64_t w, uint64_t pat)
{
	const uint64_t low7 = UINT64_C(0x7f7f7f7f7f7f7f7f);
	uint64_t t = w ^ pat;

	return ~(((t & low7) + low7) | t | low7);
}

/*
 * The length of the longest prefix of p[0..n) (p[0] a content byte) that
 * relaxed canonicalisation leaves unchanged and that ends with a content
 * byte: no HTAB, no SP followed by WSP or CR or LF, and (with allow_lf) no
 * LF; CRLFs inside are kept as they are. Eight bytes at a time: most
 * text has single spaces between words and nothing else to change.
 */
#ifdef __SSE2__
/*
 * The SSE2 form of the scan below (SSE2 is in every x86-64 CPU). It loads
 * each 16 bytes twice, the second time one byte later, so that "SP
 * followed by WSP, CR or LF" is two compares and an AND instead of four
 * compares and a shift of the masks. It is conservative: an SP followed by
 * any byte up to SP (a control byte, too) stops it, and the exact scalar
 * scan after it decides. Four vectors (64 bytes) share one test, so the
 * loop runs at several times the speed of the SHA-256 that follows it.
 */
static inline __m128i
trouble16(const uint8_t *p, __m128i vsp, __m128i vtab, __m128i vstop)
{
	__m128i w = _mm_loadu_si128((const __m128i *)(const void *)p);
	__m128i next = _mm_loadu_si128((const __m128i *)(const void *)(p + 1));
	/* next <= SP, unsigned: min(next, SP) == next. */
	__m128i next_ws = _mm_cmpeq_epi8(_mm_min_epu8(next, vsp), next);

	return _mm_or_si128(
	    _mm_or_si128(_mm_cmpeq_epi8(w, vtab), _mm_cmpeq_epi8(w, vstop)),
	    _mm_and_si128(_mm_cmpeq_epi8(w, vsp), next_ws));
}

static size_t
clean_scan16(const uint8_t *p, size_t n, bool allow_lf)
{
	const __m128i vsp = _mm_set1_epi8(' '), vtab = _mm_set1_epi8('\t');
	/* With allow_lf an LF stops the scan too; else compare HTAB again. */
	const __m128i vstop = _mm_set1_epi8(allow_lf ? '\n' : '\t');
	size_t i = 0;

	/* Each load of 16 reads one byte beyond: i + 16 < n. */
	while (i + 65 <= n) {
		__m128i t = _mm_or_si128(
		    _mm_or_si128(trouble16(p + i, vsp, vtab, vstop),
			trouble16(p + i + 16, vsp, vtab, vstop)),
		    _mm_or_si128(trouble16(p + i + 32, vsp, vtab, vstop),
			trouble16(p + i + 48, vsp, vtab, vstop)));

		if (_mm_movemask_epi8(t) != 0)
			break;
		i += 64;
	}
	while (i + 17 <= n) {
		if (_mm_movemask_epi8(trouble16(p + i, vsp, vtab, vstop)) != 0)
			break;
		i += 16;
	}
	return i;
}
#endif

#ifdef CANON_AVX2
/* trouble16() for 32 bytes; the LF test only with lf (LF mode). */
__attribute__((target("avx2"), always_inline)) static inline __m256i
trouble32(const uint8_t *p, __m256i vsp, __m256i vtab, __m256i vlf, bool lf)
{
	__m256i w = _mm256_loadu_si256((const __m256i *)(const void *)p);
	__m256i next =
	    _mm256_loadu_si256((const __m256i *)(const void *)(p + 1));
	__m256i next_ws = _mm256_cmpeq_epi8(_mm256_min_epu8(next, vsp), next);
	__m256i t = _mm256_cmpeq_epi8(w, vtab);

	if (lf)
		t = _mm256_or_si256(t, _mm256_cmpeq_epi8(w, vlf));
	return _mm256_or_si256(
	    t, _mm256_and_si256(_mm256_cmpeq_epi8(w, vsp), next_ws));
}

/* clean_scan32() for one LF mode, made twice (below) so that in each the
   mode is a constant and CRLF mode has no LF test in its loop. */
__attribute__((target("avx2"), always_inline)) static inline size_t
clean_scan32_mode(const uint8_t *p, size_t n, bool lf)
{
	const __m256i vsp = _mm256_set1_epi8(' '),
		      vtab = _mm256_set1_epi8('\t'),
		      vlf = _mm256_set1_epi8('\n');
	size_t i = 0;

	/* Each load of 32 reads one byte beyond: i + 32 < n. */
	while (i + 129 <= n) {
		__m256i t = _mm256_or_si256(
		    _mm256_or_si256(trouble32(p + i, vsp, vtab, vlf, lf),
			trouble32(p + i + 32, vsp, vtab, vlf, lf)),
		    _mm256_or_si256(trouble32(p + i + 64, vsp, vtab, vlf, lf),
			trouble32(p + i + 96, vsp, vtab, vlf, lf)));

		if (_mm256_movemask_epi8(t) != 0)
			break;
		i += 128;
	}
	while (i + 33 <= n) {
		if (_mm256_movemask_epi8(
			trouble32(p + i, vsp, vtab, vlf, lf)) != 0)
			break;
		i += 32;
	}
	return i;
}

/*
 * clean_scan16() 32 bytes at a time: half the instructions on a long
 * body, on CPUs with AVX2 (the caller asks). Like it, it only skips bytes
 * that are certainly clean; the scans after it go on from where it stops.
 */
__attribute__((target("avx2"))) static size_t
clean_scan32(const uint8_t *p, size_t n, bool allow_lf)
{
	if (allow_lf)
		return clean_scan32_mode(p, n, true);
	return clean_scan32_mode(p, n, false);
}
#endif

static size_t
relaxed_clean_prefix(const uint8_t *p, size_t n, bool allow_lf)
{
	size_t i = 0, end;

#ifdef CANON_AVX2
	if (n >= 129 && __builtin_cpu_supports("avx2"))
		i = clean_scan32(p, n, allow_lf);
#endif
#ifdef __SSE2__
	i += clean_scan16(p + i, n - i, allow_lf);
#endif

	while (i + 9 <= n && dkim_little_endian()) {
		uint64_t w, sp, ws, tab, lf, trouble;

		memcpy(&w, p + i, 8);
		sp = bytes_eq(w, DKIM_BCAST(' '));
		tab = bytes_eq(w, DKIM_BCAST('\t'));
		lf = bytes_eq(w, DKIM_BCAST('\n'));
		ws = sp | tab | bytes_eq(w, DKIM_BCAST('\r')) | lf;
		/* Byte k+1 is the next byte (little-endian load) */
		trouble = tab | (sp & (ws >> 8));
		if (allow_lf)
			trouble |= lf;
		/* An SP at byte 7: look at the byte after the word. */
		if ((sp >> 56) && special[p[i + 8]] != 0)
			trouble = 1;
		if (trouble != 0)
			break;
		i += 8;
	}
	for (; i < n; i++) {
		uint8_t cl = special[p[i]];

		if (cl == 0 || (cl == SP_LF && !allow_lf))
			continue;
		if (cl == SP_CR)
			continue; /* CRLF or bare CR: kept as they are */
		if (p[i] == ' ' && i + 1 < n && special[p[i + 1]] == 0)
			continue;
		break;
	}
	/* End on a content byte: what follows may be trailing. */
	end = i;
	while (end > 0 && special[p[end - 1]] != 0)
		end--;
	return end;
}

/*
 * Copies the content of a line from p[*ip..n) into the block: ordinary
 * bytes as they are, each WSP run followed by more content as one SP. It
 * stops before a line ending, and before a WSP run that reaches one or
 * the end of the chunk (it may be trailing: the caller decides). One
 * table look-up per byte and no call: this is the hot loop.
 */
static void
relaxed_line(
    struct dkim_canon *c, const uint8_t *p, size_t n, size_t *ip, uint8_t stop)
{
	uint8_t *b = c->block;
	size_t i = *ip, o = c->blen, start = o;

	while (i < n) {
		uint8_t cls = special[p[i]] & stop;
		size_t j;

		if (o >= DKIM_CANON_BLOCK - 1) {
			c->total += o - start;
			c->blen = o;
			flush(c);
			o = start = 0;
		}
		if (cls == 0) {
			b[o++] = p[i++];
			continue;
		}
		if (!(cls & SP_WSP))
			break;
		j = i + 1;
		while (j < n && (special[p[j]] & SP_WSP))
			j++;
		if (j >= n || (special[p[j]] & stop & (SP_CR | SP_LF)))
			break;
		b[o++] = ' ';
		b[o++] = p[j];
		i = j + 1;
	}
	c->total += o - start;
	c->blen = o;
	*ip = i;
}

/*
 * RFC 6376 3.4.4 relaxed: WSP at the end of a line removed, other WSP runs
 * made one SP, trailing empty lines removed, a final CRLF added to a
 * non-empty body; an empty body stays empty (RFC 6376 3.4.4, errata 1384).
 */
static void
relaxed_body(struct dkim_canon *c, const uint8_t *p, size_t n)
{
	uint8_t lf_class = c->allow_lf ? SP_LF : 0;
	uint8_t stop = SP_WSP | SP_CR | lf_class;
	size_t i = 0;

	while (i < n) {
		uint8_t s;

		if (c->cr_pending) {
			c->cr_pending = false;
			if (p[i] == '\n') {
				c->wsp_pending = false;
				c->held_crlf++;
				i++;
				continue;
			}
			relaxed_content(c);
			put_byte(c, '\r');
			continue;
		}
		s = special[p[i]];
		if (s & SP_WSP) {
			c->wsp_pending = true;
			i++;
			while (i < n && (special[p[i]] & SP_WSP))
				i++;
			continue;
		}
		if (s & SP_CR) {
			c->cr_pending = true;
			i++;
			continue;
		}
		if (s & lf_class) {
			c->wsp_pending = false;
			c->held_crlf++;
			i++;
			continue;
		}
		relaxed_content(c);
		if (n - i >= DIRECT_MIN) {
			size_t k =
			    relaxed_clean_prefix(p + i, n - i, c->allow_lf);

			if (k >= DIRECT_MIN) {
				put(c, p + i, k);
				i += k;
				continue;
			}
		}
		relaxed_line(c, p, n, &i, stop);
	}
}

void
dkim_canon_body(struct dkim_canon *c, const uint8_t *p, size_t n)
{
	if (n == 0)
		return;
	if (c->canon == INKAN_DKIM_RELAXED)
		relaxed_body(c, p, n);
	else
		simple_body(c, p, n);
}

void
dkim_canon_body_end(struct dkim_canon *c)
{
	if (c->canon == INKAN_DKIM_RELAXED) {
		if (c->cr_pending) {
			relaxed_content(c);
			put_byte(c, '\r');
		}
		c->wsp_pending = false;
		c->held_crlf = 0;
		if (c->any_out)
			put(c, crlfs, 2);
	} else {
		if (c->cr_pending) {
			release_held(c);
			put_byte(c, '\r');
		}
		/* The last line's CRLF, or the CRLF of an empty body. */
		c->held_crlf = 0;
		put(c, crlfs, 2);
	}
	c->cr_pending = false;
	flush(c);
}

#ifdef __SSE2__
/*
 * Whether relaxed header canonicalisation may change p[0..16) (p[16] is
 * read too): a control byte (HTAB, CR, LF of folding; others make it stop
 * too, to be safe) or an SP followed by a byte up to SP. False means the
 * 16 bytes are copied as they are.
 */
static inline unsigned
header_trouble16(const uint8_t *p)
{
	const __m128i vsp = _mm_set1_epi8(' '), vctl = _mm_set1_epi8(0x1f);
	__m128i w = _mm_loadu_si128((const __m128i *)(const void *)p);
	__m128i next = _mm_loadu_si128((const __m128i *)(const void *)(p + 1));
	/* Unsigned x <= k: min(x, k) == x. */
	__m128i ctl = _mm_cmpeq_epi8(_mm_min_epu8(w, vctl), w);
	__m128i next_ws = _mm_cmpeq_epi8(_mm_min_epu8(next, vsp), next);

	/* Bit k: p[k] may need a change. */
	return (unsigned)_mm_movemask_epi8(
	    _mm_or_si128(ctl, _mm_and_si128(_mm_cmpeq_epi8(w, vsp), next_ws)));
}
#endif

#ifdef __SSE2__
/* p[0..16) with the ASCII capitals made small letters. */
static inline __m128i
lower16(const uint8_t *p)
{
	__m128i w = _mm_loadu_si128((const __m128i *)(const void *)p);
	/* Signed compares: bytes >= 0x80 are below 'A' and stay. */
	__m128i upper = _mm_and_si128(_mm_cmpgt_epi8(w, _mm_set1_epi8('A' - 1)),
	    _mm_cmplt_epi8(w, _mm_set1_epi8('Z' + 1)));

	return _mm_add_epi8(w, _mm_and_si128(upper, _mm_set1_epi8(0x20)));
}
#endif

#ifdef __SSE2__
/* Copies n < 16 bytes, in at most two loads and stores of a size. */
static inline void
copy_short(uint8_t *o, const uint8_t *p, size_t n)
{
	uint64_t a, b;
	uint32_t c, d;

	if (n >= 8) {
		memcpy(&a, p, 8);
		memcpy(&b, p + n - 8, 8);
		memcpy(o, &a, 8);
		memcpy(o + n - 8, &b, 8);
	} else if (n >= 4) {
		memcpy(&c, p, 4);
		memcpy(&d, p + n - 4, 4);
		memcpy(o, &c, 4);
		memcpy(o + n - 4, &d, 4);
	} else if (n > 0) {
		o[0] = p[0];
		o[n / 2] = p[n / 2];
		o[n - 1] = p[n - 1];
	}
}

/*
 * Copies to o the bytes of the field r[0..n) from i on that relaxed
 * canonicalisation keeps as they are (ordinary bytes, and single SPs
 * before them), as far as header_trouble16() sees them, and returns how
 * many; they end at end at the latest (end is n, or n - 2 when r ends in
 * CRLF). o has room for 16 bytes past the copy.
 */
static inline size_t
header_run16(const uint8_t *r, size_t i, size_t end, size_t n, uint8_t *o)
{
	size_t start = i, q;
	unsigned t;

	/*
	 * 16 bytes at a time while 17 can be read. All 16 are stored, the
	 * ones from the first that may change are written over later. A
	 * final CR is trouble, so no run goes past end.
	 */
	while (i + 17 <= n) {
		t = header_trouble16(r + i);
		_mm_storeu_si128((__m128i *)(void *)(o + (i - start)),
		    _mm_loadu_si128((const __m128i *)(const void *)(r + i)));
		if (t != 0)
			return i - start + (size_t)__builtin_ctz(t);
		i += 16;
	}
	if (end + 2 != n || n < 17 || i >= end)
		return i - start;
	/*
	 * Fewer than 17 bytes left (the end of most fields): the last 17
	 * of the field are tested instead, and the bits of the bytes before
	 * i shifted out. Bit end - q, the final CR, is set, so a run stops
	 * at end at the latest. i > q, and i - q < 15 since i < end.
	 */
	q = n - 17;
	t = (unsigned)header_trouble16(r + q) >> (i - q);
	copy_short(o + (i - start), r + i, (size_t)__builtin_ctz(t));
	return i - start + (size_t)__builtin_ctz(t);
}
#endif

/*
 * RFC 6376 3.4.2 relaxed: the name lowercased; WSP before and after the
 * colon removed; the value unfolded (the CR and LF of folding dropped),
 * each run of WSP made one SP, WSP at its ends removed. With SSE2 and
 * room for 16 bytes past the field in out, ordinary bytes are copied 16
 * at a time; both ways give the same bytes.
 */
static enum inkan_status
relaxed_header(struct inkan_view raw, size_t end, size_t name_len,
    bool strip_eol, struct inkan_buf *out)
{
	const uint8_t *r = raw.ptr;
	size_t i, colon, need;
	uint8_t *o, cls;
#ifdef __SSE2__
	size_t n = raw.len;
	bool simd = false;
#endif

	if (name_len > end)
		name_len = end;
	colon = name_len;
	while (colon < end && r[colon] != ':')
		colon++;
#ifdef __SSE2__
	/* Usually out has room for 16 bytes past the field already. */
	simd = dkim_buf_fits(out, n + 16);
	if (!simd && out->max - out->len >= 16 &&
	    out->max - out->len - 16 >= n) {
		if (inkan_buf_reserve(out, n + 16) != INKAN_OK)
			return out->err;
		simd = true;
	}
	if (!simd) {
#endif
		/* The name, the colon, the value at most as long as it was,
		   CRLF. */
		need = end + 2 + (colon == end);
		if (!dkim_buf_fits(out, need) &&
		    inkan_buf_reserve(out, need) != INKAN_OK)
			return out->err;
#ifdef __SSE2__
	}
#endif
	o = out->data + out->len;
	i = 0;
#ifdef __SSE2__
	/* 16 at a time while 16 can be read; what is written past the name
	   is written over below. */
	if (simd)
		for (; i < name_len && i + 16 <= n; i += 16)
			_mm_storeu_si128(
			    (__m128i *)(void *)(o + i), lower16(r + i));
#endif
	for (; i < name_len; i++)
		o[i] = inkan_ascii_lower(r[i]);
	o += name_len;
	*o++ = ':';
	i = colon + 1;
	while (i < end && special[r[i]] != 0)
		i++;
	/* Each output byte comes from at least one input byte, so o never
	   gets ahead of i (past the name): o has room for r's bytes. */
	while (i < end) {
#ifdef __SSE2__
		if (simd) {
			size_t k = header_run16(r, i, end, n, o);

			o += k;
			i += k;
			if (i >= end)
				break;
		}
#endif
		while (i < end && special[r[i]] == 0)
			*o++ = r[i++];
		if (i >= end)
			break;
		/* A run of WSP, CR and LF: one SP when it holds WSP and is
		   not at the end. */
		cls = 0;
		while (i < end && special[r[i]] != 0)
			cls |= special[r[i++]];
		if (i < end && (cls & SP_WSP))
			*o++ = ' ';
	}
	out->len = (size_t)(o - out->data);
	if (!strip_eol) {
		out->data[out->len++] = '\r';
		out->data[out->len++] = '\n';
	}
	out->data[out->len] = '\0';
	return INKAN_OK;
}

enum inkan_status
dkim_canon_header(enum inkan_dkim_canon canon, struct inkan_view raw,
    size_t name_len, bool strip_eol, struct inkan_buf *out)
{
	size_t end = raw.len;

	if (end >= 2 && raw.ptr[end - 2] == '\r' && raw.ptr[end - 1] == '\n')
		end -= 2;
	if (canon == INKAN_DKIM_SIMPLE) {
		/* RFC 6376 3.4.1: no change at all. */
		inkan_buf_append(out, raw.ptr, end);
		if (!strip_eol)
			inkan_buf_append(out, "\r\n", 2);
		return out->err;
	}
	return relaxed_header(raw, end, name_len, strip_eol, out);
}

static void
bodyhash_sink(void *arg, const uint8_t *p, size_t n)
{
	struct dkim_bodyhash *bh = arg;
	uint64_t room = bh->limit - bh->hashed;

	if (room == 0)
		return;
	if (n > room)
		n = (size_t)room;
	if (EVP_DigestUpdate(bh->md, p, n) != 1)
		bh->failed = true;
	bh->hashed += n;
}

enum inkan_status
dkim_bodyhash_init(struct dkim_bodyhash *bh, enum inkan_dkim_canon canon,
    bool allow_lf, const EVP_MD *alg, uint64_t limit)
{
	bh->alg = alg;
	bh->limit = limit;
	bh->hashed = 0;
	bh->failed = false;
	bh->dlen = 0;
	bh->md = EVP_MD_CTX_new();
	if (bh->md == NULL)
		return INKAN_ERR_NOMEM;
	if (EVP_DigestInit_ex(bh->md, alg, NULL) != 1) {
		EVP_MD_CTX_free(bh->md);
		bh->md = NULL;
		return INKAN_ERR_NOMEM;
	}
	dkim_canon_init(&bh->canon, canon, allow_lf, bodyhash_sink, bh);
	return INKAN_OK;
}

enum inkan_status
dkim_bodyhash_restart(struct dkim_bodyhash *bh, enum inkan_dkim_canon canon,
    bool allow_lf, const EVP_MD *alg, uint64_t limit)
{
	if (bh->md == NULL)
		return dkim_bodyhash_init(bh, canon, allow_lf, alg, limit);
	bh->alg = alg;
	bh->limit = limit;
	bh->hashed = 0;
	bh->failed = false;
	bh->dlen = 0;
	/* Init on a used context starts it again (and switches the hash). */
	if (EVP_DigestInit_ex(bh->md, alg, NULL) != 1)
		return INKAN_ERR_NOMEM;
	dkim_canon_init(&bh->canon, canon, allow_lf, bodyhash_sink, bh);
	return INKAN_OK;
}

void
dkim_bodyhash_feed(struct dkim_bodyhash *bh, const uint8_t *p, size_t n)
{
	dkim_canon_body(&bh->canon, p, n);
}

enum inkan_status
dkim_bodyhash_end(struct dkim_bodyhash *bh)
{
	dkim_canon_body_end(&bh->canon);
	if (bh->failed ||
	    EVP_DigestFinal_ex(bh->md, bh->digest, &bh->dlen) != 1)
		return INKAN_ERR_INTERNAL;
	return INKAN_OK;
}

void
dkim_bodyhash_clear(struct dkim_bodyhash *bh)
{
	EVP_MD_CTX_free(bh->md);
	bh->md = NULL;
}
