/*
 * inkan/verify.h: the receiving side's authentication pipeline, SPF ->
 * DKIM -> ARC -> DMARC -> Authentication-Results, for one message at a
 * time over long-lived contexts.
 *
 * A struct inkan_verifier lives as long as the program: it owns one SPF,
 * one DKIM, one ARC and one DMARC context over one borrowed resolver, so
 * SPF records, DKIM keys and DMARC records stay cached from one message to
 * the next. Each message gets a struct inkan_verify_msg: begun with the
 * SMTP envelope, fed the raw message in chunks (DKIM and ARC read it in
 * the same pass, and the From field is collected for DMARC), finished, and
 * then asked for each part's results and the Authentication-Results field
 * that sums them up.
 *
 *	struct inkan_verifier *vf = NULL;
 *	struct inkan_verify_options o;
 *	struct inkan_verify_envelope env = { 0 };
 *	struct inkan_verify_msg *m = NULL;
 *
 *	inkan_verify_options_init(&o);
 *	o.authserv_id = "mx.example.net";
 *	if (inkan_verifier_new(resolver, NULL, &o, &vf) != INKAN_OK)
 *		goto out;
 *	// per message:
 *	inkan_spf_ip_parse("192.0.2.10", &env.ip);
 *	env.helo = "mail.example.com";
 *	env.mail_from = "alice@example.com";
 *	if (inkan_verify_begin(vf, &env, INKAN_VERIFY_ALLOW_LF, &m) !=
 *	    INKAN_OK)
 *		goto out;
 *	while ((len = fread(buf, 1, sizeof(buf), f)) > 0)
 *		if (inkan_verify_feed(m, buf, len) != INKAN_OK)
 *			break;		// malformed header section
 *	if (inkan_verify_finish(m) != INKAN_OK)
 *		goto out;		// inkan_verify_error(m) says why
 *	fputs(inkan_verify_authres(m), stdout);
 *	if (inkan_verify_dmarc(m)->disposition == INKAN_DMARC_DISP_REJECT)
 *		...			// 550 5.7.1, if local policy agrees
 * out:
 *	inkan_verify_msg_free(&m);
 *	inkan_verifier_free(&vf);
 *
 * Threads: a verifier and its messages are used by one thread at a time
 * (the contexts it owns are); one verifier per worker thread, sharing the
 * thread-safe resolver.
 */
#ifndef INKAN_VERIFY_H
#define INKAN_VERIFY_H

#include <inkan/arc.h>
#include <inkan/common.h>
#include <inkan/dkim.h>
#include <inkan/dmarc.h>
#include <inkan/dns.h>
#include <inkan/limits.h>
#include <inkan/spf.h>
#include <inkan/util.h>

