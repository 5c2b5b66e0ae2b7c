/*
 * test_audit.c: inkan_audit_run() through the zone resolver, one small
 * zone per case: each case plants one mistake and checks the finding's
 * id and severity (and, for some, that another id is absent and the
 * grade). Then the fetcher hook (a fake HTTPS client), the handed-over
 * MTA-STS policy, and hostile record text through the JSON and HTML
 * writers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <inkan/audit.h>

#define ORIGIN "$ORIGIN t.test.\n;! SECURE t.test.\n"
#define MXOK "@ MX 10 mx1\nmx1 A 192.0.2.1\n"
#define SPFOK "@ TXT \"v=spf1 mx -all\"\n"
#define DMARCOK "_dmarc TXT \"v=DMARC1; p=reject; rua=mailto:d@t.test\"\n"
/* RFC 8463 A.2's Ed25519 public key. */
#define DKIMOK                                          \
	"default._domainkey TXT \"v=DKIM1; k=ed25519; " \
	"p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\"\n"
#define GOOD ORIGIN MXOK SPFOK DMARCOK DKIMOK

/* A 512-bit RSA key (weak on purpose). */
#define RSA512                                                   \
	"MFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBAMuWIRuxcNsA2DdOxxjg7/" \
	"JmP1w0rRFdIixFt"                                        \
	"mUAefxAm/aHPJtZlPFVhZNg6xxwN2ty0nQJNRm0IBOa3o/JpT0CAwEAAQ=="

struct audit_case {
	const char *name;
	const char *zone;
	const char *selector; /* --selector, or NULL */
	const char *want_id; /* a finding that must be there, or NULL */
	int want_sev; /* its severity */
	const char *absent_id; /* a finding that must not be, or NULL */
	char want_grade; /* or 0 */
};

