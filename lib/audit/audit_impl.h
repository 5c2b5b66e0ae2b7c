/*
 * audit_impl.h: what the files of lib/audit share. Not public.
 *
 * audit.c runs the checks in order and owns the report; each area's file
 * (mx.c, spf.c, dkim.c, dmarc.c, dnssec.c, mtasts.c, bimi.c) adds findings
 * and facts through the helpers below; checks.c is the catalogue of
 * finding ids; grade.c the grade; report.c the JSON and HTML writers.
 */
#ifndef INKAN_AUDIT_IMPL_H
#define INKAN_AUDIT_IMPL_H

#include <inkan/audit.h>
#include <inkan/dmarc.h>
#include <inkan/spf.h>

/* The report and the storage behind it. */
struct audit_report {
	struct inkan_audit_report pub;
	struct inkan_arena arena;
	struct inkan_audit_finding *findings;
	size_t findings_cap;
	struct inkan_audit_mx *mx;
	struct inkan_audit_dkim_key *dkim;
	size_t dkim_cap;
};

/* One run. */
struct audit {
	struct inkan_resolver *r;
	const struct inkan_audit_options *o;
	const struct inkan_limits *lim;
	struct audit_report *rep;
	const char *domain;
	/* Sticky: the first allocation failure ends the run. */
	enum inkan_status err;
	struct inkan_dmarc *dmarc;
	/* The DMARC discovery of the domain (for BIMI), or NULL. */
	struct inkan_dmarc_lookup *dmarc_lk;
	bool uses_mtasts; /* an MTA-STS record was found */
	bool uses_dane; /* an MX host has TLSA records */
};

/* The catalogue entry for id, or NULL (a bug: every id must be there). */
const struct inkan_audit_check *audit_check_find(const char *id);

/*
 * Adds a finding with id's catalogue severity and area (sev < 0) or sev.
 * evidence and fix are copied (NULL: ""); message is printf-formatted.
 * Failures set a->err.
 */
void audit_add(struct audit *a, const char *id, int sev, const char *evidence,
    const char *fix, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* An arena copy of a printf result, or of p[0..n) escaped; NULL (with
 * a->err set) when out of memory. */
char *audit_strf(struct audit *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
char *audit_esc(struct audit *a, const void *p, size_t n);

/*
 * Looks up TXT at name and collects into *out the joined records for
 * which is_kind() is true, escaped, separated by nothing: returns how
 * many there were (0 for none), and in *rcode_r what the lookup came to.
 * joined_r (may be NULL) gets the first such record raw (not escaped).
 */
size_t audit_txt(struct audit *a, const char *name,
    bool (*is_kind)(const void *text, size_t len), struct inkan_buf *joined_r,
    enum inkan_dns_rcode *rcode_r, size_t *nstrings_r, size_t *maxstring_r);

/* "v=DMARC1"-style prefix tests on joined TXT text. */
bool audit_has_prefix(const void *text, size_t len, const char *prefix);

/* The checks, in the order run. */
void audit_mx(struct audit *a);
void audit_spf(struct audit *a);
void audit_dkim(struct audit *a);
void audit_dmarc(struct audit *a);
void audit_dnssec(struct audit *a);
void audit_mtasts(struct audit *a);
void audit_tlsrpt(struct audit *a);
void audit_bimi(struct audit *a);

#endif
