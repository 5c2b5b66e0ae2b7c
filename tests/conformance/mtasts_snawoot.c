/*
 * mtasts_snawoot.c: MTA-STS (RFC 8461) against the fixtures of
 * postfix-mta-sts-resolver's integration tests
 * (INKAN_TESTSUITES_DIR/mta-sts-snawoot, unedited).
 *
 *	conformance_mtasts_snawoot CA_FILE SITES_DIR DOMAIN=PORT...
 *	conformance_mtasts_snawoot --no-https REASON
 *	conformance_mtasts_snawoot
 *
 * Upstream runs dnsmasq and nginx; this driver replays the same data
 * without them:
 *
 * - DNS from dnsmasq.conf.appendix, through the zone resolver:
 *   txt-record=NAME,"TEXT" adds the TXT record, address=/NAME/IP an A
 *   record, and server=/DOMAIN/ADDR (an address that never answers, as
 *   240.0.0.1 in the fixtures) makes _mta-sts.DOMAIN time out.
 * - HTTPS from nginx.conf: each server block of mta-sts.DOMAIN gives the
 *   response of its /.well-known/mta-sts.txt location: the status and
 *   body of `return`, the media type from default_type or a `types`
 *   block, and for the two content_by_lua_block generators the body
 *   their ngx.say / ngx.print lines and numeric for loop write.
 *
 * Checked: expected-status.tsv (VALID / NONE / FETCH_ERROR for each test
 * domain) through inkan_mtasts_record_lookup() and
 * inkan_mtasts_policy_from_response(); and refdata.tsv,
 * refdata_strict.tsv and refdata_nosni.tsv, the Postfix TLS policy map
 * answers the daemon gives ("OK secure match=PATTERNS servername=hostname"
 * when an enforced policy applies, else "NOTFOUND"), modelled with the
 * daemon's two options (strict: enforce testing policies too; nosni: no
 * servername=).
 *
 * The certificate cases (the rows of expected-status.tsv whose response
 * names the certificate: bad-cert1.loc, bad-cert2.loc) cannot be replayed:
 * upstream's harness makes their certificates at run time. They are
 * fetched for real instead, through inkan_mtasts_policy_fetch() and
 * lib/https, from the HTTPS servers tests/conformance/mtasts_snawoot.sh
 * starts on 127.0.0.1 with certificates made as the suite's README
 * describes: CA_FILE is the test CA the client trusts, DOMAIN=PORT the
 * server whose certificate is DOMAIN's, SITES_DIR where this driver
 * writes each nginx.conf site's response for those servers to serve.
 * The connection goes to the A record of mta-sts.DOMAIN from
 * dnsmasq.conf.appendix, at PORT, by the resolve override. Such a case
 * passes only when the fetch fails for its certificate, and CONTROL_DOMAIN
 * is fetched over the same path as a control that must succeed. With
 * --no-https (python3 or openssl is missing) or no arguments, these cases
 * are skipped with the reason.
 */
#include <stdlib.h>

#include <inkan/https.h>
#include <inkan/inkan.h>
#include <inkan/mtasts.h>

#include "suite.h"

#define SITES_MAX 64
#define NAME_MAX_LEN 256
#define SERVERS_MAX 8

/* Fetched over HTTPS besides the certificate cases: a good site with a
   correct certificate, so that a failure of theirs is not one of the
   path. tests/conformance/mtasts_snawoot.sh starts a server for it. */
#define CONTROL_DOMAIN "good.loc"
/* Never fires for a fetch that should succeed on a loaded machine. */
#define HTTPS_TIMEOUT_MS 20000u

struct site {
	char domain[NAME_MAX_LEN]; /* without "mta-sts." */
	int status;
	char content_type[64];
	struct inkan_buf body;
	bool has_location;
	/* expected-status.tsv says its certificate is what fails. */
	bool bad_certificate;
};

/* An HTTPS server the wrapper started: the one for domain's certificate. */
struct server {
	char domain[NAME_MAX_LEN];
	unsigned port;
};

