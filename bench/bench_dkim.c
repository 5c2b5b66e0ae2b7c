/*
 * bench_dkim: DKIM messages per second on one core with the keys in
 * memory, for a 4 KiB and a 64 KiB message (rsa-sha256, 2048-bit key,
 * relaxed/relaxed), verify and sign: inkan against libopendkim and dkimpy
 * in the same run, and against the crypto floor measured with libcrypto
 * in the same run.
 *
 * The floor is what no DKIM implementation can avoid: for verification
 * SHA-256 over the canonical body, SHA-256 over the canonical signed
 * header fields, one RSA-2048 verification; for signing the same two
 * hashes and one RSA-2048 signature. It works on the exact bytes DKIM
 * hashes (checked at start: its body hash is the bh= of the reference
 * signature, its header hash verifies the reference b=, and its signature
 * is that b=), with the key decoded once and the libcrypto contexts made
 * once.
 *
 * Every verification must say pass; every signature made in the timed
 * loops is checked for success, and the last one of each loop must verify
 * with inkan. A wrong result is printed, no ratio is printed for it and
 * the exit status is 1. Each rate is the best of REPS loops of at least
 * SECONDS (argument 1, default 1) each, the loop length calibrated first;
 * the in-process columns take turns loop by loop. Nothing is asserted on
 * time: whether the targets are met is printed, not enforced.
 *
 * Usage: bench_dkim [SECONDS]. The dkimpy column runs bench/dkim_dkimpy.py
 * with $INKAN_PYTHON, else /usr/bin/python3, else python3 from PATH.
 *
 * bench_dkim --loop COLUMN CASE N (COLUMN inkan, floor or libopendkim;
 * CASE 0-3 in the order of the table) does the setup, then evaluates that
 * case N times and prints nothing: a loop to run under a profiler
 * (valgrind --tool=callgrind --toggle-collect=inkan_check, or floor_eval).
 */
#include "bench_common.h"

#include <math.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <stdbool.h>
#include <stdint.h>
#include <strings.h>

#ifdef INKAN_HAVE_OPENDKIM
#include <opendkim/dkim.h>
#endif

#include <inkan/dkim.h>
#include <inkan/dns.h>

#ifndef INKAN_BENCH_DKIM_PY
#define INKAN_BENCH_DKIM_PY "bench/dkim_dkimpy.py"
#endif

#define REPS 3
#define CHUNK 16384 /* inkan and libopendkim are fed this much at a time */
#define DOMAIN "example.com"
#define SELECTOR "bench"
#define KEY_NAME SELECTOR "._domainkey." DOMAIN
#define KEY_BITS 2048
#define SIG_BYTES (KEY_BITS / 8)
#define TTL 86400 /* longer than any run: the key cache stays warm */
#define TARGET_FLOOR 0.90 /* inkan >= 90% of the floor, both operations */
#define MSG_MAX (64 * 1024)

/* The header fields every signer signs, each once (no oversigning):
 * the same h= for all three, so that all hash the same bytes. */
#define SIGNED_HEADERS                                                  \
	"from:to:cc:subject:date:message-id:mime-version:content-type:" \
	"content-transfer-encoding:list-unsubscribe"
static const char *const signed_names[] = { "from", "to", "cc", "subject",
	"date", "message-id", "mime-version", "content-type",
	"content-transfer-encoding", "list-unsubscribe" };
#define NSIGNED (sizeof(signed_names) / sizeof(signed_names[0]))

enum op { OP_VERIFY, OP_SIGN };

#define NSIZES 2
static const size_t sizes[NSIZES] = { 4 * 1024, 64 * 1024 };

static const struct bench_case {
	const char *label;
	enum op op;
	size_t size; /* index into sizes and messages */
} cases[] = {
	{ "verify 4 KiB", OP_VERIFY, 0 },
	{ "verify 64 KiB", OP_VERIFY, 1 },
	{ "sign 4 KiB", OP_SIGN, 0 },
	{ "sign 64 KiB", OP_SIGN, 1 },
};
#define NCASES (sizeof(cases) / sizeof(cases[0]))

#define FIELDS_MAX 32

/* One message, unsigned and signed (inkan's reference signature first). */
struct message {
	struct inkan_buf plain; /* header_text + body: sizes[i] bytes */
	struct inkan_buf sig; /* the reference DKIM-Signature field + CRLF */
	struct inkan_buf signed_msg; /* sig + plain */
	size_t body_off; /* where the body starts in plain */
	struct bench_field plain_fields[FIELDS_MAX], signed_fields[FIELDS_MAX];
	size_t nplain_fields, nsigned_fields;
	/* The floor's input: the canonical signed header fields, the
	 * DKIM-Signature last and without its b= value or CRLF (RFC 6376
	 * 3.7), and what the reference signature says. */
	struct inkan_buf canon_headers;
	uint8_t bh[32];
	uint8_t b[SIG_BYTES];
};

static struct message messages[NSIZES];

/* Evaluates case i once; returns 0 when the result was the expected one,
 * else -1 with what it was in got. */
typedef int (*eval_fn)(void *ctx, size_t i, char *got, size_t gotlen);

/* One column of the table. */
struct column {
	const char *name;
	bool ran; /* false: skipped, why says why */
	char why[512];
	char version[64];
	eval_fn eval;
	void *ctx;
	unsigned long n[NCASES]; /* calibrated loop length */
	bool right[NCASES];
	char got[NCASES][256]; /* the first wrong result */
	double rate[NCASES]; /* messages/s; 0 when not measured */
};

