/*
 * bench_spf: SPF evaluations per second on one core with warm caches,
 * inkan against libspf2 and pyspf in the same run, on the same records.
 *
 * The record set is a domain whose policy includes two records of ip4
 * ranges and ends in -all, as a provider's published SPF usually looks.
 * Three cases: a pass in the first range of the first include, a pass in
 * the last range of the second include (every range before it tried), and
 * a fail on -all (every range tried). DNS is out of the picture for all
 * three implementations: each answers from memory (see bench/README.md
 * for how each peer is set up and what "warm" means for it).
 *
 * Every result is checked against the expected one, in every timed loop;
 * a wrong result is reported, no ratio is printed for that case and the
 * exit status is 1. Each rate is the best of REPS loops of at least
 * SECONDS (argument 1, default 1) each, with the loop length calibrated
 * first; inkan's and libspf2's loops take turns. Nothing is asserted on
 * time: whether the targets are met is printed, not enforced.
 *
 * Usage: bench_spf [SECONDS]. The pyspf column runs bench/spf_pyspf.py with
 * $INKAN_PYTHON, else /usr/bin/python3 (the Python Debian's python3-spf is
 * installed for), else python3 from PATH.
 */
#include "bench_common.h" /* first: it defines _GNU_SOURCE */

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef INKAN_HAVE_LIBSPF2
#include <arpa/nameser.h>
#include <netdb.h>
#include <netinet/in.h>
#include <spf2/spf.h>
#include <spf2/spf_dns_zone.h>
#endif

#include <inkan/dns.h>
#include <inkan/spf.h>

#ifndef INKAN_BENCH_SPF_PY
#define INKAN_BENCH_SPF_PY "bench/spf_pyspf.py"
#endif

#define REPS 3
#define HELO "mail.example.org"
#define SENDER "alice@example.com"
#define TTL 86400 /* longer than any run: the record cache stays warm */

/* The targets of the SPF issue: inkan/peer for every case. */
#define TARGET_LIBSPF2 10.0
#define TARGET_PYSPF 100.0

/* Documentation (RFC 5737), private (RFC 1918) and shared (RFC 6598)
 * ranges, in the mixed sizes real provider records have. */
static const struct zone_txt {
	const char *name;
	const char *text;
} zone[] = {
	{ "example.com",
	    "v=spf1 include:_spf1.example.com include:_spf2.example.com "
	    "-all" },
	{ "_spf1.example.com",
	    "v=spf1 ip4:192.0.2.0/26 ip4:192.0.2.128/25 ip4:198.51.100.0/27 "
	    "ip4:198.51.100.64/26 ip4:10.1.0.0/16 ip4:172.16.32.0/20 "
	    "ip4:192.168.100.0/24 ~all" },
	{ "_spf2.example.com",
	    "v=spf1 ip4:203.0.113.0/28 ip4:203.0.113.32/27 "
	    "ip4:203.0.113.128/26 ip4:10.200.0.0/14 ip4:172.20.0.0/16 "
	    "ip4:100.64.16.0/20 ip4:192.168.1.10 ip4:198.51.100.200/29 "
	    "~all" },
};
#define NZONE (sizeof(zone) / sizeof(zone[0]))

static const struct bench_case {
	const char *label;
	const char *ip;
	enum inkan_spf_result want;
} cases[] = {
	{ "pass, include 1 range 1/7", "192.0.2.10", INKAN_SPF_PASS },
	{ "pass, include 2 range 8/8", "198.51.100.203", INKAN_SPF_PASS },
	/* RFC 2544's benchmarking range: in no include. */
	{ "fail, -all", "198.18.0.1", INKAN_SPF_FAIL },
};
#define NCASES (sizeof(cases) / sizeof(cases[0]))

/* Evaluates case i once; returns its enum inkan_spf_result, or -1 when
 * the implementation failed to produce a result at all. */
typedef int (*eval_fn)(void *ctx, size_t i);

/* One implementation's column of the table. */
struct column {
	const char *name;
	bool ran; /* false: skipped, why says why */
	char why[512];
	char version[64];
	eval_fn eval; /* in-process implementations: how to evaluate */
	void *ctx;
	unsigned long n[NCASES]; /* calibrated loop length */
	bool right[NCASES]; /* every result was the expected one */
	char got[NCASES][16]; /* the first wrong result's name */
	double rate[NCASES]; /* evaluations/s; 0 when not measured */
};

/* Runs case i once; 0 when the result is the expected one, else the
   result's name is kept in col->got[i]. */
static int
once(void *p, size_t i)
{
	struct column *col = p;
	int got = col->eval(col->ctx, i);

	if (got == (int)cases[i].want)
		return 0;
	snprintf(col->got[i], sizeof(col->got[i]), "%s",
	    got < 0 ? "(error)"
		    : inkan_spf_result_name((enum inkan_spf_result)got));
	return -1;
}

