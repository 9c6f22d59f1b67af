/* `nextlevel evaluate --budget N` and the template's [slate] budgets: the promotion budget's
 * ranking in the CSV, the JSON (per person and the summary's slate block, against the schema)
 * and the workbook's Summary line; per-team budgets; ties at the cut; usage errors and the
 * lint of [slate]; and that a run without a budget writes what it wrote before.
 *
 * Data, written by the tests. L1 -> L2 expects a:4, b:4; one profile (technical 1, soft 1),
 * so everyone is robust. Hard gate: a meets the expectation; soft gate: readiness >= 90.
 * Readiness is the mean of min(score / expectation, 1) over the two families, x 100:
 *   p1, p2, p3  a 4, b 4    100   Ready now, distance 0   (equal on every key but the id)
 *   p4          a 4, b 3.8  97.5  Ready now, distance 0
 *   p5          a 4, b 3    87.5  Ready with risk (readiness below 90)
 *   p6          a 3, b 4    87.5  Developing (a below 4): never a candidate
 * The budget's order is therefore p1, p2, p3 (ranks 1-3, by id), p4, p5.
 *   --budget 2: the cut falls inside p1..p3: all three tied at the cut for 2 slots, p4 and p5
 *               below, nobody plainly on.
 *   --budget 3: the tie ends at the cut: p1..p3 on, p4 and p5 below.
 *   --budget 4: p1..p4 on, p5 below.
 * Teams: A = p1, p2, p4; B = p3, p5, p6. With budget.A = 1 and budget.B = 2: in A, p1 and p2
 * tie for 1 slot (ranks 1, 2) and p4 (rank 3) is below; in B, p3 (rank 1) and p5 (rank 2) are
 * on. */
#include "test_support.h"

#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RUN(...) nl_test_run((const char *[]){__VA_ARGS__, NULL})

static const char framework[] = "[framework]\nname = Budget\nscale = 1..5\n"
                                "[skill a]\nname = A\nfamily = technical\n"
                                "[skill b]\nname = B\nfamily = soft\n"
                                "[level L1]\ntitle = Engineer\nnext = L2\nexpectations = a:1, b:1\n"
                                "[level L2]\ntitle = Senior Engineer\nexpectations = a:4, b:4\n"
                                "[priorities balanced]\ntechnical = 1\nsoft = 1\n"
                                "[gate bar]\ntitle = Technical bar\nseverity = hard\n"
                                "kind = meets_expectations\nfamilies = technical\n"
                                "[gate ready]\ntitle = Overall readiness\nseverity = soft\n"
                                "kind = readiness_score\nthreshold = 90\n"
                                "mitigation = Review the evidence.\n";

static const char people[] = "id,name,team,level,a,b\n"
                             "p1,Ana One,A,L1,4,4\n"
                             "p2,Ben Two,A,L1,4,4\n"
                             "p3,Cy Three,B,L1,4,4\n"
                             "p4,Di Four,A,L1,4,3.8\n"
                             "p5,Ed Five,B,L1,4,3\n"
                             "p6,Flo Six,B,L1,3,4\n";

typedef nl_test_files fixture;

/* The fixture's folder, with the framework followed by extra (a [slate] section, or ""). */
static fixture open_fixture(const char *extra)
{
    size_t len = strlen(framework) + strlen(extra) + 1;
    char *text = malloc(len);
    cr_assert_not_null(text);
    snprintf(text, len, "%s%s", framework, extra);
    fixture f = nl_test_files_open(text, people);
    free(text);
    return f;
}

/* Evaluates the fixture to name in its folder, with budget (NULL: none); returns the output's
 * path (free it). */
static char *evaluate(const fixture *f, const char *name, const char *budget)
{
    char *out = nl_test_path_in(f->dir, name);
    nl_run run = budget ? RUN("evaluate", "-q", "--template", f->ini, "--out", out, "--budget",
                              budget, f->csv)
                        : RUN("evaluate", "-q", "--template", f->ini, "--out", out, f->csv);
    cr_assert_eq(run.exit_code, 0, "evaluate %s: %s", name, run.err);
    nl_run_free(&run);
    return out;
}

typedef struct expected_mark {
    const char *id, *rank, *mark;
} expected_mark;

