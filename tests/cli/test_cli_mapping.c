/* Column mappings checked before any evaluation (issue 15, item 3): one header column may feed
 * several fields (each reads the same cell); `check` says which; a level sharing the id's column
 * is no longer a false "no 'Level' column"; `inspect` lists per file the columns the template
 * needs that are missing and the gates left unchecked; `evaluate` warns per file, and stops with
 * exit 3 when no file has what a hard gate reads, unless --allow-missing-columns.
 *
 * The fixtures are in tests/cases/exports/mapping/ (NOTE.md). Both templates have skills coding
 * and mentoring, level A -> B, B expecting 4 in each, families weighing 1:
 * R = 100 * (min(coding / 4, 1) + min(mentoring / 4, 1)) / 2, and readiness >= 75 (hard). */
#include "test_support.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define RUN(...)   nl_test_run((const char *[]){__VA_ARGS__, NULL})
#define DIR        "tests/cases/exports/mapping/"
#define SHARED     DIR "shared.ini"
#define LEVEL_ID   DIR "level-id.ini"
#define GATES      DIR "gates.ini"
#define COMPLETE   DIR "complete.csv"
#define NO_MONTHS  DIR "missing-months.csv"
#define MISSPELLED DIR "misspelled-visibility.csv"

/* shared.ini: attribute rating reads the Coding column (hard gate rating >= 3), attribute
 * experience reads Months in level (soft gate experience >= 12), tenure >= 6 (hard).
 * shared.csv by hand:
 *   E1: coding 4, mentoring 4 -> R 100; rating 4, experience 14, tenure 14: Ready now.
 *   E2: coding 2 -> R = 100 * (0.5 + 1) / 2 = 75 (passes 75); rating 2 < 3 fails: Developing.
 *   E3: coding "Advanced" (the label of 4) -> R 100, rating 4; experience 9 < 12 (soft):
 *       Ready with risk.
 * Before, the Coding column fed only the attribute and Months in level only the months: every
 * person came out Not evaluated, exit 0, and check said nothing. */
Test(cli_mapping, one_column_feeds_several_fields)
{
    nl_run run = RUN("check", SHARED);
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    cr_assert(nl_test_contains(run.out, "column \"Coding\" feeds attribute rating and skill "
                                        "coding: each reads the same cell\n"),
              "%s", run.out);
    cr_assert(nl_test_contains(run.out, "column \"Months in level\" feeds months_in_level and "
                                        "attribute experience: each reads the same cell\n"),
              "%s", run.out);
    nl_run_free(&run);

    char *dir = nl_test_temp_dir();
    char *out = nl_test_path_in(dir, "r.csv");
    run = RUN("evaluate", "--template", SHARED, "--out", out, DIR "shared.csv");
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    char *text = nl_test_read_all(out, NULL);
    nl_test_table t = nl_test_parse_csv(text);
    cr_assert_str_eq(nl_test_cell(&t, "E1", "outcome"), "Ready now");
    cr_assert_str_eq(nl_test_cell(&t, "E1", "name"), "Ada Müller");
    cr_assert_str_eq(nl_test_cell(&t, "E2", "outcome"), "Developing");
    cr_assert_str_eq(nl_test_cell(&t, "E2", "readiness_score"), "75");
    cr_assert(nl_test_contains(nl_test_cell(&t, "E2", "reasons"), "Coding rating failed"), "%s",
              nl_test_cell(&t, "E2", "reasons"));
    cr_assert_str_eq(nl_test_cell(&t, "E3", "outcome"), "Ready with risk");
    cr_assert(nl_test_contains(nl_test_cell(&t, "E3", "risks"), "Experience failed"), "%s",
              nl_test_cell(&t, "E3", "risks"));
    nl_test_free_table(&t);
    free(text);
    nl_run_free(&run);
    free(out);
    nl_test_remove_tree(dir);
}

