/*
 * lib/dmarc/names.c: the words of the DMARC enums, as RFC 9989, RFC 8601
 * and RFC 9990 write them.
 */
#include <inkan/dmarc.h>

const char *
inkan_dmarc_result_name(enum inkan_dmarc_result r)
{
	switch (r) {
	case INKAN_DMARC_NONE:
		return "none";
	case INKAN_DMARC_PASS:
		return "pass";
	case INKAN_DMARC_FAIL:
		return "fail";
	case INKAN_DMARC_TEMPERROR:
		return "temperror";
	case INKAN_DMARC_PERMERROR:
		return "permerror";
	}
	return "unknown";
}

const char *
inkan_dmarc_policy_name(enum inkan_dmarc_policy p)
{
	switch (p) {
	case INKAN_DMARC_POLICY_ABSENT:
		return "absent";
	case INKAN_DMARC_POLICY_NONE:
		return "none";
	case INKAN_DMARC_POLICY_QUARANTINE:
		return "quarantine";
	case INKAN_DMARC_POLICY_REJECT:
		return "reject";
	}
	return "unknown";
}

const char *
inkan_dmarc_align_name(enum inkan_dmarc_align a)
{
	return a == INKAN_DMARC_ALIGN_STRICT ? "s" : "r";
}

const char *
inkan_dmarc_psd_name(enum inkan_dmarc_psd p)
{
	switch (p) {
	case INKAN_DMARC_PSD_Y:
		return "y";
	case INKAN_DMARC_PSD_N:
		return "n";
	case INKAN_DMARC_PSD_U:
		break;
	}
	return "u";
}

const char *
inkan_dmarc_disposition_name(enum inkan_dmarc_disposition d)
{
	switch (d) {
	case INKAN_DMARC_DISP_NONE:
		return "none";
	case INKAN_DMARC_DISP_PASS:
		return "pass";
	case INKAN_DMARC_DISP_QUARANTINE:
		return "quarantine";
	case INKAN_DMARC_DISP_REJECT:
		return "reject";
	}
	return "unknown";
}

const char *
inkan_dmarc_mode_name(enum inkan_dmarc_mode m)
{
	return m == INKAN_DMARC_MODE_RFC7489 ? "psl" : "treewalk";
}

const char *
inkan_dmarc_step_outcome_name(enum inkan_dmarc_step_outcome o)
{
	switch (o) {
	case INKAN_DMARC_STEP_RECORD:
		return "record";
	case INKAN_DMARC_STEP_NXDOMAIN:
		return "nxdomain";
	case INKAN_DMARC_STEP_NODATA:
		return "nodata";
	case INKAN_DMARC_STEP_NOT_DMARC:
		return "not-dmarc";
	case INKAN_DMARC_STEP_SEVERAL:
		return "several";
	case INKAN_DMARC_STEP_TEMPERROR:
		return "temperror";
	}
	return "unknown";
}

const char *
inkan_dmarc_override_name(enum inkan_dmarc_override o)
{
	switch (o) {
	case INKAN_DMARC_OVERRIDE_LOCAL_POLICY:
		return "local_policy";
	case INKAN_DMARC_OVERRIDE_MAILING_LIST:
		return "mailing_list";
	case INKAN_DMARC_OVERRIDE_OTHER:
		return "other";
	case INKAN_DMARC_OVERRIDE_POLICY_TEST_MODE:
		return "policy_test_mode";
	case INKAN_DMARC_OVERRIDE_TRUSTED_FORWARDER:
		return "trusted_forwarder";
	}
	return "unknown";
}

const char *
inkan_dmarc_policy_tag_name(enum inkan_dmarc_policy_tag t)
{
	switch (t) {
	case INKAN_DMARC_TAG_P:
		return "p";
	case INKAN_DMARC_TAG_SP:
		return "sp";
	case INKAN_DMARC_TAG_NP:
		return "np";
	case INKAN_DMARC_TAG_NONE:
		break;
	}
	return "";
}

const char *
inkan_dmarc_external_name(enum inkan_dmarc_external e)
{
	switch (e) {
	case INKAN_DMARC_EXT_AUTHORISED:
		return "authorised";
	case INKAN_DMARC_EXT_NOT_AUTHORISED:
		return "not-authorised";
	case INKAN_DMARC_EXT_NOT_NEEDED:
		return "not-needed";
	case INKAN_DMARC_EXT_TEMPERROR:
		return "temperror";
	}
	return "unknown";
}
