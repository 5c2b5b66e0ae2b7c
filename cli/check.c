/*
 * check.c: `inkan check DOMAIN`: the mail-security audit of lib/audit,
 * printed for a person (colour on a terminal), as one JSON object
 * (--json), or as a self-contained HTML page (--html FILE); --fail-on
 * makes it usable as a CI gate.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <inkan/audit.h>
#include <inkan/https.h>

#include "cli.h"

/* A policy file given with --mta-sts-policy is at most this big. */
#define CHECK_POLICY_FILE_MAX (64u * 1024)
/* A state file: an id line and a policy. */
#define CHECK_STATE_FILE_MAX (CHECK_POLICY_FILE_MAX + 256)
/* Reports are far smaller; this only bounds the buffer. */
#define CHECK_OUTPUT_MAX (64u * 1024 * 1024)

static void
check_usage(FILE *f)
{
	fprintf(f,
	    "usage: inkan check DOMAIN [--selector S]... [--no-probe] "
	    "[--no-fetch]\n"
	    "                   [--json] [--html FILE] [--fail-on SEVERITY]\n"
	    "                   [--mta-sts-policy DOMAIN=FILE]...\n"
	    "                   [--zone FILE]... [--overlay FILE]... "
	    "[--state DIR]\n"
	    "\n"
	    "Audits what DOMAIN publishes for mail: MX, SPF, DKIM keys, "
	    "DMARC, MTA-STS,\n"
	    "TLS-RPT, BIMI, DNSSEC and DANE. Each problem is a finding with "
	    "an id, a\n"
	    "severity, the evidence and the fix; the domain gets a grade "
	    "A to F\n"
	    "(docs/grading.md).\n"
	    "\n"
	    "  --selector S        check the DKIM key at selector S "
	    "(repeatable)\n"
	    "  --no-probe          do not probe common DKIM selector names\n"
	    "  --no-fetch          no HTTPS (the MTA-STS policy and the BIMI "
	    "logo are\n"
	    "                      not fetched; an info finding says so)\n"
	    "  --json              print one JSON object: domain, grade, "
	    "findings[], facts\n"
	    "  --html FILE         also write a self-contained HTML report to "
	    "FILE\n"
	    "  --fail-on SEVERITY  exit 1 when a finding is at or above "
	    "SEVERITY\n"
	    "                      (info, low, medium, high, critical)\n"
	    "  --mta-sts-policy DOMAIN=FILE\n"
	    "                      use FILE as DOMAIN's MTA-STS policy "
	    "instead of\n"
	    "                      fetching it (to test one before "
	    "publishing it)\n"
	    "  --zone FILE         answer DNS only from this zone file "
	    "(offline: HTTPS\n"
	    "                      fetches are skipped, with an info "
	    "finding; a policy\n"
	    "                      in mta-sts/DOMAIN.txt beside the zone "
	    "file is used\n"
	    "                      as if it had been fetched)\n"
	    "  --overlay FILE      this zone file first, live DNS for the "
	    "rest\n"
	    "  --state DIR         remember the MTA-STS id= and policy in "
	    "DIR/DOMAIN.mta-sts\n"
	    "                      and report a policy changed under the "
	    "same id=\n"
	    "                      (a policy given with --mta-sts-policy is "
	    "compared, not kept)\n"
	    "\n"
	    "Example:\n"
	    "  inkan check --zone examples/demo.zone good.example\n"
	    "\n"
	    "Exit status: 0 when the audit ran; 1 with --fail-on when a "
	    "finding reaches it;\n"
	    "64 usage error; 65 malformed zone file; 66 missing file; 69 "
	    "live DNS\n"
	    "unavailable; 73 the HTML file cannot be written.\n");
}

/* Reads a whole small file into b. Returns 0 or an exit status. */
static int
read_file(const char *path, struct inkan_buf *b)
{
	FILE *f = fopen(path, "rb");
	uint8_t chunk[4096];
	size_t n;
	int rc = 0;

	if (f == NULL) {
		cli_warn("%s: %s", path, strerror(errno));
		return EX_NOINPUT;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (inkan_buf_append(b, chunk, n) != INKAN_OK) {
			cli_warn("%s: larger than %u bytes", path,
			    CHECK_POLICY_FILE_MAX);
			rc = EX_DATAERR;
			break;
		}
	}
	if (rc == 0 && ferror(f)) {
		cli_warn("%s: read error", path);
		rc = EX_IOERR;
	}
	fclose(f);
	return rc;
}