static const struct audit_case cases[] = {
	{ "good", GOOD, NULL, NULL, 0, "dkim.not-found", 'A' },
	{ "null mx", ORIGIN "@ MX 0 .\n" SPFOK DMARCOK, NULL, "mx.null",
	    INKAN_AUDIT_INFO, "mta-sts.missing", 'A' },
	{ "null mx mixed", ORIGIN "@ MX 0 .\n" MXOK SPFOK DMARCOK DKIMOK, NULL,
	    "mx.null-mixed", INKAN_AUDIT_HIGH, NULL, 'C' },
	{ "no mx no address", ORIGIN "www A 192.0.2.9\n" SPFOK DMARCOK, NULL,
	    "mx.missing", INKAN_AUDIT_HIGH, NULL, 0 },
	{ "implicit mx", ORIGIN "@ A 192.0.2.9\n" SPFOK DMARCOK, NULL,
	    "mx.implicit", INKAN_AUDIT_MEDIUM, NULL, 0 },
	{ "mx without address",
	    ORIGIN "@ MX 10 gone\n" SPFOK DMARCOK DKIMOK "gone TXT \"x\"\n",
	    NULL, "mx.unresolvable", INKAN_AUDIT_HIGH, NULL, 0 },
	{ "mx is a cname",
	    ORIGIN
	    "@ MX 10 alias\nalias CNAME mx1\nmx1 A 192.0.2.1\n" SPFOK DMARCOK
		DKIMOK,
	    NULL, "mx.cname", INKAN_AUDIT_LOW, NULL, 0 },
	{ "mx lookup times out", ORIGIN ";! TIMEOUT t.test. MX\n" SPFOK DMARCOK,
	    NULL, "mx.lookup-failed", INKAN_AUDIT_HIGH, NULL, 0 },
	{ "no spf", ORIGIN MXOK DMARCOK DKIMOK, NULL, "spf.missing",
	    INKAN_AUDIT_HIGH, NULL, 'C' },
	{ "two spf", ORIGIN MXOK SPFOK "@ TXT \"v=spf1 -all\"\n" DMARCOK DKIMOK,
	    NULL, "spf.multiple", INKAN_AUDIT_HIGH, NULL, 0 },
	{ "spf syntax", ORIGIN MXOK "@ TXT \"v=spf1 mx foo -all\"\n" DMARCOK,
	    NULL, "spf.syntax", INKAN_AUDIT_HIGH, NULL, 0 },
	{ "spf +all", ORIGIN MXOK "@ TXT \"v=spf1 mx +all\"\n" DMARCOK DKIMOK,
	    NULL, "spf.pass-all", INKAN_AUDIT_CRITICAL, NULL, 'F' },
	{ "spf bare all", ORIGIN MXOK "@ TXT \"v=spf1 all\"\n" DMARCOK DKIMOK,
	    NULL, "spf.pass-all", INKAN_AUDIT_CRITICAL, NULL, 'F' },
	{ "spf ?all", ORIGIN MXOK "@ TXT \"v=spf1 mx ?all\"\n" DMARCOK DKIMOK,
	    NULL, "spf.neutral-all", INKAN_AUDIT_HIGH, NULL, 0 },
	{ "spf ~all", ORIGIN MXOK "@ TXT \"v=spf1 mx ~all\"\n" DMARCOK DKIMOK,
	    NULL, "spf.softfail-all", INKAN_AUDIT_LOW, NULL, 'A' },
	{ "spf without all", ORIGIN MXOK "@ TXT \"v=spf1 mx\"\n" DMARCOK DKIMOK,
	    NULL, "spf.no-all", INKAN_AUDIT_MEDIUM, NULL, 0 },
	{ "spf redirect gives the all",
	    ORIGIN MXOK "@ TXT \"v=spf1 redirect=r.t.test\"\n"
			"r TXT \"v=spf1 mx ?all\"\n" DMARCOK DKIMOK,
	    NULL, "spf.neutral-all", INKAN_AUDIT_HIGH, "spf.no-all", 0 },
	{ "spf ptr",
	    ORIGIN MXOK "@ TXT \"v=spf1 mx ptr -all\"\n" DMARCOK DKIMOK, NULL,
	    "spf.ptr", INKAN_AUDIT_MEDIUM, NULL, 0 },
	{ "spf include of nothing",
	    ORIGIN MXOK
	    "@ TXT \"v=spf1 mx include:none.t.test -all\"\n" DMARCOK,
	    NULL, "spf.include-missing", INKAN_AUDIT_HIGH, NULL, 0 },
	{ "spf three void lookups",
	    ORIGIN MXOK "@ TXT \"v=spf1 mx a:v1.t.test a:v2.t.test "
			"exists:v3.t.test -all\"\n" DMARCOK,
	    NULL, "spf.too-many-void", INKAN_AUDIT_HIGH, NULL, 0 },
	{ "spf eleven lookups through nested includes",
	    ORIGIN MXOK "@ TXT \"v=spf1 include:i1.t.test -all\"\n"
			"i1 TXT \"v=spf1 a mx include:i2.t.test -all\"\n"
			"i2 TXT \"v=spf1 a mx include:i3.t.test -all\"\n"
			"i3 TXT \"v=spf1 a mx include:i4.t.test -all\"\n"
			"i4 TXT \"v=spf1 a mx -all\"\n"
			"i1 A 192.0.2.1\ni2 A 192.0.2.1\ni3 A 192.0.2.1\n"
			"i4 A 192.0.2.1\ni1 MX 1 mx1.t.test.\n"
			"i2 MX 1 mx1.t.test.\ni3 MX 1 mx1.t.test.\n"
			"i4 MX 1 mx1.t.test.\n" DMARCOK,
	    NULL, "spf.too-many-lookups", INKAN_AUDIT_HIGH, NULL, 0 },
	{ "spf include loop is counted, not followed forever",
	    ORIGIN MXOK "@ TXT \"v=spf1 include:l1.t.test -all\"\n"
			"l1 TXT \"v=spf1 include:l2.t.test -all\"\n"
			"l2 TXT \"v=spf1 include:l1.t.test -all\"\n" DMARCOK,
	    NULL, NULL, 0, NULL, 0 },
	{ "mx not permitted by spf",
	    ORIGIN MXOK
	    "@ TXT \"v=spf1 ip4:198.51.100.1 -all\"\n" DMARCOK DKIMOK,
	    NULL, "spf.mx-not-permitted", INKAN_AUDIT_LOW, NULL, 'A' },
	{ "spf lookup times out",
	    ORIGIN MXOK ";! TIMEOUT t.test. TXT\n" DMARCOK, NULL,
	    "spf.lookup-failed", INKAN_AUDIT_MEDIUM, "spf.missing", 0 },
	{ "no dkim key found", ORIGIN MXOK SPFOK DMARCOK, NULL,
	    "dkim.not-found", INKAN_AUDIT_LOW, NULL, 'A' },
	{ "named selector missing", GOOD, "sel9", "dkim.selector-missing",
	    INKAN_AUDIT_HIGH, NULL, 'C' },
	{ "named selector found",
	    ORIGIN MXOK SPFOK DMARCOK
	    "sel9._domainkey TXT \"v=DKIM1; k=ed25519; "
	    "p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\"\n",
	    "sel9", NULL, 0, "dkim.not-found", 'A' },
	{ "a wildcard TXT is not a probed DKIM key",
	    ORIGIN MXOK SPFOK DMARCOK "* TXT \"v=spf1 -all\"\n", NULL,
	    "dkim.not-found", INKAN_AUDIT_LOW, "dkim.syntax", 'A' },
	{ "dkim record broken",
	    ORIGIN MXOK SPFOK DMARCOK
	    "default._domainkey TXT \"v=DKIM1; k=x\"\n",
	    NULL, "dkim.syntax", INKAN_AUDIT_HIGH, NULL, 0 },
	{ "dkim rsa 512",
	    ORIGIN MXOK SPFOK DMARCOK "default._domainkey TXT \"p=" RSA512
				      "\"\n",
	    NULL, "dkim.rsa-weak", INKAN_AUDIT_CRITICAL, NULL, 'F' },
	{ "dkim testing",
	    ORIGIN MXOK SPFOK DMARCOK
	    "default._domainkey TXT \"v=DKIM1; t=y; "
	    "k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\"\n",
	    NULL, "dkim.testing", INKAN_AUDIT_LOW, NULL, 0 },
	{ "dkim revoked",
	    ORIGIN MXOK SPFOK DMARCOK
	    "default._domainkey TXT \"v=DKIM1; p=\"\n",
	    NULL, "dkim.revoked", INKAN_AUDIT_INFO, NULL, 0 },
	{ "dkim sha1 only",
	    ORIGIN MXOK SPFOK DMARCOK
	    "default._domainkey TXT \"v=DKIM1; "
	    "h=sha1; k=ed25519; "
	    "p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\"\n",
	    NULL, "dkim.sha1-only", INKAN_AUDIT_MEDIUM, NULL, 0 },
	{ "no dmarc", ORIGIN MXOK SPFOK DKIMOK, NULL, "dmarc.missing",
	    INKAN_AUDIT_HIGH, NULL, 'C' },
	{ "dmarc p=none",
	    ORIGIN MXOK SPFOK DKIMOK "_dmarc TXT \"v=DMARC1; p=none; "
				     "rua=mailto:d@t.test\"\n",
	    NULL, "dmarc.policy-none", INKAN_AUDIT_LOW,
	    "dmarc.policy-none-no-reports", 'A' },
	{ "dmarc p=none without rua",
	    ORIGIN MXOK SPFOK DKIMOK "_dmarc TXT \"v=DMARC1; p=none\"\n", NULL,
	    "dmarc.policy-none-no-reports", INKAN_AUDIT_MEDIUM, "dmarc.no-rua",
	    'B' },
	{ "dmarc p=none, rua not authorised",
	    ORIGIN MXOK SPFOK DKIMOK "_dmarc TXT \"v=DMARC1; p=none; "
				     "rua=mailto:d@reports.test\"\n",
	    NULL, "dmarc.policy-none-no-reports", INKAN_AUDIT_MEDIUM,
	    "dmarc.policy-none", 'B' },
	{ "dmarc p=none, rua not mailto",
	    ORIGIN MXOK SPFOK DKIMOK "_dmarc TXT \"v=DMARC1; p=none; "
				     "rua=https://t.test/r\"\n",
	    NULL, "dmarc.policy-none-no-reports", INKAN_AUDIT_MEDIUM,
	    "dmarc.policy-none", 'B' },
	{ "dmarc p=quarantine without rua",
	    ORIGIN MXOK SPFOK DKIMOK "_dmarc TXT \"v=DMARC1; "
				     "p=quarantine\"\n",
	    NULL, "dmarc.no-rua", INKAN_AUDIT_LOW, NULL, 0 },
	{ "dmarc p=quarantine",
	    ORIGIN MXOK SPFOK DKIMOK "_dmarc TXT \"v=DMARC1; p=quarantine; "
				     "rua=mailto:d@t.test\"\n",
	    NULL, "dmarc.policy-quarantine", INKAN_AUDIT_LOW, NULL, 'A' },
	{ "dmarc not applied",
	    ORIGIN MXOK SPFOK DKIMOK "_dmarc TXT \"v=DMARC1; p=bogus\"\n", NULL,
	    "dmarc.not-applied", INKAN_AUDIT_HIGH, NULL, 0 },
	{ "dmarc sp weaker",
	    ORIGIN MXOK SPFOK DKIMOK
	    "_dmarc TXT \"v=DMARC1; p=reject; sp=none; "
	    "rua=mailto:d@t.test\"\n",
	    NULL, "dmarc.sp-weaker", INKAN_AUDIT_MEDIUM, NULL, 0 },
	{ "dmarc np weaker",
	    ORIGIN MXOK SPFOK DKIMOK
	    "_dmarc TXT \"v=DMARC1; p=reject; np=none; "
	    "rua=mailto:d@t.test\"\n",
	    NULL, "dmarc.np-weaker", INKAN_AUDIT_MEDIUM, NULL, 0 },
	{ "dmarc pct 50",
	    ORIGIN MXOK SPFOK DKIMOK "_dmarc TXT \"v=DMARC1; p=reject; pct=50; "
				     "rua=mailto:d@t.test\"\n",
	    NULL, "dmarc.pct-partial", INKAN_AUDIT_MEDIUM, NULL, 0 },
	{ "dmarc pct 100 is only obsolete",
	    ORIGIN MXOK SPFOK DKIMOK
	    "_dmarc TXT \"v=DMARC1; p=reject; pct=100; "
	    "rua=mailto:d@t.test\"\n",
	    NULL, "dmarc.obsolete-tag", INKAN_AUDIT_INFO, "dmarc.pct-partial",
	    'A' },
	{ "dmarc without rua",
	    ORIGIN MXOK SPFOK DKIMOK "_dmarc TXT \"v=DMARC1; p=reject\"\n",
	    NULL, "dmarc.no-rua", INKAN_AUDIT_LOW, NULL, 0 },
	{ "dmarc t=y",
	    ORIGIN MXOK SPFOK DKIMOK "_dmarc TXT \"v=DMARC1; p=reject; t=y; "
				     "rua=mailto:d@t.test\"\n",
	    NULL, "dmarc.testing", INKAN_AUDIT_LOW, NULL, 0 },
	{ "dmarc reports to another domain, unauthorised",
	    ORIGIN MXOK SPFOK DKIMOK "_dmarc TXT \"v=DMARC1; p=reject; "
				     "rua=mailto:d@reports.test\"\n",
	    NULL, "dmarc.rua-unauthorised", INKAN_AUDIT_MEDIUM, NULL, 0 },
	{ "dmarc reports to another domain, authorised",
	    ORIGIN MXOK SPFOK DKIMOK
	    "_dmarc TXT \"v=DMARC1; p=reject; "
	    "rua=mailto:d@reports.test\"\n"
	    "t.test._report._dmarc.reports.test. TXT \"v=DMARC1\"\n",
	    NULL, NULL, 0, "dmarc.rua-unauthorised", 'A' },
	{ "dmarc inherited from the parent",
	    "$ORIGIN sub.t.test.\n;! SECURE t.test.\n" MXOK SPFOK DKIMOK
	    "_dmarc.t.test. TXT \"v=DMARC1; p=reject; "
	    "rua=mailto:d@t.test\"\n",
	    NULL, NULL, 0, "dmarc.missing", 'A' },
	{ "unsigned", "$ORIGIN t.test.\n" MXOK SPFOK DMARCOK DKIMOK, NULL,
	    "dnssec.unsigned", INKAN_AUDIT_LOW, NULL, 'A' },
	{ "tlsa pkix",
	    GOOD "_25._tcp.mx1 TLSA 1 1 1 00112233\n"
		 "_smtp._tls TXT \"v=TLSRPTv1; rua=mailto:t@t.test\"\n",
	    NULL, "dnssec.tlsa-pkix", INKAN_AUDIT_MEDIUM, "tls-rpt.missing",
	    0 },
	{ "tlsa insecure",
	    "$ORIGIN t.test.\n" MXOK SPFOK DMARCOK DKIMOK
	    "_25._tcp.mx1 TLSA 3 1 1 00112233\n",
	    NULL, "dnssec.tlsa-insecure", INKAN_AUDIT_MEDIUM, NULL, 0 },
	{ "dane without tls-rpt", GOOD "_25._tcp.mx1 TLSA 3 1 1 00112233\n",
	    NULL, "tls-rpt.missing", INKAN_AUDIT_MEDIUM, "dnssec.no-dane", 0 },
	{ "mta-sts record invalid", GOOD "_mta-sts TXT \"v=STSv1; id=\"\n",
	    NULL, "mta-sts.record-invalid", INKAN_AUDIT_HIGH, NULL, 0 },
	{ "mta-sts records several",
	    GOOD "_mta-sts TXT \"v=STSv1; id=1\"\n"
		 "_mta-sts TXT \"v=STSv1; id=2\"\n",
	    NULL, "mta-sts.record-invalid", INKAN_AUDIT_HIGH, "mta-sts.missing",
	    0 },
	{ "tls-rpt records several",
	    GOOD "_mta-sts TXT \"v=STSv1; id=1\"\n"
		 "_smtp._tls TXT \"v=TLSRPTv1; rua=mailto:t@t.test\"\n"
		 "_smtp._tls TXT \"v=TLSRPTv1; rua=mailto:u@t.test\"\n",
	    NULL, "tls-rpt.invalid", INKAN_AUDIT_MEDIUM, "tls-rpt.missing", 0 },
	{ "mta-sts without policy offline",
	    GOOD "_mta-sts TXT \"v=STSv1; id=1\"\n"
		 "_smtp._tls TXT \"v=TLSRPTv1; rua=mailto:t@t.test\"\n",
	    NULL, "mta-sts.policy-skipped", INKAN_AUDIT_INFO, NULL, 'A' },
	{ "tls-rpt invalid",
	    GOOD "_mta-sts TXT \"v=STSv1; id=1\"\n"
		 "_smtp._tls TXT \"v=TLSRPTv1; rua=\"\n",
	    NULL, "tls-rpt.invalid", INKAN_AUDIT_MEDIUM, NULL, 0 },
	{ "bimi invalid", GOOD "default._bimi TXT \"v=BIMI1; l\"\n", NULL,
	    "bimi.invalid", INKAN_AUDIT_MEDIUM, NULL, 0 },
	{ "bimi declined", GOOD "default._bimi TXT \"v=BIMI1; l=; a=\"\n", NULL,
	    "bimi.declined", INKAN_AUDIT_INFO, "bimi.no-vmc", 'A' },
	{ "bimi lookup times out",
	    GOOD ";! TIMEOUT default._bimi.t.test. TXT\n", NULL,
	    "bimi.lookup-failed", INKAN_AUDIT_MEDIUM, NULL, 0 },
	{ "bimi http logo",
	    GOOD "default._bimi TXT \"v=BIMI1; l=http://t.test/l.svg; "
		 "a=https://t.test/v.pem\"\n",
	    NULL, "bimi.logo-not-https", INKAN_AUDIT_MEDIUM, NULL, 0 },
	{ "bimi without vmc",
	    GOOD "default._bimi TXT \"v=BIMI1; l=https://t.test/l.svg\"\n",
	    NULL, "bimi.no-vmc", INKAN_AUDIT_LOW, "bimi.dmarc-not-enforced",
	    0 },
	{ "bimi with dmarc pct",
	    ORIGIN MXOK SPFOK DKIMOK
	    "_dmarc TXT \"v=DMARC1; p=reject; pct=20; "
	    "rua=mailto:d@t.test\"\n"
	    "default._bimi TXT \"v=BIMI1; l=https://t.test/l.svg; "
	    "a=https://t.test/v.pem\"\n",
	    NULL, "bimi.dmarc-not-enforced", INKAN_AUDIT_MEDIUM, NULL, 0 },
};

