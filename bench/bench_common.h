/*
 * bench_common.h: what the bench_* programs share: a monotonic clock,
 * calibrated loops taken in turns (bench_measure()), pinning to one CPU,
 * the loop-length argument, and running a peer
 * written in Python as a child whose output lines are read back.
 *
 *	double seconds = 1.0;
 *	int cpu = bench_pin();
 *
 *	if (argc == 2 && bench_parse_seconds(argv[1], &seconds) != 0)
 *		usage();
 *	...
 *	char *argv[] = { (char *)bench_python(), "peer.py", NULL };
 *	if (bench_run_lines(argv, on_line, ctx, why, sizeof(why)) != 0)
 *		printf("peer skipped: %s\n", why);
 *
 * The bench corpus's DKIM messages (bench_header_text(), bench_body_make())
 * and the crypto floor's input and hashes (bench_floor_input(),
 * bench_floor_hash()) are shared by bench_dkim and bench_verify.
 *
 * Header-only (static inline) so that each benchmark stays one program;
 * nothing here is part of libinkan.
 */
#ifndef INKAN_BENCH_COMMON_H
#define INKAN_BENCH_COMMON_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* sched_setaffinity, sched_getcpu */
#endif
#include <errno.h>
#include <sched.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <strings.h>

#include <inkan/util.h>

extern char **environ;

/* Seconds on the monotonic clock. */
static inline double
bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- calibrated loops --------------------------------------------------- */

/* Runs case i of the implementation col once; 0 when its result was right
   (a wrong one is the callee's to note). */
typedef int bench_once_fn(void *col, size_t i);

/*
 * One in-process implementation's timing for ncases cases: the arrays are
 * the caller's (its column's), ncases long each. n: the calibrated loop
 * length; right: every result was right; rate: runs per second, the best
 * loop's, 0 when not measured.
 */
struct bench_timing {
	bench_once_fn *once;
	void *col;
	unsigned long *n;
	bool *right;
	double *rate;
};

/* The timing of a column with members n, right and rate (arrays). */
#define BENCH_TIMING(oncefn, colp) \
	((struct bench_timing){    \
	    (oncefn), (colp), (colp)->n, (colp)->right, (colp)->rate })

/* Runs case i n times; the seconds taken, or -1 after a wrong result. */
static inline double
bench_run(const struct bench_timing *t, size_t i, unsigned long n)
{
	double t0 = bench_now();
	unsigned long k;

	for (k = 0; k < n; k++)
		if (t->once(t->col, i) != 0) {
			t->right[i] = false;
			return -1;
		}
	return bench_now() - t0;
}

/* Finds the length of a loop of case i that takes about seconds. */
static inline void
bench_calibrate(const struct bench_timing *t, size_t i, double seconds)
{
	unsigned long n = 1;
	double took;

	t->right[i] = true;
	for (;;) {
		if ((took = bench_run(t, i, n)) < 0)
			return;
		if (took >= seconds / 10 || n > 1000000000UL)
			break;
		n *= 10;
	}
	t->n[i] =
	    (unsigned long)((double)n * seconds / (took > 0 ? took : 1e-9)) + 1;
}

/*
 * Measures every case of ts[0..nt): each rate is the best of reps
 * calibrated loops. The loops of the implementations and cases take
 * turns, so that a change in the machine's load between them (it may be
 * shared) does not fall on one implementation only.
 */
static inline void
bench_measure(const struct bench_timing *ts, size_t nt, size_t ncases,
    double seconds, int reps)
{
	size_t c, i;
	double took;
	int rep;

	for (c = 0; c < nt; c++)
		for (i = 0; i < ncases; i++)
			bench_calibrate(&ts[c], i, seconds);
	for (rep = 0; rep < reps; rep++)
		for (i = 0; i < ncases; i++)
			for (c = 0; c < nt; c++) {
				const struct bench_timing *t = &ts[c];

				if (!t->right[i] ||
				    (took = bench_run(t, i, t->n[i])) < 0)
					continue;
				if ((double)t->n[i] / took > t->rate[i])
					t->rate[i] = (double)t->n[i] / took;
			}
}

