/*
 * dns.c: `inkan dns lookup NAME TYPE`: one lookup through the resolver the
 * global options choose, printed as text or (--json) as one JSON object.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"

static void
dns_usage(FILE *f)
{
	fprintf(f,
	    "usage: inkan dns lookup NAME TYPE [--zone FILE]... "
	    "[--overlay FILE]... [--json]\n"
	    "\n"
	    "Looks up NAME and TYPE (A, AAAA, MX, TXT, PTR, CNAME, NS, TLSA, "
	    "SPF, TYPEn, ...)\n"
	    "and prints the answer, its rcode (NOERROR, NXDOMAIN, NODATA, "
	    "SERVFAIL,\n"
	    "TIMEOUT) and whether DNSSEC validated it (secure).\n"
	    "\n"
	    "  --zone FILE     answer only from this zone file (repeatable); "
	    "';! TIMEOUT\n"
	    "                  name [TYPE]', ';! SERVFAIL name [TYPE]' and "
	    "';! SECURE name'\n"
	    "                  comments in it inject faults and the secure "
	    "bit\n"
	    "  --overlay FILE  this zone file first, live DNS for the rest\n"
	    "  --json          print one JSON object\n"
	    "\n"
	    "Exit status: 0 when the lookup ran, whatever the answer; 64 "
	    "usage error;\n"
	    "65 malformed zone file; 66 missing zone file; 69 live DNS "
	    "unavailable.\n");
}

/* "TXT", or "TYPE257" in buf. */
static const char *
type_name(enum inkan_dns_type t, char *buf, size_t size)
{
	const char *n = inkan_dns_type_to_name(t);

	if (n != NULL)
		return n;
	snprintf(buf, size, "TYPE%u", (unsigned)t);
	return buf;
}

/* A name as the user reads it: absolute, with its trailing dot. */
static void
print_name(const char *name)
{
	fputs(name, stdout);
	if (strcmp(name, ".") != 0)
		fputc('.', stdout);
}

static void
print_hex(const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		printf("%02X", p[i]);
}

/* RFC 1035 5.1 quoting: \" \\ and \DDD for anything not printable. */
static void
print_quoted(const uint8_t *p, size_t n)
{
	size_t i;

	fputc('"', stdout);
	for (i = 0; i < n; i++) {
		if (p[i] == '"' || p[i] == '\\')
			printf("\\%c", p[i]);
		else if (p[i] < 0x20 || p[i] >= 0x7f)
			printf("\\%03u", p[i]);
		else
			fputc(p[i], stdout);
	}
	fputc('"', stdout);
}

static void
print_rdata(const struct inkan_dns_record *rr)
{
	char addr[INET6_ADDRSTRLEN];
	size_t i;

	if (rr->is_raw) {
		/* RFC 3597 5: the generic form. */
		printf("\\# %zu ", rr->u.raw.len);
		print_hex(rr->u.raw.data, rr->u.raw.len);
		return;
	}
	switch ((unsigned)rr->type) {
	case INKAN_DNS_A:
		fputs(
		    inet_ntop(AF_INET, rr->u.addr, addr, sizeof(addr)), stdout);
		break;
	case INKAN_DNS_AAAA:
		fputs(inet_ntop(AF_INET6, rr->u.addr, addr, sizeof(addr)),
		    stdout);
		break;
	case INKAN_DNS_MX:
		printf("%u ", (unsigned)rr->u.mx.preference);
		print_name(rr->u.mx.exchange);
		break;
	case INKAN_DNS_CNAME:
	case INKAN_DNS_PTR:
	case INKAN_DNS_NS:
		print_name(rr->u.target);
		break;
	case INKAN_DNS_TXT:
	case INKAN_DNS_SPF:
		for (i = 0; i < rr->u.txt.count; i++) {
			if (i > 0)
				fputc(' ', stdout);
			print_quoted(rr->u.txt.strings[i].data,
			    rr->u.txt.strings[i].len);
		}
		break;
	case INKAN_DNS_TLSA:
		printf("%u %u %u ", (unsigned)rr->u.tlsa.usage,
		    (unsigned)rr->u.tlsa.selector,
		    (unsigned)rr->u.tlsa.matching_type);
		print_hex(rr->u.tlsa.data, rr->u.tlsa.len);
		break;
	default:
		break;
	}
}

