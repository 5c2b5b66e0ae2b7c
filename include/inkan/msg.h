/*
 * inkan/msg.h: what the checks read from a message.
 *
 * Three parsers of untrusted bytes, all without I/O and all bounded by
 * struct inkan_limits:
 *
 * - the incremental RFC 5322 header-section parser (section "header");
 * - the RFC 5322 address-list parser the From header needs (section
 *   "address");
 * - the RFC 5321 path parser for MAIL FROM and RCPT TO (section "path").
 */
#ifndef INKAN_MSG_H
#define INKAN_MSG_H

#include <inkan/common.h>
#include <inkan/limits.h>
#include <inkan/util.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ==== section: header ================================================= */

/* ==== end of section: header ========================================== */

/* ==== section: address ================================================ */

/*
 * RFC 5322 3.4 address lists (From, Sender, To, Cc, Reply-To ...) and the
 * DMARC Author Domain(s) of a From field (RFC 7489 3.1, 6.6.1).
 *
 *	struct inkan_arena arena;
 *	struct inkan_addr_from from;
 *
 *	inkan_arena_init(&arena, 1 << 20);
 *	if (inkan_addr_from_domains(value, value_len, NULL, 0, &arena,
 *	    &from) != INKAN_OK)
 *		goto out;		// out of memory, or bad arguments
 *	switch (from.count) {
 *	case INKAN_ADDR_FROM_ONE:	// evaluate DMARC for from.domains[0]
 *	case INKAN_ADDR_FROM_SEVERAL:	// reject, or evaluate every domain
 *	case INKAN_ADDR_FROM_NONE:	// malformed message
 *	}
 *	if (from.flags & INKAN_ADDR_FROM_F_RECOVERED)
 *		...			// the field was not RFC 5322
 *	inkan_arena_clear(&arena);
 *
 * Every string the address parser returns lives in the caller's arena, is
 * NUL-terminated (view.ptr[view.len] == 0) and never NULL (an absent string
 * is an empty view of ""). Text is returned decoded but not transformed:
 * RFC 2047 encoded-words (=?utf-8?q?...?=) in display names are left
 * exactly as they are written; decoding them is the display layer's job.
 */

/* Flags for inkan_addr_list_parse() and inkan_addr_from_domains(). */
enum inkan_addr_parse_flags {
	/* Refuse the RFC 5322 section 4 obsolete syntax (accepted by
	   default, as RFC 5322 4 says a parser must). */
	INKAN_ADDR_PARSE_NO_OBS = 1 << 0,
	/* Refuse 8-bit bytes (accepted by default as RFC 6532 UTF-8,
	   which must be well-formed). */
	INKAN_ADDR_PARSE_NO_UTF8 = 1 << 1,
	/* Refuse groups: the RFC 5322 3.6.2 mailbox-list of From and
	   Sender before RFC 6854 allowed groups there. */
	INKAN_ADDR_PARSE_NO_GROUP = 1 << 2,
	/* inkan_addr_from_domains() only: no recovery when the strict
	   parse fails; the answer is then INKAN_ADDR_FROM_NONE. */
	INKAN_ADDR_FROM_NO_RECOVERY = 1 << 8,
};

/* What a mailbox (or, OR-ed together, a list) was written with. */
enum inkan_addr_flags {
	/* RFC 5322 4.4 obsolete syntax: obs-phrase, obs-local-part,
	   obs-domain, obs-route, empty list elements, control characters. */
	INKAN_ADDR_F_OBS = 1 << 0,
	/* name-addr: the address was in <...>. */
	INKAN_ADDR_F_ANGLE = 1 << 1,
	/* An obs-route "<@a,@b:x@y>" was parsed and ignored. */
	INKAN_ADDR_F_ROUTE = 1 << 2,
	/* The local part has a quoted-string. */
	INKAN_ADDR_F_QUOTED_LOCAL = 1 << 3,
	/* The local part has 8-bit UTF-8 (RFC 6532). */
	INKAN_ADDR_F_UTF8_LOCAL = 1 << 4,
	/* The display name has 8-bit UTF-8. */
	INKAN_ADDR_F_UTF8_NAME = 1 << 5,
	/* The domain is a domain-literal [...]. */
	INKAN_ADDR_F_DOMAIN_LITERAL = 1 << 6,
	/* The domain has U-labels or xn-- A-labels. */
	INKAN_ADDR_F_IDN = 1 << 7,
	/* The mailbox is inside a group; on a list: a group, maybe an
	   empty one, was seen. */
	INKAN_ADDR_F_GROUP = 1 << 8,
};

