/*
 * setup.c: `inkan setup DOMAIN --mx HOST`: what a new domain publishes
 * for mail, written to a directory: two DKIM keys (RSA 2048 and Ed25519,
 * RFC 8463) with their records, the zone snippet (MX, SPF, DKIM, DMARC
 * at p=none with reports, MTA-STS, TLS-RPT, BIMI commented out), the
 * MTA-STS policy file, and the plan for raising DMARC to reject. Then
 * `inkan check --zone DIR/zone DOMAIN` checks the result before it is
 * published.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

#define SETUP_TEXT_MAX (256u * 1024)

static void
setup_usage(FILE *f)
{
	fprintf(f,
	    "usage: inkan setup DOMAIN --mx HOST [--mx HOST]... [--ip "
	    "ADDR]...\n"
	    "                   [--report-to ADDR] --out DIR\n"
	    "\n"
	    "Writes what DOMAIN publishes for mail into DIR (which must not "
	    "hold the\n"
	    "files yet):\n"
	    "  zone            the records to publish: MX, SPF, DKIM (RSA "
	    "2048 and\n"
	    "                  Ed25519), DMARC at p=none with reports, "
	    "MTA-STS, TLS-RPT,\n"
	    "                  and BIMI commented out\n"
	    "  mta-sts.txt     the policy to serve at\n"
	    "                  https://mta-sts.DOMAIN/.well-known/mta-sts.txt\n"
	    "  plan.txt        the steps from p=none to p=reject, and how to "
	    "check\n"
	    "  SELECTOR.private  the DKIM private keys (mode 0600)\n"
	    "\n"
	    "  --mx HOST        a mail exchanger of DOMAIN (the first is "
	    "preferred)\n"
	    "  --ip ADDR        an address the MX hosts have and send from "
	    "(IPv4 or IPv6;\n"
	    "                   repeatable): their A/AAAA records and SPF "
	    "ip4:/ip6:\n"
	    "  --report-to ADDR where DMARC and TLS reports go (default\n"
	    "                   dmarc-reports@DOMAIN)\n"
	    "  --out DIR        the directory to write (created if needed)\n"
	    "\n"
	    "Then: inkan check --zone DIR/zone DOMAIN --selector ... (plan.txt "
	    "has the\n"
	    "exact command).\n");
}

/* Host names: letters, digits, '-', '_', dots; no empty label. */
static bool
host_ok(const char *s)
{
	size_t n = strlen(s), i, label = 0;

	if (n == 0 || n > 253 || s[0] == '.')
		return false;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (c == '.') {
			if (label == 0 && i + 1 != n)
				return false;
			label = 0;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			(c >= '0' && c <= '9') || c == '-' || c == '_'))
			return false;
		if (++label > 63)
			return false;
	}
	return true;
}

/* An e-mail address safe to write into a record: local@host. */
static bool
addr_ok(const char *s)
{
	const char *at = strchr(s, '@');
	const char *p;

	if (at == NULL || at == s || !host_ok(at + 1) ||
	    strchr(at + 1, '.') == NULL)
		return false;
	for (p = s; p < at; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			(*p >= '0' && *p <= '9') || strchr(".-_+", *p) != NULL))
			return false;
	return true;
}

/* Creates dir/name with mode, failing if it exists. */
static int
write_new(
    const char *dir, const char *name, mode_t mode, const struct inkan_buf *b)
{
	char path[4096];
	int fd;
	size_t off = 0;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >=
	    sizeof(path)) {
		cli_warn("%s: path too long", dir);
		return EX_CANTCREAT;
	}
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL, mode)) < 0) {
		cli_warn("%s: %s", path, strerror(errno));
		return EX_CANTCREAT;
	}
	while (off < b->len) {
		ssize_t w = write(fd, b->data + off, b->len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			cli_warn("%s: %s", path, strerror(errno));
			close(fd);
			return EX_IOERR;
		}
		off += (size_t)w;
	}
	if (close(fd) != 0) {
		cli_warn("%s: %s", path, strerror(errno));
		return EX_IOERR;
	}
	return 0;
}

/* A new key of type: its PEM into pem, its record into zone. */
static enum inkan_status
make_key(enum inkan_dkim_keytype type, const char *selector, const char *domain,
    struct inkan_buf *pem, struct inkan_buf *zone)
{
	struct inkan_dkim_key *key = NULL;
	struct inkan_buf record;
	enum inkan_status st;

