/*
 * test_canon.c: DKIM canonicalisation (RFC 6376 3.4): the 3.4.6 examples
 * exactly, the corner cases of both body canonicalisations (empty body,
 * only CRLFs, trailing WSP, no final CRLF, bare CR and LF, LF mode), the
 * same output for every way of splitting the input into chunks, header
 * canonicalisation, and the known empty-body hashes (RFC 4871 errata
 * 1376/1377).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dkim/dkim_impl.h"

#define NCASES(a) (sizeof(a) / sizeof((a)[0]))
#define S INKAN_DKIM_SIMPLE
#define R INKAN_DKIM_RELAXED

static const char *
show(const void *s, size_t n)
{
	static char out[4][2048];
	static int k;
	struct inkan_buf b;
	char *o = out[k++ % 4];

	inkan_buf_init(&b, 2000);
	if (inkan_escape(s, n, &b) != INKAN_OK)
		snprintf(o, 2048, "(%zu bytes)", n);
	else
		snprintf(o, 2048, "%s", inkan_buf_cstr(&b));
	inkan_buf_clear(&b);
	return o;
}

static void
sink_buf(void *arg, const uint8_t *p, size_t n)
{
	inkan_buf_append(arg, p, n);
}

/* Canonicalises in[0..n) split at the sizes in chunks (cycled). */
static void
canon_split(enum inkan_dkim_canon canon, bool lf, const char *in, size_t n,
    const size_t *chunks, size_t nchunks, struct inkan_buf *out)
{
	static struct dkim_canon c; /* 8 KiB block: not on the stack */
	size_t off = 0, k = 0;

	inkan_buf_reset(out);
	dkim_canon_init(&c, canon, lf, sink_buf, out);
	while (off < n) {
		size_t len = nchunks ? chunks[k++ % nchunks] : n;
		uint8_t *copy;

		if (len == 0 || len > n - off)
			len = n - off;
		/* An exact copy, so ASan sees a read past the chunk. */
		copy = malloc(len);
		assert_non_null(copy);
		memcpy(copy, in + off, len);
		dkim_canon_body(&c, copy, len);
		free(copy);
		off += len;
	}
	dkim_canon_body_end(&c);
	assert_int_equal(c.total, out->len);
}

struct body_case {
	const char *name;
	enum inkan_dkim_canon canon;
	bool lf;
	const char *in;
	const char *want;
};

