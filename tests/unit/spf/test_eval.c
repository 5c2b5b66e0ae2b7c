/*
 * test_eval.c: check_host() (RFC 7208 4, 5, 6) through the zone resolver:
 * every mechanism and modifier, include and redirect results, the limits
 * of 4.6.4, loops, DNS failures, the identities of 2.3 and 2.4, the
 * record cache with a fake clock, Received-SPF, the trace, and hostile
 * records whose cost is bounded (asserted on DNS queries, never on time).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <inkan/spf.h>

static const char zone[] =
    "$ORIGIN example.com.\n"
    "$TTL 300\n"
    "@ TXT \"v=spf1 ip4:192.0.2.0/24 include:inc.example.com -all\"\n"
    "@ TXT \"not an spf record\"\n"
    "@ A 192.0.2.1\n"
    "inc TXT \"v=spf1 ip4:198.51.100.10 ~all\"\n"
    "a-mech TXT \"v=spf1 a -all\"\n"
    "a-mech A 192.0.2.20\n"
    "a-mech AAAA 2001:db8::20\n"
    "a-cidr TXT \"v=spf1 a:host.example.com/24//64 -all\"\n"
    "host A 203.0.113.5\n"
    "host AAAA 2001:db8:5::5\n"
    "mx-mech TXT \"v=spf1 mx -all\"\n"
    "mx-mech MX 10 mail1.example.com.\n"
    "mx-mech MX 20 mail2.example.com.\n"
    "mail1 A 203.0.113.25\n"
    "mail2 AAAA 2001:db8::25\n"
    "ptr-mech TXT \"v=spf1 ptr -all\"\n"
    "77.113.0.203.in-addr.arpa. PTR good.ptr-mech.example.com.\n"
    "good.ptr-mech A 203.0.113.77\n"
    "78.113.0.203.in-addr.arpa. PTR bad.ptr-mech.example.com.\n"
    "bad.ptr-mech A 203.0.113.1\n"
    "exists-mech TXT \"v=spf1 exists:%{ir}.list.example.com -all\"\n"
    "5.113.0.203.list A 127.0.0.2\n"
    "ip6-mech TXT \"v=spf1 ip6:2001:db8:1::/48 -all\"\n"
    "neutral TXT \"v=spf1 ?all\"\n"
    "softfail TXT \"v=spf1 ~all\"\n"
    "default TXT \"v=spf1 ip4:10.0.0.1\"\n"
    "redir TXT \"v=spf1 redirect=example.com\"\n"
    "redir-after TXT \"v=spf1 redirect=nothing.example.com ~all\"\n"
    "redir-none TXT \"v=spf1 redirect=nothing.example.com\"\n"
    "inc-none TXT \"v=spf1 include:nothing.example.com -all\"\n"
    "inc-temp TXT \"v=spf1 include:slow.example.com -all\"\n"
    ";! TIMEOUT slow\n"
    "inc-perm TXT \"v=spf1 include:broken.example.com -all\"\n"
    "inc-fail TXT \"v=spf1 include:two-minus.example.com ?all\"\n"
    "two-minus TXT \"v=spf1 -all\"\n"
    "broken TXT \"v=spf1 foo\"\n"
    "two TXT \"v=spf1 -all\"\n"
    "two TXT \"v=spf1 +all\"\n"
    "exp-fail TXT \"v=spf1 -all exp=why.example.com\"\n"
    "why TXT \"%{c} may not send for %{d} (%{s})\"\n"
    "exp-bad TXT \"v=spf1 -all exp=badwhy.example.com\"\n"
    "badwhy TXT \"%{q} is a bad macro\"\n"
    "a-timeout TXT \"v=spf1 a:slowa.example.com -all\"\n"
    ";! TIMEOUT slowa A\n"
    "exists-servfail TXT \"v=spf1 exists:sf.example.com -all\"\n"
    ";! SERVFAIL sf\n"
    "ptr-timeout TXT \"v=spf1 ptr ip4:203.0.113.0/24 -all\"\n"
    ";! TIMEOUT 79.113.0.203.in-addr.arpa.\n"
    "loop1 TXT \"v=spf1 include:loop2.example.com -all\"\n"
    "loop2 TXT \"v=spf1 include:loop1.example.com -all\"\n"
    "rloop TXT \"v=spf1 redirect=rloop.example.com\"\n"
    "helo-host TXT \"v=spf1 a -all\"\n"
    "helo-host A 192.0.2.50\n"
    "local TXT \"v=spf1 exists:%{l}.users.example.com -all\"\n"
    "postmaster.users A 127.0.0.2\n"
    "alice.users A 127.0.0.2\n"
    "mapped TXT \"v=spf1 ip6:::/0 ip4:192.0.2.60 -all\"\n"
    "case TXT \"V=SPF1 IP4:192.0.2.70 -ALL\"\n"
    "p-macro TXT \"v=spf1 exists:%{p}.ok.example.com "
    "~exists:%{p}.unk.example.com -all\"\n"
    "good.ptr-mech.example.com.ok A 127.0.0.2\n"
    "unknown.unk A 127.0.0.3\n";

static struct inkan_resolver *
zone_resolver(void)
{
	struct inkan_resolver *r = NULL;
	struct inkan_zone_error zerr;

	assert_int_equal(inkan_resolver_new_zone(NULL, &r), INKAN_OK);
	if (inkan_resolver_zone_load_string(r, zone, sizeof(zone) - 1, &zerr) !=
	    INKAN_OK)
		fail_msg("zone line %zu: %s", zerr.line, zerr.message);
	return r;
}

struct check_case {
	const char *name;
	const char *ip;
	const char *mail_from;
	const char *helo;
	enum inkan_spf_result want;
	const char *mechanism; /* NULL: want none */
	const char *explanation; /* NULL: not checked */
};

