/*
 * dkim.c: DKIM public keys at the selectors named, and at commonly used
 * selector names: the key parses (RFC 6376 3.6.1), its type and size
 * (RFC 8301 3.2: RSA of at least 1024 bits, 2048 recommended; RFC 8463
 * Ed25519), not revoked, not left in testing (t=y), not SHA-1 only.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "../dkim/dkim_impl.h"
#include "audit_impl.h"

/* Selector names that mail services and software publish by default. */
static const char *const probe_names[] = {
	"default",
	"dkim",
	"mail",
	"selector1",
	"selector2",
	"google",
	"k1",
	"k2",
	"s1",
	"s2",
	"key1",
	"smtp",
	"mx",
	"sig1",
	"everlytickey1",
	"mandrill",
};

/* At a selector named by the caller, any TXT is taken as the key. */
static bool
is_any(const void *text, size_t len)
{
	(void)text;
	(void)len;
	return true;
}

/*
 * At a probed name, only a TXT that looks like a key record: "v=DKIM1"
 * first, or a p= tag. A wildcard TXT (RFC 4592) answers every probe, and
 * an SPF record synthesised there is not a broken DKIM key.
 */
static bool
is_dkimish(const void *text, size_t len)
{
	const uint8_t *p = text;
	size_t i;

	if (audit_has_prefix(text, len, "v=DKIM1"))
		return true;
	for (i = 0; i + 1 < len; i++)
		if (p[i] == 'p' && p[i + 1] == '=' &&
		    (i == 0 || p[i - 1] == ';' || p[i - 1] == ' ' ||
			p[i - 1] == '\t'))
			return true;
	return false;
}

static struct inkan_audit_dkim_key *
key_slot(struct audit *a)
{
	struct audit_report *rep = a->rep;

	if (rep->pub.ndkim == rep->dkim_cap) {
		size_t cap = rep->dkim_cap ? rep->dkim_cap * 2 : 8;
		struct inkan_audit_dkim_key *p =
		    realloc(rep->dkim, cap * sizeof(*p));

		if (p == NULL) {
			a->err = INKAN_ERR_NOMEM;
			return NULL;
		}
		rep->dkim = p;
		rep->dkim_cap = cap;
		rep->pub.dkim = p;
	}
	memset(&rep->dkim[rep->pub.ndkim], 0, sizeof(rep->dkim[0]));
	return &rep->dkim[rep->pub.ndkim++];
}

