/*
 * header.c: the incremental RFC 5322 header-section parser (inkan/msg.h,
 * section "header").
 *
 * The parser works on complete lines. A line ends at LF; a CR just before
 * the LF makes the ending CRLF, and a CR anywhere else is a bare CR, an
 * ordinary byte of its line (or an error). Lines are found with memchr()
 * in the caller's chunk, and a field that lies wholly inside one chunk is
 * returned as views into that chunk, without a copy. Only when a chunk
 * ends inside a field or a line are the bytes still needed copied into
 * buf: first the field so far, then the incomplete line; the field's later
 * lines are appended there until it is complete.
 *
 * RFC 5322 2.2.3: a line that starts with WSP continues the field above
 * it, so a field is complete only when the first byte of the next line is
 * known and is not WSP; at the end of input, when the input ends.
 *
 * Chunking does not matter: every decision and every error is taken on a
 * complete line, with its checks in a fixed order (section, field size,
 * field count, bytes, syntax). The one exception, "line too long", is
 * found as soon as hdr_line_max bytes without an LF are seen, and comes
 * before every other check of that line in any split. So the events,
 * errors and offsets are the same however the input is cut; the tests and
 * the fuzz target check it.
 *
 * Two paths take the lines. The general one goes line by line as above,
 * for every case. The fast one (fast_next()) takes a whole field, or the
 * blank line, when it lies in the chunk with the byte after it: it
 * classifies the chunk into bit masks, 64 bytes to a word, 8 words to a
 * window (LF; NUL, 8-bit or bare CR, "odd"), walks from LF to LF with
 * ctz, and checks the field's limits and bytes at once. It only answers
 * when the general path would give the same event without an error, and
 * otherwise leaves the field to it untouched; the unit tests compare the
 * two on generated and hostile input, whole and split.
 */
#include <assert.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <inkan/msg.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && defined(__GNUC__)
/* AVX2 code in a function of its own, used where the CPU has it. */
#include <immintrin.h>
#define HDR_AVX2 1
#endif

/* inkan_view_make() inline, for views into what the parser holds. */
static inline struct inkan_view
view_of(const uint8_t *p, size_t n)
{
	return (struct inkan_view){ p, n };
}

#define HDR_KNOWN_FLAGS                                                       \
	(INKAN_HDR_ALLOW_LF | INKAN_HDR_ALLOW_BARE_CR | INKAN_HDR_ALLOW_NUL | \
	    INKAN_HDR_SKIP_MBOX_FROM)

enum hdr_state {
	HDR_ST_RUN, /* reading the header section */
	HDR_ST_END, /* END has been returned */
	HDR_ST_ERROR, /* sticky: err, err_off and err_msg say why */
};

/* One complete line, its LF included (none at the end of input). */
struct hdr_line {
	const uint8_t *ptr;
	size_t len;
	size_t eol; /* 2: CRLF, 1: LF, 0: none (the input ended) */
	uint64_t off; /* absolute offset of ptr[0] */
	bool buffered; /* ptr points into buf, not into the chunk */
	/* Known to hold no byte check_line_bytes() looks for (a CR but the
	   one of CRLF, a NUL, a byte >= 0x80); false: not known. */
	bool plain;
};

/* Words of 64 bytes in the fast path's window on the chunk. */
#define HDR_WIN_WORDS 8

/*
 * What the fast path knows of in[pos, pos + n), n <= 64 * HDR_WIN_WORDS
 * (0: nothing), in bit masks: bit j of word i stands for in[pos + 64 *
 * i + j]. An odd byte is one that check_line_bytes() looks for in its
 * line: a NUL, a byte >= 0x80, or a CR that is not the CR of a CRLF,
 * hence bare.
 */
struct hdr_window {
	size_t pos;
	size_t n;
	size_t clean; /* in[pos + clean] is its first odd byte, or clean = n */
	uint64_t lf[HDR_WIN_WORDS]; /* LF */
	uint64_t odd[HDR_WIN_WORDS];
};

enum hdr_line_kind {
	HDR_LINE_BLANK, /* the empty line ending the header section */
	HDR_LINE_CONT, /* starts with WSP: continues the field above */
	HDR_LINE_MBOX, /* "From " as the first line: an mbox separator */
	HDR_LINE_FIELD, /* the first line of a field */
};

struct inkan_hdr_parser {
	struct inkan_limits lim;
	unsigned flags;
	/*
	 * Kept by reset(); buf's storage too. Every member from state up to
	 * err_msg is per message and reset() zeroes it.
	 */
	struct inkan_buf buf;

	enum hdr_state state;

	/* The current chunk; in[in_pos] is the next byte not yet read. */
	const uint8_t *in;
	size_t in_len;
	size_t in_pos;
	uint64_t in_off; /* absolute offset of in[0] */
	bool in_active; /* fed and not yet consumed */
	bool last; /* the current chunk is the last one */

	/*
	 * buf holds the bytes from earlier chunks still needed: the current
	 * field so far (when fld_buffered), then part_len bytes of an
	 * incomplete line. At most hdr_field_max + hdr_line_max bytes.
	 */
	size_t part_len;
	bool buf_lent; /* a returned field points into buf: empty it next */

	/* The current field, once its first line is complete. */
	bool have_field;
	bool fld_buffered; /* in buf from 0; else in in[fld_start...] */
	size_t fld_start;
	size_t fld_len;
	size_t fld_name_len;
	size_t fld_colon; /* index of the colon in the field */
	size_t fld_eol; /* the line ending of its last line */
	uint64_t fld_off;
	unsigned fld_seen;

	struct inkan_hdr_stats stats;

	/* The fast path's window on the current chunk. */
	struct hdr_window win;

	enum inkan_status err;
	uint64_t err_off;
	/* Only read when state is HDR_ST_ERROR, and written then. */
	char err_msg[256];
};
/* reset() zeroes from state up to err_msg: buf before, err_msg after. */
_Static_assert(offsetof(struct inkan_hdr_parser, buf) <
	offsetof(struct inkan_hdr_parser, state),
    "buf is kept by reset()");
_Static_assert(offsetof(struct inkan_hdr_parser, state) <
	offsetof(struct inkan_hdr_parser, err_msg),
    "err_msg ends what reset() zeroes");

