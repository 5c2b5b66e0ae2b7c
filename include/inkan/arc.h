/*
 * inkan/arc.h: Authenticated Received Chain (RFC 8617): chain validation
 * and sealing.
 *
 * ARC is built on DKIM: an ARC context sits on top of a struct inkan_dkim
 * and borrows its resolver, limits, policy (clock, RFC 8301 key sizes)
 * and public-key cache, so a key fetched for a DKIM-Signature is not
 * fetched again for an ARC-Message-Signature with the same selector.
 *
 * Verify: the message streams in as for DKIM (headers then body, chunks of
 * any size; the body is canonicalised and hashed for every ARC-Message-
 * Signature that needs it and never held). finish() runs the validation
 * algorithm of RFC 8617 5.2 and gives the chain validation status.
 *
 *	struct inkan_dkim *dkim = NULL;
 *	struct inkan_arc *arc = NULL;
 *	struct inkan_arc_verify *v = NULL;
 *	const struct inkan_arc_result *r;
 *	size_t k;
 *
 *	if (inkan_dkim_new(resolver, NULL, NULL, &dkim) != INKAN_OK ||
 *	    inkan_arc_new(dkim, &arc) != INKAN_OK ||
 *	    inkan_arc_verify_new(arc, INKAN_DKIM_ALLOW_LF, &v) != INKAN_OK)
 *		goto out;
 *	while ((len = fread(buf, 1, sizeof(buf), f)) > 0)
 *		if (inkan_arc_verify_feed(v, buf, len) != INKAN_OK)
 *			break;			// malformed header section
 *	if (inkan_arc_verify_finish(v) != INKAN_OK)
 *		goto out;			// inkan_arc_verify_error(v)
 *	r = inkan_arc_verify_result(v);
 *	printf("arc=%s (%s) oldest-pass=%u\n", inkan_arc_cv_name(r->cv),
 *	    r->reason, r->oldest_pass);
 *	for (k = 0; k < r->count; k++)
 *		printf("i=%u seal d=%s: %s\n", r->sets[k].instance,
 *		    r->sets[k].as.domain, r->sets[k].as.reason);
 * out:
 *	inkan_arc_verify_free(&v);
 *	inkan_arc_free(&arc);
 *	inkan_dkim_free(&dkim);
 *
 * Seal: an intermediary that forwards a message adds one ARC Set (RFC 8617
 * 5.1): ARC-Authentication-Results with its own authentication results,
 * ARC-Message-Signature over the message, ARC-Seal over the chain. The
 * sealer validates the chain already on the message (the new seal's cv=)
 * while the message streams through it.
 *
 *	struct inkan_arc_seal_options o;
 *	struct inkan_arc_seal *s = NULL;
 *	struct inkan_buf out;
 *
 *	inkan_arc_seal_options_init(&o);
 *	o.domain = "example.org";
 *	o.selector = "arc2026";
 *	o.authserv_id = "mx.example.org";  // copies its A-R into the AAR
 *	inkan_buf_init(&out, 65536);
 *	if (inkan_arc_seal_new(arc, &o, key, INKAN_DKIM_ALLOW_LF, &s) ==
 *	    INKAN_OK && inkan_arc_seal_feed(s, msg, msglen) == INKAN_OK &&
 *	    inkan_arc_seal_finish(s, &out) == INKAN_OK)
 *		// write out.data[0..out.len), then the message unchanged
 *	inkan_arc_seal_free(&s);
 *	inkan_buf_clear(&out);
 *
 * Design note: ARC and DKIM share one context rather than ARC owning its
 * own resolver and cache: a receiving MTA checks both on every message,
 * and both look keys up the same way (selector._domainkey.domain TXT, RFC
 * 6376 3.6.2 as RFC 8617 4.1.2 imports it).
 *
 * A struct inkan_arc is used by one thread at a time, like its struct
 * inkan_dkim. All strings in results are NUL-terminated and owned by the
 * verifier (or sealer) they came from, valid until it is freed.
 */
