/*
 * from.c: the Author Domains of a From field for DMARC (RFC 9989, RFC 7489
 * 6.6.1): inkan_addr_from_domains() runs the strict RFC 5322 parse of
 * address.c and, when it fails, the conservative recovery described in
 * msg.h and docs/architecture.md. Split from address.c, which keeps the
 * grammar.
 */
#include <string.h>

#include <inkan/msg.h>

#include "msg_impl.h"

/* The distinct domains found so far. */
struct dset {
	struct inkan_view *v;
	size_t n;
	size_t cap;
	size_t unusable;
};

static bool
dset_has(const struct dset *d, struct inkan_view dom)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (inkan_view_eq(d->v[i], dom))
			return true;
	return false;
}

static enum inkan_status
dset_init(struct dset *d, struct inkan_arena *arena, size_t cap)
{
	memset(d, 0, sizeof(*d));
	if (cap == 0)
		return INKAN_OK;
	if ((d->v = inkan_arena_calloc(arena, cap, sizeof(*d->v))) == NULL)
		return INKAN_ERR_NOMEM;
	d->cap = cap;
	return INKAN_OK;
}

/* Adds dom (which must outlive the set) unless it is there already. */
static enum inkan_status
dset_add(struct dset *d, struct inkan_view dom)
{
	if (dset_has(d, dom))
		return INKAN_OK;
	if (d->n >= d->cap)
		return INKAN_ERR_INTERNAL;
	d->v[d->n++] = dom;
	return INKAN_OK;
}

/* The recovery scanner (see inkan_addr_from_domains() in msg.h). */
struct recov {
	const uint8_t *s;
	size_t len;
	size_t pos;
	const struct inkan_limits *lim;
	struct inkan_arena *arena;
	struct dset *d;
	size_t authors;
};

static bool
is_wsp(uint8_t b)
{
	return b == ' ' || b == '\t';
}

/* Rule 1: only printable text, 8-bit bytes, HTAB and folds. */
static bool
recov_text_ok(const uint8_t *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] == '\r') {
			if (i + 1 >= len || s[i + 1] != '\n')
				return false;
			i++;
		}
		if (s[i] == '\n') {
			if (i + 1 < len && !is_wsp(s[i + 1]))
				return false;
			continue;
		}
		if ((s[i] < 0x20 && s[i] != '\t') || s[i] == 0x7f)
			return false;
	}
	return true;
}

/* Rule 3: token separators. */
static bool
recov_is_sep(uint8_t b)
{
	return b == ' ' || b == '\t' || b == '\r' || b == '\n' ||
	    (b != 0 && strchr("()<>[]:;,\"\\", b) != NULL);
}

/* Skips a quoted string at r->pos; false if it is not closed. */
static bool
recov_skip_quoted(struct recov *r)
{
	for (r->pos++; r->pos < r->len; r->pos++) {
		if (r->s[r->pos] == '\\')
			r->pos++;
		else if (r->s[r->pos] == '"') {
			r->pos++;
			return true;
		}
	}
	return false;
}

/* Skips a comment at r->pos; false if it is not closed or too deep. */
static bool
recov_skip_comment(struct recov *r)
{
	size_t depth = 0;

	for (; r->pos < r->len; r->pos++) {
		if (r->s[r->pos] == '\\')
			r->pos++;
		else if (r->s[r->pos] == '(') {
			if (depth >= r->lim->addr_comment_depth)
				return false;
			depth++;
		} else if (r->s[r->pos] == ')' && --depth == 0) {
			r->pos++;
			return true;
		}
	}
	return false;
}

/*
 * An author token: local[0..llen) then "@" and the rest up to end. Adds
 * its domain, or counts an unusable author.
 */
static enum inkan_status
recov_author(struct recov *r, size_t llen, size_t at, size_t end)
{
	char out[INKAN_DNS_NAME_MAX + 1];
	const uint8_t *dom = r->s + at + 1;
	size_t dlen = end - at - 1, n;
	const char *why;
	unsigned info = 0;
	enum inkan_status st;
	char *s;

	if (++r->authors > r->lim->addr_list_max)
		return INKAN_ERR_LIMIT;
	if (dlen > 0 && dom[dlen - 1] == '.')
		dlen--;
	if (llen == 0 || dlen == 0 || memchr(dom, '@', dlen) != NULL) {
		r->d->unusable++;
		return INKAN_OK;
	}
	st = msg_lex_domain_alabel(
	    dom, dlen, INKAN_DNS_NAME_MAX, out, sizeof(out), &n, &info, &why);
	if (st == INKAN_ERR_NOMEM)
		return st;
	if (st != INKAN_OK) {
		r->d->unusable++;
		return INKAN_OK;
	}
	if (dset_has(r->d, inkan_view_make(out, n)))
		return INKAN_OK;
	if ((s = inkan_arena_strndup(r->arena, out, n)) == NULL)
		return INKAN_ERR_NOMEM;
	return dset_add(r->d, inkan_view_make(s, n));
}

/* Reads the token at r->pos; llen is the length of a quoted local part
   already read before it (the token then starts at its "@"). */
