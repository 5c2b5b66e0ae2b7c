/*
 * dkim_mail_dkim_perl.c: the verifier corpus of Perl's Mail::DKIM
 * (INKAN_TESTSUITES_DIR/dkim-mail-dkim-perl), run unedited.
 *
 * FAKE_DNS.dat goes into a zone resolver: a value is one TXT record (split
 * into 255-byte strings), NXDOMAIN leaves the name out, ~~text~~ injects a
 * fault (TIMEOUT for "timed out", SERVFAIL otherwise). Every row of
 * expected.tsv is verified and Mail::DKIM's result mapped to RFC 8601
 * words (RFC 8601 2.7.1):
 *
 *	pass	-> pass (at least one signature passes; Mail::DKIM reports
 *		   the best signature)
 *	fail	-> fail (every signature)
 *	invalid	-> permerror, neutral or policy (every signature); a DNS
 *		   failure -> temperror
 *
 * Where a later RFC requires something else, the row is in deviations[]
 * with the section and the reason, and is checked against what that RFC
 * requires instead (never skipped): RFC 8301 3.1 (rsa-sha1 never passes),
 * 3.2 (RSA keys under 1024 bits never pass), RFC 6376 3.5 and 6.1.1 (v=
 * is required and must be "1": the pre-RFC drafts' signatures without
 * v=, or with v=0.5, are PERMFAIL).
 *
 * A second pass runs the "default" DKIM rows again with a legacy policy
 * (allow_rsa_sha1, rsa_min_bits 0: what Mail::DKIM's default mode
 * accepts), scored directly against Mail::DKIM's results except where
 * RFC 6376 itself differs (legacy_deviations[]: no v=, v=0.5, and g=,
 * which RFC 6376 3.6.1 no longer has). It shows that the rsa-sha1 and
 * short-key rows fail in the first pass only because of RFC 8301, and
 * it exercises the key-record rules those rows test.
 *
 * Messages with only DomainKeys signatures (RFC 4870, historic; no
 * DKIM-Signature field) must give no result at all (none). Rows upstream
 * itself skips (the ietf-00 draft signatures) are skipped with that
 * reason.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dkim_support.h"

#define SUITE "dkim-mail-dkim-perl"

#define NOT_PASS                                                     \
	(DKIM_R(INKAN_DKIM_PERMERROR) | DKIM_R(INKAN_DKIM_NEUTRAL) | \
	    DKIM_R(INKAN_DKIM_POLICY))
#define BAD_VERSION (DKIM_R(INKAN_DKIM_PERMERROR) | DKIM_R(INKAN_DKIM_NEUTRAL))

/* Rows whose result a later RFC changes: checked against that RFC. */
static const struct deviation {
	const char *file;
	const char *section;
	const char *why;
	unsigned want; /* every signature's result is one of these */
} deviations[] = {
	/* RFC 6376 3.5: "v= ... REQUIRED"; 6.1.1: a missing required tag
	 * or another version is PERMFAIL. */
	{ "mine_ietf01_1.txt", "RFC 6376 3.5, 6.1.1",
	    "draft ietf-01 signature without v= (and rsa-sha1, RFC 8301 3.1)",
	    BAD_VERSION | NOT_PASS },
	{ "mine_ietf01_2.txt", "RFC 6376 3.5, 6.1.1",
	    "draft ietf-01 signature without v= (and rsa-sha1, RFC 8301 3.1)",
	    BAD_VERSION | NOT_PASS },
	{ "mine_ietf01_3.txt", "RFC 6376 3.5, 6.1.1",
	    "draft ietf-01 signature without v=", BAD_VERSION },
	{ "mine_ietf01_4.txt", "RFC 6376 3.5, 6.1.1",
	    "draft ietf-01 signature without v=", BAD_VERSION },
	{ "good_ietf01_1.txt", "RFC 6376 3.5, 6.1.1; RFC 8301 3.2",
	    "draft ietf-01 signature without v=; 768-bit key",
	    BAD_VERSION | NOT_PASS },
	{ "good_ietf01_2.txt", "RFC 6376 3.5, 6.1.1; RFC 8301 3.1, 3.2",
	    "draft ietf-01 signature without v=; rsa-sha1; 768-bit key",
	    BAD_VERSION | NOT_PASS },
	{ "multiple_1.txt", "RFC 6376 3.5, 6.1.1; RFC 8301 3.2",
	    "four draft ietf-01 signatures without v=; 768-bit key",
	    BAD_VERSION | NOT_PASS },
	{ "bad_1.txt", "RFC 6376 3.5, 6.1.1; RFC 8301 3.2",
	    "no v= (and a 768-bit key): PERMFAIL before any crypto, so "
	    "Mail::DKIM's fail may also be permerror",
	    BAD_VERSION | NOT_PASS | DKIM_R(INKAN_DKIM_FAIL) },
	{ "bad_ietf01_1.txt", "RFC 6376 3.5, 6.1.1; RFC 8301 3.2",
	    "no v= (and a 768-bit key): PERMFAIL before any crypto",
	    BAD_VERSION | NOT_PASS | DKIM_R(INKAN_DKIM_FAIL) },
	{ "bad_ietf01_2.txt", "RFC 6376 3.5, 6.1.1; RFC 8301 3.2",
	    "no v= (and a 768-bit key): PERMFAIL before any crypto",
	    BAD_VERSION | NOT_PASS | DKIM_R(INKAN_DKIM_FAIL) },
	{ "bad_ietf01_3.txt", "RFC 6376 3.5, 6.1.1; RFC 8301 3.2",
	    "no v= (and a 768-bit key): PERMFAIL before any crypto",
	    BAD_VERSION | NOT_PASS | DKIM_R(INKAN_DKIM_FAIL) },
	{ "mine_ietf05_1.txt", "RFC 6376 6.1.1; RFC 8301 3.1",
	    "v=0.5 (draft ietf-05), rsa-sha1", BAD_VERSION | NOT_PASS },
	{ "no_body_1.txt", "RFC 6376 6.1.1; RFC 8301 3.1",
	    "v=0.5 (draft), rsa-sha1", BAD_VERSION | NOT_PASS },
	{ "no_body_2.txt", "RFC 6376 6.1.1; RFC 8301 3.1",
	    "v=0.5 (draft), rsa-sha1", BAD_VERSION | NOT_PASS },
	{ "no_body_3.txt", "RFC 6376 6.1.1; RFC 8301 3.1",
	    "v=0.5 (draft), rsa-sha1", BAD_VERSION | NOT_PASS },
	/* RFC 8301 3.1: "Verifiers MUST NOT consider signatures using
	 * RSA-SHA1 valid"; 3.2: RSA keys under 1024 bits likewise. */
	{ "good_1878523.txt", "RFC 8301 3.1, 3.2", "rsa-sha1, 512-bit key",
	    NOT_PASS },
	{ "good_83176.txt", "RFC 8301 3.1", "rsa-sha1", NOT_PASS },
	{ "good_qp_1.txt", "RFC 8301 3.1, 3.2", "rsa-sha1, 512-bit key",
	    NOT_PASS },
	{ "good_qp_2.txt", "RFC 8301 3.1, 3.2", "rsa-sha1, 512-bit key",
	    NOT_PASS },
	{ "good_qp_3.txt", "RFC 8301 3.1, 3.2", "rsa-sha1, 512-bit key",
	    NOT_PASS },
	{ "good_rfc4871_3.txt", "RFC 8301 3.1, 3.2", "rsa-sha1, 512-bit key",
	    NOT_PASS },
	{ "good_rfc4871_4.txt", "RFC 8301 3.1, 3.2", "rsa-sha1, 512-bit key",
	    NOT_PASS },
	{ "goodkey_1.txt", "RFC 8301 3.1, 3.2", "rsa-sha1, 512-bit key",
	    NOT_PASS },
	{ "goodkey_2.txt", "RFC 8301 3.1, 3.2", "rsa-sha1, 512-bit key",
	    NOT_PASS },
	{ "goodkey_3.txt", "RFC 8301 3.1, 3.2", "rsa-sha1, 512-bit key",
	    NOT_PASS },
	{ "goodkey_4.txt", "RFC 8301 3.1, 3.2", "rsa-sha1, 512-bit key",
	    NOT_PASS },
	{ "multiple_2.txt", "RFC 8301 3.1",
	    "three rsa-sha1 signatures (one of them does not verify: fail) "
	    "and one malformed; Mail::DKIM reports the best one",
	    NOT_PASS | DKIM_R(INKAN_DKIM_FAIL) },
	/* RFC 6376 3.6.1 has no g= (RFC 4871's granularity) and ignores
	 * unknown tags: these keys are usable, and the rows stay "not
	 * pass" only through rsa-sha1 (RFC 8301 3.1). */
	{ "badkey_8.txt", "RFC 6376 3.6.1; RFC 8301 3.1, 3.2",
	    "g=*poe is ignored (no g= since RFC 6376); rsa-sha1, 512-bit "
	    "key",
	    NOT_PASS },
	{ "badkey_9.txt", "RFC 6376 3.6.1; RFC 8301 3.1, 3.2",
	    "empty g= is ignored (no g= since RFC 6376); rsa-sha1, 512-bit "
	    "key",
	    NOT_PASS },
	{ "badkey_12.txt", "RFC 6376 3.6.1; RFC 8301 3.1, 3.2",
	    "g= case mismatch is ignored (no g= since RFC 6376); rsa-sha1, "
	    "512-bit key",
	    NOT_PASS },
	{ "badkey_13.txt", "RFC 6376 3.6.1; RFC 8301 3.1, 3.2",
	    "g= vs i= is ignored (no g= since RFC 6376); rsa-sha1, 512-bit "
	    "key",
	    NOT_PASS },
	{ "bad_1878954.txt", "RFC 8301 3.1",
	    "rsa-sha1: may be refused before the signature is checked",
	    NOT_PASS | DKIM_R(INKAN_DKIM_FAIL) },
	{ "badkey_14.txt", "RFC 8301 3.1, 3.2",
	    "rsa-sha1 may be refused before the key lookup times out",
	    NOT_PASS | DKIM_R(INKAN_DKIM_TEMPERROR) },
	{ "badkey_15.txt", "RFC 8301 3.1, 3.2",
	    "rsa-sha1 may be refused before the key lookup SERVFAILs",
	    NOT_PASS | DKIM_R(INKAN_DKIM_TEMPERROR) },
};