/* The key, shared by every column. */
static struct {
	EVP_PKEY *pkey;
	struct inkan_buf pem; /* PKCS#1 "RSA PRIVATE KEY", NUL-terminated */
	struct inkan_buf record; /* "v=DKIM1; k=rsa; p=..." */
} key;

static _Noreturn void
die(const char *what)
{
	fprintf(stderr, "bench_dkim: %s\n", what);
	exit(1);
}

/* ---- measuring -------------------------------------------------------- */

static int
once(void *p, size_t i)
{
	struct column *col = p;

	return col->eval(col->ctx, i, col->got[i], sizeof(col->got[i]));
}

/* Each rate is the best of REPS calibrated loops, the columns in turn. */
static void
measure(struct column **cols, size_t ncols, double seconds)
{
	struct bench_timing ts[4];
	size_t c;

	for (c = 0; c < ncols && c < 4; c++)
		ts[c] = BENCH_TIMING(once, cols[c]);
	bench_measure(ts, c, NCASES, seconds, REPS);
}

/*
 * bench_dkim --loop COLUMN CASE N: case CASE of the column named COLUMN,
 * N times, nothing timed. Returns the exit status.
 */
static int
profile_loop(struct column **cols, size_t ncols, char **arg)
{
	char got[256], *end;
	unsigned long c, n, k;
	size_t i;

	c = strtoul(arg[1], &end, 10);
	if (*end != '\0' || c >= NCASES)
		die("--loop: CASE is 0-3");
	n = strtoul(arg[2], &end, 10);
	if (*end != '\0' || end == arg[2])
		die("--loop: N is a number");
	for (i = 0; i < ncols && strcmp(cols[i]->name, arg[0]) != 0; i++)
		continue;
	if (i == ncols)
		die("--loop: COLUMN is inkan, floor or libopendkim");
	for (k = 0; k < n; k++)
		if (cols[i]->eval(cols[i]->ctx, c, got, sizeof(got)) != 0) {
			fprintf(stderr, "bench_dkim: %s %s: WRONG: %s\n",
			    cols[i]->name, cases[c].label, got);
			return 1;
		}
	return 0;
}

/* ---- the key and the messages ----------------------------------------- */

/* Makes the RSA key and its PEM and DNS record. */
static void
key_make(void)
{
	unsigned char *der = NULL;
	BIO *bio = NULL;
	char *pem = NULL;
	long pemlen = 0;
	int derlen;

	if ((key.pkey = EVP_RSA_gen(KEY_BITS)) == NULL)
		die("RSA key generation failed");
	/* PKCS#1: the one PEM form all three read (dkimpy reads no other). */
	if ((bio = BIO_new(BIO_s_mem())) == NULL ||
	    PEM_write_bio_PrivateKey_traditional(
		bio, key.pkey, NULL, NULL, 0, NULL, NULL) != 1 ||
	    (pemlen = BIO_get_mem_data(bio, &pem)) <= 0)
		die("cannot write the private key");
	inkan_buf_init(&key.pem, 16384);
	inkan_buf_append(&key.pem, pem, (size_t)pemlen);
	BIO_free(bio);
	if ((derlen = i2d_PUBKEY(key.pkey, &der)) <= 0)
		die("cannot write the public key");
	inkan_buf_init(&key.record, 4096);
	inkan_buf_append_cstr(&key.record, "v=DKIM1; k=rsa; p=");
	inkan_base64_encode(der, (size_t)derlen, &key.record);
	OPENSSL_free(der);
	if (key.pem.err != INKAN_OK || key.record.err != INKAN_OK)
		die("out of memory");
	inkan_buf_cstr(&key.pem);
}

/* The floor's input for message m, from its reference signature. */
static void
floor_input(struct message *m)
{
	inkan_buf_init(&m->canon_headers, 8192);
	bench_floor_input(m->signed_msg.data, m->signed_fields,
	    m->nsigned_fields, &m->canon_headers, m->bh, m->b, sizeof(m->b));
}

/* Makes message i's unsigned form and its header field list. */
static void
message_make(size_t i)
{
	struct message *m = &messages[i];

	inkan_buf_init(&m->plain, MSG_MAX);
	inkan_buf_init(&m->sig, 8192);
	inkan_buf_init(&m->signed_msg, MSG_MAX + 8192);
	inkan_buf_append(
	    &m->plain, bench_header_text(), strlen(bench_header_text()));
	m->body_off = m->plain.len;
	bench_body_make(&m->plain, sizes[i]);
	if (m->plain.err != INKAN_OK || m->plain.len != sizes[i])
		die("cannot make the message");
	m->nplain_fields = bench_fields_find(
	    m->plain.data, m->plain.len, m->plain_fields, FIELDS_MAX);
}

/* Sets message i's reference signature (a DKIM-Signature field, any line
 * ends) and everything derived from it. */
static void
message_sign(size_t i, const uint8_t *sig, size_t len)
{
	struct message *m = &messages[i];

	inkan_buf_reset(&m->sig);
	bench_append_crlf(&m->sig, sig, len);
	inkan_buf_reset(&m->signed_msg);
	inkan_buf_append(&m->signed_msg, m->sig.data, m->sig.len);
	inkan_buf_append(&m->signed_msg, m->plain.data, m->plain.len);
	if (m->sig.err != INKAN_OK || m->signed_msg.err != INKAN_OK)
		die("out of memory");
	m->nsigned_fields = bench_fields_find(m->signed_msg.data,
	    m->signed_msg.len, m->signed_fields, FIELDS_MAX);
	floor_input(m);
}