static const struct inkan_audit_finding *
find(const struct inkan_audit_report *rep, const char *id)
{
	size_t i;

	for (i = 0; i < rep->nfindings; i++)
		if (strcmp(rep->findings[i].id, id) == 0)
			return &rep->findings[i];
	return NULL;
}

static void
print_findings(const struct inkan_audit_report *rep)
{
	size_t i;

	for (i = 0; i < rep->nfindings; i++)
		printf("    %s %s: %s\n",
		    inkan_audit_severity_name(rep->findings[i].severity),
		    rep->findings[i].id, rep->findings[i].message);
}

static struct inkan_resolver *
zone(const char *text)
{
	struct inkan_resolver *r = NULL;
	struct inkan_zone_error zerr;

	if (inkan_resolver_new_zone(NULL, &r) != INKAN_OK)
		return NULL;
	if (inkan_resolver_zone_load_string(r, text, strlen(text), &zerr) !=
	    INKAN_OK) {
		printf("zone:%zu: %s\n", zerr.line, zerr.message);
		inkan_resolver_free(&r);
	}
	return r;
}

static void
test_cases(void **state)
{
	size_t i, j;
	int failed = 0;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct audit_case *c = &cases[i];
		struct inkan_resolver *r = zone(c->zone);
		struct inkan_audit_options o;
		struct inkan_audit_report *rep = NULL;
		const struct inkan_audit_finding *f;
		bool bad = false;

		assert_non_null(r);
		inkan_audit_options_init(&o);
		o.offline = true;
		if (c->selector != NULL) {
			o.selectors = &c->selector;
			o.nselectors = 1;
		}
		assert_int_equal(
		    inkan_audit_run(r, "t.test", &o, &rep), INKAN_OK);
		if (strncmp(c->zone, "$ORIGIN sub.", 12) == 0) {
			inkan_audit_report_free(&rep);
			assert_int_equal(
			    inkan_audit_run(r, "sub.t.test", &o, &rep),
			    INKAN_OK);
			if (find(rep, "dmarc.inherited") == NULL) {
				printf("%s: got no dmarc.inherited\n", c->name);
				bad = true;
			}
		}
		if (c->want_id != NULL) {
			f = find(rep, c->want_id);
			if (f == NULL) {
				printf("%s: got no %s, want one\n", c->name,
				    c->want_id);
				bad = true;
			} else if ((int)f->severity != c->want_sev) {
				printf("%s: %s got %s, want %s\n", c->name,
				    c->want_id,
				    inkan_audit_severity_name(f->severity),
				    inkan_audit_severity_name((
					enum inkan_audit_severity)c->want_sev));
				bad = true;
			} else if (f->severity > INKAN_AUDIT_INFO &&
			    f->fix[0] == '\0') {
				printf(
				    "%s: %s has no fix\n", c->name, c->want_id);
				bad = true;
			}
		}
		if (c->absent_id != NULL && find(rep, c->absent_id) != NULL) {
			printf(
			    "%s: got %s, want none\n", c->name, c->absent_id);
			bad = true;
		}
		if (c->want_grade != 0 && rep->grade != c->want_grade) {
			printf("%s: grade got %c, want %c\n", c->name,
			    rep->grade, c->want_grade);
			bad = true;
		}
		/* Every finding is complete and in the catalogue. */
		for (j = 0; j < rep->nfindings; j++) {
			f = &rep->findings[j];
			if (f->message == NULL || f->message[0] == '\0' ||
			    f->evidence == NULL || f->fix == NULL) {
				printf("%s: %s incomplete\n", c->name, f->id);
				bad = true;
			}
		}
		if (bad) {
			print_findings(rep);
			failed++;
		}
		inkan_audit_report_free(&rep);
		inkan_resolver_free(&r);
	}
	assert_int_equal(failed, 0);
}

