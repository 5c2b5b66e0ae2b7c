/*
 * test_view.c: views (comparisons, sub, trim, find) and cursors (take,
 * accept, expect, the sticky error after reading past the end).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <inkan/util.h>

#define NCASES(a) (sizeof(a) / sizeof((a)[0]))

/* Fails with got/want unless v holds exactly the string want. */
static void
check_view(const char *name, struct inkan_view v, const char *want)
{
	size_t n = strlen(want);

	if (v.len != n || (n > 0 && memcmp(v.ptr, want, n) != 0))
		fail_msg("%s: got \"%.*s\" (%zu bytes), want \"%s\"", name,
		    (int)v.len, v.ptr != NULL ? (const char *)v.ptr : "", v.len,
		    want);
}

static void
test_make(void **state)
{
	struct inkan_view v;

	(void)state;
	v = inkan_view_make("abc", 2);
	check_view("make", v, "ab");
	v = inkan_view_make(NULL, 0);
	check_view("make NULL", v, "");
	v = inkan_view_cstr("v=spf1");
	check_view("cstr", v, "v=spf1");
	v = inkan_view_cstr(NULL);
	check_view("cstr NULL", v, "");
	v = INKAN_VIEW_LIT("DKIM-Signature");
	check_view("literal", v, "DKIM-Signature");
}

static void
test_compare(void **state)
{
	static const struct {
		const char *a, *b;
		bool eq, eq_nocase, prefix_nocase;
	} cases[] = {
		{ "", "", true, true, true },
		{ "a", "", false, false, true },
		{ "", "a", false, false, false },
		{ "v=spf1", "v=spf1", true, true, true },
		{ "V=SPF1", "v=spf1", false, true, true },
		{ "v=spf1 -all", "V=SPF1", false, false, true },
		{ "v=spf", "v=spf1", false, false, false },
		{ "abc", "abd", false, false, false },
		/* Only ASCII letters fold: '@' and '`' are not 'A'-1, 'a'-1. */
		{ "@", "`", false, false, false },
		{ "[", "{", false, false, false },
		/* Bytes past ASCII compare exactly. */
		{ "\xc3\xa9", "\xc3\x89", false, false, false },
	};
	size_t i;
	struct inkan_view a, b;

	(void)state;
	for (i = 0; i < NCASES(cases); i++) {
		a = inkan_view_cstr(cases[i].a);
		b = inkan_view_cstr(cases[i].b);
		if (inkan_view_eq(a, b) != cases[i].eq)
			fail_msg("eq(\"%s\", \"%s\"): got %d, want %d",
			    cases[i].a, cases[i].b, !cases[i].eq, cases[i].eq);
		if (inkan_view_eq_nocase(a, b) != cases[i].eq_nocase)
			fail_msg("eq_nocase(\"%s\", \"%s\"): got %d, want %d",
			    cases[i].a, cases[i].b, !cases[i].eq_nocase,
			    cases[i].eq_nocase);
		if (inkan_view_eq_cstr_nocase(a, cases[i].b) !=
		    cases[i].eq_nocase)
			fail_msg("eq_cstr_nocase(\"%s\", \"%s\"): got %d, "
				 "want %d",
			    cases[i].a, cases[i].b, !cases[i].eq_nocase,
			    cases[i].eq_nocase);
		if (inkan_view_prefix_nocase(a, b) != cases[i].prefix_nocase)
			fail_msg("prefix_nocase(\"%s\", \"%s\"): got %d, "
				 "want %d",
			    cases[i].a, cases[i].b, !cases[i].prefix_nocase,
			    cases[i].prefix_nocase);
	}
	/* Embedded NULs are bytes like any other. */
	a = inkan_view_make("a\0b", 3);
	b = inkan_view_make("a\0c", 3);
	assert_false(inkan_view_eq(a, b));
	assert_false(inkan_view_eq_nocase(a, b));
	assert_true(inkan_view_eq(a, inkan_view_make("a\0b", 3)));
	/* An empty view with a NULL pointer equals any other empty view. */
	assert_true(
	    inkan_view_eq(inkan_view_make(NULL, 0), inkan_view_make("x", 0)));
}

