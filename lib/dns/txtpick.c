/*
 * txtpick.c: choosing the one TXT record of a kind at a name, the rule
 * several protocols share (see inkan_dns_txt_pick() in inkan/dns.h).
 */
#include <stdio.h>
#include <string.h>

#include "dns/dns_impl.h"

const char *
inkan_dns_txt_pick_name(enum inkan_dns_txt_pick_result r)
{
	switch (r) {
	case INKAN_DNS_PICK_NONE:
		return "none";
	case INKAN_DNS_PICK_ONE:
		return "one";
	case INKAN_DNS_PICK_SEVERAL:
		return "several";
	case INKAN_DNS_PICK_TEMPERROR:
		return "temperror";
	}
	return "none";
}

enum inkan_status
inkan_dns_txt_pick(struct inkan_resolver *r, const char *prefix,
    const char *domain, bool (*is_kind)(const void *text, size_t len),
    struct inkan_buf *out, enum inkan_dns_txt_pick_result *result_r,
    uint32_t *ttl_r)
{
	uint8_t wire[INKAN_DNS_NAME_MAX];
	char name[INKAN_DNS_NAME_MAX + 2];
	struct inkan_dns_answer *a = NULL;
	struct inkan_buf text;
	enum inkan_status st;
	size_t i, wlen, found = 0, found_at = 0;
	int n;

	*result_r = INKAN_DNS_PICK_NONE;
	if (ttl_r != NULL)
		*ttl_r = 0;
	if (is_kind == NULL || out == NULL || domain == NULL)
		return INKAN_ERR_INVAL;
	/* The domain alone must be a name other than the root. */
	if (dns_name_from_text(domain, wire, &wlen) != INKAN_OK || wlen <= 1)
		return INKAN_ERR_SYNTAX;
	n = prefix != NULL
	    ? snprintf(name, sizeof(name), "%s.%s", prefix, domain)
	    : snprintf(name, sizeof(name), "%s", domain);
	if (n < 0 || (size_t)n >= sizeof(name) ||
	    dns_name_from_text(name, wire, &wlen) != INKAN_OK)
		return INKAN_ERR_SYNTAX;
	if ((st = inkan_resolver_lookup(r, name, INKAN_DNS_TXT, &a)) !=
	    INKAN_OK)
		return st;
	if (ttl_r != NULL)
		*ttl_r = a->ttl;
	if (a->rcode == INKAN_DNS_SERVFAIL || a->rcode == INKAN_DNS_TIMEOUT) {
		*result_r = INKAN_DNS_PICK_TEMPERROR;
		goto out;
	}
	/* A TXT RRset is at most 64 KiB on the wire. */
	inkan_buf_init(&text, 65536);
	for (i = 0; i < a->count && st == INKAN_OK; i++) {
		inkan_buf_reset(&text);
		if ((st = inkan_dns_txt_join(&a->records[i], &text)) !=
		    INKAN_OK)
			break;
		if (is_kind(text.data != NULL ? text.data : (const void *)"",
			text.len)) {
			found++;
			found_at = i;
		}
	}
	inkan_buf_clear(&text);
	if (st != INKAN_OK)
		goto out;
	if (found > 1) {
		*result_r = INKAN_DNS_PICK_SEVERAL;
	} else if (found == 1) {
		st = inkan_dns_txt_join(&a->records[found_at], out);
		if (st == INKAN_OK)
			*result_r = INKAN_DNS_PICK_ONE;
	}
out:
	inkan_dns_answer_free(&a);
	return st;
}
