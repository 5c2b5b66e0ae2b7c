/*
 * dmarc_opendmarc.c: OpenDMARC's test tables (opendmarc/ *-derived.tsv in
 * INKAN_TESTSUITES_DIR, read unedited) against lib/dmarc and lib/msg:
 *
 *   dmarc-record-parse-derived.tsv	record -> OpenDMARC parse status
 *   from-domain-extraction-derived.tsv	From value -> the Author Domain
 *   alignment-derived.tsv		(d1, d2, mode) -> aligned or not
 *
 * OpenDMARC implements RFC 7489. Where a row contradicts RFC 9989, the
 * deviation table below gives RFC 9989's answer and section; the row is
 * then checked against that answer and printed as a deviation (never
 * dropped). The alignment table is run in RFC 7489 mode, as upstream runs
 * it, with Debian's public suffix list and with the 2012 list in
 * opendmarc/testfiles/ (upstream expects the same answers from both).
 *
 * Output: the suite, a line per failure, deviation and skip, then
 * "ran N, passed P, failed F, skipped S". Exit 1 on a failure, 77 when the
 * suite is absent.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <inkan/dmarc.h>
#include <inkan/inkan.h>

#include "suite.h"

#define SUITE "opendmarc"
#define DEBIAN_PSL "/usr/share/publicsuffix/public_suffix_list.dat"

/* One table's counts, and how many of the passed are deviations. */
struct tally {
	struct suite_counts c;
	unsigned deviations;
};

static void
report(const char *table, const struct tally *t)
{
	suite_print_counts(table, &t->c);
	printf(" (%u of the passed are RFC 9989 deviations)\n", t->deviations);
}

/*
 * Splits the next line of *p into at most max tab-separated fields (in
 * place). Returns the field count, 0 for a comment or blank line, -1 at
 * the end.
 */
static int
next_row(char **p, char **fields, int max)
{
	char *line = *p, *nl, *s;
	int n = 0;

	if (*line == '\0')
		return -1;
	nl = strchr(line, '\n');
	if (nl != NULL) {
		*nl = '\0';
		*p = nl + 1;
	} else
		*p = line + strlen(line);
	if (nl != NULL && nl > line && nl[-1] == '\r')
		nl[-1] = '\0';
	if (line[0] == '#')
		return 0;
	for (s = line; n < max;) {
		char *tab = strchr(s, '\t');

		fields[n++] = s;
		if (tab == NULL)
			break;
		*tab = '\0';
		s = tab + 1;
	}
	return n;
}

/* ---- record parsing ----------------------------------------------------- */

struct deviation {
	const char *input;
	const char *rfc_answer;
	const char *section;
	const char *why;
};

static const struct deviation record_devs[] = {
	{ "v=DMARC1; p=n;", "DMARC_PARSE_ERROR_BAD_VALUE", "4.7, 4.8",
	    "dmarc-request is none / quarantine / reject, no abbreviations; "
	    "the invalid p= is then handled by 4.10.1 (no rua: no DMARC "
	    "processing)" },
	{ "v=DMARC1; p=none; rf=bob;", "DMARC_PARSE_OKAY", "C.5.2, 4.7",
	    "rf= was removed; a tag RFC 9989 does not define is ignored" },
	{ "v=DMARC1; p=none; ri=bob;", "DMARC_PARSE_OKAY", "C.5.2, 4.7",
	    "ri= was removed; a tag RFC 9989 does not define is ignored" },
	{ "v=DMARC1; p=none; pct=500;", "DMARC_PARSE_OKAY", "A.6, C.5.2, 4.7",
	    "pct= was removed; a tag RFC 9989 does not define is ignored" },
	{ "v=DMARC1; p=none; rf=000000000000000000000000000000000",
	    "DMARC_PARSE_OKAY", "C.5.2, 4.7",
	    "rf= was removed; a tag RFC 9989 does not define is ignored" },
};

static const struct deviation *
find_dev(const struct deviation *devs, size_t n, const char *input)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(devs[i].input, input) == 0)
			return &devs[i];
	return NULL;
}

/* lib/dmarc's answer in OpenDMARC's words. */
static const char *
record_status(const char *text)
{
	struct inkan_dmarc_record *rec = NULL;
	const char *err = NULL, *s = "DMARC_PARSE_OKAY";
	enum inkan_status st;
	size_t i;

	st = inkan_dmarc_record_parse(text, strlen(text), NULL, &rec, &err);
	if (st != INKAN_OK)
		return *text == '\0' ? "DMARC_PARSE_ERROR_EMPTY"
				     : "DMARC_PARSE_ERROR_BAD_VERSION";
	if (rec->flags & INKAN_DMARC_REC_P_ABSENT)
		s = "DMARC_PARSE_ERROR_NO_REQUIRED_P";
	else if (rec->flags &
	    (INKAN_DMARC_REC_P_INVALID | INKAN_DMARC_REC_SP_INVALID |
		INKAN_DMARC_REC_NP_INVALID))
		s = "DMARC_PARSE_ERROR_BAD_VALUE";
	else
		for (i = 0; i < rec->nwarnings; i++)
			if (strncmp(rec->warnings[i], "invalid ", 8) == 0)
				s = "DMARC_PARSE_ERROR_BAD_VALUE";
	inkan_dmarc_record_free(&rec);
	return s;
}

