/*
 * svg.c: the BIMI indicator check: an SVG document against the SVG Tiny
 * 1.2 Portable/Secure profile (the "BIMI SVG document" that the draft's
 * Indicator Validation step defers to, and the BIMI Group's SVG
 * requirements).
 *
 * The document is hostile input, so the XML parser is fenced in before it
 * sees a byte: the size is checked first (32 KB by default), any entity
 * declaration is refused (no internal entity can then exist, so no
 * entity expansion, "billion laughs" included, can happen), and libxml2
 * runs with XML_PARSE_NONET and without XML_PARSE_NOENT, DTDLOAD,
 * DTDATTR, XINCLUDE or HUGE: no file or network access, no substitution,
 * its own depth and size caps in force. The tree is then walked once,
 * depth and element count bounded by the caller's limits.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <inkan/bimi.h>
#include <inkan/util.h>

#define SVG_NS "http://www.w3.org/2000/svg"

/*
 * libxml2 options: see the file comment for what is left out and why.
 * The document is read as UTF-8 whatever it declares (IGNORE_ENC): BIMI
 * logos are UTF-8, and no converter (iconv) runs on hostile bytes.
 */
#define PARSE_OPTIONS                                                \
	(XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | \
	    XML_PARSE_NOCDATA | XML_PARSE_IGNORE_ENC)

struct check {
	const struct inkan_limits *limits;
	struct inkan_bimi_svg_report *rep;
	xmlDoc *doc;
	size_t elements;
	bool stop; /* a limit was hit: no further walking */
};

const char *
inkan_bimi_svg_code_name(enum inkan_bimi_svg_code c)
{
	switch (c) {
	case INKAN_BIMI_SVG_TOO_LARGE:
		return "too-large";
	case INKAN_BIMI_SVG_COMPRESSED:
		return "compressed";
	case INKAN_BIMI_SVG_NOT_XML:
		return "not-xml";
	case INKAN_BIMI_SVG_ENTITY:
		return "entity";
	case INKAN_BIMI_SVG_LIMIT:
		return "limit";
	case INKAN_BIMI_SVG_NOT_SVG:
		return "not-svg";
	case INKAN_BIMI_SVG_VERSION:
		return "version";
	case INKAN_BIMI_SVG_BASE_PROFILE:
		return "base-profile";
	case INKAN_BIMI_SVG_NO_TITLE:
		return "no-title";
	case INKAN_BIMI_SVG_ROOT_XY:
		return "root-xy";
	case INKAN_BIMI_SVG_FORBIDDEN_ELEMENT:
		return "forbidden-element";
	case INKAN_BIMI_SVG_EVENT_ATTRIBUTE:
		return "event-attribute";
	case INKAN_BIMI_SVG_EXTERNAL_REF:
		return "external-reference";
	case INKAN_BIMI_SVG_DATA_URI:
		return "data-uri";
	case INKAN_BIMI_SVG_NOT_SQUARE:
		return "not-square";
	case INKAN_BIMI_SVG_NO_VIEWBOX:
		return "no-viewbox";
	case INKAN_BIMI_SVG_EMPTY_TITLE:
		return "empty-title";
	case INKAN_BIMI_SVG_UNKNOWN_ELEMENT:
		return "unknown-element";
	case INKAN_BIMI_SVG_FOREIGN_ELEMENT:
		return "foreign-element";
	case INKAN_BIMI_SVG_DOCTYPE:
		return "doctype";
	}
	return "unknown";
}

