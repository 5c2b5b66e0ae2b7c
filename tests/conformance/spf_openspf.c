/*
 * spf_openspf.c: runs the openspf.org SPF test suites (rfc7208-tests.yml,
 * and the older rfc4408-tests.yml) unedited through inkan_spf_check() and
 * the zone resolver.
 *
 *	conformance_spf_openspf [-v] [--zones] [FILE.yml | TEST-ID]
 *
 * With no argument both suites under INKAN_TESTSUITES_DIR/spf-openspf run;
 * a FILE.yml argument runs that one file; any other argument runs only the
 * tests with that id (in both suites). -v prints every test with its
 * reason and trace; --zones prints, for each scenario, what the zone
 * resolver answers for each name (to check the zone data itself).
 *
 * Output: a line for every failure, every deviation and every skip, then
 * per suite "ran N, passed P, failed F, skipped S". Exit status 1 when anything
 * failed, 77 (ctest's SKIP_RETURN_CODE) when the suites are absent, 0
 * otherwise.
 *
 * How the suite's data becomes DNS. The suite's own harness (pyspf's
 * test/testspf.py) defines the semantics; this driver reproduces them:
 *
 * - Each YAML document is a scenario; its zonedata goes into a fresh zone
 *   resolver, and each of its tests runs on a fresh struct inkan_spf (no
 *   cache shared between tests).
 * - "SPF:" entries are type 99 records. A name with no "TXT:" entry at all
 *   (not even "TXT: NONE") also gets each SPF string as a TXT record, after
 *   its other records: the suite's header calls this the "auto-magic
 *   duplication of SPF to TXT records (by test suite drivers)", and only
 *   the "Selecting records" scenario relies on names that have their own
 *   TXT records, where no duplication happens. An RFC 7208 evaluator
 *   queries TXT only (RFC 7208 3.1, 4.4), so a name whose SPF records are
 *   shadowed by "TXT: NONE" has no policy (test "spfonly": none).
 * - "TXT: NONE" (or any type with the value NONE) adds no record.
 * - A "TIMEOUT" list item: a lookup of the name times out unless a record
 *   of the queried type comes before the TIMEOUT item in the list, in
 *   which case those records are the answer ("spftimeout": the TXT record
 *   listed first is answered, the SPF lookup times out). Records after
 *   the item are never answered. "TYPE: TIMEOUT" times out that type.
 * - TXT strings are added with inkan_resolver_zone_add_txt(), byte for
 *   byte. The suite files are ASCII; their non-ASCII bytes come from YAML
 *   "\xHH" escapes, which YAML defines as code points U+0000..U+00FF and
 *   libyaml hands over UTF-8 encoded. The suite means raw bytes (its
 *   "\xEF\xBB\xBF" is a UTF-8 byte order mark), so a scalar whose code
 *   points are all below U+0100 is turned back into those bytes.
 * - A string longer than 255 bytes (DNS's limit, RFC 1035 3.3) is split
 *   into 255-byte character-strings; SPF joins them back (RFC 7208 3.3).
 * - "SPF: [ ]" (a record with no character-strings, which RFC 1035
 *   3.3.14 does not allow; test "null-text") is added as an SPF and a
 *   TXT record whose rdata is empty, in RFC 3597 generic form.
 * - Names absent from zonedata are NXDOMAIN. (testspf.py also times out
 *   names starting with "error." that are absent; no test in either
 *   suite looks one up, so the driver does not emulate it.)
 * - "explanation: DEFAULT": testspf.py sets pyspf's default explanation
 *   to the word DEFAULT, so the test means "the explanation is the
 *   evaluator's default one, not one from exp=". The driver asks the
 *   evaluator for its default explanation: check_host() with the same
 *   address and sender in a probe zone where the domain says only
 *   "v=spf1 -all". A default may name the domain (%{d}), and after a
 *   redirect= the domain is the target's (RFC 7208 6.1), so the default
 *   for any domain the trace went through counts.
 * - A test's "strict" key is pyspf's own switch; it is ignored.
 *
 * rfc4408-tests.yml: RFC 7208 changed some behaviour, so a few of that
 * suite's expectations no longer hold. Those tests are listed in
 * deviations[] with the RFC 7208 section and the result RFC 7208 gives;
 * they are still checked against that result, and reported as
 * "deviation (RFC 7208 x.y)", never skipped.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <yaml.h>

#include <inkan/inkan.h>

#include "suite.h"
#include "suite_yaml.h"

#define SUITE "spf-openspf"
#define ZONE_TTL 3600u
/* A TXT character-string is at most 255 bytes (RFC 1035 3.3). */
#define TXT_STRING_MAX 255
/* Plenty for any one scalar or presentation line of the suites. */
#define TEXT_MAX (64u * 1024)
#define RESULTS_MAX 8

/* ---- the deviation table ------------------------------------------------ */

/*
 * Tests of rfc4408-tests.yml whose expectation RFC 7208 changed. want is
 * what RFC 7208 gives (space-separated acceptable results), and exp, when
 * not NULL, the explanation it gives. An entry is used only when the
 * RFC 4408 expectation is not met; the result must then be want.
 */
struct deviation {
	const char *test_id;
	const char *section; /* RFC 7208 section that changed it */
	const char *why;
	const char *want;
	const char *exp;
};

