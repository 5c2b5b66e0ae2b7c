/*
 * message.c: the header section as DKIM needs it. Fields come from the
 * lib/msg parser and are copied into the caller's arena, every line
 * ending made CRLF (with allow_lf a bare LF counts as one, as if the
 * message had come over SMTP), so canonicalisation only ever sees CRLF.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dkim/dkim_impl.h"

enum inkan_status
dkim_msg_init(struct dkim_msg *m, const struct inkan_limits *lim, bool allow_lf,
    struct inkan_arena *arena)
{
	memset(m, 0, sizeof(*m));
	m->arena = arena;
	m->allow_lf = allow_lf;
	m->state = DKIM_MSG_HEADERS;
	return inkan_hdr_parser_new(
	    lim, allow_lf ? INKAN_HDR_ALLOW_LF : INKAN_HDR_STRICT, &m->hp);
}

void
dkim_msg_init_reuse(struct dkim_msg *m, bool allow_lf,
    struct inkan_arena *arena, struct inkan_hdr_parser *hp,
    struct dkim_field *fields, size_t cap)
{
	memset(m, 0, sizeof(*m));
	m->arena = arena;
	m->allow_lf = allow_lf;
	m->state = DKIM_MSG_HEADERS;
	inkan_hdr_parser_reset(hp);
	m->hp = hp;
	m->fields = fields;
	m->cap = cap;
}

void
dkim_msg_clear(struct dkim_msg *m)
{
	inkan_hdr_parser_free(&m->hp);
	free(m->fields);
	m->fields = NULL;
	m->nfields = m->cap = 0;
}

static enum inkan_status
fail(struct dkim_msg *m, enum inkan_status st, const char *msg)
{
	m->state = DKIM_MSG_ERROR;
	m->err = st;
	snprintf(m->error, sizeof(m->error), "%s", msg);
	return st;
}

/* Copies f into the arena with CRLF line endings and appends it. */
static enum inkan_status
store(struct dkim_msg *m, const struct inkan_hdr_field *f)
{
	const uint8_t *r = f->raw.ptr;
	size_t i, bare = 0, len, o = 0;
	uint8_t *copy;
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
	/* Without bare LFs a plain copy (not zeroed first), else room for
	   a CR before each. */
	if (!inkan_size_add(f->raw.len, bare, &len) ||
	    (copy = bare == 0
		    ? (uint8_t *)inkan_arena_strndup(m->arena, r, f->raw.len)
		    : inkan_arena_alloc(m->arena, len + 1)) == NULL)
		return fail(m, INKAN_ERR_LIMIT,
		    "the header section does not fit in memory");
	if (bare == 0) {
		o = f->raw.len;
	} else {
		for (i = 0; i < f->raw.len; i++) {
			if (r[i] == '\n' && (i == 0 || r[i - 1] != '\r'))
				copy[o++] = '\r';
			copy[o++] = r[i];
		}
	}
	df = &m->fields[m->nfields++];
	df->raw.ptr = copy;
	df->raw.len = o;
	df->name_len = f->name.len;
	df->offset = f->offset;
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

/* Inline, the length first: selecting a signature's fields compares
   each name of h= with the fields from the bottom up. */
static inline bool
name_is(const struct dkim_field *f, struct inkan_view name)
{
	size_t i;

	if (f->name_len != name.len)
		return false;
	for (i = 0; i < name.len; i++)
		if (inkan_ascii_lower(f->raw.ptr[i]) !=
		    inkan_ascii_lower(name.ptr[i]))
			return false;
	return true;
}

enum inkan_status
dkim_msg_select(struct dkim_msg *m, struct inkan_view h,
    enum inkan_dkim_canon canon, size_t skip, struct inkan_buf *out)
{
	struct inkan_view name;
	enum inkan_status st;
	size_t i;

	for (i = 0; i < m->nfields; i++)
		m->fields[i].used = false;
	while (dkim_list_next(&h, &name)) {
		if (name.len == 0)
			continue;
		/* RFC 6376 5.4.2: the last unused instance, bottom up. */
		for (i = m->nfields; i-- > 0;) {
			struct dkim_field *f = &m->fields[i];

			if (f->used || i == skip || !name_is(f, name))
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
	size_t i, k = 0;

	for (i = 0; i < m->nfields; i++)
		if (name_is(&m->fields[i], name))
			k++;
	return k;
}
