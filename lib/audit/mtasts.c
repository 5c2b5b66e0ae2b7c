/*
 * mtasts.c: MTA-STS (RFC 8461): the _mta-sts record and the policy
 * together, the policy fetched over HTTPS (or handed over, or skipped
 * offline), its mode and max_age, and every MX host covered by its mx
 * patterns (RFC 8461 4.1); and TLS-RPT (RFC 8460) when MTA-STS or DANE
 * is used.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <inkan/mtasts.h>
#include <inkan/tlsrpt.h>

#include "audit_impl.h"

/* RFC 8461 3.2 suggests weeks; under a day is asking for trouble. */
#define MTASTS_MAX_AGE_LOW 86400u

/* The handed-over policy for the domain, or NULL. */
static const struct inkan_audit_policy *
given_policy(struct audit *a)
{
	size_t i;

	for (i = 0; i < a->o->nmtasts_policies; i++) {
		const char *d = a->o->mtasts_policies[i].domain;
		size_t n = d != NULL ? strlen(d) : 0;

		if (n > 0 && d[n - 1] == '.')
			n--;
		if (n == strlen(a->domain) &&
		    inkan_view_eq_cstr_nocase(inkan_view_make(d, n), a->domain))
			return &a->o->mtasts_policies[i];
	}
	return NULL;
}

/* Keeps the policy bytes, unescaped, in the report. */
static void
keep_raw(struct audit *a, const void *p, size_t n)
{
	char *copy = inkan_arena_strndup(&a->rep->arena, p, n);

	if (copy == NULL) {
		if (a->err == INKAN_OK)
			a->err = INKAN_ERR_NOMEM;
		return;
	}
	a->rep->pub.mtasts_policy_raw = (const uint8_t *)copy;
	a->rep->pub.mtasts_policy_raw_len = n;
}

/* True when pattern is among p's mx patterns. */
static bool
has_mx(const struct inkan_mtasts_policy *p, const char *pattern)
{
	size_t i;

	for (i = 0; i < p->nmx; i++)
		if (strcmp(p->mx[i], pattern) == 0)
			return true;
	return false;
}

static const char *
mode_name(enum inkan_mtasts_mode m)
{
	return m == INKAN_MTASTS_ENFORCE ? "enforce"
	    : m == INKAN_MTASTS_TESTING  ? "testing"
					 : "none";
}

/*
 * Appends to what how old and now differ as senders see them: mode,
 * max_age and the set of mx patterns (order and repeats do not matter,
 * nor do line endings or comments). Returns whether they differ.
 */
static bool
policy_diff(const struct inkan_mtasts_policy *old,
    const struct inkan_mtasts_policy *now, struct inkan_buf *what)
{
	size_t before = what->len, i;

	if (old->mode != now->mode)
		(void)inkan_buf_printf(what, "%smode %s -> %s",
		    what->len > before ? "; " : "", mode_name(old->mode),
		    mode_name(now->mode));
	if (old->max_age != now->max_age)
		(void)inkan_buf_printf(what, "%smax_age %u -> %u",
		    what->len > before ? "; " : "", (unsigned)old->max_age,
		    (unsigned)now->max_age);
	for (i = 0; i < now->nmx; i++)
		if (!has_mx(old, now->mx[i]))
			(void)inkan_buf_printf(what, "%smx %s added",
			    what->len > before ? "; " : "", now->mx[i]);
	for (i = 0; i < old->nmx; i++)
		if (!has_mx(now, old->mx[i]))
			(void)inkan_buf_printf(what, "%smx %s removed",
			    what->len > before ? "; " : "", old->mx[i]);
	return what->len > before;
}

/*
 * A new id= for the fix: the options' clock as YYYYMMDDThhmmss (UTC),
 * with a letter appended in the unlikely case it equals the old id.
 */
static const char *
new_id(struct audit *a, const char *old)
{
	time_t t =
	    a->o->now != NULL ? (time_t)a->o->now(a->o->now_arg) : time(NULL);
	struct tm tm;
	char id[32];

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(id, sizeof(id), "%Y%m%dT%H%M%S", &tm) == 0)
		(void)snprintf(id, sizeof(id), "%s", "20260101T000000");
	return audit_strf(a, "%s%s", id, strcmp(id, old) == 0 ? "a" : "");
}

/*
 * RFC 8461 3.1, 5.1: senders that cached a policy refetch it only when
 * the record's id= changes. Compares this run's id and policy with the
 * previous observation in the options, if any.
 */
