/*
 * parse.c: the Authentication-Results parser (RFC 8601 2.2) and the
 * ARC-Authentication-Results prefix (RFC 8617 4.1.1).
 *
 * A recursive-descent reader over a cursor, one function per ABNF rule.
 * CFWS (RFC 5322 3.2.2) is skipped by one function that also enforces
 * the comment depth limit and refuses bare CR, bare LF and control
 * characters; every string handed back is copied (decoded) into an arena
 * that belongs to the result.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <inkan/authres.h>

#include "authres/authres_impl.h"

struct parser {
	struct inkan_cursor c;
	const struct inkan_limits *lim;
	struct inkan_arena *arena;
	struct inkan_authres_error *err;
	enum inkan_status st; /* first error, INKAN_OK while none */
	size_t cfws; /* bytes the last skip_cfws() consumed */
};

/* Records the first error at the cursor; returns false for chaining. */
static bool __attribute__((format(printf, 3, 4)))
fail(struct parser *p, enum inkan_status st, const char *fmt, ...)
{
	va_list ap;

	if (p->st != INKAN_OK)
		return false;
	p->st = st;
	if (p->err != NULL) {
		p->err->offset = p->c.pos;
		va_start(ap, fmt);
		vsnprintf(p->err->message, sizeof(p->err->message), fmt, ap);
		va_end(ap);
	}
	return false;
}

static int
peek(const struct parser *p)
{
	return p->st == INKAN_OK ? inkan_cursor_peek(&p->c) : -1;
}

/*
 * A line break inside the value must be folding (RFC 5322 2.2.3): CRLF
 * or LF followed by WSP. Consumes it and returns true, or returns false
 * without consuming anything.
 */
static bool
accept_fold(struct parser *p)
{
	size_t n = 0;
	int c;

	if (inkan_cursor_peek(&p->c) == '\r')
		n = 1;
	if (inkan_cursor_peek_at(&p->c, n) != '\n')
		return false;
	c = inkan_cursor_peek_at(&p->c, n + 1);
	if (c != ' ' && c != '\t')
		return false;
	inkan_cursor_skip(&p->c, n + 1);
	return true;
}

/* Bytes allowed in a comment or quoted-string besides the delimiters:
 * printable ASCII and WSP (RFC 5322 3.2.2 ctext, 3.2.4 qtext) and 8-bit
 * bytes (RFC 6532 3.2 UTF-8 text). */
static bool
is_text(int c)
{
	return c == ' ' || c == '\t' || (c >= 0x21 && c <= 0x7e) || c >= 0x80;
}

/* RFC 5322 3.2.2: skips a comment, nested to authres_comment_depth. */
static bool
skip_comment(struct parser *p)
{
	size_t depth = 0;
	int c;

	do {
		c = inkan_cursor_peek(&p->c);
		if (c < 0)
			return fail(p, INKAN_ERR_SYNTAX, "unclosed comment");
		if (c == '(') {
			if (++depth > p->lim->authres_comment_depth)
				return fail(p, INKAN_ERR_LIMIT,
				    "comments nested deeper than %zu",
				    p->lim->authres_comment_depth);
			inkan_cursor_skip(&p->c, 1);
		} else if (c == ')') {
			depth--;
			inkan_cursor_skip(&p->c, 1);
		} else if (c == '\\') {
			/* RFC 5322 3.2.1 quoted-pair */
			c = inkan_cursor_peek_at(&p->c, 1);
			if (!is_text(c))
				return fail(p, INKAN_ERR_SYNTAX,
				    "bad quoted-pair in comment");
			inkan_cursor_skip(&p->c, 2);
		} else if (is_text(c)) {
			inkan_cursor_skip(&p->c, 1);
		} else if (!accept_fold(p)) {
			return fail(p, INKAN_ERR_SYNTAX,
			    "control character 0x%02x in comment", (unsigned)c);
		}
	} while (depth > 0);
	return true;
}

