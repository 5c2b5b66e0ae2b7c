/*
 * spf.c: `inkan spf --ip ADDR --sender ADDR [--helo NAME] [--explain]`:
 * the SPF check a receiver runs at MAIL FROM (RFC 7208 2.3, 2.4), through
 * the resolver the global options choose, printed as text or (--json) as
 * one JSON object.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"

static void
spf_usage(FILE *f)
{
	fprintf(f,
	    "usage: inkan spf --ip ADDR --sender ADDR [--helo NAME] "
	    "[--explain] [--json]\n"
	    "                 [--zone FILE]... [--overlay FILE]...\n"
	    "\n"
	    "Checks whether the client at ADDR may send mail with the "
	    "envelope sender\n"
	    "(MAIL FROM) ADDR, by the sender domain's SPF policy (RFC "
	    "7208).\n"
	    "\n"
	    "  --ip ADDR       the SMTP client's IPv4 or IPv6 address\n"
	    "  --sender ADDR   the MAIL FROM address (local@domain); '' or "
	    "'<>' is the null\n"
	    "                  reverse-path, for which the HELO name is "
	    "checked instead\n"
	    "                  (as postmaster@HELO), so --helo is then "
	    "required\n"
	    "  --helo NAME     the HELO/EHLO name the client gave (for %%{h}, "
	    "and the\n"
	    "                  identity checked for a null reverse-path)\n"
	    "  --explain       also print every DNS lookup and term "
	    "evaluated, and the\n"
	    "                  Received-SPF header field\n"
	    "  --json          print one JSON object (always with the "
	    "trace)\n"
	    "  --zone FILE     answer DNS only from this zone file "
	    "(repeatable; offline)\n"
	    "  --overlay FILE  this zone file first, live DNS for the rest\n"
	    "\n"
	    "Output: the result (pass, fail, softfail, neutral, none, "
	    "temperror,\n"
	    "permerror) on the first line, then why; for fail, the "
	    "explanation.\n"
	    "\n"
	    "Example:\n"
	    "  inkan spf --zone examples/demo.zone --ip 192.0.2.10 "
	    "--sender a@example.com --explain\n"
	    "\n"
	    "Exit status: 0 when a result was reached, whatever it is (fail, "
	    "temperror and\n"
	    "permerror included); 64 usage error; 65 an address that does "
	    "not parse or a\n"
	    "malformed zone file; 66 missing zone file; 69 live DNS "
	    "unavailable.\n");
}

static const char *
step_kind_name(enum inkan_spf_step_kind k)
{
	switch (k) {
	case INKAN_SPF_STEP_RECORD:
		return "record";
	case INKAN_SPF_STEP_DNS:
		return "dns";
	case INKAN_SPF_STEP_TERM:
		return "term";
	case INKAN_SPF_STEP_LIMIT:
		return "limit";
	case INKAN_SPF_STEP_RESULT:
		return "result";
	}
	return "unknown";
}

static void
print_text(
    const struct inkan_spf_verdict *v, const char *received, bool explain)
{
	size_t i;

	printf("%s\n", inkan_spf_result_name(v->result));
	if (v->reason != NULL) {
		cli_put_safe(stdout, v->reason);
		fputc('\n', stdout);
	}
	if (v->explanation != NULL) {
		fputs("explanation: ", stdout);
		cli_put_safe(stdout, v->explanation);
		fputc('\n', stdout);
	}
	if (!explain)
		return;
	printf(
	    "\nidentity: %s, domain: ", inkan_spf_identity_name(v->identity));
	cli_put_safe(stdout, v->domain != NULL ? v->domain : "(none)");
	fputs(", sender: ", stdout);
	cli_put_safe(stdout, v->sender != NULL ? v->sender : "(none)");
	printf("\nmechanism: ");
	cli_put_safe(stdout, v->mechanism != NULL ? v->mechanism : "(none)");
	printf("\nDNS lookups: %u (limit 10), void lookups: %u (limit 2)\n",
	    v->dns_lookups, v->void_lookups);
	printf("\ntrace:\n");
	for (i = 0; i < v->trace_count; i++) {
		printf("  %*s", (int)(2 * v->trace[i].depth), "");
		cli_put_safe(stdout, v->trace[i].text);
		fputc('\n', stdout);
	}
	if (received != NULL) {
		fputc('\n', stdout);
		/* Folded header lines: print them as they are, made safe. */
		for (; *received != '\0'; received++) {
			uint8_t c = (uint8_t)*received;

			if (c == '\r')
				continue;
			if (c == '\n' || (c >= 0x20 && c < 0x7f) || c == '\t')
				fputc(c, stdout);
			else
				printf("\\x%02x", c);
		}
		fputc('\n', stdout);
	}
}

