/*
 * textrec.c: readers shared by the MTA-STS and TLS-RPT record parsers
 * (see textrec.h).
 */
#include <inkan/util.h>

#include "util/textrec.h"

size_t
textrec_skip_wsp(const uint8_t *p, size_t i, size_t len)
{
	while (i < len && inkan_cc_is(p[i], INKAN_CC_WSP))
		i++;
	return i;
}

size_t
textrec_ext_name(const uint8_t *p, size_t i, size_t len)
{
	size_t n;

	if (i >= len || !inkan_cc_is(p[i], INKAN_CC_ALNUM))
		return 0;
	for (n = 1; i + n < len; n++) {
		uint8_t c = p[i + n];

		if (!inkan_cc_is(c, INKAN_CC_ALNUM) && c != '_' && c != '-' &&
		    c != '.')
			break;
	}
	return n <= 32 ? n : 0;
}
