/* `nextlevel evaluate`: the operating level (how far up the ladder a person already meets the
 * hard gates) in the CSV, the JSON and the workbook, the Summary's count of people operating
 * two or more levels above their title, and the tracks column naming each track's short
 * skills.
 *
 * Data, written by the tests: the ladder of tests/unit/test_evaluate.c ("the operating
 * level"), where every walk is worked out by hand. L1 -> L2 -> (L3 | M3), L3 -> L4; hard
 * gates: coding meets the next level, the soft family's attainment at least 75%, 12 months in
 * level; soft: no score below 2.
 *   stop0    L1, coding 1: fails L2                                   -> L1, 0
 *   tenure0  L1, all 5 but 6 months: tenure fails the first step       -> L1, 0
 *   one      L1, coding 2, people 2: L2; L3 wants coding 3, M3 people 4 -> L2, 1
 *   two_m    L1, coding 2, people 3: L2, M3 (people 3/4 = 75%)         -> M3, 2
 *   two_tie  L1, coding 3, people 3: L3 and M3 at two steps, L3 listed first -> L3, 2
 *   three    L1, coding 4, people 3: L2, L3, L4                         -> L4, 3
 *   risky    as three, writing 1: Ready with risk (soft floor), soft gates not walked -> L4, 3
 *   from_l2  L2, coding 4, people 3: L3 and M3, then L4                 -> L4, 2
 *   ne       no coding score: Not evaluated                             -> empty
 *   top      L4: Top of ladder                                          -> L4, 0
 * Evaluated (Ready now, Ready with risk, Developing): 8; two or more levels above: two_m,
 * two_tie, three, risky, from_l2: 5. */
#include "test_support.h"

#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RUN(...) nl_test_run((const char *[]){__VA_ARGS__, NULL})

static const char ladder[] =
    "[framework]\nname = Operating\nscale = 1..5\nmissing_scores = not_evaluated\n"
    "[skill coding]\nname = Coding\nfamily = technical\n"
    "[skill people]\nname = People\nfamily = soft\n"
    "[skill writing]\nname = Writing\nfamily = soft\n"
    "[level L1]\ntitle = Engineer\nnext = L2\nexpectations = coding:1, people:1\n"
    "[level L2]\ntitle = Senior Engineer\nnext = L3, M3\nexpectations = coding:2, people:2\n"
    "[level M3]\ntitle = Engineering Manager\nexpectations = coding:2, people:4\n"
    "[level L3]\ntitle = Staff Engineer\nnext = L4\nexpectations = coding:3, people:2\n"
    "[level L4]\ntitle = Principal Engineer\nexpectations = coding:4, people:4\n"
    "[priorities balanced]\ntechnical = 1\nsoft = 1\n"
    "[gate bar]\ntitle = Coding bar\nseverity = hard\nkind = meets_expectations\n"
    "families = technical\n"
    "[gate soft_avg]\ntitle = Soft average\nseverity = hard\nkind = family_average\n"
    "family = soft\nthreshold = 0.75\n"
    "[gate tenure]\ntitle = Tenure\nseverity = hard\nkind = tenure\nmin_months = 12\n"
    "[gate floor]\ntitle = Floor\nseverity = soft\nkind = floor\nmin_score = 2\n"
    "mitigation = Coach the weakest skill.\n";

static const char people[] = "id,name,team,level,months_in_level,coding,people,writing\n"
                             "stop0,Ana Stop,Core,L1,24,1,1,3\n"
                             "tenure0,Ben New,Core,L1,6,5,5,3\n"
                             "one,Cy One,Core,L1,24,2,2,3\n"
                             "two_m,Di Two,Core,L1,24,2,3,3\n"
                             "two_tie,Ed Tie,Apps,L1,24,3,3,3\n"
                             "three,Flo Three,Apps,L1,24,4,3,3\n"
                             "risky,Gus Risk,Apps,L1,24,4,3,1\n"
                             "from_l2,Hal Two,Apps,L2,24,4,3,3\n"
                             "ne,Ivy None,Apps,L1,24,,3,3\n"
                             "top,Jo Top,Apps,L4,24,4,4,4\n";

