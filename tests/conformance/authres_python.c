/*
 * authres_python.c: the parse cases of the authres Python package's
 * doctest (INKAN_TESTSUITES_DIR/authres-python/parse-cases-derived.json;
 * its README says how the file was derived and what each check means).
 *
 * Every case is parsed with inkan_authres_parse() (whole field, name
 * included) and every check of it compared:
 *   authserv_id, results[i].method/.result/.reason,
 *   results[i].properties[j].type/.name/.value, property shortcuts
 *   (results[i].header_d is the value of header.d, 'None' when absent),
 *   results[i] itself (the result written back as authres prints it:
 *   method=result, reason="..." when present, then the properties with
 *   lowercase names; comments are not kept, as in authres), and the list
 *   of (method, result) pairs.
 * A case with expected_error_output must fail to parse.
 *
 * Names are compared ASCII case-insensitively (RFC 8601 2.2 keywords are
 * case-insensitive; authres lowercases property names).
 *
 * Where a case expects what RFC 8601 forbids, deviations[] names it with
 * the section; it is checked against what the RFC says instead and
 * reported as "deviation", counted as passed.
 *
 * Output: every failure and deviation, then "ran N, passed P, failed F,
 * skipped S" over the cases, and the number of checks compared. Exit 1
 * when anything failed, 77 when the suite is absent.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include <inkan/authres.h>

#include "suite.h"

#define SUITE "authres-python"
#define CASES "parse-cases-derived.json"

struct deviation {
	const char *comment; /* the case's comment, which names it */
	const char *section;
	const char *why;
};

/*
 * authres keeps the result and drops "version=TLSv1.2" (a property
 * without a ptype). RFC 8601 2.2: propspec = ptype [CFWS] "." [CFWS]
 * property [CFWS] "=" pvalue, so such a field does not parse; the
 * SHOULD-ignore rule for unknown ptypes (RFC 8601 2.3) is about a
 * well-formed ptype.property, not about text outside the grammar.
 */
static const struct deviation deviations[] = {
	{ "Invalid ptype (error) and unknown method (OK)", "2.2",
	    "\"version=TLSv1.2\" is not a propspec (no ptype \".\"): the "
	    "field is a syntax error" },
	{ "Parse multiple result header field and toss out unknown ptype",
	    "2.2",
	    "\"version=TLSv1.2\" is not a propspec (no ptype \".\"): the "
	    "field is a syntax error" },
};

/* The cases' counts, and the checks (expressions) within them. */
struct tally {
	struct suite_counts c;
	unsigned deviations, checks, checks_failed;
};

static const struct deviation *
find_deviation(const char *comment)
{
	size_t i;

	if (comment == NULL)
		return NULL;
	for (i = 0; i < sizeof(deviations) / sizeof(deviations[0]); i++)
		if (strcmp(deviations[i].comment, comment) == 0)
			return &deviations[i];
	return NULL;
}

static void
lower(char *s)
{
	for (; *s != '\0'; s++)
		*s = (char)inkan_ascii_lower((uint8_t)*s);
}

/* As authres prints a value: bare when it is a token-like word. */
static void
append_value(struct inkan_buf *b, const char *v, bool quoted)
{
	size_t i;
	bool bare = v[0] != '\0' && !quoted;

	for (i = 0; bare && v[i] != '\0'; i++)
		if (strchr(" \t\"();:,<>[]\\", v[i]) != NULL)
			bare = false;
	if (bare) {
		inkan_buf_append_cstr(b, v);
		return;
	}
	inkan_buf_append_byte(b, '"');
	for (i = 0; v[i] != '\0'; i++) {
		if (v[i] == '"' || v[i] == '\\')
			inkan_buf_append_byte(b, '\\');
		inkan_buf_append_byte(b, (uint8_t)v[i]);
	}
	inkan_buf_append_byte(b, '"');
}

