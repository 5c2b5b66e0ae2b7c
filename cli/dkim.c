/*
 * dkim.c: `inkan dkim verify|sign|keygen`: DKIM (RFC 6376, RFC 8463) from
 * the command line.
 *
 * Line endings. Messages on disk usually have LF line endings, while DKIM
 * is defined on the CRLF form a message has on the wire (RFC 6376 3.4).
 * verify and sign look at the first line ending of the input: when it is
 * CRLF the input is taken as it is (a bare LF later on is data); otherwise
 * every LF is taken as CRLF (INKAN_DKIM_ALLOW_LF). sign writes the
 * DKIM-Signature fields with the line ending the input uses, then the
 * message unchanged.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"

/* The largest message sign holds in memory (it must echo it). */
#define CLI_DKIM_MESSAGE_MAX (64u * 1024 * 1024)
/* At most this many --key options. */
#define CLI_DKIM_KEYS_MAX 8
/* Room for a PEM key, a TXT record, a few DKIM-Signature fields. */
#define CLI_DKIM_TEXT_MAX (64u * 1024)

static void
dkim_usage(FILE *f)
{
	fprintf(f,
	    "usage: inkan dkim verify [FILE|-] [--json] [--zone FILE]... "
	    "[--overlay FILE]...\n"
	    "       inkan dkim sign --domain D --selector S --key FILE "
	    "[--selector S --key FILE]...\n"
	    "                       [--canon HEADER/BODY] [--headers LIST] "
	    "[FILE|-]\n"
	    "       inkan dkim keygen --algorithm rsa|ed25519 [--bits N] "
	    "--domain D\n"
	    "                         --selector S --out DIR (created if "
	    "missing)\n"
	    "\n"
	    "verify  checks every DKIM-Signature of the message (FILE, or "
	    "standard input)\n"
	    "        and prints one line per signature: result, d=, s=, "
	    "algorithm and\n"
	    "        reason; --json prints {\"signatures\": [...]} instead. "
	    "Keys come from\n"
	    "        live DNS, or only from the --zone files, or from the "
	    "--overlay files\n"
	    "        over live DNS.\n"
	    "sign    writes the message to standard output with one "
	    "DKIM-Signature in\n"
	    "        front of it per --key (RSA and Ed25519 may be given "
	    "together,\n"
	    "        each with its own --selector, paired in order).\n"
	    "        --canon: relaxed/relaxed (default), simple/simple, "
	    "relaxed/simple,\n"
	    "        simple/relaxed; one word X means X/simple (RFC 6376 "
	    "3.5 c=).\n"
	    "        --headers: colon-separated names for h= (default: the "
	    "recommended\n"
	    "        set, with From, Subject, To, Date, ... oversigned).\n"
	    "keygen  writes DIR/S.private (PEM, mode 0600; never "
	    "overwritten) and\n"
	    "        DIR/S.txt (the zone-file line to publish), and prints "
	    "the line.\n"
	    "        RSA: --bits 1024..4096, default 2048.\n"
	    "\n"
	    "Line endings: when the first line of the input ends in CRLF "
	    "the message is\n"
	    "taken as it is; otherwise each LF counts as CRLF, as if the "
	    "message had come\n"
	    "over SMTP. sign keeps the input's line endings.\n"
	    "\n"
	    "Exit status: 0 when the command ran, whatever the results; 64 "
	    "usage error;\n"
	    "65 malformed message, key or zone file; 66 missing input; 69 "
	    "live DNS\n"
	    "unavailable; 73 keygen output exists or cannot be created.\n");
}

/* ---- verify ------------------------------------------------------------- */

static const char *
canon_name(enum inkan_dkim_canon c)
{
	return c == INKAN_DKIM_RELAXED ? "relaxed" : "simple";
}

static void
print_sig_text(const struct inkan_dkim_sig *s)
{
	fputs(inkan_dkim_result_name(s->result), stdout);
	fputs(" d=", stdout);
	cli_print_escaped(s->domain);
	fputs(" s=", stdout);
	cli_print_escaped(s->selector);
	printf(" a=%s", inkan_dkim_algorithm_name(s->algorithm));
	if (s->b != NULL) {
		/* RFC 8601 2.7.1: header.b, enough of b= to tell apart. */
		char b8[9];

		snprintf(b8, sizeof(b8), "%s", s->b);
		fputs(" b=", stdout);
		cli_print_escaped(b8);
	}
	if (s->testing)
		fputs(" (testing)", stdout);
	fputs(": ", stdout);
	cli_print_escaped(s->reason);
	fputc('\n', stdout);
}

