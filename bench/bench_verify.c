/*
 * bench_verify: the whole receiving-side pipeline (lib/verify: SPF, DKIM,
 * ARC when the message has a set, DMARC, Authentication-Results) in
 * messages per second on one core, on the bench corpus of bench_dkim (a
 * 4 KiB and a 64 KiB message with an 803-byte header section, rsa-sha256
 * 2048, relaxed/relaxed), and the 4 KiB one again with an ARC set from a
 * forwarder; printed beside the DKIM crypto floor for the same message,
 * measured with libcrypto in the same run.
 *
 * The floor is what no verifier can avoid for the DKIM signature: SHA-256
 * of the canonical body, SHA-256 of the canonical signed header fields,
 * one RSA-2048 verification (bench_common.h: bench_floor_input(),
 * bench_floor_hash(), as bench_dkim measures it). For the ARC case the
 * floor is still that of the DKIM signature alone: the ARC set costs two
 * more RSA verifications and a body hash, which the ratio shows.
 *
 * inkan: one struct inkan_verifier for the whole run over the zone
 * resolver holding the SPF, DMARC and key records (TTL a day), so the SPF
 * record cache, DKIM key cache and DMARC record cache are warm after the
 * first message; per message inkan_verify_begin(), feed in 16 KiB chunks,
 * finish, the results checked, free. Every message must give spf=pass,
 * one dkim=pass, dmarc=pass (and arc=pass for the ARC case) and a
 * non-empty Authentication-Results field; every floor evaluation must
 * match bh= and verify b=. A wrong result is printed, no ratio is printed
 * for it, and the exit status is 1.
 *
 * A third column, DKIM alone, is inkan's DKIM verification of the same
 * input (inkan_dkim_verify_*): the pipeline's rate over it is what SPF,
 * ARC, DMARC, the From parse and the field cost on top.
 *
 * Each rate is the best of REPS loops of at least SECONDS (argument 1,
 * default 1) each, the loop length calibrated first; the columns take
 * turns loop by loop. Nothing is asserted on time.
 *
 * Usage: bench_verify [SECONDS].
 */
#include "bench_common.h"

#include <arpa/inet.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <stdbool.h>
#include <stdint.h>

#include <inkan/arc.h>
#include <inkan/dkim.h>
#include <inkan/dns.h>
#include <inkan/verify.h>

#define REPS 3
#define CHUNK 16384
#define DOMAIN "example.com"
#define SELECTOR "bench"
#define FWD_DOMAIN "forwarder.example.net"
#define FWD_SELECTOR "arc"
#define KEY_BITS 2048
#define SIG_BYTES (KEY_BITS / 8)
#define TTL 86400 /* longer than any run: every cache stays warm */
#define MSG_MAX (64 * 1024 + 16384)
#define FIELDS_MAX 32
#define CLIENT_IP "192.0.2.25" /* mail-out.example.com in the corpus */
#define MAIL_FROM "bounces@example.com"

/* The same h= as bench_dkim: the corpus's fields, each once. */
#define SIGNED_HEADERS                                                  \
	"from:to:cc:subject:date:message-id:mime-version:content-type:" \
	"content-transfer-encoding:list-unsubscribe"

static const struct bench_case {
	const char *label;
	size_t size;
	bool arc;
} cases[] = {
	{ "4 KiB", 4 * 1024, false },
	{ "64 KiB", 64 * 1024, false },
	{ "4 KiB + ARC set", 4 * 1024, true },
};
#define NCASES (sizeof(cases) / sizeof(cases[0]))

/* One message of the run. */
struct message {
	struct inkan_buf plain; /* header text + body */
	size_t body_off;
	struct inkan_buf dkim_signed; /* DKIM-Signature + plain */
	struct inkan_buf input; /* what the pipeline reads (ARC set on top
				   for the ARC case) */
	/* The floor's input, from the DKIM-Signature. */
	struct bench_field fields[FIELDS_MAX];
	size_t nfields;
	struct inkan_buf canon_headers;
	uint8_t bh[32];
	uint8_t b[SIG_BYTES];
};

static struct message messages[NCASES];

/* Evaluates case i once; 0 when right, else -1 with what it was. */
typedef int (*eval_fn)(void *ctx, size_t i, char *got, size_t gotlen);

struct column {
	const char *name;
	eval_fn eval;
	void *ctx;
	unsigned long n[NCASES];
	bool right[NCASES];
	char got[NCASES][256];
	double rate[NCASES];
};

static struct {
	EVP_PKEY *pkey; /* the sender's key, for the floor */
	struct inkan_dkim_key *sender, *forwarder;
	struct inkan_buf sender_record, forwarder_record;
} keys;

