/*
 * https.c: a bounded HTTPS GET over libcurl (see inkan/https.h).
 *
 * libcurl does HTTP and TLS; this file decides what libcurl may do
 * (https only, verified peers, no redirects, no proxy, a total timeout)
 * and turns each way a transfer can fail into one failure kind and one
 * sentence. The body goes through a write callback into an inkan_buf
 * whose maximum is body_max, so the limit holds however the server frames
 * the body (Content-Length, chunks, or until close): the transfer is
 * stopped at the first byte past the limit.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include "https/internal.h"

/* libcurl is initialised once per process (see inkan/https.h). */
static pthread_once_t global_once = PTHREAD_ONCE_INIT;
static enum inkan_status global_status = INKAN_ERR_UNSUPPORTED;
/* CURLINFO_SSL_VERIFYRESULT holds an OpenSSL X509_V_* code only when
   libcurl's TLS backend is OpenSSL. */
static bool global_openssl;

static void
global_init_once(void)
{
	const curl_version_info_data *info;
	const char *const *p;
	bool https = false;

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return;
	info = curl_version_info(CURLVERSION_NOW);
	if (info == NULL || (info->features & CURL_VERSION_SSL) == 0)
		return;
	for (p = info->protocols; p != NULL && *p != NULL; p++)
		if (strcmp(*p, "https") == 0)
			https = true;
	if (!https)
		return;
	global_openssl = info->ssl_version != NULL &&
	    strncmp(info->ssl_version, "OpenSSL", 7) == 0;
	global_status = INKAN_OK;
}

enum inkan_status
inkan_https_global_init(void)
{
	if (pthread_once(&global_once, global_init_once) != 0)
		return INKAN_ERR_UNSUPPORTED;
	return global_status;
}

const char *
inkan_https_failure_name(enum inkan_https_failure f)
{
	switch (f) {
	case INKAN_HTTPS_FAIL_NONE:
		return "none";
	case INKAN_HTTPS_FAIL_URL:
		return "url";
	case INKAN_HTTPS_FAIL_OPTIONS:
		return "options";
	case INKAN_HTTPS_FAIL_DNS:
		return "dns";
	case INKAN_HTTPS_FAIL_CONNECT:
		return "connect";
	case INKAN_HTTPS_FAIL_TLS:
		return "tls";
	case INKAN_HTTPS_FAIL_CERT_UNTRUSTED:
		return "cert-untrusted";
	case INKAN_HTTPS_FAIL_CERT_NAME:
		return "cert-name";
	case INKAN_HTTPS_FAIL_TIMEOUT:
		return "timeout";
	case INKAN_HTTPS_FAIL_TOO_LARGE:
		return "too-large";
	case INKAN_HTTPS_FAIL_REDIRECT:
		return "redirect";
	case INKAN_HTTPS_FAIL_PROTOCOL:
		return "protocol";
	case INKAN_HTTPS_FAIL_NOMEM:
		return "nomem";
	case INKAN_HTTPS_FAIL_OTHER:
		return "other";
	}
	return "other";
}

void
inkan_https_response_init(struct inkan_https_response *r)
{
	memset(r, 0, sizeof(*r));
	inkan_buf_init(&r->body, 0);
}

void
inkan_https_response_clear(struct inkan_https_response *r)
{
	inkan_buf_clear(&r->body);
	free(r->content_type);
	inkan_https_response_init(r);
}