static void
print_text(const struct inkan_dns_answer *a)
{
	char tb[16];
	size_t i;

	print_name(a->name);
	printf(" %s: %s (%s) ttl=%u\n", type_name(a->type, tb, sizeof(tb)),
	    inkan_dns_rcode_to_name(a->rcode),
	    a->secure ? "secure" : "insecure", (unsigned)a->ttl);
	for (i = 0; i < a->chain_count; i++) {
		fputs("; ", stdout);
		print_name(a->chain[i].owner);
		fputs(" CNAME ", stdout);
		print_rdata(&a->chain[i]);
		fputc('\n', stdout);
	}
	if (a->why != NULL)
		printf("; why: %s\n", a->why);
	for (i = 0; i < a->count; i++) {
		print_rdata(&a->records[i]);
		fputc('\n', stdout);
	}
}

/* ---- JSON --------------------------------------------------------------- */

/*
 * A JSON string of bytes p[0..n): as they are when valid UTF-8, else
 * escaped (\xHH) with *escaped set.
 */
static json_t *
json_bytes(const uint8_t *p, size_t n, bool *escaped)
{
	struct inkan_buf b;
	json_t *j;

	if ((j = json_stringn((const char *)p, n)) != NULL)
		return j;
	*escaped = true;
	inkan_buf_init(&b, 4 * n + 1);
	j = inkan_escape(p, n, &b) == INKAN_OK
	    ? json_stringn(inkan_buf_cstr(&b), b.len)
	    : NULL;
	inkan_buf_clear(&b);
	return j;
}

static json_t *
json_hex(const uint8_t *p, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	struct inkan_buf b;
	json_t *j;
	size_t i;

	inkan_buf_init(&b, 2 * n + 1);
	for (i = 0; i < n; i++) {
		inkan_buf_append_byte(&b, (uint8_t)hex[p[i] >> 4]);
		inkan_buf_append_byte(&b, (uint8_t)hex[p[i] & 15]);
	}
	j = b.err == INKAN_OK ? json_string(inkan_buf_cstr(&b)) : NULL;
	inkan_buf_clear(&b);
	return j;
}

static json_t *
json_record(const struct inkan_dns_record *rr)
{
	json_t *o = json_object(), *a;
	char addr[INET6_ADDRSTRLEN], tb[16];
	struct inkan_buf joined;
	bool escaped = false;
	size_t i;

	if (o == NULL)
		return NULL;
	json_object_set_new(o, "name", json_string(rr->owner));
	json_object_set_new(
	    o, "type", json_string(type_name(rr->type, tb, sizeof(tb))));
	json_object_set_new(o, "ttl", json_integer(rr->ttl));
	if (rr->is_raw) {
		json_object_set_new(
		    o, "rdata", json_hex(rr->u.raw.data, rr->u.raw.len));
		return o;
	}
	switch ((unsigned)rr->type) {
	case INKAN_DNS_A:
	case INKAN_DNS_AAAA:
		json_object_set_new(o, "address",
		    json_string(
			inet_ntop(rr->type == INKAN_DNS_A ? AF_INET : AF_INET6,
			    rr->u.addr, addr, sizeof(addr))));
		break;
	case INKAN_DNS_MX:
		json_object_set_new(
		    o, "preference", json_integer(rr->u.mx.preference));
		json_object_set_new(
		    o, "exchange", json_string(rr->u.mx.exchange));
		break;
	case INKAN_DNS_CNAME:
	case INKAN_DNS_PTR:
	case INKAN_DNS_NS:
		json_object_set_new(o, "target", json_string(rr->u.target));
		break;
	case INKAN_DNS_TXT:
	case INKAN_DNS_SPF:
		a = json_array();
		for (i = 0; i < rr->u.txt.count; i++)
			json_array_append_new(a,
			    json_bytes(rr->u.txt.strings[i].data,
				rr->u.txt.strings[i].len, &escaped));
		json_object_set_new(o, "strings", a);
		/* RFC 7208 3.3: the strings joined with nothing between. */
		inkan_buf_init(&joined, 65536);
		if (inkan_dns_txt_join(rr, &joined) == INKAN_OK)
			json_object_set_new(o, "text",
			    json_bytes(joined.data, joined.len, &escaped));
		inkan_buf_clear(&joined);
		if (escaped)
			json_object_set_new(o, "escaped", json_true());
		break;
	case INKAN_DNS_TLSA:
		json_object_set_new(o, "usage", json_integer(rr->u.tlsa.usage));
		json_object_set_new(
		    o, "selector", json_integer(rr->u.tlsa.selector));
		json_object_set_new(
		    o, "matching_type", json_integer(rr->u.tlsa.matching_type));
		json_object_set_new(
		    o, "data", json_hex(rr->u.tlsa.data, rr->u.tlsa.len));
		break;
	default:
		break;
	}
	return o;
}

