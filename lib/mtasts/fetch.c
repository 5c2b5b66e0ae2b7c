/*
 * fetch.c: an MTA-STS policy fetched over HTTPS (RFC 8461 3.3) through
 * lib/https, then checked and parsed by inkan_mtasts_policy_from_response().
 *
 * lib/https applies 3.3's transport rules (HTTPS, a certificate valid for
 * mta-sts.<domain>, no redirects, a total timeout); this file picks the
 * URL and the size limit, and hands the answer over.
 */
#include <stdio.h>
#include <string.h>

#include <inkan/https.h>
#include <inkan/mtasts.h>

static enum inkan_status
fail(struct inkan_mtasts_error *err, enum inkan_status st, const char *msg)
{
	if (err != NULL) {
		err->offset = 0;
		snprintf(err->message, sizeof(err->message), "%s", msg);
	}
	return st;
}

/*
 * True if the URL's host is exactly "mta-sts." and the domain: the domain
 * brought no ":", "/", "?" or "@" that would have moved bytes out of the
 * host and into the port or the path.
 */
static bool
host_is_policy_host(struct inkan_view host, const char *domain)
{
	static const char prefix[] = "mta-sts.";
	struct inkan_view d = inkan_view_cstr(domain);

	if (d.len > 0 && d.ptr[d.len - 1] == '.')
		d.len--;
	if (d.len == 0 || d.ptr[d.len - 1] == '.')
		return false;
	if (host.len > 0 && host.ptr[host.len - 1] == '.')
		host.len--;
	return host.len == sizeof(prefix) - 1 + d.len &&
	    inkan_view_prefix_nocase(host, INKAN_VIEW_LIT(prefix)) &&
	    inkan_view_eq_nocase(
		inkan_view_sub(host, sizeof(prefix) - 1, d.len), d);
}

enum inkan_status
inkan_mtasts_policy_fetch(const char *domain,
    const struct inkan_https_options *https, const struct inkan_limits *lim,
    struct inkan_mtasts_policy **pol_r, struct inkan_mtasts_error *err)
{
	struct inkan_https_options opt;
	struct inkan_https_response resp;
	struct inkan_buf url;
	struct inkan_view host;
	enum inkan_status st;

	*pol_r = NULL;
	if (lim == NULL)
		lim = inkan_limits_defaults();
	inkan_buf_init(&url, lim->https_url_max);
	inkan_https_response_init(&resp);
	if (domain == NULL ||
	    (st = inkan_mtasts_policy_url(domain, &url)) == INKAN_ERR_INVAL) {
		st = fail(err, INKAN_ERR_INVAL, "the domain is empty");
		goto out;
	}
	if (st != INKAN_OK) {
		st = fail(err, st, "the domain is too long for a URL");
		goto out;
	}
	if (inkan_https_url_check(inkan_buf_cstr(&url), lim, &host, NULL) !=
		INKAN_OK ||
	    !host_is_policy_host(host, domain)) {
		st =
		    fail(err, INKAN_ERR_INVAL, "the domain is not a host name");
		goto out;
	}
	if (https != NULL)
		opt = *https;
	else
		inkan_https_options_init(&opt, lim);
	/* RFC 8461 3.3: "a suggested maximum policy size is 64 kilobytes". */
	opt.body_max = lim->mtasts_policy_max;
	st = inkan_https_get(inkan_buf_cstr(&url), &opt, &resp);
	if (st != INKAN_OK) {
		st = fail(err, st, resp.reason);
		goto out;
	}
	st = inkan_mtasts_policy_from_response(resp.status, resp.content_type,
	    inkan_buf_cstr(&resp.body), resp.body.len, lim, pol_r, err);
out:
	inkan_https_response_clear(&resp);
	inkan_buf_clear(&url);
	return st;
}
