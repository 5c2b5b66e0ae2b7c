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

/*
 * The header-section parser (RFC 5322 2.2, 3.6; RFC 6532 for 8-bit).
 *
 * It takes a message in chunks of any size and returns, one event at a
 * time, every header field exactly as it appeared (name, value with its
 * folding kept, raw bytes with the line ending, absolute offset), and then
 * one END event that says where the body starts. It never needs the whole
 * message, does no I/O and holds at most hdr_field_max + hdr_line_max
 * bytes of its own.
 *
 * Usage: print the field names of a file, then where its body starts.
 *
 *	struct inkan_hdr_parser *p;
 *	struct inkan_hdr_event ev;
 *	uint8_t chunk[4096];
 *	size_t n;
 *	int r;
 *
 *	if (inkan_hdr_parser_new(NULL, INKAN_HDR_ALLOW_LF, &p) != INKAN_OK)
 *		return -1;
 *	do {
 *		n = fread(chunk, 1, sizeof(chunk), f);
 *		inkan_hdr_parser_feed(p, chunk, n, n < sizeof(chunk));
 *		while ((r = inkan_hdr_parser_next(p, &ev)) == 1 &&
 *		    ev.type == INKAN_HDR_EV_FIELD)
 *			printf("%.*s\n", (int)ev.field.name.len,
 *			    (const char *)ev.field.name.ptr);
 *	} while (r == 0);
 *	if (r < 0) {
 *		const char *msg;
 *
 *		inkan_hdr_parser_error(p, &msg, NULL);
 *		fprintf(stderr, "bad header: %s\n", msg);
 *	} else if (ev.end.has_body) {
 *		printf("body at offset %" PRIu64 "\n", ev.end.body_offset);
 *		// The body is ev.end.body (the rest of this chunk), then
 *		// whatever fread() returns next: hash it from there.
 *	} else {
 *		printf("no body: the input ended inside the header section\n");
 *	}
 *	inkan_hdr_parser_free(&p);
 *
 * The rules of the loop:
 * - feed() hands over one chunk; the parser reads it in place and keeps a
 *   pointer to it, so the chunk must stay untouched until next() returns 0
 *   (it has then consumed the chunk, copying what it still needs) or the
 *   END event or -1. Feeding again before that is an INKAN_ERR_STATE error.
 * - Mark the last chunk (last = true; it may be empty): a field is only
 *   complete once the first byte of the next line is known (a line that
 *   starts with SP or HTAB continues it), so without the mark the last
 *   field and the END event never come. After the last chunk next() never
 *   returns 0: it returns the remaining fields, then END, or -1.
 * - END comes exactly once; after it the header section is over and the
 *   parser refuses further calls except error(), stats(), reset() and
 *   free(). Its body view is the part of the current chunk the parser did
 *   not consume: the first bytes of the body, in place, not copied.
 *
 * Line endings. By default only CRLF ends a line (RFC 5322 2.1, and what
 * SMTP carries): a bare LF or a bare CR (a CR not followed by LF) anywhere
 * in the header section is an error that names its offset, which is what
 * an SMTP server needs against smuggling. INKAN_HDR_ALLOW_LF accepts LF
 * alone as a line ending (files on disk); INKAN_HDR_ALLOW_BARE_CR accepts
 * a bare CR as an ordinary byte of its line (it never ends a line). Either
 * way every field's flags and inkan_hdr_parser_stats() say what was seen.
 *
 * Limits (struct inkan_limits): hdr_line_max bounds one physical line,
 * its line ending included; hdr_field_max one field's raw bytes;
 * hdr_fields_max the number of fields; hdr_section_max every byte before
 * the body, the blank line included. A value exactly at a limit passes,
 * one byte (or field) more is an INKAN_ERR_LIMIT error. Nothing is ever
 * split or truncated.
 *
 * Errors are sticky: after next() returns -1 it keeps returning -1, and
 * inkan_hdr_parser_error() gives the status (INKAN_ERR_SYNTAX for
 * malformed input, INKAN_ERR_LIMIT for a limit, naming it and its value,
 * INKAN_ERR_STATE for a misuse of the API, INKAN_ERR_NOMEM), the absolute
 * byte offset, and a message. The events, errors and offsets do not
 * depend on how the input is split into chunks.
 */

