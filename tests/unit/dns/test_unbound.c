/*
 * test_unbound.c: the unbound backend without the internet. A tiny fake
 * authoritative server runs in a thread on 127.0.0.1 and answers from a
 * table; the resolver forwards to it with validation off. A second socket
 * that never answers gives TIMEOUT. No assertion looks at elapsed time.
 */
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>
#include <ldns/ldns.h>

#include "dns_test.h"

static const char *const server_records[] = {
	"example.com. 300 IN SOA ns.example.com. host.example.com. "
	"1 3600 600 86400 60",
	"example.com. 300 IN A 192.0.2.1",
	"example.com. 300 IN TXT \"v=spf1 \" \"ip4:192.0.2.0/24\" \"\" \" "
	"-all\"",
	"example.com. 300 IN MX 10 mx.example.com.",
	"example.com. 300 IN MX 20 mx2.example.com.",
	"mx.example.com. 300 IN A 192.0.2.25",
	"www.example.com. 300 IN CNAME example.com.",
	"_25._tcp.mx.example.com. 300 IN TLSA 3 1 1 "
	"0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF",
	"raw.example.com. 300 IN TYPE65280 \\# 3 010203",
	"Upper.Example.Com. 300 IN A 192.0.2.99",
};

struct server {
	int fd;
	int port;
	pthread_t thread;
	atomic_bool stop;
	ldns_rr_list *rrs;
	ldns_rr *soa;
};

static bool
name_exists(const struct server *s, const ldns_rdf *name)
{
	size_t i;

	for (i = 0; i < ldns_rr_list_rr_count(s->rrs); i++)
		if (ldns_dname_compare(
			ldns_rr_owner(ldns_rr_list_rr(s->rrs, i)), name) == 0)
			return true;
	return false;
}

/* Appends the records of (name, type) to the answer, following CNAMEs. */
static void
answer(const struct server *s, ldns_pkt *reply, const ldns_rdf *qname,
    ldns_rr_type qtype)
{
	const ldns_rdf *name = qname;
	int hops;
	size_t i;

	for (hops = 0; hops < 8; hops++) {
		const ldns_rdf *next = NULL;
		bool found = false;

		for (i = 0; i < ldns_rr_list_rr_count(s->rrs); i++) {
			ldns_rr *rr = ldns_rr_list_rr(s->rrs, i);

			if (ldns_dname_compare(ldns_rr_owner(rr), name) != 0)
				continue;
			if (ldns_rr_get_type(rr) == qtype) {
				ldns_pkt_push_rr(reply, LDNS_SECTION_ANSWER,
				    ldns_rr_clone(rr));
				found = true;
			} else if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_CNAME)
				next = ldns_rr_rdf(rr, 0);
		}
		if (found || next == NULL)
			break;
		for (i = 0; i < ldns_rr_list_rr_count(s->rrs); i++) {
			ldns_rr *rr = ldns_rr_list_rr(s->rrs, i);

			if (ldns_dname_compare(ldns_rr_owner(rr), name) == 0 &&
			    ldns_rr_get_type(rr) == LDNS_RR_TYPE_CNAME)
				ldns_pkt_push_rr(reply, LDNS_SECTION_ANSWER,
				    ldns_rr_clone(rr));
		}
		name = next;
	}
	if (ldns_pkt_ancount(reply) == 0 ||
	    ldns_rr_get_type(ldns_rr_list_rr(ldns_pkt_answer(reply),
		ldns_pkt_ancount(reply) - 1)) != qtype) {
		/* RFC 2308 3: negative answers carry the SOA. */
		if (!name_exists(s, name))
			ldns_pkt_set_rcode(reply, LDNS_RCODE_NXDOMAIN);
		ldns_pkt_push_rr(
		    reply, LDNS_SECTION_AUTHORITY, ldns_rr_clone(s->soa));
	}
}