static int fail(struct inkan_hdr_parser *p, enum inkan_status st, uint64_t off,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Records a sticky error; returns -1 for the caller to pass on. */
static int
fail(struct inkan_hdr_parser *p, enum inkan_status st, uint64_t off,
    const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(p->err_msg, sizeof(p->err_msg), fmt, ap);
	va_end(ap);
	if (n < 0)
		p->err_msg[0] = '\0';
	p->err = st;
	p->err_off = off;
	p->state = HDR_ST_ERROR;
	p->in_active = false;
	return -1;
}

/* The absolute offset of the next byte to read. */
static uint64_t
read_offset(const struct inkan_hdr_parser *p)
{
	return p->in_off + p->in_pos;
}

static int
fail_buf(struct inkan_hdr_parser *p, enum inkan_status st)
{
	/* buf's maximum covers every limit checked before appending. */
	return fail(p, st, read_offset(p),
	    "cannot buffer the header field at offset %" PRIu64 ": %s",
	    p->fld_off, inkan_strerror(st));
}

static bool
is_wsp(uint8_t c)
{
	return inkan_cc_is(c, INKAN_CC_WSP);
}

/* How many bytes c are in [s, end). */
static uint64_t
count_byte(const uint8_t *s, const uint8_t *end, uint8_t c)
{
	uint64_t n = 0;

	while (s < end && (s = memchr(s, c, (size_t)(end - s))) != NULL) {
		n++;
		s++;
	}
	return n;
}

/* Whether any of the n bytes at s is >= 0x80, eight bytes at a time. */
static bool
has_8bit(const uint8_t *s, size_t n)
{
	uint64_t acc = 0, w;
	size_t i = 0;

	for (; n - i >= sizeof(w); i += sizeof(w)) {
		memcpy(&w, s + i, sizeof(w));
		acc |= w;
	}
	for (; i < n; i++)
		acc |= s[i];
	return (acc & UINT64_C(0x8080808080808080)) != 0;
}

/*
 * Whether any of the n bytes at s is one a line's checks look for: a CR, a
 * NUL or a byte >= 0x80. Almost every line has none, and one pass over it
 * then replaces the searches for each (SSE2, in every x86-64 CPU, takes 16
 * bytes at a time; elsewhere the searches run as before).
 */
static bool
has_odd_byte(const uint8_t *s, size_t n)
{
#ifdef __SSE2__
	const __m128i vcr = _mm_set1_epi8('\r'), vzero = _mm_setzero_si128();
	__m128i acc, w;
	size_t i;

	if (n < 16) {
		uint8_t cr = 0, nul = 0, hi = 0;

		/* No early exit: the loop's branch is the only one. */
		for (i = 0; i < n; i++) {
			cr |= (uint8_t)(s[i] == '\r');
			nul |= (uint8_t)(s[i] == '\0');
			hi |= s[i];
		}
		return (cr | nul | (hi & 0x80)) != 0;
	}
	/* The last 16 bytes, which may overlap the others, then the rest;
	 * the sign bit of each byte marks the bytes >= 0x80. */
	w = _mm_loadu_si128((const __m128i *)(const void *)(s + n - 16));
	acc = _mm_or_si128(
	    w, _mm_or_si128(_mm_cmpeq_epi8(w, vcr), _mm_cmpeq_epi8(w, vzero)));
	for (i = 0; i + 16 < n; i += 16) {
		w = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
		acc = _mm_or_si128(acc,
		    _mm_or_si128(w,
			_mm_or_si128(
			    _mm_cmpeq_epi8(w, vcr), _mm_cmpeq_epi8(w, vzero))));
	}
	return _mm_movemask_epi8(acc) != 0;
#else
	return memchr(s, '\r', n) != NULL || memchr(s, '\0', n) != NULL ||
	    has_8bit(s, n);
#endif
}

enum inkan_status
inkan_hdr_parser_new(const struct inkan_limits *lim, unsigned flags,
    struct inkan_hdr_parser **p_r)
{
	struct inkan_hdr_parser *p;
	size_t max;

	if (p_r == NULL)
		return INKAN_ERR_INVAL;
	*p_r = NULL;
	if (lim == NULL)
		lim = inkan_limits_defaults();
	if ((flags & ~(unsigned)HDR_KNOWN_FLAGS) != 0 ||
	    lim->hdr_line_max == 0 || lim->hdr_field_max == 0 ||
	    lim->hdr_fields_max == 0 || lim->hdr_section_max == 0)
		return INKAN_ERR_INVAL;
	/* A field so far plus one incomplete line: see struct comment. */
	if (!inkan_size_add(lim->hdr_field_max, lim->hdr_line_max, &max))
		return INKAN_ERR_INVAL;
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return INKAN_ERR_NOMEM;
	p->lim = *lim;
	p->flags = flags;
	inkan_buf_init(&p->buf, max);
	*p_r = p;
	return INKAN_OK;
}

void
inkan_hdr_parser_free(struct inkan_hdr_parser **pp)
{
	struct inkan_hdr_parser *p = *pp;

	if (p == NULL)
		return;
	inkan_buf_clear(&p->buf);
	free(p);
	*pp = NULL;
}

void
inkan_hdr_parser_reset(struct inkan_hdr_parser *p)
{
	/* The per-message members, as calloc() left them in new(). */
	memset(&p->state, 0,
	    offsetof(struct inkan_hdr_parser, err_msg) -
		offsetof(struct inkan_hdr_parser, state));
	inkan_buf_reset(&p->buf);
}

enum inkan_status
inkan_hdr_parser_feed(
    struct inkan_hdr_parser *p, const void *data, size_t len, bool last)
{
	static const uint8_t empty[1];
	uint64_t off = read_offset(p);

	/* Each misuse is an error of its own, sticky like any other. */
	if (p->state == HDR_ST_END)
		fail(p, INKAN_ERR_STATE, off,
		    "inkan_hdr_parser_feed() called after the end of the "
		    "header section");
	else if (p->state == HDR_ST_RUN && p->in_active)
		fail(p, INKAN_ERR_STATE, off,
		    "inkan_hdr_parser_feed() called before "
		    "inkan_hdr_parser_next() returned 0 for the chunk at "
		    "offset %" PRIu64,
		    p->in_off);
	else if (p->state == HDR_ST_RUN && p->last)
		fail(p, INKAN_ERR_STATE, off,
		    "inkan_hdr_parser_feed() called after the last chunk");
	else if (p->state == HDR_ST_RUN && data == NULL && len > 0)
		fail(p, INKAN_ERR_INVAL, off,
		    "inkan_hdr_parser_feed() given NULL with length %zu", len);
	if (p->state == HDR_ST_ERROR)
		return p->err;
	p->in_off += p->in_len;
	p->in = data != NULL ? data : empty;
	p->in_len = len;
	p->in_pos = 0;
	p->in_active = true;
	p->last = last;
	p->win.n = 0;
	return INKAN_OK;
}

/* Copies the current field, so far wholly in the chunk, into buf. */
static int
save_field(struct inkan_hdr_parser *p)
{
	enum inkan_status st;

	assert(p->buf.len == 0 && p->part_len == 0);
	st = inkan_buf_append(&p->buf, p->in + p->fld_start, p->fld_len);
	if (st != INKAN_OK)
		return fail_buf(p, st);
	p->fld_buffered = true;
	return 0;
}

/*
 * The first LF in s[0..n), or NULL, as memchr() finds it; *plain_r says
 * whether the bytes before it are known to hold none of the bytes
 * check_line_bytes() looks for (the CR just before the LF is the line
 * ending, not one of them). One SSE2 pass does both for the whole blocks
 * of 16; a line that ends in the last bytes of a chunk is left to
 * memchr() and its bytes to check_line_bytes().
 */
static const uint8_t *
find_lf(const uint8_t *s, size_t n, bool *plain_r)
{
	size_t i = 0;

	*plain_r = false;
#ifdef __SSE2__
	const __m128i vlf = _mm_set1_epi8('\n'), vcr = _mm_set1_epi8('\r'),
		      vzero = _mm_setzero_si128();
	unsigned before = 0, prev = 0; /* odd bytes: older blocks, last */

	for (; i + 16 <= n; i += 16) {
		__m128i w =
		    _mm_loadu_si128((const __m128i *)(const void *)(s + i));
		unsigned lfm =
		    (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(w, vlf));
		/* CR, NUL, and (the sign bit of w) bytes >= 0x80. */
		unsigned odd = (unsigned)_mm_movemask_epi8(_mm_or_si128(w,
		    _mm_or_si128(
			_mm_cmpeq_epi8(w, vcr), _mm_cmpeq_epi8(w, vzero))));

		if (lfm != 0) {
			unsigned k = (unsigned)__builtin_ctz(lfm);

			odd &= (1u << k) - 1;
			if (k > 0 && s[i + k - 1] == '\r')
				odd &= ~(1u << (k - 1));
			else if (k == 0 && i > 0 && s[i - 1] == '\r')
				prev &= ~0x8000u;
			*plain_r = (before | prev | odd) == 0;
			return s + i + k;
		}
		before |= prev;
		prev = odd;
	}
#endif
	return i < n ? memchr(s + i, '\n', n - i) : NULL;
}

/*
 * Takes the next complete line into *ln: from the chunk in place, or from
 * buf when it began in an earlier chunk. Returns 1 with a line; 0 when the
 * chunk ended inside the line (kept in buf, and the chunk consumed); -1
 * when the line is longer than hdr_line_max.
 */
static int
take_line(struct inkan_hdr_parser *p, struct hdr_line *ln)
{
	const uint8_t *s = p->in + p->in_pos, *lf = NULL;
	size_t avail = p->in_len - p->in_pos;
	size_t room = p->lim.hdr_line_max - p->part_len;
	size_t win = avail < room ? avail : room;
	size_t n;
	enum inkan_status st;
	bool plain = false;

	ln->off = read_offset(p) - p->part_len;
	ln->plain = false;
	if (win > 0)
		lf = find_lf(s, win, &plain);
	if (lf == NULL && win < avail)
		return fail(p, INKAN_ERR_LIMIT, ln->off,
		    "line at offset %" PRIu64 " is longer than hdr_line_max "
		    "(%zu bytes)",
		    ln->off, p->lim.hdr_line_max);
	if (lf == NULL) {
		/* The chunk ends inside the line: keep what we have. */
		if (p->have_field && !p->fld_buffered && save_field(p) < 0)
			return -1;
		if (avail > 0 &&
		    (st = inkan_buf_append(&p->buf, s, avail)) != INKAN_OK)
			return fail_buf(p, st);
		p->part_len += avail;
		p->in_pos = p->in_len;
		if (!p->last) {
			p->in_active = false;
			return 0;
		}
		/* The input ends: the line ends without a line ending. */
		ln->len = p->part_len;
		ln->ptr = p->buf.data + p->buf.len - ln->len;
		ln->eol = 0;
		ln->buffered = true;
		p->part_len = 0;
		return 1;
	}
	n = (size_t)(lf - s) + 1;
	if (p->part_len == 0) {
		ln->ptr = s;
		ln->len = n;
		ln->buffered = false;
		ln->plain = plain;
	} else {
		if ((st = inkan_buf_append(&p->buf, s, n)) != INKAN_OK)
			return fail_buf(p, st);
		ln->len = p->part_len + n;
		ln->ptr = p->buf.data + p->buf.len - ln->len;
		ln->buffered = true;
		p->part_len = 0;
	}
	p->in_pos += n;
	ln->eol = ln->len >= 2 && ln->ptr[ln->len - 2] == '\r' ? 2 : 1;
	return 1;
}

/*
 * Checks the bytes of a line (bare CR, NUL, 8-bit, its line ending) and
 * records what it saw in the stats and in *seen_r. Returns 0, or -1 for a
 * byte the flags do not allow.
 */
static int
check_line_bytes(
    struct inkan_hdr_parser *p, const struct hdr_line *ln, unsigned *seen_r)
{
	const uint8_t *s = ln->ptr, *end = ln->ptr + (ln->len - ln->eol);
	const uint8_t *cr = NULL, *nul = NULL, *bad = NULL;
	size_t n = (size_t)(end - s);
	unsigned seen = 0;
	uint64_t off;

	/* Most lines hold none of the bytes looked for here. */
	if (n > 0 && !ln->plain && has_odd_byte(s, n)) {
		/* Inside a line (the CR of a CRLF is not in [s, end)),
		 * every CR is bare. */
		if ((cr = memchr(s, '\r', n)) != NULL) {
			seen |= INKAN_HDR_SEEN_BARE_CR;
			p->stats.bare_cr += count_byte(cr, end, '\r');
			if (!(p->flags & INKAN_HDR_ALLOW_BARE_CR))
				bad = cr;
		}
		if ((nul = memchr(s, '\0', n)) != NULL) {
			seen |= INKAN_HDR_SEEN_NUL;
			p->stats.nul += count_byte(nul, end, '\0');
			if (!(p->flags & INKAN_HDR_ALLOW_NUL) &&
			    (bad == NULL || nul < bad))
				bad = nul;
		}
		if (has_8bit(s, n))
			seen |= INKAN_HDR_SEEN_8BIT;
	}
	switch (ln->eol) {
	case 0:
		seen |= INKAN_HDR_SEEN_NO_EOL;
		break;
	case 1:
		seen |= INKAN_HDR_SEEN_BARE_LF;
		p->stats.lf_lines++;
		break;
	default:
		seen |= INKAN_HDR_SEEN_CRLF;
		p->stats.crlf_lines++;
		break;
	}
	p->stats.seen |= seen;
	*seen_r = seen;

	if (bad != NULL) {
		off = ln->off + (size_t)(bad - s);
		if (*bad == '\r')
			return fail(p, INKAN_ERR_SYNTAX, off,
			    "bare CR at offset %" PRIu64 ": a CR not followed "
			    "by LF (RFC 5322 2.2; INKAN_HDR_ALLOW_BARE_CR "
			    "accepts it)",
			    off);
		return fail(p, INKAN_ERR_SYNTAX, off,
		    "NUL byte at offset %" PRIu64 " (RFC 5322 3.5; "
		    "INKAN_HDR_ALLOW_NUL accepts it)",
		    off);
	}
	if (ln->eol == 1 && !(p->flags & INKAN_HDR_ALLOW_LF)) {
		off = ln->off + ln->len - 1;
		return fail(p, INKAN_ERR_SYNTAX, off,
		    "bare LF at offset %" PRIu64 ": a line ends in LF without "
		    "CR (RFC 5322 2.1 needs CRLF; INKAN_HDR_ALLOW_LF accepts "
		    "it)",
		    off);
	}
	return 0;
}

/*
 * Whether the n bytes at s are an mbox separator, "From " and no colon
 * after the word: "From : x" is a From field with WSP before the colon
 * (RFC 5322 4.5.8).
 */
static bool
is_mbox_from(const uint8_t *s, size_t n)
{
	size_t i = 4;

	if (n < 5 || memcmp(s, "From ", 5) != 0)
		return false;
	while (i < n && is_wsp(s[i]))
		i++;
	return i == n || s[i] != ':';
}

static enum hdr_line_kind
classify(const struct inkan_hdr_parser *p, const struct hdr_line *ln)
{
	size_t n = ln->len - ln->eol;

	/* RFC 5322 2.1: the header section ends at the first empty line. */
	if (n == 0)
		return HDR_LINE_BLANK;
	if (is_wsp(ln->ptr[0]))
		return HDR_LINE_CONT;
	if (p->stats.lines == 0 && is_mbox_from(ln->ptr, n))
		return HDR_LINE_MBOX;
	return HDR_LINE_FIELD;
}

/* Checks the limits a line of this kind is subject to. */
static int
check_limits(struct inkan_hdr_parser *p, const struct hdr_line *ln,
    enum hdr_line_kind kind)
{
	const struct inkan_limits *lim = &p->lim;

	if (ln->off + ln->len > (uint64_t)lim->hdr_section_max)
		return fail(p, INKAN_ERR_LIMIT, ln->off,
		    "the line at offset %" PRIu64 " makes the header section "
		    "longer than hdr_section_max (%zu bytes)",
		    ln->off, lim->hdr_section_max);
	switch (kind) {
	case HDR_LINE_CONT:
		if (!p->have_field)
			break;
		/* fld_len <= hdr_field_max, so no overflow. */
		if (ln->len > lim->hdr_field_max - p->fld_len)
			return fail(p, INKAN_ERR_LIMIT, p->fld_off,
			    "the field at offset %" PRIu64 " is longer than "
			    "hdr_field_max (%zu bytes)",
			    p->fld_off, lim->hdr_field_max);
		break;
	case HDR_LINE_FIELD:
		if (ln->len > lim->hdr_field_max)
			return fail(p, INKAN_ERR_LIMIT, ln->off,
			    "the field at offset %" PRIu64 " is longer than "
			    "hdr_field_max (%zu bytes)",
			    ln->off, lim->hdr_field_max);
		if (p->stats.fields >= lim->hdr_fields_max)
			return fail(p, INKAN_ERR_LIMIT, ln->off,
			    "the field at offset %" PRIu64 " is one more than "
			    "hdr_fields_max (%zu fields)",
			    ln->off, lim->hdr_fields_max);
		break;
	case HDR_LINE_BLANK:
	case HDR_LINE_MBOX:
		break;
	}
	return 0;
}

/* What scan_name() found in a field's first line. */
enum hdr_name_verdict {
	HDR_NAME_OK,
	HDR_NAME_NO_COLON,
	HDR_NAME_EMPTY,
	HDR_NAME_BAD_BYTE, /* at index end */
};

struct hdr_name {
	size_t colon; /* index of the colon */
	size_t end; /* the name is s[0..end); or the byte that is not ftext */
};

/*
 * The name, optional WSP and colon of a field's first line, whose n bytes
 * before its line ending are at s (RFC 5322 2.2); avail >= n bytes at s
 * may be read. Both paths use it, and it only reads. Inlined: a call
 * would cost the fast path a tenth of a field's instructions.
 */
__attribute__((always_inline)) static inline enum hdr_name_verdict
scan_name(const uint8_t *s, size_t n, size_t avail, struct hdr_name *nm)
{
	const uint8_t *colon;
	uint64_t colons = 0, notftext = 0, bad;
	size_t seen = 0, ne, i;

#ifdef __SSE2__
	/*
	 * Names are short: loads of 16, up to 64 bytes while the colon is
	 * not found, mark the colons and the bytes that are not ftext (any
	 * below '!' or >= 0x80, which are below '!' as signed bytes, and
	 * DEL; ':' is found apart). Bytes past the line do not count.
	 */
	if (avail >= 16) {
		const __m128i w =
		    _mm_loadu_si128((const __m128i *)(const void *)s);

		colons = (unsigned)_mm_movemask_epi8(
		    _mm_cmpeq_epi8(w, _mm_set1_epi8(':')));
		notftext = (unsigned)_mm_movemask_epi8(
		    _mm_or_si128(_mm_cmplt_epi8(w, _mm_set1_epi8('!')),
			_mm_cmpeq_epi8(w, _mm_set1_epi8(0x7f))));
		seen = 16;
	}
	while (colons == 0 && seen > 0 && seen < 64 && avail - seen >= 16) {
		const __m128i w =
		    _mm_loadu_si128((const __m128i *)(const void *)(s + seen));

		colons |= (uint64_t)(unsigned)_mm_movemask_epi8(
			      _mm_cmpeq_epi8(w, _mm_set1_epi8(':')))
		    << seen;
		notftext |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_or_si128(
				_mm_cmplt_epi8(w, _mm_set1_epi8('!')),
				_mm_cmpeq_epi8(w, _mm_set1_epi8(0x7f))))
		    << seen;
		seen += 16;
	}
	if (seen > n) {
		colons &= (UINT64_C(1) << n) - 1;
		seen = n;
	}
#else
	(void)avail;
#endif
	if (colons != 0)
		nm->colon = (size_t)__builtin_ctzll(colons);
	else if (seen < n && (colon = memchr(s + seen, ':', n - seen)) != NULL)
		nm->colon = (size_t)(colon - s);
	else
		return HDR_NAME_NO_COLON;
	/* RFC 5322 4.5.8: obs-optional allows WSP before the colon. */
	for (ne = nm->colon; ne > 0 && is_wsp(s[ne - 1]); ne--)
		;
	if (ne == 0)
		return HDR_NAME_EMPTY;
	/* RFC 5322 3.6.8: field-name = 1*ftext, printable ASCII but ':'. */
	i = ne < seen ? ne : seen;
	bad = notftext & (i < 64 ? (UINT64_C(1) << i) - 1 : ~UINT64_C(0));
	if (bad != 0) {
		nm->end = (size_t)__builtin_ctzll(bad);
		return HDR_NAME_BAD_BYTE;
	}
	for (; i < ne; i++) {
		if (!inkan_cc_is(s[i], INKAN_CC_FTEXT)) {
			nm->end = i;
			return HDR_NAME_BAD_BYTE;
		}
	}
	nm->end = ne;
	return HDR_NAME_OK;
}

