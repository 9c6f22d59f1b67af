/* MAP_ANONYMOUS (shared memory for the pack queue) is not in POSIX 2008. */
#define _DEFAULT_SOURCE

#include "nextlevel/cli.h"

#include "nextlevel/calibration.h"
#include "nextlevel/diff.h"
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
#include "nextlevel/strutil.h"

#include <errno.h>
#include <getopt.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

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
    "  inspect --template TEMPLATE [--delimiter D] [--recursive] MATRIX...\n"
    "      Read skill-matrix CSV files and report per file: rows read, people accepted,\n"
    "      rows rejected (FILE:LINE:COLUMN: reason), skills found and missing, unknown\n"
    "      columns, and the share of people assessed per skill.\n"
    "      MATRIX is a CSV file, a folder (its *.csv files in name order) or - for\n"
    "      standard input.\n"
    "      --delimiter D    ',' ';' or 'tab' (default: detected from the header line)\n"
    "      -r, --recursive  also read the CSV files of sub-folders\n"
    "  evaluate --template TEMPLATE [--out FILE] [--format xlsx|csv|json]\n"
    "           [--priorities NAME] [--weights FAMILY=W,...] [--date D]\n"
    "           [--split-by team|manager [--out-dir DIR]] [--previous M]...\n"
    "           [--calibrate] [--redact [--redact-key FILE]]\n"
    "           [--delimiter D] [--recursive] MATRIX...\n"
    "      Decide for every person whether they operate at the next level, with the\n"
    "      gate-by-gate reasons, robustness under every priority profile, the tipping\n"
    "      weight and a development plan. --out defaults to report.xlsx; --out - writes\n"
    "      CSV to standard output; a CSV file gets its rejected rows in\n"
    "      FILE.rejected.csv beside it.\n"
    "      --format F       xlsx, csv or json (default: from the --out file name)\n"
    "      --priorities P   the priority profile that decides (default: the template's)\n"
    "      --weights W      what-if family weights, e.g. technical=0.4,soft=0.6\n"
    "      --date D         the run date in the workbook, YYYY-MM-DD or seconds since\n"
    "                       1970 (default: SOURCE_DATE_EPOCH, else now)\n"
    "      --split-by team|manager  also write one workbook per team or manager\n"
    "      --out-dir DIR    where those go (default: the --out file's folder)\n"
    "      --previous M     last quarter's matrix (file or folder; repeatable): adds the\n"
    "                       trend and measures growth for the readiness bands\n"
    "      --detail D       full (default) or summary: summary leaves out the Gates and\n"
    "                       Skill gaps sheets, which dominate very large workbooks\n"
    "      --jobs N         packs written by N processes at once (default: the cores)\n"
    "      --calibrate      also evaluate scores adjusted for each manager's leniency\n"
    "      --redact         replace names, ids and managers by pseudonyms in every output\n"
    "      --redact-key F   key the pseudonyms with file F (stable across runs)\n"
    "  diff OLD.json NEW.json\n"
    "      Compare two result files of evaluate --format json: who changed outcome,\n"
    "      and which gates and scores changed with it; who is new, who left.\n"
    "\n"
    "Options for every command:\n"
    "  -q, --quiet     print only errors and template findings: no reports, no\n"
    "                  rejected-row list, no summary (the exit code still says 1)\n"
    "  -h, --help      print this help and exit\n"
    "  -V, --version   print the version and exit\n"
    "\n"
    "Exit codes: 0 all fine; 1 done, but some input rows were rejected; 2 usage error;\n"
    "3 template or input unusable (nothing written); 4 an output could not be written.\n";

/* A progress line on a terminal: shown only when standard error is one, and only once a run
 * has taken more than a second, rewritten at most ten times a second. */
typedef struct terminal_progress {
    FILE *err;
    bool terminal;
    bool shown;
    struct timespec start, phase_start, last;
    const char *phase;
} terminal_progress;

