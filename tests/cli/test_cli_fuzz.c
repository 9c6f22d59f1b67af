/* Findings of the fuzzers that reach the writers (tests/fuzz/fuzz_outputs.c, fuzz_cli.c), each
 * held here as a command-line run; the inputs that found them are in tests/fuzz/corpus/. */
#include "test_support.h"

#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

static const char header[] =
    "id,name,team,level,months,visibility,coding,design,mentoring,communication\n";

/* fuzz_outputs: --split-by with nobody accepted (every row rejected) sorted an empty list of
 * groups through qsort(NULL, 0, ...), undefined behaviour that the sanitizer build stops on. */
Test(cli_fuzz, split_by_with_every_row_rejected_writes_the_workbook)
{
    char *dir = nl_test_temp_dir();
    char *matrix = nl_test_path_in(dir, "rejected.csv");
    char text[512];
    snprintf(text, sizeof text, "%sR1,Rae Row,Gamma,A\n", header);
    nl_test_write_text(matrix, text);
    char *out = nl_test_path_in(dir, "report.xlsx");
    char *packs = nl_test_path_in(dir, "packs");
    nl_run run = nl_test_run((const char *[]){
        "evaluate", "--template", nl_test_path("tests/cases/batch/tiny.ini"), "--split-by", "team",
        "--out-dir", packs, "--out", out, "--jobs", "1", matrix, NULL});
    cr_assert_eq(run.exit_code, 1, "exit %d, stderr:\n%s", run.exit_code, run.err);
    struct stat st;
    cr_assert_eq(stat(out, &st), 0, "no workbook written");
    cr_assert_eq(nl_test_count_entries(packs), 0);
    nl_run_free(&run);
    free(matrix);
    free(out);
    free(packs);
    nl_test_remove_tree(dir);
}

/* Runs evaluate --format FORMAT without --out in a new folder; returns the folder. */
static char *evaluate_without_out(const char *format)
{
    char *dir = nl_test_temp_dir();
    char *matrix = nl_test_path_in(dir, "team.csv");
    char text[512];
    snprintf(text, sizeof text, "%sA1,Ada Alpha,Alpha,A,12,3,4,2,2,4\n", header);
    nl_test_write_text(matrix, text);
    char command[4096];
    snprintf(command, sizeof command,
             "cd '%s' && '%s' evaluate -q --template '%s' --format %s '%s'", dir, NL_BINARY,
             nl_test_path("tests/cases/batch/tiny.ini"), format, matrix);
    cr_assert_eq(nl_test_shell(command), 0, "'%s' failed", command);
    nl_test_remove(matrix);
    return dir;
}

/* fuzz_cli: `evaluate --format json` without --out wrote JSON into report.xlsx, a file that
 * Excel then refuses; the default name now follows the format. */
Test(cli_fuzz, format_without_out_names_the_report_by_its_format)
{
    char *dir = evaluate_without_out("json");
    char *json = nl_test_path_in(dir, "report.json");
    json_error_t error;
    json_t *root = json_load_file(json, 0, &error);
    cr_assert_not_null(root, "report.json missing or not JSON: %s", error.text);
    json_decref(root);
    cr_assert_eq(nl_test_count_entries(dir), 1, "more than report.json was written");
    nl_test_remove(json);
    nl_test_remove_tree(dir);

    dir = evaluate_without_out("csv");
    char *csv = nl_test_path_in(dir, "report.csv");
    char *rejected = nl_test_path_in(dir, "report.rejected.csv");
    char *content = nl_test_read_all(csv, NULL);
    cr_assert(nl_test_contains(content, "Ada Alpha"));
    free(content);
    struct stat st;
    cr_assert_eq(stat(rejected, &st), 0, "no report.rejected.csv beside report.csv");
    free(csv);
    free(rejected);
    nl_test_remove_tree(dir);
}
