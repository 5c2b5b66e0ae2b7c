/*
 * evaluate.c: DMARC for one message (RFC 9989 5.3): the Author Domain(s),
 * policy discovery, identifier alignment of the SPF and DKIM passes, the
 * result, the policy that applies and the disposition, and the message's
 * row for an RFC 9990 aggregate report.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dmarc/dmarc_impl.h"

struct verdict_impl {
	struct inkan_dmarc_verdict pub;
	struct inkan_arena arena;
	struct dmarc_out out;
};

void
inkan_dmarc_verdict_free(struct inkan_dmarc_verdict **vp)
{
	struct verdict_impl *v;

	if (vp == NULL || *vp == NULL)
		return;
	v = (struct verdict_impl *)*vp;
	*vp = NULL;
	dmarc_out_clear(&v->out);
	inkan_arena_clear(&v->arena);
	free(v);
}

/* s (untrusted, from SMTP) escaped into the arena; NULL stays NULL. */
static const char *
safe_str(struct dmarc_out *o, const char *s)
{
	struct inkan_buf b;
	const char *r;

	if (s == NULL)
		return NULL;
	inkan_buf_init(&b, 4 * strlen(s) + 1);
	if (inkan_escape(s, strlen(s), &b) != INKAN_OK) {
		o->nomem = true;
		inkan_buf_clear(&b);
		return NULL;
	}
	r = dmarc_out_str(o, inkan_buf_cstr(&b));
	inkan_buf_clear(&b);
	return r;
}

/* The domain of an SMTP path ("<a@Example.COM>" gives "example.com"),
   lowercase and escaped; NULL for the null path or no "@". */
static const char *
path_domain(struct dmarc_out *o, const char *path)
{
	char buf[INKAN_SMTP_PATH_MAX + 1];
	const char *at;
	size_t n, i;

	if (path == NULL || (at = strrchr(path, '@')) == NULL)
		return NULL;
	at++;
	n = strlen(at);
	if (n > 0 && at[n - 1] == '>')
		n--;
	if (n > 0 && at[n - 1] == '.')
		n--;
	if (n == 0 || n >= sizeof(buf))
		return NULL;
	for (i = 0; i < n; i++)
		buf[i] = (char)inkan_ascii_lower((uint8_t)at[i]);
	buf[n] = '\0';
	return safe_str(o, buf);
}

static bool
null_path(const char *mail_from)
{
	return mail_from == NULL || *mail_from == '\0' ||
	    strcmp(mail_from, "<>") == 0;
}

/* ---- one Author Domain ------------------------------------------------- */

struct eval {
	struct inkan_dmarc *d;
	const struct inkan_dmarc_request *req;
	struct inkan_dmarc_verdict *v;
	struct dmarc_out *o;
	struct dmarc_policy *p;
	char author[INKAN_DNS_NAME_MAX + 1];
	bool align_temperror;
	char temp_name[INKAN_DNS_NAME_MAX + 64];
	int exists; /* 1 yes, 0 no (NXDOMAIN), -1 failed, 2 not asked */
	struct inkan_dmarc_override_reason reasons[2];
	size_t nreasons;
};

/*
 * RFC 9989 3.2.13 (RFC 8020): NXDOMAIN for the name means it does not
 * exist. One query of any type answers that; A is asked.
 */
static enum inkan_status
check_exists(struct eval *e)
{
	struct inkan_dns_answer *a = NULL;
	enum inkan_status st;

	e->d->dns_queries++;
	st = inkan_resolver_lookup(e->d->resolver, e->author, INKAN_DNS_A, &a);
	if (st == INKAN_ERR_NOMEM)
		return st;
	if (st != INKAN_OK) {
		e->exists = 1; /* a name the resolver refuses: no NXDOMAIN */
		return INKAN_OK;
	}
	switch (a->rcode) {
	case INKAN_DNS_NXDOMAIN:
		e->exists = 0;
		break;
	case INKAN_DNS_SERVFAIL:
	case INKAN_DNS_TIMEOUT:
		e->exists = -1;
		break;
	case INKAN_DNS_NOERROR:
	case INKAN_DNS_NODATA:
		e->exists = 1;
		break;
	}
	inkan_dns_answer_free(&a);
	return INKAN_OK;
}