/* results[i] written back, authres' way. */
static void
write_result(const struct inkan_authres_result *r, struct inkan_buf *b)
{
	size_t j, start;

	start = b->len;
	inkan_buf_printf(b, "%s=%s", r->method, r->result);
	lower((char *)b->data + start);
	if (r->reason != NULL) {
		inkan_buf_append_cstr(b, " reason=");
		append_value(b, r->reason, true);
	}
	for (j = 0; j < r->prop_count; j++) {
		size_t ns = b->len + 1;

		inkan_buf_printf(
		    b, " %s.%s=", r->props[j].ptype, r->props[j].property);
		lower((char *)b->data + ns);
		append_value(b, r->props[j].value, r->props[j].quoted);
	}
}

/*
 * Evaluates expr (without its object name) against ar into got (a
 * static string or got_buf). Returns false when the expression is not
 * understood.
 */
static bool
eval(const struct inkan_authres *ar, const char *expr, struct inkan_buf *got)
{
	const struct inkan_authres_result *r;
	const struct inkan_authres_prop *pp;
	char *end, ptype[64];
	const char *v, *us;
	unsigned long i, j;
	size_t k;

	inkan_buf_reset(got);
	if (strncmp(expr, "[(r.method, r.result)", 21) == 0) {
		inkan_buf_append_byte(got, '[');
		for (k = 0; k < ar->count; k++)
			inkan_buf_printf(got, "%s['%s', '%s']",
			    k > 0 ? ", " : "", ar->results[k].method,
			    ar->results[k].result);
		inkan_buf_append_byte(got, ']');
		return true;
	}
	if ((expr = strchr(expr, '.')) == NULL)
		return false;
	expr++;
	if (strcmp(expr, "authserv_id") == 0) {
		inkan_buf_append_cstr(got, ar->authserv_id);
		return true;
	}
	if (strncmp(expr, "results[", 8) != 0)
		return false;
	i = strtoul(expr + 8, &end, 10);
	if (end == expr + 8 || *end != ']')
		return false;
	if (i >= ar->count) {
		inkan_buf_append_cstr(got, "(no such result)");
		return true;
	}
	r = &ar->results[i];
	expr = end + 1;
	if (*expr == '\0') {
		write_result(r, got);
		return true;
	}
	if (*expr++ != '.')
		return false;
	if (strcmp(expr, "method") == 0)
		v = r->method;
	else if (strcmp(expr, "result") == 0)
		v = r->result;
	else if (strcmp(expr, "reason") == 0)
		v = r->reason != NULL ? r->reason : "None";
	else if (strncmp(expr, "properties[", 11) == 0) {
		j = strtoul(expr + 11, &end, 10);
		if (end == expr + 11 || end[0] != ']' || end[1] != '.')
			return false;
		if (j >= r->prop_count) {
			inkan_buf_append_cstr(got, "(no such property)");
			return true;
		}
		pp = &r->props[j];
		end += 2;
		if (strcmp(end, "type") == 0)
			v = pp->ptype;
		else if (strcmp(end, "name") == 0)
			v = pp->property;
		else if (strcmp(end, "value") == 0)
			v = pp->value;
		else
			return false;
		inkan_buf_append_cstr(got, v);
		if (strcmp(end, "value") != 0)
			lower((char *)got->data);
		return true;
	} else if ((us = strchr(expr, '_')) != NULL &&
	    (size_t)(us - expr) < sizeof(ptype)) {
		/* A shortcut: header_d is header.d. */
		memcpy(ptype, expr, (size_t)(us - expr));
		ptype[us - expr] = '\0';
		v = inkan_authres_prop_value(r, ptype, us + 1);
		if (v == NULL)
			v = "None";
	} else
		return false;
	inkan_buf_append_cstr(got, v);
	return true;
}

