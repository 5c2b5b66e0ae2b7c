/*
 * test_buf.c: struct inkan_buf: the maximum (exactly at it, one past it),
 * the sticky error and its reset, printf, growth, NUL termination, steal,
 * and a failing allocation.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <inkan/util.h>

/*
 * Under AddressSanitizer a huge malloc() aborts by default; let it return
 * NULL as the C library does, so the out-of-memory paths can be tested.
 */
const char *__asan_default_options(void);
const char *
__asan_default_options(void)
{
	return "allocator_may_return_null=1";
}

/* The buffer's invariants, checked after every operation. */
static void
check_invariants(const struct inkan_buf *b)
{
	assert_true(b->len <= b->max);
	if (b->data == NULL) {
		assert_int_equal(b->len, 0);
		assert_int_equal(b->cap, 0);
		assert_string_equal(inkan_buf_cstr(b), "");
		return;
	}
	assert_true(b->len < b->cap);
	assert_true(b->cap - 1 <= b->max); /* cap <= max + 1 */
	assert_int_equal(b->data[b->len], '\0');
}

static void
test_init_empty(void **state)
{
	struct inkan_buf b;
	struct inkan_view v;

	(void)state;
	inkan_buf_init(&b, 10);
	check_invariants(&b);
	assert_int_equal(b.err, INKAN_OK);
	assert_string_equal(inkan_buf_cstr(&b), "");
	v = inkan_buf_view(&b);
	assert_int_equal(v.len, 0);
	assert_int_equal(inkan_buf_append(&b, NULL, 0), INKAN_OK);
	assert_int_equal(inkan_buf_append_cstr(&b, ""), INKAN_OK);
	assert_int_equal(b.len, 0);
	check_invariants(&b);
	inkan_buf_clear(&b);
	inkan_buf_clear(&b); /* clearing twice is harmless */
}

/*
 * Fill a buffer of each maximum to exactly max in steps of step bytes:
 * every append succeeds. One more byte fails with INKAN_ERR_LIMIT, and so
 * does everything after it, until reset.
 */
static void
test_limit_boundary(void **state)
{
	static const struct {
		const char *name;
		size_t max, step;
	} cases[] = {
		{ "max 0", 0, 1 },
		{ "max 1", 1, 1 },
		{ "max 63 bytewise", 63, 1 },
		{ "max 64 bytewise", 64, 1 },
		{ "max 65 bytewise", 65, 1 },
		{ "max 64 in one", 64, 64 },
		{ "max 1001 by 7", 1001, 7 },
		{ "max 4096 in one", 4096, 4096 },
		{ "max 4995 by 999", 4995, 999 },
	};
	uint8_t src[4096];
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(src); i++)
		src[i] = (uint8_t)('a' + i % 26);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct inkan_buf b;
		enum inkan_status st;

		inkan_buf_init(&b, cases[i].max);
		for (n = 0; n < cases[i].max; n += cases[i].step) {
			st = inkan_buf_append(&b, src, cases[i].step);
			if (st != INKAN_OK)
				fail_msg("%s: append at %zu: got %s, want "
					 "success",
				    cases[i].name, n, inkan_strerror(st));
			check_invariants(&b);
		}
		assert_int_equal(b.len, cases[i].max);
		for (n = 0; n < b.len; n++)
			assert_int_equal(b.data[n], src[n % cases[i].step]);

		/* One past max, by each way of appending. */
		st = inkan_buf_append_byte(&b, 'x');
		if (st != INKAN_ERR_LIMIT)
			fail_msg("%s: one past max: got %s, want %s",
			    cases[i].name, inkan_strerror(st),
			    inkan_strerror(INKAN_ERR_LIMIT));
		assert_int_equal(b.err, INKAN_ERR_LIMIT);
		assert_int_equal(b.len, cases[i].max); /* not truncated */
		check_invariants(&b);
		/* Sticky: even appends that would fit now fail. */
		assert_int_equal(
		    inkan_buf_append(&b, NULL, 0), INKAN_ERR_LIMIT);
		assert_int_equal(
		    inkan_buf_append_cstr(&b, ""), INKAN_ERR_LIMIT);
		assert_int_equal(
		    inkan_buf_printf(&b, "%s", ""), INKAN_ERR_LIMIT);
		assert_int_equal(inkan_buf_reserve(&b, 0), INKAN_ERR_LIMIT);
		assert_int_equal(b.len, cases[i].max);

		/* reset clears the error and the contents, not max. */
		inkan_buf_reset(&b);
		assert_int_equal(b.err, INKAN_OK);
		assert_int_equal(b.len, 0);
		assert_int_equal(b.max, cases[i].max);
		check_invariants(&b);
		if (cases[i].max > 0) {
			assert_int_equal(
			    inkan_buf_append_byte(&b, 'y'), INKAN_OK);
			assert_string_equal(inkan_buf_cstr(&b), "y");
		}
		inkan_buf_clear(&b);
	}
}

