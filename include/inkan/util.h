/*
 * inkan/util.h: the small tools every parser in inkan is built from.
 *
 * - Checked size arithmetic: inkan_size_add(), inkan_size_mul().
 * - ASCII character classes from our own table (never <ctype.h>, whose
 *   answers depend on the locale).
 * - struct inkan_view: a read-only {ptr, len} slice of someone else's bytes.
 * - struct inkan_cursor: reads a view front to back; any read past the end
 *   or failed expectation sets a sticky error, so a parser can run a whole
 *   production and check cur.err once.
 * - struct inkan_buf: a growable byte buffer whose maximum size is fixed at
 *   init; an append that would pass it fails with INKAN_ERR_LIMIT and sets
 *   a sticky error. It never truncates.
 * - Base64 (RFC 4648 section 4): strict, and the whitespace-tolerant form
 *   DKIM's b= and p= tags need (RFC 6376 section 3.5).
 * - inkan_escape(): untrusted bytes made safe for one log line.
 * - struct inkan_arena: bump allocation for per-message parse results,
 *   freed all at once.
 *
 * Usage:
 *
 *	struct inkan_buf b;
 *	struct inkan_cursor c;
 *	struct inkan_view word;
 *
 *	inkan_buf_init(&b, 4096);
 *	inkan_cursor_init(&c, data, len);
 *	inkan_cursor_take_while(&c, INKAN_CC_ALPHA, &word);
 *	inkan_cursor_expect(&c, '=');
 *	if (c.err)
 *		return INKAN_ERR_SYNTAX;
 *	if (inkan_escape(word.ptr, word.len, &b) != INKAN_OK)
 *		...
 *	inkan_buf_clear(&b);
 */
#ifndef INKAN_UTIL_H
#define INKAN_UTIL_H

#include <stdarg.h>

#include <inkan/common.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- checked size arithmetic ---------------------------------------- */

/* *r = a + b; returns false (and leaves *r unspecified) on overflow. */
static inline bool
inkan_size_add(size_t a, size_t b, size_t *r)
{
	return !__builtin_add_overflow(a, b, r);
}

/* *r = a * b; returns false (and leaves *r unspecified) on overflow. */
static inline bool
inkan_size_mul(size_t a, size_t b, size_t *r)
{
	return !__builtin_mul_overflow(a, b, r);
}

/* ---- ASCII character classes ---------------------------------------- */

enum inkan_cclass {
	INKAN_CC_ALPHA = 1 << 0, /* A-Z a-z */
	INKAN_CC_DIGIT = 1 << 1, /* 0-9 */
	INKAN_CC_HEX = 1 << 2, /* 0-9 A-F a-f */
	INKAN_CC_WSP = 1 << 3, /* SP HTAB (RFC 5234 WSP) */
	INKAN_CC_VCHAR = 1 << 4, /* %x21-7E (RFC 5234 VCHAR) */
	INKAN_CC_ATEXT = 1 << 5, /* RFC 5322 3.2.3 atext */
	INKAN_CC_FTEXT = 1 << 6, /* RFC 5322 3.6.8 ftext: %x21-39 / %x3B-7E */
	INKAN_CC_LDH = 1 << 7, /* letter, digit, hyphen (RFC 5890 LDH) */
	INKAN_CC_BASE64 = 1 << 8, /* A-Z a-z 0-9 + / */
	INKAN_CC_CTL = 1 << 9, /* %x00-1F / %x7F */
	INKAN_CC_ALNUM = INKAN_CC_ALPHA | INKAN_CC_DIGIT,
};

/* Table of enum inkan_cclass bits for every byte value. */
INKAN_API extern const uint16_t inkan_cclass_table[256];

static inline bool
inkan_cc_is(uint8_t c, unsigned cls)
{
	return (inkan_cclass_table[c] & cls) != 0;
}

static inline uint8_t
inkan_ascii_lower(uint8_t c)
{
	return (c >= 'A' && c <= 'Z') ? (uint8_t)(c + ('a' - 'A')) : c;
}

static inline uint8_t
inkan_ascii_upper(uint8_t c)
{
	return (c >= 'a' && c <= 'z') ? (uint8_t)(c - ('a' - 'A')) : c;
}

/* ---- views ------------------------------------------------------------ */

/* A read-only slice of bytes owned by someone else. Not NUL-terminated. */
struct inkan_view {
	const uint8_t *ptr;
	size_t len;
};

/* A view of a string literal: INKAN_VIEW_LIT("v=spf1"). */
#define INKAN_VIEW_LIT(s) \
	((struct inkan_view){ (const uint8_t *)(s), sizeof(s) - 1 })

