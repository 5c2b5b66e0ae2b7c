/*
 * zonefile.c: RFC 1035 5 zone text into a zone table.
 *
 * The text is split into entries here, by a small state machine that
 * knows quotes, backslash escapes, parentheses and comments and counts
 * lines exactly; each entry, joined onto one line, is then parsed by ldns
 * (ldns_rr_new_frm_str). Doing the splitting ourselves gives exact line
 * numbers in errors, lets us refuse $INCLUDE, and lets us see inkan's
 * directives, which are comments starting a line with ";!":
 *
 *	;! TIMEOUT name [TYPE]
 *	;! SERVFAIL name [TYPE]
 *	;! SECURE name
 *
 * Relative names in directives follow $ORIGIN like records do.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dns/dns_impl.h"

/* Longest piece of input quoted in an error message, before escaping. */
#define SNIPPET_MAX 40

struct zparse {
	const uint8_t *text;
	size_t len;
	size_t pos;
	size_t line; /* line of text[pos], 1-based */
	size_t entry_line; /* line where the current entry started */
	bool single; /* exactly one record, nothing else */
	const struct inkan_limits *lim;
	struct zone_table *t;
	struct inkan_zone_error *err;
	ldns_rdf *origin; /* $ORIGIN, or NULL */
	ldns_rdf *sentinel; /* given to ldns as origin when there is none */
	ldns_rdf *prev; /* owner of the previous record */
	uint32_t ttl; /* $TTL */
	bool have_ttl;
	size_t records;
	struct inkan_buf entry;
};

static enum inkan_status perr(struct zparse *p, size_t line, const char *fmt,
    ...) __attribute__((format(printf, 3, 4)));

static enum inkan_status
perr(struct zparse *p, size_t line, const char *fmt, ...)
{
	va_list ap;

	if (p->err != NULL) {
		p->err->line = line;
		va_start(ap, fmt);
		vsnprintf(p->err->message, sizeof(p->err->message), fmt, ap);
		va_end(ap);
	}
	return INKAN_ERR_SYNTAX;
}

/* An escaped, shortened copy of s for an error message. */
static const char *
snippet(const char *s, char *buf, size_t size)
{
	struct inkan_buf b;
	size_t n = strlen(s);

	inkan_buf_init(&b, 4 * SNIPPET_MAX + 1);
	(void)inkan_escape(s, n > SNIPPET_MAX ? SNIPPET_MAX : n, &b);
	snprintf(buf, size, "%s%s", inkan_buf_cstr(&b),
	    n > SNIPPET_MAX ? "..." : "");
	inkan_buf_clear(&b);
	return buf;
}