/* The CSV's slate_rank and on_slate of every person of the fixture. */
static void expect_csv(const char *csv, const expected_mark *want)
{
    char *text = nl_test_read_all(csv, NULL);
    nl_test_table t = nl_test_parse_csv(text);
    for (size_t i = 0; i < 6; i++) {
        cr_expect_str_eq(nl_test_cell(&t, want[i].id, "slate_rank"), want[i].rank, "%s rank",
                         want[i].id);
        cr_expect_str_eq(nl_test_cell(&t, want[i].id, "on_slate"), want[i].mark, "%s mark",
                         want[i].id);
    }
    nl_test_free_table(&t);
    free(text);
}

Test(budget, csv_marks_everyone_tied_across_the_cut)
{
    fixture f = open_fixture("");
    char *csv = evaluate(&f, "r.csv", "2");
    static const expected_mark want[] = {
        {"p1", "1", "tied at the cut"}, {"p2", "2", "tied at the cut"},
        {"p3", "3", "tied at the cut"}, {"p4", "4", "below the cut"},
        {"p5", "5", "below the cut"},   {"p6", "", ""}};
    expect_csv(csv, want);
    char *summary_path = nl_test_path_in(f.dir, "r.summary.csv");
    char *summary = nl_test_read_all(summary_path, NULL);
    cr_assert(nl_test_contains(summary, "\nslate,budget,2,"), "%s", summary);
    cr_assert(nl_test_contains(summary, "\nslate,candidates,5,"), "%s", summary);
    cr_assert(nl_test_contains(summary, "\nslate,on the slate,0,"), "%s", summary);
    cr_assert(nl_test_contains(summary, "\nslate,tied at the cut,3,"), "%s", summary);
    cr_assert(nl_test_contains(summary, "\nslate,slots for those tied,2,"), "%s", summary);
    free(summary);
    free(summary_path);
    free(csv);
    nl_test_files_close(&f);
}

Test(budget, a_tie_that_ends_at_the_cut_puts_all_of_it_on)
{
    fixture f = open_fixture("");
    char *csv = evaluate(&f, "three.csv", "3");
    static const expected_mark three[] = {
        {"p1", "1", "on the slate"},  {"p2", "2", "on the slate"},  {"p3", "3", "on the slate"},
        {"p4", "4", "below the cut"}, {"p5", "5", "below the cut"}, {"p6", "", ""}};
    expect_csv(csv, three);
    free(csv);
    csv = evaluate(&f, "four.csv", "4");
    static const expected_mark four[] = {{"p1", "1", "on the slate"},  {"p2", "2", "on the slate"},
                                         {"p3", "3", "on the slate"},  {"p4", "4", "on the slate"},
                                         {"p5", "5", "below the cut"}, {"p6", "", ""}};
    expect_csv(csv, four);
    free(csv);
    nl_test_files_close(&f);
}

Test(budget, json_has_each_persons_mark_and_the_summary_block)
{
    fixture f = open_fixture("");
    char *json = evaluate(&f, "r.json", "2");
    json_t *root = nl_test_load_json(json);
    json_t *p3 = nl_test_json_person(root, "p3");
    cr_assert_eq(json_integer_value(json_object_get(p3, "slate_rank")), 3);
    cr_assert_str_eq(nl_test_json_str(p3, "on_slate"), "tied at the cut");
    json_t *p6 = nl_test_json_person(root, "p6");
    cr_assert(json_is_null(json_object_get(p6, "slate_rank")));
    cr_assert_str_eq(nl_test_json_str(p6, "on_slate"), "");
    json_t *slate = json_object_get(json_object_get(root, "summary"), "slate");
    cr_assert_not_null(slate, "no summary.slate");
    cr_assert_str_eq(nl_test_json_str(slate, "scope"), "organisation");
    cr_assert_str_eq(nl_test_json_str(slate, "from"), "--budget");
    cr_assert_eq(json_integer_value(json_object_get(slate, "budget")), 2);
    cr_assert_eq(json_integer_value(json_object_get(slate, "candidates")), 5);
    cr_assert_eq(json_integer_value(json_object_get(slate, "on the slate")), 0);
    cr_assert_eq(json_integer_value(json_object_get(slate, "tied at the cut")), 3);
    cr_assert_eq(json_integer_value(json_object_get(slate, "slots for those tied")), 2);
    json_decref(root);
    int schema = nl_test_check_json_schema(json);
    if (schema != 77)
        cr_assert_eq(schema, 0, "the JSON does not match docs/results.schema.json");
    free(json);
    nl_test_files_close(&f);
}

