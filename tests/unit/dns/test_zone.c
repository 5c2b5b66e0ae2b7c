/*
 * test_zone.c: the zone backend: lookup semantics, TXT strings, CNAME
 * chains, wildcards, empty non-terminals, injected faults, SECURE, the
 * zone text parser's errors and counting.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dns_test.h"

/* 255 x and 255 y, the longest character-strings. */
#define X16 "xxxxxxxxxxxxxxxx"
#define X255                                                        \
	X16 X16 X16 X16 X16 X16 X16 X16 X16 X16 X16 X16 X16 X16 X16 \
	    "xxxxxxxxxxxxxxx"
#define Y16 "yyyyyyyyyyyyyyyy"
#define Y255                                                        \
	Y16 Y16 Y16 Y16 Y16 Y16 Y16 Y16 Y16 Y16 Y16 Y16 Y16 Y16 Y16 \
	    "yyyyyyyyyyyyyyy"

static const char zone_text[] =
    "; the test zone\n"
    "$ORIGIN example.org.\n"
    "$TTL 300\n"
    "@\t\tIN TXT \"v=spf1 -all\"\n"
    "\t\tIN MX 10 mx\n"
    "mx\t\tIN A 192.0.2.1\n"
    "mx\t600\tIN AAAA 2001:db8::1\n"
    "multi\t\tIN TXT \"a\" \"\" \"b c\"\n"
    "long\t\tIN TXT ( \"" X255 "\"\n"
    "\t\t\t\"" Y255 "\" )\n"
    "nul\t\tIN TXT \"a\\000b\"\n"
    "alias\t\tIN CNAME mx\n"
    "chain1\t\tIN CNAME chain2\n"
    "chain2\t\tIN CNAME chain3\n"
    "chain3\t60\tIN CNAME mx\n"
    "loop1\t\tIN CNAME loop2\n"
    "loop2\t\tIN CNAME loop1\n"
    "self\t\tIN CNAME self\n"
    "dangling\tIN CNAME nowhere\n"
    "c1 CNAME c2\nc2 CNAME c3\nc3 CNAME c4\nc4 CNAME c5\nc5 CNAME c6\n"
    "c6 CNAME c7\nc7 CNAME c8\nc8 CNAME c9\nc9 CNAME mx\n"
    "a.b.ent\t\tIN A 192.0.2.5\n"
    "*.wild\t\tIN TXT \"wild\"\n"
    "sub.wild\tIN A 192.0.2.6\n"
    "*.cwild\t\tIN CNAME mx\n"
    "_25._tcp.mx\tIN TLSA 3 1 1 ABCDEF\n"
    "both\t\tIN TXT \"both\"\n"
    "both\t\tIN CNAME mx\n"
    "dup\t\tIN A 192.0.2.12\n"
    "DUP\t\tIN A 192.0.2.12\n"
    "fault-all\tIN A 192.0.2.7\n"
    ";! SERVFAIL fault-all\n"
    "fault-txt\tIN A 192.0.2.8\n"
    "fault-txt\tIN TXT \"x\"\n"
    "  ;! TIMEOUT fault-txt TXT ; a comment after it\n"
    ";! timeout target-fault.example.org. A\n"
    "chainf\t\tIN CNAME target-fault\n"
    "target-fault\tIN A 192.0.2.9\n"
    ";! TIMEOUT no-records\n"
    "$ORIGIN secure.example.org.\n"
    ";! SECURE @\n"
    "@\t\tIN A 192.0.2.10\n"
    "deep.name\tIN A 192.0.2.11\n"
    "to-insecure\tIN CNAME mx.example.org.\n";

struct lookup_case {
	const char *name;
	enum inkan_dns_type type;
	enum inkan_dns_rcode rcode;
	size_t count;
	const char *first; /* rr_text of the first record, or NULL */
	bool secure;
	size_t chain;
};

