/*
 * test_verify.c: the pipeline (lib/verify) over a zone resolver: a table
 * of messages and envelopes with the SPF, DKIM, DMARC results and the
 * disposition each must give; the Authentication-Results field read back
 * by lib/authres; feeding byte by byte gives what one chunk gives; the
 * caches stay warm (a second message asks DNS nothing); errors and state.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <inkan/authres.h>
#include <inkan/verify.h>

#define ZONE                                                               \
	"$ORIGIN example.com.\n"                                           \
	"@ 3600 IN TXT \"v=spf1 ip4:192.0.2.0/24 -all\"\n"                 \
	"_dmarc 3600 IN TXT \"v=DMARC1; p=reject\"\n"                      \
	"mail 3600 IN TXT \"v=spf1 ip4:192.0.2.0/24 -all\"\n"              \
	"lists 3600 IN TXT \"v=spf1 ip4:198.51.100.0/24 -all\"\n"          \
	"_dmarc.quiet.example.org. 3600 IN TXT \"v=DMARC1; p=quarantine; " \
	"t=y\"\n"                                                          \
	"bulk.example.net. 3600 IN TXT \"v=spf1 ip4:203.0.113.0/24 -all\"\n"

struct fixture {
	struct inkan_resolver *zone;
	struct inkan_dkim *dkim;
	struct inkan_dkim_key *key;
	struct inkan_verifier *vf;
};

static struct fixture fx;

static int
setup(void **state)
{
	struct inkan_buf pem, rec;
	struct inkan_verify_options o;
	struct inkan_view s;

	(void)state;
	inkan_buf_init(&pem, 8192);
	inkan_buf_init(&rec, 4096);
	if (inkan_resolver_new_zone(NULL, &fx.zone) != INKAN_OK ||
	    inkan_resolver_zone_load_string(
		fx.zone, ZONE, strlen(ZONE), NULL) != INKAN_OK ||
	    inkan_dkim_keygen(INKAN_DKIM_KEY_ED25519, 0, &pem) != INKAN_OK ||
	    inkan_dkim_key_load_pem(pem.data, pem.len, &fx.key) != INKAN_OK ||
	    inkan_dkim_key_record(fx.key, &rec) != INKAN_OK)
		return -1;
	s = inkan_buf_view(&rec);
	if (inkan_resolver_zone_add_txt(fx.zone, "sel._domainkey.example.com",
		3600, &s, 1) != INKAN_OK ||
	    inkan_dkim_new(fx.zone, NULL, NULL, &fx.dkim) != INKAN_OK)
		return -1;
	inkan_verify_options_init(&o);
	o.authserv_id = "mx.example.net";
	if (inkan_verifier_new(fx.zone, NULL, &o, &fx.vf) != INKAN_OK)
		return -1;
	inkan_buf_clear(&pem);
	inkan_buf_clear(&rec);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	inkan_verifier_free(&fx.vf);
	inkan_dkim_key_free(&fx.key);
	inkan_dkim_free(&fx.dkim);
	inkan_resolver_free(&fx.zone);
	return 0;
}

/* msg signed with d=domain (LF), into out. */
static void
sign(const char *msg, const char *domain, struct inkan_buf *out)
{
	struct inkan_dkim_sign_options o;
	struct inkan_dkim_sign *s = NULL;
	struct inkan_dkim_key *k = fx.key;

	inkan_dkim_sign_options_init(&o);
	o.domain = domain;
	o.selector = "sel";
	assert_int_equal(
	    inkan_dkim_sign_new(fx.dkim, &o, &k, 1, INKAN_DKIM_ALLOW_LF, &s),
	    INKAN_OK);
	assert_int_equal(inkan_dkim_sign_feed(s, msg, strlen(msg)), INKAN_OK);
	assert_int_equal(inkan_dkim_sign_finish(s, out), INKAN_OK);
	inkan_dkim_sign_free(&s);
	inkan_buf_append_cstr(out, msg);
}