/* Each rate is the best of REPS calibrated loops, the columns in turn. */
static void
measure(struct column **cols, size_t ncols, double seconds)
{
	struct bench_timing ts[4];
	size_t c;

	for (c = 0; c < ncols && c < 4; c++)
		ts[c] = BENCH_TIMING(once, cols[c]);
	bench_measure(ts, c, NCASES, seconds, REPS);
}

/* ---- inkan ------------------------------------------------------------ */

static int
inkan_eval(void *ctx, size_t i)
{
	struct inkan_spf_request req = { 0 };
	struct inkan_spf_verdict *v = NULL;
	int result = -1;

	/* The address is parsed from text each time, as the peers do. */
	if (inkan_spf_ip_parse(cases[i].ip, &req.ip) != INKAN_OK)
		return -1;
	req.mail_from = SENDER;
	req.helo = HELO;
	if (inkan_spf_check(ctx, &req, 0, &v) == INKAN_OK)
		result = (int)v->result;
	inkan_spf_verdict_free(&v);
	return result;
}

/* Sets up the zone and the context the inkan column evaluates with. */
static int
inkan_open(struct column *col, struct inkan_resolver **r_r)
{
	struct inkan_spf *spf = NULL;
	struct inkan_view s;
	enum inkan_status st;
	size_t i;

	col->name = "inkan";
	if ((st = inkan_resolver_new_zone(NULL, r_r)) != INKAN_OK)
		goto fail;
	for (i = 0; i < NZONE; i++) {
		s.ptr = (const uint8_t *)zone[i].text;
		s.len = strlen(zone[i].text);
		st =
		    inkan_resolver_zone_add_txt(*r_r, zone[i].name, TTL, &s, 1);
		if (st != INKAN_OK)
			goto fail;
	}
	if ((st = inkan_spf_new(*r_r, NULL, &spf)) != INKAN_OK)
		goto fail;
	col->eval = inkan_eval;
	col->ctx = spf;
	col->ran = true;
	return 0;
fail:
	fprintf(stderr, "bench_spf: inkan: %s\n", inkan_strerror(st));
	inkan_resolver_free(r_r);
	return -1;
}

static void
inkan_close(struct column *col, struct inkan_resolver **r)
{
	struct inkan_spf *spf = col->ctx;

	inkan_spf_free(&spf);
	col->ctx = NULL;
	inkan_resolver_free(r);
}

/* ---- libspf2 ---------------------------------------------------------- */

#ifdef INKAN_HAVE_LIBSPF2
static int
libspf2_result(SPF_result_t r)
{
	switch (r) {
	case SPF_RESULT_NEUTRAL:
		return INKAN_SPF_NEUTRAL;
	case SPF_RESULT_PASS:
		return INKAN_SPF_PASS;
	case SPF_RESULT_FAIL:
		return INKAN_SPF_FAIL;
	case SPF_RESULT_SOFTFAIL:
		return INKAN_SPF_SOFTFAIL;
	case SPF_RESULT_NONE:
		return INKAN_SPF_NONE;
	case SPF_RESULT_TEMPERROR:
		return INKAN_SPF_TEMPERROR;
	case SPF_RESULT_PERMERROR:
		return INKAN_SPF_PERMERROR;
	default:
		return -1;
	}
}

/* What a receiver does per MAIL FROM with libspf2's documented API. */
static int
libspf2_eval(void *ctx, size_t i)
{
	SPF_request_t *req = SPF_request_new(ctx);
	SPF_response_t *resp = NULL;
	int result = -1;

	if (req == NULL)
		return -1;
	if (SPF_request_set_ipv4_str(req, cases[i].ip) == SPF_E_SUCCESS &&
	    SPF_request_set_helo_dom(req, HELO) == SPF_E_SUCCESS &&
	    SPF_request_set_env_from(req, SENDER) == 0) {
		/* Its status is not an error for fail and the like: the
		 * result is in the response. */
		(void)SPF_request_query_mailfrom(req, &resp);
		if (resp != NULL)
			result = libspf2_result(SPF_response_result(resp));
	}
	if (resp != NULL)
		SPF_response_free(resp);
	SPF_request_free(req);
	return result;
}

