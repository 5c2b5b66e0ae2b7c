/*
 * test_authres.c: the Authentication-Results parser (RFC 8601 2.2) and
 * builder: valid fields with their pieces, each kind of error with where
 * it is reported, limits, built fields byte for byte, and build-then-parse
 * round trips.
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

/*
 * The parsed field as one line: "id[/v][#i]" or "id none", then per
 * result "; method[/v]=result[ reason=<r>][ ptype.prop=<value>]..." with
 * quoted values in <>.
 */
static void
dump(const struct inkan_authres *ar, char *buf, size_t size)
{
	size_t i, j, off = 0;

#define PUT(...)                 \
	off += (size_t)snprintf( \
	    buf + off, off < size ? size - off : 0, __VA_ARGS__)
	PUT("%s", ar->authserv_id);
	if (ar->version)
		PUT("/%u", ar->version);
	if (ar->instance)
		PUT("#%u", ar->instance);
	if (ar->none)
		PUT(" none");
	for (i = 0; i < ar->count; i++) {
		const struct inkan_authres_result *r = &ar->results[i];

		PUT("; %s", r->method);
		if (r->method_version)
			PUT("/%u", r->method_version);
		PUT("=%s", r->result);
		if (r->reason != NULL)
			PUT(" reason=<%s>", r->reason);
		for (j = 0; j < r->prop_count; j++)
			PUT(r->props[j].quoted ? " %s.%s=<%s>" : " %s.%s=%s",
			    r->props[j].ptype, r->props[j].property,
			    r->props[j].value);
	}
#undef PUT
}

struct parse_case {
	const char *name;
	unsigned flags;
	const char *in;
	enum inkan_status st;
	const char *want; /* dump, or for errors "@offset" */
};

#define N INKAN_AUTHRES_WITH_NAME
#define A INKAN_AUTHRES_ARC

