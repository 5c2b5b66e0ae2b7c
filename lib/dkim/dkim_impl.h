/*
 * dkim_impl.h: the parts of lib/dkim shared by its files, the unit tests
 * and the fuzz targets. Private to lib/dkim.
 *
 * - taglist.c: the RFC 6376 3.2 tag-list parser (signature, key record,
 *   and later ARC).
 * - canon.c: the streaming body canonicalisers and the header
 *   canonicalisers of RFC 6376 3.4, and the body hasher built on them.
 * - keys.c: key records (RFC 6376 3.6.1), public and private keys, keygen.
 * - message.c: the header store both verifying and signing read.
 * - context.c: struct inkan_dkim and its key cache.
 * - verify.c, sign.c: the public API of inkan/dkim.h.
 */
#ifndef INKAN_DKIM_IMPL_H
#define INKAN_DKIM_IMPL_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <openssl/evp.h>

#include <inkan/dkim.h>
#include <inkan/msg.h>

/* ---- tag lists (taglist.c) ---------------------------------------------- */

/* One tag=value pair; views into the parsed text. */
struct dkim_tag {
	struct inkan_view name;
	/* The value without the FWS around it; inner FWS kept. */
	struct inkan_view value;
};

/*
 * Parses the tag-list in (RFC 6376 3.2) into tags[0..*n_r), at most cap of
 * them. Tag names are ALPHA *(ALPHA / DIGIT / "_"); FWS may surround the
 * '=' and the ';'; a value is VALCHARs (and bytes >= 0x80, for RFC 8616)
 * with inner FWS. Empty tag-specs ("a=1;;b=2", a trailing ';') are
 * accepted, as deployed verifiers do. Returns INKAN_OK; INKAN_ERR_SYNTAX
 * with *why_r a static reason (a malformed list, or a tag given twice,
 * which 3.2 forbids); INKAN_ERR_LIMIT for more than cap tags. FWS is
 * [*WSP CRLF] 1*WSP: a bare CR or LF is an error.
 */
enum inkan_status dkim_taglist_parse(struct inkan_view in,
    struct dkim_tag *tags, size_t cap, size_t *n_r, const char **why_r);

/* The tag named name (case-sensitive, RFC 6376 3.2), or NULL. */
const struct dkim_tag *dkim_tag_find(
    const struct dkim_tag *tags, size_t n, const char *name);

/*
 * Splits a colon-separated list (h=, q=, s=, t=, key h=) into its elements
 * one at a time: returns false when there is none left. Each element has
 * the FWS around it removed (it may be empty: "a::b").
 */
bool dkim_list_next(struct inkan_view *list, struct inkan_view *elem_r);

/* ---- canonicalisation (canon.c) ----------------------------------------- */

/* Canonical bytes are collected in a block of this size before the sink. */
#define DKIM_CANON_BLOCK 8192

typedef void dkim_sink_fn(void *arg, const uint8_t *p, size_t n);

/*
 * A streaming body canonicaliser (RFC 6376 3.4.3 simple, 3.4.4 relaxed).
 * It holds back only what it cannot decide yet: a count of pending line
 * endings and a flag for pending WSP (never the bytes), and a CR whose
 * next byte is in the next chunk. Output goes to the sink in blocks.
 */
struct dkim_canon {
	enum inkan_dkim_canon canon;
	bool allow_lf; /* a bare LF ends a line too */
	bool cr_pending; /* the last byte fed was a CR */
	bool wsp_pending; /* relaxed: a WSP run not yet written */
	bool any_out; /* relaxed: a byte other than CRLF was written */
	uint64_t held_crlf; /* line endings not yet written */
	uint64_t total; /* canonical bytes written to the sink */
	dkim_sink_fn *sink;
	void *sink_arg;
	size_t blen;
	uint8_t block[DKIM_CANON_BLOCK];
};

void dkim_canon_init(struct dkim_canon *c, enum inkan_dkim_canon canon,
    bool allow_lf, dkim_sink_fn *sink, void *sink_arg);