struct fixtures {
	struct site sites[SITES_MAX];
	size_t nsites;
	char default_type[64];
	struct inkan_resolver *resolver;
	/* The real HTTPS fetches; skip_https set: none, and why. */
	const char *ca_file;
	const char *sites_dir;
	struct server servers[SERVERS_MAX];
	size_t nservers;
	const char *skip_https;
};

/* The outcome in the upstream resolver's words. */
enum outcome {
	OUT_VALID,
	OUT_NONE,
	OUT_FETCH_ERROR,
	OUT_SKIP,
};

static const char *const outcome_name[] = { "VALID", "NONE", "FETCH_ERROR",
	"SKIP" };

/* ---- small text helpers ------------------------------------------------ */

static struct inkan_view
trim(struct inkan_view v)
{
	return inkan_view_trim(v, INKAN_CC_WSP | INKAN_CC_CTL);
}

/* true and *rest_r the rest if v begins with the literal prefix. */
static bool
starts(struct inkan_view v, const char *prefix, struct inkan_view *rest_r)
{
	size_t n = strlen(prefix);

	if (v.len < n || memcmp(v.ptr, prefix, n) != 0)
		return false;
	if (rest_r != NULL)
		*rest_r = inkan_view_sub(v, n, v.len);
	return true;
}

static void
copy_view(char *dst, size_t size, struct inkan_view v)
{
	size_t n = v.len < size - 1 ? v.len : size - 1;

	memcpy(dst, v.ptr, n);
	dst[n] = '\0';
}

/*
 * Decodes the quoted string at the start of v ("..." with \n, \" and \\
 * escapes, as nginx and Lua write them) into out; *end_r is the index
 * after the closing quote. false when v has no such string.
 */
static bool
unquote(struct inkan_view v, struct inkan_buf *out, size_t *end_r)
{
	size_t i;

	if (v.len == 0 || v.ptr[0] != '"')
		return false;
	for (i = 1; i < v.len; i++) {
		uint8_t c = v.ptr[i];

		if (c == '"') {
			*end_r = i + 1;
			return out->err == INKAN_OK;
		}
		if (c == '\\' && i + 1 < v.len) {
			c = v.ptr[++i];
			if (c == 'n')
				c = '\n';
			else if (c == 't')
				c = '\t';
		}
		inkan_buf_append_byte(out, c);
	}
	return false;
}

/* ---- dnsmasq.conf.appendix ------------------------------------------------
 */

static bool
load_dns(struct fixtures *fx, struct inkan_view text)
{
	struct inkan_zone_error zerr;
	size_t pos = 0;

	while (pos < text.len) {
		struct inkan_view line, rest;
		size_t nl =
		    inkan_view_find(inkan_view_sub(text, pos, text.len), '\n');
		char name[NAME_MAX_LEN], rr[2 * NAME_MAX_LEN];

		line = trim(inkan_view_sub(text, pos, nl));
		pos += nl + 1;
		if (starts(line, "txt-record=", &rest)) {
			size_t comma = inkan_view_find(rest, ',');
			struct inkan_buf txt;
			struct inkan_view s;
			size_t end;
			bool ok;

			copy_view(
			    name, sizeof(name), inkan_view_sub(rest, 0, comma));
			inkan_buf_init(&txt, 255);
			ok = unquote(inkan_view_sub(rest, comma + 1, rest.len),
			    &txt, &end);
			s = inkan_view_make(
			    txt.data ? txt.data : (uint8_t *)"", txt.len);
			ok = ok &&
			    inkan_resolver_zone_add_txt(
				fx->resolver, name, 300, &s, 1) == INKAN_OK;
			inkan_buf_clear(&txt);
			if (!ok) {
				printf("dnsmasq: cannot use txt-record %s\n",
				    name);
				return false;
			}
		} else if (starts(line, "address=/", &rest)) {
			size_t slash = inkan_view_find(rest, '/');

			copy_view(
			    name, sizeof(name), inkan_view_sub(rest, 0, slash));
			snprintf(rr, sizeof(rr), "%s. 300 IN A %.*s", name,
			    (int)(rest.len - slash - 1),
			    (const char *)rest.ptr + slash + 1);
			if (inkan_resolver_zone_add_rr(
				fx->resolver, rr, &zerr) != INKAN_OK) {
				printf("dnsmasq: %s: %s\n", rr, zerr.message);
				return false;
			}
		} else if (starts(line, "server=/", &rest)) {
			/* A forwarder for DOMAIN that never answers. */
			size_t slash = inkan_view_find(rest, '/');

			copy_view(
			    name, sizeof(name), inkan_view_sub(rest, 0, slash));
			snprintf(rr, sizeof(rr), "_mta-sts.%s", name);
			if (inkan_resolver_zone_inject(fx->resolver, rr, 0,
				INKAN_DNS_TIMEOUT) != INKAN_OK)
				return false;
		}
	}
	return true;
}

