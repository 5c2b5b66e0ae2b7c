/*
 * check.c: the evaluation context and the entry points: inkan_spf_new(),
 * the checks of RFC 7208 2.3 and 2.4 (identities, the null reverse-path,
 * the sender's local part), and the verdict, built in one allocation from
 * the context's buffers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "spf/spf_impl.h"

/* The trace text of one check: far more than 10 terms and their lookups
   can write, small enough never to matter. */
#define SPF_TRACE_TEXT_MAX ((size_t)16 << 20)

/* Joined TXT strings (a record, an explanation): a TXT record fits in one
   64 KB DNS message. */
#define SPF_TXT_MAX 65536

/* The verdict's reason, one sentence. */
#define SPF_REASON_MAX 1024

static int64_t
now_of(struct inkan_spf *s)
{
	if (s->clock != NULL)
		return s->clock(s->clock_arg);
	return (int64_t)time(NULL);
}

/* ---- context ------------------------------------------------------------ */

enum inkan_status
inkan_spf_new(struct inkan_resolver *resolver,
    const struct inkan_limits *limits, struct inkan_spf **spf_r)
{
	struct inkan_spf *s;

	if (spf_r == NULL)
		return INKAN_ERR_INVAL;
	*spf_r = NULL;
	if (resolver == NULL)
		return INKAN_ERR_INVAL;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return INKAN_ERR_NOMEM;
	s->resolver = resolver;
	s->lim = limits != NULL ? *limits : *inkan_limits_defaults();
	if (s->lim.spf_depth_max == 0)
		s->lim.spf_depth_max = 1;
	if (s->lim.spf_depth_max > 1024)
		s->lim.spf_depth_max = 1024;
	s->frames = calloc(s->lim.spf_depth_max + 1, sizeof(*s->frames));
	if (s->frames == NULL || spf_cache_init(s) != INKAN_OK) {
		free(s->frames);
		free(s);
		return INKAN_ERR_NOMEM;
	}
	inkan_buf_init(&s->name, s->lim.spf_expansion_max);
	inkan_buf_init(&s->txt,
	    s->lim.spf_record_max > SPF_TXT_MAX ? s->lim.spf_record_max
						: SPF_TXT_MAX);
	inkan_buf_init(&s->exp, s->lim.spf_expansion_max);
	inkan_buf_init(&s->reason, SPF_REASON_MAX);
	inkan_buf_init(&s->trace_text, SPF_TRACE_TEXT_MAX);
	*spf_r = s;
	return INKAN_OK;
}

void
inkan_spf_free(struct inkan_spf **spf)
{
	struct inkan_spf *s;
	size_t i;

	if (spf == NULL || (s = *spf) == NULL)
		return;
	ttl_cache_clear(&s->cache);
	for (i = 0; i <= s->lim.spf_depth_max; i++)
		spf_frame_release(&s->frames[i]);
	free(s->frames);
	free(s->steps);
	inkan_buf_clear(&s->name);
	inkan_buf_clear(&s->txt);
	inkan_buf_clear(&s->exp);
	inkan_buf_clear(&s->reason);
	inkan_buf_clear(&s->trace_text);
	free(s);
	*spf = NULL;
}

void
inkan_spf_set_clock(struct inkan_spf *spf, int64_t (*now)(void *arg), void *arg)
{
	if (spf == NULL)
		return;
	spf->clock = now;
	spf->clock_arg = arg;
}

void
inkan_spf_verdict_free(struct inkan_spf_verdict **v)
{
	if (v == NULL)
		return;
	free(*v);
	*v = NULL;
}

/* ---- the verdict ------------------------------------------------------- */

/* Adds s[0..n) + NUL at *pos of base, returns the copy. */
static const char *
put_str(char *base, size_t *pos, const char *p, size_t n)
{
	char *d = base + *pos;

	if (n > 0)
		memcpy(d, p, n);
	d[n] = '\0';
	*pos += n + 1;
	return d;
}

