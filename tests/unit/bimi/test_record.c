/*
 * test_record.c: the BIMI assertion record parser (draft: Assertion Record
 * Definition) and its lookup through the zone resolver (Assertion Record
 * Discovery).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <inkan/bimi.h>

#define P(x) (1u << INKAN_BIMI_REC_##x)

struct record_case {
	const char *name;
	const char *in;
	unsigned problems; /* 0: parses */
	/* on success: "location|authority|declined|lps1,lps2|avp|unknown" */
	const char *want;
};

static const struct record_case record_cases[] = {
	{ "plain", "v=BIMI1; l=https://example.com/logo.svg", 0,
	    "https://example.com/logo.svg||0||brand|0" },
	{ "with a=",
	    "v=BIMI1; l=https://e.example/l.svg; a=https://e.example/v.pem;", 0,
	    "https://e.example/l.svg|https://e.example/v.pem|0||brand|0" },
	{ "white space everywhere",
	    "v = BIMI1 ;  l =  https://e.example/l.svg  ; a=\t; ", 0,
	    "https://e.example/l.svg||0||brand|0" },
	{ "declination", "v=BIMI1; l=; a=;", 0, "||1||brand|0" },
	{ "declination without a=", "v=BIMI1; l=", 0, "||1||brand|0" },
	{ "evidence only", "v=BIMI1; l=; a=https://e.example/v.pem", 0,
	    "|https://e.example/v.pem|0||brand|0" },
	{ "lps and avp", "v=BIMI1; l=; a=; lps = brand-one , x2; avp=personal",
	    0, "||1|brand-one,x2|personal|0" },
	{ "empty lps", "v=BIMI1; l=https://e.example/l.svg; lps=", 0,
	    "https://e.example/l.svg||0||brand|0" },
	{ "unknown avp ignored", "v=BIMI1; l=; avp=Personal", 0,
	    "||1||unknown|0" },
	{ "unknown tags ignored", "v=BIMI1; l=; x=1; future_tag=a b", 0,
	    "||1||brand|2" },
	{ "port, query, escapes",
	    "v=BIMI1; l=HTTPS://e.example:8443/a%2Cb/l.svg?x=1&y=~", 0,
	    "HTTPS://e.example:8443/a%2Cb/l.svg?x=1&y=~||0||brand|0" },
	{ "FWS", "v=BIMI1;\r\n l=https://e.example/l.svg", 0,
	    "https://e.example/l.svg||0||brand|0" },

	{ "empty", "", P(SYNTAX) | P(V_MISSING) | P(L_MISSING), NULL },
	{ "lowercase version", "v=bimi1; l=https://e.example/l.svg", P(V_CASE),
	    NULL },
	{ "version 2", "v=BIMI2; l=", P(V_INVALID), NULL },
	{ "empty version", "v=; l=", P(V_EMPTY), NULL },
	{ "no version", "l=https://e.example/l.svg", P(V_MISSING), NULL },
	{ "version second", "l=; v=BIMI1", P(V_NOT_FIRST), NULL },
	{ "tag name case", "V=BIMI1; l=", P(V_MISSING), NULL },
	{ "duplicate v", "v=BIMI1; v=BIMI1; l=", P(DUPLICATE_TAG), NULL },
	{ "duplicate unknown", "v=BIMI1; l=; x=1; x=2", P(DUPLICATE_TAG),
	    NULL },
	{ "no l", "v=BIMI1", P(L_MISSING), NULL },
	{ "no l, a", "v=BIMI1; a=https://e.example/v.pem", P(L_MISSING), NULL },
	{ "http", "v=BIMI1; l=http://e.example/l.svg", P(L_NOT_HTTPS), NULL },
	{ "a http", "v=BIMI1; l=; a=http://e.example/v.pem", P(A_NOT_HTTPS),
	    NULL },
	{ "not a URI", "v=BIMI1; l=logo.svg", P(L_BAD_URI), NULL },
	{ "no host", "v=BIMI1; l=https:/logo.svg", P(L_BAD_URI), NULL },
	{ "IP host", "v=BIMI1; l=https://192.0.2.1/l.svg", P(L_BAD_URI), NULL },
	{ "single label", "v=BIMI1; l=https://localhost/l.svg", P(L_BAD_URI),
	    NULL },
	{ "userinfo", "v=BIMI1; l=https://u@e.example/l.svg", P(L_BAD_URI),
	    NULL },
	{ "bad port", "v=BIMI1; l=https://e.example:44x/l.svg", P(L_BAD_URI),
	    NULL },
	{ "two URIs",
	    "v=BIMI1; l=https://e.example/a.svg,https://e.example/b.svg",
	    P(L_BAD_URI), NULL },
	{ "space in URI", "v=BIMI1; l=https://e.example/a b.svg", P(L_BAD_URI),
	    NULL },
	{ "bad escape", "v=BIMI1; l=https://e.example/a%zz", P(L_BAD_URI),
	    NULL },
	{ "a= bad", "v=BIMI1; l=; a=https://-e.example/", P(A_BAD_URI), NULL },
	{ "png logo", "v=BIMI1; l=https://e.example/logo.PNG", P(L_NOT_SVG),
	    NULL },
	{ "jpeg logo before a query", "v=BIMI1; l=https://e.example/l.jpeg?v=2",
	    P(L_NOT_SVG), NULL },
	{ "svgz logo", "v=BIMI1; l=https://e.example/logo.svgz", 0,
	    "https://e.example/logo.svgz||0||brand|0" },
	{ "png in the query only", "v=BIMI1; l=https://e.example/l?x=.png", 0,
	    "https://e.example/l?x=.png||0||brand|0" },
	{ "bad lps", "v=BIMI1; l=; lps=a_b", P(LPS_INVALID), NULL },
	{ "empty lps item", "v=BIMI1; l=; lps=a,,b", P(LPS_INVALID), NULL },
	{ "double ;", "v=BIMI1;; l=", P(SYNTAX), NULL },
	{ "leading ;", ";v=BIMI1; l=", P(SYNTAX), NULL },
	{ "no =", "v=BIMI1; l", P(SYNTAX) | P(L_MISSING), NULL },
	{ "leading white space", "\tv=BIMI1; l=", P(SYNTAX), NULL },
	{ "line break in v=", "v=\nBIMI1; l=", P(SYNTAX), NULL },
	{ "line break after v=", "v=BIMI1\r\n; l=", P(SYNTAX), NULL },
	{ "bad tag name", "v=BIMI1; l=; 1x=2", P(SYNTAX), NULL },
	{ "8-bit value", "v=BIMI1; l=; x=\xc3\xa9", P(SYNTAX), NULL },
	{ "NUL in value", "v=BIMI1; l=; x=a\0b", P(SYNTAX), NULL },
	{ "several at once", "v=bimi1; v=x; l=http://e.example/",
	    P(V_CASE) | P(DUPLICATE_TAG) | P(L_NOT_HTTPS), NULL },
};

