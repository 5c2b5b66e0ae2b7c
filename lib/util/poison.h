/*
 * poison.h: memory kept for reuse made unreadable to AddressSanitizer
 * until it is handed out again, so that a use after free of a recycled
 * object is still reported. Nothing without ASan. Private to lib/.
 */
#ifndef INKAN_UTIL_POISON_H
#define INKAN_UTIL_POISON_H

#include <stddef.h>

#if defined(__SANITIZE_ADDRESS__)
#define INKAN_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define INKAN_ASAN 1
#endif
#endif

#ifdef INKAN_ASAN
#include <sanitizer/asan_interface.h>
#endif

/* p[0..n) may not be touched until inkan_unpoison(). */
static inline void
inkan_poison(const void *p, size_t n)
{
#ifdef INKAN_ASAN
	ASAN_POISON_MEMORY_REGION(p, n);
#else
	(void)p;
	(void)n;
#endif
}

static inline void
inkan_unpoison(const void *p, size_t n)
{
#ifdef INKAN_ASAN
	ASAN_UNPOISON_MEMORY_REGION(p, n);
#else
	(void)p;
	(void)n;
#endif
}

#endif
