/*
 * base64.c: RFC 4648 section 4 base64, strict, and with the folding
 * whitespace that DKIM allows (RFC 6376 3.5).
 *
 * Decoding is table driven: one lookup per character and, on the fast
 * path, one test per four characters. DKIM decodes a signature (b=) and a
 * body hash (bh=) per signature and a key (p=) per lookup, so this is on
 * the hot path of every verification.
 *
 * Strict decoding accepts exactly the canonical encodings (RFC 4648 3.5):
 * a multiple of four characters from the alphabet, "=" only as the last
 * one or two characters, and zero bits where the last quantum has bits
 * to spare. Every encoded string therefore decodes to one value, and every
 * value has one encoding: a DKIM signature cannot be made to look
 * different without changing what it signs.
 */
#include <assert.h>

#if defined(__x86_64__) && defined(__GNUC__)
/* AVX2 code in a function of its own, used where the CPU has it. */
#include <immintrin.h>
#define B64_AVX2 1
#endif

#include <inkan/util.h>

/* Decoding table values other than 0-63. */
#define XX 0xff /* not in the alphabet */
#define PD 0xfe /* '=', the pad character */
#define WS 0xfd /* SP HTAB CR LF: skipped with INKAN_BASE64_SKIP_FWS */

/* RFC 4648 4, table 1: the value of each alphabet character. */
/* clang-format off */
static const uint8_t dec[256] = {
	/* 0x00 */ XX, XX, XX, XX, XX, XX, XX, XX,
	/* 0x08 */ XX, WS, WS, XX, XX, WS, XX, XX,
	/* 0x10 */ XX, XX, XX, XX, XX, XX, XX, XX,
	/* 0x18 */ XX, XX, XX, XX, XX, XX, XX, XX,
	/* 0x20 */ WS, XX, XX, XX, XX, XX, XX, XX,
	/* 0x28 */ XX, XX, XX, 62, XX, XX, XX, 63,
	/* 0x30 */ 52, 53, 54, 55, 56, 57, 58, 59,
	/* 0x38 */ 60, 61, XX, XX, XX, PD, XX, XX,
	/* 0x40 */ XX,  0,  1,  2,  3,  4,  5,  6,
	/* 0x48 */  7,  8,  9, 10, 11, 12, 13, 14,
	/* 0x50 */ 15, 16, 17, 18, 19, 20, 21, 22,
	/* 0x58 */ 23, 24, 25, XX, XX, XX, XX, XX,
	/* 0x60 */ XX, 26, 27, 28, 29, 30, 31, 32,
	/* 0x68 */ 33, 34, 35, 36, 37, 38, 39, 40,
	/* 0x70 */ 41, 42, 43, 44, 45, 46, 47, 48,
	/* 0x78 */ 49, 50, 51, XX, XX, XX, XX, XX,
	/* 0x80 */ XX, XX, XX, XX, XX, XX, XX, XX,
	/* 0x88 */ XX, XX, XX, XX, XX, XX, XX, XX,
	/* 0x90 */ XX, XX, XX, XX, XX, XX, XX, XX,
	/* 0x98 */ XX, XX, XX, XX, XX, XX, XX, XX,
	/* 0xa0 */ XX, XX, XX, XX, XX, XX, XX, XX,
	/* 0xa8 */ XX, XX, XX, XX, XX, XX, XX, XX,
	/* 0xb0 */ XX, XX, XX, XX, XX, XX, XX, XX,
	/* 0xb8 */ XX, XX, XX, XX, XX, XX, XX, XX,
	/* 0xc0 */ XX, XX, XX, XX, XX, XX, XX, XX,
	/* 0xc8 */ XX, XX, XX, XX, XX, XX, XX, XX,
	/* 0xd0 */ XX, XX, XX, XX, XX, XX, XX, XX,
	/* 0xd8 */ XX, XX, XX, XX, XX, XX, XX, XX,
	/* 0xe0 */ XX, XX, XX, XX, XX, XX, XX, XX,
	/* 0xe8 */ XX, XX, XX, XX, XX, XX, XX, XX,
	/* 0xf0 */ XX, XX, XX, XX, XX, XX, XX, XX,
	/* 0xf8 */ XX, XX, XX, XX, XX, XX, XX, XX,
};
/* clang-format on */