/* RFC 5322 3.2.2 CFWS, possibly empty; p->cfws says how much. */
static bool
skip_cfws(struct parser *p)
{
	size_t start = p->c.pos;
	int c;

	while (p->st == INKAN_OK) {
		c = inkan_cursor_peek(&p->c);
		if (c == ' ' || c == '\t')
			inkan_cursor_skip(&p->c, 1);
		else if (c == '(')
			skip_comment(p);
		else if (!accept_fold(p))
			break;
	}
	p->cfws = p->c.pos - start;
	return p->st == INKAN_OK;
}

/* The next byte, if it is a control character the grammar never allows. */
static bool
check_ctl(struct parser *p)
{
	int c = peek(p);

	if (c >= 0 && (c < 0x20 || c == 0x7f))
		return fail(p, INKAN_ERR_SYNTAX, "control character 0x%02x",
		    (unsigned)c);
	return true;
}

/* RFC 8601 2.2 Keyword = ldh-str (RFC 5321 4.1.2): letters, digits and
 * hyphens, not ending in a hyphen. */
static bool
read_keyword(struct parser *p, const char *what, struct inkan_view *v_r)
{
	inkan_cursor_take_while(&p->c, INKAN_CC_LDH, v_r);
	if (v_r->len == 0) {
		check_ctl(p);
		return fail(p, INKAN_ERR_SYNTAX, "expected %s", what);
	}
	if (v_r->ptr[v_r->len - 1] == '-') {
		inkan_cursor_seek(&p->c, p->c.pos - v_r->len);
		return fail(p, INKAN_ERR_SYNTAX, "%s ends in a hyphen", what);
	}
	return true;
}

/* RFC 2045 5.1 token: any CHAR except SP, CTLs and tspecials. */
bool
authres_is_token_char(uint8_t c)
{
	return c > 0x20 && c < 0x7f && strchr("()<>@,;:\\\"/[]?=", c) == NULL;
}

/*
 * A bare property value: RFC 5322 atext and '.', which is a token, a
 * dot-atom local-part or a domain, and also lets '/', '=' and '?'
 * through unquoted (tspecials, but base64 header.b values are commonly
 * written bare).
 */
static bool
is_bare_char(uint8_t c)
{
	return inkan_cc_is(c, INKAN_CC_ATEXT) || c == '.';
}

static char *
dup_view(struct parser *p, struct inkan_view v)
{
	char *s = inkan_arena_strndup(p->arena, v.ptr, v.len);

	if (s == NULL)
		fail(p, INKAN_ERR_NOMEM, "out of memory");
	return s;
}

/*
 * RFC 5322 3.2.4 quoted-string, at the opening quote: one pass over it
 * that checks it and, when out is not NULL, writes its decoded content
 * (quotes and quoted-pair backslashes removed, folding line breaks
 * removed, their WSP kept). Returns the decoded length via *n_r.
 */
static bool
scan_quoted(struct parser *p, char *out, size_t *n_r)
{
	size_t start = p->c.pos, n = 0;
	int c;

	inkan_cursor_skip(&p->c, 1);
	for (;;) {
		c = inkan_cursor_peek(&p->c);
		if (c < 0) {
			inkan_cursor_seek(&p->c, start);
			return fail(
			    p, INKAN_ERR_SYNTAX, "unclosed quoted-string");
		}
		if (c == '"') {
			inkan_cursor_skip(&p->c, 1);
			break;
		}
		if (c == '\\') {
			c = inkan_cursor_peek_at(&p->c, 1);
			if (!is_text(c))
				return fail(p, INKAN_ERR_SYNTAX,
				    "bad quoted-pair in quoted-string");
			inkan_cursor_skip(&p->c, 2);
		} else if (is_text(c)) {
			inkan_cursor_skip(&p->c, 1);
		} else if (accept_fold(p)) {
			continue;
		} else {
			return fail(p, INKAN_ERR_SYNTAX,
			    "control character 0x%02x in quoted-string",
			    (unsigned)c);
		}
		if (out != NULL)
			out[n] = (char)c;
		n++;
	}
	*n_r = n;
	return true;
}