/* Sets up the zone layer and the server the libspf2 column uses. */
static int
libspf2_open(struct column *col)
{
	SPF_dns_server_t *dns;
	SPF_server_t *server = NULL;
	size_t i;

	col->name = "libspf2";
	snprintf(col->version, sizeof(col->version), "%d.%d.%d",
	    SPF_LIB_VERSION_MAJOR, SPF_LIB_VERSION_MINOR,
	    SPF_LIB_VERSION_PATCH);
	/* The in-memory zone layer with nothing below it: a name it does
	 * not hold is "host not found", never a network lookup. */
	if ((dns = SPF_dns_zone_new(NULL, "bench", 0)) == NULL)
		goto nomem;
	for (i = 0; i < NZONE; i++)
		if (SPF_dns_zone_add_str(dns, zone[i].name, ns_t_txt,
			NETDB_SUCCESS, zone[i].text) != SPF_E_SUCCESS) {
			fprintf(stderr, "bench_spf: libspf2 refused %s\n",
			    zone[i].name);
			SPF_dns_free(dns);
			return -1;
		}
	/* The server owns dns from here on. */
	if ((server = SPF_server_new_dns(dns, 0)) == NULL) {
		SPF_dns_free(dns);
		goto nomem;
	}
	col->eval = libspf2_eval;
	col->ctx = server;
	col->ran = true;
	return 0;
nomem:
	fprintf(stderr, "bench_spf: libspf2: out of memory\n");
	return -1;
}

static void
libspf2_close(struct column *col)
{
	SPF_server_free(col->ctx);
	col->ctx = NULL;
}
#endif

/* ---- pyspf ------------------------------------------------------------ */

static int
result_from_name(const char *name)
{
	int r;

	for (r = INKAN_SPF_NONE; r <= INKAN_SPF_PERMERROR; r++)
		if (strcmp(name,
			inkan_spf_result_name((enum inkan_spf_result)r)) == 0)
			return r;
	return -1;
}

struct pyspf_run {
	struct column *col;
	bool seen[NCASES];
};

/* Reads one line of spf_pyspf.py's output (a bench_run_lines callback). */
static void
pyspf_line(char *line, void *arg)
{
	struct pyspf_run *run = arg;
	struct column *col = run->col;
	char *w[4], *end;
	unsigned long idx;
	double rate;
	size_t n;

	if (strncmp(line, "skip ", 5) == 0) {
		snprintf(col->why, sizeof(col->why), "%s", line + 5);
		return;
	}
	n = bench_split(line, w, 4);
	if (n == 2 && strcmp(w[0], "version") == 0) {
		snprintf(col->version, sizeof(col->version), "%s", w[1]);
		return;
	}
	if (n != 4 || strcmp(w[0], "case") != 0)
		return;
	errno = 0;
	idx = strtoul(w[1], &end, 10);
	if (errno != 0 || *end != '\0' || idx >= NCASES)
		return;
	rate = strtod(w[3], &end);
	if (*end != '\0' || !isfinite(rate) || rate < 0)
		return;
	run->seen[idx] = true;
	if (result_from_name(w[2]) == (int)cases[idx].want) {
		col->right[idx] = true;
		col->rate[idx] = rate;
	} else {
		snprintf(col->got[idx], sizeof(col->got[idx]), "%s", w[2]);
	}
}

/*
 * Runs spf_pyspf.py with the same records and cases, without a shell
 * (the arguments hold spaces), and reads its results. A missing Python or
 * pyspf is a skipped column, not an error.
 */
static void
pyspf_column(struct column *col, double seconds)
{
	char *argv[5 + 3 * NZONE + 3 * NCASES + 1];
	char secs[32], reps[16];
	struct pyspf_run run = { .col = col };
	size_t i, n = 0;
	int status;

	col->name = "pyspf";
	snprintf(secs, sizeof(secs), "%g", seconds);
	snprintf(reps, sizeof(reps), "%d", REPS);
	argv[n++] = (char *)bench_python();
	argv[n++] = (char *)INKAN_BENCH_SPF_PY;
	argv[n++] = secs;
	argv[n++] = reps;
	argv[n++] = (char *)HELO;
	for (i = 0; i < NZONE; i++) {
		argv[n++] = (char *)"txt";
		argv[n++] = (char *)zone[i].name;
		argv[n++] = (char *)zone[i].text;
	}
	for (i = 0; i < NCASES; i++) {
		argv[n++] = (char *)"case";
		argv[n++] = (char *)cases[i].ip;
		argv[n++] = (char *)SENDER;
	}
	argv[n] = NULL;

	status =
	    bench_run_lines(argv, pyspf_line, &run, col->why, sizeof(col->why));
	if (status < 0 || col->why[0] != '\0')
		return;
	for (i = 0; i < NCASES; i++)
		if (!run.seen[i]) {
			snprintf(col->why, sizeof(col->why),
			    "%s %s gave no result for case %zu (exit status "
			    "%d)",
			    argv[0], INKAN_BENCH_SPF_PY, i + 1, status);
			return;
		}
	col->ran = true;
}

/* ---- the table -------------------------------------------------------- */

static void
print_rate(const struct column *col, size_t i)
{
	if (!col->ran)
		printf(" %12s", "skipped");
	else if (!col->right[i])
		printf(" %12s", "WRONG");
	else
		printf(" %12.0f", col->rate[i]);
}

