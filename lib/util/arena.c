/*
 * arena.c: a chunked bump allocator for per-message parse results.
 *
 * Memory comes from chunks of ARENA_CHUNK_SIZE bytes (header included);
 * an allocation that does not fit in a default chunk gets a chunk of its
 * own. Each allocation is zeroed when it is handed out, not each chunk
 * when it is made: a message that uses a few hundred bytes of a chunk
 * does not pay for zeroing the whole page.
 *
 * used counts every byte the arena holds: the chunk headers, the padding
 * that keeps allocations 16-byte aligned, and the unused tail of each
 * chunk. It never exceeds max: near the limit a new chunk is made only as
 * large as what is left, so an arena of any max can be filled exactly.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include <inkan/util.h>

#include "util/poison.h"

/* Every allocation is aligned for any scalar type and for SIMD loads. */
#define ARENA_ALIGN 16
/* Bytes of a default chunk, header included: one page. */
#define ARENA_CHUNK_SIZE 4096

struct inkan_arena_chunk {
	struct inkan_arena_chunk *next;
	size_t size; /* bytes of payload after the header */
	size_t off; /* bytes of payload handed out */
};

/* The header, rounded up so that the payload after it stays aligned. */
#define CHUNK_HDR                                               \
	((sizeof(struct inkan_arena_chunk) + ARENA_ALIGN - 1) & \
	    ~(size_t)(ARENA_ALIGN - 1))

static uint8_t *
payload(struct inkan_arena_chunk *ch)
{
	return (uint8_t *)ch + CHUNK_HDR;
}

void
inkan_arena_init(struct inkan_arena *a, size_t max)
{
	assert(a != NULL);
	a->head = NULL;
	a->used = 0;
	a->max = max;
}

void
inkan_arena_clear(struct inkan_arena *a)
{
	struct inkan_arena_chunk *ch, *next;

	assert(a != NULL);
	for (ch = a->head; ch != NULL; ch = next) {
		next = ch->next;
		inkan_unpoison(payload(ch), ch->size);
		free(ch);
	}
	inkan_arena_init(a, a->max);
}

void
inkan_arena_reset(struct inkan_arena *a)
{
	struct inkan_arena_chunk *ch, *next, *keep = NULL;

	assert(a != NULL);
	for (ch = a->head; ch != NULL; ch = next) {
		next = ch->next;
		if (keep == NULL && ch->size + CHUNK_HDR == ARENA_CHUNK_SIZE) {
			keep = ch;
		} else {
			inkan_unpoison(payload(ch), ch->size);
			free(ch);
		}
	}
	inkan_arena_init(a, a->max);
	if (keep != NULL) {
		keep->next = NULL;
		keep->off = 0;
		a->head = keep;
		a->used = ARENA_CHUNK_SIZE;
		/* Under ASan, what was handed out is unreadable until it is
		   handed out again (take()). */
		inkan_poison(payload(keep), keep->size);
	}
}

/*
 * Makes a chunk with room for need bytes (a multiple of ARENA_ALIGN) and
 * hands them out; NULL past max or out of memory.
 */
static void *
alloc_chunk(struct inkan_arena *a, size_t need)
{
	struct inkan_arena_chunk *ch;
	size_t size, avail = a->max - a->used;

	if (!inkan_size_add(need, CHUNK_HDR, &size) || size > avail)
		return NULL;
	/* The default size, unless the request is larger or max is near. */
	if (size < ARENA_CHUNK_SIZE) {
		avail &= ~(size_t)(ARENA_ALIGN - 1); /* still >= size */
		size = avail < ARENA_CHUNK_SIZE ? avail : ARENA_CHUNK_SIZE;
	}
	/* C11 aligned_alloc(): size is a multiple of the alignment. */
	if ((ch = aligned_alloc(ARENA_ALIGN, size)) == NULL)
		return NULL;
	ch->size = size - CHUNK_HDR;
	ch->off = need;
	a->used += size;
	/*
	 * The chunk with the most room left stays in front, where the next
	 * allocation looks: a large allocation in a chunk of its own does
	 * not strand the free tail of the current one.
	 */
	if (a->head != NULL &&
	    ch->size - ch->off < a->head->size - a->head->off) {
		ch->next = a->head->next;
		a->head->next = ch;
	} else {
		ch->next = a->head;
		a->head = ch;
	}
	return payload(ch);
}

/* n bytes (rounded up to ARENA_ALIGN), not zeroed; NULL as below. */
static void *
take(struct inkan_arena *a, size_t n)
{
	struct inkan_arena_chunk *ch;
	size_t need;
	void *p;

	assert(a != NULL && a->used <= a->max);
	if (n == 0 || !inkan_size_add(n, ARENA_ALIGN - 1, &need))
		return NULL;
	need &= ~(size_t)(ARENA_ALIGN - 1);
	if ((ch = a->head) != NULL && ch->size - ch->off >= need) {
		p = payload(ch) + ch->off;
		ch->off += need;
		inkan_unpoison(p, need);
		return p;
	}
	return alloc_chunk(a, need);
}

void *
inkan_arena_alloc(struct inkan_arena *a, size_t n)
{
	void *p = take(a, n);

	if (p != NULL)
		memset(p, 0, n);
	return p;
}

void *
inkan_arena_calloc(struct inkan_arena *a, size_t nmemb, size_t size)
{
	size_t n;

	if (!inkan_size_mul(nmemb, size, &n))
		return NULL;
	return inkan_arena_alloc(a, n);
}

char *
inkan_arena_strndup(struct inkan_arena *a, const void *p, size_t n)
{
	size_t total;
	char *s;

	assert(p != NULL || n == 0);
	if (!inkan_size_add(n, 1, &total) || (s = take(a, total)) == NULL)
		return NULL;
	if (n > 0)
		memcpy(s, p, n);
	s[n] = '\0';
	return s;
}
