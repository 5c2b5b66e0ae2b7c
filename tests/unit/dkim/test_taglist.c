/*
 * test_taglist.c: the RFC 6376 3.2 tag-list parser and the key record
 * parser (RFC 6376 3.6.1, RFC 8463 4.2) built on it.
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

#define NCASES(a) (sizeof(a) / sizeof((a)[0]))

struct tl_case {
	const char *name;
	const char *in;
	enum inkan_status want_st;
	/* The tags as "name=value|name=value|" */
	const char *want;
};

static const struct tl_case tl_cases[] = {
	{ "simple", "v=1; a=rsa-sha256", INKAN_OK, "v=1|a=rsa-sha256|" },
	{ "trailing semicolon", "v=1;", INKAN_OK, "v=1|" },
	{ "empty", "", INKAN_OK, "" },
	{ "only FWS", " \r\n ", INKAN_OK, "" },
	{ "FWS around =", "v \t= 1 ;a =\r\n x", INKAN_OK, "v=1|a=x|" },
	{ "inner FWS kept", "b=abc\r\n def ghi ; c=1", INKAN_OK,
	    "b=abc\r\n def ghi|c=1|" },
	{ "empty value", "p=; v=DKIM1", INKAN_OK, "p=|v=DKIM1|" },
	{ "empty tag-specs", "a=1;; ;b=2", INKAN_OK, "a=1|b=2|" },
	{ "name with digit and underscore", "x_1=y", INKAN_OK, "x_1=y|" },
	{ "value with = and :", "h=from:to; z=a=b", INKAN_OK,
	    "h=from:to|z=a=b|" },
	{ "8-bit value", "i=\xc3\xa9@x", INKAN_OK, "i=\xc3\xa9@x|" },
	{ "duplicate", "a=1; a=2", INKAN_ERR_SYNTAX, NULL },
	{ "case differs: not a duplicate", "a=1; A=2", INKAN_OK, "a=1|A=2|" },
	{ "no =", "v=1; a", INKAN_ERR_SYNTAX, NULL },
	{ "name starts with digit", "1a=x", INKAN_ERR_SYNTAX, NULL },
	{ "empty name", "=x", INKAN_ERR_SYNTAX, NULL },
	{ "control char in value", "a=b\x01", INKAN_ERR_SYNTAX, NULL },
	{ "bare LF not folding", "a=b\nc=d", INKAN_ERR_SYNTAX, NULL },
	{ "CRLF not followed by WSP", "a=b\r\nc", INKAN_ERR_SYNTAX, NULL },
	{ "bare CR", "a=b\r c", INKAN_ERR_SYNTAX, NULL },
	{ "space inside name", "a b=c", INKAN_ERR_SYNTAX, NULL },
	/* Values that end in the last 16 bytes of the input, at each
	   distance from its end (the vector scan looks at the last 16). */
	{ "value ends 1 before the end", "a=0123456789abcdefghij;", INKAN_OK,
	    "a=0123456789abcdefghij|" },
	{ "value runs to the end", "a=0123456789abcdefghij", INKAN_OK,
	    "a=0123456789abcdefghij|" },
	{ "value of 16 at the end", "a=0123456789abcdef", INKAN_OK,
	    "a=0123456789abcdef|" },
	{ "value of 15 at the end", "ab=0123456789abcd", INKAN_OK,
	    "ab=0123456789abcd|" },
	{ "input of 16", "a=0123456789abcd", INKAN_OK, "a=0123456789abcd|" },
	{ "input of 15", "a=0123456789abc", INKAN_OK, "a=0123456789abc|" },
	{ "FWS 2 before the end", "a=0123456789abcdefghij \t", INKAN_OK,
	    "a=0123456789abcdefghij|" },
	{ "control 1 before the end", "a=0123456789abcdefghij\x01x",
	    INKAN_ERR_SYNTAX, NULL },
	{ "DEL at the end", "a=0123456789abcdefghij\x7f", INKAN_ERR_SYNTAX,
	    NULL },
	{ "8-bit at the end", "a=0123456789abcdefghij\xff", INKAN_OK,
	    "a=0123456789abcdefghij\xff|" },
	{ "';' at byte 16", "a=0123456789abcd;b=1", INKAN_OK,
	    "a=0123456789abcd|b=1|" },
	{ "';' at byte 17", "a=0123456789abcde;b=1", INKAN_OK,
	    "a=0123456789abcde|b=1|" },
	/* Folds inside a value, as b= is folded. */
	{ "CRLF SP fold", "b=0123456789abcdefghij\r\n klmn", INKAN_OK,
	    "b=0123456789abcdefghij\r\n klmn|" },
	{ "CRLF HTAB fold", "b=0123\r\n\t4567", INKAN_OK, "b=0123\r\n\t4567|" },
	{ "fold and more WSP", "b=0123\r\n  \t4567", INKAN_OK,
	    "b=0123\r\n  \t4567|" },
	{ "two folds", "b=0123\r\n \r\n 4567", INKAN_OK,
	    "b=0123\r\n \r\n 4567|" },
	{ "LF fold", "b=0123\n 4567", INKAN_OK, "b=0123\n 4567|" },
	{ "fold at the end", "b=0123\r\n ", INKAN_OK, "b=0123|" },
	{ "fold then ;", "b=0123\r\n ;c=1", INKAN_OK, "b=0123|c=1|" },
	{ "CRLF at the end", "b=0123\r\n", INKAN_ERR_SYNTAX, NULL },
	{ "CRLF CRLF SP", "b=0123\r\n\r\n 4567", INKAN_ERR_SYNTAX, NULL },
	{ "fold then bare CR", "b=0123\r\n \r4567", INKAN_ERR_SYNTAX, NULL },
	{ "CR at the end", "b=0123\r", INKAN_ERR_SYNTAX, NULL },
	/* One SP after ';', and what is not just that. */
	{ "one SP", "a=1; b=2", INKAN_OK, "a=1|b=2|" },
	{ "SP HTAB", "a=1; \tb=2", INKAN_OK, "a=1|b=2|" },
	{ "SP then fold", "a=1; \r\n b=2", INKAN_OK, "a=1|b=2|" },
	{ "SP then bare LF", "a=1; \nb=2", INKAN_ERR_SYNTAX, NULL },
	{ "SP at the end", "a=1; ", INKAN_OK, "a=1|" },
	/* Longer names share bits of the duplicate check: still exact. */
	{ "names alike, not the same", "ab=1; cb=2; bh=3; zh=4", INKAN_OK,
	    "ab=1|cb=2|bh=3|zh=4|" },
	{ "longer duplicate", "bh=1; b=2; bh=3", INKAN_ERR_SYNTAX, NULL },
	{ "long duplicate", "abc_1=1; abc_1=2", INKAN_ERR_SYNTAX, NULL },
};

