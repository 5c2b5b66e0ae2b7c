/*
 * dkim_mailauth_bodyhash.c: every bh= of the mailauth body-hash vectors
 * (INKAN_TESTSUITES_DIR/dkim-mailauth-bodyhash/expected.tsv).
 *
 * Each row names an input (message1.eml, or body bytes given inline), a
 * body canonicalisation, a hash and an l= limit; the body hash is
 * computed with lib/dkim's streaming body hasher (dkim_impl.h: the same
 * code verify and sign use) and compared in base64. Every row is computed
 * twice, the body fed at once and one byte at a time: RFC 6376 3.4 is
 * defined on the whole body, so chunking must not change the result.
 *
 * message1.eml is stored with LF line endings: as the suite's README says,
 * it is turned into CRLF first and the body is what follows the first
 * empty line. The inline rows contain a bare LF, which mailauth takes as a
 * line break; they are hashed with allow_lf (INKAN_DKIM_ALLOW_LF), the
 * mode for messages that come from files.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dkim/dkim_impl.h"
#include "dkim_support.h"

#define SUITE "dkim-mailauth-bodyhash"

/* Decodes the C escapes of an inline body (\r \n \t \\ \") into out. */
static bool
unescape(const char *s, size_t n, struct inkan_buf *out)
{
	size_t i;

	for (i = 0; i < n; i++) {
		uint8_t c = (uint8_t)s[i];

		if (c == '\\') {
			if (++i == n)
				return false;
			switch (s[i]) {
			case 'r':
				c = '\r';
				break;
			case 'n':
				c = '\n';
				break;
			case 't':
				c = '\t';
				break;
			case '\\':
			case '"':
				c = (uint8_t)s[i];
				break;
			default:
				return false;
			}
		}
		inkan_buf_append_byte(out, c);
	}
	return out->err == INKAN_OK;
}

/* The body of a CRLF message: what follows the first empty line. */
static struct inkan_view
crlf_body(struct inkan_view msg)
{
	size_t i;

	if (msg.len >= 2 && msg.ptr[0] == '\r' && msg.ptr[1] == '\n')
		return inkan_view_make(msg.ptr + 2, msg.len - 2);
	for (i = 0; i + 4 <= msg.len; i++)
		if (memcmp(msg.ptr + i, "\r\n\r\n", 4) == 0)
			return inkan_view_make(
			    msg.ptr + i + 4, msg.len - i - 4);
	return inkan_view_make(msg.ptr + msg.len, 0);
}

/*
 * The base64 body hash of body, fed in chunks of chunk bytes, into out.
 * false when the hasher failed.
 */
static bool
body_hash(struct inkan_view body, enum inkan_dkim_canon canon, bool allow_lf,
    const EVP_MD *md, uint64_t limit, size_t chunk, struct inkan_buf *out)
{
	struct dkim_bodyhash *bh;
	size_t off = 0, k;
	bool ok = false;

	/* The canonicaliser holds an 8 KiB block: keep it off the stack. */
	if ((bh = calloc(1, sizeof(*bh))) == NULL)
		return false;
	if (dkim_bodyhash_init(bh, canon, allow_lf, md, limit) != INKAN_OK)
		goto out;
	while (off < body.len) {
		k = body.len - off < chunk ? body.len - off : chunk;
		dkim_bodyhash_feed(bh, body.ptr + off, k);
		off += k;
	}
	if (dkim_bodyhash_end(bh) != INKAN_OK)
		goto out;
	inkan_buf_reset(out);
	ok = inkan_base64_encode(bh->digest, bh->dlen, out) == INKAN_OK;
out:
	dkim_bodyhash_clear(bh);
	free(bh);
	return ok;
}