static bool
is_space(uint8_t c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* ---- names ------------------------------------------------------------ */

/*
 * A name token of a directive or $ORIGIN: zone-file syntax (escapes
 * allowed), "@" for the origin, relative names under the origin.
 */
static enum inkan_status
parse_name(struct zparse *p, const char *tok, ldns_rdf **rdf_r)
{
	ldns_rdf *rdf;
	char sn[4 * SNIPPET_MAX + 8];

	*rdf_r = NULL;
	if (strcmp(tok, "@") == 0) {
		if (p->origin == NULL)
			return perr(p, p->entry_line, "'@' with no $ORIGIN");
		if ((*rdf_r = ldns_rdf_clone(p->origin)) == NULL)
			return INKAN_ERR_NOMEM;
		return INKAN_OK;
	}
	if ((rdf = ldns_dname_new_frm_str(tok)) == NULL)
		return perr(p, p->entry_line, "bad name '%s'",
		    snippet(tok, sn, sizeof(sn)));
	if (!ldns_dname_str_absolute(tok)) {
		if (p->origin == NULL) {
			ldns_rdf_deep_free(rdf);
			return perr(p, p->entry_line,
			    "relative name '%s' with no $ORIGIN",
			    snippet(tok, sn, sizeof(sn)));
		}
		if (ldns_dname_cat(rdf, p->origin) != LDNS_STATUS_OK ||
		    dns_wire_len(ldns_rdf_data(rdf), ldns_rdf_size(rdf)) !=
			ldns_rdf_size(rdf)) {
			ldns_rdf_deep_free(rdf);
			return perr(p, p->entry_line,
			    "name '%s' is too long with the origin",
			    snippet(tok, sn, sizeof(sn)));
		}
	}
	*rdf_r = rdf;
	return INKAN_OK;
}

/* Splits s in place into whitespace-separated tokens, up to a ';'. */
static size_t
tokenize(char *s, char **tok, size_t max)
{
	size_t n = 0;

	for (;;) {
		while (is_space((uint8_t)*s))
			s++;
		if (*s == '\0' || *s == ';')
			return n;
		if (n == max)
			return max + 1;
		tok[n++] = s;
		while (*s != '\0' && !is_space((uint8_t)*s)) {
			if (*s == '\\' && s[1] != '\0')
				s++;
			s++;
		}
		if (*s == '\0')
			return n;
		*s++ = '\0';
	}
}

/* ---- directives ------------------------------------------------------- */

static enum inkan_status
directive(struct zparse *p, const uint8_t *s, size_t n)
{
	char buf[1024], *tok[4], sn[4 * SNIPPET_MAX + 8];
	size_t ntok;
	ldns_rdf *name = NULL;
	enum inkan_dns_type type = 0;
	enum inkan_dns_rcode rcode;
	enum inkan_status st;
	bool secure = false;

	if (p->single)
		return perr(p, p->entry_line,
		    "a directive where one record "
		    "was expected");
	if (n >= sizeof(buf))
		return perr(p, p->entry_line, "directive line too long");
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (memchr(buf, '\0', n) != NULL)
		return perr(p, p->entry_line, "NUL byte in directive");
	ntok = tokenize(buf, tok, 3);
	if (ntok == 0)
		return perr(p, p->entry_line, "empty ';!' directive");
	if (strcasecmp(tok[0], "TIMEOUT") == 0)
		rcode = INKAN_DNS_TIMEOUT;
	else if (strcasecmp(tok[0], "SERVFAIL") == 0)
		rcode = INKAN_DNS_SERVFAIL;
	else if (strcasecmp(tok[0], "SECURE") == 0) {
		rcode = INKAN_DNS_NOERROR;
		secure = true;
	} else
		return perr(p, p->entry_line,
		    "unknown directive ';! %s' (expected TIMEOUT, SERVFAIL "
		    "or SECURE)",
		    snippet(tok[0], sn, sizeof(sn)));
	if (ntok < 2 || ntok > (secure ? 2u : 3u))
		return perr(p, p->entry_line,
		    secure ? "usage: ;! SECURE name"
			   : "usage: ;! TIMEOUT|SERVFAIL name [TYPE]");
	if (ntok == 3) {
		st = inkan_dns_type_from_name(tok[2], &type);
		if (st != INKAN_OK)
			return perr(p, p->entry_line, "bad type '%s'",
			    snippet(tok[2], sn, sizeof(sn)));
	}
	if ((st = parse_name(p, tok[1], &name)) != INKAN_OK)
		return st;
	if (secure)
		st = zone_table_set_secure(
		    p->t, ldns_rdf_data(name), ldns_rdf_size(name));
	else
		st = zone_table_set_fault(p->t, ldns_rdf_data(name),
		    ldns_rdf_size(name), (unsigned)type, rcode);
	ldns_rdf_deep_free(name);
	return st;
}

/* ---- control entries -------------------------------------------------- */

static enum inkan_status
control(struct zparse *p, char *s)
{
	char *tok[3], sn[4 * SNIPPET_MAX + 8];
	size_t ntok = tokenize(s, tok, 2);
	enum inkan_status st;

	if (p->single)
		return perr(p, p->entry_line,
		    "'%s' where one record was "
		    "expected",
		    ntok > 0 ? snippet(tok[0], sn, sizeof(sn)) : "$");
	if (strcasecmp(tok[0], "$INCLUDE") == 0)
		return perr(p, p->entry_line,
		    "$INCLUDE is refused: a zone file given to inkan must "
		    "not read other files");
	if (strcasecmp(tok[0], "$ORIGIN") == 0) {
		ldns_rdf *o;

		if (ntok != 2)
			return perr(p, p->entry_line, "usage: $ORIGIN name");
		if ((st = parse_name(p, tok[1], &o)) != INKAN_OK)
			return st;
		ldns_rdf_deep_free(p->origin);
		p->origin = o;
		return INKAN_OK;
	}
	if (strcasecmp(tok[0], "$TTL") == 0) {
		const char *end = NULL;
		uint32_t ttl;

		if (ntok != 2)
			return perr(p, p->entry_line, "usage: $TTL seconds");
		ttl = ldns_str2period(tok[1], &end);
		/* RFC 2181 8: a TTL is at most 2^31 - 1. */
		if (!inkan_cc_is((uint8_t)tok[1][0], INKAN_CC_DIGIT) ||
		    end == NULL || *end != '\0' || ttl > 0x7fffffffu)
			return perr(p, p->entry_line, "bad $TTL '%s'",
			    snippet(tok[1], sn, sizeof(sn)));
		p->ttl = ttl;
		p->have_ttl = true;
		return INKAN_OK;
	}
	return perr(p, p->entry_line, "unsupported control entry '%s'",
	    snippet(tok[0], sn, sizeof(sn)));
}

/* ---- records ---------------------------------------------------------- */

/* True if name came out relative (ldns put our sentinel under it). */
static bool
is_relative(const struct zparse *p, const ldns_rdf *name)
{
	return ldns_dname_compare(name, p->sentinel) == 0 ||
	    ldns_dname_is_subdomain(name, p->sentinel);
}

static enum inkan_status
check_rr(struct zparse *p, const ldns_rr *rr)
{
	unsigned type = ldns_rr_get_type(rr);
	size_t i;

	if (ldns_rr_get_class(rr) != LDNS_RR_CLASS_IN)
		return perr(p, p->entry_line, "only class IN is supported");
	if (dns_type_is_meta(type))
		return perr(
		    p, p->entry_line, "TYPE%u is not a data type", type);
	if (p->origin == NULL) {
		if (is_relative(p, ldns_rr_owner(rr)))
			return perr(p, p->entry_line,
			    "relative owner name with no $ORIGIN");
		for (i = 0; i < ldns_rr_rd_count(rr); i++) {
			const ldns_rdf *f = ldns_rr_rdf(rr, i);

			if (ldns_rdf_get_type(f) == LDNS_RDF_TYPE_DNAME &&
			    is_relative(p, f))
				return perr(p, p->entry_line,
				    "relative name in the data with no "
				    "$ORIGIN");
		}
	}
	return INKAN_OK;
}

static enum inkan_status
record(struct zparse *p, const char *s)
{
	ldns_rr *rr = NULL;
	ldns_status ls;
	enum inkan_status st;
	char sn[4 * SNIPPET_MAX + 8];

	if (is_space((uint8_t)s[0]) && p->prev == NULL)
		return perr(p, p->entry_line,
		    "no owner name, and no record before to take it from");
	ls = ldns_rr_new_frm_str(&rr, s, p->have_ttl ? p->ttl : 0,
	    p->origin != NULL ? p->origin : p->sentinel, &p->prev);
	if (ls == LDNS_STATUS_MEM_ERR)
		return INKAN_ERR_NOMEM;
	if (ls != LDNS_STATUS_OK)
		return perr(p, p->entry_line, "%s: '%s'",
		    ldns_get_errorstr_by_id(ls), snippet(s, sn, sizeof(sn)));
	if ((st = check_rr(p, rr)) != INKAN_OK) {
		ldns_rr_free(rr);
		return st;
	}
	p->records++;
	if (p->single && p->records > 1) {
		ldns_rr_free(rr);
		return perr(p, p->entry_line, "more than one record");
	}
	st = zone_table_add_rr(p->t, rr, p->lim->dns_rr_max);
	if (st == INKAN_ERR_LIMIT)
		(void)perr(p, p->entry_line,
		    "more than %zu records in one RRset (dns_rr_max)",
		    p->lim->dns_rr_max);
	return st;
}

/* ---- the splitter ----------------------------------------------------- */

/*
 * Reads one entry into p->entry: from p->pos through the newline that
 * ends it outside parentheses, without comments, parentheses and
 * newlines, quotes and escapes kept for ldns. Returns INKAN_OK at the end
 * of an entry or of the text.
 */
static enum inkan_status
read_entry(struct zparse *p)
{
	size_t depth = 0, open_line = 0, quote_line = 0;
	bool quoted = false;
	struct inkan_buf *e = &p->entry;

	inkan_buf_reset(e);
	while (p->pos < p->len) {
		uint8_t c = p->text[p->pos++];

		if (c == '\0')
			return perr(p, p->line, "NUL byte");
		if (c == '\\') {
			/* RFC 1035 5.1: \X and \DDD; ldns decodes them. */
			if (p->pos == p->len || p->text[p->pos] == '\n' ||
			    p->text[p->pos] == '\0')
				return perr(p, p->line,
				    "backslash at the end of a line");
			inkan_buf_append_byte(e, c);
			inkan_buf_append_byte(e, p->text[p->pos++]);
			continue;
		}
		if (quoted) {
			if (c == '\n')
				return perr(p, quote_line,
				    "quoted string not closed on its line");
			if (c == '"')
				quoted = false;
			inkan_buf_append_byte(e, c);
			continue;
		}
		switch (c) {
		case '"':
			quoted = true;
			quote_line = p->line;
			inkan_buf_append_byte(e, c);
			break;
		case '(':
			if (depth > 0)
				return perr(p, p->line, "nested '('");
			depth = 1;
			open_line = p->line;
			inkan_buf_append_byte(e, ' ');
			break;
		case ')':
			if (depth == 0)
				return perr(p, p->line, "')' without '('");
			depth = 0;
			inkan_buf_append_byte(e, ' ');
			break;
		case ';':
			while (p->pos < p->len && p->text[p->pos] != '\n')
				p->pos++;
			break;
		case '\r':
		case '\t':
			inkan_buf_append_byte(e, ' ');
			break;
		case '\n':
			p->line++;
			if (depth == 0)
				return e->err;
			inkan_buf_append_byte(e, ' ');
			break;
		default:
			inkan_buf_append_byte(e, c);
			break;
		}
		if (e->err != INKAN_OK)
			return e->err;
	}
	if (quoted)
		return perr(p, quote_line, "quoted string never closed");
	if (depth > 0)
		return perr(p, open_line, "'(' never closed");
	return e->err;
}

/* If a directive starts at p->pos (after blanks), handles that line. */
static enum inkan_status
maybe_directive(struct zparse *p, bool *was_r)
{
	size_t q = p->pos, end;
	enum inkan_status st;

	*was_r = false;
	while (q < p->len && (p->text[q] == ' ' || p->text[q] == '\t'))
		q++;
	if (p->len - q < 2 || p->text[q] != ';' || p->text[q + 1] != '!')
		return INKAN_OK;
	*was_r = true;
	for (end = q; end < p->len && p->text[end] != '\n'; end++)
		;
	if ((st = directive(p, p->text + q + 2, end - q - 2)) != INKAN_OK)
		return st;
	p->pos = end < p->len ? end + 1 : end;
	p->line++;
	return INKAN_OK;
}

static enum inkan_status
entry(struct zparse *p)
{
	char *s = (char *)p->entry.data;
	size_t n = p->entry.len;

	if (s == NULL)
		return INKAN_OK;
	while (n > 0 && s[n - 1] == ' ')
		s[--n] = '\0';
	if (n == 0 || strspn(s, " ") == n)
		return INKAN_OK;
	if (s[0] == '$')
		return control(p, s);
	return record(p, s);
}

enum inkan_status
zone_text_parse(const uint8_t *text, size_t len, bool single,
    const struct inkan_limits *lim, struct zone_table *t,
    struct inkan_zone_error *err)
{
	/* A label no zone uses (it starts with a NUL byte). */
	static const uint8_t sentinel[] = { 5, 0, 'i', 'n', 'k', 'n', 0 };
	struct zparse p;
	enum inkan_status st = INKAN_OK;
	bool was;

	memset(&p, 0, sizeof(p));
	p.text = text;
	p.len = len;
	p.line = 1;
	p.single = single;
	p.lim = lim;
	p.t = t;
	p.err = err;
	inkan_buf_init(&p.entry, lim->dns_zone_file_max);
	if ((p.sentinel = ldns_rdf_new_frm_data(
		 LDNS_RDF_TYPE_DNAME, sizeof(sentinel), sentinel)) == NULL) {
		st = INKAN_ERR_NOMEM;
		goto out;
	}
	while (p.pos < p.len) {
		p.entry_line = p.line;
		if ((st = maybe_directive(&p, &was)) != INKAN_OK)
			goto out;
		if (was)
			continue;
		if ((st = read_entry(&p)) != INKAN_OK ||
		    (st = entry(&p)) != INKAN_OK)
			goto out;
	}
	if (single && p.records != 1)
		st = perr(&p, 1, "expected one record");
out:
	inkan_buf_clear(&p.entry);
	ldns_rdf_deep_free(p.sentinel);
	ldns_rdf_deep_free(p.origin);
	ldns_rdf_deep_free(p.prev);
	return st;
}