static const char *
avp_name(enum inkan_bimi_avp a)
{
	return a == INKAN_BIMI_AVP_BRAND   ? "brand"
	    : a == INKAN_BIMI_AVP_PERSONAL ? "personal"
					   : "unknown";
}

static void
describe(const struct inkan_bimi_record *rec, char *out, size_t size)
{
	char lps[256] = "";
	size_t i, n = 0;

	for (i = 0; i < rec->nlps; i++)
		n += (size_t)snprintf(lps + n, sizeof(lps) - n, "%s%s",
		    i > 0 ? "," : "", rec->lps[i]);
	snprintf(out, size, "%s|%s|%d|%s|%s|%u", rec->location, rec->authority,
	    rec->declined, lps, avp_name(rec->avp), rec->unknown_tags);
}

static void
test_record(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(record_cases) / sizeof(record_cases[0]); i++) {
		const struct record_case *c = &record_cases[i];
		struct inkan_bimi_record *rec = NULL;
		struct inkan_bimi_error err;
		enum inkan_status st;
		size_t len = strlen(c->in);
		char got[512];

		/* The NUL case: its length runs to the end of "a\0b". */
		if (strcmp(c->name, "NUL in value") == 0)
			len += 2;
		st = inkan_bimi_record_parse(c->in, len, NULL, &rec, &err);
		if (c->problems == 0) {
			if (st != INKAN_OK)
				fail_msg("%s: got %s (%s), want ok", c->name,
				    inkan_strerror(st), err.message);
			describe(rec, got, sizeof(got));
			if (strcmp(got, c->want) != 0)
				fail_msg("%s: got %s, want %s", c->name, got,
				    c->want);
			inkan_bimi_record_free(&rec);
			assert_null(rec);
			continue;
		}
		if (st != INKAN_ERR_SYNTAX || rec != NULL)
			fail_msg("%s: got %s, want a syntax error", c->name,
			    inkan_strerror(st));
		if (err.problems != c->problems)
			fail_msg("%s: got problems %#x (%s), want %#x", c->name,
			    err.problems, err.message, c->problems);
		assert_true(err.message[0] != '\0');
		assert_true((err.problems & (1u << err.code)) != 0);
	}
}

