/*
 * cache.c: the record cache of a struct inkan_spf: a chained hash table
 * keyed by lowercase domain. An entry holds a parsed record (one
 * reference), "no SPF record", or a permerror with its reason, and the
 * time it expires. Expired entries are dropped when met; when the table
 * is full, every expired entry goes, and if that is not enough, all.
 */
#include <stdlib.h>
#include <string.h>

#include "spf/spf_impl.h"

static void
entry_free(struct spf_cache_entry *e)
{
	inkan_spf_record_free(&e->rec);
	free(e->why);
	free(e);
}

void
inkan_spf_cache_clear(struct inkan_spf *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->nbuckets; i++) {
		struct spf_cache_entry *e, *next;

		for (e = s->buckets[i]; e != NULL; e = next) {
			next = e->next;
			entry_free(e);
		}
		s->buckets[i] = NULL;
	}
	s->count = 0;
}

struct spf_cache_entry *
spf_cache_find(struct inkan_spf *s, const char *key, size_t n, uint64_t h)
{
	struct spf_cache_entry *e, **pp;

	if (s->nbuckets == 0)
		return NULL;
	pp = &s->buckets[h & (s->nbuckets - 1)];
	while ((e = *pp) != NULL) {
		if (e->hash == h && e->klen == n &&
		    memcmp(e->key, key, n) == 0) {
			if (e->expires > s->now)
				return e;
			/* Expired: drop it now. */
			*pp = e->next;
			entry_free(e);
			s->count--;
			return NULL;
		}
		pp = &e->next;
	}
	return NULL;
}

/* Drops every expired entry; if the cache is still full, all of it. */
static void
cache_make_room(struct inkan_spf *s)
{
	size_t i;

	for (i = 0; i < s->nbuckets; i++) {
		struct spf_cache_entry *e, **pp = &s->buckets[i];

		while ((e = *pp) != NULL) {
			if (e->expires <= s->now) {
				*pp = e->next;
				entry_free(e);
				s->count--;
			} else {
				pp = &e->next;
			}
		}
	}
	if (s->count >= s->lim.spf_cache_max)
		inkan_spf_cache_clear(s);
}

/* Stores an answer for key; a failure to allocate just skips caching. */
void
spf_cache_put(struct inkan_spf *s, const char *key, size_t n, uint64_t h,
    uint32_t ttl, enum spf_fetch kind, struct inkan_spf_record *rec,
    const char *why)
{
	struct spf_cache_entry *e;
	size_t size;

	if (ttl == 0 || s->lim.spf_cache_max == 0 || s->nbuckets == 0)
		return;
	if (s->count >= s->lim.spf_cache_max)
		cache_make_room(s);
	if (!inkan_size_add(sizeof(*e) + 1, n, &size) ||
	    (e = calloc(1, size)) == NULL)
		return;
	memcpy(e->key, key, n);
	e->klen = n;
	e->hash = h;
	e->expires = s->now + ttl;
	e->kind = kind;
	if (rec != NULL) {
		spf_record_ref(rec);
		e->rec = rec;
	}
	if (why != NULL && (e->why = strdup(why)) == NULL) {
		entry_free(e);
		return;
	}
	e->next = s->buckets[h & (s->nbuckets - 1)];
	s->buckets[h & (s->nbuckets - 1)] = e;
	s->count++;
}