static void
compare_previous(struct audit *a, const char *id,
    const struct inkan_mtasts_policy *pol, const char *name)
{
	const struct inkan_audit_options *o = a->o;
	struct inkan_mtasts_policy *old = NULL;
	struct inkan_buf what;
	const struct audit_report *rep = a->rep;
	const char *ev;
	bool same_id, changed;

	if (o->mtasts_previous_id == NULL || o->mtasts_previous_policy == NULL)
		return;
	inkan_buf_init(&what, 8192);
	same_id = strcmp(o->mtasts_previous_id, id) == 0;
	if (inkan_mtasts_policy_parse(o->mtasts_previous_policy,
		o->mtasts_previous_policy_len, a->lim, &old, NULL) == INKAN_OK)
		changed = policy_diff(old, pol, &what);
	else {
		/* Nothing to compare field by field: the bytes, then. */
		changed = o->mtasts_previous_policy_len !=
			rep->pub.mtasts_policy_raw_len ||
		    memcmp(o->mtasts_previous_policy,
			rep->pub.mtasts_policy_raw,
			rep->pub.mtasts_policy_raw_len) != 0;
		if (changed)
			(void)inkan_buf_append_cstr(&what,
			    "the policy text (the previous one does not "
			    "parse)");
	}
	ev = audit_strf(a, "TXT %s: id=%s, last seen id=%s; %s", name, id,
	    audit_esc(a, o->mtasts_previous_id, strlen(o->mtasts_previous_id)),
	    changed ? audit_esc(a, what.data, what.len) : "policy unchanged");
	if (same_id && changed)
		audit_add(a, "mta-sts.id-unchanged", -1, ev,
		    audit_strf(a,
			"%s. IN TXT \"v=STSv1; id=%s\" (a new id=, so "
			"that senders fetch the new policy)",
			name, new_id(a, id)),
		    "The MTA-STS policy changed but the record's id= did "
		    "not: senders keep the old policy for up to max_age%s",
		    pol->mode == INKAN_MTASTS_ENFORCE
			? " and may refuse to deliver to new MX hosts"
			: "");
	else if (!same_id && !changed)
		audit_add(a, "mta-sts.id-changed", -1, ev, "",
		    "The MTA-STS record's id= changed, the policy did not: "
		    "senders refetch the same policy");
	else if (!same_id)
		audit_add(a, "mta-sts.policy-changed", -1, ev, "",
		    "The MTA-STS policy changed, with a new id=: senders "
		    "fetch it");
	inkan_mtasts_policy_free(&old);
	inkan_buf_clear(&what);
}

/* Gets the policy: given, fetched, or NULL (with a finding). */
static struct inkan_mtasts_policy *
get_policy(struct audit *a, const char *url, const char *ev)
{
	const struct inkan_audit_policy *given = given_policy(a);
	struct inkan_mtasts_policy *pol = NULL;
	struct inkan_mtasts_error err;
	struct inkan_buf ctype, body, why;
	enum inkan_status st;
	int status = 0;

	memset(&err, 0, sizeof(err));
	if (given != NULL) {
		a->rep->pub.mtasts_policy =
		    audit_esc(a, given->body, given->len);
		if (inkan_mtasts_policy_parse(given->body, given->len, a->lim,
			&pol, &err) != INKAN_OK)
			audit_add(a, "mta-sts.policy-invalid", -1,
			    audit_strf(a, "%s; policy (given): \"%s\"", ev,
				a->rep->pub.mtasts_policy),
			    "Correct the policy file: \"version: STSv1\", "
			    "\"mode: enforce\", one \"mx:\" line per MX host, "
			    "\"max_age: 604800\".",
			    "The MTA-STS policy does not parse at byte %zu: %s",
			    err.offset, err.message);
		else
			keep_raw(a, given->body, given->len);
		return pol;
	}
	if (a->o->offline || a->o->fetch == NULL) {
		audit_add(a, "mta-sts.policy-skipped", -1, url, "",
		    "The MTA-STS policy was not fetched (%s); its mode and mx "
		    "patterns were not checked",
		    a->o->offline ? "offline" : "no HTTPS client");
		return NULL;
	}
	inkan_buf_init(&ctype, 1024);
	inkan_buf_init(&body, a->lim->mtasts_policy_max + 1);
	inkan_buf_init(&why, 1024);
	st = a->o->fetch(a->o->fetch_arg, url, &status, &ctype, &body, &why);
	if (st != INKAN_OK) {
		audit_add(a, "mta-sts.policy-unavailable", -1,
		    audit_strf(a, "GET %s: %s", url,
			why.len ? audit_esc(a, why.data, why.len)
				: inkan_strerror(st)),
		    audit_strf(a,
			"Serve the policy at %s over HTTPS with a valid "
			"certificate for mta-sts.%s, as text/plain, or remove "
			"the _mta-sts record.",
			url, a->domain),
		    "The MTA-STS policy cannot be fetched");
		goto out;
	}
	a->rep->pub.mtasts_policy = audit_esc(a, body.data, body.len);
	if (inkan_mtasts_policy_from_response(status,
		ctype.len ? inkan_buf_cstr(&ctype) : NULL, body.data, body.len,
		a->lim, &pol, &err) != INKAN_OK)
		audit_add(a, "mta-sts.policy-invalid", -1,
		    audit_strf(a, "GET %s: HTTP %d, %s; \"%s\"", url, status,
			ctype.len ? audit_esc(a, ctype.data, ctype.len)
				  : "no content type",
			a->rep->pub.mtasts_policy),
		    "Serve the policy with status 200, Content-Type "
		    "text/plain, and the fields of RFC 8461 3.2.",
		    "The MTA-STS policy is not usable: %s", err.message);
	else
		keep_raw(a, body.data, body.len);
out:
	inkan_buf_clear(&ctype);
	inkan_buf_clear(&body);
	inkan_buf_clear(&why);
	return pol;
}

