/*
 * grade.c: the grade of docs/grading.md. The rule counts findings by
 * severity only, so it is the same for every area and easy to explain:
 * one critical problem fails the domain whatever else is right.
 */
#include "audit_impl.h"

char
inkan_audit_grade(const struct inkan_audit_finding *findings, size_t n)
{
	size_t count[INKAN_AUDIT_CRITICAL + 1] = { 0 };
	size_t i;

	for (i = 0; findings != NULL && i < n; i++)
		if (findings[i].severity <= INKAN_AUDIT_CRITICAL)
			count[findings[i].severity]++;
	if (count[INKAN_AUDIT_CRITICAL] > 0 || count[INKAN_AUDIT_HIGH] >= 3)
		return 'F';
	if (count[INKAN_AUDIT_HIGH] == 2)
		return 'D';
	if (count[INKAN_AUDIT_HIGH] == 1 || count[INKAN_AUDIT_MEDIUM] >= 3)
		return 'C';
	if (count[INKAN_AUDIT_MEDIUM] > 0 || count[INKAN_AUDIT_LOW] >= 3)
		return 'B';
	return 'A';
}
