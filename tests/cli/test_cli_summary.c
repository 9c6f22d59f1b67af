/* The leadership part of the workbook (Summary, Slate, Pipeline), read back by
 * tests/tools/check_summary.py against the JSON of the same run: headers over numbers
 * right-aligned with numbers under them, the calibrated counts with --calibrate, the slate
 * grouped by next level on the Summary and in full on the Slate sheet, scatter axes that hold
 * everyone, numeric balance-grid counts, fit-to-width printing at a readable scale, the print
 * set selected, and the 9-box of readiness against the performance rating.
 *
 * Data: the bundled samples with last quarter, and a file of two people rated far below their
 * level (attainments of about 20-40%, under the old fixed 40% axis minimum), one of them
 * without a performance rating. */
#include "test_support.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RUN(...) nl_test_run((const char *[]){__VA_ARGS__, NULL})
#define IC       "templates/engineering-ic.ini"
#define PREVIOUS "samples/previous-quarter"

static const char *const sample_files[] = {"samples/design-systems-long.csv",
                                           "samples/infrastructure.csv",
                                           "samples/messy-export.csv",
                                           "samples/mobile.csv",
                                           "samples/payments.csv",
                                           "samples/platform.csv",
                                           "samples/security.csv"};
#define SAMPLE_COUNT (sizeof sample_files / sizeof *sample_files)

/* Two people far below their level; Low Two has no performance rating. */
static const char low_csv[] =
    "Employee ID,Full name,Team,Manager,Level,Months in level,Coding,System design,"
    "Testing and quality,Operations and reliability,Security,Communication,Collaboration,"
    "Mentoring,Conflict resolution,Stakeholder management,Scope of impact,Ownership,Influence,"
    "Visibility,Performance rating,Location\n"
    "X9001,Low One,Lows,Helena Novak,L3,30,1,1,1,1,1,1,1,1,1,1,1,1,1,2,2,Berlin\n"
    "X9002,Low Two,Lows,Helena Novak,L3,30,1,1.5,1,1,1,1.5,1,1,1,1,1,1,1,2,,Berlin\n";

/* Runs evaluate over the samples and the low file with the extra options (NULL-ended) to
 * out; asserts the exit code (1: the samples have rejected rows). */
static void evaluate(const char *low, const char *out, const char *const *extra)
{
    const char *args[64];
    size_t n = 0;
    const char *const head[] = {"evaluate", "-q", "--template", IC, "--previous", PREVIOUS};
    for (size_t i = 0; i < sizeof head / sizeof *head; i++)
        args[n++] = head[i];
    for (size_t i = 0; extra != NULL && extra[i] != NULL; i++)
        args[n++] = extra[i];
    args[n++] = "--out";
    args[n++] = out;
    for (size_t i = 0; i < SAMPLE_COUNT; i++)
        args[n++] = sample_files[i];
    args[n++] = low;
    args[n] = NULL;
    nl_run run = nl_test_run(args);
    cr_assert_eq(run.exit_code, 1, "%s", run.err);
    nl_run_free(&run);
}

/* Runs check_summary.py; asserts it says ok. */
static void expect_checked(const char *json, const char *xlsx, const char *team)
{
    char command[16384];
    snprintf(command, sizeof command,
             "/usr/bin/python3 tests/tools/check_summary.py '%s' '%s'%s%s%s 2>&1", json, xlsx,
             team ? " --team '" : "", team ? team : "", team ? "'" : "");
    char *report = nl_test_capture(command);
    cr_assert(strncmp(report, "ok", 2) == 0, "check_summary.py %s: %s", xlsx, report);
    free(report);
}

/* The run in dir with the given options: JSON and workbook, then the check. */
static void run_and_check(const char *dir, const char *const *extra)
{
    char *low = nl_test_path_in(dir, "lows.csv");
    nl_test_write_text(low, low_csv);
    char *json = nl_test_path_in(dir, "r.json");
    char *xlsx = nl_test_path_in(dir, "r.xlsx");
    evaluate(low, json, extra);
    evaluate(low, xlsx, extra);
    expect_checked(json, xlsx, NULL);
    free(low);
    free(json);
    free(xlsx);
}

Test(summary, calibrated_headline_slate_scatter_print_set_and_nine_box, .timeout = 120)
{
    char *dir = nl_test_temp_dir();
    run_and_check(dir, (const char *const[]){"--calibrate", NULL});
    nl_test_remove_tree(dir);
}

Test(summary, without_calibration_no_calibrated_counts, .timeout = 120)
{
    char *dir = nl_test_temp_dir();
    run_and_check(dir, NULL);
    nl_test_remove_tree(dir);
}

/* Every team pack has its own Summary, Slate and Pipeline, each checked against its team's
 * people in the JSON. */
Test(summary, team_packs_have_their_own_slate_and_pipeline, .timeout = 180)
{
    char *dir = nl_test_temp_dir();
    char *low = nl_test_path_in(dir, "lows.csv");
    nl_test_write_text(low, low_csv);
    char *json = nl_test_path_in(dir, "r.json");
    char *xlsx = nl_test_path_in(dir, "r.xlsx");
    char *packs = nl_test_path_in(dir, "teams");
    evaluate(low, json, (const char *const[]){"--calibrate", NULL});
    evaluate(low, xlsx,
             (const char *const[]){"--calibrate", "--split-by", "team", "--out-dir", packs, NULL});
    static const char *const teams[] = {"Data", "Infrastructure", "Lows", "Payments", "Security"};
    for (size_t i = 0; i < sizeof teams / sizeof *teams; i++) {
        char pack[4096];
        snprintf(pack, sizeof pack, "%s/%s.xlsx", packs, teams[i]);
        expect_checked(json, pack, teams[i]);
    }
    free(low);
    free(json);
    free(xlsx);
    free(packs);
    nl_test_remove_tree(dir);
}
