/*
 * view.c: read-only views {ptr, len} and the cursors that read them.
 *
 * An empty view may have a NULL ptr, so nothing here does arithmetic on
 * ptr or hands it to memcmp()/memchr() without first checking len: both
 * are undefined for NULL even with a zero length.
 *
 * A cursor's err is sticky: once a read fails, inkan_cursor_left() is 0
 * and every reader returns "nothing" (-1, false, an empty view), so a
 * parser can run a whole production and look at err once.
 */
#include <assert.h>
#include <string.h>

#include <inkan/util.h>

static const struct inkan_view empty_view = { NULL, 0 };

struct inkan_view
inkan_view_make(const void *ptr, size_t len)
{
	assert(ptr != NULL || len == 0);
	return (struct inkan_view){ ptr, len };
}

struct inkan_view
inkan_view_cstr(const char *s)
{
	if (s == NULL)
		return empty_view;
	return (struct inkan_view){ (const uint8_t *)s, strlen(s) };
}

bool
inkan_view_eq(struct inkan_view a, struct inkan_view b)
{
	if (a.len != b.len)
		return false;
	return a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0;
}

/* The first n bytes of a and b are equal ignoring ASCII case. */
static bool
eq_nocase_n(const uint8_t *a, const uint8_t *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (inkan_ascii_lower(a[i]) != inkan_ascii_lower(b[i]))
			return false;
	return true;
}

bool
inkan_view_eq_nocase(struct inkan_view a, struct inkan_view b)
{
	return a.len == b.len && eq_nocase_n(a.ptr, b.ptr, a.len);
}

bool
inkan_view_eq_cstr_nocase(struct inkan_view a, const char *s)
{
	assert(s != NULL);
	return inkan_view_eq_nocase(a, inkan_view_cstr(s));
}

bool
inkan_view_prefix_nocase(struct inkan_view a, struct inkan_view prefix)
{
	return a.len >= prefix.len &&
	    eq_nocase_n(a.ptr, prefix.ptr, prefix.len);
}

/*
 * The view of n bytes at off in p. A view that ends where its parent ends
 * keeps a pointer into the parent (one past its end), so that a caller
 * can still compute offsets; only a NULL parent gives a NULL ptr.
 */
static struct inkan_view
slice(const uint8_t *p, size_t off, size_t n)
{
	if (p == NULL)
		return empty_view;
	return (struct inkan_view){ p + off, n };
}

struct inkan_view
inkan_view_sub(struct inkan_view v, size_t off, size_t n)
{
	if (off > v.len)
		off = v.len;
	if (n > v.len - off)
		n = v.len - off;
	return slice(v.ptr, off, n);
}

struct inkan_view
inkan_view_trim(struct inkan_view v, unsigned cls)
{
	size_t start = 0, end = v.len;

	while (start < end && inkan_cc_is(v.ptr[start], cls))
		start++;
	while (end > start && inkan_cc_is(v.ptr[end - 1], cls))
		end--;
	return slice(v.ptr, start, end - start);
}

size_t
inkan_view_find(struct inkan_view v, uint8_t c)
{
	const uint8_t *hit;

	if (v.len == 0 || (hit = memchr(v.ptr, c, v.len)) == NULL)
		return v.len;
	return (size_t)(hit - v.ptr);
}

/* ---- cursors ---------------------------------------------------------- */

void
inkan_cursor_init(struct inkan_cursor *c, const void *ptr, size_t len)
{
	assert(c != NULL);
	assert(ptr != NULL || len == 0);
	c->ptr = ptr;
	c->len = len;
	c->pos = 0;
	c->err = false;
}

size_t
inkan_cursor_left(const struct inkan_cursor *c)
{
	assert(c != NULL && c->pos <= c->len);
	return c->err ? 0 : c->len - c->pos;
}

bool
inkan_cursor_eof(const struct inkan_cursor *c)
{
	return inkan_cursor_left(c) == 0;
}

int
inkan_cursor_peek(const struct inkan_cursor *c)
{
	return inkan_cursor_peek_at(c, 0);
}

int
inkan_cursor_peek_at(const struct inkan_cursor *c, size_t off)
{
	if (off >= inkan_cursor_left(c))
		return -1;
	return c->ptr[c->pos + off];
}

int
inkan_cursor_get(struct inkan_cursor *c)
{
	if (inkan_cursor_left(c) == 0) {
		c->err = true;
		return -1;
	}
	return c->ptr[c->pos++];
}

bool
inkan_cursor_accept(struct inkan_cursor *c, uint8_t ch)
{
	if (inkan_cursor_peek(c) != ch)
		return false;
	c->pos++;
	return true;
}

bool
inkan_cursor_accept_nocase(struct inkan_cursor *c, const char *lit)
{
	struct inkan_view want = inkan_view_cstr(lit);

	assert(lit != NULL);
	if (c->err || !inkan_view_prefix_nocase(inkan_cursor_rest(c), want))
		return false;
	c->pos += want.len;
	return true;
}

void
inkan_cursor_expect(struct inkan_cursor *c, uint8_t ch)
{
	if (!inkan_cursor_accept(c, ch))
		c->err = true;
}

void
inkan_cursor_skip(struct inkan_cursor *c, size_t n)
{
	if (n > inkan_cursor_left(c)) {
		c->err = true;
		return;
	}
	c->pos += n;
}

void
inkan_cursor_take(struct inkan_cursor *c, size_t n, struct inkan_view *v_r)
{
	assert(v_r != NULL);
	if (n > inkan_cursor_left(c)) {
		c->err = true;
		*v_r = empty_view;
		return;
	}
	*v_r = inkan_view_sub(inkan_cursor_rest(c), 0, n);
	c->pos += n;
}

size_t
inkan_cursor_take_while(
    struct inkan_cursor *c, unsigned cls, struct inkan_view *v_r)
{
	struct inkan_view rest = inkan_cursor_rest(c);
	size_t n = 0;

	assert(v_r != NULL);
	while (n < rest.len && inkan_cc_is(rest.ptr[n], cls))
		n++;
	*v_r = inkan_view_sub(rest, 0, n);
	c->pos += n;
	return n;
}

size_t
inkan_cursor_skip_while(struct inkan_cursor *c, unsigned cls)
{
	struct inkan_view ignored;

	return inkan_cursor_take_while(c, cls, &ignored);
}

void
inkan_cursor_seek(struct inkan_cursor *c, size_t pos)
{
	assert(c != NULL);
	if (pos > c->len) {
		c->err = true;
		return;
	}
	c->pos = pos;
}

struct inkan_view
inkan_cursor_rest(const struct inkan_cursor *c)
{
	assert(c != NULL && c->pos <= c->len);
	if (c->err)
		return empty_view;
	return slice(c->ptr, c->pos, c->len - c->pos);
}
