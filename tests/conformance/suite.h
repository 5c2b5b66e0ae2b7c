/*
 * suite.h: what every conformance driver shares: counting and reporting,
 * finding the suite directory, reading suite files. Static functions:
 * each driver is one program.
 *
 * Every driver prints one line per check ("ok", "FAIL", "skip" with the
 * reason), then "ran N, passed P, failed F, skipped S", and exits 1 when a
 * check failed, 77 when its suite directory is absent, 0 otherwise.
 */
#ifndef INKAN_TESTS_SUITE_H
#define INKAN_TESTS_SUITE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <inkan/util.h>

/* Suite files are small; this bounds a corrupt or surprising one. */
#define SUITE_FILE_MAX (4u * 1024 * 1024)

struct suite_counts {
	unsigned passed, failed, skipped;
};

static inline void suite_vline(const char *tag, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

static inline void
suite_vline(const char *tag, const char *fmt, va_list ap)
{
	fputs(tag, stdout);
	vprintf(fmt, ap);
	fputc('\n', stdout);
}

static inline void suite_ok(struct suite_counts *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static inline void
suite_ok(struct suite_counts *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	suite_vline("ok   ", fmt, ap);
	va_end(ap);
	c->passed++;
}

static inline void suite_fail(struct suite_counts *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static inline void
suite_fail(struct suite_counts *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	suite_vline("FAIL ", fmt, ap);
	va_end(ap);
	c->failed++;
}

static inline void suite_skip(struct suite_counts *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static inline void
suite_skip(struct suite_counts *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	suite_vline("skip ", fmt, ap);
	va_end(ap);
	c->skipped++;
}

/* Prints the counts; the exit status for them. */
static inline int
suite_report(const struct suite_counts *c)
{
	printf("ran %u, passed %u, failed %u, skipped %u\n",
	    c->passed + c->failed + c->skipped, c->passed, c->failed,
	    c->skipped);
	return c->failed > 0 ? 1 : 0;
}

/* true when the suite directory dir (under INKAN_TESTSUITES_DIR) exists. */
static inline bool
suite_dir(const char *suite, char *dir, size_t size)
{
	struct stat st;

	if (snprintf(dir, size, "%s/%s", INKAN_TESTSUITES_DIR, suite) >=
	    (int)size)
		return false;
	return stat(dir, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Reads dir/name into out (reset first). false with a message on error. */
static inline bool
suite_read_file(const char *dir, const char *name, struct inkan_buf *out)
{
	char path[4096];
	uint8_t chunk[8192];
	FILE *f;
	size_t got;
	bool ok = true;

	inkan_buf_reset(out);
	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >=
	    (int)sizeof(path))
		return false;
	if ((f = fopen(path, "rb")) == NULL) {
		printf("cannot open %s\n", path);
		return false;
	}
	while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (inkan_buf_append(out, chunk, got) != INKAN_OK) {
			printf("%s: too large\n", path);
			ok = false;
			break;
		}
	if (ferror(f))
		ok = false;
	fclose(f);
	/* An empty file still gets storage, so data is never NULL. */
	return ok && inkan_buf_reserve(out, 1) == INKAN_OK;
}

#endif
