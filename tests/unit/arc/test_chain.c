/*
 * test_chain.c: chain validation (RFC 8617 5.2) and sealing (5.1) end to
 * end: messages are sealed by forwarders whose keys are in a zone
 * resolver, then validated as they are, fed in pieces, and tampered with.
 * Includes the limits (50 instances, RFC 8617 4.2.1) and hostile chains
 * (gaps, duplicates, cv= rules).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <inkan/arc.h>
#include <inkan/dns.h>

#define NCASES(a) (sizeof(a) / sizeof((a)[0]))
#define MSG_MAX (1u << 20)

static const char message[] =
    "Authentication-Results: mx.example.org; spf=pass "
    "smtp.mailfrom=a@example.com\r\n"
    "Authentication-Results: mx.example.org; dkim=pass header.d=example.com\r\n"
    "Authentication-Results: evil.example; dmarc=pass\r\n"
    "From: Alice <a@example.com>\r\n"
    "To: list@example.org\r\n"
    "Subject: test_chain\r\n"
    "Date: Mon, 23 Nov 2026 06:00:00 +0000\r\n"
    "\r\n"
    "Hello,\r\n"
    "  a body  with  spaces \r\n"
    "\r\n"
    "\r\n";

/* Three forwarders: Ed25519 keys made here, one RSA key from the tests'
   data; their records in one zone. */
struct fixture {
	struct inkan_resolver *r;
	struct inkan_dkim *dkim;
	struct inkan_arc *arc;
	struct inkan_dkim_key *keys[3];
};

static const char *const domains[3] = { "one.example", "two.example",
	"rsa.example" };

static void
add_key(struct fixture *fx, size_t k, const char *domain)
{
	struct inkan_buf rec;
	char name[256];
	struct inkan_view strings[4];
	size_t n = 0, off = 0;

	inkan_buf_init(&rec, 4096);
	assert_int_equal(inkan_dkim_key_record(fx->keys[k], &rec), INKAN_OK);
	while (off < rec.len) {
		size_t len = rec.len - off > 255 ? 255 : rec.len - off;

		strings[n++] = inkan_view_make(rec.data + off, len);
		off += len;
	}
	snprintf(name, sizeof(name), "sel._domainkey.%s", domain);
	assert_int_equal(
	    inkan_resolver_zone_add_txt(fx->r, name, 300, strings, n),
	    INKAN_OK);
	inkan_buf_clear(&rec);
}

static int
setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	struct inkan_buf pem;
	size_t k;

	if (fx == NULL)
		return -1;
	inkan_buf_init(&pem, 16384);
	for (k = 0; k < 2; k++) {
		inkan_buf_reset(&pem);
		if (inkan_dkim_keygen(INKAN_DKIM_KEY_ED25519, 0, &pem) !=
			INKAN_OK ||
		    inkan_dkim_key_load_pem(pem.data, pem.len, &fx->keys[k]) !=
			INKAN_OK)
			return -1;
	}
	inkan_buf_clear(&pem);
	if (inkan_dkim_key_load_file(INKAN_SOURCE_DIR
		"/tests/data/arc/arc2026.private",
		&fx->keys[2]) != INKAN_OK ||
	    inkan_resolver_new_zone(NULL, &fx->r) != INKAN_OK ||
	    inkan_dkim_new(fx->r, NULL, NULL, &fx->dkim) != INKAN_OK ||
	    inkan_arc_new(fx->dkim, &fx->arc) != INKAN_OK)
		return -1;
	for (k = 0; k < 3; k++)
		add_key(fx, k, domains[k]);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *fx = *state;
	size_t k;

	for (k = 0; k < 3; k++)
		inkan_dkim_key_free(&fx->keys[k]);
	inkan_arc_free(&fx->arc);
	inkan_dkim_free(&fx->dkim);
	inkan_resolver_free(&fx->r);
	free(fx);
	return 0;
}

/* What a validation gave, copied out of the verifier. */
struct got {
	enum inkan_arc_cv cv;
	size_t count;
	unsigned oldest_pass;
	char reason[300];
};

