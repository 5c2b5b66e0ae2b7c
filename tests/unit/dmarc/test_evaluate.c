/*
 * test_evaluate.c: DMARC evaluation of a message (RFC 9989 5.3) through
 * the zone resolver: strict and relaxed alignment of SPF and DKIM, which
 * policy applies (p, sp, np for a domain that does not exist, a Public
 * Suffix Domain's), t=y, temporary failures of discovery, alignment and
 * the existence check, several or no From domains under each option, the
 * aggregate-report row, and a warm evaluation that makes no DNS query.
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

static const char zone[] =
    "$TTL 300\n"
    "$ORIGIN example.com.\n"
    "_dmarc TXT \"v=DMARC1; p=reject; sp=quarantine; np=none; "
    "rua=mailto:agg@example.com; ruf=mailto:f@example.com; fo=1\"\n"
    "@ A 192.0.2.1\n"
    "mail A 192.0.2.2\n"
    "_dmarc.strict TXT \"v=DMARC1; p=reject; adkim=s; aspf=s\"\n"
    "strict A 192.0.2.3\n"
    "_dmarc.test TXT \"v=DMARC1; p=reject; t=y\"\n"
    "test A 192.0.2.4\n"
    "_dmarc.testq TXT \"v=DMARC1; p=quarantine; t=y\"\n"
    "testq A 192.0.2.5\n"
    "_dmarc.nop TXT \"v=DMARC1; p=bogus\"\n"
    "nop A 192.0.2.6\n"
    "_dmarc.monitor TXT \"v=DMARC1; p=none\"\n"
    "monitor A 192.0.2.7\n"
    ";! TIMEOUT _dmarc.slow TXT\n"
    "slow A 192.0.2.8\n"
    ";! TIMEOUT ghost A\n"
    "$ORIGIN example.org.\n"
    "_dmarc TXT \"v=DMARC1; p=quarantine\"\n"
    "@ A 192.0.2.20\n"
    ";! TIMEOUT _dmarc.flaky TXT\n"
    "$ORIGIN psd.example.\n"
    "_dmarc TXT \"v=DMARC1; p=reject; psd=y\"\n"
    "a A 192.0.2.30\n"
    "b A 192.0.2.31\n";

static struct inkan_resolver *
zone_resolver(void)
{
	struct inkan_resolver *r = NULL;
	struct inkan_zone_error zerr;

	assert_int_equal(inkan_resolver_new_zone(NULL, &r), INKAN_OK);
	if (inkan_resolver_zone_load_string(r, zone, sizeof(zone) - 1, &zerr) !=
	    INKAN_OK)
		fail_msg("zone line %zu: %s", zerr.line, zerr.message);
	return r;
}

static struct inkan_dmarc *
context(struct inkan_resolver *r, enum inkan_dmarc_multi_from multi)
{
	struct inkan_dmarc_options opt;
	struct inkan_dmarc *d = NULL;

	inkan_dmarc_options_init(&opt);
	opt.multi_from = multi;
	assert_int_equal(inkan_dmarc_new(r, NULL, &opt, &d), INKAN_OK);
	return d;
}

/* A message as the pipeline sees it. */
struct msg {
	const char *from; /* the From field value; NULL: no From field */
	enum inkan_spf_result spf; /* NONE with spf_domain NULL: not run */
	const char *spf_domain;
	enum inkan_spf_identity spf_id;
	const char *mail_from;
	const char *dkim1; /* "d=domain" of a signature, or NULL */
	enum inkan_dkim_result dkim1_result;
	const char *dkim2;
	enum inkan_dkim_result dkim2_result;
};

/* Storage for one request built from a struct msg. */
struct built {
	struct inkan_arena arena;
	struct inkan_addr_from from;
	struct inkan_spf_verdict spf;
	struct inkan_dkim_sig sigs[2];
	struct inkan_dmarc_request req;
};

