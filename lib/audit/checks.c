/*
 * checks.c: the catalogue of finding ids, their default severity and
 * what each means, and the names of severities and areas. The ids are a
 * stable interface (CI pipelines match on them); docs/grading.md lists
 * the same table, and a unit test checks the two agree.
 */
#include <string.h>

#include "audit_impl.h"

#define C(id, sev, area, summary)                                       \
	{                                                               \
		id, INKAN_AUDIT_##sev, INKAN_AUDIT_AREA_##area, summary \
	}

static const struct inkan_audit_check checks[] = {
	C("mx.missing", HIGH, MX,
	    "no MX and no address record: the domain cannot receive mail"),
	C("mx.implicit", MEDIUM, MX,
	    "no MX record; mail goes to the domain's own address (RFC 5321 "
	    "5.1)"),
	C("mx.null", INFO, MX,
	    "null MX (RFC 7505): the domain accepts no mail"),
	C("mx.null-mixed", HIGH, MX,
	    "a null MX next to other MX records (RFC 7505 3)"),
	C("mx.lookup-failed", HIGH, MX,
	    "the MX lookup failed (SERVFAIL, timeout)"),
	C("mx.unresolvable", HIGH, MX, "an MX host has no A or AAAA record"),
	C("mx.cname", LOW, MX,
	    "an MX host is an alias (RFC 2181 10.3, RFC 5321 5.1)"),
	C("spf.missing", HIGH, SPF, "no SPF record"),
	C("spf.multiple", HIGH, SPF,
	    "more than one SPF record: a permerror (RFC 7208 4.5)"),
	C("spf.syntax", HIGH, SPF,
	    "the SPF record does not parse: a permerror (RFC 7208 4.6)"),
	C("spf.lookup-failed", MEDIUM, SPF,
	    "an SPF lookup failed (SERVFAIL, timeout)"),
	C("spf.too-many-lookups", HIGH, SPF,
	    "more than 10 DNS-querying terms: a permerror (RFC 7208 4.6.4)"),
	C("spf.too-many-void", HIGH, SPF,
	    "more than 2 void lookups: a permerror (RFC 7208 4.6.4)"),
	C("spf.include-missing", HIGH, SPF,
	    "an include or redirect names a domain without an SPF record"),
	C("spf.pass-all", CRITICAL, SPF,
	    "+all: every host on the Internet may send as the domain"),
	C("spf.neutral-all", HIGH, SPF,
	    "?all: unlisted hosts are neutral, SPF protects nothing"),
	C("spf.softfail-all", LOW, SPF, "~all: unlisted hosts only soft-fail"),
	C("spf.no-all", MEDIUM, SPF,
	    "no all and no redirect: unlisted hosts get neutral (RFC 7208 "
	    "4.7)"),
	C("spf.ptr", MEDIUM, SPF,
	    "the ptr mechanism is used (RFC 7208 5.5: SHOULD NOT)"),
	C("spf.macro", INFO, SPF,
	    "terms with macros could not be counted or checked"),
	C("spf.long-record", INFO, SPF,
	    "the record is longer than 255 bytes and needs several strings "
	    "(RFC 7208 3.3); some DNS editors break it"),
	C("spf.mx-not-permitted", LOW, SPF,
	    "an MX host of the domain is not permitted to send by its SPF"),
	C("dkim.not-found", LOW, DKIM, "no DKIM key at the selectors checked"),
	C("dkim.selector-missing", HIGH, DKIM,
	    "no DKIM key at a selector named on the command line"),
	C("dkim.syntax", HIGH, DKIM,
	    "a DKIM key record does not parse (RFC 6376 3.6.1)"),
	C("dkim.rsa-weak", CRITICAL, DKIM,
	    "an RSA key under 1024 bits (RFC 8301 3.2: must not be used)"),
	C("dkim.rsa-1024", MEDIUM, DKIM,
	    "an RSA key under 2048 bits (RFC 8301 3.2 asks for 2048)"),
	C("dkim.revoked", INFO, DKIM, "a revoked key (empty p=)"),
	C("dkim.testing", LOW, DKIM,
	    "t=y left on: verifiers may ignore failures (RFC 6376 3.6.1)"),
	C("dkim.sha1-only", MEDIUM, DKIM,
	    "h=sha1 only: SHA-1 signatures are refused (RFC 8301 3.1)"),
	C("dmarc.missing", HIGH, DMARC, "no DMARC policy record"),
	C("dmarc.lookup-failed", MEDIUM, DMARC,
	    "a DMARC lookup failed (SERVFAIL, timeout)"),
	C("dmarc.not-applied", HIGH, DMARC,
	    "the record has no valid p= and no rua=: receivers ignore it "
	    "(RFC 9989 4.10.1)"),
	C("dmarc.policy-none", LOW, DMARC,
	    "p=none with aggregate reports: monitoring, the first step of "
	    "the plan to p=reject; spoofed mail is still delivered"),
	C("dmarc.policy-none-no-reports", MEDIUM, DMARC,
	    "p=none without a usable rua=: spoofed mail is delivered and "
	    "nobody reads the reports that would end it"),
	C("dmarc.policy-quarantine", LOW, DMARC,
	    "p=quarantine: spoofed mail goes to spam, not away"),
	C("dmarc.sp-weaker", MEDIUM, DMARC,
	    "sp= is weaker than p=: subdomains can be spoofed"),
	C("dmarc.np-weaker", MEDIUM, DMARC,
	    "np= is weaker than p=: non-existent subdomains can be spoofed"),
	C("dmarc.pct-partial", MEDIUM, DMARC,
	    "pct below 100: obsolete (RFC 9989 A.6), old receivers apply "
	    "the policy to part of the mail only"),
	C("dmarc.obsolete-tag", INFO, DMARC,
	    "pct=, rf= or ri= are obsolete and ignored (RFC 9989 A.6)"),
	C("dmarc.testing", LOW, DMARC,
	    "t=y: receivers apply the policy one step lower"),
	C("dmarc.warning", LOW, DMARC,
	    "the record has a tag the parser ignored or fixed"),
	C("dmarc.no-rua", LOW, DMARC,
	    "no rua=: the domain gets no aggregate reports (at p=none, "
	    "dmarc.policy-none-no-reports says it instead)"),
	C("dmarc.rua-unauthorised", MEDIUM, DMARC,
	    "a report address in another domain has not authorised the "
	    "reports (RFC 9990 3)"),
	C("dmarc.inherited", INFO, DMARC,
	    "the policy comes from the Organizational Domain's record"),
	C("dnssec.unsigned", LOW, DNSSEC,
	    "the domain's answers are not DNSSEC-validated"),
	C("dnssec.unknown-offline", INFO, DNSSEC,
	    "offline (zone files only), the zone does not declare ;! SECURE: "
	    "DNSSEC and DANE were not checked"),
	C("dnssec.tlsa-insecure", MEDIUM, DNSSEC,
	    "TLSA records without DNSSEC: senders ignore them (RFC 7672 "
	    "2.2)"),
	C("dnssec.tlsa-pkix", MEDIUM, DNSSEC,
	    "a TLSA record with usage 0 or 1 (PKIX): unusable for SMTP "
	    "(RFC 7672 3.1.3)"),
	C("dnssec.no-dane", INFO, DNSSEC,
	    "the domain validates but its MX hosts publish no TLSA"),
	C("mta-sts.missing", LOW, MTASTS, "no MTA-STS record"),
	C("mta-sts.record-invalid", HIGH, MTASTS,
	    "the MTA-STS record is not valid (RFC 8461 3.1)"),
	C("mta-sts.lookup-failed", MEDIUM, MTASTS,
	    "the MTA-STS lookup failed (SERVFAIL, timeout)"),
	C("mta-sts.policy-skipped", INFO, MTASTS,
	    "the policy was not fetched (offline)"),
	C("mta-sts.policy-unavailable", HIGH, MTASTS,
	    "the record exists but the policy cannot be fetched"),
	C("mta-sts.policy-invalid", HIGH, MTASTS,
	    "the policy is not valid (RFC 8461 3.2, 3.3)"),
	C("mta-sts.mx-mismatch", HIGH, MTASTS,
	    "an MX host is not covered by the policy's mx patterns (medium "
	    "in testing mode)"),
	C("mta-sts.testing", LOW, MTASTS,
	    "mode: testing: failures are reported, not enforced"),
	C("mta-sts.mode-none", LOW, MTASTS,
	    "mode: none: the policy is withdrawn"),
	C("mta-sts.max-age-short", LOW, MTASTS,
	    "max_age under one day: senders re-fetch often and a downgrade "
	    "window opens"),
	C("mta-sts.id-unchanged", HIGH, MTASTS,
	    "the policy changed since the last run but the record's id= did "
	    "not: senders keep the old policy (RFC 8461 5.1)"),
	C("mta-sts.id-changed", INFO, MTASTS,
	    "the record's id= changed since the last run, the policy did "
	    "not: senders refetch it"),
	C("mta-sts.policy-changed", INFO, MTASTS,
	    "the policy and the record's id= changed since the last run"),
	C("tls-rpt.missing", MEDIUM, TLSRPT,
	    "MTA-STS or DANE without a TLS-RPT record (RFC 8460)"),
	C("tls-rpt.invalid", MEDIUM, TLSRPT,
	    "the TLS-RPT record is not valid (RFC 8460 3)"),
	C("tls-rpt.rua-unusable", MEDIUM, TLSRPT,
	    "a TLS-RPT rua= that no reporter can use"),
	C("tls-rpt.lookup-failed", MEDIUM, TLSRPT,
	    "the TLS-RPT lookup failed (SERVFAIL, timeout)"),
	C("bimi.missing", INFO, BIMI, "no BIMI record"),
	C("bimi.invalid", MEDIUM, BIMI, "the BIMI record is not valid"),
	C("bimi.lookup-failed", MEDIUM, BIMI,
	    "the BIMI lookup failed (SERVFAIL, timeout)"),
	C("bimi.declined", INFO, BIMI,
	    "the domain declines BIMI (empty l= and a=)"),
	C("bimi.dmarc-not-enforced", MEDIUM, BIMI,
	    "BIMI needs DMARC at quarantine or reject for all mail"),
	C("bimi.logo-not-https", MEDIUM, BIMI,
	    "the logo URL (l=) is not https"),
	C("bimi.no-vmc", LOW, BIMI,
	    "no a= (mark certificate): most mailbox providers show no logo"),
	C("bimi.logo-skipped", INFO, BIMI,
	    "the logo was not fetched (offline)"),
	C("bimi.logo-unavailable", MEDIUM, BIMI, "the logo cannot be fetched"),
	C("bimi.logo-profile", MEDIUM, BIMI,
	    "the logo is not SVG Tiny Portable/Secure"),
};

