/*
 * verify.c: the authentication pipeline (inkan/verify.h).
 *
 * A verifier owns the four protocol contexts; a message owns one DKIM
 * verifier, one ARC verifier and one header parser, each fed every chunk
 * as it comes (the DKIM and ARC verifiers hash the body as it streams; the
 * header parser only collects the From fields and stops at the body).
 * finish() then asks each part for its answer in the order DMARC needs
 * them and writes the Authentication-Results field with lib/authres.
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <inkan/authres.h>
#include <inkan/msg.h>
#include <inkan/verify.h>

struct inkan_verifier {
	struct inkan_resolver *resolver; /* borrowed */
	struct inkan_limits limits;
	struct inkan_spf *spf;
	struct inkan_dkim *dkim;
	struct inkan_arc *arc; /* NULL when ARC is off */
	struct inkan_dmarc *dmarc;
	char *authserv_id;
};

enum msg_state {
	MSG_FEEDING = 0,
	MSG_DONE,
	MSG_FAILED,
};

struct inkan_verify_msg {
	struct inkan_verifier *vf;
	unsigned flags;
	enum msg_state state;
	enum inkan_status err;
	char errmsg[256];
	/* The envelope, copied. */
	struct inkan_spf_ip ip;
	char ip_text[INET6_ADDRSTRLEN];
	char *helo, *mail_from, *rcpt_to;
	/* The parts fed in one pass. */
	struct inkan_dkim_verify *dkim;
	struct inkan_arc_verify *arc;
	struct inkan_hdr_parser *hdr;
	bool hdr_done;
	/* Every From field's value, joined with "," into one list. */
	struct inkan_buf from_values;
	size_t nfrom;
	/* Results. */
	struct inkan_arena arena; /* the From parse */
	struct inkan_addr_from from;
	struct inkan_spf_verdict *spf_verdict;
	struct inkan_dmarc_verdict *dmarc_verdict;
	struct inkan_buf authres;
};

/* ---- the verifier -------------------------------------------------------- */

void
inkan_verify_options_init(struct inkan_verify_options *o)
{
	memset(o, 0, sizeof(*o));
	o->authserv_id = "localhost";
	o->arc = true;
}

enum inkan_status
inkan_verifier_new(struct inkan_resolver *resolver,
    const struct inkan_limits *limits, const struct inkan_verify_options *o,
    struct inkan_verifier **vf_r)
{
	struct inkan_verify_options defaults;
	struct inkan_verifier *vf;
	enum inkan_status st;

	if (vf_r == NULL)
		return INKAN_ERR_INVAL;
	*vf_r = NULL;
	if (resolver == NULL)
		return INKAN_ERR_INVAL;
	if (o == NULL) {
		inkan_verify_options_init(&defaults);
		o = &defaults;
	}
	if (o->authserv_id == NULL || o->authserv_id[0] == '\0')
		return INKAN_ERR_INVAL;
	if ((vf = calloc(1, sizeof(*vf))) == NULL)
		return INKAN_ERR_NOMEM;
	vf->resolver = resolver;
	if (limits != NULL)
		vf->limits = *limits;
	else
		inkan_limits_default(&vf->limits);
	if ((vf->authserv_id = strdup(o->authserv_id)) == NULL) {
		st = INKAN_ERR_NOMEM;
		goto fail;
	}
	if ((st = inkan_spf_new(resolver, &vf->limits, &vf->spf)) != INKAN_OK ||
	    (st = inkan_dkim_new(resolver, &vf->limits, o->dkim_policy,
		 &vf->dkim)) != INKAN_OK ||
	    (o->arc && (st = inkan_arc_new(vf->dkim, &vf->arc)) != INKAN_OK) ||
	    (st = inkan_dmarc_new(resolver, &vf->limits, o->dmarc_options,
		 &vf->dmarc)) != INKAN_OK)
		goto fail;
	*vf_r = vf;
	return INKAN_OK;
fail:
	inkan_verifier_free(&vf);
	return st;
}

void
inkan_verifier_free(struct inkan_verifier **vfp)
{
	struct inkan_verifier *vf;

	if (vfp == NULL || (vf = *vfp) == NULL)
		return;
	inkan_dmarc_free(&vf->dmarc);
	inkan_arc_free(&vf->arc); /* before the DKIM context it borrows */
	inkan_dkim_free(&vf->dkim);
	inkan_spf_free(&vf->spf);
	free(vf->authserv_id);
	free(vf);
	*vfp = NULL;
}

/* ---- one message ------------------------------------------------------- */