/* A JSON string for s: as it is when valid UTF-8, else escaped; or null. */
static json_t *
json_str(const char *s)
{
	struct inkan_buf b;
	json_t *j;
	size_t n;

	if (s == NULL)
		return json_null();
	n = strlen(s);
	if ((j = json_stringn(s, n)) != NULL)
		return j;
	inkan_buf_init(&b, 4 * n + 1);
	j = inkan_escape(s, n, &b) == INKAN_OK
	    ? json_stringn(inkan_buf_cstr(&b), b.len)
	    : NULL;
	inkan_buf_clear(&b);
	return j;
}

static int
print_json(const struct inkan_spf_verdict *v,
    const struct inkan_spf_request *req, const char *ip, const char *received)
{
	json_t *o = json_object(), *trace = json_array();
	size_t i;
	int rc = 0;

	if (o == NULL || trace == NULL) {
		json_decref(o);
		json_decref(trace);
		cli_warn("out of memory");
		return EX_OSERR;
	}
	json_object_set_new(
	    o, "result", json_string(inkan_spf_result_name(v->result)));
	json_object_set_new(
	    o, "identity", json_string(inkan_spf_identity_name(v->identity)));
	json_object_set_new(o, "ip", json_str(ip));
	json_object_set_new(o, "sender", json_str(v->sender));
	json_object_set_new(o, "helo",
	    json_str(
		req->helo != NULL && *req->helo != '\0' ? req->helo : NULL));
	json_object_set_new(o, "domain", json_str(v->domain));
	json_object_set_new(o, "mechanism", json_str(v->mechanism));
	json_object_set_new(o, "explanation", json_str(v->explanation));
	json_object_set_new(o, "reason", json_str(v->reason));
	json_object_set_new(o, "dns_lookups", json_integer(v->dns_lookups));
	json_object_set_new(o, "void_lookups", json_integer(v->void_lookups));
	for (i = 0; i < v->trace_count; i++) {
		const struct inkan_spf_step *s = &v->trace[i];
		json_t *step = json_object();

		if (step == NULL)
			continue;
		json_object_set_new(
		    step, "kind", json_string(step_kind_name(s->kind)));
		json_object_set_new(step, "depth", json_integer(s->depth));
		json_object_set_new(step, "domain", json_str(s->domain));
		json_object_set_new(step, "text", json_str(s->text));
		json_array_append_new(trace, step);
	}
	json_object_set_new(o, "trace", trace);
	json_object_set_new(o, "received_spf", json_str(received));
	return cli_json_emit(o, rc);
}

