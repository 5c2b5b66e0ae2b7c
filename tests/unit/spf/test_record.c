/*
 * test_record.c: the SPF record parser (RFC 7208 4.5, 4.6, 12): valid
 * records with their pieces, and each kind of syntax error with where it
 * is reported.
 */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "spf/spf_impl.h"

static const char *const mech_name[] = { "all", "include", "a", "mx", "ptr",
	"ip4", "ip6", "exists" };

/*
 * The parsed record as one line: each term as "Q mech[:domain][/c4][//c6]"
 * (Q the result letter: P F S N), ip networks in text, then "redirect=X"
 * and "exp=X" when present.
 */
static void
dump(const struct inkan_spf_record *rec, char *buf, size_t size)
{
	size_t i, off = 0;

	buf[0] = '\0';
	for (i = 0; i < rec->nterms; i++) {
		const struct spf_term *t = &rec->terms[i];
		const char *q = t->result == INKAN_SPF_PASS ? "P"
		    : t->result == INKAN_SPF_FAIL           ? "F"
		    : t->result == INKAN_SPF_SOFTFAIL       ? "S"
							    : "N";
		char net[64];

		off += (size_t)snprintf(buf + off, size - off, "%s%s %s",
		    i ? " " : "", q, mech_name[t->mech]);
		if (t->mech == SPF_MECH_IP4 || t->mech == SPF_MECH_IP6) {
			inet_ntop(t->mech == SPF_MECH_IP4 ? AF_INET : AF_INET6,
			    t->net, net, sizeof(net));
			off +=
			    (size_t)snprintf(buf + off, size - off, ":%s", net);
		}
		if (t->flags & SPF_TERM_DOMAIN)
			off += (size_t)snprintf(buf + off, size - off,
			    ":%.*s%s", (int)t->dom_len, rec->text + t->dom_off,
			    (t->flags & SPF_TERM_MACRO) ? "(m)" : "");
		if (t->cidr4 != 32)
			off += (size_t)snprintf(
			    buf + off, size - off, "/%u", t->cidr4);
		if (t->cidr6 != 128)
			off += (size_t)snprintf(
			    buf + off, size - off, "//%u", t->cidr6);
	}
	if (rec->redirect.present)
		off += (size_t)snprintf(buf + off, size - off, " redirect=%.*s",
		    (int)rec->redirect.dom_len,
		    rec->text + rec->redirect.dom_off);
	if (rec->exp.present)
		snprintf(buf + off, size - off, " exp=%.*s",
		    (int)rec->exp.dom_len, rec->text + rec->exp.dom_off);
}

struct parse_case {
	const char *name;
	const char *in;
	enum inkan_status st;
	const char *want; /* dump, or for errors the offset as "@N" */
};

