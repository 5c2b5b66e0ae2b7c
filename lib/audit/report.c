/*
 * report.c: a report as one JSON object, and as one self-contained HTML
 * page (inline CSS, no scripts, nothing loaded from elsewhere). Every
 * string is escaped for the syntax it lands in, whatever it holds.
 */
#include <string.h>

#include "audit_impl.h"

/* ---- JSON (RFC 8259) --------------------------------------------------- */

static void
json_str(struct inkan_buf *b, const char *s)
{
	const uint8_t *p = (const uint8_t *)(s != NULL ? s : "");

	(void)inkan_buf_append_byte(b, '"');
	for (; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\') {
			(void)inkan_buf_append_byte(b, '\\');
			(void)inkan_buf_append_byte(b, *p);
		} else if (*p < 0x20 || *p >= 0x7f) {
			/* Reports hold printable ASCII; anything else is
			   written as a code point of its byte. */
			(void)inkan_buf_printf(b, "\\u%04x", *p);
		} else if (*p == '<' || *p == '>' || *p == '&') {
			/* Safe to paste into HTML or a script. */
			(void)inkan_buf_printf(b, "\\u%04x", *p);
		} else {
			(void)inkan_buf_append_byte(b, *p);
		}
	}
	(void)inkan_buf_append_byte(b, '"');
}

static void
json_kv(struct inkan_buf *b, const char *key, const char *val, bool comma)
{
	json_str(b, key);
	(void)inkan_buf_append_byte(b, ':');
	if (val == NULL)
		(void)inkan_buf_append_cstr(b, "null");
	else
		json_str(b, val);
	if (comma)
		(void)inkan_buf_append_byte(b, ',');
}

enum inkan_status
inkan_audit_report_json(
    const struct inkan_audit_report *rep, struct inkan_buf *out)
{
	char grade[2];
	size_t i, j;

	if (rep == NULL || out == NULL)
		return INKAN_ERR_INVAL;
	grade[0] = rep->grade;
	grade[1] = '\0';
	(void)inkan_buf_append_byte(out, '{');
	json_kv(out, "domain", rep->domain, true);
	json_kv(out, "grade", grade, true);
	(void)inkan_buf_append_cstr(out, "\"findings\":[");
	for (i = 0; i < rep->nfindings; i++) {
		const struct inkan_audit_finding *f = &rep->findings[i];

		(void)inkan_buf_append_cstr(out, i ? ",{" : "{");
		json_kv(out, "id", f->id, true);
		json_kv(out, "severity", inkan_audit_severity_name(f->severity),
		    true);
		json_kv(out, "area", inkan_audit_area_name(f->area), true);
		json_kv(out, "message", f->message, true);
		json_kv(out, "evidence", f->evidence, true);
		json_kv(out, "fix", f->fix, false);
		(void)inkan_buf_append_byte(out, '}');
	}
	(void)inkan_buf_append_cstr(out, "],\"facts\":{");
	(void)inkan_buf_printf(
	    out, "\"null_mx\":%s,\"mx\":[", rep->null_mx ? "true" : "false");
	for (i = 0; i < rep->nmx; i++) {
		const struct inkan_audit_mx *m = &rep->mx[i];

		(void)inkan_buf_append_cstr(out, i ? ",{" : "{");
		json_kv(out, "host", m->host, true);
		(void)inkan_buf_printf(out,
		    "\"preference\":%u,\"tlsa\":%zu,\"tlsa_secure\":%s,"
		    "\"addresses\":[",
		    m->preference, m->ntlsa, m->tlsa_secure ? "true" : "false");
		for (j = 0; j < m->naddrs; j++) {
			if (j)
				(void)inkan_buf_append_byte(out, ',');
			json_str(out, m->addrs[j]);
		}
		(void)inkan_buf_append_cstr(out, "]}");
	}
	(void)inkan_buf_append_cstr(out, "],");
	json_kv(out, "spf", rep->spf_record, true);
	(void)inkan_buf_printf(out,
	    "\"spf_dns_lookups\":%u,\"spf_void_lookups\":%u,\"dkim\":[",
	    rep->spf_dns_lookups, rep->spf_void_lookups);
	for (i = 0; i < rep->ndkim; i++) {
		const struct inkan_audit_dkim_key *k = &rep->dkim[i];

		(void)inkan_buf_append_cstr(out, i ? ",{" : "{");
		json_kv(out, "selector", k->selector, true);
		json_kv(out, "type", k->type, true);
		(void)inkan_buf_printf(out, "\"bits\":%u,\"probed\":%s,",
		    k->bits, k->probed ? "true" : "false");
		json_kv(out, "record", k->record, false);
		(void)inkan_buf_append_byte(out, '}');
	}
	(void)inkan_buf_append_cstr(out, "],");
	json_kv(out, "dmarc", rep->dmarc_record, true);
	json_kv(out, "dmarc_policy_domain", rep->dmarc_policy_domain, true);
	json_kv(out, "mta_sts", rep->mtasts_record, true);
	json_kv(out, "mta_sts_policy", rep->mtasts_policy, true);
	json_kv(out, "tls_rpt", rep->tlsrpt_record, true);
	json_kv(out, "bimi", rep->bimi_record, true);
	/* null: not observed (zone files that declare nothing). */
	(void)inkan_buf_printf(out, "\"dnssec\":%s,\"offline\":%s}}",
	    rep->dnssec_secure        ? "true"
		: rep->dns_from_zones ? "null"
				      : "false",
	    rep->offline ? "true" : "false");
	return out->err;
}

