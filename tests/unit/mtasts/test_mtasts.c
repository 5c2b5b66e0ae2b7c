/*
 * test_mtasts.c: the MTA-STS record and policy parsers (RFC 8461 3.1,
 * 3.2), the HTTPS response checks (3.3) and MX matching (4.1).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <inkan/mtasts.h>

struct record_case {
	const char *name;
	const char *in;
	enum inkan_status st;
	const char *id; /* on success */
	unsigned extensions;
};

static const struct record_case record_cases[] = {
	{ "plain", "v=STSv1; id=20160831085700Z;", INKAN_OK, "20160831085700Z",
	    0 },
	{ "no spaces", "v=STSv1;id=20180907T090909;", INKAN_OK,
	    "20180907T090909", 0 },
	{ "no final delimiter", "v=STSv1; id=abc", INKAN_OK, "abc", 0 },
	{ "space before ;", "v=STSv1 ; id=abc ;", INKAN_OK, "abc", 0 },
	{ "trailing space", "v=STSv1; id=abc ", INKAN_OK, "abc", 0 },
	{ "extension", "v=STSv1; id=1; ext_1.a-b=x!y", INKAN_OK, "1", 1 },
	{ "id of 32", "v=STSv1; id=0123456789abcdef0123456789ABCDEF", INKAN_OK,
	    "0123456789abcdef0123456789ABCDEF", 0 },
	{ "id of 33", "v=STSv1; id=0123456789abcdef0123456789ABCDEFx",
	    INKAN_ERR_SYNTAX, NULL, 0 },
	{ "id with dash", "v=STSv1; id=2020-01-01", INKAN_ERR_SYNTAX, NULL, 0 },
	{ "empty id", "v=STSv1; id=;", INKAN_ERR_SYNTAX, NULL, 0 },
	{ "no id", "v=STSv1;", INKAN_ERR_SYNTAX, NULL, 0 },
	{ "only version", "v=STSv1", INKAN_ERR_SYNTAX, NULL, 0 },
	{ "id twice", "v=STSv1; id=a; id=b", INKAN_ERR_SYNTAX, NULL, 0 },
	{ "version second", "id=20180907T090909; v=STSv1;", INKAN_ERR_SYNTAX,
	    NULL, 0 },
	{ "garbage", "azazaza;asdasdasdasd", INKAN_ERR_SYNTAX, NULL, 0 },
	{ "version 12", "v=STSv12;id=20180907T090909;", INKAN_ERR_SYNTAX, NULL,
	    0 },
	{ "version case", "v=stsv1; id=a", INKAN_ERR_SYNTAX, NULL, 0 },
	{ "leading space", " v=STSv1; id=a", INKAN_ERR_SYNTAX, NULL, 0 },
	{ "empty", "", INKAN_ERR_SYNTAX, NULL, 0 },
	{ "ext without value", "v=STSv1; id=a; x=", INKAN_ERR_SYNTAX, NULL, 0 },
	{ "ext value with =", "v=STSv1; id=a; x=a=b", INKAN_ERR_SYNTAX, NULL,
	    0 },
	{ "double ;", "v=STSv1;; id=a", INKAN_ERR_SYNTAX, NULL, 0 },
	{ "no = after name", "v=STSv1; id", INKAN_ERR_SYNTAX, NULL, 0 },
	{ "8-bit", "v=STSv1; id=a; x=\xc3\xa9", INKAN_ERR_SYNTAX, NULL, 0 },
};

static void
test_record(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(record_cases) / sizeof(record_cases[0]); i++) {
		const struct record_case *c = &record_cases[i];
		struct inkan_mtasts_record rec;
		struct inkan_mtasts_error err = { 0, "" };
		enum inkan_status st;

		st =
		    inkan_mtasts_record_parse(c->in, strlen(c->in), &rec, &err);
		if (st != c->st) {
			fail_msg("%s: got %s (%s), want %s", c->name,
			    inkan_strerror(st), err.message,
			    inkan_strerror(c->st));
		}
		if (st == INKAN_OK) {
			assert_string_equal(rec.id, c->id);
			assert_int_equal(rec.extensions, c->extensions);
		} else {
			assert_true(err.message[0] != '\0');
		}
	}
}

static void
test_record_is_sts(void **state)
{
	(void)state;
	assert_true(inkan_mtasts_record_is_sts("v=STSv1; id=1", 13));
	assert_true(inkan_mtasts_record_is_sts("v=STSv1 ;id=1", 13));
	assert_false(inkan_mtasts_record_is_sts("v=STSv1", 7));
	assert_false(inkan_mtasts_record_is_sts("v=STSv12; id=1", 14));
	assert_false(inkan_mtasts_record_is_sts("v=spf1 -all", 11));
	assert_false(inkan_mtasts_record_is_sts(NULL, 0));
}

