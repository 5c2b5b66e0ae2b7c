/*
 * test_overlay.c: the overlay of two zone resolvers: which one answers,
 * CNAMEs from upper into lower, faults, secure bits and counting.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dns_test.h"

/* "What I would publish." */
static const char upper_text[] =
    "$ORIGIN example.com.\n"
    "@\t\tIN TXT \"v=spf1 include:_spf.example.com -all\"\n"
    "_dmarc\t\tIN TXT \"v=DMARC1; p=reject\"\n"
    "alias\t\tIN CNAME live.example.com.\n"
    "to-upper\tIN CNAME new.example.com.\n"
    "new\t\tIN A 192.0.2.77\n"
    "*.wild\t\tIN TXT \"wild\"\n"
    "loop1\t\tIN CNAME loop2\n"
    "loop2\t\tIN CNAME loop1\n"
    ";! TIMEOUT slow.example.com. TXT\n"
    ";! SECURE secure.example.com.\n"
    "secure\t\tIN CNAME target.example.com.\n"
    ";! SECURE target.example.com.\n"
    "unsigned\t\tIN CNAME target.example.com.\n";

/* "What is live." */
static const char lower_text[] = "$ORIGIN example.com.\n"
				 "@\t\tIN TXT \"v=spf1 -all\"\n"
				 "@\t\tIN MX 10 mx\n"
				 "mx\t\tIN A 192.0.2.10\n"
				 "live\t\tIN A 192.0.2.20\n"
				 "live\t\tIN CNAME-NOT-A-TYPE\n";

static const char lower_ok[] = "$ORIGIN example.com.\n"
			       "@\t\tIN TXT \"v=spf1 -all\"\n"
			       "@\t\tIN MX 10 mx\n"
			       "mx\t\tIN A 192.0.2.10\n"
			       "live\t\tIN A 192.0.2.20\n"
			       "slow\t\tIN TXT \"live slow\"\n"
			       "target\t\tIN A 192.0.2.30\n"
			       ";! SECURE target.example.com.\n"
			       "a.wild\t\tIN A 192.0.2.40\n";

struct fixture {
	struct inkan_resolver *overlay;
	struct inkan_resolver *upper; /* borrowed from the overlay */
	struct inkan_resolver *lower; /* borrowed from the overlay */
};

static struct inkan_resolver *
zone(const char *text)
{
	struct inkan_resolver *r = NULL;
	struct inkan_zone_error err;

	assert_int_equal(inkan_resolver_new_zone(NULL, &r), INKAN_OK);
	if (inkan_resolver_zone_load_string(r, text, strlen(text), &err) !=
	    INKAN_OK)
		fail_msg("line %zu: %s", err.line, err.message);
	return r;
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->upper = zone(upper_text);
	f->lower = zone(lower_ok);
	assert_int_equal(
	    inkan_resolver_new_overlay(f->upper, f->lower, NULL, &f->overlay),
	    INKAN_OK);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	inkan_resolver_free(&f->overlay);
	free(f);
	return 0;
}

struct case_ {
	const char *name;
	enum inkan_dns_type type;
	enum inkan_dns_rcode rcode;
	const char *first;
	size_t chain;
	bool secure;
};

static const struct case_ cases[] = {
	/* Upper shadows exactly what it has. */
	{ "example.com", INKAN_DNS_TXT, INKAN_DNS_NOERROR,
	    "v=spf1 include:_spf.example.com -all", 0, false },
	{ "example.com", INKAN_DNS_MX, INKAN_DNS_NOERROR, "10 mx.example.com",
	    0, false },
	{ "_dmarc.example.com", INKAN_DNS_TXT, INKAN_DNS_NOERROR,
	    "v=DMARC1; p=reject", 0, false },
	{ "mx.example.com", INKAN_DNS_A, INKAN_DNS_NOERROR, "192.0.2.10", 0,
	    false },
	{ "nowhere.example.com", INKAN_DNS_A, INKAN_DNS_NXDOMAIN, NULL, 0,
	    false },
	/* A CNAME in upper goes on in lower, or in upper. */
	{ "alias.example.com", INKAN_DNS_A, INKAN_DNS_NOERROR, "192.0.2.20", 1,
	    false },
	{ "alias.example.com", INKAN_DNS_MX, INKAN_DNS_NODATA, NULL, 1, false },
	{ "to-upper.example.com", INKAN_DNS_A, INKAN_DNS_NOERROR, "192.0.2.77",
	    1, false },
	{ "loop1.example.com", INKAN_DNS_A, INKAN_DNS_SERVFAIL, NULL, 0,
	    false },
	/* Upper's wildcard answers its types; the rest is lower's. */
	{ "x.wild.example.com", INKAN_DNS_TXT, INKAN_DNS_NOERROR, "wild", 0,
	    false },
	{ "a.wild.example.com", INKAN_DNS_A, INKAN_DNS_NOERROR, "192.0.2.40", 0,
	    false },
	/* Upper's faults win over lower's records. */
	{ "slow.example.com", INKAN_DNS_TXT, INKAN_DNS_TIMEOUT, NULL, 0,
	    false },
	/* Secure only when both parts are. */
	{ "secure.example.com", INKAN_DNS_A, INKAN_DNS_NOERROR, "192.0.2.30", 1,
	    true },
	{ "unsigned.example.com", INKAN_DNS_A, INKAN_DNS_NOERROR, "192.0.2.30",
	    1, false },
};

