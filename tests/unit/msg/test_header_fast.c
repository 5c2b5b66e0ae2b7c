/*
 * test_header_fast.c: the header parser's fast path (lib/msg/header.c,
 * fast_next()) against its general path.
 *
 * The fast path takes a field or the blank line whole from one chunk; the
 * general path takes every line, in any split. Fed byte by byte, every
 * field crosses chunks and only the general path answers; fed whole, the
 * fast path answers where it can. So each input is parsed whole, byte by
 * byte and in random splits, and everything the parser says must be the
 * same: every event with its views as offsets, the stats after each
 * event, the error with its offset and message. The inputs are generated
 * header sections, clean and hostile, with random flags and limits, and
 * inputs that put each byte the parser looks at on every position around
 * the fast path's 64-byte words and 512-byte windows.
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

/*
 * Writes everything the parser says about in[0..len), fed in chunks of
 * sizes[0], sizes[1], ... (the rest in one chunk when they run out), to
 * out: each event with its views as offsets, the stats after each event,
 * and the error with its offset and message. Chunks are fresh copies, so
 * a view into a stale chunk shows under ASan.
 */
static void
transcript(const uint8_t *in, size_t len, unsigned flags,
    const struct inkan_limits *lim, const size_t *sizes, size_t nsizes,
    struct inkan_buf *out)
{
	struct inkan_hdr_parser *p = NULL;
	struct inkan_hdr_event ev;
	struct inkan_hdr_stats st;
	size_t pos = 0, i = 0, n;
	uint64_t off;
	uint8_t *chunk;
	bool last;
	int r = 0;

	assert_int_equal(inkan_hdr_parser_new(lim, flags, &p), INKAN_OK);
	do {
		n = i < nsizes ? sizes[i++] : len - pos;
		if (n > len - pos)
			n = len - pos;
		last = pos + n == len;
		chunk = malloc(n > 0 ? n : 1);
		assert_non_null(chunk);
		memcpy(chunk, in + pos, n);
		inkan_hdr_parser_feed(p, chunk, n, last);
		while ((r = inkan_hdr_parser_next(p, &ev)) == 1) {
			const struct inkan_hdr_field *f = &ev.field;

			inkan_hdr_parser_stats(p, &st);
			if (ev.type == INKAN_HDR_EV_FIELD) {
				inkan_buf_printf(out,
				    "F@%llu raw=%zu name=%zu value=+%lld,%zu "
				    "flags=%x%s",
				    (unsigned long long)f->offset, f->raw.len,
				    f->name.len,
				    (long long)(f->value.ptr - f->raw.ptr),
				    f->value.len, f->flags,
				    f->name.ptr == f->raw.ptr &&
					    f->offset <= len &&
					    f->raw.len <= len - f->offset &&
					    memcmp(f->raw.ptr, in + f->offset,
						f->raw.len) == 0
					? ""
					: " BADRAW");
			} else {
				inkan_buf_printf(out,
				    "END@%llu blank=%zu body=%d%s",
				    (unsigned long long)ev.end.body_offset,
				    ev.end.blank_len, ev.end.has_body,
				    ev.end.body.ptr ==
						chunk +
						    (ev.end.body_offset -
							pos) &&
					    ev.end.body.len ==
						pos + n - ev.end.body_offset
					? ""
					: " BADBODY");
			}
			inkan_buf_printf(out,
			    " | seen=%x lines=%llu crlf=%llu lf=%llu "
			    "cr=%llu nul=%llu fields=%zu hoff=%llu\n",
			    st.seen, (unsigned long long)st.lines,
			    (unsigned long long)st.crlf_lines,
			    (unsigned long long)st.lf_lines,
			    (unsigned long long)st.bare_cr,
			    (unsigned long long)st.nul, st.fields,
			    (unsigned long long)st.header_offset);
			if (ev.type == INKAN_HDR_EV_END)
				break;
		}
		memset(chunk, 0xa5, n);
		free(chunk);
		pos += n;
	} while (r == 0 && !last);
	if (r == 0)
		inkan_buf_append_cstr(out, "INVARIANT 0 after last\n");
	if (r < 0) {
		const char *msg;
		enum inkan_status es = inkan_hdr_parser_error(p, &msg, &off);

		inkan_hdr_parser_stats(p, &st);
		inkan_buf_printf(out, "ERR %s @%llu %s | lines=%llu\n",
		    status_name(es), (unsigned long long)off, msg,
		    (unsigned long long)st.lines);
	}
	inkan_hdr_parser_free(&p);
}