/* One mailbox of an address list. */
struct inkan_addr_mailbox {
	/* RFC 5322 3.2.5 phrase, decoded: quoted-strings unquoted,
	   quoted-pairs unescaped, comments dropped, folding removed, each
	   run of CFWS between words one space. Empty if there is none. */
	struct inkan_view display_name;
	/* The local part exactly as written (quotes, and for obs-local-part
	   comments and white space, included). */
	struct inkan_view local_raw;
	/* The local part's value: quotes, quoted-pair backslashes and CFWS
	   removed ("john doe" for "john doe"@x). It may hold spaces and
	   specials: to write the address out again, use local_raw. */
	struct inkan_view local;
	/* The domain as written (a domain-literal with its brackets). */
	struct inkan_view domain_raw;
	/*
	 * The domain as a DNS name: lowercase ASCII, U-labels converted to
	 * A-labels with libidn2 (IDNA2008 with Unicode TR46 non-transitional
	 * mapping, the processing browsers use, so the name looked up is the
	 * one a reader sees: "Bücher.example" and "bücher.example" are both
	 * xn--bcher-kva.example, and "faß.de" is not "fass.de"). Empty when
	 * domain_status is not INKAN_OK.
	 */
	struct inkan_view domain;
	/*
	 * INKAN_OK if domain is usable; INKAN_ERR_UNSUPPORTED for a
	 * domain-literal; INKAN_ERR_SYNTAX for a domain that is valid RFC
	 * 5322 but no host name (a label that is not letters, digits and
	 * hyphens, longer than 63 octets, or that libidn2 refuses);
	 * INKAN_ERR_LIMIT for one longer than 255 octets. domain_error then
	 * says why (a static string). The list itself still parses.
	 */
	enum inkan_status domain_status;
	const char *domain_error;
	/* The decoded display name of the group holding the mailbox, or
	   empty. */
	struct inkan_view group;
	/* enum inkan_addr_flags */
	unsigned flags;
	/* Where the mailbox starts in the value. */
	size_t offset;
};

struct inkan_addr_list {
	/* count mailboxes, in order. */
	struct inkan_addr_mailbox *mailboxes;
	size_t count;
	/* Groups seen, empty ones included. */
	size_t groups;
	/* Every mailbox's flags OR-ed, plus list-level INKAN_ADDR_F_OBS
	   and INKAN_ADDR_F_GROUP. */
	unsigned flags;
	/* When the parse fails: a static English message and the byte
	   offset in the value where the parser stopped. */
	const char *err_msg;
	size_t err_offset;
};

/*
 * Parses value[0..len), the value of an address header field (what follows
 * "From:", folding CRLF or LF included; one final line ending is allowed)
 * as an RFC 5322 3.4 address-list, with the obsolete forms of RFC 5322 4.4
 * and the UTF-8 of RFC 6532 unless flags (enum inkan_addr_parse_flags) say
 * otherwise.
 *
 * Limits (lim, NULL for the defaults): at most addr_list_max mailboxes and
 * addr_comment_depth nested comments. NUL is refused everywhere (RFC 5322
 * obs-qp would allow "\" NUL; no C consumer survives it), as are CR and LF
 * outside folding white space.
 *
 * On success fills *list_r (an empty group alone gives count 0) and
 * returns INKAN_OK. On failure returns INKAN_ERR_SYNTAX or INKAN_ERR_LIMIT
 * with list_r->err_msg and err_offset set and count 0, INKAN_ERR_NOMEM
 * when the arena is exhausted, INKAN_ERR_INVAL for NULL arguments. Every
 * string is allocated in arena and lives until the arena is cleared; the
 * input is not referenced after the call.
 */