/* Prints inkan/peer for case i, or "-" when either is not right. */
static void
print_ratio(const struct column *a, const struct column *b, size_t i)
{
	if (a->ran && b->ran && a->right[i] && b->right[i] && b->rate[i] > 0)
		printf(" %12.1fx", a->rate[i] / b->rate[i]);
	else
		printf(" %13s", "-");
}

/* Says whether inkan/peer >= target in every case. */
static void
print_target(const struct column *a, const struct column *b, double target)
{
	double lowest = INFINITY;
	size_t i;

	printf("target inkan >= %gx %s: ", target, b->name);
	if (!b->ran) {
		printf("not measured (%s skipped)\n", b->name);
		return;
	}
	for (i = 0; i < NCASES; i++) {
		if (!a->right[i] || !b->right[i] || b->rate[i] <= 0) {
			printf("no ratio (a wrong result)\n");
			return;
		}
		if (a->rate[i] / b->rate[i] < lowest)
			lowest = a->rate[i] / b->rate[i];
	}
	printf("%s (lowest %.1fx)\n", lowest >= target ? "met" : "NOT met",
	    lowest);
}

/* Reports each wrong result; returns how many there were. */
static int
report_wrong(const struct column *col)
{
	int wrong = 0;
	size_t i;

	if (!col->ran)
		return 0;
	for (i = 0; i < NCASES; i++)
		if (!col->right[i]) {
			printf("WRONG: %s gave %s for \"%s\" (%s), want %s\n",
			    col->name, col->got[i], cases[i].label, cases[i].ip,
			    inkan_spf_result_name(cases[i].want));
			wrong++;
		}
	return wrong;
}

/* Reads the loop length argument: seconds in (0, 60]. */
static int
parse_seconds(const char *text, double *seconds_r)
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

int
main(int argc, char **argv)
{
	struct column inkan = { 0 }, libspf2 = { 0 }, pyspf = { 0 };
	struct column *cols[2] = { &inkan, &libspf2 };
	struct inkan_resolver *r = NULL;
	double seconds = 1.0;
	char where[32];
	size_t i;
	int cpu, wrong = 0;

	if (argc > 2 || (argc == 2 && parse_seconds(argv[1], &seconds) != 0)) {
		fprintf(stderr, "usage: bench_spf [SECONDS (0-60]]\n");
		return 2;
	}
	cpu = bench_pin();
	if (inkan_open(&inkan, &r) != 0)
		return 1;
#ifdef INKAN_HAVE_LIBSPF2
	if (libspf2_open(&libspf2) != 0) {
		inkan_close(&inkan, &r);
		return 1;
	}
	measure(cols, 2, seconds);
	libspf2_close(&libspf2);
#else
	libspf2.name = "libspf2";
	snprintf(libspf2.why, sizeof(libspf2.why),
	    "libspf2 was not found when bench_spf was built "
	    "(scripts/install-deps --bench, then rebuild)");
	measure(cols, 1, seconds);
#endif
	inkan_close(&inkan, &r);
	pyspf_column(&pyspf, seconds);

	if (cpu >= 0)
		snprintf(where, sizeof(where), "pinned to cpu %d", cpu);
	else
		snprintf(where, sizeof(where), "not pinned");
	printf("SPF evaluations/s, one core (%s), warm caches, best of %d "
	       "loops of >= %gs\n",
	    where, REPS, seconds);
	printf("%-27s %12s %12s %12s %13s %13s\n", "case", "inkan", "libspf2",
	    "pyspf", "inkan/libspf2", "inkan/pyspf");
	for (i = 0; i < NCASES; i++) {
		printf("%-27s", cases[i].label);
		print_rate(&inkan, i);
		print_rate(&libspf2, i);
		print_rate(&pyspf, i);
		print_ratio(&inkan, &libspf2, i);
		print_ratio(&inkan, &pyspf, i);
		printf("\n");
	}
	printf("inkan: zone resolver, one struct inkan_spf (record cache "
	       "warm), no trace\n");
	wrong += report_wrong(&inkan);
	wrong += report_wrong(&libspf2);
	wrong += report_wrong(&pyspf);
	if (!libspf2.ran)
		printf("libspf2 column skipped: %s\n", libspf2.why);
	else
		printf("libspf2 %s: zone DNS layer (records compiled per "
		       "evaluation), one SPF_server_t\n",
		    libspf2.version);
	if (!pyspf.ran)
		printf("pyspf column skipped: %s\n", pyspf.why);
	else
		printf("pyspf %s: spf.check2(), dict-backed spf.DNSLookup\n",
		    pyspf.version);
	print_target(&inkan, &libspf2, TARGET_LIBSPF2);
	print_target(&inkan, &pyspf, TARGET_PYSPF);
	return wrong > 0 ? 1 : 0;
}
