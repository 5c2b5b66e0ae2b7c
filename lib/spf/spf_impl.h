/*
 * spf_impl.h: what the files of lib/spf share: the parsed record, the
 * macro expander's interface, and small helpers. Not public.
 *
 * record.c parses a record into an array of terms with every piece
 * pre-split, so that eval.c never parses text. macro.c expands the
 * macro-strings of RFC 7208 section 7. eval.c is check_host() with its
 * record cache. spf.c holds the names, address parsing and Received-SPF.
 */
#ifndef INKAN_SPF_IMPL_H
#define INKAN_SPF_IMPL_H

#include <sys/socket.h>

#include <inkan/spf.h>

#include "util/ttlcache.h"

/* RFC 7208 5: the mechanisms. */
enum spf_mech {
	SPF_MECH_ALL = 0,
	SPF_MECH_INCLUDE,
	SPF_MECH_A,
	SPF_MECH_MX,
	SPF_MECH_PTR,
	SPF_MECH_IP4,
	SPF_MECH_IP6,
	SPF_MECH_EXISTS,
};

/* A term has a domain-spec (else the current domain is meant). */
#define SPF_TERM_DOMAIN 0x01
/* Its domain-spec contains a macro-expand (%{..} %% %_ %-): expand it. */
#define SPF_TERM_MACRO 0x02

/* One mechanism of a record, pre-split. Offsets index the record text. */
struct spf_term {
	uint8_t mech; /* enum spf_mech */
	uint8_t result; /* enum inkan_spf_result of its qualifier */
	uint8_t cidr4; /* 0-32; 32 when not given */
	uint8_t cidr6; /* 0-128; 128 when not given */
	uint8_t flags; /* SPF_TERM_* */
	uint32_t off, len; /* the term as written, qualifier included */
	uint32_t dom_off, dom_len; /* the domain-spec, when SPF_TERM_DOMAIN */
	uint8_t net[16]; /* ip4, ip6: the network, host bits cleared */
};

/* A modifier that takes a domain-spec (redirect=, exp=). */
struct spf_modifier {
	bool present;
	bool macro; /* the domain-spec contains a macro-expand */
	uint32_t off, len; /* the modifier as written */
	uint32_t dom_off, dom_len; /* its domain-spec */
};

/*
 * A parsed record: one allocation holding this header, the terms and a
 * NUL-terminated copy of the text. refs counts its owners (the cache and
 * the evaluations using it); inkan_spf_record_free() drops one.
 */
struct inkan_spf_record {
	unsigned refs;
	size_t nterms;
	struct spf_term *terms;
	struct spf_modifier redirect;
	struct spf_modifier exp;
	size_t len;
	char *text;
};

/* Records are shared between the cache and running evaluations. */
void spf_record_ref(struct inkan_spf_record *rec);

/* ---- macros (RFC 7208 7) ---------------------------------------------- */

enum spf_macro_mode {
	/* A domain-spec: c, r and t are errors (7.2); the result is
	   shortened to 253 characters by dropping labels (7.3). */
	SPF_MACRO_DOMAIN = 0,
	/* The explanation text of exp= (6.2): every letter is allowed. */
	SPF_MACRO_EXP,
	/* An unknown modifier's value: only checked, every letter valid. */
	SPF_MACRO_ANY,
};

/*
 * What the macro letters expand to. Views are borrowed. ptr_name is asked
 * for %{p} only (it may do DNS: RFC 7208 7.3 validated name); it sets
 * *name_r to the name or "unknown" and returns INKAN_OK, or an error
 * status that aborts the expansion.
 */
struct spf_macro_env {
	const struct inkan_spf_ip *ip;
	struct inkan_view sender; /* %{s} */
	struct inkan_view local; /* %{l} */
	struct inkan_view sender_domain; /* %{o} */
	struct inkan_view domain; /* %{d} */
	struct inkan_view helo; /* %{h} */
	struct inkan_view receiver; /* %{r} */
	int64_t now; /* %{t} */
	enum inkan_status (*ptr_name)(void *arg, struct inkan_view *name_r);
	void *arg;
};

/*
 * Checks that spec is a macro-string (RFC 7208 7.1) whose letters mode
 * allows. On failure returns false with *off_r the offset of the bad byte
 * in spec and *why_r a static phrase. *has_macro_r says whether spec
 * contains any macro-expand (%{...}, %%, %_ or %-): whether it must be
 * expanded rather than used as it is.
 */
bool spf_macro_check(struct inkan_view spec, enum spf_macro_mode mode,
    bool *has_macro_r, size_t *off_r, const char **why_r);

/*
 * Appends the expansion of spec (already checked) to out. Returns
 * INKAN_OK; INKAN_ERR_SYNTAX for a letter mode does not allow;
 * INKAN_ERR_LIMIT when out's maximum is reached; ptr_name's status.
 * In SPF_MACRO_DOMAIN mode a trailing dot is removed and a result longer
 * than 253 characters loses labels from the left (RFC 7208 7.3).
 */
enum inkan_status spf_macro_expand(const struct spf_macro_env *env,
    struct inkan_view spec, enum spf_macro_mode mode, struct inkan_buf *out);

/* ---- small helpers -------------------------------------------------- */

/*
 * RFC 7208 4.3: true if name (without a trailing dot) is a multi-label
 * domain name with labels of 1-63 octets and at most 253 octets in all.
 */
bool spf_domain_valid(struct inkan_view name);

