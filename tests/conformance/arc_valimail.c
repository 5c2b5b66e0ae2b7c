/*
 * arc_valimail.c: runs the ValiMail ARC test suite (RFC 8617, draft -18)
 * unedited: arc-draft-validation-tests.yml through inkan_arc_verify_*()
 * and arc-draft-sign-tests.yml through inkan_arc_seal_*(), each scenario
 * with its txt-records in a fresh zone resolver.
 *
 *	conformance_arc_valimail [-v] [TEST-ID]
 *
 * -v prints every case with the chain's reason; a TEST-ID runs only the
 * cases of that name.
 *
 * How the suite is read (its upstream README describes the schema):
 * - Messages are YAML literal blocks with LF line ends; they are fed with
 *   INKAN_DKIM_ALLOW_LF, which takes each LF as CRLF.
 * - Validation: the expected cv ("Pass", "Fail", "None") is compared
 *   case-insensitively with the chain validation status. Three cases
 *   (cv_fail_i1_as_cv_fail, cv_fail_i2_as2_fail, cv_fail_i2_as1_fail)
 *   expect an empty cv: the upstream runner prints nothing for a chain
 *   whose newest seal already says cv=fail. The chain's status is "fail"
 *   there (RFC 8617 5.2 step 2), and that is what is checked.
 * - Signing: the scenario's privatekey, domain and sel, and each case's
 *   t, sig-headers and srv-id are the sealer's options; the expected AS,
 *   AMS and AAR values are compared as the upstream runner does: all
 *   whitespace removed, split on ';', in any order; every tag value,
 *   b= and bh= included, must match. Expected "" for all three means the
 *   sealer must not seal (RFC 8617 5.1 step 2).
 * - Names not in txt-records are NXDOMAIN. Records longer than 255 bytes
 *   are split into 255-byte strings (RFC 6376 3.6.2.2 joins them). The
 *   sign file's record is a YAML literal block wrapped over four lines;
 *   its line breaks are removed (a TXT record has none).
 * - The validation file gives four test ids twice (as_fields_b_eol_wsp,
 *   as_fields_b_head_case, as_fields_b_head_unfold, as_fields_b_inl_wsp,
 *   each with two different messages); libyaml keeps both, and both are
 *   run, so 175 cases run where a reader that keeps the last of a
 *   duplicate key (Python's) sees 171.
 *
 * Deviations: where a case contradicts RFC 8617 or RFC 8301 the driver
 * checks the RFC's answer instead and says so (deviations[]); none is
 * dropped.
 *
 * Output: a line per failure, deviation and skip (every line with -v),
 * then per file "ran N, passed P, failed F, skipped S" and the same line
 * for both files. Exit 1 when anything failed, 77 when
 * the suite directory is absent.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <yaml.h>

#include <inkan/arc.h>
#include <inkan/inkan.h>

#include "suite.h"
#include "suite_yaml.h"

#define SUITE "arc-valimail"
#define ZONE_TTL 3600u
#define TEXT_MAX (1024u * 1024)

/*
 * Cases whose expectation contradicts the current RFCs: want is what the
 * RFC gives ("pass", "fail", "none"). Used only when the suite's own
 * expectation is not met; the case is then checked against want.
 *
 * - ams_fields_c_na: an AMS without c=, signed with relaxed/relaxed. The
 *   AMS has the DKIM-Signature's syntax and semantics (RFC 8617 4.1.2),
 *   and RFC 6376 3.5 makes a missing c= "simple/simple", so the header
 *   hash differs and the AMS fails. The suite expects pass (its generator
 *   took relaxed as the default; Mail::DKIM's copy of the suite expects
 *   fail, see the suite README).
 *
 * Not deviations: the rsa-sha1 cases (ams_fields_a_sha1, as_fields_a_sha1)
 * expect fail, as RFC 8301 3.1 does; the 1024-bit "dummy" key meets RFC
 * 8301 3.2's minimum, and the 512-bit one (as_fields_b_512) is expected
 * to fail.
 */
struct deviation {
	const char *id;
	const char *section;
	const char *why;
	const char *want;
};

static const struct deviation deviations[] = {
	{ "ams_fields_c_na", "RFC 6376 3.5 via RFC 8617 4.1.2",
	    "makes a missing c= simple/simple, and the AMS was signed "
	    "relaxed/relaxed",
	    "fail" },
	{ NULL, NULL, NULL, NULL },
};

struct options {
	bool verbose;
	const char *only;
};

struct tally {
	struct suite_counts c;
	unsigned deviations;
};

