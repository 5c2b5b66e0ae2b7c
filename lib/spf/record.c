/*
 * record.c: the SPF record parser (RFC 7208 4.6, 12).
 *
 * A record is parsed once into an array of terms with everything split
 * out: the qualifier, the mechanism, the domain-spec's place in the text
 * (checked as a macro-string with a valid domain-end), the CIDR lengths,
 * and for ip4/ip6 the network with its host bits cleared. RFC 7208 4.6:
 * a syntax error anywhere makes the whole record a permerror, so parsing
 * stops at the first one and says where it is.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spf/spf_impl.h"

struct parser {
	const uint8_t *text;
	size_t len;
	size_t pos; /* start of the term being parsed */
	struct inkan_spf_record *rec;
	struct inkan_spf_error *err;
};

/* Fills p->err with a message about the term at off; returns SYNTAX. */
static enum inkan_status fail(struct parser *p, size_t off, const char *fmt,
    ...) __attribute__((format(printf, 3, 4)));

static enum inkan_status
fail(struct parser *p, size_t off, const char *fmt, ...)
{
	va_list ap;

	if (p->err != NULL) {
		p->err->offset = off;
		va_start(ap, fmt);
		vsnprintf(p->err->message, sizeof(p->err->message), fmt, ap);
		va_end(ap);
	}
	return INKAN_ERR_SYNTAX;
}

/* Writes v escaped (and cut to fit) into buf, for error messages. */
static const char *
quote(struct inkan_view v, char *buf, size_t size)
{
	struct inkan_buf b;
	size_t n = v.len > 40 ? 40 : v.len;

	inkan_buf_init(&b, size - 1);
	buf[0] = '\0';
	if (inkan_escape(v.ptr, n, &b) == INKAN_OK && b.data != NULL) {
		memcpy(buf, b.data, b.len);
		buf[b.len] = '\0';
		if (n < v.len && b.len + 3 < size)
			memcpy(buf + b.len, "...", 4);
	}
	inkan_buf_clear(&b);
	return buf;
}

/*
 * RFC 7208 7.1 toplabel: ( *alphanum ALPHA *alphanum ) /
 * ( 1*alphanum "-" *( alphanum / "-" ) alphanum ).
 */
bool
spf_toplabel_valid(struct inkan_view l)
{
	bool alpha = false, dash = false;
	size_t i;

	if (l.len == 0 || l.ptr[0] == '-' || l.ptr[l.len - 1] == '-')
		return false;
	for (i = 0; i < l.len; i++) {
		if (l.ptr[i] == '-')
			dash = true;
		else if (inkan_cc_is(l.ptr[i], INKAN_CC_ALPHA))
			alpha = true;
		else if (!inkan_cc_is(l.ptr[i], INKAN_CC_DIGIT))
			return false;
	}
	return alpha || dash;
}

/*
 * RFC 7208 7.1: domain-spec = macro-string domain-end, domain-end =
 * ( "." toplabel [ "." ] ) / macro-expand. Checks spec (at offset off of
 * the record) and sets *macro_r when it holds a %{...} expansion.
 */
static enum inkan_status
domain_spec(struct parser *p, size_t off, struct inkan_view spec, bool *macro_r)
{
	struct inkan_view rest = spec, label;
	const char *why;
	char q[64];
	size_t bad, dot;

	if (spec.len == 0)
		return fail(p, off, "empty domain-spec");
	if (!spf_macro_check(spec, SPF_MACRO_DOMAIN, macro_r, &bad, &why))
		return fail(p, off + bad, "%s in domain-spec \"%s\"", why,
		    quote(spec, q, sizeof(q)));
	/* Ends in a macro-expand: %{...}, %%, %_ or %-. The check above
	   guarantees a '}' at the end closes a %{. */
	if (spec.ptr[spec.len - 1] == '}')
		return INKAN_OK;
	if (spec.len >= 2 && spec.ptr[spec.len - 2] == '%' &&
	    (spec.ptr[spec.len - 1] == '%' || spec.ptr[spec.len - 1] == '_' ||
		spec.ptr[spec.len - 1] == '-')) {
		/* "%%%" cannot pass the check, so this % starts an escape
		   unless it is itself escaped: count the run of '%'. */
		size_t n = 0;

		while (n + 1 < spec.len && spec.ptr[spec.len - 2 - n] == '%')
			n++;
		if (n % 2 == 1)
			return INKAN_OK;
	}
	if (rest.ptr[rest.len - 1] == '.')
		rest.len--;
	for (dot = rest.len; dot > 0 && rest.ptr[dot - 1] != '.'; dot--)
		;
	label = inkan_view_sub(rest, dot, rest.len - dot);
	if (dot == 0 || !spf_toplabel_valid(label))
		return fail(p, off,
		    "domain-spec \"%s\" does not end in a valid top label",
		    quote(spec, q, sizeof(q)));
	return INKAN_OK;
}

