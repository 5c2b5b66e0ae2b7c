/*
 * dmarc_treewalk.c: the DNS Tree Walk examples of RFC 9989 (the DMARCbis
 * text in dmarc-aggregate-schemas/spec-drafts/ of INKAN_TESTSUITES_DIR):
 * Appendix B.4.1, B.4.2 and B.4.3, the query list illustrating section
 * 4.10, and the three examples at the end of 4.10.2.
 *
 * The RFC describes which names have DMARC Policy Records in prose; the
 * zones below publish exactly those (the policies themselves are not
 * given by the RFC and are chosen here). For each example the driver
 * checks the Organizational Domain, the DMARC Policy Domain where the RFC
 * names one, the queries in order where the RFC lists them, and for the
 * B.4 messages the SPF and DKIM alignment the RFC concludes. The driver
 * first checks that the RFC text is there and mentions each example's
 * domain, so that the cases stay tied to their source.
 *
 * Output: the suite, a line per failure, then "ran N, passed P, failed F,
 * skipped S". Exit 1 on a failure, 77 when the RFC text is absent.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <inkan/dmarc.h>
#include <inkan/inkan.h>

#include "suite.h"

#define SUITE "dmarc-aggregate-schemas/spec-drafts"
#define SPEC "draft-ietf-dmarc-dmarcbis-41.txt"

/* B.4.1 and B.4.2: example.com and signing.example.com, not com. */
static const char zone_b41[] =
    "$TTL 300\n"
    "_dmarc.example.com. TXT \"v=DMARC1; p=reject\"\n"
    "_dmarc.signing.example.com. TXT \"v=DMARC1; p=none\"\n"
    "example.com. A 192.0.2.1\n"
    "signing.example.com. A 192.0.2.2\n";

/* B.4.3: bank.example with psd=y, giant.bank.example without psd. */
static const char zone_b43[] =
    "$TTL 300\n"
    "_dmarc.bank.example. TXT \"v=DMARC1; p=reject; psd=y\"\n"
    "_dmarc.giant.bank.example. TXT \"v=DMARC1; p=quarantine\"\n"
    "giant.bank.example. A 192.0.2.10\n"
    "mail.giant.bank.example. A 192.0.2.11\n"
    "mail.mega.bank.example. A 192.0.2.12\n";

/* 4.10.2, first example: mail.example.com and example.com. */
static const char zone_4102a[] =
    "$TTL 300\n"
    "_dmarc.mail.example.com. TXT \"v=DMARC1; p=none\"\n"
    "_dmarc.example.com. TXT \"v=DMARC1; p=reject\"\n";

/* 4.10.2, second example: mail.example.com with psd=n. */
static const char zone_4102b[] =
    "$TTL 300\n"
    "_dmarc.mail.example.com. TXT \"v=DMARC1; p=none; psd=n\"\n"
    "_dmarc.example.com. TXT \"v=DMARC1; p=reject\"\n";

/* 4.10.2, last example: only com, with psd=y. */
static const char zone_4102c[] =
    "$TTL 300\n"
    "_dmarc.com. TXT \"v=DMARC1; p=reject; psd=y\"\n";

struct walk_case {
	const char *name;
	const char *zone;
	const char *domain;
	const char *org;
	const char *policy_domain; /* NULL: the RFC does not say */
	const char *queries[9]; /* NULL-terminated; empty: not listed */
};