/* RFC 7208 7.1 toplabel: alphanumeric with a letter, or with inner
   hyphens. */
bool spf_toplabel_valid(struct inkan_view label);

/* RFC 7208 12 ip4-network (a dotted quad without leading zeros) into
   out[4]; false for anything else. */
bool spf_ip4_parse(struct inkan_view v, uint8_t out[4]);

/* The reverse-lookup name of ip (RFC 7208 5.5): "4.3.2.1.in-addr.arpa". */
void spf_ip_reverse_name(const struct inkan_spf_ip *ip, char *buf, size_t size);

/* ip as text: dotted quad, or RFC 5952 form for IPv6 (%{c}). */
void spf_ip_text(const struct inkan_spf_ip *ip, char *buf, size_t size);

/* ---- the evaluation context (eval.c, cache.c, check.c) ---------------- */

/* What a record lookup came to. */
enum spf_fetch {
	SPF_FETCH_RECORD,
	SPF_FETCH_NONE,
	SPF_FETCH_PERMERROR,
	SPF_FETCH_TEMPERROR,
};

struct spf_cache_entry {
	struct ttl_entry base; /* first: the table's part */
	enum spf_fetch kind; /* RECORD, NONE or PERMERROR */
	struct inkan_spf_record *rec; /* RECORD: one reference */
	char *why; /* PERMERROR: why (allocated) */
	char key[]; /* lowercase domain, NUL-terminated */
};

/* One check_host() level: the record of domain, and where we are in it. */
struct spf_frame {
	struct inkan_spf_record *rec; /* a reference, or NULL */
	size_t next; /* the next term to evaluate */
	bool redirected; /* reached through redirect= (6.1) */
	size_t dlen;
	uint64_t hash; /* of domain, the cache's key */
	char domain[INKAN_DNS_NAME_MAX + 1]; /* lowercase, no trailing dot */
};

/* A trace step before the verdict exists: offsets into trace_text. */
struct spf_step {
	enum inkan_spf_step_kind kind;
	unsigned depth;
	size_t domain_off;
	size_t text_off;
};

struct inkan_spf {
	struct inkan_resolver *resolver;
	struct inkan_limits lim;
	int64_t (*clock)(void *arg);
	void *clock_arg;

	struct ttl_cache cache; /* of struct spf_cache_entry */

	/* Per-check state, reset by each check. */
	unsigned flags;
	const struct inkan_spf_ip *ip;
	struct inkan_view sender, local, sender_domain, helo, receiver;
	int64_t now;
	unsigned dns_terms;
	unsigned voids;
	unsigned depth;
	unsigned deepest; /* the deepest frame used since the last reset */
	struct spf_frame *frames; /* lim.spf_depth_max + 1 of them */
	/* The term that decided at the top level, or NULL. */
	const struct inkan_spf_record *mech_rec;
	const struct spf_term *mech_term;
	bool ptr_done; /* %{p} computed for this check */
	char ptr_name[INKAN_DNS_NAME_MAX + 1];

	struct inkan_buf name; /* a macro-expanded target name */
	struct inkan_buf txt; /* joined TXT strings */
	struct inkan_buf exp; /* the explanation */
	struct inkan_buf reason; /* the verdict's reason */
	struct inkan_buf trace_text; /* NUL-separated trace strings */
	struct spf_step *steps;
	size_t nsteps, steps_cap;
	bool trace_oom; /* the trace ran out of room: it ends there */
};

static inline bool
spf_tracing(const struct inkan_spf *s)
{
	return (s->flags & INKAN_SPF_TRACE) != 0;
}

/* The text rec->text[off..off+len) (a term as written) as a view. */
static inline struct inkan_view
spf_term_view(const struct inkan_spf_record *rec, uint32_t off, uint32_t len)
{
	return inkan_view_make(rec->text + off, len);
}

/* Sets the verdict's reason, unless one was set already (the first cause
   wins). */
void spf_set_reason(struct inkan_spf *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Appends an untrusted view to the reason, escaped. */
void spf_reason_esc(struct inkan_spf *s, struct inkan_view v);

/* Drops f's record reference. */
void spf_frame_release(struct spf_frame *f);

/* Sets up f for domain name (lowercased, a trailing dot dropped); false
   if the name does not fit. */
bool spf_frame_set(
    struct spf_frame *f, struct inkan_view name, bool redirected);

/*
 * RFC 7208 4: check_host() for the domain in s->frames[0] (already set);
 * the result in *res_r. Returns INKAN_OK or INKAN_ERR_NOMEM.
 */
enum inkan_status spf_check_host(
    struct inkan_spf *s, enum inkan_spf_result *res_r);

/* RFC 7208 6.2: fills s->exp with the explanation of a fail. */
enum inkan_status spf_explain(struct inkan_spf *s);

/* Makes s's empty cache (spf_cache_max entries). INKAN_ERR_NOMEM. */
enum inkan_status spf_cache_init(struct inkan_spf *s);

/* The live cache entry for key (lowercase, n bytes), or NULL; drops it
   when it has expired. */
struct spf_cache_entry *spf_cache_find(
    struct inkan_spf *s, const char *key, size_t n, uint64_t h);

/* Caches an answer for key for ttl seconds (0: not at all); rec gets a
   reference of its own; why is copied. Failing to allocate only skips
   caching. */
void spf_cache_put(struct inkan_spf *s, const char *key, size_t n, uint64_t h,
    uint32_t ttl, enum spf_fetch kind, struct inkan_spf_record *rec,
    const char *why);

#endif