static const struct lookup_case lookups[] = {
	{ "example.org", INKAN_DNS_TXT, INKAN_DNS_NOERROR, 1, "v=spf1 -all",
	    false, 0 },
	{ "example.org", INKAN_DNS_MX, INKAN_DNS_NOERROR, 1,
	    "10 mx.example.org", false, 0 },
	{ "EXAMPLE.ORG.", INKAN_DNS_MX, INKAN_DNS_NOERROR, 1,
	    "10 mx.example.org", false, 0 },
	{ "Mx.Example.Org", INKAN_DNS_A, INKAN_DNS_NOERROR, 1, "192.0.2.1",
	    false, 0 },
	{ "mx.example.org", INKAN_DNS_AAAA, INKAN_DNS_NOERROR, 1, "2001:db8::1",
	    false, 0 },
	{ "mx.example.org", INKAN_DNS_TXT, INKAN_DNS_NODATA, 0, NULL, false,
	    0 },
	{ "nothere.example.org", INKAN_DNS_A, INKAN_DNS_NXDOMAIN, 0, NULL,
	    false, 0 },
	{ "example.net", INKAN_DNS_A, INKAN_DNS_NXDOMAIN, 0, NULL, false, 0 },
	{ "org", INKAN_DNS_A, INKAN_DNS_NODATA, 0, NULL, false, 0 },
	{ ".", INKAN_DNS_NS, INKAN_DNS_NODATA, 0, NULL, false, 0 },
	{ "multi.example.org", INKAN_DNS_TXT, INKAN_DNS_NOERROR, 1, "a||b c",
	    false, 0 },
	{ "_25._tcp.mx.example.org", INKAN_DNS_TLSA, INKAN_DNS_NOERROR, 1,
	    "3 1 1 ABCDEF", false, 0 },
	/* CNAMEs (RFC 1034 3.6.2). */
	{ "alias.example.org", INKAN_DNS_A, INKAN_DNS_NOERROR, 1, "192.0.2.1",
	    false, 1 },
	{ "alias.example.org", INKAN_DNS_CNAME, INKAN_DNS_NOERROR, 1,
	    "mx.example.org", false, 0 },
	{ "alias.example.org", INKAN_DNS_TXT, INKAN_DNS_NODATA, 0, NULL, false,
	    1 },
	{ "chain1.example.org", INKAN_DNS_AAAA, INKAN_DNS_NOERROR, 1,
	    "2001:db8::1", false, 3 },
	{ "loop1.example.org", INKAN_DNS_A, INKAN_DNS_SERVFAIL, 0, NULL, false,
	    0 },
	{ "self.example.org", INKAN_DNS_A, INKAN_DNS_SERVFAIL, 0, NULL, false,
	    0 },
	{ "dangling.example.org", INKAN_DNS_A, INKAN_DNS_NXDOMAIN, 0, NULL,
	    false, 1 },
	{ "c1.example.org", INKAN_DNS_A, INKAN_DNS_SERVFAIL, 0, NULL, false,
	    0 },
	{ "c2.example.org", INKAN_DNS_A, INKAN_DNS_NOERROR, 1, "192.0.2.1",
	    false, 8 },
	/* Records of the type win over a CNAME at the same name. */
	{ "both.example.org", INKAN_DNS_TXT, INKAN_DNS_NOERROR, 1, "both",
	    false, 0 },
	{ "dup.example.org", INKAN_DNS_A, INKAN_DNS_NOERROR, 1, "192.0.2.12",
	    false, 0 },
	/* Empty non-terminals exist. */
	{ "b.ent.example.org", INKAN_DNS_A, INKAN_DNS_NODATA, 0, NULL, false,
	    0 },
	{ "ent.example.org", INKAN_DNS_TXT, INKAN_DNS_NODATA, 0, NULL, false,
	    0 },
	{ "c.b.ent.example.org", INKAN_DNS_A, INKAN_DNS_NXDOMAIN, 0, NULL,
	    false, 0 },
	/* RFC 4592 wildcards and the closest encloser. */
	{ "anything.wild.example.org", INKAN_DNS_TXT, INKAN_DNS_NOERROR, 1,
	    "wild", false, 0 },
	{ "a.b.wild.example.org", INKAN_DNS_TXT, INKAN_DNS_NOERROR, 1, "wild",
	    false, 0 },
	{ "anything.wild.example.org", INKAN_DNS_A, INKAN_DNS_NODATA, 0, NULL,
	    false, 0 },
	{ "sub.wild.example.org", INKAN_DNS_TXT, INKAN_DNS_NODATA, 0, NULL,
	    false, 0 },
	{ "x.sub.wild.example.org", INKAN_DNS_TXT, INKAN_DNS_NXDOMAIN, 0, NULL,
	    false, 0 },
	{ "wild.example.org", INKAN_DNS_TXT, INKAN_DNS_NODATA, 0, NULL, false,
	    0 },
	{ "foo.cwild.example.org", INKAN_DNS_A, INKAN_DNS_NOERROR, 1,
	    "192.0.2.1", false, 1 },
	/* Injected faults: every type, one type, on a chain, no records. */
	{ "fault-all.example.org", INKAN_DNS_A, INKAN_DNS_SERVFAIL, 0, NULL,
	    false, 0 },
	{ "fault-all.example.org", INKAN_DNS_MX, INKAN_DNS_SERVFAIL, 0, NULL,
	    false, 0 },
	{ "fault-txt.example.org", INKAN_DNS_TXT, INKAN_DNS_TIMEOUT, 0, NULL,
	    false, 0 },
	{ "fault-txt.example.org", INKAN_DNS_A, INKAN_DNS_NOERROR, 1,
	    "192.0.2.8", false, 0 },
	{ "chainf.example.org", INKAN_DNS_A, INKAN_DNS_TIMEOUT, 0, NULL, false,
	    0 },
	{ "chainf.example.org", INKAN_DNS_CNAME, INKAN_DNS_NOERROR, 1,
	    "target-fault.example.org", false, 0 },
	{ "no-records.example.org", INKAN_DNS_A, INKAN_DNS_TIMEOUT, 0, NULL,
	    false, 0 },
	/* SECURE marks a name and everything below it. */
	{ "secure.example.org", INKAN_DNS_A, INKAN_DNS_NOERROR, 1, "192.0.2.10",
	    true, 0 },
	{ "deep.name.secure.example.org", INKAN_DNS_A, INKAN_DNS_NOERROR, 1,
	    "192.0.2.11", true, 0 },
	{ "nothere.secure.example.org", INKAN_DNS_A, INKAN_DNS_NXDOMAIN, 0,
	    NULL, true, 0 },
	{ "to-insecure.secure.example.org", INKAN_DNS_A, INKAN_DNS_NOERROR, 1,
	    "192.0.2.1", false, 1 },
};

