/*
 * address.c: RFC 5322 3.4 address lists. The DMARC Author Domain(s) of a
 * From field (RFC 7489 3.1 and 6.6.1) are in from.c.
 *
 * The parser is a recursive descent over a cursor, without backtracking
 * except in one place: a display-name phrase and a local part begin with
 * the same words, so scan_words() first runs over them to see what follows
 * ("<", ":" or "@"), and the words are then parsed again as what they turn
 * out to be. Every string is decoded into the caller's arena; sizes are
 * known before each allocation (a decoded string is never longer than the
 * text it comes from).
 *
 * Also here: the lexing shared with path.c (see msg_impl.h).
 */
#include <string.h>

#include <idn2.h>

#include <inkan/msg.h>

#include "msg_impl.h"

/* ---- shared lexing (msg_impl.h) ---------------------------------------- */

size_t
msg_lex_utf8_len(const uint8_t *p, size_t n)
{
	uint32_t cp, min;
	size_t need, i;

	if (n == 0)
		return 0;
	/* RFC 3629 4: C0, C1 and F5-FF never start a sequence. */
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		need = 2;
		cp = p[0] & 0x1fu;
		min = 0x80;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		need = 3;
		cp = p[0] & 0x0fu;
		min = 0x800;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		need = 4;
		cp = p[0] & 0x07u;
		min = 0x10000;
	} else
		return 0;
	if (n < need)
		return 0;
	for (i = 1; i < need; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3fu);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return need;
}

/*
 * Checks one label of a host name. An ASCII label must be LDH with no
 * hyphen at either end and at most 63 octets; a label with 8-bit bytes
 * must be well-formed UTF-8 whose ASCII is LDH (libidn2 judges the rest).
 * Sets *idn for a non-ASCII label or an "xn--" one.
 */
static enum inkan_status
check_label(const uint8_t *l, size_t n, bool *idn, const char **why_r)
{
	bool ascii = true;
	size_t i, u;

	if (n == 0) {
		*why_r = "empty label in a domain name";
		return INKAN_ERR_SYNTAX;
	}
	for (i = 0; i < n; i++) {
		if (l[i] >= 0x80) {
			if ((u = msg_lex_utf8_len(l + i, n - i)) == 0) {
				*why_r = "malformed UTF-8 in a domain name";
				return INKAN_ERR_SYNTAX;
			}
			ascii = false;
			i += u - 1;
		} else if (!inkan_cc_is(l[i], INKAN_CC_LDH)) {
			*why_r = "domain is not a host name (a label holds a "
				 "character other than letters, digits, '-')";
			return INKAN_ERR_SYNTAX;
		}
	}
	if (!ascii) {
		*idn = true;
		return INKAN_OK;
	}
	if (n > INKAN_DNS_LABEL_MAX) {
		*why_r = "label longer than 63 octets in a domain name";
		return INKAN_ERR_SYNTAX;
	}
	if (l[0] == '-' || l[n - 1] == '-') {
		*why_r = "label starts or ends with '-' in a domain name";
		return INKAN_ERR_SYNTAX;
	}
	if (n >= 4 && (l[0] | 0x20) == 'x' && (l[1] | 0x20) == 'n' &&
	    l[2] == '-' && l[3] == '-')
		*idn = true;
	return INKAN_OK;
}

/* Checks every label of dom[0..len). */
static enum inkan_status
check_labels(const uint8_t *dom, size_t len, bool *idn, const char **why_r)
{
	enum inkan_status st;
	size_t i, start = 0;

	for (i = 0; i <= len; i++) {
		if (i < len && dom[i] != '.')
			continue;
		if ((st = check_label(dom + start, i - start, idn, why_r)) !=
		    INKAN_OK)
			return st;
		start = i + 1;
	}
	return INKAN_OK;
}

