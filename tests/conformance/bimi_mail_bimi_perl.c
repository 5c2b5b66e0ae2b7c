/*
 * bimi_mail_bimi_perl.c: the BIMI record parser, lookup and SVG check
 * against Mail::BIMI's test data (INKAN_TESTSUITES_DIR/bimi/
 * mail-bimi-perl, unedited).
 *
 * Three parts:
 *
 * 1. record-validation-expected.tsv: each record through
 *    inkan_bimi_record_parse(); its validity must match, and for an
 *    invalid record one of Mail::BIMI's error codes must be among ours
 *    (mapped in map_problem()). Two things differ from Mail::BIMI, and
 *    the draft is followed (draft-brand-indicators-for-message-
 *    identification, "Assertion Record Definition"):
 *    - v=bimi1 in lower case: the draft says the value "MUST match
 *      precisely" and receivers "MUST NOT attempt to fix ...
 *      capitalization errors", so inkan refuses it (v-case), where
 *      Mail::BIMI accepts it. Every such row is reported as this
 *      deviation, and then checked again with "BIMI1", so the rest of the
 *      row is still tested against Mail::BIMI's verdict.
 *    - "v=bimi1; l=" (no a=): Mail::BIMI says EMPTY_L_TAG, invalid (yet
 *      its own CLI answers bimi=declined for it, expected-output/
 *      app-checkrecord-profile-bimi.stdout). The draft: an absent a= "is
 *      assumed to have an empty value", and empty l= and a= is a valid
 *      Declination to Publish. inkan parses it as a declination.
 * 2. FM-good.svg (a real SVG Tiny PS logo) must pass the SVG check, and
 *    the two records of expected-output/app-checkrecord-*.stdout must
 *    give what those outputs say (fail: invalid transport; declined).
 * 3. zonefile (lines "name TYPE value", names without the final dot)
 *    loaded into the zone resolver, each line made absolute, and
 *    inkan_bimi_record_lookup() run for the domains whose expectation the
 *    names and the README make clear (lookups[] below says what and why).
 *    Mail::BIMI's lookup tests inject DNS failures (die_on) for the
 *    "...fail" domains; the driver injects a SERVFAIL at the same name.
 *    Mail::BIMI follows an older draft where a selector without a record
 *    falls back to "default"; the current draft does not (its example
 *    "Subdomain and organizational domain have no record for selector,
 *    but organization domain has a default" gives bimi=none): those two
 *    rows are deviations, checked against the draft. The zonefile's
 *    records say v=bimi1, so a lookup that should find one gets
 *    "invalid" with v-case as its only problem: the same deviation as in
 *    part 1, counted as found at the right name. The cache* domains
 *    are skipped: they test Mail::BIMI's cache backends, not a lookup.
 */
#include <stdlib.h>

#include <inkan/bimi.h>
#include <inkan/inkan.h>

#include "suite.h"

#define FIELDS_MAX 6

/* Mail::BIMI's error code for one of our problems, or NULL. */
static const char *
map_problem(enum inkan_bimi_record_problem p)
{
	switch (p) {
	case INKAN_BIMI_REC_DUPLICATE_TAG:
		return "DUPLICATE_KEY";
	case INKAN_BIMI_REC_V_MISSING:
	case INKAN_BIMI_REC_V_NOT_FIRST:
		return "MISSING_V_TAG";
	case INKAN_BIMI_REC_V_EMPTY:
		return "EMPTY_V_TAG";
	case INKAN_BIMI_REC_V_INVALID:
		return "INVALID_V_TAG";
	case INKAN_BIMI_REC_L_MISSING:
		return "MISSING_L_TAG";
	case INKAN_BIMI_REC_L_NOT_HTTPS:
		return "INVALID_TRANSPORT_L";
	case INKAN_BIMI_REC_A_NOT_HTTPS:
		return "INVALID_TRANSPORT_A";
	default:
		return NULL;
	}
}

