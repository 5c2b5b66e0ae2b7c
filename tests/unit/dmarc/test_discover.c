/*
 * test_discover.c: the DNS Tree Walk (RFC 9989 4.10), policy discovery
 * (4.10.1) and the Organizational Domain (4.10.2) on
 * tests/data/dmarc/treewalk.zone through the zone resolver: psd=y and
 * psd=n, several records at a name, a record without a usable policy,
 * timeouts, the 8-query limit with its label skipping, RFC 7489 mode, the
 * record cache with a fake clock, alignment, external destinations.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <inkan/dmarc.h>

#define ZONE INKAN_SOURCE_DIR "/tests/data/dmarc/treewalk.zone"

#define FOUND INKAN_DMARC_LOOKUP_FOUND
#define NONE INKAN_DMARC_LOOKUP_NONE
#define TEMP INKAN_DMARC_LOOKUP_TEMPERROR

static int64_t fake_now = 1000000;

static int64_t
fake_clock(void *arg)
{
	(void)arg;
	return fake_now;
}

static struct inkan_resolver *
zone_resolver(void)
{
	struct inkan_resolver *r = NULL;
	struct inkan_zone_error zerr;

	assert_int_equal(inkan_resolver_new_zone(NULL, &r), INKAN_OK);
	if (inkan_resolver_zone_load_file(r, ZONE, &zerr) != INKAN_OK)
		fail_msg("%s:%zu: %s", ZONE, zerr.line, zerr.message);
	return r;
}

static struct inkan_dmarc *
context(struct inkan_resolver *r, enum inkan_dmarc_mode mode)
{
	struct inkan_dmarc_options opt;
	struct inkan_dmarc *d = NULL;

	inkan_dmarc_options_init(&opt);
	opt.mode = mode;
	opt.now = fake_clock;
	assert_int_equal(inkan_dmarc_new(r, NULL, &opt, &d), INKAN_OK);
	return d;
}

struct lookup_case {
	const char *name;
	const char *domain;
	enum inkan_dmarc_lookup_status status;
	const char *policy_domain; /* NULL: none */
	const char *org; /* NULL: not known */
	bool own;
	size_t nsteps;
	/* The record's p= (ABSENT: no record applies). */
	enum inkan_dmarc_policy p;
};

static const struct lookup_case walk_cases[] = {
	{ "subdomain: the Organizational Domain's record", "a.mail.example.com",
	    FOUND, "example.com", "example.com", false, 4,
	    INKAN_DMARC_POLICY_REJECT },
	{ "own record, walk goes on for the org domain", "mail.example.com",
	    FOUND, "mail.example.com", "example.com", true, 3,
	    INKAN_DMARC_POLICY_NONE },
	{ "the org domain itself", "example.com", FOUND, "example.com",
	    "example.com", true, 2, INKAN_DMARC_POLICY_REJECT },
	{ "name that does not exist", "nowhere.example.com", FOUND,
	    "example.com", "example.com", false, 3, INKAN_DMARC_POLICY_REJECT },
	{ "two records: both discarded", "twice.example.com", FOUND,
	    "example.com", "example.com", false, 3, INKAN_DMARC_POLICY_REJECT },
	{ "spf and dmarc at one name", "mixed.example.com", FOUND,
	    "mixed.example.com", "example.com", true, 3,
	    INKAN_DMARC_POLICY_QUARANTINE },
	{ "record without usable policy", "nop.example.com", FOUND,
	    "nop.example.com", "example.com", true, 3,
	    INKAN_DMARC_POLICY_ABSENT },
	{ "timeout at the domain", "slow.example.com", TEMP, NULL, NULL, false,
	    1, INKAN_DMARC_POLICY_ABSENT },
	{ "timeout on the walk", "x.slow.example.com", TEMP, NULL, NULL, false,
	    2, INKAN_DMARC_POLICY_ABSENT },
	/* RFC 9989 B.4.3. */
	{ "B.4.3 author", "giant.bank.example", FOUND, "giant.bank.example",
	    "giant.bank.example", true, 2, INKAN_DMARC_POLICY_QUARANTINE },
	{ "B.4.3 mail from", "mail.giant.bank.example", FOUND,
	    "giant.bank.example", "giant.bank.example", false, 3,
	    INKAN_DMARC_POLICY_QUARANTINE },
	{ "B.4.3 dkim: the PSD's record", "mail.mega.bank.example", FOUND,
	    "bank.example", "mega.bank.example", false, 3,
	    INKAN_DMARC_POLICY_REJECT },
	{ "the PSD itself", "bank.example", FOUND, "bank.example",
	    "bank.example", true, 1, INKAN_DMARC_POLICY_REJECT },
	/* psd=n stops the walk below a record with more labels. */
	{ "psd=n", "host.dept.org.example", FOUND, "dept.org.example",
	    "dept.org.example", false, 2, INKAN_DMARC_POLICY_REJECT },
	{ "above psd=n", "org.example", FOUND, "org.example", "org.example",
	    true, 2, INKAN_DMARC_POLICY_NONE },
	{ "nothing anywhere", "mail.example.net", NONE, NULL,
	    "mail.example.net", false, 3, INKAN_DMARC_POLICY_ABSENT },
	{ "trailing dot and case", "A.Mail.Example.COM.", FOUND, "example.com",
	    "example.com", false, 4, INKAN_DMARC_POLICY_REJECT },
	/* 4.10: 13 labels, 8 queries: the name, then 7 labels down to 1. */
	{ "deep", "a.b.c.d.e.f.g.h.i.j.k.example.com", FOUND, "example.com",
	    "example.com", false, 8, INKAN_DMARC_POLICY_REJECT },
	{ "exactly 8 labels", "c.d.e.f.g.h.example.com", FOUND, "example.com",
	    "example.com", false, 8, INKAN_DMARC_POLICY_REJECT },
};

