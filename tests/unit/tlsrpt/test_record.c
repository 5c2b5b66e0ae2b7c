/*
 * test_record.c: the TLS-RPT record parser (RFC 8460 3).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <inkan/tlsrpt.h>
#include <inkan/util.h>

struct record_case {
	const char *name;
	const char *in;
	enum inkan_status st;
	/* on success: each rua as "scheme:target:usable" joined by " ",
	   then "+N" extensions */
	const char *want;
};

static const struct record_case cases[] = {
	{ "RFC 8460 3.1 mailto", "v=TLSRPTv1;rua=mailto:reports@example.com",
	    INKAN_OK, "mailto:reports@example.com:1 +0" },
	{ "RFC 8460 3.1 https",
	    "v=TLSRPTv1; rua=https://reporting.example.com/v1/tlsrpt", INKAN_OK,
	    "https:reporting.example.com:1 +0" },
	{ "both, spaces around the comma",
	    "v=TLSRPTv1; rua=mailto:a@example.com , https://r.example:8443/x;",
	    INKAN_OK, "mailto:a@example.com:1 https:r.example:1 +0" },
	{ "extension", "v=TLSRPTv1; rua=mailto:a@b.example; ext=1", INKAN_OK,
	    "mailto:a@b.example:1 +1" },
	{ "extension first", "v=TLSRPTv1; x.y=z; rua=mailto:a@b.example",
	    INKAN_OK, "mailto:a@b.example:1 +1" },
	{ "mailto with hfields",
	    "v=TLSRPTv1; rua=mailto:a@b.example?subject=tls", INKAN_OK,
	    "mailto:a@b.example:1 +0" },
	{ "other scheme", "v=TLSRPTv1; rua=http://r.example/", INKAN_OK,
	    "other://r.example/:0 +0" },
	{ "mailto without @", "v=TLSRPTv1; rua=mailto:postmaster", INKAN_OK,
	    "mailto:postmaster:0 +0" },
	{ "https without host", "v=TLSRPTv1; rua=https:/path", INKAN_OK,
	    "https:/path:0 +0" },
	{ "https with userinfo", "v=TLSRPTv1; rua=https://u@r.example/",
	    INKAN_OK, "https:u@r.example:0 +0" },
	{ "https IPv6 literal", "v=TLSRPTv1; rua=https://[2001:db8::1]:443/r",
	    INKAN_OK, "https:[2001:db8::1]:1 +0" },
	{ "no rua", "v=TLSRPTv1;", INKAN_ERR_SYNTAX, NULL },
	{ "only version", "v=TLSRPTv1", INKAN_ERR_SYNTAX, NULL },
	{ "rua twice", "v=TLSRPTv1; rua=mailto:a@b.c; rua=mailto:d@e.f",
	    INKAN_ERR_SYNTAX, NULL },
	{ "empty rua", "v=TLSRPTv1; rua=", INKAN_ERR_SYNTAX, NULL },
	{ "empty URI in list", "v=TLSRPTv1; rua=mailto:a@b.c,",
	    INKAN_ERR_SYNTAX, NULL },
	{ "no scheme", "v=TLSRPTv1; rua=a@b.example", INKAN_ERR_SYNTAX, NULL },
	{ "exclamation", "v=TLSRPTv1; rua=mailto:a@b.example!10m",
	    INKAN_ERR_SYNTAX, NULL },
	{ "space inside URI", "v=TLSRPTv1; rua=mailto:a b@c.d",
	    INKAN_ERR_SYNTAX, NULL },
	{ "version case", "v=tlsrptv1; rua=mailto:a@b.c", INKAN_ERR_SYNTAX,
	    NULL },
	{ "version 2", "v=TLSRPTv2; rua=mailto:a@b.c", INKAN_ERR_SYNTAX, NULL },
	{ "version second", "rua=mailto:a@b.c; v=TLSRPTv1", INKAN_ERR_SYNTAX,
	    NULL },
	{ "spf record", "v=spf1 -all", INKAN_ERR_SYNTAX, NULL },
	{ "empty", "", INKAN_ERR_SYNTAX, NULL },
	{ "ext empty value",
	    "v=TLSRPTv1; rua=mailto:a@b.c; x=", INKAN_ERR_SYNTAX, NULL },
};

