/*
 * fuzz_dkim_canon.c: the streaming DKIM body canonicalisers and the
 * header canonicaliser (RFC 6376 3.4).
 *
 * The first input byte chooses the canonicalisation (bit 0: relaxed), LF
 * mode (bit 1) and a seed for chunk sizes (bits 2-7); the rest is a body.
 * It is canonicalised whole and again in chunks of pseudo-random sizes
 * 1-64, each chunk in its own exact allocation, and the target traps
 * (__builtin_trap) when the two results differ, or when a result breaks
 * the rules: simple output ends in exactly one CRLF (not CRLF CRLF unless
 * it is only CRLF); relaxed output is empty or ends in CRLF, and never
 * has WSP before a CRLF, two WSP in a row, or an empty line at its end.
 * The body is also canonicalised as a header field value, relaxed: the
 * result must hold no CR or LF but the final CRLF. And the bytes
 * themselves, as a whole field in an exact allocation (a name length taken
 * from the seed), must canonicalise as a byte-at-a-time reference does.
 */
#include <stdlib.h>
#include <string.h>

#include "dkim/dkim_impl.h"

#include "fuzz.h"

#include "../tests/unit/dkim/canon_ref.h"

static void
sink_buf(void *arg, const uint8_t *p, size_t n)
{
	inkan_buf_append(arg, p, n);
}

static void
check_relaxed(const struct inkan_buf *b, bool lf)
{
	size_t i;

	if (b->len == 0)
		return;
	if (b->len < 2 || b->data[b->len - 2] != '\r' ||
	    b->data[b->len - 1] != '\n')
		__builtin_trap();
	if (b->len >= 4 && memcmp(b->data + b->len - 4, "\r\n\r\n", 4) == 0)
		__builtin_trap();
	if (b->len == 2)
		__builtin_trap(); /* an empty last line alone */
	for (i = 0; i + 1 < b->len; i++) {
		uint8_t c = b->data[i], d = b->data[i + 1];

		if ((c == ' ' || c == '\t') && (d == ' ' || d == '\t'))
			__builtin_trap();
		if ((c == ' ' || c == '\t') && d == '\r' && i + 2 < b->len &&
		    b->data[i + 2] == '\n')
			__builtin_trap();
		if (c == '\t')
			__builtin_trap(); /* every WSP run became SP */
		if (lf && d == '\n' && c != '\r')
			__builtin_trap();
	}
}

static void
check_simple(const struct inkan_buf *b, bool lf)
{
	size_t i;

	if (b->len < 2 || b->data[b->len - 2] != '\r' ||
	    b->data[b->len - 1] != '\n')
		__builtin_trap();
	if (b->len >= 4 && memcmp(b->data + b->len - 4, "\r\n\r\n", 4) == 0)
		__builtin_trap();
	if (lf)
		for (i = 1; i < b->len; i++)
			if (b->data[i] == '\n' && b->data[i - 1] != '\r')
				__builtin_trap();
}

/* dkim_canon_header() on p[0..n) as a whole field against the reference. */
static void
check_header_ref(const uint8_t *p, size_t n, unsigned seed)
{
	struct inkan_buf got, want;
	size_t name_len = n > 0 ? seed % (n + 1) : 0;
	bool strip = (seed & 64) != 0;
	uint8_t *copy = malloc(n > 0 ? n : 1);

	if (copy == NULL)
		abort();
	if (n > 0)
		memcpy(copy, p, n);
	inkan_buf_init(&got, SIZE_MAX / 2);
	inkan_buf_init(&want, SIZE_MAX / 2);
	if (dkim_canon_header(INKAN_DKIM_RELAXED, inkan_view_make(copy, n),
		name_len, strip, &got) != INKAN_OK)
		__builtin_trap();
	relaxed_ref(copy, n, name_len, strip, &want);
	if (got.len != want.len ||
	    (want.len > 0 && memcmp(got.data, want.data, want.len) != 0))
		__builtin_trap();
	inkan_buf_clear(&got);
	inkan_buf_clear(&want);
	free(copy);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dkim_canon c1, c2;
	struct inkan_buf whole, split, hdr;
	enum inkan_dkim_canon canon;
	const uint8_t *p;
	unsigned seed;
	size_t n, off, i;
	bool lf;

	if (size < 1)
		return 0;
	canon = (data[0] & 1) ? INKAN_DKIM_RELAXED : INKAN_DKIM_SIMPLE;
	lf = (data[0] & 2) != 0;
	seed = data[0] >> 2;
	p = data + 1;
	n = size - 1;
	inkan_buf_init(&whole, SIZE_MAX / 2);
	inkan_buf_init(&split, SIZE_MAX / 2);
	inkan_buf_init(&hdr, SIZE_MAX / 2);

	dkim_canon_init(&c1, canon, lf, sink_buf, &whole);
	dkim_canon_body(&c1, p, n);
	dkim_canon_body_end(&c1);

	dkim_canon_init(&c2, canon, lf, sink_buf, &split);
	for (off = 0; off < n;) {
		size_t len;
		uint8_t *copy;

		seed = seed * 1103515245u + 12345u;
		len = 1 + (seed >> 16) % 64;
		if (len > n - off)
			len = n - off;
		if ((copy = malloc(len)) == NULL)
			abort();
		memcpy(copy, p + off, len);
		dkim_canon_body(&c2, copy, len);
		free(copy);
		off += len;
	}
	dkim_canon_body_end(&c2);

	if (whole.err != INKAN_OK || split.err != INKAN_OK ||
	    whole.len != split.len || c1.total != whole.len ||
	    c2.total != split.len ||
	    (whole.len > 0 && memcmp(whole.data, split.data, whole.len) != 0))
		__builtin_trap();
	if (canon == INKAN_DKIM_RELAXED)
		check_relaxed(&whole, lf);
	else
		check_simple(&whole, lf);

	/* The bytes as a header field "x:<body>" (relaxed). */
	{
		struct inkan_buf field;

		inkan_buf_init(&field, SIZE_MAX / 2);
		inkan_buf_append(&field, "X:", 2);
		inkan_buf_append(&field, p, n);
		if (dkim_canon_header(INKAN_DKIM_RELAXED,
			inkan_buf_view(&field), 1, false, &hdr) == INKAN_OK) {
			if (hdr.len < 4 || hdr.data[0] != 'x' ||
			    hdr.data[hdr.len - 1] != '\n')
				__builtin_trap();
			for (i = 0; i + 2 < hdr.len; i++)
				if (hdr.data[i] == '\r' || hdr.data[i] == '\n')
					__builtin_trap();
		}
		inkan_buf_clear(&field);
	}
	check_header_ref(p, n, data[0]);
	inkan_buf_clear(&whole);
	inkan_buf_clear(&split);
	inkan_buf_clear(&hdr);
	return 0;
}