static bool
str_eq(const char *a, const char *b)
{
	return (a == NULL && b == NULL) ||
	    (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static void
run_lookups(
    enum inkan_dmarc_mode mode, const struct lookup_case *cases, size_t n)
{
	struct inkan_resolver *r = zone_resolver();
	struct inkan_dmarc *d = context(r, mode);
	size_t i, failures = 0;

	for (i = 0; i < n; i++) {
		const struct lookup_case *c = &cases[i];
		struct inkan_dmarc_lookup *lk = NULL;
		enum inkan_dmarc_policy p;

		/* Each case from DNS: steps are all uncached. */
		inkan_dmarc_cache_clear(d);
		assert_int_equal(
		    inkan_dmarc_lookup(d, c->domain, &lk), INKAN_OK);
		p = lk->record != NULL ? lk->record->p
				       : INKAN_DMARC_POLICY_ABSENT;
		if (lk->status != c->status ||
		    !str_eq(lk->policy_domain, c->policy_domain) ||
		    !str_eq(lk->org_domain, c->org) ||
		    lk->author_is_policy_domain != c->own ||
		    lk->nsteps != c->nsteps || p != c->p) {
			print_error(
			    "%s (%s):\n  got  status %d policy %s org %s "
			    "own %d steps %zu p=%s\n  want status %d "
			    "policy %s org %s own %d steps %zu p=%s\n"
			    "  reason: %s\n",
			    c->name, c->domain, lk->status,
			    lk->policy_domain ? lk->policy_domain : "-",
			    lk->org_domain ? lk->org_domain : "-",
			    lk->author_is_policy_domain, lk->nsteps,
			    inkan_dmarc_policy_name(p), c->status,
			    c->policy_domain ? c->policy_domain : "-",
			    c->org ? c->org : "-", c->own, c->nsteps,
			    inkan_dmarc_policy_name(c->p), lk->reason);
			failures++;
		}
		assert_non_null(lk->reason);
		inkan_dmarc_lookup_free(&lk);
		assert_null(lk);
	}
	inkan_dmarc_free(&d);
	inkan_resolver_free(&r);
	assert_int_equal(failures, 0);
}

static void
test_walk(void **state)
{
	(void)state;
	run_lookups(INKAN_DMARC_MODE_TREEWALK, walk_cases,
	    sizeof(walk_cases) / sizeof(walk_cases[0]));
}

static void
test_steps(void **state)
{
	static const char *const deep[] = {
		"_dmarc.a.b.c.d.e.f.g.h.i.j.k.example.com",
		"_dmarc.g.h.i.j.k.example.com",
		"_dmarc.h.i.j.k.example.com",
		"_dmarc.i.j.k.example.com",
		"_dmarc.j.k.example.com",
		"_dmarc.k.example.com",
		"_dmarc.example.com",
		"_dmarc.com",
	};
	struct inkan_resolver *r = zone_resolver();
	struct inkan_dmarc *d = context(r, INKAN_DMARC_MODE_TREEWALK);
	struct inkan_dmarc_lookup *lk = NULL;
	size_t i;

	(void)state;
	assert_int_equal(
	    inkan_dmarc_lookup(d, "a.b.c.d.e.f.g.h.i.j.k.example.com", &lk),
	    INKAN_OK);
	assert_int_equal(lk->nsteps, 8);
	for (i = 0; i < 8; i++)
		assert_string_equal(lk->steps[i].name, deep[i]);
	assert_int_equal(lk->steps[6].outcome, INKAN_DMARC_STEP_RECORD);
	assert_non_null(lk->steps[6].text);
	assert_int_equal(lk->steps[7].outcome, INKAN_DMARC_STEP_NXDOMAIN);
	inkan_dmarc_lookup_free(&lk);

	/* Outcomes of single queries. */
	assert_int_equal(
	    inkan_dmarc_lookup(d, "twice.example.com", &lk), INKAN_OK);
	assert_int_equal(lk->steps[0].outcome, INKAN_DMARC_STEP_SEVERAL);
	assert_null(lk->steps[0].text);
	inkan_dmarc_lookup_free(&lk);
	assert_int_equal(inkan_dmarc_lookup(d, "bank.example", &lk), INKAN_OK);
	assert_int_equal(lk->steps[0].psd, INKAN_DMARC_PSD_Y);
	inkan_dmarc_lookup_free(&lk);
	assert_int_equal(
	    inkan_dmarc_lookup(d, "x.slow.example.com", &lk), INKAN_OK);
	assert_int_equal(lk->steps[1].outcome, INKAN_DMARC_STEP_TEMPERROR);
	assert_non_null(strstr(lk->reason, "_dmarc.slow.example.com"));
	inkan_dmarc_lookup_free(&lk);
	/* Warnings of the record found, with where. */
	assert_int_equal(
	    inkan_dmarc_lookup(d, "split.example.com", &lk), INKAN_OK);
	assert_int_equal(lk->nwarnings, 2);
	assert_non_null(strstr(lk->warnings[0], "_dmarc.split.example.com: "));
	assert_int_equal(lk->record->nrua, 2);
	inkan_dmarc_lookup_free(&lk);

	/* A name so long that _dmarc. in front does not fit: not queried,
	   the walk goes on from its parent. */
	{
		char name[254];

		memset(name, 'a', 253);
		name[253] = '\0';
		for (i = 63; i < 253; i += 64)
			name[i] = '.';
		memcpy(name + 253 - 12, ".example.com", 12);
		assert_int_equal(inkan_dmarc_lookup(d, name, &lk), INKAN_OK);
		assert_string_equal(lk->steps[0].name, "_dmarc.(too long)");
		assert_int_equal(
		    lk->steps[0].outcome, INKAN_DMARC_STEP_NOT_DMARC);
		assert_int_equal(lk->status, INKAN_DMARC_LOOKUP_FOUND);
		assert_string_equal(lk->policy_domain, "example.com");
		inkan_dmarc_lookup_free(&lk);
	}

	/* Not domain names. */
	assert_int_equal(inkan_dmarc_lookup(d, "", &lk), INKAN_ERR_SYNTAX);
	assert_int_equal(inkan_dmarc_lookup(d, "a..b", &lk), INKAN_ERR_SYNTAX);
	assert_int_equal(
	    inkan_dmarc_lookup(d, "exa mple.com", &lk), INKAN_ERR_SYNTAX);
	assert_int_equal(inkan_dmarc_lookup(d, ".", &lk), INKAN_ERR_SYNTAX);
	assert_int_equal(
	    inkan_dmarc_lookup(d,
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		"aaaaaaaaaaa.example.com",
		&lk),
	    INKAN_ERR_SYNTAX);
	assert_null(lk);
	assert_int_equal(inkan_dmarc_lookup(NULL, "x", &lk), INKAN_ERR_INVAL);
	inkan_dmarc_free(&d);
	inkan_resolver_free(&r);
}

/* RFC 7489 mode with Debian's list: the domain, then the PSL's
   Organizational Domain; psd= means nothing. */
static const struct lookup_case rfc7489_cases[] = {
	{ "subdomain", "a.mail.example.com", FOUND, "example.com",
	    "example.com", false, 2, INKAN_DMARC_POLICY_REJECT },
	{ "own record", "mail.example.com", FOUND, "mail.example.com",
	    "example.com", true, 1, INKAN_DMARC_POLICY_NONE },
	{ "psd ignored", "mail.mega.bank.example", FOUND, "bank.example",
	    "bank.example", false, 2, INKAN_DMARC_POLICY_REJECT },
	{ "psd=n ignored", "host.dept.org.example", FOUND, "org.example",
	    "org.example", false, 2, INKAN_DMARC_POLICY_NONE },
	{ "nothing", "mail.example.net", NONE, NULL, "example.net", false, 2,
	    INKAN_DMARC_POLICY_ABSENT },
	{ "timeout", "slow.example.com", TEMP, NULL, "example.com", false, 1,
	    INKAN_DMARC_POLICY_ABSENT },
	{ "public suffix", "com", NONE, NULL, "com", false, 1,
	    INKAN_DMARC_POLICY_ABSENT },
};

static void
test_rfc7489(void **state)
{
	(void)state;
	run_lookups(INKAN_DMARC_MODE_RFC7489, rfc7489_cases,
	    sizeof(rfc7489_cases) / sizeof(rfc7489_cases[0]));
}

static void
test_cache(void **state)
{
	struct inkan_resolver *r = zone_resolver();
	struct inkan_dmarc *d = context(r, INKAN_DMARC_MODE_TREEWALK);
	struct inkan_dmarc_lookup *lk = NULL;
	uint64_t before;
	size_t i;

	(void)state;
	fake_now = 1000000;
	before = inkan_resolver_queries(r);
	assert_int_equal(
	    inkan_dmarc_lookup(d, "a.mail.example.com", &lk), INKAN_OK);
	assert_int_equal(inkan_resolver_queries(r) - before, 4);
	inkan_dmarc_lookup_free(&lk);
	/* Warm: every answer, negative ones too, from the cache. */
	before = inkan_resolver_queries(r);
	assert_int_equal(
	    inkan_dmarc_lookup(d, "a.mail.example.com", &lk), INKAN_OK);
	assert_int_equal(inkan_resolver_queries(r) - before, 0);
	for (i = 0; i < lk->nsteps; i++)
		assert_true(lk->steps[i].cached);
	assert_string_equal(lk->policy_domain, "example.com");
	inkan_dmarc_lookup_free(&lk);
	/* A temporary failure is not cached. */
	before = inkan_resolver_queries(r);
	assert_int_equal(
	    inkan_dmarc_lookup(d, "slow.example.com", &lk), INKAN_OK);
	inkan_dmarc_lookup_free(&lk);
	assert_int_equal(
	    inkan_dmarc_lookup(d, "slow.example.com", &lk), INKAN_OK);
	assert_false(lk->steps[0].cached);
	inkan_dmarc_lookup_free(&lk);
	assert_int_equal(inkan_resolver_queries(r) - before, 2);
	/* Past the TTL (300 s): asked again. */
	fake_now += 301;
	before = inkan_resolver_queries(r);
	assert_int_equal(
	    inkan_dmarc_lookup(d, "a.mail.example.com", &lk), INKAN_OK);
	assert_int_equal(inkan_resolver_queries(r) - before, 4);
	inkan_dmarc_lookup_free(&lk);
	inkan_dmarc_cache_clear(d);
	before = inkan_resolver_queries(r);
	assert_int_equal(inkan_dmarc_lookup(d, "example.com", &lk), INKAN_OK);
	assert_int_equal(inkan_resolver_queries(r) - before, 2);
	inkan_dmarc_lookup_free(&lk);
	inkan_dmarc_free(&d);
	inkan_resolver_free(&r);
}

static void
test_cache_full(void **state)
{
	struct inkan_limits lim;
	struct inkan_resolver *r = zone_resolver();
	struct inkan_dmarc *d = NULL;
	struct inkan_dmarc_lookup *lk = NULL;
	char name[64];
	size_t i;

	(void)state;
	inkan_limits_default(&lim);
	lim.dmarc_cache_max = 3;
	assert_int_equal(inkan_dmarc_new(r, &lim, NULL, &d), INKAN_OK);
	for (i = 0; i < 20; i++) {
		snprintf(name, sizeof(name), "h%zu.example.com", i);
		assert_int_equal(inkan_dmarc_lookup(d, name, &lk), INKAN_OK);
		assert_string_equal(lk->policy_domain, "example.com");
		inkan_dmarc_lookup_free(&lk);
	}
	inkan_dmarc_free(&d);
	inkan_resolver_free(&r);
}

struct align_case {
	const char *a, *b;
	enum inkan_dmarc_align mode;
	bool want;
};

static void
test_aligned(void **state)
{
	static const struct align_case cases[] = {
		{ "example.com", "EXAMPLE.com.", INKAN_DMARC_ALIGN_STRICT,
		    true },
		{ "mail.example.com", "example.com", INKAN_DMARC_ALIGN_STRICT,
		    false },
		{ "mail.example.com", "example.com", INKAN_DMARC_ALIGN_RELAXED,
		    true },
		{ "a.mail.example.com", "www.example.com",
		    INKAN_DMARC_ALIGN_RELAXED, true },
		{ "example.com", "example.net", INKAN_DMARC_ALIGN_RELAXED,
		    false },
		/* B.4.3: under a PSD, siblings are not aligned. */
		{ "giant.bank.example", "mail.giant.bank.example",
		    INKAN_DMARC_ALIGN_RELAXED, true },
		{ "giant.bank.example", "mail.mega.bank.example",
		    INKAN_DMARC_ALIGN_RELAXED, false },
		/* psd=n makes dept.org.example an organisation of its own. */
		{ "host.dept.org.example", "org.example",
		    INKAN_DMARC_ALIGN_RELAXED, false },
		{ "host.dept.org.example", "x.dept.org.example",
		    INKAN_DMARC_ALIGN_RELAXED, true },
		/* Without records each name is its own org domain. */
		{ "a.example.net", "b.example.net", INKAN_DMARC_ALIGN_RELAXED,
		    false },
	};
	struct inkan_resolver *r = zone_resolver();
	struct inkan_dmarc *d = context(r, INKAN_DMARC_MODE_TREEWALK);
	char org[INKAN_DNS_NAME_MAX + 1];
	size_t i;
	bool ok;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(inkan_dmarc_aligned(d, cases[i].a, cases[i].b,
				     cases[i].mode, &ok),
		    INKAN_OK);
		if (ok != cases[i].want)
			fail_msg("%s ~ %s (%s): got %d, want %d", cases[i].a,
			    cases[i].b, inkan_dmarc_align_name(cases[i].mode),
			    ok, cases[i].want);
	}
	assert_int_equal(inkan_dmarc_aligned(d, "x.slow.example.com",
			     "example.com", INKAN_DMARC_ALIGN_RELAXED, &ok),
	    INKAN_ERR_DNS);
	assert_int_equal(inkan_dmarc_aligned(d, "a..b", "example.com",
			     INKAN_DMARC_ALIGN_RELAXED, &ok),
	    INKAN_ERR_SYNTAX);
	assert_int_equal(
	    inkan_dmarc_org_domain(d, "x.y.mail.example.com", org, sizeof(org)),
	    INKAN_OK);
	assert_string_equal(org, "example.com");
	assert_int_equal(
	    inkan_dmarc_org_domain(d, "x.slow.example.com", org, sizeof(org)),
	    INKAN_ERR_DNS);
	assert_string_equal(org, "");
	assert_int_equal(
	    inkan_dmarc_org_domain(d, "example.com", org, 10), INKAN_ERR_INVAL);
	inkan_dmarc_free(&d);

	/* RFC 7489 mode: the PSL decides; a public suffix has none. */
	d = context(r, INKAN_DMARC_MODE_RFC7489);
	assert_int_equal(
	    inkan_dmarc_org_domain(d, "a.b.example.co.uk", org, sizeof(org)),
	    INKAN_OK);
	assert_string_equal(org, "example.co.uk");
	assert_int_equal(inkan_dmarc_org_domain(d, "co.uk", org, sizeof(org)),
	    INKAN_ERR_NOTFOUND);
	assert_string_equal(org, "co.uk");
	assert_int_equal(inkan_dmarc_aligned(d, "host.dept.org.example",
			     "org.example", INKAN_DMARC_ALIGN_RELAXED, &ok),
	    INKAN_OK);
	assert_true(ok);
	inkan_dmarc_free(&d);
	inkan_resolver_free(&r);
}

static void
test_external(void **state)
{
	static const char ext_zone[] =
	    "$TTL 300\n"
	    "example.com._report._dmarc.thirdparty.example.net. TXT "
	    "\"v=DMARC1;\"\n"
	    "example.org._report._dmarc.thirdparty.example.net. TXT "
	    "\"v=DMARC1; rua=mailto:other@thirdparty.example.net\"\n"
	    "example.com._report._dmarc.nope.example.net. TXT \"hello\"\n"
	    ";! TIMEOUT example.com._report._dmarc.flaky.example.net. TXT\n";
	struct inkan_resolver *r = zone_resolver();
	struct inkan_dmarc *d;
	struct inkan_dmarc_record *over = NULL;
	struct inkan_zone_error zerr;
	enum inkan_dmarc_external ext;
	const char *why = NULL;
	char longname[300], label[61];

	(void)state;
	assert_int_equal(inkan_resolver_zone_load_string(
			     r, ext_zone, sizeof(ext_zone) - 1, &zerr),
	    INKAN_OK);
	d = context(r, INKAN_DMARC_MODE_TREEWALK);
	assert_int_equal(inkan_dmarc_external_check(d, "example.com",
			     "thirdparty.example.net", &ext, &why, &over),
	    INKAN_OK);
	assert_int_equal(ext, INKAN_DMARC_EXT_AUTHORISED);
	assert_non_null(why);
	assert_null(over);
	assert_int_equal(inkan_dmarc_external_check(d, "example.org",
			     "thirdparty.example.net", &ext, &why, &over),
	    INKAN_OK);
	assert_int_equal(ext, INKAN_DMARC_EXT_AUTHORISED);
	assert_non_null(over);
	assert_int_equal(over->nrua, 1);
	assert_string_equal(over->rua[0].host, "thirdparty.example.net");
	inkan_dmarc_record_free(&over);
	assert_int_equal(inkan_dmarc_external_check(d, "example.com",
			     "nope.example.net", &ext, &why, NULL),
	    INKAN_OK);
	assert_int_equal(ext, INKAN_DMARC_EXT_NOT_AUTHORISED);
	assert_int_equal(inkan_dmarc_external_check(d, "example.com",
			     "elsewhere.example.net", &ext, NULL, NULL),
	    INKAN_OK);
	assert_int_equal(ext, INKAN_DMARC_EXT_NOT_AUTHORISED);
	assert_int_equal(inkan_dmarc_external_check(d, "example.com",
			     "flaky.example.net", &ext, NULL, NULL),
	    INKAN_OK);
	assert_int_equal(ext, INKAN_DMARC_EXT_TEMPERROR);
	/* Same Organizational Domain (by the tree walk): no check. */
	assert_int_equal(inkan_dmarc_external_check(d, "mail.example.com",
			     "reports.example.com", &ext, NULL, NULL),
	    INKAN_OK);
	assert_int_equal(ext, INKAN_DMARC_EXT_NOT_NEEDED);
	memset(label, 'a', 60);
	label[60] = '\0';
	snprintf(longname, sizeof(longname), "%s.%s.%s.%.50s.example.net",
	    label, label, label, label);
	assert_int_equal(inkan_dmarc_external_check(
			     d, "example.com", longname, &ext, NULL, NULL),
	    INKAN_OK);
	assert_int_equal(ext, INKAN_DMARC_EXT_NOT_AUTHORISED);
	assert_int_equal(inkan_dmarc_external_check(
			     d, "example.com", "a..b", &ext, NULL, NULL),
	    INKAN_ERR_SYNTAX);
	inkan_dmarc_free(&d);
	inkan_resolver_free(&r);
}

static void
test_new(void **state)
{
	struct inkan_resolver *r = zone_resolver();
	struct inkan_dmarc_options opt;
	struct inkan_dmarc *d = NULL;

	(void)state;
	assert_int_equal(
	    inkan_dmarc_new(NULL, NULL, NULL, &d), INKAN_ERR_INVAL);
	inkan_dmarc_options_init(&opt);
	opt.mode = INKAN_DMARC_MODE_RFC7489;
	opt.psl_file = "/nonexistent/psl.dat";
	assert_int_equal(
	    inkan_dmarc_new(r, NULL, &opt, &d), INKAN_ERR_NOTFOUND);
	assert_null(d);
	opt.mode = (enum inkan_dmarc_mode)7;
	assert_int_equal(inkan_dmarc_new(r, NULL, &opt, &d), INKAN_ERR_INVAL);
	assert_int_equal(inkan_dmarc_new(r, NULL, NULL, &d), INKAN_OK);
	inkan_dmarc_free(&d);
	inkan_dmarc_free(&d);
	inkan_resolver_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_walk),
		cmocka_unit_test(test_steps),
		cmocka_unit_test(test_rfc7489),
		cmocka_unit_test(test_cache),
		cmocka_unit_test(test_cache_full),
		cmocka_unit_test(test_aligned),
		cmocka_unit_test(test_external),
		cmocka_unit_test(test_new),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