void
audit_mtasts(struct audit *a)
{
	struct audit_report *rep = a->rep;
	struct inkan_mtasts_record rec;
	struct inkan_mtasts_policy *pol = NULL;
	struct inkan_mtasts_error err;
	enum inkan_mtasts_lookup_status status;
	struct inkan_buf url, txt, miss;
	const char *ev, *name;
	size_t i, nmiss = 0;

	if (rep->pub.null_mx)
		return; /* no mail comes in: nothing to protect */
	memset(&err, 0, sizeof(err));
	inkan_buf_init(&url, 1024);
	inkan_buf_init(&txt, 65536);
	inkan_buf_init(&miss, 8192);
	name = audit_strf(a, "_mta-sts.%s", a->domain);
	if (name == NULL)
		goto out;
	if (inkan_mtasts_record_lookup_text(
		a->r, a->domain, &rec, &status, &txt, &err) != INKAN_OK)
		goto out;
	ev = audit_strf(
	    a, "TXT %s: \"%s\"", name, audit_esc(a, txt.data, txt.len));
	switch (status) {
	case INKAN_MTASTS_LOOKUP_FOUND:
		break;
	case INKAN_MTASTS_LOOKUP_TEMPERROR:
		audit_add(a, "mta-sts.lookup-failed", -1,
		    audit_strf(a, "TXT %s: %s", name, err.message),
		    "Make the name servers answer TXT queries for _mta-sts.",
		    "The MTA-STS lookup failed: %s", err.message);
		goto out;
	case INKAN_MTASTS_LOOKUP_SEVERAL:
	case INKAN_MTASTS_LOOKUP_INVALID:
		/* RFC 8461 3.1: for senders, the domain has no MTA-STS. */
		audit_add(a, "mta-sts.record-invalid", -1,
		    status == INKAN_MTASTS_LOOKUP_INVALID
			? ev
			: audit_strf(a, "TXT %s: %s", name, err.message),
		    audit_strf(a,
			"%s. IN TXT \"v=STSv1; id=20260101T000000\" "
			"(one record; change id= whenever the policy "
			"changes)",
			name),
		    "The MTA-STS record is not usable: %s", err.message);
		goto out;
	case INKAN_MTASTS_LOOKUP_NONE:
		audit_add(a, "mta-sts.missing", -1,
		    audit_strf(a, "TXT %s: none", name),
		    audit_strf(a,
			"Publish %s. IN TXT \"v=STSv1; "
			"id=20260101T000000\" and serve "
			"https://mta-sts.%s/.well-known/mta-sts.txt "
			"(inkan setup writes both).",
			name, a->domain),
		    "%s does not publish MTA-STS: senders cannot "
		    "insist on TLS",
		    a->domain);
		goto out;
	}
	a->uses_mtasts = true;
	rep->pub.mtasts_record = audit_esc(a, txt.data, txt.len);
	rep->pub.mtasts_id = audit_strf(a, "%s", rec.id);
	if (inkan_mtasts_policy_url(a->domain, &url) != INKAN_OK)
		goto out;
	if ((pol = get_policy(a, inkan_buf_cstr(&url), ev)) == NULL)
		goto out;
	compare_previous(a, rec.id, pol, name);
	ev = audit_strf(a, "%s; policy: \"%s\"", ev, rep->pub.mtasts_policy);
	if (pol->mode == INKAN_MTASTS_TESTING)
		audit_add(a, "mta-sts.testing", -1, ev,
		    "When the TLS reports show no failures, set \"mode: "
		    "enforce\" in the policy and change the record's id=.",
		    "The MTA-STS policy is in testing mode");
	else if (pol->mode == INKAN_MTASTS_NONE)
		audit_add(a, "mta-sts.mode-none", -1, ev,
		    "Set \"mode: enforce\" (or testing), or remove MTA-STS "
		    "altogether once max_age has passed.",
		    "The MTA-STS policy has mode none: it is withdrawn");
	if (pol->mode != INKAN_MTASTS_NONE && pol->max_age < MTASTS_MAX_AGE_LOW)
		audit_add(a, "mta-sts.max-age-short", -1, ev,
		    "Set \"max_age: 604800\" (a week) or more.",
		    "max_age is %u seconds, under a day", pol->max_age);
	for (i = 0; pol->mode != INKAN_MTASTS_NONE && i < rep->pub.nmx; i++) {
		if (inkan_mtasts_policy_matches(pol, rep->pub.mx[i].host))
			continue;
		(void)inkan_buf_printf(
		    &miss, "%s%s", nmiss ? ", " : "", rep->pub.mx[i].host);
		nmiss++;
	}
	if (nmiss > 0) {
		struct inkan_buf fix;

		inkan_buf_init(&fix, 8192);
		(void)inkan_buf_append_cstr(&fix,
		    "Add to the policy file, then change the record's id=:");
		for (i = 0; i < rep->pub.nmx; i++)
			if (!inkan_mtasts_policy_matches(
				pol, rep->pub.mx[i].host))
				(void)inkan_buf_printf(
				    &fix, " \"mx: %s\"", rep->pub.mx[i].host);
		audit_add(a, "mta-sts.mx-mismatch",
		    pol->mode == INKAN_MTASTS_ENFORCE ? INKAN_AUDIT_HIGH
						      : INKAN_AUDIT_MEDIUM,
		    ev, inkan_buf_cstr(&fix),
		    "MX host(s) not covered by the MTA-STS policy: %s%s",
		    inkan_buf_cstr(&miss),
		    pol->mode == INKAN_MTASTS_ENFORCE
			? " (senders will not deliver to them)"
			: "");
		inkan_buf_clear(&fix);
	}
out:
	inkan_mtasts_policy_free(&pol);
	inkan_buf_clear(&url);
	inkan_buf_clear(&txt);
	inkan_buf_clear(&miss);
}

