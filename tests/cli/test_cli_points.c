/* Per-skill scales, milestone points and levels from points (issue 17, items 1 and 2), end to
 * end: the template and matrices are written at run time. Every expected figure is worked out
 * in the comment beside it from the template below.
 *
 * Milestones 0..5 are worth 0, 1, 3, 6, 12, 20. craft has its own words (Adopts .. Creates) and
 * points keyed by them (the same values); delivery has its own words (Task .. Company) and the
 * framework's points; mentoring has the framework's words (M1 .. M5) and points; trainings
 * counts courses on its own 0..6 scale, with no words and no points. Levels by total points:
 * L1 from 0, L2 from 10, L3 from 25. The points gate sums technical and delivery with craft
 * weighing 2 and needs 20. */
#include "test_support.h"

#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RUN(...) nl_test_run((const char *[]){__VA_ARGS__, NULL})

static const char template_text[] =
    "[framework]\n"
    "name = Milestones\n"
    "scale = 0..5\n"
    "step = 1\n"
    "labels = 0:None, 1:M1, 2:M2, 3:M3, 4:M4, 5:M5\n"
    "points = 0:0, 1:1, 2:3, 3:6, 4:12, 5:20\n"
    "level_from = points\n"
    "[skill craft]\nname = Craft\nfamily = technical\n"
    "labels = 1:Adopts, 2:Specializes, 3:Evangelizes, 4:Masters, 5:Creates\n"
    "points = Adopts:1, Specializes:3, Evangelizes:6, Masters:12, Creates:20\n"
    "[skill delivery]\nname = Delivery\nfamily = delivery\n"
    "labels = 1:Task, 2:Subsystem, 3:System, 4:Organization, 5:Company\n"
    "[skill mentoring]\nname = Mentoring\nfamily = delivery\n"
    "[skill trainings]\nname = Trainings\nfamily = growth\nscale = 0..6\n"
    "[level L1]\ntitle = Engineer I\nnext = L2\nmin_points = 0\nexpectations = trainings:2\n"
    "[level L2]\ntitle = Engineer II\nnext = L3\nmin_points = 10\nexpectations = trainings:4\n"
    "[level L3]\ntitle = Senior\nmin_points = 25\nexpectations = trainings:6\n"
    "[priorities balanced]\ntechnical = 1\ndelivery = 1\ngrowth = 1\n"
    "[gate milestones]\ntitle = Milestone points\nkind = points\n"
    "families = technical, delivery\nweights = craft:2\nthreshold = 20\nseverity = hard\n";

/* E1: craft 2 (3 points), delivery System 3 (6), mentoring M2 (3): 12 unweighted, L2 though
 *     the file says L1. Gate: 2 x 3 + 6 + 3 = 15 of 20.
 * E2: 1 + 1 + 1 = 3: L1 though the file says L2. Gate 2 x 1 + 1 + 1 = 4.
 * E3: no level cell; 12 + 12 + 6 = 30: L3, the top.
 * E4: 6 + 3 + 1 = 10: L2 as the file says. Gate 2 x 6 + 3 + 1 = 16.
 * E5: 'System' in craft's column is delivery's word for 3: rejected.
 * E6: 6 courses is within trainings' own 0..6 (above the framework's 5). 3 + 3 + 3 = 9: L1. */
static const char matrix_text[] = "id,name,team,level,craft,delivery,mentoring,trainings\n"
                                  "E1,Ann,T,L1,Specializes,System,M2,4\n"
                                  "E2,Bob,T,L2,Adopts,Task,M1,6\n"
                                  "E3,Cy,T,,Masters,Organization,M3,0\n"
                                  "E4,Di,T,L2,Evangelizes,2,1,3\n"
                                  "E5,Ed,T,L1,System,2,1,3\n"
                                  "E6,Fy,T,L1,2,2,2,6\n";

typedef struct workspace {
    char *dir, *ini, *csv, *out;
} workspace;