#undef C

const struct inkan_audit_check *
inkan_audit_checks(size_t *n_r)
{
	if (n_r != NULL)
		*n_r = sizeof(checks) / sizeof(checks[0]);
	return checks;
}

const struct inkan_audit_check *
audit_check_find(const char *id)
{
	size_t i;

	for (i = 0; i < sizeof(checks) / sizeof(checks[0]); i++)
		if (strcmp(checks[i].id, id) == 0)
			return &checks[i];
	return NULL;
}

static const char *const severity_names[] = {
	"info",
	"low",
	"medium",
	"high",
	"critical",
};

const char *
inkan_audit_severity_name(enum inkan_audit_severity s)
{
	if ((size_t)s < sizeof(severity_names) / sizeof(severity_names[0]))
		return severity_names[s];
	return "unknown";
}

enum inkan_status
inkan_audit_severity_parse(const char *name, enum inkan_audit_severity *sev_r)
{
	size_t i;

	if (name == NULL || sev_r == NULL)
		return INKAN_ERR_INVAL;
	for (i = 0; i < sizeof(severity_names) / sizeof(severity_names[0]);
	     i++) {
		if (inkan_view_eq_cstr_nocase(
			inkan_view_cstr(name), severity_names[i])) {
			*sev_r = (enum inkan_audit_severity)i;
			return INKAN_OK;
		}
	}
	return INKAN_ERR_SYNTAX;
}

const char *
inkan_audit_area_name(enum inkan_audit_area a)
{
	switch (a) {
	case INKAN_AUDIT_AREA_MX:
		return "mx";
	case INKAN_AUDIT_AREA_SPF:
		return "spf";
	case INKAN_AUDIT_AREA_DKIM:
		return "dkim";
	case INKAN_AUDIT_AREA_DMARC:
		return "dmarc";
	case INKAN_AUDIT_AREA_MTASTS:
		return "mta-sts";
	case INKAN_AUDIT_AREA_TLSRPT:
		return "tls-rpt";
	case INKAN_AUDIT_AREA_BIMI:
		return "bimi";
	case INKAN_AUDIT_AREA_DNSSEC:
		return "dnssec";
	}
	return "unknown";
}
