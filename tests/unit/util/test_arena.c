/*
 * test_arena.c: struct inkan_arena: alignment, zeroing, chunking, the
 * maximum (exactly at it, one past it), overflow checks and a failing
 * allocation.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <inkan/util.h>

/* As in test_buf.c: let a huge allocation return NULL under ASan. */
const char *__asan_default_options(void);
const char *
__asan_default_options(void)
{
	return "allocator_may_return_null=1";
}

static bool
aligned16(const void *p)
{
	return ((uintptr_t)p & 15) == 0;
}

static bool
all_zero(const void *p, size_t n)
{
	const uint8_t *s = p;
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] != 0)
			return false;
	return true;
}

/*
 * The overhead of one chunk, measured: an allocation larger than a
 * default chunk gets a chunk of its own, of exactly that much more.
 */
static size_t
chunk_overhead(void)
{
	struct inkan_arena a;
	size_t hdr;

	inkan_arena_init(&a, SIZE_MAX);
	assert_non_null(inkan_arena_alloc(&a, 100000));
	hdr = a.used - 100000;
	inkan_arena_clear(&a);
	assert_true(hdr > 0 && hdr % 16 == 0 && hdr <= 256);
	return hdr;
}

static void
test_alloc_basic(void **state)
{
	struct inkan_arena a;
	uint8_t *p[200];
	size_t i, n;

	(void)state;
	inkan_arena_init(&a, 1 << 20);
	assert_null(inkan_arena_alloc(&a, 0));
	assert_int_equal(a.used, 0);
	/* Sizes that straddle the alignment, across several chunks. */
	for (i = 0; i < 200; i++) {
		n = 1 + i * 7 % 61;
		p[i] = inkan_arena_alloc(&a, n);
		assert_non_null(p[i]);
		assert_true(aligned16(p[i]));
		assert_true(all_zero(p[i], n));
		memset(p[i], (int)i, n);
	}
	/* No allocation overlaps another. */
	for (i = 0; i < 200; i++) {
		n = 1 + i * 7 % 61;
		assert_true(p[i][0] == (uint8_t)i && p[i][n - 1] == (uint8_t)i);
	}
	assert_true(a.used <= a.max);
	inkan_arena_clear(&a);
	assert_null(a.head);
	assert_int_equal(a.used, 0);
	assert_int_equal(a.max, 1 << 20);
	/* Usable again, and zeroed again. */
	p[0] = inkan_arena_alloc(&a, 32);
	assert_non_null(p[0]);
	assert_true(all_zero(p[0], 32));
	inkan_arena_clear(&a);
	inkan_arena_clear(&a); /* clearing twice is harmless */
}

static void
test_large_gets_own_chunk(void **state)
{
	struct inkan_arena a;
	size_t hdr = chunk_overhead(), used;
	uint8_t *small, *big, *next;

	(void)state;
	inkan_arena_init(&a, SIZE_MAX);
	small = inkan_arena_alloc(&a, 16);
	assert_non_null(small);
	used = a.used;
	big = inkan_arena_alloc(&a, 50000);
	assert_non_null(big);
	assert_true(aligned16(big));
	assert_true(all_zero(big, 50000));
	assert_int_equal(a.used, used + hdr + 50000);
	/* The small chunk's free tail is still used after the big one. */
	next = inkan_arena_alloc(&a, 16);
	assert_ptr_equal(next, small + 16);
	assert_int_equal(a.used, used + hdr + 50000);
	inkan_arena_clear(&a);
}

/*
 * Exactly at max succeeds, one byte more fails, and the arena keeps
 * failing only for what does not fit.
 */
static void
test_limit_boundary(void **state)
{
	struct inkan_arena a;
	size_t hdr = chunk_overhead();
	void *p;

	(void)state;
	/* Room for one chunk with 64 bytes of payload. */
	inkan_arena_init(&a, hdr + 64);
	p = inkan_arena_alloc(&a, 64);
	assert_non_null(p);
	assert_true(all_zero(p, 64));
	assert_int_equal(a.used, a.max);
	assert_null(inkan_arena_alloc(&a, 1));
	assert_null(inkan_arena_alloc(&a, 1)); /* still */
	assert_int_equal(a.used, a.max);
	inkan_arena_clear(&a);
	assert_non_null(inkan_arena_alloc(&a, 64));
	inkan_arena_clear(&a);

	/* The same, in small steps within the one chunk. */
	inkan_arena_init(&a, hdr + 64);
	assert_non_null(inkan_arena_alloc(&a, 16));
	assert_non_null(inkan_arena_alloc(&a, 16));
	assert_non_null(inkan_arena_alloc(&a, 32));
	assert_null(inkan_arena_alloc(&a, 1));
	inkan_arena_clear(&a);

	/* Alignment padding counts: 65 bytes need 80. */
	inkan_arena_init(&a, hdr + 79);
	assert_null(inkan_arena_alloc(&a, 65));
	assert_non_null(inkan_arena_alloc(&a, 64));
	inkan_arena_clear(&a);

	/* Too small for any chunk at all. */
	inkan_arena_init(&a, 0);
	assert_null(inkan_arena_alloc(&a, 1));
	inkan_arena_clear(&a);
	inkan_arena_init(&a, hdr + 15);
	assert_null(inkan_arena_alloc(&a, 1));
	assert_int_equal(a.used, 0);
	inkan_arena_clear(&a);
}