/* The first line of a field: name, optional WSP, colon (RFC 5322 2.2). */
static int
start_field(
    struct inkan_hdr_parser *p, const struct hdr_line *ln, unsigned seen)
{
	struct hdr_name nm;
	uint64_t off;

	switch (scan_name(ln->ptr, ln->len - ln->eol, ln->len, &nm)) {
	case HDR_NAME_OK:
		break;
	case HDR_NAME_NO_COLON:
		return fail(p, INKAN_ERR_SYNTAX, ln->off,
		    "the line at offset %" PRIu64 " is not a header field: it "
		    "has no colon (RFC 5322 2.2)",
		    ln->off);
	case HDR_NAME_EMPTY:
		return fail(p, INKAN_ERR_SYNTAX, ln->off,
		    "the field at offset %" PRIu64 " has an empty name "
		    "(RFC 5322 3.6.8)",
		    ln->off);
	case HDR_NAME_BAD_BYTE:
		off = ln->off + nm.end;
		return fail(p, INKAN_ERR_SYNTAX, off,
		    "byte 0x%02x at offset %" PRIu64 " is not allowed "
		    "in a field name (RFC 5322 3.6.8 ftext)",
		    ln->ptr[nm.end], off);
	}
	if (nm.end < nm.colon) {
		seen |= INKAN_HDR_SEEN_WSP_BEFORE_COLON;
		p->stats.seen |= INKAN_HDR_SEEN_WSP_BEFORE_COLON;
	}
	p->have_field = true;
	p->fld_buffered = ln->buffered;
	p->fld_start = ln->buffered ? 0 : (size_t)(ln->ptr - p->in);
	p->fld_len = ln->len;
	p->fld_name_len = nm.end;
	p->fld_colon = nm.colon;
	p->fld_eol = ln->eol;
	p->fld_off = ln->off;
	p->fld_seen = seen;
	p->stats.fields++;
	return 0;
}