static json_t *
json_sig(const struct inkan_dkim_sig *s)
{
	json_t *o = json_object();

	if (o == NULL)
		return NULL;
	json_object_set_new(
	    o, "result", json_string(inkan_dkim_result_name(s->result)));
	json_object_set_new(o, "domain", cli_json_text(s->domain));
	json_object_set_new(o, "selector", cli_json_text(s->selector));
	json_object_set_new(o, "identity", cli_json_text(s->identity));
	json_object_set_new(o, "algorithm",
	    json_string(inkan_dkim_algorithm_name(s->algorithm)));
	json_object_set_new(o, "reason", cli_json_text(s->reason));
	json_object_set_new(o, "testing", json_boolean(s->testing));
	json_object_set_new(o, "b", cli_json_text(s->b));
	json_object_set_new(
	    o, "header_canon", json_string(canon_name(s->header_canon)));
	json_object_set_new(
	    o, "body_canon", json_string(canon_name(s->body_canon)));
	json_object_set_new(
	    o, "signed_headers", cli_json_text(s->signed_headers));
	if (s->has_length)
		json_object_set_new(
		    o, "length", json_integer((json_int_t)s->length));
	json_object_set_new(
	    o, "body_length", json_integer((json_int_t)s->body_length));
	if (s->timestamp >= 0)
		json_object_set_new(o, "timestamp", json_integer(s->timestamp));
	if (s->expiration >= 0)
		json_object_set_new(
		    o, "expiration", json_integer(s->expiration));
	json_object_set_new(o, "key_bits", json_integer(s->key_bits));
	json_object_set_new(o, "offset", json_integer((json_int_t)s->offset));
	return o;
}

static int
print_results_json(const struct inkan_dkim_sig *sigs, size_t n)
{
	json_t *o = json_object(), *a = json_array();
	size_t i;
	int rc = 0;

	if (o == NULL || a == NULL) {
		json_decref(o);
		json_decref(a);
		cli_warn("out of memory");
		return EX_OSERR;
	}
	for (i = 0; i < n; i++)
		json_array_append_new(a, json_sig(&sigs[i]));
	json_object_set_new(o, "signatures", a);
	return cli_json_emit(o, rc);
}

/*
 * Streams f into a new verifier: the first chunk is read until it holds a
 * line ending (or the input ends) so the line-ending mode is known before
 * the first byte goes in. Returns an exit status.
 */
static int
verify_stream(struct inkan_dkim *dkim, FILE *f, const char *name,
    struct inkan_dkim_verify **v_r)
{
	uint8_t buf[65536];
	size_t len = 0, got;
	enum inkan_status st;

	while (len < sizeof(buf) && memchr(buf, '\n', len) == NULL &&
	    (got = fread(buf + len, 1, sizeof(buf) - len, f)) > 0)
		len += got;
	st = inkan_dkim_verify_new(dkim, cli_line_flags(buf, len), v_r);
	if (st != INKAN_OK) {
		cli_warn("cannot start verifying: %s", inkan_strerror(st));
		return EX_OSERR;
	}
	for (;;) {
		if (len > 0 &&
		    inkan_dkim_verify_feed(*v_r, buf, len) != INKAN_OK) {
			cli_warn("%s: %s", name, inkan_dkim_verify_error(*v_r));
			return EX_DATAERR;
		}
		if ((len = fread(buf, 1, sizeof(buf), f)) == 0)
			break;
	}
	if (ferror(f)) {
		cli_warn("%s: read error", name);
		return EX_IOERR;
	}
	if ((st = inkan_dkim_verify_finish(*v_r)) != INKAN_OK) {
		const char *why = inkan_dkim_verify_error(*v_r);

		cli_warn("%s: %s", name, *why ? why : inkan_strerror(st));
		return st == INKAN_ERR_NOMEM ? EX_OSERR : EX_DATAERR;
	}
	return 0;
}