static struct inkan_resolver *
zone_new(const char *text)
{
	struct inkan_resolver *r = NULL;
	struct inkan_zone_error err;
	enum inkan_status st;

	assert_int_equal(inkan_resolver_new_zone(NULL, &r), INKAN_OK);
	st = inkan_resolver_zone_load_string(r, text, strlen(text), &err);
	if (st != INKAN_OK)
		fail_msg("load: %s at line %zu: %s", inkan_strerror(st),
		    err.line, err.message);
	return r;
}

static void
test_lookups(void **state)
{
	struct inkan_resolver *r = zone_new(zone_text);
	size_t i, failures = 0;
	char buf[600];

	(void)state;
	for (i = 0; i < sizeof(lookups) / sizeof(lookups[0]); i++) {
		const struct lookup_case *c = &lookups[i];
		struct inkan_dns_answer *a = NULL;
		const char *first = NULL;

		assert_int_equal(
		    inkan_resolver_lookup(r, c->name, c->type, &a), INKAN_OK);
		if (a->count > 0)
			first = rr_text(&a->records[0], buf, sizeof(buf));
		if (a->rcode != c->rcode || a->count != c->count ||
		    a->secure != c->secure || a->chain_count != c->chain ||
		    (c->first != NULL &&
			(first == NULL || strcmp(first, c->first) != 0))) {
			print_error("%s %s: got %s count=%zu secure=%d "
				    "chain=%zu first=%s why=%s; want %s "
				    "count=%zu secure=%d chain=%zu first=%s\n",
			    c->name, inkan_dns_type_to_name(c->type),
			    inkan_dns_rcode_to_name(a->rcode), a->count,
			    a->secure, a->chain_count, first ? first : "(none)",
			    a->why ? a->why : "-",
			    inkan_dns_rcode_to_name(c->rcode), c->count,
			    c->secure, c->chain,
			    c->first ? c->first : "(none)");
			failures++;
		}
		inkan_dns_answer_free(&a);
		assert_null(a);
	}
	inkan_resolver_free(&r);
	assert_null(r);
	assert_int_equal(failures, 0);
}

static struct inkan_dns_answer *
lookup(struct inkan_resolver *r, const char *name, enum inkan_dns_type t)
{
	struct inkan_dns_answer *a = NULL;

	assert_int_equal(inkan_resolver_lookup(r, name, t, &a), INKAN_OK);
	assert_non_null(a);
	return a;
}

