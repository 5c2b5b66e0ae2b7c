/*
 * spf.c: the domain's SPF record (RFC 7208): one record, valid, within
 * the lookup limits of 4.6.4 counted through every include and redirect,
 * ending in -all, no ptr, includes that exist, and the domain's own MX
 * hosts permitted.
 */
#include <stdlib.h>
#include <string.h>

#include "audit_impl.h"

/* RFC 7208 4.6.4. */
#define SPF_TERMS_LIMIT 10
#define SPF_VOID_LIMIT 2
/* Include nesting followed; deeper is a loop or absurd either way. */
#define SPF_WALK_DEPTH 10
/* Domains remembered for loop detection. */
#define SPF_WALK_SEEN 64

struct spf_walk {
	unsigned lookups, voids;
	bool ptr, macro;
	/* The all of the top record, or of the record redirect= leads to. */
	bool has_all;
	enum inkan_spf_result all;
	struct inkan_buf counted; /* "include:x (3), a:y (1)" */
	struct inkan_buf missing; /* includes without a record */
	struct inkan_buf broken; /* included records that do not parse */
	size_t nseen;
	char *seen[SPF_WALK_SEEN];
};

/* RFC 7208 4.5: "v=spf1" then a space or the end, any case. */
static bool
is_spf(const void *text, size_t len)
{
	const uint8_t *p = text;

	if (len < 6 ||
	    !inkan_view_prefix_nocase(
		inkan_view_make(p, len), INKAN_VIEW_LIT("v=spf1")))
		return false;
	return len == 6 || p[6] == ' ';
}

static bool
seen(struct spf_walk *w, const char *d)
{
	size_t i;

	for (i = 0; i < w->nseen; i++)
		if (strcmp(w->seen[i], d) == 0)
			return true;
	if (w->nseen < SPF_WALK_SEEN && (w->seen[w->nseen] = strdup(d)) != NULL)
		w->nseen++;
	return false;
}

/* True when name has no records of type (NXDOMAIN or NODATA). */
static bool
is_void(struct audit *a, const char *name, enum inkan_dns_type type)
{
	struct inkan_dns_answer *ans = NULL;
	bool v = false;

	if (inkan_resolver_lookup(a->r, name, type, &ans) != INKAN_OK)
		return false;
	v = ans->rcode == INKAN_DNS_NXDOMAIN || ans->rcode == INKAN_DNS_NODATA;
	inkan_dns_answer_free(&ans);
	return v;
}

static void walk(struct audit *a, struct spf_walk *w,
    const struct inkan_spf_record *rec, unsigned depth, bool top_chain);

/* include: or redirect= target: its record, counted and walked. */
static void
walk_target(struct audit *a, struct spf_walk *w, const char *target,
    const char *term, unsigned depth, bool top_chain)
{
	struct inkan_buf txt;
	struct inkan_spf_record *sub = NULL;
	struct inkan_spf_error err;
	enum inkan_dns_rcode rcode;
	unsigned before = w->lookups;
	size_t n;

	if (term == NULL)
		return; /* out of memory: a->err is set */
	inkan_buf_init(&txt, 65536);
	n = audit_txt(a, target, is_spf, &txt, &rcode, NULL, NULL);
	if (rcode == INKAN_DNS_NXDOMAIN || rcode == INKAN_DNS_NODATA)
		w->voids++;
	if (n == 0) {
		if (rcode == INKAN_DNS_SERVFAIL || rcode == INKAN_DNS_TIMEOUT)
			audit_add(a, "spf.lookup-failed", -1,
			    audit_strf(a, "TXT %s: %s", target,
				inkan_dns_rcode_to_name(rcode)),
			    "Retry later; if it persists, fix the name "
			    "servers of that domain.",
			    "The SPF lookup of %s (%s) failed", target, term);
		else
			(void)inkan_buf_printf(&w->missing, "%s%s",
			    w->missing.len ? ", " : "", term);
		goto out;
	}
	if (n > 1 ||
	    inkan_spf_record_parse(txt.data, txt.len, a->lim, &sub, &err) !=
		INKAN_OK) {
		(void)inkan_buf_printf(
		    &w->broken, "%s%s", w->broken.len ? ", " : "", term);
		goto out;
	}
	if (depth < SPF_WALK_DEPTH && !seen(w, target))
		walk(a, w, sub, depth + 1, top_chain);
	if (depth == 0)
		(void)inkan_buf_printf(&w->counted, "%s%s (%u)",
		    w->counted.len ? ", " : "", term, w->lookups - before + 1);
out:
	inkan_spf_record_free(&sub);
	inkan_buf_clear(&txt);
}