static void add(struct check *c, enum inkan_bimi_svg_code code, long line,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
add(struct check *c, enum inkan_bimi_svg_code code, long line, const char *fmt,
    ...)
{
	struct inkan_bimi_svg_report *rep = c->rep;
	struct inkan_bimi_svg_finding *f;
	bool warning = code >= INKAN_BIMI_SVG_NOT_SQUARE;
	va_list ap;

	if (warning)
		rep->nwarnings++;
	else
		rep->nerrors++;
	if (rep->nfindings == INKAN_BIMI_SVG_FINDINGS_MAX) {
		rep->omitted++;
		return;
	}
	f = &rep->findings[rep->nfindings++];
	f->code = code;
	f->severity = warning ? INKAN_BIMI_WARNING : INKAN_BIMI_ERROR;
	f->line = line > 0 && line <= (long)UINT_MAX ? (unsigned)line : 0;
	va_start(ap, fmt);
	vsnprintf(f->message, sizeof(f->message), fmt, ap);
	va_end(ap);
}

/* Up to 48 bytes of s escaped for a message, "..." after when cut. */
static const char *
shown(const xmlChar *s, char *out, size_t size)
{
	struct inkan_buf b;
	size_t len = s != NULL ? strlen((const char *)s) : 0;
	size_t n = len > 48 ? 48 : len;

	inkan_buf_init(&b, size - 4);
	if (n > 0 && inkan_escape(s, n, &b) != INKAN_OK)
		inkan_buf_reset(&b);
	snprintf(out, size, "%s%s", inkan_buf_cstr(&b), n < len ? "..." : "");
	inkan_buf_clear(&b);
	return out;
}

static bool
ascii_eq_nocase(const xmlChar *a, const char *b)
{
	return a != NULL &&
	    inkan_view_eq_cstr_nocase(inkan_view_cstr((const char *)a), b);
}

static bool
in_svg_ns(const xmlNode *n)
{
	return n->ns != NULL && n->ns->href != NULL &&
	    strcmp((const char *)n->ns->href, SVG_NS) == 0;
}

/*
 * Elements SVG Tiny PS leaves out because they run code, animate, embed
 * other content or fetch it; compared in any case and any namespace, as
 * a renderer that is lax about either must not run them either.
 */
static const char *const forbidden[] = {
	"script", "handler", "listener", /* scripting (Tiny 1.2 uDOM, ev) */
	"animate", "animateMotion", "animateColor", "animateTransform", "set",
	"discard", "mpath", /* animation */
	"foreignObject", "image", "video", "audio", "animation", "iframe",
	"embed", "object", "prefetch", /* other content */
	"a", /* interaction */
};

/* The rest of SVG Tiny 1.2's elements, which Tiny PS keeps. */
static const char *const known[] = {
	"svg",
	"g",
	"defs",
	"title",
	"desc",
	"metadata",
	"use",
	"switch",
	"path",
	"rect",
	"circle",
	"ellipse",
	"line",
	"polyline",
	"polygon",
	"text",
	"tspan",
	"textArea",
	"tbreak",
	"linearGradient",
	"radialGradient",
	"stop",
	"solidColor",
	"font",
	"font-face",
	"font-face-src",
	"font-face-uri",
	"glyph",
	"missing-glyph",
	"hkern",
};

static bool
is_in(const xmlChar *name, const char *const *list, size_t n, bool nocase)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (nocase ? ascii_eq_nocase(name, list[i])
			   : strcmp((const char *)name, list[i]) == 0)
			return true;
	return false;
}

/* A reference that stays in the document: "#id", nothing else. */
static void
check_reference(struct check *c, const xmlNode *n, const char *what,
    const uint8_t *ref, size_t len)
{
	char s1[200];
	xmlChar tmp[64];
	size_t k;

	while (len > 0 && inkan_cc_is(ref[0], INKAN_CC_WSP | INKAN_CC_CTL)) {
		ref++;
		len--;
	}
	/* An empty reference names nothing (and fetches nothing). */
	if (len == 0 || ref[0] == '#')
		return;
	k = len < sizeof(tmp) - 1 ? len : sizeof(tmp) - 1;
	memcpy(tmp, ref, k);
	tmp[k] = '\0';
	if (inkan_view_prefix_nocase(
		inkan_view_make(ref, len), INKAN_VIEW_LIT("data:")))
		add(c, INKAN_BIMI_SVG_DATA_URI, xmlGetLineNo(n),
		    "%s \"%s\" on <%s> embeds data: the profile allows no "
		    "embedded content",
		    what, shown(tmp, s1, sizeof(s1)), (const char *)n->name);
	else
		add(c, INKAN_BIMI_SVG_EXTERNAL_REF, xmlGetLineNo(n),
		    "%s \"%s\" on <%s> refers outside the document: only "
		    "\"#id\" references are allowed",
		    what, shown(tmp, s1, sizeof(s1)), (const char *)n->name);
}