static void
test_txt_strings(void **state)
{
	struct inkan_resolver *r = zone_new(zone_text);
	struct inkan_dns_answer *a;
	struct inkan_buf b;

	(void)state;
	a = lookup(r, "long.example.org", INKAN_DNS_TXT);
	assert_int_equal(a->count, 1);
	assert_int_equal(a->records[0].u.txt.count, 2);
	assert_int_equal(a->records[0].u.txt.strings[0].len, 255);
	assert_memory_equal(a->records[0].u.txt.strings[0].data, X255, 255);
	assert_memory_equal(a->records[0].u.txt.strings[1].data, Y255, 255);
	inkan_buf_init(&b, 1024);
	assert_int_equal(inkan_dns_txt_join(&a->records[0], &b), INKAN_OK);
	assert_int_equal(b.len, 510);
	assert_memory_equal(b.data, X255 Y255, 510);
	inkan_dns_answer_free(&a);

	/* Empty strings stay, and join to nothing. */
	a = lookup(r, "multi.example.org", INKAN_DNS_TXT);
	assert_int_equal(a->records[0].u.txt.count, 3);
	assert_int_equal(a->records[0].u.txt.strings[1].len, 0);
	assert_string_equal((char *)a->records[0].u.txt.strings[1].data, "");
	inkan_buf_reset(&b);
	assert_int_equal(inkan_dns_txt_join(&a->records[0], &b), INKAN_OK);
	assert_string_equal(inkan_buf_cstr(&b), "ab c");
	/* Joining needs a TXT record. */
	inkan_dns_answer_free(&a);
	a = lookup(r, "mx.example.org", INKAN_DNS_A);
	assert_int_equal(
	    inkan_dns_txt_join(&a->records[0], &b), INKAN_ERR_INVAL);
	inkan_dns_answer_free(&a);

	/* A NUL byte inside a string is kept. */
	a = lookup(r, "nul.example.org", INKAN_DNS_TXT);
	assert_int_equal(a->records[0].u.txt.strings[0].len, 3);
	assert_memory_equal(a->records[0].u.txt.strings[0].data, "a\0b", 3);
	inkan_dns_answer_free(&a);

	/* Past the buffer's maximum: an error, never a truncation. */
	a = lookup(r, "long.example.org", INKAN_DNS_TXT);
	inkan_buf_clear(&b);
	inkan_buf_init(&b, 300);
	assert_int_equal(
	    inkan_dns_txt_join(&a->records[0], &b), INKAN_ERR_LIMIT);
	inkan_buf_clear(&b);
	inkan_dns_answer_free(&a);
	inkan_resolver_free(&r);
}

static void
test_answer_fields(void **state)
{
	struct inkan_resolver *r = zone_new(zone_text);
	struct inkan_dns_answer *a;

	(void)state;
	a = lookup(r, "Chain1.Example.Org.", INKAN_DNS_A);
	assert_string_equal(a->name, "chain1.example.org");
	assert_int_equal(a->type, INKAN_DNS_A);
	assert_string_equal(a->canonical_name, "mx.example.org");
	assert_int_equal(a->chain_count, 3);
	assert_string_equal(a->chain[0].owner, "chain1.example.org");
	assert_string_equal(a->chain[0].u.target, "chain2.example.org");
	assert_string_equal(a->chain[2].owner, "chain3.example.org");
	assert_string_equal(a->records[0].owner, "mx.example.org");
	/* The smallest TTL on the way: chain3's 60. */
	assert_int_equal(a->ttl, 60);
	assert_null(a->why);
	inkan_dns_answer_free(&a);

	a = lookup(r, "mx.example.org", INKAN_DNS_AAAA);
	assert_int_equal(a->ttl, 600);
	assert_int_equal(a->records[0].ttl, 600);
	inkan_dns_answer_free(&a);

	/* Synthesised from a wildcard: owned by the queried name. */
	a = lookup(r, "q.wild.example.org", INKAN_DNS_TXT);
	assert_string_equal(a->records[0].owner, "q.wild.example.org");
	inkan_dns_answer_free(&a);

	a = lookup(r, "loop1.example.org", INKAN_DNS_A);
	assert_non_null(a->why);
	assert_non_null(strstr(a->why, "loop"));
	inkan_dns_answer_free(&a);

	a = lookup(r, "fault-txt.example.org", INKAN_DNS_TXT);
	assert_string_equal(
	    a->why, "injected TIMEOUT for fault-txt.example.org TXT");
	inkan_dns_answer_free(&a);

	inkan_dns_answer_free(&a); /* NULL is fine */
	inkan_dns_answer_free(NULL);
	inkan_resolver_free(&r);
	inkan_resolver_free(&r);
	inkan_resolver_free(NULL);
}