static void
test_record_limit(void **state)
{
	struct inkan_limits lim;
	struct inkan_bimi_record *rec = NULL;
	struct inkan_bimi_error err;
	static const char rec_text[] = "v=BIMI1; l=https://e.example/l.svg";
	size_t n = sizeof(rec_text) - 1;

	(void)state;
	inkan_limits_default(&lim);
	lim.bimi_record_max = n;
	assert_int_equal(
	    inkan_bimi_record_parse(rec_text, n, &lim, &rec, &err), INKAN_OK);
	inkan_bimi_record_free(&rec);
	lim.bimi_record_max = n - 1;
	assert_int_equal(inkan_bimi_record_parse(rec_text, n, &lim, &rec, &err),
	    INKAN_ERR_LIMIT);
	assert_null(rec);
	assert_int_equal(err.code, INKAN_BIMI_REC_TOO_LONG);
	/* The names are stable: the auditor prints them. */
	assert_string_equal(
	    inkan_bimi_record_problem_name(INKAN_BIMI_REC_V_CASE), "v-case");
	assert_string_equal(
	    inkan_bimi_record_problem_name(INKAN_BIMI_REC_L_NOT_HTTPS),
	    "l-not-https");
}

static void
test_is_bimi(void **state)
{
	static const struct {
		const char *in;
		bool want;
	} cases[] = {
		{ "v=BIMI1; l=", true },
		{ "v = bimi1 ;", true },
		{ "v=BIMI1", true },
		{ "v=BIMI1 ", true },
		{ "v=BIMI10; l=", false },
		{ "v=spf1 -all", false },
		{ " v=BIMI1", true },
		{ "\tv = BIMI1;", true },
		{ "l=; v=BIMI1", false },
		{ "", false },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (inkan_bimi_record_is_bimi(
			cases[i].in, strlen(cases[i].in)) != cases[i].want)
			fail_msg("\"%s\": got %d, want %d", cases[i].in,
			    !cases[i].want, cases[i].want);
}

/* draft: Assertion Record Discovery, through the zone resolver. */
static void
test_lookup(void **state)
{
	static const char zone[] =
	    "default._bimi.good.example. TXT \"v=BIMI1; "
	    "l=https://good.example/l.svg\"\n"
	    "default._bimi.good.example. TXT \"v=spf1 -all\"\n"
	    "sel._bimi.good.example. TXT \"v=BIMI1; \" "
	    "\"l=https://good.example/s.svg\"\n"
	    "default._bimi.two.example. TXT \"v=BIMI1; l=\"\n"
	    "default._bimi.two.example. TXT \"v=BIMI1; l=; a=\"\n"
	    "default._bimi.bad.example. TXT \"v=BIMI1; "
	    "l=http://bad.example/\"\n"
	    "default._bimi.lower.example. TXT \"v=bimi1; l=\"\n"
	    "default._bimi.declined.example. TXT \"v=BIMI1; l=; a=;\"\n"
	    "default._bimi.sub.declined.example. TXT \"v=BIMI1; "
	    "l=https://declined.example/l.svg\"\n"
	    "a.b.good.example. A 192.0.2.1\n"
	    "default._bimi.org.example. TXT \"v=BIMI1; "
	    "l=https://org.example/l.svg\"\n"
	    ";! TIMEOUT default._bimi.slow.example.\n"
	    ";! SERVFAIL default._bimi.sub.org.example.\n";
	static const struct {
		const char *selector, *domain, *org;
		enum inkan_status st;
		enum inkan_bimi_lookup_status status;
		const char *where; /* selector/domain queried last */
		const char *location; /* FOUND */
	} cases[] = {
		{ NULL, "good.example", "good.example", INKAN_OK,
		    INKAN_BIMI_LOOKUP_FOUND, "default/good.example",
		    "https://good.example/l.svg" },
		{ NULL, "GOOD.Example.", NULL, INKAN_OK,
		    INKAN_BIMI_LOOKUP_FOUND, "default/good.example",
		    "https://good.example/l.svg" },
		{ "SEL", "good.example", NULL, INKAN_OK,
		    INKAN_BIMI_LOOKUP_FOUND, "sel/good.example",
		    "https://good.example/s.svg" },
		/* the org-domain fallback */
		{ NULL, "a.b.good.example", "good.example", INKAN_OK,
		    INKAN_BIMI_LOOKUP_FOUND, "default/good.example",
		    "https://good.example/l.svg" },
		{ "sel", "x.good.example", "good.example.", INKAN_OK,
		    INKAN_BIMI_LOOKUP_FOUND, "sel/good.example",
		    "https://good.example/s.svg" },
		/* no fallback without an org domain */
		{ NULL, "a.b.good.example", NULL, INKAN_OK,
		    INKAN_BIMI_LOOKUP_NONE, "default/a.b.good.example", NULL },
		/* a missing selector does not fall back to default */
		{ "nosuch", "good.example", "good.example", INKAN_OK,
		    INKAN_BIMI_LOOKUP_NONE, "nosuch/good.example", NULL },
		{ NULL, "two.example", NULL, INKAN_OK,
		    INKAN_BIMI_LOOKUP_INVALID, "default/two.example", NULL },
		{ NULL, "bad.example", NULL, INKAN_OK,
		    INKAN_BIMI_LOOKUP_INVALID, "default/bad.example", NULL },
		{ NULL, "lower.example", NULL, INKAN_OK,
		    INKAN_BIMI_LOOKUP_INVALID, "default/lower.example", NULL },
		{ NULL, "declined.example", NULL, INKAN_OK,
		    INKAN_BIMI_LOOKUP_FOUND, "default/declined.example", "" },
		/* a subdomain's record wins over the org domain's */
		{ NULL, "sub.declined.example", "declined.example", INKAN_OK,
		    INKAN_BIMI_LOOKUP_FOUND, "default/sub.declined.example",
		    "https://declined.example/l.svg" },
		{ NULL, "slow.example", NULL, INKAN_OK,
		    INKAN_BIMI_LOOKUP_TEMPERROR, "default/slow.example", NULL },
		/* a temporary failure does not fall back */
		{ NULL, "sub.org.example", "org.example", INKAN_OK,
		    INKAN_BIMI_LOOKUP_TEMPERROR, "default/sub.org.example",
		    NULL },
		{ NULL, "missing.example", "missing.example", INKAN_OK,
		    INKAN_BIMI_LOOKUP_NONE, "default/missing.example", NULL },
		{ "a_b", "good.example", NULL, INKAN_ERR_SYNTAX,
		    INKAN_BIMI_LOOKUP_NONE, NULL, NULL },
		{ "", "good.example", NULL, INKAN_ERR_SYNTAX,
		    INKAN_BIMI_LOOKUP_NONE, NULL, NULL },
		{ NULL, "", NULL, INKAN_ERR_SYNTAX, INKAN_BIMI_LOOKUP_NONE,
		    NULL, NULL },
		{ NULL, "a..b", NULL, INKAN_ERR_SYNTAX, INKAN_BIMI_LOOKUP_NONE,
		    NULL, NULL },
		{ NULL, "good.example", "bad..org", INKAN_ERR_SYNTAX,
		    INKAN_BIMI_LOOKUP_NONE, NULL, NULL },
	};
	struct inkan_resolver *r = NULL;
	struct inkan_zone_error zerr;
	size_t i;

	(void)state;
	assert_int_equal(inkan_resolver_new_zone(NULL, &r), INKAN_OK);
	if (inkan_resolver_zone_load_string(r, zone, sizeof(zone) - 1, &zerr) !=
	    INKAN_OK)
		fail_msg("zone line %zu: %s", zerr.line, zerr.message);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct inkan_bimi_lookup look;
		enum inkan_status st;
		char where[600];

		st = inkan_bimi_record_lookup(r, cases[i].selector,
		    cases[i].domain, cases[i].org, NULL, &look);
		if (st != cases[i].st || look.status != cases[i].status)
			fail_msg("%s: got %s/%s (%s), want %s/%s",
			    cases[i].domain, inkan_strerror(st),
			    inkan_bimi_lookup_status_name(look.status),
			    look.err.message, inkan_strerror(cases[i].st),
			    inkan_bimi_lookup_status_name(cases[i].status));
		if (cases[i].where != NULL) {
			snprintf(where, sizeof(where), "%s/%s", look.selector,
			    look.domain);
			if (strcmp(where, cases[i].where) != 0)
				fail_msg("%s: queried %s, want %s",
				    cases[i].domain, where, cases[i].where);
		}
		if (look.status == INKAN_BIMI_LOOKUP_FOUND)
			assert_string_equal(
			    look.record->location, cases[i].location);
		else
			assert_true(look.err.message[0] != '\0');
		inkan_bimi_lookup_clear(&look);
		assert_null(look.record);
	}
	inkan_resolver_free(&r);
}

/* A record longer than bimi_record_max, met through DNS. */
static void
test_lookup_limit(void **state)
{
	struct inkan_resolver *r = NULL;
	struct inkan_limits lim;
	struct inkan_bimi_lookup look;
	struct inkan_view s = INKAN_VIEW_LIT(
	    "v=BIMI1; l=https://long.example/a-rather-long-path/l.svg");

	(void)state;
	assert_int_equal(inkan_resolver_new_zone(NULL, &r), INKAN_OK);
	assert_int_equal(inkan_resolver_zone_add_txt(
			     r, "default._bimi.long.example", 300, &s, 1),
	    INKAN_OK);
	inkan_limits_default(&lim);
	lim.bimi_record_max = 20;
	assert_int_equal(inkan_bimi_record_lookup(
			     r, NULL, "long.example", NULL, &lim, &look),
	    INKAN_OK);
	assert_int_equal(look.status, INKAN_BIMI_LOOKUP_INVALID);
	assert_int_equal(look.err.code, INKAN_BIMI_REC_TOO_LONG);
	inkan_bimi_lookup_clear(&look);
	inkan_resolver_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_record),
		cmocka_unit_test(test_record_limit),
		cmocka_unit_test(test_is_bimi),
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_lookup_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
