/*
 * arc.c: `inkan arc verify|seal`: ARC (RFC 8617) from the command line.
 *
 * Line endings as for `inkan dkim`: when the first line of the input ends
 * in CRLF the message is taken as it is; otherwise each LF counts as CRLF
 * (INKAN_DKIM_ALLOW_LF). seal writes the new ARC Set with the line ending
 * the input uses, then the message unchanged.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include <inkan/arc.h>

#include "cli.h"

/* The largest message seal holds in memory (it must echo it). */
#define CLI_ARC_MESSAGE_MAX (64u * 1024 * 1024)
/* Room for the new ARC Set. */
#define CLI_ARC_TEXT_MAX (1024u * 1024)

static void
arc_usage(FILE *f)
{
	fprintf(f,
	    "usage: inkan arc verify [FILE|-] [--json] [--zone FILE]... "
	    "[--overlay FILE]...\n"
	    "       inkan arc seal --domain D --selector S --key FILE "
	    "--authserv-id ID\n"
	    "                      [--headers LIST] [--results TEXT] "
	    "[--timestamp N]\n"
	    "                      [--zone FILE]... [FILE|-]\n"
	    "\n"
	    "verify  validates the message's ARC chain (RFC 8617 5.2) and "
	    "prints the\n"
	    "        chain validation status (none, pass, fail) and why, "
	    "then one line\n"
	    "        per ARC Set; --json prints one object (cv, instances, "
	    "oldest_pass,\n"
	    "        reason, sets).\n"
	    "seal    validates the chain, then writes the message to "
	    "standard output\n"
	    "        with a new ARC Set (ARC-Seal, ARC-Message-Signature, "
	    "ARC-Authentication-\n"
	    "        Results) in front of it. The AAR copies the message's "
	    "Authentication-\n"
	    "        Results fields whose authserv-id is ID, or is "
	    "\"ID; TEXT\" with\n"
	    "        --results TEXT. --headers: colon-separated names for "
	    "the AMS h=\n"
	    "        (default: From, To, Subject, Date, ... and "
	    "DKIM-Signature).\n"
	    "        --timestamp: t= (default: now). A message whose newest "
	    "ARC-Seal\n"
	    "        says cv=fail is written unchanged (RFC 8617 5.1).\n"
	    "\n"
	    "Keys come from live DNS, or only from the --zone files, or from "
	    "the\n"
	    "--overlay files over live DNS.\n"
	    "\n"
	    "Exit status: 0 when the command ran, whatever the results; 64 "
	    "usage error;\n"
	    "65 malformed message, key or zone file; 66 missing input; 69 "
	    "live DNS\n"
	    "unavailable.\n");
}

/* ---- verify ------------------------------------------------------------- */

static void
print_sig(const char *what, const struct inkan_arc_sig *s)
{
	if (!s->present) {
		printf("%s missing", what);
		return;
	}
	printf("%s %s d=", what, inkan_dkim_result_name(s->result));
	cli_print_escaped(s->domain);
	fputs(" s=", stdout);
	cli_print_escaped(s->selector);
	printf(" a=%s", inkan_dkim_algorithm_name(s->algorithm));
}

static void
print_text(const struct inkan_arc_result *r)
{
	size_t k;

	printf("%s: ", inkan_arc_cv_name(r->cv));
	cli_print_escaped(r->reason);
	if (r->cv == INKAN_ARC_PASS)
		printf(" (instances %zu, oldest-pass %u)", r->count,
		    r->oldest_pass);
	fputc('\n', stdout);
	for (k = 0; k < r->count; k++) {
		const struct inkan_arc_set *s = &r->sets[k];

		printf("i=%u: ", s->instance);
		print_sig("seal", &s->as);
		if (s->as.present)
			printf(" cv=%s", inkan_arc_cv_name(s->as_cv));
		fputs("; ", stdout);
		print_sig("ams", &s->ams);
		fputs("; aar ", stdout);
		cli_print_escaped(
		    s->aar != NULL ? s->aar_authserv_id : "missing");
		if (s->as.result != INKAN_DKIM_NONE &&
		    s->as.result != INKAN_DKIM_PASS) {
			fputs(" (seal: ", stdout);
			cli_print_escaped(s->as.reason);
			fputc(')', stdout);
		}
		if (s->ams.result != INKAN_DKIM_NONE &&
		    s->ams.result != INKAN_DKIM_PASS) {
			fputs(" (ams: ", stdout);
			cli_print_escaped(s->ams.reason);
			fputc(')', stdout);
		}
		fputc('\n', stdout);
	}
}

