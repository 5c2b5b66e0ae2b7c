/*
 * test_names.c: name validation at its boundaries (RFC 1035 2.3.4), names
 * taken byte for byte without escapes, the presentation form of names in
 * answers, and the type and rcode names.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <inkan/dns.h>

/* n copies of c, then suffix, in buf. */
static const char *
rep(char *buf, size_t size, char c, size_t n, const char *suffix)
{
	assert_true(n + strlen(suffix) < size);
	memset(buf, c, n);
	memcpy(buf + n, suffix, strlen(suffix) + 1);
	return buf;
}

/* A name of exactly len characters: labels of 63 with dots between. */
static const char *
name_of_len(char *buf, size_t size, size_t len)
{
	size_t i;

	assert_true(len < size);
	for (i = 0; i < len; i++)
		buf[i] = (i % 64 == 63) ? '.' : 'a';
	/* Never end on a dot, so the length is the name's own. */
	if (len > 0 && buf[len - 1] == '.')
		buf[len - 1] = 'b';
	buf[len] = '\0';
	return buf;
}

struct name_case {
	const char *what;
	const char *name;
	enum inkan_status want;
	const char *canonical; /* the answer's name, when OK */
};

static void
check(struct inkan_resolver *r, const struct name_case *c, size_t *failures)
{
	struct inkan_dns_answer *a = NULL;
	enum inkan_status st;

	st = inkan_resolver_lookup(r, c->name, INKAN_DNS_A, &a);
	if (st != c->want ||
	    (st == INKAN_OK && c->canonical != NULL &&
		strcmp(a->name, c->canonical) != 0)) {
		print_error("%s: got %s '%s'; want %s '%s'\n", c->what,
		    inkan_strerror(st), a != NULL ? a->name : "-",
		    inkan_strerror(c->want), c->canonical ? c->canonical : "-");
		(*failures)++;
	}
	if (st != INKAN_OK && a != NULL) {
		print_error("%s: an answer despite an error\n", c->what);
		(*failures)++;
	}
	inkan_dns_answer_free(&a);
}

static void
test_boundaries(void **state)
{
	struct inkan_resolver *r = NULL;
	char l63[80], l64[80], n253[300], n254[300], n253dot[310];
	size_t failures = 0, i;

	(void)state;
	assert_int_equal(inkan_resolver_new_zone(NULL, &r), INKAN_OK);
	rep(l63, sizeof(l63), 'a', 63, ".example");
	rep(l64, sizeof(l64), 'a', 64, ".example");
	name_of_len(n253, sizeof(n253), 253);
	name_of_len(n254, sizeof(n254), 254);
	snprintf(n253dot, sizeof(n253dot), "%s.", n253);
	{
		const struct name_case cases[] = {
			{ "63-octet label", l63, INKAN_OK, NULL },
			{ "64-octet label", l64, INKAN_ERR_INVAL, NULL },
			{ "253 characters", n253, INKAN_OK, NULL },
			{ "253 characters and a dot", n253dot, INKAN_OK, NULL },
			{ "254 characters", n254, INKAN_ERR_INVAL, NULL },
			{ "root", ".", INKAN_OK, "." },
			{ "empty", "", INKAN_ERR_INVAL, NULL },
			{ "two dots", "..", INKAN_ERR_INVAL, NULL },
			{ "leading dot", ".example.com", INKAN_ERR_INVAL,
			    NULL },
			{ "empty label", "a..example.com", INKAN_ERR_INVAL,
			    NULL },
			{ "two trailing dots", "example.com..", INKAN_ERR_INVAL,
			    NULL },
			{ "trailing dot", "Example.COM.", INKAN_OK,
			    "example.com" },
			{ "one label", "localhost", INKAN_OK, "localhost" },
			/* No escapes: a backslash is a byte. */
			{ "backslash", "a\\.b.example", INKAN_OK,
			    "a\\\\.b.example" },
			{ "decimal escape", "\\065.example", INKAN_OK,
			    "\\\\065.example" },
			{ "space and quote", "a b\".example", INKAN_OK,
			    "a\\032b\\\".example" },
			{ "high bytes", "caf\xc3\xa9.example", INKAN_OK,
			    "caf\\195\\169.example" },
			{ "specials", "@$;().example", INKAN_OK,
			    "\\@\\$\\;\\(\\).example" },
			{ "underscore and star", "*._dmarc.example", INKAN_OK,
			    "*._dmarc.example" },
		};

		for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
			check(r, &cases[i], &failures);
	}
	{
		struct inkan_dns_answer *a = NULL;

		assert_int_equal(
		    inkan_resolver_lookup(r, NULL, INKAN_DNS_A, &a),
		    INKAN_ERR_INVAL);
		assert_int_equal(
		    inkan_resolver_lookup(NULL, "example.com", INKAN_DNS_A, &a),
		    INKAN_ERR_INVAL);
		assert_int_equal(
		    inkan_resolver_lookup(r, "example.com", INKAN_DNS_A, NULL),
		    INKAN_ERR_INVAL);
		/* Meta and query types are refused. */
		assert_int_equal(inkan_resolver_lookup(r, "example.com",
				     (enum inkan_dns_type)255, &a),
		    INKAN_ERR_INVAL);
		assert_int_equal(inkan_resolver_lookup(r, "example.com",
				     (enum inkan_dns_type)41, &a),
		    INKAN_ERR_INVAL);
		assert_int_equal(inkan_resolver_lookup(r, "example.com",
				     (enum inkan_dns_type)0, &a),
		    INKAN_ERR_INVAL);
		assert_null(a);
		/* Other data types pass. */
		assert_int_equal(inkan_resolver_lookup(r, "example.com",
				     (enum inkan_dns_type)257, &a),
		    INKAN_OK);
		assert_int_equal(a->rcode, INKAN_DNS_NXDOMAIN);
		inkan_dns_answer_free(&a);
	}
	inkan_resolver_free(&r);
	assert_int_equal(failures, 0);
}