/*
 * RFC 9989 3.2.10, 4.4, 4.10.2: is identifier aligned with the Author
 * Domain? Relaxed alignment compares Organizational Domains; a walk that
 * fails temporarily leaves the answer open (align_temperror).
 */
static enum inkan_status
aligned(struct eval *e, const char *identifier, enum inkan_dmarc_align mode,
    bool *aligned_r)
{
	char id[INKAN_DNS_NAME_MAX + 1], org[INKAN_DNS_NAME_MAX + 1];
	enum inkan_status st;

	*aligned_r = false;
	if (!dmarc_domain_normalise(identifier, id, sizeof(id)))
		return INKAN_OK;
	if (strcmp(id, e->author) == 0) {
		*aligned_r = true;
		return INKAN_OK;
	}
	if (mode == INKAN_DMARC_ALIGN_STRICT)
		return INKAN_OK;
	if ((st = dmarc_policy_org(e->d, e->p, e->o)) != INKAN_OK)
		return st;
	if (e->p->org_temperror) {
		e->align_temperror = true;
		memcpy(
		    e->temp_name, e->p->temp_name, strlen(e->p->temp_name) + 1);
		return INKAN_OK;
	}
	st = dmarc_org_domain(e->d, id, org, e->o);
	if (st == INKAN_ERR_DNS) {
		e->align_temperror = true;
		snprintf(e->temp_name, sizeof(e->temp_name),
		    "the Organizational Domain walk from %s", id);
		return INKAN_OK;
	}
	if (st != INKAN_OK && st != INKAN_ERR_NOTFOUND)
		return st;
	*aligned_r = strcmp(org, e->p->org) == 0;
	return INKAN_OK;
}

/* RFC 9989 3.2.4, 4.4.2: the SPF Domain, or NULL. */
static const char *
spf_domain(const struct inkan_dmarc_request *req)
{
	const struct inkan_spf_verdict *spf = req->spf;

	if (spf == NULL || spf->result != INKAN_SPF_PASS || spf->domain == NULL)
		return NULL;
	if (spf->identity == INKAN_SPF_ID_MAILFROM)
		return spf->domain;
	/* postmaster@<HELO> stands for a null MAIL FROM (RFC 7208 2.4). */
	return null_path(req->mail_from) ? spf->domain : NULL;
}

static enum inkan_dmarc_disposition
policy_disposition(enum inkan_dmarc_policy p)
{
	switch (p) {
	case INKAN_DMARC_POLICY_QUARANTINE:
		return INKAN_DMARC_DISP_QUARANTINE;
	case INKAN_DMARC_POLICY_REJECT:
		return INKAN_DMARC_DISP_REJECT;
	case INKAN_DMARC_POLICY_ABSENT:
	case INKAN_DMARC_POLICY_NONE:
		break;
	}
	return INKAN_DMARC_DISP_NONE;
}

/* The report row's identifiers and auth_results: known for every
   verdict, whatever the result. */
static void
report_common(struct eval *e)
{
	const struct inkan_dmarc_request *req = e->req;
	struct inkan_dmarc_report_record *r = &e->v->report;
	struct inkan_dmarc_report_dkim *dk;
	size_t i, n = 0;

	r->source_ip = req->ip;
	r->header_from = e->v->from_domain;
	r->envelope_from = null_path(req->mail_from)
	    ? safe_str(e->o,
		  req->helo != NULL && *req->helo != '\0' ? req->helo : NULL)
	    : path_domain(e->o, req->mail_from);
	r->envelope_to = path_domain(e->o, req->rcpt_to);
	r->discovery_method = e->d->opt.mode;
	if (req->ndkim > 0 && req->dkim != NULL) {
		dk = inkan_arena_calloc(e->o->arena, req->ndkim, sizeof(*dk));
		if (dk == NULL) {
			e->o->nomem = true;
			return;
		}
		for (i = 0; i < req->ndkim; i++) {
			const struct inkan_dkim_sig *s = &req->dkim[i];

			/* RFC 9990 DKIMAuthResultType needs d= and s=. */
			if (s->domain == NULL)
				continue;
			dk[n].domain = safe_str(e->o, s->domain);
			dk[n].selector = safe_str(
			    e->o, s->selector != NULL ? s->selector : "");
			dk[n].result = s->result;
			dk[n].human_result = safe_str(e->o, s->reason);
			n++;
		}
		r->dkim = dk;
		r->ndkim = n;
	}
	if (req->spf != NULL) {
		r->has_spf = true;
		r->spf.domain = safe_str(e->o, req->spf->domain);
		r->spf.scope = req->spf->identity;
		r->spf.result = req->spf->result;
		r->spf.human_result = safe_str(e->o, req->spf->reason);
	}
}

