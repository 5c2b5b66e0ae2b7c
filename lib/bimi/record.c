/*
 * record.c: the BIMI assertion record (draft-brand-indicators-for-
 * message-identification, "Assertion Record Definition"); its lookup is
 * in lookup.c.
 *
 * The record is a DKIM tag-list (RFC 6376 3.2), so the parser splits it at
 * ";" into tag-specs, checks each against the tag-list grammar, and only
 * then looks at the tags BIMI defines. It does not stop at the first
 * problem: an auditor wants every problem of a record at once, so each is
 * recorded as a bit, and the first one also as a sentence with its offset.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <inkan/bimi.h>
#include <inkan/util.h>

/* RFC 1035 2.3.4: a name in text is at most 253 octets without the dot. */
#define HOST_TEXT_MAX 253

struct record_impl {
	struct inkan_bimi_record pub; /* first: freed through its address */
	struct inkan_arena arena; /* the strings and the lps array */
};

/* One tag-spec: name and value views, value trimmed of white space. */
struct tag {
	struct inkan_view name;
	struct inkan_view value;
	size_t offset; /* of the name in the record */
};

struct parse {
	const uint8_t *text;
	size_t len;
	struct inkan_bimi_error *err; /* never NULL inside the parser */
};

const char *
inkan_bimi_record_problem_name(enum inkan_bimi_record_problem p)
{
	switch (p) {
	case INKAN_BIMI_REC_OK:
		return "ok";
	case INKAN_BIMI_REC_TOO_LONG:
		return "too-long";
	case INKAN_BIMI_REC_SYNTAX:
		return "syntax";
	case INKAN_BIMI_REC_DUPLICATE_TAG:
		return "duplicate-tag";
	case INKAN_BIMI_REC_V_MISSING:
		return "v-missing";
	case INKAN_BIMI_REC_V_NOT_FIRST:
		return "v-not-first";
	case INKAN_BIMI_REC_V_EMPTY:
		return "v-empty";
	case INKAN_BIMI_REC_V_CASE:
		return "v-case";
	case INKAN_BIMI_REC_V_INVALID:
		return "v-invalid";
	case INKAN_BIMI_REC_L_MISSING:
		return "l-missing";
	case INKAN_BIMI_REC_L_NOT_HTTPS:
		return "l-not-https";
	case INKAN_BIMI_REC_L_BAD_URI:
		return "l-bad-uri";
	case INKAN_BIMI_REC_A_NOT_HTTPS:
		return "a-not-https";
	case INKAN_BIMI_REC_A_BAD_URI:
		return "a-bad-uri";
	case INKAN_BIMI_REC_LPS_INVALID:
		return "lps-invalid";
	case INKAN_BIMI_REC_L_NOT_SVG:
		return "l-not-svg";
	}
	return "unknown";
}