static workspace open_workspace(const char *ini, const char *csv)
{
    workspace w = {.dir = nl_test_temp_dir()};
    w.ini = nl_test_path_in(w.dir, "t.ini");
    w.csv = nl_test_path_in(w.dir, "m.csv");
    w.out = nl_test_path_in(w.dir, "out.csv");
    nl_test_write_text(w.ini, ini);
    nl_test_write_text(w.csv, csv);
    return w;
}

static void close_workspace(workspace *w)
{
    free(w->ini);
    free(w->csv);
    free(w->out);
    nl_test_remove_tree(w->dir);
}

static nl_test_table read_table(const char *path)
{
    char *text = nl_test_read_file(path, NULL);
    cr_assert_not_null(text, "no %s", path);
    nl_test_table t = nl_test_parse_csv(text);
    free(text);
    return t;
}

Test(points, levels_from_points_with_the_file_s_level_beside_them)
{
    workspace w = open_workspace(template_text, matrix_text);
    nl_run run = RUN("evaluate", "--template", w.ini, "--format", "csv", "--out", w.out, w.csv);
    cr_assert_eq(run.exit_code, 1, "rows rejected: exit 1; %s", run.err);
    /* One warning per person whose level cell disagrees, in the file's words. */
    cr_assert(nl_test_contains(run.err, "warning: person E1: the file says L1 but 12 milestone "
                                        "points place them at L2; L2 is used"),
              "%s", run.err);
    cr_assert(nl_test_contains(run.err, "person E2: the file says L2 but 3 milestone points "
                                        "place them at L1; L1 is used"),
              "%s", run.err);
    cr_assert_not(nl_test_contains(run.err, "person E4:"), "E4's cell agrees: %s", run.err);
    cr_assert_not(nl_test_contains(run.err, "person E3:"), "E3 has no cell: %s", run.err);
    nl_test_table t = read_table(w.out);
    cr_assert_str_eq(nl_test_cell(&t, "E1", "level"), "L2");
    cr_assert_str_eq(nl_test_cell(&t, "E1", "level_in_file"), "L1");
    cr_assert_str_eq(nl_test_cell(&t, "E1", "next_level"), "L3");
    cr_assert_str_eq(nl_test_cell(&t, "E2", "level"), "L1");
    cr_assert_str_eq(nl_test_cell(&t, "E2", "level_in_file"), "L2");
    cr_assert_str_eq(nl_test_cell(&t, "E3", "level"), "L3");
    cr_assert_str_eq(nl_test_cell(&t, "E3", "level_in_file"), "");
    cr_assert_str_eq(nl_test_cell(&t, "E3", "outcome"), "Top of ladder");
    cr_assert_str_eq(nl_test_cell(&t, "E4", "level"), "L2");
    cr_assert_str_eq(nl_test_cell(&t, "E4", "level_in_file"), "", "agrees: empty");
    cr_assert_str_eq(nl_test_cell(&t, "E6", "level"), "L1");
    /* The gate speaks in milestone points and names the best raise: E1's craft 2 -> 3 earns
     * 2 x (6 - 3) = 6 per step, as much as delivery 3 -> 4 (6), more than mentoring (3). */
    cr_assert_str_eq(nl_test_cell(&t, "E1", "milestones_actual"), "15");
    cr_assert_str_eq(nl_test_cell(&t, "E1", "milestones_reason"),
                     "Milestone points 15 of 20 required: 5 more milestone points: e.g. raise "
                     "Craft from Specializes to Evangelizes (+6)");
    cr_assert_str_eq(nl_test_cell(&t, "E1", "development_plan"), "craft +1 (2 -> 3)");
    cr_assert_str_eq(nl_test_cell(&t, "E1", "distance_to_ready"), "1");
    /* E4: 16 of 20; craft 3 -> 4 earns 2 x (12 - 6) = 12. */
    cr_assert_str_eq(nl_test_cell(&t, "E4", "milestones_reason"),
                     "Milestone points 16 of 20 required: 4 more milestone points: e.g. raise "
                     "Craft from Evangelizes to Masters (+12)");
    cr_assert_str_eq(nl_test_cell(&t, "E4", "outcome"), "Developing");
    nl_test_free_table(&t);
    /* A word of another skill's vocabulary, rejected with both meanings. */
    char *rejected = nl_test_path_in(w.dir, "out.rejected.csv");
    nl_test_table r = read_table(rejected);
    cr_assert_eq(r.rows, 2, "one rejected row");
    cr_assert_str_eq(nl_test_cell(&r, "E5", "reason"),
                     "'System' is not a rating of Craft (its scores run from 0 to 5; its words "
                     "are Adopts, Specializes, Evangelizes, Masters, Creates); it is rating 3 of "
                     "Delivery: correct the cell, or leave it empty if the skill was not "
                     "assessed");
    nl_test_free_table(&r);
    free(rejected);
    nl_run_free(&run);
    close_workspace(&w);
}

