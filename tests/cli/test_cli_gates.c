/* The Gates sheet: Team, Manager, Outcome, Track and Unit columns; Required, Actual and Margin in
 * the unit of the reason text, with that unit's number format; "not checked", never "pass", for
 * a gate that reads a skill the person lacks; and for a person Not evaluated, the hard gates
 * that already fail, as "fail" rows and in their reasons (tests/tools/check_gates.py reads the
 * workbook back with openpyxl and compares it with the JSON of the same run).
 *
 * Data: the bundled samples, and tests/cases/gates (every gate kind once, seven people):
 *   G1 Ada Full, A -> B, meets B exactly, 14 months: Ready now; balance 0 points apart (at most
 *      15: Required shows 15.0, not 0.15), months whole ("0").
 *   G2 Ben Near: mentor 3.5 of B's 4: soft (1 + 0.875) / 2 = 0.9375, R = 100 * (1 + 0.9375) / 2
 *      = 96.875 < 96.88: the readiness gate fails, and 96.875 shows as 96.88 with two decimals,
 *      so it gets three; 11.5 months shows as 11.5, not 12.
 *   G3 Cy Missing: mentor not assessed; coding 1.5 and design 1 below B's 2: the technical bar,
 *      the floor and the design gate fail whatever mentor scores; readiness at best (mentor 4)
 *      100 * ((0.75 + 0.5) / 2 + 1) / 2 = 81.25 < 96.88 fails too. The soft average (62.5% to
 *      100%) and the balance (0 to 37.5 points) are not checked. Not evaluated, "already
 *      fails:" four hard gates.
 *   G4 Dee Gap: mentor not assessed, the rest meets B: the technical bar and the design gate
 *      (which do not read mentor) pass; floor, readiness (81.25 to 100), soft average and
 *      balance are not checked. Not evaluated, nothing already fails.
 *   G5 Eve Two, B: two tracks, C (Developing) and M (met exactly: Ready now), M decides.
 *   G6 Fay Soft: mentor 3 of 4: soft attainment 87.5% < 90%. */
#include "test_support.h"

#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RUN(...)  nl_test_run((const char *[]){__VA_ARGS__, NULL})
#define IC        "templates/engineering-ic.ini"
#define GATES_INI "tests/cases/gates/gates.ini"
#define GATES_CSV "tests/cases/gates/people.csv"
#define CHECKER   "/usr/bin/python3 tests/tools/check_gates.py"

/* Evaluates into dir/r.json and dir/r.xlsx with the extra options (NULL-terminated). */
static void evaluate_both(const char *dir, const char *template, const char *const *inputs)
{
    static const char *const names[] = {"r.json", "r.xlsx"};
    for (size_t i = 0; i < 2; i++) {
        char out[4096];
        snprintf(out, sizeof out, "%s/%s", dir, names[i]);
        const char *args[32] = {"evaluate",   "-q",     "--date", "2026-01-15",
                                "--template", template, "--out",  out};
        size_t n = 8;
        for (size_t k = 0; inputs[k] != NULL && n < 31; k++)
            args[n++] = inputs[k];
        args[n] = NULL;
        nl_run run = nl_test_run(args);
        cr_assert(run.exit_code == 0 || run.exit_code == 1, "exit %d: %s", run.exit_code, run.err);
        nl_run_free(&run);
    }
}

/* Runs check_gates.py on dir's outputs and asserts it says "ok"; returns its report. */
static char *check_gates(const char *dir, const char *template)
{
    char command[8192];
    snprintf(command, sizeof command, CHECKER " '%s/r.json' '%s/r.xlsx' '%s'", dir, dir, template);
    char *report = nl_test_capture(command);
    cr_assert(strncmp(report, "ok", 2) == 0, "check_gates.py: %s", report);
    return report;
}

/* Every Gates cell of dir/r.xlsx, a line each: "ID\tGATE\tCOLUMN\tvalue|number format". */
static char *dump_gates(const char *dir)
{
    char command[8192];
    snprintf(command, sizeof command, CHECKER " --dump '%s/r.xlsx'", dir);
    return nl_test_capture(command);
}

/* One cell of a dump as "value|number format" (new), or "(none)". */
static char *gates_cell(const char *dump, const char *id, const char *gate, const char *column)
{
    char needle[1024];
    snprintf(needle, sizeof needle, "%s\t%s\t%s\t", id, gate, column);
    for (const char *at = dump; at != NULL && *at;
         at = strchr(at, '\n') ? strchr(at, '\n') + 1 : NULL) {
        if (strncmp(at, needle, strlen(needle)) == 0) {
            at += strlen(needle);
            return strndup(at, strcspn(at, "\n"));
        }
    }
    return strdup("(none)");
}

static void expect_cell(const char *dump, const char *id, const char *gate, const char *column,
                        const char *want)
{
    char *got = gates_cell(dump, id, gate, column);
    cr_assert_str_eq(got, want, "%s %s %s: %s, expected %s", id, gate, column, got, want);
    free(got);
}

