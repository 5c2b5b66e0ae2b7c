/*
 * path.c: RFC 5321 4.1.2 paths, the arguments of MAIL FROM and RCPT TO.
 *
 * RFC 5321 paths have no comments and no folding white space: the grammar
 * is a plain sequence of tokens, parsed left to right with no going back.
 * Every part is bounded by the limits, so the result is stored in fixed
 * arrays inside struct inkan_smtp_path and nothing is allocated.
 */
#include <arpa/inet.h>
#include <string.h>

#include <inkan/msg.h>

#include "msg_impl.h"

struct pp {
	struct inkan_cursor c;
	unsigned flags;
	size_t local_max;
	size_t domain_max;
	struct inkan_smtp_path *path;
	enum inkan_status st; /* the first error, or INKAN_OK */
	const char *msg;
	size_t off;
};

static bool
fail_at(struct pp *p, size_t off, enum inkan_status st, const char *msg)
{
	if (p->st == INKAN_OK) {
		p->st = st;
		p->msg = msg;
		p->off = off;
	}
	return false;
}

static bool
fail(struct pp *p, enum inkan_status st, const char *msg)
{
	return fail_at(p, p->c.pos, st, msg);
}

static int
peek(const struct pp *p)
{
	return inkan_cursor_peek(&p->c);
}

static void
advance(struct pp *p, size_t n)
{
	inkan_cursor_skip(&p->c, n);
}

/* Names the byte at the cursor when it can never be valid. */
static bool
fail_unexpected(struct pp *p, const char *expected)
{
	int ch = peek(p);

	if (ch == -1)
		return fail(p, INKAN_ERR_SYNTAX, "unexpected end of the path");
	if (ch >= 0x80 && !(p->flags & INKAN_SMTP_PARSE_SMTPUTF8))
		return fail(p, INKAN_ERR_SYNTAX,
		    "8-bit byte without SMTPUTF8 (RFC 6531)");
	if (ch < 0x20 || ch == 0x7f)
		return fail(p, INKAN_ERR_SYNTAX, "control character");
	return fail(p, INKAN_ERR_SYNTAX, expected);
}

/*
 * RFC 6531 3.3 UTF8-non-ascii at the cursor, only with SMTPUTF8. Returns
 * its length, 0 after failing.
 */
static size_t
lex_utf8(struct pp *p)
{
	struct inkan_view rest = inkan_cursor_rest(&p->c);
	size_t n;

	if (!(p->flags & INKAN_SMTP_PARSE_SMTPUTF8)) {
		fail(p, INKAN_ERR_SYNTAX,
		    "8-bit byte without SMTPUTF8 (RFC 6531)");
		return 0;
	}
	if ((n = msg_lex_utf8_len(rest.ptr, rest.len)) == 0) {
		fail(p, INKAN_ERR_SYNTAX, "malformed UTF-8");
		return 0;
	}
	p->path->flags |= INKAN_SMTP_PATH_F_UTF8;
	return n;
}

/* Appends s[0..n) to the local part's value (bounded by the raw length). */
static void
put_local(struct pp *p, const uint8_t *s, size_t n)
{
	struct inkan_smtp_path *path = p->path;

	memcpy(path->local + path->local_len, s, n);
	path->local_len += n;
}

/*
 * RFC 5321 4.1.2 Local-part = Dot-string / Quoted-string, with RFC 6531
 * UTF-8 in atext and qtextSMTP. The raw text is bounded by local_max as it
 * is read, so the value (never longer) fits too.
 */