static void
test_inject_api(void **state)
{
	struct inkan_resolver *r = zone_new(zone_text);
	struct inkan_dns_answer *a;

	(void)state;
	assert_int_equal(inkan_resolver_zone_inject(r, "mx.example.org",
			     INKAN_DNS_A, INKAN_DNS_TIMEOUT),
	    INKAN_OK);
	a = lookup(r, "mx.example.org", INKAN_DNS_A);
	assert_int_equal(a->rcode, INKAN_DNS_TIMEOUT);
	inkan_dns_answer_free(&a);
	a = lookup(r, "mx.example.org", INKAN_DNS_AAAA);
	assert_int_equal(a->rcode, INKAN_DNS_NOERROR);
	inkan_dns_answer_free(&a);
	/* A chain through the faulty name fails too. */
	a = lookup(r, "alias.example.org", INKAN_DNS_A);
	assert_int_equal(a->rcode, INKAN_DNS_TIMEOUT);
	inkan_dns_answer_free(&a);

	/* Every type; the per-type fault takes precedence. */
	assert_int_equal(inkan_resolver_zone_inject(
			     r, "MX.example.org.", 0, INKAN_DNS_SERVFAIL),
	    INKAN_OK);
	a = lookup(r, "mx.example.org", INKAN_DNS_AAAA);
	assert_int_equal(a->rcode, INKAN_DNS_SERVFAIL);
	inkan_dns_answer_free(&a);
	a = lookup(r, "mx.example.org", INKAN_DNS_A);
	assert_int_equal(a->rcode, INKAN_DNS_TIMEOUT);
	inkan_dns_answer_free(&a);

	/* NOERROR removes a fault again. */
	assert_int_equal(inkan_resolver_zone_inject(r, "mx.example.org",
			     INKAN_DNS_A, INKAN_DNS_NOERROR),
	    INKAN_OK);
	assert_int_equal(inkan_resolver_zone_inject(
			     r, "mx.example.org", 0, INKAN_DNS_NOERROR),
	    INKAN_OK);
	a = lookup(r, "mx.example.org", INKAN_DNS_A);
	assert_int_equal(a->rcode, INKAN_DNS_NOERROR);
	inkan_dns_answer_free(&a);

	/* Faults for names without records. */
	assert_int_equal(inkan_resolver_zone_inject(r, "ghost.example.org",
			     INKAN_DNS_TXT, INKAN_DNS_SERVFAIL),
	    INKAN_OK);
	a = lookup(r, "ghost.example.org", INKAN_DNS_TXT);
	assert_int_equal(a->rcode, INKAN_DNS_SERVFAIL);
	inkan_dns_answer_free(&a);
	a = lookup(r, "ghost.example.org", INKAN_DNS_A);
	assert_int_equal(a->rcode, INKAN_DNS_NXDOMAIN);
	inkan_dns_answer_free(&a);

	/* Bad arguments. */
	assert_int_equal(inkan_resolver_zone_inject(r, "x.example.org",
			     INKAN_DNS_A, INKAN_DNS_NXDOMAIN),
	    INKAN_ERR_INVAL);
	assert_int_equal(inkan_resolver_zone_inject(
			     r, "a..b", INKAN_DNS_A, INKAN_DNS_TIMEOUT),
	    INKAN_ERR_INVAL);
	assert_int_equal(inkan_resolver_zone_inject(r, "x.example.org",
			     (enum inkan_dns_type)255, INKAN_DNS_TIMEOUT),
	    INKAN_ERR_INVAL);
	assert_int_equal(inkan_resolver_zone_inject(
			     NULL, "x", INKAN_DNS_A, INKAN_DNS_TIMEOUT),
	    INKAN_ERR_INVAL);

	/* SECURE through the API. */
	a = lookup(r, "mx.example.org", INKAN_DNS_A);
	assert_false(a->secure);
	inkan_dns_answer_free(&a);
	assert_int_equal(
	    inkan_resolver_zone_set_secure(r, "example.org"), INKAN_OK);
	a = lookup(r, "mx.example.org", INKAN_DNS_A);
	assert_true(a->secure);
	inkan_dns_answer_free(&a);
	inkan_resolver_free(&r);
}

