/*
 * test_record.c: the DMARC Policy Record parser (RFC 9989 4.7, 4.8): the
 * version tag, every tag's syntax, the fall-back rules of 4.10.1 for an
 * invalid p=, sp= or np=, unknown, repeated and obsolete tags, reporting
 * URIs with the obsolete size, and hostile input (NUL, 8-bit, limits).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <inkan/dmarc.h>

#define ABS INKAN_DMARC_POLICY_ABSENT
#define NON INKAN_DMARC_POLICY_NONE
#define QUA INKAN_DMARC_POLICY_QUARANTINE
#define REJ INKAN_DMARC_POLICY_REJECT

#define F_PABS INKAN_DMARC_REC_P_ABSENT
#define F_PINV INKAN_DMARC_REC_P_INVALID
#define F_SPINV INKAN_DMARC_REC_SP_INVALID
#define F_NPINV INKAN_DMARC_REC_NP_INVALID
#define F_ASNONE INKAN_DMARC_REC_AS_P_NONE
#define F_NOTAPP INKAN_DMARC_REC_NOT_APPLIED
#define F_OBS INKAN_DMARC_REC_OBSOLETE

struct record_case {
	const char *name;
	const char *text;
	enum inkan_status st;
	enum inkan_dmarc_policy p, sp, np;
	unsigned flags;
	size_t nrua;
	/* A substring of some warning; NULL: no warnings at all. */
	const char *warning;
};