/* True if one of problems maps to a code in the comma list codes. */
static bool
codes_meet(unsigned problems, const char *codes)
{
	unsigned p;
	const char *m, *s;
	size_t n;

	for (p = 0; p < 32; p++) {
		if (!(problems & (1u << p)) ||
		    (m = map_problem((enum inkan_bimi_record_problem)p)) ==
			NULL)
			continue;
		n = strlen(m);
		for (s = codes; (s = strstr(s, m)) != NULL; s += n)
			if ((s == codes || s[-1] == ',') &&
			    (s[n] == '\0' || s[n] == ','))
				return true;
	}
	return false;
}

static void
problem_names(unsigned problems, char *out, size_t size)
{
	size_t n = 0;
	unsigned p;

	out[0] = '\0';
	for (p = 0; p < 32 && n < size; p++)
		if (problems & (1u << p))
			n += (size_t)snprintf(out + n, size - n, "%s%s",
			    n > 0 ? "," : "",
			    inkan_bimi_record_problem_name(
				(enum inkan_bimi_record_problem)p));
}

/* Parses text; *problems_r 0 when it parses (declined_r then set). */
static void
parse_record(const char *text, unsigned *problems_r, bool *declined_r)
{
	struct inkan_bimi_record *rec = NULL;
	struct inkan_bimi_error err;

	if (inkan_bimi_record_parse(text, strlen(text), NULL, &rec, &err) ==
	    INKAN_OK) {
		*problems_r = 0;
		*declined_r = rec->declined;
		inkan_bimi_record_free(&rec);
	} else {
		*problems_r = err.problems;
		*declined_r = false;
	}
}

/* The first "bimi1" in s (the v= value) in upper case. */
static void
upcase_version(char *s)
{
	char *v = strstr(s, "bimi1");
	size_t i;

	for (i = 0; v != NULL && i < 4; i++)
		v[i] = (char)inkan_ascii_upper((uint8_t)v[i]);
}

static void
run_records(const char *dir, struct suite_counts *c, unsigned *ndev)
{
	struct inkan_buf file;
	char *line, *next, *f[FIELDS_MAX], got[200], fixed[1024];
	unsigned problems;
	bool declined, want_valid, valid, case_dev, l_dev;
	size_t nf;

	inkan_buf_init(&file, SUITE_FILE_MAX);
	if (!suite_read_file(dir, "record-validation-expected.tsv", &file)) {
		suite_fail(c, "record-validation-expected.tsv: cannot read");
		goto out;
	}
	for (line = (char *)file.data; line != NULL && *line != '\0';
	     line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		nf = suite_split_tabs(line, f, FIELDS_MAX);
		if (nf < 6) {
			suite_fail(
			    c, "record row \"%s\": %zu fields", f[0], nf);
			continue;
		}
		want_valid = strcmp(f[3], "1") == 0;
		parse_record(f[0], &problems, &declined);
		case_dev = (problems & (1u << INKAN_BIMI_REC_V_CASE)) != 0;
		if (case_dev) {
			printf("deviation (draft, Assertion Record "
			       "Definition: v= MUST match BIMI1 precisely): "
			       "\"%s\" refused as v-case; checked again with "
			       "BIMI1\n",
			    f[0]);
			(*ndev)++;
			snprintf(fixed, sizeof(fixed), "%s", f[0]);
			upcase_version(fixed);
			parse_record(fixed, &problems, &declined);
		}
		/* "v=bimi1; l=": a declination under the draft. */
		l_dev = strcmp(f[4], "EMPTY_L_TAG") == 0;
		if (l_dev) {
			printf("deviation (draft, Declination to Publish and "
			       "a=: an absent a= is empty, and empty l= and "
			       "a= is a valid declination): \"%s\" is "
			       "checked as a declination\n",
			    f[0]);
			(*ndev)++;
		}
		valid = problems == 0;
		problem_names(problems, got, sizeof(got));
		if (l_dev ? (valid && declined)
			  : (valid == want_valid &&
				(valid || codes_meet(problems, f[4]))))
			suite_ok(c, "record %s: %s%s%s", f[5],
			    valid ? (declined ? "valid, declined" : "valid")
				  : "invalid ",
			    got, case_dev || l_dev ? " (deviation)" : "");
		else
			suite_fail(c, "record %s \"%s\": got %s %s, want %s %s",
			    f[5], f[0], valid ? "valid" : "invalid", got,
			    want_valid ? "valid" : "invalid", f[4]);
	}
out:
	inkan_buf_clear(&file);
}