/* ---- YAML --------------------------------------------------------------- */

/* A NUL-terminated copy of a scalar (malloc'd); NULL when n is not one. */
static char *
scalar(const yaml_node_t *n)
{
	char *s;

	if (n == NULL || n->type != YAML_SCALAR_NODE)
		return NULL;
	if ((s = malloc(n->data.scalar.length + 1)) == NULL) {
		fputs("arc_valimail: out of memory\n", stderr);
		exit(1);
	}
	memcpy(s, n->data.scalar.value, n->data.scalar.length);
	s[n->data.scalar.length] = '\0';
	return s;
}

/* ---- zone --------------------------------------------------------------- */

/* A resolver holding the scenario's txt-records; NULL (printed) on error. */
static struct inkan_resolver *
load_zone(yaml_document_t *doc, yaml_node_t *records)
{
	struct inkan_resolver *r = NULL;
	yaml_node_pair_t *p;

	if (inkan_resolver_new_zone(NULL, &r) != INKAN_OK)
		return NULL;
	if (records == NULL || records->type != YAML_MAPPING_NODE)
		return r;
	for (p = records->data.mapping.pairs.start;
	     p < records->data.mapping.pairs.top; p++) {
		char *name = scalar(suite_yaml_node(doc, p->key));
		char *value = scalar(suite_yaml_node(doc, p->value));
		struct inkan_view strings[64];
		size_t n = 0, off = 0, len;
		enum inkan_status st = INKAN_ERR_INVAL;

		if (name != NULL && value != NULL) {
			/* The sign file wraps its key record over lines. */
			for (len = 0, off = 0; value[off] != '\0'; off++)
				if (value[off] != '\n')
					value[len++] = value[off];
			value[len] = '\0';
			off = 0;
			do {
				size_t k = len - off > 255 ? 255 : len - off;

				strings[n++] = inkan_view_make(value + off, k);
				off += k;
			} while (off < len && n < 64);
			st = inkan_resolver_zone_add_txt(
			    r, name, ZONE_TTL, strings, n);
		}
		if (st != INKAN_OK)
			printf("zone: cannot add the record of %s: %s\n",
			    name != NULL ? name : "?", inkan_strerror(st));
		free(name);
		free(value);
	}
	return r;
}

/* ---- validation --------------------------------------------------------- */

static const struct deviation *
find_deviation(const char *id)
{
	size_t i;

	for (i = 0; deviations[i].id != NULL; i++)
		if (strcmp(deviations[i].id, id) == 0)
			return &deviations[i];
	return NULL;
}

static bool
same_word(const char *a, const char *b)
{
	while (*a != '\0' && *b != '\0' &&
	    tolower((unsigned char)*a) == tolower((unsigned char)*b)) {
		a++;
		b++;
	}
	return *a == '\0' && *b == '\0';
}

static void
validate_case(struct inkan_resolver *r, const char *id, yaml_document_t *doc,
    yaml_node_t *t, const struct options *o, struct tally *ty)
{
	struct inkan_dkim *dkim = NULL;
	struct inkan_arc *arc = NULL;
	struct inkan_arc_verify *v = NULL;
	const struct inkan_arc_result *res;
	const struct deviation *dev;
	char *msg = scalar(suite_yaml_get(doc, t, "message"));
	char *want = scalar(suite_yaml_get(doc, t, "cv"));
	const char *got, *expect;
	enum inkan_status st;

	if (msg == NULL) {
		suite_fail(&ty->c, "%s: no message in the case", id);
		goto out;
	}
	/* Empty: the upstream runner prints nothing for a chain that is
	   already failed (see the header comment). */
	expect = want == NULL || want[0] == '\0' ? "fail" : want;
	st = inkan_dkim_new(r, NULL, NULL, &dkim);
	if (st == INKAN_OK)
		st = inkan_arc_new(dkim, &arc);
	if (st == INKAN_OK)
		st = inkan_arc_verify_new(arc, INKAN_DKIM_ALLOW_LF, &v);
	if (st == INKAN_OK)
		st = inkan_arc_verify_feed(v, msg, strlen(msg));
	if (st == INKAN_OK)
		st = inkan_arc_verify_finish(v);
	if (st != INKAN_OK) {
		suite_fail(&ty->c, "%s: %s (%s)", id, inkan_strerror(st),
		    v != NULL ? inkan_arc_verify_error(v) : "");
		goto out;
	}
	res = inkan_arc_verify_result(v);
	got = inkan_arc_cv_name(res->cv);
	if (same_word(got, expect)) {
		if (o->verbose)
			suite_ok(
			    &ty->c, "%s: cv=%s (%s)", id, got, res->reason);
		else
			ty->c.passed++;
	} else if ((dev = find_deviation(id)) != NULL &&
	    same_word(got, dev->want)) {
		ty->deviations++;
		suite_ok(&ty->c,
		    "%s: deviation (%s): the suite wants cv=%s, the RFC %s: "
		    "cv=%s (%s)",
		    id, dev->section, expect, dev->why, got, res->reason);
	} else {
		suite_fail(&ty->c, "%s: got cv=%s, want %s (%s)", id, got,
		    expect, res->reason);
	}
out:
	inkan_arc_verify_free(&v);
	inkan_arc_free(&arc);
	inkan_dkim_free(&dkim);
	free(msg);
	free(want);
}

