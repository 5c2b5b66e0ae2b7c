/*
 * dkim_test.h: helpers shared by the DKIM unit tests: a zone resolver with
 * key records, a fixed clock, verifying and signing a message held in
 * memory in chunks of a given size, and reading suite files.
 */
#ifndef INKAN_DKIM_TEST_H
#define INKAN_DKIM_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <inkan/dkim.h>
#include <inkan/dns.h>

/* The clock the tests run at: 2026-01-01T00:00:00Z. */
#define TEST_NOW INT64_C(1767225600)

static inline int64_t
test_clock(void *arg)
{
	return arg != NULL ? *(const int64_t *)arg : TEST_NOW;
}

/* Reads a whole file into a malloc'd buffer; NULL if it cannot. */
static inline uint8_t *
test_read_file(const char *path, size_t *len_r)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t cap = 0, len = 0, n;

	if (f == NULL)
		return NULL;
	for (;;) {
		if (len == cap) {
			uint8_t *nb;

			cap = cap ? cap * 2 : 65536;
			if ((nb = realloc(buf, cap + 1)) == NULL) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	fclose(f);
	buf[len] = '\0';
	*len_r = len;
	return buf;
}

/* Adds a TXT record, split into 255-byte strings, with TTL 3600. */
static inline void
test_add_key(struct inkan_resolver *r, const char *name, const char *rec)
{
	struct inkan_view parts[64];
	size_t len = strlen(rec), n = 0, i;

	for (i = 0; i < len && n < 64; i += 255, n++)
		parts[n] =
		    inkan_view_make(rec + i, len - i > 255 ? 255 : len - i);
	if (n == 0)
		parts[n++] = inkan_view_make("", 0);
	if (inkan_resolver_zone_add_txt(r, name, 3600, parts, n) != INKAN_OK) {
		fprintf(stderr, "cannot add %s\n", name);
		abort();
	}
}

/*
 * Verifies msg[0..len) in chunks of chunk bytes (0: whole) and copies
 * the results into want-sized arrays: results[i], reasons[i] (static
 * storage in the verifier is freed, so reasons are copied). Returns the
 * count, or -1 on a feed/finish error.
 */
struct test_vresult {
	enum inkan_dkim_result result;
	char reason[200];
	char domain[128];
	char b[16];
	enum inkan_dkim_algorithm alg;
	bool testing;
	unsigned key_bits;
	uint64_t body_length;
};

static inline int
test_verify(struct inkan_dkim *dkim, unsigned flags, const void *msg,
    size_t len, size_t chunk, struct test_vresult *res, size_t max)
{
	struct inkan_dkim_verify *v = NULL;
	const struct inkan_dkim_sig *sigs;
	size_t n = 0, i, off;
	int ret = -1;

	if (inkan_dkim_verify_new(dkim, flags, &v) != INKAN_OK)
		return -1;
	if (chunk == 0)
		chunk = len ? len : 1;
	for (off = 0; off < len; off += chunk)
		if (inkan_dkim_verify_feed(v, (const uint8_t *)msg + off,
			len - off < chunk ? len - off : chunk) != INKAN_OK)
			goto out;
	if (inkan_dkim_verify_finish(v) != INKAN_OK)
		goto out;
	inkan_dkim_verify_results(v, &sigs, &n);
	for (i = 0; i < n && i < max; i++) {
		res[i].result = sigs[i].result;
		snprintf(res[i].reason, sizeof(res[i].reason), "%s",
		    sigs[i].reason ? sigs[i].reason : "(null)");
		snprintf(res[i].domain, sizeof(res[i].domain), "%s",
		    sigs[i].domain ? sigs[i].domain : "(null)");
		snprintf(res[i].b, sizeof(res[i].b), "%s",
		    sigs[i].b ? sigs[i].b : "");
		res[i].alg = sigs[i].algorithm;
		res[i].testing = sigs[i].testing;
		res[i].key_bits = sigs[i].key_bits;
		res[i].body_length = sigs[i].body_length;
	}
	ret = (int)n;
out:
	inkan_dkim_verify_free(&v);
	return ret;
}

/*
 * Signs msg[0..len) with keys (chunked as above) and returns the signed
 * message (fields + msg) in *out (malloc'd), or NULL.
 */
static inline uint8_t *
test_sign(struct inkan_dkim *dkim, const struct inkan_dkim_sign_options *o,
    struct inkan_dkim_key *const *keys, size_t nkeys, unsigned flags,
    const void *msg, size_t len, size_t chunk, size_t *out_len)
{
	struct inkan_dkim_sign *s = NULL;
	struct inkan_buf b;
	uint8_t *r = NULL;
	size_t off;

	inkan_buf_init(&b, 1 << 26);
	if (inkan_dkim_sign_new(dkim, o, keys, nkeys, flags, &s) != INKAN_OK)
		goto out;
	if (chunk == 0)
		chunk = len ? len : 1;
	for (off = 0; off < len; off += chunk)
		if (inkan_dkim_sign_feed(s, (const uint8_t *)msg + off,
			len - off < chunk ? len - off : chunk) != INKAN_OK)
			goto out;
	if (inkan_dkim_sign_finish(s, &b) != INKAN_OK)
		goto out;
	if (inkan_buf_append(&b, msg, len) != INKAN_OK)
		goto out;
	r = inkan_buf_steal(&b, out_len);
out:
	inkan_dkim_sign_free(&s);
	inkan_buf_clear(&b);
	return r;
}

#endif
