/*
 * verify.c: `inkan verify --ip ADDR --helo NAME --mail-from ADDR
 * [--rcpt-to ADDR] [--authserv-id ID] [FILE|-]`: the whole receiving-side
 * pipeline (lib/verify: SPF, DKIM, ARC, DMARC, Authentication-Results)
 * over one message, through the resolver the global options choose.
 *
 * A file whose first line ends in LF alone is taken as LF throughout
 * (every LF as CRLF, as for `inkan dkim verify`), and the field printed
 * ends in LF either way.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include <inkan/verify.h>

#include "cli.h"

static void
verify_usage(FILE *f)
{
	fprintf(f,
	    "usage: inkan verify --ip ADDR --helo NAME --mail-from ADDR "
	    "[--rcpt-to ADDR]\n"
	    "                    [--authserv-id ID] [--json] [--zone FILE]... "
	    "[--overlay FILE]...\n"
	    "                    [FILE|-]\n"
	    "\n"
	    "Runs what a receiving mail server checks on one message: SPF "
	    "(RFC 7208) for\n"
	    "the envelope, DKIM (RFC 6376) and ARC (RFC 8617) on the "
	    "message, DMARC\n"
	    "(RFC 9989) for the From domain, and prints the "
	    "Authentication-Results\n"
	    "header field (RFC 8601) and the DMARC disposition.\n"
	    "\n"
	    "  --ip ADDR           the SMTP client's IPv4 or IPv6 address\n"
	    "  --helo NAME         the HELO/EHLO name it gave\n"
	    "  --mail-from ADDR    the MAIL FROM address; '' or '<>' is the "
	    "null\n"
	    "                      reverse-path (SPF then checks the HELO "
	    "name)\n"
	    "  --rcpt-to ADDR      one RCPT TO address (for the DMARC report "
	    "row)\n"
	    "  --authserv-id ID    the authserv-id to write (default: "
	    "localhost)\n"
	    "  --json              print one JSON object\n"
	    "  --zone FILE         answer DNS only from this zone file "
	    "(repeatable)\n"
	    "  --overlay FILE      this zone file first, live DNS for the "
	    "rest\n"
	    "\n"
	    "FILE is the message (default: standard input).\n"
	    "\n"
	    "Example:\n"
	    "  inkan verify --zone examples/demo.zone --ip 192.0.2.10 "
	    "--helo mx1.example.com \\\n"
	    "      --mail-from alice@example.com signed.eml\n"
	    "\n"
	    "Exit status: 0 when the checks ran, whatever they say; 64 usage "
	    "error;\n"
	    "65 a malformed message, address or zone file; 66 missing "
	    "file; 69 live\n"
	    "DNS unavailable.\n");
}

struct args {
	const char *ip, *helo, *mail_from, *rcpt_to, *authserv_id, *path;
};

/* Returns 0, or an exit status (and 1 << 8 for --help, printed). */
static int
parse_args(int argc, char **argv, struct args *a)
{
	static const struct {
		const char *name;
		size_t off;
		bool empty_ok;
	} opts[] = {
		{ "--ip", offsetof(struct args, ip), false },
		{ "--helo", offsetof(struct args, helo), false },
		{ "--mail-from", offsetof(struct args, mail_from), true },
		{ "--rcpt-to", offsetof(struct args, rcpt_to), false },
		{ "--authserv-id", offsetof(struct args, authserv_id), false },
	};
	bool rest = false;
	size_t j;
	int k, r;

	memset(a, 0, sizeof(*a));
	for (k = 1; k < argc; k++) {
		if (!rest && strcmp(argv[k], "--") == 0) {
			rest = true;
			continue;
		}
		if (!rest &&
		    (strcmp(argv[k], "--help") == 0 ||
			strcmp(argv[k], "-h") == 0)) {
			verify_usage(stdout);
			return 1 << 8;
		}
		for (j = 0, r = 0; !rest && j < sizeof(opts) / sizeof(opts[0]);
		     j++) {
			r = cli_option_value(argc, argv, &k, "verify",
			    opts[j].name, opts[j].empty_ok,
			    (const char **)(void *)((char *)a + opts[j].off));
			if (r != 0)
				break;
		}
		if (r < 0)
			return EX_USAGE;
		if (r > 0)
			continue;
		if (!rest && argv[k][0] == '-' && argv[k][1] != '\0')
			return cli_usage(
			    "verify: unknown option '%s'", argv[k]);
		if (a->path != NULL)
			return cli_usage("verify: one message at a time");
		a->path = argv[k];
	}
	if (a->ip == NULL)
		return cli_usage("verify: --ip is required");
	if (a->mail_from == NULL)
		return cli_usage("verify: --mail-from is required ('' for the "
				 "null reverse-path)");
	if (a->helo == NULL)
		return cli_usage("verify: --helo is required");
	return 0;
}

