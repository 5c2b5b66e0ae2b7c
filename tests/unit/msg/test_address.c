/*
 * test_address.c: the RFC 5322 address-list parser, table-driven.
 *
 * Each case gives the input, the flags, the status and (for errors) the
 * byte offset, the mailbox count, and for up to three mailboxes the display
 * name, local part, DNS domain and group. Every mismatch is printed as
 * got/want; the test fails if there was any.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <inkan/msg.h>

struct want_mb {
	const char *name; /* display name */
	const char *local; /* local part value */
	const char *domain; /* DNS domain, "" when unusable */
	const char *group; /* group name */
	const char *local_raw; /* NULL: not checked */
	const char *domain_raw; /* NULL: not checked */
	unsigned flags; /* flags that must be set */
};

struct acase {
	const char *name;
	const char *in;
	size_t len; /* 0: strlen(in) */
	unsigned flags;
	size_t list_max; /* 0: the default addr_list_max */
	enum inkan_status st;
	size_t off; /* error offset, when st is not INKAN_OK */
	size_t count;
	unsigned lflags; /* list flags that must be set */
	struct want_mb mb[3];
};

#define OBS INKAN_ADDR_F_OBS
#define SYN INKAN_ERR_SYNTAX
#define LIM INKAN_ERR_LIMIT