/*
 * None is needed today. The tests whose expectation RFC 7208 changed
 * (txtonly, spfonly, spftimeout, txttimeout, nospftxttimeout: 4.4 and
 * 3.1, type SPF no longer queried; spfoverride, multitxt1, multispf2:
 * 4.5; invalid-domain-empty-label, invalid-domain-long,
 * invalid-domain-long-via-macro: 4.3, 4.8; exists-dnserr: 5.7 and 2.6.6;
 * cidr6-0-ip4, cidr6-ip4: 5.6; mx-limit: 4.6.4) have the same zone data
 * in both suites, and the RFC 4408 suite lists several acceptable results
 * for each, RFC 7208's among them, so an RFC 7208 evaluator meets its
 * expectation as it is. An entry goes here only for a test that fails
 * the RFC 4408 suite because RFC 7208 asks for something else, e.g.
 *	{ "mx-limit", "4.6.4", "more than 10 MX names is a permerror",
 *	    "permerror", NULL },
 * The NULL entry only ends the list (C has no empty arrays).
 */
static const struct deviation deviations[] = {
	{ NULL, NULL, NULL, NULL, NULL },
};

/* ---- small helpers ------------------------------------------------------ */

/* One suite's counts, and how many of the passed are deviations. */
struct tally {
	struct suite_counts c;
	unsigned deviations;
};

struct options {
	bool verbose;
	bool zones; /* --zones: print the zone answers */
	const char *only_id; /* run only this test id */
};

static void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n, size);

	if (p == NULL) {
		fputs("spf_openspf: out of memory\n", stderr);
		exit(1);
	}
	return p;
}

/* Prints bytes p[0..n) escaped (untrusted text on one line). */
static void
put_escaped(FILE *f, const void *p, size_t n)
{
	struct inkan_buf b;

	inkan_buf_init(&b, 4 * n + 16);
	if (inkan_escape(p, n, &b) == INKAN_OK)
		fputs(inkan_buf_cstr(&b), f);
	else
		fputs("(unprintable)", f);
	inkan_buf_clear(&b);
}

static void
put_escaped_cstr(FILE *f, const char *s)
{
	if (s == NULL)
		fputs("(none)", f);
	else
		put_escaped(f, s, strlen(s));
}

/* ---- YAML --------------------------------------------------------------- */

static bool
is_scalar(const yaml_node_t *n, const char *s)
{
	return n != NULL && n->type == YAML_SCALAR_NODE &&
	    n->data.scalar.length == strlen(s) &&
	    memcmp(n->data.scalar.value, s, n->data.scalar.length) == 0;
}

/*
 * Appends the bytes scalar n stands for to out (see the header comment:
 * code points below U+0100 become single bytes when all of them are;
 * otherwise the UTF-8 as it is). Returns false when n is not a scalar.
 */
static bool
scalar_bytes(const yaml_node_t *n, struct inkan_buf *out)
{
	const uint8_t *s, *end;
	size_t start = out->len;

	if (n == NULL || n->type != YAML_SCALAR_NODE)
		return false;
	s = n->data.scalar.value;
	end = s + n->data.scalar.length;
	while (s < end) {
		if (*s < 0x80) {
			inkan_buf_append_byte(out, *s++);
		} else if ((*s & 0xe0) == 0xc0 && end - s >= 2 && *s <= 0xc3) {
			/* U+0080..U+00FF: two bytes, 110000xx 10xxxxxx */
			inkan_buf_append_byte(out,
			    (uint8_t)(((s[0] & 0x03) << 6) | (s[1] & 0x3f)));
			s += 2;
		} else {
			/* A code point past U+00FF: keep the UTF-8. */
			inkan_buf_truncate(out, start);
			inkan_buf_append(
			    out, n->data.scalar.value, n->data.scalar.length);
			break;
		}
	}
	return out->err == INKAN_OK;
}

/* A NUL-terminated copy of scalar n's bytes (malloc'd), or NULL. */
static char *
scalar_dup(const yaml_node_t *n)
{
	struct inkan_buf b;
	char *s = NULL;

	inkan_buf_init(&b, TEXT_MAX);
	if (scalar_bytes(n, &b))
		s = (char *)inkan_buf_steal(&b, NULL);
	inkan_buf_clear(&b);
	return s;
}

/* ---- zone data ---------------------------------------------------------- */

/* One entry of a name's list, in the harness's order. */
struct zitem {
	bool timeout; /* the "TIMEOUT" list item */
	enum inkan_dns_type type;
	bool type_timeout; /* "TYPE: TIMEOUT" */
	yaml_node_t *value;
};

/* The types an SPF evaluation can query, for per-type timeouts. */
static const enum inkan_dns_type query_types[] = { INKAN_DNS_A, INKAN_DNS_AAAA,
	INKAN_DNS_MX, INKAN_DNS_TXT, INKAN_DNS_SPF, INKAN_DNS_PTR,
	INKAN_DNS_CNAME };
#define NQTYPES (sizeof(query_types) / sizeof(query_types[0]))

/*
 * Appends name in zone-file presentation, absolute: letters, digits, '-',
 * '_' and a lone '*' label as they are, every other byte as \DDD
 * (RFC 1035 5.1), so no byte of the suite is re-interpreted.
 */
