/*
 * fuzz_base64.c: base64 decoding of arbitrary bytes, in both modes.
 *
 * Properties checked (a violation traps):
 * - decoding returns only INKAN_OK or INKAN_ERR_SYNTAX when the buffer
 *   has room for any output;
 * - whatever strict decoding accepts, whitespace-tolerant decoding accepts
 *   with the same bytes;
 * - strict decoding accepts canonical encodings only (RFC 4648 3.5), so
 *   re-encoding what it decoded gives back the input exactly;
 * - what whitespace-tolerant decoding returns, re-encoded, decodes
 *   strictly to the same bytes, and equals the input without its FWS;
 * - a buffer whose maximum is exactly the decoded length succeeds, and
 *   one byte less fails with INKAN_ERR_LIMIT and leaves the buffer as it
 *   was;
 * - the input taken as bytes, encoded, decodes back to them in both modes
 *   (long inputs take the vector decoder's path, which must accept every
 *   canonical encoding).
 */
#include <string.h>

#include <inkan/util.h>

#include "fuzz.h"

#define CHECK(cond)                       \
	do {                              \
		if (!(cond))              \
			__builtin_trap(); \
	} while (0)

static bool
same(const struct inkan_buf *a, const struct inkan_buf *b)
{
	return a->len == b->len &&
	    (a->len == 0 || memcmp(a->data, b->data, a->len) == 0);
}

/* The input without SP HTAB CR LF, which SKIP_FWS ignores. */
static enum inkan_status
strip_fws(const uint8_t *p, size_t n, struct inkan_buf *out)
{
	enum inkan_status st = INKAN_OK;
	size_t i;

	for (i = 0; i < n && st == INKAN_OK; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r' && p[i] != '\n')
			st = inkan_buf_append_byte(out, p[i]);
	return st;
}

/* Decoding into exactly the room needed works; one byte less does not. */
static void
check_limit(const uint8_t *data, size_t size, unsigned flags,
    const struct inkan_buf *want)
{
	struct inkan_buf b;

	inkan_buf_init(&b, want->len);
	CHECK(inkan_base64_decode(data, size, flags, &b) == INKAN_OK);
	CHECK(same(&b, want));
	inkan_buf_clear(&b);
	if (want->len == 0)
		return;
	inkan_buf_init(&b, want->len - 1);
	CHECK(inkan_base64_decode(data, size, flags, &b) == INKAN_ERR_LIMIT);
	CHECK(b.len == 0 && b.err == INKAN_ERR_LIMIT);
	inkan_buf_clear(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct inkan_buf strict, fws, enc, again, bare;
	enum inkan_status st_strict, st_fws;

	/* Decoding never yields more bytes than it reads. */
	inkan_buf_init(&strict, size);
	inkan_buf_init(&fws, size);
	inkan_buf_init(&enc, SIZE_MAX);
	inkan_buf_init(&again, SIZE_MAX);
	inkan_buf_init(&bare, SIZE_MAX);

	st_strict =
	    inkan_base64_decode(data, size, INKAN_BASE64_STRICT, &strict);
	st_fws = inkan_base64_decode(data, size, INKAN_BASE64_SKIP_FWS, &fws);
	CHECK(st_strict == INKAN_OK || st_strict == INKAN_ERR_SYNTAX);
	CHECK(st_fws == INKAN_OK || st_fws == INKAN_ERR_SYNTAX);

	if (st_strict == INKAN_OK) {
		CHECK(st_fws == INKAN_OK && same(&strict, &fws));
		CHECK(inkan_base64_encode(strict.data, strict.len, &enc) ==
		    INKAN_OK);
		CHECK(enc.len == size &&
		    (size == 0 || memcmp(enc.data, data, size) == 0));
		check_limit(data, size, INKAN_BASE64_STRICT, &strict);
	}
	if (st_fws == INKAN_OK) {
		inkan_buf_reset(&enc);
		CHECK(inkan_base64_encode(fws.data, fws.len, &enc) == INKAN_OK);
		CHECK(inkan_base64_decode(enc.data, enc.len,
			  INKAN_BASE64_STRICT, &again) == INKAN_OK);
		CHECK(same(&again, &fws));
		CHECK(strip_fws(data, size, &bare) == INKAN_OK);
		CHECK(same(&bare, &enc));
		check_limit(data, size, INKAN_BASE64_SKIP_FWS, &fws);
	}

	inkan_buf_reset(&enc);
	inkan_buf_reset(&again);
	CHECK(inkan_base64_encode(data, size, &enc) == INKAN_OK);
	CHECK(inkan_base64_decode(
		  enc.data, enc.len, INKAN_BASE64_STRICT, &again) == INKAN_OK);
	CHECK(again.len == size &&
	    (size == 0 || memcmp(again.data, data, size) == 0));
	inkan_buf_reset(&again);
	CHECK(inkan_base64_decode(enc.data, enc.len, INKAN_BASE64_SKIP_FWS,
		  &again) == INKAN_OK);
	CHECK(again.len == size &&
	    (size == 0 || memcmp(again.data, data, size) == 0));

	inkan_buf_clear(&strict);
	inkan_buf_clear(&fws);
	inkan_buf_clear(&enc);
	inkan_buf_clear(&again);
	inkan_buf_clear(&bare);
	return 0;
}
