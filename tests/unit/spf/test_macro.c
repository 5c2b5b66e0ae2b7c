/*
 * test_macro.c: SPF macro syntax and expansion (RFC 7208 7): the examples
 * of 7.4 exactly, every letter, transformers and delimiters, escapes,
 * URL-encoding, the 253-character truncation and the syntax errors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <cmocka.h>

#include "spf/spf_impl.h"

static enum inkan_status
fake_ptr(void *arg, struct inkan_view *name_r)
{
	int *calls = arg;

	(*calls)++;
	*name_r = INKAN_VIEW_LIT("mx.example.org");
	return INKAN_OK;
}

/* The context of RFC 7208 7.4. */
static void
env_init(
    struct spf_macro_env *env, struct inkan_spf_ip *ip, bool v6, int *ptr_calls)
{
	memset(env, 0, sizeof(*env));
	assert_int_equal(
	    inkan_spf_ip_parse(v6 ? "2001:db8::cb01" : "192.0.2.3", ip),
	    INKAN_OK);
	env->ip = ip;
	env->sender = INKAN_VIEW_LIT("strong-bad@email.example.com");
	env->local = INKAN_VIEW_LIT("strong-bad");
	env->sender_domain = INKAN_VIEW_LIT("email.example.com");
	env->domain = INKAN_VIEW_LIT("email.example.com");
	env->helo = INKAN_VIEW_LIT("mx.example.com");
	env->receiver = INKAN_VIEW_LIT("receiver.example.net");
	env->now = 1234567890;
	env->ptr_name = fake_ptr;
	env->arg = ptr_calls;
}

struct expand_case {
	const char *in;
	bool v6;
	enum spf_macro_mode mode;
	const char *want; /* NULL: expansion fails */
};

/*
 * IPv6 %{i} nibbles are compared without case: RFC 7208 leaves their case
 * open (see ip_dotted() in lib/spf/macro.c); everything else exactly.
 */
static bool
nibbles_nocase(const struct expand_case *c)
{
	return c->v6 && strstr(c->in, "%{i") != NULL;
}