typedef struct cli {
    FILE *out, *err;
    terminal_progress meter;
    nl_progress progress;
    struct timespec started;
    bool quiet;
    const char *template_path;
    char delimiter;
    const char *diff_from, *diff_to;
    const char *out_path;
    const char *format;
    const char *priorities;
    const char *weights;
    const char *date;
    const char *split_by;
    const char *out_dir;
    bool recursive;
    char **previous; /* --previous operands, borrowed from argv */
    size_t previous_count;
    nl_history *history;
    bool calibrate;
    nl_calibration *calibration;
    bool redact;
    const char *redact_key;
    bool redact_keyed;
    bool summary_detail;
    unsigned jobs;
} cli;

static double seconds_between(const struct timespec *a, const struct timespec *b)
{
    return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

static void show_progress(void *data, const char *phase, size_t done, size_t total)
{
    terminal_progress *t = data;
    if (!t->terminal)
        return;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (t->phase == NULL || strcmp(t->phase, phase) != 0) {
        t->phase = phase;
        t->phase_start = now;
    }
    if (seconds_between(&t->start, &now) < 1.0 ||
        (t->shown && seconds_between(&t->last, &now) < 0.1))
        return;
    t->last = now;
    t->shown = true;
    double elapsed = seconds_between(&t->phase_start, &now);
    double rate = elapsed > 0 ? (double)done / elapsed : 0;
    if (total > 0)
        fprintf(t->err, "\r\033[K%s: %zu of %zu (%.0f%%), %.0f rows/s", phase, done, total,
                100.0 * (double)done / (double)total, rate);
    else
        fprintf(t->err, "\r\033[K%s: %zu rows, %.0f rows/s", phase, done, rate);
    fflush(t->err);
}

/* Clears the progress line, if one was shown, before anything else is printed. */
static void end_progress(cli *c)
{
    if (c->meter.shown) {
        fputs("\r\033[K", c->err);
        c->meter.shown = false;
    }
}

static int usage_error(cli *c, const char *fmt, const char *arg)
{
    fputs("nextlevel: ", c->err);
    fprintf(c->err, fmt, arg);
    fputs("\nTry 'nextlevel --help'.\n", c->err);
    return NL_EXIT_USAGE;
}

static int report_error(cli *c, const nl_error *e)
{
    end_progress(c);
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
    enum {
        OPT_FORMAT = 256,
        OPT_PRIORITIES,
        OPT_WEIGHTS,
        OPT_DATE,
        OPT_SPLIT_BY,
        OPT_OUT_DIR,
        OPT_PREVIOUS,
        OPT_CALIBRATE,
        OPT_REDACT,
        OPT_REDACT_KEY,
        OPT_DETAIL,
        OPT_JOBS
    };
    static const struct option options[] = {
        {"quiet", no_argument, NULL, 'q'},
        {"recursive", no_argument, NULL, 'r'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {"template", required_argument, NULL, 't'},
        {"delimiter", required_argument, NULL, 'd'},
        {"out", required_argument, NULL, 'o'},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"priorities", required_argument, NULL, OPT_PRIORITIES},
        {"weights", required_argument, NULL, OPT_WEIGHTS},
        {"date", required_argument, NULL, OPT_DATE},
        {"split-by", required_argument, NULL, OPT_SPLIT_BY},
        {"out-dir", required_argument, NULL, OPT_OUT_DIR},
        {"previous", required_argument, NULL, OPT_PREVIOUS},
        {"calibrate", no_argument, NULL, OPT_CALIBRATE},
        {"redact", no_argument, NULL, OPT_REDACT},
        {"redact-key", required_argument, NULL, OPT_REDACT_KEY},
        {"detail", required_argument, NULL, OPT_DETAIL},
        {"jobs", required_argument, NULL, OPT_JOBS},
        {NULL, 0, NULL, 0},
    };
    optind = 0; /* 0 makes GNU getopt start afresh, also on a second call */
    opterr = 0;
    int opt;
    while ((opt = getopt_long(argc, argv, ":qrhVt:d:o:", options, NULL)) != -1) {
        switch (opt) {
        case 'q':
            c->quiet = true;
            break;
        case 'r':
            c->recursive = true;
            break;
        case 'h':
            fputs(usage_text, c->out);
            return NL_EXIT_OK;
        case 'V':
            fprintf(c->out, "nextlevel %s\n", NEXTLEVEL_VERSION);
            return NL_EXIT_OK;
        case 't':
            c->template_path = optarg;
            break;
        case 'd':
            if (!parse_delimiter(optarg, &c->delimiter))
                return usage_error(c, "--delimiter must be ',', ';' or 'tab', not '%s'", optarg);
            break;
        case 'o':
            c->out_path = optarg;
            break;
        case OPT_FORMAT:
            if (strcmp(optarg, "csv") != 0 && strcmp(optarg, "json") != 0 &&
                strcmp(optarg, "xlsx") != 0)
                return usage_error(c, "--format must be xlsx, csv or json, not '%s'", optarg);
            c->format = optarg;
            break;
        case OPT_PRIORITIES:
            c->priorities = optarg;
            break;
        case OPT_WEIGHTS:
            c->weights = optarg;
            break;
        case OPT_DATE:
            c->date = optarg;
            break;
        case OPT_SPLIT_BY:
            if (strcmp(optarg, "team") != 0 && strcmp(optarg, "manager") != 0)
                return usage_error(c, "--split-by must be team or manager, not '%s'", optarg);
            c->split_by = optarg;
            break;
        case OPT_OUT_DIR:
            c->out_dir = optarg;
            break;
        case OPT_DETAIL:
            if (strcmp(optarg, "full") != 0 && strcmp(optarg, "summary") != 0)
                return usage_error(c, "--detail must be full or summary, not '%s'", optarg);
            c->summary_detail = strcmp(optarg, "summary") == 0;
            break;
        case OPT_JOBS: {
            char *end;
            long jobs = strtol(optarg, &end, 10);
            if (*optarg == '\0' || *end != '\0' || jobs < 1 || jobs > 256)
                return usage_error(c, "--jobs must be a number from 1 to 256, not '%s'", optarg);
            c->jobs = (unsigned)jobs;
            break;
        }
        case OPT_CALIBRATE:
            c->calibrate = true;
            break;
        case OPT_REDACT:
            c->redact = true;
            break;
        case OPT_REDACT_KEY:
            c->redact = true;
            c->redact_key = optarg;
            break;
        case OPT_PREVIOUS: {
            char **grown = realloc(c->previous, (c->previous_count + 1) * sizeof *grown);
            if (grown == NULL) {
                nl_error e = {0};
                nl_error_set(&e, NL_ERR_NOMEM, NULL, 0, 0, "out of memory");
                return report_error(c, &e);
            }
            c->previous = grown;
            c->previous[c->previous_count++] = optarg;
            break;
        }
        case ':':
            return usage_error(c, "option '%s' needs a value", argv[optind - 1]);
        default:
            return usage_error(c, "unknown option '%s'", argv[optind - 1]);
        }
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

/* Whether two paths name the same existing file (links and ../ included). */
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

/* FILE.csv -> FILE.rejected.csv; anything else gets ".rejected.csv" appended. */
static char *rejections_path(const char *out_path)
{
    size_t len = strlen(out_path);
    if (ends_with(out_path, ".csv"))
        len -= 4;
    char *stem = nl_strndup(out_path, len);
    return stem ? nl_strjoin(stem, "", ".rejected.csv") : NULL;
}

/* Inputs are never written: an input that is the --out file, or the rejected-rows file beside
 * a CSV output, is refused before anything is read. Returns -1 or the exit code. */
static int refuse_overwrite(cli *c, char *const *paths, size_t count)
{
    if (c->out_path == NULL)
        return -1;
    char *beside = rejections_path(c->out_path);
    int code = -1;
    for (size_t i = 0; i < count && code == -1; i++) {
        if (same_file(paths[i], c->out_path))
            code = usage_error(c, "--out %s is one of the input files: refusing to overwrite it",
                               c->out_path);
        else if (beside != NULL && same_file(paths[i], beside))
            code = usage_error(c,
                               "the rejected rows would go to %s, which is one of the input "
                               "files: choose another --out",
                               beside);
    }
    free(beside);
    return code;
}

/* Reads the matrix operands (files, folders, "-") into a new matrix for fw, reporting each
 * unusable file on stderr as it comes. Returns -1 when all went well enough to go on, else
 * the exit code. With per_file, each file's inspect report is printed as soon as it is read. */
static int read_matrices(cli *c, const nl_framework *fw, char *const *operands, size_t count,
                         bool per_file, nl_matrix **m)
{
    nl_error e = {0};
    char **paths = NULL;
    size_t path_count = 0;
    if (nl_inputs_expand(operands, count, c->recursive, &paths, &path_count, &e) != NL_OK)
        return report_error(c, &e);
    if ((*m = nl_matrix_new(fw)) != NULL)
        nl_matrix_set_progress(*m, &c->progress);
    if (*m == NULL) {
        nl_free_strings(paths, path_count);
        nl_error_set(&e, NL_ERR_NOMEM, NULL, 0, 0, "out of memory");
        return report_error(c, &e);
    }
    bool unusable = false;
    int code = refuse_overwrite(c, paths, path_count);
    for (size_t i = 0; i < path_count && code == -1; i++) {
        nl_status status = nl_matrix_read_file(*m, paths[i], c->delimiter, &e);
        if (nl_status_is_resource(status)) {
            code = report_error(c, &e);
            break;
        }
        size_t file_count;
        nl_matrix_files(*m, &file_count);
        if (status != NL_OK) {
            nl_error_print(&e, c->err);
            unusable = true;
        } else if (per_file && !c->quiet) {
            nl_report_file(c->out, fw, *m, file_count - 1);
        }
    }
    nl_free_strings(paths, path_count);
    nl_matrix_trim(*m);
    return code == -1 && unusable ? NL_EXIT_UNUSABLE : code;
}

/* Loads the template and reads the matrices named by the operands. */
static int load_inputs(cli *c, int argc, char **argv, nl_framework **fw, nl_matrix **m,
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

static int run_inspect(cli *c, int argc, char **argv)
{
    nl_framework *fw = NULL;
    nl_matrix *m = NULL;
    int code = load_inputs(c, argc, argv, &fw, &m, true);
    if (m != NULL && (code == -1 || code == NL_EXIT_UNUSABLE)) {
        size_t people, rejected, files;
        nl_matrix_people(m, &people);
        nl_matrix_rejections(m, &rejected);
        nl_matrix_files(m, &files);
        if (!c->quiet)
            fprintf(c->out, "total: %zu file%s, %zu people accepted, %zu row%s rejected\n", files,
                    files == 1 ? "" : "s", people, rejected, rejected == 1 ? "" : "s");
        if (code == -1)
            code = rejected > 0 ? NL_EXIT_REJECTED : NL_EXIT_OK;
    }
    nl_matrix_free(m);
    nl_framework_free(fw);
    return code;
}

/* Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm), so that --date needs
 * neither timegm nor the time zone. */
static long days_from_civil(long y, long m, long d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* The run date: --date (YYYY-MM-DD, or seconds since 1970), else SOURCE_DATE_EPOCH, else now.
 * Returns false on a malformed value. */
static bool run_date(const cli *c, time_t *date)
{
    const char *text = c->date ? c->date : getenv("SOURCE_DATE_EPOCH");
    if (text == NULL || *text == '\0') {
        *date = time(NULL);
        return true;
    }
    int y, mo, d, n = 0;
    if (sscanf(text, "%4d-%2d-%2d%n", &y, &mo, &d, &n) == 3 && text[n] == '\0' && mo >= 1 &&
        mo <= 12 && d >= 1 && d <= 31) {
        *date = (time_t)days_from_civil(y, mo, d) * 86400;
        return true;
    }
    char *end;
    errno = 0;
    long long seconds = strtoll(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || seconds < 0)
        return false;
    *date = (time_t)seconds;
    return true;
}

/* The folder of a path, for temporary files next to the output. */
static char *folder_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash == NULL   ? nl_strdup(".")
           : slash == path ? nl_strdup("/")
                           : nl_strndup(path, (size_t)(slash - path));
}

/* Digests of every input, taken while reading, for the Criteria sheet. */
static const char **input_digests(const nl_matrix *m)
{
    size_t count;
    const nl_file_summary *files = nl_matrix_files(m, &count);
    const char **digests = calloc(count ? count : 1, sizeof *digests);
    for (size_t i = 0; digests != NULL && i < count; i++)
        digests[i] = files[i].sha256;
    return digests;
}

static int write_workbook(cli *c, const nl_evaluator *ev, const nl_matrix *m, const char *path,
                          const nl_xlsx_options *options, nl_outcome_counts *counts)
{
    nl_error e = {0};
    nl_outfile out;
    char *folder = folder_of(path);
    if (folder == NULL)
        nl_error_set(&e, NL_ERR_NOMEM, NULL, 0, 0, "out of memory");
    if (folder == NULL || nl_outfile_open(&out, path, &e) != NL_OK) {
        free(folder);
        return report_error(c, &e);
    }
    nl_outfile_release_stream(&out);
    nl_status status = nl_write_workbook(out.temp_path, folder, ev, m, options, counts, &e);
    free(folder);
    if (status != NL_OK) {
        nl_outfile_abort(&out);
        snprintf(e.path, sizeof e.path, "%s", path);
        return report_error(c, &e);
    }
    if (nl_outfile_commit(&out, &e) != NL_OK)
        return report_error(c, &e);
    return -1;
}

/* The packs still to write, shared by the processes writing them: each takes the next one, so
 * a process that finishes early (or joins late) takes more. */
typedef struct pack_queue {
    atomic_size_t next;
    atomic_bool stop; /* the combined workbook failed: take no more */
} pack_queue;

/* A --split-by run: the groups, their folder, and the processes writing them. */
typedef struct pack_run {
    nl_group *groups;
    size_t count;
    char *dir;
    bool by_team;
    pack_queue *queue; /* shared memory */
    pid_t *children;
    size_t child_count;
} pack_run;

/* Writes packs from the queue until none is left. */
static int write_queued_packs(cli *c, const nl_evaluator *ev, const nl_matrix *m,
                              nl_xlsx_options *options, pack_run *packs)
{
    int code = -1;
    while (code == -1 && !atomic_load(&packs->queue->stop)) {
        size_t g = atomic_fetch_add(&packs->queue->next, 1);
        if (g >= packs->count)
            break;
        const nl_group *group = &packs->groups[g];
        char label[512];
        snprintf(label, sizeof label, "%s: %s", packs->by_team ? "Team" : "Manager", group->name);
        options->subset = group->people;
        options->subset_count = group->count;
        options->group_label = label;
        char *path = nl_strjoin(nl_strdup(packs->dir), "/", group->file_name);
        if (path == NULL) {
            nl_error e = {0};
            nl_error_set(&e, NL_ERR_NOMEM, NULL, 0, 0, "out of memory");
            return report_error(c, &e);
        }
        nl_outcome_counts ignored;
        code = write_workbook(c, ev, m, path, options, &ignored);
        free(path);
    }
    return code;
}

static void free_packs(pack_run *packs)
{
    nl_groups_free(packs->groups, packs->count);
    free(packs->dir);
    free(packs->children);
    if (packs->queue != NULL)
        munmap(packs->queue, sizeof *packs->queue);
}

/* Groups the people and makes the folder; with --jobs N above 1, starts N - 1 processes on the
 * packs at once, while this one writes the combined workbook (copy-on-write keeps the inputs
 * shared; no thread runs yet to be lost in a fork). Returns -1, or the exit code of a
 * failure. */
static int start_packs(cli *c, const nl_evaluator *ev, const nl_matrix *m, nl_xlsx_options *options,
                       pack_run *packs)
{
    nl_error e = {0};
    *packs = (pack_run){.by_team = strcmp(c->split_by, "team") == 0};
    packs->dir = c->out_dir ? nl_strdup(c->out_dir) : folder_of(c->out_path);
    packs->queue =
        mmap(NULL, sizeof *packs->queue, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (packs->queue == MAP_FAILED)
        packs->queue = NULL;
    if (packs->dir == NULL || packs->queue == NULL ||
        !nl_groups_make(m, packs->by_team ? NL_SPLIT_TEAM : NL_SPLIT_MANAGER, &packs->groups,
                        &packs->count)) {
        nl_error_set(&e, NL_ERR_NOMEM, NULL, 0, 0, "out of memory");
        return report_error(c, &e);
    }
    atomic_init(&packs->queue->next, 0);
    atomic_init(&packs->queue->stop, false);
    struct stat st;
    if (stat(packs->dir, &st) != 0 && mkdir(packs->dir, 0777) != 0) {
        nl_error_set(&e, NL_ERR_OUTPUT, packs->dir, 0, 0, "cannot create the folder: %s",
                     strerror(errno));
        return report_error(c, &e);
    }
    size_t jobs = c->jobs ? c->jobs : 1;
    if (jobs > packs->count)
        jobs = packs->count;
    packs->children = jobs > 1 ? calloc(jobs - 1, sizeof *packs->children) : NULL;
    if (packs->children == NULL)
        return -1; /* one process: the packs follow the combined workbook */
    fflush(c->out);
    fflush(c->err);
    for (; packs->child_count < jobs - 1; packs->child_count++) {
        pid_t child = fork();
        if (child < 0)
            break; /* fewer processes: this one takes more packs */
        if (child == 0) {
            options->progress = NULL; /* the combined workbook's progress line is the parent's */
            int code = write_queued_packs(c, ev, m, options, packs);
            fflush(c->err);
            _exit(code == -1 ? 0 : code);
        }
        packs->children[packs->child_count] = child;
    }
    return -1;
}

/* After the combined workbook (code: -1 when it was written): this process takes packs too,
 * then waits for the others. Returns -1 or the worst exit code. */
static int finish_packs(cli *c, const nl_evaluator *ev, const nl_matrix *m,
                        nl_xlsx_options *options, pack_run *packs, int code)
{
    if (code != -1)
        atomic_store(&packs->queue->stop, true);
    else {
        if (packs->child_count > 0)
            options->progress = NULL; /* one progress line cannot serve several processes */
        code = write_queued_packs(c, ev, m, options, packs);
    }
    for (size_t k = 0; k < packs->child_count; k++) {
        int status;
        if (waitpid(packs->children[k], &status, 0) < 0)
            continue;
        int child_code = WIFEXITED(status) ? WEXITSTATUS(status) : NL_EXIT_OUTPUT;
        if (child_code != 0)
            code = child_code > code ? child_code : code;
    }
    if (code == -1 && !c->quiet)
        fprintf(c->err, "nextlevel: wrote %zu %s workbook%s to %s\n", packs->count,
                packs->by_team ? "team" : "manager", packs->count == 1 ? "" : "s", packs->dir);
    return code;
}

static int write_xlsx(cli *c, const nl_evaluator *ev, const nl_matrix *m, nl_outcome_counts *counts)
{
    nl_xlsx_options options = {.progress = &c->progress,
                               .threads = c->jobs,
                               .history = c->history,
                               .calibration = c->calibration,
                               .calibrate = c->calibrate,
                               .summary_detail = c->summary_detail};
    if (c->redact)
        options.redaction = c->redact_keyed
                                ? "names, ids and managers are pseudonyms keyed by --redact-key"
                                : "names, ids and managers are pseudonyms under a random key "
                                  "used for this run only";
    if (!run_date(c, &options.run_date))
        return usage_error(c,
                           "--date (or SOURCE_DATE_EPOCH) must be YYYY-MM-DD or seconds "
                           "since 1970, not '%s'",
                           c->date ? c->date : getenv("SOURCE_DATE_EPOCH"));
    char template_digest[65];
    nl_error e = {0};
    /* A digest that cannot be taken reads "not computed"; one lost for want of memory or
     * descriptors stops the run instead, as any other output would. */
    nl_status digested = nl_sha256_file(nl_evaluator_framework(ev)->path, template_digest, &e);
    if (digested == NL_OK)
        options.template_digest = template_digest;
    else if (nl_status_is_resource(digested))
        return report_error(c, &e);
    const char **digests = input_digests(m);
    if (digests == NULL) {
        nl_error_set(&e, NL_ERR_NOMEM, NULL, 0, 0, "out of memory");
        return report_error(c, &e);
    }
    options.input_digests = digests;
    pack_run packs = {0};
    int pack_code = c->split_by != NULL ? start_packs(c, ev, m, &options, &packs) : -1;
    int code = write_workbook(c, ev, m, c->out_path, &options, counts);
    if (c->split_by != NULL) {
        if (pack_code == -1)
            code = finish_packs(c, ev, m, &options, &packs, code);
        else if (code == -1)
            code = pack_code;
        free_packs(&packs);
    }
    free(digests);
    return code;
}

static int write_outputs(cli *c, const nl_evaluator *ev, const nl_matrix *m,
                         nl_outcome_counts *counts)
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
        return write_xlsx(c, ev, m, counts);
    }
    bool json = strcmp(format, "json") == 0;
    bool beside = !json && strcmp(c->out_path, "-") != 0; /* a CSV file's rejected rows */
    /* Both files are open before either is committed, and committing allocates nothing: running
     * out of memory cannot leave a report without its rejected rows. */
    nl_outfile out, rejected = {0};
    if (nl_outfile_open(&out, c->out_path, &e) != NL_OK)
        return report_error(c, &e);
    if (beside) {
        char *path = rejections_path(c->out_path);
        nl_status opened = path ? nl_outfile_open(&rejected, path, &e)
                                : nl_error_set(&e, NL_ERR_NOMEM, NULL, 0, 0, "out of memory");
        free(path);
        if (opened != NL_OK) {
            nl_outfile_abort(&out);
            return report_error(c, &e);
        }
    }
    nl_run_context run = {.history = c->history,
                          .calibration = c->calibrate ? c->calibration : NULL,
                          .progress = &c->progress,
                          .threads = c->jobs};
    nl_status status = json ? nl_write_results_json(out.stream, ev, m, &run, counts)
                            : nl_write_results_csv(out.stream, ev, m, &run, counts);
    if (status != NL_OK) {
        nl_outfile_abort(&out);
        nl_outfile_abort(&rejected);
        nl_error_set(&e, status, NULL, 0, 0, "%s", nl_strerror(status));
        return report_error(c, &e);
    }
    if (beside)
        nl_write_rejections_csv(rejected.stream, m);
    if (nl_outfile_commit(&out, &e) != NL_OK) {
        nl_outfile_abort(&rejected);
        return report_error(c, &e);
    }
    if (beside && nl_outfile_commit(&rejected, &e) != NL_OK)
        return report_error(c, &e);
    return -1;
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

static void print_run_summary(cli *c, const nl_framework *fw, const nl_matrix *m,
                              const nl_matrix *previous, const nl_outcome_counts *counts)
{
    size_t people, rejected, files;
    const nl_rejection *rejections = nl_matrix_rejections(m, &rejected);
    nl_matrix_people(m, &people);
    nl_matrix_files(m, &files);
    end_progress(c);
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
    fprintf(c->err, "; %.2f s\n", seconds_between(&c->started, &now));
}

/* Replaces names and ids by keyed pseudonyms in this quarter's and last quarter's people, with
 * one key so that people still match across quarters. */
static int redact_inputs(cli *c, nl_matrix *m, nl_matrix *previous)
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
    return -1;
}

static int run_diff(cli *c, int argc, char **argv)
{
    if (argc - optind != 2)
        return usage_error(c, "%s", "diff needs two result files: diff OLD.json NEW.json");
    nl_error e = {0};
    nl_diff_counts counts;
    if (nl_diff_results(argv[optind], argv[optind + 1], c->out, &counts, &e) != NL_OK)
        return report_error(c, &e);
    return NL_EXIT_OK;
}

static int run_evaluate(cli *c, int argc, char **argv)
{
    nl_framework *fw = NULL;
    nl_matrix *m = NULL;
    nl_evaluator *ev = NULL;
    nl_error e = {0};
    if (c->out_path == NULL)
        c->out_path = "report.xlsx";
    int code = load_inputs(c, argc, argv, &fw, &m, false);
    nl_matrix *previous = NULL;
    nl_history history = {0};
    if (code == -1 && c->previous_count > 0)
        code = read_matrices(c, fw, c->previous, c->previous_count, false, &previous);
    if (code == -1 && c->redact)
        code = redact_inputs(c, m, previous);
    if (code == -1 && nl_evaluator_new(fw, c->priorities, c->weights, &ev, &e) != NL_OK)
        code = report_error(c, &e);
    if (code == -1 && nl_calibration_compute(fw, m, &c->calibration) != NL_OK) {
        nl_error_set(&e, NL_ERR_NOMEM, NULL, 0, 0, "out of memory");
        code = report_error(c, &e);
    }
    if (code == -1 && previous != NULL) {
        history = (nl_history){ev, previous};
        c->history = &history;
    }
    nl_outcome_counts counts = {0};
    if (code == -1)
        code = write_outputs(c, ev, m, &counts);
    if (code == -1) {
        size_t rejected, rejected_then = 0;
        nl_matrix_rejections(m, &rejected);
        if (previous != NULL)
            nl_matrix_rejections(previous, &rejected_then);
        if (!c->quiet)
            print_run_summary(c, fw, m, previous, &counts);
        code = rejected + rejected_then > 0 ? NL_EXIT_REJECTED : NL_EXIT_OK;
    }
    c->history = NULL;
    nl_calibration_free(c->calibration);
    c->calibration = NULL;
    nl_evaluator_free(ev);
    nl_matrix_free(previous);
    nl_matrix_free(m);
    nl_framework_free(fw);
    return code;
}

/* Parses the command line and runs the command; the caller cleans up whatever the return. */
static int dispatch(cli *c, int argc, char **argv)
{
    if (argc < 2)
        return usage_error(c, "%s", "a command is needed: check, inspect, evaluate or diff");
    const char *command = argv[1];
    if (command[0] == '-') {
        /* Only --help and --version make sense before a command. */
        int code = parse_options(c, argc, argv);
        if (code >= 0)
            return code;
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
    int code = parse_options(c, argc - 1, argv + 1);
    if (code >= 0)
        return code;
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
    cli c = {.out = out, .err = err};
    clock_gettime(CLOCK_MONOTONIC, &c.started);
    c.meter = (terminal_progress){.err = err, .terminal = isatty(fileno(err)), .start = c.started};
    c.progress = (nl_progress){show_progress, &c.meter};
    int code = dispatch(&c, argc, argv);
    end_progress(&c);
    free(c.previous);
    if (fflush(out) != 0 || ferror(out)) {
        fputs("nextlevel: cannot write the report to standard output\n", err);
        return NL_EXIT_OUTPUT;
    }
    return code;
}
