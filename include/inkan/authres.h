/*
 * inkan/authres.h: the Authentication-Results header field (RFC 8601),
 * and ARC-Authentication-Results (RFC 8617 4.1.1), read and written.
 *
 * Parse: a field value (or a whole field, name included) becomes the
 * authserv-id and a list of results, each with its method, result,
 * reason and properties, comments and folding removed and quoted strings
 * decoded. The parser follows the ABNF of RFC 8601 2.2 with the lexical
 * tokens of RFC 5322 (CFWS) and RFC 2045 (token, quoted-string), and is
 * bounded by struct inkan_limits (authres_*).
 *
 *	struct inkan_authres *ar = NULL;
 *	struct inkan_authres_error err;
 *	size_t i;
 *
 *	if (inkan_authres_parse(field, field_len, INKAN_AUTHRES_WITH_NAME,
 *	    NULL, &ar, &err) != INKAN_OK) {
 *		printf("bad field at %zu: %s\n", err.offset, err.message);
 *		return;
 *	}
 *	printf("from %s\n", ar->authserv_id);
 *	for (i = 0; i < ar->count; i++)
 *		printf("%s=%s\n", ar->results[i].method, ar->results[i].result);
 *	inkan_authres_free(&ar);
 *
 * Build: one field for one authserv-id, results added in order, written
 * with values quoted where the grammar needs it and folded.
 *
 *	struct inkan_authres_builder *b = NULL;
 *	struct inkan_buf out;
 *
 *	inkan_buf_init(&out, 65536);
 *	if (inkan_authres_builder_new("mx.example.net", &b) != INKAN_OK)
 *		goto out;
 *	inkan_authres_add_spf(b, "pass", "alice@example.com", NULL, NULL);
 *	inkan_authres_add_dkim(b, &sigs[0]);	// from lib/dkim
 *	inkan_authres_add_dmarc(b, "pass", "example.com", "reject", NULL);
 *	if (inkan_authres_build(b, 0, &out) != INKAN_OK)
 *		goto out;
 *	// out: "Authentication-Results: mx.example.net;\r\n\tspf=pass ..."
 * out:
 *	inkan_authres_builder_free(&b);
 *	inkan_buf_clear(&out);
 *
 * The add functions record the first error (bad argument, out of memory,
 * a limit) in the builder; inkan_authres_build() returns it, so a caller
 * may add everything and check once.
 */
#ifndef INKAN_AUTHRES_H
#define INKAN_AUTHRES_H

#include <inkan/common.h>
#include <inkan/dkim.h>
#include <inkan/limits.h>
#include <inkan/util.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- parsed form -------------------------------------------------------- */

/*
 * One propspec (RFC 8601 2.2): ptype.property=pvalue. Names are as
 * written (compare them ASCII case-insensitively: RFC 8601 2.2 keywords
 * are case-insensitive); value is the pvalue with comments removed and, if
 * it was a quoted-string, without the quotes and with quoted-pairs
 * resolved.
 */
struct inkan_authres_prop {
	const char *ptype; /* "smtp", "header", "body", "policy", ... */
	const char *property; /* "mailfrom", "d", "from", ... */
	const char *value;
	bool quoted; /* the value was a quoted-string */
};

/* One resinfo (RFC 8601 2.2): method[/version]=result reason=... props. */
struct inkan_authres_result {
	const char *method; /* as written: "dkim", "spf", "x-tls" */
	unsigned method_version; /* method/N; 0 when absent */
	const char *result; /* as written: "pass", "fail", ... */
	const char *reason; /* reason=, decoded; NULL when absent */
	const struct inkan_authres_prop *props;
	size_t prop_count;
};

/*
 * A parsed field. Allocated by inkan_authres_parse(), freed with
 * inkan_authres_free(); every string belongs to it and is NUL-terminated.
 */
struct inkan_authres {
	/* RFC 8617 4.1.1: the i= of ARC-Authentication-Results; 0 for an
	 * Authentication-Results field. */
	unsigned instance;
	const char *authserv_id; /* decoded (a quoted-string loses quotes) */
	unsigned version; /* authres-version; 0 when absent (means 1) */
	/* RFC 8601 2.2 no-result: "; none" (then count is 0). */
	bool none;
	const struct inkan_authres_result *results;
	size_t count;
};

