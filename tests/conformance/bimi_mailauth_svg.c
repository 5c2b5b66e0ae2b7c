/*
 * bimi_mailauth_svg.c: the SVG Tiny PS check against the 35 SVG cases of
 * mailauth's validate-svg tests (INKAN_TESTSUITES_DIR/bimi/
 * mailauth-svg-cases, unedited: one file per case and expected.tsv).
 *
 * For each file, inkan_bimi_svg_check() must give the expected verdict
 * (valid: pass or warn; invalid: fail), and for an invalid one, one of
 * our error findings must map to mailauth's error code (map_code()
 * below; "A|B" in the file accepts either).
 *
 * Deviation: mailauth does not check the version attribute, and three of
 * its valid cases (32, 33, 35) have none. SVG Tiny PS requires
 * version="1.2" on the root (the BIMI SVG document, to which the draft's
 * Indicator Validation step 3 defers; the BIMI Group's SVG requirements
 * list it too), so inkan fails them with "version" alone. Those rows are
 * checked for exactly that: a fail whose only error is the version.
 */
#include <stdlib.h>

#include <inkan/bimi.h>
#include <inkan/inkan.h>

#include "suite.h"

#define FIELDS_MAX 5

/* mailauth's error code for one of our error codes, or NULL. */
static const char *
map_code(enum inkan_bimi_svg_code code)
{
	switch (code) {
	case INKAN_BIMI_SVG_NOT_XML:
		/* Not XML is not an SVG file either: mailauth's lenient
		   parser reports some of these as INVALID_SVG_FILE. */
		return "INVALID_XML_FILE|INVALID_SVG_FILE";
	case INKAN_BIMI_SVG_NOT_SVG:
		return "INVALID_SVG_FILE";
	case INKAN_BIMI_SVG_BASE_PROFILE:
		return "INVALID_BASE_PROFILE";
	case INKAN_BIMI_SVG_NO_TITLE:
		return "LOGO_MISSING_TITLE";
	case INKAN_BIMI_SVG_ROOT_XY:
		return "LOGO_INVALID_ROOT_ATTRS";
	case INKAN_BIMI_SVG_FORBIDDEN_ELEMENT:
	case INKAN_BIMI_SVG_EVENT_ATTRIBUTE:
		return "LOGO_INVALID_ELEMENT";
	case INKAN_BIMI_SVG_EXTERNAL_REF:
	case INKAN_BIMI_SVG_DATA_URI:
		return "LOGO_INCLUDES_REFERENCE";
	default:
		return NULL;
	}
}

/* True if the "|"-separated lists a and b share a code. */
static bool
lists_meet(const char *a, const char *b)
{
	const char *s, *e;
	char one[64];
	const char *t;
	size_t n, m;

	for (s = a; *s != '\0'; s = *e ? e + 1 : e) {
		e = strchr(s, '|');
		if (e == NULL)
			e = s + strlen(s);
		n = (size_t)(e - s);
		if (n == 0 || n >= sizeof(one))
			continue;
		memcpy(one, s, n);
		one[n] = '\0';
		for (t = b; (t = strstr(t, one)) != NULL; t += n) {
			m = strlen(t);
			if ((t == b || t[-1] == '|') && (m == n || t[n] == '|'))
				return true;
		}
	}
	return false;
}

/* The error codes of rep by name, comma-separated. */
static void
error_names(const struct inkan_bimi_svg_report *rep, char *out, size_t size)
{
	size_t i, n = 0;

	out[0] = '\0';
	for (i = 0; i < rep->nfindings && n < size; i++)
		n += (size_t)snprintf(out + n, size - n, "%s%s%s",
		    n > 0 ? "," : "",
		    inkan_bimi_svg_code_name(rep->findings[i].code),
		    rep->findings[i].severity == INKAN_BIMI_WARNING ? "(w)"
								    : "");
}

static bool
judge(const struct inkan_bimi_svg_report *rep, bool want_valid,
    const char *want_code, bool *deviation_r)
{
	const char *m;
	size_t i;

	*deviation_r = false;
	if (want_valid) {
		if (rep->verdict != INKAN_BIMI_SVG_FAIL)
			return true;
		/* The version deviation: the only error is the version. */
		*deviation_r = rep->nerrors == 1 && rep->nfindings > 0;
		for (i = 0; i < rep->nfindings; i++)
			if (rep->findings[i].severity == INKAN_BIMI_ERROR &&
			    rep->findings[i].code != INKAN_BIMI_SVG_VERSION)
				*deviation_r = false;
		return *deviation_r;
	}
	if (rep->verdict != INKAN_BIMI_SVG_FAIL)
		return false;
	for (i = 0; i < rep->nfindings; i++)
		if (rep->findings[i].severity == INKAN_BIMI_ERROR &&
		    (m = map_code(rep->findings[i].code)) != NULL &&
		    lists_meet(m, want_code))
			return true;
	return false;
}

int
main(void)
{
	struct suite_counts c = { 0, 0, 0 };
	struct inkan_buf tsv, svg;
	char dir[4096], *line, *next, *f[FIELDS_MAX], got[600];
	unsigned ndev = 0;
	size_t nf;
	bool dev;

	if (!suite_dir("bimi/mailauth-svg-cases", dir, sizeof(dir))) {
		printf("bimi/mailauth-svg-cases: suite not present\n");
		return 77;
	}
	printf("suite: %s (mailauth validate-svg cases)\n", dir);
	inkan_buf_init(&tsv, SUITE_FILE_MAX);
	inkan_buf_init(&svg, SUITE_FILE_MAX);
	if (!suite_read_file(dir, "expected.tsv", &tsv)) {
		suite_fail(&c, "expected.tsv: cannot read");
		goto out;
	}
	for (line = (char *)tsv.data; line != NULL && *line != '\0';
	     line = next) {
		struct inkan_bimi_svg_report *rep = NULL;

		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		nf = suite_split_tabs(line, f, FIELDS_MAX);
		if (nf < 5) {
			suite_fail(&c, "row \"%s\": %zu fields", f[0], nf);
			continue;
		}
		if (!suite_read_file(dir, f[0], &svg) ||
		    inkan_bimi_svg_check(svg.data, svg.len, NULL, &rep) !=
			INKAN_OK) {
			suite_fail(&c, "%s: cannot read or check", f[0]);
			continue;
		}
		error_names(rep, got, sizeof(got));
		if (judge(rep, strcmp(f[1], "valid") == 0, f[2], &dev)) {
			if (dev) {
				printf(
				    "deviation (SVG Tiny PS via the draft's "
				    "Indicator Validation 3: version=\"1.2\" "
				    "is required): %s has no version\n",
				    f[0]);
				ndev++;
			}
			suite_ok(&c, "%s: %s %s%s", f[0], f[1], got,
			    dev ? " (deviation)" : "");
		} else {
			suite_fail(&c, "%s: got %s [%s] (%s), want %s %s", f[0],
			    rep->verdict == INKAN_BIMI_SVG_FAIL ? "invalid"
								: "valid",
			    got,
			    rep->nfindings > 0 ? rep->findings[0].message : "",
			    f[1], f[2]);
		}
		inkan_bimi_svg_report_free(&rep);
	}
	printf("deviations from mailauth, checked against SVG Tiny PS: %u\n",
	    ndev);
out:
	inkan_buf_clear(&svg);
	inkan_buf_clear(&tsv);
	return suite_report(&c);
}