static void
build(struct built *b, const struct msg *m)
{
	size_t n = 0;

	memset(b, 0, sizeof(*b));
	inkan_arena_init(&b->arena, 1 << 20);
	if (m->from != NULL) {
		assert_int_equal(
		    inkan_addr_from_domains(
			m->from, strlen(m->from), NULL, 0, &b->arena, &b->from),
		    INKAN_OK);
		b->req.from = &b->from;
	}
	if (m->spf_domain != NULL) {
		b->spf.result = m->spf;
		b->spf.identity = m->spf_id;
		b->spf.domain = m->spf_domain;
		b->spf.reason = "test";
		b->req.spf = &b->spf;
	}
	if (m->dkim1 != NULL) {
		b->sigs[n].domain = m->dkim1;
		b->sigs[n].selector = "sel1";
		b->sigs[n].result = m->dkim1_result;
		b->sigs[n].reason = "test";
		n++;
	}
	if (m->dkim2 != NULL) {
		b->sigs[n].domain = m->dkim2;
		b->sigs[n].selector = "sel2";
		b->sigs[n].result = m->dkim2_result;
		n++;
	}
	b->req.dkim = n > 0 ? b->sigs : NULL;
	b->req.ndkim = n;
	b->req.mail_from = m->mail_from;
	b->req.rcpt_to = "bob@Receiver.example";
	b->req.helo = "mx.sender.example";
	assert_int_equal(
	    inkan_spf_ip_parse("192.0.2.99", &b->req.ip), INKAN_OK);
}

#define P INKAN_DKIM_PASS
#define F INKAN_DKIM_FAIL
#define MF INKAN_SPF_ID_MAILFROM
#define HELO INKAN_SPF_ID_HELO

struct eval_case {
	const char *name;
	struct msg m;
	enum inkan_dmarc_result result;
	enum inkan_dmarc_disposition disp;
	enum inkan_dmarc_policy_tag tag;
	bool spf_aligned, dkim_aligned;
};