/* Feeds p[0..n) of the body. */
void dkim_canon_body(struct dkim_canon *c, const uint8_t *p, size_t n);
/* Ends the body: writes the final line ending and flushes the block. */
void dkim_canon_body_end(struct dkim_canon *c);

/*
 * Appends the canonical form of the header field raw (RFC 6376 3.4.1
 * simple: as it is; 3.4.2 relaxed) to out. raw is a whole field, name,
 * colon, value and CRLF; name_len is the length of its name. With
 * strip_eol the final CRLF is left out (the DKIM-Signature being
 * verified, 3.7). raw must use CRLF line endings.
 */
enum inkan_status dkim_canon_header(enum inkan_dkim_canon canon,
    struct inkan_view raw, size_t name_len, bool strip_eol,
    struct inkan_buf *out);

/* A body canonicaliser feeding a hash, cut at l= bytes. */
struct dkim_bodyhash {
	struct dkim_canon canon;
	EVP_MD_CTX *md;
	const EVP_MD *alg;
	uint64_t limit; /* l=, or UINT64_MAX */
	uint64_t hashed;
	bool failed; /* a libcrypto call failed */
	unsigned dlen;
	uint8_t digest[EVP_MAX_MD_SIZE];
};

/* Returns INKAN_ERR_NOMEM when libcrypto cannot set up the hash. */
enum inkan_status dkim_bodyhash_init(struct dkim_bodyhash *bh,
    enum inkan_dkim_canon canon, bool allow_lf, const EVP_MD *alg,
    uint64_t limit);
void dkim_bodyhash_feed(struct dkim_bodyhash *bh, const uint8_t *p, size_t n);
/* Ends the body and computes digest; INKAN_ERR_INTERNAL if hashing
   failed. */
enum inkan_status dkim_bodyhash_end(struct dkim_bodyhash *bh);
void dkim_bodyhash_clear(struct dkim_bodyhash *bh);
/*
 * dkim_bodyhash_init() for a hasher used before: its md (a context from
 * an earlier message, or NULL) is set up again rather than made anew.
 */
enum inkan_status dkim_bodyhash_restart(struct dkim_bodyhash *bh,
    enum inkan_dkim_canon canon, bool allow_lf, const EVP_MD *alg,
    uint64_t limit);

/* ---- keys (keys.c) --------------------------------------------------------
 */

/* Hash algorithms, as bits for a key record's h=. */
#define DKIM_HASH_SHA1 1u
#define DKIM_HASH_SHA256 2u

/* A key record (RFC 6376 3.6.1) as parsed, before its key is decoded. */
struct dkim_keyrec {
	enum inkan_dkim_keytype type; /* k= (rsa by default) */
	unsigned hashes; /* h=: DKIM_HASH_* bits; 0 when absent (any) */
	bool testing; /* t=y */
	bool strict; /* t=s: i= must be in d= exactly */
	bool revoked; /* p= empty */
	struct inkan_buf key; /* p= decoded: DER, or 32 raw bytes */
};

/*
 * Parses one key record (the TXT strings already joined) into *kr, whose
 * key buffer the caller initialised (inkan_buf_init) and later clears.
 * Returns INKAN_OK (kr->revoked may be set); INKAN_ERR_SYNTAX with *why_r
 * a static reason for a record that is not a usable DKIM key: a bad
 * tag-list, v= not "DKIM1" or not first, an unknown k=, p= missing or not
 * base64, s= without "email" or "*"; INKAN_ERR_LIMIT.
 */
enum inkan_status dkim_keyrec_parse(struct inkan_view txt,
    const struct inkan_limits *lim, struct dkim_keyrec *kr, const char **why_r);

/*
 * Decodes a public key of type from der[0..len): RSA as a
 * SubjectPublicKeyInfo, or failing that a PKCS#1 RSAPublicKey; Ed25519
 * as its 32 raw bytes (RFC 8463 4.2). Sets *pkey_r (the caller frees it)
 * and *bits_r. Returns INKAN_ERR_SYNTAX for bytes that are not such a key.
 */
