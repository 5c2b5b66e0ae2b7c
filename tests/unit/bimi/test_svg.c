/*
 * test_svg.c: the SVG Tiny Portable/Secure check of BIMI indicators:
 * each rule, the hardened parse (entities, DTDs, size, depth, element
 * count) and the report's bounds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <inkan/bimi.h>

#define HEAD                                                         \
	"<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.2\" " \
	"baseProfile=\"tiny-ps\" viewBox=\"0 0 100 100\""
#define XLINK " xmlns:xlink=\"http://www.w3.org/1999/xlink\""
#define TITLE "<title>Brand</title>"

struct svg_case {
	const char *name;
	const char *in;
	enum inkan_bimi_svg_verdict verdict;
	const char *codes; /* the findings' code names, in order */
};

static const struct svg_case svg_cases[] = {
	{ "minimal",
	    HEAD ">" TITLE "<rect width=\"100\" height=\"100\"/></svg>",
	    INKAN_BIMI_SVG_PASS, "" },
	{ "xml declaration, comments, desc",
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- logo -->\n" HEAD
	    ">" TITLE "<desc>d</desc><g><path d=\"M0 0h10\"/></g></svg>",
	    INKAN_BIMI_SVG_PASS, "" },
	{ "internal references",
	    HEAD XLINK ">" TITLE
		       "<defs><linearGradient id=\"g\"><stop offset=\"0\"/>"
		       "</linearGradient></defs><rect fill=\"url(#g)\" "
		       "style=\"fill: url( '#g' )\"/><use xlink:href=\" #g\"/>"
		       "<use href=\"#g\"/></svg>",
	    INKAN_BIMI_SVG_PASS, "" },
	{ "viewBox with commas and decimals",
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.2\" "
	    "baseProfile=\"tiny-ps\" viewBox=\"0,0,1.5e2,150.0\">" TITLE
	    "</svg>",
	    INKAN_BIMI_SVG_PASS, "" },

	{ "declared Latin-1, read as UTF-8",
	    "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>" HEAD ">" TITLE
	    "</svg>",
	    INKAN_BIMI_SVG_PASS, "" },
	{ "declared EUC-JP, bytes not UTF-8",
	    "<?xml version=\"1.0\" encoding=\"EUC-JP\"?>" HEAD
	    "><title>\xa4\xa2</title></svg>",
	    INKAN_BIMI_SVG_FAIL, "not-xml" },
	{ "empty", "", INKAN_BIMI_SVG_FAIL, "not-xml" },
	{ "not XML", "<<<not xml>>>", INKAN_BIMI_SVG_FAIL, "not-xml" },
	{ "unclosed", HEAD ">" TITLE, INKAN_BIMI_SVG_FAIL, "not-xml" },
	{ "gzip", "\x1f\x8b\x08\x00", INKAN_BIMI_SVG_FAIL, "compressed" },
	{ "HTML", "<html><body><svg/></body></html>", INKAN_BIMI_SVG_FAIL,
	    "not-svg" },
	{ "no namespace",
	    "<svg version=\"1.2\" baseProfile=\"tiny-ps\"><title>t</title>"
	    "</svg>",
	    INKAN_BIMI_SVG_FAIL, "not-svg" },
	{ "other XML", "<?xml version=\"1.0\"?><root><child/></root>",
	    INKAN_BIMI_SVG_FAIL, "not-svg" },
	{ "version 1.1",
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" "
	    "baseProfile=\"tiny-ps\" viewBox=\"0 0 1 1\">" TITLE "</svg>",
	    INKAN_BIMI_SVG_FAIL, "version" },
	{ "no version",
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "baseProfile=\"tiny-ps\" viewBox=\"0 0 1 1\">" TITLE "</svg>",
	    INKAN_BIMI_SVG_FAIL, "version" },
	{ "tiny profile",
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.2\" "
	    "baseProfile=\"tiny\" viewBox=\"0 0 1 1\">" TITLE "</svg>",
	    INKAN_BIMI_SVG_FAIL, "base-profile" },
	{ "no profile",
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.2\" "
	    "viewBox=\"0 0 1 1\">" TITLE "</svg>",
	    INKAN_BIMI_SVG_FAIL, "base-profile" },
	{ "no title", HEAD "><rect/></svg>", INKAN_BIMI_SVG_FAIL, "no-title" },
	{ "nested title only", HEAD "><g>" TITLE "</g></svg>",
	    INKAN_BIMI_SVG_FAIL, "no-title" },
	{ "x and y on root", HEAD " x=\"0\" y=\"0\">" TITLE "</svg>",
	    INKAN_BIMI_SVG_FAIL, "root-xy,root-xy" },
	{ "script", HEAD ">" TITLE "<script>alert(1)</script></svg>",
	    INKAN_BIMI_SVG_FAIL, "forbidden-element" },
	{ "SCRIPT", HEAD ">" TITLE "<SCRIPT>alert(1)</SCRIPT></svg>",
	    INKAN_BIMI_SVG_FAIL, "forbidden-element" },
	{ "xhtml script deep",
	    HEAD ">" TITLE
		 "<g><g><h:script xmlns:h=\"http://www.w3.org/1999/xhtml\">x"
		 "</h:script></g></g></svg>",
	    INKAN_BIMI_SVG_FAIL, "forbidden-element" },
	{ "animation",
	    HEAD
	    ">" TITLE
	    "<rect><animate/><animateTransform/><set/></rect><discard/></svg>",
	    INKAN_BIMI_SVG_FAIL,
	    "forbidden-element,forbidden-element,forbidden-element,"
	    "forbidden-element" },
	{ "foreignObject", HEAD ">" TITLE "<foreignObject/></svg>",
	    INKAN_BIMI_SVG_FAIL, "forbidden-element" },
	{ "onload", HEAD " onload=\"alert(1)\">" TITLE "</svg>",
	    INKAN_BIMI_SVG_FAIL, "event-attribute" },
	{ "external href",
	    HEAD XLINK
	    ">" TITLE
	    "<use xlink:href=\"https://evil.example/x.svg#a\"/></svg>",
	    INKAN_BIMI_SVG_FAIL, "external-reference" },
	{ "external href without xlink",
	    HEAD ">" TITLE "<use href=\"x.svg#a\"/></svg>", INKAN_BIMI_SVG_FAIL,
	    "external-reference" },
	{ "external url()",
	    HEAD ">" TITLE "<rect fill=\"url(https://evil.example/p)\"/></svg>",
	    INKAN_BIMI_SVG_FAIL, "external-reference" },
	{ "data URI image",
	    HEAD XLINK
	    ">" TITLE
	    "<image xlink:href=\"data:image/png;base64,AAAA\"/></svg>",
	    INKAN_BIMI_SVG_FAIL, "forbidden-element,data-uri" },
	{ "style @import",
	    HEAD
	    ">" TITLE
	    "<style>@import url(https://evil.example/a.css);</style></svg>",
	    INKAN_BIMI_SVG_FAIL,
	    "unknown-element,external-reference,external-reference" },
	{ "xml-stylesheet",
	    "<?xml-stylesheet href=\"https://evil.example/a.css\"?>" HEAD
	    ">" TITLE "</svg>",
	    INKAN_BIMI_SVG_FAIL, "external-reference" },
	{ "entity declaration",
	    "<!DOCTYPE svg [<!ENTITY a \"aaaa\">]>" HEAD ">" TITLE
	    "<text>&a;</text></svg>",
	    INKAN_BIMI_SVG_FAIL, "entity" },
	{ "billion laughs",
	    "<!DOCTYPE svg [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b "
	    "\"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c "
	    "\"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]>" HEAD ">" TITLE
	    "<text>&c;</text></svg>",
	    INKAN_BIMI_SVG_FAIL, "entity" },
	{ "external entity (XXE)",
	    "<!DOCTYPE svg [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>" HEAD
	    ">" TITLE "<text>&x;</text></svg>",
	    INKAN_BIMI_SVG_FAIL, "entity" },
	{ "external DTD, undeclared entity",
	    "<!DOCTYPE svg SYSTEM \"http://evil.example/svg.dtd\">" HEAD
	    ">" TITLE "<text>&x;</text></svg>",
	    INKAN_BIMI_SVG_FAIL, "doctype,entity" },

	{ "not square",
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "version=\"1.2\" baseProfile=\"tiny-ps\" "
	    "viewBox=\"0 0 200 100\">" TITLE "</svg>",
	    INKAN_BIMI_SVG_WARN, "not-square" },
	{ "no viewBox, square size",
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.2\" "
	    "baseProfile=\"tiny-ps\" width=\"64px\" height=\"64\">" TITLE
	    "</svg>",
	    INKAN_BIMI_SVG_WARN, "no-viewbox" },
	{ "no viewBox, oblong size",
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.2\" "
	    "baseProfile=\"tiny-ps\" width=\"64\" height=\"32\">" TITLE
	    "</svg>",
	    INKAN_BIMI_SVG_WARN, "no-viewbox,not-square" },
	{ "bad viewBox",
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.2\" "
	    "baseProfile=\"tiny-ps\" viewBox=\"0 0 0 0\">" TITLE "</svg>",
	    INKAN_BIMI_SVG_WARN, "no-viewbox" },
	{ "empty title", HEAD "><title> </title></svg>", INKAN_BIMI_SVG_WARN,
	    "empty-title" },
	{ "editor metadata",
	    HEAD " xmlns:i=\"http://ns.example/inkscape\">" TITLE
		 "<i:namedview/><filter/></svg>",
	    INKAN_BIMI_SVG_WARN, "foreign-element,unknown-element" },
};