/*
 * Pins the calling process (and every child it starts later) to the CPU
 * it is running on. Returns that CPU, or -1 when it cannot.
 */
static inline int
bench_pin(void)
{
	cpu_set_t set;
	int cpu = sched_getcpu();

	if (cpu < 0)
		return -1;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set) == 0 ? cpu : -1;
}

/*
 * Prints the 1-minute load average and the number of CPUs, so that a run
 * on a busy machine (load above the CPU count: the rates are lower and
 * noisier, the ratios less so) can be told from a quiet one.
 */
static inline void
bench_print_load(void)
{
	double load[1];
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	if (getloadavg(load, 1) == 1 && cpus > 0)
		printf("load average %.2f on %ld CPUs%s\n", load[0], cpus,
		    load[0] > (double)cpus ? " (busy: rates are noisy)" : "");
}

/* Reads a loop length in seconds, in (0, 60]. Returns 0, or -1. */
static inline int
bench_parse_seconds(const char *text, double *seconds_r)
{
	char *end;
	double s;

	errno = 0;
	s = strtod(text, &end);
	if (errno != 0 || end == text || *end != '\0' || !(s > 0 && s <= 60))
		return -1;
	*seconds_r = s;
	return 0;
}

/*
 * The Python the peers run under: $INKAN_PYTHON, else /usr/bin/python3
 * (the one Debian's python3-* modules are installed for), else python3
 * from PATH.
 */
static inline const char *
bench_python(void)
{
	const char *p = getenv("INKAN_PYTHON");

	if (p != NULL && *p != '\0')
		return p;
	if (access("/usr/bin/python3", X_OK) == 0)
		return "/usr/bin/python3";
	return "python3";
}

/* Splits line in place at spaces into at most max words; returns how
 * many. The last word takes the rest of the line only if max is reached
 * before its end (its spaces are then kept). */
static inline size_t
bench_split(char *line, char **words, size_t max)
{
	size_t n = 0;
	char *p = line;

	while (n < max) {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		words[n++] = p;
		if (n == max)
			break;
		while (*p != ' ' && *p != '\0')
			p++;
		if (*p == '\0')
			break;
		*p++ = '\0';
	}
	return n;
}

/*
 * Runs argv (argv[0] looked up in PATH; no shell, so arguments may hold
 * anything) with its standard output on a pipe, and calls on_line for
 * each line it writes, without the line end (lines longer than the
 * buffer, 128 KiB, arrive in pieces). Standard error is inherited.
 * Returns the child's exit status (0..255), or -1 with why filled when it
 * could not be run or did not exit normally.
 */