static const struct record_case cases[] = {
	{ "minimal", "v=DMARC1; p=none", INKAN_OK, NON, ABS, ABS, 0, 0, NULL },
	{ "no spaces", "v=DMARC1;p=reject", INKAN_OK, REJ, ABS, ABS, 0, 0,
	    NULL },
	{ "spaces around = and ;", "v = DMARC1 ; p = quarantine ; ", INKAN_OK,
	    QUA, ABS, ABS, 0, 0, NULL },
	{ "tabs", "v=DMARC1;\tp=reject\t;", INKAN_OK, REJ, ABS, ABS, 0, 0,
	    NULL },
	{ "V upper case", "V=DMARC1; p=reject", INKAN_OK, REJ, ABS, ABS, 0, 0,
	    NULL },
	{ "all policies", "v=DMARC1; p=reject; sp=quarantine; np=none",
	    INKAN_OK, REJ, QUA, NON, 0, 0, NULL },
	{ "values without case", "v=DMARC1; p=REJECT; sp=Quarantine", INKAN_OK,
	    REJ, QUA, ABS, 0, 0, NULL },
	{ "tag names without case", "v=DMARC1; P=reject; SP=none", INKAN_OK,
	    REJ, NON, ABS, 0, 0, NULL },
	/* 4.7 v: %s"DMARC1" is case-sensitive and must come first. */
	{ "dmarc1 lower case", "v=dmarc1; p=reject", INKAN_ERR_SYNTAX, ABS, ABS,
	    ABS, 0, 0, NULL },
	{ "v not first", "p=reject; v=DMARC1", INKAN_ERR_SYNTAX, ABS, ABS, ABS,
	    0, 0, NULL },
	{ "leading space", " v=DMARC1; p=reject", INKAN_ERR_SYNTAX, ABS, ABS,
	    ABS, 0, 0, NULL },
	{ "empty", "", INKAN_ERR_SYNTAX, ABS, ABS, ABS, 0, 0, NULL },
	{ "DMARC10", "v=DMARC10; p=none", INKAN_ERR_SYNTAX, ABS, ABS, ABS, 0, 0,
	    NULL },
	{ "no separator", "v=DMARC1p=none", INKAN_ERR_SYNTAX, ABS, ABS, ABS, 0,
	    0, NULL },
	{ "space instead of ;", "v=DMARC1 p=none", INKAN_ERR_SYNTAX, ABS, ABS,
	    ABS, 0, 0, NULL },
	{ "spf record", "v=spf1 -all", INKAN_ERR_SYNTAX, ABS, ABS, ABS, 0, 0,
	    NULL },
	/* 4.10.1: no valid p=, or an invalid sp= or np=. */
	{ "version only", "v=DMARC1", INKAN_OK, ABS, ABS, ABS,
	    F_PABS | F_NOTAPP, 0, "no DMARC processing" },
	{ "version and ;", "v=DMARC1;", INKAN_OK, ABS, ABS, ABS,
	    F_PABS | F_NOTAPP, 0, "no DMARC processing" },
	{ "no p, rua", "v=DMARC1; rua=mailto:a@example.com", INKAN_OK, NON, ABS,
	    ABS, F_PABS | F_ASNONE, 1, "used as p=none" },
	{ "invalid p", "v=DMARC1; p=bogus", INKAN_OK, ABS, ABS, ABS,
	    F_PINV | F_NOTAPP, 0, "invalid p=bogus" },
	{ "abbreviated p", "v=DMARC1; p=n", INKAN_OK, ABS, ABS, ABS,
	    F_PINV | F_NOTAPP, 0, "invalid p=n" },
	{ "invalid p, rua", "v=DMARC1; p=bogus; rua=mailto:x@example.net",
	    INKAN_OK, NON, ABS, ABS, F_PINV | F_ASNONE, 1, "used as p=none" },
	{ "invalid sp spoils p", "v=DMARC1; p=reject; sp=bogus", INKAN_OK, ABS,
	    ABS, ABS, F_SPINV | F_NOTAPP, 0, "invalid sp=bogus" },
	{ "invalid np, rua",
	    "v=DMARC1; p=reject; np=x; rua=mailto:a@example.com", INKAN_OK, NON,
	    ABS, ABS, F_NPINV | F_ASNONE, 1, "an invalid sp= or np=" },
	{ "p= empty", "v=DMARC1; p=", INKAN_OK, ABS, ABS, ABS,
	    F_PABS | F_NOTAPP, 0, "malformed tag" },
	/* 4.8: other errors are discarded for the defaults. */
	{ "repeated p", "v=DMARC1; p=reject; p=none", INKAN_OK, REJ, ABS, ABS,
	    0, 0, "repeated tag \"p\"" },
	{ "invalid adkim", "v=DMARC1; p=none; adkim=x", INKAN_OK, NON, ABS, ABS,
	    0, 0, "invalid adkim=x" },
	{ "invalid t", "v=DMARC1; p=none; t=maybe", INKAN_OK, NON, ABS, ABS, 0,
	    0, "invalid t=maybe" },
	{ "invalid psd", "v=DMARC1; p=none; psd=x", INKAN_OK, NON, ABS, ABS, 0,
	    0, "invalid psd=x" },
	{ "unknown tag", "v=DMARC1; p=none; foo=bar", INKAN_OK, NON, ABS, ABS,
	    0, 0, "unknown tag \"foo\"" },
	{ "empty tag", "v=DMARC1; p=none;; sp=reject", INKAN_OK, NON, REJ, ABS,
	    0, 0, "empty tag" },
	{ "malformed tag", "v=DMARC1; p=none; =x", INKAN_OK, NON, ABS, ABS, 0,
	    0, "malformed tag" },
	{ "tag name with digit", "v=DMARC1; p=none; p2=x", INKAN_OK, NON, ABS,
	    ABS, 0, 0, "malformed tag" },
	{ "8-bit value", "v=DMARC1; p=none; foo=\xc3\xa9", INKAN_OK, NON, ABS,
	    ABS, 0, 0, "malformed tag \"foo=\\xc3\\xa9\"" },
	{ "obsolete pct", "v=DMARC1; p=none; pct=50", INKAN_OK, NON, ABS, ABS,
	    F_OBS, 0, "obsolete tag pct=50" },
	{ "obsolete rf ri", "v=DMARC1; p=none; rf=afrf; ri=3600", INKAN_OK, NON,
	    ABS, ABS, F_OBS, 0, "obsolete tag ri=3600" },
	{ "fo without ruf", "v=DMARC1; p=none; fo=1", INKAN_OK, NON, ABS, ABS,
	    0, 0, "fo= has no effect" },
	/* Reporting URIs. */
	{ "two rua",
	    "v=DMARC1; p=none; rua=mailto:a@example.com , "
	    "mailto:b@example.net",
	    INKAN_OK, NON, ABS, ABS, 0, 2, NULL },
	{ "rua size", "v=DMARC1; p=none; rua=mailto:a@example.com!10m",
	    INKAN_OK, NON, ABS, ABS, 0, 1, NULL },
	{ "rua bad size", "v=DMARC1; p=none; rua=mailto:a@example.com!x",
	    INKAN_OK, NON, ABS, ABS, 0, 0, "not followed by a size" },
	{ "rua not a uri", "v=DMARC1; p=none; rua=dmarc@example.com", INKAN_OK,
	    NON, ABS, ABS, 0, 0, "not a URI" },
	{ "rua with space", "v=DMARC1; p=none; rua=mailto:a b@example.com",
	    INKAN_OK, NON, ABS, ABS, 0, 0, "not a URI" },
	{ "rua ftp", "v=DMARC1; p=none; rua=ftp://abuse.com", INKAN_OK, NON,
	    ABS, ABS, 0, 1, NULL },
	{ "rua mailto no address", "v=DMARC1; p=none; ruf=mailto://abuse.com",
	    INKAN_OK, NON, ABS, ABS, 0, 0, "no usable address" },
	{ "rua empty element",
	    "v=DMARC1; p=none; rua=mailto:a@example.com,,mailto:b@example.com",
	    INKAN_OK, NON, ABS, ABS, 0, 2, "empty URI" },
	{ "only invalid rua keeps p invalid", "v=DMARC1; p=x; rua=notauri",
	    INKAN_OK, ABS, ABS, ABS, F_PINV | F_NOTAPP, 0, "not a URI" },
};

