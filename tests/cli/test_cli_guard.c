/* Inputs at the edge of what the command line accepts: run dates (--date and
 * SOURCE_DATE_EPOCH) only from 1900 to 9999 and only days the calendar has, the workbook of
 * the first and last accepted days still opening; a family given twice to --weights; and a
 * scale whose minimum is below 0, where attainment is measured from that minimum. */
#include "test_support.h"

#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IC       "templates/engineering-ic.ini"
#define PLATFORM "samples/platform.csv"

/* ---- run dates ---- */

/* Runs evaluate of the platform sample to out with --date date (NULL: none). */
static nl_run evaluate_on(const char *date, const char *out)
{
    if (date == NULL)
        return nl_test_run(
            (const char *[]){"evaluate", "-q", "--template", IC, "--out", out, PLATFORM, NULL});
    return nl_test_run((const char *[]){"evaluate", "-q", "--template", IC, "--date", date, "--out",
                                        out, PLATFORM, NULL});
}

Test(run_date, days_the_calendar_lacks_and_years_outside_1900_to_9999_exit_2)
{
    static const char *const bad[] = {"2026-02-31", "2025-02-29", "1900-02-29",  "2026-04-31",
                                      "0000-01-01", "1899-12-31", "10000-01-01", "2026-1-15",
                                      "+026-01-15", " 2026-01-1", "253402300800"};
    char *dir = nl_test_temp_dir();
    char *out = nl_test_path_in(dir, "r.xlsx");
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        nl_run run = evaluate_on(bad[i], out);
        cr_assert_eq(run.exit_code, 2, "--date %s: exit %d: %s", bad[i], run.exit_code, run.err);
        cr_assert(nl_test_contains(run.err, "from 1900-01-01 to 9999-12-31 written YYYY-MM-DD"),
                  "--date %s: %s", bad[i], run.err);
        nl_run_free(&run);
    }
    cr_assert_eq(nl_test_count_entries(dir), 0, "nothing is written");
    free(out);
    nl_test_remove_tree(dir);
}

Test(run_date, source_date_epoch_outside_the_range_or_not_digits_exits_2, .timeout = 60)
{
    /* 67768036191676800 made gmtime fail: libxlsxwriter's docProps then crashed. */
    static const char *const bad[] = {
        "67768036191676800",  "253402300800", "-1", " 5", "+5", "1e9", "0x10", "5 ",
        "9223372036854775808"};
    char *dir = nl_test_temp_dir();
    char *out = nl_test_path_in(dir, "r.xlsx");
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        setenv("SOURCE_DATE_EPOCH", bad[i], 1);
        nl_run run = evaluate_on(NULL, out);
        cr_assert_eq(run.exit_code, 2, "SOURCE_DATE_EPOCH=%s: exit %d: %s", bad[i], run.exit_code,
                     run.err);
        cr_assert(nl_test_contains(run.err, "SOURCE_DATE_EPOCH must be whole seconds since 1970 "
                                            "written in digits alone, from 0 to 253402300799"),
                  "SOURCE_DATE_EPOCH=%s: %s", bad[i], run.err);
        nl_run_free(&run);
    }
    /* --date wins over SOURCE_DATE_EPOCH, as before. */
    setenv("SOURCE_DATE_EPOCH", "67768036191676800", 1);
    nl_run run = evaluate_on("2026-01-15", out);
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    nl_run_free(&run);
    unsetenv("SOURCE_DATE_EPOCH");
    free(out);
    nl_test_remove_tree(dir);
}

