/*
 * dkim_dkimpy.c: the key and message files of dkimpy's tests
 * (INKAN_TESTSUITES_DIR/dkim-dkimpy/data; the suite's README says what
 * each file is and what dkimpy's tests expect).
 *
 * - Static vectors: signed messages verified with the DNS records the
 *   README names (RFC 8463 example re-signed by dkimpy, a Gmail message
 *   with unusual folding, an Exim Ed25519 signature), an unsigned one.
 * - Key pairs: every private key signs a message (relaxed/relaxed and
 *   simple/simple) and the signature verifies with the matching record:
 *   PKCS#1 and PKCS#8 RSA, raw Ed25519 seeds, p= as SubjectPublicKeyInfo
 *   and as a bare RSAPublicKey, k= left out (RFC 6376 3.6.1: rsa).
 * - Bad records served for a good signature never pass: bad v=, unknown
 *   k=, truncated p=, a service type other than email (RFC 6376 3.6.1).
 * - A message without From cannot be signed (RFC 6376 5.4); a d= that is
 *   not a domain name does not verify; Windows-1258 bytes round-trip.
 *
 * The files are stored with LF line endings: they are fed with
 * INKAN_DKIM_ALLOW_LF, as from any file on disk.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dkim_support.h"

#define SUITE "dkim-dkimpy"
#define DATA SUITE "/data"

/* Gmail's 2012 key, as dkimpy's test serves it (the README). */
#define GMAIL_2012                                                             \
	"k=rsa; "                                                              \
	"p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA1Kd87/UeJjenpabgbF"     \
	"wh+eBCsSTrqmwIYYvywlbhbqoo2DymndFkbjOVIPIldNs/m40KF+yzMn1skyoxcTUGCQ" \
	"s8g3FgD2Ap3ZB5DekAo5wMmk4wimDO+U8QzI3SD07y2+07wlNWwIt8svnxgdxGkVbbhz" \
	"Y8i+RQ9DpSVpPbF7ykQxtKXkv/ahW3KjViiAH+ghvvIhkx4xYSIc9oSwVmAl5OctMEeW" \
	"Uwg8Istjqz8BZeTWbf41fbNhte7Y+YqZOwq1Sd0DbvYAD9NOZK9vlfuac0598HY+vtSB" \
	"czUiKERHv1yRbcaQtZFh5wtiRrN04BLUTD21MycBX5jYchHjPY/wIDAQAB"
#define RFC8032_RECORD \
	"v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="

static char dir[4096];
static struct suite_counts counts;

/* Adds record text (split into 255-byte strings) at name. */
static bool
add_record(
    struct inkan_resolver *r, const char *name, const uint8_t *p, size_t len)
{
	struct inkan_view s[32];
	size_t n = 0, off = 0;

	while (len > 0 && (p[len - 1] == '\n' || p[len - 1] == '\r'))
		len--;
	do {
		size_t k = len - off < 255 ? len - off : 255;

		if (n == 32)
			return false;
		s[n++] = inkan_view_make(p + off, k);
		off += k;
	} while (off < len);
	return inkan_resolver_zone_add_txt(r, name, 300, s, n) == INKAN_OK;
}

/* A zone resolver answering name with the record in file (or text). */
static struct inkan_resolver *
zone_with(const char *name, const char *file, const char *text)
{
	struct inkan_resolver *r = NULL;
	struct inkan_buf b;
	bool ok;

	inkan_buf_init(&b, SUITE_FILE_MAX);
	if (inkan_resolver_new_zone(NULL, &r) != INKAN_OK)
		goto bad;
	if (file != NULL)
		ok = suite_read_file(dir, file, &b) &&
		    add_record(r, name, b.data, b.len);
	else
		ok = add_record(r, name, (const uint8_t *)text, strlen(text));
	if (!ok)
		goto bad;
	inkan_buf_clear(&b);
	return r;
bad:
	inkan_buf_clear(&b);
	inkan_resolver_free(&r);
	return NULL;
}

/*
 * Verifies msg (LF) with r; checks the results against want[0..nwant)
 * (a set of acceptable results per signature, in header order).
 */