static void problem(struct parse *p, enum inkan_bimi_record_problem code,
    size_t off, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Records a problem; the first one also gives the message and offset. */
static void
problem(struct parse *p, enum inkan_bimi_record_problem code, size_t off,
    const char *fmt, ...)
{
	va_list ap;

	if (p->err->problems == 0) {
		p->err->code = code;
		p->err->offset = off;
		va_start(ap, fmt);
		vsnprintf(p->err->message, sizeof(p->err->message), fmt, ap);
		va_end(ap);
	}
	p->err->problems |= 1u << code;
}

/*
 * Up to 48 bytes of v escaped for a message, "..." after when cut, into
 * out (size at least 200). Escaping never fails at this size.
 */
static const char *
shown(struct inkan_view v, char *out, size_t size)
{
	struct inkan_buf b;
	size_t n = v.len > 48 ? 48 : v.len;

	inkan_buf_init(&b, size - 4);
	if (inkan_escape(v.ptr, n, &b) != INKAN_OK)
		inkan_buf_reset(&b);
	snprintf(out, size, "%s%s", inkan_buf_cstr(&b), n < v.len ? "..." : "");
	inkan_buf_clear(&b);
	return out;
}

/* White space in a tag-list: WSP and the CR LF of FWS (RFC 6376 3.2). */
static bool
is_fws(uint8_t c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static struct inkan_view
trim_fws(struct inkan_view v)
{
	while (v.len > 0 && is_fws(v.ptr[0])) {
		v.ptr++;
		v.len--;
	}
	while (v.len > 0 && is_fws(v.ptr[v.len - 1]))
		v.len--;
	return v;
}

/* RFC 6376 3.2: tag-name = ALPHA *ALNUMPUNC, ALNUMPUNC = ALPHA/DIGIT/_. */
static bool
is_tag_name(struct inkan_view v)
{
	size_t i;

	if (v.len == 0 || !inkan_cc_is(v.ptr[0], INKAN_CC_ALPHA))
		return false;
	for (i = 1; i < v.len; i++)
		if (!inkan_cc_is(v.ptr[i], INKAN_CC_ALNUM) && v.ptr[i] != '_')
			return false;
	return true;
}

/* RFC 6376 3.2: VALCHAR = %x21-3A / %x3C-7E, with FWS between tvals. */
static size_t
bad_value_byte(struct inkan_view v)
{
	size_t i;

	for (i = 0; i < v.len; i++)
		if (!is_fws(v.ptr[i]) && (v.ptr[i] < 0x21 || v.ptr[i] > 0x7e))
			return i;
	return v.len;
}

/*
 * Splits the record into tags[] (room for len / 2 + 1, enough since every
 * tag-spec takes at least "x=" and a ";" before the next). Problems of
 * the tag-list grammar are recorded and the bad tag-spec skipped.
 */
static size_t
split_tags(struct parse *p, struct tag *tags)
{
	size_t start = 0, n = 0, end, eq, bad;
	struct inkan_view seg, name, value;
	char s1[200];

	while (start <= p->len) {
		end = start;
		while (end < p->len && p->text[end] != ';')
			end++;
		seg = trim_fws(inkan_view_make(p->text + start, end - start));
		if (seg.len == 0) {
			/* RFC 6376 3.2: only the last tag-spec may be
			   empty (a ";" that ends the list). */
			if (end < p->len || start == 0)
				problem(p, INKAN_BIMI_REC_SYNTAX, start,
				    "empty tag at offset %zu: \";;\", a "
				    "leading \";\" or an empty record",
				    start);
			start = end + 1;
			continue;
		}
		eq = inkan_view_find(seg, '=');
		if (eq == seg.len) {
			problem(p, INKAN_BIMI_REC_SYNTAX,
			    (size_t)(seg.ptr - p->text),
			    "\"%s\" is not a tag=value pair",
			    shown(seg, s1, sizeof(s1)));
			start = end + 1;
			continue;
		}
		name = trim_fws(inkan_view_sub(seg, 0, eq));
		value = trim_fws(inkan_view_sub(seg, eq + 1, seg.len));
		if (!is_tag_name(name)) {
			problem(p, INKAN_BIMI_REC_SYNTAX,
			    (size_t)(seg.ptr - p->text),
			    "\"%s\" is not a tag name (RFC 6376 3.2: a "
			    "letter, then letters, digits or \"_\")",
			    shown(name, s1, sizeof(s1)));
			start = end + 1;
			continue;
		}
		if ((bad = bad_value_byte(value)) < value.len) {
			problem(p, INKAN_BIMI_REC_SYNTAX,
			    (size_t)(value.ptr - p->text) + bad,
			    "the value of %s= holds byte 0x%02x, which a "
			    "tag value cannot (RFC 6376 3.2)",
			    shown(name, s1, sizeof(s1)), value.ptr[bad]);
			start = end + 1;
			continue;
		}
		tags[n].name = name;
		tags[n].value = value;
		tags[n].offset = (size_t)(name.ptr - p->text);
		n++;
		start = end + 1;
	}
	return n;
}

static const struct tag *
find_tag(const struct tag *tags, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (inkan_view_eq(tags[i].name, inkan_view_cstr(name)))
			return &tags[i];
	return NULL;
}

/* RFC 6376 3.2: a tag name twice makes the whole tag-list invalid. */
static void
check_duplicates(struct parse *p, const struct tag *tags, size_t n)
{
	size_t i, j;
	char s1[200];

	for (i = 1; i < n; i++)
		for (j = 0; j < i; j++)
			if (inkan_view_eq(tags[i].name, tags[j].name)) {
				problem(p, INKAN_BIMI_REC_DUPLICATE_TAG,
				    tags[i].offset,
				    "tag %s= appears more than once (RFC "
				    "6376 3.2: the record is invalid)",
				    shown(tags[i].name, s1, sizeof(s1)));
				break;
			}
}

/* draft: bimi-version = "v" *WSP "=" *WSP "BIMI1", and it is first. */
static void
check_version(struct parse *p, const struct tag *tags, size_t n)
{
	const struct tag *v = find_tag(tags, n, "v");
	char s1[200];
	size_t i;

	if (v == NULL) {
		problem(p, INKAN_BIMI_REC_V_MISSING, 0,
		    "no v= tag: a BIMI record begins with v=BIMI1");
		return;
	}
	if (v != &tags[0]) {
		problem(p, INKAN_BIMI_REC_V_NOT_FIRST, v->offset,
		    "v= is not the first tag (the draft: it MUST be)");
		return;
	}
	/* bimi-version and bimi-sep allow WSP only, no line breaks. */
	for (i = 0; i < p->len && p->text[i] != ';'; i++)
		if (p->text[i] == '\r' || p->text[i] == '\n') {
			problem(p, INKAN_BIMI_REC_SYNTAX, i,
			    "a line break in the v= tag: only spaces and "
			    "tabs may surround its \"=\" and \";\"");
			return;
		}
	if (v->value.len == 0)
		problem(p, INKAN_BIMI_REC_V_EMPTY, v->offset,
		    "v= is empty: it must be BIMI1");
	else if (inkan_view_eq(v->value, INKAN_VIEW_LIT("BIMI1")))
		return;
	else if (inkan_view_eq_cstr_nocase(v->value, "BIMI1"))
		problem(p, INKAN_BIMI_REC_V_CASE, v->offset,
		    "v=%s: the draft says the value MUST be BIMI1 exactly, "
		    "and receivers MUST NOT fix its capitalization",
		    shown(v->value, s1, sizeof(s1)));
	else
		problem(p, INKAN_BIMI_REC_V_INVALID, v->offset,
		    "v=%s is not BIMI1", shown(v->value, s1, sizeof(s1)));
}

static bool
is_hex_at(struct inkan_view v, size_t i)
{
	return i + 1 < v.len && inkan_cc_is(v.ptr[i], INKAN_CC_HEX) &&
	    inkan_cc_is(v.ptr[i + 1], INKAN_CC_HEX);
}

/* RFC 3986 2.2, 2.3: reserved and unreserved characters, less ",". */
static bool
is_uri_char(uint8_t c)
{
	return inkan_cc_is(c, INKAN_CC_ALNUM) ||
	    (c != ',' && strchr("-._~:/?#[]@!$&'()*+;=", c) != NULL &&
		c != '\0');
}

/*
 * RFC 1035 2.3.1 (as RFC 1123 2.1 relaxes it): LDH labels of 1 to 63
 * octets that do not begin or end with a hyphen. A FQDN here has at least
 * two labels and a last label that is not all digits (an IPv4 address is
 * not a domain name). One trailing dot is allowed.
 */
static bool
is_fqdn(struct inkan_view h)
{
	size_t i, label = 0, labels = 1;
	bool all_digits = true;

	if (h.len > 0 && h.ptr[h.len - 1] == '.')
		h.len--;
	if (h.len == 0 || h.len > HOST_TEXT_MAX)
		return false;
	for (i = 0; i < h.len; i++) {
		if (h.ptr[i] == '.') {
			if (label == 0 || h.ptr[i - 1] == '-')
				return false;
			label = 0;
			labels++;
			all_digits = true;
			continue;
		}
		if (!inkan_cc_is(h.ptr[i], INKAN_CC_LDH) ||
		    (label == 0 && h.ptr[i] == '-') || ++label > 63)
			return false;
		if (!inkan_cc_is(h.ptr[i], INKAN_CC_DIGIT))
			all_digits = false;
	}
	return label > 0 && h.ptr[h.len - 1] != '-' && labels >= 2 &&
	    !all_digits;
}

/*
 * draft: a bimi-uri is one URI (RFC 3986) with the https scheme and a
 * FQDN; commas in it MUST be encoded. Records a problem for tag
 * ('l' or 'a') and returns false when u is not such a URI.
 */
static bool
check_uri(struct parse *p, const struct tag *t, bool is_l)
{
	struct inkan_view u = t->value, host;
	size_t i = 0, auth, end, colon;
	enum inkan_bimi_record_problem not_https =
	    is_l ? INKAN_BIMI_REC_L_NOT_HTTPS : INKAN_BIMI_REC_A_NOT_HTTPS;
	enum inkan_bimi_record_problem bad =
	    is_l ? INKAN_BIMI_REC_L_BAD_URI : INKAN_BIMI_REC_A_BAD_URI;
	char tag = is_l ? 'l' : 'a';
	char s1[200];

	/* RFC 3986 3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) */
	while (i < u.len &&
	    (inkan_cc_is(u.ptr[i], INKAN_CC_ALNUM) || u.ptr[i] == '+' ||
		u.ptr[i] == '-' || u.ptr[i] == '.'))
		i++;
	if (i == 0 || i == u.len || u.ptr[i] != ':' ||
	    !inkan_cc_is(u.ptr[0], INKAN_CC_ALPHA)) {
		problem(p, bad, t->offset, "%c=%s is not a URI", tag,
		    shown(u, s1, sizeof(s1)));
		return false;
	}
	if (!inkan_view_eq_cstr_nocase(inkan_view_sub(u, 0, i), "https")) {
		problem(p, not_https, t->offset,
		    "%c=%s: the only transport BIMI allows is https", tag,
		    shown(u, s1, sizeof(s1)));
		return false;
	}
	if (u.len - i < 3 || u.ptr[i + 1] != '/' || u.ptr[i + 2] != '/') {
		problem(p, bad, t->offset,
		    "%c=%s has no host (\"https://\" and a domain name)", tag,
		    shown(u, s1, sizeof(s1)));
		return false;
	}
	auth = i + 3;
	for (end = auth; end < u.len; end++)
		if (u.ptr[end] == '/' || u.ptr[end] == '?' || u.ptr[end] == '#')
			break;
	host = inkan_view_sub(u, auth, end - auth);
	colon = inkan_view_find(host, ':');
	if (colon < host.len) {
		/* RFC 3986 3.2.3: port = *DIGIT */
		for (i = colon + 1; i < host.len; i++)
			if (!inkan_cc_is(host.ptr[i], INKAN_CC_DIGIT))
				break;
		if (i < host.len || host.len - colon - 1 > 5) {
			problem(p, bad, t->offset,
			    "%c=%s: the port is not a number", tag,
			    shown(u, s1, sizeof(s1)));
			return false;
		}
		host.len = colon;
	}
	if (!is_fqdn(host)) {
		problem(p, bad, t->offset,
		    "%c=%s: the host must be a fully qualified domain name "
		    "(no user, no IP address)",
		    tag, shown(u, s1, sizeof(s1)));
		return false;
	}
	for (i = end; i < u.len; i++) {
		if (u.ptr[i] == '%' && is_hex_at(u, i + 1)) {
			i += 2;
			continue;
		}
		if (u.ptr[i] == ',') {
			problem(p, bad, t->offset + i,
			    "%c= holds a comma: it takes one URI, and commas "
			    "in it MUST be encoded as %%2C",
			    tag);
			return false;
		}
		if (u.ptr[i] == '%' || !is_uri_char(u.ptr[i])) {
			problem(p, bad, t->offset,
			    "%c=%s: byte 0x%02x cannot appear in a URI (RFC "
			    "3986 2)",
			    tag, shown(u, s1, sizeof(s1)), u.ptr[i]);
			return false;
		}
	}
	return true;
}

/*
 * draft, Supported Image Formats for l= tag: only SVG (and SVGZ) are in
 * the BIMI-formats registry, and "If an l= tag URI ends with any other
 * image format suffix ... the evaluation of the record MUST be treated as
 * a permanent error". The suffix is the path's, before any query.
 */
static void
check_image_suffix(struct parse *p, const struct tag *t)
{
	static const char *const other[] = { ".png", ".jpg", ".jpeg", ".gif",
		".webp", ".bmp", ".ico", ".tif", ".tiff", ".avif", ".heic" };
	struct inkan_view u = t->value, path, tail;
	size_t i, end = 0;
	char s1[200];

	while (end < u.len && u.ptr[end] != '?' && u.ptr[end] != '#')
		end++;
	path = inkan_view_sub(u, 0, end);
	for (i = 0; i < sizeof(other) / sizeof(other[0]); i++) {
		size_t n = strlen(other[i]);

		if (path.len < n)
			continue;
		tail = inkan_view_sub(path, path.len - n, n);
		if (inkan_view_eq_cstr_nocase(tail, other[i])) {
			problem(p, INKAN_BIMI_REC_L_NOT_SVG, t->offset,
			    "l=%s names a %s image: BIMI indicators are SVG "
			    "(the draft: any other format is a permanent "
			    "error)",
			    shown(u, s1, sizeof(s1)), other[i] + 1);
			return;
		}
	}
}

/*
 * draft: local-part-prefix-list = local-part-prefix *( *WSP "," *WSP
 * local-part-prefix ), local-part-prefix = 1*63( ALPHA / DIGIT / "-" ).
 * Returns the number of prefixes, or SIZE_MAX (with a problem recorded).
 */
static size_t
check_lps(struct parse *p, const struct tag *t)
{
	struct inkan_view v = t->value, item;
	size_t start = 0, end, i, n = 0;
	char s1[200];

	if (v.len == 0)
		return 0;
	while (start <= v.len) {
		end = start +
		    inkan_view_find(inkan_view_sub(v, start, v.len), ',');
		item = trim_fws(inkan_view_sub(v, start, end - start));
		for (i = 0; i < item.len; i++)
			if (!inkan_cc_is(item.ptr[i], INKAN_CC_ALNUM) &&
			    item.ptr[i] != '-')
				break;
		if (item.len == 0 || item.len > 63 || i < item.len) {
			problem(p, INKAN_BIMI_REC_LPS_INVALID, t->offset,
			    "lps=%s: each prefix is 1 to 63 letters, digits "
			    "or \"-\", separated by commas",
			    shown(v, s1, sizeof(s1)));
			return SIZE_MAX;
		}
		n++;
		start = end + 1;
	}
	return n;
}

/* Copies the lps prefixes into the record's arena. */
static bool
store_lps(struct record_impl *ri, struct inkan_view v, size_t n)
{
	const char **list;
	struct inkan_view item;
	size_t start = 0, end, k = 0;

	list = inkan_arena_calloc(&ri->arena, n + 1, sizeof(*list));
	if (list == NULL)
		return false;
	while (k < n) {
		end = start +
		    inkan_view_find(inkan_view_sub(v, start, v.len), ',');
		item = trim_fws(inkan_view_sub(v, start, end - start));
		if ((list[k++] = inkan_arena_strndup(
			 &ri->arena, item.ptr, item.len)) == NULL)
			return false;
		start = end + 1;
	}
	ri->pub.lps = list;
	ri->pub.nlps = n;
	return true;
}

static const char *
arena_view(struct inkan_arena *a, const struct tag *t)
{
	if (t == NULL)
		return inkan_arena_strndup(a, "", 0);
	return inkan_arena_strndup(a, t->value.ptr, t->value.len);
}

/* Fills a new record from checked tags. INKAN_ERR_NOMEM or INKAN_OK. */
static enum inkan_status
build(const struct tag *tags, size_t n, size_t nlps,
    struct inkan_bimi_record **rec_r)
{
	struct record_impl *ri;
	const struct tag *l = find_tag(tags, n, "l");
	const struct tag *a = find_tag(tags, n, "a");
	const struct tag *lps = find_tag(tags, n, "lps");
	const struct tag *avp = find_tag(tags, n, "avp");
	size_t i;

	if ((ri = calloc(1, sizeof(*ri))) == NULL)
		return INKAN_ERR_NOMEM;
	inkan_arena_init(&ri->arena, SIZE_MAX);
	ri->pub.location = arena_view(&ri->arena, l);
	ri->pub.authority = arena_view(&ri->arena, a);
	if (ri->pub.location == NULL || ri->pub.authority == NULL ||
	    (lps != NULL && !store_lps(ri, lps->value, nlps))) {
		inkan_arena_clear(&ri->arena);
		free(ri);
		return INKAN_ERR_NOMEM;
	}
	ri->pub.declined =
	    ri->pub.location[0] == '\0' && ri->pub.authority[0] == '\0';
	ri->pub.has_lps = lps != NULL;
	/* draft: avp= "personal" / "brand" (%s: case-sensitive); any other
	   value MUST be ignored. */
	if (avp == NULL || inkan_view_eq(avp->value, INKAN_VIEW_LIT("brand")))
		ri->pub.avp = INKAN_BIMI_AVP_BRAND;
	else if (inkan_view_eq(avp->value, INKAN_VIEW_LIT("personal")))
		ri->pub.avp = INKAN_BIMI_AVP_PERSONAL;
	else
		ri->pub.avp = INKAN_BIMI_AVP_UNKNOWN;
	for (i = 0; i < n; i++)
		if (find_tag(tags, n, "v") != &tags[i] && l != &tags[i] &&
		    a != &tags[i] && lps != &tags[i] && avp != &tags[i])
			ri->pub.unknown_tags++;
	*rec_r = &ri->pub;
	return INKAN_OK;
}

enum inkan_status
inkan_bimi_record_parse(const void *text, size_t len,
    const struct inkan_limits *limits, struct inkan_bimi_record **rec_r,
    struct inkan_bimi_error *err_r)
{
	struct inkan_bimi_error local;
	struct parse p = { text, len, err_r != NULL ? err_r : &local };
	struct tag *tags = NULL;
	const struct tag *t;
	size_t n, nlps = 0;
	enum inkan_status st;

	if (limits == NULL)
		limits = inkan_limits_defaults();
	*rec_r = NULL;
	memset(p.err, 0, sizeof(*p.err));
	if (len > limits->bimi_record_max) {
		problem(&p, INKAN_BIMI_REC_TOO_LONG, limits->bimi_record_max,
		    "the record is %zu bytes long, more than the %zu "
		    "allowed",
		    len, limits->bimi_record_max);
		return INKAN_ERR_LIMIT;
	}
	if ((tags = calloc(len / 2 + 1, sizeof(*tags))) == NULL)
		return INKAN_ERR_NOMEM;
	/* draft: bimi-record = bimi-version ..., and bimi-version begins
	   with "v": no white space before it, though RFC 6376 3.2 would
	   allow some before other tags. */
	if (len > 0 && is_fws(p.text[0]))
		problem(&p, INKAN_BIMI_REC_SYNTAX, 0,
		    "the record begins with white space: it must begin with "
		    "v=BIMI1");
	n = split_tags(&p, tags);
	check_duplicates(&p, tags, n);
	check_version(&p, tags, n);
	if ((t = find_tag(tags, n, "l")) == NULL)
		problem(&p, INKAN_BIMI_REC_L_MISSING, len,
		    "no l= tag: it is required, empty for a declination");
	else if (t->value.len > 0 && check_uri(&p, t, true))
		check_image_suffix(&p, t);
	if ((t = find_tag(tags, n, "a")) != NULL && t->value.len > 0)
		check_uri(&p, t, false);
	if ((t = find_tag(tags, n, "lps")) != NULL)
		nlps = check_lps(&p, t);
	if (p.err->problems != 0)
		st = INKAN_ERR_SYNTAX;
	else
		st = build(tags, n, nlps, rec_r);
	free(tags);
	return st;
}

void
inkan_bimi_record_free(struct inkan_bimi_record **rec)
{
	struct record_impl *ri;

	if (rec == NULL || *rec == NULL)
		return;
	ri = (struct record_impl *)(void *)*rec;
	inkan_arena_clear(&ri->arena);
	free(ri);
	*rec = NULL;
}

bool
inkan_bimi_record_is_bimi(const void *text, size_t len)
{
	struct inkan_cursor c;

	inkan_cursor_init(&c, text, len);
	inkan_cursor_skip_while(&c, INKAN_CC_WSP);
	if (!inkan_cursor_accept(&c, 'v'))
		return false;
	inkan_cursor_skip_while(&c, INKAN_CC_WSP);
	if (!inkan_cursor_accept(&c, '='))
		return false;
	inkan_cursor_skip_while(&c, INKAN_CC_WSP);
	if (!inkan_cursor_accept_nocase(&c, "BIMI1"))
		return false;
	return inkan_cursor_eof(&c) || inkan_cursor_peek(&c) == ';' ||
	    inkan_cc_is((uint8_t)inkan_cursor_peek(&c), INKAN_CC_WSP);
}