static void
test_sub(void **state)
{
	static const struct {
		const char *name, *in;
		size_t off, n;
		const char *want;
	} cases[] = {
		{ "whole", "abcdef", 0, 6, "abcdef" },
		{ "middle", "abcdef", 2, 3, "cde" },
		{ "n clamped", "abcdef", 4, 100, "ef" },
		{ "n SIZE_MAX", "abcdef", 1, SIZE_MAX, "bcdef" },
		{ "off at end", "abcdef", 6, 1, "" },
		{ "off past end", "abcdef", 7, 1, "" },
		{ "off SIZE_MAX", "abcdef", SIZE_MAX, SIZE_MAX, "" },
		{ "zero length", "abcdef", 3, 0, "" },
		{ "empty", "", 0, 5, "" },
	};
	size_t i;
	struct inkan_view v, in;

	(void)state;
	for (i = 0; i < NCASES(cases); i++) {
		in = inkan_view_cstr(cases[i].in);
		v = inkan_view_sub(in, cases[i].off, cases[i].n);
		check_view(cases[i].name, v, cases[i].want);
		/* A sub-view stays inside its parent. */
		assert_true(
		    v.ptr >= in.ptr && v.ptr + v.len <= in.ptr + in.len);
	}
	v = inkan_view_sub(inkan_view_make(NULL, 0), 3, 3);
	assert_int_equal(v.len, 0);
}

static void
test_trim(void **state)
{
	static const struct {
		const char *in;
		unsigned cls;
		const char *want;
	} cases[] = {
		{ "", INKAN_CC_WSP, "" },
		{ "abc", INKAN_CC_WSP, "abc" },
		{ "  abc", INKAN_CC_WSP, "abc" },
		{ "abc \t", INKAN_CC_WSP, "abc" },
		{ " \ta b\t c \t", INKAN_CC_WSP, "a b\t c" },
		{ " \t \t", INKAN_CC_WSP, "" },
		{ "x", INKAN_CC_WSP, "x" },
		/* CR LF are not WSP: trimming them takes CTL. */
		{ "\r\n abc\r\n", INKAN_CC_WSP, "\r\n abc\r\n" },
		{ "\r\n abc\r\n", INKAN_CC_WSP | INKAN_CC_CTL, "abc" },
		{ "123abc456", INKAN_CC_DIGIT, "abc" },
		{ "abc", 0, "abc" },
	};
	size_t i;
	struct inkan_view in, v;

	(void)state;
	for (i = 0; i < NCASES(cases); i++) {
		in = inkan_view_cstr(cases[i].in);
		v = inkan_view_trim(in, cases[i].cls);
		check_view(cases[i].in, v, cases[i].want);
		assert_true(
		    v.ptr >= in.ptr && v.ptr + v.len <= in.ptr + in.len);
	}
	check_view(
	    "NULL view", inkan_view_trim(inkan_view_make(NULL, 0), 0x3ff), "");
}

static void
test_find(void **state)
{
	static const struct {
		const char *in;
		char c;
		size_t want;
	} cases[] = {
		{ "", '=', 0 },
		{ "=", '=', 0 },
		{ "k=v", '=', 1 },
		{ "k=v=w", '=', 1 },
		{ "kv", '=', 2 },
		{ "abc;", ';', 3 },
	};
	size_t i, got;

	(void)state;
	for (i = 0; i < NCASES(cases); i++) {
		got = inkan_view_find(
		    inkan_view_cstr(cases[i].in), (uint8_t)cases[i].c);
		if (got != cases[i].want)
			fail_msg("find(\"%s\", '%c'): got %zu, want %zu",
			    cases[i].in, cases[i].c, got, cases[i].want);
	}
	assert_int_equal(inkan_view_find(inkan_view_make("a\0b", 3), 0), 1);
	assert_int_equal(inkan_view_find(inkan_view_make(NULL, 0), 0), 0);
}