static int
cmd_verify(int argc, char **argv, const struct cli_opts *o)
{
	struct inkan_resolver *r = NULL;
	struct inkan_dkim *dkim = NULL;
	struct inkan_dkim_verify *v = NULL;
	const struct inkan_dkim_sig *sigs;
	const char *path = NULL;
	FILE *f = NULL;
	bool rest = false;
	size_t n, i;
	int rc;

	for (int k = 1; k < argc; k++) {
		switch (cli_arg_kind(argv[k], &rest)) {
		case CLI_ARG_SKIP:
			continue;
		case CLI_ARG_OPERAND:
			if ((rc = cli_one_input(
				 "dkim verify", argv[k], &path)) != 0)
				return rc;
			continue;
		case CLI_ARG_OPTION:
			break;
		}
		if (cli_is_help(argv[k])) {
			dkim_usage(stdout);
			return 0;
		}
		return cli_usage("dkim verify: unknown option '%s'", argv[k]);
	}
	if ((rc = cli_open_input(path, &f)) != 0)
		return rc;
	if ((rc = cli_resolver_open(o, &r)) != 0)
		goto out;
	if (inkan_dkim_new(r, NULL, NULL, &dkim) != INKAN_OK) {
		cli_warn("out of memory");
		rc = EX_OSERR;
		goto out;
	}
	rc = verify_stream(dkim, f, path != NULL ? path : "-", &v);
	if (rc != 0)
		goto out;
	inkan_dkim_verify_results(v, &sigs, &n);
	if (o->json)
		rc = print_results_json(sigs, n);
	else if (n == 0)
		puts("none: the message has no DKIM-Signature");
	else
		for (i = 0; i < n; i++)
			print_sig_text(&sigs[i]);
	if (rc == 0 && fflush(stdout) != 0) {
		cli_warn("cannot write the output");
		rc = EX_IOERR;
	}
out:
	inkan_dkim_verify_free(&v);
	inkan_dkim_free(&dkim);
	inkan_resolver_free(&r);
	cli_close_input(f);
	return rc;
}

/* ---- sign --------------------------------------------------------------- */

/* RFC 6376 3.5 c=: "header/body", or "header" alone with body simple. */
static bool
parse_canon(const char *s, struct inkan_dkim_sign_options *so)
{
	const char *slash = strchr(s, '/');
	size_t hl = slash != NULL ? (size_t)(slash - s) : strlen(s);
	const char *body = slash != NULL ? slash + 1 : "simple";

	if (hl == 6 && strncmp(s, "simple", 6) == 0)
		so->header_canon = INKAN_DKIM_SIMPLE;
	else if (hl == 7 && strncmp(s, "relaxed", 7) == 0)
		so->header_canon = INKAN_DKIM_RELAXED;
	else
		return false;
	if (strcmp(body, "simple") == 0)
		so->body_canon = INKAN_DKIM_SIMPLE;
	else if (strcmp(body, "relaxed") == 0)
		so->body_canon = INKAN_DKIM_RELAXED;
	else
		return false;
	return true;
}

static int
key_status(const char *path, enum inkan_status st)
{
	switch (st) {
	case INKAN_ERR_NOTFOUND:
		cli_warn("%s: no such key file", path);
		return EX_NOINPUT;
	case INKAN_ERR_IO:
		cli_warn("%s: cannot read the key", path);
		return EX_NOINPUT;
	case INKAN_ERR_SYNTAX:
		cli_warn("%s: not a private key in PEM", path);
		return EX_DATAERR;
	case INKAN_ERR_UNSUPPORTED:
		cli_warn("%s: unsupported key (DKIM signs with RSA of 1024 "
			 "bits or more, or Ed25519)",
		    path);
		return EX_DATAERR;
	default:
		cli_warn("%s: %s", path, inkan_strerror(st));
		return EX_OSERR;
	}
}

