/*
 * unbound.c: the live backend, on libunbound.
 *
 * libunbound validates (DNSSEC), caches and is thread-safe, but has no
 * per-query timeout. So each lookup starts an asynchronous query and waits
 * for its own answer until a deadline, then cancels it:
 *
 * - libunbound resolves in one background thread (ub_ctx_async(ctx, 1))
 *   and hands answers back through a pipe, ub_fd(); ub_process() reads
 *   them and runs the callbacks in the calling thread.
 * - Several threads may wait at once. One of them at a time ("the
 *   processor") polls ub_fd and runs ub_process(), which may deliver other
 *   threads' answers; the others wait on a condition variable, which every
 *   callback and every processor that stops broadcasts.
 * - A query's state (struct ubq) is on the heap and guarded by the mutex.
 *   A waiter that gives up marks it abandoned, then calls ub_cancel(). If
 *   the cancel succeeds libunbound will never call back, so the waiter
 *   frees it; if not, the callback has run or will run, sees the mark and
 *   frees it. libunbound decides between the two under its own lock:
 *   ub_cancel() fails once process_answer has taken the query.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <unbound.h>

#include "dns/dns_impl.h"

struct ubr {
	struct ub_ctx *ctx;
	unsigned timeout_ms;
	pthread_mutex_t mu;
	pthread_cond_t cv; /* on CLOCK_MONOTONIC */
	bool processing; /* a thread is polling ub_fd (under mu) */
};

struct ubq {
	struct ubr *u;
	/* under u->mu: */
	bool done;
	bool abandoned;
	int err;
	struct ub_result *result;
};

void
inkan_unbound_options_init(struct inkan_unbound_options *o)
{
	memset(o, 0, sizeof(*o));
	o->trust_anchor_file = INKAN_DNS_ROOT_KEY;
}

static void
on_result(void *arg, int err, struct ub_result *result)
{
	struct ubq *q = arg;
	struct ubr *u = q->u;

	pthread_mutex_lock(&u->mu);
	if (q->abandoned) {
		/* The waiter gave up and its cancel came too late. */
		pthread_mutex_unlock(&u->mu);
		ub_resolve_free(result);
		free(q);
		return;
	}
	q->done = true;
	q->err = err;
	q->result = result;
	pthread_cond_broadcast(&u->cv);
	pthread_mutex_unlock(&u->mu);
}

static void
deadline_after(unsigned ms, struct timespec *ts)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
	ts->tv_sec += (time_t)(ms / 1000);
	ts->tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

/* Milliseconds left until the deadline, rounded up; 0 when past it. */
static int
ms_left(const struct timespec *deadline)
{
	struct timespec now;
	long long ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (long long)(deadline->tv_sec - now.tv_sec) * 1000 +
	    (deadline->tv_nsec - now.tv_nsec + 999999) / 1000000;
	if (ms <= 0)
		return 0;
	return ms > 60000 ? 60000 : (int)ms;
}

/*
 * Waits until q is done or the deadline passes; called and returns with
 * u->mu held.
 */
static void
wait_for(struct ubr *u, struct ubq *q, const struct timespec *deadline)
{
	while (!q->done) {
		int left = ms_left(deadline);

		if (left == 0)
			return;
		if (u->processing) {
			pthread_cond_timedwait(&u->cv, &u->mu, deadline);
			continue;
		}
		u->processing = true;
		pthread_mutex_unlock(&u->mu);
		{
			struct pollfd pfd = { .fd = ub_fd(u->ctx),
				.events = POLLIN };

			if (poll(&pfd, 1, left) > 0)
				(void)ub_process(u->ctx);
		}
		pthread_mutex_lock(&u->mu);
		u->processing = false;
		pthread_cond_broadcast(&u->cv);
	}
}

