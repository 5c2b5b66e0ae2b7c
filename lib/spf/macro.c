/*
 * macro.c: SPF macros (RFC 7208 7).
 *
 * A macro-string mixes literal bytes with expansions: %{letter
 * transformers delimiters}, %% (a percent sign), %_ (a space) and %-
 * (URL-encoded space, "%20"). spf_macro_check() validates the syntax when
 * a record is parsed; spf_macro_expand() produces the text for one check.
 * The value of a letter is split on the delimiters (default '.'), reversed
 * with 'r', cut to its rightmost N parts, and joined with '.'; an
 * uppercase letter URL-escapes the result (7.3).
 */
#include <stdio.h>
#include <string.h>

#include "spf/spf_impl.h"

/* RFC 7208 7.1 macro-letter, lowercase; c, r and t only in exp text. */
static bool
letter_valid(uint8_t c, enum spf_macro_mode mode, const char **why_r)
{
	switch (inkan_ascii_lower(c)) {
	case 's':
	case 'l':
	case 'o':
	case 'd':
	case 'i':
	case 'p':
	case 'h':
	case 'v':
		return true;
	case 'c':
	case 'r':
	case 't':
		/* RFC 7208 7.2: only in the explanation string. */
		if (mode != SPF_MACRO_DOMAIN)
			return true;
		*why_r = "macro letter allowed only in exp= text";
		return false;
	default:
		*why_r = "unknown macro letter";
		return false;
	}
}

/* RFC 7208 7.1 delimiter. */
static bool
is_delimiter(uint8_t c)
{
	return c == '.' || c == '-' || c == '+' || c == ',' || c == '/' ||
	    c == '_' || c == '=';
}

/* The most parts a DIGIT transformer can select that matters: a value is
   never longer than the expansion maximum, so neither are its parts. */
#define TRANSFORM_DIGITS_CAP 100000u

/*
 * Parses one %{...} at spec[i] (spec[i] == '%', spec[i+1] == '{').
 * Returns the index after '}', or 0 with *why_r set.
 */
static size_t
parse_expand(struct inkan_view spec, size_t i, enum spf_macro_mode mode,
    uint8_t *letter_r, unsigned *digits_r, bool *reverse_r, size_t *dstart_r,
    size_t *dend_r, size_t *bad_r, const char **why_r)
{
	size_t j = i + 2;
	unsigned n = 0;
	bool have_digits = false;

	*reverse_r = false;
	if (j >= spec.len) {
		*bad_r = i;
		*why_r = "unterminated macro";
		return 0;
	}
	*letter_r = spec.ptr[j];
	if (!letter_valid(spec.ptr[j], mode, why_r)) {
		*bad_r = j;
		return 0;
	}
	j++;
	while (j < spec.len && inkan_cc_is(spec.ptr[j], INKAN_CC_DIGIT)) {
		n = n * 10 + (unsigned)(spec.ptr[j] - '0');
		if (n > TRANSFORM_DIGITS_CAP)
			n = TRANSFORM_DIGITS_CAP;
		have_digits = true;
		j++;
	}
	/* RFC 7208 7.3: "If a DIGIT is specified, the value MUST be
	   nonzero." */
	if (have_digits && n == 0) {
		*bad_r = j - 1;
		*why_r = "zero DIGIT transformer";
		return 0;
	}
	*digits_r = have_digits ? n : 0;
	if (j < spec.len && (spec.ptr[j] == 'r' || spec.ptr[j] == 'R')) {
		*reverse_r = true;
		j++;
	}
	*dstart_r = j;
	while (j < spec.len && is_delimiter(spec.ptr[j]))
		j++;
	*dend_r = j;
	if (j >= spec.len || spec.ptr[j] != '}') {
		*bad_r = j < spec.len ? j : i;
		*why_r = "bad macro transformer or delimiter";
		return 0;
	}
	return j + 1;
}

