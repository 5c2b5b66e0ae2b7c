/*
 * fuzz_bimi_svg.c: the SVG Tiny PS check of BIMI indicators: hostile XML
 * through the hardened libxml2 parse and the tree walk.
 *
 * The target traps when the check does not produce a report, when the
 * report's counts disagree with its findings (at most
 * INKAN_BIMI_SVG_FINDINGS_MAX kept, the rest counted as omitted), when
 * the verdict does not follow from the counts, or when a finding has no
 * message or a severity that does not match its code.
 */
#include <inkan/bimi.h>

#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct inkan_bimi_svg_report *rep = NULL;
	size_t i, errors = 0, warnings = 0;

	if (inkan_bimi_svg_check(data, size, NULL, &rep) != INKAN_OK)
		return 0; /* out of memory only */
	if (rep == NULL || rep->nfindings > INKAN_BIMI_SVG_FINDINGS_MAX ||
	    rep->nfindings + rep->omitted != rep->nerrors + rep->nwarnings)
		__builtin_trap();
	for (i = 0; i < rep->nfindings; i++) {
		const struct inkan_bimi_svg_finding *f = &rep->findings[i];

		if (f->message[0] == '\0' ||
		    (f->severity == INKAN_BIMI_WARNING) !=
			(f->code >= INKAN_BIMI_SVG_NOT_SQUARE))
			__builtin_trap();
		if (f->severity == INKAN_BIMI_ERROR)
			errors++;
		else
			warnings++;
	}
	if (errors > rep->nerrors || warnings > rep->nwarnings)
		__builtin_trap();
	if ((rep->verdict == INKAN_BIMI_SVG_FAIL) != (rep->nerrors > 0) ||
	    (rep->verdict == INKAN_BIMI_SVG_PASS) !=
		(rep->nerrors + rep->nwarnings == 0))
		__builtin_trap();
	inkan_bimi_svg_report_free(&rep);
	return 0;
}