static void
test_add_api(void **state)
{
	struct inkan_resolver *r = NULL;
	struct inkan_dns_answer *a;
	struct inkan_zone_error err;
	struct inkan_limits lim;
	const struct inkan_view strs[] = { INKAN_VIEW_LIT("v=spf1 "),
		INKAN_VIEW_LIT(""), { (const uint8_t *)"a\0\"\\", 4 } };
	uint8_t big[256];
	struct inkan_view too_long = { big, sizeof(big) };

	(void)state;
	memset(big, 'z', sizeof(big));
	inkan_limits_default(&lim);
	lim.dns_rr_max = 2;
	assert_int_equal(inkan_resolver_new_zone(&lim, &r), INKAN_OK);
	assert_int_equal(inkan_resolver_zone_add_rr(
			     r, "mx.example.com. 300 IN A 192.0.2.25", &err),
	    INKAN_OK);
	assert_int_equal(
	    inkan_resolver_zone_add_rr(r, "mx.example.com. A 192.0.2.26", &err),
	    INKAN_OK);
	/* A duplicate is kept once, so it does not count. */
	assert_int_equal(
	    inkan_resolver_zone_add_rr(r, "mx.example.com. A 192.0.2.26", &err),
	    INKAN_OK);
	/* A third record passes dns_rr_max. */
	assert_int_equal(
	    inkan_resolver_zone_add_rr(r, "mx.example.com. A 192.0.2.27", &err),
	    INKAN_ERR_LIMIT);
	a = lookup(r, "mx.example.com", INKAN_DNS_A);
	assert_int_equal(a->count, 2);
	inkan_dns_answer_free(&a);

	assert_int_equal(inkan_resolver_zone_add_rr(r,
			     "a.example.com. A 192.0.2.1\n"
			     "b.example.com. A 192.0.2.2",
			     &err),
	    INKAN_ERR_SYNTAX);
	assert_int_equal(
	    inkan_resolver_zone_add_rr(r, "", &err), INKAN_ERR_SYNTAX);
	assert_int_equal(inkan_resolver_zone_add_rr(r, "rel A 192.0.2.1", &err),
	    INKAN_ERR_SYNTAX);
	assert_int_equal(
	    inkan_resolver_zone_add_rr(r, "$ORIGIN example.com.", &err),
	    INKAN_ERR_SYNTAX);

	/* add_txt takes bytes as they are, the name without escapes. */
	assert_int_equal(
	    inkan_resolver_zone_add_txt(r, "T\\x.example.com", 120, strs, 3),
	    INKAN_OK);
	a = lookup(r, "t\\X.example.com.", INKAN_DNS_TXT);
	assert_int_equal(a->rcode, INKAN_DNS_NOERROR);
	assert_string_equal(a->name, "t\\\\x.example.com");
	assert_int_equal(a->records[0].ttl, 120);
	assert_int_equal(a->records[0].u.txt.count, 3);
	assert_int_equal(a->records[0].u.txt.strings[2].len, 4);
	assert_memory_equal(a->records[0].u.txt.strings[2].data, "a\0\"\\", 4);
	inkan_dns_answer_free(&a);
	assert_int_equal(
	    inkan_resolver_zone_add_txt(r, "x.example.com", 1, strs, 0),
	    INKAN_ERR_INVAL);
	assert_int_equal(
	    inkan_resolver_zone_add_txt(r, "x.example.com", 1, &too_long, 1),
	    INKAN_ERR_INVAL);
	assert_int_equal(
	    inkan_resolver_zone_add_txt(r, "x..example.com", 1, strs, 1),
	    INKAN_ERR_INVAL);
	inkan_resolver_free(&r);
}

struct error_case {
	const char *name;
	const char *text;
	enum inkan_status want;
	size_t line;
	const char *message; /* a substring of the message */
};

static const struct error_case errors[] = {
	{ "include", "$ORIGIN example.com.\n\n$INCLUDE /etc/passwd\n",
	    INKAN_ERR_SYNTAX, 3, "$INCLUDE" },
	{ "generate", "$GENERATE 1-10 x$ A 192.0.2.$\n", INKAN_ERR_SYNTAX, 1,
	    "$GENERATE" },
	{ "bad rdata", "a.example.com. A 192.0.2.1\n\nb.example.com. A 1.2.3\n",
	    INKAN_ERR_SYNTAX, 3, "b.example.com." },
	{ "relative owner", "a A 192.0.2.1\n", INKAN_ERR_SYNTAX, 1,
	    "relative" },
	{ "relative target", "a.example.com. CNAME b\n", INKAN_ERR_SYNTAX, 1,
	    "relative" },
	{ "at without origin", "@ A 192.0.2.1\n", INKAN_ERR_SYNTAX, 1,
	    "relative" },
	{ "no owner yet", "  A 192.0.2.1\n", INKAN_ERR_SYNTAX, 1, "owner" },
	{ "class CH", "a.example.com. CH TXT \"x\"\n", INKAN_ERR_SYNTAX, 1,
	    "class IN" },
	{ "meta type", "a.example.com. IN TYPE255 \\# 0\n", INKAN_ERR_SYNTAX, 1,
	    "data type" },
	{ "unclosed paren", "a.example.com. TXT ( \"a\"\n\"b\"\n",
	    INKAN_ERR_SYNTAX, 1, "never closed" },
	{ "stray paren", "a.example.com. TXT \"a\" )\n", INKAN_ERR_SYNTAX, 1,
	    "')'" },
	{ "nested paren", "a.example.com. TXT ( ( \"a\" ) )\n",
	    INKAN_ERR_SYNTAX, 1, "nested" },
	{ "unclosed quote", "\na.example.com. TXT \"abc\n", INKAN_ERR_SYNTAX, 2,
	    "quoted" },
	{ "nul byte", "a.example.com. TXT \"a\"\n\nb\0", INKAN_ERR_SYNTAX, 3,
	    "NUL" },
	{ "bad ttl", "$TTL forever\n", INKAN_ERR_SYNTAX, 1, "$TTL" },
	{ "unknown control", "$FOO bar\n", INKAN_ERR_SYNTAX, 1, "$FOO" },
	{ "unknown directive", "\n\n;! TIMEUOT a.example.com.\n",
	    INKAN_ERR_SYNTAX, 3, "TIMEUOT" },
	{ "directive without name", ";! SERVFAIL\n", INKAN_ERR_SYNTAX, 1,
	    "usage" },
	{ "directive bad type", ";! SERVFAIL a.example.com. BOGUS\n",
	    INKAN_ERR_SYNTAX, 1, "BOGUS" },
	{ "directive relative", ";! TIMEOUT a\n", INKAN_ERR_SYNTAX, 1,
	    "$ORIGIN" },
	{ "secure with type", ";! SECURE a.example.com. A\n", INKAN_ERR_SYNTAX,
	    1, "SECURE" },
	{ "too many records",
	    "x.example.com. A 192.0.2.1\n"
	    "x.example.com. A 192.0.2.2\n"
	    "x.example.com. A 192.0.2.3\n",
	    INKAN_ERR_LIMIT, 3, "dns_rr_max" },
};

