#include "nextlevel/cli.h"

#include "nextlevel/cli_doc.h"
#include "nextlevel/column_needs.h"
#include "nextlevel/cli_options.h"
#include "nextlevel/diff.h"
#include "nextlevel/encoding.h"
#include "nextlevel/digest.h"
#include "nextlevel/error.h"
#include "nextlevel/framework.h"
#include "nextlevel/evaluate.h"
#include "nextlevel/inputs.h"
#include "nextlevel/matrix.h"
#include "nextlevel/outfile.h"
#include "nextlevel/packs.h"
#include "nextlevel/redact.h"
#include "nextlevel/report_machine.h"
#include "nextlevel/report_text.h"
#include "nextlevel/report_xlsx.h"
#include "nextlevel/review.h"
#include "nextlevel/rundate.h"
#include "nextlevel/strutil.h"
#include "nextlevel/term_progress.h"
#include "nextlevel/textsafe.h"

#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifndef NEXTLEVEL_VERSION
#define NEXTLEVEL_VERSION "unknown"
#endif

/* One run of the command line: where output goes, the options as parsed, and what the run
 * found. Internal functions return an nl_status: NL_OK to go on, else a failure already
 * printed (once, where it was found); nl_cli_run alone turns it into the exit code. */
typedef struct cli {
    FILE *out, *err;
    nl_term_progress meter;
    nl_progress progress;
    struct timespec started;
    bool quiet;
    const char *template_path;
    char delimiter;
    const char *encoding; /* --encoding, borrowed from argv; NULL: detected per file */
    const char *diff_from, *diff_to;
    const char *out_path;
    const char *format;
    bool csv_dialect_given; /* --csv-dialect, which wins over the template's */
    nl_csv_dialect csv_dialect;
    const char *priorities;
    const char *weights;
    bool budget_given; /* --budget, which replaces the template's [slate] budgets */
    size_t budget;
    const char *date;
    const char *split_by;
    const char *out_dir;
    bool recursive;
    char **previous; /* --previous operands, borrowed from argv */
    size_t previous_count;
    char **thresholds; /* --threshold values, borrowed from argv */
    size_t threshold_count;
    bool calibrate;
    bool allow_missing_columns; /* no exit 3 for a hard gate's column missing from every file */
    bool redact;
    const char *redact_key;
    bool redact_keyed;
    bool summary_detail;
    bool what_if_off; /* --what-if off */
    unsigned jobs;
    bool rejected_rows; /* the run succeeded, but rejected input rows: exit code 1 */
} cli;

/* Prints a usage error (fmt has one %s, for arg) and returns NL_ERR_USAGE. */
static nl_status usage_error(cli *c, const char *fmt, const char *arg)
{
    fputs("nextlevel: ", c->err);
    fprintf(c->err, fmt, arg);
    fputs("\nTry 'nextlevel --help'.\n", c->err);
    return NL_ERR_USAGE;
}

/* Prints e (after clearing the progress line) and returns its status. */
static nl_status report_error(cli *c, const nl_error *e)
{
    nl_term_progress_clear(&c->meter);
    nl_error_print(e, c->err);
    return e->status;
}