static const struct parse_case cases[] = {
	{ "rfc 8601 b.2 none", 0, "example.org 1; none", INKAN_OK,
	    "example.org/1 none" },
	{ "rfc 8601 b.3 spf", 0,
	    "example.com;\r\n\tspf=pass "
	    "smtp.mailfrom=example.net",
	    INKAN_OK, "example.com; spf=pass smtp.mailfrom=example.net" },
	{ "rfc 8601 b.4 comments", N,
	    "Authentication-Results: example.com;\r\n"
	    "          auth=pass (cram-md5) smtp.auth=sender@example.net;\r\n"
	    "          spf=pass smtp.mailfrom=example.net\r\n",
	    INKAN_OK,
	    "example.com; auth=pass smtp.auth=sender@example.net; spf=pass "
	    "smtp.mailfrom=example.net" },
	{ "rfc 8601 b.6 dkim and i=@", 0,
	    "example.com; dkim=pass (good signature) "
	    "header.i=@mail-router.example.net",
	    INKAN_OK,
	    "example.com; dkim=pass header.i=@mail-router.example.net" },
	{ "reason quoted with pair", 0,
	    "x; dkim=fail reason=\"bad \\\"sig\\\"\" header.d=a.example",
	    INKAN_OK, "x; dkim=fail reason=<bad \"sig\"> header.d=a.example" },
	{ "reason token", 0, "x; spf=fail reason=nope", INKAN_OK,
	    "x; spf=fail reason=<nope>" },
	{ "method version", 0, "x; dkim/1=pass", INKAN_OK, "x; dkim/1=pass" },
	{ "cfws everywhere", 0,
	    "x (c) ; dkim (c) / (c) 2 (c) = (c) pass (c) header (c) . (c) d "
	    "(c) = (c) a.example (c)",
	    INKAN_OK, "x; dkim/2=pass header.d=a.example" },
	{ "nested comments", 0, "x; a=b (1 (2 (3) \\) ) )", INKAN_OK,
	    "x; a=b" },
	{ "quoted value and quoted id", 0,
	    "\"my id\"; iprev=pass policy.iprev=\"2001:db8::1\"", INKAN_OK,
	    "my id; iprev=pass policy.iprev=<2001:db8::1>" },
	{ "quoted local-part", 0,
	    "x; spf=pass smtp.mailfrom=\"a b\"@example.com", INKAN_OK,
	    "x; spf=pass smtp.mailfrom=\"a b\"@example.com" },
	{ "base64 header.b bare", 0, "x; dkim=pass header.b=Qgi/FoC0+a=",
	    INKAN_OK, "x; dkim=pass header.b=Qgi/FoC0+a=" },
	{ "unknown method and ptype kept", 0,
	    "x; x-foo=bar baz.qux=1 smtp.TLSversion=TLSv1.2", INKAN_OK,
	    "x; x-foo=bar baz.qux=1 smtp.TLSversion=TLSv1.2" },
	{ "trailing semicolon", 0, "x; spf=pass;", INKAN_OK, "x; spf=pass" },
	{ "lf folding", 0, "x;\n spf=pass\n\tsmtp.helo=h.example\n", INKAN_OK,
	    "x; spf=pass smtp.helo=h.example" },
	{ "arc value", A, " i = 3 ; lists.example.org; arc=pass", INKAN_OK,
	    "lists.example.org#3; arc=pass" },
	{ "arc field", N,
	    "ARC-Authentication-Results: i=1; mx.example; none\r\n", INKAN_OK,
	    "mx.example#1 none" },
	{ "name any case", N, "authentication-results : x; none", INKAN_OK,
	    "x none" },
	{ "reason after props is a ptype", 0, "x; a=b c.d=e reason.x=f",
	    INKAN_OK, "x; a=b c.d=e reason.x=f" },
	{ "utf-8 in quoted reason", 0, "x; a=b reason=\"caf\xc3\xa9\"",
	    INKAN_OK, "x; a=b reason=<caf\xc3\xa9>" },

	/* Errors, with the offset where they are reported. */
	{ "empty", 0, "", INKAN_ERR_SYNTAX, "@0" },
	{ "no results", 0, "example.com", INKAN_ERR_SYNTAX, "@11" },
	{ "semicolon only", 0, "example.com;", INKAN_ERR_SYNTAX, "@12" },
	{ "unquoted ipv6", 0, "x; iprev=pass policy.iprev=2001:db8::1",
	    INKAN_ERR_SYNTAX, "@31" },
	{ "repeated authserv-id", 0, "x; dkim=none header.d=none;x.com; a=b",
	    INKAN_ERR_SYNTAX, "@28" },
	{ "property without ptype", 0, "x; x-tls=pass version=1",
	    INKAN_ERR_SYNTAX, "@21" },
	{ "no separator", 0, "x; a=b\"q\"", INKAN_ERR_SYNTAX, "@6" },
	{ "unclosed comment", 0, "x; a=b (oops", INKAN_ERR_SYNTAX, "@12" },
	{ "unclosed quote", 0, "x; a=b reason=\"oops", INKAN_ERR_SYNTAX,
	    "@14" },
	{ "bare cr lf", 0, "x; a=b\r\nc.d=e", INKAN_ERR_SYNTAX, "@6" },
	{ "nul", 0, "x; a=b c.d=e\0f", INKAN_ERR_SYNTAX, "@12" },
	{ "hyphen at end of method", 0, "x; dkim-=pass", INKAN_ERR_SYNTAX,
	    "@3" },
	{ "no result", 0, "x; dkim=", INKAN_ERR_SYNTAX, "@8" },
	{ "arc without i", A, "x; none", INKAN_ERR_SYNTAX, "@0" },
	{ "arc instance 0", A, "i=0; x; none", INKAN_ERR_SYNTAX, "@3" },
	{ "arc instance 51", A, "i=51; x; none", INKAN_ERR_SYNTAX, "@3" },
	{ "wrong field name", N, "Received: x; none", INKAN_ERR_SYNTAX, "@0" },
	{ "version without space", 0, "\"x\"1; none", INKAN_ERR_SYNTAX, "@3" },
};

