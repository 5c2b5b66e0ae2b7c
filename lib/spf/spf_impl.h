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

/* The reverse-lookup name of ip (RFC 7208 5.5): "4.3.2.1.in-addr.arpa". */
void spf_ip_reverse_name(const struct inkan_spf_ip *ip, char *buf, size_t size);

/* ip as text: dotted quad, or RFC 5952 form for IPv6 (%{c}). */
void spf_ip_text(const struct inkan_spf_ip *ip, char *buf, size_t size);

#endif