static const struct {
    const char *id, *level, *above;
} expected[] = {{"stop0", "L1", "0"}, {"tenure0", "L1", "0"}, {"one", "L2", "1"},
                {"two_m", "M3", "2"}, {"two_tie", "L3", "2"}, {"three", "L4", "3"},
                {"risky", "L4", "3"}, {"from_l2", "L4", "2"}, {"ne", "", ""},
                {"top", "L4", "0"}};
#define EXPECTED_COUNT (sizeof expected / sizeof *expected)

typedef nl_test_files fixture;

/* Evaluates the fixture to name in its folder; returns the output's path (free it). */
static char *evaluate(const fixture *f, const char *name)
{
    char *out = nl_test_path_in(f->dir, name);
    nl_run run = RUN("evaluate", "-q", "--template", f->ini, "--out", out, f->csv);
    cr_assert_eq(run.exit_code, 0, "evaluate %s: %s", name, run.err);
    nl_run_free(&run);
    return out;
}

Test(operating, csv_names_the_level_and_the_steps_above_title)
{
    fixture f = nl_test_files_open(ladder, people);
    char *csv = evaluate(&f, "r.csv");
    char *text = nl_test_read_all(csv, NULL);
    nl_test_table t = nl_test_parse_csv(text);
    for (size_t i = 0; i < EXPECTED_COUNT; i++) {
        cr_expect_str_eq(nl_test_cell(&t, expected[i].id, "operating_level"), expected[i].level,
                         "%s", expected[i].id);
        cr_expect_str_eq(nl_test_cell(&t, expected[i].id, "levels_above_title"), expected[i].above,
                         "%s", expected[i].id);
    }
    /* Right after the next level, where a reader of the CSV looks for levels. */
    cr_assert_eq(nl_test_column(&t, "operating_level"), nl_test_column(&t, "next_level_title") + 1);
    /* from_l2 has two tracks, both Ready now; one has two short skills: tracks name them. */
    cr_assert_str_eq(nl_test_cell(&t, "from_l2", "tracks"), "L3: Ready now (100.0); "
                                                            "M3: Ready now (87.5)");
    /* one: L2 Ready now; its own level's plan is empty. stop0: coding 1 -> 2, people 1 -> 2. */
    cr_assert_str_eq(nl_test_cell(&t, "stop0", "tracks"),
                     "L2: Developing (50.0; short: coding, people)");
    cr_assert_str_eq(nl_test_cell(&t, "ne", "tracks"),
                     "L2: Not evaluated (100.0; missing: coding)");
    nl_test_free_table(&t);
    free(text);
    free(csv);
    nl_test_files_close(&f);
}

Test(operating, json_has_the_level_null_when_not_evaluated_and_the_summary_count)
{
    fixture f = nl_test_files_open(ladder, people);
    char *json = evaluate(&f, "r.json");
    json_t *root = nl_test_load_json(json);
    for (size_t i = 0; i < EXPECTED_COUNT; i++) {
        json_t *p = nl_test_json_person(root, expected[i].id);
        json_t *level = json_object_get(p, "operating_level");
        json_t *above = json_object_get(p, "levels_above_title");
        if (expected[i].level[0] == '\0') {
            cr_expect(json_is_null(level) && json_is_null(above), "%s: null expected",
                      expected[i].id);
            continue;
        }
        cr_expect_str_eq(json_string_value(level), expected[i].level, "%s", expected[i].id);
        cr_expect(json_is_integer(above) && json_integer_value(above) == atoi(expected[i].above),
                  "%s: levels_above_title", expected[i].id);
    }
    json_t *summary = json_object_get(root, "summary");
    cr_assert_eq(json_integer_value(json_object_get(summary, "evaluated")), 8);
    cr_assert_eq(
        json_integer_value(json_object_get(summary, "operating two or more levels above title")),
        5);
    /* stop0's one track: short of coding and people. */
    json_t *track =
        json_array_get(json_object_get(nl_test_json_person(root, "stop0"), "tracks"), 0);
    json_t *shorts = json_object_get(track, "short_skills");
    cr_assert_eq(json_array_size(shorts), 2);
    cr_assert_str_eq(json_string_value(json_array_get(shorts, 0)), "coding");
    cr_assert_str_eq(json_string_value(json_array_get(shorts, 1)), "people");
    json_decref(root);
    int schema = nl_test_check_json_schema(json);
    if (schema != 77)
        cr_assert_eq(schema, 0, "the JSON does not match docs/results.schema.json");
    free(json);
    nl_test_files_close(&f);
}