struct policy_case {
	const char *name;
	const char *in;
	enum inkan_status st;
	/* on success: "mode max_age mx1,mx2 extensions" */
	const char *want;
};

static const struct policy_case policy_cases[] = {
	{ "RFC 8461 3.2 example",
	    "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\n"
	    "mx: *.example.net\r\nmx: backupmx.example.com\r\n"
	    "max_age: 604800\r\n",
	    INKAN_OK,
	    "enforce 604800 mail.example.com,*.example.net,"
	    "backupmx.example.com 0" },
	{ "LF, no final line end",
	    "version: STSv1\nmode: enforce\nmx: mail.loc\nmax_age: 86400",
	    INKAN_OK, "enforce 86400 mail.loc 0" },
	{ "testing, any order",
	    "version: STSv1\nmode: testing\nmax_age: 86400\nmx: mail.loc\n",
	    INKAN_OK, "testing 86400 mail.loc 0" },
	{ "none without mx", "version: STSv1\nmode: none\nmax_age: 86400",
	    INKAN_OK, "none 86400  0" },
	{ "mx lowercased, final dot dropped",
	    "version: STSv1\nmode: enforce\nmx: MX.Example.COM.\nmax_age: 0",
	    INKAN_OK, "enforce 0 mx.example.com 0" },
	{ "no space after colon, trailing space, blank line",
	    "version:STSv1\n\nmode:enforce  \nmx:a.b\t\nmax_age:31557600\n\n",
	    INKAN_OK, "enforce 31557600 a.b 0" },
	{ "extensions",
	    "version: STSv1\nmode: enforce\nmx: a.b\n"
	    "max_age: 1\nx-note: made by hand, \xc3\xa9t\xc3\xa9\n",
	    INKAN_OK, "enforce 1 a.b 1" },
	{ "garbage", "garbage", INKAN_ERR_SYNTAX, NULL },
	{ "empty", "", INKAN_ERR_SYNTAX, NULL },
	{ "no mx in enforce", "version: STSv1\nmode: enforce\nmax_age: 86400",
	    INKAN_ERR_SYNTAX, NULL },
	{ "max_age not a number",
	    "version: STSv1\nmode: enforce\nmx: mail.loc\nmax_age: xxx",
	    INKAN_ERR_SYNTAX, NULL },
	{ "max_age over a year",
	    "version: STSv1\nmode: enforce\nmx: mail.loc\nmax_age: 31557601",
	    INKAN_ERR_SYNTAX, NULL },
	{ "max_age 11 digits",
	    "version: STSv1\nmode: enforce\nmx: a.b\nmax_age: 00000000001",
	    INKAN_ERR_SYNTAX, NULL },
	{ "max_age negative",
	    "version: STSv1\nmode: enforce\nmx: a.b\nmax_age: -1",
	    INKAN_ERR_SYNTAX, NULL },
	{ "no mode", "version: STSv1\nmx: mail.loc\nmax_age: 86400",
	    INKAN_ERR_SYNTAX, NULL },
	{ "unknown mode",
	    "version: STSv1\nmode: doubt\nmx: mail.loc\nmax_age: 86400",
	    INKAN_ERR_SYNTAX, NULL },
	{ "mode case", "version: STSv1\nmode: Enforce\nmx: a.b\nmax_age: 1",
	    INKAN_ERR_SYNTAX, NULL },
	{ "no version", "mode: enforce\nmx: a.b\nmax_age: 1", INKAN_ERR_SYNTAX,
	    NULL },
	{ "version 2", "version: STSv2\nmode: enforce\nmx: a.b\nmax_age: 1",
	    INKAN_ERR_SYNTAX, NULL },
	{ "mode twice",
	    "version: STSv1\nmode: none\nmode: enforce\nmx: a.b\nmax_age: 1",
	    INKAN_ERR_SYNTAX, NULL },
	{ "bad mx", "version: STSv1\nmode: enforce\nmx: a..b\nmax_age: 1",
	    INKAN_ERR_SYNTAX, NULL },
	{ "mx wildcard inside",
	    "version: STSv1\nmode: enforce\nmx: a.*.b\nmax_age: 1",
	    INKAN_ERR_SYNTAX, NULL },
	{ "mx empty", "version: STSv1\nmode: enforce\nmx:\nmax_age: 1",
	    INKAN_ERR_SYNTAX, NULL },
	{ "mx hyphen end",
	    "version: STSv1\nmode: enforce\nmx: a-.b\nmax_age: 1",
	    INKAN_ERR_SYNTAX, NULL },
	{ "leading space",
	    "version: STSv1\n mode: enforce\nmx: a.b\nmax_age: 1",
	    INKAN_ERR_SYNTAX, NULL },
	{ "bare CR inside",
	    "version: STSv1\rmode: enforce\nmx: a.b\nmax_age: 1",
	    INKAN_ERR_SYNTAX, NULL },
	{ "NUL in extension",
	    "version: STSv1\nmode: none\nmax_age: 1\nx: a\x01"
	    "b",
	    INKAN_ERR_SYNTAX, NULL },
	{ "HTML", "<html><body>version: STSv1</body></html>", INKAN_ERR_SYNTAX,
	    NULL },
};

