/*
 * inkan/dkim.h: DomainKeys Identified Mail (RFC 6376, RFC 8301, RFC 8463).
 *
 * Verify: a message goes in as raw bytes, in chunks of any size; the header
 * section is kept (bounded by the header limits), the body is canonicalised
 * and hashed as it streams and never held. At the end every DKIM-Signature
 * gets its own result in RFC 8601 words.
 *
 *	struct inkan_dkim *dkim = NULL;
 *	struct inkan_dkim_verify *v = NULL;
 *	const struct inkan_dkim_sig *sigs;
 *	size_t n, i;
 *
 *	if (inkan_dkim_new(resolver, NULL, NULL, &dkim) != INKAN_OK ||
 *	    inkan_dkim_verify_new(dkim, INKAN_DKIM_ALLOW_LF, &v) != INKAN_OK)
 *		goto out;
 *	while ((len = fread(buf, 1, sizeof(buf), f)) > 0)
 *		if (inkan_dkim_verify_feed(v, buf, len) != INKAN_OK)
 *			break;			// malformed header section
 *	if (inkan_dkim_verify_finish(v) != INKAN_OK)
 *		goto out;
 *	inkan_dkim_verify_results(v, &sigs, &n);
 *	for (i = 0; i < n; i++)
 *		printf("%s d=%s s=%s: %s\n",
 *		    inkan_dkim_result_name(sigs[i].result), sigs[i].domain,
 *		    sigs[i].selector, sigs[i].reason);
 * out:
 *	inkan_dkim_verify_free(&v);
 *	inkan_dkim_free(&dkim);
 *
 * Sign: load keys once, then a signer per message; the DKIM-Signature
 * fields come out at the end, to be put in front of the message.
 *
 * A struct inkan_dkim is used by one thread at a time: it borrows the
 * resolver (thread-safe, shareable) and caches decoded public keys by
 * selector and domain for their DNS TTL, so a warm verification does no
 * key decoding.
 */
#ifndef INKAN_DKIM_H
#define INKAN_DKIM_H

#include <inkan/common.h>
#include <inkan/dns.h>
#include <inkan/limits.h>
#include <inkan/util.h>