/* Runs the pipeline over msg[0..len) in chunks of chunk bytes. */
static enum inkan_status
run(const char *ip, const char *helo, const char *mail_from, const void *msg,
    size_t len, size_t chunk, struct inkan_verify_msg **m_r)
{
	struct inkan_verify_envelope env;
	enum inkan_status st;
	size_t off, n;

	memset(&env, 0, sizeof(env));
	assert_int_equal(inkan_spf_ip_parse(ip, &env.ip), INKAN_OK);
	env.helo = helo;
	env.mail_from = mail_from;
	env.rcpt_to = "bob@example.net";
	assert_int_equal(
	    inkan_verify_begin(fx.vf, &env, INKAN_VERIFY_ALLOW_LF, m_r),
	    INKAN_OK);
	for (off = 0; off < len; off += n) {
		n = len - off < chunk ? len - off : chunk;
		if ((st = inkan_verify_feed(
			 *m_r, (const uint8_t *)msg + off, n)) != INKAN_OK)
			return st;
	}
	return inkan_verify_finish(*m_r);
}

struct pipeline_case {
	const char *name;
	const char *headers; /* the message's header fields */
	const char *signer; /* d= of a DKIM signature, or NULL */
	bool tamper; /* change the body after signing */
	const char *ip, *mail_from;
	const char *want; /* "spf dkim dmarc disposition" */
};

static const struct pipeline_case pcases[] = {
	{ "aligned spf and dkim", "From: a@example.com\n", "example.com", false,
	    "192.0.2.1", "a@example.com", "pass pass pass pass" },
	{ "dkim only (spf fails)", "From: a@example.com\n", "example.com",
	    false, "198.18.0.1", "a@example.com", "fail pass pass pass" },
	{ "spf only, subdomain aligned (relaxed)", "From: a@example.com\n",
	    NULL, false, "198.51.100.7", "list@lists.example.com",
	    "pass none pass pass" },
	{ "tampered body, spf fails", "From: a@example.com\n", "example.com",
	    true, "198.18.0.1", "a@example.com", "fail fail fail reject" },
	{ "spoofed From, spf of another domain", "From: ceo@example.com\n",
	    NULL, false, "203.0.113.5", "news@bulk.example.net",
	    "pass none fail reject" },
	{ "t=y lowers quarantine to none", "From: x@quiet.example.org\n", NULL,
	    false, "203.0.113.5", "news@bulk.example.net",
	    "pass none fail none" },
	{ "no DMARC record", "From: x@bulk.example.net\n", NULL, false,
	    "203.0.113.5", "news@bulk.example.net", "pass none none none" },
	{ "null path: SPF for postmaster@HELO", "From: a@example.com\n", NULL,
	    false, "192.0.2.1", "", "pass none pass pass" },
	{ "two From fields, two domains",
	    "From: a@example.com\n"
	    "From: b@bulk.example.net\n",
	    "example.com", false, "192.0.2.1", "a@example.com",
	    "pass pass none none" },
	{ "no From field", "To: b@example.net\n", NULL, false, "192.0.2.1",
	    "a@example.com", "pass none none none" },
};

static void
test_pipeline(void **state)
{
	char got[256], text[1024];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(pcases) / sizeof(pcases[0]); i++) {
		const struct pipeline_case *c = &pcases[i];
		struct inkan_verify_msg *m = NULL;
		const struct inkan_dkim_sig *sigs;
		const struct inkan_spf_verdict *spf;
		const struct inkan_dmarc_verdict *d;
		struct inkan_buf msg;
		char *body;
		size_t n;

		snprintf(text, sizeof(text),
		    "%sSubject: test\n\nHello, this is the body.\n",
		    c->headers);
		inkan_buf_init(&msg, 65536);
		if (c->signer != NULL)
			sign(text, c->signer, &msg);
		else
			inkan_buf_append_cstr(&msg, text);
		if (c->tamper) {
			body = strstr((char *)msg.data, "Hello");
			assert_non_null(body);
			body[0] = 'J';
		}
		assert_int_equal(run(c->ip, "mail.example.com", c->mail_from,
				     msg.data, msg.len, 4096, &m),
		    INKAN_OK);
		spf = inkan_verify_spf(m);
		inkan_verify_dkim(m, &sigs, &n);
		d = inkan_verify_dmarc(m);
		snprintf(got, sizeof(got), "%s %s %s %s",
		    inkan_spf_result_name(spf->result),
		    n > 0 ? inkan_dkim_result_name(sigs[0].result) : "none",
		    inkan_dmarc_result_name(d->result),
		    inkan_dmarc_disposition_name(d->disposition));
		if (strcmp(got, c->want) != 0) {
			print_error("%s: got \"%s\", want \"%s\"\n%s\n",
			    c->name, got, c->want, inkan_verify_authres(m));
			fail();
		}
		inkan_verify_msg_free(&m);
		assert_null(m);
		inkan_buf_clear(&msg);
	}
}