static void
walk(struct audit *a, struct spf_walk *w, const struct inkan_spf_record *rec,
    unsigned depth, bool top_chain)
{
	struct inkan_spf_term_info t;
	struct inkan_view dv;
	bool macro = false;
	size_t i;

	for (i = 0; inkan_spf_record_term(rec, i, &t); i++) {
		char *d = NULL, *text = NULL;

		if (t.mechanism == INKAN_SPF_MECH_ALL) {
			if (top_chain && !w->has_all) {
				w->has_all = true;
				w->all = t.qualifier;
			}
			continue;
		}
		if (t.mechanism == INKAN_SPF_MECH_IP4 ||
		    t.mechanism == INKAN_SPF_MECH_IP6)
			continue;
		w->lookups++;
		if (t.mechanism == INKAN_SPF_MECH_PTR)
			w->ptr = true;
		if (t.macro) {
			w->macro = true;
			continue;
		}
		if (t.domain.len == 0) {
			if (depth == 0)
				(void)inkan_buf_printf(&w->counted, "%s%s (1)",
				    w->counted.len ? ", " : "",
				    t.mechanism == INKAN_SPF_MECH_A ? "a"
								    : "mx");
			continue;
		}
		d = strndup((const char *)t.domain.ptr, t.domain.len);
		text = strndup((const char *)t.text.ptr, t.text.len);
		if (d == NULL || text == NULL) {
			a->err = INKAN_ERR_NOMEM;
			free(d);
			free(text);
			return;
		}
		switch (t.mechanism) {
		case INKAN_SPF_MECH_INCLUDE:
			walk_target(a, w, d, text, depth, false);
			break;
		case INKAN_SPF_MECH_A:
			if (is_void(a, d, INKAN_DNS_A) &&
			    is_void(a, d, INKAN_DNS_AAAA))
				w->voids++;
			break;
		case INKAN_SPF_MECH_MX:
			if (is_void(a, d, INKAN_DNS_MX))
				w->voids++;
			break;
		case INKAN_SPF_MECH_EXISTS:
			if (is_void(a, d, INKAN_DNS_A))
				w->voids++;
			break;
		default:
			break;
		}
		if (depth == 0 && t.mechanism != INKAN_SPF_MECH_INCLUDE)
			(void)inkan_buf_printf(&w->counted, "%s%s (1)",
			    w->counted.len ? ", " : "", text);
		free(d);
		free(text);
	}
	/* RFC 7208 6.1: redirect= is ignored when the record has all. */
	if (inkan_spf_record_modifier(rec, "redirect", &dv, &macro)) {
		bool has_all = false;

		for (i = 0; inkan_spf_record_term(rec, i, &t); i++)
			if (t.mechanism == INKAN_SPF_MECH_ALL)
				has_all = true;
		if (!has_all) {
			char *d;

			w->lookups++;
			if (macro) {
				w->macro = true;
				return;
			}
			if ((d = strndup((const char *)dv.ptr, dv.len)) ==
			    NULL) {
				a->err = INKAN_ERR_NOMEM;
				return;
			}
			walk_target(a, w, d, audit_strf(a, "redirect=%s", d),
			    depth, top_chain);
			free(d);
		}
	}
}

/*
 * The record with the term all_term (as written, e.g. "~all") replaced
 * by "-all", as a zone line.
 */
static char *
fixed_all(struct audit *a, const char *record, const char *all_term)
{
	const char *p = NULL, *q = record;
	size_t n = strlen(all_term);

	while ((q = strstr(q, all_term)) != NULL) {
		if (q > record && q[-1] == ' ' && (q[n] == ' ' || q[n] == '\0'))
			p = q;
		q += n;
	}
	if (p == NULL)
		return audit_strf(
		    a, "%s. IN TXT \"%s -all\"", a->domain, record);
	return audit_strf(a, "%s. IN TXT \"%.*s-all%s\"", a->domain,
	    (int)(p - record), record, p + n);
}