static void
serve_one(struct server *s)
{
	uint8_t buf[4096], *wire = NULL;
	struct sockaddr_storage from;
	socklen_t fromlen = sizeof(from);
	ldns_pkt *q = NULL, *reply = NULL;
	ldns_rr *question;
	ssize_t n;
	size_t wlen;

	n = recvfrom(
	    s->fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fromlen);
	if (n <= 0 || ldns_wire2pkt(&q, buf, (size_t)n) != LDNS_STATUS_OK)
		return;
	if (ldns_pkt_qdcount(q) != 1 || (reply = ldns_pkt_new()) == NULL)
		goto out;
	question = ldns_rr_list_rr(ldns_pkt_question(q), 0);
	ldns_pkt_set_id(reply, ldns_pkt_id(q));
	ldns_pkt_set_qr(reply, true);
	ldns_pkt_set_aa(reply, true);
	ldns_pkt_set_rd(reply, ldns_pkt_rd(q));
	ldns_pkt_set_ra(reply, true);
	ldns_pkt_set_opcode(reply, LDNS_PACKET_QUERY);
	ldns_pkt_push_rr(reply, LDNS_SECTION_QUESTION, ldns_rr_clone(question));
	answer(s, reply, ldns_rr_owner(question), ldns_rr_get_type(question));
	if (ldns_pkt2wire(&wire, reply, &wlen) == LDNS_STATUS_OK)
		(void)sendto(
		    s->fd, wire, wlen, 0, (struct sockaddr *)&from, fromlen);
out:
	free(wire);
	ldns_pkt_free(reply);
	ldns_pkt_free(q);
}

static void *
serve(void *arg)
{
	struct server *s = arg;

	while (!atomic_load(&s->stop)) {
		struct pollfd pfd = { .fd = s->fd, .events = POLLIN };

		/* Wakes up now and then to see the stop flag. */
		if (poll(&pfd, 1, 50) > 0)
			serve_one(s);
	}
	return NULL;
}

/* A UDP socket on 127.0.0.1 and an ephemeral port. */
static int
udp_socket(int *port_r)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	assert_true(fd >= 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	*port_r = ntohs(sin.sin_port);
	return fd;
}

struct fixture {
	struct server server;
	int blackhole_fd; /* bound, never read: queries to it time out */
	int blackhole_port;
	struct inkan_resolver *r;
	struct inkan_resolver *dead;
};

static struct inkan_resolver *
resolver_to(int port, unsigned timeout_ms)
{
	struct inkan_unbound_options o;
	struct inkan_resolver *r = NULL;
	char fwd[32];
	const char *fwds[1] = { fwd };

	snprintf(fwd, sizeof(fwd), "127.0.0.1@%d", port);
	inkan_unbound_options_init(&o);
	o.trust_anchor_file = NULL;
	o.forwarders = fwds;
	o.nforwarders = 1;
	o.timeout_ms = timeout_ms;
	assert_int_equal(inkan_resolver_new_unbound(&o, NULL, &r), INKAN_OK);
	return r;
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	size_t i;

	assert_non_null(f);
	f->server.rrs = ldns_rr_list_new();
	for (i = 0; i < sizeof(server_records) / sizeof(server_records[0]);
	     i++) {
		ldns_rr *rr = NULL;

		assert_int_equal(
		    ldns_rr_new_frm_str(&rr, server_records[i], 0, NULL, NULL),
		    LDNS_STATUS_OK);
		if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_SOA)
			f->server.soa = ldns_rr_clone(rr);
		ldns_rr_list_push_rr(f->server.rrs, rr);
	}
	f->server.fd = udp_socket(&f->server.port);
	atomic_init(&f->server.stop, false);
	assert_int_equal(
	    pthread_create(&f->server.thread, NULL, serve, &f->server), 0);
	f->blackhole_fd = udp_socket(&f->blackhole_port);
	/* Generous: only a broken resolver takes this long. */
	f->r = resolver_to(f->server.port, 10000);
	f->dead = resolver_to(f->blackhole_port, 300);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	inkan_resolver_free(&f->r);
	inkan_resolver_free(&f->dead);
	atomic_store(&f->server.stop, true);
	pthread_join(f->server.thread, NULL);
	close(f->server.fd);
	close(f->blackhole_fd);
	ldns_rr_list_deep_free(f->server.rrs);
	ldns_rr_free(f->server.soa);
	free(f);
	return 0;
}