/* report_error of an "out of memory" error. */
static nl_status report_nomem(cli *c)
{
    nl_error e = {0};
    nl_error_set(&e, NL_ERR_NOMEM, NULL, 0, 0, "out of memory");
    return report_error(c, &e);
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

/* Prints what --generate names (the documents rendered from the option table); false when
 * there is no such document. */
static bool print_document(cli *c, const char *what)
{
    if (strcmp(what, "man") == 0)
        nl_cli_print_man(c->out);
    else if (strcmp(what, "bash-completion") == 0)
        nl_cli_print_bash_completion(c->out);
    else if (strcmp(what, "synopsis") == 0)
        nl_cli_print_synopsis(c->out);
    else
        return false;
    return true;
}

/* Parses the options of a command into c. Sets *finished when an option did all there is to
 * do (--help, --version, --generate). Returns NL_OK or NL_ERR_USAGE (printed). */
/* Appends a repeatable option's value (borrowed from argv) to its list; false when out of
 * memory, the list unchanged. */
static bool append_value(char ***list, size_t *count, char *value)
{
    char **grown = realloc(*list, (*count + 1) * sizeof *grown);
    if (grown == NULL)
        return false;
    *list = grown;
    grown[(*count)++] = value;
    return true;
}

static nl_status parse_options(cli *c, int argc, char **argv, bool *finished)
{
    *finished = false;
    struct option options[NL_OPT_COUNT + 1];
    char shortopts[2 * NL_OPT_COUNT + 2];
    nl_cli_getopt_tables(options, shortopts);
    optind = 0; /* 0 makes GNU getopt start afresh, also on a second call */
    opterr = 0;
    int opt;
    while ((opt = getopt_long(argc, argv, shortopts, options, NULL)) != -1) {
        nl_option_id id;
        if (!nl_cli_option_from_getopt(opt, &id)) {
            if (opt == ':')
                return usage_error(c, "option '%s' needs a value", argv[optind - 1]);
            return usage_error(c, "unknown option '%s'", argv[optind - 1]);
        }
        switch (id) {
        case NL_OPT_QUIET:
            c->quiet = true;
            break;
        case NL_OPT_RECURSIVE:
            c->recursive = true;
            break;
        case NL_OPT_HELP:
            nl_cli_print_help(c->out);
            *finished = true;
            return NL_OK;
        case NL_OPT_VERSION:
            fprintf(c->out, "nextlevel %s\n", NEXTLEVEL_VERSION);
            *finished = true;
            return NL_OK;
        case NL_OPT_TEMPLATE:
            c->template_path = optarg;
            break;
        case NL_OPT_DELIMITER:
            if (!parse_delimiter(optarg, &c->delimiter))
                return usage_error(c, "--delimiter must be ',', ';' or 'tab', not '%s'", optarg);
            break;
        case NL_OPT_ENCODING:
            if (!nl_encoding_known(optarg))
                return usage_error(c,
                                   "--encoding '%s' is not an encoding this system can read "
                                   "(e.g. UTF-8, CP1252, CP1250, CP1251, UTF-16LE; 'iconv -l' "
                                   "lists them all)",
                                   optarg);
            c->encoding = optarg;
            break;
        case NL_OPT_OUT:
            c->out_path = optarg;
            break;
        case NL_OPT_FORMAT:
            if (strcmp(optarg, "csv") != 0 && strcmp(optarg, "json") != 0 &&
                strcmp(optarg, "xlsx") != 0)
                return usage_error(c, "--format must be xlsx, csv or json, not '%s'", optarg);
            c->format = optarg;
            break;
        case NL_OPT_CSV_DIALECT:
            if (!nl_csv_dialect_parse(optarg, &c->csv_dialect))
                return usage_error(c, "--csv-dialect must be plain, excel or excel-eu, not '%s'",
                                   optarg);
            c->csv_dialect_given = true;
            break;
        case NL_OPT_PRIORITIES:
            c->priorities = optarg;
            break;
        case NL_OPT_WEIGHTS:
            c->weights = optarg;
            break;
        case NL_OPT_BUDGET: {
            char *end;
            long long slots = strtoll(optarg, &end, 10);
            if (*optarg < '0' || *optarg > '9' || *end != '\0' || slots < 0 || slots > 1000000)
                return usage_error(c,
                                   "--budget must be a whole number of promotion slots from 0 to "
                                   "1000000, not '%s'",
                                   optarg);
            c->budget = (size_t)slots;
            c->budget_given = true;
            break;
        }
        case NL_OPT_DATE:
            c->date = optarg;
            break;
        case NL_OPT_SPLIT_BY:
            if (strcmp(optarg, "team") != 0 && strcmp(optarg, "manager") != 0)
                return usage_error(c, "--split-by must be team or manager, not '%s'", optarg);
            c->split_by = optarg;
            break;
        case NL_OPT_OUT_DIR:
            c->out_dir = optarg;
            break;
        case NL_OPT_DETAIL:
            if (strcmp(optarg, "full") != 0 && strcmp(optarg, "summary") != 0)
                return usage_error(c, "--detail must be full or summary, not '%s'", optarg);
            c->summary_detail = strcmp(optarg, "summary") == 0;
            break;
        case NL_OPT_WHAT_IF:
            if (strcmp(optarg, "live") != 0 && strcmp(optarg, "off") != 0)
                return usage_error(c, "--what-if must be live or off, not '%s'", optarg);
            c->what_if_off = strcmp(optarg, "off") == 0;
            break;
        case NL_OPT_JOBS: {
            char *end;
            long jobs = strtol(optarg, &end, 10);
            if (*optarg == '\0' || *end != '\0' || jobs < 1 || jobs > 256)
                return usage_error(c, "--jobs must be a number from 1 to 256, not '%s'", optarg);
            c->jobs = (unsigned)jobs;
            break;
        }
        case NL_OPT_CALIBRATE:
            c->calibrate = true;
            break;
        case NL_OPT_ALLOW_MISSING_COLUMNS:
            c->allow_missing_columns = true;
            break;
        case NL_OPT_REDACT:
            c->redact = true;
            break;
        case NL_OPT_REDACT_KEY:
            c->redact = true;
            c->redact_key = optarg;
            break;
        case NL_OPT_PREVIOUS:
            if (!append_value(&c->previous, &c->previous_count, optarg))
                return report_nomem(c);
            break;
        case NL_OPT_THRESHOLD:
            if (!append_value(&c->thresholds, &c->threshold_count, optarg))
                return report_nomem(c);
            break;
        case NL_OPT_GENERATE:
            if (!print_document(c, optarg))
                return usage_error(
                    c, "--generate must be man, bash-completion or synopsis, not '%s'", optarg);
            *finished = true;
            return NL_OK;
        case NL_OPT_DIFF: /* taken out of argv by dispatch */
        case NL_OPT_COUNT:
            break;
        }
    }
    return NL_OK;
}

/* The worse of two statuses: the one with the higher exit code. */
static nl_status worse(nl_status a, nl_status b)
{
    return nl_status_exit_code(b) > nl_status_exit_code(a) ? b : a;
}

static nl_status check_one(cli *c, const char *path)
{
    nl_framework *fw = NULL;
    nl_error e = {0};
    nl_status status = nl_framework_load(path, &fw, &e);
    if (fw == NULL)
        return report_error(c, &e);
    for (size_t i = 0; i < fw->diags.count; i++)
        nl_diag_print(&fw->diags.items[i], c->err);
    if (status != NL_OK) {
        fprintf(c->err, "nextlevel: %s: %zu error%s: the template cannot be used\n", path,
                fw->diags.errors, fw->diags.errors == 1 ? "" : "s");
    } else if (c->diff_from != NULL) {
        size_t from, to;
        if (!nl_framework_find_level(fw, c->diff_from, &from))
            status = usage_error(c, "--diff: no level '%s' in the template", c->diff_from);
        else if (!nl_framework_find_level(fw, c->diff_to, &to))
            status = usage_error(c, "--diff: no level '%s' in the template", c->diff_to);
        else
            nl_report_level_diff(c->out, fw, from, to);
    } else if (!c->quiet) {
        nl_report_framework(c->out, fw);
        fprintf(c->out, "  result: usable, %zu warning%s\n", fw->diags.count,
                fw->diags.count == 1 ? "" : "s");
    }
    nl_framework_free(fw);
    return status;
}

/* Checks every template, even after one failed; returns the worst status. */
static nl_status run_check(cli *c, int argc, char **argv)
{
    if (optind >= argc)
        return usage_error(c, "check needs at least one %s", "TEMPLATE");
    nl_status worst = NL_OK;
    for (int i = optind; i < argc; i++)
        worst = worse(worst, check_one(c, argv[i]));
    return worst;
}

/* Whether two paths name the same existing file (links and ../ included): the same device and
 * inode, so hard links and symbolic links count. */
static bool same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t ls = strlen(s), lx = strlen(suffix);
    return ls >= lx && strcmp(s + ls - lx, suffix) == 0;
}

/* FILE.csv -> FILE<suffix> (".rejected.csv", ".summary.csv", ...); anything else gets the
 * suffix appended. */
static char *sibling_path(const char *out_path, const char *suffix)
{
    size_t len = strlen(out_path);
    if (ends_with(out_path, ".csv"))
        len -= 4;
    char *stem = nl_strndup(out_path, len);
    return stem ? nl_strjoin(stem, "", suffix) : NULL;
}

/* One input a run reads, for the check that no output overwrites it. */
typedef struct named_input {
    const char *path;
    const char *what; /* "one of the input files", "the template", ... */
} named_input;