static void
run_svg_and_outputs(const char *dir, struct suite_counts *c)
{
	struct inkan_bimi_svg_report *rep = NULL;
	struct inkan_buf file;
	unsigned problems;
	bool declined;

	inkan_buf_init(&file, SUITE_FILE_MAX);
	if (!suite_read_file(dir, "FM-good.svg", &file) ||
	    inkan_bimi_svg_check(file.data, file.len, NULL, &rep) != INKAN_OK)
		suite_fail(c, "FM-good.svg: cannot read or check");
	else if (rep->verdict != INKAN_BIMI_SVG_PASS)
		suite_fail(c, "FM-good.svg: got %s, want pass: %s",
		    rep->verdict == INKAN_BIMI_SVG_WARN ? "warn" : "fail",
		    rep->nfindings > 0 ? rep->findings[0].message : "");
	else
		suite_ok(c, "FM-good.svg: pass (SVG Tiny PS)");
	inkan_bimi_svg_report_free(&rep);
	inkan_buf_clear(&file);

	/* app-checkrecord-bogus.stdout: bimi=fail (Invalid transport in
	   location). Our first problem is v-case (the deviation above), so
	   look for the transport among all of them. */
	parse_record("v=bimi1;l=http://bogus", &problems, &declined);
	if (problems & (1u << INKAN_BIMI_REC_L_NOT_HTTPS))
		suite_ok(c, "app-checkrecord-bogus: fail, l-not-https");
	else
		suite_fail(c,
		    "app-checkrecord-bogus: got problems %#x, want "
		    "l-not-https",
		    problems);
	/* app-checkrecord-profile-bimi.stdout: bimi=declined. */
	parse_record("v=BIMI1;l=", &problems, &declined);
	if (problems == 0 && declined)
		suite_ok(c,
		    "app-checkrecord-profile-bimi: declined "
		    "(v=bimi1 written as BIMI1, see above)");
	else
		suite_fail(c,
		    "app-checkrecord-profile-bimi: got %#x, want "
		    "declined",
		    problems);
}

/* Loads the zonefile: "name TYPE value" per line, names made absolute. */
static bool
load_zone(const char *dir, struct inkan_resolver *r)
{
	struct inkan_buf file, rr;
	struct inkan_zone_error zerr;
	char *line, *next, *sp;
	bool ok = true;

	inkan_buf_init(&file, SUITE_FILE_MAX);
	inkan_buf_init(&rr, 4096);
	if (!suite_read_file(dir, "zonefile", &file)) {
		ok = false;
		goto out;
	}
	for (line = (char *)file.data; ok && line != NULL && *line != '\0';
	     line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if (line[0] == '\0')
			continue;
		if ((sp = strchr(line, ' ')) == NULL) {
			printf("zonefile: \"%s\" has no type\n", line);
			ok = false;
			break;
		}
		inkan_buf_reset(&rr);
		inkan_buf_printf(&rr, "%.*s.%s", (int)(sp - line), line, sp);
		if (rr.err != INKAN_OK ||
		    inkan_resolver_zone_add_rr(r, inkan_buf_cstr(&rr), &zerr) !=
			INKAN_OK) {
			printf("zonefile: \"%s\": %s\n", line, zerr.message);
			ok = false;
		}
	}
out:
	inkan_buf_clear(&rr);
	inkan_buf_clear(&file);
	return ok;
}

/* One lookup of the zonefile part; see the file comment. */
struct lookup_case {
	const char *domain, *selector, *org_domain;
	const char *servfail; /* a name to make SERVFAIL, or NULL */
	enum inkan_bimi_lookup_status want;
	const char *want_where; /* "selector/domain" of a FOUND record */
	const char *why; /* what the name and README say */
	const char *deviation; /* the draft's section, when it differs */
};