static const struct check_case cases[] = {
	{ "ip4 pass", "192.0.2.10", "alice@example.com", "mx.example.net",
	    INKAN_SPF_PASS, "ip4:192.0.2.0/24", NULL },
	{ "include pass, softfail inside", "198.51.100.10", "alice@example.com",
	    NULL, INKAN_SPF_PASS, "include:inc.example.com", NULL },
	{ "include no match, -all", "198.51.100.11", "alice@example.com", NULL,
	    INKAN_SPF_FAIL, "-all",
	    "198.51.100.11 is not one of example.com's designated mail "
	    "servers." },
	{ "a v4", "192.0.2.20", "x@a-mech.example.com", NULL, INKAN_SPF_PASS,
	    "a", NULL },
	{ "a v6", "2001:db8::20", "x@a-mech.example.com", NULL, INKAN_SPF_PASS,
	    "a", NULL },
	{ "uppercase domain", "192.0.2.20", "X@A-MECH.EXAMPLE.COM.", NULL,
	    INKAN_SPF_PASS, "a", NULL },
	{ "mixed case domain, default explanation", "192.0.2.21",
	    "x@A-Mech.Example.Com", NULL, INKAN_SPF_FAIL, "-all",
	    "192.0.2.21 is not one of a-mech.example.com's designated mail "
	    "servers." },
	{ "a other", "192.0.2.21", "x@a-mech.example.com", NULL, INKAN_SPF_FAIL,
	    "-all", NULL },
	{ "a cidr4", "203.0.113.200", "x@a-cidr.example.com", NULL,
	    INKAN_SPF_PASS, "a:host.example.com/24//64", NULL },
	{ "a cidr6", "2001:db8:5::ffff", "x@a-cidr.example.com", NULL,
	    INKAN_SPF_PASS, "a:host.example.com/24//64", NULL },
	{ "a cidr6 outside", "2001:db8:6::5", "x@a-cidr.example.com", NULL,
	    INKAN_SPF_FAIL, "-all", NULL },
	{ "mx v4", "203.0.113.25", "x@mx-mech.example.com", NULL,
	    INKAN_SPF_PASS, "mx", NULL },
	{ "mx v6", "2001:db8::25", "x@mx-mech.example.com", NULL,
	    INKAN_SPF_PASS, "mx", NULL },
	{ "mx v6 wrong family", "::ffff:203.0.113.26", "x@mx-mech.example.com",
	    NULL, INKAN_SPF_FAIL, "-all", NULL },
	{ "ptr validated", "203.0.113.77", "x@ptr-mech.example.com", NULL,
	    INKAN_SPF_PASS, "ptr", NULL },
	{ "ptr not validated", "203.0.113.78", "x@ptr-mech.example.com", NULL,
	    INKAN_SPF_FAIL, "-all", NULL },
	{ "ptr no name", "203.0.113.80", "x@ptr-mech.example.com", NULL,
	    INKAN_SPF_FAIL, "-all", NULL },
	{ "ptr lookup timeout is no match", "203.0.113.79",
	    "x@ptr-timeout.example.com", NULL, INKAN_SPF_PASS,
	    "ip4:203.0.113.0/24", NULL },
	{ "exists", "203.0.113.5", "x@exists-mech.example.com", NULL,
	    INKAN_SPF_PASS, "exists:%{ir}.list.example.com", NULL },
	{ "exists no", "203.0.113.6", "x@exists-mech.example.com", NULL,
	    INKAN_SPF_FAIL, "-all", NULL },
	{ "ip6", "2001:db8:1:ffff::1", "x@ip6-mech.example.com", NULL,
	    INKAN_SPF_PASS, "ip6:2001:db8:1::/48", NULL },
	{ "ip6 never matches v4", "192.0.2.1", "x@mapped.example.com", NULL,
	    INKAN_SPF_FAIL, "-all", NULL },
	{ "v4-mapped client is v4", "::ffff:192.0.2.60", "x@mapped.example.com",
	    NULL, INKAN_SPF_PASS, "ip4:192.0.2.60", NULL },
	{ "neutral", "192.0.2.1", "x@neutral.example.com", NULL,
	    INKAN_SPF_NEUTRAL, "?all", NULL },
	{ "softfail", "192.0.2.1", "x@softfail.example.com", NULL,
	    INKAN_SPF_SOFTFAIL, "~all", NULL },
	{ "default neutral", "192.0.2.1", "x@default.example.com", NULL,
	    INKAN_SPF_NEUTRAL, "default", NULL },
	{ "case-insensitive record", "192.0.2.70", "x@case.example.com", NULL,
	    INKAN_SPF_PASS, "IP4:192.0.2.70", NULL },
	{ "redirect", "192.0.2.10", "x@redir.example.com", NULL, INKAN_SPF_PASS,
	    "ip4:192.0.2.0/24", NULL },
	{ "redirect ignored after all", "192.0.2.10",
	    "x@redir-after.example.com", NULL, INKAN_SPF_SOFTFAIL, "~all",
	    NULL },
	{ "redirect to none", "192.0.2.10", "x@redir-none.example.com", NULL,
	    INKAN_SPF_PERMERROR, NULL, NULL },
	{ "include none", "192.0.2.10", "x@inc-none.example.com", NULL,
	    INKAN_SPF_PERMERROR, NULL, NULL },
	{ "include temperror", "192.0.2.10", "x@inc-temp.example.com", NULL,
	    INKAN_SPF_TEMPERROR, NULL, NULL },
	{ "include permerror", "192.0.2.10", "x@inc-perm.example.com", NULL,
	    INKAN_SPF_PERMERROR, NULL, NULL },
	{ "include fail is no match", "192.0.2.10", "x@inc-fail.example.com",
	    NULL, INKAN_SPF_NEUTRAL, "?all", NULL },
	{ "p macro, validated name", "203.0.113.77", "x@p-macro.example.com",
	    NULL, INKAN_SPF_PASS, "exists:%{p}.ok.example.com", NULL },
	{ "p macro, name not validated", "203.0.113.78",
	    "x@p-macro.example.com", NULL, INKAN_SPF_SOFTFAIL,
	    "~exists:%{p}.unk.example.com", NULL },
	{ "p macro, no name", "192.0.2.200", "x@p-macro.example.com", NULL,
	    INKAN_SPF_SOFTFAIL, "~exists:%{p}.unk.example.com", NULL },
	{ "record lookup timeout", "192.0.2.10", "x@slow.example.com", NULL,
	    INKAN_SPF_TEMPERROR, NULL, NULL },
	{ "no record", "192.0.2.10", "x@nothing.example.com", NULL,
	    INKAN_SPF_NONE, NULL, NULL },
	{ "two records", "192.0.2.10", "x@two.example.com", NULL,
	    INKAN_SPF_PERMERROR, NULL, NULL },
	{ "syntax error", "192.0.2.10", "x@broken.example.com", NULL,
	    INKAN_SPF_PERMERROR, NULL, NULL },
	{ "exp", "192.0.2.10", "bob@exp-fail.example.com", NULL, INKAN_SPF_FAIL,
	    "-all",
	    "192.0.2.10 may not send for exp-fail.example.com "
	    "(bob@exp-fail.example.com)" },
	{ "exp with bad macro gives the default", "192.0.2.10",
	    "bob@exp-bad.example.com", NULL, INKAN_SPF_FAIL, "-all",
	    "192.0.2.10 is not one of exp-bad.example.com's designated mail "
	    "servers." },
	{ "a timeout", "192.0.2.10", "x@a-timeout.example.com", NULL,
	    INKAN_SPF_TEMPERROR, NULL, NULL },
	{ "exists servfail", "192.0.2.10", "x@exists-servfail.example.com",
	    NULL, INKAN_SPF_TEMPERROR, NULL, NULL },
	{ "include loop", "192.0.2.10", "x@loop1.example.com", NULL,
	    INKAN_SPF_PERMERROR, NULL, NULL },
	{ "redirect loop", "192.0.2.10", "x@rloop.example.com", NULL,
	    INKAN_SPF_PERMERROR, NULL, NULL },
	/* RFC 7208 4.3: domains that are not FQDNs give none. */
	{ "domain literal", "192.0.2.10", "x@[192.0.2.10]", NULL,
	    INKAN_SPF_NONE, NULL, NULL },
	{ "single label", "192.0.2.10", "x@localhost", NULL, INKAN_SPF_NONE,
	    NULL, NULL },
	{ "empty label", "192.0.2.10", "x@a..example.com", NULL, INKAN_SPF_NONE,
	    NULL, NULL },
	{ "long label", "192.0.2.10",
	    "x@a123456789012345678901234567890123456789012345678901234567890123"
	    ".example.com",
	    NULL, INKAN_SPF_NONE, NULL, NULL },
	/* RFC 7208 4.3: no local part means postmaster. */
	{ "no local part", "192.0.2.10", "@local.example.com", NULL,
	    INKAN_SPF_PASS, "exists:%{l}.users.example.com", NULL },
	{ "no at sign", "192.0.2.10", "local.example.com", NULL, INKAN_SPF_PASS,
	    "exists:%{l}.users.example.com", NULL },
	{ "local part", "192.0.2.10", "alice@local.example.com", NULL,
	    INKAN_SPF_PASS, "exists:%{l}.users.example.com", NULL },
	{ "other local part", "192.0.2.10", "bob@local.example.com", NULL,
	    INKAN_SPF_FAIL, "-all", NULL },
	/* RFC 7208 2.4: the null reverse-path checks postmaster@HELO. */
	{ "null path", "192.0.2.50", "", "helo-host.example.com",
	    INKAN_SPF_PASS, "a", NULL },
	{ "null path <>", "192.0.2.51", "<>", "helo-host.example.com",
	    INKAN_SPF_FAIL, "-all", NULL },
	{ "null path NULL", "192.0.2.50", NULL, "helo-host.example.com",
	    INKAN_SPF_PASS, "a", NULL },
	{ "null path without helo", "192.0.2.50", "", NULL, INKAN_SPF_NONE,
	    NULL, NULL },
	{ "null path, helo not fqdn", "192.0.2.50", "", "A2345678",
	    INKAN_SPF_NONE, NULL, NULL },
};