/* Validates m[0..n), fed chunk bytes at a time (0: at once). */
static struct got
validate_with(struct inkan_arc *arc, const void *m, size_t n, size_t chunk)
{
	struct inkan_arc_verify *v = NULL;
	const struct inkan_arc_result *r;
	struct got g;
	size_t off = 0, k;

	memset(&g, 0, sizeof(g));
	assert_int_equal(inkan_arc_verify_new(arc, 0, &v), INKAN_OK);
	while (off < n) {
		k = chunk == 0 || n - off < chunk ? n - off : chunk;
		assert_int_equal(
		    inkan_arc_verify_feed(v, (const uint8_t *)m + off, k),
		    INKAN_OK);
		off += k;
	}
	assert_null(inkan_arc_verify_result(v));
	assert_int_equal(inkan_arc_verify_finish(v), INKAN_OK);
	assert_int_equal(inkan_arc_verify_finish(v), INKAN_ERR_STATE);
	assert_int_equal(inkan_arc_verify_feed(v, "x", 1), INKAN_ERR_STATE);
	r = inkan_arc_verify_result(v);
	assert_non_null(r);
	assert_non_null(r->reason);
	g.cv = r->cv;
	g.count = r->count;
	g.oldest_pass = r->oldest_pass;
	snprintf(g.reason, sizeof(g.reason), "%s", r->reason);
	inkan_arc_verify_free(&v);
	assert_null(v);
	return g;
}

static struct got
validate(struct fixture *fx, const struct inkan_buf *m)
{
	return validate_with(fx->arc, m->data, m->len, 0);
}

/*
 * Seals m in place with forwarder k (the new set in front); o may be
 * NULL for the defaults. Returns the status; *added_r whether a set was
 * added.
 */
static enum inkan_status
seal_with(struct inkan_arc *arc, struct inkan_dkim_key *key, const char *domain,
    const struct inkan_arc_seal_options *o, struct inkan_buf *m, bool *added_r)
{
	struct inkan_arc_seal_options so;
	struct inkan_arc_seal *s = NULL;
	struct inkan_buf out;
	enum inkan_status st;

	if (o != NULL)
		so = *o;
	else {
		inkan_arc_seal_options_init(&so);
		so.authserv_id = "mx.example.org";
		so.timestamp = 1700000000;
	}
	so.domain = domain;
	so.selector = "sel";
	inkan_buf_init(&out, MSG_MAX);
	*added_r = false;
	st = inkan_arc_seal_new(arc, &so, key, 0, &s);
	if (st == INKAN_OK)
		st = inkan_arc_seal_feed(s, m->data, m->len);
	if (st == INKAN_OK)
		st = inkan_arc_seal_finish(s, &out);
	if (st == INKAN_OK && (*added_r = inkan_arc_seal_added(s))) {
		assert_int_equal(
		    inkan_buf_append(&out, m->data, m->len), INKAN_OK);
		inkan_buf_reset(m);
		assert_int_equal(
		    inkan_buf_append(m, out.data, out.len), INKAN_OK);
	}
	inkan_arc_seal_free(&s);
	inkan_buf_clear(&out);
	return st;
}

static void
seal(struct fixture *fx, size_t k, struct inkan_buf *m)
{
	bool added;

	assert_int_equal(
	    seal_with(fx->arc, fx->keys[k], domains[k], NULL, m, &added),
	    INKAN_OK);
	assert_true(added);
}

static void
start(struct inkan_buf *m)
{
	inkan_buf_init(m, MSG_MAX);
	assert_int_equal(
	    inkan_buf_append(m, message, sizeof(message) - 1), INKAN_OK);
}

static void
test_none(void **state)
{
	struct fixture *fx = *state;
	struct inkan_buf m;
	struct got g;

	start(&m);
	g = validate(fx, &m);
	assert_int_equal(g.cv, INKAN_ARC_NONE);
	assert_int_equal(g.count, 0);
	/* No header section at all, and no body. */
	g = validate_with(fx->arc, "", 0, 0);
	assert_int_equal(g.cv, INKAN_ARC_NONE);
	g = validate_with(fx->arc, "From: a\r\n", 9, 0);
	assert_int_equal(g.cv, INKAN_ARC_NONE);
	inkan_buf_clear(&m);
}