/* Flags for inkan_authres_parse(). */
enum inkan_authres_parse_flags {
	/*
	 * The input is a whole field, "Authentication-Results:" or
	 * "ARC-Authentication-Results:" (any case) and its value; the
	 * name decides whether an i= instance is expected. A final CRLF
	 * or LF is allowed.
	 */
	INKAN_AUTHRES_WITH_NAME = 1 << 0,
	/* The input is the value of an ARC-Authentication-Results field:
	 * it starts with "i=N;" (RFC 8617 4.1.1). */
	INKAN_AUTHRES_ARC = 1 << 1,
};

/* Where and why a field does not parse. */
struct inkan_authres_error {
	size_t offset; /* byte offset in the input */
	char message[160]; /* NUL-terminated; input bytes escaped */
};

/*
 * Parses one field value (folding and comments allowed anywhere CFWS is,
 * a final CRLF or LF allowed). Returns INKAN_OK with *ar_r set (free it
 * with inkan_authres_free()); INKAN_ERR_SYNTAX when the value does not
 * follow RFC 8601 2.2, INKAN_ERR_LIMIT past limits->authres_field_max
 * bytes, authres_results_max results, authres_props_max properties in one
 * result or authres_comment_depth nested comments, with err_r (may be
 * NULL) saying where and why; INKAN_ERR_NOMEM; INKAN_ERR_INVAL for NULL
 * arguments. On failure *ar_r is NULL. NUL and other control characters
 * (except HTAB and folding line breaks) are syntax errors anywhere.
 *
 * Strictness, where real fields differ from the grammar: a property value
 * may hold '/', '=' and '?' unquoted (RFC 2045 tspecials, but base64
 * header.b values are commonly written so); a final ';' after the last
 * result is accepted. Everything else the
 * grammar refuses is refused, notably a property without "ptype." and an
 * unquoted IPv6 address (':' is a tspecial).
 */
INKAN_API enum inkan_status inkan_authres_parse(const void *input, size_t len,
    unsigned flags, const struct inkan_limits *limits,
    struct inkan_authres **ar_r, struct inkan_authres_error *err_r);

/* Frees *ar and sets it to NULL; NULL is fine. */
INKAN_API void inkan_authres_free(struct inkan_authres **ar);

/*
 * Finds only the authserv-id of a field value (and, with
 * INKAN_AUTHRES_ARC, the instance), without parsing the results: what an
 * ARC sealer or a receiver removing forged fields needs, also for fields
 * whose results are malformed. flags as for inkan_authres_parse().
 * Appends the decoded authserv-id to id_out (its maximum bounds it).
 * Returns INKAN_OK, INKAN_ERR_SYNTAX when no authserv-id can be read,
 * or id_out's error.
 */
INKAN_API enum inkan_status inkan_authres_authserv_id(const void *input,
    size_t len, unsigned flags, struct inkan_buf *id_out, unsigned *instance_r);

/* The result whose method is method (case-insensitive), from index from
 * on; its index, or ar->count when there is none. */
INKAN_API size_t inkan_authres_find(
    const struct inkan_authres *ar, const char *method, size_t from);

/* The value of ptype.property of r (case-insensitive names), or NULL. */
INKAN_API const char *inkan_authres_prop_value(
    const struct inkan_authres_result *r, const char *ptype,
    const char *property);

/* ---- builder ------------------------------------------------------------ */

/* Opaque: one field under construction. */
struct inkan_authres_builder;

/*
 * Starts a field for authserv_id (copied; a host name, written as a token
 * or quoted if it must be). Returns INKAN_ERR_INVAL for NULL or "",
 * INKAN_ERR_LIMIT when it is over 900 bytes as written, INKAN_ERR_NOMEM.
 */
INKAN_API enum inkan_status inkan_authres_builder_new(
    const char *authserv_id, struct inkan_authres_builder **b_r);

INKAN_API void inkan_authres_builder_free(struct inkan_authres_builder **b);

/*
 * Makes the field an ARC-Authentication-Results with i=instance (1..50,
 * RFC 8617 4.2.1); 0 makes it a plain Authentication-Results again.
 */