/* ---- HTTPS through the fetcher hook ----------------------------------- */

struct fake_fetch {
	int status;
	const char *ctype;
	const char *body;
	enum inkan_status st;
	char url[256];
	int calls;
};

static enum inkan_status
fake_fetch(void *arg, const char *url, int *status_r,
    struct inkan_buf *content_type, struct inkan_buf *body,
    struct inkan_buf *why)
{
	struct fake_fetch *ff = arg;

	ff->calls++;
	snprintf(ff->url, sizeof(ff->url), "%s", url);
	if (ff->st != INKAN_OK) {
		(void)inkan_buf_append_cstr(why, "connection refused");
		return ff->st;
	}
	*status_r = ff->status;
	if (ff->ctype != NULL)
		(void)inkan_buf_append_cstr(content_type, ff->ctype);
	(void)inkan_buf_append_cstr(body, ff->body);
	return INKAN_OK;
}

#define STS                                     \
	GOOD "@ MX 20 mx2.other.test.\n"        \
	     "mx2.other.test. A 192.0.2.2\n"    \
	     "@ TXT \"v=spf1 mx -all\"\n"       \
	     "_mta-sts TXT \"v=STSv1; id=7\"\n" \
	     "_smtp._tls TXT \"v=TLSRPTv1; rua=mailto:t@t.test\"\n"

