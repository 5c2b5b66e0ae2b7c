/*
 * opendkim_peer.c: OpenDKIM (libopendkim from Debian) as an interop peer,
 * driven by tests/interop/dkim.sh. Not part of inkan: a small program
 * that signs or verifies one message on standard input with the real
 * library, offline.
 *
 *   opendkim_peer features
 *	prints "ed25519 yes|no": whether this libopendkim can do
 *	ed25519-sha256 (DKIM_FEATURE_ED25519).
 *   opendkim_peer sign --key FILE --domain D --selector S
 *	    [--canon H/B] [--alg rsa-sha256|ed25519-sha256]
 *	    [--oversign NAME:NAME...]
 *	writes the message with OpenDKIM's DKIM-Signature in front. The
 *	key file's bytes go to dkim_sign() as they are.
 *   opendkim_peer verify --keyfile FILE
 *	looks keys up in FILE (DKIM_QUERY_FILE: one "name record" per
 *	line, e.g. "s._domainkey.example.com v=DKIM1; k=rsa; p=...") and
 *	prints one line per signature: "pass" or "fail: <OpenDKIM's
 *	reason>"; "none" when there is none.
 *
 * The message is taken like inkan takes a file: when its first line ends
 * in LF only, every LF is a CRLF (libopendkim wants CRLF). The signature
 * is written with the input's line endings. Exit status 0 when the
 * operation ran (whatever the verdict), 2 on a usage or setup error.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dkim.h>

#define MSG_MAX (64u * 1024 * 1024)

struct text {
	unsigned char *p;
	size_t len, cap;
};

static bool
text_add(struct text *t, const void *p, size_t n)
{
	if (n > MSG_MAX - t->len)
		return false;
	if (t->len + n + 1 > t->cap) {
		size_t cap = t->cap ? t->cap : 4096;
		unsigned char *q;

		while (cap < t->len + n + 1)
			cap *= 2;
		if ((q = realloc(t->p, cap)) == NULL)
			return false;
		t->p = q;
		t->cap = cap;
	}
	memcpy(t->p + t->len, p, n);
	t->len += n;
	t->p[t->len] = '\0';
	return true;
}

static bool
read_file(FILE *f, struct text *t)
{
	unsigned char buf[65536];
	size_t got;

	while ((got = fread(buf, 1, sizeof(buf), f)) > 0)
		if (!text_add(t, buf, got))
			return false;
	return !ferror(f) && text_add(t, "", 0);
}

/* The input with every bare LF made CRLF, when its first line is LF. */
static bool
to_crlf(const struct text *in, struct text *out, bool *lf_r)
{
	const unsigned char *nl = memchr(in->p, '\n', in->len);
	size_t i;

	*lf_r = !(nl != NULL && nl > in->p && nl[-1] == '\r');
	if (!*lf_r)
		return text_add(out, in->p, in->len);
	for (i = 0; i < in->len; i++) {
		if (in->p[i] == '\n' && (i == 0 || in->p[i - 1] != '\r') &&
		    !text_add(out, "\r", 1))
			return false;
		if (!text_add(out, in->p + i, 1))
			return false;
	}
	return text_add(out, "", 0);
}

/* Feeds a CRLF message to d: each header field, eoh, the body, eom. */
static DKIM_STAT
feed(DKIM *d, struct text *m)
{
	size_t i = 0, start;
	DKIM_STAT st;

	while (i < m->len) {
		if (m->p[i] == '\r' && i + 1 < m->len && m->p[i + 1] == '\n') {
			i += 2; /* the empty line: the body follows */
			break;
		}
		start = i;
		for (;;) {
			unsigned char *crlf = NULL;
			size_t k;

			for (k = i; k + 1 < m->len; k++)
				if (m->p[k] == '\r' && m->p[k + 1] == '\n') {
					crlf = m->p + k;
					break;
				}
			if (crlf == NULL) {
				i = m->len;
				break;
			}
			i = (size_t)(crlf - m->p) + 2;
			if (i >= m->len || (m->p[i] != ' ' && m->p[i] != '\t'))
				break;
		}
		{
			size_t end = i;

			if (end >= start + 2 && m->p[end - 2] == '\r' &&
			    m->p[end - 1] == '\n')
				end -= 2;
			st = dkim_header(d, m->p + start, end - start);
			if (st != DKIM_STAT_OK)
				return st;
		}
	}
	if ((st = dkim_eoh(d)) != DKIM_STAT_OK && st != DKIM_STAT_NOSIG)
		return st;
	if (i < m->len &&
	    (st = dkim_body(d, m->p + i, m->len - i)) != DKIM_STAT_OK)
		return st;
	return dkim_eom(d, NULL);
}

