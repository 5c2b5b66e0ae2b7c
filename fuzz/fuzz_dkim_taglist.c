/*
 * fuzz_dkim_taglist.c: the RFC 6376 3.2 tag-list parser (lib/dkim) and
 * the colon-list splitter used on its values.
 *
 * The first input byte chooses the tag capacity (1-64); the rest is the
 * tag-list. The target traps when a parse that succeeds gives a tag whose
 * name or value lies outside the input, a name that is not ALPHA
 * *(ALNUM / "_"), a value that starts or ends with white space or holds a
 * ';', or two tags of the same name; or when a list element lies outside
 * its value or keeps white space at an end; or when the FWS-free copy of
 * a value (dkim_arena_nofws(), as b= is reported) is not its bytes
 * without SP HTAB CR LF.
 *
 * The same bytes are then the value of a DKIM-Signature field in front of
 * a small message, verified against a zone holding an Ed25519 and an RSA
 * key (RFC 8463 A.2) at selectors "ed" and "rsa" of example.com, so the
 * signature checks of RFC 6376 6.1.1 and the key and crypto paths run on
 * every tag-list; each result must have a reason.
 */
#include <stdlib.h>
#include <string.h>

#include <inkan/dns.h>

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

/* dkim_arena_nofws(v) is v without SP HTAB CR LF, NUL-terminated. */
static void
check_nofws(struct inkan_view v)
{
	struct inkan_arena a;
	size_t i, k = 0, len;
	char *r;

	inkan_arena_init(&a, 1 << 20);
	if ((r = dkim_arena_nofws(&a, v, &len)) != NULL) {
		for (i = 0; i < v.len; i++)
			if (!is_wsp(v.ptr[i]) &&
			    (k >= len || r[k++] != (char)v.ptr[i]))
				__builtin_trap();
		if (k != len || r[len] != '\0')
			__builtin_trap();
	}
	inkan_arena_clear(&a);
}

static struct inkan_dkim *
context(void)
{
	static struct inkan_resolver *r;
	static struct inkan_dkim *d;
	static const char zone[] =
	    "$ORIGIN example.com.\n"
	    "ed._domainkey 300 IN TXT \"v=DKIM1; k=ed25519; "
	    "p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\"\n"
	    "rsa._domainkey 300 IN TXT \"v=DKIM1; k=rsa; "
	    "p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDkHlOQoBTzWR\" "
	    "\"iGs5V6NpP3idY6Wk08a5qhdR6wy5bdOKb2jLQiY/J16JYi0Qvx/byYzCNb3W91y3"
	    "FutACDfzwQ/BC/e/8uBsCR+yz1Lxj+PL6lHvqMKrM3rG4hstT5QjvHO9PzoxZyVYL"
	    "zBfO2EeC3Ip3G+2kryOTIKT+l/K4w3QIDAQAB\"\n";

	if (d != NULL)
		return d;
	if (inkan_resolver_new_zone(NULL, &r) != INKAN_OK ||
	    inkan_resolver_zone_load_string(r, zone, sizeof(zone) - 1, NULL) !=
		INKAN_OK ||
	    inkan_dkim_new(r, NULL, NULL, &d) != INKAN_OK)
		abort();
	return d;
}

/* Verifies "DKIM-Signature:<p>" in front of a small message. */
static void
verify_as_signature(const uint8_t *p, size_t n)
{
	static const char head[] = "DKIM-Signature:";
	static const char rest[] = "\r\nFrom: a@example.com\r\nTo: b\r\n\r\n"
				   "Hello.\r\n";
	struct inkan_dkim_verify *v = NULL;
	const struct inkan_dkim_sig *sigs;
	size_t count, i;

	if (inkan_dkim_verify_new(context(), 0, &v) != INKAN_OK)
		abort();
	if (inkan_dkim_verify_feed(v, head, sizeof(head) - 1) == INKAN_OK &&
	    inkan_dkim_verify_feed(v, p, n) == INKAN_OK &&
	    inkan_dkim_verify_feed(v, rest, sizeof(rest) - 1) == INKAN_OK &&
	    inkan_dkim_verify_finish(v) == INKAN_OK) {
		inkan_dkim_verify_results(v, &sigs, &count);
		for (i = 0; i < count; i++)
			if (sigs[i].reason == NULL ||
			    sigs[i].result == INKAN_DKIM_NONE ||
			    sigs[i].result == INKAN_DKIM_PASS)
				__builtin_trap();
	}
	inkan_dkim_verify_free(&v);
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
	verify_as_signature(p, n);
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
		check_nofws(t->value);
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