/*
 * The fast path's tables: the value of character c, in place in the 24
 * bits of its quantum for each position, or B64_BAD (for anything not in
 * the alphabet, '=' and FWS included). OR-ing four look-ups gives the
 * quantum and, in one test, whether all four were alphabet characters.
 * Built by the preprocessor from the alphabet, not written out.
 */
#define B64_BAD UINT32_C(0x01000000)
#define B64_VALUE(c)                                        \
	((c) >= 'A' && (c) <= 'Z'          ? (c) - 'A'      \
		: (c) >= 'a' && (c) <= 'z' ? (c) - 'a' + 26 \
		: (c) >= '0' && (c) <= '9' ? (c) - '0' + 52 \
		: (c) == '+'               ? 62             \
		: (c) == '/'               ? 63             \
					   : -1)
#define B64_AT(c, shift) \
	(B64_VALUE(c) < 0 ? B64_BAD : (uint32_t)B64_VALUE(c) << (shift))
#define B64_AT0(c) B64_AT(c, 18)
#define B64_AT1(c) B64_AT(c, 12)
#define B64_AT2(c) B64_AT(c, 6)
#define B64_AT3(c) B64_AT(c, 0)
#define B64_R4(m, c) m(c), m((c) + 1), m((c) + 2), m((c) + 3)
#define B64_R16(m, c)                                         \
	B64_R4(m, c), B64_R4(m, (c) + 4), B64_R4(m, (c) + 8), \
	    B64_R4(m, (c) + 12)
#define B64_R64(m, c)                                              \
	B64_R16(m, c), B64_R16(m, (c) + 16), B64_R16(m, (c) + 32), \
	    B64_R16(m, (c) + 48)
#define B64_R256(m) \
	B64_R64(m, 0), B64_R64(m, 64), B64_R64(m, 128), B64_R64(m, 192)
static const uint32_t dec_at[4][256] = {
	{ B64_R256(B64_AT0) },
	{ B64_R256(B64_AT1) },
	{ B64_R256(B64_AT2) },
	{ B64_R256(B64_AT3) },
};

static const uint8_t enc[65] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

bool
inkan_base64_encoded_len(size_t n, size_t *len_r)
{
	size_t groups = n / 3;

	assert(len_r != NULL);
	/* RFC 4648 4: each started group of 3 bytes becomes 4 characters. */
	if (n % 3 != 0)
		groups++;
	return inkan_size_mul(groups, 4, len_r);
}

enum inkan_status
inkan_base64_encode(const void *p, size_t n, struct inkan_buf *out)
{
	const uint8_t *s = p;
	enum inkan_status st;
	size_t len, i;
	uint32_t v;
	uint8_t *o;

	assert(out != NULL && (p != NULL || n == 0));
	if (out->err != INKAN_OK)
		return out->err;
	/* Too long for size_t is certainly too long for the buffer. */
	if (!inkan_base64_encoded_len(n, &len)) {
		out->err = INKAN_ERR_LIMIT;
		return out->err;
	}
	/* p must not point into out: reserve() may move out's storage. */
	if ((st = inkan_buf_reserve(out, len)) != INKAN_OK)
		return st;
	o = out->data + out->len;
	for (i = 0; n - i >= 3; i += 3) {
		v = (uint32_t)s[i] << 16 | (uint32_t)s[i + 1] << 8 | s[i + 2];
		o[0] = enc[v >> 18];
		o[1] = enc[v >> 12 & 0x3f];
		o[2] = enc[v >> 6 & 0x3f];
		o[3] = enc[v & 0x3f];
		o += 4;
	}
	/*
	 * RFC 4648 4: a final 1 or 2 bytes are padded with zero bits to a
	 * whole character, and the quantum with "=" to 4 characters.
	 */
	if (n - i == 1) {
		v = (uint32_t)s[i] << 16;
		o[0] = enc[v >> 18];
		o[1] = enc[v >> 12 & 0x3f];
		o[2] = '=';
		o[3] = '=';
	} else if (n - i == 2) {
		v = (uint32_t)s[i] << 16 | (uint32_t)s[i + 1] << 8;
		o[0] = enc[v >> 18];
		o[1] = enc[v >> 12 & 0x3f];
		o[2] = enc[v >> 6 & 0x3f];
		o[3] = '=';
	}
	out->len += len;
	out->data[out->len] = '\0';
	return INKAN_OK;
}