static json_t *
json_sig(const struct inkan_arc_sig *s)
{
	json_t *o = json_object();

	if (o == NULL)
		return NULL;
	json_object_set_new(o, "present", json_boolean(s->present));
	json_object_set_new(
	    o, "result", json_string(inkan_dkim_result_name(s->result)));
	json_object_set_new(o, "verified", json_boolean(s->verified));
	json_object_set_new(o, "reason", cli_json_text(s->reason));
	json_object_set_new(o, "domain", cli_json_text(s->domain));
	json_object_set_new(o, "selector", cli_json_text(s->selector));
	json_object_set_new(o, "algorithm",
	    json_string(inkan_dkim_algorithm_name(s->algorithm)));
	json_object_set_new(o, "b", cli_json_text(s->b));
	if (s->timestamp >= 0)
		json_object_set_new(o, "timestamp", json_integer(s->timestamp));
	json_object_set_new(o, "key_bits", json_integer(s->key_bits));
	return o;
}

static int
print_json(const struct inkan_arc_result *r)
{
	json_t *o = json_object(), *a = json_array(), *set;
	struct inkan_buf ar;
	size_t k;
	int rc = 0;

	if (o == NULL || a == NULL) {
		json_decref(o);
		json_decref(a);
		cli_warn("out of memory");
		return EX_OSERR;
	}
	json_object_set_new(o, "cv", json_string(inkan_arc_cv_name(r->cv)));
	json_object_set_new(o, "reason", cli_json_text(r->reason));
	json_object_set_new(o, "instances", json_integer((json_int_t)r->count));
	json_object_set_new(o, "oldest_pass", json_integer(r->oldest_pass));
	json_object_set_new(
	    o, "failed_instance", json_integer(r->failed_instance));
	inkan_buf_init(&ar, 256);
	if (inkan_arc_result_authres(r, NULL, &ar) == INKAN_OK)
		json_object_set_new(
		    o, "authres", json_string(inkan_buf_cstr(&ar)));
	inkan_buf_clear(&ar);
	for (k = 0; k < r->count; k++) {
		const struct inkan_arc_set *s = &r->sets[k];

		if ((set = json_object()) == NULL)
			continue;
		json_object_set_new(set, "instance", json_integer(s->instance));
		json_object_set_new(set, "seal", json_sig(&s->as));
		json_object_set_new(
		    set, "seal_cv", json_string(inkan_arc_cv_name(s->as_cv)));
		json_object_set_new(set, "ams", json_sig(&s->ams));
		json_object_set_new(
		    set, "ams_headers", cli_json_text(s->ams_headers));
		json_object_set_new(set, "aar", cli_json_text(s->aar));
		json_object_set_new(
		    set, "aar_authserv_id", cli_json_text(s->aar_authserv_id));
		json_array_append_new(a, set);
	}
	json_object_set_new(o, "sets", a);
	return cli_json_emit(o, rc);
}

/* Streams f into a new verifier; the first chunk is read until it holds
   a line ending so the line-ending mode is known. An exit status. */
static int
verify_stream(struct inkan_arc *arc, FILE *f, const char *name,
    struct inkan_arc_verify **v_r)
{
	uint8_t buf[65536];
	size_t len = 0, got;
	enum inkan_status st;

	while (len < sizeof(buf) && memchr(buf, '\n', len) == NULL &&
	    (got = fread(buf + len, 1, sizeof(buf) - len, f)) > 0)
		len += got;
	if ((st = inkan_arc_verify_new(arc, cli_line_flags(buf, len), v_r)) !=
	    INKAN_OK) {
		cli_warn("cannot start verifying: %s", inkan_strerror(st));
		return EX_OSERR;
	}
	for (;;) {
		if (len > 0 &&
		    inkan_arc_verify_feed(*v_r, buf, len) != INKAN_OK) {
			cli_warn("%s: %s", name, inkan_arc_verify_error(*v_r));
			return EX_DATAERR;
		}
		if ((len = fread(buf, 1, sizeof(buf), f)) == 0)
			break;
	}
	if (ferror(f)) {
		cli_warn("%s: read error", name);
		return EX_IOERR;
	}
	if ((st = inkan_arc_verify_finish(*v_r)) != INKAN_OK) {
		const char *why = inkan_arc_verify_error(*v_r);

		cli_warn("%s: %s", name, *why ? why : inkan_strerror(st));
		return st == INKAN_ERR_NOMEM ? EX_OSERR : EX_DATAERR;
	}
	return 0;
}

