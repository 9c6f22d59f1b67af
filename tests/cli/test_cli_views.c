/* One review, many renderings: the JSON, the workbook and every team pack of one run state the
 * same figures (tests/tools/check_review.py reads the workbooks back with openpyxl), the CSV
 * sibling tables hold the JSON's counts, and every JSON document matches its published schema
 * (docs/results.schema.json, checked by tests/tools/check_json_schema.py).
 *
 * Data: the bundled samples with last quarter (samples/previous-quarter), whose teams
 * Infrastructure, Security, Data and Design Systems had no export last quarter, and whose
 * Payments team lost one person (E1199) since. */
#include "test_support.h"

#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RUN(...) nl_test_run((const char *[]){__VA_ARGS__, NULL})
#define IC       "templates/engineering-ic.ini"
#define SAMPLES  "samples"
#define PREVIOUS "samples/previous-quarter"

/* Runs the samples with last quarter and calibration to JSON, CSV and a workbook with team
 * packs, all in dir. */
static void run_all(const char *dir)
{
    char json[4096], csv[4096], xlsx[4096], packs[4096];
    snprintf(json, sizeof json, "%s/r.json", dir);
    snprintf(csv, sizeof csv, "%s/r.csv", dir);
    snprintf(xlsx, sizeof xlsx, "%s/r.xlsx", dir);
    snprintf(packs, sizeof packs, "%s/teams", dir);
    const char *outs[] = {json, csv};
    for (size_t i = 0; i < 2; i++) {
        nl_run run = RUN("evaluate", "-q", "--template", IC, "--previous", PREVIOUS, "--calibrate",
                         "--out", outs[i], SAMPLES);
        cr_assert_eq(run.exit_code, 1, "%s", run.err);
        nl_run_free(&run);
    }
    nl_run run =
        RUN("evaluate", "-q", "--template", IC, "--previous", PREVIOUS, "--calibrate", "--jobs",
            "2", "--out", xlsx, "--split-by", "team", "--out-dir", packs, SAMPLES);
    cr_assert_eq(run.exit_code, 1, "%s", run.err);
    nl_run_free(&run);
}

Test(views, workbook_packs_and_json_state_the_same_figures, .timeout = 120)
{
    char *dir = nl_test_temp_dir();
    run_all(dir);
    char command[16384];
    snprintf(command, sizeof command,
             "/usr/bin/python3 tests/tools/check_review.py '%s/r.json' '%s/r.xlsx' --packs "
             "'%s/teams'",
             dir, dir, dir);
    char *report = nl_test_capture(command);
    cr_assert(strncmp(report, "ok", 2) == 0, "check_review.py: %s", report);
    free(report);
    nl_test_remove_tree(dir);
}

/* The counts of a summary CSV row ("scope,name,people,Ready now,...") of the given scope and
 * name, as text; NULL when there is no such row. */
static char *summary_row(const char *csv, const char *scope, const char *name)
{
    char prefix[256];
    snprintf(prefix, sizeof prefix, "\n%s,%s,", scope, name);
    const char *at = strstr(csv, prefix);
    if (at == NULL)
        return NULL;
    at += strlen(prefix);
    return strndup(at, strcspn(at, "\n"));
}

