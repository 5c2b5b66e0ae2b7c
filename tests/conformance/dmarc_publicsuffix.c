/*
 * dmarc_publicsuffix.c: the Public Suffix List's own test vectors
 * (publicsuffix/tests/test_psl.txt in INKAN_TESTSUITES_DIR, read
 * unedited) against inkan_dmarc_org_domain() in RFC 7489 mode, where the
 * Organizational Domain is the registrable domain (RFC 7489 3.2).
 *
 * The vectors assume the whole list as upstream publishes it, so the
 * counted run loads the list shipped beside them
 * (publicsuffix/public_suffix_list.dat). A second run with Debian's list
 * (/usr/share/publicsuffix/public_suffix_list.dat, the default of RFC 7489
 * mode) is printed for information: a difference there is the older list
 * (named in the output), not a failure.
 *
 * checkPublicSuffix(input, expected): expected null means the input has
 * no registrable domain (it is a suffix, or invalid), which
 * inkan_dmarc_org_domain() says with INKAN_ERR_NOTFOUND (a suffix),
 * INKAN_ERR_SYNTAX (not a domain name) or INKAN_ERR_INVAL (no input).
 * Unicode inputs are given to inkan as A-labels (IDNA2008, libidn2, as
 * RFC 9989 5.3.1 asks of Author Domains) and the answer compared with the
 * expected value's A-label form.
 */
#include <errno.h>
#include <idn2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <inkan/dmarc.h>
#include <inkan/inkan.h>

#include "suite.h"

#define SUITE_DIR INKAN_TESTSUITES_DIR "/publicsuffix"
#define DEBIAN_PSL "/usr/share/publicsuffix/public_suffix_list.dat"

/* Reads one quoted or null argument at *p into out; false if neither. */
static bool
take_arg(const char **p, char *out, size_t size, bool *null_r)
{
	const char *s = *p, *end;

	while (*s == ' ' || *s == ',')
		s++;
	if (strncmp(s, "null", 4) == 0) {
		*null_r = true;
		*p = s + 4;
		return true;
	}
	if (*s != '\'' || (end = strchr(s + 1, '\'')) == NULL ||
	    (size_t)(end - s - 1) >= size)
		return false;
	memcpy(out, s + 1, (size_t)(end - s - 1));
	out[end - s - 1] = '\0';
	*null_r = false;
	*p = end + 1;
	return true;
}

/* The A-label form of s into out; false when libidn2 refuses it. */
static bool
to_alabel(const char *s, char *out, size_t size)
{
	char *a = NULL;
	size_t i;
	bool ascii = true;

	for (i = 0; s[i] != '\0'; i++)
		if ((unsigned char)s[i] >= 0x80)
			ascii = false;
	if (ascii) {
		if (strlen(s) >= size)
			return false;
		memcpy(out, s, strlen(s) + 1);
		return true;
	}
	if (idn2_to_ascii_8z(s, &a, IDN2_NONTRANSITIONAL) != IDN2_OK)
		return false;
	if (strlen(a) >= size) {
		idn2_free(a);
		return false;
	}
	memcpy(out, a, strlen(a) + 1);
	idn2_free(a);
	return true;
}

/* inkan's answer for input: the org domain, or "" for null. */
static enum inkan_status
answer(struct inkan_dmarc *d, const char *input, bool input_null, char *out)
{
	char alabel[512];
	enum inkan_status st;

	out[0] = '\0';
	if (input_null)
		return inkan_dmarc_org_domain(
		    d, NULL, out, INKAN_DNS_NAME_MAX + 1);
	if (!to_alabel(input, alabel, sizeof(alabel)))
		return INKAN_ERR_SYNTAX;
	st = inkan_dmarc_org_domain(d, alabel, out, INKAN_DNS_NAME_MAX + 1);
	if (st != INKAN_OK)
		out[0] = '\0';
	return st;
}

static int
run(const char *psl, const char *list_name, bool counted,
    struct suite_counts *c)
{
	struct inkan_resolver *r = NULL;
	struct inkan_dmarc *d = NULL;
	struct inkan_dmarc_options opt;
	char line[1024];
	FILE *f;
	enum inkan_status st;

	inkan_dmarc_options_init(&opt);
	opt.mode = INKAN_DMARC_MODE_RFC7489;
	opt.psl_file = psl;
	if (inkan_resolver_new_zone(NULL, &r) != INKAN_OK ||
	    (st = inkan_dmarc_new(r, NULL, &opt, &d)) != INKAN_OK) {
		printf("FAIL cannot load %s\n", psl);
		inkan_resolver_free(&r);
		return -1;
	}
	if ((f = fopen(SUITE_DIR "/tests/test_psl.txt", "r")) == NULL) {
		printf("FAIL cannot open %s/tests/test_psl.txt: %s\n",
		    SUITE_DIR, strerror(errno));
		inkan_dmarc_free(&d);
		inkan_resolver_free(&r);
		return -1;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		char in[512], want[512], want_a[512],
		    got[INKAN_DNS_NAME_MAX + 1];
		const char *p = line;
		bool in_null, want_null;

		if (strncmp(p, "checkPublicSuffix(", 18) != 0)
			continue; /* comments, disabled cases */
		p += 18;
		if (!take_arg(&p, in, sizeof(in), &in_null) ||
		    !take_arg(&p, want, sizeof(want), &want_null)) {
			suite_skip(c, "%s: cannot read the line", line);
			continue;
		}
		st = answer(d, in, in_null, got);
		if (!want_null && !to_alabel(want, want_a, sizeof(want_a))) {
			suite_skip(
			    c, "%s: libidn2 refuses the expected value", want);
			continue;
		}
		if ((want_null && got[0] == '\0' && st != INKAN_OK) ||
		    (!want_null && st == INKAN_OK &&
			strcmp(got, want_a) == 0)) {
			c->passed++;
			continue;
		}
		c->failed++;
		printf("%s %s(%s): got %s (%s), want %s (%s list)\n",
		    counted ? "FAIL" : "differs", "checkPublicSuffix",
		    in_null ? "null" : in, got[0] != '\0' ? got : "null",
		    inkan_strerror(st), want_null ? "null" : want, list_name);
	}
	fclose(f);
	inkan_dmarc_free(&d);
	inkan_resolver_free(&r);
	return 0;
}

int
main(void)
{
	struct suite_counts c = { 0, 0, 0 }, deb = { 0, 0, 0 };
	struct stat sb;
	int rc;

	printf("suite: Public Suffix List test_psl.txt (%s), RFC 7489 mode\n",
	    SUITE_DIR);
	if (stat(SUITE_DIR "/tests/test_psl.txt", &sb) != 0) {
		printf("SKIP: %s/tests/test_psl.txt is not there; set "
		       "INKAN_TESTSUITES_DIR at configure time to a directory "
		       "holding publicsuffix/\n",
		    SUITE_DIR);
		return 77;
	}
	rc = run(SUITE_DIR "/public_suffix_list.dat", "the suite's", true, &c);
	suite_report_as("with the suite's public_suffix_list.dat", &c);
	if (stat(DEBIAN_PSL, &sb) == 0 &&
	    run(DEBIAN_PSL, "Debian's", false, &deb) == 0)
		printf("(for information) with Debian's %s: ran %u, same %u, "
		       "different %u, skipped %u\n",
		    DEBIAN_PSL, deb.passed + deb.failed + deb.skipped,
		    deb.passed, deb.failed, deb.skipped);
	else
		printf(
		    "(for information) Debian's %s: not there\n", DEBIAN_PSL);
	return rc != 0 || c.failed > 0 ? 1 : 0;
}
