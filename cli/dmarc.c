/*
 * dmarc.c: `inkan dmarc lookup DOMAIN [--rfc7489] [--psl FILE]`: the DMARC
 * Policy Record that applies to DOMAIN, where it was found, the
 * Organizational Domain, every DNS query of the tree walk (RFC 9989 4.10)
 * and the record's warnings, as text or (--json) as one JSON object.
 * `inkan dmarc record TEXT` parses a record without DNS.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include <inkan/dmarc.h>

#include "cli.h"

static void
dmarc_usage(FILE *f)
{
	fprintf(f,
	    "usage: inkan dmarc lookup DOMAIN [--rfc7489] [--psl FILE] "
	    "[--json]\n"
	    "                          [--zone FILE]... [--overlay FILE]...\n"
	    "       inkan dmarc record TEXT [--json]\n"
	    "\n"
	    "lookup: finds the DMARC policy that applies to mail from DOMAIN "
	    "(RFC 9989\n"
	    "4.10.1) and DOMAIN's Organizational Domain (4.10.2), by the DNS "
	    "tree walk.\n"
	    "record: parses TEXT as a DMARC record (RFC 9989 4.7) and shows "
	    "what it says.\n"
	    "\n"
	    "  --rfc7489       RFC 7489 discovery instead: the domain, then "
	    "its\n"
	    "                  Organizational Domain from the public suffix "
	    "list\n"
	    "  --psl FILE      the public suffix list for --rfc7489 (default: "
	    "Debian's,\n"
	    "                  /usr/share/publicsuffix/public_suffix_list.dat)"
	    "\n"
	    "  --json          print one JSON object\n"
	    "  --zone FILE     answer DNS only from this zone file "
	    "(repeatable; offline)\n"
	    "  --overlay FILE  this zone file first, live DNS for the rest\n"
	    "\n"
	    "Example:\n"
	    "  inkan dmarc lookup --zone tests/data/dmarc/treewalk.zone "
	    "a.mail.example.com\n"
	    "\n"
	    "Exit status: 0 when an answer was reached, whatever it is (no "
	    "record and\n"
	    "temperror included); 64 usage error; 65 not a domain name, not "
	    "a DMARC record,\n"
	    "or a malformed zone file; 66 missing zone or list file; 69 live "
	    "DNS\n"
	    "unavailable.\n");
}

/* A JSON string for s, or null. Library strings are printable ASCII. */
static json_t *
json_str(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

static const char *
lookup_status_name(enum inkan_dmarc_lookup_status s)
{
	switch (s) {
	case INKAN_DMARC_LOOKUP_FOUND:
		return "found";
	case INKAN_DMARC_LOOKUP_TEMPERROR:
		return "temperror";
	case INKAN_DMARC_LOOKUP_NONE:
		break;
	}
	return "none";
}

static void
fo_text(unsigned fo, char *buf, size_t size)
{
	snprintf(buf, size, "%s%s%s%s", (fo & INKAN_DMARC_FO_0) ? "0:" : "",
	    (fo & INKAN_DMARC_FO_1) ? "1:" : "",
	    (fo & INKAN_DMARC_FO_D) ? "d:" : "",
	    (fo & INKAN_DMARC_FO_S) ? "s:" : "");
	if (buf[0] != '\0')
		buf[strlen(buf) - 1] = '\0';
}

static void
print_uris(const char *tag, const struct inkan_dmarc_uri *u, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		printf("  %s: ", tag);
		cli_put_safe(stdout, u[i].uri);
		if (u[i].has_size)
			printf(" (obsolete size limit %llu bytes)",
			    (unsigned long long)u[i].size);
		if (u[i].address == NULL && strcmp(u[i].scheme, "mailto") == 0)
			printf(" (no usable address)");
		fputc('\n', stdout);
	}
}

