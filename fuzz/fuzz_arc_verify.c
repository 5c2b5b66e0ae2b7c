/*
 * fuzz_arc_verify.c: whole messages through ARC chain validation and
 * sealing (lib/arc), with a zone resolver that holds the ARC test suite's
 * "dummy" RSA key (example.org) and an Ed25519 key (forwarder.example).
 *
 * The first input byte: bit 0 takes LF line endings as CRLF
 * (INKAN_DKIM_ALLOW_LF), bit 1 also seals the message, the other bits
 * choose the chunk size the message is fed in (1..64 bytes, or all at
 * once). The rest is the message; the seed corpus holds the suite's.
 *
 * The target traps when a result breaks the algorithm's own promises:
 * none with sets, pass with a set whose seal or newest AMS did not
 * verify, an oldest-pass outside 0..N, a missing reason; or when a
 * message whose chain passed (or had none) and was sealed does not pass
 * again with the new set in front of it (RFC 8617 5.1: sealing a valid
 * chain keeps it valid).
 */
#include <stdlib.h>
#include <string.h>

#include <inkan/arc.h>
#include <inkan/dns.h>

#include "fuzz.h"

static const char ed_pem[] =
    "-----BEGIN PRIVATE KEY-----\n"
    "MC4CAQAwBQYDK2VwBCIEIEGP4ZwhJww8+QMk3M2YZM8huoGbCo3SKfMlMEDOMk+4\n"
    "-----END PRIVATE KEY-----\n";

static struct inkan_arc *
context(struct inkan_dkim_key **key_r)
{
	static struct inkan_resolver *r;
	static struct inkan_dkim *d;
	static struct inkan_arc *arc;
	static struct inkan_dkim_key *key;
	static const char zone[] =
	    "dummy._domainkey.example.org. 300 IN TXT \"v=DKIM1; k=rsa; "
	    "p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDkHlOQoBTzWR\" "
	    "\"iGs5V6NpP3idY6Wk08a5qhdR6wy5bdOKb2jLQiY/J16JYi0Qvx/byYzCNb3W91y3"
	    "FutACDfzwQ/BC/e/8uBsCR+yz1Lxj+PL6lHvqMKrM3rG4hstT5QjvHO9PzoxZyVYL"
	    "zBfO2EeC3Ip3G+2kryOTIKT+l/K4w3QIDAQAB\"\n"
	    "ed2026._domainkey.forwarder.example. 300 IN TXT \"v=DKIM1; "
	    "k=ed25519; p=Ts1Ww/YhvLeh2SHTNjnT1piUkXbFiSSaEVwNvEAEtno=\"\n";

	if (arc == NULL &&
	    (inkan_resolver_new_zone(NULL, &r) != INKAN_OK ||
		inkan_resolver_zone_load_string(
		    r, zone, sizeof(zone) - 1, NULL) != INKAN_OK ||
		inkan_dkim_new(r, NULL, NULL, &d) != INKAN_OK ||
		inkan_arc_new(d, &arc) != INKAN_OK ||
		inkan_dkim_key_load_pem(ed_pem, sizeof(ed_pem) - 1, &key) !=
		    INKAN_OK))
		abort();
	*key_r = key;
	return arc;
}

/* The promises of struct inkan_arc_result. */
static void
check(const struct inkan_arc_result *r)
{
	size_t k;

	if (r == NULL || r->reason == NULL || r->oldest_pass > r->count ||
	    (r->count > 0 && r->sets == NULL) ||
	    r->count > INKAN_ARC_INSTANCES_MAX)
		__builtin_trap();
	if (r->cv == INKAN_ARC_NONE && r->count != 0)
		__builtin_trap();
	if (r->cv != INKAN_ARC_PASS)
		return;
	if (r->count == 0 || !r->sets[r->count - 1].ams.verified)
		__builtin_trap();
	for (k = 0; k < r->count; k++)
		if (r->sets[k].instance != k + 1 || !r->sets[k].as.verified ||
		    r->sets[k].aar == NULL)
			__builtin_trap();
}

/* Validates p[0..n) fed in chunks of chunk bytes (0: at once); the cv,
   or -1 when the header section could not be read. */
static int
validate(struct inkan_arc *arc, unsigned flags, size_t chunk, const uint8_t *p,
    size_t n)
{
	struct inkan_arc_verify *v = NULL;
	enum inkan_status st = INKAN_OK;
	size_t off = 0, k;
	int cv = -1;

	if (inkan_arc_verify_new(arc, flags, &v) != INKAN_OK)
		abort();
	while (off < n && st == INKAN_OK) {
		k = chunk == 0 || n - off < chunk ? n - off : chunk;
		st = inkan_arc_verify_feed(v, p + off, k);
		off += k;
	}
	if (st == INKAN_OK && inkan_arc_verify_finish(v) == INKAN_OK) {
		check(inkan_arc_verify_result(v));
		cv = (int)inkan_arc_verify_result(v)->cv;
	}
	inkan_arc_verify_free(&v);
	return cv;
}

static void
seal(struct inkan_arc *arc, struct inkan_dkim_key *key, unsigned flags,
    const uint8_t *p, size_t n, int cv)
{
	struct inkan_arc_seal_options o;
	struct inkan_arc_seal *s = NULL;
	struct inkan_buf out;

	inkan_arc_seal_options_init(&o);
	o.domain = "forwarder.example";
	o.selector = "ed2026";
	o.authserv_id = "example.org";
	o.timestamp = 1;
	inkan_buf_init(&out, 4u << 20);
	if (inkan_arc_seal_new(arc, &o, key, flags, &s) != INKAN_OK)
		abort();
	if (inkan_arc_seal_feed(s, p, n) == INKAN_OK &&
	    inkan_arc_seal_finish(s, &out) == INKAN_OK &&
	    inkan_arc_seal_added(s)) {
		check(inkan_arc_seal_chain(s));
		if ((int)inkan_arc_seal_chain(s)->cv != cv)
			__builtin_trap();
		if (inkan_buf_append(&out, p, n) == INKAN_OK &&
		    (cv == INKAN_ARC_PASS || cv == INKAN_ARC_NONE) &&
		    validate(arc, flags, 0, out.data, out.len) !=
			INKAN_ARC_PASS)
			__builtin_trap();
	}
	inkan_arc_seal_free(&s);
	inkan_buf_clear(&out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct inkan_dkim_key *key;
	struct inkan_arc *arc = context(&key);
	unsigned flags;
	size_t chunk;
	int cv;

	if (size < 1)
		return 0;
	flags = (data[0] & 1) ? INKAN_DKIM_ALLOW_LF : 0;
	chunk = data[0] >> 2;
	cv = validate(arc, flags, chunk, data + 1, size - 1);
	if ((data[0] & 2) && cv >= 0)
		seal(arc, key, flags, data + 1, size - 1, cv);
	return 0;
}
