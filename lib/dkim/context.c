/*
 * context.c: the DKIM context (struct inkan_dkim) and its key cache
 * (RFC 6376 6.1.2: a key record is fetched once and kept, decoded, for its
 * DNS TTL), and the names of the public enums.
 *
 * verify.c, sign.c and lib/arc share one context: the resolver, the
 * limits, the policy, the digest contexts and the parts verifiers reuse.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dkim/dkim_impl.h"

/* ---- names and defaults ------------------------------------------------ */

const char *
inkan_dkim_result_name(enum inkan_dkim_result r)
{
	switch (r) {
	case INKAN_DKIM_NONE:
		return "none";
	case INKAN_DKIM_PASS:
		return "pass";
	case INKAN_DKIM_FAIL:
		return "fail";
	case INKAN_DKIM_NEUTRAL:
		return "neutral";
	case INKAN_DKIM_POLICY:
		return "policy";
	case INKAN_DKIM_TEMPERROR:
		return "temperror";
	case INKAN_DKIM_PERMERROR:
		return "permerror";
	}
	return "unknown";
}

const char *
inkan_dkim_algorithm_name(enum inkan_dkim_algorithm a)
{
	switch (a) {
	case INKAN_DKIM_RSA_SHA256:
		return "rsa-sha256";
	case INKAN_DKIM_RSA_SHA1:
		return "rsa-sha1";
	case INKAN_DKIM_ED25519_SHA256:
		return "ed25519-sha256";
	case INKAN_DKIM_ALG_UNKNOWN:
		break;
	}
	return "unknown";
}

void
inkan_dkim_policy_init(struct inkan_dkim_policy *p)
{
	memset(p, 0, sizeof(*p));
	p->length_fails = true;
	p->rsa_min_bits = 1024;
	p->future_skew = 300;
}

int64_t
dkim_now(const struct inkan_dkim *dkim)
{
	if (dkim->pol.now != NULL)
		return dkim->pol.now(dkim->pol.now_arg);
	return (int64_t)time(NULL);
}

/* ---- the key cache ---------------------------------------------------------
 */

void
dkim_entry_free(struct dkim_cache_entry *e)
{
	size_t i;

	if (e == NULL)
		return;
	for (i = 0; i < e->nkeys; i++) {
		EVP_PKEY_CTX_free(e->keys[i].vctx);
		EVP_PKEY_free(e->keys[i].pkey);
	}
	free(e->keys);
	free(e->name);
	free(e);
}

/* Frees the parts a context keeps for its verifiers (see vparts_take()). */
static void
vparts_free(struct dkim_vparts *p)
{
	size_t i;

	inkan_hdr_parser_free(&p->hp);
	free(p->fields);
	inkan_buf_clear(&p->text);
	for (i = 0; i < p->hcap; i++)
		dkim_bodyhash_clear(&p->hashers[i]);
	free(p->hashers);
	inkan_buf_clear(&p->tmp);
	memset(p, 0, sizeof(*p));
}

enum inkan_status
inkan_dkim_new(struct inkan_resolver *resolver,
    const struct inkan_limits *limits, const struct inkan_dkim_policy *policy,
    struct inkan_dkim **dkim_r)
{
	struct inkan_dkim *d;

	*dkim_r = NULL;
	if ((d = calloc(1, sizeof(*d))) == NULL)
		return INKAN_ERR_NOMEM;
	d->resolver = resolver;
	d->lim = limits != NULL ? *limits : *inkan_limits_defaults();
	if (policy != NULL)
		d->pol = *policy;
	else
		inkan_dkim_policy_init(&d->pol);
	if (d->lim.dkim_key_cache_max > 0) {
		d->cache = calloc(d->lim.dkim_key_cache_max, sizeof(*d->cache));
		if (d->cache == NULL) {
			free(d);
			return INKAN_ERR_NOMEM;
		}
	}
	d->fetched_sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
	d->fetched_sha1 = EVP_MD_fetch(NULL, "SHA1", NULL);
	d->sha256 =
	    d->fetched_sha256 != NULL ? d->fetched_sha256 : EVP_sha256();
	d->sha1 = d->fetched_sha1 != NULL ? d->fetched_sha1 : EVP_sha1();
	if ((d->md = EVP_MD_CTX_new()) == NULL ||
	    (d->hmd = EVP_MD_CTX_new()) == NULL) {
		inkan_dkim_free(&d);
		return INKAN_ERR_NOMEM;
	}
	*dkim_r = d;
	return INKAN_OK;
}

