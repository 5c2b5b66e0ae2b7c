/*
 * test_header.c: the incremental header-section parser (inkan/msg.h,
 * section "header").
 *
 * Most cases are a table of {name, flags, limits, input, want}: the input
 * is parsed and every event written as one line of text, which must equal
 * want. An event line is
 *
 *	F@<offset> [<name>][<value>] <seen letters>
 *	END@<body offset> blank=<blank line length>
 *	ERR <status> @<offset>
 *
 * with name and value escaped by inkan_escape() and the seen letters
 * c=CRLF l=bare LF r=bare CR z=NUL 8=8-bit f=folded w=WSP before colon
 * e=no line ending. Every run also checks the invariants: each field's raw
 * bytes are the input's bytes at its offset, the fields follow each other
 * without a gap from the header section's start, then the blank line,
 * then the body view is the input's bytes at the body offset.
 *
 * The property test parses each message whole, in every chunk size, and
 * in random splits, and wants the same text each time.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <inkan/msg.h>

#include "hdr_test.h"

#define OUT_MAX (1 << 22)

static void
put_seen(struct inkan_buf *out, unsigned seen)
{
	static const struct {
		unsigned bit;
		char letter;
	} letters[] = {
		{ INKAN_HDR_SEEN_CRLF, 'c' },
		{ INKAN_HDR_SEEN_BARE_LF, 'l' },
		{ INKAN_HDR_SEEN_BARE_CR, 'r' },
		{ INKAN_HDR_SEEN_NUL, 'z' },
		{ INKAN_HDR_SEEN_8BIT, '8' },
		{ INKAN_HDR_SEEN_FOLDED, 'f' },
		{ INKAN_HDR_SEEN_WSP_BEFORE_COLON, 'w' },
		{ INKAN_HDR_SEEN_NO_EOL, 'e' },
		{ INKAN_HDR_SEEN_MBOX_FROM, 'm' },
	};
	size_t i;

	for (i = 0; i < sizeof(letters) / sizeof(letters[0]); i++)
		if (seen & letters[i].bit)
			inkan_buf_append_byte(out, (uint8_t)letters[i].letter);
}

/* Where the parse of one input stands, for the invariant checks. */
struct run {
	const uint8_t *in;
	size_t len;
	uint64_t next_off; /* where the next field must start */
	bool started;
	char msg[256]; /* the error message, if any */
};

static void
check(struct inkan_buf *out, bool ok, const char *what)
{
	if (!ok)
		inkan_buf_printf(out, "INVARIANT %s\n", what);
}

static void
put_field(struct run *rn, struct inkan_hdr_parser *p,
    const struct inkan_hdr_field *f, struct inkan_buf *out)
{
	struct inkan_hdr_stats st;
	const uint8_t *raw_end = f->raw.ptr + f->raw.len;

	inkan_hdr_parser_stats(p, &st);
	if (!rn->started) {
		rn->next_off = st.header_offset;
		rn->started = true;
	}
	inkan_buf_printf(out, "F@%llu [", (unsigned long long)f->offset);
	inkan_escape(f->name.ptr, f->name.len, out);
	inkan_buf_append_cstr(out, "][");
	inkan_escape(f->value.ptr, f->value.len, out);
	inkan_buf_append_cstr(out, "] ");
	put_seen(out, f->flags);
	inkan_buf_append_byte(out, '\n');

	check(out, f->offset == rn->next_off, "field offset not contiguous");
	check(out,
	    f->offset <= rn->len && f->raw.len <= rn->len - f->offset &&
		memcmp(f->raw.ptr, rn->in + f->offset, f->raw.len) == 0,
	    "raw differs from the input");
	check(out, f->name.ptr == f->raw.ptr && f->name.len > 0,
	    "name is not the start of raw");
	check(out,
	    f->value.ptr > f->name.ptr + f->name.len &&
		f->value.ptr + f->value.len <= raw_end,
	    "value is not inside raw");
	rn->next_off = f->offset + f->raw.len;
}

static void
put_end(struct run *rn, struct inkan_hdr_parser *p,
    const struct inkan_hdr_end *e, const uint8_t *chunk, size_t chunk_off,
    size_t chunk_len, struct inkan_buf *out)
{
	struct inkan_hdr_stats st;
	uint64_t b = e->body_offset;

	inkan_hdr_parser_stats(p, &st);
	if (!rn->started)
		rn->next_off = st.header_offset;
	inkan_buf_printf(
	    out, "END@%llu blank=%zu\n", (unsigned long long)b, e->blank_len);
	check(out, e->has_body == (e->blank_len > 0), "has_body != blank");
	check(out, rn->next_off + e->blank_len == b, "blank line misplaced");
	check(out,
	    e->blank_len == 0 || (e->blank_len == 1 && rn->in[b - 1] == '\n') ||
		(e->blank_len == 2 && memcmp(rn->in + b - 2, "\r\n", 2) == 0),
	    "blank line bytes");
	check(out, e->has_body || b == rn->len, "no body but not at the end");
	/* The body view is the rest of the current chunk, in place. */
	check(out,
	    b >= chunk_off && b <= chunk_off + chunk_len &&
		e->body.ptr == chunk + (b - chunk_off) &&
		e->body.len == chunk_off + chunk_len - b,
	    "body view is not the rest of the chunk");
}

/*
 * Parses in[0..len) fed in chunks of sizes[0], sizes[1], ... (the rest in
 * one chunk when they run out), and writes the events to out. Each chunk
 * is a fresh allocation of its exact size, overwritten and freed as soon
 * as the parser has consumed it, so that a view into a stale chunk shows.
 */
static void
parse_split(const uint8_t *in, size_t len, unsigned flags,
    const struct inkan_limits *lim, const size_t *sizes, size_t nsizes,
    struct inkan_buf *out, struct run *rn)
{
	struct inkan_hdr_parser *p = NULL;
	struct inkan_hdr_event ev;
	size_t pos = 0, i = 0, n;
	uint64_t off;
	uint8_t *chunk;
	bool last;
	int r = 0;