static void
test_cases(void **state)
{
	size_t i, k, failures = 0;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct record_case *c = &cases[i];
		struct inkan_dmarc_record *rec = NULL;
		const char *err = NULL;
		enum inkan_status st;
		bool found;

		st = inkan_dmarc_record_parse(
		    c->text, strlen(c->text), NULL, &rec, &err);
		if (st != c->st) {
			print_error("%s: status got %s, want %s (%s)\n",
			    c->name, inkan_strerror(st), inkan_strerror(c->st),
			    err != NULL ? err : "");
			failures++;
			inkan_dmarc_record_free(&rec);
			continue;
		}
		if (st != INKAN_OK) {
			if (rec != NULL || err == NULL) {
				print_error("%s: no record and a reason "
					    "expected\n",
				    c->name);
				failures++;
			}
			continue;
		}
		if (rec->p != c->p || rec->sp != c->sp || rec->np != c->np) {
			print_error("%s: p/sp/np got %s/%s/%s, want %s/%s/%s\n",
			    c->name, inkan_dmarc_policy_name(rec->p),
			    inkan_dmarc_policy_name(rec->sp),
			    inkan_dmarc_policy_name(rec->np),
			    inkan_dmarc_policy_name(c->p),
			    inkan_dmarc_policy_name(c->sp),
			    inkan_dmarc_policy_name(c->np));
			failures++;
		}
		if (rec->flags != c->flags) {
			print_error("%s: flags got %#x, want %#x\n", c->name,
			    rec->flags, c->flags);
			failures++;
		}
		if (rec->nrua + rec->nruf != c->nrua &&
		    !(c->nrua == 0 && rec->nruf > 0)) {
			print_error("%s: URIs got %zu, want %zu\n", c->name,
			    rec->nrua + rec->nruf, c->nrua);
			failures++;
		}
		found = c->warning == NULL && rec->nwarnings == 0;
		for (k = 0; c->warning != NULL && k < rec->nwarnings; k++)
			if (strstr(rec->warnings[k], c->warning) != NULL)
				found = true;
		if (!found) {
			print_error("%s: warnings got %zu (%s), want %s\n",
			    c->name, rec->nwarnings,
			    rec->nwarnings > 0 ? rec->warnings[0] : "",
			    c->warning != NULL ? c->warning : "none");
			failures++;
		}
		inkan_dmarc_record_free(&rec);
		assert_null(rec);
	}
	assert_int_equal(failures, 0);
}

static struct inkan_dmarc_record *
parse_ok(const char *text)
{
	struct inkan_dmarc_record *rec = NULL;
	const char *err = NULL;

	if (inkan_dmarc_record_parse(text, strlen(text), NULL, &rec, &err) !=
	    INKAN_OK)
		fail_msg("%s: %s", text, err);
	return rec;
}

