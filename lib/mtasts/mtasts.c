/*
 * mtasts.c: the MTA-STS TXT record and policy file (RFC 8461 3.1, 3.2),
 * the checks on the HTTPS response that carries a policy (3.3), and MX
 * host matching (4.1).
 *
 * Both grammars are small and line- or field-based, so each parser is a
 * single pass over a cursor. The policy is strict where the grammar is
 * (key names and values are case-sensitive, RFC 8461 uses %s strings) and
 * accepts what erratum 6253 makes explicit (LF or CRLF line ends), plus
 * blank lines and trailing white space, which change no meaning.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <inkan/mtasts.h>
#include <inkan/util.h>

#include "util/textrec.h"

/* An RFC 1035 2.3.4 host name in text: 253 octets without the final dot. */
#define HOST_TEXT_MAX 253

struct policy_impl {
	struct inkan_mtasts_policy pub; /* first: freed through its address */
	struct inkan_arena arena; /* the mx array and strings */
};

static enum inkan_status fail(struct inkan_mtasts_error *err, size_t off,
    enum inkan_status st, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static enum inkan_status
fail(struct inkan_mtasts_error *err, size_t off, enum inkan_status st,
    const char *fmt, ...)
{
	va_list ap;

	if (err != NULL) {
		err->offset = off;
		va_start(ap, fmt);
		vsnprintf(err->message, sizeof(err->message), fmt, ap);
		va_end(ap);
	}
	return st;
}

/* ---- the TXT record ------------------------------------------------------ */

bool
inkan_mtasts_record_is_sts(const void *text, size_t len)
{
	const uint8_t *p = text;
	size_t i;

	if (p == NULL || len < 7 || memcmp(p, "v=STSv1", 7) != 0)
		return false;
	i = textrec_skip_wsp(p, 7, len);
	return i < len && p[i] == ';';
}

/* RFC 8461 3.1 sts-ext-value: %x21-3A / %x3C / %x3E-7E. */
static bool
record_ext_char(uint8_t c)
{
	return c >= 0x21 && c <= 0x7e && c != ';' && c != '=';
}

enum inkan_status
inkan_mtasts_record_parse(const void *text, size_t len,
    struct inkan_mtasts_record *rec_r, struct inkan_mtasts_error *err)
{
	const uint8_t *p = text;
	struct inkan_mtasts_record rec;
	bool have_id = false;
	size_t i, n;

	memset(&rec, 0, sizeof(rec));
	if (p == NULL && len > 0)
		return INKAN_ERR_INVAL;
	/* RFC 8461 3.1: the version comes first, exactly "v=STSv1". */
	if (len < 7 || memcmp(p, "v=STSv1", 7) != 0)
		return fail(err, 0, INKAN_ERR_SYNTAX,
		    "the record does not begin with \"v=STSv1\"");
	i = 7;
	for (;;) {
		/* sts-field-delim = *WSP ";" *WSP */
		i = textrec_skip_wsp(p, i, len);
		if (i == len)
			break;
		if (p[i] != ';')
			return fail(err, i, INKAN_ERR_SYNTAX,
			    "expected \";\" between fields");
		i = textrec_skip_wsp(p, i + 1, len);
		if (i == len)
			break; /* the optional final delimiter */
		if ((n = textrec_ext_name(p, i, len)) == 0 || i + n >= len ||
		    p[i + n] != '=')
			return fail(err, i, INKAN_ERR_SYNTAX,
			    "expected a field name (up to 32 letters, digits, "
			    "\"_\", \"-\", \".\") and \"=\"");
		if (n == 2 && memcmp(p + i, "id", 2) == 0) {
			size_t v = i + 3, m = 0;

			if (have_id)
				return fail(err, i, INKAN_ERR_SYNTAX,
				    "id is given twice");
			while (v + m < len &&
			    inkan_cc_is(p[v + m], INKAN_CC_ALNUM))
				m++;
			if (m == 0 || m > INKAN_MTASTS_ID_MAX)
				return fail(err, v, INKAN_ERR_SYNTAX,
				    "id must be 1 to 32 letters and digits");
			memcpy(rec.id, p + v, m);
			rec.id[m] = '\0';
			have_id = true;
			i = v + m;
		} else {
			size_t v = i + n + 1, m = 0;

			while (v + m < len && record_ext_char(p[v + m]))
				m++;
			if (m == 0)
				return fail(err, v, INKAN_ERR_SYNTAX,
				    "a field has an empty or invalid value");
			rec.extensions++;
			i = v + m;
		}
	}
	if (!have_id)
		return fail(err, len, INKAN_ERR_SYNTAX, "id is missing");
	*rec_r = rec;
	return INKAN_OK;
}

static bool
is_sts(const void *text, size_t len)
{
	return inkan_mtasts_record_is_sts(text, len);
}

enum inkan_status
inkan_mtasts_record_lookup(struct inkan_resolver *r, const char *domain,
    struct inkan_mtasts_record *rec_r,
    enum inkan_mtasts_lookup_status *status_r, struct inkan_mtasts_error *err)
{
	return inkan_mtasts_record_lookup_text(
	    r, domain, rec_r, status_r, NULL, err);
}

enum inkan_status
inkan_mtasts_record_lookup_text(struct inkan_resolver *r, const char *domain,
    struct inkan_mtasts_record *rec_r,
    enum inkan_mtasts_lookup_status *status_r, struct inkan_buf *text,
    struct inkan_mtasts_error *err)
{
	enum inkan_dns_txt_pick_result pick;
	struct inkan_buf txt;
	enum inkan_status st;

	*status_r = INKAN_MTASTS_LOOKUP_NONE;
	inkan_buf_init(&txt, 65536);
	st = inkan_dns_txt_pick(
	    r, "_mta-sts", domain, is_sts, &txt, &pick, NULL);
	if (st == INKAN_ERR_SYNTAX)
		fail(err, 0, st, "\"%.100s\" is not a domain name",
		    domain != NULL ? domain : "");
	if (st != INKAN_OK)
		goto out;
	switch (pick) {
	case INKAN_DNS_PICK_NONE:
		fail(err, 0, INKAN_OK,
		    "no TXT record at _mta-sts.%s begins with "
		    "\"v=STSv1;\"",
		    domain);
		break;
	case INKAN_DNS_PICK_SEVERAL:
		*status_r = INKAN_MTASTS_LOOKUP_SEVERAL;
		fail(err, 0, INKAN_OK,
		    "several TXT records at _mta-sts.%s begin with "
		    "\"v=STSv1;\" (RFC 8461 3.1: then none counts)",
		    domain);
		break;
	case INKAN_DNS_PICK_TEMPERROR:
		*status_r = INKAN_MTASTS_LOOKUP_TEMPERROR;
		fail(err, 0, INKAN_OK,
		    "the TXT lookup of _mta-sts.%s failed "
		    "temporarily",
		    domain);
		break;
	case INKAN_DNS_PICK_ONE:
		if (inkan_mtasts_record_parse(txt.data, txt.len, rec_r, err) ==
		    INKAN_OK)
			*status_r = INKAN_MTASTS_LOOKUP_FOUND;
		else
			*status_r = INKAN_MTASTS_LOOKUP_INVALID;
		if (text != NULL)
			(void)inkan_buf_append(text, txt.data, txt.len);
		break;
	}
out:
	inkan_buf_clear(&txt);
	return st;
}

/* ---- the policy ---------------------------------------------------------- */

const char *
inkan_mtasts_mode_name(enum inkan_mtasts_mode m)
{
	switch (m) {
	case INKAN_MTASTS_NONE:
		return "none";
	case INKAN_MTASTS_TESTING:
		return "testing";
	case INKAN_MTASTS_ENFORCE:
		return "enforce";
	}
	return "none";
}

/*
 * RFC 8461 3.2 sts-policy-mx-value = ["*."] Domain, Domain as in RFC 5321
 * 4.1.2: LDH labels of 1 to 63 octets that start and end with a letter
 * or digit. One trailing dot is accepted. Returns the length without the
 * dot, or 0 if v is not such a pattern.
 */
static size_t
mx_pattern_len(struct inkan_view v)
{
	size_t i = 0, label = 0, len = v.len;

	if (len > 0 && v.ptr[len - 1] == '.')
		len--;
	if (len >= 2 && v.ptr[0] == '*' && v.ptr[1] == '.')
		i = 2;
	if (len - i == 0 || len - i > HOST_TEXT_MAX)
		return 0;
	for (; i < len; i++) {
		uint8_t c = v.ptr[i];

		if (c == '.') {
			if (label == 0 || v.ptr[i - 1] == '-')
				return 0;
			label = 0;
		} else if (inkan_cc_is(c, INKAN_CC_ALNUM) ||
		    (c == '-' && label > 0)) {
			if (++label > INKAN_DNS_LABEL_MAX)
				return 0;
		} else {
			return 0;
		}
	}
	if (label == 0 || v.ptr[len - 1] == '-')
		return 0;
	return len;
}

/* RFC 8461 3.2 sts-policy-ext-value: VCHAR or UTF-8, WSP inside. */
static bool
policy_value_ok(struct inkan_view v)
{
	size_t i;

	if (v.len == 0)
		return false;
	for (i = 0; i < v.len; i++)
		if (v.ptr[i] < 0x20 ? v.ptr[i] != '\t' : v.ptr[i] == 0x7f)
			return false;
	return true;
}

static bool
value_is(struct inkan_view v, const char *s)
{
	size_t n = strlen(s);

	return v.len == n && memcmp(v.ptr, s, n) == 0;
}

struct policy_parse {
	const uint8_t *p;
	const struct inkan_limits *lim;
	struct policy_impl *pi;
	struct inkan_mtasts_error *err;
	bool have_version, have_mode, have_max_age;
	size_t mxcap;
	char **mx;
};

static enum inkan_status
add_mx(struct policy_parse *pp, struct inkan_view v, size_t off)
{
	size_t n = mx_pattern_len(v), k;
	char *s;

	if (n == 0)
		return fail(pp->err, off, INKAN_ERR_SYNTAX,
		    "mx is not a host name or \"*.\" and a host name");
	if (pp->pi->pub.nmx >= pp->lim->mtasts_mx_max)
		return fail(pp->err, off, INKAN_ERR_LIMIT,
		    "more than %zu mx patterns", pp->lim->mtasts_mx_max);
	if (pp->pi->pub.nmx == pp->mxcap) {
		size_t cap = pp->mxcap == 0 ? 8 : pp->mxcap * 2;
		char **mx =
		    inkan_arena_calloc(&pp->pi->arena, cap, sizeof(*mx));

		if (mx == NULL)
			return INKAN_ERR_NOMEM;
		if (pp->pi->pub.nmx > 0)
			memcpy(mx, pp->mx, pp->pi->pub.nmx * sizeof(*mx));
		pp->mx = mx;
		pp->mxcap = cap;
		pp->pi->pub.mx = (const char *const *)mx;
	}
	if ((s = inkan_arena_strndup(&pp->pi->arena, v.ptr, n)) == NULL)
		return INKAN_ERR_NOMEM;
	for (k = 0; k < n; k++)
		s[k] = (char)inkan_ascii_lower((uint8_t)s[k]);
	pp->mx[pp->pi->pub.nmx++] = s;
	return INKAN_OK;
}

/* One "key: value" line at p[off..off+len) (no line end). */
static enum inkan_status
policy_field(struct policy_parse *pp, size_t off, size_t len)
{
	const uint8_t *p = pp->p + off;
	struct inkan_mtasts_policy *pol = &pp->pi->pub;
	struct inkan_view key, val;
	size_t n, v, end = len;

	if ((n = textrec_ext_name(p, 0, len)) == 0 || n >= len || p[n] != ':')
		return fail(pp->err, off, INKAN_ERR_SYNTAX,
		    "expected \"name: value\" (a name of up to 32 letters, "
		    "digits, \"_\", \"-\", \".\")");
	key = inkan_view_make(p, n);
	v = textrec_skip_wsp(p, n + 1, len);
	while (end > v && inkan_cc_is(p[end - 1], INKAN_CC_WSP))
		end--;
	val = inkan_view_make(p + v, end - v);
	off += v;

	if (value_is(key, "version")) {
		if (pp->have_version)
			return fail(pp->err, off, INKAN_ERR_SYNTAX,
			    "version is given twice");
		if (!value_is(val, "STSv1"))
			return fail(pp->err, off, INKAN_ERR_SYNTAX,
			    "version is not \"STSv1\"");
		pp->have_version = true;
	} else if (value_is(key, "mode")) {
		if (pp->have_mode)
			return fail(pp->err, off, INKAN_ERR_SYNTAX,
			    "mode is given twice");
		if (value_is(val, "enforce"))
			pol->mode = INKAN_MTASTS_ENFORCE;
		else if (value_is(val, "testing"))
			pol->mode = INKAN_MTASTS_TESTING;
		else if (value_is(val, "none"))
			pol->mode = INKAN_MTASTS_NONE;
		else
			return fail(pp->err, off, INKAN_ERR_SYNTAX,
			    "mode is not \"enforce\", \"testing\" or \"none\"");
		pp->have_mode = true;
	} else if (value_is(key, "max_age")) {
		uint64_t age = 0;
		size_t k;

		if (pp->have_max_age)
			return fail(pp->err, off, INKAN_ERR_SYNTAX,
			    "max_age is given twice");
		/* RFC 8461 3.2: 1*10DIGIT, at most 31557600. */
		if (val.len == 0 || val.len > 10)
			return fail(pp->err, off, INKAN_ERR_SYNTAX,
			    "max_age is not 1 to 10 digits");
		for (k = 0; k < val.len; k++) {
			if (!inkan_cc_is(val.ptr[k], INKAN_CC_DIGIT))
				return fail(pp->err, off, INKAN_ERR_SYNTAX,
				    "max_age is not a number of seconds");
			age = age * 10 + (uint64_t)(val.ptr[k] - '0');
		}
		if (age > INKAN_MTASTS_MAX_AGE_MAX)
			return fail(pp->err, off, INKAN_ERR_SYNTAX,
			    "max_age %llu is over the limit of %u seconds",
			    (unsigned long long)age, INKAN_MTASTS_MAX_AGE_MAX);
		pol->max_age = (uint32_t)age;
		pp->have_max_age = true;
	} else if (value_is(key, "mx")) {
		return add_mx(pp, val, off);
	} else {
		if (!policy_value_ok(val))
			return fail(pp->err, off, INKAN_ERR_SYNTAX,
			    "a field has an empty value or a control "
			    "character");
		pol->extensions++;
	}
	return INKAN_OK;
}

enum inkan_status
inkan_mtasts_policy_parse(const void *body, size_t len,
    const struct inkan_limits *lim, struct inkan_mtasts_policy **pol_r,
    struct inkan_mtasts_error *err)
{
	struct policy_parse pp;
	struct policy_impl *pi;
	enum inkan_status st = INKAN_OK;
	size_t i = 0, eol, end, max;

	*pol_r = NULL;
	if (body == NULL && len > 0)
		return INKAN_ERR_INVAL;
	if (lim == NULL)
		lim = inkan_limits_defaults();
	if (len > lim->mtasts_policy_max)
		return fail(err, 0, INKAN_ERR_LIMIT,
		    "the policy is larger than %zu bytes",
		    lim->mtasts_policy_max);
	if ((pi = calloc(1, sizeof(*pi))) == NULL)
		return INKAN_ERR_NOMEM;
	/*
	 * The arena holds the patterns (each rounded up to 16 bytes by the
	 * arena) and the pointer arrays, which double as they grow (at most
	 * 4 pointers per pattern in all); twice that leaves room for chunk
	 * headers and chunk tails a large array strands. A bound of the
	 * input's length alone was too small for many short patterns.
	 */
	if (!inkan_size_mul(
		lim->mtasts_mx_max, 16 + 4 * sizeof(char *), &max) ||
	    !inkan_size_add(max, len, &max) || !inkan_size_mul(max, 2, &max) ||
	    !inkan_size_add(max, 8192, &max))
		max = SIZE_MAX; /* a limit that large: no bound but memory */
	inkan_arena_init(&pi->arena, max);
	memset(&pp, 0, sizeof(pp));
	pp.p = body;
	pp.lim = lim;
	pp.pi = pi;
	pp.err = err;

	while (i < len && st == INKAN_OK) {
		const uint8_t *nl = memchr(pp.p + i, '\n', len - i);

		eol = nl != NULL ? (size_t)(nl - pp.p) : len;
		end = eol;
		if (end > i && pp.p[end - 1] == '\r')
			end--;
		if (memchr(pp.p + i, '\r', end - i) != NULL)
			st = fail(err, i, INKAN_ERR_SYNTAX,
			    "a line holds a CR that does not end it");
		else if (textrec_skip_wsp(pp.p, i, end) == end)
			; /* a blank line */
		else if (inkan_cc_is(pp.p[i], INKAN_CC_WSP))
			st = fail(err, i, INKAN_ERR_SYNTAX,
			    "a line begins with white space");
		else
			st = policy_field(&pp, i, end - i);
		i = eol + 1;
	}
	if (st == INKAN_OK) {
		if (!pp.have_version)
			st = fail(
			    err, len, INKAN_ERR_SYNTAX, "version is missing");
		else if (!pp.have_mode)
			st =
			    fail(err, len, INKAN_ERR_SYNTAX, "mode is missing");
		else if (!pp.have_max_age)
			st = fail(
			    err, len, INKAN_ERR_SYNTAX, "max_age is missing");
		else if (pi->pub.nmx == 0 && pi->pub.mode != INKAN_MTASTS_NONE)
			st = fail(err, len, INKAN_ERR_SYNTAX,
			    "no mx pattern, which only mode none allows");
	}
	if (st != INKAN_OK) {
		inkan_arena_clear(&pi->arena);
		free(pi);
		return st;
	}
	*pol_r = &pi->pub;
	return INKAN_OK;
}

/* RFC 8461 3.2: the media type is text/plain; parameters are ignored. */
static bool
media_type_is_text_plain(const char *ct)
{
	struct inkan_view v = inkan_view_cstr(ct);
	size_t semi = inkan_view_find(v, ';');

	v = inkan_view_trim(inkan_view_sub(v, 0, semi), INKAN_CC_WSP);
	return inkan_view_eq_cstr_nocase(v, "text/plain");
}

enum inkan_status
inkan_mtasts_policy_from_response(int status, const char *content_type,
    const void *body, size_t len, const struct inkan_limits *lim,
    struct inkan_mtasts_policy **pol_r, struct inkan_mtasts_error *err)
{
	*pol_r = NULL;
	/* RFC 8461 3.3: only 200 counts; redirects must not be followed. */
	if (status != 200)
		return fail(err, 0, INKAN_ERR_SYNTAX,
		    "the HTTPS status is %d, not 200", status);
	if (content_type == NULL)
		return fail(err, 0, INKAN_ERR_SYNTAX,
		    "the response has no Content-Type (text/plain required)");
	if (!media_type_is_text_plain(content_type))
		return fail(err, 0, INKAN_ERR_SYNTAX,
		    "the media type is not text/plain");
	return inkan_mtasts_policy_parse(body, len, lim, pol_r, err);
}

void
inkan_mtasts_policy_free(struct inkan_mtasts_policy **pol)
{
	struct policy_impl *pi;

	if (pol == NULL || *pol == NULL)
		return;
	pi = (struct policy_impl *)(void *)*pol;
	inkan_arena_clear(&pi->arena);
	free(pi);
	*pol = NULL;
}

/* ---- MX matching ---------------------------------------------------------
 */

static struct inkan_view
no_final_dot(const char *s)
{
	struct inkan_view v = inkan_view_cstr(s);

	if (v.len > 0 && v.ptr[v.len - 1] == '.')
		v.len--;
	return v;
}

bool
inkan_mtasts_mx_match(const char *pattern, const char *host)
{
	struct inkan_view pat = no_final_dot(pattern);
	struct inkan_view h = no_final_dot(host);
	size_t dot;

	if (pat.len == 0 || h.len == 0)
		return false;
	if (pat.len < 2 || pat.ptr[0] != '*' || pat.ptr[1] != '.')
		return inkan_view_eq_nocase(pat, h);
	/* RFC 8461 4.1: "*" is exactly one whole leftmost label. */
	dot = inkan_view_find(h, '.');
	if (dot == 0 || dot == h.len)
		return false;
	return inkan_view_eq_nocase(
	    inkan_view_sub(pat, 1, pat.len), inkan_view_sub(h, dot, h.len));
}

bool
inkan_mtasts_policy_matches(
    const struct inkan_mtasts_policy *pol, const char *host)
{
	size_t i;

	for (i = 0; pol != NULL && i < pol->nmx; i++)
		if (inkan_mtasts_mx_match(pol->mx[i], host))
			return true;
	return false;
}

enum inkan_status
inkan_mtasts_policy_url(const char *domain, struct inkan_buf *out)
{
	struct inkan_view d = no_final_dot(domain);

	if (d.len == 0)
		return INKAN_ERR_INVAL;
	return inkan_buf_printf(out,
	    "https://mta-sts.%.*s/.well-known/"
	    "mta-sts.txt",
	    (int)d.len, (const char *)d.ptr);
}