static void
check_verify(const char *what, struct inkan_resolver *r,
    const struct inkan_buf *msg, const unsigned *want, size_t nwant)
{
	struct inkan_dkim *dkim = NULL;
	struct inkan_dkim_verify *v = NULL;
	const struct inkan_dkim_sig *sigs;
	enum inkan_status st;
	char set[128];
	size_t n, i;

	if (r == NULL || inkan_dkim_new(r, NULL, NULL, &dkim) != INKAN_OK) {
		suite_fail(&counts, "%s: cannot set up", what);
		return;
	}
	st = dkim_verify_bytes(
	    dkim, msg->data, msg->len, INKAN_DKIM_ALLOW_LF, 0, &v);
	if (st != INKAN_OK) {
		suite_fail(&counts, "%s: verify: %s (%s)", what,
		    inkan_strerror(st), inkan_dkim_verify_error(v));
		goto out;
	}
	inkan_dkim_verify_results(v, &sigs, &n);
	if (n != nwant) {
		suite_fail(&counts, "%s: got %zu signatures, want %zu", what, n,
		    nwant);
		goto out;
	}
	if (n == 0)
		suite_ok(&counts, "%s: no signature (none)", what);
	for (i = 0; i < n; i++) {
		dkim_result_set_name(want[i], set, sizeof(set));
		if ((want[i] & DKIM_R(sigs[i].result)) == 0)
			suite_fail(&counts,
			    "%s: signature %zu (s=%s): got %s (%s), "
			    "want %s",
			    what, i + 1,
			    sigs[i].selector ? sigs[i].selector : "-",
			    inkan_dkim_result_name(sigs[i].result),
			    sigs[i].reason, set);
		else
			suite_ok(&counts,
			    "%s: signature %zu (s=%s %s): %s (%s)", what, i + 1,
			    sigs[i].selector ? sigs[i].selector : "-",
			    inkan_dkim_algorithm_name(sigs[i].algorithm),
			    inkan_dkim_result_name(sigs[i].result),
			    sigs[i].reason);
	}
out:
	inkan_dkim_verify_free(&v);
	inkan_dkim_free(&dkim);
}

/* The signed message (signatures then msg) in out; false on failure. */
static bool
sign_msg(const char *keyfile, const char *domain, const char *selector,
    enum inkan_dkim_canon canon, const struct inkan_buf *msg,
    struct inkan_buf *out, const char **why_r)
{
	struct inkan_dkim_sign_options so;
	struct inkan_dkim *dkim = NULL;
	struct inkan_dkim_key *key = NULL;
	struct inkan_dkim_sign *s = NULL;
	char path[4400];
	enum inkan_status st;
	bool ok = false;

	*why_r = "";
	inkan_buf_reset(out);
	snprintf(path, sizeof(path), "%s/%s", dir, keyfile);
	if ((st = inkan_dkim_key_load_file(path, &key)) != INKAN_OK) {
		*why_r = inkan_strerror(st);
		goto out;
	}
	inkan_dkim_sign_options_init(&so);
	so.domain = domain;
	so.selector = selector;
	so.header_canon = canon;
	so.body_canon = canon;
	if ((st = inkan_dkim_new(NULL, NULL, NULL, &dkim)) != INKAN_OK ||
	    (st = inkan_dkim_sign_new(
		 dkim, &so, &key, 1, INKAN_DKIM_ALLOW_LF, &s)) != INKAN_OK) {
		*why_r = inkan_strerror(st);
		goto out;
	}
	if (inkan_dkim_sign_feed(s, msg->data, msg->len) != INKAN_OK ||
	    inkan_dkim_sign_finish(s, out) != INKAN_OK) {
		/* Static copy: s is freed below. */
		static char why[256];

		snprintf(why, sizeof(why), "%s", inkan_dkim_sign_error(s));
		*why_r = why;
		goto out;
	}
	ok = inkan_buf_append(out, msg->data, msg->len) == INKAN_OK;
out:
	inkan_dkim_sign_free(&s);
	inkan_dkim_free(&dkim);
	inkan_dkim_key_free(&key);
	return ok;
}

/* Reads data file name into b; counts a failure when it cannot. */
static bool
read_data(const char *name, struct inkan_buf *b)
{
	if (suite_read_file(dir, name, b))
		return true;
	suite_fail(&counts, "%s: cannot read", name);
	return false;
}

static const unsigned PASS = DKIM_R(INKAN_DKIM_PASS);
static const unsigned UNUSABLE =
    DKIM_R(INKAN_DKIM_PERMERROR) | DKIM_R(INKAN_DKIM_NEUTRAL);