static int
cmd_sign(int argc, char **argv)
{
	struct inkan_dkim_sign_options so;
	struct inkan_dkim_key *keys[CLI_DKIM_KEYS_MAX] = { 0 };
	const char *keyfiles[CLI_DKIM_KEYS_MAX];
	const char *selectors[CLI_DKIM_KEYS_MAX];
	struct inkan_dkim *dkim = NULL;
	struct inkan_dkim_sign *s = NULL;
	struct inkan_buf msg, sigs;
	enum inkan_status st;
	const char *path = NULL, *val, *canon = NULL;
	size_t nkeys = 0, nsel = 0, i;
	bool rest = false;
	FILE *f = NULL;
	int rc = 0, m;

	inkan_dkim_sign_options_init(&so);
	inkan_buf_init(&msg, CLI_DKIM_MESSAGE_MAX);
	inkan_buf_init(&sigs, CLI_DKIM_TEXT_MAX);
	for (int k = 1; k < argc; k++) {
		switch (cli_arg_kind(argv[k], &rest)) {
		case CLI_ARG_SKIP:
			continue;
		case CLI_ARG_OPERAND:
			if ((rc = cli_one_input("dkim sign", argv[k], &path)) !=
			    0)
				goto out;
			continue;
		case CLI_ARG_OPTION:
			break;
		}
		if (cli_is_help(argv[k])) {
			dkim_usage(stdout);
			goto out;
		}
		if ((m = cli_option_value(
			 argc, argv, &k, "dkim", "--domain", false, &val)) != 0)
			so.domain = val;
		else if ((m = cli_option_value(argc, argv, &k, "dkim",
			      "--selector", false, &val)) != 0) {
			if (m > 0 && nsel == CLI_DKIM_KEYS_MAX) {
				rc = cli_usage("dkim sign: at most %d "
					       "selectors",
				    CLI_DKIM_KEYS_MAX);
				goto out;
			}
			if (m > 0)
				selectors[nsel++] = val;
		} else if ((m = cli_option_value(argc, argv, &k, "dkim",
				"--canon", false, &val)) != 0)
			canon = val;
		else if ((m = cli_option_value(argc, argv, &k, "dkim",
			      "--headers", false, &val)) != 0)
			so.headers = val;
		else if ((m = cli_option_value(argc, argv, &k, "dkim", "--key",
			      false, &val)) != 0) {
			if (m > 0 && nkeys == CLI_DKIM_KEYS_MAX) {
				rc = cli_usage("dkim sign: at most %d keys",
				    CLI_DKIM_KEYS_MAX);
				goto out;
			}
			if (m > 0)
				keyfiles[nkeys++] = val;
		} else {
			rc = cli_usage(
			    "dkim sign: unknown option '%s'", argv[k]);
			goto out;
		}
		if (m < 0) {
			rc = EX_USAGE;
			goto out;
		}
	}
	if (so.domain == NULL || nsel == 0 || nkeys == 0) {
		rc = cli_usage("dkim sign: needs --domain, --selector and "
			       "--key");
		goto out;
	}
	/* One key record per selector (RFC 6376 3.6.2.1): each key needs
	 * its own selector. */
	if (nsel != nkeys) {
		rc = cli_usage("dkim sign: give one --selector per --key, in "
			       "the same order (%zu selectors, %zu keys)",
		    nsel, nkeys);
		goto out;
	}
	if (canon != NULL && !parse_canon(canon, &so)) {
		rc = cli_usage("dkim sign: --canon takes simple or relaxed, "
			       "or HEADER/BODY of those; not '%s'",
		    canon);
		goto out;
	}
	for (i = 0; i < nkeys; i++)
		if ((st = inkan_dkim_key_load_file(keyfiles[i], &keys[i])) !=
		    INKAN_OK) {
			rc = key_status(keyfiles[i], st);
			goto out;
		}
	if ((rc = cli_open_input(path, &f)) != 0)
		goto out;
	if ((rc = cli_read_all(f, path != NULL ? path : "-", &msg)) != 0)
		goto out;
	if ((st = inkan_dkim_new(NULL, NULL, NULL, &dkim)) != INKAN_OK) {
		cli_warn("dkim sign: %s", inkan_strerror(st));
		rc = EX_OSERR;
		goto out;
	}
	/* One pass for every key (the body is hashed once), each key with
	 * its own selector; the fields come out in --key order. */
	so.selector = selectors[0];
	so.key_selectors = selectors;
	if ((st = inkan_dkim_sign_new(dkim, &so, keys, nkeys,
		 cli_line_flags(msg.data, msg.len), &s)) != INKAN_OK) {
		cli_warn("dkim sign: %s",
		    st == INKAN_ERR_INVAL
			? "invalid --domain, --selector or --headers (h= "
			  "must name From)"
			: inkan_strerror(st));
		rc = st == INKAN_ERR_INVAL ? EX_USAGE : EX_OSERR;
		goto out;
	}
	if (inkan_dkim_sign_feed(s, msg.data, msg.len) != INKAN_OK ||
	    inkan_dkim_sign_finish(s, &sigs) != INKAN_OK) {
		cli_warn("%s: %s", path != NULL ? path : "-",
		    inkan_dkim_sign_error(s));
		rc = EX_DATAERR;
		goto out;
	}
	if (fwrite(sigs.data, 1, sigs.len, stdout) != sigs.len ||
	    (msg.len > 0 && fwrite(msg.data, 1, msg.len, stdout) != msg.len) ||
	    fflush(stdout) != 0) {
		cli_warn("cannot write the output");
		rc = EX_IOERR;
	}
out:
	inkan_dkim_sign_free(&s);
	inkan_dkim_free(&dkim);
	for (i = 0; i < nkeys; i++)
		inkan_dkim_key_free(&keys[i]);
	inkan_buf_clear(&msg);
	inkan_buf_clear(&sigs);
	cli_close_input(f);
	return rc;
}