static void
dump(const struct inkan_tlsrpt_record *rec, char *buf, size_t size)
{
	static const char *const scheme[] = { "other", "mailto", "https" };
	size_t i, off = 0;

	buf[0] = '\0';
	for (i = 0; i < rec->nrua && off < size; i++) {
		const struct inkan_tlsrpt_uri *u = &rec->rua[i];

		off += (size_t)snprintf(buf + off, size - off, "%s:%s:%d ",
		    scheme[u->scheme], u->target, u->usable);
	}
	if (off < size)
		snprintf(buf + off, size - off, "+%u", rec->extensions);
}

static void
test_records(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct record_case *c = &cases[i];
		struct inkan_tlsrpt_record *rec = NULL;
		struct inkan_tlsrpt_error err = { 0, "" };
		enum inkan_status st;
		char got[512];

		st = inkan_tlsrpt_record_parse(
		    c->in, strlen(c->in), NULL, &rec, &err);
		if (st != c->st)
			fail_msg("%s: got %s (%s), want %s", c->name,
			    inkan_strerror(st), err.message,
			    inkan_strerror(c->st));
		if (st != INKAN_OK) {
			assert_null(rec);
			assert_true(err.message[0] != '\0');
			continue;
		}
		dump(rec, got, sizeof(got));
		if (strcmp(got, c->want) != 0)
			fail_msg("%s: got \"%s\", want \"%s\"", c->name, got,
			    c->want);
		inkan_tlsrpt_record_free(&rec);
		assert_null(rec);
	}
}

static void
test_is_tlsrpt(void **state)
{
	(void)state;
	assert_true(inkan_tlsrpt_record_is_tlsrpt("v=TLSRPTv1;rua=x:y", 18));
	assert_true(inkan_tlsrpt_record_is_tlsrpt("v=TLSRPTv1 ; rua", 16));
	assert_false(inkan_tlsrpt_record_is_tlsrpt("v=TLSRPTv1", 10));
	assert_false(inkan_tlsrpt_record_is_tlsrpt("v=TLSRPTv10;", 12));
	assert_false(inkan_tlsrpt_record_is_tlsrpt(NULL, 0));
}

static void
test_limits(void **state)
{
	struct inkan_limits lim;
	struct inkan_tlsrpt_record *rec = NULL;
	struct inkan_tlsrpt_error err;
	struct inkan_buf b;
	size_t i;

	(void)state;
	inkan_limits_default(&lim);
	lim.tlsrpt_rua_max = 2;
	inkan_buf_init(&b, 1 << 16);
	inkan_buf_append_cstr(&b, "v=TLSRPTv1; rua=mailto:a@b.c");
	for (i = 0; i < 1; i++)
		inkan_buf_append_cstr(&b, ",mailto:x@y.z");
	assert_int_equal(
	    inkan_tlsrpt_record_parse(b.data, b.len, &lim, &rec, &err),
	    INKAN_OK);
	assert_int_equal(rec->nrua, 2);
	inkan_tlsrpt_record_free(&rec);
	inkan_buf_append_cstr(&b, ",mailto:one@too.many");
	assert_int_equal(
	    inkan_tlsrpt_record_parse(b.data, b.len, &lim, &rec, &err),
	    INKAN_ERR_LIMIT);
	assert_null(rec);

	/* The record length: exactly at the limit parses, one more not. */
	inkan_limits_default(&lim);
	lim.tlsrpt_record_max = b.len;
	assert_int_equal(
	    inkan_tlsrpt_record_parse(b.data, b.len, &lim, &rec, &err),
	    INKAN_OK);
	inkan_tlsrpt_record_free(&rec);
	lim.tlsrpt_record_max = b.len - 1;
	assert_int_equal(
	    inkan_tlsrpt_record_parse(b.data, b.len, &lim, &rec, &err),
	    INKAN_ERR_LIMIT);
	inkan_buf_clear(&b);
}