	memset(rn, 0, sizeof(*rn));
	rn->in = in;
	rn->len = len;
	assert_int_equal(inkan_hdr_parser_new(lim, flags, &p), INKAN_OK);
	for (;;) {
		n = i < nsizes ? sizes[i++] : len - pos;
		if (n > len - pos)
			n = len - pos;
		last = pos + n == len;
		chunk = malloc(n > 0 ? n : 1);
		assert_non_null(chunk);
		memcpy(chunk, in + pos, n);
		inkan_hdr_parser_feed(p, chunk, n, last);
		while ((r = inkan_hdr_parser_next(p, &ev)) == 1) {
			if (ev.type == INKAN_HDR_EV_FIELD) {
				put_field(rn, p, &ev.field, out);
				continue;
			}
			put_end(rn, p, &ev.end, chunk, pos, n, out);
			break;
		}
		memset(chunk, 0xa5, n);
		free(chunk);
		pos += n;
		if (r != 0)
			break;
		if (last) {
			inkan_buf_append_cstr(out, "INVARIANT 0 after last\n");
			break;
		}
	}
	if (r < 0) {
		const char *msg;
		enum inkan_status st = inkan_hdr_parser_error(p, &msg, &off);

		inkan_buf_printf(out, "ERR %s @%llu\n", status_name(st),
		    (unsigned long long)off);
		snprintf(rn->msg, sizeof(rn->msg), "%s", msg);
	}
	inkan_hdr_parser_free(&p);
	assert_null(p);
}

static void
parse_whole(const uint8_t *in, size_t len, unsigned flags,
    const struct inkan_limits *lim, struct inkan_buf *out, struct run *rn)
{
	parse_split(in, len, flags, lim, NULL, 0, out, rn);
}

/* ---- the table ----------------------------------------------------- */

/* Small limits: each case raises the one it tests to its boundary. */
static struct inkan_limits
lim_with(size_t line, size_t field, size_t fields, size_t section)
{
	struct inkan_limits lim;

	inkan_limits_default(&lim);
	if (line)
		lim.hdr_line_max = line;
	if (field)
		lim.hdr_field_max = field;
	if (fields)
		lim.hdr_fields_max = fields;
	if (section)
		lim.hdr_section_max = section;
	return lim;
}

struct hdr_case {
	const char *name;
	unsigned flags;
	size_t line_max, field_max, fields_max, section_max; /* 0: default */
	const char *input;
	size_t len; /* 0: strlen(input) */
	const char *want;
};

#define LF INKAN_HDR_ALLOW_LF
#define BARE_CR INKAN_HDR_ALLOW_BARE_CR
#define NUL INKAN_HDR_ALLOW_NUL
#define MBOX INKAN_HDR_SKIP_MBOX_FROM