static void
codes_of(const struct inkan_bimi_svg_report *rep, char *out, size_t size)
{
	size_t i, n = 0;

	out[0] = '\0';
	for (i = 0; i < rep->nfindings && n < size; i++)
		n += (size_t)snprintf(out + n, size - n, "%s%s",
		    i > 0 ? "," : "",
		    inkan_bimi_svg_code_name(rep->findings[i].code));
}

static void
test_svg(void **state)
{
	size_t i, k;

	(void)state;
	for (i = 0; i < sizeof(svg_cases) / sizeof(svg_cases[0]); i++) {
		const struct svg_case *c = &svg_cases[i];
		struct inkan_bimi_svg_report *rep = NULL;
		size_t len = strlen(c->in);
		char got[512];

		assert_int_equal(
		    inkan_bimi_svg_check(c->in, len, NULL, &rep), INKAN_OK);
		codes_of(rep, got, sizeof(got));
		if (rep->verdict != c->verdict || strcmp(got, c->codes) != 0)
			fail_msg("%s: got %d \"%s\" (%s), want %d \"%s\"",
			    c->name, rep->verdict, got,
			    rep->nfindings > 0 ? rep->findings[0].message : "",
			    c->verdict, c->codes);
		for (k = 0; k < rep->nfindings; k++)
			assert_true(rep->findings[k].message[0] != '\0');
		inkan_bimi_svg_report_free(&rep);
		assert_null(rep);
	}
}