/* Records the first failure of m: status and message; returns st. */
static enum inkan_status __attribute__((format(printf, 3, 4)))
msg_fail(struct inkan_verify_msg *m, enum inkan_status st, const char *fmt, ...)
{
	va_list ap;

	if (m->state == MSG_FAILED)
		return m->err;
	m->state = MSG_FAILED;
	m->err = st;
	va_start(ap, fmt);
	vsnprintf(m->errmsg, sizeof(m->errmsg), fmt, ap);
	va_end(ap);
	return st;
}

static char *
dup_or_null(const char *s, bool *nomem)
{
	char *d;

	if (s == NULL)
		return NULL;
	if ((d = strdup(s)) == NULL)
		*nomem = true;
	return d;
}

enum inkan_status
inkan_verify_begin(struct inkan_verifier *vf,
    const struct inkan_verify_envelope *env, unsigned flags,
    struct inkan_verify_msg **m_r)
{
	struct inkan_verify_msg *m;
	unsigned dflags, hflags;
	bool nomem = false;
	enum inkan_status st;

	if (m_r == NULL)
		return INKAN_ERR_INVAL;
	*m_r = NULL;
	if (vf == NULL || env == NULL ||
	    (flags & ~(unsigned)INKAN_VERIFY_ALLOW_LF) != 0 ||
	    (env->ip.family != AF_INET && env->ip.family != AF_INET6))
		return INKAN_ERR_INVAL;
	if ((m = calloc(1, sizeof(*m))) == NULL)
		return INKAN_ERR_NOMEM;
	m->vf = vf;
	m->flags = flags;
	m->ip = env->ip;
	if (inet_ntop(env->ip.family, env->ip.addr, m->ip_text,
		sizeof(m->ip_text)) == NULL)
		m->ip_text[0] = '\0';
	m->helo = dup_or_null(env->helo, &nomem);
	m->mail_from = dup_or_null(env->mail_from, &nomem);
	m->rcpt_to = dup_or_null(env->rcpt_to, &nomem);
	inkan_buf_init(&m->from_values, vf->limits.hdr_section_max);
	inkan_buf_init(&m->authres, 1 << 20);
	/* The From parse: the field's mailboxes and their strings. */
	inkan_arena_init(&m->arena, 4 * vf->limits.hdr_section_max + 65536);
	if (nomem) {
		st = INKAN_ERR_NOMEM;
		goto fail;
	}
	dflags = (flags & INKAN_VERIFY_ALLOW_LF) ? INKAN_DKIM_ALLOW_LF : 0;
	hflags = (flags & INKAN_VERIFY_ALLOW_LF) ? INKAN_HDR_ALLOW_LF : 0;
	if ((st = inkan_dkim_verify_new(vf->dkim, dflags, &m->dkim)) !=
		INKAN_OK ||
	    (vf->arc != NULL &&
		(st = inkan_arc_verify_new(vf->arc, dflags, &m->arc)) !=
		    INKAN_OK) ||
	    (st = inkan_hdr_parser_new(&vf->limits, hflags, &m->hdr)) !=
		INKAN_OK)
		goto fail;
	*m_r = m;
	return INKAN_OK;
fail:
	inkan_verify_msg_free(&m);
	return st;
}

/* Appends one From field's value to the list of them. */
static enum inkan_status
collect_from(struct inkan_verify_msg *m, struct inkan_view value)
{
	if (m->nfrom > 0)
		inkan_buf_append_byte(&m->from_values, ',');
	m->nfrom++;
	return inkan_buf_append_view(&m->from_values, value);
}

/* Runs the header parser over what it was fed; stops at END. */
static enum inkan_status
drain_headers(struct inkan_verify_msg *m)
{
	struct inkan_hdr_event ev;
	const char *why;
	int r;

	while ((r = inkan_hdr_parser_next(m->hdr, &ev)) == 1) {
		if (ev.type == INKAN_HDR_EV_END) {
			m->hdr_done = true;
			return INKAN_OK;
		}
		if (inkan_hdr_field_is(&ev.field, "From") &&
		    collect_from(m, ev.field.value) != INKAN_OK)
			return msg_fail(m, m->from_values.err,
			    "From fields: %s",
			    inkan_strerror(m->from_values.err));
	}
	if (r < 0) {
		enum inkan_status st =
		    inkan_hdr_parser_error(m->hdr, &why, NULL);

		return msg_fail(m, st, "header section: %s", why);
	}
	return INKAN_OK;
}