/* ---- inkan ------------------------------------------------------------ */

struct inkan_ctx {
	struct inkan_resolver *resolver;
	struct inkan_dkim *dkim;
	struct inkan_dkim_key *key;
	struct inkan_dkim_sign_options opts;
	struct inkan_buf out[NSIZES]; /* the last signature made, per size */
};

/* Verifies msg[0..len) with inkan; returns 0 for one signature that
 * passes, else -1 with what happened in got. */
static int
inkan_check(struct inkan_dkim *dkim, const uint8_t *msg, size_t len, char *got,
    size_t gotlen)
{
	struct inkan_dkim_verify *v = NULL;
	const struct inkan_dkim_sig *sigs;
	enum inkan_status st = INKAN_OK;
	size_t off, n, count = 0;
	int rc = -1;

	if ((st = inkan_dkim_verify_new(dkim, 0, &v)) != INKAN_OK)
		goto out;
	for (off = 0; off < len; off += n) {
		n = len - off < CHUNK ? len - off : CHUNK;
		if ((st = inkan_dkim_verify_feed(v, msg + off, n)) != INKAN_OK)
			goto out;
	}
	if ((st = inkan_dkim_verify_finish(v)) != INKAN_OK)
		goto out;
	inkan_dkim_verify_results(v, &sigs, &count);
	if (count == 1 && sigs[0].result == INKAN_DKIM_PASS)
		rc = 0;
	else if (count == 0)
		snprintf(got, gotlen, "no signature found");
	else
		snprintf(got, gotlen, "%s (%s)",
		    inkan_dkim_result_name(sigs[0].result),
		    sigs[0].reason != NULL ? sigs[0].reason : "");
out:
	if (st != INKAN_OK)
		snprintf(got, gotlen, "%s: %s", inkan_strerror(st),
		    v != NULL ? inkan_dkim_verify_error(v) : "");
	inkan_dkim_verify_free(&v);
	return rc;
}

/* Signs msg[0..len) with inkan, replacing out's contents; 0 or -1. */
static int
inkan_sign_once(struct inkan_ctx *c, const uint8_t *msg, size_t len,
    struct inkan_buf *out, char *got, size_t gotlen)
{
	struct inkan_dkim_sign *s = NULL;
	enum inkan_status st;
	size_t off, n;
	int rc = -1;

	inkan_buf_reset(out);
	st = inkan_dkim_sign_new(c->dkim, &c->opts, &c->key, 1, 0, &s);
	for (off = 0; st == INKAN_OK && off < len; off += n) {
		n = len - off < CHUNK ? len - off : CHUNK;
		st = inkan_dkim_sign_feed(s, msg + off, n);
	}
	if (st == INKAN_OK)
		st = inkan_dkim_sign_finish(s, out);
	if (st == INKAN_OK && out->len > 0)
		rc = 0;
	else
		snprintf(got, gotlen, "signing failed: %s: %s",
		    inkan_strerror(st),
		    s != NULL ? inkan_dkim_sign_error(s) : "");
	inkan_dkim_sign_free(&s);
	return rc;
}

static int
inkan_eval(void *ctx, size_t i, char *got, size_t gotlen)
{
	struct inkan_ctx *c = ctx;
	struct message *m = &messages[cases[i].size];

	if (cases[i].op == OP_VERIFY)
		return inkan_check(c->dkim, m->signed_msg.data,
		    m->signed_msg.len, got, gotlen);
	return inkan_sign_once(c, m->plain.data, m->plain.len,
	    &c->out[cases[i].size], got, gotlen);
}

/* Sets up the zone with the key record, the context and the signing key.
 * Returns 0, or -1 with why filled. */
static int
inkan_open(struct column *col, struct inkan_ctx *c)
{
	struct inkan_view strings[8];
	enum inkan_status st;
	size_t i, n = 0, off;

	col->name = "inkan";
	snprintf(col->version, sizeof(col->version), "%s", inkan_version());
	col->ctx = c;
	col->eval = inkan_eval;
	for (i = 0; i < NSIZES; i++)
		inkan_buf_init(&c->out[i], 8192);
	/* RFC 6376 3.6.2.2: a record longer than 255 bytes is split into
	 * several strings of one TXT record. */
	for (off = 0; off < key.record.len && n < 8; off += 255, n++) {
		strings[n].ptr = key.record.data + off;
		strings[n].len =
		    key.record.len - off < 255 ? key.record.len - off : 255;
	}
	if ((st = inkan_resolver_new_zone(NULL, &c->resolver)) != INKAN_OK ||
	    (st = inkan_resolver_zone_add_txt(
		 c->resolver, KEY_NAME, TTL, strings, n)) != INKAN_OK ||
	    (st = inkan_dkim_new(c->resolver, NULL, NULL, &c->dkim)) !=
		INKAN_OK ||
	    (st = inkan_dkim_key_load_pem(
		 key.pem.data, key.pem.len, &c->key)) != INKAN_OK) {
		snprintf(col->why, sizeof(col->why), "setup: %s",
		    inkan_strerror(st));
		return -1;
	}
	inkan_dkim_sign_options_init(&c->opts);
	c->opts.domain = DOMAIN;
	c->opts.selector = SELECTOR;
	c->opts.headers = SIGNED_HEADERS;
	c->opts.header_canon = INKAN_DKIM_RELAXED;
	c->opts.body_canon = INKAN_DKIM_RELAXED;
	col->ran = true;
	return 0;
}