/* Parses a CIDR length of at most max (no leading zeros: RFC 7208 12). */
static bool
cidr_number(struct inkan_view v, unsigned max, uint8_t *r)
{
	unsigned n = 0;
	size_t i;

	if (v.len == 0 || v.len > 3 || (v.len > 1 && v.ptr[0] == '0'))
		return false;
	for (i = 0; i < v.len; i++) {
		if (!inkan_cc_is(v.ptr[i], INKAN_CC_DIGIT))
			return false;
		n = n * 10 + (unsigned)(v.ptr[i] - '0');
	}
	if (n > max)
		return false;
	*r = (uint8_t)n;
	return true;
}

/* True if v is "/" 1*DIGIT (the shape, not yet the value). */
static bool
is_slash_digits(struct inkan_view v)
{
	size_t i;

	if (v.len < 2 || v.ptr[0] != '/')
		return false;
	for (i = 1; i < v.len; i++)
		if (!inkan_cc_is(v.ptr[i], INKAN_CC_DIGIT))
			return false;
	return true;
}

/*
 * If v (the arguments after a mechanism name) ends in something shaped
 * like a dual-cidr-length ("/24", "//64", "/24//64"), returns where it
 * starts; else v.len. The first '/' outside %{...} that begins such a
 * suffix wins, so a '/' delimiter inside a macro is never taken.
 */
static size_t
cidr_start(struct inkan_view v)
{
	size_t i, depth = 0;

	for (i = 0; i < v.len; i++) {
		struct inkan_view s;
		size_t j;

		if (v.ptr[i] == '{')
			depth++;
		else if (v.ptr[i] == '}' && depth > 0)
			depth--;
		if (v.ptr[i] != '/' || depth > 0)
			continue;
		s = inkan_view_sub(v, i, v.len - i);
		if (is_slash_digits(s))
			return i;
		if (s.len > 1 && s.ptr[1] == '/' &&
		    is_slash_digits(inkan_view_sub(s, 1, s.len - 1)))
			return i;
		for (j = 1; j < s.len && s.ptr[j] != '/'; j++)
			;
		if (j < s.len && is_slash_digits(inkan_view_sub(s, 0, j)) &&
		    j + 1 < s.len && s.ptr[j + 1] == '/' &&
		    is_slash_digits(inkan_view_sub(s, j + 1, s.len - j - 1)))
			return i;
	}
	return v.len;
}

/* RFC 7208 5.6 dual-cidr-length at offset off: fills the term's lengths. */
static enum inkan_status
dual_cidr(struct parser *p, size_t off, struct inkan_view v, bool v4, bool v6,
    struct spf_term *t)
{
	struct inkan_view n4 = { NULL, 0 }, n6 = { NULL, 0 };
	size_t j;

	if (v.len == 0)
		return INKAN_OK;
	if (v.len >= 2 && v.ptr[1] == '/') {
		n6 = inkan_view_sub(v, 2, v.len - 2);
	} else {
		for (j = 1; j < v.len && v.ptr[j] != '/'; j++)
			;
		n4 = inkan_view_sub(v, 1, j - 1);
		if (j < v.len)
			n6 = inkan_view_sub(v, j + 2, v.len - j - 2);
		if (n4.len > 0 && (!v4 || !cidr_number(n4, 32, &t->cidr4)))
			return fail(p, off, "bad IPv4 CIDR length");
	}
	if (n6.ptr != NULL && (!v6 || !cidr_number(n6, 128, &t->cidr6)))
		return fail(p, off, "bad IPv6 CIDR length");
	return INKAN_OK;
}

