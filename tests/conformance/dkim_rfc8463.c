/*
 * dkim_rfc8463.c: the worked example of RFC 8463 Appendix A
 * (INKAN_TESTSUITES_DIR/dkim-rfc8463-example).
 *
 * - signed.eml verifies: the Ed25519 signature (s=brisbane) and the RSA
 *   one (s=test) both pass with the keys of dns.json; as CRLF, as the LF
 *   file with INKAN_DKIM_ALLOW_LF, and fed one byte at a time.
 * - Re-signing the message without its signatures, with private-ec.key
 *   (and private-rsa.key), c=relaxed/relaxed, t=1528637909, i= and the
 *   same h= list, reproduces bh= and b= exactly: Ed25519 (RFC 8032) and
 *   RSASSA-PKCS1-v1_5 are deterministic, so the same signed data gives the
 *   same b=. The signed data includes the DKIM-Signature field itself
 *   (RFC 6376 3.7), so b= only comes out the same when the signer writes
 *   the same tags in the same order as the example (up to relaxed
 *   canonicalisation's whitespace rules).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dkim_support.h"

#define SUITE "dkim-rfc8463-example"
#define EXAMPLE_T 1528637909 /* RFC 8463 A.3: t= */
#define EXAMPLE_H \
	"from : to : subject : date : message-id : from : subject : date"

/* ---- a JSON reader for dns.json's shape ----------------------------------
 * { name: { "TXT": [ [string, ...], ... ], other: any }, ... }
 * Only what the file uses: objects, arrays, strings with the simple
 * escapes, and skipped scalars.
 */

struct json_in {
	const uint8_t *p, *end;
	bool bad;
};

static void
json_ws(struct json_in *j)
{
	while (j->p < j->end &&
	    (*j->p == ' ' || *j->p == '\t' || *j->p == '\r' || *j->p == '\n'))
		j->p++;
}

static bool
json_eat(struct json_in *j, uint8_t c)
{
	json_ws(j);
	if (j->p < j->end && *j->p == c) {
		j->p++;
		return true;
	}
	return false;
}

/* A string into out (reset first). */
static bool
json_string(struct json_in *j, struct inkan_buf *out)
{
	inkan_buf_reset(out);
	if (!json_eat(j, '"'))
		return false;
	while (j->p < j->end && *j->p != '"') {
		uint8_t c = *j->p++;

		if (c == '\\') {
			if (j->p == j->end)
				return false;
			c = *j->p++;
			if (c == 'n')
				c = '\n';
			else if (c == 't')
				c = '\t';
			else if (c != '"' && c != '\\' && c != '/')
				return false; /* \u and others: not used */
		}
		inkan_buf_append_byte(out, c);
	}
	return json_eat(j, '"') && out->err == INKAN_OK;
}

static bool
json_skip(struct json_in *j, int depth)
{
	struct inkan_buf tmp;
	bool ok = true;

	if (depth > 16)
		return false;
	json_ws(j);
	if (j->p == j->end)
		return false;
	if (*j->p == '"') {
		inkan_buf_init(&tmp, 65536);
		ok = json_string(j, &tmp);
		inkan_buf_clear(&tmp);
		return ok;
	}
	if (*j->p == '[' || *j->p == '{') {
		uint8_t close = *j->p == '[' ? ']' : '}';
		bool obj = *j->p == '{';

		j->p++;
		if (json_eat(j, close))
			return true;
		do {
			if (obj) {
				inkan_buf_init(&tmp, 65536);
				ok = json_string(j, &tmp) && json_eat(j, ':');
				inkan_buf_clear(&tmp);
				if (!ok)
					return false;
			}
			if (!json_skip(j, depth + 1))
				return false;
		} while (json_eat(j, ','));
		return json_eat(j, close);
	}
	while (j->p < j->end && *j->p != ',' && *j->p != ']' && *j->p != '}')
		j->p++;
	return true;
}

