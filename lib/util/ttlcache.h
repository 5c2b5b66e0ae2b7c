/*
 * ttlcache.h: the chained hash table behind the record caches of lib/spf
 * and lib/dmarc: entries keyed by bytes (a lowercase domain name) that
 * expire at a time the owner gives. Private to lib/.
 *
 * An owner's entry starts with a struct ttl_entry (its key pointing into
 * the owner's allocation) and is freed through the drop function given
 * at init. Expired entries are dropped when met; when the table is full,
 * every expired entry goes, and if that is not enough, all of them.
 *
 *	struct my_entry { struct ttl_entry base; int value; char key[]; };
 *
 *	e = ttl_cache_find(&c, key, n, h, now);    (NULL: not there)
 *	if (ttl_cache_room(&c, now)) {
 *		e = calloc(1, sizeof(*e) + n + 1); ... copy key, set value
 *		ttl_cache_add(&c, &e->base, e->key, n, h, now + ttl);
 *	}
 */
#ifndef INKAN_UTIL_TTLCACHE_H
#define INKAN_UTIL_TTLCACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <inkan/common.h>

struct ttl_entry {
	struct ttl_entry *next;
	uint64_t hash;
	int64_t expires; /* gone when now >= expires */
	const char *key; /* klen bytes, in the owner's entry */
	size_t klen;
};

struct ttl_cache {
	struct ttl_entry **buckets;
	size_t nbuckets; /* a power of two */
	size_t count, max;
	void (*drop)(struct ttl_entry *e); /* frees an owner's entry */
};

/*
 * A table for at most max entries (0: nothing is ever cached), with
 * buckets for max entries up to bucket_cap (a power of two, at least 16).
 * INKAN_ERR_NOMEM.
 */
enum inkan_status ttl_cache_init(struct ttl_cache *c, size_t max,
    size_t bucket_cap, void (*drop)(struct ttl_entry *e));
/* Drops every entry; the table stays usable. */
void ttl_cache_empty(struct ttl_cache *c);
/* Drops every entry and frees the table. */
void ttl_cache_clear(struct ttl_cache *c);

/* FNV-1a of key[0..n), for owners that have no hash of their own. */
uint64_t ttl_cache_hash(const char *key, size_t n);

/* The live entry for key[0..n) with hash h, or NULL (an expired one is
   dropped on the way). */
struct ttl_entry *ttl_cache_find(
    struct ttl_cache *c, const char *key, size_t n, uint64_t h, int64_t now);

/* Whether an entry may be added (false when caching is off); when the
   table is full, makes room first. */
bool ttl_cache_room(struct ttl_cache *c, int64_t now);

/* Adds e (taken over) for key[0..n) (in e's allocation), hash h, until
   expires. Call after ttl_cache_room() said true. */
void ttl_cache_add(struct ttl_cache *c, struct ttl_entry *e, const char *key,
    size_t n, uint64_t h, int64_t expires);

#endif
