/*
 * message.c: the header section as DKIM needs it. Fields come from the
 * lib/msg parser and are copied one after the other into a buffer the
 * message owns, every line ending made CRLF (with allow_lf a bare LF
 * counts as one, as if the message had come over SMTP), so
 * canonicalisation only ever sees CRLF.
 *
 * Selecting a signature's fields (RFC 6376 5.4.2) looks each name of h=
 * up among the fields bottom up. Each field keeps a key, its name's first
 * eight bytes lowercased in one word, made once when it is stored: most
 * fields are told apart by one comparison of words, and a name of at most
 * eight bytes is equal exactly when its key and length are.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dkim/dkim_impl.h"

/* What the copies of a message's fields may take at most: the header
   section twice (a CR added before each bare LF) and a NUL per field. */
static size_t
text_max(const struct inkan_limits *lim)
{
	size_t max;

	if (!inkan_size_mul(lim->hdr_section_max, 2, &max) ||
	    !inkan_size_add(max, lim->hdr_fields_max, &max))
		return SIZE_MAX - 1;
	return max;
}

/* The text buffer's first size when it is not reused: a usual header
   section fits, so it is made once. */
#define TEXT_START 4096

enum inkan_status
dkim_msg_init(struct dkim_msg *m, const struct inkan_limits *lim, bool allow_lf)
{
	size_t max = text_max(lim);
	enum inkan_status st;

	memset(m, 0, sizeof(*m));
	m->allow_lf = allow_lf;
	m->state = DKIM_MSG_HEADERS;
	inkan_buf_init(&m->text, max);
	if (inkan_buf_reserve(&m->text, max < TEXT_START ? max : TEXT_START) !=
	    INKAN_OK)
		return INKAN_ERR_NOMEM;
	st = inkan_hdr_parser_new(
	    lim, allow_lf ? INKAN_HDR_ALLOW_LF : INKAN_HDR_STRICT, &m->hp);
	if (st != INKAN_OK)
		inkan_buf_clear(&m->text);
	return st;
}

void
dkim_msg_init_reuse(struct dkim_msg *m, bool allow_lf,
    struct inkan_hdr_parser *hp, struct dkim_field *fields, size_t cap,
    const struct inkan_buf *text)
{
	/* Member by member, not memset(): of error[] only the first byte
	   needs setting. */
	m->allow_lf = allow_lf;
	m->state = DKIM_MSG_HEADERS;
	inkan_hdr_parser_reset(hp);
	m->hp = hp;
	m->fields = fields;
	m->nfields = 0;
	m->cap = cap;
	m->text = *text;
	inkan_buf_reset(&m->text);
	m->err = INKAN_OK;
	m->error[0] = '\0';
}

void
dkim_msg_clear(struct dkim_msg *m)
{
	inkan_hdr_parser_free(&m->hp);
	free(m->fields);
	m->fields = NULL;
	m->nfields = m->cap = 0;
	inkan_buf_clear(&m->text);
}

static enum inkan_status
fail(struct dkim_msg *m, enum inkan_status st, const char *msg)
{
	m->state = DKIM_MSG_ERROR;
	m->err = st;
	snprintf(m->error, sizeof(m->error), "%s", msg);
	return st;
}

/*
 * The key of the name p[0..len): its first eight bytes (fewer when it is
 * shorter, the rest of the word zero) lowercased, the first in the low
 * byte. avail bytes may be read from p (avail >= len): with eight of them
 * one load does.
 */
static inline uint64_t
name_key(const uint8_t *p, size_t len, size_t avail)
{
	size_t i, n = len < 8 ? len : 8;
	uint64_t w = 0;

	if (avail >= 8 && dkim_little_endian()) {
		memcpy(&w, p, 8);
		if (n < 8)
			w &= (UINT64_C(1) << (8 * n)) - 1;
	} else {
		for (i = 0; i < n; i++)
			w |= (uint64_t)p[i] << (8 * i);
	}
	return dkim_lower8(w);
}

/*
 * Whether a[8..len) and b[8..len) are equal ASCII case-insensitively
 * (len > 8; the first eight bytes are the keys'): eight bytes at a time,
 * the last eight overlapping the ones before when len is not a multiple.
 */
static inline bool
tail_eq_nocase(const uint8_t *a, const uint8_t *b, size_t len)
{
	uint64_t x, y;
	size_t i = 8;

	for (;;) {
		if (i + 8 > len)
			i = len - 8;
		memcpy(&x, a + i, 8);
		memcpy(&y, b + i, 8);
		if (dkim_lower8(x) != dkim_lower8(y))
			return false;
		if (i + 8 >= len)
			return true;
		i += 8;
	}
}

/* Whether f is named name (case-insensitively), whose key is key. */
static inline bool
name_is(const struct dkim_field *f, struct inkan_view name, uint64_t key)
{
	return f->key == key && f->name_len == name.len &&
	    (name.len <= 8 || tail_eq_nocase(f->raw.ptr, name.ptr, name.len));
}

/* Copies f, with CRLF line endings and a NUL after it, to the end of
   m->text and appends it to m->fields. */