static const struct body_case body_cases[] = {
	/* RFC 6376 3.4.6 */
	{ "3.4.6 simple", S, false, " C \r\nD \t E\r\n\r\n\r\n",
	    " C \r\nD \t E\r\n" },
	{ "3.4.6 relaxed", R, false, " C \r\nD \t E\r\n\r\n\r\n",
	    " C\r\nD E\r\n" },
	/* Empty bodies: simple is CRLF (3.4.3), relaxed empty (3.4.4). */
	{ "empty simple", S, false, "", "\r\n" },
	{ "empty relaxed", R, false, "", "" },
	{ "only CRLFs simple", S, false, "\r\n\r\n\r\n", "\r\n" },
	{ "only CRLFs relaxed", R, false, "\r\n\r\n\r\n", "" },
	{ "one CRLF simple", S, false, "\r\n", "\r\n" },
	{ "one CRLF relaxed", R, false, "\r\n", "" },
	{ "only WSP lines relaxed", R, false, " \r\n\t\r\n  ", "" },
	{ "only WSP lines simple", S, false, " \r\n\t\r\n", " \r\n\t\r\n" },
	/* No final CRLF: one is added. */
	{ "no final CRLF simple", S, false, "abc", "abc\r\n" },
	{ "no final CRLF relaxed", R, false, "abc", "abc\r\n" },
	{ "no final CRLF, trailing WSP relaxed", R, false, "abc \t",
	    "abc\r\n" },
	{ "no final CRLF, trailing WSP simple", S, false, "abc \t",
	    "abc \t\r\n" },
	/* Trailing WSP on lines, inner WSP runs. */
	{ "trailing WSP relaxed", R, false, "a  \r\n b\t\tc \r\n",
	    "a\r\n b c\r\n" },
	{ "trailing WSP simple", S, false, "a  \r\n b\t\tc \r\n",
	    "a  \r\n b\t\tc \r\n" },
	{ "empty lines inside kept relaxed", R, false, "a\r\n\r\n\r\nb\r\n",
	    "a\r\n\r\n\r\nb\r\n" },
	{ "empty lines inside kept simple", S, false, "a\r\n\r\n \r\nb",
	    "a\r\n\r\n \r\nb\r\n" },
	{ "WSP line inside relaxed", R, false, "a\r\n \r\nb\r\n",
	    "a\r\n\r\nb\r\n" },
	{ "leading WSP relaxed", R, false, "   a\r\n", " a\r\n" },
	/* Bare CR and LF are content in CRLF mode. */
	{ "bare LF simple", S, false, "a\nb\r\n", "a\nb\r\n" },
	{ "bare LF relaxed", R, false, "a \nb\r\n", "a \nb\r\n" },
	{ "bare CR simple", S, false, "a\rb\r\n\r\n", "a\rb\r\n" },
	{ "bare CR relaxed", R, false, "a \rb\r\n", "a \rb\r\n" },
	{ "CR at the end simple", S, false, "a\r", "a\r\r\n" },
	{ "CR at the end relaxed", R, false, "a\r", "a\r\r\n" },
	{ "CR CR LF simple", S, false, "a\r\r\n", "a\r\r\n" },
	{ "trailing CRLFs then CR relaxed", R, false, "a\r\n\r\n\r",
	    "a\r\n\r\n\r\r\n" },
	/* LF mode: LF is a line ending, CRLF too. */
	{ "LF simple", S, true, "a \nb\n\n\n", "a \r\nb\r\n" },
	{ "LF relaxed", R, true, "a \nb\t\n\n", "a\r\nb\r\n" },
	{ "LF mixed simple", S, true, "a\r\nb\nc", "a\r\nb\r\nc\r\n" },
	{ "LF empty simple", S, true, "\n\n", "\r\n" },
	{ "LF empty relaxed", R, true, "\n \n", "" },
	{ "LF bare CR simple", S, true, "a\rb\n", "a\rb\r\n" },
	{ "8-bit relaxed", R, false, "\xc3\xa9t\xc3\xa9  \xe2\x82\xac\r\n",
	    "\xc3\xa9t\xc3\xa9 \xe2\x82\xac\r\n" },
};

static void
test_body_cases(void **state)
{
	static const size_t split1[] = { 1 }, split2[] = { 2 },
			    split3[] = { 3, 1, 2 };
	struct inkan_buf out;
	size_t i, k, len;

	(void)state;
	inkan_buf_init(&out, 1 << 20);
	for (i = 0; i < NCASES(body_cases); i++) {
		const struct body_case *c = &body_cases[i];

		len = strlen(c->in);
		canon_split(c->canon, c->lf, c->in, len, NULL, 0, &out);
		if (out.len != strlen(c->want) ||
		    memcmp(out.data, c->want, out.len) != 0)
			fail_msg("%s: got \"%s\", want \"%s\"", c->name,
			    show(out.data, out.len),
			    show(c->want, strlen(c->want)));
		for (k = 0; k < 3; k++) {
			const size_t *sp = k == 0 ? split1
			    : k == 1              ? split2
						  : split3;

			canon_split(c->canon, c->lf, c->in, len, sp,
			    k == 2 ? 3 : 1, &out);
			if (out.len != strlen(c->want) ||
			    memcmp(out.data, c->want, out.len) != 0)
				fail_msg(
				    "%s (split %zu): got \"%s\", want \"%s\"",
				    c->name, k, show(out.data, out.len),
				    show(c->want, strlen(c->want)));
		}
	}
	inkan_buf_clear(&out);
}

/*
 * Random bodies, random splits: one answer. Bodies of text-like bytes up
 * to 3000 long reach the fast paths (whole runs of 512 bytes and more
 * passed without a copy) that chunks of 1-17 bytes never take, so this
 * also compares the fast paths with the byte-by-byte ones.
 */