Test(points, json_and_workbook_carry_the_level_in_file)
{
    workspace w = open_workspace(template_text, matrix_text);
    char *json = nl_test_path_in(w.dir, "out.json");
    char *xlsx = nl_test_path_in(w.dir, "out.xlsx");
    /* nl_test_run checks the JSON against docs/results.schema.json. */
    nl_run run = RUN("evaluate", "-q", "--template", w.ini, "--out", json, w.csv);
    cr_assert_eq(run.exit_code, 1, "%s", run.err);
    json_t *root = nl_test_load_json(json);
    cr_assert_str_eq(nl_test_json_str(nl_test_json_person(root, "E1"), "level_in_file"), "L1");
    cr_assert_str_eq(nl_test_json_str(nl_test_json_person(root, "E1"), "level"), "L2");
    cr_assert_str_eq(nl_test_json_str(nl_test_json_person(root, "E4"), "level_in_file"), "");
    json_decref(root);
    nl_run_free(&run);
    run = RUN("evaluate", "-q", "--template", w.ini, "--out", xlsx, w.csv);
    cr_assert_eq(run.exit_code, 1, "%s", run.err);
    char command[2048];
    snprintf(command, sizeof command,
             "/usr/bin/python3 -c \"import openpyxl,sys\n"
             "wb = openpyxl.load_workbook(sys.argv[1])\n"
             "rows = list(wb['Readiness'].iter_rows(values_only=True))\n"
             "col = rows[0].index('Level in file')\n"
             "print(';'.join('%%s=%%s' %% (r[0], r[col] or '') for r in rows[1:] if r[0]))\n"
             "gates = list(wb['Gates'].iter_rows(values_only=True))\n"
             "print(sorted(set(r[gates[0].index('Unit')] for r in gates[1:] if r[0])))\n"
             "crit = [r for r in wb['Criteria'].iter_rows(values_only=True)]\n"
             "print([r[1] for r in crit if r[0] == 'Score scale of trainings'])\" '%s' 2>&1",
             xlsx);
    char *out = nl_test_capture(command);
    cr_assert(nl_test_contains(out, "E1=L1;") && nl_test_contains(out, "E2=L2;") &&
                  nl_test_contains(out, "E4=;"),
              "%s", out);
    cr_assert(nl_test_contains(out, "['milestone points']"), "%s", out);
    cr_assert(nl_test_contains(out, "['0 to 6']"), "%s", out);
    free(out);
    nl_run_free(&run);
    free(json);
    free(xlsx);
    close_workspace(&w);
}

