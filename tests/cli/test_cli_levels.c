/* Issue 17, slice "levels": gate parameters per next level (KEY.LEVEL), gates limited to some
 * next levels (levels = ...) and their "not applicable" status, not_expected, and templates
 * without skills (attribute-only screens). Fixtures in tests/cases/levels (NOTE.md); the
 * workbooks are read back by tests/tools/check_levels.py. Expected values are worked out by
 * hand in the comments. */
#include "test_support.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RUN(...)   nl_test_run((const char *[]){__VA_ARGS__, NULL})
#define PER_LEVEL  "tests/cases/levels/per-level.ini"
#define ATTRIBUTES "tests/cases/levels/attribute-only.ini"

/* The CSV field of row id under header column, in a CSV text without quoted commas (the
 * fixtures' texts hold none in the fields read). Returns a new string. */
static char *csv_field(const char *csv, const char *id, const char *column)
{
    const char *end = strchr(csv, '\n');
    cr_assert_not_null(end);
    int want = -1, index = 0;
    for (const char *p = csv; p < end; index++) {
        const char *comma = memchr(p, ',', (size_t)(end - p));
        const char *stop = comma ? comma : end;
        if ((size_t)(stop - p) == strlen(column) && strncmp(p, column, (size_t)(stop - p)) == 0)
            want = index;
        p = comma ? comma + 1 : end;
    }
    cr_assert(want >= 0, "no column %s", column);
    char prefix[64];
    snprintf(prefix, sizeof prefix, "\n%s,", id);
    const char *row = strstr(csv, prefix);
    cr_assert_not_null(row, "no row %s", id);
    row++;
    const char *row_end = strchr(row, '\n');
    for (int i = 0; i < want; i++) {
        /* Quoted fields (reasons) may hold commas: skip them whole. */
        if (*row == '"') {
            row = strchr(row + 1, '"');
            while (row != NULL && row[1] == '"')
                row = strchr(row + 2, '"');
            cr_assert_not_null(row);
            row++;
        } else {
            row = strchr(row, ',');
        }
        cr_assert(row != NULL && row < row_end);
        row++;
    }
    const char *stop = row;
    if (*row == '"') {
        row++;
        stop = strchr(row, '"');
    } else {
        while (stop < row_end && *stop != ',')
            stop++;
    }
    char *field = calloc((size_t)(stop - row) + 1, 1);
    memcpy(field, row, (size_t)(stop - row));
    return field;
}

static void expect_field(const char *csv, const char *id, const char *column, const char *want)
{
    char *got = csv_field(csv, id, column);
    cr_assert_str_eq(got, want, "%s, %s: '%s', expected '%s'", id, column, got, want);
    free(got);
}

/* Runs check_levels.py on a workbook and asserts it says "ok". */
static void check_workbook(const char *mode, const char *workbook)
{
    char command[4096];
    snprintf(command, sizeof command,
             "/usr/bin/python3 tests/tools/check_levels.py %s '%s' 2>&1; true", mode, workbook);
    char *report = nl_test_capture(command);
    cr_assert(strncmp(report, "ok", 2) == 0, "check_levels.py %s: %s", mode, report);
    free(report);
}

Test(levels, check_shows_per_level_values_and_limited_gates)
{
    nl_run run = RUN("check", PER_LEVEL);
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    cr_assert_str_empty(run.err, "not_expected silences L5's finding about mentor: %s", run.err);
    cr_assert(nl_test_contains(run.out, "bar [meets_expectations, hard]: all families; tolerance "
                                        "0; L5: 0.5"),
              "%s", run.out);
    cr_assert(nl_test_contains(run.out, "ready [readiness_score, hard]: threshold 80; L5: 95"));
    cr_assert(nl_test_contains(run.out, "tenure [tenure, hard]: min_months 12; L5: 24"));
    cr_assert(nl_test_contains(run.out, "impact [attribute, soft]: rating >= 4; applies only to "
                                        "L5, M1"));
    nl_run_free(&run);
}