static void
test_body_split_property(void **state)
{
	static const char alphabet[] = { 'a', 'b', 'c', 'd', 'e', ' ', ' ',
		'\t', '\r', '\n', 'x', 'y' };
	static char in[3000];
	struct inkan_buf one, split;
	size_t chunks[8];
	unsigned seed = 12345, special_every;
	int iter, m, c, lf;
	size_t len, i;

	(void)state;
	inkan_buf_init(&one, 1 << 20);
	inkan_buf_init(&split, 1 << 20);
	for (iter = 0; iter < 3000; iter++) {
		seed = seed * 1103515245u + 12345u;
		len = (seed >> 8) % (iter % 2 ? 300 : sizeof(in));
		seed = seed * 1103515245u + 12345u;
		special_every = 1 + (seed >> 16) % 200;
		for (i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			in[i] = (seed >> 16) % special_every == 0
			    ? alphabet[(seed >> 20) % sizeof(alphabet)]
			    : (i % 7 == 6 ? ' ' : (char)('f' + i % 13));
			if (i % 61 == 59 && (seed & 0x100)) {
				in[i] = '\r';
				if (i + 1 < len)
					in[++i] = '\n';
			}
		}
		for (m = 0; m < 8; m++) {
			seed = seed * 1103515245u + 12345u;
			chunks[m] = 1 + (seed >> 16) % 17;
		}
		for (c = 0; c < 2; c++)
			for (lf = 0; lf < 2; lf++) {
				canon_split((enum inkan_dkim_canon)c, lf, in,
				    len, NULL, 0, &one);
				canon_split((enum inkan_dkim_canon)c, lf, in,
				    len, chunks, 8, &split);
				if (one.len != split.len ||
				    memcmp(one.data, split.data, one.len) != 0)
					fail_msg("canon %d lf %d input \"%s\": "
						 "whole \"%s\", split \"%s\"",
					    c, lf, show(in, len),
					    show(one.data, one.len),
					    show(split.data, split.len));
			}
	}
	inkan_buf_clear(&one);
	inkan_buf_clear(&split);
}

/* A body larger than the block, with long runs and many CRLFs. */
static void
test_body_large(void **state)
{
	struct inkan_buf out, want;
	char *in;
	size_t n = 100000, i;

	(void)state;
	in = malloc(n);
	assert_non_null(in);
	inkan_buf_init(&out, 1 << 22);
	inkan_buf_init(&want, 1 << 22);
	for (i = 0; i < n; i++)
		in[i] = (i % 1000 == 998) ? '\r'
		    : (i % 1000 == 999)   ? '\n'
					  : 'x';
	/* 30000 empty lines at the end: held as a count, then dropped. */
	for (i = n - 60000; i < n; i += 2) {
		in[i] = '\r';
		in[i + 1] = '\n';
	}
	canon_split(S, false, in, n, NULL, 0, &out);
	inkan_buf_append(&want, in, n - 60000);
	assert_int_equal(out.len, want.len);
	assert_memory_equal(out.data, want.data, want.len);
	canon_split(R, false, in, n, NULL, 0, &out);
	assert_int_equal(out.len, want.len);
	free(in);
	inkan_buf_clear(&out);
	inkan_buf_clear(&want);
}

struct header_case {
	const char *name;
	enum inkan_dkim_canon canon;
	const char *raw;
	size_t name_len;
	bool strip;
	const char *want;
};

static const struct header_case header_cases[] = {
	/* RFC 6376 3.4.6 */
	{ "3.4.6 A relaxed", R, "A: X\r\n", 1, false, "a:X\r\n" },
	{ "3.4.6 B relaxed", R, "B : Y\t\r\n\tZ  \r\n", 1, false, "b:Y Z\r\n" },
	{ "3.4.6 A simple", S, "A: X\r\n", 1, false, "A: X\r\n" },
	{ "3.4.6 B simple", S, "B : Y\t\r\n\tZ  \r\n", 1, false,
	    "B : Y\t\r\n\tZ  \r\n" },
	{ "relaxed strip", R, "DKIM-Signature: a=1;\r\n b=\r\n", 14, true,
	    "dkim-signature:a=1; b=" },
	{ "simple strip", S, "DKIM-Signature: a=1;\r\n b=\r\n", 14, true,
	    "DKIM-Signature: a=1;\r\n b=" },
	{ "relaxed empty value", R, "Subject:\r\n", 7, false, "subject:\r\n" },
	{ "relaxed only WSP", R, "Subject: \t \r\n", 7, false, "subject:\r\n" },
	{ "relaxed no EOL", R, "Subject: x", 7, false, "subject:x\r\n" },
	{ "relaxed 8-bit", R, "SUBJECT: \xc3\xa9  x\r\n", 7, false,
	    "subject:\xc3\xa9 x\r\n" },
};