/* The row's policy_published and policy_evaluated. */
static void
report_policy(struct eval *e)
{
	struct inkan_dmarc_verdict *v = e->v;
	struct inkan_dmarc_report_record *r = &v->report;
	const struct inkan_dmarc_record *rec = v->record;

	r->disposition = v->disposition;
	r->dkim_aligned_pass = v->dkim_aligned;
	r->spf_aligned_pass = v->spf_aligned;
	if (e->nreasons > 0) {
		struct inkan_dmarc_override_reason *rs =
		    inkan_arena_calloc(e->o->arena, e->nreasons, sizeof(*rs));

		if (rs == NULL)
			e->o->nomem = true;
		else {
			memcpy(rs, e->reasons, e->nreasons * sizeof(*rs));
			r->reasons = rs;
			r->nreasons = e->nreasons;
		}
	}
	if (rec == NULL)
		return;
	r->policy_domain = v->policy_domain;
	r->p = rec->p != INKAN_DMARC_POLICY_ABSENT ? rec->p
						   : INKAN_DMARC_POLICY_NONE;
	r->sp = rec->sp;
	r->np = rec->np;
	r->adkim = rec->adkim;
	r->aspf = rec->aspf;
	r->fo = rec->fo_text;
	r->testing = rec->testing;
}

static void
add_reason(struct eval *e, enum inkan_dmarc_override type, const char *comment)
{
	if (e->nreasons < sizeof(e->reasons) / sizeof(e->reasons[0])) {
		e->reasons[e->nreasons].type = type;
		e->reasons[e->nreasons].comment = comment;
		e->nreasons++;
	}
}

/* Which policy applies to the Author Domain (RFC 9989 4.10.1). */
static enum inkan_status
choose_policy(struct eval *e)
{
	struct inkan_dmarc_verdict *v = e->v;
	const struct inkan_dmarc_record *rec = v->record;
	enum inkan_status st;

	e->exists = 2;
	v->author_exists = true;
	if (e->p->own) {
		v->policy = rec->p;
		v->policy_tag = INKAN_DMARC_TAG_P;
		return INKAN_OK;
	}
	/* np matters only when given: without it a non-existent subdomain
	   gets sp, or p, like an existing one (4.7 np). */
	if (rec->np != INKAN_DMARC_POLICY_ABSENT) {
		if ((st = check_exists(e)) != INKAN_OK)
			return st;
		if (e->exists == 0) {
			v->author_exists = false;
			v->policy = rec->np;
			v->policy_tag = INKAN_DMARC_TAG_NP;
			return INKAN_OK;
		}
	}
	if (rec->sp != INKAN_DMARC_POLICY_ABSENT) {
		v->policy = rec->sp;
		v->policy_tag = INKAN_DMARC_TAG_SP;
	} else {
		v->policy = rec->p;
		v->policy_tag = INKAN_DMARC_TAG_P;
	}
	return INKAN_OK;
}

