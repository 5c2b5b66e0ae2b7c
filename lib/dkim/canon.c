/*
 * canon.c: DKIM canonicalisation (RFC 6376 3.4) as streaming state
 * machines, and the body hasher.
 *
 * The body canonicalisers take the body in chunks of any size and never
 * hold body bytes: they find runs of ordinary bytes (memchr or a class
 * table), copy each run whole into a block, and keep only counters for
 * what they cannot decide yet (line endings that may turn out to be
 * trailing empty lines, a WSP run that may be trailing white space, a CR
 * whose LF has not arrived). Full blocks go to the sink, usually
 * EVP_DigestUpdate, so the hash is fed large pieces.
 */
#include <string.h>

#include "dkim/dkim_impl.h"

/* Bytes the relaxed body canonicaliser must look at one by one. */
enum { SP_WSP = 1, SP_CR = 2, SP_LF = 4 };

static const uint8_t special[256] = {
	[' '] = SP_WSP,
	['\t'] = SP_WSP,
	['\r'] = SP_CR,
	['\n'] = SP_LF,
};

static const uint8_t crlfs[256] = "\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n"
				  "\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n"
				  "\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n"
				  "\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n"
				  "\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n"
				  "\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n"
				  "\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n"
				  "\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n"
				  "\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n"
				  "\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n"
				  "\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n"
				  "\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n"
				  "\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n"
				  "\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n"
				  "\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n"
				  "\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n";

void
dkim_canon_init(struct dkim_canon *c, enum inkan_dkim_canon canon,
    bool allow_lf, dkim_sink_fn *sink, void *sink_arg)
{
	c->canon = canon;
	c->allow_lf = allow_lf;
	c->cr_pending = false;
	c->wsp_pending = false;
	c->any_out = false;
	c->held_crlf = 0;
	c->total = 0;
	c->sink = sink;
	c->sink_arg = sink_arg;
	c->blen = 0;
}

static void
flush(struct dkim_canon *c)
{
	if (c->blen > 0) {
		c->sink(c->sink_arg, c->block, c->blen);
		c->blen = 0;
	}
}

static void
put(struct dkim_canon *c, const uint8_t *p, size_t n)
{
	c->total += n;
	if (n >= DKIM_CANON_BLOCK / 2) {
		/* A long run goes to the sink directly, not copied. */
		flush(c);
		c->sink(c->sink_arg, p, n);
		return;
	}
	if (n > DKIM_CANON_BLOCK - c->blen)
		flush(c);
	memcpy(c->block + c->blen, p, n);
	c->blen += n;
}

static void
put_byte(struct dkim_canon *c, uint8_t b)
{
	if (c->blen == DKIM_CANON_BLOCK)
		flush(c);
	c->block[c->blen++] = b;
	c->total++;
}

/* Writes the line endings held back: they were not trailing after all. */
static void
release_held(struct dkim_canon *c)
{
	while (c->held_crlf > 0) {
		uint64_t k = c->held_crlf;

		if (k > sizeof(crlfs) / 2)
			k = sizeof(crlfs) / 2;
		put(c, crlfs, (size_t)k * 2);
		c->held_crlf -= k;
	}
}

/*
 * RFC 6376 3.4.3 simple: the body as it is, except that trailing empty
 * lines are removed and a missing final CRLF is added.
 */
static void
simple_body(struct dkim_canon *c, const uint8_t *p, size_t n)
{
	size_t i = 0;

	while (i < n) {
		const uint8_t *q;
		size_t span;

		if (c->cr_pending) {
			c->cr_pending = false;
			if (p[i] == '\n') {
				c->held_crlf++;
				i++;
				continue;
			}
			/* A bare CR is body content. */
			release_held(c);
			put_byte(c, '\r');
			continue;
		}
		if (c->allow_lf) {
			span = 0;
			while (i + span < n &&
			    (special[p[i + span]] & (SP_CR | SP_LF)) == 0)
				span++;
		} else {
			q = memchr(p + i, '\r', n - i);
			span = q != NULL ? (size_t)(q - (p + i)) : n - i;
		}
		if (span > 0) {
			release_held(c);
			put(c, p + i, span);
			i += span;
			continue;
		}
		if (p[i] == '\r')
			c->cr_pending = true;
		else
			c->held_crlf++; /* LF taken as CRLF (allow_lf) */
		i++;
	}
}

/* Before a relaxed content byte: what was held back is not trailing. */
static void
relaxed_content(struct dkim_canon *c)
{
	release_held(c);
	if (c->wsp_pending) {
		put_byte(c, ' ');
		c->wsp_pending = false;
	}
	c->any_out = true;
}

/*
 * RFC 6376 3.4.4 relaxed: WSP at the end of a line removed, other WSP runs
 * made one SP, trailing empty lines removed, a final CRLF added to a
 * non-empty body; an empty body stays empty (RFC 6376 3.4.4, errata 1384).
 */