static void
inkan_close(struct inkan_ctx *c)
{
	size_t i;

	inkan_dkim_key_free(&c->key);
	inkan_dkim_free(&c->dkim);
	inkan_resolver_free(&c->resolver);
	for (i = 0; i < NSIZES; i++)
		inkan_buf_clear(&c->out[i]);
}

/* ---- libopendkim ------------------------------------------------------ */

#ifdef INKAN_HAVE_OPENDKIM
struct opendkim_ctx {
	DKIM_LIB *lib;
	struct inkan_buf out[NSIZES]; /* the last signature made, per size */
};

/* The key "lookup": the record from memory, no DNS, no file. */
static DKIM_CBSTAT
opendkim_key_lookup(DKIM *dkim, DKIM_SIGINFO *sig, u_char *buf, size_t buflen)
{
	(void)dkim;
	(void)sig;
	if (key.record.len >= buflen)
		return DKIM_CBSTAT_ERROR;
	memcpy(buf, key.record.data, key.record.len);
	buf[key.record.len] = '\0';
	return DKIM_CBSTAT_CONTINUE;
}

/* Feeds the header fields and body of msg as a milter would. */
static DKIM_STAT
opendkim_feed(DKIM *d, const uint8_t *msg, const struct bench_field *f,
    size_t nfields, size_t body_off, size_t len)
{
	DKIM_STAT st = DKIM_STAT_OK;
	size_t k, off, n;

	for (k = 0; k < nfields && st == DKIM_STAT_OK; k++)
		st = dkim_header(d, (u_char *)(msg + f[k].off), f[k].len);
	if (st == DKIM_STAT_OK)
		st = dkim_eoh(d);
	for (off = body_off; off < len && st == DKIM_STAT_OK; off += n) {
		n = len - off < CHUNK ? len - off : CHUNK;
		st = dkim_body(d, (u_char *)(msg + off), n);
	}
	return st;
}

static int
opendkim_verify(
    struct opendkim_ctx *c, const struct message *m, char *got, size_t gotlen)
{
	DKIM_STAT st;
	DKIM_SIGINFO *sig;
	DKIM *d;
	_Bool testkey = 0;
	int rc = -1;

	if ((d = dkim_verify(c->lib, (const u_char *)"bench", NULL, &st)) ==
	    NULL) {
		snprintf(got, gotlen, "dkim_verify: %s", dkim_getresultstr(st));
		return -1;
	}
	st = opendkim_feed(d, m->signed_msg.data, m->signed_fields,
	    m->nsigned_fields, m->sig.len + m->body_off, m->signed_msg.len);
	if (st == DKIM_STAT_OK)
		st = dkim_eom(d, &testkey);
	sig = dkim_getsignature(d);
	if (st == DKIM_STAT_OK && sig != NULL && DKIM_SIG_CHECK(sig))
		rc = 0;
	else
		snprintf(got, gotlen, "%s (%s)", dkim_getresultstr(st),
		    sig != NULL ? dkim_sig_geterrorstr(dkim_sig_geterror(sig))
				: "no signature");
	dkim_free(d);
	return rc;
}

static int
opendkim_sign(struct opendkim_ctx *c, const struct message *m,
    struct inkan_buf *out, char *got, size_t gotlen)
{
	static const char prefix[] = DKIM_SIGNHEADER ": ";
	DKIM_STAT st;
	u_char *hdr = NULL;
	size_t hdrlen = 0;
	DKIM *d;
	_Bool testkey = 0;
	int rc = -1;

	/* It decodes the PEM key in every signing: that is its API. */
	d = dkim_sign(c->lib, (const u_char *)"bench", NULL,
	    (dkim_sigkey_t)key.pem.data, (const u_char *)SELECTOR,
	    (const u_char *)DOMAIN, DKIM_CANON_RELAXED, DKIM_CANON_RELAXED,
	    DKIM_SIGN_RSASHA256, -1, &st);
	if (d == NULL) {
		snprintf(got, gotlen, "dkim_sign: %s", dkim_getresultstr(st));
		return -1;
	}
	st = opendkim_feed(d, m->plain.data, m->plain_fields, m->nplain_fields,
	    m->body_off, m->plain.len);
	if (st == DKIM_STAT_OK)
		st = dkim_eom(d, &testkey);
	if (st == DKIM_STAT_OK)
		st = dkim_getsighdr_d(d, sizeof(prefix) - 1, &hdr, &hdrlen);
	if (st == DKIM_STAT_OK && hdr != NULL) {
		inkan_buf_reset(out);
		inkan_buf_append(out, prefix, sizeof(prefix) - 1);
		inkan_buf_append(out, hdr, hdrlen);
		inkan_buf_append(out, "\r\n", 2);
		rc = out->err == INKAN_OK ? 0 : -1;
	}
	if (rc != 0)
		snprintf(
		    got, gotlen, "signing failed: %s", dkim_getresultstr(st));
	dkim_free(d);
	return rc;
}

