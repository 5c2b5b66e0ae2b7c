/*
 * dmarc_impl.h: what the files of lib/dmarc share.
 *
 * record.c	the DMARC Policy Record parser (RFC 9989 4.7, 4.8)
 * cache.c	the context, its record cache and fetching one name
 * discover.c	the DNS Tree Walk (4.10), policy discovery (4.10.1), the
 *		Organizational Domain (4.10.2), RFC 7489 mode, lookups
 * psl.c	the public suffix list through libpsl (RFC 7489 3.2)
 * evaluate.c	evaluation of a message (5.3) and its report row
 * report.c	external report destinations (RFC 9990 3)
 * names.c	enum words
 */
#ifndef INKAN_DMARC_IMPL_H
#define INKAN_DMARC_IMPL_H

#include <inkan/dmarc.h>

#include "util/ttlcache.h"

/* Per-object memory: records, lookups and verdicts each own an arena. */
#define DMARC_ARENA_MAX (4u * 1024 * 1024)

/* A record with its reference count and storage; pub comes first. */
struct dmarc_record {
	struct inkan_dmarc_record pub;
	unsigned refs;
	struct inkan_arena arena;
};

/* Adds a reference to rec (a record from inkan_dmarc_record_parse()). */
void dmarc_record_ref(struct inkan_dmarc_record *rec);

/*
 * True if text[0..len) starts with the DMARC version tag, v=DMARC1 (RFC
 * 9989 4.7 v, 4.10 step 2): what makes a TXT string a DMARC record.
 */
bool dmarc_starts_with_version(const uint8_t *text, size_t len);

/* ---- names ------------------------------------------------------------- */

/*
 * Normalises a domain into out (size at least INKAN_DNS_NAME_MAX + 1):
 * lowercase, one trailing dot dropped. Returns false when it is not a
 * domain name: empty, an empty label, a label over 63 or a name over 253
 * characters, a byte other than letter, digit, hyphen, underscore.
 */
bool dmarc_domain_normalise(const char *in, char *out, size_t size);

/* Labels in a normalised domain. */
size_t dmarc_label_count(const char *domain);

/* The last n labels of a normalised domain (a pointer into it). */
const char *dmarc_domain_suffix(const char *domain, size_t n);

/* ---- the context ------------------------------------------------------- */

struct dmarc_cache_entry {
	struct ttl_entry base; /* first: the table's part */
	enum inkan_dmarc_step_outcome outcome;
	uint32_t ttl;
	struct inkan_dmarc_record *rec; /* RECORD: one reference */
	char *text; /* RECORD: the record text, escaped */
	char *why;
	char key[]; /* NUL-terminated */
};

struct dmarc_psl;

struct inkan_dmarc {
	struct inkan_resolver *resolver;
	struct inkan_limits lim;
	struct inkan_dmarc_options opt;
	struct dmarc_psl *psl; /* RFC 7489 mode only */
	struct ttl_cache cache; /* of struct dmarc_cache_entry */
	int64_t now; /* the clock, read at each public entry point */
	uint64_t dns_queries; /* queries sent (cache misses) */
};

/* Reads the clock into d->now. */
void dmarc_clock(struct inkan_dmarc *d);

/* What one query came to (see struct inkan_dmarc_step). */
struct dmarc_fetch {
	enum inkan_dmarc_step_outcome outcome;
	bool cached;
	uint32_t ttl;
	struct inkan_dmarc_record *rec; /* RECORD: one reference, or NULL */
	char *text; /* RECORD: the text (malloc'd), else NULL */
	char *why; /* malloc'd sentence */
};

void dmarc_fetch_clear(struct dmarc_fetch *f);

/*
 * Asks for the DMARC record at qname (lowercase, no trailing dot),
 * through the cache. Returns INKAN_OK with *f filled (any outcome);
 * INKAN_ERR_NOMEM; INKAN_ERR_SYNTAX for a name the resolver refuses.
 */
enum inkan_status dmarc_fetch(
    struct inkan_dmarc *d, const char *qname, struct dmarc_fetch *f);

/* ---- output: steps and warnings of a lookup or verdict ---------------- */

/* Growable lists and the arena the strings of one result live in. */
struct dmarc_out {
	struct inkan_arena *arena;
	struct inkan_dmarc_step *steps;
	size_t nsteps, capsteps;
	const char **warnings;
	size_t nwarnings, capwarnings;
	/* Record references the result holds, released when it is freed. */
	struct inkan_dmarc_record **recs;
	size_t nrecs, caprecs;
	bool nomem; /* sticky: an allocation failed */
};