/* ---- nginx.conf ------------------------------------------------------------
 */

/* Runs the Lua lines lines[0..n) (ngx.say, ngx.print, a for loop). */
static void
run_lua(struct inkan_view *lines, size_t n, struct inkan_buf *body)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct inkan_view l = lines[i], rest;
		size_t end;

		if (starts(l, "ngx.say(", &rest)) {
			if (unquote(rest, body, &end))
				inkan_buf_append_byte(body, '\n');
		} else if (starts(l, "ngx.print(", &rest)) {
			unquote(rest, body, &end);
		} else if (starts(l, "for i=", &rest)) {
			/* "for i=A, B, 1 do" ... "end": B - A + 1 times. */
			long a = strtol((const char *)rest.ptr, NULL, 10);
			size_t comma = inkan_view_find(rest, ',');
			long b = strtol(
			    (const char *)rest.ptr + comma + 1, NULL, 10);
			size_t j = i + 1;
			long t;

			while (j < n && !starts(lines[j], "end", NULL))
				j++;
			for (t = a; t <= b; t++)
				run_lua(lines + i + 1, j - i - 1, body);
			i = j;
		}
	}
}

static bool
load_http(struct fixtures *fx, struct inkan_view text)
{
	struct inkan_view lines[4096], lua[64];
	size_t nlines = 0, pos = 0, i, nlua = 0;
	struct site *cur = NULL;
	bool in_location = false, in_types = false, in_lua = false;

	while (pos < text.len && nlines < 4096) {
		size_t nl =
		    inkan_view_find(inkan_view_sub(text, pos, text.len), '\n');

		lines[nlines++] = trim(inkan_view_sub(text, pos, nl));
		pos += nl + 1;
	}
	for (i = 0; i < nlines; i++) {
		struct inkan_view l = lines[i], rest;
		size_t end;

		if (in_lua) {
			if (inkan_view_eq_cstr_nocase(l, "}")) {
				run_lua(lua, nlua, &cur->body);
				in_lua = false;
			} else if (nlua < 64) {
				lua[nlua++] = l;
			}
		} else if (in_types) {
			if (inkan_view_eq_cstr_nocase(l, "}"))
				in_types = false;
			else if (cur != NULL)
				copy_view(cur->content_type,
				    sizeof(cur->content_type),
				    inkan_view_sub(
					l, 0, inkan_view_find(l, ' ')));
		} else if (starts(l, "default_type ", &rest)) {
			copy_view(fx->default_type, sizeof(fx->default_type),
			    inkan_view_sub(
				rest, 0, inkan_view_find(rest, ';')));
		} else if (starts(l, "server {", NULL)) {
			if (fx->nsites == SITES_MAX)
				return false;
			cur = &fx->sites[fx->nsites++];
			inkan_buf_init(&cur->body, 1 << 20);
			cur->status = 200;
			copy_view(cur->content_type, sizeof(cur->content_type),
			    inkan_view_cstr(fx->default_type));
		} else if (cur != NULL &&
		    starts(l, "server_name mta-sts.", &rest)) {
			copy_view(cur->domain, sizeof(cur->domain),
			    inkan_view_sub(
				rest, 0, inkan_view_find(rest, ';')));
		} else if (cur != NULL &&
		    starts(l, "location = /.well-known/mta-sts.txt", NULL)) {
			in_location = true;
			cur->has_location = true;
		} else if (in_location && starts(l, "types {", NULL)) {
			in_types = true;
		} else if (in_location &&
		    starts(l, "content_by_lua_block", NULL)) {
			in_lua = true;
			nlua = 0;
		} else if (in_location && starts(l, "return ", &rest)) {
			cur->status =
			    (int)strtol((const char *)rest.ptr, NULL, 10);
			rest = trim(inkan_view_sub(
			    rest, inkan_view_find(rest, ' '), rest.len));
			unquote(rest, &cur->body, &end);
		} else if (in_location && inkan_view_eq_cstr_nocase(l, "}")) {
			in_location = false;
		}
	}
	return true;
}

