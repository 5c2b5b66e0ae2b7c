/*
 * https_driver.c: inkan_https_get() and inkan_mtasts_policy_fetch()
 * against the local servers of tests/https/server.py (started by
 * tests/https/https.sh, which passes the CA file and the ports).
 *
 *	https_driver CA_FILE GOOD UNTRUSTED WRONGNAME EXPIRED PLAIN HANG CLOSED
 *
 * Every name mta-sts.<behaviour>.test is sent to 127.0.0.1:<port> by the
 * resolve option; the certificate is still checked against the name.
 * Prints one line per case, then `ran N, passed P, failed F`; exits 1 when
 * a case failed. Timeouts are asserted by their failure kind, never by
 * the time they took.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <inkan/https.h>
#include <inkan/mtasts.h>

enum server {
	GOOD,
	UNTRUSTED,
	WRONGNAME,
	EXPIRED,
	PLAIN,
	HANG,
	CLOSED,
	NSERVERS
};

/* A timeout long enough never to fire for a case that should succeed on a
   loaded machine, and a short one for the cases that must time out. */
#define TIMEOUT_NORMAL_MS 20000u
#define TIMEOUT_SHORT_MS 1000u

static const char *ca_file;
static unsigned ports[NSERVERS];
static int ran, failed;

struct get_case {
	const char *name;
	const char *label; /* https://mta-sts.<label>.test/... */
	enum server server;
	enum inkan_status st;
	enum inkan_https_failure failure;
	int status; /* the HTTP status kept, 0: none */
	long body_len; /* -1: not checked */
	const char *body; /* NULL: not checked */
	/* variations */
	unsigned timeout_ms; /* 0: TIMEOUT_NORMAL_MS */
	const char *ca; /* NULL: the test CA; "-": none (system store) */
};

static const struct get_case get_cases[] = {
	{ "good policy", "good", GOOD, INKAN_OK, INKAN_HTTPS_FAIL_NONE, 200, -1,
	    NULL, 0, NULL },
	{ "untrusted CA", "untrusted", UNTRUSTED, INKAN_ERR_IO,
	    INKAN_HTTPS_FAIL_CERT_UNTRUSTED, 0, -1, NULL, 0, NULL },
	{ "name not in the certificate", "wrongname", WRONGNAME, INKAN_ERR_IO,
	    INKAN_HTTPS_FAIL_CERT_NAME, 0, -1, NULL, 0, NULL },
	{ "expired certificate", "expired", EXPIRED, INKAN_ERR_IO,
	    INKAN_HTTPS_FAIL_CERT_UNTRUSTED, 0, -1, NULL, 0, NULL },
	{ "system store does not trust the test CA", "good", GOOD, INKAN_ERR_IO,
	    INKAN_HTTPS_FAIL_CERT_UNTRUSTED, 0, -1, NULL, 0, "-" },
	{ "CA file missing", "good", GOOD, INKAN_ERR_INVAL,
	    INKAN_HTTPS_FAIL_OPTIONS, 0, -1, NULL, 0,
	    "/nonexistent/inkan-ca.pem" },
	{ "redirect not followed", "redirect", GOOD, INKAN_ERR_IO,
	    INKAN_HTTPS_FAIL_REDIRECT, 301, -1, NULL, 0, NULL },
	{ "404 is an answer", "notfound", GOOD, INKAN_OK, INKAN_HTTPS_FAIL_NONE,
	    404, -1, NULL, 0, NULL },
	{ "User-Agent", "useragent", GOOD, INKAN_OK, INKAN_HTTPS_FAIL_NONE, 200,
	    -1, INKAN_HTTPS_USER_AGENT, 0, NULL },
	{ "over the limit, Content-Length", "bigcl", GOOD, INKAN_ERR_LIMIT,
	    INKAN_HTTPS_FAIL_TOO_LARGE, 200, -1, NULL, 0, NULL },
	{ "over the limit, until close", "bigclose", GOOD, INKAN_ERR_LIMIT,
	    INKAN_HTTPS_FAIL_TOO_LARGE, 200, -1, NULL, 0, NULL },
	{ "over the limit by one, chunked", "bigchunked", GOOD, INKAN_ERR_LIMIT,
	    INKAN_HTTPS_FAIL_TOO_LARGE, 200, -1, NULL, 0, NULL },
	{ "exactly the limit, chunked", "limit", GOOD, INKAN_OK,
	    INKAN_HTTPS_FAIL_NONE, 200, INKAN_MTASTS_POLICY_MAX, NULL, 0,
	    NULL },
	{ "Content-Length smaller than what is sent", "lie", GOOD, INKAN_OK,
	    INKAN_HTTPS_FAIL_NONE, 200, 200, NULL, 0, NULL },
	{ "connection closed before Content-Length", "short", GOOD,
	    INKAN_ERR_IO, INKAN_HTTPS_FAIL_PROTOCOL, 200, -1, NULL, 0, NULL },
	{ "not HTTP", "garbage", GOOD, INKAN_ERR_IO, INKAN_HTTPS_FAIL_PROTOCOL,
	    0, -1, NULL, 0, NULL },
	{ "closed without an answer", "close", GOOD, INKAN_ERR_IO,
	    INKAN_HTTPS_FAIL_PROTOCOL, 0, -1, NULL, 0, NULL },
	{ "body never comes", "slow", GOOD, INKAN_ERR_IO,
	    INKAN_HTTPS_FAIL_TIMEOUT, 200, -1, NULL, TIMEOUT_SHORT_MS, NULL },
	{ "server never answers", "good", HANG, INKAN_ERR_IO,
	    INKAN_HTTPS_FAIL_TIMEOUT, 0, -1, NULL, TIMEOUT_SHORT_MS, NULL },
	{ "plain HTTP on the HTTPS port", "good", PLAIN, INKAN_ERR_IO,
	    INKAN_HTTPS_FAIL_TLS, 0, -1, NULL, 0, NULL },
	{ "nothing listens", "good", CLOSED, INKAN_ERR_IO,
	    INKAN_HTTPS_FAIL_CONNECT, 0, -1, NULL, 0, NULL },
};