int
cli_cmd_spf(int argc, char **argv, const struct cli_opts *o)
{
	const char *ip = NULL, *sender = NULL, *helo = NULL, *val;
	struct inkan_resolver *r = NULL;
	struct inkan_spf *spf = NULL;
	struct inkan_spf_verdict *v = NULL;
	struct inkan_spf_request req;
	struct inkan_buf received, mf;
	enum inkan_status st;
	bool explain = false, null_path;
	int i, rc = 0;

	memset(&req, 0, sizeof(req));
	inkan_buf_init(&received, 64 * 1024);
	inkan_buf_init(&mf, INKAN_SMTP_PATH_MAX + 1);
	for (i = 1; i < argc; i++) {
		int m;

		if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0) {
			spf_usage(stdout);
			goto out;
		}
		if (strcmp(argv[i], "--explain") == 0) {
			explain = true;
			continue;
		}
		if ((m = cli_option_value(
			 argc, argv, &i, "spf", "--ip", true, &val)) > 0)
			ip = val;
		else if (m == 0 &&
		    (m = cli_option_value(
			 argc, argv, &i, "spf", "--sender", true, &val)) > 0)
			sender = val;
		else if (m == 0 &&
		    (m = cli_option_value(
			 argc, argv, &i, "spf", "--helo", true, &val)) > 0)
			helo = val;
		else if (m < 0) {
			rc = EX_USAGE;
			goto out;
		} else if (argv[i][0] == '-') {
			rc = cli_usage("spf: unknown option '%s'", argv[i]);
			goto out;
		} else {
			rc = cli_usage("spf: unexpected argument '%s' (try "
				       "'inkan spf --help')",
			    argv[i]);
			goto out;
		}
	}
	if (ip == NULL) {
		rc = cli_usage("spf: --ip ADDR is required");
		goto out;
	}
	if (sender == NULL) {
		rc = cli_usage("spf: --sender ADDR is required ('' or '<>' for "
			       "the null reverse-path)");
		goto out;
	}
	/* "<a@example.com>" as written in SMTP: the path inside. */
	if (sender[0] == '<' && strlen(sender) >= 2 &&
	    sender[strlen(sender) - 1] == '>') {
		if (inkan_buf_append(&mf, sender + 1, strlen(sender) - 2) !=
		    INKAN_OK) {
			rc = cli_usage("spf: --sender is longer than %u "
				       "characters (RFC 5321 4.5.3.1.3)",
			    INKAN_SMTP_PATH_MAX);
			goto out;
		}
		sender = inkan_buf_cstr(&mf);
	}
	null_path = *sender == '\0';
	if (null_path && (helo == NULL || *helo == '\0')) {
		rc = cli_usage("spf: a null reverse-path (--sender '') is "
			       "checked by its HELO identity: --helo NAME is "
			       "required");
		goto out;
	}
	if (inkan_spf_ip_parse(ip, &req.ip) != INKAN_OK) {
		cli_warn("spf: '%s' is not an IPv4 or IPv6 address", ip);
		rc = EX_DATAERR;
		goto out;
	}
	req.mail_from = sender;
	req.helo = helo;
	if ((rc = cli_resolver_open(o, &r)) != 0)
		goto out;
	if ((st = inkan_spf_new(r, NULL, &spf)) != INKAN_OK ||
	    (st = inkan_spf_check(spf, &req,
		 explain || o->json ? INKAN_SPF_TRACE : 0, &v)) != INKAN_OK) {
		cli_warn("spf: %s", inkan_strerror(st));
		rc = st == INKAN_ERR_NOMEM ? EX_OSERR : EX_SOFTWARE;
		goto out;
	}
	if (explain || o->json) {
		st = inkan_spf_received_spf(v, &req, &received);
		if (st != INKAN_OK) {
			cli_warn("spf: cannot write Received-SPF: %s",
			    inkan_strerror(st));
			rc = EX_SOFTWARE;
			goto out;
		}
	}
	if (o->json)
		rc = print_json(v, &req, ip,
		    received.len > 0 ? inkan_buf_cstr(&received) : NULL);
	else
		print_text(v,
		    received.len > 0 ? inkan_buf_cstr(&received) : NULL,
		    explain);
	if (rc == 0 && fflush(stdout) != 0) {
		cli_warn("cannot write the output");
		rc = EX_IOERR;
	}
out:
	inkan_spf_verdict_free(&v);
	inkan_spf_free(&spf);
	inkan_resolver_free(&r);
	inkan_buf_clear(&received);
	inkan_buf_clear(&mf);
	return rc;
}