static const char *
opt(int argc, char **argv, const char *name)
{
	int i;

	for (i = 2; i + 1 < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return argv[i + 1];
	return NULL;
}

static int
usage(void)
{
	fprintf(stderr,
	    "usage: opendkim_peer features\n"
	    "       opendkim_peer sign --key FILE --domain D --selector S "
	    "[--canon H/B] [--alg A] [--oversign LIST]\n"
	    "       opendkim_peer verify --keyfile FILE\n");
	return 2;
}

static bool
canon(const char *s, dkim_canon_t *c)
{
	if (strcmp(s, "simple") == 0)
		*c = DKIM_CANON_SIMPLE;
	else if (strcmp(s, "relaxed") == 0)
		*c = DKIM_CANON_RELAXED;
	else
		return false;
	return true;
}

/* NULL-terminated list of the names in "a:b:c" (in place). */
static const char **
split_names(char *s)
{
	const char **v = calloc(strlen(s) + 2, sizeof(*v));
	size_t n = 0;
	char *p = s;

	if (v == NULL)
		return NULL;
	for (;;) {
		char *colon = strchr(p, ':');

		v[n++] = p;
		if (colon == NULL)
			break;
		*colon = '\0';
		p = colon + 1;
	}
	v[n] = NULL;
	return v;
}

static int
do_sign(DKIM_LIB *lib, int argc, char **argv, struct text *in, struct text *m,
    bool lf)
{
	const char *keyfile = opt(argc, argv, "--key"),
		   *domain = opt(argc, argv, "--domain"),
		   *selector = opt(argc, argv, "--selector"),
		   *cs = opt(argc, argv, "--canon"),
		   *alg = opt(argc, argv, "--alg"),
		   *over = opt(argc, argv, "--oversign");
	dkim_canon_t hc = DKIM_CANON_RELAXED, bc = DKIM_CANON_RELAXED;
	dkim_alg_t a = DKIM_SIGN_RSASHA256;
	struct text key = { 0 };
	unsigned char *hdr = NULL;
	size_t hlen = 0, i;
	const char **names = NULL;
	char cbuf[64];
	DKIM_STAT st;
	DKIM *d;
	FILE *f;

	if (keyfile == NULL || domain == NULL || selector == NULL)
		return usage();
	if (cs != NULL) {
		char *slash;

		snprintf(cbuf, sizeof(cbuf), "%s", cs);
		if ((slash = strchr(cbuf, '/')) == NULL)
			return usage();
		*slash = '\0';
		if (!canon(cbuf, &hc) || !canon(slash + 1, &bc))
			return usage();
	}
	if (alg != NULL && strcmp(alg, "ed25519-sha256") == 0)
		a = DKIM_SIGN_ED25519SHA256;
	else if (alg != NULL && strcmp(alg, "rsa-sha256") != 0)
		return usage();
	if ((f = fopen(keyfile, "rb")) == NULL || !read_file(f, &key)) {
		fprintf(stderr, "opendkim_peer: cannot read %s\n", keyfile);
		return 2;
	}
	fclose(f);
	/* RFC 6376 8.15: sign absent headers (and one more instance of
	 * present ones) so they cannot be added. */
	if (over != NULL) {
		static char obuf[4096];

		snprintf(obuf, sizeof(obuf), "%s", over);
		if ((names = split_names(obuf)) == NULL ||
		    dkim_options(lib, DKIM_OP_SETOPT, DKIM_OPTS_OVERSIGNHDRS,
			names, sizeof(names)) != DKIM_STAT_OK) {
			fprintf(stderr, "opendkim_peer: oversign list\n");
			return 2;
		}
	}
	d = dkim_sign(lib, (const unsigned char *)"peer", NULL, key.p,
	    (const unsigned char *)selector, (const unsigned char *)domain, hc,
	    bc, a, -1, &st);
	if (d == NULL) {
		fprintf(stderr, "opendkim_peer: dkim_sign: %s\n",
		    dkim_getresultstr(st));
		return 2;
	}
	if ((st = feed(d, m)) != DKIM_STAT_OK) {
		fprintf(stderr, "opendkim_peer: signing: %s (%s)\n",
		    dkim_getresultstr(st), dkim_geterror(d));
		dkim_free(d);
		return 2;
	}
	if ((st = dkim_getsighdr_d(d, strlen(DKIM_SIGNHEADER) + 2, &hdr,
		 &hlen)) != DKIM_STAT_OK) {
		fprintf(stderr, "opendkim_peer: dkim_getsighdr_d: %s\n",
		    dkim_getresultstr(st));
		dkim_free(d);
		return 2;
	}
	/* Folded with bare LF or CRLF: written in the input's style. */
	fputs(DKIM_SIGNHEADER ": ", stdout);
	for (i = 0; i < hlen; i++) {
		if (hdr[i] == '\r')
			continue;
		if (hdr[i] == '\n')
			fputs(lf ? "\n" : "\r\n", stdout);
		else
			fputc(hdr[i], stdout);
	}
	fputs(lf ? "\n" : "\r\n", stdout);
	fwrite(in->p, 1, in->len, stdout);
	dkim_free(d);
	free(key.p);
	free(names);
	return fflush(stdout) == 0 ? 0 : 2;
}

static int
do_verify(DKIM_LIB *lib, int argc, char **argv, struct text *m)
{
	const char *keyfile = opt(argc, argv, "--keyfile");
	dkim_query_t q = DKIM_QUERY_FILE;
	DKIM_SIGINFO **sigs = NULL;
	int nsigs = 0, i;
	DKIM_STAT st;
	DKIM *d;

	if (keyfile == NULL)
		return usage();
	if (dkim_options(lib, DKIM_OP_SETOPT, DKIM_OPTS_QUERYMETHOD, &q,
		sizeof(q)) != DKIM_STAT_OK ||
	    dkim_options(lib, DKIM_OP_SETOPT, DKIM_OPTS_QUERYINFO,
		(void *)keyfile, strlen(keyfile)) != DKIM_STAT_OK) {
		fprintf(stderr, "opendkim_peer: cannot set the key file\n");
		return 2;
	}
	d = dkim_verify(lib, (const unsigned char *)"peer", NULL, &st);
	if (d == NULL) {
		fprintf(stderr, "opendkim_peer: dkim_verify: %s\n",
		    dkim_getresultstr(st));
		return 2;
	}
	st = feed(d, m);
	if (st == DKIM_STAT_NOSIG ||
	    dkim_getsiglist(d, &sigs, &nsigs) != DKIM_STAT_OK || nsigs == 0) {
		puts("none");
		dkim_free(d);
		return 0;
	}
	for (i = 0; i < nsigs; i++) {
		if (DKIM_SIG_CHECK(sigs[i]))
			puts("pass");
		else if (dkim_sig_getbh(sigs[i]) == DKIM_SIGBH_MISMATCH)
			puts("fail: body hash mismatch");
		else
			printf("fail: %s (%s)\n",
			    dkim_sig_geterrorstr(dkim_sig_geterror(sigs[i])),
			    dkim_getresultstr(st));
	}
	dkim_free(d);
	return fflush(stdout) == 0 ? 0 : 2;
}

int
main(int argc, char **argv)
{
	struct text in = { 0 }, m = { 0 };
	DKIM_LIB *lib;
	bool lf;
	int rc;

	if (argc < 2)
		return usage();
	if ((lib = dkim_init(NULL, NULL)) == NULL) {
		fprintf(stderr, "opendkim_peer: dkim_init failed\n");
		return 2;
	}
	if (strcmp(argv[1], "features") == 0) {
		printf("ed25519 %s\n",
		    dkim_libfeature(lib, DKIM_FEATURE_ED25519) ? "yes" : "no");
		dkim_close(lib);
		return 0;
	}
	if (!read_file(stdin, &in) || !to_crlf(&in, &m, &lf)) {
		fprintf(stderr, "opendkim_peer: cannot read the message\n");
		dkim_close(lib);
		return 2;
	}
	if (strcmp(argv[1], "sign") == 0)
		rc = do_sign(lib, argc, argv, &in, &m, lf);
	else if (strcmp(argv[1], "verify") == 0)
		rc = do_verify(lib, argc, argv, &m);
	else
		rc = usage();
	free(in.p);
	free(m.p);
	dkim_close(lib);
	return rc;
}