struct case_ {
	const char *name;
	enum inkan_dns_type type;
	enum inkan_dns_rcode rcode;
	size_t count;
	const char *first;
	size_t chain;
};

static const struct case_ cases[] = {
	{ "example.com", INKAN_DNS_A, INKAN_DNS_NOERROR, 1, "192.0.2.1", 0 },
	{ "EXAMPLE.com.", INKAN_DNS_A, INKAN_DNS_NOERROR, 1, "192.0.2.1", 0 },
	{ "example.com", INKAN_DNS_TXT, INKAN_DNS_NOERROR, 1,
	    "v=spf1 |ip4:192.0.2.0/24|| -all", 0 },
	{ "example.com", INKAN_DNS_MX, INKAN_DNS_NOERROR, 2, NULL, 0 },
	{ "www.example.com", INKAN_DNS_A, INKAN_DNS_NOERROR, 1, "192.0.2.1",
	    1 },
	{ "_25._tcp.mx.example.com", INKAN_DNS_TLSA, INKAN_DNS_NOERROR, 1,
	    "3 1 1 0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF012345678"
	    "9ABCDEF",
	    0 },
	{ "raw.example.com", (enum inkan_dns_type)65280, INKAN_DNS_NOERROR, 1,
	    "raw:3", 0 },
	{ "upper.example.com", INKAN_DNS_A, INKAN_DNS_NOERROR, 1, "192.0.2.99",
	    0 },
	{ "nothere.example.com", INKAN_DNS_A, INKAN_DNS_NXDOMAIN, 0, NULL, 0 },
	{ "mx.example.com", INKAN_DNS_TXT, INKAN_DNS_NODATA, 0, NULL, 0 },
};

static void
test_answers(void **state)
{
	struct fixture *f = *state;
	size_t i, failures = 0;
	char buf[512];

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct case_ *c = &cases[i];
		struct inkan_dns_answer *a = NULL;
		const char *first = NULL;

		assert_int_equal(
		    inkan_resolver_lookup(f->r, c->name, c->type, &a),
		    INKAN_OK);
		if (a->count > 0)
			first = rr_text(&a->records[0], buf, sizeof(buf));
		if (a->rcode != c->rcode || a->count != c->count ||
		    a->chain_count != c->chain || a->secure ||
		    (c->first != NULL &&
			(first == NULL || strcmp(first, c->first) != 0))) {
			print_error("%s %u: got %s count=%zu chain=%zu "
				    "secure=%d first=%s why=%s; want %s "
				    "count=%zu chain=%zu first=%s\n",
			    c->name, (unsigned)c->type,
			    inkan_dns_rcode_to_name(a->rcode), a->count,
			    a->chain_count, a->secure, first ? first : "(none)",
			    a->why ? a->why : "-",
			    inkan_dns_rcode_to_name(c->rcode), c->count,
			    c->chain, c->first ? c->first : "(none)");
			failures++;
		}
		inkan_dns_answer_free(&a);
	}
	assert_int_equal(failures, 0);
	assert_int_equal(
	    inkan_resolver_queries(f->r), sizeof(cases) / sizeof(cases[0]));
}

static void
test_fields(void **state)
{
	struct fixture *f = *state;
	struct inkan_dns_answer *a = NULL;
	struct inkan_buf b;

	assert_int_equal(
	    inkan_resolver_lookup(f->r, "www.example.com", INKAN_DNS_MX, &a),
	    INKAN_OK);
	assert_int_equal(a->rcode, INKAN_DNS_NOERROR);
	assert_string_equal(a->name, "www.example.com");
	assert_string_equal(a->canonical_name, "example.com");
	assert_string_equal(a->chain[0].owner, "www.example.com");
	assert_string_equal(a->chain[0].u.target, "example.com");
	assert_int_equal(a->count, 2);
	assert_true(a->ttl > 0 && a->ttl <= 300);
	inkan_dns_answer_free(&a);

	/* The strings as the server sent them, empty one included. */
	assert_int_equal(
	    inkan_resolver_lookup(f->r, "example.com", INKAN_DNS_TXT, &a),
	    INKAN_OK);
	assert_int_equal(a->records[0].u.txt.count, 4);
	assert_int_equal(a->records[0].u.txt.strings[2].len, 0);
	inkan_buf_init(&b, 512);
	assert_int_equal(inkan_dns_txt_join(&a->records[0], &b), INKAN_OK);
	assert_string_equal(inkan_buf_cstr(&b), "v=spf1 ip4:192.0.2.0/24 -all");
	inkan_buf_clear(&b);
	inkan_dns_answer_free(&a);
}