/* Each forwarder seals; the chain passes after each, RSA and Ed25519. */
static void
test_chain_grows(void **state)
{
	struct fixture *fx = *state;
	struct inkan_arc_verify *v = NULL;
	const struct inkan_arc_result *r;
	struct inkan_buf m;
	struct got g;
	size_t i;

	start(&m);
	for (i = 0; i < 5; i++) {
		seal(fx, i % 3, &m);
		g = validate(fx, &m);
		if (g.cv != INKAN_ARC_PASS || g.count != i + 1 ||
		    g.oldest_pass != 0)
			fail_msg("after %zu seals: got %s, %zu sets, "
				 "oldest-pass %u (%s); want pass, %zu, 0",
			    i + 1, inkan_arc_cv_name(g.cv), g.count,
			    g.oldest_pass, g.reason, i + 1);
	}
	/* The per-set details. */
	assert_int_equal(inkan_arc_verify_new(fx->arc, 0, &v), INKAN_OK);
	assert_int_equal(inkan_arc_verify_feed(v, m.data, m.len), INKAN_OK);
	assert_int_equal(inkan_arc_verify_finish(v), INKAN_OK);
	r = inkan_arc_verify_result(v);
	for (i = 0; i < r->count; i++) {
		const struct inkan_arc_set *s = &r->sets[i];

		assert_int_equal(s->instance, i + 1);
		assert_int_equal(
		    s->as_cv, i == 0 ? INKAN_ARC_NONE : INKAN_ARC_PASS);
		assert_string_equal(s->as.domain, domains[i % 3]);
		assert_string_equal(s->ams.selector, "sel");
		assert_int_equal(s->as.algorithm,
		    i % 3 == 2 ? INKAN_DKIM_RSA_SHA256
			       : INKAN_DKIM_ED25519_SHA256);
		assert_true(s->as.verified);
		assert_true(s->ams.verified);
		assert_int_equal(s->as.key_bits, i % 3 == 2 ? 2048 : 256);
		assert_int_equal(s->as.timestamp, 1700000000);
		/* Our A-R fields, merged; evil.example's left out. */
		/* As written (folded), from the start of the payload. */
		assert_true(
		    strncmp(s->aar, "mx.example.org; spf=pass", 24) == 0);
		assert_non_null(strstr(s->aar,
		    "smtp.mailfrom=a@example.com; dkim=pass "
		    "header.d=example.com"));
		assert_null(strstr(s->aar, "evil"));
		assert_string_equal(s->aar_authserv_id, "mx.example.org");
		assert_non_null(strstr(s->ams_headers, "from"));
	}
	inkan_arc_verify_free(&v);
	inkan_buf_clear(&m);
}

/* The same result whatever the chunk sizes. */
static void
test_chunks(void **state)
{
	static const size_t chunks[] = { 1, 2, 3, 7, 64, 1000, 0 };
	struct fixture *fx = *state;
	struct inkan_buf m;
	struct got g;
	size_t i;

	start(&m);
	seal(fx, 0, &m);
	seal(fx, 2, &m);
	seal(fx, 1, &m);
	for (i = 0; i < NCASES(chunks); i++) {
		g = validate_with(fx->arc, m.data, m.len, chunks[i]);
		if (g.cv != INKAN_ARC_PASS || g.count != 3)
			fail_msg("chunk %zu: got %s (%s), want pass", chunks[i],
			    inkan_arc_cv_name(g.cv), g.reason);
	}
	inkan_buf_clear(&m);
}

/* Replaces the first "from" in m with "to" (same length or not). */
static bool
replace(struct inkan_buf *m, const char *from, const char *to)
{
	struct inkan_buf out;
	const char *p = strstr(inkan_buf_cstr(m), from);
	size_t at;

	if (p == NULL)
		return false;
	at = (size_t)((const uint8_t *)p - m->data);
	inkan_buf_init(&out, MSG_MAX);
	inkan_buf_append(&out, m->data, at);
	inkan_buf_append_cstr(&out, to);
	inkan_buf_append_cstr(&out, p + strlen(from));
	inkan_buf_reset(m);
	inkan_buf_append(m, out.data, out.len);
	inkan_buf_clear(&out);
	return true;
}

/* RFC 8617 5.2 step 5: oldest-pass is the oldest AMS from which on
   every AMS verifies. */