static void
test_taglist(void **state)
{
	struct dkim_tag tags[8];
	struct inkan_buf got;
	size_t i, k, n;
	const char *why;
	enum inkan_status st;

	(void)state;
	inkan_buf_init(&got, 4096);
	for (i = 0; i < NCASES(tl_cases); i++) {
		const struct tl_case *c = &tl_cases[i];
		/* A copy of the exact size: reading past it is an error
		   AddressSanitizer sees. */
		size_t len = strlen(c->in);
		uint8_t *in = malloc(len > 0 ? len : 1);

		assert_non_null(in);
		memcpy(in, c->in, len);
		st = dkim_taglist_parse(
		    inkan_view_make(in, len), tags, 8, &n, &why);
		if (st != c->want_st)
			fail_msg("%s: got %s (%s), want %s", c->name,
			    inkan_strerror(st), why,
			    inkan_strerror(c->want_st));
		if (st != INKAN_OK) {
			assert_true(why[0] != '\0');
			free(in);
			continue;
		}
		inkan_buf_reset(&got);
		for (k = 0; k < n; k++)
			inkan_buf_printf(&got, "%.*s=%.*s|",
			    (int)tags[k].name.len,
			    (const char *)tags[k].name.ptr,
			    (int)tags[k].value.len,
			    (const char *)tags[k].value.ptr);
		free(in);
		if (strcmp(inkan_buf_cstr(&got), c->want) != 0)
			fail_msg("%s: got \"%s\", want \"%s\"", c->name,
			    inkan_buf_cstr(&got), c->want);
	}
	inkan_buf_clear(&got);
}

