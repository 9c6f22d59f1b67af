/* The milestone ladder (templates/milestones.ini) on its samples (samples/milestones/): every
 * person's figures from `nextlevel evaluate` agree with a computation by hand.
 *
 * The hand computation is tests/tools/milestones_by_hand.py: it reads the template and the
 * samples with its own small reader and applies the README's rules (milestone points, the
 * level from the total, the points, milestone and tenure gates for the next level, the walk
 * up the ladder for the operating level) without running nextlevel. Its table is committed as
 * docs/milestones-by-hand.md, and samples/README.md argues each person's profile.
 *
 * People the checks below lean on (numbers from the template's thresholds):
 *   E2008 Yara Haddad: the file says IC3, 108 milestone points place her at IC4 (80 to 119);
 *         core 66 and breadth 42, exactly IC5's thresholds: Ready now for IC5.
 *   E2102 Dmitri Volkov: 79 points (IC3, one under IC4's 80); his core tracks (71 points) pass
 *         the hard gates of IC4 (44) and of IC5 (66) but not IC6 (99): operating at IC5, two
 *         levels above his title; breadth 8 of IC4's 28: Ready with risk.
 *   E2005 Tomasz Kowal: core at IC4, 5 months of the 9 the hard tenure gate asks: Developing,
 *         and operating at his own level (tenure is read on the first step).
 *   data-platform.csv has no Level column: the points alone give its people's levels. */
#include "test_support.h"

#include <criterion/criterion.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RUN(...)  nl_test_run((const char *[]){__VA_ARGS__, NULL})
#define LADDER    "templates/milestones.ini"
#define SAMPLES   "samples/milestones"
#define BY_HAND   "/usr/bin/python3 tests/tools/milestones_by_hand.py"
#define HAND_DOC  "docs/milestones-by-hand.md"
#define ALL_FILES SAMPLES "/checkout.csv " SAMPLES "/data-platform.csv " SAMPLES "/search.csv"

/* The columns of the hand computation compared as text, and those compared as numbers. */
static const char *const text_columns[] = {"level", "level_in_file", "next_level", "outcome",
                                           "operating_level"};
static const char *const number_columns[] = {"milestone_points",   "levels_above_title",
                                             "core_points_actual", "core_milestones_actual",
                                             "breadth_actual",     "tenure_actual"};

/* Evaluates the samples into dir/name (format from its extension), quietly or not; asserts a
 * clean exit (0: nothing rejected) and returns standard error (the caller frees it). */
static char *evaluate(const char *dir, const char *name, bool quiet)
{
    char *out = nl_test_path_in(dir, name);
    nl_run run = RUN("evaluate", quiet ? "-q" : "--jobs=1", "--date", "2026-01-15", "--template",
                     LADDER, "--out", out, SAMPLES);
    cr_assert_eq(run.exit_code, 0, "exit %d: %s", run.exit_code, run.err);
    char *err = strdup(run.err);
    nl_run_free(&run);
    free(out);
    return err;
}

/* The hand computation's table of every sample person (see the file's comment). */
static nl_test_table by_hand(void)
{
    char *text = nl_test_capture(BY_HAND " --csv " LADDER " " ALL_FILES);
    nl_test_table t = nl_test_parse_csv(text);
    free(text);
    return t;
}

/* Whether two cells hold the same number, or are both empty. */
static bool same_number(const char *a, const char *b)
{
    if (*a == '\0' || *b == '\0')
        return *a == '\0' && *b == '\0';
    char *end_a, *end_b;
    double x = strtod(a, &end_a), y = strtod(b, &end_b);
    return *end_a == '\0' && *end_b == '\0' && fabs(x - y) < 1e-9;
}

Test(ladder, every_person_agrees_with_the_computation_by_hand, .timeout = 60)
{
    char *dir = nl_test_temp_dir();
    free(evaluate(dir, "r.csv", true));
    char *path = nl_test_path_in(dir, "r.csv");
    char *text = nl_test_read_all(path, NULL);
    nl_test_table tool = nl_test_parse_csv(text);
    nl_test_table hand = by_hand();
    cr_assert_eq(hand.rows, 26, "25 people and the header in the hand table: %zu rows", hand.rows);
    cr_assert_eq(tool.rows, hand.rows, "the tool has %zu rows, the hand table %zu", tool.rows,
                 hand.rows);
    size_t hand_id = nl_test_column(&hand, "id");
    for (size_t r = 1; r < hand.rows; r++) {
        const char *id = hand.cells[r * hand.width + hand_id];
        for (size_t c = 0; c < sizeof text_columns / sizeof *text_columns; ++c) {
            const char *want = hand.cells[r * hand.width + nl_test_column(&hand, text_columns[c])];
            const char *got = nl_test_cell(&tool, id, text_columns[c]);
            cr_expect_str_eq(got, want, "person %s, %s: the tool says [%s], by hand [%s]", id,
                             text_columns[c], got, want);
        }
        /* The total (the tool's milestone_points, compared below) is also its two points gates
         * together: they split the 16 tracks between them (technical and delivery; people and
         * community). */
        const char *core = nl_test_cell(&tool, id, "core_points_actual");
        const char *breadth = nl_test_cell(&tool, id, "breadth_actual");
        const char *total = hand.cells[r * hand.width + nl_test_column(&hand, "milestone_points")];
        if (*core != '\0' || *breadth != '\0')
            cr_expect(fabs(strtod(core, NULL) + strtod(breadth, NULL) - strtod(total, NULL)) < 1e-9,
                      "person %s: %s + %s milestone points, by hand %s in all", id, core, breadth,
                      total);
        else
            cr_expect_str_eq(nl_test_cell(&tool, id, "outcome"), "Top of ladder",
                             "person %s: no points gate checked", id);
        for (size_t c = 0; c < sizeof number_columns / sizeof *number_columns; ++c) {
            const char *want =
                hand.cells[r * hand.width + nl_test_column(&hand, number_columns[c])];
            const char *got = nl_test_cell(&tool, id, number_columns[c]);
            cr_expect(same_number(got, want), "person %s, %s: the tool says [%s], by hand [%s]", id,
                      number_columns[c], got, want);
        }
    }
    nl_test_free_table(&hand);
    nl_test_free_table(&tool);
    free(text);
    free(path);
    nl_test_remove_tree(dir);
}

