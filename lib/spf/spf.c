/*
 * spf.c: the names of results and identities, client addresses, and the
 * Received-SPF header field (RFC 7208 9.1).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "spf/spf_impl.h"

const char *
inkan_spf_result_name(enum inkan_spf_result r)
{
	switch (r) {
	case INKAN_SPF_NONE:
		return "none";
	case INKAN_SPF_NEUTRAL:
		return "neutral";
	case INKAN_SPF_PASS:
		return "pass";
	case INKAN_SPF_FAIL:
		return "fail";
	case INKAN_SPF_SOFTFAIL:
		return "softfail";
	case INKAN_SPF_TEMPERROR:
		return "temperror";
	case INKAN_SPF_PERMERROR:
		return "permerror";
	}
	return "permerror";
}

const char *
inkan_spf_identity_name(enum inkan_spf_identity id)
{
	return id == INKAN_SPF_ID_HELO ? "helo" : "mailfrom";
}

enum inkan_status
inkan_spf_ip_parse(const char *text, struct inkan_spf_ip *ip_r)
{
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff,
		0xff };
	uint8_t a[16];

	if (text == NULL || ip_r == NULL)
		return INKAN_ERR_INVAL;
	memset(ip_r, 0, sizeof(*ip_r));
	/* The dotted quad inet_pton() accepts, without its overhead: this
	   runs for every connection. */
	if (spf_ip4_parse(inkan_view_cstr(text), a)) {
		ip_r->family = AF_INET;
		memcpy(ip_r->addr, a, 4);
		return INKAN_OK;
	}
	if (inet_pton(AF_INET6, text, a) != 1)
		return INKAN_ERR_SYNTAX;
	/* RFC 7208 5.6: an IPv4-mapped IPv6 address is IPv4. */
	if (memcmp(a, mapped, sizeof(mapped)) == 0) {
		ip_r->family = AF_INET;
		memcpy(ip_r->addr, a + 12, 4);
		return INKAN_OK;
	}
	ip_r->family = AF_INET6;
	memcpy(ip_r->addr, a, 16);
	return INKAN_OK;
}

/* Writes n (0-255) in decimal at buf; returns the length. */
static size_t
put_octet(char *buf, unsigned n)
{
	size_t len = 0;

	if (n >= 100)
		buf[len++] = (char)('0' + n / 100);
	if (n >= 10)
		buf[len++] = (char)('0' + n / 10 % 10);
	buf[len++] = (char)('0' + n % 10);
	return len;
}

void
spf_ip_text(const struct inkan_spf_ip *ip, char *buf, size_t size)
{
	size_t o = 0, i;

	/* IPv4 is on every check's path (reasons, %{c}): no printf. */
	if (ip->family != AF_INET6 && size >= 16) {
		for (i = 0; i < 4; i++) {
			if (i > 0)
				buf[o++] = '.';
			o += put_octet(buf + o, ip->addr[i]);
		}
		buf[o] = '\0';
		return;
	}
	if (inet_ntop(ip->family == AF_INET6 ? AF_INET6 : AF_INET, ip->addr,
		buf, (socklen_t)size) == NULL &&
	    size > 0)
		buf[0] = '\0';
}

void
spf_ip_reverse_name(const struct inkan_spf_ip *ip, char *buf, size_t size)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;
	int i;

	if (ip->family != AF_INET6) {
		snprintf(buf, size, "%u.%u.%u.%u.in-addr.arpa", ip->addr[3],
		    ip->addr[2], ip->addr[1], ip->addr[0]);
		return;
	}
	/* RFC 3596 2.5: nibbles, least significant first. */
	for (i = 15; i >= 0 && o + 4 < size; i--) {
		buf[o++] = hex[ip->addr[i] & 15];
		buf[o++] = '.';
		buf[o++] = hex[ip->addr[i] >> 4];
		buf[o++] = '.';
	}
	snprintf(buf + o, size - o, "ip6.arpa");
}

/* ---- Received-SPF ------------------------------------------------------ */

/* Folds at this many columns (RFC 5322 2.1.1 SHOULD 78). */
#define FOLD_COLUMNS 78

struct folder {
	struct inkan_buf *out;
	size_t line_start; /* offset of the current line in out */
	struct inkan_buf word; /* the unit being built */
};

/*
 * Emits the built unit, preceded by SP or by a fold. Inside a
 * quoted-string the fold is CRLF SP, so that unfolding (RFC 5322 2.2.3)
 * gives back exactly the one space that was there.
 */
static void
fold_flush(struct folder *f, bool quoted)
{
	size_t col = f->out->len - f->line_start;

	if (f->word.len == 0)
		return;
	if (col + 1 + f->word.len > FOLD_COLUMNS && col > 1) {
		inkan_buf_append_cstr(f->out, quoted ? "\r\n " : "\r\n\t");
		f->line_start = f->out->len - 1;
	} else {
		inkan_buf_append_byte(f->out, ' ');
	}
	inkan_buf_append(f->out, f->word.data, f->word.len);
	inkan_buf_reset(&f->word);
}