#define PERMERROR DKIM_R(INKAN_DKIM_PERMERROR)

/*
 * The legacy pass allows rsa-sha1 and short keys, so only RFC 6376's own
 * rules differ from Mail::DKIM's default mode.
 */
static const struct deviation legacy_deviations[] = {
	/* RFC 6376 3.5 and 6.1.1: v= is required and must be 1. */
	{ "mine_ietf01_1.txt", "RFC 6376 3.5, 6.1.1", "no v= (draft ietf-01)",
	    PERMERROR },
	{ "mine_ietf01_2.txt", "RFC 6376 3.5, 6.1.1", "no v= (draft ietf-01)",
	    PERMERROR },
	{ "mine_ietf01_3.txt", "RFC 6376 3.5, 6.1.1", "no v= (draft ietf-01)",
	    PERMERROR },
	{ "mine_ietf01_4.txt", "RFC 6376 3.5, 6.1.1", "no v= (draft ietf-01)",
	    PERMERROR },
	{ "good_ietf01_1.txt", "RFC 6376 3.5, 6.1.1", "no v= (draft ietf-01)",
	    PERMERROR },
	{ "good_ietf01_2.txt", "RFC 6376 3.5, 6.1.1", "no v= (draft ietf-01)",
	    PERMERROR },
	{ "multiple_1.txt", "RFC 6376 3.5, 6.1.1",
	    "four signatures without v= (draft ietf-01)", PERMERROR },
	{ "bad_1.txt", "RFC 6376 3.5, 6.1.1",
	    "no v=: PERMFAIL before any crypto", PERMERROR },
	{ "bad_ietf01_1.txt", "RFC 6376 3.5, 6.1.1",
	    "no v=: PERMFAIL before any crypto", PERMERROR },
	{ "bad_ietf01_2.txt", "RFC 6376 3.5, 6.1.1",
	    "no v=: PERMFAIL before any crypto", PERMERROR },
	{ "bad_ietf01_3.txt", "RFC 6376 3.5, 6.1.1",
	    "no v=: PERMFAIL before any crypto", PERMERROR },
	{ "mine_ietf05_1.txt", "RFC 6376 6.1.1", "v=0.5 (draft ietf-05)",
	    PERMERROR },
	{ "no_body_1.txt", "RFC 6376 6.1.1", "v=0.5 (draft)", PERMERROR },
	{ "no_body_2.txt", "RFC 6376 6.1.1", "v=0.5 (draft)", PERMERROR },
	{ "no_body_3.txt", "RFC 6376 6.1.1", "v=0.5 (draft)", PERMERROR },
	/* RFC 6376 3.6.1: no g= any more, unknown tags are ignored, so
	 * these keys are usable and the signatures (which verify) pass. */
	{ "badkey_8.txt", "RFC 6376 3.6.1", "g=*poe is ignored",
	    DKIM_R(INKAN_DKIM_PASS) },
	{ "badkey_9.txt", "RFC 6376 3.6.1", "empty g= is ignored",
	    DKIM_R(INKAN_DKIM_PASS) },
	{ "badkey_12.txt", "RFC 6376 3.6.1", "g= (case) is ignored",
	    DKIM_R(INKAN_DKIM_PASS) },
	{ "badkey_13.txt", "RFC 6376 3.6.1", "g= vs i= is ignored",
	    DKIM_R(INKAN_DKIM_PASS) },
};