/* Alignment of the SPF Domain and of each passing DKIM signature. */
static enum inkan_status
check_alignment(struct eval *e)
{
	const struct inkan_dmarc_request *req = e->req;
	struct inkan_dmarc_verdict *v = e->v;
	const char *spfd = spf_domain(req);
	enum inkan_status st;
	bool ok;
	size_t i;

	if (spfd != NULL) {
		if ((st = aligned(e, spfd, v->aspf, &ok)) != INKAN_OK)
			return st;
		if (ok) {
			v->spf_aligned = true;
			v->spf_aligned_domain = safe_str(e->o, spfd);
		}
	}
	for (i = 0; req->dkim != NULL && i < req->ndkim; i++) {
		const struct inkan_dkim_sig *s = &req->dkim[i];

		/* RFC 9989 4.4.1: only a signature that verified. */
		if (s->result != INKAN_DKIM_PASS || s->domain == NULL)
			continue;
		if ((st = aligned(e, s->domain, v->adkim, &ok)) != INKAN_OK)
			return st;
		if (ok) {
			v->dkim_aligned = true;
			v->dkim_aligned_domain = safe_str(e->o, s->domain);
			break;
		}
	}
	return INKAN_OK;
}

static const char *
identifiers_text(struct eval *e)
{
	const struct inkan_dmarc_verdict *v = e->v;

	if (v->spf_aligned && v->dkim_aligned)
		return dmarc_out_printf(e->o,
		    "SPF (%s) and DKIM (d=%s) passed aligned",
		    v->spf_aligned_domain, v->dkim_aligned_domain);
	if (v->spf_aligned)
		return dmarc_out_printf(
		    e->o, "SPF passed for %s, aligned", v->spf_aligned_domain);
	return dmarc_out_printf(
	    e->o, "DKIM passed for d=%s, aligned", v->dkim_aligned_domain);
}

/* What failed, for a fail reason. */
static const char *
failure_text(struct eval *e)
{
	const struct inkan_dmarc_request *req = e->req;
	const char *spfd = spf_domain(req);
	size_t i, npass = 0;

	for (i = 0; req->dkim != NULL && i < req->ndkim; i++)
		if (req->dkim[i].result == INKAN_DKIM_PASS &&
		    req->dkim[i].domain != NULL)
			npass++;
	if (spfd == NULL && npass == 0)
		return "neither SPF nor DKIM passed";
	if (spfd != NULL && npass == 0)
		return dmarc_out_printf(e->o,
		    "SPF passed for %s, which is not aligned (aspf=%s), and "
		    "no DKIM signature passed",
		    spfd, inkan_dmarc_align_name(e->v->aspf));
	if (spfd == NULL)
		return dmarc_out_printf(e->o,
		    "no SPF pass, and %zu DKIM signature%s passed but none "
		    "is aligned (adkim=%s)",
		    npass, npass == 1 ? "" : "s",
		    inkan_dmarc_align_name(e->v->adkim));
	return dmarc_out_printf(e->o,
	    "SPF passed for %s and %zu DKIM signature%s passed, but none "
	    "is aligned (aspf=%s, adkim=%s)",
	    spfd, npass, npass == 1 ? "" : "s",
	    inkan_dmarc_align_name(e->v->aspf),
	    inkan_dmarc_align_name(e->v->adkim));
}

static enum inkan_status
evaluate_one(struct inkan_dmarc *d, const struct inkan_dmarc_request *req,
    struct inkan_view domain, struct inkan_dmarc_verdict *v,
    struct dmarc_out *o)
{
	struct eval e;
	enum inkan_status st;
	char raw[INKAN_DNS_NAME_MAX + 2];
	const struct inkan_dmarc_record *rec;
	size_t i;