/* RFC 5322 3.2.3 dot-atom: atext runs separated by single dots. */
static bool
is_dot_atom(struct inkan_view v)
{
	size_t i;

	if (v.len == 0 || v.ptr[0] == '.' || v.ptr[v.len - 1] == '.')
		return false;
	for (i = 0; i < v.len; i++) {
		if (v.ptr[i] == '.') {
			if (v.ptr[i - 1] == '.')
				return false;
		} else if (!inkan_cc_is(v.ptr[i], INKAN_CC_ATEXT)) {
			return false;
		}
	}
	return true;
}

/*
 * RFC 7208 9.1 key-value-pair: key=value; the value as a dot-atom when it
 * is one, else a quoted-string. Bytes that are not printable ASCII cannot
 * go into a header field: they become '?'.
 */
static void
key_value(struct folder *f, const char *key, struct inkan_view v)
{
	size_t i;
	bool quoted = false;

	inkan_buf_printf(&f->word, "%s=", key);
	if (is_dot_atom(v)) {
		inkan_buf_append_view(&f->word, v);
	} else {
		inkan_buf_append_byte(&f->word, '"');
		for (i = 0; i < v.len; i++) {
			uint8_t c = v.ptr[i];

			/* A long value may fold at its spaces. */
			if (c == ' ' && i > 0 && v.ptr[i - 1] != ' ') {
				fold_flush(f, quoted);
				quoted = true;
				continue;
			}
			if (c == '"' || c == '\\')
				inkan_buf_append_byte(&f->word, '\\');
			if (c < 0x20 || c > 0x7e)
				c = '?';
			inkan_buf_append_byte(&f->word, c);
		}
		inkan_buf_append_byte(&f->word, '"');
	}
	inkan_buf_append_byte(&f->word, ';');
	fold_flush(f, quoted);
}

/* Words of a comment, with '(' ')' '\' quoted (RFC 5322 3.2.2 ctext). */
static void
comment_words(struct folder *f, struct inkan_view v, bool open, bool close)
{
	size_t i;

	if (open)
		inkan_buf_append_byte(&f->word, '(');
	for (i = 0; i < v.len; i++) {
		uint8_t c = v.ptr[i];

		if (c == ' ') {
			fold_flush(f, false);
			continue;
		}
		if (c == '(' || c == ')' || c == '\\')
			inkan_buf_append_byte(&f->word, '\\');
		if (c < 0x20 || c > 0x7e)
			c = '?';
		inkan_buf_append_byte(&f->word, c);
	}
	if (close)
		inkan_buf_append_byte(&f->word, ')');
	fold_flush(f, false);
}

enum inkan_status
inkan_spf_received_spf(const struct inkan_spf_verdict *v,
    const struct inkan_spf_request *req, struct inkan_buf *out)
{
	struct folder f;
	char ip[64];
	const char *who;
	size_t start;
	enum inkan_status st;

	if (v == NULL || req == NULL || out == NULL)
		return INKAN_ERR_INVAL;
	if (out->err != INKAN_OK)
		return out->err;
	start = out->len;
	f.out = out;
	f.line_start = out->len;
	inkan_buf_init(&f.word, 4096);
	inkan_buf_printf(
	    out, "Received-SPF: %s", inkan_spf_result_name(v->result));
	who = req->receiver != NULL && req->receiver[0] != '\0' ? req->receiver
								: v->domain;
	if (who != NULL) {
		comment_words(&f, inkan_view_cstr(who), true, false);
		/* "(who:" then the reason words */
		if (out->len > 0 && out->data[out->len - 1] != ':')
			inkan_buf_append_byte(out, ':');
		comment_words(&f, inkan_view_cstr(v->reason), false, true);
	} else {
		comment_words(&f, inkan_view_cstr(v->reason), true, true);
	}
	spf_ip_text(&req->ip, ip, sizeof(ip));
	key_value(&f, "client-ip", inkan_view_cstr(ip));
	key_value(&f, "envelope-from",
	    req->mail_from != NULL ? inkan_view_cstr(req->mail_from)
				   : INKAN_VIEW_LIT(""));
	if (req->helo != NULL && req->helo[0] != '\0')
		key_value(&f, "helo", inkan_view_cstr(req->helo));
	if (v->result == INKAN_SPF_TEMPERROR ||
	    v->result == INKAN_SPF_PERMERROR)
		key_value(&f, "problem", inkan_view_cstr(v->reason));
	if (req->receiver != NULL && req->receiver[0] != '\0')
		key_value(&f, "receiver", inkan_view_cstr(req->receiver));
	key_value(&f, "identity",
	    inkan_view_cstr(inkan_spf_identity_name(v->identity)));
	if (v->mechanism != NULL)
		key_value(&f, "mechanism", inkan_view_cstr(v->mechanism));
	/* The last pair needs no ';'. */
	if (out->err == INKAN_OK && out->len > start &&
	    out->data[out->len - 1] == ';')
		inkan_buf_truncate(out, out->len - 1);
	st = out->err != INKAN_OK ? out->err : f.word.err;
	inkan_buf_clear(&f.word);
	if (st != INKAN_OK)
		inkan_buf_truncate(out, start);
	return st;
}
