/*
 * test_path.c: the RFC 5321 path parser (MAIL FROM / RCPT TO arguments)
 * and its formatter, table-driven. Fields left out of a case are not
 * checked (strings) or must be zero (numbers).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <inkan/msg.h>

struct pcase {
	const char *name;
	const char *in;
	size_t len; /* 0: strlen(in) */
	unsigned flags;
	enum inkan_status st;
	size_t used; /* *consumed_r: bytes used, or the error offset */
	enum inkan_smtp_path_kind kind;
	enum inkan_smtp_domain_kind dkind;
	const char *local;
	const char *local_raw;
	const char *domain;
	const char *alabel;
	unsigned want_flags; /* result flags that must be set */
	const uint8_t *addr; /* the literal's address bytes */
	const char *fmt; /* inkan_smtp_path_format(path, 0) */
};

#define REV INKAN_SMTP_PARSE_REVERSE
#define UTF8 INKAN_SMTP_PARSE_SMTPUTF8
#define PM INKAN_SMTP_PARSE_POSTMASTER
#define LENIENT INKAN_SMTP_PARSE_LENIENT
#define SYN INKAN_ERR_SYNTAX

static const uint8_t v4[] = { 192, 0, 2, 1 };
static const uint8_t v6[] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 1 };

static const struct pcase cases[] = {
	/* ---- the null path ---- */
	{ .name = "null reverse-path",
	    .in = "<>",
	    .flags = REV,
	    .used = 2,
	    .kind = INKAN_SMTP_PATH_NULL,
	    .local = "",
	    .domain = "",
	    .fmt = "<>" },
	{ .name = "null path with parameters",
	    .in = "<> BODY=8BITMIME",
	    .flags = REV,
	    .used = 2,
	    .kind = INKAN_SMTP_PATH_NULL },
	{ .name = "null forward-path", .in = "<>", .st = SYN, .used = 0 },

	/* ---- mailboxes ---- */
	{ .name = "mailbox",
	    .in = "<a@b.example>",
	    .used = 13,
	    .local = "a",
	    .local_raw = "a",
	    .domain = "b.example",
	    .alabel = "b.example",
	    .dkind = INKAN_SMTP_DOMAIN_NAME,
	    .fmt = "<a@b.example>" },
	{ .name = "domain lowercased, local part kept",
	    .in = "<John.Smith@Example.COM>",
	    .used = 24,
	    .local = "John.Smith",
	    .domain = "example.com",
	    .alabel = "example.com",
	    .dkind = INKAN_SMTP_DOMAIN_NAME,
	    .fmt = "<John.Smith@example.com>" },
	{ .name = "ESMTP parameters follow",
	    .in = "<a@b.example> SIZE=1000 BODY=8BITMIME",
	    .flags = REV,
	    .used = 13,
	    .local = "a",
	    .domain = "b.example" },
	{ .name = "atext specials",
	    .in = "<a+tag!#$%&'*/=?^_`{|}~-@b.example>",
	    .used = 35,
	    .local = "a+tag!#$%&'*/=?^_`{|}~-" },
	{ .name = "single-label domain",
	    .in = "<root@localhost>",
	    .used = 16,
	    .domain = "localhost" },

	/* ---- source routes ---- */
	{ .name = "source route ignored",
	    .in = "<@r1.example,@r2.example:a@b.example>",
	    .used = 37,
	    .local = "a",
	    .domain = "b.example",
	    .want_flags = INKAN_SMTP_PATH_F_ROUTE,
	    .fmt = "<a@b.example>" },
	{ .name = "route without colon",
	    .in = "<@r1.example a@b.example>",
	    .st = SYN,
	    .used = 12 },
	{ .name = "route with a bad domain",
	    .in = "<@-r.example:a@b.example>",
	    .st = SYN,
	    .used = 2 },

	/* ---- quoted local parts ---- */
	{ .name = "quoted local part",
	    .in = "<\"john doe\"@b.example>",
	    .used = 22,
	    .local = "john doe",
	    .local_raw = "\"john doe\"",
	    .want_flags = INKAN_SMTP_PATH_F_QUOTED,
	    .fmt = "<\"john doe\"@b.example>" },
	{ .name = "quoted-pairs",
	    .in = "<\"a\\\"b\\\\c\"@b.example>",
	    .used = 21,
	    .local = "a\"b\\c",
	    .local_raw = "\"a\\\"b\\\\c\"" },
	{ .name = "empty quoted local part",
	    .in = "<\"\"@b.example>",
	    .used = 14,
	    .local = "",
	    .local_raw = "\"\"" },
	{ .name = "quoted-pair of a control character",
	    .in = "<\"a\\\001\"@b.example>",
	    .st = SYN,
	    .used = 4 },
	{ .name = "unterminated quoted local part",
	    .in = "<\"ab@b.example>",
	    .st = SYN,
	    .used = 15 },

	/* ---- address literals ---- */
	{ .name = "IPv4 literal",
	    .in = "<a@[192.0.2.1]>",
	    .used = 15,
	    .domain = "[192.0.2.1]",
	    .alabel = "[192.0.2.1]",
	    .dkind = INKAN_SMTP_DOMAIN_IPV4,
	    .addr = v4,
	    .fmt = "<a@[192.0.2.1]>" },
	{ .name = "IPv4 octet too big",
	    .in = "<a@[192.0.2.256]>",
	    .st = SYN,
	    .used = 3 },
	{ .name = "IPv4 with three octets",
	    .in = "<a@[192.0.2]>",
	    .st = SYN,
	    .used = 3 },
	{ .name = "IPv6 literal",
	    .in = "<a@[IPv6:2001:db8::1]>",
	    .used = 22,
	    .domain = "[IPv6:2001:db8::1]",
	    .dkind = INKAN_SMTP_DOMAIN_IPV6,
	    .addr = v6 },
	{ .name = "IPv6 tag in lower case",
	    .in = "<a@[ipv6:::1]>",
	    .used = 14,
	    .dkind = INKAN_SMTP_DOMAIN_IPV6 },
	{ .name = "IPv6 with v4 tail",
	    .in = "<a@[IPv6:::ffff:192.0.2.1]>",
	    .used = 27,
	    .dkind = INKAN_SMTP_DOMAIN_IPV6 },
	{ .name = "invalid IPv6",
	    .in = "<a@[IPv6:2001:db8:::1]>",
	    .st = SYN,
	    .used = 3 },
	{ .name = "IPv6 with a letter",
	    .in = "<a@[IPv6:2001:dbg::1]>",
	    .st = SYN,
	    .used = 16 },
	{ .name = "general address literal",
	    .in = "<a@[x-tag:any.thing]>",
	    .used = 21,
	    .domain = "[x-tag:any.thing]",
	    .dkind = INKAN_SMTP_DOMAIN_GENERAL },
	{ .name = "general literal tag ending in '-'",
	    .in = "<a@[tag-:x]>",
	    .st = SYN,
	    .used = 7 },
	{ .name = "not an address literal",
	    .in = "<a@[hello]>",
	    .st = SYN,
	    .used = 3 },

	/* ---- SMTPUTF8 (RFC 6531) ---- */
	{ .name = "UTF-8 local part without SMTPUTF8",
	    .in = "<jörg@b.example>",
	    .st = SYN,
	    .used = 2 },
	{ .name = "UTF-8 domain without SMTPUTF8",
	    .in = "<a@bücher.example>",
	    .st = SYN,
	    .used = 4 },
	{ .name = "SMTPUTF8",
	    .in = "<jörg@Bücher.example>",
	    .flags = UTF8,
	    .used = 23,
	    .local = "jörg",
	    .domain = "bücher.example",
	    .alabel = "xn--bcher-kva.example",
	    .want_flags = INKAN_SMTP_PATH_F_UTF8,
	    .fmt = "<jörg@bücher.example>" },
	{ .name = "SMTPUTF8 quoted",
	    .in = "<\"jö rg\"@b.example>",
	    .flags = UTF8,
	    .used = 20,
	    .local = "jö rg" },
	{ .name = "SMTPUTF8 malformed UTF-8",
	    .in = "<a\xff@b.example>",
	    .flags = UTF8,
	    .st = SYN,
	    .used = 2 },
	{ .name = "SMTPUTF8 U-label libidn2 refuses",
	    .in = "<a@\xe2\x80\x8d"
		  "b.example>",
	    .flags = UTF8,
	    .st = SYN,
	    .used = 3 },

	/* ---- Postmaster (RFC 5321 4.1.1.3) ---- */
	{ .name = "Postmaster",
	    .in = "<Postmaster>",
	    .flags = PM,
	    .used = 12,
	    .kind = INKAN_SMTP_PATH_POSTMASTER,
	    .local = "Postmaster",
	    .domain = "",
	    .fmt = "<Postmaster>" },
	{ .name = "postmaster in lower case",
	    .in = "<postmaster> X=Y",
	    .flags = PM,
	    .used = 12,
	    .kind = INKAN_SMTP_PATH_POSTMASTER,
	    .local = "postmaster" },
	{ .name = "Postmaster not allowed",
	    .in = "<Postmaster>",
	    .st = SYN,
	    .used = 11 },
	{ .name = "postmaster@domain is a mailbox",
	    .in = "<postmaster@b.example>",
	    .flags = PM,
	    .used = 22,
	    .kind = INKAN_SMTP_PATH_MAILBOX,
	    .local = "postmaster" },

	/* ---- brackets, strict and lenient ---- */
	{ .name = "no brackets", .in = "a@b.example", .st = SYN, .used = 0 },
	{ .name = "no brackets, lenient",
	    .in = "a@b.example SIZE=10",
	    .flags = LENIENT,
	    .used = 11,
	    .local = "a",
	    .domain = "b.example",
	    .want_flags = INKAN_SMTP_PATH_F_NO_BRACKETS,
	    .fmt = "<a@b.example>" },
	{ .name = "no brackets, lenient, junk after",
	    .in = "a@b.example>",
	    .flags = LENIENT,
	    .st = SYN,
	    .used = 11 },
	{ .name = "space before, strict",
	    .in = " <a@b.example>",
	    .st = SYN,
	    .used = 0 },
	{ .name = "space before, lenient",
	    .in = " <a@b.example>",
	    .flags = LENIENT,
	    .used = 14,
	    .want_flags = INKAN_SMTP_PATH_F_SPACE },
	{ .name = "Postmaster without brackets, lenient",
	    .in = "postmaster",
	    .flags = LENIENT | PM,
	    .used = 10,
	    .kind = INKAN_SMTP_PATH_POSTMASTER },
	{ .name = "missing '>'", .in = "<a@b.example", .st = SYN, .used = 12 },
	{ .name = "missing '>', lenient",
	    .in = "<a@b.example",
	    .flags = LENIENT,
	    .st = SYN,
	    .used = 12 },

	/* ---- bad syntax ---- */
	{ .name = "trailing dot",
	    .in = "<a@b.example.>",
	    .st = SYN,
	    .used = 13 },
	{ .name = "label starts with '-'",
	    .in = "<a@-b.example>",
	    .st = SYN,
	    .used = 3 },
	{ .name = "underscore in domain",
	    .in = "<a@b_c.example>",
	    .st = SYN,
	    .used = 4 },
	{ .name = "double dot",
	    .in = "<a..b@c.example>",
	    .st = SYN,
	    .used = 3 },
	{ .name = "empty local part",
	    .in = "<@b.example>",
	    .st = SYN,
	    .used = 11 },
	{ .name = "no domain", .in = "<a@>", .st = SYN, .used = 3 },
	{ .name = "comment", .in = "<a@b.example (x)>", .st = SYN, .used = 12 },
	{ .name = "NUL", .in = "<a\0@b>", .len = 6, .st = SYN, .used = 2 },
	{ .name = "empty argument", .in = "", .st = SYN, .used = 0 },
	{ .name = "control character in a quoted local part",
	    .in = "<\"a\001\"@b.example>",
	    .st = SYN,
	    .used = 3 },
	{ .name = "general literal without content",
	    .in = "<a@[tag:]>",
	    .st = SYN,
	    .used = 8 },
	{ .name = "IPv6 literal too long",
	    .in = "<a@[IPv6:1111111111111111111111111111111111111111111111111"
		  "11111111111111111111]>",
	    .st = SYN,
	    .used = 72 },
	{ .name = "route element without '@'",
	    .in = "<@a.example,b.example:x@y.example>",
	    .st = SYN,
	    .used = 12 },
	{ .name = "8-bit byte instead of '<'",
	    .in = "\xc3\xa9",
	    .st = SYN,
	    .used = 0 },
};

