/*
 * test_cclass.c: every entry of inkan_cclass_table against the definitions
 * in inkan/util.h, written out again here from the RFCs' grammar; and the
 * ASCII case helpers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <inkan/util.h>

static bool
in_range(int c, int lo, int hi)
{
	return c >= lo && c <= hi;
}

static bool
in_set(int c, const char *set)
{
	return c != 0 && strchr(set, c) != NULL;
}

/* The classes c should have, straight from the grammar. */
static unsigned
want_classes(int c)
{
	bool alpha = in_range(c, 'A', 'Z') || in_range(c, 'a', 'z');
	bool digit = in_range(c, '0', '9');
	unsigned w = 0;

	if (alpha) /* RFC 5234 B.1 ALPHA */
		w |= INKAN_CC_ALPHA;
	if (digit) /* RFC 5234 B.1 DIGIT */
		w |= INKAN_CC_DIGIT;
	if (digit || in_range(c, 'A', 'F') || in_range(c, 'a', 'f'))
		w |= INKAN_CC_HEX;
	if (c == ' ' || c == '\t') /* RFC 5234 B.1 WSP */
		w |= INKAN_CC_WSP;
	if (in_range(c, 0x21, 0x7e)) /* RFC 5234 B.1 VCHAR */
		w |= INKAN_CC_VCHAR;
	/* RFC 5322 3.2.3 atext */
	if (alpha || digit || in_set(c, "!#$%&'*+-/=?^_`{|}~"))
		w |= INKAN_CC_ATEXT;
	/* RFC 5322 3.6.8 ftext = %d33-57 / %d59-126 */
	if (in_range(c, 33, 57) || in_range(c, 59, 126))
		w |= INKAN_CC_FTEXT;
	if (alpha || digit || c == '-') /* RFC 5890 2.3.1 LDH */
		w |= INKAN_CC_LDH;
	if (alpha || digit || c == '+' || c == '/') /* RFC 4648 4 */
		w |= INKAN_CC_BASE64;
	if (in_range(c, 0x00, 0x1f) || c == 0x7f) /* RFC 5234 B.1 CTL */
		w |= INKAN_CC_CTL;
	return w;
}

static void
test_table_matches_grammar(void **state)
{
	int c, bad = 0;

	(void)state;
	for (c = 0; c < 256; c++) {
		unsigned got = inkan_cclass_table[c], want = want_classes(c);

		if (got != want) {
			print_error("byte 0x%02x: got classes 0x%03x, want "
				    "0x%03x\n",
			    (unsigned)c, got, want);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

static void
test_cc_is(void **state)
{
	static const struct {
		const char *name;
		uint8_t c;
		unsigned cls;
		bool want;
	} cases[] = {
		{ "alpha in ALNUM", 'q', INKAN_CC_ALNUM, true },
		{ "digit in ALNUM", '7', INKAN_CC_ALNUM, true },
		{ "hyphen not ALNUM", '-', INKAN_CC_ALNUM, false },
		{ "hyphen in LDH", '-', INKAN_CC_LDH, true },
		{ "colon not FTEXT", ':', INKAN_CC_FTEXT, false },
		{ "colon is VCHAR", ':', INKAN_CC_VCHAR, true },
		{ "dot not ATEXT", '.', INKAN_CC_ATEXT, false },
		{ "HTAB is WSP and CTL", '\t', INKAN_CC_WSP | INKAN_CC_CTL,
		    true },
		{ "SP not CTL", ' ', INKAN_CC_CTL, false },
		{ "DEL is CTL", 0x7f, INKAN_CC_CTL, true },
		{ "0x80 in no class", 0x80, 0x3ff, false },
		{ "0xff in no class", 0xff, 0x3ff, false },
		{ "NUL is CTL", 0x00, INKAN_CC_CTL, true },
		{ "g not HEX", 'g', INKAN_CC_HEX, false },
		{ "empty class set", 'a', 0, false },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bool got = inkan_cc_is(cases[i].c, cases[i].cls);

		if (got != cases[i].want)
			fail_msg("%s: got %d, want %d", cases[i].name, got,
			    cases[i].want);
	}
}

static void
test_ascii_case(void **state)
{
	int c;

	(void)state;
	for (c = 0; c < 256; c++) {
		uint8_t lo = inkan_ascii_lower((uint8_t)c);
		uint8_t up = inkan_ascii_upper((uint8_t)c);
		int want_lo = in_range(c, 'A', 'Z') ? c + 32 : c;
		int want_up = in_range(c, 'a', 'z') ? c - 32 : c;

		if (lo != want_lo || up != want_up)
			fail_msg("byte 0x%02x: got lower 0x%02x upper 0x%02x, "
				 "want 0x%02x 0x%02x",
			    (unsigned)c, lo, up, (unsigned)want_lo,
			    (unsigned)want_up);
	}
}

static void
test_size_arith(void **state)
{
	static const struct {
		const char *name;
		size_t a, b;
		bool add_ok, mul_ok;
	} cases[] = {
		{ "zeros", 0, 0, true, true },
		{ "small", 3, 4, true, true },
		{ "add at max", SIZE_MAX - 1, 1, true, true },
		{ "add past max", SIZE_MAX, 1, false, true },
		{ "mul by zero", SIZE_MAX, 0, true, true },
		{ "mul at max", SIZE_MAX / 3, 3, true, true },
		{ "mul past max", SIZE_MAX / 2 + 1, 2, true, false },
		{ "both past max", SIZE_MAX, SIZE_MAX, false, false },
	};
	size_t i, r;
	bool add_ok, mul_ok;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		add_ok = inkan_size_add(cases[i].a, cases[i].b, &r);
		if (add_ok != cases[i].add_ok)
			fail_msg("%s: add: got %d, want %d", cases[i].name,
			    add_ok, cases[i].add_ok);
		if (add_ok && r != cases[i].a + cases[i].b)
			fail_msg("%s: add: got %zu, want %zu", cases[i].name, r,
			    cases[i].a + cases[i].b);
		mul_ok = inkan_size_mul(cases[i].a, cases[i].b, &r);
		if (mul_ok != cases[i].mul_ok)
			fail_msg("%s: mul: got %d, want %d", cases[i].name,
			    mul_ok, cases[i].mul_ok);
		if (mul_ok && r != cases[i].a * cases[i].b)
			fail_msg("%s: mul: got %zu, want %zu", cases[i].name, r,
			    cases[i].a * cases[i].b);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_matches_grammar),
		cmocka_unit_test(test_cc_is),
		cmocka_unit_test(test_ascii_case),
		cmocka_unit_test(test_size_arith),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
