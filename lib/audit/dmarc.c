/*
 * dmarc.c: the DMARC policy (RFC 9989) found by the DNS Tree Walk of
 * 4.10: present, applied, p=none called out as monitoring only with a
 * plan to reach reject (p=none is low with aggregate reports, the plan's
 * first step, and medium without), sp= and np= not weaker than p=, obsolete
 * tags (pct below 100 above all), reporting addresses and their RFC 9990 3
 * authorisation records.
 */
#include <string.h>

#include "audit_impl.h"

/* "; rua=mailto:a,mailto:b" from the record, or a suggested one. */
static const char *
rua_part(
    struct audit *a, const struct inkan_dmarc_record *rec, const char *domain)
{
	struct inkan_buf b;
	const char *s;
	size_t i;

	if (rec == NULL || rec->nrua == 0)
		return audit_strf(a, "; rua=mailto:dmarc-reports@%s", domain);
	inkan_buf_init(&b, 8192);
	(void)inkan_buf_append_cstr(&b, "; rua=");
	for (i = 0; i < rec->nrua; i++)
		(void)inkan_buf_printf(
		    &b, "%s%s", i ? "," : "", rec->rua[i].uri);
	s = audit_strf(a, "%s", inkan_buf_cstr(&b));
	inkan_buf_clear(&b);
	return s;
}

/* The none -> quarantine -> reject plan, from where the domain is. */
static const char *
plan(struct audit *a, enum inkan_dmarc_policy now,
    const struct inkan_dmarc_record *rec, const char *pdomain)
{
	const char *rua = rua_part(a, rec, pdomain);

	if (rua == NULL)
		return NULL;
	if (now == INKAN_DMARC_POLICY_QUARANTINE)
		return audit_strf(a,
		    "When the aggregate reports show every legitimate "
		    "sender passing SPF or DKIM aligned (a few clean weeks), "
		    "publish: _dmarc.%s. IN TXT \"v=DMARC1; p=reject%s\"",
		    pdomain, rua);
	return audit_strf(a,
	    "Step 1: publish _dmarc.%s. IN TXT \"v=DMARC1; p=none%s\" and "
	    "read the aggregate reports until every service that sends as "
	    "%s passes SPF or DKIM aligned (2-4 weeks). Step 2: _dmarc.%s. "
	    "IN TXT \"v=DMARC1; p=quarantine%s\". Step 3, after 2-4 clean "
	    "weeks more: _dmarc.%s. IN TXT \"v=DMARC1; p=reject%s\"",
	    pdomain, rua, pdomain, pdomain, rua, pdomain, rua);
}

/*
 * True when u is an address receivers will send aggregate reports to: a
 * mailto: URI (the one scheme reporters are sure to support) whose
 * destination has not refused them (RFC 9990 3; a temporary failure is
 * given the benefit of the doubt). The external check goes through the
 * DMARC cache, so check_destination() asking again costs no query.
 */
static bool
rua_usable(
    struct audit *a, const char *pdomain, const struct inkan_dmarc_uri *u)
{
	struct inkan_dmarc_record *override = NULL;
	enum inkan_dmarc_external ext;
	const char *why = NULL;

	if (u->address == NULL || u->host == NULL ||
	    strcmp(u->scheme, "mailto") != 0)
		return false;
	if (inkan_dmarc_external_check(
		a->dmarc, pdomain, u->host, &ext, &why, &override) != INKAN_OK)
		return false;
	inkan_dmarc_record_free(&override);
	return ext != INKAN_DMARC_EXT_NOT_AUTHORISED;
}

/* RFC 9990 3: reports to another Organizational Domain need its consent. */
static void
check_destination(struct audit *a, const char *pdomain,
    const struct inkan_dmarc_uri *u, const char *tag)
{
	struct inkan_dmarc_record *override = NULL;
	enum inkan_dmarc_external ext;
	const char *why = NULL;

	if (u->host == NULL)
		return;
	if (inkan_dmarc_external_check(
		a->dmarc, pdomain, u->host, &ext, &why, &override) != INKAN_OK)
		return;
	inkan_dmarc_record_free(&override);
	if (ext != INKAN_DMARC_EXT_NOT_AUTHORISED)
		return;
	audit_add(a, "dmarc.rua-unauthorised", -1,
	    audit_strf(a, "%s=%s; TXT %s._report._dmarc.%s: %s", tag, u->uri,
		pdomain, u->host, why != NULL ? why : "no v=DMARC1 record"),
	    audit_strf(a,
		"The owner of %s publishes: %s._report._dmarc.%s. IN TXT "
		"\"v=DMARC1\" (or use an address in %s)",
		u->host, pdomain, u->host, pdomain),
	    "Reports to %s are not authorised by %s (RFC 9990 3): "
	    "receivers will not send them",
	    u->uri, u->host);
}

