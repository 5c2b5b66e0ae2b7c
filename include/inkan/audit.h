/*
 * inkan/audit.h: the mail-security audit of one domain (`inkan check`).
 *
 * inkan_audit_run() looks at everything a domain publishes for mail and
 * says what is wrong and exactly what to publish instead: MX (RFC 5321
 * 5.1, null MX RFC 7505), SPF (RFC 7208), DKIM keys (RFC 6376, RFC 8463),
 * DMARC (RFC 9989 tree walk, RFC 9990 3 report destinations), MTA-STS
 * (RFC 8461), TLS-RPT (RFC 8460), BIMI, DNSSEC and DANE TLSA on the MX
 * hosts (RFC 7672). Each problem is a finding with a stable id such as
 * "spf.softfail-all" (every id is in docs/grading.md and in
 * inkan_audit_checks()), a severity, the evidence seen and the fix; the
 * domain gets a grade from A to F by the rule of docs/grading.md.
 *
 * It looks up only through the resolver it is given, so a run against a
 * zone resolver is fully offline (options.dns_from_zones: DNSSEC is then
 * only what the zone files declare); HTTPS (the MTA-STS policy, the BIMI
 * logo) is fetched only through options.fetch, and never when
 * options.offline is set: a finding of severity info then says what was
 * skipped. A policy can also be handed over without HTTPS
 * (options.mtasts_policies), to test one before publishing it.
 *
 * Usage:
 *
 *	struct inkan_audit_options opt;
 *	struct inkan_audit_report *rep = NULL;
 *	size_t i;
 *
 *	inkan_audit_options_init(&opt);
 *	opt.offline = true;			// a zone resolver: no HTTPS,
 *	opt.dns_from_zones = true;		// and no live DNS
 *	if (inkan_audit_run(resolver, "example.com", &opt, &rep) != INKAN_OK)
 *		goto out;			// bad name, out of memory
 *	printf("%s: grade %c\n", rep->domain, rep->grade);
 *	for (i = 0; i < rep->nfindings; i++)
 *		printf("%s %s: %s\n",
 *		    inkan_audit_severity_name(rep->findings[i].severity),
 *		    rep->findings[i].id, rep->findings[i].message);
 * out:
 *	inkan_audit_report_free(&rep);
 *
 * Every string in a report is NUL-terminated printable ASCII: bytes from
 * DNS that are not are escaped as \xNN (inkan_escape() of util.h), so a
 * report can be printed as is; HTML and JSON writers still escape for
 * their own syntax.
 */
#ifndef INKAN_AUDIT_H
#define INKAN_AUDIT_H

#include <inkan/common.h>
#include <inkan/dns.h>
#include <inkan/limits.h>
#include <inkan/util.h>

