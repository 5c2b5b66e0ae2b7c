/*
 * inkan/https.h: the one HTTPS client of inkan, a bounded GET over libcurl.
 *
 * MTA-STS policies (RFC 8461 3.3) and BIMI assets are fetched with it. It
 * does exactly one thing: GET an https:// URL, with the rules RFC 8461 3.3
 * asks of a policy fetch applied to every request:
 *
 * - HTTPS only: the URL must be https://, and libcurl is told to speak no
 *   other protocol. TLS 1.2 or later.
 * - The server certificate must chain to the system trust store (or the
 *   caller's CA file) and be valid for the URL's host name.
 * - Redirects are never followed: a 3xx answer is a failure
 *   (INKAN_HTTPS_FAIL_REDIRECT), with the status kept.
 * - The body is bounded while it is read: past body_max bytes the
 *   transfer stops (INKAN_HTTPS_FAIL_TOO_LARGE), whether the server sent
 *   a Content-Length, sent none, lied in it, or sent chunks. A body is
 *   never held beyond body_max.
 * - One total timeout covers name lookup, connect, TLS and the transfer.
 * - No proxy from the environment, no cookies, no .netrc, no compression
 *   (so no decompression bomb), no cache.
 *
 * Usage:
 *
 *	struct inkan_https_options opt;
 *	struct inkan_https_response resp;
 *
 *	inkan_https_options_init(&opt, NULL);	// defaults from limits.h
 *	opt.body_max = 65536;
 *	inkan_https_response_init(&resp);
 *	if (inkan_https_get("https://mta-sts.example.com/.well-known/"
 *	    "mta-sts.txt", &opt, &resp) != INKAN_OK)
 *		printf("%s: %s\n", inkan_https_failure_name(resp.failure),
 *		    resp.reason);	// "cert-untrusted: the server's ..."
 *	else
 *		use(resp.status, resp.content_type, resp.body.data,
 *		    resp.body.len);
 *	inkan_https_response_clear(&resp);
 *
 * libcurl's global state: the first inkan_https_get() calls
 * curl_global_init() once, under pthread_once(), so inkan's own callers
 * may start fetches from any number of threads. inkan never calls
 * curl_global_cleanup(). With libcurl older than 7.84, curl_global_init()
 * is not thread-safe against other users of libcurl in the same process:
 * an application that also uses libcurl itself should call
 * curl_global_init() (or inkan_https_global_init()) before it starts
 * threads. Each GET uses its own libcurl handle: no connection is reused
 * and nothing is shared between calls. libcurl is told to use no signals
 * (CURLOPT_NOSIGNAL), as a library in a threaded program must.
 *
 * libcurl must use OpenSSL (Debian's libcurl4-openssl-dev): OpenSSL's own
 * verdict on the certificate chain is what tells an untrusted certificate
 * (INKAN_HTTPS_FAIL_CERT_UNTRUSTED, with OpenSSL's reason: "unable to get
 * local issuer certificate", "certificate has expired") from one issued
 * for another name (INKAN_HTTPS_FAIL_CERT_NAME). With another TLS backend
 * both are reported as CERT_UNTRUSTED.
 */
#ifndef INKAN_HTTPS_H
#define INKAN_HTTPS_H

#include <inkan/common.h>
#include <inkan/limits.h>
#include <inkan/util.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The User-Agent sent when the options name none. */
#define INKAN_HTTPS_USER_AGENT "inkan/" INKAN_VERSION_STRING
/* A User-Agent of the caller's: printable ASCII, at most this long. */
#define INKAN_HTTPS_USER_AGENT_MAX 128
/* A resolve override "host:port:address[:port]", at most this long. */
#define INKAN_HTTPS_RESOLVE_MAX 320
/* The longest reason sentence, NUL included. */
#define INKAN_HTTPS_REASON_MAX 160

struct inkan_https_options {
	/* PEM file of the CAs to trust instead of the system trust store
	   (tests use a throwaway CA). NULL: the system trust store. */
	const char *ca_file;
	/*
	 * Connect to a given address instead of resolving a host name, like
	 * curl's --resolve and --connect-to: "host:port:address" sends
	 * connections for host:port to address:port; "host:port:address:
	 * port2" to address:port2. address is an IPv4 literal or an IPv6
	 * literal in brackets. The certificate is still checked against
	 * host. NULL: names are resolved as usual.
	 */
	const char *resolve;
	/* The largest body accepted, in bytes, at least 1. */
	size_t body_max;
	/* The whole request (lookup, connect, TLS, transfer) must finish
	   within this many milliseconds, at least 1. */
	unsigned timeout_ms;
	/* NULL: INKAN_HTTPS_USER_AGENT. */
	const char *user_agent;
};