static void
test_parse(void **state)
{
	char got[1024];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct parse_case *c = &cases[i];
		struct inkan_authres *ar = NULL;
		struct inkan_authres_error err;
		size_t len = strlen(c->in);
		enum inkan_status st;

		/* The NUL case: the input goes on past the NUL. */
		if (strcmp(c->name, "nul") == 0)
			len = 14;
		st = inkan_authres_parse(c->in, len, c->flags, NULL, &ar, &err);
		if (st == INKAN_OK)
			dump(ar, got, sizeof(got));
		else
			snprintf(got, sizeof(got), "@%zu", err.offset);
		if (st != c->st || strcmp(got, c->want) != 0) {
			print_error("%s: got %s \"%s\" (%s), want %s \"%s\"\n",
			    c->name, inkan_strerror(st), got,
			    st == INKAN_OK ? "" : err.message,
			    inkan_strerror(c->st), c->want);
			fail();
		}
		if (st != INKAN_OK)
			assert_null(ar);
		inkan_authres_free(&ar);
		assert_null(ar);
	}
}

static void
test_limits(void **state)
{
	struct inkan_limits lim;
	struct inkan_authres *ar = NULL;
	struct inkan_authres_error err;
	char big[300];

	(void)state;
	inkan_limits_default(&lim);
	lim.authres_results_max = 2;
	assert_int_equal(
	    inkan_authres_parse("x; a=b; c=d", 11, 0, &lim, &ar, &err),
	    INKAN_OK);
	inkan_authres_free(&ar);
	assert_int_equal(
	    inkan_authres_parse("x; a=b; c=d; e=f", 16, 0, &lim, &ar, &err),
	    INKAN_ERR_LIMIT);
	assert_null(ar);
	lim.authres_props_max = 1;
	assert_int_equal(
	    inkan_authres_parse("x; a=b c.d=1 c.e=2", 18, 0, &lim, &ar, &err),
	    INKAN_ERR_LIMIT);
	lim.authres_comment_depth = 2;
	assert_int_equal(
	    inkan_authres_parse("x; a=b ((ok))", 13, 0, &lim, &ar, &err),
	    INKAN_OK);
	inkan_authres_free(&ar);
	assert_int_equal(
	    inkan_authres_parse("x; a=b (((no)))", 15, 0, &lim, &ar, &err),
	    INKAN_ERR_LIMIT);
	lim.authres_field_max = sizeof(big) - 1;
	memset(big, 'a', sizeof(big));
	assert_int_equal(
	    inkan_authres_parse(big, sizeof(big), 0, &lim, &ar, &err),
	    INKAN_ERR_LIMIT);
	assert_null(ar);
	assert_int_equal(
	    inkan_authres_parse(NULL, 1, 0, NULL, &ar, NULL), INKAN_ERR_INVAL);
}

