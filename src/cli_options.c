#include "nextlevel/cli_options.h"

/* Values getopt_long returns for options without a letter: above every char. */
#define LONG_ONLY_BASE 256

static const nl_cli_option options[NL_OPT_COUNT] = {
    [NL_OPT_DIFF] = {"diff", 0, 2, "FROM TO", NL_CMD_CHECK, 0, NL_COMPLETE_NOTHING,
                     "show each skill's expectation at level FROM and at level TO instead of the "
                     "summary"},
    [NL_OPT_TEMPLATE] = {"template", 't', 1, "TEMPLATE", NL_CMD_INSPECT | NL_CMD_EVALUATE,
                         NL_OPTF_REQUIRED, NL_COMPLETE_FILE, "the framework template (.ini)"},
    [NL_OPT_DELIMITER] = {"delimiter", 'd', 1, "D", NL_CMD_INSPECT | NL_CMD_EVALUATE, 0,
                          NL_COMPLETE_NOTHING,
                          "the CSV delimiter: ',' ';' or 'tab' (default: detected from the "
                          "header line)"},
    [NL_OPT_ENCODING] = {"encoding", 0, 1, "NAME", NL_CMD_INSPECT | NL_CMD_EVALUATE, 0,
                         NL_COMPLETE_NOTHING,
                         "read every MATRIX file (and --previous file) in this encoding, e.g. "
                         "CP1250 or UTF-16LE, any name 'iconv -l' lists (default: UTF-8, "
                         "UTF-16 with a BOM, else Windows-1252 with a warning)"},
    [NL_OPT_RECURSIVE] = {"recursive", 'r', 0, NULL, NL_CMD_INSPECT | NL_CMD_EVALUATE, 0,
                          NL_COMPLETE_NOTHING,
                          "also read the CSV files of sub-folders of a MATRIX folder"},
    [NL_OPT_OUT] = {"out", 'o', 1, "FILE", NL_CMD_EVALUATE, 0, NL_COMPLETE_FILE,
                    "where the results go (default: report.xlsx, or report.csv or report.json "
                    "with --format); - writes CSV to standard output; an input file is refused"},
    [NL_OPT_FORMAT] = {"format", 0, 1, "xlsx|csv|json", NL_CMD_EVALUATE, 0, NL_COMPLETE_CHOICES,
                       "the output format (default: from the --out file name: .json, .csv, "
                       "else xlsx)"},
    [NL_OPT_CSV_DIALECT] = {"csv-dialect", 0, 1, "plain|excel|excel-eu", NL_CMD_EVALUATE, 0,
                            NL_COMPLETE_CHOICES,
                            "how every CSV output is written (default: the template's [report] "
                            "csv_dialect, else plain): plain is RFC 4180 UTF-8 with LF line "
                            "ends; excel adds the byte order mark Excel needs to read UTF-8 and "
                            "ends lines in CRLF; excel-eu is excel with ';' between cells and a "
                            "decimal comma (0,15), for Excel set to a European locale"},
    [NL_OPT_PRIORITIES] = {"priorities", 0, 1, "NAME", NL_CMD_EVALUATE, 0, NL_COMPLETE_NOTHING,
                           "the priority profile that decides (default: the template's "
                           "default_priorities)"},
    [NL_OPT_WEIGHTS] = {"weights", 0, 1, "FAMILY=W,...", NL_CMD_EVALUATE, 0, NL_COMPLETE_NOTHING,
                        "what-if family weights replacing the deciding profile's, e.g. "
                        "technical=0.4,soft=0.6"},
    [NL_OPT_THRESHOLD] = {"threshold", 0, 1, "GATE[.LEVEL]=V", NL_CMD_EVALUATE, NL_OPTF_REPEATABLE,
                          NL_COMPLETE_NOTHING,
                          "what-if threshold of a readiness_score gate, 0 to 100, for every next "
                          "level or for one (repeatable; applied in order), as editing the "
                          "template's threshold or threshold.LEVEL would"},
    [NL_OPT_BUDGET] = {"budget", 0, 1, "N", NL_CMD_EVALUATE, 0, NL_COMPLETE_NOTHING,
                       "promotion slots for the whole organisation: ranks the Ready now, then "
                       "Ready with risk people and marks the top N on the slate, ties at the "
                       "cut shown (replaces the template's [slate] budget or per-team "
                       "budgets)"},
    [NL_OPT_DATE] = {"date", 0, 1, "D", NL_CMD_INSPECT | NL_CMD_EVALUATE, 0, NL_COMPLETE_NOTHING,
                     "the run date in the workbook, and the date months in level are counted "
                     "to from a level_start_date column, YYYY-MM-DD from 1900-01-01 to "
                     "9999-12-31 or seconds since 1970 (default: SOURCE_DATE_EPOCH, else now; "
                     "required with that column)"},
    [NL_OPT_SPLIT_BY] = {"split-by", 0, 1, "team|manager", NL_CMD_EVALUATE, 0, NL_COMPLETE_CHOICES,
                         "also write one workbook per team or manager"},
    [NL_OPT_OUT_DIR] = {"out-dir", 0, 1, "DIR", NL_CMD_EVALUATE, 0, NL_COMPLETE_DIR,
                        "where the --split-by workbooks go (default: the --out file's folder; "
                        "created when missing)"},
    [NL_OPT_PREVIOUS] = {"previous", 0, 1, "MATRIX", NL_CMD_EVALUATE, NL_OPTF_REPEATABLE,
                         NL_COMPLETE_FILE,
                         "last quarter's matrix (file or folder; repeatable): adds the trend "
                         "and measures growth for the readiness bands"},
    [NL_OPT_DETAIL] = {"detail", 0, 1, "full|summary", NL_CMD_EVALUATE, 0, NL_COMPLETE_CHOICES,
                       "full (default) or summary: summary leaves out the Gates and Skill gaps "
                       "sheets, which dominate very large workbooks (Criteria and the Summary "
                       "say so)"},
    [NL_OPT_WHAT_IF] = {"what-if", 0, 1, "live|off", NL_CMD_EVALUATE, 0, NL_COMPLETE_CHOICES,
                        "live (default): the workbook's What if sheet recomputes outcomes, "
                        "scores and the slate from weights, thresholds and a budget typed into "
                        "it; off leaves the sheet out"},
    [NL_OPT_JOBS] = {"jobs", 0, 1, "N", NL_CMD_EVALUATE, 0, NL_COMPLETE_NOTHING,
                     "work on N cores (default: all of them): a workbook, CSV or JSON of 2,000 "
                     "people or more is evaluated and written on threads, and N processes "
                     "write the --split-by workbooks at once"},
    [NL_OPT_CALIBRATE] = {"calibrate", 0, 0, NULL, NL_CMD_EVALUATE, 0, NL_COMPLETE_NOTHING,
                          "also evaluate scores adjusted for each manager's leniency"},
    [NL_OPT_REDACT] = {"redact", 0, 0, NULL, NL_CMD_EVALUATE, 0, NL_COMPLETE_NOTHING,
                       "replace names, ids and managers by pseudonyms in every output"},
    [NL_OPT_REDACT_KEY] = {"redact-key", 0, 1, "FILE", NL_CMD_EVALUATE, 0, NL_COMPLETE_FILE,
                           "key the pseudonyms with FILE, so that they are stable across runs "
                           "(implies --redact)"},
    [NL_OPT_ALLOW_MISSING_COLUMNS] = {"allow-missing-columns", 0, 0, NULL, NL_CMD_EVALUATE, 0,
                                      NL_COMPLETE_NOTHING,
                                      "a deliberate partial run: evaluate even when no file has "
                                      "the column a hard gate reads (its people come out Not "
                                      "evaluated or the gate not checked; a warning, not exit "
                                      "3)"},
    [NL_OPT_QUIET] = {"quiet", 'q', 0, NULL, NL_CMD_CHECK | NL_CMD_INSPECT | NL_CMD_EVALUATE, 0,
                      NL_COMPLETE_NOTHING,
                      "print only errors and template findings: no reports, no rejected-row "
                      "list, no summary (the exit code still says 1)"},
    [NL_OPT_HELP] = {"help", 'h', 0, NULL, NL_CMD_ALL, NL_OPTF_ALONE, NL_COMPLETE_NOTHING,
                     "print this help and exit"},
    [NL_OPT_VERSION] = {"version", 'V', 0, NULL, NL_CMD_ALL, NL_OPTF_ALONE, NL_COMPLETE_NOTHING,
                        "print the version and exit"},
    [NL_OPT_GENERATE] = {"generate", 0, 1, "man|bash-completion|synopsis", NL_CMD_ALL,
                         NL_OPTF_ALONE | NL_OPTF_HIDDEN, NL_COMPLETE_CHOICES,
                         "print the man page, the bash completion or the README's synopsis, "
                         "rendered from this table (scripts/gen-docs.sh, the build)"},
};