static void
test_errors(void **state)
{
	struct inkan_limits lim;
	size_t i, failures = 0;

	(void)state;
	inkan_limits_default(&lim);
	lim.dns_rr_max = 2;
	for (i = 0; i < sizeof(errors) / sizeof(errors[0]); i++) {
		const struct error_case *c = &errors[i];
		struct inkan_resolver *r = NULL;
		struct inkan_dns_answer *a = NULL;
		struct inkan_zone_error err;
		enum inkan_status st;
		/* The NUL case has a byte after its NUL. */
		size_t len = strlen(c->text) + (strstr(c->name, "nul") ? 2 : 0);

		assert_int_equal(inkan_resolver_new_zone(&lim, &r), INKAN_OK);
		st = inkan_resolver_zone_load_string(r, c->text, len, &err);
		if (st != c->want || err.line != c->line ||
		    strstr(err.message, c->message) == NULL) {
			print_error("%s: got %s line %zu '%s'; want %s line "
				    "%zu '...%s...'\n",
			    c->name, inkan_strerror(st), err.line, err.message,
			    inkan_strerror(c->want), c->line, c->message);
			failures++;
		}
		/* All or nothing: the good lines before were not added. */
		assert_int_equal(
		    inkan_resolver_lookup(r, "a.example.com", INKAN_DNS_A, &a),
		    INKAN_OK);
		if (a->rcode != INKAN_DNS_NXDOMAIN) {
			print_error(
			    "%s: records added despite the error\n", c->name);
			failures++;
		}
		inkan_dns_answer_free(&a);
		inkan_resolver_free(&r);
	}
	assert_int_equal(failures, 0);
}

static void
test_syntax(void **state)
{
	struct inkan_resolver *r = zone_new(
	    "$TTL 1h\r\n"
	    "$ORIGIN example.com.\r\n"
	    "a IN A 192.0.2.1 ; CRLF lines\r\n"
	    "b ( IN\n"
	    "    TXT \"semi;colon\" \"paren(\" ; comment with \"quote\n"
	    "  \"esc\\\"aped\\\\\" )\n"
	    "$ORIGIN sub\n"
	    "c IN A 192.0.2.3\n"
	    "@ IN TXT \"at sub\"\n"
	    "\tIN MX 5 a.example.com.\n"
	    "d\\.e IN A 192.0.2.4\n");
	struct inkan_dns_answer *a;
	char buf[600];

	(void)state;
	a = lookup(r, "a.example.com", INKAN_DNS_A);
	assert_int_equal(a->rcode, INKAN_DNS_NOERROR);
	assert_int_equal(a->ttl, 3600);
	inkan_dns_answer_free(&a);
	a = lookup(r, "b.example.com", INKAN_DNS_TXT);
	assert_int_equal(a->rcode, INKAN_DNS_NOERROR);
	assert_string_equal(rr_text(&a->records[0], buf, sizeof(buf)),
	    "semi;colon|paren(|esc\"aped\\");
	inkan_dns_answer_free(&a);
	a = lookup(r, "c.sub.example.com", INKAN_DNS_A);
	assert_int_equal(a->rcode, INKAN_DNS_NOERROR);
	inkan_dns_answer_free(&a);
	a = lookup(r, "sub.example.com", INKAN_DNS_MX);
	assert_int_equal(a->rcode, INKAN_DNS_NOERROR);
	inkan_dns_answer_free(&a);
	/* An escaped dot is inside the label; lookups cannot spell it. */
	a = lookup(r, "e.sub.example.com", INKAN_DNS_A);
	assert_int_equal(a->rcode, INKAN_DNS_NXDOMAIN);
	inkan_dns_answer_free(&a);
	inkan_resolver_free(&r);
}