static void
test_oldest_pass(void **state)
{
	struct fixture *fx = *state;
	struct inkan_arc_seal_options o;
	struct inkan_buf m;
	struct got g;
	bool added;

	start(&m);
	seal(fx, 0, &m);
	seal(fx, 1, &m);
	/* A forwarder changes the Subject, which both AMS signed, then
	   seals without signing it. */
	assert_true(replace(&m, "Subject: test_chain", "Subject: [list] x"));
	g = validate(fx, &m);
	assert_int_equal(g.cv, INKAN_ARC_FAIL);
	inkan_arc_seal_options_init(&o);
	o.authserv_id = "mx.example.org";
	o.headers = "from:to:date";
	o.timestamp = 5;
	assert_int_equal(
	    seal_with(fx->arc, fx->keys[2], domains[2], &o, &m, &added),
	    INKAN_OK);
	assert_true(added);
	/* The chain it sealed failed: cv=fail, and so does the result. */
	g = validate(fx, &m);
	assert_int_equal(g.cv, INKAN_ARC_FAIL);
	assert_non_null(strstr(g.reason, "cv=fail"));
	inkan_buf_clear(&m);

	/* Now the change comes before a seal that does not sign it. */
	start(&m);
	seal(fx, 0, &m);
	assert_true(replace(&m, "Subject: test_chain", "Subject: [list] x"));
	assert_int_equal(
	    seal_with(fx->arc, fx->keys[1], domains[1], &o, &m, &added),
	    INKAN_OK);
	assert_true(added);
	/* i=1's AMS fails: sealed with cv=fail by a validating sealer. */
	g = validate(fx, &m);
	assert_int_equal(g.cv, INKAN_ARC_FAIL);
	inkan_buf_clear(&m);

	/* An intermediary that does not validate (a sealer takes its cv
	   from validation, so build the case by hand): i=1 AMS broken after
	   i=2 sealed with cv=pass over it; the newest AMS does not sign
	   the Subject, so the chain passes with oldest-pass 2. */
	start(&m);
	seal(fx, 0, &m);
	assert_int_equal(
	    seal_with(fx->arc, fx->keys[1], domains[1], &o, &m, &added),
	    INKAN_OK);
	assert_true(replace(&m, "Subject: test_chain", "Subject: [list] x"));
	g = validate(fx, &m);
	if (g.cv != INKAN_ARC_PASS || g.oldest_pass != 2)
		fail_msg("got %s oldest-pass %u (%s), want pass 2",
		    inkan_arc_cv_name(g.cv), g.oldest_pass, g.reason);
	seal(fx, 2, &m);
	g = validate(fx, &m);
	if (g.cv != INKAN_ARC_PASS || g.oldest_pass != 2 || g.count != 3)
		fail_msg("i=3: got %s oldest-pass %u (%s), want pass 2",
		    inkan_arc_cv_name(g.cv), g.oldest_pass, g.reason);
	inkan_buf_clear(&m);
}

/* Hostile and broken chains: {name, from, to, want cv, reason word}. */
struct tamper_case {
	const char *name;
	const char *from, *to; /* first occurrence replaced */
	enum inkan_arc_cv want;
	const char *why;
};

static const struct tamper_case tamper_cases[] = {
	{ "body changed", "Hello,", "Hullo,", INKAN_ARC_FAIL, "body hash" },
	{ "signed header changed", "To: list@example.org", "To: x@example.org",
	    INKAN_ARC_FAIL, "does not verify" },
	{ "unsigned header added",
	    "Date:", "X-Added: 1\r\nDate:", INKAN_ARC_PASS, "valid" },
	{ "AAR i=1 removed", "ARC-Authentication-Results: i=1;", "X-Gone: i=1;",
	    INKAN_ARC_FAIL, "no ARC-Authentication-Results" },
	{ "AAR i=1 made i=3 (a gap and a duplicate)",
	    "ARC-Authentication-Results: i=1;",
	    "ARC-Authentication-Results: i=3;", INKAN_ARC_FAIL, "i=" },
	{ "AAR i=1 results changed", "i=1; mx.example.org; spf=pass",
	    "i=1; mx.example.org; spf=fail", INKAN_ARC_FAIL, "ARC-Seal i=" },
	{ "AS i=2 duplicated", "ARC-Seal: ",
	    "ARC-Seal: i=2; a=rsa-sha256; cv=pass; d=x.example; s=s; b=AAAA\r\n"
	    "ARC-Seal: ",
	    INKAN_ARC_FAIL, "two ARC-Seal" },
	{ "AS i=2 says cv=none (RFC 8617 5.2 step 3.3)", "cv=pass", "cv=none",
	    INKAN_ARC_FAIL, "step 3.3" },
	{ "AS i=2 says cv=fail (step 2)", "cv=pass", "cv=fail", INKAN_ARC_FAIL,
	    "step 2" },
	{ "AS i=1 says cv=pass", "cv=none", "cv=pass", INKAN_ARC_FAIL,
	    "step 3.3" },
	{ "AS with h=", "ARC-Seal: ", "ARC-Seal: h=from; ", INKAN_ARC_FAIL,
	    "h=" },
	{ "AS i=51", "ARC-Seal: ",
	    "ARC-Seal: i=51; a=rsa-sha256; cv=pass; d=x.example; s=s; "
	    "b=AAAA\r\nARC-Seal: ",
	    INKAN_ARC_FAIL, "step 1" },
	{ "AMS i=2 signs ARC-Seal", "h=from", "h=arc-seal:from", INKAN_ARC_FAIL,
	    "signs ARC-Seal" },
	{ "AS i=2 key missing", "d=two.example", "d=none.example",
	    INKAN_ARC_FAIL, "no key" },
};

