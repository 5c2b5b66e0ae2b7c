/*
 * test_base64.c: RFC 4648 section 10 test vectors both ways, every
 * rejection of strict decoding, whitespace-tolerant decoding of a folded
 * DKIM b= value (RFC 6376 3.5), the buffer maximum, and round trips.
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
#define SKIP_FWS INKAN_BASE64_SKIP_FWS

/* For failure messages: s[0..n) escaped, in a static buffer. */
static const char *
show(const void *s, size_t n)
{
	static char out[1024];
	struct inkan_buf b;

	inkan_buf_init(&b, sizeof(out) - 1);
	if (inkan_escape(s, n, &b) != INKAN_OK)
		snprintf(out, sizeof(out), "(%zu bytes)", n);
	else
		snprintf(out, sizeof(out), "%s", inkan_buf_cstr(&b));
	inkan_buf_clear(&b);
	return out;
}

/* Decodes in, checks the status and (on success) the bytes. */
static void
check_decode(const char *name, const void *in, size_t n, unsigned flags,
    enum inkan_status want_st, const void *want, size_t want_len)
{
	struct inkan_buf b;
	enum inkan_status st;

	inkan_buf_init(&b, 1 << 16);
	st = inkan_base64_decode(in, n, flags, &b);
	if (st != want_st)
		fail_msg("%s: decode \"%s\" (flags %u): got %s, want %s", name,
		    show(in, n), flags, inkan_strerror(st),
		    inkan_strerror(want_st));
	if (st == INKAN_OK &&
	    (b.len != want_len ||
		(want_len > 0 && memcmp(b.data, want, want_len) != 0)))
		fail_msg("%s: decode: got \"%s\", want \"%s\"", name,
		    show(b.data, b.len), show(want, want_len));
	/* A failed decode leaves the buffer as it was. */
	if (st != INKAN_OK && b.len != 0)
		fail_msg("%s: failed decode left %zu bytes", name, b.len);
	inkan_buf_clear(&b);
}

/* RFC 4648 section 10. */
static const struct {
	const char *plain, *encoded;
} rfc4648_vectors[] = {
	{ "", "" },
	{ "f", "Zg==" },
	{ "fo", "Zm8=" },
	{ "foo", "Zm9v" },
	{ "foob", "Zm9vYg==" },
	{ "fooba", "Zm9vYmE=" },
	{ "foobar", "Zm9vYmFy" },
};

static void
test_rfc4648_encode(void **state)
{
	struct inkan_buf b;
	size_t i, len;

	(void)state;
	for (i = 0; i < NCASES(rfc4648_vectors); i++) {
		const char *p = rfc4648_vectors[i].plain;
		const char *want = rfc4648_vectors[i].encoded;

		inkan_buf_init(&b, 100);
		assert_int_equal(
		    inkan_base64_encode(p, strlen(p), &b), INKAN_OK);
		if (strcmp(inkan_buf_cstr(&b), want) != 0)
			fail_msg("encode \"%s\": got \"%s\", want \"%s\"", p,
			    inkan_buf_cstr(&b), want);
		assert_true(inkan_base64_encoded_len(strlen(p), &len));
		assert_int_equal(len, strlen(want));
		inkan_buf_clear(&b);
	}
}

static void
test_rfc4648_decode(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < NCASES(rfc4648_vectors); i++) {
		const char *p = rfc4648_vectors[i].plain;
		const char *e = rfc4648_vectors[i].encoded;

		check_decode("RFC 4648 10 strict", e, strlen(e),
		    INKAN_BASE64_STRICT, INKAN_OK, p, strlen(p));
		check_decode("RFC 4648 10 fws", e, strlen(e), SKIP_FWS,
		    INKAN_OK, p, strlen(p));
	}
}