enum inkan_status dkim_pubkey_decode(enum inkan_dkim_keytype type,
    const uint8_t *der, size_t len, EVP_PKEY **pkey_r, unsigned *bits_r);

/* The EVP_PKEY of a private key (borrowed). */
EVP_PKEY *dkim_key_pkey(const struct inkan_dkim_key *key);

/* ---- the header store (message.c) ---------------------------------------- */

/* One header field, copied, with CRLF line endings. */
struct dkim_field {
	/* name ... CRLF (or no line ending), a NUL after it */
	struct inkan_view raw;
	size_t name_len;
	uint64_t offset; /* in the input */
	/* The name's first eight bytes lowercased (message.c): compared
	   before the bytes when fields are looked up by name. */
	uint64_t key;
	bool used; /* scratch for header selection */
};

enum dkim_msg_state {
	DKIM_MSG_HEADERS = 0,
	DKIM_MSG_BODY,
	DKIM_MSG_ERROR,
};

/*
 * Reads a message's header section through the lib/msg parser and keeps
 * a copy of each field (LF endings turned into CRLF with allow_lf), one
 * after the other in text.
 */
struct dkim_msg {
	struct inkan_hdr_parser *hp;
	bool allow_lf;
	enum dkim_msg_state state;
	struct dkim_field *fields;
	size_t nfields, cap;
	/* The copies the fields' raw views point into, each followed by a
	   NUL: fields[i] starts where fields[i - 1] and its NUL end. */
	struct inkan_buf text;
	enum inkan_status err;
	char error[256];
};

enum inkan_status dkim_msg_init(
    struct dkim_msg *m, const struct inkan_limits *lim, bool allow_lf);
void dkim_msg_clear(struct dkim_msg *m);
/*
 * dkim_msg_init() reusing an earlier message's parser hp (made with the
 * same limits and allow_lf; reset here), fields[0..cap) and text (its
 * storage and maximum, emptied here), all taken over (dkim_msg_clear()
 * frees them).
 */
void dkim_msg_init_reuse(struct dkim_msg *m, bool allow_lf,
    struct inkan_hdr_parser *hp, struct dkim_field *fields, size_t cap,
    const struct inkan_buf *text);

/*
 * Feeds p[0..n) (last: the input ends there) while in the header section.
 * When the header section ends, state becomes DKIM_MSG_BODY and *body_r
 * is the rest of p (the first body bytes), else empty. Returns INKAN_OK or
 * the sticky error (state DKIM_MSG_ERROR, error says why).
 */
enum inkan_status dkim_msg_feed_headers(struct dkim_msg *m, const uint8_t *p,
    size_t n, bool last, struct inkan_view *body_r);

/*
 * Appends to out the canonical form of the fields h= names select (RFC
 * 6376 5.4.2: each name takes the last instance not taken yet, bottom up;
 * a name with no instance left adds nothing), skipping field index skip.
 */
enum inkan_status dkim_msg_select(struct dkim_msg *m, struct inkan_view h,
    enum inkan_dkim_canon canon, size_t skip, struct inkan_buf *out);

/* Number of fields named name (case-insensitive). */
size_t dkim_msg_count(const struct dkim_msg *m, struct inkan_view name);

/*
 * Whether b has room for n more bytes and its NUL as it is: then
 * inkan_buf_reserve(b, n) would succeed without doing anything, and the
 * call is saved on the paths that write a few bytes per call.
 */
static inline bool
dkim_buf_fits(const struct inkan_buf *b, size_t n)
{
	return b->err == INKAN_OK && b->data != NULL && n < b->cap - b->len;
}

/* ---- shared by verify.c and sign.c ------------------------------------- */

/*
 * What a verifier needs only while it reads a message, kept in the
 * context between messages (verify.c): a verifier takes it when it
 * starts and gives it back at the end of inkan_dkim_verify_finish(), so
 * a warm verification makes and frees none of it, and none of it outlives
 * the context.
 */