static void
test_fields(void **state)
{
	struct inkan_dmarc_record *rec;

	(void)state;
	rec = parse_ok("v=DMARC1; p=reject; adkim=s; aspf=S; t=y; psd=n; "
		       "fo=1:d:s; ruf=mailto:f@example.com");
	assert_int_equal(rec->adkim, INKAN_DMARC_ALIGN_STRICT);
	assert_int_equal(rec->aspf, INKAN_DMARC_ALIGN_STRICT);
	assert_true(rec->testing);
	assert_int_equal(rec->psd, INKAN_DMARC_PSD_N);
	assert_int_equal(
	    rec->fo, INKAN_DMARC_FO_1 | INKAN_DMARC_FO_D | INKAN_DMARC_FO_S);
	assert_string_equal(rec->fo_text, "1:d:s");
	assert_int_equal(rec->nruf, 1);
	assert_int_equal(rec->nwarnings, 0);
	inkan_dmarc_record_free(&rec);

	/* Defaults. */
	rec = parse_ok("v=DMARC1; p=none");
	assert_int_equal(rec->adkim, INKAN_DMARC_ALIGN_RELAXED);
	assert_int_equal(rec->aspf, INKAN_DMARC_ALIGN_RELAXED);
	assert_false(rec->testing);
	assert_int_equal(rec->psd, INKAN_DMARC_PSD_U);
	assert_int_equal(rec->fo, INKAN_DMARC_FO_0);
	assert_null(rec->fo_text);
	assert_int_equal(rec->pct, -1);
	assert_string_equal(rec->text, "v=DMARC1; p=none");
	inkan_dmarc_record_free(&rec);

	rec = parse_ok("v=DMARC1; p=none; psd=Y; t=n");
	assert_int_equal(rec->psd, INKAN_DMARC_PSD_Y);
	assert_false(rec->testing);
	inkan_dmarc_record_free(&rec);

	rec = parse_ok("v=DMARC1; p=none; pct=500; rf=afrf");
	assert_int_equal(rec->pct, -1);
	assert_string_equal(rec->rf, "afrf");
	assert_null(rec->ri);
	inkan_dmarc_record_free(&rec);
}

static void
test_fo(void **state)
{
	static const struct {
		const char *fo;
		int want; /* -1: invalid, fo=0 used */
	} fos[] = {
		{ "0", INKAN_DMARC_FO_0 },
		{ "1", INKAN_DMARC_FO_1 },
		{ "d", INKAN_DMARC_FO_D },
		{ "s:d", INKAN_DMARC_FO_S | INKAN_DMARC_FO_D },
		{ "d:1:s",
		    INKAN_DMARC_FO_D | INKAN_DMARC_FO_1 | INKAN_DMARC_FO_S },
		{ "0:1", -1 },
		{ "d:d", -1 },
		{ "d:", -1 },
		{ ":d", -1 },
		{ "2", -1 },
		{ "0 : d", -1 },
	};
	size_t i;
	char text[128];

	(void)state;
	for (i = 0; i < sizeof(fos) / sizeof(fos[0]); i++) {
		struct inkan_dmarc_record *rec;
		unsigned want =
		    fos[i].want < 0 ? INKAN_DMARC_FO_0 : (unsigned)fos[i].want;

		snprintf(text, sizeof(text),
		    "v=DMARC1; p=none; ruf=mailto:f@example.com; fo=%s",
		    fos[i].fo);
		rec = parse_ok(text);
		if (rec->fo != want)
			fail_msg("fo=%s: got %#x, want %#x", fos[i].fo, rec->fo,
			    want);
		if ((fos[i].want < 0) != (rec->nwarnings > 0))
			fail_msg(
			    "fo=%s: %zu warnings", fos[i].fo, rec->nwarnings);
		inkan_dmarc_record_free(&rec);
	}
}

static void
test_uris(void **state)
{
	struct inkan_dmarc_record *rec;

	(void)state;
	rec = parse_ok("v=DMARC1; p=none; rua=MAILTO:Dmarc%2Breports@"
		       "Example.COM!10m,mailto:b@example.net?subject=x!2K, "
		       "https://user@reports.example.org:8443/in, "
		       "mailto:x@[192.0.2.1]; ruf=mailto:f@example.com!7");
	assert_int_equal(rec->nrua, 4);
	assert_string_equal(
	    rec->rua[0].uri, "MAILTO:Dmarc%2Breports@Example.COM");
	assert_string_equal(rec->rua[0].scheme, "mailto");
	assert_string_equal(rec->rua[0].address, "Dmarc+reports@Example.COM");
	assert_string_equal(rec->rua[0].host, "example.com");
	assert_true(rec->rua[0].has_size);
	assert_int_equal(rec->rua[0].size, 10u * 1024 * 1024);
	assert_string_equal(rec->rua[1].uri, "mailto:b@example.net?subject=x");
	assert_string_equal(rec->rua[1].address, "b@example.net");
	assert_int_equal(rec->rua[1].size, 2048);
	assert_string_equal(rec->rua[2].scheme, "https");
	assert_string_equal(rec->rua[2].host, "reports.example.org");
	assert_null(rec->rua[2].address);
	assert_false(rec->rua[2].has_size);
	/* A domain literal is no domain name: kept, no address. */
	assert_null(rec->rua[3].address);
	assert_int_equal(rec->nruf, 1);
	assert_int_equal(rec->ruf[0].size, 7);
	inkan_dmarc_record_free(&rec);

	/* A size that does not fit 64 bits saturates. */
	rec = parse_ok("v=DMARC1; p=none; rua=mailto:a@example.com!"
		       "99999999999999999999999t");
	assert_int_equal(rec->nrua, 1);
	assert_true(rec->rua[0].size == UINT64_MAX);
	inkan_dmarc_record_free(&rec);
}