Test(ladder, the_committed_table_is_what_the_script_prints, .timeout = 30)
{
    char *printed = nl_test_capture(BY_HAND " --markdown " LADDER " " ALL_FILES);
    char *committed = nl_test_read_all(nl_test_path(HAND_DOC), NULL);
    cr_assert_str_eq(committed, printed,
                     HAND_DOC " is not what the script prints: regenerate it with " BY_HAND
                              " --markdown " LADDER " " ALL_FILES " > " HAND_DOC);
    /* The two people the samples exist for, as the table shows them. */
    cr_assert(nl_test_contains(committed,
                               "| E2008 | Yara Haddad | Checkout | 108 | IC4 (file: IC3) "
                               "| IC5 | 66 | 42 | Ready now | IC5 | 1 |"),
              "%s", committed);
    cr_assert(nl_test_contains(committed,
                               "| E2102 | Dmitri Volkov | Search | 79 | IC3 | IC4 | 71 | "
                               "8 | Ready with risk | IC5 | 2 |"),
              "%s", committed);
    free(committed);
    free(printed);
}

Test(ladder, the_file_level_that_disagrees_is_a_warning_and_the_points_win, .timeout = 60)
{
    char *dir = nl_test_temp_dir();
    char *err = evaluate(dir, "r.json", false);
    /* One warning, for E2008 only: everyone else's Level column agrees with their points, and
     * data-platform.csv has none. */
    cr_assert(nl_test_contains(err, "person E2008"), "%s", err);
    cr_assert(nl_test_contains(err, "IC3") && nl_test_contains(err, "IC4") &&
                  nl_test_contains(err, "108"),
              "the warning names the file's level, the points' level and the points: %s", err);
    const char *second = strstr(err, "person E2");
    cr_assert(second != NULL && strstr(second + 1, "person E2") == NULL,
              "a warning for one person only: %s", err);

    char *path = nl_test_path_in(dir, "r.json");
    json_t *root = nl_test_load_json(path);
    json_t *yara = nl_test_json_person(root, "E2008");
    cr_assert_str_eq(nl_test_json_str(yara, "level"), "IC4");
    cr_assert_str_eq(nl_test_json_str(yara, "level_in_file"), "IC3");
    json_t *dmitri = nl_test_json_person(root, "E2102");
    cr_assert_str_eq(nl_test_json_str(dmitri, "operating_level"), "IC5");
    json_t *above = json_object_get(dmitri, "levels_above_title");
    cr_assert(json_is_integer(above) && json_integer_value(above) == 2, "levels_above_title");
    int schema = nl_test_check_json_schema(path);
    cr_assert(schema == 0 || schema == 77, "r.json does not match docs/results.schema.json");
    json_decref(root);
    free(path);
    free(err);
    nl_test_remove_tree(dir);
}

Test(ladder, the_template_checks_clean, .timeout = 30)
{
    /* Without its not_expected lines, IC2 would draw a warning: the core milestones gate checks
     * leading_projects, which IC2 deliberately does not expect. */
    nl_run run = RUN("check", LADDER);
    cr_assert_eq(run.exit_code, 0, "exit %d: %s%s", run.exit_code, run.out, run.err);
    cr_assert(nl_test_contains(run.out, "result: usable, 0 warnings"), "%s%s", run.out, run.err);
    cr_assert(!nl_test_contains(run.err, "warning:"), "%s", run.err);
    nl_run_free(&run);
}

/* What a reader of the printed Readiness page sees: each person's total beside their level, as
 * a whole number of milestone points ("108", not "108.00"), and the file's level only where it
 * disagrees. Rendered once, a fixed two-decimal format made every total read like a score. */
Test(ladder, the_readiness_sheet_shows_totals_as_whole_points, .timeout = 60)
{
    char *dir = nl_test_temp_dir();
    free(evaluate(dir, "r.xlsx", true));
    char *xlsx = nl_test_path_in(dir, "r.xlsx");
    char command[8192];
    snprintf(command, sizeof command,
             "/usr/bin/python3 -c \"\nimport openpyxl, sys\n"
             "ws = openpyxl.load_workbook(sys.argv[1])['Readiness']\n"
             "head = [c.value for c in ws[1]]\n"
             "pts, lif, ids = head.index('Milestone points'), head.index('Level in file'), 0\n"
             "rows = {r[ids].value: r for r in ws.iter_rows(min_row=2) if r[ids].value}\n"
             "ok = len(rows) == 25 and all(r[pts].number_format == 'General' and\n"
             "    isinstance(r[pts].value, (int, float)) for r in rows.values())\n"
             "ok = ok and rows['E2008'][pts].value == 108 and rows['E2008'][lif].value == 'IC3'\n"
             "ok = ok and rows['E2102'][pts].value == 79 and rows['E2102'][lif].value is None\n"
             "sys.exit(0 if ok else 1)\" '%s'",
             xlsx);
    cr_assert_eq(nl_test_shell(command), 0, "the Readiness sheet's milestone points in %s", xlsx);
    free(xlsx);
    nl_test_remove_tree(dir);
}