static void
test_taglist_limit(void **state)
{
	struct dkim_tag tags[2];
	size_t n;
	const char *why;

	(void)state;
	assert_int_equal(
	    dkim_taglist_parse(inkan_view_cstr("a=1;b=2"), tags, 2, &n, &why),
	    INKAN_OK);
	assert_int_equal(dkim_taglist_parse(
			     inkan_view_cstr("a=1;b=2;c=3"), tags, 2, &n, &why),
	    INKAN_ERR_LIMIT);
}

static void
test_list_next(void **state)
{
	struct inkan_view l = inkan_view_cstr(" from : To:\r\n subject::"), e;
	const char *want[] = { "from", "To", "subject", "", "" };
	size_t k = 0;

	(void)state;
	while (dkim_list_next(&l, &e)) {
		assert_true(k < NCASES(want));
		if (!inkan_view_eq(e, inkan_view_cstr(want[k])))
			fail_msg("element %zu: got \"%.*s\", want \"%s\"", k,
			    (int)e.len, (const char *)e.ptr, want[k]);
		k++;
	}
	assert_int_equal(k, NCASES(want));
}

/*
 * dkim_arena_nofws(): b= without SP HTAB CR LF, other bytes (control
 * characters too) kept. Folds at each place relative to the 16- and
 * 32-byte steps and to the end, checked against a byte loop.
 */
