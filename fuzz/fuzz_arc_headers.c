/*
 * fuzz_arc_headers.c: the ARC header field parsers (lib/arc/parse.c): the
 * ARC-Seal and ARC-Message-Signature tag-lists, the
 * ARC-Authentication-Results "i=N;" prefix and the authserv-id reader.
 *
 * The first input byte chooses the field (0: ARC-Seal, 1:
 * ARC-Message-Signature, 2: ARC-Authentication-Results, 3: an
 * Authentication-Results authserv-id); the rest is its value. The target
 * traps when a parse claims what cannot be: an instance outside 1..50, a
 * usable signature without d=, s=, b= or its key name, a b= range outside
 * the field, an AAR payload or the results after an authserv-id outside
 * the value, or an authserv-id that is empty.
 */
#include <stdlib.h>
#include <string.h>

#include "arc/arc_impl.h"

#include "fuzz.h"

static bool
inside(struct inkan_view v, const uint8_t *p, size_t n)
{
	return v.len == 0 ||
	    (v.ptr >= p && v.len <= n && v.ptr <= p + n - v.len);
}

static void
sig(enum arc_kind kind, const char *name, const uint8_t *p, size_t n)
{
	const struct inkan_limits *lim = inkan_limits_defaults();
	struct inkan_arena a;
	struct arc_sig s;
	uint8_t *raw;
	size_t nl = strlen(name), len = nl + 1 + n + 2;

	if ((raw = malloc(len)) == NULL)
		abort();
	memcpy(raw, name, nl);
	raw[nl] = ':';
	memcpy(raw + nl + 1, p, n);
	memcpy(raw + nl + 1 + n, "\r\n", 2);
	inkan_arena_init(&a, 1u << 20);
	if (arc_parse_sig(kind, inkan_view_make(raw, len), nl, lim, &a, &s) ==
	    INKAN_OK) {
		if (s.instance > lim->arc_instances_max ||
		    (s.instance == 0 && s.why == NULL) ||
		    (s.instance_too_big && s.instance != 0))
			__builtin_trap();
		if (s.why == NULL &&
		    (s.domain == NULL || s.selector == NULL || s.b == NULL ||
			s.keyname == NULL || s.sig == NULL || s.siglen == 0 ||
			s.b_start > s.b_end || s.b_end > len ||
			s.b_start <= nl || s.alg == INKAN_DKIM_ALG_UNKNOWN))
			__builtin_trap();
		if (s.why == NULL && kind == ARC_AMS &&
		    (s.bh == NULL || s.headers == NULL))
			__builtin_trap();
		if (s.why == NULL && kind == ARC_AS && !s.cv_valid)
			__builtin_trap();
		if (s.why == NULL &&
		    arc_without_b(
			&a, inkan_view_make(raw, len), s.b_start, s.b_end)
			    .ptr == NULL)
			__builtin_trap();
	}
	inkan_arena_clear(&a);
	free(raw);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arc_aar aar;
	struct inkan_view rest, v;
	struct inkan_buf id;

	if (size < 1)
		return 0;
	v = inkan_view_make(data + 1, size - 1);
	switch (data[0] % 4) {
	case 0:
		sig(ARC_AS, "ARC-Seal", v.ptr, v.len);
		break;
	case 1:
		sig(ARC_AMS, "ARC-Message-Signature", v.ptr, v.len);
		break;
	case 2:
		arc_parse_aar(v, inkan_limits_defaults(), &aar);
		if ((aar.instance == 0) != (aar.why != NULL) ||
		    aar.instance > INKAN_ARC_INSTANCES_MAX ||
		    !inside(aar.payload, v.ptr, v.len))
			__builtin_trap();
		break;
	default:
		inkan_buf_init(&id, v.len + 1);
		if (arc_authserv_id(v, &id, &rest) == INKAN_OK &&
		    (id.len == 0 || !inside(rest, v.ptr, v.len)))
			__builtin_trap();
		inkan_buf_clear(&id);
		break;
	}
	return 0;
}