struct fetch_case {
	const char *name;
	const char *domain;
	enum server server;
	enum inkan_status st;
	const char *message; /* a part of err.message; NULL: not checked */
	size_t nmx; /* on success */
	unsigned timeout_ms; /* 0: TIMEOUT_NORMAL_MS */
};

static const struct fetch_case fetch_cases[] = {
	{ "good policy", "good.test", GOOD, INKAN_OK, NULL, 2, 0 },
	{ "trailing dot, any case", "GOOD.test.", GOOD, INKAN_OK, NULL, 2, 0 },
	{ "policy of exactly the limit", "limit.test", GOOD, INKAN_OK, NULL, 2,
	    0 },
	{ "Content-Length smaller than what is sent", "lie.test", GOOD,
	    INKAN_OK, NULL, 2, 0 },
	{ "untrusted CA", "untrusted.test", UNTRUSTED, INKAN_ERR_IO,
	    "not trusted", 0, 0 },
	{ "name not in the certificate", "wrongname.test", WRONGNAME,
	    INKAN_ERR_IO, "not valid for the host name", 0, 0 },
	{ "expired certificate", "expired.test", EXPIRED, INKAN_ERR_IO,
	    "certificate has expired", 0, 0 },
	{ "redirect", "redirect.test", GOOD, INKAN_ERR_IO, "redirect", 0, 0 },
	{ "404", "notfound.test", GOOD, INKAN_ERR_SYNTAX, "404", 0, 0 },
	{ "text/html", "html.test", GOOD, INKAN_ERR_SYNTAX, "text/plain", 0,
	    0 },
	{ "no Content-Type", "nocontenttype.test", GOOD, INKAN_ERR_SYNTAX,
	    "Content-Type", 0, 0 },
	{ "over the limit, Content-Length", "bigcl.test", GOOD, INKAN_ERR_LIMIT,
	    "larger than 65536", 0, 0 },
	{ "over the limit, until close", "bigclose.test", GOOD, INKAN_ERR_LIMIT,
	    "larger than 65536", 0, 0 },
	{ "over the limit, chunked", "bigchunked.test", GOOD, INKAN_ERR_LIMIT,
	    "larger than 65536", 0, 0 },
	{ "server never answers", "good.test", HANG, INKAN_ERR_IO,
	    "no complete answer", 0, TIMEOUT_SHORT_MS },
	{ "domain with a path", "good.test/x", GOOD, INKAN_ERR_INVAL,
	    "not a host name", 0, 0 },
	{ "domain with a port", "good.test:8443", GOOD, INKAN_ERR_INVAL,
	    "not a host name", 0, 0 },
	{ "domain with a user", "x@good.test", GOOD, INKAN_ERR_INVAL,
	    "not a host name", 0, 0 },
	{ "domain with two final dots", "good.test..", GOOD, INKAN_ERR_INVAL,
	    "not a host name", 0, 0 },
	{ "empty domain", "", GOOD, INKAN_ERR_INVAL, NULL, 0, 0 },
};