INKAN_API struct inkan_view inkan_view_make(const void *ptr, size_t len);
/* A view of a NUL-terminated string (without the NUL); NULL gives empty. */
INKAN_API struct inkan_view inkan_view_cstr(const char *s);
INKAN_API bool inkan_view_eq(struct inkan_view a, struct inkan_view b);
/* ASCII case-insensitive equality. */
INKAN_API bool inkan_view_eq_nocase(struct inkan_view a, struct inkan_view b);
INKAN_API bool inkan_view_eq_cstr_nocase(struct inkan_view a, const char *s);
/* True if a starts with prefix, ASCII case-insensitively. */
INKAN_API bool inkan_view_prefix_nocase(
    struct inkan_view a, struct inkan_view prefix);
/* Bytes [off, off + n) of v, clamped to v's bounds. */
INKAN_API struct inkan_view inkan_view_sub(
    struct inkan_view v, size_t off, size_t n);
/* v without leading and trailing bytes of class cls. */
INKAN_API struct inkan_view inkan_view_trim(struct inkan_view v, unsigned cls);
/* Index of the first byte c in v, or v.len if there is none. */
INKAN_API size_t inkan_view_find(struct inkan_view v, uint8_t c);

/* ---- cursors ---------------------------------------------------------- */

/*
 * Reads a view front to back. Every reader checks the bounds itself; a read
 * past the end, or an expectation that fails, sets err and every later
 * read returns nothing, so the caller may check err once at the end.
 */
struct inkan_cursor {
	const uint8_t *ptr;
	size_t len;
	size_t pos;
	bool err;
};

INKAN_API void inkan_cursor_init(
    struct inkan_cursor *c, const void *ptr, size_t len);
/* Bytes left to read (0 once err is set). */
INKAN_API size_t inkan_cursor_left(const struct inkan_cursor *c);
INKAN_API bool inkan_cursor_eof(const struct inkan_cursor *c);
/* The next byte without consuming it, or -1 at the end or on error. */
INKAN_API int inkan_cursor_peek(const struct inkan_cursor *c);
/* The byte off positions ahead, or -1. */
INKAN_API int inkan_cursor_peek_at(const struct inkan_cursor *c, size_t off);
/* Consumes and returns the next byte; at the end sets err, returns -1. */
INKAN_API int inkan_cursor_get(struct inkan_cursor *c);
/* Consumes the next byte if it equals ch; returns whether it did. */
INKAN_API bool inkan_cursor_accept(struct inkan_cursor *c, uint8_t ch);
/* Like accept, ASCII case-insensitively for a whole literal. */
INKAN_API bool inkan_cursor_accept_nocase(
    struct inkan_cursor *c, const char *lit);
/* Consumes ch or sets err. */
INKAN_API void inkan_cursor_expect(struct inkan_cursor *c, uint8_t ch);
/* Skips n bytes; fewer than n left sets err. */
INKAN_API void inkan_cursor_skip(struct inkan_cursor *c, size_t n);
/* Takes n bytes into *v_r; fewer than n left sets err and *v_r is empty. */
INKAN_API void inkan_cursor_take(
    struct inkan_cursor *c, size_t n, struct inkan_view *v_r);
/* Takes the longest run of bytes in class cls (possibly empty). */
INKAN_API size_t inkan_cursor_take_while(
    struct inkan_cursor *c, unsigned cls, struct inkan_view *v_r);
/* Skips the longest run of bytes in class cls; returns how many. */
INKAN_API size_t inkan_cursor_skip_while(struct inkan_cursor *c, unsigned cls);
/*
 * Moves the read position back (or forward) to pos, for parsers that
 * backtrack to a position they saved from c->pos. pos past the end sets
 * err. An error already set stays set.
 */
INKAN_API void inkan_cursor_seek(struct inkan_cursor *c, size_t pos);
/* The unread rest as a view. */
INKAN_API struct inkan_view inkan_cursor_rest(const struct inkan_cursor *c);

/* ---- growable buffer with a fixed maximum ----------------------------- */

/*
 * data is always NUL-terminated when non-NULL (the NUL is not counted in
 * len), so inkan_buf_cstr() is free. After a failed append err stays set
 * and every later append fails with the same status, until reset.
 */
struct inkan_buf {
	uint8_t *data;
	size_t len;
	size_t cap;
	size_t max;
	enum inkan_status err;
};

/* Initialises an empty buffer that may hold at most max bytes. */
INKAN_API void inkan_buf_init(struct inkan_buf *b, size_t max);
/* Frees the storage; the buffer is empty again and may be reused. */
INKAN_API void inkan_buf_clear(struct inkan_buf *b);
/* Empties the buffer and its error, keeping the storage. */
INKAN_API void inkan_buf_reset(struct inkan_buf *b);
/*
 * Makes room for n more bytes; fails with INKAN_ERR_LIMIT past max (and
 * sets the sticky error). On success data is allocated.
 */
INKAN_API enum inkan_status inkan_buf_reserve(struct inkan_buf *b, size_t n);
/* Appends p[0..n); p may point into the buffer itself. */
INKAN_API enum inkan_status inkan_buf_append(
    struct inkan_buf *b, const void *p, size_t n);
