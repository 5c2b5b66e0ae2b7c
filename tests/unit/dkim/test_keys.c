/*
 * test_keys.c: private keys (PEM PKCS#1 and PKCS#8, the raw Ed25519 seed
 * of RFC 8463 A.2), key generation, the record to publish (RFC 6376
 * 3.6.1, RFC 8463 4.2) and its split into 255-byte strings.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "dkim_test.h"

#define NCASES(a) (sizeof(a) / sizeof((a)[0]))
#define SUITE INKAN_TESTSUITES_DIR "/dkim-rfc8463-example/"

/* RFC 8032 7.1 test 1 secret key (RFC 8463 A.2), and its public key. */
#define SEED "nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A="
#define ED_RECORD \
	"v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="

static void
test_raw_seed(void **state)
{
	static const char *forms[] = { SEED, SEED "\n", "  " SEED "\r\n",
		"nWGxne/9WmC6hEr0kuwsxERJ\nxWl7MmkZcDusAxyuf2A=" };
	struct inkan_dkim_key *k = NULL;
	struct inkan_buf rec;
	size_t i;

	(void)state;
	inkan_buf_init(&rec, 4096);
	for (i = 0; i < NCASES(forms); i++) {
		assert_int_equal(
		    inkan_dkim_key_load_pem(forms[i], strlen(forms[i]), &k),
		    INKAN_OK);
		assert_int_equal(
		    inkan_dkim_key_algorithm(k), INKAN_DKIM_ED25519_SHA256);
		inkan_buf_reset(&rec);
		assert_int_equal(inkan_dkim_key_record(k, &rec), INKAN_OK);
		if (strcmp(inkan_buf_cstr(&rec), ED_RECORD) != 0)
			fail_msg("form %zu: got %s, want %s", i,
			    inkan_buf_cstr(&rec), ED_RECORD);
		inkan_dkim_key_free(&k);
		assert_null(k);
	}
	inkan_buf_clear(&rec);
}

static void
test_bad_keys(void **state)
{
	static const struct {
		const char *name, *text;
		enum inkan_status want;
	} cases[] = {
		{ "empty", "", INKAN_ERR_SYNTAX },
		{ "short seed", "AAAA", INKAN_ERR_SYNTAX },
		{ "not base64", "hello world!", INKAN_ERR_SYNTAX },
		{ "broken PEM",
		    "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE "
		    "KEY-----\n",
		    INKAN_ERR_SYNTAX },
		{ "public key PEM",
		    "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA11qYAYKxCrfVS/"
		    "7TyWQHOg7hcvPapiMlrwIaaPcHURo=\n-----END PUBLIC "
		    "KEY-----\n",
		    INKAN_ERR_SYNTAX },
	};
	struct inkan_dkim_key *k = NULL;
	size_t i;
	enum inkan_status st;

	(void)state;
	for (i = 0; i < NCASES(cases); i++) {
		st = inkan_dkim_key_load_pem(
		    cases[i].text, strlen(cases[i].text), &k);
		if (st != cases[i].want)
			fail_msg("%s: got %s, want %s", cases[i].name,
			    inkan_strerror(st), inkan_strerror(cases[i].want));
		assert_null(k);
	}
	assert_int_equal(inkan_dkim_key_load_file("/nonexistent/key.pem", &k),
	    INKAN_ERR_NOTFOUND);
}

static void
test_suite_keys(void **state)
{
	struct inkan_dkim_key *k = NULL;
	struct inkan_buf rec;
	FILE *f;

	(void)state;
	if ((f = fopen(SUITE "private-rsa.key", "r")) == NULL) {
		print_message("skipped: %s not found\n", SUITE);
		skip();
	}
	fclose(f);
	inkan_buf_init(&rec, 4096);
	/* PKCS#1 "RSA PRIVATE KEY", 1024 bits: accepted. */
	assert_int_equal(
	    inkan_dkim_key_load_file(SUITE "private-rsa.key", &k), INKAN_OK);
	assert_int_equal(inkan_dkim_key_algorithm(k), INKAN_DKIM_RSA_SHA256);
	assert_int_equal(inkan_dkim_key_record(k, &rec), INKAN_OK);
	assert_string_equal(inkan_buf_cstr(&rec),
	    "v=DKIM1; k=rsa; "
	    "p="
	    "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDkHlOQoBTzWRiGs5V6NpP3idY6W"
	    "k08a5qhdR6wy5bdOKb2jLQiY/J16JYi0Qvx/byYzCNb3W91y3FutACDfzwQ/BC/e/"
	    "8uBsCR+yz1Lxj+PL6lHvqMKrM3rG4hstT5QjvHO9PzoxZyVYLzBfO2EeC3Ip3G+"
	    "2kryOTIKT+l/K4w3QIDAQAB");
	inkan_dkim_key_free(&k);
	assert_int_equal(
	    inkan_dkim_key_load_file(SUITE "private-ec.key", &k), INKAN_OK);
	inkan_buf_reset(&rec);
	assert_int_equal(inkan_dkim_key_record(k, &rec), INKAN_OK);
	assert_string_equal(inkan_buf_cstr(&rec), ED_RECORD);
	inkan_dkim_key_free(&k);
	inkan_buf_clear(&rec);
}

