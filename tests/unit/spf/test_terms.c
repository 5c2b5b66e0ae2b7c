/*
 * test_terms.c: the read-only term accessor of a parsed SPF record
 * (inkan_spf_record_term(), inkan_spf_record_modifier()): each mechanism
 * with its qualifier, text and domain-spec, in record order, and the
 * redirect= and exp= modifiers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <inkan/spf.h>

struct terms_case {
	const char *name;
	const char *record;
	/* "qualifier mechanism domain macro" per term, joined with " | " */
	const char *want;
	const char *want_redirect; /* or NULL */
	const char *want_exp; /* or NULL */
};

static const struct terms_case cases[] = {
	{ "empty", "v=spf1", "", NULL, NULL },
	{ "every mechanism",
	    "v=spf1 +all -include:a.example ~a ?a:b.example/24 mx:c.example "
	    "ptr ip4:192.0.2.0/24 ip6:2001:db8::/32 exists:%{i}.d.example",
	    "pass all - 0 | fail include a.example 0 | softfail a - 0 | "
	    "neutral a b.example 0 | pass mx c.example 0 | pass ptr - 0 | "
	    "pass ip4 - 0 | pass ip6 - 0 | pass exists %{i}.d.example 1",
	    NULL, NULL },
	{ "modifiers", "v=spf1 mx redirect=_spf.example exp=explain.%{d}",
	    "pass mx - 0", "_spf.example", "explain.%{d}" },
	{ "case", "v=SPF1 MX:Mail.Example -ALL",
	    "pass mx Mail.Example 0 | fail all - 0", NULL, NULL },
};

static void
describe(const struct inkan_spf_record *rec, char *out, size_t size)
{
	struct inkan_spf_term_info t;
	size_t i, used = 0;

	out[0] = '\0';
	for (i = 0; inkan_spf_record_term(rec, i, &t); i++) {
		int n = snprintf(out + used, size - used, "%s%s %s %.*s %d",
		    i ? " | " : "", inkan_spf_result_name(t.qualifier),
		    inkan_spf_mechanism_name(t.mechanism),
		    t.domain.len ? (int)t.domain.len : 1,
		    t.domain.len ? (const char *)t.domain.ptr : "-",
		    t.macro ? 1 : 0);

		if (n < 0 || (size_t)n >= size - used)
			return;
		used += (size_t)n;
	}
}

static void
test_terms(void **state)
{
	size_t i;
	int failed = 0;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct terms_case *c = &cases[i];
		struct inkan_spf_record *rec = NULL;
		struct inkan_view v;
		char got[1024];
		bool macro = false;

		assert_int_equal(inkan_spf_record_parse(c->record,
				     strlen(c->record), NULL, &rec, NULL),
		    INKAN_OK);
		describe(rec, got, sizeof(got));
		if (strcmp(got, c->want) != 0) {
			printf("%s: got \"%s\", want \"%s\"\n", c->name, got,
			    c->want);
			failed++;
		}
		if (inkan_spf_record_modifier(rec, "redirect", &v, &macro) !=
			(c->want_redirect != NULL) ||
		    (c->want_redirect != NULL &&
			!inkan_view_eq(v, inkan_view_cstr(c->want_redirect)))) {
			printf("%s: redirect not as wanted\n", c->name);
			failed++;
		}
		if (inkan_spf_record_modifier(rec, "exp", &v, &macro) !=
			(c->want_exp != NULL) ||
		    (c->want_exp != NULL &&
			(!inkan_view_eq(v, inkan_view_cstr(c->want_exp)) ||
			    !macro))) {
			printf("%s: exp not as wanted\n", c->name);
			failed++;
		}
		{
			size_t want_n = c->want[0] != '\0' ? 1 : 0;
			const char *p;

			for (p = c->want; (p = strstr(p, " | ")) != NULL; p++)
				want_n++;
			if (inkan_spf_record_nterms(rec) != want_n) {
				printf("%s: got %zu terms, want %zu\n", c->name,
				    inkan_spf_record_nterms(rec), want_n);
				failed++;
			}
		}
		inkan_spf_record_free(&rec);
	}
	assert_int_equal(failed, 0);
}

static void
test_bounds(void **state)
{
	struct inkan_spf_record *rec = NULL;
	struct inkan_spf_term_info t;
	struct inkan_view v;

	(void)state;
	assert_int_equal(
	    inkan_spf_record_parse("v=spf1 -all", 11, NULL, &rec, NULL),
	    INKAN_OK);
	assert_int_equal(inkan_spf_record_nterms(rec), 1);
	assert_true(inkan_spf_record_term(rec, 0, &t));
	assert_false(inkan_spf_record_term(rec, 1, &t));
	assert_false(inkan_spf_record_term(NULL, 0, &t));
	assert_false(inkan_spf_record_modifier(rec, "redirect", &v, NULL));
	assert_false(inkan_spf_record_modifier(rec, "other", &v, NULL));
	assert_int_equal(inkan_spf_record_nterms(NULL), 0);
	assert_string_equal(
	    inkan_spf_mechanism_name(INKAN_SPF_MECH_EXISTS), "exists");
	inkan_spf_record_free(&rec);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_terms),
		cmocka_unit_test(test_bounds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
