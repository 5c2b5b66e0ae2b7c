/*
 * psl.c: the public suffix list, for RFC 7489 mode (RFC 7489 3.2: the
 * Organizational Domain is the public suffix plus one label). libpsl
 * reads the list (the publicsuffix.org text format or its DAFSA form) and
 * applies its rules, wildcards and exceptions, over the ICANN and the
 * PRIVATE sections alike.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libpsl.h>

#include "dmarc/dmarc_impl.h"

/* Debian's publicsuffix package. */
#define DMARC_PSL_DEBIAN "/usr/share/publicsuffix/public_suffix_list.dat"

struct dmarc_psl {
	psl_ctx_t *ctx;
};

enum inkan_status
dmarc_psl_load(const char *path, struct dmarc_psl **psl_r)
{
	struct dmarc_psl *psl;
	struct stat sb;

	*psl_r = NULL;
	if (path == NULL)
		path = DMARC_PSL_DEBIAN;
	if (stat(path, &sb) != 0)
		return errno == ENOENT ? INKAN_ERR_NOTFOUND : INKAN_ERR_IO;
	if ((psl = calloc(1, sizeof(*psl))) == NULL)
		return INKAN_ERR_NOMEM;
	if ((psl->ctx = psl_load_file(path)) == NULL) {
		free(psl);
		return INKAN_ERR_IO;
	}
	*psl_r = psl;
	return INKAN_OK;
}

void
dmarc_psl_free(struct dmarc_psl **pslp)
{
	if (pslp == NULL || *pslp == NULL)
		return;
	psl_free((*pslp)->ctx);
	free(*pslp);
	*pslp = NULL;
}

bool
dmarc_psl_org(
    const struct dmarc_psl *psl, const char *domain, char *org, size_t size)
{
	const char *reg = psl_registrable_domain(psl->ctx, domain);
	bool found = reg != NULL;
	size_t n;

	/* RFC 7489 3.2 steps 4 and 5: the longest matching suffix plus
	   one label. A domain that is a suffix itself has none. */
	if (!found)
		reg = domain;
	n = strlen(reg);
	if (n >= size)
		n = size - 1;
	memmove(org, reg, n);
	org[n] = '\0';
	return found;
}
