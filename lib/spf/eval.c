/*
 * eval.c: check_host() of RFC 7208 section 4: record lookup and
 * selection, the mechanisms, include and redirect, the limits of 4.6.4,
 * the explanation of 6.2, and the trace.
 *
 * Evaluation never recurses: include pushes a frame on an explicit stack
 * (at most limits->spf_depth_max deep; the 10-term limit of 4.6.4 keeps
 * real records far below it) and redirect replaces the current frame.
 * Each frame holds a reference to its parsed record, so cache evictions
 * during a check cannot free a record in use.
 *
 * A record found in the cache (cache.c) still counts toward the lookup
 * limit when an include or redirect uses it (4.6.4 counts terms, not
 * queries), but costs no DNS and no parsing.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spf/spf_impl.h"

/* ---- clock and small helpers ------------------------------------------ */

/*
 * Adds one trace step: fmt may contain %s only for text that is already
 * safe; untrusted views go through %V-free helpers (t_esc) by building the
 * line in parts: trace_begin(), trace_str()/trace_esc()/trace_fmt(),
 * trace_end().
 */
static void
trace_begin(struct inkan_spf *s, enum inkan_spf_step_kind kind)
{
	struct spf_frame *f = &s->frames[s->depth];
	struct spf_step *st;

	if (s->trace_oom)
		return;
	if (s->nsteps == s->steps_cap) {
		size_t cap = s->steps_cap ? s->steps_cap * 2 : 64;
		struct spf_step *n = NULL;

		if (cap <= SIZE_MAX / sizeof(*n))
			n = realloc(s->steps, cap * sizeof(*n));
		if (n == NULL) {
			s->trace_oom = true;
			return;
		}
		s->steps = n;
		s->steps_cap = cap;
	}
	st = &s->steps[s->nsteps++];
	st->kind = kind;
	st->depth = s->depth;
	st->domain_off = s->trace_text.len;
	/* Names can hold any byte (from the sender, via macros). */
	inkan_escape(f->domain, f->dlen, &s->trace_text);
	inkan_buf_append_byte(&s->trace_text, '\0');
	st->text_off = s->trace_text.len;
}

static void
trace_str(struct inkan_spf *s, const char *text)
{
	if (s->trace_oom)
		return;
	inkan_buf_append_cstr(&s->trace_text, text);
}

static void
trace_esc(struct inkan_spf *s, struct inkan_view v)
{
	if (s->trace_oom)
		return;
	inkan_escape(v.ptr, v.len, &s->trace_text);
}