	memset(&e, 0, sizeof(e));
	e.d = d;
	e.req = req;
	e.v = v;
	e.o = o;
	v->from_count = INKAN_ADDR_FROM_ONE;
	if (domain.len >= sizeof(raw)) {
		v->result = INKAN_DMARC_NONE;
		v->reason = "the Author Domain is longer than a DNS name";
		goto report;
	}
	memcpy(raw, domain.ptr, domain.len);
	raw[domain.len] = '\0';
	if (!dmarc_domain_normalise(raw, e.author, sizeof(e.author))) {
		v->from_domain = safe_str(o, raw);
		v->result = INKAN_DMARC_NONE;
		v->reason = dmarc_out_printf(o,
		    "the Author Domain %s is not a domain name (RFC 9989 "
		    "5.3.1)",
		    v->from_domain);
		goto report;
	}
	v->from_domain = dmarc_out_str(o, e.author);
	if ((e.p = malloc(sizeof(*e.p))) == NULL)
		return INKAN_ERR_NOMEM;
	if ((st = dmarc_policy_discover(d, e.author, false, e.p, o)) !=
	    INKAN_OK)
		goto out;
	switch (e.p->status) {
	case INKAN_DMARC_LOOKUP_TEMPERROR:
		v->result = INKAN_DMARC_TEMPERROR;
		v->reason = dmarc_out_printf(o,
		    "the query for %s failed temporarily, so the DMARC policy "
		    "of %s cannot be known (RFC 9989 4.10.1, 5.3.6)",
		    e.p->temp_name, e.author);
		goto report;
	case INKAN_DMARC_LOOKUP_NONE:
		v->result = INKAN_DMARC_NONE;
		v->reason = dmarc_out_printf(o,
		    "no DMARC record for %s or above it: DMARC does not apply "
		    "(RFC 9989 4.10.1)",
		    e.author);
		goto report;
	case INKAN_DMARC_LOOKUP_FOUND:
		break;
	}
	rec = dmarc_out_hold(o, e.p->rec);
	v->record = rec;
	v->record_text = dmarc_out_str(o, e.p->text);
	v->policy_domain = dmarc_out_str(o, e.p->policy_domain);
	if (rec == NULL) {
		st = INKAN_ERR_NOMEM;
		goto out;
	}
	for (i = 0; i < rec->nwarnings; i++)
		dmarc_out_warn(
		    o, "_dmarc.%s: %s", e.p->policy_domain, rec->warnings[i]);
	v->testing = rec->testing;
	v->adkim = rec->adkim;
	v->aspf = rec->aspf;
	if (rec->flags & INKAN_DMARC_REC_NOT_APPLIED) {
		v->result = INKAN_DMARC_NONE;
		v->reason = dmarc_out_printf(o,
		    "the DMARC record at %s has no valid p= and no valid rua= "
		    "URI, so no DMARC processing is applied (RFC 9989 4.10.1)",
		    e.p->policy_domain);
		goto report;
	}
	if ((st = choose_policy(&e)) != INKAN_OK)
		goto out;
	if ((st = check_alignment(&e)) != INKAN_OK)
		goto out;
	if (v->spf_aligned || v->dkim_aligned) {
		v->result = INKAN_DMARC_PASS;
		/* RFC 9990: "pass" is no action under an enforcing policy. */
		v->disposition = v->policy == INKAN_DMARC_POLICY_NONE
		    ? INKAN_DMARC_DISP_NONE
		    : INKAN_DMARC_DISP_PASS;
		v->reason = dmarc_out_printf(o,
		    "%s with %s, so DMARC passes (policy of %s: %s=%s)",
		    identifiers_text(&e), e.author, e.p->policy_domain,
		    inkan_dmarc_policy_tag_name(v->policy_tag),
		    inkan_dmarc_policy_name(v->policy));
		goto report;
	}
	if (e.align_temperror) {
		/* RFC 9989 5.3.6: neither pass nor fail can be said. */
		v->result = INKAN_DMARC_TEMPERROR;
		v->reason = dmarc_out_printf(o,
		    "alignment could not be checked: %s failed temporarily "
		    "(RFC 9989 5.3.6)",
		    e.temp_name);
		goto report;
	}
	if (e.exists == -1 && !e.p->own) {
		enum inkan_dmarc_policy other =
		    e.v->record->sp != INKAN_DMARC_POLICY_ABSENT
		    ? e.v->record->sp
		    : e.v->record->p;

		if (other != e.v->record->np) {
			v->result = INKAN_DMARC_TEMPERROR;
			v->reason = dmarc_out_printf(o,
			    "DMARC fails for %s, but whether it exists (np=) "
			    "or "
			    "not could not be learnt: the A query failed "
			    "temporarily (RFC 9989 3.2.13, 5.3.6)",
			    e.author);
			goto report;
		}
	}
	v->result = INKAN_DMARC_FAIL;
	v->disposition = policy_disposition(v->policy);
	if (v->testing && v->disposition != INKAN_DMARC_DISP_NONE) {
		/* RFC 9989 4.7 t=y: "one level below the specified
		   policy". */
		v->disposition = v->disposition == INKAN_DMARC_DISP_REJECT
		    ? INKAN_DMARC_DISP_QUARANTINE
		    : INKAN_DMARC_DISP_NONE;
		add_reason(&e, INKAN_DMARC_OVERRIDE_POLICY_TEST_MODE,
		    "t=y: the policy is applied one level lower");
	}
	v->reason = dmarc_out_printf(o,
	    "%s for %s, so DMARC fails; %s's policy %s=%s%s%s%s applies%s",
	    failure_text(&e), e.author, e.p->policy_domain,
	    inkan_dmarc_policy_tag_name(v->policy_tag),
	    inkan_dmarc_policy_name(v->policy),
	    v->policy_tag == INKAN_DMARC_TAG_NP ? " (" : "",
	    v->policy_tag == INKAN_DMARC_TAG_NP ? e.author : "",
	    v->policy_tag == INKAN_DMARC_TAG_NP ? " does not exist)" : "",
	    v->testing && v->policy != INKAN_DMARC_POLICY_NONE
		? dmarc_out_printf(o, ", as %s under t=y",
		      inkan_dmarc_disposition_name(v->disposition))
		: "");
report:
	if (e.p != NULL && e.p->org_known)
		v->org_domain = dmarc_out_str(o, e.p->org);
	report_common(&e);
	report_policy(&e);
	st = o->nomem ? INKAN_ERR_NOMEM : INKAN_OK;
out:
	if (e.p != NULL) {
		dmarc_policy_clear(e.p);
		free(e.p);
	}
	return st;
}

