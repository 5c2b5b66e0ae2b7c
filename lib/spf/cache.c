/*
 * cache.c: the record cache of a struct inkan_spf, keyed by lowercase
 * domain (the table is lib/util/ttlcache.c). An entry holds a parsed
 * record (one reference), "no SPF record", or a permerror with its
 * reason.
 */
#include <stdlib.h>
#include <string.h>

#include "spf/spf_impl.h"

static void
entry_drop(struct ttl_entry *base)
{
	struct spf_cache_entry *e = (struct spf_cache_entry *)(void *)base;

	inkan_spf_record_free(&e->rec);
	free(e->why);
	free(e);
}

enum inkan_status
spf_cache_init(struct inkan_spf *s)
{
	return ttl_cache_init(
	    &s->cache, s->lim.spf_cache_max, (size_t)1 << 20, entry_drop);
}

void
inkan_spf_cache_clear(struct inkan_spf *s)
{
	if (s != NULL)
		ttl_cache_empty(&s->cache);
}

struct spf_cache_entry *
spf_cache_find(struct inkan_spf *s, const char *key, size_t n, uint64_t h)
{
	return (struct spf_cache_entry *)(void *)ttl_cache_find(
	    &s->cache, key, n, h, s->now);
}

/* Stores an answer for key; a failure to allocate just skips caching. */
void
spf_cache_put(struct inkan_spf *s, const char *key, size_t n, uint64_t h,
    uint32_t ttl, enum spf_fetch kind, struct inkan_spf_record *rec,
    const char *why)
{
	struct spf_cache_entry *e;
	size_t size;

	if (ttl == 0 || !ttl_cache_room(&s->cache, s->now))
		return;
	if (!inkan_size_add(sizeof(*e) + 1, n, &size) ||
	    (e = calloc(1, size)) == NULL)
		return;
	memcpy(e->key, key, n);
	e->kind = kind;
	if (rec != NULL) {
		spf_record_ref(rec);
		e->rec = rec;
	}
	if (why != NULL && (e->why = strdup(why)) == NULL) {
		entry_drop(&e->base);
		return;
	}
	ttl_cache_add(&s->cache, &e->base, e->key, n, h, s->now + ttl);
}