#ifdef __cplusplus
extern "C" {
#endif

/* RFC 8601 2.7.1: the dkim method's results. */
enum inkan_dkim_result {
	INKAN_DKIM_NONE = 0, /* the message has no signature */
	INKAN_DKIM_PASS,
	INKAN_DKIM_FAIL, /* signature or body hash does not verify */
	INKAN_DKIM_NEUTRAL, /* not produced by lib/dkim: see PERMERROR */
	INKAN_DKIM_POLICY, /* verifies, but local policy refuses (l=, ...) */
	INKAN_DKIM_TEMPERROR, /* key lookup failed temporarily */
	/*
	 * Unusable signature or key: malformed or missing tags, unknown
	 * v=, a=, c= or q=, i= outside d=, h= without From, x= before t=
	 * or past, no key, revoked key, key that does not fit a=, rsa-sha1
	 * or an RSA key under rsa_min_bits (RFC 8301). RFC 6376 6.1.1 calls
	 * all of these PERMFAIL; the reason says which.
	 */
	INKAN_DKIM_PERMERROR,
};

/* "none", "pass", ...: lowercase, static, never NULL. */
INKAN_API const char *inkan_dkim_result_name(enum inkan_dkim_result r);

enum inkan_dkim_algorithm {
	INKAN_DKIM_ALG_UNKNOWN = 0,
	INKAN_DKIM_RSA_SHA256,
	INKAN_DKIM_RSA_SHA1, /* RFC 8301: never passes */
	INKAN_DKIM_ED25519_SHA256, /* RFC 8463 */
};

/* "rsa-sha256", ...; "unknown" for INKAN_DKIM_ALG_UNKNOWN. */
INKAN_API const char *inkan_dkim_algorithm_name(enum inkan_dkim_algorithm a);

enum inkan_dkim_canon {
	INKAN_DKIM_SIMPLE = 0,
	INKAN_DKIM_RELAXED,
};

/* Verification policy; inkan_dkim_policy_init() gives the safe defaults. */
struct inkan_dkim_policy {
	/*
	 * A signature with l= covers only part of the body, so content can
	 * be appended. true (default): such a signature that verifies gets
	 * INKAN_DKIM_POLICY, which DMARC does not count. false: pass.
	 */
	bool length_fails;
	/* RFC 8301 3.2: RSA keys shorter than this never pass (1024). */
	unsigned rsa_min_bits;
	/* Seconds of clock skew allowed for t= in the future (300). */
	unsigned future_skew;
	/* Ignore x= (expired signatures pass). Default false. */
	bool ignore_expiry;
	/*
	 * RFC 8301 3.1 forbids accepting rsa-sha1; true lets such
	 * signatures pass again, for scoring old test suites only.
	 * Default false. (Added after the first draft of this header.)
	 */
	bool allow_rsa_sha1;
	/*
	 * The clock, for t= and x= and the key cache: seconds since the
	 * epoch. NULL means time(NULL). For tests.
	 */
	int64_t (*now)(void *arg);
	void *now_arg;
};

INKAN_API void inkan_dkim_policy_init(struct inkan_dkim_policy *p);

/* Opaque context: resolver, limits, policy, public-key cache. */
struct inkan_dkim;

/*
 * Creates a context that looks keys up through resolver (borrowed; it
 * must outlive the context; may be NULL for a context that only signs).
 * limits and policy may be NULL for the defaults; both are copied.
 */
INKAN_API enum inkan_status inkan_dkim_new(struct inkan_resolver *resolver,
    const struct inkan_limits *limits, const struct inkan_dkim_policy *policy,
    struct inkan_dkim **dkim_r);

INKAN_API void inkan_dkim_free(struct inkan_dkim **dkim);

/* ---- verification --------------------------------------------------- */

/* Options for inkan_dkim_verify_new(). */
enum inkan_dkim_verify_flags {
	/*
	 * The message has LF line endings (a file on disk): each LF is
	 * taken as CRLF, in headers and body, as if it had come over SMTP.
	 * Without it the input must be CRLF (bare LF / CR are errors in the
	 * header section, and canonicalised as they are in the body).
	 */
	INKAN_DKIM_ALLOW_LF = 1 << 0,
};

/* The outcome for one DKIM-Signature header field, in header order. */
struct inkan_dkim_sig {
	enum inkan_dkim_result result;
	/* One sentence: why ("body hash mismatch", "key revoked", ...). */
	const char *reason;
	/* The tags, as far as they could be read (NULL when absent). */
	const char *domain; /* d=, lowercase; header.d */
	const char *selector; /* s=; header.s */
	const char *identity; /* i=, or "@" d= by default; header.i */
	enum inkan_dkim_algorithm algorithm; /* a=; header.a */
	const char *b; /* b= without whitespace; header.b: the first
			  8 or more characters identify it */
	enum inkan_dkim_canon header_canon, body_canon; /* c= */
	const char *signed_headers; /* h=, as written */
	bool has_length; /* l= present */
	uint64_t length; /* l= value */
	uint64_t body_length; /* bytes of canonical body seen */
	int64_t timestamp; /* t=, or -1 */
	int64_t expiration; /* x=, or -1 */
	/* From the key record: */
	bool testing; /* t=y: the domain is testing DKIM */
	unsigned key_bits; /* RSA modulus bits, 256 for Ed25519, 0 */
	size_t offset; /* the header field's offset in the message */
};

/* Opaque: verification of one message. */
struct inkan_dkim_verify;

INKAN_API enum inkan_status inkan_dkim_verify_new(
    struct inkan_dkim *dkim, unsigned flags, struct inkan_dkim_verify **v_r);

/*
 * Feeds the next len bytes of the raw message (headers then body, any
 * chunk sizes). Returns INKAN_ERR_SYNTAX or INKAN_ERR_LIMIT when the header
 * section cannot be parsed (inkan_dkim_verify_error() says why; the
 * verifier then stays in error), INKAN_ERR_STATE after finish.
 */
INKAN_API enum inkan_status inkan_dkim_verify_feed(
    struct inkan_dkim_verify *v, const void *data, size_t len);

/*
 * Ends the message: looks up the keys (through the cache), checks every
 * signature. Returns INKAN_OK when results were produced (whatever they
 * say), INKAN_ERR_NOMEM, or the feed error.
 */
INKAN_API enum inkan_status inkan_dkim_verify_finish(
    struct inkan_dkim_verify *v);

/* After finish: the results, one per DKIM-Signature, in header order;
 * none when the message has no signature. Owned by v. */
INKAN_API void inkan_dkim_verify_results(const struct inkan_dkim_verify *v,
    const struct inkan_dkim_sig **sigs_r, size_t *count_r);

/* Why feed or finish failed, NUL-terminated, owned by v; "" if none. */
INKAN_API const char *inkan_dkim_verify_error(
    const struct inkan_dkim_verify *v);

/* Frees *v and sets it to NULL (NULL is fine); v's results go with it.
 * Free every verifier before its context: the context keeps the last
 * verifier's memory for the next one. */
INKAN_API void inkan_dkim_verify_free(struct inkan_dkim_verify **v);

/* ---- keys --------------------------------------------------------------- */

/* A private key for signing: RSA or Ed25519 (opaque). */
struct inkan_dkim_key;

/*
 * Loads a private key in PEM (PKCS#1 "RSA PRIVATE KEY", PKCS#8 "PRIVATE
 * KEY"; Ed25519 as PKCS#8, or the raw 32-byte seed in base64 as some tools
 * write it). Returns INKAN_ERR_NOTFOUND, INKAN_ERR_IO, INKAN_ERR_SYNTAX
 * (not a key), INKAN_ERR_UNSUPPORTED (another key type, or RSA under 1024
 * bits). The key material is wiped when freed.
 */
INKAN_API enum inkan_status inkan_dkim_key_load_file(
    const char *path, struct inkan_dkim_key **key_r);
INKAN_API enum inkan_status inkan_dkim_key_load_pem(
    const void *pem, size_t len, struct inkan_dkim_key **key_r);
INKAN_API void inkan_dkim_key_free(struct inkan_dkim_key **key);

/* The algorithm a key signs with: rsa-sha256 or ed25519-sha256. */
INKAN_API enum inkan_dkim_algorithm inkan_dkim_key_algorithm(
    const struct inkan_dkim_key *key);

/*
 * Appends the DNS TXT record value for the key's public half to out:
 * "v=DKIM1; k=rsa; p=MIIB..." (or k=ed25519 with the 32-byte key, RFC
 * 8463 4.2), one string, unsplit.
 */
INKAN_API enum inkan_status inkan_dkim_key_record(
    const struct inkan_dkim_key *key, struct inkan_buf *out);

enum inkan_dkim_keytype {
	INKAN_DKIM_KEY_RSA,
	INKAN_DKIM_KEY_ED25519,
};

/*
 * Generates a new private key (RSA: bits 1024..4096, 0 = 2048; Ed25519:
 * bits ignored) and appends its PEM (PKCS#8) to pem_out.
 */
INKAN_API enum inkan_status inkan_dkim_keygen(
    enum inkan_dkim_keytype type, unsigned bits, struct inkan_buf *pem_out);

/*
 * Appends record as zone-file TXT rdata, split into quoted strings of at
 * most 255 bytes (RFC 1035 3.3.14; RFC 6376 3.6.2.2):
 * "v=DKIM1; k=rsa; p=MIIB..." "...".
 */
INKAN_API enum inkan_status inkan_dkim_record_split(
    struct inkan_view record, struct inkan_buf *out);

/* ---- signing ------------------------------------------------------------ */

struct inkan_dkim_sign_options {
	const char *domain; /* d=, required */
	const char *selector; /* s=, required */
	/*
	 * Optional (added after the first draft): one selector per key,
	 * key_selectors[i] for keys[i] of inkan_dkim_sign_new(), e.g.
	 * "rsa2026" and "ed2026" for dual signing; a NULL entry, or a NULL
	 * array, means selector. Borrowed until inkan_dkim_sign_new()
	 * returns (copied).
	 */
	const char *const *key_selectors;
	const char *identity; /* i=, optional; must be in d= */
	/*
	 * h=: colon-separated header names. NULL: the recommended set,
	 * with From, To, Cc, Subject, Date, Reply-To, Message-ID,
	 * MIME-Version, Content-Type, Content-Transfer-Encoding, In-Reply-To,
	 * References and List-* oversigned (each named once more than it
	 * occurs, so none can be added; RFC 6376 8.15).
	 */
	const char *headers;
	enum inkan_dkim_canon header_canon; /* default relaxed */
	enum inkan_dkim_canon body_canon; /* default relaxed */
	bool timestamp; /* t= now */
	uint64_t expire_after; /* x= t + this many seconds; 0: no x= */
	bool body_length; /* l=: only when asked for */
};

/* Defaults: relaxed/relaxed, the recommended header set, no t=, x=, l=. */
INKAN_API void inkan_dkim_sign_options_init(struct inkan_dkim_sign_options *o);

/* Opaque: signing of one message with one or more keys. */
struct inkan_dkim_sign;

/*
 * Starts signing a message with keys[0..nkeys) (borrowed until free; one
 * DKIM-Signature per key, e.g. RSA and Ed25519 for dual signing) and the
 * options (copied). flags as for verification (INKAN_DKIM_ALLOW_LF).
 */
INKAN_API enum inkan_status inkan_dkim_sign_new(struct inkan_dkim *dkim,
    const struct inkan_dkim_sign_options *o, struct inkan_dkim_key *const *keys,
    size_t nkeys, unsigned flags, struct inkan_dkim_sign **s_r);

/* Feeds the next len bytes of the message, as for verification. */
INKAN_API enum inkan_status inkan_dkim_sign_feed(
    struct inkan_dkim_sign *s, const void *data, size_t len);

/*
 * Ends the message and appends the DKIM-Signature header fields, one per
 * key, each folded and ending in CRLF (LF with INKAN_DKIM_ALLOW_LF), to
 * out; the caller writes them before the message.
 */
INKAN_API enum inkan_status inkan_dkim_sign_finish(
    struct inkan_dkim_sign *s, struct inkan_buf *out);

INKAN_API const char *inkan_dkim_sign_error(const struct inkan_dkim_sign *s);
INKAN_API void inkan_dkim_sign_free(struct inkan_dkim_sign **s);

#ifdef __cplusplus
}
#endif

#endif
