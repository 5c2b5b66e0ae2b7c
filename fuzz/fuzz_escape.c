/*
 * fuzz_escape.c: inkan_escape() of arbitrary bytes.
 *
 * Properties checked (a violation traps): the output is printable ASCII
 * only (so it cannot break or forge a log line), it decodes back to the
 * input exactly, and a buffer one byte too small fails with
 * INKAN_ERR_LIMIT and holds nothing of the input.
 */
#include <string.h>

#include <inkan/util.h>

#include "fuzz.h"

#define CHECK(cond)                       \
	do {                              \
		if (!(cond))              \
			__builtin_trap(); \
	} while (0)

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
 * The byte that the escape at e[0..n) (e[0] is a backslash) stands for, and its
 * length in *len; -1 if inkan_escape() would never have written it.
 */
static int
unescape_one(const uint8_t *e, size_t n, size_t *len)
{
	int c;

	*len = 2;
	if (n < 2) /* a backslash at the very end */
		return -1;
	switch (e[1]) {
	case '\\':
		return '\\';
	case 'r':
		return '\r';
	case 'n':
		return '\n';
	case 't':
		return '\t';
	case 'x':
		if (n < 4 || hexval(e[2]) < 0 || hexval(e[3]) < 0)
			return -1;
		c = hexval(e[2]) << 4 | hexval(e[3]);
		/* Only bytes without a shorter form are written as \xHH. */
		if ((c >= 0x20 && c <= 0x7e) || c == '\r' || c == '\n' ||
		    c == '\t')
			return -1;
		*len = 4;
		return c;
	default:
		return -1;
	}
}

/* Decodes e[0..n) and compares with want[0..wn); false on any mismatch. */
static bool
unescapes_to(const uint8_t *e, size_t n, const uint8_t *want, size_t wn)
{
	size_t i = 0, o = 0, len;
	int c;

	while (i < n) {
		if (e[i] < 0x20 || e[i] > 0x7e || o >= wn)
			return false;
		if (e[i] != '\\') {
			c = e[i];
			len = 1;
		} else if ((c = unescape_one(e + i, n - i, &len)) < 0) {
			return false;
		}
		if (c != want[o++])
			return false;
		i += len;
	}
	return o == wn;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct inkan_buf b;

	inkan_buf_init(&b, SIZE_MAX);
	CHECK(inkan_escape(data, size, &b) == INKAN_OK);
	CHECK(unescapes_to(b.data, b.len, data, size));
	if (b.len > 0) {
		struct inkan_buf small;

		inkan_buf_init(&small, b.len - 1);
		CHECK(inkan_escape(data, size, &small) == INKAN_ERR_LIMIT);
		CHECK(small.len == 0);
		inkan_buf_clear(&small);
	}
	inkan_buf_clear(&b);
	return 0;
}