static void
put_name(struct inkan_buf *out, const char *name)
{
	size_t i, n = strlen(name);

	if (n == 0 || (n == 1 && name[0] == '.')) {
		inkan_buf_append_byte(out, '.');
		return;
	}
	for (i = 0; i < n; i++) {
		uint8_t c = (uint8_t)name[i];

		if (c == '.' || (c >= 'a' && c <= 'z') ||
		    (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' ||
		    (c == '*' && (i == 0 || name[i - 1] == '.') &&
			(i + 1 == n || name[i + 1] == '.')))
			inkan_buf_append_byte(out, c);
		else
			inkan_buf_printf(out, "\\%03u", (unsigned)c);
	}
	if (name[n - 1] != '.')
		inkan_buf_append_byte(out, '.');
}

/*
 * The character-strings of a TXT or SPF value (a scalar, or a sequence of
 * scalars), as one buffer of length-prefixed strings (wire rdata). A
 * string over 255 bytes is split. Returns false for another shape.
 */
static bool
txt_rdata(yaml_document_t *doc, yaml_node_t *v, struct inkan_buf *rdata)
{
	struct inkan_buf s;
	yaml_node_item_t *it;
	bool ok = true;

	inkan_buf_init(&s, TEXT_MAX);
	if (v->type == YAML_SCALAR_NODE) {
		ok = scalar_bytes(v, &s);
		if (ok) {
			size_t off = 0;

			do {
				size_t k = s.len - off > TXT_STRING_MAX
				    ? TXT_STRING_MAX
				    : s.len - off;

				inkan_buf_append_byte(rdata, (uint8_t)k);
				inkan_buf_append(rdata, s.data + off, k);
				off += k;
			} while (off < s.len);
		}
	} else if (v->type == YAML_SEQUENCE_NODE) {
		for (it = v->data.sequence.items.start;
		     ok && it < v->data.sequence.items.top; it++) {
			size_t off = 0;

			inkan_buf_reset(&s);
			ok = scalar_bytes(suite_yaml_node(doc, *it), &s);
			do {
				size_t k = s.len - off > TXT_STRING_MAX
				    ? TXT_STRING_MAX
				    : s.len - off;

				inkan_buf_append_byte(rdata, (uint8_t)k);
				inkan_buf_append(rdata, s.data + off, k);
				off += k;
			} while (ok && off < s.len);
		}
	} else {
		ok = false;
	}
	inkan_buf_clear(&s);
	return ok && rdata->err == INKAN_OK;
}

/* Adds "<name> TTL IN TYPEn \# len hex" (RFC 3597 5): exact bytes. */
static enum inkan_status
add_generic(struct inkan_resolver *r, const char *name, unsigned type,
    const struct inkan_buf *rdata, struct inkan_zone_error *zerr)
{
	struct inkan_buf line;
	enum inkan_status st;
	size_t i;

	inkan_buf_init(&line, TEXT_MAX);
	put_name(&line, name);
	inkan_buf_printf(
	    &line, " %u IN TYPE%u \\# %zu", ZONE_TTL, type, rdata->len);
	if (rdata->len > 0)
		inkan_buf_append_byte(&line, ' ');
	for (i = 0; i < rdata->len; i++)
		inkan_buf_printf(&line, "%02X", (unsigned)rdata->data[i]);
	st = line.err != INKAN_OK
	    ? line.err
	    : inkan_resolver_zone_add_rr(r, inkan_buf_cstr(&line), zerr);
	inkan_buf_clear(&line);
	return st;
}

/*
 * Adds a TXT record with the strings of rdata (wire form) through
 * inkan_resolver_zone_add_txt(), so the name and the bytes are taken as
 * they are; an empty rdata (no strings) goes in generic form.
 */
static enum inkan_status
add_txt(struct inkan_resolver *r, const char *name,
    const struct inkan_buf *rdata, struct inkan_zone_error *zerr)
{
	struct inkan_view v[256];
	enum inkan_status st;
	size_t n = 0, off = 0;

	if (rdata->len == 0)
		return add_generic(r, name, INKAN_DNS_TXT, rdata, zerr);
	while (off < rdata->len) {
		size_t k = rdata->data[off];

		if (n == sizeof(v) / sizeof(v[0]) || k > rdata->len - off - 1)
			return INKAN_ERR_LIMIT;
		v[n++] = inkan_view_make(rdata->data + off + 1, k);
		off += 1 + k;
	}
	st = inkan_resolver_zone_add_txt(r, name, ZONE_TTL, v, n);
	if (st != INKAN_OK)
		snprintf(zerr->message, sizeof(zerr->message),
		    "zone_add_txt: %s", inkan_strerror(st));
	return st;
}

/* Adds one record (item) at name to r; err_r says why on failure. */
static bool
add_item(struct inkan_resolver *r, yaml_document_t *doc, const char *name,
    const struct zitem *item, char *err, size_t errsize)
{
	struct inkan_zone_error zerr = { 0, "" };
	struct inkan_buf line, rdata;
	enum inkan_status st = INKAN_OK;
	unsigned char addr[16];
	char *a = NULL, *b = NULL;
	const char *tname = inkan_dns_type_to_name(item->type);
	yaml_node_t *v = item->value;

	inkan_buf_init(&line, TEXT_MAX);
	inkan_buf_init(&rdata, TEXT_MAX);
	switch ((unsigned)item->type) {
	case INKAN_DNS_TXT:
		if (!txt_rdata(doc, v, &rdata))
			goto bad;
		st = add_txt(r, name, &rdata, &zerr);
		break;
	case INKAN_DNS_SPF:
		if (!txt_rdata(doc, v, &rdata))
			goto bad;
		st = add_generic(r, name, INKAN_DNS_SPF, &rdata, &zerr);
		break;
	case INKAN_DNS_A:
	case INKAN_DNS_AAAA:
		if ((a = scalar_dup(v)) == NULL ||
		    inet_pton(item->type == INKAN_DNS_A ? AF_INET : AF_INET6, a,
			addr) != 1)
			goto bad;
		put_name(&line, name);
		inkan_buf_printf(&line, " %u IN %s %s", ZONE_TTL, tname, a);
		break;
	case INKAN_DNS_PTR:
	case INKAN_DNS_CNAME:
		if ((a = scalar_dup(v)) == NULL)
			goto bad;
		put_name(&line, name);
		inkan_buf_printf(&line, " %u IN %s ", ZONE_TTL, tname);
		put_name(&line, a);
		break;
	case INKAN_DNS_MX: {
		unsigned long pref;
		char *end;

		if (v->type != YAML_SEQUENCE_NODE ||
		    v->data.sequence.items.top - v->data.sequence.items.start !=
			2 ||
		    (a = scalar_dup(suite_yaml_node(
			 doc, v->data.sequence.items.start[0]))) == NULL ||
		    (b = scalar_dup(suite_yaml_node(
			 doc, v->data.sequence.items.start[1]))) == NULL)
			goto bad;
		errno = 0;
		pref = strtoul(a, &end, 10);
		if (errno != 0 || end == a || *end != '\0' || pref > 65535)
			goto bad;
		put_name(&line, name);
		inkan_buf_printf(&line, " %u IN MX %lu ", ZONE_TTL, pref);
		/* An empty exchange is the root (RFC 7505's null MX). */
		put_name(&line, b);
		break;
	}
	default:
		goto bad;
	}
	if (line.len > 0)
		st = line.err != INKAN_OK ? line.err
					  : inkan_resolver_zone_add_rr(r,
						inkan_buf_cstr(&line), &zerr);
	if (st != INKAN_OK)
		snprintf(err, errsize, "cannot add %s record at %s: %s (%s)",
		    tname, name, inkan_strerror(st), zerr.message);
	free(a);
	free(b);
	inkan_buf_clear(&line);
	inkan_buf_clear(&rdata);
	return st == INKAN_OK;
bad:
	snprintf(err, errsize, "a %s record at %s that the driver cannot read",
	    tname != NULL ? tname : "?", name);
	free(a);
	free(b);
	inkan_buf_clear(&line);
	inkan_buf_clear(&rdata);
	return false;
}

/*
 * Loads the records of one zonedata name (list l) into r, with the
 * harness semantics of the header comment. Returns false with err set
 * when the data cannot be represented.
 */
static bool
load_name(struct inkan_resolver *r, yaml_document_t *doc, const char *name,
    yaml_node_t *l, char *err, size_t errsize)
{
	struct zitem *items;
	size_t n = 0, max, nspf = 0, i, q, first_timeout;
	bool gen = true, faulted[NQTYPES], all = true, ok = true;
	yaml_node_item_t *it;

	if (l == NULL || l->type != YAML_SEQUENCE_NODE) {
		snprintf(err, errsize, "zonedata for %s is not a list", name);
		return false;
	}
	/* One item per TIMEOUT entry or TYPE: value pair. */
	max = 0;
	for (it = l->data.sequence.items.start; it < l->data.sequence.items.top;
	     it++) {
		yaml_node_t *e = suite_yaml_node(doc, *it);

		max += e != NULL && e->type == YAML_MAPPING_NODE
		    ? (size_t)(e->data.mapping.pairs.top -
			  e->data.mapping.pairs.start)
		    : 1;
	}
	items = xcalloc(max + 1, sizeof(*items));
	for (it = l->data.sequence.items.start;
	     ok && it < l->data.sequence.items.top; it++) {
		yaml_node_t *e = suite_yaml_node(doc, *it);
		yaml_node_pair_t *p;

		if (is_scalar(e, "TIMEOUT")) {
			items[n++].timeout = true;
			continue;
		}
		if (e == NULL || e->type != YAML_MAPPING_NODE) {
			snprintf(err, errsize,
			    "an entry at %s that is neither TIMEOUT nor "
			    "TYPE: value",
			    name);
			ok = false;
			break;
		}
		for (p = e->data.mapping.pairs.start;
		     p < e->data.mapping.pairs.top; p++) {
			yaml_node_t *k = suite_yaml_node(doc, p->key),
				    *v = suite_yaml_node(doc, p->value);
			enum inkan_dns_type t;
			char *tn = scalar_dup(k);

			if (tn == NULL ||
			    inkan_dns_type_from_name(tn, &t) != INKAN_OK) {
				snprintf(err, errsize,
				    "unknown record type at %s", name);
				free(tn);
				ok = false;
				break;
			}
			free(tn);
			if (t == INKAN_DNS_TXT)
				gen = false;
			if (is_scalar(v, "NONE"))
				continue;
			items[n].type = t;
			items[n].value = v;
			items[n].type_timeout = is_scalar(v, "TIMEOUT");
			if (t == INKAN_DNS_SPF && !items[n].type_timeout)
				nspf++;
			n++;
		}
	}
	if (!ok)
		goto out;
	/* The harness's SPF-to-TXT duplication, after the other records. */
	if (gen && nspf > 0) {
		size_t end = n;

		items = realloc(items, (n + nspf) * sizeof(*items));
		if (items == NULL) {
			fputs("spf_openspf: out of memory\n", stderr);
			exit(1);
		}
		for (i = 0; i < end; i++) {
			if (!items[i].timeout &&
			    items[i].type == INKAN_DNS_SPF &&
			    !items[i].type_timeout) {
				items[n] = items[i];
				items[n].type = INKAN_DNS_TXT;
				n++;
			}
		}
	}
	/* Which types time out: testspf.py's DNSLookup, type by type. */
	for (first_timeout = 0; first_timeout < n; first_timeout++)
		if (items[first_timeout].timeout)
			break;
	for (q = 0; q < NQTYPES; q++) {
		bool seen = false;

		faulted[q] = false;
		for (i = 0; i < n; i++) {
			if (items[i].timeout) {
				faulted[q] = !seen;
				break;
			}
			if (items[i].type != query_types[q])
				continue;
			if (items[i].type_timeout) {
				faulted[q] = true;
				break;
			}
			seen = true;
		}
		all = all && faulted[q];
	}
	/* The records the harness would answer: those before a TIMEOUT. */
	for (i = 0; ok && i < first_timeout; i++) {
		if (items[i].type_timeout)
			continue;
		ok = add_item(r, doc, name, &items[i], err, errsize);
	}
	for (q = 0; ok && q < NQTYPES; q++) {
		enum inkan_status st = INKAN_OK;

		if (all && q == 0)
			st = inkan_resolver_zone_inject(
			    r, name, (enum inkan_dns_type)0, INKAN_DNS_TIMEOUT);
		else if (!all && faulted[q])
			st = inkan_resolver_zone_inject(
			    r, name, query_types[q], INKAN_DNS_TIMEOUT);
		if (st != INKAN_OK) {
			snprintf(err, errsize,
			    "cannot inject a timeout at %s: %s", name,
			    inkan_strerror(st));
			ok = false;
		}
	}
out:
	free(items);
	return ok;
}

/* Prints what r answers for name, type by type (--zones). */
static void
dump_name(struct inkan_resolver *r, const char *name)
{
	size_t q, i;

	for (q = 0; q < NQTYPES; q++) {
		struct inkan_dns_answer *a = NULL;
		enum inkan_status st =
		    inkan_resolver_lookup(r, name, query_types[q], &a);

		printf("    ");
		put_escaped_cstr(stdout, name);
		printf(" %s: ", inkan_dns_type_to_name(query_types[q]));
		if (st != INKAN_OK) {
			printf("(lookup refused: %s)\n", inkan_strerror(st));
			continue;
		}
		printf("%s", inkan_dns_rcode_to_name(a->rcode));
		for (i = 0; i < a->count; i++) {
			const struct inkan_dns_record *rr = &a->records[i];
			char buf[INET6_ADDRSTRLEN];

			fputs(" | ", stdout);
			if (rr->is_raw) {
				printf("raw %zu bytes", rr->u.raw.len);
			} else if (rr->type == INKAN_DNS_TXT ||
			    rr->type == INKAN_DNS_SPF) {
				size_t k;

				for (k = 0; k < rr->u.txt.count; k++) {
					putchar('"');
					put_escaped(stdout,
					    rr->u.txt.strings[k].data,
					    rr->u.txt.strings[k].len);
					putchar('"');
				}
			} else if (rr->type == INKAN_DNS_A ||
			    rr->type == INKAN_DNS_AAAA) {
				fputs(inet_ntop(rr->type == INKAN_DNS_A
					      ? AF_INET
					      : AF_INET6,
					  rr->u.addr, buf, sizeof(buf)),
				    stdout);
			} else if (rr->type == INKAN_DNS_MX) {
				printf("%u %s", (unsigned)rr->u.mx.preference,
				    rr->u.mx.exchange);
			} else {
				fputs(rr->u.target, stdout);
			}
		}
		if (a->chain_count > 0)
			printf(" (via %zu CNAME)", a->chain_count);
		putchar('\n');
		inkan_dns_answer_free(&a);
	}
}

/*
 * Builds the zone resolver of one scenario. Returns NULL with err set
 * when its data cannot be represented.
 */
static struct inkan_resolver *
load_zone(yaml_document_t *doc, yaml_node_t *zonedata, const struct options *o,
    char *err, size_t errsize)
{
	struct inkan_resolver *r = NULL;
	yaml_node_pair_t *p;

	if (inkan_resolver_new_zone(NULL, &r) != INKAN_OK) {
		snprintf(err, errsize, "cannot create a zone resolver");
		return NULL;
	}
	if (zonedata == NULL)
		return r;
	if (zonedata->type != YAML_MAPPING_NODE) {
		snprintf(err, errsize, "zonedata is not a mapping");
		inkan_resolver_free(&r);
		return NULL;
	}
	for (p = zonedata->data.mapping.pairs.start;
	     p < zonedata->data.mapping.pairs.top; p++) {
		char *name = scalar_dup(suite_yaml_node(doc, p->key));
		bool ok;

		if (name == NULL) {
			snprintf(
			    err, errsize, "a zonedata name is not a string");
			inkan_resolver_free(&r);
			return NULL;
		}
		ok = load_name(
		    r, doc, name, suite_yaml_node(doc, p->value), err, errsize);
		free(name);
		if (!ok) {
			inkan_resolver_free(&r);
			return NULL;
		}
	}
	if (o->zones) {
		for (p = zonedata->data.mapping.pairs.start;
		     p < zonedata->data.mapping.pairs.top; p++) {
			char *name = scalar_dup(suite_yaml_node(doc, p->key));

			dump_name(r, name);
			free(name);
		}
	}
	return r;
}

/* ---- running tests ------------------------------------------------------ */

/* What one test wants. */
struct want {
	const char *results[RESULTS_MAX];
	size_t nresults;
	const char *explanation; /* NULL: not checked */
};

static bool
want_has(const struct want *w, const char *result)
{
	size_t i;

	for (i = 0; i < w->nresults; i++)
		if (strcmp(w->results[i], result) == 0)
			return true;
	return false;
}

static void
put_want(FILE *f, const struct want *w)
{
	size_t i;

	if (w->nresults > 1)
		fputc('[', f);
	for (i = 0; i < w->nresults; i++)
		fprintf(f, "%s%s", i > 0 ? ", " : "", w->results[i]);
	if (w->nresults > 1)
		fputc(']', f);
}

/*
 * The evaluator's default explanation for a fail at domain: what
 * check_host(ip, domain, sender) explains when domain says only
 * "v=spf1 -all" (no exp=). Returns a malloc'd string, or NULL when it
 * cannot be had.
 */
static char *
default_explanation_at(const struct inkan_spf_request *req,
    const struct inkan_spf_verdict *verdict, const char *domain)
{
	struct inkan_resolver *r = NULL;
	struct inkan_spf *spf = NULL;
	struct inkan_spf_verdict *v = NULL;
	struct inkan_view rec = INKAN_VIEW_LIT("v=spf1 -all");
	char *s = NULL;

	if (inkan_resolver_new_zone(NULL, &r) != INKAN_OK ||
	    inkan_resolver_zone_add_txt(r, domain, ZONE_TTL, &rec, 1) !=
		INKAN_OK ||
	    inkan_spf_new(r, NULL, &spf) != INKAN_OK ||
	    inkan_spf_check_host(spf, &req->ip, domain, verdict->sender,
		req->helo, verdict->identity, 0, &v) != INKAN_OK)
		goto out;
	if (v->result == INKAN_SPF_FAIL && v->explanation != NULL)
		s = strdup(v->explanation);
out:
	inkan_spf_verdict_free(&v);
	inkan_spf_free(&spf);
	inkan_resolver_free(&r);
	return s;
}

/*
 * Whether v's explanation is the evaluator's default one ("explanation:
 * DEFAULT"): the default for the top-level domain or for any domain the
 * evaluation went through (a redirect= target's default is as good). Sets
 * *def_r to the top-level domain's default, for the failure message.
 */
static bool
is_default_explanation(const struct inkan_spf_request *req,
    const struct inkan_spf_verdict *v, char **def_r)
{
	size_t i;
	bool found = false;

	*def_r = NULL;
	if (v->explanation == NULL || v->domain == NULL || v->sender == NULL)
		return false;
	*def_r = default_explanation_at(req, v, v->domain);
	if (*def_r != NULL && strcmp(*def_r, v->explanation) == 0)
		return true;
	for (i = 0; !found && i < v->trace_count; i++) {
		const char *d = v->trace[i].domain;
		char *e;

		if (d == NULL || strcmp(d, v->domain) == 0)
			continue;
		e = default_explanation_at(req, v, d);
		found = e != NULL && strcmp(e, v->explanation) == 0;
		free(e);
	}
	return found;
}

static const struct deviation *
find_deviation(const char *id)
{
	size_t i;

	for (i = 0; i < sizeof(deviations) / sizeof(deviations[0]); i++)
		if (deviations[i].test_id != NULL &&
		    strcmp(deviations[i].test_id, id) == 0)
			return &deviations[i];
	return NULL;
}

/*
 * Checks verdict v against w. On a mismatch sets *why_r (got/want) and
 * returns false.
 */
static bool
verdict_matches(const struct inkan_spf_verdict *v,
    const struct inkan_spf_request *req, const struct want *w, char **why_r)
{
	const char *got = inkan_spf_result_name(v->result);
	char *def = NULL;
	const char *want_exp = w->explanation;
	bool ok;
	size_t len;
	FILE *f;

	*why_r = NULL;
	if (!want_has(w, got)) {
		f = open_memstream(why_r, &len);
		if (f == NULL)
			return false;
		fprintf(f, "got %s, want ", got);
		put_want(f, w);
		fclose(f);
		return false;
	}
	if (want_exp == NULL)
		return true;
	if (strcmp(want_exp, "DEFAULT") == 0)
		ok = is_default_explanation(req, v, &def);
	else
		ok = v->explanation != NULL &&
		    strcmp(v->explanation, want_exp) == 0;
	if (!ok && (f = open_memstream(why_r, &len)) != NULL) {
		fprintf(f, "got %s explanation \"", got);
		put_escaped_cstr(f, v->explanation);
		fputs("\", want \"", f);
		if (strcmp(w->explanation, "DEFAULT") == 0) {
			fputs("DEFAULT\" (the default explanation for ", f);
			put_escaped_cstr(f, v->domain);
			fputs(": \"", f);
			put_escaped_cstr(f, def);
			fputs("\")", f);
		} else {
			put_escaped_cstr(f, w->explanation);
			fputc('"', f);
		}
		fclose(f);
	}
	free(def);
	return ok;
}

/* Parses space-separated results s into w->results (pointers into s). */
static void
want_from_words(struct want *w, char *s)
{
	char *p = s;

	w->nresults = 0;
	while (*p != '\0' && w->nresults < RESULTS_MAX) {
		while (*p == ' ')
			*p++ = '\0';
		if (*p == '\0')
			break;
		w->results[w->nresults++] = p;
		while (*p != '\0' && *p != ' ')
			p++;
	}
}

static void
print_trace(const struct inkan_spf_verdict *v)
{
	size_t i;

	printf("    reason: ");
	put_escaped_cstr(stdout, v->reason);
	printf("\n    mechanism: ");
	put_escaped_cstr(stdout, v->mechanism);
	printf("; explanation: ");
	put_escaped_cstr(stdout, v->explanation);
	printf("; dns_lookups %u, void_lookups %u\n", v->dns_lookups,
	    v->void_lookups);
	for (i = 0; i < v->trace_count; i++) {
		printf("    %*s", (int)(2 * v->trace[i].depth), "");
		put_escaped_cstr(stdout, v->trace[i].text);
		putchar('\n');
	}
}

/* Everything a test needs from its scenario. */
struct scenario {
	const char *suite; /* "rfc7208" */
	bool rfc4408;
	char *description;
	struct inkan_resolver *resolver; /* NULL: zone data unusable */
	const char *zone_error;
};

static void
run_test(const struct scenario *sc, yaml_document_t *doc, const char *id,
    yaml_node_t *t, const struct options *o, struct tally *ty)
{
	struct inkan_spf_request req;
	struct inkan_spf *spf = NULL;
	struct inkan_spf_verdict *v = NULL;
	struct want w = { { NULL }, 0, NULL };
	char *host = NULL, *helo = NULL, *mailfrom = NULL, *spec = NULL,
	     *exp = NULL, *results[RESULTS_MAX] = { NULL }, *why = NULL,
	     *devwords = NULL, *why4408 = NULL;
	const struct deviation *dev = NULL;
	yaml_node_t *res = suite_yaml_get(doc, t, "result"), *sp;
	enum inkan_status st;
	size_t i;
	bool ok;

	memset(&req, 0, sizeof(req));
	sp = suite_yaml_get(doc, t, "spec");
	if (sp != NULL && sp->type == YAML_SEQUENCE_NODE) {
		/* Several sections: "4.3/1, 5/10/3". */
		struct inkan_buf b;
		yaml_node_item_t *it;

		inkan_buf_init(&b, TEXT_MAX);
		for (it = sp->data.sequence.items.start;
		     it < sp->data.sequence.items.top; it++) {
			if (b.len > 0)
				inkan_buf_append_cstr(&b, ", ");
			scalar_bytes(suite_yaml_node(doc, *it), &b);
		}
		if (b.err == INKAN_OK)
			spec = (char *)inkan_buf_steal(&b, NULL);
		inkan_buf_clear(&b);
	} else {
		spec = scalar_dup(sp);
	}
	if (sc->resolver == NULL) {
		suite_skip(&ty->c, "%s \"%s\" %s: %s", sc->suite,
		    sc->description, id, sc->zone_error);
		goto out;
	}
	host = scalar_dup(suite_yaml_get(doc, t, "host"));
	helo = scalar_dup(suite_yaml_get(doc, t, "helo"));
	mailfrom = scalar_dup(suite_yaml_get(doc, t, "mailfrom"));
	if (suite_yaml_get(doc, t, "explanation") != NULL)
		exp = scalar_dup(suite_yaml_get(doc, t, "explanation"));
	if (res != NULL && res->type == YAML_SEQUENCE_NODE) {
		yaml_node_item_t *it;

		for (it = res->data.sequence.items.start;
		     it < res->data.sequence.items.top &&
		     w.nresults < RESULTS_MAX;
		     it++) {
			char *r = scalar_dup(suite_yaml_node(doc, *it));

			if (r == NULL)
				continue;
			results[w.nresults] = r;
			w.results[w.nresults++] = r;
		}
	} else if ((results[0] = scalar_dup(res)) != NULL) {
		w.results[w.nresults++] = results[0];
	}
	w.explanation = exp;
	if (host == NULL || w.nresults == 0) {
		suite_skip(&ty->c,
		    "%s \"%s\" %s: no host or no result in the test", sc->suite,
		    sc->description, id);
		goto out;
	}
	if (inkan_spf_ip_parse(host, &req.ip) != INKAN_OK) {
		suite_fail(&ty->c,
		    "%s \"%s\" %s: host %s does not parse as an address "
		    "(spec %s)",
		    sc->suite, sc->description, id, host,
		    spec != NULL ? spec : "?");
		goto out;
	}
	req.helo = helo;
	req.mail_from = mailfrom != NULL ? mailfrom : "";
	if ((st = inkan_spf_new(sc->resolver, NULL, &spf)) != INKAN_OK ||
	    (st = inkan_spf_check(spf, &req, INKAN_SPF_TRACE, &v)) !=
		INKAN_OK) {
		suite_fail(&ty->c,
		    "%s \"%s\" %s: inkan_spf_check: %s (spec %s)", sc->suite,
		    sc->description, id, inkan_strerror(st),
		    spec != NULL ? spec : "?");
		goto out;
	}
	ok = verdict_matches(v, &req, &w, &why);
	if (!ok && sc->rfc4408 && (dev = find_deviation(id)) != NULL) {
		/* Check against what RFC 7208 says instead. */
		struct want w7 = { { NULL }, 0, dev->exp };

		devwords = strdup(dev->want);
		if (devwords == NULL) {
			fputs("spf_openspf: out of memory\n", stderr);
			exit(1);
		}
		want_from_words(&w7, devwords);
		why4408 = why;
		ok = verdict_matches(v, &req, &w7, &why);
		if (ok) {
			printf("deviation (RFC 7208 %s) %s \"%s\" %s: %s; "
			       "as RFC 7208 says: %s\n",
			    dev->section, sc->suite, sc->description, id,
			    why4408 != NULL ? why4408 : "mismatch", dev->why);
			ty->deviations++;
		}
	}
	if (ok && !o->verbose) {
		ty->c.passed++;
	} else if (ok) {
		suite_ok(&ty->c, "%s \"%s\" %s: %s (spec %s)", sc->suite,
		    sc->description, id, inkan_spf_result_name(v->result),
		    spec != NULL ? spec : "?");
		print_trace(v);
	} else {
		suite_fail(&ty->c, "%s \"%s\" %s: %s%s (spec %s)", sc->suite,
		    sc->description, id, why != NULL ? why : "mismatch",
		    dev != NULL ? " (per the RFC 7208 deviation entry)" : "",
		    spec != NULL ? spec : "?");
		if (o->verbose)
			print_trace(v);
		else {
			printf("    reason: ");
			put_escaped_cstr(stdout, v->reason);
			putchar('\n');
		}
	}
out:
	inkan_spf_verdict_free(&v);
	inkan_spf_free(&spf);
	free(host);
	free(helo);
	free(mailfrom);
	free(spec);
	free(exp);
	free(why);
	free(why4408);
	free(devwords);
	for (i = 0; i < RESULTS_MAX; i++)
		free(results[i]);
}

/* Runs one scenario (YAML document). */
static void
run_scenario(const char *suite, bool rfc4408, yaml_document_t *doc,
    const struct options *o, struct tally *ty)
{
	yaml_node_t *root = yaml_document_get_root_node(doc), *tests;
	struct scenario sc = { suite, rfc4408, NULL, NULL, NULL };
	char zerr[512] = "";
	yaml_node_pair_t *p;
	bool any = o->only_id == NULL;

	if (root == NULL)
		return; /* an empty document */
	tests = suite_yaml_get(doc, root, "tests");
	if (tests == NULL || tests->type != YAML_MAPPING_NODE) {
		suite_fail(&ty->c, "%s: a scenario without tests", suite);
		return;
	}
	for (p = tests->data.mapping.pairs.start;
	     !any && p < tests->data.mapping.pairs.top; p++)
		any = is_scalar(suite_yaml_node(doc, p->key), o->only_id);
	if (!any)
		return;
	sc.description = scalar_dup(suite_yaml_get(doc, root, "description"));
	if (sc.description == NULL)
		sc.description = strdup("?");
	if (o->zones)
		printf("scenario %s \"%s\":\n", suite, sc.description);
	sc.resolver = load_zone(
	    doc, suite_yaml_get(doc, root, "zonedata"), o, zerr, sizeof(zerr));
	sc.zone_error = zerr;
	for (p = tests->data.mapping.pairs.start;
	     p < tests->data.mapping.pairs.top; p++) {
		char *id = scalar_dup(suite_yaml_node(doc, p->key));

		if (id != NULL &&
		    (o->only_id == NULL || strcmp(id, o->only_id) == 0))
			run_test(&sc, doc, id, suite_yaml_node(doc, p->value),
			    o, ty);
		free(id);
	}
	inkan_resolver_free(&sc.resolver);
	free(sc.description);
}

/*
 * Runs every scenario of path. Returns false when the file cannot be
 * read or parsed (counted as a failure).
 */
static bool
run_file(const char *path, const char *suite, bool rfc4408,
    const struct options *o, struct tally *ty)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	FILE *f = fopen(path, "rb");
	bool ok = true;

	if (f == NULL) {
		suite_fail(&ty->c, "%s: cannot open %s: %s", suite, path,
		    strerror(errno));
		return false;
	}
	if (!yaml_parser_initialize(&parser)) {
		fclose(f);
		fputs("spf_openspf: out of memory\n", stderr);
		exit(1);
	}
	yaml_parser_set_input_file(&parser, f);
	for (;;) {
		bool empty;

		if (!yaml_parser_load(&parser, &doc)) {
			suite_fail(&ty->c,
			    "%s: YAML error in %s at line %zu: %s", suite, path,
			    parser.problem_mark.line + 1,
			    parser.problem != NULL ? parser.problem : "?");
			ok = false;
			break;
		}
		empty = yaml_document_get_root_node(&doc) == NULL;
		if (!empty)
			run_scenario(suite, rfc4408, &doc, o, ty);
		yaml_document_delete(&doc);
		if (empty)
			break; /* libyaml: an empty document ends the stream */
	}
	yaml_parser_delete(&parser);
	fclose(f);
	return ok;
}