Test(operating, summary_csv_counts_people_two_levels_up)
{
    fixture f = nl_test_files_open(ladder, people);
    char *csv = evaluate(&f, "r.csv");
    char *summary_path = nl_test_path_in(f.dir, "r.summary.csv");
    char *text = nl_test_read_all(summary_path, NULL);
    cr_assert(nl_test_contains(text, "\noperating,two or more levels above their title,5,"), "%s",
              text);
    free(text);
    free(summary_path);
    free(csv);
    nl_test_files_close(&f);
}

/* Runs check_operating.py on a workbook and returns its report (free it). */
static char *look(const char *xlsx)
{
    char command[8192];
    snprintf(command, sizeof command, "/usr/bin/python3 tests/tools/check_operating.py '%s'", xlsx);
    return nl_test_capture(command);
}

/* What a VP reads: the Summary says how many operate two or more levels above their title,
 * and the Readiness sheet's printed page shows each person's operating level and the steps
 * above title as a number. */
NL_ENV_TEST(operating, the_workbook_shows_it_on_the_summary_and_the_printed_readiness_page,
            .timeout = 60)
{
    if (nl_test_shell("/usr/bin/python3 -c 'import openpyxl' 2>/dev/null") != 0)
        nl_test_skip_env("python3-openpyxl is not installed");
    fixture f = nl_test_files_open(ladder, people);
    char *xlsx = evaluate(&f, "r.xlsx");
    char *report = look(xlsx);
    cr_assert(nl_test_contains(report,
                               "summary: 5 of 8 people evaluated are operating two or more levels "
                               "above their title"),
              "%s", report);
    cr_assert(nl_test_contains(report, "person: two_m|M3|2\n"), "%s", report);
    cr_assert(nl_test_contains(report, "person: three|L4|3\n"), "%s", report);
    cr_assert(nl_test_contains(report, "person: stop0|L1|0\n"), "%s", report);
    cr_assert(nl_test_contains(report, "person: ne||\n"), "%s", report);
    cr_assert(nl_test_contains(report, "kind: int\n"), "%s", report);
    /* The level on the printed page; the steps, which Level and Operating level already say
     * there, first thing beside it on screen. */
    cr_assert(nl_test_contains(report, "printed: operating level yes, levels above title no\n"),
              "%s", report);
    free(report);
    free(xlsx);
    nl_test_files_close(&f);
}

/* A team pack counts its own people: Apps has two_tie, three, risky and from_l2 evaluated, all
 * two or more levels up; Core has stop0, tenure0, one and two_m, of whom two_m is. */
NL_ENV_TEST(operating, each_team_pack_counts_its_own_people, .timeout = 60)
{
    if (nl_test_shell("/usr/bin/python3 -c 'import openpyxl' 2>/dev/null") != 0)
        nl_test_skip_env("python3-openpyxl is not installed");
    fixture f = nl_test_files_open(ladder, people);
    char *packs = nl_test_path_in(f.dir, "teams");
    char *xlsx = nl_test_path_in(f.dir, "r.xlsx");
    nl_run run = RUN("evaluate", "-q", "--template", f.ini, "--split-by", "team", "--out-dir",
                     packs, "--out", xlsx, f.csv);
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    nl_run_free(&run);
    static const struct {
        const char *team, *line;
    } want[] = {{"Apps", "summary: 4 of 4 people evaluated are operating two or more levels"},
                {"Core", "summary: 1 of 4 people evaluated is operating two or more levels"}};
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        char pack[4096];
        snprintf(pack, sizeof pack, "%s/%s.xlsx", packs, want[i].team);
        char *report = look(pack);
        cr_expect(nl_test_contains(report, want[i].line), "%s: %s", want[i].team, report);
        free(report);
    }
    free(packs);
    free(xlsx);
    nl_test_files_close(&f);
}

