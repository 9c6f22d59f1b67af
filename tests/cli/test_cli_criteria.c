/* The Criteria sheet says how a workbook was produced, in full: every gate parameter of the
 * template (none cut in print), both quarters' input files with their SHA-256, and the detail
 * level with the sheets it leaves out (which the Summary repeats in one line). The checks are
 * in tests/tools/check_criteria.py, which reads the template with configparser and digests
 * the inputs with sha256sum. */
#include "test_support.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RUN(...) nl_test_run((const char *[]){__VA_ARGS__, NULL})
#define IC       "templates/engineering-ic.ini"
#define MANAGER  "templates/engineering-manager.ini"
#define PREVIOUS "samples/previous-quarter"

/* Runs check_criteria.py on workbook with the extra arguments and asserts it says "ok". */
static void check_criteria(const char *workbook, const char *arguments)
{
    char command[8192];
    snprintf(command, sizeof command,
             "/usr/bin/python3 tests/tools/check_criteria.py '%s' %s 2>&1; true", workbook,
             arguments);
    char *report = nl_test_capture(command);
    cr_assert(strncmp(report, "ok", 2) == 0, "check_criteria.py %s: %s", arguments, report);
    free(report);
}

Test(criteria, every_gate_parameter_and_both_quarters_inputs_with_digests, .timeout = 120)
{
    char *dir = nl_test_temp_dir();
    char *xlsx = nl_test_path_in(dir, "r.xlsx"), *json = nl_test_path_in(dir, "r.json");
    const char *outs[] = {xlsx, json};
    for (size_t i = 0; i < 2; i++) {
        nl_run run = RUN("evaluate", "-q", "--template", IC, "--previous", PREVIOUS, "--calibrate",
                         "--out", outs[i], "samples");
        cr_assert_eq(run.exit_code, 1, "%s", run.err);
        nl_run_free(&run);
    }
    cr_assert_eq(nl_test_check_json_schema(json), 0, "the JSON does not match its schema");
    char arguments[4096];
    snprintf(arguments, sizeof arguments,
             "--template " IC " --inputs samples/*.csv --previous " PREVIOUS "/*.csv --json '%s'",
             json);
    check_criteria(xlsx, arguments);
    free(xlsx);
    free(json);
    nl_test_remove_tree(dir);
}

/* Another template: four families (a share column each), family_average and attribute gates
 * with decimals (threshold 0.9, 3.5), no last quarter (Trend is named as left out). */
Test(criteria, every_gate_parameter_of_the_manager_template, .timeout = 120)
{
    char *dir = nl_test_temp_dir();
    char *xlsx = nl_test_path_in(dir, "m.xlsx");
    nl_run run = RUN("evaluate", "-q", "--template", MANAGER, "--out", xlsx, "samples");
    cr_assert_eq(run.exit_code, 1, "%s", run.err);
    nl_run_free(&run);
    check_criteria(xlsx, "--template " MANAGER " --inputs samples/*.csv");
    free(xlsx);
    nl_test_remove_tree(dir);
}

Test(criteria, summary_detail_says_what_it_left_out, .timeout = 120)
{
    char *dir = nl_test_temp_dir();
    char *xlsx = nl_test_path_in(dir, "s.xlsx");
    nl_run run = RUN("evaluate", "-q", "--template", IC, "--previous", PREVIOUS, "--detail",
                     "summary", "--out", xlsx, "samples");
    cr_assert_eq(run.exit_code, 1, "%s", run.err);
    nl_run_free(&run);
    check_criteria(xlsx, "--template " IC " --inputs samples/*.csv --previous " PREVIOUS
                         "/*.csv --detail summary");
    free(xlsx);
    nl_test_remove_tree(dir);
}

/* A team pack lists the files its people come from, this quarter's and last quarter's. */
Test(criteria, a_pack_lists_its_peoples_files_of_both_quarters, .timeout = 120)
{
    char *dir = nl_test_temp_dir();
    char *xlsx = nl_test_path_in(dir, "r.xlsx"), *teams = nl_test_path_in(dir, "teams");
    nl_run run = RUN("evaluate", "-q", "--template", IC, "--previous", PREVIOUS, "--out", xlsx,
                     "--split-by", "team", "--out-dir", teams, "samples");
    cr_assert_eq(run.exit_code, 1, "%s", run.err);
    nl_run_free(&run);
    char *pack = nl_test_path_in(teams, "Payments.xlsx");
    check_criteria(pack, "--template " IC " --inputs samples/payments.csv --previous " PREVIOUS
                         "/payments.csv");
    free(pack);
    free(xlsx);
    free(teams);
    nl_test_remove_tree(dir);
}
