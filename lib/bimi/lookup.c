/*
 * lookup.c: finding a domain's BIMI assertion record (draft-brand-
 * indicators-for-message-identification, "Assertion Record Discovery"):
 * <selector>._bimi.<author domain>, then, only when nothing was found
 * there, <selector>._bimi.<organisational domain>. The record selection
 * itself (discard what is not v=BIMI1, use exactly one) is
 * inkan_dns_txt_pick()'s, shared with SPF, DMARC, MTA-STS and TLS-RPT.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <inkan/bimi.h>
#include <inkan/util.h>

/* RFC 1035 2.3.4: a name in text is at most 253 octets without the dot. */
#define HOST_TEXT_MAX 253

const char *
inkan_bimi_lookup_status_name(enum inkan_bimi_lookup_status s)
{
	switch (s) {
	case INKAN_BIMI_LOOKUP_NONE:
		return "none";
	case INKAN_BIMI_LOOKUP_FOUND:
		return "found";
	case INKAN_BIMI_LOOKUP_INVALID:
		return "invalid";
	case INKAN_BIMI_LOOKUP_TEMPERROR:
		return "temperror";
	}
	return "none";
}

static void reason(struct inkan_bimi_lookup *look, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
reason(struct inkan_bimi_lookup *look, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(look->err.message, sizeof(look->err.message), fmt, ap);
	va_end(ap);
}

/*
 * Copies name into out in lower case: a selector (LDH labels), or with
 * host a domain name (labels may also hold "_", one trailing dot is
 * dropped). Returns false when it is not such a name.
 */
static bool
normalise_name(const char *name, bool host, char *out, size_t size)
{
	size_t len, i, label = 0;

	if (name == NULL)
		return false;
	len = strlen(name);
	if (host && len > 0 && name[len - 1] == '.')
		len--;
	if (len == 0 || len >= size || len > HOST_TEXT_MAX)
		return false;
	for (i = 0; i < len; i++) {
		uint8_t c = (uint8_t)name[i];

		if (c == '.') {
			if (label == 0)
				return false;
			label = 0;
		} else if (!inkan_cc_is(c, INKAN_CC_LDH) &&
		    !(c == '_' && host)) {
			return false;
		} else if (++label > 63) {
			return false;
		}
		out[i] = (char)inkan_ascii_lower(c);
	}
	out[len] = '\0';
	return label > 0;
}

/* One query: <prefix>.<domain>, the record chosen by the draft's rule. */
static enum inkan_status
query(struct inkan_resolver *r, const char *prefix, const char *domain,
    struct inkan_buf *txt, enum inkan_dns_txt_pick_result *pick, uint32_t *ttl)
{
	inkan_buf_reset(txt);
	return inkan_dns_txt_pick(
	    r, prefix, domain, inkan_bimi_record_is_bimi, txt, pick, ttl);
}

enum inkan_status
inkan_bimi_record_lookup(struct inkan_resolver *r, const char *selector,
    const char *domain, const char *org_domain,
    const struct inkan_limits *limits, struct inkan_bimi_lookup *look)
{
	char prefix[INKAN_DNS_NAME_MAX + 8], org[INKAN_DNS_NAME_MAX + 1];
	char author[INKAN_DNS_NAME_MAX + 1];
	enum inkan_dns_txt_pick_result pick;
	struct inkan_buf txt;
	enum inkan_status st;
	bool fallback;

	if (limits == NULL)
		limits = inkan_limits_defaults();
	memset(look, 0, sizeof(*look));
	if (selector == NULL)
		selector = "default";
	/* draft: selector = sub-domain *( "." sub-domain ) */
	if (!normalise_name(
		selector, false, look->selector, sizeof(look->selector))) {
		reason(look, "the selector \"%.60s\" is not a name", selector);
		return INKAN_ERR_SYNTAX;
	}
	if (!normalise_name(domain, true, look->domain, sizeof(look->domain))) {
		reason(look, "\"%.100s\" is not a domain name",
		    domain != NULL ? domain : "");
		return INKAN_ERR_SYNTAX;
	}
	org[0] = '\0';
	if (org_domain != NULL &&
	    !normalise_name(org_domain, true, org, sizeof(org))) {
		reason(look, "\"%.100s\" is not a domain name", org_domain);
		return INKAN_ERR_SYNTAX;
	}
	snprintf(prefix, sizeof(prefix), "%s._bimi", look->selector);
	fallback = org[0] != '\0' && strcmp(org, look->domain) != 0;

	inkan_buf_init(&txt, limits->bimi_record_max);
	st = query(r, prefix, look->domain, &txt, &pick, &look->ttl);
	/* draft, Assertion Record Discovery 6: only an empty set falls back
	   to the organisational domain. */
	if (st == INKAN_OK && pick == INKAN_DNS_PICK_NONE && fallback) {
		snprintf(author, sizeof(author), "%s", look->domain);
		snprintf(look->domain, sizeof(look->domain), "%s", org);
		look->org_fallback = true;
		st = query(r, prefix, look->domain, &txt, &pick, &look->ttl);
	}
	if (st == INKAN_ERR_LIMIT) {
		look->status = INKAN_BIMI_LOOKUP_INVALID;
		look->err.code = INKAN_BIMI_REC_TOO_LONG;
		look->err.problems = 1u << INKAN_BIMI_REC_TOO_LONG;
		reason(look,
		    "the record at %s.%s is longer than the %zu bytes "
		    "allowed",
		    prefix, look->domain, limits->bimi_record_max);
		st = INKAN_OK;
		goto out;
	}
	if (st == INKAN_ERR_SYNTAX)
		reason(look, "%s.%s is not a domain name (too long?)", prefix,
		    look->domain);
	if (st != INKAN_OK)
		goto out;
	switch (pick) {
	case INKAN_DNS_PICK_NONE:
		if (look->org_fallback)
			reason(look,
			    "no TXT record at %s.%s nor at %s.%s begins with "
			    "v=BIMI1",
			    prefix, author, prefix, look->domain);
		else
			reason(look,
			    "no TXT record at %s.%s begins with v=BIMI1",
			    prefix, look->domain);
		break;
	case INKAN_DNS_PICK_SEVERAL:
		look->status = INKAN_BIMI_LOOKUP_INVALID;
		reason(look,
		    "several TXT records at %s.%s begin with v=BIMI1 (the "
		    "draft: then BIMI MUST NOT be applied)",
		    prefix, look->domain);
		break;
	case INKAN_DNS_PICK_TEMPERROR:
		look->status = INKAN_BIMI_LOOKUP_TEMPERROR;
		reason(look, "the TXT lookup of %s.%s failed temporarily",
		    prefix, look->domain);
		break;
	case INKAN_DNS_PICK_ONE:
		st = inkan_bimi_record_parse(
		    txt.data, txt.len, limits, &look->record, &look->err);
		if (st == INKAN_OK) {
			look->status = INKAN_BIMI_LOOKUP_FOUND;
		} else if (st == INKAN_ERR_SYNTAX || st == INKAN_ERR_LIMIT) {
			look->status = INKAN_BIMI_LOOKUP_INVALID;
			st = INKAN_OK;
		}
		break;
	}
out:
	inkan_buf_clear(&txt);
	return st;
}

void
inkan_bimi_lookup_clear(struct inkan_bimi_lookup *look)
{
	if (look == NULL)
		return;
	inkan_bimi_record_free(&look->record);
	memset(look, 0, sizeof(*look));
}