static void
test_check_table(void **state)
{
	struct inkan_resolver *r = zone_resolver();
	struct inkan_spf *spf = NULL;
	struct inkan_spf_verdict *v = NULL;
	size_t i;

	(void)state;
	assert_int_equal(inkan_spf_new(r, NULL, &spf), INKAN_OK);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct check_case *c = &cases[i];
		struct inkan_spf_request req = { 0 };

		assert_int_equal(inkan_spf_ip_parse(c->ip, &req.ip), INKAN_OK);
		req.mail_from = c->mail_from;
		req.helo = c->helo;
		/* Each case twice: cold, then from the cache. */
		for (int pass = 0; pass < 2; pass++) {
			assert_int_equal(
			    inkan_spf_check(spf, &req, 0, &v), INKAN_OK);
			if (v->result != c->want)
				fail_msg("%s (%s): got %s, want %s (%s)",
				    c->name, pass ? "warm" : "cold",
				    inkan_spf_result_name(v->result),
				    inkan_spf_result_name(c->want), v->reason);
			if ((c->mechanism == NULL) != (v->mechanism == NULL) ||
			    (c->mechanism != NULL &&
				strcmp(c->mechanism, v->mechanism) != 0))
				fail_msg("%s: got mechanism %s, want %s",
				    c->name,
				    v->mechanism ? v->mechanism : "(none)",
				    c->mechanism ? c->mechanism : "(none)");
			if (c->explanation != NULL &&
			    (v->explanation == NULL ||
				strcmp(v->explanation, c->explanation) != 0))
				fail_msg("%s: got explanation \"%s\", want "
					 "\"%s\"",
				    c->name,
				    v->explanation ? v->explanation : "(none)",
				    c->explanation);
			if ((v->result == INKAN_SPF_FAIL) !=
			    (v->explanation != NULL))
				fail_msg(
				    "%s: explanation only for fail", c->name);
			assert_non_null(v->reason);
			assert_true(v->reason[0] != '\0');
			assert_int_equal(v->trace_count, 0);
			inkan_spf_verdict_free(&v);
			assert_null(v);
		}
	}
	inkan_spf_free(&spf);
	assert_null(spf);
	inkan_resolver_free(&r);
}