/* Every url(...) in a value (attribute or style sheet), and @import. */
static void
check_urls(struct check *c, const xmlNode *n, const xmlChar *value)
{
	struct inkan_view v = inkan_view_cstr((const char *)value);
	size_t i, start, end;

	for (i = 0; i + 4 <= v.len; i++) {
		if (inkan_view_prefix_nocase(inkan_view_sub(v, i, v.len),
			INKAN_VIEW_LIT("@import"))) {
			add(c, INKAN_BIMI_SVG_EXTERNAL_REF, xmlGetLineNo(n),
			    "a style sheet in <%s> uses @import, which "
			    "fetches another document",
			    (const char *)n->name);
			continue;
		}
		if (!inkan_view_prefix_nocase(
			inkan_view_sub(v, i, v.len), INKAN_VIEW_LIT("url(")))
			continue;
		start = i + 4;
		end = start +
		    inkan_view_find(inkan_view_sub(v, start, v.len), ')');
		while (start < end &&
		    (v.ptr[start] == '"' || v.ptr[start] == '\'' ||
			inkan_cc_is(v.ptr[start], INKAN_CC_WSP)))
			start++;
		check_reference(c, n, "url()", v.ptr + start, end - start);
		i = end;
	}
}

static void
check_attributes(struct check *c, const xmlNode *n, bool root)
{
	const xmlAttr *a;
	xmlChar *value;
	char s1[200];

	for (a = n->properties; a != NULL; a = a->next) {
		if (a->name == NULL)
			continue;
		if (root && a->ns == NULL &&
		    (strcmp((const char *)a->name, "x") == 0 ||
			strcmp((const char *)a->name, "y") == 0))
			add(c, INKAN_BIMI_SVG_ROOT_XY, xmlGetLineNo(n),
			    "the root <svg> has a %s= attribute, which SVG "
			    "Tiny PS does not allow",
			    (const char *)a->name);
		/* Event attributes (onload=, onclick=, ...) run script. */
		if (strlen((const char *)a->name) > 2 &&
		    inkan_view_prefix_nocase(
			inkan_view_cstr((const char *)a->name),
			INKAN_VIEW_LIT("on")))
			add(c, INKAN_BIMI_SVG_EVENT_ATTRIBUTE, xmlGetLineNo(n),
			    "<%s> has the event attribute %s=, which runs "
			    "script",
			    (const char *)n->name,
			    shown(a->name, s1, sizeof(s1)));
		value = xmlNodeListGetString(c->doc, a->children, 1);
		if (value == NULL)
			continue;
		if (strcmp((const char *)a->name, "href") == 0)
			check_reference(
			    c, n, "href", value, strlen((const char *)value));
		else
			check_urls(c, n, value);
		xmlFree(value);
	}
}

static void
check_element(struct check *c, const xmlNode *n, bool root)
{
	char s1[200];
	xmlChar *text;

	if (is_in(n->name, forbidden, sizeof(forbidden) / sizeof(forbidden[0]),
		true))
		add(c, INKAN_BIMI_SVG_FORBIDDEN_ELEMENT, xmlGetLineNo(n),
		    "<%s> is not allowed: SVG Tiny PS has no scripts, "
		    "animation, embedded or linked content",
		    shown(n->name, s1, sizeof(s1)));
	else if (!in_svg_ns(n))
		add(c, INKAN_BIMI_SVG_FOREIGN_ELEMENT, xmlGetLineNo(n),
		    "<%s> is not an SVG element; strip editor metadata "
		    "before publishing",
		    shown(n->name, s1, sizeof(s1)));
	else if (!is_in(
		     n->name, known, sizeof(known) / sizeof(known[0]), false))
		add(c, INKAN_BIMI_SVG_UNKNOWN_ELEMENT, xmlGetLineNo(n),
		    "<%s> is not an SVG Tiny 1.2 element; renderers of the "
		    "profile may ignore it",
		    shown(n->name, s1, sizeof(s1)));
	check_attributes(c, n, root);
	/* Style sheets may fetch too (CSS url() and @import). */
	if (ascii_eq_nocase(n->name, "style") &&
	    (text = xmlNodeGetContent(n)) != NULL) {
		check_urls(c, n, text);
		xmlFree(text);
	}
}

static void
check_pi(struct check *c, const xmlNode *n)
{
	if (ascii_eq_nocase(n->name, "xml-stylesheet"))
		add(c, INKAN_BIMI_SVG_EXTERNAL_REF, xmlGetLineNo(n),
		    "an xml-stylesheet instruction links a style sheet "
		    "outside the document");
}