static void
static_vectors(struct inkan_buf *msg)
{
	struct inkan_resolver *r;
	const unsigned two_pass[] = { PASS, PASS };

	/* rfc6376.signed.msg: brisbane + test at football.example.com. */
	if (read_data("rfc6376.signed.msg", msg)) {
		r = zone_with("brisbane._domainkey.football.example.com", NULL,
		    RFC8032_RECORD);
		{
			struct inkan_buf t;

			inkan_buf_init(&t, SUITE_FILE_MAX);
			if (r != NULL &&
			    (!suite_read_file(dir, "test.txt", &t) ||
				!add_record(r,
				    "test._domainkey.football.example.com",
				    t.data, t.len)))
				inkan_resolver_free(&r);
			inkan_buf_clear(&t);
		}
		check_verify("rfc6376.signed.msg (ed25519 + rsa, simple)", r,
		    msg, two_pass, 2);
		inkan_resolver_free(&r);
	}
	if (read_data("rfc6376.signed.rsa.msg", msg)) {
		r = zone_with(
		    "test._domainkey.football.example.com", "test.txt", NULL);
		check_verify("rfc6376.signed.rsa.msg", r, msg, &PASS, 1);
		inkan_resolver_free(&r);
	}
	if (read_data("test2.message", msg)) {
		/* Legal but unusual folding of the Gmail signature. */
		r = zone_with(
		    "20120113._domainkey.gmail.com", NULL, GMAIL_2012);
		check_verify(
		    "test2.message (Gmail, odd folding)", r, msg, &PASS, 1);
		inkan_resolver_free(&r);
	}
	if (read_data("ed25519test2.msg", msg)) {
		/* An independent signer: Exim's prototype Ed25519. */
		r = zone_with("sed._domainkey.test.ex", "eximtest.dns", NULL);
		check_verify(
		    "ed25519test2.msg (Exim ed25519)", r, msg, &PASS, 1);
		inkan_resolver_free(&r);
	}
	if (read_data("test.message", msg)) {
		r = zone_with("test._domainkey.example.com", "test.txt", NULL);
		check_verify("test.message (unsigned)", r, msg, NULL, 0);
		inkan_resolver_free(&r);
	}
	if (read_data("test.message.baddomain", msg)) {
		/* RFC 6376 3.5: d= is a domain name; "(" makes it none.
		 * The key is served at the odd name, so only the syntax
		 * check can stop it. */
		r = zone_with("test._domainkey.legitimate.com(.attacker.com",
		    "test.txt", NULL);
		check_verify("test.message.baddomain (d= with '(')", r, msg,
		    &UNUSABLE, 1);
		inkan_resolver_free(&r);
	}
}

/* The DKIM-Signature fields in the header section of an LF message. */
static size_t
count_dkim_fields(const struct inkan_buf *b)
{
	size_t i, n = 0;

	for (i = 0; i < b->len; i++) {
		if (i > 0 && b->data[i - 1] != '\n')
			continue;
		if (b->data[i] == '\n')
			break; /* the empty line: the body starts */
		if (inkan_view_prefix_nocase(
			inkan_view_make(b->data + i, b->len - i),
			inkan_view_cstr("DKIM-Signature:")))
			n++;
	}
	return n;
}

/*
 * Signs message msgfile with keyfile, verifies with record at name. The
 * new signature comes first and must give want; signatures the message
 * already had (message.mbox has one) have no key in this zone, so RFC
 * 6376 6.1.2 makes them PERMFAIL: permerror.
 */
static void
round_trip(const char *keyfile, const char *record_file,
    const char *record_text, const char *domain, const char *msgfile,
    unsigned want, struct inkan_buf *msg, struct inkan_buf *signed_msg)
{
	static const enum inkan_dkim_canon canons[] = { INKAN_DKIM_RELAXED,
		INKAN_DKIM_SIMPLE };
	char name[512], what[1024];
	const char *why;
	size_t i;

	if (!read_data(msgfile, msg))
		return;
	snprintf(name, sizeof(name), "test._domainkey.%s", domain);
	for (i = 0; i < 2; i++) {
		struct inkan_resolver *r;
		unsigned wants[8];
		size_t k, n;

		snprintf(what, sizeof(what), "%s signs %s (%s), %s verifies",
		    keyfile, msgfile,
		    canons[i] == INKAN_DKIM_RELAXED ? "relaxed" : "simple",
		    record_file ? record_file : "the README's record");
		if (!sign_msg(keyfile, domain, "test", canons[i], msg,
			signed_msg, &why)) {
			suite_fail(
			    &counts, "%s: signing failed: %s", what, why);
			continue;
		}
		n = 1 + count_dkim_fields(msg);
		if (n > 8) {
			suite_fail(&counts, "%s: too many signatures", what);
			continue;
		}
		wants[0] = want;
		for (k = 1; k < n; k++)
			wants[k] = DKIM_R(INKAN_DKIM_PERMERROR);
		r = zone_with(name, record_file, record_text);
		check_verify(what, r, signed_msg, wants, n);
		inkan_resolver_free(&r);
	}
}