/* Names whose lookups fail: the rows Mail::DKIM calls invalid for DNS. */
static const char *const dns_error_rows[] = { "badkey_14.txt",
	"badkey_15.txt" };

static const struct deviation *
find_deviation(const struct deviation *devs, size_t n, const char *file)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(devs[i].file, file) == 0)
			return &devs[i];
	return NULL;
}

/* Loads FAKE_DNS.dat into zone resolver r; false with a message. */
static bool
load_fake_dns(const char *dir, struct inkan_resolver *r)
{
	char path[4096], line[4096];
	FILE *f;
	size_t lineno = 0;
	bool ok = true;

	if (snprintf(path, sizeof(path), "%s/FAKE_DNS.dat", dir) >=
	    (int)sizeof(path)) {
		printf("suite path too long: %s\n", dir);
		return false;
	}
	if ((f = fopen(path, "r")) == NULL) {
		printf("cannot open %s\n", path);
		return false;
	}
	while (ok && fgets(line, sizeof(line), f) != NULL) {
		char *name = line, *val, *end;
		struct inkan_view strings[16];
		size_t len, n = 0, off;

		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '#' || line[0] == ';' || line[0] == '\0')
			continue;
		val = name + strcspn(name, " \t");
		if (*val == '\0') {
			printf("FAKE_DNS.dat:%zu: no value\n", lineno);
			ok = false;
			break;
		}
		*val++ = '\0';
		val += strspn(val, " \t");
		end = val + strlen(val);
		while (end > val && (end[-1] == ' ' || end[-1] == '\t'))
			*--end = '\0';
		len = (size_t)(end - val);
		if (strcmp(val, "NXDOMAIN") == 0)
			continue; /* absent from the zone: NXDOMAIN */
		if (len >= 4 && strncmp(val, "~~", 2) == 0 &&
		    strcmp(end - 2, "~~") == 0) {
			enum inkan_dns_rcode rc = strstr(val, "timed out")
			    ? INKAN_DNS_TIMEOUT
			    : INKAN_DNS_SERVFAIL;

			ok = inkan_resolver_zone_inject(
				 r, name, INKAN_DNS_TXT, rc) == INKAN_OK;
			continue;
		}
		if (strcmp(val, "\"\"") == 0)
			len = 0; /* one empty character-string */
		/* RFC 1035 3.3.14: at most 255 bytes per string. */
		for (off = 0; (off < len || off == 0) && n < 16; off += 255) {
			size_t k = len - off < 255 ? len - off : 255;

			strings[n++] = inkan_view_make(val + off, k);
			if (len == 0)
				break;
		}
		ok = inkan_resolver_zone_add_txt(r, name, 300, strings, n) ==
		    INKAN_OK;
		if (!ok)
			printf(
			    "FAKE_DNS.dat:%zu: cannot add %s\n", lineno, name);
	}
	fclose(f);
	return ok;
}