static void
test_tamper(void **state)
{
	struct fixture *fx = *state;
	struct inkan_buf good, m;
	struct got g;
	size_t i;

	start(&good);
	seal(fx, 0, &good);
	seal(fx, 1, &good);
	inkan_buf_init(&m, MSG_MAX);
	for (i = 0; i < NCASES(tamper_cases); i++) {
		const struct tamper_case *c = &tamper_cases[i];

		inkan_buf_reset(&m);
		inkan_buf_append(&m, good.data, good.len);
		if (!replace(&m, c->from, c->to))
			fail_msg(
			    "%s: \"%s\" not in the message", c->name, c->from);
		g = validate(fx, &m);
		if (g.cv != c->want || strstr(g.reason, c->why) == NULL)
			fail_msg("%s: got %s (%s), want %s (... %s ...)",
			    c->name, inkan_arc_cv_name(g.cv), g.reason,
			    inkan_arc_cv_name(c->want), c->why);
	}
	inkan_buf_clear(&m);
	inkan_buf_clear(&good);
}

/* RFC 8617 4.2.1: 50 sets at most; a sealer cannot add a 51st. */
static void
test_limits(void **state)
{
	struct fixture *fx = *state;
	struct inkan_limits lim;
	struct inkan_dkim *dkim = NULL;
	struct inkan_arc *arc = NULL;
	struct inkan_buf m;
	struct got g;
	bool added;
	size_t i;

	start(&m);
	for (i = 0; i < INKAN_ARC_INSTANCES_MAX; i++)
		seal(fx, i % 2, &m);
	g = validate(fx, &m);
	if (g.cv != INKAN_ARC_PASS || g.count != 50)
		fail_msg("50 sets: got %s, %zu (%s)", inkan_arc_cv_name(g.cv),
		    g.count, g.reason);
	assert_int_equal(
	    seal_with(fx->arc, fx->keys[0], domains[0], NULL, &m, &added),
	    INKAN_ERR_LIMIT);
	assert_false(added);
	inkan_buf_clear(&m);

	/* A lower limit from the caller's struct inkan_limits. */
	inkan_limits_default(&lim);
	lim.arc_instances_max = 2;
	assert_int_equal(inkan_dkim_new(fx->r, &lim, NULL, &dkim), INKAN_OK);
	assert_int_equal(inkan_arc_new(dkim, &arc), INKAN_OK);
	start(&m);
	for (i = 0; i < 2; i++) {
		assert_int_equal(
		    seal_with(arc, fx->keys[0], domains[0], NULL, &m, &added),
		    INKAN_OK);
		assert_true(added);
	}
	assert_int_equal(
	    seal_with(arc, fx->keys[0], domains[0], NULL, &m, &added),
	    INKAN_ERR_LIMIT);
	g = validate_with(arc, m.data, m.len, 0);
	assert_int_equal(g.cv, INKAN_ARC_PASS);
	seal(fx, 1, &m);
	g = validate_with(arc, m.data, m.len, 0);
	assert_int_equal(g.cv, INKAN_ARC_FAIL);
	assert_non_null(strstr(g.reason, "step 1"));
	inkan_arc_free(&arc);
	inkan_dkim_free(&dkim);
	inkan_buf_clear(&m);
}

/* The chain's key lookup budget (arc_key_lookups_max), with the key
   cache off so that every check is a lookup. */