Test(budget, per_team_budgets_from_the_template_cut_each_team)
{
    fixture f = open_fixture("[slate]\nbudget.A = 1\nbudget.B = 2\n");
    char *csv = evaluate(&f, "r.csv", NULL);
    static const expected_mark want[] = {
        {"p1", "1", "tied at the cut"}, {"p2", "2", "tied at the cut"}, {"p3", "1", "on the slate"},
        {"p4", "3", "below the cut"},   {"p5", "2", "on the slate"},    {"p6", "", ""}};
    expect_csv(csv, want);
    free(csv);
    char *json = evaluate(&f, "r.json", NULL);
    json_t *root = nl_test_load_json(json);
    json_t *slate = json_object_get(json_object_get(root, "summary"), "slate");
    cr_assert_str_eq(nl_test_json_str(slate, "scope"), "team");
    cr_assert_str_eq(nl_test_json_str(slate, "from"), "template");
    cr_assert_eq(json_integer_value(json_object_get(slate, "budget")), 3);
    cr_assert_eq(json_integer_value(json_object_get(slate, "on the slate")), 2);
    cr_assert_eq(json_integer_value(json_object_get(slate, "tied at the cut")), 2);
    cr_assert_eq(json_integer_value(json_object_get(slate, "slots for those tied")), 1);
    json_t *teams = json_object_get(slate, "teams");
    cr_assert_eq(json_array_size(teams), 2);
    json_t *a = json_array_get(teams, 0);
    cr_assert_str_eq(nl_test_json_str(a, "team"), "A");
    cr_assert_eq(json_integer_value(json_object_get(a, "budget")), 1);
    cr_assert_eq(json_integer_value(json_object_get(a, "tied at the cut")), 2);
    json_decref(root);
    free(json);
    /* --budget replaces the template's budgets: one organisation-wide ranking again. */
    csv = evaluate(&f, "org.csv", "4");
    static const expected_mark org[] = {{"p1", "1", "on the slate"},  {"p2", "2", "on the slate"},
                                        {"p3", "3", "on the slate"},  {"p4", "4", "on the slate"},
                                        {"p5", "5", "below the cut"}, {"p6", "", ""}};
    expect_csv(csv, org);
    free(csv);
    nl_test_files_close(&f);
}

Test(budget, the_template_organisation_budget_is_used)
{
    fixture f = open_fixture("[slate]\nbudget = 3\n");
    char *csv = evaluate(&f, "r.csv", NULL);
    static const expected_mark want[] = {{"p1", "1", "on the slate"},  {"p2", "2", "on the slate"},
                                         {"p3", "3", "on the slate"},  {"p4", "4", "below the cut"},
                                         {"p5", "5", "below the cut"}, {"p6", "", ""}};
    expect_csv(csv, want);
    free(csv);
    nl_test_files_close(&f);
}

Test(budget, the_summary_sheet_says_the_budget_and_the_tie_in_one_line)
{
    fixture f = open_fixture("");
    char *xlsx = evaluate(&f, "r.xlsx", "2");
    char *dir = nl_test_unzip(xlsx);
    /* The Summary is the first sheet; its texts are inline strings. */
    char *strings = nl_test_xlsx_part(dir, "xl/worksheets/sheet1.xml");
    cr_assert(nl_test_contains(strings, "Budget (--budget): 2 slots, 5 candidates, 0 on the "
                                        "slate; tied at the cut: 3 people for 2 slots. The 4 "
                                        "Ready now, top 3 per next level:"),
              "no budget line on the Summary");
    free(strings);
    nl_test_remove_tree(dir);
    free(xlsx);
    nl_test_files_close(&f);
}