#ifdef __cplusplus
extern "C" {
#endif

/* How a verifier is set up; inkan_verify_options_init() gives defaults. */
struct inkan_verify_options {
	/* RFC 8601 2.5: the authserv-id written in Authentication-Results,
	 * usually the receiving host's name. Default "localhost". Copied. */
	const char *authserv_id;
	/* Run ARC chain validation (RFC 8617 5.2). Default true. */
	bool arc;
	/* NULL: the defaults. Copied by inkan_verifier_new(). */
	const struct inkan_dkim_policy *dkim_policy;
	const struct inkan_dmarc_options *dmarc_options;
};

INKAN_API void inkan_verify_options_init(struct inkan_verify_options *o);

/* Opaque: the long-lived contexts and their caches. */
struct inkan_verifier;

/*
 * Creates a verifier over resolver (borrowed: it must outlive the
 * verifier) with limits (NULL: defaults; copied) and options (NULL:
 * defaults). Returns INKAN_ERR_INVAL (NULL resolver), INKAN_ERR_NOMEM, or
 * what inkan_dmarc_new() returns for its options.
 */
INKAN_API enum inkan_status inkan_verifier_new(struct inkan_resolver *resolver,
    const struct inkan_limits *limits, const struct inkan_verify_options *o,
    struct inkan_verifier **vf_r);

/* Frees *vf and the contexts it owns; sets *vf to NULL; NULL is fine. All
 * its messages must have been freed. */
INKAN_API void inkan_verifier_free(struct inkan_verifier **vf);

/* What the SMTP session knew when the message came. Borrowed until
 * inkan_verify_begin() returns (everything is copied). */
struct inkan_verify_envelope {
	struct inkan_spf_ip ip; /* the client's address; required */
	const char *helo; /* HELO/EHLO name; NULL or "" if none */
	/* The MAIL FROM reverse-path without angle brackets; NULL, "" or
	 * "<>" for the null reverse-path. */
	const char *mail_from;
	const char *rcpt_to; /* one RCPT TO address, optional */
};

/* Flags for inkan_verify_begin(). */
enum inkan_verify_flags {
	/*
	 * The message has LF line endings (a file on disk): LF is taken as
	 * CRLF, as INKAN_DKIM_ALLOW_LF does, and the Authentication-Results
	 * field ends in LF. Without it the message must be CRLF and the
	 * field ends in CRLF.
	 */
	INKAN_VERIFY_ALLOW_LF = 1 << 0,
};

/* Opaque: one message going through the pipeline. */
struct inkan_verify_msg;

/*
 * Starts one message. Returns INKAN_ERR_INVAL (NULL argument, an address
 * family other than AF_INET or AF_INET6, unknown flag), INKAN_ERR_NOMEM.
 */
INKAN_API enum inkan_status inkan_verify_begin(struct inkan_verifier *vf,
    const struct inkan_verify_envelope *env, unsigned flags,
    struct inkan_verify_msg **m_r);

/*
 * Feeds the next len bytes of the raw message (headers then body, any
 * chunk sizes) to DKIM, ARC and the From collector in one pass. Returns
 * INKAN_ERR_SYNTAX or INKAN_ERR_LIMIT when the header section cannot be
 * parsed (inkan_verify_error() says why; the message stays in error),
 * INKAN_ERR_STATE after finish, INKAN_ERR_NOMEM.
 */
INKAN_API enum inkan_status inkan_verify_feed(
    struct inkan_verify_msg *m, const void *data, size_t len);

/*
 * Ends the message and runs the checks: SPF for MAIL FROM (for the null
 * reverse-path, postmaster@HELO as RFC 7208 2.4 says, which is also the
 * SPF identity RFC 9989 4.4.2 aligns), DKIM's and ARC's results, DMARC
 * over the From field's Author Domain(s) (several From fields count as
 * one address list: RFC 9989 5.3.1 then applies to all their domains),
 * and the Authentication-Results field. Returns INKAN_OK when results
 * were produced (whatever they say), INKAN_ERR_NOMEM, the feed error, or
 * INKAN_ERR_STATE when called twice.
 */
INKAN_API enum inkan_status inkan_verify_finish(struct inkan_verify_msg *m);

/* ---- results: valid after a successful finish, owned by m ----------- */

/* The SPF verdict. */
INKAN_API const struct inkan_spf_verdict *inkan_verify_spf(
    const struct inkan_verify_msg *m);

/* The DKIM results, one per DKIM-Signature (none for an unsigned
 * message). */
INKAN_API void inkan_verify_dkim(const struct inkan_verify_msg *m,
    const struct inkan_dkim_sig **sigs_r, size_t *count_r);

/* The ARC chain validation, or NULL when ARC is off. */
INKAN_API const struct inkan_arc_result *inkan_verify_arc(
    const struct inkan_verify_msg *m);

/* The DMARC verdict (disposition included). */
INKAN_API const struct inkan_dmarc_verdict *inkan_verify_dmarc(
    const struct inkan_verify_msg *m);

/*
 * The Authentication-Results header field (RFC 8601), name included,
 * folded, ending in CRLF (LF with INKAN_VERIFY_ALLOW_LF): spf, one dkim
 * per signature (dkim=none when unsigned), arc (when on), dmarc with
 * header.from and policy.dmarc (RFC 9989 9.1).
 */
INKAN_API const char *inkan_verify_authres(const struct inkan_verify_msg *m);

/* Why feed or finish failed, NUL-terminated; "" if nothing failed. */
INKAN_API const char *inkan_verify_error(const struct inkan_verify_msg *m);

/* Frees *m, sets it to NULL; NULL is fine. */
INKAN_API void inkan_verify_msg_free(struct inkan_verify_msg **m);

#ifdef __cplusplus
}
#endif

#endif
