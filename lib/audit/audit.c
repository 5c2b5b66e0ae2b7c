/*
 * audit.c: inkan_audit_run(): the order of the checks, the report's
 * storage, and the helpers every area's file uses.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit_impl.h"

/* Everything a report holds stays well under this (records are capped by
   DNS; findings by the number of checks and MX hosts). */
#define AUDIT_ARENA_MAX (16u * 1024 * 1024)
/* One joined TXT RRset, escaped: 64 KiB of DNS answer at most, 4x. */
#define AUDIT_TXT_MAX (256u * 1024)

void
inkan_audit_options_init(struct inkan_audit_options *o)
{
	if (o == NULL)
		return;
	memset(o, 0, sizeof(*o));
	o->probe_selectors = true;
}

char *
audit_strf(struct audit *a, const char *fmt, ...)
{
	struct inkan_buf b;
	va_list ap;
	char *s = NULL;

	inkan_buf_init(&b, AUDIT_TXT_MAX);
	va_start(ap, fmt);
	(void)inkan_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	if (b.err == INKAN_OK)
		s = inkan_arena_strndup(
		    &a->rep->arena, inkan_buf_cstr(&b), b.len);
	if (s == NULL && a->err == INKAN_OK)
		a->err = b.err != INKAN_OK ? b.err : INKAN_ERR_NOMEM;
	inkan_buf_clear(&b);
	return s;
}

char *
audit_esc(struct audit *a, const void *p, size_t n)
{
	struct inkan_buf b;
	char *s = NULL;

	inkan_buf_init(&b, AUDIT_TXT_MAX);
	if (inkan_escape(p, n, &b) == INKAN_OK)
		s = inkan_arena_strndup(
		    &a->rep->arena, inkan_buf_cstr(&b), b.len);
	if (s == NULL && a->err == INKAN_OK)
		a->err = b.err != INKAN_OK ? b.err : INKAN_ERR_NOMEM;
	inkan_buf_clear(&b);
	return s;
}

void
audit_add(struct audit *a, const char *id, int sev, const char *evidence,
    const char *fix, const char *fmt, ...)
{
	struct audit_report *rep = a->rep;
	const struct inkan_audit_check *c = audit_check_find(id);
	struct inkan_audit_finding *f;
	struct inkan_buf b;
	va_list ap;

	if (a->err != INKAN_OK)
		return;
	if (c == NULL) {
		/* Every id is in the catalogue; a unit test holds to it. */
		a->err = INKAN_ERR_INTERNAL;
		return;
	}
	if (rep->pub.nfindings == rep->findings_cap) {
		size_t cap = rep->findings_cap ? rep->findings_cap * 2 : 16;
		struct inkan_audit_finding *p;

		if ((p = realloc(rep->findings, cap * sizeof(*p))) == NULL) {
			a->err = INKAN_ERR_NOMEM;
			return;
		}
		rep->findings = p;
		rep->findings_cap = cap;
		rep->pub.findings = p;
	}
	f = &rep->findings[rep->pub.nfindings];
	memset(f, 0, sizeof(*f));
	f->id = c->id;
	f->area = c->area;
	f->severity = sev < 0 ? c->severity : (enum inkan_audit_severity)sev;
	inkan_buf_init(&b, AUDIT_TXT_MAX);
	va_start(ap, fmt);
	(void)inkan_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	f->message = b.err == INKAN_OK
	    ? inkan_arena_strndup(&rep->arena, inkan_buf_cstr(&b), b.len)
	    : NULL;
	inkan_buf_clear(&b);
	f->evidence = inkan_arena_strndup(&rep->arena, evidence ? evidence : "",
	    evidence ? strlen(evidence) : 0);
	f->fix = inkan_arena_strndup(
	    &rep->arena, fix ? fix : "", fix ? strlen(fix) : 0);
	if (f->message == NULL || f->evidence == NULL || f->fix == NULL) {
		a->err = INKAN_ERR_NOMEM;
		return;
	}
	rep->pub.nfindings++;
}

bool
audit_has_prefix(const void *text, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);

	return len >= n && memcmp(text, prefix, n) == 0;
}

size_t
audit_txt(struct audit *a, const char *name,
    bool (*is_kind)(const void *text, size_t len), struct inkan_buf *joined_r,
    enum inkan_dns_rcode *rcode_r, size_t *nstrings_r, size_t *maxstring_r)
{
	struct inkan_dns_answer *ans = NULL;
	struct inkan_buf txt;
	size_t i, j, found = 0;