/* Without a budget, none of it: no columns, no JSON members, no Summary line. */
Test(budget, no_budget_adds_nothing)
{
    fixture f = open_fixture("");
    char *csv = evaluate(&f, "r.csv", NULL);
    char *text = nl_test_read_all(csv, NULL);
    cr_assert(!nl_test_contains(text, "slate_rank") && !nl_test_contains(text, "on_slate"));
    free(text);
    char *summary_path = nl_test_path_in(f.dir, "r.summary.csv");
    text = nl_test_read_all(summary_path, NULL);
    cr_assert(!nl_test_contains(text, "\nslate,"));
    free(text);
    free(summary_path);
    free(csv);
    char *json = evaluate(&f, "r.json", NULL);
    text = nl_test_read_all(json, NULL);
    cr_assert(!nl_test_contains(text, "slate"), "the JSON mentions a slate without a budget");
    free(text);
    free(json);
    char *xlsx = evaluate(&f, "r.xlsx", NULL);
    char *dir = nl_test_unzip(xlsx);
    char *strings = nl_test_xlsx_part(dir, "xl/worksheets/sheet1.xml");
    cr_assert(nl_test_contains(strings, "The slate is everyone Ready now"));
    cr_assert(!nl_test_contains(strings, "Ready now or with risk"));
    free(strings);
    nl_test_remove_tree(dir);
    free(xlsx);
    nl_test_files_close(&f);
}

Test(budget, a_budget_that_is_not_a_whole_number_is_a_usage_error)
{
    fixture f = open_fixture("");
    char *out = nl_test_path_in(f.dir, "r.csv");
    static const char *const bad[] = {"-1", "2.5", "", "ten", "1000001", "+3"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        nl_run run =
            RUN("evaluate", "-q", "--template", f.ini, "--out", out, "--budget", bad[i], f.csv);
        cr_expect_eq(run.exit_code, 2, "--budget '%s': exit %d", bad[i], run.exit_code);
        cr_expect(nl_test_contains(run.err, "--budget must be a whole number"), "%s", run.err);
        nl_run_free(&run);
    }
    free(out);
    nl_test_files_close(&f);
}