static void
test_fetch(void **state)
{
	static const struct {
		const char *name;
		struct fake_fetch ff;
		const char *want_id;
		int want_sev;
	} fcases[] = {
		{ "mismatch in enforce",
		    { 200, "text/plain",
			"version: STSv1\nmode: enforce\nmx: mx1.t.test\n"
			"max_age: 604800\n",
			INKAN_OK, "", 0 },
		    "mta-sts.mx-mismatch", INKAN_AUDIT_HIGH },
		{ "mismatch in testing",
		    { 200, "text/plain; charset=utf-8",
			"version: STSv1\nmode: testing\nmx: mx1.t.test\n"
			"max_age: 604800\n",
			INKAN_OK, "", 0 },
		    "mta-sts.mx-mismatch", INKAN_AUDIT_MEDIUM },
		{ "short max_age",
		    { 200, "text/plain",
			"version: STSv1\nmode: enforce\nmx: *.t.test\n"
			"mx: mx2.other.test\nmax_age: 60\n",
			INKAN_OK, "", 0 },
		    "mta-sts.max-age-short", INKAN_AUDIT_LOW },
		{ "wrong content type",
		    { 200, "text/html",
			"version: STSv1\nmode: enforce\nmx: *.t.test\n"
			"max_age: 604800\n",
			INKAN_OK, "", 0 },
		    "mta-sts.policy-invalid", INKAN_AUDIT_HIGH },
		{ "not found", { 404, "text/plain", "", INKAN_OK, "", 0 },
		    "mta-sts.policy-invalid", INKAN_AUDIT_HIGH },
		{ "unreachable", { 0, NULL, "", INKAN_ERR_IO, "", 0 },
		    "mta-sts.policy-unavailable", INKAN_AUDIT_HIGH },
	};
	struct inkan_resolver *r = zone(STS);
	size_t i;
	int failed = 0;

	(void)state;
	assert_non_null(r);
	for (i = 0; i < sizeof(fcases) / sizeof(fcases[0]); i++) {
		struct fake_fetch ff = fcases[i].ff;
		struct inkan_audit_options o;
		struct inkan_audit_report *rep = NULL;
		const struct inkan_audit_finding *f;

		inkan_audit_options_init(&o);
		o.fetch = fake_fetch;
		o.fetch_arg = &ff;
		assert_int_equal(
		    inkan_audit_run(r, "t.test", &o, &rep), INKAN_OK);
		assert_false(rep->offline);
		f = find(rep, fcases[i].want_id);
		if (f == NULL || (int)f->severity != fcases[i].want_sev) {
			printf("%s: got %s, want %s %s\n", fcases[i].name,
			    f ? inkan_audit_severity_name(f->severity) : "none",
			    inkan_audit_severity_name(
				(enum inkan_audit_severity)fcases[i].want_sev),
			    fcases[i].want_id);
			print_findings(rep);
			failed++;
		}
		assert_string_equal(
		    ff.url, "https://mta-sts.t.test/.well-known/mta-sts.txt");
		assert_null(find(rep, "mta-sts.policy-skipped"));
		inkan_audit_report_free(&rep);
	}
	inkan_resolver_free(&r);
	assert_int_equal(failed, 0);
}