static inline int
bench_run_lines(char *const *argv, void (*on_line)(char *line, void *arg),
    void *arg, char *why, size_t whylen)
{
	static char line[128 * 1024];
	posix_spawn_file_actions_t fa;
	int fds[2], status, err;
	pid_t pid;
	FILE *f;

	if (pipe(fds) != 0) {
		snprintf(why, whylen, "pipe: %s", strerror(errno));
		return -1;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
	posix_spawn_file_actions_addclose(&fa, fds[0]);
	posix_spawn_file_actions_addclose(&fa, fds[1]);
	err = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	if (err != 0) {
		close(fds[0]);
		snprintf(
		    why, whylen, "cannot run %s: %s", argv[0], strerror(err));
		return -1;
	}
	if ((f = fdopen(fds[0], "r")) == NULL) {
		close(fds[0]);
	} else {
		while (fgets(line, sizeof(line), f) != NULL) {
			line[strcspn(line, "\r\n")] = '\0';
			on_line(line, arg);
		}
		fclose(f);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			snprintf(why, whylen, "waitpid: %s", strerror(errno));
			return -1;
		}
	if (!WIFEXITED(status)) {
		snprintf(why, whylen, "%s did not exit normally", argv[0]);
		return -1;
	}
	return WEXITSTATUS(status);
}

/* ---- the DKIM bench corpus and the crypto floor ----------------------- */

/* Prints "bench: what" and exits 1: for setup failures. */
static inline _Noreturn void
bench_die(const char *what)
{
	fprintf(stderr, "bench: %s\n", what);
	exit(1);
}

/* A header field: the bytes of "Name: value" with its folding, without
 * the CRLF that ends it (what libopendkim's dkim_header() takes). */
struct bench_field {
	size_t off, len;
};

/*
 * The header section of the bench corpus's messages (bench_dkim,
 * bench_verify): about 800 bytes, as a message arriving at a receiver has
 * them, ending in the empty line.
 */
static inline const char *
bench_header_text(void)
{
	return "Received: from mail-out.example.com (mail-out.example.com "
	       "[192.0.2.25])\r\n"
	       "\tby mx.example.org (inkan) with ESMTPS id 4Qx7Zk1mN2z9abc\r\n"
	       "\tfor <bob@example.org>; Mon, 23 Nov 2026 04:10:59 +0000\r\n"
	       "From: Alice Example <alice@example.com>\r\n"
	       "To: Bob Recipient <bob@example.org>, Carol Other "
	       "<carol@example.net>\r\n"
	       "Cc: Dave Third <dave@example.org>\r\n"
	       "Subject: Quarterly report: the figures for the third quarter "
	       "and "
	       "the\r\n plan for the next year\r\n"
	       "Date: Mon, 23 Nov 2026 04:10:58 +0000\r\n"
	       "Message-ID: "
	       "<20261123041058.4Qx7Zk1mN2z9abc@mail-out.example.com>\r\n"
	       "MIME-Version: 1.0\r\n"
	       "Content-Type: text/plain; charset=\"utf-8\"; format=flowed\r\n"
	       "Content-Transfer-Encoding: 7bit\r\n"
	       "List-Unsubscribe: "
	       "<mailto:unsubscribe@lists.example.com?subject="
	       "unsubscribe>,\r\n"
	       " <https://lists.example.com/unsubscribe/bob%40example.org/"
	       "4Qx7Zk1mN2z9abc>\r\n"
	       "\r\n";
}

/* Appends body text lines (single spaces, no trailing space, lines of at
 * most 78 bytes + CRLF) to out until it holds exactly size bytes. The
 * relaxed body canonicalisation leaves such a body as it is. */
static inline void
bench_body_make(struct inkan_buf *out, size_t size)
{
	static const char *const words[] = { "the", "quarter", "figures",
		"show", "steady", "growth", "in", "every", "region", "while",
		"costs", "fell", "slightly", "compared", "with", "last", "year",
		"and", "our", "team", "expects", "further", "improvement",
		"once", "new", "systems", "are", "deployed", "across", "all",
		"sites", "by", "spring" };
	const size_t nwords = sizeof(words) / sizeof(words[0]);
	char line[80];
	size_t w = 0, len, left, wl;

	while (out->len + 3 <= size) {
		left = size - out->len;
		len = 0;
		for (;;) {
			wl = strlen(words[w % nwords]);
			if (len + (len > 0) + wl > 78)
				break;
			if (len > 0)
				line[len++] = ' ';
			memcpy(line + len, words[w % nwords], wl);
			len += wl;
			w = w * 7 + 3; /* a deterministic, unrepetitive walk */
			w %= 1000003;
		}
		/*
		 * The last lines: a line cut to fit exactly, or cut so that
		 * one of a single character (3 bytes) can follow; never an
		 * empty line, which the canonicalisation would remove.
		 */
		if (left <= len + 2)
			len = left - 2;
		else if (left < len + 2 + 3)
			len = left - 2 - 3;
		if (line[len - 1] == ' ')
			line[len - 1] = '.';
		inkan_buf_append(out, line, len);
		inkan_buf_append(out, "\r\n", 2);
	}
}

/* Finds the header fields of msg[0..len) (up to the empty line). */
static inline size_t
bench_fields_find(
    const uint8_t *msg, size_t len, struct bench_field *f, size_t max)
{
	size_t n = 0, p = 0, start;

	while (p + 1 < len && !(msg[p] == '\r' && msg[p + 1] == '\n')) {
		start = p;
		for (;;) {
			while (p + 1 < len &&
			    !(msg[p] == '\r' && msg[p + 1] == '\n'))
				p++;
			if (p + 2 < len &&
			    (msg[p + 2] == ' ' || msg[p + 2] == '\t')) {
				p += 2; /* folded: the field goes on */
				continue;
			}
			break;
		}
		if (n == max)
			bench_die("too many header fields");
		f[n].off = start;
		f[n].len = p - start;
		n++;
		p += 2;
	}
	return n;
}

static inline bool
bench_is_wsp(uint8_t c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static inline uint8_t
bench_lower(uint8_t c)
{
	return c >= 'A' && c <= 'Z' ? (uint8_t)(c - 'A' + 'a') : c;
}

/*
 * Appends field f[0..len) in relaxed canonical form (RFC 6376 3.4.2):
 * name lowercased, unfolded, runs of WSP as one space, none around the
 * colon or at the end; CRLF after it unless last.
 */
static inline void
bench_canon_relaxed(
    struct inkan_buf *out, const uint8_t *f, size_t len, bool last)
{
	size_t p = 0, colon, end = len;
	bool space = false;

	for (colon = 0; colon < len && f[colon] != ':'; colon++)
		continue;
	for (p = 0; p < colon; p++)
		if (!bench_is_wsp(f[p]))
			inkan_buf_append_byte(out, bench_lower(f[p]));
	inkan_buf_append_byte(out, ':');
	for (p = colon + 1; p < len && bench_is_wsp(f[p]); p++)
		continue;
	while (end > p && bench_is_wsp(f[end - 1]))
		end--;
	for (; p < end; p++) {
		if (bench_is_wsp(f[p])) {
			space = true;
			continue;
		}
		if (space)
			inkan_buf_append_byte(out, ' ');
		space = false;
		inkan_buf_append_byte(out, f[p]);
	}
	if (!last)
		inkan_buf_append(out, "\r\n", 2);
}

/* The value of tag name= in a DKIM-Signature field (a tag-list, RFC 6376
 * 3.2), as a view into sig; ptr NULL when absent. */
static inline struct inkan_view
bench_tag_value(const uint8_t *sig, size_t len, const char *name)
{
	struct inkan_view v = { NULL, 0 };
	size_t p, start, nl = strlen(name), a, b;

	for (p = 0; p < len && sig[p] != ':'; p++)
		continue;
	p++;
	while (p < len) {
		start = p;
		while (p < len && sig[p] != ';')
			p++;
		/* start..p is "name=value" with whitespace around. */
		for (a = start; a < p && bench_is_wsp(sig[a]); a++)
			continue;
		for (b = a; b < p && sig[b] != '=' && !bench_is_wsp(sig[b]);
		     b++)
			continue;
		if (b - a == nl && memcmp(sig + a, name, nl) == 0) {
			while (b < p && sig[b] != '=')
				b++;
			v.ptr = sig + b + 1;
			v.len = p - b - 1;
			return v;
		}
		p++;
	}
	return v;
}

/* Converts bare LFs in p[0..len) to CRLF, appending to out. */
static inline void
bench_append_crlf(struct inkan_buf *out, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (p[i] == '\n' && (i == 0 || p[i - 1] != '\r'))
			inkan_buf_append_byte(out, '\r');
		inkan_buf_append_byte(out, p[i]);
	}
}

/*
 * The crypto floor's input for a signed message msg (CRLF, its header
 * fields at fields[0..nfields), fields[0] the DKIM-Signature, relaxed/
 * relaxed): the canonical header fields named in h= (each in the message
 * once), in h= order (RFC 6376 5.4.2), then the DKIM-Signature with an
 * empty b= (RFC 6376 3.7), appended to canon; bh= into bh and b= into
 * b[0..blen), which must be exactly their decoded lengths.
 */
static inline void
bench_floor_input(const uint8_t *msg, const struct bench_field *fields,
    size_t nfields, struct inkan_buf *canon, uint8_t bh_r[32], uint8_t *b_r,
    size_t blen)
{
	const uint8_t *f;
	struct inkan_view h, bh, b;
	struct inkan_buf tmp, sig;
	size_t i, k, e, len, n;

	inkan_buf_init(&tmp, 4096);
	inkan_buf_init(&sig, 4096);
	f = msg + fields[0].off;
	len = fields[0].len;
	h = bench_tag_value(f, len, "h");
	bh = bench_tag_value(f, len, "bh");
	b = bench_tag_value(f, len, "b");
	if (h.ptr == NULL || bh.ptr == NULL || b.ptr == NULL)
		bench_die("the reference signature lacks h=, bh= or b=");
	for (i = 0; i < h.len; i = e + 1) {
		size_t a, e2;

		for (e = i; e < h.len && h.ptr[e] != ':'; e++)
			continue;
		for (a = i; a < e && bench_is_wsp(h.ptr[a]); a++)
			continue;
		for (e2 = e; e2 > a && bench_is_wsp(h.ptr[e2 - 1]); e2--)
			continue;
		n = e2 - a;
		for (k = 1; k < nfields; k++) {
			f = msg + fields[k].off;
			if (fields[k].len > n && f[n] == ':' &&
			    strncasecmp((const char *)f,
				(const char *)h.ptr + a, n) == 0)
				break;
		}
		if (k == nfields)
			bench_die("a header field named in h= is missing");
		bench_canon_relaxed(canon, f, fields[k].len, false);
	}
	f = msg + fields[0].off;
	len = fields[0].len;
	inkan_buf_append(&sig, f, (size_t)(b.ptr - f));
	inkan_buf_append(
	    &sig, b.ptr + b.len, len - (size_t)(b.ptr + b.len - f));
	bench_canon_relaxed(canon, sig.data, sig.len, true);
	if (inkan_base64_decode(bh.ptr, bh.len, INKAN_BASE64_SKIP_FWS, &tmp) !=
		INKAN_OK ||
	    tmp.len != 32)
		bench_die("the reference bh= is not a SHA-256 digest");
	memcpy(bh_r, tmp.data, 32);
	inkan_buf_reset(&tmp);
	if (inkan_base64_decode(b.ptr, b.len, INKAN_BASE64_SKIP_FWS, &tmp) !=
		INKAN_OK ||
	    tmp.len != blen)
		bench_die("the reference b= is not of the key's size");
	memcpy(b_r, tmp.data, blen);
	if (canon->err != INKAN_OK || sig.err != INKAN_OK)
		bench_die("out of memory");
	inkan_buf_clear(&tmp);
	inkan_buf_clear(&sig);
}

/*
 * The floor's hashes: SHA-256 of the canonical body (which must give bh,
 * else -1), then of the canonical signed header fields into hh; md and
 * sha256 made once by the caller. Returns 0 or -1.
 */
static inline int
bench_floor_hash(EVP_MD_CTX *md, const EVP_MD *sha256, const uint8_t *body,
    size_t body_len, const struct inkan_buf *canon, const uint8_t bh[32],
    uint8_t hh[32])
{
	uint8_t got[32];
	unsigned n = 0;

	if (EVP_DigestInit_ex(md, sha256, NULL) != 1 ||
	    EVP_DigestUpdate(md, body, body_len) != 1 ||
	    EVP_DigestFinal_ex(md, got, &n) != 1 ||
	    memcmp(got, bh, sizeof(got)) != 0)
		return -1;
	if (EVP_DigestInit_ex(md, sha256, NULL) != 1 ||
	    EVP_DigestUpdate(md, canon->data, canon->len) != 1 ||
	    EVP_DigestFinal_ex(md, hh, &n) != 1)
		return -1;
	return 0;
}

#endif