/* The input that output names, or NULL. */
static const named_input *input_at(const char *output, const named_input *inputs, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (inputs[i].path != NULL && strcmp(inputs[i].path, "-") != 0 &&
            same_file(inputs[i].path, output))
            return &inputs[i];
    return NULL;
}

/* Refuses an input that is the file beside --out with this suffix. */
static nl_status refuse_sibling(cli *c, const named_input *inputs, size_t count, const char *suffix)
{
    char *beside = sibling_path(c->out_path, suffix);
    if (beside == NULL)
        return report_nomem(c);
    const named_input *hit = input_at(beside, inputs, count);
    nl_status status = NL_OK;
    if (hit != NULL) {
        nl_term_progress_clear(&c->meter);
        fprintf(c->err,
                "nextlevel: a CSV output would go to %s, which is %s (%s): choose another "
                "--out\nTry 'nextlevel --help'.\n",
                beside, hit->what, hit->path);
        status = NL_ERR_USAGE;
    }
    free(beside);
    return status;
}

/* Inputs are never written: an --out that is an input (a matrix, last quarter's, the template,
 * its expectations grid, the redaction key; compared by device and inode), or whose CSV files
 * beside it would be, is refused before anything is written. Returns NL_OK or NL_ERR_USAGE. */
static nl_status refuse_overwrite(cli *c, const nl_framework *fw, char *const *paths, size_t count)
{
    if (c->out_path == NULL || strcmp(c->out_path, "-") == 0)
        return NL_OK;
    named_input *inputs = calloc(count + 3, sizeof *inputs);
    if (inputs == NULL)
        return report_nomem(c);
    size_t n = 0;
    for (size_t i = 0; i < count; i++)
        inputs[n++] = (named_input){paths[i], "one of the input files"};
    inputs[n++] = (named_input){fw->path, "the template"};
    inputs[n++] = (named_input){fw->expectations_path, "the template's expectations grid"};
    inputs[n++] = (named_input){c->redact_key, "the redaction key"};
    nl_status status = NL_OK;
    const named_input *hit = input_at(c->out_path, inputs, n);
    if (hit != NULL) {
        nl_term_progress_clear(&c->meter);
        bool same_name = strcmp(hit->path, c->out_path) == 0;
        fprintf(c->err,
                "nextlevel: --out %s is %s%s%s%s: refusing to overwrite it; choose another "
                "--out\nTry 'nextlevel --help'.\n",
                c->out_path, hit->what, same_name ? "" : " (", same_name ? "" : hit->path,
                same_name ? "" : ")");
        status = NL_ERR_USAGE;
    }
    if (status == NL_OK)
        status = refuse_sibling(c, inputs, n, ".rejected.csv");
    for (int t = 0; t < NL_CSV_TABLE_COUNT && status == NL_OK; t++)
        status = refuse_sibling(c, inputs, n, nl_csv_table_suffix((nl_csv_table)t));
    free(inputs);
    return status;
}

/* Hidden CSV files are skipped and a file named twice is read once: both are said, since
 * either can change which rows are read. So are *.csv entries that are not regular files and
 * paths too long to open, which are never skipped silently. inspect (per_file) also lists the
 * skipped entries in its report. */
static void warn_input_notes(cli *c, const nl_input_notes *notes, bool per_file)
{
    for (size_t i = 0; per_file && !c->quiet && i < notes->special_count; i++)
        fprintf(c->out, "skipped: %s: not a regular file\n", notes->special[i]);
    for (size_t i = 0; per_file && !c->quiet && i < notes->long_folder_count; i++)
        fprintf(c->out, "skipped: %zu entr%s of %s: path of %d bytes or more\n",
                notes->long_counts[i], notes->long_counts[i] == 1 ? "y" : "ies",
                notes->long_folders[i], PATH_MAX);
    /* A run that misses whole files says so even with --quiet. */
    if (notes->special_count > 0) {
        fprintf(c->err,
                "nextlevel: warning: %zu .csv entr%s skipped: not a regular file (reading a pipe, "
                "socket or device could block or never end; name a pipe on the command line to "
                "read it):",
                notes->special_count, notes->special_count == 1 ? "y" : "ies");
        for (size_t i = 0; i < notes->special_count; i++)
            fprintf(c->err, "%s %s", i ? "," : "", notes->special[i]);
        fputc('\n', c->err);
    }
    for (size_t i = 0; i < notes->long_folder_count; i++)
        fprintf(c->err,
                "nextlevel: warning: %zu entr%s of %s skipped: %s path would be %d bytes or "
                "longer, more than the system can open; move %s to a shorter path to read %s\n",
                notes->long_counts[i], notes->long_counts[i] == 1 ? "y" : "ies",
                notes->long_folders[i], notes->long_counts[i] == 1 ? "its" : "their", PATH_MAX,
                notes->long_counts[i] == 1 ? "it" : "them",
                notes->long_counts[i] == 1 ? "it" : "them");
    if (c->quiet)
        return;
    if (notes->hidden_count > 0) {
        fprintf(c->err,
                "nextlevel: note: %zu hidden file%s skipped (a name starting with '.'; "
                "rename %s to read %s):",
                notes->hidden_count, notes->hidden_count == 1 ? "" : "s",
                notes->hidden_count == 1 ? "it" : "them", notes->hidden_count == 1 ? "it" : "them");
        for (size_t i = 0; i < notes->hidden_count; i++)
            fprintf(c->err, "%s %s", i ? "," : "", notes->hidden[i]);
        fputc('\n', c->err);
    }
    for (size_t i = 0; i < notes->repeated_count; i++)
        fprintf(c->err,
                "nextlevel: warning: %s is named more than once (or with its folder): it is "
                "read once\n",
                notes->repeated[i]);
}

/* Two exports pasted into one file leave the second one's header among the rows. */
static void warn_repeated_header(cli *c, const nl_file_summary *f)
{
    if (f->header_repeats == 0 || c->quiet)
        return;
    nl_term_progress_clear(&c->meter);
    fprintf(c->err,
            "nextlevel: warning: %s:%ld: line %ld repeats the header: were two exports "
            "joined? It was skipped",
            f->path, f->header_repeat_line, f->header_repeat_line);
    if (f->header_repeats > 1)
        fprintf(c->err, " (and %ld more such lines)", f->header_repeats - 1);
    fputc('\n', c->err);
}

/* Levels from points: one warning per person whose level cell says another level than their
 * milestone points (at most NL_LEVEL_WARNINGS, then a count; under --redact only the count,
 * since ids are pseudonymised later and stderr must not name people). */