Test(budget, check_refuses_both_kinds_of_budget_and_bad_slots)
{
    static const struct {
        const char *slate, *message;
    } cases[] = {
        {"[slate]\nbudget = 3\nbudget.A = 1\n", "give one or the other"},
        {"[slate]\nbudget = 2.5\n", "whole number of promotion slots"},
        {"[slate]\nbudget.A = -1\n", "whole number of promotion slots"},
        {"[slate]\nbudget. = 1\n", "needs a team after the dot"},
        {"[slate]\nslots = 3\n", "unknown key 'slots' in [slate]"},
        {"[slate]\nbudget = 1\n[slate]\nbudget = 2\n", "[slate] is given more than once"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        fixture f = open_fixture(cases[i].slate);
        nl_run run = RUN("check", f.ini);
        cr_expect_neq(run.exit_code, 0, "case %zu: check accepted it", i);
        cr_expect(nl_test_contains(run.out, cases[i].message) ||
                      nl_test_contains(run.err, cases[i].message),
                  "case %zu: no '%s' in %s%s", i, cases[i].message, run.out, run.err);
        nl_run_free(&run);
        nl_test_files_close(&f);
    }
    fixture f = open_fixture("[slate]\nbudget.A = 1\nbudget.B = 0\n");
    nl_run run = RUN("check", f.ini);
    cr_assert_eq(run.exit_code, 0, "%s%s", run.out, run.err);
    nl_run_free(&run);
    nl_test_files_close(&f);
}

/* ---- --threshold ---- */

/* The person table of an evaluate run of ini to CSV, with extra arguments (NULL-ended): every
 * person's outcome, scores, reasons, plan and each gate's status, required value and reason.
 * (CSV, not JSON: the JSON's schema check per run would cost seconds here.) Free it. */
static char *people_of(const fixture *f, const char *ini, const char *name,
                       const char *const *extra)
{
    char *out = nl_test_path_in(f->dir, name);
    const char *args[16] = {"evaluate", "-q", "--template", ini, "--out", out};
    size_t n = 6;
    for (size_t i = 0; extra != NULL && extra[i] != NULL; i++)
        args[n++] = extra[i];
    args[n++] = f->csv;
    args[n] = NULL;
    nl_run run = nl_test_run(args);
    cr_assert_eq(run.exit_code, 0, "evaluate %s: %s", name, run.err);
    nl_run_free(&run);
    char *text = nl_test_read_all(out, NULL);
    free(out);
    return text;
}

/* ini_text as a template file in the fixture's folder; returns its path (free it). */
static char *write_template(const fixture *f, const char *name, const char *ini_text)
{
    char *path = nl_test_path_in(f->dir, name);
    nl_test_write_text(path, ini_text);
    return path;
}

/* The framework with its "threshold = 90" line replaced by replacement. */
static char *edited_framework(const char *replacement)
{
    const char *at = strstr(framework, "threshold = 90\n");
    cr_assert_not_null(at);
    size_t head = (size_t)(at - framework), len = strlen(framework) + strlen(replacement) + 1;
    char *text = malloc(len);
    cr_assert_not_null(text);
    snprintf(text, len, "%.*s%s%s", (int)head, framework, replacement,
             at + strlen("threshold = 90\n"));
    return text;
}

/* Every person's row (outcome, scores, gates with their required values, reasons, plans)
 * equal between a --threshold run and a run of the template edited to the same threshold. */
static void expect_same_as_edit(const char *const *options, const char *base_threshold,
                                const char *edited_threshold)
{
    fixture f = open_fixture("");
    char *base_text = edited_framework(base_threshold);
    char *edit_text = edited_framework(edited_threshold);
    char *base = write_template(&f, "base.ini", base_text);
    char *edit = write_template(&f, "edit.ini", edit_text);
    char *overridden = people_of(&f, base, "overridden.csv", options);
    char *edited = people_of(&f, edit, "edited.csv", NULL);
    char *untouched = people_of(&f, base, "untouched.csv", NULL);
    cr_assert_str_eq(overridden, edited, "--threshold and the edited template disagree");
    /* p5 (87.5) crosses the threshold: the test would pass vacuously otherwise. */
    cr_assert_str_neq(overridden, untouched, "the threshold changed nobody");
    free(overridden);
    free(edited);
    free(untouched);
    free(base);
    free(edit);
    free(base_text);
    free(edit_text);
    nl_test_files_close(&f);
}

Test(threshold, a_gate_threshold_decides_as_the_edited_template_does)
{
    /* 85: p5's 87.5 now passes, so p5 is Ready now, as with threshold = 85 in the file. */
    expect_same_as_edit((const char *[]){"--threshold", "ready=85", NULL}, "threshold = 90\n",
                        "threshold = 85\n");
}

Test(threshold, every_level_replaces_the_per_level_thresholds_too)
{
    /* The template sets L2's own 95; ready=85 sets every level, threshold.L2 included. */
    expect_same_as_edit((const char *[]){"--threshold", "ready=85", NULL},
                        "threshold = 90\nthreshold.L2 = 95\n",
                        "threshold = 85\nthreshold.L2 = 85\n");
}

Test(threshold, one_level_sets_that_levels_threshold)
{
    expect_same_as_edit((const char *[]){"--threshold", "ready.L2=85", NULL}, "threshold = 90\n",
                        "threshold = 90\nthreshold.L2 = 85\n");
    /* Repeated, in order: the level's value after the gate's. The level by its title too. */
    expect_same_as_edit((const char *[]){"--threshold", "ready=99", "--threshold",
                                         "ready.Senior Engineer=85", NULL},
                        "threshold = 90\n", "threshold = 99\nthreshold.L2 = 85\n");
}

Test(threshold, outputs_say_the_threshold_was_set_on_the_command_line)
{
    fixture f = open_fixture("");
    char *json = nl_test_path_in(f.dir, "r.json");
    nl_run run = RUN("evaluate", "-q", "--template", f.ini, "--out", json, "--threshold",
                     "ready=85", "--threshold", "ready.L2=88", f.csv);
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    nl_run_free(&run);
    json_t *root = nl_test_load_json(json);
    json_t *list = json_object_get(root, "thresholds_overridden");
    cr_assert_eq(json_array_size(list), 2);
    cr_assert_str_eq(nl_test_json_str(json_array_get(list, 0), "gate"), "ready");
    cr_assert(json_is_null(json_object_get(json_array_get(list, 0), "level")));
    cr_assert_str_eq(nl_test_json_str(json_array_get(list, 1), "level"), "L2");
    cr_assert_eq(json_number_value(json_object_get(json_array_get(list, 1), "threshold")), 88);
    json_decref(root);
    char *xlsx = nl_test_path_in(f.dir, "r.xlsx");
    run =
        RUN("evaluate", "-q", "--template", f.ini, "--out", xlsx, "--threshold", "ready=85", f.csv);
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    nl_run_free(&run);
    char *dir = nl_test_unzip(xlsx);
    char *summary = nl_test_xlsx_part(dir, "xl/worksheets/sheet1.xml");
    cr_assert(nl_test_contains(summary, "What-if thresholds (--threshold): ready 85."));
    free(summary);
    nl_test_remove_tree(dir);
    /* Without it, the JSON has no such member. */
    run = RUN("evaluate", "-q", "--template", f.ini, "--out", json, f.csv);
    nl_run_free(&run);
    root = nl_test_load_json(json);
    cr_assert_null(json_object_get(root, "thresholds_overridden"));
    json_decref(root);
    free(xlsx);
    free(json);
    nl_test_files_close(&f);
}

Test(threshold, a_bad_threshold_is_a_usage_error_naming_it)
{
    static const struct {
        const char *spec, *message;
    } cases[] = {
        {"nope=80", "the template has no gate 'nope'"},
        {"bar=80", "gate bar is a meets_expectations gate"},
        {"ready=101", "from 0 to 100, not '101'"},
        {"ready=-1", "from 0 to 100, not '-1'"},
        {"ready=high", "from 0 to 100, not 'high'"},
        {"ready.L9=80", "'ready.L9=80' names no level"},
        {"ready", "must read GATE=VALUE"},
    };
    fixture f = open_fixture("");
    char *out = nl_test_path_in(f.dir, "r.csv");
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        nl_run run = RUN("evaluate", "-q", "--template", f.ini, "--out", out, "--threshold",
                         cases[i].spec, f.csv);
        cr_expect_eq(run.exit_code, 2, "%s: exit %d", cases[i].spec, run.exit_code);
        cr_expect(nl_test_contains(run.err, cases[i].message), "%s: %s", cases[i].spec, run.err);
        nl_run_free(&run);
    }
    free(out);
    nl_test_files_close(&f);
}

