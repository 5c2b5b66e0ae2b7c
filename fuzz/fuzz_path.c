/*
 * fuzz_path.c: inkan_smtp_path_parse() and inkan_smtp_path_format() over
 * arbitrary bytes.
 *
 * The first byte picks the flags (low nibble: REVERSE, SMTPUTF8,
 * POSTMASTER, LENIENT: every combination) and with bit 4 tiny limits; the
 * rest is the argument of MAIL FROM: or RCPT TO:. Seeds start with '@'
 * (flags 0), 'A' (REVERSE), 'C' (REVERSE, SMTPUTF8), 'D' (POSTMASTER),
 * 'I' (REVERSE, LENIENT) or 'O' (all four).
 *
 * Checked besides the sanitizers: consumed stays in bounds, the lengths
 * agree with the strings, and a formatted path parses back to the same
 * path.
 */
#include <string.h>

#include <inkan/msg.h>

#include "fuzz.h"

static void
check(bool ok)
{
	if (!ok)
		__builtin_trap();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned bits[] = { INKAN_SMTP_PARSE_REVERSE,
		INKAN_SMTP_PARSE_SMTPUTF8, INKAN_SMTP_PARSE_POSTMASTER,
		INKAN_SMTP_PARSE_LENIENT };
	struct inkan_limits lim;
	struct inkan_smtp_path path, again;
	struct inkan_buf b;
	enum inkan_status st;
	unsigned flags = 0, i;
	size_t used, used2;

	if (size < 1)
		return 0;
	for (i = 0; i < 4; i++)
		if (data[0] & (1u << i))
			flags |= bits[i];
	inkan_limits_default(&lim);
	if (data[0] & 0x10) {
		lim.smtp_localpart_max = 8;
		lim.smtp_domain_max = 16;
		lim.smtp_path_max = 32;
	}
	data++;
	size--;

	st = inkan_smtp_path_parse(data, size, &lim, flags, &path, &used);
	check(used <= size);
	if (st != INKAN_OK) {
		check(path.error != NULL);
		return 0;
	}
	check(path.error == NULL);
	check(strlen(path.local) == path.local_len);
	check(strlen(path.local_raw) == path.local_raw_len);
	check(strlen(path.domain) == path.domain_len);
	check(strlen(path.domain_alabel) == path.domain_alabel_len);
	check(path.local_len <= path.local_raw_len);
	/* "Postmaster" is accepted whatever the limit (RFC 5321 4.1.1.3). */
	check(path.local_raw_len <= lim.smtp_localpart_max ||
	    path.kind == INKAN_SMTP_PATH_POSTMASTER);
	check(path.domain_len <= lim.smtp_domain_max);
	check(path.domain_alabel_len <= lim.smtp_domain_max);
	check((path.kind == INKAN_SMTP_PATH_MAILBOX) ==
	    (path.domain_kind != INKAN_SMTP_DOMAIN_NONE));

	inkan_buf_init(&b, 4096);
	check(inkan_smtp_path_format(&path, 0, &b) == INKAN_OK);
	st = inkan_smtp_path_parse(b.data, b.len, &lim,
	    flags & ~(unsigned)INKAN_SMTP_PARSE_LENIENT, &again, &used2);
	check(st == INKAN_OK && used2 == b.len);
	check(again.kind == path.kind && again.domain_kind == path.domain_kind);
	check(strcmp(again.local_raw, path.local_raw) == 0);
	check(strcmp(again.local, path.local) == 0);
	check(strcmp(again.domain, path.domain) == 0);
	check(strcmp(again.domain_alabel, path.domain_alabel) == 0);
	check(memcmp(again.addr, path.addr, sizeof(path.addr)) == 0);
	inkan_buf_reset(&b);
	check(inkan_smtp_path_format(&path,
		  INKAN_SMTP_FORMAT_BARE | INKAN_SMTP_FORMAT_ALABEL,
		  &b) == INKAN_OK);
	inkan_buf_clear(&b);
	return 0;
}