Test(levels, check_diff_shows_gate_values_and_their_change)
{
    nl_run run = RUN("check", "--diff", "L4", "L5", PER_LEVEL);
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    static const char *const lines[] = {
        "  gate (as next level)         key              L4     L5  change\n",
        "  bar                          tolerance         0    0.5  +0.5\n",
        "  ready                        threshold        80     95  +15\n",
        "  tenure                       min_months       12     24  +12\n",
        "  impact                       threshold       n/a      4  newly applies\n",
    };
    for (size_t i = 0; i < sizeof lines / sizeof *lines; i++)
        cr_assert(nl_test_contains(run.out, lines[i]), "no line '%s' in:\n%s", lines[i], run.out);
    nl_run_free(&run);
    /* A template whose gates are the same for every level shows no gate lines. */
    run = RUN("check", "--diff", "L3", "L4", "templates/engineering-ic.ini");
    cr_assert_not(nl_test_contains(run.out, "gate (as next level)"), "%s", run.out);
    nl_run_free(&run);
}

Test(levels, lint_points_at_unknown_levels_and_skills_with_line_and_column)
{
    char *dir = nl_test_temp_dir();
    char *ini = nl_test_path_in(dir, "bad.ini");
    nl_test_write_text(ini, "[framework]\nname = Bad\nscale = 1..5\n"
                            "[skill a]\nname = A\nfamily = technical\n"
                            "[level L1]\ntitle = One\nnext = L2\nexpectations = a:2\n"
                            "[level L2]\ntitle = Two\nexpectations = a:3\n"
                            "not_expected = dancing\n"
                            "[priorities p]\ntechnical = 1\n"
                            "[gate t]\nkind = tenure\nseverity = hard\nmin_months = 6\n"
                            "min_months.L7 = 12\nlevels = L2, L9\ntolerance.L2 = 1\n");
    nl_run run = RUN("check", ini);
    cr_assert_eq(run.exit_code, 3, "exit %d: %s", run.exit_code, run.err);
    char want[3][1024];
    snprintf(want[0], sizeof want[0], "%s:14:16: error: level L2: not_expected names 'dancing'",
             ini);
    snprintf(want[1], sizeof want[1], "%s:21:12: error: gate t: 'min_months.L7' names no level",
             ini);
    snprintf(want[2], sizeof want[2], "%s:22:14: error: gate t: levels names 'L9'", ini);
    for (int i = 0; i < 3; i++)
        cr_assert(nl_test_contains(run.err, want[i]), "no '%s' in:\n%s", want[i], run.err);
    /* tenure has no tolerance: an unknown key. */
    cr_assert(nl_test_contains(run.err, "unknown key 'tolerance.L2' in [gate t]"), "%s", run.err);
    nl_run_free(&run);
    free(ini);
    nl_test_remove_tree(dir);
}