struct dkim_vparts {
	bool held; /* the context holds the parts */
	bool allow_lf; /* the flag hp was made with */
	struct inkan_hdr_parser *hp;
	struct dkim_field *fields;
	size_t fields_cap;
	struct inkan_buf text; /* struct dkim_msg's */
	struct dkim_bodyhash *hashers; /* hcap of them; md made or NULL */
	size_t hcap;
	struct inkan_buf tmp;
};

struct inkan_dkim {
	struct inkan_resolver *resolver;
	struct inkan_limits lim;
	struct inkan_dkim_policy pol;
	EVP_MD_CTX *md; /* reused for header hashes and signatures */
	/* Fetched once: an implicit fetch per EVP_DigestInit costs a lock
	   and a table look-up (OpenSSL 3). */
	const EVP_MD *sha256, *sha1;
	EVP_MD *fetched_sha256, *fetched_sha1;
	struct dkim_cache_entry **cache; /* dkim_key_cache_max slots */
	size_t ncache;
	struct dkim_vparts spare; /* see struct dkim_vparts */
	/* verify.c: a freed verifier (its struct, its arena's first
	   chunk), taken by the next inkan_dkim_verify_new(). */
	struct inkan_dkim_verify *spare_verifier;
	/* verify.c: only ever a plain digest (the header hash of an RSA
	   signature), so it is initialised again without a reset, which
	   would free and remake its hash state. */
	EVP_MD_CTX *hmd;
};

int64_t dkim_now(const struct inkan_dkim *dkim);

/* Frees the verifier d keeps for reuse (verify.c), if any. */
void dkim_verify_spare_free(struct inkan_dkim *d);

/* ---- writing tag-list fields (fieldwriter.c): sign.c and lib/arc ------ */

/* Where fields are folded (RFC 5322 2.1.1: SHOULD be at most 78). */
#define DKIM_FOLD_COLUMN 78

/* A field being written, with its column for folding. */
struct dkim_writer {
	struct inkan_buf *b;
	size_t col;
};

/* " tag=value;" (no ';' when last), folded before it when the line would
   pass the fold column: a fold is where a SP would be. */
void dkim_put_tag(
    struct dkim_writer *w, const char *tag, const char *val, bool last);

/* Appends base64 text b64[0..n), folded (FWS inside b= is allowed,
   RFC 6376 3.5). */
void dkim_put_b64_folded(struct dkim_writer *w, const char *b64, size_t n);

/* RFC 6376 5.4.1's recommended header fields, lowercase, From first. */
extern const char *const dkim_recommended[];
extern const size_t dkim_nrecommended;

/*
 * Appends to h (colon-separated, after what it holds) each of names[0..n)
 * as many times as m has that field plus extra (1 oversigns: no instance
 * can be added, RFC 6376 8.15); From is named at least once (5.4).
 */
void dkim_name_headers(struct inkan_buf *h, const struct dkim_msg *m,
    const char *const *names, size_t n, unsigned extra);

/* ---- eight bytes at a time (verify.c, message.c, canon.c) -------------- */

/* The byte c in each of the eight bytes of a word. */
#define DKIM_BCAST(c) (UINT64_C(0x0101010101010101) * (uint8_t)(c))

static inline bool
dkim_little_endian(void)
{
	return __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__;
}

/* Eight bytes from p, unaligned, in memory order. */
static inline uint64_t
dkim_load8(const void *p)
{
	uint64_t x;

	memcpy(&x, p, sizeof(x));
	return x;
}

/*
 * The ASCII capitals of the eight bytes of w made small letters, all at
 * once, in either byte order. For a byte b below 0x80, b + (0x80 - 'A')
 * has its top bit set exactly when b >= 'A', and b + (0x7f - 'Z') exactly
 * when b > 'Z'; both sums stay below 0x100, so no byte carries into the
 * next. The top bit of a capital, moved down to 0x20, makes it small.
 * Bytes from 0x80 up are left as they are, as inkan_ascii_lower() leaves
 * them.
 */