/* Builds n nested <g> (deep) or n sibling <g/> inside a valid logo. */
static char *
make_svg(size_t n, bool deep, size_t *len_r)
{
	struct inkan_buf b;
	size_t i;

	inkan_buf_init(&b, 1u << 20);
	inkan_buf_append_cstr(&b, HEAD ">" TITLE);
	for (i = 0; i < n; i++)
		inkan_buf_append_cstr(&b, deep ? "<g>" : "<g/>");
	for (i = 0; deep && i < n; i++)
		inkan_buf_append_cstr(&b, "</g>");
	inkan_buf_append_cstr(&b, "</svg>");
	assert_int_equal(b.err, INKAN_OK);
	return (char *)inkan_buf_steal(&b, len_r);
}

static enum inkan_bimi_svg_verdict
verdict_of(const char *svg, size_t len, const struct inkan_limits *lim,
    enum inkan_bimi_svg_code *first_r)
{
	struct inkan_bimi_svg_report *rep = NULL;
	enum inkan_bimi_svg_verdict v;

	assert_int_equal(inkan_bimi_svg_check(svg, len, lim, &rep), INKAN_OK);
	v = rep->verdict;
	*first_r = rep->nfindings > 0 ? rep->findings[0].code : 0;
	inkan_bimi_svg_report_free(&rep);
	return v;
}