Test(views, csv_tables_hold_the_json_counts, .timeout = 60)
{
    char *dir = nl_test_temp_dir();
    run_all(dir);
    char path[4096];
    snprintf(path, sizeof path, "%s/r.json", dir);
    json_t *root = nl_test_load_json(path);
    json_t *summary = json_object_get(root, "summary");
    snprintf(path, sizeof path, "%s/r.summary.csv", dir);
    char *csv = nl_test_read_file(path, NULL);
    cr_assert_not_null(csv, "no r.summary.csv");
    /* people, then the five outcomes raw, then the five calibrated. */
    char expected[512];
    json_t *calibrated = json_object_get(summary, "calibrated");
    snprintf(expected, sizeof expected, "%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld",
             json_integer_value(json_object_get(summary, "people")),
             json_integer_value(json_object_get(summary, "Ready now")),
             json_integer_value(json_object_get(summary, "Ready with risk")),
             json_integer_value(json_object_get(summary, "Developing")),
             json_integer_value(json_object_get(summary, "Not evaluated")),
             json_integer_value(json_object_get(summary, "Top of ladder")),
             json_integer_value(json_object_get(calibrated, "Ready now")),
             json_integer_value(json_object_get(calibrated, "Ready with risk")),
             json_integer_value(json_object_get(calibrated, "Developing")),
             json_integer_value(json_object_get(calibrated, "Not evaluated")),
             json_integer_value(json_object_get(calibrated, "Top of ladder")));
    char *row = summary_row(csv, "organisation", "");
    cr_assert_not_null(row, "%s", csv);
    cr_assert_str_eq(row, expected);
    free(row);
    /* Calibration lowers Ready now in the samples (a lenient manager's people). */
    cr_assert_lt(json_integer_value(json_object_get(calibrated, "Ready now")),
                 json_integer_value(json_object_get(summary, "Ready now")));
    /* The trend, classified exactly: one leaver (E1199, Payments), 25 people in teams that had
     * no export last quarter, 1 new in a team that had. */
    json_t *trend = json_object_get(summary, "trend");
    cr_assert_eq(json_integer_value(json_object_get(trend, "left")), 1);
    cr_assert_eq(json_integer_value(json_object_get(trend, "new team")), 25);
    cr_assert_eq(json_integer_value(json_object_get(trend, "new")), 1);
    row = summary_row(csv, "trend", "new team");
    cr_assert_not_null(row);
    cr_assert(strncmp(row, "25,", 3) == 0, "%s", row);
    free(row);
    free(csv);
    snprintf(path, sizeof path, "%s/r.trend.csv", dir);
    csv = nl_test_read_file(path, NULL);
    cr_assert_not_null(csv, "no r.trend.csv");
    cr_assert(nl_test_contains(csv, "\nleft,E1199,"), "%s", csv);
    free(csv);
    /* Every manager of the JSON has a row in r.managers.csv. */
    snprintf(path, sizeof path, "%s/r.managers.csv", dir);
    csv = nl_test_read_file(path, NULL);
    cr_assert_not_null(csv, "no r.managers.csv");
    json_t *managers = json_object_get(json_object_get(root, "calibration"), "managers");
    cr_assert_geq(json_array_size(managers), 6);
    for (size_t i = 0; i < json_array_size(managers); i++) {
        char line_start[256];
        snprintf(line_start, sizeof line_start, "\n%s,%lld,",
                 nl_test_json_str(json_array_get(managers, i), "manager"),
                 json_integer_value(json_object_get(json_array_get(managers, i), "people")));
        cr_assert(nl_test_contains(csv, line_start), "%s not in %s", line_start, csv);
    }
    free(csv);
    json_decref(root);
    nl_test_remove_tree(dir);
}

NL_ENV_TEST(views, json_matches_its_schema, .timeout = 60)
{
    char *dir = nl_test_temp_dir();
    run_all(dir);
    char path[4096];
    snprintf(path, sizeof path, "%s/r.json", dir);
    int status = nl_test_check_json_schema(path);
    if (status == 77) {
        nl_test_remove_tree(dir);
        nl_test_skip_env("python3-jsonschema is not installed");
    }
    cr_assert_eq(status, 0, "r.json does not match docs/results.schema.json");
    /* The check can fail: a document without its summary is refused. */
    json_t *root = nl_test_load_json(path);
    json_object_del(root, "summary");
    snprintf(path, sizeof path, "%s/broken.json", dir);
    cr_assert_eq(json_dump_file(root, path, 0), 0);
    json_decref(root);
    cr_assert_eq(nl_test_check_json_schema(path), 1, "a document without a summary passed");
    nl_test_remove_tree(dir);
}
