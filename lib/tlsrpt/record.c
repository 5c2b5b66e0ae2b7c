/*
 * record.c: the TLS-RPT policy record (RFC 8460 3).
 *
 * One pass over the record: the version, then fields separated by
 * ";"; rua's URIs are split at "," (RFC 8460 3 requires commas and "!"
 * inside a URI to be percent-encoded, so a literal comma always
 * separates). A URI is checked against RFC 3986's character set and
 * scheme syntax, then looked at more closely when it is mailto: or
 * https:, the two schemes reports can be sent to.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <inkan/tlsrpt.h>
#include <inkan/util.h>

#include "util/textrec.h"

struct record_impl {
	struct inkan_tlsrpt_record pub; /* first: freed through its address */
	struct inkan_arena arena;
};

static enum inkan_status fail(struct inkan_tlsrpt_error *err, size_t off,
    enum inkan_status st, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static enum inkan_status
fail(struct inkan_tlsrpt_error *err, size_t off, enum inkan_status st,
    const char *fmt, ...)
{
	va_list ap;

	if (err != NULL) {
		err->offset = off;
		va_start(ap, fmt);
		vsnprintf(err->message, sizeof(err->message), fmt, ap);
		va_end(ap);
	}
	return st;
}

#define VERSION "v=TLSRPTv1"
#define VERSION_LEN (sizeof(VERSION) - 1)

bool
inkan_tlsrpt_record_is_tlsrpt(const void *text, size_t len)
{
	const uint8_t *p = text;
	size_t i;

	if (p == NULL || len < VERSION_LEN ||
	    memcmp(p, VERSION, VERSION_LEN) != 0)
		return false;
	i = textrec_skip_wsp(p, VERSION_LEN, len);
	return i < len && p[i] == ';';
}

/*
 * RFC 3986 2: unreserved, reserved and "%"; without the "," and "!" RFC
 * 8460 3 wants encoded, and without ";" (which ends the field).
 */
static bool
uri_char(uint8_t c)
{
	if (inkan_cc_is(c, INKAN_CC_ALNUM))
		return true;
	return c != 0 && strchr("-._~:/?#[]@$&'()*+=%", c) != NULL;
}

/* RFC 3986 3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ). */
static size_t
scheme_len(struct inkan_view u)
{
	size_t i;

	if (u.len == 0 || !inkan_cc_is(u.ptr[0], INKAN_CC_ALPHA))
		return 0;
	for (i = 1; i < u.len; i++) {
		uint8_t c = u.ptr[i];

		if (c == ':')
			return i;
		if (!inkan_cc_is(c, INKAN_CC_ALNUM) && c != '+' && c != '-' &&
		    c != '.')
			return 0;
	}
	return 0;
}

/* A host name or address literal, loosely: LDH labels, or [...]. */
static bool
host_ok(struct inkan_view h)
{
	size_t i;

	if (h.len == 0)
		return false;
	if (h.ptr[0] == '[')
		return h.len > 2 && h.ptr[h.len - 1] == ']';
	for (i = 0; i < h.len; i++)
		if (!inkan_cc_is(h.ptr[i], INKAN_CC_LDH) && h.ptr[i] != '.')
			return false;
	return h.ptr[0] != '.' && h.ptr[h.len - 1] != '-';
}

/* Fills u from the URI text v (already checked for its characters). */
static enum inkan_status
classify(struct inkan_arena *a, struct inkan_view v, size_t slen,
    struct inkan_tlsrpt_uri *u)
{
	struct inkan_view scheme = inkan_view_sub(v, 0, slen);
	struct inkan_view rest = inkan_view_sub(v, slen + 1, v.len);
	struct inkan_view target = rest;

	u->scheme = INKAN_TLSRPT_OTHER;
	u->usable = false;
	if (inkan_view_eq_cstr_nocase(scheme, "mailto")) {
		size_t at, q = inkan_view_find(rest, '?');

		/* RFC 6068: mailto:addr[,addr][?hfields]; one address. */
		target = inkan_view_sub(rest, 0, q);
		at = inkan_view_find(target, '@');
		u->scheme = INKAN_TLSRPT_MAILTO;
		u->usable = at > 0 && at < target.len &&
		    host_ok(inkan_view_sub(target, at + 1, target.len));
	} else if (inkan_view_eq_cstr_nocase(scheme, "https")) {
		size_t end, colon;

		u->scheme = INKAN_TLSRPT_HTTPS;
		if (rest.len >= 2 && rest.ptr[0] == '/' && rest.ptr[1] == '/') {
			struct inkan_view auth =
			    inkan_view_sub(rest, 2, rest.len);

			end = 0;
			while (end < auth.len && auth.ptr[end] != '/' &&
			    auth.ptr[end] != '?' && auth.ptr[end] != '#')
				end++;
			target = inkan_view_sub(auth, 0, end);
			/* No userinfo; a port may follow the host. */
			colon = inkan_view_find(target, ':');
			if (target.len > 0 && target.ptr[0] == '[')
				colon = inkan_view_find(target, ']') + 1;
			u->usable =
			    inkan_view_find(target, '@') == target.len &&
			    host_ok(inkan_view_sub(target, 0, colon));
			target = inkan_view_sub(target, 0, colon);
		}
	}
	u->uri = inkan_arena_strndup(a, v.ptr, v.len);
	u->target = inkan_arena_strndup(a, target.ptr, target.len);
	if (u->uri == NULL || u->target == NULL)
		return INKAN_ERR_NOMEM;
	return INKAN_OK;
}

/* rua's value at p[*ip..): one or more URIs separated by *WSP "," *WSP. */
static enum inkan_status
parse_rua(struct record_impl *ri, const uint8_t *p, size_t *ip, size_t len,
    const struct inkan_limits *lim, struct inkan_tlsrpt_error *err)
{
	struct inkan_tlsrpt_uri *uris;
	size_t i = *ip, n = 0, start, slen;
	enum inkan_status st;

	uris =
	    inkan_arena_calloc(&ri->arena, lim->tlsrpt_rua_max, sizeof(*uris));
	if (uris == NULL)
		return INKAN_ERR_NOMEM;
	for (;;) {
		start = i;
		while (i < len && uri_char(p[i]))
			i++;
		if (i == start)
			return fail(err, start, INKAN_ERR_SYNTAX,
			    "rua has an empty URI, or a character a URI "
			    "cannot hold (\",\" and \"!\" must be "
			    "percent-encoded)");
		if ((slen = scheme_len(
			 inkan_view_make(p + start, i - start))) == 0)
			return fail(err, start, INKAN_ERR_SYNTAX,
			    "a rua URI has no scheme (mailto: or https:)");
		if (n == lim->tlsrpt_rua_max)
			return fail(err, start, INKAN_ERR_LIMIT,
			    "rua has more than %zu URIs", lim->tlsrpt_rua_max);
		st = classify(&ri->arena, inkan_view_make(p + start, i - start),
		    slen, &uris[n]);
		if (st != INKAN_OK)
			return st;
		n++;
		start = i;
		i = textrec_skip_wsp(p, i, len);
		if (i == len || p[i] != ',') {
			i = start;
			break;
		}
		i = textrec_skip_wsp(p, i + 1, len);
	}
	ri->pub.rua = uris;
	ri->pub.nrua = n;
	*ip = i;
	return INKAN_OK;
}

/* RFC 8460 3 tlsrpt-ext-value: %x21-3A / %x3C / %x3E-7E. */
static bool
ext_char(uint8_t c)
{
	return c >= 0x21 && c <= 0x7e && c != ';' && c != '=';
}

static enum inkan_status
parse(struct record_impl *ri, const uint8_t *p, size_t len,
    const struct inkan_limits *lim, struct inkan_tlsrpt_error *err)
{
	enum inkan_status st;
	bool have_rua = false;
	size_t i, n;

	/* RFC 8460 3: the version comes first, exactly "v=TLSRPTv1". */
	if (len < VERSION_LEN || memcmp(p, VERSION, VERSION_LEN) != 0)
		return fail(err, 0, INKAN_ERR_SYNTAX,
		    "the record does not begin with \"v=TLSRPTv1\"");
	i = VERSION_LEN;
	for (;;) {
		/* field-delim = *WSP ";" *WSP; trailing WSP is let pass */
		i = textrec_skip_wsp(p, i, len);
		if (i == len)
			break;
		if (p[i] != ';')
			return fail(err, i, INKAN_ERR_SYNTAX,
			    "expected \";\" between fields");
		i = textrec_skip_wsp(p, i + 1, len);
		if (i == len)
			break;
		if ((n = textrec_ext_name(p, i, len)) == 0 || i + n >= len ||
		    p[i + n] != '=')
			return fail(err, i, INKAN_ERR_SYNTAX,
			    "expected a field name (up to 32 letters, digits, "
			    "\"_\", \"-\", \".\") and \"=\"");
		if (n == 3 && memcmp(p + i, "rua", 3) == 0) {
			if (have_rua)
				return fail(err, i, INKAN_ERR_SYNTAX,
				    "rua is given twice");
			i += 4;
			if ((st = parse_rua(ri, p, &i, len, lim, err)) !=
			    INKAN_OK)
				return st;
			have_rua = true;
		} else {
			size_t v = i + n + 1, m = 0;

			while (v + m < len && ext_char(p[v + m]))
				m++;
			if (m == 0)
				return fail(err, v, INKAN_ERR_SYNTAX,
				    "a field has an empty or invalid value");
			ri->pub.extensions++;
			i = v + m;
		}
	}
	if (!have_rua)
		return fail(err, len, INKAN_ERR_SYNTAX,
		    "rua is missing (RFC 8460 3 requires it)");
	return INKAN_OK;
}

enum inkan_status
inkan_tlsrpt_record_parse(const void *text, size_t len,
    const struct inkan_limits *lim, struct inkan_tlsrpt_record **rec_r,
    struct inkan_tlsrpt_error *err)
{
	struct record_impl *ri;
	enum inkan_status st;
	size_t max;

	*rec_r = NULL;
	if (text == NULL && len > 0)
		return INKAN_ERR_INVAL;
	if (lim == NULL)
		lim = inkan_limits_defaults();
	if (len > lim->tlsrpt_record_max)
		return fail(err, 0, INKAN_ERR_LIMIT,
		    "the record is longer than %zu bytes",
		    lim->tlsrpt_record_max);
	/* Room for the URI array, the URIs twice over (uri and target)
	   and the arena's own headers. */
	if (lim->tlsrpt_rua_max == 0 ||
	    !inkan_size_mul(
		lim->tlsrpt_rua_max, sizeof(struct inkan_tlsrpt_uri), &max) ||
	    !inkan_size_add(max, 2 * len + 4096, &max))
		return fail(
		    err, 0, INKAN_ERR_LIMIT, "tlsrpt_rua_max is out of range");
	if ((ri = calloc(1, sizeof(*ri))) == NULL)
		return INKAN_ERR_NOMEM;
	inkan_arena_init(&ri->arena, max);
	if ((st = parse(ri, text, len, lim, err)) != INKAN_OK) {
		inkan_arena_clear(&ri->arena);
		free(ri);
		return st;
	}
	*rec_r = &ri->pub;
	return INKAN_OK;
}

void
inkan_tlsrpt_record_free(struct inkan_tlsrpt_record **rec)
{
	struct record_impl *ri;

	if (rec == NULL || *rec == NULL)
		return;
	ri = (struct record_impl *)(void *)*rec;
	inkan_arena_clear(&ri->arena);
	free(ri);
	*rec = NULL;
}

static bool
is_tlsrpt(const void *text, size_t len)
{
	return inkan_tlsrpt_record_is_tlsrpt(text, len);
}

enum inkan_status
inkan_tlsrpt_record_lookup(struct inkan_resolver *r, const char *domain,
    const struct inkan_limits *lim, struct inkan_tlsrpt_record **rec_r,
    enum inkan_tlsrpt_lookup_status *status_r, struct inkan_tlsrpt_error *err)
{
	return inkan_tlsrpt_record_lookup_text(
	    r, domain, lim, rec_r, status_r, NULL, err);
}

enum inkan_status
inkan_tlsrpt_record_lookup_text(struct inkan_resolver *r, const char *domain,
    const struct inkan_limits *lim, struct inkan_tlsrpt_record **rec_r,
    enum inkan_tlsrpt_lookup_status *status_r, struct inkan_buf *text,
    struct inkan_tlsrpt_error *err)
{
	enum inkan_dns_txt_pick_result pick;
	struct inkan_buf txt;
	enum inkan_status st;

	*rec_r = NULL;
	*status_r = INKAN_TLSRPT_LOOKUP_NONE;
	if (lim == NULL)
		lim = inkan_limits_defaults();
	inkan_buf_init(&txt, lim->tlsrpt_record_max);
	st = inkan_dns_txt_pick(
	    r, "_smtp._tls", domain, is_tlsrpt, &txt, &pick, NULL);
	if (st == INKAN_ERR_LIMIT) {
		/* The one record is longer than tlsrpt_record_max. */
		st = INKAN_OK;
		*status_r = INKAN_TLSRPT_LOOKUP_INVALID;
		fail(err, 0, INKAN_OK,
		    "the TLS-RPT record of %s is longer "
		    "than %zu bytes",
		    domain, lim->tlsrpt_record_max);
		goto out;
	}
	if (st == INKAN_ERR_SYNTAX)
		fail(err, 0, st, "\"%.100s\" is not a domain name",
		    domain != NULL ? domain : "");
	if (st != INKAN_OK)
		goto out;
	switch (pick) {
	case INKAN_DNS_PICK_NONE:
		fail(err, 0, INKAN_OK,
		    "no TXT record at _smtp._tls.%s "
		    "begins with \"v=TLSRPTv1;\"",
		    domain);
		break;
	case INKAN_DNS_PICK_SEVERAL:
		*status_r = INKAN_TLSRPT_LOOKUP_SEVERAL;
		fail(err, 0, INKAN_OK,
		    "several TXT records at _smtp._tls.%s "
		    "begin with \"v=TLSRPTv1;\" (RFC 8460 3: then none "
		    "counts)",
		    domain);
		break;
	case INKAN_DNS_PICK_TEMPERROR:
		*status_r = INKAN_TLSRPT_LOOKUP_TEMPERROR;
		fail(err, 0, INKAN_OK,
		    "the TXT lookup of _smtp._tls.%s "
		    "failed temporarily",
		    domain);
		break;
	case INKAN_DNS_PICK_ONE:
		st = inkan_tlsrpt_record_parse(
		    txt.data, txt.len, lim, rec_r, err);
		if (st == INKAN_OK)
			*status_r = INKAN_TLSRPT_LOOKUP_FOUND;
		else if (st == INKAN_ERR_SYNTAX || st == INKAN_ERR_LIMIT) {
			/* RFC 8460 3: not a usable record, so none. */
			st = INKAN_OK;
			*status_r = INKAN_TLSRPT_LOOKUP_INVALID;
		}
		if (st == INKAN_OK && text != NULL)
			(void)inkan_buf_append(text, txt.data, txt.len);
		break;
	}
out:
	inkan_buf_clear(&txt);
	return st;
}
