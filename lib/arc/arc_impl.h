/*
 * arc_impl.h: the parts of lib/arc shared by its files, the unit tests and
 * the fuzz targets. Private to lib/arc.
 *
 * - parse.c: the three ARC header fields (RFC 8617 4.1): the instance tag,
 *   the AMS and AS tag-lists (through lib/dkim's tag-list parser) and the
 *   AAR prefix, and a small RFC 8601 authserv-id reader.
 * - verify.c: the context, and chain validation (RFC 8617 5.2) over the
 *   header store and streaming body hashers of lib/dkim.
 * - seal.c: sealing (RFC 8617 5.1), built on the verifier.
 */
#ifndef INKAN_ARC_IMPL_H
#define INKAN_ARC_IMPL_H

#include <inkan/arc.h>

#include "dkim/dkim_impl.h"

struct inkan_arc {
	struct inkan_dkim *dkim;
};

/* The three ARC header fields (RFC 8617 4.1). */
enum arc_kind {
	ARC_NOT = 0, /* some other header field */
	ARC_AAR, /* ARC-Authentication-Results */
	ARC_AMS, /* ARC-Message-Signature */
	ARC_AS, /* ARC-Seal */
};

/* The kind of a header field by its name (case-insensitive). */
enum arc_kind arc_field_kind(struct inkan_view name);

/*
 * An ARC-Message-Signature or ARC-Seal as parsed. Strings are in the
 * arena given to arc_parse_sig(); views point into the field.
 */
struct arc_sig {
	enum arc_kind kind;
	/* i=: 1..limit; 0 when absent or not 1*2DIGIT (RFC 8617 4.2.1). */
	unsigned instance;
	/* i= is a number but above the limit (a chain of more than 50). */
	bool instance_too_big;
	/* NULL when the field is usable, else why not (static or arena). */
	const char *why;
	enum inkan_dkim_algorithm alg;
	enum inkan_arc_cv cv; /* AS cv= */
	bool cv_valid; /* AS: cv= present and none, pass or fail */
	char *domain; /* d=, lowercase */
	char *selector; /* s= */
	char *b; /* b= without FWS */
	char *headers; /* AMS h=, as written */
	struct inkan_view h; /* AMS h= */
	enum inkan_dkim_canon hcanon, bcanon; /* AMS c= */
	bool has_length; /* AMS l= */
	uint64_t length;
	int64_t timestamp; /* t=, or -1 */
	uint8_t *sig, *bh; /* b= and bh= decoded */
	size_t siglen, bhlen;
	/* b='s value in the raw field, to empty it (RFC 6376 3.7). */
	size_t b_start, b_end;
	char *keyname; /* selector._domainkey.domain, lowercase */
};

/*
 * Parses the raw field (name, colon, value and CRLF, as lib/dkim's header
 * store keeps it; name_len long name) of kind ARC_AMS or ARC_AS into *s.
 * The field need not be usable: s->why says why not, s->instance is set
 * whenever i= could be read. Returns INKAN_OK, or INKAN_ERR_NOMEM when the
 * arena is full.
 */
enum inkan_status arc_parse_sig(enum arc_kind kind, struct inkan_view raw,
    size_t name_len, const struct inkan_limits *lim, struct inkan_arena *a,
    struct arc_sig *s);

/* An ARC-Authentication-Results as parsed (RFC 8617 4.1.1). */
struct arc_aar {
	unsigned instance; /* 0 when the "i=N;" prefix is malformed */
	bool instance_too_big;
	const char *why; /* NULL when well-formed */
	struct inkan_view payload; /* authres-payload, FWS around removed */
};

/* Parses the value of an AAR (after the colon, CRLF optional). */
void arc_parse_aar(
    struct inkan_view value, const struct inkan_limits *lim, struct arc_aar *r);

/*
 * Reads the authserv-id at the start of an Authentication-Results value
 * or AAR authres-payload (RFC 8601 2.2: [CFWS] authserv-id [CFWS
 * authres-version] [CFWS] ";") with lib/authres's reader: appends the id
 * to id_out (decoded: a quoted-string loses its quotes; id_out's maximum
 * bounds it) and sets *rest_r to what follows the ';' (the resinfo list,
 * or "none"), a view into value. Returns INKAN_OK, INKAN_ERR_SYNTAX when
 * the value does not start that way, INKAN_ERR_LIMIT for a value above
 * the limits' authres_field_max or an id above id_out's maximum,
 * INKAN_ERR_NOMEM.
 */
enum inkan_status arc_authserv_id(struct inkan_view value,
    struct inkan_buf *id_out, struct inkan_view *rest_r);

/* The value of a raw field: after the colon, without the final CRLF. */
struct inkan_view arc_field_value(struct inkan_view raw, size_t name_len);

/* ---- the verifier (verify.c), which the sealer builds on ---------------- */

/* The fields of one instance, by index into the header store. */
struct arc_setinfo {
	size_t aar, ams, as; /* SIZE_MAX when absent */
	struct arc_sig ams_sig, as_sig;
	struct arc_aar aar_parsed;
	size_t hasher; /* for the AMS; SIZE_MAX when none */
};

struct inkan_arc_verify {
	struct inkan_arc *arc;
	struct inkan_dkim *dkim;
	unsigned flags;
	struct inkan_arena arena;
	struct dkim_msg msg;
	bool finished, broken;
	/* Sealing: also hash the body relaxed with SHA-256 (the new AMS). */
	bool for_seal;
	size_t seal_hasher;
	/* From the header section (start_body): */
	struct arc_setinfo *info; /* [0..n_info): instance k + 1 */
	size_t n_info;
	bool any_arc; /* at least one ARC header field */
	/* Highest readable instance of any ARC field, and of an AS; the
	   newest AS's cv= says fail (RFC 8617 5.1 step 2, 5.2 step 2). */
	unsigned max_instance;
	bool too_many; /* an instance past arc_instances_max */
	bool newest_as_fail;
	const char *structure_why; /* NULL: the structure is valid */
	unsigned structure_instance;
	struct dkim_bodyhash *hashers;
	size_t nhashers;
	size_t lookups;
	struct inkan_arc_set *sets;
	struct inkan_arc_result result;
	struct inkan_buf tmp;
	char error[300];
};

/* inkan_arc_verify_new() with for_seal set. */
enum inkan_status arc_verify_start(struct inkan_arc *arc, unsigned flags,
    bool for_seal, struct inkan_arc_verify **v_r);

/*
 * Appends the relaxed canonical form (RFC 8617 4.1.3) of the message's
 * ARC Sets 1..count, each as AAR, AMS, AS with their CRLF (RFC 8617
 * 5.1.1): the start of what an ARC-Seal signs. The sets must exist.
 */
enum inkan_status arc_chain_data(
    struct inkan_arc_verify *v, unsigned count, struct inkan_buf *out);

/* A copy of the raw field without b='s value (b_start..b_end). */
struct inkan_view arc_without_b(
    struct inkan_arena *a, struct inkan_view raw, size_t b_start, size_t b_end);

#endif
