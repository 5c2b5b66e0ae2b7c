/*
 * fuzz_bimi_record.c: the BIMI assertion record parser and the record
 * selection test (draft-brand-indicators-for-message-identification,
 * Assertion Record Definition and Discovery).
 *
 * The target traps when a refusal gives no reason or no problem bit, when
 * the first problem is not among the problem bits, or when a parsed
 * record breaks its invariants: l= and a= empty or https URIs, declined
 * exactly when both are empty, every lps prefix 1 to 63 letters, digits
 * or "-"; and when a record that parses is not seen as a BIMI record by
 * inkan_bimi_record_is_bimi().
 */
#include <string.h>

#include <inkan/bimi.h>

#include "fuzz.h"

static void
check_uri(const char *u)
{
	if (u[0] != '\0' && strncasecmp(u, "https://", 8) != 0)
		__builtin_trap();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct inkan_bimi_record *rec = NULL;
	struct inkan_bimi_error err;
	enum inkan_status st;
	size_t i, k, n;

	(void)inkan_bimi_record_is_bimi(data, size);
	st = inkan_bimi_record_parse(data, size, NULL, &rec, &err);
	if (st != INKAN_OK) {
		if (rec != NULL || err.message[0] == '\0' ||
		    err.problems == 0 || (err.problems & (1u << err.code)) == 0)
			__builtin_trap();
		return 0;
	}
	check_uri(rec->location);
	check_uri(rec->authority);
	if (rec->declined !=
	    (rec->location[0] == '\0' && rec->authority[0] == '\0'))
		__builtin_trap();
	for (i = 0; i < rec->nlps; i++) {
		n = strlen(rec->lps[i]);
		if (n == 0 || n > 63)
			__builtin_trap();
		for (k = 0; k < n; k++)
			if (!inkan_cc_is(
				(uint8_t)rec->lps[i][k], INKAN_CC_ALNUM) &&
			    rec->lps[i][k] != '-')
				__builtin_trap();
	}
	/* A record that parses begins with v=BIMI1 and is found by the
	   selection rule. */
	if (!inkan_bimi_record_is_bimi(data, size))
		__builtin_trap();
	inkan_bimi_record_free(&rec);
	return 0;
}
