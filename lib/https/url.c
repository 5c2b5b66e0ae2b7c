/*
 * url.c: the checks made before any byte goes on the wire: the URL
 * (https only, a plain host name, RFC 3986 characters), and the options
 * (the resolve override, the User-Agent). Pure functions, no libcurl.
 *
 * The URL grammar accepted is deliberately narrower than RFC 3986: no
 * user information, no IP literal in brackets, no fragment, and no byte
 * that parsers disagree on (space, backslash, control, non-ASCII). What
 * passes here means the same thing to inkan, to libcurl and to the
 * server, so a URL from a DNS record cannot smuggle a second host or a
 * header into the request.
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "https/internal.h"

/* RFC 1123 2.1 and RFC 1035 2.3.4: labels of 1 to 63, 253 in all. */
#define LABEL_MAX 63
#define HOST_MAX 253

enum inkan_status
https_reason(char *reason, enum inkan_status st, const char *fmt, ...)
{
	va_list ap;

	if (reason != NULL) {
		va_start(ap, fmt);
		vsnprintf(reason, INKAN_HTTPS_REASON_MAX, fmt, ap);
		va_end(ap);
	}
	return st;
}

/*
 * A host name: LDH labels separated by dots, one final dot allowed. Returns
 * NULL when h is one, else what is wrong with it.
 */
static const char *
host_problem(struct inkan_view h)
{
	size_t i, label = 0;

	if (h.len > 0 && h.ptr[h.len - 1] == '.')
		h.len--;
	if (h.len == 0)
		return "the host name is empty";
	if (h.len > HOST_MAX)
		return "the host name is longer than 253 characters";
	for (i = 0; i < h.len; i++) {
		if (h.ptr[i] == '.') {
			if (label == 0)
				return "the host name has an empty label";
			if (h.ptr[i - 1] == '-')
				return "a label of the host name ends in a "
				       "hyphen";
			label = 0;
			continue;
		}
		if (!inkan_cc_is(h.ptr[i], INKAN_CC_LDH))
			return "the host name has a character other than a "
			       "letter, digit, hyphen or dot";
		if (label == 0 && h.ptr[i] == '-')
			return "a label of the host name begins with a hyphen";
		if (++label > LABEL_MAX)
			return "a label of the host name is longer than 63 "
			       "characters";
	}
	if (h.ptr[h.len - 1] == '-')
		return "a label of the host name ends in a hyphen";
	return NULL;
}

/* A TCP port: 1 to 5 digits, 1 to 65535. */
static bool
port_ok(struct inkan_view p)
{
	unsigned long v = 0;
	size_t i;

	if (p.len == 0 || p.len > 5)
		return false;
	for (i = 0; i < p.len; i++) {
		if (!inkan_cc_is(p.ptr[i], INKAN_CC_DIGIT))
			return false;
		v = v * 10 + (unsigned long)(p.ptr[i] - '0');
	}
	return v >= 1 && v <= 65535;
}

/*
 * RFC 3986 3.3, 3.4: the characters of a path and query: unreserved,
 * sub-delims, ":", "@", "/", "?", and "%" with two hex digits.
 */
static bool
path_char_ok(uint8_t c)
{
	if (inkan_cc_is(c, INKAN_CC_ALNUM))
		return true;
	return c != '\0' && strchr("-._~!$&'()*+,;=:@/?", c) != NULL;
}

enum inkan_status
inkan_https_url_check(const char *url, const struct inkan_limits *lim,
    struct inkan_view *host_r, char *reason)
{
	static const char scheme[] = "https://";
	struct inkan_view u, host, port = { NULL, 0 };
	const char *problem;
	size_t i, start, end;

	if (lim == NULL)
		lim = inkan_limits_defaults();
	if (url == NULL)
		return https_reason(reason, INKAN_ERR_INVAL, "no URL");
	u = inkan_view_cstr(url);
	if (u.len > lim->https_url_max)
		return https_reason(reason, INKAN_ERR_INVAL,
		    "the URL is longer than %zu bytes", lim->https_url_max);
	if (!inkan_view_prefix_nocase(u, INKAN_VIEW_LIT(scheme)))
		return https_reason(reason, INKAN_ERR_INVAL,
		    "the URL does not begin with https:// (RFC 8461 3.3: "
		    "HTTPS only)");
	/* The authority runs to the first "/", "?" or the end. */
	start = sizeof(scheme) - 1;
	for (end = start; end < u.len; end++)
		if (u.ptr[end] == '/' || u.ptr[end] == '?')
			break;
	host = inkan_view_sub(u, start, end - start);
	if (inkan_view_find(host, '@') < host.len)
		return https_reason(
		    reason, INKAN_ERR_INVAL, "the URL carries a user name");
	if (host.len > 0 && host.ptr[0] == '[')
		return https_reason(reason, INKAN_ERR_INVAL,
		    "the URL names an IP address, not a host name");
	if ((i = inkan_view_find(host, ':')) < host.len) {
		port = inkan_view_sub(host, i + 1, host.len - i - 1);
		host.len = i;
		if (!port_ok(port))
			return https_reason(reason, INKAN_ERR_INVAL,
			    "the URL's port is not a number from 1 to 65535");
	}
	if ((problem = host_problem(host)) != NULL)
		return https_reason(reason, INKAN_ERR_INVAL, "%s", problem);
	for (i = end; i < u.len; i++) {
		if (u.ptr[i] == '%') {
			if (u.len - i < 3 ||
			    !inkan_cc_is(u.ptr[i + 1], INKAN_CC_HEX) ||
			    !inkan_cc_is(u.ptr[i + 2], INKAN_CC_HEX))
				return https_reason(reason, INKAN_ERR_INVAL,
				    "the URL has a %% not followed by two hex "
				    "digits");
			i += 2;
			continue;
		}
		if (u.ptr[i] == '#')
			return https_reason(
			    reason, INKAN_ERR_INVAL, "the URL has a fragment");
		if (!path_char_ok(u.ptr[i]))
			return https_reason(reason, INKAN_ERR_INVAL,
			    "the URL's path has a byte RFC 3986 does not "
			    "allow (0x%02x)",
			    u.ptr[i]);
	}
	if (host_r != NULL)
		*host_r = host;
	return INKAN_OK;
}