static const struct hdr_case cases[] = {
	/* Simple fields; the body starts after the blank line. */
	{ "simple", 0, 0, 0, 0, 0, "Subject: hi\r\nFrom: a@b\r\n\r\nbody", 0,
	    "F@0 [Subject][ hi] c\n"
	    "F@13 [From][ a@b] c\n"
	    "END@26 blank=2\n" },
	{ "body looks like a header", 0, 0, 0, 0, 0, "A: b\r\n\r\nC: d\r\n\r\n",
	    0,
	    "F@0 [A][ b] c\n"
	    "END@8 blank=2\n" },
	{ "no space after colon", 0, 0, 0, 0, 0, "A:b\r\n\r\n", 0,
	    "F@0 [A][b] c\n"
	    "END@7 blank=2\n" },
	{ "colon in value", 0, 0, 0, 0, 0, "Date: 12:30:00\r\n\r\n", 0,
	    "F@0 [Date][ 12:30:00] c\n"
	    "END@18 blank=2\n" },
	/* RFC 5322 2.2.3: folding with space and tab, kept in the value. */
	{ "folding", 0, 0, 0, 0, 0, "Subject: a\r\n b\r\n\tc\r\nX: y\r\n\r\n",
	    0,
	    "F@0 [Subject][ a\\r\\n b\\r\\n\\tc] cf\n"
	    "F@20 [X][ y] c\n"
	    "END@28 blank=2\n" },
	{ "whitespace-only continuation", 0, 0, 0, 0, 0,
	    "A: b\r\n \r\n c\r\n\r\n", 0,
	    "F@0 [A][ b\\r\\n \\r\\n c] cf\n"
	    "END@15 blank=2\n" },
	{ "empty values", 0, 0, 0, 0, 0, "X:\r\nY: \r\n\r\n", 0,
	    "F@0 [X][] c\n"
	    "F@4 [Y][ ] c\n"
	    "END@11 blank=2\n" },
	/* RFC 5322 4.5.8: obs-optional WSP between name and colon. */
	{ "wsp before colon", 0, 0, 0, 0, 0, "Subject \t: x\r\n\r\n", 0,
	    "F@0 [Subject][ x] cw\n"
	    "END@16 blank=2\n" },
	/* RFC 6532: UTF-8 in values. */
	{ "8-bit value", 0, 0, 0, 0, 0, "Subject: caf\xc3\xa9\r\n\r\n", 0,
	    "F@0 [Subject][ caf\\xc3\\xa9] c8\n"
	    "END@18 blank=2\n" },
	{ "8-bit in a continuation", 0, 0, 0, 0, 0, "A: b\r\n \xff\r\n\r\n", 0,
	    "F@0 [A][ b\\r\\n \\xff] c8f\n"
	    "END@12 blank=2\n" },
	{ "empty header section", 0, 0, 0, 0, 0, "\r\nbody\r\n", 0,
	    "END@2 blank=2\n" },
	{ "empty input", 0, 0, 0, 0, 0, "", 0, "END@0 blank=0\n" },
	/* Header fields without a body separator. */
	{ "no separator, final CRLF", 0, 0, 0, 0, 0, "A: b\r\nC: d\r\n", 0,
	    "F@0 [A][ b] c\n"
	    "F@6 [C][ d] c\n"
	    "END@12 blank=0\n" },
	{ "no separator, no final line ending", 0, 0, 0, 0, 0, "A: b\r\nC: d",
	    0,
	    "F@0 [A][ b] c\n"
	    "F@6 [C][ d] e\n"
	    "END@10 blank=0\n" },
	{ "no separator, folded last line", 0, 0, 0, 0, 0, "A: b\r\n c", 0,
	    "F@0 [A][ b\\r\\n c] cfe\n"
	    "END@8 blank=0\n" },
	{ "no separator, name and colon only", 0, 0, 0, 0, 0, "A:", 0,
	    "F@0 [A][] e\n"
	    "END@2 blank=0\n" },
	/* Strict CRLF: bare LF and bare CR are errors at their offset. */
	{ "strict: bare LF", 0, 0, 0, 0, 0, "A: b\nC: d\r\n\r\n", 0,
	    "ERR syntax @4\n" },
	{ "strict: bare LF after a field", 0, 0, 0, 0, 0, "A: b\r\nC: d\n\r\n",
	    0,
	    "F@0 [A][ b] c\n"
	    "ERR syntax @10\n" },
	{ "strict: bare LF blank line", 0, 0, 0, 0, 0, "A: b\r\n\nbody", 0,
	    "F@0 [A][ b] c\n"
	    "ERR syntax @6\n" },
	{ "strict: bare LF in a continuation", 0, 0, 0, 0, 0,
	    "A: b\r\n c\n\r\n", 0, "ERR syntax @8\n" },
	{ "strict: bare CR", 0, 0, 0, 0, 0, "A: b\rc\r\n\r\n", 0,
	    "ERR syntax @4\n" },
	{ "strict: bare CR before CRLF", 0, 0, 0, 0, 0, "A: b\r\r\n\r\n", 0,
	    "ERR syntax @4\n" },
	{ "strict: bare CR at the end of input", 0, 0, 0, 0, 0, "A: b\r", 0,
	    "ERR syntax @4\n" },
	{ "strict: bare CR as a line", 0, 0, 0, 0, 0, "A: b\r\n\rX\r\n\r\n", 0,
	    "F@0 [A][ b] c\n"
	    "ERR syntax @6\n" },
	{ "strict: bare CR before a bare LF", 0, 0, 0, 0, 0, "A: \rb\n", 0,
	    "ERR syntax @3\n" },
	/* INKAN_HDR_ALLOW_LF: files on disk. */
	{ "LF file", LF, 0, 0, 0, 0, "A: b\nC: d\n e\n\nbody\n", 0,
	    "F@0 [A][ b] l\n"
	    "F@5 [C][ d\\n e] lf\n"
	    "END@14 blank=1\n" },
	{ "mixed endings", LF, 0, 0, 0, 0, "A: b\r\nC: d\n\r\nbody", 0,
	    "F@0 [A][ b] c\n"
	    "F@6 [C][ d] l\n"
	    "END@13 blank=2\n" },
	{ "mixed endings in one field", LF, 0, 0, 0, 0, "A: b\n c\r\n\n", 0,
	    "F@0 [A][ b\\n c] clf\n"
	    "END@10 blank=1\n" },
	{ "LF allowed, bare CR still not", LF, 0, 0, 0, 0, "A: b\rc\n\n", 0,
	    "ERR syntax @4\n" },
	/* INKAN_HDR_ALLOW_BARE_CR: a byte of its line, never an ending. */
	{ "bare CR allowed", BARE_CR, 0, 0, 0, 0, "A: b\rc\r\n\r\n", 0,
	    "F@0 [A][ b\\rc] cr\n"
	    "END@10 blank=2\n" },
	{ "bare CR allowed, not in a name", BARE_CR, 0, 0, 0, 0,
	    "A\rB: c\r\n\r\n", 0, "ERR syntax @1\n" },
	{ "bare CR allowed, at the end", BARE_CR, 0, 0, 0, 0, "A: b\r", 0,
	    "F@0 [A][ b\\r] re\n"
	    "END@5 blank=0\n" },
	{ "bare CR allowed, lone CR line", BARE_CR, 0, 0, 0, 0,
	    "A: b\r\n\r\r\n", 0,
	    "F@0 [A][ b] c\n"
	    "ERR syntax @6\n" },
	/* NUL: an error by default, a flagged byte with ALLOW_NUL. */
	{ "NUL", 0, 0, 0, 0, 0, "A: b\0c\r\n\r\n", 10, "ERR syntax @4\n" },
	{ "NUL allowed", NUL, 0, 0, 0, 0, "A: b\0c\r\n\r\n", 10,
	    "F@0 [A][ b\\x00c] cz\n"
	    "END@10 blank=2\n" },
	{ "NUL allowed, not in a name", NUL, 0, 0, 0, 0, "A\0: b\r\n\r\n", 9,
	    "ERR syntax @1\n" },
	{ "NUL before a bare CR", 0, 0, 0, 0, 0, "A: \0\r\r\n", 7,
	    "ERR syntax @3\n" },
	/* Lines that are not fields. */
	{ "continuation before the first field", 0, 0, 0, 0, 0, " A: b\r\n\r\n",
	    0, "ERR syntax @0\n" },
	{ "tab continuation before the first field", 0, 0, 0, 0, 0,
	    "\tA: b\r\n\r\n", 0, "ERR syntax @0\n" },
	{ "line without colon", 0, 0, 0, 0, 0, "A: b\r\nfoo\r\n\r\n", 0,
	    "F@0 [A][ b] c\n"
	    "ERR syntax @6\n" },
	{ "line without colon at the end", 0, 0, 0, 0, 0, "A: b\r\nfoo", 0,
	    "F@0 [A][ b] c\n"
	    "ERR syntax @6\n" },
	{ "empty name", 0, 0, 0, 0, 0, ": b\r\n\r\n", 0, "ERR syntax @0\n" },
	{ "space in name", 0, 0, 0, 0, 0, "Foo Bar: x\r\n\r\n", 0,
	    "ERR syntax @3\n" },
	{ "8-bit name", 0, 0, 0, 0, 0, "Fo\xc3\xa9: x\r\n\r\n", 0,
	    "ERR syntax @2\n" },
	{ "DEL in name", 0, 0, 0, 0, 0, "A\x7f: x\r\n\r\n", 0,
	    "ERR syntax @1\n" },
	{ "control byte in name", 0, 0, 0, 0, 0, "A\x01: x\r\n\r\n", 0,
	    "ERR syntax @1\n" },
	{ "all ftext", 0, 0, 0, 0, 0,
	    "!\"#$%&'()*+,-./09;<=>?@AZ[\\]^_`az{|}~: x\r\n\r\n", 0,
	    "F@0 [!\"#$%&'()*+,-./09;<=>?@AZ[\\\\]^_`az{|}~][ x] c\n"
	    "END@44 blank=2\n" },
	/* The mbox "From " separator. */
	{ "mbox From line", 0, 0, 0, 0, 0,
	    "From a@b Thu Jan  1 00:00:00 2024\r\nA: b\r\n\r\n", 0,
	    "ERR syntax @0\n" },
	{ "mbox From line skipped", MBOX | LF, 0, 0, 0, 0,
	    "From a@b Thu\nA: b\n\n", 0,
	    "F@13 [A][ b] l\n"
	    "END@19 blank=1\n" },
	{ "mbox From line skipped, then blank", MBOX, 0, 0, 0, 0,
	    "From a@b\r\n\r\nbody", 0, "END@12 blank=2\n" },
	{ "mbox skip only on the first line", MBOX, 0, 0, 0, 0,
	    "A: b\r\nFrom a@b\r\n\r\n", 0,
	    "F@0 [A][ b] c\n"
	    "ERR syntax @6\n" },
	{ "From field is not mbox", MBOX, 0, 0, 0, 0, "From: a@b\r\n\r\n", 0,
	    "F@0 [From][ a@b] c\n"
	    "END@13 blank=2\n" },
	{ "From with WSP before colon is not mbox", MBOX, 0, 0, 0, 0,
	    "From \t: a@b\r\n\r\n", 0,
	    "F@0 [From][ a@b] cw\n"
	    "END@15 blank=2\n" },
	/* hdr_line_max: the line ending counts. */
	{ "line at line_max", 0, 10, 0, 0, 0, "A: 12345\r\nB: 1\r\n\r\n", 0,
	    "F@0 [A][ 12345] c\n"
	    "F@10 [B][ 1] c\n"
	    "END@18 blank=2\n" },
	{ "line over line_max", 0, 10, 0, 0, 0, "A: 123456\r\n\r\n", 0,
	    "ERR limit @0\n" },
	{ "line over line_max later", 0, 10, 0, 0, 0,
	    "B: 1\r\nA: 123456\r\n\r\n", 0,
	    "F@0 [B][ 1] c\n"
	    "ERR limit @6\n" },
	{ "continuation at line_max", 0, 10, 0, 0, 0,
	    "A: 1\r\n 2345678\r\n\r\n", 0,
	    "F@0 [A][ 1\\r\\n 2345678] cf\n"
	    "END@18 blank=2\n" },
	{ "continuation over line_max", 0, 10, 0, 0, 0,
	    "A: 1\r\n 23456789\r\n\r\n", 0, "ERR limit @6\n" },
	{ "LF line at line_max", LF, 10, 0, 0, 0, "A: 123456\n\n", 0,
	    "F@0 [A][ 123456] l\n"
	    "END@11 blank=1\n" },
	{ "LF line over line_max", LF, 10, 0, 0, 0, "A: 1234567\n\n", 0,
	    "ERR limit @0\n" },
	{ "last line at line_max without ending", 0, 10, 0, 0, 0, "A: 1234567",
	    0,
	    "F@0 [A][ 1234567] e\n"
	    "END@10 blank=0\n" },
	{ "last line over line_max without ending", 0, 10, 0, 0, 0,
	    "A: 12345678", 0, "ERR limit @0\n" },
	{ "line limit before bytes", 0, 10, 0, 0, 0, "A: \r1234567\n", 0,
	    "ERR limit @0\n" },
	{ "line limit 1", LF, 1, 0, 0, 0, "\nbody", 0, "END@1 blank=1\n" },
	{ "line limit 1, CRLF blank line", 0, 1, 0, 0, 0, "\r\nbody", 0,
	    "ERR limit @0\n" },
	{ "line limit 2, CRLF blank line", 0, 2, 0, 0, 0, "\r\nbody", 0,
	    "END@2 blank=2\n" },
	/* hdr_field_max: the whole field with its final line ending. */
	{ "field at field_max", 0, 0, 20, 0, 0, "A: 1234\r\n 67890123\r\n\r\n",
	    0,
	    "F@0 [A][ 1234\\r\\n 67890123] cf\n"
	    "END@22 blank=2\n" },
	{ "field over field_max", 0, 0, 20, 0, 0,
	    "A: 1234\r\n 678901234\r\n\r\n", 0, "ERR limit @0\n" },
	{ "field over field_max later", 0, 0, 20, 0, 0,
	    "B: 1\r\nA: 1234\r\n 678901234\r\n\r\n", 0,
	    "F@0 [B][ 1] c\n"
	    "ERR limit @6\n" },
	{ "one-line field over field_max", 0, 0, 8, 0, 0, "A: 12345\r\n", 0,
	    "ERR limit @0\n" },
	{ "field at field_max without ending", 0, 0, 8, 0, 0, "A: 12345", 0,
	    "F@0 [A][ 12345] e\n"
	    "END@8 blank=0\n" },
	/* hdr_fields_max. */
	{ "fields at fields_max", 0, 0, 0, 2, 0, "A: 1\r\nB: 2\r\n\r\n", 0,
	    "F@0 [A][ 1] c\n"
	    "F@6 [B][ 2] c\n"
	    "END@14 blank=2\n" },
	{ "fields over fields_max", 0, 0, 0, 2, 0,
	    "A: 1\r\nB: 2\r\nC: 3\r\n\r\n", 0,
	    "F@0 [A][ 1] c\n"
	    "F@6 [B][ 2] c\n"
	    "ERR limit @12\n" },
	/* hdr_section_max: every byte before the body, blank line too. */
	{ "section at section_max", 0, 0, 0, 0, 14, "A: 1\r\nB: 2\r\n\r\nbody",
	    0,
	    "F@0 [A][ 1] c\n"
	    "F@6 [B][ 2] c\n"
	    "END@14 blank=2\n" },
	{ "section over section_max", 0, 0, 0, 0, 13,
	    "A: 1\r\nB: 2\r\n\r\nbody", 0,
	    "F@0 [A][ 1] c\n"
	    "F@6 [B][ 2] c\n"
	    "ERR limit @12\n" },
	{ "section at section_max without separator", 0, 0, 0, 0, 12,
	    "A: 1\r\nB: 2\r\n", 0,
	    "F@0 [A][ 1] c\n"
	    "F@6 [B][ 2] c\n"
	    "END@12 blank=0\n" },
	{ "section over section_max in a field", 0, 0, 0, 0, 11,
	    "A: 1\r\nB: 2\r\n", 0,
	    "F@0 [A][ 1] c\n"
	    "ERR limit @6\n" },
	{ "section counts the mbox line", MBOX, 0, 0, 0, 10, "From a@b\r\n\r\n",
	    0, "ERR limit @10\n" },
};

