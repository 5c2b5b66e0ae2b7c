/*
 * hdr_test.h: what test_header.c and test_header_fast.c share: status
 * names for transcripts, comparing a transcript with the one wanted, and
 * the generator's random numbers. Include after <cmocka.h>.
 */
#ifndef INKAN_TEST_HDR_TEST_H
#define INKAN_TEST_HDR_TEST_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <inkan/util.h>

static inline const char *
status_name(enum inkan_status st)
{
	switch (st) {
	case INKAN_OK:
		return "ok";
	case INKAN_ERR_NOMEM:
		return "nomem";
	case INKAN_ERR_LIMIT:
		return "limit";
	case INKAN_ERR_SYNTAX:
		return "syntax";
	case INKAN_ERR_INVAL:
		return "inval";
	case INKAN_ERR_STATE:
		return "state";
	default:
		return "other";
	}
}

/* Prints got and want when they differ; returns whether they are equal. */
static inline bool
same(const char *name, const char *how, const struct inkan_buf *got,
    const char *want)
{
	if (strcmp(inkan_buf_cstr(got), want) == 0)
		return true;
	print_error("case \"%s\" (%s):\ngot:\n%swant:\n%s", name, how,
	    inkan_buf_cstr(got), want);
	return false;
}

static inline void
want_equal(const char *name, const char *how, const struct inkan_buf *got,
    const char *want)
{
	if (!same(name, how, got, want))
		fail();
}

/* xorshift64: the generators' reproducible random numbers. */
static inline uint64_t
xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

#endif