static int
opendkim_eval(void *ctx, size_t i, char *got, size_t gotlen)
{
	struct opendkim_ctx *c = ctx;
	struct message *m = &messages[cases[i].size];

	if (cases[i].op == OP_VERIFY)
		return opendkim_verify(c, m, got, gotlen);
	return opendkim_sign(c, m, &c->out[cases[i].size], got, gotlen);
}

static int
opendkim_open(struct column *col, struct opendkim_ctx *c)
{
	static const char *signhdrs[NSIGNED + 1];
	uint32_t v = dkim_libversion();
	size_t i;

	col->name = "libopendkim";
	snprintf(col->version, sizeof(col->version), "%u.%u.%u", v >> 24,
	    (v >> 16) & 0xff, (v >> 8) & 0xff);
	col->ctx = c;
	col->eval = opendkim_eval;
	for (i = 0; i < NSIZES; i++)
		inkan_buf_init(&c->out[i], 8192);
	for (i = 0; i < NSIGNED; i++)
		signhdrs[i] = signed_names[i];
	signhdrs[NSIGNED] = NULL;
	if ((c->lib = dkim_init(NULL, NULL)) == NULL) {
		snprintf(col->why, sizeof(col->why), "dkim_init failed");
		return -1;
	}
	if (dkim_set_key_lookup(c->lib, opendkim_key_lookup) != DKIM_STAT_OK ||
	    dkim_options(c->lib, DKIM_OP_SETOPT, DKIM_OPTS_SIGNHDRS, signhdrs,
		sizeof(char **)) != DKIM_STAT_OK) {
		snprintf(col->why, sizeof(col->why), "dkim_options failed");
		return -1;
	}
	col->ran = true;
	return 0;
}

static void
opendkim_close(struct opendkim_ctx *c)
{
	size_t i;

	if (c->lib != NULL)
		dkim_close(c->lib);
	c->lib = NULL;
	for (i = 0; i < NSIZES; i++)
		inkan_buf_clear(&c->out[i]);
}
#endif

/* ---- the crypto floor ------------------------------------------------- */

struct floor_ctx {
	EVP_MD *sha256;
	EVP_MD_CTX *md;
	EVP_PKEY_CTX *verify, *sign;
	uint8_t out[NSIZES][SIG_BYTES]; /* the last signature made */
};

/* SHA-256 of the body, compared with bh=, then of the header fields. */
static int
floor_hash(struct floor_ctx *c, const struct message *m, uint8_t hh[32])
{
	return bench_floor_hash(c->md, c->sha256, m->plain.data + m->body_off,
	    m->plain.len - m->body_off, &m->canon_headers, m->bh, hh);
}

static int
floor_eval(void *ctx, size_t i, char *got, size_t gotlen)
{
	struct floor_ctx *c = ctx;
	const struct message *m = &messages[cases[i].size];
	uint8_t hh[32];
	size_t siglen = SIG_BYTES;

	if (floor_hash(c, m, hh) != 0) {
		snprintf(got, gotlen, "body hash differs from bh=");
		return -1;
	}
	if (cases[i].op == OP_VERIFY) {
		if (EVP_PKEY_verify(
			c->verify, m->b, sizeof(m->b), hh, sizeof(hh)) == 1)
			return 0;
		snprintf(got, gotlen, "b= does not verify");
		return -1;
	}
	if (EVP_PKEY_sign(
		c->sign, c->out[cases[i].size], &siglen, hh, sizeof(hh)) == 1 &&
	    siglen == SIG_BYTES)
		return 0;
	snprintf(got, gotlen, "RSA signing failed");
	return -1;
}

static int
floor_open(struct column *col, struct floor_ctx *c)
{
	col->name = "floor";
	snprintf(col->version, sizeof(col->version), "%s",
	    OpenSSL_version(OPENSSL_VERSION_STRING));
	col->ctx = c;
	col->eval = floor_eval;
	/* Fetched once: EVP_sha256() would be looked up in every init. */
	if ((c->sha256 = EVP_MD_fetch(NULL, "SHA256", NULL)) == NULL ||
	    (c->md = EVP_MD_CTX_new()) == NULL ||
	    (c->verify = EVP_PKEY_CTX_new(key.pkey, NULL)) == NULL ||
	    (c->sign = EVP_PKEY_CTX_new(key.pkey, NULL)) == NULL ||
	    EVP_PKEY_verify_init(c->verify) != 1 ||
	    EVP_PKEY_CTX_set_rsa_padding(c->verify, RSA_PKCS1_PADDING) != 1 ||
	    EVP_PKEY_CTX_set_signature_md(c->verify, c->sha256) != 1 ||
	    EVP_PKEY_sign_init(c->sign) != 1 ||
	    EVP_PKEY_CTX_set_rsa_padding(c->sign, RSA_PKCS1_PADDING) != 1 ||
	    EVP_PKEY_CTX_set_signature_md(c->sign, c->sha256) != 1) {
		snprintf(col->why, sizeof(col->why), "libcrypto setup failed");
		return -1;
	}
	col->ran = true;
	return 0;
}

static void
floor_close(struct floor_ctx *c)
{
	EVP_PKEY_CTX_free(c->verify);
	EVP_PKEY_CTX_free(c->sign);
	EVP_MD_CTX_free(c->md);
	EVP_MD_free(c->sha256);
}

/* ---- dkimpy ----------------------------------------------------------- */

struct dkimpy_state {
	struct column *col;
	bool seen[NCASES];
	struct inkan_buf out[NSIZES]; /* the last signature, per size */
};

