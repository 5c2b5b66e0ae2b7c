/*
 * test_grade.c: the grade rule of docs/grading.md (inkan_audit_grade()),
 * severity names, and the catalogue: every id unique, named
 * "<area>.<what>" after its area, and listed in docs/grading.md with the
 * same severity.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <inkan/audit.h>

struct grade_case {
	const char *name;
	/* counts of info, low, medium, high, critical */
	size_t counts[5];
	char want;
};

static const struct grade_case grade_cases[] = {
	{ "nothing", { 0, 0, 0, 0, 0 }, 'A' },
	{ "info only", { 9, 0, 0, 0, 0 }, 'A' },
	{ "two low", { 1, 2, 0, 0, 0 }, 'A' },
	{ "three low", { 0, 3, 0, 0, 0 }, 'B' },
	{ "one medium", { 0, 0, 1, 0, 0 }, 'B' },
	{ "two medium", { 0, 2, 2, 0, 0 }, 'B' },
	{ "three medium", { 0, 0, 3, 0, 0 }, 'C' },
	{ "one high", { 0, 0, 0, 1, 0 }, 'C' },
	{ "one high, medium", { 0, 5, 2, 1, 0 }, 'C' },
	{ "two high", { 0, 0, 0, 2, 0 }, 'D' },
	{ "three high", { 0, 0, 0, 3, 0 }, 'F' },
	{ "one critical", { 0, 0, 0, 0, 1 }, 'F' },
	{ "critical and all else", { 3, 3, 3, 3, 1 }, 'F' },
};

static void
test_grade_table(void **state)
{
	struct inkan_audit_finding f[32];
	size_t i, s, k, n;
	int failed = 0;

	(void)state;
	for (i = 0; i < sizeof(grade_cases) / sizeof(grade_cases[0]); i++) {
		const struct grade_case *c = &grade_cases[i];
		char got;

		memset(f, 0, sizeof(f));
		n = 0;
		for (s = 0; s < 5; s++)
			for (k = 0; k < c->counts[s]; k++)
				f[n++].severity = (enum inkan_audit_severity)s;
		got = inkan_audit_grade(f, n);
		if (got != c->want) {
			printf("%s: got %c, want %c\n", c->name, got, c->want);
			failed++;
		}
	}
	assert_int_equal(failed, 0);
	assert_int_equal(inkan_audit_grade(NULL, 0), 'A');
}

static void
test_severity_names(void **state)
{
	static const char *const names[] = { "info", "low", "medium", "high",
		"critical" };
	enum inkan_audit_severity sev;
	size_t i;

	(void)state;
	for (i = 0; i < 5; i++) {
		assert_string_equal(
		    inkan_audit_severity_name((enum inkan_audit_severity)i),
		    names[i]);
		assert_int_equal(
		    inkan_audit_severity_parse(names[i], &sev), INKAN_OK);
		assert_int_equal((size_t)sev, i);
	}
	assert_int_equal(inkan_audit_severity_parse("HIGH", &sev), INKAN_OK);
	assert_int_equal(sev, INKAN_AUDIT_HIGH);
	assert_int_equal(
	    inkan_audit_severity_parse("severe", &sev), INKAN_ERR_SYNTAX);
	assert_int_equal(
	    inkan_audit_severity_parse("", &sev), INKAN_ERR_SYNTAX);
}

/* The whole of docs/grading.md, NUL-terminated. */
static char *
read_doc(void)
{
	FILE *f = fopen(INKAN_SOURCE_DIR "/docs/grading.md", "rb");
	char *buf = NULL;
	long n;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 &&
	    fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = calloc(1, (size_t)n + 1)) != NULL &&
	    fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

static void
test_catalogue(void **state)
{
	const struct inkan_audit_check *c;
	char *doc = read_doc();
	const char *p;
	size_t n, i, j;
	int failed = 0;

	(void)state;
	assert_non_null(doc);
	c = inkan_audit_checks(&n);
	assert_true(n > 50);
	for (i = 0; i < n; i++) {
		const char *area = inkan_audit_area_name(c[i].area);
		char row[160];

		if (strncmp(c[i].id, area, strlen(area)) != 0 ||
		    c[i].id[strlen(area)] != '.') {
			printf("%s: not under area %s\n", c[i].id, area);
			failed++;
		}
		for (j = i + 1; j < n; j++)
			if (strcmp(c[i].id, c[j].id) == 0) {
				printf("%s: listed twice\n", c[i].id);
				failed++;
			}
		/* docs/grading.md has a row "| `id` | severity | ...". */
		snprintf(row, sizeof(row), "| `%s` | %s |", c[i].id,
		    inkan_audit_severity_name(c[i].severity));
		if (strstr(doc, row) == NULL) {
			printf("docs/grading.md: got no row %s\n", row);
			failed++;
		}
	}
	/* And no row in the doc that the catalogue lacks. */
	for (i = 0, p = doc; (p = strstr(p, "\n| `")) != NULL; p++)
		i++;
	if (i != n) {
		printf("docs/grading.md: got %zu id rows, want %zu\n", i, n);
		failed++;
	}
	free(doc);
	assert_int_equal(failed, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grade_table),
		cmocka_unit_test(test_severity_names),
		cmocka_unit_test(test_catalogue),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