static void
test_table(void **state)
{
	struct inkan_buf out;
	struct inkan_limits lim;
	struct run rn;
	size_t i, len, failed = 0;

	(void)state;
	inkan_buf_init(&out, OUT_MAX);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct hdr_case *c = &cases[i];

		lim = lim_with(
		    c->line_max, c->field_max, c->fields_max, c->section_max);
		len = c->len ? c->len : strlen(c->input);
		inkan_buf_reset(&out);
		parse_whole(
		    (const uint8_t *)c->input, len, c->flags, &lim, &out, &rn);
		if (!same(c->name, "whole", &out, c->want))
			failed++;
	}
	inkan_buf_clear(&out);
	assert_int_equal(failed, 0);
}

/* ---- what the parser says besides events ---------------------------- */

static void
parse_cstr(const char *in, unsigned flags, const struct inkan_limits *lim,
    struct run *rn)
{
	struct inkan_buf out;

	inkan_buf_init(&out, OUT_MAX);
	parse_whole((const uint8_t *)in, strlen(in), flags, lim, &out, rn);
	inkan_buf_clear(&out);
}

/* Limit errors name the limit and its value; others say what is wrong. */
static void
test_messages(void **state)
{
	static const struct {
		const char *input;
		unsigned flags;
		size_t line, field, fields, section;
		const char *want;
	} t[] = {
		{ "A: 123456\r\n\r\n", 0, 10, 0, 0, 0,
		    "hdr_line_max (10 bytes)" },
		{ "A: 1234\r\n 678901234\r\n\r\n", 0, 0, 20, 0, 0,
		    "hdr_field_max (20 bytes)" },
		{ "A: 1\r\nB: 2\r\nC: 3\r\n\r\n", 0, 0, 0, 2, 0,
		    "hdr_fields_max (2 fields)" },
		{ "A: 1\r\nB: 2\r\n\r\n", 0, 0, 0, 0, 13,
		    "hdr_section_max (13 bytes)" },
		{ "A: b\nC: d\r\n\r\n", 0, 0, 0, 0, 0, "bare LF at offset 4" },
		{ "A: b\rc\r\n\r\n", 0, 0, 0, 0, 0, "bare CR at offset 4" },
		{ "Foo Bar: x\r\n\r\n", 0, 0, 0, 0, 0,
		    "byte 0x20 at offset 3" },
		{ "From a@b\r\n\r\n", 0, 0, 0, 0, 0, "mbox" },
		{ " A: b\r\n\r\n", 0, 0, 0, 0, 0, "no field before it" },
		{ "A: b\r\nfoo\r\n\r\n", 0, 0, 0, 0, 0, "no colon" },
		{ ": b\r\n\r\n", 0, 0, 0, 0, 0, "empty name" },
	};
	struct inkan_limits lim;
	struct run rn;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		lim =
		    lim_with(t[i].line, t[i].field, t[i].fields, t[i].section);
		parse_cstr(t[i].input, t[i].flags, &lim, &rn);
		if (strstr(rn.msg, t[i].want) == NULL) {
			print_error("message %zu: got \"%s\", want \"%s\"\n", i,
			    rn.msg, t[i].want);
			fail();
		}
	}
}