/* The DKIM and ARC contexts over the resolver the options ask for. */
static int
open_contexts(const struct cli_opts *o, struct inkan_resolver **r,
    struct inkan_dkim **dkim, struct inkan_arc **arc)
{
	int rc;

	if ((rc = cli_resolver_open(o, r)) != 0)
		return rc;
	if (inkan_dkim_new(*r, NULL, NULL, dkim) != INKAN_OK ||
	    inkan_arc_new(*dkim, arc) != INKAN_OK) {
		cli_warn("out of memory");
		return EX_OSERR;
	}
	return 0;
}

static int
cmd_verify(int argc, char **argv, const struct cli_opts *o)
{
	struct inkan_resolver *r = NULL;
	struct inkan_dkim *dkim = NULL;
	struct inkan_arc *arc = NULL;
	struct inkan_arc_verify *v = NULL;
	const char *path = NULL;
	FILE *f = NULL;
	bool rest = false;
	int rc;

	for (int k = 1; k < argc; k++) {
		switch (cli_arg_kind(argv[k], &rest)) {
		case CLI_ARG_SKIP:
			continue;
		case CLI_ARG_OPERAND:
			if ((rc = cli_one_input(
				 "arc verify", argv[k], &path)) != 0)
				return rc;
			continue;
		case CLI_ARG_OPTION:
			break;
		}
		if (cli_is_help(argv[k])) {
			arc_usage(stdout);
			return 0;
		}
		return cli_usage("arc verify: unknown option '%s'", argv[k]);
	}
	if ((rc = cli_open_input(path, &f)) != 0)
		return rc;
	if ((rc = open_contexts(o, &r, &dkim, &arc)) != 0)
		goto out;
	if ((rc = verify_stream(arc, f, path != NULL ? path : "-", &v)) != 0)
		goto out;
	if (o->json)
		rc = print_json(inkan_arc_verify_result(v));
	else
		print_text(inkan_arc_verify_result(v));
	if (rc == 0 && fflush(stdout) != 0) {
		cli_warn("cannot write the output");
		rc = EX_IOERR;
	}
out:
	inkan_arc_verify_free(&v);
	inkan_arc_free(&arc);
	inkan_dkim_free(&dkim);
	inkan_resolver_free(&r);
	cli_close_input(f);
	return rc;
}

/* ---- seal --------------------------------------------------------------- */

static int
key_status(const char *path, enum inkan_status st)
{
	switch (st) {
	case INKAN_ERR_NOTFOUND:
	case INKAN_ERR_IO:
		cli_warn("%s: cannot read the key", path);
		return EX_NOINPUT;
	case INKAN_ERR_SYNTAX:
	case INKAN_ERR_UNSUPPORTED:
		cli_warn("%s: not an RSA (1024 bits or more) or Ed25519 "
			 "private key in PEM",
		    path);
		return EX_DATAERR;
	default:
		cli_warn("%s: %s", path, inkan_strerror(st));
		return EX_OSERR;
	}
}

/* --timestamp: seconds since the epoch, 1 or more. */
static bool
parse_timestamp(const char *s, int64_t *t_r)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v <= 0)
		return false;
	*t_r = (int64_t)v;
	return true;
}