/* The BIMI logo, fetched through the hook, and its SVG profile. */
static void
test_bimi_logo(void **state)
{
	static const char good_svg[] =
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.2\" "
	    "baseProfile=\"tiny-ps\" viewBox=\"0 0 100 100\"><title>T</title>"
	    "<circle cx=\"50\" cy=\"50\" r=\"40\"/></svg>";
	static const char bad_svg[] =
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.2\" "
	    "baseProfile=\"tiny-ps\" viewBox=\"0 0 100 100\"><title>T</title>"
	    "<script>alert(1)</script></svg>";
	static const struct {
		const char *name;
		struct fake_fetch ff;
		const char *want_id; /* NULL: no bimi.logo-* finding */
	} lcases[] = {
		{ "a Tiny PS logo",
		    { 200, "image/svg+xml", good_svg, INKAN_OK, "", 0 }, NULL },
		{ "a logo with a script",
		    { 200, "image/svg+xml", bad_svg, INKAN_OK, "", 0 },
		    "bimi.logo-profile" },
		{ "not found", { 404, "text/html", "", INKAN_OK, "", 0 },
		    "bimi.logo-unavailable" },
		{ "unreachable", { 0, NULL, "", INKAN_ERR_IO, "", 0 },
		    "bimi.logo-unavailable" },
	};
	struct inkan_resolver *r =
	    zone(GOOD "default._bimi TXT \"v=BIMI1; l=https://t.test/l.svg; "
		      "a=https://t.test/v.pem\"\n");
	size_t i, j;
	int failed = 0;

	(void)state;
	assert_non_null(r);
	for (i = 0; i < sizeof(lcases) / sizeof(lcases[0]); i++) {
		struct fake_fetch ff = lcases[i].ff;
		struct inkan_audit_options o;
		struct inkan_audit_report *rep = NULL;
		const char *got = NULL;

		inkan_audit_options_init(&o);
		o.fetch = fake_fetch;
		o.fetch_arg = &ff;
		assert_int_equal(
		    inkan_audit_run(r, "t.test", &o, &rep), INKAN_OK);
		for (j = 0; j < rep->nfindings; j++)
			if (strncmp(rep->findings[j].id, "bimi.logo", 9) == 0)
				got = rep->findings[j].id;
		if ((got == NULL) != (lcases[i].want_id == NULL) ||
		    (got != NULL && strcmp(got, lcases[i].want_id) != 0)) {
			printf("%s: got %s, want %s\n", lcases[i].name,
			    got ? got : "none",
			    lcases[i].want_id ? lcases[i].want_id : "none");
			print_findings(rep);
			failed++;
		}
		assert_string_equal(ff.url, "https://t.test/l.svg");
		inkan_audit_report_free(&rep);
	}
	inkan_resolver_free(&r);
	assert_int_equal(failed, 0);
}

/* A policy handed over wins over fetching, and offline means no fetch. */
static void
test_given_policy(void **state)
{
	static const char policy[] =
	    "version: STSv1\nmode: enforce\nmx: mx1.t.test\nmax_age: 604800\n";
	struct inkan_resolver *r = zone(STS);
	struct fake_fetch ff = { 200, "text/plain", "", INKAN_OK, "", 0 };
	struct inkan_audit_policy given = { "T.TEST.", policy,
		sizeof(policy) - 1 };
	struct inkan_audit_options o;
	struct inkan_audit_report *rep = NULL;
	const struct inkan_audit_finding *f;

	(void)state;
	assert_non_null(r);
	inkan_audit_options_init(&o);
	o.offline = true;
	o.fetch = fake_fetch;
	o.fetch_arg = &ff;
	assert_int_equal(inkan_audit_run(r, "t.test", &o, &rep), INKAN_OK);
	assert_int_equal(ff.calls, 0);
	assert_non_null(find(rep, "mta-sts.policy-skipped"));
	inkan_audit_report_free(&rep);

	o.mtasts_policies = &given;
	o.nmtasts_policies = 1;
	assert_int_equal(inkan_audit_run(r, "t.test", &o, &rep), INKAN_OK);
	assert_int_equal(ff.calls, 0);
	f = find(rep, "mta-sts.mx-mismatch");
	assert_non_null(f);
	assert_int_equal(f->severity, INKAN_AUDIT_HIGH);
	assert_non_null(strstr(f->fix, "\"mx: mx2.other.test\""));
	assert_null(find(rep, "mta-sts.policy-skipped"));
	assert_string_equal(rep->mtasts_policy,
	    "version: STSv1\\nmode: enforce\\nmx: mx1.t.test\\nmax_age: "
	    "604800\\n");
	inkan_audit_report_free(&rep);
	inkan_resolver_free(&r);
}

/* The policy as published in the zone of test_previous (record id=7). */
#define POL_NOW                                               \
	"version: STSv1\nmode: enforce\nmx: mx1.t.test\nmx: " \
	"mx2.other.test\nmax_age: 604800\n"

struct previous_case {
	const char *name;
	const char *prev_id;
	const char *prev_policy;
	const char *want_id; /* the one id-* finding expected, or NULL */
	int want_sev;
	const char *want_evidence; /* a part of its evidence, or NULL */
};

static const struct previous_case previous_cases[] = {
	{ "same id, an mx added", "7",
	    "version: STSv1\nmode: enforce\nmx: mx1.t.test\nmax_age: "
	    "604800\n",
	    "mta-sts.id-unchanged", INKAN_AUDIT_HIGH,
	    "mx mx2.other.test added" },
	{ "same id, mode and max_age changed", "7",
	    "version: STSv1\nmode: testing\nmx: mx1.t.test\nmx: "
	    "mx2.other.test\nmax_age: 86400\n",
	    "mta-sts.id-unchanged", INKAN_AUDIT_HIGH,
	    "mode testing -> enforce; max_age 86400 -> 604800" },
	{ "same id, same policy with CRLF and the mx swapped", "7",
	    "version: STSv1\r\nmode: enforce\r\nmx: mx2.other.test\r\n"
	    "mx: mx1.t.test\r\nmax_age: 604800\r\n",
	    NULL, 0, NULL },
	{ "new id, same policy", "6", POL_NOW, "mta-sts.id-changed",
	    INKAN_AUDIT_INFO, "last seen id=6; policy unchanged" },
	{ "new id, changed policy", "6",
	    "version: STSv1\nmode: enforce\nmx: mx1.t.test\nmax_age: "
	    "604800\n",
	    "mta-sts.policy-changed", INKAN_AUDIT_INFO,
	    "mx mx2.other.test added" },
	{ "previous does not parse, same id, other bytes", "7",
	    "not a policy\n", "mta-sts.id-unchanged", INKAN_AUDIT_HIGH,
	    "the previous one does not parse" },
	{ "previous does not parse, new id", "6", "garbage",
	    "mta-sts.policy-changed", INKAN_AUDIT_INFO, NULL },
};

static int64_t
fixed_now(void *arg)
{
	(void)arg;
	return 1790000000; /* 2026-09-21T14:13:20Z */
}