Test(budget, check_prints_the_templates_budget)
{
    fixture f = open_fixture("[slate]\nbudget.A = 1\nbudget.B = 2\n");
    nl_run run = RUN("check", f.ini);
    cr_assert_eq(run.exit_code, 0, "%s%s", run.out, run.err);
    cr_assert(nl_test_contains(run.out, "promotion budget per team: A 1, B 2 (--budget overrides "
                                        "it)\n"),
              "%s", run.out);
    nl_run_free(&run);
    nl_test_files_close(&f);
    f = open_fixture("");
    run = RUN("check", f.ini);
    cr_assert(!nl_test_contains(run.out, "promotion budget"), "%s", run.out);
    nl_run_free(&run);
    nl_test_files_close(&f);
}

/* A team's pack is ranked in the organisation: its Summary says the figures are the
 * organisation's, not the team's. */
Test(budget, a_packs_summary_names_the_organisations_budget)
{
    fixture f = open_fixture("");
    char *out = nl_test_path_in(f.dir, "r.xlsx");
    char *packs = nl_test_path_in(f.dir, "packs");
    nl_run run = RUN("evaluate", "-q", "--template", f.ini, "--out", out, "--budget", "2",
                     "--split-by", "team", "--out-dir", packs, f.csv);
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    nl_run_free(&run);
    char *paths[8];
    size_t n = nl_test_list_files(packs, paths, 8);
    cr_assert_eq(n, 2, "%zu packs", n);
    for (size_t i = 0; i < n; i++) {
        char *pack = nl_test_path_in(packs, paths[i]);
        char *dir = nl_test_unzip(pack);
        char *summary = nl_test_xlsx_part(dir, "xl/worksheets/sheet1.xml");
        cr_expect(nl_test_contains(summary, "Organisation's budget (--budget): 2 slots, 5 "
                                            "candidates, 0 on the slate; tied at the cut"),
                  "%s", paths[i]);
        free(summary);
        nl_test_remove_tree(dir);
        free(pack);
        free(paths[i]);
    }
    free(packs);
    free(out);
    nl_test_files_close(&f);
}