/*
 * Appends n random bytes of a field's value: printable, and at hostility
 * 1 or 2 now and then a byte the parser looks at.
 */
static void
gen_value(struct inkan_buf *m, uint64_t *seed, size_t n, unsigned hostile)
{
	static const uint8_t odd[] = { '\r', '\n', '\0', 0x80, 0xc3, 0xff, '\t',
		' ', ':', 0x7f, 0x01 };
	size_t i;

	for (i = 0; i < n; i++) {
		uint64_t x = xorshift(seed);

		if (hostile > 0 && x % (hostile == 1 ? 400 : 60) == 0)
			inkan_buf_append_byte(m, odd[(x >> 8) % sizeof(odd)]);
		else
			inkan_buf_append_byte(
			    m, (uint8_t)(' ' + (x >> 8) % 95));
	}
}

/* A line ending: CRLF; at hostility 1 also LF; at 2 anything. */
static void
gen_eol(struct inkan_buf *m, uint64_t *seed, unsigned hostile)
{
	static const char *const eols[] = { "\r\n", "\n", "\r", "\r\r\n", "" };
	uint64_t x = xorshift(seed);

	if (hostile == 0 || x % 8 != 0)
		inkan_buf_append_cstr(m, "\r\n");
	else
		inkan_buf_append_cstr(m, eols[hostile == 1 ? 1 : (x >> 8) % 5]);
}

/* A header section, clean or with hostile bytes, then a body. */
static void
gen_message(struct inkan_buf *m, uint64_t *seed, unsigned hostile)
{
	static const char *const names[] = { "Subject", "From", "To",
		"DKIM-Signature", "X", "Received", "Content-Transfer-Encoding",
		("List-Unsubscribe-Post-And-A-Name-Longer-Than-Sixty-"
		 "Four-Bytes-Of-Ftext"),
		"A b", "", "N\xc3\xa9", "Q\x7f", "From ", " X", "\tY", "\r\n" };
	size_t nfields = (size_t)(xorshift(seed) % 16), i, k, nfold, vlen;

	if (xorshift(seed) % 16 == 0) {
		inkan_buf_append_cstr(m, "From alice Mon Nov 23 00:00:00 2026");
		gen_eol(m, seed, hostile);
	}
	for (i = 0; i < nfields; i++) {
		uint64_t x = xorshift(seed);

		inkan_buf_append_cstr(m,
		    hostile < 2 || x % 4 != 0
			? names[(x >> 4) % 8]
			: names[(x >> 4) % (sizeof(names) / sizeof(names[0]))]);
		if ((x >> 12) % 10 == 0)
			inkan_buf_append_cstr(m, " \t");
		if (hostile < 2 || (x >> 16) % 30 != 0)
			inkan_buf_append_byte(m, ':');
		vlen = (x >> 20) % 16 == 0 ? (size_t)((x >> 28) % 1500)
					   : (size_t)((x >> 28) % 120);
		gen_value(m, seed, vlen, hostile);
		gen_eol(m, seed, hostile);
		nfold = (x >> 40) % 3 == 0 ? (size_t)((x >> 44) % 12) : 0;
		for (k = 0; k < nfold; k++) {
			inkan_buf_append_byte(
			    m, (xorshift(seed) & 1) ? ' ' : '\t');
			gen_value(
			    m, seed, (size_t)(xorshift(seed) % 90), hostile);
			gen_eol(m, seed, hostile);
		}
	}
	if (xorshift(seed) % 8 != 0)
		gen_eol(m, seed, hostile);
	gen_value(m, seed, (size_t)(xorshift(seed) % 200), 2);
}

/*
 * The fast path that takes a field whole from one chunk must say exactly
 * what the line-by-line path says: generated sections, hostile bytes
 * included, parsed whole, byte by byte and in random chunks, with
 * random flags and limits, must give the same events, stats, errors,
 * offsets and messages.
 */
