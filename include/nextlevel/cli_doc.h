#ifndef NEXTLEVEL_CLI_DOC_H
#define NEXTLEVEL_CLI_DOC_H

#include <stdio.h>

/* The documents of the command line, each rendered from the option table (cli_options.h) so
 * that none can miss an option. Each writes to out; the caller checks ferror(out). Hidden
 * options (NL_OPTF_HIDDEN) are left out of all of them. */

/* The --help text. */
void nl_cli_print_help(FILE *out);

/* One synopsis line per command, then "nextlevel --help | --version", wrapped at 80 columns:
 * the block under "## Command line" in README.md (scripts/gen-docs.sh puts it there). */
void nl_cli_print_synopsis(FILE *out);

/* The whole man page nextlevel(1), in troff (committed as docs/nextlevel.1). */
void nl_cli_print_man(FILE *out);

/* A bash completion script for nextlevel (installed in
 * /usr/share/bash-completion/completions/nextlevel). */
void nl_cli_print_bash_completion(FILE *out);

#endif