static struct site *
find_site(const struct fixtures *fx, const char *domain)
{
	size_t i, n = strlen(domain);

	if (n > 0 && domain[n - 1] == '.')
		n--;
	for (i = 0; i < fx->nsites; i++)
		if (strlen(fx->sites[i].domain) == n &&
		    strncmp(fx->sites[i].domain, domain, n) == 0)
			return (struct site *)&fx->sites[i];
	return NULL;
}

/* ---- the real HTTPS fetches ---------------------------------------------- */

/*
 * Writes each site's response where the HTTPS servers read it
 * (tests/https/server.py --sites): the file SITES_DIR/mta-sts.DOMAIN, a
 * line "STATUS CONTENT-TYPE", then the body.
 */
static bool
write_sites(const struct fixtures *fx)
{
	char path[4096 + NAME_MAX_LEN];
	size_t i;

	for (i = 0; i < fx->nsites; i++) {
		const struct site *site = &fx->sites[i];
		FILE *f;
		bool ok;

		if (!site->has_location)
			continue;
		/* The name becomes a file name: no path in it. */
		if (site->domain[0] == '\0' || site->domain[0] == '.' ||
		    strchr(site->domain, '/') != NULL) {
			printf("nginx.conf: unusable server_name mta-sts.%s\n",
			    site->domain);
			return false;
		}
		snprintf(path, sizeof(path), "%s/mta-sts.%s", fx->sites_dir,
		    site->domain);
		if ((f = fopen(path, "wb")) == NULL) {
			printf("cannot write %s\n", path);
			return false;
		}
		ok = fprintf(f, "%d %s\n", site->status, site->content_type) >
			0 &&
		    fwrite(site->body.data != NULL ? site->body.data
						   : (const uint8_t *)"",
			1, site->body.len, f) == site->body.len;
		if (fclose(f) != 0 || !ok) {
			printf("cannot write %s\n", path);
			return false;
		}
	}
	return true;
}

static const struct server *
find_server(const struct fixtures *fx, const char *domain)
{
	size_t i, n = strlen(domain);

	if (n > 0 && domain[n - 1] == '.')
		n--;
	for (i = 0; i < fx->nservers; i++)
		if (strlen(fx->servers[i].domain) == n &&
		    strncmp(fx->servers[i].domain, domain, n) == 0)
			return &fx->servers[i];
	return NULL;
}

/*
 * domain's policy fetched for real: inkan_mtasts_policy_fetch() with the
 * test CA, connecting to the address dnsmasq gives mta-sts.DOMAIN, at the
 * port of the server the wrapper started for DOMAIN. INKAN_OK and *pol_r
 * (the caller frees it), or the failure with why.
 */
static enum inkan_status
fetch_https(const struct fixtures *fx, const char *domain,
    struct inkan_mtasts_policy **pol_r, char *why, size_t size)
{
	struct inkan_https_options o;
	struct inkan_mtasts_error err = { 0, "" };
	struct inkan_dns_answer *a = NULL;
	const struct server *srv;
	const uint8_t *ip;
	char host[NAME_MAX_LEN + 8], resolve[INKAN_HTTPS_RESOLVE_MAX];
	size_t n = strlen(domain);
	enum inkan_status st = INKAN_ERR_IO;