static const struct acase cases[] = {
	/* ---- plain forms ---- */
	{ "addr-spec", "joe@example.com", 0, 0, 0, INKAN_OK, 0, 1, 0,
	    { { "", "joe", "example.com", "", "joe", "example.com", 0 } } },
	{ "domain case folded", "Joe@Example.COM", 0, 0, 0, INKAN_OK, 0, 1, 0,
	    { { "", "Joe", "example.com", "", NULL, "Example.COM", 0 } } },
	{ "name-addr", "Joe Q Public <john.q.public@example.com>", 0, 0, 0,
	    INKAN_OK, 0, 1, 0,
	    { { "Joe Q Public", "john.q.public", "example.com", "", NULL, NULL,
		INKAN_ADDR_F_ANGLE } } },
	{ "angle-addr alone", "<joe@example.com>", 0, 0, 0, INKAN_OK, 0, 1, 0,
	    { { "", "joe", "example.com", "", NULL, NULL,
		INKAN_ADDR_F_ANGLE } } },
	{ "quoted display name with comma",
	    "\"Public, John\" <jqp@example.com>", 0, 0, 0, INKAN_OK, 0, 1, 0,
	    { { "Public, John", "jqp", "example.com", "", NULL, NULL, 0 } } },
	{ "quoted-pair in display name",
	    "\"Joe \\\"The Man\\\" Smith\" <j@x.example>", 0, 0, 0, INKAN_OK, 0,
	    1, 0,
	    { { "Joe \"The Man\" Smith", "j", "x.example", "", NULL, NULL,
		0 } } },
	{ "words and quoted words", "Joe \"Q.\" Public <j@x.example>", 0, 0, 0,
	    INKAN_OK, 0, 1, 0,
	    { { "Joe Q. Public", "j", "x.example", "", NULL, NULL, 0 } } },
	{ "empty quoted display name", "\"\" <j@x.example>", 0, 0, 0, INKAN_OK,
	    0, 1, 0, { { "", "j", "x.example", "", NULL, NULL, 0 } } },
	{ "comment before addr-spec", "(Joe Johnson) joe@joe.com", 0, 0, 0,
	    INKAN_OK, 0, 1, 0,
	    { { "", "joe", "joe.com", "", NULL, NULL, 0 } } },
	{ "RFC 5322 A.5 comments everywhere",
	    "Pete(A nice \\) chap) <pete(his account)@silly.test(his host)>", 0,
	    0, 0, INKAN_OK, 0, 1, 0,
	    { { "Pete", "pete", "silly.test", "", "pete", "silly.test", 0 } } },
	{ "nested comments", "a@b.example (x (y (z)) w)", 0, 0, 0, INKAN_OK, 0,
	    1, 0, { { "", "a", "b.example", "", NULL, NULL, 0 } } },
	{ "comment between name words", "Joe (the) Smith <j@x.example>", 0, 0,
	    0, INKAN_OK, 0, 1, 0,
	    { { "Joe Smith", "j", "x.example", "", NULL, NULL, 0 } } },
	{ "CFWS inside angle brackets", "< joe@x.example >", 0, 0, 0, INKAN_OK,
	    0, 1, 0, { { "", "joe", "x.example", "", NULL, NULL, 0 } } },
	{ "two mailboxes", "a@x.example, Bee <b@y.example>", 0, 0, 0, INKAN_OK,
	    0, 2, 0,
	    { { "", "a", "x.example", "", NULL, NULL, 0 },
		{ "Bee", "b", "y.example", "", NULL, NULL, 0 } } },
	{ "three mailboxes", "a@x.example,b@y.example,\r\n c@z.example", 0, 0,
	    0, INKAN_OK, 0, 3, 0,
	    { { "", "a", "x.example", "", NULL, NULL, 0 },
		{ "", "b", "y.example", "", NULL, NULL, 0 },
		{ "", "c", "z.example", "", NULL, NULL, 0 } } },

	/* ---- groups ---- */
	{ "RFC 5322 A.1.3 group",
	    "A Group:Ed Jones <c@a.test>,joe@where.test,John <jdoe@one.test>;",
	    0, 0, 0, INKAN_OK, 0, 3, INKAN_ADDR_F_GROUP,
	    { { "Ed Jones", "c", "a.test", "A Group", NULL, NULL,
		  INKAN_ADDR_F_GROUP },
		{ "", "joe", "where.test", "A Group", NULL, NULL, 0 },
		{ "John", "jdoe", "one.test", "A Group", NULL, NULL, 0 } } },
	{ "empty group", "undisclosed-recipients:;", 0, 0, 0, INKAN_OK, 0, 0,
	    INKAN_ADDR_F_GROUP, { { NULL, NULL, NULL, NULL, NULL, NULL, 0 } } },
	{ "empty group with comment", "Undisclosed recipients: (none) ;", 0, 0,
	    0, INKAN_OK, 0, 0, INKAN_ADDR_F_GROUP,
	    { { NULL, NULL, NULL, NULL, NULL, NULL, 0 } } },
	{ "group then mailbox", "g: a@x.example; , b@y.example", 0, 0, 0,
	    INKAN_OK, 0, 2, INKAN_ADDR_F_GROUP,
	    { { "", "a", "x.example", "g", NULL, NULL, 0 },
		{ "", "b", "y.example", "", NULL, NULL, 0 } } },
	{ "obs-group-list", "g: , ,;", 0, 0, 0, INKAN_OK, 0, 0, OBS,
	    { { NULL, NULL, NULL, NULL, NULL, NULL, 0 } } },

	{ "quoted group name", "\"My Group\" (x): a@x.example;", 0, 0, 0,
	    INKAN_OK, 0, 1, INKAN_ADDR_F_GROUP,
	    { { "", "a", "x.example", "My Group", NULL, NULL, 0 } } },
	{ "obs-route inside a group", "g: <@r.example:a@x.example>;", 0, 0, 0,
	    INKAN_OK, 0, 1, OBS,
	    { { "", "a", "x.example", "g", NULL, NULL, INKAN_ADDR_F_ROUTE } } },

	/* ---- local parts ---- */
	{ "quoted local part", "\"john doe\"@example.com", 0, 0, 0, INKAN_OK, 0,
	    1, 0,
	    { { "", "john doe", "example.com", "", "\"john doe\"", NULL,
		INKAN_ADDR_F_QUOTED_LOCAL } } },
	{ "quoted-pairs in local part", "\"a\\\\b\\\"c\"@example.com", 0, 0, 0,
	    INKAN_OK, 0, 1, 0,
	    { { "", "a\\b\"c", "example.com", "", "\"a\\\\b\\\"c\"", NULL,
		0 } } },
	{ "obs-local-part with CFWS", "joe . smith @ example . com", 0, 0, 0,
	    INKAN_OK, 0, 1, OBS,
	    { { "", "joe.smith", "example.com", "", "joe . smith",
		"example . com", OBS } } },
	{ "obs-local-part quoted word", "\"joe\".smith@example.com", 0, 0, 0,
	    INKAN_OK, 0, 1, OBS,
	    { { "", "joe.smith", "example.com", "", "\"joe\".smith", NULL,
		0 } } },

	{ "comments inside angle brackets",
	    "<(c)joe(c)@(c)x.example(c)> (after)", 0, 0, 0, INKAN_OK, 0, 1, 0,
	    { { "", "joe", "x.example", "", "joe", "x.example", 0 } } },
	{ "quoted-pair of UTF-8", "\"J\\Ã¶rg\" <j@x.example>", 0, 0, 0,
	    INKAN_OK, 0, 1, 0,
	    { { "JÃ¶rg", "j", "x.example", "", NULL, NULL,
		INKAN_ADDR_F_UTF8_NAME } } },

	/* ---- domains ---- */
	{ "domain literal", "joe@[192.0.2.1]", 0, 0, 0, INKAN_OK, 0, 1, 0,
	    { { "", "joe", "", "", NULL, "[192.0.2.1]",
		INKAN_ADDR_F_DOMAIN_LITERAL } } },
	{ "domain literal, obs quoted-pair", "a@[1.2\\.3.4]", 0, 0, 0, INKAN_OK,
	    0, 1, OBS, { { "", "a", "", "", NULL, "[1.2\\.3.4]", 0 } } },
	{ "domain not a host name", "a@exa_mple.com", 0, 0, 0, INKAN_OK, 0, 1,
	    0, { { "", "a", "", "", NULL, "exa_mple.com", 0 } } },
	{ "domain label with leading hyphen", "a@-x.example", 0, 0, 0, INKAN_OK,
	    0, 1, 0, { { "", "a", "", "", NULL, NULL, 0 } } },
	{ "A-label refused by libidn2", "a@xn--zzzz.example", 0, 0, 0, INKAN_OK,
	    0, 1, 0, { { "", "a", "", "", NULL, NULL, 0 } } },

	/* ---- obsolete syntax (RFC 5322 4.4) ---- */
	{ "obs-route", "<@a.example,@b.example:joe@c.example>", 0, 0, 0,
	    INKAN_OK, 0, 1, OBS,
	    { { "", "joe", "c.example", "", NULL, NULL,
		INKAN_ADDR_F_ROUTE | OBS } } },
	{ "obs-route with empty elements",
	    "Joe <,@a.example,,@b.example:joe@c.example>", 0, 0, 0, INKAN_OK, 0,
	    1, OBS, { { "Joe", "joe", "c.example", "", NULL, NULL, 0 } } },
	{ "obs-phrase", "John Q. Public <jqp@example.com>", 0, 0, 0, INKAN_OK,
	    0, 1, OBS,
	    { { "John Q. Public", "jqp", "example.com", "", NULL, NULL, 0 } } },
	{ "obs-addr-list empty elements", "a@x.example, , b@y.example,", 0, 0,
	    0, INKAN_OK, 0, 2, OBS,
	    { { "", "a", "x.example", "", NULL, NULL, 0 },
		{ "", "b", "y.example", "", NULL, NULL, 0 } } },
	{ "obs-addr-list leading comma", ", a@x.example", 0, 0, 0, INKAN_OK, 0,
	    1, OBS, { { "", "a", "x.example", "", NULL, NULL, 0 } } },
	{ "obs-qtext control character", "\"a\001b\" <a@x.example>", 0, 0, 0,
	    INKAN_OK, 0, 1, OBS,
	    { { "a\001b", "a", "x.example", "", NULL, NULL, 0 } } },

	/* ---- folding ---- */
	{ "CRLF fold in a phrase", "Joe\r\n Smith <joe@x.example>", 0, 0, 0,
	    INKAN_OK, 0, 1, 0,
	    { { "Joe Smith", "joe", "x.example", "", NULL, NULL, 0 } } },
	{ "LF fold", "Joe\n\tSmith <joe@x.example>", 0, 0, 0, INKAN_OK, 0, 1, 0,
	    { { "Joe Smith", "joe", "x.example", "", NULL, NULL, 0 } } },
	{ "fold inside a quoted string", "\"Joe\r\n Smith\" <j@x.example>", 0,
	    0, 0, INKAN_OK, 0, 1, 0,
	    { { "Joe Smith", "j", "x.example", "", NULL, NULL, 0 } } },
	{ "final line ending", "joe@x.example\r\n", 0, 0, 0, INKAN_OK, 0, 1, 0,
	    { { "", "joe", "x.example", "", NULL, NULL, 0 } } },

	/* ---- RFC 6532 UTF-8 and IDN ---- */
	{ "IDN", "Jörg <jörg@bücher.example>", 0, 0, 0, INKAN_OK, 0, 1, 0,
	    { { "Jörg", "jörg", "xn--bcher-kva.example", "", "jörg",
		"bücher.example",
		INKAN_ADDR_F_IDN | INKAN_ADDR_F_UTF8_LOCAL |
		    INKAN_ADDR_F_UTF8_NAME } } },
	{ "IDN upper case mapped (TR46)", "a@BÜCHER.example", 0, 0, 0, INKAN_OK,
	    0, 1, 0,
	    { { "", "a", "xn--bcher-kva.example", "", NULL, NULL,
		INKAN_ADDR_F_IDN } } },
	{ "IDN non-transitional", "a@faß.de", 0, 0, 0, INKAN_OK, 0, 1, 0,
	    { { "", "a", "xn--fa-hia.de", "", NULL, NULL, 0 } } },
	{ "A-label kept", "a@XN--BCHER-KVA.example", 0, 0, 0, INKAN_OK, 0, 1, 0,
	    { { "", "a", "xn--bcher-kva.example", "", NULL, NULL,
		INKAN_ADDR_F_IDN } } },
	{ "encoded-word left as written", "=?utf-8?q?J=C3=B6rg?= <j@x.example>",
	    0, 0, 0, INKAN_OK, 0, 1, 0,
	    { { "=?utf-8?q?J=C3=B6rg?=", "j", "x.example", "", NULL, NULL,
		0 } } },

	{ "4-byte UTF-8 in a display name", "\xf0\x9f\x98\x80 <a@x.example>", 0,
	    0, 0, INKAN_OK, 0, 1, 0,
	    { { "\xf0\x9f\x98\x80", "a", "x.example", "", NULL, NULL,
		INKAN_ADDR_F_UTF8_NAME } } },
	{ "label longer than 63 octets",
	    "a@bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
	    ".example",
	    0, 0, 0, INKAN_OK, 0, 1, 0,
	    { { "", "a", "", "", NULL, NULL, 0 } } },
	{ "IDNA maps to a name that is not a host name",
	    "a@a\xef\xbc\xbf"
	    "b.b\xc3\xbc"
	    "cher.de",
	    0, 0, 0, INKAN_OK, 0, 1, 0,
	    { { "", "a", "", "", NULL, NULL, INKAN_ADDR_F_IDN } } },
	{ "obs-qp of a control character", "\"a\\\001b\" <a@x.example>", 0, 0,
	    0, INKAN_OK, 0, 1, OBS,
	    { { "a\001b", "a", "x.example", "", NULL, NULL, OBS } } },

	{ "A-label form longer than 255 octets",
	    "a@\xc3\xbc.\xc3\xbc.\xc3\xbc.\xc3\xbc.\xc3\xbc.\xc3\xbc."
	    "\xc3\xbc.\xc3\xbc.\xc3\xbc.\xc3\xbc.\xc3\xbc.\xc3\xbc."
	    "\xc3\xbc.\xc3\xbc.\xc3\xbc.\xc3\xbc.\xc3\xbc.\xc3\xbc."
	    "\xc3\xbc.\xc3\xbc.\xc3\xbc.\xc3\xbc.\xc3\xbc.\xc3\xbc."
	    "\xc3\xbc.\xc3\xbc.\xc3\xbc.\xc3\xbc.\xc3\xbc.\xc3\xbc."
	    "\xc3\xbc.\xc3\xbc.\xc3\xbc.\xc3\xbc.\xc3\xbc.\xc3\xbc."
	    "\xc3\xbc.\xc3\xbc.\xc3\xbc.\xc3\xbc.\xc3\xbc.\xc3\xbc."
	    "\xc3\xbc.\xc3\xbc.\xc3\xbc.\xc3\xbc.\xc3\xbc.\xc3\xbc."
	    "\xc3\xbc.\xc3\xbc.\xc3\xbc.\xc3\xbc.\xc3\xbc.\xc3\xbc."
	    "\xc3\xbc.\xc3\xbc.\xc3\xbc.\xc3\xbc.\xc3\xbc.\xc3\xbc",
	    0, 0, 0, INKAN_OK, 0, 1, 0,
	    { { "", "a", "", "", NULL, NULL, INKAN_ADDR_F_IDN } } },
	{ "domain literal in a route", "<@[192.0.2.1]:a@x.example>", 0, 0, 0,
	    INKAN_OK, 0, 1, OBS,
	    { { "", "a", "x.example", "", NULL, NULL, INKAN_ADDR_F_ROUTE } } },

	/* ---- errors ---- */
	{ "empty value", "", 0, 0, 0, SYN, 0, 0, 0,
	    { { NULL, NULL, NULL, NULL, NULL, NULL, 0 } } },
	{ "only CFWS", "  (comment) ", 0, 0, 0, SYN, 12, 0, 0,
	    { { NULL, NULL, NULL, NULL, NULL, NULL, 0 } } },
	{ "a word alone", "joe", 0, 0, 0, SYN, 3, 0, 0,
	    { { NULL, NULL, NULL, NULL, NULL, NULL, 0 } } },
	{ "address as display name",
	    "admin@victim.example <me@attacker.example>", 0, 0, 0, SYN, 21, 0,
	    0, { { NULL, NULL, NULL, NULL, NULL, NULL, 0 } } },
	{ "quoted string then addr-spec", "\"Johnson, Joe\" joe@joe.com", 0, 0,
	    0, SYN, 15, 0, 0, { { NULL, NULL, NULL, NULL, NULL, NULL, 0 } } },
	{ "unterminated quoted string", "\"joe <j@x.example>", 0, 0, 0, SYN, 18,
	    0, 0, { { NULL, NULL, NULL, NULL, NULL, NULL, 0 } } },
	{ "unterminated comment", "(joe j@x.example", 0, 0, 0, SYN, 16, 0, 0,
	    { { NULL, NULL, NULL, NULL, NULL, NULL, 0 } } },
	{ "unterminated angle-addr", "<joe@x.example", 0, 0, 0, SYN, 14, 0, 0,
	    { { NULL, NULL, NULL, NULL, NULL, NULL, 0 } } },
	{ "two angle-addrs", "<a@x.example> <b@y.example>", 0, 0, 0, SYN, 14, 0,
	    0, { { NULL, NULL, NULL, NULL, NULL, NULL, 0 } } },
	{ "nested angle brackets", "<<a@x.example>>", 0, 0, 0, SYN, 1, 0, 0,
	    { { NULL, NULL, NULL, NULL, NULL, NULL, 0 } } },
	{ "double dot", "joe..smith@x.example", 0, 0, 0, SYN, 4, 0, 0,
	    { { NULL, NULL, NULL, NULL, NULL, NULL, 0 } } },
	{ "trailing dot in domain", "joe@x.example.", 0, 0, 0, SYN, 14, 0, 0,
	    { { NULL, NULL, NULL, NULL, NULL, NULL, 0 } } },
	{ "empty local part", "@x.example", 0, 0, 0, SYN, 0, 0, 0,
	    { { NULL, NULL, NULL, NULL, NULL, NULL, 0 } } },
	{ "display name starts with a dot", ".John <j@x.example>", 0, 0, 0, SYN,
	    0, 0, 0, { { NULL, NULL, NULL, NULL, NULL, NULL, 0 } } },
	{ "NUL byte", "joe@x.exa\0mple", 14, 0, 0, SYN, 9, 0, 0,
	    { { NULL, NULL, NULL, NULL, NULL, NULL, 0 } } },
	{ "backslash before NUL", "\"a\\\0\"@x.example", 15, 0, 0, SYN, 3, 0, 0,
	    { { NULL, NULL, NULL, NULL, NULL, NULL, 0 } } },
	{ "bare CR", "joe@x.example\r b@y.example", 0, 0, 0, SYN, 13, 0, 0,
	    { { NULL, NULL, NULL, NULL, NULL, NULL, 0 } } },
	{ "line break not followed by WSP", "a@x.example,\r\nb@y.example", 0, 0,
	    0, SYN, 12, 0, 0, { { NULL, NULL, NULL, NULL, NULL, NULL, 0 } } },
	{ "group inside a group", "g: h: a@x.example;;", 0, 0, 0, SYN, 4, 0, 0,
	    { { NULL, NULL, NULL, NULL, NULL, NULL, 0 } } },
	{ "group members without a comma", "g: a@x.example b@y.example;", 0, 0,
	    0, SYN, 15, 0, 0, { { NULL, NULL, NULL, NULL, NULL, NULL, 0 } } },
	{ "NUL in a quoted string", "\"a\0b\" <a@x.example>", 20, 0, 0, SYN, 2,
	    0, 0, { { NULL, NULL, NULL, NULL, NULL, NULL, 0 } } },
	{ "backslash at the end", "\"abc\\", 0, 0, 0, SYN, 4, 0, 0,
	    { { NULL, NULL, NULL, NULL, NULL, NULL, 0 } } },
	{ "unterminated domain literal", "a@[192.0.2.1", 0, 0, 0, SYN, 12, 0, 0,
	    { { NULL, NULL, NULL, NULL, NULL, NULL, 0 } } },
	{ "route of commas only", "<,,:a@x.example>", 0, 0, 0, SYN, 3, 0, 0,
	    { { NULL, NULL, NULL, NULL, NULL, NULL, 0 } } },
	{ "group not ended", "g: a@x.example", 0, 0, 0, SYN, 14, 0, 0,
	    { { NULL, NULL, NULL, NULL, NULL, NULL, 0 } } },
	{ "route without colon", "<@a.example joe@x.example>", 0, 0, 0, SYN, 12,
	    0, 0, { { NULL, NULL, NULL, NULL, NULL, NULL, 0 } } },
	{ "'[' inside a domain literal", "a@[1[2]", 0, 0, 0, SYN, 4, 0, 0,
	    { { NULL, NULL, NULL, NULL, NULL, NULL, 0 } } },
	{ "malformed UTF-8", "j\xc3(@x.example", 0, 0, 0, SYN, 1, 0, 0,
	    { { NULL, NULL, NULL, NULL, NULL, NULL, 0 } } },
	{ "overlong UTF-8", "\xc0\xaf@x.example", 0, 0, 0, SYN, 0, 0, 0,
	    { { NULL, NULL, NULL, NULL, NULL, NULL, 0 } } },
	{ "UTF-16 surrogate in UTF-8", "a\xed\xa0\x80@x.example", 0, 0, 0, SYN,
	    1, 0, 0, { { NULL, NULL, NULL, NULL, NULL, NULL, 0 } } },

	/* ---- flags ---- */
	{ "NO_GROUP refuses a group", "g: a@x.example;", 0,
	    INKAN_ADDR_PARSE_NO_GROUP, 0, SYN, 1, 0, 0,
	    { { NULL, NULL, NULL, NULL, NULL, NULL, 0 } } },
	{ "NO_OBS refuses obs-phrase", "John Q. Public <jqp@example.com>", 0,
	    INKAN_ADDR_PARSE_NO_OBS, 0, SYN, 6, 0, 0,
	    { { NULL, NULL, NULL, NULL, NULL, NULL, 0 } } },
	{ "NO_OBS refuses obs-route", "<@a.example:joe@c.example>", 0,
	    INKAN_ADDR_PARSE_NO_OBS, 0, SYN, 1, 0, 0,
	    { { NULL, NULL, NULL, NULL, NULL, NULL, 0 } } },
	{ "NO_OBS refuses empty elements", "a@x.example,,b@y.example", 0,
	    INKAN_ADDR_PARSE_NO_OBS, 0, SYN, 12, 0, 0,
	    { { NULL, NULL, NULL, NULL, NULL, NULL, 0 } } },
	{ "NO_UTF8 refuses 8-bit", "jörg@x.example", 0,
	    INKAN_ADDR_PARSE_NO_UTF8, 0, SYN, 1, 0, 0,
	    { { NULL, NULL, NULL, NULL, NULL, NULL, 0 } } },

	/* ---- addr_list_max ---- */
	{ "addr_list_max mailboxes", "a@x.example, b@x.example, c@x.example", 0,
	    0, 3, INKAN_OK, 0, 3, 0,
	    { { "", "a", "x.example", "", NULL, NULL, 0 },
		{ "", "b", "x.example", "", NULL, NULL, 0 },
		{ "", "c", "x.example", "", NULL, NULL, 0 } } },
	{ "one more than addr_list_max",
	    "a@x.example, b@x.example, c@x.example, d@x.example", 0, 0, 3, LIM,
	    39, 0, 0, { { NULL, NULL, NULL, NULL, NULL, NULL, 0 } } },
	{ "addr_list_max counts group members",
	    "g: a@x.example, b@x.example;, c@x.example, d@x.example", 0, 0, 3,
	    LIM, 43, 0, 0, { { NULL, NULL, NULL, NULL, NULL, NULL, 0 } } },
};

