/*
 * limits.c: the default limits (see inkan/limits.h for the reasons).
 */
#include <inkan/limits.h>

static const struct inkan_limits defaults = {
	.hdr_line_max = INKAN_HDR_LINE_MAX,
	.hdr_field_max = INKAN_HDR_FIELD_MAX,
	.hdr_fields_max = INKAN_HDR_FIELDS_MAX,
	.hdr_section_max = INKAN_HDR_SECTION_MAX,
	.addr_list_max = INKAN_ADDR_LIST_MAX,
	.addr_comment_depth = INKAN_ADDR_COMMENT_DEPTH,
	.smtp_localpart_max = INKAN_SMTP_LOCALPART_MAX,
	.smtp_domain_max = INKAN_SMTP_DOMAIN_MAX,
	.smtp_path_max = INKAN_SMTP_PATH_MAX,
	.dns_timeout_ms = INKAN_DNS_TIMEOUT_MS,
	.dns_cname_max = INKAN_DNS_CNAME_MAX,
	.dns_rr_max = INKAN_DNS_RR_MAX,
	.dns_zone_file_max = INKAN_DNS_ZONE_FILE_MAX,
	.spf_dns_terms_max = INKAN_SPF_DNS_TERMS_MAX,
	.spf_mx_names_max = INKAN_SPF_MX_NAMES_MAX,
	.spf_ptr_names_max = INKAN_SPF_PTR_NAMES_MAX,
	.spf_void_max = INKAN_SPF_VOID_MAX,
	.spf_record_max = INKAN_SPF_RECORD_MAX,
	.spf_terms_max = INKAN_SPF_TERMS_MAX,
	.spf_expansion_max = INKAN_SPF_EXPANSION_MAX,
	.spf_depth_max = INKAN_SPF_DEPTH_MAX,
	.spf_cache_max = INKAN_SPF_CACHE_MAX,
	.spf_negative_ttl = INKAN_SPF_NEGATIVE_TTL,
	.dkim_signatures_max = INKAN_DKIM_SIGNATURES_MAX,
	.dkim_key_lookups_max = INKAN_DKIM_KEY_LOOKUPS_MAX,
	.dkim_tags_max = INKAN_DKIM_TAGS_MAX,
	.dkim_signed_headers_max = INKAN_DKIM_SIGNED_HEADERS_MAX,
	.dkim_key_records_max = INKAN_DKIM_KEY_RECORDS_MAX,
	.dkim_key_cache_max = INKAN_DKIM_KEY_CACHE_MAX,
	.dkim_key_cache_ttl_max = INKAN_DKIM_KEY_CACHE_TTL_MAX,
	.mtasts_policy_max = INKAN_MTASTS_POLICY_MAX,
	.mtasts_mx_max = INKAN_MTASTS_MX_MAX,
	.tlsrpt_record_max = INKAN_TLSRPT_RECORD_MAX,
	.tlsrpt_rua_max = INKAN_TLSRPT_RUA_MAX,
	.authres_field_max = INKAN_AUTHRES_FIELD_MAX,
	.authres_results_max = INKAN_AUTHRES_RESULTS_MAX,
	.authres_props_max = INKAN_AUTHRES_PROPS_MAX,
	.authres_comment_depth = INKAN_AUTHRES_COMMENT_DEPTH,
	.arc_instances_max = INKAN_ARC_INSTANCES_MAX,
	.arc_key_lookups_max = INKAN_ARC_KEY_LOOKUPS_MAX,
	.dmarc_record_max = INKAN_DMARC_RECORD_MAX,
	.dmarc_tags_max = INKAN_DMARC_TAGS_MAX,
	.dmarc_uris_max = INKAN_DMARC_URIS_MAX,
	.dmarc_cache_max = INKAN_DMARC_CACHE_MAX,
	.dmarc_negative_ttl = INKAN_DMARC_NEGATIVE_TTL,
	.dmarc_from_domains_max = INKAN_DMARC_FROM_DOMAINS_MAX,
	.https_timeout_ms = INKAN_HTTPS_TIMEOUT_MS,
	.https_body_max = INKAN_HTTPS_BODY_MAX,
	.https_url_max = INKAN_HTTPS_URL_MAX,
	.bimi_record_max = INKAN_BIMI_RECORD_MAX,
	.bimi_svg_max = INKAN_BIMI_SVG_MAX,
	.bimi_svg_depth_max = INKAN_BIMI_SVG_DEPTH_MAX,
	.bimi_svg_elements_max = INKAN_BIMI_SVG_ELEMENTS_MAX,
};

void
inkan_limits_default(struct inkan_limits *lim)
{
	*lim = defaults;
}

const struct inkan_limits *
inkan_limits_defaults(void)
{
	return &defaults;
}