Test(points, the_level_column_is_optional_only_with_levels_from_points)
{
    static const char no_level[] = "id,craft,delivery,mentoring,trainings\n"
                                   "E1,Specializes,System,M2,4\n"
                                   "E3,Masters,Organization,M3,0\n";
    workspace w = open_workspace(template_text, no_level);
    nl_run run = RUN("evaluate", "--template", w.ini, "--format", "csv", "--out", w.out, w.csv);
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    cr_assert_not(nl_test_contains(run.err, "warning: person"), "%s", run.err);
    nl_test_table t = read_table(w.out);
    cr_assert_str_eq(nl_test_cell(&t, "E1", "level"), "L2");
    cr_assert_str_eq(nl_test_cell(&t, "E3", "level"), "L3");
    nl_test_free_table(&t);
    nl_run_free(&run);
    close_workspace(&w);
    /* From the column (the default), the column is required as before. */
    char column_template[sizeof template_text + 64];
    char *at = strstr(strcpy(column_template, template_text), "level_from = points\n");
    memmove(at, at + strlen("level_from = points\n"),
            strlen(at + strlen("level_from = points\n")) + 1);
    w = open_workspace(column_template, no_level);
    run = RUN("evaluate", "--template", w.ini, "--format", "csv", "--out", w.out, w.csv);
    cr_assert_neq(run.exit_code, 0, "%s", run.err);
    cr_assert(nl_test_contains(run.err, "no 'level' column in the header"), "%s", run.err);
    nl_run_free(&run);
    close_workspace(&w);
}

Test(points, long_files_read_each_score_against_its_skill)
{
    /* E1 as above, one row per assessment; the level cell on the second row only. */
    static const char long_text[] = "id,level,skill,score\n"
                                    "E1,,craft,Specializes\n"
                                    "E1,L1,delivery,System\n"
                                    "E1,,mentoring,M2\n"
                                    "E1,,trainings,6\n"
                                    "E2,L2,delivery,Evangelizes\n";
    workspace w = open_workspace(template_text, long_text);
    nl_run run = RUN("evaluate", "--template", w.ini, "--format", "csv", "--out", w.out, w.csv);
    cr_assert_eq(run.exit_code, 1, "%s", run.err);
    cr_assert(nl_test_contains(run.err, "person E1: the file says L1 but 12 milestone points"),
              "%s", run.err);
    cr_assert(nl_test_contains(run.err, "'Evangelizes' is not a rating of Delivery (its scores "
                                        "run from 0 to 5; its words are Task, Subsystem, System, "
                                        "Organization, Company); it is rating 3 of Craft"),
              "%s", run.err);
    nl_test_table t = read_table(w.out);
    cr_assert_str_eq(nl_test_cell(&t, "E1", "level"), "L2");
    cr_assert_str_eq(nl_test_cell(&t, "E1", "level_in_file"), "L1");
    /* E2's only row was rejected: no milestone points assessed say nothing of the level, so
     * the file's L2 stands, without a warning. */
    cr_assert_str_eq(nl_test_cell(&t, "E2", "level"), "L2");
    cr_assert_str_eq(nl_test_cell(&t, "E2", "level_in_file"), "");
    cr_assert_not(nl_test_contains(run.err, "person E2: the file says"), "%s", run.err);
    nl_test_free_table(&t);
    nl_run_free(&run);
    close_workspace(&w);
}

Test(points, redact_counts_the_disagreements_without_naming_anyone)
{
    workspace w = open_workspace(template_text, matrix_text);
    nl_run run =
        RUN("evaluate", "--redact", "--template", w.ini, "--format", "csv", "--out", w.out, w.csv);
    cr_assert_eq(run.exit_code, 1, "%s", run.err);
    cr_assert_not(nl_test_contains(run.err, "person E1"), "%s", run.err);
    cr_assert(nl_test_contains(run.err, "warning: 2 people whose level cell disagrees with their "
                                        "milestone points"),
              "%s", run.err);
    nl_run_free(&run);
    close_workspace(&w);
}