enum inkan_status
inkan_verify_feed(struct inkan_verify_msg *m, const void *data, size_t len)
{
	enum inkan_status st;

	if (m == NULL || (data == NULL && len > 0))
		return INKAN_ERR_INVAL;
	if (m->state == MSG_FAILED)
		return m->err;
	if (m->state != MSG_FEEDING)
		return INKAN_ERR_STATE;
	if (len == 0)
		return INKAN_OK;
	if ((st = inkan_dkim_verify_feed(m->dkim, data, len)) != INKAN_OK)
		return msg_fail(m, st, "%s", inkan_dkim_verify_error(m->dkim));
	if (m->arc != NULL &&
	    (st = inkan_arc_verify_feed(m->arc, data, len)) != INKAN_OK)
		return msg_fail(m, st, "%s", inkan_arc_verify_error(m->arc));
	if (!m->hdr_done) {
		if ((st = inkan_hdr_parser_feed(m->hdr, data, len, false)) !=
		    INKAN_OK)
			return msg_fail(
			    m, st, "header section: %s", inkan_strerror(st));
		if ((st = drain_headers(m)) != INKAN_OK)
			return st;
	}
	return INKAN_OK;
}

/* True for the null reverse-path (RFC 5321 4.5.5). */
static bool
null_path(const char *mail_from)
{
	return mail_from == NULL || mail_from[0] == '\0' ||
	    strcmp(mail_from, "<>") == 0;
}

/*
 * RFC 9989 9.1 policy.dmarc: "the evaluated DMARC policy applied/to be
 * applied after policy options have been processed": for a failing
 * message the disposition (t=y has lowered it already), else the policy
 * that applies; NULL when no record applied.
 */
static const char *
applied_policy(const struct inkan_dmarc_verdict *d)
{
	if (d->policy_tag == INKAN_DMARC_TAG_NONE ||
	    d->policy == INKAN_DMARC_POLICY_ABSENT)
		return NULL;
	if (d->result == INKAN_DMARC_FAIL) {
		switch (d->disposition) {
		case INKAN_DMARC_DISP_REJECT:
			return "reject";
		case INKAN_DMARC_DISP_QUARANTINE:
			return "quarantine";
		case INKAN_DMARC_DISP_NONE:
		case INKAN_DMARC_DISP_PASS:
			return "none";
		}
	}
	return inkan_dmarc_policy_name(d->policy);
}

/* The Authentication-Results field of the finished checks. */
static enum inkan_status
build_authres(struct inkan_verify_msg *m)
{
	struct inkan_authres_builder *b = NULL;
	const struct inkan_dkim_sig *sigs;
	const struct inkan_arc_result *arc;
	const struct inkan_dmarc_verdict *d = m->dmarc_verdict;
	const struct inkan_spf_verdict *spf = m->spf_verdict;
	size_t n, i;
	enum inkan_status st;

	if ((st = inkan_authres_builder_new(m->vf->authserv_id, &b)) !=
	    INKAN_OK)
		return st;
	/* RFC 8601 2.7.2: the identity SPF checked. */
	if (spf->identity == INKAN_SPF_ID_MAILFROM)
		inkan_authres_add_spf(b, inkan_spf_result_name(spf->result),
		    m->mail_from, NULL, NULL);
	else
		inkan_authres_add_spf(
		    b, inkan_spf_result_name(spf->result), NULL, m->helo, NULL);
	inkan_dkim_verify_results(m->dkim, &sigs, &n);
	if (n == 0)
		inkan_authres_add(b, "dkim", "none", NULL);
	for (i = 0; i < n; i++)
		inkan_authres_add_dkim(b, &sigs[i]);
	if (m->arc != NULL && (arc = inkan_arc_verify_result(m->arc)) != NULL)
		inkan_authres_add_arc(b, inkan_arc_cv_name(arc->cv),
		    arc->cv == INKAN_ARC_PASS ? arc->oldest_pass : 0,
		    arc->cv != INKAN_ARC_NONE ? m->ip_text : NULL, NULL);
	inkan_authres_add_dmarc(b, inkan_dmarc_result_name(d->result),
	    d->from_domain, applied_policy(d), NULL);
	st = inkan_authres_build(b,
	    (m->flags & INKAN_VERIFY_ALLOW_LF) ? INKAN_AUTHRES_BUILD_LF : 0,
	    &m->authres);
	inkan_authres_builder_free(&b);
	return st;
}

