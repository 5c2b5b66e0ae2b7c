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
 *
 * Then the input, cut at newlines into up to three TXT records, is
 * published at _dmarc.a.b.example, _dmarc.b.example and _dmarc.example in
 * a zone resolver, and the tree walk and an evaluation run over it:
 * a lookup makes at most 8 queries and finds its policy and
 * Organizational Domain at the domain or above it; a verdict's result,
 * alignment and disposition agree with each other (pass only when aligned,
 * quarantine or reject only on fail).
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

/* true if name is domain or one of its parents. */
static bool
at_or_above(const char *name, const char *domain)
{
	size_t n = strlen(name), m = strlen(domain);

	return n <= m && strcmp(domain + m - n, name) == 0 &&
	    (n == m || domain[m - n - 1] == '.');
}

/* Publishes up to three records cut from data; false if the zone refused
   them (a too long record: more strings than the table holds). */
static bool
publish(struct inkan_resolver *r, const uint8_t *data, size_t size)
{
	static const char *const names[] = { "_dmarc.a.b.example",
		"_dmarc.b.example", "_dmarc.example" };
	struct inkan_view strings[16];
	size_t i, start = 0;

	for (i = 0; i < 3 && start <= size; i++) {
		const uint8_t *nl = memchr(data + start, '\n', size - start);
		size_t end = nl != NULL ? (size_t)(nl - data) : size, n = 0;
		size_t off = start;

		do {
			size_t len = end - off > 255 ? 255 : end - off;

			if (n == 16)
				return false;
			strings[n++] = inkan_view_make(data + off, len);
			off += len;
		} while (off < end);
		if (inkan_resolver_zone_add_txt(r, names[i], 300, strings, n) !=
		    INKAN_OK)
			return false;
		start = end + 1;
	}
	return inkan_resolver_zone_add_rr(
		   r, "a.b.example. 300 IN A 192.0.2.1", NULL) == INKAN_OK;
}

static void
walk(const uint8_t *data, size_t size)
{
	static const char author[] = "x.a.b.example";
	struct inkan_resolver *r = NULL;
	struct inkan_dmarc *d = NULL;
	struct inkan_dmarc_lookup *lk = NULL;
	struct inkan_dmarc_verdict *v = NULL;
	struct inkan_dmarc_request req;
	struct inkan_addr_from from;
	struct inkan_view dom = INKAN_VIEW_LIT("x.a.b.example");
	struct inkan_spf_verdict spf;
	struct inkan_dkim_sig sig;
	size_t i;

	if (inkan_resolver_new_zone(NULL, &r) != INKAN_OK)
		return;
	if (!publish(r, data, size) ||
	    inkan_dmarc_new(r, NULL, NULL, &d) != INKAN_OK)
		goto out;
	CHECK(inkan_dmarc_lookup(d, author, &lk) == INKAN_OK);
	CHECK(lk->nsteps <= INKAN_DMARC_TREE_WALK_MAX && lk->reason != NULL);
	if (lk->status == INKAN_DMARC_LOOKUP_FOUND)
		CHECK(lk->record != NULL &&
		    at_or_above(lk->policy_domain, author));
	else
		CHECK(lk->record == NULL && lk->policy_domain == NULL);
	if (lk->org_domain != NULL)
		CHECK(at_or_above(lk->org_domain, author));
	for (i = 0; i < lk->nsteps; i++)
		CHECK((lk->steps[i].text != NULL) ==
		    (lk->steps[i].outcome == INKAN_DMARC_STEP_RECORD));
	memset(&req, 0, sizeof(req));
	memset(&from, 0, sizeof(from));
	memset(&spf, 0, sizeof(spf));
	memset(&sig, 0, sizeof(sig));
	from.count = INKAN_ADDR_FROM_ONE;
	from.domains = &dom;
	from.ndomains = 1;
	spf.result = size % 2 == 0 ? INKAN_SPF_PASS : INKAN_SPF_FAIL;
	spf.domain = "a.b.example";
	sig.result = INKAN_DKIM_PASS;
	sig.domain = size % 3 == 0 ? "b.example" : "other.example";
	sig.selector = "s";
	req.from = &from;
	req.spf = &spf;
	req.dkim = &sig;
	req.ndkim = 1;
	req.mail_from = "bounce@a.b.example";
	CHECK(inkan_dmarc_evaluate(d, &req, &v) == INKAN_OK);
	CHECK(v->result <= INKAN_DMARC_PERMERROR && v->reason != NULL);
	if (v->result == INKAN_DMARC_PASS)
		CHECK(v->spf_aligned || v->dkim_aligned);
	if (v->disposition == INKAN_DMARC_DISP_QUARANTINE ||
	    v->disposition == INKAN_DMARC_DISP_REJECT)
		CHECK(v->result == INKAN_DMARC_FAIL);
	if (v->result == INKAN_DMARC_NONE)
		CHECK(v->disposition == INKAN_DMARC_DISP_NONE);
	if (v->record != NULL)
		CHECK(at_or_above(v->policy_domain, author));
out:
	inkan_dmarc_verdict_free(&v);
	inkan_dmarc_lookup_free(&lk);
	inkan_dmarc_free(&d);
	inkan_resolver_free(&r);
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
	walk(data, size);
	return 0;
}