/* RFC 7208 12 ip4-network: four qnum, no leading zeros. */
bool
spf_ip4_parse(struct inkan_view v, uint8_t out[4])
{
	size_t i = 0, part;

	for (part = 0; part < 4; part++) {
		unsigned n = 0;
		size_t start = i;

		if (part > 0) {
			if (i >= v.len || v.ptr[i] != '.')
				return false;
			start = ++i;
		}
		while (i < v.len && inkan_cc_is(v.ptr[i], INKAN_CC_DIGIT) &&
		    i - start < 3)
			n = n * 10 + (unsigned)(v.ptr[i++] - '0');
		if (i == start || n > 255 ||
		    (i - start > 1 && v.ptr[start] == '0'))
			return false;
		out[part] = (uint8_t)n;
	}
	return i == v.len;
}

/* RFC 4291 2.2 text form, as inet_pton() reads it. */
static bool
ip6_parse(struct inkan_view v, uint8_t out[16])
{
	char buf[64];
	size_t i;

	if (v.len == 0 || v.len >= sizeof(buf))
		return false;
	for (i = 0; i < v.len; i++)
		if (!inkan_cc_is(v.ptr[i], INKAN_CC_HEX) && v.ptr[i] != ':' &&
		    v.ptr[i] != '.')
			return false;
	memcpy(buf, v.ptr, v.len);
	buf[v.len] = '\0';
	return inet_pton(AF_INET6, buf, out) == 1;
}

/* Clears the host bits of net[0..bytes) past prefix bits. */
static void
mask_net(uint8_t *net, size_t bytes, unsigned prefix)
{
	size_t i, lo;

	for (i = 0; i < bytes; i++) {
		lo = i * 8;
		if (lo >= prefix)
			net[i] = 0;
		else if (prefix - lo < 8)
			net[i] &= (uint8_t)(0xff00u >> (prefix - lo));
	}
}

static const struct {
	const char *name;
	enum spf_mech mech;
} mech_names[] = {
	{ "all", SPF_MECH_ALL },
	{ "include", SPF_MECH_INCLUDE },
	{ "a", SPF_MECH_A },
	{ "mx", SPF_MECH_MX },
	{ "ptr", SPF_MECH_PTR },
	{ "ip4", SPF_MECH_IP4 },
	{ "ip6", SPF_MECH_IP6 },
	{ "exists", SPF_MECH_EXISTS },
};

/* A mechanism: name (known), then its arguments in args. */
static enum inkan_status
mechanism(struct parser *p, struct spf_term *t, enum spf_mech m,
    size_t args_off, struct inkan_view args)
{
	struct inkan_view dom = args, cidr = { NULL, 0 };
	bool macro = false;
	size_t c;
	enum inkan_status st;
	char q[64];

	t->mech = (uint8_t)m;
	t->cidr4 = 32;
	t->cidr6 = 128;
	switch (m) {
	case SPF_MECH_ALL:
		/* RFC 7208 5.1: "all" takes no argument. */
		if (args.len > 0)
			return fail(p, args_off, "\"all\" takes no arguments");
		return INKAN_OK;
	case SPF_MECH_IP4:
	case SPF_MECH_IP6:
		if (args.len < 2 || args.ptr[0] != ':')
			return fail(p, args_off, "ip4/ip6 need \":address\"");
		dom = inkan_view_sub(args, 1, args.len - 1);
		c = inkan_view_find(dom, '/');
		cidr = inkan_view_sub(dom, c, dom.len - c);
		dom.len = c;
		if (m == SPF_MECH_IP4) {
			if (!spf_ip4_parse(dom, t->net))
				return fail(p, args_off + 1,
				    "bad IPv4 network \"%s\"",
				    quote(dom, q, sizeof(q)));
			if (cidr.len > 0 &&
			    !cidr_number(inkan_view_sub(cidr, 1, cidr.len - 1),
				32, &t->cidr4))
				return fail(p, args_off + 1 + c,
				    "bad IPv4 CIDR length");
			mask_net(t->net, 4, t->cidr4);
		} else {
			if (!ip6_parse(dom, t->net))
				return fail(p, args_off + 1,
				    "bad IPv6 network \"%s\"",
				    quote(dom, q, sizeof(q)));
			if (cidr.len > 0 &&
			    !cidr_number(inkan_view_sub(cidr, 1, cidr.len - 1),
				128, &t->cidr6))
				return fail(p, args_off + 1 + c,
				    "bad IPv6 CIDR length");
			mask_net(t->net, 16, t->cidr6);
		}
		return INKAN_OK;
	case SPF_MECH_A:
	case SPF_MECH_MX:
		c = cidr_start(args);
		cidr = inkan_view_sub(args, c, args.len - c);
		dom.len = c;
		if ((st = dual_cidr(p, args_off + c, cidr, true, true, t)) !=
		    INKAN_OK)
			return st;
		break;
	case SPF_MECH_INCLUDE:
	case SPF_MECH_PTR:
	case SPF_MECH_EXISTS:
		break;
	}
	if (dom.len == 0) {
		if (m == SPF_MECH_INCLUDE || m == SPF_MECH_EXISTS)
			return fail(p, args_off, "mechanism needs \":domain\"");
		return INKAN_OK;
	}
	if (dom.ptr[0] != ':')
		return fail(p, args_off, "\":\" expected after the mechanism");
	dom = inkan_view_sub(dom, 1, dom.len - 1);
	if ((st = domain_spec(p, args_off + 1, dom, &macro)) != INKAN_OK)
		return st;
	t->flags |= SPF_TERM_DOMAIN | (macro ? SPF_TERM_MACRO : 0);
	t->dom_off = (uint32_t)(args_off + 1);
	t->dom_len = (uint32_t)dom.len;
	return INKAN_OK;
}