/* Prints s with bytes outside printable ASCII (and TAB, LF) as \xHH. */
static void
put_safe(const char *s)
{
	const uint8_t *p;

	if (s == NULL) {
		fputs("-", stdout);
		return;
	}
	for (p = (const uint8_t *)s; *p != '\0'; p++) {
		if (*p == '\r' && p[1] == '\n')
			continue; /* a CRLF field prints as a line */
		if ((*p >= 0x20 && *p < 0x7f) || *p == '\t' || *p == '\n')
			fputc(*p, stdout);
		else
			printf("\\x%02x", *p);
	}
}

static int
print_json(const struct inkan_verify_msg *m)
{
	const struct inkan_spf_verdict *spf = inkan_verify_spf(m);
	const struct inkan_dmarc_verdict *d = inkan_verify_dmarc(m);
	const struct inkan_arc_result *arc = inkan_verify_arc(m);
	const struct inkan_dkim_sig *sigs;
	json_t *o = json_object(), *js = json_object(), *jd = json_array(),
	       *jm = json_object(), *al = json_object(), *ja;
	size_t n, i;
	int rc = 0;

	json_object_set_new(
	    js, "result", json_string(inkan_spf_result_name(spf->result)));
	json_object_set_new(js, "identity",
	    json_string(inkan_spf_identity_name(spf->identity)));
	json_object_set_new(js, "domain", cli_json_text(spf->domain));
	json_object_set_new(js, "reason", cli_json_text(spf->reason));
	json_object_set_new(o, "spf", js);

	inkan_verify_dkim(m, &sigs, &n);
	for (i = 0; i < n; i++) {
		json_t *s = json_object();

		json_object_set_new(s, "result",
		    json_string(inkan_dkim_result_name(sigs[i].result)));
		json_object_set_new(s, "domain", cli_json_text(sigs[i].domain));
		json_object_set_new(
		    s, "selector", cli_json_text(sigs[i].selector));
		json_object_set_new(
		    s, "identity", cli_json_text(sigs[i].identity));
		json_object_set_new(s, "algorithm",
		    json_string(inkan_dkim_algorithm_name(sigs[i].algorithm)));
		json_object_set_new(s, "reason", cli_json_text(sigs[i].reason));
		json_array_append_new(jd, s);
	}
	json_object_set_new(o, "dkim", jd);

	if (arc != NULL) {
		ja = json_object();
		json_object_set_new(
		    ja, "result", json_string(inkan_arc_cv_name(arc->cv)));
		json_object_set_new(ja, "reason", cli_json_text(arc->reason));
		json_object_set_new(
		    ja, "instances", json_integer((json_int_t)arc->count));
		json_object_set_new(
		    ja, "oldest_pass", json_integer(arc->oldest_pass));
		json_object_set_new(o, "arc", ja);
	} else {
		json_object_set_new(o, "arc", json_null());
	}

	json_object_set_new(
	    jm, "result", json_string(inkan_dmarc_result_name(d->result)));
	json_object_set_new(jm, "domain", cli_json_text(d->from_domain));
	json_object_set_new(
	    jm, "policy_domain", cli_json_text(d->policy_domain));
	json_object_set_new(jm, "policy",
	    d->policy == INKAN_DMARC_POLICY_ABSENT
		? json_null()
		: json_string(inkan_dmarc_policy_name(d->policy)));
	json_object_set_new(jm, "disposition",
	    json_string(inkan_dmarc_disposition_name(d->disposition)));
	json_object_set_new(al, "dkim", json_boolean(d->dkim_aligned));
	json_object_set_new(al, "spf", json_boolean(d->spf_aligned));
	json_object_set_new(
	    al, "dkim_domain", cli_json_text(d->dkim_aligned_domain));
	json_object_set_new(
	    al, "spf_domain", cli_json_text(d->spf_aligned_domain));
	json_object_set_new(
	    al, "adkim", json_string(inkan_dmarc_align_name(d->adkim)));
	json_object_set_new(
	    al, "aspf", json_string(inkan_dmarc_align_name(d->aspf)));
	json_object_set_new(jm, "alignment", al);
	json_object_set_new(jm, "reason", cli_json_text(d->reason));
	json_object_set_new(o, "dmarc", jm);

	json_object_set_new(o, "authentication_results",
	    cli_json_text(inkan_verify_authres(m)));
	return cli_json_emit(o, rc);
}