void
audit_dmarc(struct audit *a)
{
	struct audit_report *rep = a->rep;
	struct inkan_dmarc_lookup *lk = NULL;
	const struct inkan_dmarc_record *rec;
	enum inkan_dmarc_policy pol;
	const char *ev, *pd;
	size_t i, nusable = 0;

	if (inkan_dmarc_lookup(a->dmarc, a->domain, &lk) != INKAN_OK) {
		a->err = INKAN_ERR_NOMEM;
		return;
	}
	a->dmarc_lk = lk;
	if (lk->status == INKAN_DMARC_LOOKUP_TEMPERROR) {
		audit_add(a, "dmarc.lookup-failed", -1,
		    audit_strf(a, "%s", lk->reason),
		    "Make the name servers answer TXT queries for _dmarc.",
		    "The DMARC lookup for %s failed", a->domain);
		return;
	}
	if (lk->status != INKAN_DMARC_LOOKUP_FOUND || lk->record == NULL) {
		audit_add(a, "dmarc.missing", -1,
		    audit_strf(
			a, "TXT _dmarc.%s: none (%s)", a->domain, lk->reason),
		    plan(a, INKAN_DMARC_POLICY_NONE, NULL, a->domain),
		    "%s has no DMARC policy: anyone can send mail that "
		    "claims to be from it",
		    a->domain);
		return;
	}
	rec = lk->record;
	pd = lk->policy_domain;
	rep->pub.dmarc_record = audit_strf(a, "%s", lk->record_text);
	rep->pub.dmarc_policy_domain = audit_strf(a, "%s", pd);
	ev = audit_strf(a, "TXT _dmarc.%s: \"%s\"", pd, lk->record_text);
	if (!lk->author_is_policy_domain)
		audit_add(a, "dmarc.inherited", -1, ev, "",
		    "%s has no record of its own; the policy of %s applies "
		    "(sp= if given)",
		    a->domain, pd);
	if ((rec->flags & INKAN_DMARC_REC_NOT_APPLIED) != 0) {
		audit_add(a, "dmarc.not-applied", -1, ev,
		    plan(a, INKAN_DMARC_POLICY_NONE, rec, pd),
		    "The DMARC record has no valid p= and no rua=: receivers "
		    "ignore it (RFC 9989 4.10.1)");
		return;
	}
	pol = rec->p;
	if (!lk->author_is_policy_domain &&
	    rec->sp != INKAN_DMARC_POLICY_ABSENT)
		pol = rec->sp;
	for (i = 0; i < rec->nrua; i++)
		if (rua_usable(a, pd, &rec->rua[i]))
			nusable++;
	/* p=none with reports is the plan's first step (low); without
	   them it leads nowhere (medium), and says what dmarc.no-rua
	   would. */
	if (pol == INKAN_DMARC_POLICY_NONE && nusable > 0)
		audit_add(a, "dmarc.policy-none", -1, ev,
		    plan(a, INKAN_DMARC_POLICY_NONE, rec, pd),
		    "The DMARC policy is p=none: monitoring only, mail that "
		    "fails DMARC is still delivered; read the aggregate "
		    "reports, then raise it");
	else if (pol == INKAN_DMARC_POLICY_NONE)
		audit_add(a, "dmarc.policy-none-no-reports", -1, ev,
		    plan(a, INKAN_DMARC_POLICY_NONE, NULL, pd),
		    "The DMARC policy is p=none with no usable rua=: mail "
		    "that fails DMARC is delivered, and no aggregate reports "
		    "come to show when p=quarantine is safe");
	else if (pol == INKAN_DMARC_POLICY_QUARANTINE)
		audit_add(a, "dmarc.policy-quarantine", -1, ev,
		    plan(a, INKAN_DMARC_POLICY_QUARANTINE, rec, pd),
		    "The DMARC policy is p=quarantine; p=reject is the goal");
	if (rec->sp_written != INKAN_DMARC_POLICY_ABSENT &&
	    rec->sp_written < rec->p)
		audit_add(a, "dmarc.sp-weaker", -1, ev,
		    audit_strf(a,
			"Remove sp= (subdomains then get p=%s), or raise it.",
			inkan_dmarc_policy_name(rec->p)),
		    "sp=%s is weaker than p=%s",
		    inkan_dmarc_policy_name(rec->sp_written),
		    inkan_dmarc_policy_name(rec->p));
	if (rec->np_written != INKAN_DMARC_POLICY_ABSENT &&
	    rec->np_written < rec->p)
		audit_add(a, "dmarc.np-weaker", -1, ev,
		    "Remove np= or set np=reject: names that do not exist "
		    "send no legitimate mail.",
		    "np=%s is weaker than p=%s",
		    inkan_dmarc_policy_name(rec->np_written),
		    inkan_dmarc_policy_name(rec->p));
	if (rec->pct >= 0 && rec->pct < 100)
		audit_add(a, "dmarc.pct-partial", -1, ev,
		    "Remove pct= (RFC 9989 dropped it); to go slowly, use "
		    "p=quarantine before p=reject instead.",
		    "pct=%d: receivers that still read it apply the policy "
		    "to %d%% of failing mail only",
		    rec->pct, rec->pct);
	else if ((rec->flags & INKAN_DMARC_REC_OBSOLETE) != 0)
		audit_add(a, "dmarc.obsolete-tag", -1, ev,
		    "Remove pct=, rf= and ri= from the record.",
		    "The DMARC record has obsolete tags (pct=, rf=, ri=), "
		    "which receivers ignore");
	if (rec->testing)
		audit_add(a, "dmarc.testing", -1, ev,
		    "Remove t=y once the reports look right.",
		    "t=y: receivers apply the policy one step lower");
	for (i = 0; i < rec->nwarnings; i++)
		if (strstr(rec->warnings[i], "obsolete") == NULL)
			audit_add(a, "dmarc.warning", -1, ev,
			    "Correct or remove the tag.", "%s",
			    rec->warnings[i]);
	if (rec->nrua == 0 && pol != INKAN_DMARC_POLICY_NONE)
		audit_add(a, "dmarc.no-rua", -1, ev,
		    audit_strf(a,
			"Add rua=mailto:dmarc-reports@%s so receivers send "
			"aggregate reports.",
			pd),
		    "The DMARC record has no rua=: no aggregate reports");
	for (i = 0; i < rec->nrua; i++)
		check_destination(a, pd, &rec->rua[i], "rua");
	for (i = 0; i < rec->nruf; i++)
		check_destination(a, pd, &rec->ruf[i], "ruf");
}