/* The field parses, and says what the accessors say. */
static void
test_authres(void **state)
{
	const char *text = "From: a@example.com\nSubject: x\n\nbody\n";
	struct inkan_verify_msg *m = NULL;
	struct inkan_authres *ar = NULL;
	struct inkan_authres_error err;
	struct inkan_buf msg;
	const char *field;
	size_t k;

	(void)state;
	inkan_buf_init(&msg, 65536);
	sign(text, "example.com", &msg);
	assert_int_equal(run("192.0.2.1", "mail.example.com", "a@example.com",
			     msg.data, msg.len, 1 << 20, &m),
	    INKAN_OK);
	field = inkan_verify_authres(m);
	if (inkan_authres_parse(field, strlen(field), INKAN_AUTHRES_WITH_NAME,
		NULL, &ar, &err) != INKAN_OK) {
		print_error("%s\nat %zu: %s\n", field, err.offset, err.message);
		fail();
	}
	assert_string_equal(ar->authserv_id, "mx.example.net");
	/* The field ends in LF, as the message was LF. */
	assert_int_equal(field[strlen(field) - 1], '\n');
	assert_int_not_equal(field[strlen(field) - 2], '\r');
	k = inkan_authres_find(ar, "spf", 0);
	assert_true(k < ar->count);
	assert_string_equal(ar->results[k].result, "pass");
	assert_string_equal(
	    inkan_authres_prop_value(&ar->results[k], "smtp", "mailfrom"),
	    "a@example.com");
	k = inkan_authres_find(ar, "dkim", 0);
	assert_true(k < ar->count);
	assert_string_equal(ar->results[k].result, "pass");
	assert_string_equal(
	    inkan_authres_prop_value(&ar->results[k], "header", "d"),
	    "example.com");
	assert_string_equal(
	    inkan_authres_prop_value(&ar->results[k], "header", "a"),
	    "ed25519-sha256");
	k = inkan_authres_find(ar, "arc", 0);
	assert_true(k < ar->count);
	assert_string_equal(ar->results[k].result, "none");
	k = inkan_authres_find(ar, "dmarc", 0);
	assert_true(k < ar->count);
	assert_string_equal(ar->results[k].result, "pass");
	assert_string_equal(
	    inkan_authres_prop_value(&ar->results[k], "header", "from"),
	    "example.com");
	assert_string_equal(
	    inkan_authres_prop_value(&ar->results[k], "policy", "dmarc"),
	    "reject");
	inkan_authres_free(&ar);
	inkan_verify_msg_free(&m);
	inkan_buf_clear(&msg);
}

/* One byte at a time gives the same field as one chunk; the second
 * message asks DNS nothing (every cache warm). */
static void
test_chunks_and_warm_caches(void **state)
{
	const char *text = "From: a@example.com\nTo: b@example.net\n"
			   "Subject: chunks\n\nline one\nline two\n";
	struct inkan_verify_msg *m1 = NULL, *m2 = NULL;
	struct inkan_buf msg;
	uint64_t q;

	(void)state;
	inkan_buf_init(&msg, 65536);
	sign(text, "example.com", &msg);
	assert_int_equal(run("192.0.2.1", "mail.example.com", "a@example.com",
			     msg.data, msg.len, msg.len, &m1),
	    INKAN_OK);
	q = inkan_resolver_queries(fx.zone);
	assert_int_equal(run("192.0.2.1", "mail.example.com", "a@example.com",
			     msg.data, msg.len, 1, &m2),
	    INKAN_OK);
	assert_string_equal(inkan_verify_authres(m1), inkan_verify_authres(m2));
	if (inkan_resolver_queries(fx.zone) != q) {
		print_error("a warm message made %llu DNS queries\n",
		    (unsigned long long)(inkan_resolver_queries(fx.zone) - q));
		fail();
	}
	inkan_verify_msg_free(&m1);
	inkan_verify_msg_free(&m2);
	inkan_buf_clear(&msg);
}