static const nl_cli_command commands[] = {
    {"check", NL_CMD_CHECK, "TEMPLATE...",
     "Load and lint each template; print a summary of skills, levels, priority profiles and "
     "gates, and every finding as FILE:LINE: error|warning: message."},
    {"inspect", NL_CMD_INSPECT, "MATRIX...",
     "Read skill-matrix CSV files and report per file: the encoding, rows read, people "
     "accepted, rows "
     "rejected (FILE:LINE:COLUMN: reason), skills found and missing, unknown columns, and the "
     "share of people assessed per skill. MATRIX is a CSV file, a folder (its *.csv files in "
     "natural order: file2 before file10, case ignored; hidden files skipped and named) or - "
     "for standard input; a file named twice is read once."},
    {"evaluate", NL_CMD_EVALUATE, "MATRIX...",
     "Decide for every person whether they operate at the next level, with the gate-by-gate "
     "reasons, robustness under every priority profile, the tipping weight and a development "
     "plan. The workbook has the sheets Summary, Readiness, Gates, Skill gaps, Development "
     "plans, Calibration, Trend (with --previous), Fairness (with a group column), Rejected "
     "rows and Criteria. A CSV file FILE.csv gets its tables beside it: FILE.rejected.csv, "
     "FILE.summary.csv, FILE.managers.csv, FILE.fairness.csv (with a group column) and "
     "FILE.trend.csv (with --previous); JSON holds all of it in one document. Every output "
     "renders one review of the run, so none disagrees with another. Files are written to a "
     "temporary file and renamed into place."},
    {"diff", NL_CMD_DIFF, "OLD.json NEW.json",
     "Compare two result files of evaluate --format json: who changed outcome, and which gates "
     "and scores changed with it; who is new, who left."},
};