INKAN_API enum inkan_status inkan_addr_list_parse(const void *value, size_t len,
    const struct inkan_limits *lim, unsigned flags, struct inkan_arena *arena,
    struct inkan_addr_list *list_r);

/* How many distinct Author Domains a From field has. */
enum inkan_addr_from_count {
	/* No usable domain: an empty field, empty groups only, domain
	   literals only, or no address could be found at all. RFC 7489
	   6.6.1: treat as malformed. */
	INKAN_ADDR_FROM_NONE = 0,
	/* Exactly one domain, and every author mailbox has it. */
	INKAN_ADDR_FROM_ONE,
	/* Two or more distinct domains, or one domain plus an author
	   whose domain is unusable (INKAN_ADDR_FROM_F_UNUSABLE). RFC 7489
	   6.6.1: reject, or evaluate each (an unusable author fails). */
	INKAN_ADDR_FROM_SEVERAL,
};

enum inkan_addr_from_flags {
	/* The strict parse failed and the recovery rule (below) found the
	   domains. DMARC decides what that is worth. */
	INKAN_ADDR_FROM_F_RECOVERED = 1 << 0,
	/* At least one author's domain is not a usable DNS name (literal,
	   not a host name, refused by libidn2). */
	INKAN_ADDR_FROM_F_UNUSABLE = 1 << 1,
	/* The strict parse needed RFC 5322 4.4 obsolete syntax. */
	INKAN_ADDR_FROM_F_OBS = 1 << 2,
	/* The strict parse saw group syntax (RFC 6854). */
	INKAN_ADDR_FROM_F_GROUP = 1 << 3,
	/* The strict parse failed and recovery found no domain. */
	INKAN_ADDR_FROM_F_UNRECOVERABLE = 1 << 4,
};

struct inkan_addr_from {
	enum inkan_addr_from_count count;
	/* enum inkan_addr_from_flags */
	unsigned flags;
	/* The distinct domains, lowercase A-labels, in the order they first
	   appear (OpenDMARC and most receivers take domains[0] when they
	   take one). */
	struct inkan_view *domains;
	size_t ndomains;
	/* Authors without a usable domain. */
	size_t unusable;
	/* The strict parse: its status (INKAN_OK, INKAN_ERR_SYNTAX or
	   INKAN_ERR_LIMIT), and on success the mailboxes; on failure
	   list.err_msg and list.err_offset say where and why. */
	enum inkan_status strict_status;
	struct inkan_addr_list list;
};

/*
 * Finds the RFC 7489 3.1 / RFC 9989 Author Domain(s) in value[0..len), the
 * value of a From field (as for inkan_addr_list_parse(), whose flags and
 * limits apply; add INKAN_ADDR_FROM_NO_RECOVERY to skip recovery).
 *
 * The field is first parsed strictly. Only when that fails, the recovery
 * rule runs, and its answer is flagged INKAN_ADDR_FROM_F_RECOVERED:
 *
 *   1. A field holding NUL, or a control character other than HTAB and
 *      folding line breaks, is not recovered.
 *   2. Quoted strings and (nested) comments are display text, skipped; if
 *      one is not closed, nothing is recovered (where the display text
 *      ends is exactly what an attacker would like a receiver to guess).
 *      A quoted string directly followed by "@" is a quoted local part.
 *   3. The rest is cut into tokens at white space and the specials
 *      ( ) < > [ ] : ; , " \ and every token holding an "@" is an author:
 *      one "@" with a non-empty local part and a host name after it (one
 *      trailing dot dropped) gives a domain; any other "@" token gives an
 *      author with an unusable domain. More than addr_list_max such
 *      tokens: nothing is recovered.
 *   4. The answer is every distinct domain found, in order. No author is
 *      preferred over another (not the first, the last, nor the one in
 *      angle brackets): when two readings of a broken field disagree,
 *      the answer is SEVERAL, so a display that shows one address cannot
 *      be paired with an evaluation of the other.
 *
 * So "Johnson, Joe <joe@x>" joe@x, <<<><joe@x>>>, Mail From:<joe@x> and
 * "( bob@y)" joe@x all give ONE x, and admin@victim <me@attacker> gives
 * SEVERAL.
 *
 * Returns INKAN_OK with *res_r filled (domains allocated in arena), also
 * when the field is malformed; INKAN_ERR_NOMEM if the arena is exhausted;
 * INKAN_ERR_INVAL for NULL arguments.
 */