	inkan_buf_init(&record, SETUP_TEXT_MAX);
	if ((st = inkan_dkim_keygen(type, 2048, pem)) == INKAN_OK &&
	    (st = inkan_dkim_key_load_pem(pem->data, pem->len, &key)) ==
		INKAN_OK &&
	    (st = inkan_dkim_key_record(key, &record)) == INKAN_OK &&
	    (st = inkan_buf_printf(zone, "%s._domainkey.%s. IN TXT ( ",
		 selector, domain)) == INKAN_OK &&
	    (st = inkan_dkim_record_split(inkan_buf_view(&record), zone)) ==
		INKAN_OK)
		st = inkan_buf_append_cstr(zone, " )\n");
	inkan_dkim_key_free(&key);
	inkan_buf_clear(&record);
	return st;
}

int
cli_cmd_setup(int argc, char **argv, const struct cli_opts *o)
{
	const char **mx = NULL, **ips = NULL;
	size_t nmx = 0, nips = 0, i;
	const char *domain = NULL, *report = NULL, *dir = NULL;
	char rsa_sel[32], ed_sel[32], id[32], domain_l[256], report_buf[300];
	struct inkan_buf zone, policy, plan, pem_rsa, pem_ed, spf;
	time_t now = time(NULL);
	struct tm tm;
	enum inkan_status st;
	int rc = 0, k;

	(void)o;
	inkan_buf_init(&zone, SETUP_TEXT_MAX);
	inkan_buf_init(&policy, SETUP_TEXT_MAX);
	inkan_buf_init(&plan, SETUP_TEXT_MAX);
	inkan_buf_init(&pem_rsa, SETUP_TEXT_MAX);
	inkan_buf_init(&pem_ed, SETUP_TEXT_MAX);
	inkan_buf_init(&spf, SETUP_TEXT_MAX);
	if ((mx = calloc((size_t)argc, sizeof(*mx))) == NULL ||
	    (ips = calloc((size_t)argc, sizeof(*ips))) == NULL) {
		cli_warn("out of memory");
		rc = EX_OSERR;
		goto out;
	}
	for (k = 1; k < argc; k++) {
		const char *a = argv[k];
		const char **slot = NULL;

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			setup_usage(stdout);
			goto out;
		}
		if (strcmp(a, "--mx") == 0)
			slot = &mx[nmx++];
		else if (strcmp(a, "--ip") == 0)
			slot = &ips[nips++];
		else if (strcmp(a, "--report-to") == 0)
			slot = &report;
		else if (strcmp(a, "--out") == 0)
			slot = &dir;
		else if (a[0] == '-') {
			rc = cli_usage("setup: unknown option '%s'", a);
			goto out;
		} else if (domain == NULL) {
			domain = a;
			continue;
		} else {
			rc = cli_usage("setup: one DOMAIN only");
			goto out;
		}
		if (k + 1 >= argc || argv[k + 1][0] == '\0') {
			rc = cli_usage("setup: %s needs a value", a);
			goto out;
		}
		*slot = argv[++k];
	}
	if (domain == NULL || nmx == 0 || dir == NULL) {
		rc = cli_usage("setup: needs DOMAIN, --mx HOST and --out DIR");
		goto out;
	}
	if (!host_ok(domain) || strlen(domain) >= sizeof(domain_l)) {
		rc = cli_usage("setup: '%s' is not a domain name", domain);
		goto out;
	}
	/* Lowercase, no trailing dot. */
	for (i = 0; domain[i] != '\0'; i++)
		domain_l[i] = (char)inkan_ascii_lower((uint8_t)domain[i]);
	domain_l[i] = '\0';
	if (i > 0 && domain_l[i - 1] == '.')
		domain_l[i - 1] = '\0';
	for (i = 0; i < nmx; i++)
		if (!host_ok(mx[i])) {
			rc = cli_usage(
			    "setup: --mx '%s' is not a host name", mx[i]);
			goto out;
		}
	if (report == NULL) {
		snprintf(report_buf, sizeof(report_buf), "dmarc-reports@%s",
		    domain_l);
		report = report_buf;
	} else if (!addr_ok(report)) {
		rc = cli_usage(
		    "setup: --report-to '%s' is not local@domain", report);
		goto out;
	}
	gmtime_r(&now, &tm);
	strftime(id, sizeof(id), "%Y%m%dT%H%M%S", &tm);
	strftime(rsa_sel, sizeof(rsa_sel), "rsa%Y%m", &tm);
	strftime(ed_sel, sizeof(ed_sel), "ed%Y%m", &tm);

	/* SPF (RFC 7208): the MX hosts, and the addresses given. */
	(void)inkan_buf_append_cstr(&spf, "v=spf1 mx");
	for (i = 0; i < nips; i++) {
		struct inkan_spf_ip ip;

		if (inkan_spf_ip_parse(ips[i], &ip) != INKAN_OK) {
			rc = cli_usage(
			    "setup: --ip '%s' is not an address", ips[i]);
			goto out;
		}
		(void)inkan_buf_printf(
		    &spf, " ip%c:%s", ip.family == AF_INET ? '4' : '6', ips[i]);
	}
	(void)inkan_buf_append_cstr(&spf, " -all");

	(void)inkan_buf_printf(&zone,
	    "; Mail records for %s, written by inkan setup. Check them "
	    "before\n; publishing: see plan.txt.\n\n"
	    "; MX (RFC 5321 5.1): where mail for %s is delivered.\n",
	    domain_l, domain_l);
	for (i = 0; i < nmx; i++) {
		size_t n = strlen(mx[i]);

		(void)inkan_buf_printf(&zone, "%s. IN MX %zu %.*s.\n", domain_l,
		    10 * (i + 1), (int)(mx[i][n - 1] == '.' ? n - 1 : n),
		    mx[i]);
	}
	if (nips > 0) {
		(void)inkan_buf_append_cstr(&zone,
		    "; The MX hosts' addresses (publish them in the zone "
		    "that holds each host).\n");
		for (i = 0; i < nmx; i++) {
			size_t n = strlen(mx[i]), j;

			for (j = 0; j < nips; j++) {
				struct inkan_spf_ip ip;

				(void)inkan_spf_ip_parse(ips[j], &ip);
				(void)inkan_buf_printf(&zone,
				    "%.*s. IN %s %s\n",
				    (int)(mx[i][n - 1] == '.' ? n - 1 : n),
				    mx[i], ip.family == AF_INET ? "A" : "AAAA",
				    ips[j]);
			}
		}
	}
	(void)inkan_buf_printf(&zone,
	    "\n; SPF (RFC 7208): only the MX hosts and the addresses given "
	    "send as %s.\n%s. IN TXT \"%s\"\n",
	    domain_l, domain_l, inkan_buf_cstr(&spf));
	(void)inkan_buf_printf(&zone,
	    "\n; DKIM (RFC 6376, RFC 8463): an RSA 2048 key and an Ed25519 "
	    "key; sign\n; with both (%s.private, %s.private).\n",
	    rsa_sel, ed_sel);
	if ((st = make_key(INKAN_DKIM_KEY_RSA, rsa_sel, domain_l, &pem_rsa,
		 &zone)) != INKAN_OK ||
	    (st = make_key(INKAN_DKIM_KEY_ED25519, ed_sel, domain_l, &pem_ed,
		 &zone)) != INKAN_OK) {
		cli_warn("setup: DKIM keys: %s", inkan_strerror(st));
		rc = EX_SOFTWARE;
		goto out;
	}
	(void)inkan_buf_printf(&zone,
	    "\n; DMARC (RFC 9989): monitoring first, with aggregate reports; "
	    "plan.txt\n; says when to raise it to quarantine and reject.\n"
	    "_dmarc.%s. IN TXT \"v=DMARC1; p=none; rua=mailto:%s\"\n",
	    domain_l, report);
	(void)inkan_buf_printf(&zone,
	    "\n; MTA-STS (RFC 8461): serve mta-sts.txt at\n"
	    "; https://mta-sts.%s/.well-known/mta-sts.txt (a certificate "
	    "valid for\n; mta-sts.%s), then publish this record; change id= "
	    "whenever the policy\n; changes.\n"
	    "_mta-sts.%s. IN TXT \"v=STSv1; id=%s\"\n"
	    "; mta-sts.%s. IN A <the address of the web server serving the "
	    "policy>\n",
	    domain_l, domain_l, domain_l, id, domain_l);
	(void)inkan_buf_printf(&zone,
	    "\n; TLS-RPT (RFC 8460): reports of TLS failures when mail is "
	    "sent to %s.\n_smtp._tls.%s. IN TXT \"v=TLSRPTv1; "
	    "rua=mailto:%s\"\n",
	    domain_l, domain_l, report);
	(void)inkan_buf_printf(&zone,
	    "\n; BIMI: a logo in mail clients, once DMARC is at quarantine "
	    "or reject.\n; Needs an SVG Tiny PS logo and, for most providers, "
	    "a mark certificate.\n"
	    "; default._bimi.%s. IN TXT \"v=BIMI1; "
	    "l=https://%s/logo.svg; a=https://%s/vmc.pem\"\n",
	    domain_l, domain_l, domain_l);

	/* RFC 8461 3.2: testing first; enforce once the reports are clean. */
	(void)inkan_buf_append_cstr(&policy, "version: STSv1\nmode: testing\n");
	for (i = 0; i < nmx; i++) {
		size_t n = strlen(mx[i]);

		(void)inkan_buf_printf(&policy, "mx: %.*s\n",
		    (int)(mx[i][n - 1] == '.' ? n - 1 : n), mx[i]);
	}
	(void)inkan_buf_append_cstr(&policy, "max_age: 604800\n");

	(void)inkan_buf_printf(&plan,
	    "Mail security for %s: what to do, in order\n\n"
	    "1. Check the records before publishing them:\n"
	    "     inkan check --zone %s/zone %s --selector %s --selector %s "
	    "\\\n"
	    "         --mta-sts-policy %s=%s/mta-sts.txt\n"
	    "   It should say grade A. Findings left at this stage: "
	    "dmarc.policy-none\n"
	    "   (step 4a), mta-sts.testing (step 5), and offline "
	    "dnssec.unknown-offline\n"
	    "   (a zone file cannot show DNSSEC; see step 3).\n\n"
	    "2. Publish the records of zone, serve mta-sts.txt at\n"
	    "   https://mta-sts.%s/.well-known/mta-sts.txt, and sign outgoing "
	    "mail with\n"
	    "   %s.private (selector %s) and %s.private (selector %s).\n\n"
	    "3. Sign the zone with DNSSEC at your DNS host, and add TLSA "
	    "records\n"
	    "   (_25._tcp.<MX> IN TLSA 3 1 1 <SHA-256 of the key>) for "
	    "DANE.\n\n"
	    "4. DMARC, from monitoring to reject (RFC 9989):\n"
	    "   a. Now: p=none. Read the aggregate reports sent to %s\n"
	    "      for 2-4 weeks. Every service that sends as %s "
	    "(newsletters,\n"
	    "      ticketing, invoicing) must pass SPF or DKIM with an aligned "
	    "domain;\n"
	    "      add what is missing to SPF or have them sign with DKIM.\n"
	    "   b. Then: _dmarc.%s. IN TXT \"v=DMARC1; p=quarantine; "
	    "rua=mailto:%s\"\n"
	    "   c. After 2-4 more clean weeks:\n"
	    "      _dmarc.%s. IN TXT \"v=DMARC1; p=reject; rua=mailto:%s\"\n\n"
	    "5. MTA-STS: when the TLS reports (to %s) show no failures,\n"
	    "   set \"mode: enforce\" in mta-sts.txt and publish a new id= in "
	    "_mta-sts.%s.\n\n"
	    "6. BIMI (optional): after step 4c, uncomment the BIMI record.\n",
	    domain_l, dir, domain_l, rsa_sel, ed_sel, domain_l, dir, domain_l,
	    rsa_sel, rsa_sel, ed_sel, ed_sel, report, domain_l, domain_l,
	    report, domain_l, report, report, domain_l);
	if (zone.err != INKAN_OK || policy.err != INKAN_OK ||
	    plan.err != INKAN_OK || spf.err != INKAN_OK) {
		cli_warn("setup: the output is too large");
		rc = EX_SOFTWARE;
		goto out;
	}

	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		cli_warn("%s: %s", dir, strerror(errno));
		rc = EX_CANTCREAT;
		goto out;
	}
	{
		char name[64];

		snprintf(name, sizeof(name), "%s.private", rsa_sel);
		if ((rc = write_new(dir, name, 0600, &pem_rsa)) != 0)
			goto out;
		snprintf(name, sizeof(name), "%s.private", ed_sel);
		if ((rc = write_new(dir, name, 0600, &pem_ed)) != 0 ||
		    (rc = write_new(dir, "zone", 0644, &zone)) != 0 ||
		    (rc = write_new(dir, "mta-sts.txt", 0644, &policy)) != 0 ||
		    (rc = write_new(dir, "plan.txt", 0644, &plan)) != 0)
			goto out;
	}
	fputs(inkan_buf_cstr(&zone), stdout);
	printf("\nWritten to %s: zone, mta-sts.txt, plan.txt, %s.private, "
	       "%s.private.\nNext: %s/plan.txt\n",
	    dir, rsa_sel, ed_sel, dir);
out:
	/* The private keys: wiped before the memory goes back. */
	if (pem_rsa.data != NULL)
		explicit_bzero(pem_rsa.data, pem_rsa.cap);
	if (pem_ed.data != NULL)
		explicit_bzero(pem_ed.data, pem_ed.cap);
	inkan_buf_clear(&pem_rsa);
	inkan_buf_clear(&pem_ed);
	inkan_buf_clear(&zone);
	inkan_buf_clear(&policy);
	inkan_buf_clear(&plan);
	inkan_buf_clear(&spf);
	free(mx);
	free(ips);
	return rc;
}