static void
test_property_generated(void **state)
{
	struct inkan_buf msg, whole, got;
	struct inkan_limits lim;
	uint64_t seed = 0x2545f4914f6cdd1dULL;
	size_t *sizes, nsizes, i, k, left;
	unsigned flags;
	char how[64];

	(void)state;
	inkan_buf_init(&msg, 1 << 20);
	inkan_buf_init(&whole, OUT_MAX);
	inkan_buf_init(&got, OUT_MAX);
	sizes = calloc(1 << 16, sizeof(*sizes));
	assert_non_null(sizes);
	for (i = 0; i < 1500; i++) {
		inkan_buf_reset(&msg);
		gen_message(&msg, &seed, (unsigned)(i % 3));
		assert_int_equal(msg.err, INKAN_OK);
		flags = (unsigned)(xorshift(&seed) % 16);
		inkan_limits_default(&lim);
		if (xorshift(&seed) % 4 == 0) {
			lim.hdr_line_max = 1 + xorshift(&seed) % 1000;
			lim.hdr_field_max = 1 + xorshift(&seed) % 3000;
			lim.hdr_fields_max = 1 + xorshift(&seed) % 15;
			lim.hdr_section_max = 1 + xorshift(&seed) % 8000;
		}
		inkan_buf_reset(&whole);
		transcript(msg.data, msg.len, flags, &lim, NULL, 0, &whole);
		assert_null(strstr(inkan_buf_cstr(&whole), "INVARIANT"));
		assert_null(strstr(inkan_buf_cstr(&whole), "BAD"));

		/* Byte by byte: every field crosses chunks. */
		for (k = 0; k < msg.len; k++)
			sizes[k] = 1;
		inkan_buf_reset(&got);
		transcript(
		    msg.data, msg.len, flags, &lim, sizes, msg.len, &got);
		snprintf(how, sizeof(how), "message %zu byte by byte", i);
		want_equal(
		    inkan_buf_cstr(&msg), how, &got, inkan_buf_cstr(&whole));

		/* The whole message, then an empty last chunk. */
		sizes[0] = msg.len;
		sizes[1] = 0;
		inkan_buf_reset(&got);
		transcript(msg.data, msg.len, flags, &lim, sizes, 2, &got);
		snprintf(how, sizeof(how), "message %zu, then empty", i);
		want_equal(
		    inkan_buf_cstr(&msg), how, &got, inkan_buf_cstr(&whole));

		/* Random chunks, from tiny to larger than the fast path's
		 * windows. */
		for (k = 0; k < 4; k++) {
			size_t max = k == 0 ? 8 : k == 1 ? 80 : 700;

			nsizes = 0;
			for (left = msg.len; left > 0 && nsizes < (1 << 16);) {
				size_t n = (size_t)(xorshift(&seed) % max);

				n = n > left ? left : n;
				sizes[nsizes++] = n;
				left -= n;
			}
			inkan_buf_reset(&got);
			transcript(msg.data, msg.len, flags, &lim, sizes,
			    nsizes, &got);
			snprintf(
			    how, sizeof(how), "message %zu, split %zu", i, k);
			want_equal(inkan_buf_cstr(&msg), how, &got,
			    inkan_buf_cstr(&whole));
		}
	}
	free(sizes);
	inkan_buf_clear(&msg);
	inkan_buf_clear(&whole);
	inkan_buf_clear(&got);
}

/*
 * The fast path classifies the chunk 64 bytes at a time, in windows of
 * 512: every byte the parser looks at (bare CR, CRLF split across two
 * words, NUL, 8-bit, LF, a fold) at every position around those
 * boundaries, in a first field, a continuation and a later field, must
 * give what the line-by-line path gives.
 */