/* Whether each MX address passes the domain's SPF (check_host()). */
static void
check_mx_hosts(struct audit *a)
{
	const struct inkan_audit_report *rep = &a->rep->pub;
	struct inkan_spf *spf = NULL;
	struct inkan_buf bad;
	size_t i, j, nbad = 0;

	if (rep->nmx == 0 ||
	    inkan_spf_new(a->r, a->o->limits, &spf) != INKAN_OK)
		return;
	inkan_buf_init(&bad, 8192);
	for (i = 0; i < rep->nmx; i++) {
		for (j = 0; j < rep->mx[i].naddrs; j++) {
			struct inkan_spf_ip ip;
			struct inkan_spf_verdict *v = NULL;

			if (inkan_spf_ip_parse(rep->mx[i].addrs[j], &ip) !=
				INKAN_OK ||
			    inkan_spf_check_host(spf, &ip, a->domain, NULL,
				NULL, INKAN_SPF_ID_MAILFROM, 0, &v) != INKAN_OK)
				continue;
			if (v->result != INKAN_SPF_PASS) {
				(void)inkan_buf_printf(&bad, "%s%s %s: %s",
				    nbad ? "; " : "", rep->mx[i].host,
				    rep->mx[i].addrs[j],
				    inkan_spf_result_name(v->result));
				nbad++;
			}
			inkan_spf_verdict_free(&v);
		}
	}
	if (nbad > 0)
		audit_add(a, "spf.mx-not-permitted", -1, inkan_buf_cstr(&bad),
		    "If the MX hosts also send mail for the domain, add \"mx\" "
		    "(or their ip4:/ip6: addresses) before the all term; if "
		    "they only receive, nothing needs to change.",
		    "%zu MX address(es) of %s are not permitted by its SPF "
		    "record",
		    nbad, a->domain);
	inkan_buf_clear(&bad);
	inkan_spf_free(&spf);
}