/* ---- measuring (as bench_dkim) ----------------------------------------- */

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

/* ---- keys, zone, messages ---------------------------------------------- */

/* A new RSA key as an inkan key and its DNS record; *pkey_r keeps the
 * libcrypto form when not NULL. */
static void
key_make(
    struct inkan_dkim_key **key_r, struct inkan_buf *record, EVP_PKEY **pkey_r)
{
	EVP_PKEY *pkey;
	BIO *bio;
	char *pem = NULL;
	long pemlen;

	if ((pkey = EVP_RSA_gen(KEY_BITS)) == NULL)
		bench_die("RSA key generation failed");
	if ((bio = BIO_new(BIO_s_mem())) == NULL ||
	    PEM_write_bio_PrivateKey(bio, pkey, NULL, NULL, 0, NULL, NULL) !=
		1 ||
	    (pemlen = BIO_get_mem_data(bio, &pem)) <= 0 ||
	    inkan_dkim_key_load_pem(pem, (size_t)pemlen, key_r) != INKAN_OK)
		bench_die("cannot load the private key");
	BIO_free(bio);
	inkan_buf_init(record, 4096);
	if (inkan_dkim_key_record(*key_r, record) != INKAN_OK)
		bench_die("cannot make the key record");
	if (pkey_r != NULL)
		*pkey_r = pkey;
	else
		EVP_PKEY_free(pkey);
}

/* Adds record (split into 255-byte strings) at name. */
static void
zone_txt(
    struct inkan_resolver *r, const char *name, const uint8_t *p, size_t len)
{
	struct inkan_view s[16];
	size_t n = 0, off;

	for (off = 0; off < len && n < 16; off += 255, n++) {
		s[n].ptr = p + off;
		s[n].len = len - off < 255 ? len - off : 255;
	}
	if (inkan_resolver_zone_add_txt(r, name, TTL, s, n) != INKAN_OK)
		bench_die("cannot add a zone record");
}

static struct inkan_resolver *
zone_make(void)
{
	struct inkan_resolver *r = NULL;
	static const char spf[] = "v=spf1 ip4:192.0.2.0/24 -all";
	static const char dmarc[] =
	    "v=DMARC1; p=reject; rua=mailto:dmarc@example.com";

	if (inkan_resolver_new_zone(NULL, &r) != INKAN_OK)
		bench_die("cannot make the zone resolver");
	zone_txt(r, DOMAIN, (const uint8_t *)spf, sizeof(spf) - 1);
	zone_txt(
	    r, "_dmarc." DOMAIN, (const uint8_t *)dmarc, sizeof(dmarc) - 1);
	zone_txt(r, SELECTOR "._domainkey." DOMAIN, keys.sender_record.data,
	    keys.sender_record.len);
	zone_txt(r, FWD_SELECTOR "._domainkey." FWD_DOMAIN,
	    keys.forwarder_record.data, keys.forwarder_record.len);
	return r;
}

/* DKIM-signs m->plain into m->dkim_signed with the sender's key. */
static void
dkim_sign(struct inkan_dkim *dkim, struct message *m)
{
	struct inkan_dkim_sign_options o;
	struct inkan_dkim_sign *s = NULL;
	struct inkan_dkim_key *k = keys.sender;

	inkan_dkim_sign_options_init(&o);
	o.domain = DOMAIN;
	o.selector = SELECTOR;
	o.headers = SIGNED_HEADERS;
	o.header_canon = INKAN_DKIM_RELAXED;
	o.body_canon = INKAN_DKIM_RELAXED;
	inkan_buf_init(&m->dkim_signed, MSG_MAX);
	if (inkan_dkim_sign_new(dkim, &o, &k, 1, 0, &s) != INKAN_OK ||
	    inkan_dkim_sign_feed(s, m->plain.data, m->plain.len) != INKAN_OK ||
	    inkan_dkim_sign_finish(s, &m->dkim_signed) != INKAN_OK)
		bench_die("inkan cannot DKIM-sign the corpus");
	inkan_dkim_sign_free(&s);
	inkan_buf_append(&m->dkim_signed, m->plain.data, m->plain.len);
	if (m->dkim_signed.err != INKAN_OK)
		bench_die("out of memory");
}

/* Puts an ARC set from the forwarder on m->dkim_signed into m->input.
 * Returns 0, or -1 with why. */
