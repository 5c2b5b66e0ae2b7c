/*
 * test_from_opendmarc.c: the From-header cases of OpenDMARC's
 * test_finddomain.c, written out as ../shared/testsuites/opendmarc/
 * from-domain-extraction-derived.tsv (input TAB expected-domain), run as
 * they are. The file is read at run time and never edited; without it the
 * test is skipped.
 *
 * OpenDMARC takes the first address's domain when there are several;
 * inkan_addr_from_domains() says SEVERAL for those, lists the domains in
 * order, and the first must be the expected one. Several inputs are not
 * RFC 5322 and go through the recovery rule; the counts are printed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <inkan/msg.h>

#define TSV INKAN_TESTSUITES_DIR "/opendmarc/from-domain-extraction-derived.tsv"

/* One row: input and expected domain. Returns 0 if it matches. */
static int
run_row(unsigned line, const char *in, const char *want, unsigned *several,
    unsigned *recovered)
{
	struct inkan_arena arena;
	struct inkan_addr_from res;
	enum inkan_status st;
	int bad = 0;

	inkan_arena_init(&arena, 1 << 20);
	st = inkan_addr_from_domains(in, strlen(in), NULL, 0, &arena, &res);
	if (st != INKAN_OK) {
		print_error("line %u \"%s\": got %s, want success\n", line, in,
		    inkan_strerror(st));
		bad = 1;
	} else if (res.count == INKAN_ADDR_FROM_NONE || res.ndomains == 0) {
		print_error("line %u \"%s\": got no domain (%s at %zu), want "
			    "%s\n",
		    line, in, res.list.err_msg ? res.list.err_msg : "-",
		    res.list.err_offset, want);
		bad = 1;
	} else if (!inkan_view_eq(res.domains[0], inkan_view_cstr(want))) {
		print_error("line %u \"%s\": got %.*s, want %s\n", line, in,
		    (int)res.domains[0].len, (const char *)res.domains[0].ptr,
		    want);
		bad = 1;
	} else {
		if (res.count == INKAN_ADDR_FROM_SEVERAL)
			(*several)++;
		if (res.flags & INKAN_ADDR_FROM_F_RECOVERED)
			(*recovered)++;
	}
	inkan_arena_clear(&arena);
	return bad;
}

static void
test_tsv(void **state)
{
	FILE *f;
	char *line = NULL, *tab;
	size_t cap = 0, n;
	ssize_t got;
	unsigned lineno = 0, rows = 0, several = 0, recovered = 0;
	int bad = 0;

	(void)state;
	if ((f = fopen(TSV, "r")) == NULL) {
		print_message("skipped: %s not found\n", TSV);
		skip();
		return;
	}
	while ((got = getline(&line, &cap, f)) != -1) {
		lineno++;
		n = (size_t)got;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (n == 0 || line[0] == '#')
			continue;
		if ((tab = strrchr(line, '\t')) == NULL) {
			print_error("line %u: no TAB\n", lineno);
			bad++;
			continue;
		}
		*tab = '\0';
		rows++;
		bad += run_row(lineno, line, tab + 1, &several, &recovered);
	}
	free(line);
	fclose(f);
	print_message("%u rows: %d failed, %u with several domains (first "
		      "checked), %u found by recovery\n",
	    rows, bad, several, recovered);
	assert_true(rows > 0);
	assert_int_equal(bad, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tsv),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