static void
test_authserv_id(void **state)
{
	static const struct {
		const char *name;
		unsigned flags;
		const char *in;
		enum inkan_status st;
		const char *want;
		unsigned instance;
	} idcases[] = {
		{ "plain", 0, "mx.example.org; spf=pass", INKAN_OK,
		    "mx.example.org", 0 },
		{ "malformed results", 0, "mx.example.org; spf=", INKAN_OK,
		    "mx.example.org", 0 },
		{ "quoted", 0, " \"mx example\" (c); none", INKAN_OK,
		    "mx example", 0 },
		{ "arc field", N,
		    "ARC-Authentication-Results: i=2; lists.example; x=y",
		    INKAN_OK, "lists.example", 2 },
		{ "empty", 0, " (c) ", INKAN_ERR_SYNTAX, "", 0 },
	};
	struct inkan_buf b;
	unsigned inst;
	size_t i;

	(void)state;
	inkan_buf_init(&b, 1024);
	for (i = 0; i < sizeof(idcases) / sizeof(idcases[0]); i++) {
		enum inkan_status st;

		inkan_buf_reset(&b);
		inst = 99;
		st = inkan_authres_authserv_id(idcases[i].in,
		    strlen(idcases[i].in), idcases[i].flags, &b, &inst);
		if (st != idcases[i].st ||
		    strcmp(inkan_buf_cstr(&b), idcases[i].want) != 0 ||
		    (st == INKAN_OK && inst != idcases[i].instance)) {
			print_error("%s: got %s \"%s\" i=%u, want %s \"%s\" "
				    "i=%u\n",
			    idcases[i].name, inkan_strerror(st),
			    inkan_buf_cstr(&b), inst,
			    inkan_strerror(idcases[i].st), idcases[i].want,
			    idcases[i].instance);
			fail();
		}
	}
	inkan_buf_clear(&b);
}

static void
test_find(void **state)
{
	struct inkan_authres *ar = NULL;
	const char *in = "x; spf=pass smtp.mailfrom=a@b; DKIM=pass "
			 "Header.D=b; dkim=fail header.d=c";

	(void)state;
	assert_int_equal(
	    inkan_authres_parse(in, strlen(in), 0, NULL, &ar, NULL), INKAN_OK);
	assert_int_equal(inkan_authres_find(ar, "dkim", 0), 1);
	assert_int_equal(inkan_authres_find(ar, "dkim", 2), 2);
	assert_int_equal(inkan_authres_find(ar, "dmarc", 0), 3);
	assert_string_equal(
	    inkan_authres_prop_value(&ar->results[1], "header", "d"), "b");
	assert_null(inkan_authres_prop_value(&ar->results[1], "smtp", "d"));
	inkan_authres_free(&ar);
}

/* A DKIM signature as lib/dkim reports it. */
static struct inkan_dkim_sig
sig(enum inkan_dkim_result r, const char *reason)
{
	struct inkan_dkim_sig s;

	memset(&s, 0, sizeof(s));
	s.result = r;
	s.reason = reason;
	s.domain = "example.com";
	s.selector = "sel1";
	s.identity = "@example.com";
	s.algorithm = INKAN_DKIM_RSA_SHA256;
	s.b = "dGhpcyBpcyBub3QgYSByZWFsIHNpZ25hdHVyZQ==";
	return s;
}

