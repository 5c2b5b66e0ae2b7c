/*
 * escape.c: untrusted bytes made safe for one log line.
 *
 * Printable ASCII (SP to '~') other than backslash is copied; backslash,
 * CR, LF and HTAB become \\ \r \n \t; every other byte becomes \xHH with
 * two lowercase hex digits. The output is printable ASCII only, has no
 * line breaks, and can be decoded back to the exact input, so an attacker
 * can neither forge a log line nor hide a byte in one.
 *
 * The input is copied in runs of bytes that need no escaping, so that the
 * common case (clean text) is a few memcpy()s. On failure out is left as
 * it was, with its sticky error set: a log line is never cut short.
 */
#include <assert.h>

#include <inkan/util.h>

static const char hexdigits[] = "0123456789abcdef";

/* True for the bytes copied as they are. */
static bool
is_plain(uint8_t c)
{
	return c >= 0x20 && c <= 0x7e && c != '\\';
}

/*
 * The escape for c (which is not plain) in esc[]; returns its length.
 */
static size_t
escape_byte(uint8_t c, uint8_t esc[4])
{
	esc[0] = '\\';
	switch (c) {
	case '\\':
		esc[1] = '\\';
		return 2;
	case '\r':
		esc[1] = 'r';
		return 2;
	case '\n':
		esc[1] = 'n';
		return 2;
	case '\t':
		esc[1] = 't';
		return 2;
	default:
		esc[1] = 'x';
		esc[2] = (uint8_t)hexdigits[c >> 4];
		esc[3] = (uint8_t)hexdigits[c & 0x0f];
		return 4;
	}
}

enum inkan_status
inkan_escape(const void *p, size_t n, struct inkan_buf *out)
{
	const uint8_t *s = p;
	enum inkan_status st = INKAN_OK;
	size_t start, i = 0, run;
	uint8_t esc[4];

	assert(out != NULL && (p != NULL || n == 0));
	start = out->len;
	while (i < n && st == INKAN_OK) {
		for (run = 0; i + run < n && is_plain(s[i + run]); run++)
			continue;
		if (run > 0) {
			st = inkan_buf_append(out, s + i, run);
			i += run;
		} else {
			st = inkan_buf_append(out, esc, escape_byte(s[i], esc));
			i++;
		}
	}
	if (st == INKAN_OK)
		st = out->err; /* an empty input still reports a sticky error */
	if (st != INKAN_OK && out->len > start)
		inkan_buf_truncate(out, start);
	return st;
}