static const struct eval_case cases[] = {
	{ "dkim same domain",
	    { "a@example.com", 0, NULL, MF, NULL, "example.com", P, NULL, 0 },
	    INKAN_DMARC_PASS, INKAN_DMARC_DISP_PASS, INKAN_DMARC_TAG_P, false,
	    true },
	{ "dkim relaxed subdomain",
	    { "a@example.com", 0, NULL, MF, NULL, "mail.example.com", P, NULL,
		0 },
	    INKAN_DMARC_PASS, INKAN_DMARC_DISP_PASS, INKAN_DMARC_TAG_P, false,
	    true },
	{ "second signature aligns",
	    { "a@example.com", 0, NULL, MF, NULL, "example.net", P,
		"example.com", P },
	    INKAN_DMARC_PASS, INKAN_DMARC_DISP_PASS, INKAN_DMARC_TAG_P, false,
	    true },
	{ "spf relaxed",
	    { "a@example.com", INKAN_SPF_PASS, "bounce.example.com", MF,
		"x@bounce.example.com", NULL, 0, NULL, 0 },
	    INKAN_DMARC_PASS, INKAN_DMARC_DISP_PASS, INKAN_DMARC_TAG_P, true,
	    false },
	{ "spf softfail does not count",
	    { "a@example.com", INKAN_SPF_SOFTFAIL, "example.com", MF,
		"x@example.com", NULL, 0, NULL, 0 },
	    INKAN_DMARC_FAIL, INKAN_DMARC_DISP_REJECT, INKAN_DMARC_TAG_P, false,
	    false },
	{ "dkim fail does not count",
	    { "a@example.com", 0, NULL, MF, NULL, "example.com", F, NULL, 0 },
	    INKAN_DMARC_FAIL, INKAN_DMARC_DISP_REJECT, INKAN_DMARC_TAG_P, false,
	    false },
	{ "unaligned passes",
	    { "a@example.com", INKAN_SPF_PASS, "example.net", MF,
		"x@example.net", "example.net", P, NULL, 0 },
	    INKAN_DMARC_FAIL, INKAN_DMARC_DISP_REJECT, INKAN_DMARC_TAG_P, false,
	    false },
	{ "strict: parent domain not aligned",
	    { "a@strict.example.com", INKAN_SPF_PASS, "mail.strict.example.com",
		MF, "x@mail.strict.example.com", "example.com", P, NULL, 0 },
	    INKAN_DMARC_FAIL, INKAN_DMARC_DISP_REJECT, INKAN_DMARC_TAG_P, false,
	    false },
	{ "strict: identical",
	    { "a@strict.example.com", 0, NULL, MF, NULL, "STRICT.example.com",
		P, NULL, 0 },
	    INKAN_DMARC_PASS, INKAN_DMARC_DISP_PASS, INKAN_DMARC_TAG_P, false,
	    true },
	{ "sp for an existing subdomain",
	    { "a@mail.example.com", 0, NULL, MF, NULL, NULL, 0, NULL, 0 },
	    INKAN_DMARC_FAIL, INKAN_DMARC_DISP_QUARANTINE, INKAN_DMARC_TAG_SP,
	    false, false },
	{ "np for a subdomain that does not exist",
	    { "a@nowhere.example.com", 0, NULL, MF, NULL, NULL, 0, NULL, 0 },
	    INKAN_DMARC_FAIL, INKAN_DMARC_DISP_NONE, INKAN_DMARC_TAG_NP, false,
	    false },
	{ "np: pass is pass",
	    { "a@nowhere.example.com", 0, NULL, MF, NULL, "example.com", P,
		NULL, 0 },
	    INKAN_DMARC_PASS, INKAN_DMARC_DISP_NONE, INKAN_DMARC_TAG_NP, false,
	    true },
	{ "t=y: reject becomes quarantine",
	    { "a@test.example.com", 0, NULL, MF, NULL, NULL, 0, NULL, 0 },
	    INKAN_DMARC_FAIL, INKAN_DMARC_DISP_QUARANTINE, INKAN_DMARC_TAG_P,
	    false, false },
	{ "t=y: quarantine becomes none",
	    { "a@testq.example.com", 0, NULL, MF, NULL, NULL, 0, NULL, 0 },
	    INKAN_DMARC_FAIL, INKAN_DMARC_DISP_NONE, INKAN_DMARC_TAG_P, false,
	    false },
	{ "t=y: pass stays pass",
	    { "a@test.example.com", 0, NULL, MF, NULL, "test.example.com", P,
		NULL, 0 },
	    INKAN_DMARC_PASS, INKAN_DMARC_DISP_PASS, INKAN_DMARC_TAG_P, false,
	    true },
	{ "p=none fail",
	    { "a@monitor.example.com", 0, NULL, MF, NULL, NULL, 0, NULL, 0 },
	    INKAN_DMARC_FAIL, INKAN_DMARC_DISP_NONE, INKAN_DMARC_TAG_P, false,
	    false },
	{ "p=none pass",
	    { "a@monitor.example.com", 0, NULL, MF, NULL, "example.com", P,
		NULL, 0 },
	    INKAN_DMARC_PASS, INKAN_DMARC_DISP_NONE, INKAN_DMARC_TAG_P, false,
	    true },
	{ "no record",
	    { "a@example.net", 0, NULL, MF, NULL, "example.net", P, NULL, 0 },
	    INKAN_DMARC_NONE, INKAN_DMARC_DISP_NONE, INKAN_DMARC_TAG_NONE,
	    false, false },
	{ "record without usable policy",
	    { "a@nop.example.com", 0, NULL, MF, NULL, NULL, 0, NULL, 0 },
	    INKAN_DMARC_NONE, INKAN_DMARC_DISP_NONE, INKAN_DMARC_TAG_NONE,
	    false, false },
	{ "policy lookup times out",
	    { "a@slow.example.com", 0, NULL, MF, NULL, "example.com", P, NULL,
		0 },
	    INKAN_DMARC_TEMPERROR, INKAN_DMARC_DISP_NONE, INKAN_DMARC_TAG_NONE,
	    false, false },
	{ "existence check times out",
	    { "a@ghost.example.com", 0, NULL, MF, NULL, NULL, 0, NULL, 0 },
	    INKAN_DMARC_TEMPERROR, INKAN_DMARC_DISP_NONE, INKAN_DMARC_TAG_SP,
	    false, false },
	{ "alignment walk times out",
	    { "a@example.org", 0, NULL, MF, NULL, "x.flaky.example.org", P,
		NULL, 0 },
	    INKAN_DMARC_TEMPERROR, INKAN_DMARC_DISP_NONE, INKAN_DMARC_TAG_P,
	    false, false },
	{ "alignment walk times out, spf aligns",
	    { "a@example.org", INKAN_SPF_PASS, "example.org", MF,
		"x@example.org", "x.flaky.example.org", P, NULL, 0 },
	    INKAN_DMARC_PASS, INKAN_DMARC_DISP_PASS, INKAN_DMARC_TAG_P, true,
	    false },
	{ "psd: spf below the org domain",
	    { "a@a.psd.example", INKAN_SPF_PASS, "x.a.psd.example", MF,
		"b@x.a.psd.example", NULL, 0, NULL, 0 },
	    INKAN_DMARC_PASS, INKAN_DMARC_DISP_PASS, INKAN_DMARC_TAG_P, true,
	    false },
	{ "psd: a sibling is another organisation",
	    { "a@a.psd.example", 0, NULL, MF, NULL, "b.psd.example", P, NULL,
		0 },
	    INKAN_DMARC_FAIL, INKAN_DMARC_DISP_REJECT, INKAN_DMARC_TAG_P, false,
	    false },
	{ "helo identity for a null path",
	    { "a@example.com", INKAN_SPF_PASS, "mail.example.com", HELO, "",
		NULL, 0, NULL, 0 },
	    INKAN_DMARC_PASS, INKAN_DMARC_DISP_PASS, INKAN_DMARC_TAG_P, true,
	    false },
	{ "helo identity with a mail from is not used",
	    { "a@example.com", INKAN_SPF_PASS, "mail.example.com", HELO,
		"x@example.net", NULL, 0, NULL, 0 },
	    INKAN_DMARC_FAIL, INKAN_DMARC_DISP_REJECT, INKAN_DMARC_TAG_P, false,
	    false },
	{ "display name and case",
	    { "\"Alice\" <alice@EXAMPLE.com>", 0, NULL, MF, NULL, "example.com",
		P, NULL, 0 },
	    INKAN_DMARC_PASS, INKAN_DMARC_DISP_PASS, INKAN_DMARC_TAG_P, false,
	    true },
};