/* The next ":"-separated field of s from *i; moves *i past the ":". */
static struct inkan_view
next_field(struct inkan_view s, size_t *i)
{
	struct inkan_view f;
	size_t start = *i;

	while (*i < s.len && s.ptr[*i] != ':')
		(*i)++;
	f = inkan_view_sub(s, start, *i - start);
	if (*i < s.len)
		(*i)++;
	return f;
}

enum inkan_status
https_resolve_parse(const char *str, struct https_resolve *r, char *reason)
{
	char addr[INET6_ADDRSTRLEN + 1];
	uint8_t bin[16];
	struct inkan_view s = inkan_view_cstr(str), rest, bare;
	size_t i = 0, close;
	int family = AF_INET;

	if (s.len > INKAN_HTTPS_RESOLVE_MAX)
		return https_reason(reason, INKAN_ERR_INVAL,
		    "resolve is longer than %d bytes", INKAN_HTTPS_RESOLVE_MAX);
	r->host = next_field(s, &i);
	if (host_problem(r->host) != NULL)
		return https_reason(reason, INKAN_ERR_INVAL,
		    "resolve does not begin with a host name");
	r->port = next_field(s, &i);
	if (!port_ok(r->port))
		return https_reason(reason, INKAN_ERR_INVAL,
		    "resolve's port is not a number from 1 to 65535");
	if (i < s.len && s.ptr[i] == '[') {
		/* An IPv6 literal, colons and all, up to "]". */
		rest = inkan_view_sub(s, i, s.len - i);
		if ((close = inkan_view_find(rest, ']')) == rest.len)
			return https_reason(reason, INKAN_ERR_INVAL,
			    "resolve's IPv6 address has no ]");
		r->address = inkan_view_sub(rest, 0, close + 1);
		i += close + 1;
		if (i < s.len && s.ptr[i] != ':')
			return https_reason(reason, INKAN_ERR_INVAL,
			    "resolve has bytes after its IPv6 address");
		if (i < s.len)
			i++;
		family = AF_INET6;
	} else {
		r->address = next_field(s, &i);
	}
	/* The address without its brackets, for inet_pton(). */
	bare = family == AF_INET6
	    ? inkan_view_sub(r->address, 1, r->address.len - 2)
	    : r->address;
	if (bare.len == 0 || bare.len >= sizeof(addr))
		return https_reason(reason, INKAN_ERR_INVAL,
		    "resolve's address is not an IP address");
	memcpy(addr, bare.ptr, bare.len);
	addr[bare.len] = '\0';
	if (inet_pton(family, addr, bin) != 1)
		return https_reason(reason, INKAN_ERR_INVAL,
		    "resolve's address is not an IP address");
	r->address_port = r->port;
	if (i < s.len || (s.len > 0 && s.ptr[s.len - 1] == ':')) {
		r->address_port = inkan_view_sub(s, i, s.len - i);
		if (!port_ok(r->address_port))
			return https_reason(reason, INKAN_ERR_INVAL,
			    "resolve's second port is not a number from 1 "
			    "to 65535");
	}
	return INKAN_OK;
}

void
inkan_https_options_init(
    struct inkan_https_options *o, const struct inkan_limits *lim)
{
	if (lim == NULL)
		lim = inkan_limits_defaults();
	memset(o, 0, sizeof(*o));
	o->body_max = lim->https_body_max;
	o->timeout_ms = lim->https_timeout_ms;
}

enum inkan_status
inkan_https_options_check(const struct inkan_https_options *o, char *reason)
{
	struct https_resolve r;
	size_t i, n;

	if (o->body_max == 0)
		return https_reason(reason, INKAN_ERR_INVAL, "body_max is 0");
	if (o->timeout_ms == 0)
		return https_reason(reason, INKAN_ERR_INVAL, "timeout_ms is 0");
	if (o->ca_file != NULL && o->ca_file[0] == '\0')
		return https_reason(
		    reason, INKAN_ERR_INVAL, "ca_file is empty");
	if (o->user_agent != NULL) {
		n = strlen(o->user_agent);
		if (n == 0 || n > INKAN_HTTPS_USER_AGENT_MAX)
			return https_reason(reason, INKAN_ERR_INVAL,
			    "user_agent is empty or longer than %d bytes",
			    INKAN_HTTPS_USER_AGENT_MAX);
		/* RFC 9110 10.1.5: a header value; no CR or LF may
		   start a second header. */
		for (i = 0; i < n; i++)
			if ((uint8_t)o->user_agent[i] < 0x20 ||
			    (uint8_t)o->user_agent[i] > 0x7e)
				return https_reason(reason, INKAN_ERR_INVAL,
				    "user_agent has a byte that is not "
				    "printable ASCII");
	}
	if (o->resolve != NULL)
		return https_resolve_parse(o->resolve, &r, reason);
	return INKAN_OK;
}