static void
key_pairs(struct inkan_buf *msg, struct inkan_buf *signed_msg)
{
	static const struct {
		const char *key, *record_file, *record_text, *domain, *msg;
		unsigned want;
	} pairs[] = {
		{ "test.private", "test.txt", NULL, "example.com",
		    "test.message", 1u << INKAN_DKIM_PASS },
		/* k= left out: RFC 6376 3.6.1 says rsa. */
		{ "test2.private", "test2.txt", NULL, "example.com",
		    "rfc6376.msg", 1u << INKAN_DKIM_PASS },
		{ "ed25519test.key", "ed25519test.dns", NULL, "example.net",
		    "test.message", 1u << INKAN_DKIM_PASS },
		{ "rfc8032_7_1.key", NULL, RFC8032_RECORD,
		    "football.example.com", "rfc6376.msg",
		    1u << INKAN_DKIM_PASS },
		{ "1024_testkey.key", "1024_testkey_wo_markers.pub.txt", NULL,
		    "example.com", "test_extra.message",
		    1u << INKAN_DKIM_PASS },
		/* p= as a bare PKCS#1 RSAPublicKey, as dkimpy accepts. */
		{ "1024_testkey.key", "1024_testkey_wo_markers.pub.rsa.txt",
		    NULL, "example.com", "test_extra.message",
		    1u << INKAN_DKIM_PASS },
		{ "2048_testkey.key", "2048_testkey_wo_markers.pub.txt", NULL,
		    "example.com", "message.mbox", 1u << INKAN_DKIM_PASS },
		{ "2048_testkey.key", "2048_testkey_wo_markers.pub.rsa.txt",
		    NULL, "example.com", "message.mbox",
		    1u << INKAN_DKIM_PASS },
		{ "2048_testkey_PKCS8.key", "2048_testkey_PKCS8.key.pub.txt",
		    NULL, "example.com", "test.message",
		    1u << INKAN_DKIM_PASS },
		/* 8-bit Windows-1258 bytes: signed and verified as bytes. */
		{ "test.private", "test.txt", NULL, "example.com",
		    "rfc6376.w1258.msg", 1u << INKAN_DKIM_PASS },
		/* RFC 6376 3.6.1: records that cannot be used. */
		{ "test.private", "badversion.txt", NULL, "example.com",
		    "test.message",
		    (1u << INKAN_DKIM_PERMERROR) | (1u << INKAN_DKIM_NEUTRAL) },
		{ "test.private", "badk.txt", NULL, "example.com",
		    "test.message",
		    (1u << INKAN_DKIM_PERMERROR) | (1u << INKAN_DKIM_NEUTRAL) },
		{ "test.private", "test_bad.txt", NULL, "example.com",
		    "test.message",
		    (1u << INKAN_DKIM_PERMERROR) | (1u << INKAN_DKIM_NEUTRAL) },
		/* s=tlsrpt: not for email (RFC 6376 3.6.1 s=; RFC 8460 3). */
		{ "test.private", "test_tlsrpt.txt", NULL, "example.com",
		    "test.message",
		    (1u << INKAN_DKIM_PERMERROR) | (1u << INKAN_DKIM_NEUTRAL) },
	};
	size_t i;

	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
		round_trip(pairs[i].key, pairs[i].record_file,
		    pairs[i].record_text, pairs[i].domain, pairs[i].msg,
		    pairs[i].want, msg, signed_msg);
}

static void
no_from(struct inkan_buf *msg, struct inkan_buf *signed_msg)
{
	const char *why;

	if (!read_data("test_nofrom.message", msg))
		return;
	/* RFC 6376 5.4: From MUST be signed, so it must be there. */
	if (sign_msg("test.private", "example.com", "test", INKAN_DKIM_RELAXED,
		msg, signed_msg, &why))
		suite_fail(&counts,
		    "test_nofrom.message: signed, want refused "
		    "(RFC 6376 5.4: From must be signed)");
	else
		suite_ok(
		    &counts, "test_nofrom.message: signing refused (%s)", why);
}

int
main(void)
{
	struct inkan_buf msg, signed_msg;

	if (!suite_dir(DATA, dir, sizeof(dir))) {
		printf("skip: %s is absent\n", dir);
		return 77;
	}
	inkan_buf_init(&msg, SUITE_FILE_MAX);
	inkan_buf_init(&signed_msg, 2 * SUITE_FILE_MAX);
	static_vectors(&msg);
	key_pairs(&msg, &signed_msg);
	no_from(&msg, &signed_msg);
	inkan_buf_clear(&msg);
	inkan_buf_clear(&signed_msg);
	return suite_report(&counts);
}
