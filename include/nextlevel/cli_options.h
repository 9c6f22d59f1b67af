#ifndef NEXTLEVEL_CLI_OPTIONS_H
#define NEXTLEVEL_CLI_OPTIONS_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>

/* The one table of the command line's commands and options. The option parser (cli.c), the
 * --help text, the man page, the README's synopsis and the bash completion (cli_doc.c) are
 * all rendered from it, and tests/cli/test_cli_options.c checks that every option reaches
 * each of them. To add an option: add its id here and its entry in cli_options.c, handle it
 * in cli.c's parse_options, then run scripts/gen-docs.sh. */

/* The commands, as bits: an option lists the commands that use it. */
enum {
    NL_CMD_CHECK = 1u << 0,
    NL_CMD_INSPECT = 1u << 1,
    NL_CMD_EVALUATE = 1u << 2,
    NL_CMD_DIFF = 1u << 3,
    NL_CMD_ALL = NL_CMD_CHECK | NL_CMD_INSPECT | NL_CMD_EVALUATE | NL_CMD_DIFF
};

/* Every option, in the order --help and the man page list them. Options that use the same
 * commands are kept together: the documents group them under one heading. */
typedef enum nl_option_id {
    NL_OPT_DIFF,
    NL_OPT_TEMPLATE,
    NL_OPT_DELIMITER,
    NL_OPT_ENCODING,
    NL_OPT_RECURSIVE,
    NL_OPT_OUT,
    NL_OPT_FORMAT,
    NL_OPT_CSV_DIALECT,
    NL_OPT_PRIORITIES,
    NL_OPT_WEIGHTS,
    NL_OPT_THRESHOLD,
    NL_OPT_BUDGET,
    NL_OPT_DATE,
    NL_OPT_SPLIT_BY,
    NL_OPT_OUT_DIR,
    NL_OPT_PREVIOUS,
    NL_OPT_DETAIL,
    NL_OPT_WHAT_IF,
    NL_OPT_JOBS,
    NL_OPT_CALIBRATE,
    NL_OPT_REDACT,
    NL_OPT_REDACT_KEY,
    NL_OPT_ALLOW_MISSING_COLUMNS,
    NL_OPT_QUIET,
    NL_OPT_HELP,
    NL_OPT_VERSION,
    NL_OPT_GENERATE,
    NL_OPT_COUNT
} nl_option_id;

/* What a value completes to in bash. */
typedef enum nl_completion {
    NL_COMPLETE_NOTHING, /* free text: a number, a name, a date */
    NL_COMPLETE_FILE,
    NL_COMPLETE_DIR,
    NL_COMPLETE_CHOICES /* the words of the metavariable, split at '|' */
} nl_completion;

/* Flags of an option. */
enum {
    NL_OPTF_REQUIRED = 1u << 0,   /* every command that uses it needs it (no brackets) */
    NL_OPTF_REPEATABLE = 1u << 1, /* may be given again, each value kept */
    NL_OPTF_ALONE = 1u << 2,      /* also works without a command: nextlevel --help */
    NL_OPTF_HIDDEN = 1u << 3      /* for the build, not for people: left out of the documents */
};

typedef struct nl_cli_option {
    const char *name; /* the long name, without "--" */
    char letter;      /* the short option, or 0 */
    /* 0 or 1: getopt's no_argument / required_argument. 2 only for --diff FROM TO, which
     * getopt cannot express: cli.c takes it out of argv before getopt runs, and the getopt
     * table built here leaves it out. */
    unsigned values;
    const char *metavar; /* what the value is called in documents ("FILE"); NULL for flags */
    unsigned commands;   /* NL_CMD_* bits: the commands that use it */
    unsigned flags;      /* NL_OPTF_* bits */
    nl_completion completion;
    const char *help; /* one paragraph, plain text: wrapped by each renderer */
} nl_cli_option;

typedef struct nl_cli_command {
    const char *name;
    unsigned bit;         /* its NL_CMD_* bit */
    const char *operands; /* after the options: "TEMPLATE..." */
    const char *help;     /* one paragraph, plain text */
} nl_cli_command;

/* The option table, NL_OPT_COUNT entries indexed by nl_option_id (static; never NULL). */
const nl_cli_option *nl_cli_options(void);

/* The commands, in the order they are documented; *count gets how many (static). */
const nl_cli_command *nl_cli_commands(size_t *count);

/* The getopt_long tables for the options: longopts gets NL_OPT_COUNT + 1 entries (the last
 * all zero) and shortopts at least 2 * NL_OPT_COUNT + 2 bytes; shortopts starts with ':' so
 * that a missing value is told apart from an unknown option. Each entry's val is its letter,
 * or 256 + its nl_option_id; nl_cli_option_from_getopt maps it back. */
void nl_cli_getopt_tables(struct option *longopts, char *shortopts);

/* The option that getopt_long's return value c stands for, or false when c is not one of
 * ours ('?' or ':'). */
bool nl_cli_option_from_getopt(int c, nl_option_id *id);

#endif