static void
print_record_text(const struct inkan_dmarc_record *rec)
{
	char fo[16];

	printf("  p=%s sp=%s np=%s", inkan_dmarc_policy_name(rec->p),
	    inkan_dmarc_policy_name(rec->sp), inkan_dmarc_policy_name(rec->np));
	printf(" adkim=%s aspf=%s t=%s psd=%s",
	    inkan_dmarc_align_name(rec->adkim),
	    inkan_dmarc_align_name(rec->aspf), rec->testing ? "y" : "n",
	    inkan_dmarc_psd_name(rec->psd));
	fo_text(rec->fo, fo, sizeof(fo));
	printf(" fo=%s\n", fo);
	if (rec->flags & INKAN_DMARC_REC_NOT_APPLIED)
		printf("  (no usable policy: no DMARC processing, RFC 9989 "
		       "4.10.1)\n");
	else if (rec->flags & INKAN_DMARC_REC_AS_P_NONE)
		printf("  (used as p=none, RFC 9989 4.10.1)\n");
	print_uris("rua", rec->rua, rec->nrua);
	print_uris("ruf", rec->ruf, rec->nruf);
}

static void
print_text(const struct inkan_dmarc_lookup *lk)
{
	size_t i;

	printf("%s\n", lookup_status_name(lk->status));
	cli_put_safe(stdout, lk->reason);
	printf("\n\ndomain: %s\nmethod: %s\n", lk->domain,
	    inkan_dmarc_mode_name(lk->mode));
	if (lk->status == INKAN_DMARC_LOOKUP_FOUND) {
		printf("policy domain: %s%s\nrecord: ", lk->policy_domain,
		    lk->author_is_policy_domain ? " (the domain itself: p= "
						  "applies)"
						: " (sp=, or np= for a domain "
						  "that does not exist)");
		cli_put_safe(stdout, lk->record_text);
		fputc('\n', stdout);
		print_record_text(lk->record);
	}
	printf("organizational domain: %s\n",
	    lk->org_domain != NULL ? lk->org_domain : "(unknown)");
	printf("\nqueries:\n");
	for (i = 0; i < lk->nsteps; i++) {
		const struct inkan_dmarc_step *s = &lk->steps[i];

		printf("  %zu. ", i + 1);
		cli_put_safe(stdout, s->name);
		printf(": %s%s", inkan_dmarc_step_outcome_name(s->outcome),
		    s->cached ? " (cached)" : "");
		if (s->outcome == INKAN_DMARC_STEP_RECORD &&
		    s->psd != INKAN_DMARC_PSD_U)
			printf(" psd=%s", inkan_dmarc_psd_name(s->psd));
		fputs(": ", stdout);
		cli_put_safe(stdout, s->text != NULL ? s->text : s->why);
		fputc('\n', stdout);
	}
	if (lk->nwarnings > 0) {
		printf("\nwarnings:\n");
		for (i = 0; i < lk->nwarnings; i++) {
			fputs("  ", stdout);
			cli_put_safe(stdout, lk->warnings[i]);
			fputc('\n', stdout);
		}
	}
}

static json_t *
json_uris(const struct inkan_dmarc_uri *u, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; a != NULL && i < n; i++) {
		json_t *o = json_object();

		if (o == NULL)
			continue;
		json_object_set_new(o, "uri", json_str(u[i].uri));
		json_object_set_new(o, "scheme", json_str(u[i].scheme));
		json_object_set_new(o, "address", json_str(u[i].address));
		json_object_set_new(o, "host", json_str(u[i].host));
		json_object_set_new(o, "size",
		    !u[i].has_size ? json_null()
			: u[i].size > (uint64_t)INT64_MAX
			? json_integer(INT64_MAX)
			: json_integer((json_int_t)u[i].size));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *
json_strings(const char *const *s, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; a != NULL && i < n; i++)
		json_array_append_new(a, json_str(s[i]));
	return a;
}