static void
test_cases(void **state)
{
	struct inkan_resolver *r = zone_resolver();
	struct inkan_dmarc *d = context(r, INKAN_DMARC_MULTI_NONE);
	size_t i, failures = 0;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct eval_case *c = &cases[i];
		struct inkan_dmarc_verdict *v = NULL;
		struct built b;

		build(&b, &c->m);
		assert_int_equal(inkan_dmarc_evaluate(d, &b.req, &v), INKAN_OK);
		if (v->result != c->result || v->disposition != c->disp ||
		    v->policy_tag != c->tag ||
		    v->spf_aligned != c->spf_aligned ||
		    v->dkim_aligned != c->dkim_aligned) {
			print_error("%s:\n  got  %s disposition %s tag %s spf "
				    "%d dkim %d\n  want %s disposition %s tag "
				    "%s spf %d dkim %d\n  reason: %s\n",
			    c->name, inkan_dmarc_result_name(v->result),
			    inkan_dmarc_disposition_name(v->disposition),
			    inkan_dmarc_policy_tag_name(v->policy_tag),
			    v->spf_aligned, v->dkim_aligned,
			    inkan_dmarc_result_name(c->result),
			    inkan_dmarc_disposition_name(c->disp),
			    inkan_dmarc_policy_tag_name(c->tag), c->spf_aligned,
			    c->dkim_aligned, v->reason);
			failures++;
		}
		assert_non_null(v->reason);
		assert_int_equal(v->report.disposition, v->disposition);
		inkan_dmarc_verdict_free(&v);
		assert_null(v);
		inkan_arena_clear(&b.arena);
	}
	inkan_dmarc_free(&d);
	inkan_resolver_free(&r);
	assert_int_equal(failures, 0);
}

static struct inkan_dmarc_verdict *
eval1(struct inkan_dmarc *d, const struct msg *m)
{
	struct inkan_dmarc_verdict *v = NULL;
	struct built b;

	build(&b, m);
	assert_int_equal(inkan_dmarc_evaluate(d, &b.req, &v), INKAN_OK);
	inkan_arena_clear(&b.arena);
	return v;
}