INKAN_API enum inkan_status inkan_addr_from_domains(const void *value,
    size_t len, const struct inkan_limits *lim, unsigned flags,
    struct inkan_arena *arena, struct inkan_addr_from *res_r);

/* ==== end of section: address ========================================= */

/* ==== section: path =================================================== */

/*
 * RFC 5321 4.1.2 paths: the argument of MAIL FROM: and RCPT TO:.
 *
 *	struct inkan_smtp_path path;
 *	size_t used;
 *
 *	// line = "MAIL FROM:<a@example.com> SIZE=1000", arg = line + 10
 *	if (inkan_smtp_path_parse(arg, arg_len, NULL,
 *	    INKAN_SMTP_PARSE_REVERSE, &path, &used) != INKAN_OK) {
 *		reply("501 5.1.7 %s", path.error);	// used = where
 *		...
 *	}
 *	// ESMTP parameters start at arg + used (" SIZE=1000")
 *	inkan_smtp_path_format(&path, 0, &logbuf);	// "<a@example.com>"
 */

/* Flags for inkan_smtp_path_parse(). */
enum inkan_smtp_parse_flags {
	/* A reverse-path (MAIL FROM): the null path "<>" is allowed. */
	INKAN_SMTP_PARSE_REVERSE = 1 << 0,
	/* RFC 6531 SMTPUTF8 was given: UTF-8 in the local part and U-labels
	   in the domain. Without it any 8-bit byte is an error. */
	INKAN_SMTP_PARSE_SMTPUTF8 = 1 << 1,
	/* RFC 5321 4.1.1.3: accept "<Postmaster>" (any case), no domain. */
	INKAN_SMTP_PARSE_POSTMASTER = 1 << 2,
	/* What many MTAs accept (Postfix's strict_rfc821_envelopes=no):
	   spaces before the path and a mailbox without the angle brackets,
	   ended by a space or the end. Flagged in the result. */
	INKAN_SMTP_PARSE_LENIENT = 1 << 3,
};

enum inkan_smtp_path_kind {
	/* local@domain */
	INKAN_SMTP_PATH_MAILBOX = 0,
	/* "<>" */
	INKAN_SMTP_PATH_NULL,
	/* "<Postmaster>": local part set, no domain */
	INKAN_SMTP_PATH_POSTMASTER,
};

enum inkan_smtp_domain_kind {
	/* The null path, or Postmaster. */
	INKAN_SMTP_DOMAIN_NONE = 0,
	/* A host name. */
	INKAN_SMTP_DOMAIN_NAME,
	/* [192.0.2.1] */
	INKAN_SMTP_DOMAIN_IPV4,
	/* [IPv6:2001:db8::1] */
	INKAN_SMTP_DOMAIN_IPV6,
	/* [tag:content] (RFC 5321 4.1.3 General-address-literal), kept as
	   written and not interpreted. */
	INKAN_SMTP_DOMAIN_GENERAL,
};

/* What the path was written with. */
enum inkan_smtp_path_flags {
	/* A source route was parsed and ignored (RFC 5321 4.1.2 and
	   Appendix C). */
	INKAN_SMTP_PATH_F_ROUTE = 1 << 0,
	/* The local part is a Quoted-string. */
	INKAN_SMTP_PATH_F_QUOTED = 1 << 1,
	/* 8-bit UTF-8 in the local part or the domain (SMTPUTF8). */
	INKAN_SMTP_PATH_F_UTF8 = 1 << 2,
	/* Lenient: the angle brackets were missing. */
	INKAN_SMTP_PATH_F_NO_BRACKETS = 1 << 3,
	/* Lenient: spaces came before the path. */
	INKAN_SMTP_PATH_F_SPACE = 1 << 4,
};

/*
 * What the text fields of struct inkan_smtp_path can hold. Configured
 * limits above these are lowered to them (a longer part is still refused,
 * never truncated). RFC 5321 4.5.3.1.4: a command line is 512 octets, so
 * no path that fits on one is longer; RFC 1035 2.3.4 bounds a name to 255.
 */