static void
test_limits(void **state)
{
	struct inkan_limits lim;
	struct inkan_dmarc_record *rec = NULL;
	const char *err = NULL;
	char text[2048];
	size_t i, n;

	(void)state;
	inkan_limits_default(&lim);
	lim.dmarc_record_max = 16;
	assert_int_equal(inkan_dmarc_record_parse(
			     "v=DMARC1; p=reject;", 19, &lim, &rec, &err),
	    INKAN_ERR_LIMIT);
	assert_null(rec);
	assert_non_null(err);

	inkan_limits_default(&lim);
	lim.dmarc_tags_max = 3;
	assert_int_equal(inkan_dmarc_record_parse(
			     "v=DMARC1;p=none;t=y;psd=n", 25, &lim, &rec, &err),
	    INKAN_ERR_LIMIT);
	assert_int_equal(inkan_dmarc_record_parse(
			     "v=DMARC1;p=none;t=y", 19, &lim, &rec, &err),
	    INKAN_OK);
	inkan_dmarc_record_free(&rec);

	/* More URIs than dmarc_uris_max: the first ones are kept. */
	n = (size_t)snprintf(text, sizeof(text), "v=DMARC1; p=none; rua=");
	for (i = 0; i < 20; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n,
		    "%smailto:r%zu@example.com", i > 0 ? "," : "", i);
	rec = parse_ok(text);
	assert_int_equal(rec->nrua, INKAN_DMARC_URIS_MAX);
	assert_string_equal(rec->rua[0].address, "r0@example.com");
	assert_int_equal(rec->nwarnings, 1);
	inkan_dmarc_record_free(&rec);

	/* A NUL byte: not a record at all. */
	assert_int_equal(
	    inkan_dmarc_record_parse(
		"v=DMARC1; p=none\0; sp=reject", 29, NULL, &rec, &err),
	    INKAN_ERR_SYNTAX);
	assert_null(rec);
	assert_int_equal(inkan_dmarc_record_parse(NULL, 0, NULL, &rec, &err),
	    INKAN_ERR_SYNTAX);
	assert_int_equal(
	    inkan_dmarc_record_parse("v=DMARC1", 8, NULL, NULL, &err),
	    INKAN_ERR_INVAL);
	/* Escaped text: 8-bit bytes and backslashes never come back raw. */
	rec = parse_ok("v=DMARC1; p=none; x=\\\x01");
	assert_string_equal(rec->text, "v=DMARC1; p=none; x=\\\\\\x01");
	inkan_dmarc_record_free(&rec);
}

static void
test_names(void **state)
{
	(void)state;
	assert_string_equal(inkan_dmarc_result_name(INKAN_DMARC_PASS), "pass");
	assert_string_equal(
	    inkan_dmarc_result_name(INKAN_DMARC_TEMPERROR), "temperror");
	assert_string_equal(
	    inkan_dmarc_result_name((enum inkan_dmarc_result)99), "unknown");
	assert_string_equal(inkan_dmarc_policy_name(ABS), "absent");
	assert_string_equal(inkan_dmarc_policy_name(QUA), "quarantine");
	assert_string_equal(
	    inkan_dmarc_disposition_name(INKAN_DMARC_DISP_PASS), "pass");
	assert_string_equal(
	    inkan_dmarc_align_name(INKAN_DMARC_ALIGN_STRICT), "s");
	assert_string_equal(inkan_dmarc_psd_name(INKAN_DMARC_PSD_U), "u");
	assert_string_equal(
	    inkan_dmarc_mode_name(INKAN_DMARC_MODE_RFC7489), "psl");
	assert_string_equal(
	    inkan_dmarc_override_name(INKAN_DMARC_OVERRIDE_POLICY_TEST_MODE),
	    "policy_test_mode");
	assert_string_equal(
	    inkan_dmarc_external_name(INKAN_DMARC_EXT_NOT_NEEDED),
	    "not-needed");
	assert_string_equal(
	    inkan_dmarc_step_outcome_name(INKAN_DMARC_STEP_SEVERAL), "several");
	assert_string_equal(
	    inkan_dmarc_policy_tag_name(INKAN_DMARC_TAG_NP), "np");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_fo),
		cmocka_unit_test(test_uris),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
