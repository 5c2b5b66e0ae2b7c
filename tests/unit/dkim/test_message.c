/*
 * test_message.c: the header store DKIM verifying and signing share
 * (lib/dkim/message.c): fields copied with CRLF endings (bare LFs made
 * CRLF with allow_lf), and the selection of a signature's fields by h=
 * (RFC 6376 5.4.2): names matched ASCII case-insensitively, bottom up,
 * each instance once, a name with no instance left adding nothing. The
 * names are chosen around the store's name keys (the first eight bytes
 * lowercased): names that differ only in case, names of the same length,
 * names that share their first eight bytes, names past 8 and 16 bytes.
 * Header canonicalisation is checked against a byte-at-a-time reference
 * on generated fields (WSP, CR and LF at every place, 8-bit and control
 * bytes, fields of every length around the 16-byte blocks).
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

#include "canon_ref.h"

#define NCASES(a) (sizeof(a) / sizeof((a)[0]))
#define S INKAN_DKIM_SIMPLE
#define R INKAN_DKIM_RELAXED

static const char *
show(const void *s, size_t n)
{
	static char out[4][4096];
	static int k;
	struct inkan_buf b;
	char *o = out[k++ % 4];

	inkan_buf_init(&b, 4000);
	if (inkan_escape(s, n, &b) != INKAN_OK)
		snprintf(o, 4096, "(%zu bytes)", n);
	else
		snprintf(o, 4096, "%s", inkan_buf_cstr(&b));
	inkan_buf_clear(&b);
	return o;
}

/* Reads hdr (a header section and its blank line) into m. */
static void
load(struct dkim_msg *m, const char *hdr, bool allow_lf)
{
	struct inkan_view body;

	assert_int_equal(
	    dkim_msg_init(m, inkan_limits_defaults(), allow_lf), INKAN_OK);
	assert_int_equal(dkim_msg_feed_headers(
			     m, (const uint8_t *)hdr, strlen(hdr), true, &body),
	    INKAN_OK);
	assert_int_equal(m->state, DKIM_MSG_BODY);
}

/* A header section whose names test the keys. */
static const char section[] = "Received: one\r\n"
			      "From: first@example.com\r\n"
			      "TO: a@example.com\r\n"
			      "Subject: s1\r\n"
			      "X-Long-Header-Name-1: long one\r\n"
			      "x-long-header-name-2: long two\r\n"
			      "Content-Type: text/plain\r\n"
			      "Content-Typf: not the type\r\n"
			      "Message-ID: <id@example.com>\r\n"
			      "subject: s2\r\n"
			      "X-ABCDEFGH: eight\r\n"
			      "x-abcdefgh-: nine\r\n"
			      "Cc: c@example.com\r\n";

struct select_case {
	const char *name;
	const char *h;
	size_t skip; /* a field index, or SIZE_MAX */
	const char *want; /* relaxed */
};

static const struct select_case select_cases[] = {
	{ "one name", "from", SIZE_MAX, "from:first@example.com\r\n" },
	{ "case differs", "FrOm", SIZE_MAX, "from:first@example.com\r\n" },
	{ "capital field", "to", SIZE_MAX, "to:a@example.com\r\n" },
	{ "bottom up", "subject:subject", SIZE_MAX,
	    "subject:s2\r\nsubject:s1\r\n" },
	{ "oversigned", "subject:subject:subject", SIZE_MAX,
	    "subject:s2\r\nsubject:s1\r\n" },
	{ "absent name", "reply-to:from", SIZE_MAX,
	    "from:first@example.com\r\n" },
	{ "prefix of a name", "fro:from:fromm", SIZE_MAX,
	    "from:first@example.com\r\n" },
	{ "same length, last byte", "content-typf", SIZE_MAX,
	    "content-typf:not the type\r\n" },
	{ "same length, both", "content-type:content-typf", SIZE_MAX,
	    "content-type:text/plain\r\ncontent-typf:not the type\r\n" },
	{ "same first eight, long", "x-long-header-name-1", SIZE_MAX,
	    "x-long-header-name-1:long one\r\n" },
	{ "same first eight, long 2", "X-LONG-HEADER-NAME-2", SIZE_MAX,
	    "x-long-header-name-2:long two\r\n" },
	{ "long name absent", "x-long-header-name-3", SIZE_MAX, "" },
	{ "eight bytes", "x-abcdefgh", SIZE_MAX, "x-abcdefgh:eight\r\n" },
	{ "nine bytes", "X-ABCDEFGH-", SIZE_MAX, "x-abcdefgh-:nine\r\n" },
	{ "two bytes at the end", "cc", SIZE_MAX, "cc:c@example.com\r\n" },
	{ "FWS around names", " from\r\n :\tcc ", SIZE_MAX,
	    "from:first@example.com\r\ncc:c@example.com\r\n" },
	{ "empty names", "::from::", SIZE_MAX, "from:first@example.com\r\n" },
	{ "skip the last instance", "subject:subject", 9, "subject:s1\r\n" },
	{ "empty h=", "", SIZE_MAX, "" },
};