/* A message with an ARC set: arc=pass with smtp.remote-ip in the field. */
static void
test_arc(void **state)
{
	const char *text = "From: a@example.com\nSubject: arc\n\nforwarded\n";
	struct inkan_arc_seal_options o;
	struct inkan_arc_seal *s = NULL;
	struct inkan_arc *arc = NULL;
	struct inkan_verify_msg *m = NULL;
	const struct inkan_arc_result *r;
	struct inkan_buf signed_msg, sealed;
	const char *field;

	(void)state;
	inkan_buf_init(&signed_msg, 65536);
	inkan_buf_init(&sealed, 65536);
	sign(text, "example.com", &signed_msg);
	assert_int_equal(inkan_arc_new(fx.dkim, &arc), INKAN_OK);
	inkan_arc_seal_options_init(&o);
	o.domain = "example.com";
	o.selector = "sel";
	o.aar_results = "fwd.example.com; spf=pass smtp.mailfrom=a@example.com";
	assert_int_equal(
	    inkan_arc_seal_new(arc, &o, fx.key, INKAN_DKIM_ALLOW_LF, &s),
	    INKAN_OK);
	assert_int_equal(
	    inkan_arc_seal_feed(s, signed_msg.data, signed_msg.len), INKAN_OK);
	assert_int_equal(inkan_arc_seal_finish(s, &sealed), INKAN_OK);
	assert_true(inkan_arc_seal_added(s));
	inkan_arc_seal_free(&s);
	inkan_arc_free(&arc);
	inkan_buf_append(&sealed, signed_msg.data, signed_msg.len);

	assert_int_equal(run("2001:db8::25", "fwd.example.com", "a@example.com",
			     sealed.data, sealed.len, 100, &m),
	    INKAN_OK);
	r = inkan_verify_arc(m);
	assert_non_null(r);
	assert_int_equal(r->cv, INKAN_ARC_PASS);
	field = inkan_verify_authres(m);
	if (strstr(field, "arc=pass smtp.remote-ip=\"2001:db8::25\"") == NULL) {
		print_error(
		    "no arc=pass with the client address in:\n%s\n", field);
		fail();
	}
	/* SPF fails (an address outside the record), DKIM still aligns. */
	assert_int_equal(inkan_verify_spf(m)->result, INKAN_SPF_FAIL);
	assert_int_equal(inkan_verify_dmarc(m)->result, INKAN_DMARC_PASS);
	inkan_verify_msg_free(&m);
	inkan_buf_clear(&signed_msg);
	inkan_buf_clear(&sealed);
}

static void
test_errors(void **state)
{
	const char *bad = "no colon\nFrom: a@example.com\n\nbody\n";
	struct inkan_verify_envelope env;
	struct inkan_verify_msg *m = NULL;

	(void)state;
	assert_int_equal(
	    run("192.0.2.1", "h", "a@example.com", bad, strlen(bad), 4096, &m),
	    INKAN_ERR_SYNTAX);
	assert_true(strlen(inkan_verify_error(m)) > 0);
	assert_null(inkan_verify_spf(m));
	assert_null(inkan_verify_dmarc(m));
	assert_string_equal(inkan_verify_authres(m), "");
	assert_int_equal(inkan_verify_finish(m), INKAN_ERR_SYNTAX);
	inkan_verify_msg_free(&m);

	/* finish twice; feed after finish. */
	assert_int_equal(run("192.0.2.1", "h", "a@example.com",
			     "From: a@example.com\n\nx\n", 23, 4096, &m),
	    INKAN_OK);
	assert_int_equal(inkan_verify_finish(m), INKAN_ERR_STATE);
	assert_int_equal(inkan_verify_feed(m, "x", 1), INKAN_ERR_STATE);
	inkan_verify_msg_free(&m);

	/* No address; unknown flag. */
	memset(&env, 0, sizeof(env));
	assert_int_equal(
	    inkan_verify_begin(fx.vf, &env, 0, &m), INKAN_ERR_INVAL);
	assert_null(m);
	assert_int_equal(inkan_spf_ip_parse("192.0.2.1", &env.ip), INKAN_OK);
	assert_int_equal(
	    inkan_verify_begin(fx.vf, &env, 1u << 7, &m), INKAN_ERR_INVAL);
	assert_int_equal(
	    inkan_verifier_new(NULL, NULL, NULL, NULL), INKAN_ERR_INVAL);
	inkan_verify_msg_free(&m);
	inkan_verifier_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pipeline),
		cmocka_unit_test(test_authres),
		cmocka_unit_test(test_chunks_and_warm_caches),
		cmocka_unit_test(test_arc),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