static void
print_text(const struct inkan_verify_msg *m)
{
	const struct inkan_dmarc_verdict *d = inkan_verify_dmarc(m);

	put_safe(inkan_verify_authres(m));
	printf("DMARC disposition: %s (dmarc=%s",
	    inkan_dmarc_disposition_name(d->disposition),
	    inkan_dmarc_result_name(d->result));
	if (d->policy != INKAN_DMARC_POLICY_ABSENT)
		printf(", p=%s", inkan_dmarc_policy_name(d->policy));
	if (d->from_domain != NULL) {
		fputs(", header.from=", stdout);
		put_safe(d->from_domain);
	}
	fputs("): ", stdout);
	put_safe(d->reason);
	fputc('\n', stdout);
}

/* Streams f through m; the line-ending mode is decided by the first
 * line, before the message begins. Returns an exit status. */
static int
run(struct inkan_verifier *vf, const struct inkan_verify_envelope *env, FILE *f,
    const char *name, struct inkan_verify_msg **m_r)
{
	uint8_t buf[65536];
	size_t len = 0, got;
	const uint8_t *lf;
	unsigned flags = INKAN_VERIFY_ALLOW_LF;
	enum inkan_status st;

	while (len < sizeof(buf) && memchr(buf, '\n', len) == NULL &&
	    (got = fread(buf + len, 1, sizeof(buf) - len, f)) > 0)
		len += got;
	/* RFC 6376 3.4 works on CRLF lines: a CRLF file is fed as it is. */
	if ((lf = memchr(buf, '\n', len)) != NULL && lf > buf && lf[-1] == '\r')
		flags = 0;
	if ((st = inkan_verify_begin(vf, env, flags, m_r)) != INKAN_OK) {
		cli_warn("cannot start: %s", inkan_strerror(st));
		return EX_OSERR;
	}
	for (;;) {
		if (len > 0 && inkan_verify_feed(*m_r, buf, len) != INKAN_OK) {
			cli_warn("%s: %s", name, inkan_verify_error(*m_r));
			return EX_DATAERR;
		}
		if ((len = fread(buf, 1, sizeof(buf), f)) == 0)
			break;
	}
	if (ferror(f)) {
		cli_warn("%s: read error", name);
		return EX_IOERR;
	}
	if ((st = inkan_verify_finish(*m_r)) != INKAN_OK) {
		cli_warn("%s: %s", name, inkan_verify_error(*m_r));
		return st == INKAN_ERR_NOMEM ? EX_OSERR : EX_DATAERR;
	}
	return 0;
}

int
cli_cmd_verify(int argc, char **argv, const struct cli_opts *o)
{
	struct inkan_resolver *r = NULL;
	struct inkan_verifier *vf = NULL;
	struct inkan_verify_msg *m = NULL;
	struct inkan_verify_options vo;
	struct inkan_verify_envelope env;
	struct args a;
	enum inkan_status st;
	FILE *f = NULL;
	int rc;

	if ((rc = parse_args(argc, argv, &a)) != 0)
		return rc == 1 << 8 ? 0 : rc;
	memset(&env, 0, sizeof(env));
	if (inkan_spf_ip_parse(a.ip, &env.ip) != INKAN_OK) {
		cli_warn("verify: --ip %s is not an IP address", a.ip);
		return EX_DATAERR;
	}
	env.helo = a.helo;
	env.mail_from = a.mail_from;
	env.rcpt_to = a.rcpt_to;
	if (a.path == NULL || strcmp(a.path, "-") == 0) {
		f = stdin;
	} else if ((f = fopen(a.path, "rb")) == NULL) {
		cli_warn("%s: %s", a.path, strerror(errno));
		return EX_NOINPUT;
	}
	if ((rc = cli_resolver_open(o, &r)) != 0)
		goto out;
	inkan_verify_options_init(&vo);
	if (a.authserv_id != NULL)
		vo.authserv_id = a.authserv_id;
	if ((st = inkan_verifier_new(r, NULL, &vo, &vf)) != INKAN_OK) {
		cli_warn("verify: %s", inkan_strerror(st));
		rc = st == INKAN_ERR_NOMEM ? EX_OSERR : EX_SOFTWARE;
		goto out;
	}
	rc = run(vf, &env, f, a.path != NULL ? a.path : "-", &m);
	if (rc != 0)
		goto out;
	if (o->json)
		rc = print_json(m);
	else
		print_text(m);
	if (rc == 0 && fflush(stdout) != 0) {
		cli_warn("cannot write the output");
		rc = EX_IOERR;
	}
out:
	inkan_verify_msg_free(&m);
	inkan_verifier_free(&vf);
	inkan_resolver_free(&r);
	if (f != NULL && f != stdin)
		fclose(f);
	return rc;
}