INKAN_API void inkan_authres_builder_set_instance(
    struct inkan_authres_builder *b, unsigned instance);

/*
 * Starts a new result: method (a Keyword, e.g. "dkim"), result (a Keyword,
 * e.g. "pass"), reason (free text, NULL for none; quoted as needed; bytes
 * that are not printable ASCII become '?'; over 400 bytes it is cut there
 * and "..." added). Strings are copied. Returns INKAN_ERR_INVAL for a
 * method or result that is not a Keyword (RFC 8601 2.2: ldh-str),
 * INKAN_ERR_LIMIT when "method/version=result" would pass 980 bytes.
 */
INKAN_API enum inkan_status inkan_authres_add(struct inkan_authres_builder *b,
    const char *method, const char *result, const char *reason);

/*
 * Adds ptype.property=value to the result last started. ptype and
 * property must be Keywords; value is written bare when it is a token or
 * an addr-spec ([local-part] "@" domain, RFC 8601 2.2 pvalue), else as a
 * quoted-string. INKAN_ERR_STATE before any inkan_authres_add();
 * INKAN_ERR_LIMIT when "ptype.property=value" as written (quoted and
 * escaped) would pass 980 bytes, which no line could hold.
 */
INKAN_API enum inkan_status inkan_authres_add_prop(
    struct inkan_authres_builder *b, const char *ptype, const char *property,
    const char *value);

/* Copies a parsed result (method/version, result, reason, properties). */
INKAN_API enum inkan_status inkan_authres_add_result(
    struct inkan_authres_builder *b, const struct inkan_authres_result *r);

/*
 * RFC 7208 9.1, RFC 8601 2.7.2: spf=result smtp.mailfrom=... (when
 * mail_from is non-empty) or smtp.helo=... (when only helo is given).
 */
INKAN_API enum inkan_status inkan_authres_add_spf(
    struct inkan_authres_builder *b, const char *result, const char *mail_from,
    const char *helo, const char *reason);

/*
 * RFC 8601 2.7.1, RFC 6008: one dkim result for one signature:
 * header.d, header.i, header.s, header.a and header.b (its first 16
 * characters, enough to tell signatures apart), reason= the signature's
 * reason unless it passed. Fields absent from sig are left out.
 */
INKAN_API enum inkan_status inkan_authres_add_dkim(
    struct inkan_authres_builder *b, const struct inkan_dkim_sig *sig);

/*
 * RFC 8617 10.1 (registered by IANA there): arc=result with
 * header.oldest-pass=N when oldest_pass > 0 and smtp.remote-ip when
 * remote_ip is non-NULL.
 */
INKAN_API enum inkan_status inkan_authres_add_arc(
    struct inkan_authres_builder *b, const char *result, unsigned oldest_pass,
    const char *remote_ip, const char *reason);

/*
 * RFC 9989 9.1 (DMARCbis): dmarc=result header.from=from_domain and
 * policy.dmarc=policy ("none", "quarantine" or "reject": the policy
 * applied after policy options; NULL leaves it out).
 */
INKAN_API enum inkan_status inkan_authres_add_dmarc(
    struct inkan_authres_builder *b, const char *result,
    const char *from_domain, const char *policy, const char *reason);

/* Flags for inkan_authres_build(). */
enum inkan_authres_build_flags {
	INKAN_AUTHRES_BUILD_LF = 1 << 0, /* end lines in LF, not CRLF */
	/* Write the value only (no field name, no final line ending). */
	INKAN_AUTHRES_BUILD_VALUE = 1 << 1,
};

/*
 * Appends the field to out: "Authentication-Results: id;" then each
 * result on its own folded line ("\r\n\t" before each), long results
 * folded again at 78 columns where there is a space (also inside a
 * quoted reason; no line can pass RFC 5322's 998), and a final CRLF
 * (or LF). With no result the field says "id; none" (RFC 8601 2.2).
 * Returns the builder's first add error, or out's error (out then holds
 * part of the field: truncate it to its old length), else INKAN_OK. The
 * builder may be built again or added to.
 */
INKAN_API enum inkan_status inkan_authres_build(
    struct inkan_authres_builder *b, unsigned flags, struct inkan_buf *out);

#ifdef __cplusplus
}
#endif

#endif