static const struct parse_case cases[] = {
	/* Valid records. */
	{ "empty", "v=spf1", INKAN_OK, "" },
	{ "case of version", "V=SpF1 -ALL", INKAN_OK, "F all" },
	{ "trailing space", "v=spf1 -all ", INKAN_OK, "F all" },
	{ "two spaces", "v=spf1 a  -all", INKAN_OK, "P a F all" },
	{ "qualifiers", "v=spf1 +a -mx ~ptr ?all", INKAN_OK,
	    "P a F mx S ptr N all" },
	{ "a forms", "v=spf1 a a:example.com a/24 a//64 a:example.com/24//64",
	    INKAN_OK,
	    "P a P a:example.com P a/24 P a//64 P a:example.com/24//64" },
	{ "cidr zero", "v=spf1 a/0 mx//0", INKAN_OK, "P a/0 P mx//0" },
	{ "ip4", "v=spf1 ip4:192.0.2.1 ip4:192.0.2.77/24 ip4:0.0.0.0/0",
	    INKAN_OK, "P ip4:192.0.2.1 P ip4:192.0.2.0/24 P ip4:0.0.0.0/0" },
	{ "ip6", "v=spf1 ip6:2001:db8::1 ip6:2001:db8:ffff::/33 ip6:::/0",
	    INKAN_OK,
	    "P ip6:2001:db8::1 P ip6:2001:db8:8000:://33 P ip6::://0" },
	{ "ip6 with ip4 tail", "v=spf1 ip6:::ffff:192.0.2.1", INKAN_OK,
	    "P ip6:::ffff:192.0.2.1" },
	{ "macros", "v=spf1 exists:%{ir}.%{l1r+-}._spf.%{d} include:%{d2}",
	    INKAN_OK,
	    "P exists:%{ir}.%{l1r+-}._spf.%{d}(m) P include:%{d2}(m)" },
	{ "slash delimiter not a cidr", "v=spf1 a:%{l/}.example.com/24",
	    INKAN_OK, "P a:%{l/}.example.com(m)/24" },
	{ "colon and slash in domain", "v=spf1 a:foo:bar/baz.example.com",
	    INKAN_OK, "P a:foo:bar/baz.example.com" },
	{ "hyphen toplabel", "v=spf1 a:e14.example-com a:x.xn--zckzah",
	    INKAN_OK, "P a:e14.example-com P a:x.xn--zckzah" },
	{ "trailing dot", "v=spf1 include:o.spf.example.com. ~all", INKAN_OK,
	    "P include:o.spf.example.com. S all" },
	{ "modifiers", "v=spf1 redirect=_spf.example.com exp=exp.%{d}",
	    INKAN_OK, " redirect=_spf.example.com exp=exp.%{d}" },
	{ "unknown modifier", "v=spf1 moo.cow-far_out=man:dog/cat -all",
	    INKAN_OK, "F all" },
	{ "unknown modifier with any letter", "v=spf1 x=%{t}%{c} -all",
	    INKAN_OK, "F all" },
	{ "empty unknown modifier", "v=spf1 foo= -all", INKAN_OK, "F all" },
	{ "uppercase names", "v=spf1 INCLUDE:example.com Redirect=x.example",
	    INKAN_OK, "P include:example.com redirect=x.example" },
	{ "escapes end the domain", "v=spf1 a:macro%%percent%_url%-", INKAN_OK,
	    "P a:macro%%percent%_url%-(m)" },

	/* Syntax errors, with the offset of the offending term. */
	{ "not spf1", "v=spf10 -all", INKAN_ERR_SYNTAX, "@0" },
	{ "not spf at all", "spf1 -all", INKAN_ERR_SYNTAX, "@0" },
	{ "unknown mechanism", "v=spf1 ip4:1.2.3.4 -all moo", INKAN_ERR_SYNTAX,
	    "@24" },
	{ "redirect as mechanism", "v=spf1 redirect:t2.example.com",
	    INKAN_ERR_SYNTAX, "@7" },
	{ "bad modifier name", "v=spf1 moo.cow/far_out=man:dog/cat",
	    INKAN_ERR_SYNTAX, "@7" },
	{ "modifier name with digit first", "v=spf1 1up=foo", INKAN_ERR_SYNTAX,
	    "@7" },
	{ "empty modifier name", "v=spf1 =all", INKAN_ERR_SYNTAX, "@7" },
	{ "qualified modifier", "v=spf1 -redirect=x.example.com",
	    INKAN_ERR_SYNTAX, "@7" },
	{ "all with argument", "v=spf1 -all:foobar", INKAN_ERR_SYNTAX, "@11" },
	{ "all with cidr", "v=spf1 -all/8", INKAN_ERR_SYNTAX, "@11" },
	{ "all with dot", "v=spf1 -all.", INKAN_ERR_SYNTAX, "@7" },
	{ "ptr with cidr", "v=spf1 ptr/0 -all", INKAN_ERR_SYNTAX, "@10" },
	{ "include without domain", "v=spf1 include", INKAN_ERR_SYNTAX, "@14" },
	{ "include empty domain", "v=spf1 include: -all", INKAN_ERR_SYNTAX,
	    "@15" },
	{ "exists empty", "v=spf1 exists:", INKAN_ERR_SYNTAX, "@14" },
	{ "a empty domain", "v=spf1 a:", INKAN_ERR_SYNTAX, "@9" },
	{ "include with cidr", "v=spf1 include:ip5.example.com/24",
	    INKAN_ERR_SYNTAX, "@15" },
	{ "ip4 cidr 33", "v=spf1 ip4:1.2.3.4/33", INKAN_ERR_SYNTAX, "@18" },
	{ "ip4 cidr leading zero", "v=spf1 ip4:1.2.3.4/032", INKAN_ERR_SYNTAX,
	    "@18" },
	{ "ip4 short", "v=spf1 ip4:1.2.3", INKAN_ERR_SYNTAX, "@11" },
	{ "ip4 port", "v=spf1 ip4:1.2.3.4:8080", INKAN_ERR_SYNTAX, "@11" },
	{ "ip4 leading zero", "v=spf1 ip4:01.2.3.4", INKAN_ERR_SYNTAX, "@11" },
	{ "ip4 bare", "v=spf1 ip4", INKAN_ERR_SYNTAX, "@10" },
	{ "ip6 cidr 129", "v=spf1 ip6:::1/129", INKAN_ERR_SYNTAX, "@14" },
	{ "ip6 bad", "v=spf1 ip6:1::2::3", INKAN_ERR_SYNTAX, "@11" },
	{ "ip6 with ip4 net", "v=spf1 ip6:1.2.3.4", INKAN_ERR_SYNTAX, "@11" },
	{ "a cidr 33", "v=spf1 a/33", INKAN_ERR_SYNTAX, "@8" },
	{ "a cidr6 129", "v=spf1 a//129", INKAN_ERR_SYNTAX, "@8" },
	{ "a single-slash cidr6", "v=spf1 a/24/64", INKAN_ERR_SYNTAX, "@11" },
	{ "numeric toplabel", "v=spf1 a:111.222.33.44", INKAN_ERR_SYNTAX,
	    "@9" },
	{ "no dot", "v=spf1 a:foo-bar -all", INKAN_ERR_SYNTAX, "@9" },
	{ "only toplabel", "v=spf1 a:museum", INKAN_ERR_SYNTAX, "@9" },
	{ "only toplabel, dot", "v=spf1 a:museum.", INKAN_ERR_SYNTAX, "@9" },
	{ "dash toplabel", "v=spf1 a:example.-com", INKAN_ERR_SYNTAX, "@9" },
	{ "port in domain", "v=spf1 a:example.com:8080", INKAN_ERR_SYNTAX,
	    "@9" },
	{ "bad macro", "v=spf1 -exists:%(ir).sbl.example.com", INKAN_ERR_SYNTAX,
	    "@15" },
	{ "lone percent", "v=spf1 exists:foo%.sbl.example.com",
	    INKAN_ERR_SYNTAX, "@17" },
	{ "unknown macro letter", "v=spf1 a:%{a}.example.com", INKAN_ERR_SYNTAX,
	    "@11" },
	{ "r outside exp", "v=spf1 -all exp=%{r}.example.com", INKAN_ERR_SYNTAX,
	    "@18" },
	{ "unknown modifier bad macro", "v=spf1 -all foo=%abc",
	    INKAN_ERR_SYNTAX, "@16" },
	{ "redirect twice", "v=spf1 redirect=a.example redirect=b.example",
	    INKAN_ERR_SYNTAX, "@26" },
	{ "exp twice", "v=spf1 exp=a.example -all exp=b.example",
	    INKAN_ERR_SYNTAX, "@26" },
	{ "empty redirect", "v=spf1 ?all redirect=", INKAN_ERR_SYNTAX, "@21" },
	{ "empty exp", "v=spf1 exp= -all", INKAN_ERR_SYNTAX, "@11" },
	{ "exp not a domain", "v=spf1 exp=-all", INKAN_ERR_SYNTAX, "@11" },
	{ "control character", "v=spf1 a:ctrl.example.com\rptr -all",
	    INKAN_ERR_SYNTAX, "@25" },
	{ "newline", "v=spf1 ip4:192.0.2.5\n include:x.example",
	    INKAN_ERR_SYNTAX, "@20" },
	{ "tab separator", "v=spf1\t-all", INKAN_ERR_SYNTAX, "@0" },
	{ "non-ascii",
	    "v=spf1 \x80"
	    "a:example.net -all",
	    INKAN_ERR_SYNTAX, "@7" },
	{ "utf-8 bom in domain", "v=spf1 a:\xEF\xBB\xBFgarbage.example.net",
	    INKAN_ERR_SYNTAX, "@9" },
};