/* Adds every TXT record of dns.json to zone resolver r; the count. */
static int
load_dns_json(const struct inkan_buf *text, struct inkan_resolver *r)
{
	struct json_in j = { text->data, text->data + text->len, false };
	struct inkan_buf name, key, strings[16];
	struct inkan_view views[16];
	int records = 0;
	size_t i, n;

	inkan_buf_init(&name, 300);
	inkan_buf_init(&key, 300);
	for (i = 0; i < 16; i++)
		inkan_buf_init(&strings[i], 255);
	if (!json_eat(&j, '{'))
		goto bad;
	if (json_eat(&j, '}'))
		goto done;
	do {
		if (!json_string(&j, &name) || !json_eat(&j, ':') ||
		    !json_eat(&j, '{'))
			goto bad;
		if (json_eat(&j, '}'))
			continue;
		do {
			if (!json_string(&j, &key) || !json_eat(&j, ':'))
				goto bad;
			if (strcmp(inkan_buf_cstr(&key), "TXT") != 0) {
				if (!json_skip(&j, 0))
					goto bad;
				continue;
			}
			if (!json_eat(&j, '['))
				goto bad;
			if (json_eat(&j, ']'))
				continue;
			do {
				if (!json_eat(&j, '['))
					goto bad;
				n = 0;
				do {
					if (n == 16 ||
					    !json_string(&j, &strings[n]))
						goto bad;
					views[n] = inkan_buf_view(&strings[n]);
					n++;
				} while (json_eat(&j, ','));
				if (!json_eat(&j, ']'))
					goto bad;
				if (inkan_resolver_zone_add_txt(r,
					inkan_buf_cstr(&name), 300, views,
					n) != INKAN_OK)
					goto bad;
				records++;
			} while (json_eat(&j, ','));
			if (!json_eat(&j, ']'))
				goto bad;
		} while (json_eat(&j, ','));
		if (!json_eat(&j, '}'))
			goto bad;
	} while (json_eat(&j, ','));
	if (!json_eat(&j, '}'))
		goto bad;
	goto done;
bad:
	records = -1;
done:
	inkan_buf_clear(&name);
	inkan_buf_clear(&key);
	for (i = 0; i < 16; i++)
		inkan_buf_clear(&strings[i]);
	return records;
}

/* ---- the checks ------------------------------------------------------------
 */

/*
 * The value of tag name in DKIM-Signature field text (tags are split on
 * ';'), with all whitespace removed, into out; false when absent.
 */