Test(gates, samples_gates_sheet_in_the_reasons_units_with_not_evaluated_failures, .timeout = 120)
{
    char *dir = nl_test_temp_dir();
    const char *inputs[] = {"--previous", "samples/previous-quarter", "--calibrate", "samples",
                            NULL};
    evaluate_both(dir, IC, inputs);
    char *report = check_gates(dir, IC);
    char *dump = dump_gates(dir);
    /* E1108 and E1009 are the samples' Not evaluated people, and both already fail a hard
     * gate; each lacks a skill that some of their gates read. */
    cr_assert(nl_test_contains(report, "\"already fails\": 2"), "%s", report);
    free(report);

    /* E1108 Mei Lin Tan, M1 decides (80.9 over what is assessed): stakeholder_management is
     * not assessed; at best it meets M1's 4, soft (3 * 3/4 + 2/4 + 1) / 5 = 0.75 and
     * R = 100 * (0.9333 + 0.75 + 0.8056) / 3 = 83.0 < 85. */
    expect_cell(dump, "E1108", "Technical skills at the next level", "Status", "fail|General");
    expect_cell(dump, "E1108", "Critical skills", "Status", "fail|General");
    expect_cell(dump, "E1108", "Overall readiness", "Status", "fail|General");
    expect_cell(dump, "E1108", "Overall readiness", "Actual", "82.962962962963|0.0");
    /* The floor passes on what was assessed, but stakeholder_management could be below it. */
    expect_cell(dump, "E1108", "No serious weakness", "Status", "not checked|General");
    expect_cell(dump, "E1108", "No serious weakness", "Actual", "None|0.00");
    /* The balance: technical 0.9333 against soft 0.6875 to 0.75: at least 18.3 points apart,
     * shown in points like its reason ("at most 15"), not as 0.15. */
    expect_cell(dump, "E1108", "Balance of technical and soft skills", "Status", "fail|General");
    expect_cell(dump, "E1108", "Balance of technical and soft skills", "Required", "15|0.0");
    expect_cell(dump, "E1108", "Balance of technical and soft skills", "Unit",
                "percentage points|General");
    expect_cell(dump, "E1108", "Time in level", "Required", "12|0");
    expect_cell(dump, "E1108", "Overall readiness", "Outcome", "Not evaluated|General");
    expect_cell(dump, "E1108", "Overall readiness", "Team", "Payments|General");
    expect_cell(dump, "E1108", "Overall readiness", "Track",
                "Engineering Manager (also L4: Not evaluated)|General");

    char path[4096];
    snprintf(path, sizeof path, "%s/r.json", dir);
    json_t *root = nl_test_load_json(path);
    const char *reasons = nl_test_json_str(nl_test_json_person(root, "E1108"), "reasons");
    cr_assert(nl_test_contains(reasons, "Not evaluated: missing stakeholder_management; already "
                                        "fails: Technical skills at the next level failed"),
              "%s", reasons);
    cr_assert(nl_test_contains(reasons, "Overall readiness failed: readiness score at most 83.0"),
              "%s", reasons);
    cr_assert(nl_test_contains(reasons, "Critical skills failed: communication 3 < 4"), "%s",
              reasons);
    json_decref(root);
    int valid = nl_test_check_json_schema(path);
    cr_assert(valid == 0 || valid == 77, "r.json does not match the schema");
    free(dump);
    nl_test_remove_tree(dir);
}