/* A quoted-string, decoded into the arena; NULL on error. */
static char *
read_quoted(struct parser *p)
{
	size_t start = p->c.pos, n;
	char *s;

	if (!scan_quoted(p, NULL, &n))
		return NULL;
	if ((s = inkan_arena_alloc(p->arena, n + 1)) == NULL) {
		fail(p, INKAN_ERR_NOMEM, "out of memory");
		return NULL;
	}
	inkan_cursor_seek(&p->c, start);
	scan_quoted(p, s, &n);
	s[n] = '\0';
	return s;
}

/* RFC 2045 5.1 value = token / quoted-string. */
static char *
read_value(struct parser *p, const char *what, bool *quoted_r)
{
	struct inkan_view v;
	size_t start = p->c.pos;

	*quoted_r = false;
	if (peek(p) == '"') {
		*quoted_r = true;
		return read_quoted(p);
	}
	while (inkan_cursor_left(&p->c) > 0 &&
	    authres_is_token_char((uint8_t)inkan_cursor_peek(&p->c)))
		inkan_cursor_skip(&p->c, 1);
	v = inkan_view_make(p->c.ptr + start, p->c.pos - start);
	if (v.len == 0) {
		check_ctl(p);
		fail(p, INKAN_ERR_SYNTAX, "expected %s", what);
		return NULL;
	}
	return dup_view(p, v);
}

/* RFC 6376 3.5 domain-name, leniently: LDH labels and dots. */
static bool
take_domain(struct parser *p)
{
	size_t start = p->c.pos;

	while (inkan_cursor_left(&p->c) > 0) {
		uint8_t c = (uint8_t)inkan_cursor_peek(&p->c);

		if (!inkan_cc_is(c, INKAN_CC_LDH) && c != '.')
			break;
		inkan_cursor_skip(&p->c, 1);
	}
	if (p->c.pos == start)
		return fail(p, INKAN_ERR_SYNTAX, "expected a domain after '@'");
	return true;
}

/*
 * RFC 8601 2.2 pvalue = [CFWS] ( value / [ [ local-part ] "@" ]
 * domain-name ) [CFWS]; the leading CFWS is skipped by the caller.
 */
static char *
read_pvalue(struct parser *p, bool *quoted_r)
{
	size_t start = p->c.pos, qlen;
	char *q, *s;

	*quoted_r = false;
	if (peek(p) == '"') {
		if ((q = read_quoted(p)) == NULL)
			return NULL;
		if (peek(p) != '@') {
			*quoted_r = true;
			return q;
		}
		/* A quoted local-part: keep it as written, quotes and all. */
		inkan_cursor_skip(&p->c, 1);
		if (!take_domain(p))
			return NULL;
		qlen = p->c.pos - start;
		return dup_view(p, inkan_view_make(p->c.ptr + start, qlen));
	}
	while (inkan_cursor_left(&p->c) > 0 &&
	    is_bare_char((uint8_t)inkan_cursor_peek(&p->c)))
		inkan_cursor_skip(&p->c, 1);
	if (peek(p) == '@') {
		inkan_cursor_skip(&p->c, 1);
		if (!take_domain(p))
			return NULL;
	}
	if (p->c.pos == start) {
		check_ctl(p);
		fail(p, INKAN_ERR_SYNTAX, "expected a property value");
		return NULL;
	}
	s = dup_view(p, inkan_view_make(p->c.ptr + start, p->c.pos - start));
	return s;
}

/* 1*DIGIT, at most max; false (and an error) otherwise. */
static bool
read_number(struct parser *p, unsigned max, const char *what, unsigned *n_r)
{
	unsigned long n = 0;
	size_t digits = 0;
	int c;

	while ((c = peek(p)) >= '0' && c <= '9') {
		n = n * 10 + (unsigned long)(c - '0');
		if (n > max)
			return fail(p, INKAN_ERR_SYNTAX, "%s larger than %u",
			    what, max);
		inkan_cursor_skip(&p->c, 1);
		digits++;
	}
	if (digits == 0)
		return fail(p, INKAN_ERR_SYNTAX, "expected %s", what);
	*n_r = (unsigned)n;
	return true;
}