static void
dump_policy(const struct inkan_mtasts_policy *pol, char *buf, size_t size)
{
	size_t i, off;

	off = (size_t)snprintf(buf, size, "%s %u ",
	    inkan_mtasts_mode_name(pol->mode), pol->max_age);
	for (i = 0; i < pol->nmx && off < size; i++)
		off += (size_t)snprintf(
		    buf + off, size - off, "%s%s", i ? "," : "", pol->mx[i]);
	if (off < size)
		snprintf(buf + off, size - off, " %u", pol->extensions);
}

static void
test_policy(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(policy_cases) / sizeof(policy_cases[0]); i++) {
		const struct policy_case *c = &policy_cases[i];
		struct inkan_mtasts_policy *pol = NULL;
		struct inkan_mtasts_error err = { 0, "" };
		enum inkan_status st;
		char got[512];

		st = inkan_mtasts_policy_parse(
		    c->in, strlen(c->in), NULL, &pol, &err);
		if (st != c->st)
			fail_msg("%s: got %s (%s), want %s", c->name,
			    inkan_strerror(st), err.message,
			    inkan_strerror(c->st));
		if (st != INKAN_OK) {
			assert_null(pol);
			assert_true(err.message[0] != '\0');
			continue;
		}
		dump_policy(pol, got, sizeof(got));
		if (strcmp(got, c->want) != 0)
			fail_msg("%s: got \"%s\", want \"%s\"", c->name, got,
			    c->want);
		inkan_mtasts_policy_free(&pol);
		assert_null(pol);
	}
}

static void
test_policy_limits(void **state)
{
	struct inkan_limits lim;
	struct inkan_mtasts_policy *pol = NULL;
	struct inkan_mtasts_error err;
	struct inkan_buf b;
	size_t i;

	(void)state;
	inkan_limits_default(&lim);
	lim.mtasts_mx_max = 3;
	inkan_buf_init(&b, 1 << 20);
	inkan_buf_append_cstr(&b,
	    "version: STSv1\nmode: enforce\n"
	    "max_age: 1\n");
	for (i = 0; i < 3; i++)
		inkan_buf_printf(&b, "mx: mx%zu.example.com\n", i);
	assert_int_equal(
	    inkan_mtasts_policy_parse(b.data, b.len, &lim, &pol, &err),
	    INKAN_OK);
	assert_int_equal(pol->nmx, 3);
	inkan_mtasts_policy_free(&pol);
	inkan_buf_append_cstr(&b, "mx: one.too.many\n");
	assert_int_equal(
	    inkan_mtasts_policy_parse(b.data, b.len, &lim, &pol, &err),
	    INKAN_ERR_LIMIT);
	assert_null(pol);

	/* As many of the shortest patterns as the default limit allows:
	   each takes more room in the arena than in the input (the arena
	   was once sized by the input alone and ran out). */
	lim.mtasts_mx_max = INKAN_MTASTS_MX_MAX;
	inkan_buf_reset(&b);
	inkan_buf_append_cstr(&b,
	    "version: STSv1\nmode: enforce\n"
	    "max_age: 1\n");
	for (i = 0; i < INKAN_MTASTS_MX_MAX; i++)
		inkan_buf_append_cstr(&b, "mx:a\n");
	err.message[0] = '\0';
	if (inkan_mtasts_policy_parse(b.data, b.len, &lim, &pol, &err) !=
	    INKAN_OK)
		fail_msg(
		    "%d short patterns: %s", INKAN_MTASTS_MX_MAX, err.message);
	assert_int_equal(pol->nmx, INKAN_MTASTS_MX_MAX);
	inkan_mtasts_policy_free(&pol);

	/* The body limit: exactly at it parses, one more byte does not. */
	inkan_buf_reset(&b);
	inkan_buf_append_cstr(&b, "version: STSv1\nmode: none\nmax_age: 1\n");
	while (b.len < lim.mtasts_policy_max)
		inkan_buf_append_byte(&b, '\n');
	assert_int_equal(
	    inkan_mtasts_policy_parse(b.data, b.len, &lim, &pol, &err),
	    INKAN_OK);
	inkan_mtasts_policy_free(&pol);
	inkan_buf_append_byte(&b, '\n');
	assert_int_equal(
	    inkan_mtasts_policy_parse(b.data, b.len, &lim, &pol, &err),
	    INKAN_ERR_LIMIT);
	inkan_buf_clear(&b);
}

