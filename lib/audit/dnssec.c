/*
 * dnssec.c: whether the domain's answers validate (RFC 4035), and DANE
 * for SMTP (RFC 7672): TLSA records at _25._tcp.<MX>, DNSSEC-secure, with
 * usages DANE-TA(2) or DANE-EE(3); PKIX-TA(0) and PKIX-EE(1) are unusable
 * for SMTP (3.1.3). From zone files only (options.dns_from_zones) an
 * answer is secure when the file says so (";! SECURE"), and one that is
 * not says nothing about the real zone: an info finding,
 * dnssec.unknown-offline, takes the place of dnssec.unsigned and
 * dnssec.tlsa-insecure.
 */
#include <string.h>

#include "audit_impl.h"

void
audit_dnssec(struct audit *a)
{
	struct audit_report *rep = a->rep;
	size_t i, j, with_tlsa = 0;

	/* From zone files, "not secure" only means nothing was declared. */
	bool unknown = a->o->dns_from_zones;

	if (!rep->pub.dnssec_secure && unknown)
		audit_add(a, "dnssec.unknown-offline", -1,
		    audit_strf(a,
			"MX %s: not declared secure in the zone files",
			a->domain),
		    audit_strf(a,
			"If the real zone is signed, add \";! SECURE %s.\" "
			"to the zone file to check DNSSEC and DANE as "
			"receivers would.",
			a->domain),
		    "DNSSEC cannot be observed offline; declare it with ;! "
		    "SECURE in the zone file to check DANE");
	else if (!rep->pub.dnssec_secure)
		audit_add(a, "dnssec.unsigned", -1,
		    audit_strf(a, "MX %s: answer not validated", a->domain),
		    audit_strf(a,
			"Sign the zone %s (most DNS hosts offer DNSSEC as a "
			"switch) and publish the DS record at the parent.",
			a->domain),
		    "%s does not validate with DNSSEC", a->domain);
	for (i = 0; i < rep->pub.nmx; i++) {
		struct inkan_audit_mx *mx = &rep->mx[i];
		struct inkan_dns_answer *ans = NULL;
		const char *name;
		size_t pkix = 0;

		name = audit_strf(a, "_25._tcp.%s", mx->host);
		if (name == NULL ||
		    inkan_resolver_lookup(a->r, name, INKAN_DNS_TLSA, &ans) !=
			INKAN_OK)
			continue;
		for (j = 0; ans->rcode == INKAN_DNS_NOERROR && j < ans->count;
		     j++) {
			const struct inkan_dns_record *rr = &ans->records[j];

			if (rr->is_raw || rr->type != INKAN_DNS_TLSA)
				continue;
			mx->ntlsa++;
			if (rr->u.tlsa.usage == 0 || rr->u.tlsa.usage == 1)
				pkix++;
		}
		mx->tlsa_secure = mx->ntlsa > 0 && ans->secure;
		if (mx->ntlsa > 0) {
			with_tlsa++;
			a->uses_dane = true;
		}
		if (mx->ntlsa > 0 && !ans->secure && unknown &&
		    rep->pub.dnssec_secure)
			audit_add(a, "dnssec.unknown-offline", -1,
			    audit_strf(a,
				"TLSA %s: %zu record(s), not declared secure "
				"in the zone files",
				name, mx->ntlsa),
			    audit_strf(a,
				"If the zone that holds %s is signed, add "
				"\";! SECURE %s.\" to the zone file.",
				name, name),
			    "DNSSEC cannot be observed offline for the TLSA "
			    "records of %s; declare it with ;! SECURE in the "
			    "zone file to check DANE",
			    mx->host);
		else if (mx->ntlsa > 0 && !ans->secure && !unknown)
			audit_add(a, "dnssec.tlsa-insecure", -1,
			    audit_strf(a, "TLSA %s: %zu record(s), insecure",
				name, mx->ntlsa),
			    audit_strf(a,
				"Sign the zone that holds %s, or remove the "
				"TLSA records.",
				name),
			    "TLSA records for %s are not DNSSEC-signed; "
			    "senders ignore them",
			    mx->host);
		if (pkix > 0)
			audit_add(a, "dnssec.tlsa-pkix", -1,
			    audit_strf(a,
				"TLSA %s: %zu of %zu with usage 0 or 1", name,
				pkix, mx->ntlsa),
			    audit_strf(a,
				"Publish %s. IN TLSA 3 1 1 <SHA-256 of the "
				"server's public key> (DANE-EE), or 2 1 1 for "
				"the issuing CA (DANE-TA), instead.",
				name),
			    "%s has TLSA records with PKIX usages, which SMTP "
			    "clients treat as unusable (RFC 7672 3.1.3)",
			    mx->host);
		inkan_dns_answer_free(&ans);
	}
	if (rep->pub.dnssec_secure && rep->pub.nmx > 0 && with_tlsa == 0)
		audit_add(a, "dnssec.no-dane", -1, "",
		    audit_strf(a,
			"Publish _25._tcp.%s. IN TLSA 3 1 1 <SHA-256 of its "
			"public key> for each MX host.",
			rep->pub.mx[0].host),
		    "The domain validates with DNSSEC, but no MX host "
		    "publishes TLSA (DANE, RFC 7672)");
}