/* A continuation line of the current field (RFC 5322 2.2.3). */
static int
continue_field(
    struct inkan_hdr_parser *p, const struct hdr_line *ln, unsigned seen)
{
	enum inkan_status st;

	if (!p->have_field)
		return fail(p, INKAN_ERR_SYNTAX, ln->off,
		    "the line at offset %" PRIu64 " starts with whitespace "
		    "but there is no field before it to continue "
		    "(RFC 5322 2.2.3)",
		    ln->off);
	if (p->fld_buffered && !ln->buffered &&
	    (st = inkan_buf_append(&p->buf, ln->ptr, ln->len)) != INKAN_OK)
		return fail_buf(p, st);
	/* In the chunk, the line follows the field's bytes directly. */
	assert(p->fld_buffered ||
	    (!ln->buffered && ln->ptr == p->in + p->fld_start + p->fld_len));
	p->fld_len += ln->len;
	p->fld_eol = ln->eol;
	p->fld_seen |= seen | INKAN_HDR_SEEN_FOLDED;
	p->stats.seen |= INKAN_HDR_SEEN_FOLDED;
	return 0;
}

static int
emit_field(struct inkan_hdr_parser *p, struct inkan_hdr_event *ev)
{
	const uint8_t *base;
	struct inkan_hdr_field *f = &ev->field;

	base = p->fld_buffered ? p->buf.data : p->in + p->fld_start;
	ev->type = INKAN_HDR_EV_FIELD;
	f->raw = view_of(base, p->fld_len);
	f->name = view_of(base, p->fld_name_len);
	f->value = view_of(base + p->fld_colon + 1,
	    p->fld_len - p->fld_eol - p->fld_colon - 1);
	f->offset = p->fld_off;
	f->flags = p->fld_seen;
	if (p->fld_buffered)
		p->buf_lent = true;
	p->have_field = false;
	return 1;
}

