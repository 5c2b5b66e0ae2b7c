/*
 * test_parse.c: the ARC header field parsers (lib/arc/parse.c): ARC-Seal
 * and ARC-Message-Signature tag-lists (RFC 8617 4.1.2, 4.1.3), the
 * ARC-Authentication-Results prefix (4.1.1), the instance tag (4.2.1) and
 * the RFC 8601 authserv-id reader.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "arc/arc_impl.h"

#define NCASES(a) (sizeof(a) / sizeof((a)[0]))

#define B64 "dGVzdA=="
/* Ten comment openings and closings. */
#define P10 "(((((((((("
#define Q10 "))))))))))"

struct sig_case {
	const char *name;
	enum arc_kind kind;
	const char *value; /* after the colon */
	unsigned want_instance;
	/* NULL: usable; else a word the reason must contain. */
	const char *want_why;
};

static const struct sig_case sig_cases[] = {
	{ "AS", ARC_AS,
	    " i=1; a=rsa-sha256; cv=none; d=example.org; s=sel; t=1; b=" B64, 1,
	    NULL },
	{ "AS, i= last and folded", ARC_AS,
	    " a=rsa-sha256;\r\n b=" B64 "; cv=pass; d=example.org;\r\n\ts=sel; "
	    "i=50",
	    50, NULL },
	{ "AS ed25519", ARC_AS,
	    " i=2; a=ed25519-sha256; cv=pass; d=a.b; s=s; b=" B64, 2, NULL },
	{ "AS unknown tag ignored", ARC_AS,
	    " i=1; a=rsa-sha256; cv=none; d=a.b; s=s; x=y; b=" B64, 1, NULL },
	{ "AS trailing ;", ARC_AS,
	    " i=1; a=rsa-sha256; cv=none; d=a.b; s=s; b=" B64 ";", 1, NULL },
	{ "AS with h= (RFC 8617 4.1.3)", ARC_AS,
	    " i=1; a=rsa-sha256; cv=none; d=a.b; s=s; h=from; b=" B64, 1,
	    "h=" },
	{ "AS without cv=", ARC_AS, " i=1; a=rsa-sha256; d=a.b; s=s; b=" B64, 1,
	    "cv=" },
	{ "AS cv=Pass: values are case-sensitive", ARC_AS,
	    " i=2; a=rsa-sha256; cv=Pass; d=a.b; s=s; b=" B64, 2, "cv=" },
	{ "AS cv=invalid", ARC_AS,
	    " i=1; a=rsa-sha256; cv=maybe; d=a.b; s=s; b=" B64, 1, "cv=" },
	{ "AS a=RSA-SHA256", ARC_AS,
	    " i=1; a=RSA-SHA256; cv=none; d=a.b; s=s; b=" B64, 1, "a=" },
	{ "AS without a=", ARC_AS, " i=1; cv=none; d=a.b; s=s; b=" B64, 1,
	    "a=" },
	{ "AS without b=", ARC_AS, " i=1; a=rsa-sha256; cv=none; d=a.b; s=s", 1,
	    "b=" },
	{ "AS empty b=", ARC_AS,
	    " i=1; a=rsa-sha256; cv=none; d=a.b; s=s; b=", 1, "b=" },
	{ "AS b= not base64", ARC_AS,
	    " i=1; a=rsa-sha256; cv=none; d=a.b; s=s; b=!!!!", 1, "b=" },
	{ "AS d= not a domain", ARC_AS,
	    " i=1; a=rsa-sha256; cv=none; d=a..b; s=s; b=" B64, 1, "d=" },
	{ "AS s= with a slash", ARC_AS,
	    " i=1; a=rsa-sha256; cv=none; d=a.b; s=a/b; b=" B64, 1, "s=" },
	{ "AS t= not a number", ARC_AS,
	    " i=1; a=rsa-sha256; cv=none; d=a.b; s=s; t=1 2; b=" B64, 1, "t=" },
	{ "AS empty tag-spec", ARC_AS,
	    " i=1; a=rsa-sha256;; cv=none; d=a.b; s=s; b=" B64, 1, ";;" },
	{ "AS duplicate tag", ARC_AS,
	    " i=1; a=rsa-sha256; a=rsa-sha256; cv=none; d=a.b; s=s; b=" B64, 0,
	    "twice" },
	{ "AS no i=", ARC_AS, " a=rsa-sha256; cv=none; d=a.b; s=s; b=" B64, 0,
	    "i=" },
	{ "AS i=0", ARC_AS, " i=0; a=rsa-sha256; cv=none; d=a.b; s=s; b=" B64,
	    0, "i=" },
	{ "AS i=01 (1*2DIGIT)", ARC_AS,
	    " i=01; a=rsa-sha256; cv=none; d=a.b; s=s; b=" B64, 1, NULL },
	{ "AS i=51 (RFC 8617 4.2.1)", ARC_AS,
	    " i=51; a=rsa-sha256; cv=pass; d=a.b; s=s; b=" B64, 0, "limit" },
	{ "AS i=100", ARC_AS,
	    " i=100; a=rsa-sha256; cv=pass; d=a.b; s=s; b=" B64, 0, "limit" },
	{ "AS i=-1", ARC_AS, " i=-1; a=rsa-sha256; cv=pass; d=a.b; s=s; b=" B64,
	    0, "i=" },
	{ "AS I=1: names are case-sensitive", ARC_AS,
	    " I=1; a=rsa-sha256; cv=none; d=a.b; s=s; b=" B64, 0, "i=" },
	{ "AMS", ARC_AMS,
	    " i=1; a=rsa-sha256; c=relaxed/simple; d=a.b; s=s; h=from:to; "
	    "bh=" B64 "; b=" B64,
	    1, NULL },
	{ "AMS without c= (simple/simple)", ARC_AMS,
	    " i=1; a=rsa-sha256; d=a.b; s=s; h=from; bh=" B64 "; b=" B64, 1,
	    NULL },
	{ "AMS h= empty (the suite's ams_fields_h_empty)", ARC_AMS,
	    " i=1; a=rsa-sha256; d=a.b; s=s; h=; bh=" B64 "; b=" B64, 1, NULL },
	{ "AMS h= may sign the AAR and an AMS", ARC_AMS,
	    " i=2; a=rsa-sha256; d=a.b; s=s; "
	    "h=from:arc-authentication-results:arc-message-signature; bh=" B64
	    "; b=" B64,
	    2, NULL },
	{ "AMS h= signs ARC-Seal (RFC 8617 4.1.2)", ARC_AMS,
	    " i=2; a=rsa-sha256; d=a.b; s=s; h=from:ARC-Seal; bh=" B64
	    "; b=" B64,
	    2, "ARC-Seal" },
	{ "AMS without h=", ARC_AMS,
	    " i=1; a=rsa-sha256; d=a.b; s=s; bh=" B64 "; b=" B64, 1, "h=" },
	{ "AMS without bh=", ARC_AMS,
	    " i=1; a=rsa-sha256; d=a.b; s=s; h=from; b=" B64, 1, "bh=" },
	{ "AMS c= unknown", ARC_AMS,
	    " i=1; a=rsa-sha256; c=loose; d=a.b; s=s; h=from; bh=" B64
	    "; b=" B64,
	    1, "c=" },
	{ "AMS c= empty", ARC_AMS,
	    " i=1; a=rsa-sha256; c=; d=a.b; s=s; h=from; bh=" B64 "; b=" B64, 1,
	    "c=" },
	{ "AMS l= not a number", ARC_AMS,
	    " i=1; a=rsa-sha256; l=x; d=a.b; s=s; h=from; bh=" B64 "; b=" B64,
	    1, "l=" },
	{ "AMS q= unknown", ARC_AMS,
	    " i=1; a=rsa-sha256; q=http; d=a.b; s=s; h=from; bh=" B64
	    "; b=" B64,
	    1, "q=" },
	{ "AMS v= ignored (RFC 8617 4.1.2)", ARC_AMS,
	    " v=7; i=1; a=rsa-sha256; d=a.b; s=s; h=from; bh=" B64 "; b=" B64,
	    1, NULL },
	{ "AMS rsa-sha1 parses (the key check refuses it)", ARC_AMS,
	    " i=1; a=rsa-sha1; d=a.b; s=s; h=from; bh=" B64 "; b=" B64, 1,
	    NULL },
	{ "AMS bare CR in the value", ARC_AMS,
	    " i=1; a=rsa-sha256;\r d=a.b; s=s; h=from; bh=" B64 "; b=" B64, 0,
	    "line break" },
};