static void
test_stats(void **state)
{
	static const char in[] = "From x\nA: b\r\n c\n"
				 "B: \xc3\xa9\r\x00\r\n\r\nbody";
	struct inkan_hdr_parser *p;
	struct inkan_hdr_event ev;
	struct inkan_hdr_stats st;
	unsigned flags = INKAN_HDR_ALLOW_LF | INKAN_HDR_ALLOW_BARE_CR |
	    INKAN_HDR_ALLOW_NUL | INKAN_HDR_SKIP_MBOX_FROM;
	int r;

	(void)state;
	assert_int_equal(inkan_hdr_parser_new(NULL, flags, &p), INKAN_OK);
	inkan_hdr_parser_stats(p, &st);
	assert_int_equal(st.seen, 0);
	assert_int_equal(st.lines, 0);
	assert_int_equal(
	    inkan_hdr_parser_feed(p, in, sizeof(in) - 1, true), INKAN_OK);
	while ((r = inkan_hdr_parser_next(p, &ev)) == 1 &&
	    ev.type == INKAN_HDR_EV_FIELD)
		;
	assert_int_equal(r, 1);
	assert_int_equal(ev.end.body_offset, 27);
	inkan_hdr_parser_stats(p, &st);
	assert_int_equal(st.seen,
	    INKAN_HDR_SEEN_CRLF | INKAN_HDR_SEEN_BARE_LF |
		INKAN_HDR_SEEN_BARE_CR | INKAN_HDR_SEEN_NUL |
		INKAN_HDR_SEEN_8BIT | INKAN_HDR_SEEN_FOLDED |
		INKAN_HDR_SEEN_MBOX_FROM);
	assert_int_equal(st.lines, 5);
	assert_int_equal(st.crlf_lines, 3);
	assert_int_equal(st.lf_lines, 2);
	assert_int_equal(st.bare_cr, 1);
	assert_int_equal(st.nul, 1);
	assert_int_equal(st.fields, 2);
	assert_int_equal(st.header_offset, 7);
	assert_int_equal(inkan_hdr_parser_error(p, NULL, NULL), INKAN_OK);
	inkan_hdr_parser_free(&p);
}

/* A field wholly inside one chunk is returned in place, not copied. */
static void
test_zero_copy(void **state)
{
	static const char in[] = "A: b\r\nC: d\r\n e\r\n\r\nbody";
	struct inkan_hdr_parser *p;
	struct inkan_hdr_event ev;
	int r;

	(void)state;
	assert_int_equal(inkan_hdr_parser_new(NULL, 0, &p), INKAN_OK);
	inkan_hdr_parser_feed(p, in, sizeof(in) - 1, false);
	while ((r = inkan_hdr_parser_next(p, &ev)) == 1 &&
	    ev.type == INKAN_HDR_EV_FIELD)
		assert_ptr_equal(
		    ev.field.raw.ptr, (const uint8_t *)in + ev.field.offset);
	assert_int_equal(r, 1);
	assert_ptr_equal(ev.end.body.ptr, (const uint8_t *)in + 18);
	assert_int_equal(ev.end.body.len, 4);
	inkan_hdr_parser_free(&p);
}

/* ---- API misuse and stickiness --------------------------------------- */