static int
end_headers(
    struct inkan_hdr_parser *p, size_t blank_len, struct inkan_hdr_event *ev)
{
	ev->type = INKAN_HDR_EV_END;
	ev->end.has_body = blank_len > 0;
	ev->end.blank_len = blank_len;
	ev->end.body_offset = read_offset(p);
	ev->end.body = view_of(p->in + p->in_pos, p->in_len - p->in_pos);
	p->in_pos = p->in_len;
	p->in_active = false;
	p->state = HDR_ST_END;
	return 1;
}

/* Returns 1 with END for the blank line, 0 to go on, -1 on an error. */
static int
process_line(struct inkan_hdr_parser *p, const struct hdr_line *ln,
    struct inkan_hdr_event *ev)
{
	enum hdr_line_kind kind = classify(p, ln);
	unsigned seen;

	if (check_limits(p, ln, kind) < 0 || check_line_bytes(p, ln, &seen) < 0)
		return -1;
	p->stats.lines++;
	switch (kind) {
	case HDR_LINE_BLANK:
		return end_headers(p, ln->eol, ev);
	case HDR_LINE_MBOX:
		if (!(p->flags & INKAN_HDR_SKIP_MBOX_FROM))
			return fail(p, INKAN_ERR_SYNTAX, ln->off,
			    "the first line is an mbox \"From \" separator, "
			    "not a header field (INKAN_HDR_SKIP_MBOX_FROM "
			    "skips it)");
		p->stats.seen |= INKAN_HDR_SEEN_MBOX_FROM;
		p->stats.header_offset = ln->off + ln->len;
		if (ln->buffered)
			inkan_buf_reset(&p->buf);
		return 0;
	case HDR_LINE_CONT:
		return continue_field(p, ln, seen);
	case HDR_LINE_FIELD:
		return start_field(p, ln, seen);
	}
	return fail(p, INKAN_ERR_INTERNAL, ln->off, "unknown line kind");
}

