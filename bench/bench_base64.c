/*
 * bench_base64: base64 decoding as DKIM does it (a 2048-bit RSA b= value,
 * 344 characters; and the same value folded over several lines as it
 * arrives in a header), inkan against OpenSSL's decoder, in one run.
 * Prints operations per second and the ratio inkan/OpenSSL.
 */
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <inkan/util.h>

#define SIG_BYTES 256 /* RSA-2048 signature */

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Runs fn until at least 0.5 s have passed; returns operations/second. */
static double
rate(int (*fn)(const char *, size_t), const char *in, size_t len)
{
	unsigned long n = 0, batch = 1000, i;
	double t0 = now(), t;

	do {
		for (i = 0; i < batch; i++)
			if (fn(in, len) != 0) {
				fprintf(
				    stderr, "bench_base64: decode failed\n");
				exit(1);
			}
		n += batch;
		t = now() - t0;
	} while (t < 0.5);
	return (double)n / t;
}

static struct inkan_buf out;

static int
inkan_strict(const char *in, size_t len)
{
	inkan_buf_reset(&out);
	return inkan_base64_decode(in, len, INKAN_BASE64_STRICT, &out) ==
		    INKAN_OK &&
		out.len == SIG_BYTES
	    ? 0
	    : -1;
}

static int
inkan_fws(const char *in, size_t len)
{
	inkan_buf_reset(&out);
	return inkan_base64_decode(in, len, INKAN_BASE64_SKIP_FWS, &out) ==
		    INKAN_OK &&
		out.len == SIG_BYTES
	    ? 0
	    : -1;
}

static int
openssl_block(const char *in, size_t len)
{
	unsigned char buf[SIG_BYTES + 4];

	/* EVP_DecodeBlock counts padding as zero bytes: 258 for 256. */
	return EVP_DecodeBlock(buf, (const unsigned char *)in, (int)len) >=
		SIG_BYTES
	    ? 0
	    : -1;
}

static int
openssl_stream(const char *in, size_t len)
{
	unsigned char buf[SIG_BYTES + 80];
	EVP_ENCODE_CTX *ctx = EVP_ENCODE_CTX_new();
	int n = 0, m = 0, rc = -1;

	if (ctx == NULL)
		return -1;
	EVP_DecodeInit(ctx);
	if (EVP_DecodeUpdate(
		ctx, buf, &n, (const unsigned char *)in, (int)len) >= 0 &&
	    EVP_DecodeFinal(ctx, buf + n, &m) == 1 && n + m == SIG_BYTES)
		rc = 0;
	EVP_ENCODE_CTX_free(ctx);
	return rc;
}

int
main(void)
{
	unsigned char sig[SIG_BYTES];
	struct inkan_buf enc, folded;
	double a, b;
	size_t i;

	for (i = 0; i < sizeof(sig); i++)
		sig[i] = (unsigned char)(i * 131 + 7);
	inkan_buf_init(&out, 4096);
	inkan_buf_init(&enc, 4096);
	inkan_buf_init(&folded, 4096);
	if (inkan_base64_encode(sig, sizeof(sig), &enc) != INKAN_OK)
		return 1;
	/* Folded as a DKIM-Signature header is: CRLF + TAB every 72. */
	for (i = 0; i < enc.len; i += 72) {
		size_t n = enc.len - i < 72 ? enc.len - i : 72;

		if (i > 0)
			inkan_buf_append(&folded, "\r\n\t", 3);
		inkan_buf_append(&folded, enc.data + i, n);
	}
	if (folded.err != INKAN_OK)
		return 1;

	printf("%-36s %14s %14s %8s\n", "case", "inkan op/s", "openssl op/s",
	    "ratio");
	a = rate(inkan_strict, (const char *)enc.data, enc.len);
	b = rate(openssl_block, (const char *)enc.data, enc.len);
	printf("%-36s %14.0f %14.0f %7.2fx\n",
	    "decode 344 chars (EVP_DecodeBlock)", a, b, a / b);
	a = rate(inkan_fws, (const char *)folded.data, folded.len);
	b = rate(openssl_stream, (const char *)folded.data, folded.len);
	printf("%-36s %14.0f %14.0f %7.2fx\n",
	    "decode folded (EVP_DecodeUpdate)", a, b, a / b);
	inkan_buf_clear(&out);
	inkan_buf_clear(&enc);
	inkan_buf_clear(&folded);
	return 0;
}