INKAN_API enum inkan_status inkan_buf_append_byte(
    struct inkan_buf *b, uint8_t c);
INKAN_API enum inkan_status inkan_buf_append_cstr(
    struct inkan_buf *b, const char *s);
INKAN_API enum inkan_status inkan_buf_append_view(
    struct inkan_buf *b, struct inkan_view v);
/* printf-style append (vsnprintf underneath, length checked first). */
INKAN_API enum inkan_status inkan_buf_printf(struct inkan_buf *b,
    const char *fmt, ...) __attribute__((format(printf, 2, 3)));
INKAN_API enum inkan_status inkan_buf_vprintf(struct inkan_buf *b,
    const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Shortens the buffer to len bytes (len <= b->len). */
INKAN_API void inkan_buf_truncate(struct inkan_buf *b, size_t len);
/* The contents as a NUL-terminated string ("" when empty). */
INKAN_API const char *inkan_buf_cstr(const struct inkan_buf *b);
INKAN_API struct inkan_view inkan_buf_view(const struct inkan_buf *b);
/*
 * Hands the storage to the caller (free() it) and leaves the buffer empty,
 * its error cleared. Returns a NUL-terminated allocation even when empty;
 * NULL on ENOMEM.
 */
INKAN_API uint8_t *inkan_buf_steal(struct inkan_buf *b, size_t *len_r);

/* ---- base64 ----------------------------------------------------------- */

enum inkan_base64_flags {
	/* RFC 4648: only the alphabet and correct padding; no whitespace. */
	INKAN_BASE64_STRICT = 0,
	/*
	 * RFC 6376 3.5 (b=, bh=, p=): folding whitespace (SP, HTAB, CR,
	 * LF) may appear anywhere and is ignored.
	 */
	INKAN_BASE64_SKIP_FWS = 1 << 0,
};

/* Length of the base64 encoding of n bytes; false on overflow. */
INKAN_API bool inkan_base64_encoded_len(size_t n, size_t *len_r);
/* Appends the padded base64 encoding of p[0..n) to out. */
INKAN_API enum inkan_status inkan_base64_encode(
    const void *p, size_t n, struct inkan_buf *out);
/*
 * Appends the decoded bytes of p[0..n) to out. Returns INKAN_ERR_SYNTAX
 * for a byte outside the alphabet (whitespace included, unless
 * INKAN_BASE64_SKIP_FWS), a length that is not a multiple of 4, misplaced
 * or missing padding, data after padding, or non-zero trailing bits
 * (RFC 4648 3.5). On any failure out is left as it was; running out of
 * room (INKAN_ERR_LIMIT) also sets out's sticky error. p must not point
 * into out.
 */
INKAN_API enum inkan_status inkan_base64_decode(
    const void *p, size_t n, unsigned flags, struct inkan_buf *out);

/* ---- escaping untrusted text for logs --------------------------------- */

/*
 * Appends p[0..n) to out so that it is safe on one log line: printable
 * ASCII except backslash is copied, backslash becomes \\, CR LF HTAB become
 * \r \n \t, any other byte becomes \xhh (two lowercase hex digits). Fails
 * with INKAN_ERR_LIMIT rather than truncate, leaving out unchanged.
 */
INKAN_API enum inkan_status inkan_escape(
    const void *p, size_t n, struct inkan_buf *out);

/* ---- arena ------------------------------------------------------------ */

/*
 * Bump allocator for per-message results: many small allocations, freed
 * together by inkan_arena_clear(). Memory is 16-byte aligned and zeroed.
 * The arena refuses to hold more than max bytes in all.
 */
struct inkan_arena_chunk;
struct inkan_arena {
	struct inkan_arena_chunk *head;
	size_t used; /* bytes of all chunks, headers and unused tails
			included; never more than max */
	size_t max;
};

INKAN_API void inkan_arena_init(struct inkan_arena *a, size_t max);
/* Frees every chunk; the arena is empty and may be reused. */
INKAN_API void inkan_arena_clear(struct inkan_arena *a);
/*
 * Empties the arena for the next message but keeps one chunk of the
 * default size, when it has one, so that a reused arena's first
 * allocations call no malloc(). What was allocated is gone; the kept
 * chunk still counts against max. inkan_arena_clear() frees it.
 */
INKAN_API void inkan_arena_reset(struct inkan_arena *a);
/* n zeroed bytes, or NULL if n is 0, past max, or out of memory. */
INKAN_API void *inkan_arena_alloc(struct inkan_arena *a, size_t n);
/* nmemb * size zeroed bytes, overflow-checked. */
INKAN_API void *inkan_arena_calloc(
    struct inkan_arena *a, size_t nmemb, size_t size);
/* A NUL-terminated copy of p[0..n). */
INKAN_API char *inkan_arena_strndup(
    struct inkan_arena *a, const void *p, size_t n);

#ifdef __cplusplus
}
#endif

#endif