/* Parser options for inkan_hdr_parser_new(); 0 is strict. */
enum inkan_hdr_parser_flags {
	/* CRLF only; bare LF, bare CR, NUL and an mbox line are errors. */
	INKAN_HDR_STRICT = 0,
	/* LF alone ends a line too (INKAN_HDR_SEEN_BARE_LF records it). */
	INKAN_HDR_ALLOW_LF = 1 << 0,
	/* A CR not followed by LF is accepted as a byte of its line. */
	INKAN_HDR_ALLOW_BARE_CR = 1 << 1,
	/* NUL bytes are accepted in values (never in names). */
	INKAN_HDR_ALLOW_NUL = 1 << 2,
	/*
	 * A first line starting with "From " and no colon after the word
	 * (the mbox separator, not a header field; "From : x" is a field)
	 * is skipped: it belongs to no field, and the header section
	 * starts after it (stats header_offset), though it still counts
	 * toward hdr_section_max. Without this flag such a line is an
	 * INKAN_ERR_SYNTAX error that says so.
	 */
	INKAN_HDR_SKIP_MBOX_FROM = 1 << 3,
};

/* What was seen, per field (field.flags) and overall (stats.seen). */
enum inkan_hdr_seen {
	/* A line ended in CRLF. */
	INKAN_HDR_SEEN_CRLF = 1 << 0,
	/* A line ended in LF without CR. */
	INKAN_HDR_SEEN_BARE_LF = 1 << 1,
	/* A CR not followed by LF. */
	INKAN_HDR_SEEN_BARE_CR = 1 << 2,
	/* A NUL byte. */
	INKAN_HDR_SEEN_NUL = 1 << 3,
	/* A byte >= 0x80 (RFC 6532 allows UTF-8 in values). */
	INKAN_HDR_SEEN_8BIT = 1 << 4,
	/* Continuation lines (RFC 5322 2.2.3 folding). */
	INKAN_HDR_SEEN_FOLDED = 1 << 5,
	/* WSP between name and colon (RFC 5322 4.5.8 obs-optional). */
	INKAN_HDR_SEEN_WSP_BEFORE_COLON = 1 << 6,
	/* The last line had no line ending: the input ended there. */
	INKAN_HDR_SEEN_NO_EOL = 1 << 7,
	/* Stats only: an mbox "From " line was skipped. */
	INKAN_HDR_SEEN_MBOX_FROM = 1 << 8,
};

/*
 * One header field. The views point into the parser's storage or into the
 * caller's current chunk, and are valid until the next call on the parser
 * (copy what you keep). None of them is NUL-terminated.
 */
struct inkan_hdr_field {
	/* The name as written, without WSP before the colon: "Subject". */
	struct inkan_view name;
	/*
	 * Everything after the colon up to, not including, the final line
	 * ending; inner line endings of folding are kept: " hi\r\n there".
	 */
	struct inkan_view value;
	/* The whole field byte for byte, final line ending included. */
	struct inkan_view raw;
	/* The absolute offset of raw.ptr[0] in the input. */
	uint64_t offset;
	/* enum inkan_hdr_seen bits for this field's lines. */
	unsigned flags;
};

/* The end of the header section. */
struct inkan_hdr_end {
	/*
	 * True when a blank line ended the header section: a body follows,
	 * perhaps empty. False when the input ended inside the header
	 * section (no blank line, no body), which is not an error.
	 */
	bool has_body;
	/* The blank line's length: 2 (CRLF), 1 (LF) or 0 (none). */
	size_t blank_len;
	/* Offset of the first body byte; the input length when !has_body. */
	uint64_t body_offset;
	/*
	 * The unconsumed rest of the current chunk, in place: the body's
	 * first bytes (empty when the chunk ended with the blank line).
	 */
	struct inkan_view body;
};

enum inkan_hdr_event_type {
	/* A header field: ev.field is set. */
	INKAN_HDR_EV_FIELD = 1,
	/* The end of the header section: ev.end is set; the last event. */
	INKAN_HDR_EV_END,
};

struct inkan_hdr_event {
	enum inkan_hdr_event_type type;
	struct inkan_hdr_field field;
	struct inkan_hdr_end end;
};

/* Counters over the lines parsed so far. */
struct inkan_hdr_stats {
	/* enum inkan_hdr_seen bits of all lines. */
	unsigned seen;
	/* Physical lines, the blank line included. */
	uint64_t lines;
	/* Lines ended by CRLF, and by a bare LF: both non-zero is mixed. */
	uint64_t crlf_lines;
	uint64_t lf_lines;
	/* CR bytes not followed by LF, and NUL bytes. */
	uint64_t bare_cr;
	uint64_t nul;
	/* Fields started. */
	size_t fields;
	/* Where the header section starts: 0, or after an mbox line. */
	uint64_t header_offset;
};