/* ---- the message ------------------------------------------------------- */

static int
disposition_rank(enum inkan_dmarc_disposition d)
{
	switch (d) {
	case INKAN_DMARC_DISP_REJECT:
		return 3;
	case INKAN_DMARC_DISP_QUARANTINE:
		return 2;
	case INKAN_DMARC_DISP_NONE:
	case INKAN_DMARC_DISP_PASS:
		break;
	}
	return 1;
}

/* A verdict without any domain evaluated (no From, several, rejected). */
static void
verdict_plain(struct inkan_dmarc *d, const struct inkan_dmarc_request *req,
    struct inkan_dmarc_verdict *v, struct dmarc_out *o,
    enum inkan_dmarc_result result, enum inkan_dmarc_disposition disp,
    const char *reason, bool local_policy)
{
	struct eval e;

	memset(&e, 0, sizeof(e));
	e.d = d;
	e.req = req;
	e.v = v;
	e.o = o;
	v->result = result;
	v->disposition = disp;
	v->reason = reason;
	if (local_policy)
		add_reason(&e, INKAN_DMARC_OVERRIDE_LOCAL_POLICY,
		    "the From field does not have exactly one Author Domain");
	report_common(&e);
	report_policy(&e);
}

/*
 * RFC 9989 11.5: each Author Domain evaluated, the strictest outcome
 * reported (see INKAN_DMARC_MULTI_EACH in inkan/dmarc.h).
 */
static enum inkan_status
evaluate_each(struct inkan_dmarc *d, const struct inkan_dmarc_request *req,
    struct verdict_impl *vi)
{
	const struct inkan_addr_from *from = req->from;
	struct inkan_dmarc_verdict *parts, *v = &vi->pub;
	size_t i, n = from->ndomains, decide = SIZE_MAX;
	enum inkan_dmarc_result result = INKAN_DMARC_NONE;
	enum inkan_status st = INKAN_OK;
	bool any_pass = false, any_temp = false, any_fail = false;
	int best = 0;