/* level-id.ini: [columns] id = Employee, level = Employee. */
Test(cli_mapping, a_level_sharing_the_ids_column_is_read_not_called_missing)
{
    nl_run run = RUN("check", LEVEL_ID);
    cr_assert_eq(run.exit_code, 0, "a warning does not make the template unusable: %s", run.err);
    cr_assert(nl_test_contains(run.err, "level-id.ini: warning: [columns] level and id name the "
                                        "same column 'Employee': each row's level would be its "
                                        "id, which is no level\n"),
              "%s", run.err);
    cr_assert(nl_test_contains(run.out, "result: usable, 1 warning"), "%s", run.out);
    nl_run_free(&run);
    run = RUN("inspect", "--template", LEVEL_ID, DIR "level-id.csv");
    cr_assert_eq(run.exit_code, 1, "%s%s", run.out, run.err);
    cr_assert_not(nl_test_contains(run.err, "no 'Employee' column"), "%s", run.err);
    cr_assert(nl_test_contains(run.out, "level-id.csv:2:1: person E1: level 'E1' is not one of the "
                                        "template's levels (A to B)"),
              "%s", run.out);
    nl_run_free(&run);
}

Test(cli_mapping, inspect_lists_the_missing_columns_and_the_gates_left_unchecked)
{
    nl_run run = RUN("inspect", "--template", GATES, COMPLETE, NO_MONTHS, MISSPELLED);
    cr_assert_eq(run.exit_code, 0, "%s%s", run.out, run.err);
    const char *complete = strstr(run.out, COMPLETE ": wide format");
    const char *no_months = strstr(run.out, NO_MONTHS ": wide format");
    const char *misspelled = strstr(run.out, MISSPELLED ": wide format");
    cr_assert(complete && no_months && misspelled, "%s", run.out);
    cr_assert(!nl_test_contains(complete, "lacks") || strstr(complete, "lacks") > no_months,
              "complete.csv lacks nothing: %s", run.out);
    cr_assert(nl_test_contains(no_months, "  columns the template needs that this file lacks:\n"
                                          "    'Months in level' (months_in_level, or "
                                          "years_in_level, level_start_date): gate tenure "
                                          "(soft) will not be checked\n"),
              "%s", run.out);
    cr_assert(nl_test_contains(misspelled,
                               "  columns the template needs that this file lacks:\n"
                               "    'Visibility' (attribute visibility): gate visibility (hard) "
                               "will not be checked\n"),
              "%s", run.out);
    cr_assert(nl_test_contains(misspelled, "unknown columns (ignored): \"Visibilty\""), "%s",
              run.out);
    nl_run_free(&run);
}

Test(cli_mapping, inspect_lists_team_manager_and_skills_missing)
{
    char *dir = nl_test_temp_dir();
    char *csv = nl_test_path_in(dir, "payments.csv");
    nl_test_write_text(csv, "Employee ID,Level,Months in level,Coding,Visibility\nE9,A,3,4,3\n");
    nl_run run = RUN("inspect", "--template", GATES, csv);
    cr_assert_eq(run.exit_code, 0, "%s%s", run.out, run.err);
    cr_assert(nl_test_contains(run.out, "    skill mentoring ('Mentoring'): gate readiness (hard) "
                                        "read it: people lack its rating\n"),
              "%s", run.out);
    cr_assert(nl_test_contains(run.out, "    'Team' (team): its people take the file's name as "
                                        "their team\n"),
              "%s", run.out);
    cr_assert(nl_test_contains(run.out, "    'Manager' (manager): its people have no manager"),
              "%s", run.out);
    nl_run_free(&run);
    free(csv);
    nl_test_remove_tree(dir);
}

/* The months column lacks in one file and Visibility is misspelled in another, but both
 * columns are in complete.csv: a warning per file, naming how many people it leaves unchecked;
 * not an exit 3. */
Test(cli_mapping, evaluate_warns_per_file)
{
    char *dir = nl_test_temp_dir();
    char *out = nl_test_path_in(dir, "r.csv");
    nl_run run =
        RUN("evaluate", "--template", GATES, "--out", out, COMPLETE, NO_MONTHS, MISSPELLED);
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    cr_assert(nl_test_contains(run.err, "nextlevel: warning: " NO_MONTHS " has no column 'Months "
                                        "in level' (the template's [columns] months_in_level; a "
                                        "years_in_level or level_start_date column would do "
                                        "too): "
                                        "the soft gate tenure cannot be checked for 2 of its "
                                        "people\n"),
              "%s", run.err);
    cr_assert(nl_test_contains(run.err, "nextlevel: warning: " MISSPELLED " has no column "
                                        "'Visibility' (the template's [attribute visibility]): "
                                        "the hard gate visibility cannot be checked for 2 of its "
                                        "people\n"),
              "%s", run.err);
    cr_assert_not(nl_test_contains(run.err, COMPLETE " has no"), "%s", run.err);
    nl_run_free(&run);
    run = RUN("evaluate", "--quiet", "--template", GATES, "--out", out, COMPLETE, NO_MONTHS);
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    cr_assert_str_empty(run.err, "--quiet keeps warnings back");
    nl_run_free(&run);
    free(out);
    nl_test_remove_tree(dir);
}

