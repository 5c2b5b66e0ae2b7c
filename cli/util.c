/*
 * util.c: small helpers the subcommands share (see cli.h): option values,
 * message input, escaped text and JSON strings.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

int
cli_option_value(int argc, char **argv, int *i, const char *cmd,
    const char *name, bool empty_ok, const char **val_r)
{
	const char *a = argv[*i];
	size_t n = strlen(name);

	if (strncmp(a, name, n) != 0)
		return 0;
	if (a[n] == '=')
		*val_r = a + n + 1;
	else if (a[n] != '\0')
		return 0;
	else if (*i + 1 < argc)
		*val_r = argv[++*i];
	else {
		cli_usage("%s: %s needs a value", cmd, name);
		return -1;
	}
	if (**val_r == '\0' && !empty_ok) {
		cli_usage("%s: %s needs a value", cmd, name);
		return -1;
	}
	return 1;
}

bool
cli_is_help(const char *a)
{
	return strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0;
}

enum cli_arg
cli_arg_kind(const char *a, bool *rest)
{
	if (*rest)
		return CLI_ARG_OPERAND;
	if (strcmp(a, "--") == 0) {
		*rest = true;
		return CLI_ARG_SKIP;
	}
	return a[0] == '-' && a[1] != '\0' ? CLI_ARG_OPTION : CLI_ARG_OPERAND;
}

int
cli_one_input(const char *cmd, const char *a, const char **path_r)
{
	if (*path_r != NULL)
		return cli_usage("%s: one message at a time", cmd);
	*path_r = a;
	return 0;
}

int
cli_open_input(const char *path, FILE **f_r)
{
	if (path == NULL || strcmp(path, "-") == 0) {
		*f_r = stdin;
		return 0;
	}
	if ((*f_r = fopen(path, "rb")) == NULL) {
		cli_warn("%s: %s", path, strerror(errno));
		return EX_NOINPUT;
	}
	return 0;
}

void
cli_close_input(FILE *f)
{
	if (f != NULL && f != stdin)
		fclose(f);
}

int
cli_read_all(FILE *f, const char *name, struct inkan_buf *b)
{
	uint8_t chunk[65536];
	size_t got;

	while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (inkan_buf_append(b, chunk, got) != INKAN_OK) {
			cli_warn("%s: %s (the limit is %zu bytes)", name,
			    b->err == INKAN_ERR_LIMIT ? "message too large"
						      : "out of memory",
			    b->max);
			return b->err == INKAN_ERR_LIMIT ? EX_DATAERR
							 : EX_OSERR;
		}
	if (ferror(f)) {
		cli_warn("%s: read error", name);
		return EX_IOERR;
	}
	return 0;
}

/*
 * RFC 6376 3.4 works on CRLF lines: INKAN_DKIM_ALLOW_LF unless the first
 * line ending in p[0..n) is CRLF. With no line ending at all the choice
 * does not matter; LF is assumed.
 */
unsigned
cli_line_flags(const uint8_t *p, size_t n)
{
	const uint8_t *lf = n > 0 ? memchr(p, '\n', n) : NULL;

	if (lf != NULL && lf > p && lf[-1] == '\r')
		return 0;
	return INKAN_DKIM_ALLOW_LF;
}

void
cli_print_escaped(const char *s)
{
	struct inkan_buf b;

	if (s == NULL) {
		fputs("-", stdout);
		return;
	}
	inkan_buf_init(&b, 4 * strlen(s) + 1);
	if (inkan_escape(s, strlen(s), &b) == INKAN_OK)
		fputs(inkan_buf_cstr(&b), stdout);
	else
		fputs("?", stdout);
	inkan_buf_clear(&b);
}

void
cli_put_safe(FILE *f, const char *s)
{
	const uint8_t *p;

	if (s == NULL)
		return;
	for (p = (const uint8_t *)s; *p != '\0'; p++) {
		if (*p >= 0x20 && *p < 0x7f)
			fputc(*p, f);
		else
			fprintf(f, "\\x%02x", *p);
	}
}

json_t *
cli_json_text(const char *s)
{
	struct inkan_buf b;
	json_t *j;

	if (s == NULL)
		return json_null();
	if ((j = json_string(s)) != NULL)
		return j;
	inkan_buf_init(&b, 4 * strlen(s) + 1);
	j = inkan_escape(s, strlen(s), &b) == INKAN_OK
	    ? json_string(inkan_buf_cstr(&b))
	    : NULL;
	inkan_buf_clear(&b);
	return j != NULL ? j : json_null();
}

int
cli_json_emit(json_t *o, int rc)
{
	if (json_dumpf(o, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0) {
		cli_warn("cannot write the JSON output");
		rc = EX_IOERR;
	} else
		fputc('\n', stdout);
	json_decref(o);
	return rc;
}