/* RFC 8617 4.1.1: [CFWS] "i" [CFWS] "=" [CFWS] 1*DIGIT [CFWS] ";". */
static bool
read_instance(struct parser *p, unsigned *instance_r)
{
	skip_cfws(p);
	if (!inkan_cursor_accept_nocase(&p->c, "i"))
		return fail(
		    p, INKAN_ERR_SYNTAX, "expected i= (RFC 8617 4.1.1)");
	skip_cfws(p);
	if (!inkan_cursor_accept(&p->c, '='))
		return fail(p, INKAN_ERR_SYNTAX, "expected '=' after i");
	skip_cfws(p);
	/* RFC 8617 4.2.1: instances run from 1 to 50. */
	if (!read_number(p, 50, "an instance number", instance_r))
		return false;
	if (*instance_r == 0)
		return fail(p, INKAN_ERR_SYNTAX, "instance 0 (RFC 8617 4.2.1)");
	skip_cfws(p);
	if (!inkan_cursor_accept(&p->c, ';'))
		return fail(p, INKAN_ERR_SYNTAX, "expected ';' after i=");
	return p->st == INKAN_OK;
}

/* Strips the field name (with INKAN_AUTHRES_WITH_NAME) and sets the ARC
 * flag from it. */
static bool
read_name(struct parser *p, unsigned *flags)
{
	if (inkan_cursor_accept_nocase(&p->c, "ARC-Authentication-Results"))
		*flags |= INKAN_AUTHRES_ARC;
	else if (inkan_cursor_accept_nocase(&p->c, "Authentication-Results"))
		*flags &= ~(unsigned)INKAN_AUTHRES_ARC;
	else
		return fail(
		    p, INKAN_ERR_SYNTAX, "not an Authentication-Results field");
	/* RFC 5322 4.5: obsolete WSP before the colon. */
	inkan_cursor_skip_while(&p->c, INKAN_CC_WSP);
	if (!inkan_cursor_accept(&p->c, ':'))
		return fail(p, INKAN_ERR_SYNTAX, "expected ':' after the name");
	return true;
}

/* The input without one final CRLF or LF. */
static size_t
strip_eol(const uint8_t *s, size_t len)
{
	if (len > 0 && s[len - 1] == '\n') {
		len--;
		if (len > 0 && s[len - 1] == '\r')
			len--;
	}
	return len;
}

/* The prefix shared by parse and authserv_id: name, instance, id. */
static char *
read_head(struct parser *p, unsigned flags, unsigned *instance_r)
{
	bool quoted;
	char *id;

	*instance_r = 0;
	if ((flags & INKAN_AUTHRES_WITH_NAME) && !read_name(p, &flags))
		return NULL;
	if ((flags & INKAN_AUTHRES_ARC) && !read_instance(p, instance_r))
		return NULL;
	skip_cfws(p);
	/* RFC 8601 2.2 authserv-id = value */
	if ((id = read_value(p, "an authserv-id", &quoted)) == NULL)
		return NULL;
	if (id[0] == '\0') {
		fail(p, INKAN_ERR_SYNTAX, "empty authserv-id");
		return NULL;
	}
	return id;
}

/* Properties of the result being read, before they go to the arena. */
struct props {
	struct inkan_authres_prop *v;
	size_t n;
};

/*
 * RFC 8601 2.2 resinfo after its ";": methodspec [CFWS reasonspec]
 * [CFWS 1*propspec]. The ';' has been consumed and CFWS skipped.
 */