/* Why a GET failed. Names from inkan_https_failure_name(). */
enum inkan_https_failure {
	INKAN_HTTPS_FAIL_NONE = 0, /* "none": a response arrived */
	INKAN_HTTPS_FAIL_URL, /* "url": not an https:// URL inkan accepts */
	INKAN_HTTPS_FAIL_OPTIONS, /* "options": bad options, CA file */
	INKAN_HTTPS_FAIL_DNS, /* "dns": the host name did not resolve */
	INKAN_HTTPS_FAIL_CONNECT, /* "connect": no connection, or it broke */
	INKAN_HTTPS_FAIL_TLS, /* "tls": the TLS handshake failed */
	INKAN_HTTPS_FAIL_CERT_UNTRUSTED, /* "cert-untrusted" */
	INKAN_HTTPS_FAIL_CERT_NAME, /* "cert-name": not valid for the host */
	INKAN_HTTPS_FAIL_TIMEOUT, /* "timeout" */
	INKAN_HTTPS_FAIL_TOO_LARGE, /* "too-large": body over body_max */
	INKAN_HTTPS_FAIL_REDIRECT, /* "redirect": a 3xx, not followed */
	INKAN_HTTPS_FAIL_PROTOCOL, /* "protocol": a malformed or cut answer */
	INKAN_HTTPS_FAIL_NOMEM, /* "nomem" */
	INKAN_HTTPS_FAIL_OTHER, /* "other": libcurl failed otherwise */
};

/* A short stable name ("cert-untrusted"), static, never NULL. */
INKAN_API const char *inkan_https_failure_name(enum inkan_https_failure f);

/*
 * What a GET brought back. Caller storage: inkan_https_response_init()
 * before the first use, inkan_https_response_clear() after the last. The
 * strings and the body belong to the response.
 */
struct inkan_https_response {
	/* The HTTP status (200, 404, 301...), 0 when no answer arrived. */
	int status;
	/* The Content-Type header as sent (attacker-controlled bytes:
	   escape before logging), NULL when the answer had none. */
	char *content_type;
	/* The body, at most body_max bytes, NUL-terminated (the NUL not
	   counted). On a failure it holds whatever had arrived. */
	struct inkan_buf body;
	enum inkan_https_failure failure;
	/* One sentence on what went wrong, "" on success. */
	char reason[INKAN_HTTPS_REASON_MAX];
};

INKAN_API void inkan_https_response_init(struct inkan_https_response *r);
/* Frees what r holds; r is as after init. */
INKAN_API void inkan_https_response_clear(struct inkan_https_response *r);

/*
 * Fills *o with the defaults: body_max = limits->https_body_max,
 * timeout_ms = limits->https_timeout_ms (limits NULL: the defaults), no CA
 * file, no resolve override, the default User-Agent.
 */
INKAN_API void inkan_https_options_init(
    struct inkan_https_options *o, const struct inkan_limits *limits);

/*
 * Checks options without using them: body_max and timeout_ms not 0,
 * ca_file not "" when set, resolve of the form above, user_agent
 * printable ASCII of at most INKAN_HTTPS_USER_AGENT_MAX bytes. Returns
 * INKAN_OK or INKAN_ERR_INVAL; reason_r (may be NULL, at least
 * INKAN_HTTPS_REASON_MAX bytes) says what is wrong.
 */
INKAN_API enum inkan_status inkan_https_options_check(
    const struct inkan_https_options *o, char *reason_r);

/*
 * Checks that url is one inkan fetches: "https://" (any case), a host
 * name of letters, digits, hyphens and dots (RFC 1123 2.1: labels of 1 to
 * 63 characters, 253 in all, no leading or trailing hyphen; a final dot
 * allowed), an optional :port (1 to 65535), then nothing, or a path and
 * query of RFC 3986 characters (no fragment, no space, no control or
 * non-ASCII byte, no backslash); no user:password@. At most
 * limits->https_url_max bytes (limits NULL: the defaults). Returns INKAN_OK
 * and, when host_r is not NULL, the host's place in url; or INKAN_ERR_INVAL
 * with reason_r (may be NULL, at least INKAN_HTTPS_REASON_MAX bytes)
 * saying why.
 */
INKAN_API enum inkan_status inkan_https_url_check(const char *url,
    const struct inkan_limits *limits, struct inkan_view *host_r,
    char *reason_r);

/*
 * Initialises libcurl once for the process (see the top of this file);
 * inkan_https_get() calls it itself. Returns INKAN_OK, or
 * INKAN_ERR_UNSUPPORTED when libcurl cannot be initialised or was built
 * without TLS.
 */
INKAN_API enum inkan_status inkan_https_global_init(void);

/*
 * GETs url (checked as inkan_https_url_check() does, with the default
 * limits) with options o (NULL: the defaults), blocking for at most
 * o->timeout_ms. resp must have been initialised; what it held is
 * cleared first. Returns:
 *  INKAN_OK: an answer arrived and was not a 3xx; resp->status may
 *   still be 404 or 500: judging the status is the caller's;
 *  INKAN_ERR_INVAL: a bad URL or bad options (failure URL or OPTIONS);
 *  INKAN_ERR_LIMIT: the body passed o->body_max (failure TOO_LARGE);
 *  INKAN_ERR_NOMEM;
 *  INKAN_ERR_UNSUPPORTED: libcurl could not be initialised;
 *  INKAN_ERR_IO: every other failure: DNS, connect, TLS, certificate,
 *   timeout, redirect, protocol.
 * On any failure resp->failure and resp->reason say what went wrong;
 * resp->status and resp->content_type are kept when an answer had
 * arrived (a redirect's 301, for one).
 */
INKAN_API enum inkan_status inkan_https_get(const char *url,
    const struct inkan_https_options *o, struct inkan_https_response *resp);

#ifdef __cplusplus
}
#endif

#endif
