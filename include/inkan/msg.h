/*
 * inkan/msg.h: what the checks read from a message.
 *
 * Three parsers of untrusted bytes, all without I/O and all bounded by
 * struct inkan_limits:
 *
 * - the incremental RFC 5322 header-section parser (section "header");
 * - the RFC 5322 address-list parser the From header needs (section
 *   "address");
 * - the RFC 5321 path parser for MAIL FROM and RCPT TO (section "path").
 */
#ifndef INKAN_MSG_H
#define INKAN_MSG_H

#include <inkan/common.h>
#include <inkan/limits.h>
#include <inkan/util.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ==== section: header ================================================= */

/*
 * The header-section parser (RFC 5322 2.2, 3.6; RFC 6532 for 8-bit).
 *
 * It takes a message in chunks of any size and returns, one event at a
 * time, every header field exactly as it appeared (name, value with its
 * folding kept, raw bytes with the line ending, absolute offset), and then
 * one END event that says where the body starts. It never needs the whole
 * message, does no I/O and holds at most hdr_field_max + hdr_line_max
 * bytes of its own.
 *
 * Usage: print the field names of a file, then where its body starts.
 *
 *	struct inkan_hdr_parser *p;
 *	struct inkan_hdr_event ev;
 *	uint8_t chunk[4096];
 *	size_t n;
 *	int r;
 *
 *	if (inkan_hdr_parser_new(NULL, INKAN_HDR_ALLOW_LF, &p) != INKAN_OK)
 *		return -1;
 *	do {
 *		n = fread(chunk, 1, sizeof(chunk), f);
 *		inkan_hdr_parser_feed(p, chunk, n, n < sizeof(chunk));
 *		while ((r = inkan_hdr_parser_next(p, &ev)) == 1 &&
 *		    ev.type == INKAN_HDR_EV_FIELD)
 *			printf("%.*s\n", (int)ev.field.name.len,
 *			    (const char *)ev.field.name.ptr);
 *	} while (r == 0);
 *	if (r < 0) {
 *		const char *msg;
 *
 *		inkan_hdr_parser_error(p, &msg, NULL);
 *		fprintf(stderr, "bad header: %s\n", msg);
 *	} else if (ev.end.has_body) {
 *		printf("body at offset %" PRIu64 "\n", ev.end.body_offset);
 *		// The body is ev.end.body (the rest of this chunk), then
 *		// whatever fread() returns next: hash it from there.
 *	} else {
 *		printf("no body: the input ended inside the header section\n");
 *	}
 *	inkan_hdr_parser_free(&p);
 *
 * The rules of the loop:
 * - feed() hands over one chunk; the parser reads it in place and keeps a
 *   pointer to it, so the chunk must stay untouched until next() returns 0
 *   (it has then consumed the chunk, copying what it still needs) or the
 *   END event or -1. Feeding again before that is an INKAN_ERR_STATE error.
 * - Mark the last chunk (last = true; it may be empty): a field is only
 *   complete once the first byte of the next line is known (a line that
 *   starts with SP or HTAB continues it), so without the mark the last
 *   field and the END event never come. After the last chunk next() never
 *   returns 0: it returns the remaining fields, then END, or -1.
 * - END comes exactly once; after it the header section is over and the
 *   parser refuses further calls except error(), stats(), reset() and
 *   free(). Its body view is the part of the current chunk the parser did
 *   not consume: the first bytes of the body, in place, not copied.
 *
 * Line endings. By default only CRLF ends a line (RFC 5322 2.1, and what
 * SMTP carries): a bare LF or a bare CR (a CR not followed by LF) anywhere
 * in the header section is an error that names its offset, which is what
 * an SMTP server needs against smuggling. INKAN_HDR_ALLOW_LF accepts LF
 * alone as a line ending (files on disk); INKAN_HDR_ALLOW_BARE_CR accepts
 * a bare CR as an ordinary byte of its line (it never ends a line). Either
 * way every field's flags and inkan_hdr_parser_stats() say what was seen.
 *
 * Limits (struct inkan_limits): hdr_line_max bounds one physical line,
 * its line ending included; hdr_field_max one field's raw bytes;
 * hdr_fields_max the number of fields; hdr_section_max every byte before
 * the body, the blank line included. A value exactly at a limit passes,
 * one byte (or field) more is an INKAN_ERR_LIMIT error. Nothing is ever
 * split or truncated.
 *
 * Errors are sticky: after next() returns -1 it keeps returning -1, and
 * inkan_hdr_parser_error() gives the status (INKAN_ERR_SYNTAX for
 * malformed input, INKAN_ERR_LIMIT for a limit, naming it and its value,
 * INKAN_ERR_STATE for a misuse of the API, INKAN_ERR_NOMEM), the absolute
 * byte offset, and a message. The events, errors and offsets do not
 * depend on how the input is split into chunks.
 */

