/*
 * test_escape.c: inkan_escape(): the escaping of every byte value, the
 * buffer maximum (exactly at it, one past it), and that the output can be
 * decoded back to the input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <inkan/util.h>

#define NCASES(a) (sizeof(a) / sizeof((a)[0]))

static void
test_table(void **state)
{
	static const struct {
		const char *name;
		const char *in;
		size_t len;
		const char *want;
	} cases[] = {
		{ "empty", "", 0, "" },
		{ "plain", "user@example.com", 16, "user@example.com" },
		{ "space and tilde", " ~", 2, " ~" },
		{ "quote", "say \"hi\"", 8, "say \"hi\"" },
		{ "backslash", "a\\b", 3, "a\\\\b" },
		{ "CR LF HTAB", "\r\n\t", 3, "\\r\\n\\t" },
		{ "forged log line", "ok\r\nFAKE: pass", 14,
		    "ok\\r\\nFAKE: pass" },
		{ "NUL", "a\0b", 3, "a\\x00b" },
		{ "DEL", "\x7f", 1, "\\x7f" },
		{ "ESC sequence", "\x1b[31mred", 8, "\\x1b[31mred" },
		{ "UTF-8", "caf\xc3\xa9", 5, "caf\\xc3\\xa9" },
		{ "0xff", "\xff", 1, "\\xff" },
		{ "VT FF BS", "\v\f\b", 3, "\\x0b\\x0c\\x08" },
		{ "escape-like text", "\\x41", 4, "\\\\x41" },
	};
	struct inkan_buf b;
	size_t i;

	(void)state;
	for (i = 0; i < NCASES(cases); i++) {
		inkan_buf_init(&b, 1000);
		assert_int_equal(
		    inkan_escape(cases[i].in, cases[i].len, &b), INKAN_OK);
		if (strcmp(inkan_buf_cstr(&b), cases[i].want) != 0)
			fail_msg("%s: got \"%s\", want \"%s\"", cases[i].name,
			    inkan_buf_cstr(&b), cases[i].want);
		inkan_buf_clear(&b);
	}
}

/* Each byte value alone, against the rule in util.h. */
static void
test_every_byte(void **state)
{
	struct inkan_buf b;
	char want[8];
	uint8_t c;
	int i;

	(void)state;
	inkan_buf_init(&b, 16);
	for (i = 0; i < 256; i++) {
		c = (uint8_t)i;
		if (c == '\\')
			snprintf(want, sizeof(want), "\\\\");
		else if (c == '\r')
			snprintf(want, sizeof(want), "\\r");
		else if (c == '\n')
			snprintf(want, sizeof(want), "\\n");
		else if (c == '\t')
			snprintf(want, sizeof(want), "\\t");
		else if (c >= 0x20 && c <= 0x7e)
			snprintf(want, sizeof(want), "%c", c);
		else
			snprintf(want, sizeof(want), "\\x%02x", c);
		inkan_buf_reset(&b);
		assert_int_equal(inkan_escape(&c, 1, &b), INKAN_OK);
		if (strcmp(inkan_buf_cstr(&b), want) != 0)
			fail_msg("byte 0x%02x: got \"%s\", want \"%s\"", c,
			    inkan_buf_cstr(&b), want);
	}
	inkan_buf_clear(&b);
}

static int
hexval(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/*
 * Decodes the escaped form back; returns the length, or -1 if e is not
 * something inkan_escape() could have written.
 */
static long
unescape(const uint8_t *e, size_t n, uint8_t *out)
{
	size_t i = 0, o = 0;

	while (i < n) {
		if (e[i] < 0x20 || e[i] > 0x7e)
			return -1;
		if (e[i] != '\\') {
			out[o++] = e[i++];
			continue;
		}
		if (n - i < 2)
			return -1;
		switch (e[i + 1]) {
		case '\\':
			out[o++] = '\\';
			break;
		case 'r':
			out[o++] = '\r';
			break;
		case 'n':
			out[o++] = '\n';
			break;
		case 't':
			out[o++] = '\t';
			break;
		case 'x':
			if (n - i < 4 || hexval(e[i + 2]) < 0 ||
			    hexval(e[i + 3]) < 0)
				return -1;
			out[o++] =
			    (uint8_t)(hexval(e[i + 2]) << 4 | hexval(e[i + 3]));
			i += 2;
			break;
		default:
			return -1;
		}
		i += 2;
	}
	return (long)o;
}

static void
test_round_trip(void **state)
{
	struct inkan_buf b;
	uint8_t in[512], back[512];
	long n;
	int i;

	(void)state;
	for (i = 0; i < 512; i++)
		in[i] = (uint8_t)(i * 7 + i / 256);
	inkan_buf_init(&b, 4 * sizeof(in));
	assert_int_equal(inkan_escape(in, sizeof(in), &b), INKAN_OK);
	n = unescape(b.data, b.len, back);
	assert_int_equal(n, sizeof(in));
	assert_memory_equal(back, in, sizeof(in));
	inkan_buf_clear(&b);
}

static void
test_limits(void **state)
{
	static const struct {
		const char *name, *prefix, *in;
		size_t max;
		enum inkan_status want_st;
		const char *want;
	} cases[] = {
		{ "empty into max 0", "", "", 0, INKAN_OK, "" },
		{ "plain at max", "", "abc", 3, INKAN_OK, "abc" },
		{ "plain one past", "", "abc", 2, INKAN_ERR_LIMIT, "" },
		{ "escapes at max", "", "a\r\n\x01", 9, INKAN_OK,
		    "a\\r\\n\\x01" },
		{ "escapes one past", "", "a\r\n\x01", 8, INKAN_ERR_LIMIT, "" },
		/* Never half an escape, never the part that fitted. */
		{ "cut inside \\x", "", "ab\x01", 5, INKAN_ERR_LIMIT, "" },
		{ "after a prefix at max", "log: ", "a\\", 8, INKAN_OK,
		    "log: a\\\\" },
		{ "after a prefix one past", "log: ", "a\\", 7, INKAN_ERR_LIMIT,
		    "log: " },
	};
	struct inkan_buf b;
	enum inkan_status st;
	size_t i;

	(void)state;
	for (i = 0; i < NCASES(cases); i++) {
		inkan_buf_init(&b, cases[i].max);
		assert_int_equal(
		    inkan_buf_append_cstr(&b, cases[i].prefix), INKAN_OK);
		st = inkan_escape(cases[i].in, strlen(cases[i].in), &b);
		if (st != cases[i].want_st)
			fail_msg("%s: got %s, want %s", cases[i].name,
			    inkan_strerror(st),
			    inkan_strerror(cases[i].want_st));
		if (strcmp(inkan_buf_cstr(&b), cases[i].want) != 0)
			fail_msg("%s: got \"%s\", want \"%s\"", cases[i].name,
			    inkan_buf_cstr(&b), cases[i].want);
		assert_int_equal(b.err, st);
		if (st != INKAN_OK) {
			/* Sticky, even for an empty input, until reset. */
			assert_int_equal(inkan_escape("", 0, &b), st);
			inkan_buf_reset(&b);
			assert_int_equal(inkan_escape("", 0, &b), INKAN_OK);
		}
		inkan_buf_clear(&b);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_every_byte),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