static void
run_records(const char *dir, struct tally *t)
{
	struct inkan_buf file;
	char *p, *f[3];
	int n;

	inkan_buf_init(&file, SUITE_FILE_MAX);
	if ((p = suite_read_text(
		 dir, "dmarc-record-parse-derived.tsv", &file)) == NULL) {
		suite_fail(
		    &t->c, "dmarc-record-parse-derived.tsv: cannot read");
		inkan_buf_clear(&file);
		return;
	}
	while ((n = next_row(&p, f, 3)) >= 0) {
		const struct deviation *dev;
		const char *got, *want;

		if (n == 0)
			continue;
		if (n != 2) {
			suite_skip(
			    &t->c, "record row \"%s\": not two fields", f[0]);
			continue;
		}
		got = record_status(f[0]);
		dev = find_dev(record_devs,
		    sizeof(record_devs) / sizeof(record_devs[0]), f[0]);
		want = dev != NULL ? dev->rfc_answer : f[1];
		if (strcmp(got, want) != 0) {
			suite_fail(&t->c, "record \"%s\": got %s, want %s",
			    f[0], got, want);
			continue;
		}
		t->c.passed++;
		if (dev != NULL) {
			printf("deviation (RFC 9989 %s) record \"%s\": suite "
			       "expects %s, RFC 9989 gives %s: %s\n",
			    dev->section, f[0], f[1], dev->rfc_answer,
			    dev->why);
			t->deviations++;
		}
	}
	inkan_buf_clear(&file);
}

/* ---- From domains ------------------------------------------------------- */

static void
run_from(const char *dir, struct tally *t)
{
	struct inkan_buf file;
	char *p, *f[3];
	int n;

	inkan_buf_init(&file, SUITE_FILE_MAX);
	if ((p = suite_read_text(
		 dir, "from-domain-extraction-derived.tsv", &file)) == NULL) {
		suite_fail(
		    &t->c, "from-domain-extraction-derived.tsv: cannot read");
		inkan_buf_clear(&file);
		return;
	}
	while ((n = next_row(&p, f, 3)) >= 0) {
		struct inkan_arena arena;
		struct inkan_addr_from from;
		const char *first;
		char firstbuf[256];

		if (n == 0)
			continue;
		if (n != 2) {
			suite_skip(
			    &t->c, "From row \"%s\": not two fields", f[0]);
			continue;
		}
		inkan_arena_init(&arena, 1 << 20);
		if (inkan_addr_from_domains(f[0], strlen(f[0]), NULL, 0, &arena,
			&from) != INKAN_OK) {
			suite_fail(&t->c,
			    "From \"%s\": inkan_addr_from_domains failed",
			    f[0]);
			inkan_arena_clear(&arena);
			continue;
		}
		first = "";
		if (from.ndomains > 0) {
			snprintf(firstbuf, sizeof(firstbuf), "%.*s",
			    (int)from.domains[0].len,
			    (const char *)from.domains[0].ptr);
			first = firstbuf;
		}
		if (from.count == INKAN_ADDR_FROM_ONE &&
		    strcmp(first, f[1]) == 0)
			t->c.passed++;
		else if (from.count == INKAN_ADDR_FROM_SEVERAL &&
		    strcmp(first, f[1]) == 0) {
			/* OpenDMARC takes the first address. */
			printf("deviation (RFC 9989 5.3.1, 11.5) From \"%s\": "
			       "suite expects %s (the first of %zu domains), "
			       "RFC 9989 gives no single Author Domain: "
			       "validation is not possible unless the receiver "
			       "evaluates each (INKAN_DMARC_MULTI_EACH)\n",
			    f[0], f[1], from.ndomains);
			t->c.passed++;
			t->deviations++;
		} else {
			suite_fail(&t->c,
			    "From \"%s\": got %s (%zu domains), want %s", f[0],
			    *first != '\0' ? first : "(none)", from.ndomains,
			    f[1]);
		}
		inkan_arena_clear(&arena);
	}
	inkan_buf_clear(&file);
}

/* ---- alignment ---------------------------------------------------------- */

static const struct deviation align_devs[] = {
	{ ".mac.com.", "-1", "4.4, 3.2.10.2",
	    "\".mac.com.\" has an empty first label: it is not a domain name "
	    "(RFC 1035 2.3.4), so nothing aligns with it; OpenDMARC trims the "
	    "dots" },
	{ "....mac.com....", "-1", "4.4, 3.2.10.2",
	    "\"....mac.com....\" has empty labels: it is not a domain name "
	    "(RFC 1035 2.3.4); OpenDMARC trims the dots" },
};