static void
test_lookup_budget(void **state)
{
	static const struct {
		size_t budget;
		enum inkan_arc_cv want;
		unsigned oldest;
	} cases[] = {
		{ 4, INKAN_ARC_PASS, 0 }, /* AMS 2, AS 2, AS 1, AMS 1 */
		{ 3, INKAN_ARC_PASS, 2 }, /* AMS 1 (oldest-pass) not checked */
		{ 2, INKAN_ARC_FAIL, 0 }, /* AS 1 not checked */
		{ 0, INKAN_ARC_FAIL, 0 },
	};
	struct fixture *fx = *state;
	struct inkan_limits lim;
	struct inkan_dkim *dkim = NULL;
	struct inkan_arc *arc = NULL;
	struct inkan_buf m;
	struct got g;
	size_t i;

	start(&m);
	seal(fx, 0, &m);
	seal(fx, 1, &m);
	for (i = 0; i < NCASES(cases); i++) {
		inkan_limits_default(&lim);
		lim.dkim_key_cache_max = 0;
		lim.arc_key_lookups_max = cases[i].budget;
		assert_int_equal(
		    inkan_dkim_new(fx->r, &lim, NULL, &dkim), INKAN_OK);
		assert_int_equal(inkan_arc_new(dkim, &arc), INKAN_OK);
		g = validate_with(arc, m.data, m.len, 0);
		if (g.cv != cases[i].want || g.oldest_pass != cases[i].oldest)
			fail_msg("budget %zu: got %s oldest-pass %u (%s), "
				 "want %s %u",
			    cases[i].budget, inkan_arc_cv_name(g.cv),
			    g.oldest_pass, g.reason,
			    inkan_arc_cv_name(cases[i].want), cases[i].oldest);
		inkan_arc_free(&arc);
		inkan_dkim_free(&dkim);
	}
	inkan_buf_clear(&m);
}

/* Options the sealer refuses, and the AAR it builds. */
struct opt_case {
	const char *name;
	const char *domain, *selector, *authserv_id, *aar_results, *headers;
	int64_t timestamp;
};

static const struct opt_case bad_options[] = {
	{ "no domain", NULL, "sel", "mx", NULL, NULL, 0 },
	{ "no selector", "a.example", NULL, "mx", NULL, NULL, 0 },
	{ "domain with a space", "a .example", "sel", "mx", NULL, NULL, 0 },
	{ "empty label", "a..example", "sel", "mx", NULL, NULL, 0 },
	{ "no authserv-id nor results", "a.example", "sel", NULL, NULL, NULL,
	    0 },
	{ "authserv-id with ;", "a.example", "sel", "mx;x", NULL, NULL, 0 },
	{ "authserv-id with CRLF", "a.example", "sel", "mx\r\nX: y", NULL, NULL,
	    0 },
	{ "results with LF", "a.example", "sel", NULL, "mx; spf=pass\nX: y",
	    NULL, 0 },
	{ "h= with ARC-Seal", "a.example", "sel", "mx", NULL, "from:arc-seal",
	    0 },
	{ "h= with the AAR", "a.example", "sel", "mx", NULL,
	    "from:ARC-Authentication-Results", 0 },
	{ "h= with an A-R", "a.example", "sel", "mx", NULL,
	    "from:authentication-results", 0 },
	{ "h= with an empty name", "a.example", "sel", "mx", NULL, "from::to",
	    0 },
	{ "timestamp -2", "a.example", "sel", "mx", NULL, NULL, -2 },
};