static int
write_file(const char *path, const struct inkan_buf *b)
{
	FILE *f = fopen(path, "wb");

	if (f == NULL) {
		cli_warn("%s: %s", path, strerror(errno));
		return EX_CANTCREAT;
	}
	if (fwrite(b->data, 1, b->len, f) != b->len || fclose(f) != 0) {
		cli_warn("%s: write error", path);
		return EX_CANTCREAT;
	}
	return 0;
}

static void
print_text(const struct inkan_audit_report *rep, bool tty)
{
	static const char *const sevc[] = { "\033[2m", "\033[34m", "\033[33m",
		"\033[31m", "\033[1;31m" };
	const char *bold = tty ? "\033[1m" : "", *off = tty ? "\033[0m" : "";
	size_t i, j, k;

	printf("%s%s: grade %c%s\n", bold, rep->domain, rep->grade, off);
	if (rep->null_mx)
		printf("  MX: null MX (accepts no mail)\n");
	for (i = 0; i < rep->nmx; i++) {
		printf("  MX: %u %s", rep->mx[i].preference, rep->mx[i].host);
		for (j = 0; j < rep->mx[i].naddrs; j++)
			printf("%s%s", j ? " " : " (", rep->mx[i].addrs[j]);
		printf("%s%s\n", rep->mx[i].naddrs ? ")" : "",
		    rep->mx[i].ntlsa ? ", TLSA" : "");
	}
	if (rep->spf_record != NULL)
		printf("  SPF: %s (%u DNS lookup%s)\n", rep->spf_record,
		    rep->spf_dns_lookups, rep->spf_dns_lookups == 1 ? "" : "s");
	for (i = 0; i < rep->ndkim; i++)
		printf("  DKIM: %s: %s %u bits\n", rep->dkim[i].selector,
		    rep->dkim[i].type, rep->dkim[i].bits);
	if (rep->dmarc_record != NULL)
		printf("  DMARC: %s (at %s)\n", rep->dmarc_record,
		    rep->dmarc_policy_domain);
	if (rep->mtasts_record != NULL)
		printf("  MTA-STS: %s\n", rep->mtasts_record);
	if (rep->tlsrpt_record != NULL)
		printf("  TLS-RPT: %s\n", rep->tlsrpt_record);
	if (rep->bimi_record != NULL)
		printf("  BIMI: %s\n", rep->bimi_record);
	printf("  DNSSEC: %s\n",
	    rep->dnssec_secure        ? "validated"
		: rep->dns_from_zones ? "unknown (offline, not declared)"
				      : "no");
	if (rep->nfindings == 0)
		printf("\nNo findings.\n");
	/* Most severe first. */
	for (k = INKAN_AUDIT_CRITICAL + 1; k-- > 0;) {
		for (i = 0; i < rep->nfindings; i++) {
			const struct inkan_audit_finding *f = &rep->findings[i];

			if ((size_t)f->severity != k)
				continue;
			printf("\n%s%-8s%s %s%s%s\n         %s\n",
			    tty ? sevc[f->severity] : "",
			    inkan_audit_severity_name(f->severity), off, bold,
			    f->id, off, f->message);
			if (f->evidence[0] != '\0')
				printf("  seen:  %s\n", f->evidence);
			if (f->fix[0] != '\0')
				printf("  fix:   %s\n", f->fix);
		}
	}
}

/*
 * The auditor's HTTPS client: lib/https (libcurl; certificate verified,
 * no redirects, the default size and time limits).
 */
static enum inkan_status
https_fetch(void *arg, const char *url, int *status_r,
    struct inkan_buf *content_type, struct inkan_buf *body,
    struct inkan_buf *why)
{
	struct inkan_https_response resp;
	enum inkan_status st;

	(void)arg;
	inkan_https_response_init(&resp);
	st = inkan_https_get(url, NULL, &resp);
	if (st == INKAN_OK) {
		*status_r = resp.status;
		if (resp.content_type != NULL)
			st = inkan_buf_append_cstr(
			    content_type, resp.content_type);
		if (st == INKAN_OK)
			st = inkan_buf_append(
			    body, resp.body.data, resp.body.len);
	} else {
		(void)inkan_buf_printf(why, "%s: %s",
		    inkan_https_failure_name(resp.failure), resp.reason);
	}
	inkan_https_response_clear(&resp);
	return st;
}