Test(run_date, the_first_and_last_accepted_days_give_workbooks_that_open, .timeout = 120)
{
    char *dir = nl_test_temp_dir();
    static const char *const good[] = {"1900-01-01", "2024-02-29", "9999-12-31", "0",
                                       "253402300799"};
    /* libxlsxwriter takes 0 for "now": 0 is written one second later, still reproducible. */
    static const char *const created[] = {"1900-01-01T00:00:00Z", "2024-02-29T00:00:00Z",
                                          "9999-12-31T00:00:00Z", "1970-01-01T00:00:01Z",
                                          "9999-12-31T23:59:59Z"};
    char command[8192];
    int n = snprintf(command, sizeof command,
                     "/usr/bin/python3 -c \"import sys, openpyxl\n"
                     "for p in sys.argv[1:]:\n"
                     "    wb = openpyxl.load_workbook(p, read_only=True)\n"
                     "    print(wb.properties.created.isoformat())\"");
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        char name[64];
        snprintf(name, sizeof name, "r%zu.xlsx", i);
        char *out = nl_test_path_in(dir, name);
        nl_run run = evaluate_on(good[i], out);
        cr_assert_eq(run.exit_code, 0, "--date %s: %s", good[i], run.err);
        nl_run_free(&run);
        n += snprintf(command + n, sizeof command - (size_t)n, " '%s'", out);
        /* docProps holds the date as written, four-digit year and all. */
        char *parts = nl_test_unzip(out);
        char *core = nl_test_xlsx_part(parts, "docProps/core.xml");
        cr_assert(nl_test_contains(core, created[i]), "--date %s: %s", good[i], core);
        free(core);
        nl_test_remove_tree(parts);
        free(out);
    }
    char *printed = nl_test_capture(command);
    cr_assert_str_eq(printed, "1900-01-01T00:00:00\n2024-02-29T00:00:00\n9999-12-31T00:00:00\n"
                              "1970-01-01T00:00:01\n9999-12-31T23:59:59\n");
    free(printed);
    nl_test_remove_tree(dir);
}

/* ---- --weights ---- */

Test(weights, a_family_given_twice_is_a_usage_error_naming_it)
{
    static const char *const twice[] = {"technical=1,technical=2", "technical=1,soft=1,technical=1",
                                        "soft=0, soft=0,technical=1"};
    static const char *const named[] = {"technical", "technical", "soft"};
    for (size_t i = 0; i < sizeof twice / sizeof twice[0]; i++) {
        nl_run run = nl_test_run((const char *[]){"evaluate", "-q", "--template", IC, "--weights",
                                                  twice[i], "--out", "-", PLATFORM, NULL});
        cr_assert_eq(run.exit_code, 2, "--weights %s: exit %d", twice[i], run.exit_code);
        char want[128];
        snprintf(want, sizeof want, "--weights: %s is given twice", named[i]);
        cr_assert(nl_test_contains(run.err, want), "--weights %s: %s", twice[i], run.err);
        cr_assert_str_empty(run.out, "nothing is written");
        nl_run_free(&run);
    }
}

/* ---- a scale below 0 ---- */

/* Scale -5..5; L2 expects a 0 (technical) and b -2 (soft); readiness must reach 85. Measured
 * from the scale's minimum -5, attainment is (x + 5) / (e + 5), capped at 1. */
static const char negative_template[] =
    "[framework]\nname = Negative scale\nscale = -5..5\n"
    "[skill a]\nname = A\nfamily = technical\n"
    "[skill b]\nname = B\nfamily = soft\n"
    "[level L1]\ntitle = One\nnext = L2\nexpectations = a:-5, b:-5\n"
    "[level L2]\ntitle = Two\nexpectations = a:0, b:-2\n"
    "[priorities balanced]\ntechnical = 1\nsoft = 1\n"
    "[gate readiness]\ntitle = Overall readiness\nkind = readiness_score\nthreshold = 85\n"
    "severity = hard\n"
    "[gate floor]\ntitle = No weakness\nkind = floor\nmin_score = -4\nseverity = soft\n"
    "mitigation = Coach the weakest skill\n";