static void
dkimpy_line(char *line, void *arg)
{
	struct dkimpy_state *s = arg;
	struct column *col = s->col;
	char *w[4], *end;
	unsigned long idx;
	double rate;
	size_t n;

	if (strncmp(line, "skip ", 5) == 0) {
		snprintf(col->why, sizeof(col->why), "%s", line + 5);
		return;
	}
	n = bench_split(line, w, 4);
	if (n == 2 && strcmp(w[0], "version") == 0) {
		snprintf(col->version, sizeof(col->version), "%s", w[1]);
		return;
	}
	if (n < 3)
		return;
	errno = 0;
	idx = strtoul(w[1], &end, 10);
	if (errno != 0 || *end != '\0' || idx >= NCASES)
		return;
	if (strcmp(w[0], "sighdr") == 0) {
		/* The last signature of the case, in base64. */
		struct inkan_buf *out = &s->out[cases[idx].size];

		inkan_buf_reset(out);
		if (inkan_base64_decode(w[2], strlen(w[2]), INKAN_BASE64_STRICT,
			out) != INKAN_OK)
			inkan_buf_reset(out);
		return;
	}
	if (n != 4 || strcmp(w[0], "case") != 0)
		return;
	rate = strtod(w[3], &end);
	if (*end != '\0' || !isfinite(rate) || rate < 0)
		return;
	s->seen[idx] = true;
	if (strcmp(w[2], cases[idx].op == OP_VERIFY ? "pass" : "signed") == 0) {
		col->right[idx] = true;
		col->rate[idx] = rate;
	} else {
		snprintf(col->got[idx], sizeof(col->got[idx]), "%s", w[2]);
	}
}

/* Writes p[0..len) to dir/name; the path goes to path. */
static int
write_file(const char *dir, const char *name, const void *p, size_t len,
    char *path, size_t pathlen)
{
	FILE *f;
	int ok;

	snprintf(path, pathlen, "%s/%s", dir, name);
	if ((f = fopen(path, "wb")) == NULL)
		return -1;
	ok = fwrite(p, 1, len, f) == len;
	return fclose(f) == 0 && ok ? 0 : -1;
}

/*
 * Runs dkim_dkimpy.py on the same key, record and messages (handed over
 * as files in a private temporary directory) and reads its results. A
 * missing Python or dkimpy is a skipped column, not an error.
 */
static void
dkimpy_column(struct column *col, struct dkimpy_state *s, double seconds)
{
	char dir[] = "/tmp/bench_dkim.XXXXXX";
	char paths[1 + NCASES][4096] = { { 0 } };
	char *argv[9 + 3 * NCASES + 1];
	char secs[32], reps[16];
	const char *python = bench_python();
	const struct message *m;
	size_t i, n = 0;
	int status;

	col->name = "dkimpy";
	s->col = col;
	for (i = 0; i < NSIZES; i++)
		inkan_buf_init(&s->out[i], 8192);
	if (mkdtemp(dir) == NULL) {
		snprintf(
		    col->why, sizeof(col->why), "mkdtemp: %s", strerror(errno));
		return;
	}
	snprintf(secs, sizeof(secs), "%g", seconds);
	snprintf(reps, sizeof(reps), "%d", REPS);
	argv[n++] = (char *)python;
	argv[n++] = (char *)INKAN_BENCH_DKIM_PY;
	argv[n++] = secs;
	argv[n++] = reps;
	if (write_file(dir, "key.pem", key.pem.data, key.pem.len, paths[0],
		sizeof(paths[0])) != 0)
		goto out;
	argv[n++] = paths[0];
	argv[n++] = (char *)inkan_buf_cstr(&key.record);
	argv[n++] = (char *)SELECTOR;
	argv[n++] = (char *)DOMAIN;
	argv[n++] = (char *)SIGNED_HEADERS;
	for (i = 0; i < NCASES; i++) {
		char name[32];

		m = &messages[cases[i].size];
		snprintf(name, sizeof(name), "case%zu.eml", i);
		if (cases[i].op == OP_VERIFY) {
			if (write_file(dir, name, m->signed_msg.data,
				m->signed_msg.len, paths[1 + i],
				sizeof(paths[1 + i])) != 0)
				goto out;
			argv[n++] = (char *)"verify";
		} else {
			if (write_file(dir, name, m->plain.data, m->plain.len,
				paths[1 + i], sizeof(paths[1 + i])) != 0)
				goto out;
			argv[n++] = (char *)"sign";
		}
		argv[n++] = paths[1 + i];
	}
	argv[n] = NULL;
	status =
	    bench_run_lines(argv, dkimpy_line, s, col->why, sizeof(col->why));
	if (col->why[0] != '\0')
		goto out;
	for (i = 0; i < NCASES; i++)
		if (!s->seen[i]) {
			snprintf(col->why, sizeof(col->why),
			    "%s %s gave no result for \"%s\" (exit status %d)",
			    python, INKAN_BENCH_DKIM_PY, cases[i].label,
			    status);
			goto out;
		}
	col->ran = true;
out:
	if (!col->ran && col->why[0] == '\0')
		snprintf(col->why, sizeof(col->why),
		    "cannot write the messages to %s: %s", dir,
		    strerror(errno));
	for (i = 0; i < 1 + NCASES; i++)
		if (paths[i][0] != '\0')
			unlink(paths[i]);
	rmdir(dir);
}

/* ---- checking the signatures ------------------------------------------ */

