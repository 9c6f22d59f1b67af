#include "nextlevel/cli.h"

#include "nextlevel/error.h"
#include "nextlevel/framework.h"
#include "nextlevel/matrix.h"
#include "nextlevel/report_text.h"

#include <getopt.h>
#include <stdbool.h>
#include <string.h>

#ifndef NEXTLEVEL_VERSION
#define NEXTLEVEL_VERSION "unknown"
#endif

static const char usage_text[] =
    "Usage: nextlevel COMMAND [OPTIONS] ...\n"
    "\n"
    "Tells who on a team already operates at the next level, from skill-matrix CSV exports\n"
    "and a framework template.\n"
    "\n"
    "Commands:\n"
    "  check [--diff FROM TO] TEMPLATE...\n"
    "      Load and lint each template; print a summary of skills, levels, priority\n"
    "      profiles and gates, and every finding as FILE:LINE: error|warning: message.\n"
    "      --diff FROM TO   show each skill's expectation at level FROM and at level TO\n"
    "  inspect --template TEMPLATE [--delimiter D] MATRIX...\n"
    "      Read skill-matrix CSV files and report per file: rows read, people accepted,\n"
    "      rows rejected (FILE:LINE:COLUMN: reason), skills found and missing, unknown\n"
    "      columns, and the share of people assessed per skill.\n"
    "      --delimiter D    ',' ';' or 'tab' (default: detected from the header line)\n"
    "\n"
    "Options for every command:\n"
    "  -q, --quiet     print only errors and findings, no summaries\n"
    "  -h, --help      print this help and exit\n"
    "  -V, --version   print the version and exit\n"
    "\n"
    "Exit codes: 0 all fine; 1 done, but some input rows were rejected; 2 usage error;\n"
    "3 template or input unusable (nothing written); 4 an output could not be written.\n";

typedef struct cli {
    FILE *out, *err;
    bool quiet;
    const char *template_path;
    char delimiter;
    const char *diff_from, *diff_to;
} cli;

static int usage_error(cli *c, const char *fmt, const char *arg)
{
    fputs("nextlevel: ", c->err);
    fprintf(c->err, fmt, arg);
    fputs("\nTry 'nextlevel --help'.\n", c->err);
    return NL_EXIT_USAGE;
}

static int report_error(cli *c, const nl_error *e)
{
    nl_error_print(e, c->err);
    return nl_status_exit_code(e->status);
}

static bool parse_delimiter(const char *text, char *delimiter)
{
    if (strcmp(text, ",") == 0 || strcmp(text, "comma") == 0)
        *delimiter = ',';
    else if (strcmp(text, ";") == 0 || strcmp(text, "semicolon") == 0)
        *delimiter = ';';
    else if (strcmp(text, "tab") == 0 || strcmp(text, "\\t") == 0 || strcmp(text, "\t") == 0)
        *delimiter = '\t';
    else
        return false;
    return true;
}

/* Parses the options of a command; returns -1 to go on, or an exit code. */
static int parse_options(cli *c, int argc, char **argv)
{
    enum { OPT_DIFF = 256, OPT_TEMPLATE, OPT_DELIMITER };
    static const struct option options[] = {
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {"diff", required_argument, NULL, OPT_DIFF},
        {"template", required_argument, NULL, 't'},
        {"delimiter", required_argument, NULL, 'd'},
        {NULL, 0, NULL, 0},
    };
    const char *command = argv[0];
    optind = 1;
    opterr = 0;
    int opt;
    /* '+' stops at the first operand so that --diff can take the operand after it. */
    while ((opt = getopt_long(argc, argv, "+:qhVt:d:", options, NULL)) != -1) {
        switch (opt) {
        case 'q':
            c->quiet = true;
            break;
        case 'h':
            fputs(usage_text, c->out);
            return NL_EXIT_OK;
        case 'V':
            fprintf(c->out, "nextlevel %s\n", NEXTLEVEL_VERSION);
            return NL_EXIT_OK;
        case OPT_DIFF:
            if (strcmp(command, "check") != 0)
                return usage_error(c, "--diff belongs to 'check', not '%s'", command);
            if (optind >= argc || argv[optind][0] == '-')
                return usage_error(c, "--diff needs two levels: --diff %s TO", optarg);
            c->diff_from = optarg;
            c->diff_to = argv[optind++];
            break;
        case 't':
            c->template_path = optarg;
            break;
        case 'd':
            if (!parse_delimiter(optarg, &c->delimiter))
                return usage_error(c, "--delimiter must be ',', ';' or 'tab', not '%s'", optarg);
            break;
        case ':':
            return usage_error(c, "option '%s' needs a value", argv[optind - 1]);
        default:
            return usage_error(c, "unknown option '%s'", argv[optind - 1]);
        }
    }
    /* Options may also follow the operands: parse the rest once more. */
    if (optind < argc && optind > 0 && argv[optind][0] != '-') {
        /* nothing: operands start here */
    }
    return -1;
}