static void
run_alignment(
    const char *dir, struct tally *t, const char *psl, const char *psl_name)
{
	struct inkan_buf file;
	char *p, *f[5];
	struct inkan_resolver *r = NULL;
	struct inkan_dmarc *d = NULL;
	struct inkan_dmarc_options opt;
	enum inkan_status st;
	int n;

	inkan_buf_init(&file, SUITE_FILE_MAX);
	if ((p = suite_read_text(dir, "alignment-derived.tsv", &file)) ==
	    NULL) {
		suite_fail(&t->c, "alignment-derived.tsv: cannot read");
		inkan_buf_clear(&file);
		return;
	}
	inkan_dmarc_options_init(&opt);
	opt.mode = INKAN_DMARC_MODE_RFC7489;
	opt.psl_file = psl;
	if (inkan_resolver_new_zone(NULL, &r) != INKAN_OK ||
	    (st = inkan_dmarc_new(r, NULL, &opt, &d)) != INKAN_OK) {
		suite_fail(&t->c, "alignment: cannot load %s", psl);
		inkan_resolver_free(&r);
		inkan_buf_clear(&file);
		return;
	}
	while ((n = next_row(&p, f, 5)) >= 0) {
		const struct deviation *dev;
		enum inkan_dmarc_align mode;
		const char *got, *want;
		bool aligned = false;

		if (n == 0)
			continue;
		if (n != 4) {
			suite_skip(&t->c,
			    "alignment row \"%s\": not four fields", f[0]);
			continue;
		}
		mode = strcmp(f[2], "DMARC_RECORD_A_STRICT") == 0
		    ? INKAN_DMARC_ALIGN_STRICT
		    : INKAN_DMARC_ALIGN_RELAXED;
		st = inkan_dmarc_aligned(d, f[0], f[1], mode, &aligned);
		/* A name that is not a domain name aligns with nothing. */
		got = st == INKAN_OK && aligned ? "0" : "-1";
		if (st != INKAN_OK && st != INKAN_ERR_SYNTAX) {
			suite_fail(&t->c, "alignment %s %s %s (%s): %s", f[0],
			    f[1], f[2], psl_name, inkan_strerror(st));
			continue;
		}
		dev = find_dev(align_devs,
		    sizeof(align_devs) / sizeof(align_devs[0]), f[0]);
		want = dev != NULL ? dev->rfc_answer : f[3];
		if (strcmp(got, want) != 0) {
			suite_fail(&t->c,
			    "alignment %s %s %s (%s): got %s, want %s", f[0],
			    f[1], f[2], psl_name, got, want);
			continue;
		}
		t->c.passed++;
		if (dev != NULL) {
			printf(
			    "deviation (RFC 9989 %s) alignment %s %s %s (%s): "
			    "suite expects %s, RFC 9989 gives %s: %s\n",
			    dev->section, f[0], f[1], f[2], psl_name, f[3],
			    dev->rfc_answer, dev->why);
			t->deviations++;
		}
	}
	inkan_dmarc_free(&d);
	inkan_resolver_free(&r);
	inkan_buf_clear(&file);
}

int
main(void)
{
	struct tally rt = { { 0, 0, 0 }, 0 }, ft = { { 0, 0, 0 }, 0 },
		     at = { { 0, 0, 0 }, 0 };
	struct suite_counts all = { 0, 0, 0 };
	char dir[4096], psl[4200];

	printf("suite: OpenDMARC libopendmarc/tests tables (%s/%s)\n",
	    INKAN_TESTSUITES_DIR, SUITE);
	if (!suite_dir(SUITE, dir, sizeof(dir))) {
		printf("SKIP: %s/%s is not there; set INKAN_TESTSUITES_DIR at "
		       "configure time to a directory holding opendmarc/\n",
		    INKAN_TESTSUITES_DIR, SUITE);
		return 77;
	}
	run_records(dir, &rt);
	report("dmarc-record-parse-derived.tsv", &rt);
	run_from(dir, &ft);
	report("from-domain-extraction-derived.tsv", &ft);
	run_alignment(dir, &at, DEBIAN_PSL, "Debian's list");
	snprintf(psl, sizeof(psl), "%s/testfiles/effective_tld_names.dat", dir);
	run_alignment(dir, &at, psl, "2012 list");
	report("alignment-derived.tsv (RFC 7489 mode, Debian's list and "
	       "the 2012 list)",
	    &at);
	suite_counts_add(&all, &rt.c);
	suite_counts_add(&all, &ft.c);
	suite_counts_add(&all, &at.c);
	return suite_report_as("total", &all);
}