/*
 * The last signature a column made for each sign case (sigs[size]) must
 * verify with inkan when put in front of the message.
 */
static void
check_signatures(
    struct column *col, struct inkan_dkim *dkim, const struct inkan_buf *sigs)
{
	struct inkan_buf msg;
	size_t i;
	char got[200];

	if (!col->ran)
		return;
	inkan_buf_init(&msg, MSG_MAX + 8192);
	for (i = 0; i < NCASES; i++) {
		const struct message *m = &messages[cases[i].size];
		const struct inkan_buf *sig = &sigs[cases[i].size];

		if (cases[i].op != OP_SIGN || !col->right[i])
			continue;
		inkan_buf_reset(&msg);
		bench_append_crlf(&msg, sig->data, sig->len);
		inkan_buf_append(&msg, m->plain.data, m->plain.len);
		if (sig->len == 0 ||
		    inkan_check(dkim, msg.data, msg.len, got, sizeof(got)) !=
			0) {
			col->right[i] = false;
			snprintf(col->got[i], sizeof(col->got[i]),
			    "a signature inkan does not verify: %s",
			    sig->len == 0 ? "(none)" : got);
		}
	}
	inkan_buf_clear(&msg);
}

/* The floor's signature over the reference signed data must be the
 * reference b= (RSASSA-PKCS1-v1_5 is deterministic). */
static void
check_floor(struct column *col, const struct floor_ctx *c)
{
	size_t i;

	for (i = 0; i < NCASES; i++)
		if (cases[i].op == OP_SIGN && col->right[i] &&
		    memcmp(c->out[cases[i].size], messages[cases[i].size].b,
			SIG_BYTES) != 0) {
			col->right[i] = false;
			snprintf(col->got[i], sizeof(col->got[i]),
			    "signature differs from the reference b=");
		}
}

/* ---- the table -------------------------------------------------------- */

static bool
ok(const struct column *col, size_t i)
{
	return col->ran && col->right[i] && col->rate[i] > 0;
}

static void
print_rate(const struct column *col, size_t i)
{
	if (!col->ran)
		printf(" %11s", "skipped");
	else if (!col->right[i])
		printf(" %11s", "WRONG");
	else
		printf(" %11.0f", col->rate[i]);
}

/* inkan/peer for case i in a column of width, "-" when either is not
 * right. */
static void
print_ratio(const struct column *a, const struct column *b, size_t i, int width)
{
	if (ok(a, i) && ok(b, i))
		printf(" %*.1fx", width - 1, a->rate[i] / b->rate[i]);
	else
		printf(" %*s", width, "-");
}

static void
print_target(const struct column *inkan, const struct column *fl, enum op op)
{
	double lowest = INFINITY;
	size_t i;

	printf("target %s >= %.0f%% of the floor: ",
	    op == OP_VERIFY ? "verify" : "sign", TARGET_FLOOR * 100);
	for (i = 0; i < NCASES; i++) {
		if (cases[i].op != op)
			continue;
		if (!ok(inkan, i) || !ok(fl, i)) {
			printf("no ratio (a wrong result or a skipped column)"
			       "\n");
			return;
		}
		if (inkan->rate[i] / fl->rate[i] < lowest)
			lowest = inkan->rate[i] / fl->rate[i];
	}
	printf("%s (lowest %.0f%%)\n",
	    lowest >= TARGET_FLOOR ? "met" : "NOT met", lowest * 100);
}

static int
report_wrong(const struct column *col)
{
	int wrong = 0;
	size_t i;

	if (!col->ran)
		return 0;
	for (i = 0; i < NCASES; i++)
		if (!col->right[i]) {
			printf("WRONG: %s, %s: %s\n", col->name, cases[i].label,
			    col->got[i]);
			wrong++;
		}
	return wrong;
}

