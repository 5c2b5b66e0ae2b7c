/*
 * ttlcache.c: the expiring hash table shared by the record caches (see
 * ttlcache.h).
 */
#include <stdlib.h>
#include <string.h>

#include "util/ttlcache.h"

enum inkan_status
ttl_cache_init(struct ttl_cache *c, size_t max, size_t bucket_cap,
    void (*drop)(struct ttl_entry *e))
{
	size_t nb = 16;

	memset(c, 0, sizeof(*c));
	while (nb < max && nb < bucket_cap)
		nb <<= 1;
	if ((c->buckets = calloc(nb, sizeof(*c->buckets))) == NULL)
		return INKAN_ERR_NOMEM;
	c->nbuckets = nb;
	c->max = max;
	c->drop = drop;
	return INKAN_OK;
}

void
ttl_cache_empty(struct ttl_cache *c)
{
	struct ttl_entry *e, *next;
	size_t i;

	for (i = 0; i < c->nbuckets; i++) {
		for (e = c->buckets[i]; e != NULL; e = next) {
			next = e->next;
			c->drop(e);
		}
		c->buckets[i] = NULL;
	}
	c->count = 0;
}

void
ttl_cache_clear(struct ttl_cache *c)
{
	ttl_cache_empty(c);
	free(c->buckets);
	c->buckets = NULL;
	c->nbuckets = 0;
}

uint64_t
ttl_cache_hash(const char *key, size_t n)
{
	uint64_t h = 0xcbf29ce484222325u;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (uint8_t)key[i];
		h *= 0x100000001b3u;
	}
	return h;
}

struct ttl_entry *
ttl_cache_find(
    struct ttl_cache *c, const char *key, size_t n, uint64_t h, int64_t now)
{
	struct ttl_entry *e, **pp;

	if (c->nbuckets == 0)
		return NULL;
	pp = &c->buckets[h & (c->nbuckets - 1)];
	while ((e = *pp) != NULL) {
		if (e->hash == h && e->klen == n &&
		    memcmp(e->key, key, n) == 0) {
			if (e->expires > now)
				return e;
			*pp = e->next;
			c->drop(e);
			c->count--;
			return NULL;
		}
		pp = &e->next;
	}
	return NULL;
}

bool
ttl_cache_room(struct ttl_cache *c, int64_t now)
{
	struct ttl_entry *e, **pp;
	size_t i;

	if (c->max == 0 || c->nbuckets == 0)
		return false;
	if (c->count < c->max)
		return true;
	for (i = 0; i < c->nbuckets; i++) {
		pp = &c->buckets[i];
		while ((e = *pp) != NULL) {
			if (e->expires <= now) {
				*pp = e->next;
				c->drop(e);
				c->count--;
			} else {
				pp = &e->next;
			}
		}
	}
	if (c->count >= c->max)
		ttl_cache_empty(c);
	return true;
}

void
ttl_cache_add(struct ttl_cache *c, struct ttl_entry *e, const char *key,
    size_t n, uint64_t h, int64_t expires)
{
	struct ttl_entry **b = &c->buckets[h & (c->nbuckets - 1)];

	e->key = key;
	e->klen = n;
	e->hash = h;
	e->expires = expires;
	e->next = *b;
	*b = e;
	c->count++;
}