static const struct expand_case expand_cases[] = {
	/* RFC 7208 7.4, word for word. */
	{ "%{s}", false, SPF_MACRO_DOMAIN, "strong-bad@email.example.com" },
	{ "%{o}", false, SPF_MACRO_DOMAIN, "email.example.com" },
	{ "%{d}", false, SPF_MACRO_DOMAIN, "email.example.com" },
	{ "%{d4}", false, SPF_MACRO_DOMAIN, "email.example.com" },
	{ "%{d3}", false, SPF_MACRO_DOMAIN, "email.example.com" },
	{ "%{d2}", false, SPF_MACRO_DOMAIN, "example.com" },
	{ "%{d1}", false, SPF_MACRO_DOMAIN, "com" },
	{ "%{dr}", false, SPF_MACRO_DOMAIN, "com.example.email" },
	{ "%{d2r}", false, SPF_MACRO_DOMAIN, "example.email" },
	{ "%{l}", false, SPF_MACRO_DOMAIN, "strong-bad" },
	{ "%{l-}", false, SPF_MACRO_DOMAIN, "strong.bad" },
	{ "%{lr}", false, SPF_MACRO_DOMAIN, "strong-bad" },
	{ "%{lr-}", false, SPF_MACRO_DOMAIN, "bad.strong" },
	{ "%{l1r-}", false, SPF_MACRO_DOMAIN, "strong" },
	{ "%{ir}.%{v}._spf.%{d2}", false, SPF_MACRO_DOMAIN,
	    "3.2.0.192.in-addr._spf.example.com" },
	{ "%{lr-}.lp._spf.%{d2}", false, SPF_MACRO_DOMAIN,
	    "bad.strong.lp._spf.example.com" },
	{ "%{lr-}.lp.%{ir}.%{v}._spf.%{d2}", false, SPF_MACRO_DOMAIN,
	    "bad.strong.lp.3.2.0.192.in-addr._spf.example.com" },
	{ "%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}", false, SPF_MACRO_DOMAIN,
	    "3.2.0.192.in-addr.strong.lp._spf.example.com" },
	{ "%{d2}.trusted-domains.example.net", false, SPF_MACRO_DOMAIN,
	    "example.com.trusted-domains.example.net" },
	{ "%{ir}.%{v}._spf.%{d2}", true, SPF_MACRO_DOMAIN,
	    "1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2"
	    ".ip6._spf.example.com" },
	/* Every other letter. */
	{ "%{i}", false, SPF_MACRO_DOMAIN, "192.0.2.3" },
	{ "%{i}", true, SPF_MACRO_DOMAIN,
	    "2.0.0.1.0.d.b.8.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.c.b.0.1" },
	{ "%{v}", true, SPF_MACRO_DOMAIN, "ip6" },
	{ "%{h}", false, SPF_MACRO_DOMAIN, "mx.example.com" },
	{ "%{p}", false, SPF_MACRO_DOMAIN, "mx.example.org" },
	{ "%{p2}", false, SPF_MACRO_DOMAIN, "example.org" },
	{ "%{c}", false, SPF_MACRO_EXP, "192.0.2.3" },
	{ "%{c}", true, SPF_MACRO_EXP, "2001:db8::cb01" },
	{ "%{r}", false, SPF_MACRO_EXP, "receiver.example.net" },
	{ "%{t}", false, SPF_MACRO_EXP, "1234567890" },
	/* RFC 7208 7.2: c, r and t only in exp text. */
	{ "%{c}", false, SPF_MACRO_DOMAIN, NULL },
	{ "%{r}.example.com", false, SPF_MACRO_DOMAIN, NULL },
	{ "%{t}", false, SPF_MACRO_DOMAIN, NULL },
	/* Transformers and delimiters. */
	{ "%{d0}", false, SPF_MACRO_DOMAIN, NULL },
	{ "%{d99}", false, SPF_MACRO_DOMAIN, "email.example.com" },
	{ "%{d99999999999999999999}", false, SPF_MACRO_DOMAIN,
	    "email.example.com" },
	{ "%{dR}", false, SPF_MACRO_DOMAIN, "com.example.email" },
	{ "%{s-@}", false, SPF_MACRO_DOMAIN, NULL },
	{ "%{s.-@}", false, SPF_MACRO_DOMAIN, NULL },
	{ "%{s@}", false, SPF_MACRO_DOMAIN, NULL },
	{ "%{l2r+-}", false, SPF_MACRO_DOMAIN, "bad.strong" },
	{ "%{o-.}", false, SPF_MACRO_DOMAIN, "email.example.com" },
	{ "%{o2.-+,/_=}", false, SPF_MACRO_DOMAIN, "example.com" },
	/* Escapes (7.1) and URL-encoding of uppercase letters (7.3). */
	{ "a%%b%_c%-d", false, SPF_MACRO_EXP, "a%b c%20d" },
	{ "%{S}", false, SPF_MACRO_EXP, "strong-bad%40email.example.com" },
	{ "%{L}", false, SPF_MACRO_EXP, "strong-bad" },
	{ "%{C}", true, SPF_MACRO_EXP, "2001%3Adb8%3A%3Acb01" },
	{ "see %{d} now", false, SPF_MACRO_EXP, "see email.example.com now" },
	/* Trailing dot dropped in a domain. */
	{ "%{d}.", false, SPF_MACRO_DOMAIN, "email.example.com" },
	/* Syntax errors. */
	{ "%", false, SPF_MACRO_DOMAIN, NULL },
	{ "%x", false, SPF_MACRO_DOMAIN, NULL },
	{ "%{", false, SPF_MACRO_DOMAIN, NULL },
	{ "%{d", false, SPF_MACRO_DOMAIN, NULL },
	{ "%{a}", false, SPF_MACRO_DOMAIN, NULL },
	{ "%{dx}", false, SPF_MACRO_DOMAIN, NULL },
	{ "%{d2rr}", false, SPF_MACRO_DOMAIN, NULL },
};