static void
test_build(void **state)
{
	struct inkan_authres_builder *b = NULL;
	struct inkan_dkim_sig s1 = sig(INKAN_DKIM_PASS, "ok"),
			      s2 = sig(INKAN_DKIM_FAIL, "body hash mismatch");
	struct inkan_buf out;
	const char *want =
	    "Authentication-Results: mx.example.net;\r\n"
	    "\tspf=pass smtp.mailfrom=alice@example.com;\r\n"
	    "\tdkim=pass header.d=example.com header.i=@example.com "
	    "header.s=sel1\r\n"
	    "\theader.a=rsa-sha256 header.b=dGhpcyBpcyBub3Qg;\r\n"
	    "\tdkim=fail reason=\"body hash mismatch\" header.d=example.com\r\n"
	    "\theader.i=@example.com header.s=sel1 header.a=rsa-sha256\r\n"
	    "\theader.b=dGhpcyBpcyBub3Qg;\r\n"
	    "\tarc=pass header.oldest-pass=1 "
	    "smtp.remote-ip=\"2001:db8::1\";\r\n"
	    "\tdmarc=pass header.from=example.com policy.dmarc=reject\r\n";

	(void)state;
	inkan_buf_init(&out, 65536);
	assert_int_equal(
	    inkan_authres_builder_new("mx.example.net", &b), INKAN_OK);
	assert_int_equal(inkan_authres_add_spf(b, "pass", "alice@example.com",
			     "mail.example.com", NULL),
	    INKAN_OK);
	assert_int_equal(inkan_authres_add_dkim(b, &s1), INKAN_OK);
	assert_int_equal(inkan_authres_add_dkim(b, &s2), INKAN_OK);
	assert_int_equal(
	    inkan_authres_add_arc(b, "pass", 1, "2001:db8::1", NULL), INKAN_OK);
	assert_int_equal(
	    inkan_authres_add_dmarc(b, "pass", "example.com", "reject", NULL),
	    INKAN_OK);
	assert_int_equal(inkan_authres_build(b, 0, &out), INKAN_OK);
	if (strcmp(inkan_buf_cstr(&out), want) != 0) {
		print_error(
		    "got:\n%s\nwant:\n%s\n", inkan_buf_cstr(&out), want);
		fail();
	}
	inkan_authres_builder_free(&b);
	assert_null(b);

	/* No results: "; none". ARC instance and LF. */
	inkan_buf_reset(&out);
	assert_int_equal(inkan_authres_builder_new("my id", &b), INKAN_OK);
	inkan_authres_builder_set_instance(b, 2);
	assert_int_equal(
	    inkan_authres_build(b, INKAN_AUTHRES_BUILD_LF, &out), INKAN_OK);
	assert_string_equal(inkan_buf_cstr(&out),
	    "ARC-Authentication-Results: i=2; \"my id\"; none\n");
	inkan_buf_reset(&out);
	assert_int_equal(
	    inkan_authres_build(b, INKAN_AUTHRES_BUILD_VALUE, &out), INKAN_OK);
	assert_string_equal(inkan_buf_cstr(&out), "i=2; \"my id\"; none");

	/* Argument errors are sticky; build reports the first. */
	assert_int_equal(
	    inkan_authres_add_prop(b, "smtp", "helo", "x"), INKAN_ERR_STATE);
	assert_int_equal(
	    inkan_authres_add(b, "bad method", "pass", NULL), INKAN_ERR_INVAL);
	assert_int_equal(inkan_authres_build(b, 0, &out), INKAN_ERR_STATE);
	inkan_authres_builder_free(&b);

	/* A full buffer is reported, not truncated silently. */
	assert_int_equal(inkan_authres_builder_new("x", &b), INKAN_OK);
	inkan_buf_clear(&out);
	inkan_buf_init(&out, 10);
	assert_int_equal(inkan_authres_build(b, 0, &out), INKAN_ERR_LIMIT);
	inkan_authres_builder_free(&b);
	inkan_buf_clear(&out);
	assert_int_equal(inkan_authres_builder_new("", &b), INKAN_ERR_INVAL);
}

