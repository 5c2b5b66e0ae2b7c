/*
 * bimi.c: the BIMI assertion record (lib/bimi: the draft's discovery at
 * default._bimi.<domain>, falling back to the Organizational Domain), an
 * https logo (l=), a mark certificate (a=), the DMARC policy BIMI needs
 * (quarantine or reject for all mail, no pct below 100), and, online, the
 * logo fetched and checked against SVG Tiny Portable/Secure.
 */
#include <string.h>

#include <inkan/bimi.h>

#include "audit_impl.h"

/* A logo is small; lib/bimi refuses larger ones anyway. */
#define BIMI_LOGO_FETCH_MAX (1024u * 1024)

/* Is DMARC at quarantine or reject for all mail? Says why not in *why_r. */
static bool
dmarc_enforced(struct audit *a, const char **why_r)
{
	const struct inkan_dmarc_lookup *lk = a->dmarc_lk;
	const struct inkan_dmarc_record *rec;
	enum inkan_dmarc_policy pol;

	if (lk == NULL || lk->status != INKAN_DMARC_LOOKUP_FOUND ||
	    lk->record == NULL) {
		*why_r = "there is no DMARC policy";
		return false;
	}
	rec = lk->record;
	if ((rec->flags & INKAN_DMARC_REC_NOT_APPLIED) != 0) {
		*why_r = "the DMARC record is not applied";
		return false;
	}
	pol = rec->p;
	if (!lk->author_is_policy_domain &&
	    rec->sp != INKAN_DMARC_POLICY_ABSENT)
		pol = rec->sp;
	if (pol != INKAN_DMARC_POLICY_QUARANTINE &&
	    pol != INKAN_DMARC_POLICY_REJECT) {
		*why_r = "the DMARC policy is p=none";
		return false;
	}
	if (rec->pct >= 0 && rec->pct < 100) {
		*why_r = "the DMARC policy covers only part of the mail (pct)";
		return false;
	}
	return true;
}

/* Online: fetch the logo and check its SVG profile. */
static void
check_logo(struct audit *a, const char *url, const char *ev)
{
	struct inkan_bimi_svg_report *svg = NULL;
	struct inkan_buf ctype, body, why, errs;
	enum inkan_status st;
	int status = 0;
	size_t i;

	inkan_buf_init(&ctype, 1024);
	inkan_buf_init(&body, BIMI_LOGO_FETCH_MAX);
	inkan_buf_init(&why, 1024);
	inkan_buf_init(&errs, 4096);
	st = a->o->fetch(a->o->fetch_arg, url, &status, &ctype, &body, &why);
	if (st != INKAN_OK || status != 200) {
		audit_add(a, "bimi.logo-unavailable", -1,
		    audit_strf(a, "%s; GET %s: %s", ev, url,
			st != INKAN_OK ? (why.len ? inkan_buf_cstr(&why)
						  : inkan_strerror(st))
				       : audit_strf(a, "HTTP %d", status)),
		    "Serve the logo at the l= URL over HTTPS with status 200.",
		    "The BIMI logo cannot be fetched");
		goto out;
	}
	if (inkan_bimi_svg_check(body.data, body.len, a->lim, &svg) != INKAN_OK)
		goto out;
	if (svg->verdict != INKAN_BIMI_SVG_FAIL)
		goto out;
	for (i = 0; i < svg->nfindings; i++)
		if (svg->findings[i].severity == INKAN_BIMI_ERROR)
			(void)inkan_buf_printf(&errs, "%s%s (line %u): %s",
			    errs.len ? "; " : "",
			    inkan_bimi_svg_code_name(svg->findings[i].code),
			    svg->findings[i].line, svg->findings[i].message);
	audit_add(a, "bimi.logo-profile", -1,
	    audit_strf(a, "%s; %s", url, inkan_buf_cstr(&errs)),
	    "Export the logo as SVG Tiny 1.2 Portable/Secure: version=\"1.2\" "
	    "baseProfile=\"tiny-ps\", a <title>, a square viewBox, no "
	    "scripts, images or external references.",
	    "The BIMI logo is not SVG Tiny PS (%zu error(s)): mail clients "
	    "will not show it",
	    svg->nerrors);
out:
	inkan_bimi_svg_report_free(&svg);
	inkan_buf_clear(&ctype);
	inkan_buf_clear(&body);
	inkan_buf_clear(&why);
	inkan_buf_clear(&errs);
}

