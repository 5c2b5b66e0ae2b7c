/*
 * test_ttlcache.c: the expiring hash table behind the SPF and DMARC
 * record caches: finding, expiry at the exact second, making room when
 * full (expired entries first, then everything), caching turned off, and
 * every entry dropped exactly once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/ttlcache.h"

struct entry {
	struct ttl_entry base;
	int value;
	char key[];
};

static int drops; /* entries freed through drop() */

static void
drop(struct ttl_entry *base)
{
	drops++;
	free(base);
}

/* Adds key=value until expires, if there is room; true when added. */
static bool
put(struct ttl_cache *c, const char *key, int value, int64_t now,
    int64_t expires)
{
	size_t n = strlen(key);
	struct entry *e;

	if (!ttl_cache_room(c, now))
		return false;
	e = calloc(1, sizeof(*e) + n + 1);
	assert_non_null(e);
	memcpy(e->key, key, n);
	e->value = value;
	ttl_cache_add(c, &e->base, e->key, n, ttl_cache_hash(key, n), expires);
	return true;
}

/* The value cached for key at now, or -1. */
static int
get(struct ttl_cache *c, const char *key, int64_t now)
{
	size_t n = strlen(key);
	struct ttl_entry *e =
	    ttl_cache_find(c, key, n, ttl_cache_hash(key, n), now);

	return e != NULL ? ((struct entry *)(void *)e)->value : -1;
}

static void
test_find_expire(void **state)
{
	struct ttl_cache c;

	(void)state;
	drops = 0;
	assert_int_equal(ttl_cache_init(&c, 100, 1 << 10, drop), INKAN_OK);
	assert_int_equal(c.nbuckets, 128);
	assert_true(put(&c, "example.com", 1, 1000, 1060));
	assert_true(put(&c, "example.org", 2, 1000, 2000));
	/* Same length, other bytes; a prefix; a longer key. */
	assert_int_equal(get(&c, "example.con", 1000), -1);
	assert_int_equal(get(&c, "example.co", 1000), -1);
	assert_int_equal(get(&c, "example.comm", 1000), -1);
	assert_int_equal(get(&c, "example.com", 1059), 1);
	assert_int_equal(c.count, 2);
	/* Gone at the second it expires, and dropped when met. */
	assert_int_equal(get(&c, "example.com", 1060), -1);
	assert_int_equal(c.count, 1);
	assert_int_equal(drops, 1);
	assert_int_equal(get(&c, "example.org", 1999), 2);
	ttl_cache_empty(&c);
	assert_int_equal(c.count, 0);
	assert_int_equal(get(&c, "example.org", 1000), -1);
	assert_true(put(&c, "example.net", 3, 1000, 2000));
	ttl_cache_clear(&c);
	assert_int_equal(drops, 3);
	assert_null(c.buckets);
	/* A cleared table finds nothing and takes nothing. */
	assert_int_equal(get(&c, "example.net", 1000), -1);
	assert_false(ttl_cache_room(&c, 1000));
}

static void
test_room(void **state)
{
	struct ttl_cache c;
	char key[32];
	int i;

	(void)state;
	drops = 0;
	assert_int_equal(ttl_cache_init(&c, 4, 1 << 10, drop), INKAN_OK);
	assert_int_equal(c.nbuckets, 16); /* never fewer than 16 */
	for (i = 0; i < 4; i++) {
		snprintf(key, sizeof(key), "k%d.example", i);
		/* k0 and k1 expire at 1100, k2 and k3 at 5000. */
		assert_true(put(&c, key, i, 1000, i < 2 ? 1100 : 5000));
	}
	assert_int_equal(c.count, 4);
	/* Full: the expired ones go, the live ones stay. */
	assert_true(put(&c, "k4.example", 4, 1200, 5000));
	assert_int_equal(c.count, 3);
	assert_int_equal(drops, 2);
	assert_int_equal(get(&c, "k2.example", 1200), 2);
	assert_int_equal(get(&c, "k4.example", 1200), 4);
	assert_true(put(&c, "k5.example", 5, 1200, 5000));
	/* Full of live entries: all go. */
	assert_true(put(&c, "k6.example", 6, 1300, 5000));
	assert_int_equal(c.count, 1);
	assert_int_equal(drops, 6);
	assert_int_equal(get(&c, "k2.example", 1300), -1);
	assert_int_equal(get(&c, "k6.example", 1300), 6);
	ttl_cache_clear(&c);
	assert_int_equal(drops, 7);

	/* max 0: caching is off. */
	assert_int_equal(ttl_cache_init(&c, 0, 1 << 10, drop), INKAN_OK);
	assert_false(put(&c, "example.com", 1, 1000, 2000));
	assert_int_equal(get(&c, "example.com", 1000), -1);
	ttl_cache_clear(&c);

	/* bucket_cap bounds the table for a large max. */
	assert_int_equal(ttl_cache_init(&c, 1u << 20, 1 << 8, drop), INKAN_OK);
	assert_int_equal(c.nbuckets, 256);
	for (i = 0; i < 2000; i++) {
		snprintf(key, sizeof(key), "n%d.example", i);
		assert_true(put(&c, key, i, 1000, 2000));
	}
	for (i = 0; i < 2000; i++) {
		snprintf(key, sizeof(key), "n%d.example", i);
		assert_int_equal(get(&c, key, 1000), i);
	}
	ttl_cache_clear(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find_expire),
		cmocka_unit_test(test_room),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