static int
check_str(const char *cname, const char *what, const char *got, size_t got_len,
    const char *want)
{
	if (want == NULL)
		return 0;
	if (strlen(got) != got_len) {
		print_error("%s: %s: length %zu disagrees with the string\n",
		    cname, what, got_len);
		return 1;
	}
	if (strcmp(got, want) != 0) {
		print_error("%s: %s: got \"%s\", want \"%s\"\n", cname, what,
		    got, want);
		return 1;
	}
	return 0;
}

static int
run_case(const struct pcase *tc)
{
	struct inkan_smtp_path path;
	struct inkan_buf b;
	size_t used = 99;
	enum inkan_status st;
	int bad = 0;

	st = inkan_smtp_path_parse(tc->in, tc->len ? tc->len : strlen(tc->in),
	    NULL, tc->flags, &path, &used);
	if (st != tc->st || used != tc->used) {
		print_error("%s: got %s, used %zu (%s); want %s, used %zu\n",
		    tc->name, inkan_strerror(st), used,
		    path.error ? path.error : "-", inkan_strerror(tc->st),
		    tc->used);
		return 1;
	}
	if (st != INKAN_OK) {
		if (path.error == NULL) {
			print_error("%s: no error message\n", tc->name);
			bad++;
		}
		return bad;
	}
	if (path.kind != tc->kind) {
		print_error("%s: kind: got %d, want %d\n", tc->name,
		    (int)path.kind, (int)tc->kind);
		bad++;
	}
	if (tc->dkind != INKAN_SMTP_DOMAIN_NONE &&
	    path.domain_kind != tc->dkind) {
		print_error("%s: domain kind: got %d, want %d\n", tc->name,
		    (int)path.domain_kind, (int)tc->dkind);
		bad++;
	}
	bad +=
	    check_str(tc->name, "local", path.local, path.local_len, tc->local);
	bad += check_str(tc->name, "local_raw", path.local_raw,
	    path.local_raw_len, tc->local_raw);
	bad += check_str(
	    tc->name, "domain", path.domain, path.domain_len, tc->domain);
	bad += check_str(tc->name, "domain_alabel", path.domain_alabel,
	    path.domain_alabel_len, tc->alabel);
	if ((path.flags & tc->want_flags) != tc->want_flags) {
		print_error("%s: flags: got %#x, want %#x set\n", tc->name,
		    path.flags, tc->want_flags);
		bad++;
	}
	if (tc->addr != NULL &&
	    memcmp(path.addr, tc->addr,
		path.domain_kind == INKAN_SMTP_DOMAIN_IPV4 ? 4 : 16) != 0) {
		print_error("%s: literal address bytes differ\n", tc->name);
		bad++;
	}
	if (tc->fmt != NULL) {
		inkan_buf_init(&b, 1024);
		if (inkan_smtp_path_format(&path, 0, &b) != INKAN_OK ||
		    strcmp(inkan_buf_cstr(&b), tc->fmt) != 0) {
			print_error("%s: format: got \"%s\", want \"%s\"\n",
			    tc->name, inkan_buf_cstr(&b), tc->fmt);
			bad++;
		}
		inkan_buf_clear(&b);
	}
	return bad;
}