/* Walks the children of n, which is at depth (the root is 1). */
static void
walk(struct check *c, const xmlNode *n, size_t depth)
{
	const xmlNode *k;

	for (k = n->children; k != NULL && !c->stop; k = k->next) {
		switch (k->type) {
		case XML_ELEMENT_NODE:
			if (++c->elements > c->limits->bimi_svg_elements_max ||
			    depth + 1 > c->limits->bimi_svg_depth_max) {
				add(c, INKAN_BIMI_SVG_LIMIT, xmlGetLineNo(k),
				    "the document has more than %zu "
				    "elements or nests them deeper than "
				    "%zu",
				    c->limits->bimi_svg_elements_max,
				    c->limits->bimi_svg_depth_max);
				c->stop = true;
				return;
			}
			check_element(c, k, false);
			walk(c, k, depth + 1);
			break;
		case XML_PI_NODE:
			check_pi(c, k);
			break;
		case XML_ENTITY_REF_NODE:
			add(c, INKAN_BIMI_SVG_ENTITY, xmlGetLineNo(k),
			    "the document refers to an entity that it does "
			    "not declare");
			break;
		default:
			break;
		}
	}
}

/*
 * A number as SVG writes it (no locale: strtod would read "0,5" in some):
 * [sign] digits [. digits] [e [sign] digits]. Advances *i past it.
 */
static bool
number(struct inkan_view v, size_t *i, double *out)
{
	double val = 0, scale = 1;
	int exp = 0, esign = 1, sign = 1;
	size_t p = *i, digits = 0;

	if (p < v.len && (v.ptr[p] == '+' || v.ptr[p] == '-'))
		sign = v.ptr[p++] == '-' ? -1 : 1;
	for (; p < v.len && inkan_cc_is(v.ptr[p], INKAN_CC_DIGIT); p++) {
		if (val < 1e300)
			val = val * 10 + (v.ptr[p] - '0');
		digits++;
	}
	if (p < v.len && v.ptr[p] == '.')
		for (p++; p < v.len && inkan_cc_is(v.ptr[p], INKAN_CC_DIGIT);
		     p++) {
			scale /= 10;
			val += (v.ptr[p] - '0') * scale;
			digits++;
		}
	if (digits == 0)
		return false;
	if (p < v.len && (v.ptr[p] == 'e' || v.ptr[p] == 'E')) {
		p++;
		if (p < v.len && (v.ptr[p] == '+' || v.ptr[p] == '-'))
			esign = v.ptr[p++] == '-' ? -1 : 1;
		if (p == v.len || !inkan_cc_is(v.ptr[p], INKAN_CC_DIGIT))
			return false;
		for (; p < v.len && inkan_cc_is(v.ptr[p], INKAN_CC_DIGIT); p++)
			if (exp < 400)
				exp = exp * 10 + (v.ptr[p] - '0');
	}
	for (; exp > 0; exp--)
		val = esign > 0 ? val * 10 : val / 10;
	*out = sign * val;
	*i = p;
	return true;
}

static bool
is_sep(uint8_t c)
{
	return c == ',' || inkan_cc_is(c, INKAN_CC_WSP) || c == '\r' ||
	    c == '\n';
}

/* viewBox="min-x min-y width height" (SVG Tiny 1.2 7.7). */
static bool
view_box(const xmlChar *s, double *w, double *h)
{
	struct inkan_view v = inkan_view_cstr((const char *)s);
	double nums[4];
	size_t i = 0, k;

	for (k = 0; k < 4; k++) {
		while (i < v.len && is_sep(v.ptr[i]))
			i++;
		if (!number(v, &i, &nums[k]))
			return false;
	}
	while (i < v.len && is_sep(v.ptr[i]))
		i++;
	*w = nums[2];
	*h = nums[3];
	return i == v.len && *w > 0 && *h > 0;
}

/* width= or height=: a number, optionally "px". */
static bool
length(const xmlChar *s, double *out)
{
	struct inkan_view v = inkan_view_cstr((const char *)s);
	size_t i = 0;

	v = inkan_view_trim(v, INKAN_CC_WSP);
	if (!number(v, &i, out) || *out <= 0)
		return false;
	return i == v.len ||
	    inkan_view_eq_cstr_nocase(inkan_view_sub(v, i, v.len), "px");
}

static bool
roughly_equal(double a, double b)
{
	double d = a > b ? a - b : b - a;

	return d <= 1e-6 * (a > b ? a : b);
}

