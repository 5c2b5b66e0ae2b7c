/*
 * test_https.c: what lib/https decides before any byte goes on the wire:
 * the URL check, the option check (resolve override, User-Agent), the
 * failure names, and that inkan_https_get() and
 * inkan_mtasts_policy_fetch() refuse bad input without a connection.
 * The network side is tests/https/https.sh.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <inkan/https.h>
#include <inkan/mtasts.h>

struct url_case {
	const char *name;
	const char *url;
	enum inkan_status st;
	const char *host; /* on success */
};

static const struct url_case url_cases[] = {
	{ "policy URL", "https://mta-sts.example.com/.well-known/mta-sts.txt",
	    INKAN_OK, "mta-sts.example.com" },
	{ "scheme in capitals", "HTTPS://Example.COM/x", INKAN_OK,
	    "Example.COM" },
	{ "no path", "https://example.com", INKAN_OK, "example.com" },
	{ "query only", "https://example.com?a=b", INKAN_OK, "example.com" },
	{ "port", "https://example.com:8443/x", INKAN_OK, "example.com" },
	{ "final dot", "https://example.com./x", INKAN_OK, "example.com." },
	{ "IPv4 literal", "https://192.0.2.1/x", INKAN_OK, "192.0.2.1" },
	{ "percent escape", "https://example.com/a%2Fb", INKAN_OK,
	    "example.com" },
	{ "RFC 3986 path characters", "https://e.com/a-._~!$&'()*+,;=:@/?x",
	    INKAN_OK, "e.com" },
	{ "label of 63",
	    "https://"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaa.com/",
	    INKAN_OK,
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa."
	    "com" },
	{ "label of 64",
	    "https://"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaa.com/",
	    INKAN_ERR_INVAL, NULL },
	{ "http", "http://example.com/", INKAN_ERR_INVAL, NULL },
	{ "ftp", "ftp://example.com/", INKAN_ERR_INVAL, NULL },
	{ "no scheme", "example.com/", INKAN_ERR_INVAL, NULL },
	{ "scheme only", "https://", INKAN_ERR_INVAL, NULL },
	{ "empty", "", INKAN_ERR_INVAL, NULL },
	{ "user", "https://user@example.com/", INKAN_ERR_INVAL, NULL },
	{ "user and password", "https://u:p@example.com/", INKAN_ERR_INVAL,
	    NULL },
	{ "IPv6 literal", "https://[2001:db8::1]/", INKAN_ERR_INVAL, NULL },
	{ "port 0", "https://example.com:0/", INKAN_ERR_INVAL, NULL },
	{ "port 65536", "https://example.com:65536/", INKAN_ERR_INVAL, NULL },
	{ "empty port", "https://example.com:/", INKAN_ERR_INVAL, NULL },
	{ "port not a number", "https://example.com:https/", INKAN_ERR_INVAL,
	    NULL },
	{ "empty label", "https://example..com/", INKAN_ERR_INVAL, NULL },
	{ "leading dot", "https://.example.com/", INKAN_ERR_INVAL, NULL },
	{ "leading hyphen", "https://-a.example.com/", INKAN_ERR_INVAL, NULL },
	{ "trailing hyphen", "https://a-.example.com/", INKAN_ERR_INVAL, NULL },
	{ "underscore", "https://a_b.example.com/", INKAN_ERR_INVAL, NULL },
	{ "UTF-8 host", "https://\xc3\xa9.example/", INKAN_ERR_INVAL, NULL },
	{ "fragment", "https://example.com/#x", INKAN_ERR_INVAL, NULL },
	{ "space in path", "https://example.com/a b", INKAN_ERR_INVAL, NULL },
	{ "CRLF in path", "https://example.com/a\r\nHost: x", INKAN_ERR_INVAL,
	    NULL },
	{ "backslash", "https://example.com\\@evil.test/", INKAN_ERR_INVAL,
	    NULL },
	{ "backslash in path", "https://example.com/a\\b", INKAN_ERR_INVAL,
	    NULL },
	{ "bad percent", "https://example.com/%zz", INKAN_ERR_INVAL, NULL },
	{ "cut percent", "https://example.com/%a", INKAN_ERR_INVAL, NULL },
	{ "non-ASCII path", "https://example.com/\xff", INKAN_ERR_INVAL, NULL },
};