/* RFC 8461 5.1: a policy changed under the same id= is not refetched. */
static void
test_previous(void **state)
{
	static const char *const ids[] = { "mta-sts.id-unchanged",
		"mta-sts.id-changed", "mta-sts.policy-changed" };
	static const char policy[] = POL_NOW;
	struct inkan_resolver *r = zone(STS);
	struct inkan_audit_policy given = { "t.test", policy,
		sizeof(policy) - 1 };
	struct inkan_audit_options o;
	struct inkan_audit_report *rep = NULL;
	const struct inkan_audit_finding *f;
	size_t i, j;
	int failed = 0;

	(void)state;
	assert_non_null(r);
	inkan_audit_options_init(&o);
	o.offline = true;
	o.mtasts_policies = &given;
	o.nmtasts_policies = 1;
	o.now = fixed_now;

	/* No previous observation: none of the three, and the facts to
	   keep for next time. */
	assert_int_equal(inkan_audit_run(r, "t.test", &o, &rep), INKAN_OK);
	for (j = 0; j < sizeof(ids) / sizeof(ids[0]); j++)
		assert_null(find(rep, ids[j]));
	assert_string_equal(rep->mtasts_id, "7");
	assert_int_equal(rep->mtasts_policy_raw_len, sizeof(policy) - 1);
	assert_memory_equal(rep->mtasts_policy_raw, policy, sizeof(policy) - 1);
	inkan_audit_report_free(&rep);

	for (i = 0; i < sizeof(previous_cases) / sizeof(previous_cases[0]);
	     i++) {
		const struct previous_case *c = &previous_cases[i];
		bool ok = true;

		o.mtasts_previous_id = c->prev_id;
		o.mtasts_previous_policy = (const uint8_t *)c->prev_policy;
		o.mtasts_previous_policy_len = strlen(c->prev_policy);
		assert_int_equal(
		    inkan_audit_run(r, "t.test", &o, &rep), INKAN_OK);
		for (j = 0; j < sizeof(ids) / sizeof(ids[0]); j++) {
			f = find(rep, ids[j]);
			if (c->want_id != NULL &&
			    strcmp(ids[j], c->want_id) == 0) {
				ok = ok && f != NULL &&
				    (int)f->severity == c->want_sev &&
				    (c->want_evidence == NULL ||
					strstr(f->evidence, c->want_evidence) !=
					    NULL);
			} else {
				ok = ok && f == NULL;
			}
		}
		if (!ok) {
			printf("FAIL %s: want %s (%s), evidence with \"%s\"; "
			       "got:\n",
			    c->name, c->want_id ? c->want_id : "none",
			    inkan_audit_severity_name(
				(enum inkan_audit_severity)c->want_sev),
			    c->want_evidence ? c->want_evidence : "");
			for (j = 0; j < rep->nfindings; j++)
				printf("    %s %s: %s [%s]\n",
				    inkan_audit_severity_name(
					rep->findings[j].severity),
				    rep->findings[j].id,
				    rep->findings[j].message,
				    rep->findings[j].evidence);
			failed++;
		}
		inkan_audit_report_free(&rep);
	}
	assert_int_equal(failed, 0);

	/* The fix is the record with a new id= from the clock. */
	o.mtasts_previous_id = "7";
	o.mtasts_previous_policy = (const uint8_t *)"version: STSv1\n"
						    "mode: none\nmax_age: 1\n";
	o.mtasts_previous_policy_len =
	    strlen((const char *)o.mtasts_previous_policy);
	assert_int_equal(inkan_audit_run(r, "t.test", &o, &rep), INKAN_OK);
	f = find(rep, "mta-sts.id-unchanged");
	assert_non_null(f);
	assert_non_null(strstr(
	    f->fix, "_mta-sts.t.test. IN TXT \"v=STSv1; id=20260921T141320\""));
	inkan_audit_report_free(&rep);

	/* Only the id given, or only the policy: no comparison. */
	o.mtasts_previous_policy = NULL;
	assert_int_equal(inkan_audit_run(r, "t.test", &o, &rep), INKAN_OK);
	assert_null(find(rep, "mta-sts.id-unchanged"));
	inkan_audit_report_free(&rep);
	inkan_resolver_free(&r);
}

/* Hostile bytes from DNS end up escaped in every output. */
static void
test_hostile_output(void **state)
{
	static const char z[] = ORIGIN MXOK DKIMOK
	    "@ TXT \"v=spf1 <script>alert(1)</script> \\\"q\\\" \\200 -all\"\n"
	    "_dmarc TXT \"v=DMARC1; p=none; rua=mailto:<b>@t.test\"\n";
	struct inkan_resolver *r = zone(z);
	struct inkan_audit_options o;
	struct inkan_audit_report *rep = NULL;
	struct inkan_buf b;
	const char *s;

	(void)state;
	assert_non_null(r);
	inkan_audit_options_init(&o);
	o.offline = true;
	assert_int_equal(inkan_audit_run(r, "t.test", &o, &rep), INKAN_OK);
	assert_non_null(find(rep, "spf.syntax"));
	assert_non_null(rep->spf_record);
	assert_null(strchr(rep->spf_record, 0xc8)); /* \200 is byte 200 */
	assert_non_null(strstr(rep->spf_record, "\\xc8"));

	inkan_buf_init(&b, 1u << 20);
	assert_int_equal(inkan_audit_report_html(rep, &b), INKAN_OK);
	s = inkan_buf_cstr(&b);
	assert_null(strstr(s, "<script"));
	assert_null(strstr(s, "<b>"));
	assert_non_null(strstr(s, "&lt;script&gt;"));
	assert_non_null(strstr(s, "id=\"grade\""));
	/* Self-contained: nothing loaded from anywhere. */
	assert_null(strstr(s, "src="));
	assert_null(strstr(s, "href="));
	assert_null(strstr(s, "url("));
	assert_null(strstr(s, "<link"));
	inkan_buf_reset(&b);
	assert_int_equal(inkan_audit_report_json(rep, &b), INKAN_OK);
	s = inkan_buf_cstr(&b);
	assert_null(strchr(s, '<'));
	assert_non_null(strstr(s, "\\u003cscript\\u003e"));
	assert_non_null(strstr(s, "\"grade\":\""));
	inkan_buf_clear(&b);
	inkan_audit_report_free(&rep);
	inkan_resolver_free(&r);
}