static int
arc_seal(struct inkan_arc *arc, struct message *m, char *why, size_t len)
{
	struct inkan_arc_seal_options o;
	struct inkan_arc_seal *s = NULL;
	enum inkan_status st;

	inkan_arc_seal_options_init(&o);
	o.domain = FWD_DOMAIN;
	o.selector = FWD_SELECTOR;
	o.aar_results = FWD_DOMAIN "; spf=pass smtp.mailfrom=" MAIL_FROM
				   "; dkim=pass header.d=" DOMAIN;
	if ((st = inkan_arc_seal_new(arc, &o, keys.forwarder, 0, &s)) !=
		INKAN_OK ||
	    (st = inkan_arc_seal_feed(
		 s, m->dkim_signed.data, m->dkim_signed.len)) != INKAN_OK ||
	    (st = inkan_arc_seal_finish(s, &m->input)) != INKAN_OK ||
	    !inkan_arc_seal_added(s)) {
		snprintf(why, len, "ARC sealing failed: %s",
		    s != NULL && *inkan_arc_seal_error(s) != '\0'
			? inkan_arc_seal_error(s)
			: inkan_strerror(st));
		inkan_arc_seal_free(&s);
		return -1;
	}
	inkan_arc_seal_free(&s);
	inkan_buf_append(&m->input, m->dkim_signed.data, m->dkim_signed.len);
	return m->input.err == INKAN_OK ? 0 : -1;
}

/* ---- the pipeline ------------------------------------------------------ */

struct inkan_ctx {
	struct inkan_verifier *vf;
	struct inkan_verify_envelope env;
};

static int
inkan_eval(void *ctx, size_t i, char *got, size_t gotlen)
{
	struct inkan_ctx *c = ctx;
	const struct message *m = &messages[i];
	struct inkan_verify_msg *vm = NULL;
	const struct inkan_dkim_sig *sigs;
	const struct inkan_spf_verdict *spf;
	const struct inkan_dmarc_verdict *d;
	const struct inkan_arc_result *arc;
	size_t off, n, nsigs;
	int rc = -1;

	if (inkan_verify_begin(c->vf, &c->env, 0, &vm) != INKAN_OK) {
		snprintf(got, gotlen, "begin failed");
		return -1;
	}
	for (off = 0; off < m->input.len; off += n) {
		n = m->input.len - off < CHUNK ? m->input.len - off : CHUNK;
		if (inkan_verify_feed(vm, m->input.data + off, n) != INKAN_OK)
			break;
	}
	if (inkan_verify_finish(vm) != INKAN_OK) {
		snprintf(got, gotlen, "%s", inkan_verify_error(vm));
		goto out;
	}
	spf = inkan_verify_spf(vm);
	inkan_verify_dkim(vm, &sigs, &nsigs);
	d = inkan_verify_dmarc(vm);
	arc = inkan_verify_arc(vm);
	if (spf->result != INKAN_SPF_PASS || nsigs != 1 ||
	    sigs[0].result != INKAN_DKIM_PASS ||
	    d->result != INKAN_DMARC_PASS ||
	    (cases[i].arc && (arc == NULL || arc->cv != INKAN_ARC_PASS)) ||
	    inkan_verify_authres(vm)[0] == '\0') {
		snprintf(got, gotlen, "spf=%s dkim=%s (%zu) arc=%s dmarc=%s",
		    inkan_spf_result_name(spf->result),
		    nsigs > 0 ? inkan_dkim_result_name(sigs[0].result) : "-",
		    nsigs, arc != NULL ? inkan_arc_cv_name(arc->cv) : "-",
		    inkan_dmarc_result_name(d->result));
		goto out;
	}
	rc = 0;
out:
	inkan_verify_msg_free(&vm);
	return rc;
}

/* ---- DKIM alone ---------------------------------------------------------- */

/* inkan's DKIM verification of the same message, without the rest of the
 * pipeline: what the pipeline adds over it is SPF, ARC, DMARC, the From
 * parse and the field. */
static int
dkim_eval(void *ctx, size_t i, char *got, size_t gotlen)
{
	struct inkan_dkim *dkim = ctx;
	const struct message *m = &messages[i];
	struct inkan_dkim_verify *v = NULL;
	const struct inkan_dkim_sig *sigs;
	size_t off, n, nsigs = 0;
	int rc = -1;

	if (inkan_dkim_verify_new(dkim, 0, &v) != INKAN_OK) {
		snprintf(got, gotlen, "verify_new failed");
		return -1;
	}
	for (off = 0; off < m->input.len; off += n) {
		n = m->input.len - off < CHUNK ? m->input.len - off : CHUNK;
		if (inkan_dkim_verify_feed(v, m->input.data + off, n) !=
		    INKAN_OK)
			break;
	}
	if (inkan_dkim_verify_finish(v) == INKAN_OK) {
		inkan_dkim_verify_results(v, &sigs, &nsigs);
		if (nsigs == 1 && sigs[0].result == INKAN_DKIM_PASS)
			rc = 0;
	}
	if (rc != 0)
		snprintf(got, gotlen, "%s", inkan_dkim_verify_error(v));
	inkan_dkim_verify_free(&v);
	return rc;
}