#define NL_LEVEL_WARNINGS 20
static void warn_level_mismatches(cli *c, const nl_framework *fw, const nl_matrix *m)
{
    if (fw->level_from != NL_LEVEL_FROM_POINTS || c->quiet)
        return;
    size_t count, shown = 0, disagree = 0;
    const nl_person *people = nl_matrix_people(m, &count);
    for (size_t i = 0; i < count; i++) {
        const nl_person *p = &people[i];
        if (!nl_person_level_disagrees(fw, p))
            continue;
        disagree++;
        if (c->redact || shown >= NL_LEVEL_WARNINGS)
            continue;
        shown++;
        nl_term_progress_clear(&c->meter);
        fprintf(c->err,
                "nextlevel: warning: person %s: the file says %s but %g milestone points place "
                "them at %s; %s is used\n",
                p->id, fw->levels[p->level_in_file].id, nl_framework_total_points(fw, p->scores),
                fw->levels[p->level].id, fw->levels[p->level].id);
    }
    if (disagree > shown) {
        nl_term_progress_clear(&c->meter);
        fprintf(c->err,
                "nextlevel: warning: %s%zu %s whose level cell disagrees with their milestone "
                "points: the level their points place them at is used (the outputs' "
                "level_in_file column shows the file's)\n",
                shown ? "and " : "", disagree - shown,
                shown           ? "more people"
                : disagree == 1 ? "person"
                                : "people");
    }
}

/* The run date from --date, else SOURCE_DATE_EPOCH, else now. False, after a usage error
 * naming the accepted range, for a text outside it: a year past 9999 made gmtime fail inside
 * the workbook writer, and years before 1900 or past 9999 make docProps Excel refuses. */
static bool run_date_of(cli *c, time_t *date)
{
    const char *text = c->date ? c->date : getenv("SOURCE_DATE_EPOCH");
    if (nl_run_date_parse(text, date))
        return true;
    char shown[128];
    usage_error(c,
                c->date ? "--date must be a day of the calendar from 1900-01-01 to 9999-12-31 "
                          "written YYYY-MM-DD (or whole seconds since 1970 up to "
                          "253402300799), not '%s'"
                        : "SOURCE_DATE_EPOCH must be whole seconds since 1970 written in digits "
                          "alone, from 0 to 253402300799 (9999-12-31), not '%s': correct it, "
                          "or unset it to use today's date",
                nl_visible(text, shown, sizeof shown));
    return false;
}

/* Reads the matrix operands (files, folders, "-") into a new matrix for fw, reporting each
 * unusable file on stderr as it comes, and going on with the next. Returns NL_OK; NL_ERR_INPUT
 * when some file was unusable (*m holds the others); or the status of a failure that stopped
 * the reading. With per_file, each file's inspect report is printed as soon as it is read. */
static nl_status read_matrices(cli *c, const nl_framework *fw, char *const *operands, size_t count,
                               bool per_file, nl_matrix **m)
{
    nl_error e = {0};
    char **paths = NULL;
    size_t path_count = 0;
    nl_input_notes notes = {0};
    const char *date_text = c->date ? c->date : getenv("SOURCE_DATE_EPOCH");
    time_t run_date = 0;
    if (!run_date_of(c, &run_date))
        return NL_ERR_USAGE;
    if (nl_inputs_expand(operands, count, c->recursive, &paths, &path_count, &notes, &e) != NL_OK)
        return report_error(c, &e);
    warn_input_notes(c, &notes, per_file);
    nl_input_notes_clear(&notes);
    if ((*m = nl_matrix_new(fw)) != NULL) {
        nl_matrix_set_progress(*m, &c->progress);
        if (date_text != NULL && *date_text != '\0')
            nl_matrix_set_run_date(*m, run_date);
        nl_matrix_set_encoding(*m, c->encoding);
        nl_matrix_set_hide_values(*m, c->redact);
    }
    if (*m == NULL) {
        nl_free_strings(paths, path_count);
        return report_nomem(c);
    }
    bool unusable = false;
    nl_status status = refuse_overwrite(c, fw, paths, path_count);
    for (size_t i = 0; i < path_count && status == NL_OK; i++) {
        nl_status read = nl_matrix_read_file(*m, paths[i], c->delimiter, &e);
        /* A missing --date stops the run: every later file would say the same. */
        if (nl_status_is_resource(read) || read == NL_ERR_USAGE) {
            status = report_error(c, &e);
            break;
        }
        size_t file_count;
        const nl_file_summary *files = nl_matrix_files(*m, &file_count);
        if (!c->quiet && file_count > 0) {
            nl_term_progress_clear(&c->meter);
            nl_encoding_warn(c->err, files[file_count - 1].path, &files[file_count - 1].encoding);
        }
        if (read == NL_OK && !per_file)
            warn_repeated_header(c, &files[file_count - 1]);
        if (read != NL_OK) {
            nl_error_print(&e, c->err);
            unusable = true;
        } else if (per_file && !c->quiet) {
            nl_report_file(c->out, fw, *m, file_count - 1);
        }
    }
    nl_free_strings(paths, path_count);
    nl_matrix_trim(*m);
    warn_level_mismatches(c, fw, *m);
    return status == NL_OK && unusable ? NL_ERR_INPUT : status;
}

/* Loads the template and reads the matrices named by the operands. */
static nl_status load_inputs(cli *c, int argc, char **argv, nl_framework **fw, nl_matrix **m,
                             bool per_file)
{
    nl_error e = {0};
    if (c->template_path == NULL)
        return usage_error(c, "%s needs --template TEMPLATE", argv[0] ? "this command" : "");
    if (optind >= argc)
        return usage_error(c, "at least one %s is needed", "MATRIX file or folder");
    if (nl_framework_load(c->template_path, fw, &e) != NL_OK)
        return report_error(c, &e);
    return read_matrices(c, *fw, argv + optind, (size_t)(argc - optind), per_file, m);
}