static void
test_select(void **state)
{
	struct dkim_msg m;
	struct inkan_buf out;
	size_t i;

	(void)state;
	load(&m, section, false);
	inkan_buf_init(&out, 1 << 16);
	assert_int_equal(m.nfields, 13);
	for (i = 0; i < NCASES(select_cases); i++) {
		const struct select_case *c = &select_cases[i];
		/* h= as a view into a larger text, as in a signature. */
		char *h = malloc(strlen(c->h) + 1);

		assert_non_null(h);
		memcpy(h, c->h, strlen(c->h) + 1);
		inkan_buf_reset(&out);
		assert_int_equal(
		    dkim_msg_select(
			&m, inkan_view_make(h, strlen(h)), R, c->skip, &out),
		    INKAN_OK);
		if (out.len != strlen(c->want) ||
		    memcmp(out.data, c->want, out.len) != 0)
			fail_msg("%s: got \"%s\", want \"%s\"", c->name,
			    show(out.data, out.len),
			    show(c->want, strlen(c->want)));
		free(h);
	}
	/* Simple keeps the fields as they are. */
	inkan_buf_reset(&out);
	assert_int_equal(dkim_msg_select(&m, INKAN_VIEW_LIT("to:subject"), S,
			     SIZE_MAX, &out),
	    INKAN_OK);
	assert_string_equal(inkan_buf_cstr(&out),
	    "TO: a@example.com\r\n"
	    "subject: s2\r\n");
	inkan_buf_clear(&out);
	dkim_msg_clear(&m);
}

struct count_case {
	const char *name;
	size_t want;
};

static const struct count_case count_cases[] = {
	{ "subject", 2 },
	{ "SUBJECT", 2 },
	{ "from", 1 },
	{ "to", 1 },
	{ "t", 0 },
	{ "content-type", 1 },
	{ "content-typ", 0 },
	{ "x-long-header-name-2", 1 },
	{ "x-long-header-name-", 0 },
	{ "x-abcdefgh", 1 },
	{ "x-abcdefg", 0 },
	{ "reply-to", 0 },
};

static void
test_count(void **state)
{
	struct dkim_msg m;
	size_t i, got;

	(void)state;
	load(&m, section, false);
	for (i = 0; i < NCASES(count_cases); i++) {
		got = dkim_msg_count(&m, inkan_view_cstr(count_cases[i].name));
		if (got != count_cases[i].want)
			fail_msg("%s: got %zu, want %zu", count_cases[i].name,
			    got, count_cases[i].want);
	}
	dkim_msg_clear(&m);
}

/* Bare LFs are made CRLF with allow_lf; each copy is followed by a NUL. */
static void
test_store_lf(void **state)
{
	struct dkim_msg m;
	size_t i;

	(void)state;
	load(&m,
	    "From: a@example.com\n"
	    "Subject: one\n two\r\n"
	    "To: b@example.com\n"
	    "\n",
	    true);
	assert_int_equal(m.nfields, 3);
	assert_int_equal(m.fields[0].raw.len, 21);
	assert_memory_equal(m.fields[0].raw.ptr, "From: a@example.com\r\n", 21);
	assert_int_equal(m.fields[1].raw.len, 20);
	assert_memory_equal(
	    m.fields[1].raw.ptr, "Subject: one\r\n two\r\n", 20);
	for (i = 0; i < m.nfields; i++)
		assert_int_equal(m.fields[i].raw.ptr[m.fields[i].raw.len], 0);
	assert_int_equal(m.fields[2].offset, 39);
	dkim_msg_clear(&m);
}