static const struct lookup_case lookups[] = {
	{ "domain.com", NULL, NULL, NULL, INKAN_BIMI_LOOKUP_FOUND,
	    "default/domain.com", "a default record", NULL },
	{ "fastmaildmarc.com", NULL, NULL, NULL, INKAN_BIMI_LOOKUP_FOUND,
	    "default/fastmaildmarc.com",
	    "app-checkdomain-fastmaildmarc.stdout: valid, l=FM_BIMI.svg, "
	    "empty a=",
	    NULL },
	{ "dnslookup.com", "selector", NULL, NULL, INKAN_BIMI_LOOKUP_FOUND,
	    "selector/dnslookup.com", "a record at a custom selector", NULL },
	{ "dnslookupcname.com", "selector", NULL, NULL, INKAN_BIMI_LOOKUP_FOUND,
	    "selector/dnslookupcname.com",
	    "the selector's name is a CNAME to the record", NULL },
	{ "dnslookupmulti.com", NULL, NULL, NULL, INKAN_BIMI_LOOKUP_INVALID,
	    NULL, "two records (README: multiple records -> error)", NULL },
	{ "dnslookupfallbackmulti.com", "selector", NULL, NULL,
	    INKAN_BIMI_LOOKUP_INVALID, NULL,
	    "two records at the custom selector", NULL },
	{ "dnslookupnorecord.com", NULL, NULL, NULL, INKAN_BIMI_LOOKUP_NONE,
	    NULL, "no BIMI record", NULL },
	{ "resultsnobimi.com", NULL, NULL, NULL, INKAN_BIMI_LOOKUP_NONE, NULL,
	    "no BIMI record", NULL },
	{ "results.com", NULL, NULL, NULL, INKAN_BIMI_LOOKUP_NONE, NULL,
	    "no BIMI record", NULL },
	{ "dnslookupfail.com", NULL, NULL, "default._bimi.dnslookupfail.com",
	    INKAN_BIMI_LOOKUP_TEMPERROR, NULL,
	    "the lookup fails (Mail::BIMI injects the failure)", NULL },
	{ "dnslookupspfall.com", NULL, NULL, NULL, INKAN_BIMI_LOOKUP_FOUND,
	    "default/dnslookupspfall.com",
	    "the record is found; refusing BIMI for SPF +all is the "
	    "caller's optional policy, not the lookup's",
	    NULL },
	{ "dnslookupspfnall.com", NULL, NULL, NULL, INKAN_BIMI_LOOKUP_FOUND,
	    "default/dnslookupspfnall.com", "a default record, SPF -all",
	    NULL },
	{ "recordfallback.com", "selector", NULL, NULL, INKAN_BIMI_LOOKUP_FOUND,
	    "selector/recordfallback.com", "the custom selector's own record",
	    NULL },
	{ "recordfallback.com", "missing", NULL, NULL, INKAN_BIMI_LOOKUP_NONE,
	    NULL,
	    "a selector without a record (Mail::BIMI: falls back to "
	    "default and finds it)",
	    "Assertion Record Discovery 6 and the example \"Subdomain and "
	    "organizational domain have no record for selector, but "
	    "organization domain has a default\": no fallback to default" },
	{ "dnslookupfallbackfail.com", "missing", NULL,
	    "default._bimi.dnslookupfallbackfail.com", INKAN_BIMI_LOOKUP_NONE,
	    NULL,
	    "a selector without a record, default failing (Mail::BIMI: "
	    "falls back to default, DNS error)",
	    "Assertion Record Discovery 6: default is never queried" },
	/* inkan's own use of the suite's zone: the org-domain fallback. */
	{ "mail.domain.com", NULL, "domain.com", NULL, INKAN_BIMI_LOOKUP_FOUND,
	    "default/domain.com",
	    "inkan: a subdomain without a record falls back to the "
	    "organisational domain (draft, Assertion Record Discovery 6)",
	    NULL },
};