/* Reading past the end sets err; after it every reader returns nothing. */
static void
test_cursor_sticky(void **state)
{
	struct inkan_cursor c;
	struct inkan_view v;

	(void)state;
	inkan_cursor_init(&c, "ab", 2);
	assert_int_equal(inkan_cursor_left(&c), 2);
	assert_false(inkan_cursor_eof(&c));
	assert_int_equal(inkan_cursor_get(&c), 'a');
	assert_int_equal(inkan_cursor_get(&c), 'b');
	assert_true(inkan_cursor_eof(&c));
	assert_false(c.err); /* reaching the end is not an error */
	assert_int_equal(inkan_cursor_peek(&c), -1);
	assert_false(c.err); /* nor is peeking there */
	assert_int_equal(inkan_cursor_get(&c), -1);
	assert_true(c.err);

	/* The error sticks through every kind of read. */
	assert_int_equal(inkan_cursor_left(&c), 0);
	assert_true(inkan_cursor_eof(&c));
	assert_int_equal(inkan_cursor_peek(&c), -1);
	assert_int_equal(inkan_cursor_peek_at(&c, 0), -1);
	assert_int_equal(inkan_cursor_get(&c), -1);
	assert_false(inkan_cursor_accept(&c, 'a'));
	assert_false(inkan_cursor_accept_nocase(&c, ""));
	inkan_cursor_skip(&c, 0);
	inkan_cursor_take(&c, 0, &v);
	assert_int_equal(v.len, 0);
	assert_int_equal(inkan_cursor_take_while(&c, 0x3ff, &v), 0);
	assert_int_equal(v.len, 0);
	assert_int_equal(inkan_cursor_skip_while(&c, 0x3ff), 0);
	assert_int_equal(inkan_cursor_rest(&c).len, 0);
	assert_true(c.err);

	/* An error in the middle hides the bytes that are still there. */
	inkan_cursor_init(&c, "abc", 3);
	inkan_cursor_expect(&c, 'x');
	assert_true(c.err);
	assert_int_equal(inkan_cursor_left(&c), 0);
	assert_int_equal(inkan_cursor_peek(&c), -1);
	assert_int_equal(inkan_cursor_get(&c), -1);
	assert_false(inkan_cursor_accept(&c, 'a'));
	assert_int_equal(inkan_cursor_rest(&c).len, 0);

	/* The empty cursor, NULL pointer included. */
	inkan_cursor_init(&c, NULL, 0);
	assert_true(inkan_cursor_eof(&c));
	assert_int_equal(inkan_cursor_rest(&c).len, 0);
	assert_int_equal(inkan_cursor_skip_while(&c, 0x3ff), 0);
	assert_false(c.err);
	assert_int_equal(inkan_cursor_get(&c), -1);
	assert_true(c.err);
}

static void
test_cursor_peek(void **state)
{
	struct inkan_cursor c;

	(void)state;
	inkan_cursor_init(&c, "xyz", 3);
	assert_int_equal(inkan_cursor_peek(&c), 'x');
	assert_int_equal(inkan_cursor_peek_at(&c, 0), 'x');
	assert_int_equal(inkan_cursor_peek_at(&c, 2), 'z');
	assert_int_equal(inkan_cursor_peek_at(&c, 3), -1);
	assert_int_equal(inkan_cursor_peek_at(&c, SIZE_MAX), -1);
	assert_int_equal(c.pos, 0);
	assert_false(c.err);
	/* A byte >= 0x80 is returned as 0-255, never as a negative. */
	inkan_cursor_init(&c, "\xff", 1);
	assert_int_equal(inkan_cursor_peek(&c), 0xff);
	assert_int_equal(inkan_cursor_get(&c), 0xff);
}