/* ---- keygen ------------------------------------------------------------- */

/*
 * A selector or domain that goes into a file name and a zone line: DNS
 * label characters and dots only, so it can neither leave DIR nor break
 * the zone file.
 */
static bool
safe_name(const char *s, bool dots)
{
	size_t i;

	if (s[0] == '\0' || s[0] == '.' || s[0] == '-')
		return false;
	for (i = 0; s[i] != '\0'; i++) {
		uint8_t c = (uint8_t)s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			(c >= '0' && c <= '9') || c == '-' || c == '_' ||
			(dots && c == '.')))
			return false;
		if (c == '.' && s[i + 1] == '.')
			return false;
	}
	return i <= 253;
}

/* "/" to put between dir and a file name, or "" if dir ends in one. */
static const char *
dir_sep(const char *dir)
{
	size_t n = strlen(dir);

	return n > 0 && dir[n - 1] == '/' ? "" : "/";
}

/*
 * Makes sure dir exists, creating it (mode 0700: it will hold private
 * keys) if it does not; its parent must exist. Returns 0 or an exit status.
 */
static int
ensure_dir(const char *dir)
{
	struct stat st;

	if (mkdir(dir, 0700) == 0)
		return 0;
	if (errno == EEXIST && stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
		return 0;
	cli_warn("%s: %s", dir,
	    errno == EEXIST ? "exists and is not a directory"
			    : strerror(errno));
	return EX_CANTCREAT;
}

/* Writes p[0..n) to a new file dir/name with mode; never overwrites. */
static int
write_new_file(
    const char *dir, const char *name, mode_t mode, const void *p, size_t n)
{
	char path[4096];
	int fd, rc = 0;

	if (snprintf(path, sizeof(path), "%s%s%s", dir, dir_sep(dir), name) >=
	    (int)sizeof(path)) {
		cli_warn("%s: path too long", dir);
		return EX_CANTCREAT;
	}
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL, mode)) < 0) {
		cli_warn("%s: %s", path, strerror(errno));
		return EX_CANTCREAT;
	}
	if (write(fd, p, n) != (ssize_t)n) {
		cli_warn("%s: cannot write", path);
		rc = EX_IOERR;
	}
	if (close(fd) != 0 && rc == 0) {
		cli_warn("%s: cannot write", path);
		rc = EX_IOERR;
	}
	if (rc != 0)
		unlink(path);
	return rc;
}