/* Parser options for inkan_hdr_parser_new(); 0 is strict. */
enum inkan_hdr_parser_flags {
	/* CRLF only; bare LF, bare CR, NUL and an mbox line are errors. */
	INKAN_HDR_STRICT = 0,
	/* LF alone ends a line too (INKAN_HDR_SEEN_BARE_LF records it). */
	INKAN_HDR_ALLOW_LF = 1 << 0,
	/* A CR not followed by LF is accepted as a byte of its line. */
	INKAN_HDR_ALLOW_BARE_CR = 1 << 1,
	/* NUL bytes are accepted in values (never in names). */
	INKAN_HDR_ALLOW_NUL = 1 << 2,
	/*
	 * A first line starting with "From " and no colon after the word
	 * (the mbox separator, not a header field; "From : x" is a field)
	 * is skipped: it belongs to no field, and the header section
	 * starts after it (stats header_offset), though it still counts
	 * toward hdr_section_max. Without this flag such a line is an
	 * INKAN_ERR_SYNTAX error that says so.
	 */
	INKAN_HDR_SKIP_MBOX_FROM = 1 << 3,
};

/* What was seen, per field (field.flags) and overall (stats.seen). */
enum inkan_hdr_seen {
	/* A line ended in CRLF. */
	INKAN_HDR_SEEN_CRLF = 1 << 0,
	/* A line ended in LF without CR. */
	INKAN_HDR_SEEN_BARE_LF = 1 << 1,
	/* A CR not followed by LF. */
	INKAN_HDR_SEEN_BARE_CR = 1 << 2,
	/* A NUL byte. */
	INKAN_HDR_SEEN_NUL = 1 << 3,
	/* A byte >= 0x80 (RFC 6532 allows UTF-8 in values). */
	INKAN_HDR_SEEN_8BIT = 1 << 4,
	/* Continuation lines (RFC 5322 2.2.3 folding). */
	INKAN_HDR_SEEN_FOLDED = 1 << 5,
	/* WSP between name and colon (RFC 5322 4.5.8 obs-optional). */
	INKAN_HDR_SEEN_WSP_BEFORE_COLON = 1 << 6,
	/* The last line had no line ending: the input ended there. */
	INKAN_HDR_SEEN_NO_EOL = 1 << 7,
	/* Stats only: an mbox "From " line was skipped. */
	INKAN_HDR_SEEN_MBOX_FROM = 1 << 8,
};

/*
 * One header field. The views point into the parser's storage or into the
 * caller's current chunk, and are valid until the next call on the parser
 * (copy what you keep). None of them is NUL-terminated.
 */
struct inkan_hdr_field {
	/* The name as written, without WSP before the colon: "Subject". */
	struct inkan_view name;
	/*
	 * Everything after the colon up to, not including, the final line
	 * ending; inner line endings of folding are kept: " hi\r\n there".
	 */
	struct inkan_view value;
	/* The whole field byte for byte, final line ending included. */
	struct inkan_view raw;
	/* The absolute offset of raw.ptr[0] in the input. */
	uint64_t offset;
	/* enum inkan_hdr_seen bits for this field's lines. */
	unsigned flags;
};

/* The end of the header section. */
struct inkan_hdr_end {
	/*
	 * True when a blank line ended the header section: a body follows,
	 * perhaps empty. False when the input ended inside the header
	 * section (no blank line, no body), which is not an error.
	 */
	bool has_body;
	/* The blank line's length: 2 (CRLF), 1 (LF) or 0 (none). */
	size_t blank_len;
	/* Offset of the first body byte; the input length when !has_body. */
	uint64_t body_offset;
	/*
	 * The unconsumed rest of the current chunk, in place: the body's
	 * first bytes (empty when the chunk ended with the blank line).
	 */
	struct inkan_view body;
};

enum inkan_hdr_event_type {
	/* A header field: ev.field is set. */
	INKAN_HDR_EV_FIELD = 1,
	/* The end of the header section: ev.end is set; the last event. */
	INKAN_HDR_EV_END,
};

struct inkan_hdr_event {
	enum inkan_hdr_event_type type;
	struct inkan_hdr_field field;
	struct inkan_hdr_end end;
};