static bool
parse_local(struct pp *p)
{
	struct inkan_smtp_path *path = p->path;
	size_t start = p->c.pos, n;
	const uint8_t *at;
	int ch;

	if (peek(p) == '"') {
		path->flags |= INKAN_SMTP_PATH_F_QUOTED;
		advance(p, 1);
		for (;;) {
			at = p->c.ptr + p->c.pos;
			ch = peek(p);
			if (ch == '\\') {
				/* quoted-pairSMTP = %d92 %d32-126 */
				int q = inkan_cursor_peek_at(&p->c, 1);

				if (q < 32 || q > 126) {
					advance(p, 1);
					return fail_unexpected(
					    p, "invalid quoted pair");
				}
				n = 2;
			} else if (ch >= 32 && ch <= 126)
				/* qtextSMTP = %d32-33 / %d35-91 / %d93-126,
				   and the closing DQUOTE */
				n = 1;
			else if (ch >= 0x80) {
				if ((n = lex_utf8(p)) == 0)
					return false;
			} else if (ch == -1)
				return fail(p, INKAN_ERR_SYNTAX,
				    "unterminated quoted local part");
			else
				return fail_unexpected(
				    p, "invalid quoted text");
			if (p->c.pos + n - start > p->local_max)
				return fail(p, INKAN_ERR_LIMIT,
				    "local part longer than "
				    "smtp_localpart_max");
			advance(p, n);
			if (ch == '"')
				break;
			if (ch == '\\')
				put_local(p, at + 1, 1);
			else
				put_local(p, at, n);
		}
	} else {
		/* Dot-string = Atom *("." Atom) */
		for (;;) {
			size_t atom = p->c.pos;

			for (;;) {
				ch = peek(p);
				if (ch >= 0x80) {
					if ((n = lex_utf8(p)) == 0)
						return false;
				} else if (ch >= 0 &&
				    inkan_cc_is((uint8_t)ch, INKAN_CC_ATEXT))
					n = 1;
				else
					break;
				if (p->c.pos + n - start > p->local_max)
					return fail(p, INKAN_ERR_LIMIT,
					    "local part longer than "
					    "smtp_localpart_max");
				advance(p, n);
			}
			if (p->c.pos == atom)
				return fail_unexpected(
				    p, "expected an atom in the local part");
			if (peek(p) != '.')
				break;
			if (p->c.pos + 1 - start > p->local_max)
				return fail(p, INKAN_ERR_LIMIT,
				    "local part longer than "
				    "smtp_localpart_max");
			advance(p, 1);
		}
		put_local(p, p->c.ptr + start, p->c.pos - start);
	}
	n = p->c.pos - start;
	if (n > p->local_max)
		return fail_at(p, start + p->local_max, INKAN_ERR_LIMIT,
		    "local part longer than smtp_localpart_max");
	memcpy(path->local_raw, p->c.ptr + start, n);
	path->local_raw_len = n;
	path->local_raw[n] = '\0';
	path->local[path->local_len] = '\0';
	return true;
}

/* RFC 5321 4.1.3 Snum = 1*3DIGIT, 0 to 255. */
static bool
lex_snum(struct pp *p, uint8_t *v_r)
{
	unsigned v = 0;
	size_t n = 0;
	int ch;

	while (n < 3 && (ch = peek(p)) >= '0' && ch <= '9') {
		v = v * 10 + (unsigned)(ch - '0');
		advance(p, 1);
		n++;
	}
	if (n == 0 || v > 255)
		return false;
	*v_r = (uint8_t)v;
	return true;
}

/*
 * RFC 5321 4.1.3 address-literal, at "[": IPv4-address-literal,
 * IPv6-address-literal (checked with inet_pton()) or
 * General-address-literal (Standardized-tag ":" 1*dcontent, kept as
 * written: its meaning depends on an IANA registration).
 */