/* ---- HTML -------------------------------------------------------------- */

/* Appends s with & < > " ' escaped (HTML 13.1.2.6, safe in attributes). */
static void
html_text(struct inkan_buf *b, const char *s)
{
	const uint8_t *p = (const uint8_t *)(s != NULL ? s : "");

	for (; *p != '\0'; p++) {
		switch (*p) {
		case '&':
			(void)inkan_buf_append_cstr(b, "&amp;");
			break;
		case '<':
			(void)inkan_buf_append_cstr(b, "&lt;");
			break;
		case '>':
			(void)inkan_buf_append_cstr(b, "&gt;");
			break;
		case '"':
			(void)inkan_buf_append_cstr(b, "&quot;");
			break;
		case '\'':
			(void)inkan_buf_append_cstr(b, "&#39;");
			break;
		default:
			if (*p < 0x20 || *p >= 0x7f)
				(void)inkan_buf_printf(b, "&#%u;", *p);
			else
				(void)inkan_buf_append_byte(b, *p);
		}
	}
}

static const char html_style[] =
    "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;"
    "margin:2em auto;max-width:60em;padding:0 1em;color:#1b1b1b;"
    "background:#fff}"
    "h1{font-size:1.6em;margin-bottom:.2em}"
    ".grade{display:inline-block;font-size:3em;font-weight:700;"
    "width:1.6em;height:1.6em;line-height:1.6em;text-align:center;"
    "border-radius:.2em;color:#fff;margin-right:.4em;vertical-align:middle}"
    ".gA{background:#1a7f37}.gB{background:#4d8f1f}.gC{background:#b7791f}"
    ".gD{background:#c05621}.gF{background:#c53030}"
    "table{border-collapse:collapse;width:100%;margin:1em 0}"
    "th,td{border-bottom:1px solid #ddd;padding:.4em;text-align:left;"
    "vertical-align:top}"
    "th{background:#f4f4f4}"
    ".sev{font-weight:700;text-transform:uppercase;font-size:.8em}"
    ".critical{color:#c53030}.high{color:#c05621}.medium{color:#b7791f}"
    ".low{color:#2b6cb0}.info{color:#555}"
    "code{font-family:ui-monospace,monospace;font-size:.85em;"
    "word-break:break-all;white-space:pre-wrap}"
    ".fix{background:#f0fff4;display:block;padding:.3em;margin-top:.3em}"
    ".summary{color:#555}";

static void
html_finding(struct inkan_buf *out, const struct inkan_audit_finding *f)
{
	const char *sev = inkan_audit_severity_name(f->severity);

	(void)inkan_buf_printf(
	    out, "<tr><td class=\"sev %s\">%s</td><td><strong>", sev, sev);
	html_text(out, f->message);
	(void)inkan_buf_append_cstr(out, "</strong> <code>");
	html_text(out, f->id);
	(void)inkan_buf_append_cstr(out, "</code>");
	if (f->evidence != NULL && f->evidence[0] != '\0') {
		(void)inkan_buf_append_cstr(out, "<br>Seen: <code>");
		html_text(out, f->evidence);
		(void)inkan_buf_append_cstr(out, "</code>");
	}
	if (f->fix != NULL && f->fix[0] != '\0') {
		(void)inkan_buf_append_cstr(
		    out, "<span class=\"fix\">Fix: <code>");
		html_text(out, f->fix);
		(void)inkan_buf_append_cstr(out, "</code></span>");
	}
	(void)inkan_buf_append_cstr(out, "</td></tr>\n");
}

