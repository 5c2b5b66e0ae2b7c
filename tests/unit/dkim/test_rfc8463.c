/*
 * test_rfc8463.c: the worked example of RFC 8463 Appendix A, from the
 * suite in INKAN_TESTSUITES_DIR/dkim-rfc8463-example (skipped with a
 * message when absent): both signatures verify, in any chunking; the
 * Ed25519 signature and the RSA one re-sign to exactly the same b=.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "dkim_test.h"

#define SUITE INKAN_TESTSUITES_DIR "/dkim-rfc8463-example/"

/* RFC 8463 A.2: the two key records. */
#define ED_RECORD \
	"v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="
#define RSA_RECORD                                                             \
	"v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDkHlOQoBTzWR" \
	"iGs5V6NpP3idY6Wk08a5qhdR6wy5bdOKb2jLQiY/J16JYi0Qvx/byYzCNb3W91y3Fut"  \
	"ACDfzwQ/BC/e/8uBsCR+yz1Lxj+PL6lHvqMKrM3rG4hstT5QjvHO9PzoxZyVYLzBfO2"  \
	"EeC3Ip3G+2kryOTIKT+l/K4w3QIDAQAB"

/* A.3: the signing time; the example's keys verify at any time. */
static int64_t example_time = 1528637909;

struct fixture {
	struct inkan_resolver *r;
	struct inkan_dkim *dkim;
	uint8_t *msg;
	size_t len;
};

static int
setup(void **state)
{
	static struct fixture fx;
	struct inkan_dkim_policy pol;

	memset(&fx, 0, sizeof(fx));
	fx.msg = test_read_file(SUITE "signed.eml", &fx.len);
	if (fx.msg == NULL) {
		print_message("skipped: %s not found\n", SUITE "signed.eml");
		*state = NULL;
		return 0;
	}
	if (inkan_resolver_new_zone(NULL, &fx.r) != INKAN_OK)
		return -1;
	test_add_key(
	    fx.r, "brisbane._domainkey.football.example.com", ED_RECORD);
	test_add_key(fx.r, "test._domainkey.football.example.com", RSA_RECORD);
	inkan_dkim_policy_init(&pol);
	pol.now = test_clock;
	pol.now_arg = &example_time;
	if (inkan_dkim_new(fx.r, NULL, &pol, &fx.dkim) != INKAN_OK)
		return -1;
	*state = &fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *fx = *state;

	if (fx == NULL)
		return 0;
	inkan_dkim_free(&fx->dkim);
	inkan_resolver_free(&fx->r);
	free(fx->msg);
	return 0;
}

static void
test_verify_both(void **state)
{
	static const size_t chunks[] = { 0, 1, 2, 3, 7, 64, 100 };
	struct fixture *fx = *state;
	struct test_vresult res[4];
	size_t c;
	int n;

	if (fx == NULL)
		skip();
	for (c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
		n = test_verify(fx->dkim, INKAN_DKIM_ALLOW_LF, fx->msg, fx->len,
		    chunks[c], res, 4);
		if (n != 2)
			fail_msg("chunk %zu: got %d signatures, want 2",
			    chunks[c], n);
		if (res[0].result != INKAN_DKIM_PASS ||
		    res[1].result != INKAN_DKIM_PASS)
			fail_msg("chunk %zu: got %s (%s) / %s (%s), want pass",
			    chunks[c], inkan_dkim_result_name(res[0].result),
			    res[0].reason,
			    inkan_dkim_result_name(res[1].result),
			    res[1].reason);
		assert_int_equal(res[0].alg, INKAN_DKIM_ED25519_SHA256);
		assert_int_equal(res[0].key_bits, 256);
		assert_int_equal(res[1].alg, INKAN_DKIM_RSA_SHA256);
		/* The example's RSA key has 1024 bits: the minimum. */
		assert_int_equal(res[1].key_bits, 1024);
		assert_string_equal(res[0].domain, "football.example.com");
	}
}

/* The b= of the first field named after "b=" in text, without FWS. */
static void
extract_b(
    const uint8_t *text, size_t len, size_t which, char *out, size_t outcap)
{
	size_t i, o = 0, seen = 0;

	for (i = 0; i + 3 < len; i++) {
		if (!(text[i] == ' ' || text[i] == ';' || text[i] == '\n') ||
		    text[i + 1] != 'b' || text[i + 2] != '=')
			continue;
		if (seen++ != which)
			continue;
		for (i += 3; i < len && text[i] != ';'; i++) {
			if (text[i] == '\n' && i + 1 < len &&
			    text[i + 1] != ' ' && text[i + 1] != '\t')
				break;
			if (text[i] > ' ' && o + 1 < outcap)
				out[o++] = (char)text[i];
		}
		break;
	}
	out[o] = '\0';
}

static void
resign(struct fixture *fx, const char *keyfile, size_t which)
{
	struct inkan_dkim_sign_options o;
	struct inkan_dkim_key *key = NULL;
	const uint8_t *body;
	uint8_t *signed_msg;
	size_t len, i;
	char want[512], got[512];
	enum inkan_status st;

	st = inkan_dkim_key_load_file(keyfile, &key);
	if (st != INKAN_OK)
		fail_msg("%s: %s", keyfile, inkan_strerror(st));
	/* The unsigned message: from "From:" on. */
	body = NULL;
	for (i = 0; i + 5 < fx->len; i++)
		if ((i == 0 || fx->msg[i - 1] == '\n') &&
		    memcmp(fx->msg + i, "From:", 5) == 0) {
			body = fx->msg + i;
			break;
		}
	assert_non_null(body);
	inkan_dkim_sign_options_init(&o);
	o.domain = "football.example.com";
	o.selector = which == 0 ? "brisbane" : "test";
	o.identity = "@football.example.com";
	o.headers = "from : to : subject : date : message-id : from : "
		    "subject : date";
	o.timestamp = true;
	signed_msg = test_sign(fx->dkim, &o, &key, 1, INKAN_DKIM_ALLOW_LF, body,
	    fx->len - (size_t)(body - fx->msg), 5, &len);
	assert_non_null(signed_msg);
	extract_b(fx->msg, fx->len, which, want, sizeof(want));
	extract_b(signed_msg, len, 0, got, sizeof(got));
	if (strcmp(got, want) != 0)
		fail_msg("re-signed b=\n got %s\nwant %s\nfield:\n%.*s", got,
		    want, (int)len, (const char *)signed_msg);
	free(signed_msg);
	inkan_dkim_key_free(&key);
}

static void
test_resign_ed25519(void **state)
{
	struct fixture *fx = *state;

	if (fx == NULL)
		skip();
	resign(fx, SUITE "private-ec.key", 0);
}

static void
test_resign_rsa(void **state)
{
	struct fixture *fx = *state;

	if (fx == NULL)
		skip();
	resign(fx, SUITE "private-rsa.key", 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_verify_both),
		cmocka_unit_test(test_resign_ed25519),
		cmocka_unit_test(test_resign_rsa),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
