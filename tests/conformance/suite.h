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

/* Adds c to *sum, for a total over several files or passes. */
static inline void
suite_counts_add(struct suite_counts *sum, const struct suite_counts *c)
{
	sum->passed += c->passed;
	sum->failed += c->failed;
	sum->skipped += c->skipped;
}

/*
 * Prints "WHAT: ran N, passed P, failed F, skipped S" (no "WHAT: " when
 * what is NULL) without ending the line, so that a driver can add a note
 * about its file or pass before the newline.
 */
static inline void
suite_print_counts(const char *what, const struct suite_counts *c)
{
	if (what != NULL)
		printf("%s: ", what);
	printf("ran %u, passed %u, failed %u, skipped %u",
	    c->passed + c->failed + c->skipped, c->passed, c->failed,
	    c->skipped);
}

/* Prints the counts as a line, after "WHAT: " unless what is NULL; the
   exit status for them. */
static inline int
suite_report_as(const char *what, const struct suite_counts *c)
{
	suite_print_counts(what, c);
	fputc('\n', stdout);
	return c->failed > 0 ? 1 : 0;
}

/* Prints the counts as a line; the exit status for them. */
static inline int
suite_report(const struct suite_counts *c)
{
	return suite_report_as(NULL, c);
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

/*
 * Reads dir/name as text into out (reset first) and NUL-terminates it.
 * Returns the text (out's storage: valid until out changes), NULL with a
 * message on error.
 */
static inline char *
suite_read_text(const char *dir, const char *name, struct inkan_buf *out)
{
	if (!suite_read_file(dir, name, out) ||
	    inkan_buf_append_byte(out, '\0') != INKAN_OK)
		return NULL;
	return (char *)out->data;
}

/*
 * Splits line (NUL-terminated, modified in place) at tabs into at most
 * max fields; what follows the max-th field's tab is ignored. Returns the
 * field count.
 */
static inline size_t
suite_split_tabs(char *line, char **f, size_t max)
{
	size_t n = 0;
	char *t;

	while (n < max) {
		f[n++] = line;
		if ((t = strchr(line, '\t')) == NULL)
			break;
		*t = '\0';
		line = t + 1;
	}
	return n;
}

#endif