static void
test_verdict_fields(void **state)
{
	static const struct msg m = { "a@mail.example.com", INKAN_SPF_PASS,
		"bounce.example.com", MF, "<x@Bounce.Example.COM>",
		"mail.example.com", P, "example.net", F };
	struct inkan_resolver *r = zone_resolver();
	struct inkan_dmarc *d = context(r, INKAN_DMARC_MULTI_NONE);
	struct inkan_dmarc_verdict *v = eval1(d, &m);
	const struct inkan_dmarc_report_record *rep = &v->report;

	(void)state;
	assert_int_equal(v->result, INKAN_DMARC_PASS);
	assert_string_equal(v->from_domain, "mail.example.com");
	assert_string_equal(v->policy_domain, "example.com");
	assert_string_equal(v->org_domain, "example.com");
	assert_non_null(v->record);
	assert_string_equal(v->record_text, v->record->text);
	assert_int_equal(v->policy, INKAN_DMARC_POLICY_QUARANTINE);
	assert_int_equal(v->policy_tag, INKAN_DMARC_TAG_SP);
	assert_true(v->author_exists);
	assert_string_equal(v->spf_aligned_domain, "bounce.example.com");
	assert_string_equal(v->dkim_aligned_domain, "mail.example.com");
	assert_true(v->nsteps >= 3);
	assert_string_equal(v->steps[0].name, "_dmarc.mail.example.com");
	/* The report row. */
	assert_int_equal(rep->source_ip.family, v->report.source_ip.family);
	assert_string_equal(rep->header_from, "mail.example.com");
	assert_string_equal(rep->envelope_from, "bounce.example.com");
	assert_string_equal(rep->envelope_to, "receiver.example");
	assert_string_equal(rep->policy_domain, "example.com");
	assert_int_equal(rep->p, INKAN_DMARC_POLICY_REJECT);
	assert_int_equal(rep->sp, INKAN_DMARC_POLICY_QUARANTINE);
	assert_int_equal(rep->np, INKAN_DMARC_POLICY_NONE);
	assert_int_equal(rep->discovery_method, INKAN_DMARC_MODE_TREEWALK);
	assert_string_equal(rep->fo, "1");
	assert_true(rep->dkim_aligned_pass && rep->spf_aligned_pass);
	assert_int_equal(rep->disposition, INKAN_DMARC_DISP_PASS);
	assert_int_equal(rep->ndkim, 2);
	assert_string_equal(rep->dkim[0].domain, "mail.example.com");
	assert_string_equal(rep->dkim[0].selector, "sel1");
	assert_int_equal(rep->dkim[0].result, INKAN_DKIM_PASS);
	assert_int_equal(rep->dkim[1].result, INKAN_DKIM_FAIL);
	assert_true(rep->has_spf);
	assert_string_equal(rep->spf.domain, "bounce.example.com");
	assert_int_equal(rep->spf.scope, INKAN_SPF_ID_MAILFROM);
	assert_int_equal(rep->spf.result, INKAN_SPF_PASS);
	assert_int_equal(rep->nreasons, 0);
	inkan_dmarc_verdict_free(&v);

	/* t=y: the override reason. */
	{
		static const struct msg t = { "a@test.example.com", 0, NULL, MF,
			"", NULL, 0, NULL, 0 };

		v = eval1(d, &t);
		assert_int_equal(v->report.nreasons, 1);
		assert_int_equal(v->report.reasons[0].type,
		    INKAN_DMARC_OVERRIDE_POLICY_TEST_MODE);
		assert_true(v->testing && v->report.testing);
		assert_int_equal(v->policy, INKAN_DMARC_POLICY_REJECT);
		/* Null path: the HELO name is the envelope_from. */
		assert_string_equal(
		    v->report.envelope_from, "mx.sender.example");
		assert_false(v->report.has_spf);
		inkan_dmarc_verdict_free(&v);
	}
	/* np: the author does not exist. */
	{
		static const struct msg n = { "a@nowhere.example.com", 0, NULL,
			MF, NULL, NULL, 0, NULL, 0 };

		v = eval1(d, &n);
		assert_false(v->author_exists);
		assert_int_equal(v->policy, INKAN_DMARC_POLICY_NONE);
		assert_non_null(strstr(v->reason, "does not exist"));
		inkan_dmarc_verdict_free(&v);
	}
	/* A From field that needed recovery: evaluated, with a warning. */
	{
		static const struct msg rec = { "Alice <alice@example.com", 0,
			NULL, MF, NULL, "example.com", P, NULL, 0 };
		size_t k;
		bool warned = false;

		v = eval1(d, &rec);
		assert_int_equal(v->result, INKAN_DMARC_PASS);
		for (k = 0; k < v->nwarnings; k++)
			if (strstr(v->warnings[k], "not RFC 5322") != NULL)
				warned = true;
		assert_true(warned);
		inkan_dmarc_verdict_free(&v);
	}
	inkan_dmarc_free(&d);
	inkan_resolver_free(&r);
}