static void
check_nofws(const char *name, const uint8_t *p, size_t n)
{
	struct inkan_arena a;
	char want[512], *got;
	size_t i, k = 0, len = 0;
	uint8_t *in = malloc(n > 0 ? n : 1);

	assert_non_null(in);
	memcpy(in, p, n);
	for (i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r' && p[i] != '\n')
			want[k++] = (char)p[i];
	inkan_arena_init(&a, 1 << 16);
	got = dkim_arena_nofws(&a, inkan_view_make(in, n), &len);
	assert_non_null(got);
	if (len != k || memcmp(got, want, k) != 0 || got[len] != '\0')
		fail_msg("%s (%zu bytes): got %zu bytes \"%s\", want %zu", name,
		    n, len, got, k);
	inkan_arena_clear(&a);
	free(in);
}

static void
test_nofws(void **state)
{
	static const char *const folds[] = { "\r\n ", "\r\n\t", " ", "\t",
		"\r\n  ", "\n ", "\r\n \r\n ", "\x01", "\v", "\r\x7f" };
	static const char b64[] = "n2v5VBBRQ2MhKjr6l6nCNA6zlUCDaTK3T9efcUHVfYsY"
				  "a+rDrqMhNYCbGxjSh8McG8uWBvmaTyau8UIb2tWn1"
				  "aeaBHdkQ2Yqdh8J30Cyxy9cK9xoIMd8w+fV6L5Zpnd";
	uint8_t in[400];
	size_t len, at, f, n;

	(void)state;
	for (len = 0; len <= 100; len += len < 40 ? 1 : 7) {
		check_nofws("no FWS", (const uint8_t *)b64, len);
		for (at = 0; at <= len; at++)
			for (f = 0; f < NCASES(folds); f++) {
				n = strlen(folds[f]);
				memcpy(in, b64, at);
				memcpy(in + at, folds[f], n);
				memcpy(in + at + n, b64 + at, len - at);
				check_nofws(folds[f], in, len + n);
			}
	}
	/* A folded b= of 344 characters, lines of 76 (CRLF SP). */
	for (len = 0, at = 0; at < 344; at++) {
		if (at > 0 && at % 76 == 0) {
			memcpy(in + len, "\r\n ", 3);
			len += 3;
		}
		in[len++] = (uint8_t)b64[at % (sizeof(b64) - 1)];
	}
	check_nofws("folded b=", in, len);
}

/* RFC 8463 A.2's Ed25519 key and a 1024-bit RSA key (SPKI). */
#define ED_P "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="
#define RSA_P                                                                  \
	"MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDkHlOQoBTzWRiGs5V6NpP3idY6Wk08" \
	"a5qhdR6wy5bdOKb2jLQiY/J16JYi0Qvx/byYzCNb3W91y3FutACDfzwQ/BC/e/8uBsCR" \
	"+yz1Lxj+PL6lHvqMKrM3rG4hstT5QjvHO9PzoxZyVYLzBfO2EeC3Ip3G+2kryOTIKT+"  \
	"l/K4w3QIDAQAB"
/* The same RSA key as a bare PKCS#1 RSAPublicKey. */
#define RSA_PKCS1_P                                                          \
	"MIGJAoGBAOQeU5CgFPNZGIazlXo2k/eJ1jpaTTxrmqF1HrDLlt04pvaMtCJj8nXoli" \
	"LRC/H9vJjMI1vdb3XLcW60AIN/PBD8EL97/y4GwJH7LPUvGP48vqUe+owqszesbiGy" \
	"1PlCO8c70/OjFnJVgvMF87YR4Lcincb7aSvI5MgpP6X8rjDdAgMBAAE="

struct kr_case {
	const char *name;
	const char *rec;
	enum inkan_status want_st;
	enum inkan_dkim_keytype type;
	unsigned hashes;
	bool testing, strict, revoked;
	unsigned bits; /* decoded key size; 0: do not decode */
};

static const struct kr_case kr_cases[] = {
	{ "rsa", "v=DKIM1; k=rsa; p=" RSA_P, INKAN_OK, INKAN_DKIM_KEY_RSA, 0,
	    false, false, false, 1024 },
	{ "rsa default k", "p=" RSA_P, INKAN_OK, INKAN_DKIM_KEY_RSA, 0, false,
	    false, false, 1024 },
	{ "rsa pkcs1", "v=DKIM1; p=" RSA_PKCS1_P, INKAN_OK, INKAN_DKIM_KEY_RSA,
	    0, false, false, false, 1024 },
	{ "ed25519", "v=DKIM1; k=ed25519; p=" ED_P, INKAN_OK,
	    INKAN_DKIM_KEY_ED25519, 0, false, false, false, 256 },
	{ "p with FWS",
	    "k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlr\r\n "
	    "wIaaPcHURo=",
	    INKAN_OK, INKAN_DKIM_KEY_ED25519, 0, false, false, false, 256 },
	{ "revoked", "v=DKIM1; p=", INKAN_OK, INKAN_DKIM_KEY_RSA, 0, false,
	    false, true, 0 },
	{ "testing and strict", "t=y:s; p=" ED_P "; k=ed25519", INKAN_OK,
	    INKAN_DKIM_KEY_ED25519, 0, true, true, false, 256 },
	{ "unknown t flag ignored", "t=q; p=" ED_P "; k=ed25519", INKAN_OK,
	    INKAN_DKIM_KEY_ED25519, 0, false, false, false, 256 },
	{ "h=sha256", "h=sha256; p=" RSA_P, INKAN_OK, INKAN_DKIM_KEY_RSA,
	    DKIM_HASH_SHA256, false, false, false, 1024 },
	{ "h=sha1:sha256:md5", "h=sha1 : sha256:md5; p=" RSA_P, INKAN_OK,
	    INKAN_DKIM_KEY_RSA, DKIM_HASH_SHA1 | DKIM_HASH_SHA256, false, false,
	    false, 1024 },
	{ "h= only unknown", "h=md5; p=" RSA_P, INKAN_ERR_SYNTAX,
	    INKAN_DKIM_KEY_RSA, 0, false, false, false, 0 },
	{ "s=email", "s=email; p=" RSA_P, INKAN_OK, INKAN_DKIM_KEY_RSA, 0,
	    false, false, false, 1024 },
	{ "s=*", "s=*; p=" RSA_P, INKAN_OK, INKAN_DKIM_KEY_RSA, 0, false, false,
	    false, 1024 },
	{ "s=other", "s=http; p=" RSA_P, INKAN_ERR_SYNTAX, INKAN_DKIM_KEY_RSA,
	    0, false, false, false, 0 },
	{ "k=unknown", "k=dsa; p=" RSA_P, INKAN_ERR_SYNTAX, INKAN_DKIM_KEY_RSA,
	    0, false, false, false, 0 },
	{ "v not first", "k=rsa; v=DKIM1; p=" RSA_P, INKAN_ERR_SYNTAX,
	    INKAN_DKIM_KEY_RSA, 0, false, false, false, 0 },
	{ "v wrong", "v=DKIM2; p=" RSA_P, INKAN_ERR_SYNTAX, INKAN_DKIM_KEY_RSA,
	    0, false, false, false, 0 },
	{ "no p", "v=DKIM1; k=rsa", INKAN_ERR_SYNTAX, INKAN_DKIM_KEY_RSA, 0,
	    false, false, false, 0 },
	{ "p not base64", "p=abc!", INKAN_ERR_SYNTAX, INKAN_DKIM_KEY_RSA, 0,
	    false, false, false, 0 },
	{ "n= ignored", "v=DKIM1; n=notes here; p=" RSA_P, INKAN_OK,
	    INKAN_DKIM_KEY_RSA, 0, false, false, false, 1024 },
	{ "not a tag-list", "hello world", INKAN_ERR_SYNTAX, INKAN_DKIM_KEY_RSA,
	    0, false, false, false, 0 },
};

static void
test_keyrec(void **state)
{
	struct dkim_keyrec kr;
	EVP_PKEY *pk;
	unsigned bits;
	size_t i;
	const char *why;
	enum inkan_status st;

	(void)state;
	inkan_buf_init(&kr.key, 4096);
	for (i = 0; i < NCASES(kr_cases); i++) {
		const struct kr_case *c = &kr_cases[i];

		why = "";
		st =
		    dkim_keyrec_parse(inkan_view_cstr(c->rec), NULL, &kr, &why);
		if (st != c->want_st)
			fail_msg("%s: got %s (%s), want %s", c->name,
			    inkan_strerror(st), why,
			    inkan_strerror(c->want_st));
		if (st != INKAN_OK)
			continue;
		if (kr.type != c->type || kr.hashes != c->hashes ||
		    kr.testing != c->testing || kr.strict != c->strict ||
		    kr.revoked != c->revoked)
			fail_msg("%s: got k=%d h=%u t=%d/%d revoked=%d",
			    c->name, (int)kr.type, kr.hashes, kr.testing,
			    kr.strict, kr.revoked);
		if (c->bits == 0)
			continue;
		st = dkim_pubkey_decode(
		    kr.type, kr.key.data, kr.key.len, &pk, &bits);
		if (st != INKAN_OK || bits != c->bits)
			fail_msg("%s: decode got %s, %u bits; want %u", c->name,
			    inkan_strerror(st), bits, c->bits);
		EVP_PKEY_free(pk);
	}
	inkan_buf_clear(&kr.key);
}

static void
test_pubkey_decode_bad(void **state)
{
	static const uint8_t junk[40] = { 0x30, 0x82, 0xff };
	EVP_PKEY *pk = NULL;
	unsigned bits;

	(void)state;
	/* Ed25519 keys are exactly 32 bytes. */
	assert_int_equal(
	    dkim_pubkey_decode(INKAN_DKIM_KEY_ED25519, junk, 31, &pk, &bits),
	    INKAN_ERR_SYNTAX);
	assert_int_equal(dkim_pubkey_decode(INKAN_DKIM_KEY_RSA, junk,
			     sizeof(junk), &pk, &bits),
	    INKAN_ERR_SYNTAX);
	assert_int_equal(
	    dkim_pubkey_decode(INKAN_DKIM_KEY_RSA, junk, 0, &pk, &bits),
	    INKAN_ERR_SYNTAX);
	assert_null(pk);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_taglist),
		cmocka_unit_test(test_taglist_limit),
		cmocka_unit_test(test_list_next),
		cmocka_unit_test(test_nofws),
		cmocka_unit_test(test_keyrec),
		cmocka_unit_test(test_pubkey_decode_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