/* ---- limits -------------------------------------------------------- */

static void add_rr(struct inkan_resolver *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
add_rr(struct inkan_resolver *r, const char *fmt, ...)
{
	struct inkan_zone_error zerr;
	char line[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (inkan_resolver_zone_add_rr(r, line, &zerr) != INKAN_OK)
		fail_msg("%s: %s", line, zerr.message);
}

/* A TXT record of any length, split into 255-byte strings. */
static void
add_long_txt(struct inkan_resolver *r, const char *name, const char *text)
{
	struct inkan_view parts[256];
	size_t n = 0, len = strlen(text), off;

	for (off = 0; off < len && n < 256; off += 255, n++)
		parts[n] = inkan_view_make(
		    text + off, len - off > 255 ? 255 : len - off);
	assert_int_equal(
	    inkan_resolver_zone_add_txt(r, name, 300, parts, n), INKAN_OK);
}

static enum inkan_spf_result
check(struct inkan_spf *spf, const char *ip, const char *mail_from,
    unsigned *lookups_r, unsigned *voids_r)
{
	struct inkan_spf_request req = { 0 };
	struct inkan_spf_verdict *v = NULL;
	enum inkan_spf_result res;

	assert_int_equal(inkan_spf_ip_parse(ip, &req.ip), INKAN_OK);
	req.mail_from = mail_from;
	req.helo = "mx.example.net";
	assert_int_equal(inkan_spf_check(spf, &req, 0, &v), INKAN_OK);
	res = v->result;
	if (lookups_r != NULL)
		*lookups_r = v->dns_lookups;
	if (voids_r != NULL)
		*voids_r = v->void_lookups;
	inkan_spf_verdict_free(&v);
	return res;
}

/* RFC 7208 4.6.4: 10 DNS-querying terms are fine, the 11th permerror. */
static void
test_term_limit(void **state)
{
	struct inkan_resolver *r = NULL;
	struct inkan_spf *spf = NULL;
	char rec[1024];
	size_t off;
	unsigned lookups;
	int i;

	(void)state;
	assert_int_equal(inkan_resolver_new_zone(NULL, &r), INKAN_OK);
	add_rr(r, "h.lim.test. A 198.51.100.1");
	off = (size_t)snprintf(rec, sizeof(rec), "v=spf1");
	for (i = 0; i < 10; i++)
		off += (size_t)snprintf(
		    rec + off, sizeof(rec) - off, " a:h.lim.test");
	snprintf(rec + off, sizeof(rec) - off, " ip4:192.0.2.1 -all");
	add_rr(r, "ten.lim.test. TXT \"%s\"", rec);
	/* Nine a: and an include whose record has one more a: */
	off = (size_t)snprintf(rec, sizeof(rec), "v=spf1");
	for (i = 0; i < 9; i++)
		off += (size_t)snprintf(
		    rec + off, sizeof(rec) - off, " a:h.lim.test");
	snprintf(rec + off, sizeof(rec) - off,
	    " include:one.lim.test ip4:192.0.2.1 -all");
	add_rr(r, "eleven.lim.test. TXT \"%s\"", rec);
	add_rr(r, "one.lim.test. TXT \"v=spf1 a:h.lim.test\"");
	/* ip4 and all do not count. */
	add_rr(r,
	    "free.lim.test. TXT \"v=spf1 ip4:10.0.0.1 ip4:10.0.0.2 "
	    "ip6:2001:db8::1 ip4:10.0.0.3 ip4:10.0.0.4 ip4:10.0.0.5 "
	    "ip4:10.0.0.6 ip4:10.0.0.7 ip4:10.0.0.8 ip4:10.0.0.9 "
	    "ip4:10.0.0.10 ip4:192.0.2.1 -all\"");
	assert_int_equal(inkan_spf_new(r, NULL, &spf), INKAN_OK);
	assert_int_equal(
	    check(spf, "192.0.2.1", "x@ten.lim.test", &lookups, NULL),
	    INKAN_SPF_PASS);
	assert_int_equal(lookups, 10);
	assert_int_equal(
	    check(spf, "192.0.2.1", "x@eleven.lim.test", &lookups, NULL),
	    INKAN_SPF_PERMERROR);
	assert_int_equal(lookups, 11);
	assert_int_equal(
	    check(spf, "192.0.2.1", "x@free.lim.test", &lookups, NULL),
	    INKAN_SPF_PASS);
	assert_int_equal(lookups, 0);
	inkan_spf_free(&spf);
	inkan_resolver_free(&r);
}

/* RFC 7208 4.6.4: 2 void lookups are fine, the 3rd permerror. */
static void
test_void_limit(void **state)
{
	struct inkan_resolver *r = NULL;
	struct inkan_spf *spf = NULL;
	unsigned voids;

	(void)state;
	assert_int_equal(inkan_resolver_new_zone(NULL, &r), INKAN_OK);
	add_rr(r, "exists.void.test. TXT \"no A here\"");
	add_rr(r,
	    "two.void.test. TXT \"v=spf1 a:nx1.void.test "
	    "mx:exists.void.test ?all\"");
	add_rr(r,
	    "three.void.test. TXT \"v=spf1 a:nx1.void.test "
	    "a:nx2.void.test exists:nx3.void.test ?all\"");
	assert_int_equal(inkan_spf_new(r, NULL, &spf), INKAN_OK);
	assert_int_equal(
	    check(spf, "192.0.2.1", "x@two.void.test", NULL, &voids),
	    INKAN_SPF_NEUTRAL);
	assert_int_equal(voids, 2);
	assert_int_equal(
	    check(spf, "192.0.2.1", "x@three.void.test", NULL, &voids),
	    INKAN_SPF_PERMERROR);
	assert_int_equal(voids, 3);
	inkan_spf_free(&spf);
	inkan_resolver_free(&r);
}

/* RFC 7208 4.6.4: 10 MX names are fine, 11 permerror. */
static void
test_mx_limit(void **state)
{
	struct inkan_resolver *r = NULL;
	struct inkan_spf *spf = NULL;
	int i;

	(void)state;
	assert_int_equal(inkan_resolver_new_zone(NULL, &r), INKAN_OK);
	add_rr(r, "ten.mx.test. TXT \"v=spf1 mx -all\"");
	add_rr(r, "eleven.mx.test. TXT \"v=spf1 mx -all\"");
	for (i = 0; i < 11; i++) {
		add_rr(r, "m%d.mx.test. A 198.51.100.%d", i, i + 1);
		if (i < 10)
			add_rr(r, "ten.mx.test. MX %d m%d.mx.test.", i, i);
		add_rr(r, "eleven.mx.test. MX %d m%d.mx.test.", i, i);
	}
	assert_int_equal(inkan_spf_new(r, NULL, &spf), INKAN_OK);
	/* The last of ten matches. */
	assert_int_equal(
	    check(spf, "198.51.100.10", "x@ten.mx.test", NULL, NULL),
	    INKAN_SPF_PASS);
	assert_int_equal(
	    check(spf, "198.51.100.99", "x@ten.mx.test", NULL, NULL),
	    INKAN_SPF_FAIL);
	assert_int_equal(
	    check(spf, "198.51.100.1", "x@eleven.mx.test", NULL, NULL),
	    INKAN_SPF_PERMERROR);
	inkan_spf_free(&spf);
	inkan_resolver_free(&r);
}

/* RFC 7208 4.6.4: only the first 10 PTR names are looked at. */
static void
test_ptr_limit(void **state)
{
	struct inkan_resolver *r = NULL;
	struct inkan_spf *spf = NULL;
	uint64_t q0;
	int i;

	(void)state;
	assert_int_equal(inkan_resolver_new_zone(NULL, &r), INKAN_OK);
	add_rr(r, "p.ptr.test. TXT \"v=spf1 ptr -all\"");
	for (i = 0; i < 11; i++) {
		add_rr(r, "1.2.0.192.in-addr.arpa. PTR n%d.p.ptr.test.", i);
		/* Only the eleventh name validates. */
		add_rr(r, "n%d.p.ptr.test. A 192.0.2.%d", i, i == 10 ? 1 : 99);
	}
	assert_int_equal(inkan_spf_new(r, NULL, &spf), INKAN_OK);
	q0 = inkan_resolver_queries(r);
	assert_int_equal(check(spf, "192.0.2.1", "x@p.ptr.test", NULL, NULL),
	    INKAN_SPF_FAIL);
	/* TXT, PTR and at most 10 A lookups. */
	assert_true(inkan_resolver_queries(r) - q0 <= 12);
	inkan_spf_free(&spf);
	inkan_resolver_free(&r);
}

/* ---- hostile input: bounded work --------------------------------------- */

static void
test_hostile(void **state)
{
	struct inkan_resolver *r = NULL;
	struct inkan_spf *spf = NULL;
	struct inkan_limits lim;
	struct inkan_buf b;
	uint64_t q0;
	int i;

	(void)state;
	assert_int_equal(inkan_resolver_new_zone(NULL, &r), INKAN_OK);
	inkan_buf_init(&b, 1 << 20);
	/* 5000 terms: longer than spf_record_max. */
	inkan_buf_append_cstr(&b, "v=spf1");
	for (i = 0; i < 5000; i++)
		inkan_buf_append_cstr(&b, " a");
	add_long_txt(r, "huge.hostile.test", inkan_buf_cstr(&b));
	/* 600 terms, short enough, but past spf_terms_max. */
	inkan_buf_reset(&b);
	inkan_buf_append_cstr(&b, "v=spf1");
	for (i = 0; i < 600; i++)
		inkan_buf_append_cstr(&b, " a");
	add_long_txt(r, "many.hostile.test", inkan_buf_cstr(&b));
	/* 500 DNS terms that parse: stopped by the term limit. */
	inkan_buf_reset(&b);
	inkan_buf_append_cstr(&b, "v=spf1");
	for (i = 0; i < 500; i++)
		inkan_buf_append_cstr(&b, " a:x.hostile.test");
	add_long_txt(r, "terms.hostile.test", inkan_buf_cstr(&b));
	/* An include chain 50 deep. */
	for (i = 0; i < 50; i++)
		add_rr(r,
		    "c%d.hostile.test. TXT \"v=spf1 include:c%d.hostile.test\"",
		    i, i + 1);
	add_rr(r, "x.hostile.test. A 198.51.100.1");
	/* Huge macro expansions: each is cut to 253 characters. */
	add_rr(r, "%s",
	    "macro.hostile.test. TXT \"v=spf1 "
	    "exists:%{s}%{s}%{s}%{s}%{s}%{s}%{s}%{s}%{s}%{s}%{s}.%{d} "
	    "exists:%{p}.%{p}.%{p}.%{p}.%{p}.%{p}.%{p}.%{p}.x "
	    "-all\"");
	inkan_buf_clear(&b);

	assert_int_equal(inkan_spf_new(r, NULL, &spf), INKAN_OK);
	q0 = inkan_resolver_queries(r);
	assert_int_equal(
	    check(spf, "192.0.2.1", "x@huge.hostile.test", NULL, NULL),
	    INKAN_SPF_PERMERROR);
	assert_int_equal(
	    check(spf, "192.0.2.1", "x@many.hostile.test", NULL, NULL),
	    INKAN_SPF_PERMERROR);
	assert_int_equal(inkan_resolver_queries(r) - q0, 2);

	q0 = inkan_resolver_queries(r);
	assert_int_equal(
	    check(spf, "192.0.2.1", "x@terms.hostile.test", NULL, NULL),
	    INKAN_SPF_PERMERROR);
	assert_true(inkan_resolver_queries(r) - q0 <= 11);

	q0 = inkan_resolver_queries(r);
	assert_int_equal(
	    check(spf, "192.0.2.1", "x@c0.hostile.test", NULL, NULL),
	    INKAN_SPF_PERMERROR);
	assert_true(inkan_resolver_queries(r) - q0 <= 11);

	q0 = inkan_resolver_queries(r);
	assert_int_equal(check(spf, "192.0.2.1",
			     "averyveryveryveryveryverylonglocalpart@"
			     "macro.hostile.test",
			     NULL, NULL),
	    INKAN_SPF_FAIL);
	/* TXT, two exists, one PTR, the exp-less default: bounded. */
	assert_true(inkan_resolver_queries(r) - q0 <= 5);
	inkan_spf_free(&spf);

	/* With a huge term limit, the depth limit ends the chain. */
	inkan_limits_default(&lim);
	lim.spf_dns_terms_max = 1000;
	lim.spf_depth_max = 8;
	assert_int_equal(inkan_spf_new(r, &lim, &spf), INKAN_OK);
	q0 = inkan_resolver_queries(r);
	assert_int_equal(
	    check(spf, "192.0.2.1", "x@c0.hostile.test", NULL, NULL),
	    INKAN_SPF_PERMERROR);
	assert_true(inkan_resolver_queries(r) - q0 <= 9);
	inkan_spf_free(&spf);
	inkan_resolver_free(&r);
}

/* ---- cache ------------------------------------------------------------ */

static int64_t
fake_now(void *arg)
{
	return *(int64_t *)arg;
}

static void
test_cache(void **state)
{
	struct inkan_resolver *r = zone_resolver();
	struct inkan_spf *spf = NULL;
	int64_t now = 1000000;
	uint64_t q0, q1;
	unsigned lookups;

	(void)state;
	assert_int_equal(inkan_spf_new(r, NULL, &spf), INKAN_OK);
	inkan_spf_set_clock(spf, fake_now, &now);
	q0 = inkan_resolver_queries(r);
	assert_int_equal(
	    check(spf, "198.51.100.10", "a@example.com", &lookups, NULL),
	    INKAN_SPF_PASS);
	assert_int_equal(lookups, 1);
	q1 = inkan_resolver_queries(r);
	assert_int_equal(q1 - q0, 2); /* example.com and inc.example.com */
	/* Warm: the include still counts, but no DNS at all. */
	assert_int_equal(
	    check(spf, "198.51.100.10", "a@example.com", &lookups, NULL),
	    INKAN_SPF_PASS);
	assert_int_equal(lookups, 1);
	assert_int_equal(inkan_resolver_queries(r), q1);
	/* Negative answers are cached too (spf_negative_ttl). */
	assert_int_equal(
	    check(spf, "192.0.2.1", "a@nothing.example.com", NULL, NULL),
	    INKAN_SPF_NONE);
	q1 = inkan_resolver_queries(r);
	assert_int_equal(
	    check(spf, "192.0.2.1", "a@nothing.example.com", NULL, NULL),
	    INKAN_SPF_NONE);
	assert_int_equal(inkan_resolver_queries(r), q1);
	/* Records that do not parse are cached with their reason. */
	assert_int_equal(
	    check(spf, "192.0.2.1", "a@broken.example.com", NULL, NULL),
	    INKAN_SPF_PERMERROR);
	q1 = inkan_resolver_queries(r);
	assert_int_equal(
	    check(spf, "192.0.2.1", "a@broken.example.com", NULL, NULL),
	    INKAN_SPF_PERMERROR);
	assert_int_equal(inkan_resolver_queries(r), q1);
	/* After the negative TTL, but within the record TTL (300). */
	now += INKAN_SPF_NEGATIVE_TTL;
	assert_int_equal(
	    check(spf, "192.0.2.1", "a@nothing.example.com", NULL, NULL),
	    INKAN_SPF_NONE);
	assert_int_equal(inkan_resolver_queries(r), q1 + 1);
	q1 = inkan_resolver_queries(r);
	assert_int_equal(
	    check(spf, "198.51.100.10", "a@example.com", NULL, NULL),
	    INKAN_SPF_PASS);
	assert_int_equal(inkan_resolver_queries(r), q1);
	/* Past the record TTL: looked up again. */
	now += 300;
	assert_int_equal(
	    check(spf, "198.51.100.10", "a@example.com", NULL, NULL),
	    INKAN_SPF_PASS);
	assert_int_equal(inkan_resolver_queries(r), q1 + 2);
	/* A changed record is seen once the cache is cleared. */
	add_rr(r, "example.com. TXT \"v=spf1 -all\"");
	assert_int_equal(
	    check(spf, "198.51.100.10", "a@example.com", NULL, NULL),
	    INKAN_SPF_PASS);
	inkan_spf_cache_clear(spf);
	assert_int_equal(
	    check(spf, "198.51.100.10", "a@example.com", NULL, NULL),
	    INKAN_SPF_PERMERROR); /* now two records */
	inkan_spf_free(&spf);
	inkan_resolver_free(&r);
}

/* A tiny cache keeps working (entries are evicted, never leaked). */
static void
test_cache_full(void **state)
{
	struct inkan_resolver *r = zone_resolver();
	struct inkan_spf *spf = NULL;
	struct inkan_limits lim;
	int i;

	(void)state;
	inkan_limits_default(&lim);
	lim.spf_cache_max = 2;
	assert_int_equal(inkan_spf_new(r, &lim, &spf), INKAN_OK);
	for (i = 0; i < 20; i++) {
		assert_int_equal(
		    check(spf, "198.51.100.10", "a@example.com", NULL, NULL),
		    INKAN_SPF_PASS);
		assert_int_equal(check(spf, "192.0.2.20",
				     "x@a-mech.example.com", NULL, NULL),
		    INKAN_SPF_PASS);
	}
	inkan_spf_free(&spf);
	inkan_resolver_free(&r);
}

/* ---- Received-SPF, trace, API ---------------------------------------- */

static void
test_received_spf(void **state)
{
	struct inkan_resolver *r = zone_resolver();
	struct inkan_spf *spf = NULL;
	struct inkan_spf_request req = { 0 };
	struct inkan_spf_verdict *v = NULL;
	struct inkan_buf b;

	(void)state;
	assert_int_equal(inkan_spf_new(r, NULL, &spf), INKAN_OK);
	assert_int_equal(inkan_spf_ip_parse("192.0.2.10", &req.ip), INKAN_OK);
	req.mail_from = "alice@example.com";
	req.helo = "mail.example.com";
	req.receiver = "mx.example.net";
	assert_int_equal(inkan_spf_check(spf, &req, 0, &v), INKAN_OK);
	inkan_buf_init(&b, 4096);
	assert_int_equal(inkan_spf_received_spf(v, &req, &b), INKAN_OK);
	assert_string_equal(inkan_buf_cstr(&b),
	    "Received-SPF: pass (mx.example.net: 192.0.2.10 is permitted by\r\n"
	    "\tip4:192.0.2.0/24 in the SPF record of example.com) "
	    "client-ip=192.0.2.10;\r\n"
	    "\tenvelope-from=\"alice@example.com\"; helo=mail.example.com;\r\n"
	    "\treceiver=mx.example.net; identity=mailfrom; "
	    "mechanism=\"ip4:192.0.2.0/24\"");
	inkan_spf_verdict_free(&v);

	/* Values that are not dot-atoms are quoted; errors say problem=. */
	inkan_buf_reset(&b);
	req.mail_from = "\"odd local\"@broken.example.com";
	req.helo = NULL;
	req.receiver = NULL;
	assert_int_equal(inkan_spf_check(spf, &req, 0, &v), INKAN_OK);
	assert_int_equal(v->result, INKAN_SPF_PERMERROR);
	assert_int_equal(inkan_spf_received_spf(v, &req, &b), INKAN_OK);
	assert_non_null(strstr(inkan_buf_cstr(&b),
	    "envelope-from=\"\\\"odd local\\\"@broken.example.com\";"));
	assert_non_null(strstr(inkan_buf_cstr(&b), "problem=\"the SPF"));
	assert_null(strstr(inkan_buf_cstr(&b), "mechanism="));
	assert_non_null(strstr(inkan_buf_cstr(&b), "identity=mailfrom"));
	/* Every line fits in 78 columns... and no bare LF. */
	for (const char *p = inkan_buf_cstr(&b), *nl; *p != '\0';) {
		nl = strstr(p, "\r\n");
		if (nl == NULL)
			nl = p + strlen(p);
		assert_true(nl - p <= 78);
		assert_null(memchr(p, '\n', (size_t)(nl - p)));
		p = *nl != '\0' ? nl + 2 : nl;
	}
	inkan_spf_verdict_free(&v);
	inkan_buf_clear(&b);
	inkan_spf_free(&spf);
	inkan_resolver_free(&r);
}

static bool
has_step(const struct inkan_spf_verdict *v, enum inkan_spf_step_kind kind,
    unsigned depth, const char *domain, const char *text)
{
	size_t i;

	for (i = 0; i < v->trace_count; i++)
		if (v->trace[i].kind == kind && v->trace[i].depth == depth &&
		    strcmp(v->trace[i].domain, domain) == 0 &&
		    strcmp(v->trace[i].text, text) == 0)
			return true;
	return false;
}

static void
test_trace(void **state)
{
	struct inkan_resolver *r = zone_resolver();
	struct inkan_spf *spf = NULL;
	struct inkan_spf_request req = { 0 };
	struct inkan_spf_verdict *v = NULL;
	size_t i;

	(void)state;
	assert_int_equal(inkan_spf_new(r, NULL, &spf), INKAN_OK);
	assert_int_equal(
	    inkan_spf_ip_parse("198.51.100.10", &req.ip), INKAN_OK);
	req.mail_from = "alice@example.com";
	assert_int_equal(
	    inkan_spf_check(spf, &req, INKAN_SPF_TRACE, &v), INKAN_OK);
	assert_int_equal(v->result, INKAN_SPF_PASS);
	assert_true(has_step(v, INKAN_SPF_STEP_DNS, 0, "example.com",
	    "TXT example.com: NOERROR, 2 records"));
	assert_true(has_step(v, INKAN_SPF_STEP_RECORD, 0, "example.com",
	    "v=spf1 ip4:192.0.2.0/24 include:inc.example.com -all"));
	assert_true(has_step(v, INKAN_SPF_STEP_TERM, 0, "example.com",
	    "ip4:192.0.2.0/24: no match"));
	assert_true(has_step(v, INKAN_SPF_STEP_TERM, 0, "example.com",
	    "include:inc.example.com: evaluating inc.example.com"));
	assert_true(has_step(v, INKAN_SPF_STEP_TERM, 1, "inc.example.com",
	    "ip4:198.51.100.10: match"));
	assert_true(has_step(v, INKAN_SPF_STEP_RESULT, 1, "inc.example.com",
	    "check_host() = pass"));
	assert_true(has_step(
	    v, INKAN_SPF_STEP_RESULT, 0, "example.com", "check_host() = pass"));
	assert_int_equal(
	    v->trace[v->trace_count - 1].kind, INKAN_SPF_STEP_RESULT);
	assert_string_equal(v->mechanism, "include:inc.example.com");
	assert_string_equal(v->domain, "example.com");
	assert_string_equal(v->sender, "alice@example.com");
	assert_int_equal(v->identity, INKAN_SPF_ID_MAILFROM);
	inkan_spf_verdict_free(&v);

	/* Warm: the record comes from the cache, said so in the trace. */
	assert_int_equal(
	    inkan_spf_check(spf, &req, INKAN_SPF_TRACE, &v), INKAN_OK);
	assert_true(has_step(v, INKAN_SPF_STEP_RECORD, 0, "example.com",
	    "cached record: v=spf1 ip4:192.0.2.0/24 include:inc.example.com "
	    "-all"));
	inkan_spf_verdict_free(&v);

	/* Limits show up as their own step; untrusted bytes escaped. */
	req.mail_from = "x@loop1.example.com";
	assert_int_equal(
	    inkan_spf_check(spf, &req, INKAN_SPF_TRACE, &v), INKAN_OK);
	assert_int_equal(v->result, INKAN_SPF_PERMERROR);
	for (i = 0; i < v->trace_count; i++)
		if (v->trace[i].kind == INKAN_SPF_STEP_LIMIT)
			break;
	assert_true(i < v->trace_count);
	assert_non_null(strstr(v->reason, "4.6.4"));
	inkan_spf_verdict_free(&v);

	/* Hostile bytes from the sender reach DNS names, never the trace
	   or the reason unescaped. */
	req.mail_from = "a\x1b[2J\nb@local.example.com";
	assert_int_equal(
	    inkan_spf_check(spf, &req, INKAN_SPF_TRACE, &v), INKAN_OK);
	assert_int_equal(v->result, INKAN_SPF_FAIL);
	assert_true(has_step(v, INKAN_SPF_STEP_DNS, 0, "local.example.com",
	    "A a\\x1b[2J\\nb.users.example.com: NXDOMAIN, 0 records"));
	for (i = 0; i < v->trace_count; i++)
		for (const char *p = v->trace[i].text; *p != '\0'; p++)
			assert_true(*p >= 0x20 && *p < 0x7f);
	inkan_spf_verdict_free(&v);

	/* Domains are lowercased ASCII-only (bytes past 0x7f and the
	   neighbours of A-Z untouched) and escaped in the trace. */
	req.mail_from = "x@AZ[`{\xc1\xdaQ\n.Example.COM";
	assert_int_equal(
	    inkan_spf_check(spf, &req, INKAN_SPF_TRACE, &v), INKAN_OK);
	assert_int_equal(v->result, INKAN_SPF_NONE);
	assert_true(has_step(v, INKAN_SPF_STEP_DNS, 0,
	    "az[`{\\xc1\\xdaq\\n.example.com",
	    "TXT az[`{\\xc1\\xdaq\\n.example.com: NXDOMAIN, 0 records"));
	inkan_spf_verdict_free(&v);
	inkan_spf_free(&spf);
	inkan_resolver_free(&r);
}

static void
test_api(void **state)
{
	struct inkan_resolver *r = zone_resolver();
	struct inkan_spf *spf = NULL;
	struct inkan_spf_request req = { 0 };
	struct inkan_spf_verdict *v = NULL;
	struct inkan_spf_ip ip;

	(void)state;
	assert_int_equal(inkan_spf_new(NULL, NULL, &spf), INKAN_ERR_INVAL);
	assert_int_equal(inkan_spf_new(r, NULL, &spf), INKAN_OK);
	/* No address. */
	assert_int_equal(inkan_spf_check(spf, &req, 0, &v), INKAN_ERR_INVAL);
	assert_null(v);
	assert_int_equal(inkan_spf_ip_parse("1.2.3", &ip), INKAN_ERR_SYNTAX);
	assert_int_equal(
	    inkan_spf_ip_parse("192.0.2.256", &ip), INKAN_ERR_SYNTAX);
	assert_int_equal(inkan_spf_ip_parse("01.2.3.4", &ip), INKAN_ERR_SYNTAX);
	assert_int_equal(inkan_spf_ip_parse("1.2.3.4 ", &ip), INKAN_ERR_SYNTAX);
	assert_int_equal(inkan_spf_ip_parse("", &ip), INKAN_ERR_SYNTAX);
	assert_int_equal(inkan_spf_ip_parse(NULL, &ip), INKAN_ERR_INVAL);
	assert_int_equal(inkan_spf_ip_parse("255.0.10.0", &ip), INKAN_OK);
	assert_int_equal(ip.family, AF_INET);
	assert_memory_equal(ip.addr, "\xff\x00\x0a\x00", 4);
	assert_int_equal(inkan_spf_ip_parse("::ffff:192.0.2.1", &ip), INKAN_OK);
	assert_int_equal(ip.family, AF_INET);
	assert_int_equal(inkan_spf_ip_parse("2001:db8::1", &ip), INKAN_OK);
	assert_int_equal(ip.family, AF_INET6);
	assert_string_equal(
	    inkan_spf_result_name(INKAN_SPF_SOFTFAIL), "softfail");
	assert_string_equal(inkan_spf_identity_name(INKAN_SPF_ID_HELO), "helo");

	/* The HELO identity (RFC 7208 2.3). */
	assert_int_equal(inkan_spf_ip_parse("192.0.2.50", &req.ip), INKAN_OK);
	req.helo = "helo-host.example.com";
	req.mail_from = "someone@example.org";
	assert_int_equal(inkan_spf_check_helo(spf, &req, 0, &v), INKAN_OK);
	assert_int_equal(v->result, INKAN_SPF_PASS);
	assert_int_equal(v->identity, INKAN_SPF_ID_HELO);
	assert_string_equal(v->sender, "postmaster@helo-host.example.com");
	inkan_spf_verdict_free(&v);
	req.helo = "[192.0.2.50]";
	assert_int_equal(inkan_spf_check_helo(spf, &req, 0, &v), INKAN_OK);
	assert_int_equal(v->result, INKAN_SPF_NONE);
	inkan_spf_verdict_free(&v);

	/* check_host() directly. */
	assert_int_equal(
	    inkan_spf_check_host(spf, &req.ip, "helo-host.example.com", NULL,
		NULL, INKAN_SPF_ID_HELO, 0, &v),
	    INKAN_OK);
	assert_int_equal(v->result, INKAN_SPF_PASS);
	assert_string_equal(v->sender, "postmaster@helo-host.example.com");
	inkan_spf_verdict_free(&v);
	inkan_spf_verdict_free(&v); /* NULL is fine */
	inkan_spf_free(&spf);
	inkan_spf_free(&spf);
	inkan_resolver_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check_table),
		cmocka_unit_test(test_term_limit),
		cmocka_unit_test(test_void_limit),
		cmocka_unit_test(test_mx_limit),
		cmocka_unit_test(test_ptr_limit),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_cache),
		cmocka_unit_test(test_cache_full),
		cmocka_unit_test(test_received_spf),
		cmocka_unit_test(test_trace),
		cmocka_unit_test(test_api),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