static void
want_error(struct inkan_hdr_parser *p, enum inkan_status want)
{
	struct inkan_hdr_event ev;
	const char *msg;

	assert_int_equal(inkan_hdr_parser_next(p, &ev), -1);
	assert_int_equal(inkan_hdr_parser_error(p, &msg, NULL), want);
	assert_true(msg[0] != '\0');
	/* Sticky: the same error again, and feeding does not help. */
	assert_int_equal(inkan_hdr_parser_next(p, &ev), -1);
	assert_int_equal(inkan_hdr_parser_feed(p, "A: b\r\n", 6, false), want);
	assert_int_equal(inkan_hdr_parser_error(p, NULL, NULL), want);
}

static void
test_misuse(void **state)
{
	struct inkan_hdr_parser *p;
	struct inkan_hdr_event ev;
	struct inkan_limits lim;

	(void)state;
	/* Bad arguments to new(). */
	assert_int_equal(
	    inkan_hdr_parser_new(NULL, 1u << 20, &p), INKAN_ERR_INVAL);
	assert_null(p);
	lim = lim_with(0, 0, 0, 0);
	lim.hdr_line_max = 0;
	assert_int_equal(inkan_hdr_parser_new(&lim, 0, &p), INKAN_ERR_INVAL);
	lim = lim_with(0, 0, 0, 0);
	lim.hdr_field_max = SIZE_MAX;
	assert_int_equal(inkan_hdr_parser_new(&lim, 0, &p), INKAN_ERR_INVAL);
	inkan_hdr_parser_free(&p); /* NULL is fine */

	/* next() before any input needs input. */
	assert_int_equal(inkan_hdr_parser_new(NULL, 0, &p), INKAN_OK);
	assert_int_equal(inkan_hdr_parser_next(p, &ev), 0);
	assert_int_equal(inkan_hdr_parser_next(p, &ev), 0);
	/* Feeding twice without consuming. */
	assert_int_equal(
	    inkan_hdr_parser_feed(p, "A: b\r\n", 6, false), INKAN_OK);
	assert_int_equal(
	    inkan_hdr_parser_feed(p, "C: d\r\n", 6, false), INKAN_ERR_STATE);
	want_error(p, INKAN_ERR_STATE);
	inkan_hdr_parser_free(&p);

	/* NULL data with a length. */
	assert_int_equal(inkan_hdr_parser_new(NULL, 0, &p), INKAN_OK);
	assert_int_equal(
	    inkan_hdr_parser_feed(p, NULL, 3, false), INKAN_ERR_INVAL);
	want_error(p, INKAN_ERR_INVAL);
	inkan_hdr_parser_free(&p);

	/* next() after END. */
	assert_int_equal(inkan_hdr_parser_new(NULL, 0, &p), INKAN_OK);
	inkan_hdr_parser_feed(p, "\r\n", 2, false);
	assert_int_equal(inkan_hdr_parser_next(p, &ev), 1);
	assert_int_equal(ev.type, INKAN_HDR_EV_END);
	want_error(p, INKAN_ERR_STATE);
	inkan_hdr_parser_free(&p);

	/* feed() after END. */
	assert_int_equal(inkan_hdr_parser_new(NULL, 0, &p), INKAN_OK);
	inkan_hdr_parser_feed(p, NULL, 0, true);
	assert_int_equal(inkan_hdr_parser_next(p, &ev), 1);
	assert_int_equal(ev.type, INKAN_HDR_EV_END);
	assert_false(ev.end.has_body);
	assert_int_equal(
	    inkan_hdr_parser_feed(p, "x", 1, true), INKAN_ERR_STATE);
	inkan_hdr_parser_free(&p);

	/* A syntax error is sticky too. */
	assert_int_equal(inkan_hdr_parser_new(NULL, 0, &p), INKAN_OK);
	inkan_hdr_parser_feed(p, "bad\r\n", 5, false);
	want_error(p, INKAN_ERR_SYNTAX);
	inkan_hdr_parser_free(&p);
}

/* reset() starts a new message: offsets from 0, no leftover state. */
static void
test_reset(void **state)
{
	struct inkan_hdr_parser *p;
	struct inkan_hdr_event ev;
	struct inkan_hdr_stats st;

	(void)state;
	assert_int_equal(inkan_hdr_parser_new(NULL, 0, &p), INKAN_OK);
	/* Leave the first message in the middle of a buffered field. */
	inkan_hdr_parser_feed(p, "A: b\r\n c", 8, false);
	assert_int_equal(inkan_hdr_parser_next(p, &ev), 0);
	inkan_hdr_parser_reset(p);
	inkan_hdr_parser_feed(p, "X: y\r\n\r\n", 8, true);
	assert_int_equal(inkan_hdr_parser_next(p, &ev), 1);
	assert_int_equal(ev.type, INKAN_HDR_EV_FIELD);
	assert_int_equal(ev.field.offset, 0);
	assert_int_equal(ev.field.raw.len, 6);
	assert_memory_equal(ev.field.raw.ptr, "X: y\r\n", 6);
	assert_int_equal(inkan_hdr_parser_next(p, &ev), 1);
	assert_int_equal(ev.end.body_offset, 8);
	inkan_hdr_parser_stats(p, &st);
	assert_int_equal(st.fields, 1);
	/* And after an error. */
	inkan_hdr_parser_reset(p);
	inkan_hdr_parser_feed(p, "bad\r\n", 5, true);
	assert_int_equal(inkan_hdr_parser_next(p, &ev), -1);
	inkan_hdr_parser_reset(p);
	assert_int_equal(inkan_hdr_parser_error(p, NULL, NULL), INKAN_OK);
	inkan_hdr_parser_feed(p, "\r\n", 2, true);
	assert_int_equal(inkan_hdr_parser_next(p, &ev), 1);
	assert_int_equal(ev.type, INKAN_HDR_EV_END);
	inkan_hdr_parser_free(&p);
}

/* ---- helpers -------------------------------------------------------- */