Test(levels, evaluate_reads_each_next_levels_values, .timeout = 60)
{
    nl_run run = RUN("evaluate", "-q", "--template", PER_LEVEL, "--format", "csv", "--out", "-",
                     "tests/cases/levels/per-level.csv");
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    /* P1 (L3 -> L4): the plain values; the attribute gate applies only to L5 and M1. */
    expect_field(run.out, "P1", "tenure_required", "12");
    expect_field(run.out, "P1", "impact_status", "not applicable");
    expect_field(run.out, "P1", "impact_required", "");
    expect_field(run.out, "P1", "impact_reason",
                 "Staff impact not applicable: applies only to L5, M1");
    expect_field(run.out, "P1", "mitigations", "");
    /* P2 (L4 -> L5): threshold.Principal = 95 against 100 x (4.5/5 + 3.5/4) / 2 = 88.75, and
     * min_months.L5 = 24 against 20 months. */
    expect_field(run.out, "P2", "next_level", "L5");
    expect_field(run.out, "P2", "ready_required", "95");
    expect_field(run.out, "P2", "ready_status", "fail");
    expect_field(run.out, "P2", "tenure_required", "24");
    expect_field(run.out, "P2", "tenure_margin", "-4");
    expect_field(run.out, "P2", "outcome", "Developing");
    /* P3: every hard gate of L5 passes (coding 5, talk 4; 30 months), rating 3 < 4 is a risk. */
    expect_field(run.out, "P3", "outcome", "Ready with risk");
    expect_field(run.out, "P3", "impact_status", "fail");
    nl_run_free(&run);

    char *dir = nl_test_temp_dir();
    char *xlsx = nl_test_path_in(dir, "r.xlsx"), *json = nl_test_path_in(dir, "r.json");
    const char *outs[] = {xlsx, json};
    for (int i = 0; i < 2; i++) {
        run = RUN("evaluate", "-q", "--template", PER_LEVEL, "--out", outs[i],
                  "tests/cases/levels/per-level.csv");
        cr_assert_eq(run.exit_code, 0, "%s", run.err);
        nl_run_free(&run);
    }
    cr_assert_eq(nl_test_check_json_schema(json), 0, "the JSON does not match its schema");
    check_workbook("per-level", xlsx);
    /* Every key of every gate on Criteria, KEY.LEVEL (given by a level's title too) and levels
     * among them. */
    char command[4096];
    snprintf(command, sizeof command,
             "/usr/bin/python3 tests/tools/check_criteria.py '%s' --template " PER_LEVEL
             " --inputs tests/cases/levels/per-level.csv --json '%s' 2>&1; true",
             xlsx, json);
    char *report = nl_test_capture(command);
    cr_assert(strncmp(report, "ok", 2) == 0, "check_criteria.py: %s", report);
    free(report);
    free(xlsx);
    free(json);
    nl_test_remove_tree(dir);
}

Test(levels, attribute_only_template_decides_without_a_readiness_score, .timeout = 60)
{
    nl_run run = RUN("check", ATTRIBUTES);
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    cr_assert(nl_test_contains(run.out, "skills (0) in 0 families"), "%s", run.out);
    cr_assert(nl_test_contains(run.out, "default (default): nothing to weigh (no skills: the "
                                        "readiness score is not applicable)"),
              "%s", run.out);
    nl_run_free(&run);
    run = RUN("evaluate", "-q", "--template", ATTRIBUTES, "--format", "csv", "--out", "-",
              "tests/cases/levels/attribute-only.csv");
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    /* A1 (L1 -> L2): rating 3 >= 3, 2 trainings, 14 >= 12 months. A2 (L2 -> L3): 14 < 24
     * months (min_months.L3). A3: rating 4 >= 4 (threshold.L3), 30 months. A4: 6 < 12 months.
     * A5 is at the top. Nobody has a readiness score or a plan. */
    static const char *const outcomes[][2] = {{"A1", "Ready now"},
                                              {"A2", "Developing"},
                                              {"A3", "Ready now"},
                                              {"A4", "Developing"},
                                              {"A5", "Top of ladder"}};
    for (size_t i = 0; i < 5; i++) {
        expect_field(run.out, outcomes[i][0], "outcome", outcomes[i][1]);
        expect_field(run.out, outcomes[i][0], "readiness_score", "");
        expect_field(run.out, outcomes[i][0], "development_plan", "");
    }
    expect_field(run.out, "A2", "tenure_required", "24");
    expect_field(run.out, "A3", "perf_required", "4");
    nl_run_free(&run);

    char *dir = nl_test_temp_dir();
    char *xlsx = nl_test_path_in(dir, "r.xlsx"), *json = nl_test_path_in(dir, "r.json");
    const char *outs[] = {xlsx, json};
    for (int i = 0; i < 2; i++) {
        run = RUN("evaluate", "-q", "--template", ATTRIBUTES, "--out", outs[i],
                  "tests/cases/levels/attribute-only.csv");
        cr_assert_eq(run.exit_code, 0, "%s", run.err);
        nl_run_free(&run);
    }
    cr_assert_eq(nl_test_check_json_schema(json), 0, "the JSON does not match its schema");
    char *text = nl_test_read_file(json, NULL);
    cr_assert(nl_test_contains(text, "\"readiness_score\": null"), "JSON readiness is not null");
    free(text);
    check_workbook("attribute-only", xlsx);
    free(xlsx);
    free(json);
    nl_test_remove_tree(dir);
}
