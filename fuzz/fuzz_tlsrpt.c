/*
 * fuzz_tlsrpt.c: the TLS-RPT record parser (RFC 8460 3).
 *
 * The target traps when a failure gives no reason, or when a record that
 * parses has no rua, or a rua whose strings are missing.
 */
#include <inkan/tlsrpt.h>

#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct inkan_tlsrpt_record *rec = NULL;
	struct inkan_tlsrpt_error err;
	size_t i;

	err.message[0] = '\0';
	(void)inkan_tlsrpt_record_is_tlsrpt(data, size);
	if (inkan_tlsrpt_record_parse(data, size, NULL, &rec, &err) !=
	    INKAN_OK) {
		if (rec != NULL || err.message[0] == '\0')
			__builtin_trap();
		return 0;
	}
	if (rec->nrua == 0)
		__builtin_trap();
	for (i = 0; i < rec->nrua; i++)
		if (rec->rua[i].uri == NULL || rec->rua[i].target == NULL ||
		    rec->rua[i].uri[0] == '\0')
			__builtin_trap();
	inkan_tlsrpt_record_free(&rec);
	return 0;
}