static enum inkan_status
recov_token(struct recov *r, size_t start, size_t llen)
{
	const uint8_t *at;
	size_t end;

	while (r->pos < r->len && !recov_is_sep(r->s[r->pos]))
		r->pos++;
	end = r->pos;
	if ((at = memchr(r->s + start + llen, '@', end - start - llen)) == NULL)
		return INKAN_OK;
	if (llen == 0)
		llen = (size_t)(at - (r->s + start));
	return recov_author(r, llen, (size_t)(at - r->s), end);
}

/*
 * The recovery rule. Returns INKAN_OK with d filled (maybe empty),
 * INKAN_ERR_SYNTAX or INKAN_ERR_LIMIT if the field is beyond recovery,
 * INKAN_ERR_NOMEM.
 */
static enum inkan_status
recover(const uint8_t *s, size_t len, const struct inkan_limits *lim,
    struct inkan_arena *arena, struct dset *d)
{
	struct recov r = { s, len, 0, lim, arena, d, 0 };
	enum inkan_status st;
	size_t cap, start;

	if (!recov_text_ok(s, len))
		return INKAN_ERR_SYNTAX;
	cap = msg_count_byte(s, len, '@');
	if (cap > lim->addr_list_max)
		cap = lim->addr_list_max;
	if ((st = dset_init(d, arena, cap)) != INKAN_OK)
		return st;
	while (r.pos < len) {
		start = r.pos;
		if (s[r.pos] == '"') {
			if (!recov_skip_quoted(&r))
				return INKAN_ERR_SYNTAX;
			/* A quoted local part: "john doe"@example.com */
			if (r.pos < len && s[r.pos] == '@' &&
			    (st = recov_token(&r, start, r.pos - start)) !=
				INKAN_OK)
				return st;
		} else if (s[r.pos] == '(') {
			if (!recov_skip_comment(&r))
				return INKAN_ERR_SYNTAX;
		} else if (recov_is_sep(s[r.pos]))
			r.pos++;
		else if ((st = recov_token(&r, start, 0)) != INKAN_OK)
			return st;
	}
	return INKAN_OK;
}

enum inkan_status
inkan_addr_from_domains(const void *value, size_t len,
    const struct inkan_limits *lim, unsigned flags, struct inkan_arena *arena,
    struct inkan_addr_from *res_r)
{
	const unsigned parse_flags = INKAN_ADDR_PARSE_NO_OBS |
	    INKAN_ADDR_PARSE_NO_UTF8 | INKAN_ADDR_PARSE_NO_GROUP;
	const struct inkan_addr_mailbox *mb;
	struct dset d;
	enum inkan_status st;
	size_t i;

	if (res_r == NULL)
		return INKAN_ERR_INVAL;
	memset(res_r, 0, sizeof(*res_r));
	if ((value == NULL && len > 0) || arena == NULL)
		return INKAN_ERR_INVAL;
	if (lim == NULL)
		lim = inkan_limits_defaults();
	memset(&d, 0, sizeof(d));
	st = inkan_addr_list_parse(
	    value, len, lim, flags & parse_flags, arena, &res_r->list);
	res_r->strict_status = st;
	if (st == INKAN_OK) {
		if ((st = dset_init(&d, arena, res_r->list.count)) != INKAN_OK)
			return st;
		for (i = 0; i < res_r->list.count; i++) {
			mb = &res_r->list.mailboxes[i];
			if (mb->domain_status != INKAN_OK)
				d.unusable++;
			else if ((st = dset_add(&d, mb->domain)) != INKAN_OK)
				return st;
		}
		if (res_r->list.flags & INKAN_ADDR_F_OBS)
			res_r->flags |= INKAN_ADDR_FROM_F_OBS;
		if (res_r->list.flags & INKAN_ADDR_F_GROUP)
			res_r->flags |= INKAN_ADDR_FROM_F_GROUP;
		if (res_r->list.flags & INKAN_ADDR_F_ENCODED_LOCAL)
			res_r->flags |= INKAN_ADDR_FROM_F_ENCODED_LOCAL;
	} else if (st != INKAN_ERR_SYNTAX && st != INKAN_ERR_LIMIT) {
		return st;
	} else if (!(flags & INKAN_ADDR_FROM_NO_RECOVERY)) {
		st = recover(value, len, lim, arena, &d);
		if (st == INKAN_ERR_NOMEM || st == INKAN_ERR_INTERNAL)
			return st;
		if (st != INKAN_OK || d.n + d.unusable == 0) {
			memset(&d, 0, sizeof(d));
			res_r->flags |= INKAN_ADDR_FROM_F_UNRECOVERABLE;
		} else
			res_r->flags |= INKAN_ADDR_FROM_F_RECOVERED;
	}
	res_r->domains = d.v;
	res_r->ndomains = d.n;
	res_r->unusable = d.unusable;
	if (d.unusable > 0)
		res_r->flags |= INKAN_ADDR_FROM_F_UNUSABLE;
	if (d.n == 0)
		res_r->count = INKAN_ADDR_FROM_NONE;
	else if (d.n == 1 && d.unusable == 0)
		res_r->count = INKAN_ADDR_FROM_ONE;
	else
		res_r->count = INKAN_ADDR_FROM_SEVERAL;
	return INKAN_OK;
}