static void
test_url_check(void **state)
{
	struct inkan_view host;
	char reason[INKAN_HTTPS_REASON_MAX];
	enum inkan_status st;
	size_t i;
	int bad = 0;

	(void)state;
	for (i = 0; i < sizeof(url_cases) / sizeof(url_cases[0]); i++) {
		const struct url_case *c = &url_cases[i];

		reason[0] = '\0';
		host = (struct inkan_view){ NULL, 0 };
		st = inkan_https_url_check(c->url, NULL, &host, reason);
		if (st != c->st) {
			printf("%s: got %s, want %s (%s)\n", c->name,
			    inkan_strerror(st), inkan_strerror(c->st), reason);
			bad++;
		} else if (st == INKAN_OK &&
		    !inkan_view_eq(host, inkan_view_cstr(c->host))) {
			printf("%s: got host \"%.*s\", want \"%s\"\n", c->name,
			    (int)host.len, (const char *)host.ptr, c->host);
			bad++;
		} else if (st != INKAN_OK && reason[0] == '\0') {
			printf("%s: no reason\n", c->name);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

static void
test_url_limits(void **state)
{
	struct inkan_limits lim;
	char url[64];
	char reason[INKAN_HTTPS_REASON_MAX];

	(void)state;
	inkan_limits_default(&lim);
	snprintf(url, sizeof(url), "https://example.com/abcdef");
	lim.https_url_max = strlen(url);
	assert_int_equal(
	    inkan_https_url_check(url, &lim, NULL, NULL), INKAN_OK);
	lim.https_url_max--;
	assert_int_equal(
	    inkan_https_url_check(url, &lim, NULL, reason), INKAN_ERR_INVAL);
	assert_non_null(strstr(reason, "longer than"));
	assert_int_equal(
	    inkan_https_url_check(NULL, NULL, NULL, reason), INKAN_ERR_INVAL);
}

struct options_case {
	const char *name;
	const char *resolve;
	const char *user_agent;
	const char *ca_file;
	size_t body_max;
	unsigned timeout_ms;
	enum inkan_status st;
};

static const struct options_case options_cases[] = {
	{ "defaults", NULL, NULL, NULL, 1, 1, INKAN_OK },
	{ "resolve IPv4", "mta-sts.a.test:443:127.0.0.1", NULL, NULL, 1, 1,
	    INKAN_OK },
	{ "resolve IPv4 and port", "mta-sts.a.test:443:127.0.0.1:8443", NULL,
	    NULL, 1, 1, INKAN_OK },
	{ "resolve IPv6", "a.test:443:[::1]", NULL, NULL, 1, 1, INKAN_OK },
	{ "resolve IPv6 and port", "a.test:443:[2001:db8::1]:1", NULL, NULL, 1,
	    1, INKAN_OK },
	{ "resolve no address", "a.test:443", NULL, NULL, 1, 1,
	    INKAN_ERR_INVAL },
	{ "resolve empty address", "a.test:443:", NULL, NULL, 1, 1,
	    INKAN_ERR_INVAL },
	{ "resolve host name as address", "a.test:443:b.test", NULL, NULL, 1, 1,
	    INKAN_ERR_INVAL },
	{ "resolve IPv6 unbracketed", "a.test:443:::1", NULL, NULL, 1, 1,
	    INKAN_ERR_INVAL },
	{ "resolve IPv6 unclosed", "a.test:443:[::1", NULL, NULL, 1, 1,
	    INKAN_ERR_INVAL },
	{ "resolve bytes after ]", "a.test:443:[::1]x", NULL, NULL, 1, 1,
	    INKAN_ERR_INVAL },
	{ "resolve port 0", "a.test:0:127.0.0.1", NULL, NULL, 1, 1,
	    INKAN_ERR_INVAL },
	{ "resolve second port 0", "a.test:443:127.0.0.1:0", NULL, NULL, 1, 1,
	    INKAN_ERR_INVAL },
	{ "resolve empty second port", "a.test:443:127.0.0.1:", NULL, NULL, 1,
	    1, INKAN_ERR_INVAL },
	{ "resolve fifth field", "a.test:443:127.0.0.1:1:2", NULL, NULL, 1, 1,
	    INKAN_ERR_INVAL },
	{ "resolve bad host", "a_b.test:443:127.0.0.1", NULL, NULL, 1, 1,
	    INKAN_ERR_INVAL },
	{ "resolve empty", "", NULL, NULL, 1, 1, INKAN_ERR_INVAL },
	{ "user agent", NULL, "probe/1.0 (+https://example.com)", NULL, 1, 1,
	    INKAN_OK },
	{ "user agent with CRLF", NULL, "x\r\nHost: evil", NULL, 1, 1,
	    INKAN_ERR_INVAL },
	{ "user agent with DEL", NULL, "x\x7f", NULL, 1, 1, INKAN_ERR_INVAL },
	{ "user agent empty", NULL, "", NULL, 1, 1, INKAN_ERR_INVAL },
	{ "CA file empty", NULL, NULL, "", 1, 1, INKAN_ERR_INVAL },
	{ "body_max 0", NULL, NULL, NULL, 0, 1, INKAN_ERR_INVAL },
	{ "timeout 0", NULL, NULL, NULL, 1, 0, INKAN_ERR_INVAL },
};

static void
test_options_check(void **state)
{
	struct inkan_https_options o;
	char reason[INKAN_HTTPS_REASON_MAX];
	enum inkan_status st;
	size_t i;
	int bad = 0;

	(void)state;
	for (i = 0; i < sizeof(options_cases) / sizeof(options_cases[0]); i++) {
		const struct options_case *c = &options_cases[i];

		inkan_https_options_init(&o, NULL);
		o.resolve = c->resolve;
		o.user_agent = c->user_agent;
		o.ca_file = c->ca_file;
		o.body_max = c->body_max;
		o.timeout_ms = c->timeout_ms;
		reason[0] = '\0';
		st = inkan_https_options_check(&o, reason);
		if (st != c->st || (st != INKAN_OK && reason[0] == '\0')) {
			printf("%s: got %s, want %s (%s)\n", c->name,
			    inkan_strerror(st), inkan_strerror(c->st), reason);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

static void
test_user_agent_length(void **state)
{
	struct inkan_https_options o;
	char ua[INKAN_HTTPS_USER_AGENT_MAX + 2];

	(void)state;
	inkan_https_options_init(&o, NULL);
	memset(ua, 'a', sizeof(ua) - 1);
	ua[sizeof(ua) - 1] = '\0';
	o.user_agent = ua;
	assert_int_equal(inkan_https_options_check(&o, NULL), INKAN_ERR_INVAL);
	ua[INKAN_HTTPS_USER_AGENT_MAX] = '\0';
	assert_int_equal(inkan_https_options_check(&o, NULL), INKAN_OK);
}

static void
test_options_init(void **state)
{
	struct inkan_https_options o;
	struct inkan_limits lim;

	(void)state;
	inkan_https_options_init(&o, NULL);
	assert_int_equal(o.timeout_ms, INKAN_HTTPS_TIMEOUT_MS);
	assert_int_equal(o.body_max, INKAN_HTTPS_BODY_MAX);
	assert_null(o.ca_file);
	assert_null(o.resolve);
	assert_null(o.user_agent);
	inkan_limits_default(&lim);
	lim.https_timeout_ms = 5;
	lim.https_body_max = 7;
	inkan_https_options_init(&o, &lim);
	assert_int_equal(o.timeout_ms, 5);
	assert_int_equal(o.body_max, 7);
	/* RFC 8461 3.3 suggests one minute. */
	assert_true(INKAN_HTTPS_TIMEOUT_MS <= 60000);
}

static void
test_failure_names(void **state)
{
	static const char *const want[] = { "none", "url", "options", "dns",
		"connect", "tls", "cert-untrusted", "cert-name", "timeout",
		"too-large", "redirect", "protocol", "nomem", "other" };
	int f;

	(void)state;
	for (f = INKAN_HTTPS_FAIL_NONE; f <= INKAN_HTTPS_FAIL_OTHER; f++)
		assert_string_equal(
		    inkan_https_failure_name((enum inkan_https_failure)f),
		    want[f]);
	assert_string_equal(
	    inkan_https_failure_name((enum inkan_https_failure)99), "other");
}

/* Bad URLs and options fail before libcurl is asked for anything. */
static void
test_get_refuses_early(void **state)
{
	struct inkan_https_options o;
	struct inkan_https_response r;

	(void)state;
	inkan_https_response_init(&r);
	assert_int_equal(
	    inkan_https_get("http://example.com/", NULL, &r), INKAN_ERR_INVAL);
	assert_int_equal(r.failure, INKAN_HTTPS_FAIL_URL);
	assert_non_null(strstr(r.reason, "https://"));
	assert_int_equal(r.status, 0);
	assert_null(r.content_type);

	inkan_https_options_init(&o, NULL);
	o.resolve = "example.com:443:not-an-address";
	assert_int_equal(
	    inkan_https_get("https://example.com/", &o, &r), INKAN_ERR_INVAL);
	assert_int_equal(r.failure, INKAN_HTTPS_FAIL_OPTIONS);
	assert_non_null(strstr(r.reason, "resolve"));

	o.resolve = NULL;
	o.timeout_ms = 0;
	assert_int_equal(
	    inkan_https_get("https://example.com/", &o, &r), INKAN_ERR_INVAL);
	assert_int_equal(r.failure, INKAN_HTTPS_FAIL_OPTIONS);
	inkan_https_response_clear(&r);
	assert_int_equal(r.failure, INKAN_HTTPS_FAIL_NONE);
	assert_string_equal(r.reason, "");
	assert_int_equal(r.body.len, 0);
	inkan_https_response_clear(&r);
}

static void
test_global_init(void **state)
{
	(void)state;
	assert_int_equal(inkan_https_global_init(), INKAN_OK);
	assert_int_equal(inkan_https_global_init(), INKAN_OK);
}

struct domain_case {
	const char *name;
	const char *domain;
};

/* Domains that would move bytes out of the URL's host: refused before
   any request. */
static const struct domain_case bad_domains[] = {
	{ "empty", "" },
	{ "only a dot", "." },
	{ "two final dots", "example.com.." },
	{ "path", "example.com/evil" },
	{ "query", "example.com?x" },
	{ "port", "example.com:8443" },
	{ "user", "evil@example.com" },
	{ "fragment", "example.com#x" },
	{ "space", "example .com" },
	{ "CRLF", "example.com\r\n" },
	{ "underscore", "_mta-sts.example.com" },
	{ "UTF-8", "\xc3\xa9xample.com" },
	{ "empty label", "a..example.com" },
};

static void
test_fetch_refuses_bad_domains(void **state)
{
	struct inkan_mtasts_policy *pol = NULL;
	struct inkan_mtasts_error err;
	enum inkan_status st;
	size_t i;
	int bad = 0;

	(void)state;
	for (i = 0; i < sizeof(bad_domains) / sizeof(bad_domains[0]); i++) {
		memset(&err, 0, sizeof(err));
		st = inkan_mtasts_policy_fetch(
		    bad_domains[i].domain, NULL, NULL, &pol, &err);
		if (st != INKAN_ERR_INVAL || pol != NULL ||
		    err.message[0] == '\0') {
			printf("%s: got %s (%s), want %s\n",
			    bad_domains[i].name, inkan_strerror(st),
			    err.message, inkan_strerror(INKAN_ERR_INVAL));
			bad++;
		}
	}
	assert_int_equal(bad, 0);
	assert_int_equal(
	    inkan_mtasts_policy_fetch(NULL, NULL, NULL, &pol, NULL),
	    INKAN_ERR_INVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_url_check),
		cmocka_unit_test(test_url_limits),
		cmocka_unit_test(test_options_check),
		cmocka_unit_test(test_user_agent_length),
		cmocka_unit_test(test_options_init),
		cmocka_unit_test(test_failure_names),
		cmocka_unit_test(test_get_refuses_early),
		cmocka_unit_test(test_global_init),
		cmocka_unit_test(test_fetch_refuses_bad_domains),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