static bool
tag_value(struct inkan_view field, const char *name, struct inkan_buf *out)
{
	size_t n = strlen(name);
	const uint8_t *p = field.ptr, *end = field.ptr + field.len;
	const uint8_t *colon = memchr(p, ':', field.len);

	inkan_buf_reset(out);
	if (colon == NULL)
		return false;
	p = colon + 1;
	while (p < end) {
		const uint8_t *semi = memchr(p, ';', (size_t)(end - p));
		const uint8_t *stop = semi != NULL ? semi : end;

		while (p < stop &&
		    (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
			p++;
		if ((size_t)(stop - p) > n && memcmp(p, name, n) == 0) {
			const uint8_t *q = p + n;

			while (q < stop &&
			    (*q == ' ' || *q == '\t' || *q == '\r' ||
				*q == '\n'))
				q++;
			if (q < stop && *q == '=') {
				for (q++; q < stop; q++)
					if (*q != ' ' && *q != '\t' &&
					    *q != '\r' && *q != '\n')
						inkan_buf_append_byte(out, *q);
				return out->err == INKAN_OK;
			}
		}
		p = stop + (semi != NULL ? 1 : 0);
	}
	return false;
}

/*
 * Splits a CRLF message into its DKIM-Signature fields (appended to sigs,
 * each with its CRLF) and the rest (appended to rest).
 */
static void
split_signatures(
    struct inkan_view msg, struct inkan_buf *sigs, struct inkan_buf *rest)
{
	size_t i = 0;
	bool in_sig = false, in_body = false;

	while (i < msg.len) {
		const uint8_t *nl = memchr(msg.ptr + i, '\n', msg.len - i);
		size_t end = nl != NULL ? (size_t)(nl - msg.ptr) + 1 : msg.len;
		struct inkan_view line = inkan_view_make(msg.ptr + i, end - i);

		if (!in_body) {
			if (line.len <= 2 && line.ptr[0] == '\r')
				in_body = true;
			else if (line.ptr[0] != ' ' && line.ptr[0] != '\t')
				in_sig = inkan_view_prefix_nocase(
				    line, inkan_view_cstr("DKIM-Signature:"));
		}
		inkan_buf_append_view(!in_body && in_sig ? sigs : rest, line);
		i = end;
	}
}

static int64_t
example_clock(void *arg)
{
	(void)arg;
	return EXAMPLE_T;
}

static void
check_verify(struct suite_counts *c, struct inkan_dkim *dkim, const char *what,
    const struct inkan_buf *msg, unsigned flags, size_t chunk)
{
	static const struct {
		const char *selector;
		enum inkan_dkim_algorithm alg;
	} want[] = {
		{ "brisbane", INKAN_DKIM_ED25519_SHA256 },
		{ "test", INKAN_DKIM_RSA_SHA256 },
	};
	struct inkan_dkim_verify *v = NULL;
	const struct inkan_dkim_sig *sigs;
	enum inkan_status st;
	size_t n, i;

	st = dkim_verify_bytes(dkim, msg->data, msg->len, flags, chunk, &v);
	if (st != INKAN_OK) {
		suite_fail(c, "%s: verify: %s (%s)", what, inkan_strerror(st),
		    inkan_dkim_verify_error(v));
		goto out;
	}
	inkan_dkim_verify_results(v, &sigs, &n);
	if (n != 2) {
		suite_fail(c, "%s: got %zu signatures, want 2", what, n);
		goto out;
	}
	for (i = 0; i < 2; i++) {
		const struct inkan_dkim_sig *s = &sigs[i];

		if (s->result != INKAN_DKIM_PASS || s->selector == NULL ||
		    strcmp(s->selector, want[i].selector) != 0 ||
		    s->domain == NULL ||
		    strcmp(s->domain, "football.example.com") != 0 ||
		    s->algorithm != want[i].alg || s->timestamp != EXAMPLE_T)
			suite_fail(c,
			    "%s: signature %zu: got %s s=%s d=%s a=%s t=%lld "
			    "(%s), want pass s=%s d=football.example.com a=%s "
			    "t=%d",
			    what, i + 1, inkan_dkim_result_name(s->result),
			    s->selector ? s->selector : "-",
			    s->domain ? s->domain : "-",
			    inkan_dkim_algorithm_name(s->algorithm),
			    (long long)s->timestamp, s->reason,
			    want[i].selector,
			    inkan_dkim_algorithm_name(want[i].alg), EXAMPLE_T);
		else
			suite_ok(c, "%s: s=%s %s pass", what, s->selector,
			    inkan_dkim_algorithm_name(s->algorithm));
	}
out:
	inkan_dkim_verify_free(&v);
}

/*
 * Signs unsigned (CRLF) with the key in dir/keyfile and compares bh= and
 * b= with those of the example's field orig.
 */
static void
check_resign(struct suite_counts *c, struct inkan_dkim *dkim, const char *dir,
    const char *keyfile, struct inkan_view orig, const struct inkan_buf *unsig)
{
	struct inkan_dkim_sign_options so;
	struct inkan_dkim_key *key = NULL;
	struct inkan_dkim_sign *s = NULL;
	struct inkan_buf out, got, want;
	char path[4096];
	enum inkan_status st;

	inkan_buf_init(&out, 65536);
	inkan_buf_init(&got, 4096);
	inkan_buf_init(&want, 4096);
	snprintf(path, sizeof(path), "%s/%s", dir, keyfile);
	if ((st = inkan_dkim_key_load_file(path, &key)) != INKAN_OK) {
		suite_fail(
		    c, "re-sign with %s: key: %s", keyfile, inkan_strerror(st));
		goto out;
	}
	inkan_dkim_sign_options_init(&so);
	so.domain = "football.example.com";
	so.selector = inkan_dkim_key_algorithm(key) == INKAN_DKIM_ED25519_SHA256
	    ? "brisbane"
	    : "test";
	so.identity = "@football.example.com";
	so.headers = EXAMPLE_H;
	so.header_canon = INKAN_DKIM_RELAXED;
	so.body_canon = INKAN_DKIM_RELAXED;
	so.timestamp = true;
	if ((st = inkan_dkim_sign_new(dkim, &so, &key, 1, 0, &s)) != INKAN_OK ||
	    (st = inkan_dkim_sign_feed(s, unsig->data, unsig->len)) !=
		INKAN_OK ||
	    (st = inkan_dkim_sign_finish(s, &out)) != INKAN_OK) {
		suite_fail(c, "re-sign with %s: %s (%s)", keyfile,
		    inkan_strerror(st), s ? inkan_dkim_sign_error(s) : "");
		goto out;
	}
	tag_value(orig, "bh", &want);
	if (!tag_value(inkan_buf_view(&out), "bh", &got) ||
	    strcmp(inkan_buf_cstr(&got), inkan_buf_cstr(&want)) != 0)
		suite_fail(c, "re-sign with %s: got bh=%s, want %s", keyfile,
		    inkan_buf_cstr(&got), inkan_buf_cstr(&want));
	else
		suite_ok(c, "re-sign with %s: bh= reproduced", keyfile);
	tag_value(orig, "b", &want);
	if (!tag_value(inkan_buf_view(&out), "b", &got) ||
	    strcmp(inkan_buf_cstr(&got), inkan_buf_cstr(&want)) != 0)
		suite_fail(c,
		    "re-sign with %s: b= differs:\n  got  %s\n  want %s\n"
		    "  the produced field:\n%s  the example's:\n%.*s",
		    keyfile, inkan_buf_cstr(&got), inkan_buf_cstr(&want),
		    inkan_buf_cstr(&out), (int)orig.len,
		    (const char *)orig.ptr);
	else
		suite_ok(c, "re-sign with %s: b= reproduced exactly", keyfile);
out:
	inkan_dkim_sign_free(&s);
	inkan_dkim_key_free(&key);
	inkan_buf_clear(&out);
	inkan_buf_clear(&got);
	inkan_buf_clear(&want);
}

/* The i-th (0-based) DKIM-Signature field in sigs (CRLF fields). */
static struct inkan_view
nth_field(const struct inkan_buf *sigs, size_t i)
{
	struct inkan_view v = inkan_buf_view(sigs);
	size_t start = 0, k, at = 0;

	for (k = 0; k + 15 <= v.len; k++) {
		if ((k == 0 || v.ptr[k - 1] == '\n') &&
		    inkan_view_prefix_nocase(
			inkan_view_make(v.ptr + k, v.len - k),
			inkan_view_cstr("DKIM-Signature:"))) {
			if (at == i + 1)
				return inkan_view_make(
				    v.ptr + start, k - start);
			start = k;
			at++;
		}
	}
	return at == i + 1 ? inkan_view_make(v.ptr + start, v.len - start)
			   : inkan_view_make(v.ptr, 0);
}

int
main(void)
{
	char dir[4096];
	struct suite_counts c = { 0 };
	struct inkan_resolver *r = NULL;
	struct inkan_dkim *dkim = NULL, *signer = NULL;
	struct inkan_dkim_policy pol;
	struct inkan_buf json, raw, crlf, sigs, unsig;
	int n, rc = 1;

	if (!suite_dir(SUITE, dir, sizeof(dir))) {
		printf("skip: %s is absent\n", dir);
		return 77;
	}
	inkan_buf_init(&json, SUITE_FILE_MAX);
	inkan_buf_init(&raw, SUITE_FILE_MAX);
	inkan_buf_init(&crlf, 2 * SUITE_FILE_MAX);
	inkan_buf_init(&sigs, SUITE_FILE_MAX);
	inkan_buf_init(&unsig, 2 * SUITE_FILE_MAX);
	if (inkan_resolver_new_zone(NULL, &r) != INKAN_OK ||
	    !suite_read_file(dir, "dns.json", &json) ||
	    !suite_read_file(dir, "signed.eml", &raw) ||
	    dkim_to_crlf(raw.data, raw.len, &crlf) != INKAN_OK) {
		printf("FAIL cannot set up (resolver, dns.json, signed.eml)\n");
		goto out;
	}
	if ((n = load_dns_json(&json, r)) < 2) {
		suite_fail(&c, "dns.json: got %d TXT records, want 3", n);
		goto report;
	}
	suite_ok(&c, "dns.json: %d TXT records loaded", n);
	if (inkan_dkim_new(r, NULL, NULL, &dkim) != INKAN_OK) {
		printf("FAIL inkan_dkim_new\n");
		goto out;
	}
	check_verify(&c, dkim, "signed.eml as CRLF", &crlf, 0, 0);
	check_verify(&c, dkim, "signed.eml as LF with ALLOW_LF", &raw,
	    INKAN_DKIM_ALLOW_LF, 0);
	check_verify(
	    &c, dkim, "signed.eml as CRLF, 1-byte chunks", &crlf, 0, 1);
	check_verify(
	    &c, dkim, "signed.eml as CRLF, 7-byte chunks", &crlf, 0, 7);

	/* RFC 8463 A.3: the same message signed again gives the same b=. */
	split_signatures(inkan_buf_view(&crlf), &sigs, &unsig);
	inkan_dkim_policy_init(&pol);
	pol.now = example_clock;
	if (inkan_dkim_new(NULL, NULL, &pol, &signer) != INKAN_OK) {
		printf("FAIL inkan_dkim_new (signer)\n");
		goto out;
	}
	check_resign(
	    &c, signer, dir, "private-ec.key", nth_field(&sigs, 0), &unsig);
	check_resign(
	    &c, signer, dir, "private-rsa.key", nth_field(&sigs, 1), &unsig);
report:
	rc = suite_report(&c);
out:
	inkan_dkim_free(&dkim);
	inkan_dkim_free(&signer);
	inkan_resolver_free(&r);
	inkan_buf_clear(&json);
	inkan_buf_clear(&raw);
	inkan_buf_clear(&crlf);
	inkan_buf_clear(&sigs);
	inkan_buf_clear(&unsig);
	return rc;
}