/*
 * The last quantum: k (2 or 3) characters in q, then s[i] is the first
 * '='. RFC 4648 4: "xx==" carries one byte and "xxx=" two; nothing but
 * the missing pads (and FWS, if allowed) may follow.
 */
static enum inkan_status
decode_final(const uint8_t *s, size_t n, size_t i, bool fws, const uint8_t *q,
    size_t k, uint8_t **o_r, const uint8_t *oend)
{
	size_t pads = 0;
	uint8_t v, *o = *o_r;

	if (k < 2)
		return INKAN_ERR_SYNTAX;
	for (; i < n; i++) {
		v = dec[s[i]];
		if (v == PD && pads < 4 - k)
			pads++;
		else if (v != WS || !fws)
			return INKAN_ERR_SYNTAX;
	}
	if (pads != 4 - k)
		return INKAN_ERR_SYNTAX;
	/* RFC 4648 3.5: the bits that do not make a whole byte are zero. */
	if ((k == 2 && (q[1] & 0x0f) != 0) || (k == 3 && (q[2] & 0x03) != 0))
		return INKAN_ERR_SYNTAX;
	if ((size_t)(oend - o) < k - 1)
		return INKAN_ERR_LIMIT;
	o[0] = (uint8_t)(q[0] << 2 | q[1] >> 4);
	if (k == 3)
		o[1] = (uint8_t)(q[1] << 4 | q[2] >> 2);
	*o_r = o + (k - 1);
	return INKAN_OK;
}

#ifdef B64_AVX2
/*
 * 32 characters at a time with AVX2, while all 32 are alphabet characters
 * and there are 32 bytes of room (24 are kept; the 8 after them are
 * written and then overwritten or left past the end). Returns how many
 * characters it decoded, a multiple of 32; *o_r is advanced by 3/4 of
 * that. Anything else ('=', FWS, a bad byte) is left to the loops below,
 * which decide what it means.
 *
 * Each step is one byte-table lookup (vpshufb: every byte of the index
 * vector picks a byte of a 16-byte table, in each 128-bit half):
 *
 * - Validity. A character is valid when its high nibble's class bit is
 *   clear in its low nibble's entry: valid_lo[c & 15] & valid_hi[c >> 4]
 *   is 0 exactly for A-Z a-z 0-9 + /. The classes: bit 0 for high
 *   nibbles with no valid character (0, 1, 8-15: bytes >= 0x80 too),
 *   bit 1 for 0x2_ (only '+' 0x2b and '/' 0x2f), bit 2 for 0x3_ (0-9),
 *   bit 3 for 0x4_ and 0x6_ (not '@' 0x40, '`' 0x60), bit 4 for 0x5_
 *   and 0x7_ (up to 'Z' 0x5a, 'z' 0x7a).
 * - Value. Within a high nibble the alphabet is contiguous, so the value
 *   is c plus a shift that depends on the high nibble alone, except that
 *   0x2_ holds two characters with different shifts: '/' uses entry 1
 *   (its nibble minus one, from the c == '/' compare, which is -1).
 * - Packing. Each 4 values a b c d (6 bits each, one per byte) become
 *   a<<18 | b<<12 | c<<6 | d: vpmaddubsw makes a<<6|b and c<<6|d per
 *   16 bits, vpmaddwd joins the pairs per 32 bits; vpshufb puts the three
 *   bytes of each in order (most significant first) at the start of
 *   each half, and vpermd joins the two halves' 12 bytes.
 */