static nl_status run_inspect(cli *c, int argc, char **argv)
{
    nl_framework *fw = NULL;
    nl_matrix *m = NULL;
    nl_status status = load_inputs(c, argc, argv, &fw, &m, true);
    /* The total also counts when a file was unusable: the others were read. */
    if (m != NULL && (status == NL_OK || status == NL_ERR_INPUT)) {
        size_t people, rejected, files;
        nl_matrix_people(m, &people);
        nl_matrix_rejections(m, &rejected);
        nl_matrix_files(m, &files);
        const nl_file_summary *summaries = nl_matrix_files(m, &files);
        long read = 0, used = 0;
        for (size_t f = 0; f < files; f++) {
            read += summaries[f].rows_read;
            used += summaries[f].rows_used;
        }
        if (!c->quiet) {
            fprintf(c->out, "total: %zu file%s, %zu people accepted, %zu row%s rejected\n", files,
                    files == 1 ? "" : "s", people, rejected, rejected == 1 ? "" : "s");
            fprintf(c->out, "total rows: read %ld = used %ld + rejected %zu\n", read, used,
                    rejected);
        }
        c->rejected_rows = rejected > 0;
    }
    nl_matrix_free(m);
    nl_framework_free(fw);
    return status;
}

/* The folder of a path, for temporary files next to the output. */
static char *folder_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash == NULL   ? nl_strdup(".")
           : slash == path ? nl_strdup("/")
                           : nl_strndup(path, (size_t)(slash - path));
}

/* Writes one workbook to path atomically: the combined one or a pack. The one call of
 * nl_write_workbook. */
static nl_status write_workbook(cli *c, const nl_review_view *view, const char *path,
                                const nl_xlsx_options *options)
{
    nl_error e = {0};
    nl_outfile out;
    char *folder = folder_of(path);
    if (folder == NULL)
        return report_nomem(c);
    if (nl_outfile_open(&out, path, &e) != NL_OK || nl_outfile_release_stream(&out, &e) != NL_OK) {
        free(folder);
        return report_error(c, &e);
    }
    /* Not /dev for --out /dev/stdout: the parts of a workbook written in place go to /tmp. */
    nl_status status =
        nl_write_workbook(out.temp_path, out.in_place ? NULL : folder, view, options, &e);
    free(folder);
    if (status != NL_OK) {
        nl_outfile_abort(&out);
        snprintf(e.path, sizeof e.path, "%s", path);
        return report_error(c, &e);
    }
    if (nl_outfile_commit(&out, &e) != NL_OK)
        return report_error(c, &e);
    return NL_OK;
}

/* What a pack needs that the queue does not know: the review and the combined workbook's
 * options, which each pack narrows to its group. */
typedef struct pack_context {
    cli *c;
    const nl_review *rv;
    nl_view_kind kind;
    const nl_xlsx_options *options;
} pack_context;

/* nl_pack_writer.write: one group's workbook, a view of the review. */
static nl_status write_pack(void *data, const nl_group *group, const char *path, const char *label,
                            bool show_progress)
{
    pack_context *p = data;
    nl_xlsx_options options = *p->options;
    options.group_label = label;
    if (!show_progress)
        options.progress = NULL;
    nl_view_scope scope = {p->kind, group->name, group->people, group->count};
    nl_review_view view;
    if (nl_review_view_make(p->rv, &scope, &view) != NL_OK)
        return report_nomem(p->c);
    nl_status status = write_workbook(p->c, &view, path, &options);
    nl_review_view_clear(&view);
    return status;
}

/* nl_pack_writer.report. */
static void report_pack_error(void *data, const nl_error *e)
{
    pack_context *p = data;
    report_error(p->c, e);
}

/* The combined workbook, and with --split-by the packs: with --jobs N above 1, N - 1 processes
 * start on the packs before the combined workbook, and this one joins them after it. */
static nl_status write_xlsx(cli *c, const nl_review *rv)
{
    nl_xlsx_options options = {.progress = &c->progress,
                               .threads = c->jobs,
                               .summary_detail = c->summary_detail,
                               .what_if = !c->what_if_off};
    if (c->redact)
        options.redaction = c->redact_keyed
                                ? "names, ids and managers are pseudonyms keyed by --redact-key"
                                : "names, ids and managers are pseudonyms under a random key "
                                  "used for this run only";
    if (!run_date_of(c, &options.run_date))
        return NL_ERR_USAGE;
    /* Taken when the template was read: it may have been a pipe, which cannot be read again. */
    options.template_digest = rv->fw->sha256[0] != '\0' ? rv->fw->sha256 : NULL;
    nl_error e = {0};
    nl_review_view whole;
    if (nl_review_view_make(rv, NULL, &whole) != NL_OK)
        return report_nomem(c);
    bool by_team = c->split_by != NULL && strcmp(c->split_by, "team") == 0;
    pack_context context = {c, rv, by_team ? NL_VIEW_TEAM : NL_VIEW_MANAGER, &options};
    nl_pack_writer writer = {write_pack, report_pack_error, &context};
    nl_pack_queue *packs = NULL;
    nl_status pack_status = NL_OK;
    if (c->split_by != NULL) {
        char *dir = c->out_dir ? nl_strdup(c->out_dir) : folder_of(c->out_path);
        char *combined_dir = folder_of(c->out_path);
        nl_split_by split = by_team ? NL_SPLIT_TEAM : NL_SPLIT_MANAGER;
        /* No pack may take the combined workbook's name in its folder. */
        const char *slash = strrchr(c->out_path, '/');
        const char *reserved = slash ? slash + 1 : c->out_path;
        if (dir != NULL && combined_dir != NULL && !same_file(dir, combined_dir))
            reserved = NULL;
        if (dir == NULL || combined_dir == NULL)
            pack_status = report_nomem(c);
        else if (nl_pack_queue_start(rv->m, split, dir, reserved, c->jobs, &writer, &packs, &e) !=
                 NL_OK)
            pack_status = report_error(c, &e);
        free(combined_dir);
        free(dir);
    }
    /* A pack failure found before the combined workbook does not stop it. */
    nl_status status = write_workbook(c, &whole, c->out_path, &options);
    nl_review_view_clear(&whole);
    if (c->split_by != NULL && pack_status == NL_OK) {
        status = nl_pack_queue_finish(packs, status);
        if (status == NL_OK && !c->quiet) {
            size_t count = nl_pack_queue_count(packs);
            fprintf(c->err, "nextlevel: wrote %zu %s workbook%s to %s\n", count, c->split_by,
                    count == 1 ? "" : "s", nl_pack_queue_dir(packs));
            const nl_group *groups = nl_pack_queue_groups(packs, &count);
            for (size_t g = 0; g < count; g++)
                if (groups[g].displaced)
                    fprintf(c->err,
                            "nextlevel: note: the %s %s's workbook is %s, since %s is the "
                            "combined workbook\n",
                            c->split_by, groups[g].name, groups[g].file_name, c->out_path);
        }
    } else if (status == NL_OK) {
        status = pack_status;
    }
    nl_pack_queue_free(packs);
    return status;
}