#ifndef INKAN_ARC_H
#define INKAN_ARC_H

#include <inkan/common.h>
#include <inkan/dkim.h>
#include <inkan/util.h>

#ifdef __cplusplus
extern "C" {
#endif

/* RFC 8617 4.4: the chain validation status (also the AS cv= values). */
enum inkan_arc_cv {
	INKAN_ARC_NONE = 0, /* no ARC Set on the message */
	INKAN_ARC_PASS,
	INKAN_ARC_FAIL,
};

/* "none", "pass", "fail": lowercase, static, never NULL. */
INKAN_API const char *inkan_arc_cv_name(enum inkan_arc_cv cv);

/* Opaque: an ARC context on top of a DKIM context. */
struct inkan_arc;

/*
 * Creates an ARC context that borrows dkim (its resolver, limits, policy,
 * clock and key cache); dkim must outlive it and is used by one thread at
 * a time together with it. Returns INKAN_ERR_INVAL for a NULL dkim,
 * INKAN_ERR_NOMEM.
 */
INKAN_API enum inkan_status inkan_arc_new(
    struct inkan_dkim *dkim, struct inkan_arc **arc_r);

/* Frees *arc (not the DKIM context) and sets it to NULL; NULL is fine. */
INKAN_API void inkan_arc_free(struct inkan_arc **arc);

/* ---- verification --------------------------------------------------- */

/*
 * One signature of an ARC Set (the ARC-Seal or the ARC-Message-Signature)
 * as far as it could be read. Strings are NULL when the tag is absent.
 */
struct inkan_arc_sig {
	bool present; /* the header field exists for this instance */
	const char *domain; /* d=, lowercase */
	const char *selector; /* s= */
	enum inkan_dkim_algorithm algorithm; /* a= */
	const char *b; /* b= without whitespace (header.b) */
	int64_t timestamp; /* t=, or -1 */
	/*
	 * The outcome of checking it: INKAN_DKIM_NONE when it was not
	 * checked (the validation stopped before it, RFC 8617 5.2), PASS,
	 * FAIL (bad signature or body hash), PERMERROR (unusable: malformed,
	 * no key, rsa-sha1, short key), TEMPERROR (key lookup failed; for the
	 * chain this is "fail" too, RFC 8617 5.2.1).
	 */
	enum inkan_dkim_result result;
	bool verified; /* result == INKAN_DKIM_PASS */
	const char *reason; /* one sentence; "not checked" when NONE */
	unsigned key_bits; /* of the key that checked it, or 0 */
};

/* One ARC Set (RFC 8617 4.2): the three header fields of instance i. */
struct inkan_arc_set {
	unsigned instance; /* i=, 1..50 */
	struct inkan_arc_sig as; /* ARC-Seal */
	/* cv= of the ARC-Seal as written (INKAN_ARC_NONE also when absent
	   or not one of the three words). */
	enum inkan_arc_cv as_cv;
	struct inkan_arc_sig ams; /* ARC-Message-Signature */
	const char *ams_headers; /* its h=, as written, or NULL */
	/*
	 * ARC-Authentication-Results: the authres-payload after "i=N;" with
	 * the FWS around it removed, as written (authserv-id and results;
	 * NULL when the field is absent); the authserv-id read from it, or
	 * NULL when none could be read. For trusted-forwarder decisions
	 * (RFC 8617 7.2.1): only as trustworthy as the sealer of the set.
	 */
	const char *aar;
	const char *aar_authserv_id;
};

/* The chain validation of one message. */
struct inkan_arc_result {
	enum inkan_arc_cv cv;
	/* Why, one sentence: "chain valid", "ARC-Seal i=2 does not
	   verify", "instance 3 missing", ... */
	const char *reason;
	/*
	 * N, the highest instance value (RFC 8617 5.2 step 1), and the sets
	 * sets[0..count), sets[k] being instance k+1 (a missing field has
	 * present == false). count is 0 for cv none, and at most
	 * arc_instances_max (50): a chain with an instance outside 1..50 is
	 * "fail" and its sets are not listed past that bound.
	 */
	size_t count;
	const struct inkan_arc_set *sets;
	/*
	 * RFC 8617 5.2 step 5 (header.oldest-pass, RFC 8617 10.2): the
	 * lowest instance whose AMS and every newer AMS verify, or 0 when all
	 * AMS verify. Only meaningful when cv is pass; 0 otherwise.
	 */
	unsigned oldest_pass;
	/* The instance whose check failed (structure or signature), or 0. */
	unsigned failed_instance;
};

/* Opaque: the validation of one message. */
struct inkan_arc_verify;

/*
 * Starts validating one message. flags: INKAN_DKIM_ALLOW_LF (LF line
 * endings taken as CRLF), as for inkan_dkim_verify_new(). Returns
 * INKAN_ERR_INVAL (unknown flag, NULL arc), INKAN_ERR_NOMEM.
 */
INKAN_API enum inkan_status inkan_arc_verify_new(
    struct inkan_arc *arc, unsigned flags, struct inkan_arc_verify **v_r);

/*
 * Feeds the next len bytes of the raw message (headers then body, any
 * chunk sizes). Returns INKAN_ERR_SYNTAX or INKAN_ERR_LIMIT when the header
 * section cannot be parsed (inkan_arc_verify_error() says why; the
 * verifier stays in error), INKAN_ERR_STATE after finish, INKAN_ERR_NOMEM.
 * Malformed ARC header fields are not errors: they make the chain fail.
 */
INKAN_API enum inkan_status inkan_arc_verify_feed(
    struct inkan_arc_verify *v, const void *data, size_t len);

/*
 * Ends the message and validates the chain (RFC 8617 5.2): at most one
 * key lookup per signature checked, through the DKIM key cache. Returns
 * INKAN_OK when a result was produced (whatever it says), INKAN_ERR_NOMEM,
 * or the feed error.
 */
INKAN_API enum inkan_status inkan_arc_verify_finish(struct inkan_arc_verify *v);

/* After a successful finish: the result, owned by v; NULL before. */
INKAN_API const struct inkan_arc_result *inkan_arc_verify_result(
    const struct inkan_arc_verify *v);

/* Why feed or finish failed, NUL-terminated, owned by v; "" if none. */
INKAN_API const char *inkan_arc_verify_error(const struct inkan_arc_verify *v);

INKAN_API void inkan_arc_verify_free(struct inkan_arc_verify **v);

/*
 * Appends the arc method's Authentication-Results resinfo for r (RFC 8617
 * 6 and 10.1-10.2; RFC 8601 2.2) to out, without a leading "; ":
 *	arc=pass header.oldest-pass=0 smtp.remote-ip=192.0.2.1
 * header.oldest-pass only for a pass; smtp.remote-ip only when remote_ip
 * is not NULL (the address of the SMTP client, which only the caller
 * knows; it must be an IP address literal, else INKAN_ERR_INVAL).
 */
INKAN_API enum inkan_status inkan_arc_result_authres(
    const struct inkan_arc_result *r, const char *remote_ip,
    struct inkan_buf *out);

/* ---- sealing ------------------------------------------------------------ */

struct inkan_arc_seal_options {
	const char *domain; /* d= of the AMS and AS, required */
	const char *selector; /* s= of both, required */
	/*
	 * The authserv-id of this ADMD (RFC 8601 2.5), required unless
	 * aar_results is set: the AAR is "i=N; " followed by the payload of
	 * the message's Authentication-Results field(s) whose authserv-id is
	 * this one (compared case-insensitively; several are combined into
	 * one payload, RFC 8617 4.1.1); with no such field it is
	 * "i=N; <authserv-id>; none" (RFC 8601 2.2). The caller must have
	 * removed the fields of this authserv-id that came with the message
	 * (RFC 8601 5): they would be copied as if they were its own.
	 */
	const char *authserv_id;
	/*
	 * The AAR payload to use instead (authserv-id first, then the
	 * results: "mx.example.org; spf=pass smtp.mailfrom=..."), for a
	 * caller that has its own results, e.g. the verify pipeline. Used as
	 * given after "i=N; " (it must be header text: no CR, LF or NUL;
	 * INKAN_ERR_INVAL otherwise); folded at its spaces.
	 */
	const char *aar_results;
	/*
	 * AMS h=: colon-separated header names. NULL: the recommended set
	 * of DKIM signing (inkan_dkim_sign_options) and DKIM-Signature (RFC
	 * 8617 4.1.2: SHOULD be signed), each named as often as it occurs
	 * (From at least once), without oversigning. ARC header fields and
	 * Authentication-Results are refused here (RFC 8617 4.1.2: MUST NOT
	 * be signed): INKAN_ERR_INVAL.
	 */
	const char *headers;
	/*
	 * t= of the AMS and AS: 0 takes the DKIM context's clock (its
	 * policy's now(), else time(NULL)); > 0 is used as given; -1 leaves
	 * t= out.
	 */
	int64_t timestamp;
};

/* Defaults: every field NULL / 0 (t= from the clock). */
INKAN_API void inkan_arc_seal_options_init(struct inkan_arc_seal_options *o);

/* Opaque: the sealing of one message. */
struct inkan_arc_seal;

/*
 * Starts sealing one message with key (rsa-sha256 or ed25519-sha256;
 * borrowed until free) and the options (copied). flags as for
 * verification (INKAN_DKIM_ALLOW_LF). Returns INKAN_ERR_INVAL for missing
 * or malformed options (domain, selector not DNS labels; h= with ARC
 * fields; neither authserv_id nor aar_results), INKAN_ERR_NOMEM.
 */
INKAN_API enum inkan_status inkan_arc_seal_new(struct inkan_arc *arc,
    const struct inkan_arc_seal_options *o, struct inkan_dkim_key *key,
    unsigned flags, struct inkan_arc_seal **s_r);

/* Feeds the next len bytes of the message, as for verification. */
INKAN_API enum inkan_status inkan_arc_seal_feed(
    struct inkan_arc_seal *s, const void *data, size_t len);

/*
 * Ends the message: validates the chain already on it (RFC 8617 5.2), then
 * appends the new ARC Set, instance N+1, to out: ARC-Seal,
 * ARC-Message-Signature, ARC-Authentication-Results, in that order (the
 * order in which the caller writes them on top of the message), each
 * folded and ending in CRLF (LF with INKAN_DKIM_ALLOW_LF). The AMS b=
 * value is written unfolded on a line of its own (the AS signs the AMS
 * as written; this is how the reference sealer writes it).
 *
 * The new AS carries cv=none for the first instance, else the chain's
 * status; a chain that fails validation is sealed with cv=fail, the AS
 * then covering only the new set (RFC 8617 5.1.2).
 *
 * Returns INKAN_OK with nothing appended when the newest ARC-Seal already
 * says cv=fail (RFC 8617 5.1 step 2: the chain cannot be continued);
 * inkan_arc_seal_added() tells the two apart. INKAN_ERR_LIMIT when the
 * chain already has arc_instances_max (50) sets or out is full,
 * INKAN_ERR_NOMEM, INKAN_ERR_INTERNAL when signing fails, or the feed
 * error.
 */
INKAN_API enum inkan_status inkan_arc_seal_finish(
    struct inkan_arc_seal *s, struct inkan_buf *out);

/* After finish: whether a set was appended. */
INKAN_API bool inkan_arc_seal_added(const struct inkan_arc_seal *s);

/* After finish: the validation of the chain the message came with (the
   new seal's cv=), owned by s; NULL before. */
INKAN_API const struct inkan_arc_result *inkan_arc_seal_chain(
    const struct inkan_arc_seal *s);

INKAN_API const char *inkan_arc_seal_error(const struct inkan_arc_seal *s);
INKAN_API void inkan_arc_seal_free(struct inkan_arc_seal **s);

#ifdef __cplusplus
}
#endif

#endif