/* ---- the crypto floor -------------------------------------------------- */

struct floor_ctx {
	EVP_MD *sha256;
	EVP_MD_CTX *md;
	EVP_PKEY_CTX *verify;
};

static int
floor_eval(void *ctx, size_t i, char *got, size_t gotlen)
{
	struct floor_ctx *c = ctx;
	const struct message *m = &messages[i];
	uint8_t hh[32];

	if (bench_floor_hash(c->md, c->sha256, m->plain.data + m->body_off,
		m->plain.len - m->body_off, &m->canon_headers, m->bh,
		hh) != 0) {
		snprintf(got, gotlen, "body hash differs from bh=");
		return -1;
	}
	if (EVP_PKEY_verify(c->verify, m->b, sizeof(m->b), hh, sizeof(hh)) !=
	    1) {
		snprintf(got, gotlen, "b= does not verify");
		return -1;
	}
	return 0;
}

static void
floor_open(struct floor_ctx *c)
{
	if ((c->sha256 = EVP_MD_fetch(NULL, "SHA256", NULL)) == NULL ||
	    (c->md = EVP_MD_CTX_new()) == NULL ||
	    (c->verify = EVP_PKEY_CTX_new(keys.pkey, NULL)) == NULL ||
	    EVP_PKEY_verify_init(c->verify) != 1 ||
	    EVP_PKEY_CTX_set_rsa_padding(c->verify, RSA_PKCS1_PADDING) != 1 ||
	    EVP_PKEY_CTX_set_signature_md(c->verify, c->sha256) != 1)
		bench_die("libcrypto setup failed");
}

static void
floor_close(struct floor_ctx *c)
{
	EVP_PKEY_CTX_free(c->verify);
	EVP_MD_CTX_free(c->md);
	EVP_MD_free(c->sha256);
}

/* ---- main -------------------------------------------------------------- */

