/*
 * buf.c: the growable byte buffer with a maximum fixed at init.
 *
 * Invariants, checked by every function that changes the buffer:
 * - len <= max, always: an append checks n > max - len before it writes
 *   anything (the subtraction cannot wrap because len <= max);
 * - data is NULL (cap 0) or a block of cap bytes with len < cap and
 *   data[len] == '\0', so the contents are always a C string;
 * - cap never exceeds max + 1 (the +1 is the NUL), so memory held is
 *   bounded by the maximum the owner chose;
 * - err, once set by a failed append, is returned by every later append
 *   until inkan_buf_reset() or inkan_buf_clear().
 */
#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <inkan/util.h>

/* The first allocation; small buffers are the common case. */
#define BUF_MIN_CAP 64

void
inkan_buf_init(struct inkan_buf *b, size_t max)
{
	assert(b != NULL);
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
	b->err = INKAN_OK;
}

void
inkan_buf_clear(struct inkan_buf *b)
{
	assert(b != NULL);
	free(b->data);
	inkan_buf_init(b, b->max);
}

void
inkan_buf_reset(struct inkan_buf *b)
{
	assert(b != NULL);
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
	b->err = INKAN_OK;
}

/* Records a failed append; returns st for the caller to pass on. */
static enum inkan_status
fail(struct inkan_buf *b, enum inkan_status st)
{
	b->err = st;
	return st;
}

enum inkan_status
inkan_buf_reserve(struct inkan_buf *b, size_t n)
{
	size_t need, ceiling, cap;
	uint8_t *p;

	assert(b != NULL && b->len <= b->max);
	if (b->err != INKAN_OK)
		return b->err;
	if (n > b->max - b->len)
		return fail(b, INKAN_ERR_LIMIT);
	/* len + n <= max, so only the +1 for the NUL can overflow. */
	if (!inkan_size_add(b->len + n, 1, &need))
		return fail(b, INKAN_ERR_NOMEM);
	if (need <= b->cap)
		return INKAN_OK;
	if (!inkan_size_add(b->max, 1, &ceiling))
		ceiling = SIZE_MAX;
	cap = b->cap != 0 ? b->cap : BUF_MIN_CAP;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	if (cap > ceiling)
		cap = ceiling; /* still >= need, since need <= max + 1 */
	if ((p = realloc(b->data, cap)) == NULL)
		return fail(b, INKAN_ERR_NOMEM);
	if (b->data == NULL)
		p[0] = '\0';
	b->data = p;
	b->cap = cap;
	return INKAN_OK;
}

/* True if p points into b's storage (an append of the buffer to itself). */
static bool
points_into(const struct inkan_buf *b, const void *p)
{
	uintptr_t u = (uintptr_t)p, start = (uintptr_t)b->data;

	return b->data != NULL && u >= start && u - start < b->cap;
}

enum inkan_status
inkan_buf_append(struct inkan_buf *b, const void *p, size_t n)
{
	enum inkan_status st;
	size_t self_off = 0;
	bool self;

	assert(b != NULL);
	assert(p != NULL || n == 0);
	/* reserve() may move the storage that p points into: keep an offset. */
	if ((self = points_into(b, p)))
		self_off = (size_t)((const uint8_t *)p - b->data);
	if ((st = inkan_buf_reserve(b, n)) != INKAN_OK)
		return st;
	if (n > 0) {
		if (self)
			p = b->data + self_off;
		memmove(b->data + b->len, p, n);
	}
	b->len += n;
	b->data[b->len] = '\0';
	return INKAN_OK;
}

enum inkan_status
inkan_buf_append_byte(struct inkan_buf *b, uint8_t c)
{
	return inkan_buf_append(b, &c, 1);
}

enum inkan_status
inkan_buf_append_cstr(struct inkan_buf *b, const char *s)
{
	assert(s != NULL);
	return inkan_buf_append(b, s, strlen(s));
}

enum inkan_status
inkan_buf_append_view(struct inkan_buf *b, struct inkan_view v)
{
	return inkan_buf_append(b, v.ptr, v.len);
}

enum inkan_status
inkan_buf_printf(struct inkan_buf *b, const char *fmt, ...)
{
	enum inkan_status st;
	va_list ap;

	va_start(ap, fmt);
	st = inkan_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return st;
}

enum inkan_status
inkan_buf_vprintf(struct inkan_buf *b, const char *fmt, va_list ap)
{
	enum inkan_status st;
	va_list ap2;
	int w;
	size_t n;

	assert(b != NULL && fmt != NULL);
	if (b->err != INKAN_OK)
		return b->err;
	/* Measure on a copy: ap itself is consumed by the write below. */
	va_copy(ap2, ap);
	errno = 0;
	w = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	/* EOVERFLOW: the output would pass INT_MAX; otherwise EILSEQ. */
	if (w < 0)
		return fail(
		    b, errno == EOVERFLOW ? INKAN_ERR_LIMIT : INKAN_ERR_INVAL);
	n = (size_t)w;
	if ((st = inkan_buf_reserve(b, n)) != INKAN_OK)
		return st;
	/* reserve() left room for n bytes and the NUL: n + 1 fits. */
	if (vsnprintf((char *)b->data + b->len, n + 1, fmt, ap) != w) {
		b->data[b->len] = '\0';
		return fail(b, INKAN_ERR_INTERNAL);
	}
	b->len += n;
	return INKAN_OK;
}

void
inkan_buf_truncate(struct inkan_buf *b, size_t len)
{
	assert(b != NULL && len <= b->len);
	b->len = len;
	if (b->data != NULL)
		b->data[len] = '\0';
}

const char *
inkan_buf_cstr(const struct inkan_buf *b)
{
	assert(b != NULL);
	return b->data != NULL ? (const char *)b->data : "";
}

struct inkan_view
inkan_buf_view(const struct inkan_buf *b)
{
	assert(b != NULL);
	return (struct inkan_view){ b->data, b->len };
}

uint8_t *
inkan_buf_steal(struct inkan_buf *b, size_t *len_r)
{
	uint8_t *p;

	assert(b != NULL);
	if ((p = b->data) == NULL) {
		if ((p = malloc(1)) == NULL)
			return NULL;
		p[0] = '\0';
	}
	if (len_r != NULL)
		*len_r = b->len;
	inkan_buf_init(b, b->max);
	return p;
}
