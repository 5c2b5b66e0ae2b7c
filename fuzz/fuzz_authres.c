/*
 * fuzz_authres.c: inkan_authres_parse() of arbitrary bytes, and the
 * builder fed with what it parsed.
 *
 * The first byte chooses the flags (whole field with its name, ARC
 * value, plain value) and tight or default limits; the rest is the
 * input. Properties checked (a violation traps): a parse either succeeds
 * or fails with SYNTAX or LIMIT, a NUL-terminated message and an offset
 * within the input; inkan_authres_authserv_id() agrees with the full
 * parse on the authserv-id whenever the full parse succeeds; a parsed
 * field written again by the builder parses again to the same results
 * (method, version, result, reason, property names and values) when all
 * its text is printable ASCII (the builder writes other bytes as '?').
 */
#include <string.h>

#include <inkan/authres.h>

#include "fuzz.h"

#define CHECK(cond)                       \
	do {                              \
		if (!(cond))              \
			__builtin_trap(); \
	} while (0)

static bool
printable(const char *s)
{
	if (s == NULL)
		return true;
	for (; *s != '\0'; s++)
		if ((*s < 0x20 && *s != '\t') || *s > 0x7e)
			return false;
	return true;
}

static bool
same(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/* A reason as the builder writes it: cut at 400 bytes, "..." added. */
static bool
same_reason(const char *got, const char *in)
{
	if (in == NULL || got == NULL || strlen(in) <= 400)
		return same(got, in);
	return strlen(got) == 403 && memcmp(got, in, 400) == 0 &&
	    strcmp(got + 400, "...") == 0;
}

/* Whether s is short enough that the builder must take it: every piece
   it makes of strings this long fits a line (see build.c PIECE_MAX). */
static bool
short_enough(const char *s)
{
	return s == NULL || strlen(s) <= 240;
}

static void
roundtrip(const struct inkan_authres *ar)
{
	struct inkan_authres_builder *b = NULL;
	struct inkan_authres *again = NULL;
	struct inkan_buf out;
	enum inkan_status st;
	size_t i, j;
	bool must;

	if (!printable(ar->authserv_id))
		return;
	for (i = 0; i < ar->count; i++) {
		if (!printable(ar->results[i].reason))
			return;
		for (j = 0; j < ar->results[i].prop_count; j++)
			if (!printable(ar->results[i].props[j].value))
				return;
	}
	/* Longer strings may be refused (INKAN_ERR_LIMIT), never more. */
	must = short_enough(ar->authserv_id);
	for (i = 0; i < ar->count; i++) {
		const struct inkan_authres_result *r = &ar->results[i];

		must =
		    must && short_enough(r->method) && short_enough(r->result);
		for (j = 0; j < r->prop_count; j++)
			must = must && short_enough(r->props[j].ptype) &&
			    short_enough(r->props[j].property) &&
			    short_enough(r->props[j].value);
	}
	inkan_buf_init(&out, 1 << 20);
	st = inkan_authres_builder_new(ar->authserv_id, &b);
	CHECK(st == INKAN_OK || (!must && st == INKAN_ERR_LIMIT));
	if (st != INKAN_OK) {
		inkan_buf_clear(&out);
		return;
	}
	inkan_authres_builder_set_instance(b, ar->instance);
	for (i = 0; i < ar->count; i++) {
		st = inkan_authres_add_result(b, &ar->results[i]);
		CHECK(st == INKAN_OK || (!must && st == INKAN_ERR_LIMIT));
		if (st != INKAN_OK) {
			inkan_authres_builder_free(&b);
			inkan_buf_clear(&out);
			return;
		}
	}
	CHECK(inkan_authres_build(b, INKAN_AUTHRES_BUILD_LF, &out) == INKAN_OK);
	CHECK(inkan_authres_parse(out.data, out.len, INKAN_AUTHRES_WITH_NAME,
		  NULL, &again, NULL) == INKAN_OK);
	CHECK(strcmp(again->authserv_id, ar->authserv_id) == 0);
	CHECK(again->instance == ar->instance);
	CHECK(again->count == ar->count);
	CHECK(again->none == (ar->count == 0));
	for (i = 0; i < ar->count; i++) {
		const struct inkan_authres_result *x = &ar->results[i],
						  *y = &again->results[i];

		CHECK(strcmp(x->method, y->method) == 0);
		CHECK(x->method_version == y->method_version);
		CHECK(strcmp(x->result, y->result) == 0);
		CHECK(same_reason(y->reason, x->reason));
		CHECK(x->prop_count == y->prop_count);
		for (j = 0; j < x->prop_count; j++) {
			CHECK(
			    strcmp(x->props[j].ptype, y->props[j].ptype) == 0);
			CHECK(strcmp(x->props[j].property,
				  y->props[j].property) == 0);
			CHECK(
			    strcmp(x->props[j].value, y->props[j].value) == 0);
		}
	}
	inkan_authres_free(&again);
	inkan_authres_builder_free(&b);
	inkan_buf_clear(&out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned flag_sets[] = { 0, INKAN_AUTHRES_WITH_NAME,
		INKAN_AUTHRES_ARC, INKAN_AUTHRES_WITH_NAME };
	struct inkan_authres *ar = NULL;
	struct inkan_authres_error err;
	struct inkan_limits lim;
	struct inkan_buf id;
	enum inkan_status st, st2;
	unsigned flags, instance = 0;

	if (size < 1)
		return 0;
	flags = flag_sets[data[0] & 3];
	inkan_limits_default(&lim);
	if (data[0] & 4) {
		lim.authres_results_max = 3;
		lim.authres_props_max = 2;
		lim.authres_comment_depth = 2;
		lim.authres_field_max = 200;
	}
	data++;
	size--;
	memset(&err, 0x55, sizeof(err));
	st = inkan_authres_parse(data, size, flags, &lim, &ar, &err);
	if (st != INKAN_OK) {
		CHECK(st == INKAN_ERR_SYNTAX || st == INKAN_ERR_LIMIT);
		CHECK(ar == NULL);
		CHECK(memchr(err.message, '\0', sizeof(err.message)) != NULL);
		CHECK(err.offset <= size);
		return 0;
	}
	inkan_buf_init(&id, 1 << 20);
	st2 = inkan_authres_authserv_id(data, size, flags, &id, &instance);
	if (size <= INKAN_AUTHRES_FIELD_MAX) {
		CHECK(st2 == INKAN_OK);
		CHECK(strcmp(inkan_buf_cstr(&id), ar->authserv_id) == 0);
		CHECK(instance == ar->instance);
	}
	inkan_buf_clear(&id);
	roundtrip(ar);
	inkan_authres_free(&ar);
	return 0;
}