static int
check_str(const char *cname, size_t i, const char *what, struct inkan_view got,
    const char *want)
{
	if (want == NULL)
		return 0;
	if (got.ptr == NULL) {
		print_error("%s: mailbox %zu %s: got NULL, want \"%s\"\n",
		    cname, i, what, want);
		return 1;
	}
	if (got.ptr[got.len] != '\0') {
		print_error(
		    "%s: mailbox %zu %s: not NUL-terminated\n", cname, i, what);
		return 1;
	}
	if (got.len != strlen(want) || memcmp(got.ptr, want, got.len) != 0) {
		print_error("%s: mailbox %zu %s: got \"%.*s\", want \"%s\"\n",
		    cname, i, what, (int)got.len, (const char *)got.ptr, want);
		return 1;
	}
	return 0;
}

static int
run_case(const struct acase *tc)
{
	struct inkan_limits lim;
	struct inkan_arena arena;
	struct inkan_addr_list list;
	enum inkan_status st;
	size_t len = tc->len ? tc->len : strlen(tc->in), i;
	int bad = 0;

	inkan_limits_default(&lim);
	if (tc->list_max)
		lim.addr_list_max = tc->list_max;
	inkan_arena_init(&arena, 1 << 20);
	st = inkan_addr_list_parse(tc->in, len, &lim, tc->flags, &arena, &list);
	if (st != tc->st) {
		print_error("%s: status: got %s (%s at %zu), want %s\n",
		    tc->name, inkan_strerror(st),
		    list.err_msg ? list.err_msg : "-", list.err_offset,
		    inkan_strerror(tc->st));
		bad++;
		goto out;
	}
	if (st != INKAN_OK) {
		if (list.err_offset != tc->off) {
			print_error(
			    "%s: error offset: got %zu (%s), want %zu\n",
			    tc->name, list.err_offset, list.err_msg, tc->off);
			bad++;
		}
		if (list.err_msg == NULL || list.count != 0) {
			print_error(
			    "%s: an error needs a message and count 0\n",
			    tc->name);
			bad++;
		}
		goto out;
	}
	if (list.count != tc->count) {
		print_error("%s: count: got %zu, want %zu\n", tc->name,
		    list.count, tc->count);
		bad++;
		goto out;
	}
	if ((list.flags & tc->lflags) != tc->lflags) {
		print_error("%s: list flags: got %#x, want %#x set\n", tc->name,
		    list.flags, tc->lflags);
		bad++;
	}
	for (i = 0; i < list.count && i < 3; i++) {
		const struct inkan_addr_mailbox *mb = &list.mailboxes[i];
		const struct want_mb *w = &tc->mb[i];

		bad += check_str(
		    tc->name, i, "display name", mb->display_name, w->name);
		bad += check_str(tc->name, i, "local", mb->local, w->local);
		bad += check_str(tc->name, i, "domain", mb->domain, w->domain);
		bad += check_str(tc->name, i, "group", mb->group, w->group);
		bad += check_str(
		    tc->name, i, "local_raw", mb->local_raw, w->local_raw);
		bad += check_str(
		    tc->name, i, "domain_raw", mb->domain_raw, w->domain_raw);
		if ((mb->flags & w->flags) != w->flags) {
			print_error("%s: mailbox %zu flags: got %#x, want %#x "
				    "set\n",
			    tc->name, i, mb->flags, w->flags);
			bad++;
		}
		if ((mb->domain.len == 0) != (mb->domain_status != INKAN_OK) ||
		    (mb->domain_status != INKAN_OK &&
			mb->domain_error == NULL)) {
			print_error("%s: mailbox %zu: domain, status and error "
				    "disagree\n",
			    tc->name, i);
			bad++;
		}
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
	print_message("%zu address cases\n", sizeof(cases) / sizeof(cases[0]));
	assert_int_equal(bad, 0);
}

/* Comment nesting: depth at the limit parses, one more is refused at the
   "(" that is one too many. */
static void
test_comment_depth(void **state)
{
	static const struct {
		size_t limit, depth;
		enum inkan_status want;
	} t[] = {
		{ INKAN_ADDR_COMMENT_DEPTH, INKAN_ADDR_COMMENT_DEPTH,
		    INKAN_OK },
		{ INKAN_ADDR_COMMENT_DEPTH, INKAN_ADDR_COMMENT_DEPTH + 1,
		    INKAN_ERR_LIMIT },
		{ 1, 1, INKAN_OK },
		{ 1, 2, INKAN_ERR_LIMIT },
		{ 0, 1, INKAN_ERR_LIMIT },
	};
	char in[256];
	struct inkan_limits lim;
	struct inkan_arena arena;
	struct inkan_addr_list list;
	enum inkan_status st;
	size_t i, j, n;
	int bad = 0;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		inkan_limits_default(&lim);
		lim.addr_comment_depth = t[i].limit;
		n = 0;
		for (j = 0; j < t[i].depth; j++)
			in[n++] = '(';
		for (j = 0; j < t[i].depth; j++)
			in[n++] = ')';
		memcpy(in + n, "a@x.example", 11);
		n += 11;
		inkan_arena_init(&arena, 1 << 16);
		st = inkan_addr_list_parse(in, n, &lim, 0, &arena, &list);
		if (st != t[i].want ||
		    (st != INKAN_OK && list.err_offset != t[i].limit)) {
			print_error("depth %zu, limit %zu: got %s at %zu, want "
				    "%s at %zu\n",
			    t[i].depth, t[i].limit, inkan_strerror(st),
			    list.err_offset, inkan_strerror(t[i].want),
			    t[i].limit);
			bad++;
		}
		inkan_arena_clear(&arena);
	}
	assert_int_equal(bad, 0);
}