Test(points, check_lints_points_and_level_ranges_with_lines)
{
    static const char bad[] =
        "[framework]\nname = Bad\nscale = 0..5\npoints = 0:0, 1:3, 2:2\nlevel_from = points\n"
        "[skill craft]\nname = Craft\nfamily = technical\nlabels = 1:Adopts\n"
        "points = Adopts:1, Masters:12\n"
        "[level L1]\ntitle = One\nnext = L2\nmin_points = 5\n"
        "[level L2]\ntitle = Two\nnext = L3\nmin_points = 5\n"
        "[level L3]\ntitle = Three\n"
        "[priorities p]\ntechnical = 1\n"
        "[gate g]\nkind = meets_expectations\nseverity = hard\n";
    workspace w = open_workspace(bad, "id\n");
    nl_run run = RUN("check", w.ini);
    cr_assert_eq(run.exit_code, 3, "%s%s", run.out, run.err);
    const char *all = run.err;
    cr_assert(nl_test_contains(all, "t.ini:4: error: points not increasing in [framework]: 2 "
                                    "earns 2, no more than 3 at 1"),
              "%s", all);
    cr_assert(nl_test_contains(all, "t.ini:10: error: points: 'Masters' is neither a score on "
                                    "the scale nor one of its labels (in [skill craft])"),
              "%s", all);
    nl_run_free(&run);
    close_workspace(&w);
    /* Once the mappings are right, the ladder's own findings. */
    static const char ladder[] =
        "[framework]\nname = Bad\nscale = 0..5\npoints = 0:0, 1:3, 2:5\nlevel_from = points\n"
        "[skill craft]\nname = Craft\nfamily = technical\n"
        "[level L1]\ntitle = One\nnext = L2\nmin_points = 5\n"
        "[level L2]\ntitle = Two\nnext = L3\nmin_points = 5\n"
        "[level L3]\ntitle = Three\n"
        "[priorities p]\ntechnical = 1\n"
        "[gate g]\nkind = meets_expectations\nseverity = hard\n";
    w = open_workspace(ladder, "id\n");
    run = RUN("check", w.ini);
    cr_assert_eq(run.exit_code, 3, "%s%s", run.out, run.err);
    cr_assert(nl_test_contains(run.err, "t.ini:13: error: overlapping level ranges: L1 and L2 "
                                        "both have min_points 5"),
              "%s", run.err);
    cr_assert(nl_test_contains(run.err, "t.ini:17: error: level L3 has no min_points"), "%s",
              run.err);
    nl_run_free(&run);
    close_workspace(&w);
}

Test(points, the_operating_level_walk_checks_points_gates_beyond_the_first_step)
{
    /* Levels from the column; the points gate (threshold 20) is the only hard gate. E1 at L1:
     * craft Masters (2 x 12) + delivery 2 (3) + mentoring 1 (1) = 28 >= 20 for L2 and again for
     * L3: two levels above the title. A walk that did not count points gates as skill gates
     * would find no gate to check at L3 and stop at L2. E2: 2 x 1 + 1 + 1 = 4: none. */
    char column_template[sizeof template_text + 64];
    char *at = strstr(strcpy(column_template, template_text), "level_from = points\n");
    memmove(at, at + strlen("level_from = points\n"),
            strlen(at + strlen("level_from = points\n")) + 1);
    static const char matrix[] = "id,level,craft,delivery,mentoring,trainings\n"
                                 "E1,L1,Masters,2,1,6\n"
                                 "E2,L1,Adopts,1,1,6\n";
    workspace w = open_workspace(column_template, matrix);
    nl_run run = RUN("evaluate", "--template", w.ini, "--format", "csv", "--out", w.out, w.csv);
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    nl_test_table t = read_table(w.out);
    cr_assert_str_eq(nl_test_cell(&t, "E1", "level"), "L1");
    cr_assert_str_eq(nl_test_cell(&t, "E1", "operating_level"), "L3");
    cr_assert_str_eq(nl_test_cell(&t, "E1", "levels_above_title"), "2");
    cr_assert_str_eq(nl_test_cell(&t, "E2", "operating_level"), "L1");
    cr_assert_str_eq(nl_test_cell(&t, "E2", "levels_above_title"), "0");
    nl_test_free_table(&t);
    nl_run_free(&run);
    close_workspace(&w);
}