/* The reason for results decided by a term or by default. */
static void
result_reason(struct inkan_spf *s, enum inkan_spf_result res, char *ipbuf)
{
	struct spf_frame *f = &s->frames[0];

	if (s->reason.len > 0 &&
	    (res == INKAN_SPF_TEMPERROR || res == INKAN_SPF_PERMERROR ||
		res == INKAN_SPF_NONE))
		return;
	inkan_buf_reset(&s->reason);
	if (s->mech_term != NULL) {
		inkan_buf_append_cstr(&s->reason, ipbuf);
		inkan_buf_append_cstr(&s->reason,
		    res == INKAN_SPF_PASS ? " is permitted by " : " matched ");
		spf_reason_esc(s,
		    spf_term_view(
			s->mech_rec, s->mech_term->off, s->mech_term->len));
		inkan_buf_append_cstr(&s->reason, " in the SPF record of ");
		spf_reason_esc(s, inkan_view_make(f->domain, f->dlen));
		if (res != INKAN_SPF_PASS) {
			inkan_buf_append_cstr(
			    &s->reason, ", so the result is ");
			inkan_buf_append_cstr(
			    &s->reason, inkan_spf_result_name(res));
		}
	} else {
		inkan_buf_append_cstr(&s->reason, "no mechanism matched ");
		inkan_buf_append_cstr(&s->reason, ipbuf);
		inkan_buf_append_cstr(&s->reason, " in the SPF record of ");
		spf_reason_esc(s, inkan_view_make(f->domain, f->dlen));
		inkan_buf_append_cstr(
		    &s->reason, "; the default result is neutral");
	}
}

/* Builds the verdict (one allocation) from the finished check. */
static enum inkan_status
make_verdict(struct inkan_spf *s, enum inkan_spf_result res,
    enum inkan_spf_identity id, struct inkan_view domain,
    struct inkan_view sender, struct inkan_spf_verdict **v_r)
{
	struct inkan_spf_verdict *v;
	struct inkan_spf_step *steps;
	struct inkan_view mech = { NULL, 0 };
	char ipbuf[64];
	size_t size, pos = 0, i, nsteps = spf_tracing(s) ? s->nsteps : 0;
	char *base;

	spf_ip_text(s->ip, ipbuf, sizeof(ipbuf));
	result_reason(s, res, ipbuf);
	if (res == INKAN_SPF_PASS || res == INKAN_SPF_FAIL ||
	    res == INKAN_SPF_SOFTFAIL || res == INKAN_SPF_NEUTRAL)
		mech = s->mech_term != NULL
		    ? spf_term_view(
			  s->mech_rec, s->mech_term->off, s->mech_term->len)
		    : INKAN_VIEW_LIT("default");
	size = sizeof(*v) + nsteps * sizeof(*steps) + domain.len + 1 +
	    sender.len + 1 + mech.len + 1 + s->exp.len + 1 + s->reason.len + 1 +
	    (spf_tracing(s) ? s->trace_text.len + 1 : 0);
	if ((v = malloc(size)) == NULL)
		return INKAN_ERR_NOMEM;
	*v = (struct inkan_spf_verdict){ 0 };
	steps = (struct inkan_spf_step *)(void *)(v + 1);
	base = (char *)(steps + nsteps);
	v->result = res;
	v->identity = id;
	v->domain = domain.ptr != NULL
	    ? put_str(base, &pos, (const char *)domain.ptr, domain.len)
	    : NULL;
	v->sender = put_str(base, &pos, (const char *)sender.ptr, sender.len);
	v->mechanism = mech.ptr != NULL
	    ? put_str(base, &pos, (const char *)mech.ptr, mech.len)
	    : NULL;
	v->explanation = res == INKAN_SPF_FAIL
	    ? put_str(base, &pos, (const char *)s->exp.data, s->exp.len)
	    : NULL;
	v->reason =
	    put_str(base, &pos, inkan_buf_cstr(&s->reason), s->reason.len);
	v->dns_lookups = s->dns_terms;
	v->void_lookups = s->voids;
	if (nsteps > 0) {
		char *tt = base + pos;

		/* The extra NUL ends a line cut short by the text's
		   maximum. */
		memcpy(tt, s->trace_text.data, s->trace_text.len);
		tt[s->trace_text.len] = '\0';
		for (i = 0; i < nsteps; i++) {
			steps[i].kind = s->steps[i].kind;
			steps[i].depth = s->steps[i].depth;
			steps[i].domain = tt + s->steps[i].domain_off;
			steps[i].text = tt + s->steps[i].text_off;
		}
		v->trace = steps;
		v->trace_count = nsteps;
	}
	*v_r = v;
	return INKAN_OK;
}

