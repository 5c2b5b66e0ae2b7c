/*
 * mx.c: the domain's mail exchangers (RFC 5321 5.1): present, each with
 * an address, not an alias, and the null MX of RFC 7505 understood.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "audit_impl.h"

/* More MX hosts than this are not checked one by one. */
#define AUDIT_MX_MAX 16
/* Addresses kept per host. */
#define AUDIT_MX_ADDRS_MAX 8

static int
mx_cmp(const void *x, const void *y)
{
	const struct inkan_audit_mx *a = x, *b = y;

	if (a->preference != b->preference)
		return a->preference < b->preference ? -1 : 1;
	return strcmp(a->host, b->host);
}

/* Looks up the A and AAAA of mx, fills its addresses; true if any. */
static bool
mx_addresses(
    struct audit *a, struct inkan_audit_mx *mx, bool *alias_r, bool *failed_r)
{
	static const enum inkan_dns_type types[] = { INKAN_DNS_A,
		INKAN_DNS_AAAA };
	const char **addrs;
	size_t t, i, n = 0;

	*alias_r = false;
	*failed_r = false;
	addrs = inkan_arena_calloc(
	    &a->rep->arena, AUDIT_MX_ADDRS_MAX, sizeof(*addrs));
	if (addrs == NULL) {
		a->err = INKAN_ERR_NOMEM;
		return false;
	}
	for (t = 0; t < 2; t++) {
		struct inkan_dns_answer *ans = NULL;

		if (inkan_resolver_lookup(a->r, mx->host, types[t], &ans) !=
		    INKAN_OK)
			continue;
		if (ans->chain_count > 0)
			*alias_r = true;
		if (ans->rcode == INKAN_DNS_SERVFAIL ||
		    ans->rcode == INKAN_DNS_TIMEOUT)
			*failed_r = true;
		for (i = 0; ans->rcode == INKAN_DNS_NOERROR && i < ans->count &&
		     n < AUDIT_MX_ADDRS_MAX;
		     i++) {
			char text[INET6_ADDRSTRLEN];
			const struct inkan_dns_record *rr = &ans->records[i];

			if (rr->is_raw || rr->type != types[t])
				continue;
			if (inet_ntop(t == 0 ? AF_INET : AF_INET6, rr->u.addr,
				text, sizeof(text)) == NULL)
				continue;
			addrs[n++] = audit_strf(a, "%s", text);
		}
		inkan_dns_answer_free(&ans);
	}
	mx->addrs = addrs;
	mx->naddrs = n;
	return n > 0;
}

void
audit_mx(struct audit *a)
{
	struct audit_report *rep = a->rep;
	struct inkan_dns_answer *ans = NULL;
	size_t i, n = 0, nnull = 0;

	if (inkan_resolver_lookup(a->r, a->domain, INKAN_DNS_MX, &ans) !=
	    INKAN_OK) {
		a->err = INKAN_ERR_NOMEM;
		return;
	}
	rep->pub.dnssec_secure = ans->secure;
	if (ans->rcode == INKAN_DNS_SERVFAIL ||
	    ans->rcode == INKAN_DNS_TIMEOUT) {
		audit_add(a, "mx.lookup-failed", -1,
		    audit_strf(a, "MX %s: %s", a->domain,
			inkan_dns_rcode_to_name(ans->rcode)),
		    "Make the domain's name servers answer MX queries.",
		    "The MX lookup for %s failed (%s)", a->domain,
		    inkan_dns_rcode_to_name(ans->rcode));
		goto out;
	}
	if (ans->rcode != INKAN_DNS_NOERROR || ans->count == 0) {
		struct inkan_audit_mx self = { 0 };
		bool alias, failed;

		/* RFC 5321 5.1: without MX, the domain itself is the one
		   exchanger, if it has an address. */
		self.host = a->domain;
		if (mx_addresses(a, &self, &alias, &failed))
			audit_add(a, "mx.implicit", -1,
			    audit_strf(a, "MX %s: %s", a->domain,
				inkan_dns_rcode_to_name(ans->rcode)),
			    audit_strf(a,
				"%s. IN MX 10 %s. (or, for a domain that takes "
				"no mail: %s. IN MX 0 . per RFC 7505)",
				a->domain, a->domain, a->domain),
			    "%s has no MX record; mail goes to its own "
			    "address",
			    a->domain);
		else
			audit_add(a, "mx.missing", -1,
			    audit_strf(a, "MX %s: %s", a->domain,
				inkan_dns_rcode_to_name(ans->rcode)),
			    audit_strf(a,
				"%s. IN MX 10 mail.%s. (and an A record for "
				"mail.%s), or %s. IN MX 0 . if it takes no "
				"mail",
				a->domain, a->domain, a->domain, a->domain),
			    "%s has no MX and no address: it cannot receive "
			    "mail",
			    a->domain);
		goto out;
	}
	if ((rep->mx = calloc(
		 ans->count < AUDIT_MX_MAX ? ans->count : AUDIT_MX_MAX,
		 sizeof(*rep->mx))) == NULL) {
		a->err = INKAN_ERR_NOMEM;
		goto out;
	}
	for (i = 0; i < ans->count && n < AUDIT_MX_MAX; i++) {
		const struct inkan_dns_record *rr = &ans->records[i];

		if (rr->is_raw || rr->type != INKAN_DNS_MX)
			continue;
		/* RFC 7505 3: a single MX of preference 0 naming the root. */
		if (strcmp(rr->u.mx.exchange, ".") == 0) {
			nnull++;
			continue;
		}
		rep->mx[n].host =
		    audit_esc(a, rr->u.mx.exchange, strlen(rr->u.mx.exchange));
		rep->mx[n].preference = rr->u.mx.preference;
		if (rep->mx[n].host == NULL)
			goto out;
		n++;
	}
	if (nnull > 0 && n == 0) {
		rep->pub.null_mx = true;
		audit_add(a, "mx.null", -1,
		    audit_strf(a, "MX %s: 0 .", a->domain), "",
		    "%s publishes a null MX: it accepts no mail (RFC 7505)",
		    a->domain);
		goto out;
	}
	if (nnull > 0)
		audit_add(a, "mx.null-mixed", -1,
		    audit_strf(
			a, "MX %s: a null MX and %zu other(s)", a->domain, n),
		    "Remove the \"MX 0 .\" record, or every other MX record "
		    "if the domain takes no mail (RFC 7505 3).",
		    "%s mixes a null MX with real MX records", a->domain);
	qsort(rep->mx, n, sizeof(*rep->mx), mx_cmp);
	rep->pub.mx = rep->mx;
	rep->pub.nmx = n;
	for (i = 0; i < n; i++) {
		struct inkan_audit_mx *mx = &rep->mx[i];
		bool alias, failed;

		if (!mx_addresses(a, mx, &alias, &failed))
			audit_add(a, "mx.unresolvable", -1,
			    audit_strf(a, "MX %s: %u %s; A/AAAA %s: %s",
				a->domain, mx->preference, mx->host, mx->host,
				failed ? "lookup failed" : "none"),
			    audit_strf(a,
				"Publish an A (or AAAA) record for %s, or "
				"remove the MX record naming it.",
				mx->host),
			    "MX host %s has no address", mx->host);
		if (alias)
			audit_add(a, "mx.cname", -1,
			    audit_strf(a, "%s is a CNAME", mx->host),
			    audit_strf(a,
				"Point the MX record at the canonical name "
				"instead of %s (RFC 2181 10.3).",
				mx->host),
			    "MX host %s is an alias", mx->host);
	}
out:
	inkan_dns_answer_free(&ans);
}