/* name "=" value at p->pos (RFC 7208 6, 4.6.1). */
static enum inkan_status
modifier(struct parser *p, struct inkan_view term, size_t name_len)
{
	struct inkan_view name = inkan_view_sub(term, 0, name_len);
	struct inkan_view value =
	    inkan_view_sub(term, name_len + 1, term.len - name_len - 1);
	size_t voff = p->pos + name_len + 1, bad;
	struct spf_modifier *m = NULL;
	const char *why;
	bool macro;
	enum inkan_status st;
	char q[64];

	if (inkan_view_eq_cstr_nocase(name, "redirect"))
		m = &p->rec->redirect;
	else if (inkan_view_eq_cstr_nocase(name, "exp"))
		m = &p->rec->exp;
	if (m == NULL) {
		/* RFC 7208 6: unknown modifiers are ignored, but their
		   value must still be a macro-string (4.6.1). */
		if (!spf_macro_check(value, SPF_MACRO_ANY, &macro, &bad, &why))
			return fail(p, voff + bad, "%s in modifier \"%s\"", why,
			    quote(name, q, sizeof(q)));
		return INKAN_OK;
	}
	/* RFC 7208 6: redirect and exp each at most once; more is a
	   syntax error. */
	if (m->present)
		return fail(p, p->pos, "\"%s\" appears more than once",
		    quote(name, q, sizeof(q)));
	if ((st = domain_spec(p, voff, value, &macro)) != INKAN_OK)
		return st;
	m->present = true;
	m->macro = macro;
	m->off = (uint32_t)p->pos;
	m->len = (uint32_t)term.len;
	m->dom_off = (uint32_t)voff;
	m->dom_len = (uint32_t)value.len;
	return INKAN_OK;
}

/* One term at p->pos. */
static enum inkan_status
term(struct parser *p, struct inkan_view term)
{
	struct spf_term *t = &p->rec->terms[p->rec->nterms];
	struct inkan_view name, args;
	size_t i = 0, n;
	enum inkan_spf_result q = INKAN_SPF_PASS;
	bool qualified = true;
	char buf[64];

	switch (term.ptr[0]) {
	case '+':
		break;
	case '-':
		q = INKAN_SPF_FAIL;
		break;
	case '~':
		q = INKAN_SPF_SOFTFAIL;
		break;
	case '?':
		q = INKAN_SPF_NEUTRAL;
		break;
	default:
		qualified = false;
	}
	if (qualified)
		i = 1;
	/* RFC 7208 12: name = ALPHA *( ALPHA / DIGIT / "-" / "_" / "." ) */
	n = i;
	if (n < term.len && inkan_cc_is(term.ptr[n], INKAN_CC_ALPHA))
		while (n < term.len &&
		    (inkan_cc_is(term.ptr[n], INKAN_CC_ALNUM) ||
			term.ptr[n] == '-' || term.ptr[n] == '_' ||
			term.ptr[n] == '.'))
			n++;
	name = inkan_view_sub(term, i, n - i);
	if (n < term.len && term.ptr[n] == '=') {
		if (qualified || name.len == 0)
			return fail(p, p->pos, "bad modifier name");
		return modifier(p, term, n);
	}
	/* A mechanism name is letters and digits; stop before ':' '/'. */
	args = inkan_view_sub(term, n, term.len - n);
	for (i = 0; i < sizeof(mech_names) / sizeof(mech_names[0]); i++) {
		if (!inkan_view_eq_cstr_nocase(name, mech_names[i].name))
			continue;
		t->result = (uint8_t)q;
		t->off = (uint32_t)p->pos;
		t->len = (uint32_t)term.len;
		if (args.len > 0 && args.ptr[0] != ':' && args.ptr[0] != '/')
			break;
		if (mechanism(p, t, mech_names[i].mech, p->pos + n, args) !=
		    INKAN_OK)
			return INKAN_ERR_SYNTAX;
		p->rec->nterms++;
		return INKAN_OK;
	}
	return fail(p, p->pos, "unknown mechanism \"%s\"",
	    quote(term, buf, sizeof(buf)));
}