void
inkan_dkim_free(struct inkan_dkim **dkim)
{
	struct inkan_dkim *d;
	size_t i;

	if (dkim == NULL || (d = *dkim) == NULL)
		return;
	for (i = 0; i < d->ncache; i++)
		dkim_entry_free(d->cache[i]);
	free(d->cache);
	vparts_free(&d->spare);
	dkim_verify_spare_free(d);
	EVP_MD_CTX_free(d->md);
	EVP_MD_CTX_free(d->hmd);
	EVP_MD_free(d->fetched_sha256);
	EVP_MD_free(d->fetched_sha1);
	free(d);
	*dkim = NULL;
}

/* The cached, unexpired entry for name, or NULL; drops it if expired. */
static struct dkim_cache_entry *
cache_find(struct inkan_dkim *d, const char *name, int64_t now)
{
	size_t i;

	for (i = 0; i < d->ncache; i++) {
		struct dkim_cache_entry *e = d->cache[i];

		if (strcmp(e->name, name) != 0)
			continue;
		if (now < e->expires)
			return e;
		dkim_entry_free(e);
		d->cache[i] = d->cache[--d->ncache];
		return NULL;
	}
	return NULL;
}

/*
 * Puts e in the cache, which takes ownership, evicting an expired entry
 * or else the one that expires first. Returns false (e not taken) when
 * the cache holds nothing.
 */
static bool
cache_put(struct inkan_dkim *d, struct dkim_cache_entry *e, int64_t now)
{
	size_t i, victim = 0;

	if (d->lim.dkim_key_cache_max == 0)
		return false;
	if (d->ncache < d->lim.dkim_key_cache_max) {
		d->cache[d->ncache++] = e;
		return true;
	}
	for (i = 0; i < d->ncache; i++) {
		if (d->cache[i]->expires <= now) {
			victim = i;
			break;
		}
		if (d->cache[i]->expires < d->cache[victim]->expires)
			victim = i;
	}
	dkim_entry_free(d->cache[victim]);
	d->cache[victim] = e;
	return true;
}

/* Turns the TXT records of a NOERROR answer into e's keys (6.1.2). */
static enum inkan_status
entry_fill(struct inkan_dkim *d, struct dkim_cache_entry *e,
    const struct inkan_dns_answer *a)
{
	struct dkim_keyrec kr;
	struct inkan_buf txt;
	size_t i, max = d->lim.dkim_key_records_max;
	enum inkan_status st = INKAN_OK;
	const char *why, *first_why = NULL;

	e->fail_result = INKAN_DKIM_PERMERROR;
	e->fail_reason = "no key record at the selector";
	if (max == 0)
		return INKAN_OK;
	if ((e->keys = calloc(max, sizeof(*e->keys))) == NULL)
		return INKAN_ERR_NOMEM;
	inkan_buf_init(&txt, 65536);
	inkan_buf_init(&kr.key, 65536);
	/*
	 * RFC 6376 6.1.2: with several records the verifier "can choose one
	 * of the key records or may cycle through" them. We keep every
	 * record that is a usable key (up to dkim_key_records_max, in answer
	 * order) and try each, so a rollover that publishes two keys at one
	 * selector works. Records that are not keys are skipped; if none
	 * is, the first one's problem is the reason.
	 */
	for (i = 0; i < a->count && e->nkeys < max; i++) {
		const struct inkan_dns_record *rr = &a->records[i];
		struct dkim_pubkey *k = &e->keys[e->nkeys];

		if (rr->type != INKAN_DNS_TXT || rr->is_raw)
			continue;
		inkan_buf_reset(&txt);
		if (inkan_dns_txt_join(rr, &txt) != INKAN_OK) {
			if (first_why == NULL)
				first_why = "the key record is too long";
			continue;
		}
		st =
		    dkim_keyrec_parse(inkan_buf_view(&txt), &d->lim, &kr, &why);
		if (st == INKAN_ERR_NOMEM)
			break;
		if (st != INKAN_OK) {
			st = INKAN_OK;
			if (first_why == NULL)
				first_why = why;
			continue;
		}
		if (kr.revoked) {
			/* RFC 6376 3.6.1: an empty p= is a revoked key. */
			if (first_why == NULL)
				first_why = "key revoked";
			continue;
		}
		if (dkim_pubkey_decode(kr.type, kr.key.data, kr.key.len,
			&k->pkey, &k->bits) != INKAN_OK) {
			if (first_why == NULL)
				first_why =
				    "the key record's p= is not a valid key";
			continue;
		}
		k->type = kr.type;
		k->hashes = kr.hashes;
		k->testing = kr.testing;
		k->strict = kr.strict;
		e->nkeys++;
	}
	if (e->nkeys == 0 && first_why != NULL)
		e->fail_reason = first_why;
	inkan_buf_clear(&txt);
	inkan_buf_clear(&kr.key);
	return st;
}

