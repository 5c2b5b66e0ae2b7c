/*
 * dkim_support.h: what the DKIM conformance drivers (dkim_*.c) share:
 * counting and reporting, reading suite files, line-ending conversion and
 * one-call verification. Static functions: each driver is one program.
 *
 * Every driver prints one line per check ("ok", "FAIL", "skip" with the
 * reason), then "N passed, N failed, N skipped", and exits 1 when a check
 * failed, 77 when its suite directory is absent, 0 otherwise.
 */
#ifndef INKAN_TESTS_DKIM_SUPPORT_H
#define INKAN_TESTS_DKIM_SUPPORT_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <inkan/inkan.h>

/* Suite files are small; this bounds a corrupt or surprising one. */
#define DKIM_SUITE_FILE_MAX (4u * 1024 * 1024)

struct dkim_counts {
	unsigned passed, failed, skipped;
};

static inline void dkim_ok(struct dkim_counts *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static inline void
dkim_ok(struct dkim_counts *c, const char *fmt, ...)
{
	va_list ap;

	fputs("ok   ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	c->passed++;
}

static inline void dkim_fail(struct dkim_counts *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static inline void
dkim_fail(struct dkim_counts *c, const char *fmt, ...)
{
	va_list ap;

	fputs("FAIL ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	c->failed++;
}

static inline void dkim_skip(struct dkim_counts *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static inline void
dkim_skip(struct dkim_counts *c, const char *fmt, ...)
{
	va_list ap;

	fputs("skip ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	c->skipped++;
}

/* Prints the counts; the exit status for them. */
static inline int
dkim_report(const struct dkim_counts *c)
{
	printf("%u passed, %u failed, %u skipped\n", c->passed, c->failed,
	    c->skipped);
	return c->failed > 0 ? 1 : 0;
}

/* true when the suite directory dir (under INKAN_TESTSUITES_DIR) exists. */
static inline bool
dkim_suite_dir(const char *suite, char *dir, size_t size)
{
	struct stat st;

	if (snprintf(dir, size, "%s/%s", INKAN_TESTSUITES_DIR, suite) >=
	    (int)size)
		return false;
	return stat(dir, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Reads dir/name into out (reset first). false with a message on error. */
static inline bool
dkim_read_file(const char *dir, const char *name, struct inkan_buf *out)
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

/* Appends p[0..n) to out with every bare LF made CRLF. */
static inline enum inkan_status
dkim_to_crlf(const uint8_t *p, size_t n, struct inkan_buf *out)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (p[i] == '\n' && (i == 0 || p[i - 1] != '\r'))
			inkan_buf_append_byte(out, '\r');
		inkan_buf_append_byte(out, p[i]);
	}
	return out->err;
}

/*
 * Verifies p[0..n) with dkim, fed in chunks of chunk bytes (0: at once),
 * and leaves the verifier in *v_r (free it). Returns feed's or finish's
 * status.
 */
static inline enum inkan_status
dkim_verify_bytes(struct inkan_dkim *dkim, const uint8_t *p, size_t n,
    unsigned flags, size_t chunk, struct inkan_dkim_verify **v_r)
{
	enum inkan_status st;
	size_t off = 0, k;

	if ((st = inkan_dkim_verify_new(dkim, flags, v_r)) != INKAN_OK)
		return st;
	if (chunk == 0)
		chunk = n > 0 ? n : 1;
	while (off < n) {
		k = n - off < chunk ? n - off : chunk;
		if ((st = inkan_dkim_verify_feed(*v_r, p + off, k)) != INKAN_OK)
			return st;
		off += k;
	}
	return inkan_dkim_verify_finish(*v_r);
}

/* A set of results, for checks whose RFC allows more than one. */
#define DKIM_R(r) (1u << (unsigned)(r))

/* "pass|fail" for a set, into buf. */
static inline const char *
dkim_result_set_name(unsigned set, char *buf, size_t size)
{
	size_t len = 0;
	unsigned r;

	buf[0] = '\0';
	for (r = INKAN_DKIM_NONE; r <= INKAN_DKIM_PERMERROR; r++) {
		if ((set & DKIM_R(r)) == 0)
			continue;
		len += (size_t)snprintf(buf + len, size - len, "%s%s",
		    len > 0 ? "|" : "",
		    inkan_dkim_result_name((enum inkan_dkim_result)r));
		if (len >= size)
			break;
	}
	return buf;
}

#endif