/* ---- signing ------------------------------------------------------------ */

/* s without whitespace, split on ';', sorted: the upstream comparison. */
static char *
normalise(const char *s)
{
	size_t n = strlen(s), i, o = 0, k, nparts = 0;
	char *flat = malloc(n + 1), *out = malloc(n + 2), *parts[64], *p;

	if (flat == NULL || out == NULL) {
		fputs("arc_valimail: out of memory\n", stderr);
		exit(1);
	}
	for (i = 0; i < n; i++)
		if (!isspace((unsigned char)s[i]))
			flat[o++] = s[i];
	flat[o] = '\0';
	for (p = flat; nparts < 64;) {
		char *semi = strchr(p, ';');

		if (semi != NULL)
			*semi = '\0';
		if (*p != '\0')
			parts[nparts++] = p;
		if (semi == NULL)
			break;
		p = semi + 1;
	}
	/* Insertion sort: a handful of tags. */
	for (i = 1; i < nparts; i++)
		for (k = i; k > 0 && strcmp(parts[k - 1], parts[k]) > 0; k--) {
			char *tmp = parts[k];

			parts[k] = parts[k - 1];
			parts[k - 1] = tmp;
		}
	out[0] = '\0';
	o = 0;
	for (i = 0; i < nparts; i++) {
		size_t l = strlen(parts[i]);

		memcpy(out + o, parts[i], l);
		o += l;
		out[o++] = ';';
	}
	out[o] = '\0';
	free(flat);
	return out;
}

/* The value of header field name in the sealer's output (LF endings,
   unfolded as it is), malloc'd; NULL when absent. */
static char *
field_value(const char *fields, const char *name)
{
	const char *p = fields, *end;
	size_t nl = strlen(name);
	char *r;

	while (*p != '\0') {
		/* A field runs to the next line that does not start with
		   WSP. */
		end = p;
		do {
			end = strchr(end, '\n');
			end = end != NULL ? end + 1 : p + strlen(p);
		} while (*end == ' ' || *end == '\t');
		if (strncasecmp(p, name, nl) == 0 && p[nl] == ':') {
			size_t len = (size_t)(end - p) - nl - 1;

			if ((r = malloc(len + 1)) == NULL)
				exit(1);
			memcpy(r, p + nl + 1, len);
			r[len] = '\0';
			return r;
		}
		p = end;
	}
	return NULL;
}

/* Compares one produced field with the expected value. */
static bool
field_matches(const char *fields, const char *name, const char *want,
    const char *id, bool verbose)
{
	char *got = field_value(fields, name);
	char *g = got != NULL ? normalise(got) : NULL, *w = normalise(want);
	bool ok = g != NULL && strcmp(g, w) == 0;

	if (!ok || verbose)
		printf("     %s %s:\n       got  %s\n       want %s\n", id,
		    name, g != NULL ? g : "(none)", w);
	free(got);
	free(g);
	free(w);
	return ok;
}

struct signing {
	const char *domain, *selector;
	struct inkan_dkim_key *key;
};

static bool
blank(const char *s)
{
	if (s == NULL)
		return true;
	for (; *s != '\0'; s++)
		if (!isspace((unsigned char)*s))
			return false;
	return true;
}