static void
test_sigs(void **state)
{
	struct inkan_arena a;
	struct inkan_buf raw;
	struct arc_sig s;
	size_t i, nl;

	(void)state;
	inkan_buf_init(&raw, 4096);
	for (i = 0; i < NCASES(sig_cases); i++) {
		const struct sig_case *c = &sig_cases[i];
		const char *name =
		    c->kind == ARC_AS ? "ARC-Seal" : "ARC-Message-Signature";

		nl = strlen(name);
		inkan_buf_reset(&raw);
		inkan_buf_printf(&raw, "%s:%s\r\n", name, c->value);
		inkan_arena_init(&a, 1u << 20);
		assert_int_equal(arc_parse_sig(c->kind, inkan_buf_view(&raw),
				     nl, inkan_limits_defaults(), &a, &s),
		    INKAN_OK);
		if (s.instance != c->want_instance)
			fail_msg("%s: instance: got %u, want %u", c->name,
			    s.instance, c->want_instance);
		if (c->want_why == NULL && s.why != NULL)
			fail_msg("%s: got \"%s\", want usable", c->name, s.why);
		if (c->want_why != NULL &&
		    (s.why == NULL || strstr(s.why, c->want_why) == NULL))
			fail_msg("%s: got %s, want a reason with \"%s\"",
			    c->name, s.why != NULL ? s.why : "usable",
			    c->want_why);
		if (s.why == NULL) {
			/* b= emptied leaves "b=" and what follows. */
			struct inkan_view nob = arc_without_b(
			    &a, inkan_buf_view(&raw), s.b_start, s.b_end);

			assert_non_null(nob.ptr);
			assert_true(s.b_start > nl && s.b_end <= raw.len);
			assert_string_equal(s.b, B64);
			assert_non_null(strstr(s.keyname, "._domainkey."));
		}
		inkan_arena_clear(&a);
	}
	inkan_buf_clear(&raw);
}