static void
run_case(json_t *tc, size_t idx, struct tally *t)
{
	const char *input = json_string_value(json_object_get(tc, "input"));
	const char *comment = json_string_value(json_object_get(tc, "comment"));
	json_t *want_err = json_object_get(tc, "expected_error_output");
	json_t *checks = json_object_get(tc, "checks"), *ck;
	const struct deviation *dev = find_deviation(comment);
	struct inkan_authres *ar = NULL;
	struct inkan_authres_error err;
	struct inkan_buf got;
	enum inkan_status st;
	bool ok = true;
	size_t k;

	if (input == NULL) {
		suite_fail(&t->c, "case %zu: no input", idx);
		return;
	}
	st = inkan_authres_parse(
	    input, strlen(input), INKAN_AUTHRES_WITH_NAME, NULL, &ar, &err);
	if (want_err != NULL || dev != NULL) {
		/* RFC 8601 2.2 (or the suite) says: no parse. */
		if (st == INKAN_OK) {
			suite_fail(&t->c,
			    "case %zu (%s): parsed, want a syntax error", idx,
			    comment != NULL ? comment : "");
		} else {
			if (dev != NULL) {
				printf("deviation (RFC 8601 %s) case %zu "
				       "\"%s\": %s; inkan: %s at offset %zu\n",
				    dev->section, idx, comment, dev->why,
				    err.message, err.offset);
				t->deviations++;
			}
			t->c.passed++;
		}
		inkan_authres_free(&ar);
		return;
	}
	if (st != INKAN_OK) {
		suite_fail(&t->c, "case %zu (%s): %s at offset %zu: %s", idx,
		    comment != NULL ? comment : "", inkan_strerror(st),
		    err.offset, err.message);
		return;
	}
	inkan_buf_init(&got, 1 << 16);
	json_array_foreach(checks, k, ck)
	{
		const char *expr =
		    json_string_value(json_object_get(ck, "expr"));
		const char *want =
		    json_string_value(json_object_get(ck, "expected"));

		t->checks++;
		if (expr == NULL || want == NULL || !eval(ar, expr, &got)) {
			printf("FAIL case %zu: check \"%s\" not understood\n",
			    idx, expr != NULL ? expr : "?");
			ok = false;
			t->checks_failed++;
			continue;
		}
		if (strcmp(inkan_buf_cstr(&got), want) != 0) {
			printf("FAIL case %zu: %s: got \"%s\", want \"%s\"\n",
			    idx, expr, inkan_buf_cstr(&got), want);
			ok = false;
			t->checks_failed++;
		}
	}
	inkan_buf_clear(&got);
	inkan_authres_free(&ar);
	/* The check lines above said why. */
	if (ok)
		t->c.passed++;
	else
		t->c.failed++;
}

int
main(void)
{
	char dir[4096], path[4200];
	json_error_t jerr;
	json_t *root, *cases, *tc;
	struct tally t = { { 0, 0, 0 }, 0, 0, 0 };
	size_t i;
	FILE *f;

	if (!suite_dir(SUITE, dir, sizeof(dir))) {
		printf("%s: suite absent (%s/%s), skipped\n", SUITE,
		    INKAN_TESTSUITES_DIR, SUITE);
		return 77;
	}
	snprintf(path, sizeof(path), "%s/%s", dir, CASES);
	if ((f = fopen(path, "r")) == NULL) {
		printf("%s: suite absent (%s), skipped\n", SUITE, path);
		return 77;
	}
	fclose(f);
	if ((root = json_load_file(path, 0, &jerr)) == NULL) {
		printf(
		    "%s: %s line %d: %s\n", SUITE, path, jerr.line, jerr.text);
		return 1;
	}
	cases = json_object_get(root, "cases");
	printf("suite %s (%s)\n", SUITE, path);
	json_array_foreach(cases, i, tc) run_case(tc, i, &t);
	suite_print_counts(SUITE, &t.c);
	printf(" (deviations %u, counted as passed); checks compared %u, "
	       "failed %u\n",
	    t.deviations, t.checks, t.checks_failed);
	json_decref(root);
	return t.c.failed > 0 ? 1 : 0;
}