void
audit_bimi(struct audit *a)
{
	struct inkan_bimi_lookup look;
	const struct inkan_bimi_record *rec;
	const char *org = NULL, *name, *ev, *why = NULL;

	memset(&look, 0, sizeof(look));
	if (a->dmarc_lk != NULL && a->dmarc_lk->org_domain != NULL &&
	    strcmp(a->dmarc_lk->org_domain, a->domain) != 0)
		org = a->dmarc_lk->org_domain;
	name = audit_strf(a, "default._bimi.%s", a->domain);
	if (name == NULL)
		return;
	if (inkan_bimi_record_lookup(
		a->r, NULL, a->domain, org, a->lim, &look) != INKAN_OK)
		goto out;
	ev = audit_strf(a, "TXT default._bimi.%s", look.domain);
	switch (look.status) {
	case INKAN_BIMI_LOOKUP_NONE:
		audit_add(a, "bimi.missing", -1,
		    audit_strf(a, "TXT %s: none", name), "",
		    "%s publishes no BIMI record (optional)", a->domain);
		goto out;
	case INKAN_BIMI_LOOKUP_TEMPERROR:
		audit_add(a, "bimi.lookup-failed", -1, ev,
		    "Make the name servers answer TXT queries for _bimi.",
		    "The BIMI lookup failed: %s", look.err.message);
		goto out;
	case INKAN_BIMI_LOOKUP_INVALID:
		if ((look.err.problems & (1u << INKAN_BIMI_REC_L_NOT_HTTPS)) !=
		    0)
			audit_add(a, "bimi.logo-not-https", -1, ev,
			    "Serve the logo over HTTPS and write its https:// "
			    "URL in l=.",
			    "The BIMI logo URL is not https: %s",
			    look.err.message);
		else
			audit_add(a, "bimi.invalid", -1, ev,
			    audit_strf(a,
				"%s. IN TXT \"v=BIMI1; l=https://%s/logo.svg; "
				"a=https://%s/vmc.pem\" (one record)",
				name, a->domain, a->domain),
			    "The BIMI record is not valid: %s",
			    look.err.message);
		goto out;
	case INKAN_BIMI_LOOKUP_FOUND:
		break;
	}
	rec = look.record;
	a->rep->pub.bimi_record = audit_strf(a, "v=BIMI1; l=%s%s%s",
	    rec->location, rec->authority[0] ? "; a=" : "", rec->authority);
	ev = audit_strf(a, "TXT default._bimi.%s: l=%s a=%s", look.domain,
	    rec->location, rec->authority);
	if (rec->declined) {
		audit_add(a, "bimi.declined", -1, ev, "",
		    "%s declines BIMI (empty l= and a=)", a->domain);
		goto out;
	}
	if (rec->authority[0] == '\0')
		audit_add(a, "bimi.no-vmc", -1, ev,
		    "Obtain a Verified Mark Certificate (or Common Mark "
		    "Certificate) for the logo and add a=https://<host>/<cert>"
		    ".pem.",
		    "The BIMI record has no a= (mark certificate)");
	if (!dmarc_enforced(a, &why))
		audit_add(a, "bimi.dmarc-not-enforced", -1,
		    audit_strf(a, "%s; DMARC: %s", ev,
			a->rep->pub.dmarc_record != NULL
			    ? a->rep->pub.dmarc_record
			    : "none"),
		    "Raise DMARC to p=quarantine or p=reject without pct= "
		    "(see the dmarc findings for the plan); until then no "
		    "mailbox provider shows the logo.",
		    "BIMI is published but %s", why);
	if (rec->location[0] == '\0')
		goto out;
	if (a->o->offline || a->o->fetch == NULL)
		audit_add(a, "bimi.logo-skipped", -1, ev, "",
		    "The BIMI logo was not fetched (%s); its SVG profile was "
		    "not checked",
		    a->o->offline ? "offline" : "no HTTPS client");
	else
		check_logo(a, rec->location, ev);
out:
	inkan_bimi_lookup_clear(&look);
}