static void
test_options(void **state)
{
	struct fixture *fx = *state;
	struct inkan_arc_seal_options o;
	struct inkan_arc_seal *s = NULL;
	struct inkan_buf m, out;
	size_t i;
	bool added;

	for (i = 0; i < NCASES(bad_options); i++) {
		const struct opt_case *c = &bad_options[i];

		inkan_arc_seal_options_init(&o);
		o.domain = c->domain;
		o.selector = c->selector;
		o.authserv_id = c->authserv_id;
		o.aar_results = c->aar_results;
		o.headers = c->headers;
		o.timestamp = c->timestamp;
		if (inkan_arc_seal_new(fx->arc, &o, fx->keys[0], 0, &s) !=
		    INKAN_ERR_INVAL)
			fail_msg("%s: accepted", c->name);
		assert_null(s);
	}
	inkan_arc_seal_options_init(&o);
	o.domain = "a.example";
	o.selector = "sel";
	o.authserv_id = "mx";
	assert_int_equal(
	    inkan_arc_seal_new(fx->arc, &o, fx->keys[0], 1u << 5, &s),
	    INKAN_ERR_INVAL);

	/* The caller's own payload, and no t=. */
	start(&m);
	inkan_buf_init(&out, MSG_MAX);
	inkan_arc_seal_options_init(&o);
	o.domain = domains[0];
	o.selector = "sel";
	o.aar_results = "relay.example; arc=none; spf=pass "
			"smtp.mailfrom=a@example.com";
	o.timestamp = -1;
	assert_int_equal(
	    inkan_arc_seal_new(fx->arc, &o, fx->keys[0], 0, &s), INKAN_OK);
	assert_null(inkan_arc_seal_chain(s));
	assert_int_equal(inkan_arc_seal_feed(s, m.data, m.len), INKAN_OK);
	assert_int_equal(inkan_arc_seal_finish(s, &out), INKAN_OK);
	assert_int_equal(inkan_arc_seal_finish(s, &out), INKAN_ERR_STATE);
	assert_true(inkan_arc_seal_added(s));
	assert_int_equal(inkan_arc_seal_chain(s)->cv, INKAN_ARC_NONE);
	assert_non_null(strstr(inkan_buf_cstr(&out),
	    "ARC-Authentication-Results: i=1; relay.example; arc=none;"));
	assert_null(strstr(inkan_buf_cstr(&out), "t="));
	/* AS, AMS, AAR in that order, CRLF. */
	assert_true(strncmp(inkan_buf_cstr(&out), "ARC-Seal: ", 10) == 0);
	assert_true(
	    strstr(inkan_buf_cstr(&out), "\r\nARC-Message-Signature: ") <
	    strstr(inkan_buf_cstr(&out), "\r\nARC-Authentication-Results: "));
	assert_null(strstr(inkan_buf_cstr(&out), "\n\n"));
	inkan_arc_seal_free(&s);
	inkan_buf_append(&out, m.data, m.len);
	assert_int_equal(
	    validate_with(fx->arc, out.data, out.len, 0).cv, INKAN_ARC_PASS);
	inkan_buf_clear(&out);

	/* No A-R of ours: the AAR says none (RFC 8601 2.2). */
	inkan_arc_seal_options_init(&o);
	o.authserv_id = "nobody.example";
	o.timestamp = 1;
	assert_int_equal(
	    seal_with(fx->arc, fx->keys[1], domains[1], &o, &m, &added),
	    INKAN_OK);
	assert_non_null(strstr(inkan_buf_cstr(&m),
	    "ARC-Authentication-Results: i=1; nobody.example; none\r\n"));
	inkan_buf_clear(&m);

	/* A quoted authserv-id is the same id (RFC 8601 2.2: authserv-id =
	   value, a token or quoted-string): its results go into the AAR. */
	inkan_buf_init(&m, MSG_MAX);
	inkan_buf_append_cstr(&m,
	    "Authentication-Results: \"quoted.example\"; "
	    "spf=pass smtp.mailfrom=a@example.com\r\n");
	inkan_buf_append(&m, message, sizeof(message) - 1);
	inkan_arc_seal_options_init(&o);
	o.authserv_id = "quoted.example";
	o.timestamp = 1;
	assert_int_equal(
	    seal_with(fx->arc, fx->keys[1], domains[1], &o, &m, &added),
	    INKAN_OK);
	assert_non_null(strstr(inkan_buf_cstr(&m),
	    "ARC-Authentication-Results: i=1; quoted.example; spf=pass"));
	inkan_buf_clear(&m);
}

/* LF line endings in and out with INKAN_DKIM_ALLOW_LF. */
static void
test_lf(void **state)
{
	struct fixture *fx = *state;
	struct inkan_arc_seal_options o;
	struct inkan_arc_seal *s = NULL;
	struct inkan_arc_verify *v = NULL;
	struct inkan_buf m, out;
	size_t i;

	inkan_buf_init(&m, MSG_MAX);
	for (i = 0; i < sizeof(message) - 1; i++)
		if (message[i] != '\r')
			inkan_buf_append_byte(&m, (uint8_t)message[i]);
	inkan_buf_init(&out, MSG_MAX);
	inkan_arc_seal_options_init(&o);
	o.domain = domains[2];
	o.selector = "sel";
	o.authserv_id = "mx.example.org";
	assert_int_equal(inkan_arc_seal_new(
			     fx->arc, &o, fx->keys[2], INKAN_DKIM_ALLOW_LF, &s),
	    INKAN_OK);
	assert_int_equal(inkan_arc_seal_feed(s, m.data, m.len), INKAN_OK);
	assert_int_equal(inkan_arc_seal_finish(s, &out), INKAN_OK);
	assert_null(memchr(out.data, '\r', out.len));
	inkan_buf_append(&out, m.data, m.len);
	assert_int_equal(
	    inkan_arc_verify_new(fx->arc, INKAN_DKIM_ALLOW_LF, &v), INKAN_OK);
	assert_int_equal(inkan_arc_verify_feed(v, out.data, out.len), INKAN_OK);
	assert_int_equal(inkan_arc_verify_finish(v), INKAN_OK);
	assert_int_equal(inkan_arc_verify_result(v)->cv, INKAN_ARC_PASS);
	inkan_arc_verify_free(&v);
	inkan_arc_seal_free(&s);
	inkan_buf_clear(&out);
	inkan_buf_clear(&m);
}