/* Filled in small pieces, used never passes max, whatever max is. */
static void
test_fill_to_max(void **state)
{
	static const size_t maxes[] = { 100, 1000, 4096, 4097, 10000, 65536 };
	struct inkan_arena a;
	size_t i, count, hdr = chunk_overhead();

	(void)state;
	for (i = 0; i < sizeof(maxes) / sizeof(maxes[0]); i++) {
		inkan_arena_init(&a, maxes[i]);
		count = 0;
		while (inkan_arena_alloc(&a, 16) != NULL) {
			assert_true(a.used <= a.max);
			count++;
		}
		/* Stops only when not even one more chunk would fit. */
		assert_true(a.max - a.used < hdr + 16);
		assert_true(count * 16 + hdr <= maxes[i] || count == 0);
		inkan_arena_clear(&a);
	}
}

static void
test_arena_calloc(void **state)
{
	struct inkan_arena a;
	uint32_t *v;

	(void)state;
	inkan_arena_init(&a, 1 << 20);
	v = inkan_arena_calloc(&a, 10, sizeof(*v));
	assert_non_null(v);
	assert_true(all_zero(v, 10 * sizeof(*v)));
	assert_null(inkan_arena_calloc(&a, 0, 4));
	assert_null(inkan_arena_calloc(&a, 4, 0));
	/* nmemb * size wraps: refused, not a short allocation. */
	assert_null(inkan_arena_calloc(&a, SIZE_MAX / 2 + 1, 2));
	assert_null(inkan_arena_calloc(&a, SIZE_MAX, SIZE_MAX));
	/* Sizes whose rounding up to 16 would wrap. */
	assert_null(inkan_arena_alloc(&a, SIZE_MAX));
	assert_null(inkan_arena_alloc(&a, SIZE_MAX - 15));
	assert_null(inkan_arena_alloc(&a, SIZE_MAX - 16));
	inkan_arena_clear(&a);
}

static void
test_strndup(void **state)
{
	struct inkan_arena a;
	char *s;

	(void)state;
	inkan_arena_init(&a, 1 << 20);
	s = inkan_arena_strndup(&a, "example.com", 7);
	assert_string_equal(s, "example");
	s = inkan_arena_strndup(&a, NULL, 0);
	assert_string_equal(s, "");
	/* All n bytes are copied, an embedded NUL included. */
	s = inkan_arena_strndup(&a, "a\0b", 3);
	assert_memory_equal(s, "a\0b\0", 4);
	assert_null(inkan_arena_strndup(&a, "x", SIZE_MAX));
	inkan_arena_clear(&a);

	/* The NUL counts against max. */
	inkan_arena_init(&a, chunk_overhead() + 16);
	assert_non_null(inkan_arena_strndup(&a, "0123456789abcde", 15));
	assert_null(inkan_arena_strndup(&a, "", 0));
	inkan_arena_clear(&a);
}

/* An arena without a maximum, and malloc() saying no. */
static void
test_nomem(void **state)
{
	struct inkan_arena a;

	(void)state;
	inkan_arena_init(&a, SIZE_MAX);
	assert_non_null(inkan_arena_alloc(&a, 16));
	assert_null(inkan_arena_alloc(&a, SIZE_MAX / 2));
	/* Nothing was counted for the failed chunk; the arena works. */
	assert_true(a.used < 65536);
	assert_non_null(inkan_arena_alloc(&a, 16));
	inkan_arena_clear(&a);
}

/* reset keeps one default chunk (reused, counted) and frees the rest. */
static void
test_reset(void **state)
{
	struct inkan_arena a;
	uint8_t *first, *again;
	size_t used;

	(void)state;
	/* Empty, or only a chunk of its own: nothing to keep. */
	inkan_arena_init(&a, SIZE_MAX);
	inkan_arena_reset(&a);
	assert_null(a.head);
	assert_int_equal(a.used, 0);
	assert_non_null(inkan_arena_alloc(&a, 100000));
	inkan_arena_reset(&a);
	assert_null(a.head);
	assert_int_equal(a.used, 0);

	first = inkan_arena_alloc(&a, 100);
	assert_non_null(first);
	memset(first, 0xff, 100);
	used = a.used;
	assert_non_null(inkan_arena_alloc(&a, 100000)); /* own chunk */
	assert_non_null(inkan_arena_alloc(&a, 3000)); /* a second default */
	assert_non_null(inkan_arena_alloc(&a, 3000)); /* a third */
	inkan_arena_reset(&a);
	assert_int_equal(a.used, used);
	/* The kept chunk hands out from its start, zeroed again. */
	again = inkan_arena_alloc(&a, 100);
	assert_non_null(again);
	assert_true(aligned16(again));
	assert_true(all_zero(again, 100));
	assert_int_equal(a.used, used);
	inkan_arena_clear(&a);
	assert_int_equal(a.used, 0);

	/* An arena too small for a default chunk keeps nothing. */
	inkan_arena_init(&a, 1024);
	assert_non_null(inkan_arena_alloc(&a, 100));
	inkan_arena_reset(&a);
	assert_null(a.head);
	assert_int_equal(a.used, 0);
	assert_non_null(inkan_arena_alloc(&a, 100));
	inkan_arena_clear(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alloc_basic),
		cmocka_unit_test(test_large_gets_own_chunk),
		cmocka_unit_test(test_limit_boundary),
		cmocka_unit_test(test_fill_to_max),
		cmocka_unit_test(test_arena_calloc),
		cmocka_unit_test(test_strndup),
		cmocka_unit_test(test_nomem),
		cmocka_unit_test(test_reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