struct response_case {
	const char *name;
	int status;
	const char *content_type;
	enum inkan_status st;
};

static const struct response_case response_cases[] = {
	{ "200 text/plain", 200, "text/plain", INKAN_OK },
	{ "charset parameter", 200, "text/plain; charset=utf-8", INKAN_OK },
	{ "case and spaces", 200, " Text/Plain ;charset=us-ascii", INKAN_OK },
	{ "text/html", 200, "text/html", INKAN_ERR_SYNTAX },
	{ "text/plainx", 200, "text/plainx", INKAN_ERR_SYNTAX },
	{ "no content type", 200, NULL, INKAN_ERR_SYNTAX },
	{ "404", 404, "text/plain", INKAN_ERR_SYNTAX },
	{ "redirect", 301, "text/plain", INKAN_ERR_SYNTAX },
	{ "204", 204, "text/plain", INKAN_ERR_SYNTAX },
};

static void
test_response(void **state)
{
	static const char body[] =
	    "version: STSv1\nmode: enforce\nmx: mail.loc\nmax_age: 86400";
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(response_cases) / sizeof(response_cases[0]);
	     i++) {
		const struct response_case *c = &response_cases[i];
		struct inkan_mtasts_policy *pol = NULL;
		struct inkan_mtasts_error err = { 0, "" };
		enum inkan_status st;

		st = inkan_mtasts_policy_from_response(c->status,
		    c->content_type, body, sizeof(body) - 1, NULL, &pol, &err);
		if (st != c->st)
			fail_msg("%s: got %s (%s), want %s", c->name,
			    inkan_strerror(st), err.message,
			    inkan_strerror(c->st));
		inkan_mtasts_policy_free(&pol);
	}
}

struct match_case {
	const char *pattern, *host;
	bool want;
};

static const struct match_case match_cases[] = {
	{ "mail.example.com", "mail.example.com", true },
	{ "mail.example.com", "MAIL.Example.com.", true },
	{ "mail.example.com.", "mail.example.com", true },
	{ "mail.example.com", "mail2.example.com", false },
	{ "mail.example.com", "example.com", false },
	/* RFC 8461 4.1: "*" is exactly one leftmost label. */
	{ "*.example.net", "mx1.example.net", true },
	{ "*.example.net", "MX1.EXAMPLE.NET.", true },
	{ "*.example.net", "example.net", false },
	{ "*.example.net", "a.b.example.net", false },
	{ "*.example.net", ".example.net", false },
	{ "*.example.net", "mx1.example.org", false },
	{ "*.example.net", "mx1example.net", false },
	{ "", "mx", false },
	{ "mx", "", false },
	{ "*.", "a.", false },
};

static void
test_mx_match(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(match_cases) / sizeof(match_cases[0]); i++) {
		const struct match_case *c = &match_cases[i];

		if (inkan_mtasts_mx_match(c->pattern, c->host) != c->want)
			fail_msg("\"%s\" ~ \"%s\": got %d, want %d", c->pattern,
			    c->host, !c->want, c->want);
	}
}

static void
test_policy_matches_and_url(void **state)
{
	static const char body[] = "version: STSv1\nmode: enforce\n"
				   "mx: mail.example.com\nmx: *.example.net\n"
				   "max_age: 604800\n";
	struct inkan_mtasts_policy *pol = NULL;
	struct inkan_buf url;

	(void)state;
	assert_int_equal(
	    inkan_mtasts_policy_parse(body, sizeof(body) - 1, NULL, &pol, NULL),
	    INKAN_OK);
	assert_true(inkan_mtasts_policy_matches(pol, "mail.example.com"));
	assert_true(inkan_mtasts_policy_matches(pol, "b.example.net"));
	assert_false(inkan_mtasts_policy_matches(pol, "example.net"));
	assert_false(inkan_mtasts_policy_matches(NULL, "b.example.net"));
	inkan_mtasts_policy_free(&pol);

	inkan_buf_init(&url, 1024);
	assert_int_equal(
	    inkan_mtasts_policy_url("example.com.", &url), INKAN_OK);
	assert_string_equal(inkan_buf_cstr(&url),
	    "https://mta-sts.example.com/.well-known/mta-sts.txt");
	inkan_buf_clear(&url);
}