void
audit_spf(struct audit *a)
{
	struct audit_report *rep = a->rep;
	struct inkan_buf txt;
	struct inkan_spf_record *rec = NULL;
	struct inkan_spf_error err;
	struct spf_walk w;
	enum inkan_dns_rcode rcode;
	const char *rtext, *ev;
	size_t n, nstrings, maxstring, i;

	memset(&w, 0, sizeof(w));
	inkan_buf_init(&w.counted, 8192);
	inkan_buf_init(&w.missing, 8192);
	inkan_buf_init(&w.broken, 8192);
	inkan_buf_init(&txt, 65536);
	n = audit_txt(
	    a, a->domain, is_spf, &txt, &rcode, &nstrings, &maxstring);
	if (n == 0) {
		if (rcode == INKAN_DNS_SERVFAIL || rcode == INKAN_DNS_TIMEOUT)
			audit_add(a, "spf.lookup-failed", -1,
			    audit_strf(a, "TXT %s: %s", a->domain,
				inkan_dns_rcode_to_name(rcode)),
			    "Make the domain's name servers answer TXT "
			    "queries.",
			    "The SPF lookup of %s failed", a->domain);
		else
			audit_add(a, "spf.missing", -1,
			    audit_strf(a, "TXT %s: no \"v=spf1\" record (%s)",
				a->domain, inkan_dns_rcode_to_name(rcode)),
			    rep->pub.nmx > 0 || rep->pub.null_mx
				? audit_strf(a, "%s. IN TXT \"v=spf1 %s-all\"",
				      a->domain, rep->pub.nmx > 0 ? "mx " : "")
				: audit_strf(a, "%s. IN TXT \"v=spf1 -all\"",
				      a->domain),
			    "%s has no SPF record", a->domain);
		goto out;
	}
	rtext = rep->pub.spf_record = audit_esc(a, txt.data, txt.len);
	if (rtext == NULL)
		goto out;
	ev = audit_strf(a, "TXT %s: \"%s\"", a->domain, rtext);
	if (n > 1) {
		audit_add(a, "spf.multiple", -1, ev,
		    "Merge the records into one \"v=spf1 ... -all\" record and "
		    "delete the others.",
		    "%s has %zu SPF records; receivers treat that as a "
		    "permerror",
		    a->domain, n);
		goto out;
	}
	if (inkan_spf_record_parse(txt.data, txt.len, a->lim, &rec, &err) !=
	    INKAN_OK) {
		audit_add(a, "spf.syntax", -1, ev,
		    "Correct the record; a valid one looks like "
		    "\"v=spf1 mx ip4:192.0.2.0/24 -all\".",
		    "The SPF record does not parse at byte %zu: %s", err.offset,
		    err.message);
		goto out;
	}
	if (txt.len > 255 || maxstring > 255)
		audit_add(a, "spf.long-record", -1, ev,
		    "Keep it as several quoted strings of at most 255 bytes "
		    "each in one TXT record, or shorten it with fewer terms.",
		    "The SPF record is %zu bytes in %zu string(s)", txt.len,
		    nstrings);
	(void)seen(&w, a->domain);
	walk(a, &w, rec, 0, true);
	rep->pub.spf_dns_lookups = w.lookups;
	rep->pub.spf_void_lookups = w.voids;
	if (w.missing.len > 0)
		audit_add(a, "spf.include-missing", -1,
		    audit_strf(a, "%s; no SPF record at: %s", ev,
			inkan_buf_cstr(&w.missing)),
		    "Remove these terms or correct their domain names; an "
		    "include of a domain without SPF is a permerror "
		    "(RFC 7208 5.2).",
		    "The SPF record includes domains without an SPF record: %s",
		    inkan_buf_cstr(&w.missing));
	if (w.broken.len > 0)
		audit_add(a, "spf.syntax", -1,
		    audit_strf(
			a, "%s; broken: %s", ev, inkan_buf_cstr(&w.broken)),
		    "Ask the owner of the included domain to correct it, or "
		    "stop including it.",
		    "Included SPF records do not parse: %s",
		    inkan_buf_cstr(&w.broken));
	if (w.lookups > SPF_TERMS_LIMIT)
		audit_add(a, "spf.too-many-lookups", -1,
		    audit_strf(
			a, "%s; counted: %s", ev, inkan_buf_cstr(&w.counted)),
		    "Bring it to 10 or fewer: remove includes of services no "
		    "longer used, and replace a, mx and includes of fixed "
		    "hosts with their ip4:/ip6: ranges.",
		    "The SPF record needs %u DNS lookups; the limit is %u "
		    "(RFC 7208 4.6.4)",
		    w.lookups, SPF_TERMS_LIMIT);
	if (w.voids > SPF_VOID_LIMIT)
		audit_add(a, "spf.too-many-void", -1, ev,
		    "Remove the terms that name domains without records.",
		    "The SPF record causes %u void lookups; the limit is %u "
		    "(RFC 7208 4.6.4)",
		    w.voids, SPF_VOID_LIMIT);
	if (w.ptr)
		audit_add(a, "spf.ptr", -1, ev,
		    "Replace ptr with the ip4:/ip6: ranges or a: names of the "
		    "sending hosts.",
		    "The SPF record uses ptr, which is slow and unreliable "
		    "(RFC 7208 5.5)");
	if (w.macro)
		audit_add(a, "spf.macro", -1, ev, "",
		    "Terms with macros were counted once but not followed");
	if (!w.has_all) {
		bool redirect = false;
		struct inkan_view dv;

		redirect =
		    inkan_spf_record_modifier(rec, "redirect", &dv, NULL);
		if (!redirect)
			audit_add(a, "spf.no-all", -1, ev,
			    audit_strf(
				a, "%s. IN TXT \"%s -all\"", a->domain, rtext),
			    "The SPF record does not end in -all, so hosts it "
			    "does not list get neutral");
	} else if (w.all == INKAN_SPF_PASS) {
		audit_add(a, "spf.pass-all", -1, ev,
		    fixed_all(a, rtext,
			strstr(rtext, "+all") != NULL ? "+all" : "all"),
		    "The SPF record ends in +all: anyone may send as %s",
		    a->domain);
	} else if (w.all == INKAN_SPF_NEUTRAL) {
		audit_add(a, "spf.neutral-all", -1, ev,
		    fixed_all(a, rtext, "?all"),
		    "The SPF record ends in ?all: it says nothing about "
		    "unlisted hosts");
	} else if (w.all == INKAN_SPF_SOFTFAIL) {
		audit_add(a, "spf.softfail-all", -1, ev,
		    fixed_all(a, rtext, "~all"),
		    "The SPF record ends in ~all: unlisted hosts only "
		    "soft-fail; use -all once every sender is listed");
	}
	if (w.lookups <= SPF_TERMS_LIMIT && w.voids <= SPF_VOID_LIMIT &&
	    w.missing.len == 0)
		check_mx_hosts(a);
out:
	for (i = 0; i < w.nseen; i++)
		free(w.seen[i]);
	inkan_spf_record_free(&rec);
	inkan_buf_clear(&txt);
	inkan_buf_clear(&w.counted);
	inkan_buf_clear(&w.missing);
	inkan_buf_clear(&w.broken);
}