/* Records a failure in r and returns st. */
static enum inkan_status fail(struct inkan_https_response *r,
    enum inkan_status st, enum inkan_https_failure f, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static enum inkan_status
fail(struct inkan_https_response *r, enum inkan_status st,
    enum inkan_https_failure f, const char *fmt, ...)
{
	va_list ap;

	r->failure = f;
	va_start(ap, fmt);
	vsnprintf(r->reason, sizeof(r->reason), fmt, ap);
	va_end(ap);
	return st;
}

/* The state the write callback sees. */
struct transfer {
	struct inkan_buf *body;
	bool too_large; /* the body passed its maximum */
	bool nomem;
	/* What OpenSSL said of the certificate chain, once it was checked
	   (see on_verify_chain()). */
	bool chain_checked;
	int chain_error; /* X509_V_OK or an X509_V_ERR_* code */
};

/*
 * libcurl's write callback: appends a piece of the body, or stops the
 * transfer (by taking fewer bytes than offered) at the first byte past
 * the maximum.
 */
static size_t
on_body(char *p, size_t size, size_t nmemb, void *arg)
{
	struct transfer *t = arg;
	size_t n;

	if (!inkan_size_mul(size, nmemb, &n) ||
	    n > t->body->max - t->body->len) {
		t->too_large = true;
		return 0;
	}
	if (inkan_buf_append(t->body, p, n) != INKAN_OK) {
		t->nomem = true;
		return 0;
	}
	return n;
}

/*
 * OpenSSL's chain verification, run as usual, with its verdict kept:
 * libcurl reports an untrusted chain and a certificate for another name
 * with the same code, CURLE_PEER_FAILED_VERIFICATION, and keeps no
 * reliable record of which it was. A chain that verified but was still
 * refused was refused for its name.
 */
static int
on_verify_chain(X509_STORE_CTX *x, void *arg)
{
	struct transfer *t = arg;
	int ok = X509_verify_cert(x);

	t->chain_checked = true;
	t->chain_error = X509_V_OK;
	if (ok != 1) {
		t->chain_error = X509_STORE_CTX_get_error(x);
		/* A failure (ok < 0: an internal error) without a code is
		   still a chain that did not verify. */
		if (t->chain_error == X509_V_OK)
			t->chain_error = X509_V_ERR_UNSPECIFIED;
	}
	return ok;
}

/* libcurl's hook into the SSL_CTX it made, before the handshake. */
static CURLcode
on_ssl_ctx(CURL *h, void *ctx, void *arg)
{
	(void)h;
	SSL_CTX_set_cert_verify_callback(ctx, on_verify_chain, arg);
	return CURLE_OK;
}

/*
 * The "host:port:address:port" line CURLOPT_CONNECT_TO takes, from the
 * checked resolve option, appended to out.
 */
static enum inkan_status
connect_to_line(const char *resolve, struct inkan_buf *out, char *reason)
{
	struct https_resolve r;
	enum inkan_status st;

	if ((st = https_resolve_parse(resolve, &r, reason)) != INKAN_OK)
		return st;
	return inkan_buf_printf(out, "%.*s:%.*s:%.*s:%.*s", (int)r.host.len,
	    (const char *)r.host.ptr, (int)r.port.len, (const char *)r.port.ptr,
	    (int)r.address.len, (const char *)r.address.ptr,
	    (int)r.address_port.len, (const char *)r.address_port.ptr);
}

/* libcurl may speak https and nothing else, redirected or not. */
static CURLcode
https_only(CURL *h)
{
#if LIBCURL_VERSION_NUM >= 0x075500 /* 7.85.0 */
	return curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "https");
#else
	return curl_easy_setopt(h, CURLOPT_PROTOCOLS, (long)CURLPROTO_HTTPS);
#endif
}

/*
 * Everything libcurl is allowed to do, set on h. Every option that makes
 * the fetch safe is set explicitly, even where it is libcurl's default,
 * so that a libcurl built with other defaults changes nothing.
 */
static CURLcode
configure(CURL *h, const char *url, const struct inkan_https_options *o,
    struct curl_slist *connect_to, struct transfer *t)
{
	CURLcode rc;
	const char *ua =
	    o->user_agent != NULL ? o->user_agent : INKAN_HTTPS_USER_AGENT;

