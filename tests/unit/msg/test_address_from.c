/*
 * test_address_from.c: inkan_addr_from_domains(), the DMARC Author
 * Domain(s) of a From field, and its recovery rule for fields that are not
 * RFC 5322. Table-driven: input -> count, domains in order, flags.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <inkan/msg.h>

#define NONE INKAN_ADDR_FROM_NONE
#define ONE INKAN_ADDR_FROM_ONE
#define SEVERAL INKAN_ADDR_FROM_SEVERAL
#define RECOVERED INKAN_ADDR_FROM_F_RECOVERED
#define UNUSABLE INKAN_ADDR_FROM_F_UNUSABLE
#define UNRECOVERABLE INKAN_ADDR_FROM_F_UNRECOVERABLE

struct fcase {
	const char *name;
	const char *in;
	size_t len; /* 0: strlen(in) */
	unsigned flags; /* call flags */
	size_t list_max; /* 0: the default */
	enum inkan_addr_from_count count;
	const char *domains[3]; /* in order; NULL ends */
	unsigned want; /* result flags that must be set */
	unsigned unwanted; /* result flags that must not be set */
};

static const struct fcase cases[] = {
	/* ---- strict ---- */
	{ "one", "joe@example.com", 0, 0, 0, ONE, { "example.com" }, 0,
	    RECOVERED | UNUSABLE },
	{ "same domain twice", "a@x.example, B <b@X.Example>", 0, 0, 0, ONE,
	    { "x.example" }, 0, RECOVERED },
	{ "two domains", "a@x.example, b@y.example", 0, 0, 0, SEVERAL,
	    { "x.example", "y.example" }, 0, RECOVERED },
	{ "group of two domains", "g: a@x.example, b@y.example;", 0, 0, 0,
	    SEVERAL, { "x.example", "y.example" }, INKAN_ADDR_FROM_F_GROUP,
	    RECOVERED },
	{ "empty group", "undisclosed-recipients:;", 0, 0, 0, NONE, { NULL },
	    INKAN_ADDR_FROM_F_GROUP, RECOVERED | UNRECOVERABLE },
	{ "domain literal only", "a@[192.0.2.1]", 0, 0, 0, NONE, { NULL },
	    UNUSABLE, RECOVERED },
	{ "literal and a domain", "a@[192.0.2.1], b@y.example", 0, 0, 0,
	    SEVERAL, { "y.example" }, UNUSABLE, RECOVERED },
	{ "not a host name and a domain", "a@x_y.example, b@y.example", 0, 0, 0,
	    SEVERAL, { "y.example" }, UNUSABLE, RECOVERED },
	{ "obsolete syntax", "<@route.example:joe@x.example>", 0, 0, 0, ONE,
	    { "x.example" }, INKAN_ADDR_FROM_F_OBS, RECOVERED },
	{ "IDN", "Jörg <jörg@bücher.example>", 0, 0, 0, ONE,
	    { "xn--bcher-kva.example" }, 0, RECOVERED },
	{ "ideographic full stop maps to a dot",
	    "<a@paypal\xe3\x80\x82"
	    "com>",
	    0, 0, 0, ONE, { "paypal.com" }, 0, RECOVERED },
	{ "display name holding an address (valid RFC 5322)",
	    "\"admin@victim.example\" <me@attacker.example>", 0, 0, 0, ONE,
	    { "attacker.example" }, 0, RECOVERED },
	{ "comment holding an address", "me@attacker.example (admin@victim)", 0,
	    0, 0, ONE, { "attacker.example" }, 0, RECOVERED },

	{ "encoded-word as local part",
	    "=?utf-8?b?YWRtaW5AdmljdGltLmV4YW1wbGU=?=@attacker.example", 0, 0,
	    0, ONE, { "attacker.example" }, INKAN_ADDR_FROM_F_ENCODED_LOCAL,
	    RECOVERED },
	{ "encoded-word only in the display name",
	    "=?utf-8?q?admin?= <me@attacker.example>", 0, 0, 0, ONE,
	    { "attacker.example" }, 0, INKAN_ADDR_FROM_F_ENCODED_LOCAL },
	{ "'=?' without '?=' after it", "a?=b=?c@x.example", 0, 0, 0, ONE,
	    { "x.example" }, 0, INKAN_ADDR_FROM_F_ENCODED_LOCAL },

	/* ---- recovery ---- */
	{ "empty field", "", 0, 0, 0, NONE, { NULL }, UNRECOVERABLE,
	    RECOVERED },
	{ "no address at all", "Joe Johnson", 0, 0, 0, NONE, { NULL },
	    UNRECOVERABLE, RECOVERED },
	{ "field name left in", "From: Joe <joe@x.example>", 0, 0, 0, ONE,
	    { "x.example" }, RECOVERED, 0 },
	{ "address as display name",
	    "admin@victim.example <me@attacker.example>", 0, 0, 0, SEVERAL,
	    { "victim.example", "attacker.example" }, RECOVERED, 0 },
	{ "nested angle brackets", "<<<><joe@joe.example>>>", 0, 0, 0, ONE,
	    { "joe.example" }, RECOVERED, 0 },
	{ "brackets around a second address",
	    "joe@joe.example, <<ace@ace.example>>", 0, 0, 0, SEVERAL,
	    { "joe.example", "ace.example" }, RECOVERED, 0 },
	{ "address in an unclosed quote", "\"admin@victim.example me@x.example",
	    0, 0, 0, NONE, { NULL }, UNRECOVERABLE, RECOVERED },
	{ "unclosed comment", "(admin@victim.example <me@x.example>", 0, 0, 0,
	    NONE, { NULL }, UNRECOVERABLE, RECOVERED },
	{ "NUL between two addresses",
	    "me@attacker.example\0admin@victim.example", 40, 0, 0, NONE,
	    { NULL }, UNRECOVERABLE, RECOVERED },
	{ "bare CR", "me@attacker.example\r<admin@victim.example>", 0, 0, 0,
	    NONE, { NULL }, UNRECOVERABLE, RECOVERED },
	{ "two @ in one token", "admin@victim.example@attacker.example", 0, 0,
	    0, NONE, { NULL }, RECOVERED | UNUSABLE, 0 },
	{ "stray @ token", "John @ Home <john@x.example>", 0, 0, 0, SEVERAL,
	    { "x.example" }, RECOVERED | UNUSABLE, 0 },
	{ "trailing dot", "joe@x.example.", 0, 0, 0, ONE, { "x.example" },
	    RECOVERED, 0 },
	{ "double dot in the local part", "john..doe@docomo.example", 0, 0, 0,
	    ONE, { "docomo.example" }, RECOVERED, 0 },
	{ "quoted local part", "\"john doe\"@x.example <broken", 0, 0, 0, ONE,
	    { "x.example" }, RECOVERED, 0 },
	{ "Latin-1 display name", "J\xf6rg <j@x.example>", 0, 0, 0, ONE,
	    { "x.example" }, RECOVERED, 0 },
	{ "IDN in recovery", "From: <jörg@BÜCHER.example>", 0, 0, 0, ONE,
	    { "xn--bcher-kva.example" }, RECOVERED, 0 },
	{ "recovery skips comments", "(admin@victim.example) <<me@x.example>>",
	    0, 0, 0, ONE, { "x.example" }, RECOVERED, 0 },
	{ "recovery skips nested comments with quoted-pairs",
	    "(a (b \\) admin@victim.example) d) <<me@x.example>>", 0, 0, 0, ONE,
	    { "x.example" }, RECOVERED, 0 },
	{ "recovery skips quoted-pairs in quoted strings",
	    "\"a\\\" admin@victim.example\" <<me@x.example>>", 0, 0, 0, ONE,
	    { "x.example" }, RECOVERED, 0 },
	{ "recovery across folds", "Joe\r\n <<me@x.example>>,\n\t", 0, 0, 0,
	    ONE, { "x.example" }, RECOVERED, 0 },
	{ "LF not followed by white space", "Joe\n<<me@x.example>>", 0, 0, 0,
	    NONE, { NULL }, UNRECOVERABLE, RECOVERED },
	{ "same domain twice in recovery", "<<a@x.example>> b@X.example", 0, 0,
	    0, ONE, { "x.example" }, RECOVERED, 0 },
	{ "no host name in recovery", "<<a@x_y.example>>", 0, 0, 0, NONE,
	    { NULL }, RECOVERED | UNUSABLE, 0 },
	{ "more authors than addr_list_max",
	    "a@x.example b@y.example c@z.example", 0, 0, 2, NONE, { NULL },
	    UNRECOVERABLE, RECOVERED },
	{ "NO_RECOVERY", "From: joe@x.example", 0, INKAN_ADDR_FROM_NO_RECOVERY,
	    0, NONE, { NULL }, 0, RECOVERED | UNRECOVERABLE },
};