/* Resets the per-check state. */
static void
check_reset(struct inkan_spf *s, const struct inkan_spf_ip *ip, unsigned flags,
    int64_t now)
{
	size_t i;

	for (i = 0; i <= s->deepest; i++)
		spf_frame_release(&s->frames[i]);
	s->deepest = 0;
	s->flags = flags;
	s->ip = ip;
	s->now = now != 0 ? now : now_of(s);
	s->dns_terms = 0;
	s->voids = 0;
	s->depth = 0;
	s->mech_rec = NULL;
	s->mech_term = NULL;
	s->ptr_done = false;
	s->nsteps = 0;
	s->trace_oom = false;
	inkan_buf_reset(&s->reason);
	inkan_buf_reset(&s->exp);
	inkan_buf_reset(&s->trace_text);
}

/*
 * The whole check: sender split into local part and domain (RFC 7208
 * 4.3: no local part means "postmaster"), then check_host().
 */
static enum inkan_status
run(struct inkan_spf *s, const struct inkan_spf_ip *ip,
    struct inkan_view domain, struct inkan_view sender, struct inkan_view helo,
    struct inkan_view receiver, int64_t now, enum inkan_spf_identity id,
    unsigned flags, struct inkan_spf_verdict **v_r)
{
	struct inkan_view local, sdom;
	size_t at, i;
	char sbuf[INKAN_SMTP_PATH_MAX * 4];
	enum inkan_spf_result res = INKAN_SPF_NONE;
	enum inkan_status st = INKAN_OK;

	check_reset(s, ip, flags, now);
	/* RFC 7208 4.3: the local part is what precedes the last '@'. */
	for (at = sender.len, i = 0; i < sender.len; i++)
		if (sender.ptr[i] == '@')
			at = i;
	if (at == sender.len) {
		local = INKAN_VIEW_LIT("postmaster");
		sdom = sender;
	} else {
		local = inkan_view_sub(sender, 0, at);
		sdom = inkan_view_sub(sender, at + 1, sender.len - at - 1);
	}
	if (local.len == 0)
		local = INKAN_VIEW_LIT("postmaster");
	if (local.ptr != sender.ptr || at == sender.len) {
		/* Rebuild the sender as local@domain for %{s}. */
		int n = snprintf(sbuf, sizeof(sbuf), "%.*s@%.*s",
		    (int)local.len, (const char *)local.ptr, (int)sdom.len,
		    (const char *)sdom.ptr);

		if (n > 0 && (size_t)n < sizeof(sbuf)) {
			sender = inkan_view_make(sbuf, (size_t)n);
			local = inkan_view_sub(sender, 0, local.len);
			sdom = inkan_view_sub(sender, local.len + 1, sdom.len);
		}
	}
	s->sender = sender;
	s->local = local;
	s->sender_domain = sdom;
	s->helo = helo;
	s->receiver = receiver;
	if (!spf_frame_set(&s->frames[0], domain, false) || domain.len == 0) {
		s->frames[0].dlen = 0;
		spf_set_reason(s, "no valid domain to check");
		res = INKAN_SPF_NONE;
	} else if ((st = spf_check_host(s, &res)) != INKAN_OK) {
		goto out;
	}
	if (res == INKAN_SPF_FAIL && (st = spf_explain(s)) != INKAN_OK)
		goto out;
	st = make_verdict(s, res, id, domain, sender, v_r);
out:
	check_reset(s, ip, 0, 1);
	return st;
}

enum inkan_status
inkan_spf_check_host(struct inkan_spf *spf, const struct inkan_spf_ip *ip,
    const char *domain, const char *sender, const char *helo,
    enum inkan_spf_identity identity, unsigned flags,
    struct inkan_spf_verdict **verdict_r)
{
	char sbuf[INKAN_SMTP_PATH_MAX * 4];
	struct inkan_view sv;