static const struct walk_case walks[] = {
	{ "B.4.1 Author Domain", zone_b41, "example.com", "example.com",
	    "example.com", { "_dmarc.example.com", "_dmarc.com", NULL } },
	{ "B.4.1 DKIM identifier", zone_b41, "signing.example.com",
	    "example.com", NULL,
	    { "_dmarc.signing.example.com", "_dmarc.example.com", "_dmarc.com",
		NULL } },
	{ "B.4.2 Author Domain", zone_b41, "a.b.c.d.e.f.g.h.i.j.k.example.com",
	    "example.com", "example.com",
	    { "_dmarc.a.b.c.d.e.f.g.h.i.j.k.example.com",
		"_dmarc.g.h.i.j.k.example.com", "_dmarc.h.i.j.k.example.com",
		"_dmarc.i.j.k.example.com", "_dmarc.j.k.example.com",
		"_dmarc.k.example.com", "_dmarc.example.com", "_dmarc.com",
		NULL } },
	{ "B.4.2 DKIM identifier", zone_b41, "signing.example.com",
	    "example.com", NULL, { NULL } },
	{ "B.4.3 Author Domain", zone_b43, "giant.bank.example",
	    "giant.bank.example", "giant.bank.example",
	    { "_dmarc.giant.bank.example", "_dmarc.bank.example", NULL } },
	{ "B.4.3 RFC5321.MailFrom domain", zone_b43, "mail.giant.bank.example",
	    "giant.bank.example", NULL,
	    { "_dmarc.mail.giant.bank.example", "_dmarc.giant.bank.example",
		"_dmarc.bank.example", NULL } },
	{ "B.4.3 DKIM identifier", zone_b43, "mail.mega.bank.example",
	    "mega.bank.example", NULL,
	    { "_dmarc.mail.mega.bank.example", "_dmarc.mega.bank.example",
		"_dmarc.bank.example", NULL } },
	{ "4.10 eight queries", zone_b41,
	    "a.b.c.d.e.f.g.h.i.j.mail.example.com", "example.com",
	    "example.com",
	    { "_dmarc.a.b.c.d.e.f.g.h.i.j.mail.example.com",
		"_dmarc.g.h.i.j.mail.example.com",
		"_dmarc.h.i.j.mail.example.com", "_dmarc.i.j.mail.example.com",
		"_dmarc.j.mail.example.com", "_dmarc.mail.example.com",
		"_dmarc.example.com", "_dmarc.com", NULL } },
	{ "4.10.2 records at mail.example.com and example.com", zone_4102a,
	    "a.mail.example.com", "example.com", NULL,
	    { "_dmarc.a.mail.example.com", "_dmarc.mail.example.com",
		"_dmarc.example.com", "_dmarc.com", NULL } },
	{ "4.10.2 psd=n at mail.example.com", zone_4102b, "a.mail.example.com",
	    "mail.example.com", NULL,
	    { "_dmarc.a.mail.example.com", "_dmarc.mail.example.com", NULL } },
	{ "4.10.2 only com, psd=y", zone_4102c, "a.mail.example.com",
	    "example.com", NULL,
	    { "_dmarc.a.mail.example.com", "_dmarc.mail.example.com",
		"_dmarc.example.com", "_dmarc.com", NULL } },
};

/* The B.4 messages and the alignment the RFC concludes. */
struct msg_case {
	const char *name;
	const char *zone;
	const char *author, *mail_from, *dkim_d;
	bool spf_aligned, dkim_aligned;
	const char *policy_domain;
	/* The queries the evaluation may make; 0: not checked. */
	size_t max_queries;
};

static const struct msg_case msgs[] = {
	{ "B.4.1", zone_b41, "example.com", "example.com",
	    "signing.example.com", true, true, "example.com", 0 },
	{ "B.4.2", zone_b41, "a.b.c.d.e.f.g.h.i.j.k.example.com", "example.com",
	    "signing.example.com", true, true, "example.com", 0 },
	{ "B.4.3", zone_b43, "giant.bank.example", "mail.giant.bank.example",
	    "mail.mega.bank.example", true, false, "giant.bank.example", 0 },
	/* 4.10.2, first note: the Author Domain and the identifiers are
	   one domain with a record of its own: no walk is needed. */
	{ "4.10.2 note 1", zone_4102a, "mail.example.com", "mail.example.com",
	    "mail.example.com", true, true, "mail.example.com", 1 },
};

static struct inkan_dmarc *
context_for(const char *zone, struct inkan_resolver **r_r)
{
	struct inkan_zone_error zerr;
	struct inkan_dmarc *d = NULL;

	*r_r = NULL;
	if (inkan_resolver_new_zone(NULL, r_r) != INKAN_OK ||
	    inkan_resolver_zone_load_string(*r_r, zone, strlen(zone), &zerr) !=
		INKAN_OK ||
	    inkan_dmarc_new(*r_r, NULL, NULL, &d) != INKAN_OK) {
		inkan_resolver_free(r_r);
		return NULL;
	}
	return d;
}

static bool
check_walk(const struct walk_case *c)
{
	struct inkan_resolver *r;
	struct inkan_dmarc *d = context_for(c->zone, &r);
	struct inkan_dmarc_lookup *lk = NULL;
	bool ok = true;
	size_t i, n = 0;

	if (d == NULL || inkan_dmarc_lookup(d, c->domain, &lk) != INKAN_OK) {
		printf("FAIL %s: cannot look up %s\n", c->name, c->domain);
		ok = false;
		goto out;
	}
	if (lk->org_domain == NULL || strcmp(lk->org_domain, c->org) != 0) {
		printf("FAIL %s (%s): Organizational Domain got %s, want %s\n",
		    c->name, c->domain,
		    lk->org_domain != NULL ? lk->org_domain : "(none)", c->org);
		ok = false;
	}
	if (c->policy_domain != NULL &&
	    (lk->policy_domain == NULL ||
		strcmp(lk->policy_domain, c->policy_domain) != 0)) {
		printf("FAIL %s (%s): policy domain got %s, want %s\n", c->name,
		    c->domain,
		    lk->policy_domain != NULL ? lk->policy_domain : "(none)",
		    c->policy_domain);
		ok = false;
	}
	while (n < 9 && c->queries[n] != NULL)
		n++;
	if (n > 0) {
		bool same = lk->nsteps == n;

		for (i = 0; same && i < n; i++)
			same = strcmp(lk->steps[i].name, c->queries[i]) == 0;
		if (!same) {
			printf("FAIL %s (%s): queries got", c->name, c->domain);
			for (i = 0; i < lk->nsteps; i++)
				printf(" %s", lk->steps[i].name);
			printf(", want");
			for (i = 0; i < n; i++)
				printf(" %s", c->queries[i]);
			printf("\n");
			ok = false;
		}
	}
out:
	inkan_dmarc_lookup_free(&lk);
	inkan_dmarc_free(&d);
	inkan_resolver_free(&r);
	return ok;
}