static const char *
count_name(enum inkan_addr_from_count c)
{
	switch (c) {
	case INKAN_ADDR_FROM_NONE:
		return "none";
	case INKAN_ADDR_FROM_ONE:
		return "one";
	case INKAN_ADDR_FROM_SEVERAL:
		return "several";
	}
	return "?";
}

static int
run_case(const struct fcase *tc)
{
	struct inkan_limits lim;
	struct inkan_arena arena;
	struct inkan_addr_from res;
	enum inkan_status st;
	size_t len = tc->len ? tc->len : strlen(tc->in), i, nwant = 0;
	int bad = 0;

	inkan_limits_default(&lim);
	if (tc->list_max)
		lim.addr_list_max = tc->list_max;
	inkan_arena_init(&arena, 1 << 20);
	st =
	    inkan_addr_from_domains(tc->in, len, &lim, tc->flags, &arena, &res);
	if (st != INKAN_OK) {
		print_error("%s: status: got %s, want success\n", tc->name,
		    inkan_strerror(st));
		bad++;
		goto out;
	}
	if (res.count != tc->count) {
		print_error("%s: count: got %s, want %s\n", tc->name,
		    count_name(res.count), count_name(tc->count));
		bad++;
	}
	while (nwant < 3 && tc->domains[nwant] != NULL)
		nwant++;
	if (res.ndomains != nwant) {
		print_error("%s: domains: got %zu, want %zu\n", tc->name,
		    res.ndomains, nwant);
		bad++;
	}
	for (i = 0; i < res.ndomains && i < nwant; i++) {
		if (!inkan_view_eq(
			res.domains[i], inkan_view_cstr(tc->domains[i])) ||
		    res.domains[i].ptr[res.domains[i].len] != '\0') {
			print_error("%s: domain %zu: got \"%.*s\", want "
				    "\"%s\"\n",
			    tc->name, i, (int)res.domains[i].len,
			    (const char *)res.domains[i].ptr, tc->domains[i]);
			bad++;
		}
	}
	if ((res.flags & tc->want) != tc->want ||
	    (res.flags & tc->unwanted) != 0) {
		print_error("%s: flags: got %#x, want %#x set and %#x clear\n",
		    tc->name, res.flags, tc->want, tc->unwanted);
		bad++;
	}
	if ((res.flags & RECOVERED) && res.strict_status == INKAN_OK) {
		print_error("%s: recovered although the strict parse worked\n",
		    tc->name);
		bad++;
	}
out:
	inkan_arena_clear(&arena);
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
	print_message("%zu From cases\n", sizeof(cases) / sizeof(cases[0]));
	assert_int_equal(bad, 0);
}