static inline uint64_t
dkim_lower8(uint64_t w)
{
	uint64_t low7 = w & DKIM_BCAST(0x7f);
	uint64_t upper = (low7 + DKIM_BCAST(0x80 - 'A')) &
	    ~(low7 + DKIM_BCAST(0x7f - 'Z')) & ~w & DKIM_BCAST(0x80);

	return w | (upper >> 2);
}

/* ---- small readers shared by verify.c and lib/arc ---------------------- */

/* A lowercase NUL-terminated copy of s in the arena; NULL when full. */
char *dkim_arena_lower(struct inkan_arena *a, struct inkan_view s);

/*
 * A copy of s without FWS bytes (SP, HTAB, CR, LF), NUL-terminated, for
 * b= as header.b and to decode; its length in *len_r. NULL when full.
 */
char *dkim_arena_nofws(
    struct inkan_arena *a, struct inkan_view s, size_t *len_r);

/* A decimal number of at most 18 digits, no sign, no space (t=, x=, l=). */
bool dkim_parse_u64(struct inkan_view s, uint64_t *r);

/* ---- the context and its key cache (context.c) ---------------------------
 */

/* One public key from a key record, decoded. */
struct dkim_pubkey {
	EVP_PKEY *pkey;
	EVP_PKEY_CTX *vctx; /* RSA: made at first use, then reused */
	const EVP_MD *vctx_md; /* the signature hash vctx is set up for */
	enum inkan_dkim_keytype type;
	unsigned bits;
	unsigned hashes; /* DKIM_HASH_* allowed; 0: any */
	bool testing, strict;
};

/*
 * The outcome of one key lookup: the usable keys of the answer, or (when
 * there are none) the result and reason to give every signature that
 * needs it.
 */
struct dkim_cache_entry {
	char *name; /* selector._domainkey.domain, lowercase */
	int64_t expires;
	size_t nkeys;
	struct dkim_pubkey *keys;
	enum inkan_dkim_result fail_result;
	const char *fail_reason; /* static */
};

/* Frees a cache entry and its keys. NULL is fine. */
void dkim_entry_free(struct dkim_cache_entry *e);

/*
 * Fetches the keys at name: from the cache, else through the resolver
 * (counted in *lookups). *owned_r says whether the caller must free the
 * entry (it was not cached). NULL only on ENOMEM.
 */
struct dkim_cache_entry *dkim_get_keys(
    struct inkan_dkim *d, const char *name, size_t *lookups, bool *owned_r);

/* ---- for lib/arc (verify.c, sign.c) -------------------------------------- */

/*
 * Verifies sig (decoded b=) over data (the canonical header data, RFC
 * 6376 3.7) with the key at keyname ("selector._domainkey.domain",
 * lowercase), fetched through d's cache (a lookup counted in *lookups,
 * refused past dkim_key_lookups_max). Applies the key checks of 6.1.2
 * (k= fits a=, key h=) and RFC 8301 (no rsa-sha1 unless the policy allows
 * it, RSA keys of at least rsa_min_bits). Returns PASS, FAIL, PERMERROR or
 * TEMPERROR; *reason_r is a static sentence, *bits_r the key size (0 when
 * no key was tried).
 */
enum inkan_dkim_result dkim_verify_data(struct inkan_dkim *d,
    const char *keyname, enum inkan_dkim_algorithm alg, struct inkan_view data,
    struct inkan_view sig, size_t *lookups, unsigned *bits_r,
    const char **reason_r);

/* Signs data[0..len) with key (RFC 6376 3.3; RFC 8463 3) and appends the
   signature in base64 to b64. */
enum inkan_status dkim_sign_data(struct inkan_dkim *d,
    struct inkan_dkim_key *key, const uint8_t *data, size_t len,
    struct inkan_buf *b64);

#endif