static enum inkan_status
store(struct dkim_msg *m, const struct inkan_hdr_field *f)
{
	const uint8_t *r = f->raw.ptr;
	size_t i, bare = 0, len, need;
	uint8_t *copy, *old = m->text.data;
	struct dkim_field *df;

	if (m->nfields == m->cap) {
		size_t ncap = m->cap ? m->cap * 2 : 32;
		struct dkim_field *nf;

		if (ncap > SIZE_MAX / sizeof(*nf) ||
		    (nf = realloc(m->fields, ncap * sizeof(*nf))) == NULL)
			return fail(m, INKAN_ERR_NOMEM, "out of memory");
		m->fields = nf;
		m->cap = ncap;
	}
	if (m->allow_lf)
		for (i = 0; i < f->raw.len; i++)
			if (r[i] == '\n' && (i == 0 || r[i - 1] != '\r'))
				bare++;
	/* With bare LFs, room for a CR before each. */
	if (!inkan_size_add(f->raw.len, bare, &len) ||
	    !inkan_size_add(len, 1, &need) ||
	    (!dkim_buf_fits(&m->text, need) &&
		inkan_buf_reserve(&m->text, need) != INKAN_OK))
		return fail(m, INKAN_ERR_LIMIT,
		    "the header section does not fit in memory");
	if (m->text.data != old) {
		/* Moved: the copies lie end to end from the start. */
		copy = m->text.data;
		for (i = 0; i < m->nfields; i++) {
			m->fields[i].raw.ptr = copy;
			copy += m->fields[i].raw.len + 1;
		}
	}
	copy = m->text.data + m->text.len;
	if (bare == 0) {
		memcpy(copy, r, len);
	} else {
		size_t o = 0;

		for (i = 0; i < f->raw.len; i++) {
			if (r[i] == '\n' && (i == 0 || r[i - 1] != '\r'))
				copy[o++] = '\r';
			copy[o++] = r[i];
		}
	}
	copy[len] = '\0';
	m->text.len += need;
	df = &m->fields[m->nfields++];
	df->raw.ptr = copy;
	df->raw.len = len;
	df->name_len = f->name.len;
	df->offset = f->offset;
	df->key = name_key(copy, f->name.len, len);
	df->used = false;
	return INKAN_OK;
}

enum inkan_status
dkim_msg_feed_headers(struct dkim_msg *m, const uint8_t *p, size_t n, bool last,
    struct inkan_view *body_r)
{
	struct inkan_hdr_event ev;
	enum inkan_status st;
	const char *msg;
	int r;

	*body_r = inkan_view_make(NULL, 0);
	if (m->state == DKIM_MSG_ERROR)
		return m->err;
	if (m->state != DKIM_MSG_HEADERS)
		return INKAN_ERR_STATE;
	(void)inkan_hdr_parser_feed(m->hp, p, n, last);
	while ((r = inkan_hdr_parser_next(m->hp, &ev)) == 1) {
		if (ev.type == INKAN_HDR_EV_END) {
			m->state = DKIM_MSG_BODY;
			*body_r = ev.end.body;
			return INKAN_OK;
		}
		if ((st = store(m, &ev.field)) != INKAN_OK)
			return st;
	}
	if (r == 0)
		return INKAN_OK;
	st = inkan_hdr_parser_error(m->hp, &msg, NULL);
	if (st == INKAN_OK)
		st = INKAN_ERR_INTERNAL;
	return fail(m, st, msg);
}

enum inkan_status
dkim_msg_select(struct dkim_msg *m, struct inkan_view h,
    enum inkan_dkim_canon canon, size_t skip, struct inkan_buf *out)
{
	const uint8_t *h_end = h.ptr != NULL ? h.ptr + h.len : NULL;
	struct inkan_view name;
	enum inkan_status st;
	uint64_t key;
	size_t i;

	for (i = 0; i < m->nfields; i++)
		m->fields[i].used = false;
	while (dkim_list_next(&h, &name)) {
		if (name.len == 0)
			continue;
		/* name lies in h: the bytes up to h's end may be read. */
		key = name_key(name.ptr, name.len, (size_t)(h_end - name.ptr));
		/* RFC 6376 5.4.2: the last unused instance, bottom up. */
		for (i = m->nfields; i-- > 0;) {
			struct dkim_field *f = &m->fields[i];

			if (!name_is(f, name, key) || f->used || i == skip)
				continue;
			f->used = true;
			st = dkim_canon_header(
			    canon, f->raw, f->name_len, false, out);
			if (st != INKAN_OK)
				return st;
			break;
		}
		/* RFC 6376 5.4: a name with no instance left adds nothing. */
	}
	return INKAN_OK;
}

size_t
dkim_msg_count(const struct dkim_msg *m, struct inkan_view name)
{
	uint64_t key = name_key(name.ptr, name.len, name.len);
	size_t i, k = 0;

	for (i = 0; i < m->nfields; i++)
		if (name_is(&m->fields[i], name, key))
			k++;
	return k;
}