const nl_cli_option *nl_cli_options(void)
{
    return options;
}

const nl_cli_command *nl_cli_commands(size_t *count)
{
    *count = sizeof commands / sizeof commands[0];
    return commands;
}

static int getopt_value(nl_option_id id)
{
    return options[id].letter ? options[id].letter : LONG_ONLY_BASE + (int)id;
}

void nl_cli_getopt_tables(struct option *longopts, char *shortopts)
{
    size_t n = 0;
    *shortopts++ = ':';
    for (int id = 0; id < NL_OPT_COUNT; id++) {
        const nl_cli_option *o = &options[id];
        if (o->values > 1)
            continue; /* --diff FROM TO: see nl_cli_option.values */
        longopts[n++] = (struct option){o->name, o->values ? required_argument : no_argument, NULL,
                                        getopt_value((nl_option_id)id)};
        if (o->letter) {
            *shortopts++ = o->letter;
            if (o->values)
                *shortopts++ = ':';
        }
    }
    longopts[n] = (struct option){NULL, 0, NULL, 0};
    *shortopts = '\0';
}

bool nl_cli_option_from_getopt(int c, nl_option_id *id)
{
    for (int i = 0; i < NL_OPT_COUNT; i++) {
        if (options[i].values <= 1 && getopt_value((nl_option_id)i) == c) {
            *id = (nl_option_id)i;
            return true;
        }
    }
    return false;
}