static bool
read_resinfo(struct parser *p, struct props *pr, struct inkan_authres_result *r)
{
	struct inkan_view kw, prop;
	struct inkan_authres_prop *pp;
	bool quoted, had_props = false;

	pr->n = 0;
	/* methodspec = [CFWS] method [CFWS] "=" [CFWS] result */
	if (!read_keyword(p, "a method", &kw) ||
	    (r->method = dup_view(p, kw)) == NULL)
		return false;
	skip_cfws(p);
	if (inkan_cursor_accept(&p->c, '/')) {
		/* method = Keyword [ [CFWS] "/" [CFWS] method-version ] */
		skip_cfws(p);
		if (!read_number(
			p, 65535, "a method version", &r->method_version))
			return false;
		skip_cfws(p);
	}
	if (!inkan_cursor_accept(&p->c, '='))
		return fail(p, INKAN_ERR_SYNTAX, "expected '=' after method");
	skip_cfws(p);
	if (!read_keyword(p, "a result", &kw) ||
	    (r->result = dup_view(p, kw)) == NULL)
		return false;
	for (;;) {
		if (!skip_cfws(p))
			return false;
		if (inkan_cursor_eof(&p->c) || peek(p) == ';')
			break;
		if (p->cfws == 0)
			return fail(p, INKAN_ERR_SYNTAX,
			    "expected white space, ';' or the end");
		if (!read_keyword(p, "a property or reason", &kw))
			return false;
		skip_cfws(p);
		if (!had_props && r->reason == NULL &&
		    inkan_view_eq_cstr_nocase(kw, "reason") && peek(p) == '=') {
			/* reasonspec = "reason" [CFWS] "=" [CFWS] value */
			inkan_cursor_skip(&p->c, 1);
			skip_cfws(p);
			r->reason = read_value(p, "a reason", &quoted);
			if (r->reason == NULL)
				return false;
			continue;
		}
		/* propspec = ptype [CFWS] "." [CFWS] property [CFWS] "="
		 * pvalue */
		if (!inkan_cursor_accept(&p->c, '.'))
			return fail(p, INKAN_ERR_SYNTAX,
			    "expected '.' after a ptype (RFC 8601 2.2 "
			    "propspec is ptype.property=value)");
		skip_cfws(p);
		if (!read_keyword(p, "a property", &prop))
			return false;
		skip_cfws(p);
		if (!inkan_cursor_accept(&p->c, '='))
			return fail(p, INKAN_ERR_SYNTAX,
			    "expected '=' after a property");
		skip_cfws(p);
		if (pr->n >= p->lim->authres_props_max)
			return fail(p, INKAN_ERR_LIMIT,
			    "more than %zu properties in one result",
			    p->lim->authres_props_max);
		pp = &pr->v[pr->n];
		memset(pp, 0, sizeof(*pp));
		if ((pp->ptype = dup_view(p, kw)) == NULL ||
		    (pp->property = dup_view(p, prop)) == NULL ||
		    (pp->value = read_pvalue(p, &pp->quoted)) == NULL)
			return false;
		pr->n++;
		had_props = true;
	}
	if (pr->n > 0) {
		pp = inkan_arena_calloc(p->arena, pr->n, sizeof(*pp));
		if (pp == NULL)
			return fail(p, INKAN_ERR_NOMEM, "out of memory");
		memcpy(pp, pr->v, pr->n * sizeof(*pp));
		r->props = pp;
		r->prop_count = pr->n;
	}
	return p->st == INKAN_OK;
}

/* A parse result and the arena that holds everything it points to. */
struct authres_alloc {
	struct inkan_authres pub; /* first: freed through its address */
	struct inkan_arena arena;
};

static size_t
count_byte(const uint8_t *s, size_t len, uint8_t b)
{
	size_t n = 0, i;

	for (i = 0; i < len; i++)
		n += s[i] == b;
	return n;
}

/*
 * After the authserv-id: RFC 8601 2.2 [CFWS authres-version] [CFWS], the
 * version into *version_r when there is one (it needs CFWS before it).
 */
static bool
read_version(struct parser *p, unsigned *version_r)
{
	skip_cfws(p);
	if (peek(p) >= '0' && peek(p) <= '9') {
		/* authres-version = 1*DIGIT [CFWS] */
		if (p->cfws == 0)
			return fail(p, INKAN_ERR_SYNTAX,
			    "expected white space before the version");
		if (!read_number(p, 65535, "a version", version_r))
			return false;
		skip_cfws(p);
	}
	return p->st == INKAN_OK;
}