void dmarc_out_init(struct dmarc_out *o, struct inkan_arena *arena);
/* Frees the lists and releases the references. */
void dmarc_out_clear(struct dmarc_out *o);
/* Copies s into the arena (NULL gives NULL; failure sets nomem). */
const char *dmarc_out_str(struct dmarc_out *o, const char *s);
/* printf into the arena; NULL and nomem on failure. */
const char *dmarc_out_printf(struct dmarc_out *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void dmarc_out_step(
    struct dmarc_out *o, const char *qname, const struct dmarc_fetch *f);
void dmarc_out_warn(struct dmarc_out *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Keeps a reference to rec for the result's life; returns rec. */
const struct inkan_dmarc_record *dmarc_out_hold(
    struct dmarc_out *o, struct inkan_dmarc_record *rec);
/* Moves from's record references to to (both share one arena). */
void dmarc_out_adopt(struct dmarc_out *to, struct dmarc_out *from);
/* Copies the lists into the arena; false on failure. */
bool dmarc_out_finish(struct dmarc_out *o,
    const struct inkan_dmarc_step **steps_r, size_t *nsteps_r,
    const char *const **warnings_r, size_t *nwarnings_r);

/* ---- discovery --------------------------------------------------------- */

/* A record found on a walk. */
struct dmarc_found {
	char domain[INKAN_DNS_NAME_MAX + 1];
	struct inkan_dmarc_record *rec; /* one reference */
	const char *text; /* the fetch's text, owned by the walk */
};

/*
 * One DNS Tree Walk (RFC 9989 4.10), resumable: the names to query are
 * fixed at the start, and walk_run() goes on from where it stopped.
 */
struct dmarc_walk {
	char start[INKAN_DNS_NAME_MAX + 1];
	const char *names[INKAN_DMARC_TREE_WALK_MAX]; /* into start */
	size_t nnames;
	size_t next; /* the next name to query */
	bool done; /* stopped by psd=, or every name queried */
	bool temperror; /* a query failed temporarily: walk stopped */
	char temp_name[INKAN_DNS_NAME_MAX + 8]; /* the query that failed */
	size_t nfound; /* records found, longest name first */
	struct dmarc_found found[INKAN_DMARC_TREE_WALK_MAX];
	char *texts[INKAN_DMARC_TREE_WALK_MAX];
};

/* Sets up a walk from start (normalised). */
void dmarc_walk_init(struct dmarc_walk *w, const char *start);
/* Releases the walk's references. */
void dmarc_walk_clear(struct dmarc_walk *w);

/*
 * Runs the walk on, recording each query in o (may be NULL). With
 * first_only, stops after the first query. Returns INKAN_OK (check
 * w->temperror), INKAN_ERR_NOMEM, INKAN_ERR_SYNTAX.
 */
enum inkan_status dmarc_walk_run(struct inkan_dmarc *d, struct dmarc_walk *w,
    struct dmarc_out *o, bool first_only);

/* RFC 9989 4.10.2: the Organizational Domain of a finished walk. */
const char *dmarc_walk_org(const struct dmarc_walk *w);

/*
 * The Organizational Domain of domain (normalised) into org (size
 * INKAN_DNS_NAME_MAX + 1), by the mode's method, recording queries in o
 * (may be NULL). Returns INKAN_OK, INKAN_ERR_DNS (temporary failure),
 * INKAN_ERR_NOTFOUND (RFC 7489 mode, domain is a public suffix; org is
 * domain), INKAN_ERR_NOMEM.
 */
enum inkan_status dmarc_org_domain(
    struct inkan_dmarc *d, const char *domain, char *org, struct dmarc_out *o);

/* Policy discovery for one Author Domain (normalised). */
struct dmarc_policy {
	enum inkan_dmarc_lookup_status status;
	char policy_domain[INKAN_DNS_NAME_MAX + 1];
	struct inkan_dmarc_record *rec; /* FOUND: a reference */
	const char *text; /* FOUND: owned by the walk or fetch */
	bool own; /* the record is the Author Domain's own */
	/* The Organizational Domain, when known (org_known). */
	bool org_known;
	bool org_temperror;
	char org[INKAN_DNS_NAME_MAX + 1];
	char temp_name[INKAN_DNS_NAME_MAX + 8];
	struct dmarc_walk walk; /* tree walk mode */
	struct dmarc_fetch f1, f2; /* RFC 7489 mode */
};

/*
 * Finds the policy for author (normalised). With need_org, also the
 * Organizational Domain (the whole walk); without, the walk stops at the
 * Author Domain's own record. Returns INKAN_OK, INKAN_ERR_NOMEM,
 * INKAN_ERR_SYNTAX.
 */
enum inkan_status dmarc_policy_discover(struct inkan_dmarc *d,
    const char *author, bool need_org, struct dmarc_policy *p,
    struct dmarc_out *o);
/* Finishes the Organizational Domain of a policy discovery. */
enum inkan_status dmarc_policy_org(
    struct inkan_dmarc *d, struct dmarc_policy *p, struct dmarc_out *o);
void dmarc_policy_clear(struct dmarc_policy *p);

/* ---- public suffix list ----------------------------------------------- */

/* Loads path (NULL: Debian's list). INKAN_ERR_NOTFOUND / IO / NOMEM. */
enum inkan_status dmarc_psl_load(const char *path, struct dmarc_psl **psl_r);
void dmarc_psl_free(struct dmarc_psl **psl);
/*
 * The registrable domain (public suffix plus one label) of domain
 * (normalised) into org; false when domain is a public suffix itself
 * (org is then domain).
 */
bool dmarc_psl_org(
    const struct dmarc_psl *psl, const char *domain, char *org, size_t size);

#endif