static void
test_table(void **state)
{
	size_t i;
	int bad = 0;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		bad += run_case(&cases[i]);
	print_message("%zu path cases\n", sizeof(cases) / sizeof(cases[0]));
	assert_int_equal(bad, 0);
}

/*
 * RFC 5321 4.5.3.1 length limits at their boundaries. The input is
 * "<" local "@" domain ">" with a local part of local_len "a"s and a
 * domain of 63-octet labels (and a shorter last one) domain_len long.
 */
static void
test_lengths(void **state)
{
	static const struct {
		const char *name;
		size_t local_len, domain_len, path_max;
		enum inkan_status st;
		size_t used;
	} t[] = {
		{ "local part 64", 64, 10, 0, INKAN_OK, 77 },
		{ "local part 65", 65, 10, 0, INKAN_ERR_LIMIT, 65 },
		{ "domain 255", 1, 255, 300, INKAN_OK, 259 },
		{ "domain 256", 1, 256, 300, INKAN_ERR_LIMIT, 258 },
		{ "path 256", 64, 189, 0, INKAN_OK, 256 },
		{ "path 257", 64, 190, 0, INKAN_ERR_LIMIT, 256 },
		{ "path 256, lenient", 64, 189, 0, INKAN_OK, 254 },
		{ "path 257, lenient", 64, 190, 0, INKAN_ERR_LIMIT, 255 },
	};
	char in[1024];
	struct inkan_limits lim;
	struct inkan_smtp_path path;
	enum inkan_status st;
	size_t i, j, n, used;
	bool lenient;
	int bad = 0;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		lenient = strstr(t[i].name, "lenient") != NULL;
		inkan_limits_default(&lim);
		if (t[i].path_max)
			lim.smtp_path_max = t[i].path_max;
		n = 0;
		if (!lenient)
			in[n++] = '<';
		for (j = 0; j < t[i].local_len; j++)
			in[n++] = 'a';
		in[n++] = '@';
		for (j = 0; j < t[i].domain_len; j++)
			in[n++] = (j % 64 == 63 && j + 1 < t[i].domain_len)
			    ? '.'
			    : 'b';
		if (!lenient)
			in[n++] = '>';
		st = inkan_smtp_path_parse(in, n, &lim,
		    lenient ? INKAN_SMTP_PARSE_LENIENT : 0, &path, &used);
		if (st != t[i].st || used != t[i].used) {
			print_error("%s: got %s used %zu (%s), want %s used "
				    "%zu\n",
			    t[i].name, inkan_strerror(st), used,
			    path.error ? path.error : "-",
			    inkan_strerror(t[i].st), t[i].used);
			bad++;
		} else if (st == INKAN_OK &&
		    (path.local_len != t[i].local_len ||
			path.domain_len != t[i].domain_len)) {
			print_error("%s: lengths %zu/%zu\n", t[i].name,
			    path.local_len, path.domain_len);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

/* Limits above the struct's capacity are lowered to it. */
static void
test_capacity(void **state)
{
	char in[INKAN_SMTP_LOCALPART_CAP + 32];
	struct inkan_limits lim;
	struct inkan_smtp_path path;
	size_t n, used;

	(void)state;
	inkan_limits_default(&lim);
	lim.smtp_localpart_max = 100000;
	lim.smtp_path_max = 100000;
	in[0] = '<';
	memset(in + 1, 'a', INKAN_SMTP_LOCALPART_CAP);
	n = 1 + INKAN_SMTP_LOCALPART_CAP;
	memcpy(in + n, "@b>", 3);
	n += 3;
	assert_int_equal(
	    inkan_smtp_path_parse(in, n, &lim, 0, &path, &used), INKAN_OK);
	assert_int_equal(path.local_len, INKAN_SMTP_LOCALPART_CAP);
	/* One more octet, quoted this time. */
	in[0] = '<';
	in[1] = '"';
	memset(in + 2, 'a', INKAN_SMTP_LOCALPART_CAP - 1);
	n = 1 + INKAN_SMTP_LOCALPART_CAP;
	memcpy(in + n, "\"@b>", 4);
	n += 4;
	assert_int_equal(inkan_smtp_path_parse(in, n, &lim, 0, &path, &used),
	    INKAN_ERR_LIMIT);
	assert_int_equal(used, 1 + INKAN_SMTP_LOCALPART_CAP);
}

static void
test_format_flags(void **state)
{
	static const struct {
		const char *in;
		unsigned parse, fmt;
		const char *want;
	} t[] = {
		{ "<a@b.example>", 0, INKAN_SMTP_FORMAT_BARE, "a@b.example" },
		{ "<>", INKAN_SMTP_PARSE_REVERSE, INKAN_SMTP_FORMAT_BARE, "" },
		{ "<jörg@bücher.example>", INKAN_SMTP_PARSE_SMTPUTF8,
		    INKAN_SMTP_FORMAT_ALABEL, "<jörg@xn--bcher-kva.example>" },
		{ "<a@Bücher.example>", INKAN_SMTP_PARSE_SMTPUTF8,
		    INKAN_SMTP_FORMAT_ALABEL | INKAN_SMTP_FORMAT_BARE,
		    "a@xn--bcher-kva.example" },
		{ "<Postmaster>", INKAN_SMTP_PARSE_POSTMASTER,
		    INKAN_SMTP_FORMAT_BARE, "Postmaster" },
	};
	struct inkan_smtp_path path;
	struct inkan_buf b;
	size_t i, used;
	int bad = 0;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_int_equal(inkan_smtp_path_parse(t[i].in, strlen(t[i].in),
				     NULL, t[i].parse, &path, &used),
		    INKAN_OK);
		inkan_buf_init(&b, 1024);
		assert_int_equal(
		    inkan_smtp_path_format(&path, t[i].fmt, &b), INKAN_OK);
		if (strcmp(inkan_buf_cstr(&b), t[i].want) != 0) {
			print_error("%s: got \"%s\", want \"%s\"\n", t[i].in,
			    inkan_buf_cstr(&b), t[i].want);
			bad++;
		}
		inkan_buf_clear(&b);
	}
	/* A full buffer: an error, and nothing half-written. */
	assert_int_equal(
	    inkan_smtp_path_parse("<a@b.example>", 13, NULL, 0, &path, &used),
	    INKAN_OK);
	inkan_buf_init(&b, 5);
	assert_int_equal(inkan_buf_append_cstr(&b, "x"), INKAN_OK);
	assert_int_not_equal(inkan_smtp_path_format(&path, 0, &b), INKAN_OK);
	assert_int_equal(b.len, 1);
	inkan_buf_clear(&b);
	assert_int_equal(bad, 0);
}

static void
test_invalid_arguments(void **state)
{
	struct inkan_smtp_path path;
	size_t used;

	(void)state;
	assert_int_equal(inkan_smtp_path_parse(NULL, 1, NULL, 0, &path, &used),
	    INKAN_ERR_INVAL);
	assert_int_equal(inkan_smtp_path_parse("<>", 2, NULL, 0, NULL, &used),
	    INKAN_ERR_INVAL);
	assert_int_equal(inkan_smtp_path_parse("<>", 2, NULL, 0, &path, NULL),
	    INKAN_ERR_INVAL);
	assert_int_equal(
	    inkan_smtp_path_format(NULL, 0, NULL), INKAN_ERR_INVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_lengths),
		cmocka_unit_test(test_capacity),
		cmocka_unit_test(test_format_flags),
		cmocka_unit_test(test_invalid_arguments),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