/* RFC 8460 3 record selection, through the zone resolver. */
static void
test_lookup(void **state)
{
	static const char zone[] =
	    "_smtp._tls.good.example. TXT \"v=TLSRPTv1; "
	    "rua=mailto:tls@good.example\"\n"
	    "_smtp._tls.good.example. TXT \"v=STSv1; id=1\"\n"
	    "_smtp._tls.two.example. TXT \"v=TLSRPTv1; rua=mailto:a@b.c\"\n"
	    "_smtp._tls.two.example. TXT \"v=TLSRPTv1; rua=mailto:d@e.f\"\n"
	    "_smtp._tls.bad.example. TXT \"v=TLSRPTv1; rua=\"\n"
	    ";! SERVFAIL _smtp._tls.broken.example.\n";
	static const struct {
		const char *domain;
		enum inkan_status st;
		enum inkan_tlsrpt_lookup_status status;
	} lookups[] = {
		{ "good.example", INKAN_OK, INKAN_TLSRPT_LOOKUP_FOUND },
		{ "two.example", INKAN_OK, INKAN_TLSRPT_LOOKUP_SEVERAL },
		{ "bad.example", INKAN_OK, INKAN_TLSRPT_LOOKUP_INVALID },
		{ "missing.example", INKAN_OK, INKAN_TLSRPT_LOOKUP_NONE },
		{ "broken.example", INKAN_OK, INKAN_TLSRPT_LOOKUP_TEMPERROR },
		{ ".good.example", INKAN_ERR_SYNTAX, INKAN_TLSRPT_LOOKUP_NONE },
	};
	struct inkan_resolver *r = NULL;
	struct inkan_zone_error zerr;
	struct inkan_buf text;
	size_t i;

	(void)state;
	inkan_buf_init(&text, 65536);
	assert_int_equal(inkan_resolver_new_zone(NULL, &r), INKAN_OK);
	if (inkan_resolver_zone_load_string(r, zone, sizeof(zone) - 1, &zerr) !=
	    INKAN_OK)
		fail_msg("zone line %zu: %s", zerr.line, zerr.message);
	for (i = 0; i < sizeof(lookups) / sizeof(lookups[0]); i++) {
		struct inkan_tlsrpt_record *rec = NULL;
		struct inkan_tlsrpt_error err = { 0, "" };
		enum inkan_tlsrpt_lookup_status status;
		enum inkan_status st;

		st = inkan_tlsrpt_record_lookup(
		    r, lookups[i].domain, NULL, &rec, &status, &err);
		if (st != lookups[i].st || status != lookups[i].status)
			fail_msg("%s: got %s/%d (%s), want %s/%d",
			    lookups[i].domain, inkan_strerror(st), status,
			    err.message, inkan_strerror(lookups[i].st),
			    lookups[i].status);
		if (status == INKAN_TLSRPT_LOOKUP_FOUND) {
			assert_int_equal(rec->nrua, 1);
			assert_string_equal(
			    rec->rua[0].target, "tls@good.example");
		} else {
			assert_null(rec);
			assert_true(err.message[0] != '\0');
		}
		inkan_tlsrpt_record_free(&rec);
		/* The _text variant: the same status, and the record's
		   text for FOUND and INVALID only. */
		inkan_buf_reset(&text);
		st = inkan_tlsrpt_record_lookup_text(
		    r, lookups[i].domain, NULL, &rec, &status, &text, &err);
		assert_int_equal(st, lookups[i].st);
		assert_int_equal(status, lookups[i].status);
		if (status == INKAN_TLSRPT_LOOKUP_FOUND ||
		    status == INKAN_TLSRPT_LOOKUP_INVALID)
			assert_true(text.len > 0);
		else
			assert_int_equal(text.len, 0);
		inkan_tlsrpt_record_free(&rec);
	}
	inkan_buf_clear(&text);
	inkan_resolver_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_records),
		cmocka_unit_test(test_is_tlsrpt),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_lookup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