static void
seal_case(struct inkan_resolver *r, const struct signing *sg, const char *id,
    yaml_document_t *doc, yaml_node_t *t, const struct options *o,
    struct tally *ty)
{
	struct inkan_dkim *dkim = NULL;
	struct inkan_arc *arc = NULL;
	struct inkan_arc_seal *s = NULL;
	struct inkan_arc_seal_options so;
	struct inkan_buf out;
	char *msg = scalar(suite_yaml_get(doc, t, "message"));
	char *ts = scalar(suite_yaml_get(doc, t, "t"));
	char *hdrs = scalar(suite_yaml_get(doc, t, "sig-headers"));
	char *srv = scalar(suite_yaml_get(doc, t, "srv-id"));
	char *as = scalar(suite_yaml_get(doc, t, "AS"));
	char *ams = scalar(suite_yaml_get(doc, t, "AMS"));
	char *aar = scalar(suite_yaml_get(doc, t, "AAR"));
	bool refuse = blank(as) && blank(ams) && blank(aar), ok;
	enum inkan_status st;
	char *end = NULL;

	inkan_buf_init(&out, TEXT_MAX);
	if (msg == NULL || ts == NULL || srv == NULL || sg->key == NULL) {
		suite_fail(&ty->c,
		    "%s: the case lacks message, t or srv-id, "
		    "or the scenario a usable key",
		    id);
		goto out;
	}
	inkan_arc_seal_options_init(&so);
	so.domain = sg->domain;
	so.selector = sg->selector;
	so.authserv_id = srv;
	so.headers = hdrs;
	errno = 0;
	so.timestamp = (int64_t)strtoll(ts, &end, 10);
	if (errno != 0 || end == ts || *end != '\0' || so.timestamp <= 0) {
		suite_fail(&ty->c, "%s: t is not a timestamp: %s", id, ts);
		goto out;
	}
	st = inkan_dkim_new(r, NULL, NULL, &dkim);
	if (st == INKAN_OK)
		st = inkan_arc_new(dkim, &arc);
	if (st == INKAN_OK)
		st = inkan_arc_seal_new(
		    arc, &so, sg->key, INKAN_DKIM_ALLOW_LF, &s);
	if (st == INKAN_OK)
		st = inkan_arc_seal_feed(s, msg, strlen(msg));
	if (st == INKAN_OK)
		st = inkan_arc_seal_finish(s, &out);
	if (st != INKAN_OK) {
		suite_fail(&ty->c, "%s: sealing failed: %s (%s)", id,
		    inkan_strerror(st),
		    s != NULL ? inkan_arc_seal_error(s) : "");
		goto out;
	}
	if (refuse) {
		if (!inkan_arc_seal_added(s) && !o->verbose)
			ty->c.passed++;
		else if (!inkan_arc_seal_added(s))
			suite_ok(&ty->c, "%s: not sealed, as expected (%s)", id,
			    inkan_arc_seal_chain(s)->reason);
		else
			suite_fail(&ty->c,
			    "%s: sealed, but the suite expects "
			    "no new ARC Set",
			    id);
		goto out;
	}
	if (!inkan_arc_seal_added(s)) {
		suite_fail(&ty->c, "%s: not sealed (%s)", id,
		    inkan_arc_seal_chain(s)->reason);
		goto out;
	}
	/* Each field is compared (and printed when it differs). */
	ok =
	    field_matches(inkan_buf_cstr(&out), "ARC-Seal", as, id, o->verbose);
	ok = field_matches(inkan_buf_cstr(&out), "ARC-Message-Signature", ams,
		 id, o->verbose) &&
	    ok;
	ok = field_matches(inkan_buf_cstr(&out), "ARC-Authentication-Results",
		 aar, id, o->verbose) &&
	    ok;
	if (ok && o->verbose)
		suite_ok(&ty->c, "%s: AS, AMS and AAR as expected (chain: %s)",
		    id, inkan_arc_cv_name(inkan_arc_seal_chain(s)->cv));
	else if (ok)
		ty->c.passed++;
	else
		suite_fail(&ty->c,
		    "%s: the sealed fields differ (the chain on the "
		    "message: %s, %s)",
		    id, inkan_arc_cv_name(inkan_arc_seal_chain(s)->cv),
		    inkan_arc_seal_chain(s)->reason);
out:
	inkan_arc_seal_free(&s);
	inkan_arc_free(&arc);
	inkan_dkim_free(&dkim);
	inkan_buf_clear(&out);
	free(msg);
	free(ts);
	free(hdrs);
	free(srv);
	free(as);
	free(ams);
	free(aar);
}

/* ---- files -------------------------------------------------------------- */

static void
run_scenario(yaml_document_t *doc, bool signing, const struct options *o,
    struct tally *ty)
{
	yaml_node_t *root = yaml_document_get_root_node(doc), *tests;
	struct inkan_resolver *r;
	struct signing sg = { NULL, NULL, NULL };
	char *domain = NULL, *sel = NULL, *pem = NULL;
	yaml_node_pair_t *p;