	parts = inkan_arena_calloc(&vi->arena, n, sizeof(*parts));
	if (parts == NULL)
		return INKAN_ERR_NOMEM;
	for (i = 0; i < n; i++) {
		struct dmarc_out po;

		dmarc_out_init(&po, &vi->arena);
		st = evaluate_one(d, req, from->domains[i], &parts[i], &po);
		if (st == INKAN_OK &&
		    !dmarc_out_finish(&po, &parts[i].steps, &parts[i].nsteps,
			&parts[i].warnings, &parts[i].nwarnings))
			st = INKAN_ERR_NOMEM;
		dmarc_out_adopt(&vi->out, &po);
		dmarc_out_clear(&po);
		if (st != INKAN_OK)
			return st;
		parts[i].from_count = INKAN_ADDR_FROM_SEVERAL;
		switch (parts[i].result) {
		case INKAN_DMARC_FAIL:
			any_fail = true;
			if (disposition_rank(parts[i].disposition) > best) {
				best = disposition_rank(parts[i].disposition);
				decide = i;
			}
			break;
		case INKAN_DMARC_TEMPERROR:
		case INKAN_DMARC_PERMERROR:
			if (!any_temp && !any_fail)
				decide = i;
			any_temp = true;
			break;
		case INKAN_DMARC_PASS:
			any_pass = true;
			break;
		case INKAN_DMARC_NONE:
			break;
		}
	}
	if (any_fail)
		result = INKAN_DMARC_FAIL;
	else if (any_temp)
		result = INKAN_DMARC_TEMPERROR;
	else if (any_pass)
		result = INKAN_DMARC_PASS;
	if (decide == SIZE_MAX) {
		/* All pass or none: the first that passed, else the first. */
		decide = 0;
		for (i = 0; i < n; i++)
			if (parts[i].result == INKAN_DMARC_PASS) {
				decide = i;
				break;
			}
	}
	*v = parts[decide];
	v->result = result;
	v->from_count = INKAN_ADDR_FROM_SEVERAL;
	if (from->unusable > 0 && result != INKAN_DMARC_TEMPERROR) {
		/* An author without a usable domain cannot pass: the
		   message fails, under the strictest policy found. */
		enum inkan_dmarc_disposition disp = INKAN_DMARC_DISP_NONE;

		for (i = 0; i < n; i++) {
			enum inkan_dmarc_disposition pd =
			    policy_disposition(parts[i].policy);

			if (disposition_rank(pd) > disposition_rank(disp))
				disp = pd;
		}
		if (result != INKAN_DMARC_FAIL ||
		    disposition_rank(disp) > disposition_rank(v->disposition))
			v->disposition = disp;
		v->result = INKAN_DMARC_FAIL;
		v->report.disposition = v->disposition;
		v->reason = dmarc_out_printf(&vi->out,
		    "the From field has %zu author%s without a usable domain, "
		    "which cannot pass DMARC; of its %zu Author Domains %s "
		    "decides: %s",
		    from->unusable, from->unusable == 1 ? "" : "s", n,
		    v->from_domain != NULL ? v->from_domain : "(none)",
		    v->reason);
	} else
		v->reason = dmarc_out_printf(&vi->out,
		    "the From field has %zu Author Domains, each evaluated "
		    "(RFC 9989 11.5); %s decides: %s",
		    n, v->from_domain != NULL ? v->from_domain : "(none)",
		    v->reason);
	v->parts = parts;
	v->nparts = n;
	return vi->out.nomem ? INKAN_ERR_NOMEM : INKAN_OK;
}

enum inkan_status
inkan_dmarc_evaluate(struct inkan_dmarc *d,
    const struct inkan_dmarc_request *req,
    struct inkan_dmarc_verdict **verdict_r)
{
	struct verdict_impl *vi;
	struct inkan_dmarc_verdict *v;
	const struct inkan_addr_from *from;
	enum inkan_dmarc_multi_from multi;
	enum inkan_status st = INKAN_OK;

