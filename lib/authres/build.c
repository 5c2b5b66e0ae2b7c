/*
 * build.c: writing one Authentication-Results field (RFC 8601 2.2).
 *
 * The builder keeps the results as copied strings until
 * inkan_authres_build() writes them: every value bare where the grammar
 * allows it (a token, or an addr-spec for a property), else a
 * quoted-string; one result per folded line, long results folded again
 * at a space before 78 columns.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <inkan/authres.h>

#include "authres/authres_impl.h"

/* RFC 5322 2.1.1: lines SHOULD be at most 78 characters. */
#define FOLD_WIDTH 78
/*
 * RFC 5322 2.1.1: lines MUST be at most 998 characters. Each result's
 * "method=result" and each "ptype.property=value" (as written, quoted and
 * escaped) goes on a line of its own at worst, after a TAB and before a
 * ';': one longer than PIECE_MAX is refused. The authserv-id shares the
 * first line with the field name and "i=N; ": at most ID_MAX as written.
 * Reasons are free text for people: cut at REASON_MAX bytes, and folded
 * at their spaces. No line can then pass 998.
 */
#define PIECE_MAX 980
#define ID_MAX 900
#define REASON_MAX 400
#define REASON_CUT "..."
/* RFC 6008 2: header.b holds "at least the first 8" characters of b=;
 * 16 tell signatures apart with room to spare. */
#define HEADER_B_CHARS 16

struct piece {
	char *text; /* "ptype.property=value" or "reason=...", ready */
};

struct bresult {
	char *head; /* "method=result" */
	struct piece *pieces;
	size_t count, cap;
};

struct inkan_authres_builder {
	char *authserv_id; /* already quoted if it had to be */
	unsigned instance;
	struct bresult *results;
	size_t count, cap;
	enum inkan_status err; /* first add error */
};

/* RFC 8601 2.2 Keyword (ldh-str): non-empty, no final hyphen. */
static bool
is_keyword(const char *s)
{
	size_t i;

	if (s == NULL || s[0] == '\0')
		return false;
	for (i = 0; s[i] != '\0'; i++)
		if (!inkan_cc_is((uint8_t)s[i], INKAN_CC_LDH))
			return false;
	return s[i - 1] != '-';
}

static bool
is_token(const char *s)
{
	size_t i;

	if (s == NULL || s[0] == '\0')
		return false;
	for (i = 0; s[i] != '\0'; i++)
		if (!authres_is_token_char((uint8_t)s[i]))
			return false;
	return true;
}

/* RFC 5322 3.2.3 dot-atom-text, possibly empty when empty_ok. */
static bool
is_dot_atom(const char *s, size_t n, bool empty_ok)
{
	size_t i;

	if (n == 0)
		return empty_ok;
	if (s[0] == '.' || s[n - 1] == '.')
		return false;
	for (i = 0; i < n; i++) {
		if (s[i] == '.') {
			if (s[i + 1] == '.')
				return false;
		} else if (!inkan_cc_is((uint8_t)s[i], INKAN_CC_ATEXT)) {
			return false;
		}
	}
	return true;
}

/* RFC 8601 2.2 pvalue's [ [ local-part ] "@" ] domain-name form. */
static bool
is_addr(const char *s)
{
	const char *at = strrchr(s, '@');
	size_t i, dlen;

	if (at == NULL)
		return false;
	if (!is_dot_atom(s, (size_t)(at - s), true))
		return false;
	dlen = strlen(at + 1);
	if (dlen == 0 || at[1] == '.' || at[dlen] == '.')
		return false;
	for (i = 1; i <= dlen; i++)
		if (!inkan_cc_is((uint8_t)at[i], INKAN_CC_LDH) && at[i] != '.')
			return false;
	return true;
}

/* Appends s as a quoted-string; bytes that are neither printable ASCII
 * nor HTAB become '?', so the field stays 7-bit and on its lines. */
static enum inkan_status
append_quoted(struct inkan_buf *b, const char *s)
{
	size_t i;
	uint8_t c;

	inkan_buf_append_byte(b, '"');
	for (i = 0; s[i] != '\0'; i++) {
		c = (uint8_t)s[i];
		if (c == '"' || c == '\\')
			inkan_buf_append_byte(b, '\\');
		inkan_buf_append_byte(
		    b, ((c < 0x20 && c != '\t') || c > 0x7e) ? '?' : c);
	}
	return inkan_buf_append_byte(b, '"');
}

/* A malloc'd "prefix" + value, value bare when bare_ok says so. */
static char *
make_text(const char *prefix, const char *value, bool addr_ok)
{
	struct inkan_buf b;
	size_t len;

	inkan_buf_init(&b, 1 << 20);
	inkan_buf_append_cstr(&b, prefix);
	if (is_token(value) || (addr_ok && is_addr(value)))
		inkan_buf_append_cstr(&b, value);
	else
		append_quoted(&b, value);
	if (b.err != INKAN_OK) {
		inkan_buf_clear(&b);
		return NULL;
	}
	return (char *)inkan_buf_steal(&b, &len);
}