/* Domains too long for DNS parse, but have no usable domain. */
static void
test_long_domains(void **state)
{
	static const struct {
		size_t len;
		enum inkan_status want;
	} t[] = {
		{ 255, INKAN_OK },
		{ 256, INKAN_ERR_LIMIT },
		{ 1024, INKAN_ERR_LIMIT },
		{ 1025, INKAN_ERR_LIMIT },
		{ 5000, INKAN_ERR_LIMIT },
	};
	char in[8192];
	struct inkan_arena arena;
	struct inkan_addr_list list;
	size_t i, j, n;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		n = 0;
		in[n++] = 'a';
		in[n++] = '@';
		for (j = 0; j < t[i].len; j++)
			in[n++] =
			    (j % 60 == 59 && j + 1 < t[i].len) ? '.' : 'b';
		inkan_arena_init(&arena, 1 << 20);
		assert_int_equal(
		    inkan_addr_list_parse(in, n, NULL, 0, &arena, &list),
		    INKAN_OK);
		assert_int_equal(list.count, 1);
		assert_int_equal(list.mailboxes[0].domain_raw.len, t[i].len);
		if (list.mailboxes[0].domain_status != t[i].want) {
			print_error("domain of %zu: got %s (%s), want %s\n",
			    t[i].len,
			    inkan_strerror(list.mailboxes[0].domain_status),
			    list.mailboxes[0].domain_error
				? list.mailboxes[0].domain_error
				: "-",
			    inkan_strerror(t[i].want));
			fail();
		}
		assert_int_equal(list.mailboxes[0].domain.len,
		    t[i].want == INKAN_OK ? t[i].len : 0);
		inkan_arena_clear(&arena);
	}
}