__attribute__((target("avx2"))) static size_t
decode_avx2(const uint8_t *s, size_t n, uint8_t **o_r, const uint8_t *oend)
{
	/* Each 16-byte table twice: vpshufb looks up within each half. */
#define B64_TWICE(...) __VA_ARGS__, __VA_ARGS__
	const __m256i valid_lo = _mm256_setr_epi8(B64_TWICE(0x0b, 0x03, 0x03,
			  0x03, 0x03, 0x03, 0x03, 0x03, 0x03, 0x03, 0x07, 0x15,
			  0x17, 0x17, 0x17, 0x15)),
		      valid_hi = _mm256_setr_epi8(B64_TWICE(0x01, 0x01, 0x02,
			  0x04, 0x08, 0x10, 0x08, 0x10, 0x01, 0x01, 0x01, 0x01,
			  0x01, 0x01, 0x01, 0x01)),
		      shift = _mm256_setr_epi8(B64_TWICE(0, '?' - '/',
			  '>' - '+', 52 - '0', -'A', -'A', 26 - 'a', 26 - 'a',
			  0, 0, 0, 0, 0, 0, 0, 0)),
		      order = _mm256_setr_epi8(B64_TWICE(2, 1, 0, 6, 5, 4, 10,
			  9, 8, 14, 13, 12, -1, -1, -1, -1)),
		      halves = _mm256_setr_epi32(0, 1, 2, 4, 5, 6, 3, 7),
		      nib = _mm256_set1_epi8(0x0f),
		      slash = _mm256_set1_epi8('/'),
		      ab = _mm256_set1_epi32(0x01400140),
		      abcd = _mm256_set1_epi32(0x00011000);
#undef B64_TWICE
	uint8_t *o = *o_r;
	size_t i = 0;

	while (n - i >= 32 && oend - o >= 32) {
		__m256i c = _mm256_loadu_si256(
			    (const __m256i *)(const void *)(s + i)),
			hi = _mm256_and_si256(_mm256_srli_epi32(c, 4), nib),
			lo = _mm256_and_si256(c, nib), v;

		if (!_mm256_testz_si256(_mm256_shuffle_epi8(valid_lo, lo),
			_mm256_shuffle_epi8(valid_hi, hi)))
			break;
		hi = _mm256_add_epi8(hi, _mm256_cmpeq_epi8(c, slash));
		v = _mm256_add_epi8(c, _mm256_shuffle_epi8(shift, hi));
		v = _mm256_maddubs_epi16(v, ab);
		v = _mm256_madd_epi16(v, abcd);
		v = _mm256_shuffle_epi8(v, order);
		v = _mm256_permutevar8x32_epi32(v, halves);
		_mm256_storeu_si256((__m256i *)(void *)o, v);
		o += 24;
		i += 32;
	}
	*o_r = o;
	return i;
}
#endif

/*
 * Decodes s[0..n) into *o_r, never past oend, and advances *o_r. Returns
 * INKAN_ERR_SYNTAX for input that is not base64 and INKAN_ERR_LIMIT if
 * the output does not fit before oend.
 */