/* ---- the general path ---------------------------------------------- */

/* The chunk is consumed, and the next byte would start a line. */
static int
chunk_end(struct inkan_hdr_parser *p, struct inkan_hdr_event *ev)
{
	if (p->last) {
		if (p->have_field)
			return emit_field(p, ev);
		return end_headers(p, 0, ev);
	}
	if (p->have_field && !p->fld_buffered && save_field(p) < 0)
		return -1;
	p->in_active = false;
	return 0;
}

/*
 * next() for every case: the one the fast path leaves. Kept out of line
 * so that the fast path's calls do not pay for its frame.
 */
__attribute__((noinline)) static int
next_general(struct inkan_hdr_parser *p, struct inkan_hdr_event *ev_r)
{
	struct hdr_line ln = { NULL, 0, 0, 0, false, false };
	int r;

	memset(ev_r, 0, sizeof(*ev_r));
	switch (p->state) {
	case HDR_ST_RUN:
		break;
	case HDR_ST_END:
		return fail(p, INKAN_ERR_STATE, read_offset(p),
		    "inkan_hdr_parser_next() called after the end of the "
		    "header section");
	case HDR_ST_ERROR:
		return -1;
	}
	if (p->buf_lent) {
		inkan_buf_reset(&p->buf);
		p->buf_lent = false;
	}
	if (!p->in_active)
		return 0;
	for (;;) {
		if (p->part_len == 0) {
			if (p->in_pos == p->in_len)
				return chunk_end(p, ev_r);
			if (p->have_field && !is_wsp(p->in[p->in_pos]))
				return emit_field(p, ev_r);
		}
		if ((r = take_line(p, &ln)) <= 0)
			return r;
		if ((r = process_line(p, &ln, ev_r)) != 0)
			return r;
	}
}

/* ---- the fast path ------------------------------------------------- */

/* LF and odd bytes (see struct hdr_window) of 64 bytes, bit i for byte i. */
struct hdr_masks {
	uint64_t lf;
	uint64_t odd;
};

/*
 * The masks from those of LF, CR and bad bytes (NUL, >= 0x80): a CR is
 * bare unless an LF follows it, which the bit above it in lf says, or for
 * bit 63 lf_next, whether the byte after the 64 is an LF.
 */
static inline struct hdr_masks
masks_of(uint64_t lf, uint64_t cr, uint64_t bad, bool lf_next)
{
	uint64_t crlf_cr = (lf >> 1) | ((uint64_t)lf_next << 63);

	return (struct hdr_masks){ lf, bad | (cr & ~crlf_cr) };
}

/*
 * The masks of the 64 bytes at s; lf_next: the byte after them is an LF.
 * SSE2, in every x86-64 CPU, takes 16 bytes at a time; movemask takes
 * the top bit of each byte: of a comparison's 0xff or 0x00, and of the
 * bytes themselves for those >= 0x80.
 */
static inline struct hdr_masks
classify64(const uint8_t *s, bool lf_next)
{
	uint64_t lf = 0, cr = 0, bad = 0;
	unsigned i;

#ifdef __SSE2__
	const __m128i vlf = _mm_set1_epi8('\n'), vcr = _mm_set1_epi8('\r'),
		      vzero = _mm_setzero_si128();

	for (i = 0; i < 64; i += 16) {
		__m128i w =
		    _mm_loadu_si128((const __m128i *)(const void *)(s + i));

		lf |= (uint64_t)(unsigned)_mm_movemask_epi8(
			  _mm_cmpeq_epi8(w, vlf))
		    << i;
		cr |= (uint64_t)(unsigned)_mm_movemask_epi8(
			  _mm_cmpeq_epi8(w, vcr))
		    << i;
		bad |= (uint64_t)(unsigned)_mm_movemask_epi8(
			   _mm_or_si128(w, _mm_cmpeq_epi8(w, vzero)))
		    << i;
	}
#else
	for (i = 0; i < 64; i++) {
		lf |= (uint64_t)(s[i] == '\n') << i;
		cr |= (uint64_t)(s[i] == '\r') << i;
		bad |= (uint64_t)(s[i] == '\0' || s[i] >= 0x80) << i;
	}
#endif
	return masks_of(lf, cr, bad, lf_next);
}

#ifdef HDR_AVX2
/*
 * The masks of 32 bytes at s, for CPUs with AVX2; s[32] is read. A second
 * load, one byte further on, says which CRs an LF follows. movemask takes
 * the top bit of each byte: of a comparison's 0xff or 0x00, and of the
 * bytes themselves for those >= 0x80.
 */
__attribute__((target("avx2"))) static inline void
classify32_avx2(const uint8_t *s, uint32_t *lf_r, uint32_t *odd_r)
{
	const __m256i w = _mm256_loadu_si256((const __m256i *)(const void *)s);
	const __m256i next =
	    _mm256_loadu_si256((const __m256i *)(const void *)(s + 1));
	const __m256i vlf = _mm256_set1_epi8('\n');
	const __m256i bare_cr =
	    _mm256_andnot_si256(_mm256_cmpeq_epi8(next, vlf),
		_mm256_cmpeq_epi8(w, _mm256_set1_epi8('\r')));
	const __m256i nul = _mm256_cmpeq_epi8(w, _mm256_setzero_si256());

	*lf_r = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(w, vlf));
	*odd_r = (uint32_t)_mm256_movemask_epi8(
	    _mm256_or_si256(_mm256_or_si256(w, nul), bare_cr));
}

/* classify_words() on CPUs with AVX2 (it asks). */
__attribute__((target("avx2"))) static void
classify_words_avx2(const uint8_t *s, size_t nw, struct hdr_window *w)
{
	uint32_t lf0, odd0, lf1, odd1;
	size_t i;

	for (i = 0; i < nw; i++, s += 64) {
		classify32_avx2(s, &lf0, &odd0);
		classify32_avx2(s + 32, &lf1, &odd1);
		w->lf[i] = lf0 | (uint64_t)lf1 << 32;
		w->odd[i] = odd0 | (uint64_t)odd1 << 32;
	}
}
#endif