enum inkan_status
msg_lex_domain_alabel(const uint8_t *dom, size_t len, size_t max, char *out,
    size_t outcap, size_t *outlen_r, unsigned *info_r, const char **why_r)
{
	char in[MSG_LEX_DOMAIN_IN_MAX + 1];
	uint8_t *mapped = NULL;
	enum inkan_status st;
	bool idn = false, again = false;
	size_t i, n;
	int rc;

	*outlen_r = 0;
	*why_r = NULL;
	if (outcap == 0) {
		*why_r = "no room for the domain";
		return INKAN_ERR_INVAL;
	}
	out[0] = '\0';
	if (max > outcap - 1)
		max = outcap - 1;
	if (len == 0) {
		*why_r = "empty domain";
		return INKAN_ERR_SYNTAX;
	}
	if (len > MSG_LEX_DOMAIN_IN_MAX) {
		*why_r = "domain longer than 1024 octets as written";
		return INKAN_ERR_LIMIT;
	}
	if ((st = check_labels(dom, len, &idn, why_r)) != INKAN_OK)
		return st;
	for (i = 0; i < len; i++)
		in[i] = (char)inkan_ascii_lower(dom[i]);
	in[len] = '\0';
	if (!idn) {
		if (len > max) {
			*why_r = "domain longer than 255 octets";
			return INKAN_ERR_LIMIT;
		}
		memcpy(out, in, len + 1);
		*outlen_r = len;
		return INKAN_OK;
	}
	/*
	 * IDNA2008 (RFC 5891) with UTS 46 non-transitional mapping: the
	 * mapping folds case and width and removes what a reader cannot see
	 * (soft hyphens), so the name that is looked up is the name that is
	 * displayed; non-transitional keeps "ß" and ZWJ distinct (faß.de is
	 * not fass.de). The STD3 flag is not used: libidn2 2.3 drops "_"
	 * under it instead of refusing it. Our own ASCII checks ran above,
	 * and the answer is checked again below.
	 */
	rc = idn2_lookup_u8((const uint8_t *)in, &mapped, IDN2_NONTRANSITIONAL);
	if (rc == IDN2_MALLOC) {
		*why_r = "out of memory in libidn2";
		return INKAN_ERR_NOMEM;
	}
	if (rc != IDN2_OK) {
		*why_r = idn2_strerror(rc);
		return INKAN_ERR_SYNTAX;
	}
	n = strlen((const char *)mapped);
	if ((st = check_labels(mapped, n, &again, why_r)) != INKAN_OK) {
		*why_r = "IDNA maps the domain to one that is not a host name";
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (mapped[i] >= 0x80) {
			*why_r = "IDNA left non-ASCII in the domain";
			st = INKAN_ERR_SYNTAX;
			goto out;
		}
	}
	if (n > max) {
		*why_r = "domain longer than 255 octets in A-label form";
		st = INKAN_ERR_LIMIT;
		goto out;
	}
	memcpy(out, mapped, n + 1);
	*outlen_r = n;
	*info_r |= MSG_LEX_DOMAIN_IDN;
	st = INKAN_OK;
out:
	idn2_free(mapped);
	return st;
}

/* ---- the strict parser ----------------------------------------------------
 */

static const uint8_t empty_str[1] = { 0 };
#define EMPTY_VIEW ((struct inkan_view){ empty_str, 0 })

/* Where decoded text goes: a buffer sized for the source text. */
struct sink {
	uint8_t *buf;
	size_t len;
	size_t cap;
	bool over; /* more than cap was offered; the rest was dropped */
};

struct ap {
	struct inkan_cursor c;
	const struct inkan_limits *lim;
	unsigned flags;
	struct inkan_arena *arena;
	struct inkan_addr_list *list;
	size_t cap; /* entries allocated in list->mailboxes */
	unsigned mflags; /* flags of the mailbox being parsed */
	unsigned lflags; /* list-level flags */
	bool in_group;
	bool saw_utf8; /* lex_utf8() consumed something */
	enum inkan_status st; /* the first error, or INKAN_OK */
	const char *msg;
	size_t off;
};

static bool
fail_at(struct ap *p, size_t off, enum inkan_status st, const char *msg)
{
	if (p->st == INKAN_OK) {
		p->st = st;
		p->msg = msg;
		p->off = off;
	}
	return false;
}

static bool
fail(struct ap *p, enum inkan_status st, const char *msg)
{
	return fail_at(p, p->c.pos, st, msg);
}

static int
peek(const struct ap *p)
{
	return inkan_cursor_peek(&p->c);
}

static int
peek_at(const struct ap *p, size_t off)
{
	return inkan_cursor_peek_at(&p->c, off);
}

static void
advance(struct ap *p, size_t n)
{
	inkan_cursor_skip(&p->c, n);
}