/* What the builder writes, the parser reads back the same. */
static void
test_roundtrip(void **state)
{
	static const struct {
		const char *method, *result, *reason;
		const char *ptype, *prop, *value;
	} rt[] = {
		{ "spf", "pass", NULL, "smtp", "mailfrom", "a.b@example.com" },
		{ "spf", "none", NULL, "smtp", "helo", "[192.0.2.1]" },
		{ "dkim", "fail", "body hash mismatch", "header", "b",
		    "ab/cd+ef==" },
		{ "dkim", "permerror", "tab\there \"quoted\" back\\slash",
		    "header", "i", "\"odd local\"@example.com" },
		{ "iprev", "pass", NULL, "policy", "iprev", "2001:db8::1" },
		{ "x-tls", "pass", "", "smtp", "tlsversion", "" },
		{ "dmarc", "fail", "a;b(c)", "policy", "dmarc", "reject" },
	};
	struct inkan_authres_builder *b = NULL;
	struct inkan_authres *ar = NULL;
	struct inkan_authres_error err;
	struct inkan_buf out;
	size_t i;

	(void)state;
	inkan_buf_init(&out, 65536);
	assert_int_equal(
	    inkan_authres_builder_new("mx (odd) \"id\"", &b), INKAN_OK);
	for (i = 0; i < sizeof(rt) / sizeof(rt[0]); i++) {
		assert_int_equal(inkan_authres_add(b, rt[i].method,
				     rt[i].result, rt[i].reason),
		    INKAN_OK);
		assert_int_equal(inkan_authres_add_prop(
				     b, rt[i].ptype, rt[i].prop, rt[i].value),
		    INKAN_OK);
	}
	assert_int_equal(inkan_authres_build(b, 0, &out), INKAN_OK);
	if (inkan_authres_parse(out.data, out.len, INKAN_AUTHRES_WITH_NAME,
		NULL, &ar, &err) != INKAN_OK) {
		print_error("%s\nat %zu: %s\n", inkan_buf_cstr(&out),
		    err.offset, err.message);
		fail();
	}
	assert_string_equal(ar->authserv_id, "mx (odd) \"id\"");
	assert_int_equal(ar->count, sizeof(rt) / sizeof(rt[0]));
	for (i = 0; i < ar->count; i++) {
		const struct inkan_authres_result *r = &ar->results[i];

		assert_string_equal(r->method, rt[i].method);
		assert_string_equal(r->result, rt[i].result);
		if (rt[i].reason == NULL)
			assert_null(r->reason);
		else
			assert_string_equal(r->reason, rt[i].reason);
		assert_int_equal(r->prop_count, 1);
		assert_string_equal(r->props[0].ptype, rt[i].ptype);
		assert_string_equal(r->props[0].property, rt[i].prop);
		assert_string_equal(r->props[0].value, rt[i].value);
	}
	inkan_authres_free(&ar);
	inkan_authres_builder_free(&b);
	inkan_buf_clear(&out);
}

/* The longest line of s (without its line ending). */
static size_t
longest_line(const char *s)
{
	size_t most = 0, n;
	const char *lf;

	for (;;) {
		lf = strchr(s, '\n');
		n = lf != NULL ? (size_t)(lf - s) : strlen(s);
		if (n > 0 && s[n - 1] == '\r')
			n--;
		if (n > most)
			most = n;
		if (lf == NULL)
			return most;
		s = lf + 1;
	}
}

/*
 * Long values: a reason with spaces is folded inside its quoted-string
 * at 78 columns and reads back unchanged; one without spaces is cut at
 * 400 bytes; a value, an authserv-id or a keyword that no line could
 * hold is refused. No built line passes RFC 5322's 998.
 */