/* Prints a suite's counts; the exit status for them. */
static int
print_counts(const char *suite, const struct tally *ty)
{
	printf("%s suite:\n", suite);
	if (ty->deviations > 0)
		printf("%s: %u deviations from the RFC 4408 suite where RFC "
		       "7208 changed the behaviour, each checked against RFC "
		       "7208 and counted as passed\n",
		    suite, ty->deviations);
	return suite_report(&ty->c);
}

static int
usage(void)
{
	fputs("usage: conformance_spf_openspf [-v] [--zones] "
	      "[FILE.yml | TEST-ID]\n",
	    stderr);
	return 2;
}

int
main(int argc, char **argv)
{
	static const struct {
		const char *file;
		const char *suite;
		bool rfc4408;
	} suites[] = {
		{ "rfc7208-tests.yml", "rfc7208", false },
		{ "rfc4408-tests.yml", "rfc4408", true },
	};
	struct options o = { false, false, NULL };
	const char *file = NULL;
	char dir[4096], path[4200];
	bool failed = false;
	size_t i;
	int a;

	for (a = 1; a < argc; a++) {
		size_t n = strlen(argv[a]);

		if (strcmp(argv[a], "-v") == 0)
			o.verbose = true;
		else if (strcmp(argv[a], "--zones") == 0)
			o.zones = true;
		else if (argv[a][0] == '-' || file != NULL || o.only_id != NULL)
			return usage();
		else if (n > 4 && strcmp(argv[a] + n - 4, ".yml") == 0)
			file = argv[a];
		else
			o.only_id = argv[a];
	}
	if (file != NULL) {
		struct tally ty = { { 0, 0, 0 }, 0 };
		bool r4408 = strstr(file, "4408") != NULL;
		const char *suite = r4408 ? "rfc4408" : "rfc7208";

		run_file(file, suite, r4408, &o, &ty);
		return print_counts(suite, &ty);
	}
	if (!suite_dir(SUITE, dir, sizeof(dir))) {
		printf("SKIP: the SPF test suites are not there (%s/%s); "
		       "set INKAN_TESTSUITES_DIR at configure time to a "
		       "directory holding spf-openspf/\n",
		    INKAN_TESTSUITES_DIR, SUITE);
		return 77;
	}
	for (i = 0; i < sizeof(suites) / sizeof(suites[0]); i++) {
		struct tally ty = { { 0, 0, 0 }, 0 };

		snprintf(path, sizeof(path), "%s/%s", dir, suites[i].file);
		run_file(path, suites[i].suite, suites[i].rfc4408, &o, &ty);
		failed = print_counts(suites[i].suite, &ty) != 0 || failed;
	}
	return failed ? 1 : 0;
}