enum inkan_status
inkan_audit_report_html(
    const struct inkan_audit_report *rep, struct inkan_buf *out)
{
	size_t i, k, count[INKAN_AUDIT_CRITICAL + 1] = { 0 };
	char g[2];

	if (rep == NULL || out == NULL)
		return INKAN_ERR_INVAL;
	g[0] = rep->grade;
	g[1] = '\0';
	for (i = 0; i < rep->nfindings; i++)
		if (rep->findings[i].severity <= INKAN_AUDIT_CRITICAL)
			count[rep->findings[i].severity]++;
	(void)inkan_buf_append_cstr(out,
	    "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	    "<meta http-equiv=\"Content-Security-Policy\" "
	    "content=\"default-src "
	    "'none'; style-src 'unsafe-inline'\">"
	    "<title>Mail security report: ");
	html_text(out, rep->domain);
	(void)inkan_buf_printf(
	    out, "</title><style>%s</style></head><body>\n", html_style);
	(void)inkan_buf_printf(out,
	    "<h1><span class=\"grade g%s\" id=\"grade\">%s</span>"
	    "Mail security of ",
	    g, g);
	html_text(out, rep->domain);
	(void)inkan_buf_printf(out,
	    "</h1>\n<p class=\"summary\">Grade %s. %zu critical, %zu high, "
	    "%zu medium, %zu low, %zu for information.%s</p>\n",
	    g, count[INKAN_AUDIT_CRITICAL], count[INKAN_AUDIT_HIGH],
	    count[INKAN_AUDIT_MEDIUM], count[INKAN_AUDIT_LOW],
	    count[INKAN_AUDIT_INFO],
	    rep->offline ? " Checked offline: nothing was fetched over HTTPS."
			 : "");
	(void)inkan_buf_append_cstr(out,
	    "<h2>Findings</h2>\n<table><thead><tr><th>Severity</th>"
	    "<th>Finding</th></tr></thead><tbody>\n");
	/* Most severe first: the page is read top-down by people. */
	for (k = INKAN_AUDIT_CRITICAL + 1; k-- > 0;)
		for (i = 0; i < rep->nfindings; i++)
			if ((size_t)rep->findings[i].severity == k)
				html_finding(out, &rep->findings[i]);
	(void)inkan_buf_append_cstr(out,
	    "</tbody></table>\n<h2>What was found</h2>\n<table><tbody>\n"
	    "<tr><th>MX</th><td>");
	if (rep->null_mx)
		(void)inkan_buf_append_cstr(out, "null MX (accepts no mail)");
	for (i = 0; i < rep->nmx; i++) {
		(void)inkan_buf_printf(
		    out, "%s%u ", i ? "<br>" : "", rep->mx[i].preference);
		html_text(out, rep->mx[i].host);
		if (rep->mx[i].ntlsa > 0)
			(void)inkan_buf_printf(
			    out, " (%zu TLSA)", rep->mx[i].ntlsa);
	}
	(void)inkan_buf_append_cstr(out, "</td></tr>\n");
	{
		const struct {
			const char *name;
			const char *value;
		} rows[] = {
			{ "SPF", rep->spf_record },
			{ "DMARC", rep->dmarc_record },
			{ "MTA-STS", rep->mtasts_record },
			{ "TLS-RPT", rep->tlsrpt_record },
			{ "BIMI", rep->bimi_record },
		};

		for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
			(void)inkan_buf_printf(
			    out, "<tr><th>%s</th><td><code>", rows[i].name);
			html_text(out,
			    rows[i].value != NULL ? rows[i].value : "(none)");
			(void)inkan_buf_append_cstr(out, "</code></td></tr>\n");
		}
	}
	(void)inkan_buf_append_cstr(out, "<tr><th>DKIM</th><td>");
	for (i = 0; i < rep->ndkim; i++) {
		(void)inkan_buf_append_cstr(out, i ? "<br>" : "");
		html_text(out, rep->dkim[i].selector);
		(void)inkan_buf_append_cstr(out, ": ");
		html_text(out, rep->dkim[i].type);
		(void)inkan_buf_printf(out, " %u bits", rep->dkim[i].bits);
	}
	if (rep->ndkim == 0)
		(void)inkan_buf_append_cstr(out, "(no key found)");
	(void)inkan_buf_printf(out,
	    "</td></tr>\n<tr><th>DNSSEC</th><td>%s</td></tr>\n"
	    "</tbody></table>\n<p class=\"summary\">Generated by inkan "
	    "check. Grades: A (nothing above low), B (medium), C (one high), "
	    "D (two high), F (critical).</p>\n</body></html>\n",
	    rep->dnssec_secure        ? "validated"
		: rep->dns_from_zones ? "unknown (checked offline)"
				      : "not validated");
	return out->err;
}