/* Splits DOMAIN=FILE of --mta-sts-policy. */
static int
add_policy(const char *arg, struct inkan_audit_policy *p, struct inkan_buf *b)
{
	const char *eq = strchr(arg, '=');
	int rc;

	if (eq == NULL || eq == arg || eq[1] == '\0')
		return cli_usage("--mta-sts-policy needs DOMAIN=FILE");
	inkan_buf_init(b, CHECK_POLICY_FILE_MAX);
	if ((rc = read_file(eq + 1, b)) != 0)
		return rc;
	p->domain = strndup(arg, (size_t)(eq - arg));
	if (p->domain == NULL) {
		cli_warn("out of memory");
		return EX_OSERR;
	}
	p->body = b->data != NULL ? b->data : (const uint8_t *)"";
	p->len = b->len;
	return 0;
}

/*
 * domain (one trailing dot allowed) lowercased into name[0..size) when
 * it is a host name: letters, digits, '-', and dots between labels, so
 * that a file named after it cannot leave its folder. Returns false for
 * anything else.
 */
static bool
host_file_name(const char *domain, char *name, size_t size)
{
	size_t n = strlen(domain), i;

	if (n > 0 && domain[n - 1] == '.')
		n--;
	if (n == 0 || n >= size)
		return false;
	for (i = 0; i < n; i++) {
		char c = domain[i];

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
			c == '-' || (c == '.' && i > 0 && name[i - 1] != '.')))
			return false;
		name[i] = c;
	}
	name[n] = '\0';
	return true;
}

/*
 * Reads DIR/<domain>.mta-sts, what --state kept from the last run: the
 * record's id= on the first line, the policy bytes after it. Sets *id_r
 * (malloc'd) and *policy_r, *len_r (inside b) when there is one; nothing
 * when there is none or it is not of that form (with a warning). Returns
 * 0 or an exit status.
 */
static int
state_read(const char *path, struct inkan_buf *b, char **id_r,
    const uint8_t **policy_r, size_t *len_r)
{
	const uint8_t *nl;
	size_t idlen;
	int rc;

	if (access(path, F_OK) != 0)
		return 0;
	if ((rc = read_file(path, b)) != 0)
		return rc;
	nl = b->len > 0 ? memchr(b->data, '\n', b->len) : NULL;
	idlen = nl != NULL ? (size_t)(nl - b->data) : 0;
	if (idlen > 0 && b->data[idlen - 1] == '\r')
		idlen--;
	if (nl == NULL || idlen == 0 || memchr(b->data, '\0', idlen) != NULL) {
		cli_warn("%s: not a state file (an id line, then the "
			 "policy): ignored",
		    path);
		return 0;
	}
	if ((*id_r = strndup((const char *)b->data, idlen)) == NULL) {
		cli_warn("out of memory");
		return EX_OSERR;
	}
	*policy_r = nl + 1;
	*len_r = b->len - (size_t)(nl + 1 - b->data);
	return 0;
}

/*
 * Writes id and the policy to path for the next run, atomically: a
 * temporary file beside it, then rename(2). Returns 0 or EX_CANTCREAT.
 */
static int
state_write(const char *dir, const char *path, const char *id,
    const uint8_t *policy, size_t len)
{
	char tmp[4096];
	FILE *f = NULL;
	int fd;

	if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
		cli_warn("%s: %s", dir, strerror(errno));
		return EX_CANTCREAT;
	}
	if (snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= (int)sizeof(tmp)) {
		cli_warn("%s: name too long", path);
		return EX_CANTCREAT;
	}
	if ((fd = mkstemp(tmp)) < 0 || (f = fdopen(fd, "wb")) == NULL) {
		cli_warn("%s: %s", tmp, strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(tmp);
		}
		return EX_CANTCREAT;
	}
	if (fprintf(f, "%s\n", id) < 0 ||
	    (len > 0 && fwrite(policy, 1, len, f) != len) || fflush(f) != 0 ||
	    fsync(fileno(f)) != 0) {
		cli_warn("%s: write error", tmp);
		fclose(f);
		unlink(tmp);
		return EX_CANTCREAT;
	}
	if (fclose(f) != 0 || rename(tmp, path) != 0) {
		cli_warn("%s: %s", path, strerror(errno));
		unlink(tmp);
		return EX_CANTCREAT;
	}
	return 0;
}

/*
 * Offline, a domain's MTA-STS policy may sit beside a zone file, as
 * mta-sts/<domain>.txt (lowercase, no trailing dot): the stand-in for
 * https://mta-sts.<domain>/.well-known/mta-sts.txt, so that a what-if world
 * of zone files is complete (examples/mta-sts/). Used when no
 * --mta-sts-policy names the domain. Returns 1 when one was read into
 * *p and *b, 0 when there is none, else an exit status.
 */
static int
zone_policy(const struct cli_opts *o, const char *domain,
    struct inkan_audit_policy *p, struct inkan_buf *b)
{
	char name[256], path[4096];
	size_t z;
	int rc;