	if ((rc = curl_easy_setopt(h, CURLOPT_URL, url)) != CURLE_OK ||
	    (rc = curl_easy_setopt(h, CURLOPT_HTTPGET, 1L)) != CURLE_OK ||
	    (rc = curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L)) != CURLE_OK ||
	    (rc = curl_easy_setopt(h, CURLOPT_USERAGENT, ua)) != CURLE_OK)
		return rc;
	/* RFC 8461 3.3: HTTPS only, and never a redirect. */
	if ((rc = https_only(h)) != CURLE_OK)
		return rc;
	if ((rc = curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L)) !=
		CURLE_OK ||
	    (rc = curl_easy_setopt(h, CURLOPT_MAXREDIRS, 0L)) != CURLE_OK)
		return rc;
	/* RFC 8461 3.3: a certificate valid for the host, chaining to a
	   trusted root. TLS 1.0 and 1.1 are deprecated (RFC 8996). */
	if ((rc = curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L)) !=
		CURLE_OK ||
	    (rc = curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L)) !=
		CURLE_OK ||
	    (rc = curl_easy_setopt(h, CURLOPT_SSLVERSION,
		 (long)CURL_SSLVERSION_TLSv1_2)) != CURLE_OK)
		return rc;
	/* Only with the OpenSSL backend, which alone calls this hook; the
	   failure is then named less precisely (fail_verification()). */
	if (global_openssl &&
	    ((rc = curl_easy_setopt(h, CURLOPT_SSL_CTX_FUNCTION, on_ssl_ctx)) !=
		    CURLE_OK ||
		(rc = curl_easy_setopt(h, CURLOPT_SSL_CTX_DATA, t)) !=
		    CURLE_OK))
		return rc;
	if (o->ca_file != NULL &&
	    ((rc = curl_easy_setopt(h, CURLOPT_CAINFO, o->ca_file)) !=
		    CURLE_OK ||
		(rc = curl_easy_setopt(h, CURLOPT_CAPATH, NULL)) != CURLE_OK))
		return rc;
	if (connect_to != NULL &&
	    (rc = curl_easy_setopt(h, CURLOPT_CONNECT_TO, connect_to)) !=
		CURLE_OK)
		return rc;
	/* No proxy from http_proxy/https_proxy: the fetch goes where the
	   URL says. No decoding: the bytes counted are the bytes kept. */
	if ((rc = curl_easy_setopt(h, CURLOPT_PROXY, "")) != CURLE_OK ||
	    (rc = curl_easy_setopt(h, CURLOPT_HTTP_CONTENT_DECODING, 0L)) !=
		CURLE_OK ||
	    (rc = curl_easy_setopt(
		 h, CURLOPT_TIMEOUT_MS, (long)o->timeout_ms)) != CURLE_OK)
		return rc;
	/* RFC 8461 3.3: a size limit. A Content-Length over it is refused
	   before the body is read; on_body() enforces it in every case. */
	if ((rc = curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE,
		 (curl_off_t)o->body_max)) != CURLE_OK ||
	    (rc = curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body)) !=
		CURLE_OK ||
	    (rc = curl_easy_setopt(h, CURLOPT_WRITEDATA, t)) != CURLE_OK)
		return rc;
	return CURLE_OK;
}

/*
 * A certificate that failed verification: untrusted (its chain, as
 * on_verify_chain() saw it) or not valid for the host (its name: the
 * chain was fine, or OpenSSL itself checked the name).
 */
static enum inkan_status
fail_verification(const struct transfer *t, struct inkan_https_response *r)
{
	if (!t->chain_checked)
		return fail(r, INKAN_ERR_IO, INKAN_HTTPS_FAIL_CERT_UNTRUSTED,
		    "the server's certificate failed verification");
	if (t->chain_error == X509_V_OK ||
	    t->chain_error == X509_V_ERR_HOSTNAME_MISMATCH)
		return fail(r, INKAN_ERR_IO, INKAN_HTTPS_FAIL_CERT_NAME,
		    "the server's certificate is not valid for the host name");
	return fail(r, INKAN_ERR_IO, INKAN_HTTPS_FAIL_CERT_UNTRUSTED,
	    "the server's certificate is not trusted (%s)",
	    X509_verify_cert_error_string(t->chain_error));
}