Test(negative_scale, attainment_is_measured_from_the_scale_minimum, .timeout = 60)
{
    char *ini = nl_test_write_temp(".ini", negative_template, strlen(negative_template));
    /* low: -5 everywhere: attainments 0 and 0, R = 0 (it was 100: every expectation at or
     * below 0 read as met). met: 0 and -2 meet both, R = 100. half: a (-2.5 + 5) / 5 = 0.5,
     * b 1: R = 75 < 85. near: a (-1 + 5) / 5 = 0.8, b 1: R = 90. edge: a -4.5: 0.1, b 5: 1,
     * R = 55; the floor -4 fails on -4.5 too. */
    static const char csv_text[] = "id,level,a,b\nlow,L1,-5,-5\nmet,L1,0,-2\nhalf,L1,-2.5,-2\n"
                                   "near,L1,-1,-2\nedge,L1,-4.5,5\nfloor,L1,0,-4.5\n";
    char *csv = nl_test_write_temp(".csv", csv_text, strlen(csv_text));
    char *dir = nl_test_temp_dir();
    char *json = nl_test_path_in(dir, "r.json");
    nl_run run = nl_test_run((const char *[]){"evaluate", "-q", "--template", ini, "--date",
                                              "2026-01-15", "--out", json, csv, NULL});
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    nl_run_free(&run);
    json_t *root = nl_test_load_json(json);
    static const struct {
        const char *id, *outcome;
        double readiness;
    } want[] = {{"low", "Developing", 0},
                {"met", "Ready now", 100},
                {"half", "Developing", 75},
                {"near", "Ready now", 90},
                {"edge", "Developing", 55},
                /* floor: a 1, b (-4.5 + 5) / 3 = 1/6: R = 100 * (1 + 1/6) / 2 = 58.33 */
                {"floor", "Developing", 100.0 * (1 + 1.0 / 6) / 2}};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        json_t *person = nl_test_json_person(root, want[i].id);
        cr_assert_str_eq(nl_test_json_str(person, "outcome"), want[i].outcome, "%s", want[i].id);
        json_t *r = json_object_get(person, "readiness_score");
        cr_assert(json_is_number(r), "%s: no readiness_score", want[i].id);
        cr_assert_float_eq(json_number_value(r), want[i].readiness, 1e-3, "%s: readiness %g",
                           want[i].id, json_number_value(r));
    }
    /* low's plan, greedy by gain per point: b gains 100 / 2 * 1/3 = 16.67 a point (from its
     * minimum -5 to -2, 3 points), a 100 / 2 * 1/5 = 10 a point, raised in steps of 0.5 until
     * R reaches 85: a attains 0.7 at -1.5. Distance 3 + 3.5 = 6.5. (From 0, no raise counted:
     * the plan was empty and the band read Next quarter.) */
    json_t *track = json_array_get(json_object_get(nl_test_json_person(root, "low"), "tracks"), 0);
    json_t *plan = json_object_get(track, "development_plan");
    cr_assert_float_eq(json_number_value(json_object_get(plan, "distance_to_ready")), 6.5, 1e-9);
    json_t *steps = json_object_get(plan, "steps");
    cr_assert_eq(json_array_size(steps), 2);
    static const struct {
        const char *skill;
        double from, to, gain;
    } step_want[] = {{"b", -5, -2, 100.0 / 6}, {"a", -5, -1.5, 10}};
    for (size_t i = 0; i < 2; i++) {
        json_t *step = json_array_get(steps, i);
        cr_assert_str_eq(nl_test_json_str(step, "skill"), step_want[i].skill);
        cr_assert_float_eq(json_number_value(json_object_get(step, "from")), step_want[i].from,
                           1e-9);
        cr_assert_float_eq(json_number_value(json_object_get(step, "to")), step_want[i].to, 1e-9);
        cr_assert_float_eq(json_number_value(json_object_get(step, "gain_per_point")),
                           step_want[i].gain, 1e-3);
    }
    json_t *band = json_object_get(nl_test_json_person(root, "low"), "band");
    cr_assert_str_eq(nl_test_json_str(band, "name"), "Later");
    json_decref(root);
    free(json);
    nl_test_remove_tree(dir);
    nl_test_remove(csv);
    nl_test_remove(ini);
}