static void
test_files(void **state)
{
	struct inkan_resolver *r = NULL;
	struct inkan_zone_error err;
	struct inkan_dns_answer *a;

	(void)state;
	assert_int_equal(inkan_resolver_new_zone(NULL, &r), INKAN_OK);
	assert_int_equal(
	    inkan_resolver_zone_load_file(r, "examples/no-such.zone", &err),
	    INKAN_ERR_NOTFOUND);
	assert_int_equal(
	    inkan_resolver_zone_load_file(r, "examples", &err), INKAN_ERR_IO);
	assert_int_equal(
	    inkan_resolver_zone_load_file(r, "examples/demo.zone", &err),
	    INKAN_OK);
	a = lookup(r, "example.com", INKAN_DNS_TXT);
	assert_int_equal(a->rcode, INKAN_DNS_NOERROR);
	assert_string_equal((char *)a->records[0].u.txt.strings[0].data,
	    "v=spf1 include:_spf.example.net -all");
	inkan_dns_answer_free(&a);
	a = lookup(r, "timeout.example.com", INKAN_DNS_TXT);
	assert_int_equal(a->rcode, INKAN_DNS_TIMEOUT);
	inkan_dns_answer_free(&a);
	a = lookup(r, "broken.example.com", INKAN_DNS_A);
	assert_int_equal(a->rcode, INKAN_DNS_SERVFAIL);
	inkan_dns_answer_free(&a);
	inkan_resolver_free(&r);
}

static void
test_counting(void **state)
{
	struct inkan_resolver *r = zone_new(zone_text);
	struct inkan_resolver_stats st;
	struct inkan_dns_answer *a = NULL;

	(void)state;
	assert_int_equal(inkan_resolver_queries(r), 0);
	inkan_dns_answer_free(
	    (a = lookup(r, "example.org", INKAN_DNS_TXT), &a));
	inkan_dns_answer_free(
	    (a = lookup(r, "none.example.org", INKAN_DNS_TXT), &a));
	inkan_dns_answer_free(
	    (a = lookup(r, "mx.example.org", INKAN_DNS_TXT), &a));
	inkan_dns_answer_free(
	    (a = lookup(r, "fault-txt.example.org", INKAN_DNS_TXT), &a));
	inkan_dns_answer_free(
	    (a = lookup(r, "fault-all.example.org", INKAN_DNS_TXT), &a));
	/* Refused calls do not count. */
	assert_int_equal(
	    inkan_resolver_lookup(r, "", INKAN_DNS_A, &a), INKAN_ERR_INVAL);
	assert_null(a);
	assert_int_equal(inkan_resolver_queries(r), 5);
	inkan_resolver_stats(r, &st);
	assert_int_equal(st.queries, 5);
	assert_int_equal(st.noerror, 1);
	assert_int_equal(st.nxdomain, 1);
	assert_int_equal(st.nodata, 1);
	assert_int_equal(st.timeout, 1);
	assert_int_equal(st.servfail, 1);
	inkan_resolver_free(&r);
	assert_int_equal(inkan_resolver_queries(NULL), 0);
}

struct reader {
	struct inkan_resolver *r;
	size_t bad;
};

static void *
read_loop(void *arg)
{
	struct reader *rd = arg;
	size_t i;

	for (i = 0; i < 2000; i++) {
		struct inkan_dns_answer *a = NULL;

		if (inkan_resolver_lookup(rd->r, "chain1.example.org",
			INKAN_DNS_A, &a) != INKAN_OK ||
		    (a->rcode != INKAN_DNS_NOERROR &&
			a->rcode != INKAN_DNS_TIMEOUT))
			rd->bad++;
		inkan_dns_answer_free(&a);
	}
	return NULL;
}

/* Lookups in several threads while faults come and go. */
static void
test_threads(void **state)
{
	struct inkan_resolver *r = zone_new(zone_text);
	struct reader rd[3];
	pthread_t t[3];
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++) {
		rd[i].r = r;
		rd[i].bad = 0;
		assert_int_equal(
		    pthread_create(&t[i], NULL, read_loop, &rd[i]), 0);
	}
	for (i = 0; i < 500; i++)
		assert_int_equal(
		    inkan_resolver_zone_inject(r, "mx.example.org", INKAN_DNS_A,
			i % 2 ? INKAN_DNS_TIMEOUT : INKAN_DNS_NOERROR),
		    INKAN_OK);
	for (i = 0; i < 3; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(rd[i].bad, 0);
	}
	assert_int_equal(inkan_resolver_queries(r), 3 * 2000);
	inkan_resolver_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lookups),
		cmocka_unit_test(test_txt_strings),
		cmocka_unit_test(test_answer_fields),
		cmocka_unit_test(test_inject_api),
		cmocka_unit_test(test_add_api),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_syntax),
		cmocka_unit_test(test_files),
		cmocka_unit_test(test_counting),
		cmocka_unit_test(test_threads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
