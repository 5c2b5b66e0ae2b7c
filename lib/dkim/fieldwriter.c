/*
 * fieldwriter.c: writing tag-list header fields (RFC 6376 3.2), shared by
 * DKIM signing (sign.c) and ARC sealing (lib/arc/seal.c): tags folded at
 * the fold column, b= base64 folded inside its value, and the default h=
 * lists built from the recommended set (RFC 6376 5.4.1).
 */
#include <string.h>

#include "dkim/dkim_impl.h"

const char *const dkim_recommended[] = {
	"from",
	"to",
	"cc",
	"subject",
	"date",
	"reply-to",
	"message-id",
	"mime-version",
	"content-type",
	"content-transfer-encoding",
	"in-reply-to",
	"references",
	"list-id",
	"list-help",
	"list-unsubscribe",
	"list-unsubscribe-post",
	"list-subscribe",
	"list-post",
	"list-owner",
	"list-archive",
};

const size_t dkim_nrecommended =
    sizeof(dkim_recommended) / sizeof(dkim_recommended[0]);

void
dkim_put_tag(struct dkim_writer *w, const char *tag, const char *val, bool last)
{
	size_t len = strlen(tag) + 1 + strlen(val) + (last ? 0 : 1);

	if (w->col + 1 + len > DKIM_FOLD_COLUMN && w->col > 1) {
		inkan_buf_append(w->b, "\r\n ", 3);
		w->col = 1;
	} else {
		inkan_buf_append_byte(w->b, ' ');
		w->col++;
	}
	inkan_buf_printf(w->b, "%s=%s%s", tag, val, last ? "" : ";");
	w->col += len;
}

void
dkim_put_b64_folded(struct dkim_writer *w, const char *b64, size_t n)
{
	size_t i = 0, room;

	while (i < n) {
		room =
		    DKIM_FOLD_COLUMN > w->col ? DKIM_FOLD_COLUMN - w->col : 0;
		if (room < 8) {
			inkan_buf_append(w->b, "\r\n ", 3);
			w->col = 1;
			continue;
		}
		if (room > n - i)
			room = n - i;
		inkan_buf_append(w->b, b64 + i, room);
		w->col += room;
		i += room;
	}
}

void
dkim_name_headers(struct inkan_buf *h, const struct dkim_msg *m,
    const char *const *names, size_t n, unsigned extra)
{
	size_t i, k, count;

	for (i = 0; i < n; i++) {
		count = dkim_msg_count(m, inkan_view_cstr(names[i])) + extra;
		/* RFC 6376 5.4: From is always signed. */
		if (count == 0 && strcmp(names[i], "from") == 0)
			count = 1;
		for (k = 0; k < count; k++) {
			if (h->len > 0)
				inkan_buf_append_byte(h, ':');
			inkan_buf_append_cstr(h, names[i]);
		}
	}
}