static void
test_keygen(void **state)
{
	static const struct {
		enum inkan_dkim_keytype type;
		unsigned bits;
		enum inkan_status want;
		enum inkan_dkim_algorithm alg;
	} cases[] = {
		{ INKAN_DKIM_KEY_RSA, 0, INKAN_OK, INKAN_DKIM_RSA_SHA256 },
		{ INKAN_DKIM_KEY_RSA, 1024, INKAN_OK, INKAN_DKIM_RSA_SHA256 },
		{ INKAN_DKIM_KEY_RSA, 512, INKAN_ERR_INVAL, 0 },
		{ INKAN_DKIM_KEY_RSA, 8192, INKAN_ERR_INVAL, 0 },
		{ INKAN_DKIM_KEY_ED25519, 0, INKAN_OK,
		    INKAN_DKIM_ED25519_SHA256 },
		{ (enum inkan_dkim_keytype)7, 0, INKAN_ERR_INVAL, 0 },
	};
	struct inkan_dkim_key *k = NULL;
	struct inkan_buf pem, rec;
	size_t i;

	(void)state;
	inkan_buf_init(&pem, 1 << 16);
	inkan_buf_init(&rec, 1 << 16);
	for (i = 0; i < NCASES(cases); i++) {
		inkan_buf_reset(&pem);
		assert_int_equal(
		    inkan_dkim_keygen(cases[i].type, cases[i].bits, &pem),
		    cases[i].want);
		if (cases[i].want != INKAN_OK)
			continue;
		assert_non_null(strstr(
		    inkan_buf_cstr(&pem), "-----BEGIN PRIVATE KEY-----"));
		assert_int_equal(
		    inkan_dkim_key_load_pem(pem.data, pem.len, &k), INKAN_OK);
		assert_int_equal(inkan_dkim_key_algorithm(k), cases[i].alg);
		inkan_buf_reset(&rec);
		assert_int_equal(inkan_dkim_key_record(k, &rec), INKAN_OK);
		assert_non_null(strstr(inkan_buf_cstr(&rec),
		    cases[i].alg == INKAN_DKIM_RSA_SHA256
			? "v=DKIM1; k=rsa; p=MI"
			: "v=DKIM1; k=ed25519; p="));
		inkan_dkim_key_free(&k);
	}
	inkan_buf_clear(&pem);
	inkan_buf_clear(&rec);
}

static void
test_record_split(void **state)
{
	static char rec[700];
	struct inkan_buf out, want;
	size_t i;

	(void)state;
	inkan_buf_init(&out, 1 << 16);
	inkan_buf_init(&want, 1 << 16);
	assert_int_equal(
	    inkan_dkim_record_split(inkan_view_cstr("v=DKIM1; p="), &out),
	    INKAN_OK);
	assert_string_equal(inkan_buf_cstr(&out), "\"v=DKIM1; p=\"");
	inkan_buf_reset(&out);
	assert_int_equal(
	    inkan_dkim_record_split(inkan_view_cstr(""), &out), INKAN_OK);
	assert_string_equal(inkan_buf_cstr(&out), "\"\"");
	/* 600 bytes: 255 + 255 + 90. */
	for (i = 0; i < 600; i++)
		rec[i] = (char)('a' + i % 26);
	inkan_buf_reset(&out);
	assert_int_equal(
	    inkan_dkim_record_split(inkan_view_make(rec, 600), &out), INKAN_OK);
	inkan_buf_printf(&want, "\"%.255s\" \"%.255s\" \"%.90s\"", rec,
	    rec + 255, rec + 510);
	assert_string_equal(inkan_buf_cstr(&out), inkan_buf_cstr(&want));
	/* Quotes and backslashes are escaped, and count once. */
	inkan_buf_reset(&out);
	assert_int_equal(
	    inkan_dkim_record_split(inkan_view_cstr("a\"b\\c"), &out),
	    INKAN_OK);
	assert_string_equal(inkan_buf_cstr(&out), "\"a\\\"b\\\\c\"");
	inkan_buf_clear(&out);
	inkan_buf_clear(&want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_raw_seed),
		cmocka_unit_test(test_bad_keys),
		cmocka_unit_test(test_suite_keys),
		cmocka_unit_test(test_keygen),
		cmocka_unit_test(test_record_split),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
