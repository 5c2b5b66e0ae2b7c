/*
 * record.c: the DMARC Policy Record parser (RFC 9989 4.7, 4.8).
 *
 * A record is a tag-value list in the DKIM style (RFC 9989 4.7, RFC 6376
 * 3.2): tags separated by ";" with optional white space around the
 * separators and the "=". The first tag must be v=DMARC1, or the whole
 * record is ignored (4.7 v). After that nothing makes the record invalid:
 * "syntax errors in the remainder of the record MUST be discarded in
 * favor of default values (if any) or ignored outright" (4.8), so each
 * malformed, unknown, repeated or obsolete tag becomes a warning, and the
 * policy tags follow the fall-back rule of 4.10.1.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dmarc/dmarc_impl.h"

/* The tags of RFC 9989 4.7 and the obsolete ones of RFC 7489 6.3. */
enum tag {
	TAG_V,
	TAG_P,
	TAG_SP,
	TAG_NP,
	TAG_PSD,
	TAG_T,
	TAG_ADKIM,
	TAG_ASPF,
	TAG_RUA,
	TAG_RUF,
	TAG_FO,
	TAG_PCT,
	TAG_RF,
	TAG_RI,
	TAG_COUNT,
	TAG_UNKNOWN = TAG_COUNT,
};

static const char *const tag_names[TAG_COUNT] = {
	"v",
	"p",
	"sp",
	"np",
	"psd",
	"t",
	"adkim",
	"aspf",
	"rua",
	"ruf",
	"fo",
	"pct",
	"rf",
	"ri",
};

struct parser {
	struct dmarc_record *r;
	const struct inkan_limits *lim;
	const char **warnings; /* malloc'd; copied into the arena at the end */
	size_t nwarnings, capwarnings;
	struct inkan_dmarc_uri *uris; /* scratch for one uri list */
	bool nomem;
};

/* ---- small helpers ----------------------------------------------------- */

static bool
is_wsp(uint8_t c)
{
	return c == ' ' || c == '\t';
}

static struct inkan_view
trim_wsp(struct inkan_view v)
{
	return inkan_view_trim(v, INKAN_CC_WSP);
}