static void
test_expand_table(void **state)
{
	struct spf_macro_env env;
	struct inkan_spf_ip ip;
	struct inkan_buf out;
	size_t i, bad;
	bool macro;
	const char *why;
	int calls = 0;

	(void)state;
	inkan_buf_init(&out, 4096);
	for (i = 0; i < sizeof(expand_cases) / sizeof(expand_cases[0]); i++) {
		const struct expand_case *c = &expand_cases[i];
		struct inkan_view in = inkan_view_cstr(c->in);
		bool ok = spf_macro_check(in, c->mode, &macro, &bad, &why);
		enum inkan_status st = INKAN_ERR_SYNTAX;

		env_init(&env, &ip, c->v6, &calls);
		inkan_buf_reset(&out);
		if (ok)
			st = spf_macro_expand(&env, in, c->mode, &out);
		if (c->want == NULL) {
			if (ok)
				fail_msg(
				    "%s: checked fine, want an error", c->in);
			continue;
		}
		if (!ok || st != INKAN_OK)
			fail_msg("%s: %s at %zu, want \"%s\"", c->in,
			    ok ? inkan_strerror(st) : why, ok ? 0 : bad,
			    c->want);
		if ((nibbles_nocase(c) ? strcasecmp : strcmp)(
			inkan_buf_cstr(&out), c->want) != 0)
			fail_msg("%s: got \"%s\", want \"%s\"", c->in,
			    inkan_buf_cstr(&out), c->want);
	}
	inkan_buf_clear(&out);
}

struct check_case {
	const char *in;
	enum spf_macro_mode mode;
	size_t bad; /* offset of the error; SIZE_MAX: valid */
	bool macro;
};

static const struct check_case check_cases[] = {
	{ "example.com", SPF_MACRO_DOMAIN, SIZE_MAX, false },
	{ "%{d}", SPF_MACRO_DOMAIN, SIZE_MAX, true },
	{ "a%%b", SPF_MACRO_DOMAIN, SIZE_MAX, true },
	{ "foo%.sbl.example.com", SPF_MACRO_DOMAIN, 3, false },
	{ "%(ir).sbl.example.com", SPF_MACRO_DOMAIN, 0, false },
	{ "x.%{q}", SPF_MACRO_DOMAIN, 4, false },
	{ "x.%{d0}", SPF_MACRO_DOMAIN, 5, false },
	{ "a b", SPF_MACRO_DOMAIN, 1, false },
	{ "a b", SPF_MACRO_EXP, SIZE_MAX, false },
	{ "a\x7f", SPF_MACRO_EXP, 1, false },
	{ "caf\xc3\xa9", SPF_MACRO_EXP, 3, false },
	{ "%{t}", SPF_MACRO_ANY, SIZE_MAX, true },
	{ "%{t}", SPF_MACRO_DOMAIN, 2, false },
	{ "end%", SPF_MACRO_EXP, 3, false },
};

static void
test_check_table(void **state)
{
	size_t i, bad;
	bool macro, ok;
	const char *why;

	(void)state;
	for (i = 0; i < sizeof(check_cases) / sizeof(check_cases[0]); i++) {
		const struct check_case *c = &check_cases[i];

		bad = SIZE_MAX;
		ok = spf_macro_check(
		    inkan_view_cstr(c->in), c->mode, &macro, &bad, &why);
		if (ok != (c->bad == SIZE_MAX) || (!ok && bad != c->bad))
			fail_msg("\"%s\": got %s at %zu, want %s at %zu", c->in,
			    ok ? "valid" : "invalid", bad,
			    c->bad == SIZE_MAX ? "valid" : "invalid", c->bad);
		if (ok && macro != c->macro)
			fail_msg("\"%s\": got macro %d, want %d", c->in, macro,
			    c->macro);
	}
}