/* Many fields: the copies move as the buffer grows and stay right. */
static void
test_store_many(void **state)
{
	struct inkan_buf hdr, out, want;
	struct dkim_msg m;
	char line[160];
	size_t i;

	(void)state;
	inkan_buf_init(&hdr, 1 << 20);
	inkan_buf_init(&out, 1 << 20);
	inkan_buf_init(&want, 1 << 20);
	for (i = 0; i < 500; i++) {
		snprintf(line, sizeof(line), "X-Field-%zu: value %zu %s\r\n", i,
		    i, i % 7 == 0 ? "with a rather longer value to copy" : "");
		inkan_buf_append_cstr(&hdr, line);
	}
	inkan_buf_append_cstr(&hdr, "\r\n");
	load(&m, inkan_buf_cstr(&hdr), false);
	assert_int_equal(m.nfields, 500);
	for (i = 0; i < 500; i += 37) {
		snprintf(line, sizeof(line), "x-field-%zu", i);
		inkan_buf_reset(&out);
		assert_int_equal(dkim_msg_select(&m, inkan_view_cstr(line), S,
				     SIZE_MAX, &out),
		    INKAN_OK);
		snprintf(line, sizeof(line), "X-Field-%zu: value %zu %s\r\n", i,
		    i, i % 7 == 0 ? "with a rather longer value to copy" : "");
		assert_string_equal(inkan_buf_cstr(&out), line);
	}
	dkim_msg_clear(&m);
	inkan_buf_clear(&hdr);
	inkan_buf_clear(&out);
	inkan_buf_clear(&want);
}

/* Compares dkim_canon_header() on raw[0..n) with the reference, with out
   holding prefix bytes first and at most max bytes. */
static void
check_relaxed(const uint8_t *raw, size_t n, size_t name_len, bool strip,
    size_t prefix, size_t max)
{
	struct inkan_buf got, want;
	enum inkan_status st;
	size_t i, end, colon;

	inkan_buf_init(&got, max);
	inkan_buf_init(&want, SIZE_MAX / 2);
	for (i = 0; i < prefix; i++)
		inkan_buf_append_byte(&got, 'p');
	st = dkim_canon_header(
	    R, inkan_view_make(raw, n), name_len, strip, &got);
	relaxed_ref(raw, n, name_len, strip, &want);
	/* Room is asked for the field as it is and a CRLF (and the colon,
	   when the field has none), whatever the output turns out to be. */
	end = n >= 2 && raw[n - 2] == '\r' && raw[n - 1] == '\n' ? n - 2 : n;
	colon = name_len < end ? name_len : end;
	while (colon < end && raw[colon] != ':')
		colon++;
	if (prefix + end + 2 + (colon == end) > max) {
		if (st != INKAN_ERR_LIMIT)
			fail_msg("\"%s\": got status %d, want a limit error",
			    show(raw, n), (int)st);
	} else if (st != INKAN_OK || got.len != prefix + want.len ||
	    memcmp(got.data + prefix, want.data, want.len) != 0) {
		fail_msg("\"%s\": got \"%s\" (%d), want \"%s\"", show(raw, n),
		    show(got.data + prefix, got.len - prefix), (int)st,
		    show(want.data, want.len));
	}
	inkan_buf_clear(&got);
	inkan_buf_clear(&want);
}

struct relaxed_case {
	const char *raw;
	size_t name_len;
};