static bool
is_dns_error_row(const char *file)
{
	size_t i;

	for (i = 0; i < sizeof(dns_error_rows) / sizeof(dns_error_rows[0]); i++)
		if (strcmp(dns_error_rows[i], file) == 0)
			return true;
	return false;
}

/* RFC 6376 3.4: the first line ending decides (one file is stored LF). */
static unsigned
line_flags(const struct inkan_buf *b)
{
	const uint8_t *lf = memchr(b->data, '\n', b->len);

	return lf != NULL && lf > b->data && lf[-1] == '\r'
	    ? 0
	    : INKAN_DKIM_ALLOW_LF;
}

/* true when a line of the header section starts "DKIM-Signature:". */
static bool
has_dkim_field(const struct inkan_buf *b)
{
	size_t i;

	for (i = 0; i < b->len; i++) {
		if (i > 0 && b->data[i - 1] != '\n')
			continue;
		if (b->data[i] == '\r' || b->data[i] == '\n')
			return false; /* the empty line: the body starts */
		if (inkan_view_prefix_nocase(
			inkan_view_make(b->data + i, b->len - i),
			inkan_view_cstr("DKIM-Signature:")))
			return true;
	}
	return false;
}

/* Appends "res(reason); ..." for every signature to out. */
static void
describe(const struct inkan_dkim_sig *sigs, size_t n, struct inkan_buf *out)
{
	size_t i;

	inkan_buf_reset(out);
	if (n == 0)
		inkan_buf_append_cstr(out, "none");
	for (i = 0; i < n; i++)
		inkan_buf_printf(out, "%s%s (a=%s, %u bits: %s)",
		    i > 0 ? "; " : "", inkan_dkim_result_name(sigs[i].result),
		    inkan_dkim_algorithm_name(sigs[i].algorithm),
		    sigs[i].key_bits, sigs[i].reason ? sigs[i].reason : "");
}