static enum inkan_dns_rcode
map_rcode(int rcode, char *why, size_t size)
{
	switch (rcode) {
	case LDNS_RCODE_NOERROR:
		return INKAN_DNS_NOERROR;
	case LDNS_RCODE_NXDOMAIN:
		return INKAN_DNS_NXDOMAIN;
	case LDNS_RCODE_SERVFAIL:
		return INKAN_DNS_SERVFAIL;
	default:
		/* REFUSED, FORMERR, NOTIMP...: no usable answer. */
		snprintf(why, size, "server answered rcode %d", rcode);
		return INKAN_DNS_SERVFAIL;
	}
}

static enum inkan_status
convert(struct inkan_resolver *r, const struct dns_query *q, int err,
    struct ub_result *res, struct inkan_dns_answer **answer_r)
{
	ldns_pkt *pkt = NULL;
	enum inkan_dns_rcode rcode;
	enum inkan_status st;
	char why[128] = "";

	if (err != 0 || res == NULL) {
		snprintf(why, sizeof(why), "libunbound: %s", ub_strerror(err));
		return dns_answer_new(q, INKAN_DNS_SERVFAIL, why, answer_r);
	}
	if (res->bogus) {
		/* RFC 4035 5.5: bogus data is never handed out. */
		return dns_answer_new(q, INKAN_DNS_SERVFAIL,
		    res->why_bogus != NULL ? res->why_bogus
					   : "DNSSEC validation failed",
		    answer_r);
	}
	rcode = map_rcode(res->rcode, why, sizeof(why));
	if (rcode == INKAN_DNS_SERVFAIL)
		return dns_answer_new(
		    q, rcode, why[0] != '\0' ? why : NULL, answer_r);
	if (res->answer_packet == NULL || res->answer_len <= 0 ||
	    ldns_wire2pkt(&pkt, res->answer_packet, (size_t)res->answer_len) !=
		LDNS_STATUS_OK)
		return dns_answer_new(q, INKAN_DNS_SERVFAIL,
		    "unparsable answer packet", answer_r);
	st = dns_answer_from_rrs(q, rcode, ldns_pkt_answer(pkt),
	    res->secure != 0, res->ttl > 0 ? (uint32_t)res->ttl : 0, &r->limits,
	    answer_r);
	ldns_pkt_free(pkt);
	return st;
}

static enum inkan_status
ub_lookup(struct inkan_resolver *r, void *impl, const struct dns_query *q,
    struct inkan_dns_answer **answer_r)
{
	struct ubr *u = impl;
	struct ubq *uq;
	struct inkan_buf name;
	struct timespec deadline;
	struct ub_result *res;
	enum inkan_status st;
	int id = 0, rc, err;
	char why[96];

	/* libunbound reads presentation form, escapes and all. */
	inkan_buf_init(&name, 4 * INKAN_DNS_NAME_MAX + 2);
	if ((st = dns_name_format(q->wire, q->wire_len, &name)) != INKAN_OK)
		goto out;
	if ((uq = calloc(1, sizeof(*uq))) == NULL) {
		st = INKAN_ERR_NOMEM;
		goto out;
	}
	uq->u = u;
	deadline_after(u->timeout_ms, &deadline);
	rc = ub_resolve_async(u->ctx, inkan_buf_cstr(&name), (int)q->type,
	    LDNS_RR_CLASS_IN, uq, on_result, &id);
	if (rc != 0) {
		free(uq);
		st = rc == UB_NOMEM ? INKAN_ERR_NOMEM : INKAN_ERR_DNS;
		goto out;
	}
	pthread_mutex_lock(&u->mu);
	wait_for(u, uq, &deadline);
	if (!uq->done) {
		uq->abandoned = true;
		pthread_mutex_unlock(&u->mu);
		/* From here uq may be freed by the callback. */
		if (ub_cancel(u->ctx, id) == 0)
			free(uq);
		snprintf(
		    why, sizeof(why), "no answer within %u ms", u->timeout_ms);
		st = dns_answer_new(q, INKAN_DNS_TIMEOUT, why, answer_r);
		goto out;
	}
	res = uq->result;
	err = uq->err;
	pthread_mutex_unlock(&u->mu);
	free(uq);
	st = convert(r, q, err, res, answer_r);
	ub_resolve_free(res);
out:
	inkan_buf_clear(&name);
	return st;
}

