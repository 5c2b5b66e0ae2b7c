/*
 * fuzz_header.c: the incremental header-section parser (inkan/msg.h).
 *
 * The first input byte chooses the parser flags (bits 0-3), a chunk size
 * (bits 4-6) and tight limits (bit 7); the rest is the message. It is fed
 * in chunks of that size, each in its own exact allocation freed as soon
 * as the parser has consumed it, so a view into a stale chunk is caught by
 * ASan. The target traps when
 * - a field's raw bytes are not the input's bytes at its offset, or the
 *   fields do not follow each other from the header section's start, the
 *   blank line and the body view after them: the concatenated raw fields
 *   must be exactly the header bytes the parser consumed;
 * - name or value are not where they belong in raw;
 * - unfolding a value leaves a line break before WSP;
 * - feeding the message whole gives other events or another error.
 */
#include <stdlib.h>
#include <string.h>

#include <inkan/msg.h>

#include "fuzz.h"

static const size_t chunk_sizes[8] = { 1, 2, 3, 7, 16, 64, 512, 4096 };

/* FNV-1a over the events, to compare two runs. */
static void
mix(uint64_t *h, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++) {
		*h ^= (v >> (i * 8)) & 0xff;
		*h *= UINT64_C(0x100000001b3);
	}
}

static void
check_field(const struct inkan_hdr_field *f, const uint8_t *in, size_t len,
    uint64_t *next_off, struct inkan_buf *tmp)
{
	const uint8_t *raw = f->raw.ptr, *v = f->value.ptr;
	size_t i, vend;

	if (f->offset != *next_off || f->offset > len ||
	    f->raw.len > len - f->offset ||
	    memcmp(raw, in + f->offset, f->raw.len) != 0)
		__builtin_trap();
	/* raw = name WSP* ":" value [line ending] */
	if (f->name.ptr != raw || f->name.len == 0 ||
	    v < raw + f->name.len + 1 || v[-1] != ':')
		__builtin_trap();
	for (i = f->name.len; raw + i < v - 1; i++)
		if (raw[i] != ' ' && raw[i] != '\t')
			__builtin_trap();
	vend = (size_t)(v - raw) + f->value.len;
	if (vend > f->raw.len)
		__builtin_trap();
	if (f->flags & INKAN_HDR_SEEN_NO_EOL) {
		if (vend != f->raw.len)
			__builtin_trap();
	} else if (!(f->raw.len - vend == 1 && raw[vend] == '\n') &&
	    !(f->raw.len - vend == 2 && raw[vend] == '\r' &&
		raw[vend + 1] == '\n')) {
		__builtin_trap();
	}
	/* RFC 5322 2.2.3: no line break before WSP survives unfolding. */
	inkan_buf_reset(tmp);
	if (inkan_hdr_unfold(f->value, tmp) != INKAN_OK)
		__builtin_trap();
	for (i = 0; i + 1 < tmp->len; i++)
		if (tmp->data[i] == '\n' &&
		    (tmp->data[i + 1] == ' ' || tmp->data[i + 1] == '\t'))
			__builtin_trap();
	*next_off = f->offset + f->raw.len;
}

/*
 * Parses in[0..len) in chunks of chunk bytes (0: whole), checking the
 * invariants; returns a hash of the events and the error.
 */
static uint64_t
run(const uint8_t *in, size_t len, unsigned flags,
    const struct inkan_limits *lim, size_t chunk)
{
	struct inkan_hdr_parser *p = NULL;
	struct inkan_hdr_event ev;
	struct inkan_hdr_stats st;
	struct inkan_buf tmp;
	uint64_t h = UINT64_C(0xcbf29ce484222325), next_off = 0, off;
	size_t pos = 0, n;
	uint8_t *c;
	bool started = false, last;
	int r = 0;

	if (inkan_hdr_parser_new(lim, flags, &p) != INKAN_OK)
		__builtin_trap();
	inkan_buf_init(&tmp, len + 1);
	do {
		n = chunk == 0 || chunk > len - pos ? len - pos : chunk;
		last = pos + n == len;
		if ((c = malloc(n > 0 ? n : 1)) == NULL)
			break;
		if (n > 0)
			memcpy(c, in + pos, n);
		inkan_hdr_parser_feed(p, c, n, last);
		while ((r = inkan_hdr_parser_next(p, &ev)) == 1) {
			if (!started) {
				inkan_hdr_parser_stats(p, &st);
				next_off = st.header_offset;
				started = true;
			}
			if (ev.type == INKAN_HDR_EV_FIELD) {
				check_field(
				    &ev.field, in, len, &next_off, &tmp);
				mix(&h, ev.field.offset);
				mix(&h, ev.field.raw.len);
				mix(&h, ev.field.name.len);
				mix(&h, ev.field.value.len);
				mix(&h, ev.field.flags);
				continue;
			}
			off = ev.end.body_offset;
			if (next_off + ev.end.blank_len != off ||
			    ev.end.has_body != (ev.end.blank_len > 0) ||
			    (!ev.end.has_body && off != len) || off < pos ||
			    off > pos + n ||
			    ev.end.body.ptr != c + (off - pos) ||
			    ev.end.body.len != pos + n - off)
				__builtin_trap();
			mix(&h, off);
			mix(&h, ev.end.blank_len);
			break;
		}
		free(c);
		pos += n;
		if (r == 0 && last)
			__builtin_trap(); /* 0 after the last chunk */
	} while (r == 0);
	if (r < 0) {
		mix(&h, (uint64_t)inkan_hdr_parser_error(p, NULL, &off));
		mix(&h, off);
	}
	inkan_buf_clear(&tmp);
	inkan_hdr_parser_free(&p);
	return h;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct inkan_limits lim;
	unsigned flags;
	size_t chunk;

	if (size == 0)
		return 0;
	flags = data[0] & 0x0f;
	chunk = chunk_sizes[(data[0] >> 4) & 0x07];
	inkan_limits_default(&lim);
	if (data[0] & 0x80) {
		lim.hdr_line_max = 64;
		lim.hdr_field_max = 256;
		lim.hdr_fields_max = 16;
		lim.hdr_section_max = 1024;
	}
	data++;
	size--;
	if (run(data, size, flags, &lim, chunk) !=
	    run(data, size, flags, &lim, 0))
		__builtin_trap();
	return 0;
}