static void
result(const char *group, const char *name, const char *problem)
{
	ran++;
	if (problem == NULL) {
		printf("ok   %s: %s\n", group, name);
		return;
	}
	failed++;
	printf("FAIL %s: %s: %s\n", group, name, problem);
}

/* The resolve override sending host name's port 443 to the server. */
static void
resolve_for(const char *host, enum server s, char *out, size_t n)
{
	snprintf(out, n, "%s:443:127.0.0.1:%u", host, ports[s]);
}

static void
run_get(const struct get_case *c)
{
	struct inkan_https_options o;
	struct inkan_https_response r;
	char url[256], host[128], resolve[INKAN_HTTPS_RESOLVE_MAX];
	char problem[512];
	enum inkan_status st;

	snprintf(host, sizeof(host), "mta-sts.%s.test", c->label);
	snprintf(url, sizeof(url), "https://%s/.well-known/mta-sts.txt", host);
	resolve_for(host, c->server, resolve, sizeof(resolve));
	inkan_https_options_init(&o, NULL);
	o.ca_file = c->ca == NULL     ? ca_file
	    : strcmp(c->ca, "-") == 0 ? NULL
				      : c->ca;
	o.resolve = resolve;
	o.body_max = INKAN_MTASTS_POLICY_MAX;
	o.timeout_ms = c->timeout_ms != 0 ? c->timeout_ms : TIMEOUT_NORMAL_MS;
	inkan_https_response_init(&r);
	st = inkan_https_get(url, &o, &r);
	problem[0] = '\0';
	if (st != c->st || r.failure != c->failure)
		snprintf(problem, sizeof(problem),
		    "got %s/%s, want %s/%s (reason: %s)", inkan_strerror(st),
		    inkan_https_failure_name(r.failure), inkan_strerror(c->st),
		    inkan_https_failure_name(c->failure), r.reason);
	else if (r.status != c->status)
		snprintf(problem, sizeof(problem),
		    "got status %d, want %d (reason: %s)", r.status, c->status,
		    r.reason);
	else if (st == INKAN_OK && r.reason[0] != '\0')
		snprintf(problem, sizeof(problem), "a reason on success: %s",
		    r.reason);
	else if (st != INKAN_OK && r.reason[0] == '\0')
		snprintf(problem, sizeof(problem), "no reason for a failure");
	else if (r.body.len > INKAN_MTASTS_POLICY_MAX)
		snprintf(problem, sizeof(problem), "kept %zu bytes, over %u",
		    r.body.len, INKAN_MTASTS_POLICY_MAX);
	else if (c->body_len >= 0 && r.body.len != (size_t)c->body_len)
		snprintf(problem, sizeof(problem),
		    "got %zu body bytes, want %ld", r.body.len, c->body_len);
	else if (c->body != NULL && strcmp(inkan_buf_cstr(&r.body), c->body))
		snprintf(problem, sizeof(problem),
		    "got body \"%s\", want \"%s\"", inkan_buf_cstr(&r.body),
		    c->body);
	else if (st == INKAN_OK && c->status == 200 &&
	    (r.content_type == NULL ||
		strncmp(r.content_type, "text/plain", 10) != 0))
		snprintf(problem, sizeof(problem),
		    "got Content-Type %s, want text/plain...",
		    r.content_type != NULL ? r.content_type : "(none)");
	result("get", c->name, problem[0] != '\0' ? problem : NULL);
	if (problem[0] == '\0' && st != INKAN_OK)
		printf("     (%s: %s)\n", inkan_https_failure_name(r.failure),
		    r.reason);
	inkan_https_response_clear(&r);
}