static void
ub_free(void *impl)
{
	struct ubr *u = impl;

	if (u == NULL)
		return;
	if (u->ctx != NULL)
		ub_ctx_delete(u->ctx);
	pthread_cond_destroy(&u->cv);
	pthread_mutex_destroy(&u->mu);
	free(u);
}

static const struct dns_backend_ops unbound_ops = {
	.name = "unbound",
	.lookup = ub_lookup,
	.free = ub_free,
};

static enum inkan_status
configure(struct ub_ctx *ctx, const struct inkan_unbound_options *o)
{
	size_t i;
	int rc;
	FILE *f;

	/* The library never prints: unbound's log goes nowhere. */
	if (ub_ctx_set_option(ctx, "use-syslog:", "no") != 0 ||
	    ub_ctx_debugout(ctx, NULL) != 0 || ub_ctx_async(ctx, 1) != 0)
		return INKAN_ERR_DNS;
	if (o->trust_anchor_file != NULL) {
		/* libunbound reads it only at the first query; check now. */
		if ((f = fopen(o->trust_anchor_file, "r")) == NULL)
			return errno == ENOENT ? INKAN_ERR_NOTFOUND
					       : INKAN_ERR_IO;
		fclose(f);
		if (ub_ctx_add_ta_file(ctx, o->trust_anchor_file) != 0)
			return INKAN_ERR_DNS;
	}
	if (o->nforwarders > 0 || o->use_resolv_conf) {
		/* Forwarders are often local (127.0.0.53, a test server). */
		if (ub_ctx_set_option(ctx, "do-not-query-localhost:", "no") !=
		    0)
			return INKAN_ERR_DNS;
	}
	for (i = 0; i < o->nforwarders; i++) {
		if (o->forwarders == NULL || o->forwarders[i] == NULL)
			return INKAN_ERR_INVAL;
		rc = ub_ctx_set_fwd(ctx, o->forwarders[i]);
		if (rc == UB_SYNTAX)
			return INKAN_ERR_SYNTAX;
		if (rc != 0)
			return rc == UB_NOMEM ? INKAN_ERR_NOMEM : INKAN_ERR_DNS;
	}
	if (o->use_resolv_conf && ub_ctx_resolvconf(ctx, NULL) != 0)
		return INKAN_ERR_DNS;
	return INKAN_OK;
}

enum inkan_status
inkan_resolver_new_unbound(const struct inkan_unbound_options *opts,
    const struct inkan_limits *limits, struct inkan_resolver **r_r)
{
	struct inkan_unbound_options defaults;
	const struct inkan_unbound_options *o = opts;
	struct ubr *u;
	pthread_condattr_t ca;
	enum inkan_status st;

	if (r_r == NULL)
		return INKAN_ERR_INVAL;
	*r_r = NULL;
	if (o == NULL) {
		inkan_unbound_options_init(&defaults);
		o = &defaults;
	}
	if (limits == NULL)
		limits = inkan_limits_defaults();
	if ((u = calloc(1, sizeof(*u))) == NULL)
		return INKAN_ERR_NOMEM;
	u->timeout_ms = o->timeout_ms ? o->timeout_ms : limits->dns_timeout_ms;
	if (pthread_mutex_init(&u->mu, NULL) != 0) {
		free(u);
		return INKAN_ERR_NOMEM;
	}
	if (pthread_condattr_init(&ca) != 0 ||
	    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) != 0 ||
	    pthread_cond_init(&u->cv, &ca) != 0) {
		pthread_mutex_destroy(&u->mu);
		free(u);
		return INKAN_ERR_NOMEM;
	}
	pthread_condattr_destroy(&ca);
	if ((u->ctx = ub_ctx_create()) == NULL) {
		ub_free(u);
		return INKAN_ERR_DNS;
	}
	if ((st = configure(u->ctx, o)) != INKAN_OK) {
		ub_free(u);
		return st;
	}
	return dns_resolver_new(&unbound_ops, u, limits, r_r);
}