	if (n > 0 && domain[n - 1] == '.')
		n--;
	snprintf(host, sizeof(host), "mta-sts.%.*s", (int)n, domain);
	if ((srv = find_server(fx, domain)) == NULL) {
		snprintf(
		    why, size, "no HTTPS server was started for %.180s", host);
		return INKAN_ERR_IO;
	}
	if (inkan_resolver_lookup(fx->resolver, host, INKAN_DNS_A, &a) !=
		INKAN_OK ||
	    a->rcode != INKAN_DNS_NOERROR || a->count == 0 ||
	    a->records[0].is_raw) {
		snprintf(
		    why, size, "%.180s has no address in dnsmasq's data", host);
		goto out;
	}
	ip = a->records[0].u.addr;
	snprintf(resolve, sizeof(resolve), "%s:443:%u.%u.%u.%u:%u", host, ip[0],
	    ip[1], ip[2], ip[3], srv->port);
	inkan_https_options_init(&o, NULL);
	o.ca_file = fx->ca_file;
	o.resolve = resolve;
	o.timeout_ms = HTTPS_TIMEOUT_MS;
	st = inkan_mtasts_policy_fetch(domain, &o, NULL, pol_r, &err);
	if (st != INKAN_OK)
		snprintf(why, size, "%s", err.message);
out:
	inkan_dns_answer_free(&a);
	return st;
}

/* ---- the checks ---------------------------------------------------------- */

/*
 * MTA-STS for domain as the upstream resolver reports it; on VALID,
 * *pol_r is the policy (the caller frees it). why gets a reason. The
 * policy comes from nginx.conf's replayed response, or over_https from a
 * real fetch (fetch_https()).
 */
static enum outcome
fetch(const struct fixtures *fx, const char *domain, bool over_https,
    struct inkan_mtasts_policy **pol_r, char *why, size_t size)
{
	struct inkan_mtasts_record rec;
	struct inkan_mtasts_error err = { 0, "" };
	enum inkan_mtasts_lookup_status status;
	const struct site *site;

	*pol_r = NULL;
	if (inkan_mtasts_record_lookup(
		fx->resolver, domain, &rec, &status, &err) != INKAN_OK) {
		snprintf(why, size, "%s", err.message);
		return OUT_NONE;
	}
	/* RFC 8461 3.1: several records, or one that does not parse, mean
	   no MTA-STS, as upstream says "NONE". */
	if (status == INKAN_MTASTS_LOOKUP_NONE ||
	    status == INKAN_MTASTS_LOOKUP_SEVERAL ||
	    status == INKAN_MTASTS_LOOKUP_INVALID) {
		snprintf(why, size, "%s", err.message);
		return OUT_NONE;
	}
	if (status == INKAN_MTASTS_LOOKUP_TEMPERROR) {
		snprintf(why, size, "%s", err.message);
		return OUT_FETCH_ERROR;
	}
	if (over_https) {
		if (fetch_https(fx, domain, pol_r, why, size) != INKAN_OK)
			return OUT_FETCH_ERROR;
	} else if ((site = find_site(fx, domain)) == NULL ||
	    !site->has_location) {
		snprintf(why, size, "no HTTPS server for mta-sts.%s", domain);
		return OUT_FETCH_ERROR;
	} else if (inkan_mtasts_policy_from_response(site->status,
		       site->content_type, site->body.data, site->body.len,
		       NULL, pol_r, &err) != INKAN_OK) {
		snprintf(why, size, "%s", err.message);
		return OUT_FETCH_ERROR;
	}
	snprintf(why, size, "id=%s, mode %s%s", rec.id,
	    inkan_mtasts_mode_name((*pol_r)->mode),
	    over_https ? ", over HTTPS" : "");
	return OUT_VALID;
}

/* Column col (0-based) of a TAB-separated line. */
static struct inkan_view
column(struct inkan_view line, unsigned col)
{
	while (col-- > 0) {
		size_t tab = inkan_view_find(line, '\t');

		if (tab == line.len)
			return inkan_view_make(line.ptr + line.len, 0);
		line = inkan_view_sub(line, tab + 1, line.len);
	}
	return inkan_view_sub(line, 0, inkan_view_find(line, '\t'));
}