/* The CSV files beside a CSV --out: the rejected rows, then the sibling tables of the run. */
#define SIBLINGS (1 + NL_CSV_TABLE_COUNT)

/* The suffix of sibling k (0: the rejected rows), or NULL when the run has no such table. */
static const char *sibling_suffix(const nl_review *rv, int k)
{
    if (k == 0)
        return ".rejected.csv";
    return nl_csv_table_present(rv, (nl_csv_table)(k - 1))
               ? nl_csv_table_suffix((nl_csv_table)(k - 1))
               : NULL;
}

static void write_sibling(FILE *out, const nl_review *rv, int k, nl_csv_dialect dialect)
{
    if (k == 0)
        nl_write_rejections_csv(out, rv, dialect);
    else
        nl_write_csv_table(out, rv, (nl_csv_table)(k - 1), dialect);
}

/* Opens every sibling of the run: on failure those opened are aborted. */
static nl_status open_siblings(cli *c, const nl_review *rv, nl_outfile *siblings, bool *open)
{
    nl_error e = {0};
    for (int k = 0; k < SIBLINGS; k++) {
        const char *suffix = sibling_suffix(rv, k);
        if (suffix == NULL)
            continue;
        char *path = sibling_path(c->out_path, suffix);
        nl_status status = path ? nl_outfile_open(&siblings[k], path, &e)
                                : nl_error_set(&e, NL_ERR_NOMEM, NULL, 0, 0, "out of memory");
        free(path);
        if (status != NL_OK) {
            for (int j = 0; j < k; j++)
                if (open[j])
                    nl_outfile_abort(&siblings[j]);
            return report_error(c, &e);
        }
        open[k] = true;
    }
    return NL_OK;
}

/* --out - has no file beside it for the rejected rows. The run's summary lists them on
 * standard error; with --quiet, which lists nothing, they follow there as the table
 * FILE.rejected.csv would hold, after a line saying so: a script keeps its standard output
 * clean and loses no row. */
static void write_rejected_to_stderr(cli *c, const nl_review *rv, nl_csv_dialect dialect)
{
    size_t rejected;
    nl_matrix_rejections(rv->m, &rejected);
    if (rejected == 0 || !c->quiet)
        return;
    nl_term_progress_clear(&c->meter);
    fprintf(c->err,
            "nextlevel: %zu row%s rejected; with --out - they follow here as CSV (the table "
            "FILE.rejected.csv holds beside a CSV --out):\n",
            rejected, rejected == 1 ? " was" : "s were");
    nl_write_rejections_csv(c->err, rv, dialect);
}

/* Writes the results in the format asked for (or told by the --out name); the one place
 * nl_write_results_json and nl_write_results_csv are called. A CSV file's siblings are all
 * open before anything is committed, and committing allocates nothing: running out of memory
 * cannot leave a report without its rejected rows and tables. */
static nl_status write_outputs(cli *c, const nl_review *rv)
{
    nl_error e = {0};
    const char *format = c->format;
    if (format == NULL)
        format = ends_with(c->out_path, ".json")                                   ? "json"
                 : ends_with(c->out_path, ".csv") || strcmp(c->out_path, "-") == 0 ? "csv"
                                                                                   : "xlsx";
    if (c->split_by != NULL && strcmp(format, "xlsx") != 0)
        return usage_error(c, "--split-by writes workbooks: use an .xlsx --out, not %s", format);
    if (strcmp(format, "xlsx") == 0) {
        if (strcmp(c->out_path, "-") == 0)
            return usage_error(
                c, "%s", "an xlsx workbook cannot go to standard output: use --out FILE.xlsx");
        return write_xlsx(c, rv);
    }
    bool json = strcmp(format, "json") == 0;
    bool beside = !json && strcmp(c->out_path, "-") != 0;
    nl_outfile out, siblings[SIBLINGS];
    bool open[SIBLINGS] = {false};
    if (nl_outfile_open(&out, c->out_path, &e) != NL_OK)
        return report_error(c, &e);
    /* A device, FIFO or descriptor written in place has no folder of its own to take them. */
    beside = beside && !out.in_place;
    nl_status opened = beside ? open_siblings(c, rv, siblings, open) : NL_OK;
    if (opened != NL_OK) {
        nl_outfile_abort(&out);
        return opened;
    }
    nl_machine_options options = {.progress = &c->progress,
                                  .threads = c->jobs,
                                  .dialect = c->csv_dialect_given ? c->csv_dialect
                                                                  : rv->fw->report.csv_dialect};
    nl_status status = json ? nl_write_results_json(out.stream, rv, &options)
                            : nl_write_results_csv(out.stream, rv, &options);
    for (int k = 0; k < SIBLINGS; k++)
        if (open[k])
            write_sibling(siblings[k].stream, rv, k, options.dialect);
    if (status != NL_OK) {
        nl_error_set(&e, status, NULL, 0, 0, "%s", nl_strerror(status));
        nl_outfile_abort(&out);
    } else {
        status = nl_outfile_commit(&out, &e); /* frees out, whether or not it succeeds */
    }
    for (int k = 0; k < SIBLINGS; k++) {
        if (!open[k])
            continue;
        if (status == NL_OK)
            status = nl_outfile_commit(&siblings[k], &e);
        else
            nl_outfile_abort(&siblings[k]);
    }
    if (status == NL_OK && !json && !beside)
        write_rejected_to_stderr(c, rv, options.dialect);
    return status == NL_OK ? NL_OK : report_error(c, &e);
}

/* A file without a single column the template knows was nearly always exported for another
 * framework; its people are Not evaluated, which is easy to miss among thousands. */
static void warn_files_without_skills(cli *c, const nl_framework *fw, const nl_matrix *m)
{
    size_t file_count;
    const nl_file_summary *files = nl_matrix_files(m, &file_count);
    for (size_t f = 0; f < file_count; f++) {
        bool any_skill = false;
        for (size_t s = 0; s < fw->skill_count && !any_skill; s++)
            any_skill = files[f].skill_found[s];
        if (any_skill || files[f].people_accepted == 0)
            continue;
        fprintf(c->err,
                "nextlevel: warning: %s has none of the template's %zu skills (its %ld "
                "%s Not evaluated); is it the right template? 'nextlevel inspect' lists the "
                "file's columns\n",
                files[f].path, fw->skill_count, files[f].people_accepted,
                files[f].people_accepted == 1 ? "person is" : "people are");
    }
}