static bool
check_msg(const struct msg_case *c)
{
	struct inkan_resolver *r;
	struct inkan_dmarc *d = context_for(c->zone, &r);
	struct inkan_dmarc_verdict *v = NULL;
	struct inkan_dmarc_request req;
	struct inkan_addr_from from;
	struct inkan_view dom;
	struct inkan_spf_verdict spf;
	struct inkan_dkim_sig sig;
	char mail_from[300];
	bool ok = true;

	memset(&req, 0, sizeof(req));
	memset(&from, 0, sizeof(from));
	memset(&spf, 0, sizeof(spf));
	memset(&sig, 0, sizeof(sig));
	dom = inkan_view_cstr(c->author);
	from.count = INKAN_ADDR_FROM_ONE;
	from.domains = &dom;
	from.ndomains = 1;
	spf.result = INKAN_SPF_PASS;
	spf.identity = INKAN_SPF_ID_MAILFROM;
	spf.domain = c->mail_from;
	sig.result = INKAN_DKIM_PASS;
	sig.domain = c->dkim_d;
	sig.selector = "s";
	snprintf(mail_from, sizeof(mail_from), "bounce@%s", c->mail_from);
	req.from = &from;
	req.spf = &spf;
	req.dkim = &sig;
	req.ndkim = 1;
	req.mail_from = mail_from;
	if (d == NULL || inkan_dmarc_evaluate(d, &req, &v) != INKAN_OK) {
		printf("FAIL message %s: cannot evaluate\n", c->name);
		ok = false;
		goto out;
	}
	if (v->spf_aligned != c->spf_aligned ||
	    v->dkim_aligned != c->dkim_aligned ||
	    v->result != INKAN_DMARC_PASS || v->policy_domain == NULL ||
	    strcmp(v->policy_domain, c->policy_domain) != 0) {
		printf("FAIL message %s: got %s, SPF aligned %d, DKIM aligned "
		       "%d, policy domain %s; want pass, %d, %d, %s (%s)\n",
		    c->name, inkan_dmarc_result_name(v->result), v->spf_aligned,
		    v->dkim_aligned,
		    v->policy_domain != NULL ? v->policy_domain : "(none)",
		    c->spf_aligned, c->dkim_aligned, c->policy_domain,
		    v->reason);
		ok = false;
	}
	if (ok && c->max_queries > 0 &&
	    inkan_resolver_queries(r) > c->max_queries) {
		printf("FAIL message %s: %llu DNS queries, want at most %zu\n",
		    c->name, (unsigned long long)inkan_resolver_queries(r),
		    c->max_queries);
		ok = false;
	}
out:
	inkan_dmarc_verdict_free(&v);
	inkan_dmarc_free(&d);
	inkan_resolver_free(&r);
	return ok;
}

int
main(void)
{
	struct suite_counts c = { 0, 0, 0 };
	struct inkan_buf file;
	char dir[4096], *spec;
	size_t i;

	printf("suite: RFC 9989 tree-walk examples (B.4, 4.10, 4.10.2) from "
	       "%s/%s/%s\n",
	    INKAN_TESTSUITES_DIR, SUITE, SPEC);
	inkan_buf_init(&file, SUITE_FILE_MAX);
	/* The RFC text, to tie each case to it. */
	if (!suite_dir(SUITE, dir, sizeof(dir)) ||
	    (spec = suite_read_text(dir, SPEC, &file)) == NULL) {
		printf("SKIP: %s/%s/%s is not there\n", INKAN_TESTSUITES_DIR,
		    SUITE, SPEC);
		inkan_buf_clear(&file);
		return 77;
	}
	for (i = 0; i < sizeof(walks) / sizeof(walks[0]); i++) {
		if (strstr(spec, walks[i].domain) == NULL)
			suite_skip(&c, "%s: the RFC text does not mention %s",
			    walks[i].name, walks[i].domain);
		else if (check_walk(&walks[i]))
			c.passed++;
		else
			c.failed++;
	}
	for (i = 0; i < sizeof(msgs) / sizeof(msgs[0]); i++) {
		if (strstr(spec, msgs[i].author) == NULL)
			suite_skip(&c,
			    "message %s: the RFC text does not mention %s",
			    msgs[i].name, msgs[i].author);
		else if (check_msg(&msgs[i]))
			c.passed++;
		else
			c.failed++;
	}
	inkan_buf_clear(&file);
	return suite_report(&c);
}