enum inkan_status
inkan_verify_finish(struct inkan_verify_msg *m)
{
	struct inkan_spf_request sreq;
	struct inkan_dmarc_request dreq;
	const struct inkan_dkim_sig *sigs;
	size_t nsigs;
	enum inkan_status st;

	if (m == NULL)
		return INKAN_ERR_INVAL;
	if (m->state == MSG_FAILED)
		return m->err;
	if (m->state != MSG_FEEDING)
		return INKAN_ERR_STATE;
	if (!m->hdr_done) {
		/* The input ended: the parser gives its last fields. */
		if ((st = inkan_hdr_parser_feed(m->hdr, NULL, 0, true)) !=
		    INKAN_OK)
			return msg_fail(
			    m, st, "header section: %s", inkan_strerror(st));
		if ((st = drain_headers(m)) != INKAN_OK)
			return st;
	}
	/* DKIM and ARC: key lookups, through the shared key cache. */
	if ((st = inkan_dkim_verify_finish(m->dkim)) != INKAN_OK)
		return msg_fail(
		    m, st, "DKIM: %s", inkan_dkim_verify_error(m->dkim));
	if (m->arc != NULL &&
	    (st = inkan_arc_verify_finish(m->arc)) != INKAN_OK)
		return msg_fail(
		    m, st, "ARC: %s", inkan_arc_verify_error(m->arc));

	/* SPF: RFC 7208 2.4, MAIL FROM, or postmaster@HELO for <>. */
	memset(&sreq, 0, sizeof(sreq));
	sreq.ip = m->ip;
	sreq.helo = m->helo;
	sreq.mail_from = null_path(m->mail_from) ? "" : m->mail_from;
	sreq.receiver = m->vf->authserv_id;
	if ((st = inkan_spf_check(m->vf->spf, &sreq, 0, &m->spf_verdict)) !=
	    INKAN_OK)
		return msg_fail(m, st, "SPF: %s", inkan_strerror(st));

	/* DMARC: the From field(s) as one address list. */
	memset(&dreq, 0, sizeof(dreq));
	if (m->nfrom > 0) {
		if ((st = inkan_addr_from_domains(m->from_values.data,
			 m->from_values.len, &m->vf->limits, 0, &m->arena,
			 &m->from)) != INKAN_OK)
			return msg_fail(m, st, "From: %s", inkan_strerror(st));
		dreq.from = &m->from;
	}
	inkan_dkim_verify_results(m->dkim, &sigs, &nsigs);
	dreq.spf = m->spf_verdict;
	dreq.dkim = sigs;
	dreq.ndkim = nsigs;
	dreq.ip = m->ip;
	dreq.helo = m->helo;
	dreq.mail_from = sreq.mail_from;
	dreq.rcpt_to = m->rcpt_to;
	if ((st = inkan_dmarc_evaluate(
		 m->vf->dmarc, &dreq, &m->dmarc_verdict)) != INKAN_OK)
		return msg_fail(m, st, "DMARC: %s", inkan_strerror(st));

	if ((st = build_authres(m)) != INKAN_OK)
		return msg_fail(
		    m, st, "Authentication-Results: %s", inkan_strerror(st));
	m->state = MSG_DONE;
	return INKAN_OK;
}

const struct inkan_spf_verdict *
inkan_verify_spf(const struct inkan_verify_msg *m)
{
	return m != NULL && m->state == MSG_DONE ? m->spf_verdict : NULL;
}

void
inkan_verify_dkim(const struct inkan_verify_msg *m,
    const struct inkan_dkim_sig **sigs_r, size_t *count_r)
{
	*sigs_r = NULL;
	*count_r = 0;
	if (m != NULL && m->state == MSG_DONE)
		inkan_dkim_verify_results(m->dkim, sigs_r, count_r);
}

const struct inkan_arc_result *
inkan_verify_arc(const struct inkan_verify_msg *m)
{
	if (m == NULL || m->state != MSG_DONE || m->arc == NULL)
		return NULL;
	return inkan_arc_verify_result(m->arc);
}

const struct inkan_dmarc_verdict *
inkan_verify_dmarc(const struct inkan_verify_msg *m)
{
	return m != NULL && m->state == MSG_DONE ? m->dmarc_verdict : NULL;
}

const char *
inkan_verify_authres(const struct inkan_verify_msg *m)
{
	if (m == NULL || m->state != MSG_DONE)
		return "";
	return inkan_buf_cstr(&m->authres);
}

const char *
inkan_verify_error(const struct inkan_verify_msg *m)
{
	return m != NULL ? m->errmsg : "";
}

void
inkan_verify_msg_free(struct inkan_verify_msg **mp)
{
	struct inkan_verify_msg *m;

	if (mp == NULL || (m = *mp) == NULL)
		return;
	inkan_dkim_verify_free(&m->dkim);
	inkan_arc_verify_free(&m->arc);
	inkan_hdr_parser_free(&m->hdr);
	inkan_spf_verdict_free(&m->spf_verdict);
	inkan_dmarc_verdict_free(&m->dmarc_verdict);
	inkan_arena_clear(&m->arena);
	inkan_buf_clear(&m->from_values);
	inkan_buf_clear(&m->authres);
	free(m->helo);
	free(m->mail_from);
	free(m->rcpt_to);
	free(m);
	*mp = NULL;
}