int
main(void)
{
	char dir[4096], line[4200];
	struct suite_counts c = { 0 };
	struct inkan_buf tsv, raw, input, got1, gotn;
	FILE *f = NULL;
	size_t lineno = 0;
	int rc = 1;

	if (!suite_dir(SUITE, dir, sizeof(dir))) {
		printf("skip: %s is absent\n", dir);
		return 77;
	}
	inkan_buf_init(&tsv, SUITE_FILE_MAX);
	inkan_buf_init(&raw, SUITE_FILE_MAX);
	inkan_buf_init(&input, 2 * SUITE_FILE_MAX);
	inkan_buf_init(&got1, 256);
	inkan_buf_init(&gotn, 256);
	snprintf(line, sizeof(line), "%s/expected.tsv", dir);
	if ((f = fopen(line, "r")) == NULL) {
		printf("FAIL cannot open %s\n", line);
		goto out;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		char *col[5], *p = line, *nl;
		const char *row_input;
		enum inkan_dkim_canon canon;
		const EVP_MD *md;
		uint64_t limit = UINT64_MAX;
		bool allow_lf = false;
		size_t i;

		lineno++;
		if ((nl = strchr(line, '\n')) != NULL)
			*nl = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		for (i = 0; i < 5; i++) {
			col[i] = p;
			if ((p = strchr(p, '\t')) != NULL)
				*p++ = '\0';
			else if (i < 4)
				break;
		}
		if (i < 4) {
			suite_fail(
			    &c, "expected.tsv:%zu: not 5 columns", lineno);
			continue;
		}
		row_input = col[0];
		if (strcmp(col[1], "simple") == 0)
			canon = INKAN_DKIM_SIMPLE;
		else if (strcmp(col[1], "relaxed") == 0)
			canon = INKAN_DKIM_RELAXED;
		else {
			suite_fail(&c, "expected.tsv:%zu: canonicalization %s",
			    lineno, col[1]);
			continue;
		}
		if (strcmp(col[2], "sha256") == 0)
			md = EVP_sha256();
		else if (strcmp(col[2], "sha1") == 0)
			/* RFC 8301 3.1 forbids rsa-sha1 signatures, but the
			 * canonicaliser and hasher are the same code. */
			md = EVP_sha1();
		else {
			suite_fail(
			    &c, "expected.tsv:%zu: hash %s", lineno, col[2]);
			continue;
		}
		if (strcmp(col[3], "-") != 0) {
			char *end;

			limit = strtoull(col[3], &end, 10);
			if (*end != '\0' || col[3][0] == '\0') {
				suite_fail(&c, "expected.tsv:%zu: l=%s", lineno,
				    col[3]);
				continue;
			}
		}
		inkan_buf_reset(&input);
		if (strncmp(row_input, "body bytes \"", 12) == 0) {
			size_t n = strlen(row_input);

			if (n < 13 || row_input[n - 1] != '"' ||
			    !unescape(row_input + 12, n - 13, &input)) {
				suite_fail(&c,
				    "expected.tsv:%zu: bad inline body",
				    lineno);
				continue;
			}
			allow_lf = true;
		} else {
			if (!suite_read_file(dir, row_input, &raw) ||
			    dkim_to_crlf(raw.data, raw.len, &input) !=
				INKAN_OK) {
				suite_fail(&c, "%s: cannot read", row_input);
				continue;
			}
		}
		{
			struct inkan_view body = allow_lf
			    ? inkan_buf_view(&input)
			    : crlf_body(inkan_buf_view(&input));
			size_t whole = body.len > 0 ? body.len : 1;

			if (!body_hash(body, canon, allow_lf, md, limit, whole,
				&got1) ||
			    !body_hash(
				body, canon, allow_lf, md, limit, 1, &gotn)) {
				suite_fail(&c, "%s %s %s l=%s: hashing failed",
				    row_input, col[1], col[2], col[3]);
				continue;
			}
		}
		if (strcmp(inkan_buf_cstr(&got1), col[4]) != 0 ||
		    strcmp(inkan_buf_cstr(&gotn), col[4]) != 0)
			suite_fail(&c,
			    "%s %s %s l=%s: got bh=%s (byte by byte %s), "
			    "want %s",
			    row_input, col[1], col[2], col[3],
			    inkan_buf_cstr(&got1), inkan_buf_cstr(&gotn),
			    col[4]);
		else
			suite_ok(&c, "%s %s %s l=%s: bh=%s", row_input, col[1],
			    col[2], col[3], col[4]);
	}
	rc = suite_report(&c);
out:
	if (f != NULL)
		fclose(f);
	inkan_buf_clear(&tsv);
	inkan_buf_clear(&raw);
	inkan_buf_clear(&input);
	inkan_buf_clear(&got1);
	inkan_buf_clear(&gotn);
	return rc;
}