static int check_one(cli *c, const char *path)
{
    nl_framework *fw = NULL;
    nl_error e = {0};
    nl_status status = nl_framework_load(path, &fw, &e);
    if (fw == NULL)
        return report_error(c, &e);
    for (size_t i = 0; i < fw->diags.count; i++)
        nl_diag_print(&fw->diags.items[i], c->err);
    int code = NL_EXIT_OK;
    if (status != NL_OK) {
        fprintf(c->err, "nextlevel: %s: %zu error%s: the template cannot be used\n", path,
                fw->diags.errors, fw->diags.errors == 1 ? "" : "s");
        code = nl_status_exit_code(status);
    } else if (c->diff_from != NULL) {
        size_t from, to;
        if (!nl_framework_find_level(fw, c->diff_from, &from))
            code = usage_error(c, "--diff: no level '%s' in the template", c->diff_from);
        else if (!nl_framework_find_level(fw, c->diff_to, &to))
            code = usage_error(c, "--diff: no level '%s' in the template", c->diff_to);
        else
            nl_report_level_diff(c->out, fw, from, to);
    } else if (!c->quiet) {
        nl_report_framework(c->out, fw);
        fprintf(c->out, "  result: usable, %zu warning%s\n", fw->diags.count,
                fw->diags.count == 1 ? "" : "s");
    }
    nl_framework_free(fw);
    return code;
}

static int run_check(cli *c, int argc, char **argv)
{
    if (optind >= argc)
        return usage_error(c, "check needs at least one %s", "TEMPLATE");
    int worst = NL_EXIT_OK;
    for (int i = optind; i < argc; i++) {
        int code = check_one(c, argv[i]);
        worst = code > worst ? code : worst;
    }
    return worst;
}

static int run_inspect(cli *c, int argc, char **argv)
{
    if (c->template_path == NULL)
        return usage_error(c, "inspect needs --template %s", "TEMPLATE");
    if (optind >= argc)
        return usage_error(c, "inspect needs at least one %s", "MATRIX file");
    nl_framework *fw = NULL;
    nl_matrix *m = NULL;
    nl_error e = {0};
    int code = NL_EXIT_OK;
    if (nl_framework_load(c->template_path, &fw, &e) != NL_OK) {
        code = report_error(c, &e);
        goto out;
    }
    if ((m = nl_matrix_new(fw)) == NULL) {
        nl_error_set(&e, NL_ERR_NOMEM, NULL, 0, 0, "out of memory");
        code = report_error(c, &e);
        goto out;
    }
    bool unusable = false;
    for (int i = optind; i < argc; i++) {
        nl_status status = nl_matrix_read_file(m, argv[i], c->delimiter, &e);
        if (status == NL_ERR_NOMEM) {
            code = report_error(c, &e);
            goto out;
        }
        size_t file_count;
        nl_matrix_files(m, &file_count);
        if (status != NL_OK) {
            nl_error_print(&e, c->err);
            unusable = true;
        } else if (!c->quiet) {
            nl_report_file(c->out, fw, m, file_count - 1);
        }
    }
    size_t people, rejected, files;
    nl_matrix_people(m, &people);
    nl_matrix_rejections(m, &rejected);
    nl_matrix_files(m, &files);
    if (!c->quiet)
        fprintf(c->out, "total: %zu file%s, %zu people accepted, %zu row%s rejected\n", files,
                files == 1 ? "" : "s", people, rejected, rejected == 1 ? "" : "s");
    code = unusable ? NL_EXIT_UNUSABLE : rejected > 0 ? NL_EXIT_REJECTED : NL_EXIT_OK;
out:
    nl_matrix_free(m);
    nl_framework_free(fw);
    return code;
}

int nl_cli_run(int argc, char **argv, FILE *out, FILE *err)
{
    cli c = {.out = out, .err = err};
    if (argc < 2)
        return usage_error(&c, "%s", "a command is needed: check or inspect");
    const char *command = argv[1];
    if (command[0] == '-') {
        /* Only --help and --version make sense before a command. */
        int code = parse_options(&c, argc, argv);
        if (code >= 0)
            return code;
        return usage_error(&c, "%s", "a command is needed: check or inspect");
    }
    int code = parse_options(&c, argc - 1, argv + 1);
    if (code >= 0)
        return code;
    int first_operand = optind + 1;
    optind = first_operand;
    int result;
    if (strcmp(command, "check") == 0)
        result = run_check(&c, argc, argv);
    else if (strcmp(command, "inspect") == 0)
        result = run_inspect(&c, argc, argv);
    else
        return usage_error(&c, "unknown command '%s' (commands: check, inspect)", command);
    if (fflush(out) != 0 || ferror(out)) {
        fputs("nextlevel: cannot write the report to standard output\n", err);
        return NL_EXIT_OUTPUT;
    }
    return result;
}