/* RFC 8461 3.1 record selection, through the zone resolver. */
static void
test_lookup(void **state)
{
	static const char zone[] =
	    "_mta-sts.good.example. TXT \"v=STSv1; id=2026\"\n"
	    "_mta-sts.good.example. TXT \"v=spf1 -all\"\n"
	    "_mta-sts.split.example. TXT \"v=STSv1;\" \" id=77\"\n"
	    "_mta-sts.two.example. TXT \"v=STSv1; id=1\"\n"
	    "_mta-sts.two.example. TXT \"v=STSv1; id=2\"\n"
	    "_mta-sts.bad.example. TXT \"v=STSv1; id=\"\n"
	    "_mta-sts.other.example. TXT \"id=1; v=STSv1\"\n"
	    "nodata.example. A 192.0.2.1\n"
	    ";! TIMEOUT _mta-sts.slow.example.\n";
	static const struct {
		const char *domain;
		enum inkan_status st;
		enum inkan_mtasts_lookup_status status;
		const char *id;
	} cases[] = {
		{ "good.example", INKAN_OK, INKAN_MTASTS_LOOKUP_FOUND, "2026" },
		{ "GOOD.example.", INKAN_OK, INKAN_MTASTS_LOOKUP_FOUND,
		    "2026" },
		{ "split.example", INKAN_OK, INKAN_MTASTS_LOOKUP_FOUND, "77" },
		{ "two.example", INKAN_OK, INKAN_MTASTS_LOOKUP_SEVERAL, NULL },
		{ "bad.example", INKAN_OK, INKAN_MTASTS_LOOKUP_INVALID, NULL },
		{ "other.example", INKAN_OK, INKAN_MTASTS_LOOKUP_NONE, NULL },
		{ "nodata.example", INKAN_OK, INKAN_MTASTS_LOOKUP_NONE, NULL },
		{ "missing.example", INKAN_OK, INKAN_MTASTS_LOOKUP_NONE, NULL },
		{ "slow.example", INKAN_OK, INKAN_MTASTS_LOOKUP_TEMPERROR,
		    NULL },
		{ ".good.example", INKAN_ERR_SYNTAX, INKAN_MTASTS_LOOKUP_NONE,
		    NULL },
		{ "", INKAN_ERR_SYNTAX, INKAN_MTASTS_LOOKUP_NONE, NULL },
		{ ".", INKAN_ERR_SYNTAX, INKAN_MTASTS_LOOKUP_NONE, NULL },
		{ "a..b", INKAN_ERR_SYNTAX, INKAN_MTASTS_LOOKUP_NONE, NULL },
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
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct inkan_mtasts_record rec;
		struct inkan_mtasts_error err = { 0, "" };
		enum inkan_mtasts_lookup_status status;
		enum inkan_status st;

		st = inkan_mtasts_record_lookup(
		    r, cases[i].domain, &rec, &status, &err);
		if (st != cases[i].st || status != cases[i].status)
			fail_msg("%s: got %s/%d (%s), want %s/%d",
			    cases[i].domain, inkan_strerror(st), status,
			    err.message, inkan_strerror(cases[i].st),
			    cases[i].status);
		if (status == INKAN_MTASTS_LOOKUP_FOUND)
			assert_string_equal(rec.id, cases[i].id);
		else
			assert_true(err.message[0] != '\0');
		/* The _text variant: the same status, and the record's
		   text for FOUND and INVALID only. */
		inkan_buf_reset(&text);
		st = inkan_mtasts_record_lookup_text(
		    r, cases[i].domain, &rec, &status, &text, &err);
		assert_int_equal(st, cases[i].st);
		assert_int_equal(status, cases[i].status);
		if (status == INKAN_MTASTS_LOOKUP_FOUND ||
		    status == INKAN_MTASTS_LOOKUP_INVALID)
			assert_true(text.len > 0);
		else
			assert_int_equal(text.len, 0);
	}
	inkan_buf_clear(&text);
	inkan_resolver_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_record),
		cmocka_unit_test(test_record_is_sts),
		cmocka_unit_test(test_policy),
		cmocka_unit_test(test_policy_limits),
		cmocka_unit_test(test_response),
		cmocka_unit_test(test_mx_match),
		cmocka_unit_test(test_policy_matches_and_url),
		cmocka_unit_test(test_lookup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
