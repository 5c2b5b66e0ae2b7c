/*
 * bimi.c: the BIMI assertion record at default._bimi.<domain>
 * (draft-brand-indicators-for-message-identification): v=BIMI1 first, an
 * https logo (l=), a mark certificate (a=), and the DMARC policy BIMI
 * needs: quarantine or reject for all mail (no pct below 100).
 *
 * The record's tag=value list has DKIM's grammar (RFC 6376 3.2), so it
 * is split with lib/dkim's tag-list parser rather than a new one. The
 * logo is fetched only online with a fetcher; the SVG Tiny PS profile
 * check belongs to lib/bimi.
 */
#include <string.h>

#include "../dkim/dkim_impl.h"
#include "audit_impl.h"

#define BIMI_TAGS_MAX 16

static bool
is_bimi(const void *text, size_t len)
{
	return audit_has_prefix(text, len, "v=BIMI1");
}

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

void
audit_bimi(struct audit *a)
{
	struct dkim_tag tags[BIMI_TAGS_MAX];
	const struct dkim_tag *l, *cert;
	struct inkan_buf txt;
	enum inkan_dns_rcode rcode;
	const char *name, *ev, *why = NULL;
	size_t n, ntags = 0;

	inkan_buf_init(&txt, 65536);
	name = audit_strf(a, "default._bimi.%s", a->domain);
	if (name == NULL)
		goto out;
	n = audit_txt(a, name, is_bimi, &txt, &rcode, NULL, NULL);
	if (n == 0) {
		audit_add(a, "bimi.missing", -1,
		    audit_strf(a, "TXT %s: none", name), "",
		    "%s publishes no BIMI record (optional)", a->domain);
		goto out;
	}
	a->rep->pub.bimi_record = audit_esc(a, txt.data, txt.len);
	ev = audit_strf(a, "TXT %s: \"%s\"", name, a->rep->pub.bimi_record);
	if (n > 1 ||
	    dkim_taglist_parse(inkan_buf_view(&txt), tags, BIMI_TAGS_MAX,
		&ntags, &why) != INKAN_OK ||
	    ntags == 0 || !inkan_view_eq(tags[0].name, INKAN_VIEW_LIT("v")) ||
	    !inkan_view_eq(tags[0].value, INKAN_VIEW_LIT("BIMI1"))) {
		audit_add(a, "bimi.invalid", -1, ev,
		    audit_strf(a,
			"%s. IN TXT \"v=BIMI1; l=https://%s/logo.svg; "
			"a=https://%s/vmc.pem\" (one record)",
			name, a->domain, a->domain),
		    "The BIMI record is not valid: %s",
		    n > 1 ? "several records"
			  : (why != NULL ? why : "v=BIMI1 must come first"));
		goto out;
	}
	l = dkim_tag_find(tags, ntags, "l");
	cert = dkim_tag_find(tags, ntags, "a");
	if (l != NULL && l->value.len > 0 &&
	    !inkan_view_prefix_nocase(l->value, INKAN_VIEW_LIT("https://")))
		audit_add(a, "bimi.logo-not-https", -1, ev,
		    "Serve the logo over HTTPS and write its https:// URL in "
		    "l=.",
		    "The BIMI logo URL is not https");
	if (cert == NULL || cert->value.len == 0)
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
	if (l != NULL && l->value.len > 0 &&
	    (a->o->offline || a->o->fetch == NULL))
		audit_add(a, "bimi.logo-skipped", -1, ev, "",
		    "The BIMI logo was not fetched (%s); its SVG profile was "
		    "not checked",
		    a->o->offline ? "offline" : "no HTTPS client");
out:
	inkan_buf_clear(&txt);
}