/* "reason=" + reason quoted as needed, cut to REASON_MAX bytes with
 * REASON_CUT after it when longer. */
static char *
make_reason(const char *reason)
{
	char cut[REASON_MAX + sizeof(REASON_CUT)];
	size_t n = strlen(reason);

	if (n <= REASON_MAX)
		return make_text("reason=", reason, false);
	memcpy(cut, reason, REASON_MAX);
	memcpy(cut + REASON_MAX, REASON_CUT, sizeof(REASON_CUT));
	return make_text("reason=", cut, false);
}

static enum inkan_status
set_err(struct inkan_authres_builder *b, enum inkan_status st)
{
	if (b->err == INKAN_OK)
		b->err = st;
	return st;
}

enum inkan_status
inkan_authres_builder_new(
    const char *authserv_id, struct inkan_authres_builder **b_r)
{
	struct inkan_authres_builder *b;

	if (b_r == NULL)
		return INKAN_ERR_INVAL;
	*b_r = NULL;
	if (authserv_id == NULL || authserv_id[0] == '\0')
		return INKAN_ERR_INVAL;
	if ((b = calloc(1, sizeof(*b))) == NULL)
		return INKAN_ERR_NOMEM;
	if ((b->authserv_id = make_text("", authserv_id, false)) == NULL) {
		free(b);
		return INKAN_ERR_NOMEM;
	}
	if (strlen(b->authserv_id) > ID_MAX) {
		free(b->authserv_id);
		free(b);
		return INKAN_ERR_LIMIT;
	}
	*b_r = b;
	return INKAN_OK;
}

void
inkan_authres_builder_free(struct inkan_authres_builder **bp)
{
	struct inkan_authres_builder *b;
	size_t i, j;

	if (bp == NULL || (b = *bp) == NULL)
		return;
	for (i = 0; i < b->count; i++) {
		free(b->results[i].head);
		for (j = 0; j < b->results[i].count; j++)
			free(b->results[i].pieces[j].text);
		free(b->results[i].pieces);
	}
	free(b->results);
	free(b->authserv_id);
	free(b);
	*bp = NULL;
}

void
inkan_authres_builder_set_instance(
    struct inkan_authres_builder *b, unsigned instance)
{
	if (b != NULL)
		b->instance = instance <= 50 ? instance : 0;
}

/* Grows *v (of *cap elements of size sz) to hold one more than n. */
static bool
grow(void *vp, size_t *cap, size_t n, size_t sz)
{
	void **v = vp;
	size_t ncap, bytes;
	void *nv;

	if (n < *cap)
		return true;
	ncap = *cap == 0 ? 8 : *cap;
	if (!inkan_size_mul(ncap, 2, &ncap) ||
	    !inkan_size_mul(ncap, sz, &bytes))
		return false;
	if ((nv = realloc(*v, bytes)) == NULL)
		return false;
	*v = nv;
	*cap = ncap;
	return true;
}

/* Adds a ready piece of text to the last result; takes text. */
static enum inkan_status
add_piece(struct inkan_authres_builder *b, char *text)
{
	struct bresult *r = &b->results[b->count - 1];

	if (text == NULL)
		return set_err(b, INKAN_ERR_NOMEM);
	if (!grow(&r->pieces, &r->cap, r->count, sizeof(*r->pieces))) {
		free(text);
		return set_err(b, INKAN_ERR_NOMEM);
	}
	r->pieces[r->count++].text = text;
	return INKAN_OK;
}

static enum inkan_status
add_versioned(struct inkan_authres_builder *b, const char *method,
    unsigned version, const char *result, const char *reason)
{
	struct bresult *r;
	struct inkan_buf t;
	size_t len;

	if (b == NULL)
		return INKAN_ERR_INVAL;
	if (!is_keyword(method) || !is_keyword(result))
		return set_err(b, INKAN_ERR_INVAL);
	/* "/N=" takes at most 12 bytes. */
	if (strlen(method) > PIECE_MAX || strlen(result) > PIECE_MAX ||
	    strlen(method) + strlen(result) + 12 > PIECE_MAX)
		return set_err(b, INKAN_ERR_LIMIT);
	if (!grow(&b->results, &b->cap, b->count, sizeof(*b->results)))
		return set_err(b, INKAN_ERR_NOMEM);
	inkan_buf_init(&t, 4096);
	if (version > 0)
		inkan_buf_printf(&t, "%s/%u=%s", method, version, result);
	else
		inkan_buf_printf(&t, "%s=%s", method, result);
	if (t.err != INKAN_OK) {
		inkan_buf_clear(&t);
		return set_err(b, INKAN_ERR_NOMEM);
	}
	r = &b->results[b->count++];
	memset(r, 0, sizeof(*r));
	r->head = (char *)inkan_buf_steal(&t, &len);
	if (r->head == NULL) {
		b->count--;
		return set_err(b, INKAN_ERR_NOMEM);
	}
	if (reason != NULL)
		return add_piece(b, make_reason(reason));
	return INKAN_OK;
}