/* A name with odd bytes is found again by the same bytes, any case. */
static void
test_odd_bytes_roundtrip(void **state)
{
	struct inkan_resolver *r = NULL;
	struct inkan_dns_answer *a = NULL;
	const struct inkan_view s = INKAN_VIEW_LIT("x");

	(void)state;
	assert_int_equal(inkan_resolver_new_zone(NULL, &r), INKAN_OK);
	assert_int_equal(
	    inkan_resolver_zone_add_txt(r, "A B\\c\x01.Example", 60, &s, 1),
	    INKAN_OK);
	assert_int_equal(
	    inkan_resolver_lookup(r, "a b\\C\x01.EXAMPLE.", INKAN_DNS_TXT, &a),
	    INKAN_OK);
	assert_int_equal(a->rcode, INKAN_DNS_NOERROR);
	assert_string_equal(a->records[0].owner, "a\\032b\\\\c\\001.example");
	inkan_dns_answer_free(&a);
	/* The escaped spelling is another name. */
	assert_int_equal(inkan_resolver_lookup(
			     r, "a\\032b\\\\c\\001.example", INKAN_DNS_TXT, &a),
	    INKAN_OK);
	assert_int_equal(a->rcode, INKAN_DNS_NXDOMAIN);
	inkan_dns_answer_free(&a);
	inkan_resolver_free(&r);
}

struct type_case {
	const char *name;
	enum inkan_status want;
	unsigned type;
	const char *back; /* inkan_dns_type_to_name(type) */
};

static const struct type_case types[] = {
	{ "A", INKAN_OK, 1, "A" },
	{ "aaaa", INKAN_OK, 28, "AAAA" },
	{ "Mx", INKAN_OK, 15, "MX" },
	{ "TXT", INKAN_OK, 16, "TXT" },
	{ "PTR", INKAN_OK, 12, "PTR" },
	{ "CNAME", INKAN_OK, 5, "CNAME" },
	{ "NS", INKAN_OK, 2, "NS" },
	{ "TLSA", INKAN_OK, 52, "TLSA" },
	{ "SPF", INKAN_OK, 99, "SPF" },
	{ "CAA", INKAN_OK, 257, "CAA" },
	{ "TYPE257", INKAN_OK, 257, "CAA" },
	{ "type65280", INKAN_OK, 65280, NULL },
	{ "TYPE65535", INKAN_OK, 65535, NULL },
	{ "TYPE65536", INKAN_ERR_SYNTAX, 0, NULL },
	{ "TYPE", INKAN_ERR_SYNTAX, 0, NULL },
	{ "TYPE1x", INKAN_ERR_SYNTAX, 0, NULL },
	{ "ANY", INKAN_ERR_INVAL, 0, NULL },
	{ "AXFR", INKAN_ERR_INVAL, 0, NULL },
	{ "TYPE255", INKAN_ERR_INVAL, 0, NULL },
	{ "TYPE0", INKAN_ERR_INVAL, 0, NULL },
	{ "OPT", INKAN_ERR_INVAL, 0, NULL },
	{ "", INKAN_ERR_SYNTAX, 0, NULL },
	{ "BOGUS", INKAN_ERR_SYNTAX, 0, NULL },
	{ "T XT", INKAN_ERR_SYNTAX, 0, NULL },
};

static void
test_types(void **state)
{
	size_t i, failures = 0;

	(void)state;
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		const struct type_case *c = &types[i];
		enum inkan_dns_type t = 0;
		enum inkan_status st = inkan_dns_type_from_name(c->name, &t);
		const char *back;

		if (st != c->want ||
		    (st == INKAN_OK && (unsigned)t != c->type)) {
			print_error("'%s': got %s %u; want %s %u\n", c->name,
			    inkan_strerror(st), (unsigned)t,
			    inkan_strerror(c->want), c->type);
			failures++;
			continue;
		}
		if (st != INKAN_OK)
			continue;
		back = inkan_dns_type_to_name(t);
		if ((back == NULL) != (c->back == NULL) ||
		    (back != NULL && strcmp(back, c->back) != 0)) {
			print_error("to_name(%u): got %s; want %s\n", c->type,
			    back ? back : "NULL", c->back ? c->back : "NULL");
			failures++;
		}
	}
	assert_int_equal(inkan_dns_type_from_name(NULL, NULL), INKAN_ERR_INVAL);
	assert_null(inkan_dns_type_to_name((enum inkan_dns_type)255));
	assert_int_equal(failures, 0);
}

static void
test_rcodes(void **state)
{
	(void)state;
	assert_string_equal(
	    inkan_dns_rcode_to_name(INKAN_DNS_NOERROR), "NOERROR");
	assert_string_equal(
	    inkan_dns_rcode_to_name(INKAN_DNS_NXDOMAIN), "NXDOMAIN");
	assert_string_equal(
	    inkan_dns_rcode_to_name(INKAN_DNS_NODATA), "NODATA");
	assert_string_equal(
	    inkan_dns_rcode_to_name(INKAN_DNS_SERVFAIL), "SERVFAIL");
	assert_string_equal(
	    inkan_dns_rcode_to_name(INKAN_DNS_TIMEOUT), "TIMEOUT");
	assert_string_equal(
	    inkan_dns_rcode_to_name((enum inkan_dns_rcode)99), "UNKNOWN");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_boundaries),
		cmocka_unit_test(test_odd_bytes_roundtrip),
		cmocka_unit_test(test_types),
		cmocka_unit_test(test_rcodes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