/*
 * The control for the certificate cases: CONTROL_DOMAIN over the same
 * real HTTPS path, with a correct certificate, must give want (its row's
 * outcome, VALID).
 */
static void
check_control(
    const struct fixtures *fx, const char *want, struct suite_counts *c)
{
	struct inkan_mtasts_policy *pol = NULL;
	char why[256];
	enum outcome got;

	if (fx->skip_https != NULL) {
		suite_skip(c,
		    "%-24s %s over HTTPS, the control of the certificate "
		    "cases: %s",
		    CONTROL_DOMAIN, want, fx->skip_https);
		return;
	}
	got = fetch(fx, CONTROL_DOMAIN, true, &pol, why, sizeof(why));
	if (strcmp(outcome_name[got], want) == 0)
		suite_ok(c,
		    "%-24s %s (%s), the control of the certificate cases",
		    CONTROL_DOMAIN, want, why);
	else
		suite_fail(c,
		    "%-24s got %s, want %s over HTTPS, the control of the "
		    "certificate cases (%s)",
		    CONTROL_DOMAIN, outcome_name[got], want, why);
	inkan_mtasts_policy_free(&pol);
}

static void
check_status(
    const struct fixtures *fx, struct inkan_view text, struct suite_counts *c)
{
	char control_want[32] = "";
	size_t pos = 0;

	while (pos < text.len) {
		size_t nl =
		    inkan_view_find(inkan_view_sub(text, pos, text.len), '\n');
		struct inkan_view line = inkan_view_sub(text, pos, nl);
		struct inkan_mtasts_policy *pol = NULL;
		char domain[NAME_MAX_LEN], want[32], why[256], resp[512];
		struct site *site;
		enum outcome got;

		pos += nl + 1;
		if (line.len == 0 || line.ptr[0] == '#')
			continue;
		copy_view(domain, sizeof(domain), column(line, 0));
		copy_view(want, sizeof(want), trim(column(line, 3)));
		copy_view(resp, sizeof(resp), column(line, 2));
		if (strcmp(domain, CONTROL_DOMAIN) == 0)
			copy_view(control_want, sizeof(control_want),
			    inkan_view_cstr(want));
		if (strstr(resp, "certificate") == NULL) {
			got = fetch(fx, domain, false, &pol, why, sizeof(why));
			if (strcmp(outcome_name[got], want) == 0)
				suite_ok(c, "%-24s %s (%s)", domain, want, why);
			else
				suite_fail(c, "%-24s got %s, want %s (%s)",
				    domain, outcome_name[got], want, why);
			inkan_mtasts_policy_free(&pol);
			continue;
		}
		/* A certificate case: fetched for real, and it must fail
		   for its certificate, not for something on the way. */
		site = find_site(fx, domain);
		if (site != NULL)
			site->bad_certificate = true;
		if (fx->skip_https != NULL) {
			suite_skip(c,
			    "%-24s %s: needs its certificate over real HTTPS, "
			    "and %s",
			    domain, want, fx->skip_https);
			continue;
		}
		got = fetch(fx, domain, true, &pol, why, sizeof(why));
		if (strcmp(outcome_name[got], want) != 0)
			suite_fail(c, "%-24s got %s, want %s (%s)", domain,
			    outcome_name[got], want, why);
		else if (got != OUT_VALID && strstr(why, "certificate") == NULL)
			suite_fail(c,
			    "%-24s got %s, but not for the certificate (%s)",
			    domain, want, why);
		else
			suite_ok(
			    c, "%-24s %s over HTTPS (%s)", domain, want, why);
		inkan_mtasts_policy_free(&pol);
	}
	if (control_want[0] != '\0')
		check_control(fx, control_want, c);
}

/*
 * The Postfix TLS policy map answer for nexthop as the daemon gives it;
 * "SKIP" for a certificate case without real HTTPS. why gets how a
 * certificate case's real fetch went, else "".
 */