Test(gates, every_unit_missing_skills_and_not_evaluated_failures, .timeout = 120)
{
    char *dir = nl_test_temp_dir();
    const char *inputs[] = {GATES_CSV, NULL};
    evaluate_both(dir, GATES_INI, inputs);
    char *report = check_gates(dir, GATES_INI);
    char *dump = dump_gates(dir);
    /* Rows reading mentor for G3 and G4: floor, readiness, soft average, balance each (8); not
     * checked: G3's soft average and balance, G4's floor, readiness, soft average, balance (6);
     * one Not evaluated person with failed hard gates (G3). */
    cr_assert_str_eq(report, "ok {\"already fails\": 1, \"lacking\": 8, \"not checked\": 6, "
                             "\"rows\": 56}\n");
    free(report);

    /* Units: balance in points as its reason says, attainment in %, months whole, ratings. */
    expect_cell(dump, "G1", "Balance", "Required", "15|0.0");
    expect_cell(dump, "G1", "Balance", "Margin", "15|0.0");
    expect_cell(dump, "G1", "Time in level", "Actual", "14|0");
    expect_cell(dump, "G1", "Time in level", "Unit", "months|General");
    expect_cell(dump, "G1", "No weakness", "Required", "2|0.00");
    expect_cell(dump, "G1", "Readiness", "Required", "96.88|0.00");
    expect_cell(dump, "G6", "Soft on the whole", "Actual", "0.875|0.0%");
    expect_cell(dump, "G6", "Soft on the whole", "Unit", "%|General");
    /* A failing 96.875 against 96.88 is not shown as 96.88; 11.5 months not as 12. */
    expect_cell(dump, "G2", "Readiness", "Actual", "96.875|0.000");
    char *margin = gates_cell(dump, "G2", "Readiness", "Margin");
    /* 96.875 - 96.88 is -0.00499999999999545 in binary: shown -0.005. */
    cr_assert(strncmp(margin, "-0.00499", 8) == 0 && nl_test_contains(margin, "|0.000"), "%s",
              margin);
    free(margin);
    expect_cell(dump, "G2", "Time in level", "Actual", "11.5|0.0");
    /* A missing skill: not checked, never pass; gates that do not read it still pass. */
    expect_cell(dump, "G4", "No weakness", "Status", "not checked|General");
    expect_cell(dump, "G4", "Readiness", "Status", "not checked|General");
    expect_cell(dump, "G4", "Balance", "Status", "not checked|General");
    expect_cell(dump, "G4", "Technical bar", "Status", "pass|General");
    expect_cell(dump, "G4", "Design", "Status", "pass|General");
    /* Not evaluated with failed hard gates: "fail" rows. */
    expect_cell(dump, "G3", "Technical bar", "Status", "fail|General");
    expect_cell(dump, "G3", "No weakness", "Status", "fail|General");
    expect_cell(dump, "G3", "Readiness", "Status", "fail|General");
    expect_cell(dump, "G3", "Readiness", "Actual", "81.25|0.00");
    expect_cell(dump, "G3", "Design", "Status", "fail|General");
    expect_cell(dump, "G3", "Balance", "Status", "not checked|General");
    expect_cell(dump, "G3", "Design", "Outcome", "Not evaluated|General");
    expect_cell(dump, "G3", "Design", "Manager", "Olu Ade|General");
    /* Tracks: the deciding one, and the other with its outcome. */
    expect_cell(dump, "G5", "Design", "Track", "Manager (also C: Developing)|General");
    expect_cell(dump, "G1", "Design", "Track", "Builder|General");

    char path[4096];
    snprintf(path, sizeof path, "%s/r.json", dir);
    json_t *root = nl_test_load_json(path);
    cr_assert_str_eq(nl_test_json_str(nl_test_json_person(root, "G3"), "reasons"),
                     "Not evaluated: missing mentor; already fails: Technical bar failed: coding "
                     "1.5 < 2, design 1 < 2 expected at B (Builder); No weakness failed: coding "
                     "1.5, design 1 below the floor of 2, mentor not assessed; Readiness failed: "
                     "readiness score at most 81.2 whatever mentor scores (81.2 on the skills "
                     "assessed), required 96.88; Design failed: design 1 < 2 expected at B "
                     "(Builder)");
    cr_assert_str_eq(nl_test_json_str(nl_test_json_person(root, "G4"), "reasons"),
                     "Not evaluated: missing mentor");
    json_decref(root);
    free(dump);
    nl_test_remove_tree(dir);
}

/* The Gates sheet is written on a thread of its own: --jobs 1 and --jobs 2 give the same bytes
 * (the threads start from 2,000 people, so the crafted people are repeated past that). */
Test(gates, jobs_one_and_two_write_the_same_gates, .timeout = 240)
{
    char *dir = nl_test_temp_dir();
    char csv[4096];
    snprintf(csv, sizeof csv, "%s/many.csv", dir);
    FILE *out = fopen(csv, "w");
    cr_assert_not_null(out);
    fputs("id,name,team,manager,level,months,visibility,coding,design,talk,mentor\n", out);
    static const char *const rows[] = {"A,14,3,2,2,2,4", "A,11.5,3,2,2,2,3.5", "A,20,4,1.5,1,2,",
                                       "A,15,3,2,2,2,",  "B,18,4,3,3,4,4",     "A,13,2,2,2,2,3",
                                       "A,16,3,2,2,2,2"};
    for (int i = 0; i < 2100; i++)
        fprintf(out, "P%04d,Person %d,Team %d,Manager %d,%s\n", i, i, i % 7, i % 13, rows[i % 7]);
    cr_assert_eq(fclose(out), 0);
    char *bytes[2];
    size_t lengths[2];
    static const char *const jobs[] = {"1", "2"};
    for (size_t i = 0; i < 2; i++) {
        char xlsx[4096];
        snprintf(xlsx, sizeof xlsx, "%s/j%s.xlsx", dir, jobs[i]);
        nl_run run = RUN("evaluate", "-q", "--date", "2026-01-15", "--template", GATES_INI,
                         "--jobs", jobs[i], "--out", xlsx, csv);
        cr_assert_eq(run.exit_code, 0, "%s", run.err);
        nl_run_free(&run);
        bytes[i] = nl_test_read_all(xlsx, &lengths[i]);
    }
    cr_assert(lengths[0] == lengths[1] && memcmp(bytes[0], bytes[1], lengths[0]) == 0,
              "--jobs 1 and --jobs 2 differ");
    free(bytes[0]);
    free(bytes[1]);
    nl_test_remove_tree(dir);
}