/* How many people first read from file lack what gate reads (months, an attribute). */
static size_t people_lacking(const nl_matrix *m, size_t file, const nl_gate *gate)
{
    size_t count, lacking = 0;
    const nl_person *people = nl_matrix_people(m, &count);
    for (size_t i = 0; i < count; i++) {
        if (people[i].file != file)
            continue;
        lacking += gate->kind == NL_GATE_TENURE ? isnan(people[i].months_in_level)
                                                : isnan(people[i].attributes[gate->attribute]);
    }
    return lacking;
}

/* The columns the template reads that the files lack, said before anything is evaluated: per
 * file, a warning for each months or attribute gate that cannot be checked for (some of) its
 * people; and when no file at all has the column a hard gate reads (for a skill gate, any of
 * its skills), nobody could pass it,
 * so the run stops (exit 3) unless --allow-missing-columns says the partial run is
 * deliberate. */
static nl_status check_columns(cli *c, const nl_framework *fw, const nl_matrix *m)
{
    nl_columns_found all;
    if (!nl_columns_of_matrix(fw, m, &all))
        return report_nomem(c);
    size_t file_count, people;
    const nl_file_summary *files = nl_matrix_files(m, &file_count);
    nl_matrix_people(m, &people);
    char what[512];
    nl_status status = NL_OK;
    for (size_t g = 0; g < fw->gate_count; g++) {
        const nl_gate *gate = &fw->gates[g];
        const char *severity = gate->severity == NL_HARD ? "hard" : "soft";
        bool skill_gate = gate->kind != NL_GATE_TENURE && gate->kind != NL_GATE_ATTRIBUTE;
        if (nl_gate_unreadable(fw, gate, &all, what, sizeof what)) {
            bool stop = gate->severity == NL_HARD && !c->allow_missing_columns && people > 0;
            if (stop || !c->quiet)
                fprintf(c->err,
                        "nextlevel: %s: no file has %s, which the %s gate %s reads: nobody can "
                        "be checked on it.%s\n",
                        stop ? "error" : "warning", what, severity, gate->id,
                        stop ? " Add the column to the export or correct its name in the "
                               "template; --allow-missing-columns runs without it on purpose"
                             : "");
            if (stop)
                status = NL_ERR_INPUT;
            continue;
        }
        /* A skill gate with some of its skills somewhere checks those; a file without them has
         * its own warning (none of the template's skills) and inspect's list. */
        if (c->quiet || skill_gate)
            continue;
        /* Some file lacks it: its people may still have it from a file read with them (long
         * ratings split per assessor); warn only for those who have not. */
        for (size_t f = 0; f < file_count; f++) {
            nl_columns_found own = nl_columns_of_file(&files[f]);
            if (files[f].unusable || !nl_gate_unreadable(fw, gate, &own, what, sizeof what))
                continue;
            size_t lacking = people_lacking(m, f, gate);
            if (lacking > 0)
                fprintf(c->err,
                        "nextlevel: warning: %s has no %s: the %s gate %s cannot be checked for "
                        "%zu of its people\n",
                        files[f].path, what + 4 /* after "the " */, severity, gate->id, lacking);
        }
    }
    nl_columns_found_free(&all);
    return status;
}

static void print_run_summary(cli *c, const nl_review *rv)
{
    const nl_framework *fw = rv->fw;
    const nl_matrix *m = rv->m, *previous = rv->previous;
    const nl_outcome_counts *counts = &rv->counts;
    size_t people, rejected, files;
    const nl_rejection *rejections = nl_matrix_rejections(m, &rejected);
    nl_matrix_people(m, &people);
    nl_matrix_files(m, &files);
    nl_term_progress_clear(&c->meter);
    warn_files_without_skills(c, fw, m);
    for (size_t i = 0; i < rejected; i++) {
        fputs("nextlevel: rejected: ", c->err);
        nl_report_rejection(c->err, m, &rejections[i]);
    }
    size_t rejected_then = 0;
    const nl_rejection *then = previous ? nl_matrix_rejections(previous, &rejected_then) : NULL;
    for (size_t i = 0; i < rejected_then; i++) {
        fputs("nextlevel: rejected (last quarter): ", c->err);
        nl_report_rejection(c->err, previous, &then[i]);
    }
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    fprintf(c->err, "nextlevel: %zu file%s, %zu people:", files, files == 1 ? "" : "s", people);
    for (int o = NL_READY_NOW; o <= NL_TOP_OF_LADDER; o++)
        fprintf(c->err, "%s %zu %s", o ? "," : "", counts->people[o],
                nl_outcome_name((nl_outcome)o));
    fprintf(c->err, "; %zu row%s rejected", rejected, rejected == 1 ? "" : "s");
    if (rejected_then > 0)
        fprintf(c->err, " (and %zu of last quarter's)", rejected_then);
    fprintf(c->err, "; %.2f s\n", nl_seconds_between(&c->started, &now));
}

/* Replaces names and ids by keyed pseudonyms in this quarter's and last quarter's people, with
 * one key so that people still match across quarters. */
static nl_status redact_inputs(cli *c, nl_matrix *m, nl_matrix *previous)
{
    nl_error e = {0};
    nl_redactor *r = NULL;
    if (nl_redactor_new(c->redact_key, &r, &e) != NL_OK)
        return report_error(c, &e);
    c->redact_keyed = nl_redactor_keyed(r);
    nl_status status = nl_redact_matrix(r, m);
    if (status == NL_OK && previous != NULL)
        status = nl_redact_matrix(r, previous);
    nl_redactor_free(r);
    if (status != NL_OK) {
        nl_error_set(&e, status, NULL, 0, 0, "out of memory");
        return report_error(c, &e);
    }
    return NL_OK;
}

static nl_status run_diff(cli *c, int argc, char **argv)
{
    if (argc - optind != 2)
        return usage_error(c, "%s", "diff needs two result files: diff OLD.json NEW.json");
    nl_error e = {0};
    nl_diff_counts counts;
    if (nl_diff_results(argv[optind], argv[optind + 1], c->out, &counts, &e) != NL_OK)
        return report_error(c, &e);
    return NL_OK;
}

