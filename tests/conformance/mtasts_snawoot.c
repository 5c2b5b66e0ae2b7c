/*
 * mtasts_snawoot.c: MTA-STS (RFC 8461) against the fixtures of
 * postfix-mta-sts-resolver's integration tests
 * (INKAN_TESTSUITES_DIR/mta-sts-snawoot, unedited).
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
 * servername=). The two certificate cases are skipped: their certificates
 * are made by upstream's harness at run time (tests/mkcerts.py, not part
 * of the fixtures), so only an HTTPS fetch with such a test CA can judge
 * them.
 */
#include <stdlib.h>

#include <inkan/inkan.h>
#include <inkan/mtasts.h>

#include "suite.h"

#define SITES_MAX 64
#define NAME_MAX_LEN 256

struct site {
	char domain[NAME_MAX_LEN]; /* without "mta-sts." */
	int status;
	char content_type[64];
	struct inkan_buf body;
	bool has_location;
	/* expected-status.tsv says its certificate is what fails. */
	bool bad_certificate;
};

struct fixtures {
	struct site sites[SITES_MAX];
	size_t nsites;
	char default_type[64];
	struct inkan_resolver *resolver;
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

/* ---- the checks ---------------------------------------------------------- */

/*
 * MTA-STS for domain as the upstream resolver reports it; on VALID,
 * *pol_r is the policy (the caller frees it). why gets a reason.
 */
static enum outcome
fetch(const struct fixtures *fx, const char *domain,
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
	if ((site = find_site(fx, domain)) == NULL || !site->has_location) {
		snprintf(why, size, "no HTTPS server for mta-sts.%s", domain);
		return OUT_FETCH_ERROR;
	}
	if (inkan_mtasts_policy_from_response(site->status, site->content_type,
		site->body.data, site->body.len, NULL, pol_r,
		&err) != INKAN_OK) {
		snprintf(why, size, "%s", err.message);
		return OUT_FETCH_ERROR;
	}
	snprintf(why, size, "id=%s, mode %s", rec.id,
	    inkan_mtasts_mode_name((*pol_r)->mode));
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

static void
check_status(
    const struct fixtures *fx, struct inkan_view text, struct suite_counts *c)
{
	size_t pos = 0;

	while (pos < text.len) {
		size_t nl =
		    inkan_view_find(inkan_view_sub(text, pos, text.len), '\n');
		struct inkan_view line = inkan_view_sub(text, pos, nl);
		struct inkan_mtasts_policy *pol = NULL;
		char domain[NAME_MAX_LEN], want[32], why[256], resp[512];
		enum outcome got;

		pos += nl + 1;
		if (line.len == 0 || line.ptr[0] == '#')
			continue;
		copy_view(domain, sizeof(domain), column(line, 0));
		copy_view(want, sizeof(want), trim(column(line, 3)));
		copy_view(resp, sizeof(resp), column(line, 2));
		if (strstr(resp, "certificate") != NULL) {
			struct site *site = find_site(fx, domain);

			if (site != NULL)
				site->bad_certificate = true;
			suite_skip(c,
			    "%-24s %s: the certificate comes from upstream's "
			    "test harness (tests/mkcerts.py), not from the "
			    "fixtures",
			    domain, want);
			continue;
		}
		got = fetch(fx, domain, &pol, why, sizeof(why));
		if (strcmp(outcome_name[got], want) == 0)
			suite_ok(c, "%-24s %s (%s)", domain, want, why);
		else
			suite_fail(c, "%-24s got %s, want %s (%s)", domain,
			    outcome_name[got], want, why);
		inkan_mtasts_policy_free(&pol);
	}
}

/*
 * The Postfix TLS policy map answer for nexthop as the daemon gives it.
 */
static void
map_answer(const struct fixtures *fx, struct inkan_view nexthop, bool strict,
    bool sni, char *out, size_t size)
{
	struct inkan_mtasts_policy *pol = NULL;
	char domain[NAME_MAX_LEN], why[256];
	size_t i, off;

	snprintf(out, size, "NOTFOUND ");
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
	if (find_site(fx, domain) != NULL &&
	    find_site(fx, domain)->bad_certificate) {
		snprintf(out, size, "SKIP");
		return;
	}
	if (fetch(fx, domain, &pol, why, sizeof(why)) != OUT_VALID)
		return;
	if (pol->mode == INKAN_MTASTS_ENFORCE ||
	    (strict && pol->mode == INKAN_MTASTS_TESTING)) {
		off = (size_t)snprintf(out, size, "OK secure match=");
		for (i = 0; i < pol->nmx && off < size; i++)
			off += (size_t)snprintf(out + off, size - off, "%s%s",
			    i ? ":" : "", pol->mx[i]);
		if (sni && off < size)
			snprintf(out + off, size - off, " servername=hostname");
	}
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
		char want[256], got[256], q[NAME_MAX_LEN];

		pos += nl + 1;
		if (line.len == 0)
			continue;
		nexthop = inkan_view_sub(
		    query, inkan_view_find(query, ' ') + 1, query.len);
		copy_view(q, sizeof(q), query);
		copy_view(want, sizeof(want), column(line, 1));
		map_answer(fx, nexthop, strict, sni, got, sizeof(got));
		if (strcmp(got, "SKIP") == 0)
			suite_skip(c,
			    "%s: %-28s %s: its certificate comes from "
			    "upstream's test harness (tests/mkcerts.py)",
			    file, q, want);
		else if (strcmp(got, want) == 0)
			suite_ok(c, "%s: %-28s %s", file, q, want);
		else
			suite_fail(c, "%s: %-28s got \"%s\", want \"%s\"", file,
			    q, got, want);
	}
}

int
main(void)
{
	struct fixtures fx;
	struct suite_counts c = { 0, 0, 0 };
	struct inkan_buf text;
	char dir[4096];
	int rc = 1;
	size_t i;

	if (!suite_dir("mta-sts-snawoot", dir, sizeof(dir))) {
		printf("skip: %s/mta-sts-snawoot is absent\n",
		    INKAN_TESTSUITES_DIR);
		return 77;
	}
	memset(&fx, 0, sizeof(fx));
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