static void trace_fmt(struct inkan_spf *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
trace_fmt(struct inkan_spf *s, const char *fmt, ...)
{
	va_list ap;

	if (s->trace_oom)
		return;
	va_start(ap, fmt);
	inkan_buf_vprintf(&s->trace_text, fmt, ap);
	va_end(ap);
}

static void
trace_end(struct inkan_spf *s)
{
	if (s->trace_oom)
		return;
	inkan_buf_append_byte(&s->trace_text, '\0');
	/* Past the text's maximum the trace ends here (its last line
	   possibly cut; the verdict adds a NUL after the text). */
	if (s->trace_text.err != INKAN_OK)
		s->trace_oom = true;
}

/* Sets the reason, unless one was set already (the first cause wins). */
void
spf_set_reason(struct inkan_spf *s, const char *fmt, ...)
{
	va_list ap;

	if (s->reason.len > 0)
		return;
	va_start(ap, fmt);
	inkan_buf_vprintf(&s->reason, fmt, ap);
	va_end(ap);
}

/* Appends an untrusted view to the reason, escaped. */
void
spf_reason_esc(struct inkan_spf *s, struct inkan_view v)
{
	size_t i;

	/* Most names and terms need no escaping: copy them at once. */
	for (i = 0; i < v.len; i++)
		if (v.ptr[i] < 0x20 || v.ptr[i] > 0x7e || v.ptr[i] == '\\')
			break;
	if (i == v.len)
		inkan_buf_append(&s->reason, v.ptr, v.len);
	else
		inkan_escape(v.ptr, v.len, &s->reason);
}

bool
spf_domain_valid(struct inkan_view name)
{
	size_t i, label = 0;
	bool dot = false;

	if (name.len > 0 && name.ptr[name.len - 1] == '.')
		name.len--;
	if (name.len == 0 || name.len > 253)
		return false;
	for (i = 0; i < name.len; i++) {
		if (name.ptr[i] == '.') {
			if (label == 0)
				return false;
			label = 0;
			dot = true;
		} else if (++label > INKAN_DNS_LABEL_MAX) {
			return false;
		}
	}
	if (!dot || label == 0)
		return false;
	/* RFC 7208 4.3, 7.1: a domain ends in a top label ("[192.0.2.1]"
	   and "example.123" are not domains). */
	return spf_toplabel_valid(
	    inkan_view_sub(name, name.len - label, label));
}

/* ---- DNS -------------------------------------------------------------- */

/*
 * Looks up name/type. Returns INKAN_OK with *a_r set (any rcode), or with
 * *a_r NULL when the name cannot be queried (RFC 7208 4.3, 4.8: treated as
 * a name that does not exist); INKAN_ERR_NOMEM.
 */
static enum inkan_status
lookup(struct inkan_spf *s, const char *name, enum inkan_dns_type type,
    struct inkan_dns_answer **a_r)
{
	enum inkan_status st;
	const char *tn = inkan_dns_type_to_name(type);

	*a_r = NULL;
	st = inkan_resolver_lookup(s->resolver, name, type, a_r);
	if (spf_tracing(s)) {
		trace_begin(s, INKAN_SPF_STEP_DNS);
		trace_fmt(s, "%s ", tn != NULL ? tn : "?");
		trace_esc(s, inkan_view_cstr(name));
		if (st == INKAN_OK)
			trace_fmt(s, ": %s, %zu record%s",
			    inkan_dns_rcode_to_name((*a_r)->rcode),
			    (*a_r)->count, (*a_r)->count == 1 ? "" : "s");
		else
			trace_fmt(s, ": not queried (%s)", inkan_strerror(st));
		trace_end(s);
	}
	if (st == INKAN_ERR_NOMEM)
		return st;
	if (st != INKAN_OK) {
		inkan_dns_answer_free(a_r);
		/* INKAN_ERR_DNS: the resolver could not run at all. */
		if (st == INKAN_ERR_DNS)
			return INKAN_ERR_DNS;
	}
	return INKAN_OK;
}

static bool
is_void(const struct inkan_dns_answer *a)
{
	return a == NULL || a->rcode == INKAN_DNS_NXDOMAIN ||
	    a->rcode == INKAN_DNS_NODATA ||
	    (a->rcode == INKAN_DNS_NOERROR && a->count == 0);
}

static bool
is_error(const struct inkan_dns_answer *a)
{
	return a != NULL &&
	    (a->rcode == INKAN_DNS_SERVFAIL || a->rcode == INKAN_DNS_TIMEOUT);
}

/*
 * Lowercase copy of v (no trailing dot) into buf[size]; false if too
 * long. With hash_r, also the hash the record cache keys names by,
 * computed in the same pass (a multiplicative hash of 8 bytes at a time).
 */
static bool
lower_name(struct inkan_view v, char *buf, size_t size, size_t *len_r,
    uint64_t *hash_r)
{
	uint64_t h, w;
	size_t i, k;

	if (v.len > 0 && v.ptr[v.len - 1] == '.')
		v.len--;
	if (v.len >= size)
		return false;
	h = 0x9e3779b97f4a7c15ull ^ v.len;
	/* Eight bytes at a time: a byte gets 0x20 added when it is in
	   'A'..'Z' (bit 7 clear, >= 0x41, <= 0x5a); no carry crosses bytes
	   since each 7-bit value plus 0x3f or 0x25 stays below 0x100. */
	for (i = 0; i + 8 <= v.len; i += 8) {
		uint64_t low, ge_a, gt_z;

		memcpy(&w, v.ptr + i, 8);
		low = w & 0x7f7f7f7f7f7f7f7full;
		ge_a = low + 0x3f3f3f3f3f3f3f3full;
		gt_z = low + 0x2525252525252525ull;
		w |= ((ge_a & ~gt_z & ~w) & 0x8080808080808080ull) >> 2;
		memcpy(buf + i, &w, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdull;
		h ^= h >> 32;
	}
	for (w = 0, k = 0; i < v.len; i++, k++) {
		buf[i] = (char)inkan_ascii_lower(v.ptr[i]);
		w |= (uint64_t)(uint8_t)buf[i] << (8 * k);
	}
	buf[v.len] = '\0';
	*len_r = v.len;
	if (hash_r != NULL) {
		h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
		*hash_r = h ^ (h >> 29);
	}
	return true;
}

/*
 * RFC 7208 4.4, 4.5: the SPF record of f->domain. On SPF_FETCH_RECORD f->rec
 * holds a reference. Sets the reason for the others.
 */
static enum inkan_status
fetch(struct inkan_spf *s, struct spf_frame *f, enum spf_fetch *r)
{
	struct inkan_dns_answer *a = NULL;
	struct spf_cache_entry *e;
	struct inkan_spf_record *rec = NULL;
	struct inkan_spf_error perr;
	uint64_t h = f->hash;
	size_t i, found = 0, which = 0;
	uint32_t ttl;
	enum inkan_status st;

	if ((e = spf_cache_find(s, f->domain, f->dlen, h)) != NULL) {
		*r = e->kind;
		if (e->kind == SPF_FETCH_RECORD) {
			spf_record_ref(e->rec);
			f->rec = e->rec;
		} else if (e->kind == SPF_FETCH_PERMERROR) {
			spf_set_reason(s, "%s", e->why);
		}
		if (spf_tracing(s)) {
			trace_begin(s, INKAN_SPF_STEP_RECORD);
			if (e->kind == SPF_FETCH_RECORD) {
				trace_str(s, "cached record: ");
				trace_esc(s,
				    inkan_view_make(e->rec->text, e->rec->len));
			} else if (e->kind == SPF_FETCH_NONE) {
				trace_str(s, "cached: no SPF record");
			} else {
				trace_str(s, "cached: ");
				trace_str(s, e->why);
			}
			trace_end(s);
		}
		if (e->kind == SPF_FETCH_NONE)
			goto none_reason;
		return INKAN_OK;
	}
	/* RFC 7208 4.3: a malformed domain gives none. Only valid names
	   are ever cached, so this is needed on a miss only. */
	if (!spf_domain_valid(inkan_view_make(f->domain, f->dlen))) {
		spf_set_reason(s, "\"");
		spf_reason_esc(s, inkan_view_make(f->domain, f->dlen));
		inkan_buf_append_cstr(
		    &s->reason, "\" is not a valid domain name");
		*r = SPF_FETCH_NONE;
		return INKAN_OK;
	}
	if ((st = lookup(s, f->domain, INKAN_DNS_TXT, &a)) != INKAN_OK) {
		if (st != INKAN_ERR_DNS)
			goto out;
		*r = SPF_FETCH_TEMPERROR;
		spf_set_reason(s, "the resolver failed");
		st = INKAN_OK;
		goto out;
	}
	if (a == NULL || a->rcode == INKAN_DNS_NXDOMAIN ||
	    a->rcode == INKAN_DNS_NODATA) {
		/* RFC 7208 4.4: NXDOMAIN (or no TXT at all) is none. */
		ttl =
		    a != NULL && a->ttl != 0 && a->ttl < s->lim.spf_negative_ttl
		    ? a->ttl
		    : s->lim.spf_negative_ttl;
		if (a != NULL)
			spf_cache_put(s, f->domain, f->dlen, h, ttl,
			    SPF_FETCH_NONE, NULL, NULL);
		*r = SPF_FETCH_NONE;
		goto none;
	}
	if (a->rcode != INKAN_DNS_NOERROR) {
		/* RFC 7208 4.4: a server failure or timeout: temperror. */
		*r = SPF_FETCH_TEMPERROR;
		spf_set_reason(s, "the TXT lookup for ");
		spf_reason_esc(s, inkan_view_make(f->domain, f->dlen));
		inkan_buf_printf(&s->reason, " failed (%s)",
		    inkan_dns_rcode_to_name(a->rcode));
		goto out;
	}
	/* RFC 7208 4.5: keep the records that begin "v=spf1" followed by
	   SP or the end; SPF-type records are never asked for. */
	for (i = 0; i < a->count; i++) {
		const struct inkan_dns_record *rr = &a->records[i];
		uint8_t head[7];
		size_t n = 0, k;

		if (rr->type != INKAN_DNS_TXT || rr->is_raw)
			continue;
		for (k = 0; k < rr->u.txt.count && n < sizeof(head); k++) {
			size_t take = rr->u.txt.strings[k].len;

			if (take > sizeof(head) - n)
				take = sizeof(head) - n;
			memcpy(head + n, rr->u.txt.strings[k].data, take);
			n += take;
		}
		if (n < 6 ||
		    !inkan_view_prefix_nocase(
			inkan_view_make(head, n), INKAN_VIEW_LIT("v=spf1")) ||
		    (n == 7 && head[6] != ' '))
			continue;
		found++;
		which = i;
	}
	ttl = a->ttl;
	if (found == 0) {
		spf_cache_put(s, f->domain, f->dlen, h,
		    ttl != 0 && ttl < s->lim.spf_negative_ttl
			? ttl
			: s->lim.spf_negative_ttl,
		    SPF_FETCH_NONE, NULL, NULL);
		*r = SPF_FETCH_NONE;
		goto none;
	}
	if (found > 1) {
		/* RFC 7208 4.5: more than one record is a permerror. */
		*r = SPF_FETCH_PERMERROR;
		inkan_buf_reset(&s->txt);
		inkan_buf_printf(&s->txt, "%zu SPF records at ", found);
		inkan_escape(f->domain, f->dlen, &s->txt);
		spf_set_reason(s, "%s", inkan_buf_cstr(&s->txt));
		spf_cache_put(s, f->domain, f->dlen, h, ttl,
		    SPF_FETCH_PERMERROR, NULL, inkan_buf_cstr(&s->txt));
		if (spf_tracing(s)) {
			trace_begin(s, INKAN_SPF_STEP_RECORD);
			trace_str(s, inkan_buf_cstr(&s->txt));
			trace_end(s);
		}
		goto out;
	}
	inkan_buf_reset(&s->txt);
	st = inkan_dns_txt_join(&a->records[which], &s->txt);
	if (st == INKAN_OK)
		st = inkan_spf_record_parse(
		    s->txt.data, s->txt.len, &s->lim, &rec, &perr);
	else
		snprintf(perr.message, sizeof(perr.message),
		    "record longer than %zu bytes", s->lim.spf_record_max);
	if (spf_tracing(s)) {
		trace_begin(s, INKAN_SPF_STEP_RECORD);
		trace_esc(s, inkan_buf_view(&s->txt));
		trace_end(s);
	}
	if (st == INKAN_ERR_NOMEM)
		goto out;
	if (st != INKAN_OK) {
		/* RFC 7208 4.6: a syntax error anywhere is a permerror. */
		*r = SPF_FETCH_PERMERROR;
		inkan_buf_reset(&s->txt);
		inkan_buf_append_cstr(&s->txt, "the SPF record of ");
		inkan_escape(f->domain, f->dlen, &s->txt);
		inkan_buf_printf(&s->txt, " is invalid at offset %zu: %s",
		    perr.offset, perr.message);
		spf_set_reason(s, "%s", inkan_buf_cstr(&s->txt));
		spf_cache_put(s, f->domain, f->dlen, h, ttl,
		    SPF_FETCH_PERMERROR, NULL, inkan_buf_cstr(&s->txt));
		if (spf_tracing(s)) {
			trace_begin(s, INKAN_SPF_STEP_RECORD);
			trace_str(s, inkan_buf_cstr(&s->txt));
			trace_end(s);
		}
		st = INKAN_OK;
		goto out;
	}
	spf_cache_put(
	    s, f->domain, f->dlen, h, ttl, SPF_FETCH_RECORD, rec, NULL);
	f->rec = rec;
	*r = SPF_FETCH_RECORD;
	st = INKAN_OK;
	goto out;
none:
	if (spf_tracing(s)) {
		trace_begin(s, INKAN_SPF_STEP_RECORD);
		trace_str(s, "no SPF record");
		trace_end(s);
	}
none_reason:
	if (s->reason.len == 0) {
		struct inkan_view d = inkan_view_make(f->domain, f->dlen);

		/* RFC 7208 5.2, 6.1: below the top, none is a permerror. */
		if (f->redirected || s->depth > 0) {
			inkan_buf_append_cstr(&s->reason,
			    f->redirected ? "the redirect= target "
					  : "the include: target ");
			spf_reason_esc(s, d);
			inkan_buf_append_cstr(&s->reason, " has no SPF record");
		} else {
			inkan_buf_append_cstr(&s->reason, "no SPF record at ");
			spf_reason_esc(s, d);
		}
	}
	st = INKAN_OK;
out:
	inkan_dns_answer_free(&a);
	return st;
}

/* ---- macros ------------------------------------------------------------ */

/* Does name end in domain (equal, or a subdomain), case-insensitively? */
static bool
name_within(struct inkan_view name, struct inkan_view domain)
{
	if (name.len > 0 && name.ptr[name.len - 1] == '.')
		name.len--;
	if (domain.len > 0 && domain.ptr[domain.len - 1] == '.')
		domain.len--;
	if (name.len < domain.len || domain.len == 0)
		return false;
	if (!inkan_view_eq_nocase(
		inkan_view_sub(name, name.len - domain.len, domain.len),
		domain))
		return false;
	return name.len == domain.len ||
	    name.ptr[name.len - domain.len - 1] == '.';
}

/* Does the A/AAAA answer hold the client address (within prefix bits)? */
static bool
answer_has_ip(const struct inkan_spf *s, const struct inkan_dns_answer *a,
    unsigned prefix)
{
	size_t i;
	enum inkan_dns_type want =
	    s->ip->family == AF_INET6 ? INKAN_DNS_AAAA : INKAN_DNS_A;

	if (a == NULL || a->rcode != INKAN_DNS_NOERROR)
		return false;
	for (i = 0; i < a->count; i++) {
		const uint8_t *p = a->records[i].u.addr;
		size_t full = prefix / 8, rest = prefix % 8;

		if (a->records[i].type != want || a->records[i].is_raw)
			continue;
		if (memcmp(p, s->ip->addr, full) != 0)
			continue;
		if (rest != 0 &&
		    ((p[full] ^ s->ip->addr[full]) &
			(uint8_t)(0xff00u >> rest)) != 0)
			continue;
		return true;
	}
	return false;
}

/* Is name's A or AAAA (the client's family) the client address? */
static enum inkan_status
validate_name(struct inkan_spf *s, const char *name, bool *ok_r)
{
	struct inkan_dns_answer *a = NULL;
	enum inkan_status st;

	*ok_r = false;
	st = lookup(s, name,
	    s->ip->family == AF_INET6 ? INKAN_DNS_AAAA : INKAN_DNS_A, &a);
	if (st == INKAN_OK)
		*ok_r =
		    answer_has_ip(s, a, s->ip->family == AF_INET6 ? 128 : 32);
	inkan_dns_answer_free(&a);
	return st == INKAN_ERR_DNS ? INKAN_OK : st;
}

/*
 * RFC 7208 7.3 %{p}: a validated name of the client address, preferring
 * the current domain, then a subdomain of it, then any; "unknown" if
 * none. At most spf_ptr_names_max names are validated. Computed once per
 * check.
 */
static enum inkan_status
ptr_name(void *arg, struct inkan_view *name_r)
{
	struct inkan_spf *s = arg;
	struct spf_frame *f = &s->frames[s->depth];
	struct inkan_view dom = inkan_view_make(f->domain, f->dlen);
	struct inkan_dns_answer *a = NULL;
	char rev[80];
	size_t i, n = 0, blen;
	int best = 0;
	enum inkan_status st = INKAN_OK;

	if (s->ptr_done)
		goto out;
	memcpy(s->ptr_name, "unknown", sizeof("unknown"));
	spf_ip_reverse_name(s->ip, rev, sizeof(rev));
	if ((st = lookup(s, rev, INKAN_DNS_PTR, &a)) != INKAN_OK)
		goto done;
	if (a == NULL || a->rcode != INKAN_DNS_NOERROR)
		goto done;
	for (i = 0; i < a->count && n < s->lim.spf_ptr_names_max; i++) {
		const struct inkan_dns_record *rr = &a->records[i];
		struct inkan_view name;
		bool ok;
		int score;

		if (rr->type != INKAN_DNS_PTR || rr->is_raw)
			continue;
		n++;
		name = inkan_view_cstr(rr->u.target);
		score = inkan_view_eq_nocase(name, dom) ? 3
		    : name_within(name, dom)            ? 2
							: 1;
		if (score <= best)
			continue;
		if ((st = validate_name(s, rr->u.target, &ok)) != INKAN_OK)
			goto done;
		if (!ok ||
		    !lower_name(
			name, s->ptr_name, sizeof(s->ptr_name), &blen, NULL))
			continue;
		best = score;
		if (best == 3)
			break;
	}
done:
	inkan_dns_answer_free(&a);
	s->ptr_done = true;
	if (st == INKAN_ERR_DNS)
		st = INKAN_OK;
out:
	*name_r = inkan_view_cstr(s->ptr_name);
	return st;
}

static void
macro_env(
    struct inkan_spf *s, const struct spf_frame *f, struct spf_macro_env *env)
{
	env->ip = s->ip;
	env->sender = s->sender;
	env->local = s->local;
	env->sender_domain = s->sender_domain;
	env->domain = inkan_view_make(f->domain, f->dlen);
	env->helo = s->helo;
	env->receiver = s->receiver;
	env->now = s->now;
	env->ptr_name = ptr_name;
	env->arg = s;
}

/*
 * Expands the domain-spec rec->text[off..off+len) (or takes the current
 * domain when len is 0) into s->name. Returns INKAN_OK; INKAN_ERR_SYNTAX
 * or INKAN_ERR_LIMIT (permerror, reason set); INKAN_ERR_NOMEM.
 */
static enum inkan_status
target_name(struct inkan_spf *s, const struct spf_frame *f, uint32_t off,
    uint32_t len, bool macro)
{
	struct spf_macro_env env;
	struct inkan_view spec = spf_term_view(f->rec, off, len);
	enum inkan_status st;

	inkan_buf_reset(&s->name);
	if (len == 0)
		return inkan_buf_append(&s->name, f->domain, f->dlen);
	if (!macro) {
		if (spec.ptr[spec.len - 1] == '.')
			spec.len--;
		st = inkan_buf_append_view(&s->name, spec);
	} else {
		macro_env(s, f, &env);
		st = spf_macro_expand(&env, spec, SPF_MACRO_DOMAIN, &s->name);
	}
	if (st == INKAN_ERR_LIMIT || st == INKAN_ERR_SYNTAX) {
		spf_set_reason(s, "the expansion of ");
		spf_reason_esc(s, spec);
		inkan_buf_printf(&s->reason, " failed (%s)",
		    st == INKAN_ERR_LIMIT ? "too long" : "bad macro");
	}
	return st;
}

/* ---- mechanisms ------------------------------------------------------- */

enum term_outcome {
	T_NOMATCH,
	T_MATCH,
	T_INCLUDE, /* push a frame for s->name */
	T_ERROR, /* *res_r holds temperror or permerror; reason set */
};

/* RFC 7208 4.6.4: counts one DNS-querying term; false past the limit. */
static bool
count_term(struct inkan_spf *s, struct inkan_view term)
{
	if (++s->dns_terms <= s->lim.spf_dns_terms_max)
		return true;
	spf_set_reason(s,
	    "more than %u DNS-querying terms (RFC 7208 4.6.4) at ",
	    s->lim.spf_dns_terms_max);
	spf_reason_esc(s, term);
	if (spf_tracing(s)) {
		trace_begin(s, INKAN_SPF_STEP_LIMIT);
		trace_fmt(s, "more than %u DNS-querying terms at ",
		    s->lim.spf_dns_terms_max);
		trace_esc(s, term);
		trace_end(s);
	}
	return false;
}

/* RFC 7208 4.6.4: counts a void lookup; false past the limit. */
static bool
count_void(struct inkan_spf *s, struct inkan_view term)
{
	if (++s->voids <= s->lim.spf_void_max)
		return true;
	spf_set_reason(s, "more than %u void lookups (RFC 7208 4.6.4) at ",
	    s->lim.spf_void_max);
	spf_reason_esc(s, term);
	if (spf_tracing(s)) {
		trace_begin(s, INKAN_SPF_STEP_LIMIT);
		trace_fmt(
		    s, "more than %u void lookups at ", s->lim.spf_void_max);
		trace_esc(s, term);
		trace_end(s);
	}
	return false;
}

/* A DNS failure inside a mechanism: temperror (RFC 7208 5). */
static enum term_outcome
dns_failed(struct inkan_spf *s, struct inkan_view term, const char *name,
    const struct inkan_dns_answer *a, enum inkan_spf_result *res_r)
{
	spf_set_reason(s, "a DNS lookup of ");
	spf_reason_esc(s, inkan_view_cstr(name));
	inkan_buf_printf(&s->reason, " for ");
	spf_reason_esc(s, term);
	inkan_buf_printf(&s->reason, " failed (%s)",
	    a != NULL ? inkan_dns_rcode_to_name(a->rcode) : "resolver error");
	*res_r = INKAN_SPF_TEMPERROR;
	return T_ERROR;
}

static enum inkan_status
eval_mx(struct inkan_spf *s, const struct spf_term *t, struct inkan_view tv,
    enum term_outcome *out_r, enum inkan_spf_result *res_r)
{
	struct inkan_dns_answer *mx = NULL, *a = NULL;
	enum inkan_dns_type type =
	    s->ip->family == AF_INET6 ? INKAN_DNS_AAAA : INKAN_DNS_A;
	unsigned prefix = s->ip->family == AF_INET6 ? t->cidr6 : t->cidr4;
	size_t i, n = 0;
	enum inkan_status st;

	*out_r = T_NOMATCH;
	if ((st = lookup(s, inkan_buf_cstr(&s->name), INKAN_DNS_MX, &mx)) !=
	    INKAN_OK) {
		if (st == INKAN_ERR_DNS) {
			*out_r = dns_failed(
			    s, tv, inkan_buf_cstr(&s->name), NULL, res_r);
			st = INKAN_OK;
		}
		goto out;
	}
	if (is_error(mx)) {
		*out_r = dns_failed(s, tv, inkan_buf_cstr(&s->name), mx, res_r);
		goto out;
	}
	if (is_void(mx)) {
		if (!count_void(s, tv)) {
			*res_r = INKAN_SPF_PERMERROR;
			*out_r = T_ERROR;
		}
		goto out;
	}
	/* RFC 7208 4.6.4: more than 10 MX names is a permerror. */
	for (i = 0; i < mx->count; i++)
		if (mx->records[i].type == INKAN_DNS_MX &&
		    !mx->records[i].is_raw)
			n++;
	if (n > s->lim.spf_mx_names_max) {
		spf_set_reason(s, "more than %u MX names (RFC 7208 4.6.4) for ",
		    s->lim.spf_mx_names_max);
		spf_reason_esc(s, tv);
		if (spf_tracing(s)) {
			trace_begin(s, INKAN_SPF_STEP_LIMIT);
			trace_fmt(s, "%zu MX names, more than %u", n,
			    s->lim.spf_mx_names_max);
			trace_end(s);
		}
		*res_r = INKAN_SPF_PERMERROR;
		*out_r = T_ERROR;
		goto out;
	}
	for (i = 0; i < mx->count; i++) {
		const struct inkan_dns_record *rr = &mx->records[i];

		if (rr->type != INKAN_DNS_MX || rr->is_raw ||
		    strcmp(rr->u.mx.exchange, ".") == 0)
			continue; /* RFC 7505 null MX: no host */
		if ((st = lookup(s, rr->u.mx.exchange, type, &a)) != INKAN_OK) {
			if (st != INKAN_ERR_DNS)
				goto out;
			*out_r =
			    dns_failed(s, tv, rr->u.mx.exchange, NULL, res_r);
			st = INKAN_OK;
			goto out;
		}
		if (is_error(a)) {
			*out_r = dns_failed(s, tv, rr->u.mx.exchange, a, res_r);
			goto out;
		}
		if (answer_has_ip(s, a, prefix)) {
			*out_r = T_MATCH;
			goto out;
		}
		inkan_dns_answer_free(&a);
	}
out:
	inkan_dns_answer_free(&a);
	inkan_dns_answer_free(&mx);
	return st;
}

/*
 * RFC 7208 5.5 ptr: of the first spf_ptr_names_max names of the client
 * address, the ones within the target are validated (forward lookup back
 * to the address); any valid one matches. A DNS error on the PTR lookup
 * is no match; names whose forward lookup fails are skipped.
 */
static enum inkan_status
eval_ptr(struct inkan_spf *s, struct inkan_view tv, enum term_outcome *out_r,
    enum inkan_spf_result *res_r)
{
	struct inkan_dns_answer *a = NULL;
	struct inkan_view target = inkan_buf_view(&s->name);
	char rev[80];
	size_t i, n = 0;
	enum inkan_status st;

	*out_r = T_NOMATCH;
	spf_ip_reverse_name(s->ip, rev, sizeof(rev));
	if ((st = lookup(s, rev, INKAN_DNS_PTR, &a)) != INKAN_OK) {
		st = st == INKAN_ERR_DNS ? INKAN_OK : st;
		goto out;
	}
	if (is_void(a)) {
		if (!count_void(s, tv)) {
			*res_r = INKAN_SPF_PERMERROR;
			*out_r = T_ERROR;
		}
		goto out;
	}
	if (a->rcode != INKAN_DNS_NOERROR)
		goto out;
	for (i = 0; i < a->count && n < s->lim.spf_ptr_names_max; i++) {
		const struct inkan_dns_record *rr = &a->records[i];
		bool ok;

		if (rr->type != INKAN_DNS_PTR || rr->is_raw)
			continue;
		n++;
		if (!name_within(inkan_view_cstr(rr->u.target), target))
			continue;
		if ((st = validate_name(s, rr->u.target, &ok)) != INKAN_OK)
			goto out;
		if (ok) {
			*out_r = T_MATCH;
			goto out;
		}
	}
out:
	inkan_dns_answer_free(&a);
	return st;
}

/* One mechanism of frame f. */
static enum inkan_status
eval_term(struct inkan_spf *s, struct spf_frame *f, const struct spf_term *t,
    enum term_outcome *out_r, enum inkan_spf_result *res_r)
{
	struct inkan_view tv = spf_term_view(f->rec, t->off, t->len);
	struct inkan_dns_answer *a = NULL;
	const char *name;
	bool v6 = s->ip->family == AF_INET6;
	enum inkan_status st = INKAN_OK;

	*out_r = T_NOMATCH;
	switch ((enum spf_mech)t->mech) {
	case SPF_MECH_ALL:
		*out_r = T_MATCH;
		return INKAN_OK;
	case SPF_MECH_IP4:
	case SPF_MECH_IP6: {
		/* RFC 7208 5.6: an address only matches its own family. */
		unsigned prefix = v6 ? t->cidr6 : t->cidr4;
		size_t full = prefix / 8, rest = prefix % 8;

		if (v6 != (t->mech == SPF_MECH_IP6))
			return INKAN_OK;
		if (memcmp(t->net, s->ip->addr, full) != 0)
			return INKAN_OK;
		if (rest != 0 &&
		    ((t->net[full] ^ s->ip->addr[full]) &
			(uint8_t)(0xff00u >> rest)) != 0)
			return INKAN_OK;
		*out_r = T_MATCH;
		return INKAN_OK;
	}
	case SPF_MECH_INCLUDE:
	case SPF_MECH_A:
	case SPF_MECH_MX:
	case SPF_MECH_PTR:
	case SPF_MECH_EXISTS:
		break;
	}
	if (!count_term(s, tv)) {
		*res_r = INKAN_SPF_PERMERROR;
		*out_r = T_ERROR;
		return INKAN_OK;
	}
	st = target_name(s, f, (t->flags & SPF_TERM_DOMAIN) ? t->dom_off : 0,
	    (t->flags & SPF_TERM_DOMAIN) ? t->dom_len : 0,
	    (t->flags & SPF_TERM_MACRO) != 0);
	if (st == INKAN_ERR_SYNTAX || st == INKAN_ERR_LIMIT) {
		*res_r = INKAN_SPF_PERMERROR;
		*out_r = T_ERROR;
		return INKAN_OK;
	}
	if (st != INKAN_OK)
		return st;
	name = inkan_buf_cstr(&s->name);
	switch ((enum spf_mech)t->mech) {
	case SPF_MECH_INCLUDE:
		*out_r = T_INCLUDE;
		return INKAN_OK;
	case SPF_MECH_MX:
		return eval_mx(s, t, tv, out_r, res_r);
	case SPF_MECH_PTR:
		return eval_ptr(s, tv, out_r, res_r);
	case SPF_MECH_A:
	case SPF_MECH_EXISTS:
		break;
	default:
		return INKAN_ERR_INTERNAL;
	}
	/* RFC 7208 5.7: exists looks up A whatever the client's family. */
	st = lookup(s, name,
	    t->mech == SPF_MECH_A && v6 ? INKAN_DNS_AAAA : INKAN_DNS_A, &a);
	if (st == INKAN_ERR_DNS) {
		*out_r = dns_failed(s, tv, name, NULL, res_r);
		return INKAN_OK;
	}
	if (st != INKAN_OK)
		return st;
	if (is_error(a)) {
		*out_r = dns_failed(s, tv, name, a, res_r);
	} else if (a == NULL) {
		/* A name that cannot be queried (RFC 7208 4.8: treated as
		   not existing); not a lookup, so not void either. */
	} else if (is_void(a)) {
		if (!count_void(s, tv)) {
			*res_r = INKAN_SPF_PERMERROR;
			*out_r = T_ERROR;
		}
	} else if (t->mech == SPF_MECH_EXISTS) {
		*out_r = T_MATCH;
	} else if (answer_has_ip(s, a, v6 ? t->cidr6 : t->cidr4)) {
		*out_r = T_MATCH;
	}
	inkan_dns_answer_free(&a);
	return INKAN_OK;
}

/* ---- check_host() ------------------------------------------------------ */

void
spf_frame_release(struct spf_frame *f)
{
	inkan_spf_record_free(&f->rec);
}

/* Sets up frame f for domain name (lowercased, trailing dot dropped). */
bool
spf_frame_set(struct spf_frame *f, struct inkan_view name, bool redirected)
{
	spf_frame_release(f);
	f->next = 0;
	f->redirected = redirected;
	return lower_name(
	    name, f->domain, sizeof(f->domain), &f->dlen, &f->hash);
}

static void
trace_term(struct inkan_spf *s, const struct spf_frame *f,
    const struct spf_term *t, enum term_outcome out)
{
	trace_begin(s, INKAN_SPF_STEP_TERM);
	trace_esc(s, spf_term_view(f->rec, t->off, t->len));
	switch (out) {
	case T_MATCH:
		trace_str(s, ": match");
		break;
	case T_NOMATCH:
		trace_str(s, ": no match");
		break;
	case T_INCLUDE:
		trace_str(s, ": evaluating ");
		trace_esc(s, inkan_buf_view(&s->name));
		break;
	case T_ERROR:
		trace_str(s, ": error");
		break;
	}
	trace_end(s);
}

static void
trace_result(struct inkan_spf *s, enum inkan_spf_result r)
{
	trace_begin(s, INKAN_SPF_STEP_RESULT);
	trace_fmt(s, "check_host() = %s", inkan_spf_result_name(r));
	trace_end(s);
}

/*
 * RFC 7208 4: check_host() for the domain in frames[0] (already set).
 * Returns the result in *res_r; INKAN_ERR_NOMEM.
 */
enum inkan_status
spf_check_host(struct inkan_spf *s, enum inkan_spf_result *res_r)
{
	struct spf_frame *f;
	const struct spf_term *t = NULL;
	enum inkan_spf_result res = INKAN_SPF_NEUTRAL;
	enum term_outcome out;
	enum spf_fetch fr;
	enum inkan_status st = INKAN_OK;

	s->depth = 0;
	for (;;) {
		f = &s->frames[s->depth];
		t = NULL;
		if (f->rec == NULL) {
			if ((st = fetch(s, f, &fr)) != INKAN_OK)
				goto out;
			if (fr != SPF_FETCH_RECORD) {
				res = fr == SPF_FETCH_TEMPERROR
				    ? INKAN_SPF_TEMPERROR
				    : fr == SPF_FETCH_PERMERROR
				    ? INKAN_SPF_PERMERROR
				    : INKAN_SPF_NONE;
				/* RFC 7208 5.2, 6.1: none below the top
				   (include, redirect) is a permerror. */
				if (res == INKAN_SPF_NONE &&
				    (s->depth > 0 || f->redirected))
					res = INKAN_SPF_PERMERROR;
				goto frame_done;
			}
		}
		while (f->next < f->rec->nterms) {
			t = &f->rec->terms[f->next++];
			if ((st = eval_term(s, f, t, &out, &res)) != INKAN_OK)
				goto out;
			if (spf_tracing(s))
				trace_term(s, f, t, out);
			if (out == T_NOMATCH)
				continue;
			if (out == T_ERROR)
				goto frame_done;
			if (out == T_MATCH) {
				res = (enum inkan_spf_result)t->result;
				goto frame_done;
			}
			/* include: a new level. */
			if (s->depth + 1 > s->lim.spf_depth_max) {
				spf_set_reason(s,
				    "includes nested deeper than %zu",
				    s->lim.spf_depth_max);
				res = INKAN_SPF_PERMERROR;
				goto frame_done;
			}
			s->depth++;
			if (s->depth > s->deepest)
				s->deepest = s->depth;
			if (!spf_frame_set(&s->frames[s->depth],
				inkan_buf_view(&s->name), false))
				s->frames[s->depth].dlen = 0;
			break;
		}
		if (f != &s->frames[s->depth])
			continue; /* evaluate the included record */
		t = NULL;
		if (f->rec->redirect.present) {
			/* RFC 7208 6.1: no mechanism matched, so redirect. */
			const struct spf_modifier *m = &f->rec->redirect;
			struct inkan_view mv =
			    spf_term_view(f->rec, m->off, m->len);

			if (!count_term(s, mv)) {
				res = INKAN_SPF_PERMERROR;
				goto frame_done;
			}
			st =
			    target_name(s, f, m->dom_off, m->dom_len, m->macro);
			if (st == INKAN_ERR_SYNTAX || st == INKAN_ERR_LIMIT) {
				res = INKAN_SPF_PERMERROR;
				st = INKAN_OK;
				goto frame_done;
			}
			if (st != INKAN_OK)
				goto out;
			if (spf_tracing(s)) {
				trace_begin(s, INKAN_SPF_STEP_TERM);
				trace_esc(s, mv);
				trace_str(s, ": redirecting to ");
				trace_esc(s, inkan_buf_view(&s->name));
				trace_end(s);
			}
			if (s->depth == 0) {
				s->mech_rec = NULL;
				s->mech_term = NULL;
			}
			if (!spf_frame_set(f, inkan_buf_view(&s->name), true))
				f->dlen = 0;
			continue;
		}
		/* RFC 7208 4.7: nothing matched: neutral. */
		res = INKAN_SPF_NEUTRAL;
frame_done:
		for (;;) {
			if (spf_tracing(s))
				trace_result(s, res);
			if (s->depth == 0) {
				if (t != NULL) {
					s->mech_rec = f->rec;
					s->mech_term = t;
				}
				goto out;
			}
			spf_frame_release(f);
			s->depth--;
			f = &s->frames[s->depth];
			t = &f->rec->terms[f->next - 1];
			/* RFC 7208 5.2: what an included result means. */
			if (res == INKAN_SPF_PASS) {
				res = (enum inkan_spf_result)t->result;
				continue;
			}
			if (res == INKAN_SPF_TEMPERROR)
				continue;
			if (res == INKAN_SPF_PERMERROR ||
			    res == INKAN_SPF_NONE) {
				res = INKAN_SPF_PERMERROR;
				continue;
			}
			break; /* fail, softfail, neutral: no match */
		}
	}
out:
	*res_r = res;
	return st;
}

/* ---- explanation ------------------------------------------------------- */

/* RFC 7208 6.2: keeps only printable ASCII of s->exp from start on. */
static void
exp_printable(struct inkan_buf *b, size_t start)
{
	size_t i, o = start;

	for (i = start; i < b->len; i++)
		if (b->data[i] >= 0x20 && b->data[i] <= 0x7e)
			b->data[o++] = b->data[i];
	inkan_buf_truncate(b, o);
}

/*
 * RFC 7208 6.2: the explanation of a fail, from the exp= of the top-level
 * record (after redirects) or the default. Errors of any kind give the
 * default. The exp= lookup does not count toward the limits (4.6.4).
 */
enum inkan_status
spf_explain(struct inkan_spf *s)
{
	struct spf_frame *f = &s->frames[0];
	struct spf_macro_env env;
	struct inkan_dns_answer *a = NULL;
	const struct spf_modifier *m;
	bool macro;
	size_t bad;
	const char *why;
	char ip[64];
	enum inkan_status st = INKAN_OK;

	inkan_buf_reset(&s->exp);
	macro_env(s, f, &env);
	if (f->rec == NULL || !f->rec->exp.present)
		goto dflt;
	m = &f->rec->exp;
	st = target_name(s, f, m->dom_off, m->dom_len, m->macro);
	if (st == INKAN_ERR_NOMEM)
		goto out;
	if (st != INKAN_OK || !spf_domain_valid(inkan_buf_view(&s->name)))
		goto dflt;
	if ((st = lookup(s, inkan_buf_cstr(&s->name), INKAN_DNS_TXT, &a)) !=
	    INKAN_OK) {
		if (st == INKAN_ERR_NOMEM)
			goto out;
		goto dflt;
	}
	if (a == NULL || a->rcode != INKAN_DNS_NOERROR || a->count != 1 ||
	    a->records[0].type != INKAN_DNS_TXT || a->records[0].is_raw)
		goto dflt;
	inkan_buf_reset(&s->txt);
	if (inkan_dns_txt_join(&a->records[0], &s->txt) != INKAN_OK)
		goto dflt;
	if (!spf_macro_check(
		inkan_buf_view(&s->txt), SPF_MACRO_EXP, &macro, &bad, &why))
		goto dflt;
	st = spf_macro_expand(
	    &env, inkan_buf_view(&s->txt), SPF_MACRO_EXP, &s->exp);
	if (st == INKAN_ERR_NOMEM)
		goto out;
	if (st == INKAN_OK) {
		exp_printable(&s->exp, 0);
		goto out;
	}
dflt:
	/* The default: "%{c} is not one of %{d}'s designated mail
	   servers.", written directly (it is on every fail's path). */
	inkan_buf_reset(&s->exp);
	spf_ip_text(s->ip, ip, sizeof(ip));
	inkan_buf_append_cstr(&s->exp, ip);
	inkan_buf_append_cstr(&s->exp, " is not one of ");
	inkan_buf_append(&s->exp, f->domain, f->dlen);
	inkan_buf_append_cstr(&s->exp, "'s designated mail servers.");
	exp_printable(&s->exp, 0);
	st = s->exp.err;
out:
	inkan_dns_answer_free(&a);
	return st == INKAN_ERR_NOMEM ? st : INKAN_OK;
}