static int
cmd_keygen(int argc, char **argv)
{
	const char *alg = NULL, *bits_s = NULL, *domain = NULL,
		   *selector = NULL, *dir = NULL, *val;
	struct inkan_dkim_key *key = NULL;
	struct inkan_buf pem, record, zone;
	enum inkan_dkim_keytype type;
	char name[4400];
	enum inkan_status st;
	unsigned long bits = 0;
	int rc = 0, m;

	inkan_buf_init(&pem, CLI_DKIM_TEXT_MAX);
	inkan_buf_init(&record, CLI_DKIM_TEXT_MAX);
	inkan_buf_init(&zone, CLI_DKIM_TEXT_MAX);
	for (int k = 1; k < argc; k++) {
		if (cli_is_help(argv[k])) {
			dkim_usage(stdout);
			goto out;
		}
		if ((m = cli_option_value(argc, argv, &k, "dkim", "--algorithm",
			 false, &val)) != 0)
			alg = val;
		else if ((m = cli_option_value(argc, argv, &k, "dkim", "--bits",
			      false, &val)) != 0)
			bits_s = val;
		else if ((m = cli_option_value(argc, argv, &k, "dkim",
			      "--domain", false, &val)) != 0)
			domain = val;
		else if ((m = cli_option_value(argc, argv, &k, "dkim",
			      "--selector", false, &val)) != 0)
			selector = val;
		else if ((m = cli_option_value(argc, argv, &k, "dkim", "--out",
			      false, &val)) != 0)
			dir = val;
		else {
			rc = cli_usage(
			    "dkim keygen: unknown argument '%s'", argv[k]);
			goto out;
		}
		if (m < 0) {
			rc = EX_USAGE;
			goto out;
		}
	}
	if (alg == NULL || domain == NULL || selector == NULL || dir == NULL) {
		rc = cli_usage("dkim keygen: needs --algorithm, --domain, "
			       "--selector and --out");
		goto out;
	}
	if (strcmp(alg, "rsa") == 0)
		type = INKAN_DKIM_KEY_RSA;
	else if (strcmp(alg, "ed25519") == 0)
		type = INKAN_DKIM_KEY_ED25519;
	else {
		rc = cli_usage("dkim keygen: --algorithm is rsa or ed25519");
		goto out;
	}
	if (bits_s != NULL) {
		char *end;

		if (type != INKAN_DKIM_KEY_RSA) {
			rc = cli_usage("dkim keygen: --bits is for RSA keys");
			goto out;
		}
		errno = 0;
		bits = strtoul(bits_s, &end, 10);
		/* RFC 8301 3.2: 1024 at least; 4096 the largest verifiers
		 * must handle. */
		if (errno != 0 || *end != '\0' || bits_s[0] == '-' ||
		    bits < 1024 || bits > 4096) {
			rc = cli_usage("dkim keygen: --bits takes 1024 to "
				       "4096");
			goto out;
		}
	}
	if (!safe_name(selector, true) || !safe_name(domain, true)) {
		rc = cli_usage("dkim keygen: --domain and --selector take "
			       "letters, digits, '-', '_' and dots");
		goto out;
	}
	if ((st = inkan_dkim_keygen(type, (unsigned)bits, &pem)) != INKAN_OK ||
	    (st = inkan_dkim_key_load_pem(pem.data, pem.len, &key)) !=
		INKAN_OK ||
	    (st = inkan_dkim_key_record(key, &record)) != INKAN_OK ||
	    (st = inkan_buf_printf(&zone, "%s._domainkey.%s%s IN TXT ( ",
		 selector, domain,
		 domain[strlen(domain) - 1] == '.' ? "" : ".")) != INKAN_OK ||
	    (st = inkan_dkim_record_split(inkan_buf_view(&record), &zone)) !=
		INKAN_OK ||
	    (st = inkan_buf_append_cstr(&zone, " )\n")) != INKAN_OK) {
		cli_warn("dkim keygen: %s", inkan_strerror(st));
		rc = EX_SOFTWARE;
		goto out;
	}
	/* Neither file may exist: a new key never leaves a stale record
	 * (or a record without its key) behind. */
	if ((rc = ensure_dir(dir)) != 0)
		goto out;
	snprintf(name, sizeof(name), "%s%s%s.txt", dir, dir_sep(dir), selector);
	if (access(name, F_OK) == 0) {
		cli_warn("%s: exists; not overwritten", name);
		rc = EX_CANTCREAT;
		goto out;
	}
	snprintf(name, sizeof(name), "%s.private", selector);
	if ((rc = write_new_file(dir, name, 0600, pem.data, pem.len)) != 0)
		goto out;
	snprintf(name, sizeof(name), "%s.txt", selector);
	if ((rc = write_new_file(dir, name, 0644, zone.data, zone.len)) != 0) {
		/* Do not leave a key without its record. */
		snprintf(name, sizeof(name), "%s%s%s.private", dir,
		    dir_sep(dir), selector);
		unlink(name);
		goto out;
	}
	fputs(inkan_buf_cstr(&zone), stdout);
	if (fflush(stdout) != 0) {
		cli_warn("cannot write the output");
		rc = EX_IOERR;
	}
out:
	inkan_dkim_key_free(&key);
	/* The private key's PEM: wipe before it goes back to the heap. */
	if (pem.data != NULL)
		explicit_bzero(pem.data, pem.cap);
	inkan_buf_clear(&pem);
	inkan_buf_clear(&record);
	inkan_buf_clear(&zone);
	return rc;
}

int
cli_cmd_dkim(int argc, char **argv, const struct cli_opts *o)
{
	if (argc < 2) {
		dkim_usage(stderr);
		return EX_USAGE;
	}
	if (cli_is_help(argv[1]) || strcmp(argv[1], "help") == 0) {
		dkim_usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "verify") == 0)
		return cmd_verify(argc - 1, argv + 1, o);
	if (strcmp(argv[1], "sign") == 0)
		return cmd_sign(argc - 1, argv + 1);
	if (strcmp(argv[1], "keygen") == 0)
		return cmd_keygen(argc - 1, argv + 1);
	return cli_usage("dkim: unknown subcommand '%s' (try 'inkan dkim "
			 "--help')",
	    argv[1]);
}