static void
test_build_long(void **state)
{
	struct inkan_authres_builder *b = NULL;
	struct inkan_authres *ar = NULL;
	struct inkan_authres_error err;
	struct inkan_buf out, words;
	char *blob, *quotes, *kw;
	size_t i;

	(void)state;
	inkan_buf_init(&out, 1 << 20);
	inkan_buf_init(&words, 1 << 20);
	for (i = 0; i < 45; i++)
		inkan_buf_printf(&words, "%sword%zu", i ? " " : "", i);
	/* Doubled spaces: nothing is lost or turned into a TAB. */
	inkan_buf_append_cstr(&words, "  \"end\" ");
	blob = calloc(2001, 1);
	quotes = calloc(501, 1);
	kw = calloc(981, 1);
	assert_non_null(blob);
	assert_non_null(quotes);
	assert_non_null(kw);
	memset(blob, 'x', 2000);
	memset(quotes, '"', 500); /* 1,002 bytes once escaped and quoted */
	memset(kw, 'k', 980);

	assert_int_equal(
	    inkan_authres_builder_new("mx.example.net", &b), INKAN_OK);
	assert_int_equal(
	    inkan_authres_add(b, "dkim", "fail", inkan_buf_cstr(&words)),
	    INKAN_OK);
	assert_int_equal(
	    inkan_authres_add_prop(b, "header", "d", "example.com"), INKAN_OK);
	assert_int_equal(inkan_authres_build(b, 0, &out), INKAN_OK);
	if (longest_line(inkan_buf_cstr(&out)) > 78) {
		print_error("a line over 78:\n%s\n", inkan_buf_cstr(&out));
		fail();
	}
	assert_int_equal(inkan_authres_add(b, "spf", "fail", blob), INKAN_OK);
	inkan_buf_reset(&out);
	assert_int_equal(inkan_authres_build(b, 0, &out), INKAN_OK);
	assert_true(longest_line(inkan_buf_cstr(&out)) <= 998);
	assert_int_equal(inkan_authres_parse(out.data, out.len,
			     INKAN_AUTHRES_WITH_NAME, NULL, &ar, &err),
	    INKAN_OK);
	assert_int_equal(ar->count, 2);
	assert_string_equal(ar->results[0].reason, inkan_buf_cstr(&words));
	assert_int_equal(strlen(ar->results[1].reason), 403);
	assert_memory_equal(ar->results[1].reason, blob, 400);
	assert_string_equal(ar->results[1].reason + 400, "...");
	inkan_authres_free(&ar);

	/* Too long to write on any line: refused, sticky. */
	assert_int_equal(inkan_authres_add_prop(b, "smtp", "mailfrom", quotes),
	    INKAN_ERR_LIMIT);
	assert_int_equal(inkan_authres_build(b, 0, &out), INKAN_ERR_LIMIT);
	inkan_authres_builder_free(&b);
	assert_int_equal(inkan_authres_builder_new("mx", &b), INKAN_OK);
	assert_int_equal(
	    inkan_authres_add(b, kw, "pass", NULL), INKAN_ERR_LIMIT);
	inkan_authres_builder_free(&b);
	assert_int_equal(inkan_authres_builder_new("mx", &b), INKAN_OK);
	assert_int_equal(inkan_authres_add(b, "spf", "pass", NULL), INKAN_OK);
	assert_int_equal(
	    inkan_authres_add_prop(b, "smtp", kw, "x"), INKAN_ERR_LIMIT);
	inkan_authres_builder_free(&b);
	assert_int_equal(
	    inkan_authres_builder_new(quotes, &b), INKAN_ERR_LIMIT);
	assert_null(b);
	/* Exactly the most: a 900-byte authserv-id, a 980-byte piece. */
	blob[901] = '\0';
	assert_int_equal(inkan_authres_builder_new(blob, &b), INKAN_ERR_LIMIT);
	blob[900] = '\0';
	assert_int_equal(inkan_authres_builder_new(blob, &b), INKAN_OK);
	assert_int_equal(inkan_authres_add(b, "spf", "pass", NULL), INKAN_OK);
	blob[971] = '\0';
	memset(blob + 900, 'x', 71);
	assert_int_equal(
	    inkan_authres_add_prop(b, "smtp", "helo", blob), INKAN_ERR_LIMIT);
	inkan_authres_builder_free(&b);
	assert_int_equal(inkan_authres_builder_new("mx", &b), INKAN_OK);
	assert_int_equal(inkan_authres_add(b, "spf", "pass", NULL), INKAN_OK);
	blob[970] = '\0'; /* "smtp.helo=" and 970 bytes */
	assert_int_equal(
	    inkan_authres_add_prop(b, "smtp", "helo", blob), INKAN_OK);
	inkan_buf_reset(&out);
	assert_int_equal(inkan_authres_build(b, 0, &out), INKAN_OK);
	assert_true(longest_line(inkan_buf_cstr(&out)) <= 998);
	inkan_authres_builder_free(&b);

	free(blob);
	free(quotes);
	free(kw);
	inkan_buf_clear(&words);
	inkan_buf_clear(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_authserv_id),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_build),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_build_long),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
