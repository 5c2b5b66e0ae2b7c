/*
 * fuzz_spf_record.c: inkan_spf_record_parse() of arbitrary bytes.
 *
 * Properties checked (a violation traps): a parse either succeeds or
 * fails with SYNTAX or LIMIT and a NUL-terminated, printable message
 * whose offset lies within the input; a parsed record's terms, domain
 * specs and modifiers all point inside its own text, CIDR lengths are in
 * range, and ip4/ip6 networks have no host bits set. The input is parsed
 * twice, with the default limits and with tight ones.
 */
#include <string.h>

#include "fuzz.h"
#include "spf/spf_impl.h"

#define CHECK(cond)                       \
	do {                              \
		if (!(cond))              \
			__builtin_trap(); \
	} while (0)

static void
check_net(const uint8_t *net, size_t bytes, unsigned prefix)
{
	size_t i;

	for (i = 0; i < bytes; i++) {
		size_t lo = i * 8;
		uint8_t host = lo >= prefix ? 0xff
		    : prefix - lo >= 8      ? 0
					    : (uint8_t)(0xffu >> (prefix - lo));

		CHECK((net[i] & host) == 0);
	}
}

static void
parse(const uint8_t *data, size_t size, const struct inkan_limits *lim)
{
	struct inkan_spf_record *rec = NULL;
	struct inkan_spf_error err;
	enum inkan_status st;
	size_t i;

	memset(&err, 0x55, sizeof(err));
	st = inkan_spf_record_parse(data, size, lim, &rec, &err);
	if (st != INKAN_OK) {
		CHECK(st == INKAN_ERR_SYNTAX || st == INKAN_ERR_LIMIT);
		CHECK(rec == NULL);
		CHECK(memchr(err.message, '\0', sizeof(err.message)) != NULL);
		for (i = 0; err.message[i] != '\0'; i++)
			CHECK(err.message[i] >= 0x20 && err.message[i] < 0x7f);
		CHECK(err.offset <= size);
		return;
	}
	CHECK(rec != NULL && rec->len == size);
	CHECK(rec->nterms <= lim->spf_terms_max);
	for (i = 0; i < rec->nterms; i++) {
		const struct spf_term *t = &rec->terms[i];

		CHECK(t->off + t->len <= rec->len && t->len > 0);
		CHECK(t->mech <= SPF_MECH_EXISTS);
		CHECK(t->cidr4 <= 32 && t->cidr6 <= 128);
		if (t->flags & SPF_TERM_DOMAIN)
			CHECK(t->dom_off >= t->off &&
			    t->dom_off + t->dom_len <= t->off + t->len &&
			    t->dom_len > 0);
		if (t->mech == SPF_MECH_IP4)
			check_net(t->net, 4, t->cidr4);
		if (t->mech == SPF_MECH_IP6)
			check_net(t->net, 16, t->cidr6);
	}
	if (rec->redirect.present)
		CHECK(
		    rec->redirect.dom_off + rec->redirect.dom_len <= rec->len);
	if (rec->exp.present)
		CHECK(rec->exp.dom_off + rec->exp.dom_len <= rec->len);
	inkan_spf_record_free(&rec);
	CHECK(rec == NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct inkan_limits tight;

	parse(data, size, inkan_limits_defaults());
	inkan_limits_default(&tight);
	tight.spf_record_max = 64;
	tight.spf_terms_max = 4;
	parse(data, size, &tight);
	return 0;
}