/* The body of inkan_authres_parse() once the arguments are checked. */
static void
parse_field(struct parser *p, unsigned flags, struct inkan_authres *ar,
    struct props *pr)
{
	struct inkan_authres_result *results = NULL;
	size_t cap, n = 0;
	struct inkan_view kw;
	size_t save;

	if ((ar->authserv_id = read_head(p, flags, &ar->instance)) == NULL ||
	    !read_version(p, &ar->version))
		return;
	/* Every resinfo starts with ';': their number is at most the
	 * number of ';' bytes, which bounds the array. */
	cap = count_byte(p->c.ptr + p->c.pos, inkan_cursor_left(&p->c), ';');
	if (cap > p->lim->authres_results_max)
		cap = p->lim->authres_results_max;
	if (cap > 0) {
		results = inkan_arena_calloc(p->arena, cap, sizeof(*results));
		if (results == NULL) {
			fail(p, INKAN_ERR_NOMEM, "out of memory");
			return;
		}
	}
	if (!inkan_cursor_accept(&p->c, ';')) {
		check_ctl(p);
		fail(p, INKAN_ERR_SYNTAX, "expected ';' after the authserv-id");
		return;
	}
	skip_cfws(p);
	/* no-result = [CFWS] ";" [CFWS] "none" */
	save = p->c.pos;
	if (inkan_cursor_take_while(&p->c, INKAN_CC_LDH, &kw) > 0 &&
	    inkan_view_eq_cstr_nocase(kw, "none") && skip_cfws(p) &&
	    (inkan_cursor_eof(&p->c) ||
		(inkan_cursor_accept(&p->c, ';') && skip_cfws(p) &&
		    inkan_cursor_eof(&p->c)))) {
		ar->none = true;
		return;
	}
	inkan_cursor_seek(&p->c, save);
	for (;;) {
		if (inkan_cursor_eof(&p->c)) {
			/* A final ';' is tolerated; an empty list is not. */
			if (n == 0)
				fail(p, INKAN_ERR_SYNTAX,
				    "expected a result after ';'");
			break;
		}
		if (n >= p->lim->authres_results_max) {
			fail(p, INKAN_ERR_LIMIT, "more than %zu results",
			    p->lim->authres_results_max);
			return;
		}
		if (!read_resinfo(p, pr, &results[n]))
			return;
		n++;
		if (inkan_cursor_eof(&p->c))
			break;
		if (!inkan_cursor_accept(&p->c, ';')) {
			fail(p, INKAN_ERR_SYNTAX, "expected ';'");
			return;
		}
		skip_cfws(p);
	}
	ar->results = results;
	ar->count = n;
}

enum inkan_status
inkan_authres_parse(const void *input, size_t len, unsigned flags,
    const struct inkan_limits *limits, struct inkan_authres **ar_r,
    struct inkan_authres_error *err_r)
{
	struct authres_alloc *a = NULL;
	struct parser p;
	struct props pr = { NULL, 0 };
	size_t amax;

	if (err_r != NULL) {
		err_r->offset = 0;
		err_r->message[0] = '\0';
	}
	if (ar_r == NULL || (input == NULL && len > 0))
		return INKAN_ERR_INVAL;
	*ar_r = NULL;
	memset(&p, 0, sizeof(p));
	p.lim = limits != NULL ? limits : inkan_limits_defaults();
	p.err = err_r;
	if (len > p.lim->authres_field_max) {
		fail(&p, INKAN_ERR_LIMIT, "field longer than %zu bytes",
		    p.lim->authres_field_max);
		return p.st;
	}
	if ((a = calloc(1, sizeof(*a))) == NULL ||
	    (pr.v = calloc(p.lim->authres_props_max + 1, sizeof(*pr.v))) ==
		NULL) {
		free(a);
		return INKAN_ERR_NOMEM;
	}
	/* Room for every string copied once, the result array and
	 * one property array per result, with chunk overheads. */
	amax = 2 * len + 65536 +
	    p.lim->authres_results_max *
		(sizeof(struct inkan_authres_result) +
		    p.lim->authres_props_max *
			sizeof(struct inkan_authres_prop));
	inkan_arena_init(&a->arena, amax);
	p.arena = &a->arena;
	inkan_cursor_init(&p.c, input, strip_eol(input, len));
	parse_field(&p, flags, &a->pub, &pr);
	if (p.st == INKAN_OK && !inkan_cursor_eof(&p.c)) {
		check_ctl(&p);
		fail(&p, INKAN_ERR_SYNTAX, "unexpected text after the results");
	}
	free(pr.v);
	if (p.st != INKAN_OK) {
		inkan_arena_clear(&a->arena);
		free(a);
		return p.st;
	}
	*ar_r = &a->pub;
	return INKAN_OK;
}