/*
 * From zone files only, an answer that is not declared secure says
 * nothing about the real zone: dnssec.unknown-offline (info) instead of
 * dnssec.unsigned and dnssec.tlsa-insecure; declared answers are checked
 * as online.
 */
static void
test_dns_from_zones(void **state)
{
	static const struct {
		const char *name;
		const char *zone;
		const char *want_id; /* or NULL */
		const char *absent_id; /* or NULL */
		const char *absent_id2; /* or NULL */
		char want_grade;
		const char *want_dnssec_json;
	} zcases[] = {
		{ "nothing declared",
		    "$ORIGIN t.test.\n" MXOK SPFOK DMARCOK DKIMOK,
		    "dnssec.unknown-offline", "dnssec.unsigned",
		    "dnssec.no-dane", 'A', "\"dnssec\":null" },
		{ "nothing declared, TLSA",
		    "$ORIGIN t.test.\n" MXOK SPFOK DMARCOK DKIMOK
		    "_25._tcp.mx1 TLSA 3 1 1 00112233\n",
		    "dnssec.unknown-offline", "dnssec.tlsa-insecure",
		    "dnssec.unsigned", 0, "\"dnssec\":null" },
		{ "declared", GOOD, "dnssec.no-dane", "dnssec.unknown-offline",
		    "dnssec.unsigned", 'A', "\"dnssec\":true" },
		{ "declared, TLSA of an MX in a zone that is not",
		    ORIGIN "@ MX 10 mx.other.test.\nmx.other.test. A "
			   "192.0.2.1\n" SPFOK DMARCOK DKIMOK
			   "_25._tcp.mx.other.test. TLSA 3 1 1 00112233\n",
		    "dnssec.unknown-offline", "dnssec.tlsa-insecure",
		    "dnssec.unsigned", 0, "\"dnssec\":true" },
		{ "declared, PKIX usage still found",
		    GOOD "_25._tcp.mx1 TLSA 1 1 1 00112233\n",
		    "dnssec.tlsa-pkix", "dnssec.unknown-offline",
		    "dnssec.tlsa-insecure", 0, "\"dnssec\":true" },
	};
	size_t i;
	int failed = 0;

	(void)state;
	for (i = 0; i < sizeof(zcases) / sizeof(zcases[0]); i++) {
		struct inkan_resolver *r = zone(zcases[i].zone);
		struct inkan_audit_options o;
		struct inkan_audit_report *rep = NULL;
		struct inkan_buf b;
		bool bad = false;

		assert_non_null(r);
		inkan_audit_options_init(&o);
		o.offline = true;
		o.dns_from_zones = true;
		assert_int_equal(
		    inkan_audit_run(r, "t.test", &o, &rep), INKAN_OK);
		assert_true(rep->dns_from_zones);
		if (find(rep, zcases[i].want_id) == NULL) {
			printf("%s: got no %s\n", zcases[i].name,
			    zcases[i].want_id);
			bad = true;
		}
		if (find(rep, zcases[i].absent_id) != NULL ||
		    find(rep, zcases[i].absent_id2) != NULL) {
			printf("%s: got %s or %s, want neither\n",
			    zcases[i].name, zcases[i].absent_id,
			    zcases[i].absent_id2);
			bad = true;
		}
		if (zcases[i].want_grade != 0 &&
		    rep->grade != zcases[i].want_grade) {
			printf("%s: grade got %c, want %c\n", zcases[i].name,
			    rep->grade, zcases[i].want_grade);
			bad = true;
		}
		inkan_buf_init(&b, 1 << 20);
		assert_int_equal(inkan_audit_report_json(rep, &b), INKAN_OK);
		if (strstr(inkan_buf_cstr(&b), zcases[i].want_dnssec_json) ==
		    NULL) {
			printf("%s: JSON has no %s\n", zcases[i].name,
			    zcases[i].want_dnssec_json);
			bad = true;
		}
		if (bad) {
			print_findings(rep);
			failed++;
		}
		inkan_buf_clear(&b);
		inkan_audit_report_free(&rep);
		inkan_resolver_free(&r);
	}
	assert_int_equal(failed, 0);
}

static void
test_bad_arguments(void **state)
{
	struct inkan_resolver *r = zone(GOOD);
	struct inkan_audit_report *rep = NULL;
	struct inkan_buf b;
	static const char *const bad[] = { "", ".", "a..b", "-\x01.test",
		"a b.test", "x/y" };
	size_t i;

	(void)state;
	assert_non_null(r);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(
		    inkan_audit_run(r, bad[i], NULL, &rep), INKAN_ERR_SYNTAX);
		assert_null(rep);
	}
	assert_int_equal(
	    inkan_audit_run(NULL, "t.test", NULL, &rep), INKAN_ERR_INVAL);
	assert_int_equal(
	    inkan_audit_run(r, "t.test", NULL, NULL), INKAN_ERR_INVAL);
	/* Case and a trailing dot do not matter. */
	assert_int_equal(inkan_audit_run(r, "T.Test.", NULL, &rep), INKAN_OK);
	assert_string_equal(rep->domain, "t.test");
	assert_true(inkan_audit_has_severity(rep, INKAN_AUDIT_INFO));
	assert_false(inkan_audit_has_severity(rep, INKAN_AUDIT_MEDIUM));
	/* A buffer too small: the error, never a cut report. */
	inkan_buf_init(&b, 64);
	assert_int_equal(inkan_audit_report_json(rep, &b), INKAN_ERR_LIMIT);
	inkan_buf_clear(&b);
	inkan_audit_report_free(&rep);
	inkan_audit_report_free(&rep);
	inkan_resolver_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_fetch),
		cmocka_unit_test(test_given_policy),
		cmocka_unit_test(test_previous),
		cmocka_unit_test(test_bimi_logo),
		cmocka_unit_test(test_hostile_output),
		cmocka_unit_test(test_dns_from_zones),
		cmocka_unit_test(test_bad_arguments),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