struct inkan_hdr_parser;

/*
 * Creates a parser in *p_r for one message. lim (NULL: the defaults) is
 * copied; its hdr_line_max, hdr_field_max, hdr_fields_max and
 * hdr_section_max apply (see inkan/limits.h; each must be non-zero). flags
 * is a set of enum inkan_hdr_parser_flags. Returns INKAN_ERR_INVAL for an
 * unknown flag or a zero limit, INKAN_ERR_NOMEM; *p_r is NULL on failure.
 * Free it with inkan_hdr_parser_free().
 */
INKAN_API enum inkan_status inkan_hdr_parser_new(const struct inkan_limits *lim,
    unsigned flags, struct inkan_hdr_parser **p_r);

/* Frees *p (NULL is fine) and sets *p to NULL. */
INKAN_API void inkan_hdr_parser_free(struct inkan_hdr_parser **p);

/*
 * Makes p ready for the next message with the same limits and flags,
 * keeping its storage: cheaper than free() and new() per message.
 */
INKAN_API void inkan_hdr_parser_reset(struct inkan_hdr_parser *p);

/*
 * Hands the parser the next len bytes of the message (data may be NULL
 * when len is 0). The parser reads data in place until next() returns 0,
 * END or -1; the caller keeps it unchanged until then. last marks the end
 * of the input. Returns INKAN_OK; INKAN_ERR_STATE when the previous chunk
 * is not consumed yet, after the last chunk or after END; or the parser's
 * sticky error. A failure here also makes next() return -1, so a loop may
 * check next() alone.
 */
INKAN_API enum inkan_status inkan_hdr_parser_feed(
    struct inkan_hdr_parser *p, const void *data, size_t len, bool last);

/*
 * The next event into *ev_r. Returns 1 with a FIELD or the END event; 0
 * when the chunk is consumed and the parser needs the next one (never
 * after the last chunk); -1 on an error (sticky; see error()), also when
 * called again after END. The views in *ev_r are valid until the next
 * call on p, except end.body, which points into the caller's chunk.
 */
INKAN_API int inkan_hdr_parser_next(
    struct inkan_hdr_parser *p, struct inkan_hdr_event *ev_r);

/*
 * The parser's error: returns INKAN_OK when there is none. *msg_r (if
 * msg_r is not NULL) is set to an English message naming the absolute
 * offset, owned by p and valid until the next call on p ("" when there is
 * no error); untrusted bytes appear in it only as hex. *offset_r (if not
 * NULL) is the offset of the byte or line at fault.
 */
INKAN_API enum inkan_status inkan_hdr_parser_error(
    const struct inkan_hdr_parser *p, const char **msg_r, uint64_t *offset_r);

/* Copies the counters of what has been seen so far into *stats_r. */
INKAN_API void inkan_hdr_parser_stats(
    const struct inkan_hdr_parser *p, struct inkan_hdr_stats *stats_r);

/*
 * True if f's name is name, ASCII case-insensitively: field names are
 * ABNF literals in RFC 5322, and those are case-insensitive (RFC 5234 2.3).
 */
INKAN_API bool inkan_hdr_field_is(
    const struct inkan_hdr_field *f, const char *name);

/*
 * Appends value to out unfolded (RFC 5322 2.2.3): every CRLF, or LF,
 * that is followed by WSP is removed; the WSP stays. Other bytes are
 * copied as they are. Returns INKAN_OK, or out's error (INKAN_ERR_LIMIT
 * past its maximum, INKAN_ERR_NOMEM); out may then hold part of it.
 */
INKAN_API enum inkan_status inkan_hdr_unfold(
    struct inkan_view value, struct inkan_buf *out);

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
	/* The local part holds "=?" and later "?=", like an RFC 2047
	   encoded-word, which RFC 2047 5 forbids in an addr-spec. Some
	   mail readers decode it anyway and show what it says, so
	   =?utf-8?b?YWRtaW5AdmljdGltLmV4YW1wbGU=?=@attacker.example may be
	   displayed as admin@victim.example: a reason for suspicion. */
	INKAN_ADDR_F_ENCODED_LOCAL = 1 << 9,
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
	/* The strict parse found a local part that looks like an RFC 2047
	   encoded-word (INKAN_ADDR_F_ENCODED_LOCAL). */
	INKAN_ADDR_FROM_F_ENCODED_LOCAL = 1 << 5,
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