static void
test_property_boundaries(void **state)
{
	static const char *const bytes[] = { "\r", "\r\n", "\r\r\n", "\0",
		"\x80", "\n", "\n ", "\r\n ", "\r\n\r\n", ":", "\n\n", "\rx\n",
		"\r\r" };
	static const size_t starts[] = { 0, 40, 440, 500 };
	static const unsigned flag_sets[] = { 0,
		INKAN_HDR_ALLOW_LF | INKAN_HDR_ALLOW_BARE_CR |
		    INKAN_HDR_ALLOW_NUL };
	struct inkan_buf msg, whole, got;
	size_t b, s, k, f, l, pos, *sizes;
	char how[96];

	(void)state;
	inkan_buf_init(&msg, 1 << 16);
	inkan_buf_init(&whole, OUT_MAX);
	inkan_buf_init(&got, OUT_MAX);
	sizes = calloc(1 << 16, sizeof(*sizes));
	assert_non_null(sizes);
	for (b = 0; b < sizeof(bytes) / sizeof(bytes[0]); b++)
		for (s = 0; s < sizeof(starts) / sizeof(starts[0]); s++)
			for (f = 0;
			     f < sizeof(flag_sets) / sizeof(flag_sets[0]); f++)
				for (l = 0; l < 140; l++) {
					/* A field that puts the next at
					 * starts[s], then one with the byte at
					 * offset l + 3 of it, folded, then the
					 * blank line. */
					inkan_buf_reset(&msg);
					if (starts[s] > 0) {
						inkan_buf_append_cstr(
						    &msg, "P: ");
						for (k = 5; k < starts[s]; k++)
							inkan_buf_append_byte(
							    &msg, 'p');
						inkan_buf_append_cstr(
						    &msg, "\r\n");
					}
					inkan_buf_append_cstr(&msg, "A: ");
					for (k = 0; k < l; k++)
						inkan_buf_append_byte(
						    &msg, 'a');
					pos = msg.len;
					inkan_buf_append(&msg, bytes[b],
					    bytes[b][0] == '\0'
						? 1
						: strlen(bytes[b]));
					inkan_buf_append_cstr(&msg, "x\r\n ");
					for (k = 0; k < l; k++)
						inkan_buf_append_byte(
						    &msg, 'c');
					inkan_buf_append(&msg, bytes[b],
					    bytes[b][0] == '\0'
						? 1
						: strlen(bytes[b]));
					inkan_buf_append_cstr(
					    &msg, "y\r\nB: z\r\n\r\nbody");
					assert_int_equal(msg.err, INKAN_OK);

					inkan_buf_reset(&whole);
					transcript(msg.data, msg.len,
					    flag_sets[f], NULL, NULL, 0,
					    &whole);
					for (k = 0; k < msg.len; k++)
						sizes[k] = 1;
					inkan_buf_reset(&got);
					transcript(msg.data, msg.len,
					    flag_sets[f], NULL, sizes, msg.len,
					    &got);
					snprintf(how, sizeof(how),
					    "byte %zu at %zu, flags %x, byte "
					    "by byte",
					    b, pos, flag_sets[f]);
					want_equal(inkan_buf_cstr(&msg), how,
					    &got, inkan_buf_cstr(&whole));
					/* Cut just before and after the byte.
					 */
					sizes[0] = pos;
					sizes[1] = 1;
					sizes[2] = 1;
					inkan_buf_reset(&got);
					transcript(msg.data, msg.len,
					    flag_sets[f], NULL, sizes, 3, &got);
					snprintf(how, sizeof(how),
					    "byte %zu at %zu, flags %x, cut", b,
					    pos, flag_sets[f]);
					want_equal(inkan_buf_cstr(&msg), how,
					    &got, inkan_buf_cstr(&whole));
				}
	free(sizes);
	inkan_buf_clear(&msg);
	inkan_buf_clear(&whole);
	inkan_buf_clear(&got);
}

/*
 * A field that runs to the end of a chunk of every length around the
 * fast path's words and windows (64, 512, 1024 bytes), folded or not, and
 * the blank line after it in the next chunk: the chunk is an exact
 * allocation, so a read past it shows under ASan.
 */
static void
test_chunk_end_windows(void **state)
{
	struct inkan_buf msg, whole, got;
	size_t len, k, fold, sizes[2];
	char how[64];

	(void)state;
	inkan_buf_init(&msg, 1 << 16);
	inkan_buf_init(&whole, OUT_MAX);
	inkan_buf_init(&got, OUT_MAX);
	for (fold = 0; fold < 2; fold++)
		for (len = 1; len < 1100; len++) {
			if (len > 80 && (len % 64 > 3 && len % 64 < 61))
				continue;
			inkan_buf_reset(&msg);
			inkan_buf_append_cstr(&msg, "A: ");
			for (k = 3; k < len; k++)
				inkan_buf_append_byte(&msg,
				    fold && k % 50 == 0       ? '\n'
					: fold && k % 50 == 1 ? ' '
							      : 'a');
			inkan_buf_append_cstr(&msg, "\r\n\r\nbody");
			inkan_buf_reset(&whole);
			transcript(msg.data, msg.len, INKAN_HDR_ALLOW_LF, NULL,
			    NULL, 0, &whole);
			sizes[0] = len;
			sizes[1] = 1;
			inkan_buf_reset(&got);
			transcript(msg.data, msg.len, INKAN_HDR_ALLOW_LF, NULL,
			    sizes, 2, &got);
			snprintf(how, sizeof(how), "chunk of %zu, fold %zu",
			    len, fold);
			want_equal(inkan_buf_cstr(&msg), how, &got,
			    inkan_buf_cstr(&whole));
		}
	inkan_buf_clear(&msg);
	inkan_buf_clear(&whole);
	inkan_buf_clear(&got);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_property_generated),
		cmocka_unit_test(test_property_boundaries),
		cmocka_unit_test(test_chunk_end_windows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