/* Appends one warning, formatted; values in it must be escaped already. */
static void warn(struct parser *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
warn(struct parser *p, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n;
	char *copy;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (p->nwarnings == p->capwarnings) {
		size_t cap = p->capwarnings ? 2 * p->capwarnings : 8;
		const char **nw = realloc(p->warnings, cap * sizeof(*nw));

		if (nw == NULL) {
			p->nomem = true;
			return;
		}
		p->warnings = nw;
		p->capwarnings = cap;
	}
	copy = inkan_arena_strndup(&p->r->arena, line, strlen(line));
	if (copy == NULL) {
		p->nomem = true;
		return;
	}
	p->warnings[p->nwarnings++] = copy;
}

/*
 * v made printable for a warning, cut to 64 bytes (an ellipsis says so),
 * into buf.
 */
static const char *
shown(struct inkan_view v, char *buf, size_t size)
{
	struct inkan_buf b;
	bool cut = v.len > 64;

	inkan_buf_init(&b, 4 * 64 + 1);
	if (inkan_escape(v.ptr, cut ? 64 : v.len, &b) != INKAN_OK) {
		inkan_buf_clear(&b);
		return "?";
	}
	snprintf(buf, size, "%s%s", inkan_buf_cstr(&b), cut ? "..." : "");
	inkan_buf_clear(&b);
	return buf;
}

/* An arena copy of v. */
static const char *
dup_view(struct parser *p, struct inkan_view v)
{
	char *s = inkan_arena_strndup(&p->r->arena, v.ptr, v.len);

	if (s == NULL)
		p->nomem = true;
	return s;
}

/* ---- one tag-spec: name *WSP "=" *WSP value --------------------------- */

/*
 * Splits piece (trimmed of WSP) into name and value. RFC 9989 4.8:
 * dmarc-tag = 1*ALPHA equals 1*dmarc-value, dmarc-value printable ASCII
 * but ";". Returns false when the piece does not have that shape.
 */
static bool
split_tag(struct inkan_view piece, struct inkan_view *name_r,
    struct inkan_view *value_r)
{
	struct inkan_cursor c;
	size_t i;

	inkan_cursor_init(&c, piece.ptr, piece.len);
	if (inkan_cursor_take_while(&c, INKAN_CC_ALPHA, name_r) == 0)
		return false;
	inkan_cursor_skip_while(&c, INKAN_CC_WSP);
	if (!inkan_cursor_accept(&c, '='))
		return false;
	inkan_cursor_skip_while(&c, INKAN_CC_WSP);
	*value_r = inkan_cursor_rest(&c);
	if (value_r->len == 0)
		return false;
	for (i = 0; i < value_r->len; i++) {
		uint8_t b = value_r->ptr[i];

		if (b < 0x20 || b > 0x7e)
			return false;
	}
	return true;
}

static enum tag
tag_lookup(struct inkan_view name)
{
	size_t i;

	/* Tag names are matched without regard to case, as the ABNF's
	   quoted "v" of dmarc-version is (RFC 5234 2.3); the header
	   comment of inkan/dmarc.h says why. */
	for (i = 0; i < TAG_COUNT; i++)
		if (inkan_view_eq_cstr_nocase(name, tag_names[i]))
			return (enum tag)i;
	return TAG_UNKNOWN;
}

bool
dmarc_starts_with_version(const uint8_t *text, size_t len)
{
	struct inkan_view piece, name, value;
	size_t semi;

	piece = inkan_view_make(text, len);
	semi = inkan_view_find(piece, ';');
	piece = inkan_view_sub(piece, 0, semi);
	/* RFC 9989 4.8: dmarc-record starts with dmarc-version, so no
	   white space may come before the "v". Trailing WSP belongs to
	   dmarc-sep. */
	if (piece.len == 0 || is_wsp(piece.ptr[0]))
		return false;
	piece = trim_wsp(piece);
	if (!split_tag(piece, &name, &value))
		return false;
	/* The tag name "v" as an ABNF string is case-insensitive; the
	   value %s"DMARC1" is not (RFC 9989 4.8, RFC 7405). */
	return inkan_view_eq_cstr_nocase(name, "v") &&
	    inkan_view_eq(value, INKAN_VIEW_LIT("DMARC1"));
}

/* ---- values ------------------------------------------------------------ */

/* RFC 9989 4.8 dmarc-request. */
static enum inkan_dmarc_policy
parse_request(struct inkan_view v)
{
	if (inkan_view_eq_cstr_nocase(v, "none"))
		return INKAN_DMARC_POLICY_NONE;
	if (inkan_view_eq_cstr_nocase(v, "quarantine"))
		return INKAN_DMARC_POLICY_QUARANTINE;
	if (inkan_view_eq_cstr_nocase(v, "reject"))
		return INKAN_DMARC_POLICY_REJECT;
	return INKAN_DMARC_POLICY_ABSENT;
}

/* A one-letter value among allowed (lowercase); -1 if it is not one. */
static int
parse_letter(struct inkan_view v, const char *allowed)
{
	const char *hit;
	uint8_t c;

	if (v.len != 1)
		return -1;
	c = inkan_ascii_lower(v.ptr[0]);
	if (c == 0 || (hit = strchr(allowed, c)) == NULL)
		return -1;
	return (int)(hit - allowed);
}

/*
 * RFC 9989 4.8 dmarc-fo: "0" and "1" exclusive, "d" and "s" at most once
 * each, colon-separated, at least one. Returns -1 if v is not that.
 */
static int
parse_fo(struct inkan_view v)
{
	unsigned fo = 0;
	size_t i = 0;

	for (;;) {
		struct inkan_view tok;
		size_t colon;
		unsigned bit;

		tok = inkan_view_sub(v, i, v.len - i);
		colon = inkan_view_find(tok, ':');
		tok = inkan_view_sub(tok, 0, colon);
		if (tok.len != 1)
			return -1;
		switch (inkan_ascii_lower(tok.ptr[0])) {
		case '0':
			bit = INKAN_DMARC_FO_0;
			break;
		case '1':
			bit = INKAN_DMARC_FO_1;
			break;
		case 'd':
			bit = INKAN_DMARC_FO_D;
			break;
		case 's':
			bit = INKAN_DMARC_FO_S;
			break;
		default:
			return -1;
		}
		if ((fo & bit) != 0)
			return -1;
		fo |= bit;
		if ((fo & INKAN_DMARC_FO_0) && (fo & INKAN_DMARC_FO_1))
			return -1;
		i += colon;
		if (i == v.len)
			break;
		i++; /* the colon */
		if (i == v.len)
			return -1; /* "d:" */
	}
	return (int)fo;
}

/* pct= as RFC 7489 6.3 had it: 0..100. -1 otherwise. */
static int
parse_pct(struct inkan_view v)
{
	unsigned n = 0;
	size_t i;

	if (v.len == 0 || v.len > 3)
		return -1;
	for (i = 0; i < v.len; i++) {
		if (!inkan_cc_is(v.ptr[i], INKAN_CC_DIGIT))
			return -1;
		n = n * 10 + (unsigned)(v.ptr[i] - '0');
	}
	return n <= 100 ? (int)n : -1;
}

/* ---- reporting URIs ---------------------------------------------------- */

/* RFC 3986 2.2, 2.3: the bytes a URI may hold besides "%" HEXDIG HEXDIG. */
static bool
uri_byte(uint8_t c)
{
	if (inkan_cc_is(c, INKAN_CC_ALNUM))
		return true;
	return c != 0 && strchr("-._~:/?#[]@!$&'()*+,;=", c) != NULL;
}

/*
 * RFC 9989 4.8 obs-dmarc-report-size: "!" 1*DIGIT [ "k" / "m" / "g" /
 * "t" ]. Returns false if s is not that (s starts after the "!").
 */
static bool
parse_size(struct inkan_view s, uint64_t *size_r)
{
	uint64_t n = 0;
	unsigned shift = 0;
	bool over = false;
	size_t i;

	if (s.len > 0) {
		switch (inkan_ascii_lower(s.ptr[s.len - 1])) {
		case 'k':
			shift = 10;
			break;
		case 'm':
			shift = 20;
			break;
		case 'g':
			shift = 30;
			break;
		case 't':
			shift = 40;
			break;
		default:
			break;
		}
		if (shift != 0)
			s.len--;
	}
	if (s.len == 0)
		return false;
	for (i = 0; i < s.len; i++) {
		if (!inkan_cc_is(s.ptr[i], INKAN_CC_DIGIT))
			return false;
		if (__builtin_mul_overflow(n, 10, &n) ||
		    __builtin_add_overflow(n, (uint64_t)(s.ptr[i] - '0'), &n))
			over = true;
	}
	if (!over && shift != 0 && n > (UINT64_MAX >> shift))
		over = true;
	*size_r = over ? UINT64_MAX : n << shift;
	return true;
}

static int
hexval(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = inkan_ascii_lower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/*
 * For a mailto: URI (RFC 6068 2): the addr-spec before any "?", %XX
 * decoded, and its domain. Sets nothing if it is not local@domain with a
 * domain name.
 */
static void
mailto_address(
    struct parser *p, struct inkan_view rest, struct inkan_dmarc_uri *u)
{
	char addr[INKAN_SMTP_PATH_MAX + 1], host[INKAN_DNS_NAME_MAX + 1];
	size_t n = 0, i, at = SIZE_MAX;

	rest = inkan_view_sub(rest, 0, inkan_view_find(rest, '?'));
	for (i = 0; i < rest.len; i++) {
		uint8_t c = rest.ptr[i];

		if (c == '%') {
			int hi, lo;

			if (i + 2 >= rest.len)
				return;
			hi = hexval(rest.ptr[i + 1]);
			lo = hexval(rest.ptr[i + 2]);
			if (hi < 0 || lo < 0)
				return;
			c = (uint8_t)(hi * 16 + lo);
			i += 2;
		}
		/* Printable ASCII only: the address goes into a report's
		   envelope. */
		if (c <= 0x20 || c >= 0x7f || n + 1 >= sizeof(addr))
			return;
		if (c == '@')
			at = n;
		addr[n++] = (char)c;
	}
	addr[n] = '\0';
	if (at == SIZE_MAX || at == 0 || at + 1 >= n)
		return;
	if (!dmarc_domain_normalise(addr + at + 1, host, sizeof(host)))
		return;
	u->address = dup_view(p, inkan_view_make(addr, n));
	u->host = dup_view(p, inkan_view_cstr(host));
}

/* For a URI with an authority ("//" [userinfo "@"] host [":" port]): the
   host, when it is a domain name. */
static void
authority_host(
    struct parser *p, struct inkan_view rest, struct inkan_dmarc_uri *u)
{
	char name[INKAN_DNS_NAME_MAX + 1], host[INKAN_DNS_NAME_MAX + 1];
	struct inkan_view a;
	size_t end, at, i;

	if (rest.len < 2 || rest.ptr[0] != '/' || rest.ptr[1] != '/')
		return;
	a = inkan_view_sub(rest, 2, rest.len - 2);
	end = 0;
	while (end < a.len && a.ptr[end] != '/' && a.ptr[end] != '?' &&
	    a.ptr[end] != '#')
		end++;
	a = inkan_view_sub(a, 0, end);
	at = SIZE_MAX;
	for (i = 0; i < a.len; i++)
		if (a.ptr[i] == '@')
			at = i;
	if (at != SIZE_MAX)
		a = inkan_view_sub(a, at + 1, a.len - at - 1);
	a = inkan_view_sub(a, 0, inkan_view_find(a, ':'));
	if (a.len == 0 || a.len >= sizeof(name))
		return;
	memcpy(name, a.ptr, a.len);
	name[a.len] = '\0';
	if (dmarc_domain_normalise(name, host, sizeof(host)))
		u->host = dup_view(p, inkan_view_cstr(host));
}

/*
 * One element of a dmarc-urilist: dmarc-uri [obs-dmarc-report-size].
 * Returns false (with a warning) when it is not a URI.
 */
static bool
parse_uri(struct parser *p, const char *tag, struct inkan_view el,
    struct inkan_dmarc_uri *u)
{
	char sb[300];
	struct inkan_view uri = el, scheme, rest;
	size_t bang, colon, i;

	memset(u, 0, sizeof(*u));
	bang = inkan_view_find(el, '!');
	if (bang < el.len) {
		/* RFC 9989 4.8: "!" must be percent-encoded inside the URI,
		   so the first one starts the obsolete size. */
		if (!parse_size(inkan_view_sub(el, bang + 1, el.len - bang - 1),
			&u->size)) {
			warn(p,
			    "%s: \"%s\" ignored: a \"!\" not followed by a "
			    "size "
			    "(RFC 9989 4.8)",
			    tag, shown(el, sb, sizeof(sb)));
			return false;
		}
		u->has_size = true;
		uri = inkan_view_sub(el, 0, bang);
	}
	/* RFC 3986 3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) */
	colon = inkan_view_find(uri, ':');
	scheme = inkan_view_sub(uri, 0, colon);
	rest = inkan_view_sub(uri, colon + 1, uri.len - colon - 1);
	if (colon == uri.len || scheme.len == 0 ||
	    !inkan_cc_is(scheme.ptr[0], INKAN_CC_ALPHA)) {
		warn(p, "%s: \"%s\" ignored: not a URI (RFC 3986 3)", tag,
		    shown(el, sb, sizeof(sb)));
		return false;
	}
	for (i = 0; i < scheme.len; i++) {
		uint8_t c = scheme.ptr[i];

		if (!inkan_cc_is(c, INKAN_CC_ALNUM) && c != '+' && c != '-' &&
		    c != '.') {
			warn(p,
			    "%s: \"%s\" ignored: not a URI scheme (RFC 3986 "
			    "3.1)",
			    tag, shown(el, sb, sizeof(sb)));
			return false;
		}
	}
	for (i = 0; i < rest.len; i++) {
		uint8_t c = rest.ptr[i];

		if (c == '%') {
			if (i + 2 >= rest.len || hexval(rest.ptr[i + 1]) < 0 ||
			    hexval(rest.ptr[i + 2]) < 0)
				break;
			i += 2;
			continue;
		}
		if (!uri_byte(c))
			break;
	}
	if (i < rest.len || rest.len == 0) {
		warn(p,
		    "%s: \"%s\" ignored: not a URI (RFC 3986 3; \",\" and "
		    "\"!\" "
		    "must be %%-encoded, RFC 9989 4.8)",
		    tag, shown(el, sb, sizeof(sb)));
		return false;
	}
	{
		char *sc =
		    inkan_arena_strndup(&p->r->arena, scheme.ptr, scheme.len);
		size_t k;

		if (sc == NULL) {
			p->nomem = true;
			return false;
		}
		for (k = 0; sc[k] != '\0'; k++)
			sc[k] = (char)inkan_ascii_lower((uint8_t)sc[k]);
		u->scheme = sc;
	}
	u->uri = dup_view(p, uri);
	if (strcmp(u->scheme, "mailto") == 0) {
		mailto_address(p, rest, u);
		if (u->address == NULL)
			warn(p,
			    "%s: \"%s\" has no usable address (RFC 6068 2): "
			    "kept, "
			    "but no report can be mailed to it",
			    tag, shown(el, sb, sizeof(sb)));
	} else
		authority_host(p, rest, u);
	return true;
}

/* RFC 9989 4.8 dmarc-urilist: URIs separated by *WSP "," *WSP. */
static void
parse_urilist(struct parser *p, enum tag t, struct inkan_view v)
{
	const char *tag = tag_names[t];
	struct inkan_dmarc_uri *out;
	size_t n = 0, i = 0, max = p->lim->dmarc_uris_max, dropped = 0;

	out = inkan_arena_calloc(&p->r->arena, max ? max : 1, sizeof(*out));
	if (out == NULL) {
		p->nomem = true;
		return;
	}
	while (i <= v.len) {
		struct inkan_view el = inkan_view_sub(v, i, v.len - i);
		size_t comma = inkan_view_find(el, ',');

		el = trim_wsp(inkan_view_sub(el, 0, comma));
		i += comma + 1;
		if (el.len == 0) {
			warn(p, "%s: empty URI ignored (RFC 9989 4.8)", tag);
			continue;
		}
		if (n == max) {
			dropped++;
			continue;
		}
		if (parse_uri(p, tag, el, &out[n]))
			n++;
	}
	if (dropped > 0)
		warn(p,
		    "%s: %zu URIs past the first %zu ignored (limit "
		    "dmarc_uris_max)",
		    tag, dropped, max);
	if (t == TAG_RUA) {
		p->r->pub.rua = out;
		p->r->pub.nrua = n;
	} else {
		p->r->pub.ruf = out;
		p->r->pub.nruf = n;
	}
}

/* ---- the record -------------------------------------------------------- */

static void
invalid_value(
    struct parser *p, enum tag t, struct inkan_view v, const char *instead)
{
	char sb[300];

	warn(p, "invalid %s=%s ignored, %s (RFC 9989 4.8)", tag_names[t],
	    shown(v, sb, sizeof(sb)), instead);
}

static void
apply_tag(struct parser *p, enum tag t, struct inkan_view v)
{
	struct inkan_dmarc_record *rec = &p->r->pub;
	char sb[300];
	int k;

	switch (t) {
	case TAG_V:
	case TAG_COUNT:
		break;
	case TAG_P:
		rec->p_written = parse_request(v);
		if (rec->p_written == INKAN_DMARC_POLICY_ABSENT) {
			rec->flags |= INKAN_DMARC_REC_P_INVALID;
			warn(p,
			    "invalid p=%s (RFC 9989 4.7: none, quarantine "
			    "or reject)",
			    shown(v, sb, sizeof(sb)));
		}
		break;
	case TAG_SP:
		rec->sp_written = parse_request(v);
		if (rec->sp_written == INKAN_DMARC_POLICY_ABSENT) {
			rec->flags |= INKAN_DMARC_REC_SP_INVALID;
			warn(p, "invalid sp=%s (RFC 9989 4.7)",
			    shown(v, sb, sizeof(sb)));
		}
		break;
	case TAG_NP:
		rec->np_written = parse_request(v);
		if (rec->np_written == INKAN_DMARC_POLICY_ABSENT) {
			rec->flags |= INKAN_DMARC_REC_NP_INVALID;
			warn(p, "invalid np=%s (RFC 9989 4.7)",
			    shown(v, sb, sizeof(sb)));
		}
		break;
	case TAG_PSD:
		k = parse_letter(v, "uyn");
		if (k < 0)
			invalid_value(p, t, v, "using psd=u");
		else
			rec->psd = (enum inkan_dmarc_psd)k;
		break;
	case TAG_T:
		k = parse_letter(v, "ny");
		if (k < 0)
			invalid_value(p, t, v, "using t=n");
		else
			rec->testing = k == 1;
		break;
	case TAG_ADKIM:
	case TAG_ASPF:
		k = parse_letter(v, "rs");
		if (k < 0)
			invalid_value(p, t, v, "using relaxed alignment (r)");
		else if (t == TAG_ADKIM)
			rec->adkim = (enum inkan_dmarc_align)k;
		else
			rec->aspf = (enum inkan_dmarc_align)k;
		break;
	case TAG_RUA:
	case TAG_RUF:
		parse_urilist(p, t, v);
		break;
	case TAG_FO:
		rec->fo_text = dup_view(p, v);
		k = parse_fo(v);
		if (k < 0)
			invalid_value(p, t, v, "using fo=0");
		else
			rec->fo = (unsigned)k;
		break;
	case TAG_PCT:
		rec->flags |= INKAN_DMARC_REC_OBSOLETE;
		rec->pct = parse_pct(v);
		warn(p, "obsolete tag pct=%s ignored (RFC 9989 A.6, C.5.2)%s",
		    shown(v, sb, sizeof(sb)),
		    rec->pct < 0 ? "; not a percentage either" : "");
		break;
	case TAG_RF:
	case TAG_RI:
		rec->flags |= INKAN_DMARC_REC_OBSOLETE;
		if (t == TAG_RF)
			rec->rf = dup_view(p, v);
		else
			rec->ri = dup_view(p, v);
		warn(p, "obsolete tag %s=%s ignored (RFC 9989 C.5.2: removed)",
		    tag_names[t], shown(v, sb, sizeof(sb)));
		break;
	}
}

/* RFC 9989 4.10.1: no valid p=, or an invalid sp= or np=. */
static void
settle_policy(struct parser *p)
{
	struct inkan_dmarc_record *rec = &p->r->pub;
	bool bad;

	if (rec->p_written == INKAN_DMARC_POLICY_ABSENT &&
	    !(rec->flags & INKAN_DMARC_REC_P_INVALID))
		rec->flags |= INKAN_DMARC_REC_P_ABSENT;
	bad = rec->p_written == INKAN_DMARC_POLICY_ABSENT ||
	    (rec->flags &
		(INKAN_DMARC_REC_SP_INVALID | INKAN_DMARC_REC_NP_INVALID));
	if (!bad) {
		rec->p = rec->p_written;
		rec->sp = rec->sp_written;
		rec->np = rec->np_written;
		return;
	}
	if (rec->nrua > 0) {
		rec->flags |= INKAN_DMARC_REC_AS_P_NONE;
		rec->p = INKAN_DMARC_POLICY_NONE;
		warn(p,
		    "%s, but rua= has a valid URI: the record is used as "
		    "p=none (RFC 9989 4.10.1)",
		    rec->p_written == INKAN_DMARC_POLICY_ABSENT
			? "no valid p="
			: "an invalid sp= or np=");
		return;
	}
	rec->flags |= INKAN_DMARC_REC_NOT_APPLIED;
	warn(p,
	    "%s and no valid rua= URI: no DMARC processing is applied "
	    "(RFC 9989 4.10.1)",
	    rec->p_written == INKAN_DMARC_POLICY_ABSENT
		? "no valid p="
		: "an invalid sp= or np=");
}

void
dmarc_record_ref(struct inkan_dmarc_record *rec)
{
	struct dmarc_record *r = (struct dmarc_record *)rec;

	__atomic_add_fetch(&r->refs, 1, __ATOMIC_RELAXED);
}

void
inkan_dmarc_record_free(struct inkan_dmarc_record **recp)
{
	struct dmarc_record *r;

	if (recp == NULL || *recp == NULL)
		return;
	r = (struct dmarc_record *)*recp;
	*recp = NULL;
	if (__atomic_sub_fetch(&r->refs, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	inkan_arena_clear(&r->arena);
	free(r);
}

enum inkan_status
inkan_dmarc_record_parse(const void *text, size_t len,
    const struct inkan_limits *lim, struct inkan_dmarc_record **rec_r,
    const char **err_r)
{
	const uint8_t *s = text;
	struct parser p;
	struct inkan_buf esc;
	bool seen[TAG_COUNT] = { false };
	size_t i, ntags = 0;
	enum inkan_status st = INKAN_OK;
	const char *err = NULL;
	char sb[300];

	if (rec_r != NULL)
		*rec_r = NULL;
	if (err_r != NULL)
		*err_r = NULL;
	if ((text == NULL && len > 0) || rec_r == NULL)
		return INKAN_ERR_INVAL;
	if (lim == NULL)
		lim = inkan_limits_defaults();
	memset(&p, 0, sizeof(p));
	p.lim = lim;
	inkan_buf_init(&esc, 4 * lim->dmarc_record_max + 1);
	if (len > lim->dmarc_record_max) {
		err = "the record is longer than dmarc_record_max bytes";
		st = INKAN_ERR_LIMIT;
		goto out;
	}
	if (len > 0 && memchr(s, '\0', len) != NULL) {
		err = "the record holds a NUL byte";
		st = INKAN_ERR_SYNTAX;
		goto out;
	}
	if (!dmarc_starts_with_version(s, len)) {
		err = "the record does not start with v=DMARC1 (RFC 9989 4.7)";
		st = INKAN_ERR_SYNTAX;
		goto out;
	}
	for (i = 0; i < len; i++)
		if (s[i] == ';')
			ntags++;
	if (ntags + 1 > lim->dmarc_tags_max) {
		err = "the record has more than dmarc_tags_max tags";
		st = INKAN_ERR_LIMIT;
		goto out;
	}
	if ((p.r = calloc(1, sizeof(*p.r))) == NULL) {
		st = INKAN_ERR_NOMEM;
		goto out;
	}
	p.r->refs = 1;
	inkan_arena_init(&p.r->arena, DMARC_ARENA_MAX);
	p.r->pub.pct = -1;
	p.r->pub.fo = INKAN_DMARC_FO_0;
	if (inkan_escape(s, len, &esc) != INKAN_OK ||
	    (p.r->pub.text = dup_view(&p, inkan_buf_view(&esc))) == NULL) {
		st = INKAN_ERR_NOMEM;
		goto out;
	}
	seen[TAG_V] = true;
	/* The tags after v=DMARC1, one ";"-separated piece at a time. */
	i = inkan_view_find(inkan_view_make(s, len), ';');
	while (i < len) {
		struct inkan_view piece, name, value;
		size_t semi;
		enum tag t;

		i++; /* the ";" */
		piece = inkan_view_make(s + i, len - i);
		semi = inkan_view_find(piece, ';');
		piece = trim_wsp(inkan_view_sub(piece, 0, semi));
		i += semi;
		if (piece.len == 0) {
			/* 4.8: one ending dmarc-sep is allowed. */
			if (i < len)
				warn(&p, "empty tag ignored (RFC 9989 4.8)");
			continue;
		}
		if (!split_tag(piece, &name, &value)) {
			warn(&p, "malformed tag \"%s\" ignored (RFC 9989 4.8)",
			    shown(piece, sb, sizeof(sb)));
			continue;
		}
		t = tag_lookup(name);
		if (t == TAG_UNKNOWN) {
			warn(&p, "unknown tag \"%s\" ignored (RFC 9989 4.7)",
			    shown(name, sb, sizeof(sb)));
			continue;
		}
		if (seen[t]) {
			warn(&p,
			    "repeated tag \"%s\" ignored; the first one is "
			    "used",
			    tag_names[t]);
			continue;
		}
		seen[t] = true;
		apply_tag(&p, t, value);
	}
	settle_policy(&p);
	if (p.r->pub.fo_text != NULL && p.r->pub.nruf == 0)
		warn(&p,
		    "fo= has no effect without a valid ruf= URI (RFC 9989 "
		    "4.7)");
	if (p.nwarnings > 0) {
		const char **w =
		    inkan_arena_calloc(&p.r->arena, p.nwarnings, sizeof(*w));

		if (w == NULL)
			p.nomem = true;
		else {
			memcpy(w, p.warnings, p.nwarnings * sizeof(*w));
			p.r->pub.warnings = w;
			p.r->pub.nwarnings = p.nwarnings;
		}
	}
	if (p.nomem)
		st = INKAN_ERR_NOMEM;
out:
	free(p.warnings);
	inkan_buf_clear(&esc);
	if (st != INKAN_OK) {
		if (p.r != NULL) {
			struct inkan_dmarc_record *r = &p.r->pub;

			inkan_dmarc_record_free(&r);
		}
		if (err_r != NULL)
			*err_r = err != NULL ? err : inkan_strerror(st);
		return st;
	}
	*rec_r = &p.r->pub;
	return INKAN_OK;
}