int
main(int argc, char **argv)
{
	struct column inkan = { 0 }, opendkim = { 0 }, fl = { 0 },
		      dkimpy = { 0 };
	struct column *cols[3];
	struct inkan_ctx ic = { 0 };
	struct floor_ctx fc = { 0 };
	struct dkimpy_state ds = { 0 };
#ifdef INKAN_HAVE_OPENDKIM
	struct opendkim_ctx oc = { 0 };
#endif
	double seconds = 1.0;
	const char *signer = "inkan";
	char where[32], got[256];
	char **loop = NULL;
	size_t i, ncols = 0;
	int cpu, wrong = 0;

	if (argc == 5 && strcmp(argv[1], "--loop") == 0)
		loop = argv + 2;
	else if (argc > 2 ||
	    (argc == 2 && bench_parse_seconds(argv[1], &seconds) != 0)) {
		fprintf(stderr,
		    "usage: bench_dkim [SECONDS (0-60]]\n"
		    "       bench_dkim --loop inkan|floor|libopendkim CASE "
		    "N\n");
		return 2;
	}
	cpu = bench_pin();
	key_make();
	for (i = 0; i < NSIZES; i++)
		message_make(i);
	if (inkan_open(&inkan, &ic) != 0)
		die(inkan.why);
	if (floor_open(&fl, &fc) != 0)
		die(fl.why);
	cols[ncols++] = &inkan;
	cols[ncols++] = &fl;
#ifdef INKAN_HAVE_OPENDKIM
	if (opendkim_open(&opendkim, &oc) != 0)
		die(opendkim.why);
	cols[ncols++] = &opendkim;
#else
	opendkim.name = "libopendkim";
	snprintf(opendkim.why, sizeof(opendkim.why),
	    "libopendkim was not found when bench_dkim was built "
	    "(scripts/install-deps --bench, then rebuild)");
#endif

	/*
	 * The reference signatures: inkan's, made once. While inkan cannot
	 * sign, libopendkim's stand in (said in the output), so that the
	 * verifiers can still be compared.
	 */
	for (i = 0; i < NSIZES; i++) {
		const struct inkan_buf *ref = &ic.out[i];

		if (inkan_sign_once(&ic, messages[i].plain.data,
			messages[i].plain.len, &ic.out[i], got,
			sizeof(got)) != 0) {
#ifdef INKAN_HAVE_OPENDKIM
			fprintf(stderr,
			    "bench_dkim: inkan cannot sign (%s); the "
			    "reference signatures are libopendkim's\n",
			    got);
			if (opendkim_sign(&oc, &messages[i], &oc.out[i], got,
				sizeof(got)) != 0)
				die(got);
			ref = &oc.out[i];
			signer = "libopendkim (inkan could not sign)";
#else
			fprintf(
			    stderr, "bench_dkim: inkan cannot sign: %s\n", got);
			return 1;
#endif
		}
		message_sign(i, ref->data, ref->len);
		if (inkan_check(ic.dkim, messages[i].signed_msg.data,
			messages[i].signed_msg.len, got, sizeof(got)) != 0)
			fprintf(stderr,
			    "bench_dkim: inkan does not verify the reference "
			    "signature: %s\n",
			    got);
	}

	if (loop != NULL)
		return profile_loop(cols, ncols, loop);
	measure(cols, ncols, seconds);
	check_signatures(&inkan, ic.dkim, ic.out);
	check_floor(&fl, &fc);
#ifdef INKAN_HAVE_OPENDKIM
	check_signatures(&opendkim, ic.dkim, oc.out);
#endif
	dkimpy_column(&dkimpy, &ds, seconds);
	check_signatures(&dkimpy, ic.dkim, ds.out);

	if (cpu >= 0)
		snprintf(where, sizeof(where), "pinned to cpu %d", cpu);
	else
		snprintf(where, sizeof(where), "not pinned");
	printf("DKIM messages/s, rsa-sha256 2048, relaxed/relaxed, one core "
	       "(%s), keys in memory, best of %d loops of >= %gs\n",
	    where, REPS, seconds);
	printf("%-13s %11s %11s %11s %11s %14s %12s %11s\n", "case", "inkan",
	    "libopendkim", "dkimpy", "floor", "inkan/opendkim", "inkan/dkimpy",
	    "inkan/floor");
	for (i = 0; i < NCASES; i++) {
		printf("%-13s", cases[i].label);
		print_rate(&inkan, i);
		print_rate(&opendkim, i);
		print_rate(&dkimpy, i);
		print_rate(&fl, i);
		print_ratio(&inkan, &opendkim, i, 14);
		print_ratio(&inkan, &dkimpy, i, 12);
		if (ok(&inkan, i) && ok(&fl, i))
			printf(" %10.0f%%", 100 * inkan.rate[i] / fl.rate[i]);
		else
			printf(" %11s", "-");
		printf("\n");
	}
	printf("messages: %zu and %zu bytes (%zu-byte header section, %zu "
	       "with the DKIM-Signature), CRLF; the verified ones signed by "
	       "%s\n",
	    sizes[0], sizes[1], messages[0].body_off,
	    messages[0].body_off + messages[0].sig.len, signer);
	printf("inkan %s: zone resolver with the key record, one struct "
	       "inkan_dkim (key cache warm), 16 KiB chunks\n",
	    inkan.version);
	if (!opendkim.ran)
		printf("libopendkim column skipped: %s\n", opendkim.why);
	else
		printf("libopendkim %s: key record from a dkim_set_key_lookup "
		       "callback (decoded per message), PEM key decoded per "
		       "signature\n",
		    opendkim.version);
	if (!dkimpy.ran)
		printf("dkimpy column skipped: %s\n", dkimpy.why);
	else
		printf("dkimpy %s: dkim.verify() with an in-memory dnsfunc, "
		       "dkim.sign() with the PEM key in memory\n",
		    dkimpy.version);
	printf("floor: libcrypto %s, SHA-256 of body and signed headers + "
	       "one RSA-2048 verify / sign, contexts made once\n",
	    fl.version);
	bench_print_load();
	wrong += report_wrong(&inkan);
	wrong += report_wrong(&opendkim);
	wrong += report_wrong(&dkimpy);
	wrong += report_wrong(&fl);
	print_target(&inkan, &fl, OP_VERIFY);
	print_target(&inkan, &fl, OP_SIGN);

	for (i = 0; i < NSIZES; i++) {
		inkan_buf_clear(&messages[i].plain);
		inkan_buf_clear(&messages[i].sig);
		inkan_buf_clear(&messages[i].signed_msg);
		inkan_buf_clear(&messages[i].canon_headers);
		inkan_buf_clear(&ds.out[i]);
	}
	inkan_close(&ic);
	floor_close(&fc);
#ifdef INKAN_HAVE_OPENDKIM
	opendkim_close(&oc);
#endif
	EVP_PKEY_free(key.pkey);
	inkan_buf_clear(&key.pem);
	inkan_buf_clear(&key.record);
	return wrong > 0 ? 1 : 0;
}