/* Visibility is misspelled in the only file and a hard gate reads it: nobody could pass, so
 * nothing is evaluated or written (exit 3), unless the partial run is asked for. */
Test(cli_mapping, a_hard_gates_column_missing_from_every_file_stops_with_exit_3)
{
    char *dir = nl_test_temp_dir();
    char *out = nl_test_path_in(dir, "r.csv");
    nl_run run = RUN("evaluate", "--template", GATES, "--out", out, NO_MONTHS, MISSPELLED);
    cr_assert_eq(run.exit_code, 0, "Visibility is in missing-months.csv: %s", run.err);
    nl_run_free(&run);
    unlink(out);
    run = RUN("evaluate", "--template", GATES, "--out", out, MISSPELLED);
    cr_assert_eq(run.exit_code, 3, "%s", run.err);
    cr_assert(nl_test_contains(run.err, "nextlevel: error: no file has the column 'Visibility' "
                                        "(the template's [attribute visibility]), which the hard "
                                        "gate visibility reads: nobody can be checked on it. Add "
                                        "the column to the export or correct its name in the "
                                        "template; --allow-missing-columns runs without it on "
                                        "purpose\n"),
              "%s", run.err);
    cr_assert_eq(access(out, F_OK), -1, "nothing is written");
    nl_run_free(&run);
    /* --quiet does not hide an error. */
    run = RUN("evaluate", "-q", "--template", GATES, "--out", out, MISSPELLED);
    cr_assert_eq(run.exit_code, 3);
    cr_assert(nl_test_contains(run.err, "nextlevel: error: no file has the column 'Visibility'"));
    nl_run_free(&run);

    run = RUN("evaluate", "--allow-missing-columns", "--template", GATES, "--out", out, MISSPELLED);
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    cr_assert(nl_test_contains(run.err, "nextlevel: warning: no file has the column 'Visibility' "
                                        "(the template's [attribute visibility]), which the hard "
                                        "gate visibility reads: nobody can be checked on it.\n"),
              "%s", run.err);
    char *text = nl_test_read_all(out, NULL);
    nl_test_table t = nl_test_parse_csv(text);
    cr_assert_str_eq(nl_test_cell(&t, "E5", "outcome"), "Not evaluated");
    cr_assert_str_eq(nl_test_cell(&t, "E6", "outcome"), "Not evaluated");
    nl_test_free_table(&t);
    free(text);
    nl_run_free(&run);
    free(out);
    nl_test_remove_tree(dir);
}

/* A soft gate's column missing from every file is a warning: the run goes on (exit 0). */
Test(cli_mapping, a_soft_gates_column_missing_from_every_file_is_a_warning)
{
    char *dir = nl_test_temp_dir();
    char *out = nl_test_path_in(dir, "r.csv");
    nl_run run = RUN("evaluate", "--template", GATES, "--out", out, NO_MONTHS);
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    cr_assert(nl_test_contains(run.err, "nextlevel: warning: no file has the column 'Months in "
                                        "level' (the template's [columns] months_in_level; a "
                                        "years_in_level or level_start_date column would do "
                                        "too), which "
                                        "the soft gate tenure reads: nobody can be checked on "
                                        "it.\n"),
              "%s", run.err);
    cr_assert_eq(access(out, F_OK), 0);
    nl_run_free(&run);
    free(out);
    nl_test_remove_tree(dir);
}

Test(cli_mapping, the_option_is_in_the_help)
{
    nl_run run = RUN("--help");
    cr_assert(nl_test_contains(run.out, "--allow-missing-columns"), "%s", run.out);
    nl_run_free(&run);
}