static void
test_cases(void **state)
{
	struct fixture *f = *state;
	size_t i, failures = 0;
	char buf[512];

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct case_ *c = &cases[i];
		struct inkan_dns_answer *a = NULL;
		const char *first = NULL;

		assert_int_equal(
		    inkan_resolver_lookup(f->overlay, c->name, c->type, &a),
		    INKAN_OK);
		if (a->count > 0)
			first = rr_text(&a->records[0], buf, sizeof(buf));
		if (a->rcode != c->rcode || a->chain_count != c->chain ||
		    a->secure != c->secure ||
		    (c->first != NULL &&
			(first == NULL || strcmp(first, c->first) != 0))) {
			print_error("%s %s: got %s chain=%zu secure=%d "
				    "first=%s; want %s chain=%zu secure=%d "
				    "first=%s\n",
			    c->name, inkan_dns_type_to_name(c->type),
			    inkan_dns_rcode_to_name(a->rcode), a->chain_count,
			    a->secure, first ? first : "(none)",
			    inkan_dns_rcode_to_name(c->rcode), c->chain,
			    c->secure, c->first ? c->first : "(none)");
			failures++;
		}
		inkan_dns_answer_free(&a);
	}
	assert_int_equal(failures, 0);
}

static void
test_chain_fields(void **state)
{
	struct fixture *f = *state;
	struct inkan_dns_answer *a = NULL;

	assert_int_equal(inkan_resolver_lookup(
			     f->overlay, "ALIAS.example.com", INKAN_DNS_A, &a),
	    INKAN_OK);
	assert_string_equal(a->name, "alias.example.com");
	assert_string_equal(a->canonical_name, "live.example.com");
	assert_string_equal(a->chain[0].owner, "alias.example.com");
	assert_string_equal(a->records[0].owner, "live.example.com");
	inkan_dns_answer_free(&a);
}

static void
test_counting(void **state)
{
	struct fixture *f = *state;
	struct inkan_dns_answer *a = NULL;

	/* Upper alone. */
	assert_int_equal(
	    inkan_resolver_lookup(f->overlay, "example.com", INKAN_DNS_TXT, &a),
	    INKAN_OK);
	inkan_dns_answer_free(&a);
	assert_int_equal(inkan_resolver_queries(f->overlay), 1);
	assert_int_equal(inkan_resolver_queries(f->upper), 1);
	assert_int_equal(inkan_resolver_queries(f->lower), 0);
	/* Upper, then lower. */
	assert_int_equal(
	    inkan_resolver_lookup(f->overlay, "example.com", INKAN_DNS_MX, &a),
	    INKAN_OK);
	inkan_dns_answer_free(&a);
	assert_int_equal(inkan_resolver_queries(f->overlay), 2);
	assert_int_equal(inkan_resolver_queries(f->upper), 2);
	assert_int_equal(inkan_resolver_queries(f->lower), 1);
	/* Upper's chain, then lower at its end. */
	assert_int_equal(inkan_resolver_lookup(
			     f->overlay, "alias.example.com", INKAN_DNS_A, &a),
	    INKAN_OK);
	inkan_dns_answer_free(&a);
	assert_int_equal(inkan_resolver_queries(f->overlay), 3);
	assert_int_equal(inkan_resolver_queries(f->upper), 4);
	assert_int_equal(inkan_resolver_queries(f->lower), 2);
}

static void
test_injection_through_borrowed_upper(void **state)
{
	struct fixture *f = *state;
	struct inkan_dns_answer *a = NULL;

	assert_int_equal(inkan_resolver_zone_inject(
			     f->upper, "mx.example.com", 0, INKAN_DNS_SERVFAIL),
	    INKAN_OK);
	assert_int_equal(inkan_resolver_lookup(
			     f->overlay, "mx.example.com", INKAN_DNS_A, &a),
	    INKAN_OK);
	assert_int_equal(a->rcode, INKAN_DNS_SERVFAIL);
	inkan_dns_answer_free(&a);
	/* Zone calls on the overlay itself are refused. */
	assert_int_equal(inkan_resolver_zone_inject(f->overlay, "x.example.com",
			     0, INKAN_DNS_SERVFAIL),
	    INKAN_ERR_INVAL);
}

static void
test_bad_arguments(void **state)
{
	struct inkan_resolver *o = NULL, *z = zone(lower_ok);
	struct inkan_zone_error err;

	(void)state;
	/* Ownership passes also on failure: z is freed here. */
	assert_int_equal(
	    inkan_resolver_new_overlay(z, NULL, NULL, &o), INKAN_ERR_INVAL);
	assert_null(o);
	z = NULL;
	assert_int_equal(inkan_resolver_new_zone(NULL, &z), INKAN_OK);
	assert_int_equal(inkan_resolver_zone_load_string(
			     z, lower_text, strlen(lower_text), &err),
	    INKAN_ERR_SYNTAX);
	assert_int_equal(err.line, 6);
	inkan_resolver_free(&z);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_cases, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_chain_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(test_counting, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_injection_through_borrowed_upper, setup, teardown),
		cmocka_unit_test(test_bad_arguments),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