static int
report_wrong(const struct column *col)
{
	int wrong = 0;
	size_t i;

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
	struct column inkan = { 0 }, dk = { 0 }, fl = { 0 };
	struct column *cols[3] = { &inkan, &dk, &fl };
	struct inkan_ctx ic = { 0 };
	struct floor_ctx fc = { 0 };
	struct inkan_verify_options vo;
	struct inkan_resolver *zone;
	struct inkan_dkim *dkim = NULL;
	struct inkan_arc *arc = NULL;
	double seconds = 1.0;
	char arc_why[512] = "";
	size_t i;
	int cpu, wrong = 0;

	if (argc > 2 ||
	    (argc == 2 && bench_parse_seconds(argv[1], &seconds) != 0)) {
		fprintf(stderr, "usage: bench_verify [SECONDS (0-60]]\n");
		return 2;
	}
	cpu = bench_pin();
	key_make(&keys.sender, &keys.sender_record, &keys.pkey);
	key_make(&keys.forwarder, &keys.forwarder_record, NULL);
	zone = zone_make();
	if (inkan_dkim_new(zone, NULL, NULL, &dkim) != INKAN_OK ||
	    inkan_arc_new(dkim, &arc) != INKAN_OK)
		bench_die("cannot make the signing contexts");
	for (i = 0; i < NCASES; i++) {
		struct message *m = &messages[i];

		inkan_buf_init(&m->plain, MSG_MAX);
		inkan_buf_append_cstr(&m->plain, bench_header_text());
		m->body_off = m->plain.len;
		bench_body_make(&m->plain, cases[i].size);
		if (m->plain.err != INKAN_OK || m->plain.len != cases[i].size)
			bench_die("cannot make the message");
		dkim_sign(dkim, m);
		m->nfields = bench_fields_find(m->dkim_signed.data,
		    m->dkim_signed.len, m->fields, FIELDS_MAX);
		inkan_buf_init(&m->canon_headers, 8192);
		bench_floor_input(m->dkim_signed.data, m->fields, m->nfields,
		    &m->canon_headers, m->bh, m->b, sizeof(m->b));
		inkan_buf_init(&m->input, MSG_MAX + 16384);
		if (!cases[i].arc)
			inkan_buf_append(
			    &m->input, m->dkim_signed.data, m->dkim_signed.len);
		else if (arc_seal(arc, m, arc_why, sizeof(arc_why)) != 0)
			inkan_buf_append(
			    &m->input, m->dkim_signed.data, m->dkim_signed.len);
	}
	inkan_arc_free(&arc);

	inkan_verify_options_init(&vo);
	vo.authserv_id = "mx.example.org";
	if (inkan_verifier_new(zone, NULL, &vo, &ic.vf) != INKAN_OK)
		bench_die("cannot make the verifier");
	if (inkan_spf_ip_parse(CLIENT_IP, &ic.env.ip) != INKAN_OK)
		bench_die("bad client address");
	ic.env.helo = "mail-out.example.com";
	ic.env.mail_from = MAIL_FROM;
	ic.env.rcpt_to = "bob@example.org";
	inkan.name = "inkan";
	inkan.eval = inkan_eval;
	inkan.ctx = &ic;
	dk.name = "inkan dkim";
	dk.eval = dkim_eval;
	dk.ctx = dkim;
	floor_open(&fc);
	fl.name = "floor";
	fl.eval = floor_eval;
	fl.ctx = &fc;

	measure(cols, 3, seconds);

	printf("full pipeline (SPF + DKIM + DMARC, ARC when present) "
	       "messages/s, one core");
	if (cpu >= 0)
		printf(" (pinned to cpu %d)", cpu);
	printf(", warm caches, best of %d loops of >= %gs\n", REPS, seconds);
	printf("%-18s %10s %12s %12s %12s %12s\n", "case", "pipeline",
	    "DKIM alone", "DKIM floor", "pipe/floor", "pipe/DKIM");
	for (i = 0; i < NCASES; i++) {
		const struct column *c3[3] = { &inkan, &dk, &fl };
		size_t k;

		printf("%-18s", cases[i].label);
		for (k = 0; k < 3; k++)
			if (c3[k]->right[i])
				printf(
				    " %*.0f", k == 0 ? 10 : 12, c3[k]->rate[i]);
			else
				printf(" %*s", k == 0 ? 10 : 12, "WRONG");
		if (inkan.right[i] && fl.right[i] && fl.rate[i] > 0)
			printf(" %11.0f%%", 100 * inkan.rate[i] / fl.rate[i]);
		if (inkan.right[i] && dk.right[i] && dk.rate[i] > 0)
			printf(" %11.0f%%", 100 * inkan.rate[i] / dk.rate[i]);
		putchar('\n');
	}
	printf("messages: %zu and %zu bytes (%zu-byte header section), CRLF, "
	       "DKIM-signed by inkan (rsa-sha256 2048, relaxed/relaxed)\n",
	    cases[0].size, cases[1].size, strlen(bench_header_text()));
	if (arc_why[0] != '\0')
		printf("ARC case: %s (the message went without the set)\n",
		    arc_why);
	else
		printf("ARC case: one ARC set (i=1, cv=none) by " FWD_DOMAIN
		       " on top, rsa-sha256 2048\n");
	printf("inkan %s: one struct inkan_verifier over the zone resolver "
	       "(SPF, DMARC records, keys; TTL 1 day), 16 KiB chunks, client "
	       "%s, MAIL FROM %s\n",
	    inkan_version(), CLIENT_IP, MAIL_FROM);
	printf("DKIM floor: libcrypto %s, SHA-256 of body and signed headers "
	       "+ one RSA-2048 verify, contexts made once\n",
	    OpenSSL_version(OPENSSL_VERSION_STRING));
	printf("DKIM alone: inkan_dkim_verify over the same input (one "
	       "struct inkan_dkim, key cache warm), 16 KiB chunks\n");
	bench_print_load();
	wrong += report_wrong(&inkan);
	wrong += report_wrong(&dk);
	wrong += report_wrong(&fl);
	inkan_dkim_free(&dkim);

	floor_close(&fc);
	inkan_verifier_free(&ic.vf);
	inkan_resolver_free(&zone);
	inkan_dkim_key_free(&keys.sender);
	inkan_dkim_key_free(&keys.forwarder);
	EVP_PKEY_free(keys.pkey);
	inkan_buf_clear(&keys.sender_record);
	inkan_buf_clear(&keys.forwarder_record);
	for (i = 0; i < NCASES; i++) {
		inkan_buf_clear(&messages[i].plain);
		inkan_buf_clear(&messages[i].dkim_signed);
		inkan_buf_clear(&messages[i].input);
		inkan_buf_clear(&messages[i].canon_headers);
	}
	return wrong > 0 ? 1 : 0;
}