	/* A host name only: nothing that could leave the folder. */
	if (!host_file_name(domain, name, sizeof(name)))
		return 0;
	for (z = 0; z < o->nzones; z++) {
		const char *slash = strrchr(o->zones[z], '/');
		int dlen = slash != NULL ? (int)(slash - o->zones[z]) : 1;
		const char *dir = slash != NULL ? o->zones[z] : ".";

		if (snprintf(path, sizeof(path), "%.*s/mta-sts/%s.txt", dlen,
			dir, name) >= (int)sizeof(path) ||
		    access(path, R_OK) != 0)
			continue;
		inkan_buf_init(b, CHECK_POLICY_FILE_MAX);
		if ((rc = read_file(path, b)) != 0) {
			inkan_buf_clear(b);
			return rc;
		}
		if ((p->domain = strdup(name)) == NULL) {
			inkan_buf_clear(b);
			cli_warn("out of memory");
			return EX_OSERR;
		}
		p->body = b->data != NULL ? b->data : (const uint8_t *)"";
		p->len = b->len;
		return 1;
	}
	return 0;
}

/* Matches "--name VALUE" or "--name=VALUE" at argv[*i]. */
static int
opt_value(int argc, char **argv, int *i, const char *name, const char **val_r)
{
	size_t n = strlen(name);

	if (strncmp(argv[*i], name, n) != 0)
		return 0;
	if (argv[*i][n] == '=') {
		*val_r = argv[*i] + n + 1;
		return 1;
	}
	if (argv[*i][n] != '\0')
		return 0;
	if (*i + 1 >= argc)
		return -1;
	*val_r = argv[++*i];
	return 1;
}

