/*
 * fuzz_dkim_taglist.c: the RFC 6376 3.2 tag-list parser (lib/dkim) and
 * the colon-list splitter used on its values.
 *
 * The first input byte chooses the tag capacity (1-64); the rest is the
 * tag-list. The target traps when a parse that succeeds gives a tag whose
 * name or value lies outside the input, a name that is not ALPHA
 * *(ALNUM / "_"), a value that starts or ends with white space or holds a
 * ';', or two tags of the same name; or when a list element lies outside
 * its value or keeps white space at an end.
 */
#include <string.h>

#include "dkim/dkim_impl.h"

#include "fuzz.h"

static bool
inside(struct inkan_view v, const uint8_t *p, size_t n)
{
	return v.len == 0 ||
	    (v.ptr >= p && v.len <= n && v.ptr <= p + n - v.len);
}

static bool
is_wsp(uint8_t c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dkim_tag tags[64];
	struct inkan_view list, e;
	const uint8_t *p;
	size_t n, i, k, cap, count;
	const char *why;

	if (size < 1)
		return 0;
	cap = 1 + data[0] % 64;
	p = data + 1;
	n = size - 1;
	if (dkim_taglist_parse(
		inkan_view_make(p, n), tags, cap, &count, &why) != INKAN_OK) {
		if (why == NULL || why[0] == '\0')
			__builtin_trap();
		return 0;
	}
	if (count > cap)
		__builtin_trap();
	for (i = 0; i < count; i++) {
		const struct dkim_tag *t = &tags[i];

		if (!inside(t->name, p, n) || !inside(t->value, p, n) ||
		    t->name.len == 0 ||
		    !inkan_cc_is(t->name.ptr[0], INKAN_CC_ALPHA))
			__builtin_trap();
		for (k = 0; k < t->name.len; k++)
			if (!inkan_cc_is(t->name.ptr[k], INKAN_CC_ALNUM) &&
			    t->name.ptr[k] != '_')
				__builtin_trap();
		if (t->value.len > 0 &&
		    (is_wsp(t->value.ptr[0]) ||
			is_wsp(t->value.ptr[t->value.len - 1])))
			__builtin_trap();
		if (memchr(t->value.ptr, ';', t->value.len) != NULL)
			__builtin_trap();
		for (k = 0; k < i; k++)
			if (inkan_view_eq(tags[k].name, t->name))
				__builtin_trap();
		if (dkim_tag_find(tags, count, "") != NULL)
			__builtin_trap();
		list = t->value;
		while (dkim_list_next(&list, &e)) {
			if (!inside(e, t->value.ptr, t->value.len) ||
			    memchr(e.ptr, ':', e.len) != NULL)
				__builtin_trap();
			if (e.len > 0 &&
			    (is_wsp(e.ptr[0]) || is_wsp(e.ptr[e.len - 1])))
				__builtin_trap();
		}
	}
	return 0;
}