bool
spf_macro_check(struct inkan_view spec, enum spf_macro_mode mode,
    bool *has_macro_r, size_t *off_r, const char **why_r)
{
	size_t i = 0, ds, de;
	uint8_t letter;
	unsigned digits;
	bool rev;

	*has_macro_r = false;
	while (i < spec.len) {
		uint8_t c = spec.ptr[i];

		if (c == '%') {
			uint8_t n = i + 1 < spec.len ? spec.ptr[i + 1] : 0;

			if (n == '%' || n == '_' || n == '-') {
				*has_macro_r = true;
				i += 2;
				continue;
			}
			if (n != '{') {
				/* RFC 7208 7.1: a '%' starts an expansion. */
				*off_r = i;
				*why_r = "'%' not followed by '{', '%', '_' "
					 "or '-'";
				return false;
			}
			i = parse_expand(spec, i, mode, &letter, &digits, &rev,
			    &ds, &de, off_r, why_r);
			if (i == 0)
				return false;
			*has_macro_r = true;
			continue;
		}
		/* macro-literal = %x21-24 / %x26-7E; the explanation text
		   also has SP (RFC 7208 6.2 explain-string). */
		if ((c < 0x21 || c > 0x7e) &&
		    !(c == ' ' && mode == SPF_MACRO_EXP)) {
			*off_r = i;
			*why_r = "byte not allowed in a macro-string";
			return false;
		}
		i++;
	}
	return true;
}

/* Appends v, URL-escaped (RFC 3986 unreserved kept) when escape is set. */
static enum inkan_status
put(struct inkan_buf *out, const uint8_t *p, size_t n, bool escape)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i, start = 0;
	uint8_t e[3];

	if (!escape)
		return inkan_buf_append(out, p, n);
	for (i = 0; i < n; i++) {
		uint8_t c = p[i];

		if (inkan_cc_is(c, INKAN_CC_ALNUM) || c == '-' || c == '.' ||
		    c == '_' || c == '~')
			continue;
		inkan_buf_append(out, p + start, i - start);
		e[0] = '%';
		e[1] = (uint8_t)hex[c >> 4];
		e[2] = (uint8_t)hex[c & 15];
		inkan_buf_append(out, e, 3);
		start = i + 1;
	}
	return inkan_buf_append(out, p + start, n - start);
}

/* True if c is one of delims[0..n), or '.' when n is 0. */
static bool
in_delims(uint8_t c, const uint8_t *delims, size_t n)
{
	if (n == 0)
		return c == '.';
	return memchr(delims, c, n) != NULL;
}

/*
 * RFC 7208 7.3: splits value on the delimiters, reverses when asked,
 * keeps the rightmost digits parts (0: all), joins them with '.'. The
 * parts kept are found from the end they are taken from, so the cost
 * follows the output, not the value: a long sender under %{s1} costs
 * little, and a long output stops at out's maximum.
 */
static enum inkan_status
transform(struct inkan_buf *out, struct inkan_view value, unsigned digits,
    bool reverse, const uint8_t *delims, size_t ndelims, bool escape)
{
	size_t i, n, start = 0, end = value.len;
	bool first = true;

	if (!reverse) {
		/* The last digits parts, in order. */
		if (digits != 0) {
			for (i = value.len, n = 0; i > 0; i--)
				if (in_delims(
					value.ptr[i - 1], delims, ndelims) &&
				    ++n == digits)
					break;
			start = i;
		}
		for (i = start; i <= value.len && out->err == INKAN_OK; i++) {
			if (i < value.len &&
			    !in_delims(value.ptr[i], delims, ndelims))
				continue;
			if (!first)
				put(out, (const uint8_t *)".", 1, false);
			put(out, value.ptr + start, i - start, escape);
			first = false;
			start = i + 1;
		}
		return out->err;
	}
	/* Reversed, the last digits parts are the first digits parts of
	   the original, written last to first. */
	if (digits != 0)
		for (end = 0, n = 0; end < value.len; end++)
			if (in_delims(value.ptr[end], delims, ndelims) &&
			    ++n == digits)
				break;
	while (out->err == INKAN_OK) {
		start = end;
		while (start > 0 &&
		    !in_delims(value.ptr[start - 1], delims, ndelims))
			start--;
		if (!first)
			put(out, (const uint8_t *)".", 1, false);
		put(out, value.ptr + start, end - start, escape);
		first = false;
		if (start == 0)
			break;
		end = start - 1;
	}
	return out->err;
}

/*
 * %{i}: dotted quad, or 32 dotted nibbles for IPv6 (RFC 7208 7.3). RFC
 * 7208 leaves the case of the hex digits open (its 7.4 example happens to
 * be lowercase) and DNS compares names without case (RFC 4343), so either
 * is correct; we write uppercase, as pyspf does and as the openspf suite
 * checks in explanations (v-macro-ip6).
 */