static void
test_cursor_take_skip(void **state)
{
	static const struct {
		const char *name, *in;
		size_t skip, take;
		bool want_err;
		const char *want, *rest;
	} cases[] = {
		{ "take some", "abcdef", 1, 2, false, "bc", "def" },
		{ "take all", "abcdef", 0, 6, false, "abcdef", "" },
		{ "take rest exactly", "abcdef", 2, 4, false, "cdef", "" },
		{ "take one past end", "abcdef", 2, 5, true, "", "" },
		{ "take SIZE_MAX", "abcdef", 0, SIZE_MAX, true, "", "" },
		{ "take zero", "abcdef", 3, 0, false, "", "def" },
		{ "take zero at end", "abc", 3, 0, false, "", "" },
		{ "skip past end", "abc", 4, 0, true, "", "" },
		{ "empty input", "", 0, 0, false, "", "" },
		{ "empty input, take 1", "", 0, 1, true, "", "" },
	};
	struct inkan_cursor c;
	struct inkan_view v;
	size_t i;

	(void)state;
	for (i = 0; i < NCASES(cases); i++) {
		inkan_cursor_init(&c, cases[i].in, strlen(cases[i].in));
		inkan_cursor_skip(&c, cases[i].skip);
		inkan_cursor_take(&c, cases[i].take, &v);
		if (c.err != cases[i].want_err)
			fail_msg("%s: err: got %d, want %d", cases[i].name,
			    c.err, cases[i].want_err);
		check_view(cases[i].name, v, cases[i].want);
		check_view(cases[i].name, inkan_cursor_rest(&c), cases[i].rest);
	}
}

static void
test_cursor_accept_expect(void **state)
{
	struct inkan_cursor c;

	(void)state;
	inkan_cursor_init(&c, "a=b", 3);
	/* accept: consumes on a match, leaves the cursor alone otherwise. */
	assert_false(inkan_cursor_accept(&c, 'b'));
	assert_false(c.err);
	assert_int_equal(c.pos, 0);
	assert_true(inkan_cursor_accept(&c, 'a'));
	assert_int_equal(c.pos, 1);
	/* expect: consumes on a match, sets err otherwise. */
	inkan_cursor_expect(&c, '=');
	assert_false(c.err);
	assert_int_equal(c.pos, 2);
	inkan_cursor_expect(&c, 'b');
	assert_false(c.err);
	assert_true(inkan_cursor_eof(&c));
	/* accept at the end is false without error; expect is an error. */
	assert_false(inkan_cursor_accept(&c, 'b'));
	assert_false(c.err);
	inkan_cursor_expect(&c, 'b');
	assert_true(c.err);
}

static void
test_cursor_accept_nocase(void **state)
{
	static const struct {
		const char *in, *lit;
		bool want;
		size_t pos;
	} cases[] = {
		{ "v=spf1 -all", "v=spf1", true, 6 },
		{ "V=SPF1 -all", "v=spf1", true, 6 },
		{ "v=spf1", "V=Spf1", true, 6 },
		{ "v=spf", "v=spf1", false, 0 }, /* literal longer than input */
		{ "v=spf2 -all", "v=spf1", false, 0 }, /* nothing consumed */
		{ "abc", "", true, 0 },
		{ "", "", true, 0 },
		{ "", "a", false, 0 },
	};
	struct inkan_cursor c;
	size_t i;
	bool got;

	(void)state;
	for (i = 0; i < NCASES(cases); i++) {
		inkan_cursor_init(&c, cases[i].in, strlen(cases[i].in));
		got = inkan_cursor_accept_nocase(&c, cases[i].lit);
		if (got != cases[i].want || c.pos != cases[i].pos || c.err)
			fail_msg("accept_nocase(\"%s\", \"%s\"): got %d at %zu "
				 "(err %d), want %d at %zu",
			    cases[i].in, cases[i].lit, got, c.pos, c.err,
			    cases[i].want, cases[i].pos);
	}
}

