/*
 * canon_ref.h: RFC 6376 3.4.2 relaxed header canonicalisation one byte at
 * a time, as plainly as it reads: the reference that
 * tests/unit/dkim/test_message.c and fuzz/fuzz_dkim_canon.c compare
 * dkim_canon_header() with. Needs <inkan/util.h>.
 */
#ifndef INKAN_TEST_CANON_REF_H
#define INKAN_TEST_CANON_REF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <inkan/util.h>

/* Appends the relaxed form of the field r[0..n) (its name name_len
   bytes) to out; with strip, without the final CRLF. */
static inline void
relaxed_ref(const uint8_t *r, size_t n, size_t name_len, bool strip,
    struct inkan_buf *out)
{
	size_t end = n, i, colon;
	bool wsp = false, started = false;

	if (end >= 2 && r[end - 2] == '\r' && r[end - 1] == '\n')
		end -= 2;
	for (i = 0; i < name_len && i < end; i++)
		inkan_buf_append_byte(out, inkan_ascii_lower(r[i]));
	colon = name_len;
	while (colon < end && r[colon] != ':')
		colon++;
	inkan_buf_append_byte(out, ':');
	for (i = colon + 1; i < end; i++) {
		uint8_t b = r[i];

		if (b == ' ' || b == '\t') {
			wsp = true;
		} else if (b != '\r' && b != '\n') {
			if (wsp && started)
				inkan_buf_append_byte(out, ' ');
			wsp = false;
			started = true;
			inkan_buf_append_byte(out, b);
		}
	}
	if (!strip)
		inkan_buf_append(out, "\r\n", 2);
}

#endif
