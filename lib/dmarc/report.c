/*
 * report.c: verifying external report destinations (RFC 9990 3, RFC 9989
 * 11.6). A Domain Owner may ask for reports to go to another organisation
 * only if that organisation agrees, by publishing a v=DMARC1 record at
 * <policy-domain>._report._dmarc.<destination-host>; otherwise anyone
 * could aim a flood of reports at a victim.
 */
#include <stdlib.h>
#include <string.h>

#include "dmarc/dmarc_impl.h"

enum inkan_status
inkan_dmarc_external_check(struct inkan_dmarc *d, const char *policy_domain,
    const char *dest_host, enum inkan_dmarc_external *ext_r, const char **why_r,
    struct inkan_dmarc_record **override_r)
{
	char pol[INKAN_DNS_NAME_MAX + 1], dest[INKAN_DNS_NAME_MAX + 1];
	char opol[INKAN_DNS_NAME_MAX + 1], odest[INKAN_DNS_NAME_MAX + 1];
	char qname[2 * INKAN_DNS_NAME_MAX + 32];
	struct dmarc_fetch f;
	enum inkan_status st;
	const char *why = NULL;
	enum inkan_dmarc_external ext = INKAN_DMARC_EXT_NOT_AUTHORISED;

	if (override_r != NULL)
		*override_r = NULL;
	if (why_r != NULL)
		*why_r = NULL;
	if (d == NULL || policy_domain == NULL || dest_host == NULL ||
	    ext_r == NULL)
		return INKAN_ERR_INVAL;
	if (!dmarc_domain_normalise(policy_domain, pol, sizeof(pol)) ||
	    !dmarc_domain_normalise(dest_host, dest, sizeof(dest)))
		return INKAN_ERR_SYNTAX;
	dmarc_clock(d);
	/* "the Organizational Domain at which that record was discovered
	   is not identical to the Organizational Domain of the host". */
	st = dmarc_org_domain(d, pol, opol, NULL);
	if (st == INKAN_OK || st == INKAN_ERR_NOTFOUND)
		st = dmarc_org_domain(d, dest, odest, NULL);
	if (st == INKAN_ERR_DNS) {
		ext = INKAN_DMARC_EXT_TEMPERROR;
		why = "an Organizational Domain walk failed temporarily";
		goto done;
	}
	if (st != INKAN_OK && st != INKAN_ERR_NOTFOUND)
		return st;
	if (strcmp(opol, odest) == 0) {
		ext = INKAN_DMARC_EXT_NOT_NEEDED;
		why = "the destination is in the policy domain's "
		      "Organizational Domain: no check needed (RFC 9990 3)";
		goto done;
	}
	/* Steps 2 to 4: the name, if DNS can hold it (253 characters). */
	if (strlen(pol) + strlen(dest) + 16 > 253) {
		ext = INKAN_DMARC_EXT_NOT_AUTHORISED;
		why = "<policy-domain>._report._dmarc.<host> is longer than a "
		      "DNS name may be (RFC 9990 3 step 4)";
		goto done;
	}
	memcpy(qname, pol, strlen(pol));
	memcpy(qname + strlen(pol), "._report._dmarc.", 16);
	memcpy(qname + strlen(pol) + 16, dest, strlen(dest) + 1);
	if ((st = dmarc_fetch(d, qname, &f)) != INKAN_OK)
		return st;
	switch (f.outcome) {
	case INKAN_DMARC_STEP_TEMPERROR:
		ext = INKAN_DMARC_EXT_TEMPERROR;
		why = "the _report._dmarc query failed temporarily (RFC 9990 3 "
		      "step 5)";
		break;
	case INKAN_DMARC_STEP_RECORD:
	case INKAN_DMARC_STEP_SEVERAL:
		/* Step 8: at least one record that starts with v=DMARC1. */
		ext = INKAN_DMARC_EXT_AUTHORISED;
		why = "the destination publishes a v=DMARC1 record for the "
		      "policy domain (RFC 9990 3 step 8)";
		if (f.outcome == INKAN_DMARC_STEP_RECORD && f.rec->nrua > 0 &&
		    override_r != NULL) {
			/* Step 9: its rua= replaces the policy's. */
			*override_r = f.rec;
			f.rec = NULL;
		}
		break;
	case INKAN_DMARC_STEP_NXDOMAIN:
	case INKAN_DMARC_STEP_NODATA:
	case INKAN_DMARC_STEP_NOT_DMARC:
		ext = INKAN_DMARC_EXT_NOT_AUTHORISED;
		why = "the destination publishes no v=DMARC1 record for the "
		      "policy domain (RFC 9990 3 step 7)";
		break;
	}
	dmarc_fetch_clear(&f);
done:
	*ext_r = ext;
	if (why_r != NULL)
		*why_r = why;
	return INKAN_OK;
}