/* The strict parse's error is kept for the caller to log. */
static void
test_strict_error_kept(void **state)
{
	static const char in[] = "Mail From:<joe@joe.com>";
	struct inkan_arena arena;
	struct inkan_addr_from res;

	(void)state;
	inkan_arena_init(&arena, 1 << 16);
	assert_int_equal(
	    inkan_addr_from_domains(in, sizeof(in) - 1, NULL, 0, &arena, &res),
	    INKAN_OK);
	assert_int_equal(res.strict_status, INKAN_ERR_SYNTAX);
	assert_non_null(res.list.err_msg);
	assert_int_equal(res.list.err_offset, sizeof(in) - 1);
	assert_int_equal(res.count, INKAN_ADDR_FROM_ONE);
	assert_true(res.flags & INKAN_ADDR_FROM_F_RECOVERED);
	inkan_arena_clear(&arena);
}

static void
test_arena_exhausted(void **state)
{
	static const char in[] = "From: Joe <joe@x.example>";
	struct inkan_arena arena;
	struct inkan_addr_from res;
	enum inkan_status st;
	size_t max;
	bool ok = false;

	(void)state;
	for (max = 0; max < 4096; max += 8) {
		inkan_arena_init(&arena, max);
		st = inkan_addr_from_domains(
		    in, sizeof(in) - 1, NULL, 0, &arena, &res);
		inkan_arena_clear(&arena);
		if (st == INKAN_OK) {
			assert_int_equal(res.count, INKAN_ADDR_FROM_ONE);
			ok = true;
			break;
		}
		assert_int_equal(st, INKAN_ERR_NOMEM);
	}
	assert_true(ok);
}

static void
test_invalid_arguments(void **state)
{
	struct inkan_arena arena;
	struct inkan_addr_from res;

	(void)state;
	inkan_arena_init(&arena, 4096);
	assert_int_equal(inkan_addr_from_domains("a@b", 3, NULL, 0, NULL, &res),
	    INKAN_ERR_INVAL);
	assert_int_equal(
	    inkan_addr_from_domains(NULL, 3, NULL, 0, &arena, &res),
	    INKAN_ERR_INVAL);
	assert_int_equal(
	    inkan_addr_from_domains("a@b", 3, NULL, 0, &arena, NULL),
	    INKAN_ERR_INVAL);
	inkan_arena_clear(&arena);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_strict_error_kept),
		cmocka_unit_test(test_arena_exhausted),
		cmocka_unit_test(test_invalid_arguments),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
