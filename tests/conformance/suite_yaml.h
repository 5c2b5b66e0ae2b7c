/*
 * suite_yaml.h: what the conformance drivers that read YAML suites
 * (arc_valimail.c, spf_openspf.c) share: finding nodes in a libyaml
 * document. Static functions: each driver is one program.
 *
 *	yaml_node_t *tests = suite_yaml_get(doc, root, "tests");
 */
#ifndef INKAN_TESTS_SUITE_YAML_H
#define INKAN_TESTS_SUITE_YAML_H

#include <string.h>

#include <yaml.h>

/* Node id of doc, or NULL (libyaml's ids start at 1). */
static inline yaml_node_t *
suite_yaml_node(yaml_document_t *doc, int id)
{
	return yaml_document_get_node(doc, id);
}

/* The value of the scalar key in mapping m, or NULL (also when m is NULL
   or not a mapping). */
static inline yaml_node_t *
suite_yaml_get(yaml_document_t *doc, yaml_node_t *m, const char *key)
{
	yaml_node_pair_t *p;

	if (m == NULL || m->type != YAML_MAPPING_NODE)
		return NULL;
	for (p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *k = suite_yaml_node(doc, p->key);

		if (k != NULL && k->type == YAML_SCALAR_NODE &&
		    strlen(key) == k->data.scalar.length &&
		    memcmp(k->data.scalar.value, key, k->data.scalar.length) ==
			0)
			return suite_yaml_node(doc, p->value);
	}
	return NULL;
}

#endif