static void
map_answer(const struct fixtures *fx, struct inkan_view nexthop, bool strict,
    bool sni, char *out, size_t size, char *why, size_t why_size)
{
	struct inkan_mtasts_policy *pol = NULL;
	const struct site *site;
	char domain[NAME_MAX_LEN];
	bool over_https;
	size_t i, off;

	snprintf(out, size, "NOTFOUND ");
	why[0] = '\0';
	/* Postfix nexthop: [host]:port, [host], host:port or host; an
	   address literal has no MTA-STS. */
	if (nexthop.len > 0 && nexthop.ptr[0] == '[') {
		size_t close = inkan_view_find(nexthop, ']');

		nexthop = inkan_view_sub(nexthop, 1, close - 1);
		if (inkan_view_find(nexthop, ':') < nexthop.len)
			return; /* IPv6 literal */
		for (i = 0; i < nexthop.len; i++)
			if (!inkan_cc_is(nexthop.ptr[i], INKAN_CC_DIGIT) &&
			    nexthop.ptr[i] != '.')
				break;
		if (i == nexthop.len)
			return; /* IPv4 literal */
	} else {
		nexthop =
		    inkan_view_sub(nexthop, 0, inkan_view_find(nexthop, ':'));
	}
	copy_view(domain, sizeof(domain), nexthop);
	site = find_site(fx, domain);
	over_https = site != NULL && site->bad_certificate;
	if (over_https && fx->skip_https != NULL) {
		snprintf(out, size, "SKIP");
		return;
	}
	if (fetch(fx, domain, over_https, &pol, why, why_size) != OUT_VALID) {
		/* A certificate case must fail for its certificate. */
		if (over_https && strstr(why, "certificate") == NULL)
			snprintf(
			    out, size, "a failure not for the certificate");
	} else if (pol->mode == INKAN_MTASTS_ENFORCE ||
	    (strict && pol->mode == INKAN_MTASTS_TESTING)) {
		off = (size_t)snprintf(out, size, "OK secure match=");
		for (i = 0; i < pol->nmx && off < size; i++)
			off += (size_t)snprintf(out + off, size - off, "%s%s",
			    i ? ":" : "", pol->mx[i]);
		if (sni && off < size)
			snprintf(out + off, size - off, " servername=hostname");
	}
	/* Only a real fetch is worth a note. */
	if (!over_https)
		why[0] = '\0';
	inkan_mtasts_policy_free(&pol);
}

static void
check_map(const struct fixtures *fx, const char *file, struct inkan_view text,
    bool strict, bool sni, struct suite_counts *c)
{
	size_t pos = 0;

	while (pos < text.len) {
		size_t nl =
		    inkan_view_find(inkan_view_sub(text, pos, text.len), '\n');
		struct inkan_view line = inkan_view_sub(text, pos, nl);
		struct inkan_view query = column(line, 0), nexthop;
		char want[256], got[256], q[NAME_MAX_LEN], why[256];

		pos += nl + 1;
		if (line.len == 0)
			continue;
		nexthop = inkan_view_sub(
		    query, inkan_view_find(query, ' ') + 1, query.len);
		copy_view(q, sizeof(q), query);
		copy_view(want, sizeof(want), column(line, 1));
		map_answer(fx, nexthop, strict, sni, got, sizeof(got), why,
		    sizeof(why));
		if (strcmp(got, "SKIP") == 0)
			suite_skip(c,
			    "%s: %-28s %s: needs its certificate over real "
			    "HTTPS, and %s",
			    file, q, want, fx->skip_https);
		else if (strcmp(got, want) == 0 && why[0] != '\0')
			suite_ok(c, "%s: %-28s %s over HTTPS (%s)", file, q,
			    want, why);
		else if (strcmp(got, want) == 0)
			suite_ok(c, "%s: %-28s %s", file, q, want);
		else
			suite_fail(c, "%s: %-28s got \"%s\", want \"%s\"%s%s%s",
			    file, q, got, want, why[0] != '\0' ? " (" : "", why,
			    why[0] != '\0' ? ")" : "");
	}
}