/* The masks of nw words at s into w's first words; s[64 * nw] is read. */
static void
classify_words(const uint8_t *s, size_t nw, struct hdr_window *w)
{
	struct hdr_masks m;
	size_t i;

#ifdef HDR_AVX2
	if (__builtin_cpu_supports("avx2")) {
		classify_words_avx2(s, nw, w);
		return;
	}
#endif
	for (i = 0; i < nw; i++, s += 64) {
		m = classify64(s, s[64] == '\n');
		w->lf[i] = m.lf;
		w->odd[i] = m.odd;
	}
}

/* The n bits from bit 0, n <= 64. */
static inline uint64_t
low_bits(size_t n)
{
	return n < 64 ? (UINT64_C(1) << n) - 1 : ~UINT64_C(0);
}

/*
 * The window of the chunk that starts at in[at], at < in_len: up to
 * HDR_WIN_WORDS words, all of them whole but the one that ends the chunk.
 */
static void
load_window(struct inkan_hdr_parser *p, size_t at)
{
	struct hdr_window *w = &p->win;
	const uint8_t *s = p->in + at;
	size_t avail = p->in_len - at, nw = (avail - 1) / 64, tail, i;
	uint8_t tmp[64] = { 0 };
	struct hdr_masks m;

	/* The whole words, with the byte after each in the chunk. */
	if (nw > HDR_WIN_WORDS)
		nw = HDR_WIN_WORDS;
	classify_words(s, nw, w);
	w->pos = at;
	w->n = nw * 64;
	if (nw < HDR_WIN_WORDS) {
		/*
		 * The chunk's last bytes, from a copy; the bits of the zeros
		 * after them are cleared. A CR in the chunk's last byte counts
		 * as bare: its line is left to the general path, which waits
		 * for the next byte.
		 */
		tail = avail - w->n;
		memcpy(tmp, s + w->n, tail);
		m = classify64(tmp, false);
		w->lf[nw] = m.lf & low_bits(tail);
		w->odd[nw] = m.odd & low_bits(tail);
		w->n += tail;
	}
	/* Most headers have no odd byte: the first, if any, says where. */
	for (i = 0; i * 64 < w->n && w->odd[i] == 0; i++)
		;
	w->clean =
	    i * 64 < w->n ? i * 64 + (size_t)__builtin_ctzll(w->odd[i]) : w->n;
}

/* Whether the window's bytes [a, b), a <= b <= n, hold an odd one. */
static inline uint64_t
odd_between(const struct hdr_window *w, size_t a, size_t b)
{
	size_t i = a / 64, last;
	uint64_t acc;

	if (a == b || b <= w->clean)
		return 0;
	last = (b - 1) / 64;
	acc = w->odd[i] >> (a % 64);
	if (i == last)
		return acc & low_bits(b - a);
	while (++i < last)
		acc |= w->odd[i];
	return acc | (w->odd[last] & low_bits(b - last * 64));
}

/* Where the lines of a field lie, as the fast path found them. */
struct hdr_span {
	size_t end; /* just after the last line's LF */
	size_t name_line; /* the first line's bytes before its line ending */
	size_t nlines;
	size_t ncrlf; /* lines that end in CRLF */
	size_t last_eol; /* the last line's ending: 2 (CRLF) or 1 (LF) */
	unsigned seen; /* INKAN_HDR_SEEN_CRLF, INKAN_HDR_SEEN_BARE_LF */
};

/*
 * The lines of the field at in[start], start in the window, into *sp:
 * from LF to LF over the window's words, and on to the next window.
 * Returns false when the field or the first byte after it is not in the
 * chunk, or it holds an odd byte.
 */
static inline bool
walk_field(struct inkan_hdr_parser *p, size_t start, struct hdr_span *sp)
{
	const struct hdr_window *w = &p->win;
	const uint8_t *in = p->in;
	size_t from = start - w->pos, i = from / 64, lf, end, cr;
	size_t nlines = 0, ncrlf = 0, name_line = 0;
	uint64_t bits, odd = 0;
	unsigned seen = 0;

	/* The LFs of the word from the field's first byte on. */
	bits = w->lf[i] & ~low_bits(from % 64);
	for (;;) {
		while (bits == 0) {
			if (++i * 64 < w->n) {
				bits = w->lf[i];
				continue;
			}
			/* Past the window: keep the field's odd bytes in it,
			 * and go on in the next, if the chunk goes on. */
			odd |= odd_between(w, from, w->n);
			if (w->pos + w->n >= p->in_len)
				return false;
			load_window(p, w->pos + w->n);
			from = i = 0;
			bits = w->lf[0];
		}
		/* lf > the line's first byte, which is WSP or a name's. */
		lf = i * 64 + (size_t)__builtin_ctzll(bits);
		bits &= bits - 1;
		cr = in[w->pos + lf - 1] == '\r';
		ncrlf += cr;
		/* INKAN_HDR_SEEN_CRLF is 1, INKAN_HDR_SEEN_BARE_LF 2. */
		_Static_assert(
		    INKAN_HDR_SEEN_CRLF == 1 && INKAN_HDR_SEEN_BARE_LF == 2,
		    "seen |= 2u >> cr");
		seen |= 2u >> cr;
		if (nlines++ == 0)
			name_line = w->pos + lf - cr - start;
		end = w->pos + lf + 1;
		if (end >= p->in_len)
			return false;
		/* RFC 5322 2.2.3: a line that starts with WSP continues it. */
		if (!is_wsp(in[end]))
			break;
	}
	/* The odd bytes of the field: the LF at its end is not one. */
	odd |= odd_between(w, from, lf);
	sp->end = end;
	sp->name_line = name_line;
	sp->nlines = nlines;
	sp->ncrlf = ncrlf;
	sp->last_eol = 1 + cr;
	sp->seen = seen;
	return odd == 0;
}

/* Whether every line of the field s[0..n) has at most max bytes. */
static bool
lines_fit(const uint8_t *s, size_t n, size_t max)
{
	const uint8_t *end = s + n, *lf;

	for (; s < end; s = lf + 1) {
		lf = memchr(s, '\n', (size_t)(end - s));
		if (lf == NULL || (size_t)(lf - s) >= max)
			return false;
	}
	return true;
}

/*
 * The blank line at in_pos, when it lies in the chunk and the general
 * path would take it without an error: then the END event.
 */