static bool
parse_literal(struct pp *p)
{
	struct inkan_smtp_path *path = p->path;
	char v6[64];
	size_t start = p->c.pos, n, tag;
	int ch;

	advance(p, 1);
	if (inkan_cursor_accept_nocase(&p->c, "IPv6:")) {
		n = 0;
		while ((ch = peek(p)) != ']') {
			if (ch == -1 ||
			    !(inkan_cc_is((uint8_t)ch, INKAN_CC_HEX) ||
				ch == ':' || ch == '.'))
				return fail_unexpected(
				    p, "invalid IPv6 address literal");
			if (n + 1 >= sizeof(v6))
				return fail(p, INKAN_ERR_SYNTAX,
				    "IPv6 address literal too long");
			v6[n++] = (char)ch;
			advance(p, 1);
		}
		v6[n] = '\0';
		if (inet_pton(AF_INET6, v6, path->addr) != 1)
			return fail_at(p, start, INKAN_ERR_SYNTAX,
			    "invalid IPv6 address literal");
		path->domain_kind = INKAN_SMTP_DOMAIN_IPV6;
	} else {
		/* A Standardized-tag is an Ldh-str ending in a letter or
		   digit; anything else must be an IPv4 address. */
		tag = inkan_cursor_skip_while(&p->c, INKAN_CC_LDH);
		if (tag > 0 && peek(p) == ':') {
			if (p->c.ptr[p->c.pos - 1] == '-')
				return fail_at(p, p->c.pos - 1,
				    INKAN_ERR_SYNTAX,
				    "address literal tag ends with '-'");
			advance(p, 1);
			n = 0;
			/* dcontent = %d33-90 / %d94-126 */
			while ((ch = peek(p)) >= 33 && ch <= 126 && ch != '[' &&
			    ch != '\\' && ch != ']') {
				advance(p, 1);
				n++;
			}
			if (n == 0 || ch != ']')
				return fail_unexpected(
				    p, "invalid general address literal");
			path->domain_kind = INKAN_SMTP_DOMAIN_GENERAL;
		} else {
			inkan_cursor_seek(&p->c, start + 1);
			if (!lex_snum(p, &path->addr[0]) ||
			    !inkan_cursor_accept(&p->c, '.') ||
			    !lex_snum(p, &path->addr[1]) ||
			    !inkan_cursor_accept(&p->c, '.') ||
			    !lex_snum(p, &path->addr[2]) ||
			    !inkan_cursor_accept(&p->c, '.') ||
			    !lex_snum(p, &path->addr[3]) || peek(p) != ']')
				return fail_at(p, start, INKAN_ERR_SYNTAX,
				    "invalid address literal");
			path->domain_kind = INKAN_SMTP_DOMAIN_IPV4;
		}
	}
	advance(p, 1);
	n = p->c.pos - start;
	if (n > p->domain_max)
		return fail_at(p, start + p->domain_max, INKAN_ERR_LIMIT,
		    "domain longer than smtp_domain_max");
	memcpy(path->domain, p->c.ptr + start, n);
	path->domain[n] = '\0';
	path->domain_len = n;
	memcpy(path->domain_alabel, path->domain, n + 1);
	path->domain_alabel_len = n;
	return true;
}

/*
 * RFC 5321 4.1.2 Domain = sub-domain *("." sub-domain), sub-domain a
 * letter-digit-hyphen label or (RFC 6531 3.3) a U-label. With store false
 * (a domain of a source route) it is only checked.
 */
static bool
parse_domain(struct pp *p, bool store)
{
	struct inkan_smtp_path *path = p->path;
	char scratch[INKAN_SMTP_DOMAIN_CAP + 1];
	size_t start = p->c.pos, label, n, i, alen;
	const char *why = NULL;
	enum inkan_status st;
	unsigned info = 0;
	int ch;

	for (;;) {
		label = p->c.pos;
		for (;;) {
			ch = peek(p);
			if (ch >= 0x80) {
				if ((n = lex_utf8(p)) == 0)
					return false;
			} else if (ch >= 0 &&
			    inkan_cc_is((uint8_t)ch, INKAN_CC_LDH))
				n = 1;
			else
				break;
			if (p->c.pos + n - start > p->domain_max)
				return fail(p, INKAN_ERR_LIMIT,
				    "domain longer than smtp_domain_max");
			advance(p, n);
		}
		if (p->c.pos == label)
			return fail_unexpected(p, "expected a domain label");
		if (peek(p) != '.')
			break;
		advance(p, 1);
	}
	n = p->c.pos - start;
	st = msg_lex_domain_alabel(p->c.ptr + start, n, p->domain_max,
	    store ? path->domain_alabel : scratch,
	    store ? sizeof(path->domain_alabel) : sizeof(scratch), &alen, &info,
	    &why);
	if (st != INKAN_OK)
		return fail_at(p, start, st, why);
	if (!store)
		return true;
	path->domain_alabel_len = alen;
	for (i = 0; i < n; i++)
		path->domain[i] = (char)inkan_ascii_lower(p->c.ptr[start + i]);
	path->domain[n] = '\0';
	path->domain_len = n;
	path->domain_kind = INKAN_SMTP_DOMAIN_NAME;
	return true;
}