	*rcode_r = INKAN_DNS_NXDOMAIN;
	if (nstrings_r != NULL)
		*nstrings_r = 0;
	if (maxstring_r != NULL)
		*maxstring_r = 0;
	if (inkan_resolver_lookup(a->r, name, INKAN_DNS_TXT, &ans) != INKAN_OK)
		return 0;
	*rcode_r = ans->rcode;
	inkan_buf_init(&txt, AUDIT_TXT_MAX);
	for (i = 0; ans->rcode == INKAN_DNS_NOERROR && i < ans->count; i++) {
		inkan_buf_reset(&txt);
		if (inkan_dns_txt_join(&ans->records[i], &txt) != INKAN_OK)
			continue;
		if (!is_kind(txt.data, txt.len))
			continue;
		if (found++ == 0) {
			if (joined_r != NULL)
				(void)inkan_buf_append(
				    joined_r, txt.data, txt.len);
			if (nstrings_r != NULL)
				*nstrings_r = ans->records[i].u.txt.count;
			for (j = 0; maxstring_r != NULL &&
			     j < ans->records[i].u.txt.count;
			     j++)
				if (ans->records[i].u.txt.strings[j].len >
				    *maxstring_r)
					*maxstring_r = ans->records[i]
							   .u.txt.strings[j]
							   .len;
		}
	}
	inkan_buf_clear(&txt);
	inkan_dns_answer_free(&ans);
	return found;
}

/* RFC 1035 2.3.1 host names, with '_' allowed; one trailing dot. */
static bool
domain_ok(const char *d, size_t *len_r)
{
	size_t n = strlen(d), i, label = 0;

	if (n > 0 && d[n - 1] == '.')
		n--;
	if (n == 0 || n > 253)
		return false;
	for (i = 0; i < n; i++) {
		uint8_t c = (uint8_t)d[i];

		if (c == '.') {
			if (label == 0)
				return false;
			label = 0;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			(c >= '0' && c <= '9') || c == '-' || c == '_'))
			return false;
		if (++label > 63)
			return false;
	}
	*len_r = n;
	return true;
}

void
inkan_audit_report_free(struct inkan_audit_report **repp)
{
	struct audit_report *rep;

	if (repp == NULL || *repp == NULL)
		return;
	rep = (struct audit_report *)*repp;
	inkan_arena_clear(&rep->arena);
	free(rep->findings);
	free(rep->mx);
	free(rep->dkim);
	free(rep);
	*repp = NULL;
}

bool
inkan_audit_has_severity(
    const struct inkan_audit_report *rep, enum inkan_audit_severity min)
{
	size_t i;

	for (i = 0; rep != NULL && i < rep->nfindings; i++)
		if (rep->findings[i].severity >= min)
			return true;
	return false;
}

enum inkan_status
inkan_audit_run(struct inkan_resolver *resolver, const char *domain,
    const struct inkan_audit_options *o, struct inkan_audit_report **report_r)
{
	struct inkan_audit_options defaults;
	struct inkan_dmarc_options dopt;
	struct audit a;
	struct audit_report *rep = NULL;
	enum inkan_status st;
	size_t n, i;
	char *d;

	if (report_r == NULL)
		return INKAN_ERR_INVAL;
	*report_r = NULL;
	if (resolver == NULL || domain == NULL)
		return INKAN_ERR_INVAL;
	if (!domain_ok(domain, &n))
		return INKAN_ERR_SYNTAX;
	if (o == NULL) {
		inkan_audit_options_init(&defaults);
		o = &defaults;
	}
	if ((rep = calloc(1, sizeof(*rep))) == NULL)
		return INKAN_ERR_NOMEM;
	inkan_arena_init(&rep->arena, AUDIT_ARENA_MAX);
	memset(&a, 0, sizeof(a));
	a.r = resolver;
	a.o = o;
	a.lim = o->limits != NULL ? o->limits : inkan_limits_defaults();
	a.rep = rep;
	if ((d = inkan_arena_strndup(&rep->arena, domain, n)) == NULL) {
		st = INKAN_ERR_NOMEM;
		goto out;
	}
	for (i = 0; i < n; i++)
		d[i] = (char)inkan_ascii_lower((uint8_t)d[i]);
	a.domain = d;
	rep->pub.domain = d;
	rep->pub.offline = o->offline || o->fetch == NULL;
	rep->pub.dns_from_zones = o->dns_from_zones;

	inkan_dmarc_options_init(&dopt);
	dopt.now = o->now;
	dopt.now_arg = o->now_arg;
	if ((st = inkan_dmarc_new(resolver, o->limits, &dopt, &a.dmarc)) !=
	    INKAN_OK)
		goto out;

	audit_mx(&a);
	audit_spf(&a);
	audit_dkim(&a);
	audit_dmarc(&a);
	audit_dnssec(&a);
	audit_mtasts(&a);
	audit_tlsrpt(&a);
	audit_bimi(&a);
	if ((st = a.err) != INKAN_OK)
		goto out;
	rep->pub.grade = inkan_audit_grade(rep->findings, rep->pub.nfindings);
	*report_r = &rep->pub;
	rep = NULL;
out:
	inkan_dmarc_lookup_free(&a.dmarc_lk);
	inkan_dmarc_free(&a.dmarc);
	if (rep != NULL) {
		struct inkan_audit_report *p = &rep->pub;

		inkan_audit_report_free(&p);
	}
	return st;
}