#ifdef __cplusplus
extern "C" {
#endif

/* How bad a finding is, from least to most: compare with < and >. */
enum inkan_audit_severity {
	INKAN_AUDIT_INFO = 0,
	INKAN_AUDIT_LOW,
	INKAN_AUDIT_MEDIUM,
	INKAN_AUDIT_HIGH,
	INKAN_AUDIT_CRITICAL,
};

/* "info", "low", "medium", "high", "critical"; static, never NULL. */
INKAN_API const char *inkan_audit_severity_name(enum inkan_audit_severity s);

/* Parses a severity name (any case). Returns INKAN_ERR_SYNTAX for another
 * word. */
INKAN_API enum inkan_status inkan_audit_severity_parse(
    const char *name, enum inkan_audit_severity *sev_r);

/* What a finding is about. */
enum inkan_audit_area {
	INKAN_AUDIT_AREA_MX = 0,
	INKAN_AUDIT_AREA_SPF,
	INKAN_AUDIT_AREA_DKIM,
	INKAN_AUDIT_AREA_DMARC,
	INKAN_AUDIT_AREA_MTASTS,
	INKAN_AUDIT_AREA_TLSRPT,
	INKAN_AUDIT_AREA_BIMI,
	INKAN_AUDIT_AREA_DNSSEC,
};

/* "mx", "spf", "dkim", "dmarc", "mta-sts", "tls-rpt", "bimi", "dnssec". */
INKAN_API const char *inkan_audit_area_name(enum inkan_audit_area a);

/* One thing found. Strings belong to the report. */
struct inkan_audit_finding {
	/* "<area>.<what>", e.g. "dmarc.policy-none": stable across
	   versions, listed in docs/grading.md. */
	const char *id;
	enum inkan_audit_severity severity;
	enum inkan_audit_area area;
	/* One line, no trailing period needed. */
	const char *message;
	/* The record or answer seen ("TXT example.com: \"v=spf1 +all\"");
	   "" when there is nothing to show (a missing record). */
	const char *evidence;
	/* The exact record or change to make; "" for info findings that
	   need nothing. */
	const char *fix;
};

/* One entry of the catalogue of every finding the auditor can report. */
struct inkan_audit_check {
	const char *id;
	enum inkan_audit_severity severity;
	enum inkan_audit_area area;
	const char *summary;
};

/* The catalogue, sorted by area then id; *n_r gets its length. Static. */
INKAN_API const struct inkan_audit_check *inkan_audit_checks(size_t *n_r);

/* An MX host of the domain, in preference order. */
struct inkan_audit_mx {
	const char *host; /* lowercase, no trailing dot */
	unsigned preference;
	size_t naddrs; /* its A and AAAA addresses, as text */
	const char *const *addrs;
	size_t ntlsa; /* TLSA records at _25._tcp.<host> */
	bool tlsa_secure; /* and their answer was DNSSEC-secure */
};

/* A DKIM key found at <selector>._domainkey.<domain>. */
struct inkan_audit_dkim_key {
	const char *selector;
	const char *record; /* the TXT record, strings joined */
	const char *type; /* "rsa", "ed25519", or "" if it did not parse */
	unsigned bits; /* the key size; 0 if unknown or revoked */
	bool probed; /* found by the probe, not named in the options */
};

/*
 * The outcome of a run. Owned by the caller, freed with
 * inkan_audit_report_free(); every string and array belongs to it.
 */
struct inkan_audit_report {
	const char *domain; /* lowercase, no trailing dot */
	char grade; /* 'A' .. 'F' (no 'E'), by inkan_audit_grade() */
	/* In the order found: by area (mx, spf, dkim, dmarc, dnssec,
	   mta-sts, tls-rpt, bimi), then as checked. */
	size_t nfindings;
	const struct inkan_audit_finding *findings;
	/* The facts found; NULL strings for records not found. */
	bool null_mx; /* RFC 7505: the domain accepts no mail */
	size_t nmx;
	const struct inkan_audit_mx *mx;
	const char *spf_record;
	unsigned spf_dns_lookups; /* RFC 7208 4.6.4, through includes */
	unsigned spf_void_lookups;
	size_t ndkim;
	const struct inkan_audit_dkim_key *dkim;
	const char *dmarc_record;
	const char *dmarc_policy_domain; /* where the record was found */
	const char *mtasts_record;
	const char *mtasts_policy; /* the policy text used, if any */
	const char *tlsrpt_record;
	const char *bimi_record;
	bool dnssec_secure; /* the domain's answers validated */
	bool offline; /* HTTPS fetches were skipped */
	/* The answers came from zone files only (options.dns_from_zones):
	   when dnssec_secure is false, whether the real zone is signed is
	   unknown. */
	bool dns_from_zones;
	/* The _mta-sts record's id= (RFC 8461 3.1), NULL when there is no
	   valid record. */
	const char *mtasts_id;
	/* The policy bytes as obtained (fetched or given), not escaped,
	   when they parsed as a policy; NULL and 0 otherwise. With
	   mtasts_id, what to keep for options.mtasts_previous_* next time
	   (inkan check --state). */
	const uint8_t *mtasts_policy_raw;
	size_t mtasts_policy_raw_len;
};

INKAN_API void inkan_audit_report_free(struct inkan_audit_report **rep);

/*
 * Fetches url over HTTPS for the auditor (certificate verified, no
 * redirects, bounded in size and time by the fetcher): sets *status_r to
 * the HTTP status, appends the Content-Type (without parameters removed;
 * nothing when absent) to content_type and the body to body. Returns
 * INKAN_OK when a response came back; any other status (with a sentence
 * in why, may be left empty) when none did.
 */
typedef enum inkan_status (*inkan_audit_fetch_fn)(void *arg, const char *url,
    int *status_r, struct inkan_buf *content_type, struct inkan_buf *body,
    struct inkan_buf *why);

/* An MTA-STS policy handed over instead of fetched. */
struct inkan_audit_policy {
	const char *domain; /* the policy domain, any case */
	const void *body; /* the mta-sts.txt contents */
	size_t len;
};

struct inkan_audit_options {
	/* DKIM selectors to check (borrowed); a missing one is a
	   finding. */
	const char *const *selectors;
	size_t nselectors;
	/* Also look for keys at commonly used selector names
	   ("default", "selector1", "google", ...). On by default. */
	bool probe_selectors;
	/* No HTTPS at all (a zone resolver, or --no-fetch): policy and
	   logo checks that need a fetch are reported as skipped (severity
	   info). */
	bool offline;
	/* The resolver answers from zone files only, no live DNS (inkan
	   check --zone). The secure bit of an answer is then only what the
	   zone file declares with ";! SECURE name": an answer that is not
	   secure says nothing about the real zone, so instead of
	   dnssec.unsigned and dnssec.tlsa-insecure an info finding,
	   dnssec.unknown-offline, says DNSSEC was not observed. Answers
	   declared secure are checked as online. Off by default (live DNS,
	   or a zone overlaid on it). */
	bool dns_from_zones;
	/* How to fetch over HTTPS when online; NULL: fetches are skipped
	   with an info finding, as offline. */
	inkan_audit_fetch_fn fetch;
	void *fetch_arg;
	/* MTA-STS policies to use instead of fetching (borrowed). */
	const struct inkan_audit_policy *mtasts_policies;
	size_t nmtasts_policies;
	/* NULL: defaults. */
	const struct inkan_limits *limits;
	/* Seconds since the epoch for caches; NULL: time(NULL). */
	int64_t (*now)(void *arg);
	void *now_arg;
	/* What an earlier run saw for this domain (borrowed; NULL when
	   none): the _mta-sts id= and the policy bytes. RFC 8461 5.1:
	   senders refetch a cached policy only when id= changes, so a
	   policy changed under the same id is mta-sts.id-unchanged (high);
	   a changed id is mta-sts.id-changed or mta-sts.policy-changed
	   (info). Policies compare as parsed (mode, max_age, the set of mx
	   patterns), or byte for byte when the previous one does not
	   parse. Used only when both are set and a policy is obtained. */
	const char *mtasts_previous_id;
	const uint8_t *mtasts_previous_policy;
	size_t mtasts_previous_policy_len;
};

/* Fills *o with the defaults: no selectors, probing on, online (HTTPS
 * and live DNS), no fetcher, no policies, default limits and clock. */
INKAN_API void inkan_audit_options_init(struct inkan_audit_options *o);

/*
 * Audits domain (a host name, any case, one trailing dot allowed) through
 * resolver (borrowed) with options o (NULL: defaults). Sets *report_r to
 * a new report. Returns INKAN_OK whenever a report was produced (DNS
 * failures are findings); INKAN_ERR_SYNTAX when domain is not a host
 * name; INKAN_ERR_INVAL for NULL arguments; INKAN_ERR_NOMEM.
 */
INKAN_API enum inkan_status inkan_audit_run(struct inkan_resolver *resolver,
    const char *domain, const struct inkan_audit_options *o,
    struct inkan_audit_report **report_r);

/*
 * The grade of docs/grading.md for findings[0..n): 'F' with a critical
 * finding or three high ones, 'D' with two high, 'C' with one high or
 * three medium, 'B' with one or two medium or three low, else 'A'. Info
 * findings never count.
 */
INKAN_API char inkan_audit_grade(
    const struct inkan_audit_finding *findings, size_t n);

/* True when rep has a finding at severity min or above (--fail-on). */
INKAN_API bool inkan_audit_has_severity(
    const struct inkan_audit_report *rep, enum inkan_audit_severity min);

/*
 * Appends rep as one JSON object to out: {"domain", "grade",
 * "findings": [{"id", "severity", "area", "message", "evidence", "fix"}],
 * "facts": {...}}; facts.dnssec is true, false, or null when not
 * observed (dns_from_zones and nothing declared). Returns out's error
 * (INKAN_ERR_LIMIT past its maximum), INKAN_ERR_INVAL for NULL arguments.
 */
INKAN_API enum inkan_status inkan_audit_report_json(
    const struct inkan_audit_report *rep, struct inkan_buf *out);

/*
 * Appends rep as one self-contained HTML page to out: inline CSS, no
 * scripts, no external resources; every string is HTML-escaped. Same
 * statuses as inkan_audit_report_json().
 */
INKAN_API enum inkan_status inkan_audit_report_html(
    const struct inkan_audit_report *rep, struct inkan_buf *out);

#ifdef __cplusplus
}
#endif

#endif