void
inkan_authres_free(struct inkan_authres **ar)
{
	struct authres_alloc *a;

	if (ar == NULL || *ar == NULL)
		return;
	/* pub is the first member of the allocation. */
	a = (struct authres_alloc *)(void *)*ar;
	inkan_arena_clear(&a->arena);
	free(a);
	*ar = NULL;
}

/*
 * inkan_authres_authserv_id(), and with rest_r also the version and the
 * ';' after it: *rest_r is the offset of what follows that ';'.
 */
static enum inkan_status
read_id(const void *input, size_t len, unsigned flags, struct inkan_buf *id_out,
    unsigned *instance_r, size_t *rest_r)
{
	struct inkan_arena arena;
	struct parser p;
	unsigned instance = 0, version;
	enum inkan_status st;
	char *id;

	if (id_out == NULL || (input == NULL && len > 0))
		return INKAN_ERR_INVAL;
	memset(&p, 0, sizeof(p));
	p.lim = inkan_limits_defaults();
	if (len > p.lim->authres_field_max)
		return INKAN_ERR_LIMIT;
	inkan_arena_init(&arena, 2 * len + 4096);
	p.arena = &arena;
	inkan_cursor_init(&p.c, input, strip_eol(input, len));
	id = read_head(&p, flags, &instance);
	if (id != NULL && rest_r != NULL && read_version(&p, &version) &&
	    !inkan_cursor_accept(&p.c, ';')) {
		check_ctl(&p);
		fail(
		    &p, INKAN_ERR_SYNTAX, "expected ';' after the authserv-id");
	}
	if (id != NULL && p.st == INKAN_OK)
		st = inkan_buf_append_cstr(id_out, id);
	else
		st = p.st;
	if (st == INKAN_OK && instance_r != NULL)
		*instance_r = instance;
	if (st == INKAN_OK && rest_r != NULL)
		*rest_r = p.c.pos;
	inkan_arena_clear(&arena);
	return st;
}

enum inkan_status
inkan_authres_authserv_id(const void *input, size_t len, unsigned flags,
    struct inkan_buf *id_out, unsigned *instance_r)
{
	return read_id(input, len, flags, id_out, instance_r, NULL);
}

enum inkan_status
authres_read_head(const void *input, size_t len, unsigned flags,
    struct inkan_buf *id_out, unsigned *instance_r, size_t *rest_r)
{
	return read_id(input, len, flags, id_out, instance_r, rest_r);
}

size_t
inkan_authres_find(
    const struct inkan_authres *ar, const char *method, size_t from)
{
	size_t i;

	if (ar == NULL || method == NULL)
		return ar != NULL ? ar->count : 0;
	for (i = from; i < ar->count; i++)
		if (inkan_view_eq_cstr_nocase(
			inkan_view_cstr(ar->results[i].method), method))
			return i;
	return ar->count;
}

const char *
inkan_authres_prop_value(const struct inkan_authres_result *r,
    const char *ptype, const char *property)
{
	size_t i;

	if (r == NULL || ptype == NULL || property == NULL)
		return NULL;
	for (i = 0; i < r->prop_count; i++)
		if (inkan_view_eq_cstr_nocase(
			inkan_view_cstr(r->props[i].ptype), ptype) &&
		    inkan_view_eq_cstr_nocase(
			inkan_view_cstr(r->props[i].property), property))
			return r->props[i].value;
	return NULL;
}