/* Checks the key at selector; returns true if a record was there. */
static bool
check_selector(struct audit *a, const char *selector, bool probed)
{
	struct inkan_buf txt;
	struct dkim_keyrec kr;
	struct inkan_audit_dkim_key *k;
	enum inkan_dns_rcode rcode;
	const char *why = NULL, *name, *ev;
	EVP_PKEY *pkey = NULL;
	unsigned bits = 0;
	bool found = false;
	size_t n;

	name = audit_strf(a, "%s._domainkey.%s", selector, a->domain);
	if (name == NULL)
		return false;
	inkan_buf_init(&txt, 65536);
	inkan_buf_init(&kr.key, 65536);
	n = audit_txt(
	    a, name, probed ? is_dkimish : is_any, &txt, &rcode, NULL, NULL);
	if (n == 0) {
		if (!probed)
			audit_add(a, "dkim.selector-missing", -1,
			    audit_strf(a, "TXT %s: %s", name,
				inkan_dns_rcode_to_name(rcode)),
			    audit_strf(a,
				"Publish the key: inkan dkim keygen "
				"--algorithm rsa --domain %s --selector %s "
				"--out DIR writes the private key and prints "
				"the record for %s.",
				a->domain, selector, name),
			    "No DKIM key at selector %s", selector);
		goto out;
	}
	found = true;
	if ((k = key_slot(a)) == NULL)
		goto out;
	k->selector = audit_esc(a, selector, strlen(selector));
	k->record = audit_esc(a, txt.data, txt.len);
	k->type = "";
	k->probed = probed;
	ev = audit_strf(a, "TXT %s: \"%s\"", name, k->record);
	if (dkim_keyrec_parse(inkan_buf_view(&txt), a->lim, &kr, &why) !=
	    INKAN_OK) {
		audit_add(a, "dkim.syntax", -1, ev,
		    audit_strf(a,
			"Publish a valid key record at %s: \"v=DKIM1; "
			"k=rsa; p=<base64 key>\" (inkan dkim keygen writes "
			"one).",
			name),
		    "The DKIM key at selector %s does not parse: %s", selector,
		    why != NULL ? why : "invalid");
		goto out;
	}
	k->type = kr.type == INKAN_DKIM_KEY_ED25519 ? "ed25519" : "rsa";
	if (kr.revoked) {
		audit_add(a, "dkim.revoked", -1, ev, "",
		    "The DKIM key at selector %s is revoked", selector);
		goto out;
	}
	if (dkim_pubkey_decode(
		kr.type, kr.key.data, kr.key.len, &pkey, &bits) != INKAN_OK) {
		audit_add(a, "dkim.syntax", -1, ev,
		    "Publish the public key (p=) as base64 of its DER "
		    "SubjectPublicKeyInfo.",
		    "The public key at selector %s does not decode", selector);
		goto out;
	}
	k->bits = bits;
	if (kr.type == INKAN_DKIM_KEY_RSA && bits < 1024)
		audit_add(a, "dkim.rsa-weak", -1, ev,
		    audit_strf(a,
			"Replace it with a 2048-bit key: inkan dkim keygen "
			"--algorithm rsa --bits 2048 --domain %s --selector "
			"<new selector> --out DIR, publish its record, sign "
			"with it, then remove %s.",
			a->domain, name),
		    "The DKIM key at selector %s is RSA %u bits: verifiers "
		    "must not accept it (RFC 8301 3.2)",
		    selector, bits);
	else if (kr.type == INKAN_DKIM_KEY_RSA && bits < 2048)
		audit_add(a, "dkim.rsa-1024", -1, ev,
		    audit_strf(a,
			"Replace it with a 2048-bit key: inkan dkim keygen "
			"--algorithm rsa --bits 2048 --domain %s --selector "
			"<new selector> --out DIR, publish its record, sign "
			"with it, then remove %s.",
			a->domain, name),
		    "The DKIM key at selector %s is RSA %u bits; 2048 is "
		    "recommended (RFC 8301 3.2)",
		    selector, bits);
	if (kr.testing)
		audit_add(a, "dkim.testing", -1, ev,
		    audit_strf(a,
			"Remove t=y from the record at %s once signing works.",
			name),
		    "The DKIM key at selector %s is in testing mode (t=y)",
		    selector);
	if (kr.hashes != 0 && (kr.hashes & DKIM_HASH_SHA256) == 0)
		audit_add(a, "dkim.sha1-only", -1, ev,
		    audit_strf(a, "Remove h= (or write h=sha256) at %s.", name),
		    "The DKIM key at selector %s allows SHA-1 only", selector);
out:
	EVP_PKEY_free(pkey);
	inkan_buf_clear(&kr.key);
	inkan_buf_clear(&txt);
	return found;
}

void
audit_dkim(struct audit *a)
{
	const struct inkan_audit_options *o = a->o;
	size_t i, j, found = 0;

	for (i = 0; i < o->nselectors && a->err == INKAN_OK; i++)
		if (check_selector(a, o->selectors[i], false))
			found++;
	for (i = 0; o->probe_selectors &&
	     i < sizeof(probe_names) / sizeof(probe_names[0]) &&
	     a->err == INKAN_OK;
	     i++) {
		bool named = false;

		for (j = 0; j < o->nselectors; j++)
			if (strcmp(o->selectors[j], probe_names[i]) == 0)
				named = true;
		if (!named && check_selector(a, probe_names[i], true))
			found++;
	}
	if (found == 0 && o->nselectors == 0)
		audit_add(a, "dkim.not-found", -1, "",
		    audit_strf(a,
			"Name your selectors with --selector; if the domain "
			"does not sign yet: inkan dkim keygen --algorithm rsa "
			"--domain %s --selector <name> --out DIR, publish the "
			"record it prints, and sign outgoing mail.",
			a->domain),
		    "No DKIM key found at the %zu common selector names "
		    "probed",
		    o->probe_selectors
			? sizeof(probe_names) / sizeof(probe_names[0])
			: (size_t)0);
}