/* The parts of a field a verifier reads, exactly. */
static void
test_sig_fields(void **state)
{
	static const char field[] =
	    "ARC-Message-Signature: i=3; a=ed25519-sha256; "
	    "c=relaxed/relaxed; d=Example.ORG; s=Sel1; t=99; l=10;\r\n"
	    " h=from : to; bh=" B64 ";\r\n b=dGVz\r\n dA==\r\n";
	struct inkan_arena a;
	struct arc_sig s;
	struct inkan_view nob;

	(void)state;
	inkan_arena_init(&a, 1u << 20);
	assert_int_equal(
	    arc_parse_sig(ARC_AMS, inkan_view_make(field, sizeof(field) - 1),
		21, inkan_limits_defaults(), &a, &s),
	    INKAN_OK);
	assert_null(s.why);
	assert_int_equal(s.instance, 3);
	assert_int_equal(s.alg, INKAN_DKIM_ED25519_SHA256);
	assert_int_equal(s.hcanon, INKAN_DKIM_RELAXED);
	assert_int_equal(s.bcanon, INKAN_DKIM_RELAXED);
	assert_string_equal(s.domain, "example.org");
	assert_string_equal(s.selector, "Sel1");
	assert_string_equal(s.keyname, "sel1._domainkey.example.org");
	assert_string_equal(s.headers, "from : to");
	assert_string_equal(s.b, B64);
	assert_int_equal(s.timestamp, 99);
	assert_true(s.has_length);
	assert_int_equal(s.length, 10);
	assert_int_equal(s.siglen, 4);
	/* RFC 6376 3.7: b='s value goes, FWS in it included. */
	nob = arc_without_b(
	    &a, inkan_view_make(field, sizeof(field) - 1), s.b_start, s.b_end);
	assert_int_equal(nob.len, sizeof(field) - 1 - (s.b_end - s.b_start));
	assert_memory_equal(nob.ptr + nob.len - 5, " b=\r\n", 5);
	inkan_arena_clear(&a);
}