static void
test_cursor_take_while(void **state)
{
	static const struct {
		const char *in;
		unsigned cls;
		const char *want, *rest;
	} cases[] = {
		{ "", INKAN_CC_ALPHA, "", "" },
		{ "abc", INKAN_CC_ALPHA, "abc", "" },
		{ "abc=1", INKAN_CC_ALPHA, "abc", "=1" },
		{ "=1", INKAN_CC_ALPHA, "", "=1" },
		{ "a-b.c", INKAN_CC_LDH, "a-b", ".c" },
		{ " \t x", INKAN_CC_WSP, " \t ", "x" },
		{ "x", 0, "", "x" },
	};
	struct inkan_cursor c;
	struct inkan_view v;
	size_t i, n;

	(void)state;
	for (i = 0; i < NCASES(cases); i++) {
		inkan_cursor_init(&c, cases[i].in, strlen(cases[i].in));
		n = inkan_cursor_take_while(&c, cases[i].cls, &v);
		assert_int_equal(n, v.len);
		check_view(cases[i].in, v, cases[i].want);
		check_view(cases[i].in, inkan_cursor_rest(&c), cases[i].rest);
		assert_false(c.err);

		inkan_cursor_init(&c, cases[i].in, strlen(cases[i].in));
		n = inkan_cursor_skip_while(&c, cases[i].cls);
		assert_int_equal(n, strlen(cases[i].want));
		check_view(cases[i].in, inkan_cursor_rest(&c), cases[i].rest);
	}
}

/* The usage pattern from util.h: a production, then one look at err. */
static void
test_cursor_seek(void **state)
{
	struct inkan_cursor c;

	(void)state;
	inkan_cursor_init(&c, "abc", 3);
	inkan_cursor_skip(&c, 2);
	/* Back to a saved position: reading resumes there. */
	inkan_cursor_seek(&c, 0);
	assert_false(c.err);
	assert_int_equal(inkan_cursor_get(&c), 'a');
	/* Exactly the end is a valid position; reading there fails. */
	inkan_cursor_seek(&c, 3);
	assert_false(c.err);
	assert_true(inkan_cursor_eof(&c));
	/* One past the end sets the sticky error... */
	inkan_cursor_seek(&c, 4);
	assert_true(c.err);
	/* ...which a seek back does not clear. */
	inkan_cursor_seek(&c, 0);
	assert_true(c.err);
	assert_int_equal(inkan_cursor_peek(&c), -1);
}

static void
test_cursor_production(void **state)
{
	static const struct {
		const char *in;
		bool ok;
		const char *tag, *value;
	} cases[] = {
		{ "v=1", true, "v", "1" },
		{ "bh = abc", true, "bh", "abc" },
		{ "v1", false, "", "" },
		{ "=1", true, "", "1" },
		{ "v", false, "", "" },
		{ "", false, "", "" },
	};
	struct inkan_cursor c;
	struct inkan_view tag, value;
	size_t i;

	(void)state;
	for (i = 0; i < NCASES(cases); i++) {
		inkan_cursor_init(&c, cases[i].in, strlen(cases[i].in));
		inkan_cursor_take_while(&c, INKAN_CC_ALPHA, &tag);
		inkan_cursor_skip_while(&c, INKAN_CC_WSP);
		inkan_cursor_expect(&c, '=');
		inkan_cursor_skip_while(&c, INKAN_CC_WSP);
		inkan_cursor_take_while(&c, INKAN_CC_ALNUM, &value);
		if (c.err == cases[i].ok)
			fail_msg("\"%s\": err: got %d, want %d", cases[i].in,
			    c.err, !cases[i].ok);
		if (cases[i].ok) {
			check_view(cases[i].in, tag, cases[i].tag);
			check_view(cases[i].in, value, cases[i].value);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_make),
		cmocka_unit_test(test_compare),
		cmocka_unit_test(test_sub),
		cmocka_unit_test(test_trim),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_cursor_sticky),
		cmocka_unit_test(test_cursor_peek),
		cmocka_unit_test(test_cursor_take_skip),
		cmocka_unit_test(test_cursor_accept_expect),
		cmocka_unit_test(test_cursor_accept_nocase),
		cmocka_unit_test(test_cursor_take_while),
		cmocka_unit_test(test_cursor_seek),
		cmocka_unit_test(test_cursor_production),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