void
audit_tlsrpt(struct audit *a)
{
	struct inkan_tlsrpt_record *rec = NULL;
	struct inkan_tlsrpt_error err;
	enum inkan_tlsrpt_lookup_status status;
	struct inkan_buf txt;
	const char *name, *ev, *fix;
	size_t i;

	if (!a->uses_mtasts && !a->uses_dane)
		return;
	memset(&err, 0, sizeof(err));
	inkan_buf_init(&txt, 65536);
	name = audit_strf(a, "_smtp._tls.%s", a->domain);
	if (name == NULL)
		goto out;
	if (inkan_tlsrpt_record_lookup_text(
		a->r, a->domain, a->lim, &rec, &status, &txt, &err) != INKAN_OK)
		goto out;
	ev = audit_strf(
	    a, "TXT %s: \"%s\"", name, audit_esc(a, txt.data, txt.len));
	fix = audit_strf(a,
	    "%s. IN TXT \"v=TLSRPTv1; rua=mailto:tls-reports@%s\"", name,
	    a->domain);
	switch (status) {
	case INKAN_TLSRPT_LOOKUP_FOUND:
		break;
	case INKAN_TLSRPT_LOOKUP_TEMPERROR:
		audit_add(a, "tls-rpt.lookup-failed", -1,
		    audit_strf(a, "TXT %s: %s", name, err.message),
		    "Make the name servers answer TXT queries for _smtp._tls.",
		    "The TLS-RPT lookup failed: %s", err.message);
		goto out;
	case INKAN_TLSRPT_LOOKUP_SEVERAL:
	case INKAN_TLSRPT_LOOKUP_INVALID:
		/* RFC 8460 3: for reporters, there is no TLS-RPT. */
		audit_add(a, "tls-rpt.invalid", -1,
		    txt.len > 0
			? ev
			: audit_strf(a, "TXT %s: %s", name, err.message),
		    fix, "The TLS-RPT record is not usable: %s", err.message);
		goto out;
	case INKAN_TLSRPT_LOOKUP_NONE:
		audit_add(a, "tls-rpt.missing", -1,
		    audit_strf(a, "TXT %s: none", name), fix,
		    "%s uses %s but publishes no TLS-RPT record: "
		    "delivery failures go unreported",
		    a->domain, a->uses_mtasts ? "MTA-STS" : "DANE");
		goto out;
	}
	a->rep->pub.tlsrpt_record = audit_esc(a, txt.data, txt.len);
	for (i = 0; i < rec->nrua; i++)
		if (!rec->rua[i].usable ||
		    rec->rua[i].scheme == INKAN_TLSRPT_OTHER)
			audit_add(a, "tls-rpt.rua-unusable", -1, ev,
			    "Use rua=mailto:local@domain or rua=https://host/"
			    "path.",
			    "TLS-RPT rua %s cannot be used by reporters",
			    rec->rua[i].uri);
out:
	inkan_tlsrpt_record_free(&rec);
	inkan_buf_clear(&txt);
}