struct aar_case {
	const char *name;
	const char *value;
	unsigned want_instance;
	const char *want_payload; /* NULL when malformed */
	const char *want_id;
};

static const struct aar_case aar_cases[] = {
	{ "plain", " i=1; lists.example.org; spf=pass", 1,
	    "lists.example.org; spf=pass", "lists.example.org" },
	{ "folded", " i=2;\r\n mx.example; arc=none;\r\n dkim=pass\r\n", 2,
	    "mx.example; arc=none;\r\n dkim=pass", "mx.example" },
	{ "CFWS around the instance", " (c) i (x) = 12 (y) ; a.b; none", 12,
	    "a.b; none", "a.b" },
	{ "nested comment", " ((i=9)) i=3; a.b; none", 3, "a.b; none", "a.b" },
	{ "quoted authserv-id (decoded)", " i=1; \"a b\"; none", 1,
	    "\"a b\"; none", "a b" },
	{ "authres-version", " i=1; mx.example 1; none", 1,
	    "mx.example 1; none", "mx.example" },
	{ "no authserv-id", " i=1; ", 1, "", "" },
	{ "i=50", " i=50; a; none", 50, "a; none", "a" },
	{ "i=51", " i=51; a; none", 0, NULL, NULL },
	{ "i=0", " i=0; a; none", 0, NULL, NULL },
	{ "i= empty", " i=; a; none", 0, NULL, NULL },
	{ "i not first (aar_i_not_prefixed)", " a.b; i=1; none", 0, NULL,
	    NULL },
	{ "no ; after i= (aar_i_no_semi)", " i=1 a.b; none", 0, NULL, NULL },
	{ "I=1: %s\"i\" is case-sensitive", " I=1; a.b; none", 0, NULL, NULL },
	{ "unterminated comment", " (i=1; a", 0, NULL, NULL },
	{ "comments nested past the limit (32)",
	    " " P10 P10 P10 P10 "x" Q10 Q10 Q10 Q10 " i=1; a", 0, NULL, NULL },
	{ "empty", "", 0, NULL, NULL },
};

static void
test_aar(void **state)
{
	struct arc_aar r;
	struct inkan_buf id;
	struct inkan_view rest;
	size_t i;

	(void)state;
	inkan_buf_init(&id, 4096);
	for (i = 0; i < NCASES(aar_cases); i++) {
		const struct aar_case *c = &aar_cases[i];

		arc_parse_aar(
		    inkan_view_cstr(c->value), inkan_limits_defaults(), &r);
		if (r.instance != c->want_instance)
			fail_msg("%s: instance: got %u, want %u", c->name,
			    r.instance, c->want_instance);
		if (c->want_payload == NULL) {
			if (r.why == NULL)
				fail_msg("%s: got well-formed, want a reason",
				    c->name);
			continue;
		}
		if (r.why != NULL)
			fail_msg(
			    "%s: got \"%s\", want well-formed", c->name, r.why);
		if (!inkan_view_eq(r.payload, inkan_view_cstr(c->want_payload)))
			fail_msg("%s: payload: got \"%.*s\", want \"%s\"",
			    c->name, (int)r.payload.len,
			    (const char *)r.payload.ptr, c->want_payload);
		/* The AAR's authserv-id, as the verifier reports it. */
		inkan_buf_reset(&id);
		if (arc_authserv_id(r.payload, &id, &rest) != INKAN_OK)
			inkan_buf_reset(&id);
		if (strcmp(inkan_buf_cstr(&id), c->want_id) != 0)
			fail_msg("%s: authserv-id: got \"%s\", want \"%s\"",
			    c->name, inkan_buf_cstr(&id), c->want_id);
	}
	inkan_buf_clear(&id);
}

struct id_case {
	const char *name;
	const char *value;
	const char *want_id; /* NULL: not an authserv-id */
	const char *want_rest;
};