/* What rendering the samples' workbook showed (LibreOffice, before and after, also with last
 * quarter and --calibrate, whose Summary and Readiness pages are the fullest): a Summary line
 * pushed the last slate rows onto a second Summary page, and the two new columns, with level
 * titles, made the printed Readiness sheet three sheets of paper across instead of two (21
 * pages became 32 to 36). Nobody in the samples operates two levels up: the Summary has no
 * such line, and the printed columns cost no sheet across. */
NL_ENV_TEST(operating, the_samples_print_as_before_no_summary_line_no_page_across, .timeout = 60)
{
    if (nl_test_shell("/usr/bin/python3 -c 'import openpyxl' 2>/dev/null") != 0)
        nl_test_skip_env("python3-openpyxl is not installed");
    char *dir = nl_test_temp_dir();
    char *xlsx = nl_test_path_in(dir, "samples.xlsx");
    nl_run run =
        RUN("evaluate", "-q", "--template", "templates/engineering-ic.ini", "--previous",
            "samples/previous-quarter", "--calibrate", "--out", xlsx, "samples/platform.csv",
            "samples/payments.csv", "samples/mobile.csv", "samples/design-systems-long.csv",
            "samples/messy-export.csv", "samples/security.csv", "samples/infrastructure.csv");
    cr_assert_eq(run.exit_code, 1, "%s", run.err); /* messy-export.csv has rejected rows */
    nl_run_free(&run);
    char *report = look(xlsx);
    cr_assert(nl_test_contains(report, "summary lines: 0\n"), "%s", report);
    const char *pages = strstr(report, "pages across: ");
    cr_assert_not_null(pages, "%s", report);
    int with = 0, scale = 0, without = 0;
    cr_assert_eq(
        sscanf(pages, "pages across: %d at %d%%; without them: %d", &with, &scale, &without), 3,
        "%s", report);
    cr_assert_eq(with, without, "the operating columns add a sheet of paper across: %s", pages);
    cr_assert_geq(scale, 73);
    free(report);
    free(xlsx);
    nl_test_remove_tree(dir);
}

/* The headline track on the samples: E1601 (infrastructure.csv, L3, rated by a severe manager)
 * is Developing on both tracks; M1 scores higher (68.9 against 66.1) but L4's plan is shorter
 * (10.5 score points of raises against 11.5, the sums of the plans' raises in the JSON):
 * the headline is L4, the nearest way up (before, the higher score made it M1). */
Test(operating, the_headline_track_is_the_nearest_way_up_on_the_samples)
{
    char *dir = nl_test_temp_dir();
    char *csv = nl_test_path_in(dir, "r.csv");
    nl_run run = RUN("evaluate", "-q", "--template", "templates/engineering-ic.ini", "--out", csv,
                     "samples/infrastructure.csv");
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    nl_run_free(&run);
    char *text = nl_test_read_all(csv, NULL);
    nl_test_table t = nl_test_parse_csv(text);
    cr_assert_str_eq(nl_test_cell(&t, "E1601", "outcome"), "Developing");
    cr_assert_str_eq(nl_test_cell(&t, "E1601", "next_level"), "L4");
    cr_assert_str_eq(nl_test_cell(&t, "E1601", "readiness_score"), "66.1111");
    cr_assert_str_eq(nl_test_cell(&t, "E1601", "distance_to_ready"), "10.5");
    cr_assert(
        nl_test_contains(nl_test_cell(&t, "E1601", "tracks"), "; M1: Developing (68.9; short: "),
        "%s", nl_test_cell(&t, "E1601", "tracks"));
    nl_test_free_table(&t);
    free(text);
    free(csv);
    nl_test_remove_tree(dir);
}