static int
fast_end(struct inkan_hdr_parser *p, struct inkan_hdr_event *ev)
{
	const uint8_t *s = p->in + p->in_pos;
	size_t avail = p->in_len - p->in_pos, eol;

	if (s[0] == '\n' && (p->flags & INKAN_HDR_ALLOW_LF))
		eol = 1;
	else if (s[0] == '\r' && avail >= 2 && s[1] == '\n')
		eol = 2;
	else
		return 0;
	if (eol > p->lim.hdr_line_max ||
	    read_offset(p) + eol > (uint64_t)p->lim.hdr_section_max)
		return 0;
	p->stats.seen |=
	    eol == 2 ? INKAN_HDR_SEEN_CRLF : INKAN_HDR_SEEN_BARE_LF;
	if (eol == 2)
		p->stats.crlf_lines++;
	else
		p->stats.lf_lines++;
	p->stats.lines++;
	p->in_pos += eol;
	memset(&ev->field, 0, sizeof(ev->field));
	return end_headers(p, eol, ev);
}

/*
 * The common case of a field wholly in the chunk, taken from the window's
 * masks instead of line by line.
 *
 * It is tried when next() would start a field at in_pos, and succeeds
 * only when the general path would return the same field: the field's
 * lines and the first byte after them are in the chunk; no line holds an
 * odd byte or a line ending the flags forbid, or is longer than
 * hdr_line_max; the first line is not an mbox line and has a valid name;
 * and no limit is reached. The general path checks these in order per
 * line and stops at the first failure, but each holds for every line or
 * not, so checking them for the field as a whole gives the same answer.
 * Then the field, the stats and in_pos are what the general path would
 * leave (with fld_off, which its messages name); otherwise it changes
 * nothing but the window it keeps and returns 0, and the general path
 * takes the same bytes from the same state.
 */
static int
fast_field(struct inkan_hdr_parser *p, struct inkan_hdr_event *ev)
{
	const struct inkan_limits *lim = &p->lim;
	const uint8_t *in = p->in;
	size_t start = p->in_pos, len, eol;
	struct hdr_span sp;
	struct hdr_name nm;
	unsigned seen;

	if (start - p->win.pos >= p->win.n)
		load_window(p, start);
	if (!walk_field(p, start, &sp))
		return 0;
	len = sp.end - start;
	if (((sp.seen & INKAN_HDR_SEEN_BARE_LF) &&
		!(p->flags & INKAN_HDR_ALLOW_LF)) ||
	    p->in_off + sp.end > (uint64_t)lim->hdr_section_max ||
	    len > lim->hdr_field_max ||
	    p->stats.fields >= lim->hdr_fields_max ||
	    (len > lim->hdr_line_max &&
		!lines_fit(in + start, len, lim->hdr_line_max)) ||
	    (p->stats.lines == 0 && is_mbox_from(in + start, sp.name_line)) ||
	    scan_name(in + start, sp.name_line, p->in_len - start, &nm) !=
		HDR_NAME_OK)
		return 0;

	seen = sp.seen | (sp.nlines > 1 ? INKAN_HDR_SEEN_FOLDED : 0) |
	    (nm.end < nm.colon ? INKAN_HDR_SEEN_WSP_BEFORE_COLON : 0);
	eol = sp.last_eol;
	ev->type = INKAN_HDR_EV_FIELD;
	ev->field.name = view_of(in + start, nm.end);
	ev->field.value =
	    view_of(in + start + nm.colon + 1, len - eol - nm.colon - 1);
	ev->field.raw = view_of(in + start, len);
	ev->field.offset = p->in_off + start;
	ev->field.flags = seen;
	ev->end.has_body = false;
	ev->end.blank_len = 0;
	ev->end.body_offset = 0;
	ev->end.body = view_of(NULL, 0);
	p->stats.seen |= seen;
	p->stats.lines += sp.nlines;
	p->stats.crlf_lines += sp.ncrlf;
	p->stats.lf_lines += sp.nlines - sp.ncrlf;
	p->stats.fields++;
	p->fld_off = p->in_off + start;
	p->in_pos = sp.end;
	return 1;
}

/*
 * next() when it would start a line at in_pos of the chunk: a field or
 * the blank line that the fast path can take whole. Returns 1 with its
 * event, or 0 with nothing changed for the general path.
 */
static inline int
fast_next(struct inkan_hdr_parser *p, struct inkan_hdr_event *ev)
{
	uint8_t c;

	if (p->in_pos >= p->in_len)
		return 0;
	/* A field's first byte is one of its name (RFC 5322 3.6.8). */
	c = p->in[p->in_pos];
	if (inkan_cc_is(c, INKAN_CC_FTEXT))
		return fast_field(p, ev);
	return fast_end(p, ev);
}

int
inkan_hdr_parser_next(struct inkan_hdr_parser *p, struct inkan_hdr_event *ev_r)
{
	/* Between two fields of a chunk, the fast path may take the next. */
	if (p->state == HDR_ST_RUN && p->in_active && !p->buf_lent &&
	    p->part_len == 0 && !p->have_field && fast_next(p, ev_r) == 1)
		return 1;
	return next_general(p, ev_r);
}

enum inkan_status
inkan_hdr_parser_error(
    const struct inkan_hdr_parser *p, const char **msg_r, uint64_t *offset_r)
{
	if (msg_r != NULL)
		*msg_r = p->state == HDR_ST_ERROR ? p->err_msg : "";
	if (offset_r != NULL)
		*offset_r = p->state == HDR_ST_ERROR ? p->err_off : 0;
	return p->state == HDR_ST_ERROR ? p->err : INKAN_OK;
}

void
inkan_hdr_parser_stats(
    const struct inkan_hdr_parser *p, struct inkan_hdr_stats *stats_r)
{
	*stats_r = p->stats;
}

bool
inkan_hdr_field_is(const struct inkan_hdr_field *f, const char *name)
{
	return inkan_view_eq_cstr_nocase(f->name, name);
}

enum inkan_status
inkan_hdr_unfold(struct inkan_view value, struct inkan_buf *out)
{
	const uint8_t *s = value.ptr, *end, *lf;
	enum inkan_status st;
	size_t keep;

	if (value.len == 0)
		return out->err;
	end = s + value.len;
	while ((lf = memchr(s, '\n', (size_t)(end - s))) != NULL) {
		keep = (size_t)(lf - s);
		if (end - lf > 1 && is_wsp(lf[1])) {
			/* RFC 5322 2.2.3: drop the CRLF (or LF), keep WSP. */
			if (keep > 0 && lf[-1] == '\r')
				keep--;
		} else {
			keep++;
		}
		if ((st = inkan_buf_append(out, s, keep)) != INKAN_OK)
			return st;
		s = lf + 1;
	}
	return inkan_buf_append(out, s, (size_t)(end - s));
}
