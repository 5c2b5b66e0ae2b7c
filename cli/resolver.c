/*
 * resolver.c: the resolver the global options ask for (see cli.h).
 */
#include <stdio.h>

#include "cli.h"

/* Loads every file into zone resolver r; an exit status, 0 when all did. */
static int
load_zones(struct inkan_resolver *r, const char **files, size_t n)
{
	struct inkan_zone_error err;
	enum inkan_status st;
	size_t i;

	for (i = 0; i < n; i++) {
		st = inkan_resolver_zone_load_file(r, files[i], &err);
		switch (st) {
		case INKAN_OK:
			break;
		case INKAN_ERR_NOTFOUND:
			cli_warn("%s: no such zone file", files[i]);
			return EX_NOINPUT;
		case INKAN_ERR_IO:
			cli_warn("%s: cannot read: %s", files[i], err.message);
			return EX_NOINPUT;
		case INKAN_ERR_SYNTAX:
		case INKAN_ERR_LIMIT:
			if (err.line > 0)
				cli_warn("%s:%zu: %s", files[i], err.line,
				    err.message);
			else
				cli_warn("%s: %s", files[i], err.message);
			return EX_DATAERR;
		case INKAN_ERR_NOMEM:
			cli_warn("%s: out of memory", files[i]);
			return EX_OSERR;
		default:
			cli_warn("%s: %s", files[i], inkan_strerror(st));
			return EX_SOFTWARE;
		}
	}
	return 0;
}

static int
open_live(struct inkan_resolver **r_r)
{
	enum inkan_status st;

	if ((st = inkan_resolver_new_unbound(NULL, NULL, r_r)) == INKAN_OK)
		return 0;
	if (st == INKAN_ERR_NOTFOUND)
		cli_warn("cannot set up live DNS: trust anchor %s is missing "
			 "(install dns-root-data)",
		    INKAN_DNS_ROOT_KEY);
	else
		cli_warn("cannot set up live DNS: %s", inkan_strerror(st));
	return EX_UNAVAILABLE;
}

int
cli_resolver_open(const struct cli_opts *o, struct inkan_resolver **r_r)
{
	struct inkan_resolver *zone = NULL, *live = NULL;
	enum inkan_status st;
	int rc;

	*r_r = NULL;
	if (o->nzones == 0 && o->noverlays == 0)
		return open_live(r_r);
	if (inkan_resolver_new_zone(NULL, &zone) != INKAN_OK) {
		cli_warn("out of memory");
		return EX_OSERR;
	}
	if (o->nzones > 0) {
		if ((rc = load_zones(zone, o->zones, o->nzones)) != 0) {
			inkan_resolver_free(&zone);
			return rc;
		}
		*r_r = zone;
		return 0;
	}
	if ((rc = load_zones(zone, o->overlays, o->noverlays)) != 0 ||
	    (rc = open_live(&live)) != 0) {
		inkan_resolver_free(&zone);
		return rc;
	}
	/* The overlay owns both from here, also when it fails. */
	if ((st = inkan_resolver_new_overlay(zone, live, NULL, r_r)) !=
	    INKAN_OK) {
		cli_warn("%s", inkan_strerror(st));
		return EX_OSERR;
	}
	return 0;
}