	if (verdict_r == NULL)
		return INKAN_ERR_INVAL;
	*verdict_r = NULL;
	if (spf == NULL || ip == NULL || domain == NULL ||
	    (ip->family != AF_INET && ip->family != AF_INET6))
		return INKAN_ERR_INVAL;
	if (sender == NULL || sender[0] == '\0') {
		int n = snprintf(sbuf, sizeof(sbuf), "postmaster@%s", domain);

		if (n < 0 || (size_t)n >= sizeof(sbuf))
			n = 0;
		sv = inkan_view_make(sbuf, (size_t)n);
	} else {
		sv = inkan_view_cstr(sender);
	}
	return run(spf, ip, inkan_view_cstr(domain), sv, inkan_view_cstr(helo),
	    inkan_view_cstr(NULL), 0, identity, flags, verdict_r);
}

/* True for the null reverse-path (RFC 5321 4.5.5). */
static bool
null_path(const char *mail_from)
{
	return mail_from == NULL || mail_from[0] == '\0' ||
	    strcmp(mail_from, "<>") == 0;
}

static enum inkan_status
check_helo_identity(struct inkan_spf *spf, const struct inkan_spf_request *req,
    unsigned flags, struct inkan_spf_verdict **verdict_r)
{
	char sbuf[INKAN_SMTP_PATH_MAX * 4];
	struct inkan_view helo = inkan_view_cstr(req->helo), sv = { NULL, 0 };
	int n;

	if (helo.len > 0) {
		n = snprintf(sbuf, sizeof(sbuf), "postmaster@%s", req->helo);
		if (n > 0 && (size_t)n < sizeof(sbuf))
			sv = inkan_view_make(sbuf, (size_t)n);
	}
	if (sv.ptr == NULL) {
		/* No HELO name (or an absurd one): nothing to check. */
		check_reset(spf, &req->ip, flags, req->now);
		spf->frames[0].dlen = 0;
		spf_set_reason(spf, "no HELO name to check");
		return make_verdict(spf, INKAN_SPF_NONE, INKAN_SPF_ID_HELO,
		    helo.len > 0 ? helo : inkan_view_make(NULL, 0),
		    INKAN_VIEW_LIT(""), verdict_r);
	}
	return run(spf, &req->ip, helo, sv, helo,
	    inkan_view_cstr(req->receiver), req->now, INKAN_SPF_ID_HELO, flags,
	    verdict_r);
}

enum inkan_status
inkan_spf_check(struct inkan_spf *spf, const struct inkan_spf_request *req,
    unsigned flags, struct inkan_spf_verdict **verdict_r)
{
	struct inkan_view mf, dom;
	size_t i;

	if (verdict_r == NULL)
		return INKAN_ERR_INVAL;
	*verdict_r = NULL;
	if (spf == NULL || req == NULL ||
	    (req->ip.family != AF_INET && req->ip.family != AF_INET6))
		return INKAN_ERR_INVAL;
	/* RFC 7208 2.4: for the null reverse-path, postmaster@HELO. */
	if (null_path(req->mail_from))
		return check_helo_identity(spf, req, flags, verdict_r);
	mf = inkan_view_cstr(req->mail_from);
	dom = mf;
	for (i = mf.len; i > 0; i--) {
		if (mf.ptr[i - 1] == '@') {
			dom = inkan_view_sub(mf, i, mf.len - i);
			break;
		}
	}
	return run(spf, &req->ip, dom, mf, inkan_view_cstr(req->helo),
	    inkan_view_cstr(req->receiver), req->now, INKAN_SPF_ID_MAILFROM,
	    flags, verdict_r);
}

enum inkan_status
inkan_spf_check_helo(struct inkan_spf *spf, const struct inkan_spf_request *req,
    unsigned flags, struct inkan_spf_verdict **verdict_r)
{
	if (verdict_r == NULL)
		return INKAN_ERR_INVAL;
	*verdict_r = NULL;
	if (spf == NULL || req == NULL ||
	    (req->ip.family != AF_INET && req->ip.family != AF_INET6))
		return INKAN_ERR_INVAL;
	return check_helo_identity(spf, req, flags, verdict_r);
}