static void
run_fetch(const struct fetch_case *c)
{
	struct inkan_https_options o;
	struct inkan_mtasts_policy *pol = NULL;
	struct inkan_mtasts_error err;
	char host[128], resolve[INKAN_HTTPS_RESOLVE_MAX];
	char problem[512];
	enum inkan_status st;
	size_t n;

	/* The resolve override needs a host name; the bad domains never get
	   as far as using it. */
	n = strcspn(c->domain, "/:@");
	snprintf(host, sizeof(host), "mta-sts.%.*s", (int)n, c->domain);
	while (strlen(host) > 0 && host[strlen(host) - 1] == '.')
		host[strlen(host) - 1] = '\0';
	resolve_for(host, c->server, resolve, sizeof(resolve));
	inkan_https_options_init(&o, NULL);
	o.ca_file = ca_file;
	o.resolve = resolve;
	o.timeout_ms = c->timeout_ms != 0 ? c->timeout_ms : TIMEOUT_NORMAL_MS;
	memset(&err, 0, sizeof(err));
	st = inkan_mtasts_policy_fetch(c->domain, &o, NULL, &pol, &err);
	problem[0] = '\0';
	if (st != c->st)
		snprintf(problem, sizeof(problem), "got %s, want %s (%s)",
		    inkan_strerror(st), inkan_strerror(c->st), err.message);
	else if (st == INKAN_OK &&
	    (pol == NULL || pol->nmx != c->nmx ||
		pol->mode != INKAN_MTASTS_ENFORCE))
		snprintf(problem, sizeof(problem),
		    "got a policy of %zu mx, want %zu in enforce mode",
		    pol != NULL ? pol->nmx : 0, c->nmx);
	else if (st != INKAN_OK && pol != NULL)
		snprintf(problem, sizeof(problem), "a policy on failure");
	else if (st != INKAN_OK && err.message[0] == '\0')
		snprintf(problem, sizeof(problem), "no message for a failure");
	else if (c->message != NULL && strstr(err.message, c->message) == NULL)
		snprintf(problem, sizeof(problem),
		    "got message \"%s\", want one with \"%s\"", err.message,
		    c->message);
	result("fetch", c->name, problem[0] != '\0' ? problem : NULL);
	if (problem[0] == '\0' && st != INKAN_OK)
		printf("     (%s)\n", err.message);
	inkan_mtasts_policy_free(&pol);
}

int
main(int argc, char **argv)
{
	size_t i;
	int s;
	char *end;
	unsigned long v;

	if (argc != 2 + NSERVERS) {
		fprintf(stderr,
		    "usage: https_driver CA_FILE GOOD UNTRUSTED "
		    "WRONGNAME EXPIRED PLAIN HANG CLOSED\n");
		return 2;
	}
	ca_file = argv[1];
	for (s = 0; s < NSERVERS; s++) {
		v = strtoul(argv[2 + s], &end, 10);
		if (*argv[2 + s] == '\0' || *end != '\0' || v == 0 ||
		    v > 65535) {
			fprintf(
			    stderr, "https_driver: bad port %s\n", argv[2 + s]);
			return 2;
		}
		ports[s] = (unsigned)v;
	}
	printf("lib/https and inkan_mtasts_policy_fetch against "
	       "tests/https/server.py\n");
	for (i = 0; i < sizeof(get_cases) / sizeof(get_cases[0]); i++)
		run_get(&get_cases[i]);
	for (i = 0; i < sizeof(fetch_cases) / sizeof(fetch_cases[0]); i++)
		run_fetch(&fetch_cases[i]);
	printf("ran %d, passed %d, failed %d\n", ran, ran - failed, failed);
	return failed == 0 ? 0 : 1;
}