/*
 * One pass over expected.tsv with dkim. legacy: the second pass, with
 * rsa-sha1 and short keys allowed, over the "default" DKIM rows only.
 */
static void
run_pass(FILE *f, const char *cdir, struct inkan_dkim *dkim, bool legacy,
    const struct deviation *devs, size_t ndevs, struct suite_counts *c_,
    unsigned *ndev_r, unsigned *ndk_r)
{
	struct suite_counts c = *c_;
	char line[1024], set[128];
	struct inkan_buf msg, what;
	unsigned ndev = 0, ndk = 0;

	inkan_buf_init(&msg, SUITE_FILE_MAX);
	inkan_buf_init(&what, 65536);
	rewind(f);
	while (fgets(line, sizeof(line), f) != NULL) {
		char *file = line, *expect, *mode, *p;
		const struct deviation *dev;
		struct inkan_dkim_verify *v = NULL;
		const struct inkan_dkim_sig *sigs;
		enum inkan_status st;
		unsigned want;
		size_t n = 0, i, npass = 0, nin = 0;
		bool any_pass_wanted = false, ok;

		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		if ((expect = strchr(file, '\t')) == NULL ||
		    (mode = strchr(expect + 1, '\t')) == NULL) {
			suite_fail(&c, "expected.tsv: bad row '%s'", line);
			continue;
		}
		*expect++ = '\0';
		*mode++ = '\0';
		if ((p = strchr(mode, '\t')) != NULL)
			*p = '\0';
		if (legacy && strcmp(mode, "default") != 0)
			continue;
		if (strstr(mode, "skipped-upstream") != NULL &&
		    strncmp(file, "good_ietf00_", 12) == 0) {
			suite_skip(&c,
			    "%s [%s]: upstream skips it too (t/verifier.t: "
			    "draft ietf-00 signature)",
			    file, mode);
			continue;
		}
		if (!suite_read_file(cdir, file, &msg)) {
			suite_fail(&c, "%s: cannot read", file);
			continue;
		}
		st = dkim_verify_bytes(
		    dkim, msg.data, msg.len, line_flags(&msg), 0, &v);
		if (st != INKAN_OK) {
			suite_fail(&c, "%s [%s]: verify: %s (%s)", file, mode,
			    inkan_strerror(st), inkan_dkim_verify_error(v));
			inkan_dkim_verify_free(&v);
			continue;
		}
		inkan_dkim_verify_results(v, &sigs, &n);
		describe(sigs, n, &what);

		/* DomainKeys only: RFC 6376 is not RFC 4870. */
		if (legacy && !has_dkim_field(&msg)) {
			inkan_dkim_verify_free(&v);
			continue; /* checked for none in the first pass */
		}
		if (!has_dkim_field(&msg)) {
			ndk++;
			if (n == 0)
				suite_ok(&c,
				    "%s [%s]: DomainKeys only (RFC 4870, "
				    "historic): none (Mail::DKIM: %s)",
				    file, mode, expect);
			else
				suite_fail(&c,
				    "%s [%s]: DomainKeys only: got %s, want "
				    "none",
				    file, mode, inkan_buf_cstr(&what));
			inkan_dkim_verify_free(&v);
			continue;
		}

		dev = find_deviation(devs, ndevs, file);
		if (dev != NULL) {
			want = dev->want;
			ndev++;
		} else if (strcmp(expect, "pass") == 0) {
			want = DKIM_R(INKAN_DKIM_PASS);
			any_pass_wanted = true;
		} else if (strcmp(expect, "fail") == 0)
			want = DKIM_R(INKAN_DKIM_FAIL);
		else if (strcmp(expect, "invalid") == 0)
			want = is_dns_error_row(file)
			    ? DKIM_R(INKAN_DKIM_TEMPERROR)
			    : NOT_PASS;
		else {
			suite_fail(
			    &c, "%s: unknown expectation %s", file, expect);
			inkan_dkim_verify_free(&v);
			continue;
		}
		for (i = 0; i < n; i++) {
			if (sigs[i].result == INKAN_DKIM_PASS)
				npass++;
			if (want & DKIM_R(sigs[i].result))
				nin++;
		}
		ok = n > 0 && (any_pass_wanted ? npass > 0 : nin == n);
		dkim_result_set_name(want, set, sizeof(set));
		if (!ok)
			suite_fail(&c, "%s [%s]: got %s, want %s%s%s%s%s", file,
			    mode, inkan_buf_cstr(&what),
			    any_pass_wanted ? "a pass" : set,
			    dev ? " (deviation: " : "", dev ? dev->section : "",
			    dev ? ": " : "", dev ? dev->why : "");
		else if (dev != NULL)
			suite_ok(&c,
			    "%s [%s]: %s; Mail::DKIM says %s, %s requires "
			    "%s: %s",
			    file, mode, inkan_buf_cstr(&what), expect,
			    dev->section, set, dev->why);
		else
			suite_ok(&c, "%s [%s]: %s (Mail::DKIM: %s)", file, mode,
			    inkan_buf_cstr(&what), expect);
		inkan_dkim_verify_free(&v);
	}
	inkan_buf_clear(&msg);
	inkan_buf_clear(&what);
	*c_ = c;
	*ndev_r = ndev;
	*ndk_r = ndk;
}

