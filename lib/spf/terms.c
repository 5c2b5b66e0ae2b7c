/*
 * terms.c: read-only access to the mechanisms and modifiers of a parsed
 * record, for callers that reason about a policy rather than evaluate it
 * (the auditor counts DNS-querying terms across includes with it).
 */
#include <string.h>

#include "spf_impl.h"

/* The public enum follows enum spf_mech one for one. */
_Static_assert((int)INKAN_SPF_MECH_EXISTS == (int)SPF_MECH_EXISTS,
    "enum inkan_spf_mechanism must match enum spf_mech");
_Static_assert((int)INKAN_SPF_MECH_INCLUDE == (int)SPF_MECH_INCLUDE,
    "enum inkan_spf_mechanism must match enum spf_mech");

const char *
inkan_spf_mechanism_name(enum inkan_spf_mechanism m)
{
	switch (m) {
	case INKAN_SPF_MECH_ALL:
		return "all";
	case INKAN_SPF_MECH_INCLUDE:
		return "include";
	case INKAN_SPF_MECH_A:
		return "a";
	case INKAN_SPF_MECH_MX:
		return "mx";
	case INKAN_SPF_MECH_PTR:
		return "ptr";
	case INKAN_SPF_MECH_IP4:
		return "ip4";
	case INKAN_SPF_MECH_IP6:
		return "ip6";
	case INKAN_SPF_MECH_EXISTS:
		return "exists";
	}
	return "unknown";
}

size_t
inkan_spf_record_nterms(const struct inkan_spf_record *rec)
{
	return rec != NULL ? rec->nterms : 0;
}

bool
inkan_spf_record_term(const struct inkan_spf_record *rec, size_t i,
    struct inkan_spf_term_info *t_r)
{
	const struct spf_term *t;

	if (rec == NULL || t_r == NULL || i >= rec->nterms)
		return false;
	t = &rec->terms[i];
	memset(t_r, 0, sizeof(*t_r));
	t_r->mechanism = (enum inkan_spf_mechanism)t->mech;
	t_r->qualifier = (enum inkan_spf_result)t->result;
	t_r->text = spf_term_view(rec, t->off, t->len);
	if ((t->flags & SPF_TERM_DOMAIN) != 0)
		t_r->domain = spf_term_view(rec, t->dom_off, t->dom_len);
	else
		t_r->domain = inkan_view_make(rec->text + t->off, 0);
	t_r->macro = (t->flags & SPF_TERM_MACRO) != 0;
	return true;
}

bool
inkan_spf_record_modifier(const struct inkan_spf_record *rec, const char *name,
    struct inkan_view *domain_r, bool *macro_r)
{
	const struct spf_modifier *m;

	if (rec == NULL || name == NULL || domain_r == NULL)
		return false;
	if (strcmp(name, "redirect") == 0)
		m = &rec->redirect;
	else if (strcmp(name, "exp") == 0)
		m = &rec->exp;
	else
		return false;
	if (!m->present)
		return false;
	*domain_r = spf_term_view(rec, m->dom_off, m->dom_len);
	if (macro_r != NULL)
		*macro_r = m->macro;
	return true;
}