static size_t
ip_dotted(const struct inkan_spf_ip *ip, char *buf, size_t size)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i, o = 0;

	if (ip->family != AF_INET6) {
		int n = snprintf(buf, size, "%u.%u.%u.%u", ip->addr[0],
		    ip->addr[1], ip->addr[2], ip->addr[3]);

		return n < 0 ? 0 : (size_t)n;
	}
	for (i = 0; i < 16 && o + 4 <= size; i++) {
		buf[o++] = hex[ip->addr[i] >> 4];
		buf[o++] = '.';
		buf[o++] = hex[ip->addr[i] & 15];
		buf[o++] = '.';
	}
	return o > 0 ? o - 1 : 0;
}

/* Drops labels from the left of out[start..] until it is 253 or less. */
static void
truncate_domain(struct inkan_buf *out, size_t start)
{
	size_t n = out->len - start, i;

	if (n > 0 && out->data[out->len - 1] == '.') {
		inkan_buf_truncate(out, out->len - 1);
		n--;
	}
	if (n <= 253)
		return;
	/* RFC 7208 7.3: "left side of the expansion ... is removed until
	   the total length does not exceed 253 characters." */
	for (i = start; i < out->len; i++) {
		if (out->data[i] == '.' && out->len - i - 1 <= 253) {
			memmove(out->data + start, out->data + i + 1,
			    out->len - i - 1);
			inkan_buf_truncate(out, start + out->len - i - 1);
			return;
		}
	}
}

enum inkan_status
spf_macro_expand(const struct spf_macro_env *env, struct inkan_view spec,
    enum spf_macro_mode mode, struct inkan_buf *out)
{
	size_t i = 0, start = out->len, ds, de, bad;
	const char *why;
	char tmp[96];
	enum inkan_status st;

	while (i < spec.len && out->err == INKAN_OK) {
		struct inkan_view v;
		uint8_t letter;
		unsigned digits;
		bool rev;
		size_t lit = i;

		while (i < spec.len && spec.ptr[i] != '%')
			i++;
		if (i > lit) {
			inkan_buf_append(out, spec.ptr + lit, i - lit);
			continue;
		}
		if (i + 1 >= spec.len)
			return INKAN_ERR_SYNTAX;
		switch (spec.ptr[i + 1]) {
		case '%':
			inkan_buf_append_byte(out, '%');
			i += 2;
			continue;
		case '_':
			inkan_buf_append_byte(out, ' ');
			i += 2;
			continue;
		case '-':
			inkan_buf_append_cstr(out, "%20");
			i += 2;
			continue;
		case '{':
			break;
		default:
			return INKAN_ERR_SYNTAX;
		}
		i = parse_expand(spec, i, mode, &letter, &digits, &rev, &ds,
		    &de, &bad, &why);
		if (i == 0)
			return INKAN_ERR_SYNTAX;
		switch (inkan_ascii_lower(letter)) {
		case 's':
			v = env->sender;
			break;
		case 'l':
			v = env->local;
			break;
		case 'o':
			v = env->sender_domain;
			break;
		case 'd':
			v = env->domain;
			break;
		case 'h':
			v = env->helo;
			break;
		case 'i':
			v = inkan_view_make(
			    tmp, ip_dotted(env->ip, tmp, sizeof(tmp)));
			break;
		case 'v':
			v = env->ip->family == AF_INET6
			    ? INKAN_VIEW_LIT("ip6")
			    : INKAN_VIEW_LIT("in-addr");
			break;
		case 'c':
			spf_ip_text(env->ip, tmp, sizeof(tmp));
			v = inkan_view_cstr(tmp);
			break;
		case 'r':
			v = env->receiver.len > 0 ? env->receiver
						  : INKAN_VIEW_LIT("unknown");
			break;
		case 't':
			snprintf(tmp, sizeof(tmp), "%lld", (long long)env->now);
			v = inkan_view_cstr(tmp);
			break;
		case 'p':
			if (env->ptr_name == NULL) {
				v = INKAN_VIEW_LIT("unknown");
				break;
			}
			if ((st = env->ptr_name(env->arg, &v)) != INKAN_OK)
				return st;
			break;
		default:
			return INKAN_ERR_SYNTAX;
		}
		transform(out, v, digits, rev, spec.ptr + ds, de - ds,
		    inkan_cc_is(letter, INKAN_CC_ALPHA) &&
			letter == inkan_ascii_upper(letter));
	}
	if (out->err != INKAN_OK)
		return out->err;
	if (mode == SPF_MACRO_DOMAIN)
		truncate_domain(out, start);
	return INKAN_OK;
}