static void
test_parse_table(void **state)
{
	struct inkan_spf_record *rec;
	struct inkan_spf_error err;
	char got[1024];
	size_t i;
	enum inkan_status st;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct parse_case *c = &cases[i];

		rec = NULL;
		st = inkan_spf_record_parse(
		    c->in, strlen(c->in), NULL, &rec, &err);
		if (st != c->st)
			fail_msg("%s: got %s (%s), want %s", c->name,
			    inkan_strerror(st), err.message,
			    inkan_strerror(c->st));
		if (st == INKAN_OK) {
			dump(rec, got, sizeof(got));
			if (strcmp(got, c->want) != 0)
				fail_msg("%s: got \"%s\", want \"%s\"", c->name,
				    got, c->want);
			inkan_spf_record_free(&rec);
			assert_null(rec);
		} else {
			snprintf(got, sizeof(got), "@%zu", err.offset);
			if (strcmp(got, c->want) != 0)
				fail_msg("%s: error %s (%s), want %s", c->name,
				    got, err.message, c->want);
			assert_null(rec);
			assert_true(err.message[0] != '\0');
		}
	}
}

/* The message escapes input bytes and names the problem. */
static void
test_error_message(void **state)
{
	static const char rec_text[] = "v=spf1 a:\x01x.example.com";
	struct inkan_spf_record *rec = NULL;
	struct inkan_spf_error err;
	size_t i;

	(void)state;
	assert_int_equal(inkan_spf_record_parse(
			     rec_text, sizeof(rec_text) - 1, NULL, &rec, &err),
	    INKAN_ERR_SYNTAX);
	for (i = 0; err.message[i] != '\0'; i++)
		assert_true(err.message[i] >= 0x20 && err.message[i] < 0x7f);
	assert_int_equal(err.offset, 9);

	assert_int_equal(
	    inkan_spf_record_parse("v=spf1 foo", 10, NULL, &rec, &err),
	    INKAN_ERR_SYNTAX);
	assert_non_null(strstr(err.message, "unknown mechanism \"foo\""));
	/* err_r may be NULL. */
	assert_int_equal(
	    inkan_spf_record_parse("v=spf1 foo", 10, NULL, &rec, NULL),
	    INKAN_ERR_SYNTAX);
	assert_int_equal(
	    inkan_spf_record_parse(NULL, 0, NULL, NULL, NULL), INKAN_ERR_INVAL);
}