/* Turns a failed transfer into a failure kind and a sentence. */
static enum inkan_status
fail_transfer(CURLcode rc, const struct inkan_https_options *o,
    const struct transfer *t, struct inkan_https_response *r)
{
	if (t->too_large || rc == CURLE_FILESIZE_EXCEEDED)
		return fail(r, INKAN_ERR_LIMIT, INKAN_HTTPS_FAIL_TOO_LARGE,
		    "the body is larger than %zu bytes", o->body_max);
	if (t->nomem || rc == CURLE_OUT_OF_MEMORY)
		return fail(r, INKAN_ERR_NOMEM, INKAN_HTTPS_FAIL_NOMEM,
		    "out of memory");
	switch (rc) {
	case CURLE_COULDNT_RESOLVE_HOST:
		return fail(r, INKAN_ERR_IO, INKAN_HTTPS_FAIL_DNS,
		    "the host name did not resolve");
	case CURLE_COULDNT_CONNECT:
		return fail(r, INKAN_ERR_IO, INKAN_HTTPS_FAIL_CONNECT,
		    "could not connect to the server");
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
		return fail(r, INKAN_ERR_IO, INKAN_HTTPS_FAIL_CONNECT,
		    "the connection to the server broke (%s)",
		    curl_easy_strerror(rc));
	case CURLE_OPERATION_TIMEDOUT:
		return fail(r, INKAN_ERR_IO, INKAN_HTTPS_FAIL_TIMEOUT,
		    "no complete answer within %u ms", o->timeout_ms);
	case CURLE_PEER_FAILED_VERIFICATION:
		return fail_verification(t, r);
	case CURLE_SSL_CACERT_BADFILE:
		return fail(r, INKAN_ERR_INVAL, INKAN_HTTPS_FAIL_OPTIONS,
		    "the CA file could not be loaded");
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_INVALIDCERTSTATUS:
	case CURLE_SSL_SHUTDOWN_FAILED:
		return fail(r, INKAN_ERR_IO, INKAN_HTTPS_FAIL_TLS,
		    "the TLS handshake failed (%s)", curl_easy_strerror(rc));
	case CURLE_URL_MALFORMAT:
		return fail(r, INKAN_ERR_INVAL, INKAN_HTTPS_FAIL_URL,
		    "libcurl refused the URL (%s)", curl_easy_strerror(rc));
	case CURLE_GOT_NOTHING:
		return fail(r, INKAN_ERR_IO, INKAN_HTTPS_FAIL_PROTOCOL,
		    "the server closed the connection without an answer");
	case CURLE_PARTIAL_FILE:
		return fail(r, INKAN_ERR_IO, INKAN_HTTPS_FAIL_PROTOCOL,
		    "the connection closed before the whole body arrived");
	/* The URL was checked to be https://, which libcurl supports (see
	   global_init_once()): this is an answer without an HTTP/1.x or
	   HTTP/2 status line, which libcurl takes for HTTP/0.9. */
	case CURLE_UNSUPPORTED_PROTOCOL:
	case CURLE_WEIRD_SERVER_REPLY:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
	case CURLE_BAD_CONTENT_ENCODING:
	case CURLE_HTTP3:
		return fail(r, INKAN_ERR_IO, INKAN_HTTPS_FAIL_PROTOCOL,
		    "the server's answer is not valid HTTP (%s)",
		    curl_easy_strerror(rc));
	default:
		return fail(r, INKAN_ERR_IO, INKAN_HTTPS_FAIL_OTHER,
		    "the request failed (libcurl: %s)", curl_easy_strerror(rc));
	}
}