static void
test_append_more_than_max_at_once(void **state)
{
	struct inkan_buf b;

	(void)state;
	inkan_buf_init(&b, 5);
	assert_int_equal(inkan_buf_append_cstr(&b, "abc"), INKAN_OK);
	/* 3 + 3 > 5: refused whole, never truncated to "abcde". */
	assert_int_equal(inkan_buf_append_cstr(&b, "def"), INKAN_ERR_LIMIT);
	assert_string_equal(inkan_buf_cstr(&b), "abc");
	/* A length that would wrap len + n is refused too. */
	inkan_buf_reset(&b);
	assert_int_equal(inkan_buf_append_cstr(&b, "a"), INKAN_OK);
	assert_int_equal(inkan_buf_reserve(&b, SIZE_MAX), INKAN_ERR_LIMIT);
	inkan_buf_clear(&b);
}

static void
test_printf(void **state)
{
	static const struct {
		const char *name;
		size_t max;
		const char *prefix;
		int num;
		enum inkan_status want_st;
		const char *want;
	} cases[] = {
		{ "fits with room", 100, "", 42, INKAN_OK, "<42>" },
		{ "empty into max 0", 0, NULL, 0, INKAN_OK, "" },
		{ "exactly at max", 4, "", 42, INKAN_OK, "<42>" },
		{ "one past max", 3, "", 42, INKAN_ERR_LIMIT, "" },
		{ "after content, at max", 7, "abc", -1, INKAN_OK, "abc<-1>" },
		{ "after content, past max", 6, "abc", -1, INKAN_ERR_LIMIT,
		    "abc" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct inkan_buf b;
		enum inkan_status st;

		inkan_buf_init(&b, cases[i].max);
		if (cases[i].prefix != NULL)
			assert_int_equal(
			    inkan_buf_append_cstr(&b, cases[i].prefix),
			    INKAN_OK);
		if (cases[i].prefix == NULL)
			st = inkan_buf_printf(&b, "%s", "");
		else
			st = inkan_buf_printf(&b, "<%d>", cases[i].num);
		if (st != cases[i].want_st)
			fail_msg("%s: got %s, want %s", cases[i].name,
			    inkan_strerror(st),
			    inkan_strerror(cases[i].want_st));
		if (strcmp(inkan_buf_cstr(&b), cases[i].want) != 0)
			fail_msg("%s: got \"%s\", want \"%s\"", cases[i].name,
			    inkan_buf_cstr(&b), cases[i].want);
		check_invariants(&b);
		if (st != INKAN_OK) {
			/* Sticky for every kind of append, until reset. */
			assert_int_equal(inkan_buf_printf(&b, "x"), st);
			assert_int_equal(inkan_buf_append_byte(&b, 'x'), st);
			inkan_buf_reset(&b);
			assert_int_equal(
			    inkan_buf_printf(&b, "%c", 'z'), INKAN_OK);
			assert_string_equal(inkan_buf_cstr(&b), "z");
		}
		inkan_buf_clear(&b);
	}
}

static void
test_printf_grows(void **state)
{
	struct inkan_buf b;
	char want[1001];
	int i;

	(void)state;
	inkan_buf_init(&b, 100000);
	/* Many appends, each past the capacity the previous left. */
	for (i = 0; i < 100; i++)
		assert_int_equal(inkan_buf_printf(&b, "%09d|", i), INKAN_OK);
	assert_int_equal(b.len, 1000);
	for (i = 0; i < 100; i++)
		snprintf(want + 10 * i, 11, "%09d|", i);
	assert_string_equal(inkan_buf_cstr(&b), want);
	/* One printf much larger than the capacity. */
	inkan_buf_reset(&b);
	assert_int_equal(inkan_buf_printf(&b, "%5000d", 7), INKAN_OK);
	assert_int_equal(b.len, 5000);
	assert_int_equal(b.data[4999], '7');
	check_invariants(&b);
	inkan_buf_clear(&b);
}

static void
test_growth_capped_at_max(void **state)
{
	struct inkan_buf b;
	size_t i;

	(void)state;
	/* Doubling from 64 would reach 128, 256: never past max + 1. */
	inkan_buf_init(&b, 100);
	for (i = 0; i < 100; i++) {
		assert_int_equal(inkan_buf_append_byte(&b, 'a'), INKAN_OK);
		check_invariants(&b);
	}
	assert_int_equal(b.cap, 101);
	inkan_buf_clear(&b);
	/* A tiny maximum gets a tiny allocation. */
	inkan_buf_init(&b, 3);
	assert_int_equal(inkan_buf_append_cstr(&b, "abc"), INKAN_OK);
	assert_int_equal(b.cap, 4);
	inkan_buf_clear(&b);
}

static void
test_reserve(void **state)
{
	struct inkan_buf b;
	size_t cap;

	(void)state;
	inkan_buf_init(&b, 1000);
	assert_int_equal(inkan_buf_reserve(&b, 0), INKAN_OK);
	assert_non_null(b.data); /* storage after a successful reserve */
	check_invariants(&b);
	assert_int_equal(inkan_buf_reserve(&b, 1000), INKAN_OK);
	cap = b.cap;
	assert_true(cap >= 1001);
	/* Appending what was reserved does not move the storage. */
	assert_int_equal(inkan_buf_printf(&b, "%1000d", 1), INKAN_OK);
	assert_int_equal(b.cap, cap);
	assert_int_equal(inkan_buf_reserve(&b, 1), INKAN_ERR_LIMIT);
	assert_int_equal(b.err, INKAN_ERR_LIMIT);
	inkan_buf_clear(&b);
	assert_int_equal(b.err, INKAN_OK);
	assert_int_equal(b.max, 1000);
}

static void
test_truncate_and_views(void **state)
{
	struct inkan_buf b;
	struct inkan_view v;

	(void)state;
	inkan_buf_init(&b, 64);
	assert_int_equal(
	    inkan_buf_append_view(&b, INKAN_VIEW_LIT("hello, ")), INKAN_OK);
	assert_int_equal(inkan_buf_append(&b, "world\0!", 7), INKAN_OK);
	assert_int_equal(b.len, 14);
	v = inkan_buf_view(&b);
	assert_int_equal(v.len, 14);
	assert_memory_equal(v.ptr, "hello, world\0!", 14);
	inkan_buf_truncate(&b, 5);
	assert_string_equal(inkan_buf_cstr(&b), "hello");
	check_invariants(&b);
	inkan_buf_truncate(&b, 5); /* to the current length: no change */
	inkan_buf_truncate(&b, 0);
	assert_string_equal(inkan_buf_cstr(&b), "");
	check_invariants(&b);
	inkan_buf_clear(&b);
	inkan_buf_truncate(&b, 0); /* no storage yet */
	check_invariants(&b);
}

static void
test_append_self(void **state)
{
	struct inkan_buf b;
	int i;

	(void)state;
	inkan_buf_init(&b, 1 << 20);
	assert_int_equal(inkan_buf_append_cstr(&b, "ab"), INKAN_OK);
	/* Doubling by appending the buffer to itself moves the storage. */
	for (i = 0; i < 12; i++)
		assert_int_equal(inkan_buf_append(&b, b.data, b.len), INKAN_OK);
	assert_int_equal(b.len, 2u << 12);
	for (i = 0; i < (2 << 12); i += 2)
		assert_memory_equal(b.data + i, "ab", 2);
	/* A part of itself, from the middle. */
	inkan_buf_reset(&b);
	assert_int_equal(inkan_buf_append_cstr(&b, "0123456789"), INKAN_OK);
	assert_int_equal(inkan_buf_append(&b, b.data + 3, 4), INKAN_OK);
	assert_string_equal(inkan_buf_cstr(&b), "01234567893456");
	inkan_buf_clear(&b);
}

static void
test_steal(void **state)
{
	struct inkan_buf b;
	uint8_t *p;
	size_t len = 99;

	(void)state;
	inkan_buf_init(&b, 100);
	assert_int_equal(inkan_buf_append_cstr(&b, "secret"), INKAN_OK);
	p = inkan_buf_steal(&b, &len);
	assert_non_null(p);
	assert_int_equal(len, 6);
	assert_string_equal((char *)p, "secret");
	free(p);
	/* The buffer is empty, keeps its max, and may be used again. */
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.max, 100);
	check_invariants(&b);
	/* Stealing an empty buffer still gives a string. */
	p = inkan_buf_steal(&b, &len);
	assert_non_null(p);
	assert_int_equal(len, 0);
	assert_int_equal(p[0], '\0');
	free(p);
	/* len_r may be NULL. */
	assert_int_equal(inkan_buf_append_cstr(&b, "x"), INKAN_OK);
	p = inkan_buf_steal(&b, NULL);
	assert_string_equal((char *)p, "x");
	free(p);
	inkan_buf_clear(&b);
}