static void
test_unfold(void **state)
{
	static const struct {
		const char *name, *in, *want;
	} t[] = {
		{ "empty", "", "" },
		{ "plain", " a b", " a b" },
		{ "CRLF SP", " a\r\n b", " a b" },
		{ "CRLF HTAB", " a\r\n\tb", " a\tb" },
		{ "several", " a\r\n b\r\n  c", " a b  c" },
		{ "LF", " a\n b", " a b" },
		{ "whitespace-only line", " a\r\n \r\n b", " a  b" },
		{ "CRLF not before WSP", " a\r\nb", " a\r\nb" },
		{ "CRLF at the end", " a\r\n", " a\r\n" },
		{ "bare CR stays", " a\r\r\n b", " a\r b" },
		{ "bare CR before WSP stays", " a\r b", " a\r b" },
		{ "8-bit", " \xc3\xa9\r\n \xc3\xa9", " \xc3\xa9 \xc3\xa9" },
	};
	struct inkan_buf out;
	size_t i;

	(void)state;
	inkan_buf_init(&out, 64);
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		inkan_buf_reset(&out);
		assert_int_equal(
		    inkan_hdr_unfold(inkan_view_cstr(t[i].in), &out), INKAN_OK);
		if (strcmp(inkan_buf_cstr(&out), t[i].want) != 0) {
			print_error("unfold %s: got \"%s\", want \"%s\"\n",
			    t[i].name, inkan_buf_cstr(&out), t[i].want);
			fail();
		}
	}
	/* Over the buffer's maximum: an error, never a cut. */
	inkan_buf_clear(&out);
	inkan_buf_init(&out, 3);
	assert_int_equal(inkan_hdr_unfold(INKAN_VIEW_LIT(" a\r\n bc"), &out),
	    INKAN_ERR_LIMIT);
	inkan_buf_clear(&out);
}

static void
test_field_is(void **state)
{
	struct inkan_hdr_field f;

	(void)state;
	memset(&f, 0, sizeof(f));
	f.name = INKAN_VIEW_LIT("DKIM-Signature");
	assert_true(inkan_hdr_field_is(&f, "DKIM-Signature"));
	assert_true(inkan_hdr_field_is(&f, "dkim-signature"));
	assert_true(inkan_hdr_field_is(&f, "DKIM-SIGNATURE"));
	assert_false(inkan_hdr_field_is(&f, "DKIM-Signatur"));
	assert_false(inkan_hdr_field_is(&f, "DKIM-Signature "));
	assert_false(inkan_hdr_field_is(&f, ""));
}

/* The usage example of inkan/msg.h, as written, over a stdio stream. */
static void
test_usage_example(void **state)
{
	struct inkan_buf msg, names;
	struct inkan_hdr_parser *p;
	struct inkan_hdr_event ev;
	uint8_t chunk[4096];
	uint64_t body_off = 0;
	size_t n, i, body_len = 0;
	FILE *f;
	int r;

	(void)state;
	/* Headers longer than a chunk, and a body starting mid-chunk. */
	inkan_buf_init(&msg, 1 << 20);
	inkan_buf_init(&names, 1 << 16);
	for (i = 0; i < 300; i++)
		inkan_buf_printf(
		    &msg, "X-Field-%zu: value %zu\n folded\n", i, i);
	inkan_buf_append_cstr(&msg, "\nthe body\n");
	assert_int_equal(msg.err, INKAN_OK);
	f = fmemopen(msg.data, msg.len, "rb");
	assert_non_null(f);

	if (inkan_hdr_parser_new(NULL, INKAN_HDR_ALLOW_LF, &p) != INKAN_OK)
		fail();
	do {
		n = fread(chunk, 1, sizeof(chunk), f);
		inkan_hdr_parser_feed(p, chunk, n, n < sizeof(chunk));
		while ((r = inkan_hdr_parser_next(p, &ev)) == 1 &&
		    ev.type == INKAN_HDR_EV_FIELD)
			inkan_buf_printf(&names, "%.*s\n",
			    (int)ev.field.name.len,
			    (const char *)ev.field.name.ptr);
	} while (r == 0);
	assert_int_equal(r, 1);
	assert_true(ev.end.has_body);
	body_off = ev.end.body_offset;
	body_len = ev.end.body.len;
	assert_memory_equal(ev.end.body.ptr, msg.data + body_off, body_len);
	/* The rest of the body comes from the stream. */
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		body_len += n;
	assert_int_equal(body_off, msg.len - 9);
	assert_int_equal(body_len, 9);
	assert_true(body_off > sizeof(chunk));
	assert_non_null(strstr(inkan_buf_cstr(&names), "X-Field-0\n"));
	assert_non_null(strstr(inkan_buf_cstr(&names), "X-Field-299\n"));
	inkan_hdr_parser_free(&p);
	fclose(f);
	inkan_buf_clear(&names);
	inkan_buf_clear(&msg);
}

/* ---- property: chunking does not matter ----------------------------- */

struct prop_msg {
	const char *name;
	unsigned flags;
	size_t line_max, field_max, fields_max, section_max;
	const char *input;
};

static const struct prop_msg prop_msgs[] = {
	{ "CRLF message", 0, 0, 0, 0, 0,
	    "Received: from mail.example.org (mail.example.org [192.0.2.1])\r\n"
	    "\tby mx.example.com with ESMTPS id abc123\r\n"
	    "\tfor <bob@example.com>; Thu, 1 Feb 2024 10:00:00 +0000\r\n"
	    "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed;\r\n"
	    " d=example.org; s=sel; h=from:to:subject:date;\r\n"
	    " bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;\r\n"
	    " b=dzdVyOfAKCdLXdJOc9G2q8LoXSlEniSbav+yuU4zGeeruD00lszZ\r\n"
	    "\t VoG4ZHRNiYzR\r\n"
	    "From: Alice <alice@example.org>\r\n"
	    "To: bob@example.com\r\n"
	    "Subject: =?utf-8?q?caf=C3=A9?=\r\n"
	    "Date: Thu, 1 Feb 2024 10:00:00 +0000\r\n"
	    "\r\n"
	    "Hello.\r\n" },
	{ "LF file with 8-bit", INKAN_HDR_ALLOW_LF, 0, 0, 0, 0,
	    "From: J\xc3\xb6rg <j@example.de>\n"
	    "Subject: Gr\xc3\xbc\xc3\x9f"
	    "e\n"
	    " und mehr\n"
	    "\n"
	    "body\n" },
	{ "mixed endings", INKAN_HDR_ALLOW_LF | INKAN_HDR_ALLOW_BARE_CR, 0, 0,
	    0, 0, "A: 1\r\nB: 2\n C\r\n\tD\rE\n\r\nbody" },
	{ "no separator", 0, 0, 0, 0, 0, "A: 1\r\nB: 2\r\n c" },
	{ "no separator, CR at end", INKAN_HDR_ALLOW_BARE_CR, 0, 0, 0, 0,
	    "A: 1\r\nB: 2\r" },
	{ "mbox", INKAN_HDR_SKIP_MBOX_FROM | INKAN_HDR_ALLOW_LF, 0, 0, 0, 0,
	    "From alice@example.org Thu Feb  1 10:00:00 2024\n"
	    "Subject: x\n\nbody\n" },
	{ "empty header section", 0, 0, 0, 0, 0, "\r\n\r\nbody\r\n" },
	{ "bare LF error", 0, 0, 0, 0, 0, "A: 1\r\nB: 2\r\n c\nD: 4\r\n\r\n" },
	{ "bare CR error", 0, 0, 0, 0, 0, "A: 1\r\nB: 2\r\r\n\r\n" },
	{ "syntax error", 0, 0, 0, 0, 0, "A: 1\r\nB 2\r\n\r\n" },
	{ "line limit", 0, 12, 0, 0, 0,
	    "A: 1\r\nB: 123456\r\nC: 1234567\r\n\r\n" },
	{ "field limit", 0, 0, 24, 0, 0,
	    "A: 1\r\nB: 1\r\n 2\r\n 3\r\n 4\r\n 5\r\n 6\r\n\r\n" },
	{ "fields limit", 0, 0, 0, 3, 0, "A: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n" },
	{ "section limit", 0, 0, 0, 0, 20,
	    "A: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n" },
	{ "line limit at the end", 0, 6, 0, 0, 0, "A: 1\r\nB: 12" },
};