/* Fields with WSP, CR and LF where the 16-byte blocks begin and end. */
static const struct relaxed_case relaxed_cases[] = {
	{ "Subject: a  b\r\n", 7 },
	{ "Subject:a\r\n", 7 },
	{ "Subject :  a\r\n", 7 },
	{ "Subject:\r\n\tfolded only\r\n", 7 },
	{ "Subject: one two three four five six seven eight\r\n", 7 },
	{ "Subject: one two three four five six seven eight \r\n", 7 },
	{ "Subject: one two three four five six seven eight\t\r\n", 7 },
	{ "Subject: one two three four five six seven  eight\r\n", 7 },
	{ "Subject: 0123456789abcdef0123456789abcdef \r\n", 7 },
	{ "Subject: 0123456789abcdef 0123456789abcdef\r\n", 7 },
	{ "Subject: 0123456789abcde  0123456789abcdef\r\n", 7 },
	{ "Subject: 0123456789abcdef\r\n 0123456789abcdef\r\n", 7 },
	{ "Subject: 0123456789abcdef\r\n0123456789abcdef\r\n", 7 },
	{ "Subject: 0123456789abcdef\r0123456789abcdef\r\n", 7 },
	{ "Subject: 0123456789abcdef\n0123456789abcdef\r\n", 7 },
	{ "Subject: 0123456789abcdef\x01\x1f\x7f\xff tail end\r\n", 7 },
	{ "Subject: no final line ending at all, long enough", 7 },
	{ "Subject: no final line ending, WSP at the end  ", 7 },
	{ "Subject: ends in a bare LF and more text\n", 7 },
	{ "Subject: ends in a bare CR, more text\r", 7 },
	{ "Subject: CRLF twice at the end of it\r\n\r\n", 7 },
	{ "X-A-Rather-Long-Header-Field-Name-Here: v\r\n", 38 },
	{ "X-A-Rather-Long-Header-Field-Name-Here  : v\r\n", 38 },
	{ "X-Sixteen-Bytes!: v\r\n", 16 },
	{ "X-Seventeen-Bytes: v\r\n", 17 },
	{ "NoColonAtAllInThisField\r\n", 23 },
	{ "Short: x\r\n", 5 },
	{ "A:\r\n", 1 },
	{ "A:", 1 },
	{ "A", 1 },
	{ "", 0 },
};

static void
test_relaxed_cases(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < NCASES(relaxed_cases); i++) {
		const uint8_t *raw = (const uint8_t *)relaxed_cases[i].raw;
		size_t n = strlen(relaxed_cases[i].raw);
		/* An exact allocation: a read past the field shows under
		   AddressSanitizer. */
		uint8_t *copy = malloc(n > 0 ? n : 1);

		assert_non_null(copy);
		if (n > 0)
			memcpy(copy, raw, n);
		check_relaxed(
		    copy, n, relaxed_cases[i].name_len, false, 0, 1 << 16);
		check_relaxed(
		    copy, n, relaxed_cases[i].name_len, true, 0, 1 << 16);
		free(copy);
	}
}

/*
 * Generated fields: every length from 1 to 80, the bytes drawn from an
 * alphabet heavy in WSP, CR and LF, so that runs start and end at every
 * place around the blocks; out with a prefix and with a maximum just
 * around what the field needs, for the exact room and limit paths.
 */
static void
test_relaxed_generated(void **state)
{
	static const uint8_t alphabet[] = "ab  \t\r\n:Z\x01\xc3.";
	uint32_t seed = 12345;
	size_t n, k, i;

	(void)state;
	for (n = 1; n <= 80; n++) {
		for (k = 0; k < 200; k++) {
			uint8_t *raw = malloc(n);
			size_t name_len, want_max;

			assert_non_null(raw);
			for (i = 0; i < n; i++) {
				seed = seed * 1103515245u + 12345u;
				raw[i] = alphabet[(seed >> 16) %
				    (sizeof(alphabet) - 1)];
			}
			if (k % 2 == 0 && n >= 2) {
				raw[n - 2] = '\r';
				raw[n - 1] = '\n';
			}
			name_len = (seed >> 8) % (n + 1);
			check_relaxed(
			    raw, n, name_len, k % 3 == 0, k % 5, 1 << 16);
			/* Just around the room the output needs. */
			want_max = n + 3 + k % 5;
			check_relaxed(
			    raw, n, name_len, false, k % 5, want_max - (k % 4));
			free(raw);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_select),
		cmocka_unit_test(test_count),
		cmocka_unit_test(test_store_lf),
		cmocka_unit_test(test_store_many),
		cmocka_unit_test(test_relaxed_cases),
		cmocka_unit_test(test_relaxed_generated),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
