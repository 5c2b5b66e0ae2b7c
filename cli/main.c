/*
 * main.c: the inkan command: global options and subcommand dispatch.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const struct cli_command commands[] = {
	{ "dns", "look up DNS records (dns lookup NAME TYPE)", cli_cmd_dns },
	{ "spf", "check SPF (spf --ip ADDR --sender ADDR)", cli_cmd_spf },
	{ "dkim", "DKIM: verify, sign, keygen (dkim --help)", cli_cmd_dkim },
	{ "check", "audit a domain's mail security (check DOMAIN)",
	    cli_cmd_check },
	{ "setup", "records for a new mail domain (setup DOMAIN --mx HOST)",
	    cli_cmd_setup },
	{ "dmarc", "DMARC: policy lookup (dmarc --help)", cli_cmd_dmarc },
	{ "arc", "ARC: verify, seal (arc --help)", cli_cmd_arc },
	{ "verify", "SPF, DKIM, ARC, DMARC of a message (verify --help)",
	    cli_cmd_verify },
	{ "version", "print the version", NULL },
};

static void
usage(FILE *f)
{
	size_t i;

	fprintf(f,
	    "usage: inkan [--help] [--version] COMMAND [ARGS...]\n"
	    "\n"
	    "Commands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(
		    f, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(f,
	    "\n"
	    "Options every command takes:\n"
	    "  --zone FILE     answer DNS only from this zone file "
	    "(repeatable; offline)\n"
	    "  --overlay FILE  this zone file first, live DNS for the rest "
	    "(repeatable)\n"
	    "  --json          print one JSON object instead of text\n"
	    "\n"
	    "Exit status: 0 when the command ran (whatever the verdict), 64 "
	    "usage error,\n"
	    "65 malformed input, 66 missing input, 69 service unavailable, "
	    "75 temporary failure.\n");
}

void
cli_warn(const char *fmt, ...)
{
	va_list ap;

	fputs("inkan: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int
cli_usage(const char *fmt, ...)
{
	va_list ap;

	fputs("inkan: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\n(try 'inkan --help')\n", stderr);
	return EX_USAGE;
}

/*
 * Removes the global options from argv, wherever they stand before "--",
 * and records them in *o. Returns 0 or EX_USAGE.
 */
static int
parse_common(int *argcp, char **argv, struct cli_opts *o)
{
	int argc = *argcp, i, out = 0;
	bool rest = false;

	for (i = 0; i < argc; i++) {
		const char *a = argv[i], *val = NULL;
		const char ***list = NULL;
		size_t *count = NULL;

		if (rest || strcmp(a, "--") == 0) {
			rest = true;
			argv[out++] = argv[i];
			continue;
		}
		if (strcmp(a, "--json") == 0) {
			o->json = true;
			continue;
		}
		if (strcmp(a, "--zone") == 0 || strncmp(a, "--zone=", 7) == 0) {
			list = &o->zones;
			count = &o->nzones;
		} else if (strcmp(a, "--overlay") == 0 ||
		    strncmp(a, "--overlay=", 10) == 0) {
			list = &o->overlays;
			count = &o->noverlays;
		} else {
			argv[out++] = argv[i];
			continue;
		}
		if ((val = strchr(a, '=')) != NULL)
			val++;
		else if (i + 1 < argc)
			val = argv[++i];
		else
			return cli_usage("%s needs a FILE", a);
		if (*val == '\0')
			return cli_usage("%s needs a FILE", a);
		{
			const char **p =
			    realloc(*list, (*count + 1) * sizeof(**list));

			if (p == NULL) {
				cli_warn("out of memory");
				return EX_OSERR;
			}
			p[(*count)++] = val;
			*list = p;
		}
	}
	argv[out] = NULL;
	*argcp = out;
	if (o->nzones > 0 && o->noverlays > 0)
		return cli_usage("--zone (offline) and --overlay (live) "
				 "cannot be combined; use --overlay for "
				 "every file");
	return 0;
}

int
main(int argc, char **argv)
{
	struct cli_opts o = { 0 };
	size_t i;
	int rc;

	if ((rc = parse_common(&argc, argv, &o)) != 0)
		goto out;
	if (argc < 2) {
		usage(stderr);
		rc = EX_USAGE;
		goto out;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		rc = 0;
		goto out;
	}
	if (strcmp(argv[1], "--version") == 0 ||
	    strcmp(argv[1], "version") == 0) {
		printf("inkan %s\n", inkan_version());
		rc = 0;
		goto out;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[1], commands[i].name) == 0) {
			rc = commands[i].run(argc - 1, argv + 1, &o);
			goto out;
		}
	}
	rc = cli_usage("unknown command '%s'", argv[1]);
out:
	free(o.zones);
	free(o.overlays);
	return rc;
}