static json_t *
json_record(const struct inkan_dmarc_record *rec)
{
	json_t *o = json_object();
	char fo[16];

	if (o == NULL)
		return NULL;
	json_object_set_new(o, "text", json_str(rec->text));
	json_object_set_new(
	    o, "p", json_string(inkan_dmarc_policy_name(rec->p)));
	json_object_set_new(
	    o, "sp", json_string(inkan_dmarc_policy_name(rec->sp)));
	json_object_set_new(
	    o, "np", json_string(inkan_dmarc_policy_name(rec->np)));
	json_object_set_new(
	    o, "adkim", json_string(inkan_dmarc_align_name(rec->adkim)));
	json_object_set_new(
	    o, "aspf", json_string(inkan_dmarc_align_name(rec->aspf)));
	json_object_set_new(o, "t", json_boolean(rec->testing));
	json_object_set_new(
	    o, "psd", json_string(inkan_dmarc_psd_name(rec->psd)));
	fo_text(rec->fo, fo, sizeof(fo));
	json_object_set_new(o, "fo", json_string(fo));
	json_object_set_new(o, "applied",
	    json_boolean(!(rec->flags & INKAN_DMARC_REC_NOT_APPLIED)));
	json_object_set_new(o, "as_p_none",
	    json_boolean(rec->flags & INKAN_DMARC_REC_AS_P_NONE));
	json_object_set_new(o, "rua", json_uris(rec->rua, rec->nrua));
	json_object_set_new(o, "ruf", json_uris(rec->ruf, rec->nruf));
	json_object_set_new(
	    o, "pct", rec->pct >= 0 ? json_integer(rec->pct) : json_null());
	json_object_set_new(
	    o, "warnings", json_strings(rec->warnings, rec->nwarnings));
	return o;
}

static int
dump_json(json_t *o)
{
	int rc = 0;

	if (o == NULL) {
		cli_warn("out of memory");
		return EX_OSERR;
	}
	return cli_json_emit(o, rc);
}

static int
print_json(const struct inkan_dmarc_lookup *lk)
{
	json_t *o = json_object(), *steps = json_array();
	size_t i;

	if (o == NULL || steps == NULL) {
		json_decref(o);
		json_decref(steps);
		return dump_json(NULL);
	}
	json_object_set_new(
	    o, "status", json_string(lookup_status_name(lk->status)));
	json_object_set_new(o, "domain", json_str(lk->domain));
	json_object_set_new(
	    o, "method", json_string(inkan_dmarc_mode_name(lk->mode)));
	json_object_set_new(o, "policy_domain", json_str(lk->policy_domain));
	json_object_set_new(o, "author_is_policy_domain",
	    json_boolean(lk->author_is_policy_domain));
	json_object_set_new(o, "record",
	    lk->record != NULL ? json_record(lk->record) : json_null());
	json_object_set_new(o, "org_domain", json_str(lk->org_domain));
	json_object_set_new(o, "reason", json_str(lk->reason));
	for (i = 0; i < lk->nsteps; i++) {
		const struct inkan_dmarc_step *s = &lk->steps[i];
		json_t *j = json_object();

		if (j == NULL)
			continue;
		json_object_set_new(j, "name", json_str(s->name));
		json_object_set_new(j, "outcome",
		    json_string(inkan_dmarc_step_outcome_name(s->outcome)));
		json_object_set_new(j, "cached", json_boolean(s->cached));
		json_object_set_new(j, "ttl", json_integer(s->ttl));
		json_object_set_new(j, "record", json_str(s->text));
		json_object_set_new(
		    j, "psd", json_string(inkan_dmarc_psd_name(s->psd)));
		json_object_set_new(j, "why", json_str(s->why));
		json_array_append_new(steps, j);
	}
	json_object_set_new(o, "steps", steps);
	json_object_set_new(
	    o, "warnings", json_strings(lk->warnings, lk->nwarnings));
	return dump_json(o);
}

static int
cmd_record(int argc, char **argv, const struct cli_opts *o)
{
	struct inkan_dmarc_record *rec = NULL;
	const char *err = NULL;
	enum inkan_status st;
	size_t i;
	int rc = 0;

	if (argc != 2)
		return cli_usage("dmarc record: one argument, the record text "
				 "(try 'inkan dmarc --help')");
	st = inkan_dmarc_record_parse(
	    argv[1], strlen(argv[1]), NULL, &rec, &err);
	if (st == INKAN_ERR_NOMEM) {
		cli_warn("out of memory");
		return EX_OSERR;
	}
	if (st != INKAN_OK) {
		cli_warn("dmarc record: not a DMARC record: %s", err);
		return EX_DATAERR;
	}
	if (o->json)
		rc = dump_json(json_record(rec));
	else {
		printf("record: ");
		cli_put_safe(stdout, rec->text);
		fputc('\n', stdout);
		print_record_text(rec);
		for (i = 0; i < rec->nwarnings; i++) {
			fputs("warning: ", stdout);
			cli_put_safe(stdout, rec->warnings[i]);
			fputc('\n', stdout);
		}
	}
	inkan_dmarc_record_free(&rec);
	return rc;
}