enum inkan_status
inkan_authres_add(struct inkan_authres_builder *b, const char *method,
    const char *result, const char *reason)
{
	return add_versioned(b, method, 0, result, reason);
}

enum inkan_status
inkan_authres_add_prop(struct inkan_authres_builder *b, const char *ptype,
    const char *property, const char *value)
{
	struct inkan_buf t;
	size_t len;
	char *prefix, *text;

	if (b == NULL)
		return INKAN_ERR_INVAL;
	if (b->count == 0)
		return set_err(b, INKAN_ERR_STATE);
	if (!is_keyword(ptype) || !is_keyword(property) || value == NULL)
		return set_err(b, INKAN_ERR_INVAL);
	if (strlen(ptype) > PIECE_MAX || strlen(property) > PIECE_MAX ||
	    strlen(ptype) + strlen(property) + 2 > PIECE_MAX)
		return set_err(b, INKAN_ERR_LIMIT);
	inkan_buf_init(&t, 4096);
	if (inkan_buf_printf(&t, "%s.%s=", ptype, property) != INKAN_OK) {
		inkan_buf_clear(&t);
		return set_err(b, INKAN_ERR_NOMEM);
	}
	prefix = (char *)inkan_buf_steal(&t, &len);
	if (prefix == NULL)
		return set_err(b, INKAN_ERR_NOMEM);
	text = make_text(prefix, value, true);
	free(prefix);
	if (text != NULL && strlen(text) > PIECE_MAX) {
		free(text);
		return set_err(b, INKAN_ERR_LIMIT);
	}
	return add_piece(b, text);
}

enum inkan_status
inkan_authres_add_result(
    struct inkan_authres_builder *b, const struct inkan_authres_result *r)
{
	size_t i;

	if (b == NULL || r == NULL)
		return INKAN_ERR_INVAL;
	add_versioned(b, r->method, r->method_version, r->result, r->reason);
	for (i = 0; i < r->prop_count && b->err == INKAN_OK; i++)
		inkan_authres_add_prop(b, r->props[i].ptype,
		    r->props[i].property, r->props[i].value);
	return b->err;
}

enum inkan_status
inkan_authres_add_spf(struct inkan_authres_builder *b, const char *result,
    const char *mail_from, const char *helo, const char *reason)
{
	enum inkan_status st;

	if ((st = inkan_authres_add(b, "spf", result, reason)) != INKAN_OK)
		return st;
	/* RFC 8601 2.7.2: the identity that was checked. */
	if (mail_from != NULL && mail_from[0] != '\0')
		return inkan_authres_add_prop(b, "smtp", "mailfrom", mail_from);
	if (helo != NULL && helo[0] != '\0')
		return inkan_authres_add_prop(b, "smtp", "helo", helo);
	return INKAN_OK;
}

enum inkan_status
inkan_authres_add_dkim(
    struct inkan_authres_builder *b, const struct inkan_dkim_sig *sig)
{
	char bpart[HEADER_B_CHARS + 1];
	const char *reason;
	size_t n;

	if (b == NULL || sig == NULL)
		return INKAN_ERR_INVAL;
	reason = sig->result == INKAN_DKIM_PASS ? NULL : sig->reason;
	inkan_authres_add(b, "dkim", inkan_dkim_result_name(sig->result),
	    reason != NULL && reason[0] != '\0' ? reason : NULL);
	/* RFC 8601 2.7.1, RFC 6008 2: header.d, header.i, header.s,
	 * header.a, header.b identify the signature. */
	if (sig->domain != NULL)
		inkan_authres_add_prop(b, "header", "d", sig->domain);
	if (sig->identity != NULL)
		inkan_authres_add_prop(b, "header", "i", sig->identity);
	if (sig->selector != NULL)
		inkan_authres_add_prop(b, "header", "s", sig->selector);
	if (sig->algorithm != INKAN_DKIM_ALG_UNKNOWN)
		inkan_authres_add_prop(b, "header", "a",
		    inkan_dkim_algorithm_name(sig->algorithm));
	if (sig->b != NULL && sig->b[0] != '\0') {
		n = strlen(sig->b);
		if (n > HEADER_B_CHARS)
			n = HEADER_B_CHARS;
		memcpy(bpart, sig->b, n);
		bpart[n] = '\0';
		inkan_authres_add_prop(b, "header", "b", bpart);
	}
	return b->err;
}