static void
test_header_cases(void **state)
{
	struct inkan_buf out;
	size_t i;

	(void)state;
	inkan_buf_init(&out, 1 << 16);
	for (i = 0; i < NCASES(header_cases); i++) {
		const struct header_case *c = &header_cases[i];

		inkan_buf_reset(&out);
		assert_int_equal(
		    dkim_canon_header(c->canon, inkan_view_cstr(c->raw),
			c->name_len, c->strip, &out),
		    INKAN_OK);
		if (strcmp(inkan_buf_cstr(&out), c->want) != 0)
			fail_msg("%s: got \"%s\", want \"%s\"", c->name,
			    show(out.data, out.len),
			    show(c->want, strlen(c->want)));
	}
	inkan_buf_clear(&out);
}

static void
hash_b64(enum inkan_dkim_canon canon, const EVP_MD *md, uint64_t limit,
    const char *body, char *out, size_t cap)
{
	static struct dkim_bodyhash bh;
	struct inkan_buf b;

	assert_int_equal(
	    dkim_bodyhash_init(&bh, canon, false, md, limit), INKAN_OK);
	dkim_bodyhash_feed(&bh, (const uint8_t *)body, strlen(body));
	assert_int_equal(dkim_bodyhash_end(&bh), INKAN_OK);
	inkan_buf_init(&b, 256);
	inkan_base64_encode(bh.digest, bh.dlen, &b);
	snprintf(out, cap, "%s", inkan_buf_cstr(&b));
	inkan_buf_clear(&b);
	dkim_bodyhash_clear(&bh);
}

static void
test_body_hashes(void **state)
{
	static const struct {
		const char *name;
		enum inkan_dkim_canon canon;
		int sha1;
		uint64_t limit;
		const char *body, *want;
	} cases[] = {
		/* RFC 4871 errata 1376 and 1377 (kept in RFC 6376). */
		{ "empty simple sha256", S, 0, UINT64_MAX, "",
		    "frcCV1k9oG9oKj3dpUqdJg1PxRT2RSN/XKdLCPjaYaY=" },
		{ "empty simple sha1", S, 1, UINT64_MAX, "",
		    "uoq1oCgLlTqpdDX/iUbLy7J1Wic=" },
		{ "empty relaxed sha256", R, 0, UINT64_MAX, "",
		    "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=" },
		{ "empty relaxed sha1", R, 1, UINT64_MAX, "",
		    "2jmj7l5rSw0yVb/vlWAYkK/YBwk=" },
		/* l=0 hashes nothing: the empty hash whatever the body. */
		{ "l=0", S, 0, 0, "hello\r\n",
		    "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=" },
		/* l=2 of "\r\n..." is the simple empty body's hash. */
		{ "l=2", S, 0, 2, "\r\nhello\r\n",
		    "frcCV1k9oG9oKj3dpUqdJg1PxRT2RSN/XKdLCPjaYaY=" },
	};
	char got[128];
	size_t i;

	(void)state;
	for (i = 0; i < NCASES(cases); i++) {
		hash_b64(cases[i].canon,
		    cases[i].sha1 ? EVP_sha1() : EVP_sha256(), cases[i].limit,
		    cases[i].body, got, sizeof(got));
		if (strcmp(got, cases[i].want) != 0)
			fail_msg("%s: got %s, want %s", cases[i].name, got,
			    cases[i].want);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_body_cases),
		cmocka_unit_test(test_body_split_property),
		cmocka_unit_test(test_body_large),
		cmocka_unit_test(test_header_cases),
		cmocka_unit_test(test_body_hashes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
