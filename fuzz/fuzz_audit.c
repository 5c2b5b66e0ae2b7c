/*
 * fuzz_audit.c: the auditor end to end over hostile DNS contents. The
 * input is lines; the first byte of a line picks a name of the domain
 * t.test (its SPF, DMARC, DKIM, MTA-STS, TLS-RPT, BIMI, an include
 * target, a report authorisation), the rest becomes a TXT record there
 * (cut into strings of 255). Three fixed MX hosts, one with TLSA, and an
 * MTA-STS policy made of the whole input, are handed over too; an odd
 * input length audits as from zone files only (dns_from_zones). Then the
 * report is written as JSON and HTML.
 *
 * The target traps when a finding is incomplete or not in the catalogue
 * of inkan_audit_checks(), when a grade is not one of A B C D F, or when
 * a report string holds a byte outside printable ASCII (everything from
 * DNS must come out escaped), or a raw '<' reaches the JSON or HTML.
 */
#include <string.h>

#include <inkan/audit.h>

#include "fuzz.h"

static const char *const names[] = {
	"t.test",
	"_dmarc.t.test",
	"default._domainkey.t.test",
	"sel._domainkey.t.test",
	"_mta-sts.t.test",
	"_smtp._tls.t.test",
	"default._bimi.t.test",
	"inc.t.test",
	"t.test._report._dmarc.r.test",
	"_dmarc.r.test",
};

static void
check_str(const char *s)
{
	for (; s != NULL && *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			__builtin_trap();
}

static void
check_report(const struct inkan_audit_report *rep)
{
	size_t i, n;

	if (strchr("ABCDF", rep->grade) == NULL || rep->grade == '\0')
		__builtin_trap();
	if (rep->grade != inkan_audit_grade(rep->findings, rep->nfindings))
		__builtin_trap();
	(void)inkan_audit_checks(&n);
	for (i = 0; i < rep->nfindings; i++) {
		const struct inkan_audit_finding *f = &rep->findings[i];
		const struct inkan_audit_check *c = inkan_audit_checks(NULL);
		size_t k;
		bool known = false;

		for (k = 0; k < n; k++)
			if (strcmp(c[k].id, f->id) == 0)
				known = true;
		if (!known || f->message == NULL || f->message[0] == '\0' ||
		    f->evidence == NULL || f->fix == NULL)
			__builtin_trap();
		check_str(f->message);
		check_str(f->evidence);
		check_str(f->fix);
	}
	check_str(rep->spf_record);
	check_str(rep->dmarc_record);
	check_str(rep->mtasts_record);
	check_str(rep->mtasts_policy);
	check_str(rep->tlsrpt_record);
	check_str(rep->bimi_record);
	for (i = 0; i < rep->ndkim; i++)
		check_str(rep->dkim[i].record);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char fixed[] =
	    "$ORIGIN t.test.\n"
	    ";! SECURE t.test.\n"
	    "@ MX 10 mx1\n@ MX 20 mx2\n@ MX 30 mx3.other.test.\n"
	    "mx1 A 192.0.2.1\nmx2 AAAA 2001:db8::2\n"
	    "mx3.other.test. A 192.0.2.3\n"
	    "_25._tcp.mx1 TLSA 3 1 1 00112233\n"
	    "_25._tcp.mx2 TLSA 1 0 1 00112233\n";
	struct inkan_resolver *r = NULL;
	struct inkan_audit_options o;
	struct inkan_audit_report *rep = NULL;
	struct inkan_audit_policy pol;
	const char *sel = "sel";
	struct inkan_buf out;
	size_t off = 0;

	if (size > 16384)
		return 0;
	if (inkan_resolver_new_zone(NULL, &r) != INKAN_OK)
		return 0;
	if (inkan_resolver_zone_load_string(
		r, fixed, sizeof(fixed) - 1, NULL) != INKAN_OK)
		__builtin_trap();
	while (off < size) {
		const uint8_t *line = data + off, *nl;
		size_t len, nstr = 0;
		struct inkan_view strs[64];

		nl = memchr(line, '\n', size - off);
		len = nl != NULL ? (size_t)(nl - line) : size - off;
		off += len + 1;
		if (len == 0)
			continue;
		while (nstr < 64 && 1 + nstr * 255 < len) {
			size_t start = 1 + nstr * 255;
			size_t n = len - start < 255 ? len - start : 255;

			strs[nstr++] = inkan_view_make(line + start, n);
		}
		if (nstr == 0)
			strs[nstr++] = inkan_view_make("", 0);
		(void)inkan_resolver_zone_add_txt(r,
		    names[line[0] % (sizeof(names) / sizeof(names[0]))], 300,
		    strs, nstr);
	}
	inkan_audit_options_init(&o);
	o.offline = true;
	/* Both readings of an undeclared secure bit: live-like and
	   zone-files-only (dnssec.unknown-offline). */
	o.dns_from_zones = (size & 1) != 0;
	o.selectors = &sel;
	o.nselectors = 1;
	pol.domain = "t.test";
	pol.body = data;
	pol.len = size;
	o.mtasts_policies = &pol;
	o.nmtasts_policies = 1;
	if (inkan_audit_run(r, "t.test", &o, &rep) == INKAN_OK) {
		check_report(rep);
		inkan_buf_init(&out, 4u << 20);
		if (inkan_audit_report_json(rep, &out) == INKAN_OK &&
		    memchr(out.data, '<', out.len) != NULL)
			__builtin_trap();
		inkan_buf_reset(&out);
		(void)inkan_audit_report_html(rep, &out);
		inkan_buf_clear(&out);
	}
	inkan_audit_report_free(&rep);
	inkan_resolver_free(&r);
	return 0;
}