/* RFC 5321 4.1.2 Mailbox = Local-part "@" ( Domain / address-literal ) */
static bool
parse_mailbox(struct pp *p)
{
	if (!parse_local(p))
		return false;
	if (!inkan_cursor_accept(&p->c, '@'))
		return fail_unexpected(p, "expected '@'");
	p->path->kind = INKAN_SMTP_PATH_MAILBOX;
	if (peek(p) == '[')
		return parse_literal(p);
	return parse_domain(p, true);
}

/*
 * RFC 5321 4.1.2 A-d-l ":" (the source route, at "@"): At-domain *( ","
 * At-domain ), each At-domain "@" Domain. Appendix C: a server may ignore
 * the route, and does.
 */
static bool
parse_route(struct pp *p)
{
	p->path->flags |= INKAN_SMTP_PATH_F_ROUTE;
	do {
		if (!inkan_cursor_accept(&p->c, '@'))
			return fail_unexpected(p, "expected '@' in the route");
		if (!parse_domain(p, false))
			return false;
	} while (inkan_cursor_accept(&p->c, ','));
	if (!inkan_cursor_accept(&p->c, ':'))
		return fail_unexpected(p, "expected ':' after the route");
	return true;
}

/* RFC 5321 4.1.1.3 "Postmaster" followed by the byte end (or, when end is
   ' ', by the end of the argument). */
static bool
accept_postmaster(struct pp *p, int end)
{
	static const char pm[] = "postmaster";
	struct inkan_view rest = inkan_cursor_rest(&p->c);
	struct inkan_smtp_path *path = p->path;
	size_t n = sizeof(pm) - 1;
	int after;

	if (!(p->flags & INKAN_SMTP_PARSE_POSTMASTER) ||
	    !inkan_view_prefix_nocase(rest, INKAN_VIEW_LIT(pm)))
		return false;
	after = inkan_cursor_peek_at(&p->c, n);
	if (after != end && !(end == ' ' && after == -1))
		return false;
	memcpy(path->local_raw, rest.ptr, n);
	path->local_raw[n] = '\0';
	path->local_raw_len = n;
	memcpy(path->local, rest.ptr, n);
	path->local[n] = '\0';
	path->local_len = n;
	path->kind = INKAN_SMTP_PATH_POSTMASTER;
	advance(p, n);
	return true;
}

static bool
parse_path(struct pp *p, size_t path_max)
{
	size_t start, n;
	int ch;

	if (p->flags & INKAN_SMTP_PARSE_LENIENT) {
		if (inkan_cursor_skip_while(&p->c, INKAN_CC_WSP) > 0)
			p->path->flags |= INKAN_SMTP_PATH_F_SPACE;
	}
	start = p->c.pos;
	if (inkan_cursor_accept(&p->c, '<')) {
		if (inkan_cursor_accept(&p->c, '>')) {
			/* RFC 5321 4.1.1.2: "<>" is a reverse-path only. */
			if (!(p->flags & INKAN_SMTP_PARSE_REVERSE))
				return fail_at(p, start, INKAN_ERR_SYNTAX,
				    "the null path is only valid in MAIL FROM");
			p->path->kind = INKAN_SMTP_PATH_NULL;
			return true;
		}
		if (!accept_postmaster(p, '>')) {
			if (peek(p) == '@' && !parse_route(p))
				return false;
			if (!parse_mailbox(p))
				return false;
		}
		if (!inkan_cursor_accept(&p->c, '>'))
			return fail_unexpected(p, "expected '>'");
		n = p->c.pos - start;
	} else if (p->flags & INKAN_SMTP_PARSE_LENIENT) {
		p->path->flags |= INKAN_SMTP_PATH_F_NO_BRACKETS;
		if (!accept_postmaster(p, ' ') && !parse_mailbox(p))
			return false;
		ch = peek(p);
		if (ch != -1 && ch != ' ')
			return fail_unexpected(
			    p, "expected a space or the end after the address");
		/* Counted as if bracketed, as it will be written. */
		n = p->c.pos - start + 2;
	} else
		return fail_unexpected(p, "expected '<'");
	/* RFC 5321 4.5.3.1.3: 256 octets, punctuation included. */
	if (n > path_max)
		return fail_at(p,
		    start + path_max < p->c.pos ? start + path_max : p->c.pos,
		    INKAN_ERR_LIMIT, "path longer than smtp_path_max");
	return true;
}