/* The default addr_list_max exactly, and one more. */
static void
test_list_max_default(void **state)
{
	struct inkan_buf b;
	struct inkan_arena arena;
	struct inkan_addr_list list;
	enum inkan_status st;
	size_t i;

	(void)state;
	inkan_buf_init(&b, 1 << 20);
	for (i = 0; i < INKAN_ADDR_LIST_MAX; i++)
		assert_int_equal(
		    inkan_buf_printf(&b, "%su%zu@x.example", i ? ", " : "", i),
		    INKAN_OK);
	inkan_arena_init(&arena, 1 << 22);
	st = inkan_addr_list_parse(b.data, b.len, NULL, 0, &arena, &list);
	assert_int_equal(st, INKAN_OK);
	assert_int_equal(list.count, INKAN_ADDR_LIST_MAX);
	assert_int_equal(
	    inkan_buf_append_cstr(&b, ", one@more.example"), INKAN_OK);
	st = inkan_addr_list_parse(b.data, b.len, NULL, 0, &arena, &list);
	assert_int_equal(st, INKAN_ERR_LIMIT);
	assert_int_equal(list.err_offset, b.len - strlen("one@more.example"));
	inkan_arena_clear(&arena);
	inkan_buf_clear(&b);
}

/* An arena too small fails cleanly with INKAN_ERR_NOMEM. */
static void
test_arena_exhausted(void **state)
{
	struct inkan_arena arena;
	struct inkan_addr_list list;
	static const char in[] = "Someone With A Long Name <a@x.example>";
	size_t max;
	enum inkan_status st;
	bool ok = false;

	(void)state;
	for (max = 0; max < 4096; max += 16) {
		inkan_arena_init(&arena, max);
		st = inkan_addr_list_parse(
		    in, sizeof(in) - 1, NULL, 0, &arena, &list);
		inkan_arena_clear(&arena);
		if (st == INKAN_OK) {
			ok = true;
			break;
		}
		assert_int_equal(st, INKAN_ERR_NOMEM);
		assert_int_equal(list.count, 0);
	}
	assert_true(ok);
}

static void
test_invalid_arguments(void **state)
{
	struct inkan_arena arena;
	struct inkan_addr_list list;

	(void)state;
	inkan_arena_init(&arena, 4096);
	assert_int_equal(inkan_addr_list_parse(NULL, 1, NULL, 0, &arena, &list),
	    INKAN_ERR_INVAL);
	assert_int_equal(inkan_addr_list_parse("a@b", 3, NULL, 0, NULL, &list),
	    INKAN_ERR_INVAL);
	assert_int_equal(inkan_addr_list_parse("a@b", 3, NULL, 0, &arena, NULL),
	    INKAN_ERR_INVAL);
	assert_int_equal(inkan_addr_list_parse(NULL, 0, NULL, 0, &arena, &list),
	    INKAN_ERR_SYNTAX);
	inkan_arena_clear(&arena);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_comment_depth),
		cmocka_unit_test(test_long_domains),
		cmocka_unit_test(test_list_max_default),
		cmocka_unit_test(test_arena_exhausted),
		cmocka_unit_test(test_invalid_arguments),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