/*
 * The command line (see the opening comment) into fx. false when it has
 * none of the three forms.
 */
static bool
parse_args(struct fixtures *fx, int argc, char **argv)
{
	int i;

	if (argc == 1) {
		fx->skip_https = "no HTTPS servers were given "
				 "(tests/conformance/mtasts_snawoot.sh starts "
				 "them)";
		return true;
	}
	if (strcmp(argv[1], "--no-https") == 0) {
		fx->skip_https = argv[2];
		return argc == 3;
	}
	if (argc < 4 || argc - 3 > SERVERS_MAX)
		return false;
	fx->ca_file = argv[1];
	fx->sites_dir = argv[2];
	for (i = 3; i < argc; i++) {
		struct server *srv = &fx->servers[fx->nservers++];
		const char *eq = strchr(argv[i], '=');
		unsigned long port;
		char *end;

		if (eq == NULL || eq == argv[i] ||
		    (size_t)(eq - argv[i]) >= sizeof(srv->domain) ||
		    !inkan_cc_is((uint8_t)eq[1], INKAN_CC_DIGIT))
			return false;
		port = strtoul(eq + 1, &end, 10);
		if (*end != '\0' || port == 0 || port > 65535)
			return false;
		memcpy(srv->domain, argv[i], (size_t)(eq - argv[i]));
		srv->domain[eq - argv[i]] = '\0';
		srv->port = (unsigned)port;
	}
	return true;
}

int
main(int argc, char **argv)
{
	struct fixtures fx;
	struct suite_counts c = { 0, 0, 0 };
	struct inkan_buf text;
	char dir[4096];
	int rc = 1;
	size_t i;

	memset(&fx, 0, sizeof(fx));
	if (!parse_args(&fx, argc, argv)) {
		fprintf(stderr,
		    "usage: conformance_mtasts_snawoot "
		    "[CA_FILE SITES_DIR DOMAIN=PORT... | --no-https REASON]\n");
		return 2;
	}
	if (!suite_dir("mta-sts-snawoot", dir, sizeof(dir))) {
		printf("skip: %s/mta-sts-snawoot is absent\n",
		    INKAN_TESTSUITES_DIR);
		return 77;
	}
	snprintf(fx.default_type, sizeof(fx.default_type), "text/plain");
	inkan_buf_init(&text, SUITE_FILE_MAX);
	if (inkan_resolver_new_zone(NULL, &fx.resolver) != INKAN_OK)
		goto out;
	if (!suite_read_file(dir, "dnsmasq.conf.appendix", &text) ||
	    !load_dns(&fx, inkan_buf_view(&text)))
		goto out;
	if (!suite_read_file(dir, "nginx.conf", &text) ||
	    !load_http(&fx, inkan_buf_view(&text)))
		goto out;
	printf("mta-sts-snawoot: %zu HTTPS policy servers\n", fx.nsites);
	if (fx.sites_dir != NULL && !write_sites(&fx))
		goto out;

	if (!suite_read_file(dir, "expected-status.tsv", &text))
		goto out;
	check_status(&fx, inkan_buf_view(&text), &c);
	if (!suite_read_file(dir, "refdata.tsv", &text))
		goto out;
	check_map(&fx, "refdata.tsv", inkan_buf_view(&text), false, true, &c);
	if (!suite_read_file(dir, "refdata_strict.tsv", &text))
		goto out;
	check_map(
	    &fx, "refdata_strict.tsv", inkan_buf_view(&text), true, true, &c);
	if (!suite_read_file(dir, "refdata_nosni.tsv", &text))
		goto out;
	check_map(
	    &fx, "refdata_nosni.tsv", inkan_buf_view(&text), false, false, &c);
	rc = suite_report(&c);
out:
	for (i = 0; i < fx.nsites; i++)
		inkan_buf_clear(&fx.sites[i].body);
	inkan_buf_clear(&text);
	inkan_resolver_free(&fx.resolver);
	return rc;
}
