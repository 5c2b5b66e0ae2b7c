/*
 * fuzz_dmarc_record.c: inkan_dmarc_record_parse() of arbitrary bytes, and
 * the "is this a DMARC record" test the tree walk applies to every TXT
 * string (RFC 9989 4.10 step 2).
 *
 * Properties checked (a violation traps): a parse succeeds exactly when
 * the input starts with v=DMARC1 (and fits the limits), else fails with
 * SYNTAX or LIMIT and a printable message; a parsed record's enums are in
 * range, its policy fields obey RFC 9989 4.10.1 (p set exactly when the
 * record applies), every string is printable ASCII, URI counts respect
 * dmarc_uris_max, and each mailto URI with an address has a host. The
 * input is parsed with the default limits and with tight ones.
 */
#include <string.h>

#include "dmarc/dmarc_impl.h"
#include "fuzz.h"

#define CHECK(cond)                       \
	do {                              \
		if (!(cond))              \
			__builtin_trap(); \
	} while (0)

static void
check_str(const char *s)
{
	if (s == NULL)
		return;
	for (; *s != '\0'; s++)
		CHECK(*s >= 0x20 && *s < 0x7f);
}

static void
check_uris(const struct inkan_dmarc_uri *u, size_t n, size_t max)
{
	size_t i;

	CHECK(n <= max);
	for (i = 0; i < n; i++) {
		CHECK(u[i].uri != NULL && u[i].scheme != NULL);
		check_str(u[i].uri);
		check_str(u[i].scheme);
		check_str(u[i].address);
		check_str(u[i].host);
		if (u[i].address != NULL)
			CHECK(u[i].host != NULL &&
			    strcmp(u[i].scheme, "mailto") == 0);
		if (!u[i].has_size)
			CHECK(u[i].size == 0);
	}
}

static void
parse(const uint8_t *data, size_t size, const struct inkan_limits *lim)
{
	struct inkan_dmarc_record *rec = NULL, *extra;
	const char *err = NULL;
	enum inkan_status st;
	bool dmarc = dmarc_starts_with_version(data, size);
	bool applied;
	size_t i;

	st = inkan_dmarc_record_parse(data, size, lim, &rec, &err);
	if (st != INKAN_OK) {
		CHECK(st == INKAN_ERR_SYNTAX || st == INKAN_ERR_LIMIT);
		CHECK(rec == NULL && err != NULL);
		check_str(err);
		if (st == INKAN_ERR_SYNTAX)
			CHECK(!dmarc || memchr(data, '\0', size) != NULL);
		return;
	}
	CHECK(dmarc && rec != NULL && size <= lim->dmarc_record_max);
	check_str(rec->text);
	CHECK(rec->p <= INKAN_DMARC_POLICY_REJECT &&
	    rec->sp <= INKAN_DMARC_POLICY_REJECT &&
	    rec->np <= INKAN_DMARC_POLICY_REJECT);
	CHECK(rec->psd <= INKAN_DMARC_PSD_N);
	CHECK(rec->adkim <= INKAN_DMARC_ALIGN_STRICT &&
	    rec->aspf <= INKAN_DMARC_ALIGN_STRICT);
	CHECK(rec->fo != 0 && rec->fo <= 0xf);
	CHECK(!((rec->fo & INKAN_DMARC_FO_0) && (rec->fo & INKAN_DMARC_FO_1)));
	CHECK(rec->pct >= -1 && rec->pct <= 100);
	applied = !(rec->flags & INKAN_DMARC_REC_NOT_APPLIED);
	CHECK(applied == (rec->p != INKAN_DMARC_POLICY_ABSENT));
	if (rec->flags & INKAN_DMARC_REC_AS_P_NONE)
		CHECK(rec->p == INKAN_DMARC_POLICY_NONE && rec->nrua > 0 &&
		    rec->sp == INKAN_DMARC_POLICY_ABSENT &&
		    rec->np == INKAN_DMARC_POLICY_ABSENT);
	if (!applied)
		CHECK(rec->nrua == 0);
	check_uris(rec->rua, rec->nrua, lim->dmarc_uris_max);
	check_uris(rec->ruf, rec->nruf, lim->dmarc_uris_max);
	check_str(rec->fo_text);
	check_str(rec->rf);
	check_str(rec->ri);
	for (i = 0; i < rec->nwarnings; i++) {
		CHECK(rec->warnings[i] != NULL);
		check_str(rec->warnings[i]);
	}
	/* Two owners: the first free leaves the record alive. */
	extra = rec;
	dmarc_record_ref(extra);
	inkan_dmarc_record_free(&extra);
	CHECK(extra == NULL && rec->text != NULL);
	inkan_dmarc_record_free(&rec);
	CHECK(rec == NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct inkan_limits tight;

	parse(data, size, inkan_limits_defaults());
	inkan_limits_default(&tight);
	tight.dmarc_record_max = 128;
	tight.dmarc_tags_max = 6;
	tight.dmarc_uris_max = 2;
	parse(data, size, &tight);
	return 0;
}