static const struct id_case id_cases[] = {
	{ "host", " mx.example.org; spf=pass", "mx.example.org", " spf=pass" },
	{ "version", "mx.example.org 1 ; none", "mx.example.org", " none" },
	{ "comment", " (ours) mx.example.org (v) ;dkim=fail", "mx.example.org",
	    "dkim=fail" },
	/* RFC 8601 2.2: authserv-id = value (RFC 2045 5.1: token /
	   quoted-string); the quotes are not part of the value. */
	{ "quoted", "\"x\\\"y\"; none", "x\"y", " none" },
	{ "quoted, the same id as the token", "\"mx.example.org\" ; none",
	    "mx.example.org", " none" },
	/* RFC 2045 5.1: a token is US-ASCII; UTF-8 (RFC 6532 3.2) only
	   extends RFC 5322's quoted-string. */
	{ "UTF-8 in a quoted-string", "\"\xc3\xa9.example\"; none",
	    "\xc3\xa9.example", " none" },
	{ "UTF-8 in a token", "\xc3\xa9.example; none", NULL, NULL },
	/* authserv-id [ CFWS authres-version ]: CFWS is required. */
	{ "version without CFWS", "\"mx\"1; none", NULL, NULL },
	{ "empty quoted-string", "\"\"; none", NULL, NULL },
	{ "no ;", "mx.example.org spf=pass", NULL, NULL },
	{ "empty", "", NULL, NULL },
	{ "only ;", "; spf=pass", NULL, NULL },
	{ "unterminated quote", "\"mx; none", NULL, NULL },
	{ "tspecial", "mx@example; none", NULL, NULL },
};

static void
test_authserv_id(void **state)
{
	struct inkan_buf idb;
	struct inkan_view id, rest;
	size_t i;
	bool ok;

	(void)state;
	inkan_buf_init(&idb, 4096);
	for (i = 0; i < NCASES(id_cases); i++) {
		const struct id_case *c = &id_cases[i];

		inkan_buf_reset(&idb);
		ok = arc_authserv_id(inkan_view_cstr(c->value), &idb, &rest) ==
		    INKAN_OK;
		id = inkan_buf_view(&idb);
		if (ok != (c->want_id != NULL))
			fail_msg("%s: got %s, want %s", c->name,
			    ok ? "an id" : "none",
			    c->want_id != NULL ? c->want_id : "none");
		if (!ok)
			continue;
		if (!inkan_view_eq(id, inkan_view_cstr(c->want_id)) ||
		    !inkan_view_eq(rest, inkan_view_cstr(c->want_rest)))
			fail_msg("%s: got \"%.*s\" + \"%.*s\", want \"%s\" + "
				 "\"%s\"",
			    c->name, (int)id.len, (const char *)id.ptr,
			    (int)rest.len, (const char *)rest.ptr, c->want_id,
			    c->want_rest);
	}
	inkan_buf_clear(&idb);
}

static void
test_field_kind(void **state)
{
	(void)state;
	assert_int_equal(arc_field_kind(INKAN_VIEW_LIT("arc-seal")), ARC_AS);
	assert_int_equal(
	    arc_field_kind(INKAN_VIEW_LIT("ARC-MESSAGE-SIGNATURE")), ARC_AMS);
	assert_int_equal(
	    arc_field_kind(INKAN_VIEW_LIT("Arc-Authentication-Results")),
	    ARC_AAR);
	assert_int_equal(
	    arc_field_kind(INKAN_VIEW_LIT("Authentication-Results")), ARC_NOT);
	assert_int_equal(arc_field_kind(INKAN_VIEW_LIT("ARC-Seal2")), ARC_NOT);
	assert_string_equal(inkan_arc_cv_name(INKAN_ARC_NONE), "none");
	assert_string_equal(inkan_arc_cv_name(INKAN_ARC_PASS), "pass");
	assert_string_equal(inkan_arc_cv_name(INKAN_ARC_FAIL), "fail");
	assert_string_equal(inkan_arc_cv_name((enum inkan_arc_cv)42), "none");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sigs),
		cmocka_unit_test(test_sig_fields),
		cmocka_unit_test(test_aar),
		cmocka_unit_test(test_authserv_id),
		cmocka_unit_test(test_field_kind),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