struct multi_case {
	const char *name;
	enum inkan_dmarc_multi_from multi;
	const char *from;
	enum inkan_dmarc_result result;
	enum inkan_dmarc_disposition disp;
	size_t nparts;
};

static void
test_from_count(void **state)
{
	static const struct multi_case mcases[] = {
		{ "no From: none", INKAN_DMARC_MULTI_NONE, NULL,
		    INKAN_DMARC_NONE, INKAN_DMARC_DISP_NONE, 0 },
		{ "no From: reject", INKAN_DMARC_MULTI_REJECT, NULL,
		    INKAN_DMARC_PERMERROR, INKAN_DMARC_DISP_REJECT, 0 },
		{ "empty From", INKAN_DMARC_MULTI_EACH, "undisclosed:;",
		    INKAN_DMARC_NONE, INKAN_DMARC_DISP_NONE, 0 },
		{ "two domains: none", INKAN_DMARC_MULTI_NONE,
		    "a@example.com, b@example.org", INKAN_DMARC_NONE,
		    INKAN_DMARC_DISP_NONE, 0 },
		{ "two domains: reject", INKAN_DMARC_MULTI_REJECT,
		    "a@example.com, b@example.org", INKAN_DMARC_FAIL,
		    INKAN_DMARC_DISP_REJECT, 0 },
		/* example.com passes by DKIM, example.org fails under
		   p=quarantine: the strictest failure decides. */
		{ "two domains: each", INKAN_DMARC_MULTI_EACH,
		    "a@example.com, b@example.org", INKAN_DMARC_FAIL,
		    INKAN_DMARC_DISP_QUARANTINE, 2 },
		{ "same domain twice is one", INKAN_DMARC_MULTI_NONE,
		    "a@example.com, b@EXAMPLE.com", INKAN_DMARC_PASS,
		    INKAN_DMARC_DISP_PASS, 0 },
		{ "each: all pass", INKAN_DMARC_MULTI_EACH,
		    "a@example.com, b@mail.example.com", INKAN_DMARC_PASS,
		    INKAN_DMARC_DISP_PASS, 2 },
		{ "each: pass and no record", INKAN_DMARC_MULTI_EACH,
		    "a@example.com, b@example.net", INKAN_DMARC_PASS,
		    INKAN_DMARC_DISP_PASS, 2 },
		{ "each: temperror", INKAN_DMARC_MULTI_EACH,
		    "a@example.com, b@slow.example.com", INKAN_DMARC_TEMPERROR,
		    INKAN_DMARC_DISP_NONE, 2 },
		{ "each: unusable author fails", INKAN_DMARC_MULTI_EACH,
		    "a@example.com, b@[192.0.2.1]", INKAN_DMARC_FAIL,
		    INKAN_DMARC_DISP_REJECT, 1 },
		{ "each: too many", INKAN_DMARC_MULTI_EACH,
		    "a@a.example, b@b.example, c@c.example, d@d.example, "
		    "e@e.example",
		    INKAN_DMARC_NONE, INKAN_DMARC_DISP_NONE, 0 },
	};
	struct inkan_resolver *r = zone_resolver();
	size_t i, k, failures = 0;

	(void)state;
	for (i = 0; i < sizeof(mcases) / sizeof(mcases[0]); i++) {
		const struct multi_case *c = &mcases[i];
		struct inkan_dmarc *d = context(r, c->multi);
		struct msg m = { c->from, 0, NULL, MF, NULL, "example.com", P,
			NULL, 0 };
		struct inkan_dmarc_verdict *v = eval1(d, &m);

		if (v->result != c->result || v->disposition != c->disp ||
		    v->nparts != c->nparts) {
			print_error("%s: got %s/%s/%zu parts, want %s/%s/%zu "
				    "(%s)\n",
			    c->name, inkan_dmarc_result_name(v->result),
			    inkan_dmarc_disposition_name(v->disposition),
			    v->nparts, inkan_dmarc_result_name(c->result),
			    inkan_dmarc_disposition_name(c->disp), c->nparts,
			    v->reason);
			failures++;
		}
		for (k = 0; k < v->nparts; k++)
			assert_non_null(v->parts[k].reason);
		if (c->multi == INKAN_DMARC_MULTI_REJECT)
			assert_int_equal(v->report.nreasons, 1);
		inkan_dmarc_verdict_free(&v);
		inkan_dmarc_free(&d);
	}
	inkan_resolver_free(&r);
	assert_int_equal(failures, 0);
}