static int
cmd_lookup(int argc, char **argv, const struct cli_opts *o)
{
	struct inkan_dmarc_options opt;
	struct inkan_resolver *r = NULL;
	struct inkan_dmarc *dmarc = NULL;
	struct inkan_dmarc_lookup *lk = NULL;
	const char *domain = NULL;
	enum inkan_status st;
	int i, rc = 0;

	inkan_dmarc_options_init(&opt);
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--rfc7489") == 0)
			opt.mode = INKAN_DMARC_MODE_RFC7489;
		else if (strcmp(argv[i], "--psl") == 0) {
			if (i + 1 >= argc)
				return cli_usage("dmarc: --psl needs a file");
			opt.psl_file = argv[++i];
		} else if (strncmp(argv[i], "--psl=", 6) == 0)
			opt.psl_file = argv[i] + 6;
		else if (argv[i][0] == '-')
			return cli_usage(
			    "dmarc lookup: unknown option '%s'", argv[i]);
		else if (domain != NULL)
			return cli_usage("dmarc lookup: one DOMAIN only");
		else
			domain = argv[i];
	}
	if (domain == NULL)
		return cli_usage("dmarc lookup: DOMAIN is required");
	if (opt.psl_file != NULL && opt.mode != INKAN_DMARC_MODE_RFC7489)
		return cli_usage("dmarc lookup: --psl goes with --rfc7489");
	if ((rc = cli_resolver_open(o, &r)) != 0)
		goto out;
	st = inkan_dmarc_new(r, NULL, &opt, &dmarc);
	if (st == INKAN_ERR_NOTFOUND || st == INKAN_ERR_IO) {
		cli_warn("dmarc: cannot load the public suffix list %s: %s",
		    opt.psl_file != NULL ? opt.psl_file : "(Debian's)",
		    inkan_strerror(st));
		rc = EX_NOINPUT;
		goto out;
	}
	if (st == INKAN_OK)
		st = inkan_dmarc_lookup(dmarc, domain, &lk);
	if (st == INKAN_ERR_SYNTAX) {
		struct inkan_buf esc;

		inkan_buf_init(&esc, 4 * strlen(domain) + 1);
		inkan_escape(domain, strlen(domain), &esc);
		cli_warn("dmarc lookup: '%s' is not a domain name",
		    inkan_buf_cstr(&esc));
		inkan_buf_clear(&esc);
		rc = EX_DATAERR;
		goto out;
	}
	if (st != INKAN_OK) {
		cli_warn("dmarc: %s", inkan_strerror(st));
		rc = st == INKAN_ERR_NOMEM ? EX_OSERR : EX_SOFTWARE;
		goto out;
	}
	if (o->json)
		rc = print_json(lk);
	else
		print_text(lk);
	if (rc == 0 && fflush(stdout) != 0) {
		cli_warn("cannot write the output");
		rc = EX_IOERR;
	}
out:
	inkan_dmarc_lookup_free(&lk);
	inkan_dmarc_free(&dmarc);
	inkan_resolver_free(&r);
	return rc;
}

int
cli_cmd_dmarc(int argc, char **argv, const struct cli_opts *o)
{
	if (argc < 2) {
		dmarc_usage(stderr);
		return EX_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		dmarc_usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "lookup") == 0)
		return cmd_lookup(argc - 1, argv + 1, o);
	if (strcmp(argv[1], "record") == 0)
		return cmd_record(argc - 1, argv + 1, o);
	return cli_usage(
	    "dmarc: unknown subcommand '%s' (lookup, record)", argv[1]);
}