static void
test_timeout(void **state)
{
	struct fixture *f = *state;
	struct inkan_dns_answer *a = NULL;

	assert_int_equal(
	    inkan_resolver_lookup(f->dead, "example.com", INKAN_DNS_TXT, &a),
	    INKAN_OK);
	assert_int_equal(a->rcode, INKAN_DNS_TIMEOUT);
	assert_int_equal(a->count, 0);
	assert_non_null(a->why);
	inkan_dns_answer_free(&a);
	assert_int_equal(inkan_resolver_queries(f->dead), 1);
}

struct worker {
	struct fixture *f;
	unsigned id;
	size_t failures;
};

static void *
work(void *arg)
{
	struct worker *w = arg;
	unsigned i;

	for (i = 0; i < 20; i++) {
		const struct case_ *c =
		    &cases[(w->id + i) % (sizeof(cases) / sizeof(cases[0]))];
		struct inkan_dns_answer *a = NULL;
		bool dead = (w->id + i) % 7 == 0;

		if (inkan_resolver_lookup(dead ? w->f->dead : w->f->r, c->name,
			c->type, &a) != INKAN_OK) {
			w->failures++;
			continue;
		}
		if (a->rcode != (dead ? INKAN_DNS_TIMEOUT : c->rcode))
			w->failures++;
		inkan_dns_answer_free(&a);
	}
	return NULL;
}

/* Many threads on one resolver, answers and timeouts interleaved. */
static void
test_threads(void **state)
{
	struct fixture *f = *state;
	struct worker w[6];
	pthread_t t[6];
	size_t i, failures = 0;

	for (i = 0; i < 6; i++) {
		w[i].f = f;
		w[i].id = (unsigned)i;
		w[i].failures = 0;
		assert_int_equal(pthread_create(&t[i], NULL, work, &w[i]), 0);
	}
	for (i = 0; i < 6; i++) {
		pthread_join(t[i], NULL);
		failures += w[i].failures;
	}
	assert_int_equal(failures, 0);
	assert_int_equal(
	    inkan_resolver_queries(f->r) + inkan_resolver_queries(f->dead),
	    6 * 20);
}

static void
test_options(void **state)
{
	struct inkan_unbound_options o;
	struct inkan_resolver *r = NULL;
	const char *bad[] = { "not an address" };

	(void)state;
	inkan_unbound_options_init(&o);
	assert_string_equal(o.trust_anchor_file, INKAN_DNS_ROOT_KEY);
	o.trust_anchor_file = "/nonexistent/root.key";
	assert_int_equal(
	    inkan_resolver_new_unbound(&o, NULL, &r), INKAN_ERR_NOTFOUND);
	assert_null(r);
	inkan_unbound_options_init(&o);
	o.trust_anchor_file = NULL;
	o.forwarders = bad;
	o.nforwarders = 1;
	assert_int_equal(
	    inkan_resolver_new_unbound(&o, NULL, &r), INKAN_ERR_SYNTAX);
	assert_null(r);
	/* The defaults set up (no query is made). */
	assert_int_equal(inkan_resolver_new_unbound(NULL, NULL, &r), INKAN_OK);
	inkan_resolver_free(&r);
	/* Zone calls on a live resolver are refused. */
	assert_int_equal(inkan_resolver_new_unbound(NULL, NULL, &r), INKAN_OK);
	assert_int_equal(
	    inkan_resolver_zone_inject(r, "x.example", 0, INKAN_DNS_TIMEOUT),
	    INKAN_ERR_INVAL);
	inkan_resolver_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_answers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timeout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_threads, setup, teardown),
		cmocka_unit_test(test_options),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