	if (verdict_r != NULL)
		*verdict_r = NULL;
	if (d == NULL || req == NULL || verdict_r == NULL ||
	    (req->ndkim > 0 && req->dkim == NULL))
		return INKAN_ERR_INVAL;
	if ((vi = calloc(1, sizeof(*vi))) == NULL)
		return INKAN_ERR_NOMEM;
	inkan_arena_init(&vi->arena, DMARC_ARENA_MAX);
	dmarc_out_init(&vi->out, &vi->arena);
	v = &vi->pub;
	dmarc_clock(d);
	from = req->from;
	multi = d->opt.multi_from;
	if (from != NULL && (from->flags & INKAN_ADDR_FROM_F_RECOVERED))
		dmarc_out_warn(&vi->out,
		    "the From field is not RFC 5322 syntax; its Author "
		    "Domain%s %s recovered from it (RFC 9989 4.4: DMARC "
		    "presumes a valid message)",
		    from->ndomains == 1 ? "" : "s",
		    from->ndomains == 1 ? "was" : "were");
	if (from == NULL || from->count == INKAN_ADDR_FROM_NONE ||
	    from->ndomains == 0) {
		const char *what = from == NULL
		    ? "the message has no From field"
		    : "the From field has no usable Author Domain";

		v->from_count = INKAN_ADDR_FROM_NONE;
		if (multi == INKAN_DMARC_MULTI_REJECT)
			verdict_plain(d, req, v, &vi->out,
			    INKAN_DMARC_PERMERROR, INKAN_DMARC_DISP_REJECT,
			    dmarc_out_printf(&vi->out,
				"%s: rejected by local policy (RFC 9989 5.3.1, "
				"11.5)",
				what),
			    true);
		else
			verdict_plain(d, req, v, &vi->out, INKAN_DMARC_NONE,
			    INKAN_DMARC_DISP_NONE,
			    dmarc_out_printf(&vi->out,
				"%s: DMARC validation is not possible (RFC "
				"9989 5.3.1)",
				what),
			    false);
	} else if (from->count == INKAN_ADDR_FROM_ONE && from->unusable == 0)
		st = evaluate_one(d, req, from->domains[0], v, &vi->out);
	else if (multi == INKAN_DMARC_MULTI_NONE) {
		v->from_count = INKAN_ADDR_FROM_SEVERAL;
		verdict_plain(d, req, v, &vi->out, INKAN_DMARC_NONE,
		    INKAN_DMARC_DISP_NONE,
		    dmarc_out_printf(&vi->out,
			"the From field has %zu Author Domains%s: DMARC "
			"validation is not possible (RFC 9989 5.3.1)",
			from->ndomains,
			from->unusable > 0 ? " and authors without one" : ""),
		    false);
	} else if (multi == INKAN_DMARC_MULTI_REJECT) {
		v->from_count = INKAN_ADDR_FROM_SEVERAL;
		verdict_plain(d, req, v, &vi->out, INKAN_DMARC_FAIL,
		    INKAN_DMARC_DISP_REJECT,
		    dmarc_out_printf(&vi->out,
			"the From field has %zu Author Domains%s: rejected by "
			"local policy (RFC 9989 11.5)",
			from->ndomains,
			from->unusable > 0 ? " and authors without one" : ""),
		    true);
	} else if (from->ndomains > d->lim.dmarc_from_domains_max) {
		v->from_count = INKAN_ADDR_FROM_SEVERAL;
		verdict_plain(d, req, v, &vi->out, INKAN_DMARC_NONE,
		    INKAN_DMARC_DISP_NONE,
		    dmarc_out_printf(&vi->out,
			"the From field has %zu Author Domains, more than "
			"the %zu evaluated (dmarc_from_domains_max; RFC 9989 "
			"11.5): too many Author Domains",
			from->ndomains, d->lim.dmarc_from_domains_max),
		    false);
	} else
		st = evaluate_each(d, req, vi);
	if (st == INKAN_OK && v->nparts == 0 &&
	    !dmarc_out_finish(
		&vi->out, &v->steps, &v->nsteps, &v->warnings, &v->nwarnings))
		st = INKAN_ERR_NOMEM;
	if (st == INKAN_OK && (v->reason == NULL || vi->out.nomem))
		st = INKAN_ERR_NOMEM;
	if (st != INKAN_OK) {
		inkan_dmarc_verdict_free(&v);
		return st;
	}
	*verdict_r = v;
	return INKAN_OK;
}