	tests = suite_yaml_get(doc, root, "tests");
	if (tests == NULL || tests->type != YAML_MAPPING_NODE) {
		suite_fail(&ty->c, "a scenario without tests");
		return;
	}
	if ((r = load_zone(doc, suite_yaml_get(doc, root, "txt-records"))) ==
	    NULL) {
		suite_fail(&ty->c, "cannot make a zone resolver");
		return;
	}
	if (signing) {
		domain = scalar(suite_yaml_get(doc, root, "domain"));
		sel = scalar(suite_yaml_get(doc, root, "sel"));
		pem = scalar(suite_yaml_get(doc, root, "privatekey"));
		sg.domain = domain;
		sg.selector = sel;
		if (pem == NULL ||
		    inkan_dkim_key_load_pem(pem, strlen(pem), &sg.key) !=
			INKAN_OK)
			printf("the scenario's private key cannot be loaded\n");
	}
	for (p = tests->data.mapping.pairs.start;
	     p < tests->data.mapping.pairs.top; p++) {
		char *id = scalar(suite_yaml_node(doc, p->key));

		if (id != NULL &&
		    (o->only == NULL || strcmp(id, o->only) == 0)) {
			if (signing)
				seal_case(r, &sg, id, doc,
				    suite_yaml_node(doc, p->value), o, ty);
			else
				validate_case(r, id, doc,
				    suite_yaml_node(doc, p->value), o, ty);
		}
		free(id);
	}
	inkan_dkim_key_free(&sg.key);
	inkan_resolver_free(&r);
	free(domain);
	free(sel);
	free(pem);
}

static void
run_file(
    const char *path, bool signing, const struct options *o, struct tally *ty)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	FILE *f = fopen(path, "rb");

	if (f == NULL) {
		suite_fail(&ty->c, "cannot open %s: %s", path, strerror(errno));
		return;
	}
	if (!yaml_parser_initialize(&parser)) {
		fclose(f);
		fputs("arc_valimail: out of memory\n", stderr);
		exit(1);
	}
	yaml_parser_set_input_file(&parser, f);
	for (;;) {
		bool empty;

		if (!yaml_parser_load(&parser, &doc)) {
			suite_fail(&ty->c, "YAML error in %s at line %zu: %s",
			    path, parser.problem_mark.line + 1,
			    parser.problem != NULL ? parser.problem : "?");
			break;
		}
		empty = yaml_document_get_root_node(&doc) == NULL;
		if (!empty)
			run_scenario(&doc, signing, o, ty);
		yaml_document_delete(&doc);
		if (empty)
			break;
	}
	yaml_parser_delete(&parser);
	fclose(f);
}

static void
print_tally(const char *what, const struct tally *ty)
{
	suite_print_counts(what, &ty->c);
	if (ty->deviations > 0)
		printf(" (%u deviations from the suite, checked against the "
		       "RFC)",
		    ty->deviations);
	putchar('\n');
}

int
main(int argc, char **argv)
{
	struct options o = { false, NULL };
	struct tally val = { { 0, 0, 0 }, 0 }, sig = { { 0, 0, 0 }, 0 };
	struct suite_counts all = { 0, 0, 0 };
	char dir[4096], path[4200];
	int a;

	for (a = 1; a < argc; a++) {
		if (strcmp(argv[a], "-v") == 0)
			o.verbose = true;
		else if (argv[a][0] != '-' && o.only == NULL)
			o.only = argv[a];
		else {
			fputs(
			    "usage: conformance_arc_valimail [-v] [TEST-ID]\n",
			    stderr);
			return 2;
		}
	}
	if (!suite_dir(SUITE, dir, sizeof(dir))) {
		printf("SKIP: the ARC suite is not there (%s/%s); set "
		       "INKAN_TESTSUITES_DIR at configure time\n",
		    INKAN_TESTSUITES_DIR, SUITE);
		return 77;
	}
	printf("suite: ValiMail arc_test_suite (%s)\n", dir);
	snprintf(path, sizeof(path), "%s/arc-draft-validation-tests.yml", dir);
	run_file(path, false, &o, &val);
	snprintf(path, sizeof(path), "%s/arc-draft-sign-tests.yml", dir);
	run_file(path, true, &o, &sig);
	print_tally("validation (arc-draft-validation-tests.yml)", &val);
	print_tally("signing (arc-draft-sign-tests.yml)", &sig);
	suite_counts_add(&all, &val.c);
	suite_counts_add(&all, &sig.c);
	return suite_report(&all);
}