void
spf_record_ref(struct inkan_spf_record *rec)
{
	rec->refs++;
}

enum inkan_status
inkan_spf_record_parse(const void *text, size_t len,
    const struct inkan_limits *limits, struct inkan_spf_record **rec_r,
    struct inkan_spf_error *err_r)
{
	const uint8_t *s = text;
	struct parser p = { s, len, 0, NULL, err_r };
	struct inkan_spf_record *rec = NULL;
	size_t i, nterms = 0, size, tsize;
	enum inkan_status st = INKAN_ERR_SYNTAX;

	if (rec_r == NULL || (text == NULL && len > 0))
		return INKAN_ERR_INVAL;
	*rec_r = NULL;
	if (limits == NULL)
		limits = inkan_limits_defaults();
	if (err_r != NULL) {
		err_r->offset = 0;
		err_r->message[0] = '\0';
	}
	if (len > limits->spf_record_max || len > UINT32_MAX) {
		fail(&p, 0, "record longer than %zu bytes",
		    limits->spf_record_max);
		return INKAN_ERR_LIMIT;
	}
	/* RFC 7208 4.5: "v=spf1" followed by SP or the end. */
	if (len < 6 ||
	    !inkan_view_prefix_nocase(
		inkan_view_make(s, len), INKAN_VIEW_LIT("v=spf1")) ||
	    (len > 6 && s[6] != ' '))
		return fail(&p, 0, "record does not start with \"v=spf1\"");
	/* Count the terms first: one allocation holds them all. */
	for (i = 6; i < len; i++) {
		if (s[i] != ' ' && s[i - 1] == ' ')
			nterms++;
		/* RFC 7208 3.1, 12: printable ASCII and SP only. */
		if (s[i] != ' ' && (s[i] < 0x21 || s[i] > 0x7e))
			return fail(&p, i, "byte 0x%02x is not allowed",
			    (unsigned)s[i]);
	}
	if (nterms > limits->spf_terms_max) {
		fail(&p, 0, "more than %zu terms", limits->spf_terms_max);
		return INKAN_ERR_LIMIT;
	}
	tsize = nterms * sizeof(struct spf_term);
	size = sizeof(*rec) + tsize + len + 1;
	if ((rec = calloc(1, size)) == NULL)
		return INKAN_ERR_NOMEM;
	rec->refs = 1;
	rec->terms = (struct spf_term *)(void *)(rec + 1);
	rec->text = (char *)rec->terms + tsize;
	memcpy(rec->text, s, len);
	rec->text[len] = '\0';
	rec->len = len;
	p.rec = rec;
	for (i = 6; i < len;) {
		size_t end;

		if (s[i] == ' ') {
			i++;
			continue;
		}
		for (end = i; end < len && s[end] != ' '; end++)
			;
		p.pos = i;
		if ((st = term(&p, inkan_view_make(s + i, end - i))) !=
		    INKAN_OK)
			goto out;
		i = end;
	}
	st = INKAN_OK;
	*rec_r = rec;
	rec = NULL;
out:
	free(rec);
	return st;
}

void
inkan_spf_record_free(struct inkan_spf_record **rec)
{
	if (rec == NULL || *rec == NULL)
		return;
	if (--(*rec)->refs == 0)
		free(*rec);
	*rec = NULL;
}