/* --budget, else the template's [slate] budget or per-team budgets, else none. */
static nl_budget run_budget(const cli *c, const nl_framework *fw)
{
    if (c->budget_given)
        return (nl_budget){.set = true, .slots = c->budget, .from_command_line = true};
    const nl_slate_settings *slate = &fw->slate;
    if (slate->has_budget)
        return (nl_budget){.set = true, .slots = slate->budget};
    if (slate->team_count > 0)
        return (nl_budget){
            .set = true, .per_team = true, .teams = slate->teams, .team_count = slate->team_count};
    return (nl_budget){0};
}

static nl_status run_evaluate(cli *c, int argc, char **argv)
{
    nl_framework *fw = NULL;
    nl_matrix *m = NULL;
    nl_evaluator *ev = NULL;
    nl_error e = {0};
    /* The default name follows --format: JSON in a file named .xlsx opens as a broken
     * workbook. */
    if (c->out_path == NULL)
        c->out_path = c->format == NULL || strcmp(c->format, "xlsx") == 0 ? "report.xlsx"
                      : strcmp(c->format, "csv") == 0                     ? "report.csv"
                                                                          : "report.json";
    nl_status status = load_inputs(c, argc, argv, &fw, &m, false);
    if (status == NL_OK)
        status = check_columns(c, fw, m);
    nl_matrix *previous = NULL;
    if (status == NL_OK && c->previous_count > 0)
        status = read_matrices(c, fw, c->previous, c->previous_count, false, &previous);
    if (status == NL_OK && c->redact)
        status = redact_inputs(c, m, previous);
    for (size_t i = 0; status == NL_OK && i < c->threshold_count; i++)
        if (nl_framework_override_threshold(fw, c->thresholds[i], &e) != NL_OK)
            status = report_error(c, &e);
    if (status == NL_OK && nl_evaluator_new(fw, c->priorities, c->weights, &ev, &e) != NL_OK)
        status = report_error(c, &e);
    nl_review *rv = NULL;
    if (status == NL_OK) {
        nl_review_inputs inputs = {.ev = ev,
                                   .m = m,
                                   .previous = previous,
                                   .calibrate = c->calibrate,
                                   .threads = c->jobs,
                                   .progress = &c->progress,
                                   .budget = run_budget(c, fw)};
        if (nl_review_build(&inputs, &rv, &e) != NL_OK)
            status = report_error(c, &e);
    }
    if (status == NL_OK)
        status = write_outputs(c, rv);
    if (status == NL_OK) {
        size_t rejected, rejected_then = 0;
        nl_matrix_rejections(m, &rejected);
        if (previous != NULL)
            nl_matrix_rejections(previous, &rejected_then);
        if (!c->quiet)
            print_run_summary(c, rv);
        c->rejected_rows = rejected + rejected_then > 0;
    }
    nl_review_free(rv);
    nl_evaluator_free(ev);
    nl_matrix_free(previous);
    nl_matrix_free(m);
    nl_framework_free(fw);
    return status;
}

/* Parses the command line and runs the command; the caller cleans up whatever the return. */
static nl_status dispatch(cli *c, int argc, char **argv)
{
    if (argc < 2)
        return usage_error(c, "%s", "a command is needed: check, inspect, evaluate or diff");
    const char *command = argv[1];
    if (command[0] == '-') {
        /* Only --help, --version (and --generate) make sense before a command. */
        bool finished;
        nl_status status = parse_options(c, argc, argv, &finished);
        if (status != NL_OK || finished)
            return status;
        return usage_error(c, "%s", "a command is needed: check, inspect, evaluate or diff");
    }
    /* --diff takes two values, which getopt cannot express: take it out beforehand. */
    int diff_at = 0;
    for (int i = 2; i < argc && diff_at == 0; i++) {
        if (strcmp(argv[i], "--") == 0)
            break;
        if (strcmp(argv[i], "--diff") == 0)
            diff_at = i;
    }
    if (diff_at > 0) {
        if (strcmp(command, "check") != 0)
            return usage_error(c, "--diff belongs to 'check', not '%s'", command);
        if (diff_at + 2 >= argc)
            return usage_error(c, "%s", "--diff needs two levels: --diff FROM TO");
        c->diff_from = argv[diff_at + 1];
        c->diff_to = argv[diff_at + 2];
        for (int i = diff_at; i + 3 <= argc; i++)
            argv[i] = argv[i + 3];
        argc -= 3;
    }
    bool finished;
    nl_status status = parse_options(c, argc - 1, argv + 1, &finished);
    if (status != NL_OK || finished)
        return status;
    c->meter.terminal = c->meter.terminal && !c->quiet;
    if (c->jobs == 0) {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        c->jobs = cores > 0 ? (unsigned)cores : 1;
    }
    optind = optind + 1;
    if (strcmp(command, "check") == 0)
        return run_check(c, argc, argv);
    if (strcmp(command, "inspect") == 0)
        return run_inspect(c, argc, argv);
    if (strcmp(command, "evaluate") == 0)
        return run_evaluate(c, argc, argv);
    if (strcmp(command, "diff") == 0)
        return run_diff(c, argc, argv);
    return usage_error(c, "unknown command '%s' (commands: check, inspect, evaluate, diff)",
                       command);
}

int nl_cli_run(int argc, char **argv, FILE *out, FILE *err)
{
    /* Messages and text reports quote cells and file names: through these streams no control
     * character or bidirectional override reaches the terminal raw (textsafe.h). */
    FILE *shown_out = nl_terminal_stream(out), *shown_err = nl_terminal_stream(err);
    cli c = {.out = shown_out ? shown_out : out, .err = shown_err ? shown_err : err};
    clock_gettime(CLOCK_MONOTONIC, &c.started);
    nl_term_progress_init(&c.meter, err, &c.started);
    c.progress = nl_term_progress_callback(&c.meter);
    nl_status status = dispatch(&c, argc, argv);
    nl_term_progress_clear(&c.meter);
    free(c.previous);
    free(c.thresholds);
    if (shown_out != NULL)
        fclose(shown_out);
    if (shown_err != NULL)
        fclose(shown_err);
    if (fflush(out) != 0 || ferror(out)) {
        fputs("nextlevel: cannot write the report to standard output\n", err);
        return NL_EXIT_OUTPUT;
    }
    /* The one place a status becomes an exit code. */
    if (status != NL_OK)
        return nl_status_exit_code(status);
    return c.rejected_rows ? NL_EXIT_REJECTED : NL_EXIT_OK;
}
