/*
 * fuzz_mtasts.c: the MTA-STS parsers (RFC 8461): the _mta-sts TXT
 * record, the policy file, and MX matching against what a policy holds.
 *
 * The whole input goes to both parsers. The target traps when a failure
 * gives no reason, when a policy breaks its own invariants (max_age over
 * the RFC limit, no mx outside mode none, a pattern that is not
 * lowercase), or when a parsed pattern does not match a host built from
 * it.
 */
#include <string.h>

#include <inkan/mtasts.h>

#include "fuzz.h"

static void
check_pattern(const char *pat)
{
	char host[300];
	size_t n = strlen(pat), k;

	for (k = 0; k < n; k++)
		if (pat[k] >= 'A' && pat[k] <= 'Z')
			__builtin_trap();
	/* "*.rest" must match "x.rest"; a plain name must match itself. */
	if (n + 1 >= sizeof(host))
		__builtin_trap();
	memcpy(host, pat, n + 1);
	if (pat[0] == '*')
		host[0] = 'x';
	if (!inkan_mtasts_mx_match(pat, host))
		__builtin_trap();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct inkan_mtasts_record rec;
	struct inkan_mtasts_policy *pol = NULL;
	struct inkan_mtasts_error err;
	size_t i;

	err.message[0] = '\0';
	if (inkan_mtasts_record_parse(data, size, &rec, &err) == INKAN_OK) {
		if (rec.id[0] == '\0' || strlen(rec.id) > INKAN_MTASTS_ID_MAX)
			__builtin_trap();
	} else if (err.message[0] == '\0') {
		__builtin_trap();
	}
	(void)inkan_mtasts_record_is_sts(data, size);

	err.message[0] = '\0';
	if (inkan_mtasts_policy_parse(data, size, NULL, &pol, &err) !=
	    INKAN_OK) {
		if (pol != NULL || err.message[0] == '\0')
			__builtin_trap();
		return 0;
	}
	if (pol->max_age > INKAN_MTASTS_MAX_AGE_MAX ||
	    (pol->nmx == 0 && pol->mode != INKAN_MTASTS_NONE))
		__builtin_trap();
	for (i = 0; i < pol->nmx; i++)
		check_pattern(pol->mx[i]);
	inkan_mtasts_policy_free(&pol);
	return 0;
}