/* A malformed header section is an error of feed, not a verdict. */
static void
test_errors(void **state)
{
	struct fixture *fx = *state;
	struct inkan_arc_verify *v = NULL;
	static const char bad[] = "From a@example.com\r\n\r\nbody\r\n";

	assert_int_equal(inkan_arc_verify_new(NULL, 0, &v), INKAN_ERR_INVAL);
	assert_int_equal(
	    inkan_arc_verify_new(fx->arc, 1u << 7, &v), INKAN_ERR_INVAL);
	assert_int_equal(inkan_arc_verify_new(fx->arc, 0, &v), INKAN_OK);
	assert_int_not_equal(
	    inkan_arc_verify_feed(v, bad, sizeof(bad) - 1), INKAN_OK);
	assert_true(inkan_arc_verify_error(v)[0] != '\0');
	assert_int_not_equal(inkan_arc_verify_finish(v), INKAN_OK);
	assert_null(inkan_arc_verify_result(v));
	inkan_arc_verify_free(&v);
	inkan_arc_verify_free(&v);
	{
		struct inkan_arc *arc = NULL;

		assert_int_equal(inkan_arc_new(NULL, &arc), INKAN_ERR_INVAL);
		assert_null(arc);
		inkan_arc_free(&arc);
	}
}

struct authres_case {
	const char *name;
	enum inkan_arc_cv cv;
	unsigned oldest;
	const char *ip;
	enum inkan_status want_st;
	const char *want;
};

static const struct authres_case authres_cases[] = {
	{ "pass", INKAN_ARC_PASS, 0, NULL, INKAN_OK,
	    "arc=pass header.oldest-pass=0" },
	{ "pass, oldest 2, IPv4", INKAN_ARC_PASS, 2, "192.0.2.1", INKAN_OK,
	    "arc=pass header.oldest-pass=2 smtp.remote-ip=192.0.2.1" },
	{ "fail, IPv6", INKAN_ARC_FAIL, 0, "2001:db8::1", INKAN_OK,
	    "arc=fail smtp.remote-ip=2001:db8::1" },
	{ "none", INKAN_ARC_NONE, 0, NULL, INKAN_OK, "arc=none" },
	{ "not an address", INKAN_ARC_PASS, 0, "192.0.2.1; x=y",
	    INKAN_ERR_INVAL, "" },
};

static void
test_authres(void **state)
{
	struct inkan_arc_result r;
	struct inkan_buf out;
	size_t i;

	(void)state;
	inkan_buf_init(&out, 256);
	for (i = 0; i < NCASES(authres_cases); i++) {
		const struct authres_case *c = &authres_cases[i];
		enum inkan_status st;

		memset(&r, 0, sizeof(r));
		r.cv = c->cv;
		r.oldest_pass = c->oldest;
		r.reason = "x";
		inkan_buf_reset(&out);
		st = inkan_arc_result_authres(&r, c->ip, &out);
		if (st != c->want_st ||
		    strcmp(inkan_buf_cstr(&out), c->want) != 0)
			fail_msg("%s: got %s \"%s\", want %s \"%s\"", c->name,
			    inkan_strerror(st), inkan_buf_cstr(&out),
			    inkan_strerror(c->want_st), c->want);
	}
	inkan_buf_clear(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_none),
		cmocka_unit_test(test_chain_grows),
		cmocka_unit_test(test_chunks),
		cmocka_unit_test(test_oldest_pass),
		cmocka_unit_test(test_tamper),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_lookup_budget),
		cmocka_unit_test(test_options),
		cmocka_unit_test(test_lf),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_authres),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