static int
cmd_seal(int argc, char **argv, const struct cli_opts *o)
{
	struct inkan_arc_seal_options so;
	struct inkan_resolver *r = NULL;
	struct inkan_dkim *dkim = NULL;
	struct inkan_arc *arc = NULL;
	struct inkan_arc_seal *s = NULL;
	struct inkan_dkim_key *key = NULL;
	struct inkan_buf msg, set;
	enum inkan_status st;
	const char *path = NULL, *keyfile = NULL, *val;
	bool rest = false;
	FILE *f = NULL;
	int rc = 0, m;

	inkan_arc_seal_options_init(&so);
	inkan_buf_init(&msg, CLI_ARC_MESSAGE_MAX);
	inkan_buf_init(&set, CLI_ARC_TEXT_MAX);
	for (int k = 1; k < argc; k++) {
		switch (cli_arg_kind(argv[k], &rest)) {
		case CLI_ARG_SKIP:
			continue;
		case CLI_ARG_OPERAND:
			if ((rc = cli_one_input("arc seal", argv[k], &path)) !=
			    0)
				goto out;
			continue;
		case CLI_ARG_OPTION:
			break;
		}
		if (cli_is_help(argv[k])) {
			arc_usage(stdout);
			goto out;
		}
		if ((m = cli_option_value(
			 argc, argv, &k, "arc", "--domain", false, &val)) != 0)
			so.domain = val;
		else if ((m = cli_option_value(argc, argv, &k, "arc",
			      "--selector", false, &val)) != 0)
			so.selector = val;
		else if ((m = cli_option_value(argc, argv, &k, "arc", "--key",
			      false, &val)) != 0)
			keyfile = val;
		else if ((m = cli_option_value(argc, argv, &k, "arc",
			      "--authserv-id", false, &val)) != 0)
			so.authserv_id = val;
		else if ((m = cli_option_value(argc, argv, &k, "arc",
			      "--headers", false, &val)) != 0)
			so.headers = val;
		else if ((m = cli_option_value(argc, argv, &k, "arc",
			      "--results", false, &val)) != 0)
			so.aar_results = val;
		else if ((m = cli_option_value(argc, argv, &k, "arc",
			      "--timestamp", false, &val)) != 0) {
			if (m > 0 && !parse_timestamp(val, &so.timestamp)) {
				rc = cli_usage("arc seal: --timestamp takes "
					       "seconds since the epoch");
				goto out;
			}
		} else {
			rc =
			    cli_usage("arc seal: unknown option '%s'", argv[k]);
			goto out;
		}
		if (m < 0) {
			rc = EX_USAGE;
			goto out;
		}
	}
	if (so.domain == NULL || so.selector == NULL || keyfile == NULL ||
	    so.authserv_id == NULL) {
		rc = cli_usage("arc seal: needs --domain, --selector, --key "
			       "and --authserv-id");
		goto out;
	}
	if (so.aar_results != NULL) {
		/* --results is the resinfo list; the AAR payload starts
		   with the authserv-id (RFC 8601 2.2). */
		if (inkan_buf_printf(&set, "%s; %s", so.authserv_id,
			so.aar_results) != INKAN_OK) {
			rc = cli_usage("arc seal: --results is too long");
			goto out;
		}
		so.aar_results = inkan_buf_cstr(&set);
	}
	if ((st = inkan_dkim_key_load_file(keyfile, &key)) != INKAN_OK) {
		rc = key_status(keyfile, st);
		goto out;
	}
	if ((rc = cli_open_input(path, &f)) != 0)
		goto out;
	if ((rc = cli_read_all(f, path != NULL ? path : "-", &msg)) != 0)
		goto out;
	if ((rc = open_contexts(o, &r, &dkim, &arc)) != 0)
		goto out;
	st = inkan_arc_seal_new(
	    arc, &so, key, cli_line_flags(msg.data, msg.len), &s);
	if (st != INKAN_OK) {
		cli_warn("arc seal: %s",
		    st == INKAN_ERR_INVAL
			? "invalid --domain, --selector, --authserv-id, "
			  "--results or --headers (h= must not name ARC "
			  "fields or Authentication-Results)"
			: inkan_strerror(st));
		rc = st == INKAN_ERR_INVAL ? EX_USAGE : EX_OSERR;
		goto out;
	}
	/* The AAR payload was copied by seal_new: set is free again. */
	inkan_buf_reset(&set);
	if (inkan_arc_seal_feed(s, msg.data, msg.len) != INKAN_OK ||
	    inkan_arc_seal_finish(s, &set) != INKAN_OK) {
		cli_warn("%s: %s", path != NULL ? path : "-",
		    inkan_arc_seal_error(s));
		rc = EX_DATAERR;
		goto out;
	}
	if (!inkan_arc_seal_added(s))
		cli_warn("not sealed: %s", inkan_arc_seal_chain(s)->reason);
	if (fwrite(set.data, 1, set.len, stdout) != set.len ||
	    (msg.len > 0 && fwrite(msg.data, 1, msg.len, stdout) != msg.len) ||
	    fflush(stdout) != 0) {
		cli_warn("cannot write the output");
		rc = EX_IOERR;
	}
out:
	inkan_arc_seal_free(&s);
	inkan_arc_free(&arc);
	inkan_dkim_free(&dkim);
	inkan_resolver_free(&r);
	inkan_dkim_key_free(&key);
	inkan_buf_clear(&msg);
	inkan_buf_clear(&set);
	cli_close_input(f);
	return rc;
}

int
cli_cmd_arc(int argc, char **argv, const struct cli_opts *o)
{
	if (argc < 2 || cli_is_help(argv[1])) {
		arc_usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? EX_USAGE : 0;
	}
	if (strcmp(argv[1], "verify") == 0)
		return cmd_verify(argc - 1, argv + 1, o);
	if (strcmp(argv[1], "seal") == 0)
		return cmd_seal(argc - 1, argv + 1, o);
	return cli_usage("arc: unknown command '%s' (verify, seal)", argv[1]);
}