/* RFC 7208 7.3: a domain over 253 characters loses labels on the left. */
static void
test_truncation(void **state)
{
	struct spf_macro_env env;
	struct inkan_spf_ip ip;
	struct inkan_buf out, full;
	char spec[512];
	int calls = 0;
	size_t n, off = 0;

	(void)state;
	env_init(&env, &ip, false, &calls);
	/* 20 times "%{o}." (18 characters each) then "tail.example". */
	for (n = 0; n < 20; n++)
		off +=
		    (size_t)snprintf(spec + off, sizeof(spec) - off, "%%{o}.");
	snprintf(spec + off, sizeof(spec) - off, "tail.example");
	inkan_buf_init(&out, 4096);
	inkan_buf_init(&full, 4096);
	assert_int_equal(
	    spf_macro_expand(&env, inkan_view_cstr(spec), SPF_MACRO_EXP, &full),
	    INKAN_OK);
	assert_int_equal(full.len, 20 * 18 + 12);
	assert_int_equal(spf_macro_expand(&env, inkan_view_cstr(spec),
			     SPF_MACRO_DOMAIN, &out),
	    INKAN_OK);
	/* A suffix of whole labels, as long as fits in 253. */
	assert_true(out.len <= 253);
	assert_memory_equal(out.data, full.data + full.len - out.len, out.len);
	assert_int_equal(full.data[full.len - out.len - 1], '.');
	for (n = full.len - out.len - 2; full.data[n] != '.'; n--)
		;
	assert_true(full.len - n - 1 > 253);
	inkan_buf_clear(&out);
	inkan_buf_clear(&full);

	/* An expansion past the buffer's maximum fails, never truncates. */
	inkan_buf_init(&out, 64);
	assert_int_equal(spf_macro_expand(&env, inkan_view_cstr(spec),
			     SPF_MACRO_DOMAIN, &out),
	    INKAN_ERR_LIMIT);
	inkan_buf_clear(&out);
}

/*
 * A long value: the parts kept are found from their end, and a long
 * output fails at the buffer's maximum (the cost follows the output).
 */
static void
test_long_value(void **state)
{
	struct spf_macro_env env;
	struct inkan_spf_ip ip;
	struct inkan_buf out, big;
	int calls = 0;
	size_t i;

	(void)state;
	env_init(&env, &ip, false, &calls);
	inkan_buf_init(&big, 1 << 20);
	inkan_buf_append_cstr(&big, "first");
	for (i = 0; i < 100000; i++)
		inkan_buf_append_cstr(&big, ".a");
	inkan_buf_append_cstr(&big, ".last");
	env.sender = inkan_buf_view(&big);
	inkan_buf_init(&out, 4096);
	assert_int_equal(spf_macro_expand(&env, INKAN_VIEW_LIT("%{s1}.%{s2r}"),
			     SPF_MACRO_DOMAIN, &out),
	    INKAN_OK);
	assert_string_equal(inkan_buf_cstr(&out), "last.a.first");
	inkan_buf_reset(&out);
	assert_int_equal(spf_macro_expand(&env, INKAN_VIEW_LIT("x.%{s}"),
			     SPF_MACRO_DOMAIN, &out),
	    INKAN_ERR_LIMIT);
	inkan_buf_reset(&out);
	assert_int_equal(spf_macro_expand(&env, INKAN_VIEW_LIT("x.%{sr}"),
			     SPF_MACRO_DOMAIN, &out),
	    INKAN_ERR_LIMIT);
	inkan_buf_clear(&out);
	inkan_buf_clear(&big);
}

/* %{p} asks the callback (which may do DNS) each time it appears. */
static void
test_p_callback(void **state)
{
	struct spf_macro_env env;
	struct inkan_spf_ip ip;
	struct inkan_buf out;
	int calls = 0;

	(void)state;
	env_init(&env, &ip, false, &calls);
	inkan_buf_init(&out, 4096);
	assert_int_equal(spf_macro_expand(&env, INKAN_VIEW_LIT("%{d}"),
			     SPF_MACRO_DOMAIN, &out),
	    INKAN_OK);
	assert_int_equal(calls, 0);
	assert_int_equal(spf_macro_expand(&env, INKAN_VIEW_LIT("%{p}.%{pr}"),
			     SPF_MACRO_DOMAIN, &out),
	    INKAN_OK);
	assert_int_equal(calls, 2);
	env.ptr_name = NULL;
	inkan_buf_reset(&out);
	assert_int_equal(spf_macro_expand(&env, INKAN_VIEW_LIT("%{p}"),
			     SPF_MACRO_DOMAIN, &out),
	    INKAN_OK);
	assert_string_equal(inkan_buf_cstr(&out), "unknown");
	inkan_buf_clear(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_expand_table),
		cmocka_unit_test(test_check_table),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_long_value),
		cmocka_unit_test(test_p_callback),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