enum inkan_status
inkan_smtp_path_parse(const void *arg, size_t len,
    const struct inkan_limits *lim, unsigned flags,
    struct inkan_smtp_path *path_r, size_t *consumed_r)
{
	struct pp p;

	if (path_r == NULL || consumed_r == NULL)
		return INKAN_ERR_INVAL;
	memset(path_r, 0, sizeof(*path_r));
	*consumed_r = 0;
	if (arg == NULL && len > 0) {
		path_r->error = "invalid argument";
		return INKAN_ERR_INVAL;
	}
	if (lim == NULL)
		lim = inkan_limits_defaults();
	memset(&p, 0, sizeof(p));
	inkan_cursor_init(&p.c, arg, len);
	p.flags = flags;
	p.path = path_r;
	p.local_max = lim->smtp_localpart_max < INKAN_SMTP_LOCALPART_CAP
	    ? lim->smtp_localpart_max
	    : INKAN_SMTP_LOCALPART_CAP;
	p.domain_max = lim->smtp_domain_max < INKAN_SMTP_DOMAIN_CAP
	    ? lim->smtp_domain_max
	    : INKAN_SMTP_DOMAIN_CAP;
	if (!parse_path(&p, lim->smtp_path_max)) {
		memset(path_r, 0, sizeof(*path_r));
		path_r->error = p.msg;
		*consumed_r = p.off;
		return p.st;
	}
	*consumed_r = p.c.pos;
	return INKAN_OK;
}

enum inkan_status
inkan_smtp_path_format(
    const struct inkan_smtp_path *path, unsigned flags, struct inkan_buf *out)
{
	bool bare = (flags & INKAN_SMTP_FORMAT_BARE) != 0;
	enum inkan_status st = INKAN_OK;
	size_t len0;

	if (path == NULL || out == NULL)
		return INKAN_ERR_INVAL;
	len0 = out->len;
	if (!bare)
		st = inkan_buf_append_byte(out, '<');
	switch (path->kind) {
	case INKAN_SMTP_PATH_NULL:
		break;
	case INKAN_SMTP_PATH_POSTMASTER:
		if (st == INKAN_OK)
			st = inkan_buf_append(
			    out, path->local_raw, path->local_raw_len);
		break;
	case INKAN_SMTP_PATH_MAILBOX:
		if (st == INKAN_OK)
			st = inkan_buf_append(
			    out, path->local_raw, path->local_raw_len);
		if (st == INKAN_OK)
			st = inkan_buf_append_byte(out, '@');
		if (st == INKAN_OK && (flags & INKAN_SMTP_FORMAT_ALABEL))
			st = inkan_buf_append(
			    out, path->domain_alabel, path->domain_alabel_len);
		else if (st == INKAN_OK)
			st = inkan_buf_append(
			    out, path->domain, path->domain_len);
		break;
	default:
		st = INKAN_ERR_INVAL;
		break;
	}
	if (st == INKAN_OK && !bare)
		st = inkan_buf_append_byte(out, '>');
	if (st != INKAN_OK && out->len > len0)
		inkan_buf_truncate(out, len0);
	return st;
}