static void
run_lookups(const char *dir, struct suite_counts *c, unsigned *ndev)
{
	static const char *const cache_domains[] = {
		"cachefileerrorhandling.com", "cachenotnull.com",
		"cachenull.com"
	};
	struct inkan_resolver *r = NULL;
	struct inkan_bimi_lookup look;
	char where[600];
	size_t i;
	bool ok, case_dev;

	if (inkan_resolver_new_zone(NULL, &r) != INKAN_OK ||
	    !load_zone(dir, r)) {
		suite_fail(c, "zonefile: cannot load");
		inkan_resolver_free(&r);
		return;
	}
	for (i = 0; i < sizeof(lookups) / sizeof(lookups[0]); i++) {
		const struct lookup_case *lc = &lookups[i];

		if (lc->servfail != NULL)
			inkan_resolver_zone_inject(
			    r, lc->servfail, 0, INKAN_DNS_SERVFAIL);
		if (inkan_bimi_record_lookup(r, lc->selector, lc->domain,
			lc->org_domain, NULL, &look) != INKAN_OK) {
			suite_fail(
			    c, "lookup %s: %s", lc->domain, look.err.message);
			inkan_bimi_lookup_clear(&look);
			continue;
		}
		snprintf(
		    where, sizeof(where), "%s/%s", look.selector, look.domain);
		/* The zonefile writes v=bimi1: found, and refused for the
		   case alone, is the v-case deviation of part 1. */
		case_dev = lc->want == INKAN_BIMI_LOOKUP_FOUND &&
		    look.status == INKAN_BIMI_LOOKUP_INVALID &&
		    look.err.problems == 1u << INKAN_BIMI_REC_V_CASE;
		ok = (look.status == lc->want || case_dev) &&
		    (lc->want_where == NULL ||
			strcmp(where, lc->want_where) == 0);
		if (ok && case_dev) {
			printf("deviation (draft, Assertion Record "
			       "Definition: v= MUST match BIMI1 precisely): "
			       "%s has v=bimi1; the one record was found "
			       "and refused for the case alone\n",
			    lc->domain);
			(*ndev)++;
		}
		if (ok && lc->deviation != NULL) {
			printf("deviation (draft, %s): %s\n", lc->deviation,
			    lc->domain);
			(*ndev)++;
		}
		if (ok)
			suite_ok(c, "lookup %s selector %s: %s (%s)%s",
			    lc->domain, look.selector,
			    case_dev
				? "found (v-case)"
				: inkan_bimi_lookup_status_name(look.status),
			    lc->why,
			    lc->deviation || case_dev ? " (deviation)" : "");
		else
			suite_fail(c,
			    "lookup %s selector %s: got %s at %s (%s), "
			    "want %s at %s",
			    lc->domain, look.selector,
			    inkan_bimi_lookup_status_name(look.status), where,
			    look.err.message,
			    inkan_bimi_lookup_status_name(lc->want),
			    lc->want_where ? lc->want_where : "-");
		if (lc->servfail != NULL)
			inkan_resolver_zone_inject(
			    r, lc->servfail, 0, INKAN_DNS_NOERROR);
		inkan_bimi_lookup_clear(&look);
	}
	for (i = 0; i < sizeof(cache_domains) / sizeof(cache_domains[0]); i++)
		suite_skip(c,
		    "lookup %s: tests Mail::BIMI's cache backends, not "
		    "record discovery",
		    cache_domains[i]);
	inkan_resolver_free(&r);
}

int
main(void)
{
	struct suite_counts c = { 0, 0, 0 };
	char dir[4096];
	unsigned ndev = 0;

	if (!suite_dir("bimi/mail-bimi-perl", dir, sizeof(dir))) {
		printf("bimi/mail-bimi-perl: suite not present\n");
		return 77;
	}
	printf("suite: %s (Mail::BIMI test data)\n", dir);
	run_records(dir, &c, &ndev);
	run_svg_and_outputs(dir, &c);
	run_lookups(dir, &c, &ndev);
	printf("deviations from Mail::BIMI, checked against the draft: %u\n",
	    ndev);
	return suite_report(&c);
}