#define INKAN_SMTP_LOCALPART_CAP 512
#define INKAN_SMTP_DOMAIN_CAP 255

/* A parsed path; needs no allocation (every part is bounded). */
struct inkan_smtp_path {
	enum inkan_smtp_path_kind kind;
	enum inkan_smtp_domain_kind domain_kind;
	/* enum inkan_smtp_path_flags */
	unsigned flags;
	/* The local part as written (quoted ones with quotes and
	   backslashes), and its value (RFC 5321 4.1.2 Quoted-string
	   unquoted). NUL-terminated; empty for the null path. */
	char local_raw[INKAN_SMTP_LOCALPART_CAP + 1];
	size_t local_raw_len;
	char local[INKAN_SMTP_LOCALPART_CAP + 1];
	size_t local_len;
	/* The domain as written with ASCII letters lowercased (UTF-8 kept);
	   an address literal as written, brackets included. */
	char domain[INKAN_SMTP_DOMAIN_CAP + 1];
	size_t domain_len;
	/* The domain as a DNS name: lowercase A-labels (libidn2, IDNA2008
	   with TR46 non-transitional mapping); equal to domain for an ASCII
	   name or a literal. */
	char domain_alabel[INKAN_SMTP_DOMAIN_CAP + 1];
	size_t domain_alabel_len;
	/* INKAN_SMTP_DOMAIN_IPV4: 4 bytes, IPV6: 16 bytes, network order. */
	uint8_t addr[16];
	/* On failure: a static English message for the reply. */
	const char *error;
};

/*
 * Parses the path at the start of arg[0..len) (what follows "MAIL FROM:"
 * or "RCPT TO:"): RFC 5321 4.1.2 Path = "<" [ A-d-l ":" ] Mailbox ">",
 * with the flags of enum inkan_smtp_parse_flags. Quoted local parts,
 * address literals ([IPv4], [IPv6:...] checked with inet_pton(), and
 * [tag:content]) and source routes are understood; routes are dropped.
 *
 * Limits (lim, NULL for the defaults; RFC 5321 4.5.3.1): the local part as
 * written at most smtp_localpart_max octets, the domain smtp_domain_max,
 * the whole path from "<" to ">" smtp_path_max.
 *
 * Returns INKAN_OK with *path_r filled and *consumed_r the number of bytes
 * used (just past ">"; the ESMTP parameters, if any, follow and are the
 * caller's). Returns INKAN_ERR_SYNTAX or INKAN_ERR_LIMIT with
 * path_r->error set and *consumed_r the offset of the offending byte;
 * INKAN_ERR_INVAL for NULL arguments.
 */
INKAN_API enum inkan_status inkan_smtp_path_parse(const void *arg, size_t len,
    const struct inkan_limits *lim, unsigned flags,
    struct inkan_smtp_path *path_r, size_t *consumed_r);

/* Flags for inkan_smtp_path_format(). */
enum inkan_smtp_format_flags {
	/* Without the angle brackets: "a@example.com", "" for the null
	   path (Received-SPF envelope-from, RFC 7208 9.1). */
	INKAN_SMTP_FORMAT_BARE = 1 << 0,
	/* The domain in A-label form: ASCII unless the local part is
	   UTF-8. */
	INKAN_SMTP_FORMAT_ALABEL = 1 << 1,
};

/*
 * Appends path as text to out: "<" local_raw "@" domain ">" (the route
 * left out), "<>", or "<Postmaster>". The output is valid RFC 5321 and
 * parses back to the same path; it may hold UTF-8, so escape it
 * (inkan_escape()) before it goes into a log line. Returns INKAN_OK, or
 * out's error (INKAN_ERR_LIMIT, INKAN_ERR_NOMEM) with out unchanged in
 * length; INKAN_ERR_INVAL for NULL arguments.
 */
INKAN_API enum inkan_status inkan_smtp_path_format(
    const struct inkan_smtp_path *path, unsigned flags, struct inkan_buf *out);

/* ==== end of section: path ============================================ */

#ifdef __cplusplus
}
#endif

#endif