static void
test_svg_limits(void **state)
{
	struct inkan_limits lim;
	enum inkan_bimi_svg_code code;
	size_t len;
	char *svg;

	(void)state;
	inkan_limits_default(&lim);

	/* depth: the root is 1, so 63 nested <g> are at the limit of 64 */
	svg = make_svg(INKAN_BIMI_SVG_DEPTH_MAX - 1, true, &len);
	assert_int_equal(
	    verdict_of(svg, len, NULL, &code), INKAN_BIMI_SVG_PASS);
	free(svg);
	svg = make_svg(INKAN_BIMI_SVG_DEPTH_MAX, true, &len);
	assert_int_equal(
	    verdict_of(svg, len, NULL, &code), INKAN_BIMI_SVG_FAIL);
	assert_int_equal(code, INKAN_BIMI_SVG_LIMIT);
	free(svg);

	/* elements: root, title and n <g/> */
	lim.bimi_svg_elements_max = 12;
	svg = make_svg(10, false, &len);
	assert_int_equal(
	    verdict_of(svg, len, &lim, &code), INKAN_BIMI_SVG_PASS);
	free(svg);
	svg = make_svg(11, false, &len);
	assert_int_equal(
	    verdict_of(svg, len, &lim, &code), INKAN_BIMI_SVG_FAIL);
	assert_int_equal(code, INKAN_BIMI_SVG_LIMIT);
	free(svg);

	/* size: exactly the maximum passes, one more byte does not */
	svg = make_svg(3, false, &len);
	lim.bimi_svg_max = len;
	assert_int_equal(
	    verdict_of(svg, len, &lim, &code), INKAN_BIMI_SVG_PASS);
	lim.bimi_svg_max = len - 1;
	assert_int_equal(
	    verdict_of(svg, len, &lim, &code), INKAN_BIMI_SVG_FAIL);
	assert_int_equal(code, INKAN_BIMI_SVG_TOO_LARGE);
	free(svg);

	/* the default size limit is the BIMI Group's 32 kilobytes */
	assert_int_equal(inkan_limits_defaults()->bimi_svg_max, 32768);
	svg = make_svg(9000, false, &len);
	assert_true(len > 32768);
	assert_int_equal(
	    verdict_of(svg, len, NULL, &code), INKAN_BIMI_SVG_FAIL);
	assert_int_equal(code, INKAN_BIMI_SVG_TOO_LARGE);
	free(svg);
}

/* Many findings: the report keeps a bounded number and counts the rest. */
static void
test_svg_findings_bound(void **state)
{
	struct inkan_bimi_svg_report *rep = NULL;
	struct inkan_buf b;
	size_t i;

	(void)state;
	inkan_buf_init(&b, 1u << 16);
	inkan_buf_append_cstr(&b, HEAD ">" TITLE);
	for (i = 0; i < 100; i++)
		inkan_buf_append_cstr(&b, "<script/>");
	inkan_buf_append_cstr(&b, "</svg>");
	assert_int_equal(
	    inkan_bimi_svg_check(b.data, b.len, NULL, &rep), INKAN_OK);
	assert_int_equal(rep->verdict, INKAN_BIMI_SVG_FAIL);
	assert_int_equal(rep->nfindings, INKAN_BIMI_SVG_FINDINGS_MAX);
	assert_int_equal(rep->nerrors, 100);
	assert_int_equal(rep->omitted, 100 - INKAN_BIMI_SVG_FINDINGS_MAX);
	inkan_bimi_svg_report_free(&rep);
	inkan_buf_clear(&b);
}

/* Finding messages quote document bytes escaped, and give lines. */
static void
test_svg_messages(void **state)
{
	static const char svg[] =
	    HEAD ">\n" TITLE "\n<g>\n<script\xc3\xa9 onclick=\"x\"/>"
		 "</g></svg>";
	struct inkan_bimi_svg_report *rep = NULL;

	(void)state;
	assert_int_equal(
	    inkan_bimi_svg_check(svg, sizeof(svg) - 1, NULL, &rep), INKAN_OK);
	assert_int_equal(rep->verdict, INKAN_BIMI_SVG_FAIL);
	assert_int_equal(rep->nfindings, 2);
	assert_int_equal(rep->findings[0].code, INKAN_BIMI_SVG_UNKNOWN_ELEMENT);
	assert_int_equal(rep->findings[0].line, 4);
	assert_non_null(strstr(rep->findings[0].message, "script\\xc3\\xa9"));
	assert_int_equal(rep->findings[1].code, INKAN_BIMI_SVG_EVENT_ATTRIBUTE);
	assert_int_equal(rep->findings[1].line, 4);
	inkan_bimi_svg_report_free(&rep);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_svg),
		cmocka_unit_test(test_svg_limits),
		cmocka_unit_test(test_svg_findings_bound),
		cmocka_unit_test(test_svg_messages),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