/* The draft's recommendation (and the BIMI Group's): a square logo. */
static void
check_aspect(struct check *c, const xmlNode *root)
{
	xmlChar *vb = xmlGetNoNsProp(root, (const xmlChar *)"viewBox");
	xmlChar *ws = xmlGetNoNsProp(root, (const xmlChar *)"width");
	xmlChar *hs = xmlGetNoNsProp(root, (const xmlChar *)"height");
	double w, h;

	if (vb != NULL && view_box(vb, &w, &h)) {
		if (!roughly_equal(w, h))
			add(c, INKAN_BIMI_SVG_NOT_SQUARE, xmlGetLineNo(root),
			    "the viewBox is %g by %g: a BIMI logo should be "
			    "square",
			    w, h);
	} else {
		add(c, INKAN_BIMI_SVG_NO_VIEWBOX, xmlGetLineNo(root),
		    "the root <svg> has no usable viewBox, so the logo "
		    "cannot be scaled to the square it is shown in");
		if (ws != NULL && hs != NULL && length(ws, &w) &&
		    length(hs, &h) && !roughly_equal(w, h))
			add(c, INKAN_BIMI_SVG_NOT_SQUARE, xmlGetLineNo(root),
			    "the logo is %g by %g: a BIMI logo should be "
			    "square",
			    w, h);
	}
	xmlFree(vb);
	xmlFree(ws);
	xmlFree(hs);
}

static void
check_root(struct check *c, const xmlNode *root)
{
	xmlChar *version, *profile, *text;
	const xmlNode *k, *title = NULL;
	char s1[200];

	version = xmlGetNoNsProp(root, (const xmlChar *)"version");
	if (version == NULL || strcmp((const char *)version, "1.2") != 0)
		add(c, INKAN_BIMI_SVG_VERSION, xmlGetLineNo(root),
		    "the root <svg> %s%s%s: SVG Tiny PS needs version=\"1.2\"",
		    version == NULL ? "has no version" : "says version=\"",
		    version == NULL ? "" : shown(version, s1, sizeof(s1)),
		    version == NULL ? "" : "\"");
	xmlFree(version);
	profile = xmlGetNoNsProp(root, (const xmlChar *)"baseProfile");
	if (profile == NULL || strcmp((const char *)profile, "tiny-ps") != 0)
		add(c, INKAN_BIMI_SVG_BASE_PROFILE, xmlGetLineNo(root),
		    "the root <svg> %s%s%s: BIMI needs baseProfile="
		    "\"tiny-ps\"",
		    profile == NULL ? "has no baseProfile"
				    : "says baseProfile=\"",
		    profile == NULL ? "" : shown(profile, s1, sizeof(s1)),
		    profile == NULL ? "" : "\"");
	xmlFree(profile);
	for (k = root->children; k != NULL && title == NULL; k = k->next)
		if (k->type == XML_ELEMENT_NODE && in_svg_ns(k) &&
		    strcmp((const char *)k->name, "title") == 0)
			title = k;
	if (title == NULL) {
		add(c, INKAN_BIMI_SVG_NO_TITLE, xmlGetLineNo(root),
		    "the root <svg> has no <title> child: SVG Tiny PS "
		    "requires one, naming the brand");
	} else if ((text = xmlNodeGetContent(title)) != NULL) {
		if (inkan_view_trim(
			inkan_view_cstr((const char *)text), INKAN_CC_WSP)
			.len == 0)
			add(c, INKAN_BIMI_SVG_EMPTY_TITLE, xmlGetLineNo(title),
			    "the <title> is empty; it should name the brand");
		xmlFree(text);
	}
	check_aspect(c, root);
}

