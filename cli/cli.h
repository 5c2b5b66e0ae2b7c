/*
 * cli.h: what the inkan command's subcommands share.
 *
 * main.c strips the global options (--zone, --overlay, --json) from argv
 * wherever they appear, then calls the subcommand with the rest; argv[0]
 * is the subcommand's name. A subcommand returns an exit status from
 * <sysexits.h>: 0 when it ran, whatever a verdict says; EX_USAGE for usage
 * errors; EX_DATAERR for malformed input; EX_NOINPUT for a missing file;
 * EX_UNAVAILABLE and EX_TEMPFAIL for services that failed.
 */
#ifndef INKAN_CLI_H
#define INKAN_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <sysexits.h>

#include <inkan/inkan.h>

struct cli_opts {
	const char **zones; /* --zone FILE: offline, answers only from these */
	size_t nzones;
	const char **overlays; /* --overlay FILE: these over live DNS */
	size_t noverlays;
	bool json; /* --json */
};

struct cli_command {
	const char *name;
	const char *summary;
	int (*run)(int argc, char **argv, const struct cli_opts *o);
};

/* Prints "inkan: <message>" to stderr and returns EX_USAGE. */
int cli_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints "inkan: <message>" to stderr. */
void cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Opens the resolver the global options ask for: the zone backend when
 * only --zone was given, the overlay backend when --overlay was, live DNS
 * (unbound) otherwise. On failure prints why and returns an exit status;
 * returns 0 with *r_r set on success.
 */
struct inkan_resolver;
int cli_resolver_open(const struct cli_opts *o, struct inkan_resolver **r_r);

/* Subcommands. */
int cli_cmd_dns(int argc, char **argv, const struct cli_opts *o);
int cli_cmd_spf(int argc, char **argv, const struct cli_opts *o);
int cli_cmd_dkim(int argc, char **argv, const struct cli_opts *o);
int cli_cmd_check(int argc, char **argv, const struct cli_opts *o);
int cli_cmd_setup(int argc, char **argv, const struct cli_opts *o);
int cli_cmd_dmarc(int argc, char **argv, const struct cli_opts *o);
int cli_cmd_arc(int argc, char **argv, const struct cli_opts *o);
int cli_cmd_verify(int argc, char **argv, const struct cli_opts *o);

#endif
