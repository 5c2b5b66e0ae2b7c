/*
 * fuzz_spf_macro.c: spf_macro_check() and spf_macro_expand() of arbitrary
 * macro-strings with fixed context values.
 *
 * The first byte chooses: bit 0 the client family (IPv4 or IPv6), bits
 * 1-2 the mode (domain-spec, explanation, unknown modifier), bit 3 a
 * small output maximum, bit 4 whether %{p} has a name. The rest is the
 * macro-string.
 *
 * Properties checked (a violation traps): expansion of a string that
 * spf_macro_check() refused is never attempted, and of one it accepted
 * fails only with LIMIT (or SYNTAX for a letter the mode refuses); the
 * output never passes the buffer's maximum; a domain expansion with a
 * dot in its last 254 bytes is at most 253 bytes.
 */
#include <string.h>

#include "fuzz.h"
#include "spf/spf_impl.h"

#define CHECK(cond)                       \
	do {                              \
		if (!(cond))              \
			__builtin_trap(); \
	} while (0)

static enum inkan_status
ptr_name(void *arg, struct inkan_view *name_r)
{
	*name_r = arg != NULL ? INKAN_VIEW_LIT("mail.Example.ORG")
			      : INKAN_VIEW_LIT("unknown");
	return INKAN_OK;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum spf_macro_mode modes[4] = { SPF_MACRO_DOMAIN,
		SPF_MACRO_EXP, SPF_MACRO_ANY, SPF_MACRO_DOMAIN };
	struct spf_macro_env env;
	struct inkan_spf_ip ip;
	struct inkan_buf out;
	struct inkan_view spec;
	enum spf_macro_mode mode;
	enum inkan_status st;
	const char *why;
	size_t bad, max;
	bool macro;
	uint8_t flags;

	if (size == 0)
		return 0;
	flags = data[0];
	spec = inkan_view_make(data + 1, size - 1);
	mode = modes[(flags >> 1) & 3];
	memset(&env, 0, sizeof(env));
	inkan_spf_ip_parse((flags & 1) ? "2001:db8::cb01" : "192.0.2.3", &ip);
	env.ip = &ip;
	env.sender = INKAN_VIEW_LIT("strong-bad@email.example.com");
	env.local = INKAN_VIEW_LIT("strong-bad");
	env.sender_domain = INKAN_VIEW_LIT("email.example.com");
	env.domain = INKAN_VIEW_LIT("email.example.com");
	env.helo = INKAN_VIEW_LIT("mx.example.com");
	env.now = 1234567890;
	env.ptr_name = ptr_name;
	env.arg = (flags & 16) ? &env : NULL;

	if (!spf_macro_check(spec, mode, &macro, &bad, &why)) {
		CHECK(bad < spec.len);
		CHECK(why != NULL);
		return 0;
	}
	max = (flags & 8) ? 300 : 8192;
	inkan_buf_init(&out, max);
	st = spf_macro_expand(&env, spec, mode, &out);
	CHECK(st == INKAN_OK || st == INKAN_ERR_LIMIT);
	CHECK(out.len <= max);
	if (st == INKAN_OK && mode == SPF_MACRO_DOMAIN && out.len > 253) {
		/* Only a last label longer than 253 stays long. */
		size_t i;

		for (i = out.len - 254; i < out.len; i++)
			CHECK(out.data[i] != '.');
	}
	inkan_buf_clear(&out);
	return 0;
}