/* Swallows libxml2's messages: a library never prints (STYLE.md). */
static void
quiet(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

/* Parses with libxml2 and walks the tree. */
static enum inkan_status
check_document(struct check *c, const void *svg, size_t len)
{
	xmlParserCtxt *ctxt;
	const xmlError *e;
	const xmlNode *root, *k;
	char s1[200], msg[160];
	size_t n;

	xmlInitParser();
	if ((ctxt = xmlNewParserCtxt()) == NULL)
		return INKAN_ERR_NOMEM;
	c->doc = xmlCtxtReadMemory(
	    ctxt, svg, (int)len, "indicator.svg", "UTF-8", PARSE_OPTIONS);
	if (c->doc == NULL) {
		e = xmlCtxtGetLastError(ctxt);
		msg[0] = '\0';
		if (e != NULL && e->message != NULL) {
			/* libxml2's message ends in a newline. */
			n = strcspn(e->message, "\r\n");
			snprintf(msg, sizeof(msg), "%.*s",
			    (int)(n < 120 ? n : 120), e->message);
		}
		add(c, INKAN_BIMI_SVG_NOT_XML, e != NULL ? e->line : 0,
		    "the document is not well-formed XML (%s)",
		    shown((const xmlChar *)msg, s1, sizeof(s1)));
		xmlFreeParserCtxt(ctxt);
		return INKAN_OK;
	}
	xmlFreeParserCtxt(ctxt);
	if (c->doc->intSubset != NULL)
		add(c, INKAN_BIMI_SVG_DOCTYPE, 0,
		    "the document has a DOCTYPE; SVG Tiny PS needs none (it "
		    "is not loaded)");
	for (k = c->doc->children; k != NULL; k = k->next)
		if (k->type == XML_PI_NODE)
			check_pi(c, k);
	root = xmlDocGetRootElement(c->doc);
	if (root == NULL || !in_svg_ns(root) ||
	    strcmp((const char *)root->name, "svg") != 0) {
		add(c, INKAN_BIMI_SVG_NOT_SVG, root ? xmlGetLineNo(root) : 0,
		    "the root element is <%s>%s, not <svg> in the SVG "
		    "namespace (" SVG_NS ")",
		    root ? shown(root->name, s1, sizeof(s1)) : "",
		    root && !in_svg_ns(root) ? " without the SVG namespace"
					     : "");
		return INKAN_OK;
	}
	c->elements = 1;
	check_root(c, root);
	check_element(c, root, true);
	walk(c, root, 1);
	return INKAN_OK;
}

/* XML 1.0 2.8: "<!ENTITY" begins every entity declaration. */
static bool
declares_entity(const uint8_t *p, size_t len)
{
	static const char decl[] = "<!ENTITY";
	size_t i, n = sizeof(decl) - 1;

	for (i = 0; i + n <= len; i++)
		if (p[i] == '<' && memcmp(p + i, decl, n) == 0)
			return true;
	return false;
}

enum inkan_status
inkan_bimi_svg_check(const void *svg, size_t len,
    const struct inkan_limits *limits, struct inkan_bimi_svg_report **report_r)
{
	struct check c;
	const uint8_t *p = svg;
	enum inkan_status st = INKAN_OK;

	*report_r = NULL;
	memset(&c, 0, sizeof(c));
	c.limits = limits != NULL ? limits : inkan_limits_defaults();
	if ((c.rep = calloc(1, sizeof(*c.rep))) == NULL)
		return INKAN_ERR_NOMEM;
	c.rep->findings =
	    calloc(INKAN_BIMI_SVG_FINDINGS_MAX, sizeof(*c.rep->findings));
	if (c.rep->findings == NULL) {
		free(c.rep);
		return INKAN_ERR_NOMEM;
	}
	if (len > c.limits->bimi_svg_max || len > INT_MAX)
		add(&c, INKAN_BIMI_SVG_TOO_LARGE, 0,
		    "the document is %zu bytes, more than the %zu allowed "
		    "(the BIMI Group's SVG guidance: 32 kilobytes)",
		    len, c.limits->bimi_svg_max);
	else if (len >= 2 && p[0] == 0x1f && p[1] == 0x8b)
		add(&c, INKAN_BIMI_SVG_COMPRESSED, 0,
		    "the document is gzip-compressed (SVGZ): inflate it "
		    "before the check");
	else if (len == 0)
		add(&c, INKAN_BIMI_SVG_NOT_XML, 0, "the document is empty");
	else if (declares_entity(p, len))
		add(&c, INKAN_BIMI_SVG_ENTITY, 0,
		    "the document declares entities (<!ENTITY), which an "
		    "indicator does not need and which are refused unparsed");
	else {
		/* Errors without a parser context (encoding, memory) go to
		   libxml2's generic handler, per thread: silenced for the
		   call, then put back. */
		xmlGenericErrorFunc saved = xmlGenericError;
		void *saved_ctx = xmlGenericErrorContext;

		xmlSetGenericErrorFunc(NULL, quiet);
		st = check_document(&c, svg, len);
		xmlSetGenericErrorFunc(saved_ctx, saved);
	}
	if (c.doc != NULL)
		xmlFreeDoc(c.doc);
	if (st != INKAN_OK) {
		inkan_bimi_svg_report_free(&c.rep);
		return st;
	}
	c.rep->verdict = c.rep->nerrors > 0 ? INKAN_BIMI_SVG_FAIL
	    : c.rep->nwarnings > 0          ? INKAN_BIMI_SVG_WARN
					    : INKAN_BIMI_SVG_PASS;
	*report_r = c.rep;
	return INKAN_OK;
}

void
inkan_bimi_svg_report_free(struct inkan_bimi_svg_report **rep)
{
	if (rep == NULL || *rep == NULL)
		return;
	free((*rep)->findings);
	free(*rep);
	*rep = NULL;
}