static enum inkan_status
decode_into(
    const uint8_t *s, size_t n, bool fws, uint8_t **o_r, const uint8_t *oend)
{
	uint8_t v, q[4], *o = *o_r;
	enum inkan_status st;
	size_t i = 0, k;
#ifdef B64_AVX2
	bool avx2 = n >= 32 && __builtin_cpu_supports("avx2");
#endif

	for (;;) {
		size_t fit;

#ifdef B64_AVX2
		if (avx2)
			i += decode_avx2(s + i, n - i, &o, oend);
#endif
		/*
		 * Fast path: quanta of four alphabet characters, as many as
		 * there are and as fit (the slow path reports LIMIT).
		 */
		fit = (size_t)(oend - o) / 3;

		for (k = (n - i) / 4 < fit ? (n - i) / 4 : fit; k > 0; k--) {
			uint32_t w = dec_at[0][s[i]] | dec_at[1][s[i + 1]] |
			    dec_at[2][s[i + 2]] | dec_at[3][s[i + 3]];

			if ((w & B64_BAD) != 0)
				break;
			o[0] = (uint8_t)(w >> 16);
			o[1] = (uint8_t)(w >> 8);
			o[2] = (uint8_t)w;
			o += 3;
			i += 4;
		}
		/*
		 * The usual end, a last quantum "xx==" or "xxx=" and nothing
		 * after it, at once. The bits that do not make a whole byte
		 * (the low 4 of x2 or the low 2 of x3) must be zero (RFC 4648
		 * 3.5). Anything else about it is for the slow path to judge.
		 */
		if (n - i == 4 && s[i + 3] == '=') {
			uint32_t w = dec_at[0][s[i]] | dec_at[1][s[i + 1]],
				 spare = 0xf000;
			size_t len = 1;

			if (s[i + 2] != '=') {
				w |= dec_at[2][s[i + 2]];
				spare = 0xc0;
				len = 2;
			}
			if ((w & (B64_BAD | spare)) == 0 &&
			    (size_t)(oend - o) >= len) {
				o[0] = (uint8_t)(w >> 16);
				if (len == 2)
					o[1] = (uint8_t)(w >> 8);
				o += len;
				break;
			}
		}
		/* Slow path: one quantum a character at a time, past FWS. */
		for (k = 0; k < 4 && i < n; i++) {
			v = dec[s[i]];
			if (v < 64)
				q[k++] = v;
			else if (v == PD)
				break;
			else if (v != WS || !fws)
				return INKAN_ERR_SYNTAX;
		}
		if (k == 4) {
			if (oend - o < 3)
				return INKAN_ERR_LIMIT;
			o[0] = (uint8_t)(q[0] << 2 | q[1] >> 4);
			o[1] = (uint8_t)(q[1] << 4 | q[2] >> 2);
			o[2] = (uint8_t)(q[2] << 6 | q[3]);
			o += 3;
			continue;
		}
		if (i == n) {
			/* A quantum cut short without its padding. */
			if (k != 0)
				return INKAN_ERR_SYNTAX;
			break;
		}
		/* s[i] is '=' after k characters. */
		if ((st = decode_final(s, n, i, fws, q, k, &o, oend)) !=
		    INKAN_OK)
			return st;
		break;
	}
	*o_r = o;
	return INKAN_OK;
}

enum inkan_status
inkan_base64_decode(
    const void *p, size_t n, unsigned flags, struct inkan_buf *out)
{
	bool fws = (flags & INKAN_BASE64_SKIP_FWS) != 0;
	enum inkan_status st;
	size_t room;
	uint8_t *o, *start;

	assert(out != NULL && (p != NULL || n == 0));
	assert((flags & ~(unsigned)INKAN_BASE64_SKIP_FWS) == 0);
	if (out->err != INKAN_OK)
		return out->err;
	/* RFC 4648 4: a padded encoding is whole quanta of 4 characters. */
	if (!fws && n % 4 != 0)
		return INKAN_ERR_SYNTAX;
	/*
	 * 4 characters give at most 3 bytes. Reserve that, but no more than
	 * the buffer may still take: then LIMIT is reported only for output
	 * that really does not fit, never for padding or FWS.
	 */
	room = n / 4 * 3;
	if (room > out->max - out->len)
		room = out->max - out->len;
	if ((st = inkan_buf_reserve(out, room)) != INKAN_OK)
		return st;
	start = o = out->data + out->len;
	if ((st = decode_into(p, n, fws, &o, start + room)) != INKAN_OK) {
		/* Leave out as it was; only running out of room is sticky. */
		*start = '\0';
		if (st == INKAN_ERR_LIMIT)
			out->err = st;
		return st;
	}
	out->len += (size_t)(o - start);
	out->data[out->len] = '\0';
	return INKAN_OK;
}