static void
relaxed_body(struct dkim_canon *c, const uint8_t *p, size_t n)
{
	uint8_t lf_class = c->allow_lf ? SP_LF : 0;
	size_t i = 0;

	while (i < n) {
		uint8_t s;
		size_t j;

		if (c->cr_pending) {
			c->cr_pending = false;
			if (p[i] == '\n') {
				c->wsp_pending = false;
				c->held_crlf++;
				i++;
				continue;
			}
			relaxed_content(c);
			put_byte(c, '\r');
			continue;
		}
		s = special[p[i]];
		if (s & SP_WSP) {
			c->wsp_pending = true;
			i++;
			while (i < n && (special[p[i]] & SP_WSP))
				i++;
			continue;
		}
		if (s & SP_CR) {
			c->cr_pending = true;
			i++;
			continue;
		}
		if (s & lf_class) {
			c->wsp_pending = false;
			c->held_crlf++;
			i++;
			continue;
		}
		j = i + 1;
		while (
		    j < n && (special[p[j]] & (SP_WSP | SP_CR | lf_class)) == 0)
			j++;
		relaxed_content(c);
		put(c, p + i, j - i);
		i = j;
	}
}

void
dkim_canon_body(struct dkim_canon *c, const uint8_t *p, size_t n)
{
	if (n == 0)
		return;
	if (c->canon == INKAN_DKIM_RELAXED)
		relaxed_body(c, p, n);
	else
		simple_body(c, p, n);
}

void
dkim_canon_body_end(struct dkim_canon *c)
{
	if (c->canon == INKAN_DKIM_RELAXED) {
		if (c->cr_pending) {
			relaxed_content(c);
			put_byte(c, '\r');
		}
		c->wsp_pending = false;
		c->held_crlf = 0;
		if (c->any_out)
			put(c, crlfs, 2);
	} else {
		if (c->cr_pending) {
			release_held(c);
			put_byte(c, '\r');
		}
		/* The last line's CRLF, or the CRLF of an empty body. */
		c->held_crlf = 0;
		put(c, crlfs, 2);
	}
	c->cr_pending = false;
	flush(c);
}

enum inkan_status
dkim_canon_header(enum inkan_dkim_canon canon, struct inkan_view raw,
    size_t name_len, bool strip_eol, struct inkan_buf *out)
{
	size_t end = raw.len, i, colon;
	bool wsp = false, started = false;

	if (end >= 2 && raw.ptr[end - 2] == '\r' && raw.ptr[end - 1] == '\n')
		end -= 2;
	if (canon == INKAN_DKIM_SIMPLE) {
		/* RFC 6376 3.4.1: no change at all. */
		inkan_buf_append(out, raw.ptr, end);
		if (!strip_eol)
			inkan_buf_append(out, "\r\n", 2);
		return out->err;
	}
	/* RFC 6376 3.4.2: the name lowercased, */
	if (inkan_buf_reserve(out, end + 2) != INKAN_OK)
		return out->err;
	for (i = 0; i < name_len && i < end; i++)
		out->data[out->len++] = inkan_ascii_lower(raw.ptr[i]);
	/* WSP before and after the colon removed, */
	colon = name_len;
	while (colon < end && raw.ptr[colon] != ':')
		colon++;
	out->data[out->len++] = ':';
	/* the value unfolded, WSP runs made one SP, WSP at the end removed. */
	for (i = colon + 1; i < end; i++) {
		uint8_t b = raw.ptr[i];

		if (b == '\r' || b == '\n')
			continue;
		if (b == ' ' || b == '\t') {
			wsp = true;
			continue;
		}
		if (wsp && started)
			out->data[out->len++] = ' ';
		wsp = false;
		started = true;
		out->data[out->len++] = b;
	}
	if (!strip_eol) {
		out->data[out->len++] = '\r';
		out->data[out->len++] = '\n';
	}
	out->data[out->len] = '\0';
	return INKAN_OK;
}

static void
bodyhash_sink(void *arg, const uint8_t *p, size_t n)
{
	struct dkim_bodyhash *bh = arg;
	uint64_t room = bh->limit - bh->hashed;

	if (room == 0)
		return;
	if (n > room)
		n = (size_t)room;
	if (EVP_DigestUpdate(bh->md, p, n) != 1)
		bh->failed = true;
	bh->hashed += n;
}

enum inkan_status
dkim_bodyhash_init(struct dkim_bodyhash *bh, enum inkan_dkim_canon canon,
    bool allow_lf, const EVP_MD *alg, uint64_t limit)
{
	bh->alg = alg;
	bh->limit = limit;
	bh->hashed = 0;
	bh->failed = false;
	bh->dlen = 0;
	bh->md = EVP_MD_CTX_new();
	if (bh->md == NULL)
		return INKAN_ERR_NOMEM;
	if (EVP_DigestInit_ex(bh->md, alg, NULL) != 1) {
		EVP_MD_CTX_free(bh->md);
		bh->md = NULL;
		return INKAN_ERR_NOMEM;
	}
	dkim_canon_init(&bh->canon, canon, allow_lf, bodyhash_sink, bh);
	return INKAN_OK;
}

void
dkim_bodyhash_feed(struct dkim_bodyhash *bh, const uint8_t *p, size_t n)
{
	dkim_canon_body(&bh->canon, p, n);
}

enum inkan_status
dkim_bodyhash_end(struct dkim_bodyhash *bh)
{
	dkim_canon_body_end(&bh->canon);
	if (bh->failed ||
	    EVP_DigestFinal_ex(bh->md, bh->digest, &bh->dlen) != 1)
		return INKAN_ERR_INTERNAL;
	return INKAN_OK;
}

void
dkim_bodyhash_clear(struct dkim_bodyhash *bh)
{
	EVP_MD_CTX_free(bh->md);
	bh->md = NULL;
}