/* A buffer that may grow without bound until malloc() says no. */
static void
test_nomem(void **state)
{
	struct inkan_buf b;

	(void)state;
	inkan_buf_init(&b, SIZE_MAX);
	assert_int_equal(inkan_buf_append_cstr(&b, "kept"), INKAN_OK);
	assert_int_equal(inkan_buf_reserve(&b, SIZE_MAX / 2), INKAN_ERR_NOMEM);
	assert_int_equal(b.err, INKAN_ERR_NOMEM);
	assert_string_equal(inkan_buf_cstr(&b), "kept");
	/* Sticky with the same status, until reset. */
	assert_int_equal(inkan_buf_append_byte(&b, 'x'), INKAN_ERR_NOMEM);
	assert_int_equal(inkan_buf_printf(&b, "x"), INKAN_ERR_NOMEM);
	inkan_buf_reset(&b);
	assert_int_equal(inkan_buf_append_byte(&b, 'x'), INKAN_OK);
	/* len + n + 1 wraps: NOMEM rather than an overflowed size. */
	inkan_buf_reset(&b);
	assert_int_equal(inkan_buf_reserve(&b, SIZE_MAX), INKAN_ERR_NOMEM);
	inkan_buf_clear(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_empty),
		cmocka_unit_test(test_limit_boundary),
		cmocka_unit_test(test_append_more_than_max_at_once),
		cmocka_unit_test(test_printf),
		cmocka_unit_test(test_printf_grows),
		cmocka_unit_test(test_growth_capped_at_max),
		cmocka_unit_test(test_reserve),
		cmocka_unit_test(test_truncate_and_views),
		cmocka_unit_test(test_append_self),
		cmocka_unit_test(test_steal),
		cmocka_unit_test(test_nomem),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
