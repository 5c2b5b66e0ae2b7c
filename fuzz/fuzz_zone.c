/*
 * fuzz_zone.c: zone text (with directives) into a fresh zone resolver,
 * then a few lookups: the names of the input's first line (a comment
 * such as "; www.example.com sub.example.com" picks them) and fixed ones,
 * for several types. Everything is freed again.
 */
#include <stdlib.h>
#include <string.h>

#include <inkan/dns.h>

#include "fuzz.h"

static void
look(struct inkan_resolver *r, const char *name)
{
	static const enum inkan_dns_type types[] = { INKAN_DNS_A, INKAN_DNS_TXT,
		INKAN_DNS_MX, INKAN_DNS_CNAME, INKAN_DNS_TLSA,
		(enum inkan_dns_type)65280 };
	struct inkan_dns_answer *a = NULL;
	struct inkan_buf b;
	size_t i, j;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		if (inkan_resolver_lookup(r, name, types[i], &a) != INKAN_OK)
			continue;
		inkan_buf_init(&b, 70000);
		for (j = 0; j < a->count; j++)
			if (!a->records[j].is_raw &&
			    a->records[j].type == INKAN_DNS_TXT)
				(void)inkan_dns_txt_join(&a->records[j], &b);
		inkan_buf_clear(&b);
		inkan_dns_answer_free(&a);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const fixed[] = { "example.com", "www.example.com",
		"a.b.example.com", "x.wild.example.com", ".", "com" };
	struct inkan_resolver *r = NULL;
	struct inkan_zone_error err;
	char first[300];
	size_t n = 0, i;

	if (inkan_resolver_new_zone(NULL, &r) != INKAN_OK)
		return 0;
	(void)inkan_resolver_zone_load_string(r, data, size, &err);
	/* Names from the first line: words after a leading "; ". */
	if (size > 2 && data[0] == ';' && data[1] == ' ') {
		for (i = 2; i < size && n + 1 < sizeof(first) &&
		     data[i] != '\n' && data[i] != '\0';
		     i++)
			first[n++] = (char)data[i];
	}
	first[n] = '\0';
	for (i = 0; i < n;) {
		size_t j = i;

		while (j < n && first[j] != ' ')
			j++;
		first[j] = '\0';
		if (j > i)
			look(r, first + i);
		i = j + 1;
	}
	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		look(r, fixed[i]);
	(void)inkan_resolver_zone_inject(
	    r, "example.com", 0, INKAN_DNS_SERVFAIL);
	look(r, "example.com");
	inkan_resolver_free(&r);
	return 0;
}
