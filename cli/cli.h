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
#include <stdint.h>
#include <stdio.h>
#include <sysexits.h>

#include <jansson.h>

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

/* ---- util.c: what several subcommands share ---------------------------- */

/*
 * "--name VALUE" or "--name=VALUE" at argv[*i] (*i moves past VALUE):
 * 1 with *val_r set, 0 when argv[*i] is another option, -1 after printing
 * "CMD: NAME needs a value" when the value is missing (or empty, unless
 * empty_ok).
 */
int cli_option_value(int argc, char **argv, int *i, const char *cmd,
    const char *name, bool empty_ok, const char **val_r);
/* true for "--help" and "-h". */
bool cli_is_help(const char *a);

/* What one argument of a subcommand is (see cli_arg_kind()). */
enum cli_arg {
	CLI_ARG_SKIP, /* "--": what follows is operands only */
	CLI_ARG_OPERAND, /* a file, a name: not an option */
	CLI_ARG_OPTION, /* "-x", "--name", "--name=value" */
};
/*
 * Sorts argument a for a subcommand's loop. The first "--" sets *rest
 * and is skipped; after it every argument is an operand, as is "-" (the
 * standard input) and anything not starting with '-'.
 */
enum cli_arg cli_arg_kind(const char *a, bool *rest);
/*
 * Takes operand a as the one message (or file) cmd reads into *path_r:
 * 0, or after a first one the usage error "CMD: one message at a time".
 */
int cli_one_input(const char *cmd, const char *a, const char **path_r);
/* Opens path, or standard input for NULL or "-"; an exit status (a
   message printed), 0 with *f_r set. Close with cli_close_input(). */
int cli_open_input(const char *path, FILE **f_r);
/* Closes f unless it is NULL or standard input. */
void cli_close_input(FILE *f);
/* Reads all of f into b (at most b's maximum); name is for messages.
   Returns an exit status, 0 when all of f was read. */
int cli_read_all(FILE *f, const char *name, struct inkan_buf *b);
/* CRLF input as it is (0); anything else with each LF taken as CRLF
   (INKAN_DKIM_ALLOW_LF), by the first line ending of p[0..n). */
unsigned cli_line_flags(const uint8_t *p, size_t n);
/* Prints untrusted text to stdout escaped (inkan_escape), or "-" for
   NULL. */
void cli_print_escaped(const char *s);
/* Writes untrusted text to f with every byte outside printable ASCII as
   \xHH; nothing for NULL. */
void cli_put_safe(FILE *f, const char *s);
/* A new JSON string for untrusted text (escaped when not UTF-8), or JSON
   null for NULL or when no string can be made. */
json_t *cli_json_text(const char *s);
/* Prints o (indented, keys in order) and a newline to stdout and frees
   it; returns rc, or EX_IOERR (a message printed) when it cannot write. */
int cli_json_emit(json_t *o, int rc);

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