/* spf_record_max and spf_terms_max give INKAN_ERR_LIMIT. */
static void
test_limits(void **state)
{
	struct inkan_limits lim;
	struct inkan_spf_record *rec = NULL;
	struct inkan_spf_error err;
	struct inkan_buf b;
	size_t i;

	(void)state;
	inkan_limits_default(&lim);
	inkan_buf_init(&b, 1 << 20);
	inkan_buf_append_cstr(&b, "v=spf1");
	for (i = 0; i < 5000; i++)
		inkan_buf_append_cstr(&b, " a");
	/* 5000 terms: past both default limits. */
	assert_int_equal(
	    inkan_spf_record_parse(b.data, b.len, &lim, &rec, &err),
	    INKAN_ERR_LIMIT);
	lim.spf_record_max = b.len;
	assert_int_equal(
	    inkan_spf_record_parse(b.data, b.len, &lim, &rec, &err),
	    INKAN_ERR_LIMIT);
	assert_non_null(strstr(err.message, "terms"));
	lim.spf_terms_max = 5000;
	assert_int_equal(
	    inkan_spf_record_parse(b.data, b.len, &lim, &rec, &err), INKAN_OK);
	assert_int_equal(rec->nterms, 5000);
	inkan_spf_record_free(&rec);
	lim.spf_record_max = b.len - 1;
	assert_int_equal(
	    inkan_spf_record_parse(b.data, b.len, &lim, &rec, &err),
	    INKAN_ERR_LIMIT);
	inkan_buf_clear(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_table),
		cmocka_unit_test(test_error_message),
		cmocka_unit_test(test_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