static void
test_warm(void **state)
{
	static const struct msg m = { "a@example.com", INKAN_SPF_PASS,
		"bounce.example.com", MF, "x@bounce.example.com",
		"mail.example.com", P, NULL, 0 };
	struct inkan_resolver *r = zone_resolver();
	struct inkan_dmarc *d = context(r, INKAN_DMARC_MULTI_NONE);
	struct inkan_dmarc_verdict *v;
	uint64_t before;
	size_t i;

	(void)state;
	v = eval1(d, &m);
	assert_int_equal(v->result, INKAN_DMARC_PASS);
	inkan_dmarc_verdict_free(&v);
	/* Warm: the policy and every Organizational Domain walk from the
	   cache. */
	before = inkan_resolver_queries(r);
	v = eval1(d, &m);
	assert_int_equal(v->result, INKAN_DMARC_PASS);
	assert_int_equal(inkan_resolver_queries(r) - before, 0);
	for (i = 0; i < v->nsteps; i++)
		assert_true(v->steps[i].cached);
	inkan_dmarc_verdict_free(&v);
	inkan_dmarc_free(&d);
	inkan_resolver_free(&r);
}

/* RFC 7489 mode: the PSL gives the Organizational Domains, psd= is
   ignored, so what the tree walk keeps apart aligns here. */
static void
test_rfc7489(void **state)
{
	static const struct msg sub = { "a@mail.example.com", 0, NULL, MF, NULL,
		"example.com", P, NULL, 0 };
	static const struct msg psd = { "a@a.psd.example", 0, NULL, MF, NULL,
		"b.psd.example", P, NULL, 0 };
	struct inkan_resolver *r = zone_resolver();
	struct inkan_dmarc_options opt;
	struct inkan_dmarc *d = NULL;
	struct inkan_dmarc_verdict *v;

	(void)state;
	inkan_dmarc_options_init(&opt);
	opt.mode = INKAN_DMARC_MODE_RFC7489;
	assert_int_equal(inkan_dmarc_new(r, NULL, &opt, &d), INKAN_OK);
	v = eval1(d, &sub);
	assert_int_equal(v->result, INKAN_DMARC_PASS);
	assert_string_equal(v->policy_domain, "example.com");
	assert_int_equal(v->policy_tag, INKAN_DMARC_TAG_SP);
	assert_int_equal(v->report.discovery_method, INKAN_DMARC_MODE_RFC7489);
	assert_int_equal(v->nsteps, 2);
	inkan_dmarc_verdict_free(&v);
	v = eval1(d, &psd);
	assert_int_equal(v->result, INKAN_DMARC_PASS);
	assert_string_equal(v->policy_domain, "psd.example");
	assert_string_equal(v->org_domain, "psd.example");
	inkan_dmarc_verdict_free(&v);
	inkan_dmarc_free(&d);
	inkan_resolver_free(&r);
}

static void
test_args(void **state)
{
	struct inkan_resolver *r = zone_resolver();
	struct inkan_dmarc *d = context(r, INKAN_DMARC_MULTI_NONE);
	struct inkan_dmarc_request req;
	struct inkan_dmarc_verdict *v = NULL;

	(void)state;
	memset(&req, 0, sizeof(req));
	assert_int_equal(inkan_dmarc_evaluate(NULL, &req, &v), INKAN_ERR_INVAL);
	assert_int_equal(inkan_dmarc_evaluate(d, NULL, &v), INKAN_ERR_INVAL);
	assert_int_equal(inkan_dmarc_evaluate(d, &req, NULL), INKAN_ERR_INVAL);
	req.ndkim = 1;
	assert_int_equal(inkan_dmarc_evaluate(d, &req, &v), INKAN_ERR_INVAL);
	assert_null(v);
	inkan_dmarc_verdict_free(&v);
	inkan_dmarc_verdict_free(NULL);
	inkan_dmarc_free(&d);
	inkan_resolver_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_verdict_fields),
		cmocka_unit_test(test_from_count),
		cmocka_unit_test(test_warm),
		cmocka_unit_test(test_rfc7489),
		cmocka_unit_test(test_args),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