static void
put(struct sink *o, const uint8_t *s, size_t n)
{
	if (o == NULL)
		return;
	if (n > o->cap - o->len) {
		o->over = true;
		return;
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

static void
put_byte(struct sink *o, uint8_t b)
{
	put(o, &b, 1);
}

/* A sink in the arena for up to cap bytes (plus the NUL). */
static bool
sink_new(struct ap *p, struct sink *o, size_t cap)
{
	size_t n;

	memset(o, 0, sizeof(*o));
	if (!inkan_size_add(cap, 1, &n) ||
	    (o->buf = inkan_arena_alloc(p->arena, n)) == NULL)
		return fail(p, INKAN_ERR_NOMEM, "out of memory");
	o->cap = cap;
	return true;
}

static struct inkan_view
sink_view(const struct sink *o)
{
	if (o->len == 0)
		return EMPTY_VIEW;
	o->buf[o->len] = '\0';
	return inkan_view_make(o->buf, o->len);
}

/* A NUL-terminated arena copy of the input bytes [start, end). */
static bool
copy_span(struct ap *p, size_t start, size_t end, struct inkan_view *v_r)
{
	char *s;

	if (end <= start) {
		*v_r = EMPTY_VIEW;
		return true;
	}
	if ((s = inkan_arena_strndup(
		 p->arena, p->c.ptr + start, end - start)) == NULL)
		return fail(p, INKAN_ERR_NOMEM, "out of memory");
	*v_r = inkan_view_make(s, end - start);
	return true;
}

/* RFC 5322 4.4 obsolete syntax was met: allowed unless NO_OBS. */
static bool
note_obs(struct ap *p)
{
	if (p->flags & INKAN_ADDR_PARSE_NO_OBS)
		return fail(p, INKAN_ERR_SYNTAX, "obsolete RFC 5322 syntax");
	p->mflags |= INKAN_ADDR_F_OBS;
	p->lflags |= INKAN_ADDR_F_OBS;
	return true;
}

/* RFC 5322 4.1 obs-NO-WS-CTL: control characters other than NUL, HTAB,
   CR and LF. */
static bool
is_obs_ctl(int ch)
{
	return (ch >= 1 && ch <= 8) || ch == 11 || ch == 12 ||
	    (ch >= 14 && ch <= 31) || ch == 127;
}

/* RFC 6532 3.1 UTF8-non-ascii at the cursor. Returns false after failing. */
static bool
lex_utf8(struct ap *p, struct sink *o)
{
	struct inkan_view rest = inkan_cursor_rest(&p->c);
	size_t n;

	if (p->flags & INKAN_ADDR_PARSE_NO_UTF8)
		return fail(p, INKAN_ERR_SYNTAX,
		    "8-bit byte where RFC 6532 UTF-8 is not allowed");
	if ((n = msg_lex_utf8_len(rest.ptr, rest.len)) == 0)
		return fail(p, INKAN_ERR_SYNTAX, "malformed UTF-8");
	put(o, rest.ptr, n);
	advance(p, n);
	p->saw_utf8 = true;
	return true;
}

/*
 * RFC 5322 3.2.2 FWS and 4.2 obs-FWS: white space, and line breaks (CRLF,
 * or a bare LF) followed by white space. One line break at the very end of
 * the value ends the field and is skipped as well. A sink gets the white
 * space without the line breaks (RFC 5322 3.2.4: inside a quoted-string
 * the CRLF of a fold is invisible). Returns whether anything was skipped.
 */
static bool
skip_fws(struct ap *p, struct sink *o)
{
	size_t start = p->c.pos, brk;
	int ch;

	for (;;) {
		ch = peek(p);
		if (ch == ' ' || ch == '\t') {
			put_byte(o, (uint8_t)ch);
			advance(p, 1);
			continue;
		}
		if (ch == '\r' && peek_at(p, 1) == '\n')
			brk = 2;
		else if (ch == '\n')
			brk = 1;
		else
			break;
		ch = peek_at(p, brk);
		if (ch != ' ' && ch != '\t' && ch != -1)
			break;
		advance(p, brk);
	}
	return p->c.pos != start;
}

/*
 * One byte of ctext, qtext or dtext (RFC 5322 3.2.2, 3.2.4, 3.4.1): any
 * VCHAR the caller has not already dealt with, RFC 6532 UTF-8, and the
 * obsolete control characters. in_literal refuses "[" (not dtext).
 */
static bool
lex_text(struct ap *p, bool in_literal, struct sink *o)
{
	int ch = peek(p);

	if (ch >= 0x21 && ch <= 0x7e) {
		if (in_literal && ch == '[')
			return fail(
			    p, INKAN_ERR_SYNTAX, "'[' inside a domain literal");
		put_byte(o, (uint8_t)ch);
		advance(p, 1);
		return true;
	}
	if (ch >= 0x80)
		return lex_utf8(p, o);
	if (is_obs_ctl(ch)) {
		if (!note_obs(p))
			return false;
		put_byte(o, (uint8_t)ch);
		advance(p, 1);
		return true;
	}
	if (ch == 0)
		return fail(p, INKAN_ERR_SYNTAX, "NUL byte");
	return fail(
	    p, INKAN_ERR_SYNTAX, "line break not followed by white space");
}

/*
 * RFC 5322 3.2.1 quoted-pair, at "\". RFC 6532 3.2 makes UTF-8 a VCHAR, so
 * "\" may quote it. The obs-qp of 4.1 may quote control characters; NUL, CR
 * and LF are refused even so.
 */
static bool
lex_qpair(struct ap *p, struct sink *o)
{
	int ch = peek_at(p, 1);

	if (ch == -1)
		return fail(
		    p, INKAN_ERR_SYNTAX, "'\\' at the end of the value");
	if (ch == ' ' || ch == '\t' || (ch >= 0x21 && ch <= 0x7e)) {
		put_byte(o, (uint8_t)ch);
		advance(p, 2);
		return true;
	}
	if (ch >= 0x80) {
		advance(p, 1);
		return lex_utf8(p, o);
	}
	if (ch == 0 || ch == '\r' || ch == '\n')
		return fail_at(p, p->c.pos + 1, INKAN_ERR_SYNTAX,
		    "'\\' before NUL or a line break");
	if (!note_obs(p))
		return false;
	put_byte(o, (uint8_t)ch);
	advance(p, 2);
	return true;
}

/*
 * RFC 5322 3.2.2 comment, at "(". Nesting is counted, not recursed, and
 * limited to addr_comment_depth. Comments carry no value: nothing is kept.
 */
static bool
skip_comment(struct ap *p)
{
	size_t depth = 0;
	int ch;

	for (;;) {
		skip_fws(p, NULL);
		ch = peek(p);
		if (ch == -1)
			return fail(
			    p, INKAN_ERR_SYNTAX, "unterminated comment");
		if (ch == '(') {
			if (depth >= p->lim->addr_comment_depth)
				return fail(p, INKAN_ERR_LIMIT,
				    "comments nested deeper than "
				    "addr_comment_depth");
			depth++;
			advance(p, 1);
		} else if (ch == ')') {
			advance(p, 1);
			if (--depth == 0)
				return true;
		} else if (ch == '\\') {
			if (!lex_qpair(p, NULL))
				return false;
		} else if (!lex_text(p, false, NULL))
			return false;
	}
}

/* RFC 5322 3.2.2 CFWS, possibly empty. *saw_r (if not NULL) says whether
   there was any. Returns false after failing. */
static bool
skip_cfws(struct ap *p, bool *saw_r)
{
	size_t start = p->c.pos;

	for (;;) {
		skip_fws(p, NULL);
		if (peek(p) != '(')
			break;
		if (!skip_comment(p))
			return false;
	}
	if (saw_r != NULL)
		*saw_r = p->c.pos != start;
	return true;
}

static bool
is_atext_start(int ch)
{
	return ch >= 0x80 ||
	    (ch >= 0 && inkan_cc_is((uint8_t)ch, INKAN_CC_ATEXT));
}

/* RFC 5322 3.2.3 1*atext, RFC 6532 UTF-8 included; the cursor is at one. */
static bool
lex_atom(struct ap *p, struct sink *o)
{
	int ch;

	for (;;) {
		ch = peek(p);
		if (ch >= 0x80) {
			if (!lex_utf8(p, o))
				return false;
		} else if (ch >= 0 &&
		    inkan_cc_is((uint8_t)ch, INKAN_CC_ATEXT)) {
			put_byte(o, (uint8_t)ch);
			advance(p, 1);
		} else
			return true;
	}
}

/* RFC 5322 3.2.4 quoted-string from its opening DQUOTE; o gets the value. */
static bool
lex_quoted(struct ap *p, struct sink *o)
{
	int ch;

	advance(p, 1);
	for (;;) {
		skip_fws(p, o);
		ch = peek(p);
		if (ch == -1)
			return fail(
			    p, INKAN_ERR_SYNTAX, "unterminated quoted string");
		if (ch == '"') {
			advance(p, 1);
			return true;
		}
		if (ch == '\\') {
			if (!lex_qpair(p, o))
				return false;
		} else if (!lex_text(p, false, o))
			return false;
	}
}

/*
 * Skips the words, dots and CFWS that both a display-name phrase and a
 * local part are made of, and returns the byte that follows them (-1 at
 * the end), or -2 after failing.
 */
static int
scan_words(struct ap *p)
{
	int ch;

	for (;;) {
		if (!skip_cfws(p, NULL))
			return -2;
		ch = peek(p);
		if (ch == '"') {
			if (!lex_quoted(p, NULL))
				return -2;
		} else if (ch == '.')
			advance(p, 1);
		else if (is_atext_start(ch)) {
			if (!lex_atom(p, NULL))
				return -2;
		} else
			return ch;
	}
}

/*
 * RFC 5322 3.2.5 phrase (and 4.1 obs-phrase, which allows "." after the
 * first word) from the cursor to end, which scan_words() found. With v_r
 * NULL the phrase is only checked. The value: words decoded, each run of
 * CFWS between two words one space.
 */
static bool
parse_phrase(struct ap *p, size_t end, struct inkan_view *v_r)
{
	struct sink o, *op = NULL;
	bool words = false, space = false, saw;
	int ch;

	if (v_r != NULL) {
		if (!sink_new(p, &o, end - p->c.pos))
			return false;
		op = &o;
	}
	p->saw_utf8 = false;
	while (p->c.pos < end) {
		if (!skip_cfws(p, &saw))
			return false;
		if (saw && words)
			space = true;
		if (p->c.pos >= end)
			break;
		if (space)
			put_byte(op, ' ');
		space = false;
		ch = peek(p);
		if (ch == '.') {
			if (!words)
				return fail(p, INKAN_ERR_SYNTAX,
				    "a display name cannot start with '.'");
			if (!note_obs(p))
				return false;
			put_byte(op, '.');
			advance(p, 1);
		} else if (ch == '"') {
			if (!lex_quoted(p, op))
				return false;
		} else if (!is_atext_start(ch)) {
			return fail(p, INKAN_ERR_INTERNAL, "phrase rescan");
		} else if (!lex_atom(p, op))
			return false;
		words = true;
	}
	if (op != NULL) {
		if (o.over)
			return fail(p, INKAN_ERR_INTERNAL, "phrase overflow");
		*v_r = sink_view(&o);
	}
	return true;
}

/* Starts the mailbox *mb at offset off. */
static void
init_mailbox(struct inkan_addr_mailbox *mb, size_t off)
{
	memset(mb, 0, sizeof(*mb));
	mb->display_name = mb->local_raw = mb->local = EMPTY_VIEW;
	mb->domain_raw = mb->domain = mb->group = EMPTY_VIEW;
	mb->domain_status = INKAN_OK;
	mb->offset = off;
}

/*
 * Appends the parsed mailbox *mb to the list. A mailbox is parsed on the
 * stack and stored only once complete, so the array (sized by the number
 * of "@" in the value) never sees one that turns out to have no "@".
 */
static bool
store_mailbox(struct ap *p, struct inkan_addr_mailbox *mb)
{
	if (p->list->count >= p->lim->addr_list_max)
		return fail_at(p, mb->offset, INKAN_ERR_LIMIT,
		    "more mailboxes than addr_list_max");
	if (p->list->count >= p->cap)
		return fail_at(
		    p, mb->offset, INKAN_ERR_INTERNAL, "mailbox count");
	mb->flags |= p->mflags;
	if (p->in_group)
		mb->flags |= INKAN_ADDR_F_GROUP;
	p->lflags |= mb->flags;
	p->list->mailboxes[p->list->count++] = *mb;
	return true;
}

/* Fails on the byte at the cursor, naming it when it is never valid. */
static bool
fail_unexpected(struct ap *p, const char *expected)
{
	int ch = peek(p);

	if (ch == 0)
		return fail(p, INKAN_ERR_SYNTAX, "NUL byte");
	if (ch == '\r' || ch == '\n')
		return fail(p, INKAN_ERR_SYNTAX,
		    "line break not followed by white space");
	if (ch == -1)
		return fail(p, INKAN_ERR_SYNTAX, "unexpected end of the value");
	return fail(p, INKAN_ERR_SYNTAX, expected);
}

/* "=?" and, after it, "?=": the shape of an RFC 2047 encoded-word. */
static bool
looks_encoded(struct inkan_view v)
{
	size_t i;

	for (i = 0; i + 1 < v.len; i++)
		if (v.ptr[i] == '=' && v.ptr[i + 1] == '?')
			break;
	for (i += 2; i + 1 < v.len; i++)
		if (v.ptr[i] == '?' && v.ptr[i + 1] == '=')
			return true;
	return false;
}

/*
 * After a word of a dot-atom: skips CFWS and, if a '.' follows, consumes
 * it (copied to o) and the CFWS after it. CFWS around a dot is the
 * obsolete syntax of RFC 5322 4.4 (obs-local-part, obs-domain), recorded
 * in *obs; CFWS after the last word is not. Returns 1 after a dot, 0 when
 * none follows, -1 on error.
 */
static int
next_dot(struct ap *p, struct sink *o, bool *obs)
{
	bool saw;

	if (!skip_cfws(p, &saw))
		return -1;
	if (peek(p) != '.')
		return 0;
	*obs = *obs || saw;
	put_byte(o, '.');
	advance(p, 1);
	if (!skip_cfws(p, &saw))
		return -1;
	*obs = *obs || saw;
	return 1;
}

/*
 * RFC 5322 3.4.1 local-part: dot-atom / quoted-string / obs-local-part
 * (4.4: words and dots with CFWS between them, quoted or not), from the
 * cursor to end, where scan_words() found "@".
 */
static bool
parse_local(struct ap *p, struct inkan_addr_mailbox *mb, size_t end)
{
	struct sink o;
	size_t raw_start, raw_end, words = 0, quoted = 0;
	bool obs = false;
	int ch;
	int r;

	if (!skip_cfws(p, NULL))
		return false;
	raw_start = raw_end = p->c.pos;
	if (!sink_new(p, &o, end - raw_start))
		return false;
	p->saw_utf8 = false;
	for (;;) {
		ch = peek(p);
		if (ch == '"') {
			if (!lex_quoted(p, &o))
				return false;
			quoted++;
		} else if (is_atext_start(ch)) {
			if (!lex_atom(p, &o))
				return false;
		} else
			return fail(p, INKAN_ERR_SYNTAX,
			    "expected a word in the local part");
		words++;
		raw_end = p->c.pos;
		if ((r = next_dot(p, &o, &obs)) < 0)
			return false;
		if (r == 0)
			break;
	}
	if (peek(p) != '@')
		return fail_unexpected(p, "expected '.' or '@'");
	/* A quoted-string among dots is obs-local-part (RFC 5322 4.4). */
	if (obs || (quoted > 0 && words > 1)) {
		if (!note_obs(p))
			return false;
	}
	if (o.over)
		return fail(p, INKAN_ERR_INTERNAL, "local part overflow");
	if (!copy_span(p, raw_start, raw_end, &mb->local_raw))
		return false;
	mb->local = sink_view(&o);
	if (quoted > 0)
		mb->flags |= INKAN_ADDR_F_QUOTED_LOCAL;
	if (p->saw_utf8)
		mb->flags |= INKAN_ADDR_F_UTF8_LOCAL;
	if (looks_encoded(mb->local_raw))
		mb->flags |= INKAN_ADDR_F_ENCODED_LOCAL;
	return true;
}

/* Sets mb's DNS domain from the domain text (dot-atom value). */
static bool
set_domain(struct ap *p, struct inkan_addr_mailbox *mb, const struct sink *o)
{
	char out[INKAN_DNS_NAME_MAX + 1];
	const char *why = NULL;
	enum inkan_status st;
	unsigned info = 0;
	size_t n;
	char *s;

	if (o->over) {
		mb->domain_status = INKAN_ERR_LIMIT;
		mb->domain_error = "domain longer than 1024 octets as written";
		return true;
	}
	st = msg_lex_domain_alabel(o->buf, o->len, INKAN_DNS_NAME_MAX, out,
	    sizeof(out), &n, &info, &why);
	if (info & MSG_LEX_DOMAIN_IDN)
		mb->flags |= INKAN_ADDR_F_IDN;
	if (st == INKAN_ERR_NOMEM)
		return fail(p, st, "out of memory");
	if (st != INKAN_OK) {
		mb->domain_status = st;
		mb->domain_error = why;
		return true;
	}
	if ((s = inkan_arena_strndup(p->arena, out, n)) == NULL)
		return fail(p, INKAN_ERR_NOMEM, "out of memory");
	mb->domain = inkan_view_make(s, n);
	return true;
}

/*
 * RFC 5322 3.4.1 domain: dot-atom / domain-literal / obs-domain (4.4:
 * CFWS around the dots), with its surrounding CFWS. mb NULL (a domain of
 * an obs-route) checks the syntax only.
 */
static bool
parse_domain(struct ap *p, struct inkan_addr_mailbox *mb)
{
	uint8_t text[MSG_LEX_DOMAIN_IN_MAX];
	struct sink o = { text, 0, sizeof(text), false };
	size_t raw_start, raw_end;
	bool obs = false;
	int ch;
	int r;

	if (!skip_cfws(p, NULL))
		return false;
	raw_start = p->c.pos;
	p->saw_utf8 = false;
	if (peek(p) == '[') {
		/* domain-literal = [CFWS] "[" *([FWS] dtext) [FWS] "]" */
		advance(p, 1);
		for (;;) {
			skip_fws(p, NULL);
			ch = peek(p);
			if (ch == -1)
				return fail(p, INKAN_ERR_SYNTAX,
				    "unterminated domain literal");
			if (ch == ']')
				break;
			if (ch == '\\') {
				/* 4.4 obs-dtext: quoted-pair */
				if (!note_obs(p) || !lex_qpair(p, NULL))
					return false;
			} else if (!lex_text(p, true, NULL))
				return false;
		}
		advance(p, 1);
		raw_end = p->c.pos;
		if (!skip_cfws(p, NULL))
			return false;
		if (mb == NULL)
			return true;
		mb->flags |= INKAN_ADDR_F_DOMAIN_LITERAL;
		mb->domain_status = INKAN_ERR_UNSUPPORTED;
		mb->domain_error = "a domain literal is not a DNS domain";
		return copy_span(p, raw_start, raw_end, &mb->domain_raw);
	}
	for (;;) {
		if (!is_atext_start(peek(p)))
			return fail(p, INKAN_ERR_SYNTAX, "expected a domain");
		if (!lex_atom(p, &o))
			return false;
		raw_end = p->c.pos;
		if ((r = next_dot(p, &o, &obs)) < 0)
			return false;
		if (r == 0)
			break;
	}
	if (obs && !note_obs(p))
		return false;
	if (mb == NULL)
		return true;
	if (p->saw_utf8)
		mb->flags |= INKAN_ADDR_F_IDN;
	if (!copy_span(p, raw_start, raw_end, &mb->domain_raw))
		return false;
	return set_domain(p, mb, &o);
}

/* RFC 5322 3.4.1 addr-spec = local-part "@" domain, at its start. */
static bool
parse_addr_spec(struct ap *p, struct inkan_addr_mailbox *mb)
{
	size_t start = p->c.pos, end;
	int ch;

	if ((ch = scan_words(p)) == -2)
		return false;
	if (ch != '@')
		return fail_unexpected(p, "expected '@'");
	end = p->c.pos;
	inkan_cursor_seek(&p->c, start);
	if (!parse_local(p, mb, end))
		return false;
	advance(p, 1);
	return parse_domain(p, mb);
}

/*
 * RFC 5322 3.4 angle-addr, and 4.4 obs-angle-addr whose obs-route
 * (obs-domain-list ":") is checked and dropped; the cursor is at "<".
 */
static bool
parse_angle(struct ap *p, struct inkan_addr_mailbox *mb)
{
	int ch;

	advance(p, 1);
	mb->flags |= INKAN_ADDR_F_ANGLE;
	if (!skip_cfws(p, NULL))
		return false;
	ch = peek(p);
	if (ch == '@' || ch == ',') {
		/* obs-domain-list = *(CFWS / ",") "@" domain
		 *("," [CFWS] ["@" domain]) */
		if (!note_obs(p))
			return false;
		mb->flags |= INKAN_ADDR_F_ROUTE;
		while (peek(p) == ',') {
			advance(p, 1);
			if (!skip_cfws(p, NULL))
				return false;
		}
		if (peek(p) != '@')
			return fail(
			    p, INKAN_ERR_SYNTAX, "expected '@' in a route");
		advance(p, 1);
		if (!parse_domain(p, NULL))
			return false;
		while (peek(p) == ',') {
			advance(p, 1);
			if (!skip_cfws(p, NULL))
				return false;
			if (peek(p) == '@') {
				advance(p, 1);
				if (!parse_domain(p, NULL))
					return false;
			}
		}
		if (peek(p) != ':')
			return fail(
			    p, INKAN_ERR_SYNTAX, "expected ':' after a route");
		advance(p, 1);
	}
	if (!parse_addr_spec(p, mb))
		return false;
	if (peek(p) != '>')
		return fail_unexpected(p, "expected '>'");
	advance(p, 1);
	return skip_cfws(p, NULL);
}

static bool parse_address(struct ap *p, bool group_ok);

/*
 * RFC 5322 3.4 group = display-name ":" [group-list] ";" [CFWS], with the
 * name at [name_start, name_end) and the cursor at ":". group-list is a
 * mailbox-list, CFWS, or (4.4) obs-group-list: commas with nothing
 * between them.
 */
static bool
parse_group(struct ap *p, size_t name_start, size_t name_end)
{
	struct inkan_view name;
	size_t first = p->list->count, at, i;
	bool had = false, comma = false;
	int ch;

	inkan_cursor_seek(&p->c, name_start);
	if (!parse_phrase(p, name_end, NULL))
		return false;
	advance(p, 1);
	p->list->groups++;
	p->lflags |= INKAN_ADDR_F_GROUP;
	p->in_group = true;
	for (;;) {
		if (!skip_cfws(p, NULL))
			return false;
		ch = peek(p);
		if (ch == ';')
			break;
		if (ch == ',') {
			if (!had && !note_obs(p))
				return false;
			advance(p, 1);
			had = false;
			comma = true;
			continue;
		}
		if (ch == -1)
			return fail(
			    p, INKAN_ERR_SYNTAX, "group not ended by ';'");
		if (had)
			return fail_unexpected(p, "expected ',' or ';'");
		if (!parse_address(p, false))
			return false;
		had = true;
	}
	if (comma && !had && !note_obs(p))
		return false;
	advance(p, 1);
	p->in_group = false;
	if (p->list->count == first)
		return true;
	/* Decode the name only for a group that holds mailboxes. */
	at = p->c.pos;
	inkan_cursor_seek(&p->c, name_start);
	if (!parse_phrase(p, name_end, &name))
		return false;
	inkan_cursor_seek(&p->c, at);
	for (i = first; i < p->list->count; i++)
		p->list->mailboxes[i].group = name;
	return true;
}

/*
 * RFC 5322 3.4 address = mailbox / group; mailbox = name-addr / addr-spec.
 * group_ok is false inside a group (groups do not nest) and with
 * INKAN_ADDR_PARSE_NO_GROUP.
 */
static bool
parse_address(struct ap *p, bool group_ok)
{
	struct inkan_addr_mailbox mb;
	size_t start, end;
	int ch;

	p->mflags = 0;
	if (!skip_cfws(p, NULL))
		return false;
	start = p->c.pos;
	if ((ch = scan_words(p)) == -2)
		return false;
	end = p->c.pos;
	init_mailbox(&mb, start);
	switch (ch) {
	case '<':
		inkan_cursor_seek(&p->c, start);
		if (end > start) {
			if (!parse_phrase(p, end, &mb.display_name))
				return false;
			if (p->saw_utf8)
				mb.flags |= INKAN_ADDR_F_UTF8_NAME;
		}
		if (!parse_angle(p, &mb))
			return false;
		break;
	case '@':
		inkan_cursor_seek(&p->c, start);
		if (!parse_local(p, &mb, end))
			return false;
		advance(p, 1);
		if (!parse_domain(p, &mb))
			return false;
		break;
	case ':':
		if (!group_ok)
			return fail(p, INKAN_ERR_SYNTAX,
			    p->in_group ? "a group inside a group"
					: "group syntax not allowed here");
		return parse_group(p, start, end);
	default:
		return fail_unexpected(p,
		    end == start ? "expected an address"
				 : "expected '<', '@' or ':' after the words");
	}
	return store_mailbox(p, &mb);
}

/*
 * RFC 5322 3.4 address-list = address *("," address), and 4.4
 * obs-addr-list, which allows empty elements (", ,").
 */
static bool
parse_list(struct ap *p)
{
	bool had = false, any = false;
	int ch;

	for (;;) {
		if (!skip_cfws(p, NULL))
			return false;
		ch = peek(p);
		if (ch == -1)
			break;
		if (ch == ',') {
			if (!had && !note_obs(p))
				return false;
			advance(p, 1);
			had = false;
			continue;
		}
		if (had)
			return fail_unexpected(p, "expected ','");
		if (!parse_address(p, !(p->flags & INKAN_ADDR_PARSE_NO_GROUP)))
			return false;
		had = any = true;
	}
	if (!any)
		return fail(p, INKAN_ERR_SYNTAX, "no address");
	if (!had && !note_obs(p))
		return false;
	return true;
}

enum inkan_status
inkan_addr_list_parse(const void *value, size_t len,
    const struct inkan_limits *lim, unsigned flags, struct inkan_arena *arena,
    struct inkan_addr_list *list_r)
{
	struct ap p;

	if (list_r == NULL)
		return INKAN_ERR_INVAL;
	memset(list_r, 0, sizeof(*list_r));
	if ((value == NULL && len > 0) || arena == NULL) {
		list_r->err_msg = "invalid argument";
		return INKAN_ERR_INVAL;
	}
	memset(&p, 0, sizeof(p));
	p.lim = lim != NULL ? lim : inkan_limits_defaults();
	p.flags = flags;
	p.arena = arena;
	p.list = list_r;
	inkan_cursor_init(&p.c, value, len);
	/* Every mailbox has an "@": that bounds the array. */
	p.cap = len > 0 ? msg_count_byte(value, len, '@') : 0;
	if (p.cap > p.lim->addr_list_max)
		p.cap = p.lim->addr_list_max;
	if (p.cap > 0 &&
	    (list_r->mailboxes = inkan_arena_calloc(
		 arena, p.cap, sizeof(*list_r->mailboxes))) == NULL)
		fail(&p, INKAN_ERR_NOMEM, "out of memory");
	else
		parse_list(&p);
	if (p.st != INKAN_OK) {
		list_r->mailboxes = NULL;
		list_r->count = list_r->groups = 0;
		list_r->err_msg = p.msg;
		list_r->err_offset = p.off;
		return p.st;
	}
	list_r->flags = p.lflags;
	return INKAN_OK;
}