/* Counters over the lines parsed so far. */
struct inkan_hdr_stats {
	/* enum inkan_hdr_seen bits of all lines. */
	unsigned seen;
	/* Physical lines, the blank line included. */
	uint64_t lines;
	/* Lines ended by CRLF, and by a bare LF: both non-zero is mixed. */
	uint64_t crlf_lines;
	uint64_t lf_lines;
	/* CR bytes not followed by LF, and NUL bytes. */
	uint64_t bare_cr;
	uint64_t nul;
	/* Fields started. */
	size_t fields;
	/* Where the header section starts: 0, or after an mbox line. */
	uint64_t header_offset;
};

struct inkan_hdr_parser;

/*
 * Creates a parser in *p_r for one message. lim (NULL: the defaults) is
 * copied; its hdr_line_max, hdr_field_max, hdr_fields_max and
 * hdr_section_max apply (see inkan/limits.h; each must be non-zero). flags
 * is a set of enum inkan_hdr_parser_flags. Returns INKAN_ERR_INVAL for an
 * unknown flag or a zero limit, INKAN_ERR_NOMEM; *p_r is NULL on failure.
 * Free it with inkan_hdr_parser_free().
 */
INKAN_API enum inkan_status inkan_hdr_parser_new(const struct inkan_limits *lim,
    unsigned flags, struct inkan_hdr_parser **p_r);

/* Frees *p (NULL is fine) and sets *p to NULL. */
INKAN_API void inkan_hdr_parser_free(struct inkan_hdr_parser **p);

/*
 * Makes p ready for the next message with the same limits and flags,
 * keeping its storage: cheaper than free() and new() per message.
 */
INKAN_API void inkan_hdr_parser_reset(struct inkan_hdr_parser *p);

/*
 * Hands the parser the next len bytes of the message (data may be NULL
 * when len is 0). The parser reads data in place until next() returns 0,
 * END or -1; the caller keeps it unchanged until then. last marks the end
 * of the input. Returns INKAN_OK; INKAN_ERR_STATE when the previous chunk
 * is not consumed yet, after the last chunk or after END; or the parser's
 * sticky error. A failure here also makes next() return -1, so a loop may
 * check next() alone.
 */
INKAN_API enum inkan_status inkan_hdr_parser_feed(
    struct inkan_hdr_parser *p, const void *data, size_t len, bool last);

/*
 * The next event into *ev_r. Returns 1 with a FIELD or the END event; 0
 * when the chunk is consumed and the parser needs the next one (never
 * after the last chunk); -1 on an error (sticky; see error()), also when
 * called again after END. The views in *ev_r are valid until the next
 * call on p, except end.body, which points into the caller's chunk.
 */
INKAN_API int inkan_hdr_parser_next(
    struct inkan_hdr_parser *p, struct inkan_hdr_event *ev_r);

/*
 * The parser's error: returns INKAN_OK when there is none. *msg_r (if
 * msg_r is not NULL) is set to an English message naming the absolute
 * offset, owned by p and valid until the next call on p ("" when there is
 * no error); untrusted bytes appear in it only as hex. *offset_r (if not
 * NULL) is the offset of the byte or line at fault.
 */
INKAN_API enum inkan_status inkan_hdr_parser_error(
    const struct inkan_hdr_parser *p, const char **msg_r, uint64_t *offset_r);

/* Copies the counters of what has been seen so far into *stats_r. */
INKAN_API void inkan_hdr_parser_stats(
    const struct inkan_hdr_parser *p, struct inkan_hdr_stats *stats_r);

/*
 * True if f's name is name, ASCII case-insensitively: field names are
 * ABNF literals in RFC 5322, and those are case-insensitive (RFC 5234 2.3).
 */
INKAN_API bool inkan_hdr_field_is(
    const struct inkan_hdr_field *f, const char *name);

/*
 * Appends value to out unfolded (RFC 5322 2.2.3): every CRLF, or LF,
 * that is followed by WSP is removed; the WSP stays. Other bytes are
 * copied as they are. Returns INKAN_OK, or out's error (INKAN_ERR_LIMIT
 * past its maximum, INKAN_ERR_NOMEM); out may then hold part of it.
 */
INKAN_API enum inkan_status inkan_hdr_unfold(
    struct inkan_view value, struct inkan_buf *out);

/* ==== end of section: header ========================================== */

/* ==== section: address ================================================ */

/* ==== end of section: address ========================================= */

/* ==== section: path =================================================== */

/* ==== end of section: path ============================================ */

#ifdef __cplusplus
}
#endif

#endif