static void
test_encoded_len(void **state)
{
	static const struct {
		size_t n;
		bool ok;
		size_t want;
	} cases[] = {
		{ 0, true, 0 },
		{ 1, true, 4 },
		{ 2, true, 4 },
		{ 3, true, 4 },
		{ 4, true, 8 },
		{ 256, true, 344 },
		/* The largest input whose encoding fits in a size_t... */
		{ SIZE_MAX / 4 * 3, true, SIZE_MAX / 4 * 4 },
		/* ...and one more byte, which does not. */
		{ SIZE_MAX / 4 * 3 + 1, false, 0 },
		{ SIZE_MAX, false, 0 },
	};
	size_t i, len;
	bool ok;

	(void)state;
	for (i = 0; i < NCASES(cases); i++) {
		len = 0;
		ok = inkan_base64_encoded_len(cases[i].n, &len);
		if (ok != cases[i].ok || (ok && len != cases[i].want))
			fail_msg("encoded_len(%zu): got %d/%zu, want %d/%zu",
			    cases[i].n, ok, len, cases[i].ok, cases[i].want);
	}
}

/* Every way strict decoding must say no. */
static void
test_strict_rejects(void **state)
{
	static const struct {
		const char *name, *in;
	} cases[] = {
		{ "space inside", "Zm9v YmFy" },
		{ "CRLF inside", "Zm9v\r\nYmFy" },
		{ "leading space", " Zm9vYmFy" },
		{ "trailing LF", "Zm9vYmFy\n" },
		{ "HTAB", "Zm9v\tYmFy" },
		{ "bad character", "Zm9v!mFy" },
		{ "URL-safe '-'", "Zm9-" },
		{ "URL-safe '_'", "Zm9_" },
		{ "non-ASCII", "Zm9\xc3" },
		{ "DEL", "Zm9\x7f" },
		{ "length 1", "Z" },
		{ "length 2", "Zg" },
		{ "length 3", "Zm8" },
		{ "length 5", "Zm9vY" },
		{ "missing one pad", "Zg=" },
		{ "only padding", "====" },
		{ "three pads", "Z===" },
		{ "pad first", "=Zm9" },
		{ "pad in the middle", "Zm=v" },
		{ "pad then data", "Zg=a" },
		{ "data after padding", "Zg==Zg==" },
		{ "data after one pad", "Zm8=Zm8=" },
		{ "pad in a middle quantum", "Zm8=YmFy" },
		{ "extra pads", "Zm9vYmFy====" },
		{ "nonzero bits, 1 byte", "Zh==" },
		{ "nonzero bits, 2 bytes", "Zm9=" },
		{ "nonzero bits, lowest", "AB==" },
		{ "nonzero bits, 2 lowest", "AAB=" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < NCASES(cases); i++)
		check_decode(cases[i].name, cases[i].in, strlen(cases[i].in),
		    INKAN_BASE64_STRICT, INKAN_ERR_SYNTAX, NULL, 0);
	/* A NUL is a byte outside the alphabet, not the end. */
	check_decode(
	    "NUL", "Zm9\0", 4, INKAN_BASE64_STRICT, INKAN_ERR_SYNTAX, NULL, 0);
}

/* Whitespace-tolerant decoding is as strict about everything else. */
static void
test_fws(void **state)
{
	static const struct {
		const char *name, *in;
		enum inkan_status want_st;
		const char *want;
	} cases[] = {
		{ "empty", "", INKAN_OK, "" },
		{ "only FWS", " \t\r\n", INKAN_OK, "" },
		{ "space inside", "Zm9v YmFy", INKAN_OK, "foobar" },
		{ "fold inside", "Zm9v\r\n\tYmFy", INKAN_OK, "foobar" },
		{ "space in a quantum", "Zm 9v", INKAN_OK, "foo" },
		{ "every byte apart", "Z m 9 v Y g = =", INKAN_OK, "foob" },
		{ "around", "\r\n Zm9vYmE= \r\n", INKAN_OK, "fooba" },
		{ "between pads", "Zg=\r\n =", INKAN_OK, "f" },
		{ "bad character", "Zm9v !mFy", INKAN_ERR_SYNTAX, "" },
		{ "VT is not FWS", "Zm9v\vYmFy", INKAN_ERR_SYNTAX, "" },
		{ "FF is not FWS", "Zm9v\fYmFy", INKAN_ERR_SYNTAX, "" },
		{ "NBSP is not FWS", "Zm9v\xa0YmFy", INKAN_ERR_SYNTAX, "" },
		{ "short quantum", "Zm9 ", INKAN_ERR_SYNTAX, "" },
		{ "missing pad", "Zg= ", INKAN_ERR_SYNTAX, "" },
		{ "data after padding", "Zg== Zg==", INKAN_ERR_SYNTAX, "" },
		{ "pad then data", "Zg= a", INKAN_ERR_SYNTAX, "" },
		{ "three pads", "Z= = =", INKAN_ERR_SYNTAX, "" },
		{ "extra pad", "Zm8= =", INKAN_ERR_SYNTAX, "" },
		{ "nonzero bits", "Zh ==", INKAN_ERR_SYNTAX, "" },
		{ "nonzero bits 2", "Zm9 =", INKAN_ERR_SYNTAX, "" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < NCASES(cases); i++)
		check_decode(cases[i].name, cases[i].in, strlen(cases[i].in),
		    SKIP_FWS, cases[i].want_st, cases[i].want,
		    strlen(cases[i].want));
}

/* A deterministic byte stream (xorshift32) for test data. */
static void
fill(uint8_t *p, size_t n, uint32_t seed)
{
	size_t i;

	for (i = 0; i < n; i++) {
		seed ^= seed << 13;
		seed ^= seed >> 17;
		seed ^= seed << 5;
		p[i] = (uint8_t)seed;
	}
}

/*
 * A DKIM-Signature b= value as it arrives: a 2048-bit RSA signature (256
 * bytes, 344 characters), folded every 64 characters with CRLF HTAB, one
 * fold between the two pad characters, and FWS before and after.
 */
static void
test_folded_dkim_value(void **state)
{
	struct inkan_buf enc, folded;
	uint8_t sig[256];
	size_t i;

	(void)state;
	fill(sig, sizeof(sig), 2048);
	inkan_buf_init(&enc, 1000);
	inkan_buf_init(&folded, 1000);
	assert_int_equal(inkan_base64_encode(sig, sizeof(sig), &enc), INKAN_OK);
	assert_int_equal(enc.len, 344);
	assert_memory_equal(enc.data + 342, "==", 2);
	assert_int_equal(inkan_buf_append_cstr(&folded, " "), INKAN_OK);
	for (i = 0; i < 343; i++) {
		if (i > 0 && i % 64 == 0)
			assert_int_equal(
			    inkan_buf_append_cstr(&folded, "\r\n\t"), INKAN_OK);
		assert_int_equal(
		    inkan_buf_append_byte(&folded, enc.data[i]), INKAN_OK);
	}
	assert_int_equal(
	    inkan_buf_append_cstr(&folded, "\r\n =\r\n"), INKAN_OK);

	check_decode("folded b=", folded.data, folded.len, SKIP_FWS, INKAN_OK,
	    sig, sizeof(sig));
	check_decode("folded b= strict", folded.data, folded.len,
	    INKAN_BASE64_STRICT, INKAN_ERR_SYNTAX, NULL, 0);
	check_decode("unfolded b= strict", enc.data, enc.len,
	    INKAN_BASE64_STRICT, INKAN_OK, sig, sizeof(sig));
	inkan_buf_clear(&enc);
	inkan_buf_clear(&folded);
}

/* Each byte value in the last position: only the alphabet and '='. */
static void
test_every_byte(void **state)
{
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				       "abcdefghijklmnopqrstuvwxyz0123456789+/";
	uint8_t in[4] = { 'A', 'A', 'A', 0 }, want[3] = { 0, 0, 0 };
	const char *hit;
	int c;

	(void)state;
	for (c = 0; c < 256; c++) {
		in[3] = (uint8_t)c;
		hit = c != 0 ? strchr(alphabet, c) : NULL;
		if (hit != NULL) {
			want[2] = (uint8_t)(hit - alphabet);
			check_decode("alphabet", in, 4, INKAN_BASE64_STRICT,
			    INKAN_OK, want, 3);
		} else if (c == '=') {
			check_decode("pad", in, 4, INKAN_BASE64_STRICT,
			    INKAN_OK, want, 2);
		} else {
			check_decode("outside alphabet", in, 4,
			    INKAN_BASE64_STRICT, INKAN_ERR_SYNTAX, NULL, 0);
			check_decode("outside alphabet, fws", in, 4, SKIP_FWS,
			    INKAN_ERR_SYNTAX, NULL, 0);
		}
	}
}

static void
test_round_trip(void **state)
{
	struct inkan_buf enc, dec;
	uint8_t data[300];
	size_t n, len;

	(void)state;
	fill(data, sizeof(data), 4648);
	inkan_buf_init(&enc, 1000);
	inkan_buf_init(&dec, 1000);
	for (n = 0; n <= sizeof(data); n++) {
		inkan_buf_reset(&enc);
		inkan_buf_reset(&dec);
		assert_int_equal(inkan_base64_encode(data, n, &enc), INKAN_OK);
		assert_true(inkan_base64_encoded_len(n, &len));
		assert_int_equal(enc.len, len);
		assert_int_equal(inkan_base64_decode(enc.data, enc.len,
				     INKAN_BASE64_STRICT, &dec),
		    INKAN_OK);
		assert_int_equal(dec.len, n);
		if (n > 0)
			assert_memory_equal(dec.data, data, n);
	}
	inkan_buf_clear(&enc);
	inkan_buf_clear(&dec);
}

/* Output exactly at the buffer's maximum, and one byte past it. */
static void
test_limits(void **state)
{
	static const struct {
		const char *name, *prefix, *in;
		unsigned flags;
		size_t max;
		enum inkan_status want_st;
		const char *want;
	} cases[] = {
		{ "full quanta at max", "", "Zm9vYmFy", 0, 6, INKAN_OK,
		    "foobar" },
		{ "full quanta one past", "", "Zm9vYmFy", 0, 5, INKAN_ERR_LIMIT,
		    "" },
		/* The pads shrink the output below n / 4 * 3: still fits. */
		{ "padded at max", "", "Zm9vYg==", 0, 4, INKAN_OK, "foob" },
		{ "padded one past", "", "Zm9vYg==", 0, 3, INKAN_ERR_LIMIT,
		    "" },
		{ "one pad at max", "", "Zm9vYmE=", 0, 5, INKAN_OK, "fooba" },
		{ "one pad one past", "", "Zm9vYmE=", 0, 4, INKAN_ERR_LIMIT,
		    "" },
		/* FWS costs nothing against the maximum. */
		{ "fws at max", "",
		    "Zm9v                                        Yg==",
		    SKIP_FWS, 4, INKAN_OK, "foob" },
		{ "after a prefix at max", "ab", "Zm9vYg==", 0, 6, INKAN_OK,
		    "abfoob" },
		{ "after a prefix one past", "ab", "Zm9vYg==", 0, 5,
		    INKAN_ERR_LIMIT, "ab" },
		{ "empty into max 0", "", "", 0, 0, INKAN_OK, "" },
		{ "one byte into max 0", "", "Zg==", 0, 0, INKAN_ERR_LIMIT,
		    "" },
	};
	struct inkan_buf b;
	enum inkan_status st;
	size_t i;

	(void)state;
	for (i = 0; i < NCASES(cases); i++) {
		inkan_buf_init(&b, cases[i].max);
		assert_int_equal(
		    inkan_buf_append_cstr(&b, cases[i].prefix), INKAN_OK);
		st = inkan_base64_decode(
		    cases[i].in, strlen(cases[i].in), cases[i].flags, &b);
		if (st != cases[i].want_st)
			fail_msg("%s: got %s, want %s", cases[i].name,
			    inkan_strerror(st),
			    inkan_strerror(cases[i].want_st));
		if (strcmp(inkan_buf_cstr(&b), cases[i].want) != 0)
			fail_msg("%s: got \"%s\", want \"%s\"", cases[i].name,
			    inkan_buf_cstr(&b), cases[i].want);
		/* LIMIT is the buffer's sticky error. */
		assert_int_equal(b.err, st);
		if (st != INKAN_OK)
			assert_int_equal(inkan_base64_decode("", 0, 0, &b), st);
		inkan_buf_clear(&b);
	}
}

static void
test_encode_limits(void **state)
{
	struct inkan_buf b;

	(void)state;
	inkan_buf_init(&b, 8);
	assert_int_equal(inkan_base64_encode("foobar", 6, &b), INKAN_OK);
	assert_string_equal(inkan_buf_cstr(&b), "Zm9vYmFy");
	inkan_buf_clear(&b);

	inkan_buf_init(&b, 7);
	assert_int_equal(inkan_base64_encode("foobar", 6, &b), INKAN_ERR_LIMIT);
	assert_string_equal(inkan_buf_cstr(&b), "");
	assert_int_equal(inkan_base64_encode("", 0, &b), INKAN_ERR_LIMIT);
	inkan_buf_reset(&b);
	assert_int_equal(inkan_base64_encode("f", 1, &b), INKAN_OK);
	assert_string_equal(inkan_buf_cstr(&b), "Zg==");
	/* Appends after what is there. */
	assert_int_equal(inkan_base64_encode("", 0, &b), INKAN_OK);
	assert_int_equal(inkan_buf_append_cstr(&b, "."), INKAN_OK);
	assert_string_equal(inkan_buf_cstr(&b), "Zg==.");
	inkan_buf_clear(&b);
}

/* A syntax error is about the input: it does not poison the buffer. */
static void
test_syntax_not_sticky(void **state)
{
	struct inkan_buf b;

	(void)state;
	inkan_buf_init(&b, 100);
	assert_int_equal(inkan_buf_append_cstr(&b, "x"), INKAN_OK);
	/* Two good quanta, then a bad one: nothing of it is kept. */
	assert_int_equal(
	    inkan_base64_decode("Zm9vYmFy!!!!", 12, 0, &b), INKAN_ERR_SYNTAX);
	assert_int_equal(b.err, INKAN_OK);
	assert_string_equal(inkan_buf_cstr(&b), "x");
	assert_int_equal(inkan_base64_decode("Zm9v", 4, 0, &b), INKAN_OK);
	assert_string_equal(inkan_buf_cstr(&b), "xfoo");
	inkan_buf_clear(&b);
}

/*
 * A plain reference decoder for the tests below, one character at a time
 * and written from RFC 4648 alone: drop FWS (if allowed), then the rest
 * must be whole quanta of the alphabet, "=" only as the last one or two
 * characters, and the bits the pads leave over zero. Returns the status;
 * on INKAN_OK, out[0..*len_r).
 */
static enum inkan_status
ref_decode(const uint8_t *in, size_t n, bool fws, uint8_t *out, size_t *len_r)
{
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				       "abcdefghijklmnopqrstuvwxyz0123456789+/";
	uint8_t v[1024];
	size_t i, m = 0, pads = 0, o = 0;
	uint32_t q = 0;

	for (i = 0; i < n; i++) {
		const char *hit = in[i] != 0 ? strchr(alphabet, in[i]) : NULL;

		if (fws &&
		    (in[i] == ' ' || in[i] == '\t' || in[i] == '\r' ||
			in[i] == '\n'))
			continue;
		if (m == sizeof(v))
			return INKAN_ERR_LIMIT; /* not for these tests */
		if (in[i] == '=')
			pads++;
		else if (hit == NULL || pads > 0)
			return INKAN_ERR_SYNTAX; /* data after a pad */
		v[m++] = in[i] == '=' ? 0 : (uint8_t)(hit - alphabet);
	}
	if (m % 4 != 0 || pads > 2)
		return INKAN_ERR_SYNTAX;
	for (i = 0; i < m; i++) {
		q = q << 6 | v[i];
		if (i % 4 == 3) {
			out[o++] = (uint8_t)(q >> 16);
			out[o++] = (uint8_t)(q >> 8);
			out[o++] = (uint8_t)q;
			q = 0;
		}
	}
	/* A pad's zero bits stand for no byte; those left over must be 0. */
	if ((pads == 1 && out[o - 1] != 0) ||
	    (pads == 2 && (out[o - 1] != 0 || out[o - 2] != 0)))
		return INKAN_ERR_SYNTAX;
	*len_r = o - pads;
	return INKAN_OK;
}

/* Decodes in both ways and compares with ref_decode(), room included. */
static void
check_ref(const char *name, const uint8_t *in, size_t n)
{
	static uint8_t want[1024];
	enum inkan_status want_st;
	size_t want_len = 0;
	unsigned flags;

	for (flags = 0; flags <= SKIP_FWS; flags += SKIP_FWS) {
		struct inkan_buf b;
		enum inkan_status st;

		want_st = ref_decode(in, n, flags != 0, want, &want_len);
		check_decode(name, in, n, flags, want_st, want, want_len);
		if (want_st != INKAN_OK || want_len == 0)
			continue;
		/* Exactly the room, and one byte less. */
		inkan_buf_init(&b, want_len);
		assert_int_equal(
		    inkan_base64_decode(in, n, flags, &b), INKAN_OK);
		inkan_buf_clear(&b);
		inkan_buf_init(&b, want_len - 1);
		st = inkan_base64_decode(in, n, flags, &b);
		if (st != INKAN_ERR_LIMIT || b.len != 0)
			fail_msg("%s: one byte short: got %s, %zu bytes", name,
			    inkan_strerror(st), b.len);
		inkan_buf_clear(&b);
	}
}

/*
 * Every byte value at positions around the 32-character steps of the
 * vector decoder (its first, middle and last lanes, each 128-bit half)
 * and of the 4-character quanta, in encodings long enough for several
 * steps: the vector tables must agree with the alphabet for each.
 */
static void
test_every_byte_everywhere(void **state)
{
	static const size_t positions[] = { 0, 1, 2, 3, 14, 15, 16, 17, 30, 31,
		32, 33, 35, 47, 63, 64, 65, 95, 96, 97, 99 };
	struct inkan_buf enc;
	uint8_t data[75], in[100];
	size_t i;
	int c;

	(void)state;
	fill(data, sizeof(data), 32);
	inkan_buf_init(&enc, 200);
	assert_int_equal(
	    inkan_base64_encode(data, sizeof(data), &enc), INKAN_OK);
	assert_int_equal(enc.len, sizeof(in));
	for (i = 0; i < NCASES(positions); i++)
		for (c = 0; c < 256; c++) {
			memcpy(in, enc.data, sizeof(in));
			in[positions[i]] = (uint8_t)c;
			check_ref("a byte in a long encoding", in, sizeof(in));
		}
	inkan_buf_clear(&enc);
}

/*
 * Encodings of 0 to 120 bytes (every length mod 4 and mod 32 of the
 * encoding), each as it is, with FWS put in at each position, with its
 * padding dropped, doubled or moved, and cut short by 1 to 3 characters.
 */
static void
test_lengths_and_placement(void **state)
{
	static const char *const fws[] = { " ", "\t", "\r\n ", "\n", "\r",
		"  \r\n\t" };
	struct inkan_buf enc, in;
	uint8_t data[120];
	size_t n, i, k;

	(void)state;
	fill(data, sizeof(data), 4);
	inkan_buf_init(&enc, 400);
	inkan_buf_init(&in, 400);
	for (n = 0; n <= sizeof(data); n++) {
		inkan_buf_reset(&enc);
		assert_int_equal(inkan_base64_encode(data, n, &enc), INKAN_OK);
		check_ref("as encoded", enc.data, enc.len);
		for (k = 1; k <= 3 && k <= enc.len; k++)
			check_ref("cut short", enc.data, enc.len - k);
		for (i = 0; i <= enc.len; i++) {
			inkan_buf_reset(&in);
			assert_int_equal(
			    inkan_buf_append(&in, enc.data, i), INKAN_OK);
			assert_int_equal(inkan_buf_append_cstr(
					     &in, fws[(n + i) % NCASES(fws)]),
			    INKAN_OK);
			assert_int_equal(
			    inkan_buf_append(&in, enc.data + i, enc.len - i),
			    INKAN_OK);
			check_ref("FWS put in", in.data, in.len);
		}
		/* The padding: none, one more, one fewer, moved ahead. */
		inkan_buf_reset(&in);
		assert_int_equal(
		    inkan_buf_append(&in, enc.data, enc.len), INKAN_OK);
		while (in.len > 0 && in.data[in.len - 1] == '=')
			in.len--;
		check_ref("no padding", in.data, in.len);
		assert_int_equal(inkan_buf_append(&in, "=", 1), INKAN_OK);
		check_ref("one pad", in.data, in.len);
		assert_int_equal(inkan_buf_append(&in, "==", 2), INKAN_OK);
		check_ref("three pads", in.data, in.len);
		if (enc.len >= 8) {
			inkan_buf_reset(&in);
			assert_int_equal(
			    inkan_buf_append(&in, enc.data, enc.len - 4),
			    INKAN_OK);
			assert_int_equal(
			    inkan_buf_append(&in, "====", 4), INKAN_OK);
			assert_int_equal(
			    inkan_buf_append(&in, enc.data + enc.len - 4, 4),
			    INKAN_OK);
			check_ref(
			    "pads before the last quantum", in.data, in.len);
		}
	}
	inkan_buf_clear(&enc);
	inkan_buf_clear(&in);
}

/* The last quantum, taken at once when it is "xx==" or "xxx=". */
static void
test_last_quantum(void **state)
{
	static const struct {
		const char *name, *in;
		unsigned flags;
		enum inkan_status want_st;
		const char *want;
	} cases[] = {
		{ "xx==", "Zm9vYg==", 0, INKAN_OK, "foob" },
		{ "xxx=", "Zm9vYmE=", 0, INKAN_OK, "fooba" },
		{ "xx== low bits set", "Zm9vYh==", 0, INKAN_ERR_SYNTAX, "" },
		{ "xx== lowest bit", "Zm9vYR==", 0, INKAN_ERR_SYNTAX, "" },
		{ "xxx= low bits set", "Zm9vYmF=", 0, INKAN_ERR_SYNTAX, "" },
		{ "xxx= lowest bit", "Zm9vYmB=", 0, INKAN_ERR_SYNTAX, "" },
		{ "x=== ", "Zm9vY===", 0, INKAN_ERR_SYNTAX, "" },
		{ "=x==", "Zm9v=g==", 0, INKAN_ERR_SYNTAX, "" },
		{ "x=x=", "Zm9vY=E=", 0, INKAN_ERR_SYNTAX, "" },
		{ "bad byte before pads", "Zm9v!g==", 0, INKAN_ERR_SYNTAX, "" },
		{ "bad byte before pad", "Zm9vYm!=", 0, INKAN_ERR_SYNTAX, "" },
		{ "xx== then FWS", "Zm9vYg==\r\n", SKIP_FWS, INKAN_OK, "foob" },
		{ "x x==", "Zm9vY g==", SKIP_FWS, INKAN_OK, "foob" },
		{ "xx= =", "Zm9vYg= =", SKIP_FWS, INKAN_OK, "foob" },
		{ "xxx =", "Zm9vYmE =", SKIP_FWS, INKAN_OK, "fooba" },
		{ "xx== strict then SP", "Zm9vYg== ", 0, INKAN_ERR_SYNTAX, "" },
		{ "only xx==", "Zg==", 0, INKAN_OK, "f" },
		{ "only xxx=", "Zm8=", 0, INKAN_OK, "fo" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < NCASES(cases); i++)
		check_decode(cases[i].name, cases[i].in, strlen(cases[i].in),
		    cases[i].flags, cases[i].want_st, cases[i].want,
		    strlen(cases[i].want));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc4648_encode),
		cmocka_unit_test(test_rfc4648_decode),
		cmocka_unit_test(test_encoded_len),
		cmocka_unit_test(test_strict_rejects),
		cmocka_unit_test(test_fws),
		cmocka_unit_test(test_folded_dkim_value),
		cmocka_unit_test(test_every_byte),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_encode_limits),
		cmocka_unit_test(test_syntax_not_sticky),
		cmocka_unit_test(test_every_byte_everywhere),
		cmocka_unit_test(test_lengths_and_placement),
		cmocka_unit_test(test_last_quantum),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