struct dkim_cache_entry *
dkim_get_keys(
    struct inkan_dkim *d, const char *name, size_t *lookups, bool *owned_r)
{
	struct dkim_cache_entry *e;
	struct inkan_dns_answer *a = NULL;
	enum inkan_status st;
	int64_t now = dkim_now(d);
	uint32_t ttl = 0;

	*owned_r = false;
	if ((e = cache_find(d, name, now)) != NULL)
		return e;
	if ((e = calloc(1, sizeof(*e))) == NULL ||
	    (e->name = strdup(name)) == NULL) {
		free(e);
		return NULL;
	}
	*owned_r = true;
	e->fail_result = INKAN_DKIM_PERMERROR;
	if (d->resolver == NULL) {
		e->fail_result = INKAN_DKIM_TEMPERROR;
		e->fail_reason = "no resolver to look the key up";
		return e;
	}
	if (*lookups >= d->lim.dkim_key_lookups_max) {
		e->fail_reason = "too many key lookups for one message";
		return e;
	}
	(*lookups)++;
	st = inkan_resolver_lookup(d->resolver, name, INKAN_DNS_TXT, &a);
	if (st == INKAN_ERR_INVAL) {
		e->fail_reason = "s= and d= do not make a valid DNS name";
		return e;
	}
	if (st != INKAN_OK) {
		e->fail_result = INKAN_DKIM_TEMPERROR;
		e->fail_reason = "the key lookup failed";
		return e;
	}
	switch (a->rcode) {
	case INKAN_DNS_NOERROR:
		if (entry_fill(d, e, a) != INKAN_OK) {
			inkan_dns_answer_free(&a);
			dkim_entry_free(e);
			return NULL;
		}
		ttl = a->ttl;
		break;
	case INKAN_DNS_NXDOMAIN:
	case INKAN_DNS_NODATA:
		/* RFC 6376 6.1.2: no key is PERMFAIL. */
		e->fail_reason =
		    "no key for the signature (NXDOMAIN or NODATA)";
		ttl = a->ttl;
		break;
	case INKAN_DNS_SERVFAIL:
		e->fail_result = INKAN_DKIM_TEMPERROR;
		e->fail_reason = "the key lookup failed (SERVFAIL)";
		break;
	case INKAN_DNS_TIMEOUT:
		e->fail_result = INKAN_DKIM_TEMPERROR;
		e->fail_reason = "the key lookup timed out";
		break;
	}
	inkan_dns_answer_free(&a);
	if (ttl > d->lim.dkim_key_cache_ttl_max)
		ttl = d->lim.dkim_key_cache_ttl_max;
	if (ttl > 0) {
		e->expires = now + (int64_t)ttl;
		if (cache_put(d, e, now))
			*owned_r = false;
	}
	return e;
}