enum inkan_status
inkan_authres_add_arc(struct inkan_authres_builder *b, const char *result,
    unsigned oldest_pass, const char *remote_ip, const char *reason)
{
	char num[16];

	if (b == NULL)
		return INKAN_ERR_INVAL;
	inkan_authres_add(b, "arc", result, reason);
	/* RFC 8617 10.1 (IANA): header.oldest-pass and smtp.remote-ip. */
	if (oldest_pass > 0) {
		snprintf(num, sizeof(num), "%u", oldest_pass);
		inkan_authres_add_prop(b, "header", "oldest-pass", num);
	}
	if (remote_ip != NULL && remote_ip[0] != '\0')
		inkan_authres_add_prop(b, "smtp", "remote-ip", remote_ip);
	return b->err;
}

enum inkan_status
inkan_authres_add_dmarc(struct inkan_authres_builder *b, const char *result,
    const char *from_domain, const char *policy, const char *reason)
{
	if (b == NULL)
		return INKAN_ERR_INVAL;
	inkan_authres_add(b, "dmarc", result, reason);
	/* RFC 9989 9.1 (DMARCbis): header.from and policy.dmarc. */
	if (from_domain != NULL && from_domain[0] != '\0')
		inkan_authres_add_prop(b, "header", "from", from_domain);
	if (policy != NULL && policy[0] != '\0')
		inkan_authres_add_prop(b, "policy", "dmarc", policy);
	return b->err;
}

/* Writes the line ending and the TAB of a folded line. */
static void
fold(struct inkan_buf *out, const char *eol, size_t *col)
{
	inkan_buf_append_cstr(out, eol);
	inkan_buf_append_byte(out, '\t');
	*col = 8;
}

/*
 * Writes piece text, already begun on a line at *col, folding it at its
 * own spaces where a line would pass FOLD_WIDTH. Spaces appear only
 * inside a quoted-string (tokens and addr-specs have none), where FWS is
 * allowed (RFC 5322 3.2.4): the line ending goes before the space, so
 * unfolding gives the text back unchanged.
 */
static void
put_piece(struct inkan_buf *out, const char *text, const char *eol, size_t *col)
{
	const char *sp;
	size_t n;

	assert(text[0] != '\0'); /* a piece is never empty: "x=" at least */
	for (;;) {
		sp = strchr(text + 1, ' ');
		n = sp != NULL ? (size_t)(sp - text) : strlen(text);
		if (*col + n + 1 > FOLD_WIDTH && *col > 8 && text[0] == ' ' &&
		    n > 1) {
			inkan_buf_append_cstr(out, eol);
			*col = 0;
		}
		inkan_buf_append(out, text, n);
		*col += n;
		if (sp == NULL)
			return;
		text = sp;
	}
}

enum inkan_status
inkan_authres_build(
    struct inkan_authres_builder *b, unsigned flags, struct inkan_buf *out)
{
	const char *eol = (flags & INKAN_AUTHRES_BUILD_LF) ? "\n" : "\r\n";
	bool value_only = (flags & INKAN_AUTHRES_BUILD_VALUE) != 0;
	size_t col = 0, i, j, n;
	struct bresult *r;

	if (b == NULL || out == NULL)
		return INKAN_ERR_INVAL;
	if (b->err != INKAN_OK)
		return b->err;
	if (!value_only)
		inkan_buf_append_cstr(out,
		    b->instance > 0 ? "ARC-Authentication-Results: "
				    : "Authentication-Results: ");
	if (b->instance > 0)
		inkan_buf_printf(out, "i=%u; ", b->instance);
	inkan_buf_append_cstr(out, b->authserv_id);
	inkan_buf_append_byte(out, ';');
	if (b->count == 0) {
		/* RFC 8601 2.2 no-result */
		inkan_buf_append_cstr(out, " none");
	}
	for (i = 0; i < b->count; i++) {
		r = &b->results[i];
		fold(out, eol, &col);
		inkan_buf_append_cstr(out, r->head);
		col += strlen(r->head);
		for (j = 0; j < r->count; j++) {
			n = strlen(r->pieces[j].text);
			/* +1 for the space, +1 for a ';' that may follow. */
			if (col + n + 2 > FOLD_WIDTH)
				fold(out, eol, &col);
			else {
				inkan_buf_append_byte(out, ' ');
				col++;
			}
			put_piece(out, r->pieces[j].text, eol, &col);
		}
		if (i + 1 < b->count)
			inkan_buf_append_byte(out, ';');
	}
	if (!value_only)
		inkan_buf_append_cstr(out, eol);
	return out->err;
}