static int
print_json(const struct inkan_dns_answer *a)
{
	json_t *o = json_object(), *recs = json_array(), *chain = json_array();
	char tb[16];
	size_t i;
	int rc = 0;

	if (o == NULL || recs == NULL || chain == NULL) {
		json_decref(o);
		json_decref(recs);
		json_decref(chain);
		cli_warn("out of memory");
		return EX_OSERR;
	}
	json_object_set_new(o, "name", json_string(a->name));
	json_object_set_new(
	    o, "type", json_string(type_name(a->type, tb, sizeof(tb))));
	json_object_set_new(
	    o, "rcode", json_string(inkan_dns_rcode_to_name(a->rcode)));
	json_object_set_new(o, "secure", json_boolean(a->secure));
	json_object_set_new(o, "ttl", json_integer(a->ttl));
	json_object_set_new(
	    o, "canonical_name", json_string(a->canonical_name));
	if (a->why != NULL)
		json_object_set_new(o, "why", json_string(a->why));
	for (i = 0; i < a->chain_count; i++)
		json_array_append_new(chain, json_record(&a->chain[i]));
	for (i = 0; i < a->count; i++)
		json_array_append_new(recs, json_record(&a->records[i]));
	json_object_set_new(o, "chain", chain);
	json_object_set_new(o, "records", recs);
	return cli_json_emit(o, rc);
}

/* ---- the command -------------------------------------------------------- */

static int
cmd_lookup(int argc, char **argv, const struct cli_opts *o)
{
	const char *args[2];
	struct inkan_resolver *r = NULL;
	struct inkan_dns_answer *a = NULL;
	enum inkan_dns_type type;
	enum inkan_status st;
	size_t n = 0;
	bool rest = false;
	int i, rc;

	for (i = 1; i < argc; i++) {
		if (!rest && strcmp(argv[i], "--") == 0) {
			rest = true;
			continue;
		}
		if (!rest &&
		    (strcmp(argv[i], "--help") == 0 ||
			strcmp(argv[i], "-h") == 0)) {
			dns_usage(stdout);
			return 0;
		}
		if (!rest && argv[i][0] == '-' && argv[i][1] != '\0')
			return cli_usage(
			    "dns lookup: unknown option '%s'", argv[i]);
		if (n == 2)
			return cli_usage("dns lookup: too many arguments "
					 "(NAME TYPE)");
		args[n++] = argv[i];
	}
	if (n < 2)
		return cli_usage("dns lookup: needs NAME and TYPE");
	st = inkan_dns_type_from_name(args[1], &type);
	if (st == INKAN_ERR_INVAL)
		return cli_usage("dns lookup: %s is a query type, not a "
				 "record type",
		    args[1]);
	if (st != INKAN_OK)
		return cli_usage("dns lookup: unknown type '%s'", args[1]);
	if ((rc = cli_resolver_open(o, &r)) != 0)
		return rc;
	st = inkan_resolver_lookup(r, args[0], type, &a);
	switch (st) {
	case INKAN_OK:
		if (o->json)
			rc = print_json(a);
		else
			print_text(a);
		break;
	case INKAN_ERR_INVAL:
		rc = cli_usage("dns lookup: invalid name (an empty label, a "
			       "label over 63 octets or a name over 253 "
			       "characters)");
		break;
	case INKAN_ERR_DNS:
		cli_warn("live DNS is unavailable");
		rc = EX_UNAVAILABLE;
		break;
	default:
		cli_warn("lookup failed: %s", inkan_strerror(st));
		rc = EX_OSERR;
		break;
	}
	inkan_dns_answer_free(&a);
	inkan_resolver_free(&r);
	if (rc == 0 && fflush(stdout) != 0) {
		cli_warn("cannot write the output");
		rc = EX_IOERR;
	}
	return rc;
}

int
cli_cmd_dns(int argc, char **argv, const struct cli_opts *o)
{
	if (argc < 2) {
		dns_usage(stderr);
		return EX_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		dns_usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "lookup") == 0)
		return cmd_lookup(argc - 1, argv + 1, o);
	return cli_usage("dns: unknown subcommand '%s' (try 'inkan dns "
			 "--help')",
	    argv[1]);
}