/* Copies what arrived of the answer (status, Content-Type) into r. */
static enum inkan_status
keep_answer(CURL *h, struct inkan_https_response *r)
{
	long code = 0;
	char *ct = NULL;

	if (curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code) == CURLE_OK &&
	    code >= 100 && code <= 999)
		r->status = (int)code;
	if (curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &ct) == CURLE_OK &&
	    ct != NULL && (r->content_type = strdup(ct)) == NULL)
		return INKAN_ERR_NOMEM;
	return INKAN_OK;
}

enum inkan_status
inkan_https_get(const char *url, const struct inkan_https_options *o,
    struct inkan_https_response *r)
{
	struct inkan_https_options defaults;
	struct inkan_buf line;
	struct curl_slist *connect_to = NULL;
	struct transfer t;
	CURL *h = NULL;
	CURLcode rc;
	enum inkan_status st;

	inkan_https_response_clear(r);
	inkan_buf_init(&line, INKAN_HTTPS_RESOLVE_MAX + 1);
	if (o == NULL) {
		inkan_https_options_init(&defaults, NULL);
		o = &defaults;
	}
	if ((st = inkan_https_url_check(url, NULL, NULL, r->reason)) !=
	    INKAN_OK) {
		r->failure = INKAN_HTTPS_FAIL_URL;
		goto out;
	}
	if ((st = inkan_https_options_check(o, r->reason)) != INKAN_OK) {
		r->failure = INKAN_HTTPS_FAIL_OPTIONS;
		goto out;
	}
	if ((st = inkan_https_global_init()) != INKAN_OK) {
		st = fail(r, st, INKAN_HTTPS_FAIL_OTHER,
		    "libcurl could not be initialised for HTTPS");
		goto out;
	}
	inkan_buf_init(&r->body, o->body_max);
	t = (struct transfer){ .body = &r->body };
	if (o->resolve != NULL) {
		if ((st = connect_to_line(o->resolve, &line, r->reason)) !=
		    INKAN_OK) {
			r->failure = st == INKAN_ERR_NOMEM
			    ? INKAN_HTTPS_FAIL_NOMEM
			    : INKAN_HTTPS_FAIL_OPTIONS;
			goto out;
		}
		if ((connect_to = curl_slist_append(
			 NULL, inkan_buf_cstr(&line))) == NULL) {
			st = fail(r, INKAN_ERR_NOMEM, INKAN_HTTPS_FAIL_NOMEM,
			    "out of memory");
			goto out;
		}
	}
	if ((h = curl_easy_init()) == NULL) {
		st = fail(r, INKAN_ERR_NOMEM, INKAN_HTTPS_FAIL_NOMEM,
		    "libcurl could not make a handle");
		goto out;
	}
	if ((rc = configure(h, url, o, connect_to, &t)) != CURLE_OK) {
		st = fail(r, INKAN_ERR_UNSUPPORTED, INKAN_HTTPS_FAIL_OTHER,
		    "libcurl refused a required option (%s)",
		    curl_easy_strerror(rc));
		goto out;
	}
	rc = curl_easy_perform(h);
	if (keep_answer(h, r) != INKAN_OK) {
		st = fail(r, INKAN_ERR_NOMEM, INKAN_HTTPS_FAIL_NOMEM,
		    "out of memory");
		goto out;
	}
	if (rc != CURLE_OK) {
		st = fail_transfer(rc, o, &t, r);
		goto out;
	}
	/* RFC 8461 3.3: "HTTP 3xx redirects MUST NOT be followed". */
	if (r->status >= 300 && r->status <= 399) {
		st = fail(r, INKAN_ERR_IO, INKAN_HTTPS_FAIL_REDIRECT,
		    "the server answered %d, a redirect, which is not "
		    "followed (RFC 8461 3.3)",
		    r->status);
		goto out;
	}
	st = INKAN_OK;
out:
	curl_easy_cleanup(h);
	curl_slist_free_all(connect_to);
	inkan_buf_clear(&line);
	return st;
}