static void
check_splits(const struct prop_msg *m, const uint8_t *in, size_t len)
{
	struct inkan_buf whole, got;
	struct inkan_limits lim;
	struct run rn;
	size_t *sizes, k, j, nsizes;
	uint64_t seed = 0x9e3779b97f4a7c15ULL;
	char how[64];

	lim =
	    lim_with(m->line_max, m->field_max, m->fields_max, m->section_max);
	inkan_buf_init(&whole, OUT_MAX);
	inkan_buf_init(&got, OUT_MAX);
	parse_whole(in, len, m->flags, &lim, &whole, &rn);
	assert_null(strstr(inkan_buf_cstr(&whole), "INVARIANT"));
	sizes = calloc(len + 1, sizeof(*sizes));
	assert_non_null(sizes);

	/* Every chunk size 1..len. */
	for (k = 1; k <= len; k++) {
		nsizes = 0;
		for (j = 0; j < len; j += k)
			sizes[nsizes++] = k;
		inkan_buf_reset(&got);
		parse_split(in, len, m->flags, &lim, sizes, nsizes, &got, &rn);
		snprintf(how, sizeof(how), "chunks of %zu", k);
		want_equal(m->name, how, &got, inkan_buf_cstr(&whole));
	}
	/* Random splits, empty chunks included. */
	for (k = 0; k < 300; k++) {
		size_t left = len;

		nsizes = 0;
		while (left > 0 && nsizes < len) {
			size_t n = (size_t)(xorshift(&seed) % 9);

			if (n > left)
				n = left;
			sizes[nsizes++] = n;
			left -= n;
		}
		inkan_buf_reset(&got);
		parse_split(in, len, m->flags, &lim, sizes, nsizes, &got, &rn);
		snprintf(how, sizeof(how), "random split %zu", k);
		want_equal(m->name, how, &got, inkan_buf_cstr(&whole));
	}
	free(sizes);
	inkan_buf_clear(&whole);
	inkan_buf_clear(&got);
}

static void
test_property_chunking(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(prop_msgs) / sizeof(prop_msgs[0]); i++)
		check_splits(&prop_msgs[i], (const uint8_t *)prop_msgs[i].input,
		    strlen(prop_msgs[i].input));
	/* And every table case, which covers each error. */
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct prop_msg m = { cases[i].name, cases[i].flags,
			cases[i].line_max, cases[i].field_max,
			cases[i].fields_max, cases[i].section_max,
			cases[i].input };

		check_splits(&m, (const uint8_t *)cases[i].input,
		    cases[i].len ? cases[i].len : strlen(cases[i].input));
	}
}

/* A long folded field spanning many chunks stays byte-exact. */
static void
test_long_field(void **state)
{
	static const size_t chunk_sizes[] = { 1, 7, 100, 4096 };
	struct inkan_buf msg, out;
	struct prop_msg m = { "long field", 0, 0, 0, 0, 0, NULL };
	struct run rn;
	size_t i, k, nsizes;
	size_t *sizes;

	(void)state;
	inkan_buf_init(&msg, 1 << 20);
	inkan_buf_init(&out, OUT_MAX);
	inkan_buf_append_cstr(&msg, "DKIM-Signature: v=1;");
	for (i = 0; i < 500; i++)
		inkan_buf_printf(&msg, "\r\n\tb=%064zu", i);
	inkan_buf_append_cstr(&msg, "\r\nFrom: a@b\r\n\r\nbody");
	assert_int_equal(msg.err, INKAN_OK);
	parse_whole(msg.data, msg.len, 0, NULL, &out, &rn);
	assert_null(strstr(inkan_buf_cstr(&out), "INVARIANT"));
	assert_non_null(strstr(inkan_buf_cstr(&out), "F@0 [DKIM-Signature]"));
	sizes = calloc(msg.len, sizeof(*sizes));
	assert_non_null(sizes);
	for (k = 0; k < sizeof(chunk_sizes) / sizeof(chunk_sizes[0]); k++) {
		struct inkan_buf got;
		char how[32];

		nsizes = 0;
		for (i = 0; i < msg.len; i += chunk_sizes[k])
			sizes[nsizes++] = chunk_sizes[k];
		inkan_buf_init(&got, OUT_MAX);
		parse_split(
		    msg.data, msg.len, 0, NULL, sizes, nsizes, &got, &rn);
		snprintf(how, sizeof(how), "chunks of %zu", chunk_sizes[k]);
		want_equal(m.name, how, &got, inkan_buf_cstr(&out));
		inkan_buf_clear(&got);
	}
	free(sizes);
	inkan_buf_clear(&out);
	inkan_buf_clear(&msg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_messages),
		cmocka_unit_test(test_stats),
		cmocka_unit_test(test_zero_copy),
		cmocka_unit_test(test_misuse),
		cmocka_unit_test(test_reset),
		cmocka_unit_test(test_unfold),
		cmocka_unit_test(test_field_is),
		cmocka_unit_test(test_usage_example),
		cmocka_unit_test(test_long_field),
		cmocka_unit_test(test_property_chunking),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