int
cli_cmd_check(int argc, char **argv, const struct cli_opts *o)
{
	struct inkan_audit_options opt;
	struct inkan_audit_report *rep = NULL;
	struct inkan_resolver *r = NULL;
	const char **selectors = NULL;
	struct inkan_audit_policy *policies = NULL;
	struct inkan_buf *bodies = NULL;
	struct inkan_buf state;
	size_t nselectors = 0, npolicies = 0, i;
	const char *domain = NULL, *html = NULL, *val = NULL;
	const char *state_dir = NULL;
	char state_path[4096], state_name[256];
	char *prev_id = NULL;
	enum inkan_audit_severity fail_on = INKAN_AUDIT_INFO;
	bool has_fail_on = false, no_fetch = false, policy_given = false;
	struct inkan_buf out;
	enum inkan_status st;
	int k, m, rc = 0;

	inkan_audit_options_init(&opt);
	inkan_buf_init(&out, CHECK_OUTPUT_MAX);
	inkan_buf_init(&state, CHECK_STATE_FILE_MAX);
	if ((selectors = calloc((size_t)argc, sizeof(*selectors))) == NULL ||
	    (policies = calloc((size_t)argc, sizeof(*policies))) == NULL ||
	    (bodies = calloc((size_t)argc, sizeof(*bodies))) == NULL) {
		cli_warn("out of memory");
		rc = EX_OSERR;
		goto out;
	}
	for (k = 1; k < argc; k++) {
		const char *a = argv[k];

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			check_usage(stdout);
			goto out;
		}
		if ((m = opt_value(argc, argv, &k, "--selector", &val)) != 0) {
			if (m < 0 || *val == '\0') {
				rc = cli_usage("--selector needs a name");
				goto out;
			}
			selectors[nselectors++] = val;
		} else if ((m = opt_value(argc, argv, &k, "--html", &val)) !=
		    0) {
			if (m < 0 || *val == '\0') {
				rc = cli_usage("--html needs a FILE");
				goto out;
			}
			html = val;
		} else if ((m = opt_value(argc, argv, &k, "--fail-on", &val)) !=
		    0) {
			if (m < 0 ||
			    inkan_audit_severity_parse(val, &fail_on) !=
				INKAN_OK) {
				rc = cli_usage("--fail-on needs info, low, "
					       "medium, high or critical");
				goto out;
			}
			has_fail_on = true;
		} else if ((m = opt_value(argc, argv, &k, "--mta-sts-policy",
				&val)) != 0) {
			if (m < 0) {
				rc = cli_usage(
				    "--mta-sts-policy needs DOMAIN=FILE");
				goto out;
			}
			if ((rc = add_policy(val, &policies[npolicies],
				 &bodies[npolicies])) != 0) {
				if (policies[npolicies].domain != NULL)
					npolicies++;
				else
					inkan_buf_clear(&bodies[npolicies]);
				goto out;
			}
			npolicies++;
		} else if ((m = opt_value(argc, argv, &k, "--state", &val)) !=
		    0) {
			if (m < 0 || *val == '\0') {
				rc = cli_usage("--state needs a DIR");
				goto out;
			}
			state_dir = val;
		} else if (strcmp(a, "--no-probe") == 0) {
			opt.probe_selectors = false;
		} else if (strcmp(a, "--no-fetch") == 0) {
			no_fetch = true;
		} else if (a[0] == '-' && a[1] != '\0') {
			rc = cli_usage("check: unknown option '%s'", a);
			goto out;
		} else if (domain == NULL) {
			domain = a;
		} else {
			rc = cli_usage("check: one DOMAIN only");
			goto out;
		}
	}
	if (domain == NULL) {
		check_usage(stderr);
		rc = EX_USAGE;
		goto out;
	}
	if (state_dir != NULL) {
		if (!host_file_name(domain, state_name, sizeof(state_name))) {
			rc = cli_usage(
			    "check: '%s' is not a domain name", domain);
			goto out;
		}
		if (snprintf(state_path, sizeof(state_path), "%s/%s.mta-sts",
			state_dir, state_name) >= (int)sizeof(state_path)) {
			rc = cli_usage("--state: the path is too long");
			goto out;
		}
		if ((rc = state_read(state_path, &state, &prev_id,
			 &opt.mtasts_previous_policy,
			 &opt.mtasts_previous_policy_len)) != 0)
			goto out;
		opt.mtasts_previous_id = prev_id;
	}
	if ((rc = cli_resolver_open(o, &r)) != 0)
		goto out;
	for (i = 0; i < npolicies; i++)
		if (strcasecmp(policies[i].domain, domain) == 0)
			break;
	/* A policy given with --mta-sts-policy is a what-if: not what
	   senders saw, so --state does not keep it. */
	policy_given = i < npolicies;
	if (i == npolicies && o->nzones > 0) {
		if ((m = zone_policy(o, domain, &policies[npolicies],
			 &bodies[npolicies])) == 1)
			npolicies++;
		else if (m != 0) {
			rc = m;
			goto out;
		}
	}
	opt.selectors = selectors;
	opt.nselectors = nselectors;
	opt.mtasts_policies = policies;
	opt.nmtasts_policies = npolicies;
	/* --zone answers from files only: nothing may go to the network. */
	opt.offline = o->nzones > 0 || no_fetch;
	/* And DNSSEC is only what the zone files declare (;! SECURE). */
	opt.dns_from_zones = o->nzones > 0;
	if (!opt.offline && inkan_https_global_init() == INKAN_OK)
		opt.fetch = https_fetch;
	st = inkan_audit_run(r, domain, &opt, &rep);
	if (st == INKAN_ERR_SYNTAX) {
		rc = cli_usage("check: '%s' is not a domain name", domain);
		goto out;
	}
	if (st != INKAN_OK) {
		cli_warn("check: %s", inkan_strerror(st));
		rc = EX_SOFTWARE;
		goto out;
	}
	if (html != NULL) {
		if (inkan_audit_report_html(rep, &out) != INKAN_OK) {
			cli_warn("check: the HTML report is too large");
			rc = EX_SOFTWARE;
			goto out;
		}
		if ((rc = write_file(html, &out)) != 0)
			goto out;
		inkan_buf_reset(&out);
	}
	if (o->json) {
		if (inkan_audit_report_json(rep, &out) != INKAN_OK) {
			cli_warn("check: the JSON report is too large");
			rc = EX_SOFTWARE;
			goto out;
		}
		printf("%s\n", inkan_buf_cstr(&out));
	} else {
		print_text(
		    rep, isatty(STDOUT_FILENO) && getenv("NO_COLOR") == NULL);
	}
	/* Only what senders could cache: a record and a policy. */
	if (state_dir != NULL && !policy_given && rep->mtasts_id != NULL &&
	    rep->mtasts_policy_raw != NULL &&
	    (rc = state_write(state_dir, state_path, rep->mtasts_id,
		 rep->mtasts_policy_raw, rep->mtasts_policy_raw_len)) != 0)
		goto out;
	if (has_fail_on && inkan_audit_has_severity(rep, fail_on))
		rc = 1;
out:
	free(prev_id);
	inkan_buf_clear(&state);
	for (i = 0; i < npolicies; i++) {
		free((char *)policies[i].domain);
		inkan_buf_clear(&bodies[i]);
	}
	free(policies);
	free(bodies);
	free(selectors);
	inkan_buf_clear(&out);
	inkan_audit_report_free(&rep);
	inkan_resolver_free(&r);
	return rc;
}