int
main(void)
{
	char dir[4096], cdir[4200];
	struct suite_counts c = { 0 };
	struct inkan_resolver *r = NULL;
	struct inkan_dkim *dkim = NULL, *legacy = NULL;
	struct inkan_dkim_policy pol;
	FILE *f = NULL;
	unsigned ndev = 0, ndk = 0, nldev = 0, nldk = 0;
	int rc = 1;

	if (!suite_dir(SUITE, dir, sizeof(dir))) {
		printf("skip: %s is absent\n", dir);
		return 77;
	}
	inkan_dkim_policy_init(&pol);
	/* The legacy pass: what Mail::DKIM's default mode accepts. */
	pol.allow_rsa_sha1 = true;
	pol.rsa_min_bits = 0;
	if (inkan_resolver_new_zone(NULL, &r) != INKAN_OK ||
	    !load_fake_dns(dir, r) ||
	    inkan_dkim_new(r, NULL, NULL, &dkim) != INKAN_OK ||
	    inkan_dkim_new(r, NULL, &pol, &legacy) != INKAN_OK) {
		printf("FAIL cannot set up the resolver from FAKE_DNS.dat\n");
		goto out;
	}
	snprintf(cdir, sizeof(cdir), "%s/expected.tsv", dir);
	if ((f = fopen(cdir, "r")) == NULL) {
		printf("FAIL cannot open %s\n", cdir);
		goto out;
	}
	snprintf(cdir, sizeof(cdir), "%s/corpus", dir);
	printf("== pass 1: inkan's defaults (RFC 8301: no rsa-sha1, RSA keys "
	       ">= 1024 bits)\n");
	run_pass(f, cdir, dkim, false, deviations,
	    sizeof(deviations) / sizeof(deviations[0]), &c, &ndev, &ndk);
	printf("== pass 2: legacy policy (allow_rsa_sha1, rsa_min_bits 0), "
	       "the \"default\" DKIM rows: Mail::DKIM's results, RFC 6376 "
	       "still applies\n");
	run_pass(f, cdir, legacy, true, legacy_deviations,
	    sizeof(legacy_deviations) / sizeof(legacy_deviations[0]), &c,
	    &nldev, &nldk);
	printf("pass 1: %u rows checked against a later RFC (deviations), %u "
	       "DomainKeys-only rows checked for none; pass 2: %u rows "
	       "checked against RFC 6376 (deviations)\n",
	    ndev, ndk, nldev);
	rc = suite_report(&c);
out:
	if (f != NULL)
		fclose(f);
	inkan_dkim_free(&dkim);
	inkan_dkim_free(&legacy);
	inkan_resolver_free(&r);
	return rc;
}
